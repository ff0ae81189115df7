/**
 * @file options.h
 * keel_options: a book of European options on market assets.
 *
 * This release declares the handle so that the signatures taking a book are
 * final; the only book that can be passed today is NULL (no options).
 */
#ifndef KEEL_OPTIONS_H
#define KEEL_OPTIONS_H

#include "keel/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque options book. No constructor exists yet: pass NULL wherever a book is taken. */
typedef struct keel_options keel_options;

#ifdef __cplusplus
}
#endif

#endif /* KEEL_OPTIONS_H */

/**
 * @file keel.h
 * Umbrella header: includes every keel module header and nothing else.
 */
#ifndef KEEL_H
#define KEEL_H

#include "keel/core.h"
#include "keel/version.h"
#include "keel/market.h"
#include "keel/basket.h"
#include "keel/haircut.h"
#include "keel/estimators.h"
#include "keel/options.h"
#include "keel/cost.h"
#include "keel/risk.h"
#include "keel/policy.h"
#include "keel/scan.h"
#include "keel/u256.h"
#include "keel/aave.h"
#include "keel/comet.h"
#include "keel/morpho.h"
#include "keel/sim.h"

#endif /* KEEL_H */

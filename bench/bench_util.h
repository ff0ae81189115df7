/* What every C benchmark needs: a monotonic clock, the median of a sample,
 * and an exit on a failed call. */
#ifndef KEEL_BENCH_UTIL_H
#define KEEL_BENCH_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <keel.h>

static inline double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* This thread's CPU time: what the machine's other tenants do not inflate. */
static inline double thread_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static inline double now_s(void)
{
    return 1e-9 * now_ns();
}

static inline int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts the n times and returns the middle one. */
static inline double median(double *t, size_t n)
{
    qsort(t, n, sizeof *t, cmp);
    return t[n / 2];
}

static inline void die(keel_status s)
{
    if (s != KEEL_OK) {
        fprintf(stderr, "keel: %s (%s)\n", keel_status_str(s), keel_last_error());
        exit(1);
    }
}

#endif

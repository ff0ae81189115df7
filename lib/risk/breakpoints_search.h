/* The state of one liquidation-price search (keel_risk_crossings(),
 * breakpoints.c) shared by its set-up (breakpoints.c) and its walk along the
 * price axis (breakpoints_walk.c). The method is at the top of
 * breakpoints.c. */
#ifndef KEEL_RISK_BREAKPOINTS_SEARCH_H
#define KEEL_RISK_BREAKPOINTS_SEARCH_H

#include <stdbool.h>

#include "chebyshev.h"
#include "haircut/haircut_internal.h"
#include "keel/risk.h"

/* The walk covers spot / 2^64 .. spot x 2^64, as the documented range. */
#define OCTAVES 64
#define MAX_SPLITS 3
/* Grid mode: points per octave (adjacent points 2^(1/64) = 1.0109 apart). */
#define GRID_PER_OCTAVE 64
/* Roots kept per cap-switching asset on one segment. */
#define CUTS_PER_ASSET (NODES + 2)

/* Outcome of a step of the walk. */
enum { GO_ON = 0, FOUND = 1, STOP = 2, FAIL = 3 };

/* A collateral asset whose maintenance haircut can reach its cap inside the
 * range: where it does, the surplus bends. */
typedef struct capped {
    keel_asset asset;
    double cap;
} capped;

typedef struct search {
    const keel_basket *basket;
    const keel_options *options;
    const keel_market *market;
    const keel_haircut_model *haircuts;
    keel_asset asset;
    const char *fn;
    keel_status status;
    const keel_haircut_settings *set;
    bool grid;      /* an option on the asset: grid mode */
    bool portfolio; /* the VaR comes off L */
    bool mu_one;    /* no weighted debt at any price: multiply by 1, not Wb */
    double spot, f_spot;
    double q, d;    /* the asset's collateral and debt */
    double w, w0;   /* Wb(p) = w0 + w p */
    double v, m;    /* the book's value and margin (constant in structural mode) */
    double *breaks; /* level-1 breakpoints, increasing */
    size_t nbreaks;
    capped *caps;
    size_t ncaps;
    keel_asset *cap_ids; /* the capped assets, increasing */
    double *cap_y, *cap_scale; /* their samples on a segment (scratch, NODES + NCHECK each) */
    double *cuts;   /* a segment's cap switches (scratch) */
    keel_asset *held; /* the assets held as collateral, increasing */
    size_t nheld;
    keel_haircut_components *comps; /* their breakdowns (scratch) */
    /* the walk: the last point read and its surplus, on side `healthy` */
    bool healthy;
    double xc, fc;
    double root;
} search;

/* The engine's L - W with the asset at p, options included: >= 0 healthy
 * (*ok false, s->status set, when the evaluation failed). */
double keel_crossing_surplus(double p, void *s, bool *ok);

/* Walks from spot in direction dir (-1 down, +1 up) out to
 * spot x 2^(dir 64): GO_ON (no change of side), FOUND (s->root), STOP (an
 * overflow ended the walk) or FAIL (s->status). */
int keel_crossing_walk(search *s, int dir);

#endif

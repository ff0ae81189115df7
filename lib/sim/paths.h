/* Price paths of a simulation: correlated geometric Brownian motions with
 * Merton jumps drawn from the path's own Philox streams, or replayed prices.
 *
 * log S_i(t + dt) = log S_i(t) + (mu_i - sigma_i^2 / 2 - lambda_i k_i) dt
 * + sigma_i sqrt(dt) (L e)_i + sum of N_i jumps J ~ N(m_i, v_i^2), with L the
 * Cholesky factor of the correlations of the assets that move, e iid normal
 * from the path's first stream, N_i ~ Poisson(lambda_i dt) from its second,
 * the jump sizes from its third, and k_i = exp(m_i + v_i^2 / 2) - 1
 * (Merton 1976). The normals are keel_normals' (Philox4x32-10 with the AS 241
 * quantile, vectorised) and exp is keel_exp_det/keel_exp_array: the same
 * bits on every CPU (lib/math/vrand.c). */
#ifndef KEEL_SIM_PATHS_H
#define KEEL_SIM_PATHS_H

#include "math/kmath.h"
#include "sim_internal.h"

typedef struct keel_paths {
    const keel_sim *sim;
    double *price;    /* the prices of the current step (the caller's array, one per asset) */
    double *logp0, *logp, *chol, *eps;
    double *sigma;    /* the volatility of each moving asset, in move order (the run
                       * sets those a GARCH drives before each step) */
    double *coef;     /* 3 k: each moving asset's drift and scale per step, its log-price */
    size_t nmove;     /* assets that move: a volatility, jumps or a drift */
    keel_asset *move; /* their ids; chol is the factor of their correlations */
    keel_rng arrivals; /* the jumps' arrivals (uniforms, stream 1) */
    /* the diffusion's normals (stream 0) and the jumps' sizes (stream 2)
     * come from the vector generator (keel_normals), a chunk of steps at a
     * time: normal (step - 1) k + i of the path's stream drives moving
     * asset i at step `step` */
    uint64_t path;
    uint32_t chunk;       /* steps per chunk (even) */
    uint32_t chunk_first; /* the first step in the buffers; 0: none */
    bool ahead;           /* no volatility model drives the paths: a chunk's prices are
                           * computed with it, exp vectorised */
    uint32_t chunk_steps; /* steps in the buffers (chunk, or fewer at the end) */
    bool chunk_ok;        /* every price of the chunk in (0, inf) (ahead) */
    double *zbuf;         /* chunk x k normals, step-major */
    double *lbuf;         /* k x chunk_steps log-prices (ahead), asset-major: */
    double *pbuf;         /* k x chunk_steps prices (ahead): moving asset i at step
                           * chunk_first + t is pbuf[i chunk_steps + t] */
    bool jumps;           /* some moving asset jumps */
} keel_paths;

/* Prepares the paths of `sim`, writing prices into `price` (one per market
 * asset). KEEL_E_NOMEM, KEEL_E_NOT_PSD (the moving assets' correlations),
 * naming `fn`. keel_paths_close is safe after a failure. */
keel_status keel_paths_open(keel_paths *g, const keel_sim *sim, double *price, const char *fn);
void keel_paths_close(keel_paths *g);

/* Starts path `path`: today's prices, the path's streams. */
void keel_paths_start(keel_paths *g, uint64_t path);

/* Row `row` of replayed array `a` (closes, lows or highs) of path `path`. */
static inline const double *keel_paths_row(const keel_sim *s, const double *a, uint64_t path,
                                           size_t row)
{
    return a + ((size_t)path * s->nrows + row) * s->nreplay;
}

/* Years from row `from` to row `to` > `from` of the replay: the difference
 * of their stamps (exact: unsigned, as the stamps increase) over
 * KEEL_SECONDS_PER_YEAR, or (to - from) dt without stamps. */
double keel_paths_years(const keel_sim *s, size_t from, size_t to);

/* Years step `step` (1-based, of the run) lasts, and the years from the
 * run's start to the end of step `step`. */
static inline double keel_paths_dt(const keel_sim *s, uint32_t step)
{
    return keel_paths_years(s, s->win_start + step - 1, s->win_start + step);
}

static inline double keel_paths_elapsed(const keel_sim *s, uint32_t step)
{
    return keel_paths_years(s, s->win_start, s->win_start + step);
}

/* Moves the prices to step `step` (1-based) of path `path`. KEEL_E_OVERFLOW
 * when a price leaves double range. */
keel_status keel_paths_step(keel_paths *g, uint64_t path, uint32_t step);

/* The chunk of prices that holds step `step` (ahead, model paths only),
 * filled as keel_paths_step would: returns pbuf, its first step in *first,
 * its steps in *nsteps, and in *ok whether every price is in (0, inf) (when
 * not, keel_paths_step fails on some step of it). t.price is not written. */
const double *keel_paths_chunk(keel_paths *g, uint32_t step, uint32_t *first, uint32_t *nsteps,
                               bool *ok);

#endif

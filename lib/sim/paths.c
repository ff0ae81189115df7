/* Price paths of a simulation (lib/sim/paths.h). */
#include <math.h>
#include <string.h>

#include "core/core_internal.h"
#include "market/market_internal.h"
#include "lanes.h"
#include "paths.h"

keel_status keel_paths_open(keel_paths *g, const keel_sim *sim, double *price, const char *fn)
{
    memset(g, 0, sizeof *g);
    g->sim = sim;
    g->price = price;
    size_t n = sim->nassets, m = n ? n : 1;
    /* only the assets that move are drawn: the others keep their prices, and
     * the joint law of the moving ones needs only their own correlations */
    g->move = keel_alloc_array(m, sizeof *g->move);
    if (g->move == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    for (keel_asset a = 0; a < n; a++)
        if (keel_market_volatility_unchecked(sim->market, a) > 0.0 || sim->jump_rate[a] > 0.0 ||
            sim->drift[a] != 0.0 || sim->vol[a].drives)
            g->move[g->nmove++] = a;
    size_t k = g->nmove, kk = k ? k : 1;
    if (k > KEEL_SIM_MAX_MOVING_ASSETS)
        return keel_fail(KEEL_E_OVERFLOW,
                         "%s: %zu assets move (a volatility, a drift or jumps); a simulation moves "
                         "at most %d", fn, k, KEEL_SIM_MAX_MOVING_ASSETS);
    g->logp0 = keel_alloc_array(2 * m + 5 * kk + 2 * kk * kk, sizeof *g->logp0);
    if (g->logp0 == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    g->logp = g->logp0 + m;
    g->eps = g->logp + m;
    g->sigma = g->eps + kk;
    g->coef = g->sigma + kk;
    g->chol = g->coef + 3 * kk;
    for (size_t i = 0; i < k; i++)
        g->sigma[i] = keel_market_volatility_unchecked(sim->market, g->move[i]);
    double *rho = g->chol + kk * kk;
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++)
            rho[i * k + j] = i == j ? 1.0
                                    : keel_market_correlation_unchecked(sim->market, g->move[i],
                                                                        g->move[j]);
    if (!keel_cholesky_psd(k, rho, g->chol)) /* a principal submatrix of a PSD matrix */
        return keel_fail(KEEL_E_NOT_PSD, "%s: the moving assets' correlations are not PSD", fn);
    for (keel_asset a = 0; a < n; a++)
        g->logp0[a] = log(keel_market_price_unchecked(sim->market, a));
    /* chunks of at most 4096 normals, an even number of steps (so that a
     * chunk starts on a Philox block when k is odd) */
    size_t c = 4096 / kk;
    c = c < 2 ? 2 : c > 256 ? 256 : c;
    g->chunk = (uint32_t)(c & ~(size_t)1);
    g->ahead = true;
    for (size_t i = 0; i < k; i++)
        if (sim->vol[g->move[i]].drives)
            g->ahead = false;
    g->zbuf = keel_alloc_array(3 * (size_t)g->chunk * kk, sizeof *g->zbuf);
    if (g->zbuf == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    g->lbuf = g->zbuf + (size_t)g->chunk * kk;
    g->pbuf = g->lbuf + (size_t)g->chunk * kk;
    g->jumps = false;
    for (size_t i = 0; i < k; i++)
        g->jumps |= sim->jump_rate[g->move[i]] > 0.0;
    return KEEL_OK;
}

void keel_paths_close(keel_paths *g)
{
    keel_dealloc(g->logp0);
    keel_dealloc(g->move);
    keel_dealloc(g->zbuf);
    memset(g, 0, sizeof *g);
}

void keel_paths_start(keel_paths *g, uint64_t path)
{
    const keel_sim *s = g->sim;
    for (size_t i = 0; i < s->nassets; i++) {
        g->logp[i] = g->logp0[i];
        g->price[i] = keel_market_price_unchecked(s->market, (keel_asset)i);
    }
    if (s->npaths > 0) { /* a replay starts at its window's first row */
        const double *row = keel_paths_row(s, s->replay, path, s->win_start);
        for (size_t j = 0; j < s->nreplay; j++)
            g->price[s->replay_ids[j]] = row[j];
    }
    keel_rng_init(&g->arrivals, s->p.seed, path, 1);
    g->path = path;
    g->chunk_first = 0;
}

/* Poisson(mu) by inversion of its CDF from one uniform (mu <= 10). */
static unsigned poisson(keel_rng *g, double mu)
{
    double u = keel_rng_uniform(g), p = keel_exp_det(-mu), cdf = p;
    unsigned k = 0;
    while (u > cdf && k < 1000) {
        k++;
        p *= mu / k;
        cdf += p;
    }
    return k;
}

double keel_paths_years(const keel_sim *s, size_t from, size_t to)
{
    if (s->npaths > 0 && s->replay_time != NULL)
        return (double)((uint64_t)s->replay_time[to] - (uint64_t)s->replay_time[from]) /
               KEEL_SECONDS_PER_YEAR;
    return (double)(to - from) * s->p.dt;
}

/* Moves g->logp of the moving assets by step `step`, the diffusion's
 * normals in eps (k of them). */
static void advance(keel_paths *g, uint32_t step, const double *eps)
{
    const keel_sim *s = g->sim;
    double dt = s->p.dt, sq = sqrt(dt);
    size_t k = g->nmove;
    for (size_t i = 0; i < k; i++) {
        keel_asset a = g->move[i];
        double zi = 0.0;
        for (size_t j = 0; j <= i; j++)
            zi += g->chol[i * k + j] * eps[j];
        double sigma = g->sigma[i];
        double lam = s->jump_rate[a];
        double move = (s->drift[a] - 0.5 * sigma * sigma) * dt + sigma * sq * zi;
        if (lam > 0.0) {
            /* keel_exp_det, not libm's expm1 (glibc picks an FMA variant by CPU) */
            double kj = keel_exp_det(s->jump_mean[a] + 0.5 * s->jump_vol[a] * s->jump_vol[a]) - 1.0;
            move -= lam * kj * dt;
            unsigned nj = poisson(&g->arrivals, lam * dt);
            /* drawn every step: streams stay aligned */
            uint64_t nz = (uint64_t)(step - 1) * k + i;
            double pair[2];
            keel_normals_isa(s->isa, s->p.seed, g->path, 2, nz & ~(uint64_t)1, 2, pair);
            double zj = pair[nz & 1];
            if (nj > 0)
                move += nj * s->jump_mean[a] + sqrt((double)nj) * s->jump_vol[a] * zj;
        }
        g->logp[a] += move;
    }
}

/* Fills the buffers for the chunk that starts at step `first`. */
static void fill_chunk(keel_paths *g, uint32_t first)
{
    const keel_sim *s = g->sim;
    size_t k = g->nmove;
    uint32_t nsteps = s->p.steps - first + 1 < g->chunk ? s->p.steps - first + 1 : g->chunk;
    size_t count = (size_t)nsteps * k;
    g->chunk_steps = nsteps;
    keel_normals_isa(s->isa, s->p.seed, g->path, 0, (uint64_t)(first - 1) * k, count + (count & 1),
                     g->zbuf);
    g->chunk_first = first;
    if (!g->ahead)
        return;
    if (g->jumps) {
        for (uint32_t t = 0; t < nsteps; t++) {
            advance(g, first + t, g->zbuf + (size_t)t * k);
            for (size_t i = 0; i < k; i++)
                g->lbuf[i * nsteps + t] = g->logp[g->move[i]];
        }
    } else { /* advance()'s operations in their order, the constants hoisted */
        double dt = s->p.dt, sq = sqrt(dt);
        double *c = g->coef, *v = g->coef + k, *lp = g->coef + 2 * k;
        for (size_t i = 0; i < k; i++) {
            double sigma = g->sigma[i];
            c[i] = (s->drift[g->move[i]] - 0.5 * sigma * sigma) * dt;
            v[i] = sigma * sq;
            lp[i] = g->logp[g->move[i]];
        }
        /* the normals asset-major (pbuf is free until exp), each step's
         * increment c_i + v_i (L e)_i in lanes (lanes.c), then each
         * asset's running sum of its increments */
        double *et = g->pbuf;
        keel_lanes_transpose(s->isa, k, nsteps, g->zbuf, et);
        keel_lanes_moves(s->isa, k, nsteps, g->chol, c, v, et, g->lbuf);
        size_t i = 0;
        for (; i + 4 <= k; i += 4) { /* four chains at once: the adds are serial in t */
            double *x0 = g->lbuf + i * nsteps, *x1 = x0 + nsteps, *x2 = x1 + nsteps,
                   *x3 = x2 + nsteps;
            double l0 = lp[i], l1 = lp[i + 1], l2 = lp[i + 2], l3 = lp[i + 3];
            for (uint32_t t = 0; t < nsteps; t++) {
                l0 += x0[t], l1 += x1[t], l2 += x2[t], l3 += x3[t];
                x0[t] = l0, x1[t] = l1, x2[t] = l2, x3[t] = l3;
            }
            lp[i] = l0, lp[i + 1] = l1, lp[i + 2] = l2, lp[i + 3] = l3;
        }
        for (; i < k; i++) {
            double *x = g->lbuf + i * nsteps, l = lp[i];
            for (uint32_t t = 0; t < nsteps; t++) {
                l += x[t];
                x[t] = l;
            }
            lp[i] = l;
        }
        for (size_t a = 0; a < k; a++)
            g->logp[g->move[a]] = lp[a];
    }
    keel_exp_array_isa(s->isa, count, g->lbuf, g->pbuf);
    /* keel_paths_step's test, for the whole chunk */
    g->chunk_ok = keel_lanes_in_range(s->isa, count, g->pbuf);
}

const double *keel_paths_chunk(keel_paths *g, uint32_t step, uint32_t *first, uint32_t *nsteps,
                               bool *ok)
{
    if (g->chunk_first == 0 || step >= g->chunk_first + g->chunk)
        fill_chunk(g, step);
    *first = g->chunk_first;
    *nsteps = g->chunk_steps;
    *ok = g->chunk_ok;
    return g->pbuf;
}

keel_status keel_paths_step(keel_paths *g, uint64_t path, uint32_t step)
{
    const keel_sim *s = g->sim;
    if (s->npaths > 0) { /* replay */
        const double *row = keel_paths_row(s, s->replay, path, s->win_start + step);
        for (size_t j = 0; j < s->nreplay; j++)
            g->price[s->replay_ids[j]] = row[j];
        return KEEL_OK;
    }
    size_t k = g->nmove;
    if (g->chunk_first == 0 || step >= g->chunk_first + g->chunk)
        fill_chunk(g, step);
    size_t t = step - g->chunk_first;
    if (!g->ahead)
        advance(g, step, g->zbuf + t * k);
    for (size_t i = 0; i < k; i++) {
        keel_asset a = g->move[i];
        g->price[a] = g->ahead ? g->pbuf[i * g->chunk_steps + t] : keel_exp_det(g->logp[a]);
        if (!(g->price[a] > 0.0 && g->price[a] < INFINITY))
            return keel_fail(KEEL_E_OVERFLOW,
                             "keel_sim_run: path %llu, step %u: the price of asset %u left double range",
                             (unsigned long long)path, step, (unsigned)a);
    }
    return KEEL_OK;
}

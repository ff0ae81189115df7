/* Batch scans over accounts in compressed sparse rows: health factors, the
 * accounts closest to liquidation, the liquidations-at-risk curve.
 *
 * With a linear haircut model each account is one pass over its positions
 * with per-asset terms looked up in tables built once: cv = q p,
 * L += cv (1 - hm) when cv > 0, W += (d p) bf, in increasing asset order --
 * the engine's own arithmetic (lib/risk/evaluate.c), so the results are
 * keel_basket_metrics' to the bit. Other models value each account with the
 * engine through one reused scratch basket. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "basket/basket_internal.h"
#include "core/core_internal.h"
#include "market/market_internal.h"
#include "risk/kernel.h"
#include "scan_internal.h"

/* Per-asset tables for valuing many accounts against one market. */
typedef struct scan_ctx {
    const keel_market *market;
    const keel_haircut_model *haircuts;
    const char *fn;
    size_t nassets;
    bool linear;
    keel_kernel_table t;     /* per-asset terms; t.price maybe shocked */
    keel_basket *scratch;    /* the engine's path: one reused basket */
    keel_market *shocked;    /* the engine's path under a shock */
    keel_scan_kernel kernel; /* a vector kernel for the linear path, or NULL */
    keel_scan_terms terms;   /* what it reads of t */
} scan_ctx;

static keel_status scan_begin(scan_ctx *c, keel_isa isa, const keel_market *market,
                              const keel_haircut_model *haircuts, const char *fn)
{
    memset(c, 0, sizeof *c); /* the handles were checked by the caller (check_rows) */
    c->market = market;
    c->haircuts = haircuts;
    c->fn = fn;
    c->nassets = keel_market_size(market);
    c->linear = keel_risk_is_linear(haircuts, NULL);
    KEEL_TRY(keel_kernel_table_init(&c->t, market, haircuts, fn));
    if (c->linear) {
        c->kernel = keel_scan_kernel_for(isa, c->nassets);
        c->terms = (keel_scan_terms){ .n = c->nassets, .price = c->t.price, .om = c->t.om,
                                      .bf = c->t.bf };
    }
    return KEEL_OK;
}

static void scan_end(scan_ctx *c)
{
    keel_kernel_table_free(&c->t);
    keel_basket_free(c->scratch);
    keel_market_free(c->shocked);
    memset(c, 0, sizeof *c);
}

static keel_status scan_shock(scan_ctx *c, double shock)
{
    for (keel_asset a = 0; a < c->nassets; a++) {
        double p = keel_market_price_unchecked(c->market, a);
        c->t.price[a] = keel_market_volatility_unchecked(c->market, a) > 0.0 ? p * (1.0 + shock) : p;
    }
    if (c->linear)
        return KEEL_OK;
    for (keel_asset a = 0; a < c->nassets; a++)
        if (!(c->t.price[a] > 0.0 && c->t.price[a] < INFINITY))
            return keel_fail(c->t.price[a] > 0.0 ? KEEL_E_OVERFLOW : KEEL_E_OUT_OF_RANGE,
                             "%s: shock %g takes asset %u's price to %g", c->fn, shock,
                             (unsigned)a, c->t.price[a]);
    if (c->shocked == NULL)
        KEEL_TRY(keel_market_copy(c->market, &c->shocked, c->fn));
    keel_market_set_prices_unchecked(c->shocked, c->t.price, c->nassets);
    return KEEL_OK;
}

/* The whole offsets array is read before any position: offsets[0..count]
 * must not decrease (a caller's wrong offset would otherwise send the scan
 * reading positions far outside the arrays before it met the decrease). */
static keel_status check_offsets(const size_t *offsets, size_t count, const char *fn)
{
    for (size_t i = 0; i < count; i++)
        if (offsets[i + 1] < offsets[i])
            return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: offsets decrease at account %zu (%zu to %zu)",
                             fn, i, offsets[i], offsets[i + 1]);
    return KEEL_OK;
}

/* The checks every batch call makes of its handles and rows. */
static keel_status check_rows(const keel_market *market, const keel_haircut_model *haircuts,
                              size_t count, const size_t *offsets, const keel_asset *assets,
                              const double *collateral, const double *debt, const char *fn)
{
    KEEL_TRY(keel_check_handle(market, KEEL_TAG_MARKET, fn, "market"));
    KEEL_TRY(keel_check_handle(haircuts, KEEL_TAG_HAIRCUT, fn, "haircuts"));
    KEEL_TRY(keel_check_ptr(offsets, fn, "offsets"));
    KEEL_TRY(keel_check_ptr(assets, fn, "assets"));
    KEEL_TRY(keel_check_ptr(collateral, fn, "collateral"));
    KEEL_TRY(keel_check_ptr(debt, fn, "debt"));
    return check_offsets(offsets, count, fn);
}

/* Checks account i's positions; fails naming the account. */
static keel_status bad_position(const scan_ctx *c, size_t i, size_t k, keel_asset a,
                                keel_asset prev, double q, double d)
{
    if (a >= c->nassets)
        return keel_fail(KEEL_E_UNKNOWN_ASSET, "%s: account %zu holds asset %u; the market has %zu",
                         c->fn, i, (unsigned)a, c->nassets);
    if (k > 0 && a <= prev)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: account %zu: assets must be strictly increasing (%u after %u)",
                         c->fn, i, (unsigned)a, (unsigned)prev);
    if (!isfinite(q) || !isfinite(d))
        return keel_fail(KEEL_E_NOT_FINITE, "%s: account %zu: a quantity of asset %u is not finite",
                         c->fn, i, (unsigned)a);
    return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: account %zu: a negative quantity of asset %u",
                     c->fn, i, (unsigned)a);
}

/* The engine's path for models whose haircuts depend on sizes: the account
 * in one reused basket (its positions were checked by the caller). */
static keel_status engine_account(scan_ctx *c, size_t i, size_t lo, size_t hi,
                                  const keel_asset *assets, const double *collateral,
                                  const double *debt, double *l, double *w)
{
    if (c->scratch == NULL && keel_basket_new(&c->scratch) != KEEL_OK)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", c->fn);
    keel_basket_reset(c->scratch);
    for (size_t k = lo; k < hi; k++) {
        KEEL_TRY(keel_basket_move(c->scratch, assets[k], false, collateral[k], c->fn));
        KEEL_TRY(keel_basket_move(c->scratch, assets[k], true, debt[k], c->fn));
    }
    keel_metrics m;
    keel_status st = keel_risk_metrics(c->scratch, NULL, c->shocked ? c->shocked : c->market,
                                       c->haircuts, &m, c->fn);
    if (st != KEEL_OK) { /* the engine's detail, with the account named as every scan error does */
        char detail[256];
        const char *e = keel_last_error();
        size_t skip = strncmp(e, c->fn, strlen(c->fn)) == 0 ? strlen(c->fn) : 0;
        if (strncmp(e + skip, ": ", 2) == 0)
            skip += 2;
        snprintf(detail, sizeof detail, "%s", e + skip);
        return keel_fail(st, "%s: account %zu: %s", c->fn, i, detail);
    }
    *l = m.liquidation_value;
    *w = m.weighted_debt;
    return KEEL_OK;
}

/* Account i's health factor (and collateral value): one pass over its
 * positions through the valuation kernel (lib/risk/kernel.h) with the
 * table's terms, checking each position on the way. */
static inline keel_status account_core(scan_ctx *c, size_t i, const size_t *offsets,
                                       const keel_asset *assets, const double *collateral,
                                       const double *debt, double *out_hf,
                                       double *out_collateral)
{
    size_t lo = offsets[i], hi = offsets[i + 1];
    keel_risk_sums s = { 0 };
    const keel_kernel_table t = c->t; /* its pointers in registers, not reloaded per position */
    int64_t prev = -1; /* ids are below 2^32: the first always passes */
    for (size_t k = lo; k < hi; k++) {
        keel_asset a = assets[k];
        double q = collateral[k], d = debt[k];
        /* one test for every bad case: an unknown or repeated id, NaN, Inf, < 0 */
        if (!(a < c->nassets && (int64_t)a > prev && q >= 0.0 && d >= 0.0 && q < INFINITY &&
              d < INFINITY))
            return bad_position(c, i, k - lo, a, (keel_asset)prev, q, d);
        prev = a;
        keel_kernel_add_linear(&s, &t, a, q, d);
    }
    /* the engine also fails when the debt value D overflows; borrow factors
     * are >= 1, so W >= D and W overflows first (and D need not be summed) */
    if (!isfinite(s.collateral) || !isfinite(s.weighted))
        return keel_fail(KEEL_E_OVERFLOW, "%s: account %zu: its value overflows a double", c->fn, i);
    double l = s.liquidation, w = s.weighted;
    if (!c->linear) /* haircuts depend on sizes: the engine values it */
        KEEL_TRY(engine_account(c, i, lo, hi, assets, collateral, debt, &l, &w));
    *out_hf = w > 0.0 ? l / w : INFINITY;
    if (out_collateral)
        *out_collateral = s.collateral;
    return KEEL_OK;
}

/* Accounts first .. first+n-1 into hf[0 .. n) (and their collateral values
 * into cv, when not NULL): the vector kernel takes what it can, the scalar
 * path the account it stopped at (which it values, or fails on naming it),
 * then the kernel again. */
static keel_status scan_range(scan_ctx *c, size_t first, size_t n, const size_t *offsets,
                              const keel_asset *assets, const double *collateral,
                              const double *debt, double *hf, double *cv)
{
    size_t j = 0;
    while (j < n) {
        if (c->kernel)
            j += c->kernel(&c->terms, n - j, offsets + first + j, assets, collateral, debt, hf + j,
                           cv ? cv + j : NULL);
        if (j < n) {
            KEEL_TRY(account_core(c, first + j, offsets, assets, collateral, debt, &hf[j],
                                  cv ? &cv[j] : NULL));
            j++;
        }
    }
    return KEEL_OK;
}

keel_status keel_scan_isa(keel_isa isa, const keel_market *market,
                          const keel_haircut_model *haircuts, size_t count,
                          const size_t *offsets, const keel_asset *assets,
                          const double *collateral, const double *debt, double *out_health)
{
    const char *fn = "keel_scan";
    KEEL_TRY(check_rows(market, haircuts, count, offsets, assets, collateral, debt, fn));
    KEEL_TRY(keel_check_ptr(out_health, fn, "out_health"));
    scan_ctx c;
    KEEL_TRY(scan_begin(&c, isa, market, haircuts, fn));
    keel_status st = scan_range(&c, 0, count, offsets, assets, collateral, debt, out_health, NULL);
    scan_end(&c);
    return st;
}

keel_status keel_scan(const keel_market *market, const keel_haircut_model *haircuts, size_t count,
                      const size_t *offsets, const keel_asset *assets, const double *collateral,
                      const double *debt, double *out_health)
{
    return keel_scan_isa(keel_isa_best(), market, haircuts, count, offsets, assets, collateral,
                         debt, out_health);
}

/* Accounts are valued in chunks of this many into buffers on the stack
 * when only a reduction of them is kept (top k, liquidations at risk). */
enum { SCAN_CHUNK = 256 };

/* A max-heap of the k best (smallest HF, then smallest index) seen so far:
 * the root is the worst kept. */
static bool worse(double ha, size_t ia, double hb, size_t ib)
{
    return ha > hb || (ha == hb && ia > ib);
}

static void sift_down(size_t *idx, double *hf, size_t n, size_t at)
{
    for (;;) {
        size_t l = 2 * at + 1, r = l + 1, top = at;
        if (l < n && worse(hf[l], idx[l], hf[top], idx[top]))
            top = l;
        if (r < n && worse(hf[r], idx[r], hf[top], idx[top]))
            top = r;
        if (top == at)
            return;
        size_t ti = idx[at];
        double th = hf[at];
        idx[at] = idx[top], hf[at] = hf[top];
        idx[top] = ti, hf[top] = th;
        at = top;
    }
}

keel_status keel_scan_top_k(const keel_market *market, const keel_haircut_model *haircuts,
                            size_t count, const size_t *offsets, const keel_asset *assets,
                            const double *collateral, const double *debt, size_t k,
                            size_t *out_index, double *out_health, size_t *out_found)
{
    const char *fn = __func__;
    KEEL_TRY(check_rows(market, haircuts, count, offsets, assets, collateral, debt, fn));
    KEEL_TRY(keel_check_ptr(out_index, fn, "out_index"));
    KEEL_TRY(keel_check_ptr(out_health, fn, "out_health"));
    KEEL_TRY(keel_check_ptr(out_found, fn, "out_found"));
    if (k == 0)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: k must be >= 1", fn);
    size_t keep = k < count ? k : count;
    size_t *idx = keel_alloc_array(keep ? keep : 1, sizeof *idx);
    double *hf = keel_alloc_array(keep ? keep : 1, sizeof *hf);
    scan_ctx c;
    keel_status st = idx && hf ? scan_begin(&c, keel_isa_best(), market, haircuts, fn)
                               : keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    if (st != KEEL_OK) {
        keel_dealloc(idx);
        keel_dealloc(hf);
        return st;
    }
    size_t n = 0;
    double chunk[SCAN_CHUNK];
    for (size_t i = 0; i < count && st == KEEL_OK; i++) {
        if (i % SCAN_CHUNK == 0) {
            size_t len = count - i < SCAN_CHUNK ? count - i : SCAN_CHUNK;
            st = scan_range(&c, i, len, offsets, assets, collateral, debt, chunk, NULL);
            if (st != KEEL_OK)
                break;
        }
        double h = chunk[i % SCAN_CHUNK];
        if (n < keep) { /* fill, then heapify once full */
            idx[n] = i, hf[n] = h;
            if (++n == keep)
                for (size_t at = keep / 2; at-- > 0;)
                    sift_down(idx, hf, keep, at);
        } else if (worse(hf[0], idx[0], h, i)) {
            idx[0] = i, hf[0] = h;
            sift_down(idx, hf, keep, 0);
        }
    }
    scan_end(&c);
    if (st == KEEL_OK) {
        if (n < keep) /* count < k never happens: keep = min(k, count) */
            keep = n;
        /* heap sort: repeatedly move the worst to the end */
        for (size_t end = keep; end > 1; end--) {
            size_t ti = idx[0];
            double th = hf[0];
            idx[0] = idx[end - 1], hf[0] = hf[end - 1];
            idx[end - 1] = ti, hf[end - 1] = th;
            sift_down(idx, hf, end - 1, 0);
        }
        memcpy(out_index, idx, keep * sizeof *idx);
        memcpy(out_health, hf, keep * sizeof *hf);
        *out_found = keep;
    }
    keel_dealloc(idx);
    keel_dealloc(hf);
    return st;
}

/* The curve of a linear model in one pass over the accounts: each chunk
 * valued under every shock while it is in cache (the prices of each shock
 * tabled first), each shock's sum taken in account order as the shock-by-
 * shock loop takes it -- the same bits, 1/nshocks of the memory traffic.
 * The outputs are written only once every shock is valued. */
static keel_status lar_one_pass(scan_ctx *c, size_t count, const size_t *offsets,
                                const keel_asset *assets, const double *collateral,
                                const double *debt, size_t nshocks, const double *shocks,
                                double *out_value)
{
    size_t n = c->nassets ? c->nassets : 1;
    if (nshocks > SIZE_MAX / n / 2)
        return keel_fail(KEEL_E_OVERFLOW, "%s: %zu shocks x %zu assets overflow", c->fn, nshocks,
                         n);
    double *tab = keel_alloc_array(nshocks * n + nshocks, sizeof *tab);
    if (tab == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", c->fn);
    double *at_risk = tab + nshocks * n, *base = c->t.price;
    keel_status st = KEEL_OK;
    for (size_t s = 0; s < nshocks; s++) {
        (void)scan_shock(c, shocks[s]); /* linear: sets the prices, cannot fail */
        memcpy(tab + s * n, base, c->nassets * sizeof *base);
        at_risk[s] = 0.0;
    }
    double hf[SCAN_CHUNK], cv[SCAN_CHUNK];
    for (size_t i = 0; i < count && st == KEEL_OK; i += SCAN_CHUNK) {
        size_t len = count - i < SCAN_CHUNK ? count - i : SCAN_CHUNK;
        for (size_t s = 0; s < nshocks && st == KEEL_OK; s++) {
            c->t.price = tab + s * n;
            c->terms.price = c->t.price;
            st = scan_range(c, i, len, offsets, assets, collateral, debt, hf, cv);
            /* + 0.0 leaves a sum >= +0 unchanged to the bit: no branch to mispredict */
            double acc = at_risk[s];
            for (size_t j = 0; j < len && st == KEEL_OK; j++)
                acc += hf[j] < 1.0 ? cv[j] : 0.0;
            at_risk[s] = acc;
        }
    }
    c->t.price = base; /* the table frees its own array */
    c->terms.price = base;
    if (st == KEEL_OK)
        memcpy(out_value, at_risk, nshocks * sizeof *at_risk);
    keel_dealloc(tab);
    return st;
}

keel_status keel_liquidations_at_risk_isa(keel_isa isa, const keel_market *market,
                                          const keel_haircut_model *haircuts, size_t count,
                                          const size_t *offsets, const keel_asset *assets,
                                          const double *collateral, const double *debt,
                                          size_t nshocks, const double *shocks,
                                          double *out_value)
{
    const char *fn = "keel_liquidations_at_risk";
    KEEL_TRY(check_rows(market, haircuts, count, offsets, assets, collateral, debt, fn));
    KEEL_TRY(keel_check_ptr(shocks, fn, "shocks"));
    KEEL_TRY(keel_check_ptr(out_value, fn, "out_value"));
    for (size_t s = 0; s < nshocks; s++) {
        KEEL_TRY(keel_check_finite(shocks[s], fn, "shocks[s]"));
        if (!(shocks[s] > -1.0))
            return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: shocks[%zu] is %g; it must be > -1", fn, s,
                             shocks[s]);
    }
    scan_ctx c;
    KEEL_TRY(scan_begin(&c, isa, market, haircuts, fn));
    keel_status st = KEEL_OK;
    double hf[SCAN_CHUNK], cv[SCAN_CHUNK];
    if (c.linear && nshocks > 0) {
        st = lar_one_pass(&c, count, offsets, assets, collateral, debt, nshocks, shocks, out_value);
        scan_end(&c);
        return st;
    }
    for (size_t s = 0; s < nshocks && st == KEEL_OK; s++) {
        st = scan_shock(&c, shocks[s]);
        double at_risk = 0.0;
        for (size_t i = 0; i < count && st == KEEL_OK; i += SCAN_CHUNK) {
            size_t len = count - i < SCAN_CHUNK ? count - i : SCAN_CHUNK;
            st = scan_range(&c, i, len, offsets, assets, collateral, debt, hf, cv);
            for (size_t j = 0; j < len && st == KEEL_OK; j++) /* in account order, as before */
                if (hf[j] < 1.0)
                    at_risk += cv[j];
        }
        if (st == KEEL_OK)
            out_value[s] = at_risk;
    }
    scan_end(&c);
    return st;
}

keel_status keel_liquidations_at_risk(const keel_market *market,
                                      const keel_haircut_model *haircuts, size_t count,
                                      const size_t *offsets, const keel_asset *assets,
                                      const double *collateral, const double *debt,
                                      size_t nshocks, const double *shocks, double *out_value)
{
    return keel_liquidations_at_risk_isa(keel_isa_best(), market, haircuts, count, offsets,
                                         assets, collateral, debt, nshocks, shocks, out_value);
}

keel_status keel_stress(const keel_basket *basket, const keel_options *options,
                        const keel_market *market, const keel_haircut_model *haircuts,
                        size_t nscenarios, size_t nassets, const keel_asset *assets,
                        const double *shocks, keel_metrics *out)
{
    const char *fn = __func__;
    KEEL_TRY(keel_risk_check_inputs(basket, options, market, haircuts, fn));
    KEEL_TRY(keel_check_ptr(assets, fn, "assets"));
    KEEL_TRY(keel_check_ptr(shocks, fn, "shocks"));
    KEEL_TRY(keel_check_ptr(out, fn, "out"));
    if (nassets == 0)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: nassets must be >= 1", fn);
    if (nscenarios > SIZE_MAX / nassets)
        return keel_fail(KEEL_E_OVERFLOW, "%s: %zu x %zu shocks overflow", fn, nscenarios, nassets);
    for (size_t j = 0; j < nassets; j++) {
        KEEL_TRY(keel_market_check_asset(market, assets[j], fn));
        for (size_t l = 0; l < j; l++)
            if (assets[l] == assets[j])
                return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: asset %u appears twice", fn,
                                 (unsigned)assets[j]);
    }
    for (size_t s = 0; s < nscenarios; s++) {
        if (out[s].size < sizeof(size_t))
            return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: out[%zu].size is %zu; set it to "
                             "sizeof(keel_metrics)", fn, s, out[s].size);
        for (size_t j = 0; j < nassets; j++) {
            double x = shocks[s * nassets + j];
            KEEL_TRY(keel_check_finite(x, fn, "shocks[i]"));
            if (!(x > -1.0))
                return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: shock %g of scenario %zu is <= -1", fn,
                                 x, s);
        }
    }
    keel_market *work = NULL;
    KEEL_TRY(keel_market_copy(market, &work, fn));
    keel_status st = KEEL_OK;
    keel_metrics *tmp = keel_alloc_array(nscenarios ? nscenarios : 1, sizeof *tmp);
    if (tmp == NULL)
        st = keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    for (size_t s = 0; s < nscenarios && st == KEEL_OK; s++) {
        for (size_t j = 0; j < nassets && st == KEEL_OK; j++) {
            double p = keel_market_price_unchecked(market, assets[j]) *
                       (1.0 + shocks[s * nassets + j]);
            if (!(p > 0.0 && p < INFINITY))
                st = keel_fail(p > 0.0 ? KEEL_E_OVERFLOW : KEEL_E_OUT_OF_RANGE,
                               "%s: scenario %zu takes asset %u's price to %g", fn, s,
                               (unsigned)assets[j], p);
            else
                keel_market_set_price_unchecked(work, assets[j], p);
        }
        if (st == KEEL_OK)
            st = keel_risk_metrics(basket, options, work, haircuts, &tmp[s], fn);
    }
    if (st == KEEL_OK) /* all or nothing: the outputs only once every scenario is valued */
        for (size_t s = 0; s < nscenarios; s++)
            keel_write_sized(&out[s], &tmp[s], sizeof tmp[s]);
    keel_dealloc(tmp);
    keel_market_free(work);
    return st;
}

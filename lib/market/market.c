/* keel_market: assets in id order, a symbol index sorted for lookup, and the
 * correlations kept sparse (only pairs that were set), so that a market of
 * thousands of assets costs memory in proportion to what it holds; beside
 * them, while at most 64 assets are correlated, their dense matrix and a
 * positive-definiteness certificate, rebuilt by each correlation write
 * (refresh_factor) for portfolio valuation (66 kB once a pair is set). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_internal.h"
#include "market_internal.h"
#include "math/kmath.h"

typedef struct asset_entry {
    char symbol[KEEL_SYMBOL_MAX + 1];
    double price;
    double volatility;
    double carry;
    double depth;
} asset_entry;

/* One correlation of assets a < b. */
typedef struct corr_entry {
    keel_asset a, b;
    double rho;
} corr_entry;

struct keel_market {
    uint32_t tag;
    double rate;
    size_t count, capacity;
    asset_entry *assets;
    keel_asset *by_symbol; /* ids sorted by symbol; same capacity as assets */
    size_t corr_count, corr_capacity;
    corr_entry *corr;      /* sorted by (a, b) */
    /* The correlations' factor, part of every correlation write (refresh_factor):
     * the dense matrix of the assets in some stored pair (when at most
     * FACTOR_MAX_ASSETS are), and whether every principal submatrix
     * of the market's correlations is certified positive definite by a margin
     * keel_cholesky_psd cannot miss (keel_market_correlations_certified). */
    double *factor;         /* FACTOR_MAX_ASSETS^2 dense, as much scratch, 64 doubles of
                             * scratch, then factor_ids; NULL until a correlation is set */
    keel_asset *factor_ids; /* the dense matrix's assets, increasing */
    size_t dense_n;
    bool dense_ok;          /* the dense matrix holds every stored correlation */
    bool certified;
    bool factor_disabled; /* tests only (keel_market_factor_disable): ignore both */
};

/* The factor is kept for up to this many correlated assets: a write costs
 * O(n^3) (about 0.2 ms at 64). */
#define FACTOR_MAX_ASSETS 64
/* The certificate's margin on the smallest eigenvalue (see refresh_factor). */
#define FACTOR_MARGIN 1e-6

#define CHECK_MARKET(m) KEEL_TRY(keel_check_handle((m), KEEL_TAG_MARKET, __func__, "market"))

size_t keel_market_size(const keel_market *market)
{
    return market->count;
}

double keel_market_price_unchecked(const keel_market *market, keel_asset asset)
{
    return market->assets[asset].price;
}

double keel_market_volatility_unchecked(const keel_market *market, keel_asset asset)
{
    return market->assets[asset].volatility;
}

void keel_market_set_volatility_unchecked(keel_market *market, keel_asset asset, double volatility)
{
    market->assets[asset].volatility = volatility;
}

double keel_market_depth_unchecked(const keel_market *market, keel_asset asset)
{
    return market->assets[asset].depth;
}

double keel_market_carry_unchecked(const keel_market *market, keel_asset asset)
{
    return market->assets[asset].carry;
}

double keel_market_rate_unchecked(const keel_market *market)
{
    return market->rate;
}

keel_status keel_market_check_asset(const keel_market *m, keel_asset asset, const char *fn)
{
    if (asset >= m->count)
        return keel_fail(KEEL_E_UNKNOWN_ASSET, "%s: asset id %u is not in the market (%zu assets)",
                         fn, (unsigned)asset, m->count);
    return KEEL_OK;
}

/* Tests only: 1 makes this market's readers ignore the factor (the path before it). */
void keel_market_factor_disable(keel_market *market, int disabled)
{
    market->factor_disabled = disabled != 0;
}

bool keel_market_correlations_certified(const keel_market *market)
{
    return market->certified && !market->factor_disabled;
}

/* Rebuilds the factor from the stored correlations (every write of them
 * ends here). The certificate: with A the correlations of the n assets in
 * some stored pair, keel_cholesky_psd's factor L of A and
 * lambda_min(A) >= 1 / trace(A^-1) = 1 / ||L^-1||_F^2 (A's eigenvalues are
 * positive; the bound holds for the matrix L L' exactly factors, within
 * n gamma_{n+1} <= 1e-12 of A, Higham, Accuracy and Stability, Thm 10.3).
 * Every principal submatrix B of the market's correlations is A's, or A's
 * bordered by uncorrelated assets (unit rows), so lambda_min(B) >=
 * min(1, lambda_min(A)) by Cauchy interlacing; Cholesky on a unit-diagonal
 * B of order m <= 2048 computes pivots within m gamma_{m+1} < 1e-9 of
 * B's exact ones (Higham Thm 10.3/10.7), and those are >= lambda_min(B). So
 * with lambda_min(A) >= 1e-6 every pivot keel_cholesky_psd computes on B
 * exceeds its tolerance 64 (m + 1) eps < 3e-11: its verdict is "PSD",
 * known here without it. Otherwise (or when n > FACTOR_MAX_ASSETS) nothing
 * is certified and readers check each submatrix as before. */
static void refresh_factor(keel_market *m)
{
    m->dense_n = 0;
    m->dense_ok = m->corr_count == 0;
    m->certified = m->corr_count == 0;
    if (m->corr_count == 0 || m->factor == NULL)
        return;
    keel_asset *ids = m->factor_ids;
    double *dense = m->factor, *l = dense + FACTOR_MAX_ASSETS * FACTOR_MAX_ASSETS;
    double *x = l + FACTOR_MAX_ASSETS * FACTOR_MAX_ASSETS;
    /* the assets in some pair, increasing: each pair's a (sorted), then b merged in */
    size_t n = 0;
    for (size_t e = 0; e < m->corr_count; e++) {
        keel_asset c[2] = { m->corr[e].a, m->corr[e].b };
        for (int t = 0; t < 2; t++) {
            size_t lo = 0, hi = n; /* insert c[t] into ids[0 .. n) unless present */
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (ids[mid] < c[t])
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo < n && ids[lo] == c[t])
                continue;
            if (n == FACTOR_MAX_ASSETS)
                return; /* too many: nothing kept, readers merge and check */
            memmove(ids + lo + 1, ids + lo, (n - lo) * sizeof *ids);
            ids[lo] = c[t];
            n++;
        }
    }
    keel_market_correlation_matrix(m, ids, n, dense); /* the merge: dense_ok is false */
    m->dense_n = n;
    m->dense_ok = true;
    if (!keel_cholesky_psd(n, dense, l))
        return;
    double trace = 0.0; /* ||L^-1||_F^2, column by column of L^-1 */
    for (size_t c = 0; c < n; c++) {
        if (!(l[c * n + c] > 0.0))
            return;
        for (size_t i = c; i < n; i++) {
            double sum = i == c ? 1.0 : 0.0;
            for (size_t k = c; k < i; k++)
                sum -= l[i * n + k] * x[k];
            x[i] = sum / l[i * n + i];
            trace += x[i] * x[i];
        }
    }
    m->certified = isfinite(trace) && 1.0 / trace >= 2.0 * FACTOR_MARGIN; /* twice: rounding */
}

/* The factor's storage, before a correlation write changes anything (so an
 * out-of-memory failure leaves the market as it was). */
static keel_status reserve_factor(keel_market *m, const char *fn)
{
    if (m->factor != NULL)
        return KEEL_OK;
    m->factor = keel_alloc_array(2 * FACTOR_MAX_ASSETS * FACTOR_MAX_ASSETS + 2 * FACTOR_MAX_ASSETS,
                                 sizeof *m->factor);
    if (m->factor == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    m->factor_ids = (keel_asset *)(void *)(m->factor + 2 * FACTOR_MAX_ASSETS * FACTOR_MAX_ASSETS +
                                           FACTOR_MAX_ASSETS);
    return KEEL_OK;
}

keel_status keel_market_new(keel_market **out)
{
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    keel_market *m = keel_handle_alloc(sizeof *m, KEEL_TAG_MARKET);
    if (m == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    m->certified = m->dense_ok = true; /* no correlations: the identity */
    *out = m;
    return KEEL_OK;
}

void keel_market_free(keel_market *market)
{
    if (!keel_handle_is(market, KEEL_TAG_MARKET))
        return;
    keel_dealloc(market->assets);
    keel_dealloc(market->by_symbol);
    keel_dealloc(market->corr);
    keel_dealloc(market->factor);
    keel_handle_release(market);
}

keel_status keel_market_copy(const keel_market *market, keel_market **out, const char *fn)
{
    keel_market *c = keel_handle_alloc(sizeof *c, KEEL_TAG_MARKET);
    if (c == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    c->rate = market->rate;
    if (market->count > 0) {
        c->assets = keel_alloc_array(market->count, sizeof *c->assets);
        c->by_symbol = keel_alloc_array(market->count, sizeof *c->by_symbol);
        if (c->assets == NULL || c->by_symbol == NULL)
            goto nomem;
        memcpy(c->assets, market->assets, market->count * sizeof *c->assets);
        memcpy(c->by_symbol, market->by_symbol, market->count * sizeof *c->by_symbol);
        c->count = c->capacity = market->count;
    }
    if (market->corr_count > 0) {
        c->corr = keel_alloc_array(market->corr_count, sizeof *c->corr);
        if (c->corr == NULL)
            goto nomem;
        memcpy(c->corr, market->corr, market->corr_count * sizeof *c->corr);
        c->corr_count = c->corr_capacity = market->corr_count;
        if (reserve_factor(c, fn) != KEEL_OK)
            goto nomem;
    }
    refresh_factor(c);
    *out = c;
    return KEEL_OK;
nomem:
    keel_market_free(c);
    return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
}

keel_status keel_market_clone(const keel_market *market, keel_market **out)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    return keel_market_copy(market, out, __func__);
}

/* Position in by_symbol where `symbol` is or would be inserted. */
static size_t symbol_slot(const keel_market *m, const char *symbol, bool *found)
{
    size_t lo = 0, hi = m->count;
    *found = false;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(m->assets[m->by_symbol[mid]].symbol, symbol);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Makes room for one more asset; both arrays grow together. */
static keel_status reserve_asset(keel_market *m, const char *fn)
{
    if (m->count < m->capacity)
        return KEEL_OK;
    if (m->count >= (size_t)KEEL_ASSET_INVALID)
        return keel_fail(KEEL_E_OVERFLOW, "%s: a market holds at most %u assets", fn,
                         (unsigned)KEEL_ASSET_INVALID);
    size_t cap = m->capacity ? m->capacity * 2 : 8;
    if (cap > (size_t)KEEL_ASSET_INVALID)
        cap = (size_t)KEEL_ASSET_INVALID;
    asset_entry *assets = keel_realloc_array(m->assets, cap, sizeof *assets);
    if (assets == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    m->assets = assets;
    keel_asset *index = keel_realloc_array(m->by_symbol, cap, sizeof *index);
    if (index == NULL)
        /* assets grew but count did not: the market is unchanged */
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    m->by_symbol = index;
    m->capacity = cap;
    return KEEL_OK;
}

keel_status keel_market_add_asset(keel_market *market, const char *symbol, double price,
                                  keel_asset *out_asset)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_check_symbol(symbol, __func__));
    KEEL_TRY(keel_check_positive(price, __func__, "price"));
    bool found;
    size_t slot = symbol_slot(market, symbol, &found);
    if (found)
        return keel_fail(KEEL_E_DUPLICATE, "%s: symbol \"%s\" is already asset %u", __func__,
                         symbol, (unsigned)market->by_symbol[slot]);
    KEEL_TRY(reserve_asset(market, __func__));

    keel_asset id = (keel_asset)market->count;
    asset_entry *e = &market->assets[id];
    memset(e, 0, sizeof *e);
    strcpy(e->symbol, symbol);
    e->price = price;
    e->depth = INFINITY;
    memmove(&market->by_symbol[slot + 1], &market->by_symbol[slot],
            (market->count - slot) * sizeof *market->by_symbol);
    market->by_symbol[slot] = id;
    market->count++;
    if (out_asset)
        *out_asset = id;
    return KEEL_OK;
}

keel_status keel_market_find(const keel_market *market, const char *symbol, keel_asset *out_asset)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_check_ptr(symbol, __func__, "symbol"));
    KEEL_TRY(keel_check_ptr(out_asset, __func__, "out_asset"));
    bool found;
    size_t slot = symbol_slot(market, symbol, &found);
    if (!found)
        return keel_fail(KEEL_E_NOT_FOUND, "%s: no asset has symbol \"%.*s\"", __func__,
                         KEEL_SYMBOL_MAX + 1, symbol);
    *out_asset = market->by_symbol[slot];
    return KEEL_OK;
}

keel_status keel_market_asset_count(const keel_market *market, size_t *out_count)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_check_ptr(out_count, __func__, "out_count"));
    *out_count = market->count;
    return KEEL_OK;
}

keel_status keel_market_symbol(const keel_market *market, keel_asset asset, char *buffer,
                               size_t buffer_size)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_market_check_asset(market, asset, __func__));
    KEEL_TRY(keel_check_ptr(buffer, __func__, "buffer"));
    size_t len = strlen(market->assets[asset].symbol);
    if (buffer_size < len + 1)
        return keel_fail(KEEL_E_BUFFER_TOO_SMALL, "%s: symbol needs %zu bytes, buffer has %zu",
                         __func__, len + 1, buffer_size);
    memcpy(buffer, market->assets[asset].symbol, len + 1);
    return KEEL_OK;
}

keel_status keel_market_set_price(keel_market *market, keel_asset asset, double price)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_market_check_asset(market, asset, __func__));
    KEEL_TRY(keel_check_positive(price, __func__, "price"));
    keel_market_set_price_unchecked(market, asset, price);
    return KEEL_OK;
}

keel_status keel_market_set_prices(keel_market *market, const double *prices, size_t count)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_check_ptr(prices, __func__, "prices"));
    if (count > market->count)
        return keel_fail(KEEL_E_UNKNOWN_ASSET, "%s: %zu prices for a market of %zu assets",
                         __func__, count, market->count);
    for (size_t i = 0; i < count; i++) {
        if (!isfinite(prices[i]))
            return keel_fail(KEEL_E_NOT_FINITE, "%s: prices[%zu] must be finite, got %g",
                             __func__, i, prices[i]);
        if (!(prices[i] > 0.0))
            return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: prices[%zu] must be > 0, got %g",
                             __func__, i, prices[i]);
    }
    for (size_t i = 0; i < count; i++)
        market->assets[i].price = prices[i];
    return KEEL_OK;
}

void keel_market_set_price_unchecked(keel_market *market, keel_asset asset, double price)
{
    market->assets[asset].price = price;
}

void keel_market_set_prices_unchecked(keel_market *market, const double *prices, size_t count)
{
    for (size_t i = 0; i < count; i++)
        market->assets[i].price = prices[i];
}

/* Shared shape of the per-asset getters. */
#define ASSET_GETTER(name, field)                                                        \
    keel_status keel_market_##name(const keel_market *market, keel_asset asset, double *out) \
    {                                                                                    \
        CHECK_MARKET(market);                                                            \
        KEEL_TRY(keel_market_check_asset(market, asset, __func__));                                  \
        KEEL_TRY(keel_check_ptr(out, __func__, "out"));                                  \
        *out = market->assets[asset].field;                                              \
        return KEEL_OK;                                                                  \
    }

ASSET_GETTER(price, price)
ASSET_GETTER(volatility, volatility)
ASSET_GETTER(carry, carry)
ASSET_GETTER(depth, depth)

keel_status keel_market_set_volatility(keel_market *market, keel_asset asset, double volatility)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_market_check_asset(market, asset, __func__));
    KEEL_TRY(keel_check_nonneg(volatility, __func__, "volatility"));
    market->assets[asset].volatility = volatility;
    return KEEL_OK;
}

keel_status keel_market_set_carry(keel_market *market, keel_asset asset, double carry)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_market_check_asset(market, asset, __func__));
    KEEL_TRY(keel_check_finite(carry, __func__, "carry"));
    market->assets[asset].carry = carry;
    return KEEL_OK;
}

keel_status keel_market_set_depth(keel_market *market, keel_asset asset, double depth)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_market_check_asset(market, asset, __func__));
    if (isnan(depth))
        return keel_fail(KEEL_E_NOT_FINITE, "%s: depth must not be NaN", __func__);
    if (!(depth > 0.0))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: depth must be > 0 (or +inf), got %g",
                         __func__, depth);
    market->assets[asset].depth = depth;
    return KEEL_OK;
}

keel_status keel_market_set_rate(keel_market *market, double rate)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_check_finite(rate, __func__, "rate"));
    market->rate = rate;
    return KEEL_OK;
}

keel_status keel_market_rate(const keel_market *market, double *out_rate)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_check_ptr(out_rate, __func__, "out_rate"));
    *out_rate = market->rate;
    return KEEL_OK;
}

/* Index in corr where pair (a < b) is or would be inserted. */
static size_t corr_slot(const keel_market *m, keel_asset a, keel_asset b, bool *found)
{
    size_t lo = 0, hi = m->corr_count;
    *found = false;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const corr_entry *e = &m->corr[mid];
        if (e->a == a && e->b == b) {
            *found = true;
            return mid;
        }
        if (e->a < a || (e->a == a && e->b < b))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

keel_status keel_market_set_correlation(keel_market *market, keel_asset a, keel_asset b,
                                        double rho)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_market_check_asset(market, a, __func__));
    KEEL_TRY(keel_market_check_asset(market, b, __func__));
    KEEL_TRY(keel_check_range(rho, -1.0, 1.0, __func__, "rho"));
    if (a == b) {
        if (rho != 1.0)
            return keel_fail(KEEL_E_OUT_OF_RANGE,
                             "%s: an asset's correlation with itself is 1, got %g", __func__, rho);
        return KEEL_OK;
    }
    if (a > b) {
        keel_asset t = a;
        a = b;
        b = t;
    }
    KEEL_TRY(reserve_factor(market, __func__));
    bool found;
    size_t slot = corr_slot(market, a, b, &found);
    if (found) {
        if (rho == 0.0) {
            memmove(&market->corr[slot], &market->corr[slot + 1],
                    (market->corr_count - slot - 1) * sizeof *market->corr);
            market->corr_count--;
        } else {
            market->corr[slot].rho = rho;
        }
        refresh_factor(market);
        return KEEL_OK;
    }
    if (rho == 0.0)
        return KEEL_OK;
    if (market->corr_count == market->corr_capacity) {
        size_t cap = market->corr_capacity ? market->corr_capacity * 2 : 8;
        corr_entry *grown = keel_realloc_array(market->corr, cap, sizeof *grown);
        if (grown == NULL)
            return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
        market->corr = grown;
        market->corr_capacity = cap;
    }
    memmove(&market->corr[slot + 1], &market->corr[slot],
            (market->corr_count - slot) * sizeof *market->corr);
    market->corr[slot] = (corr_entry){ a, b, rho };
    market->corr_count++;
    refresh_factor(market);
    return KEEL_OK;
}

/* A pair of the batch with its place in it, so that a later setting of the
 * same pair wins (as the same calls one by one would leave it). */
typedef struct corr_set {
    corr_entry e;
    size_t at;
} corr_set;

static int by_pair_then_place(const void *x, const void *y)
{
    const corr_set *p = x, *q = y;
    if (p->e.a != q->e.a)
        return p->e.a < q->e.a ? -1 : 1;
    if (p->e.b != q->e.b)
        return p->e.b < q->e.b ? -1 : 1;
    return p->at < q->at ? -1 : p->at > q->at;
}

keel_status keel_market_set_correlations(keel_market *market, size_t count,
                                         const keel_asset *a, const keel_asset *b,
                                         const double *rho)
{
    const char *fn = __func__;
    CHECK_MARKET(market);
    if (count == 0)
        return KEEL_OK;
    KEEL_TRY(keel_check_ptr(a, fn, "a"));
    KEEL_TRY(keel_check_ptr(b, fn, "b"));
    KEEL_TRY(keel_check_ptr(rho, fn, "rho"));
    for (size_t i = 0; i < count; i++) {
        if (a[i] >= market->count || b[i] >= market->count)
            return keel_fail(KEEL_E_UNKNOWN_ASSET,
                             "%s: pair %zu: asset %u of a market of %zu assets", fn, i,
                             (unsigned)(a[i] >= market->count ? a[i] : b[i]), market->count);
        if (!isfinite(rho[i]))
            return keel_fail(KEEL_E_NOT_FINITE, "%s: pair %zu: rho is %g", fn, i, rho[i]);
        if (!(rho[i] >= -1.0 && rho[i] <= 1.0))
            return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: pair %zu: rho %.17g is outside [-1, 1]",
                             fn, i, rho[i]);
        if (a[i] == b[i] && rho[i] != 1.0)
            return keel_fail(KEEL_E_OUT_OF_RANGE,
                             "%s: pair %zu: an asset's correlation with itself is 1, got %g", fn,
                             i, rho[i]);
    }
    if (count > SIZE_MAX / sizeof(corr_set) - market->corr_count)
        return keel_fail(KEEL_E_OVERFLOW, "%s: %zu pairs overflow", fn, count);
    KEEL_TRY(reserve_factor(market, fn));
    corr_set *batch = keel_alloc_array(count, sizeof *batch);
    corr_entry *merged = keel_alloc_array(market->corr_count + count, sizeof *merged);
    if (batch == NULL || merged == NULL) {
        keel_dealloc(batch);
        keel_dealloc(merged);
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory for %zu pairs", fn, count);
    }
    size_t k = 0;
    for (size_t i = 0; i < count; i++)
        if (a[i] != b[i])
            batch[k++] = (corr_set){ { a[i] < b[i] ? a[i] : b[i], a[i] < b[i] ? b[i] : a[i],
                                       rho[i] + 0.0 }, i };
    qsort(batch, k, sizeof *batch, by_pair_then_place);
    /* one merge of the store with the batch, each pair's last setting kept;
     * a correlation of 0 is not stored (as keel_market_set_correlation) */
    size_t i = 0, j = 0, n = 0;
    while (i < market->corr_count || j < k) {
        corr_entry e;
        if (j == k || (i < market->corr_count &&
                       (market->corr[i].a < batch[j].e.a ||
                        (market->corr[i].a == batch[j].e.a && market->corr[i].b < batch[j].e.b)))) {
            e = market->corr[i++];
        } else {
            while (j + 1 < k && batch[j + 1].e.a == batch[j].e.a && batch[j + 1].e.b == batch[j].e.b)
                j++;
            e = batch[j++].e;
            if (i < market->corr_count && market->corr[i].a == e.a && market->corr[i].b == e.b)
                i++; /* replaced */
        }
        if (e.rho != 0.0)
            merged[n++] = e;
    }
    keel_dealloc(batch);
    keel_dealloc(market->corr);
    market->corr = merged;
    market->corr_capacity = market->corr_count + count; /* merged's size: the old count */
    market->corr_count = n;
    refresh_factor(market);
    return KEEL_OK;
}

keel_status keel_market_correlation(const keel_market *market, keel_asset a, keel_asset b,
                                    double *out_rho)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_market_check_asset(market, a, __func__));
    KEEL_TRY(keel_market_check_asset(market, b, __func__));
    KEEL_TRY(keel_check_ptr(out_rho, __func__, "out_rho"));
    *out_rho = keel_market_correlation_unchecked(market, a, b);
    return KEEL_OK;
}

double keel_market_correlation_unchecked(const keel_market *market, keel_asset a, keel_asset b)
{
    if (a == b)
        return 1.0;
    bool found;
    size_t slot = corr_slot(market, a < b ? a : b, a < b ? b : a, &found);
    return found ? market->corr[slot].rho : 0.0;
}

void keel_market_correlation_matrix(const keel_market *market, const keel_asset *ids, size_t m,
                                    double *rho)
{
    enum { POS = 256 };
    if (!market->factor_disabled && market->dense_ok && m <= POS) {
        /* gathered from the dense matrix the last write built by the merge
         * below (ids and its assets both increasing: one walk finds rows) */
        const double *d = market->factor;
        const keel_asset *fid = market->factor_ids;
        size_t dn = market->dense_n;
        int32_t pos[POS];
        for (size_t i = 0, at = 0; i < m; i++) {
            while (at < dn && fid[at] < ids[i])
                at++;
            pos[i] = at < dn && fid[at] == ids[i] ? (int32_t)at : -1;
        }
        for (size_t i = 0; i < m; i++) {
            rho[i * m + i] = 1.0;
            int32_t pi = pos[i];
            for (size_t j = i + 1; j < m; j++) {
                int32_t pj = pos[j];
                double r = pi >= 0 && pj >= 0 ? d[(size_t)pi * dn + (size_t)pj] : 0.0;
                rho[i * m + j] = rho[j * m + i] = r;
            }
        }
        return;
    }
    for (size_t i = 0; i < m; i++) {
        rho[i * m + i] = 1.0;
        bool found;
        /* first stored pair (ids[i], b) with b > ids[i] */
        size_t e = corr_slot(market, ids[i], ids[i], &found);
        size_t j = i + 1;
        while (j < m) {
            if (e < market->corr_count && market->corr[e].a == ids[i] && market->corr[e].b < ids[j]) {
                e++;
                continue;
            }
            double r = 0.0;
            if (e < market->corr_count && market->corr[e].a == ids[i] && market->corr[e].b == ids[j])
                r = market->corr[e].rho;
            rho[i * m + j] = rho[j * m + i] = r;
            j++;
        }
    }
}

uint64_t keel_market_fingerprint(const keel_market *m, uint64_t h)
{
    h = keel_hash_double(h, m->rate);
    h = keel_hash_word(h, m->count);
    for (size_t i = 0; i < m->count; i++) {
        const asset_entry *a = &m->assets[i];
        h = keel_hash_double(h, a->price);
        h = keel_hash_double(h, a->volatility);
        h = keel_hash_double(h, a->carry);
        h = keel_hash_double(h, a->depth);
    }
    for (size_t k = 0; k < m->corr_count; k++) {
        h = keel_hash_word(h, ((uint64_t)m->corr[k].a << 32) | m->corr[k].b);
        h = keel_hash_double(h, m->corr[k].rho);
    }
    return h;
}

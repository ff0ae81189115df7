/* keel_options: a book of European option positions, valued from a market,
 * with aggregate greeks and a SPAN-shaped scenario margin. */
#include <math.h>
#include <string.h>

#include "bs.h"
#include "core/core_internal.h"
#include "market/market_internal.h"
#include "options_internal.h"

#define MAX_SCENARIOS 1024

typedef struct position {
    uint32_t id;
    keel_asset underlying;
    keel_option_type type;
    double strike, expiry, quantity;
    bool has_vol;
    double vol;
} position;

struct keel_options {
    uint32_t tag;
    uint32_t next_id;
    size_t count, capacity;
    position *pos;        /* sorted by id (ids only grow) */
    double horizon_days, price_sigmas, vol_scan;
    size_t scenario_count;
    keel_scenario *scenarios; /* NULL: SPAN's sixteen */
};

/* CME SPAN's sixteen risk scenarios: price move in ranges, volatility move,
 * fraction of the loss counted. */
static const keel_scenario SPAN16[16] = {
    { 0, 1, 1 }, { 0, -1, 1 },
    { 1.0 / 3, 1, 1 }, { 1.0 / 3, -1, 1 }, { -1.0 / 3, 1, 1 }, { -1.0 / 3, -1, 1 },
    { 2.0 / 3, 1, 1 }, { 2.0 / 3, -1, 1 }, { -2.0 / 3, 1, 1 }, { -2.0 / 3, -1, 1 },
    { 1, 1, 1 }, { 1, -1, 1 }, { -1, 1, 1 }, { -1, -1, 1 },
    { 2, 0, 0.35 }, { -2, 0, 0.35 },
};

#define CHECK_BOOK(o) KEEL_TRY(keel_check_handle((o), KEEL_TAG_OPTIONS, __func__, "options"))

keel_status keel_options_new(keel_options **out)
{
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    keel_options *o = keel_handle_alloc(sizeof *o, KEEL_TAG_OPTIONS);
    if (o == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    o->next_id = 1;
    o->horizon_days = 1.0;
    o->price_sigmas = 3.0;
    o->vol_scan = 0.25;
    *out = o;
    return KEEL_OK;
}

void keel_options_free(keel_options *options)
{
    if (!keel_handle_is(options, KEEL_TAG_OPTIONS))
        return;
    keel_dealloc(options->pos);
    keel_dealloc(options->scenarios);
    keel_handle_release(options);
}

keel_status keel_options_copy(const keel_options *options, keel_options **out, const char *fn)
{
    keel_options *c = keel_handle_alloc(sizeof *c, KEEL_TAG_OPTIONS);
    if (c == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    uint32_t tag = c->tag;
    *c = *options;
    c->tag = tag;
    c->pos = NULL;
    c->scenarios = NULL;
    c->capacity = c->count = 0;
    if (options->count > 0) {
        c->pos = keel_alloc_array(options->count, sizeof *c->pos);
        if (c->pos == NULL)
            goto nomem;
        memcpy(c->pos, options->pos, options->count * sizeof *c->pos);
        c->count = c->capacity = options->count;
    }
    if (options->scenarios != NULL) {
        c->scenarios = keel_alloc_array(options->scenario_count, sizeof *c->scenarios);
        if (c->scenarios == NULL)
            goto nomem;
        memcpy(c->scenarios, options->scenarios, options->scenario_count * sizeof *c->scenarios);
    }
    *out = c;
    return KEEL_OK;
nomem:
    keel_options_free(c);
    return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
}

keel_status keel_options_clone(const keel_options *options, keel_options **out)
{
    CHECK_BOOK(options);
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    return keel_options_copy(options, out, __func__);
}

static position *find(const keel_options *o, uint32_t id, size_t *slot)
{
    size_t lo = 0, hi = o->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (o->pos[mid].id == id) {
            if (slot)
                *slot = mid;
            return &o->pos[mid];
        }
        if (o->pos[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static keel_status lookup(const keel_options *o, uint32_t id, position **p, const char *fn)
{
    *p = find(o, id, NULL);
    if (*p == NULL)
        return keel_fail(KEEL_E_NOT_FOUND, "%s: the book has no position %u", fn, (unsigned)id);
    return KEEL_OK;
}

keel_status keel_options_add(keel_options *options, keel_asset underlying, keel_option_type type,
                             double strike, double expiry, double quantity, uint32_t *out_id)
{
    CHECK_BOOK(options);
    if (underlying == KEEL_ASSET_INVALID)
        return keel_fail(KEEL_E_UNKNOWN_ASSET, "%s: KEEL_ASSET_INVALID is not an asset", __func__);
    if (type != KEEL_CALL && type != KEEL_PUT)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: option type must be KEEL_CALL or KEEL_PUT, got %d",
                         __func__, (int)type);
    KEEL_TRY(keel_check_positive(strike, __func__, "strike"));
    KEEL_TRY(keel_check_nonneg(expiry, __func__, "expiry"));
    KEEL_TRY(keel_check_finite(quantity, __func__, "quantity"));
    if (options->next_id == UINT32_MAX)
        return keel_fail(KEEL_E_OVERFLOW, "%s: the book has used every position id", __func__);
    if (options->count == options->capacity) {
        size_t cap = options->capacity ? options->capacity * 2 : 8;
        position *grown = keel_realloc_array(options->pos, cap, sizeof *grown);
        if (grown == NULL)
            return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
        options->pos = grown;
        options->capacity = cap;
    }
    uint32_t id = options->next_id++;
    options->pos[options->count++] =
        (position){ .id = id, .underlying = underlying, .type = type, .strike = strike,
                    .expiry = expiry + 0.0, .quantity = quantity + 0.0, .has_vol = false,
                    .vol = 0.0 };
    if (out_id)
        *out_id = id;
    return KEEL_OK;
}

keel_status keel_options_set_quantity(keel_options *options, uint32_t id, double quantity)
{
    CHECK_BOOK(options);
    position *p;
    KEEL_TRY(lookup(options, id, &p, __func__));
    KEEL_TRY(keel_check_finite(quantity, __func__, "quantity"));
    p->quantity = quantity + 0.0;
    return KEEL_OK;
}

keel_status keel_options_set_expiry(keel_options *options, uint32_t id, double expiry)
{
    CHECK_BOOK(options);
    position *p;
    KEEL_TRY(lookup(options, id, &p, __func__));
    KEEL_TRY(keel_check_nonneg(expiry, __func__, "expiry"));
    p->expiry = expiry + 0.0;
    return KEEL_OK;
}

void keel_options_expiries(const keel_options *options, double *out)
{
    for (size_t i = 0; i < options->count; i++)
        out[i] = options->pos[i].expiry;
}

void keel_options_age(keel_options *options, const double *expiry0, double elapsed)
{
    for (size_t i = 0; i < options->count; i++)
        options->pos[i].expiry = fmax(0.0, expiry0[i] - elapsed) + 0.0;
}

keel_status keel_options_set_volatility(keel_options *options, uint32_t id, double volatility)
{
    CHECK_BOOK(options);
    position *p;
    KEEL_TRY(lookup(options, id, &p, __func__));
    KEEL_TRY(keel_check_nonneg(volatility, __func__, "volatility"));
    p->has_vol = true;
    p->vol = volatility + 0.0;
    return KEEL_OK;
}

keel_status keel_options_clear_volatility(keel_options *options, uint32_t id)
{
    CHECK_BOOK(options);
    position *p;
    KEEL_TRY(lookup(options, id, &p, __func__));
    p->has_vol = false;
    p->vol = 0.0;
    return KEEL_OK;
}

keel_status keel_options_remove(keel_options *options, uint32_t id)
{
    CHECK_BOOK(options);
    size_t slot = 0;
    if (find(options, id, &slot) == NULL)
        return keel_fail(KEEL_E_NOT_FOUND, "%s: the book has no position %u", __func__, (unsigned)id);
    memmove(&options->pos[slot], &options->pos[slot + 1],
            (options->count - slot - 1) * sizeof *options->pos);
    options->count--;
    return KEEL_OK;
}

keel_status keel_options_count(const keel_options *options, size_t *out_count)
{
    CHECK_BOOK(options);
    KEEL_TRY(keel_check_ptr(out_count, __func__, "out_count"));
    *out_count = options->count;
    return KEEL_OK;
}

size_t keel_options_size(const keel_options *options)
{
    return options->count;
}

void keel_options_at(const keel_options *options, size_t index, keel_option_position *out)
{
    const position *p = &options->pos[index];
    memset(out, 0, sizeof *out); /* padding too: callers may compare bytes */
    out->size = sizeof *out;
    out->id = p->id;
    out->underlying = p->underlying;
    out->type = p->type;
    out->strike = p->strike;
    out->expiry = p->expiry;
    out->quantity = p->quantity;
    out->has_volatility = p->has_vol ? 1 : 0;
    out->volatility = p->vol;
}

keel_status keel_options_position(const keel_options *options, size_t index,
                                  keel_option_position *out)
{
    CHECK_BOOK(options);
    KEEL_TRY(keel_check_sized(out, __func__, "out", "keel_option_position"));
    if (index >= options->count)
        return keel_fail(KEEL_E_NOT_FOUND, "%s: index %zu, the book has %zu positions", __func__,
                         index, options->count);
    keel_option_position full;
    keel_options_at(options, index, &full);
    keel_write_sized(out, &full, sizeof full);
    return KEEL_OK;
}

KEEL_DEFINE_PARAMS_INIT(keel_margin_params, KEEL_MARGIN_PARAMS_INIT)

keel_status keel_options_set_margin_params(keel_options *options, const keel_margin_params *params)
{
    CHECK_BOOK(options);
    keel_margin_params p = KEEL_MARGIN_PARAMS_INIT;
    if (params != NULL) {
        KEEL_TRY(keel_check_sized(params, __func__, "params", "keel_margin_params"));
        keel_read_sized(&p, sizeof p, params);
    }
    KEEL_TRY(keel_check_positive(p.horizon_days, __func__, "horizon_days"));
    KEEL_TRY(keel_check_positive(p.price_sigmas, __func__, "price_sigmas"));
    KEEL_TRY(keel_check_nonneg(p.vol_scan, __func__, "vol_scan"));
    if ((p.scenarios == NULL) != (p.scenario_count == 0))
        return keel_fail(p.scenarios == NULL ? KEEL_E_NULL_ARG : KEEL_E_OUT_OF_RANGE,
                         "%s: scenarios and scenario_count must be given together", __func__);
    if (p.scenario_count > MAX_SCENARIOS)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: at most %d scenarios, got %zu", __func__,
                         MAX_SCENARIOS, p.scenario_count);
    for (size_t i = 0; i < p.scenario_count; i++) {
        KEEL_TRY(keel_check_finite(p.scenarios[i].price_move, __func__, "scenario price_move"));
        KEEL_TRY(keel_check_finite(p.scenarios[i].vol_move, __func__, "scenario vol_move"));
        KEEL_TRY(keel_check_range(p.scenarios[i].cover, 0.0, 1.0, __func__, "scenario cover"));
    }
    keel_scenario *copy = NULL;
    if (p.scenario_count > 0) {
        copy = keel_alloc_array(p.scenario_count, sizeof *copy);
        if (copy == NULL)
            return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
        memcpy(copy, p.scenarios, p.scenario_count * sizeof *copy);
    }
    keel_dealloc(options->scenarios);
    options->scenarios = copy;
    options->scenario_count = p.scenario_count;
    options->horizon_days = p.horizon_days;
    options->price_sigmas = p.price_sigmas;
    options->vol_scan = p.vol_scan;
    return KEEL_OK;
}

/* ---- valuation ---- */

static keel_status check_underlyings(const keel_options *o, const keel_market *m, const char *fn)
{
    size_t n = keel_market_size(m);
    for (size_t i = 0; i < o->count; i++)
        if (o->pos[i].underlying >= n)
            return keel_fail(KEEL_E_UNKNOWN_ASSET,
                             "%s: position %u is on asset id %u, the market has %zu assets", fn,
                             (unsigned)o->pos[i].id, (unsigned)o->pos[i].underlying, n);
    return KEEL_OK;
}

/* Greeks of one position (per unit) at price s, with volatility scaled by
 * vol_factor and expiry shortened by dt years. */
static void position_greeks(const position *p, const keel_market *m, double s, double vol_factor,
                            double dt, keel_greeks_v *g)
{
    double vol = p->has_vol ? p->vol : keel_market_volatility_unchecked(m, p->underlying);
    double q = keel_market_carry_unchecked(m, p->underlying);
    double r = keel_market_rate_unchecked(m);
    double t = p->expiry > dt ? p->expiry - dt : 0.0;
    keel_bsm(p->type == KEEL_PUT, s, p->strike, t, r, q, vol * vol_factor, g);
}

static double spot_of(const keel_market *m, keel_asset a, keel_asset override_asset,
                      double override_price)
{
    return a == override_asset ? override_price : keel_market_price_unchecked(m, a);
}

static keel_status finite_or_overflow(double x, const char *fn)
{
    if (!isfinite(x))
        return keel_fail(KEEL_E_OVERFLOW, "%s: the book's value is beyond double range", fn);
    return KEEL_OK;
}

keel_status keel_options_account(const keel_options *o, const keel_market *m,
                                 keel_asset override_asset, double override_price, double *value,
                                 double *margin, keel_margin_result *detail, const char *fn)
{
    KEEL_TRY(check_underlyings(o, m, fn));
    const keel_scenario *grid = o->scenarios ? o->scenarios : SPAN16;
    size_t ns = o->scenarios ? o->scenario_count : 16;
    double h = o->horizon_days / KEEL_DAYS_PER_YEAR;
    double total_value = 0.0, total_margin = 0.0;
    keel_asset worst_u = KEEL_ASSET_INVALID;
    size_t worst_k = 0;
    double worst_loss = 0.0;
    /* positions are visited per underlying: each one not seen before starts a group */
    for (size_t i = 0; i < o->count; i++) {
        keel_asset u = o->pos[i].underlying;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = o->pos[j].underlying == u;
        if (seen)
            continue;
        double s = spot_of(m, u, override_asset, override_price);
        double range = o->price_sigmas * keel_market_volatility_unchecked(m, u) * sqrt(h);
        double base = 0.0;
        for (size_t j = i; j < o->count; j++) {
            if (o->pos[j].underlying != u)
                continue;
            keel_greeks_v g;
            position_greeks(&o->pos[j], m, s, 1.0, 0.0, &g);
            base += o->pos[j].quantity * g.value;
        }
        double group_margin = 0.0;
        size_t group_k = 0;
        for (size_t k = 0; k < ns; k++) {
            double sk = s * exp(grid[k].price_move * range);
            double vf = fmax(0.0, 1.0 + grid[k].vol_move * o->vol_scan);
            double v = 0.0;
            for (size_t j = i; j < o->count; j++) {
                if (o->pos[j].underlying != u)
                    continue;
                keel_greeks_v g;
                position_greeks(&o->pos[j], m, sk, vf, h, &g);
                v += o->pos[j].quantity * g.value;
            }
            double loss = grid[k].cover * (base - v);
            if (loss > group_margin) {
                group_margin = loss;
                group_k = k;
            }
        }
        total_value += base;
        total_margin += group_margin;
        if (worst_u == KEEL_ASSET_INVALID || group_margin > worst_loss) {
            worst_u = u;
            worst_k = group_k;
            worst_loss = group_margin;
        }
    }
    KEEL_TRY(finite_or_overflow(total_value, fn));
    KEEL_TRY(finite_or_overflow(total_margin, fn));
    *value = total_value;
    *margin = total_margin;
    if (detail) {
        detail->margin = total_margin;
        detail->value = total_value;
        detail->worst_underlying = worst_u;
        detail->worst_scenario = worst_k;
        detail->worst_loss = worst_loss;
    }
    return KEEL_OK;
}

keel_status keel_options_delta_gamma(const keel_options *o, const keel_market *m,
                                     keel_asset underlying, double *delta, double *gamma,
                                     const char *fn)
{
    KEEL_TRY(check_underlyings(o, m, fn));
    double d = 0.0, gm = 0.0;
    for (size_t i = 0; i < o->count; i++) {
        if (o->pos[i].underlying != underlying)
            continue;
        keel_greeks_v g;
        position_greeks(&o->pos[i], m, keel_market_price_unchecked(m, underlying), 1.0, 0.0, &g);
        d += o->pos[i].quantity * g.delta;
        gm += o->pos[i].quantity * g.gamma;
    }
    *delta = d;
    *gamma = gm;
    return KEEL_OK;
}

#define CHECK_MARKET(m) KEEL_TRY(keel_check_handle((m), KEEL_TAG_MARKET, __func__, "market"))

keel_status keel_options_value(const keel_options *options, const keel_market *market,
                               double *out_value)
{
    CHECK_BOOK(options);
    CHECK_MARKET(market);
    KEEL_TRY(keel_check_ptr(out_value, __func__, "out_value"));
    KEEL_TRY(check_underlyings(options, market, __func__));
    double v = 0.0;
    for (size_t i = 0; i < options->count; i++) {
        const position *p = &options->pos[i];
        keel_greeks_v g;
        position_greeks(p, market, keel_market_price_unchecked(market, p->underlying), 1.0, 0.0, &g);
        v += p->quantity * g.value;
    }
    KEEL_TRY(finite_or_overflow(v, __func__));
    *out_value = v;
    return KEEL_OK;
}

keel_status keel_options_greeks(const keel_options *options, const keel_market *market,
                                keel_asset underlying, keel_greeks *out)
{
    CHECK_BOOK(options);
    CHECK_MARKET(market);
    KEEL_TRY(keel_check_sized(out, __func__, "out", "keel_greeks"));
    KEEL_TRY(keel_market_check_asset(market, underlying, __func__));
    KEEL_TRY(check_underlyings(options, market, __func__));
    keel_greeks_v sum = { 0 };
    double *acc = &sum.value;
    for (size_t i = 0; i < options->count; i++) {
        const position *p = &options->pos[i];
        if (p->underlying != underlying)
            continue;
        keel_greeks_v g;
        position_greeks(p, market, keel_market_price_unchecked(market, underlying), 1.0, 0.0, &g);
        const double *v = &g.value;
        for (int j = 0; j < 10; j++)
            acc[j] += p->quantity * v[j];
    }
    static const char *const names[10] = { "value", "delta", "gamma", "vega", "theta", "rho",
                                           "dividend rho", "vanna", "volga", "charm" };
    for (int j = 0; j < 10; j++)
        if (!isfinite(acc[j]))
            return keel_fail(KEEL_E_OVERFLOW,
                             "%s: the book's %s is beyond double range (or infinite as its limit: "
                             "a position at the strike with no volatility or time left)",
                             __func__, names[j]);
    keel_greeks full = KEEL_GREEKS_INIT;
    memcpy(&full.value, &sum, sizeof sum);
    keel_write_sized(out, &full, sizeof full);
    return KEEL_OK;
}

keel_status keel_options_scenario_margin(const keel_options *options, const keel_market *market,
                                         keel_margin_result *out)
{
    CHECK_BOOK(options);
    CHECK_MARKET(market);
    KEEL_TRY(keel_check_sized(out, __func__, "out", "keel_margin_result"));
    keel_margin_result r = KEEL_MARGIN_RESULT_INIT;
    double value, margin;
    KEEL_TRY(keel_options_account(options, market, KEEL_ASSET_INVALID, 0.0, &value, &margin, &r,
                                  __func__));
    keel_write_sized(out, &r, sizeof r);
    return KEEL_OK;
}

uint64_t keel_options_fingerprint(const keel_options *o, uint64_t h)
{
    h = keel_hash_double(h, o->horizon_days);
    h = keel_hash_double(h, o->price_sigmas);
    h = keel_hash_double(h, o->vol_scan);
    h = keel_hash_word(h, o->scenario_count);
    for (size_t k = 0; k < o->scenario_count; k++) {
        h = keel_hash_double(h, o->scenarios[k].price_move);
        h = keel_hash_double(h, o->scenarios[k].vol_move);
        h = keel_hash_double(h, o->scenarios[k].cover);
    }
    /* the positions as a set: a sum of their own fingerprints, so that the
     * same book entered in another order gives the same value */
    uint64_t set = 0;
    for (size_t i = 0; i < o->count; i++) {
        const position *q = &o->pos[i];
        uint64_t f = keel_hash_word(KEEL_HASH_INIT, ((uint64_t)q->underlying << 32) | (uint64_t)q->type);
        f = keel_hash_double(f, q->strike);
        f = keel_hash_double(f, q->expiry);
        f = keel_hash_double(f, q->quantity);
        f = keel_hash_double(f, q->has_vol ? q->vol : -1.0);
        set += f;
    }
    h = keel_hash_word(h, o->count);
    return keel_hash_word(h, set);
}

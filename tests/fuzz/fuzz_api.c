/* libFuzzer harness: turns bytes into a sequence of keel API calls on every
 * handle type, with hostile numbers (NaN, infinities, denormals, 1e308,
 * negative zero) and invalid ids, and checks what a caller relies on:
 * statuses are valid codes, a failed call leaves its outputs untouched, a
 * successful valuation never returns NaN, and nothing crashes or leaks.
 * Built with -fsanitize=fuzzer by scripts/fuzz.sh; tests/fuzz/replay.c runs
 * the corpus in every test run. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keel.h"

#define SLOTS 3

typedef struct reader {
    const uint8_t *p;
    size_t n;
} reader;

static uint8_t u8(reader *r)
{
    if (r->n == 0)
        return 0;
    r->n--;
    return *r->p++;
}

static double number(reader *r)
{
    static const double table[] = {
        NAN, INFINITY, -INFINITY, 5e-324, -5e-324, 1e308, -1e308, -0.0, 0.0, 1.0, -1.0,
        0.5, 0.99, 0.2, 0.17, 2000.0, 1e-300, 1.5, 1e6, 0.01, 100.0, 1e-9, 3.0, 0.08,
    };
    uint8_t k = u8(r);
    if (k < 200)
        return table[k % (sizeof table / sizeof table[0])];
    double d = 0.0;
    uint8_t raw[8] = { 0 };
    for (int i = 0; i < 8; i++)
        raw[i] = u8(r);
    memcpy(&d, raw, sizeof d);
    return d;
}

static keel_asset asset_id(reader *r)
{
    uint8_t k = u8(r);
    if (k == 255)
        return KEEL_ASSET_INVALID;
    if (k == 254)
        return 1000000u;
    return k % 8;
}

static void check_status(keel_status s)
{
    if ((int)s < 0 || (int)s > KEEL_E_ARBITRAGE)
        abort();
    if (s != KEEL_OK && keel_last_error()[0] == '\0')
        abort();
}

#define CALL(expr) check_status(expr)

typedef struct state {
    keel_market *m[SLOTS];
    keel_basket *b[SLOTS];
    keel_haircut_model *h[SLOTS];
    keel_options *o[SLOTS];
    keel_cost_model *c[SLOTS];
    keel_ewma ewma;
    keel_garch garch;
    keel_aave_market *am[SLOTS];
    keel_aave_account *aa[SLOTS];
    keel_comet_market *cm[SLOTS];
    keel_comet_account *ca[SLOTS];
    keel_morpho_market *mm[SLOTS];
} state;

/* A handle argument: mostly a live one (maybe NULL), sometimes a handle of
 * another type to probe the tags. */
static const void *pick(reader *r, void *const *slots, const state *st)
{
    uint8_t k = u8(r);
    if (k == 250)
        return st->b[0] ? (const void *)st->b[0] : (const void *)st->h[0];
    if (k == 251)
        return st->m[0] ? (const void *)st->m[0] : (const void *)st->h[0];
    return slots[k % SLOTS];
}

#define MARKET(r) ((keel_market *)(uintptr_t)pick(r, (void *const *)st->m, st))
#define BASKET(r) ((keel_basket *)(uintptr_t)pick(r, (void *const *)st->b, st))
#define HAIRCUT(r) ((keel_haircut_model *)(uintptr_t)pick(r, (void *const *)st->h, st))
#define BOOK(r) ((keel_options *)(uintptr_t)pick(r, (void *const *)st->o, st))
#define COSTS(r) ((keel_cost_model *)(uintptr_t)pick(r, (void *const *)st->c, st))

static void value(state *st, reader *r)
{
    const keel_basket *b = BASKET(r);
    const keel_market *m = MARKET(r);
    const keel_haircut_model *h = HAIRCUT(r);
    const keel_options *o = u8(r) & 1 ? BOOK(r) : NULL;
    keel_metrics met = KEEL_METRICS_INIT;
    met.health_factor = 12345.0;
    keel_status s = keel_basket_metrics(b, o, m, h, &met);
    check_status(s);
    if (s == KEEL_OK) {
        const double *f = &met.collateral_value;
        for (int i = 0; i < 13; i++)
            if (isnan(f[i]))
                abort();
    } else if (met.health_factor != 12345.0) {
        abort(); /* a failed call wrote its output */
    }
    double p = -3.0;
    keel_liquidation_side side = KEEL_LIQ_NEVER;
    s = keel_basket_liquidation_price(b, o, m, h, asset_id(r), &p, &side);
    check_status(s);
    if (s == KEEL_OK && !(p >= 0.0 && p < INFINITY))
        abort();
    if (s != KEEL_OK && p != -3.0)
        abort();
    keel_haircut_components c = KEEL_HAIRCUT_COMPONENTS_INIT;
    s = keel_haircut_breakdown(h, b, m, asset_id(r), &c);
    check_status(s);
    if (s == KEEL_OK && (isnan(c.maintenance) || c.maintenance > 1.0 || c.maintenance < 0.0))
        abort();
    double lo = -1, hi = -1;
    s = keel_basket_liquidation_prices(b, o, m, h, asset_id(r), &lo, &hi);
    check_status(s);
    if (s == KEEL_OK && !(lo >= 0.0 && hi > 0.0 && !isnan(hi)))
        abort();
    double full, approx;
    check_status(keel_basket_pnl(b, o, m, asset_id(r), number(r), &full, &approx));
    double d1, d2;
    check_status(keel_basket_health_sensitivity(b, o, m, h, asset_id(r), &d1, &d2));
    if (o != NULL) {
        keel_margin_result mr = KEEL_MARGIN_RESULT_INIT;
        s = keel_options_scenario_margin(o, m, &mr);
        check_status(s);
        if (s == KEEL_OK && !(mr.margin >= 0.0 && isfinite(mr.margin)))
            abort();
    }
}

/* A 256-bit value: small, near a power of two, the maximum, or raw bytes. */
static keel_u256 big(reader *r)
{
    keel_u256 v = keel_u256_from_u64(0);
    uint8_t k = u8(r);
    switch (k % 6) {
    case 0: v = keel_u256_from_u64(k); break;
    case 1: v = keel_u256_max(); break;
    case 2: v.w[u8(r) % 4] = (uint64_t)1 << (u8(r) % 64); break;
    case 3: v = keel_u256_from_u64(1000000000000000000ull * (1 + u8(r) % 100)); break;
    default:
        for (int i = 0; i < 2 + (k & 2); i++) {
            uint64_t w = 0;
            for (int b = 0; b < 8; b++)
                w = (w << 8) | u8(r);
            v.w[i] = w;
        }
    }
    return v;
}

/* What a protocol's bridge to keel returned: on success three objects keel
 * values, on failure none; freed here. */
static void bridged(keel_status s, keel_market *km, keel_basket *kb, keel_haircut_model *kh)
{
    check_status(s);
    if (s == KEEL_OK) {
        keel_metrics met = KEEL_METRICS_INIT;
        check_status(keel_basket_metrics(kb, NULL, km, kh, &met));
    } else if (km != NULL || kb != NULL || kh != NULL) {
        abort(); /* a failure handed out handles */
    }
    keel_market_free(km);
    keel_basket_free(kb);
    keel_haircut_model_free(kh);
}

#define AMARKET(r) ((keel_aave_market *)(uintptr_t)pick(r, (void *const *)st->am, st))
#define AACCOUNT(r) ((keel_aave_account *)(uintptr_t)pick(r, (void *const *)st->aa, st))

/* The Aave layer and keel_u256: hostile parameters, amounts and ids, and the
 * invariants of every answer. */
static void aave_step(state *st, reader *r)
{
    uint8_t op = u8(r) % 14, slot = u8(r) % SLOTS;
    keel_status s;
    switch (op) {
    case 0: {
        static const int versions[4] = { 340, 350, 360, 330 };
        if (!st->am[slot])
            CALL(keel_aave_market_new((keel_aave_version)versions[u8(r) % 4], &st->am[slot]));
        break;
    }
    case 1: {
        keel_aave_reserve rv = KEEL_AAVE_RESERVE_INIT;
        rv.decimals = u8(r) % 40;
        rv.ltv = (uint32_t)u8(r) * 40;
        rv.liquidation_threshold = (uint32_t)u8(r) * 40;
        rv.liquidation_bonus = 9900 + (uint32_t)u8(r) * 4;
        rv.liquidation_protocol_fee = (uint32_t)u8(r) * 40;
        rv.flags = u8(r) & 0x3f;
        rv.price = big(r);
        if (u8(r) & 1)
            rv.liquidity_index = big(r);
        if (u8(r) & 1)
            rv.variable_borrow_index = big(r);
        rv.variable_borrow_rate = big(r);
        rv.liquidity_rate = big(r);
        rv.debt_ceiling = u8(r) & 1 ? big(r) : keel_u256_from_u64(0);
        char sym[8] = { 'R', (char)('A' + u8(r) % 26), (char)('A' + u8(r) % 26), 0 };
        uint32_t id = 77;
        s = keel_aave_market_add_reserve(AMARKET(r), sym, &rv, &id);
        check_status(s);
        if (s != KEEL_OK && id != 77)
            abort();
        break;
    }
    case 2: {
        keel_aave_emode e = KEEL_AAVE_EMODE_INIT;
        e.ltv = (uint32_t)u8(r) * 40, e.liquidation_threshold = (uint32_t)u8(r) * 40;
        e.liquidation_bonus = 9900 + (uint32_t)u8(r) * 4;
        e.collateral_bitmap[0] = u8(r), e.borrowable_bitmap[0] = u8(r);
        e.ltvzero_bitmap[u8(r) & 1] = u8(r);
        CALL(keel_aave_market_set_emode(AMARKET(r), u8(r), &e));
        break;
    }
    case 3: CALL(keel_aave_market_set_price(AMARKET(r), u8(r) % 10, big(r))); break;
    case 4: CALL(keel_aave_market_accrue(AMARKET(r), (uint64_t)u8(r) << (u8(r) % 40))); break;
    case 5:
        if (!st->aa[slot])
            CALL(keel_aave_account_new(&st->aa[slot]));
        break;
    case 6: CALL(keel_aave_account_set_position(AACCOUNT(r), AMARKET(r), u8(r) % 10, big(r), big(r),
                                                u8(r) % 5)); break;
    case 7: CALL(keel_aave_account_set_emode(AACCOUNT(r), AMARKET(r), u8(r) % 4)); break;
    case 8: {
        keel_aave_account_data d = KEEL_AAVE_ACCOUNT_DATA_INIT;
        s = keel_aave_user_account_data(AMARKET(r), AACCOUNT(r), &d);
        check_status(s);
        if (s == KEEL_OK &&
            (d.liquidatable != (keel_u256_cmp(d.health_factor,
                                              keel_u256_from_u64(1000000000000000000ull)) < 0) ||
             keel_u256_cmp(d.ltv, d.current_liquidation_threshold) > 0 ||
             keel_u256_cmp(d.current_liquidation_threshold, keel_u256_from_u64(10000)) > 0))
            abort();
        break;
    }
    case 9: {
        const keel_aave_market *m = AMARKET(r);
        const keel_aave_account *a = AACCOUNT(r);
        uint32_t c = u8(r) % 10, dr = u8(r) % 10;
        keel_aave_liquidation q = KEEL_AAVE_LIQUIDATION_INIT;
        keel_aave_account *after = NULL;
        if (keel_aave_account_new(&after) != KEEL_OK)
            break;
        s = keel_aave_liquidation_quote(m, a, c, dr, big(r), &q, u8(r) & 1 ? after : NULL);
        check_status(s);
        if (s == KEEL_OK) {
            keel_u256 cb, db, taken;
            if (keel_aave_account_balances(m, a, c, &cb, NULL) != KEEL_OK ||
                keel_aave_account_balances(m, a, dr, NULL, &db) != KEEL_OK)
                abort();
            if (keel_u256_add(q.collateral_to_liquidator, q.protocol_fee, &taken) != KEEL_OK ||
                keel_u256_cmp(taken, cb) > 0 || keel_u256_cmp(q.debt_repaid, db) > 0 ||
                q.revert != KEEL_AAVE_OK)
                abort(); /* more taken than held, or repaid than owed */
        } else if (s == KEEL_E_INFEASIBLE && q.revert == KEEL_AAVE_OK) {
            abort(); /* a revert without its reason */
        }
        keel_aave_account_free(after);
        check_status(keel_aave_best_liquidation(m, a, &q));
        break;
    }
    case 10: {
        const keel_aave_market *m = AMARKET(r);
        const keel_aave_account *a = AACCOUNT(r);
        uint32_t res = u8(r) % 10;
        keel_u256 out = keel_u256_from_u64(12345), t = big(r);
        switch (u8(r) % 4) {
        case 0: s = keel_aave_repay_to_target(m, a, res, t, &out); break;
        case 1: s = keel_aave_supply_to_target(m, a, res, t, &out); break;
        case 2: s = keel_aave_max_withdraw(m, a, res, t, &out); break;
        default: s = keel_aave_max_borrow(m, a, res, t, &out); break;
        }
        check_status(s);
        if (s != KEEL_OK && keel_u256_cmp(out, keel_u256_from_u64(12345)) != 0)
            abort(); /* a failed call wrote its output */
        break;
    }
    case 11: {
        keel_aave_price_boundary b = KEEL_AAVE_PRICE_BOUNDARY_INIT;
        s = keel_aave_liquidation_price(AMARKET(r), AACCOUNT(r), u8(r) % 10, &b);
        check_status(s);
        if (s == KEEL_OK && (b.direction < -1 || b.direction > 1))
            abort();
        break;
    }
    case 12: {
        keel_market *km = NULL;
        keel_basket *kb = NULL;
        keel_haircut_model *kh = NULL;
        uint32_t ids[4];
        size_t cnt = 0;
        s = keel_aave_to_keel(AMARKET(r), AACCOUNT(r), &km, &kb, &kh, ids, u8(r) % 5, &cnt);
        bridged(s, km, kb, kh);
        const keel_aave_account *accts[SLOTS];
        for (int i = 0; i < SLOTS; i++)
            accts[i] = st->aa[i];
        uint8_t liq[SLOTS];
        double hf[SLOTS];
        CALL(keel_aave_scan(AMARKET(r), accts, u8(r) % (SLOTS + 1), hf, liq, NULL));
        break;
    }
    default: {
        keel_u256 a = big(r), b = big(r), c = big(r), out = keel_u256_from_u64(99), q, rem;
        CALL(keel_wadray((keel_wadray_op)(u8(r) % 15), a, b, &out));
        CALL(keel_mul_div_ceil(a, b, c, &out));
        CALL(keel_u256_mul(a, b, &out));
        CALL(keel_u256_sub(a, b, &out));
        if (keel_u256_divmod(a, b, &q, &rem) == KEEL_OK) {
            keel_u256 back; /* q·b + rem = a, and rem < b */
            if (keel_u256_cmp(rem, b) >= 0 || keel_u256_mul(q, b, &back) != KEEL_OK ||
                keel_u256_add(back, rem, &back) != KEEL_OK || keel_u256_cmp(back, a) != 0)
                abort();
        }
        char text[KEEL_U256_DECIMAL_MAX];
        keel_u256 again;
        if (keel_u256_to_string(a, text, sizeof text) != KEEL_OK ||
            keel_u256_from_string(text, &again) != KEEL_OK || keel_u256_cmp(a, again) != 0)
            abort(); /* the decimal round trip */
        break;
    }
    }
}


#define CMARKET(r) ((keel_comet_market *)(uintptr_t)pick(r, (void *const *)st->cm, st))
#define CACCOUNT(r) ((keel_comet_account *)(uintptr_t)pick(r, (void *const *)st->ca, st))
#define MMARKET(r) ((keel_morpho_market *)(uintptr_t)pick(r, (void *const *)st->mm, st))

/* A signed 256-bit value for Comet's principal. */
static keel_comet_int signed_big(reader *r)
{
    keel_comet_int v = { big(r), (int32_t)(u8(r) & 1), 0 };
    return v;
}

/* The Compound v3 layer: hostile configurations, balances and ids, and the
 * invariants of the answers (a verdict agrees with its liquidity's sign; an
 * absorb takes no more than the account holds; a failed call writes nothing). */
static void comet_step(state *st, reader *r)
{
    uint8_t op = u8(r) % 10, slot = u8(r) % SLOTS;
    keel_status s;
    switch (op) {
    case 0:
        if (!st->cm[slot]) {
            keel_comet_base b = KEEL_COMET_BASE_INIT;
            b.decimals = u8(r) % 24;
            b.price = big(r);
            b.supply_index = (uint64_t)u8(r) << (u8(r) % 56);
            b.borrow_index = (uint64_t)u8(r) << (u8(r) % 56);
            b.total_supply_base = big(r), b.total_borrow_base = big(r), b.base_balance = big(r);
            b.store_front_price_factor = (uint64_t)u8(r) << (u8(r) % 64);
            CALL(keel_comet_market_new("BASE", &b, &st->cm[slot]));
        }
        break;
    case 1: {
        keel_comet_asset a = KEEL_COMET_ASSET_INIT;
        a.decimals = u8(r) % 24;
        a.price = big(r);
        a.borrow_collateral_factor = (uint64_t)u8(r) * 4000000000000000ull;
        a.liquidate_collateral_factor = (uint64_t)u8(r) * 4000000000000000ull;
        a.liquidation_factor = (uint64_t)u8(r) * 4000000000000000ull;
        a.supply_cap = big(r), a.total_supply_asset = big(r), a.balance = big(r);
        char sym[8] = { 'C', (char)('A' + u8(r) % 26), 0 };
        uint32_t id = 77;
        s = keel_comet_market_add_asset(CMARKET(r), sym, &a, &id);
        check_status(s);
        if (s != KEEL_OK && id != 77)
            abort();
        break;
    }
    case 2:
        CALL(keel_comet_market_set_price(CMARKET(r), u8(r) & 1 ? KEEL_COMET_BASE_ID : u8(r) % 14,
                                         big(r)));
        break;
    case 3: CALL(keel_comet_market_accrue(CMARKET(r), (uint64_t)u8(r) << (u8(r) % 40))); break;
    case 4:
        if (!st->ca[slot])
            CALL(keel_comet_account_new(&st->ca[slot]));
        break;
    case 5:
        if (u8(r) & 1)
            CALL(keel_comet_account_set_principal(CACCOUNT(r), signed_big(r)));
        else
            CALL(keel_comet_account_set_collateral(CACCOUNT(r), CMARKET(r), u8(r) % 14, big(r)));
        break;
    case 6: {
        keel_comet_account_data d = KEEL_COMET_ACCOUNT_DATA_INIT;
        s = keel_comet_account_liquidity(CMARKET(r), CACCOUNT(r), &d);
        check_status(s);
        if (s == KEEL_OK && d.is_liquidatable && !d.liquidation_liquidity.negative)
            abort(); /* liquidatable with a liquidity >= 0 */
        break;
    }
    case 7: {
        const keel_comet_market *m = CMARKET(r);
        const keel_comet_account *a = CACCOUNT(r);
        keel_comet_absorb q = KEEL_COMET_ABSORB_INIT;
        s = keel_comet_absorb_quote(m, a, &q, NULL);
        check_status(s);
        if (s == KEEL_E_INFEASIBLE && q.revert == KEEL_COMET_OK)
            abort(); /* a revert without its reason */
        if (s == KEEL_OK && q.new_balance.negative)
            abort(); /* absorb floors the balance at 0 */
        keel_comet_buy b = KEEL_COMET_BUY_INIT;
        check_status(keel_comet_buy_collateral_quote(m, u8(r) % 14, big(r), big(r), &b));
        keel_u256 out;
        check_status(keel_comet_quote_collateral(m, u8(r) % 14, big(r), &out));
        break;
    }
    case 8: {
        const keel_comet_market *m = CMARKET(r);
        const keel_comet_account *a = CACCOUNT(r);
        keel_u256 out = keel_u256_from_u64(12345), t = big(r);
        keel_comet_line line = (keel_comet_line)(u8(r) % 3);
        switch (u8(r) % 4) {
        case 0: s = keel_comet_repay_to_target(m, a, line, t, &out); break;
        case 1: s = keel_comet_supply_to_target(m, a, u8(r) % 14, line, t, &out); break;
        case 2: s = keel_comet_max_withdraw(m, a, u8(r) % 14, t, &out); break;
        default: s = keel_comet_max_borrow(m, a, t, &out); break;
        }
        check_status(s);
        if (s != KEEL_OK && keel_u256_cmp(out, keel_u256_from_u64(12345)) != 0)
            abort(); /* a failed call wrote its output */
        keel_comet_price_boundary pb = KEEL_COMET_PRICE_BOUNDARY_INIT;
        check_status(keel_comet_liquidation_price(m, a, u8(r) % 14, &pb));
        break;
    }
    default: {
        keel_market *km = NULL;
        keel_basket *kb = NULL;
        keel_haircut_model *kh = NULL;
        uint32_t ids[4];
        size_t cnt = 0;
        s = keel_comet_to_keel(CMARKET(r), CACCOUNT(r), &km, &kb, &kh, ids, u8(r) % 5, &cnt);
        bridged(s, km, kb, kh);
        break;
    }
    }
}

/* The Morpho Blue layer: hostile parameters, totals and positions. */
static void morpho_step(state *st, reader *r)
{
    uint8_t op = u8(r) % 7, slot = u8(r) % SLOTS;
    keel_status s;
    keel_morpho_position p = { big(r), big(r), big(r) };
    switch (op) {
    case 0:
        if (!st->mm[slot]) {
            keel_morpho_params mp = KEEL_MORPHO_PARAMS_INIT;
            mp.loan_decimals = u8(r) % 40, mp.collateral_decimals = u8(r) % 40;
            mp.price = big(r), mp.lltv = big(r);
            keel_morpho_state ms = KEEL_MORPHO_STATE_INIT;
            ms.total_supply_assets = big(r), ms.total_supply_shares = big(r);
            ms.total_borrow_assets = big(r), ms.total_borrow_shares = big(r);
            ms.fee = big(r);
            CALL(keel_morpho_market_new("LOAN", "COLL", &mp, u8(r) & 1 ? &ms : NULL, &st->mm[slot]));
        }
        break;
    case 1: CALL(keel_morpho_market_set_price(MMARKET(r), big(r))); break;
    case 2: {
        keel_u256 interest, shares;
        CALL(keel_morpho_market_accrue(MMARKET(r), big(r), (uint64_t)u8(r) << (u8(r) % 40),
                                       &interest, &shares));
        break;
    }
    case 3: {
        keel_morpho_position_data d = KEEL_MORPHO_POSITION_DATA_INIT;
        s = keel_morpho_position_data_get(MMARKET(r), &p, &d);
        check_status(s);
        if (s == KEEL_OK && d.healthy == d.liquidatable)
            abort();
        break;
    }
    case 4: {
        const keel_morpho_market *m = MMARKET(r);
        keel_morpho_liquidation q = KEEL_MORPHO_LIQUIDATION_INIT;
        keel_morpho_position after = p;
        s = keel_morpho_liquidation_quote(m, &p, u8(r) & 1 ? big(r) : keel_u256_from_u64(0),
                                          u8(r) & 1 ? big(r) : keel_u256_from_u64(0), &q, &after);
        check_status(s);
        if (s == KEEL_OK && (keel_u256_cmp(q.seized_assets, p.collateral) > 0 ||
                             keel_u256_cmp(after.collateral, p.collateral) > 0))
            abort(); /* more seized than held */
        if (s == KEEL_E_INFEASIBLE && q.revert == KEEL_MORPHO_OK)
            abort();
        check_status(keel_morpho_best_liquidation(m, &p, &q, NULL));
        break;
    }
    case 5: {
        const keel_morpho_market *m = MMARKET(r);
        keel_u256 out = keel_u256_from_u64(12345), t = big(r);
        switch (u8(r) % 5) {
        case 0: s = keel_morpho_repay_to_target(m, &p, t, (keel_morpho_unit)(u8(r) % 3), &out); break;
        case 1: s = keel_morpho_collateral_to_target(m, &p, t, &out); break;
        case 2: s = keel_morpho_max_withdraw_collateral(m, &p, t, &out); break;
        case 3: s = keel_morpho_max_borrow(m, &p, t, &out); break;
        default: s = keel_morpho_liquidation_price(m, &p, &out); break;
        }
        check_status(s);
        if (s != KEEL_OK && keel_u256_cmp(out, keel_u256_from_u64(12345)) != 0)
            abort();
        break;
    }
    default: {
        keel_market *km = NULL;
        keel_basket *kb = NULL;
        keel_haircut_model *kh = NULL;
        s = keel_morpho_to_keel(MMARKET(r), &p, &km, &kb, &kh, NULL, NULL);
        bridged(s, km, kb, kh);
        break;
    }
    }
}

/* The protocol layers' getters, setters of whole records, clones, names and
 * every `_init`; the simulation's protocol rules set and run; a failed call
 * changes nothing a getter sees. */
static void protocol_misc(state *st, reader *r)
{
    uint8_t op = u8(r) % 6;
    switch (op) {
    case 0: { /* Aave */
        keel_aave_market *m = AMARKET(r);
        uint32_t id = u8(r) % 10;
        keel_aave_reserve rv = KEEL_AAVE_RESERVE_INIT;
        check_status(keel_aave_reserve_init(&rv, sizeof rv));
        if (keel_aave_market_reserve(m, id, &rv) == KEEL_OK) {
            rv.price = big(r);
            rv.liquidation_threshold = (uint32_t)u8(r) * 40;
            CALL(keel_aave_market_set_reserve(m, id, &rv));
        }
        keel_aave_emode e = KEEL_AAVE_EMODE_INIT;
        check_status(keel_aave_emode_init(&e, sizeof e));
        check_status(keel_aave_market_emode(m, u8(r), &e));
        const char *sym = keel_aave_market_symbol(m, id);
        uint32_t found = 0;
        if (sym != NULL && (keel_aave_market_find(m, sym, &found) != KEEL_OK || found != id))
            abort(); /* a symbol that does not find its own reserve */
        (void)keel_aave_market_version(m);
        (void)keel_aave_market_size(m);
        (void)keel_aave_revert_name((keel_aave_revert)(u8(r) % 12));
        keel_aave_market *c = NULL;
        keel_aave_account *ac = NULL;
        CALL(keel_aave_market_clone(m, &c));
        CALL(keel_aave_account_clone(AACCOUNT(r), &ac));
        if (ac != NULL) {
            CALL(keel_aave_account_assign(ac, AACCOUNT(r)));
            keel_u256 sup, debt;
            uint32_t flags;
            check_status(keel_aave_account_position(ac, id, &sup, &debt, &flags));
            (void)keel_aave_account_emode(ac);
        }
        keel_aave_account_free(ac);
        keel_aave_market_free(c);
        /* the flat scan over arrays that hold offsets[n] positions (its contract) */
        size_t offsets[4] = { 0, 0, 0, 0 }, n = u8(r) % 4;
        for (size_t k = 1; k <= n; k++)
            offsets[k] = offsets[k - 1] + u8(r) % 3; /* at most 6 positions */
        uint32_t res[6];
        uint8_t fl[6], em[3], liq[3];
        uint64_t sup[12], dbt[12];
        double hf[3];
        for (int k = 0; k < 6; k++) {
            res[k] = u8(r) % 4;
            fl[k] = u8(r) % 3;
        }
        for (int k = 0; k < 12; k++) {
            sup[k] = (uint64_t)u8(r) << (u8(r) % 64);
            dbt[k] = (uint64_t)u8(r) << (u8(r) % 64);
        }
        for (int k = 0; k < 3; k++)
            em[k] = u8(r) % 3;
        CALL(keel_aave_scan_flat(m, n, offsets, res, fl, sup, dbt, u8(r) & 1 ? em : NULL, hf, liq,
                                 NULL));
        (void)keel_status_str((keel_status)(int)(u8(r) % 24) - 4);
        (void)keel_u256_to_double(big(r));
        break;
    }
    case 1: { /* Comet */
        keel_comet_market *m = CMARKET(r);
        uint32_t id = u8(r) % 14;
        keel_comet_asset a = KEEL_COMET_ASSET_INIT;
        check_status(keel_comet_asset_init(&a, sizeof a));
        if (keel_comet_market_asset(m, id, &a) == KEEL_OK) {
            a.liquidate_collateral_factor = (uint64_t)u8(r) * 4000000000000000ull;
            CALL(keel_comet_market_set_asset(m, id, &a));
        }
        keel_comet_base b = KEEL_COMET_BASE_INIT;
        check_status(keel_comet_base_init(&b, sizeof b));
        if (keel_comet_market_base(m, &b) == KEEL_OK) {
            b.borrow_index = (uint64_t)u8(r) << (u8(r) % 56);
            CALL(keel_comet_market_set_base(m, &b));
        }
        keel_comet_rates rates = KEEL_COMET_RATES_INIT;
        check_status(keel_comet_market_rates(m, &rates));
        uint32_t found;
        check_status(keel_comet_market_find(m, u8(r) & 1 ? "BASE" : "CA", &found));
        (void)keel_comet_market_size(m);
        (void)keel_comet_revert_name((keel_comet_revert)(u8(r) % 12));
        keel_comet_int v = signed_big(r), out;
        check_status(keel_comet_present_value(m, v, &out));
        check_status(keel_comet_principal_value(m, v, &out));
        keel_comet_market *c = NULL;
        keel_comet_account *ac = NULL;
        CALL(keel_comet_market_clone(m, &c));
        CALL(keel_comet_account_clone(CACCOUNT(r), &ac));
        if (ac != NULL) {
            keel_u256 bal;
            check_status(keel_comet_account_principal(ac, &out));
            check_status(keel_comet_account_collateral(ac, id, &bal));
        }
        keel_comet_account_free(ac);
        keel_comet_market_free(c);
        break;
    }
    case 2: { /* Morpho */
        keel_morpho_market *m = MMARKET(r);
        keel_morpho_params mp;
        keel_morpho_state ms;
        check_status(keel_morpho_params_init(&mp, sizeof mp));
        check_status(keel_morpho_state_init(&ms, sizeof ms));
        check_status(keel_morpho_market_params(m, &mp));
        if (keel_morpho_market_state(m, &ms) == KEEL_OK) {
            ms.total_borrow_assets = big(r);
            ms.fee = big(r);
            keel_morpho_state before = ms, after;
            keel_status s = keel_morpho_market_set_state(m, &ms);
            check_status(s);
            if (s == KEEL_OK && (keel_morpho_market_state(m, &after) != KEEL_OK ||
                                 keel_u256_cmp(after.fee, before.fee) != 0))
                abort(); /* a state set is not the state read */
        }
        keel_u256 out;
        check_status(keel_morpho_convert((keel_morpho_conversion)(u8(r) % 5), big(r), big(r),
                                         big(r), &out));
        check_status(keel_morpho_incentive_factor(big(r), &out));
        (void)keel_morpho_revert_name((keel_morpho_revert)(u8(r) % 10));
        keel_morpho_market *c = NULL;
        CALL(keel_morpho_market_clone(m, &c));
        keel_morpho_market_free(c);
        break;
    }
    default: { /* a backtest under a protocol's rules */
        keel_cost_model *costs = NULL;
        if (keel_cost_model_clone(COSTS(r), &costs) != KEEL_OK)
            break;
        keel_sim_params p;
        check_status(keel_sim_params_init(&p, sizeof p));
        { /* every other parameter struct's _init, at its size and one too small */
            keel_deleverage_params d;
            keel_margin_params mg;
            keel_collateral_params cp;
            keel_delta_hedge_params dh;
            keel_health_band_params hb;
            keel_leverage_band_params lb;
            keel_predictive_params pp;
            keel_target_weights_params tw;
            size_t cut = u8(r) & 1;
            check_status(keel_deleverage_params_init(&d, sizeof d - cut));
            check_status(keel_margin_params_init(&mg, sizeof mg - cut));
            check_status(keel_collateral_params_init(&cp, sizeof cp - cut));
            check_status(keel_delta_hedge_params_init(&dh, sizeof dh - cut));
            check_status(keel_health_band_params_init(&hb, sizeof hb - cut));
            check_status(keel_leverage_band_params_init(&lb, sizeof lb - cut));
            check_status(keel_predictive_params_init(&pp, sizeof pp - cut));
            check_status(keel_target_weights_params_init(&tw, sizeof tw - cut));
        }
        p.steps = 1 + u8(r) % 3;
        keel_sim *sim = NULL;
        if (keel_sim_new(BASKET(r), NULL, MARKET(r), HAIRCUT(r), costs, NULL, &p, &sim) ==
            KEEL_OK) {
            uint32_t ids[4] = { KEEL_COMET_BASE_ID, 0, 1, 2 };
            keel_status s;
            switch (op) {
            case 3: s = keel_sim_set_aave(sim, AMARKET(r), ids + 1, u8(r) % 4, u8(r) % 3); break;
            case 4: s = keel_sim_set_comet(sim, CMARKET(r), ids, u8(r) % 5); break;
            default: s = keel_sim_set_morpho(sim, MMARKET(r), u8(r) % 3, u8(r) % 3); break;
            }
            check_status(s);
            keel_sim_stats *stats = NULL;
            CALL(keel_sim_run(sim, 0, 1 + u8(r) % 2, NULL, NULL, &stats));
            keel_sim_stats_free(stats);
        }
        keel_sim_free(sim);
        keel_cost_model_free(costs);
        break;
    }
    }
}

/* keel_garch_fit on a series of 50..177 returns, GARCH-like from a seed in
 * the input, at a scale from the hostile table, with hostile numbers at a
 * few places, under any settings: a failure leaves the result untouched, a
 * success lies inside the constraints with finite statistics. */
static void garch_fit_step(reader *r)
{
    double ret[177];
    size_t n = 50 + u8(r) % 128;
    uint64_t seed = 0x9e3779b97f4a7c15ull ^ ((uint64_t)u8(r) << 8 | u8(r));
    double scale = number(r), h = 1.0;
    for (size_t t = 0; t < n; t++) {
        seed ^= seed >> 12, seed ^= seed << 25, seed ^= seed >> 27;
        double u = (double)((seed * 2685821657736338717ull) >> 11) / 9007199254740992.0;
        ret[t] = scale * sqrt(h) * (2.0 * u - 1.0) * 1.7320508075688772;
        h = 0.1 + 0.1 * ret[t] * ret[t] / (scale * scale) + 0.8 * h;
    }
    for (int k = u8(r) % 4; k > 0; k--)
        ret[u8(r) % n] = number(r);
    keel_garch_fit_params p = KEEL_GARCH_FIT_PARAMS_INIT;
    p.distribution = (keel_garch_dist)(u8(r) % 3);
    p.demean = u8(r) % 3;
    p.max_iterations = u8(r) % 64;
    if (u8(r) == 0)
        p.size = u8(r) % sizeof p;
    keel_garch_fit_result out, before;
    memset(&out, 0x5a, sizeof out);
    out.size = sizeof out;
    before = out;
    keel_status s = keel_garch_fit(ret, n, u8(r) & 1 ? &p : NULL, &out);
    check_status(s);
    if (s != KEEL_OK) {
        if (memcmp(&out, &before, sizeof out) != 0)
            abort(); /* a failed call wrote its result */
        return;
    }
    const double *v = &out.omega; /* omega .. persistence: 14 doubles */
    for (int i = 0; i < 14; i++)
        if (!isfinite(v[i]))
            abort();
    if (!(out.omega > 0.0) || out.alpha < 0.0 || out.beta < 0.0 ||
        !(out.persistence <= 1.0) || out.alpha + out.beta > 1.0 + 1e-15 ||
        !(out.nu == 0.0 || out.nu > 2.0) || out.omega_se < 0.0 || out.alpha_se < 0.0 ||
        out.beta_se < 0.0 || out.nu_se < 0.0 || !(out.last_variance > 0.0) ||
        !(out.initial_variance > 0.0) || out.n != n || out.bounds > 7)
        abort(); /* an estimate outside the model */
}

static void step(state *st, reader *r)
{
    uint8_t op = u8(r) % 67;
    if (op == 63) {
        aave_step(st, r);
        return;
    }
    if (op == 64) {
        comet_step(st, r);
        return;
    }
    if (op == 65) {
        morpho_step(st, r);
        return;
    }
    if (op == 66) {
        protocol_misc(st, r);
        return;
    }
    uint8_t slot = u8(r) % SLOTS;
    char sym[40];
    double x, y;
    keel_asset id;
    size_t n;
    switch (op) {
    case 0:
        if (!st->m[slot])
            CALL(keel_market_new(&st->m[slot]));
        break;
    case 1:
        keel_market_free(st->m[slot]);
        st->m[slot] = NULL;
        break;
    case 2: {
        keel_market *c = NULL;
        CALL(keel_market_clone(MARKET(r), &c));
        keel_market_free(st->m[slot]);
        st->m[slot] = c;
        break;
    }
    case 3: {
        uint8_t len = u8(r) % 36;
        for (uint8_t i = 0; i < len; i++)
            sym[i] = (char)u8(r);
        sym[len] = '\0';
        CALL(keel_market_add_asset(MARKET(r), u8(r) & 1 ? sym : "ETH", number(r), &id));
        break;
    }
    case 4:
        CALL(keel_market_find(MARKET(r), u8(r) & 1 ? "ETH" : "USDC", &id));
        break;
    case 5: CALL(keel_market_set_price(MARKET(r), asset_id(r), number(r))); break;
    case 6: CALL(keel_market_set_volatility(MARKET(r), asset_id(r), number(r))); break;
    case 7: CALL(keel_market_set_carry(MARKET(r), asset_id(r), number(r))); break;
    case 8: CALL(keel_market_set_depth(MARKET(r), asset_id(r), number(r))); break;
    case 9: CALL(keel_market_set_rate(MARKET(r), number(r))); break;
    case 10:
        if (u8(r) & 1) {
            CALL(keel_market_set_correlation(MARKET(r), asset_id(r), asset_id(r), number(r)));
        } else {
            keel_asset a[3] = { asset_id(r), asset_id(r), asset_id(r) };
            keel_asset b[3] = { asset_id(r), asset_id(r), asset_id(r) };
            double rho[3] = { number(r), number(r), number(r) };
            CALL(keel_market_set_correlations(MARKET(r), u8(r) % 4, a, b, rho));
        }
        break;
    case 11: {
        double prices[4] = { number(r), number(r), number(r), number(r) };
        CALL(keel_market_set_prices(MARKET(r), prices, u8(r) % 5));
        break;
    }
    case 12:
        CALL(keel_market_price(MARKET(r), asset_id(r), &x));
        CALL(keel_market_correlation(MARKET(r), asset_id(r), asset_id(r), &y));
        CALL(keel_market_symbol(MARKET(r), asset_id(r), sym, u8(r) % 40));
        CALL(keel_market_asset_count(MARKET(r), &n));
        break;
    case 13:
        if (!st->b[slot])
            CALL(keel_basket_new(&st->b[slot]));
        break;
    case 14:
        keel_basket_free(st->b[slot]);
        st->b[slot] = NULL;
        break;
    case 15: {
        keel_basket *c = NULL;
        CALL(keel_basket_clone(BASKET(r), &c));
        keel_basket_free(st->b[slot]);
        st->b[slot] = c;
        break;
    }
    case 16: CALL(keel_basket_set_collateral(BASKET(r), asset_id(r), number(r))); break;
    case 17: CALL(keel_basket_set_debt(BASKET(r), asset_id(r), number(r))); break;
    case 18: CALL(keel_basket_add_collateral(BASKET(r), asset_id(r), number(r))); break;
    case 19: CALL(keel_basket_add_debt(BASKET(r), asset_id(r), number(r))); break;
    case 20: {
        keel_position pos[4];
        CALL(keel_basket_positions(BASKET(r), pos, u8(r) % 5, &n));
        CALL(keel_basket_collateral(BASKET(r), asset_id(r), &x));
        break;
    }
    case 21: CALL(keel_basket_clear(BASKET(r))); break;
    case 22:
        if (!st->h[slot])
            CALL(keel_haircut_model_new(&st->h[slot]));
        break;
    case 23:
        keel_haircut_model_free(st->h[slot]);
        st->h[slot] = NULL;
        break;
    case 24: {
        keel_haircut_model *c = NULL;
        CALL(keel_haircut_model_clone(HAIRCUT(r), &c));
        keel_haircut_model_free(st->h[slot]);
        st->h[slot] = c;
        break;
    }
    case 25: CALL(keel_haircut_model_set_asset(HAIRCUT(r), asset_id(r), number(r), number(r))); break;
    case 26: CALL(keel_haircut_model_set_borrow_factor(HAIRCUT(r), asset_id(r), number(r))); break;
    case 27: CALL(keel_haircut_model_clear_asset(HAIRCUT(r), asset_id(r))); break;
    case 28: CALL(keel_haircut_model_set_volatility_addon(HAIRCUT(r), number(r), number(r))); break;
    case 29: CALL(keel_haircut_model_set_liquidity_addon(HAIRCUT(r), number(r), number(r))); break;
    case 30:
        CALL(keel_haircut_model_set_concentration(HAIRCUT(r), asset_id(r), number(r), number(r)));
        CALL(keel_haircut_model_set_concentration_mode(HAIRCUT(r), (keel_concentration_mode)(u8(r) % 3)));
        break;
    case 31:
        CALL(keel_haircut_model_set_peg_group(HAIRCUT(r), asset_id(r), u8(r) % 3));
        CALL(keel_haircut_model_set_peg_mismatch_addon(HAIRCUT(r), number(r)));
        break;
    case 32: CALL(keel_haircut_model_set_portfolio_mode(HAIRCUT(r), u8(r) & 1)); break;
    case 33: CALL(keel_haircut_model_set_cap(HAIRCUT(r), asset_id(r), number(r))); break;
    case 34:
    case 35:
    case 36: value(st, r); break;
    case 37:
        if (u8(r) & 1)
            CALL(keel_ewma_init(&st->ewma, number(r), number(r)));
        CALL(keel_ewma_update(&st->ewma, number(r)));
        CALL(keel_ewma_update_price(&st->ewma, number(r)));
        CALL(keel_ewma_annual_volatility(&st->ewma, number(r), &x));
        break;
    case 38:
        if (u8(r) & 1)
            CALL(keel_garch_init(&st->garch, number(r), number(r), number(r), number(r)));
        CALL(keel_garch_update(&st->garch, number(r)));
        CALL(keel_garch_update_price(&st->garch, number(r)));
        CALL(keel_garch_forecast(&st->garch, u8(r), &x));
        if (keel_garch_long_run_variance(&st->garch, &y) == KEEL_OK && isnan(y))
            abort();
        if (u8(r) % 4 == 0)
            garch_fit_step(r);
        break;
    case 39:
        CALL(keel_volatility_haircut(number(r), number(r), number(r), &x));
        CALL(keel_haircut_scale_holding_period(number(r), number(r), number(r), &x));
        break;
    case 40: {
        keel_greeks g = KEEL_GREEKS_INIT;
        g.value = -12345.0;
        keel_option_type t = (keel_option_type)(u8(r) % 3);
        keel_status s = keel_black_scholes(t, number(r), number(r), number(r), number(r),
                                           number(r), number(r), &g);
        check_status(s);
        const double *v = &g.value;
        for (int i = 0; s == KEEL_OK && i < 10; i++)
            if (!isfinite(v[i]))
                abort(); /* success means every member is a number */
        if (s == KEEL_OK && g.value < 0.0)
            abort();
        if (s != KEEL_OK && g.value != -12345.0)
            abort();
        s = keel_black76(t, number(r), number(r), number(r), number(r), number(r), &g);
        check_status(s);
        break;
    }
    case 41: {
        keel_option_type t[3] = { KEEL_CALL, KEEL_PUT, (keel_option_type)(u8(r) % 2) };
        double a[3] = { number(r), number(r), number(r) }, b[3] = { number(r), 100, 50 };
        double c[3] = { 0.5, number(r), 1.0 }, val[3], del[3];
        keel_greeks_arrays out = { sizeof out, val, del, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL };
        CALL(keel_black_scholes_batch(u8(r) % 4, t, a, b, c, c, c, a, &out));
        /* up to 19 options: whole vector blocks (4 and 8 lanes) and a remainder,
         * with hostile members anywhere; then their implied volatilities, whose
         * batch must give the scalar solver's status and bits for each */
        enum { NB = 19 };
        size_t nopt = u8(r) % (NB + 1);
        keel_option_type ty[NB];
        double sp[NB], k[NB], ex[NB], ra[NB], dv[NB], vo[NB], pv[NB], ga[NB], vols[NB];
        keel_status sts[NB];
        for (size_t i = 0; i < NB; i++) {
            ty[i] = (keel_option_type)(u8(r) % 2);
            sp[i] = u8(r) & 1 ? number(r) : 100.0;
            k[i] = u8(r) & 1 ? number(r) : 80.0 + (double)i * 3.0;
            ex[i] = u8(r) & 1 ? number(r) : 0.25;
            ra[i] = u8(r) & 1 ? number(r) : 0.03;
            dv[i] = 0.0;
            vo[i] = u8(r) & 1 ? number(r) : 0.4;
        }
        keel_greeks_arrays go = { sizeof go, pv, NULL, u8(r) & 1 ? ga : NULL, NULL, NULL,
                                  NULL, NULL, NULL, NULL, NULL };
        keel_status s = keel_black_scholes_batch(nopt, ty, sp, k, ex, ra, dv, vo, &go);
        check_status(s);
        if (s != KEEL_OK && s != KEEL_E_OVERFLOW)
            break;
        for (size_t i = 0; i < nopt; i++)
            if (u8(r) % 4 == 0)
                pv[i] = number(r); /* a hostile price */
        s = keel_implied_volatility_batch(nopt, ty, pv, sp, k, ex, ra, dv, vols,
                                          u8(r) & 1 ? sts : NULL);
        check_status(s);
        s = keel_implied_volatility_batch(nopt, ty, pv, sp, k, ex, ra, dv, vols, sts);
        check_status(s);
        for (size_t i = 0; i < nopt; i++) {
            double one = -3.0;
            keel_status si = keel_implied_volatility(ty[i], pv[i], sp[i], k[i], ex[i], ra[i],
                                                     dv[i], &one);
            if (si != sts[i])
                abort(); /* the batch's status is the scalar solver's */
            if (si == KEEL_OK && memcmp(&one, &vols[i], sizeof one) != 0)
                abort(); /* and so are its bits */
            if (si != KEEL_OK && !isnan(vols[i]))
                abort(); /* NaN where an option fails */
        }
        break;
    }
    case 42:
        if (!st->o[slot])
            CALL(keel_options_new(&st->o[slot]));
        CALL(keel_options_add(BOOK(r), asset_id(r), (keel_option_type)(u8(r) % 3), number(r),
                              number(r), number(r), NULL));
        break;
    case 43: {
        keel_options *c = NULL;
        CALL(keel_options_clone(BOOK(r), &c));
        keel_options_free(st->o[slot]);
        st->o[slot] = c;
        break;
    }
    case 44: {
        uint32_t pid = u8(r) % 6;
        keel_options *o = BOOK(r);
        switch (u8(r) % 5) {
        case 0: CALL(keel_options_set_quantity(o, pid, number(r))); break;
        case 1: CALL(keel_options_set_expiry(o, pid, number(r))); break;
        case 2: CALL(keel_options_set_volatility(o, pid, number(r))); break;
        case 3: CALL(keel_options_clear_volatility(o, pid)); break;
        default: CALL(keel_options_remove(o, pid)); break;
        }
        break;
    }
    case 45: {
        keel_scenario grid[2] = { { number(r), number(r), number(r) }, { 1, 1, 1 } };
        keel_margin_params p = KEEL_MARGIN_PARAMS_INIT;
        p.horizon_days = number(r);
        p.price_sigmas = number(r);
        p.vol_scan = number(r);
        if (u8(r) & 1) {
            p.scenarios = grid;
            p.scenario_count = 1 + u8(r) % 2;
        }
        CALL(keel_options_set_margin_params(BOOK(r), u8(r) & 1 ? &p : NULL));
        break;
    }
    case 46:
        if (!st->c[slot])
            CALL(keel_cost_model_new(&st->c[slot]));
        switch (u8(r) % 6) {
        case 0: CALL(keel_cost_model_set_fee(COSTS(r), asset_id(r), number(r), number(r))); break;
        case 1: CALL(keel_cost_model_set_fixed(COSTS(r), asset_id(r), number(r))); break;
        case 2: CALL(keel_cost_model_set_linear_impact(COSTS(r), asset_id(r), number(r), number(r))); break;
        case 3: CALL(keel_cost_model_set_sqrt_impact(COSTS(r), asset_id(r), number(r), number(r))); break;
        case 4: CALL(keel_cost_model_set_pool(COSTS(r), asset_id(r), number(r), number(r), number(r))); break;
        default: CALL(keel_cost_model_clear_impact(COSTS(r), asset_id(r))); break;
        }
        break;
    case 47: {
        keel_trade_cost tc = KEEL_TRADE_COST_INIT;
        tc.total = -77.0;
        keel_status s = keel_cost_model_cost(COSTS(r), MARKET(r), asset_id(r), number(r), &tc);
        check_status(s);
        if (s == KEEL_OK && (isnan(tc.total) || isnan(tc.effective_price)))
            abort();
        if (s != KEEL_OK && tc.total != -77.0)
            abort();
        break;
    }
    case 49: {
        keel_deleverage_params p = KEEL_DELEVERAGE_PARAMS_INIT;
        p.target_health = number(r);
        p.repay_asset = asset_id(r);
        p.max_trade_value = u8(r) & 1 ? number(r) : 0.0;
        keel_plan *plan = NULL;
        double best = -1.0;
        keel_basket *bk = BASKET(r);
        keel_status s = keel_deleverage(bk, u8(r) & 1 ? BOOK(r) : NULL, MARKET(r), HAIRCUT(r),
                                        COSTS(r), &p, &plan, &best);
        check_status(s);
        if (s == KEEL_OK) {
            double cost = -1.0;
            check_status(keel_plan_summary(plan, &cost, NULL, NULL));
            if (!(cost >= -1e-9 * fabs(cost) - 1e-9) || isnan(cost))
                abort(); /* a plan never earns money */
            if (u8(r) & 1)
                check_status(keel_plan_apply(plan, bk));
        } else if (plan != NULL) {
            abort();
        }
        keel_plan_free(plan);
        break;
    }
    case 50: { /* a policy of any kind with hostile settings, then a plan */
        keel_policy *pol = NULL;
        switch (u8(r) % 5) {
        case 0: {
            keel_health_band_params p = KEEL_HEALTH_BAND_PARAMS_INIT;
            p.repay_below = number(r);
            p.repay_to = number(r);
            p.boost_above = number(r);
            p.boost_to = number(r);
            p.allowed = u8(r) & 31u;
            p.debt_asset = asset_id(r);
            p.boost_asset = asset_id(r);
            p.withdraw_asset = asset_id(r);
            p.swap_to = asset_id(r);
            CALL(keel_policy_health_band(&p, &pol));
            break;
        }
        case 1: {
            keel_leverage_band_params p = KEEL_LEVERAGE_BAND_PARAMS_INIT;
            p.target = number(r);
            p.min = number(r);
            p.max = number(r);
            p.speed = number(r);
            p.ripcord = number(r);
            p.max_trade_value = u8(r) & 1 ? number(r) : 0.0;
            p.asset = asset_id(r);
            p.debt_asset = asset_id(r);
            CALL(keel_policy_leverage_band(&p, &pol));
            break;
        }
        case 2: {
            keel_asset a[3] = { asset_id(r), asset_id(r), asset_id(r) };
            double w[3] = { number(r), number(r), number(r) };
            keel_target_weights_params p = KEEL_TARGET_WEIGHTS_PARAMS_INIT;
            p.count = 1 + u8(r) % 3;
            p.assets = a;
            p.weights = w;
            p.band = number(r);
            CALL(keel_policy_target_weights(&p, &pol));
            break;
        }
        case 3: {
            keel_delta_hedge_params p = KEEL_DELTA_HEDGE_PARAMS_INIT;
            p.risk_aversion = number(r);
            p.funding_asset = asset_id(r);
            CALL(keel_policy_delta_hedge(&p, &pol));
            break;
        }
        default: {
            keel_predictive_params p = KEEL_PREDICTIVE_PARAMS_INIT;
            p.horizon = number(r);
            p.max_probability = number(r);
            p.repay_asset = asset_id(r);
            CALL(keel_policy_predictive(&p, &pol));
            break;
        }
        }
        if (pol == NULL)
            break;
        keel_plan *plan = NULL;
        keel_basket *bk = BASKET(r);
        keel_status s = keel_policy_plan(pol, bk, u8(r) & 1 ? BOOK(r) : NULL, MARKET(r),
                                         HAIRCUT(r), COSTS(r), u8(r) & 1 ? BASKET(r) : NULL,
                                         &plan);
        check_status(s);
        if (s == KEEL_OK) {
            double cost = -1.0;
            check_status(keel_plan_summary(plan, &cost, NULL, NULL));
            if (isnan(cost))
                abort();
            if (u8(r) & 1)
                check_status(keel_plan_apply(plan, bk));
        } else if (plan != NULL) {
            abort();
        }
        keel_plan_free(plan);
        keel_policy_free(pol);
        break;
    }
    case 51: {
        double pr = -1.0;
        keel_status s = keel_liquidation_probability(BASKET(r), u8(r) & 1 ? BOOK(r) : NULL,
                                                     MARKET(r), HAIRCUT(r), number(r), &pr);
        check_status(s);
        if (s == KEEL_OK && !(pr >= 0.0 && pr <= 1.0))
            abort();
        if (s != KEEL_OK && pr != -1.0)
            abort();
        break;
    }
    case 52: {
        double h = -1.0;
        keel_status s = keel_hedge_band(number(r), number(r), number(r), number(r), number(r), &h);
        check_status(s);
        if (s == KEEL_OK && !(h >= 0.0 && isfinite(h)))
            abort();
        break;
    }
    case 54: { /* collateral optimisation with hostile settings */
        keel_asset a[4] = { asset_id(r), asset_id(r), asset_id(r), asset_id(r) };
        double caps[4] = { number(r), number(r), number(r), number(r) };
        double v[4] = { -5, -5, -5, -5 };
        keel_collateral_params p = KEEL_COLLATERAL_PARAMS_INIT;
        p.goal = (keel_collateral_goal)(u8(r) % 3);
        p.total_value = number(r);
        p.max_var = number(r);
        p.min_borrowing = number(r);
        if (u8(r) & 1)
            p.horizon = number(r);
        keel_collateral_result res = KEEL_COLLATERAL_RESULT_INIT;
        size_t cnt = 1 + u8(r) % 4;
        keel_status s = keel_optimize_collateral(MARKET(r), HAIRCUT(r), cnt, a,
                                                 u8(r) & 1 ? caps : NULL, &p, v, &res);
        check_status(s);
        if (s == KEEL_OK) {
            for (size_t i = 0; i < cnt; i++)
                if (!(v[i] >= 0.0) || !isfinite(v[i]))
                    abort();
            if (isnan(res.var) || isnan(res.borrowing_power))
                abort();
        } else if (v[0] != -5) {
            abort(); /* a failed call wrote its output */
        }
        break;
    }
    case 55: { /* scans over hostile rows */
        size_t off[4] = { 0, u8(r) % 4, 0, 0 };
        off[2] = off[1] + u8(r) % 3;
        off[3] = u8(r) & 1 ? off[2] + u8(r) % 3 : off[1]; /* sometimes decreasing */
        keel_asset as[8];
        double q[8], d[8], hf[3] = { -9, -9, -9 }, top[3];
        for (int i = 0; i < 8; i++)
            as[i] = asset_id(r), q[i] = number(r), d[i] = number(r);
        size_t cnt = u8(r) % 4, found = 99, idx[3];
        const keel_market *m = MARKET(r);
        const keel_haircut_model *h = HAIRCUT(r);
        keel_status s = keel_scan(m, h, cnt, off, as, q, d, hf);
        check_status(s);
        if (s == KEEL_OK)
            for (size_t i = 0; i < cnt; i++)
                if (!(hf[i] >= 0.0)) /* a health factor is never NaN or negative */
                    abort();
        s = keel_scan_top_k(m, h, cnt, off, as, q, d, 1 + u8(r) % 3, idx, top, &found);
        check_status(s);
        if (s == KEEL_OK && found > cnt)
            abort();
        double shocks[2] = { number(r), number(r) }, lar[2];
        check_status(keel_liquidations_at_risk(m, h, cnt, off, as, q, d, 2, shocks, lar));
        break;
    }
    case 56: { /* stress vectors */
        keel_asset as[2] = { asset_id(r), asset_id(r) };
        double shocks[4] = { number(r), number(r), number(r), number(r) };
        keel_metrics out[2] = { KEEL_METRICS_INIT, KEEL_METRICS_INIT };
        out[0].health_factor = 77.0;
        keel_status s = keel_stress(BASKET(r), u8(r) & 1 ? BOOK(r) : NULL, MARKET(r), HAIRCUT(r),
                                    2, 1 + u8(r) % 2, as, shocks, out);
        check_status(s);
        if (s != KEEL_OK && out[0].health_factor != 77.0)
            abort();
        break;
    }
    case 57: { /* a short simulation with hostile settings */
        keel_sim_params p = KEEL_SIM_PARAMS_INIT;
        p.steps = u8(r) % 5;
        p.dt = number(r);
        p.close_factor = u8(r) & 1 ? number(r) : 0.5;
        p.seed = u8(r);
        keel_sim *sim = NULL;
        keel_status s = keel_sim_new(BASKET(r), u8(r) & 1 ? BOOK(r) : NULL, MARKET(r), HAIRCUT(r),
                                     COSTS(r), NULL, &p, &sim);
        check_status(s);
        if (s != KEEL_OK)
            break;
        if (u8(r) & 1)
            CALL(keel_sim_set_jumps(sim, asset_id(r), number(r), number(r), number(r)));
        if (u8(r) & 1)
            CALL(keel_sim_set_drift(sim, asset_id(r), number(r)));
        if (u8(r) & 1) {
            keel_asset as[1] = { asset_id(r) };
            double prices[8];
            for (int i = 0; i < 8; i++)
                prices[i] = number(r);
            if (p.steps <= 4)
                CALL(keel_sim_set_paths(sim, 2, 1, as, prices));
        }
        if (u8(r) & 1) { /* a replay with hostile extremes and stamps, then a window */
            keel_asset as[2] = { asset_id(r), asset_id(r) };
            double close[12], low[12], high[12];
            int64_t t[6];
            for (int i = 0; i < 12; i++) {
                close[i] = number(r);
                low[i] = u8(r) & 1 ? close[i] * 0.9 : number(r);
                high[i] = u8(r) & 1 ? close[i] * 1.1 : number(r);
            }
            for (int i = 0; i < 6; i++)
                t[i] = (int64_t)(i * 3600) + (int64_t)(u8(r) % 4) * 1000 - (u8(r) & 1 ? 4000 : 0);
            keel_sim_replay rp = KEEL_SIM_REPLAY_INIT;
            rp.npaths = 1 + u8(r) % 2, rp.rows = 2 + u8(r) % 2, rp.nassets = 1 + u8(r) % 2;
            rp.assets = as, rp.close = close;
            rp.low = u8(r) & 1 ? low : NULL, rp.high = u8(r) & 1 ? high : NULL;
            rp.time = u8(r) & 1 ? t : NULL;
            CALL(keel_sim_set_replay(sim, u8(r) % 8 ? &rp : NULL));
            CALL(keel_sim_set_window(sim, u8(r) % 3, u8(r) % 3));
        }
        if (u8(r) & 1) {
            keel_sim_volatility v = KEEL_SIM_VOLATILITY_INIT;
            v.kind = (keel_sim_vol_kind)(u8(r) % 4);
            v.period = u8(r) & 1 ? number(r) : 1.0 / 365.0;
            v.lambda = u8(r) & 1 ? number(r) : 0.94;
            v.omega = number(r), v.alpha = number(r), v.beta = number(r);
            v.initial_variance = u8(r) & 1 ? number(r) : 0.0;
            v.drives = u8(r) % 3;
            CALL(keel_sim_set_volatility(sim, asset_id(r), &v));
        }
        if (u8(r) & 1) { /* a trace into small buffers: refused or written in bounds */
            double rows[6 * 4], per[6];
            keel_sim_event ev[2];
            keel_sim_trace tr = KEEL_SIM_TRACE_INIT;
            tr.capacity = u8(r) % 7, tr.prices = u8(r) & 1 ? rows : NULL, tr.health = per;
            tr.volatility = NULL, tr.events = u8(r) & 1 ? ev : NULL;
            tr.event_capacity = tr.events ? u8(r) % 3 : 0;
            size_t nassets = 0;
            check_status(keel_market_asset_count(MARKET(r), &nassets));
            if (tr.prices != NULL && nassets > 4)
                tr.prices = NULL;
            keel_sim_stats *one = NULL;
            s = keel_sim_trace_path(sim, u8(r) % 3, &tr, u8(r) & 1 ? &one : NULL);
            check_status(s);
            if (s == KEEL_OK && one != NULL) {
                size_t count = 0;
                double v;
                check_status(keel_sim_stats_values(one, (keel_sim_metric)(u8(r) % 9), NULL, &v, 1, &count));
            }
            keel_sim_stats_free(one);
        }
        keel_sim_stats *stats = NULL;
        s = keel_sim_run(sim, u8(r), 1 + u8(r) % 3, NULL, NULL, &stats);
        check_status(s);
        if (s == KEEL_OK) {
            keel_sim_summary sm = KEEL_SIM_SUMMARY_INIT;
            check_status(keel_sim_stats_summary(stats, &sm));
            if (isnan(sm.liquidation_probability) || isnan(sm.mean_final_equity))
                abort();
            unsigned char buf[24 + 3 * 88];
            size_t need;
            check_status(keel_sim_stats_serialize(stats, buf, sizeof buf, &need));
            keel_sim_stats *back = NULL;
            if (need <= sizeof buf) {
                buf[u8(r) % need] ^= u8(r); /* a damaged copy: refused or read, never a crash */
                check_status(keel_sim_stats_deserialize(buf, need, &back));
            }
            keel_sim_stats_free(back);
        } else if (stats != NULL) {
            abort();
        }
        keel_sim_stats_free(stats);
        keel_sim_free(sim);
        break;
    }
    case 58: { /* statistics from arbitrary bytes */
        unsigned char buf[24 + 2 * 88] = { 'K', 'S', 'T', 'S', 1 };
        size_t len = 24 + (u8(r) % 3) * 88;
        for (size_t i = 5; i < len; i++)
            buf[i] = u8(r) & 1 ? 0 : u8(r);
        keel_sim_stats *stats = NULL;
        keel_status s = keel_sim_stats_deserialize(buf, len - (u8(r) & 1), &stats);
        check_status(s);
        if (s == KEEL_OK) {
            keel_sim_summary sm = KEEL_SIM_SUMMARY_INIT;
            check_status(keel_sim_stats_summary(stats, &sm));
            double v;
            check_status(keel_sim_stats_percentile(stats, KEEL_SIM_FINAL_EQUITY, 0.5, &v));
        }
        keel_sim_stats_free(stats);
        break;
    }
    case 53: { /* the solver's swap and wallet modes */
        keel_deleverage_params p = KEEL_DELEVERAGE_PARAMS_INIT;
        p.target_health = number(r);
        p.repay_asset = u8(r) & 1 ? asset_id(r) : KEEL_ASSET_INVALID;
        p.swap_to = u8(r) & 1 ? asset_id(r) : KEEL_ASSET_INVALID;
        p.wallet = u8(r) & 1 ? BASKET(r) : NULL;
        keel_plan *plan = NULL;
        keel_basket *bk = BASKET(r);
        keel_status s = keel_deleverage(bk, NULL, MARKET(r), HAIRCUT(r), COSTS(r), &p, &plan, NULL);
        check_status(s);
        if (s == KEEL_OK && u8(r) & 1)
            check_status(keel_plan_apply(plan, bk));
        keel_plan_free(plan);
        break;
    }
    case 59: { /* every getter: a failed call writes nothing */
        const double mark = -7.25;
        double a = mark, b = mark;
        keel_status s;
#define GETTER(call)                                                                             \
    do {                                                                                         \
        a = b = mark;                                                                            \
        s = (call);                                                                              \
        check_status(s);                                                                         \
        if (s != KEEL_OK && (a != mark || b != mark))                                            \
            abort();                                                                             \
    } while (0)
        switch (u8(r) % 12) {
        case 0: GETTER(keel_market_rate(MARKET(r), &a)); break;
        case 1: GETTER(keel_market_volatility(MARKET(r), asset_id(r), &a)); break;
        case 2: GETTER(keel_market_carry(MARKET(r), asset_id(r), &a)); break;
        case 3: GETTER(keel_market_depth(MARKET(r), asset_id(r), &a)); break;
        case 4: GETTER(keel_basket_debt(BASKET(r), asset_id(r), &a)); break;
        case 5: GETTER(keel_haircut_model_asset(HAIRCUT(r), asset_id(r), &a, &b)); break;
        case 6: GETTER(keel_haircut_model_borrow_factor(HAIRCUT(r), asset_id(r), &a)); break;
        case 7: GETTER(keel_haircut_model_cap(HAIRCUT(r), asset_id(r), &a)); break;
        case 8: GETTER(keel_haircut_model_concentration(HAIRCUT(r), asset_id(r), &a, &b)); break;
        case 9: GETTER(keel_haircut_model_liquidity_addon(HAIRCUT(r), &a, &b)); break;
        case 10: GETTER(keel_haircut_model_volatility_addon(HAIRCUT(r), &a, &b)); break;
        default: GETTER(keel_haircut_model_peg_mismatch_addon(HAIRCUT(r), &a)); break;
        }
#undef GETTER
        uint32_t group = 99;
        s = keel_haircut_model_peg_group(HAIRCUT(r), asset_id(r), &group);
        check_status(s);
        if (s != KEEL_OK && group != 99)
            abort();
        keel_concentration_mode mode = (keel_concentration_mode)77;
        check_status(keel_haircut_model_concentration_mode(HAIRCUT(r), &mode));
        int on = 5;
        check_status(keel_haircut_model_portfolio_mode(HAIRCUT(r), &on));
        keel_impact impact;
        check_status(keel_cost_model_impact(COSTS(r), asset_id(r), &impact));
        size_t count = 0;
        keel_options *book = BOOK(r);
        check_status(keel_options_count(book, &count));
        keel_option_position pos = KEEL_OPTION_POSITION_INIT;
        check_status(keel_options_position(book, u8(r) % 4, &pos));
        check_status(keel_garch_annual_volatility(&st->garch, number(r), &a));
        if (keel_version()[0] == '\0' || keel_version_number() == 0)
            abort();
        break;
    }
    case 60: { /* prices and greeks of a book, and implied volatility of hostile prices */
        keel_options *book = BOOK(r);
        keel_market *m = MARKET(r);
        double v = -5.0;
        keel_status s = keel_options_value(book, m, &v);
        check_status(s);
        if ((s == KEEL_OK && isnan(v)) || (s != KEEL_OK && v != -5.0))
            abort();
        keel_greeks g = KEEL_GREEKS_INIT;
        s = keel_options_greeks(book, m, asset_id(r), &g);
        check_status(s);
        if (s == KEEL_OK && (isnan(g.value) || isnan(g.delta) || isnan(g.gamma)))
            abort();
        keel_option_type ty = (keel_option_type)(u8(r) % 3);
        double spot = number(r), strike = number(r), t = number(r), rate = number(r);
        double q = number(r), vol = number(r);
        keel_greeks p = KEEL_GREEKS_INIT;
        double iv = -2.0;
        if (u8(r) & 1) {
            s = keel_black76(ty, spot, strike, t, rate, vol, &p);
            check_status(s);
            double price = s == KEEL_OK ? p.value : number(r);
            s = keel_implied_volatility_black76(ty, price, spot, strike, t, rate, &iv);
        } else {
            s = keel_black_scholes(ty, spot, strike, t, rate, q, vol, &p);
            check_status(s);
            double price = s == KEEL_OK ? p.value : number(r);
            s = keel_implied_volatility(ty, price, spot, strike, t, rate, q, &iv);
        }
        check_status(s);
        if ((s == KEEL_OK && !(iv >= 0.0 && iv < INFINITY)) || (s != KEEL_OK && iv != -2.0))
            abort();
        break;
    }
    case 61: { /* compositions, clones and a plan's actions */
        keel_health_band_params hb = KEEL_HEALTH_BAND_PARAMS_INIT;
        hb.repay_below = number(r);
        hb.debt_asset = asset_id(r);
        keel_predictive_params pp = KEEL_PREDICTIVE_PARAMS_INIT;
        pp.max_probability = number(r);
        keel_policy *one = NULL, *two = NULL, *both = NULL, *copy = NULL;
        CALL(keel_policy_health_band(&hb, &one));
        CALL(keel_policy_predictive(&pp, &two));
        const keel_policy *list[3] = { one, two, u8(r) & 1 ? one : NULL };
        keel_status s = keel_policy_compose(list, u8(r) % 4, &both);
        check_status(s);
        if (s != KEEL_OK && both != NULL)
            abort();
        keel_policy_kind kind = (keel_policy_kind)99;
        check_status(keel_policy_kind_of(both, &kind));
        s = keel_policy_clone(u8(r) & 1 ? both : one, &copy);
        check_status(s);
        keel_plan *plan = NULL;
        if (copy != NULL &&
            keel_policy_plan(copy, BASKET(r), NULL, MARKET(r), HAIRCUT(r), COSTS(r), NULL,
                             &plan) == KEEL_OK) {
            size_t nact = 0;
            check_status(keel_plan_action_count(plan, &nact));
            keel_action act = KEEL_ACTION_INIT;
            act.quantity = -9.0;
            size_t at = u8(r) % (nact + 2);
            s = keel_plan_action(plan, at, &act);
            check_status(s);
            if ((s == KEEL_OK) != (at < nact) || (s != KEEL_OK && act.quantity != -9.0))
                abort();
        }
        keel_plan_free(plan);
        keel_policy_free(copy);
        keel_policy_free(both);
        keel_policy_free(two);
        keel_policy_free(one);
        break;
    }
    case 62: { /* shards of one simulation merge; others and overlaps are refused */
        keel_cost_model *costs = NULL;
        if (keel_cost_model_clone(COSTS(r), &costs) != KEEL_OK)
            break;
        keel_sim_params p = KEEL_SIM_PARAMS_INIT;
        p.steps = 1 + u8(r) % 3;
        keel_sim *sim = NULL;
        if (keel_sim_new(BASKET(r), NULL, MARKET(r), HAIRCUT(r), costs, NULL, &p, &sim) ==
            KEEL_OK) {
            keel_sim_stats *a = NULL, *b = NULL;
            uint64_t first = u8(r) % 4, count = 1 + u8(r) % 3;
            CALL(keel_sim_run(sim, 0, 1 + u8(r) % 3, NULL, NULL, &a));
            CALL(keel_sim_run(sim, first, count, NULL, NULL, &b));
            if (a != NULL && b != NULL) {
                keel_sim_summary before = KEEL_SIM_SUMMARY_INIT, after = KEEL_SIM_SUMMARY_INIT;
                check_status(keel_sim_stats_summary(a, &before));
                keel_status s = keel_sim_stats_merge(a, u8(r) & 1 ? b : a);
                check_status(s);
                check_status(keel_sim_stats_summary(a, &after));
                if (s != KEEL_OK && memcmp(&before, &after, sizeof before) != 0)
                    abort(); /* a refused merge changed the statistics */
            }
            keel_sim_stats_free(a);
            keel_sim_stats_free(b);
        }
        keel_sim_free(sim);
        keel_cost_model_free(costs);
        break;
    }
    case 48: {
        keel_swap_result sr = KEEL_SWAP_RESULT_INIT;
        keel_status s = keel_cost_model_swap(COSTS(r), MARKET(r), asset_id(r), asset_id(r),
                                             number(r), &sr);
        check_status(s);
        if (s == KEEL_OK && (isnan(sr.bought) || sr.bought < 0.0 || isnan(sr.total_cost)))
            abort();
        break;
    }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    state st;
    memset(&st, 0, sizeof st);
    reader r = { data, size };
    /* a populated start so that short inputs reach the valuation code */
    keel_market_new(&st.m[0]);
    keel_basket_new(&st.b[0]);
    keel_haircut_model_new(&st.h[0]);
    keel_market_add_asset(st.m[0], "ETH", 2000.0, NULL);
    keel_market_add_asset(st.m[0], "USDC", 1.0, NULL);
    keel_market_set_volatility(st.m[0], 0, 0.8);
    keel_haircut_model_set_asset(st.h[0], 0, 0.2, 0.15);
    keel_basket_set_collateral(st.b[0], 0, 10.0);
    keel_basket_set_debt(st.b[0], 1, 10000.0);
    /* and an Aave market with an account on it */
    keel_aave_market_new(KEEL_AAVE_V3_6, &st.am[0]);
    keel_aave_reserve rv = KEEL_AAVE_RESERVE_INIT;
    rv.ltv = 8050, rv.liquidation_threshold = 8300, rv.liquidation_bonus = 10500;
    rv.liquidation_protocol_fee = 1000, rv.price = keel_u256_from_u64(200000000000ull);
    keel_aave_market_add_reserve(st.am[0], "WETH", &rv, &(uint32_t){ 0 });
    rv.decimals = 6, rv.price = keel_u256_from_u64(100000000ull);
    keel_aave_market_add_reserve(st.am[0], "USDC", &rv, &(uint32_t){ 0 });
    keel_aave_account_new(&st.aa[0]);
    keel_aave_account_set_position(st.aa[0], st.am[0], 0, keel_u256_from_u64(10000000000000000000ull),
                                   keel_u256_from_u64(0), KEEL_AAVE_COLLATERAL | KEEL_AAVE_UNDERLYING);
    keel_aave_account_set_position(st.aa[0], st.am[0], 1, keel_u256_from_u64(0),
                                   keel_u256_from_u64(17000000000ull), KEEL_AAVE_UNDERLYING);
    for (int i = 0; i < 256 && r.n > 0; i++)
        step(&st, &r);
    value(&st, &r);
    for (int i = 0; i < SLOTS; i++) {
        keel_aave_account_free(st.aa[i]);
        keel_aave_market_free(st.am[i]);
        keel_comet_account_free(st.ca[i]);
        keel_comet_market_free(st.cm[i]);
        keel_morpho_market_free(st.mm[i]);
        keel_cost_model_free(st.c[i]);
        keel_options_free(st.o[i]);
        keel_market_free(st.m[i]);
        keel_basket_free(st.b[i]);
        keel_haircut_model_free(st.h[i]);
    }
    if (keel_live_handles() != 0)
        abort(); /* a handle leaked */
    return 0;
}

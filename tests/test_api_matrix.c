/* The bad-input matrix: every public function x every class of bad argument
 * that applies to it (NULL, NaN, +-Inf, negative, out of range, unknown id,
 * wrong handle type), asserting the status and that no handle changed; and
 * the allocation table: which functions may allocate. A function the
 * library exports but this table does not list fails the suite, so each new
 * function needs a row. Functions marked as not allocating are run under an
 * allocator that fails every call, proving the mark; those marked as
 * allocating are driven through out-of-memory injection (fail the 1st, 2nd,
 * ... allocation until the call succeeds: KEEL_E_NOMEM each time, nothing
 * changed, nothing leaked). */
#include <stdbool.h>
#include <stdio.h>

#include "testutil.h"

typedef struct fx {
    keel_market *m;
    keel_basket *b;
    keel_haircut_model *h;
    keel_options *o;
    keel_cost_model *c;
    keel_policy *p; /* a health band that repays the fixture's account */
    keel_sim *sim;  /* two steps of the fixture's account */
    keel_sim_stats *stats; /* paths 0 .. 2 of it */
    keel_ewma e;
    keel_garch g;
    keel_aave_market *am;    /* v3.6: WETH (0), USDC (1), e-mode 1 */
    keel_aave_market *small; /* WETH only: the fixture's accounts hold a reserve it lacks */
    keel_aave_account *aa;   /* 10 WETH against 12,000 USDC: HF 1.383 */
    keel_aave_account *al;   /* 10 WETH against 17,000 USDC: HF 0.976, liquidatable */
    keel_comet_market *cm;   /* USDC base, WETH (0) */
    keel_comet_market *cs;   /* USDC base, no collateral assets */
    keel_comet_account *ca;  /* 1 WETH against 1,000 USDC: collateralized */
    keel_comet_account *cl;  /* 1 WETH against 1,800 USDC: liquidatable */
    keel_morpho_market *mm;  /* Morpho Blue: USDC loan, WETH collateral, LLTV 0.86, 2,000 USDC */
} fx;

enum { ETH, USDC, WBTC };

/* Zero as a keel_u256 initializer (the fixture is built before the rows' constants). */
#define U0_INIT ((keel_u256){ { 0, 0, 0, 0 } })

/* The second fixture adds 32 assets held as collateral: 39 positions, past
 * the valuation's stack buffer of 32, so its heap path runs too. */
static bool big_fixture;

static void fx_make(fx *f)
{
    memset(f, 0, sizeof *f);
    ck_ok(keel_market_new(&f->m));
    ck_ok(keel_basket_new(&f->b));
    ck_ok(keel_haircut_model_new(&f->h));
    ck_ok(keel_market_add_asset(f->m, "ETH", 2000.0, NULL));
    ck_ok(keel_market_add_asset(f->m, "USDC", 1.0, NULL));
    ck_ok(keel_market_add_asset(f->m, "WBTC", 60000.0, NULL));
    ck_ok(keel_market_set_volatility(f->m, ETH, 0.8));
    ck_ok(keel_market_set_volatility(f->m, WBTC, 0.6));
    /* fill each store to its capacity, so the next insert must grow */
    for (keel_asset a = 3; a < 16; a++) { /* 16 assets: the next one grows the store */
        char sym[8];
        snprintf(sym, sizeof sym, "X%u", (unsigned)a);
        ck_ok(keel_market_add_asset(f->m, sym, 1.0 + a, NULL));
    }
    for (keel_asset a = 1; a < 8; a++)
        ck_ok(keel_market_set_correlation(f->m, 0, a, 0.1));
    ck_ok(keel_market_set_correlation(f->m, 1, 2, 0.1));
    ck_ok(keel_haircut_model_set_asset(f->h, ETH, 0.2, 0.15));
    for (keel_asset a = 1; a < 8; a++)
        ck_ok(keel_haircut_model_set_asset(f->h, a, 0.3, 0.25));
    ck_ok(keel_basket_set_collateral(f->b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(f->b, USDC, 12000.0));
    ck_ok(keel_basket_set_collateral(f->b, WBTC, 0.1));
    ck_ok(keel_basket_set_collateral(f->b, 3, 1.0));
    for (keel_asset a = 7; a < 11; a++) /* eight positions: the next one grows the store */
        ck_ok(keel_basket_set_collateral(f->b, a, 0.5));
    if (big_fixture)
        for (keel_asset a = 16; a < 48; a++) {
            char sym[8];
            snprintf(sym, sizeof sym, "Y%u", (unsigned)a);
            ck_ok(keel_market_add_asset(f->m, sym, 10.0 + a, NULL));
            ck_ok(keel_haircut_model_set_asset(f->h, a, 0.3, 0.25));
            ck_ok(keel_basket_set_collateral(f->b, a, 1.0));
        }
    ck_ok(keel_ewma_init(&f->e, 0.94, 1e-4));
    ck_ok(keel_garch_init(&f->g, 2e-6, 0.1, 0.85, 1e-4));
    /* eight assets with costs: the store is full, the next asset grows it */
    ck_ok(keel_cost_model_new(&f->c));
    for (keel_asset a = 0; a < 8; a++)
        ck_ok(keel_cost_model_set_fee(f->c, a, 0.001, 0.0005));
    ck_ok(keel_cost_model_set_pool(f->c, WBTC, 100.0, 6e6, 0.003));
    /* eight positions (ids 1..8): the store is full, the next add grows it */
    ck_ok(keel_options_new(&f->o));
    for (int i = 0; i < 8; i++)
        ck_ok(keel_options_add(f->o, i % 2 ? ETH : WBTC, i % 3 ? KEEL_CALL : KEEL_PUT,
                               i % 2 ? 2000.0 + 100 * i : 60000.0, 0.1 + 0.05 * i,
                               i % 2 ? -1.0 : 0.01, NULL));
    keel_health_band_params hb = KEEL_HEALTH_BAND_PARAMS_INIT;
    hb.repay_below = 1.9;
    hb.repay_to = 2.0;
    hb.boost_to = 2.0;
    hb.boost_above = 3.0;
    hb.debt_asset = USDC;
    ck_ok(keel_policy_health_band(&hb, &f->p));
    keel_sim_params sp = KEEL_SIM_PARAMS_INIT;
    sp.steps = 2;
    ck_ok(keel_sim_new(f->b, NULL, f->m, f->h, f->c, NULL, &sp, &f->sim));
    ck_ok(keel_sim_run(f->sim, 0, 3, NULL, NULL, &f->stats));
    /* Aave v3 */
    keel_aave_reserve weth = KEEL_AAVE_RESERVE_INIT, usdc = KEEL_AAVE_RESERVE_INIT;
    weth.ltv = 8050, weth.liquidation_threshold = 8300, weth.liquidation_bonus = 10500;
    weth.liquidation_protocol_fee = 1000, weth.price = keel_u256_from_u64(200000000000ull);
    weth.liquidity_rate = keel_u256_from_u64(10000000000000000000ull); /* 1e-8 a year */
    weth.variable_borrow_rate = keel_u256_from_u64(15000000000000000000ull);
    weth.last_update = 1000;
    usdc.decimals = 6, usdc.ltv = 7700, usdc.liquidation_threshold = 8000;
    usdc.liquidation_bonus = 10450, usdc.price = keel_u256_from_u64(100000000ull);
    usdc.last_update = 1000;
    ck_ok(keel_aave_market_new(KEEL_AAVE_V3_6, &f->am));
    ck_ok(keel_aave_market_add_reserve(f->am, "WETH", &weth, &(uint32_t){ 0 }));
    ck_ok(keel_aave_market_add_reserve(f->am, "USDC", &usdc, &(uint32_t){ 0 }));
    keel_aave_emode em = KEEL_AAVE_EMODE_INIT;
    em.ltv = 9000, em.liquidation_threshold = 9300, em.liquidation_bonus = 10100;
    em.collateral_bitmap[0] = 1, em.borrowable_bitmap[0] = 2;
    ck_ok(keel_aave_market_set_emode(f->am, 1, &em));
    ck_ok(keel_aave_market_new(KEEL_AAVE_V3_6, &f->small));
    ck_ok(keel_aave_market_add_reserve(f->small, "WETH", &weth, &(uint32_t){ 0 }));
    ck_ok(keel_aave_account_new(&f->aa));
    ck_ok(keel_aave_account_new(&f->al));
    keel_u256 ten_eth = keel_u256_from_u64(10000000000000000000ull);
    ck_ok(keel_aave_account_set_position(f->aa, f->am, 0, ten_eth, U0_INIT, 3));
    ck_ok(keel_aave_account_set_position(f->aa, f->am, 1, U0_INIT, keel_u256_from_u64(12000000000ull), 2));
    ck_ok(keel_aave_account_set_position(f->al, f->am, 0, ten_eth, U0_INIT, 3));
    ck_ok(keel_aave_account_set_position(f->al, f->am, 1, U0_INIT, keel_u256_from_u64(17000000000ull), 2));
    /* Compound v3 */
    keel_comet_base cb = KEEL_COMET_BASE_INIT;
    cb.total_supply_base = keel_u256_from_u64(10000000000000ull);
    cb.total_borrow_base = keel_u256_from_u64(5000000000000ull);
    cb.base_balance = keel_u256_from_u64(5000000000000ull);
    cb.target_reserves = keel_u256_from_u64(1000000000000ull);
    cb.store_front_price_factor = 500000000000000000ull;
    cb.borrow_per_year_interest_rate_base = 20000000000000000ull;
    cb.last_accrual_time = 1000;
    ck_ok(keel_comet_market_new("USDC", &cb, &f->cm));
    ck_ok(keel_comet_market_new("USDC", &cb, &f->cs));
    keel_comet_asset cw = KEEL_COMET_ASSET_INIT;
    cw.price = keel_u256_from_u64(200000000000ull);
    cw.borrow_collateral_factor = 825000000000000000ull;
    cw.liquidate_collateral_factor = 895000000000000000ull;
    cw.liquidation_factor = 950000000000000000ull;
    cw.supply_cap = keel_u256_from_u64(UINT64_MAX);
    cw.total_supply_asset = keel_u256_from_u64(10000000000000000000ull);
    cw.balance = keel_u256_from_u64(11000000000000000000ull);
    ck_ok(keel_comet_market_add_asset(f->cm, "WETH", &cw, &(uint32_t){ 0 }));
    ck_ok(keel_comet_account_new(&f->ca));
    ck_ok(keel_comet_account_new(&f->cl));
    keel_comet_int debt = { keel_u256_from_u64(1000000000ull), 1, 0 };
    ck_ok(keel_comet_account_set_principal(f->ca, debt));
    debt.magnitude = keel_u256_from_u64(1800000000ull);
    ck_ok(keel_comet_account_set_principal(f->cl, debt));
    ck_ok(keel_comet_account_set_collateral(f->ca, f->cm, 0, keel_u256_from_u64(1000000000000000000ull)));
    ck_ok(keel_comet_account_set_collateral(f->cl, f->cm, 0, keel_u256_from_u64(1000000000000000000ull)));
    /* Morpho Blue: 1e6 borrow shares per asset */
    keel_morpho_params mp = KEEL_MORPHO_PARAMS_INIT;
    mp.loan_decimals = 6;
    ck_ok(keel_u256_from_string("2000000000000000000000000000", &mp.price)); /* 2e27 */
    mp.lltv = keel_u256_from_u64(860000000000000000ull);
    keel_morpho_state ms = KEEL_MORPHO_STATE_INIT;
    ms.total_supply_assets = keel_u256_from_u64(2000000000000ull);
    ms.total_supply_shares = keel_u256_from_u64(2000000000000000000ull);
    ms.total_borrow_assets = keel_u256_from_u64(1000000000000ull);
    ms.total_borrow_shares = keel_u256_from_u64(1000000000000000000ull);
    ms.last_update = 1000;
    ck_ok(keel_morpho_market_new("USDC", "WETH", &mp, &ms, &f->mm));
}

static void fx_free(fx *f)
{
    keel_comet_account_free(f->ca);
    keel_comet_account_free(f->cl);
    keel_comet_market_free(f->cm);
    keel_comet_market_free(f->cs);
    keel_morpho_market_free(f->mm);
    keel_aave_account_free(f->aa);
    keel_aave_account_free(f->al);
    keel_aave_market_free(f->am);
    keel_aave_market_free(f->small);
    keel_policy_free(f->p);
    keel_sim_stats_free(f->stats);
    keel_sim_free(f->sim);
    keel_cost_model_free(f->c);
    keel_options_free(f->o);
    keel_market_free(f->m);
    keel_basket_free(f->b);
    keel_haircut_model_free(f->h);
}

/* Handles of the wrong type, for the tag checks. */
#define WRONG_M(f) ((keel_market *)(void *)(f)->b)
#define WRONG_B(f) ((keel_basket *)(void *)(f)->h)
#define WRONG_H(f) ((keel_haircut_model *)(void *)(f)->m)
#define WRONG_O(f) ((keel_options *)(void *)(f)->h)
#define WRONG_C(f) ((keel_cost_model *)(void *)(f)->o)
#define WRONG_P(f) ((keel_policy *)(void *)(f)->c)
#define WRONG_S(f) ((keel_sim *)(void *)(f)->c)
#define WRONG_ST(f) ((keel_sim_stats *)(void *)(f)->m)

static const double NONFINITE[3] = { NAN, INFINITY, -INFINITY };

/* Returns a status other than KEEL_OK from a good_ function. */
#define KEEL_TEST_TRY(expr)                   \
    do {                                      \
        keel_status t_s_ = (expr);            \
        if (t_s_ != KEEL_OK)                  \
            return t_s_;                      \
    } while (0)

/* ---- rows: one function each, every class of bad input that applies ---- */

#define GETTER_ROW(fn, handle, wrong, id_checked)                                         \
    static void bad_##fn(fx *f)                                                           \
    {                                                                                     \
        double x;                                                                         \
        ck_status(fn(NULL, ETH, &x), KEEL_E_NULL_ARG);                                    \
        ck_status(fn(wrong(f), ETH, &x), KEEL_E_BAD_HANDLE);                              \
        ck_status(fn(f->handle, ETH, NULL), KEEL_E_NULL_ARG);                             \
        if (id_checked)                                                                   \
            ck_status(fn(f->handle, 99, &x), KEEL_E_UNKNOWN_ASSET);                       \
    }                                                                                     \
    static keel_status good_##fn(fx *f)                                                   \
    {                                                                                     \
        double x;                                                                         \
        return fn(f->handle, ETH, &x);                                                    \
    }

GETTER_ROW(keel_market_price, m, WRONG_M, 1)
GETTER_ROW(keel_market_volatility, m, WRONG_M, 1)
GETTER_ROW(keel_market_carry, m, WRONG_M, 1)
GETTER_ROW(keel_market_depth, m, WRONG_M, 1)
GETTER_ROW(keel_basket_collateral, b, WRONG_B, 0)
GETTER_ROW(keel_basket_debt, b, WRONG_B, 0)
GETTER_ROW(keel_haircut_model_borrow_factor, h, WRONG_H, 0)
GETTER_ROW(keel_haircut_model_cap, h, WRONG_H, 0)

/* Setters of one number: non-finite, then `low` (below its range, expecting
 * `low_status`), unknown or invalid id, NULL and wrong handle. */
#define SETTER_ROW(fn, handle, wrong, low, low_status, bad_id, good_id, good_value)      \
    static void bad_##fn(fx *f)                                                           \
    {                                                                                     \
        for (int i = 0; i < 3; i++)                                                       \
            ck_status(fn(f->handle, ETH, NONFINITE[i]), KEEL_E_NOT_FINITE);               \
        if ((low_status) != KEEL_OK)                                                      \
            ck_status(fn(f->handle, ETH, low), low_status);                               \
        ck_status(fn(f->handle, bad_id, good_value), KEEL_E_UNKNOWN_ASSET);               \
        ck_status(fn(NULL, ETH, good_value), KEEL_E_NULL_ARG);                            \
        ck_status(fn(wrong(f), ETH, good_value), KEEL_E_BAD_HANDLE);                      \
    }                                                                                     \
    static keel_status good_##fn(fx *f)                                                   \
    {                                                                                     \
        return fn(f->handle, good_id, good_value);                                        \
    }

SETTER_ROW(keel_market_set_price, m, WRONG_M, -1.0, KEEL_E_OUT_OF_RANGE, 99, ETH, 2100.0)
SETTER_ROW(keel_market_set_volatility, m, WRONG_M, -0.1, KEEL_E_OUT_OF_RANGE, 99, ETH, 0.7)
SETTER_ROW(keel_market_set_carry, m, WRONG_M, -0.1, KEEL_OK, 99, ETH, 0.03)
SETTER_ROW(keel_basket_set_collateral, b, WRONG_B, -1.0, KEEL_E_OUT_OF_RANGE, KEEL_ASSET_INVALID, 6, 11.0)
SETTER_ROW(keel_basket_set_debt, b, WRONG_B, -1.0, KEEL_E_OUT_OF_RANGE, KEEL_ASSET_INVALID, 6, 1.0)
SETTER_ROW(keel_basket_add_collateral, b, WRONG_B, -100.0, KEEL_E_OUT_OF_RANGE, KEEL_ASSET_INVALID, 6, 1.0)
SETTER_ROW(keel_basket_add_debt, b, WRONG_B, -1e9, KEEL_E_OUT_OF_RANGE, KEEL_ASSET_INVALID, 6, 1.0)
SETTER_ROW(keel_haircut_model_set_borrow_factor, h, WRONG_H, 0.5, KEEL_E_OUT_OF_RANGE, KEEL_ASSET_INVALID, 50, 1.1)
SETTER_ROW(keel_haircut_model_set_cap, h, WRONG_H, -0.5, KEEL_E_OUT_OF_RANGE, KEEL_ASSET_INVALID, 50, 0.9)

static void bad_keel_market_set_depth(fx *f)
{
    ck_status(keel_market_set_depth(f->m, ETH, NAN), KEEL_E_NOT_FINITE);
    ck_status(keel_market_set_depth(f->m, ETH, -INFINITY), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_market_set_depth(f->m, ETH, 0.0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_market_set_depth(f->m, 99, 1.0), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_market_set_depth(NULL, ETH, 1.0), KEEL_E_NULL_ARG);
    ck_status(keel_market_set_depth(WRONG_M(f), ETH, 1.0), KEEL_E_BAD_HANDLE);
}
static keel_status good_keel_market_set_depth(fx *f) { return keel_market_set_depth(f->m, ETH, 1e6); }

/* Constructors and clones: NULL out (and NULL / wrong source for clones). */
#define NEW_ROW(fn, type, freefn)                                                         \
    static void bad_##fn(fx *f)                                                           \
    {                                                                                     \
        (void)f;                                                                          \
        ck_status(fn(NULL), KEEL_E_NULL_ARG);                                             \
    }                                                                                     \
    static keel_status good_##fn(fx *f)                                                   \
    {                                                                                     \
        (void)f;                                                                          \
        type *x = NULL;                                                                   \
        keel_status s = fn(&x);                                                           \
        freefn(x);                                                                        \
        return s;                                                                         \
    }
NEW_ROW(keel_market_new, keel_market, keel_market_free)
NEW_ROW(keel_basket_new, keel_basket, keel_basket_free)
NEW_ROW(keel_haircut_model_new, keel_haircut_model, keel_haircut_model_free)
NEW_ROW(keel_options_new, keel_options, keel_options_free)
NEW_ROW(keel_cost_model_new, keel_cost_model, keel_cost_model_free)

#define CLONE_ROW(fn, type, handle, wrong, freefn)                                        \
    static void bad_##fn(fx *f)                                                           \
    {                                                                                     \
        type *x = NULL;                                                                   \
        ck_status(fn(f->handle, NULL), KEEL_E_NULL_ARG);                                  \
        ck_status(fn(NULL, &x), KEEL_E_NULL_ARG);                                         \
        ck_status(fn(wrong(f), &x), KEEL_E_BAD_HANDLE);                                   \
        ck_assert_ptr_null(x);                                                            \
    }                                                                                     \
    static keel_status good_##fn(fx *f)                                                   \
    {                                                                                     \
        type *x = NULL;                                                                   \
        keel_status s = fn(f->handle, &x);                                                \
        freefn(x);                                                                        \
        return s;                                                                         \
    }
CLONE_ROW(keel_market_clone, keel_market, m, WRONG_M, keel_market_free)
CLONE_ROW(keel_basket_clone, keel_basket, b, WRONG_B, keel_basket_free)
CLONE_ROW(keel_haircut_model_clone, keel_haircut_model, h, WRONG_H, keel_haircut_model_free)
CLONE_ROW(keel_options_clone, keel_options, o, WRONG_O, keel_options_free)
CLONE_ROW(keel_cost_model_clone, keel_cost_model, c, WRONG_C, keel_cost_model_free)

/* Free functions take no status; NULL and a wrong type are no-ops. */
#define FREE_ROW(fn, wrong)                                                               \
    static void bad_##fn(fx *f)                                                           \
    {                                                                                     \
        size_t live = keel_live_handles();                                                \
        fn(NULL);                                                                         \
        fn(wrong(f));                                                                     \
        ck_assert_uint_eq(keel_live_handles(), live);                                     \
    }                                                                                     \
    static keel_status good_##fn(fx *f)                                                   \
    {                                                                                     \
        (void)f;                                                                          \
        fn(NULL);                                                                         \
        return KEEL_OK;                                                                   \
    }
FREE_ROW(keel_market_free, WRONG_M)
FREE_ROW(keel_basket_free, WRONG_B)
FREE_ROW(keel_haircut_model_free, WRONG_H)
FREE_ROW(keel_options_free, WRONG_O)
FREE_ROW(keel_cost_model_free, WRONG_C)

/* ---- market ---- */

static void bad_keel_market_add_asset(fx *f)
{
    keel_asset id = 77;
    ck_status(keel_market_add_asset(NULL, "NEW", 1.0, &id), KEEL_E_NULL_ARG);
    ck_status(keel_market_add_asset(WRONG_M(f), "NEW", 1.0, &id), KEEL_E_BAD_HANDLE);
    ck_status(keel_market_add_asset(f->m, NULL, 1.0, &id), KEEL_E_NULL_ARG);
    ck_status(keel_market_add_asset(f->m, "", 1.0, &id), KEEL_E_INVALID_SYMBOL);
    ck_status(keel_market_add_asset(f->m, "A B", 1.0, &id), KEEL_E_INVALID_SYMBOL);
    ck_status(keel_market_add_asset(f->m, "ETH", 1.0, &id), KEEL_E_DUPLICATE);
    for (int i = 0; i < 3; i++)
        ck_status(keel_market_add_asset(f->m, "NEW", NONFINITE[i], &id), KEEL_E_NOT_FINITE);
    ck_status(keel_market_add_asset(f->m, "NEW", -1.0, &id), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_market_add_asset(f->m, "NEW", 0.0, &id), KEEL_E_OUT_OF_RANGE);
    ck_assert_uint_eq(id, 77);
}
static keel_status good_keel_market_add_asset(fx *f)
{
    return keel_market_add_asset(f->m, "NEW", 5.0, NULL);
}

static void bad_keel_market_find(fx *f)
{
    keel_asset id;
    ck_status(keel_market_find(NULL, "ETH", &id), KEEL_E_NULL_ARG);
    ck_status(keel_market_find(WRONG_M(f), "ETH", &id), KEEL_E_BAD_HANDLE);
    ck_status(keel_market_find(f->m, NULL, &id), KEEL_E_NULL_ARG);
    ck_status(keel_market_find(f->m, "ETH", NULL), KEEL_E_NULL_ARG);
    ck_status(keel_market_find(f->m, "NOPE", &id), KEEL_E_NOT_FOUND);
}
static keel_status good_keel_market_find(fx *f)
{
    keel_asset id;
    return keel_market_find(f->m, "WBTC", &id);
}

static void bad_keel_market_asset_count(fx *f)
{
    size_t n;
    ck_status(keel_market_asset_count(NULL, &n), KEEL_E_NULL_ARG);
    ck_status(keel_market_asset_count(WRONG_M(f), &n), KEEL_E_BAD_HANDLE);
    ck_status(keel_market_asset_count(f->m, NULL), KEEL_E_NULL_ARG);
}
static keel_status good_keel_market_asset_count(fx *f)
{
    size_t n;
    return keel_market_asset_count(f->m, &n);
}

static void bad_keel_market_symbol(fx *f)
{
    char buf[8] = "xxxxxxx";
    ck_status(keel_market_symbol(NULL, ETH, buf, sizeof buf), KEEL_E_NULL_ARG);
    ck_status(keel_market_symbol(WRONG_M(f), ETH, buf, sizeof buf), KEEL_E_BAD_HANDLE);
    ck_status(keel_market_symbol(f->m, 99, buf, sizeof buf), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_market_symbol(f->m, ETH, NULL, sizeof buf), KEEL_E_NULL_ARG);
    ck_status(keel_market_symbol(f->m, WBTC, buf, 4), KEEL_E_BUFFER_TOO_SMALL);
    ck_assert_str_eq(buf, "xxxxxxx");
}
static keel_status good_keel_market_symbol(fx *f)
{
    char buf[KEEL_SYMBOL_MAX + 1];
    return keel_market_symbol(f->m, ETH, buf, sizeof buf);
}

static void bad_keel_market_set_prices(fx *f)
{
    double ok[3] = { 1.0, 2.0, 3.0 };
    ck_status(keel_market_set_prices(NULL, ok, 3), KEEL_E_NULL_ARG);
    ck_status(keel_market_set_prices(WRONG_M(f), ok, 3), KEEL_E_BAD_HANDLE);
    ck_status(keel_market_set_prices(f->m, NULL, 3), KEEL_E_NULL_ARG);
    ck_status(keel_market_set_prices(f->m, ok, 99), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_market_set_prices(f->m, ok, SIZE_MAX), KEEL_E_UNKNOWN_ASSET);
    for (int i = 0; i < 3; i++) {
        double bad[3] = { 1.0, 2.0, NONFINITE[i] };
        ck_status(keel_market_set_prices(f->m, bad, 3), KEEL_E_NOT_FINITE);
    }
    double neg[3] = { 1.0, -2.0, 3.0 };
    ck_status(keel_market_set_prices(f->m, neg, 3), KEEL_E_OUT_OF_RANGE);
}
static keel_status good_keel_market_set_prices(fx *f)
{
    double p[2] = { 2100.0, 1.0 };
    return keel_market_set_prices(f->m, p, 2);
}

static void bad_keel_market_set_rate(fx *f)
{
    for (int i = 0; i < 3; i++)
        ck_status(keel_market_set_rate(f->m, NONFINITE[i]), KEEL_E_NOT_FINITE);
    ck_status(keel_market_set_rate(NULL, 0.01), KEEL_E_NULL_ARG);
    ck_status(keel_market_set_rate(WRONG_M(f), 0.01), KEEL_E_BAD_HANDLE);
}
static keel_status good_keel_market_set_rate(fx *f) { return keel_market_set_rate(f->m, 0.04); }

static void bad_keel_market_rate(fx *f)
{
    double x;
    ck_status(keel_market_rate(NULL, &x), KEEL_E_NULL_ARG);
    ck_status(keel_market_rate(WRONG_M(f), &x), KEEL_E_BAD_HANDLE);
    ck_status(keel_market_rate(f->m, NULL), KEEL_E_NULL_ARG);
}
static keel_status good_keel_market_rate(fx *f)
{
    double x;
    return keel_market_rate(f->m, &x);
}

static void bad_keel_market_set_correlation(fx *f)
{
    for (int i = 0; i < 3; i++)
        ck_status(keel_market_set_correlation(f->m, ETH, WBTC, NONFINITE[i]), KEEL_E_NOT_FINITE);
    ck_status(keel_market_set_correlation(f->m, ETH, WBTC, -1.5), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_market_set_correlation(f->m, ETH, WBTC, 1.01), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_market_set_correlation(f->m, ETH, ETH, 0.5), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_market_set_correlation(f->m, ETH, 99, 0.5), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_market_set_correlation(f->m, 99, ETH, 0.5), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_market_set_correlation(NULL, ETH, WBTC, 0.5), KEEL_E_NULL_ARG);
    ck_status(keel_market_set_correlation(WRONG_M(f), ETH, WBTC, 0.5), KEEL_E_BAD_HANDLE);
}
static keel_status good_keel_market_set_correlation(fx *f)
{
    return keel_market_set_correlation(f->m, 4, 5, -0.3); /* a new pair: grows */
}

static void bad_keel_market_set_correlations(fx *f)
{
    keel_asset a[2] = { ETH, WBTC }, b[2] = { WBTC, USDC };
    double rho[2] = { 0.5, 0.2 };
    for (int i = 0; i < 3; i++) {
        rho[1] = NONFINITE[i];
        ck_status(keel_market_set_correlations(f->m, 2, a, b, rho), KEEL_E_NOT_FINITE);
    }
    rho[1] = -1.5;
    ck_status(keel_market_set_correlations(f->m, 2, a, b, rho), KEEL_E_OUT_OF_RANGE);
    rho[1] = 0.2;
    b[1] = WBTC;
    rho[1] = 0.5;
    ck_status(keel_market_set_correlations(f->m, 2, a, b, rho), KEEL_E_OUT_OF_RANGE); /* self */
    b[1] = 99;
    ck_status(keel_market_set_correlations(f->m, 2, a, b, rho), KEEL_E_UNKNOWN_ASSET);
    b[1] = USDC;
    ck_status(keel_market_set_correlations(f->m, 2, NULL, b, rho), KEEL_E_NULL_ARG);
    ck_status(keel_market_set_correlations(f->m, 2, a, NULL, rho), KEEL_E_NULL_ARG);
    ck_status(keel_market_set_correlations(f->m, 2, a, b, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_market_set_correlations(NULL, 2, a, b, rho), KEEL_E_NULL_ARG);
    ck_status(keel_market_set_correlations(WRONG_M(f), 2, a, b, rho), KEEL_E_BAD_HANDLE);
}
static keel_status good_keel_market_set_correlations(fx *f)
{
    keel_asset a[3] = { 5, 4, ETH }, b[3] = { 4, 6, 1 };
    double rho[3] = { -0.3, 0.2, 0.0 }; /* two new pairs, one removed */
    return keel_market_set_correlations(f->m, 3, a, b, rho);
}

static void bad_keel_market_correlation(fx *f)
{
    double x;
    ck_status(keel_market_correlation(NULL, ETH, WBTC, &x), KEEL_E_NULL_ARG);
    ck_status(keel_market_correlation(WRONG_M(f), ETH, WBTC, &x), KEEL_E_BAD_HANDLE);
    ck_status(keel_market_correlation(f->m, 99, WBTC, &x), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_market_correlation(f->m, ETH, 99, &x), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_market_correlation(f->m, ETH, WBTC, NULL), KEEL_E_NULL_ARG);
}
static keel_status good_keel_market_correlation(fx *f)
{
    double x;
    return keel_market_correlation(f->m, ETH, WBTC, &x);
}

/* ---- basket ---- */

static void bad_keel_basket_positions(fx *f)
{
    keel_position p[2];
    size_t n;
    ck_status(keel_basket_positions(NULL, p, 2, &n), KEEL_E_NULL_ARG);
    ck_status(keel_basket_positions(WRONG_B(f), p, 2, &n), KEEL_E_BAD_HANDLE);
    ck_status(keel_basket_positions(f->b, NULL, 2, &n), KEEL_E_NULL_ARG);
    ck_status(keel_basket_positions(f->b, p, 2, NULL), KEEL_E_NULL_ARG);
}
static keel_status good_keel_basket_positions(fx *f)
{
    keel_position p[8];
    size_t n;
    return keel_basket_positions(f->b, p, 8, &n);
}

static void bad_keel_basket_clear(fx *f)
{
    ck_status(keel_basket_clear(NULL), KEEL_E_NULL_ARG);
    ck_status(keel_basket_clear(WRONG_B(f)), KEEL_E_BAD_HANDLE);
}
static keel_status good_keel_basket_clear(fx *f) { return keel_basket_clear(f->b); }

/* ---- haircut model ---- */

static void bad_keel_haircut_model_set_asset(fx *f)
{
    keel_haircut_model *h = f->h;
    for (int i = 0; i < 3; i++) {
        ck_status(keel_haircut_model_set_asset(h, ETH, NONFINITE[i], 0.1), KEEL_E_NOT_FINITE);
        ck_status(keel_haircut_model_set_asset(h, ETH, 0.3, NONFINITE[i]), KEEL_E_NOT_FINITE);
    }
    ck_status(keel_haircut_model_set_asset(h, ETH, -0.1, 0.0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_asset(h, ETH, 1.5, 0.5), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_asset(h, ETH, 0.3, -0.1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_asset(h, ETH, 0.3, 0.4), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_asset(h, KEEL_ASSET_INVALID, 0.3, 0.2), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_haircut_model_set_asset(NULL, ETH, 0.3, 0.2), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_set_asset(WRONG_H(f), ETH, 0.3, 0.2), KEEL_E_BAD_HANDLE);
}
static keel_status good_keel_haircut_model_set_asset(fx *f)
{
    return keel_haircut_model_set_asset(f->h, 20, 0.3, 0.2); /* new entry: grows */
}

static void bad_keel_haircut_model_asset(fx *f)
{
    double a, b;
    ck_status(keel_haircut_model_asset(NULL, ETH, &a, &b), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_asset(WRONG_H(f), ETH, &a, &b), KEEL_E_BAD_HANDLE);
    ck_status(keel_haircut_model_asset(f->h, ETH, NULL, &b), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_asset(f->h, ETH, &a, NULL), KEEL_E_NULL_ARG);
}
static keel_status good_keel_haircut_model_asset(fx *f)
{
    double a, b;
    return keel_haircut_model_asset(f->h, ETH, &a, &b);
}

static void bad_keel_haircut_model_clear_asset(fx *f)
{
    ck_status(keel_haircut_model_clear_asset(NULL, ETH), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_clear_asset(WRONG_H(f), ETH), KEEL_E_BAD_HANDLE);
}
static keel_status good_keel_haircut_model_clear_asset(fx *f)
{
    return keel_haircut_model_clear_asset(f->h, ETH);
}

/* Two-number settings of the model: (a, b) valid = (ga, gb). */
#define PAIR_SETTING_ROW(fn, ga, gb, bad_a, bad_b)                                        \
    static void bad_##fn(fx *f)                                                           \
    {                                                                                     \
        for (int i = 0; i < 3; i++) {                                                     \
            ck_status(fn(f->h, NONFINITE[i], gb), KEEL_E_NOT_FINITE);                     \
            ck_status(fn(f->h, ga, NONFINITE[i]), KEEL_E_NOT_FINITE);                     \
        }                                                                                 \
        ck_status(fn(f->h, bad_a, gb), KEEL_E_OUT_OF_RANGE);                              \
        ck_status(fn(f->h, ga, bad_b), KEEL_E_OUT_OF_RANGE);                              \
        ck_status(fn(NULL, ga, gb), KEEL_E_NULL_ARG);                                     \
        ck_status(fn(WRONG_H(f), ga, gb), KEEL_E_BAD_HANDLE);                             \
    }                                                                                     \
    static keel_status good_##fn(fx *f)                                                   \
    {                                                                                     \
        return fn(f->h, ga, gb);                                                          \
    }
PAIR_SETTING_ROW(keel_haircut_model_set_volatility_addon, 0.99, 5.0, 1.0, -1.0)
PAIR_SETTING_ROW(keel_haircut_model_set_liquidity_addon, 0.5, 0.3, -0.5, 1.5)

#define PAIR_GETTER_ROW(fn)                                                               \
    static void bad_##fn(fx *f)                                                           \
    {                                                                                     \
        double a, b;                                                                      \
        ck_status(fn(NULL, &a, &b), KEEL_E_NULL_ARG);                                     \
        ck_status(fn(WRONG_H(f), &a, &b), KEEL_E_BAD_HANDLE);                             \
        ck_status(fn(f->h, NULL, &b), KEEL_E_NULL_ARG);                                   \
        ck_status(fn(f->h, &a, NULL), KEEL_E_NULL_ARG);                                   \
    }                                                                                     \
    static keel_status good_##fn(fx *f)                                                   \
    {                                                                                     \
        double a, b;                                                                      \
        return fn(f->h, &a, &b);                                                          \
    }
PAIR_GETTER_ROW(keel_haircut_model_volatility_addon)
PAIR_GETTER_ROW(keel_haircut_model_liquidity_addon)

static void bad_keel_haircut_model_set_concentration(fx *f)
{
    for (int i = 0; i < 3; i++) {
        ck_status(keel_haircut_model_set_concentration(f->h, ETH, NONFINITE[i], 0.1),
                  KEEL_E_NOT_FINITE);
        ck_status(keel_haircut_model_set_concentration(f->h, ETH, 0.4, NONFINITE[i]),
                  KEEL_E_NOT_FINITE);
    }
    ck_status(keel_haircut_model_set_concentration(f->h, ETH, 0.0, 0.1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_concentration(f->h, ETH, -0.4, 0.1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_concentration(f->h, ETH, 0.4, -0.1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_concentration(f->h, KEEL_ASSET_INVALID, 0.4, 0.1),
              KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_haircut_model_set_concentration(NULL, ETH, 0.4, 0.1), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_set_concentration(WRONG_H(f), ETH, 0.4, 0.1), KEEL_E_BAD_HANDLE);
}
static keel_status good_keel_haircut_model_set_concentration(fx *f)
{
    return keel_haircut_model_set_concentration(f->h, 30, 0.4, 0.1); /* new entry */
}

static void bad_keel_haircut_model_concentration(fx *f)
{
    double a, b;
    ck_status(keel_haircut_model_concentration(NULL, ETH, &a, &b), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_concentration(WRONG_H(f), ETH, &a, &b), KEEL_E_BAD_HANDLE);
    ck_status(keel_haircut_model_concentration(f->h, ETH, NULL, &b), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_concentration(f->h, ETH, &a, NULL), KEEL_E_NULL_ARG);
}
static keel_status good_keel_haircut_model_concentration(fx *f)
{
    double a, b;
    return keel_haircut_model_concentration(f->h, ETH, &a, &b);
}

static void bad_keel_haircut_model_set_concentration_mode(fx *f)
{
    ck_status(keel_haircut_model_set_concentration_mode(f->h, (keel_concentration_mode)2),
              KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_concentration_mode(f->h, (keel_concentration_mode)-1),
              KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_concentration_mode(NULL, KEEL_CONCENTRATION_EXTRA),
              KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_set_concentration_mode(WRONG_H(f), KEEL_CONCENTRATION_EXTRA),
              KEEL_E_BAD_HANDLE);
}
static keel_status good_keel_haircut_model_set_concentration_mode(fx *f)
{
    return keel_haircut_model_set_concentration_mode(f->h, KEEL_CONCENTRATION_EXCLUDE);
}

static void bad_keel_haircut_model_concentration_mode(fx *f)
{
    keel_concentration_mode mode;
    ck_status(keel_haircut_model_concentration_mode(NULL, &mode), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_concentration_mode(WRONG_H(f), &mode), KEEL_E_BAD_HANDLE);
    ck_status(keel_haircut_model_concentration_mode(f->h, NULL), KEEL_E_NULL_ARG);
}
static keel_status good_keel_haircut_model_concentration_mode(fx *f)
{
    keel_concentration_mode mode;
    return keel_haircut_model_concentration_mode(f->h, &mode);
}

static void bad_keel_haircut_model_set_peg_group(fx *f)
{
    ck_status(keel_haircut_model_set_peg_group(f->h, KEEL_ASSET_INVALID, 1), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_haircut_model_set_peg_group(NULL, ETH, 1), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_set_peg_group(WRONG_H(f), ETH, 1), KEEL_E_BAD_HANDLE);
}
static keel_status good_keel_haircut_model_set_peg_group(fx *f)
{
    return keel_haircut_model_set_peg_group(f->h, 40, 3); /* new entry */
}

static void bad_keel_haircut_model_peg_group(fx *f)
{
    uint32_t g;
    ck_status(keel_haircut_model_peg_group(NULL, ETH, &g), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_peg_group(WRONG_H(f), ETH, &g), KEEL_E_BAD_HANDLE);
    ck_status(keel_haircut_model_peg_group(f->h, ETH, NULL), KEEL_E_NULL_ARG);
}
static keel_status good_keel_haircut_model_peg_group(fx *f)
{
    uint32_t g;
    return keel_haircut_model_peg_group(f->h, ETH, &g);
}

static void bad_keel_haircut_model_set_peg_mismatch_addon(fx *f)
{
    for (int i = 0; i < 3; i++)
        ck_status(keel_haircut_model_set_peg_mismatch_addon(f->h, NONFINITE[i]), KEEL_E_NOT_FINITE);
    ck_status(keel_haircut_model_set_peg_mismatch_addon(f->h, -0.1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_peg_mismatch_addon(f->h, 1.1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_peg_mismatch_addon(NULL, 0.08), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_set_peg_mismatch_addon(WRONG_H(f), 0.08), KEEL_E_BAD_HANDLE);
}
static keel_status good_keel_haircut_model_set_peg_mismatch_addon(fx *f)
{
    return keel_haircut_model_set_peg_mismatch_addon(f->h, 0.08);
}

static void bad_keel_haircut_model_peg_mismatch_addon(fx *f)
{
    double x;
    ck_status(keel_haircut_model_peg_mismatch_addon(NULL, &x), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_peg_mismatch_addon(WRONG_H(f), &x), KEEL_E_BAD_HANDLE);
    ck_status(keel_haircut_model_peg_mismatch_addon(f->h, NULL), KEEL_E_NULL_ARG);
}
static keel_status good_keel_haircut_model_peg_mismatch_addon(fx *f)
{
    double x;
    return keel_haircut_model_peg_mismatch_addon(f->h, &x);
}

static void bad_keel_haircut_model_set_portfolio_mode(fx *f)
{
    ck_status(keel_haircut_model_set_portfolio_mode(NULL, 1), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_set_portfolio_mode(WRONG_H(f), 1), KEEL_E_BAD_HANDLE);
}
static keel_status good_keel_haircut_model_set_portfolio_mode(fx *f)
{
    return keel_haircut_model_set_portfolio_mode(f->h, 1);
}

static void bad_keel_haircut_model_portfolio_mode(fx *f)
{
    int on;
    ck_status(keel_haircut_model_portfolio_mode(NULL, &on), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_portfolio_mode(WRONG_H(f), &on), KEEL_E_BAD_HANDLE);
    ck_status(keel_haircut_model_portfolio_mode(f->h, NULL), KEEL_E_NULL_ARG);
}
static keel_status good_keel_haircut_model_portfolio_mode(fx *f)
{
    int on;
    return keel_haircut_model_portfolio_mode(f->h, &on);
}

/* ---- valuation ---- */

static void bad_keel_basket_metrics(fx *f)
{
    keel_metrics m = KEEL_METRICS_INIT;
    const keel_options *foreign = (const keel_options *)(const void *)f->m;
    ck_status(keel_basket_metrics(NULL, f->o, f->m, f->h, &m), KEEL_E_NULL_ARG);
    ck_status(keel_basket_metrics(f->b, NULL, NULL, f->h, &m), KEEL_E_NULL_ARG);
    ck_status(keel_basket_metrics(f->b, NULL, f->m, NULL, &m), KEEL_E_NULL_ARG);
    ck_status(keel_basket_metrics(f->b, NULL, f->m, f->h, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_basket_metrics(WRONG_B(f), NULL, f->m, f->h, &m), KEEL_E_BAD_HANDLE);
    ck_status(keel_basket_metrics(f->b, NULL, WRONG_M(f), f->h, &m), KEEL_E_BAD_HANDLE);
    ck_status(keel_basket_metrics(f->b, NULL, f->m, WRONG_H(f), &m), KEEL_E_BAD_HANDLE);
    ck_status(keel_basket_metrics(f->b, foreign, f->m, f->h, &m), KEEL_E_BAD_HANDLE);
    m.size = 1;
    ck_status(keel_basket_metrics(f->b, NULL, f->m, f->h, &m), KEEL_E_OUT_OF_RANGE);
}
static keel_status good_keel_basket_metrics(fx *f)
{
    keel_metrics m = KEEL_METRICS_INIT;
    return keel_basket_metrics(f->b, f->o, f->m, f->h, &m);
}

static void bad_keel_basket_liquidation_price(fx *f)
{
    double p = -1;
    keel_liquidation_side s;
    const keel_options *foreign = (const keel_options *)(const void *)f->m;
    ck_status(keel_basket_liquidation_price(NULL, NULL, f->m, f->h, ETH, &p, &s), KEEL_E_NULL_ARG);
    ck_status(keel_basket_liquidation_price(f->b, NULL, NULL, f->h, ETH, &p, &s), KEEL_E_NULL_ARG);
    ck_status(keel_basket_liquidation_price(f->b, NULL, f->m, NULL, ETH, &p, &s), KEEL_E_NULL_ARG);
    ck_status(keel_basket_liquidation_price(f->b, NULL, f->m, f->h, ETH, NULL, &s), KEEL_E_NULL_ARG);
    ck_status(keel_basket_liquidation_price(WRONG_B(f), NULL, f->m, f->h, ETH, &p, &s),
              KEEL_E_BAD_HANDLE);
    ck_status(keel_basket_liquidation_price(f->b, foreign, f->m, f->h, ETH, &p, &s),
              KEEL_E_BAD_HANDLE);
    ck_status(keel_basket_liquidation_price(f->b, NULL, f->m, f->h, 99, &p, &s),
              KEEL_E_UNKNOWN_ASSET);
    ck_assert(p == -1);
}
static keel_status good_keel_basket_liquidation_price(fx *f)
{
    double p;
    return keel_basket_liquidation_price(f->b, f->o, f->m, f->h, ETH, &p, NULL);
}

static void bad_keel_haircut_breakdown(fx *f)
{
    keel_haircut_components c = KEEL_HAIRCUT_COMPONENTS_INIT;
    ck_status(keel_haircut_breakdown(NULL, f->b, f->m, ETH, &c), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_breakdown(f->h, NULL, f->m, ETH, &c), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_breakdown(f->h, f->b, NULL, ETH, &c), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_breakdown(f->h, f->b, f->m, ETH, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_breakdown(WRONG_H(f), f->b, f->m, ETH, &c), KEEL_E_BAD_HANDLE);
    ck_status(keel_haircut_breakdown(f->h, f->b, f->m, 99, &c), KEEL_E_UNKNOWN_ASSET);
    c.size = 0;
    ck_status(keel_haircut_breakdown(f->h, f->b, f->m, ETH, &c), KEEL_E_OUT_OF_RANGE);
}
static keel_status good_keel_haircut_breakdown(fx *f)
{
    keel_haircut_components c = KEEL_HAIRCUT_COMPONENTS_INIT;
    return keel_haircut_breakdown(f->h, f->b, f->m, ETH, &c);
}

/* ---- stateless formulas ---- */

static void bad_keel_volatility_haircut(fx *f)
{
    (void)f;
    double h = 7;
    for (int i = 0; i < 3; i++) {
        ck_status(keel_volatility_haircut(NONFINITE[i], 0.99, 0.1, &h), KEEL_E_NOT_FINITE);
        ck_status(keel_volatility_haircut(0.5, NONFINITE[i], 0.1, &h), KEEL_E_NOT_FINITE);
        ck_status(keel_volatility_haircut(0.5, 0.99, NONFINITE[i], &h), KEEL_E_NOT_FINITE);
    }
    ck_status(keel_volatility_haircut(-0.5, 0.99, 0.1, &h), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_volatility_haircut(0.5, 1.5, 0.1, &h), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_volatility_haircut(0.5, 0.99, -0.1, &h), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_volatility_haircut(0.5, 0.99, 0.1, NULL), KEEL_E_NULL_ARG);
    ck_assert(h == 7);
}
static keel_status good_keel_volatility_haircut(fx *f)
{
    (void)f;
    double h;
    return keel_volatility_haircut(0.5, 0.99, 0.1, &h);
}

static void bad_keel_haircut_scale_holding_period(fx *f)
{
    (void)f;
    double h = 7;
    for (int i = 0; i < 3; i++) {
        ck_status(keel_haircut_scale_holding_period(NONFINITE[i], 10, 5, &h), KEEL_E_NOT_FINITE);
        ck_status(keel_haircut_scale_holding_period(0.1, NONFINITE[i], 5, &h), KEEL_E_NOT_FINITE);
        ck_status(keel_haircut_scale_holding_period(0.1, 10, NONFINITE[i], &h), KEEL_E_NOT_FINITE);
    }
    ck_status(keel_haircut_scale_holding_period(-0.1, 10, 5, &h), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_scale_holding_period(0.1, 0, 5, &h), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_scale_holding_period(0.1, 10, -5, &h), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_scale_holding_period(0.1, 10, 5, NULL), KEEL_E_NULL_ARG);
    ck_assert(h == 7);
}
static keel_status good_keel_haircut_scale_holding_period(fx *f)
{
    (void)f;
    double h;
    return keel_haircut_scale_holding_period(0.1, 10, 5, &h);
}

/* ---- options pricing kernel ---- */

static void bad_keel_black_scholes(fx *f)
{
    (void)f;
    keel_greeks g = KEEL_GREEKS_INIT;
    g.value = 7;
    for (int i = 0; i < 3; i++) {
        ck_status(keel_black_scholes(KEEL_CALL, NONFINITE[i], 100, 1, 0, 0, 0.2, &g), KEEL_E_NOT_FINITE);
        ck_status(keel_black_scholes(KEEL_CALL, 100, NONFINITE[i], 1, 0, 0, 0.2, &g), KEEL_E_NOT_FINITE);
        ck_status(keel_black_scholes(KEEL_CALL, 100, 100, NONFINITE[i], 0, 0, 0.2, &g), KEEL_E_NOT_FINITE);
        ck_status(keel_black_scholes(KEEL_CALL, 100, 100, 1, NONFINITE[i], 0, 0.2, &g), KEEL_E_NOT_FINITE);
        ck_status(keel_black_scholes(KEEL_CALL, 100, 100, 1, 0, NONFINITE[i], 0.2, &g), KEEL_E_NOT_FINITE);
        ck_status(keel_black_scholes(KEEL_CALL, 100, 100, 1, 0, 0, NONFINITE[i], &g), KEEL_E_NOT_FINITE);
    }
    ck_status(keel_black_scholes(KEEL_CALL, -100, 100, 1, 0, 0, 0.2, &g), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_black_scholes(KEEL_CALL, 100, 0, 1, 0, 0, 0.2, &g), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_black_scholes(KEEL_CALL, 100, 100, -1, 0, 0, 0.2, &g), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_black_scholes(KEEL_CALL, 100, 100, 1, 0, 0, -0.2, &g), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_black_scholes((keel_option_type)9, 100, 100, 1, 0, 0, 0.2, &g), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_black_scholes(KEEL_CALL, 100, 100, 1, 0, 0, 0.2, NULL), KEEL_E_NULL_ARG);
    ck_assert(g.value == 7);
}
static keel_status good_keel_black_scholes(fx *f)
{
    (void)f;
    keel_greeks g = KEEL_GREEKS_INIT;
    return keel_black_scholes(KEEL_PUT, 100, 95, 0.5, 0.1, 0.05, 0.2, &g);
}

static void bad_keel_black76(fx *f)
{
    (void)f;
    keel_greeks g = KEEL_GREEKS_INIT;
    for (int i = 0; i < 3; i++) {
        ck_status(keel_black76(KEEL_CALL, NONFINITE[i], 100, 1, 0, 0.2, &g), KEEL_E_NOT_FINITE);
        ck_status(keel_black76(KEEL_CALL, 100, NONFINITE[i], 1, 0, 0.2, &g), KEEL_E_NOT_FINITE);
        ck_status(keel_black76(KEEL_CALL, 100, 100, NONFINITE[i], 0, 0.2, &g), KEEL_E_NOT_FINITE);
        ck_status(keel_black76(KEEL_CALL, 100, 100, 1, NONFINITE[i], 0.2, &g), KEEL_E_NOT_FINITE);
        ck_status(keel_black76(KEEL_CALL, 100, 100, 1, 0, NONFINITE[i], &g), KEEL_E_NOT_FINITE);
    }
    ck_status(keel_black76(KEEL_CALL, 0, 100, 1, 0, 0.2, &g), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_black76(KEEL_CALL, 100, -3, 1, 0, 0.2, &g), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_black76(KEEL_CALL, 100, 100, -1, 0, 0.2, &g), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_black76(KEEL_CALL, 100, 100, 1, 0, -0.2, &g), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_black76((keel_option_type)-1, 100, 100, 1, 0, 0.2, &g), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_black76(KEEL_CALL, 100, 100, 1, 0, 0.2, NULL), KEEL_E_NULL_ARG);
}
static keel_status good_keel_black76(fx *f)
{
    (void)f;
    keel_greeks g = KEEL_GREEKS_INIT;
    return keel_black76(KEEL_CALL, 19, 19, 0.75, 0.1, 0.28, &g);
}

static void bad_keel_black_scholes_batch(fx *f)
{
    (void)f;
    keel_option_type ty[2] = { KEEL_CALL, KEEL_PUT };
    double one[2] = { 1, 1 }, val[2] = { 7, 7 };
    keel_greeks_arrays out = { sizeof out, val, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL };
    ck_status(keel_black_scholes_batch(2, NULL, one, one, one, one, one, one, &out), KEEL_E_NULL_ARG);
    ck_status(keel_black_scholes_batch(2, ty, NULL, one, one, one, one, one, &out), KEEL_E_NULL_ARG);
    ck_status(keel_black_scholes_batch(2, ty, one, NULL, one, one, one, one, &out), KEEL_E_NULL_ARG);
    ck_status(keel_black_scholes_batch(2, ty, one, one, NULL, one, one, one, &out), KEEL_E_NULL_ARG);
    ck_status(keel_black_scholes_batch(2, ty, one, one, one, NULL, one, one, &out), KEEL_E_NULL_ARG);
    ck_status(keel_black_scholes_batch(2, ty, one, one, one, one, NULL, one, &out), KEEL_E_NULL_ARG);
    ck_status(keel_black_scholes_batch(2, ty, one, one, one, one, one, NULL, &out), KEEL_E_NULL_ARG);
    ck_status(keel_black_scholes_batch(2, ty, one, one, one, one, one, one, NULL), KEEL_E_NULL_ARG);
    for (int i = 0; i < 3; i++) {
        double bad[2] = { 1, NONFINITE[i] };
        ck_status(keel_black_scholes_batch(2, ty, bad, one, one, one, one, one, &out), KEEL_E_NOT_FINITE);
        ck_status(keel_black_scholes_batch(2, ty, one, one, one, one, one, bad, &out), KEEL_E_NOT_FINITE);
    }
    double neg[2] = { 1, -1 };
    ck_status(keel_black_scholes_batch(2, ty, one, neg, one, one, one, one, &out), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_black_scholes_batch(2, ty, one, one, neg, one, one, one, &out), KEEL_E_OUT_OF_RANGE);
    keel_option_type badty[2] = { KEEL_CALL, (keel_option_type)5 };
    ck_status(keel_black_scholes_batch(2, badty, one, one, one, one, one, one, &out), KEEL_E_OUT_OF_RANGE);
    out.size = 3;
    ck_status(keel_black_scholes_batch(2, ty, one, one, one, one, one, one, &out), KEEL_E_OUT_OF_RANGE);
    ck_assert(val[0] == 7 && val[1] == 7);
}
static keel_status good_keel_black_scholes_batch(fx *f)
{
    (void)f;
    keel_option_type ty[2] = { KEEL_CALL, KEEL_PUT };
    double one[2] = { 1, 1 }, val[2];
    keel_greeks_arrays out = { sizeof out, val, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL };
    return keel_black_scholes_batch(2, ty, one, one, one, one, one, one, &out);
}

#define IV_ROW(fn, ...)                                                                   \
    static keel_status good_##fn(fx *f)                                                   \
    {                                                                                     \
        (void)f;                                                                          \
        double v;                                                                         \
        return fn(KEEL_CALL, 5.0, __VA_ARGS__, &v);                                       \
    }

static void bad_keel_implied_volatility(fx *f)
{
    (void)f;
    double v = 7;
    for (int i = 0; i < 3; i++) {
        ck_status(keel_implied_volatility(KEEL_CALL, NONFINITE[i], 100, 100, 1, 0, 0, &v), KEEL_E_NOT_FINITE);
        ck_status(keel_implied_volatility(KEEL_CALL, 5, NONFINITE[i], 100, 1, 0, 0, &v), KEEL_E_NOT_FINITE);
        ck_status(keel_implied_volatility(KEEL_CALL, 5, 100, NONFINITE[i], 1, 0, 0, &v), KEEL_E_NOT_FINITE);
        ck_status(keel_implied_volatility(KEEL_CALL, 5, 100, 100, NONFINITE[i], 0, 0, &v), KEEL_E_NOT_FINITE);
        ck_status(keel_implied_volatility(KEEL_CALL, 5, 100, 100, 1, NONFINITE[i], 0, &v), KEEL_E_NOT_FINITE);
        ck_status(keel_implied_volatility(KEEL_CALL, 5, 100, 100, 1, 0, NONFINITE[i], &v), KEEL_E_NOT_FINITE);
    }
    ck_status(keel_implied_volatility(KEEL_CALL, -5, 100, 100, 1, 0, 0, &v), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_implied_volatility(KEEL_CALL, 5, -100, 100, 1, 0, 0, &v), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_implied_volatility(KEEL_CALL, 5, 100, 0, 1, 0, 0, &v), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_implied_volatility(KEEL_CALL, 5, 100, 100, 0, 0, 0, &v), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_implied_volatility((keel_option_type)4, 5, 100, 100, 1, 0, 0, &v), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_implied_volatility(KEEL_CALL, 200, 100, 100, 1, 0, 0, &v), KEEL_E_ARBITRAGE);
    ck_status(keel_implied_volatility(KEEL_CALL, 5, 100, 100, 1, 0, 0, NULL), KEEL_E_NULL_ARG);
    ck_assert(v == 7);
}
IV_ROW(keel_implied_volatility, 100.0, 100.0, 1.0, 0.0, 0.0)

static void bad_keel_implied_volatility_black76(fx *f)
{
    (void)f;
    double v = 7;
    for (int i = 0; i < 3; i++) {
        ck_status(keel_implied_volatility_black76(KEEL_PUT, NONFINITE[i], 100, 100, 1, 0, &v), KEEL_E_NOT_FINITE);
        ck_status(keel_implied_volatility_black76(KEEL_PUT, 5, NONFINITE[i], 100, 1, 0, &v), KEEL_E_NOT_FINITE);
        ck_status(keel_implied_volatility_black76(KEEL_PUT, 5, 100, NONFINITE[i], 1, 0, &v), KEEL_E_NOT_FINITE);
        ck_status(keel_implied_volatility_black76(KEEL_PUT, 5, 100, 100, NONFINITE[i], 0, &v), KEEL_E_NOT_FINITE);
        ck_status(keel_implied_volatility_black76(KEEL_PUT, 5, 100, 100, 1, NONFINITE[i], &v), KEEL_E_NOT_FINITE);
    }
    ck_status(keel_implied_volatility_black76(KEEL_PUT, 5, 0, 100, 1, 0, &v), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_implied_volatility_black76(KEEL_PUT, 5, 100, -1, 1, 0, &v), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_implied_volatility_black76(KEEL_PUT, 5, 100, 100, -1, 0, &v), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_implied_volatility_black76(KEEL_PUT, 0.5, 100, 200, 1, 0, &v), KEEL_E_ARBITRAGE);
    ck_status(keel_implied_volatility_black76(KEEL_PUT, 5, 100, 100, 1, 0, NULL), KEEL_E_NULL_ARG);
    ck_assert(v == 7);
}
IV_ROW(keel_implied_volatility_black76, 100.0, 100.0, 1.0, 0.0)

static void bad_keel_implied_volatility_batch(fx *f)
{
    (void)f;
    keel_option_type ty[2] = { KEEL_CALL, KEEL_PUT };
    double pr[2] = { 5, 5 }, one[2] = { 100, 100 }, t[2] = { 1, 1 }, z[2] = { 0, 0 };
    double v[2] = { 7, 7 };
    keel_status st[2] = { KEEL_OK, KEEL_OK };
    ck_status(keel_implied_volatility_batch(2, NULL, pr, one, one, t, z, z, v, st), KEEL_E_NULL_ARG);
    ck_status(keel_implied_volatility_batch(2, ty, NULL, one, one, t, z, z, v, st), KEEL_E_NULL_ARG);
    ck_status(keel_implied_volatility_batch(2, ty, pr, NULL, one, t, z, z, v, st), KEEL_E_NULL_ARG);
    ck_status(keel_implied_volatility_batch(2, ty, pr, one, NULL, t, z, z, v, st), KEEL_E_NULL_ARG);
    ck_status(keel_implied_volatility_batch(2, ty, pr, one, one, NULL, z, z, v, st), KEEL_E_NULL_ARG);
    ck_status(keel_implied_volatility_batch(2, ty, pr, one, one, t, NULL, z, v, st), KEEL_E_NULL_ARG);
    ck_status(keel_implied_volatility_batch(2, ty, pr, one, one, t, z, NULL, v, st), KEEL_E_NULL_ARG);
    ck_status(keel_implied_volatility_batch(2, ty, pr, one, one, t, z, z, NULL, st), KEEL_E_NULL_ARG);
    ck_assert(v[0] == 7 && v[1] == 7 && st[0] == KEEL_OK && st[1] == KEEL_OK);
    /* a bad option: its own status, NaN, the others solved */
    for (int i = 0; i < 3; i++) {
        double bad[2] = { 5, NONFINITE[i] };
        ck_status(keel_implied_volatility_batch(2, ty, bad, one, one, t, z, z, v, st), KEEL_E_NOT_FINITE);
        ck_assert(st[0] == KEEL_OK && st[1] == KEEL_E_NOT_FINITE && v[0] > 0 && isnan(v[1]));
    }
    double arb[2] = { 200, 5 };
    ck_status(keel_implied_volatility_batch(2, ty, arb, one, one, t, z, z, v, NULL), KEEL_E_ARBITRAGE);
    ck_assert(isnan(v[0]) && v[1] > 0);
    double negk[2] = { 100, -1 };
    ck_status(keel_implied_volatility_batch(2, ty, pr, one, negk, t, z, z, v, st), KEEL_E_OUT_OF_RANGE);
    ck_assert(st[0] == KEEL_OK && st[1] == KEEL_E_OUT_OF_RANGE);
}
static keel_status good_keel_implied_volatility_batch(fx *f)
{
    (void)f;
    keel_option_type ty[2] = { KEEL_CALL, KEEL_PUT };
    double pr[2] = { 5, 5 }, one[2] = { 100, 100 }, t[2] = { 1, 1 }, z[2] = { 0, 0 }, v[2];
    keel_status st[2];
    return keel_implied_volatility_batch(2, ty, pr, one, one, t, z, z, v, st);
}

static void bad_keel_implied_volatility_black76_batch(fx *f)
{
    (void)f;
    keel_option_type ty[2] = { KEEL_CALL, KEEL_PUT };
    double pr[2] = { 5, 5 }, one[2] = { 100, 100 }, t[2] = { 1, 1 }, z[2] = { 0, 0 };
    double v[2] = { 7, 7 };
    keel_status st[2] = { KEEL_OK, KEEL_OK };
    ck_status(keel_implied_volatility_black76_batch(2, NULL, pr, one, one, t, z, v, st), KEEL_E_NULL_ARG);
    ck_status(keel_implied_volatility_black76_batch(2, ty, NULL, one, one, t, z, v, st), KEEL_E_NULL_ARG);
    ck_status(keel_implied_volatility_black76_batch(2, ty, pr, NULL, one, t, z, v, st), KEEL_E_NULL_ARG);
    ck_status(keel_implied_volatility_black76_batch(2, ty, pr, one, NULL, t, z, v, st), KEEL_E_NULL_ARG);
    ck_status(keel_implied_volatility_black76_batch(2, ty, pr, one, one, NULL, z, v, st), KEEL_E_NULL_ARG);
    ck_status(keel_implied_volatility_black76_batch(2, ty, pr, one, one, t, NULL, v, st), KEEL_E_NULL_ARG);
    ck_status(keel_implied_volatility_black76_batch(2, ty, pr, one, one, t, z, NULL, st), KEEL_E_NULL_ARG);
    ck_assert(v[0] == 7 && v[1] == 7);
    double negf[2] = { 100, 0 };
    ck_status(keel_implied_volatility_black76_batch(2, ty, pr, negf, one, t, z, v, st), KEEL_E_OUT_OF_RANGE);
    ck_assert(st[0] == KEEL_OK && st[1] == KEEL_E_OUT_OF_RANGE && v[0] > 0 && isnan(v[1]));
}
static keel_status good_keel_implied_volatility_black76_batch(fx *f)
{
    (void)f;
    keel_option_type ty[2] = { KEEL_CALL, KEEL_PUT };
    double pr[2] = { 5, 5 }, one[2] = { 100, 100 }, t[2] = { 1, 1 }, z[2] = { 0, 0 }, v[2];
    return keel_implied_volatility_black76_batch(2, ty, pr, one, one, t, z, v, NULL);
}

/* ---- options book ---- */

static void bad_keel_options_add(fx *f)
{
    uint32_t id = 77;
    for (int i = 0; i < 3; i++) {
        ck_status(keel_options_add(f->o, ETH, KEEL_CALL, NONFINITE[i], 1, 1, &id), KEEL_E_NOT_FINITE);
        ck_status(keel_options_add(f->o, ETH, KEEL_CALL, 100, NONFINITE[i], 1, &id), KEEL_E_NOT_FINITE);
        ck_status(keel_options_add(f->o, ETH, KEEL_CALL, 100, 1, NONFINITE[i], &id), KEEL_E_NOT_FINITE);
    }
    ck_status(keel_options_add(f->o, ETH, KEEL_CALL, -100, 1, 1, &id), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_options_add(f->o, ETH, KEEL_CALL, 100, -1, 1, &id), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_options_add(f->o, ETH, (keel_option_type)7, 100, 1, 1, &id), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_options_add(f->o, KEEL_ASSET_INVALID, KEEL_CALL, 100, 1, 1, &id), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_options_add(NULL, ETH, KEEL_CALL, 100, 1, 1, &id), KEEL_E_NULL_ARG);
    ck_status(keel_options_add(WRONG_O(f), ETH, KEEL_CALL, 100, 1, 1, &id), KEEL_E_BAD_HANDLE);
    ck_assert_uint_eq(id, 77);
}
static keel_status good_keel_options_add(fx *f)
{
    return keel_options_add(f->o, ETH, KEEL_PUT, 1800, 0.2, -2, NULL);
}

/* Setters of one position: unknown id, bad numbers, NULL and wrong handle. */
#define BOOK_SETTER_ROW(fn, low, low_status)                                              \
    static void bad_##fn(fx *f)                                                           \
    {                                                                                     \
        for (int i = 0; i < 3; i++)                                                       \
            ck_status(fn(f->o, 1, NONFINITE[i]), KEEL_E_NOT_FINITE);                      \
        if ((low_status) != KEEL_OK)                                                      \
            ck_status(fn(f->o, 1, low), low_status);                                      \
        ck_status(fn(f->o, 999, 0.5), KEEL_E_NOT_FOUND);                                  \
        ck_status(fn(NULL, 1, 0.5), KEEL_E_NULL_ARG);                                     \
        ck_status(fn(WRONG_O(f), 1, 0.5), KEEL_E_BAD_HANDLE);                             \
    }                                                                                     \
    static keel_status good_##fn(fx *f)                                                   \
    {                                                                                     \
        return fn(f->o, 2, 0.5);                                                          \
    }
BOOK_SETTER_ROW(keel_options_set_quantity, 0.0, KEEL_OK)
BOOK_SETTER_ROW(keel_options_set_expiry, -1.0, KEEL_E_OUT_OF_RANGE)
BOOK_SETTER_ROW(keel_options_set_volatility, -0.1, KEEL_E_OUT_OF_RANGE)

#define BOOK_ID_ROW(fn)                                                                   \
    static void bad_##fn(fx *f)                                                           \
    {                                                                                     \
        ck_status(fn(f->o, 999), KEEL_E_NOT_FOUND);                                       \
        ck_status(fn(f->o, 0), KEEL_E_NOT_FOUND);                                         \
        ck_status(fn(NULL, 1), KEEL_E_NULL_ARG);                                          \
        ck_status(fn(WRONG_O(f), 1), KEEL_E_BAD_HANDLE);                                  \
    }                                                                                     \
    static keel_status good_##fn(fx *f)                                                   \
    {                                                                                     \
        return fn(f->o, 3);                                                               \
    }
BOOK_ID_ROW(keel_options_clear_volatility)
BOOK_ID_ROW(keel_options_remove)

static void bad_keel_options_count(fx *f)
{
    size_t n;
    ck_status(keel_options_count(NULL, &n), KEEL_E_NULL_ARG);
    ck_status(keel_options_count(WRONG_O(f), &n), KEEL_E_BAD_HANDLE);
    ck_status(keel_options_count(f->o, NULL), KEEL_E_NULL_ARG);
}
static keel_status good_keel_options_count(fx *f)
{
    size_t n;
    return keel_options_count(f->o, &n);
}

static void bad_keel_options_position(fx *f)
{
    keel_option_position p = KEEL_OPTION_POSITION_INIT;
    ck_status(keel_options_position(NULL, 0, &p), KEEL_E_NULL_ARG);
    ck_status(keel_options_position(WRONG_O(f), 0, &p), KEEL_E_BAD_HANDLE);
    ck_status(keel_options_position(f->o, 0, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_options_position(f->o, 8, &p), KEEL_E_NOT_FOUND);
    p.size = 2;
    ck_status(keel_options_position(f->o, 0, &p), KEEL_E_OUT_OF_RANGE);
}
static keel_status good_keel_options_position(fx *f)
{
    keel_option_position p = KEEL_OPTION_POSITION_INIT;
    return keel_options_position(f->o, 7, &p);
}

static void bad_keel_options_set_margin_params(fx *f)
{
    keel_margin_params p = KEEL_MARGIN_PARAMS_INIT;
    ck_status(keel_options_set_margin_params(NULL, &p), KEEL_E_NULL_ARG);
    ck_status(keel_options_set_margin_params(WRONG_O(f), &p), KEEL_E_BAD_HANDLE);
    for (int i = 0; i < 3; i++) {
        p = (keel_margin_params)KEEL_MARGIN_PARAMS_INIT;
        p.horizon_days = NONFINITE[i];
        ck_status(keel_options_set_margin_params(f->o, &p), KEEL_E_NOT_FINITE);
    }
    p = (keel_margin_params)KEEL_MARGIN_PARAMS_INIT;
    p.price_sigmas = 0;
    ck_status(keel_options_set_margin_params(f->o, &p), KEEL_E_OUT_OF_RANGE);
    p = (keel_margin_params)KEEL_MARGIN_PARAMS_INIT;
    p.vol_scan = -0.1;
    ck_status(keel_options_set_margin_params(f->o, &p), KEEL_E_OUT_OF_RANGE);
    keel_scenario bad_cover = { 1.0, 0.0, 1.5 };
    p = (keel_margin_params)KEEL_MARGIN_PARAMS_INIT;
    p.scenarios = &bad_cover;
    p.scenario_count = 1;
    ck_status(keel_options_set_margin_params(f->o, &p), KEEL_E_OUT_OF_RANGE);
    p.scenario_count = 0;
    ck_status(keel_options_set_margin_params(f->o, &p), KEEL_E_OUT_OF_RANGE);
    p.scenarios = NULL;
    p.scenario_count = 3;
    ck_status(keel_options_set_margin_params(f->o, &p), KEEL_E_NULL_ARG);
    p.size = 1;
    ck_status(keel_options_set_margin_params(f->o, &p), KEEL_E_OUT_OF_RANGE);
}
static keel_status good_keel_options_set_margin_params(fx *f)
{
    keel_scenario one = { 1.0, 0.0, 1.0 };
    keel_margin_params p = KEEL_MARGIN_PARAMS_INIT;
    p.scenarios = &one;
    p.scenario_count = 1;
    return keel_options_set_margin_params(f->o, &p);
}

static void bad_keel_options_value(fx *f)
{
    double v = 7;
    ck_status(keel_options_value(NULL, f->m, &v), KEEL_E_NULL_ARG);
    ck_status(keel_options_value(f->o, NULL, &v), KEEL_E_NULL_ARG);
    ck_status(keel_options_value(f->o, f->m, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_options_value(WRONG_O(f), f->m, &v), KEEL_E_BAD_HANDLE);
    ck_status(keel_options_value(f->o, WRONG_M(f), &v), KEEL_E_BAD_HANDLE);
    ck_assert(v == 7);
}
static keel_status good_keel_options_value(fx *f)
{
    double v;
    return keel_options_value(f->o, f->m, &v);
}

static void bad_keel_options_greeks(fx *f)
{
    keel_greeks g = KEEL_GREEKS_INIT;
    ck_status(keel_options_greeks(NULL, f->m, ETH, &g), KEEL_E_NULL_ARG);
    ck_status(keel_options_greeks(f->o, NULL, ETH, &g), KEEL_E_NULL_ARG);
    ck_status(keel_options_greeks(f->o, f->m, ETH, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_options_greeks(WRONG_O(f), f->m, ETH, &g), KEEL_E_BAD_HANDLE);
    ck_status(keel_options_greeks(f->o, f->m, 99, &g), KEEL_E_UNKNOWN_ASSET);
    g.size = 0;
    ck_status(keel_options_greeks(f->o, f->m, ETH, &g), KEEL_E_OUT_OF_RANGE);
}
static keel_status good_keel_options_greeks(fx *f)
{
    keel_greeks g = KEEL_GREEKS_INIT;
    return keel_options_greeks(f->o, f->m, ETH, &g);
}

static void bad_keel_options_scenario_margin(fx *f)
{
    keel_margin_result r = KEEL_MARGIN_RESULT_INIT;
    ck_status(keel_options_scenario_margin(NULL, f->m, &r), KEEL_E_NULL_ARG);
    ck_status(keel_options_scenario_margin(f->o, NULL, &r), KEEL_E_NULL_ARG);
    ck_status(keel_options_scenario_margin(f->o, f->m, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_options_scenario_margin(WRONG_O(f), f->m, &r), KEEL_E_BAD_HANDLE);
    ck_status(keel_options_scenario_margin(f->o, WRONG_M(f), &r), KEEL_E_BAD_HANDLE);
    r.size = 0;
    ck_status(keel_options_scenario_margin(f->o, f->m, &r), KEEL_E_OUT_OF_RANGE);
    /* a position on an asset the market does not know */
    keel_options *stray;
    ck_ok(keel_options_clone(f->o, &stray));
    ck_ok(keel_options_add(stray, 40, KEEL_CALL, 1, 1, 1, NULL));
    r.size = sizeof r;
    ck_status(keel_options_scenario_margin(stray, f->m, &r), KEEL_E_UNKNOWN_ASSET);
    double v;
    ck_status(keel_options_value(stray, f->m, &v), KEEL_E_UNKNOWN_ASSET);
    keel_options_free(stray);
}
static keel_status good_keel_options_scenario_margin(fx *f)
{
    keel_margin_result r = KEEL_MARGIN_RESULT_INIT;
    return keel_options_scenario_margin(f->o, f->m, &r);
}

static void bad_keel_basket_liquidation_prices(fx *f)
{
    double lo = 7, hi = 7;
    ck_status(keel_basket_liquidation_prices(NULL, f->o, f->m, f->h, ETH, &lo, &hi), KEEL_E_NULL_ARG);
    ck_status(keel_basket_liquidation_prices(f->b, f->o, NULL, f->h, ETH, &lo, &hi), KEEL_E_NULL_ARG);
    ck_status(keel_basket_liquidation_prices(f->b, f->o, f->m, NULL, ETH, &lo, &hi), KEEL_E_NULL_ARG);
    ck_status(keel_basket_liquidation_prices(f->b, f->o, f->m, f->h, ETH, NULL, &hi), KEEL_E_NULL_ARG);
    ck_status(keel_basket_liquidation_prices(f->b, f->o, f->m, f->h, ETH, &lo, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_basket_liquidation_prices(f->b, WRONG_O(f), f->m, f->h, ETH, &lo, &hi), KEEL_E_BAD_HANDLE);
    ck_status(keel_basket_liquidation_prices(f->b, f->o, f->m, f->h, 99, &lo, &hi), KEEL_E_UNKNOWN_ASSET);
    ck_assert(lo == 7 && hi == 7);
}
static keel_status good_keel_basket_liquidation_prices(fx *f)
{
    double lo, hi;
    return keel_basket_liquidation_prices(f->b, f->o, f->m, f->h, ETH, &lo, &hi);
}

static void bad_keel_basket_health_sensitivity(fx *f)
{
    double a = 7, b = 7;
    ck_status(keel_basket_health_sensitivity(NULL, f->o, f->m, f->h, ETH, &a, &b), KEEL_E_NULL_ARG);
    ck_status(keel_basket_health_sensitivity(f->b, f->o, f->m, f->h, ETH, NULL, &b), KEEL_E_NULL_ARG);
    ck_status(keel_basket_health_sensitivity(f->b, f->o, f->m, f->h, ETH, &a, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_basket_health_sensitivity(f->b, f->o, WRONG_M(f), f->h, ETH, &a, &b), KEEL_E_BAD_HANDLE);
    ck_status(keel_basket_health_sensitivity(f->b, f->o, f->m, f->h, 99, &a, &b), KEEL_E_UNKNOWN_ASSET);
    keel_basket *empty;
    ck_ok(keel_basket_new(&empty));
    ck_status(keel_basket_health_sensitivity(empty, NULL, f->m, f->h, ETH, &a, &b), KEEL_E_OUT_OF_RANGE);
    keel_basket_free(empty);
    ck_assert(a == 7 && b == 7);
}
static keel_status good_keel_basket_health_sensitivity(fx *f)
{
    double a, b;
    return keel_basket_health_sensitivity(f->b, f->o, f->m, f->h, ETH, &a, &b);
}

static void bad_keel_basket_pnl(fx *f)
{
    double a = 7, b = 7;
    for (int i = 0; i < 3; i++)
        ck_status(keel_basket_pnl(f->b, f->o, f->m, ETH, NONFINITE[i], &a, &b), KEEL_E_NOT_FINITE);
    ck_status(keel_basket_pnl(f->b, f->o, f->m, ETH, -1.0, &a, &b), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_basket_pnl(NULL, f->o, f->m, ETH, 0.1, &a, &b), KEEL_E_NULL_ARG);
    ck_status(keel_basket_pnl(f->b, f->o, NULL, ETH, 0.1, &a, &b), KEEL_E_NULL_ARG);
    ck_status(keel_basket_pnl(f->b, f->o, f->m, ETH, 0.1, NULL, &b), KEEL_E_NULL_ARG);
    ck_status(keel_basket_pnl(f->b, f->o, f->m, ETH, 0.1, &a, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_basket_pnl(WRONG_B(f), f->o, f->m, ETH, 0.1, &a, &b), KEEL_E_BAD_HANDLE);
    ck_status(keel_basket_pnl(f->b, WRONG_O(f), f->m, ETH, 0.1, &a, &b), KEEL_E_BAD_HANDLE);
    ck_status(keel_basket_pnl(f->b, f->o, f->m, 99, 0.1, &a, &b), KEEL_E_UNKNOWN_ASSET);
    ck_assert(a == 7 && b == 7);
}
static keel_status good_keel_basket_pnl(fx *f)
{
    double a, b;
    return keel_basket_pnl(f->b, f->o, f->m, ETH, -0.1, &a, &b);
}

/* ---- cost model ---- */

/* Cost setters of one or two numbers on an asset: bad numbers, the bad id,
 * NULL and wrong handle; the good call adds asset 20 (the store grows). */
#define COST_SETTER_ROW(fn, call_bad, call_good)                                          \
    static void bad_##fn(fx *f)                                                           \
    {                                                                                     \
        call_bad;                                                                         \
    }                                                                                     \
    static keel_status good_##fn(fx *f)                                                   \
    {                                                                                     \
        return call_good;                                                                 \
    }
COST_SETTER_ROW(keel_cost_model_set_fee,
    for (int i = 0; i < 3; i++) {
        ck_status(keel_cost_model_set_fee(f->c, ETH, NONFINITE[i], 0), KEEL_E_NOT_FINITE);
        ck_status(keel_cost_model_set_fee(f->c, ETH, 0, NONFINITE[i]), KEEL_E_NOT_FINITE);
    }
    ck_status(keel_cost_model_set_fee(f->c, ETH, -0.1, 0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_cost_model_set_fee(f->c, ETH, 0, 1.0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_cost_model_set_fee(f->c, KEEL_ASSET_INVALID, 0, 0), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_cost_model_set_fee(NULL, ETH, 0, 0), KEEL_E_NULL_ARG);
    ck_status(keel_cost_model_set_fee(WRONG_C(f), ETH, 0, 0), KEEL_E_BAD_HANDLE),
    keel_cost_model_set_fee(f->c, 20, 0.001, 0.0))
COST_SETTER_ROW(keel_cost_model_set_fixed,
    for (int i = 0; i < 3; i++)
        ck_status(keel_cost_model_set_fixed(f->c, ETH, NONFINITE[i]), KEEL_E_NOT_FINITE);
    ck_status(keel_cost_model_set_fixed(f->c, ETH, -1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_cost_model_set_fixed(f->c, KEEL_ASSET_INVALID, 1), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_cost_model_set_fixed(NULL, ETH, 1), KEEL_E_NULL_ARG);
    ck_status(keel_cost_model_set_fixed(WRONG_C(f), ETH, 1), KEEL_E_BAD_HANDLE),
    keel_cost_model_set_fixed(f->c, 20, 2.5))
COST_SETTER_ROW(keel_cost_model_set_linear_impact,
    for (int i = 0; i < 3; i++) {
        ck_status(keel_cost_model_set_linear_impact(f->c, ETH, NONFINITE[i], 1), KEEL_E_NOT_FINITE);
        ck_status(keel_cost_model_set_linear_impact(f->c, ETH, 1, NONFINITE[i]), KEEL_E_NOT_FINITE);
    }
    ck_status(keel_cost_model_set_linear_impact(f->c, ETH, -1, 1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_cost_model_set_linear_impact(f->c, ETH, 1, 0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_cost_model_set_linear_impact(f->c, KEEL_ASSET_INVALID, 1, 1), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_cost_model_set_linear_impact(NULL, ETH, 1, 1), KEEL_E_NULL_ARG);
    ck_status(keel_cost_model_set_linear_impact(WRONG_C(f), ETH, 1, 1), KEEL_E_BAD_HANDLE),
    keel_cost_model_set_linear_impact(f->c, 20, 0.5, 1e7))
COST_SETTER_ROW(keel_cost_model_set_sqrt_impact,
    for (int i = 0; i < 3; i++) {
        ck_status(keel_cost_model_set_sqrt_impact(f->c, ETH, NONFINITE[i], 1), KEEL_E_NOT_FINITE);
        ck_status(keel_cost_model_set_sqrt_impact(f->c, ETH, 1, NONFINITE[i]), KEEL_E_NOT_FINITE);
    }
    ck_status(keel_cost_model_set_sqrt_impact(f->c, ETH, -1, 1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_cost_model_set_sqrt_impact(f->c, ETH, 1, -1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_cost_model_set_sqrt_impact(f->c, KEEL_ASSET_INVALID, 1, 1), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_cost_model_set_sqrt_impact(NULL, ETH, 1, 1), KEEL_E_NULL_ARG);
    ck_status(keel_cost_model_set_sqrt_impact(WRONG_C(f), ETH, 1, 1), KEEL_E_BAD_HANDLE),
    keel_cost_model_set_sqrt_impact(f->c, 20, 0.7, 1e9))
COST_SETTER_ROW(keel_cost_model_set_pool,
    for (int i = 0; i < 3; i++) {
        ck_status(keel_cost_model_set_pool(f->c, ETH, NONFINITE[i], 1, 0), KEEL_E_NOT_FINITE);
        ck_status(keel_cost_model_set_pool(f->c, ETH, 1, NONFINITE[i], 0), KEEL_E_NOT_FINITE);
        ck_status(keel_cost_model_set_pool(f->c, ETH, 1, 1, NONFINITE[i]), KEEL_E_NOT_FINITE);
    }
    ck_status(keel_cost_model_set_pool(f->c, ETH, 0, 1, 0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_cost_model_set_pool(f->c, ETH, 1, -1, 0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_cost_model_set_pool(f->c, ETH, 1, 1, -0.1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_cost_model_set_pool(f->c, KEEL_ASSET_INVALID, 1, 1, 0), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_cost_model_set_pool(NULL, ETH, 1, 1, 0), KEEL_E_NULL_ARG);
    ck_status(keel_cost_model_set_pool(WRONG_C(f), ETH, 1, 1, 0), KEEL_E_BAD_HANDLE),
    keel_cost_model_set_pool(f->c, 20, 1000.0, 2e6, 0.003))

static void bad_keel_cost_model_clear_impact(fx *f)
{
    ck_status(keel_cost_model_clear_impact(NULL, ETH), KEEL_E_NULL_ARG);
    ck_status(keel_cost_model_clear_impact(WRONG_C(f), ETH), KEEL_E_BAD_HANDLE);
}
static keel_status good_keel_cost_model_clear_impact(fx *f)
{
    return keel_cost_model_clear_impact(f->c, WBTC);
}

static void bad_keel_cost_model_impact(fx *f)
{
    keel_impact i;
    ck_status(keel_cost_model_impact(NULL, ETH, &i), KEEL_E_NULL_ARG);
    ck_status(keel_cost_model_impact(WRONG_C(f), ETH, &i), KEEL_E_BAD_HANDLE);
    ck_status(keel_cost_model_impact(f->c, ETH, NULL), KEEL_E_NULL_ARG);
}
static keel_status good_keel_cost_model_impact(fx *f)
{
    keel_impact i;
    return keel_cost_model_impact(f->c, WBTC, &i);
}

static void bad_keel_cost_model_cost(fx *f)
{
    keel_trade_cost c = KEEL_TRADE_COST_INIT;
    c.total = 7;
    for (int i = 0; i < 3; i++)
        ck_status(keel_cost_model_cost(f->c, f->m, ETH, NONFINITE[i], &c), KEEL_E_NOT_FINITE);
    ck_status(keel_cost_model_cost(NULL, f->m, ETH, 1, &c), KEEL_E_NULL_ARG);
    ck_status(keel_cost_model_cost(f->c, NULL, ETH, 1, &c), KEEL_E_NULL_ARG);
    ck_status(keel_cost_model_cost(f->c, f->m, ETH, 1, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_cost_model_cost(WRONG_C(f), f->m, ETH, 1, &c), KEEL_E_BAD_HANDLE);
    ck_status(keel_cost_model_cost(f->c, WRONG_M(f), ETH, 1, &c), KEEL_E_BAD_HANDLE);
    ck_status(keel_cost_model_cost(f->c, f->m, 99, 1, &c), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_cost_model_cost(f->c, f->m, WBTC, 100, &c), KEEL_E_INFEASIBLE);
    ck_assert(c.total == 7);
    c.size = 0;
    ck_status(keel_cost_model_cost(f->c, f->m, ETH, 1, &c), KEEL_E_OUT_OF_RANGE);
}
static keel_status good_keel_cost_model_cost(fx *f)
{
    keel_trade_cost c = KEEL_TRADE_COST_INIT;
    return keel_cost_model_cost(f->c, f->m, WBTC, -1.5, &c);
}

static void bad_keel_cost_model_swap(fx *f)
{
    keel_swap_result r = KEEL_SWAP_RESULT_INIT;
    for (int i = 0; i < 3; i++)
        ck_status(keel_cost_model_swap(f->c, f->m, ETH, USDC, NONFINITE[i], &r), KEEL_E_NOT_FINITE);
    ck_status(keel_cost_model_swap(f->c, f->m, ETH, USDC, -1, &r), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_cost_model_swap(NULL, f->m, ETH, USDC, 1, &r), KEEL_E_NULL_ARG);
    ck_status(keel_cost_model_swap(f->c, NULL, ETH, USDC, 1, &r), KEEL_E_NULL_ARG);
    ck_status(keel_cost_model_swap(f->c, f->m, ETH, USDC, 1, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_cost_model_swap(WRONG_C(f), f->m, ETH, USDC, 1, &r), KEEL_E_BAD_HANDLE);
    ck_status(keel_cost_model_swap(f->c, f->m, 99, USDC, 1, &r), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_cost_model_swap(f->c, f->m, ETH, 99, 1, &r), KEEL_E_UNKNOWN_ASSET);
    r.size = 1;
    ck_status(keel_cost_model_swap(f->c, f->m, ETH, USDC, 1, &r), KEEL_E_OUT_OF_RANGE);
}
static keel_status good_keel_cost_model_swap(fx *f)
{
    keel_swap_result r = KEEL_SWAP_RESULT_INIT;
    return keel_cost_model_swap(f->c, f->m, ETH, WBTC, 2.0, &r);
}

/* ---- plans and the deleverage solver ---- */

static keel_plan *fixture_plan(fx *f)
{
    keel_deleverage_params p = KEEL_DELEVERAGE_PARAMS_INIT;
    p.target_health = 10.0;
    p.repay_asset = USDC;
    keel_plan *plan = NULL;
    ck_ok(keel_deleverage(f->b, NULL, f->m, f->h, f->c, &p, &plan, NULL));
    return plan;
}

static void bad_keel_deleverage(fx *f)
{
    keel_deleverage_params p = KEEL_DELEVERAGE_PARAMS_INIT;
    p.repay_asset = USDC;
    keel_plan *plan = NULL;
    ck_status(keel_deleverage(NULL, NULL, f->m, f->h, f->c, &p, &plan, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_deleverage(f->b, NULL, NULL, f->h, f->c, &p, &plan, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_deleverage(f->b, NULL, f->m, NULL, f->c, &p, &plan, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_deleverage(f->b, NULL, f->m, f->h, NULL, &p, &plan, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_deleverage(f->b, NULL, f->m, f->h, f->c, NULL, &plan, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_deleverage(f->b, NULL, f->m, f->h, f->c, &p, NULL, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_deleverage(WRONG_B(f), NULL, f->m, f->h, f->c, &p, &plan, NULL), KEEL_E_BAD_HANDLE);
    ck_status(keel_deleverage(f->b, WRONG_O(f), f->m, f->h, f->c, &p, &plan, NULL), KEEL_E_BAD_HANDLE);
    ck_status(keel_deleverage(f->b, NULL, f->m, f->h, WRONG_C(f), &p, &plan, NULL), KEEL_E_BAD_HANDLE);
    for (int i = 0; i < 3; i++) {
        p.target_health = NONFINITE[i];
        ck_status(keel_deleverage(f->b, NULL, f->m, f->h, f->c, &p, &plan, NULL), KEEL_E_NOT_FINITE);
    }
    p.target_health = 1.0;
    ck_status(keel_deleverage(f->b, NULL, f->m, f->h, f->c, &p, &plan, NULL), KEEL_E_OUT_OF_RANGE);
    p.target_health = 2.0;
    p.max_trade_value = -1;
    ck_status(keel_deleverage(f->b, NULL, f->m, f->h, f->c, &p, &plan, NULL), KEEL_E_OUT_OF_RANGE);
    p.max_trade_value = 0;
    p.repay_asset = 99;
    ck_status(keel_deleverage(f->b, NULL, f->m, f->h, f->c, &p, &plan, NULL), KEEL_E_UNKNOWN_ASSET);
    p.repay_asset = ETH; /* owes no ETH */
    ck_status(keel_deleverage(f->b, NULL, f->m, f->h, f->c, &p, &plan, NULL), KEEL_E_OUT_OF_RANGE);
    p.repay_asset = USDC;
    p.size = 1;
    ck_status(keel_deleverage(f->b, NULL, f->m, f->h, f->c, &p, &plan, NULL), KEEL_E_OUT_OF_RANGE);
    ck_assert_ptr_null(plan);
}
static keel_status good_keel_deleverage(fx *f)
{
    keel_deleverage_params p = KEEL_DELEVERAGE_PARAMS_INIT;
    p.target_health = 10.0;
    p.repay_asset = USDC;
    keel_plan *plan = NULL;
    keel_status s = keel_deleverage(f->b, NULL, f->m, f->h, f->c, &p, &plan, NULL);
    keel_plan_free(plan);
    return s;
}

static void bad_keel_plan_free(fx *f)
{
    size_t live = keel_live_handles();
    keel_plan_free(NULL);
    keel_plan_free((keel_plan *)(void *)f->b);
    ck_assert_uint_eq(keel_live_handles(), live);
}
static keel_status good_keel_plan_free(fx *f)
{
    (void)f;
    keel_plan_free(NULL);
    return KEEL_OK;
}

static void bad_keel_plan_action_count(fx *f)
{
    keel_plan *plan = fixture_plan(f);
    size_t n;
    ck_status(keel_plan_action_count(NULL, &n), KEEL_E_NULL_ARG);
    ck_status(keel_plan_action_count(plan, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_plan_action_count((keel_plan *)(void *)f->m, &n), KEEL_E_BAD_HANDLE);
    keel_plan_free(plan);
}
static keel_status good_keel_plan_action_count(fx *f)
{
    (void)f;
    size_t n;
    return keel_plan_action_count(NULL, &n) == KEEL_E_NULL_ARG ? KEEL_OK : KEEL_E_STATE;
}

static void bad_keel_plan_action(fx *f)
{
    keel_plan *plan = fixture_plan(f);
    keel_action a = KEEL_ACTION_INIT;
    ck_status(keel_plan_action(NULL, 0, &a), KEEL_E_NULL_ARG);
    ck_status(keel_plan_action(plan, 0, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_plan_action(plan, 1000, &a), KEEL_E_NOT_FOUND);
    ck_status(keel_plan_action((keel_plan *)(void *)f->m, 0, &a), KEEL_E_BAD_HANDLE);
    a.size = 0;
    ck_status(keel_plan_action(plan, 0, &a), KEEL_E_OUT_OF_RANGE);
    keel_plan_free(plan);
}
static keel_status good_keel_plan_action(fx *f)
{
    (void)f;
    keel_action a = KEEL_ACTION_INIT;
    return keel_plan_action(NULL, 0, &a) == KEEL_E_NULL_ARG ? KEEL_OK : KEEL_E_STATE;
}

static void bad_keel_plan_summary(fx *f)
{
    keel_plan *plan = fixture_plan(f);
    keel_metrics m = KEEL_METRICS_INIT;
    ck_status(keel_plan_summary(NULL, NULL, &m, &m), KEEL_E_NULL_ARG);
    ck_status(keel_plan_summary((keel_plan *)(void *)f->m, NULL, &m, NULL), KEEL_E_BAD_HANDLE);
    m.size = 1;
    ck_status(keel_plan_summary(plan, NULL, &m, NULL), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_plan_summary(plan, NULL, NULL, &m), KEEL_E_OUT_OF_RANGE);
    keel_plan_free(plan);
}
static keel_status good_keel_plan_summary(fx *f)
{
    (void)f;
    return keel_plan_summary(NULL, NULL, NULL, NULL) == KEEL_E_NULL_ARG ? KEEL_OK : KEEL_E_STATE;
}

static void bad_keel_plan_apply(fx *f)
{
    keel_plan *plan = fixture_plan(f);
    keel_basket *other;
    ck_ok(keel_basket_new(&other));
    ck_status(keel_plan_apply(NULL, f->b), KEEL_E_NULL_ARG);
    ck_status(keel_plan_apply(plan, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_plan_apply(plan, WRONG_B(f)), KEEL_E_BAD_HANDLE);
    ck_status(keel_plan_apply((keel_plan *)(void *)f->m, f->b), KEEL_E_BAD_HANDLE);
    ck_status(keel_plan_apply(plan, other), KEEL_E_STATE); /* another basket */
    keel_basket_free(other);
    keel_plan_free(plan);
}
static keel_status good_keel_plan_apply(fx *f)
{
    (void)f;
    return keel_plan_apply(NULL, NULL) == KEEL_E_NULL_ARG ? KEEL_OK : KEEL_E_STATE;
}

/* ---- policies ---- */

static void bad_keel_policy_health_band(fx *f)
{
    (void)f;
    keel_policy *pol = NULL;
    keel_health_band_params p = KEEL_HEALTH_BAND_PARAMS_INIT;
    p.debt_asset = USDC;
    ck_status(keel_policy_health_band(NULL, &pol), KEEL_E_NULL_ARG);
    ck_status(keel_policy_health_band(&p, NULL), KEEL_E_NULL_ARG);
    double *fields[] = { &p.repay_below, &p.repay_to, &p.boost_to };
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < 3; i++) {
            double keep = *fields[k];
            *fields[k] = NONFINITE[i];
            ck_status(keel_policy_health_band(&p, &pol), KEEL_E_NOT_FINITE);
            *fields[k] = keep;
        }
    p.boost_above = NAN;
    ck_status(keel_policy_health_band(&p, &pol), KEEL_E_NOT_FINITE);
    p.boost_above = INFINITY; /* never boosts: allowed */
    ck_ok(keel_policy_health_band(&p, &pol));
    keel_policy_free(pol);
    pol = NULL;
    p.repay_to = 1.2; /* below the trigger */
    ck_status(keel_policy_health_band(&p, &pol), KEEL_E_OUT_OF_RANGE);
    p.repay_to = 1.5;
    p.allowed = KEEL_ALLOW_WITHDRAW; /* no withdraw asset */
    ck_status(keel_policy_health_band(&p, &pol), KEEL_E_OUT_OF_RANGE);
    p.allowed = KEEL_ALLOW_SWAP; /* no swap asset */
    ck_status(keel_policy_health_band(&p, &pol), KEEL_E_OUT_OF_RANGE);
    p.allowed = KEEL_ALLOW_BOOST;
    p.boost_asset = USDC; /* the debt asset */
    ck_status(keel_policy_health_band(&p, &pol), KEEL_E_OUT_OF_RANGE);
    p.allowed = KEEL_ALLOW_REPAY;
    p.debt_asset = KEEL_ASSET_INVALID;
    ck_status(keel_policy_health_band(&p, &pol), KEEL_E_OUT_OF_RANGE);
    p.debt_asset = USDC;
    p.size = sizeof p - 1;
    ck_status(keel_policy_health_band(&p, &pol), KEEL_E_OUT_OF_RANGE);
    ck_assert_ptr_null(pol);
}
static keel_status good_keel_policy_health_band(fx *f)
{
    (void)f;
    keel_health_band_params p = KEEL_HEALTH_BAND_PARAMS_INIT;
    p.debt_asset = USDC;
    keel_policy *pol = NULL;
    keel_status s = keel_policy_health_band(&p, &pol);
    keel_policy_free(pol);
    return s;
}

static void bad_keel_policy_leverage_band(fx *f)
{
    (void)f;
    keel_policy *pol = NULL;
    keel_leverage_band_params p = KEEL_LEVERAGE_BAND_PARAMS_INIT;
    p.asset = ETH;
    p.debt_asset = USDC;
    ck_status(keel_policy_leverage_band(NULL, &pol), KEEL_E_NULL_ARG);
    ck_status(keel_policy_leverage_band(&p, NULL), KEEL_E_NULL_ARG);
    for (int i = 0; i < 3; i++) {
        p.target = NONFINITE[i];
        ck_status(keel_policy_leverage_band(&p, &pol), KEEL_E_NOT_FINITE);
    }
    p.target = 2.0;
    p.ripcord = NAN;
    ck_status(keel_policy_leverage_band(&p, &pol), KEEL_E_NOT_FINITE);
    p.ripcord = 2.7;
    p.min = 0.5;
    ck_status(keel_policy_leverage_band(&p, &pol), KEEL_E_OUT_OF_RANGE);
    p.min = 1.7;
    p.speed = 1.5;
    ck_status(keel_policy_leverage_band(&p, &pol), KEEL_E_OUT_OF_RANGE);
    p.speed = 1.0;
    p.max_trade_value = -1.0;
    ck_status(keel_policy_leverage_band(&p, &pol), KEEL_E_OUT_OF_RANGE);
    p.max_trade_value = 0.0;
    p.ripcord_max_trade_value = -1.0;
    ck_status(keel_policy_leverage_band(&p, &pol), KEEL_E_OUT_OF_RANGE);
    p.ripcord_max_trade_value = 0.0;
    p.asset = KEEL_ASSET_INVALID;
    ck_status(keel_policy_leverage_band(&p, &pol), KEEL_E_OUT_OF_RANGE);
    p.asset = ETH;
    p.size = 0;
    ck_status(keel_policy_leverage_band(&p, &pol), KEEL_E_OUT_OF_RANGE);
    ck_assert_ptr_null(pol);
}
static keel_status good_keel_policy_leverage_band(fx *f)
{
    (void)f;
    keel_leverage_band_params p = KEEL_LEVERAGE_BAND_PARAMS_INIT;
    p.asset = ETH;
    p.debt_asset = USDC;
    keel_policy *pol = NULL;
    keel_status s = keel_policy_leverage_band(&p, &pol);
    keel_policy_free(pol);
    return s;
}

static void bad_keel_policy_target_weights(fx *f)
{
    (void)f;
    keel_policy *pol = NULL;
    keel_asset assets[] = { ETH, USDC };
    double w[] = { 0.6, 0.4 };
    keel_target_weights_params p = KEEL_TARGET_WEIGHTS_PARAMS_INIT;
    p.count = 2;
    p.assets = assets;
    p.weights = w;
    ck_status(keel_policy_target_weights(NULL, &pol), KEEL_E_NULL_ARG);
    ck_status(keel_policy_target_weights(&p, NULL), KEEL_E_NULL_ARG);
    for (int i = 0; i < 3; i++) {
        w[0] = NONFINITE[i];
        ck_status(keel_policy_target_weights(&p, &pol), KEEL_E_NOT_FINITE);
        w[0] = 0.6;
        p.band = NONFINITE[i];
        ck_status(keel_policy_target_weights(&p, &pol), KEEL_E_NOT_FINITE);
        p.band = 0.05;
    }
    w[0] = -0.6;
    ck_status(keel_policy_target_weights(&p, &pol), KEEL_E_OUT_OF_RANGE);
    w[0] = 0.6;
    assets[1] = KEEL_ASSET_INVALID;
    ck_status(keel_policy_target_weights(&p, &pol), KEEL_E_OUT_OF_RANGE);
    assets[1] = USDC;
    p.count = SIZE_MAX;
    ck_status(keel_policy_target_weights(&p, &pol), KEEL_E_OVERFLOW);
    p.count = 2;
    p.weights = NULL;
    ck_status(keel_policy_target_weights(&p, &pol), KEEL_E_NULL_ARG);
    ck_assert_ptr_null(pol);
}
static keel_status good_keel_policy_target_weights(fx *f)
{
    (void)f;
    keel_asset assets[] = { ETH, USDC };
    double w[] = { 0.6, 0.4 };
    keel_target_weights_params p = KEEL_TARGET_WEIGHTS_PARAMS_INIT;
    p.count = 2;
    p.assets = assets;
    p.weights = w;
    keel_policy *pol = NULL;
    keel_status s = keel_policy_target_weights(&p, &pol);
    keel_policy_free(pol);
    return s;
}

static void bad_keel_policy_delta_hedge(fx *f)
{
    (void)f;
    keel_policy *pol = NULL;
    keel_delta_hedge_params p = KEEL_DELTA_HEDGE_PARAMS_INIT;
    p.funding_asset = USDC;
    ck_status(keel_policy_delta_hedge(NULL, &pol), KEEL_E_NULL_ARG);
    ck_status(keel_policy_delta_hedge(&p, NULL), KEEL_E_NULL_ARG);
    for (int i = 0; i < 3; i++) {
        p.risk_aversion = NONFINITE[i];
        ck_status(keel_policy_delta_hedge(&p, &pol), KEEL_E_NOT_FINITE);
    }
    p.risk_aversion = 0.0;
    ck_status(keel_policy_delta_hedge(&p, &pol), KEEL_E_OUT_OF_RANGE);
    p.risk_aversion = 1e-3;
    p.size = 1;
    ck_status(keel_policy_delta_hedge(&p, &pol), KEEL_E_OUT_OF_RANGE);
    ck_assert_ptr_null(pol);
}
static keel_status good_keel_policy_delta_hedge(fx *f)
{
    (void)f;
    keel_delta_hedge_params p = KEEL_DELTA_HEDGE_PARAMS_INIT;
    p.funding_asset = USDC;
    keel_policy *pol = NULL;
    keel_status s = keel_policy_delta_hedge(&p, &pol);
    keel_policy_free(pol);
    return s;
}

static void bad_keel_policy_predictive(fx *f)
{
    (void)f;
    keel_policy *pol = NULL;
    keel_predictive_params p = KEEL_PREDICTIVE_PARAMS_INIT;
    p.repay_asset = USDC;
    ck_status(keel_policy_predictive(NULL, &pol), KEEL_E_NULL_ARG);
    ck_status(keel_policy_predictive(&p, NULL), KEEL_E_NULL_ARG);
    for (int i = 0; i < 3; i++) {
        p.horizon = NONFINITE[i];
        ck_status(keel_policy_predictive(&p, &pol), KEEL_E_NOT_FINITE);
        p.horizon = 0.01;
        p.max_probability = NONFINITE[i];
        ck_status(keel_policy_predictive(&p, &pol), KEEL_E_NOT_FINITE);
        p.max_probability = 0.01;
    }
    p.max_probability = 0.0;
    ck_status(keel_policy_predictive(&p, &pol), KEEL_E_OUT_OF_RANGE);
    p.max_probability = 0.01;
    p.swap_to = ETH; /* both modes */
    ck_status(keel_policy_predictive(&p, &pol), KEEL_E_OUT_OF_RANGE);
    p.swap_to = KEEL_ASSET_INVALID;
    p.max_trade_value = -1.0;
    ck_status(keel_policy_predictive(&p, &pol), KEEL_E_OUT_OF_RANGE);
    p.max_trade_value = 0.0;
    p.size = 0;
    ck_status(keel_policy_predictive(&p, &pol), KEEL_E_OUT_OF_RANGE);
    ck_assert_ptr_null(pol);
}
static keel_status good_keel_policy_predictive(fx *f)
{
    (void)f;
    keel_predictive_params p = KEEL_PREDICTIVE_PARAMS_INIT;
    p.repay_asset = USDC;
    keel_policy *pol = NULL;
    keel_status s = keel_policy_predictive(&p, &pol);
    keel_policy_free(pol);
    return s;
}

static void bad_keel_policy_compose(fx *f)
{
    keel_policy *pol = NULL;
    const keel_policy *one[] = { f->p };
    const keel_policy *twice[] = { f->p, f->p };
    const keel_policy *wrong[] = { WRONG_P(f) };
    const keel_policy *null[] = { NULL };
    ck_status(keel_policy_compose(NULL, 1, &pol), KEEL_E_NULL_ARG);
    ck_status(keel_policy_compose(one, 1, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_policy_compose(one, 0, &pol), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_policy_compose(one, 65, &pol), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_policy_compose(twice, 2, &pol), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_policy_compose(wrong, 1, &pol), KEEL_E_BAD_HANDLE);
    ck_status(keel_policy_compose(null, 1, &pol), KEEL_E_NULL_ARG);
    ck_assert_ptr_null(pol);
}
static keel_status good_keel_policy_compose(fx *f)
{
    const keel_policy *one[] = { f->p };
    keel_policy *pol = NULL;
    keel_status s = keel_policy_compose(one, 1, &pol);
    keel_policy_free(pol);
    return s;
}

static void bad_keel_policy_free(fx *f)
{
    size_t live = keel_live_handles();
    keel_policy_free(NULL);
    keel_policy_free(WRONG_P(f));
    ck_assert_uint_eq(keel_live_handles(), live);
}
static keel_status good_keel_policy_free(fx *f)
{
    (void)f;
    keel_policy_free(NULL);
    return KEEL_OK;
}

static void bad_keel_policy_clone(fx *f)
{
    keel_policy *pol = NULL;
    ck_status(keel_policy_clone(NULL, &pol), KEEL_E_NULL_ARG);
    ck_status(keel_policy_clone(f->p, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_policy_clone(WRONG_P(f), &pol), KEEL_E_BAD_HANDLE);
    ck_assert_ptr_null(pol);
}
static keel_status good_keel_policy_clone(fx *f)
{
    keel_policy *pol = NULL;
    keel_status s = keel_policy_clone(f->p, &pol);
    keel_policy_free(pol);
    return s;
}

static void bad_keel_policy_kind_of(fx *f)
{
    keel_policy_kind k;
    ck_status(keel_policy_kind_of(NULL, &k), KEEL_E_NULL_ARG);
    ck_status(keel_policy_kind_of(f->p, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_policy_kind_of(WRONG_P(f), &k), KEEL_E_BAD_HANDLE);
}
static keel_status good_keel_policy_kind_of(fx *f)
{
    keel_policy_kind k;
    return keel_policy_kind_of(f->p, &k);
}

static void bad_keel_policy_plan(fx *f)
{
    keel_plan *plan = NULL;
    ck_status(keel_policy_plan(NULL, f->b, NULL, f->m, f->h, f->c, NULL, &plan), KEEL_E_NULL_ARG);
    ck_status(keel_policy_plan(f->p, NULL, NULL, f->m, f->h, f->c, NULL, &plan), KEEL_E_NULL_ARG);
    ck_status(keel_policy_plan(f->p, f->b, NULL, NULL, f->h, f->c, NULL, &plan), KEEL_E_NULL_ARG);
    ck_status(keel_policy_plan(f->p, f->b, NULL, f->m, NULL, f->c, NULL, &plan), KEEL_E_NULL_ARG);
    ck_status(keel_policy_plan(f->p, f->b, NULL, f->m, f->h, NULL, NULL, &plan), KEEL_E_NULL_ARG);
    ck_status(keel_policy_plan(f->p, f->b, NULL, f->m, f->h, f->c, NULL, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_policy_plan(WRONG_P(f), f->b, NULL, f->m, f->h, f->c, NULL, &plan), KEEL_E_BAD_HANDLE);
    ck_status(keel_policy_plan(f->p, WRONG_B(f), NULL, f->m, f->h, f->c, NULL, &plan), KEEL_E_BAD_HANDLE);
    ck_status(keel_policy_plan(f->p, f->b, WRONG_O(f), f->m, f->h, f->c, NULL, &plan), KEEL_E_BAD_HANDLE);
    ck_status(keel_policy_plan(f->p, f->b, NULL, f->m, f->h, WRONG_C(f), NULL, &plan), KEEL_E_BAD_HANDLE);
    ck_status(keel_policy_plan(f->p, f->b, NULL, f->m, f->h, f->c, WRONG_B(f), &plan), KEEL_E_BAD_HANDLE);
    /* a policy whose debt asset the market does not know */
    keel_health_band_params hb = KEEL_HEALTH_BAND_PARAMS_INIT;
    hb.repay_below = 1.9;
    hb.repay_to = 2.0;
    hb.boost_to = 2.0;
    hb.boost_above = 3.0;
    hb.debt_asset = 99;
    keel_policy *unknown = NULL;
    ck_ok(keel_policy_health_band(&hb, &unknown));
    ck_status(keel_policy_plan(unknown, f->b, NULL, f->m, f->h, f->c, NULL, &plan), KEEL_E_UNKNOWN_ASSET);
    keel_policy_free(unknown);
    ck_assert_ptr_null(plan);
}
static keel_status good_keel_policy_plan(fx *f)
{
    keel_plan *plan = NULL;
    keel_status s = keel_policy_plan(f->p, f->b, NULL, f->m, f->h, f->c, NULL, &plan);
    keel_plan_free(plan);
    return s;
}

static void bad_keel_hedge_band(fx *f)
{
    (void)f;
    double h;
    for (int i = 0; i < 3; i++) {
        ck_status(keel_hedge_band(NONFINITE[i], 1.0, 0.001, 0.01, 1.0, &h), KEEL_E_NOT_FINITE);
        ck_status(keel_hedge_band(0.1, NONFINITE[i], 0.001, 0.01, 1.0, &h), KEEL_E_NOT_FINITE);
        ck_status(keel_hedge_band(0.1, 1.0, NONFINITE[i], 0.01, 1.0, &h), KEEL_E_NOT_FINITE);
        ck_status(keel_hedge_band(0.1, 1.0, 0.001, NONFINITE[i], 1.0, &h), KEEL_E_NOT_FINITE);
        ck_status(keel_hedge_band(0.1, 1.0, 0.001, 0.01, NONFINITE[i], &h), KEEL_E_NOT_FINITE);
    }
    ck_status(keel_hedge_band(0.1, -1.0, 0.001, 0.01, 1.0, &h), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_hedge_band(0.1, 1.0, 0.001, 0.01, 0.0, &h), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_hedge_band(1e300, 1e300, 1.0, 1e-300, 1.0, &h), KEEL_E_OVERFLOW);
    ck_status(keel_hedge_band(0.1, 1.0, 0.001, 0.01, 1.0, NULL), KEEL_E_NULL_ARG);
}
static keel_status good_keel_hedge_band(fx *f)
{
    (void)f;
    double h;
    return keel_hedge_band(0.1, 2000.0, 0.001, 0.01, 1.0, &h);
}

static void bad_keel_liquidation_probability(fx *f)
{
    double pr;
    ck_status(keel_liquidation_probability(NULL, NULL, f->m, f->h, 1.0, &pr), KEEL_E_NULL_ARG);
    ck_status(keel_liquidation_probability(f->b, NULL, NULL, f->h, 1.0, &pr), KEEL_E_NULL_ARG);
    ck_status(keel_liquidation_probability(f->b, NULL, f->m, NULL, 1.0, &pr), KEEL_E_NULL_ARG);
    ck_status(keel_liquidation_probability(f->b, NULL, f->m, f->h, 1.0, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_liquidation_probability(WRONG_B(f), NULL, f->m, f->h, 1.0, &pr), KEEL_E_BAD_HANDLE);
    ck_status(keel_liquidation_probability(f->b, WRONG_O(f), f->m, f->h, 1.0, &pr), KEEL_E_BAD_HANDLE);
    for (int i = 0; i < 3; i++)
        ck_status(keel_liquidation_probability(f->b, NULL, f->m, f->h, NONFINITE[i], &pr), KEEL_E_NOT_FINITE);
    ck_status(keel_liquidation_probability(f->b, NULL, f->m, f->h, -1.0, &pr), KEEL_E_OUT_OF_RANGE);
}
static keel_status good_keel_liquidation_probability(fx *f)
{
    double pr;
    return keel_liquidation_probability(f->b, f->o, f->m, f->h, 0.1, &pr);
}

static void bad_keel_optimize_collateral(fx *f)
{
    keel_asset assets[] = { ETH, USDC, WBTC };
    double caps[] = { INFINITY, 1.0, 1.0 }, v[3] = { -1, -1, -1 };
    keel_collateral_params p = KEEL_COLLATERAL_PARAMS_INIT;
    keel_collateral_result r = KEEL_COLLATERAL_RESULT_INIT;
    p.max_var = 0.1;
    ck_status(keel_optimize_collateral(NULL, f->h, 3, assets, NULL, &p, v, &r), KEEL_E_NULL_ARG);
    ck_status(keel_optimize_collateral(f->m, NULL, 3, assets, NULL, &p, v, &r), KEEL_E_NULL_ARG);
    ck_status(keel_optimize_collateral(f->m, f->h, 3, NULL, NULL, &p, v, &r), KEEL_E_NULL_ARG);
    ck_status(keel_optimize_collateral(f->m, f->h, 3, assets, NULL, NULL, v, &r), KEEL_E_NULL_ARG);
    ck_status(keel_optimize_collateral(f->m, f->h, 3, assets, NULL, &p, NULL, &r), KEEL_E_NULL_ARG);
    ck_status(keel_optimize_collateral(WRONG_M(f), f->h, 3, assets, NULL, &p, v, &r), KEEL_E_BAD_HANDLE);
    ck_status(keel_optimize_collateral(f->m, WRONG_H(f), 3, assets, NULL, &p, v, &r), KEEL_E_BAD_HANDLE);
    ck_status(keel_optimize_collateral(f->m, f->h, 0, assets, NULL, &p, v, &r), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_optimize_collateral(f->m, f->h, 128, assets, NULL, &p, v, &r), KEEL_E_OUT_OF_RANGE);
    assets[2] = 99;
    ck_status(keel_optimize_collateral(f->m, f->h, 3, assets, NULL, &p, v, &r), KEEL_E_UNKNOWN_ASSET);
    assets[2] = WBTC;
    caps[1] = NAN;
    ck_status(keel_optimize_collateral(f->m, f->h, 3, assets, caps, &p, v, &r), KEEL_E_NOT_FINITE);
    caps[1] = -1.0;
    ck_status(keel_optimize_collateral(f->m, f->h, 3, assets, caps, &p, v, &r), KEEL_E_OUT_OF_RANGE);
    for (int i = 0; i < 3; i++) {
        keel_collateral_params q = p;
        q.total_value = NONFINITE[i];
        ck_status(keel_optimize_collateral(f->m, f->h, 3, assets, NULL, &q, v, &r), KEEL_E_NOT_FINITE);
        q = p;
        q.horizon = NONFINITE[i];
        ck_status(keel_optimize_collateral(f->m, f->h, 3, assets, NULL, &q, v, &r), KEEL_E_NOT_FINITE);
        q = p;
        q.max_var = NONFINITE[i];
        ck_status(keel_optimize_collateral(f->m, f->h, 3, assets, NULL, &q, v, &r), KEEL_E_NOT_FINITE);
    }
    keel_collateral_params q = p;
    q.goal = (keel_collateral_goal)7;
    ck_status(keel_optimize_collateral(f->m, f->h, 3, assets, NULL, &q, v, &r), KEEL_E_OUT_OF_RANGE);
    q = p;
    q.total_value = 0.0;
    ck_status(keel_optimize_collateral(f->m, f->h, 3, assets, NULL, &q, v, &r), KEEL_E_OUT_OF_RANGE);
    q = p;
    q.min_borrowing = -1.0;
    ck_status(keel_optimize_collateral(f->m, f->h, 3, assets, NULL, &q, v, &r), KEEL_E_OUT_OF_RANGE);
    q = p;
    q.size = 8;
    ck_status(keel_optimize_collateral(f->m, f->h, 3, assets, NULL, &q, v, &r), KEEL_E_OUT_OF_RANGE);
    r.size = 0;
    ck_status(keel_optimize_collateral(f->m, f->h, 3, assets, NULL, &p, v, &r), KEEL_E_OUT_OF_RANGE);
    ck_assert(v[0] == -1 && v[1] == -1 && v[2] == -1); /* outputs untouched */
}
static keel_status good_keel_optimize_collateral(fx *f)
{
    keel_asset assets[] = { ETH, USDC, WBTC };
    double v[3];
    keel_collateral_params p = KEEL_COLLATERAL_PARAMS_INIT;
    p.max_var = 0.1;
    return keel_optimize_collateral(f->m, f->h, 3, assets, NULL, &p, v, NULL);
}

/* ---- scans, stress, simulation ---- */

/* Three accounts of the fixture's market: rows 0-1, 2, none. */
static const size_t CSR_OFF[] = { 0, 2, 3, 3 };
static const keel_asset CSR_ASSET[] = { ETH, USDC, WBTC };
static const double CSR_Q[] = { 10.0, 0.0, 0.5 }, CSR_D[] = { 0.0, 12000.0, 0.0 };

/* The bad rows every batch call shares: NULL arrays, wrong handles, bad rows. */
#define CSR_BAD_ROWS(call_with)                                                              \
    do {                                                                                     \
        size_t off[] = { 0, 2, 3, 3 };                                                       \
        keel_asset as[] = { ETH, USDC, WBTC };                                               \
        double q[] = { 10.0, 0.0, 0.5 }, d[] = { 0.0, 12000.0, 0.0 };                       \
        ck_status(call_with(f->m, f->h, NULL, as, q, d), KEEL_E_NULL_ARG);                   \
        ck_status(call_with(f->m, f->h, off, NULL, q, d), KEEL_E_NULL_ARG);                  \
        ck_status(call_with(f->m, f->h, off, as, NULL, d), KEEL_E_NULL_ARG);                 \
        ck_status(call_with(f->m, f->h, off, as, q, NULL), KEEL_E_NULL_ARG);                 \
        ck_status(call_with(NULL, f->h, off, as, q, d), KEEL_E_NULL_ARG);                    \
        ck_status(call_with(f->m, NULL, off, as, q, d), KEEL_E_NULL_ARG);                    \
        ck_status(call_with(WRONG_M(f), f->h, off, as, q, d), KEEL_E_BAD_HANDLE);            \
        ck_status(call_with(f->m, WRONG_H(f), off, as, q, d), KEEL_E_BAD_HANDLE);            \
        for (int i_ = 0; i_ < 3; i_++) {                                                     \
            q[2] = NONFINITE[i_];                                                            \
            ck_status(call_with(f->m, f->h, off, as, q, d), KEEL_E_NOT_FINITE);              \
        }                                                                                    \
        q[2] = -1.0;                                                                         \
        ck_status(call_with(f->m, f->h, off, as, q, d), KEEL_E_OUT_OF_RANGE);                \
        q[2] = 0.5;                                                                          \
        as[2] = 999;                                                                         \
        ck_status(call_with(f->m, f->h, off, as, q, d), KEEL_E_UNKNOWN_ASSET);               \
        as[2] = WBTC;                                                                        \
        as[1] = ETH; /* not increasing */                                                    \
        ck_status(call_with(f->m, f->h, off, as, q, d), KEEL_E_OUT_OF_RANGE);                \
        as[1] = USDC;                                                                        \
        off[2] = 1; /* decreasing */                                                         \
        ck_status(call_with(f->m, f->h, off, as, q, d), KEEL_E_OUT_OF_RANGE);                \
    } while (0)

static double scan_out[3];
#define SCAN_CALL(m, h, off, as, q, d) keel_scan(m, h, 3, off, as, q, d, scan_out)
static void bad_keel_scan(fx *f)
{
    CSR_BAD_ROWS(SCAN_CALL);
    ck_status(keel_scan(f->m, f->h, 3, CSR_OFF, CSR_ASSET, CSR_Q, CSR_D, NULL), KEEL_E_NULL_ARG);
}
static keel_status good_keel_scan(fx *f)
{
    return keel_scan(f->m, f->h, 3, CSR_OFF, CSR_ASSET, CSR_Q, CSR_D, scan_out);
}

static size_t top_idx[2], top_found;
static double top_hf[2];
#define TOP_CALL(m, h, off, as, q, d)                                                        \
    keel_scan_top_k(m, h, 3, off, as, q, d, 2, top_idx, top_hf, &top_found)
static void bad_keel_scan_top_k(fx *f)
{
    CSR_BAD_ROWS(TOP_CALL);
    ck_status(keel_scan_top_k(f->m, f->h, 3, CSR_OFF, CSR_ASSET, CSR_Q, CSR_D, 0, top_idx, top_hf,
                              &top_found), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_scan_top_k(f->m, f->h, 3, CSR_OFF, CSR_ASSET, CSR_Q, CSR_D, 2, NULL, top_hf,
                              &top_found), KEEL_E_NULL_ARG);
    ck_status(keel_scan_top_k(f->m, f->h, 3, CSR_OFF, CSR_ASSET, CSR_Q, CSR_D, 2, top_idx, top_hf,
                              NULL), KEEL_E_NULL_ARG);
}
static keel_status good_keel_scan_top_k(fx *f)
{
    return TOP_CALL(f->m, f->h, CSR_OFF, CSR_ASSET, CSR_Q, CSR_D);
}

static const double LAR_SHOCKS[] = { 0.0, -0.3 };
static double lar_out[2];
#define LAR_CALL(m, h, off, as, q, d)                                                        \
    keel_liquidations_at_risk(m, h, 3, off, as, q, d, 2, LAR_SHOCKS, lar_out)
static void bad_keel_liquidations_at_risk(fx *f)
{
    CSR_BAD_ROWS(LAR_CALL);
    double shocks[] = { 0.0, -1.0 };
    ck_status(keel_liquidations_at_risk(f->m, f->h, 3, CSR_OFF, CSR_ASSET, CSR_Q, CSR_D, 2, shocks,
                                        lar_out), KEEL_E_OUT_OF_RANGE);
    shocks[1] = NAN;
    ck_status(keel_liquidations_at_risk(f->m, f->h, 3, CSR_OFF, CSR_ASSET, CSR_Q, CSR_D, 2, shocks,
                                        lar_out), KEEL_E_NOT_FINITE);
    ck_status(keel_liquidations_at_risk(f->m, f->h, 3, CSR_OFF, CSR_ASSET, CSR_Q, CSR_D, 2, NULL,
                                        lar_out), KEEL_E_NULL_ARG);
}
static keel_status good_keel_liquidations_at_risk(fx *f)
{
    return LAR_CALL(f->m, f->h, CSR_OFF, CSR_ASSET, CSR_Q, CSR_D);
}

static void bad_keel_stress(fx *f)
{
    const keel_asset as[] = { ETH, WBTC };
    double shocks[] = { -0.1, -0.2, -0.3, -0.4 };
    keel_metrics out[2] = { KEEL_METRICS_INIT, KEEL_METRICS_INIT };
    ck_status(keel_stress(NULL, NULL, f->m, f->h, 2, 2, as, shocks, out), KEEL_E_NULL_ARG);
    ck_status(keel_stress(f->b, NULL, NULL, f->h, 2, 2, as, shocks, out), KEEL_E_NULL_ARG);
    ck_status(keel_stress(f->b, NULL, f->m, f->h, 2, 2, NULL, shocks, out), KEEL_E_NULL_ARG);
    ck_status(keel_stress(f->b, NULL, f->m, f->h, 2, 2, as, NULL, out), KEEL_E_NULL_ARG);
    ck_status(keel_stress(f->b, NULL, f->m, f->h, 2, 2, as, shocks, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_stress(WRONG_B(f), NULL, f->m, f->h, 2, 2, as, shocks, out), KEEL_E_BAD_HANDLE);
    ck_status(keel_stress(f->b, WRONG_O(f), f->m, f->h, 2, 2, as, shocks, out), KEEL_E_BAD_HANDLE);
    ck_status(keel_stress(f->b, NULL, f->m, f->h, 2, 0, as, shocks, out), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_stress(f->b, NULL, f->m, f->h, SIZE_MAX, 2, as, shocks, out), KEEL_E_OVERFLOW);
    for (int i = 0; i < 3; i++) {
        shocks[3] = NONFINITE[i];
        ck_status(keel_stress(f->b, NULL, f->m, f->h, 2, 2, as, shocks, out), KEEL_E_NOT_FINITE);
    }
    shocks[3] = -1.0;
    ck_status(keel_stress(f->b, NULL, f->m, f->h, 2, 2, as, shocks, out), KEEL_E_OUT_OF_RANGE);
    shocks[3] = 0.0;
    const keel_asset bad[] = { ETH, 999 };
    ck_status(keel_stress(f->b, NULL, f->m, f->h, 2, 2, bad, shocks, out), KEEL_E_UNKNOWN_ASSET);
    out[1].size = 0;
    ck_status(keel_stress(f->b, NULL, f->m, f->h, 2, 2, as, shocks, out), KEEL_E_OUT_OF_RANGE);
    ck_assert(out[0].collateral_value == 0.0); /* nothing written */
}
static keel_status good_keel_stress(fx *f)
{
    const keel_asset as[] = { ETH, WBTC };
    const double shocks[] = { -0.1, -0.2, -0.3, -0.4 };
    keel_metrics out[2] = { KEEL_METRICS_INIT, KEEL_METRICS_INIT };
    return keel_stress(f->b, f->o, f->m, f->h, 2, 2, as, shocks, out);
}

static void bad_keel_sim_new(fx *f)
{
    keel_sim *s = NULL;
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    ck_status(keel_sim_new(NULL, NULL, f->m, f->h, f->c, NULL, &p, &s), KEEL_E_NULL_ARG);
    ck_status(keel_sim_new(f->b, NULL, NULL, f->h, f->c, NULL, &p, &s), KEEL_E_NULL_ARG);
    ck_status(keel_sim_new(f->b, NULL, f->m, NULL, f->c, NULL, &p, &s), KEEL_E_NULL_ARG);
    ck_status(keel_sim_new(f->b, NULL, f->m, f->h, NULL, NULL, &p, &s), KEEL_E_NULL_ARG);
    ck_status(keel_sim_new(f->b, NULL, f->m, f->h, f->c, NULL, NULL, &s), KEEL_E_NULL_ARG);
    ck_status(keel_sim_new(f->b, NULL, f->m, f->h, f->c, NULL, &p, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_sim_new(WRONG_B(f), NULL, f->m, f->h, f->c, NULL, &p, &s), KEEL_E_BAD_HANDLE);
    ck_status(keel_sim_new(f->b, WRONG_O(f), f->m, f->h, f->c, NULL, &p, &s), KEEL_E_BAD_HANDLE);
    ck_status(keel_sim_new(f->b, NULL, f->m, f->h, f->c, WRONG_P(f), &p, &s), KEEL_E_BAD_HANDLE);
    for (int i = 0; i < 3; i++) {
        keel_sim_params q = p;
        q.dt = NONFINITE[i];
        ck_status(keel_sim_new(f->b, NULL, f->m, f->h, f->c, NULL, &q, &s), KEEL_E_NOT_FINITE);
        q = p;
        q.close_factor = NONFINITE[i];
        ck_status(keel_sim_new(f->b, NULL, f->m, f->h, f->c, NULL, &q, &s), KEEL_E_NOT_FINITE);
    }
    keel_sim_params q = p;
    q.steps = 0;
    ck_status(keel_sim_new(f->b, NULL, f->m, f->h, f->c, NULL, &q, &s), KEEL_E_OUT_OF_RANGE);
    q = p;
    q.dt = -1.0;
    ck_status(keel_sim_new(f->b, NULL, f->m, f->h, f->c, NULL, &q, &s), KEEL_E_OUT_OF_RANGE);
    q = p;
    q.rebalance_every = 0;
    ck_status(keel_sim_new(f->b, NULL, f->m, f->h, f->c, NULL, &q, &s), KEEL_E_OUT_OF_RANGE);
    q = p;
    q.close_factor = 0.0;
    ck_status(keel_sim_new(f->b, NULL, f->m, f->h, f->c, NULL, &q, &s), KEEL_E_OUT_OF_RANGE);
    q = p;
    q.full_close_below = 1.5;
    ck_status(keel_sim_new(f->b, NULL, f->m, f->h, f->c, NULL, &q, &s), KEEL_E_OUT_OF_RANGE);
    q = p;
    q.liquidation_bonus = 1.0;
    ck_status(keel_sim_new(f->b, NULL, f->m, f->h, f->c, NULL, &q, &s), KEEL_E_OUT_OF_RANGE);
    q = p;
    q.size = 8;
    ck_status(keel_sim_new(f->b, NULL, f->m, f->h, f->c, NULL, &q, &s), KEEL_E_OUT_OF_RANGE);
    ck_assert_ptr_null(s);
}
static keel_status good_keel_sim_new(fx *f)
{
    keel_sim *s = NULL;
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    keel_status st = keel_sim_new(f->b, f->o, f->m, f->h, f->c, f->p, &p, &s);
    keel_sim_free(s);
    return st;
}

static void bad_keel_sim_free(fx *f)
{
    size_t live = keel_live_handles();
    keel_sim_free(NULL);
    keel_sim_free(WRONG_S(f));
    ck_assert_uint_eq(keel_live_handles(), live);
}
static keel_status good_keel_sim_free(fx *f)
{
    (void)f;
    keel_sim_free(NULL);
    return KEEL_OK;
}

static void bad_keel_sim_set_drift(fx *f)
{
    ck_status(keel_sim_set_drift(NULL, ETH, 0.1), KEEL_E_NULL_ARG);
    ck_status(keel_sim_set_drift(WRONG_S(f), ETH, 0.1), KEEL_E_BAD_HANDLE);
    ck_status(keel_sim_set_drift(f->sim, 999, 0.1), KEEL_E_UNKNOWN_ASSET);
    for (int i = 0; i < 3; i++)
        ck_status(keel_sim_set_drift(f->sim, ETH, NONFINITE[i]), KEEL_E_NOT_FINITE);
}
static keel_status good_keel_sim_set_drift(fx *f) { return keel_sim_set_drift(f->sim, ETH, 0.05); }

static void bad_keel_sim_set_jumps(fx *f)
{
    ck_status(keel_sim_set_jumps(NULL, ETH, 1, 0, 0.1), KEEL_E_NULL_ARG);
    ck_status(keel_sim_set_jumps(WRONG_S(f), ETH, 1, 0, 0.1), KEEL_E_BAD_HANDLE);
    ck_status(keel_sim_set_jumps(f->sim, 999, 1, 0, 0.1), KEEL_E_UNKNOWN_ASSET);
    for (int i = 0; i < 3; i++) {
        ck_status(keel_sim_set_jumps(f->sim, ETH, NONFINITE[i], 0, 0.1), KEEL_E_NOT_FINITE);
        ck_status(keel_sim_set_jumps(f->sim, ETH, 1, NONFINITE[i], 0.1), KEEL_E_NOT_FINITE);
        ck_status(keel_sim_set_jumps(f->sim, ETH, 1, 0, NONFINITE[i]), KEEL_E_NOT_FINITE);
    }
    ck_status(keel_sim_set_jumps(f->sim, ETH, -1, 0, 0.1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_sim_set_jumps(f->sim, ETH, 1, 0, -0.1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_sim_set_jumps(f->sim, ETH, 1e9, 0, 0.1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_sim_set_jumps(f->sim, ETH, 1, 800, 0.1), KEEL_E_OUT_OF_RANGE);
}
static keel_status good_keel_sim_set_jumps(fx *f)
{
    return keel_sim_set_jumps(f->sim, ETH, 2.0, -0.1, 0.1);
}

static void bad_keel_sim_set_paths(fx *f)
{
    const keel_asset as[] = { ETH };
    double prices[] = { 1900, 1800 };
    ck_status(keel_sim_set_paths(NULL, 1, 1, as, prices), KEEL_E_NULL_ARG);
    ck_status(keel_sim_set_paths(WRONG_S(f), 1, 1, as, prices), KEEL_E_BAD_HANDLE);
    ck_status(keel_sim_set_paths(f->sim, 1, 1, NULL, prices), KEEL_E_NULL_ARG);
    ck_status(keel_sim_set_paths(f->sim, 1, 1, as, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_sim_set_paths(f->sim, 1, 0, as, prices), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_sim_set_paths(f->sim, SIZE_MAX, 1, as, prices), KEEL_E_OVERFLOW);
    const keel_asset bad[] = { 999 };
    ck_status(keel_sim_set_paths(f->sim, 1, 1, bad, prices), KEEL_E_UNKNOWN_ASSET);
    const keel_asset twice[] = { ETH, ETH };
    double four[] = { 1, 1, 1, 1 };
    ck_status(keel_sim_set_paths(f->sim, 1, 2, twice, four), KEEL_E_OUT_OF_RANGE);
    for (int i = 0; i < 3; i++) {
        prices[1] = NONFINITE[i];
        ck_status(keel_sim_set_paths(f->sim, 1, 1, as, prices), KEEL_E_NOT_FINITE);
    }
    prices[1] = 0.0;
    ck_status(keel_sim_set_paths(f->sim, 1, 1, as, prices), KEEL_E_OUT_OF_RANGE);
}
static keel_status good_keel_sim_set_paths(fx *f)
{
    const keel_asset as[] = { ETH };
    const double prices[] = { 1900, 1800 };
    return keel_sim_set_paths(f->sim, 1, 1, as, prices);
}

static void bad_keel_sim_set_replay(fx *f)
{
    const keel_asset as[] = { ETH };
    double close[] = { 2000, 1900, 1800 }, low[] = { 1990, 1850, 1700 },
           high[] = { 2010, 1950, 1900 };
    const int64_t t[] = { 0, 86400, 172800 };
    keel_sim_replay r = KEEL_SIM_REPLAY_INIT;
    r.npaths = 1, r.rows = 3, r.nassets = 1, r.assets = as, r.close = close, r.low = low,
    r.high = high, r.time = t;
    ck_status(keel_sim_set_replay(WRONG_S(f), &r), KEEL_E_BAD_HANDLE);
    ck_status(keel_sim_set_replay(NULL, &r), KEEL_E_NULL_ARG);
    keel_sim_replay q = r;
    q.size = 4;
    ck_status(keel_sim_set_replay(f->sim, &q), KEEL_E_OUT_OF_RANGE);
    q = r, q.npaths = 0;
    ck_status(keel_sim_set_replay(f->sim, &q), KEEL_E_OUT_OF_RANGE);
    q = r, q.rows = 1;
    ck_status(keel_sim_set_replay(f->sim, &q), KEEL_E_OUT_OF_RANGE);
    q = r, q.nassets = 0;
    ck_status(keel_sim_set_replay(f->sim, &q), KEEL_E_OUT_OF_RANGE);
    q = r, q.assets = NULL;
    ck_status(keel_sim_set_replay(f->sim, &q), KEEL_E_NULL_ARG);
    q = r, q.close = NULL;
    ck_status(keel_sim_set_replay(f->sim, &q), KEEL_E_NULL_ARG);
    q = r, q.npaths = SIZE_MAX;
    ck_status(keel_sim_set_replay(f->sim, &q), KEEL_E_OVERFLOW);
    const keel_asset bad[] = { 999 };
    q = r, q.assets = bad;
    ck_status(keel_sim_set_replay(f->sim, &q), KEEL_E_UNKNOWN_ASSET);
    for (int i = 0; i < 3; i++) {
        double *arrays[3] = { close, low, high };
        for (int a = 0; a < 3; a++) {
            double keep = arrays[a][1];
            arrays[a][1] = NONFINITE[i];
            ck_status(keel_sim_set_replay(f->sim, &r), KEEL_E_NOT_FINITE);
            arrays[a][1] = keep;
        }
    }
    low[1] = 1960; /* a low above its close */
    ck_status(keel_sim_set_replay(f->sim, &r), KEEL_E_OUT_OF_RANGE);
    low[1] = 1850, high[2] = 1700; /* a high below its close */
    ck_status(keel_sim_set_replay(f->sim, &r), KEEL_E_OUT_OF_RANGE);
    high[2] = 1900, close[0] = -1;
    ck_status(keel_sim_set_replay(f->sim, &r), KEEL_E_OUT_OF_RANGE);
    close[0] = 2000;
    const int64_t flat[] = { 0, 86400, 86400 };
    q = r, q.time = flat;
    ck_status(keel_sim_set_replay(f->sim, &q), KEEL_E_OUT_OF_RANGE);
}
static keel_status good_keel_sim_set_replay(fx *f)
{
    const keel_asset as[] = { ETH };
    const double close[] = { 2000, 1900, 1800 }, low[] = { 1990, 1850, 1700 };
    const int64_t t[] = { 0, 86400, 259200 };
    keel_sim_replay r = KEEL_SIM_REPLAY_INIT;
    r.npaths = 1, r.rows = 3, r.nassets = 1, r.assets = as, r.close = close, r.low = low,
    r.time = t;
    return keel_sim_set_replay(f->sim, &r);
}

static void bad_keel_sim_set_window(fx *f)
{
    ck_status(keel_sim_set_window(NULL, 0, 1), KEEL_E_NULL_ARG);
    ck_status(keel_sim_set_window(WRONG_S(f), 0, 1), KEEL_E_BAD_HANDLE);
    ck_status(keel_sim_set_window(f->sim, 0, 1), KEEL_E_OUT_OF_RANGE); /* no replay */
    ck_assert_int_eq(good_keel_sim_set_replay(f), KEEL_OK);
    ck_status(keel_sim_set_window(f->sim, 2, 0), KEEL_E_OUT_OF_RANGE); /* the last row */
    ck_status(keel_sim_set_window(f->sim, 1, 2), KEEL_E_OUT_OF_RANGE); /* past it */
    ck_status(keel_sim_set_window(f->sim, SIZE_MAX, 1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_sim_set_window(f->sim, 0, SIZE_MAX), KEEL_E_OUT_OF_RANGE);
}
static keel_status good_keel_sim_set_window(fx *f)
{
    keel_status st = good_keel_sim_set_replay(f);
    return st != KEEL_OK ? st : keel_sim_set_window(f->sim, 1, 1);
}

static void bad_keel_sim_set_volatility(fx *f)
{
    keel_sim_volatility v = KEEL_SIM_VOLATILITY_INIT;
    v.kind = KEEL_SIM_VOL_GARCH, v.omega = 1e-5, v.alpha = 0.1, v.beta = 0.85;
    ck_status(keel_sim_set_volatility(NULL, ETH, &v), KEEL_E_NULL_ARG);
    ck_status(keel_sim_set_volatility(f->sim, ETH, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_sim_set_volatility(WRONG_S(f), ETH, &v), KEEL_E_BAD_HANDLE);
    ck_status(keel_sim_set_volatility(f->sim, 999, &v), KEEL_E_UNKNOWN_ASSET);
    keel_sim_volatility q = v;
    q.size = 4;
    ck_status(keel_sim_set_volatility(f->sim, ETH, &q), KEEL_E_OUT_OF_RANGE);
    q = v, q.kind = (keel_sim_vol_kind)9;
    ck_status(keel_sim_set_volatility(f->sim, ETH, &q), KEEL_E_OUT_OF_RANGE);
    q = v, q.beta = 0.9; /* alpha + beta = 1 */
    ck_status(keel_sim_set_volatility(f->sim, ETH, &q), KEEL_E_OUT_OF_RANGE);
    q = v, q.omega = 0;
    ck_status(keel_sim_set_volatility(f->sim, ETH, &q), KEEL_E_OUT_OF_RANGE);
    q = v, q.alpha = -0.1;
    ck_status(keel_sim_set_volatility(f->sim, ETH, &q), KEEL_E_OUT_OF_RANGE);
    q = v, q.drives = 2;
    ck_status(keel_sim_set_volatility(f->sim, ETH, &q), KEEL_E_OUT_OF_RANGE);
    q = v, q.period = 0;
    ck_status(keel_sim_set_volatility(f->sim, ETH, &q), KEEL_E_OUT_OF_RANGE);
    q = v, q.initial_variance = -1;
    ck_status(keel_sim_set_volatility(f->sim, ETH, &q), KEEL_E_OUT_OF_RANGE);
    for (int i = 0; i < 3; i++) {
        q = v, q.omega = NONFINITE[i];
        ck_status(keel_sim_set_volatility(f->sim, ETH, &q), KEEL_E_NOT_FINITE);
        q = v, q.period = NONFINITE[i];
        ck_status(keel_sim_set_volatility(f->sim, ETH, &q), KEEL_E_NOT_FINITE);
    }
    q = v, q.kind = KEEL_SIM_VOL_EWMA, q.lambda = 1.0;
    ck_status(keel_sim_set_volatility(f->sim, ETH, &q), KEEL_E_OUT_OF_RANGE);
    q.lambda = NAN;
    ck_status(keel_sim_set_volatility(f->sim, ETH, &q), KEEL_E_NOT_FINITE);
}
static keel_status good_keel_sim_set_volatility(fx *f)
{
    keel_sim_volatility v = KEEL_SIM_VOLATILITY_INIT;
    v.kind = KEEL_SIM_VOL_EWMA;
    return keel_sim_set_volatility(f->sim, ETH, &v);
}

static void bad_keel_sim_trace_path(fx *f)
{
    double h[3];
    keel_sim_event ev[4];
    keel_sim_trace t = KEEL_SIM_TRACE_INIT;
    t.capacity = 3, t.health = h, t.events = ev, t.event_capacity = 4;
    keel_sim_stats *st = NULL;
    ck_status(keel_sim_trace_path(NULL, 0, &t, &st), KEEL_E_NULL_ARG);
    ck_status(keel_sim_trace_path(f->sim, 0, NULL, &st), KEEL_E_NULL_ARG);
    ck_status(keel_sim_trace_path(WRONG_S(f), 0, &t, &st), KEEL_E_BAD_HANDLE);
    keel_sim_trace q = t;
    q.size = 4;
    ck_status(keel_sim_trace_path(f->sim, 0, &q, &st), KEEL_E_OUT_OF_RANGE);
    q = t, q.event_size = 8;
    ck_status(keel_sim_trace_path(f->sim, 0, &q, &st), KEEL_E_OUT_OF_RANGE);
    q = t, q.events = NULL;
    ck_status(keel_sim_trace_path(f->sim, 0, &q, &st), KEEL_E_NULL_ARG);
    q = t, q.capacity = 2; /* two steps: three rows */
    ck_status(keel_sim_trace_path(f->sim, 0, &q, &st), KEEL_E_BUFFER_TOO_SMALL);
    ck_assert_uint_eq(q.rows, 3);
    ck_assert(st == NULL);
}
static keel_status good_keel_sim_trace_path(fx *f)
{
    double h[3], p[3 * 8];
    keel_sim_event ev[4];
    keel_sim_trace t = KEEL_SIM_TRACE_INIT;
    t.capacity = 3, t.health = h, t.events = ev, t.event_capacity = 4;
    size_t n = 99;
    keel_status s = keel_market_asset_count(f->m, &n);
    t.prices = s == KEEL_OK && n <= 8 ? p : NULL;
    keel_sim_stats *st = NULL;
    s = keel_sim_trace_path(f->sim, 1, &t, &st);
    keel_sim_stats_free(st);
    return s;
}

static void bad_keel_sim_run(fx *f)
{
    keel_sim_stats *st = NULL;
    ck_status(keel_sim_run(NULL, 0, 1, NULL, NULL, &st), KEEL_E_NULL_ARG);
    ck_status(keel_sim_run(f->sim, 0, 1, NULL, NULL, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_sim_run(WRONG_S(f), 0, 1, NULL, NULL, &st), KEEL_E_BAD_HANDLE);
    ck_status(keel_sim_run(f->sim, 0, 0, NULL, NULL, &st), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_sim_run(f->sim, UINT64_MAX, 1, NULL, NULL, &st), KEEL_E_OUT_OF_RANGE);
    ck_assert_ptr_null(st);
}
static keel_status good_keel_sim_run(fx *f)
{
    keel_sim_stats *st = NULL;
    keel_status s = keel_sim_run(f->sim, 0, 2, NULL, NULL, &st);
    keel_sim_stats_free(st);
    return s;
}

static void bad_keel_sim_stats_free(fx *f)
{
    size_t live = keel_live_handles();
    keel_sim_stats_free(NULL);
    keel_sim_stats_free(WRONG_ST(f));
    ck_assert_uint_eq(keel_live_handles(), live);
}
static keel_status good_keel_sim_stats_free(fx *f)
{
    (void)f;
    keel_sim_stats_free(NULL);
    return KEEL_OK;
}

static void bad_keel_sim_stats_merge(fx *f)
{
    ck_status(keel_sim_stats_merge(NULL, f->stats), KEEL_E_NULL_ARG);
    ck_status(keel_sim_stats_merge(f->stats, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_sim_stats_merge(WRONG_ST(f), f->stats), KEEL_E_BAD_HANDLE);
    ck_status(keel_sim_stats_merge(f->stats, f->stats), KEEL_E_OUT_OF_RANGE);
    keel_sim_stats *dup;
    ck_ok(keel_sim_run(f->sim, 1, 1, NULL, NULL, &dup));
    ck_status(keel_sim_stats_merge(f->stats, dup), KEEL_E_OUT_OF_RANGE);
    keel_sim_stats_free(dup);
    /* statistics of another simulation */
    keel_sim *other;
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    p.seed = 9;
    ck_ok(keel_sim_new(f->b, NULL, f->m, f->h, f->c, NULL, &p, &other));
    keel_sim_stats *foreign;
    ck_ok(keel_sim_run(other, 10, 1, NULL, NULL, &foreign));
    ck_status(keel_sim_stats_merge(f->stats, foreign), KEEL_E_OUT_OF_RANGE);
    keel_sim_stats_free(foreign);
    keel_sim_free(other);
}
static keel_status good_keel_sim_stats_merge(fx *f)
{
    keel_sim_stats *more = NULL;
    keel_status s = keel_sim_run(f->sim, 3, 2, NULL, NULL, &more);
    if (s == KEEL_OK)
        s = keel_sim_stats_merge(f->stats, more);
    keel_sim_stats_free(more);
    return s;
}

static void bad_keel_sim_stats_summary(fx *f)
{
    keel_sim_summary s = KEEL_SIM_SUMMARY_INIT;
    ck_status(keel_sim_stats_summary(NULL, &s), KEEL_E_NULL_ARG);
    ck_status(keel_sim_stats_summary(f->stats, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_sim_stats_summary(WRONG_ST(f), &s), KEEL_E_BAD_HANDLE);
    s.size = 0;
    ck_status(keel_sim_stats_summary(f->stats, &s), KEEL_E_OUT_OF_RANGE);
}
static keel_status good_keel_sim_stats_summary(fx *f)
{
    keel_sim_summary s = KEEL_SIM_SUMMARY_INIT;
    return keel_sim_stats_summary(f->stats, &s);
}

static void bad_keel_sim_stats_percentile(fx *f)
{
    double v = -7.0;
    ck_status(keel_sim_stats_percentile(NULL, KEEL_SIM_FINAL_EQUITY, 0.5, &v), KEEL_E_NULL_ARG);
    ck_status(keel_sim_stats_percentile(f->stats, KEEL_SIM_FINAL_EQUITY, 0.5, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_sim_stats_percentile(WRONG_ST(f), KEEL_SIM_FINAL_EQUITY, 0.5, &v), KEEL_E_BAD_HANDLE);
    for (int i = 0; i < 3; i++)
        ck_status(keel_sim_stats_percentile(f->stats, KEEL_SIM_FINAL_EQUITY, NONFINITE[i], &v),
                  KEEL_E_NOT_FINITE);
    ck_status(keel_sim_stats_percentile(f->stats, KEEL_SIM_FINAL_EQUITY, 1.5, &v), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_sim_stats_percentile(f->stats, (keel_sim_metric)77, 0.5, &v), KEEL_E_OUT_OF_RANGE);
    ck_assert(v == -7.0);
}
static keel_status good_keel_sim_stats_percentile(fx *f)
{
    double v;
    return keel_sim_stats_percentile(f->stats, KEEL_SIM_MIN_HEALTH, 0.5, &v);
}

static void bad_keel_sim_stats_values(fx *f)
{
    size_t n = 99;
    double v[3];
    uint64_t p[3];
    ck_status(keel_sim_stats_values(NULL, KEEL_SIM_FINAL_EQUITY, p, v, 3, &n), KEEL_E_NULL_ARG);
    ck_status(keel_sim_stats_values(f->stats, KEEL_SIM_FINAL_EQUITY, p, v, 3, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_sim_stats_values(WRONG_ST(f), KEEL_SIM_FINAL_EQUITY, p, v, 3, &n),
              KEEL_E_BAD_HANDLE);
    ck_status(keel_sim_stats_values(f->stats, (keel_sim_metric)77, p, v, 3, &n), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_sim_stats_values(f->stats, (keel_sim_metric)-1, p, v, 3, &n), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_sim_stats_values(f->stats, KEEL_SIM_FINAL_EQUITY, p, v, 2, &n),
              KEEL_E_BUFFER_TOO_SMALL);
    ck_assert_uint_eq(n, 3);
}
static keel_status good_keel_sim_stats_values(fx *f)
{
    size_t n;
    double v[3];
    uint64_t p[3];
    return keel_sim_stats_values(f->stats, KEEL_SIM_MIN_HEALTH, p, v, 3, &n);
}

static void bad_keel_sim_stats_serialize(fx *f)
{
    size_t need = 0;
    unsigned char buf[64];
    ck_status(keel_sim_stats_serialize(NULL, buf, sizeof buf, &need), KEEL_E_NULL_ARG);
    ck_status(keel_sim_stats_serialize(f->stats, buf, sizeof buf, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_sim_stats_serialize(WRONG_ST(f), buf, sizeof buf, &need), KEEL_E_BAD_HANDLE);
    ck_status(keel_sim_stats_serialize(f->stats, buf, sizeof buf, &need), KEEL_E_BUFFER_TOO_SMALL);
    ck_assert_uint_eq(need, 24 + 3 * 88);
}
static keel_status good_keel_sim_stats_serialize(fx *f)
{
    unsigned char buf[24 + 3 * 88];
    size_t need;
    return keel_sim_stats_serialize(f->stats, buf, sizeof buf, &need);
}

static void bad_keel_sim_stats_deserialize(fx *f)
{
    unsigned char buf[24 + 3 * 88];
    size_t need;
    ck_ok(keel_sim_stats_serialize(f->stats, buf, sizeof buf, &need));
    keel_sim_stats *st = NULL;
    ck_status(keel_sim_stats_deserialize(NULL, need, &st), KEEL_E_NULL_ARG);
    ck_status(keel_sim_stats_deserialize(buf, need, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_sim_stats_deserialize(buf, need + 1, &st), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_sim_stats_deserialize(buf, 0, &st), KEEL_E_OUT_OF_RANGE);
    buf[5] = 9; /* another version */
    ck_status(keel_sim_stats_deserialize(buf, need, &st), KEEL_E_OUT_OF_RANGE);
    ck_assert_ptr_null(st);
}
static keel_status good_keel_sim_stats_deserialize(fx *f)
{
    unsigned char buf[24 + 3 * 88];
    size_t need;
    keel_sim_stats *st = NULL;
    KEEL_TEST_TRY(keel_sim_stats_serialize(f->stats, buf, sizeof buf, &need));
    keel_status s = keel_sim_stats_deserialize(buf, need, &st);
    keel_sim_stats_free(st);
    return s;
}

/* ---- estimators: the struct must be unchanged after each failure ---- */

#define EST_UNCHANGED(f, before) ck_assert(memcmp(&(f)->e, &(before).e, sizeof (f)->e) == 0 && \
                                           memcmp(&(f)->g, &(before).g, sizeof (f)->g) == 0)

static void bad_keel_ewma_init(fx *f)
{
    fx before = *f;
    ck_status(keel_ewma_init(NULL, 0.94, 0.0), KEEL_E_NULL_ARG);
    for (int i = 0; i < 3; i++) {
        ck_status(keel_ewma_init(&f->e, NONFINITE[i], 0.0), KEEL_E_NOT_FINITE);
        ck_status(keel_ewma_init(&f->e, 0.94, NONFINITE[i]), KEEL_E_NOT_FINITE);
    }
    ck_status(keel_ewma_init(&f->e, 0.0, 0.0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_ewma_init(&f->e, 1.0, 0.0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_ewma_init(&f->e, 0.94, -1.0), KEEL_E_OUT_OF_RANGE);
    EST_UNCHANGED(f, before);
}
static keel_status good_keel_ewma_init(fx *f) { return keel_ewma_init(&f->e, 0.9, 0.0); }

static void bad_keel_ewma_update(fx *f)
{
    fx before = *f;
    keel_ewma raw = { 0 };
    ck_status(keel_ewma_update(NULL, 0.1), KEEL_E_NULL_ARG);
    ck_status(keel_ewma_update(&raw, 0.1), KEEL_E_OUT_OF_RANGE);
    for (int i = 0; i < 3; i++)
        ck_status(keel_ewma_update(&f->e, NONFINITE[i]), KEEL_E_NOT_FINITE);
    ck_status(keel_ewma_update(&f->e, 1e300), KEEL_E_NOT_FINITE);
    EST_UNCHANGED(f, before);
}
static keel_status good_keel_ewma_update(fx *f) { return keel_ewma_update(&f->e, 0.01); }

static void bad_keel_ewma_update_price(fx *f)
{
    fx before = *f;
    keel_ewma raw = { 0 };
    ck_status(keel_ewma_update_price(NULL, 1.0), KEEL_E_NULL_ARG);
    ck_status(keel_ewma_update_price(&raw, 1.0), KEEL_E_OUT_OF_RANGE);
    for (int i = 0; i < 3; i++)
        ck_status(keel_ewma_update_price(&f->e, NONFINITE[i]), KEEL_E_NOT_FINITE);
    ck_status(keel_ewma_update_price(&f->e, -1.0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_ewma_update_price(&f->e, 0.0), KEEL_E_OUT_OF_RANGE);
    EST_UNCHANGED(f, before);
}
static keel_status good_keel_ewma_update_price(fx *f) { return keel_ewma_update_price(&f->e, 5.0); }

#define ANNUAL_ROW(fn, member)                                                            \
    static void bad_##fn(fx *f)                                                           \
    {                                                                                     \
        double v = 7;                                                                     \
        ck_status(fn(NULL, 365.0, &v), KEEL_E_NULL_ARG);                                  \
        ck_status(fn(&f->member, 365.0, NULL), KEEL_E_NULL_ARG);                          \
        for (int i = 0; i < 3; i++)                                                       \
            ck_status(fn(&f->member, NONFINITE[i], &v), KEEL_E_NOT_FINITE);               \
        ck_status(fn(&f->member, 0.0, &v), KEEL_E_OUT_OF_RANGE);                          \
        ck_status(fn(&f->member, -365.0, &v), KEEL_E_OUT_OF_RANGE);                       \
        ck_assert(v == 7);                                                                \
    }                                                                                     \
    static keel_status good_##fn(fx *f)                                                   \
    {                                                                                     \
        double v;                                                                         \
        return fn(&f->member, 365.0, &v);                                                 \
    }
ANNUAL_ROW(keel_ewma_annual_volatility, e)
ANNUAL_ROW(keel_garch_annual_volatility, g)

static void bad_keel_garch_init(fx *f)
{
    fx before = *f;
    ck_status(keel_garch_init(NULL, 1e-6, 0.1, 0.8, 0.0), KEEL_E_NULL_ARG);
    for (int i = 0; i < 3; i++) {
        ck_status(keel_garch_init(&f->g, NONFINITE[i], 0.1, 0.8, 0.0), KEEL_E_NOT_FINITE);
        ck_status(keel_garch_init(&f->g, 1e-6, NONFINITE[i], 0.8, 0.0), KEEL_E_NOT_FINITE);
        ck_status(keel_garch_init(&f->g, 1e-6, 0.1, NONFINITE[i], 0.0), KEEL_E_NOT_FINITE);
        ck_status(keel_garch_init(&f->g, 1e-6, 0.1, 0.8, NONFINITE[i]), KEEL_E_NOT_FINITE);
    }
    ck_status(keel_garch_init(&f->g, 0.0, 0.1, 0.8, 0.0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_init(&f->g, 1e-6, -0.1, 0.8, 0.0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_init(&f->g, 1e-6, 0.1, -0.8, 0.0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_init(&f->g, 1e-6, 0.3, 0.7, 0.0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_init(&f->g, 1e-6, 0.1, 0.8, -1.0), KEEL_E_OUT_OF_RANGE);
    EST_UNCHANGED(f, before);
}
static keel_status good_keel_garch_init(fx *f) { return keel_garch_init(&f->g, 1e-6, 0.1, 0.8, 0.0); }

static void bad_keel_garch_update(fx *f)
{
    fx before = *f;
    keel_garch raw = { 0 };
    ck_status(keel_garch_update(NULL, 0.1), KEEL_E_NULL_ARG);
    ck_status(keel_garch_update(&raw, 0.1), KEEL_E_OUT_OF_RANGE);
    for (int i = 0; i < 3; i++)
        ck_status(keel_garch_update(&f->g, NONFINITE[i]), KEEL_E_NOT_FINITE);
    ck_status(keel_garch_update(&f->g, 1e300), KEEL_E_NOT_FINITE);
    EST_UNCHANGED(f, before);
}
static keel_status good_keel_garch_update(fx *f) { return keel_garch_update(&f->g, 0.01); }

static void bad_keel_garch_update_price(fx *f)
{
    fx before = *f;
    keel_garch raw = { 0 };
    ck_status(keel_garch_update_price(NULL, 1.0), KEEL_E_NULL_ARG);
    ck_status(keel_garch_update_price(&raw, 1.0), KEEL_E_OUT_OF_RANGE);
    for (int i = 0; i < 3; i++)
        ck_status(keel_garch_update_price(&f->g, NONFINITE[i]), KEEL_E_NOT_FINITE);
    ck_status(keel_garch_update_price(&f->g, -1.0), KEEL_E_OUT_OF_RANGE);
    EST_UNCHANGED(f, before);
}
static keel_status good_keel_garch_update_price(fx *f) { return keel_garch_update_price(&f->g, 5.0); }

static void bad_keel_garch_long_run_variance(fx *f)
{
    double v;
    keel_garch raw = { 0 };
    ck_status(keel_garch_long_run_variance(NULL, &v), KEEL_E_NULL_ARG);
    ck_status(keel_garch_long_run_variance(&raw, &v), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_long_run_variance(&f->g, NULL), KEEL_E_NULL_ARG);
}
static keel_status good_keel_garch_long_run_variance(fx *f)
{
    double v;
    return keel_garch_long_run_variance(&f->g, &v);
}

static void bad_keel_garch_forecast(fx *f)
{
    double v = 7;
    keel_garch raw = { 0 };
    ck_status(keel_garch_forecast(NULL, 1, &v), KEEL_E_NULL_ARG);
    ck_status(keel_garch_forecast(&raw, 1, &v), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_forecast(&f->g, 0, &v), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_forecast(&f->g, 1, NULL), KEEL_E_NULL_ARG);
    ck_assert(v == 7);
}
static keel_status good_keel_garch_forecast(fx *f)
{
    double v;
    return keel_garch_forecast(&f->g, 10, &v);
}

/* 300 returns of GARCH(1,1) (omega 1e-5, alpha 0.1, beta 0.85) from a small
 * generator of the test's own (xorshift64*, Box-Muller). */
static void garch_series(double *r, size_t n)
{
    uint64_t s = 88172645463325252ull;
    double h = 2e-4;
    for (size_t t = 0; t < n; t++) {
        double u[2];
        for (int k = 0; k < 2; k++) {
            s ^= s >> 12, s ^= s << 25, s ^= s >> 27;
            u[k] = (double)((s * 2685821657736338717ull) >> 11) / 9007199254740992.0 + 1e-17;
        }
        r[t] = sqrt(h) * sqrt(-2.0 * log(u[0])) * cos(6.283185307179586 * u[1]);
        h = 1e-5 + 0.1 * r[t] * r[t] + 0.85 * h;
    }
}

static void bad_keel_garch_fit(fx *f)
{
    fx before = *f;
    double r[300];
    garch_series(r, 300);
    keel_garch_fit_params p = KEEL_GARCH_FIT_PARAMS_INIT;
    keel_garch_fit_result out;
    memset(&out, 0x5a, sizeof out);
    out.size = sizeof out;
    keel_garch_fit_result want = out;
    ck_status(keel_garch_fit(NULL, 300, &p, &out), KEEL_E_NULL_ARG);
    ck_status(keel_garch_fit(r, 300, &p, NULL), KEEL_E_NULL_ARG);
    for (int i = 0; i < 3; i++) {
        double keep = r[299];
        r[299] = NONFINITE[i];
        ck_status(keel_garch_fit(r, 300, &p, &out), KEEL_E_NOT_FINITE);
        r[299] = keep;
    }
    ck_status(keel_garch_fit(r, KEEL_GARCH_FIT_MIN_RETURNS - 1, &p, &out), KEEL_E_OUT_OF_RANGE);
    double flat[KEEL_GARCH_FIT_MIN_RETURNS];
    for (int t = 0; t < KEEL_GARCH_FIT_MIN_RETURNS; t++)
        flat[t] = -0.02;
    ck_status(keel_garch_fit(flat, KEEL_GARCH_FIT_MIN_RETURNS, &p, &out), KEEL_E_OUT_OF_RANGE);
    p.distribution = (keel_garch_dist)7;
    ck_status(keel_garch_fit(r, 300, &p, &out), KEEL_E_OUT_OF_RANGE);
    p = (keel_garch_fit_params)KEEL_GARCH_FIT_PARAMS_INIT;
    p.demean = -1;
    ck_status(keel_garch_fit(r, 300, &p, &out), KEEL_E_OUT_OF_RANGE);
    p = (keel_garch_fit_params)KEEL_GARCH_FIT_PARAMS_INIT;
    p.max_iterations = 0;
    ck_status(keel_garch_fit(r, 300, &p, &out), KEEL_E_OUT_OF_RANGE);
    p.size = 0;
    ck_status(keel_garch_fit(r, 300, &p, &out), KEEL_E_OUT_OF_RANGE);
    p = (keel_garch_fit_params)KEEL_GARCH_FIT_PARAMS_INIT;
    p.max_iterations = 1;
    ck_status(keel_garch_fit(r, 300, &p, &out), KEEL_E_NO_CONVERGENCE);
    ck_assert(memcmp(&out, &want, sizeof out) == 0);
    out.size = 1;
    ck_status(keel_garch_fit(r, 300, NULL, &out), KEEL_E_OUT_OF_RANGE);
    EST_UNCHANGED(f, before);
}
static keel_status good_keel_garch_fit(fx *f)
{
    (void)f;
    double r[300];
    garch_series(r, 300);
    keel_garch_fit_params p = KEEL_GARCH_FIT_PARAMS_INIT;
    p.demean = 1;
    keel_garch_fit_result out = KEEL_GARCH_FIT_RESULT_INIT;
    return keel_garch_fit(r, 300, &p, &out);
}

/* ---- core ---- */

static void bad_keel_set_allocator(fx *f)
{
    (void)f;
    fail_alloc fa = { -1, 0, 0, false };
    keel_allocator partial = { fa_malloc, fa_realloc, NULL, &fa };
    ck_status(keel_set_allocator(&partial), KEEL_E_STATE); /* handles are alive */
    keel_allocator full = { fa_malloc, fa_realloc, fa_free, &fa };
    ck_status(keel_set_allocator(&full), KEEL_E_STATE);
    ck_status(keel_set_allocator(NULL), KEEL_E_STATE);
}
static keel_status good_keel_set_allocator(fx *f)
{
    (void)f;
    return KEEL_OK; /* installing is covered in test_core; here handles are alive */
}

/* Functions with no argument that can be bad: the row records that. */
#define NO_BAD_INPUT_ROW(fn, call)                                                        \
    static void bad_##fn(fx *f)                                                           \
    {                                                                                     \
        (void)f;                                                                          \
    }                                                                                     \
    static keel_status good_##fn(fx *f)                                                   \
    {                                                                                     \
        (void)f;                                                                          \
        (void)(call);                                                                     \
        return KEEL_OK;                                                                   \
    }
NO_BAD_INPUT_ROW(keel_status_str, keel_status_str((keel_status)1234)) /* any int is accepted */
NO_BAD_INPUT_ROW(keel_last_error, keel_last_error())
NO_BAD_INPUT_ROW(keel_version, keel_version())
NO_BAD_INPUT_ROW(keel_version_number, keel_version_number())
NO_BAD_INPUT_ROW(keel_live_handles, keel_live_handles())

/* keel_*_init: NULL and a size below the size member are refused and write
 * nothing; nothing else can be bad. */
#define PARAMS_INIT_ROW(type)                                                             \
    static void bad_##type##_init(fx *f)                                                  \
    {                                                                                     \
        (void)f;                                                                          \
        type p;                                                                           \
        memset(&p, 0xab, sizeof p);                                                       \
        ck_status(type##_init(NULL, sizeof p), KEEL_E_NULL_ARG);                          \
        ck_status(type##_init(&p, 0), KEEL_E_OUT_OF_RANGE);                               \
        ck_status(type##_init(&p, sizeof(size_t) - 1), KEEL_E_OUT_OF_RANGE);              \
        for (size_t i = 0; i < sizeof p; i++)                                             \
            ck_assert_uint_eq(((unsigned char *)&p)[i], 0xab);                            \
    }                                                                                     \
    static keel_status good_##type##_init(fx *f)                                          \
    {                                                                                     \
        (void)f;                                                                          \
        type p;                                                                           \
        return type##_init(&p, sizeof p);                                                 \
    }
PARAMS_INIT_ROW(keel_margin_params)
PARAMS_INIT_ROW(keel_deleverage_params)
PARAMS_INIT_ROW(keel_health_band_params)
PARAMS_INIT_ROW(keel_leverage_band_params)
PARAMS_INIT_ROW(keel_target_weights_params)
PARAMS_INIT_ROW(keel_delta_hedge_params)
PARAMS_INIT_ROW(keel_predictive_params)
PARAMS_INIT_ROW(keel_collateral_params)
PARAMS_INIT_ROW(keel_sim_params)
PARAMS_INIT_ROW(keel_sim_volatility)
PARAMS_INIT_ROW(keel_garch_fit_params)

/* ---- Aave v3 and keel_u256 ---- */

/* A fingerprint of the fixture's Aave market and accounts, read through the
 * public getters: a bad call must leave it unchanged. */
static uint64_t aave_fp(const fx *f)
{
    uint64_t h = 1469598103934665603ull;
#define FP_BYTES(p, n)                                        \
    for (size_t k_ = 0; k_ < (n); k_++) {                     \
        h ^= ((const unsigned char *)(p))[k_];                \
        h *= 1099511628211ull;                                \
    }
    size_t n = keel_aave_market_size(f->am);
    FP_BYTES(&n, sizeof n);
    for (uint32_t r = 0; r < n; r++) {
        keel_aave_reserve rv = KEEL_AAVE_RESERVE_INIT;
        ck_ok(keel_aave_market_reserve(f->am, r, &rv));
        FP_BYTES(&rv, sizeof rv);
        const keel_aave_account *accts[2] = { f->aa, f->al };
        for (int k = 0; k < 2; k++) {
            keel_u256 s, d;
            uint32_t fl;
            ck_ok(keel_aave_account_position(accts[k], r, &s, &d, &fl));
            FP_BYTES(&s, sizeof s);
            FP_BYTES(&d, sizeof d);
            FP_BYTES(&fl, sizeof fl);
        }
    }
    keel_aave_emode e = KEEL_AAVE_EMODE_INIT;
    ck_ok(keel_aave_market_emode(f->am, 1, &e));
    FP_BYTES(&e, sizeof e);
    uint32_t em = keel_aave_account_emode(f->aa);
    FP_BYTES(&em, sizeof em);
#undef FP_BYTES
    return h;
}

#define WRONG_AM(f) ((keel_aave_market *)(void *)(f)->b)
#define WRONG_AA(f) ((keel_aave_account *)(void *)(f)->m)
#define AAVE_BAD_BEGIN(f) uint64_t fp_before_ = aave_fp(f)
#define AAVE_BAD_END(f) ck_assert_msg(aave_fp(f) == fp_before_, "a bad call changed the Aave fixture")
static const keel_u256 U0 = {{0, 0, 0, 0}};
static const keel_u256 WAD1 = {{1000000000000000000ull, 0, 0, 0}};

static void bad_keel_u256_from_u64(fx *f) { (void)f; }
static keel_status good_keel_u256_from_u64(fx *f) { (void)f; return keel_u256_from_u64(7).w[0] == 7 ? KEEL_OK : KEEL_E_STATE; }
static void bad_keel_u256_max(fx *f) { (void)f; }
static keel_status good_keel_u256_max(fx *f) { (void)f; return keel_u256_max().w[3] == UINT64_MAX ? KEEL_OK : KEEL_E_STATE; }
static void bad_keel_u256_to_double(fx *f) { (void)f; }
static keel_status good_keel_u256_to_double(fx *f) { (void)f; return keel_u256_to_double(keel_u256_from_u64(3)) == 3.0 ? KEEL_OK : KEEL_E_STATE; }
static void bad_keel_u256_cmp(fx *f) { (void)f; }
static keel_status good_keel_u256_cmp(fx *f) { (void)f; return keel_u256_cmp(U0, WAD1) == -1 ? KEEL_OK : KEEL_E_STATE; }

static void bad_keel_u256_from_string(fx *f)
{
    (void)f;
    keel_u256 v = WAD1;
    ck_status(keel_u256_from_string(NULL, &v), KEEL_E_NULL_ARG);
    ck_status(keel_u256_from_string("1", NULL), KEEL_E_NULL_ARG);
    ck_status(keel_u256_from_string("", &v), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_u256_from_string("0x", &v), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_u256_from_string("-1", &v), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_u256_from_string("12 3", &v), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_u256_from_string("0xfg", &v), KEEL_E_OUT_OF_RANGE);
    /* 2^256 */
    ck_status(keel_u256_from_string("115792089237316195423570985008687907853269984665640564039457584007913129639936", &v),
              KEEL_E_OVERFLOW);
    ck_assert(keel_u256_cmp(v, WAD1) == 0);
}
static keel_status good_keel_u256_from_string(fx *f)
{
    (void)f;
    keel_u256 v;
    return keel_u256_from_string("0xFFff", &v);
}

static void bad_keel_u256_to_string(fx *f)
{
    (void)f;
    char buf[4] = "abc";
    ck_status(keel_u256_to_string(WAD1, NULL, 80), KEEL_E_NULL_ARG);
    ck_status(keel_u256_to_string(keel_u256_from_u64(1234), buf, 4), KEEL_E_BUFFER_TOO_SMALL);
    ck_assert_str_eq(buf, "abc");
}
static keel_status good_keel_u256_to_string(fx *f)
{
    (void)f;
    char buf[KEEL_U256_DECIMAL_MAX];
    return keel_u256_to_string(keel_u256_max(), buf, sizeof buf);
}

#define U256_BINARY_ROW(fn, bad_a, bad_b, bad_status)                                     \
    static void bad_##fn(fx *f)                                                           \
    {                                                                                     \
        (void)f;                                                                          \
        keel_u256 out = WAD1;                                                             \
        ck_status(fn(WAD1, WAD1, NULL), KEEL_E_NULL_ARG);                                 \
        ck_status(fn(bad_a, bad_b, &out), bad_status);                                    \
        ck_assert(keel_u256_cmp(out, WAD1) == 0);                                         \
    }                                                                                     \
    static keel_status good_##fn(fx *f)                                                   \
    {                                                                                     \
        (void)f;                                                                          \
        keel_u256 out;                                                                    \
        return fn(WAD1, WAD1, &out);                                                      \
    }
U256_BINARY_ROW(keel_u256_add, keel_u256_max(), keel_u256_from_u64(1), KEEL_E_OVERFLOW)
U256_BINARY_ROW(keel_u256_sub, U0, keel_u256_from_u64(1), KEEL_E_OVERFLOW)
U256_BINARY_ROW(keel_u256_mul, keel_u256_max(), keel_u256_from_u64(2), KEEL_E_OVERFLOW)

static void bad_keel_u256_divmod(fx *f)
{
    (void)f;
    keel_u256 q = WAD1, r = WAD1;
    ck_status(keel_u256_divmod(WAD1, WAD1, NULL, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_u256_divmod(WAD1, U0, &q, &r), KEEL_E_OUT_OF_RANGE);
    ck_assert(keel_u256_cmp(q, WAD1) == 0 && keel_u256_cmp(r, WAD1) == 0);
}
static keel_status good_keel_u256_divmod(fx *f)
{
    (void)f;
    keel_u256 q;
    return keel_u256_divmod(WAD1, keel_u256_from_u64(3), &q, NULL);
}

static void bad_keel_wadray(fx *f)
{
    (void)f;
    keel_u256 out = WAD1;
    ck_status(keel_wadray(KEEL_RAY_MUL, WAD1, WAD1, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_wadray((keel_wadray_op)13, WAD1, WAD1, &out), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_wadray((keel_wadray_op)-1, WAD1, WAD1, &out), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_wadray(KEEL_WAD_DIV, WAD1, U0, &out), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_wadray(KEEL_RAY_MUL, keel_u256_max(), WAD1, &out), KEEL_E_OVERFLOW);
    ck_assert(keel_u256_cmp(out, WAD1) == 0);
}
static keel_status good_keel_wadray(fx *f)
{
    (void)f;
    keel_u256 out;
    return keel_wadray(KEEL_PERCENT_DIV_CEIL, WAD1, keel_u256_from_u64(3), &out);
}

static void bad_keel_mul_div_ceil(fx *f)
{
    (void)f;
    keel_u256 out = WAD1;
    ck_status(keel_mul_div_ceil(WAD1, WAD1, WAD1, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_mul_div_ceil(WAD1, WAD1, U0, &out), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_mul_div_ceil(keel_u256_max(), keel_u256_from_u64(2), WAD1, &out), KEEL_E_OVERFLOW);
    ck_assert(keel_u256_cmp(out, WAD1) == 0);
}
static keel_status good_keel_mul_div_ceil(fx *f)
{
    (void)f;
    keel_u256 out;
    return keel_mul_div_ceil(WAD1, keel_u256_from_u64(7), keel_u256_from_u64(3), &out);
}

PARAMS_INIT_ROW(keel_aave_reserve)
PARAMS_INIT_ROW(keel_aave_emode)

static void bad_keel_aave_market_new(fx *f)
{
    (void)f;
    keel_aave_market *m = (keel_aave_market *)f;
    ck_status(keel_aave_market_new(KEEL_AAVE_V3_6, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_aave_market_new((keel_aave_version)330, &m), KEEL_E_OUT_OF_RANGE);
    ck_assert_ptr_eq(m, (keel_aave_market *)f);
}
static keel_status good_keel_aave_market_new(fx *f)
{
    (void)f;
    keel_aave_market *m;
    KEEL_TEST_TRY(keel_aave_market_new(KEEL_AAVE_V3_4, &m));
    keel_aave_market_free(m);
    return KEEL_OK;
}
static void bad_keel_aave_market_free(fx *f) { keel_aave_market_free(NULL); keel_aave_market_free(WRONG_AM(f)); }
static keel_status good_keel_aave_market_free(fx *f) { (void)f; keel_aave_market_free(NULL); return KEEL_OK; }
static void bad_keel_aave_market_clone(fx *f)
{
    keel_aave_market *c = NULL;
    ck_status(keel_aave_market_clone(NULL, &c), KEEL_E_NULL_ARG);
    ck_status(keel_aave_market_clone(f->am, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_aave_market_clone(WRONG_AM(f), &c), KEEL_E_BAD_HANDLE);
    ck_assert_ptr_null(c);
}
static keel_status good_keel_aave_market_clone(fx *f)
{
    keel_aave_market *c;
    KEEL_TEST_TRY(keel_aave_market_clone(f->am, &c));
    keel_aave_market_free(c);
    return KEEL_OK;
}
static void bad_keel_aave_market_version(fx *f) { ck_assert_int_eq(keel_aave_market_version(WRONG_AM(f)), 0); ck_assert_int_eq(keel_aave_market_version(NULL), 0); }
static keel_status good_keel_aave_market_version(fx *f) { return keel_aave_market_version(f->am) == 360 ? KEEL_OK : KEEL_E_STATE; }
static void bad_keel_aave_market_size(fx *f) { ck_assert_uint_eq(keel_aave_market_size(WRONG_AM(f)), 0); }
static keel_status good_keel_aave_market_size(fx *f) { return keel_aave_market_size(f->am) == 2 ? KEEL_OK : KEEL_E_STATE; }

static void bad_keel_aave_market_add_reserve(fx *f)
{
    AAVE_BAD_BEGIN(f);
    keel_aave_reserve r = KEEL_AAVE_RESERVE_INIT;
    r.price = keel_u256_from_u64(100000000);
    uint32_t id = 77;
    ck_status(keel_aave_market_add_reserve(NULL, "X", &r, &id), KEEL_E_NULL_ARG);
    ck_status(keel_aave_market_add_reserve(WRONG_AM(f), "X", &r, &id), KEEL_E_BAD_HANDLE);
    ck_status(keel_aave_market_add_reserve(f->am, NULL, &r, &id), KEEL_E_NULL_ARG);
    ck_status(keel_aave_market_add_reserve(f->am, "X", NULL, &id), KEEL_E_NULL_ARG);
    ck_status(keel_aave_market_add_reserve(f->am, "X", &r, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_aave_market_add_reserve(f->am, "", &r, &id), KEEL_E_INVALID_SYMBOL);
    ck_status(keel_aave_market_add_reserve(f->am, "WETH", &r, &id), KEEL_E_DUPLICATE);
    keel_aave_reserve bad = r;
    bad.size = 0;
    ck_status(keel_aave_market_add_reserve(f->am, "X", &bad, &id), KEEL_E_OUT_OF_RANGE);
    bad = r; bad.decimals = 39;
    ck_status(keel_aave_market_add_reserve(f->am, "X", &bad, &id), KEEL_E_OUT_OF_RANGE);
    bad = r; bad.ltv = 8000; bad.liquidation_threshold = 7000; bad.liquidation_bonus = 10500;
    ck_status(keel_aave_market_add_reserve(f->am, "X", &bad, &id), KEEL_E_OUT_OF_RANGE); /* LTV above threshold */
    bad = r; bad.liquidation_threshold = 8000; bad.liquidation_bonus = 9999;
    ck_status(keel_aave_market_add_reserve(f->am, "X", &bad, &id), KEEL_E_OUT_OF_RANGE); /* bonus below 100% */
    bad = r; bad.liquidation_threshold = 10001;
    ck_status(keel_aave_market_add_reserve(f->am, "X", &bad, &id), KEEL_E_OUT_OF_RANGE);
    bad = r; bad.liquidation_protocol_fee = 10001;
    ck_status(keel_aave_market_add_reserve(f->am, "X", &bad, &id), KEEL_E_OUT_OF_RANGE);
    bad = r; bad.liquidation_bonus = 70000; bad.liquidation_threshold = 8000;
    ck_status(keel_aave_market_add_reserve(f->am, "X", &bad, &id), KEEL_E_OUT_OF_RANGE);
    bad = r; bad.flags = 0x100;
    ck_status(keel_aave_market_add_reserve(f->am, "X", &bad, &id), KEEL_E_OUT_OF_RANGE);
    bad = r; bad.liquidity_index = U0;
    ck_status(keel_aave_market_add_reserve(f->am, "X", &bad, &id), KEEL_E_OUT_OF_RANGE);
    bad = r; bad.variable_borrow_index = U0;
    ck_status(keel_aave_market_add_reserve(f->am, "X", &bad, &id), KEEL_E_OUT_OF_RANGE);
    ck_assert_uint_eq(id, 77);
    AAVE_BAD_END(f);
}
static keel_status good_keel_aave_market_add_reserve(fx *f)
{
    keel_aave_reserve r = KEEL_AAVE_RESERVE_INIT;
    uint32_t id;
    return keel_aave_market_add_reserve(f->am, "DAI", &r, &id);
}
static void bad_keel_aave_market_set_reserve(fx *f)
{
    AAVE_BAD_BEGIN(f);
    keel_aave_reserve r = KEEL_AAVE_RESERVE_INIT;
    ck_status(keel_aave_market_set_reserve(NULL, 0, &r), KEEL_E_NULL_ARG);
    ck_status(keel_aave_market_set_reserve(WRONG_AM(f), 0, &r), KEEL_E_BAD_HANDLE);
    ck_status(keel_aave_market_set_reserve(f->am, 2, &r), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_aave_market_set_reserve(f->am, 0, NULL), KEEL_E_NULL_ARG);
    r.ltv = 9000;
    ck_status(keel_aave_market_set_reserve(f->am, 0, &r), KEEL_E_OUT_OF_RANGE);
    AAVE_BAD_END(f);
}
static keel_status good_keel_aave_market_set_reserve(fx *f)
{
    keel_aave_reserve r = KEEL_AAVE_RESERVE_INIT;
    KEEL_TEST_TRY(keel_aave_market_reserve(f->am, 1, &r));
    return keel_aave_market_set_reserve(f->am, 1, &r);
}
static void bad_keel_aave_market_reserve(fx *f)
{
    keel_aave_reserve r = KEEL_AAVE_RESERVE_INIT;
    ck_status(keel_aave_market_reserve(NULL, 0, &r), KEEL_E_NULL_ARG);
    ck_status(keel_aave_market_reserve(WRONG_AM(f), 0, &r), KEEL_E_BAD_HANDLE);
    ck_status(keel_aave_market_reserve(f->am, 9, &r), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_aave_market_reserve(f->am, 0, NULL), KEEL_E_NULL_ARG);
    r.size = 1;
    ck_status(keel_aave_market_reserve(f->am, 0, &r), KEEL_E_OUT_OF_RANGE);
}
static keel_status good_keel_aave_market_reserve(fx *f)
{
    keel_aave_reserve r = KEEL_AAVE_RESERVE_INIT;
    return keel_aave_market_reserve(f->am, 0, &r);
}
static void bad_keel_aave_market_set_price(fx *f)
{
    AAVE_BAD_BEGIN(f);
    ck_status(keel_aave_market_set_price(NULL, 0, WAD1), KEEL_E_NULL_ARG);
    ck_status(keel_aave_market_set_price(WRONG_AM(f), 0, WAD1), KEEL_E_BAD_HANDLE);
    ck_status(keel_aave_market_set_price(f->am, 2, WAD1), KEEL_E_UNKNOWN_ASSET);
    AAVE_BAD_END(f);
}
static keel_status good_keel_aave_market_set_price(fx *f) { return keel_aave_market_set_price(f->am, 0, keel_u256_from_u64(210000000000ull)); }
static void bad_keel_aave_market_find(fx *f)
{
    uint32_t id = 9;
    ck_status(keel_aave_market_find(NULL, "WETH", &id), KEEL_E_NULL_ARG);
    ck_status(keel_aave_market_find(WRONG_AM(f), "WETH", &id), KEEL_E_BAD_HANDLE);
    ck_status(keel_aave_market_find(f->am, NULL, &id), KEEL_E_NULL_ARG);
    ck_status(keel_aave_market_find(f->am, "WETH", NULL), KEEL_E_NULL_ARG);
    ck_status(keel_aave_market_find(f->am, "NOPE", &id), KEEL_E_NOT_FOUND);
    ck_assert_uint_eq(id, 9);
}
static keel_status good_keel_aave_market_find(fx *f) { uint32_t id; return keel_aave_market_find(f->am, "USDC", &id); }
static void bad_keel_aave_market_symbol(fx *f) { ck_assert_ptr_null(keel_aave_market_symbol(WRONG_AM(f), 0)); ck_assert_ptr_null(keel_aave_market_symbol(f->am, 2)); }
static keel_status good_keel_aave_market_symbol(fx *f) { return strcmp(keel_aave_market_symbol(f->am, 1), "USDC") == 0 ? KEEL_OK : KEEL_E_STATE; }
static void bad_keel_aave_market_set_emode(fx *f)
{
    AAVE_BAD_BEGIN(f);
    keel_aave_emode e = KEEL_AAVE_EMODE_INIT;
    e.ltv = 9000; e.liquidation_threshold = 9300; e.liquidation_bonus = 10100;
    ck_status(keel_aave_market_set_emode(NULL, 1, &e), KEEL_E_NULL_ARG);
    ck_status(keel_aave_market_set_emode(WRONG_AM(f), 1, &e), KEEL_E_BAD_HANDLE);
    ck_status(keel_aave_market_set_emode(f->am, 1, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_aave_market_set_emode(f->am, 0, &e), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_aave_market_set_emode(f->am, 256, &e), KEEL_E_OUT_OF_RANGE);
    keel_aave_emode bad = e;
    bad.collateral_bitmap[0] = 1u << 5; /* names reserve 5: the market has 2 */
    ck_status(keel_aave_market_set_emode(f->am, 1, &bad), KEEL_E_UNKNOWN_ASSET);
    bad = e; bad.ltvzero_bitmap[1] = 1;
    ck_status(keel_aave_market_set_emode(f->am, 1, &bad), KEEL_E_UNKNOWN_ASSET);
    bad = e; bad.borrowable_bitmap[0] = 4;
    ck_status(keel_aave_market_set_emode(f->am, 1, &bad), KEEL_E_UNKNOWN_ASSET);
    bad = e; bad.ltv = 9400;
    ck_status(keel_aave_market_set_emode(f->am, 1, &bad), KEEL_E_OUT_OF_RANGE);
    bad = e; bad.liquidation_bonus = 9000;
    ck_status(keel_aave_market_set_emode(f->am, 1, &bad), KEEL_E_OUT_OF_RANGE);
    bad = e; bad.liquidation_threshold = 0; bad.ltv = 0;
    ck_status(keel_aave_market_set_emode(f->am, 1, &bad), KEEL_E_OUT_OF_RANGE);
    bad = e; bad.reserved = 1;
    ck_status(keel_aave_market_set_emode(f->am, 1, &bad), KEEL_E_OUT_OF_RANGE);
    bad = e; bad.size = 3;
    ck_status(keel_aave_market_set_emode(f->am, 1, &bad), KEEL_E_OUT_OF_RANGE);
    AAVE_BAD_END(f);
}
static keel_status good_keel_aave_market_set_emode(fx *f)
{
    keel_aave_emode e = KEEL_AAVE_EMODE_INIT;
    e.ltv = 9000; e.liquidation_threshold = 9300; e.liquidation_bonus = 10100;
    return keel_aave_market_set_emode(f->am, 2, &e);
}
static void bad_keel_aave_market_emode(fx *f)
{
    keel_aave_emode e = KEEL_AAVE_EMODE_INIT;
    ck_status(keel_aave_market_emode(NULL, 1, &e), KEEL_E_NULL_ARG);
    ck_status(keel_aave_market_emode(WRONG_AM(f), 1, &e), KEEL_E_BAD_HANDLE);
    ck_status(keel_aave_market_emode(f->am, 1, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_aave_market_emode(f->am, 7, &e), KEEL_E_NOT_FOUND);
    ck_status(keel_aave_market_emode(f->am, 0, &e), KEEL_E_NOT_FOUND);
}
static keel_status good_keel_aave_market_emode(fx *f) { keel_aave_emode e = KEEL_AAVE_EMODE_INIT; return keel_aave_market_emode(f->am, 1, &e); }
static void bad_keel_aave_market_accrue(fx *f)
{
    AAVE_BAD_BEGIN(f);
    ck_status(keel_aave_market_accrue(NULL, 10), KEEL_E_NULL_ARG);
    ck_status(keel_aave_market_accrue(WRONG_AM(f), 10), KEEL_E_BAD_HANDLE);
    ck_status(keel_aave_market_accrue(f->am, 999), KEEL_E_OUT_OF_RANGE); /* last_update is 1000 */
    AAVE_BAD_END(f);
}
static keel_status good_keel_aave_market_accrue(fx *f) { return keel_aave_market_accrue(f->am, 1000 + 86400); }

static void bad_keel_aave_account_new(fx *f)
{
    (void)f;
    ck_status(keel_aave_account_new(NULL), KEEL_E_NULL_ARG);
}
static keel_status good_keel_aave_account_new(fx *f)
{
    (void)f;
    keel_aave_account *a;
    KEEL_TEST_TRY(keel_aave_account_new(&a));
    keel_aave_account_free(a);
    return KEEL_OK;
}
static void bad_keel_aave_account_free(fx *f) { keel_aave_account_free(NULL); keel_aave_account_free(WRONG_AA(f)); }
static keel_status good_keel_aave_account_free(fx *f) { (void)f; keel_aave_account_free(NULL); return KEEL_OK; }
static void bad_keel_aave_account_clone(fx *f)
{
    keel_aave_account *c = NULL;
    ck_status(keel_aave_account_clone(NULL, &c), KEEL_E_NULL_ARG);
    ck_status(keel_aave_account_clone(f->aa, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_aave_account_clone(WRONG_AA(f), &c), KEEL_E_BAD_HANDLE);
    ck_assert_ptr_null(c);
}
static keel_status good_keel_aave_account_clone(fx *f)
{
    keel_aave_account *c;
    KEEL_TEST_TRY(keel_aave_account_clone(f->aa, &c));
    keel_aave_account_free(c);
    return KEEL_OK;
}
static void bad_keel_aave_account_assign(fx *f)
{
    AAVE_BAD_BEGIN(f);
    ck_status(keel_aave_account_assign(NULL, f->aa), KEEL_E_NULL_ARG);
    ck_status(keel_aave_account_assign(f->al, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_aave_account_assign(WRONG_AA(f), f->aa), KEEL_E_BAD_HANDLE);
    ck_status(keel_aave_account_assign(f->al, WRONG_AA(f)), KEEL_E_BAD_HANDLE);
    AAVE_BAD_END(f);
}
static keel_status good_keel_aave_account_assign(fx *f)
{
    keel_aave_account *c;
    KEEL_TEST_TRY(keel_aave_account_new(&c));
    keel_status s = keel_aave_account_assign(c, f->aa);
    keel_aave_account_free(c);
    return s;
}
static void bad_keel_aave_account_set_position(fx *f)
{
    AAVE_BAD_BEGIN(f);
    keel_u256 big = {{0, 0, 1, 0}}; /* 2^128 */
    ck_status(keel_aave_account_set_position(NULL, f->am, 0, WAD1, U0, 1), KEEL_E_NULL_ARG);
    ck_status(keel_aave_account_set_position(f->aa, NULL, 0, WAD1, U0, 1), KEEL_E_NULL_ARG);
    ck_status(keel_aave_account_set_position(WRONG_AA(f), f->am, 0, WAD1, U0, 1), KEEL_E_BAD_HANDLE);
    ck_status(keel_aave_account_set_position(f->aa, WRONG_AM(f), 0, WAD1, U0, 1), KEEL_E_BAD_HANDLE);
    ck_status(keel_aave_account_set_position(f->aa, f->am, 2, WAD1, U0, 1), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_aave_account_set_position(f->aa, f->am, 0, WAD1, U0, 8), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_aave_account_set_position(f->aa, f->am, 0, big, U0, 1), KEEL_E_OVERFLOW);
    ck_status(keel_aave_account_set_position(f->aa, f->am, 1, U0, big, 0), KEEL_E_OVERFLOW);
    ck_status(keel_aave_account_set_position(f->aa, f->am, 0, keel_u256_max(), U0, 3), KEEL_E_OVERFLOW);
    AAVE_BAD_END(f);
}
static keel_status good_keel_aave_account_set_position(fx *f)
{
    return keel_aave_account_set_position(f->aa, f->am, 0, keel_u256_from_u64(11000000000000000000ull), U0,
                                          KEEL_AAVE_COLLATERAL | KEEL_AAVE_UNDERLYING);
}
static void bad_keel_aave_account_position(fx *f)
{
    ck_status(keel_aave_account_position(NULL, 0, NULL, NULL, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_aave_account_position(WRONG_AA(f), 0, NULL, NULL, NULL), KEEL_E_BAD_HANDLE);
}
static keel_status good_keel_aave_account_position(fx *f) { keel_u256 s; return keel_aave_account_position(f->aa, 0, &s, NULL, NULL); }
static void bad_keel_aave_account_set_emode(fx *f)
{
    AAVE_BAD_BEGIN(f);
    ck_status(keel_aave_account_set_emode(NULL, f->am, 1), KEEL_E_NULL_ARG);
    ck_status(keel_aave_account_set_emode(f->aa, NULL, 1), KEEL_E_NULL_ARG);
    ck_status(keel_aave_account_set_emode(WRONG_AA(f), f->am, 1), KEEL_E_BAD_HANDLE);
    ck_status(keel_aave_account_set_emode(f->aa, f->am, 3), KEEL_E_NOT_FOUND);
    ck_status(keel_aave_account_set_emode(f->aa, f->am, 300), KEEL_E_NOT_FOUND);
    AAVE_BAD_END(f);
}
static keel_status good_keel_aave_account_set_emode(fx *f) { return keel_aave_account_set_emode(f->aa, f->am, 1); }
static void bad_keel_aave_account_emode(fx *f) { ck_assert_uint_eq(keel_aave_account_emode(WRONG_AA(f)), 0); }
static keel_status good_keel_aave_account_emode(fx *f) { (void)keel_aave_account_emode(f->aa); return KEEL_OK; }

/* The functions taking (market, account, reserve, ...): their handle and id checks. */
#define AAVE_READ_CHECKS(call_m_a_r)                                                      \
    do {                                                                                  \
        keel_aave_market *m_ = f->am;                                                     \
        keel_aave_account *a_ = f->aa;                                                    \
        uint32_t r_ = 0;                                                                  \
        (void)r_;                                                                         \
        m_ = NULL;                                                                        \
        ck_status((call_m_a_r), KEEL_E_NULL_ARG);                                         \
        m_ = WRONG_AM(f);                                                                 \
        ck_status((call_m_a_r), KEEL_E_BAD_HANDLE);                                       \
        m_ = f->am;                                                                       \
        a_ = NULL;                                                                        \
        ck_status((call_m_a_r), KEEL_E_NULL_ARG);                                         \
        a_ = WRONG_AA(f);                                                                 \
        ck_status((call_m_a_r), KEEL_E_BAD_HANDLE);                                       \
        a_ = f->aa;                                                                       \
        m_ = f->small; /* the account holds reserve 1; this market has only 1 reserve */  \
        ck_status((call_m_a_r), KEEL_E_UNKNOWN_ASSET);                                    \
    } while (0)

static void bad_keel_aave_account_balances(fx *f)
{
    keel_u256 s = WAD1;
    AAVE_READ_CHECKS(keel_aave_account_balances(m_, a_, 0, &s, NULL));
    ck_status(keel_aave_account_balances(f->am, f->aa, 2, &s, NULL), KEEL_E_UNKNOWN_ASSET);
    ck_assert(keel_u256_cmp(s, WAD1) == 0);
}
static keel_status good_keel_aave_account_balances(fx *f) { keel_u256 s, d; return keel_aave_account_balances(f->am, f->aa, 0, &s, &d); }
static void bad_keel_aave_user_account_data(fx *f)
{
    keel_aave_account_data d = KEEL_AAVE_ACCOUNT_DATA_INIT;
    AAVE_READ_CHECKS(keel_aave_user_account_data(m_, a_, &d));
    ck_status(keel_aave_user_account_data(f->am, f->aa, NULL), KEEL_E_NULL_ARG);
    d.size = 2;
    ck_status(keel_aave_user_account_data(f->am, f->aa, &d), KEEL_E_OUT_OF_RANGE);
}
static keel_status good_keel_aave_user_account_data(fx *f) { keel_aave_account_data d = KEEL_AAVE_ACCOUNT_DATA_INIT; return keel_aave_user_account_data(f->am, f->aa, &d); }
static void bad_keel_aave_revert_name(fx *f) { (void)f; ck_assert_str_eq(keel_aave_revert_name((keel_aave_revert)99), "unknown revert"); }
static keel_status good_keel_aave_revert_name(fx *f) { (void)f; return strcmp(keel_aave_revert_name(KEEL_AAVE_MUST_NOT_LEAVE_DUST), "MustNotLeaveDust") == 0 ? KEEL_OK : KEEL_E_STATE; }
static void bad_keel_aave_liquidation_quote(fx *f)
{
    AAVE_BAD_BEGIN(f);
    keel_aave_liquidation q = KEEL_AAVE_LIQUIDATION_INIT;
    AAVE_READ_CHECKS(keel_aave_liquidation_quote(m_, a_, 0, 1, WAD1, &q, NULL));
    ck_status(keel_aave_liquidation_quote(f->am, f->al, 0, 1, WAD1, NULL, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_aave_liquidation_quote(f->am, f->al, 2, 1, WAD1, &q, NULL), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_aave_liquidation_quote(f->am, f->al, 0, 5, WAD1, &q, NULL), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_aave_liquidation_quote(f->am, f->al, 0, 1, WAD1, &q, WRONG_AA(f)), KEEL_E_BAD_HANDLE);
    /* a healthy account: the pool reverts, the detail says why */
    ck_status(keel_aave_liquidation_quote(f->am, f->aa, 0, 1, WAD1, &q, f->al), KEEL_E_INFEASIBLE);
    ck_assert_int_eq(q.revert, KEEL_AAVE_HEALTH_FACTOR_NOT_BELOW_THRESHOLD);
    ck_assert_ptr_nonnull(strstr(keel_last_error(), "HealthFactorNotBelowThreshold"));
    AAVE_BAD_END(f);
}
static keel_status good_keel_aave_liquidation_quote(fx *f)
{
    keel_aave_liquidation q = KEEL_AAVE_LIQUIDATION_INIT;
    keel_aave_account *after;
    KEEL_TEST_TRY(keel_aave_account_new(&after));
    keel_status s = keel_aave_liquidation_quote(f->am, f->al, 0, 1, keel_u256_max(), &q, after);
    keel_aave_account_free(after);
    return s;
}
static void bad_keel_aave_best_liquidation(fx *f)
{
    keel_aave_liquidation q = KEEL_AAVE_LIQUIDATION_INIT;
    AAVE_READ_CHECKS(keel_aave_best_liquidation(m_, a_, &q));
    ck_status(keel_aave_best_liquidation(f->am, f->al, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_aave_best_liquidation(f->am, f->aa, &q), KEEL_E_INFEASIBLE);
}
static keel_status good_keel_aave_best_liquidation(fx *f) { keel_aave_liquidation q = KEEL_AAVE_LIQUIDATION_INIT; return keel_aave_best_liquidation(f->am, f->al, &q); }

#define AAVE_KEEPER_ROW(fn, reserve, target, good_status)                                  \
    static void bad_##fn(fx *f)                                                           \
    {                                                                                     \
        keel_u256 out = WAD1;                                                             \
        AAVE_READ_CHECKS(fn(m_, a_, reserve, target, &out));                              \
        ck_status(fn(f->am, f->aa, reserve, target, NULL), KEEL_E_NULL_ARG);              \
        ck_status(fn(f->am, f->aa, 9, target, &out), KEEL_E_UNKNOWN_ASSET);               \
        ck_assert(keel_u256_cmp(out, WAD1) == 0);                                         \
    }                                                                                     \
    static keel_status good_##fn(fx *f)                                                   \
    {                                                                                     \
        keel_u256 out;                                                                    \
        keel_status s = fn(f->am, f->aa, reserve, target, &out);                          \
        return s == (good_status) ? KEEL_OK : s;                                          \
    }
AAVE_KEEPER_ROW(keel_aave_repay_to_target, 1, keel_u256_from_u64(1500000000000000000ull), KEEL_OK)
AAVE_KEEPER_ROW(keel_aave_supply_to_target, 0, keel_u256_from_u64(1500000000000000000ull), KEEL_OK)
AAVE_KEEPER_ROW(keel_aave_max_withdraw, 0, WAD1, KEEL_OK)
AAVE_KEEPER_ROW(keel_aave_max_borrow, 1, WAD1, KEEL_OK)

static void bad_keel_aave_liquidation_price(fx *f)
{
    keel_aave_price_boundary b = { sizeof b, 7, 7, {{0, 0, 0, 0}} };
    AAVE_READ_CHECKS(keel_aave_liquidation_price(m_, a_, 0, &b));
    ck_status(keel_aave_liquidation_price(f->am, f->aa, 0, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_aave_liquidation_price(f->am, f->aa, 3, &b), KEEL_E_UNKNOWN_ASSET);
    b.size = 1;
    ck_status(keel_aave_liquidation_price(f->am, f->aa, 0, &b), KEEL_E_OUT_OF_RANGE);
    ck_assert_int_eq(b.direction, 7);
}
static keel_status good_keel_aave_liquidation_price(fx *f)
{
    keel_aave_price_boundary b = { sizeof b, 0, 0, {{0, 0, 0, 0}} };
    return keel_aave_liquidation_price(f->am, f->aa, 0, &b);
}
static void bad_keel_aave_to_keel(fx *f)
{
    keel_market *m = NULL;
    keel_basket *b = NULL;
    keel_haircut_model *h = NULL;
    AAVE_READ_CHECKS(keel_aave_to_keel(m_, a_, &m, &b, &h, NULL, 0, NULL));
    ck_status(keel_aave_to_keel(f->am, f->aa, NULL, &b, &h, NULL, 0, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_aave_to_keel(f->am, f->aa, &m, NULL, &h, NULL, 0, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_aave_to_keel(f->am, f->aa, &m, &b, NULL, NULL, 0, NULL), KEEL_E_NULL_ARG);
    uint32_t ids[1];
    ck_status(keel_aave_to_keel(f->am, f->aa, &m, &b, &h, ids, 1, NULL), KEEL_E_BUFFER_TOO_SMALL);
    ck_assert(m == NULL && b == NULL && h == NULL);
}
static keel_status good_keel_aave_to_keel(fx *f)
{
    keel_market *m;
    keel_basket *b;
    keel_haircut_model *h;
    uint32_t ids[KEEL_AAVE_MAX_RESERVES];
    size_t n;
    KEEL_TEST_TRY(keel_aave_to_keel(f->am, f->aa, &m, &b, &h, ids, KEEL_AAVE_MAX_RESERVES, &n));
    keel_market_free(m);
    keel_basket_free(b);
    keel_haircut_model_free(h);
    return KEEL_OK;
}
static void bad_keel_aave_scan(fx *f)
{
    const keel_aave_account *accts[2] = { f->aa, f->al };
    uint8_t liq[2] = { 7, 7 };
    ck_status(keel_aave_scan(NULL, accts, 2, NULL, liq, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_aave_scan(WRONG_AM(f), accts, 2, NULL, liq, NULL), KEEL_E_BAD_HANDLE);
    ck_status(keel_aave_scan(f->am, NULL, 2, NULL, liq, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_aave_scan(f->am, accts, 2, NULL, NULL, NULL), KEEL_E_NULL_ARG);
    const keel_aave_account *bad[2] = { f->aa, WRONG_AA(f) };
    ck_status(keel_aave_scan(f->am, bad, 2, NULL, liq, NULL), KEEL_E_BAD_HANDLE);
    ck_assert_ptr_nonnull(strstr(keel_last_error(), "accounts[1]"));
    ck_status(keel_aave_scan(f->small, accts, 2, NULL, liq, NULL), KEEL_E_UNKNOWN_ASSET);
}
static keel_status good_keel_aave_scan(fx *f)
{
    const keel_aave_account *accts[2] = { f->aa, f->al };
    uint8_t liq[2];
    double hf[2];
    size_t exact;
    return keel_aave_scan(f->am, accts, 2, hf, liq, &exact);
}

/* The fixture's accounts as flat rows (indexes are 1 ray: scaled = underlying),
 * and a third at HF = 1 exactly (16,600 USDC against 10 WETH at 83%), which
 * takes the exact path; account 1 in e-mode 1. */
#define FLAT_ROWS                                                                          \
    size_t off[4] = { 0, 2, 4, 6 };                                                        \
    uint32_t res[6] = { 0, 1, 0, 1, 0, 1 };                                                \
    uint8_t fl[6] = { 1, 0, 1, 0, 1, 0 };                                                  \
    uint64_t sup[12] = { 10000000000000000000ull, 0, 0, 0, 10000000000000000000ull, 0,     \
                         0, 0, 10000000000000000000ull, 0, 0, 0 };                         \
    uint64_t debt[12] = { 0, 0, 12000000000ull, 0, 0, 0, 17000000000ull, 0,               \
                          0, 0, 16600000000ull, 0 };                                       \
    uint8_t ems[3] = { 0, 1, 0 };                                                          \
    uint8_t liq[3] = { 7, 7, 7 };                                                          \
    double hf[3]
#define FLAT_CALL(m) keel_aave_scan_flat(m, 3, off, res, fl, sup, debt, ems, hf, liq, NULL)
static void bad_keel_aave_scan_flat(fx *f)
{
    FLAT_ROWS;
    AAVE_BAD_BEGIN(f);
    ck_status(FLAT_CALL(NULL), KEEL_E_NULL_ARG);
    ck_status(FLAT_CALL(WRONG_AM(f)), KEEL_E_BAD_HANDLE);
    ck_status(keel_aave_scan_flat(f->am, 3, NULL, res, fl, sup, debt, ems, hf, liq, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_aave_scan_flat(f->am, 3, off, NULL, fl, sup, debt, ems, hf, liq, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_aave_scan_flat(f->am, 3, off, res, NULL, sup, debt, ems, hf, liq, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_aave_scan_flat(f->am, 3, off, res, fl, NULL, debt, ems, hf, liq, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_aave_scan_flat(f->am, 3, off, res, fl, sup, NULL, ems, hf, liq, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_aave_scan_flat(f->am, 3, off, res, fl, sup, debt, ems, hf, NULL, NULL), KEEL_E_NULL_ARG);
    /* no positions: the position arrays may be NULL, offsets and the outputs may not */
    size_t none[2] = { 0, 0 };
    ck_ok(keel_aave_scan_flat(f->am, 1, none, NULL, NULL, NULL, NULL, NULL, NULL, liq, NULL));
    ck_assert_int_eq(liq[0], 0);
    ck_ok(keel_aave_scan_flat(f->am, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, liq, NULL));
    /* malformed offsets */
    off[0] = 1;
    ck_status(FLAT_CALL(f->am), KEEL_E_OUT_OF_RANGE);
    off[0] = 0, off[2] = 1; /* decreasing: 2 to 1 */
    ck_status(FLAT_CALL(f->am), KEEL_E_OUT_OF_RANGE);
    ck_assert_ptr_nonnull(strstr(keel_last_error(), "account 1"));
    off[2] = 7; /* past offsets[3] = 6: the decrease is at account 2 */
    ck_status(FLAT_CALL(f->am), KEEL_E_OUT_OF_RANGE);
    ck_assert_ptr_nonnull(strstr(keel_last_error(), "account 2"));
    off[2] = 4;
    /* malformed positions */
    res[3] = 2; /* not a reserve of the market */
    ck_status(FLAT_CALL(f->am), KEEL_E_UNKNOWN_ASSET);
    ck_assert_ptr_nonnull(strstr(keel_last_error(), "account 1, position 3"));
    res[3] = 0; /* repeated */
    ck_status(FLAT_CALL(f->am), KEEL_E_OUT_OF_RANGE);
    ck_assert_ptr_nonnull(strstr(keel_last_error(), "position 3"));
    res[2] = 1; /* decreasing within the account */
    ck_status(FLAT_CALL(f->am), KEEL_E_OUT_OF_RANGE);
    res[2] = 0, res[3] = 1;
    fl[4] = KEEL_AAVE_COLLATERAL | KEEL_AAVE_UNDERLYING; /* an unknown bit here */
    ck_status(FLAT_CALL(f->am), KEEL_E_OUT_OF_RANGE);
    ck_assert_ptr_nonnull(strstr(keel_last_error(), "account 2, position 4"));
    fl[4] = 1;
    ems[2] = 7; /* a category the market has not set */
    ck_status(FLAT_CALL(f->am), KEEL_E_UNKNOWN_ASSET);
    ck_assert_ptr_nonnull(strstr(keel_last_error(), "account 2"));
    ems[2] = 0;
    ck_status(FLAT_CALL(f->small), KEEL_E_UNKNOWN_ASSET); /* it has WETH only */
    ck_ok(FLAT_CALL(f->am)); /* every entry restored */
    AAVE_BAD_END(f);
}
static keel_status good_keel_aave_scan_flat(fx *f)
{
    FLAT_ROWS;
    size_t exact = 0;
    KEEL_TEST_TRY(keel_aave_scan_flat(f->am, 3, off, res, fl, sup, debt, ems, hf, liq, &exact));
    /* HF 1.383, 0.976 (in e-mode 1: 20,000 · 0.93 / 17,000 = 1.094), exactly 1 */
    return exact == 1 && liq[0] == 0 && liq[1] == 0 && liq[2] == 0 && hf[2] == 1.0 ? KEEL_OK
                                                                                   : KEEL_E_STATE;
}
#undef FLAT_CALL
#undef FLAT_ROWS


static void bad_keel_sim_set_aave(fx *f)
{
    uint32_t ids[16];
    for (uint32_t i = 0; i < 16; i++)
        ids[i] = i % 2;
    size_t n = 16; /* the fixture's market has 16 assets; its Aave market 2 reserves */
    ck_status(keel_sim_set_aave(NULL, f->am, ids, n, 0), KEEL_E_NULL_ARG);
    ck_status(keel_sim_set_aave(WRONG_S(f), f->am, ids, n, 0), KEEL_E_BAD_HANDLE);
    ck_status(keel_sim_set_aave(f->sim, WRONG_AM(f), ids, n, 0), KEEL_E_BAD_HANDLE);
    ck_status(keel_sim_set_aave(f->sim, f->am, NULL, n, 0), KEEL_E_NULL_ARG);
    ck_status(keel_sim_set_aave(f->sim, f->am, ids, 3, 0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_sim_set_aave(f->sim, f->am, ids, n, 0), KEEL_E_OUT_OF_RANGE); /* repeated */
    ids[0] = 7;
    ck_status(keel_sim_set_aave(f->sim, f->am, ids, n, 0), KEEL_E_UNKNOWN_ASSET);
}
static keel_status good_keel_sim_set_aave(fx *f) { return keel_sim_set_aave(f->sim, NULL, NULL, 0, 0); }

static void bad_keel_sim_set_comet(fx *f)
{
    uint32_t ids[16];
    for (uint32_t i = 0; i < 16; i++)
        ids[i] = KEEL_COMET_BASE_ID;
    size_t n = 16; /* the fixture's market has 16 assets; its Comet market a base and 1 asset */
    keel_comet_market *wrong = (keel_comet_market *)(void *)f->b;
    ck_status(keel_sim_set_comet(NULL, f->cm, ids, n), KEEL_E_NULL_ARG);
    ck_status(keel_sim_set_comet(WRONG_S(f), f->cm, ids, n), KEEL_E_BAD_HANDLE);
    ck_status(keel_sim_set_comet(f->sim, wrong, ids, n), KEEL_E_BAD_HANDLE);
    ck_status(keel_sim_set_comet(f->sim, f->cm, NULL, n), KEEL_E_NULL_ARG);
    ck_status(keel_sim_set_comet(f->sim, f->cm, ids, 3), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_sim_set_comet(f->sim, f->cm, ids, n), KEEL_E_OUT_OF_RANGE); /* two bases */
    ck_assert_ptr_nonnull(strstr(keel_last_error(), "both the base"));
    ids[1] = 0;
    ids[2] = 0;
    ck_status(keel_sim_set_comet(f->sim, f->cm, ids, n), KEEL_E_OUT_OF_RANGE); /* repeated */
    ids[2] = 9;
    ck_status(keel_sim_set_comet(f->sim, f->cm, ids, n), KEEL_E_UNKNOWN_ASSET);
}
static keel_status good_keel_sim_set_comet(fx *f) { return keel_sim_set_comet(f->sim, NULL, NULL, 0); }

static void bad_keel_sim_set_morpho(fx *f)
{
    keel_morpho_market *wrong = (keel_morpho_market *)(void *)f->b;
    ck_status(keel_sim_set_morpho(NULL, f->mm, 0, 1), KEEL_E_NULL_ARG);
    ck_status(keel_sim_set_morpho(WRONG_S(f), f->mm, 0, 1), KEEL_E_BAD_HANDLE);
    ck_status(keel_sim_set_morpho(f->sim, wrong, 0, 1), KEEL_E_BAD_HANDLE);
    ck_status(keel_sim_set_morpho(f->sim, f->mm, 1, 1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_sim_set_morpho(f->sim, f->mm, 0, 16), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_sim_set_morpho(f->sim, f->mm, KEEL_ASSET_INVALID, 1), KEEL_E_UNKNOWN_ASSET);
}
static keel_status good_keel_sim_set_morpho(fx *f) { return keel_sim_set_morpho(f->sim, NULL, 0, 0); }

/* ---- Morpho Blue ---- */

/* The fixture's positions: 1,000 USDC against 1 WETH (healthy), 1,800 (liquidatable). */
#define MP_OK ((keel_morpho_position){ U0_INIT, { { 1000000000000000ull, 0, 0, 0 } }, { { 1000000000000000000ull, 0, 0, 0 } } })
#define MP_SICK ((keel_morpho_position){ U0_INIT, { { 1800000000000000ull, 0, 0, 0 } }, { { 1000000000000000000ull, 0, 0, 0 } } })
/* collateral of 2^128: past its uint128 */
#define MP_WIDE ((keel_morpho_position){ U0_INIT, U0_INIT, { { 0, 0, 1, 0 } } })
#define WRONG_MM(f) ((keel_morpho_market *)(void *)(f)->b)
#define U1 keel_u256_from_u64(1)
#define UWAD keel_u256_from_u64(1000000000000000000ull)

/* The fixture's Morpho market, read through its getters. */
static uint64_t morpho_fp(const fx *f)
{
    keel_morpho_params p = KEEL_MORPHO_PARAMS_INIT;
    keel_morpho_state st = KEEL_MORPHO_STATE_INIT;
    ck_ok(keel_morpho_market_params(f->mm, &p));
    ck_ok(keel_morpho_market_state(f->mm, &st));
    uint64_t h = 1469598103934665603ull;
    const unsigned char *bytes[2] = { (const unsigned char *)&p, (const unsigned char *)&st };
    size_t sizes[2] = { sizeof p, sizeof st };
    for (int i = 0; i < 2; i++)
        for (size_t k = 0; k < sizes[i]; k++) {
            h ^= bytes[i][k];
            h *= 1099511628211ull;
        }
    return h;
}
#define MORPHO_BAD_BEGIN(f) uint64_t mfp_before_ = morpho_fp(f)
#define MORPHO_BAD_END(f) ck_assert_msg(morpho_fp(f) == mfp_before_, "a bad call changed the Morpho market")

PARAMS_INIT_ROW(keel_morpho_params)
PARAMS_INIT_ROW(keel_morpho_state)

static void bad_keel_morpho_market_new(fx *f)
{
    keel_morpho_params p = KEEL_MORPHO_PARAMS_INIT;
    keel_morpho_state st = KEEL_MORPHO_STATE_INIT;
    keel_morpho_market *m = (keel_morpho_market *)f;
    ck_status(keel_morpho_market_new("USDC", "WETH", &p, NULL, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_morpho_market_new("USDC", "WETH", NULL, NULL, &m), KEEL_E_NULL_ARG);
    ck_status(keel_morpho_market_new(NULL, "WETH", &p, NULL, &m), KEEL_E_NULL_ARG);
    p.lltv = UWAD;
    ck_status(keel_morpho_market_new("USDC", "WETH", &p, NULL, &m), KEEL_E_OUT_OF_RANGE); /* 1 wad */
    p.lltv = keel_u256_from_u64(900000000000000000ull);
    ck_status(keel_morpho_market_new("USDC", "USDC", &p, NULL, &m), KEEL_E_INVALID_SYMBOL);
    ck_status(keel_morpho_market_new("US DC", "WETH", &p, NULL, &m), KEEL_E_INVALID_SYMBOL);
    st.fee = keel_u256_from_u64(250000000000000001ull);
    ck_status(keel_morpho_market_new("USDC", "WETH", &p, &st, &m), KEEL_E_OUT_OF_RANGE);
    st.fee = U0_INIT;
    st.total_supply_assets.w[2] = 1; /* 2^128 */
    ck_status(keel_morpho_market_new("USDC", "WETH", &p, &st, &m), KEEL_E_OVERFLOW);
    st = (keel_morpho_state)KEEL_MORPHO_STATE_INIT;
    st.size = 1;
    ck_status(keel_morpho_market_new("USDC", "WETH", &p, &st, &m), KEEL_E_OUT_OF_RANGE);
    ck_assert_ptr_eq(m, (keel_morpho_market *)f);
}
static keel_status good_keel_morpho_market_new(fx *f)
{
    (void)f;
    keel_morpho_params p = KEEL_MORPHO_PARAMS_INIT;
    p.lltv = keel_u256_from_u64(900000000000000000ull);
    keel_morpho_market *m;
    KEEL_TEST_TRY(keel_morpho_market_new("USDC", "WETH", &p, NULL, &m));
    keel_morpho_market_free(m);
    return KEEL_OK;
}
static void bad_keel_morpho_market_free(fx *f) { keel_morpho_market_free(NULL); keel_morpho_market_free(WRONG_MM(f)); }
static keel_status good_keel_morpho_market_free(fx *f) { (void)f; keel_morpho_market_free(NULL); return KEEL_OK; }
static void bad_keel_morpho_market_clone(fx *f)
{
    keel_morpho_market *c = NULL;
    ck_status(keel_morpho_market_clone(NULL, &c), KEEL_E_NULL_ARG);
    ck_status(keel_morpho_market_clone(f->mm, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_morpho_market_clone(WRONG_MM(f), &c), KEEL_E_BAD_HANDLE);
    ck_assert_ptr_null(c);
}
static keel_status good_keel_morpho_market_clone(fx *f)
{
    keel_morpho_market *c;
    KEEL_TEST_TRY(keel_morpho_market_clone(f->mm, &c));
    keel_morpho_market_free(c);
    return KEEL_OK;
}
static void bad_keel_morpho_market_params(fx *f)
{
    keel_morpho_params p = KEEL_MORPHO_PARAMS_INIT;
    ck_status(keel_morpho_market_params(WRONG_MM(f), &p), KEEL_E_BAD_HANDLE);
    ck_status(keel_morpho_market_params(f->mm, NULL), KEEL_E_NULL_ARG);
    p.size = 3;
    ck_status(keel_morpho_market_params(f->mm, &p), KEEL_E_OUT_OF_RANGE);
}
static keel_status good_keel_morpho_market_params(fx *f)
{
    keel_morpho_params p = KEEL_MORPHO_PARAMS_INIT;
    return keel_morpho_market_params(f->mm, &p);
}
static void bad_keel_morpho_market_state(fx *f)
{
    keel_morpho_state st = KEEL_MORPHO_STATE_INIT;
    ck_status(keel_morpho_market_state(WRONG_MM(f), &st), KEEL_E_BAD_HANDLE);
    ck_status(keel_morpho_market_state(f->mm, NULL), KEEL_E_NULL_ARG);
}
static keel_status good_keel_morpho_market_state(fx *f)
{
    keel_morpho_state st = KEEL_MORPHO_STATE_INIT;
    return keel_morpho_market_state(f->mm, &st);
}
static void bad_keel_morpho_market_set_state(fx *f)
{
    MORPHO_BAD_BEGIN(f);
    keel_morpho_state st = KEEL_MORPHO_STATE_INIT;
    ck_status(keel_morpho_market_set_state(WRONG_MM(f), &st), KEEL_E_BAD_HANDLE);
    ck_status(keel_morpho_market_set_state(f->mm, NULL), KEEL_E_NULL_ARG);
    st.fee = keel_u256_from_u64(250000000000000001ull);
    ck_status(keel_morpho_market_set_state(f->mm, &st), KEEL_E_OUT_OF_RANGE);
    st.fee = U0_INIT;
    st.total_borrow_assets = keel_u256_max();
    ck_status(keel_morpho_market_set_state(f->mm, &st), KEEL_E_OVERFLOW);
    ck_assert(strstr(keel_last_error(), "uint128") != NULL);
    MORPHO_BAD_END(f);
}
static keel_status good_keel_morpho_market_set_state(fx *f)
{
    keel_morpho_state st = KEEL_MORPHO_STATE_INIT;
    KEEL_TEST_TRY(keel_morpho_market_state(f->mm, &st));
    return keel_morpho_market_set_state(f->mm, &st);
}
static void bad_keel_morpho_market_set_price(fx *f)
{
    ck_status(keel_morpho_market_set_price(WRONG_MM(f), U1), KEEL_E_BAD_HANDLE);
    ck_status(keel_morpho_market_set_price(NULL, U1), KEEL_E_NULL_ARG);
}
static keel_status good_keel_morpho_market_set_price(fx *f)
{
    keel_morpho_params p = KEEL_MORPHO_PARAMS_INIT;
    KEEL_TEST_TRY(keel_morpho_market_params(f->mm, &p));
    return keel_morpho_market_set_price(f->mm, p.price);
}
static void bad_keel_morpho_market_accrue(fx *f)
{
    MORPHO_BAD_BEGIN(f);
    ck_status(keel_morpho_market_accrue(WRONG_MM(f), U1, 2000, NULL, NULL), KEEL_E_BAD_HANDLE);
    ck_status(keel_morpho_market_accrue(f->mm, U1, 999, NULL, NULL), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_morpho_market_accrue(f->mm, keel_u256_max(), 2000, NULL, NULL), KEEL_E_OVERFLOW);
    MORPHO_BAD_END(f);
}
static keel_status good_keel_morpho_market_accrue(fx *f) { return keel_morpho_market_accrue(f->mm, U1, 2000, NULL, NULL); }
static void bad_keel_morpho_convert(fx *f)
{
    (void)f;
    keel_u256 r;
    ck_status(keel_morpho_convert(KEEL_MORPHO_TO_ASSETS_UP, U1, U1, U1, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_morpho_convert((keel_morpho_conversion)9, U1, U1, U1, &r), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_morpho_convert(KEEL_MORPHO_TO_SHARES_DOWN, keel_u256_max(), U1, U1, &r), KEEL_E_OVERFLOW);
    ck_status(keel_morpho_convert(KEEL_MORPHO_TO_SHARES_DOWN, U1, keel_u256_max(), U1, &r), KEEL_E_OVERFLOW);
}
static keel_status good_keel_morpho_convert(fx *f)
{
    (void)f;
    keel_u256 r;
    return keel_morpho_convert(KEEL_MORPHO_TO_ASSETS_DOWN, U1, U1, U1, &r);
}
static void bad_keel_morpho_incentive_factor(fx *f)
{
    (void)f;
    keel_u256 r;
    ck_status(keel_morpho_incentive_factor(UWAD, &r), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_morpho_incentive_factor(U1, NULL), KEEL_E_NULL_ARG);
}
static keel_status good_keel_morpho_incentive_factor(fx *f)
{
    (void)f;
    keel_u256 r;
    return keel_morpho_incentive_factor(U1, &r);
}
/* the position checks every position-taking function shares */
#define MORPHO_POSITION_ROWS(call_with)                                                      \
    do {                                                                                     \
        keel_morpho_position wide_ = MP_WIDE, many_ = MP_OK;                                 \
        many_.supply_shares = keel_u256_max();                                               \
        ck_status(call_with(WRONG_MM(f), &ok_), KEEL_E_BAD_HANDLE);                          \
        ck_status(call_with(f->mm, NULL), KEEL_E_NULL_ARG);                                  \
        ck_status(call_with(f->mm, &wide_), KEEL_E_OVERFLOW);                                \
        ck_status(call_with(f->mm, &many_), KEEL_E_OUT_OF_RANGE);                            \
    } while (0)
static void bad_keel_morpho_position_data_get(fx *f)
{
    MORPHO_BAD_BEGIN(f);
    keel_morpho_position ok_ = MP_OK;
    keel_morpho_position_data d = KEEL_MORPHO_POSITION_DATA_INIT;
#define CALL(m, p) keel_morpho_position_data_get(m, p, &d)
    MORPHO_POSITION_ROWS(CALL);
#undef CALL
    ck_status(keel_morpho_position_data_get(f->mm, &ok_, NULL), KEEL_E_NULL_ARG);
    d.size = 1;
    ck_status(keel_morpho_position_data_get(f->mm, &ok_, &d), KEEL_E_OUT_OF_RANGE);
    MORPHO_BAD_END(f);
}
static keel_status good_keel_morpho_position_data_get(fx *f)
{
    keel_morpho_position p = MP_OK;
    keel_morpho_position_data d = KEEL_MORPHO_POSITION_DATA_INIT;
    return keel_morpho_position_data_get(f->mm, &p, &d);
}
static void bad_keel_morpho_revert_name(fx *f)
{
    (void)f;
    ck_assert_str_eq(keel_morpho_revert_name((keel_morpho_revert)-1), "unknown revert");
}
static keel_status good_keel_morpho_revert_name(fx *f)
{
    (void)f;
    return strcmp(keel_morpho_revert_name(KEEL_MORPHO_HEALTHY_POSITION), "position is healthy") == 0 ? KEEL_OK : KEEL_E_STATE;
}
static void bad_keel_morpho_liquidation_quote(fx *f)
{
    MORPHO_BAD_BEGIN(f);
    keel_morpho_position ok_ = MP_OK, sick = MP_SICK, before = MP_SICK;
    keel_morpho_liquidation q = KEEL_MORPHO_LIQUIDATION_INIT;
#define CALL(m, p) keel_morpho_liquidation_quote(m, p, U1, U0_INIT, &q, NULL)
    MORPHO_POSITION_ROWS(CALL);
#undef CALL
    ck_status(keel_morpho_liquidation_quote(f->mm, &sick, U1, U0_INIT, NULL, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_morpho_liquidation_quote(f->mm, &ok_, U1, U0_INIT, &q, &ok_), KEEL_E_INFEASIBLE);
    ck_assert_int_eq(q.revert, KEEL_MORPHO_HEALTHY_POSITION);
    ck_status(keel_morpho_liquidation_quote(f->mm, &sick, U1, U1, &q, &sick), KEEL_E_INFEASIBLE);
    ck_assert_int_eq(q.revert, KEEL_MORPHO_INCONSISTENT_INPUT);
    ck_status(keel_morpho_liquidation_quote(f->mm, &sick, keel_u256_max(), U0_INIT, &q, &sick), KEEL_E_INFEASIBLE);
    ck_assert_int_eq(q.revert, KEEL_MORPHO_ARITHMETIC);
    ck_assert(memcmp(&sick, &before, sizeof sick) == 0);
    MORPHO_BAD_END(f);
}
static keel_status good_keel_morpho_liquidation_quote(fx *f)
{
    keel_morpho_position p = MP_SICK;
    keel_morpho_liquidation q = KEEL_MORPHO_LIQUIDATION_INIT;
    return keel_morpho_liquidation_quote(f->mm, &p, U0_INIT, U1, &q, &p);
}
static void bad_keel_morpho_best_liquidation(fx *f)
{
    MORPHO_BAD_BEGIN(f);
    keel_morpho_position ok_ = MP_OK;
    keel_morpho_liquidation q = KEEL_MORPHO_LIQUIDATION_INIT;
#define CALL(m, p) keel_morpho_best_liquidation(m, p, &q, NULL)
    MORPHO_POSITION_ROWS(CALL);
#undef CALL
    ck_status(keel_morpho_best_liquidation(f->mm, &ok_, NULL, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_morpho_best_liquidation(f->mm, &ok_, &q, &ok_), KEEL_E_INFEASIBLE);
    ck_assert_int_eq(q.revert, KEEL_MORPHO_HEALTHY_POSITION);
    MORPHO_BAD_END(f);
}
static keel_status good_keel_morpho_best_liquidation(fx *f)
{
    keel_morpho_position p = MP_SICK;
    keel_morpho_liquidation q = KEEL_MORPHO_LIQUIDATION_INIT;
    return keel_morpho_best_liquidation(f->mm, &p, &q, NULL);
}
static void bad_keel_morpho_repay_to_target(fx *f)
{
    MORPHO_BAD_BEGIN(f);
    keel_morpho_position ok_ = MP_OK;
    keel_u256 a;
#define CALL(m, p) keel_morpho_repay_to_target(m, p, UWAD, KEEL_MORPHO_ASSETS, &a)
    MORPHO_POSITION_ROWS(CALL);
#undef CALL
    ck_status(keel_morpho_repay_to_target(f->mm, &ok_, UWAD, KEEL_MORPHO_ASSETS, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_morpho_repay_to_target(f->mm, &ok_, U0_INIT, KEEL_MORPHO_ASSETS, &a), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_morpho_repay_to_target(f->mm, &ok_, UWAD, (keel_morpho_unit)2, &a), KEEL_E_OUT_OF_RANGE);
    MORPHO_BAD_END(f);
}
static keel_status good_keel_morpho_repay_to_target(fx *f)
{
    keel_morpho_position p = MP_SICK;
    keel_u256 a;
    return keel_morpho_repay_to_target(f->mm, &p, UWAD, KEEL_MORPHO_SHARES, &a);
}
static void bad_keel_morpho_collateral_to_target(fx *f)
{
    MORPHO_BAD_BEGIN(f);
    keel_morpho_position ok_ = MP_OK;
    keel_u256 a;
#define CALL(m, p) keel_morpho_collateral_to_target(m, p, UWAD, &a)
    MORPHO_POSITION_ROWS(CALL);
#undef CALL
    ck_status(keel_morpho_collateral_to_target(f->mm, &ok_, UWAD, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_morpho_collateral_to_target(f->mm, &ok_, U0_INIT, &a), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_morpho_collateral_to_target(f->mm, &ok_, keel_u256_max(), &a), KEEL_E_INFEASIBLE);
    MORPHO_BAD_END(f);
}
static keel_status good_keel_morpho_collateral_to_target(fx *f)
{
    keel_morpho_position p = MP_SICK;
    keel_u256 a;
    return keel_morpho_collateral_to_target(f->mm, &p, UWAD, &a);
}
static void bad_keel_morpho_max_withdraw_collateral(fx *f)
{
    MORPHO_BAD_BEGIN(f);
    keel_morpho_position ok_ = MP_OK;
    keel_u256 a;
#define CALL(m, p) keel_morpho_max_withdraw_collateral(m, p, UWAD, &a)
    MORPHO_POSITION_ROWS(CALL);
#undef CALL
    ck_status(keel_morpho_max_withdraw_collateral(f->mm, &ok_, UWAD, NULL), KEEL_E_NULL_ARG);
    MORPHO_BAD_END(f);
}
static keel_status good_keel_morpho_max_withdraw_collateral(fx *f)
{
    keel_morpho_position p = MP_OK;
    keel_u256 a;
    return keel_morpho_max_withdraw_collateral(f->mm, &p, UWAD, &a);
}
static void bad_keel_morpho_max_borrow(fx *f)
{
    MORPHO_BAD_BEGIN(f);
    keel_morpho_position ok_ = MP_OK;
    keel_u256 a;
#define CALL(m, p) keel_morpho_max_borrow(m, p, UWAD, &a)
    MORPHO_POSITION_ROWS(CALL);
#undef CALL
    ck_status(keel_morpho_max_borrow(f->mm, &ok_, UWAD, NULL), KEEL_E_NULL_ARG);
    MORPHO_BAD_END(f);
}
static keel_status good_keel_morpho_max_borrow(fx *f)
{
    keel_morpho_position p = MP_OK;
    keel_u256 a;
    return keel_morpho_max_borrow(f->mm, &p, UWAD, &a);
}
static void bad_keel_morpho_liquidation_price(fx *f)
{
    MORPHO_BAD_BEGIN(f);
    keel_morpho_position ok_ = MP_OK, none = MP_OK;
    keel_u256 a;
#define CALL(m, p) keel_morpho_liquidation_price(m, p, &a)
    MORPHO_POSITION_ROWS(CALL);
#undef CALL
    ck_status(keel_morpho_liquidation_price(f->mm, &ok_, NULL), KEEL_E_NULL_ARG);
    none.borrow_shares = U0_INIT;
    ck_status(keel_morpho_liquidation_price(f->mm, &none, &a), KEEL_E_INFEASIBLE);
    MORPHO_BAD_END(f);
}
static keel_status good_keel_morpho_liquidation_price(fx *f)
{
    keel_morpho_position p = MP_OK;
    keel_u256 a;
    return keel_morpho_liquidation_price(f->mm, &p, &a);
}
static void bad_keel_morpho_to_keel(fx *f)
{
    MORPHO_BAD_BEGIN(f);
    keel_morpho_position ok_ = MP_OK;
    keel_market *km = NULL;
    keel_basket *kb = NULL;
    keel_haircut_model *kh = NULL;
#define CALL(m, p) keel_morpho_to_keel(m, p, &km, &kb, &kh, NULL, NULL)
    MORPHO_POSITION_ROWS(CALL);
#undef CALL
    ck_status(keel_morpho_to_keel(f->mm, &ok_, NULL, &kb, &kh, NULL, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_morpho_to_keel(f->mm, &ok_, &km, NULL, &kh, NULL, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_morpho_to_keel(f->mm, &ok_, &km, &kb, NULL, NULL, NULL), KEEL_E_NULL_ARG);
    ck_assert(km == NULL && kb == NULL && kh == NULL);
    MORPHO_BAD_END(f);
}
static keel_status good_keel_morpho_to_keel(fx *f)
{
    keel_morpho_position p = MP_OK;
    keel_market *km;
    keel_basket *kb;
    keel_haircut_model *kh;
    KEEL_TEST_TRY(keel_morpho_to_keel(f->mm, &p, &km, &kb, &kh, NULL, NULL));
    keel_market_free(km);
    keel_basket_free(kb);
    keel_haircut_model_free(kh);
    return KEEL_OK;
}
#undef MORPHO_POSITION_ROWS

/* ---- the table ---- */

/* Whether a function calls the allocator. */
enum alloc { NEVER, ALWAYS /* the good call must allocate */, SOMETIMES /* only past stack buffers */ };

/* ---- Compound v3 (Comet) ---- */

/* A fingerprint of the fixture's Comet market and accounts, read through the
 * public getters: a bad call must leave it unchanged. */
static uint64_t comet_fp(const fx *f)
{
    uint64_t h = 1469598103934665603ull;
#define FP_BYTES(p, n)                                        \
    for (size_t k_ = 0; k_ < (n); k_++) {                     \
        h ^= ((const unsigned char *)(p))[k_];                \
        h *= 1099511628211ull;                                \
    }
    size_t n = keel_comet_market_size(f->cm);
    FP_BYTES(&n, sizeof n);
    keel_comet_base b = KEEL_COMET_BASE_INIT;
    ck_ok(keel_comet_market_base(f->cm, &b));
    FP_BYTES(&b, sizeof b);
    for (uint32_t i = 0; i < n; i++) {
        keel_comet_asset a = KEEL_COMET_ASSET_INIT;
        ck_ok(keel_comet_market_asset(f->cm, i, &a));
        FP_BYTES(&a, sizeof a);
    }
    const keel_comet_account *accts[2] = { f->ca, f->cl };
    for (int k = 0; k < 2; k++) {
        keel_comet_int p;
        ck_ok(keel_comet_account_principal(accts[k], &p));
        FP_BYTES(&p, sizeof p);
        for (uint32_t i = 0; i < KEEL_COMET_MAX_ASSETS; i++) {
            keel_u256 v;
            ck_ok(keel_comet_account_collateral(accts[k], i, &v));
            FP_BYTES(&v, sizeof v);
        }
    }
#undef FP_BYTES
    return h;
}

#define WRONG_CM(f) ((keel_comet_market *)(void *)(f)->b)
#define WRONG_CA(f) ((keel_comet_account *)(void *)(f)->m)
#define COMET_BAD_BEGIN(f) uint64_t cfp_before_ = comet_fp(f)
#define COMET_BAD_END(f) ck_assert_msg(comet_fp(f) == cfp_before_, "a bad call changed the Comet fixture")
static const keel_comet_int CI0 = { {{0, 0, 0, 0}}, 0, 0 };
static const keel_u256 U2_128 = {{0, 0, 1, 0}};

PARAMS_INIT_ROW(keel_comet_base)
PARAMS_INIT_ROW(keel_comet_asset)

static void bad_keel_comet_market_new(fx *f)
{
    COMET_BAD_BEGIN(f);
    keel_comet_market *m = (keel_comet_market *)f;
    keel_comet_base b = KEEL_COMET_BASE_INIT;
    ck_status(keel_comet_market_new("USDC", &b, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_comet_market_new(NULL, &b, &m), KEEL_E_NULL_ARG);
    ck_status(keel_comet_market_new("", &b, &m), KEEL_E_INVALID_SYMBOL);
    ck_status(keel_comet_market_new("USDC", NULL, &m), KEEL_E_NULL_ARG);
    b.decimals = 19;
    ck_status(keel_comet_market_new("USDC", &b, &m), KEEL_E_OUT_OF_RANGE);
    b = (keel_comet_base)KEEL_COMET_BASE_INIT;
    b.price = keel_u256_max(); /* past int256 */
    ck_status(keel_comet_market_new("USDC", &b, &m), KEEL_E_OUT_OF_RANGE);
    b = (keel_comet_base)KEEL_COMET_BASE_INIT;
    b.base_borrow_min = U2_128; /* past uint104 */
    ck_status(keel_comet_market_new("USDC", &b, &m), KEEL_E_OUT_OF_RANGE);
    ck_assert_ptr_eq(m, (keel_comet_market *)f);
    COMET_BAD_END(f);
}
static keel_status good_keel_comet_market_new(fx *f)
{
    (void)f;
    keel_comet_base b = KEEL_COMET_BASE_INIT;
    keel_comet_market *m;
    KEEL_TEST_TRY(keel_comet_market_new("USDC", &b, &m));
    keel_comet_market_free(m);
    return KEEL_OK;
}
static void bad_keel_comet_market_free(fx *f) { keel_comet_market_free(NULL); keel_comet_market_free(WRONG_CM(f)); }
static keel_status good_keel_comet_market_free(fx *f) { (void)f; keel_comet_market_free(NULL); return KEEL_OK; }
static void bad_keel_comet_market_clone(fx *f)
{
    keel_comet_market *c = NULL;
    ck_status(keel_comet_market_clone(NULL, &c), KEEL_E_NULL_ARG);
    ck_status(keel_comet_market_clone(f->cm, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_comet_market_clone(WRONG_CM(f), &c), KEEL_E_BAD_HANDLE);
    ck_assert_ptr_null(c);
}
static keel_status good_keel_comet_market_clone(fx *f)
{
    keel_comet_market *c;
    KEEL_TEST_TRY(keel_comet_market_clone(f->cm, &c));
    keel_comet_market_free(c);
    return KEEL_OK;
}
static void bad_keel_comet_market_size(fx *f) { ck_assert_uint_eq(keel_comet_market_size(WRONG_CM(f)), 0); ck_assert_uint_eq(keel_comet_market_size(NULL), 0); }
static keel_status good_keel_comet_market_size(fx *f) { return keel_comet_market_size(f->cm) == 1 ? KEEL_OK : KEEL_E_STATE; }

static keel_comet_asset comet_weth(void)
{
    keel_comet_asset a = KEEL_COMET_ASSET_INIT;
    a.price = keel_u256_from_u64(200000000000ull);
    a.borrow_collateral_factor = 825000000000000000ull;
    a.liquidate_collateral_factor = 895000000000000000ull;
    a.liquidation_factor = 950000000000000000ull;
    a.supply_cap = keel_u256_from_u64(UINT64_MAX);
    a.total_supply_asset = keel_u256_from_u64(10000000000000000000ull);
    a.balance = keel_u256_from_u64(10000000000000000000ull);
    return a;
}

static void bad_keel_comet_market_add_asset(fx *f)
{
    COMET_BAD_BEGIN(f);
    keel_comet_asset a = comet_weth(), bad;
    uint32_t id = 7;
    ck_status(keel_comet_market_add_asset(NULL, "X", &a, &id), KEEL_E_NULL_ARG);
    ck_status(keel_comet_market_add_asset(WRONG_CM(f), "X", &a, &id), KEEL_E_BAD_HANDLE);
    ck_status(keel_comet_market_add_asset(f->cm, NULL, &a, &id), KEEL_E_NULL_ARG);
    ck_status(keel_comet_market_add_asset(f->cm, "X", NULL, &id), KEEL_E_NULL_ARG);
    ck_status(keel_comet_market_add_asset(f->cm, "X", &a, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_comet_market_add_asset(f->cm, "", &a, &id), KEEL_E_INVALID_SYMBOL);
    ck_status(keel_comet_market_add_asset(f->cm, "WETH", &a, &id), KEEL_E_DUPLICATE);
    ck_status(keel_comet_market_add_asset(f->cm, "USDC", &a, &id), KEEL_E_DUPLICATE);
    bad = a, bad.borrow_collateral_factor = bad.liquidate_collateral_factor;
    ck_status(keel_comet_market_add_asset(f->cm, "X", &bad, &id), KEEL_E_OUT_OF_RANGE);
    bad = a, bad.liquidate_collateral_factor = 1000000000000000001ull;
    ck_status(keel_comet_market_add_asset(f->cm, "X", &bad, &id), KEEL_E_OUT_OF_RANGE);
    bad = a, bad.liquidation_factor = UINT64_MAX;
    ck_status(keel_comet_market_add_asset(f->cm, "X", &bad, &id), KEEL_E_OUT_OF_RANGE);
    bad = a, bad.supply_cap = U2_128;
    ck_status(keel_comet_market_add_asset(f->cm, "X", &bad, &id), KEEL_E_OUT_OF_RANGE);
    bad = a, bad.price = keel_u256_from_u64(0);
    ck_status(keel_comet_market_add_asset(f->cm, "X", &bad, &id), KEEL_E_OUT_OF_RANGE);
    bad = a, bad.size = 1;
    ck_status(keel_comet_market_add_asset(f->cm, "X", &bad, &id), KEEL_E_OUT_OF_RANGE);
    ck_assert_uint_eq(id, 7);
    COMET_BAD_END(f);
}
static keel_status good_keel_comet_market_add_asset(fx *f)
{
    keel_comet_asset a = comet_weth();
    uint32_t id;
    return keel_comet_market_add_asset(f->cm, "WBTC", &a, &id);
}
static void bad_keel_comet_market_set_asset(fx *f)
{
    COMET_BAD_BEGIN(f);
    keel_comet_asset a = comet_weth(), bad = a;
    ck_status(keel_comet_market_set_asset(NULL, 0, &a), KEEL_E_NULL_ARG);
    ck_status(keel_comet_market_set_asset(WRONG_CM(f), 0, &a), KEEL_E_BAD_HANDLE);
    ck_status(keel_comet_market_set_asset(f->cm, 1, &a), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_comet_market_set_asset(f->cm, 0, NULL), KEEL_E_NULL_ARG);
    bad.borrow_collateral_factor = 900000000000000000ull;
    ck_status(keel_comet_market_set_asset(f->cm, 0, &bad), KEEL_E_OUT_OF_RANGE);
    COMET_BAD_END(f);
}
static keel_status good_keel_comet_market_set_asset(fx *f) { keel_comet_asset a = comet_weth(); return keel_comet_market_set_asset(f->cm, 0, &a); }
static void bad_keel_comet_market_asset(fx *f)
{
    keel_comet_asset a = KEEL_COMET_ASSET_INIT;
    ck_status(keel_comet_market_asset(NULL, 0, &a), KEEL_E_NULL_ARG);
    ck_status(keel_comet_market_asset(WRONG_CM(f), 0, &a), KEEL_E_BAD_HANDLE);
    ck_status(keel_comet_market_asset(f->cm, 0, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_comet_market_asset(f->cm, 1, &a), KEEL_E_UNKNOWN_ASSET);
    a.size = 0;
    ck_status(keel_comet_market_asset(f->cm, 0, &a), KEEL_E_OUT_OF_RANGE);
}
static keel_status good_keel_comet_market_asset(fx *f) { keel_comet_asset a = KEEL_COMET_ASSET_INIT; return keel_comet_market_asset(f->cm, 0, &a); }
static void bad_keel_comet_market_set_base(fx *f)
{
    COMET_BAD_BEGIN(f);
    keel_comet_base b = KEEL_COMET_BASE_INIT;
    ck_status(keel_comet_market_set_base(NULL, &b), KEEL_E_NULL_ARG);
    ck_status(keel_comet_market_set_base(WRONG_CM(f), &b), KEEL_E_BAD_HANDLE);
    ck_status(keel_comet_market_set_base(f->cm, NULL), KEEL_E_NULL_ARG);
    b.store_front_price_factor = 1000000000000000001ull;
    ck_status(keel_comet_market_set_base(f->cm, &b), KEEL_E_OUT_OF_RANGE);
    b = (keel_comet_base)KEEL_COMET_BASE_INIT;
    b.last_accrual_time = 1ull << 40;
    ck_status(keel_comet_market_set_base(f->cm, &b), KEEL_E_OUT_OF_RANGE);
    b = (keel_comet_base)KEEL_COMET_BASE_INIT;
    b.pause_flags = 32;
    ck_status(keel_comet_market_set_base(f->cm, &b), KEEL_E_OUT_OF_RANGE);
    COMET_BAD_END(f);
}
static keel_status good_keel_comet_market_set_base(fx *f) { keel_comet_base b = KEEL_COMET_BASE_INIT; return keel_comet_market_set_base(f->cm, &b); }
static void bad_keel_comet_market_base(fx *f)
{
    keel_comet_base b = KEEL_COMET_BASE_INIT;
    ck_status(keel_comet_market_base(NULL, &b), KEEL_E_NULL_ARG);
    ck_status(keel_comet_market_base(WRONG_CM(f), &b), KEEL_E_BAD_HANDLE);
    ck_status(keel_comet_market_base(f->cm, NULL), KEEL_E_NULL_ARG);
}
static keel_status good_keel_comet_market_base(fx *f) { keel_comet_base b = KEEL_COMET_BASE_INIT; return keel_comet_market_base(f->cm, &b); }
static void bad_keel_comet_market_set_price(fx *f)
{
    COMET_BAD_BEGIN(f);
    ck_status(keel_comet_market_set_price(NULL, 0, WAD1), KEEL_E_NULL_ARG);
    ck_status(keel_comet_market_set_price(WRONG_CM(f), 0, WAD1), KEEL_E_BAD_HANDLE);
    ck_status(keel_comet_market_set_price(f->cm, 1, WAD1), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_comet_market_set_price(f->cm, 0, U0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_comet_market_set_price(f->cm, KEEL_COMET_BASE_ID, keel_u256_max()), KEEL_E_OUT_OF_RANGE);
    COMET_BAD_END(f);
}
static keel_status good_keel_comet_market_set_price(fx *f) { return keel_comet_market_set_price(f->cm, KEEL_COMET_BASE_ID, keel_u256_from_u64(99990000)); }
static void bad_keel_comet_market_find(fx *f)
{
    uint32_t id = 7;
    ck_status(keel_comet_market_find(NULL, "WETH", &id), KEEL_E_NULL_ARG);
    ck_status(keel_comet_market_find(WRONG_CM(f), "WETH", &id), KEEL_E_BAD_HANDLE);
    ck_status(keel_comet_market_find(f->cm, NULL, &id), KEEL_E_NULL_ARG);
    ck_status(keel_comet_market_find(f->cm, "WETH", NULL), KEEL_E_NULL_ARG);
    ck_status(keel_comet_market_find(f->cm, "USDC", &id), KEEL_E_NOT_FOUND);
    ck_assert_uint_eq(id, 7);
}
static keel_status good_keel_comet_market_find(fx *f) { uint32_t id; return keel_comet_market_find(f->cm, "WETH", &id); }
static void bad_keel_comet_market_accrue(fx *f)
{
    COMET_BAD_BEGIN(f);
    ck_status(keel_comet_market_accrue(NULL, 2000), KEEL_E_NULL_ARG);
    ck_status(keel_comet_market_accrue(WRONG_CM(f), 2000), KEEL_E_BAD_HANDLE);
    ck_status(keel_comet_market_accrue(f->cm, 999), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_comet_market_accrue(f->cm, 1ull << 40), KEEL_E_OUT_OF_RANGE);
    COMET_BAD_END(f);
}
static keel_status good_keel_comet_market_accrue(fx *f) { return keel_comet_market_accrue(f->cm, 1000 + 86400); }
static void bad_keel_comet_market_rates(fx *f)
{
    keel_comet_rates r = KEEL_COMET_RATES_INIT;
    ck_status(keel_comet_market_rates(NULL, &r), KEEL_E_NULL_ARG);
    ck_status(keel_comet_market_rates(WRONG_CM(f), &r), KEEL_E_BAD_HANDLE);
    ck_status(keel_comet_market_rates(f->cm, NULL), KEEL_E_NULL_ARG);
}
static keel_status good_keel_comet_market_rates(fx *f) { keel_comet_rates r = KEEL_COMET_RATES_INIT; return keel_comet_market_rates(f->cm, &r); }

static void bad_keel_comet_account_new(fx *f) { (void)f; ck_status(keel_comet_account_new(NULL), KEEL_E_NULL_ARG); }
static keel_status good_keel_comet_account_new(fx *f)
{
    (void)f;
    keel_comet_account *a;
    KEEL_TEST_TRY(keel_comet_account_new(&a));
    keel_comet_account_free(a);
    return KEEL_OK;
}
static void bad_keel_comet_account_free(fx *f) { keel_comet_account_free(NULL); keel_comet_account_free(WRONG_CA(f)); }
static keel_status good_keel_comet_account_free(fx *f) { (void)f; keel_comet_account_free(NULL); return KEEL_OK; }
static void bad_keel_comet_account_clone(fx *f)
{
    keel_comet_account *c = NULL;
    ck_status(keel_comet_account_clone(NULL, &c), KEEL_E_NULL_ARG);
    ck_status(keel_comet_account_clone(f->ca, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_comet_account_clone(WRONG_CA(f), &c), KEEL_E_BAD_HANDLE);
    ck_assert_ptr_null(c);
}
static keel_status good_keel_comet_account_clone(fx *f)
{
    keel_comet_account *c;
    KEEL_TEST_TRY(keel_comet_account_clone(f->ca, &c));
    keel_comet_account_free(c);
    return KEEL_OK;
}
static void bad_keel_comet_account_set_principal(fx *f)
{
    COMET_BAD_BEGIN(f);
    keel_comet_int big = { {{0, 1ull << 39, 0, 0}}, 0, 0 }; /* 2^103 */
    ck_status(keel_comet_account_set_principal(NULL, CI0), KEEL_E_NULL_ARG);
    ck_status(keel_comet_account_set_principal(WRONG_CA(f), CI0), KEEL_E_BAD_HANDLE);
    ck_status(keel_comet_account_set_principal(f->ca, big), KEEL_E_OVERFLOW);
    big.magnitude = keel_u256_max();
    big.negative = 1;
    ck_status(keel_comet_account_set_principal(f->ca, big), KEEL_E_OVERFLOW);
    COMET_BAD_END(f);
}
static keel_status good_keel_comet_account_set_principal(fx *f) { return keel_comet_account_set_principal(f->ca, CI0); }
static void bad_keel_comet_account_principal(fx *f)
{
    keel_comet_int p;
    ck_status(keel_comet_account_principal(NULL, &p), KEEL_E_NULL_ARG);
    ck_status(keel_comet_account_principal(WRONG_CA(f), &p), KEEL_E_BAD_HANDLE);
    ck_status(keel_comet_account_principal(f->ca, NULL), KEEL_E_NULL_ARG);
}
static keel_status good_keel_comet_account_principal(fx *f) { keel_comet_int p; return keel_comet_account_principal(f->ca, &p); }
static void bad_keel_comet_account_set_collateral(fx *f)
{
    COMET_BAD_BEGIN(f);
    ck_status(keel_comet_account_set_collateral(NULL, f->cm, 0, WAD1), KEEL_E_NULL_ARG);
    ck_status(keel_comet_account_set_collateral(WRONG_CA(f), f->cm, 0, WAD1), KEEL_E_BAD_HANDLE);
    ck_status(keel_comet_account_set_collateral(f->ca, NULL, 0, WAD1), KEEL_E_NULL_ARG);
    ck_status(keel_comet_account_set_collateral(f->ca, WRONG_CM(f), 0, WAD1), KEEL_E_BAD_HANDLE);
    ck_status(keel_comet_account_set_collateral(f->ca, f->cm, 1, WAD1), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_comet_account_set_collateral(f->ca, f->cm, 0, U2_128), KEEL_E_OVERFLOW);
    ck_status(keel_comet_account_set_collateral(f->ca, f->cm, 0, keel_u256_max()), KEEL_E_OVERFLOW);
    COMET_BAD_END(f);
}
static keel_status good_keel_comet_account_set_collateral(fx *f) { return keel_comet_account_set_collateral(f->ca, f->cm, 0, WAD1); }
static void bad_keel_comet_account_collateral(fx *f)
{
    keel_u256 v;
    ck_status(keel_comet_account_collateral(NULL, 0, &v), KEEL_E_NULL_ARG);
    ck_status(keel_comet_account_collateral(WRONG_CA(f), 0, &v), KEEL_E_BAD_HANDLE);
    ck_status(keel_comet_account_collateral(f->ca, 0, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_comet_account_collateral(f->ca, KEEL_COMET_MAX_ASSETS, &v), KEEL_E_UNKNOWN_ASSET);
}
static keel_status good_keel_comet_account_collateral(fx *f) { keel_u256 v; return keel_comet_account_collateral(f->ca, 0, &v); }
static void bad_keel_comet_present_value(fx *f)
{
    keel_comet_int r, big = { keel_u256_max(), 0, 0 };
    ck_status(keel_comet_present_value(NULL, CI0, &r), KEEL_E_NULL_ARG);
    ck_status(keel_comet_present_value(WRONG_CM(f), CI0, &r), KEEL_E_BAD_HANDLE);
    ck_status(keel_comet_present_value(f->cm, CI0, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_comet_present_value(f->cm, big, &r), KEEL_E_OVERFLOW);
}
static keel_status good_keel_comet_present_value(fx *f) { keel_comet_int r; return keel_comet_present_value(f->cm, CI0, &r); }
static void bad_keel_comet_principal_value(fx *f)
{
    keel_comet_int r, big = { keel_u256_max(), 1, 0 };
    ck_status(keel_comet_principal_value(NULL, CI0, &r), KEEL_E_NULL_ARG);
    ck_status(keel_comet_principal_value(WRONG_CM(f), CI0, &r), KEEL_E_BAD_HANDLE);
    ck_status(keel_comet_principal_value(f->cm, CI0, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_comet_principal_value(f->cm, big, &r), KEEL_E_OVERFLOW);
    big.magnitude = U2_128; /* 2^128 / 1 > uint104 */
    ck_status(keel_comet_principal_value(f->cm, big, &r), KEEL_E_OVERFLOW);
}
static keel_status good_keel_comet_principal_value(fx *f) { keel_comet_int r; return keel_comet_principal_value(f->cm, CI0, &r); }

/* The functions taking (market, account, ...): their handle checks, and an
 * account holding an asset the market (f->cs, no assets) lacks. */
#define COMET_READ_CHECKS(call_m_a)                                                       \
    do {                                                                                  \
        keel_comet_market *m_ = f->cm;                                                    \
        keel_comet_account *a_ = f->ca;                                                   \
        m_ = NULL;                                                                        \
        ck_status((call_m_a), KEEL_E_NULL_ARG);                                           \
        m_ = WRONG_CM(f);                                                                 \
        ck_status((call_m_a), KEEL_E_BAD_HANDLE);                                         \
        m_ = f->cm;                                                                       \
        a_ = NULL;                                                                        \
        ck_status((call_m_a), KEEL_E_NULL_ARG);                                           \
        a_ = WRONG_CA(f);                                                                 \
        ck_status((call_m_a), KEEL_E_BAD_HANDLE);                                         \
        a_ = f->ca;                                                                       \
        m_ = f->cs;                                                                       \
        ck_status((call_m_a), KEEL_E_UNKNOWN_ASSET);                                      \
    } while (0)

static void bad_keel_comet_account_liquidity(fx *f)
{
    COMET_BAD_BEGIN(f);
    keel_comet_account_data d = KEEL_COMET_ACCOUNT_DATA_INIT;
    COMET_READ_CHECKS(keel_comet_account_liquidity(m_, a_, &d));
    ck_status(keel_comet_account_liquidity(f->cm, f->ca, NULL), KEEL_E_NULL_ARG);
    d.size = 3;
    ck_status(keel_comet_account_liquidity(f->cm, f->ca, &d), KEEL_E_OUT_OF_RANGE);
    COMET_BAD_END(f);
}
static keel_status good_keel_comet_account_liquidity(fx *f) { keel_comet_account_data d = KEEL_COMET_ACCOUNT_DATA_INIT; return keel_comet_account_liquidity(f->cm, f->cl, &d); }
static void bad_keel_comet_revert_name(fx *f) { (void)f; ck_assert_str_eq(keel_comet_revert_name((keel_comet_revert)99), "unknown revert"); }
static keel_status good_keel_comet_revert_name(fx *f) { (void)f; return strcmp(keel_comet_revert_name(KEEL_COMET_NOT_FOR_SALE), "NotForSale") == 0 ? KEEL_OK : KEEL_E_STATE; }
static void bad_keel_comet_absorb_quote(fx *f)
{
    COMET_BAD_BEGIN(f);
    keel_comet_absorb q = KEEL_COMET_ABSORB_INIT;
    COMET_READ_CHECKS(keel_comet_absorb_quote(m_, a_, &q, NULL));
    ck_status(keel_comet_absorb_quote(f->cm, f->cl, NULL, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_comet_absorb_quote(f->cm, f->cl, &q, WRONG_CA(f)), KEEL_E_BAD_HANDLE);
    /* a healthy account: NotLiquidatable, and `after` (f->cl) untouched */
    ck_status(keel_comet_absorb_quote(f->cm, f->ca, &q, f->cl), KEEL_E_INFEASIBLE);
    ck_assert_int_eq(q.revert, KEEL_COMET_NOT_LIQUIDATABLE);
    COMET_BAD_END(f);
}
static keel_status good_keel_comet_absorb_quote(fx *f) { keel_comet_absorb q = KEEL_COMET_ABSORB_INIT; return keel_comet_absorb_quote(f->cm, f->cl, &q, NULL); }
static void bad_keel_comet_quote_collateral(fx *f)
{
    keel_u256 out = WAD1;
    ck_status(keel_comet_quote_collateral(NULL, 0, WAD1, &out), KEEL_E_NULL_ARG);
    ck_status(keel_comet_quote_collateral(WRONG_CM(f), 0, WAD1, &out), KEEL_E_BAD_HANDLE);
    ck_status(keel_comet_quote_collateral(f->cm, 0, WAD1, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_comet_quote_collateral(f->cm, 1, WAD1, &out), KEEL_E_UNKNOWN_ASSET);
    /* basePrice · 2^256 − 1 overflows: Panic(0x11) */
    ck_status(keel_comet_quote_collateral(f->cm, 0, keel_u256_max(), &out), KEEL_E_INFEASIBLE);
    ck_assert(keel_u256_cmp(out, WAD1) == 0);
}
static keel_status good_keel_comet_quote_collateral(fx *f) { keel_u256 out; return keel_comet_quote_collateral(f->cm, 0, keel_u256_from_u64(1000000000), &out); }
static void bad_keel_comet_buy_collateral_quote(fx *f)
{
    COMET_BAD_BEGIN(f);
    keel_comet_buy q = KEEL_COMET_BUY_INIT;
    ck_status(keel_comet_buy_collateral_quote(NULL, 0, U0, WAD1, &q), KEEL_E_NULL_ARG);
    ck_status(keel_comet_buy_collateral_quote(WRONG_CM(f), 0, U0, WAD1, &q), KEEL_E_BAD_HANDLE);
    ck_status(keel_comet_buy_collateral_quote(f->cm, 0, U0, WAD1, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_comet_buy_collateral_quote(f->cm, 3, U0, WAD1, &q), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_comet_buy_collateral_quote(f->cm, 0, keel_u256_max(), keel_u256_from_u64(1), &q),
              KEEL_E_INFEASIBLE);
    ck_assert_int_eq(q.revert, KEEL_COMET_TOO_MUCH_SLIPPAGE);
    COMET_BAD_END(f);
}
static keel_status good_keel_comet_buy_collateral_quote(fx *f) { keel_comet_buy q = KEEL_COMET_BUY_INIT; return keel_comet_buy_collateral_quote(f->cm, 0, U0, keel_u256_from_u64(1000000), &q); }

static void bad_keel_comet_repay_to_target(fx *f)
{
    COMET_BAD_BEGIN(f);
    keel_u256 out = WAD1;
    COMET_READ_CHECKS(keel_comet_repay_to_target(m_, a_, KEEL_COMET_BORROW_LINE, WAD1, &out));
    ck_status(keel_comet_repay_to_target(f->cm, f->cl, KEEL_COMET_BORROW_LINE, WAD1, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_comet_repay_to_target(f->cm, f->cl, KEEL_COMET_BORROW_LINE, U0, &out), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_comet_repay_to_target(f->cm, f->cl, KEEL_COMET_BORROW_LINE, U2_128, &out), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_comet_repay_to_target(f->cm, f->cl, (keel_comet_line)7, WAD1, &out), KEEL_E_OUT_OF_RANGE);
    ck_assert(keel_u256_cmp(out, WAD1) == 0);
    COMET_BAD_END(f);
}
static keel_status good_keel_comet_repay_to_target(fx *f) { keel_u256 out; return keel_comet_repay_to_target(f->cm, f->cl, KEEL_COMET_LIQUIDATE_LINE, WAD1, &out); }
static void bad_keel_comet_supply_to_target(fx *f)
{
    COMET_BAD_BEGIN(f);
    keel_u256 out = WAD1;
    COMET_READ_CHECKS(keel_comet_supply_to_target(m_, a_, 0, KEEL_COMET_BORROW_LINE, WAD1, &out));
    ck_status(keel_comet_supply_to_target(f->cm, f->cl, 0, KEEL_COMET_BORROW_LINE, WAD1, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_comet_supply_to_target(f->cm, f->cl, 4, KEEL_COMET_BORROW_LINE, WAD1, &out), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_comet_supply_to_target(f->cm, f->cl, 0, KEEL_COMET_BORROW_LINE, U0, &out), KEEL_E_OUT_OF_RANGE);
    ck_assert(keel_u256_cmp(out, WAD1) == 0);
    COMET_BAD_END(f);
}
static keel_status good_keel_comet_supply_to_target(fx *f) { keel_u256 out; return keel_comet_supply_to_target(f->cm, f->cl, 0, KEEL_COMET_BORROW_LINE, WAD1, &out); }
static void bad_keel_comet_max_withdraw(fx *f)
{
    COMET_BAD_BEGIN(f);
    keel_u256 out = WAD1;
    COMET_READ_CHECKS(keel_comet_max_withdraw(m_, a_, 0, U0, &out));
    ck_status(keel_comet_max_withdraw(f->cm, f->ca, 0, U0, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_comet_max_withdraw(f->cm, f->ca, 4, U0, &out), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_comet_max_withdraw(f->cm, f->ca, 0, keel_u256_max(), &out), KEEL_E_OUT_OF_RANGE);
    ck_assert(keel_u256_cmp(out, WAD1) == 0);
    COMET_BAD_END(f);
}
static keel_status good_keel_comet_max_withdraw(fx *f) { keel_u256 out; return keel_comet_max_withdraw(f->cm, f->ca, 0, U0, &out); }
static void bad_keel_comet_max_borrow(fx *f)
{
    COMET_BAD_BEGIN(f);
    keel_u256 out = WAD1;
    COMET_READ_CHECKS(keel_comet_max_borrow(m_, a_, U0, &out));
    ck_status(keel_comet_max_borrow(f->cm, f->ca, U0, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_comet_max_borrow(f->cm, f->ca, keel_u256_max(), &out), KEEL_E_OUT_OF_RANGE);
    ck_assert(keel_u256_cmp(out, WAD1) == 0);
    COMET_BAD_END(f);
}
static keel_status good_keel_comet_max_borrow(fx *f) { keel_u256 out; return keel_comet_max_borrow(f->cm, f->ca, U0, &out); }
static void bad_keel_comet_liquidation_price(fx *f)
{
    COMET_BAD_BEGIN(f);
    keel_comet_price_boundary b = { sizeof b, 7, 7, {{0, 0, 0, 0}} };
    COMET_READ_CHECKS(keel_comet_liquidation_price(m_, a_, 0, &b));
    ck_status(keel_comet_liquidation_price(f->cm, f->ca, 0, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_comet_liquidation_price(f->cm, f->ca, 2, &b), KEEL_E_UNKNOWN_ASSET);
    b.size = 1;
    ck_status(keel_comet_liquidation_price(f->cm, f->ca, 0, &b), KEEL_E_OUT_OF_RANGE);
    ck_assert_int_eq(b.direction, 7);
    COMET_BAD_END(f);
}
static keel_status good_keel_comet_liquidation_price(fx *f)
{
    keel_comet_price_boundary b = KEEL_COMET_PRICE_BOUNDARY_INIT;
    return keel_comet_liquidation_price(f->cm, f->ca, 0, &b);
}
static void bad_keel_comet_to_keel(fx *f)
{
    COMET_BAD_BEGIN(f);
    keel_market *m = NULL;
    keel_basket *b = NULL;
    keel_haircut_model *h = NULL;
    uint32_t ids[1];
    COMET_READ_CHECKS(keel_comet_to_keel(m_, a_, &m, &b, &h, NULL, 0, NULL));
    ck_status(keel_comet_to_keel(f->cm, f->ca, NULL, &b, &h, NULL, 0, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_comet_to_keel(f->cm, f->ca, &m, NULL, &h, NULL, 0, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_comet_to_keel(f->cm, f->ca, &m, &b, NULL, NULL, 0, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_comet_to_keel(f->cm, f->ca, &m, &b, &h, ids, 1, NULL), KEEL_E_BUFFER_TOO_SMALL);
    ck_assert(m == NULL && b == NULL && h == NULL);
    COMET_BAD_END(f);
}
static keel_status good_keel_comet_to_keel(fx *f)
{
    keel_market *m;
    keel_basket *b;
    keel_haircut_model *h;
    uint32_t ids[KEEL_COMET_MAX_ASSETS + 1];
    size_t n;
    KEEL_TEST_TRY(keel_comet_to_keel(f->cm, f->ca, &m, &b, &h, ids, KEEL_COMET_MAX_ASSETS + 1, &n));
    keel_market_free(m);
    keel_basket_free(b);
    keel_haircut_model_free(h);
    return KEEL_OK;
}

typedef struct row {
    const char *name;
    void (*bad)(fx *);
    keel_status (*good)(fx *);
    enum alloc allocates;
} row;

#define ROW(fn, alloc) { #fn, bad_##fn, good_##fn, alloc }

static const row rows[] = {
    ROW(keel_status_str, NEVER), ROW(keel_last_error, NEVER), ROW(keel_version, NEVER),
    ROW(keel_version_number, NEVER), ROW(keel_set_allocator, NEVER),
    ROW(keel_live_handles, NEVER),
    ROW(keel_market_new, ALWAYS), ROW(keel_market_free, NEVER), ROW(keel_market_clone, ALWAYS),
    ROW(keel_market_add_asset, ALWAYS), ROW(keel_market_find, NEVER),
    ROW(keel_market_asset_count, NEVER), ROW(keel_market_symbol, NEVER),
    ROW(keel_market_set_price, NEVER), ROW(keel_market_set_prices, NEVER),
    ROW(keel_market_price, NEVER), ROW(keel_market_set_volatility, NEVER),
    ROW(keel_market_volatility, NEVER), ROW(keel_market_set_carry, NEVER),
    ROW(keel_market_carry, NEVER), ROW(keel_market_set_depth, NEVER),
    ROW(keel_market_depth, NEVER), ROW(keel_market_set_rate, NEVER), ROW(keel_market_rate, NEVER),
    ROW(keel_market_set_correlation, ALWAYS), ROW(keel_market_set_correlations, ALWAYS), ROW(keel_market_correlation, NEVER),
    ROW(keel_basket_new, ALWAYS), ROW(keel_basket_free, NEVER), ROW(keel_basket_clone, ALWAYS),
    ROW(keel_basket_set_collateral, ALWAYS), ROW(keel_basket_set_debt, ALWAYS),
    ROW(keel_basket_add_collateral, ALWAYS), ROW(keel_basket_add_debt, ALWAYS),
    ROW(keel_basket_collateral, NEVER), ROW(keel_basket_debt, NEVER),
    ROW(keel_basket_positions, NEVER), ROW(keel_basket_clear, NEVER),
    ROW(keel_haircut_model_new, ALWAYS), ROW(keel_haircut_model_free, NEVER),
    ROW(keel_haircut_model_clone, ALWAYS), ROW(keel_haircut_model_set_asset, ALWAYS),
    ROW(keel_haircut_model_asset, NEVER), ROW(keel_haircut_model_clear_asset, NEVER),
    ROW(keel_haircut_model_set_borrow_factor, ALWAYS),
    ROW(keel_haircut_model_borrow_factor, NEVER), ROW(keel_haircut_model_set_cap, ALWAYS),
    ROW(keel_haircut_model_cap, NEVER), ROW(keel_haircut_model_set_volatility_addon, NEVER),
    ROW(keel_haircut_model_volatility_addon, NEVER),
    ROW(keel_haircut_model_set_liquidity_addon, NEVER),
    ROW(keel_haircut_model_liquidity_addon, NEVER),
    ROW(keel_haircut_model_set_concentration, ALWAYS),
    ROW(keel_haircut_model_concentration, NEVER),
    ROW(keel_haircut_model_set_concentration_mode, NEVER),
    ROW(keel_haircut_model_concentration_mode, NEVER),
    ROW(keel_haircut_model_set_peg_group, ALWAYS), ROW(keel_haircut_model_peg_group, NEVER),
    ROW(keel_haircut_model_set_peg_mismatch_addon, NEVER),
    ROW(keel_haircut_model_peg_mismatch_addon, NEVER),
    ROW(keel_haircut_model_set_portfolio_mode, NEVER),
    ROW(keel_haircut_model_portfolio_mode, NEVER),
    /* valuation allocates only past the stack buffers (many positions or a
     * large portfolio); test_addons drives that path out of memory */
    ROW(keel_basket_metrics, SOMETIMES), ROW(keel_basket_liquidation_price, SOMETIMES),
    ROW(keel_haircut_breakdown, SOMETIMES),
    ROW(keel_volatility_haircut, NEVER), ROW(keel_haircut_scale_holding_period, NEVER),
    ROW(keel_black_scholes, NEVER), ROW(keel_black76, NEVER), ROW(keel_black_scholes_batch, NEVER),
    ROW(keel_implied_volatility, NEVER), ROW(keel_implied_volatility_black76, NEVER),
    ROW(keel_implied_volatility_batch, NEVER), ROW(keel_implied_volatility_black76_batch, NEVER),
    ROW(keel_options_new, ALWAYS), ROW(keel_options_free, NEVER), ROW(keel_options_clone, ALWAYS),
    ROW(keel_options_add, ALWAYS), ROW(keel_options_set_quantity, NEVER),
    ROW(keel_options_set_expiry, NEVER), ROW(keel_options_set_volatility, NEVER),
    ROW(keel_options_clear_volatility, NEVER), ROW(keel_options_remove, NEVER),
    ROW(keel_options_count, NEVER), ROW(keel_options_position, NEVER),
    ROW(keel_options_set_margin_params, ALWAYS), ROW(keel_options_value, NEVER),
    ROW(keel_options_greeks, NEVER), ROW(keel_options_scenario_margin, NEVER),
    ROW(keel_basket_liquidation_prices, SOMETIMES), ROW(keel_basket_health_sensitivity, SOMETIMES),
    ROW(keel_basket_pnl, NEVER),
    ROW(keel_cost_model_new, ALWAYS), ROW(keel_cost_model_free, NEVER),
    ROW(keel_cost_model_clone, ALWAYS), ROW(keel_cost_model_set_fee, ALWAYS),
    ROW(keel_cost_model_set_fixed, ALWAYS), ROW(keel_cost_model_set_linear_impact, ALWAYS),
    ROW(keel_cost_model_set_sqrt_impact, ALWAYS), ROW(keel_cost_model_set_pool, ALWAYS),
    ROW(keel_cost_model_clear_impact, NEVER), ROW(keel_cost_model_impact, NEVER),
    ROW(keel_cost_model_cost, NEVER), ROW(keel_cost_model_swap, NEVER),
    ROW(keel_deleverage, ALWAYS), ROW(keel_plan_free, NEVER), ROW(keel_plan_action_count, NEVER),
    ROW(keel_plan_action, NEVER), ROW(keel_plan_summary, NEVER), ROW(keel_plan_apply, SOMETIMES),
    ROW(keel_policy_health_band, ALWAYS), ROW(keel_policy_leverage_band, ALWAYS),
    ROW(keel_policy_target_weights, ALWAYS), ROW(keel_policy_delta_hedge, ALWAYS),
    ROW(keel_policy_predictive, ALWAYS), ROW(keel_policy_compose, ALWAYS),
    ROW(keel_policy_free, NEVER), ROW(keel_policy_clone, ALWAYS), ROW(keel_policy_kind_of, NEVER),
    ROW(keel_policy_plan, ALWAYS), ROW(keel_hedge_band, NEVER),
    ROW(keel_liquidation_probability, ALWAYS), ROW(keel_optimize_collateral, ALWAYS),
    ROW(keel_scan, ALWAYS), ROW(keel_scan_top_k, ALWAYS), ROW(keel_liquidations_at_risk, ALWAYS),
    ROW(keel_stress, ALWAYS), ROW(keel_sim_new, ALWAYS), ROW(keel_sim_free, NEVER),
    ROW(keel_sim_set_drift, NEVER), ROW(keel_sim_set_jumps, NEVER), ROW(keel_sim_set_paths, ALWAYS),
    ROW(keel_sim_run, ALWAYS), ROW(keel_sim_stats_free, NEVER), ROW(keel_sim_stats_merge, ALWAYS),
    ROW(keel_sim_stats_summary, NEVER), ROW(keel_sim_stats_percentile, ALWAYS),
    ROW(keel_sim_stats_serialize, NEVER), ROW(keel_sim_stats_deserialize, ALWAYS),
    ROW(keel_ewma_init, NEVER), ROW(keel_ewma_update, NEVER), ROW(keel_ewma_update_price, NEVER),
    ROW(keel_ewma_annual_volatility, NEVER), ROW(keel_garch_init, NEVER),
    ROW(keel_garch_update, NEVER), ROW(keel_garch_update_price, NEVER),
    ROW(keel_garch_long_run_variance, NEVER), ROW(keel_garch_forecast, NEVER),
    ROW(keel_garch_annual_volatility, NEVER),
    ROW(keel_garch_fit, NEVER), ROW(keel_garch_fit_params_init, NEVER),
    ROW(keel_margin_params_init, NEVER), ROW(keel_deleverage_params_init, NEVER),
    ROW(keel_health_band_params_init, NEVER), ROW(keel_leverage_band_params_init, NEVER),
    ROW(keel_target_weights_params_init, NEVER), ROW(keel_delta_hedge_params_init, NEVER),
    ROW(keel_predictive_params_init, NEVER), ROW(keel_collateral_params_init, NEVER),
    ROW(keel_sim_params_init, NEVER),
    ROW(keel_u256_from_u64, NEVER), ROW(keel_u256_max, NEVER), ROW(keel_u256_from_string, NEVER),
    ROW(keel_u256_to_string, NEVER), ROW(keel_u256_to_double, NEVER), ROW(keel_u256_cmp, NEVER),
    ROW(keel_u256_add, NEVER), ROW(keel_u256_sub, NEVER), ROW(keel_u256_mul, NEVER),
    ROW(keel_u256_divmod, NEVER), ROW(keel_wadray, NEVER), ROW(keel_mul_div_ceil, NEVER),
    ROW(keel_aave_reserve_init, NEVER), ROW(keel_aave_emode_init, NEVER),
    ROW(keel_aave_market_new, ALWAYS), ROW(keel_aave_market_free, NEVER),
    ROW(keel_aave_market_clone, ALWAYS), ROW(keel_aave_market_version, NEVER),
    ROW(keel_aave_market_size, NEVER), ROW(keel_aave_market_add_reserve, NEVER),
    ROW(keel_aave_market_set_reserve, NEVER), ROW(keel_aave_market_reserve, NEVER),
    ROW(keel_aave_market_set_price, NEVER), ROW(keel_aave_market_find, NEVER),
    ROW(keel_aave_market_symbol, NEVER), ROW(keel_aave_market_set_emode, NEVER),
    ROW(keel_aave_market_emode, NEVER), ROW(keel_aave_market_accrue, NEVER),
    ROW(keel_aave_account_new, ALWAYS), ROW(keel_aave_account_free, NEVER),
    ROW(keel_aave_account_clone, ALWAYS), ROW(keel_aave_account_assign, ALWAYS),
    ROW(keel_aave_account_set_position, NEVER), ROW(keel_aave_account_position, NEVER),
    ROW(keel_aave_account_set_emode, NEVER), ROW(keel_aave_account_emode, NEVER),
    ROW(keel_aave_account_balances, NEVER), ROW(keel_aave_user_account_data, NEVER),
    ROW(keel_aave_revert_name, NEVER), ROW(keel_aave_liquidation_quote, ALWAYS),
    ROW(keel_aave_best_liquidation, NEVER), ROW(keel_aave_repay_to_target, NEVER),
    ROW(keel_aave_supply_to_target, NEVER), ROW(keel_aave_max_withdraw, NEVER),
    ROW(keel_aave_max_borrow, NEVER), ROW(keel_aave_liquidation_price, NEVER),
    ROW(keel_aave_to_keel, ALWAYS), ROW(keel_aave_scan, NEVER), ROW(keel_aave_scan_flat, NEVER),
    ROW(keel_sim_set_aave, NEVER),
    ROW(keel_sim_set_comet, NEVER),
    ROW(keel_sim_set_morpho, NEVER),
    ROW(keel_sim_set_replay, ALWAYS), ROW(keel_sim_set_window, ALWAYS),
    ROW(keel_sim_set_volatility, NEVER), ROW(keel_sim_trace_path, ALWAYS),
    ROW(keel_sim_stats_values, NEVER), ROW(keel_sim_volatility_init, NEVER),
    ROW(keel_comet_absorb_quote, NEVER),
    ROW(keel_comet_account_clone, ALWAYS),
    ROW(keel_comet_account_collateral, NEVER),
    ROW(keel_comet_account_free, NEVER),
    ROW(keel_comet_account_liquidity, NEVER),
    ROW(keel_comet_account_new, ALWAYS),
    ROW(keel_comet_account_principal, NEVER),
    ROW(keel_comet_account_set_collateral, NEVER),
    ROW(keel_comet_account_set_principal, NEVER),
    ROW(keel_comet_asset_init, NEVER),
    ROW(keel_comet_base_init, NEVER),
    ROW(keel_comet_buy_collateral_quote, NEVER),
    ROW(keel_comet_liquidation_price, NEVER),
    ROW(keel_comet_market_accrue, NEVER),
    ROW(keel_comet_market_add_asset, NEVER),
    ROW(keel_comet_market_asset, NEVER),
    ROW(keel_comet_market_base, NEVER),
    ROW(keel_comet_market_clone, ALWAYS),
    ROW(keel_comet_market_find, NEVER),
    ROW(keel_comet_market_free, NEVER),
    ROW(keel_comet_market_new, ALWAYS),
    ROW(keel_comet_market_rates, NEVER),
    ROW(keel_comet_market_set_asset, NEVER),
    ROW(keel_comet_market_set_base, NEVER),
    ROW(keel_comet_market_set_price, NEVER),
    ROW(keel_comet_market_size, NEVER),
    ROW(keel_comet_max_borrow, NEVER),
    ROW(keel_comet_max_withdraw, NEVER),
    ROW(keel_comet_present_value, NEVER),
    ROW(keel_comet_principal_value, NEVER),
    ROW(keel_comet_quote_collateral, NEVER),
    ROW(keel_comet_repay_to_target, NEVER),
    ROW(keel_comet_revert_name, NEVER),
    ROW(keel_comet_supply_to_target, NEVER),
    ROW(keel_comet_to_keel, ALWAYS),
    /* Morpho Blue */
    ROW(keel_morpho_params_init, NEVER), ROW(keel_morpho_state_init, NEVER),
    ROW(keel_morpho_market_new, ALWAYS), ROW(keel_morpho_market_free, NEVER),
    ROW(keel_morpho_market_clone, ALWAYS), ROW(keel_morpho_market_params, NEVER),
    ROW(keel_morpho_market_state, NEVER), ROW(keel_morpho_market_set_state, NEVER),
    ROW(keel_morpho_market_set_price, NEVER), ROW(keel_morpho_market_accrue, NEVER),
    ROW(keel_morpho_convert, NEVER), ROW(keel_morpho_incentive_factor, NEVER),
    ROW(keel_morpho_position_data_get, NEVER), ROW(keel_morpho_revert_name, NEVER),
    ROW(keel_morpho_liquidation_quote, NEVER), ROW(keel_morpho_best_liquidation, NEVER),
    ROW(keel_morpho_repay_to_target, NEVER), ROW(keel_morpho_collateral_to_target, NEVER),
    ROW(keel_morpho_max_withdraw_collateral, NEVER), ROW(keel_morpho_max_borrow, NEVER),
    ROW(keel_morpho_liquidation_price, NEVER), ROW(keel_morpho_to_keel, ALWAYS),
};
#define NROWS (sizeof rows / sizeof rows[0])

/* Every function in the version map has a row, and every row is exported. */
START_TEST(table_covers_every_export)
{
    FILE *map = fopen(KEEL_MAP_PATH, "r");
    ck_assert_msg(map != NULL, "cannot open %s", KEEL_MAP_PATH);
    char line[256];
    size_t exported = 0;
    bool seen[NROWS] = { false };
    while (fgets(line, sizeof line, map)) {
        char name[128];
        if (sscanf(line, " %127[a-z0-9_];", name) != 1 || strncmp(name, "keel_", 5) != 0)
            continue;
        exported++;
        size_t i = 0;
        while (i < NROWS && strcmp(rows[i].name, name) != 0)
            i++;
        ck_assert_msg(i < NROWS, "%s is exported but has no row in the bad-input matrix", name);
        seen[i] = true;
    }
    fclose(map);
    for (size_t i = 0; i < NROWS; i++)
        ck_assert_msg(seen[i], "%s has a row but is not in the version map", rows[i].name);
    ck_assert_uint_eq(exported, NROWS);
}
END_TEST

/* Row _i: its bad calls fail as expected and change no handle; its good call
 * succeeds afterwards (the fixture is still usable). */
START_TEST(bad_input_row)
{
    const row *r = &rows[_i];
    fx f;
    fx_make(&f);
    market_snap *ms = malloc(sizeof *ms);
    basket_snap bs;
    haircut_snap hs;
    options_snap *os = malloc(sizeof *os);
    snap_market(f.m, ms);
    snap_basket(f.b, &bs);
    snap_haircut(f.h, &hs);
    snap_options(f.o, os);
    r->bad(&f);
    ck_market_unchanged(f.m, ms);
    ck_basket_unchanged(f.b, &bs);
    ck_haircut_unchanged(f.h, &hs);
    ck_options_unchanged(f.o, os);
    free(os);
    ck_assert_msg(r->good(&f) == KEEL_OK, "%s: the valid call failed: %s", r->name,
                  keel_last_error());
    free(ms);
    fx_free(&f);
    ck_assert_uint_eq(keel_live_handles(), 0);
}
END_TEST

/* What a caller can observe of the handles that have no snapshot of their
 * own in testutil.h: the cost model's costs of a few trades, the policy's
 * kind and plan for the fixture's account, a simulation's summary of two
 * paths, the statistics' bytes, the estimators' structs. Taken with the
 * allocator not failing. */
typedef struct others_snap {
    double cost[8][2];
    keel_policy_kind kind;
    size_t actions;
    double plan_cost;
    keel_sim_summary run;
    unsigned char stats[24 + 3 * 88];
    size_t stats_size;
    keel_ewma e;
    keel_garch g;
    uint64_t comet;
} others_snap;

static void snap_others(const fx *f, others_snap *o)
{
    memset(o, 0, sizeof *o);
    for (keel_asset a = 0; a < 8; a++)
        for (int k = 0; k < 2; k++) {
            keel_trade_cost c = KEEL_TRADE_COST_INIT;
            ck_ok(keel_cost_model_cost(f->c, f->m, a, k ? -3.0 : 1.0, &c));
            o->cost[a][k] = c.total;
        }
    ck_ok(keel_policy_kind_of(f->p, &o->kind));
    keel_plan *plan = NULL;
    ck_ok(keel_policy_plan(f->p, f->b, NULL, f->m, f->h, f->c, NULL, &plan));
    ck_ok(keel_plan_summary(plan, &o->plan_cost, NULL, NULL));
    ck_ok(keel_plan_action_count(plan, &o->actions));
    keel_plan_free(plan);
    keel_sim_stats *st = NULL;
    ck_ok(keel_sim_run(f->sim, 0, 2, NULL, NULL, &st));
    o->run = (keel_sim_summary)KEEL_SIM_SUMMARY_INIT;
    ck_ok(keel_sim_stats_summary(st, &o->run));
    keel_sim_stats_free(st);
    ck_ok(keel_sim_stats_serialize(f->stats, o->stats, sizeof o->stats, &o->stats_size));
    o->e = f->e;
    o->g = f->g;
    o->comet = comet_fp(f);
}

static void ck_others_unchanged(const fx *f, const others_snap *before, const char *name)
{
    others_snap now;
    snap_others(f, &now);
    ck_assert_msg(memcmp(before->cost, now.cost, sizeof now.cost) == 0, "%s changed the costs",
                  name);
    ck_assert_msg(before->kind == now.kind && before->actions == now.actions &&
                      before->plan_cost == now.plan_cost,
                  "%s changed the policy", name);
    ck_assert_msg(memcmp(&before->run, &now.run, sizeof now.run) == 0,
                  "%s changed the simulation", name);
    ck_assert_msg(before->stats_size == now.stats_size &&
                      memcmp(before->stats, now.stats, now.stats_size) == 0,
                  "%s changed the statistics", name);
    ck_assert_msg(memcmp(&before->e, &now.e, sizeof now.e) == 0 &&
                      memcmp(&before->g, &now.g, sizeof now.g) == 0,
                  "%s changed an estimator", name);
    ck_assert_msg(before->comet == now.comet, "%s changed the Comet fixture", name);
}

/* Row _i under an allocator, on the fixture chosen by big_fixture: one
 * marked as not allocating must succeed with every allocation failing; one
 * marked as allocating must, for each k, return KEEL_E_NOMEM with every
 * handle kind unchanged and nothing leaked when its k-th allocation fails --
 * that one alone (`once`), and that one and every later one. */
static void allocation_row_on(const row *r, bool once)
{
    fail_alloc fa = { -1, 0, 0, once };
    install_fail_alloc(&fa);
    int failures = 0;
    /* every k up to 64, then (a valuation of the big fixture allocates on
     * every call, a search makes hundreds) every k / 8-th */
    for (long n = 0;; n += n < 64 ? 1 : n / 8) {
        fx f;
        fx_make(&f);
        long live = fa.live;
        market_snap *ms = malloc(sizeof *ms);
        basket_snap bs;
        haircut_snap hs;
        options_snap *os = malloc(sizeof *os);
        others_snap *xs = malloc(sizeof *xs);
        snap_market(f.m, ms);
        snap_basket(f.b, &bs);
        snap_haircut(f.h, &hs);
        snap_options(f.o, os);
        snap_others(&f, xs);
        live = fa.live;
        fa.fail_after = r->allocates != NEVER ? n : 0;
        fa.once = r->allocates != NEVER && once;
        long calls = fa.calls;
        keel_status s = r->good(&f);
        fa.fail_after = -1;
        if (r->allocates == NEVER) {
            ck_assert_msg(s == KEEL_OK, "%s is marked as not allocating but failed: %s", r->name,
                          keel_last_error());
            ck_assert_msg(fa.calls == calls, "%s is marked as not allocating but allocated",
                          r->name);
        }
        bool done = s == KEEL_OK && fa.calls - calls <= n; /* no allocation failed */
        if (s == KEEL_OK && !done)
            ck_assert_msg(false, "%s succeeded although its allocation %ld failed", r->name,
                          n + 1);
        if (done) {
            free(ms);
            free(os);
            free(xs);
            fx_free(&f);
            break;
        }
        failures++;
        ck_assert_msg(s == KEEL_E_NOMEM, "%s with allocation %ld failing%s returned %s", r->name,
                      n + 1, once ? " (alone)" : "", keel_status_str(s));
        ck_assert_msg(fa.live == live, "%s leaked %ld blocks", r->name, fa.live - live);
        ck_market_unchanged(f.m, ms);
        ck_basket_unchanged(f.b, &bs);
        ck_haircut_unchanged(f.h, &hs);
        ck_options_unchanged(f.o, os);
        ck_others_unchanged(&f, xs, r->name);
        free(ms);
        free(os);
        free(xs);
        fx_free(&f);
        ck_assert_msg(n < 100000, "%s never succeeds", r->name);
    }
    /* (the first fixture fills every store to capacity; the big one does not) */
    if (r->allocates == ALWAYS && !big_fixture)
        ck_assert_msg(failures > 0, "%s is marked as allocating but never did", r->name);
    ck_assert_int_eq(fa.live, 0);
    ck_ok(keel_set_allocator(NULL));
}

START_TEST(allocation_row)
{
    big_fixture = false;
    allocation_row_on(&rows[_i], false);
    allocation_row_on(&rows[_i], true);
}
END_TEST

START_TEST(allocation_row_big_fixture)
{
    big_fixture = true;
    allocation_row_on(&rows[_i], false);
    allocation_row_on(&rows[_i], true);
    big_fixture = false;
}
END_TEST

static Suite *matrix_suite(void)
{
    Suite *s = suite_create("api_matrix");
    TCase *tc = tcase_create("matrix");
    tcase_add_test(tc, table_covers_every_export);
    tcase_add_loop_test(tc, bad_input_row, 0, (int)NROWS);
    tcase_add_loop_test(tc, allocation_row, 0, (int)NROWS);
    if (getenv("KEEL_TEST_QUICK") == NULL) /* valgrind runs the first fixture only */
        tcase_add_loop_test(tc, allocation_row_big_fixture, 0, (int)NROWS);
    suite_add_tcase(s, tc);
    return s;
}

KEEL_TEST_MAIN(matrix_suite)

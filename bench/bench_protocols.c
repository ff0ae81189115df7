/* One account's verdict, exact to the chain, on each protocol layer, beside
 * its peer: the double-precision valuation a front end makes
 * (keel_basket_metrics on the account's bridge to keel: the same balances
 * and prices, haircut 1 − the protocol's liquidation line).
 *
 *   ./build/bench/bench_protocols [accounts] [repetitions]   (100000 9)
 *
 * For each protocol, `accounts` accounts of one collateral (WETH, 18
 * decimals, 2,000 USD) and one debt (USDC, 6 decimals, 1 USD): collateral
 * 1..10 WETH in random wei; half the accounts at a health factor log-uniform
 * over 0.7..3, half on the line to the wei (where the double and the chain
 * can part: debt_of).
 * Aave v3.6 (threshold 83%), Compound v3 (liquidate CF 0.895, indexes 1),
 * Morpho Blue (LLTV 86%, 1e6 shares an asset). Timed: the exact verdict
 * (keel_aave_user_account_data, keel_comet_account_liquidity,
 * keel_morpho_position_data_get) and the peer's, interleaved, each first in
 * turn, thread CPU time; the row is the median of the per-repetition
 * ratios. Counted: the peer's verdicts unlike the chain's. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <keel.h>

#include "bench_util.h"

__extension__ typedef unsigned __int128 u128;

static uint64_t lcg = 0x9e3779b97f4a7c15ull;

static double urand(void)
{
    lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(lcg >> 11) * 0x1.0p-53;
}

static keel_u256 u(uint64_t v) { return keel_u256_from_u64(v); }

/* The debt (USDC wei) of account k with `coll` WETH wei at 2,000 USD and the
 * line num/den: for even k at a health factor log-uniform over 0.7..3; for
 * odd k on the line itself, to the wei: floor(coll · 2000 · line / 10^12)
 * (the rational debt at HF 1) plus -1, 0, 0 or +1 wei, where the chain's
 * floors of a value can decide against the rational number. */
static uint64_t debt_of(size_t k, uint64_t coll, unsigned num, unsigned den)
{
    if (k % 2 == 0) {
        double hf = 0.7 * exp(urand() * log(3.0 / 0.7));
        return (uint64_t)((double)coll / 1e18 * 2000.0 * num / den / hf * 1e6);
    }
    u128 d = (u128)coll * 2000u * num / den / 1000000000000ull;
    static const int delta[4] = { -1, 0, 0, 1 };
    return (uint64_t)d + (uint64_t)(int64_t)delta[(size_t)(urand() * 4) & 3];
}

typedef struct bridged {
    keel_market *m;
    keel_basket *b;
    keel_haircut_model *h;
} bridged;

static bool double_verdict(const bridged *x)
{
    keel_metrics met = KEEL_METRICS_INIT;
    die(keel_basket_metrics(x->b, NULL, x->m, x->h, &met));
    return met.health_factor < 1.0;
}

static void free_bridged(bridged *x, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        keel_market_free(x[k].m);
        keel_basket_free(x[k].b);
        keel_haircut_model_free(x[k].h);
    }
    free(x);
}

/* The three protocols behind one interface: make account k, its exact verdict. */
typedef struct venue {
    const char *name;
    void *market;
    void **accounts;           /* Aave and Comet: handles */
    keel_morpho_position *pos; /* Morpho: plain positions */
} venue;

static bool exact_verdict(const venue *v, size_t k)
{
    if (strcmp(v->name, "Aave v3.6") == 0) {
        keel_aave_account_data d = KEEL_AAVE_ACCOUNT_DATA_INIT;
        die(keel_aave_user_account_data(v->market, v->accounts[k], &d));
        return d.liquidatable;
    }
    if (strcmp(v->name, "Compound v3") == 0) {
        keel_comet_account_data d = KEEL_COMET_ACCOUNT_DATA_INIT;
        die(keel_comet_account_liquidity(v->market, v->accounts[k], &d));
        return d.is_liquidatable;
    }
    keel_morpho_position_data d = KEEL_MORPHO_POSITION_DATA_INIT;
    die(keel_morpho_position_data_get(v->market, &v->pos[k], &d));
    return d.liquidatable;
}

static void make_aave(venue *v, bridged *x, size_t n)
{
    keel_aave_market *m;
    die(keel_aave_market_new(KEEL_AAVE_V3_6, &m));
    keel_aave_reserve r = KEEL_AAVE_RESERVE_INIT;
    r.ltv = 8050, r.liquidation_threshold = 8300, r.liquidation_bonus = 10500;
    r.price = u(200000000000ull);
    die(keel_aave_market_add_reserve(m, "WETH", &r, &(uint32_t){ 0 }));
    r.decimals = 6, r.ltv = 7500, r.liquidation_threshold = 7800, r.price = u(100000000ull);
    die(keel_aave_market_add_reserve(m, "USDC", &r, &(uint32_t){ 0 }));
    v->name = "Aave v3.6", v->market = m;
    v->accounts = calloc(n, sizeof *v->accounts);
    for (size_t k = 0; k < n; k++) {
        keel_aave_account *a;
        die(keel_aave_account_new(&a));
        uint64_t coll = (uint64_t)((1.0 + 9.0 * urand()) * 1e18);
        die(keel_aave_account_set_position(a, m, 0, u(coll), u(0),
                                           KEEL_AAVE_COLLATERAL | KEEL_AAVE_UNDERLYING));
        die(keel_aave_account_set_position(a, m, 1, u(0), u(debt_of(k, coll, 83, 100)),
                                           KEEL_AAVE_UNDERLYING));
        v->accounts[k] = a;
        die(keel_aave_to_keel(m, a, &x[k].m, &x[k].b, &x[k].h, NULL, 0, NULL));
    }
}

static void make_comet(venue *v, bridged *x, size_t n)
{
    keel_comet_base b = KEEL_COMET_BASE_INIT;
    b.price = u(100000000ull);
    keel_comet_market *m;
    die(keel_comet_market_new("USDC", &b, &m));
    keel_comet_asset a = KEEL_COMET_ASSET_INIT;
    a.price = u(200000000000ull);
    a.borrow_collateral_factor = 825000000000000000ull;
    a.liquidate_collateral_factor = 895000000000000000ull;
    a.liquidation_factor = 950000000000000000ull;
    a.supply_cap = u(UINT64_MAX);
    die(keel_comet_market_add_asset(m, "WETH", &a, &(uint32_t){ 0 }));
    v->name = "Compound v3", v->market = m;
    v->accounts = calloc(n, sizeof *v->accounts);
    for (size_t k = 0; k < n; k++) {
        keel_comet_account *c;
        die(keel_comet_account_new(&c));
        uint64_t coll = (uint64_t)((1.0 + 9.0 * urand()) * 1e18);
        keel_comet_int p = { u(debt_of(k, coll, 895, 1000)), 1, 0 };
        die(keel_comet_account_set_principal(c, p));
        die(keel_comet_account_set_collateral(c, m, 0, u(coll)));
        v->accounts[k] = c;
        die(keel_comet_to_keel(m, c, &x[k].m, &x[k].b, &x[k].h, NULL, 0, NULL));
    }
}

static void make_morpho(venue *v, bridged *x, size_t n)
{
    keel_morpho_params p = KEEL_MORPHO_PARAMS_INIT;
    p.loan_decimals = 6;
    die(keel_u256_from_string("2000000000000000000000000000", &p.price));
    p.lltv = u(860000000000000000ull);
    keel_morpho_state st = KEEL_MORPHO_STATE_INIT;
    /* every account's debt inside the totals: 1e6 shares an asset, ample supply */
    st.total_supply_assets = u(UINT64_MAX);
    st.total_supply_shares = u(UINT64_MAX);
    st.total_borrow_assets = u(1000000000000000ull);
    st.total_borrow_shares = u(1000000000000000ull * 1000ull);
    keel_morpho_market *m;
    die(keel_morpho_market_new("USDC", "WETH", &p, &st, &m));
    v->name = "Morpho Blue", v->market = m;
    v->pos = calloc(n, sizeof *v->pos);
    for (size_t k = 0; k < n; k++) {
        uint64_t coll = (uint64_t)((1.0 + 9.0 * urand()) * 1e18);
        uint64_t debt = debt_of(k, coll, 86, 100);
        /* (1e15 + 1) assets for (1e18 + 1e6) shares: ~1e3 shares an asset */
        keel_u256 shares;
        die(keel_morpho_convert(KEEL_MORPHO_TO_SHARES_UP, u(debt), st.total_borrow_assets,
                                st.total_borrow_shares, &shares));
        keel_morpho_position pos = { u(0), shares, u(coll) };
        v->pos[k] = pos;
        die(keel_morpho_to_keel(m, &pos, &x[k].m, &x[k].b, &x[k].h, NULL, NULL));
    }
}

static void free_venue(venue *v, size_t n)
{
    for (size_t k = 0; v->accounts != NULL && k < n; k++) {
        if (strcmp(v->name, "Aave v3.6") == 0)
            keel_aave_account_free(v->accounts[k]);
        else
            keel_comet_account_free(v->accounts[k]);
    }
    if (strcmp(v->name, "Aave v3.6") == 0)
        keel_aave_market_free(v->market);
    else if (strcmp(v->name, "Compound v3") == 0)
        keel_comet_market_free(v->market);
    else
        keel_morpho_market_free(v->market);
    free(v->accounts);
    free(v->pos);
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 100000;
    int reps = argc > 2 ? atoi(argv[2]) : 9;
    if (n < 2 || reps < 1 || reps > 99)
        return 2;
    printf("%zu accounts a protocol, %d repetitions; thread CPU time, ns per account\n", n, reps);
    printf("| protocol | exact verdict, ns (min..max) | double peer, ns | median ratio | "
           "peer verdicts unlike the chain's (off the line) |\n|---|---:|---:|---:|---:|\n");
    void (*make[3])(venue *, bridged *, size_t) = { make_aave, make_comet, make_morpho };
    for (int p = 0; p < 3; p++) {
        venue v = { 0 };
        bridged *x = calloc(n, sizeof *x);
        make[p](&v, x, n);
        size_t unlike = 0, off_line = 0;
        volatile size_t sink = 0;
        for (size_t k = 0; k < n; k++) {
            bool differ = exact_verdict(&v, k) != double_verdict(&x[k]);
            unlike += differ;
            off_line += differ && k % 2 == 0;
        }
        double te[99], tp[99], ratio[99];
        for (int r = 0; r < reps; r++) {
            for (int order = 0; order < 2; order++) {
                bool exact_first = (r + order) % 2 == 0;
                double t0 = thread_ns();
                if (exact_first)
                    for (size_t k = 0; k < n; k++)
                        sink += exact_verdict(&v, k);
                else
                    for (size_t k = 0; k < n; k++)
                        sink += double_verdict(&x[k]);
                double t1 = thread_ns();
                if (exact_first)
                    te[r] = (t1 - t0) / (double)n;
                else
                    tp[r] = (t1 - t0) / (double)n;
            }
            ratio[r] = te[r] / tp[r];
        }
        double emin = te[0], emax = te[0];
        for (int r = 0; r < reps; r++)
            emin = fmin(emin, te[r]), emax = fmax(emax, te[r]);
        double rmed = median(ratio, (size_t)reps);
        double emed = median(te, (size_t)reps), pmed = median(tp, (size_t)reps);
        printf("| %s | %.1f (%.1f..%.1f) | %.1f | %.2f | %zu of %zu (%zu) |\n", v.name, emed, emin,
               emax, pmed, rmed, unlike, n, off_line);
        (void)sink;
        free_venue(&v, n);
        free_bridged(x, n);
    }
    return 0;
}

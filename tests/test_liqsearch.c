/* Liquidation-price searches that must not skip a narrow window (issue 12,
 * section 2), against the guarantee stated in include/keel/risk.h.
 *
 * Every expected price is worked by hand below: a closed form on a linear
 * stretch, the quadratic formula, or a bisection of a closed-form expression
 * written in this file (independent of keel's engine), or for options the
 * Black-Scholes formula (Black & Scholes 1973; Hull, "Options, Futures and
 * Other Derivatives", 10th ed., eq. 15.21) coded here from erfc. A
 * brute-force scan of HF on a fine grid (keel_basket_metrics in a re-priced
 * market) is used only to locate windows; on it a point counts as on the
 * other side only when HF is clear of 1 by more than rounding (1e-12). The
 * randomized tests check the guarantee itself: on a 20000-point geometric
 * grid between spot and the returned price (5000 points for option books),
 * no point is on the other side of HF = 1.
 *
 * The issue's account: TKN at 2000, depth 27778, liquidity add-on k = 0.5
 * capped at 0.3 (docs/haircuts.md, "Liquidity (size) add-on": a_liq =
 * min(cap, k sqrt(q p / depth))), base haircuts 0; 10 TKN collateral against
 * 6 TKN + 1020 USD of debt. The cap binds from 0.5 sqrt(10 p / 27778) = 0.3,
 * p_c = 0.36 x 27778 / 10 = 1000.008. Above p_c, L = 10 p (1 - 0.3) = 7 p and
 * W = 6 p + 1020, so L - W = p - 1020: the nearest crossing below spot is
 * p = 1020 exactly. Below p_c, L - W = 4 p - 5 p sqrt(10 p / 27778) - 1020,
 * negative at p_c (-19.99), so the account is liquidatable on a window
 * (~955, 1020) that a walk in 25% steps (2000, 1600, 1280, 1024, 819.2, ...)
 * steps over; it used to answer 630.33. */
#include <stdint.h>

#include <stdlib.h>

#include "testutil.h"

/* ---- accounts and a re-priced market ---- */

typedef struct account {
    keel_market *m;
    keel_haircut_model *h;
    keel_basket *b;
    keel_options *o;     /* NULL: no book */
    keel_market *moved;  /* a copy of m with one price moved (made on first use) */
} account;

static void account_new(account *a)
{
    memset(a, 0, sizeof *a);
    ck_ok(keel_market_new(&a->m));
    ck_ok(keel_haircut_model_new(&a->h));
    ck_ok(keel_basket_new(&a->b));
}

static void account_free(account *a)
{
    keel_options_free(a->o);
    keel_market_free(a->moved);
    keel_basket_free(a->b);
    keel_haircut_model_free(a->h);
    keel_market_free(a->m);
    memset(a, 0, sizeof *a);
}

/* The metrics with asset x at price p (the copy is made once: tests move
 * only x after their set-up). */
static keel_metrics metrics_at(account *a, keel_asset x, double p)
{
    if (a->moved == NULL)
        ck_ok(keel_market_clone(a->m, &a->moved));
    ck_ok(keel_market_set_price(a->moved, x, p));
    keel_metrics out = KEEL_METRICS_INIT;
    ck_ok(keel_basket_metrics(a->b, a->o, a->moved, a->h, &out));
    return out;
}

static double hf_at(account *a, keel_asset x, double p)
{
    return metrics_at(a, x, p).health_factor;
}

/* The side of HF = 1 the account is on at p, as keel decides it: 1 healthy
 * (L - W >= 0, HF >= 1), 0 liquidatable. */
static int side_at(account *a, keel_asset x, double p)
{
    return metrics_at(a, x, p).liquidation_buffer >= 0.0;
}

/* The side at p when it is clear of rounding, else -1 (|L - W| <=
 * 1e-12 max(L, W): HF within 1e-12 of 1, where rounding alone decides). */
static int clear_side_at(account *a, keel_asset x, double p)
{
    keel_metrics mt = metrics_at(a, x, p);
    double l = mt.liquidation_value, w = mt.weighted_debt, gap = l - w;
    if (fabs(gap) <= 1e-12 * fmax(l, w))
        return -1;
    return gap >= 0.0;
}

static double spot_of(const account *a, keel_asset x)
{
    double p;
    ck_ok(keel_market_price(a->m, x, &p));
    return p;
}

/* Brute force: the first point of a geometric grid of n points from spot
 * (excluded) towards `end` (excluded) on the other side of HF = 1 than spot;
 * 0 when none. */
static double first_other_side(account *a, keel_asset x, double end, int n)
{
    double spot = spot_of(a, x);
    int start = side_at(a, x, spot);
    for (int i = 1; i < n; i++) {
        double p = spot * pow(end / spot, (double)i / n);
        int s = clear_side_at(a, x, p);
        if (s >= 0 && s != start)
            return p;
    }
    return 0.0;
}

/* Bisection of a closed-form f on [lo, hi] with f(lo), f(hi) of opposite
 * signs, to adjacent doubles. */
static double bisect(double (*f)(double), double lo, double hi)
{
    double flo = f(lo);
    ck_assert((flo < 0.0) != (f(hi) < 0.0));
    for (;;) {
        double mid = 0.5 * (lo + hi);
        if (!(mid > lo && mid < hi))
            return mid;
        if ((f(mid) < 0.0) == (flo < 0.0))
            lo = mid;
        else
            hi = mid;
    }
}

static void ck_rel(double got, double want, double tol)
{
    ck_assert_msg(fabs(got - want) <= tol * fabs(want), "got %.17g, expected %.17g", got, want);
}

/* ---- the issue's account ---- */

enum { TKN, USD, ETH };

/* L - W of the issue's account at TKN price p, worked by hand (header). */
static double issue_gap(double p)
{
    double a = fmin(0.3, 0.5 * sqrt(10.0 * p / 27778.0));
    return 10.0 * p * (1.0 - a) - 6.0 * p - 1020.0;
}

static void issue_account(account *a, double spot)
{
    account_new(a);
    ck_ok(keel_market_add_asset(a->m, "TKN", spot, NULL));
    ck_ok(keel_market_add_asset(a->m, "USD", 1.0, NULL));
    ck_ok(keel_market_set_depth(a->m, TKN, 27778.0));
    ck_ok(keel_haircut_model_set_asset(a->h, TKN, 0.0, 0.0));
    ck_ok(keel_haircut_model_set_liquidity_addon(a->h, 0.5, 0.3));
    ck_ok(keel_basket_set_collateral(a->b, TKN, 10.0));
    ck_ok(keel_basket_set_debt(a->b, TKN, 6.0));
    ck_ok(keel_basket_set_debt(a->b, USD, 1020.0));
}

START_TEST(issue_window_below)
{
    account a;
    issue_account(&a, 2000.0);
    /* HF(1000) = 10000 (1 - 0.5 sqrt(10000 / 27778)) / 7020 = 0.99715 */
    double hf1000 = 10000.0 * (1.0 - 0.5 * sqrt(10000.0 / 27778.0)) / 7020.0;
    ck_rel(hf_at(&a, TKN, 1000.0), hf1000, 1e-14);
    ck_close(hf1000, 0.99715, 5e-6);
    double p;
    keel_liquidation_side side;
    ck_ok(keel_basket_liquidation_price(a.b, NULL, a.m, a.h, TKN, &p, &side));
    ck_rel(p, 1020.0, 1e-9);
    ck_assert_int_eq(side, KEEL_LIQ_BELOW);
    double lo, hi;
    ck_ok(keel_basket_liquidation_prices(a.b, NULL, a.m, a.h, TKN, &lo, &hi));
    ck_rel(lo, 1020.0, 1e-9);
    ck_assert(hi == INFINITY); /* L - W = p - 1020 > 0 for every p > 1020 */
    /* the window: from the root of the closed form below p_c (bisection on
     * the hand-worked expression) to 1020; the brute-force grid agrees */
    double edge = bisect(issue_gap, 900.0, 1000.0);
    ck_assert(edge > 950.0 && edge < 960.0);
    ck_assert_double_lt(hf_at(&a, TKN, edge * (1 + 1e-6)), 1.0);
    ck_assert_double_gt(hf_at(&a, TKN, edge * (1 - 1e-6)), 1.0);
    ck_rel(first_other_side(&a, TKN, 0.5 * 2000.0, 20000), 1020.0, 1e-4);
    /* the old answer, 630.33, is also a crossing, but beyond the window */
    double far = bisect(issue_gap, 500.0, 800.0);
    ck_rel(far, 630.3155492282744, 1e-9);
    account_free(&a);
}
END_TEST

START_TEST(issue_window_above_and_from_inside)
{
    /* Spot 900, below the window: L - W = 4 (900) - 5 (900) sqrt(9000 / 27778)
     * - 1020 = 18.6 > 0. A rising TKN price (TKN is also the debt) liquidates
     * at the window's lower edge (~955, the root of the closed form), nearer
     * than the crossing below (630.33); a 25% walk up (1125: 105 > 0) steps
     * over it. */
    account a;
    issue_account(&a, 900.0);
    double edge = bisect(issue_gap, 900.0, 1000.0), far = bisect(issue_gap, 500.0, 800.0);
    ck_assert_double_gt(issue_gap(900.0), 18.0);
    double p;
    keel_liquidation_side side;
    ck_ok(keel_basket_liquidation_price(a.b, NULL, a.m, a.h, TKN, &p, &side));
    ck_rel(p, edge, 1e-9);
    ck_assert_int_eq(side, KEEL_LIQ_ABOVE);
    double lo, hi;
    ck_ok(keel_basket_liquidation_prices(a.b, NULL, a.m, a.h, TKN, &lo, &hi));
    ck_rel(lo, far, 1e-9);
    ck_rel(hi, edge, 1e-9);
    account_free(&a);

    /* Spot 1000, inside the window (HF 0.99715): health returns at 1020 above
     * and at the edge below; 1020 is nearer (1.02 against 1000 / 955), and
     * the price must regain it: side BELOW with a price above spot. */
    issue_account(&a, 1000.0);
    ck_ok(keel_basket_liquidation_price(a.b, NULL, a.m, a.h, TKN, &p, &side));
    ck_rel(p, 1020.0, 1e-9);
    ck_assert_int_eq(side, KEEL_LIQ_BELOW);
    ck_ok(keel_basket_liquidation_prices(a.b, NULL, a.m, a.h, TKN, &lo, &hi));
    ck_rel(lo, edge, 1e-9);
    ck_rel(hi, 1020.0, 1e-9);
    account_free(&a);
}
END_TEST

/* ---- the concentration threshold ---- */

/* 10 TKN (base haircut 0, max share 0.5, extra 1, cap 0.3) and 4000 USDC
 * (haircut 0) against 6 TKN + 5020 USD. docs/haircuts.md, "Concentration":
 * s = 10 p / (4000 + 10 p), e = 1 - 0.5 (4000 + 10 p) / (10 p) = 0.5 - 200 / p
 * above the threshold s = 0.5 (p = 400); TKN's haircut min(0.3, e) reaches
 * the cap at p = 1000. So
 *   p <= 400:        L = 10 p + 4000,       L - W = 4 p - 1020  (root 255)
 *   400 < p < 1000:  L = 10 p (0.5 + 200/p) + 4000 = 5 p + 6000,
 *                                           L - W = 980 - p     (root 980)
 *   p >= 1000:       L = 7 p + 4000,        L - W = p - 1020    (root 1020)
 * and the window (980, 1020) around the cap. */
static void concentration_account(account *a, double spot)
{
    account_new(a);
    ck_ok(keel_market_add_asset(a->m, "TKN", spot, NULL));
    ck_ok(keel_market_add_asset(a->m, "USD", 1.0, NULL));
    ck_ok(keel_market_add_asset(a->m, "USDC", 1.0, NULL));
    ck_ok(keel_haircut_model_set_asset(a->h, TKN, 0.0, 0.0));
    ck_ok(keel_haircut_model_set_asset(a->h, 2, 0.0, 0.0));
    ck_ok(keel_haircut_model_set_concentration(a->h, TKN, 0.5, 1.0));
    ck_ok(keel_haircut_model_set_cap(a->h, TKN, 0.3));
    ck_ok(keel_basket_set_collateral(a->b, TKN, 10.0));
    ck_ok(keel_basket_set_collateral(a->b, 2, 4000.0));
    ck_ok(keel_basket_set_debt(a->b, TKN, 6.0));
    ck_ok(keel_basket_set_debt(a->b, USD, 5020.0));
}

START_TEST(concentration_threshold_window)
{
    account a;
    concentration_account(&a, 2000.0);
    /* the three stretches, by hand, against the engine */
    ck_rel(metrics_at(&a, TKN, 300.0).liquidation_buffer, 4 * 300.0 - 1020, 1e-13);
    ck_rel(metrics_at(&a, TKN, 700.0).liquidation_buffer, 980 - 700.0, 1e-13);
    ck_rel(metrics_at(&a, TKN, 1000.0).liquidation_buffer, -20.0, 1e-12);
    ck_rel(metrics_at(&a, TKN, 1500.0).liquidation_buffer, 1500.0 - 1020, 1e-13);
    double p, lo, hi;
    keel_liquidation_side side;
    ck_ok(keel_basket_liquidation_price(a.b, NULL, a.m, a.h, TKN, &p, &side));
    ck_rel(p, 1020.0, 1e-9); /* a 25% walk: 1024 (+4), 819.2 (+160.8), ... 255 */
    ck_assert_int_eq(side, KEEL_LIQ_BELOW);
    ck_ok(keel_basket_liquidation_prices(a.b, NULL, a.m, a.h, TKN, &lo, &hi));
    ck_rel(lo, 1020.0, 1e-9);
    ck_assert(hi == INFINITY);
    account_free(&a);

    /* From 700 (L - W = 280): rising to 980 liquidates (a 25% walk looks at
     * 875: +105 and 1093.75: +73.75); falling, 255. Both sides exact. */
    concentration_account(&a, 700.0);
    ck_ok(keel_basket_liquidation_price(a.b, NULL, a.m, a.h, TKN, &p, &side));
    ck_rel(p, 980.0, 1e-9);
    ck_assert_int_eq(side, KEEL_LIQ_ABOVE);
    ck_ok(keel_basket_liquidation_prices(a.b, NULL, a.m, a.h, TKN, &lo, &hi));
    ck_rel(lo, 255.0, 1e-9);
    ck_rel(hi, 980.0, 1e-9);
    account_free(&a);
}
END_TEST

/* ---- portfolio VaR ---- */

/* The issue's account with portfolio mode (99%, 5 days: k = z sqrt(5/365),
 * z = 2.3263478740408408 from Python's statistics.NormalDist), TKN
 * volatility 0.05, and 1 ETH of collateral (2000, volatility 0.8,
 * correlation 0.5 with TKN, haircut 0), against 6 TKN + 2554 USD.
 * docs/haircuts.md, "Portfolio (correlation) mode": w = (4 p, 2000) (USD has
 * no volatility), VaR = k sqrt(0.05^2 16 p^2 + 2 (0.5)(0.05)(0.8)(4 p)(2000)
 * + 0.8^2 2000^2). Above the liquidity cap (p >= 1000.008) L - W =
 * 7 p + 2000 - VaR - 6 p - 2554 = p - 554 - VaR, zero where
 * (p - 554)^2 = VaR^2: a quadratic in p, solved below. At p_c,
 * L - W = -19.26 < 0: a window again, stepped over by a 25% walk
 * (1024: +3.96, 819.2: +38.9). */
START_TEST(portfolio_var_window)
{
    const double z = 2.3263478740408408, k = z * sqrt(5.0 / 365.0);
    account a;
    issue_account(&a, 2000.0);
    ck_ok(keel_basket_set_debt(a.b, USD, 2554.0));
    ck_ok(keel_market_add_asset(a.m, "ETH", 2000.0, NULL));
    ck_ok(keel_market_set_volatility(a.m, TKN, 0.05));
    ck_ok(keel_market_set_volatility(a.m, ETH, 0.8));
    ck_ok(keel_market_set_correlation(a.m, TKN, ETH, 0.5));
    ck_ok(keel_haircut_model_set_asset(a.h, ETH, 0.0, 0.0));
    ck_ok(keel_haircut_model_set_volatility_addon(a.h, 0.99, 5.0));
    ck_ok(keel_haircut_model_set_portfolio_mode(a.h, 1));
    ck_ok(keel_basket_set_collateral(a.b, ETH, 1.0));
    /* (1 - k^2 16 s1^2) p^2 + (2 c - k^2 2 rho s1 s2 4 2000) p + c^2 - k^2 s2^2 2000^2 = 0,
     * c = -554; the root with p - 554 >= 0 */
    double s1 = 0.05, s2 = 0.8, rho = 0.5, c = -554.0;
    double qa = 1.0 - k * k * 16.0 * s1 * s1;
    double qb = 2.0 * c - k * k * 2.0 * rho * s1 * s2 * 4.0 * 2000.0;
    double qc = c * c - k * k * s2 * s2 * 2000.0 * 2000.0;
    double want = (-qb + sqrt(qb * qb - 4.0 * qa * qc)) / (2.0 * qa);
    ck_assert(want > 1000.008 && want + c >= 0.0);
    ck_rel(want, 1019.9047231984811, 1e-12); /* the same root, worked in Python */
    ck_assert_double_lt(hf_at(&a, TKN, 1000.0), 1.0);
    ck_assert_double_gt(hf_at(&a, TKN, 1024.0), 1.0);
    ck_assert_double_gt(hf_at(&a, TKN, 819.2), 1.0);
    double p, lo, hi;
    keel_liquidation_side side;
    ck_ok(keel_basket_liquidation_price(a.b, NULL, a.m, a.h, TKN, &p, &side));
    ck_rel(p, want, 1e-9);
    ck_assert_int_eq(side, KEEL_LIQ_BELOW);
    ck_ok(keel_basket_liquidation_prices(a.b, NULL, a.m, a.h, TKN, &lo, &hi));
    ck_rel(lo, want, 1e-9);
    ck_rel(first_other_side(&a, TKN, 500.0, 20000), want, 1e-4);
    account_free(&a);
}
END_TEST

/* ---- options ---- */

/* Black-Scholes put, no rate or carry: K N(-d2) - S N(-d1). */
static double bs_put(double s, double k, double t, double v)
{
    double d1 = (log(s / k) + 0.5 * v * v * t) / (v * sqrt(t)), d2 = d1 - v * sqrt(t);
    return k * 0.5 * erfc(d2 / sqrt(2.0)) - s * 0.5 * erfc(d1 / sqrt(2.0));
}

START_TEST(expired_butterfly_window_between_strikes)
{
    /* A short put butterfly that has expired (value = intrinsic, piecewise
     * linear with kinks at the strikes) on an asset with no volatility (its
     * margin is 0): -10 P(1000) + 20 P(1010) - 10 P(1020) is -10 (S - 1000)
     * on [1000, 1010], -10 (1020 - S) on [1010, 1020] and 0 elsewhere.
     * USDC 5050 (haircut 0) against 5000: L - W = 50 + value, negative on
     * (1005, 1015), a window 1% wide that a 25% walk (1024, 819.2) and even
     * the 1.09% grid can step over -- but it holds the strike 1010, which
     * the search reads. From 2000: 1015 below; from 900: 1005 above. */
    account a;
    account_new(&a);
    ck_ok(keel_market_add_asset(a.m, "ETH", 2000.0, NULL));
    ck_ok(keel_market_add_asset(a.m, "USDC", 1.0, NULL));
    ck_ok(keel_haircut_model_set_asset(a.h, 1, 0.0, 0.0));
    ck_ok(keel_basket_set_collateral(a.b, 1, 5050.0));
    ck_ok(keel_basket_set_debt(a.b, 1, 5000.0));
    ck_ok(keel_options_new(&a.o));
    ck_ok(keel_options_add(a.o, 0, KEEL_PUT, 1000.0, 0.0, -10.0, NULL));
    ck_ok(keel_options_add(a.o, 0, KEEL_PUT, 1010.0, 0.0, 20.0, NULL));
    ck_ok(keel_options_add(a.o, 0, KEEL_PUT, 1020.0, 0.0, -10.0, NULL));
    ck_rel(metrics_at(&a, 0, 1010.0).liquidation_buffer, -50.0, 1e-12);
    ck_rel(metrics_at(&a, 0, 1024.0).liquidation_buffer, 50.0, 1e-12);
    double p, lo, hi;
    keel_liquidation_side side;
    ck_ok(keel_basket_liquidation_price(a.b, a.o, a.m, a.h, 0, &p, &side));
    ck_rel(p, 1015.0, 1e-9);
    ck_assert_int_eq(side, KEEL_LIQ_BELOW);
    ck_ok(keel_basket_liquidation_prices(a.b, a.o, a.m, a.h, 0, &lo, &hi));
    ck_rel(lo, 1015.0, 1e-9);
    ck_assert(hi == INFINITY);
    ck_ok(keel_market_set_price(a.m, 0, 900.0));
    ck_ok(keel_basket_liquidation_prices(a.b, a.o, a.m, a.h, 0, &lo, &hi));
    ck_assert(lo == 0.0);
    ck_rel(hi, 1005.0, 1e-9);
    account_free(&a);
}
END_TEST

/* L - W of the live butterfly account at ETH price s (below). */
static double live_gap(double s)
{
    const double t = 30.0 / 365.0, v = 0.5;
    return 240.0 - 10.0 * bs_put(s, 1000.0, t, v) + 20.0 * bs_put(s, 1100.0, t, v) -
           10.0 * bs_put(s, 1200.0, t, v);
}

START_TEST(live_butterfly_window)
{
    /* The same shape alive: 30 days, volatility 0.5, strikes 1000/1100/1200,
     * and a margin of 0 (one scenario that counts nothing), so L - W =
     * 240 + value, the value from the Black-Scholes formula coded above:
     * its minimum, -244.8 near 1100, makes a window of about (1068, 1148)
     * (7%), between the 25% walk's 1280 and 1024. The nearest crossing below
     * 2000 is the root of live_gap above 1100, found here by bisection. */
    account a;
    account_new(&a);
    ck_ok(keel_market_add_asset(a.m, "ETH", 2000.0, NULL));
    ck_ok(keel_market_add_asset(a.m, "USDC", 1.0, NULL));
    ck_ok(keel_market_set_volatility(a.m, 0, 0.5));
    ck_ok(keel_haircut_model_set_asset(a.h, 1, 0.0, 0.0));
    ck_ok(keel_basket_set_collateral(a.b, 1, 10240.0));
    ck_ok(keel_basket_set_debt(a.b, 1, 10000.0));
    ck_ok(keel_options_new(&a.o));
    ck_ok(keel_options_add(a.o, 0, KEEL_PUT, 1000.0, 30.0 / 365, -10.0, NULL));
    ck_ok(keel_options_add(a.o, 0, KEEL_PUT, 1100.0, 30.0 / 365, 20.0, NULL));
    ck_ok(keel_options_add(a.o, 0, KEEL_PUT, 1200.0, 30.0 / 365, -10.0, NULL));
    keel_scenario none = { 0.0, 0.0, 0.0 };
    keel_margin_params mp = KEEL_MARGIN_PARAMS_INIT;
    mp.scenarios = &none;
    mp.scenario_count = 1;
    ck_ok(keel_options_set_margin_params(a.o, &mp));
    ck_rel(metrics_at(&a, 0, 1100.0).liquidation_buffer, live_gap(1100.0), 1e-10);
    double upper = bisect(live_gap, 1100.0, 1280.0), lower = bisect(live_gap, 1000.0, 1100.0);
    ck_assert(upper > 1140.0 && upper < 1160.0 && lower > 1060.0 && lower < 1080.0);
    ck_assert(live_gap(1280.0) > 0.0 && live_gap(1024.0) > 0.0);
    double p, lo, hi;
    keel_liquidation_side side;
    ck_ok(keel_basket_liquidation_price(a.b, a.o, a.m, a.h, 0, &p, &side));
    ck_rel(p, upper, 1e-9);
    ck_assert_int_eq(side, KEEL_LIQ_BELOW);
    ck_rel(first_other_side(&a, 0, 1000.0, 20000), upper, 1e-4);
    /* from inside the window, both edges */
    ck_ok(keel_market_set_price(a.m, 0, 1100.0));
    ck_ok(keel_basket_liquidation_prices(a.b, a.o, a.m, a.h, 0, &lo, &hi));
    ck_rel(lo, lower, 1e-9);
    ck_rel(hi, upper, 1e-9);
    account_free(&a);
}
END_TEST

START_TEST(book_on_another_asset)
{
    /* 10 TKN (volatility 5) against 2 TKN + 1000 USD in portfolio mode (99%,
     * 5 days): w = 8 p, VaR = k 5 (8 p) = 10.9 p > L before the VaR = 10 p, so
     * the basket counts for nothing (L = max(0, Lb - VaR) = 0); a book of 20
     * long ETH calls (not on TKN: its value V and margin M are constants,
     * from keel_options_value and keel_options_scenario_margin) makes
     * L = max(0, 0 + V) = V and W = 2 p + 1000 + M, so L - W = V - M - 1000 -
     * 2 p and TKN liquidates above p = (V - M - 1000) / 2. Without the TKN
     * debt W is constant: never. */
    account a;
    account_new(&a);
    ck_ok(keel_market_add_asset(a.m, "TKN", 2000.0, NULL));
    ck_ok(keel_market_add_asset(a.m, "USD", 1.0, NULL));
    ck_ok(keel_market_add_asset(a.m, "ETH", 3000.0, NULL));
    ck_ok(keel_market_set_volatility(a.m, TKN, 5.0));
    ck_ok(keel_market_set_volatility(a.m, ETH, 0.8));
    ck_ok(keel_haircut_model_set_asset(a.h, TKN, 0.0, 0.0));
    ck_ok(keel_haircut_model_set_volatility_addon(a.h, 0.99, 5.0));
    ck_ok(keel_haircut_model_set_portfolio_mode(a.h, 1));
    ck_ok(keel_basket_set_collateral(a.b, TKN, 10.0));
    ck_ok(keel_basket_set_debt(a.b, TKN, 2.0));
    ck_ok(keel_basket_set_debt(a.b, USD, 1000.0));
    ck_ok(keel_options_new(&a.o));
    ck_ok(keel_options_add(a.o, ETH, KEEL_CALL, 2000.0, 30.0 / 365, 20.0, NULL));
    double v;
    keel_margin_result mr = KEEL_MARGIN_RESULT_INIT;
    ck_ok(keel_options_value(a.o, a.m, &v));
    ck_ok(keel_options_scenario_margin(a.o, a.m, &mr));
    double want = (v - mr.margin - 1000.0) / 2.0;
    ck_assert(want > 2000.0);
    ck_rel(metrics_at(&a, TKN, 1500.0).liquidation_value, v, 1e-14);
    double p, lo, hi;
    keel_liquidation_side side;
    ck_ok(keel_basket_liquidation_price(a.b, a.o, a.m, a.h, TKN, &p, &side));
    ck_rel(p, want, 1e-9);
    ck_assert_int_eq(side, KEEL_LIQ_ABOVE);
    ck_ok(keel_basket_liquidation_prices(a.b, a.o, a.m, a.h, TKN, &lo, &hi));
    ck_assert(lo == 0.0);
    ck_rel(hi, want, 1e-9);
    ck_ok(keel_basket_set_debt(a.b, TKN, 0.0));
    ck_ok(keel_basket_liquidation_price(a.b, a.o, a.m, a.h, TKN, &p, &side));
    ck_assert(p == 0.0 && side == KEEL_LIQ_NEVER);
    account_free(&a);
}
END_TEST

START_TEST(subnormal_prices_end_cleanly)
{
    /* The issue's account scaled down to subnormal prices (TKN at 1e-318,
     * depth scaled alike, 1e-316 USD of debt): L - W = 7 p - 6 p - 1e-316 on
     * the capped stretch, so the account regains health above 1e-316. Below
     * about 1e-321 values keep too few bits for the interpolation's check to
     * pass: those pieces fall back to the grid, and the search still ends
     * with the crossing. */
    account a;
    account_new(&a);
    ck_ok(keel_market_add_asset(a.m, "TKN", 1e-318, NULL));
    ck_ok(keel_market_add_asset(a.m, "USD", 1.0, NULL));
    ck_ok(keel_market_set_depth(a.m, TKN, 27778.0 * 1e-318 / 2000.0));
    ck_ok(keel_haircut_model_set_asset(a.h, TKN, 0.0, 0.0));
    ck_ok(keel_haircut_model_set_liquidity_addon(a.h, 0.5, 0.3));
    ck_ok(keel_basket_set_collateral(a.b, TKN, 10.0));
    ck_ok(keel_basket_set_debt(a.b, TKN, 6.0));
    ck_ok(keel_basket_set_debt(a.b, USD, 1e-316));
    double p, lo, hi;
    keel_liquidation_side side;
    ck_ok(keel_basket_liquidation_price(a.b, NULL, a.m, a.h, TKN, &p, &side));
    ck_rel(p, 1e-316, 1e-3); /* a subnormal keeps about 10 bits here */
    ck_assert_int_eq(side, KEEL_LIQ_BELOW);
    ck_ok(keel_basket_liquidation_prices(a.b, NULL, a.m, a.h, TKN, &lo, &hi));
    ck_assert(lo == 0.0 && hi == p);
    account_free(&a);
}
END_TEST

/* ---- stress tests ---- */

START_TEST(stress_uniform_shock_agrees)
{
    /* keel has no uniform-shock search: keel_stress and
     * keel_liquidations_at_risk value an account at the shocks given. They
     * must agree with the liquidation price: on the issue's account TKN
     * falling 50% (to 1000, inside the window) liquidates (HF 0.99715 by
     * hand), 49% (to 1020) is the boundary (L = W = 7140), 40% and 65% (1200
     * and 700) do not. TKN needs a volatility for the at-risk curve to move
     * it (its haircut model has no volatility add-on: HF is unchanged). */
    account a;
    issue_account(&a, 2000.0);
    ck_ok(keel_market_set_volatility(a.m, TKN, 0.5));
    const double shocks[5] = { -0.4, -0.49, -0.5, -0.52, -0.65 };
    keel_metrics out[5];
    for (int i = 0; i < 5; i++)
        out[i] = (keel_metrics)KEEL_METRICS_INIT;
    keel_asset tkn = TKN;
    ck_ok(keel_stress(a.b, NULL, a.m, a.h, 5, 1, &tkn, shocks, out));
    ck_rel(out[2].health_factor, 10000.0 * (1.0 - 0.5 * sqrt(10000.0 / 27778.0)) / 7020.0, 1e-14);
    ck_close(out[1].health_factor, 1.0, 1e-14);
    ck_assert_double_gt(out[0].health_factor, 1.0);
    ck_assert_double_lt(out[3].health_factor, 1.0); /* 960: still inside the window */
    ck_assert_double_gt(out[4].health_factor, 1.0);
    double p;
    ck_ok(keel_basket_liquidation_price(a.b, NULL, a.m, a.h, TKN, &p, NULL));
    ck_rel(p, 2000.0 * (1.0 + shocks[1]), 1e-9);

    /* the same account as one row of the at-risk curve: counted (its
     * collateral at shocked prices, 10 x 1000) only inside the window */
    size_t off[2] = { 0, 2 };
    keel_asset as[2] = { TKN, USD };
    double q[2] = { 10.0, 0.0 }, d[2] = { 6.0, 1020.0 }, curve[5];
    ck_ok(keel_liquidations_at_risk(a.m, a.h, 1, off, as, q, d, 5, shocks, curve));
    ck_assert(curve[0] == 0.0 && curve[1] == 0.0 && curve[4] == 0.0);
    ck_rel(curve[2], 10000.0, 1e-14);
    ck_rel(curve[3], 9600.0, 1e-14);
    account_free(&a);
}
END_TEST

/* ---- randomized: the guarantee on accounts built to have narrow windows ---- */

static uint64_t rng_state;
static double uniform(void) /* xorshift64* */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717ull) >> 11) * 0x1.0p-53;
}
static double urange(double a, double b)
{
    return a + (b - a) * uniform();
}

enum { RX, RA, RB, RC };

/* An account whose surplus has a valley at a kink the search must know of:
 * the cap of X's liquidity add-on (family 0) or the cap reached by X's
 * concentration add-on (family 1), at a random price within 2^+-3 of spot,
 * with X's debt chosen so that the surplus falls before the kink and rises
 * after; other assets, concentration limits, the peg add-on and portfolio
 * mode perturb it. The stable debt is then set so that the surplus at the
 * valley's floor (on an 801-point grid) is -delta, delta from 1e-7 to 1e-2 of
 * L: windows from very narrow to a few percent, on either side of spot. */
static void random_account(account *a)
{
    account_new(a);
    const double volx[3] = { 0.0, 0.5, 0.9 }, depa[3] = { 1e3, 1e5, INFINITY };
    ck_ok(keel_market_add_asset(a->m, "X", 2000.0, NULL));
    ck_ok(keel_market_add_asset(a->m, "A", 100.0, NULL));
    ck_ok(keel_market_add_asset(a->m, "B", 1.0, NULL));
    ck_ok(keel_market_add_asset(a->m, "C", 50.0, NULL));
    ck_ok(keel_market_set_volatility(a->m, RX, volx[(int)(3 * uniform())]));
    ck_ok(keel_market_set_volatility(a->m, RA, uniform() < 0.5 ? 0.0 : 0.3));
    ck_ok(keel_market_set_volatility(a->m, RC, 0.6));
    ck_ok(keel_market_set_depth(a->m, RA, depa[(int)(3 * uniform())]));
    ck_ok(keel_market_set_depth(a->m, RC, 1e5));
    ck_ok(keel_market_set_correlation(a->m, RX, RC, urange(-0.5, 0.9)));
    ck_ok(keel_market_set_correlation(a->m, RX, RA, urange(-0.3, 0.5)));
    double hx = urange(0.0, 0.2);
    ck_ok(keel_haircut_model_set_asset(a->h, RX, hx + 0.05, hx));
    for (keel_asset i = RA; i <= RC; i++) {
        double mh = urange(0.0, 0.3);
        if (i != RC || uniform() < 0.8) /* C sometimes counts for nothing */
            ck_ok(keel_haircut_model_set_asset(a->h, i, mh + 0.05, mh));
        if (uniform() < 0.3)
            ck_ok(keel_haircut_model_set_concentration(a->h, i, urange(0.2, 0.9), uniform()));
    }
    if (uniform() < 0.3)
        ck_ok(keel_haircut_model_set_borrow_factor(a->h, RB, urange(1.0, 1.3)));
    double q = urange(1.0, 20.0), pc = 2000.0 * pow(2.0, urange(-3.0, 3.0)), d;
    ck_ok(keel_basket_set_collateral(a->b, RX, q));
    int family = uniform() < 0.5;
    if (family == 0) { /* slope q (1 - hx - 1.5 c) - d < 0 < q (1 - hx - c) - d */
        double k = urange(0.2, 1.0), c = urange(0.1, 0.4);
        ck_ok(keel_haircut_model_set_liquidity_addon(a->h, k, c));
        ck_ok(keel_market_set_depth(a->m, RX, pc * q * (k / c) * (k / c)));
        d = q * (1.0 - hx - c * urange(1.05, 1.45));
        if (uniform() < 0.3) /* a limit on X too: with EXCLUDE, (1 - h(u)) m C(p) */
            ck_ok(keel_haircut_model_set_concentration(a->h, RX, urange(0.3, 0.9), uniform()));
    } else { /* slope q (1 - hx - x (1 - m)) - d < 0 < q (1 - cap) - d */
        double m = urange(0.2, 0.7), x = urange(0.5, 1.0), e_cap = urange(0.2, 0.8) * (1.0 - m);
        double cap = hx + x * e_cap;
        ck_ok(keel_haircut_model_set_concentration(a->h, RX, m, x));
        ck_ok(keel_haircut_model_set_cap(a->h, RX, cap));
        ck_ok(keel_basket_set_collateral(a->b, RB, q * pc * (1.0 - m - e_cap) / m));
        d = urange(fmax(0.0, q * (1.0 - hx - x * (1.0 - m))), q * (1.0 - cap));
    }
    if (d > 0.0)
        ck_ok(keel_basket_set_debt(a->b, RX, d));
    double scale = q * pc;
    if (uniform() < 0.3)
        ck_ok(keel_basket_set_collateral(a->b, RA, urange(0.0, 0.2) * scale / 100.0));
    if (uniform() < 0.3)
        ck_ok(keel_basket_set_collateral(a->b, RC, urange(0.0, 0.2) * scale / 50.0));
    if (uniform() < 0.3)
        ck_ok(keel_basket_set_debt(a->b, RA, urange(0.0, 0.05) * scale / 100.0));
    if (uniform() < 0.3)
        ck_ok(keel_haircut_model_set_concentration_mode(
            a->h, family == 0 ? KEEL_CONCENTRATION_EXCLUDE : KEEL_CONCENTRATION_EXTRA));
    if (uniform() < 0.3) {
        ck_ok(keel_haircut_model_set_peg_mismatch_addon(a->h, urange(0.0, 0.05)));
        ck_ok(keel_haircut_model_set_peg_group(a->h, RA, 1));
        ck_ok(keel_haircut_model_set_peg_group(a->h, RB, 1));
        if (uniform() < 0.5) /* X's debt inside A's and B's group */
            ck_ok(keel_haircut_model_set_peg_group(a->h, RX, 1));
    }
    if (uniform() < 0.3) {
        ck_ok(keel_haircut_model_set_volatility_addon(a->h, 0.99, urange(0.1, 2.0)));
        if (uniform() < 0.7)
            ck_ok(keel_haircut_model_set_portfolio_mode(a->h, 1));
    }
    ck_ok(keel_basket_set_debt(a->b, RB, 1.0));
    double best = INFINITY, best_l = 0.0;
    for (int i = 0; i <= 800; i++) {
        keel_metrics mt = metrics_at(a, RX, pc * pow(2.0, -0.5 + i / 800.0));
        if (mt.liquidation_buffer < best) {
            best = mt.liquidation_buffer;
            best_l = mt.liquidation_value;
        }
    }
    double delta = pow(10.0, urange(-7.0, -2.0)) * best_l;
    ck_ok(keel_basket_set_debt(a->b, RB, fmax(0.0, 1.0 + best + delta)));
}

/* The old search, for the record: 25% steps from spot until the side
 * changes: the bracket it would have refined, or false when none. */
static bool old_walk(account *a, keel_asset x, double factor, double *lo, double *hi)
{
    double spot = spot_of(a, x), prev = spot;
    int start = side_at(a, x, spot);
    for (int i = 0; i < 199; i++) {
        double p = prev * factor;
        if (side_at(a, x, p) != start) {
            *lo = fmin(prev, p);
            *hi = fmax(prev, p);
            return true;
        }
        prev = p;
    }
    return false;
}

/* The guarantee on one side: the returned crossing (or, with none, the end
 * of a 2^8 range) has no point of the other side before it on a grid of
 * `points`; a returned crossing has HF = 1 within 1e-9. */
static void check_side(account *a, keel_asset x, double found, double none_end, int points)
{
    double spot = spot_of(a, x);
    bool has = found > 0.0 && isfinite(found);
    double end = has ? found : none_end;
    if (has && (end > spot ? end > 256.0 * spot : end < spot / 256.0))
        end = end > spot ? 256.0 * spot : spot / 256.0;
    double bad = first_other_side(a, x, end, points);
    ck_assert_msg(bad == 0.0, "spot %.17g: side changes at %.17g before %.17g", spot, bad, found);
    if (has)
        ck_close(hf_at(a, x, found), 1.0, 1e-9);
}

/* Under valgrind (KEEL_TEST_QUICK set by the test setup) the randomized
 * tests run a tenth of their accounts. */
static int quick_divisor(void)
{
    return getenv("KEEL_TEST_QUICK") != NULL ? 10 : 1;
}

START_TEST(random_nonlinear_accounts)
{
    rng_state = 0x9e3779b97f4a7c15ull;
    int old_wrong = 0, accounts = 300 / quick_divisor();
    for (int n = 0; n < accounts; n++) {
        account a;
        random_account(&a);
        double lo, hi, p;
        keel_liquidation_side side;
        ck_ok(keel_basket_liquidation_prices(a.b, NULL, a.m, a.h, RX, &lo, &hi));
        check_side(&a, RX, lo, 2000.0 / 256.0, 20000);
        check_side(&a, RX, hi, 2000.0 * 256.0, 20000);
        /* the single price is the nearer of the two */
        ck_ok(keel_basket_liquidation_price(a.b, NULL, a.m, a.h, RX, &p, &side));
        if (lo > 0.0 && (!isfinite(hi) || log(2000.0 / lo) <= log(hi / 2000.0)))
            ck_assert(p == lo);
        else if (isfinite(hi))
            ck_assert(p == hi);
        else
            ck_assert(p == 0.0 && (side == KEEL_LIQ_NEVER || side == KEEL_LIQ_ALWAYS));
        /* would the 25% walk have bracketed the same crossings? */
        double olo, ohi;
        bool below = old_walk(&a, RX, 0.8, &olo, &ohi);
        bool wrong = below != (lo > 0.0) || (below && !(lo >= olo && lo <= ohi));
        bool above = old_walk(&a, RX, 1.25, &olo, &ohi);
        wrong = wrong || above != isfinite(hi) || (above && !(hi >= olo && hi <= ohi));
        old_wrong += wrong;
        account_free(&a);
    }
    /* the accounts are hard: the old walk got many of them wrong */
    ck_assert_msg(old_wrong >= accounts / 5, "only %d of %d accounts defeat the 25%% walk",
                  old_wrong, accounts);
}
END_TEST

/* Options on the asset: the grid-mode guarantee. A random book of 2 to 4
 * options on ETH (calls and puts, strikes within 2^+-1.5 of spot, 1 to 60
 * days or expired, long or short; the default SPAN margin) against USDC,
 * with the buffer set so that the surplus at a local minimum (coarse grid)
 * is slightly negative. On a 5000-point grid between spot and the returned
 * price (at most 4 octaves: points 0.06% apart), any run of points on the
 * other side must be a window narrower than one search step (2^(1/64)) that
 * holds no strike. */
START_TEST(random_option_books)
{
    rng_state = 0x2545f4914f6cdd1dull;
    const double step = pow(2.0, 1.0 / 64.0);
    for (int n = 0; n < 40 / quick_divisor(); n++) {
        account a;
        account_new(&a);
        ck_ok(keel_market_add_asset(a.m, "ETH", 2000.0, NULL));
        ck_ok(keel_market_add_asset(a.m, "USDC", 1.0, NULL));
        ck_ok(keel_market_set_volatility(a.m, 0, urange(0.3, 1.0)));
        ck_ok(keel_haircut_model_set_asset(a.h, 1, 0.0, 0.0));
        ck_ok(keel_basket_set_debt(a.b, 1, 10000.0));
        ck_ok(keel_basket_set_collateral(a.b, 1, 10000.0));
        ck_ok(keel_options_new(&a.o));
        int count = 2 + (int)(3 * uniform());
        double strikes[4];
        for (int i = 0; i < count; i++) {
            strikes[i] = 2000.0 * pow(2.0, urange(-1.5, 1.5));
            double expiry = uniform() < 0.1 ? 0.0 : urange(1.0, 60.0) / 365.0;
            double qty = urange(1.0, 10.0) * (uniform() < 0.6 ? -1.0 : 1.0);
            ck_ok(keel_options_add(a.o, 0, uniform() < 0.5 ? KEEL_CALL : KEEL_PUT, strikes[i],
                                   expiry, qty, NULL));
        }
        /* the floor of a valley of the surplus on a coarse grid, -delta */
        double prev = INFINITY, cur = metrics_at(&a, 0, 2000.0 * pow(2.0, -2.0)).liquidation_buffer;
        double floor_gap = INFINITY;
        for (int i = 1; i < 400; i++) {
            double x = 2000.0 * pow(2.0, -2.0 + 4.0 * i / 400.0);
            double next = metrics_at(&a, 0, x).liquidation_buffer;
            if (cur < prev && cur <= next && cur < floor_gap && uniform() < 0.5)
                floor_gap = cur;
            prev = cur;
            cur = next;
        }
        if (isfinite(floor_gap))
            ck_ok(keel_basket_set_collateral(
                a.b, 1, fmax(0.0, 10000.0 - floor_gap - pow(10.0, urange(-4.0, 0.0)))));
        double lo, hi;
        ck_ok(keel_basket_liquidation_prices(a.b, a.o, a.m, a.h, 0, &lo, &hi));
        const double ends[2] = { lo > 0.0 ? fmax(lo, 2000.0 / 16) : 2000.0 / 16,
                                 isfinite(hi) ? fmin(hi, 2000.0 * 16) : 2000.0 * 16 };
        int start = side_at(&a, 0, 2000.0);
        for (int e = 0; e < 2; e++) {
            const int points = 5000; /* 0.06% apart: finer than a search step */
            double ratio = pow(ends[e] / 2000.0, 1.0 / points), run_first = 0.0, run_last = 0.0;
            for (int i = 1; i <= points; i++) {
                double p = 2000.0 * pow(ratio, i);
                int s = i < points ? clear_side_at(&a, 0, p) : start;
                bool other = s >= 0 && s != start;
                if (other) {
                    if (run_first == 0.0)
                        run_first = p;
                    run_last = p;
                } else if (run_first != 0.0) {
                    /* the run lies within (first / ratio, last x ratio) */
                    double a0 = fmin(run_first, run_last), a1 = fmax(run_first, run_last);
                    double r = ratio > 1.0 ? ratio : 1.0 / ratio;
                    ck_assert_msg(a1 * r / (a0 / r) < step, "a window %g..%g before %g", a0, a1,
                                  e == 0 ? lo : hi);
                    for (int k = 0; k < count; k++)
                        ck_assert(!(strikes[k] > a0 / r && strikes[k] < a1 * r));
                    run_first = 0.0;
                }
            }
        }
        if (lo > 0.0)
            ck_close(hf_at(&a, 0, lo), 1.0, 1e-9);
        if (isfinite(hi))
            ck_close(hf_at(&a, 0, hi), 1.0, 1e-9);
        account_free(&a);
    }
}
END_TEST

static Suite *liqsearch_suite(void)
{
    Suite *s = suite_create("liqsearch");
    TCase *tc = tcase_create("windows");
    tcase_add_test(tc, issue_window_below);
    tcase_add_test(tc, issue_window_above_and_from_inside);
    tcase_add_test(tc, concentration_threshold_window);
    tcase_add_test(tc, portfolio_var_window);
    tcase_add_test(tc, expired_butterfly_window_between_strikes);
    tcase_add_test(tc, live_butterfly_window);
    tcase_add_test(tc, book_on_another_asset);
    tcase_add_test(tc, subnormal_prices_end_cleanly);
    tcase_add_test(tc, stress_uniform_shock_agrees);
    tcase_add_test(tc, random_nonlinear_accounts);
    tcase_add_test(tc, random_option_books);
    suite_add_tcase(s, tc);
    return s;
}

KEEL_TEST_MAIN(liqsearch_suite)

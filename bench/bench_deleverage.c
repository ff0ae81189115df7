/* Time of keel_deleverage for 10, 100, 1000 and 3000 collateral assets,
 * each asset with a fee and a square-root or linear impact, then the same
 * accounts with fee and spread only (the solver's linear fast path), beside a peer
 * measured in the same run: one keel_basket_metrics call on the same account
 * (the solver evaluates the full engine a few times). Thread CPU time,
 * keel and the peer interleaved in each of 9 repetitions; the medians of
 * the times and of the per-repetition ratios.
 * Then the predictive policy against a health band, per decision that acts:
 * keel_policy_plan on a 5-asset account below both triggers, the two
 * interleaved, thread CPU time, medians of per-repetition ratios.
 * Run: ./build/bench/bench_deleverage */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <keel.h>

#include "bench_util.h"

enum { REPS = 9 };

/* Predictive (30-day horizon, 5% limit) and health band (repay below 1.3
 * to 1.5) on ETH, WBTC, SOL and LINK against USDC debt, HF about 1.2. */
static void predictive_vs_band(void)
{
    keel_market *m;
    keel_haircut_model *h;
    keel_cost_model *c;
    keel_basket *b;
    die(keel_market_new(&m));
    die(keel_haircut_model_new(&h));
    die(keel_cost_model_new(&c));
    die(keel_basket_new(&b));
    keel_asset usdc, a[4];
    const char *sym[4] = { "ETH", "WBTC", "SOL", "LINK" };
    const double price[4] = { 2000.0, 60000.0, 150.0, 15.0 }, vol[4] = { 0.8, 0.6, 1.1, 1.0 },
                 hm[4] = { 0.2, 0.25, 0.35, 0.3 }, value[4] = { 20000.0, 15000.0, 5000.0, 3000.0 };
    die(keel_market_add_asset(m, "USDC", 1.0, &usdc));
    double l = 0.0;
    for (int i = 0; i < 4; i++) {
        die(keel_market_add_asset(m, sym[i], price[i], &a[i]));
        die(keel_market_set_volatility(m, a[i], vol[i]));
        die(keel_haircut_model_set_asset(h, a[i], hm[i] + 0.05, hm[i]));
        die(keel_cost_model_set_fee(c, a[i], 0.001, 0.0002));
        die(keel_cost_model_set_sqrt_impact(c, a[i], 0.7, 1e7));
        die(keel_basket_set_collateral(b, a[i], value[i] / price[i]));
        l += value[i] * (1.0 - hm[i]);
        for (int j = 0; j < i; j++)
            die(keel_market_set_correlation(m, a[i], a[j], 0.6));
    }
    die(keel_basket_set_debt(b, usdc, l / 1.2));
    keel_health_band_params hb = KEEL_HEALTH_BAND_PARAMS_INIT;
    hb.debt_asset = usdc;
    keel_predictive_params pp = KEEL_PREDICTIVE_PARAMS_INIT;
    pp.horizon = 30.0 / 365.0;
    pp.max_probability = 0.05;
    pp.repay_asset = usdc;
    keel_policy *band, *pred;
    die(keel_policy_health_band(&hb, &band));
    die(keel_policy_predictive(&pp, &pred));
    const int inner = 20;
    double tb[REPS], tp[REPS], ratio[REPS];
    for (int r = 0; r < REPS; r++) {
        keel_plan *plan;
        double t0 = thread_ns();
        for (int k = 0; k < inner; k++) {
            die(keel_policy_plan(band, b, NULL, m, h, c, NULL, &plan));
            keel_plan_free(plan);
        }
        tb[r] = (thread_ns() - t0) / inner / 1e3;
        t0 = thread_ns();
        for (int k = 0; k < inner; k++) {
            die(keel_policy_plan(pred, b, NULL, m, h, c, NULL, &plan));
            keel_plan_free(plan);
        }
        tp[r] = (thread_ns() - t0) / inner / 1e3;
        ratio[r] = tp[r] / tb[r];
    }
    keel_plan *plan;
    keel_metrics before = KEEL_METRICS_INIT, after = KEEL_METRICS_INIT;
    die(keel_basket_metrics(b, NULL, m, h, &before));
    die(keel_policy_plan(pred, b, NULL, m, h, c, NULL, &plan));
    die(keel_plan_summary(plan, NULL, NULL, &after));
    keel_plan_free(plan);
    printf("\npredictive (30 days, 5%%) vs health band (1.3 -> 1.5), one decision that acts, "
           "4 collateral assets, HF %.3f -> %.6f; thread CPU time, %d interleaved repetitions, "
           "medians\n\n", before.health_factor, after.health_factor, REPS);
    printf("| policy | per decision (us) | predictive / band |\n|---|---:|---:|\n");
    printf("| health band | %.1f | |\n", median(tb, REPS));
    printf("| predictive | %.1f | %.1f |\n", median(tp, REPS), median(ratio, REPS));
    keel_policy_free(band);
    keel_policy_free(pred);
    keel_basket_free(b);
    keel_cost_model_free(c);
    keel_haircut_model_free(h);
    keel_market_free(m);
}

int main(void)
{
    printf("keel_deleverage, target HF 1.5 from about 1.1; thread CPU time, %d interleaved "
           "repetitions, medians\n\n", REPS);
    printf("| collateral assets | solver (us) | one metrics call (us) | ratio | solver / (n log2 n) (ns) |\n"
           "|---:|---:|---:|---:|---:|\n");
    const int sizes[] = { 10, 100, 1000, 3000 };
    for (int s = 0; s < 8; s++) {
        int n = sizes[s % 4];
        bool fees_only = s >= 4;
        keel_market *m;
        keel_haircut_model *h;
        keel_cost_model *c;
        keel_basket *b;
        die(keel_market_new(&m));
        die(keel_haircut_model_new(&h));
        die(keel_cost_model_new(&c));
        die(keel_basket_new(&b));
        keel_asset usdc;
        die(keel_market_add_asset(m, "USDC", 1.0, &usdc));
        double l = 0.0;
        char sym[16];
        for (int i = 0; i < n; i++) {
            keel_asset a;
            snprintf(sym, sizeof sym, "A%d", i);
            double p = 10.0 + i % 97;
            die(keel_market_add_asset(m, sym, p, &a));
            die(keel_market_set_volatility(m, a, 0.3 + 0.005 * (i % 100)));
            double hm = 0.1 + 0.002 * (i % 100);
            die(keel_haircut_model_set_asset(h, a, hm + 0.05, hm));
            die(keel_cost_model_set_fee(c, a, 0.0005 + 0.00001 * (i % 50), 0.0001));
            if (!fees_only && i % 2) /* fees only: proportional costs, the fractional knapsack */
                die(keel_cost_model_set_sqrt_impact(c, a, 0.7, 1e6 + 1e4 * i));
            else if (!fees_only)
                die(keel_cost_model_set_linear_impact(c, a, 0.3, 1e6 + 1e4 * i));
            double q = 1000.0 / p;
            die(keel_basket_set_collateral(b, a, q));
            l += q * p * (1 - hm);
        }
        die(keel_basket_set_debt(b, usdc, l / 1.1));
        keel_deleverage_params params = KEEL_DELEVERAGE_PARAMS_INIT;
        params.repay_asset = usdc;
        int inner = n <= 10 ? 200 : n <= 100 ? 20 : 2, minner = 50;
        double solver[REPS], metrics[REPS], ratio[REPS];
        for (int r = 0; r < REPS; r++) {
            double t0 = thread_ns();
            for (int k = 0; k < inner; k++) {
                keel_plan *plan;
                die(keel_deleverage(b, NULL, m, h, c, &params, &plan, NULL));
                keel_plan_free(plan);
            }
            solver[r] = (thread_ns() - t0) / inner / 1e3;
            keel_metrics met = KEEL_METRICS_INIT;
            t0 = thread_ns();
            for (int k = 0; k < minner; k++)
                die(keel_basket_metrics(b, NULL, m, h, &met));
            metrics[r] = (thread_ns() - t0) / minner / 1e3;
            ratio[r] = solver[r] / metrics[r];
        }
        double ts = median(solver, REPS);
        printf("| %d%s | %.1f | %.2f | %.0f | %.1f |\n", n, fees_only ? ", fees only" : "", ts,
               median(metrics, REPS),
               median(ratio, REPS), ts * 1e3 / (n * log2((double)n)));
        keel_basket_free(b);
        keel_cost_model_free(c);
        keel_haircut_model_free(h);
        keel_market_free(m);
    }
    predictive_vs_band();
    return 0;
}

/* Path-steps per second of keel_sim for a 5-asset account (4 risky
 * collateral assets with correlations, USDC debt) under a health band
 * (repay below 1.3 to 1.5, proportional fees), 2000 paths x 365 daily
 * steps, median of 5 runs of thread CPU time; and the same with no policy.
 * The peer is bench/sim_vs_numpy.py (numpy, the same backtest, interleaved
 * in one process).
 * Run: ./build/bench/bench_sim [paths [runs [band|hold]]] (callgrind: a few paths,
 * one run, one row) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <keel.h>

#include "bench_util.h"

enum { STEPS = 365, MAX_RUNS = 64 };

int main(int argc, char **argv)
{
    int paths = argc > 1 ? atoi(argv[1]) : 2000, runs = argc > 2 ? atoi(argv[2]) : 5;
    if (paths < 1 || runs < 1 || runs > MAX_RUNS) {
        fprintf(stderr, "usage: bench_sim [paths >= 1 [runs 1..%d]]\n", MAX_RUNS);
        return 2;
    }
    keel_market *m;
    keel_haircut_model *h;
    keel_cost_model *c;
    keel_basket *b;
    die(keel_market_new(&m));
    die(keel_haircut_model_new(&h));
    die(keel_cost_model_new(&c));
    die(keel_basket_new(&b));
    const char *sym[] = { "ETH", "WBTC", "SOL", "LINK", "USDC" };
    const double price[] = { 2000, 60000, 150, 15, 1 }, vol[] = { 0.8, 0.6, 1.1, 0.9, 0 };
    const double lend[] = { 0.8, 0.75, 0.65, 0.7, 0.95 }, fee[] = { 0.0005, 0.0008, 0.0015, 0.002 };
    const double units[] = { 10, 0.3, 100, 800 };
    for (keel_asset a = 0; a < 5; a++) {
        die(keel_market_add_asset(m, sym[a], price[a], NULL));
        die(keel_market_set_volatility(m, a, vol[a]));
        die(keel_haircut_model_set_asset(h, a, 1.0 - lend[a] + 0.05, 1.0 - lend[a]));
        if (a < 4) {
            die(keel_cost_model_set_fee(c, a, fee[a], 0.0));
            die(keel_basket_set_collateral(b, a, units[a]));
        }
    }
    die(keel_market_set_correlation(m, 0, 1, 0.7));
    die(keel_market_set_correlation(m, 0, 2, 0.6));
    die(keel_market_set_correlation(m, 1, 2, 0.5));
    die(keel_market_set_correlation(m, 0, 3, 0.5));
    die(keel_basket_set_debt(b, 4, 32000));
    keel_health_band_params hb = KEEL_HEALTH_BAND_PARAMS_INIT;
    hb.debt_asset = 4;
    keel_policy *band;
    die(keel_policy_health_band(&hb, &band));
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    p.steps = STEPS;
    p.seed = 42;
    printf("keel_sim, 5 assets, %d paths x %d daily steps, median of %d runs\n\n", paths, STEPS, runs);
    printf("| policy | path-steps / s | ns per path-step | run time | P(liquidation) | mean rebalance cost |\n"
           "|---|---:|---:|---:|---:|---:|\n");
    const keel_policy *policies[] = { band, NULL };
    const char *names[] = { "health band 1.3 -> 1.5", "none (hold)" };
    const char *only = argc > 3 ? argv[3] : "";
    for (int k = 0; k < 2; k++) {
        if ((strcmp(only, "band") == 0 && k != 0) || (strcmp(only, "hold") == 0 && k != 1))
            continue;
        keel_sim *sim;
        die(keel_sim_new(b, NULL, m, h, c, policies[k], &p, &sim));
        double t[MAX_RUNS];
        keel_sim_summary s = KEEL_SIM_SUMMARY_INIT;
        for (int r = 0; r < runs; r++) {
            keel_sim_stats *st;
            double t0 = thread_ns();
            die(keel_sim_run(sim, 0, paths, NULL, NULL, &st));
            t[r] = 1e-9 * (thread_ns() - t0);
            die(keel_sim_stats_summary(st, &s));
            keel_sim_stats_free(st);
        }
        qsort(t, runs, sizeof *t, cmp);
        printf("| %s | %.2f M | %.1f | %.0f ms | %.4f | %.2f |\n", names[k],
               1e-6 * paths * STEPS / t[runs / 2], 1e9 * t[runs / 2] / (paths * STEPS),
               1e3 * t[runs / 2], s.liquidation_probability,
               s.mean_rebalance_cost);
        keel_sim_free(sim);
    }
    keel_policy_free(band);
    keel_basket_free(b);
    keel_cost_model_free(c);
    keel_haircut_model_free(h);
    keel_market_free(m);
    return 0;
}

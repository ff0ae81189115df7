/* keel backtest: an ETH-backed USDC loan held, and under a health band, over
 * 2,000 simulated 30-day paths; then the same run cut into four shards whose
 * statistics are merged (as a cluster would), equal to one run; and the
 * accounts closest to liquidation in a small book.
 * Build: cc backtest.c $(pkg-config --cflags --libs keel) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <keel.h>

#define CHECK(call)                                                                  \
    do {                                                                             \
        keel_status s_ = (call);                                                     \
        if (s_ != KEEL_OK) {                                                         \
            fprintf(stderr, "%s: %s (%s)\n", #call, keel_status_str(s_), keel_last_error()); \
            exit(1);                                                                 \
        }                                                                            \
    } while (0)

int main(void)
{
    keel_market *m;
    keel_haircut_model *h;
    keel_cost_model *c;
    keel_basket *b;
    keel_asset eth, usdc;
    CHECK(keel_market_new(&m));
    CHECK(keel_market_add_asset(m, "ETH", 2000.0, &eth));
    CHECK(keel_market_add_asset(m, "USDC", 1.0, &usdc));
    CHECK(keel_market_set_volatility(m, eth, 0.8));
    CHECK(keel_haircut_model_new(&h));
    CHECK(keel_haircut_model_set_asset(h, eth, 0.195, 0.17));
    CHECK(keel_cost_model_new(&c));
    CHECK(keel_cost_model_set_fee(c, eth, 0.0005, 0.0));
    CHECK(keel_basket_new(&b));
    CHECK(keel_basket_set_collateral(b, eth, 10.0));
    CHECK(keel_basket_set_debt(b, usdc, 12500.0)); /* HF 1.328 */

    keel_health_band_params hb = KEEL_HEALTH_BAND_PARAMS_INIT;
    hb.repay_below = 1.25;
    hb.repay_to = 1.45;
    hb.debt_asset = usdc;
    keel_policy *band;
    CHECK(keel_policy_health_band(&hb, &band));
    keel_sim_params p = KEEL_SIM_PARAMS_INIT; /* 30 daily steps, Aave v3 liquidations */
    p.seed = 7;

    const keel_policy *policies[] = { NULL, band };
    const char *names[] = { "hold", "health band 1.25 -> 1.45" };
    keel_sim_summary keep = KEEL_SIM_SUMMARY_INIT;
    keel_sim *sim = NULL;
    for (int k = 0; k < 2; k++) {
        keel_sim_free(sim);
        CHECK(keel_sim_new(b, NULL, m, h, c, policies[k], &p, &sim));
        keel_sim_stats *st;
        CHECK(keel_sim_run(sim, 0, 2000, NULL, NULL, &st));
        keel_sim_summary s = KEEL_SIM_SUMMARY_INIT;
        double p05;
        CHECK(keel_sim_stats_summary(st, &s));
        CHECK(keel_sim_stats_percentile(st, KEEL_SIM_MIN_HEALTH, 0.05, &p05));
        if (s.policy_failures > 0) { /* the run is not the policy asked for */
            fprintf(stderr, "%s: the policy failed on %llu turns (first in path %llu)\n",
                    names[k], (unsigned long long)s.policy_failures,
                    (unsigned long long)s.first_policy_failure_path);
            return 1;
        }
        printf("%-26s P(liquidation) %.4f (se %.4f), rebalancing cost %.2f, bonus lost %.2f, "
               "5%% of paths dip below HF %.3f\n",
               names[k], s.liquidation_probability, s.liquidation_probability_se,
               s.mean_rebalance_cost, s.mean_bonus_lost, p05);
        keep = s;
        keel_sim_stats_free(st);
    }
    /* four shards, merged in another order: the same bits as one run */
    keel_sim_stats *merged = NULL;
    for (int i = 3; i >= 0; i--) {
        keel_sim_stats *part;
        CHECK(keel_sim_run(sim, (uint64_t)i * 500, 500, NULL, NULL, &part));
        if (merged == NULL) {
            merged = part;
        } else {
            CHECK(keel_sim_stats_merge(merged, part));
            keel_sim_stats_free(part);
        }
    }
    keel_sim_summary s = KEEL_SIM_SUMMARY_INIT;
    CHECK(keel_sim_stats_summary(merged, &s));
    printf("four shards merged equal one run: %s\n", memcmp(&s, &keep, sizeof s) == 0 ? "yes" : "no");

    /* a book of accounts in compressed sparse rows: the two closest to liquidation */
    const size_t offsets[] = { 0, 2, 4, 6 };
    const keel_asset assets[] = { eth, usdc, eth, usdc, eth, usdc };
    const double coll[] = { 10.0, 0, 5.0, 0, 2.0, 0 }, debt[] = { 0, 12500.0, 0, 7800.0, 0, 3000.0 };
    size_t idx[2], found;
    double hf[2];
    CHECK(keel_scan_top_k(m, h, 3, offsets, assets, coll, debt, 2, idx, hf, &found));
    for (size_t i = 0; i < found; i++)
        printf("account %zu: HF %.4f\n", idx[i], hf[i]);

    int same = memcmp(&s, &keep, sizeof s) == 0;
    keel_sim_stats_free(merged);
    keel_sim_free(sim);
    keel_policy_free(band);
    keel_basket_free(b);
    keel_cost_model_free(c);
    keel_haircut_model_free(h);
    keel_market_free(m);
    return same ? 0 : 1;
}

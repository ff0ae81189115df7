/* keel history: 100 ETH lent against on Aave v3's WETH terms (LTV 80.5%,
 * liquidation threshold 83%, bonus 5%), borrowed to HF 1.6 at the close of a
 * window's first day, replayed on Binance's daily ETH/USDT candles through
 * the crashes of March 2020, May 2021, June 2022, November 2022 and August
 * 2024: held or under a health band (repay below 1.3 to 1.6), on the
 * closes alone and with each day's low. The whole series is one replay
 * with its time stamps; each window is keel_sim_set_window() on it.
 *
 * Build: cc history.c $(pkg-config --cflags --libs keel) -lm
 * Run:   ./history [examples/data/eth_usdt_daily.csv] */
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

#define MAX_ROWS 8192

typedef struct series {
    size_t rows;
    char date[MAX_ROWS][11];
    int64_t time[MAX_ROWS];
    double close[MAX_ROWS], low[MAX_ROWS], high[MAX_ROWS];
} series;

/* Days from 1970-01-01 to a proleptic Gregorian date (the civil-from-days
 * inverse of H. Hinnant, "chrono-Compatible Low-Level Date Algorithms"). */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Reads date,open,high,low,close,volume rows. */
static void load(const char *path, series *s)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        perror(path);
        exit(1);
    }
    char line[256];
    s->rows = 0;
    if (fgets(line, sizeof line, f) == NULL) { /* the header */
        fprintf(stderr, "%s: empty\n", path);
        exit(1);
    }
    while (fgets(line, sizeof line, f) != NULL && s->rows < MAX_ROWS) {
        int y, mo, d;
        double open, hi, lo, close;
        if (sscanf(line, "%4d-%2d-%2d,%lf,%lf,%lf,%lf", &y, &mo, &d, &open, &hi, &lo, &close) != 7)
            continue;
        size_t k = s->rows++;
        snprintf(s->date[k], sizeof s->date[k], "%04d-%02d-%02d", y, mo, d);
        s->time[k] = (days_from_civil(y, mo, d) + 1) * 86400; /* the close: the next midnight, UTC */
        s->close[k] = close, s->low[k] = lo, s->high[k] = hi;
    }
    fclose(f);
}

static size_t row_of(const series *s, const char *date)
{
    for (size_t k = 0; k < s->rows; k++)
        if (strcmp(s->date[k], date) == 0)
            return k;
    fprintf(stderr, "no row for %s\n", date);
    exit(1);
}

int main(int argc, char **argv)
{
    static series s;
    load(argc > 1 ? argv[1] : "examples/data/eth_usdt_daily.csv", &s);

    keel_market *m;
    keel_haircut_model *h;
    keel_cost_model *c;
    keel_asset eth, usdc;
    CHECK(keel_market_new(&m));
    CHECK(keel_market_add_asset(m, "ETH", 1.0, &eth));
    CHECK(keel_market_add_asset(m, "USDC", 1.0, &usdc));
    CHECK(keel_haircut_model_new(&h));
    CHECK(keel_haircut_model_set_asset(h, eth, 1.0 - 0.805, 1.0 - 0.83));
    CHECK(keel_cost_model_new(&c));
    CHECK(keel_cost_model_set_fee(c, eth, 0.0005, 0.0)); /* 5 bp a sale */
    keel_health_band_params hb = KEEL_HEALTH_BAND_PARAMS_INIT;
    hb.repay_below = 1.3, hb.repay_to = 1.6, hb.boost_to = 1.6, hb.boost_above = 1e300;
    hb.debt_asset = usdc;
    keel_policy *band;
    CHECK(keel_policy_health_band(&hb, &band));

    /* the whole daily series as one replay: closes, lows, highs, time stamps */
    keel_sim_replay all = KEEL_SIM_REPLAY_INIT, closes_only;
    all.npaths = 1, all.rows = s.rows, all.nassets = 1, all.assets = &eth;
    all.close = s.close, all.low = s.low, all.high = s.high, all.time = s.time;
    closes_only = all;
    closes_only.low = closes_only.high = NULL;

    const char *windows[][3] = {
        { "March 2020", "2020-03-01", "2020-03-31" }, { "May 2021", "2021-05-01", "2021-05-31" },
        { "June 2022", "2022-06-01", "2022-06-30" },  { "November 2022", "2022-11-01", "2022-11-30" },
        { "August 2024", "2024-08-01", "2024-08-31" },
    };
    printf("100 ETH against USDC at HF 1.6 on the first close; Aave v3 WETH terms (threshold 83%%, bonus 5%%)\n\n");
    printf("%-14s %-11s %-11s %6s %-11s %10s %9s %12s\n", "window", "policy", "prices",
           "liqs", "first", "bonus lost", "cost", "final equity");
    for (size_t w = 0; w < sizeof windows / sizeof windows[0]; w++) {
        size_t first = row_of(&s, windows[w][1]), last = row_of(&s, windows[w][2]);
        double debt = 100.0 * s.close[first] * 0.83 / 1.6;
        CHECK(keel_market_set_price(m, eth, s.close[first]));
        keel_basket *b;
        CHECK(keel_basket_new(&b));
        CHECK(keel_basket_set_collateral(b, eth, 100.0));
        CHECK(keel_basket_set_debt(b, usdc, debt));
        for (int pol = 0; pol < 2; pol++) {
            for (int lows = 0; lows < 2; lows++) {
                keel_sim_params p = KEEL_SIM_PARAMS_INIT;
                keel_sim *sim;
                CHECK(keel_sim_new(b, NULL, m, h, c, pol ? band : NULL, &p, &sim));
                CHECK(keel_sim_set_replay(sim, lows ? &all : &closes_only));
                CHECK(keel_sim_set_window(sim, first, last - first));
                keel_sim_event events[64];
                keel_sim_trace t = KEEL_SIM_TRACE_INIT;
                t.events = events, t.event_capacity = 64;
                keel_sim_stats *st;
                CHECK(keel_sim_trace_path(sim, 0, &t, &st));
                keel_sim_summary sum = KEEL_SIM_SUMMARY_INIT;
                CHECK(keel_sim_stats_summary(st, &sum));
                const char *when = "-";
                for (size_t e = 0; e < t.nevents; e++)
                    if (events[e].kind == KEEL_SIM_EVENT_LIQUIDATION) {
                        when = s.date[first + events[e].step];
                        break;
                    }
                printf("%-14s %-11s %-11s %6.0f %-11s %10.2f %9.2f %12.2f\n",
                       pol == 0 && lows == 0 ? windows[w][0] : "", pol ? "band" : "hold",
                       lows ? "with lows" : "closes", sum.mean_liquidations, when,
                       sum.mean_bonus_lost, sum.mean_rebalance_cost, sum.mean_final_equity);
                keel_sim_stats_free(st);
                keel_sim_free(sim);
            }
        }
        keel_basket_free(b);
    }
    keel_policy_free(band);
    keel_cost_model_free(c);
    keel_haircut_model_free(h);
    keel_market_free(m);
    return 0;
}

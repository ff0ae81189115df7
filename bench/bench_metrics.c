/* Cost of keel_basket_metrics for a 16-asset basket in each haircut mode, in
 * ns per call of thread CPU time (median of repeated runs), beside a peer
 * measured in the same run: the same fixed-schedule sums written as a bare C loop over arrays, the
 * floor any implementation must pay. Run: ./build/bench/bench_metrics */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <keel.h>

#include "bench_util.h"

#define ASSETS 16
#define REPEATS 21

static volatile double sink;

typedef struct fixture {
    keel_market *m;
    keel_basket *b;
    keel_haircut_model *h;
} fixture;

static void make(fixture *f)
{
    die(keel_market_new(&f->m));
    die(keel_basket_new(&f->b));
    die(keel_haircut_model_new(&f->h));
    char sym[8];
    for (int i = 0; i < ASSETS; i++) {
        snprintf(sym, sizeof sym, "A%02d", i);
        die(keel_market_add_asset(f->m, sym, 10.0 + 37.0 * i, NULL));
        die(keel_market_set_volatility(f->m, (keel_asset)i, 0.2 + 0.05 * i));
        die(keel_market_set_depth(f->m, (keel_asset)i, 1e6 * (1 + i)));
        die(keel_haircut_model_set_asset(f->h, (keel_asset)i, 0.2 + 0.01 * i, 0.15 + 0.01 * i));
        die(keel_haircut_model_set_peg_group(f->h, (keel_asset)i, (uint32_t)(i % 3 + 1)));
        if (i < 12)
            die(keel_basket_set_collateral(f->b, (keel_asset)i, 100.0 + i));
        else
            die(keel_basket_set_debt(f->b, (keel_asset)i, 20.0 + i));
        for (int j = 0; j < i; j++)
            die(keel_market_set_correlation(f->m, (keel_asset)i, (keel_asset)j, 0.3));
    }
}

/* Median ns per call of `calls` metrics calls. */
static double time_metrics(const fixture *f, int calls)
{
    double runs[REPEATS];
    keel_metrics m = KEEL_METRICS_INIT;
    for (int r = 0; r < REPEATS; r++) {
        double t0 = thread_ns();
        for (int i = 0; i < calls; i++) {
            die(keel_basket_metrics(f->b, NULL, f->m, f->h, &m));
            sink = m.health_factor;
        }
        runs[r] = (thread_ns() - t0) / calls;
    }
    qsort(runs, REPEATS, sizeof runs[0], cmp);
    return runs[REPEATS / 2];
}

/* The peer: fixed-schedule sums over plain arrays (what a user writes by hand). */
static double time_bare_loop(int calls)
{
    double q[ASSETS], d[ASSETS], p[ASSETS], hm[ASSETS], hi[ASSETS], bf[ASSETS];
    for (int i = 0; i < ASSETS; i++) {
        q[i] = i < 12 ? 100.0 + i : 0.0;
        d[i] = i < 12 ? 0.0 : 20.0 + i;
        p[i] = 10.0 + 37.0 * i;
        hm[i] = 0.15 + 0.01 * i;
        hi[i] = 0.2 + 0.01 * i;
        bf[i] = 1.0;
    }
    double runs[REPEATS];
    for (int r = 0; r < REPEATS; r++) {
        double t0 = thread_ns();
        for (int k = 0; k < calls; k++) {
            double l = 0, bp = 0, w = 0;
            for (int i = 0; i < ASSETS; i++) {
                double cv = q[i] * p[i];
                l += cv * (1 - hm[i]);
                bp += cv * (1 - hi[i]);
                w += d[i] * p[i] * bf[i];
            }
            sink = l / w + bp;
            p[k % ASSETS] += 1e-9; /* keep the compiler from hoisting the loop */
        }
        runs[r] = (thread_ns() - t0) / calls;
    }
    qsort(runs, REPEATS, sizeof runs[0], cmp);
    return runs[REPEATS / 2];
}

/* Plain metrics (fixed schedule), the volatility add-on, and portfolio mode
 * (the volatility add-on's horizon and confidence, the VaR of the 16
 * exposures with the market's correlations), interleaved in each
 * repetition: medians of the times and of the per-repetition ratios to plain. */
static void time_portfolio_vs_plain(int calls)
{
    fixture f[3];
    for (int k = 0; k < 3; k++)
        make(&f[k]);
    die(keel_haircut_model_set_volatility_addon(f[1].h, 0.99, 5.0));
    die(keel_haircut_model_set_volatility_addon(f[2].h, 0.99, 5.0));
    die(keel_haircut_model_set_portfolio_mode(f[2].h, 1));
    double t[3][REPEATS], ratio[3][REPEATS];
    keel_metrics m = KEEL_METRICS_INIT;
    for (int r = 0; r < REPEATS; r++) {
        for (int k = 0; k < 3; k++) {
            double t0 = thread_ns();
            for (int i = 0; i < calls; i++) {
                die(keel_basket_metrics(f[k].b, NULL, f[k].m, f[k].h, &m));
                sink = m.health_factor;
            }
            t[k][r] = (thread_ns() - t0) / calls;
        }
        for (int k = 0; k < 3; k++)
            ratio[k][r] = t[k][r] / t[0][r];
    }
    printf("\nPortfolio mode against plain metrics, interleaved, thread CPU time, medians of %d "
           "repetitions x %d calls\n\n", REPEATS, calls);
    printf("| metrics, 16 assets | ns per call | ratio to plain (median of ratios) |\n"
           "|---|---:|---:|\n");
    const char *name[3] = { "plain (fixed schedule)", "volatility add-on",
                            "portfolio VaR (volatility add-on's horizon, market's factor)" };
    for (int k = 0; k < 3; k++) {
        qsort(t[k], REPEATS, sizeof *t[k], cmp);
        qsort(ratio[k], REPEATS, sizeof *ratio[k], cmp);
        printf("| %s | %.1f | %.2f |\n", name[k], t[k][REPEATS / 2], ratio[k][REPEATS / 2]);
        keel_basket_free(f[k].b);
        keel_haircut_model_free(f[k].h);
        keel_market_free(f[k].m);
    }
}

int main(int argc, char **argv)
{
    int calls = argc > 1 ? atoi(argv[1]) : 20000;
    fixture f;
    make(&f);
    double bare = time_bare_loop(calls);
    printf("keel_basket_metrics, %d-asset basket (12 collateral, 4 debt), median of %d runs x %d calls\n\n",
           ASSETS, REPEATS, calls);
    printf("| mode | ns per call | ratio to bare C loop |\n|---|---:|---:|\n");
    printf("| bare C loop, fixed schedule (peer) | %.1f | 1.0 |\n", bare);

    double t = time_metrics(&f, calls);
    printf("| fixed schedule | %.1f | %.1f |\n", t, t / bare);
    die(keel_haircut_model_set_volatility_addon(f.h, 0.99, 5.0));
    t = time_metrics(&f, calls);
    printf("| + volatility add-on | %.1f | %.1f |\n", t, t / bare);
    die(keel_haircut_model_set_liquidity_addon(f.h, 0.5, 0.4));
    t = time_metrics(&f, calls);
    printf("| + liquidity add-on | %.1f | %.1f |\n", t, t / bare);
    for (int i = 0; i < ASSETS; i++)
        die(keel_haircut_model_set_concentration(f.h, (keel_asset)i, 0.1, 0.2));
    t = time_metrics(&f, calls);
    printf("| + concentration | %.1f | %.1f |\n", t, t / bare);
    die(keel_haircut_model_set_peg_mismatch_addon(f.h, 0.08));
    t = time_metrics(&f, calls);
    printf("| + peg mismatch | %.1f | %.1f |\n", t, t / bare);
    die(keel_haircut_model_set_portfolio_mode(f.h, 1));
    t = time_metrics(&f, calls);
    printf("| + portfolio VaR (16x16 Cholesky check, Euler) | %.1f | %.1f |\n", t, t / bare);

    keel_basket_free(f.b);
    keel_haircut_model_free(f.h);
    keel_market_free(f.m);
    time_portfolio_vs_plain(calls);
    return 0;
}

/* Health factors of 1,000,000 accounts of 4 positions (keel_scan, linear
 * haircuts) on every dispatch target this CPU runs, beside a STREAM triad
 * (a[i] = b[i] + s c[i], McCalpin's kernel) over three arrays of 32 M
 * doubles (768 MB, far beyond any cache) measured in the same repetitions:
 * thread CPU time, each repetition runs the triad and every target in
 * turn; medians over RUNS repetitions of the per-repetition ratios.
 *
 * The scan's bytes: the offsets (8 an account), the positions (4 x (4 + 8
 * + 8)) and the results (8): 96 bytes an account. The triad's: 24 bytes an
 * element (two reads and a write, as STREAM counts them). "x stream time"
 * is the scan's time over the time the triad's bandwidth takes to move the
 * scan's 96 MB; 1 means the scan runs at memory speed.
 * Then the top 100 and a liquidations-at-risk curve of 11 shocks (best target).
 * Run: ./build/bench/bench_scan [runs] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <keel.h>

#include "bench_util.h"
#include "core/cpu.h"
#include "scan/scan_internal.h"

static double triad(double *a, const double *b, const double *c, size_t n, double s)
{
    double t0 = thread_ns();
    for (size_t i = 0; i < n; i++)
        a[i] = b[i] + s * c[i];
    return thread_ns() - t0;
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? atoi(argv[1]) : 11;
    if (runs < 5)
        runs = 5;
    const size_t n = 1000000, npos = 4 * n;
    keel_market *m;
    keel_haircut_model *h;
    die(keel_market_new(&m));
    die(keel_haircut_model_new(&h));
    const char *sym[] = { "ETH", "USDC", "WBTC", "SOL" };
    const double price[] = { 2000, 1, 60000, 150 }, vol[] = { 0.8, 0, 0.6, 1.1 };
    for (keel_asset a = 0; a < 4; a++) {
        die(keel_market_add_asset(m, sym[a], price[a], NULL));
        die(keel_market_set_volatility(m, a, vol[a]));
        die(keel_haircut_model_set_asset(h, a, 0.25 + 0.05 * a, 0.2 + 0.05 * a));
    }
    size_t *off = malloc((n + 1) * sizeof *off);
    keel_asset *as = malloc(npos * sizeof *as);
    double *q = malloc(npos * sizeof *q), *d = malloc(npos * sizeof *d);
    double *hf[KEEL_ISA_COUNT];
    for (int i = 0; i < KEEL_ISA_COUNT; i++)
        hf[i] = malloc(n * sizeof *hf[i]);
    unsigned long long x = 1;
    for (size_t i = 0; i < n; i++) {
        off[i] = 4 * i;
        for (size_t k = 0; k < 4; k++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            double u = (double)(x >> 11) * 0x1.0p-53;
            as[4 * i + k] = (keel_asset)k;
            q[4 * i + k] = k == 1 ? 0.0 : u * 1e4 / price[k];
            d[4 * i + k] = k == 1 ? 2000 + u * 1e4 : 0.0;
        }
    }
    off[n] = npos;

    const size_t big = 32u << 20; /* 32 M doubles an array */
    double *ta = malloc(big * sizeof *ta), *tb = malloc(big * sizeof *tb), *tc = malloc(big * sizeof *tc);
    for (size_t i = 0; i < big; i++)
        ta[i] = 0.0, tb[i] = (double)(i & 1023), tc[i] = 0.5;
    double *t_tri = malloc((size_t)runs * sizeof(double));
    double *t_scan[KEEL_ISA_COUNT], *ratio[KEEL_ISA_COUNT], *t_sorted[KEEL_ISA_COUNT];
    for (int i = 0; i < KEEL_ISA_COUNT; i++) {
        t_scan[i] = malloc((size_t)runs * sizeof(double));
        ratio[i] = malloc((size_t)runs * sizeof(double));
        t_sorted[i] = malloc((size_t)runs * sizeof(double));
    }
    const double scan_bytes = 96.0 * (double)n, tri_bytes = 24.0 * (double)big;
    double sink = 0.0;
    for (int r = 0; r < runs; r++) {
        t_tri[r] = triad(ta, tb, tc, big, 1.0 + 1e-3 * r);
        sink += ta[(size_t)r * 977];
        for (int i = 0; i < KEEL_ISA_COUNT; i++) {
            if (!keel_isa_usable((keel_isa)i))
                continue;
            double t0 = thread_ns();
            die(keel_scan_isa((keel_isa)i, m, h, n, off, as, q, d, hf[i]));
            t_scan[i][r] = thread_ns() - t0;
            /* the time the triad's bandwidth takes to move the scan's bytes */
            ratio[i][r] = t_scan[i][r] / (scan_bytes * t_tri[r] / tri_bytes);
            sink += hf[i][r];
        }
    }
    for (int i = 1; i < KEEL_ISA_COUNT; i++)
        if (keel_isa_usable((keel_isa)i))
            for (size_t k = 0; k < n; k++)
                if (memcmp(&hf[i][k], &hf[0][k], sizeof(double)) != 0) {
                    fprintf(stderr, "%s differs from scalar at account %zu\n",
                            keel_isa_name((keel_isa)i), k);
                    return 1;
                }
    double tri = median(t_tri, (size_t)runs);
    printf("keel_scan, %zu accounts x 4 positions, thread CPU time, median of %d repetitions "
           "(checksum %g); every target's results equal the scalar path's bits\n\n",
           n, runs, sink);
    printf("STREAM triad, 3 x %zu MB: %.2f GB/s (%.1f ms)\n\n", big * 8 >> 20,
           tri_bytes / tri, 1e-6 * tri);
    printf("| target | ns / account | scan GB/s | x stream time (per-repetition median, min..max) | "
           "speed-up over scalar |\n|---|---:|---:|---:|---:|\n");
    double scalar_med = 0.0;
    for (int i = 0; i < KEEL_ISA_COUNT; i++) {
        if (!keel_isa_usable((keel_isa)i))
            continue;
        memcpy(t_sorted[i], t_scan[i], (size_t)runs * sizeof(double));
        double t = median(t_sorted[i], (size_t)runs);
        if (i == 0)
            scalar_med = t;
        double rmed = median(ratio[i], (size_t)runs);
        printf("| %s | %.2f | %.2f | %.2f (%.2f..%.2f) | %.2f |\n", keel_isa_name((keel_isa)i),
               t / (double)n, scan_bytes / t, rmed, ratio[i][0], ratio[i][runs - 1],
               scalar_med / t);
    }

    /* the kernels' own cost: the first 16,384 accounts (1.5 MB, in cache
     * after the first pass), each target in turn, 41 repetitions */
    enum { SMALL = 16384, SREPS = 41 };
    double t_small[KEEL_ISA_COUNT][SREPS];
    for (int r = 0; r < SREPS; r++)
        for (int i = 0; i < KEEL_ISA_COUNT; i++) {
            if (!keel_isa_usable((keel_isa)i))
                continue;
            double t0 = thread_ns();
            die(keel_scan_isa((keel_isa)i, m, h, SMALL, off, as, q, d, hf[i]));
            t_small[i][r] = thread_ns() - t0;
        }
    printf("\n| target | ns / account with the data in cache (%d accounts, median of %d) |\n"
           "|---|---:|\n", SMALL, SREPS);
    for (int i = 0; i < KEEL_ISA_COUNT; i++)
        if (keel_isa_usable((keel_isa)i))
            printf("| %s | %.2f |\n", keel_isa_name((keel_isa)i),
                   median(t_small[i], SREPS) / SMALL);

    size_t idx[100], found;
    double top[100], t_top[64], t_lar[64], shocks[11], curve[11];
    int rr = runs < 64 ? runs : 64;
    for (int s = 0; s < 11; s++)
        shocks[s] = -0.05 * s;
    for (int r = 0; r < rr; r++) {
        double t0 = thread_ns();
        die(keel_scan_top_k(m, h, n, off, as, q, d, 100, idx, top, &found));
        t_top[r] = thread_ns() - t0;
        t0 = thread_ns();
        die(keel_liquidations_at_risk(m, h, n, off, as, q, d, 11, shocks, curve));
        t_lar[r] = thread_ns() - t0;
    }
    printf("\n| call (target %s) | time |\n|---|---:|\n", keel_isa_name(keel_isa_best()));
    printf("| top 100 closest to liquidation | %.2f ms |\n", 1e-6 * median(t_top, (size_t)rr));
    printf("| liquidations-at-risk curve, 11 shocks | %.2f ms |\n", 1e-6 * median(t_lar, (size_t)rr));
    printf("\nat risk at -25%%: %.4g of collateral; lowest HF %.4f\n", curve[5], top[0]);
    free(ta);
    free(tb);
    free(tc);
    free(t_tri);
    for (int i = 0; i < KEEL_ISA_COUNT; i++) {
        free(hf[i]);
        free(t_scan[i]);
        free(ratio[i]);
        free(t_sorted[i]);
    }
    free(off);
    free(as);
    free(q);
    free(d);
    keel_haircut_model_free(h);
    keel_market_free(m);
    return 0;
}

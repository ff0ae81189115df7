/* Health factors of 1,000,000 accounts of 4 positions (keel_scan, linear
 * haircuts), median of 9 runs, beside this machine's memory bandwidth
 * measured in the same run: a read of a 512 MB array (summing it, so it is
 * not optimised away), median of 9. The scan must read the offsets (8 bytes
 * an account), the positions (4 x (4 + 8 + 8) bytes) and write the results
 * (8 bytes): 96 bytes an account. Then the top 100 and a liquidations-at-risk
 * curve of 11 shocks.
 * Run: ./build/bench/bench_scan */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <keel.h>

#include "bench_util.h"

enum { RUNS = 9 };

int main(void)
{
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
    double *q = malloc(npos * sizeof *q), *d = malloc(npos * sizeof *d), *hf = malloc(n * sizeof *hf);
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

    size_t big = 64u << 20; /* 64 M doubles, 512 MB */
    double *arr = malloc(big * sizeof *arr);
    for (size_t i = 0; i < big; i++)
        arr[i] = (double)(i & 1023);
    double t_scan[RUNS], t_read[RUNS], sink = 0.0;
    for (int r = 0; r < RUNS; r++) {
        double t0 = now_s();
        die(keel_scan(m, h, n, off, as, q, d, hf));
        t_scan[r] = now_s() - t0;
        t0 = now_s();
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (size_t i = 0; i < big; i += 4)
            s0 += arr[i], s1 += arr[i + 1], s2 += arr[i + 2], s3 += arr[i + 3];
        t_read[r] = now_s() - t0;
        sink += s0 + s1 + s2 + s3 + hf[r];
    }
    qsort(t_scan, RUNS, sizeof *t_scan, cmp);
    qsort(t_read, RUNS, sizeof *t_read, cmp);
    double bytes = 96.0 * (double)n;
    double scan_bw = bytes / t_scan[RUNS / 2], read_bw = (double)big * 8.0 / t_read[RUNS / 2];
    printf("keel_scan, %zu accounts x 4 positions, median of %d runs (checksum %g)\n\n", n, RUNS,
           sink);
    printf("| measure | value |\n|---|---:|\n");
    printf("| scan time | %.2f ms |\n", 1e3 * t_scan[RUNS / 2]);
    printf("| health factors per second | %.1f M |\n", 1e-6 * (double)n / t_scan[RUNS / 2]);
    printf("| scan bytes read+written / time | %.2f GB/s |\n", 1e-9 * scan_bw);
    printf("| memory read bandwidth (512 MB sum) | %.2f GB/s |\n", 1e-9 * read_bw);
    printf("| scan as a fraction of bandwidth | %.2f (%.2fx from it) |\n", scan_bw / read_bw,
           read_bw / scan_bw);

    size_t idx[100], found;
    double top[100], t_top[RUNS], t_lar[RUNS], shocks[11], curve[11];
    for (int s = 0; s < 11; s++)
        shocks[s] = -0.05 * s;
    for (int r = 0; r < RUNS; r++) {
        double t0 = now_s();
        die(keel_scan_top_k(m, h, n, off, as, q, d, 100, idx, top, &found));
        t_top[r] = now_s() - t0;
        t0 = now_s();
        die(keel_liquidations_at_risk(m, h, n, off, as, q, d, 11, shocks, curve));
        t_lar[r] = now_s() - t0;
    }
    qsort(t_top, RUNS, sizeof *t_top, cmp);
    qsort(t_lar, RUNS, sizeof *t_lar, cmp);
    printf("| top 100 closest to liquidation | %.2f ms |\n", 1e3 * t_top[RUNS / 2]);
    printf("| liquidations-at-risk curve, 11 shocks | %.2f ms |\n", 1e3 * t_lar[RUNS / 2]);
    printf("\nat risk at -25%%: %.4g of collateral; lowest HF %.4f\n", curve[5], top[0]);
    free(arr);
    free(off);
    free(as);
    free(q);
    free(d);
    free(hf);
    keel_haircut_model_free(h);
    keel_market_free(m);
    return 0;
}

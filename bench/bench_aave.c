/* Aave v3: exact verdicts at scan speed. keel_aave_scan (a double pass, then
 * 256-bit integers for the accounts within a rigorous rounding band of
 * HF = 1, so every verdict is the chain's) over account handles, and
 * keel_aave_scan_flat, the same pass over flat arrays (offsets, reserve ids,
 * switches, 128-bit scaled balances), against their peer, keel_scan over the
 * same accounts in its SoA layout (double only, the same health factor:
 * haircut 1 - threshold, price oracle / 1e8, quantity balance / 10^decimals).
 *
 * An Aave v3.6 market of 6 reserves (WETH, WBTC, USDC, DAI, wstETH, LINK;
 * 8-decimal USD prices, non-trivial indexes) and N accounts of 4 positions
 * (collateral in 2-3 reserves, debt in 1-2), health factors log-uniform over
 * 0.7..3, 0.5% of them tuned (on the chain's integers) to within 1e-9 of
 * HF = 1, from a fixed LCG seed. Timed by thread CPU time, the three
 * interleaved in one process (each first, second and third in turn), the
 * ratio to keel_scan taken per repetition, the median of the ratios
 * reported.
 *
 * Verdicts: every keel_aave_scan and keel_aave_scan_flat verdict is compared
 * with keel_aave_user_account_data's (all N accounts), the flat outputs with
 * keel_aave_scan's (bit for bit), and the double-only keel_scan verdicts
 * (hf < 1) are counted where they differ from the chain's.
 *
 * Then, apart from the ratios, each Aave scan's time split: the accounts it
 * decides in double alone and those it sends to the exact path, each batch
 * timed on its own.
 *
 * Run: ./build/bench/bench_aave [N [reps [cg]]]   (default 1000000 9)
 * Instructions per account (callgrind; "cg" leaves out the split, so each
 * function runs 1 + reps times over the N accounts: divide by 2N for reps 1):
 *   valgrind --tool=callgrind --toggle-collect=keel_aave_scan_flat ./build/bench/bench_aave 20000 1 cg
 *   valgrind --tool=callgrind --toggle-collect=keel_aave_scan ./build/bench/bench_aave 20000 1 cg
 *   valgrind --tool=callgrind --toggle-collect=keel_scan ./build/bench/bench_aave 20000 1 cg
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <keel.h>

#include "bench_util.h"

__extension__ typedef unsigned __int128 u128;

enum { NRES = 6, NPOS = 4 };

static const struct {
    const char *sym;
    uint32_t dec, ltv, lt, bonus;
    uint64_t price;           /* 8-decimal USD */
    uint64_t liq_hi, var_hi;  /* index / 1e9 (18 significant digits of the ray) */
    uint64_t liq_lo, var_lo;  /* its last 9 digits */
} R[NRES] = {
    { "WETH", 18, 8050, 8300, 10500, 301234567890ull, 1034512345678901234ull, 1071298765432109876ull, 123456789, 987654321 },
    { "WBTC", 8, 7300, 7800, 10500, 6543210987654ull, 1003187654321098765ull, 1041234567890123456ull, 246813579, 135792468 },
    { "USDC", 6, 7500, 7800, 10450, 99991234ull, 1123456789012345678ull, 1198765432109876543ull, 314159265, 271828182 },
    { "DAI", 18, 6300, 7700, 10500, 100012345ull, 1154321098765432109ull, 1187654321098765432ull, 161803398, 141421356 },
    { "wstETH", 18, 7850, 8100, 10600, 351298765432ull, 1001234567890123456ull, 1045678901234567890ull, 577215664, 693147180 },
    { "LINK", 18, 5300, 6800, 10700, 1487654321ull, 1008765432109876543ull, 1053210987654321098ull, 223606797, 173205080 },
};

static unsigned long long lcg = 0x2545F4914F6CDD1Dull;

static double urand(void)
{
    lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(lcg >> 11) * 0x1.0p-53;
}

static keel_u256 u256_of(u128 v)
{
    keel_u256 r = {{(uint64_t)v, (uint64_t)(v >> 64), 0, 0}};
    return r;
}

static double pow10d(uint32_t e)
{
    double r = 1.0;
    for (uint32_t i = 0; i < e; i++)
        r *= 10.0;
    return r;
}

/* Underlying wei of usd dollars of reserve r. */
static u128 wei_of(double usd, int r)
{
    double w = usd / ((double)R[r].price / 1e8) * pow10d(R[r].dec);
    return w < 1.0 ? (u128)1 : (u128)w;
}

static double usd_of(u128 wei, int r)
{
    return (double)wei / pow10d(R[r].dec) * ((double)R[r].price / 1e8);
}

typedef struct {
    uint8_t held;      /* bitmask of reserves held */
    uint8_t coll;      /* bitmask of collateral reserves */
    uint8_t band;      /* tuned to within 1e-9 of HF = 1 */
} acct_info;

/* The chain's HF as a wad (the low limb: HF < 18 here), or UINT64_MAX without debt. */
static uint64_t chain_hf(const keel_aave_market *m, const keel_aave_account *a, int *liq)
{
    keel_aave_account_data d = KEEL_AAVE_ACCOUNT_DATA_INIT;
    die(keel_aave_user_account_data(m, a, &d));
    if (liq)
        *liq = d.liquidatable;
    if (d.health_factor.w[1] | d.health_factor.w[2] | d.health_factor.w[3])
        return UINT64_MAX;
    return d.health_factor.w[0];
}

/* One account: 4 distinct reserves, 2-3 of them collateral, the rest debt,
 * the debt sized for a target health factor. */
static void make_account(keel_aave_market *m, keel_aave_account *a, acct_info *info)
{
    int band = urand() < 0.005;
    double t; /* target HF - 1 */
    if (band) {
        double mag = pow(10.0, -15.0 + 6.0 * urand()); /* 1e-15 .. 1e-9 */
        t = urand() < 0.5 ? -mag : mag;
    } else {
        t = exp(log(0.7) + (log(3.0) - log(0.7)) * urand()) - 1.0;
    }
    double size = pow(10.0, 3.0 + 3.0 * urand()); /* collateral 1k .. 1M USD */
    int pick[NRES], nc, tune;
    for (;;) { /* band accounts need an 18-decimal debt reserve to tune the debt with */
        for (int i = 0; i < NRES; i++)
            pick[i] = i;
        for (int i = 0; i < NPOS; i++) {
            int j = i + (int)(urand() * (NRES - i));
            int x = pick[i];
            pick[i] = pick[j], pick[j] = x;
        }
        nc = urand() < 0.5 ? 2 : 3;
        tune = -1;
        for (int i = nc; i < NPOS; i++)
            if (R[pick[i]].dec == 18)
                tune = pick[i];
        if (!band || tune >= 0)
            break;
    }
    if (tune < 0)
        tune = pick[NPOS - 1];
    info->held = info->coll = 0;
    info->band = (uint8_t)band;
    double weights[3], wsum = 0.0, weighted = 0.0;
    for (int i = 0; i < nc; i++)
        wsum += weights[i] = 0.2 + urand();
    for (int i = 0; i < nc; i++) {
        int r = pick[i];
        u128 w = wei_of(size * weights[i] / wsum, r);
        die(keel_aave_account_set_position(a, m, (uint32_t)r, u256_of(w), u256_of(0),
                                           KEEL_AAVE_COLLATERAL | KEEL_AAVE_UNDERLYING));
        weighted += usd_of(w, r) * R[r].lt / 1e4;
        info->held |= (uint8_t)(1u << r);
        info->coll |= (uint8_t)(1u << r);
    }
    double debt = weighted / (1.0 + t), f = 0.2 + 0.6 * urand();
    u128 dw[NRES] = {0};
    for (int i = nc; i < NPOS; i++) {
        int r = pick[i];
        double share = NPOS - nc == 1 ? 1.0 : (r == tune ? 1.0 - f : f);
        dw[r] = wei_of(debt * share, r);
        die(keel_aave_account_set_position(a, m, (uint32_t)r, u256_of(0), u256_of(dw[r]),
                                           KEEL_AAVE_UNDERLYING));
        info->held |= (uint8_t)(1u << r);
    }
    if (!band)
        return;
    /* Newton on the chain's integers: HF = W / D with W fixed, so the debt
     * that gives 1 + t is D (HF / (1 + t)); a few steps reach the base unit
     * (10^-8 USD) the chain values the debt in. */
    for (int it = 0; it < 6; it++) {
        keel_aave_account_data d = KEEL_AAVE_ACCOUNT_DATA_INIT;
        die(keel_aave_user_account_data(m, a, &d));
        double e = ((double)(int64_t)(d.health_factor.w[0] - 1000000000000000000ull)) / 1e18;
        double rel = (e - t) / (1.0 + t); /* HF / (1 + t) - 1 */
        double dbase = keel_u256_to_double(d.total_debt_base) * rel;
        double dwei = dbase / (double)R[tune].price * pow10d(R[tune].dec);
        if (fabs(dwei) < 0.5)
            break;
        int64_t step = (int64_t)llround(dwei);
        dw[tune] = step >= 0 ? dw[tune] + (u128)step : dw[tune] - (u128)(-step);
        die(keel_aave_account_set_position(a, m, (uint32_t)tune, u256_of(0), u256_of(dw[tune]),
                                           KEEL_AAVE_UNDERLYING));
    }
}

static int cmpd(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* Accounts as keel_aave_scan_flat reads them: compressed sparse rows of
 * reserve ids, switches and 128-bit scaled balances (two words each). */
typedef struct flat_batch {
    size_t n, *off;
    uint32_t *res;
    uint8_t *fl;
    uint64_t *sup, *debt;
} flat_batch;

/* The flat arrays of n account handles, read back through the public API
 * (the scaled balances as stored). */
static void flat_build(const keel_aave_account *const *acc, size_t n, flat_batch *f)
{
    f->n = n;
    f->off = malloc((n + 1) * sizeof *f->off);
    f->res = malloc(NRES * (n ? n : 1) * sizeof *f->res);
    f->fl = malloc(NRES * (n ? n : 1));
    f->sup = malloc(2 * NRES * (n ? n : 1) * sizeof *f->sup);
    f->debt = malloc(2 * NRES * (n ? n : 1) * sizeof *f->debt);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        f->off[i] = j;
        for (uint32_t r = 0; r < NRES; r++) {
            keel_u256 s, d;
            uint32_t fl;
            die(keel_aave_account_position(acc[i], r, &s, &d, &fl));
            if (keel_u256_cmp(s, keel_u256_from_u64(0)) == 0 &&
                keel_u256_cmp(d, keel_u256_from_u64(0)) == 0 && fl == 0)
                continue;
            if (s.w[2] | s.w[3] | d.w[2] | d.w[3])
                die(KEEL_E_OVERFLOW);
            f->res[j] = r;
            f->fl[j] = (uint8_t)fl;
            f->sup[2 * j] = s.w[0], f->sup[2 * j + 1] = s.w[1];
            f->debt[2 * j] = d.w[0], f->debt[2 * j + 1] = d.w[1];
            j++;
        }
    }
    f->off[n] = j;
}

static void flat_free(flat_batch *f)
{
    free(f->off);
    free(f->res);
    free(f->fl);
    free(f->sup);
    free(f->debt);
}

static keel_status flat_scan(const keel_aave_market *m, const flat_batch *f, double *hf,
                             uint8_t *liq, size_t *exact)
{
    return keel_aave_scan_flat(m, f->n, f->off, f->res, f->fl, f->sup, f->debt, NULL, hf, liq,
                               exact);
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1000000;
    int reps = argc > 2 ? atoi(argv[2]) : 9;
    int split = !(argc > 3 && strcmp(argv[3], "cg") == 0); /* "cg": only the timed calls */
    if (n == 0 || reps < 1)
        return 2;

    keel_aave_market *am;
    die(keel_aave_market_new(KEEL_AAVE_V3_6, &am));
    for (int r = 0; r < NRES; r++) {
        keel_aave_reserve p = KEEL_AAVE_RESERVE_INIT;
        p.decimals = R[r].dec;
        p.ltv = R[r].ltv;
        p.liquidation_threshold = R[r].lt;
        p.liquidation_bonus = R[r].bonus;
        p.liquidation_protocol_fee = 1000;
        p.price = keel_u256_from_u64(R[r].price);
        p.liquidity_index = u256_of((u128)R[r].liq_hi * 1000000000u + R[r].liq_lo);
        p.variable_borrow_index = u256_of((u128)R[r].var_hi * 1000000000u + R[r].var_lo);
        p.last_update = 1760000000;
        uint32_t id;
        die(keel_aave_market_add_reserve(am, R[r].sym, &p, &id));
    }

    /* the accounts */
    double tb = now_s();
    keel_aave_account **acc = malloc(n * sizeof *acc);
    acct_info *info = malloc(n * sizeof *info);
    size_t nband = 0;
    for (size_t i = 0; i < n; i++) {
        die(keel_aave_account_new(&acc[i]));
        make_account(am, acc[i], &info[i]);
        nband += info[i].band;
    }

    /* keel's double objects: one market of the 6 reserves (price oracle / 1e8),
     * haircuts 1 - LTV and 1 - threshold, and the SoA rows from the chain's
     * underlying balances / 10^decimals -- what keel_aave_to_keel gives */
    keel_market *km;
    keel_haircut_model *kh;
    die(keel_market_new(&km));
    die(keel_haircut_model_new(&kh));
    for (int r = 0; r < NRES; r++) {
        keel_asset id;
        die(keel_market_add_asset(km, R[r].sym, keel_u256_to_double(keel_u256_from_u64(R[r].price)) / 1e8, &id));
        die(keel_haircut_model_set_asset(kh, id, 1.0 - R[r].ltv / 1e4, 1.0 - R[r].lt / 1e4));
    }
    size_t *off = malloc((n + 1) * sizeof *off);
    keel_asset *as = malloc(NPOS * n * sizeof *as);
    double *q = malloc(NPOS * n * sizeof *q), *dq = malloc(NPOS * n * sizeof *dq);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        off[i] = k;
        for (int r = 0; r < NRES; r++) {
            if (!(info[i].held >> r & 1u))
                continue;
            keel_u256 s, d;
            die(keel_aave_account_balances(am, acc[i], (uint32_t)r, &s, &d));
            as[k] = (keel_asset)r;
            q[k] = keel_u256_to_double(s) / pow10d(R[r].dec);
            dq[k] = keel_u256_to_double(d) / pow10d(R[r].dec);
            k++;
        }
    }
    off[n] = k;
    double *hf_x = malloc(n * sizeof *hf_x), *hf_d = malloc(n * sizeof *hf_d);
    uint8_t *liq_x = malloc(n);
    tb = now_s() - tb;

    /* the SoA rows are keel_aave_to_keel's: every 500th account through the
     * bridge and keel_basket_metrics, against keel_scan */
    die(keel_scan(km, kh, n, off, as, q, dq, hf_d));
    size_t bridge_checked = 0, bridge_diff = 0;
    for (size_t i = 0; i < n; i += 500) {
        keel_market *bm;
        keel_basket *bb;
        keel_haircut_model *bh;
        die(keel_aave_to_keel(am, acc[i], &bm, &bb, &bh, NULL, 0, NULL));
        keel_metrics met = KEEL_METRICS_INIT;
        die(keel_basket_metrics(bb, NULL, bm, bh, &met));
        bridge_checked++;
        bridge_diff += memcmp(&met.health_factor, &hf_d[i], sizeof(double)) != 0;
        keel_market_free(bm);
        keel_basket_free(bb);
        keel_haircut_model_free(bh);
    }

    /* the accounts keel_aave_scan sends to the exact path, one by one, for
     * the split of its time: the double pass alone (the others) and the
     * exact path (these), each timed as a batch of its own */
    const keel_aave_account **ex = malloc(n * sizeof *ex), **dbl = malloc(n * sizeof *dbl);
    double *hf_s = malloc(n * sizeof *hf_s);
    uint8_t *liq_s = malloc(n);
    size_t nex = 0, ndbl = 0;
    for (size_t i = 0; split && i < n; i++) {
        size_t e1;
        uint8_t l1;
        die(keel_aave_scan(am, (const keel_aave_account *const *)&acc[i], 1, NULL, &l1, &e1));
        if (e1)
            ex[nex++] = acc[i];
        else
            dbl[ndbl++] = acc[i];
    }

    /* the same accounts as flat arrays, for keel_aave_scan_flat; and the
     * two halves of the split likewise */
    flat_batch fb, fb_dbl, fb_ex;
    flat_build((const keel_aave_account *const *)acc, n, &fb);
    flat_build(dbl, ndbl, &fb_dbl);
    flat_build(ex, nex, &fb_ex);
    double *hf_f = malloc(n * sizeof *hf_f);
    uint8_t *liq_f = malloc(n);

    /* timing: interleaved, the order rotating, thread CPU time */
    size_t exact = 0, exact_f = 0;
    die(keel_aave_scan(am, (const keel_aave_account *const *)acc, n, hf_x, liq_x, &exact)); /* warm-up */
    die(flat_scan(am, &fb, hf_f, liq_f, &exact_f)); /* warm-up */
    double *tx = malloc((size_t)reps * sizeof *tx), *td = malloc((size_t)reps * sizeof *td),
           *tf = malloc((size_t)reps * sizeof *tf), *ratio = malloc((size_t)reps * sizeof *ratio),
           *ratio_f = malloc((size_t)reps * sizeof *ratio_f);
    for (int r = 0; r < reps; r++) {
        for (int pass = 0; pass < 3; pass++) {
            int which = (pass + r) % 3; /* each function first, second and third in turn */
            double t0 = thread_ns();
            if (which == 0)
                die(keel_aave_scan(am, (const keel_aave_account *const *)acc, n, hf_x, liq_x, &exact));
            else if (which == 1)
                die(flat_scan(am, &fb, hf_f, liq_f, &exact_f));
            else
                die(keel_scan(km, kh, n, off, as, q, dq, hf_d));
            double t = (thread_ns() - t0) / (double)n;
            *(which == 0 ? &tx[r] : which == 1 ? &tf[r] : &td[r]) = t;
        }
        ratio[r] = tx[r] / td[r];
        ratio_f[r] = tf[r] / td[r];
    }
    /* the split, after the timed rounds (not part of the ratios) */
    double *tdbl = malloc((size_t)reps * sizeof *tdbl), *tex = malloc((size_t)reps * sizeof *tex);
    double *tdbl_f = malloc((size_t)reps * sizeof *tdbl_f), *tex_f = malloc((size_t)reps * sizeof *tex_f);
    for (int r = 0; split && r < reps; r++) {
        size_t e1;
        double t0 = thread_ns();
        die(keel_aave_scan(am, dbl, ndbl, hf_s, liq_s, &e1));
        tdbl[r] = (thread_ns() - t0) / (double)(ndbl ? ndbl : 1);
        t0 = thread_ns();
        die(keel_aave_scan(am, ex, nex, hf_s, liq_s, &e1));
        tex[r] = (thread_ns() - t0) / (double)(nex ? nex : 1);
        t0 = thread_ns();
        die(flat_scan(am, &fb_dbl, hf_s, liq_s, &e1));
        tdbl_f[r] = (thread_ns() - t0) / (double)(ndbl ? ndbl : 1);
        t0 = thread_ns();
        die(flat_scan(am, &fb_ex, hf_s, liq_s, &e1));
        tex_f[r] = (thread_ns() - t0) / (double)(nex ? nex : 1);
    }
    qsort(tdbl, (size_t)reps, sizeof *tdbl, cmpd);
    qsort(tex, (size_t)reps, sizeof *tex, cmpd);
    qsort(tdbl_f, (size_t)reps, sizeof *tdbl_f, cmpd);
    qsort(tex_f, (size_t)reps, sizeof *tex_f, cmpd);

    /* keel_aave_scan_flat's outputs are keel_aave_scan's, bit for bit */
    size_t flat_diff = exact_f != exact;
    for (size_t i = 0; i < n; i++)
        flat_diff += liq_f[i] != liq_x[i] || memcmp(&hf_f[i], &hf_x[i], sizeof(double)) != 0;

    /* verdicts: the chain's for every account */
    size_t x_diff = 0, f_diff = 0, d_diff = 0, chain_liq = 0, band_exact_side = 0, band_liq = 0;
    size_t d_diff_band = 0, d_missed = 0; /* d_missed: liquidatable on chain, not in double */
    double band_min = INFINITY, band_max = 0.0;
    for (size_t i = 0; i < n; i++) {
        int liq;
        uint64_t w = chain_hf(am, acc[i], &liq);
        chain_liq += (size_t)liq;
        x_diff += (liq_x[i] != 0) != (liq != 0);
        f_diff += (liq_f[i] != 0) != (liq != 0);
        int dl = hf_d[i] < 1.0;
        d_diff += dl != (liq != 0);
        d_missed += liq && !dl;
        if (info[i].band) {
            double dist = fabs((double)(int64_t)(w - 1000000000000000000ull)) / 1e18;
            band_min = fmin(band_min, dist);
            band_max = fmax(band_max, dist);
            band_liq += (size_t)liq;
            d_diff_band += dl != (liq != 0);
            band_exact_side += dist < 1e-11;
        }
    }

    printf("Aave v3.6, %d reserves, %zu accounts x %d positions (%zu tuned to within 1e-9 of HF = 1: "
           "|HF - 1| from %.3g to %.3g on chain, %zu of them below 1e-11, %zu liquidatable); built in %.1f s\n",
           NRES, n, NPOS, nband, band_min, band_max, band_exact_side, band_liq, tb);
    printf("SoA rows = keel_aave_to_keel + keel_basket_metrics: %zu of %zu sampled accounts differ (bitwise)\n\n",
           bridge_diff, bridge_checked);
    printf("thread CPU time, ns/account per repetition (%d repetitions, interleaved):\n", reps);
    printf("  keel_aave_scan:     ");
    for (int r = 0; r < reps; r++)
        printf(" %.1f", tx[r]);
    printf("\n  keel_aave_scan_flat:");
    for (int r = 0; r < reps; r++)
        printf(" %.1f", tf[r]);
    printf("\n  keel_scan:          ");
    for (int r = 0; r < reps; r++)
        printf(" %.1f", td[r]);
    printf("\n  ratio, handles:     ");
    for (int r = 0; r < reps; r++)
        printf(" %.2f", ratio[r]);
    printf("\n  ratio, flat:        ");
    for (int r = 0; r < reps; r++)
        printf(" %.2f", ratio_f[r]);
    qsort(tx, (size_t)reps, sizeof *tx, cmpd);
    qsort(tf, (size_t)reps, sizeof *tf, cmpd);
    qsort(td, (size_t)reps, sizeof *td, cmpd);
    qsort(ratio, (size_t)reps, sizeof *ratio, cmpd);
    qsort(ratio_f, (size_t)reps, sizeof *ratio_f, cmpd);
    printf("\n\n| scan | ns/account (median, min..max) | median ratio | exact-path accounts | verdicts unlike the chain's |\n");
    printf("|---|---:|---:|---:|---:|\n");
    printf("| keel_aave_scan_flat | %.1f (%.1f..%.1f) | %.2f | %zu | %zu of %zu |\n", tf[reps / 2],
           tf[0], tf[reps - 1], ratio_f[reps / 2], exact_f, f_diff, n);
    printf("| keel_aave_scan, handles | %.1f (%.1f..%.1f) | %.2f | %zu | %zu of %zu |\n", tx[reps / 2], tx[0],
           tx[reps - 1], ratio[reps / 2], exact, x_diff, n);
    printf("| keel_scan, double only | %.1f (%.1f..%.1f) | 1 | 0 | %zu of %zu (%zu in the band; "
           "%zu liquidatable on chain but not in double) |\n",
           td[reps / 2], td[0], td[reps - 1], d_diff, n, d_diff_band, d_missed);
    /* FNV-1a of keel_aave_scan's outputs: equal before and after a change
     * to the library that must keep its results bit for bit */
    uint64_t hash = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        unsigned char b[9];
        memcpy(b, &hf_x[i], 8);
        b[8] = liq_x[i];
        for (int j = 0; j < 9; j++)
            hash = (hash ^ b[j]) * 1099511628211ull;
    }
    if (split) {
        printf("\nsplit (medians): the %zu accounts decided in double alone, the %zu exact-path accounts\n",
               ndbl, nex);
        printf("  keel_aave_scan:      %.1f ns each; %.0f ns each (%.1f ns per account of the whole batch)\n",
               tdbl[reps / 2], tex[reps / 2], tex[reps / 2] * (double)nex / (double)n);
        printf("  keel_aave_scan_flat: %.1f ns each; %.0f ns each (%.1f ns per account of the whole batch)\n",
               tdbl_f[reps / 2], tex_f[reps / 2], tex_f[reps / 2] * (double)nex / (double)n);
    }
    printf("\nkeel_aave_scan_flat's outputs differ from keel_aave_scan's (bitwise) on %zu of %zu accounts\n",
           flat_diff, n);
    printf("\nchain: %zu of %zu accounts liquidatable; each timed function was called %d times "
           "(1 warm-up + %d); keel_aave_scan outputs (hf, verdict) hash %016llx\n",
           chain_liq, n, reps + 1, reps, (unsigned long long)hash);

    for (size_t i = 0; i < n; i++)
        keel_aave_account_free(acc[i]);
    free(acc);
    free(info);
    free(off);
    free(as);
    free(q);
    free(dq);
    free(hf_x);
    free(hf_d);
    free(liq_x);
    free(tx);
    free(tf);
    free(ratio_f);
    free(tdbl_f);
    free(tex_f);
    free(hf_f);
    free(liq_f);
    flat_free(&fb);
    flat_free(&fb_dbl);
    flat_free(&fb_ex);
    free(td);
    free(ratio);
    free(tdbl);
    free(tex);
    free(ex);
    free(dbl);
    free(hf_s);
    free(liq_s);
    keel_market_free(km);
    keel_haircut_model_free(kh);
    keel_aave_market_free(am);
    return x_diff != 0 || f_diff != 0 || flat_diff != 0; /* a verdict unlike the chain's is a bug */
}

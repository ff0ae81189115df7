/* The batch scan on every dispatch target this CPU runs (lib/core/cpu.h):
 * random markets and accounts, every target's health factors equal
 * keel_basket_metrics' bit for bit (the definition, valued one account at a
 * time through a basket), the liquidations-at-risk curve the sum of the
 * shocked metrics' collateral values, and bad positions inside blocks the
 * vector kernels take reported as the scalar path reports them. Links the
 * static library for keel_scan_isa (lib/scan/scan_internal.h). */
#include "testutil.h"

#include "core/cpu.h"
#include "scan/scan_internal.h"

typedef struct rows {
    size_t n, npos, *off;
    keel_asset *id;
    double *q, *d;
} rows;

static unsigned long long rng = 88172645463325252ull;
static double unif(void) /* xorshift64, [0, 1) */
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (double)(rng >> 11) * 0x1.0p-53;
}

/* n accounts; most hold exactly 4 positions (the vector kernels' blocks),
 * some 0..7; quantities over many magnitudes, zeros and -0.0 among them. */
static rows make_rows(size_t n, size_t nassets)
{
    rows r = { .n = n };
    r.off = malloc((n + 1) * sizeof *r.off);
    size_t cap = 8 * n + 8;
    r.id = malloc(cap * sizeof *r.id);
    r.q = malloc(cap * sizeof *r.q);
    r.d = malloc(cap * sizeof *r.d);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        r.off[i] = k;
        size_t len = unif() < 0.85 ? 4 : (size_t)(unif() * 8);
        if (len > nassets)
            len = nassets;
        /* len distinct increasing ids out of nassets (selection sampling) */
        size_t need = len;
        for (size_t a = 0; a < nassets && need > 0; a++)
            if (unif() * (double)(nassets - a) < (double)need) {
                r.id[k] = (keel_asset)a;
                double u = unif();
                r.q[k] = u < 0.2 ? 0.0 : u < 0.25 ? -0.0 : ldexp(unif(), (int)(unif() * 40) - 20);
                u = unif();
                r.d[k] = u < 0.6 ? 0.0 : u < 0.65 ? -0.0 : ldexp(unif(), (int)(unif() * 40) - 20);
                k++, need--;
            }
    }
    r.off[n] = k;
    r.npos = k;
    return r;
}

static void free_rows(rows *r)
{
    free(r->off);
    free(r->id);
    free(r->q);
    free(r->d);
}

/* A market of n assets with prices over many magnitudes, volatilities (some
 * zero), haircuts and borrow factors, all random. */
static void make_market(size_t n, keel_market **m, keel_haircut_model **h)
{
    ck_ok(keel_market_new(m));
    ck_ok(keel_haircut_model_new(h));
    for (size_t a = 0; a < n; a++) {
        char sym[32];
        snprintf(sym, sizeof sym, "A%zu", a);
        keel_asset id;
        ck_ok(keel_market_add_asset(*m, sym, ldexp(0.5 + unif(), (int)(unif() * 30) - 10), &id));
        ck_ok(keel_market_set_volatility(*m, id, unif() < 0.3 ? 0.0 : unif()));
        double hm = 0.5 * unif(), hi = hm + 0.2 * unif();
        ck_ok(keel_haircut_model_set_asset(*h, id, hi, hm));
        ck_ok(keel_haircut_model_set_borrow_factor(*h, id, 1.0 + unif()));
    }
}

/* Account i's metrics by the definition: a basket, keel_basket_metrics. */
static keel_metrics basket_metrics(const rows *r, size_t i, const keel_market *m,
                                   const keel_haircut_model *h)
{
    keel_basket *b;
    ck_ok(keel_basket_new(&b));
    for (size_t k = r->off[i]; k < r->off[i + 1]; k++) {
        ck_ok(keel_basket_set_collateral(b, r->id[k], r->q[k]));
        ck_ok(keel_basket_set_debt(b, r->id[k], r->d[k]));
    }
    keel_metrics out = KEEL_METRICS_INIT;
    ck_ok(keel_basket_metrics(b, NULL, m, h, &out));
    keel_basket_free(b);
    return out;
}

static bool same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

START_TEST(every_target_equals_basket_metrics)
{
    /* asset counts on both sides of the kernels' register tables (8, 16) */
    const size_t sizes[] = { 1, 3, 4, 5, 8, 9, 16, 17, 40 };
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        keel_market *m;
        keel_haircut_model *h;
        make_market(sizes[s], &m, &h);
        rows r = make_rows(1003, sizes[s]);
        double *want = malloc(r.n * sizeof *want), *got = malloc(r.n * sizeof *got);
        for (size_t i = 0; i < r.n; i++)
            want[i] = basket_metrics(&r, i, m, h).health_factor;
        for (int isa = 0; isa < KEEL_ISA_COUNT; isa++) {
            if (!keel_isa_usable((keel_isa)isa))
                continue;
            ck_ok(keel_scan_isa((keel_isa)isa, m, h, r.n, r.off, r.id, r.q, r.d, got));
            for (size_t i = 0; i < r.n; i++)
                ck_assert_msg(same_bits(got[i], want[i]),
                              "%s, %zu assets, account %zu: %.17g, basket %.17g",
                              keel_isa_name((keel_isa)isa), sizes[s], i, got[i], want[i]);
            /* a shard: a pointer into the offsets, indexing the global arrays */
            ck_ok(keel_scan_isa((keel_isa)isa, m, h, 101, r.off + 333, r.id, r.q, r.d, got));
            for (size_t i = 0; i < 101; i++)
                ck_assert(same_bits(got[i], want[333 + i]));
        }
        free(want);
        free(got);
        free_rows(&r);
        keel_haircut_model_free(h);
        keel_market_free(m);
    }
}
END_TEST

START_TEST(liquidations_at_risk_every_target)
{
    keel_market *m;
    keel_haircut_model *h;
    make_market(6, &m, &h);
    rows r = make_rows(700, 6);
    const double shocks[] = { 0.0, -0.2, -0.5, 0.3 };
    enum { NS = sizeof shocks / sizeof *shocks };
    /* the definition: the shocked market, each account's metrics, summed in account order */
    double want[NS];
    for (size_t s = 0; s < NS; s++) {
        keel_market *sm;
        ck_ok(keel_market_clone(m, &sm));
        for (keel_asset a = 0; a < 6; a++) {
            double p, v;
            ck_ok(keel_market_price(m, a, &p));
            ck_ok(keel_market_volatility(m, a, &v));
            ck_ok(keel_market_set_price(sm, a, v > 0.0 ? p * (1.0 + shocks[s]) : p));
        }
        want[s] = 0.0;
        for (size_t i = 0; i < r.n; i++) {
            keel_metrics km = basket_metrics(&r, i, sm, h);
            if (km.health_factor < 1.0)
                want[s] += km.collateral_value;
        }
        keel_market_free(sm);
    }
    for (int isa = 0; isa < KEEL_ISA_COUNT; isa++) {
        if (!keel_isa_usable((keel_isa)isa))
            continue;
        double got[NS];
        ck_ok(keel_liquidations_at_risk_isa((keel_isa)isa, m, h, r.n, r.off, r.id, r.q, r.d, NS,
                                            shocks, got));
        for (size_t s = 0; s < NS; s++)
            ck_assert_msg(same_bits(got[s], want[s]), "%s, shock %g: %.17g, want %.17g",
                          keel_isa_name((keel_isa)isa), shocks[s], got[s], want[s]);
    }
    free_rows(&r);
    keel_haircut_model_free(h);
    keel_market_free(m);
}
END_TEST

/* A bad position of account 13, inside a block of 4-position accounts a
 * vector kernel would take: every target fails with the scalar path's
 * status and names the account; the accounts before it are written. */
START_TEST(bad_positions_inside_blocks)
{
    keel_market *m;
    keel_haircut_model *h;
    make_market(8, &m, &h);
    enum { N = 32 };
    size_t off[N + 1];
    keel_asset id[4 * N];
    double q[4 * N], d[4 * N];
    for (size_t i = 0; i <= N; i++)
        off[i] = 4 * i;
    struct {
        int kind;
        keel_status st;
        const char *text;
    } cases[] = {
        { 0, KEEL_E_UNKNOWN_ASSET, "account 13 holds asset 8" },
        { 1, KEEL_E_OUT_OF_RANGE, "account 13: assets must be strictly increasing" },
        { 2, KEEL_E_NOT_FINITE, "account 13: a quantity" },
        { 3, KEEL_E_NOT_FINITE, "account 13: a quantity" },
        { 4, KEEL_E_OUT_OF_RANGE, "account 13: a negative quantity" },
        { 5, KEEL_E_OVERFLOW, "account 13: its value overflows" },
        { 6, KEEL_E_UNKNOWN_ASSET, "account 13 holds asset 4294967295" },
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        for (size_t k = 0; k < 4 * N; k++) {
            id[k] = (keel_asset)(2 * (k % 4));
            q[k] = 1.0 + (double)k;
            d[k] = k % 4 == 1 ? 50.0 : 0.0;
        }
        size_t at = 4 * 13 + 2;
        switch (cases[c].kind) {
        case 0: id[at] = 8, id[at + 1] = 9; break;
        case 1: id[at] = id[at - 1]; break;
        case 2: q[at] = NAN; break;
        case 3: d[at] = INFINITY; break;
        case 4: d[at] = -1e-300; break;
        case 5: q[at] = 0x1p1023, q[at + 1] = 0x1p1023; break;
        case 6: id[at] = 0xFFFFFFFFu, id[at + 1] = 0xFFFFFFFFu; break;
        }
        double want[N];
        for (size_t i = 0; i < 13; i++) {
            rows r = { .n = N, .off = off, .id = id, .q = q, .d = d };
            want[i] = basket_metrics(&r, i, m, h).health_factor;
        }
        for (int isa = 0; isa < KEEL_ISA_COUNT; isa++) {
            if (!keel_isa_usable((keel_isa)isa))
                continue;
            double got[N];
            for (size_t i = 0; i < N; i++)
                got[i] = -7.0;
            ck_status(keel_scan_isa((keel_isa)isa, m, h, N, off, id, q, d, got), cases[c].st);
            ck_assert_msg(strstr(keel_last_error(), cases[c].text) != NULL, "%s: %s",
                          keel_isa_name((keel_isa)isa), keel_last_error());
            for (size_t i = 0; i < 13; i++)
                ck_assert(same_bits(got[i], want[i]));
            double lar;
            const double shock = 0.0;
            ck_status(keel_liquidations_at_risk_isa((keel_isa)isa, m, h, N, off, id, q, d, 1,
                                                    &shock, &lar),
                      cases[c].st);
            ck_assert_msg(strstr(keel_last_error(), cases[c].text) != NULL, "%s: %s",
                          keel_isa_name((keel_isa)isa), keel_last_error());
        }
    }
    keel_haircut_model_free(h);
    keel_market_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("scan");
    TCase *tc = tcase_create("targets");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, every_target_equals_basket_metrics);
    tcase_add_test(tc, liquidations_at_risk_every_target);
    tcase_add_test(tc, bad_positions_inside_blocks);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

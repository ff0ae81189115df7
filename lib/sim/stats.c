/* Statistics of a backtest: per-path records in increasing path, merged
 * across shards into the same bits as one run; the summary, percentiles and
 * a versioned byte form for shards run elsewhere. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_internal.h"
#include "sim_internal.h"

keel_sim_stats *keel_sim_stats_new(uint64_t origin, size_t capacity)
{
    keel_sim_stats *st = keel_handle_alloc(sizeof *st, KEEL_TAG_STATS);
    if (st == NULL)
        return NULL;
    st->origin = origin;
    st->r = keel_alloc_array(capacity ? capacity : 1, sizeof *st->r);
    if (st->r == NULL) {
        keel_handle_release(st);
        return NULL;
    }
    st->capacity = capacity ? capacity : 1;
    return st;
}

void keel_sim_stats_free(keel_sim_stats *stats)
{
    if (!keel_handle_is(stats, KEEL_TAG_STATS))
        return;
    keel_dealloc(stats->r);
    keel_handle_release(stats);
}

#define CHECK_STATS(s, name) KEEL_TRY(keel_check_handle((s), KEEL_TAG_STATS, __func__, name))

keel_status keel_sim_stats_merge(keel_sim_stats *into, const keel_sim_stats *from)
{
    CHECK_STATS(into, "into");
    CHECK_STATS(from, "from");
    if (into == from)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: merging statistics with themselves", __func__);
    if (into->origin != from->origin)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: the statistics come from different simulations", __func__);
    size_t n = into->count + from->count;
    path_record *m = keel_alloc_array(n ? n : 1, sizeof *m);
    if (m == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    size_t i = 0, j = 0, k = 0;
    while (i < into->count || j < from->count) {
        if (j == from->count || (i < into->count && into->r[i].path < from->r[j].path)) {
            m[k++] = into->r[i++];
        } else if (i == into->count || from->r[j].path < into->r[i].path) {
            m[k++] = from->r[j++];
        } else {
            uint64_t dup = into->r[i].path;
            keel_dealloc(m);
            return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: path %llu is in both", __func__,
                             (unsigned long long)dup);
        }
    }
    keel_dealloc(into->r);
    into->r = m;
    into->count = into->capacity = n;
    return KEEL_OK;
}

keel_status keel_sim_stats_summary(const keel_sim_stats *stats, keel_sim_summary *out)
{
    CHECK_STATS(stats, "stats");
    KEEL_TRY(keel_check_sized(out, __func__, "out", "keel_sim_summary"));
    keel_sim_summary s = KEEL_SIM_SUMMARY_INIT;
    s.first_policy_failure_path = UINT64_MAX;
    size_t n = stats->count, with_debt = 0, liquidated = 0;
    double minh = 0.0, meanh = 0.0;
    for (size_t i = 0; i < n; i++) { /* in path order: the same bits however it was split */
        const path_record *r = &stats->r[i];
        liquidated += r->liquidations > 0.0;
        s.mean_liquidations += r->liquidations;
        s.mean_bonus_lost += r->bonus_lost;
        s.mean_rebalance_cost += r->cost;
        s.mean_trades += r->trades;
        s.mean_final_equity += r->final_equity;
        s.mean_capital_efficiency += r->mean_efficiency;
        s.policy_failures += r->policy_failures;
        if (r->policy_failures > 0) {
            s.paths_with_policy_failures++;
            if (r->path < s.first_policy_failure_path)
                s.first_policy_failure_path = r->path;
        }
        if (r->has_debt) {
            with_debt++;
            minh += r->min_health;
            meanh += r->mean_health;
        }
    }
    s.paths = n;
    if (n > 0) {
        double p = (double)liquidated / (double)n;
        s.liquidation_probability = p;
        s.liquidation_probability_se = sqrt(p * (1.0 - p) / (double)n);
        s.mean_liquidations /= (double)n;
        s.mean_bonus_lost /= (double)n;
        s.mean_rebalance_cost /= (double)n;
        s.mean_trades /= (double)n;
        s.mean_final_equity /= (double)n;
        s.mean_capital_efficiency /= (double)n;
    }
    s.mean_min_health = with_debt ? minh / (double)with_debt : INFINITY;
    s.mean_health = with_debt ? meanh / (double)with_debt : INFINITY;
    keel_write_sized(out, &s, sizeof s);
    return KEEL_OK;
}

static double metric_of(const path_record *r, keel_sim_metric m)
{
    switch (m) {
    case KEEL_SIM_FINAL_EQUITY: return r->final_equity;
    case KEEL_SIM_MIN_HEALTH: return r->min_health;
    case KEEL_SIM_MEAN_HEALTH: return r->mean_health;
    case KEEL_SIM_REBALANCE_COST: return r->cost;
    case KEEL_SIM_BONUS_LOST: return r->bonus_lost;
    case KEEL_SIM_LIQUIDATIONS: return r->liquidations;
    case KEEL_SIM_FINAL_HEALTH: return r->final_health;
    case KEEL_SIM_POLICY_FAILURES: return (double)r->policy_failures;
    }
    return NAN;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

keel_status keel_sim_stats_values(const keel_sim_stats *stats, keel_sim_metric metric,
                                  uint64_t *paths, double *values, size_t capacity,
                                  size_t *out_count)
{
    CHECK_STATS(stats, "stats");
    KEEL_TRY(keel_check_ptr(out_count, __func__, "out_count"));
    if ((unsigned)metric > (unsigned)KEEL_SIM_POLICY_FAILURES)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: unknown metric %d", __func__, (int)metric);
    *out_count = stats->count;
    if (paths == NULL && values == NULL)
        return KEEL_OK;
    if (capacity < stats->count)
        return keel_fail(KEEL_E_BUFFER_TOO_SMALL, "%s: %zu paths, room for %zu", __func__,
                         stats->count, capacity);
    for (size_t i = 0; i < stats->count; i++) {
        if (paths != NULL)
            paths[i] = stats->r[i].path;
        if (values != NULL)
            values[i] = metric_of(&stats->r[i], metric);
    }
    return KEEL_OK;
}

keel_status keel_sim_stats_percentile(const keel_sim_stats *stats, keel_sim_metric metric,
                                      double q, double *out_value)
{
    CHECK_STATS(stats, "stats");
    KEEL_TRY(keel_check_range(q, 0.0, 1.0, __func__, "q"));
    KEEL_TRY(keel_check_ptr(out_value, __func__, "out_value"));
    if ((int)metric < 0 || metric > KEEL_SIM_POLICY_FAILURES)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: unknown metric %d", __func__, (int)metric);
    size_t n = stats->count;
    if (n == 0)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: no paths", __func__);
    double *v = keel_alloc_array(n, sizeof *v);
    if (v == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    for (size_t i = 0; i < n; i++)
        v[i] = metric_of(&stats->r[i], metric);
    qsort(v, n, sizeof *v, cmp_double);
    double h = (double)(n - 1) * q;
    size_t lo = (size_t)floor(h);
    double frac = h - (double)lo;
    double value = lo + 1 < n && frac > 0.0 && v[lo + 1] != v[lo]
                       ? v[lo] + frac * (v[lo + 1] - v[lo])
                       : v[lo];
    keel_dealloc(v);
    *out_value = value;
    return KEEL_OK;
}

/* ---- serialisation: "KSTS", version 1, origin, count; then per path the
 * index, nine doubles (as IEEE bits), the policy failures and the debt
 * flag; all little-endian ---- */

enum { HEADER = 24, RECORD = 88, NFIELDS = 9, VERSION = 1 };

static void put64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void putd(unsigned char *p, double d)
{
    uint64_t v;
    memcpy(&v, &d, sizeof v);
    put64(p, v);
}

static double getd(const unsigned char *p)
{
    uint64_t v = get64(p);
    double d;
    memcpy(&d, &v, sizeof d);
    return d;
}

/* The doubles of a record, in their serialised order. */
static double *record_field(path_record *r, int i)
{
    double *f[NFIELDS] = { &r->liquidations, &r->bonus_lost,  &r->cost,
                           &r->trades,       &r->final_equity, &r->min_health,
                           &r->mean_health,  &r->mean_efficiency, &r->final_health };
    return f[i];
}

keel_status keel_sim_stats_serialize(const keel_sim_stats *stats, void *buffer, size_t capacity,
                                     size_t *out_size)
{
    CHECK_STATS(stats, "stats");
    KEEL_TRY(keel_check_ptr(out_size, __func__, "out_size"));
    if (stats->count > (SIZE_MAX - HEADER) / RECORD)
        return keel_fail(KEEL_E_OVERFLOW, "%s: %zu paths overflow", __func__, stats->count);
    size_t need = HEADER + stats->count * RECORD;
    *out_size = need;
    if (buffer == NULL || capacity < need)
        return keel_fail(KEEL_E_BUFFER_TOO_SMALL, "%s: %zu bytes needed, %zu given", __func__,
                         need, buffer == NULL ? 0 : capacity);
    unsigned char *p = buffer;
    memcpy(p, "KSTS", 4);
    put32(p + 4, VERSION);
    put64(p + 8, stats->origin);
    put64(p + 16, stats->count);
    p += HEADER;
    for (size_t i = 0; i < stats->count; i++, p += RECORD) {
        path_record r = stats->r[i];
        put64(p, r.path);
        for (int k = 0; k < NFIELDS; k++)
            putd(p + 8 + 8 * k, *record_field(&r, k));
        put32(p + 8 + 8 * NFIELDS, r.policy_failures);
        put32(p + 12 + 8 * NFIELDS, r.has_debt ? 1u : 0u);
    }
    return KEEL_OK;
}

keel_status keel_sim_stats_deserialize(const void *buffer, size_t size, keel_sim_stats **out_stats)
{
    const char *fn = __func__;
    KEEL_TRY(keel_check_ptr(buffer, fn, "buffer"));
    KEEL_TRY(keel_check_ptr(out_stats, fn, "out_stats"));
    const unsigned char *p = buffer;
    if (size < HEADER || memcmp(p, "KSTS", 4) != 0)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: not keel simulation statistics", fn);
    if (get32(p + 4) != VERSION)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: version %u; this library reads version %d", fn,
                         get32(p + 4), VERSION);
    uint64_t count = get64(p + 16);
    if (count > (size - HEADER) / RECORD || HEADER + count * RECORD != size)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: %zu bytes do not hold %llu paths", fn, size,
                         (unsigned long long)count);
    keel_sim_stats *st = keel_sim_stats_new(get64(p + 8), (size_t)count);
    if (st == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory for %llu paths", fn,
                         (unsigned long long)count);
    const unsigned char *q = p + HEADER;
    for (size_t i = 0; i < count; i++, q += RECORD) {
        path_record r;
        memset(&r, 0, sizeof r);
        r.path = get64(q);
        bool bad = i > 0 && r.path <= st->r[i - 1].path;
        for (int k = 0; k < NFIELDS; k++) {
            *record_field(&r, k) = getd(q + 8 + 8 * k);
            bad |= isnan(*record_field(&r, k));
        }
        r.policy_failures = get32(q + 8 + 8 * NFIELDS);
        uint32_t flag = get32(q + 12 + 8 * NFIELDS);
        bad |= flag > 1;
        r.has_debt = flag == 1;
        if (bad) {
            keel_sim_stats_free(st);
            return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: path record %zu is corrupt", fn, i);
        }
        st->r[st->count++] = r;
    }
    *out_stats = st;
    return KEEL_OK;
}

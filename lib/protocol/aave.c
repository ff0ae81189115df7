/* Aave v3 market and account handles: reserves, e-mode categories, positions,
 * interest accrual. The rules the values follow are in aave_eval.c. */
#include <string.h>

#include "core/core_internal.h"
#include "protocol/aave_internal.h"

#define CHECK_MARKET(m) KEEL_TRY(keel_check_handle((m), KEEL_TAG_AAVE_MARKET, __func__, "market"))
#define CHECK_ACCOUNT(a) \
    KEEL_TRY(keel_check_handle((a), KEEL_TAG_AAVE_ACCOUNT, __func__, "account"))

KEEL_DEFINE_PARAMS_INIT(keel_aave_reserve, KEEL_AAVE_RESERVE_INIT)
KEEL_DEFINE_PARAMS_INIT(keel_aave_emode, KEEL_AAVE_EMODE_INIT)

static const keel_u256 RAY_U256 = {{0x9fd0803ce8000000ull, 0x33b2e3cull, 0, 0}};

static double ray_ratio(keel_u256 index) { return u256_to_double(index) / 1e27; }

/* ---- market ---- */

keel_status keel_aave_market_new(keel_aave_version version, keel_aave_market **out)
{
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    if (version != KEEL_AAVE_V3_4 && version != KEEL_AAVE_V3_5 && version != KEEL_AAVE_V3_6)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: version %d is not one keel knows (KEEL_AAVE_V3_4 = 340, V3_5 = 350, "
                         "V3_6 = 360)",
                         __func__, (int)version);
    keel_aave_market *m = keel_handle_alloc(sizeof *m, KEEL_TAG_AAVE_MARKET);
    if (m == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    m->version = (int)version;
    *out = m;
    return KEEL_OK;
}

void keel_aave_market_free(keel_aave_market *market)
{
    if (keel_handle_is(market, KEEL_TAG_AAVE_MARKET))
        keel_handle_release(market);
}

keel_status keel_aave_market_clone(const keel_aave_market *market, keel_aave_market **out)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    keel_aave_market *m = keel_handle_alloc(sizeof *m, KEEL_TAG_AAVE_MARKET);
    if (m == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    memcpy(m, market, sizeof *m);
    *out = m;
    return KEEL_OK;
}

int keel_aave_market_version(const keel_aave_market *market)
{
    return keel_handle_is(market, KEEL_TAG_AAVE_MARKET) ? market->version : 0;
}

size_t keel_aave_market_size(const keel_aave_market *market)
{
    return keel_handle_is(market, KEEL_TAG_AAVE_MARKET) ? market->count : 0;
}

static keel_status check_bps(uint32_t v, uint32_t max, const char *fn, const char *name)
{
    if (v > max)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: %s is %u bps, above %u", fn, name, v, max);
    return KEEL_OK;
}

/* Reads and checks a caller's reserve into `r` (full size, defaults for what
 * an older caller does not set). */
static keel_status read_reserve(const keel_aave_reserve *in, keel_aave_reserve *r, const char *fn)
{
    KEEL_TRY(keel_check_sized(in, fn, "reserve", "keel_aave_reserve"));
    keel_aave_reserve d = KEEL_AAVE_RESERVE_INIT;
    keel_read_sized(&d, sizeof d, in);
    if (d.decimals > 38)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: reserve decimals is %u, above 38", fn,
                         d.decimals);
    KEEL_TRY(check_bps(d.liquidation_threshold, 10000, fn, "liquidation_threshold"));
    KEEL_TRY(check_bps(d.liquidation_protocol_fee, 10000, fn, "liquidation_protocol_fee"));
    if (d.ltv > d.liquidation_threshold)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: ltv %u bps is above the liquidation_threshold %u bps", fn, d.ltv,
                         d.liquidation_threshold);
    /* PoolConfigurator.configureReserveAsCollateral (v3.6.0): with a threshold,
     * a bonus above 100% and threshold · bonus at most 100% */
    if (d.liquidation_threshold != 0 && d.liquidation_bonus <= 10000)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: liquidation_bonus %u bps is not above 10000 (100%%: the bonus "
                         "includes the principal, 10500 pays 5%%)",
                         fn, d.liquidation_bonus);
    if (d.liquidation_threshold != 0 &&
        (d.liquidation_threshold * d.liquidation_bonus + 5000) / 10000 > 10000)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: liquidation_threshold %u times liquidation_bonus %u is above 100%% "
                         "(percentMul; the pool's configurator refuses it)",
                         fn, d.liquidation_threshold, d.liquidation_bonus);
    if (d.liquidation_bonus > 65535)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: liquidation_bonus %u bps is above 65535", fn,
                         d.liquidation_bonus);
    const uint32_t known = KEEL_AAVE_ACTIVE | KEEL_AAVE_FROZEN | KEEL_AAVE_PAUSED |
                           KEEL_AAVE_BORROWING_ENABLED | KEEL_AAVE_BORROWABLE_IN_ISOLATION;
    if (d.flags & ~known)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: reserve flags 0x%x hold unknown bits 0x%x", fn,
                         d.flags, d.flags & ~known);
    if (u256_is_zero(d.liquidity_index) || u256_is_zero(d.variable_borrow_index))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: reserve %s is 0 (an index starts at 1 ray)", fn,
                         u256_is_zero(d.liquidity_index) ? "liquidity_index"
                                                         : "variable_borrow_index");
    d.size = sizeof d;
    *r = d;
    return KEEL_OK;
}

static void install(aave_reserve_state *s, const keel_aave_reserve *r)
{
    s->p = *r;
    s->unit = u256_pow10(r->decimals);
    s->d_price = u256_to_double(r->price);
    s->d_unit = u256_to_double(s->unit);
    s->d_liq = ray_ratio(r->liquidity_index);
    s->d_var = ray_ratio(r->variable_borrow_index);
}

static keel_status check_id(const keel_aave_market *m, uint32_t id, const char *fn, const char *what)
{
    if (id >= m->count)
        return keel_fail(KEEL_E_UNKNOWN_ASSET, "%s: %s %u is not a reserve of the market (it has %zu)",
                         fn, what, id, m->count);
    return KEEL_OK;
}

keel_status keel_aave_market_add_reserve(keel_aave_market *market, const char *symbol,
                                         const keel_aave_reserve *reserve, uint32_t *out_id)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_check_symbol(symbol, __func__));
    KEEL_TRY(keel_check_ptr(out_id, __func__, "out_id"));
    keel_aave_reserve r;
    KEEL_TRY(read_reserve(reserve, &r, __func__));
    if (market->count >= KEEL_AAVE_MAX_RESERVES)
        return keel_fail(KEEL_E_OVERFLOW, "%s: the market already has %d reserves", __func__,
                         KEEL_AAVE_MAX_RESERVES);
    for (size_t i = 0; i < market->count; i++)
        if (strcmp(market->reserves[i].symbol, symbol) == 0)
            return keel_fail(KEEL_E_DUPLICATE, "%s: symbol \"%s\" is already reserve %zu",
                             __func__, symbol, i);
    aave_reserve_state *s = &market->reserves[market->count];
    memset(s, 0, sizeof *s);
    strcpy(s->symbol, symbol);
    install(s, &r);
    *out_id = (uint32_t)market->count++;
    return KEEL_OK;
}

keel_status keel_aave_market_set_reserve(keel_aave_market *market, uint32_t id,
                                         const keel_aave_reserve *reserve)
{
    CHECK_MARKET(market);
    KEEL_TRY(check_id(market, id, __func__, "id"));
    keel_aave_reserve r;
    KEEL_TRY(read_reserve(reserve, &r, __func__));
    install(&market->reserves[id], &r);
    return KEEL_OK;
}

keel_status keel_aave_market_reserve(const keel_aave_market *market, uint32_t id,
                                     keel_aave_reserve *out)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_check_sized(out, __func__, "out", "keel_aave_reserve"));
    KEEL_TRY(check_id(market, id, __func__, "id"));
    keel_write_sized(out, &market->reserves[id].p, sizeof(keel_aave_reserve));
    return KEEL_OK;
}

void aave_set_price(keel_aave_market *m, uint32_t r, keel_u256 price)
{
    m->reserves[r].p.price = price;
    m->reserves[r].d_price = u256_to_double(price);
}

keel_status keel_aave_market_set_price(keel_aave_market *market, uint32_t id, keel_u256 price)
{
    CHECK_MARKET(market);
    KEEL_TRY(check_id(market, id, __func__, "id"));
    aave_set_price(market, id, price);
    return KEEL_OK;
}

keel_aave_market *aave_market_copy(const keel_aave_market *m)
{
    keel_aave_market *c = keel_handle_alloc(sizeof *c, KEEL_TAG_AAVE_MARKET);
    if (c != NULL)
        memcpy(c, m, sizeof *c);
    return c;
}

keel_aave_account *aave_account_create(void)
{
    return keel_handle_alloc(sizeof(keel_aave_account), KEEL_TAG_AAVE_ACCOUNT);
}

static uint64_t hash_u256(uint64_t h, keel_u256 v)
{
    for (int i = 0; i < 4; i++)
        h = keel_hash_word(h, v.w[i]);
    return h;
}

uint64_t aave_market_fingerprint(const keel_aave_market *m, uint64_t h)
{
    h = keel_hash_word(h, (uint64_t)m->version);
    h = keel_hash_word(h, m->count);
    for (size_t i = 0; i < m->count; i++) {
        const keel_aave_reserve *r = &m->reserves[i].p;
        h = keel_hash_word(h, r->decimals);
        h = keel_hash_word(h, r->ltv);
        h = keel_hash_word(h, r->liquidation_threshold);
        h = keel_hash_word(h, r->liquidation_bonus);
        h = keel_hash_word(h, r->liquidation_protocol_fee);
        h = keel_hash_word(h, r->flags);
        h = hash_u256(h, r->price);
        h = hash_u256(h, r->liquidity_index);
        h = hash_u256(h, r->variable_borrow_index);
        h = hash_u256(h, r->debt_ceiling);
        h = hash_u256(h, r->isolation_mode_total_debt);
    }
    for (int c = 1; c < 256; c++) {
        if (!m->emode_set[c])
            continue;
        const keel_aave_emode *e = &m->emodes[c];
        h = keel_hash_word(h, (uint64_t)c);
        h = keel_hash_word(h, e->ltv);
        h = keel_hash_word(h, e->liquidation_threshold);
        h = keel_hash_word(h, e->liquidation_bonus);
        for (int k = 0; k < 2; k++) {
            h = keel_hash_word(h, e->collateral_bitmap[k]);
            h = keel_hash_word(h, e->borrowable_bitmap[k]);
            h = keel_hash_word(h, e->ltvzero_bitmap[k]);
        }
    }
    return h;
}

keel_status keel_aave_market_find(const keel_aave_market *market, const char *symbol,
                                  uint32_t *out_id)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_check_ptr(symbol, __func__, "symbol"));
    KEEL_TRY(keel_check_ptr(out_id, __func__, "out_id"));
    for (size_t i = 0; i < market->count; i++)
        if (strcmp(market->reserves[i].symbol, symbol) == 0) {
            *out_id = (uint32_t)i;
            return KEEL_OK;
        }
    return keel_fail(KEEL_E_NOT_FOUND, "%s: no reserve has symbol \"%.*s\"", __func__,
                     KEEL_SYMBOL_MAX + 1, symbol);
}

const char *keel_aave_market_symbol(const keel_aave_market *market, uint32_t id)
{
    if (!keel_handle_is(market, KEEL_TAG_AAVE_MARKET) || id >= market->count)
        return NULL;
    return market->reserves[id].symbol;
}

static keel_status check_bitmap(const keel_aave_market *m, const uint64_t b[2], const char *fn,
                                const char *name)
{
    for (uint32_t id = (uint32_t)m->count; id < 128; id++)
        if (aave_bit(b, id))
            return keel_fail(KEEL_E_UNKNOWN_ASSET,
                             "%s: %s names reserve %u; the market has %zu reserves", fn, name, id,
                             m->count);
    return KEEL_OK;
}

keel_status keel_aave_market_set_emode(keel_aave_market *market, uint32_t category,
                                       const keel_aave_emode *emode)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_check_sized(emode, __func__, "emode", "keel_aave_emode"));
    if (category == 0 || category > 255)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: category %u is not in 1..255", __func__,
                         category);
    keel_aave_emode e = KEEL_AAVE_EMODE_INIT;
    keel_read_sized(&e, sizeof e, emode);
    /* PoolConfigurator.setEModeCategory (v3.6.0): LTV and threshold not 0, LTV
     * at most the threshold, a bonus above 100%, threshold · bonus at most 100% */
    if (e.liquidation_threshold == 0 || e.liquidation_threshold > 10000)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: liquidation_threshold %u bps is not in 1..10000",
                         __func__, e.liquidation_threshold);
    if (e.ltv == 0)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: ltv is 0 (a category needs one)", __func__);
    if (e.ltv > e.liquidation_threshold)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: ltv %u bps is above the liquidation_threshold %u bps", __func__, e.ltv,
                         e.liquidation_threshold);
    if (e.liquidation_bonus <= 10000 || e.liquidation_bonus > 65535)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: liquidation_bonus %u bps is not in 10001..65535 (100%% is no bonus)",
                         __func__, e.liquidation_bonus);
    if ((e.liquidation_threshold * e.liquidation_bonus + 5000) / 10000 > 10000)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: liquidation_threshold %u times liquidation_bonus %u is above 100%%",
                         __func__, e.liquidation_threshold, e.liquidation_bonus);
    if (e.reserved != 0)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: reserved is %u, must be 0", __func__,
                         e.reserved);
    KEEL_TRY(check_bitmap(market, e.collateral_bitmap, __func__, "collateral_bitmap"));
    KEEL_TRY(check_bitmap(market, e.borrowable_bitmap, __func__, "borrowable_bitmap"));
    KEEL_TRY(check_bitmap(market, e.ltvzero_bitmap, __func__, "ltvzero_bitmap"));
    e.size = sizeof e;
    market->emodes[category] = e;
    market->emode_set[category] = true;
    return KEEL_OK;
}

keel_status keel_aave_market_emode(const keel_aave_market *market, uint32_t category,
                                   keel_aave_emode *out)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_check_sized(out, __func__, "out", "keel_aave_emode"));
    if (category == 0 || category > 255 || !market->emode_set[category])
        return keel_fail(KEEL_E_NOT_FOUND, "%s: category %u is not set", __func__, category);
    keel_write_sized(out, &market->emodes[category], sizeof(keel_aave_emode));
    return KEEL_OK;
}

/* MathUtils.calculateLinearInterest / calculateCompoundedInterest (v3.6.0;
 * the same in v3.4 and v3.5): RAY + rate·dt / year, and
 * RAY + x + x·(x/2 + x·x/6) with x = rate·dt / year and rayMul half up. The
 * Solidity computes these unchecked, proving they cannot overflow for a rate
 * below 2^128; keel checks anyway. */
static keel_status linear_interest(keel_u256 rate, uint64_t dt, keel_u256 *out)
{
    keel_u256 x;
    if (u256_mul(rate, u256_small(dt), &x))
        return KEEL_E_OVERFLOW;
    x = u256_div(x, u256_small(365u * 86400u));
    return u256_add(RAY_U256, x, out) ? KEEL_E_OVERFLOW : KEEL_OK;
}

static keel_status compounded_interest(keel_u256 rate, uint64_t dt, keel_u256 *out)
{
    if (dt == 0) {
        *out = RAY_U256;
        return KEEL_OK;
    }
    keel_u256 x, inner, t;
    if (u256_mul(rate, u256_small(dt), &x))
        return KEEL_E_OVERFLOW;
    x = u256_div(x, u256_small(365u * 86400u));
    KEEL_TRY(u256_wadray(KEEL_RAY_MUL, x, u256_div(x, u256_small(6)), &t)); /* x.rayMul(x / 6) */
    if (u256_add(u256_div(x, u256_small(2)), t, &inner))
        return KEEL_E_OVERFLOW;
    KEEL_TRY(u256_wadray(KEEL_RAY_MUL, x, inner, &t)); /* x.rayMul(x/2 + x.rayMul(x/6)) */
    if (u256_add(RAY_U256, x, out) || u256_add(*out, t, out))
        return KEEL_E_OVERFLOW;
    return KEEL_OK;
}

keel_status keel_aave_market_accrue(keel_aave_market *market, uint64_t timestamp)
{
    CHECK_MARKET(market);
    keel_aave_reserve next[KEEL_AAVE_MAX_RESERVES];
    for (size_t i = 0; i < market->count; i++) {
        keel_aave_reserve r = market->reserves[i].p;
        if (timestamp < r.last_update)
            return keel_fail(KEEL_E_OUT_OF_RANGE,
                             "%s: timestamp %llu is before reserve %zu's last_update %llu",
                             __func__, (unsigned long long)timestamp, i,
                             (unsigned long long)r.last_update);
        uint64_t dt = timestamp - r.last_update;
        if (dt != 0) {
            keel_u256 lin, comp;
            keel_status s = linear_interest(r.liquidity_rate, dt, &lin);
            if (s == KEEL_OK)
                s = u256_wadray(KEEL_RAY_MUL, lin, r.liquidity_index, &r.liquidity_index);
            if (s == KEEL_OK)
                s = compounded_interest(r.variable_borrow_rate, dt, &comp);
            if (s == KEEL_OK)
                s = u256_wadray(KEEL_RAY_MUL, comp, r.variable_borrow_index,
                                &r.variable_borrow_index);
            if (s != KEEL_OK)
                return keel_fail(KEEL_E_OVERFLOW,
                                 "%s: accruing reserve %zu over %llu s overflows 256 bits",
                                 __func__, i, (unsigned long long)dt);
        }
        r.last_update = timestamp;
        next[i] = r;
    }
    for (size_t i = 0; i < market->count; i++)
        install(&market->reserves[i], &next[i]);
    return KEEL_OK;
}

/* ---- account ---- */

keel_status keel_aave_account_new(keel_aave_account **out)
{
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    keel_aave_account *a = keel_handle_alloc(sizeof *a, KEEL_TAG_AAVE_ACCOUNT);
    if (a == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    *out = a;
    return KEEL_OK;
}

void keel_aave_account_free(keel_aave_account *account)
{
    if (!keel_handle_is(account, KEEL_TAG_AAVE_ACCOUNT))
        return;
    keel_dealloc(account->pos);
    keel_handle_release(account);
}

/* dst's positions become a copy of src's (dst unchanged on KEEL_E_NOMEM). */
static keel_status copy_positions(keel_aave_account *dst, const keel_aave_account *src)
{
    if (dst == src)
        return KEEL_OK;
    if (src->count > dst->cap) {
        aave_position *p = keel_alloc_array(src->count, sizeof *p);
        if (p == NULL)
            return KEEL_E_NOMEM;
        keel_dealloc(dst->pos);
        dst->pos = p;
        dst->cap = src->count;
    }
    if (src->count != 0)
        memcpy(dst->pos, src->pos, src->count * sizeof *src->pos);
    dst->count = src->count;
    dst->emode = src->emode;
    return KEEL_OK;
}

keel_status keel_aave_account_clone(const keel_aave_account *account, keel_aave_account **out)
{
    CHECK_ACCOUNT(account);
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    keel_aave_account *a = keel_handle_alloc(sizeof *a, KEEL_TAG_AAVE_ACCOUNT);
    if (a == NULL || copy_positions(a, account) != KEEL_OK) {
        if (a != NULL)
            keel_handle_release(a);
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    }
    *out = a;
    return KEEL_OK;
}

keel_status keel_aave_account_assign(keel_aave_account *dst, const keel_aave_account *src)
{
    KEEL_TRY(keel_check_handle(dst, KEEL_TAG_AAVE_ACCOUNT, __func__, "dst"));
    KEEL_TRY(keel_check_handle(src, KEEL_TAG_AAVE_ACCOUNT, __func__, "src"));
    if (copy_positions(dst, src) != KEEL_OK)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    return KEEL_OK;
}

size_t aave_find(const aave_position *pos, size_t count, uint32_t reserve)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (pos[mid].reserve < reserve)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (lo < count && pos[lo].reserve == reserve) ? lo : count;
}

keel_status aave_put(keel_aave_account *a, aave_position p)
{
    /* the user's collateral bit stays as given, even over a zero balance:
     * the chain can hold one, and it counts (an LTV-0 one blocks withdrawals) */
    bool empty = u256_is_zero(p.supply) && u256_is_zero(p.debt) &&
                 !(p.flags & KEEL_AAVE_COLLATERAL);
    size_t i = aave_find(a->pos, a->count, p.reserve);
    if (i < a->count) {
        if (empty) {
            memmove(&a->pos[i], &a->pos[i + 1], (a->count - i - 1) * sizeof *a->pos);
            a->count--;
        } else {
            a->pos[i] = p;
        }
        return KEEL_OK;
    }
    if (empty)
        return KEEL_OK;
    if (a->count == a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 4;
        aave_position *q = keel_realloc_array(a->pos, cap, sizeof *q);
        if (q == NULL)
            return KEEL_E_NOMEM;
        a->pos = q;
        a->cap = cap;
    }
    size_t at = 0;
    while (at < a->count && a->pos[at].reserve < p.reserve)
        at++;
    memmove(&a->pos[at + 1], &a->pos[at], (a->count - at) * sizeof *a->pos);
    a->pos[at] = p;
    a->count++;
    return KEEL_OK;
}

static bool below_2_128(keel_u256 v) { return (v.w[2] | v.w[3]) == 0; }

keel_status keel_aave_account_set_position(keel_aave_account *account,
                                           const keel_aave_market *market, uint32_t reserve,
                                           keel_u256 supply, keel_u256 debt, uint32_t flags)
{
    CHECK_ACCOUNT(account);
    CHECK_MARKET(market);
    KEEL_TRY(check_id(market, reserve, __func__, "reserve"));
    if (flags & ~(uint32_t)(KEEL_AAVE_COLLATERAL | KEEL_AAVE_UNDERLYING))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: flags 0x%x hold unknown bits", __func__, flags);
    aave_position p = {reserve, flags & KEEL_AAVE_COLLATERAL, supply, debt};
    if (flags & KEEL_AAVE_UNDERLYING) {
        /* as a supply and a borrow of this amount would mint: TokenMath's
         * getATokenMintScaledAmount (rayDivFloor) and getVTokenMintScaledAmount
         * (rayDivCeil) since v3.5, rayDiv half up in v3.4 */
        const keel_aave_reserve *r = &market->reserves[reserve].p;
        bool v34 = market->version == KEEL_AAVE_V3_4;
        if (u256_wadray(v34 ? KEEL_RAY_DIV : KEEL_RAY_DIV_FLOOR, supply, r->liquidity_index,
                        &p.supply) != KEEL_OK ||
            u256_wadray(v34 ? KEEL_RAY_DIV : KEEL_RAY_DIV_CEIL, debt, r->variable_borrow_index,
                        &p.debt) != KEEL_OK)
            return keel_fail(KEEL_E_OVERFLOW, "%s: scaling the amounts overflows 256 bits",
                             __func__);
    }
    if (!below_2_128(p.supply) || !below_2_128(p.debt))
        return keel_fail(KEEL_E_OVERFLOW,
                         "%s: a scaled %s balance of 2^128 or more is wider than the token stores",
                         __func__, below_2_128(p.supply) ? "debt" : "supply");
    if (aave_put(account, p) != KEEL_OK)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    return KEEL_OK;
}

keel_status keel_aave_account_position(const keel_aave_account *account, uint32_t reserve,
                                       keel_u256 *scaled_supply, keel_u256 *scaled_debt,
                                       uint32_t *flags)
{
    CHECK_ACCOUNT(account);
    size_t i = aave_find(account->pos, account->count, reserve);
    aave_position p = {reserve, 0, {{0, 0, 0, 0}}, {{0, 0, 0, 0}}};
    if (i < account->count)
        p = account->pos[i];
    if (scaled_supply != NULL)
        *scaled_supply = p.supply;
    if (scaled_debt != NULL)
        *scaled_debt = p.debt;
    if (flags != NULL)
        *flags = p.flags;
    return KEEL_OK;
}

keel_status keel_aave_account_set_emode(keel_aave_account *account, const keel_aave_market *market,
                                        uint32_t category)
{
    CHECK_ACCOUNT(account);
    CHECK_MARKET(market);
    if (category != 0 && (category > 255 || !market->emode_set[category]))
        return keel_fail(KEEL_E_NOT_FOUND, "%s: e-mode category %u is not set in the market",
                         __func__, category);
    account->emode = category;
    return KEEL_OK;
}

uint32_t keel_aave_account_emode(const keel_aave_account *account)
{
    return keel_handle_is(account, KEEL_TAG_AAVE_ACCOUNT) ? account->emode : 0;
}

keel_status aave_check(const keel_aave_market *m, const keel_aave_account *a, const char *fn)
{
    KEEL_TRY(keel_check_handle(m, KEEL_TAG_AAVE_MARKET, fn, "market"));
    KEEL_TRY(keel_check_handle(a, KEEL_TAG_AAVE_ACCOUNT, fn, "account"));
    if (a->count != 0 && a->pos[a->count - 1].reserve >= m->count)
        return keel_fail(KEEL_E_UNKNOWN_ASSET,
                         "%s: the account holds reserve %u; the market has %zu reserves", fn,
                         a->pos[a->count - 1].reserve, m->count);
    if (a->emode != 0 && !m->emode_set[a->emode])
        return keel_fail(KEEL_E_UNKNOWN_ASSET, "%s: the account's e-mode category %u is not set in the market",
                         fn, a->emode);
    return KEEL_OK;
}

keel_status keel_aave_account_balances(const keel_aave_market *market,
                                       const keel_aave_account *account, uint32_t reserve,
                                       keel_u256 *supply, keel_u256 *debt)
{
    KEEL_TRY(aave_check(market, account, __func__));
    KEEL_TRY(check_id(market, reserve, __func__, "reserve"));
    keel_u256 s = {{0, 0, 0, 0}}, d = s;
    size_t i = aave_find(account->pos, account->count, reserve);
    if (i < account->count &&
        (aave_supply_balance(market, reserve, account->pos[i].supply, &s) != KEEL_OK ||
         aave_debt_balance(market, reserve, account->pos[i].debt, &d) != KEEL_OK))
        return keel_fail(KEEL_E_OVERFLOW, "%s: the balance overflows 256 bits", __func__);
    if (supply != NULL)
        *supply = s;
    if (debt != NULL)
        *debt = d;
    return KEEL_OK;
}

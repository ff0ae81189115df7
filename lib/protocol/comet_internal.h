/* Compound v3 (Comet) inside lib/protocol: the handles and the exact
 * evaluation the public functions share. Source: compound-finance/comet at
 * d5a30b0aaeff7755f1431e87f818990902237b03, contracts/Comet.sol and
 * CometCore.sol (docs/protocols.md). */
#ifndef KEEL_PROTOCOL_COMET_INTERNAL_H
#define KEEL_PROTOCOL_COMET_INTERNAL_H

#include <stdbool.h>

#include "keel/comet.h"
#include "keel/market.h"
#include "protocol/u256_ops.h"

typedef struct comet_asset_state {
    keel_comet_asset p; /* as stored: factors cut to 1e14, cap to whole tokens */
    char symbol[KEEL_SYMBOL_MAX + 1];
    keel_u256 scale;    /* 10^decimals */
} comet_asset_state;

struct keel_comet_market {
    uint32_t tag;
    keel_comet_base base;
    char base_symbol[KEEL_SYMBOL_MAX + 1];
    keel_u256 base_scale; /* 10^decimals */
    /* the constructor's per-second rates: per-year / SECONDS_PER_YEAR */
    uint64_t s_low, s_high, s_base, b_low, b_high, b_base;
    size_t count;
    comet_asset_state assets[KEEL_COMET_MAX_ASSETS];
};

struct keel_comet_account {
    uint32_t tag;
    keel_comet_int principal;
    keel_u256 balance[KEEL_COMET_MAX_ASSETS];
};

/* The sums of isBorrowCollateralized / isLiquidatable. */
typedef struct comet_liq {
    keel_comet_int pv, base_value;
    keel_u256 coll, bcv, lcv;
    /* false when a term past 256 bits came after the contract's loops had
     * stopped (principal >= 0, or the running liquidity >= 0): the sums stop
     * there too, and their signs still give the contract's verdicts */
    bool complete;
    /* isBorrowCollateralized would reach that term (and revert) though
     * isLiquidatable stopped before it */
    bool borrow_reverts;
} comet_liq;

/* A price replaced for one asset, or the base (KEEL_COMET_BASE_ID); COMET_NO_PX replaces none. */
typedef struct comet_px {
    uint32_t asset;
    keel_u256 price;
} comet_px;

extern const comet_px COMET_NO_PX;

/* FACTOR_SCALE */
#define COMET_FACTOR ((keel_u256){{1000000000000000000ull, 0, 0, 0}})

/* v < 2^bits */
static inline bool comet_below_bits(keel_u256 v, unsigned bits)
{
    for (unsigned i = 0; i < 4; i++) {
        unsigned lo = 64 * i;
        if (lo >= bits) {
            if (v.w[i] != 0)
                return false;
        } else if (bits - lo < 64 && (v.w[i] >> (bits - lo)) != 0) {
            return false;
        }
    }
    return true;
}

/* Comet.mulPrice: n · price / fromScale (checked product). */
static inline bool comet_mul_price(keel_u256 n, keel_u256 price, keel_u256 scale, keel_u256 *out)
{
    keel_u256 p;
    if (u256_mul(n, price, &p))
        return true;
    *out = u256_div(p, scale);
    return false;
}

/* Comet.mulFactor: n · factor / FACTOR_SCALE (checked product). */
static inline bool comet_mul_factor(keel_u256 n, uint64_t factor, keel_u256 *out)
{
    keel_u256 p;
    if (u256_mul(n, u256_small(factor), &p))
        return true;
    *out = u256_div(p, COMET_FACTOR);
    return false;
}


/* Signed helpers on sign-magnitude values, checked to int256 (a result
 * must lie in −2^255 .. 2^255 − 1). */
keel_comet_int comet_int(keel_u256 magnitude, bool negative);
bool comet_int_add(keel_comet_int a, keel_comet_int b, keel_comet_int *r); /* true on overflow */
int comet_int_cmp(keel_comet_int a, keel_comet_int b);

/* CometCore.presentValue / principalValue; return KEEL_COMET_OK or the revert. */
keel_comet_revert comet_present(const keel_comet_market *m, keel_comet_int principal,
                                keel_comet_int *out);
keel_comet_revert comet_principal(const keel_comet_market *m, keel_comet_int present,
                                  keel_comet_int *out);

/* The liquidity sums of (principal, balances) with an optional price;
 * KEEL_E_OVERFLOW (no text) where a term isLiquidatable computes passes 256
 * bits or int256. The contract's loops stop at the first asset reached with
 * the running liquidity >= 0 (and do not start for a principal >= 0); keel
 * adds every asset for complete figures, unless a term that the contract
 * never computes overflows: the sums then stop there (complete = false).
 * Callers of the borrow line check borrow_reverts. */
keel_status comet_eval(const keel_comet_market *m, keel_comet_int principal, const keel_u256 *bal,
                       comet_px px, comet_liq *out);

/* getReserves with the given totals (market accrued). Cannot overflow for
 * the ranges the market accepts. */
keel_comet_int comet_reserves(const keel_comet_market *m, keel_u256 total_supply_base,
                              keel_u256 total_borrow_base);

/* Checks handles and that the account's assets exist in the market. */
keel_status comet_check(const keel_comet_market *m, const keel_comet_account *a, const char *fn);
keel_status comet_check_asset(const keel_comet_market *m, uint32_t id, const char *fn);

static inline bool comet_is_neg(keel_comet_int v) { return v.negative != 0; }

#endif /* KEEL_PROTOCOL_COMET_INTERNAL_H */

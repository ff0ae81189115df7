/* Aave v3 inside lib/protocol: the market and account handles and the exact
 * evaluation the public functions share. Source: aave-dao/aave-v3-origin,
 * tags v3.4.0, v3.5.0 and v3.6.0 (docs/protocols.md). */
#ifndef KEEL_PROTOCOL_AAVE_INTERNAL_H
#define KEEL_PROTOCOL_AAVE_INTERNAL_H

#include <stdbool.h>

#include "keel/aave.h"
#include "keel/market.h"
#include "protocol/u256_ops.h"

typedef struct aave_reserve_state {
    keel_aave_reserve p; /* size member = sizeof(keel_aave_reserve) */
    char symbol[KEEL_SYMBOL_MAX + 1];
    keel_u256 unit;      /* 10^decimals */
    /* doubles for the scan's first pass */
    double d_price, d_unit, d_liq, d_var; /* price, unit, indexes / RAY */
} aave_reserve_state;

struct keel_aave_market {
    uint32_t tag;
    int version;
    size_t count;
    aave_reserve_state reserves[KEEL_AAVE_MAX_RESERVES];
    bool emode_set[256];
    keel_aave_emode emodes[256];
};

typedef struct aave_position {
    uint32_t reserve;
    uint32_t flags; /* KEEL_AAVE_COLLATERAL */
    keel_u256 supply; /* scaled */
    keel_u256 debt;   /* scaled */
} aave_position;

struct keel_aave_account {
    uint32_t tag;
    uint32_t emode;
    size_t count, cap;
    aave_position *pos; /* sorted by reserve id */
};

/* A working copy of an account's positions, as the keeper searches and the
 * liquidation change them. */
typedef struct aave_view {
    const aave_position *pos;
    size_t count;
    uint32_t emode;
    /* an oracle price replaced for one reserve (UINT32_MAX: none) */
    uint32_t price_reserve;
    keel_u256 price;
} aave_view;

/* calculateUserAccountData + calculateAvailableBorrows + isolation state. */
typedef struct aave_data {
    keel_u256 collateral, debt, available, lt, ltv, hf;
    bool zero_ltv;
    bool isolated;
    uint32_t isolation_collateral;
} aave_data;

/* Evaluates the view; KEEL_E_OVERFLOW where the Solidity reverts (no text). */
keel_status aave_eval(const keel_aave_market *m, const aave_view *v, aave_data *out);

/* The view of an account as it stands. */
aave_view aave_view_of(const keel_aave_account *a);

/* Underlying balances with the version's rounding (aToken floor / vToken
 * ceil since v3.5, rayMul half up in v3.4). */
keel_status aave_supply_balance(const keel_aave_market *m, uint32_t r, keel_u256 scaled,
                                keel_u256 *out);
keel_status aave_debt_balance(const keel_aave_market *m, uint32_t r, keel_u256 scaled,
                              keel_u256 *out);

/* The reserve's price in a view. */
keel_u256 aave_price(const keel_aave_market *m, const aave_view *v, uint32_t r);

/* Collateral valued down, debt valued as the version does. */
keel_status aave_collateral_value(keel_u256 balance, keel_u256 price, keel_u256 unit,
                                  keel_u256 *out);
keel_status aave_debt_value(const keel_aave_market *m, keel_u256 balance, keel_u256 price,
                            keel_u256 unit, keel_u256 *out);

/* The LTV and threshold GenericLogic weighs reserve r's collateral with in
 * e-mode category `emode` (the version's rules), and whether a position's
 * collateral counts at all (v3.4/3.5 leave out a reserve threshold of 0). */
uint32_t aave_user_ltv(const keel_aave_market *m, uint32_t emode, uint32_t r);
uint32_t aave_user_threshold(const keel_aave_market *m, uint32_t emode, uint32_t r);
bool aave_counts_as_collateral(const keel_aave_market *m, const aave_position *p);

static inline bool aave_bit(const uint64_t bitmap[2], uint32_t id)
{
    return id < 128 && ((bitmap[id >> 6] >> (id & 63)) & 1u) != 0;
}

/* Position index of `reserve` in a, or a->count. */
size_t aave_find(const aave_position *pos, size_t count, uint32_t reserve);

/* Checks the handles of a call; the account's reserves and e-mode must exist
 * in the market. */
keel_status aave_check(const keel_aave_market *m, const keel_aave_account *a, const char *fn);

/* Replaces (or inserts, or removes when both balances are zero) one position
 * of a; KEEL_E_NOMEM leaves it unchanged. */
keel_status aave_put(keel_aave_account *a, aave_position p);

/* The liquidation engine behind keel_aave_liquidation_quote (no error text;
 * the caller writes it). `after` may be NULL. */
keel_status aave_liquidate(const keel_aave_market *m, const keel_aave_account *a,
                           uint32_t collateral, uint32_t debt, keel_u256 debt_to_cover,
                           keel_aave_liquidation *out, keel_aave_account *after);

/* The most profitable liquidation (keel_aave_best_liquidation's choice),
 * with the account after it when `after` is not NULL; KEEL_E_INFEASIBLE with
 * out->revert when no pair can be liquidated. No error text. */
keel_status aave_best(const keel_aave_market *m, const keel_aave_account *a,
                      keel_aave_liquidation *out, keel_aave_account *after);

/* A copy of a market (fixed size, no pointers) and an empty account, as
 * handles; NULL when out of memory. */
keel_aave_market *aave_market_copy(const keel_aave_market *m);
keel_aave_account *aave_account_create(void);

/* Sets reserve r's oracle price (and its double). */
void aave_set_price(keel_aave_market *m, uint32_t r, keel_u256 price);

/* Feeds every parameter, state and category of the market into a fingerprint. */
uint64_t aave_market_fingerprint(const keel_aave_market *m, uint64_t h);

#define AAVE_WAD 1000000000000000000ull

#endif /* KEEL_PROTOCOL_AAVE_INTERNAL_H */

/**
 * @file aave.h
 * Aave v3 accounts, exactly as the chain computes them: the integer account
 * data of `getUserAccountData`, the liquidation call as a quote (or the
 * reason it would revert), what a keeper asks (the repay or supply that
 * reaches a target health factor, the most that can be withdrawn or
 * borrowed, the oracle price at which the verdict flips), the bridge to
 * keel's double-precision market, basket and haircut model, and a batch of
 * verdicts that equals the chain's at the speed of a double scan.
 *
 * \experimental Every declaration here is in the experimental tier.
 *
 * Source: aave-dao/aave-v3-origin, the tags named by keel_aave_version;
 * libraries GenericLogic, LiquidationLogic, ValidationLogic, BorrowLogic,
 * IsolationModeLogic, ReserveLogic, TokenMath, WadRayMath, PercentageMath,
 * MathUtils (docs/protocols.md maps each function here to its Solidity).
 *
 * Units are the chain's: amounts in the token's smallest unit (wei),
 * indexes and rates in rays (10^27), the health factor in wads (10^18),
 * LTV, liquidation threshold, bonus and protocol fee in basis points
 * (10^4 = 100%; a bonus of 10500 pays 5%), prices and values in the base
 * currency of the oracle (8 decimals on the USD markets: 10^8 = 1 USD).
 * Reserve ids are the reserves' positions in the pool's reserve list, the
 * ids the e-mode bitmaps use: add reserves in that order.
 *
 * Terms: keel's "collateral weight" is Aave's liquidation threshold, keel's
 * haircut is 1 − threshold; Aave's "base currency" is keel's numeraire.
 */
#ifndef KEEL_AAVE_H
#define KEEL_AAVE_H

#include <stdint.h>

#include "keel/basket.h"
#include "keel/core.h"
#include "keel/haircut.h"
#include "keel/market.h"
#include "keel/u256.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque Aave v3 pool state: reserves, e-mode categories, the version's rules. */
typedef struct keel_aave_market keel_aave_market;
/** Opaque Aave v3 user: scaled balances, collateral switches, e-mode category. */
typedef struct keel_aave_account keel_aave_account;

/** Which release's rules a market follows (its tag in aave-dao/aave-v3-origin). */
typedef enum keel_aave_version {
    /** v3.4.0: balances rounded half up (rayMul), base values floored, the
     *  weighted threshold cut to whole basis points before the health factor,
     *  collateral with a zero reserve threshold left out. */
    KEEL_AAVE_V3_4 = 340,
    /** v3.5.0: collateral rounded down and debt up (TokenMath, mulDivCeil),
     *  the health factor from the unrounded weighted threshold. */
    KEEL_AAVE_V3_5 = 350,
    /** v3.6.0 (the current rules): as v3.5, plus the e-mode LTV-zero bitmap
     *  (getUserReserveLtv) and collateral with a zero threshold counted in
     *  the total (at weight 0). */
    KEEL_AAVE_V3_6 = 360
} keel_aave_version;

/** Reserve flags (keel_aave_reserve.flags), as ReserveConfiguration stores them. */
enum {
    KEEL_AAVE_ACTIVE = 1u,                  /**< the reserve is active */
    KEEL_AAVE_FROZEN = 2u,                  /**< frozen: no new supply or borrow */
    KEEL_AAVE_PAUSED = 4u,                  /**< paused: nothing moves, no liquidation */
    KEEL_AAVE_BORROWING_ENABLED = 8u,       /**< may be borrowed outside e-mode */
    KEEL_AAVE_BORROWABLE_IN_ISOLATION = 16u /**< may be borrowed by an isolated account */
};

/**
 * One reserve's parameters and state. Size-prefixed (docs/abi.md): start
 * from keel_aave_reserve_init() or KEEL_AAVE_RESERVE_INIT.
 */
typedef struct keel_aave_reserve {
    size_t size;                    /**< sizeof(keel_aave_reserve) */
    uint32_t decimals;              /**< token decimals, 0..38 */
    uint32_t ltv;                   /**< loan to value, bps, <= liquidation_threshold */
    uint32_t liquidation_threshold; /**< bps, <= 10000; 0 = not usable as collateral */
    uint32_t liquidation_bonus;     /**< bps including the principal (10500 = 5% bonus); > 10000, and threshold · bonus <= 100%, when the threshold is not 0 */
    uint32_t liquidation_protocol_fee; /**< share of the bonus to the treasury, bps, <= 10000 */
    uint32_t flags;                 /**< KEEL_AAVE_ACTIVE | ... */
    keel_u256 price;                /**< oracle answer, base-currency units per whole token */
    keel_u256 liquidity_index;      /**< ray, > 0 (the supply index at last_update) */
    keel_u256 variable_borrow_index;/**< ray, > 0 */
    keel_u256 liquidity_rate;       /**< current liquidity rate, ray per year */
    keel_u256 variable_borrow_rate; /**< current variable borrow rate, ray per year */
    uint64_t last_update;           /**< unix seconds of the indexes */
    keel_u256 debt_ceiling;         /**< isolation debt ceiling, base units with 2 decimals; 0 = not isolated */
    keel_u256 isolation_mode_total_debt; /**< debt already counted against the ceiling, 2 decimals */
} keel_aave_reserve;

/** Defaults: 18 decimals, no collateral use, bonus 100%, active and borrowable, indexes 1 ray. */
#define KEEL_AAVE_RESERVE_INIT                                                        \
    {                                                                                 \
        sizeof(keel_aave_reserve), 18, 0, 0, 10000, 0,                                \
            KEEL_AAVE_ACTIVE | KEEL_AAVE_BORROWING_ENABLED, {{0, 0, 0, 0}},           \
            {{0x9fd0803ce8000000ull, 0x33b2e3cull, 0, 0}},                            \
            {{0x9fd0803ce8000000ull, 0x33b2e3cull, 0, 0}}, {{0, 0, 0, 0}},            \
            {{0, 0, 0, 0}}, 0, {{0, 0, 0, 0}}, {{0, 0, 0, 0}}                         \
    }

/** Fills @p params with KEEL_AAVE_RESERVE_INIT (as every keel `_init`). \experimental */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_reserve_init(keel_aave_reserve *params, size_t size);

/** An e-mode category. Bit i of a bitmap is reserve id i ([0] holds ids 0..63). */
typedef struct keel_aave_emode {
    size_t size;                    /**< sizeof(keel_aave_emode) */
    uint32_t ltv;                   /**< bps, 1..liquidation_threshold */
    uint32_t liquidation_threshold; /**< bps, 1..10000 */
    uint32_t liquidation_bonus;     /**< bps, > 10000, threshold · bonus <= 100% */
    uint32_t reserved;              /**< 0 */
    uint64_t collateral_bitmap[2];  /**< reserves that are collateral at the category's terms */
    uint64_t borrowable_bitmap[2];  /**< reserves that may be borrowed in the category */
    uint64_t ltvzero_bitmap[2];     /**< collateral reserves whose LTV is 0 in the category (v3.6) */
} keel_aave_emode;

/** Defaults: everything 0 (a category must then be given its terms). */
#define KEEL_AAVE_EMODE_INIT { sizeof(keel_aave_emode), 0, 0, 0, 0, {0, 0}, {0, 0}, {0, 0} }

/** Fills @p params with KEEL_AAVE_EMODE_INIT. \experimental */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_emode_init(keel_aave_emode *params, size_t size);

/** Most reserves a market holds (Aave's MAX_RESERVES_COUNT for e-mode bitmaps). */
#define KEEL_AAVE_MAX_RESERVES 128

/**
 * Creates an empty market following @p version's rules.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_OUT_OF_RANGE for a version keel
 *         does not know; KEEL_E_NOMEM. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_market_new(keel_aave_version version,
                                          keel_aave_market **out);

/** Frees a market; NULL is a no-op. \experimental */
KEEL_EXPERIMENTAL
KEEL_API void keel_aave_market_free(keel_aave_market *market);

/** Deep copy. @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOMEM. \experimental */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_market_clone(const keel_aave_market *market,
                                            keel_aave_market **out);

/** @return the market's version, or 0 for a bad handle. \experimental */
KEEL_EXPERIMENTAL
KEEL_API int keel_aave_market_version(const keel_aave_market *market);

/** @return the number of reserves, or 0 for a bad handle. \experimental */
KEEL_EXPERIMENTAL
KEEL_API size_t keel_aave_market_size(const keel_aave_market *market);

/**
 * Adds a reserve with the next id (its position in the pool's list).
 *
 * @param symbol its symbol: 1..KEEL_SYMBOL_MAX printable characters, unique.
 * @param reserve parameters and state, checked as keel_aave_market_set_reserve().
 * @param[out] out_id the new reserve's id.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_INVALID_SYMBOL;
 *         KEEL_E_DUPLICATE; KEEL_E_OVERFLOW beyond KEEL_AAVE_MAX_RESERVES;
 *         the statuses of keel_aave_market_set_reserve(); nothing changes on
 *         failure. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_market_add_reserve(keel_aave_market *market,
                                                  const char *symbol,
                                                  const keel_aave_reserve *reserve,
                                                  uint32_t *out_id);

/**
 * Replaces reserve @p id's parameters and state, all or nothing.
 *
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET;
 *         KEEL_E_OUT_OF_RANGE (size too small, decimals above 38, LTV above
 *         the threshold, a threshold above 10000, with a non-zero threshold a
 *         bonus not above 10000 or threshold · bonus above 100% (the pool's
 *         configurator refuses both), a bonus above 65535 (its 16 bits on
 *         chain), a protocol fee above 10000, an unknown flag, a zero index);
 *         the detail names the field. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_market_set_reserve(keel_aave_market *market,
                                                  uint32_t id,
                                                  const keel_aave_reserve *reserve);

/** Reads reserve @p id (as much as @p out's size holds). @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET; KEEL_E_OUT_OF_RANGE for a size too small. \experimental */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_market_reserve(const keel_aave_market *market,
                                              uint32_t id,
                                              keel_aave_reserve *out);

/** Sets reserve @p id's oracle price (base-currency units). @return KEEL_OK; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET. \experimental */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_market_set_price(keel_aave_market *market,
                                                uint32_t id, keel_u256 price);

/** Finds a reserve by symbol. @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOT_FOUND. \experimental */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_market_find(const keel_aave_market *market,
                                           const char *symbol, uint32_t *out_id);

/** Reserve @p id's symbol (static while the market lives), or NULL for a bad handle or id. \experimental */
KEEL_EXPERIMENTAL
KEEL_API const char *keel_aave_market_symbol(const keel_aave_market *market,
                                             uint32_t id);

/**
 * Sets e-mode category @p category (1..255) to @p emode, all or nothing.
 *
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_OUT_OF_RANGE
 *         (category 0 or above 255, a zero LTV, LTV above threshold, a zero
 *         threshold or one above 10000, a bonus not above 10000, threshold ·
 *         bonus above 100%, a non-zero reserved field: the checks of
 *         PoolConfigurator.setEModeCategory);
 *         KEEL_E_UNKNOWN_ASSET when a bitmap names a reserve the market does
 *         not have (add the reserves first). \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_market_set_emode(keel_aave_market *market,
                                                uint32_t category,
                                                const keel_aave_emode *emode);

/** Reads category @p category. @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOT_FOUND for a category never set. \experimental */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_market_emode(const keel_aave_market *market,
                                            uint32_t category,
                                            keel_aave_emode *out);

/**
 * Accrues every reserve's indexes to @p timestamp with the protocol's
 * formulas (ReserveLogic.getNormalizedIncome / getNormalizedDebt: linear
 * interest for supply, the third-order Taylor compounding of
 * MathUtils.calculateCompoundedInterest for debt, each then rayMul'd into
 * the index) and sets last_update; the rates do not change.
 *
 * @return KEEL_OK; KEEL_E_BAD_HANDLE; KEEL_E_OUT_OF_RANGE when @p timestamp
 *         is before a reserve's last_update; KEEL_E_OVERFLOW where the
 *         Solidity reverts. Nothing changes on failure. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_market_accrue(keel_aave_market *market,
                                             uint64_t timestamp);

/** keel_aave_account_set_position() flags. */
enum {
    KEEL_AAVE_COLLATERAL = 1u, /**< the user's "use as collateral" switch is on */
    KEEL_AAVE_UNDERLYING = 2u  /**< amounts are underlying (wei), not scaled: they are
                                    scaled with the reserve's indexes as a supply (down)
                                    and a borrow (up) of that version would be */
};

/** Creates an empty account (no positions, e-mode 0). @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_NOMEM. \experimental */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_account_new(keel_aave_account **out);

/** Frees an account; NULL is a no-op. \experimental */
KEEL_EXPERIMENTAL
KEEL_API void keel_aave_account_free(keel_aave_account *account);

/** Deep copy. @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOMEM. \experimental */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_account_clone(const keel_aave_account *account,
                                             keel_aave_account **out);

/** Copies @p src's positions and e-mode into @p dst. @return KEEL_OK; KEEL_E_BAD_HANDLE; KEEL_E_NOMEM (dst unchanged). \experimental */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_account_assign(keel_aave_account *dst,
                                              const keel_aave_account *src);

/**
 * Sets the account's balances in reserve @p reserve (replacing what was
 * there): the aToken and variable-debt-token scaled balances, or underlying
 * amounts with KEEL_AAVE_UNDERLYING. Both zero with the switch off removes
 * the position. The collateral switch is kept as given, even over a zero
 * supply: the user configuration of a real account can hold such a bit, and
 * GenericLogic counts it (an LTV-0 one sets has_zero_ltv_collateral).
 *
 * @param market the market the reserve ids refer to (read for the indexes).
 * @param flags  KEEL_AAVE_COLLATERAL | KEEL_AAVE_UNDERLYING.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET;
 *         KEEL_E_OUT_OF_RANGE for an unknown flag; KEEL_E_OVERFLOW for a
 *         scaled balance of 2^128 or more (wider than the token stores).
 *         \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_account_set_position(
                                                    keel_aave_account *account, const keel_aave_market *market, uint32_t reserve,
                                                    keel_u256 supply, keel_u256 debt, uint32_t flags);

/**
 * Reads the position in @p reserve: scaled balances and flags (KEEL_AAVE_COLLATERAL);
 * all zero when the account holds none. Any output may be NULL.
 * @return KEEL_OK; KEEL_E_BAD_HANDLE. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_account_position(const keel_aave_account *account,
                                                uint32_t reserve,
                                                keel_u256 *scaled_supply,
                                                keel_u256 *scaled_debt,
                                                uint32_t *flags);

/**
 * Sets the account's e-mode category (0 = none).
 * @return KEEL_OK; KEEL_E_BAD_HANDLE; KEEL_E_NOT_FOUND for a category the
 *         market has not set. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_account_set_emode(keel_aave_account *account,
                                                 const keel_aave_market *market,
                                                 uint32_t category);

/** @return the account's e-mode category, or 0 for a bad handle. \experimental */
KEEL_EXPERIMENTAL
KEEL_API uint32_t keel_aave_account_emode(const keel_aave_account *account);

/**
 * The underlying balances in @p reserve (aToken and variable debt
 * `balanceOf`, with the version's rounding). Either output may be NULL.
 * @return KEEL_OK; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET; KEEL_E_OVERFLOW. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_account_balances(const keel_aave_market *market,
                                                const keel_aave_account *account,
                                                uint32_t reserve,
                                                keel_u256 *supply,
                                                keel_u256 *debt);

/** getUserAccountData, plus the isolation state. Size-prefixed. */
typedef struct keel_aave_account_data {
    size_t size;                       /**< sizeof(keel_aave_account_data) */
    keel_u256 total_collateral_base;   /**< base-currency units */
    keel_u256 total_debt_base;         /**< base-currency units */
    keel_u256 available_borrows_base;  /**< base-currency units */
    keel_u256 current_liquidation_threshold; /**< weighted, bps (floored) */
    keel_u256 ltv;                     /**< weighted, bps (floored) */
    keel_u256 health_factor;           /**< wad; 2^256 − 1 without debt */
    int has_zero_ltv_collateral;       /**< a collateral with LTV 0 is enabled */
    int isolated;                      /**< isolation mode: the one collateral has a debt ceiling */
    uint32_t isolation_collateral;     /**< that collateral's id, or UINT32_MAX */
    int liquidatable;                  /**< health factor below 1 wad */
} keel_aave_account_data;

/** KEEL_AAVE_ACCOUNT_DATA_INIT: size set, everything else 0. */
#define KEEL_AAVE_ACCOUNT_DATA_INIT                                                  \
    {                                                                                \
        sizeof(keel_aave_account_data), {{0, 0, 0, 0}}, {{0, 0, 0, 0}}, {{0, 0, 0, 0}}, {{0, 0, 0, 0}}, {{0, 0, 0, 0}}, {{0, 0, 0, 0}}, 0, 0, 0, 0 \
    }

/**
 * The account's data exactly as GenericLogic.calculateUserAccountData and
 * calculateAvailableBorrows of the market's version compute it (the values
 * Pool.getUserAccountData returns), at the market's current indexes.
 *
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_OUT_OF_RANGE
 *         for a size too small; KEEL_E_UNKNOWN_ASSET when the account holds
 *         a reserve the market does not have, or its e-mode category is not
 *         set; KEEL_E_OVERFLOW where the Solidity reverts (a value beyond 2^256).
 *         \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_user_account_data(const keel_aave_market *market,
                                                 const keel_aave_account *account,
                                                 keel_aave_account_data *out);

/** Why the pool would revert a call (the Errors.sol name in the comment). */
typedef enum keel_aave_revert {
    KEEL_AAVE_OK = 0,
    KEEL_AAVE_HEALTH_FACTOR_NOT_BELOW_THRESHOLD = 1, /**< HealthFactorNotBelowThreshold */
    KEEL_AAVE_COLLATERAL_CANNOT_BE_LIQUIDATED = 2,   /**< CollateralCannotBeLiquidated: the switch is off */
    KEEL_AAVE_SPECIFIED_CURRENCY_NOT_BORROWED = 3,   /**< SpecifiedCurrencyNotBorrowedByUser */
    KEEL_AAVE_MUST_NOT_LEAVE_DUST = 4,               /**< MustNotLeaveDust: leftovers under 1,000 USD */
    KEEL_AAVE_RESERVE_INACTIVE = 5,                  /**< ReserveInactive */
    KEEL_AAVE_RESERVE_PAUSED = 6,                    /**< ReservePaused */
    KEEL_AAVE_INVALID_BURN_AMOUNT = 7,               /**< InvalidBurnAmount: a burn of 0 scaled units */
    KEEL_AAVE_ARITHMETIC = 8,                        /**< Panic(0x11) or a bare revert of the math
                                                          libraries: an overflow, underflow or zero divisor */
    KEEL_AAVE_DIVISION_BY_ZERO = 9                   /**< Panic(0x12): a checked division by zero (a price of 0) */
} keel_aave_revert;

/** @return the Errors.sol name of @p reason ("MustNotLeaveDust"), the panic's
 *  text for KEEL_AAVE_ARITHMETIC, "" for KEEL_AAVE_OK, "unknown revert" otherwise. \experimental */
KEEL_EXPERIMENTAL
KEEL_API const char *keel_aave_revert_name(keel_aave_revert reason);

/** The outcome of one liquidation call. Size-prefixed. */
typedef struct keel_aave_liquidation {
    size_t size;                        /**< sizeof(keel_aave_liquidation) */
    keel_aave_revert revert;            /**< KEEL_AAVE_OK, or why the call reverts */
    uint32_t collateral;                /**< collateral reserve id */
    uint32_t debt;                      /**< debt reserve id */
    uint32_t liquidation_bonus;         /**< bps applied (the e-mode category's or the reserve's) */
    keel_u256 debt_repaid;              /**< actualDebtToLiquidate, debt wei paid by the liquidator */
    keel_u256 collateral_to_liquidator; /**< collateral wei the liquidator receives */
    keel_u256 protocol_fee;             /**< collateral wei to the treasury */
    keel_u256 deficit_base;             /**< debt written off as deficit (all reserves), base units */
    keel_u256 debt_repaid_base;         /**< debt_repaid valued at the oracle, rounded up */
    keel_u256 collateral_to_liquidator_base; /**< collateral_to_liquidator valued, rounded down */
    double profit_base;                 /**< collateral_to_liquidator_base − debt_repaid_base, before gas */
    keel_u256 health_factor_before;     /**< wad */
    keel_u256 health_factor_after;      /**< wad (2^256 − 1 when no debt is left) */
} keel_aave_liquidation;

/** KEEL_AAVE_LIQUIDATION_INIT: size set, everything else 0. */
#define KEEL_AAVE_LIQUIDATION_INIT                                                   \
    {                                                                                \
        sizeof(keel_aave_liquidation), KEEL_AAVE_OK, 0, 0, 0, {{0, 0, 0, 0}}, {{0, 0, 0, 0}}, {{0, 0, 0, 0}}, {{0, 0, 0, 0}}, {{0, 0, 0, 0}}, {{0, 0, 0, 0}}, 0.0, \
            {{0, 0, 0, 0}}, {{0, 0, 0, 0}}                                                                   \
    }

/**
 * Quotes Pool.liquidationCall(collateral, debt, user, debt_to_cover,
 * receiveAToken = false) with the v3.3+ rules of LiquidationLogic: the 50%
 * close factor on the total debt while HF > 0.95 and both the reserve's
 * collateral and debt are at least 2,000 base units · 10^8, a full close
 * otherwise; the bonus of the e-mode category when the collateral is in it,
 * else the reserve's; the protocol fee out of the bonus; the 1,000-unit
 * leftover rule; and when no collateral is left, the remaining debt of
 * every reserve burned as deficit. Liquidator ≠ borrower, no price-oracle
 * sentinel and no grace period are assumed; the pool's totals (reserve
 * liquidity, isolated debt, deficit) are not part of the quote.
 *
 * @param debt_to_cover debt wei the liquidator offers; keel_u256_max() for "as much as allowed".
 * @param[out] out the quote; on a revert, @c revert says why and the amounts are 0.
 * @param after if not NULL, receives the account after the call (unchanged on a
 *        revert); it may be @p account itself, which is then updated in place.
 * @return KEEL_OK; KEEL_E_INFEASIBLE when the pool would revert (@c out->revert
 *         and keel_last_error() say why); KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE;
 *         KEEL_E_UNKNOWN_ASSET; KEEL_E_OUT_OF_RANGE for a size too small;
 *         KEEL_E_OVERFLOW. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_liquidation_quote(
                                                 const keel_aave_market *market, const keel_aave_account *account, uint32_t collateral,
                                                 uint32_t debt, keel_u256 debt_to_cover, keel_aave_liquidation *out, keel_aave_account *after);

/**
 * The most profitable liquidation of the account for a liquidator: every
 * pair of an enabled collateral and a borrowed reserve quoted at the largest
 * cover the pool accepts, the one with the largest profit_base (ties to the
 * lowest collateral id, then debt id). The profit grows with the debt
 * covered, so that cover is the close factor's maximum, or, when that would
 * leave less than 1,000 USD of debt or collateral (MustNotLeaveDust), the
 * largest cover that leaves enough (found by bisection: the covers refused
 * for dust are those above a threshold).
 *
 * @return KEEL_OK; KEEL_E_INFEASIBLE when no pair can be liquidated (@c
 *         out->revert holds the first pair's reason, or
 *         KEEL_AAVE_HEALTH_FACTOR_NOT_BELOW_THRESHOLD); the statuses of
 *         keel_aave_liquidation_quote(). \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_best_liquidation(const keel_aave_market *market,
                                                const keel_aave_account *account,
                                                keel_aave_liquidation *out);

/**
 * What a keeper asks. Each answer is exact: the amount is the smallest
 * (repay, supply) or largest (withdraw, borrow) whole number of wei for
 * which the chain's integer health factor of the account after the action
 * meets the target, found by bisection on the exact integer formulas (the
 * health factor is non-decreasing in a repay or a supply and non-increasing
 * in a withdrawal or a borrow, so the search's answer is the boundary:
 * one wei less (more) misses the target).
 *
 * keel_aave_repay_to_target: repaying @p reserve's debt (the burn rounds
 * as Pool.repay of the version). KEEL_E_INFEASIBLE when repaying all of it
 * misses @p target_hf (a wad, >= 1 wei).
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_repay_to_target(const keel_aave_market *market,
                                               const keel_aave_account *account,
                                               uint32_t reserve,
                                               keel_u256 target_hf,
                                               keel_u256 *out_amount);

/**
 * Supplying @p reserve until the health factor reaches @p target_hf. The
 * supply counts when the reserve is already used as collateral, or when a
 * first supply is switched on by the pool
 * (ValidationLogic.validateAutomaticUseAsCollateral: no debt ceiling, an
 * LTV above 0, and no isolation when other collateral is on).
 * KEEL_E_INFEASIBLE when it would not count (a supply held with the switch
 * off, or one the pool does not switch on), when the reserve's threshold is
 * 0, or when no amount up to 2^127 − 1 reaches the target. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_supply_to_target(const keel_aave_market *market,
                                                const keel_aave_account *account,
                                                uint32_t reserve,
                                                keel_u256 target_hf,
                                                keel_u256 *out_amount);

/**
 * The most of @p reserve's supply that can be withdrawn keeping the
 * health factor at or above max(@p floor_hf, 1 wad) and passing the pool's
 * own checks (ValidationLogic.validateHFAndLtvzero: with an LTV-0
 * collateral enabled, only an LTV-0 reserve may be withdrawn while in
 * debt). A supply not used as collateral, or any supply of an account
 * without debt, can go whole (the pool checks the health factor only for a
 * collateral in debt). 0 when nothing can be. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_max_withdraw(const keel_aave_market *market,
                                            const keel_aave_account *account,
                                            uint32_t reserve, keel_u256 floor_hf,
                                            keel_u256 *out_amount);

/**
 * The most of @p reserve that can be borrowed keeping the health factor at
 * or above max(@p floor_hf, 1 wad) and passing the pool's checks
 * (ValidationLogic.validateBorrow and validateHFAndLtv: the reserve active,
 * not paused or frozen, borrowable in the account's e-mode or enabled
 * outside it, borrowable in isolation and within the debt ceiling for an
 * isolated account — a token of fewer than 2 decimals cannot be, the
 * ceiling's unit conversion panics — an LTV above 0, collateral >= debt /
 * LTV rounded up).
 * Borrow caps, siloed borrowing and the reserve's available liquidity are
 * not checked. 0 when nothing can be; 2^127 − 1 (the search's top) when
 * the collateral covers any amount. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_max_borrow(const keel_aave_market *market,
                                          const keel_aave_account *account,
                                          uint32_t reserve, keel_u256 floor_hf,
                                          keel_u256 *out_amount);

/** Where the verdict flips as one reserve's oracle price moves. */
typedef struct keel_aave_price_boundary {
    size_t size;       /**< sizeof(keel_aave_price_boundary) */
    int direction;     /**< −1: liquidatable at prices <= @c price; +1: at prices >= @c price;
                            0: no boundary over 0 .. 2^96 − 1, or the highest price at which
                            the account's data do not overflow (never liquidatable, or
                            liquidatable at every price; @c liquidatable_now tells which) */
    int liquidatable_now; /**< the verdict at the current price */
    keel_u256 price;   /**< the first oracle price (base units) at which HF < 1 wad */
} keel_aave_price_boundary;

/** KEEL_AAVE_PRICE_BOUNDARY_INIT: size set, everything else 0. */
#define KEEL_AAVE_PRICE_BOUNDARY_INIT { sizeof(keel_aave_price_boundary), 0, 0, {{0, 0, 0, 0}} }

/**
 * The liquidation price of the account in reserve @p reserve's oracle
 * price, at the oracle's granularity: the price p at which the chain's
 * health factor is below 1 wad while p ∓ 1 (one unit on the healthy side)
 * is not, other prices fixed. Exact when the health factor is monotone in
 * this price, as it is before rounding ((A + a·p) / (B + b·p), also for a
 * reserve both supplied and borrowed); the integer rounding can only make
 * the verdict flip at neighbouring units. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_liquidation_price(const keel_aave_market *market,
                                                 const keel_aave_account *account,
                                                 uint32_t reserve,
                                                 keel_aave_price_boundary *out);

/**
 * Converts an Aave account into keel's double-precision objects, so that
 * policies, plans, scans and backtests run on it: a market with one asset
 * per reserve of the account (symbol, price = oracle price / 10^8), a
 * basket holding the enabled collateral as collateral and the debt as
 * debt (underlying balances / 10^decimals), and a linear haircut model
 * with haircut = 1 − threshold (the e-mode category's threshold for its
 * collateral). A supply whose switch is off is held at haircut 1 (no
 * weight), as on chain. keel's metrics on them equal the chain's health
 * factor up to its integer rounding. Their weighted_max_ltv and
 * weighted_liquidation_threshold equal getUserAccountData's ltv and
 * currentLiquidationThreshold (up to its flooring to a basis point) except
 * under v3.6 for a switched-on collateral whose threshold is 0: v3.6 counts
 * its value in the total collateral (diluting both averages), while keel's
 * haircut model cannot list an asset that counts for nothing (maintenance
 * haircut 1 is refused), so it has no haircut schedule there and keel's two
 * ratios read higher by total / (total less those reserves); the chain's
 * figures are keel_aave_account_data()'s.
 *
 * @param[out] out_market, out_basket, out_haircuts new handles the caller frees.
 * @param[out] out_reserves optional: the reserve id of each keel asset, in asset order.
 * @param capacity entries at @p out_reserves (ignored when it is NULL).
 * @param[out] out_count optional: number of keel assets (also on KEEL_E_BUFFER_TOO_SMALL).
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET;
 *         KEEL_E_OUT_OF_RANGE for a held reserve priced 0; KEEL_E_BUFFER_TOO_SMALL
 *         when @p capacity is below the number of assets; KEEL_E_NOMEM (nothing
 *         returned, nothing leaked). \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_to_keel(const keel_aave_market *market,
                                       const keel_aave_account *account,
                                       keel_market **out_market,
                                       keel_basket **out_basket,
                                       keel_haircut_model **out_haircuts,
                                       uint32_t *out_reserves, size_t capacity,
                                       size_t *out_count);

/**
 * Health factors of many accounts with the chain's exact verdict: each is
 * computed in double precision, and re-computed in integers when its
 * distance to 1 is within a rigorous bound of the double path's error plus
 * the chain's rounding (one base unit per position and a relative 1e-12),
 * so that every verdict equals the chain's.
 *
 * @param accounts @p n account handles.
 * @param[out] out_hf @p n health factors (the exact one, as a double, for re-checked accounts; +inf without debt); may be NULL.
 * @param[out] out_liquidatable @p n verdicts (1: HF < 1 on chain).
 * @param[out] out_exact optional: how many accounts were re-computed in integers.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE (the detail names the
 *         account); KEEL_E_UNKNOWN_ASSET; KEEL_E_OVERFLOW. On failure the
 *         outputs are unspecified. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_scan(const keel_aave_market *market,
                                    const keel_aave_account *const *accounts,
                                    size_t n, double *out_hf,
                                    uint8_t *out_liquidatable, size_t *out_exact);

/**
 * keel_aave_scan() over accounts given as flat arrays instead of handles:
 * the same health factors and verdicts, bit for bit (the two share one
 * per-position kernel, one band bound and one exact path), read from
 * compressed sparse rows that a keeper refreshes once per block. Account k
 * holds positions offsets[k] .. offsets[k + 1] − 1; position j is reserve
 * @p reserves[j] with its collateral switch in @p flags[j] and its 128-bit
 * scaled balances (the aToken's and the variable debt token's
 * `scaledBalanceOf`, as keel_aave_account_set_position() takes them without
 * KEEL_AAVE_UNDERLYING) in two 64-bit words each, least significant first.
 * A position with both balances 0 and the switch off counts for nothing;
 * the switch on over a zero supply counts as a handle's does.
 *
 * @param n             number of accounts.
 * @param offsets       n + 1 entries: offsets[0] = 0, nondecreasing; offsets[n]
 *                      is the number of positions P. May be NULL when n = 0.
 * @param reserves      P reserve ids, each below keel_aave_market_size(),
 *                      strictly increasing within an account.
 * @param flags         P switches: KEEL_AAVE_COLLATERAL or 0.
 * @param scaled_supply 2P words: position j's scaled aToken balance is
 *                      scaled_supply[2j] + 2^64 · scaled_supply[2j + 1].
 * @param scaled_debt   2P words, the scaled variable debt, likewise.
 * @param emodes        n e-mode categories (each 0 or a category set in the
 *                      market), or NULL for 0 everywhere.
 * The position arrays may be NULL when P = 0.
 * @param[out] out_hf   n health factors (1.0 = 1 wad; the exact one, as a
 *                      double, for re-checked accounts; +inf without debt);
 *                      may be NULL.
 * @param[out] out_liquidatable n verdicts (1: HF < 1 wad on chain).
 * @param[out] out_exact optional: how many accounts were re-computed in integers.
 * @return KEEL_OK; KEEL_E_NULL_ARG (market, out_liquidatable, offsets when
 *         n > 0, a position array when P > 0); KEEL_E_BAD_HANDLE;
 *         KEEL_E_OUT_OF_RANGE for offsets[0] != 0, offsets that decrease, a
 *         reserve id not above the one before it in its account, or a flag
 *         other than KEEL_AAVE_COLLATERAL; KEEL_E_UNKNOWN_ASSET for a
 *         reserve id the market does not have or an e-mode category it has
 *         not set; KEEL_E_OVERFLOW where the Solidity reverts (only when
 *         every account passes the checks). keel_last_error() names the
 *         account k and the position j (its index in the position arrays).
 *
 * The checks are not a pass of their own: they are fused into the scan,
 * each account's checked when it is reached, so on failure the outputs are
 * unspecified (the accounts before the failing one may have been written).
 * No position at or past offsets[n] is ever read, even when the offsets
 * are wrong: the caller's arrays must hold offsets[n] positions, no more is
 * needed. Never allocates. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_aave_scan_flat(const keel_aave_market *market, size_t n,
                                         const size_t *offsets, const uint32_t *reserves,
                                         const uint8_t *flags, const uint64_t *scaled_supply,
                                         const uint64_t *scaled_debt, const uint8_t *emodes,
                                         double *out_hf, uint8_t *out_liquidatable,
                                         size_t *out_exact);

#ifdef __cplusplus
}
#endif

#endif /* KEEL_AAVE_H */

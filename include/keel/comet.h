/**
 * @file comet.h
 * Compound v3 (Comet) accounts, exactly as the chain computes them: the
 * base asset's present and principal values with the contract's rounding,
 * index accrual, the liquidity behind isBorrowCollateralized and
 * isLiquidatable, absorb and buyCollateral as quotes (or the reason they
 * revert), what a keeper asks, and the bridge to keel's double-precision
 * market, basket and haircut model.
 *
 * \experimental Every declaration here is in the experimental tier.
 *
 * Source: compound-finance/comet, commit
 * d5a30b0aaeff7755f1431e87f818990902237b03 (2026-05-29), contracts
 * Comet.sol, CometCore.sol, CometMath.sol, CometStorage.sol,
 * CometConfiguration.sol (docs/protocols.md maps each function here to its
 * Solidity).
 *
 * Units are the contract's: amounts in the token's smallest unit (wei),
 * the base principal in principal units (present value = principal · index
 * / 10^15), indexes with BASE_INDEX_SCALE = 10^15, prices and values in the
 * price feeds' 8 decimals (10^8 = 1 USD), collateral factors, the
 * liquidation factor and the store-front price factor with FACTOR_SCALE =
 * 10^18 (1 = 100%), interest rates per second with FACTOR_SCALE.
 *
 * Signed quantities (the principal, int104 on chain; present values,
 * liquidity and reserves, int256) are a keel_comet_int: a magnitude and a
 * sign.
 *
 * Terms: keel's "collateral weight" is Comet's liquidate collateral factor,
 * keel's haircut is 1 − liquidateCollateralFactor (maintenance) and
 * 1 − borrowCollateralFactor (initial).
 */
#ifndef KEEL_COMET_H
#define KEEL_COMET_H

#include <stdint.h>

#include "keel/basket.h"
#include "keel/core.h"
#include "keel/haircut.h"
#include "keel/market.h"
#include "keel/u256.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque Comet market: the base asset's configuration and totals, the collateral assets. */
typedef struct keel_comet_market keel_comet_market;
/** Opaque Comet user: the signed base principal and a balance per collateral asset. */
typedef struct keel_comet_account keel_comet_account;

/** Most collateral assets a market holds (Comet.sol packs asset00 .. asset11). */
#define KEEL_COMET_MAX_ASSETS 12
/** The id keel_comet_market_set_price() takes for the base asset's price. */
#define KEEL_COMET_BASE_ID UINT32_MAX

/**
 * A signed integer as sign and magnitude: the value is −magnitude when
 * @c negative is not 0, else magnitude. Zero is never negative in what keel
 * returns; keel reads a negative zero as 0.
 */
typedef struct keel_comet_int {
    keel_u256 magnitude; /**< |value| */
    int32_t negative;    /**< 1: the value is −magnitude */
    uint32_t reserved;   /**< 0 */
} keel_comet_int;

/** Pause bits (keel_comet_base.pause_flags), Comet's PAUSE_*_OFFSET. */
enum {
    KEEL_COMET_PAUSE_SUPPLY = 1u,   /**< supply (repay, add collateral) paused */
    KEEL_COMET_PAUSE_TRANSFER = 2u, /**< transfer paused (not used by keel's questions) */
    KEEL_COMET_PAUSE_WITHDRAW = 4u, /**< withdraw and borrow paused */
    KEEL_COMET_PAUSE_ABSORB = 8u,   /**< absorb paused */
    KEEL_COMET_PAUSE_BUY = 16u      /**< buyCollateral paused */
};

/**
 * The base asset: configuration (CometConfiguration.Configuration) and
 * state (CometStorage: indexes, totals, pause flags), plus the pool's base
 * token balance. Size-prefixed: start from KEEL_COMET_BASE_INIT.
 */
typedef struct keel_comet_base {
    size_t size;                 /**< sizeof(keel_comet_base) */
    uint32_t decimals;           /**< 6..18 (constructor: at most MAX_BASE_DECIMALS, baseScale >= BASE_ACCRUAL_SCALE) */
    uint32_t pause_flags;        /**< KEEL_COMET_PAUSE_* bits */
    keel_u256 price;             /**< base price feed answer, 8 decimals, 1 .. 2^255 − 1 */
    uint64_t supply_index;       /**< baseSupplyIndex, 10^15 = 1, > 0 */
    uint64_t borrow_index;       /**< baseBorrowIndex, 10^15 = 1, > 0 */
    uint64_t last_accrual_time;  /**< lastAccrualTime, unix seconds, < 2^40 */
    keel_u256 total_supply_base; /**< totalSupplyBase, principal units, < 2^104 */
    keel_u256 total_borrow_base; /**< totalBorrowBase, principal units, < 2^104 */
    keel_u256 base_balance;      /**< the base token's balanceOf(comet), wei, < 2^254 (so getReserves cannot overflow) */
    uint64_t supply_kink;        /**< utilization, 10^18 = 100% */
    uint64_t supply_per_year_interest_rate_slope_low;  /**< 10^18 = 100% a year */
    uint64_t supply_per_year_interest_rate_slope_high; /**< 10^18 = 100% a year */
    uint64_t supply_per_year_interest_rate_base;       /**< 10^18 = 100% a year */
    uint64_t borrow_kink;        /**< utilization, 10^18 = 100% */
    uint64_t borrow_per_year_interest_rate_slope_low;  /**< 10^18 = 100% a year */
    uint64_t borrow_per_year_interest_rate_slope_high; /**< 10^18 = 100% a year */
    uint64_t borrow_per_year_interest_rate_base;       /**< 10^18 = 100% a year */
    uint64_t store_front_price_factor; /**< <= 10^18 (constructor: BadDiscount) */
    keel_u256 base_borrow_min;   /**< baseBorrowMin, wei, < 2^104 */
    keel_u256 target_reserves;   /**< targetReserves, wei, < 2^104 */
} keel_comet_base;

/** Defaults: 6 decimals, price 1 USD, indexes 10^15, everything else 0. */
#define KEEL_COMET_BASE_INIT                                                              \
    {                                                                                     \
        sizeof(keel_comet_base), 6, 0, {{100000000u, 0, 0, 0}}, 1000000000000000u,        \
            1000000000000000u, 0, {{0, 0, 0, 0}}, {{0, 0, 0, 0}}, {{0, 0, 0, 0}}, 0, 0, 0, \
            0, 0, 0, 0, 0, 0, {{0, 0, 0, 0}}, {{0, 0, 0, 0}}                              \
    }

/** Fills @p params with KEEL_COMET_BASE_INIT (as every keel `_init`). \experimental */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_base_init(keel_comet_base *params, size_t size);

/**
 * One collateral asset: its AssetConfig, the collateral totals and the
 * pool's token balance. The factors are taken as configured (1e18) and
 * stored as Comet.getPackedAssetInternal packs them and getAssetInfo reads
 * them back: each cut to a whole 10^14 (four decimals); the supply cap cut
 * to whole tokens. keel_comet_market_asset() returns the stored values.
 */
typedef struct keel_comet_asset {
    size_t size;                          /**< sizeof(keel_comet_asset) */
    uint32_t decimals;                    /**< 0..18 */
    uint32_t reserved;                    /**< 0 */
    keel_u256 price;                      /**< price feed answer, 8 decimals, 1 .. 2^255 − 1 */
    uint64_t borrow_collateral_factor;    /**< < liquidate_collateral_factor, also after the cut to 10^14 */
    uint64_t liquidate_collateral_factor; /**< <= 10^18 */
    uint64_t liquidation_factor;          /**< <= 10^18 (keel's rule: Comet does not check it, but above 1 its quoteCollateral underflows) */
    keel_u256 supply_cap;                 /**< supplyCap, wei, < 2^128, whole tokens < 2^64 */
    keel_u256 total_supply_asset;         /**< totalsCollateral[asset].totalSupplyAsset, wei, < 2^128 */
    keel_u256 balance;                    /**< the token's balanceOf(comet), wei; the excess over total_supply_asset is collateral reserves */
} keel_comet_asset;

/** Defaults: 18 decimals, everything else 0 (a price must be set). */
#define KEEL_COMET_ASSET_INIT                                                                  \
    {                                                                                          \
        sizeof(keel_comet_asset), 18, 0, {{0, 0, 0, 0}}, 0, 0, 0, {{0, 0, 0, 0}}, {{0, 0, 0, 0}}, \
            {{0, 0, 0, 0}}                                                                     \
    }

/** Fills @p params with KEEL_COMET_ASSET_INIT. \experimental */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_asset_init(keel_comet_asset *params, size_t size);

/**
 * Creates a market with no collateral assets.
 * @param base_symbol the base asset's symbol (keel's symbol rules).
 * @param base checked as keel_comet_market_set_base() does.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_INVALID_SYMBOL; KEEL_E_OUT_OF_RANGE
 *         for a field outside its range (the text names it); KEEL_E_NOMEM.
 *         \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_market_new(const char *base_symbol, const keel_comet_base *base,
                                           keel_comet_market **out);

/** Frees a market; NULL is a no-op. \experimental */
KEEL_EXPERIMENTAL
KEEL_API void keel_comet_market_free(keel_comet_market *market);

/** A copy of @p market. @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOMEM. \experimental */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_market_clone(const keel_comet_market *market,
                                             keel_comet_market **out);

/** Number of collateral assets (0 for a bad handle). \experimental */
KEEL_EXPERIMENTAL
KEEL_API size_t keel_comet_market_size(const keel_comet_market *market);

/**
 * Appends a collateral asset; ids are its offset in the contract's asset
 * list (0, 1, ...): add them in that order.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_INVALID_SYMBOL;
 *         KEEL_E_DUPLICATE for a symbol already used (also the base's);
 *         KEEL_E_OUT_OF_RANGE for a field outside its range, the factors
 *         breaking the constructor's rules (BorrowCFTooLarge,
 *         LiquidateCFTooLarge) or a price of 0 (getPrice's BadPrice);
 *         KEEL_E_OVERFLOW past KEEL_COMET_MAX_ASSETS. Nothing changes on
 *         failure. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_market_add_asset(keel_comet_market *market, const char *symbol,
                                                 const keel_comet_asset *asset,
                                                 uint32_t *out_id);

/** Replaces asset @p id's parameters (the checks of keel_comet_market_add_asset()).
 *  @return as keel_comet_market_add_asset(); KEEL_E_UNKNOWN_ASSET for an id the market lacks. \experimental */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_market_set_asset(keel_comet_market *market, uint32_t id,
                                                 const keel_comet_asset *asset);

/** Asset @p id as stored (factors cut to 10^14, the cap to whole tokens).
 *  @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_OUT_OF_RANGE for a
 *  size too small; KEEL_E_UNKNOWN_ASSET. \experimental */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_market_asset(const keel_comet_market *market, uint32_t id,
                                             keel_comet_asset *out);

/**
 * Replaces the base asset's configuration and state. The per-second rates
 * are the constructor's: each per-year figure / 31,536,000, floored.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_OUT_OF_RANGE for a
 *         field outside its range (decimals, a price of 0 or past 2^255 − 1, an
 *         index of 0, a total or minimum past 2^104, a time past 2^40, the
 *         store-front factor above 10^18, unknown pause bits). Nothing changes
 *         on failure. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_market_set_base(keel_comet_market *market,
                                                const keel_comet_base *base);

/** The base asset's configuration and state (indexes after any accrual). \experimental */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_market_base(const keel_comet_market *market, keel_comet_base *out);

/**
 * Sets one oracle price: asset @p id's, or the base asset's for
 * KEEL_COMET_BASE_ID. @return KEEL_OK; KEEL_E_BAD_HANDLE; KEEL_E_NULL_ARG;
 * KEEL_E_UNKNOWN_ASSET; KEEL_E_OUT_OF_RANGE for 0 or past 2^255 − 1. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_market_set_price(keel_comet_market *market, uint32_t id,
                                                 keel_u256 price);

/** The id of the collateral asset named @p symbol.
 *  @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOT_FOUND. \experimental */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_market_find(const keel_comet_market *market, const char *symbol,
                                            uint32_t *out_id);

/**
 * Moves the indexes to @p timestamp as Comet.accrueInternal does
 * (accruedInterestIndices: the utilization and rates at the current totals,
 * index += index · rate · elapsed / 10^18 with the safe64 check and uint64
 * addition). Rewards tracking is not modelled.
 * @return KEEL_OK; KEEL_E_BAD_HANDLE; KEEL_E_OUT_OF_RANGE for a time before
 *         last_accrual_time or past 2^40 − 1 (TimestampTooLarge);
 *         KEEL_E_OVERFLOW where the contract reverts (InvalidUInt64, an index
 *         past 2^64). Nothing changes on failure. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_market_accrue(keel_comet_market *market, uint64_t timestamp);

/** The market's view functions at its current indexes. Size-prefixed. */
typedef struct keel_comet_rates {
    size_t size;            /**< sizeof(keel_comet_rates) */
    keel_u256 utilization;  /**< getUtilization(), 10^18 = 100% */
    uint64_t supply_rate;   /**< getSupplyRate(utilization), per second, 10^18 */
    uint64_t borrow_rate;   /**< getBorrowRate(utilization), per second, 10^18 */
    keel_u256 total_supply; /**< presentValueSupply(baseSupplyIndex, totalSupplyBase), wei */
    keel_u256 total_borrow; /**< presentValueBorrow(baseBorrowIndex, totalBorrowBase), wei */
    keel_comet_int reserves; /**< getReserves(): balance − total supply + total borrow, wei */
} keel_comet_rates;

/** KEEL_COMET_RATES_INIT: size set, everything else 0. */
#define KEEL_COMET_RATES_INIT { sizeof(keel_comet_rates), {{0, 0, 0, 0}}, 0, 0, {{0, 0, 0, 0}}, {{0, 0, 0, 0}}, {{{0, 0, 0, 0}}, 0, 0} }

/**
 * Comet.getUtilization, getSupplyRate, getBorrowRate, totalSupply,
 * totalBorrow and getReserves, with the market taken as accrued to now.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_OUT_OF_RANGE for
 *         a size too small; KEEL_E_OVERFLOW where the contract reverts. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_market_rates(const keel_comet_market *market,
                                             keel_comet_rates *out);

/** Creates an account with principal 0 and no collateral. @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_NOMEM. \experimental */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_account_new(keel_comet_account **out);

/** Frees an account; NULL is a no-op. \experimental */
KEEL_EXPERIMENTAL
KEEL_API void keel_comet_account_free(keel_comet_account *account);

/** A copy of @p account. @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOMEM. \experimental */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_account_clone(const keel_comet_account *account,
                                              keel_comet_account **out);

/**
 * Sets userBasic.principal (principal units, int104: −2^103 .. 2^103 − 1;
 * negative is a borrow). @return KEEL_OK; KEEL_E_BAD_HANDLE; KEEL_E_OVERFLOW
 * past int104. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_account_set_principal(keel_comet_account *account,
                                                      keel_comet_int principal);

/** The account's principal. @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE. \experimental */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_account_principal(const keel_comet_account *account,
                                                  keel_comet_int *out);

/**
 * Sets userCollateral[account][asset].balance (wei, uint128); the asset
 * counts in assetsIn exactly when the balance is not 0, as updateAssetsIn
 * keeps it. @return KEEL_OK; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET for an
 * asset the market lacks; KEEL_E_OVERFLOW for 2^128 or more. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_account_set_collateral(keel_comet_account *account,
                                                       const keel_comet_market *market,
                                                       uint32_t asset, keel_u256 balance);

/** The account's balance of collateral @p asset (0 for an id it never held).
 *  @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET past KEEL_COMET_MAX_ASSETS. \experimental */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_account_collateral(const keel_comet_account *account,
                                                   uint32_t asset, keel_u256 *out);

/**
 * CometCore.presentValue: principal · baseSupplyIndex / 10^15 for a
 * principal >= 0, −(|principal| · baseBorrowIndex / 10^15) below 0, both
 * floored (so a debt rounds toward zero).
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_OVERFLOW past int104. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_present_value(const keel_comet_market *market,
                                              keel_comet_int principal, keel_comet_int *out);

/**
 * CometCore.principalValue: for a present value >= 0,
 * ⌊value · 10^15 / baseSupplyIndex⌋ (principalValueSupply); below 0,
 * −⌈|value| · 10^15 / baseBorrowIndex⌉ (principalValueBorrow): both round
 * against the user.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_OVERFLOW where the
 *         contract reverts (InvalidUInt104, InvalidInt104, or the product past
 *         2^256). \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_principal_value(const keel_comet_market *market,
                                                keel_comet_int present, keel_comet_int *out);

/** An account's standing. Size-prefixed. Values in 8-decimal price units. */
typedef struct keel_comet_account_data {
    size_t size;                          /**< sizeof(keel_comet_account_data) */
    keel_comet_int present_value;         /**< presentValue(principal), base wei */
    keel_comet_int base_value;            /**< signedMulPrice(present value, base price, baseScale): truncated toward 0 */
    keel_u256 collateral_value;           /**< Σ mulPrice(balance, price, scale), each floored */
    keel_u256 borrow_collateral_value;    /**< Σ mulFactor(mulPrice(...), borrowCollateralFactor), each floored */
    keel_u256 liquidate_collateral_value; /**< Σ mulFactor(mulPrice(...), liquidateCollateralFactor) */
    keel_comet_int borrow_liquidity;      /**< base_value + borrow_collateral_value (isBorrowCollateralized's sum) */
    keel_comet_int liquidation_liquidity; /**< base_value + liquidate_collateral_value (isLiquidatable's sum) */
    int32_t is_borrow_collateralized;     /**< 1: principal >= 0 or borrow_liquidity >= 0 */
    int32_t is_liquidatable;              /**< 1: principal < 0 and liquidation_liquidity < 0 */
    int32_t complete;                     /**< 1: the sums are over every asset; 0: a term past 256 bits comes after the contract's loops stop (principal >= 0, or the running liquidity >= 0), so the sums stop there too (the verdicts are the contract's) */
    uint32_t reserved;                    /**< 0 */
} keel_comet_account_data;

/** KEEL_COMET_ACCOUNT_DATA_INIT: size set, everything else 0. */
#define KEEL_COMET_ACCOUNT_DATA_INIT                                                       \
    {                                                                                      \
        sizeof(keel_comet_account_data), {{{0, 0, 0, 0}}, 0, 0}, {{{0, 0, 0, 0}}, 0, 0},    \
            {{0, 0, 0, 0}}, {{0, 0, 0, 0}}, {{0, 0, 0, 0}}, {{{0, 0, 0, 0}}, 0, 0},          \
            {{{0, 0, 0, 0}}, 0, 0}, 0, 0, 0, 0                                             \
    }

/**
 * Comet.isBorrowCollateralized and Comet.isLiquidatable with the sums
 * behind them, at the market's current indexes and prices. The contract
 * stops adding collateral once the sum reaches 0 (which cannot change the
 * verdict); keel adds every asset, so the liquidity figures are complete --
 * unless a term the contract never computes passes 256 bits: the sums then
 * stop where the contract's loops stop, and @c complete is 0.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET
 *         when the account holds an asset the market lacks; KEEL_E_OUT_OF_RANGE
 *         for a size too small; KEEL_E_OVERFLOW when a term passes 256 bits (or
 *         int256), where the contract would revert had it reached that asset.
 *         \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_account_liquidity(const keel_comet_market *market,
                                                 const keel_comet_account *account,
                                                 keel_comet_account_data *out);

/** Why the contract would revert a call (its error's name in the comment). */
typedef enum keel_comet_revert {
    KEEL_COMET_OK = 0,
    KEEL_COMET_PAUSED = 1,                /**< Paused */
    KEEL_COMET_NOT_LIQUIDATABLE = 2,      /**< NotLiquidatable */
    KEEL_COMET_NOT_FOR_SALE = 3,          /**< NotForSale: reserves >= targetReserves */
    KEEL_COMET_TOO_MUCH_SLIPPAGE = 4,     /**< TooMuchSlippage: less collateral than minAmount */
    KEEL_COMET_INSUFFICIENT_RESERVES = 5, /**< InsufficientReserves: more than the collateral reserves */
    KEEL_COMET_BORROW_TOO_SMALL = 6,      /**< BorrowTooSmall */
    KEEL_COMET_NOT_COLLATERALIZED = 7,    /**< NotCollateralized */
    KEEL_COMET_SUPPLY_CAP_EXCEEDED = 8,   /**< SupplyCapExceeded */
    KEEL_COMET_INVALID_UINT64 = 9,        /**< InvalidUInt64 */
    KEEL_COMET_INVALID_UINT104 = 10,      /**< InvalidUInt104 */
    KEEL_COMET_INVALID_UINT128 = 11,      /**< InvalidUInt128 */
    KEEL_COMET_INVALID_INT104 = 12,       /**< InvalidInt104 */
    KEEL_COMET_INVALID_INT256 = 13,       /**< InvalidInt256 */
    KEEL_COMET_ARITHMETIC = 14,           /**< Panic(0x11): overflow or underflow */
    KEEL_COMET_DIVISION_BY_ZERO = 15      /**< Panic(0x12): division by zero */
} keel_comet_revert;

/** @return the contract's error name of @p reason ("NotForSale"), the panic's
 *  text for the two panics, "" for KEEL_COMET_OK, "unknown revert" otherwise. \experimental */
KEEL_EXPERIMENTAL
KEEL_API const char *keel_comet_revert_name(keel_comet_revert reason);

/** The outcome of absorbing one account. Size-prefixed. */
typedef struct keel_comet_absorb {
    size_t size;                     /**< sizeof(keel_comet_absorb) */
    keel_comet_revert revert;        /**< KEEL_COMET_OK, or why absorb reverts */
    uint32_t reserved;               /**< 0 */
    keel_comet_int old_principal;    /**< principal before */
    keel_comet_int new_principal;    /**< principalValue(new_balance): 0 or a supply */
    keel_comet_int old_balance;      /**< presentValue(old principal), base wei (negative) */
    keel_comet_int new_balance;      /**< max(old_balance + delta_balance, 0), base wei */
    keel_u256 seized[KEEL_COMET_MAX_ASSETS];       /**< collateral wei taken, per asset id (the whole balance) */
    keel_u256 seized_value[KEEL_COMET_MAX_ASSETS]; /**< mulPrice(seized, price, scale): AbsorbCollateral's value */
    keel_u256 delta_value;           /**< Σ mulFactor(seized_value, liquidationFactor), price units */
    keel_u256 delta_balance;         /**< divPrice(delta_value, base price, baseScale), base wei credited */
    keel_u256 base_paid_out;         /**< new_balance − old_balance: debt forgiven (AbsorbDebt's basePaidOut) */
    keel_u256 value_of_base_paid_out; /**< mulPrice(base_paid_out, base price, baseScale) */
    keel_u256 deficit;               /**< max(0, −(old_balance + delta_balance)): debt the collateral did not cover, base wei, borne by reserves */
    keel_u256 repay_amount;          /**< repayAndSupplyAmount: principal off totalBorrowBase */
    keel_u256 supply_amount;         /**< principal onto totalSupplyBase */
    keel_u256 total_supply_base;     /**< totalSupplyBase after */
    keel_u256 total_borrow_base;     /**< totalBorrowBase after */
    keel_comet_int reserves_before;  /**< getReserves() before, base wei */
    keel_comet_int reserves_after;   /**< getReserves() after (the pool's balance unchanged) */
} keel_comet_absorb;

/** KEEL_COMET_ABSORB_INIT: size set, everything else 0. */
#define KEEL_COMET_ABSORB_INIT                                                                   \
    {                                                                                            \
        sizeof(keel_comet_absorb), KEEL_COMET_OK, 0, {{{0, 0, 0, 0}}, 0, 0},                     \
            {{{0, 0, 0, 0}}, 0, 0}, {{{0, 0, 0, 0}}, 0, 0}, {{{0, 0, 0, 0}}, 0, 0},              \
            {{{0, 0, 0, 0}}}, {{{0, 0, 0, 0}}}, {{0, 0, 0, 0}}, {{0, 0, 0, 0}}, {{0, 0, 0, 0}},    \
            {{0, 0, 0, 0}}, {{0, 0, 0, 0}}, {{0, 0, 0, 0}}, {{0, 0, 0, 0}}, {{0, 0, 0, 0}},        \
            {{0, 0, 0, 0}}, {{{0, 0, 0, 0}}, 0, 0}, {{{0, 0, 0, 0}}, 0, 0}                       \
    }

/**
 * Quotes Comet.absorb(absorber, [account]) (absorbInternal): reverts
 * Paused (absorb paused) or NotLiquidatable; else every collateral balance
 * is seized into the protocol's collateral reserves, valued at the oracle
 * (floored) and credited at its liquidation factor, the credit converted
 * to base (floored) and added to the balance, which is floored at 0 (the
 * deficit is the debt beyond the credit); the new balance becomes a
 * principal (rounded down) and the totals move by repayAndSupplyAmount.
 * The market is taken as accrued to now (call keel_comet_market_accrue()
 * first); tracking and liquidator points are not modelled.
 *
 * @param[out] out the quote; on a revert, @c revert says why and the amounts are 0.
 * @param after if not NULL, receives the account after the call (unchanged on a
 *        revert); it may be @p account itself.
 * @return KEEL_OK; KEEL_E_INFEASIBLE when the contract would revert (@c
 *         out->revert and keel_last_error() say why); KEEL_E_NULL_ARG;
 *         KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET; KEEL_E_OUT_OF_RANGE for a
 *         size too small; KEEL_E_OVERFLOW. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_absorb_quote(const keel_comet_market *market,
                                             const keel_comet_account *account,
                                             keel_comet_absorb *out, keel_comet_account *after);

/**
 * Comet.quoteCollateral(asset, baseAmount): the collateral wei that @p
 * base_amount base wei buys at the store-front discount,
 * basePrice · baseAmount · scale / assetPriceDiscounted / baseScale, with
 * discountFactor = storeFrontPriceFactor · (1 − liquidationFactor) and
 * assetPriceDiscounted = assetPrice · (1 − discountFactor), each mulFactor
 * floored. @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE;
 * KEEL_E_UNKNOWN_ASSET; KEEL_E_INFEASIBLE where the view reverts (a product
 * past 2^256, a discounted price of 0: keel_last_error() names the panic). \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_quote_collateral(const keel_comet_market *market, uint32_t asset,
                                                 keel_u256 base_amount, keel_u256 *out);

/** The outcome of a buyCollateral call. Size-prefixed. */
typedef struct keel_comet_buy {
    size_t size;                   /**< sizeof(keel_comet_buy) */
    keel_comet_revert revert;      /**< KEEL_COMET_OK, or why buyCollateral reverts */
    uint32_t reserved;             /**< 0 */
    keel_comet_int reserves;       /**< getReserves() before the buy, base wei */
    keel_u256 collateral_amount;   /**< quoteCollateral(asset, baseAmount), wei */
    keel_u256 collateral_reserves; /**< getCollateralReserves(asset) before: balance − totalSupplyAsset */
} keel_comet_buy;

/** KEEL_COMET_BUY_INIT: size set, everything else 0. */
#define KEEL_COMET_BUY_INIT                                                                \
    {                                                                                      \
        sizeof(keel_comet_buy), KEEL_COMET_OK, 0, {{{0, 0, 0, 0}}, 0, 0}, {{0, 0, 0, 0}},  \
            {{0, 0, 0, 0}}                                                                 \
    }

/**
 * Quotes Comet.buyCollateral(asset, minAmount, baseAmount, recipient) in
 * its order: Paused (buy paused); NotForSale when the reserves are at or
 * above targetReserves; the quote; TooMuchSlippage below @p min_amount;
 * InsufficientReserves above the asset's collateral reserves (an
 * underflow of balance − totalSupplyAsset panics); InvalidUInt128. The
 * base token is taken to transfer in exactly @p base_amount (no fee).
 * @return KEEL_OK; KEEL_E_INFEASIBLE on a revert (@c out->revert); KEEL_E_NULL_ARG;
 *         KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET; KEEL_E_OUT_OF_RANGE for a
 *         size too small. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_buy_collateral_quote(const keel_comet_market *market,
                                                     uint32_t asset, keel_u256 min_amount,
                                                     keel_u256 base_amount, keel_comet_buy *out);

/** Which line a keeper target is measured against. */
typedef enum keel_comet_line {
    /** borrowCollateralFactor: 1 wad is isBorrowCollateralized's line */
    KEEL_COMET_BORROW_LINE = 0,
    /** liquidateCollateralFactor: 1 wad is isLiquidatable's line */
    KEEL_COMET_LIQUIDATE_LINE = 1
} keel_comet_line;

/**
 * What a keeper asks. A target is a wad ratio: it is met when the account
 * has no debt (principal >= 0) or when C · 10^18 >= target · D, where C is
 * the line's weighted collateral value (borrow_ or
 * liquidate_collateral_value of keel_comet_account_data) and D = −base_value
 * the debt's value, both exactly as the contract rounds them. At target =
 * 10^18 this is exactly the contract's verdict: C >= D is
 * isBorrowCollateralized (borrow line), and not isLiquidatable (liquidate
 * line). Each answer is exact: the least (repay, supply) or largest
 * (withdraw, borrow) whole number of wei meeting it, found by bisection on
 * the contract's integer formulas, each of which is monotone in the amount;
 * one wei less (more) misses.
 *
 * keel_comet_repay_to_target: the least base wei to supply (Comet.supply of
 * the base: the new balance becomes a principal, a debt rounded up) for
 * the target on @p line; at most the whole debt (which always reaches it).
 * @param target wad, 1 .. 2^128 − 1.
 * @return KEEL_OK; KEEL_E_INFEASIBLE when supply is paused; KEEL_E_NULL_ARG;
 *         KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET; KEEL_E_OUT_OF_RANGE for a
 *         target or line out of range; KEEL_E_OVERFLOW. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_repay_to_target(const keel_comet_market *market,
                                                const keel_comet_account *account,
                                                keel_comet_line line, keel_u256 target,
                                                keel_u256 *out_amount);

/**
 * The least wei of collateral @p asset to supply (supplyCollateral) for
 * the target on @p line. KEEL_E_INFEASIBLE when supply is paused or when no
 * amount the contract accepts (totalSupplyAsset within the supply cap, the
 * balance within uint128) reaches the target; keel_last_error() says which.
 * Other statuses as keel_comet_repay_to_target(). \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_supply_to_target(const keel_comet_market *market,
                                                 const keel_comet_account *account,
                                                 uint32_t asset, keel_comet_line line,
                                                 keel_u256 target, keel_u256 *out_amount);

/**
 * The most wei of collateral @p asset that withdrawCollateral accepts
 * (isBorrowCollateralized after it) keeping the borrow line's ratio at or
 * above max(@p floor, 10^18): the whole balance for an account without
 * debt, 0 when withdrawals are paused or nothing can go.
 * Statuses as keel_comet_repay_to_target() (@p floor 0 .. 2^128 − 1). \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_max_withdraw(const keel_comet_market *market,
                                             const keel_comet_account *account, uint32_t asset,
                                             keel_u256 floor, keel_u256 *out_amount);

/**
 * The most base wei Comet.withdraw of the base accepts: the amount a with
 * balance − a >= 0 (a withdrawal of supply), or a debt after it of at least
 * baseBorrowMin and the borrow line's ratio at or above max(@p floor, 10^18)
 * (isBorrowCollateralized on the principal after, rounded up); capped at
 * the pool's base balance (the token transfer). When the largest
 * collateralized borrow leaves less than baseBorrowMin of debt, the answer
 * is the supply alone (0 without one). 0 when withdrawals are paused.
 * Statuses as keel_comet_repay_to_target(). \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_max_borrow(const keel_comet_market *market,
                                           const keel_comet_account *account, keel_u256 floor,
                                           keel_u256 *out_amount);

/** Where isLiquidatable flips as one collateral price moves. */
typedef struct keel_comet_price_boundary {
    size_t size;          /**< sizeof(keel_comet_price_boundary) */
    int direction;        /**< −1: liquidatable at prices <= @c price (and not at @c price + 1);
                               0: no flip over 1 .. 2^96 − 1 (@c liquidatable_now says which side) */
    int liquidatable_now; /**< the verdict at the current price */
    keel_u256 price;      /**< the highest 8-decimal price at which the account is liquidatable */
} keel_comet_price_boundary;

/** KEEL_COMET_PRICE_BOUNDARY_INIT: size set, everything else 0. */
#define KEEL_COMET_PRICE_BOUNDARY_INIT { sizeof(keel_comet_price_boundary), 0, 0, {{0, 0, 0, 0}} }

/**
 * The liquidation price of collateral @p asset at the oracle's
 * granularity, other prices fixed: the highest price p in 1 .. 2^96 − 1 at
 * which isLiquidatable holds; at p + 1 it does not. The liquidation
 * liquidity is nondecreasing in a collateral's price (floors of
 * nondecreasing terms), so the set is a bottom interval and the answer
 * exact. direction 0 when the account is liquidatable at no price (no
 * debt, or enough else) or at every price up to 2^96 − 1.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET;
 *         KEEL_E_OUT_OF_RANGE for a size too small; KEEL_E_OVERFLOW. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_liquidation_price(const keel_comet_market *market,
                                                  const keel_comet_account *account,
                                                  uint32_t asset,
                                                  keel_comet_price_boundary *out);

/**
 * Converts a Comet account into keel's double-precision objects, so that
 * policies, plans, scans and backtests run on it: a market with the base
 * asset first, then one asset per collateral the account holds (symbol,
 * price = oracle price / 10^8); a basket holding the collateral (balance /
 * 10^decimals) and the base present value, as debt when the principal is
 * negative, as collateral at haircut 0 when positive; a linear haircut
 * model with initial haircut 1 − borrowCollateralFactor and maintenance
 * 1 − liquidateCollateralFactor. keel's health factor on them is
 * liquidate_collateral_value / −base_value up to the contract's floors (a
 * price unit per asset).
 *
 * @param[out] out_market, out_basket, out_haircuts new handles the caller frees.
 * @param[out] out_assets optional: the Comet id of each keel asset in order
 *        (KEEL_COMET_BASE_ID for the base).
 * @param capacity entries at @p out_assets (ignored when it is NULL).
 * @param[out] out_count optional: number of keel assets (also on KEEL_E_BUFFER_TOO_SMALL).
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET;
 *         KEEL_E_OUT_OF_RANGE for a price beyond double range;
 *         KEEL_E_BUFFER_TOO_SMALL; KEEL_E_OVERFLOW; KEEL_E_NOMEM (nothing
 *         returned, nothing leaked). \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_comet_to_keel(const keel_comet_market *market,
                                        const keel_comet_account *account,
                                        keel_market **out_market, keel_basket **out_basket,
                                        keel_haircut_model **out_haircuts, uint32_t *out_assets,
                                        size_t capacity, size_t *out_count);

#ifdef __cplusplus
}
#endif

#endif /* KEEL_COMET_H */

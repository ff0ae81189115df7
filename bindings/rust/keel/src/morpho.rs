//! Morpho Blue positions exactly as the chain computes them
//! (`include/keel/morpho.h`, experimental tier): shares and assets with the
//! virtual offset and each direction's rounding, `_isHealthy`, `liquidate`
//! as a quote (both ways, with bad-debt realisation, or the reason it would
//! revert), interest accrual with the Taylor compounding, what a keeper
//! asks, and the bridge to keel's double-precision objects.
//!
//! Source: morpho-org/morpho-blue, tag v1.0.0 (commit 55d2d99304fb):
//! src/Morpho.sol (liquidate, borrow, repay, withdrawCollateral,
//! _accrueInterest, _isHealthy), src/libraries/SharesMathLib.sol,
//! MathLib.sol, ConstantsLib.sol, UtilsLib.sol, periphery/MorphoBalancesLib.sol
//! (docs/protocols.md maps each method to its Solidity).
//!
//! Units are the chain's, all [`U256`]: amounts in the token's smallest unit
//! (wei); the LLTV, the fee, the liquidation incentive factor, the borrow
//! rate (per second) and health factors in wads (10^18 = 1.0; [`U256::MAX`]
//! without debt); the oracle price scaled by 10^36 (loan wei per collateral
//! wei · 10^36, as `IOracle.price()` returns it). A market is a handle; a
//! position is a plain [`MorphoPosition`] value, as Morpho stores it.
//! Nothing accrues by itself: call [`MorphoMarket::accrue`] where the chain would.
//!
//! ```
//! use keel::{MorphoMarket, MorphoParams, MorphoPosition, MorphoState, U256};
//! // WETH collateral, USDC loan (6 decimals), 2,000 USDC per WETH, LLTV 86%
//! let m = MorphoMarket::new("USDC", "WETH", &MorphoParams {
//!     loan_decimals: 6, price: U256::from(2_000_000_000_000_000_000_000_000_000u128),
//!     lltv: U256::from(860_000_000_000_000_000u64), ..Default::default() },
//!     Some(&MorphoState { total_supply_assets: U256::from(2_000_000_000_000u64),
//!                         total_supply_shares: U256::from(2_000_000_000_000_000_000u64),
//!                         total_borrow_assets: U256::from(1_000_000_000_000u64),
//!                         total_borrow_shares: U256::from(1_000_000_000_000_000_000u64),
//!                         ..Default::default() }))?;
//! // 1,720 USDC against 1 WETH: maxBorrow = 2,000 · 0.86 exactly
//! let p = MorphoPosition { borrow_shares: U256::from(1_720_000_000_000_000u64),
//!                          collateral: U256::WAD, ..Default::default() };
//! assert_eq!(m.position_data(&p)?.health_factor, U256::WAD);
//! # Ok::<(), keel::Error>(())
//! ```

use std::ffi::CStr;
use std::fmt;
use std::ptr;

use keel_sys as sys;

use crate::{c_string, check, AssetId, Basket, ErrorKind, HaircutModel, Market, Result, U256};

/// Why Morpho would revert a call (`keel_morpho_revert`), found in
/// [`Error::morpho_revert`](crate::Error::morpho_revert). [`name`](MorphoRevert::name) is ErrorsLib's string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MorphoRevert {
    /// "position is healthy".
    HealthyPosition,
    /// "inconsistent input": not exactly one amount 0.
    InconsistentInput,
    /// "insufficient collateral".
    InsufficientCollateral,
    /// "insufficient liquidity".
    InsufficientLiquidity,
    /// "max uint128 exceeded" (UtilsLib.toUint128).
    MaxUint128Exceeded,
    /// Panic(0x11): a checked overflow or underflow (repaying or seizing more
    /// than the position holds).
    Arithmetic,
    /// Panic(0x12): a division by a price of 0.
    DivisionByZero,
    /// A reason this crate does not know (a newer library).
    Unknown(i32),
}

impl MorphoRevert {
    /// `None` for `KEEL_MORPHO_OK`.
    fn from_raw(r: sys::keel_morpho_revert) -> Option<MorphoRevert> {
        Some(match r {
            sys::KEEL_MORPHO_OK => return None,
            sys::KEEL_MORPHO_HEALTHY_POSITION => MorphoRevert::HealthyPosition,
            sys::KEEL_MORPHO_INCONSISTENT_INPUT => MorphoRevert::InconsistentInput,
            sys::KEEL_MORPHO_INSUFFICIENT_COLLATERAL => MorphoRevert::InsufficientCollateral,
            sys::KEEL_MORPHO_INSUFFICIENT_LIQUIDITY => MorphoRevert::InsufficientLiquidity,
            sys::KEEL_MORPHO_MAX_UINT128_EXCEEDED => MorphoRevert::MaxUint128Exceeded,
            sys::KEEL_MORPHO_ARITHMETIC => MorphoRevert::Arithmetic,
            sys::KEEL_MORPHO_DIVISION_BY_ZERO => MorphoRevert::DivisionByZero,
            other => MorphoRevert::Unknown(other),
        })
    }

    /// The C value (`KEEL_MORPHO_HEALTHY_POSITION`, ...).
    pub fn raw(self) -> sys::keel_morpho_revert {
        match self {
            MorphoRevert::HealthyPosition => sys::KEEL_MORPHO_HEALTHY_POSITION,
            MorphoRevert::InconsistentInput => sys::KEEL_MORPHO_INCONSISTENT_INPUT,
            MorphoRevert::InsufficientCollateral => sys::KEEL_MORPHO_INSUFFICIENT_COLLATERAL,
            MorphoRevert::InsufficientLiquidity => sys::KEEL_MORPHO_INSUFFICIENT_LIQUIDITY,
            MorphoRevert::MaxUint128Exceeded => sys::KEEL_MORPHO_MAX_UINT128_EXCEEDED,
            MorphoRevert::Arithmetic => sys::KEEL_MORPHO_ARITHMETIC,
            MorphoRevert::DivisionByZero => sys::KEEL_MORPHO_DIVISION_BY_ZERO,
            MorphoRevert::Unknown(r) => r,
        }
    }

    /// ErrorsLib's string, from the C library (`keel_morpho_revert_name`):
    /// `"position is healthy"`, `"inconsistent input"`, ...; the panic's text
    /// for the two panics.
    pub fn name(self) -> &'static str {
        // SAFETY: the library returns a static NUL-terminated string for any value.
        unsafe { CStr::from_ptr(sys::keel_morpho_revert_name(self.raw())) }
            .to_str()
            .unwrap_or("unknown revert")
    }
}

impl fmt::Display for MorphoRevert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A market's parameters (C `keel_morpho_params`: MarketParams' numbers plus
/// the tokens' decimals). `Default` is the C library's
/// (`KEEL_MORPHO_PARAMS_INIT`): 18 decimals each, price and LLTV 0 (to be set).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MorphoParams {
    /// Loan token decimals, 0..=38 (for the bridge).
    pub loan_decimals: u32,
    /// Collateral token decimals, 0..=38 (for the bridge).
    pub collateral_decimals: u32,
    /// IOracle.price(): loan wei per collateral wei · 10^36.
    pub price: U256,
    /// Liquidation LTV, wad, 0 < lltv < 10^18.
    pub lltv: U256,
}

impl From<sys::keel_morpho_params> for MorphoParams {
    fn from(c: sys::keel_morpho_params) -> MorphoParams {
        MorphoParams { loan_decimals: c.loan_decimals, collateral_decimals: c.collateral_decimals,
                       price: U256::from_raw(c.price), lltv: U256::from_raw(c.lltv) }
    }
}

impl From<MorphoParams> for sys::keel_morpho_params {
    fn from(p: MorphoParams) -> sys::keel_morpho_params {
        sys::keel_morpho_params { loan_decimals: p.loan_decimals, collateral_decimals: p.collateral_decimals,
                                  price: p.price.raw(), lltv: p.lltv.raw(),
                                  ..sys::keel_morpho_params::default() }
    }
}

impl Default for MorphoParams {
    /// The C library's defaults (`keel_morpho_params_init`).
    fn default() -> MorphoParams {
        MorphoParams::from(sys::keel_morpho_params::default())
    }
}

/// A market's state (Morpho.sol `Market`, C `keel_morpho_state`). `Default`
/// is the C library's (`KEEL_MORPHO_STATE_INIT`): an empty market, last
/// update 0, fee 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MorphoState {
    /// totalSupplyAssets, wei, uint128 on chain: < 2^128.
    pub total_supply_assets: U256,
    /// totalSupplyShares, < 2^128.
    pub total_supply_shares: U256,
    /// totalBorrowAssets, wei, < 2^128.
    pub total_borrow_assets: U256,
    /// totalBorrowShares, < 2^128.
    pub total_borrow_shares: U256,
    /// Unix seconds of the last accrual.
    pub last_update: u64,
    /// Fee, wad, <= MAX_FEE = 0.25 · 10^18.
    pub fee: U256,
}

impl From<sys::keel_morpho_state> for MorphoState {
    fn from(c: sys::keel_morpho_state) -> MorphoState {
        MorphoState {
            total_supply_assets: U256::from_raw(c.total_supply_assets),
            total_supply_shares: U256::from_raw(c.total_supply_shares),
            total_borrow_assets: U256::from_raw(c.total_borrow_assets),
            total_borrow_shares: U256::from_raw(c.total_borrow_shares),
            last_update: c.last_update,
            fee: U256::from_raw(c.fee),
        }
    }
}

impl From<MorphoState> for sys::keel_morpho_state {
    fn from(s: MorphoState) -> sys::keel_morpho_state {
        sys::keel_morpho_state {
            total_supply_assets: s.total_supply_assets.raw(),
            total_supply_shares: s.total_supply_shares.raw(),
            total_borrow_assets: s.total_borrow_assets.raw(),
            total_borrow_shares: s.total_borrow_shares.raw(),
            last_update: s.last_update,
            fee: s.fee.raw(),
            ..sys::keel_morpho_state::default()
        }
    }
}

impl Default for MorphoState {
    /// The C library's defaults (`keel_morpho_state_init`).
    fn default() -> MorphoState {
        MorphoState::from(sys::keel_morpho_state::default())
    }
}

/// A user's position (Morpho.sol `Position`, C `keel_morpho_position`): a
/// plain value. Every call checks it against the market: `borrow_shares`
/// and `collateral` below 2^128 ([`ErrorKind::Overflow`]), no more shares
/// than the market's totals ([`ErrorKind::OutOfRange`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct MorphoPosition {
    /// Supply shares (uint256 on chain), <= total_supply_shares.
    pub supply_shares: U256,
    /// Borrow shares (uint128), <= total_borrow_shares.
    pub borrow_shares: U256,
    /// Collateral wei (uint128).
    pub collateral: U256,
}

impl From<sys::keel_morpho_position> for MorphoPosition {
    fn from(c: sys::keel_morpho_position) -> MorphoPosition {
        MorphoPosition { supply_shares: U256::from_raw(c.supply_shares),
                         borrow_shares: U256::from_raw(c.borrow_shares),
                         collateral: U256::from_raw(c.collateral) }
    }
}

impl From<MorphoPosition> for sys::keel_morpho_position {
    fn from(p: MorphoPosition) -> sys::keel_morpho_position {
        sys::keel_morpho_position { supply_shares: p.supply_shares.raw(), borrow_shares: p.borrow_shares.raw(),
                                    collateral: p.collateral.raw() }
    }
}

/// SharesMathLib's four conversions (`keel_morpho_conversion`;
/// VIRTUAL_SHARES = 10^6, VIRTUAL_ASSETS = 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MorphoConversion {
    /// toSharesDown: assets · (totalShares + 10^6) / (totalAssets + 1), floored.
    ToSharesDown,
    /// toSharesUp: the same, rounded up.
    ToSharesUp,
    /// toAssetsDown: shares · (totalAssets + 1) / (totalShares + 10^6), floored.
    ToAssetsDown,
    /// toAssetsUp: the same, rounded up.
    ToAssetsUp,
}

impl MorphoConversion {
    /// The C value.
    pub fn raw(self) -> sys::keel_morpho_conversion {
        match self {
            MorphoConversion::ToSharesDown => sys::KEEL_MORPHO_TO_SHARES_DOWN,
            MorphoConversion::ToSharesUp => sys::KEEL_MORPHO_TO_SHARES_UP,
            MorphoConversion::ToAssetsDown => sys::KEEL_MORPHO_TO_ASSETS_DOWN,
            MorphoConversion::ToAssetsUp => sys::KEEL_MORPHO_TO_ASSETS_UP,
        }
    }
}

/// The unit of a repay (`keel_morpho_unit`): Morpho.repay takes assets or shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MorphoUnit {
    /// repay(assets, 0): shares = toSharesDown(assets); amounts in loan wei.
    Assets,
    /// repay(0, shares): assets = toAssetsUp(shares); amounts in borrow shares.
    Shares,
}

impl MorphoUnit {
    /// The C value.
    pub fn raw(self) -> sys::keel_morpho_unit {
        match self {
            MorphoUnit::Assets => sys::KEEL_MORPHO_ASSETS,
            MorphoUnit::Shares => sys::KEEL_MORPHO_SHARES,
        }
    }
}

/// The amount `Morpho.liquidate` is given: exactly one of `seizedAssets`
/// and `repaidShares` is non-zero on chain; this says which.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MorphoLiquidate {
    /// liquidate(seizedAssets, 0): collateral wei to seize.
    SeizedAssets(U256),
    /// liquidate(0, repaidShares): borrow shares to repay.
    RepaidShares(U256),
}

/// One SharesMathLib conversion of `amount` against the totals, with the
/// Solidity's checked arithmetic; [`ErrorKind::Overflow`] where it reverts.
///
/// ```
/// use keel::{morpho_convert, MorphoConversion, U256};
/// // an empty market: 1 asset is 10^6 shares (the virtual offset)
/// let s = morpho_convert(MorphoConversion::ToSharesDown, U256::ONE, U256::ZERO, U256::ZERO)?;
/// assert_eq!(s, U256::from(1_000_000u64));
/// # Ok::<(), keel::Error>(())
/// ```
pub fn morpho_convert(op: MorphoConversion, amount: U256, total_assets: U256, total_shares: U256) -> Result<U256> {
    let mut out = sys::keel_u256::default();
    // SAFETY: valid out-pointer.
    check(unsafe { sys::keel_morpho_convert(op.raw(), amount.raw(), total_assets.raw(), total_shares.raw(), &mut out) })?;
    Ok(U256::from_raw(out))
}

/// The liquidation incentive factor of `Morpho.liquidate` (v1.0.0), wad:
/// min(1.15, 1 / (1 − 0.3 · (1 − lltv))), each step floored; 1.043841336116910229
/// for an LLTV of 0.86. [`ErrorKind::OutOfRange`] for an LLTV >= 1 wad.
pub fn morpho_incentive_factor(lltv: U256) -> Result<U256> {
    let mut out = sys::keel_u256::default();
    // SAFETY: valid out-pointer.
    check(unsafe { sys::keel_morpho_incentive_factor(lltv.raw(), &mut out) })?;
    Ok(U256::from_raw(out))
}

/// What the chain says of a position (C `keel_morpho_position_data`), as
/// `Morpho._isHealthy` computes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MorphoPositionData {
    /// toAssetsDown(supply_shares), loan wei (MorphoBalancesLib.expectedSupplyAssets at the current state).
    pub supply_assets: U256,
    /// toAssetsUp(borrow_shares), loan wei: _isHealthy's `borrowed`.
    pub borrow_assets: U256,
    /// collateral.mulDivDown(price, 10^36), loan wei.
    pub collateral_value: U256,
    /// collateral_value.wMulDown(lltv): _isHealthy's `maxBorrow`, loan wei.
    pub max_borrow: U256,
    /// max_borrow.wDivDown(borrow_assets), wad; [`U256::MAX`] without debt.
    pub health_factor: U256,
    /// _isHealthy: max_borrow >= borrow_assets.
    pub healthy: bool,
    /// !healthy: liquidate would not revert "position is healthy".
    pub liquidatable: bool,
}

/// One `liquidate` call, quoted (C `keel_morpho_liquidation` without a revert).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MorphoLiquidation {
    /// The liquidation incentive factor, wad ([`morpho_incentive_factor`]).
    pub incentive_factor: U256,
    /// Collateral wei to the liquidator.
    pub seized_assets: U256,
    /// Borrow shares burned by the repayment.
    pub repaid_shares: U256,
    /// Loan wei the liquidator pays: toAssetsUp(repaid_shares).
    pub repaid_assets: U256,
    /// Borrow shares written off when no collateral is left.
    pub bad_debt_shares: U256,
    /// Loan wei written off (removed from both asset totals).
    pub bad_debt_assets: U256,
    /// seized_assets.mulDivDown(price, 10^36), loan wei.
    pub seized_value: U256,
    /// seized_value − repaid_assets, loan wei, before gas, as a double (may be negative).
    pub profit: f64,
    /// The market's totalSupplyAssets after the call (less the bad debt).
    pub total_supply_assets_after: U256,
    /// totalSupplyShares after the call (unchanged).
    pub total_supply_shares_after: U256,
    /// totalBorrowAssets after the call.
    pub total_borrow_assets_after: U256,
    /// totalBorrowShares after the call.
    pub total_borrow_shares_after: U256,
    /// The position after the call.
    pub after: MorphoPosition,
}

impl MorphoLiquidation {
    fn from_raw(c: &sys::keel_morpho_liquidation, after: sys::keel_morpho_position) -> MorphoLiquidation {
        MorphoLiquidation {
            incentive_factor: U256::from_raw(c.incentive_factor),
            seized_assets: U256::from_raw(c.seized_assets),
            repaid_shares: U256::from_raw(c.repaid_shares),
            repaid_assets: U256::from_raw(c.repaid_assets),
            bad_debt_shares: U256::from_raw(c.bad_debt_shares),
            bad_debt_assets: U256::from_raw(c.bad_debt_assets),
            seized_value: U256::from_raw(c.seized_value),
            profit: c.profit,
            total_supply_assets_after: U256::from_raw(c.total_supply_assets_after),
            total_supply_shares_after: U256::from_raw(c.total_supply_shares_after),
            total_borrow_assets_after: U256::from_raw(c.total_borrow_assets_after),
            total_borrow_shares_after: U256::from_raw(c.total_borrow_shares_after),
            after: MorphoPosition::from(after),
        }
    }

    /// The market's state after the call: `before` with the four totals
    /// replaced (pass it to [`MorphoMarket::set_state`] to apply the call).
    pub fn state_after(&self, before: &MorphoState) -> MorphoState {
        MorphoState {
            total_supply_assets: self.total_supply_assets_after,
            total_supply_shares: self.total_supply_shares_after,
            total_borrow_assets: self.total_borrow_assets_after,
            total_borrow_shares: self.total_borrow_shares_after,
            ..*before
        }
    }
}

/// `check`, with the revert reason of a liquidation attached to an
/// `Infeasible` error.
fn check_liquidation(status: sys::keel_status, out: &sys::keel_morpho_liquidation) -> Result<()> {
    check(status).map_err(|mut e| {
        if e.kind == ErrorKind::Infeasible {
            e.morpho_revert = MorphoRevert::from_raw(out.revert);
        }
        e
    })
}

/// keel's double-precision objects for a Morpho position ([`MorphoMarket::to_keel`]).
pub struct MorphoKeel {
    /// Two assets priced in loan tokens: the collateral (price / 10^36 ·
    /// 10^collateral_decimals / 10^loan_decimals) and the loan token at 1.0.
    pub market: Market,
    /// The collateral as collateral, the borrowed assets (toAssetsUp) as
    /// debt, in whole tokens (supply shares are not collateral on Morpho).
    pub basket: Basket,
    /// Linear haircut 1 − LLTV, initial and maintenance.
    pub haircuts: HaircutModel,
    /// The collateral token's keel asset.
    pub collateral: AssetId,
    /// The loan token's keel asset.
    pub loan: AssetId,
}

/// A Morpho Blue market: parameters (LLTV, oracle price, decimals, the
/// tokens' symbols) and state (totals, last update, fee). Frees on `Drop`,
/// clones deeply, `Send + Sync` (reads take `&self` and never mutate).
pub struct MorphoMarket {
    pub(crate) raw: *mut sys::keel_morpho_market,
}

// SAFETY: as the crate's other handles: no thread affinity, const reads
// without caches, writes through &mut.
unsafe impl Send for MorphoMarket {}
unsafe impl Sync for MorphoMarket {}

impl Drop for MorphoMarket {
    fn drop(&mut self) {
        // SAFETY: raw came from keel_morpho_market_new or _clone and is freed once.
        unsafe { sys::keel_morpho_market_free(self.raw) }
    }
}

impl Clone for MorphoMarket {
    /// A deep copy. Panics only if the allocator fails.
    fn clone(&self) -> MorphoMarket {
        let mut p = ptr::null_mut();
        // SAFETY: live handle, valid out-pointer.
        check(unsafe { sys::keel_morpho_market_clone(self.raw, &mut p) })
            .expect("keel: out of memory while cloning");
        MorphoMarket { raw: p }
    }
}

type Amount = unsafe extern "C" fn(*const sys::keel_morpho_market, *const sys::keel_morpho_position,
                                   sys::keel_u256, *mut sys::keel_u256) -> sys::keel_status;

impl MorphoMarket {
    /// A market (`Morpho.createMarket`, then `state`; `None` for an empty
    /// one). The symbols are for the bridge and must differ. Errors:
    /// [`ErrorKind::InvalidSymbol`] (also for two equal symbols),
    /// [`ErrorKind::OutOfRange`] for an LLTV >= 1 wad, a fee above
    /// 25%, decimals above 38; [`ErrorKind::Overflow`] for a total of 2^128
    /// or more; [`ErrorKind::NoMemory`].
    pub fn new(loan_symbol: &str, collateral_symbol: &str, params: &MorphoParams, state: Option<&MorphoState>)
               -> Result<MorphoMarket> {
        let (l, c) = (c_string(loan_symbol)?, c_string(collateral_symbol)?);
        let p = sys::keel_morpho_params::from(*params);
        let s = state.map(|s| sys::keel_morpho_state::from(*s));
        let mut out = ptr::null_mut();
        // SAFETY: NUL-terminated symbols, size-prefixed structs (state NULL or
        // a live local), valid out-pointer.
        check(unsafe {
            sys::keel_morpho_market_new(l.as_ptr(), c.as_ptr(), &p, s.as_ref().map_or(ptr::null(), |s| s as *const _),
                                        &mut out)
        })?;
        Ok(MorphoMarket { raw: out })
    }

    /// The raw handle, for calls into keel-sys. It stays owned by `self`.
    pub fn as_ptr(&self) -> *const sys::keel_morpho_market {
        self.raw
    }

    /// The parameters.
    pub fn params(&self) -> Result<MorphoParams> {
        let mut p = sys::keel_morpho_params::default();
        // SAFETY: live handle, size-prefixed out struct.
        check(unsafe { sys::keel_morpho_market_params(self.raw, &mut p) })?;
        Ok(MorphoParams::from(p))
    }

    /// The state.
    pub fn state(&self) -> Result<MorphoState> {
        let mut s = sys::keel_morpho_state::default();
        // SAFETY: live handle, size-prefixed out struct.
        check(unsafe { sys::keel_morpho_market_state(self.raw, &mut s) })?;
        Ok(MorphoState::from(s))
    }

    /// Replaces the state (after a quote, or from the chain's `market(id)`).
    /// Errors: [`ErrorKind::OutOfRange`] for a fee above 25%,
    /// [`ErrorKind::Overflow`] for a total of 2^128 or more. Nothing changes
    /// on failure.
    pub fn set_state(&mut self, state: &MorphoState) -> Result<()> {
        let s = sys::keel_morpho_state::from(*state);
        // SAFETY: live handle, size-prefixed struct.
        check(unsafe { sys::keel_morpho_market_set_state(self.raw, &s) })
    }

    /// Sets the oracle price (10^36-scaled; 0 is allowed and makes every debt unhealthy).
    pub fn set_price(&mut self, price: U256) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_morpho_market_set_price(self.raw, price.raw()) })
    }

    /// Accrues interest to `timestamp` (unix seconds) as
    /// `Morpho._accrueInterest` (v1.0.0) does with an IRM answering
    /// `borrow_rate` (wad per second): the Taylor-compounded interest added to
    /// both asset totals, the fee's part minted as supply shares. Returns
    /// `(interest, fee_shares)`: loan wei added, and the supply shares the fee
    /// recipient gains. Errors: [`ErrorKind::OutOfRange`] for a time before
    /// `last_update`, [`ErrorKind::Overflow`] where the Solidity reverts.
    /// Nothing changes on failure.
    pub fn accrue(&mut self, borrow_rate: U256, timestamp: u64) -> Result<(U256, U256)> {
        let (mut i, mut f) = (sys::keel_u256::default(), sys::keel_u256::default());
        // SAFETY: live handle, valid out-pointers.
        check(unsafe { sys::keel_morpho_market_accrue(self.raw, borrow_rate.raw(), timestamp, &mut i, &mut f) })?;
        Ok((U256::from_raw(i), U256::from_raw(f)))
    }

    /// The position's balances and health exactly as `Morpho._isHealthy`
    /// (v1.0.0) computes them. Errors: [`ErrorKind::Overflow`] for a
    /// position field past its uint128 or collateral · price past 2^256,
    /// [`ErrorKind::OutOfRange`] for more shares than the market's totals.
    pub fn position_data(&self, position: &MorphoPosition) -> Result<MorphoPositionData> {
        let p = sys::keel_morpho_position::from(*position);
        let mut d = sys::keel_morpho_position_data::default();
        // SAFETY: live handle, a position on the stack, size-prefixed out struct.
        check(unsafe { sys::keel_morpho_position_data_get(self.raw, &p, &mut d) })?;
        Ok(MorphoPositionData {
            supply_assets: U256::from_raw(d.supply_assets),
            borrow_assets: U256::from_raw(d.borrow_assets),
            collateral_value: U256::from_raw(d.collateral_value),
            max_borrow: U256::from_raw(d.max_borrow),
            health_factor: U256::from_raw(d.health_factor),
            healthy: d.healthy != 0,
            liquidatable: d.liquidatable != 0,
        })
    }

    /// Quotes `Morpho.liquidate(marketParams, borrower, seizedAssets,
    /// repaidShares, "")` (v1.0.0) at the current state (no accrual), given
    /// one amount: by seized assets, repaidShares =
    /// seizedAssets.mulDivUp(price, 10^36).wDivUp(LIF).toSharesUp(); by
    /// repaid shares, seizedAssets = repaidShares.toAssetsDown().wMulDown(LIF)
    /// .mulDivDown(10^36, price); bad debt realised when no collateral is
    /// left. The market is not changed (apply
    /// [`MorphoLiquidation::state_after`] with [`set_state`](MorphoMarket::set_state)).
    ///
    /// Where Morpho would revert: `Err` with [`ErrorKind::Infeasible`] and
    /// [`Error::morpho_revert`](crate::Error::morpho_revert) = `Some(reason)` (HealthyPosition,
    /// InconsistentInput for an amount of 0, MaxUint128Exceeded, Arithmetic,
    /// DivisionByZero). Other errors: [`ErrorKind::Overflow`] /
    /// [`ErrorKind::OutOfRange`] for a bad position.
    pub fn liquidation_quote(&self, position: &MorphoPosition, amount: MorphoLiquidate) -> Result<MorphoLiquidation> {
        let (seized, repaid) = match amount {
            MorphoLiquidate::SeizedAssets(a) => (a, U256::ZERO),
            MorphoLiquidate::RepaidShares(s) => (U256::ZERO, s),
        };
        let p = sys::keel_morpho_position::from(*position);
        let mut after = p;
        let mut q = sys::keel_morpho_liquidation::default();
        // SAFETY: live handle, positions on the stack, size-prefixed out struct.
        let status = unsafe {
            sys::keel_morpho_liquidation_quote(self.raw, &p, seized.raw(), repaid.raw(), &mut q, &mut after)
        };
        check_liquidation(status, &q)?;
        Ok(MorphoLiquidation::from_raw(&q, after))
    }

    /// The liquidation that seizes the most collateral (the larger of the
    /// largest seizure whose repaid shares the position holds and repaying
    /// every borrow share; on a tie, the one repaying fewer assets). When
    /// none is possible: `Err` with [`ErrorKind::Infeasible`] and
    /// [`Error::morpho_revert`](crate::Error::morpho_revert) = `Some(HealthyPosition)` or the panic every
    /// candidate hits.
    pub fn best_liquidation(&self, position: &MorphoPosition) -> Result<MorphoLiquidation> {
        let p = sys::keel_morpho_position::from(*position);
        let mut after = p;
        let mut q = sys::keel_morpho_liquidation::default();
        // SAFETY: live handle, positions on the stack, size-prefixed out struct.
        let status = unsafe { sys::keel_morpho_best_liquidation(self.raw, &p, &mut q, &mut after) };
        check_liquidation(status, &q)?;
        Ok(MorphoLiquidation::from_raw(&q, after))
    }

    fn amount(&self, position: &MorphoPosition, hf: U256, f: Amount) -> Result<U256> {
        let p = sys::keel_morpho_position::from(*position);
        let mut out = sys::keel_u256::default();
        // SAFETY: live handle, a position on the stack, valid out-pointer.
        check(unsafe { f(self.raw, &p, hf.raw(), &mut out) })?;
        Ok(U256::from_raw(out))
    }

    /// The least amount (loan wei for [`MorphoUnit::Assets`], borrow shares
    /// for [`MorphoUnit::Shares`]) that `Morpho.repay` accepts and after
    /// which the health factor reaches `target_hf` (wad, >= 1 wei; 1 wad is
    /// exactly `_isHealthy`); one unit less misses it; 0 when already met.
    /// Errors: [`ErrorKind::Infeasible`] when the largest repay Morpho
    /// accepts misses the target; [`ErrorKind::OutOfRange`] for a target of 0
    /// or a bad position; [`ErrorKind::Overflow`].
    pub fn repay_to_target(&self, position: &MorphoPosition, target_hf: U256, unit: MorphoUnit) -> Result<U256> {
        let p = sys::keel_morpho_position::from(*position);
        let mut out = sys::keel_u256::default();
        // SAFETY: live handle, a position on the stack, valid out-pointer.
        check(unsafe { sys::keel_morpho_repay_to_target(self.raw, &p, target_hf.raw(), unit.raw(), &mut out) })?;
        Ok(U256::from_raw(out))
    }

    /// The least collateral wei to supply (`supplyCollateral`) for the
    /// health factor to reach `target_hf` (wad); 0 when met. Errors:
    /// [`ErrorKind::Infeasible`] when no collateral below 2^128 reaches it (a
    /// price of 0); otherwise as [`repay_to_target`](MorphoMarket::repay_to_target).
    pub fn collateral_to_target(&self, position: &MorphoPosition, target_hf: U256) -> Result<U256> {
        self.amount(position, target_hf, sys::keel_morpho_collateral_to_target)
    }

    /// The most collateral wei `withdrawCollateral` accepts keeping the
    /// health factor at or above max(`floor_hf`, 1 wad): all of it without
    /// debt, 0 when nothing can go; one wei more misses. Errors:
    /// [`ErrorKind::OutOfRange`] / [`ErrorKind::Overflow`] for a bad position.
    pub fn max_withdraw_collateral(&self, position: &MorphoPosition, floor_hf: U256) -> Result<U256> {
        self.amount(position, floor_hf, sys::keel_morpho_max_withdraw_collateral)
    }

    /// The most loan wei `Morpho.borrow(assets, 0)` accepts: the position
    /// healthy after it with a health factor at or above max(`floor_hf`, 1
    /// wad), the totals within uint128 and the market's liquidity
    /// (totalBorrowAssets <= totalSupplyAssets); 0 when nothing can be
    /// borrowed. Errors as [`max_withdraw_collateral`](MorphoMarket::max_withdraw_collateral).
    pub fn max_borrow(&self, position: &MorphoPosition, floor_hf: U256) -> Result<U256> {
        self.amount(position, floor_hf, sys::keel_morpho_max_borrow)
    }

    /// The liquidation price: the highest oracle price (10^36-scaled) at
    /// which the position is not healthy; one unit more is healthy.
    /// `Ok(None)` without debt (never liquidatable); [`U256::MAX`] with debt
    /// and no collateral. Errors: [`ErrorKind::Infeasible`] when no price
    /// below 2^256 makes the position healthy; [`ErrorKind::OutOfRange`] /
    /// [`ErrorKind::Overflow`] for a bad position.
    pub fn liquidation_price(&self, position: &MorphoPosition) -> Result<Option<U256>> {
        let p = sys::keel_morpho_position::from(*position);
        let mut out = sys::keel_u256::default();
        // SAFETY: live handle, a position on the stack, valid out-pointer.
        match check(unsafe { sys::keel_morpho_liquidation_price(self.raw, &p, &mut out) }) {
            Ok(()) => Ok(Some(U256::from_raw(out))),
            // toAssetsUp(0) = 0: no shares is no debt, the one Infeasible that means "never"
            Err(e) if e.kind == ErrorKind::Infeasible && position.borrow_shares.is_zero() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// keel's double-precision market, basket and haircut model for this
    /// position ([`MorphoKeel`]); keel's metrics on them equal the chain's
    /// health factor up to its integer rounding. Errors:
    /// [`ErrorKind::OutOfRange`] for a bad position or a price of 0 (or one
    /// beyond double range), [`ErrorKind::NoMemory`].
    pub fn to_keel(&self, position: &MorphoPosition) -> Result<MorphoKeel> {
        let p = sys::keel_morpho_position::from(*position);
        let (mut m, mut b, mut h) = (ptr::null_mut(), ptr::null_mut(), ptr::null_mut());
        let (mut coll, mut loan) = (0, 0);
        // SAFETY: live handle, a position on the stack, valid out-pointers.
        check(unsafe { sys::keel_morpho_to_keel(self.raw, &p, &mut m, &mut b, &mut h, &mut coll, &mut loan) })?;
        Ok(MorphoKeel { market: Market { raw: m }, basket: Basket { raw: b }, haircuts: HaircutModel { raw: h },
                        collateral: AssetId::from_raw(coll), loan: AssetId::from_raw(loan) })
    }
}

impl fmt::Debug for MorphoMarket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MorphoMarket").field("params", &self.params().ok()).field("state", &self.state().ok()).finish()
    }
}

//! Compound v3 (Comet) accounts exactly as the contract computes them
//! (`include/keel/comet.h`, experimental tier): the base asset's present and
//! principal values with the contract's rounding, index accrual,
//! `isBorrowCollateralized` and `isLiquidatable` with the sums behind them,
//! `absorb` and `buyCollateral` as quotes or the reason they revert, what a
//! keeper asks, and the bridge to keel's double-precision objects.
//!
//! Source: compound-finance/comet at commit
//! d5a30b0aaeff7755f1431e87f818990902237b03, contracts Comet.sol,
//! CometCore.sol, CometMath.sol, CometStorage.sol, CometConfiguration.sol
//! (docs/protocols.md maps each method to its Solidity).
//!
//! Units are the contract's: amounts in the token's smallest unit (wei), all
//! [`U256`]; the base principal in principal units (present value =
//! principal · index / 10^15), an `i128` (the contract's int104); indexes
//! with `BASE_INDEX_SCALE` = 10^15; prices and values in the price feeds' 8
//! decimals (10^8 = 1 USD); collateral, liquidation and store-front factors
//! and per-second rates with `FACTOR_SCALE` = 10^18 (1 = 100%), in `u64`.
//! Signed 256-bit figures (present values, liquidity, reserves) are a
//! [`CometInt`].
//!
//! ```
//! use keel::{CometAccount, CometAsset, CometBase, CometMarket, U256};
//! let mut m = CometMarket::new("USDC", &CometBase::default())?; // 6 decimals, 1 USD
//! let weth = m.add_asset("WETH", &CometAsset {
//!     decimals: 18, price: U256::from(2000 * 100_000_000u64),
//!     borrow_collateral_factor: 825_000_000_000_000_000,
//!     liquidate_collateral_factor: 895_000_000_000_000_000,
//!     liquidation_factor: 950_000_000_000_000_000,
//!     supply_cap: U256::parse_units("1000000", 18)?, ..Default::default() })?;
//! let mut a = CometAccount::new()?;
//! a.set_principal(-1_790_000_000)?;                      // 1,790 USDC borrowed (index 1)
//! a.set_collateral(&m, weth, U256::parse_units("1", 18)?)?;
//! let d = a.liquidity(&m)?;                             // 2,000 · 0.895 − 1,790 = 0
//! assert!(d.liquidation_liquidity.is_zero() && !d.is_liquidatable);
//! # Ok::<(), keel::Error>(())
//! ```

use std::ffi::CStr;
use std::fmt;
use std::ptr;

use keel_sys as sys;

use crate::{c_string, check, AssetId, Basket, Error, ErrorKind, HaircutModel, Market, Result, U256};

/// A Comet asset id: a collateral asset's offset in the contract's asset
/// list (0, 1, ..., issued by [`CometMarket::add_asset`] in order), or
/// [`CometAssetId::BASE`] for the base asset where a call takes it
/// ([`CometMarket::set_price`], [`CometKeel::assets`]). An id the market
/// does not have is [`ErrorKind::UnknownAsset`].
#[repr(transparent)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CometAssetId(pub(crate) u32);

impl CometAssetId {
    /// The base asset (`KEEL_COMET_BASE_ID`, `u32::MAX`).
    pub const BASE: CometAssetId = CometAssetId(sys::KEEL_COMET_BASE_ID);

    /// The id with this raw value.
    pub const fn from_raw(id: u32) -> CometAssetId {
        CometAssetId(id)
    }
    /// The raw value, as the C library uses it.
    pub const fn raw(self) -> u32 {
        self.0
    }
    /// True for [`CometAssetId::BASE`].
    pub const fn is_base(self) -> bool {
        self.0 == sys::KEEL_COMET_BASE_ID
    }
    /// Raw ids viewed as `CometAssetId`s, without a copy.
    pub fn slice_from_raw(ids: &[u32]) -> &[CometAssetId] {
        // SAFETY: CometAssetId is repr(transparent) over u32, so the layouts match.
        unsafe { std::slice::from_raw_parts(ids.as_ptr().cast(), ids.len()) }
    }
}

impl fmt::Display for CometAssetId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_base() { f.write_str("base") } else { write!(f, "{}", self.0) }
    }
}

/// A signed integer of up to 256 bits of magnitude, as sign and magnitude
/// (C `keel_comet_int`): Comet's int256 figures (present values, liquidity,
/// reserves). Zero is never negative: the constructors normalise it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct CometInt {
    negative: bool,
    magnitude: U256,
}

impl CometInt {
    /// 0.
    pub const ZERO: CometInt = CometInt { negative: false, magnitude: U256::ZERO };

    /// −`magnitude` when `negative`, else `magnitude` (a negative zero is 0).
    pub fn new(negative: bool, magnitude: U256) -> CometInt {
        CometInt { negative: negative && !magnitude.is_zero(), magnitude }
    }
    /// |value|.
    pub fn magnitude(self) -> U256 {
        self.magnitude
    }
    /// True below 0.
    pub fn is_negative(self) -> bool {
        self.negative
    }
    /// True for 0.
    pub fn is_zero(self) -> bool {
        self.magnitude.is_zero()
    }
    /// The nearest `f64` (display and estimates only).
    pub fn to_f64(self) -> f64 {
        let m = self.magnitude.to_f64();
        if self.negative { -m } else { m }
    }
    fn raw(self) -> sys::keel_comet_int {
        sys::keel_comet_int { magnitude: self.magnitude.raw(), negative: i32::from(self.negative), reserved: 0 }
    }
    fn from_raw(c: sys::keel_comet_int) -> CometInt {
        CometInt::new(c.negative != 0, U256::from_raw(c.magnitude))
    }
}

impl From<i128> for CometInt {
    fn from(v: i128) -> CometInt {
        CometInt::new(v < 0, U256::from(v.unsigned_abs()))
    }
}

impl TryFrom<CometInt> for i128 {
    type Error = Error;
    /// The value when it fits an `i128`; [`ErrorKind::Overflow`] otherwise.
    fn try_from(v: CometInt) -> Result<i128> {
        let m = u128::try_from(v.magnitude)?;
        let r = if v.negative { 0i128.checked_sub_unsigned(m) } else { i128::try_from(m).ok() };
        r.ok_or_else(|| Error::binding(ErrorKind::Overflow, format!("{v} does not fit in an i128")))
    }
}

impl fmt::Display for CometInt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.negative { write!(f, "-{}", self.magnitude) } else { write!(f, "{}", self.magnitude) }
    }
}

impl fmt::Debug for CometInt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Why the contract would revert a call (`keel_comet_revert`), found in
/// [`Error::comet_revert`]. [`name`](CometRevert::name) is the contract's
/// error name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CometRevert {
    /// Paused: the action's pause flag is set.
    Paused,
    /// NotLiquidatable: absorb of an account that is not liquidatable.
    NotLiquidatable,
    /// NotForSale: reserves at or above targetReserves.
    NotForSale,
    /// TooMuchSlippage: less collateral than minAmount.
    TooMuchSlippage,
    /// InsufficientReserves: more collateral than its reserves.
    InsufficientReserves,
    /// BorrowTooSmall.
    BorrowTooSmall,
    /// NotCollateralized.
    NotCollateralized,
    /// SupplyCapExceeded.
    SupplyCapExceeded,
    /// InvalidUInt64.
    InvalidUInt64,
    /// InvalidUInt104.
    InvalidUInt104,
    /// InvalidUInt128.
    InvalidUInt128,
    /// InvalidInt104.
    InvalidInt104,
    /// InvalidInt256.
    InvalidInt256,
    /// Panic(0x11): a checked overflow or underflow.
    Arithmetic,
    /// Panic(0x12): a division by zero.
    DivisionByZero,
    /// A reason this crate does not know (a newer library).
    Unknown(i32),
}

const COMET_REVERTS: [CometRevert; 15] = [
    CometRevert::Paused, CometRevert::NotLiquidatable, CometRevert::NotForSale,
    CometRevert::TooMuchSlippage, CometRevert::InsufficientReserves, CometRevert::BorrowTooSmall,
    CometRevert::NotCollateralized, CometRevert::SupplyCapExceeded, CometRevert::InvalidUInt64,
    CometRevert::InvalidUInt104, CometRevert::InvalidUInt128, CometRevert::InvalidInt104,
    CometRevert::InvalidInt256, CometRevert::Arithmetic, CometRevert::DivisionByZero,
];

impl CometRevert {
    /// `None` for `KEEL_COMET_OK`.
    fn from_raw(r: sys::keel_comet_revert) -> Option<CometRevert> {
        if r == sys::KEEL_COMET_OK {
            return None;
        }
        Some(COMET_REVERTS.iter().copied().find(|x| x.raw() == r).unwrap_or(CometRevert::Unknown(r)))
    }

    /// The C value (`KEEL_COMET_PAUSED`, ...).
    pub fn raw(self) -> sys::keel_comet_revert {
        match self {
            CometRevert::Paused => sys::KEEL_COMET_PAUSED,
            CometRevert::NotLiquidatable => sys::KEEL_COMET_NOT_LIQUIDATABLE,
            CometRevert::NotForSale => sys::KEEL_COMET_NOT_FOR_SALE,
            CometRevert::TooMuchSlippage => sys::KEEL_COMET_TOO_MUCH_SLIPPAGE,
            CometRevert::InsufficientReserves => sys::KEEL_COMET_INSUFFICIENT_RESERVES,
            CometRevert::BorrowTooSmall => sys::KEEL_COMET_BORROW_TOO_SMALL,
            CometRevert::NotCollateralized => sys::KEEL_COMET_NOT_COLLATERALIZED,
            CometRevert::SupplyCapExceeded => sys::KEEL_COMET_SUPPLY_CAP_EXCEEDED,
            CometRevert::InvalidUInt64 => sys::KEEL_COMET_INVALID_UINT64,
            CometRevert::InvalidUInt104 => sys::KEEL_COMET_INVALID_UINT104,
            CometRevert::InvalidUInt128 => sys::KEEL_COMET_INVALID_UINT128,
            CometRevert::InvalidInt104 => sys::KEEL_COMET_INVALID_INT104,
            CometRevert::InvalidInt256 => sys::KEEL_COMET_INVALID_INT256,
            CometRevert::Arithmetic => sys::KEEL_COMET_ARITHMETIC,
            CometRevert::DivisionByZero => sys::KEEL_COMET_DIVISION_BY_ZERO,
            CometRevert::Unknown(r) => r,
        }
    }

    /// The contract's error name, from the C library
    /// (`keel_comet_revert_name`): `"NotLiquidatable"`, `"NotForSale"`, ...;
    /// the panic's text for the two panics.
    pub fn name(self) -> &'static str {
        // SAFETY: the library returns a static NUL-terminated string for any value.
        unsafe { CStr::from_ptr(sys::keel_comet_revert_name(self.raw())) }
            .to_str()
            .unwrap_or("unknown revert")
    }
}

impl fmt::Display for CometRevert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `check`, with the revert reason attached to an `Infeasible` error.
fn check_revert(status: sys::keel_status, revert: sys::keel_comet_revert) -> Result<()> {
    check(status).map_err(|mut e| {
        if e.kind == ErrorKind::Infeasible {
            e.comet_revert = CometRevert::from_raw(revert);
        }
        e
    })
}

/// `check` for a call without a revert field, whose `Infeasible` detail
/// ends with the revert's name ("...: the contract reverts: NAME").
fn check_named(status: sys::keel_status) -> Result<()> {
    check(status).map_err(|mut e| {
        if e.kind == ErrorKind::Infeasible {
            e.comet_revert = COMET_REVERTS.iter().copied().find(|r| e.detail.ends_with(r.name()));
        }
        e
    })
}

/// Which actions are paused (`keel_comet_base.pause_flags`, Comet's
/// `PAUSE_*_OFFSET` bits).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CometPause {
    /// supply (repay, add collateral).
    pub supply: bool,
    /// transfer (not used by keel's questions).
    pub transfer: bool,
    /// withdraw and borrow.
    pub withdraw: bool,
    /// absorb.
    pub absorb: bool,
    /// buyCollateral.
    pub buy: bool,
}

impl CometPause {
    fn from_bits(b: u32) -> CometPause {
        CometPause { supply: b & 1 != 0, transfer: b & 2 != 0, withdraw: b & 4 != 0, absorb: b & 8 != 0,
                     buy: b & 16 != 0 }
    }
    fn bits(self) -> u32 {
        u32::from(self.supply) | u32::from(self.transfer) << 1 | u32::from(self.withdraw) << 2
            | u32::from(self.absorb) << 3 | u32::from(self.buy) << 4
    }
}

/// The base asset: configuration (`CometConfiguration.Configuration`) and
/// state (`CometStorage`: indexes, totals, pause flags), plus the pool's
/// base token balance (C `keel_comet_base`). `Default` is the C library's
/// (`KEEL_COMET_BASE_INIT`): 6 decimals, price 1 USD, indexes 10^15,
/// everything else 0. The ranges are checked by
/// [`CometMarket::new`] / [`CometMarket::set_base`] ([`ErrorKind::OutOfRange`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CometBase {
    /// Token decimals, 6..=18.
    pub decimals: u32,
    /// Paused actions.
    pub pause: CometPause,
    /// Base price feed answer, 8 decimals, 1 ..= 2^255 − 1.
    pub price: U256,
    /// baseSupplyIndex, 10^15 = 1, > 0.
    pub supply_index: u64,
    /// baseBorrowIndex, 10^15 = 1, > 0.
    pub borrow_index: u64,
    /// lastAccrualTime, unix seconds, < 2^40.
    pub last_accrual_time: u64,
    /// totalSupplyBase, principal units, < 2^104.
    pub total_supply_base: U256,
    /// totalBorrowBase, principal units, < 2^104.
    pub total_borrow_base: U256,
    /// The base token's balanceOf(comet), wei, < 2^254.
    pub base_balance: U256,
    /// Supply kink, utilization, 10^18 = 100%.
    pub supply_kink: u64,
    /// 10^18 = 100% a year.
    pub supply_per_year_interest_rate_slope_low: u64,
    /// 10^18 = 100% a year.
    pub supply_per_year_interest_rate_slope_high: u64,
    /// 10^18 = 100% a year.
    pub supply_per_year_interest_rate_base: u64,
    /// Borrow kink, utilization, 10^18 = 100%.
    pub borrow_kink: u64,
    /// 10^18 = 100% a year.
    pub borrow_per_year_interest_rate_slope_low: u64,
    /// 10^18 = 100% a year.
    pub borrow_per_year_interest_rate_slope_high: u64,
    /// 10^18 = 100% a year.
    pub borrow_per_year_interest_rate_base: u64,
    /// storeFrontPriceFactor, <= 10^18 (the constructor's BadDiscount).
    pub store_front_price_factor: u64,
    /// baseBorrowMin, wei, < 2^104.
    pub base_borrow_min: U256,
    /// targetReserves, wei, < 2^104.
    pub target_reserves: U256,
}

impl From<sys::keel_comet_base> for CometBase {
    fn from(c: sys::keel_comet_base) -> CometBase {
        CometBase {
            decimals: c.decimals,
            pause: CometPause::from_bits(c.pause_flags),
            price: U256::from_raw(c.price),
            supply_index: c.supply_index,
            borrow_index: c.borrow_index,
            last_accrual_time: c.last_accrual_time,
            total_supply_base: U256::from_raw(c.total_supply_base),
            total_borrow_base: U256::from_raw(c.total_borrow_base),
            base_balance: U256::from_raw(c.base_balance),
            supply_kink: c.supply_kink,
            supply_per_year_interest_rate_slope_low: c.supply_per_year_interest_rate_slope_low,
            supply_per_year_interest_rate_slope_high: c.supply_per_year_interest_rate_slope_high,
            supply_per_year_interest_rate_base: c.supply_per_year_interest_rate_base,
            borrow_kink: c.borrow_kink,
            borrow_per_year_interest_rate_slope_low: c.borrow_per_year_interest_rate_slope_low,
            borrow_per_year_interest_rate_slope_high: c.borrow_per_year_interest_rate_slope_high,
            borrow_per_year_interest_rate_base: c.borrow_per_year_interest_rate_base,
            store_front_price_factor: c.store_front_price_factor,
            base_borrow_min: U256::from_raw(c.base_borrow_min),
            target_reserves: U256::from_raw(c.target_reserves),
        }
    }
}

impl From<CometBase> for sys::keel_comet_base {
    fn from(b: CometBase) -> sys::keel_comet_base {
        sys::keel_comet_base {
            decimals: b.decimals,
            pause_flags: b.pause.bits(),
            price: b.price.raw(),
            supply_index: b.supply_index,
            borrow_index: b.borrow_index,
            last_accrual_time: b.last_accrual_time,
            total_supply_base: b.total_supply_base.raw(),
            total_borrow_base: b.total_borrow_base.raw(),
            base_balance: b.base_balance.raw(),
            supply_kink: b.supply_kink,
            supply_per_year_interest_rate_slope_low: b.supply_per_year_interest_rate_slope_low,
            supply_per_year_interest_rate_slope_high: b.supply_per_year_interest_rate_slope_high,
            supply_per_year_interest_rate_base: b.supply_per_year_interest_rate_base,
            borrow_kink: b.borrow_kink,
            borrow_per_year_interest_rate_slope_low: b.borrow_per_year_interest_rate_slope_low,
            borrow_per_year_interest_rate_slope_high: b.borrow_per_year_interest_rate_slope_high,
            borrow_per_year_interest_rate_base: b.borrow_per_year_interest_rate_base,
            store_front_price_factor: b.store_front_price_factor,
            base_borrow_min: b.base_borrow_min.raw(),
            target_reserves: b.target_reserves.raw(),
            // the size this crate was built against, never the caller's
            ..sys::keel_comet_base::default()
        }
    }
}

impl Default for CometBase {
    /// The C library's defaults (`keel_comet_base_init`).
    fn default() -> CometBase {
        CometBase::from(sys::keel_comet_base::default())
    }
}

/// One collateral asset: its `AssetConfig`, the collateral totals and the
/// pool's token balance (C `keel_comet_asset`). `Default` is the C library's
/// (`KEEL_COMET_ASSET_INIT`): 18 decimals, everything else 0 (a price must
/// be set). The factors are stored as `getAssetInfo` reads them back, each
/// cut to a whole 10^14; the supply cap cut to whole tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CometAsset {
    /// Token decimals, 0..=18.
    pub decimals: u32,
    /// Price feed answer, 8 decimals, 1 ..= 2^255 − 1 (0 is getPrice's BadPrice).
    pub price: U256,
    /// borrowCollateralFactor, 10^18 = 1, below the liquidate factor (also after the cut).
    pub borrow_collateral_factor: u64,
    /// liquidateCollateralFactor, <= 10^18.
    pub liquidate_collateral_factor: u64,
    /// liquidationFactor, <= 10^18.
    pub liquidation_factor: u64,
    /// supplyCap, wei, < 2^128, whole tokens < 2^64.
    pub supply_cap: U256,
    /// `totalsCollateral[asset]`.totalSupplyAsset, wei, < 2^128.
    pub total_supply_asset: U256,
    /// The token's balanceOf(comet), wei; the excess over
    /// `total_supply_asset` is collateral reserves.
    pub balance: U256,
}

impl From<sys::keel_comet_asset> for CometAsset {
    fn from(c: sys::keel_comet_asset) -> CometAsset {
        CometAsset {
            decimals: c.decimals,
            price: U256::from_raw(c.price),
            borrow_collateral_factor: c.borrow_collateral_factor,
            liquidate_collateral_factor: c.liquidate_collateral_factor,
            liquidation_factor: c.liquidation_factor,
            supply_cap: U256::from_raw(c.supply_cap),
            total_supply_asset: U256::from_raw(c.total_supply_asset),
            balance: U256::from_raw(c.balance),
        }
    }
}

impl From<CometAsset> for sys::keel_comet_asset {
    fn from(a: CometAsset) -> sys::keel_comet_asset {
        sys::keel_comet_asset {
            decimals: a.decimals,
            price: a.price.raw(),
            borrow_collateral_factor: a.borrow_collateral_factor,
            liquidate_collateral_factor: a.liquidate_collateral_factor,
            liquidation_factor: a.liquidation_factor,
            supply_cap: a.supply_cap.raw(),
            total_supply_asset: a.total_supply_asset.raw(),
            balance: a.balance.raw(),
            ..sys::keel_comet_asset::default()
        }
    }
}

impl Default for CometAsset {
    /// The C library's defaults (`keel_comet_asset_init`).
    fn default() -> CometAsset {
        CometAsset::from(sys::keel_comet_asset::default())
    }
}

/// The market's view functions at its current indexes (C `keel_comet_rates`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CometRates {
    /// getUtilization(), 10^18 = 100%.
    pub utilization: U256,
    /// getSupplyRate(utilization), per second, 10^18.
    pub supply_rate: u64,
    /// getBorrowRate(utilization), per second, 10^18.
    pub borrow_rate: u64,
    /// totalSupply(): presentValueSupply(baseSupplyIndex, totalSupplyBase), wei.
    pub total_supply: U256,
    /// totalBorrow(): presentValueBorrow(baseBorrowIndex, totalBorrowBase), wei.
    pub total_borrow: U256,
    /// getReserves(): balance − total supply + total borrow, wei.
    pub reserves: CometInt,
}

/// An account's standing (C `keel_comet_account_data`): values in 8-decimal
/// price units unless said otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CometAccountData {
    /// presentValue(principal), base wei.
    pub present_value: CometInt,
    /// signedMulPrice(present value, base price, baseScale), truncated toward 0.
    pub base_value: CometInt,
    /// Σ mulPrice(balance, price, scale), each floored.
    pub collateral_value: U256,
    /// Σ mulFactor(mulPrice(..), borrowCollateralFactor), each floored.
    pub borrow_collateral_value: U256,
    /// Σ mulFactor(mulPrice(..), liquidateCollateralFactor), each floored.
    pub liquidate_collateral_value: U256,
    /// base_value + borrow_collateral_value (isBorrowCollateralized's sum).
    pub borrow_liquidity: CometInt,
    /// base_value + liquidate_collateral_value (isLiquidatable's sum).
    pub liquidation_liquidity: CometInt,
    /// Comet.isBorrowCollateralized: principal >= 0 or borrow_liquidity >= 0.
    pub is_borrow_collateralized: bool,
    /// Comet.isLiquidatable: principal < 0 and liquidation_liquidity < 0.
    pub is_liquidatable: bool,
    /// false when a term past 256 bits comes after the contract's loops stop
    /// (principal >= 0, or the running liquidity >= 0): the sums stop there
    /// too; the verdicts are still the contract's.
    pub complete: bool,
}

impl From<sys::keel_comet_account_data> for CometAccountData {
    fn from(c: sys::keel_comet_account_data) -> CometAccountData {
        CometAccountData {
            present_value: CometInt::from_raw(c.present_value),
            base_value: CometInt::from_raw(c.base_value),
            collateral_value: U256::from_raw(c.collateral_value),
            borrow_collateral_value: U256::from_raw(c.borrow_collateral_value),
            liquidate_collateral_value: U256::from_raw(c.liquidate_collateral_value),
            borrow_liquidity: CometInt::from_raw(c.borrow_liquidity),
            liquidation_liquidity: CometInt::from_raw(c.liquidation_liquidity),
            is_borrow_collateralized: c.is_borrow_collateralized != 0,
            is_liquidatable: c.is_liquidatable != 0,
            complete: c.complete != 0,
        }
    }
}

/// The outcome of `Comet.absorb(absorber, [account])` (C `keel_comet_absorb`
/// without a revert).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CometAbsorb {
    /// The principal before, principal units.
    pub old_principal: CometInt,
    /// principalValue(new_balance): 0 or a supply.
    pub new_principal: CometInt,
    /// presentValue(old principal), base wei (negative).
    pub old_balance: CometInt,
    /// max(old_balance + delta_balance, 0), base wei.
    pub new_balance: CometInt,
    /// Collateral wei seized, indexed by asset id (one entry per asset of the market).
    pub seized: Vec<U256>,
    /// mulPrice(seized, price, scale) per asset id: AbsorbCollateral's value.
    pub seized_value: Vec<U256>,
    /// Σ mulFactor(seized_value, liquidationFactor), price units.
    pub delta_value: U256,
    /// divPrice(delta_value, base price, baseScale): base wei credited.
    pub delta_balance: U256,
    /// new_balance − old_balance: debt forgiven (AbsorbDebt's basePaidOut), base wei.
    pub base_paid_out: U256,
    /// mulPrice(base_paid_out, base price, baseScale).
    pub value_of_base_paid_out: U256,
    /// Debt the collateral did not cover, base wei, borne by reserves.
    pub deficit: U256,
    /// repayAndSupplyAmount: principal off totalBorrowBase.
    pub repay_amount: U256,
    /// Principal onto totalSupplyBase.
    pub supply_amount: U256,
    /// totalSupplyBase after.
    pub total_supply_base: U256,
    /// totalBorrowBase after.
    pub total_borrow_base: U256,
    /// getReserves() before, base wei.
    pub reserves_before: CometInt,
    /// getReserves() after (the pool's balance unchanged), base wei.
    pub reserves_after: CometInt,
}

impl CometAbsorb {
    fn from_raw(c: &sys::keel_comet_absorb, assets: usize) -> CometAbsorb {
        let n = assets.min(sys::KEEL_COMET_MAX_ASSETS);
        CometAbsorb {
            old_principal: CometInt::from_raw(c.old_principal),
            new_principal: CometInt::from_raw(c.new_principal),
            old_balance: CometInt::from_raw(c.old_balance),
            new_balance: CometInt::from_raw(c.new_balance),
            seized: c.seized[..n].iter().copied().map(U256::from_raw).collect(),
            seized_value: c.seized_value[..n].iter().copied().map(U256::from_raw).collect(),
            delta_value: U256::from_raw(c.delta_value),
            delta_balance: U256::from_raw(c.delta_balance),
            base_paid_out: U256::from_raw(c.base_paid_out),
            value_of_base_paid_out: U256::from_raw(c.value_of_base_paid_out),
            deficit: U256::from_raw(c.deficit),
            repay_amount: U256::from_raw(c.repay_amount),
            supply_amount: U256::from_raw(c.supply_amount),
            total_supply_base: U256::from_raw(c.total_supply_base),
            total_borrow_base: U256::from_raw(c.total_borrow_base),
            reserves_before: CometInt::from_raw(c.reserves_before),
            reserves_after: CometInt::from_raw(c.reserves_after),
        }
    }
}

/// The outcome of a `buyCollateral` call (C `keel_comet_buy` without a revert).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CometBuy {
    /// getReserves() before the buy, base wei.
    pub reserves: CometInt,
    /// quoteCollateral(asset, baseAmount): collateral wei bought.
    pub collateral_amount: U256,
    /// getCollateralReserves(asset) before: balance − totalSupplyAsset, wei.
    pub collateral_reserves: U256,
}

/// The line a keeper target is measured against (`keel_comet_line`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CometLine {
    /// borrowCollateralFactor: 1 wad is isBorrowCollateralized's line.
    Borrow,
    /// liquidateCollateralFactor: 1 wad is isLiquidatable's line.
    Liquidate,
}

impl CometLine {
    /// The C value.
    pub fn raw(self) -> sys::keel_comet_line {
        match self {
            CometLine::Borrow => sys::KEEL_COMET_BORROW_LINE,
            CometLine::Liquidate => sys::KEEL_COMET_LIQUIDATE_LINE,
        }
    }
}

/// Which prices of one collateral make the account liquidatable, at the
/// oracle's granularity (one 8-decimal unit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CometTrigger {
    /// isLiquidatable holds at this price and every lower one down to 1;
    /// not one unit above (C direction −1).
    AtOrBelow(U256),
    /// No flip over 1 ..= 2^96 − 1 (C direction 0): liquidatable at no price
    /// (no debt, or enough else) or at every one
    /// ([`CometPriceBoundary::liquidatable_now`] says which).
    NoBoundary,
}

/// Where isLiquidatable flips as one collateral price moves, other prices
/// fixed (C `keel_comet_price_boundary`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CometPriceBoundary {
    /// The prices that liquidate, 8 decimals.
    pub trigger: CometTrigger,
    /// The verdict at the current price.
    pub liquidatable_now: bool,
}

/// keel's double-precision objects for a Comet account
/// ([`CometAccount::to_keel`]): asset `i` of `market` is Comet asset `assets[i]`.
pub struct CometKeel {
    /// The base asset first, then one asset per collateral held; price = oracle price / 10^8.
    pub market: Market,
    /// The collateral (balance / 10^decimals) and the base present value, as
    /// debt when the principal is negative, else as collateral at haircut 0.
    pub basket: Basket,
    /// Linear haircuts: initial 1 − borrowCollateralFactor, maintenance 1 − liquidateCollateralFactor.
    pub haircuts: HaircutModel,
    /// The Comet asset of each keel asset, in asset order ([`CometAssetId::BASE`] first).
    pub assets: Vec<CometAssetId>,
}

impl CometKeel {
    /// The keel asset of a Comet asset, if the bridge holds it.
    pub fn asset(&self, id: CometAssetId) -> Option<AssetId> {
        self.assets.iter().position(|&a| a == id).map(|i| AssetId::from_raw(i as u32))
    }
}

/// A Compound v3 market: the base asset's configuration and totals, and up
/// to 12 collateral assets (ids in the contract's order). Frees on `Drop`,
/// clones deeply, `Send + Sync` (reads take `&self` and never mutate).
pub struct CometMarket {
    pub(crate) raw: *mut sys::keel_comet_market,
}

// SAFETY: as the crate's other handles: no thread affinity, const reads
// without caches, writes through &mut.
unsafe impl Send for CometMarket {}
unsafe impl Sync for CometMarket {}

impl Drop for CometMarket {
    fn drop(&mut self) {
        // SAFETY: raw came from keel_comet_market_new or _clone and is freed once.
        unsafe { sys::keel_comet_market_free(self.raw) }
    }
}

impl Clone for CometMarket {
    /// A deep copy. Panics only if the allocator fails.
    fn clone(&self) -> CometMarket {
        let mut p = ptr::null_mut();
        // SAFETY: live handle, valid out-pointer.
        check(unsafe { sys::keel_comet_market_clone(self.raw, &mut p) })
            .expect("keel: out of memory while cloning");
        CometMarket { raw: p }
    }
}

impl CometMarket {
    /// A market with no collateral assets. Errors:
    /// [`ErrorKind::InvalidSymbol`], [`ErrorKind::OutOfRange`] for a field of
    /// `base` outside the range documented on [`CometBase`] (the detail names
    /// it), [`ErrorKind::NoMemory`].
    pub fn new(base_symbol: &str, base: &CometBase) -> Result<CometMarket> {
        let s = c_string(base_symbol)?;
        let b = sys::keel_comet_base::from(*base);
        let mut p = ptr::null_mut();
        // SAFETY: NUL-terminated symbol, size-prefixed struct, valid out-pointer.
        check(unsafe { sys::keel_comet_market_new(s.as_ptr(), &b, &mut p) })?;
        Ok(CometMarket { raw: p })
    }

    /// The raw handle, for calls into keel-sys. It stays owned by `self`.
    pub fn as_ptr(&self) -> *const sys::keel_comet_market {
        self.raw
    }

    /// Number of collateral assets.
    pub fn len(&self) -> usize {
        // SAFETY: live handle.
        unsafe { sys::keel_comet_market_size(self.raw) }
    }

    /// True when the market has no collateral assets.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends a collateral asset with the next id (add them in the
    /// contract's order). Errors: [`ErrorKind::InvalidSymbol`],
    /// [`ErrorKind::Duplicate`] (also the base's symbol),
    /// [`ErrorKind::OutOfRange`] for a field outside its range, the factors
    /// breaking the constructor's rules (BorrowCFTooLarge,
    /// LiquidateCFTooLarge) or a price of 0 (BadPrice),
    /// [`ErrorKind::Overflow`] past 12 assets. Nothing changes on failure.
    pub fn add_asset(&mut self, symbol: &str, asset: &CometAsset) -> Result<CometAssetId> {
        let s = c_string(symbol)?;
        let a = sys::keel_comet_asset::from(*asset);
        let mut id = 0;
        // SAFETY: live handle, NUL-terminated symbol, size-prefixed struct, valid out-pointer.
        check(unsafe { sys::keel_comet_market_add_asset(self.raw, s.as_ptr(), &a, &mut id) })?;
        Ok(CometAssetId(id))
    }

    /// Replaces an asset's parameters, all or nothing; errors as
    /// [`add_asset`](CometMarket::add_asset), and [`ErrorKind::UnknownAsset`].
    pub fn set_asset(&mut self, id: CometAssetId, asset: &CometAsset) -> Result<()> {
        let a = sys::keel_comet_asset::from(*asset);
        // SAFETY: live handle, size-prefixed struct.
        check(unsafe { sys::keel_comet_market_set_asset(self.raw, id.0, &a) })
    }

    /// An asset as stored (factors cut to 10^14, the cap to whole tokens);
    /// [`ErrorKind::UnknownAsset`] for an unknown id.
    pub fn asset(&self, id: CometAssetId) -> Result<CometAsset> {
        let mut a = sys::keel_comet_asset::default();
        // SAFETY: live handle, size-prefixed out struct.
        check(unsafe { sys::keel_comet_market_asset(self.raw, id.0, &mut a) })?;
        Ok(CometAsset::from(a))
    }

    /// Replaces the base asset's configuration and state, all or nothing.
    /// The per-second rates are the constructor's (per year / 31,536,000,
    /// floored). Errors: [`ErrorKind::OutOfRange`] as
    /// [`new`](CometMarket::new), also for unknown pause bits.
    pub fn set_base(&mut self, base: &CometBase) -> Result<()> {
        let b = sys::keel_comet_base::from(*base);
        // SAFETY: live handle, size-prefixed struct.
        check(unsafe { sys::keel_comet_market_set_base(self.raw, &b) })
    }

    /// The base asset's configuration and state (indexes after any accrual).
    pub fn base(&self) -> Result<CometBase> {
        let mut b = sys::keel_comet_base::default();
        // SAFETY: live handle, size-prefixed out struct.
        check(unsafe { sys::keel_comet_market_base(self.raw, &mut b) })?;
        Ok(CometBase::from(b))
    }

    /// Sets one oracle price (8 decimals): a collateral asset's, or the base
    /// asset's for [`CometAssetId::BASE`]. Errors: [`ErrorKind::UnknownAsset`],
    /// [`ErrorKind::OutOfRange`] for 0 or past 2^255 − 1. Nothing changes on failure.
    pub fn set_price(&mut self, id: CometAssetId, price: U256) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_comet_market_set_price(self.raw, id.0, price.raw()) })
    }

    /// The id of the collateral asset with this symbol; [`ErrorKind::NotFound`] otherwise.
    pub fn find(&self, symbol: &str) -> Result<CometAssetId> {
        let s = c_string(symbol)?;
        let mut id = 0;
        // SAFETY: live handle, NUL-terminated symbol, valid out-pointer.
        check(unsafe { sys::keel_comet_market_find(self.raw, s.as_ptr(), &mut id) })?;
        Ok(CometAssetId(id))
    }

    /// Moves the indexes to `timestamp` (unix seconds) as `Comet.accrueInternal`
    /// does (rewards tracking not modelled). Errors: [`ErrorKind::OutOfRange`]
    /// for a time before `last_accrual_time` or of 2^40 or more
    /// (TimestampTooLarge); [`ErrorKind::Overflow`] where the contract reverts
    /// (InvalidUInt64). Nothing changes on failure.
    pub fn accrue(&mut self, timestamp: u64) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_comet_market_accrue(self.raw, timestamp) })
    }

    /// `Comet.getUtilization`, `getSupplyRate`, `getBorrowRate`,
    /// `totalSupply`, `totalBorrow` and `getReserves` at the current indexes.
    /// Errors: [`ErrorKind::Overflow`] where the contract reverts.
    pub fn rates(&self) -> Result<CometRates> {
        let mut r = sys::keel_comet_rates::default();
        // SAFETY: live handle, size-prefixed out struct.
        check(unsafe { sys::keel_comet_market_rates(self.raw, &mut r) })?;
        Ok(CometRates {
            utilization: U256::from_raw(r.utilization),
            supply_rate: r.supply_rate,
            borrow_rate: r.borrow_rate,
            total_supply: U256::from_raw(r.total_supply),
            total_borrow: U256::from_raw(r.total_borrow),
            reserves: CometInt::from_raw(r.reserves),
        })
    }

    /// `CometCore.presentValue` of a principal (int104): principal · supply
    /// index / 10^15 at or above 0, −(|principal| · borrow index / 10^15)
    /// below, both floored (a debt rounds toward zero), base wei. Errors:
    /// [`ErrorKind::Overflow`] past int104 (−2^103 ..= 2^103 − 1).
    pub fn present_value(&self, principal: i128) -> Result<CometInt> {
        let mut out = sys::keel_comet_int::default();
        // SAFETY: live handle, valid out-pointer.
        check(unsafe { sys::keel_comet_present_value(self.raw, CometInt::from(principal).raw(), &mut out) })?;
        Ok(CometInt::from_raw(out))
    }

    /// `CometCore.principalValue` of a present value (base wei): ⌊value ·
    /// 10^15 / supply index⌋ at or above 0, −⌈|value| · 10^15 / borrow
    /// index⌉ below (both against the user). Errors: [`ErrorKind::Overflow`]
    /// where the contract reverts (InvalidUInt104, InvalidInt104, a product
    /// past 2^256).
    pub fn principal_value(&self, present: CometInt) -> Result<i128> {
        let mut out = sys::keel_comet_int::default();
        // SAFETY: live handle, valid out-pointer.
        check(unsafe { sys::keel_comet_principal_value(self.raw, present.raw(), &mut out) })?;
        i128::try_from(CometInt::from_raw(out))
    }

    /// `Comet.quoteCollateral(asset, baseAmount)`: the collateral wei that
    /// `base_amount` base wei buys at the store-front discount. Errors:
    /// [`ErrorKind::UnknownAsset`]; [`ErrorKind::Infeasible`] where the view
    /// reverts, with [`Error::comet_revert`] = `Some(Arithmetic)` (a product
    /// past 2^256) or `Some(DivisionByZero)` (a discounted price of 0).
    pub fn quote_collateral(&self, asset: CometAssetId, base_amount: U256) -> Result<U256> {
        let mut out = sys::keel_u256::default();
        // SAFETY: live handle, valid out-pointer.
        check_named(unsafe { sys::keel_comet_quote_collateral(self.raw, asset.0, base_amount.raw(), &mut out) })?;
        Ok(U256::from_raw(out))
    }

    /// Quotes `Comet.buyCollateral(asset, minAmount, baseAmount, recipient)`
    /// in its order (the base transfer taken as exactly `base_amount`).
    /// Where the contract reverts: `Err` with [`ErrorKind::Infeasible`] and
    /// [`Error::comet_revert`] = `Some(reason)`: Paused, NotForSale,
    /// TooMuchSlippage (below `min_amount`), InsufficientReserves,
    /// InvalidUInt128, or a panic. Other errors: [`ErrorKind::UnknownAsset`].
    pub fn buy_collateral_quote(&self, asset: CometAssetId, min_amount: U256, base_amount: U256)
                                -> Result<CometBuy> {
        let mut b = sys::keel_comet_buy::default();
        // SAFETY: live handle, size-prefixed out struct.
        let status = unsafe {
            sys::keel_comet_buy_collateral_quote(self.raw, asset.0, min_amount.raw(), base_amount.raw(), &mut b)
        };
        check_revert(status, b.revert)?;
        Ok(CometBuy {
            reserves: CometInt::from_raw(b.reserves),
            collateral_amount: U256::from_raw(b.collateral_amount),
            collateral_reserves: U256::from_raw(b.collateral_reserves),
        })
    }
}

impl fmt::Debug for CometMarket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CometMarket").field("base", &self.base().ok()).field("assets", &self.len()).finish()
    }
}

/// A Compound v3 user: the signed base principal (`userBasic.principal`) and
/// a collateral balance per asset (`userCollateral`). It names assets by
/// id, so every call takes the [`CometMarket`] those ids belong to. Frees on
/// `Drop`, clones deeply, `Send + Sync`.
pub struct CometAccount {
    raw: *mut sys::keel_comet_account,
}
handle!(CometAccount, sys::keel_comet_account, sys::keel_comet_account_new,
        sys::keel_comet_account_free, sys::keel_comet_account_clone);

type Keeper = unsafe extern "C" fn(*const sys::keel_comet_market, *const sys::keel_comet_account, u32,
                                   sys::keel_u256, *mut sys::keel_u256) -> sys::keel_status;

impl CometAccount {
    /// Sets `userBasic.principal`, principal units (negative is a borrow).
    /// Errors: [`ErrorKind::Overflow`] past int104 (−2^103 ..= 2^103 − 1);
    /// nothing changes then.
    pub fn set_principal(&mut self, principal: i128) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_comet_account_set_principal(self.raw, CometInt::from(principal).raw()) })
    }

    /// The principal, principal units.
    pub fn principal(&self) -> Result<i128> {
        let mut out = sys::keel_comet_int::default();
        // SAFETY: live handle, valid out-pointer.
        check(unsafe { sys::keel_comet_account_principal(self.raw, &mut out) })?;
        i128::try_from(CometInt::from_raw(out))
    }

    /// Sets `userCollateral[account][asset].balance` (wei, uint128); the
    /// asset counts in `assetsIn` exactly when it is not 0. Errors:
    /// [`ErrorKind::UnknownAsset`] for an asset the market lacks (the base
    /// is not collateral), [`ErrorKind::Overflow`] for 2^128 or more;
    /// nothing changes then.
    pub fn set_collateral(&mut self, market: &CometMarket, asset: CometAssetId, balance: U256) -> Result<()> {
        // SAFETY: live handles.
        check(unsafe { sys::keel_comet_account_set_collateral(self.raw, market.raw, asset.0, balance.raw()) })
    }

    /// The balance of collateral `asset`, wei (0 for an id never held).
    /// Errors: [`ErrorKind::UnknownAsset`] for an id of 12 or more.
    pub fn collateral(&self, asset: CometAssetId) -> Result<U256> {
        let mut out = sys::keel_u256::default();
        // SAFETY: live handle, valid out-pointer.
        check(unsafe { sys::keel_comet_account_collateral(self.raw, asset.0, &mut out) })?;
        Ok(U256::from_raw(out))
    }

    /// `Comet.isBorrowCollateralized` and `Comet.isLiquidatable` with the sums
    /// behind them, at the market's current indexes and prices. Errors:
    /// [`ErrorKind::UnknownAsset`] when the account holds an asset the market
    /// lacks, [`ErrorKind::Overflow`] where the contract would revert.
    pub fn liquidity(&self, market: &CometMarket) -> Result<CometAccountData> {
        let mut d = sys::keel_comet_account_data::default();
        // SAFETY: live handles, size-prefixed out struct.
        check(unsafe { sys::keel_comet_account_liquidity(market.raw, self.raw, &mut d) })?;
        Ok(CometAccountData::from(d))
    }

    fn absorb(&self, market: &CometMarket, after: *mut sys::keel_comet_account) -> Result<CometAbsorb> {
        let mut q = sys::keel_comet_absorb::default();
        // SAFETY: live handles (`after` null or a live account other than self),
        // size-prefixed out struct.
        let status = unsafe { sys::keel_comet_absorb_quote(market.raw, self.raw, &mut q, after) };
        check_revert(status, q.revert)?;
        Ok(CometAbsorb::from_raw(&q, market.len()))
    }

    /// Quotes `Comet.absorb(absorber, [account])` (absorbInternal) at the
    /// market's indexes (call [`CometMarket::accrue`] first): every
    /// collateral seized, credited at its liquidation factor, the balance
    /// floored at 0 (the deficit is borne by reserves). Where the contract
    /// reverts: `Err` with [`ErrorKind::Infeasible`] and
    /// [`Error::comet_revert`] = `Some(Paused)` or `Some(NotLiquidatable)`.
    /// Other errors: [`ErrorKind::UnknownAsset`], [`ErrorKind::Overflow`].
    pub fn absorb_quote(&self, market: &CometMarket) -> Result<CometAbsorb> {
        self.absorb(market, ptr::null_mut())
    }

    /// As [`absorb_quote`](CometAccount::absorb_quote), with the account as
    /// it would be after the call.
    pub fn absorb_after(&self, market: &CometMarket) -> Result<(CometAbsorb, CometAccount)> {
        let after = CometAccount::new()?;
        let q = self.absorb(market, after.raw)?;
        Ok((q, after))
    }

    /// The least base wei to supply (`Comet.supply` of the base, the debt's
    /// principal rounded up) for `target` on `line`: met when the account
    /// has no debt or C · 10^18 >= target · D (C the line's weighted
    /// collateral value, D the debt's value, as the contract rounds them);
    /// at 1 wad exactly the contract's verdict. One wei less misses it; at
    /// most the whole debt. `target` is a wad, 1 ..= 2^128 − 1. Errors:
    /// [`ErrorKind::Infeasible`] when supply is paused,
    /// [`ErrorKind::OutOfRange`] for a target out of range,
    /// [`ErrorKind::UnknownAsset`], [`ErrorKind::Overflow`].
    pub fn repay_to_target(&self, market: &CometMarket, line: CometLine, target: U256) -> Result<U256> {
        let mut out = sys::keel_u256::default();
        // SAFETY: live handles, valid out-pointer.
        check(unsafe { sys::keel_comet_repay_to_target(market.raw, self.raw, line.raw(), target.raw(), &mut out) })?;
        Ok(U256::from_raw(out))
    }

    /// The least wei of collateral `asset` to supply (`supplyCollateral`) for
    /// `target` on `line` (as [`repay_to_target`](CometAccount::repay_to_target)).
    /// Errors: [`ErrorKind::Infeasible`] when supply is paused or no amount
    /// the contract accepts (within the supply cap and uint128) reaches the
    /// target; otherwise as `repay_to_target`.
    pub fn supply_to_target(&self, market: &CometMarket, asset: CometAssetId, line: CometLine, target: U256)
                            -> Result<U256> {
        let mut out = sys::keel_u256::default();
        // SAFETY: live handles, valid out-pointer.
        check(unsafe {
            sys::keel_comet_supply_to_target(market.raw, self.raw, asset.0, line.raw(), target.raw(), &mut out)
        })?;
        Ok(U256::from_raw(out))
    }

    fn keeper(&self, market: &CometMarket, asset: u32, floor: U256, f: Keeper) -> Result<U256> {
        let mut out = sys::keel_u256::default();
        // SAFETY: live handles, valid out-pointer.
        check(unsafe { f(market.raw, self.raw, asset, floor.raw(), &mut out) })?;
        Ok(U256::from_raw(out))
    }

    /// The most wei of collateral `asset` that `withdrawCollateral` accepts
    /// keeping the borrow line's ratio at or above max(`floor`, 1 wad)
    /// (`floor` a wad, 0 ..= 2^128 − 1): the whole balance without debt, 0
    /// when withdrawals are paused or nothing can go; one wei more misses.
    /// Errors: [`ErrorKind::OutOfRange`], [`ErrorKind::UnknownAsset`],
    /// [`ErrorKind::Overflow`].
    pub fn max_withdraw(&self, market: &CometMarket, asset: CometAssetId, floor: U256) -> Result<U256> {
        self.keeper(market, asset.0, floor, sys::keel_comet_max_withdraw)
    }

    /// The most base wei `Comet.withdraw` of the base accepts: a withdrawal
    /// of supply, or a borrow leaving at least baseBorrowMin of debt and the
    /// borrow line's ratio at or above max(`floor`, 1 wad); capped at the
    /// pool's base balance; 0 when withdrawals are paused. Errors as
    /// [`max_withdraw`](CometAccount::max_withdraw).
    pub fn max_borrow(&self, market: &CometMarket, floor: U256) -> Result<U256> {
        let mut out = sys::keel_u256::default();
        // SAFETY: live handles, valid out-pointer.
        check(unsafe { sys::keel_comet_max_borrow(market.raw, self.raw, floor.raw(), &mut out) })?;
        Ok(U256::from_raw(out))
    }

    /// The liquidation price of collateral `asset` at the oracle's
    /// granularity, other prices fixed: the highest 8-decimal price in
    /// 1 ..= 2^96 − 1 at which isLiquidatable holds (exact: one unit more
    /// does not). Errors: [`ErrorKind::UnknownAsset`], [`ErrorKind::Overflow`].
    pub fn liquidation_price(&self, market: &CometMarket, asset: CometAssetId) -> Result<CometPriceBoundary> {
        let mut b = sys::keel_comet_price_boundary::default();
        // SAFETY: live handles, size-prefixed out struct.
        check(unsafe { sys::keel_comet_liquidation_price(market.raw, self.raw, asset.0, &mut b) })?;
        let trigger = match b.direction {
            d if d < 0 => CometTrigger::AtOrBelow(U256::from_raw(b.price)),
            0 => CometTrigger::NoBoundary,
            d => {
                return Err(Error::binding(ErrorKind::Unknown(d),
                                          format!("keel_comet_liquidation_price: unknown direction {d}")))
            }
        };
        Ok(CometPriceBoundary { trigger, liquidatable_now: b.liquidatable_now != 0 })
    }

    /// keel's double-precision market, basket and haircut model for this
    /// account ([`CometKeel`]), so that policies, plans, scans and backtests
    /// run on it; keel's health factor on them is liquidate_collateral_value
    /// / −base_value up to the contract's floors. Errors:
    /// [`ErrorKind::UnknownAsset`], [`ErrorKind::OutOfRange`] for a price
    /// beyond double range, [`ErrorKind::Overflow`], [`ErrorKind::NoMemory`].
    pub fn to_keel(&self, market: &CometMarket) -> Result<CometKeel> {
        let (mut m, mut b, mut h) = (ptr::null_mut(), ptr::null_mut(), ptr::null_mut());
        let mut ids = vec![0u32; sys::KEEL_COMET_MAX_ASSETS + 1]; // the base and every collateral
        let mut n = 0usize;
        // SAFETY: live handles, valid out-pointers; `ids` holds `ids.len()` entries.
        check(unsafe {
            sys::keel_comet_to_keel(market.raw, self.raw, &mut m, &mut b, &mut h, ids.as_mut_ptr(), ids.len(),
                                    &mut n)
        })?;
        let (market, basket, haircuts) = (Market { raw: m }, Basket { raw: b }, HaircutModel { raw: h });
        ids.truncate(n.min(ids.len()));
        Ok(CometKeel { market, basket, haircuts, assets: ids.into_iter().map(CometAssetId).collect() })
    }
}

impl fmt::Debug for CometAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let held: Vec<(u32, U256)> = (0..sys::KEEL_COMET_MAX_ASSETS as u32)
            .filter_map(|i| self.collateral(CometAssetId(i)).ok().map(|b| (i, b)))
            .filter(|(_, b)| !b.is_zero())
            .collect();
        f.debug_struct("CometAccount").field("principal", &self.principal().ok()).field("collateral", &held).finish()
    }
}

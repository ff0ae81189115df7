//! Aave v3 accounts exactly as the chain computes them (`include/keel/aave.h`,
//! experimental tier): `getUserAccountData`, liquidation calls as quotes or
//! the reason they revert, and what a keeper asks.
//!
//! Units are the chain's, all [`U256`]: amounts in the token's smallest unit
//! (wei), prices and values in the oracle's base currency (8 decimals on the
//! USD markets: 10^8 = 1 USD), indexes and rates in rays (10^27), health
//! factors in wads (10^18 = 1.0; [`U256::MAX`] without debt). LTV,
//! liquidation threshold, bonus and protocol fee are basis points in `u32`
//! (10^4 = 100%; a bonus of 10500 pays 5%).
//!
//! ```
//! use keel::{AaveAccount, AaveMarket, AaveReserve, AaveVersion, U256};
//! let mut m = AaveMarket::new(AaveVersion::V3_6)?;
//! let weth = m.add_reserve("WETH", &AaveReserve {
//!     decimals: 18, ltv: 8050, liquidation_threshold: 8300, liquidation_bonus: 10500,
//!     price: U256::from(2000 * 100_000_000u64), ..Default::default() })?;
//! let usdc = m.add_reserve("USDC", &AaveReserve {
//!     decimals: 6, ltv: 7700, liquidation_threshold: 8000, liquidation_bonus: 10450,
//!     price: U256::from(100_000_000u64), ..Default::default() })?;
//! let mut a = AaveAccount::new()?;
//! a.set_position(&m, weth, U256::from(10 * 10u64.pow(18)), U256::ZERO, true)?;
//! a.set_position(&m, usdc, U256::ZERO, U256::from(16_600 * 10u64.pow(6)), false)?;
//! // 20,000 USD of WETH at 83% against 16,600 USD of debt: exactly 1.0
//! assert_eq!(a.account_data(&m)?.health_factor, U256::WAD);
//! # Ok::<(), keel::Error>(())
//! ```

use std::ffi::CStr;
use std::fmt;
use std::os::raw::c_int;
use std::ptr;

use keel_sys as sys;

use crate::{c_string, check, AssetId, Basket, Error, ErrorKind, HaircutModel, Market, Result, U256};

/// A reserve id: the reserve's position in the pool's reserve list, issued
/// by [`AaveMarket::add_reserve`] in order 0, 1, 2, ... (the ids the e-mode
/// bitmaps use). An id the market does not have is
/// [`ErrorKind::UnknownAsset`].
#[repr(transparent)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReserveId(pub(crate) u32);

impl ReserveId {
    /// The id with this raw value.
    pub const fn from_raw(id: u32) -> ReserveId {
        ReserveId(id)
    }
    /// The raw value, as the C library uses it.
    pub const fn raw(self) -> u32 {
        self.0
    }
    /// Raw ids (as a file or a database holds them) viewed as `ReserveId`s,
    /// without a copy.
    pub fn slice_from_raw(ids: &[u32]) -> &[ReserveId] {
        // SAFETY: ReserveId is repr(transparent) over u32, so the layouts match.
        unsafe { std::slice::from_raw_parts(ids.as_ptr().cast(), ids.len()) }
    }
}

impl fmt::Display for ReserveId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Which release's rules a market follows (`keel_aave_version`; the tags of
/// aave-dao/aave-v3-origin).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AaveVersion {
    /// v3.4.0: balances rounded half up, base values floored, the weighted
    /// threshold cut to whole basis points before the health factor.
    V3_4,
    /// v3.5.0: collateral rounded down and debt up; the health factor from
    /// the unrounded weighted threshold.
    V3_5,
    /// v3.6.0, the current rules: as v3.5, plus the e-mode LTV-zero bitmap
    /// and zero-threshold collateral counted in the total.
    V3_6,
}

impl AaveVersion {
    /// The C value (340, 350, 360).
    pub fn raw(self) -> sys::keel_aave_version {
        match self {
            AaveVersion::V3_4 => sys::KEEL_AAVE_V3_4,
            AaveVersion::V3_5 => sys::KEEL_AAVE_V3_5,
            AaveVersion::V3_6 => sys::KEEL_AAVE_V3_6,
        }
    }
    fn from_raw(v: c_int) -> Option<AaveVersion> {
        match v {
            sys::KEEL_AAVE_V3_4 => Some(AaveVersion::V3_4),
            sys::KEEL_AAVE_V3_5 => Some(AaveVersion::V3_5),
            sys::KEEL_AAVE_V3_6 => Some(AaveVersion::V3_6),
            _ => None,
        }
    }
}

/// Why the pool would revert a liquidation call (`keel_aave_revert`), found
/// in [`Error::revert`]. [`name`](AaveRevert::name) is the Errors.sol name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AaveRevert {
    /// HealthFactorNotBelowThreshold: the health factor is 1 wad or more.
    HealthFactorNotBelowThreshold,
    /// CollateralCannotBeLiquidated: the collateral's switch is off (or, before
    /// v3.6, its threshold is 0).
    CollateralCannotBeLiquidated,
    /// SpecifiedCurrencyNotBorrowedByUser: no debt in the debt reserve.
    SpecifiedCurrencyNotBorrowedByUser,
    /// MustNotLeaveDust: the call would leave less than 1,000 base units
    /// (10^11 base-currency units) of debt or collateral.
    MustNotLeaveDust,
    /// ReserveInactive.
    ReserveInactive,
    /// ReservePaused.
    ReservePaused,
    /// InvalidBurnAmount: a burn of 0 scaled units.
    InvalidBurnAmount,
    /// A Solidity 0.8 overflow or underflow panic.
    Arithmetic,
    /// A reason this crate does not know (a newer library).
    Unknown(i32),
}

impl AaveRevert {
    /// `None` for `KEEL_AAVE_OK`.
    fn from_raw(r: sys::keel_aave_revert) -> Option<AaveRevert> {
        Some(match r {
            sys::KEEL_AAVE_OK => return None,
            sys::KEEL_AAVE_HEALTH_FACTOR_NOT_BELOW_THRESHOLD => AaveRevert::HealthFactorNotBelowThreshold,
            sys::KEEL_AAVE_COLLATERAL_CANNOT_BE_LIQUIDATED => AaveRevert::CollateralCannotBeLiquidated,
            sys::KEEL_AAVE_SPECIFIED_CURRENCY_NOT_BORROWED => AaveRevert::SpecifiedCurrencyNotBorrowedByUser,
            sys::KEEL_AAVE_MUST_NOT_LEAVE_DUST => AaveRevert::MustNotLeaveDust,
            sys::KEEL_AAVE_RESERVE_INACTIVE => AaveRevert::ReserveInactive,
            sys::KEEL_AAVE_RESERVE_PAUSED => AaveRevert::ReservePaused,
            sys::KEEL_AAVE_INVALID_BURN_AMOUNT => AaveRevert::InvalidBurnAmount,
            sys::KEEL_AAVE_ARITHMETIC => AaveRevert::Arithmetic,
            other => AaveRevert::Unknown(other),
        })
    }

    /// The C value (`KEEL_AAVE_HEALTH_FACTOR_NOT_BELOW_THRESHOLD`, ...).
    pub fn raw(self) -> sys::keel_aave_revert {
        match self {
            AaveRevert::HealthFactorNotBelowThreshold => sys::KEEL_AAVE_HEALTH_FACTOR_NOT_BELOW_THRESHOLD,
            AaveRevert::CollateralCannotBeLiquidated => sys::KEEL_AAVE_COLLATERAL_CANNOT_BE_LIQUIDATED,
            AaveRevert::SpecifiedCurrencyNotBorrowedByUser => sys::KEEL_AAVE_SPECIFIED_CURRENCY_NOT_BORROWED,
            AaveRevert::MustNotLeaveDust => sys::KEEL_AAVE_MUST_NOT_LEAVE_DUST,
            AaveRevert::ReserveInactive => sys::KEEL_AAVE_RESERVE_INACTIVE,
            AaveRevert::ReservePaused => sys::KEEL_AAVE_RESERVE_PAUSED,
            AaveRevert::InvalidBurnAmount => sys::KEEL_AAVE_INVALID_BURN_AMOUNT,
            AaveRevert::Arithmetic => sys::KEEL_AAVE_ARITHMETIC,
            AaveRevert::Unknown(r) => r,
        }
    }

    /// The Errors.sol name, from the C library (`keel_aave_revert_name`):
    /// `"HealthFactorNotBelowThreshold"`, `"MustNotLeaveDust"`, ...
    pub fn name(self) -> &'static str {
        // SAFETY: the library returns a static NUL-terminated string for any value.
        unsafe { CStr::from_ptr(sys::keel_aave_revert_name(self.raw())) }
            .to_str()
            .unwrap_or("unknown revert")
    }
}

impl fmt::Display for AaveRevert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `check`, with the revert reason of a liquidation attached to an
/// `Infeasible` error.
fn check_liquidation(status: sys::keel_status, out: &sys::keel_aave_liquidation) -> Result<()> {
    check(status).map_err(|mut e| {
        if e.kind == ErrorKind::Infeasible {
            e.revert = AaveRevert::from_raw(out.revert);
        }
        e
    })
}

/// One reserve's parameters and state (C `keel_aave_reserve`). `Default` is
/// the C library's (`keel_aave_reserve_init`): 18 decimals, no collateral
/// use (LTV and threshold 0), bonus 10000, price 0, both indexes 1 ray,
/// rates 0, active and borrowable; start from it with `..Default::default()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AaveReserve {
    /// Token decimals, 0..=38.
    pub decimals: u32,
    /// Loan to value, bps, <= `liquidation_threshold`.
    pub ltv: u32,
    /// Liquidation threshold, bps, <= 10000; 0: not usable as collateral.
    pub liquidation_threshold: u32,
    /// Liquidation bonus including the principal, bps (10500 pays 5%);
    /// >= 10000 when the threshold is not 0.
    pub liquidation_bonus: u32,
    /// Share of the bonus that goes to the treasury, bps, <= 10000.
    pub liquidation_protocol_fee: u32,
    /// Oracle price: base-currency units per whole token (8 decimals on USD markets).
    pub price: U256,
    /// Supply index at `last_update`, ray, > 0.
    pub liquidity_index: U256,
    /// Variable borrow index at `last_update`, ray, > 0.
    pub variable_borrow_index: U256,
    /// Current liquidity rate, ray per year.
    pub liquidity_rate: U256,
    /// Current variable borrow rate, ray per year.
    pub variable_borrow_rate: U256,
    /// Unix seconds of the indexes.
    pub last_update: u64,
    /// Isolation-mode debt ceiling, base units with 2 decimals; 0: not isolated.
    pub debt_ceiling: U256,
    /// Debt already counted against the ceiling, 2 decimals.
    pub isolation_mode_total_debt: U256,
    /// The reserve is active.
    pub active: bool,
    /// Frozen: no new supply or borrow.
    pub frozen: bool,
    /// Paused: nothing moves, no liquidation.
    pub paused: bool,
    /// May be borrowed outside e-mode.
    pub borrowing_enabled: bool,
    /// May be borrowed by an isolated account.
    pub borrowable_in_isolation: bool,
}

impl From<sys::keel_aave_reserve> for AaveReserve {
    fn from(c: sys::keel_aave_reserve) -> AaveReserve {
        let on = |bit: u32| c.flags & bit != 0;
        AaveReserve {
            decimals: c.decimals,
            ltv: c.ltv,
            liquidation_threshold: c.liquidation_threshold,
            liquidation_bonus: c.liquidation_bonus,
            liquidation_protocol_fee: c.liquidation_protocol_fee,
            price: U256::from_raw(c.price),
            liquidity_index: U256::from_raw(c.liquidity_index),
            variable_borrow_index: U256::from_raw(c.variable_borrow_index),
            liquidity_rate: U256::from_raw(c.liquidity_rate),
            variable_borrow_rate: U256::from_raw(c.variable_borrow_rate),
            last_update: c.last_update,
            debt_ceiling: U256::from_raw(c.debt_ceiling),
            isolation_mode_total_debt: U256::from_raw(c.isolation_mode_total_debt),
            active: on(sys::KEEL_AAVE_ACTIVE),
            frozen: on(sys::KEEL_AAVE_FROZEN),
            paused: on(sys::KEEL_AAVE_PAUSED),
            borrowing_enabled: on(sys::KEEL_AAVE_BORROWING_ENABLED),
            borrowable_in_isolation: on(sys::KEEL_AAVE_BORROWABLE_IN_ISOLATION),
        }
    }
}

impl From<AaveReserve> for sys::keel_aave_reserve {
    fn from(r: AaveReserve) -> sys::keel_aave_reserve {
        let bit = |on: bool, b: u32| if on { b } else { 0 };
        sys::keel_aave_reserve {
            decimals: r.decimals,
            ltv: r.ltv,
            liquidation_threshold: r.liquidation_threshold,
            liquidation_bonus: r.liquidation_bonus,
            liquidation_protocol_fee: r.liquidation_protocol_fee,
            flags: bit(r.active, sys::KEEL_AAVE_ACTIVE)
                | bit(r.frozen, sys::KEEL_AAVE_FROZEN)
                | bit(r.paused, sys::KEEL_AAVE_PAUSED)
                | bit(r.borrowing_enabled, sys::KEEL_AAVE_BORROWING_ENABLED)
                | bit(r.borrowable_in_isolation, sys::KEEL_AAVE_BORROWABLE_IN_ISOLATION),
            price: r.price.raw(),
            liquidity_index: r.liquidity_index.raw(),
            variable_borrow_index: r.variable_borrow_index.raw(),
            liquidity_rate: r.liquidity_rate.raw(),
            variable_borrow_rate: r.variable_borrow_rate.raw(),
            last_update: r.last_update,
            debt_ceiling: r.debt_ceiling.raw(),
            isolation_mode_total_debt: r.isolation_mode_total_debt.raw(),
            ..Default::default()
        }
    }
}

impl Default for AaveReserve {
    /// The C library's defaults (`keel_aave_reserve_init`).
    fn default() -> AaveReserve {
        AaveReserve::from(sys::keel_aave_reserve::default())
    }
}

/// An e-mode category (C `keel_aave_emode`): its terms and the reserves it
/// names. `Default` is the C library's (`keel_aave_emode_init`): all 0, so
/// the terms must be given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AaveEmode {
    /// Loan to value, bps, <= `liquidation_threshold`.
    pub ltv: u32,
    /// Liquidation threshold, bps, 1..=10000.
    pub liquidation_threshold: u32,
    /// Liquidation bonus including the principal, bps, >= 10000.
    pub liquidation_bonus: u32,
    /// Reserves that are collateral at the category's terms.
    pub collateral: Vec<ReserveId>,
    /// Reserves that may be borrowed in the category.
    pub borrowable: Vec<ReserveId>,
    /// Collateral reserves whose LTV is 0 in the category (v3.6).
    pub ltv_zero: Vec<ReserveId>,
}

impl Default for AaveEmode {
    /// The C library's defaults (`keel_aave_emode_init`).
    fn default() -> AaveEmode {
        AaveEmode::from(sys::keel_aave_emode::default())
    }
}

fn bitmap(ids: &[ReserveId], what: &str) -> Result<[u64; 2]> {
    let mut b = [0u64; 2];
    for id in ids {
        if id.0 as usize >= sys::KEEL_AAVE_MAX_RESERVES {
            return Err(Error::binding(
                ErrorKind::OutOfRange,
                format!("e-mode {what}: reserve id {id} does not fit a bitmap (0..{})",
                        sys::KEEL_AAVE_MAX_RESERVES - 1),
            ));
        }
        b[(id.0 >> 6) as usize] |= 1u64 << (id.0 & 63);
    }
    Ok(b)
}

fn ids(b: [u64; 2]) -> Vec<ReserveId> {
    (0..128u32).filter(|&i| b[(i >> 6) as usize] >> (i & 63) & 1 != 0).map(ReserveId).collect()
}

impl From<sys::keel_aave_emode> for AaveEmode {
    fn from(c: sys::keel_aave_emode) -> AaveEmode {
        AaveEmode {
            ltv: c.ltv,
            liquidation_threshold: c.liquidation_threshold,
            liquidation_bonus: c.liquidation_bonus,
            collateral: ids(c.collateral_bitmap),
            borrowable: ids(c.borrowable_bitmap),
            ltv_zero: ids(c.ltvzero_bitmap),
        }
    }
}

impl TryFrom<&AaveEmode> for sys::keel_aave_emode {
    type Error = Error;
    /// [`ErrorKind::OutOfRange`] for a reserve id of 128 or more.
    fn try_from(e: &AaveEmode) -> Result<sys::keel_aave_emode> {
        Ok(sys::keel_aave_emode {
            ltv: e.ltv,
            liquidation_threshold: e.liquidation_threshold,
            liquidation_bonus: e.liquidation_bonus,
            collateral_bitmap: bitmap(&e.collateral, "collateral")?,
            borrowable_bitmap: bitmap(&e.borrowable, "borrowable")?,
            ltvzero_bitmap: bitmap(&e.ltv_zero, "ltv_zero")?,
            ..Default::default()
        })
    }
}

/// An Aave v3 pool under one version's rules: reserves (ids in the pool's
/// list order) and e-mode categories. Frees on `Drop`, clones deeply, and is
/// `Send + Sync` (reads take `&self` and never mutate).
pub struct AaveMarket {
    pub(crate) raw: *mut sys::keel_aave_market,
}

// SAFETY: as the crate's other handles: no thread affinity, const reads
// without caches, writes through &mut.
unsafe impl Send for AaveMarket {}
unsafe impl Sync for AaveMarket {}

impl Drop for AaveMarket {
    fn drop(&mut self) {
        // SAFETY: raw came from keel_aave_market_new or _clone and is freed once.
        unsafe { sys::keel_aave_market_free(self.raw) }
    }
}

impl Clone for AaveMarket {
    /// A deep copy. Panics only if the allocator fails.
    fn clone(&self) -> AaveMarket {
        let mut p = ptr::null_mut();
        // SAFETY: live handle, valid out-pointer.
        check(unsafe { sys::keel_aave_market_clone(self.raw, &mut p) })
            .expect("keel: out of memory while cloning");
        AaveMarket { raw: p }
    }
}

impl AaveMarket {
    /// An empty market following `version`'s rules.
    pub fn new(version: AaveVersion) -> Result<AaveMarket> {
        let mut p = ptr::null_mut();
        // SAFETY: valid out-pointer.
        check(unsafe { sys::keel_aave_market_new(version.raw(), &mut p) })?;
        Ok(AaveMarket { raw: p })
    }

    /// The raw handle, for calls into keel-sys. It stays owned by `self`.
    pub fn as_ptr(&self) -> *const sys::keel_aave_market {
        self.raw
    }

    /// The rules the market follows.
    pub fn version(&self) -> AaveVersion {
        // SAFETY: live handle.
        let v = unsafe { sys::keel_aave_market_version(self.raw) };
        AaveVersion::from_raw(v).expect("keel: a market keeps the version it was made with")
    }

    /// Number of reserves.
    pub fn len(&self) -> usize {
        // SAFETY: live handle.
        unsafe { sys::keel_aave_market_size(self.raw) }
    }

    /// True when the market has no reserves.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds a reserve with the next id (add them in the pool's order).
    /// Errors: [`ErrorKind::InvalidSymbol`] (empty, over 31 bytes, not
    /// printable ASCII, or holding a NUL), [`ErrorKind::Duplicate`],
    /// [`ErrorKind::Overflow`] past 128 reserves, [`ErrorKind::OutOfRange`]
    /// for a parameter outside the bounds documented on [`AaveReserve`]
    /// (the detail names it). Nothing changes on failure.
    pub fn add_reserve(&mut self, symbol: &str, reserve: &AaveReserve) -> Result<ReserveId> {
        let s = c_string(symbol)?;
        let r = sys::keel_aave_reserve::from(*reserve);
        let mut id = 0;
        // SAFETY: live handle, NUL-terminated symbol, size-prefixed struct, valid out-pointer.
        check(unsafe { sys::keel_aave_market_add_reserve(self.raw, s.as_ptr(), &r, &mut id) })?;
        Ok(ReserveId(id))
    }

    /// Replaces a reserve's parameters and state, all or nothing; errors as
    /// [`add_reserve`](AaveMarket::add_reserve), and
    /// [`ErrorKind::UnknownAsset`] for an id the market does not have.
    pub fn set_reserve(&mut self, id: ReserveId, reserve: &AaveReserve) -> Result<()> {
        let r = sys::keel_aave_reserve::from(*reserve);
        // SAFETY: live handle, size-prefixed struct.
        check(unsafe { sys::keel_aave_market_set_reserve(self.raw, id.0, &r) })
    }

    /// A reserve's parameters and state; [`ErrorKind::UnknownAsset`] for an unknown id.
    pub fn reserve(&self, id: ReserveId) -> Result<AaveReserve> {
        let mut r = sys::keel_aave_reserve::default();
        // SAFETY: live handle, size-prefixed out struct.
        check(unsafe { sys::keel_aave_market_reserve(self.raw, id.0, &mut r) })?;
        Ok(AaveReserve::from(r))
    }

    /// Sets a reserve's oracle price (base-currency units per whole token);
    /// [`ErrorKind::UnknownAsset`] for an unknown id.
    pub fn set_price(&mut self, id: ReserveId, price: U256) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_aave_market_set_price(self.raw, id.0, price.raw()) })
    }

    /// The id of the reserve with this symbol; [`ErrorKind::NotFound`] otherwise.
    pub fn find(&self, symbol: &str) -> Result<ReserveId> {
        let s = c_string(symbol)?;
        let mut id = 0;
        // SAFETY: live handle, NUL-terminated symbol, valid out-pointer.
        check(unsafe { sys::keel_aave_market_find(self.raw, s.as_ptr(), &mut id) })?;
        Ok(ReserveId(id))
    }

    /// A reserve's symbol; [`ErrorKind::UnknownAsset`] for an unknown id.
    pub fn symbol(&self, id: ReserveId) -> Result<String> {
        // SAFETY: live handle; the result is NULL or a string that lives with the market.
        let p = unsafe { sys::keel_aave_market_symbol(self.raw, id.0) };
        if p.is_null() {
            return Err(Error::binding(
                ErrorKind::UnknownAsset,
                format!("reserve {id} is not a reserve of the market (it has {})", self.len()),
            ));
        }
        // SAFETY: non-NULL, NUL-terminated, valid while &self is borrowed; copied out.
        Ok(unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
    }

    /// Sets e-mode category `category` (1..=255), all or nothing. Errors:
    /// [`ErrorKind::OutOfRange`] for category 0, terms outside the bounds on
    /// [`AaveEmode`], or a reserve id of 128 or more;
    /// [`ErrorKind::UnknownAsset`] for a reserve the market does not have yet.
    pub fn set_emode(&mut self, category: u8, emode: &AaveEmode) -> Result<()> {
        let e = sys::keel_aave_emode::try_from(emode)?;
        // SAFETY: live handle, size-prefixed struct.
        check(unsafe { sys::keel_aave_market_set_emode(self.raw, u32::from(category), &e) })
    }

    /// E-mode category `category`; [`ErrorKind::NotFound`] when never set.
    pub fn emode(&self, category: u8) -> Result<AaveEmode> {
        let mut e = sys::keel_aave_emode::default();
        // SAFETY: live handle, size-prefixed out struct.
        check(unsafe { sys::keel_aave_market_emode(self.raw, u32::from(category), &mut e) })?;
        Ok(AaveEmode::from(e))
    }

    /// Accrues every reserve's indexes to `timestamp` (unix seconds) with the
    /// protocol's interest (linear for supply, the Taylor compounding for
    /// debt); the rates stay. Errors: [`ErrorKind::OutOfRange`] for a time
    /// before a reserve's `last_update`, [`ErrorKind::Overflow`] where the
    /// Solidity reverts; nothing changes on failure.
    pub fn accrue(&mut self, timestamp: u64) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_aave_market_accrue(self.raw, timestamp) })
    }
}

impl fmt::Debug for AaveMarket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reserves: Vec<String> =
            (0..self.len() as u32).map(|i| self.symbol(ReserveId(i)).unwrap_or_default()).collect();
        f.debug_struct("AaveMarket")
            .field("version", &self.version())
            .field("reserves", &reserves)
            .finish()
    }
}

/// `getUserAccountData`, plus the isolation state (C `keel_aave_account_data`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AaveAccountData {
    /// Collateral value, base-currency units.
    pub total_collateral_base: U256,
    /// Debt value, base-currency units.
    pub total_debt_base: U256,
    /// What can still be borrowed, base-currency units.
    pub available_borrows_base: U256,
    /// Weighted liquidation threshold, bps (floored).
    pub current_liquidation_threshold: U256,
    /// Weighted LTV, bps (floored).
    pub ltv: U256,
    /// Health factor, wad; [`U256::MAX`] without debt.
    pub health_factor: U256,
    /// A collateral with LTV 0 is enabled.
    pub has_zero_ltv_collateral: bool,
    /// Isolation mode: the one collateral has a debt ceiling.
    pub isolated: bool,
    /// That collateral, when isolated.
    pub isolation_collateral: Option<ReserveId>,
    /// Health factor below 1 wad.
    pub liquidatable: bool,
}

impl From<sys::keel_aave_account_data> for AaveAccountData {
    fn from(c: sys::keel_aave_account_data) -> AaveAccountData {
        AaveAccountData {
            total_collateral_base: U256::from_raw(c.total_collateral_base),
            total_debt_base: U256::from_raw(c.total_debt_base),
            available_borrows_base: U256::from_raw(c.available_borrows_base),
            current_liquidation_threshold: U256::from_raw(c.current_liquidation_threshold),
            ltv: U256::from_raw(c.ltv),
            health_factor: U256::from_raw(c.health_factor),
            has_zero_ltv_collateral: c.has_zero_ltv_collateral != 0,
            isolated: c.isolated != 0,
            isolation_collateral: (c.isolation_collateral != u32::MAX).then_some(ReserveId(c.isolation_collateral)),
            liquidatable: c.liquidatable != 0,
        }
    }
}

/// One liquidation call, quoted (C `keel_aave_liquidation` without a revert).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AaveLiquidation {
    /// The collateral reserve seized.
    pub collateral: ReserveId,
    /// The debt reserve repaid.
    pub debt: ReserveId,
    /// The bonus applied, bps including the principal (the e-mode
    /// category's when the collateral is in it, else the reserve's).
    pub liquidation_bonus: u32,
    /// Debt wei the liquidator pays (actualDebtToLiquidate).
    pub debt_repaid: U256,
    /// Collateral wei the liquidator receives.
    pub collateral_to_liquidator: U256,
    /// Collateral wei to the treasury (its share of the bonus).
    pub protocol_fee: U256,
    /// Debt written off as deficit (every reserve), base-currency units;
    /// non-zero only when no collateral is left.
    pub deficit_base: U256,
    /// `debt_repaid` at the oracle price, base units, rounded up.
    pub debt_repaid_base: U256,
    /// `collateral_to_liquidator` at the oracle price, base units, rounded down.
    pub collateral_to_liquidator_base: U256,
    /// `collateral_to_liquidator_base − debt_repaid_base` before gas, as a
    /// double (base units; may be negative).
    pub profit_base: f64,
    /// Health factor before the call, wad.
    pub health_factor_before: U256,
    /// Health factor after the call, wad ([`U256::MAX`] when no debt is left).
    pub health_factor_after: U256,
}

impl From<sys::keel_aave_liquidation> for AaveLiquidation {
    fn from(c: sys::keel_aave_liquidation) -> AaveLiquidation {
        AaveLiquidation {
            collateral: ReserveId(c.collateral),
            debt: ReserveId(c.debt),
            liquidation_bonus: c.liquidation_bonus,
            debt_repaid: U256::from_raw(c.debt_repaid),
            collateral_to_liquidator: U256::from_raw(c.collateral_to_liquidator),
            protocol_fee: U256::from_raw(c.protocol_fee),
            deficit_base: U256::from_raw(c.deficit_base),
            debt_repaid_base: U256::from_raw(c.debt_repaid_base),
            collateral_to_liquidator_base: U256::from_raw(c.collateral_to_liquidator_base),
            profit_base: c.profit_base,
            health_factor_before: U256::from_raw(c.health_factor_before),
            health_factor_after: U256::from_raw(c.health_factor_after),
        }
    }
}

/// Which oracle prices of one reserve make the account liquidatable, at the
/// oracle's granularity (one base unit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AaveTrigger {
    /// Liquidatable (health factor below 1 wad) at this price and below; one
    /// unit above is not (C direction −1).
    AtOrBelow(U256),
    /// Liquidatable at this price and above; one unit below is not (C direction +1).
    AtOrAbove(U256),
    /// The search found no boundary between 0 and 2^96 − 1: the verdict is
    /// the same at both ends (C direction 0). With
    /// [`AavePriceBoundary::liquidatable_now`] false the account is healthy
    /// at both ends; true, liquidatable at the current price anyway.
    NoBoundary,
}

/// Where the chain's verdict flips as one reserve's oracle price moves,
/// other prices fixed (C `keel_aave_price_boundary`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AavePriceBoundary {
    /// The prices that liquidate, in base-currency units.
    pub trigger: AaveTrigger,
    /// The verdict at the current price.
    pub liquidatable_now: bool,
}

/// One reserve's position as the tokens store it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AaveScaledPosition {
    /// aToken scaled balance (underlying = scaled · liquidity index).
    pub scaled_supply: U256,
    /// Variable-debt-token scaled balance (underlying = scaled · borrow index).
    pub scaled_debt: U256,
    /// The user's "use as collateral" switch.
    pub collateral: bool,
}

/// keel's double-precision objects for an Aave account
/// ([`AaveAccount::to_keel`]): asset `i` of `market` is reserve `reserves[i]`.
pub struct AaveKeel {
    /// One asset per reserve of the account, price = oracle price / 10^8.
    pub market: Market,
    /// Enabled collateral as collateral, debt as debt, in whole tokens.
    pub basket: Basket,
    /// Haircut 1 − threshold (1 − LTV initial), the e-mode's for its collateral.
    pub haircuts: HaircutModel,
    /// The reserve of each keel asset, in asset order.
    pub reserves: Vec<ReserveId>,
}

impl AaveKeel {
    /// The keel asset of a reserve, if the account holds it.
    pub fn asset(&self, reserve: ReserveId) -> Option<AssetId> {
        self.reserves.iter().position(|&r| r == reserve).map(|i| AssetId::from_raw(i as u32))
    }
}

/// An Aave v3 user: scaled aToken and variable-debt balances per reserve,
/// collateral switches, an e-mode category. It names reserves by id, so
/// every call takes the [`AaveMarket`] those ids belong to. Frees on `Drop`,
/// clones deeply, `Send + Sync`.
pub struct AaveAccount {
    raw: *mut sys::keel_aave_account,
}
handle!(AaveAccount, sys::keel_aave_account, sys::keel_aave_account_new,
        sys::keel_aave_account_free, sys::keel_aave_account_clone);

impl AaveAccount {
    fn put(&mut self, market: &AaveMarket, reserve: ReserveId, supply: U256, debt: U256,
           flags: u32) -> Result<()> {
        // SAFETY: live handles.
        check(unsafe {
            sys::keel_aave_account_set_position(self.raw, market.raw, reserve.0, supply.raw(),
                                                debt.raw(), flags)
        })
    }

    /// Sets the balances in one reserve, replacing what was there, from
    /// underlying amounts in wei: scaled with the reserve's current indexes
    /// as a supply (down) and a borrow (up) of the market's version would
    /// be. `collateral` is the user's switch, kept as given even over a zero
    /// supply (a borrow never sets it on chain: pass `false` for a debt-only
    /// position). Both zero with the switch off removes the position. Errors:
    /// [`ErrorKind::UnknownAsset`], [`ErrorKind::Overflow`] for a scaled
    /// balance of 2^128 or more.
    pub fn set_position(&mut self, market: &AaveMarket, reserve: ReserveId, supply: U256,
                        debt: U256, collateral: bool) -> Result<()> {
        let flags = sys::KEEL_AAVE_UNDERLYING | if collateral { sys::KEEL_AAVE_COLLATERAL } else { 0 };
        self.put(market, reserve, supply, debt, flags)
    }

    /// As [`set_position`](AaveAccount::set_position), from the tokens'
    /// scaled balances (what `scaledBalanceOf` returns), stored as given.
    pub fn set_scaled_position(&mut self, market: &AaveMarket, reserve: ReserveId,
                               scaled_supply: U256, scaled_debt: U256, collateral: bool)
                               -> Result<()> {
        let flags = if collateral { sys::KEEL_AAVE_COLLATERAL } else { 0 };
        self.put(market, reserve, scaled_supply, scaled_debt, flags)
    }

    /// The position in a reserve as stored (all zero when none).
    pub fn scaled_position(&self, reserve: ReserveId) -> AaveScaledPosition {
        let (mut s, mut d, mut f) = (sys::keel_u256::default(), sys::keel_u256::default(), 0u32);
        // SAFETY: live handle, valid out-pointers; fails only for a bad handle.
        unsafe { sys::keel_aave_account_position(self.raw, reserve.0, &mut s, &mut d, &mut f) };
        AaveScaledPosition { scaled_supply: U256::from_raw(s), scaled_debt: U256::from_raw(d),
                             collateral: f & sys::KEEL_AAVE_COLLATERAL != 0 }
    }

    /// Underlying `(supply, debt)` in wei, as the tokens' `balanceOf`
    /// rounds them at the market's indexes. Errors: [`ErrorKind::UnknownAsset`],
    /// [`ErrorKind::Overflow`].
    pub fn balances(&self, market: &AaveMarket, reserve: ReserveId) -> Result<(U256, U256)> {
        let (mut s, mut d) = (sys::keel_u256::default(), sys::keel_u256::default());
        // SAFETY: live handles, valid out-pointers.
        check(unsafe { sys::keel_aave_account_balances(market.raw, self.raw, reserve.0, &mut s, &mut d) })?;
        Ok((U256::from_raw(s), U256::from_raw(d)))
    }

    /// Copies `src`'s positions and e-mode into `self` (reusing its storage).
    pub fn assign(&mut self, src: &AaveAccount) -> Result<()> {
        // SAFETY: live handles; `&mut self` and `&src` cannot be the same account.
        check(unsafe { sys::keel_aave_account_assign(self.raw, src.raw) })
    }

    /// Sets the e-mode category (0: none); [`ErrorKind::NotFound`] for a
    /// category the market has not set.
    pub fn set_emode(&mut self, market: &AaveMarket, category: u8) -> Result<()> {
        // SAFETY: live handles.
        check(unsafe { sys::keel_aave_account_set_emode(self.raw, market.raw, u32::from(category)) })
    }

    /// The e-mode category (0: none).
    pub fn emode(&self) -> u8 {
        // SAFETY: live handle; the category was checked to be 0..=255 when set.
        unsafe { sys::keel_aave_account_emode(self.raw) as u8 }
    }

    /// `Pool.getUserAccountData`, exactly, at the market's current indexes.
    /// Errors: [`ErrorKind::UnknownAsset`] when the account holds a reserve
    /// the market does not have or its e-mode category is not set there;
    /// [`ErrorKind::Overflow`] where the Solidity reverts.
    pub fn account_data(&self, market: &AaveMarket) -> Result<AaveAccountData> {
        let mut d = sys::keel_aave_account_data::default();
        // SAFETY: live handles, size-prefixed out struct.
        check(unsafe { sys::keel_aave_user_account_data(market.raw, self.raw, &mut d) })?;
        Ok(AaveAccountData::from(d))
    }

    fn quote(&self, market: &AaveMarket, collateral: ReserveId, debt: ReserveId,
             debt_to_cover: Option<U256>, after: *mut sys::keel_aave_account)
             -> Result<AaveLiquidation> {
        let cover = debt_to_cover.unwrap_or(U256::MAX);
        let mut q = sys::keel_aave_liquidation::default();
        // SAFETY: live handles (`after` null or a live account other than self),
        // size-prefixed out struct.
        let status = unsafe {
            sys::keel_aave_liquidation_quote(market.raw, self.raw, collateral.0, debt.0, cover.raw(),
                                             &mut q, after)
        };
        check_liquidation(status, &q)?;
        Ok(AaveLiquidation::from(q))
    }

    /// Quotes `Pool.liquidationCall(collateral, debt, user, debt_to_cover,
    /// receiveAToken = false)` with the v3.3+ rules (50% close factor above
    /// HF 0.95 on positions of 2,000 base units or more, the bonus and its
    /// protocol fee, the 1,000-unit leftover rule, deficit when no collateral
    /// is left). `debt_to_cover` is in debt wei; `None` covers as much as allowed.
    ///
    /// Where the pool would revert: `Err` with [`ErrorKind::Infeasible`] and
    /// [`Error::revert`] = `Some(reason)` ([`AaveRevert::name`] is the
    /// Errors.sol name). Other errors: [`ErrorKind::UnknownAsset`] for a
    /// reserve the market does not have, [`ErrorKind::Overflow`].
    pub fn liquidation_quote(&self, market: &AaveMarket, collateral: ReserveId, debt: ReserveId,
                             debt_to_cover: Option<U256>) -> Result<AaveLiquidation> {
        self.quote(market, collateral, debt, debt_to_cover, ptr::null_mut())
    }

    /// As [`liquidation_quote`](AaveAccount::liquidation_quote), with the
    /// account as it would be after the call.
    pub fn liquidation_after(&self, market: &AaveMarket, collateral: ReserveId, debt: ReserveId,
                             debt_to_cover: Option<U256>) -> Result<(AaveLiquidation, AaveAccount)> {
        let after = AaveAccount::new()?;
        let q = self.quote(market, collateral, debt, debt_to_cover, after.raw)?;
        Ok((q, after))
    }

    /// The most profitable liquidation for a liquidator: every enabled
    /// collateral against every debt at the largest allowed cover, the one
    /// with the largest `profit_base` (ties to the lowest ids). When none
    /// can be liquidated: `Err` with [`ErrorKind::Infeasible`] and
    /// [`Error::revert`] = the first pair's reason (or
    /// `HealthFactorNotBelowThreshold`).
    pub fn best_liquidation(&self, market: &AaveMarket) -> Result<AaveLiquidation> {
        let mut q = sys::keel_aave_liquidation::default();
        // SAFETY: live handles, size-prefixed out struct.
        let status = unsafe { sys::keel_aave_best_liquidation(market.raw, self.raw, &mut q) };
        check_liquidation(status, &q)?;
        Ok(AaveLiquidation::from(q))
    }

    fn amount(&self, market: &AaveMarket, reserve: ReserveId, hf: U256,
              f: unsafe extern "C" fn(*const sys::keel_aave_market, *const sys::keel_aave_account, u32,
                                      sys::keel_u256, *mut sys::keel_u256) -> sys::keel_status)
              -> Result<U256> {
        let mut out = sys::keel_u256::default();
        // SAFETY: live handles, valid out-pointer.
        check(unsafe { f(market.raw, self.raw, reserve.0, hf.raw(), &mut out) })?;
        Ok(U256::from_raw(out))
    }

    /// The least wei of `reserve`'s debt to repay for the chain's health
    /// factor to reach `target_hf` (wad, >= 1 wei; one wei less misses it).
    /// Errors: [`ErrorKind::Infeasible`] when repaying all of it misses the
    /// target, [`ErrorKind::OutOfRange`] for a target of 0,
    /// [`ErrorKind::UnknownAsset`], [`ErrorKind::Overflow`].
    pub fn repay_to_target(&self, market: &AaveMarket, reserve: ReserveId, target_hf: U256) -> Result<U256> {
        self.amount(market, reserve, target_hf, sys::keel_aave_repay_to_target)
    }

    /// The least wei of `reserve` to supply as collateral (switch on) for the
    /// health factor to reach `target_hf` (wad). Errors:
    /// [`ErrorKind::Infeasible`] when the reserve's threshold (in the
    /// account's e-mode) is 0 or no amount below 2^127 reaches the target;
    /// otherwise as [`repay_to_target`](AaveAccount::repay_to_target).
    pub fn supply_to_target(&self, market: &AaveMarket, reserve: ReserveId, target_hf: U256) -> Result<U256> {
        self.amount(market, reserve, target_hf, sys::keel_aave_supply_to_target)
    }

    /// The most wei of `reserve`'s supply that can be withdrawn keeping the
    /// health factor at or above max(`floor_hf`, 1 wad) (wad) and passing
    /// the pool's LTV-0 check; 0 when nothing can be. Errors:
    /// [`ErrorKind::UnknownAsset`], [`ErrorKind::Overflow`].
    pub fn max_withdraw(&self, market: &AaveMarket, reserve: ReserveId, floor_hf: U256) -> Result<U256> {
        self.amount(market, reserve, floor_hf, sys::keel_aave_max_withdraw)
    }

    /// The most wei of `reserve` that can be borrowed keeping the health
    /// factor at or above max(`floor_hf`, 1 wad) and passing the pool's
    /// borrow checks (active, not paused or frozen, borrowable in the
    /// e-mode or outside it, isolation and its ceiling, LTV); borrow caps
    /// and the reserve's liquidity are not checked. 0 when nothing can be.
    /// Errors: [`ErrorKind::UnknownAsset`], [`ErrorKind::Overflow`].
    pub fn max_borrow(&self, market: &AaveMarket, reserve: ReserveId, floor_hf: U256) -> Result<U256> {
        self.amount(market, reserve, floor_hf, sys::keel_aave_max_borrow)
    }

    /// The oracle price of `reserve` (base-currency units) at which the
    /// chain's verdict flips, other prices fixed; exact when the health
    /// factor is monotone in it (a reserve only supplied or only borrowed).
    /// Errors: [`ErrorKind::UnknownAsset`], [`ErrorKind::Overflow`].
    pub fn liquidation_price(&self, market: &AaveMarket, reserve: ReserveId) -> Result<AavePriceBoundary> {
        let mut b = sys::keel_aave_price_boundary::default();
        // SAFETY: live handles, size-prefixed out struct.
        check(unsafe { sys::keel_aave_liquidation_price(market.raw, self.raw, reserve.0, &mut b) })?;
        let price = U256::from_raw(b.price);
        let trigger = match b.direction {
            d if d < 0 => AaveTrigger::AtOrBelow(price),
            d if d > 0 => AaveTrigger::AtOrAbove(price),
            _ => AaveTrigger::NoBoundary,
        };
        Ok(AavePriceBoundary { trigger, liquidatable_now: b.liquidatable_now != 0 })
    }

    /// keel's double-precision market, basket and haircut model for this
    /// account, so that policies, plans and scans run on it (prices / 10^8,
    /// balances / 10^decimals, haircut 1 − threshold). Errors:
    /// [`ErrorKind::UnknownAsset`], [`ErrorKind::NoMemory`].
    pub fn to_keel(&self, market: &AaveMarket) -> Result<AaveKeel> {
        let (mut m, mut b, mut h) = (ptr::null_mut(), ptr::null_mut(), ptr::null_mut());
        let mut reserves = vec![0u32; sys::KEEL_AAVE_MAX_RESERVES];
        let mut n = 0usize;
        // SAFETY: live handles, valid out-pointers, `reserves` holds KEEL_AAVE_MAX_RESERVES ids.
        check(unsafe {
            sys::keel_aave_to_keel(market.raw, self.raw, &mut m, &mut b, &mut h, reserves.as_mut_ptr(),
                                   reserves.len(), &mut n)
        })?;
        reserves.truncate(n);
        Ok(AaveKeel { market: Market { raw: m }, basket: Basket { raw: b },
                      haircuts: HaircutModel { raw: h },
                      reserves: reserves.into_iter().map(ReserveId).collect() })
    }
}

impl fmt::Debug for AaveAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let held: Vec<(u32, AaveScaledPosition)> = (0..sys::KEEL_AAVE_MAX_RESERVES as u32)
            .map(|i| (i, self.scaled_position(ReserveId(i))))
            .filter(|(_, p)| !p.scaled_supply.is_zero() || !p.scaled_debt.is_zero())
            .collect();
        f.debug_struct("AaveAccount").field("emode", &self.emode()).field("scaled", &held).finish()
    }
}

/// Health factors of many accounts with the chain's exact verdicts
/// ([`aave_scan`]).
#[derive(Debug, Clone, PartialEq)]
pub struct AaveScan {
    /// Each account's health factor as a double (1.0 = 1 wad; +inf without
    /// debt); exact up to the double for re-checked accounts.
    pub health_factors: Vec<f64>,
    /// Each verdict (health factor below 1 wad on chain).
    pub liquidatable: Vec<bool>,
    /// How many accounts near 1 were re-computed in integers.
    pub exact: usize,
}

/// Health factors of many accounts at the speed of a double scan, with
/// every verdict equal to the chain's (those near 1 are re-computed in
/// integers). Errors: [`ErrorKind::UnknownAsset`], [`ErrorKind::Overflow`].
pub fn aave_scan(market: &AaveMarket, accounts: &[&AaveAccount]) -> Result<AaveScan> {
    let n = accounts.len();
    let ptrs: Vec<*const sys::keel_aave_account> = accounts.iter().map(|a| a.raw as *const _).collect();
    let mut hf = vec![0.0f64; n];
    let mut liq = vec![0u8; n];
    let mut exact = 0usize;
    // SAFETY: n live handles; both outputs hold n elements.
    check(unsafe {
        sys::keel_aave_scan(market.raw, ptrs.as_ptr(), n, hf.as_mut_ptr(), liq.as_mut_ptr(), &mut exact)
    })?;
    Ok(AaveScan { health_factors: hf, liquidatable: liq.into_iter().map(|v| v != 0).collect(), exact })
}

/// Accounts as flat arrays for [`aave_scan_flat`], borrowed from the caller
/// (no copy): account `i` holds positions `offsets[i] .. offsets[i + 1]` of
/// the other slices, reserve ids strictly increasing within an account.
/// Balances are the tokens' scaled balances (`scaledBalanceOf`, as
/// [`AaveAccount::set_scaled_position`] takes them), 128 bits as
/// `[low, high]` 64-bit words.
#[derive(Debug, Clone, Copy)]
pub struct AaveFlatAccounts<'a> {
    /// `count + 1` offsets: the first 0, non-decreasing.
    pub offsets: &'a [usize],
    /// Each position's reserve ([`ReserveId::slice_from_raw`] views `u32`s).
    pub reserves: &'a [ReserveId],
    /// Each position's "use as collateral" switch.
    pub collateral: &'a [bool],
    /// Each position's scaled aToken balance, `[low, high]`.
    pub scaled_supply: &'a [[u64; 2]],
    /// Each position's scaled variable-debt balance, `[low, high]`.
    pub scaled_debt: &'a [[u64; 2]],
    /// Each account's e-mode category (0: none), or `None` for 0 everywhere.
    pub emodes: Option<&'a [u8]>,
}

/// [`aave_scan`] over accounts in flat arrays: the same health factors and
/// verdicts, bit for bit, without a handle per account (a keeper refreshes
/// the arrays once per block). The slices' lengths are checked here before
/// the call -- each position slice must reach the largest offset, `emodes`
/// hold one category per account -- so the library never reads past them
/// ([`ErrorKind::OutOfRange`]); the library checks the rest: offsets that
/// do not start at 0 or decrease and ids not strictly increasing
/// ([`ErrorKind::OutOfRange`]), an id or a category the market does not
/// have ([`ErrorKind::UnknownAsset`]), [`ErrorKind::Overflow`].
///
/// ```
/// use keel::{aave_scan_flat, AaveFlatAccounts, AaveMarket, AaveReserve, AaveVersion, U256};
/// let mut m = AaveMarket::new(AaveVersion::V3_6)?;
/// let weth = m.add_reserve("WETH", &AaveReserve {
///     decimals: 18, ltv: 8050, liquidation_threshold: 8300, liquidation_bonus: 10500,
///     price: U256::from(2000 * 100_000_000u64), ..Default::default() })?;
/// let usdc = m.add_reserve("USDC", &AaveReserve {
///     decimals: 6, ltv: 7700, liquidation_threshold: 8000, liquidation_bonus: 10450,
///     price: U256::from(100_000_000u64), ..Default::default() })?;
/// // 10 WETH against 16,600 USDC (HF exactly 1), then one wei more of debt
/// let ten_eth = [10_000_000_000_000_000_000u64, 0];
/// let acc = AaveFlatAccounts {
///     offsets: &[0, 2, 4], reserves: &[weth, usdc, weth, usdc],
///     collateral: &[true, false, true, false],
///     scaled_supply: &[ten_eth, [0, 0], ten_eth, [0, 0]],
///     scaled_debt: &[[0, 0], [16_600_000_000, 0], [0, 0], [16_600_000_001, 0]],
///     emodes: None };
/// let s = aave_scan_flat(&m, &acc)?;
/// assert_eq!(s.liquidatable, vec![false, true]);
/// assert_eq!(s.health_factors[0], 1.0);
/// # Ok::<(), keel::Error>(())
/// ```
pub fn aave_scan_flat(market: &AaveMarket, accounts: &AaveFlatAccounts<'_>) -> Result<AaveScan> {
    let a = accounts;
    let n = a.offsets.len().checked_sub(1).ok_or_else(|| {
        Error::binding(ErrorKind::OutOfRange, "offsets must hold count + 1 entries")
    })?;
    // the largest offset, not the last: the library reads no position past
    // offsets[n], but the slices are checked against every offset anyway
    let reach = a.offsets.iter().copied().max().unwrap_or(0);
    for (name, len) in [("reserves", a.reserves.len()), ("collateral", a.collateral.len()),
                        ("scaled_supply", a.scaled_supply.len()), ("scaled_debt", a.scaled_debt.len())] {
        if len < reach {
            return Err(Error::binding(ErrorKind::OutOfRange,
                                      format!("the offsets reach {reach}; {name} holds {len}")));
        }
    }
    if let Some(e) = a.emodes {
        if e.len() != n {
            return Err(Error::binding(ErrorKind::OutOfRange,
                                      format!("emodes holds {} categories for {n} accounts", e.len())));
        }
    }
    let mut hf = vec![0.0f64; n];
    let mut liq = vec![0u8; n];
    let mut exact = 0usize;
    // SAFETY: every slice holds what the offsets reach and emodes one entry per
    // account (checked above); ReserveId is repr(transparent) over u32, bool is
    // one byte holding 0 or 1 (KEEL_AAVE_COLLATERAL), [u64; 2] is two words
    // low first; both outputs hold n elements.
    check(unsafe {
        sys::keel_aave_scan_flat(market.raw, n, a.offsets.as_ptr(), a.reserves.as_ptr().cast(),
                                 a.collateral.as_ptr().cast(), a.scaled_supply.as_ptr().cast(),
                                 a.scaled_debt.as_ptr().cast(),
                                 a.emodes.map_or(ptr::null(), |e| e.as_ptr()), hf.as_mut_ptr(),
                                 liq.as_mut_ptr(), &mut exact)
    })?;
    Ok(AaveScan { health_factors: hf, liquidatable: liq.into_iter().map(|v| v != 0).collect(), exact })
}

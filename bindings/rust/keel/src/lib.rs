//! Safe Rust interface to keel, a C library for collateral risk: health
//! factors, haircuts and liquidation prices.
//!
//! ```
//! use keel::{Basket, HaircutModel, LiquidationSide, Market};
//!
//! let mut m = Market::new()?;
//! let eth = m.add_asset("ETH", 2000.0)?;
//! let usdc = m.add_asset("USDC", 1.0)?;
//! let mut h = HaircutModel::new()?;
//! h.set_asset(eth, 0.195, 0.17)?; // LTV 80.5%, liquidation threshold 83%
//! let mut b = Basket::new()?;
//! b.set_collateral(eth, 10.0)?;
//! b.set_debt(usdc, 12000.0)?;
//!
//! let metrics = b.metrics(&m, &h)?;
//! assert!((metrics.health_factor - 16600.0 / 12000.0).abs() < 1e-12);
//! let liq = b.liquidation_price(&m, &h, eth)?;
//! assert_eq!(liq.side, LiquidationSide::Below);
//! assert!((liq.price - 12000.0 / 8.3).abs() < 1e-9);
//! # Ok::<(), keel::Error>(())
//! ```

use std::ffi::{CStr, CString};
use std::fmt;
use std::ptr;

use keel_sys as sys;

/// An asset id (`keel_asset`), issued by a [`Market`] in order 0, 1, 2, ...:
/// a type of its own, so that an id cannot be confused with a count, an
/// option id or a peg group. An id read from elsewhere (a database, a scan's
/// arrays) enters through [`AssetId::from_raw`]; an id the market does not
/// know is `ErrorKind::UnknownAsset`, never undefined behaviour.
#[repr(transparent)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AssetId(sys::keel_asset);

impl AssetId {
    /// The id with this raw value.
    pub const fn from_raw(id: u32) -> AssetId {
        AssetId(id)
    }
    /// The raw value, as the C library and keel-sys use it.
    pub const fn raw(self) -> u32 {
        self.0
    }
    /// Raw ids viewed as asset ids, without a copy (for [`Accounts`] over
    /// arrays loaded elsewhere).
    ///
    /// ```
    /// use keel::{Accounts, AssetId, HaircutModel, Market};
    /// let mut m = Market::new()?;
    /// let eth = m.add_asset("ETH", 2000.0)?;
    /// m.add_asset("USDC", 1.0)?;
    /// let mut h = HaircutModel::new()?;
    /// h.set_asset(eth, 0.25, 0.2)?;
    /// let raw: Vec<u32> = vec![0, 1]; // ids as a file or a database holds them
    /// let acc = Accounts { offsets: &[0, 2], assets: AssetId::slice_from_raw(&raw),
    ///                      collateral: &[10.0, 0.0], debt: &[0.0, 12000.0] };
    /// assert!((keel::scan(&m, &h, &acc)?[0] - 16000.0 / 12000.0).abs() < 1e-15);
    /// # Ok::<(), keel::Error>(())
    /// ```
    pub fn slice_from_raw(ids: &[u32]) -> &[AssetId] {
        // SAFETY: AssetId is repr(transparent) over u32, so the layouts match.
        unsafe { std::slice::from_raw_parts(ids.as_ptr().cast(), ids.len()) }
    }
}

impl From<AssetId> for u32 {
    fn from(a: AssetId) -> u32 {
        a.0
    }
}

impl fmt::Display for AssetId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The raw id of an optional asset (`KEEL_ASSET_INVALID` for none).
fn raw_or_invalid(a: Option<AssetId>) -> sys::keel_asset {
    a.map_or(sys::KEEL_ASSET_INVALID, |a| a.0)
}

/// An asset id read from C: `None` for `KEEL_ASSET_INVALID`.
fn opt_asset(a: sys::keel_asset) -> Option<AssetId> {
    if a == sys::KEEL_ASSET_INVALID { None } else { Some(AssetId(a)) }
}

/// Which failure a keel call reported, with the C library's detail text.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    /// The kind of failure.
    pub kind: ErrorKind,
    /// `keel_last_error()` at the time of the failure.
    pub detail: String,
    /// With [`ErrorKind::Infeasible`] from [`deleverage`] or [`deleverage_with`]:
    /// the best health factor the allowed actions reach (as Python's
    /// `InfeasibleError.best_health`); `None` otherwise.
    pub best_health: Option<f64>,
    /// With [`ErrorKind::Infeasible`] from an Aave liquidation
    /// ([`AaveAccount::liquidation_quote`], [`AaveAccount::best_liquidation`]):
    /// why the pool would revert the call, its Errors.sol name given by
    /// [`AaveRevert::name`] (as Python's `AaveRevert.reason`); `None` otherwise.
    pub revert: Option<AaveRevert>,
    /// With [`ErrorKind::Infeasible`] from a Compound v3 quote
    /// ([`CometAccount::absorb_quote`], [`CometMarket::buy_collateral_quote`],
    /// [`CometMarket::quote_collateral`]): why the contract would revert, its
    /// error name given by [`CometRevert::name`] (as Python's
    /// `CometRevert.reason`); `None` otherwise.
    pub comet_revert: Option<CometRevert>,
    /// With [`ErrorKind::Infeasible`] from a Morpho Blue liquidation
    /// ([`MorphoMarket::liquidation_quote`], [`MorphoMarket::best_liquidation`]):
    /// why Morpho would revert, ErrorsLib's string given by
    /// [`MorphoRevert::name`] (as Python's `MorphoRevert.reason`); `None` otherwise.
    pub morpho_revert: Option<MorphoRevert>,
}

/// One variant per `keel_status` other than `KEEL_OK`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A required pointer was null (or a string held a NUL byte).
    NullArg,
    /// NaN or infinity where a finite number is needed.
    NotFinite,
    /// A number outside its allowed range.
    OutOfRange,
    /// A handle of the wrong type or already freed.
    BadHandle,
    /// An asset id the market does not know.
    UnknownAsset,
    /// A symbol already taken.
    Duplicate,
    /// A lookup found nothing.
    NotFound,
    /// An empty, too long or non-printable symbol.
    InvalidSymbol,
    /// Out of memory; nothing changed.
    NoMemory,
    /// A size or value beyond range.
    Overflow,
    /// Not allowed in the current state.
    State,
    /// A buffer too small.
    BufferTooSmall,
    /// A target that cannot be reached.
    Infeasible,
    /// An iterative method did not converge.
    NoConvergence,
    /// A progress callback stopped the run.
    Cancelled,
    /// A correlation matrix not positive semi-definite.
    NotPsd,
    /// A price outside its no-arbitrage bounds.
    Arbitrage,
    /// A status this crate does not know (a newer library).
    Unknown(i32),
}

impl ErrorKind {
    fn from_status(s: sys::keel_status) -> ErrorKind {
        match s {
            sys::KEEL_E_NULL_ARG => ErrorKind::NullArg,
            sys::KEEL_E_NOT_FINITE => ErrorKind::NotFinite,
            sys::KEEL_E_OUT_OF_RANGE => ErrorKind::OutOfRange,
            sys::KEEL_E_BAD_HANDLE => ErrorKind::BadHandle,
            sys::KEEL_E_UNKNOWN_ASSET => ErrorKind::UnknownAsset,
            sys::KEEL_E_DUPLICATE => ErrorKind::Duplicate,
            sys::KEEL_E_NOT_FOUND => ErrorKind::NotFound,
            sys::KEEL_E_INVALID_SYMBOL => ErrorKind::InvalidSymbol,
            sys::KEEL_E_NOMEM => ErrorKind::NoMemory,
            sys::KEEL_E_OVERFLOW => ErrorKind::Overflow,
            sys::KEEL_E_STATE => ErrorKind::State,
            sys::KEEL_E_BUFFER_TOO_SMALL => ErrorKind::BufferTooSmall,
            sys::KEEL_E_INFEASIBLE => ErrorKind::Infeasible,
            sys::KEEL_E_NO_CONVERGENCE => ErrorKind::NoConvergence,
            sys::KEEL_E_CANCELLED => ErrorKind::Cancelled,
            sys::KEEL_E_NOT_PSD => ErrorKind::NotPsd,
            sys::KEEL_E_ARBITRAGE => ErrorKind::Arbitrage,
            other => ErrorKind::Unknown(other),
        }
    }
}

impl Error {
    /// An error the binding finds before calling C (no `best_health`, no `revert`).
    fn binding(kind: ErrorKind, detail: impl Into<String>) -> Error {
        Error { kind, detail: detail.into(), best_health: None, revert: None, comet_revert: None,
                morpho_revert: None }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.kind, self.detail)
    }
}

impl std::error::Error for Error {}

/// Result of a keel call.
pub type Result<T> = std::result::Result<T, Error>;

fn check(status: sys::keel_status) -> Result<()> {
    if status == sys::KEEL_OK {
        return Ok(());
    }
    // SAFETY: keel_last_error returns a valid NUL-terminated thread-local string.
    let detail = unsafe { CStr::from_ptr(sys::keel_last_error()) }.to_string_lossy().into_owned();
    Err(Error { kind: ErrorKind::from_status(status), detail, best_health: None, revert: None, comet_revert: None,
                morpho_revert: None })
}

fn c_string(s: &str) -> Result<CString> {
    CString::new(s).map_err(|_| {
        Error::binding(ErrorKind::InvalidSymbol, format!("symbol {s:?} contains a NUL byte"))
    })
}

/// Version of the linked libkeel, "MAJOR.MINOR.PATCH".
pub fn version() -> String {
    // SAFETY: a static string.
    unsafe { CStr::from_ptr(sys::keel_version()) }.to_string_lossy().into_owned()
}

/// Number of keel handles alive in the process.
pub fn live_handles() -> usize {
    // SAFETY: no arguments, no state read but an atomic counter.
    unsafe { sys::keel_live_handles() }
}

/// C name of a status code, e.g. `"KEEL_E_NULL_ARG"`.
pub fn status_name(status: i32) -> String {
    // SAFETY: returns a static string for any value.
    unsafe { CStr::from_ptr(sys::keel_status_str(status)) }.to_string_lossy().into_owned()
}

macro_rules! handle {
    ($name:ident, $raw:ty, $new:path, $free:path, $clone:path) => {
        impl $name {
            /// Creates an empty one.
            pub fn new() -> Result<Self> {
                let mut p = ptr::null_mut();
                // SAFETY: p is a valid out-pointer.
                check(unsafe { $new(&mut p) })?;
                Ok($name { raw: p })
            }

            /// The raw handle, for calls into keel-sys. It stays owned by `self`.
            pub fn as_ptr(&self) -> *const $raw {
                self.raw
            }

            fn try_clone(&self) -> Result<Self> {
                let mut p = ptr::null_mut();
                // SAFETY: self.raw is live; p is a valid out-pointer.
                check(unsafe { $clone(self.raw, &mut p) })?;
                Ok($name { raw: p })
            }
        }

        impl Clone for $name {
            /// A deep copy. Panics only if the allocator fails.
            fn clone(&self) -> Self {
                self.try_clone().expect("keel: out of memory while cloning")
            }
        }

        impl Drop for $name {
            fn drop(&mut self) {
                // SAFETY: raw came from the constructor and is freed once.
                unsafe { $free(self.raw) }
            }
        }

        // SAFETY: a keel handle has no thread affinity; reading functions take
        // const handles and never mutate them (no lazy caches), so shared
        // references may be used from several threads at once, and writes
        // need &mut.
        unsafe impl Send for $name {}
        unsafe impl Sync for $name {}
    };
}

/// Assets with prices, volatilities, carry and liquidity depth, a risk-free
/// rate and pairwise correlations.
pub struct Market {
    raw: *mut sys::keel_market,
}
handle!(Market, sys::keel_market, sys::keel_market_new, sys::keel_market_free, sys::keel_market_clone);

macro_rules! getter {
    ($self:ident, $f:path, $($arg:expr),*) => {{
        let mut out = 0.0f64;
        // SAFETY: the handle is live and out is a valid out-pointer.
        check(unsafe { $f($self.raw, $($arg,)* &mut out) })?;
        Ok(out)
    }};
}

impl Market {
    /// Adds an asset; returns its id (0, 1, 2, ...).
    ///
    /// ```
    /// let mut m = keel::Market::new()?;
    /// assert_eq!(m.add_asset("ETH", 2000.0)?.raw(), 0);
    /// assert_eq!(m.add_asset("ETH", 1.0).unwrap_err().kind, keel::ErrorKind::Duplicate);
    /// # Ok::<(), keel::Error>(())
    /// ```
    pub fn add_asset(&mut self, symbol: &str, price: f64) -> Result<AssetId> {
        let s = c_string(symbol)?;
        let mut id = 0;
        // SAFETY: live handle, NUL-terminated symbol, valid out-pointer.
        check(unsafe { sys::keel_market_add_asset(self.raw, s.as_ptr(), price, &mut id) })?;
        Ok(AssetId(id))
    }

    /// The id of the asset with this symbol.
    pub fn find(&self, symbol: &str) -> Result<AssetId> {
        let s = c_string(symbol)?;
        let mut id = 0;
        // SAFETY: as above.
        check(unsafe { sys::keel_market_find(self.raw, s.as_ptr(), &mut id) })?;
        Ok(AssetId(id))
    }

    /// Number of assets.
    pub fn len(&self) -> usize {
        let mut n = 0;
        // SAFETY: live handle, valid out-pointer; cannot fail.
        unsafe { sys::keel_market_asset_count(self.raw, &mut n) };
        n
    }

    /// True when the market has no assets.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The symbol of an asset.
    pub fn symbol(&self, asset: AssetId) -> Result<String> {
        let mut buf = [0 as std::os::raw::c_char; sys::KEEL_SYMBOL_MAX + 1];
        // SAFETY: buf holds KEEL_SYMBOL_MAX + 1 bytes, which always suffice.
        check(unsafe { sys::keel_market_symbol(self.raw, asset.0, buf.as_mut_ptr(), buf.len()) })?;
        // SAFETY: keel wrote a NUL-terminated string into buf.
        Ok(unsafe { CStr::from_ptr(buf.as_ptr()) }.to_string_lossy().into_owned())
    }

    /// An asset's price.
    pub fn price(&self, asset: AssetId) -> Result<f64> {
        getter!(self, sys::keel_market_price, asset.0)
    }

    /// Sets an asset's price (finite, > 0).
    pub fn set_price(&mut self, asset: AssetId, price: f64) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_market_set_price(self.raw, asset.0, price) })
    }

    /// Sets the prices of assets `0..prices.len()` at once; all or nothing.
    pub fn set_prices(&mut self, prices: &[f64]) -> Result<()> {
        // SAFETY: the slice is valid for prices.len() reads.
        check(unsafe { sys::keel_market_set_prices(self.raw, prices.as_ptr(), prices.len()) })
    }

    /// An asset's annual volatility.
    pub fn volatility(&self, asset: AssetId) -> Result<f64> {
        getter!(self, sys::keel_market_volatility, asset.0)
    }

    /// Sets an asset's annual volatility (finite, >= 0).
    pub fn set_volatility(&mut self, asset: AssetId, volatility: f64) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_market_set_volatility(self.raw, asset.0, volatility) })
    }

    /// An asset's carry (continuous annual yield).
    pub fn carry(&self, asset: AssetId) -> Result<f64> {
        getter!(self, sys::keel_market_carry, asset.0)
    }

    /// Sets an asset's carry (finite).
    pub fn set_carry(&mut self, asset: AssetId, carry: f64) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_market_set_carry(self.raw, asset.0, carry) })
    }

    /// An asset's liquidity depth in the numeraire (infinite by default).
    pub fn depth(&self, asset: AssetId) -> Result<f64> {
        getter!(self, sys::keel_market_depth, asset.0)
    }

    /// Sets an asset's liquidity depth (> 0, infinity allowed).
    pub fn set_depth(&mut self, asset: AssetId, depth: f64) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_market_set_depth(self.raw, asset.0, depth) })
    }

    /// The risk-free rate.
    pub fn rate(&self) -> f64 {
        let mut r = 0.0;
        // SAFETY: live handle; cannot fail.
        unsafe { sys::keel_market_rate(self.raw, &mut r) };
        r
    }

    /// Sets the risk-free rate (finite).
    pub fn set_rate(&mut self, rate: f64) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_market_set_rate(self.raw, rate) })
    }

    /// Correlation of two assets (1 on the diagonal, 0 when unset).
    pub fn correlation(&self, a: AssetId, b: AssetId) -> Result<f64> {
        getter!(self, sys::keel_market_correlation, a.0, b.0)
    }

    /// Sets a correlation in [-1, 1], for both orders. O(p) for p pairs
    /// stored; to set many, use [`Market::set_correlations`].
    pub fn set_correlation(&mut self, a: AssetId, b: AssetId, rho: f64) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_market_set_correlation(self.raw, a.0, b.0, rho) })
    }

    /// Sets many correlations at once (`keel_market_set_correlations`):
    /// `(a, b, rho)` per pair, as [`Market::set_correlation`] for each in
    /// order would leave the market (a later pair wins, 0 removes one), but
    /// all or nothing, in O(p + k log k) for k pairs and p stored.
    pub fn set_correlations(&mut self, pairs: &[(AssetId, AssetId, f64)]) -> Result<()> {
        let a: Vec<sys::keel_asset> = pairs.iter().map(|p| p.0 .0).collect();
        let b: Vec<sys::keel_asset> = pairs.iter().map(|p| p.1 .0).collect();
        let rho: Vec<f64> = pairs.iter().map(|p| p.2).collect();
        // SAFETY: live handle; three arrays of pairs.len() elements.
        check(unsafe {
            sys::keel_market_set_correlations(self.raw, pairs.len(), a.as_ptr(), b.as_ptr(),
                                              rho.as_ptr())
        })
    }
}

impl fmt::Debug for Market {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut l = f.debug_map();
        for a in (0..self.len() as u32).map(AssetId) {
            l.entry(&self.symbol(a).unwrap_or_default(), &self.price(a).unwrap_or(f64::NAN));
        }
        l.finish()
    }
}

/// Initial and maintenance haircuts per collateral asset, borrow factors per
/// debt asset. An asset with no haircut counts for nothing as collateral.
pub struct HaircutModel {
    raw: *mut sys::keel_haircut_model,
}
handle!(HaircutModel, sys::keel_haircut_model, sys::keel_haircut_model_new,
        sys::keel_haircut_model_free, sys::keel_haircut_model_clone);

impl HaircutModel {
    /// Sets haircuts, `0 <= maintenance <= initial < 1`.
    pub fn set_asset(&mut self, asset: AssetId, initial: f64, maintenance: f64) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_haircut_model_set_asset(self.raw, asset.0, initial, maintenance) })
    }

    /// `(initial, maintenance)`; `(1.0, 1.0)` when none is set.
    pub fn asset(&self, asset: AssetId) -> Result<(f64, f64)> {
        let (mut i, mut m) = (0.0, 0.0);
        // SAFETY: live handle, valid out-pointers.
        check(unsafe { sys::keel_haircut_model_asset(self.raw, asset.0, &mut i, &mut m) })?;
        Ok((i, m))
    }

    /// Removes an asset's haircuts.
    pub fn clear_asset(&mut self, asset: AssetId) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_haircut_model_clear_asset(self.raw, asset.0) })
    }

    /// Sets a debt asset's borrow factor (>= 1).
    pub fn set_borrow_factor(&mut self, asset: AssetId, factor: f64) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_haircut_model_set_borrow_factor(self.raw, asset.0, factor) })
    }

    /// A debt asset's borrow factor (1 when none is set).
    pub fn borrow_factor(&self, asset: AssetId) -> Result<f64> {
        getter!(self, sys::keel_haircut_model_borrow_factor, asset.0)
    }
}

/// How the part of a position above its concentration limit is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConcentrationMode {
    /// An extra haircut on the excess.
    Extra,
    /// The excess counts for nothing.
    Exclude,
}

/// Why an asset's haircut is what it is; see `keel_haircut_components`.
pub type HaircutComponents = sys::keel_haircut_components;

impl HaircutModel {
    /// Caps the haircut an asset can reach through add-ons, in [0, 1].
    pub fn set_cap(&mut self, asset: AssetId, cap: f64) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_haircut_model_set_cap(self.raw, asset.0, cap) })
    }

    /// The asset's cap (1 when none is set).
    pub fn cap(&self, asset: AssetId) -> Result<f64> {
        getter!(self, sys::keel_haircut_model_cap, asset.0)
    }

    /// Volatility add-on `1 - exp(-z sigma sqrt(H))`; `horizon_days = 0` turns it off.
    ///
    /// ```
    /// let mut h = keel::HaircutModel::new()?;
    /// h.set_volatility_addon(0.99, 5.0)?;
    /// assert_eq!(h.volatility_addon()?, (0.99, 5.0));
    /// assert!(h.set_volatility_addon(1.0, 5.0).is_err());
    /// # Ok::<(), keel::Error>(())
    /// ```
    pub fn set_volatility_addon(&mut self, confidence: f64, horizon_days: f64) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_haircut_model_set_volatility_addon(self.raw, confidence, horizon_days) })
    }

    /// `(confidence, horizon_days)` of the volatility add-on.
    pub fn volatility_addon(&self) -> Result<(f64, f64)> {
        let (mut c, mut h) = (0.0, 0.0);
        // SAFETY: live handle, valid out-pointers.
        check(unsafe { sys::keel_haircut_model_volatility_addon(self.raw, &mut c, &mut h) })?;
        Ok((c, h))
    }

    /// Liquidity add-on `min(cap, k sqrt(value / depth))`; `k = 0` turns it off.
    pub fn set_liquidity_addon(&mut self, k: f64, cap: f64) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_haircut_model_set_liquidity_addon(self.raw, k, cap) })
    }

    /// `(k, cap)` of the liquidity add-on.
    pub fn liquidity_addon(&self) -> Result<(f64, f64)> {
        let (mut k, mut c) = (0.0, 0.0);
        // SAFETY: live handle, valid out-pointers.
        check(unsafe { sys::keel_haircut_model_liquidity_addon(self.raw, &mut k, &mut c) })?;
        Ok((k, c))
    }

    /// Concentration limit: the part above `max_share` of collateral value is penalised.
    pub fn set_concentration(&mut self, asset: AssetId, max_share: f64, extra: f64) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_haircut_model_set_concentration(self.raw, asset.0, max_share, extra) })
    }

    /// `(max_share, extra)`; `(1, 0)` when none is set.
    pub fn concentration(&self, asset: AssetId) -> Result<(f64, f64)> {
        let (mut m, mut e) = (0.0, 0.0);
        // SAFETY: live handle, valid out-pointers.
        check(unsafe { sys::keel_haircut_model_concentration(self.raw, asset.0, &mut m, &mut e) })?;
        Ok((m, e))
    }

    /// Chooses how concentration excess is treated.
    pub fn set_concentration_mode(&mut self, mode: ConcentrationMode) -> Result<()> {
        let m = match mode {
            ConcentrationMode::Extra => sys::KEEL_CONCENTRATION_EXTRA,
            ConcentrationMode::Exclude => sys::KEEL_CONCENTRATION_EXCLUDE,
        };
        // SAFETY: live handle.
        check(unsafe { sys::keel_haircut_model_set_concentration_mode(self.raw, m) })
    }

    /// The concentration mode.
    pub fn concentration_mode(&self) -> Result<ConcentrationMode> {
        let mut m = 0;
        // SAFETY: live handle, valid out-pointer.
        check(unsafe { sys::keel_haircut_model_concentration_mode(self.raw, &mut m) })?;
        Ok(if m == sys::KEEL_CONCENTRATION_EXCLUDE { ConcentrationMode::Exclude } else { ConcentrationMode::Extra })
    }

    /// Puts an asset in a peg group (0: its own group).
    pub fn set_peg_group(&mut self, asset: AssetId, group: u32) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_haircut_model_set_peg_group(self.raw, asset.0, group) })
    }

    /// The asset's peg group.
    pub fn peg_group(&self, asset: AssetId) -> Result<u32> {
        let mut g = 0;
        // SAFETY: live handle, valid out-pointer.
        check(unsafe { sys::keel_haircut_model_peg_group(self.raw, asset.0, &mut g) })?;
        Ok(g)
    }

    /// Peg-mismatch add-on (0 turns it off).
    pub fn set_peg_mismatch_addon(&mut self, addon: f64) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_haircut_model_set_peg_mismatch_addon(self.raw, addon) })
    }

    /// The peg-mismatch add-on.
    pub fn peg_mismatch_addon(&self) -> Result<f64> {
        getter!(self, sys::keel_haircut_model_peg_mismatch_addon,)
    }

    /// Portfolio (VaR) mode on or off.
    pub fn set_portfolio_mode(&mut self, enabled: bool) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_haircut_model_set_portfolio_mode(self.raw, enabled as i32) })
    }

    /// Whether portfolio mode is on.
    pub fn portfolio_mode(&self) -> Result<bool> {
        let mut on = 0;
        // SAFETY: live handle, valid out-pointer.
        check(unsafe { sys::keel_haircut_model_portfolio_mode(self.raw, &mut on) })?;
        Ok(on != 0)
    }

    /// Each component of an asset's haircut in a basket.
    pub fn breakdown(&self, market: &Market, basket: &Basket, asset: AssetId) -> Result<HaircutComponents> {
        let mut c = HaircutComponents { size: std::mem::size_of::<HaircutComponents>(), ..Default::default() };
        // SAFETY: live handles; c.size is set.
        check(unsafe { sys::keel_haircut_breakdown(self.raw, basket.raw, market.raw, asset.0, &mut c) })?;
        Ok(c)
    }
}

/// `1 - exp(-z sigma sqrt(T))`, the lognormal fall exceeded with probability `1 - confidence`.
pub fn volatility_haircut(volatility: f64, confidence: f64, horizon_years: f64) -> Result<f64> {
    let mut h = 0.0;
    // SAFETY: valid out-pointer.
    check(unsafe { sys::keel_volatility_haircut(volatility, confidence, horizon_years, &mut h) })?;
    Ok(h)
}

/// `H_N = H_M sqrt(N / M)`: square-root-of-time scaling of a haircut.
pub fn scale_holding_period(haircut: f64, from_days: f64, to_days: f64) -> Result<f64> {
    let mut h = 0.0;
    // SAFETY: valid out-pointer.
    check(unsafe { sys::keel_haircut_scale_holding_period(haircut, from_days, to_days, &mut h) })?;
    Ok(h)
}

/// RiskMetrics EWMA variance estimator.
///
/// ```
/// let mut e = keel::Ewma::new(0.94, 1e-4)?;
/// for r in [0.01, -0.02, 0.015] { e.update(r)?; }
/// assert!((e.variance() - 1.2442e-4).abs() < 1e-15);
/// # Ok::<(), keel::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Ewma(sys::keel_ewma);

impl Ewma {
    /// Starts with decay `lambda` in (0, 1) and an initial per-period variance.
    pub fn new(lambda: f64, initial_variance: f64) -> Result<Ewma> {
        let mut s = sys::keel_ewma::default();
        // SAFETY: valid pointer to a struct keel initialises.
        check(unsafe { sys::keel_ewma_init(&mut s, lambda, initial_variance) })?;
        Ok(Ewma(s))
    }
    /// Absorbs one return.
    pub fn update(&mut self, ret: f64) -> Result<()> {
        // SAFETY: initialised state.
        check(unsafe { sys::keel_ewma_update(&mut self.0, ret) })
    }
    /// Absorbs a price (the first only records it).
    pub fn update_price(&mut self, price: f64) -> Result<()> {
        // SAFETY: initialised state.
        check(unsafe { sys::keel_ewma_update_price(&mut self.0, price) })
    }
    /// Current per-period variance.
    pub fn variance(&self) -> f64 {
        self.0.variance
    }
    /// `sqrt(variance x periods_per_year)`.
    pub fn annual_volatility(&self, periods_per_year: f64) -> Result<f64> {
        let mut v = 0.0;
        // SAFETY: initialised state, valid out-pointer.
        check(unsafe { sys::keel_ewma_annual_volatility(&self.0, periods_per_year, &mut v) })?;
        Ok(v)
    }
}

/// GARCH(1,1) variance estimator.
#[derive(Debug, Clone, Copy)]
pub struct Garch(sys::keel_garch);

impl Garch {
    /// Starts a stationary model (`alpha + beta < 1`); `initial_variance = 0` starts at the long-run variance.
    pub fn new(omega: f64, alpha: f64, beta: f64, initial_variance: f64) -> Result<Garch> {
        let mut s = sys::keel_garch::default();
        // SAFETY: valid pointer to a struct keel initialises.
        check(unsafe { sys::keel_garch_init(&mut s, omega, alpha, beta, initial_variance) })?;
        Ok(Garch(s))
    }
    /// Absorbs one return.
    pub fn update(&mut self, ret: f64) -> Result<()> {
        // SAFETY: initialised state.
        check(unsafe { sys::keel_garch_update(&mut self.0, ret) })
    }
    /// Absorbs a price (the first only records it).
    pub fn update_price(&mut self, price: f64) -> Result<()> {
        // SAFETY: initialised state.
        check(unsafe { sys::keel_garch_update_price(&mut self.0, price) })
    }
    /// Current one-step-ahead variance.
    pub fn variance(&self) -> f64 {
        self.0.variance
    }
    /// `omega / (1 - alpha - beta)`.
    pub fn long_run_variance(&self) -> Result<f64> {
        let mut v = 0.0;
        // SAFETY: initialised state, valid out-pointer.
        check(unsafe { sys::keel_garch_long_run_variance(&self.0, &mut v) })?;
        Ok(v)
    }
    /// Expected variance `steps` periods ahead (1: the current forecast).
    pub fn forecast(&self, steps: u32) -> Result<f64> {
        let mut v = 0.0;
        // SAFETY: initialised state, valid out-pointer.
        check(unsafe { sys::keel_garch_forecast(&self.0, steps, &mut v) })?;
        Ok(v)
    }
    /// `sqrt(variance x periods_per_year)`.
    pub fn annual_volatility(&self, periods_per_year: f64) -> Result<f64> {
        let mut v = 0.0;
        // SAFETY: initialised state, valid out-pointer.
        check(unsafe { sys::keel_garch_annual_volatility(&self.0, periods_per_year, &mut v) })?;
        Ok(v)
    }
}

/// Innovations of a GARCH(1,1) fit (C `keel_garch_dist`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GarchDist {
    /// Standard normal (Bollerslev 1986).
    Normal,
    /// Student-t scaled to variance 1, its degrees of freedom estimated (Bollerslev 1987).
    StudentT,
}

/// Settings of [`garch_fit`] (C `keel_garch_fit_params`); `Default` is the C
/// library's (`keel_garch_fit_params_init`): normal innovations, mean 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GarchFitParams {
    /// The innovations' distribution.
    pub distribution: GarchDist,
    /// Subtract the sample mean first (and report it); otherwise the returns have mean 0.
    pub demean: bool,
    /// Newton iterations allowed from each starting point, >= 1.
    pub max_iterations: u32,
}

impl From<sys::keel_garch_fit_params> for GarchFitParams {
    fn from(c: sys::keel_garch_fit_params) -> GarchFitParams {
        GarchFitParams {
            distribution: if c.distribution == sys::KEEL_GARCH_STUDENT_T {
                GarchDist::StudentT
            } else {
                GarchDist::Normal
            },
            demean: c.demean != 0,
            max_iterations: c.max_iterations,
        }
    }
}

impl From<GarchFitParams> for sys::keel_garch_fit_params {
    fn from(p: GarchFitParams) -> sys::keel_garch_fit_params {
        sys::keel_garch_fit_params {
            distribution: match p.distribution {
                GarchDist::Normal => sys::KEEL_GARCH_NORMAL,
                GarchDist::StudentT => sys::KEEL_GARCH_STUDENT_T,
            },
            demean: p.demean as std::os::raw::c_int,
            max_iterations: p.max_iterations,
            ..Default::default()
        }
    }
}

impl Default for GarchFitParams {
    fn default() -> Self {
        sys::keel_garch_fit_params::default().into()
    }
}

/// A GARCH(1,1) estimate from [`garch_fit`] (C `keel_garch_fit_result`).
/// Variances are per period of the returns (daily returns: daily variances),
/// in the returns' units squared. Standard errors are from the inverse of the
/// exact Hessian of the negative log-likelihood; on a bound they are those of
/// the estimate held there (0 for a parameter pinned at 0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GarchFit {
    /// The innovations' distribution.
    pub distribution: GarchDist,
    /// Constant term, > 0.
    pub omega: f64,
    /// Weight of the last squared return, >= 0.
    pub alpha: f64,
    /// Weight of the last variance, >= 0; `alpha + beta <= 1`.
    pub beta: f64,
    /// Student-t degrees of freedom (> 2); 0 for normal innovations.
    pub nu: f64,
    /// The sample mean subtracted (`demean`), else 0.
    pub mean: f64,
    /// Standard error of `omega`.
    pub omega_se: f64,
    /// Standard error of `alpha`.
    pub alpha_se: f64,
    /// Standard error of `beta`.
    pub beta_se: f64,
    /// Standard error of `nu`; 0 for normal innovations.
    pub nu_se: f64,
    /// `sqrt(sum e_t^2) / n` with `demean`, else 0.
    pub mean_se: f64,
    /// The maximised log-likelihood, constants included.
    pub log_likelihood: f64,
    /// `h_1`, the backcast: the mean of the squared (demeaned) returns.
    pub initial_variance: f64,
    /// `h_{n+1}`: the forecast for the period after the last return.
    pub last_variance: f64,
    /// `alpha + beta` (exactly 1 when integrated).
    pub persistence: f64,
    /// Newton iterations from the winning start.
    pub iterations: u32,
    /// The estimate lies on `alpha = 0`.
    pub alpha_at_zero: bool,
    /// The estimate lies on `beta = 0`.
    pub beta_at_zero: bool,
    /// The estimate lies on `alpha + beta = 1` (integrated GARCH: no long-run variance).
    pub integrated: bool,
    /// Returns used.
    pub n: u64,
}

impl GarchFit {
    /// `omega / (1 - alpha - beta)`; infinity for an integrated fit.
    pub fn long_run_variance(&self) -> f64 {
        if self.integrated { f64::INFINITY } else { self.omega / (1.0 - self.alpha - self.beta) }
    }
    /// A [`Garch`] with these parameters at `last_variance`, ready for the
    /// returns after the fitted ones; `ErrorKind::OutOfRange` for an integrated
    /// fit ([`Garch`] needs `alpha + beta < 1`).
    pub fn to_garch(&self) -> Result<Garch> {
        Garch::new(self.omega, self.alpha, self.beta, self.last_variance)
    }
}

/// Fits GARCH(1,1) to `returns` by maximum likelihood: `h_1` = the mean of
/// the squared (demeaned) returns, `h_{t+1} = omega + alpha e_t^2 + beta h_t`,
/// normal or Student-t log-likelihood, over `omega > 0`, `alpha, beta >= 0`,
/// `alpha + beta <= 1`, `nu > 2` (Bollerslev 1986, 1987; the exact
/// statement is `keel_garch_fit` in `keel/estimators.h`). At least 50 finite
/// returns of one period.
///
/// ```
/// use keel::{garch_fit, GarchDist, GarchFitParams};
/// let r: Vec<f64> = (0..400)
///     .map(|t| 0.02 * (1.3 * t as f64).sin() * if (t / 40) % 2 == 1 { 1.5 } else { 0.6 })
///     .collect();
/// let fit = garch_fit(&r, GarchFitParams::default())?;
/// assert_eq!(fit.n, 400);
/// assert!(fit.alpha + fit.beta <= 1.0 && fit.omega > 0.0);
/// let mut g = fit.to_garch()?;
/// assert_eq!(g.variance(), fit.last_variance);
/// g.update(0.01)?;
/// let t = GarchFitParams { distribution: GarchDist::StudentT, ..Default::default() };
/// assert!(garch_fit(&r[..10], t).is_err()); // too short
/// # Ok::<(), keel::Error>(())
/// ```
pub fn garch_fit(returns: &[f64], params: GarchFitParams) -> Result<GarchFit> {
    let p = sys::keel_garch_fit_params::from(params);
    let mut out = sys::keel_garch_fit_result {
        size: std::mem::size_of::<sys::keel_garch_fit_result>(),
        ..Default::default()
    };
    // SAFETY: returns is valid for returns.len() doubles; p and out are valid, size-prefixed.
    check(unsafe { sys::keel_garch_fit(returns.as_ptr(), returns.len(), &p, &mut out) })?;
    let bound = |bit: sys::keel_garch_bound| out.bounds & bit as u32 != 0;
    Ok(GarchFit {
        distribution: params.distribution, omega: out.omega, alpha: out.alpha, beta: out.beta,
        nu: out.nu, mean: out.mean, omega_se: out.omega_se, alpha_se: out.alpha_se,
        beta_se: out.beta_se, nu_se: out.nu_se, mean_se: out.mean_se,
        log_likelihood: out.log_likelihood, initial_variance: out.initial_variance,
        last_variance: out.last_variance, persistence: out.persistence,
        iterations: out.iterations, alpha_at_zero: bound(sys::KEEL_GARCH_BOUND_ALPHA),
        beta_at_zero: bound(sys::KEEL_GARCH_BOUND_BETA),
        integrated: bound(sys::KEEL_GARCH_BOUND_INTEGRATED), n: out.n,
    })
}

/// Call or put.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OptionType {
    /// The right to buy at the strike.
    Call,
    /// The right to sell at the strike.
    Put,
}

impl OptionType {
    fn from_raw(t: sys::keel_option_type) -> OptionType {
        if t == sys::KEEL_PUT { OptionType::Put } else { OptionType::Call }
    }
    fn raw(self) -> sys::keel_option_type {
        match self {
            OptionType::Call => sys::KEEL_CALL,
            OptionType::Put => sys::KEEL_PUT,
        }
    }
}

/// Value and greeks of one option (vega per 1.00 of volatility, theta per year).
pub type Greeks = sys::keel_greeks;

/// Black-Scholes-Merton value and greeks.
///
/// ```
/// use keel::{black_scholes, OptionType};
/// // Haug's first example: 2.1334
/// let g = black_scholes(OptionType::Call, 60.0, 65.0, 0.25, 0.08, 0.0, 0.30)?;
/// assert!((g.value - 2.1334).abs() < 1e-4);
/// # Ok::<(), keel::Error>(())
/// ```
pub fn black_scholes(kind: OptionType, spot: f64, strike: f64, expiry: f64, rate: f64,
                     dividend: f64, vol: f64) -> Result<Greeks> {
    let mut g = Greeks { size: std::mem::size_of::<Greeks>(), ..Default::default() };
    // SAFETY: g is a valid, size-prefixed output.
    check(unsafe { sys::keel_black_scholes(kind.raw(), spot, strike, expiry, rate, dividend, vol, &mut g) })?;
    Ok(g)
}

/// Black-76 value and greeks (the forward as the underlying).
pub fn black76(kind: OptionType, forward: f64, strike: f64, expiry: f64, rate: f64, vol: f64)
               -> Result<Greeks> {
    let mut g = Greeks { size: std::mem::size_of::<Greeks>(), ..Default::default() };
    // SAFETY: as above.
    check(unsafe { sys::keel_black76(kind.raw(), forward, strike, expiry, rate, vol, &mut g) })?;
    Ok(g)
}

/// Black-Scholes-Merton implied volatility.
///
/// ```
/// use keel::{black_scholes, implied_volatility, OptionType};
/// let p = black_scholes(OptionType::Put, 100.0, 90.0, 0.5, 0.03, 0.0, 0.35)?.value;
/// let iv = implied_volatility(OptionType::Put, p, 100.0, 90.0, 0.5, 0.03, 0.0)?;
/// assert!((iv - 0.35).abs() < 1e-13);
/// # Ok::<(), keel::Error>(())
/// ```
pub fn implied_volatility(kind: OptionType, price: f64, spot: f64, strike: f64, expiry: f64,
                          rate: f64, dividend: f64) -> Result<f64> {
    let mut v = 0.0;
    // SAFETY: valid out-pointer.
    check(unsafe {
        sys::keel_implied_volatility(kind.raw(), price, spot, strike, expiry, rate, dividend, &mut v)
    })?;
    Ok(v)
}

/// Black-76 implied volatility.
pub fn implied_volatility_black76(kind: OptionType, price: f64, forward: f64, strike: f64,
                                  expiry: f64, rate: f64) -> Result<f64> {
    let mut v = 0.0;
    // SAFETY: valid out-pointer.
    check(unsafe {
        sys::keel_implied_volatility_black76(kind.raw(), price, forward, strike, expiry, rate, &mut v)
    })?;
    Ok(v)
}

/// Black-Scholes-Merton implied volatilities of slices of options (all of
/// one length), each solved as [`implied_volatility`] solves it, bit for bit;
/// one bad option does not stop the others. Returns one result per option:
/// its volatility, or the kind of its error.
///
/// ```
/// use keel::{black_scholes, implied_volatility_batch, ErrorKind, OptionType};
/// let p = black_scholes(OptionType::Call, 100.0, 110.0, 0.5, 0.03, 0.0, 0.3)?.value;
/// let r = implied_volatility_batch(&[OptionType::Call, OptionType::Call], &[p, 500.0],
///                                  &[100.0; 2], &[110.0; 2], &[0.5; 2], &[0.03; 2], &[0.0; 2])?;
/// assert!((r[0].unwrap() - 0.3).abs() < 1e-14);
/// assert_eq!(r[1], Err(ErrorKind::Arbitrage));
/// # Ok::<(), keel::Error>(())
/// ```
pub fn implied_volatility_batch(kinds: &[OptionType], prices: &[f64], spot: &[f64],
                                strike: &[f64], expiry: &[f64], rate: &[f64], dividend: &[f64])
                                -> Result<Vec<std::result::Result<f64, ErrorKind>>> {
    let n = kinds.len();
    let lens = [prices.len(), spot.len(), strike.len(), expiry.len(), rate.len(), dividend.len()];
    if lens.iter().any(|&l| l != n) {
        return Err(Error::binding(ErrorKind::OutOfRange, "slices of different lengths"));
    }
    let types: Vec<sys::keel_option_type> = kinds.iter().map(|k| k.raw()).collect();
    let mut vols = vec![0.0; n];
    let mut status: Vec<sys::keel_status> = vec![0; n];
    // SAFETY: every slice holds n elements, as do the two outputs. The
    // return value repeats the first per-option failure, read from `status`.
    let _ = unsafe {
        sys::keel_implied_volatility_batch(n, types.as_ptr(), prices.as_ptr(), spot.as_ptr(),
                                           strike.as_ptr(), expiry.as_ptr(), rate.as_ptr(),
                                           dividend.as_ptr(), vols.as_mut_ptr(),
                                           status.as_mut_ptr())
    };
    Ok(vols.into_iter().zip(status).map(|(v, s)| {
        if s == sys::KEEL_OK { Ok(v) } else { Err(ErrorKind::from_status(s)) }
    }).collect())
}

/// Black-76 implied volatilities of slices of options (all of one length),
/// each solved as [`implied_volatility_black76`] solves it, bit for bit; one
/// bad option does not stop the others. Returns one result per option: its
/// volatility, or the kind of its error.
///
/// ```
/// use keel::{implied_volatility_black76_batch, ErrorKind, OptionType};
/// // Haug's Black-76 example: put, F 19, K 19, T 0.75, r 0.10, sigma 0.28 -> 1.7011
/// let r = implied_volatility_black76_batch(&[OptionType::Put, OptionType::Put], &[1.7011, 50.0],
///                                          &[19.0; 2], &[19.0; 2], &[0.75; 2], &[0.10; 2])?;
/// assert!((r[0].unwrap() - 0.28).abs() < 1e-4);
/// assert_eq!(r[1], Err(ErrorKind::Arbitrage));
/// # Ok::<(), keel::Error>(())
/// ```
pub fn implied_volatility_black76_batch(kinds: &[OptionType], prices: &[f64], forward: &[f64],
                                        strike: &[f64], expiry: &[f64], rate: &[f64])
                                        -> Result<Vec<std::result::Result<f64, ErrorKind>>> {
    let n = kinds.len();
    let lens = [prices.len(), forward.len(), strike.len(), expiry.len(), rate.len()];
    if lens.iter().any(|&l| l != n) {
        return Err(Error::binding(ErrorKind::OutOfRange, "slices of different lengths"));
    }
    let types: Vec<sys::keel_option_type> = kinds.iter().map(|k| k.raw()).collect();
    let mut vols = vec![0.0; n];
    let mut status: Vec<sys::keel_status> = vec![0; n];
    // SAFETY: every slice holds n elements, as do the two outputs. The
    // return value repeats the first per-option failure, read from `status`.
    let _ = unsafe {
        sys::keel_implied_volatility_black76_batch(n, types.as_ptr(), prices.as_ptr(),
                                                   forward.as_ptr(), strike.as_ptr(),
                                                   expiry.as_ptr(), rate.as_ptr(),
                                                   vols.as_mut_ptr(), status.as_mut_ptr())
    };
    Ok(vols.into_iter().zip(status).map(|(v, s)| {
        if s == sys::KEEL_OK { Ok(v) } else { Err(ErrorKind::from_status(s)) }
    }).collect())
}

/// Prices slices of options (all of one length) into `values` and `deltas`
/// (each `None` to skip) in caller buffers; [`black_scholes_batch_greeks`]
/// returns every greek.
pub fn black_scholes_batch(kinds: &[OptionType], spot: &[f64], strike: &[f64], expiry: &[f64],
                           rate: &[f64], dividend: &[f64], vol: &[f64],
                           values: Option<&mut [f64]>, deltas: Option<&mut [f64]>) -> Result<()> {
    let n = kinds.len();
    let lens = [spot.len(), strike.len(), expiry.len(), rate.len(), dividend.len(), vol.len()];
    let out_lens = [values.as_ref().map_or(n, |v| v.len()), deltas.as_ref().map_or(n, |v| v.len())];
    if lens.iter().chain(out_lens.iter()).any(|&l| l != n) {
        return Err(Error::binding(ErrorKind::OutOfRange, "slices of different lengths"));
    }
    let types: Vec<sys::keel_option_type> = kinds.iter().map(|k| k.raw()).collect();
    let null = ptr::null_mut();
    let mut out = sys::keel_greeks_arrays {
        size: std::mem::size_of::<sys::keel_greeks_arrays>(),
        value: values.map_or(null, |v| v.as_mut_ptr()),
        delta: deltas.map_or(null, |v| v.as_mut_ptr()),
        gamma: null, vega: null, theta: null, rho: null, dividend_rho: null, vanna: null,
        volga: null, charm: null,
    };
    // SAFETY: every slice holds n elements; outputs are n long or null.
    check(unsafe {
        sys::keel_black_scholes_batch(n, types.as_ptr(), spot.as_ptr(), strike.as_ptr(),
                                      expiry.as_ptr(), rate.as_ptr(), dividend.as_ptr(),
                                      vol.as_ptr(), &mut out)
    })
}

/// Value and every greek of a batch, one `Vec` per quantity.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BatchGreeks {
    /// Present values.
    pub value: Vec<f64>,
    /// dV/dS.
    pub delta: Vec<f64>,
    /// d2V/dS2.
    pub gamma: Vec<f64>,
    /// dV/dsigma per 1.00 of volatility.
    pub vega: Vec<f64>,
    /// -dV/dT per year.
    pub theta: Vec<f64>,
    /// dV/dr per 1.00 of rate.
    pub rho: Vec<f64>,
    /// dV/dq per 1.00 of dividend yield.
    pub dividend_rho: Vec<f64>,
    /// d delta / d sigma.
    pub vanna: Vec<f64>,
    /// d2V/dsigma2.
    pub volga: Vec<f64>,
    /// -d delta / dT per year.
    pub charm: Vec<f64>,
}

/// Prices slices of options (all of one length) with every greek.
///
/// ```
/// use keel::OptionType;
/// // Haug's example: call, S 60, K 65, T 0.25, r 0.08, sigma 0.30 -> 2.1334
/// let g = keel::black_scholes_batch_greeks(&[OptionType::Call], &[60.0], &[65.0], &[0.25],
///                                          &[0.08], &[0.0], &[0.30])?;
/// assert!((g.value[0] - 2.1334).abs() < 1e-4 && g.gamma[0] > 0.0 && g.vega[0] > 0.0);
/// # Ok::<(), keel::Error>(())
/// ```
pub fn black_scholes_batch_greeks(kinds: &[OptionType], spot: &[f64], strike: &[f64],
                                  expiry: &[f64], rate: &[f64], dividend: &[f64], vol: &[f64])
                                  -> Result<BatchGreeks> {
    let n = kinds.len();
    let lens = [spot.len(), strike.len(), expiry.len(), rate.len(), dividend.len(), vol.len()];
    if lens.iter().any(|&l| l != n) {
        return Err(Error::binding(ErrorKind::OutOfRange, "slices of different lengths"));
    }
    let z = || vec![0.0; n];
    let mut g = BatchGreeks { value: z(), delta: z(), gamma: z(), vega: z(), theta: z(), rho: z(),
                              dividend_rho: z(), vanna: z(), volga: z(), charm: z() };
    let types: Vec<sys::keel_option_type> = kinds.iter().map(|k| k.raw()).collect();
    let mut out = sys::keel_greeks_arrays {
        size: std::mem::size_of::<sys::keel_greeks_arrays>(),
        value: g.value.as_mut_ptr(), delta: g.delta.as_mut_ptr(), gamma: g.gamma.as_mut_ptr(),
        vega: g.vega.as_mut_ptr(), theta: g.theta.as_mut_ptr(), rho: g.rho.as_mut_ptr(),
        dividend_rho: g.dividend_rho.as_mut_ptr(), vanna: g.vanna.as_mut_ptr(),
        volga: g.volga.as_mut_ptr(), charm: g.charm.as_mut_ptr(),
    };
    // SAFETY: every input slice and output vector holds n elements.
    check(unsafe {
        sys::keel_black_scholes_batch(n, types.as_ptr(), spot.as_ptr(), strike.as_ptr(),
                                      expiry.as_ptr(), rate.as_ptr(), dividend.as_ptr(),
                                      vol.as_ptr(), &mut out)
    })?;
    Ok(g)
}

/// A book of European options on market assets.
///
/// ```
/// use keel::{Market, Options, OptionType};
/// let mut m = Market::new()?;
/// let eth = m.add_asset("ETH", 3000.0)?;
/// m.set_volatility(eth, 0.8)?;
/// let mut book = Options::new()?;
/// book.add(eth, OptionType::Call, 3500.0, 30.0 / 365.0, -10.0)?;
/// assert!(book.value(&m)? < 0.0);
/// assert!(book.scenario_margin(&m)?.margin > 0.0);
/// # Ok::<(), keel::Error>(())
/// ```
pub struct Options {
    raw: *mut sys::keel_options,
}
handle!(Options, sys::keel_options, sys::keel_options_new, sys::keel_options_free, sys::keel_options_clone);

/// Result of a scenario margin computation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MarginResult {
    /// Sum over underlyings of the worst covered loss, in the numeraire (>= 0).
    pub margin: f64,
    /// Net value of the book now.
    pub value: f64,
    /// The underlying whose worst loss is largest (`None` for an empty book).
    pub worst_underlying: Option<AssetId>,
    /// Index of that underlying's worst scenario in the grid.
    pub worst_scenario: usize,
    /// That underlying's worst covered loss.
    pub worst_loss: f64,
}

/// One option position of a book.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OptionPosition {
    /// The position's id, as returned by [`Options::add`].
    pub id: u32,
    /// The underlying asset.
    pub underlying: AssetId,
    /// Call or put.
    pub kind: OptionType,
    /// Strike in the numeraire.
    pub strike: f64,
    /// Years to expiry.
    pub expiry: f64,
    /// Signed quantity (negative: written).
    pub quantity: f64,
    /// Its own volatility, or `None` to use the market's.
    pub volatility: Option<f64>,
}

impl Options {
    /// Adds a position (negative quantity: written); returns its stable id.
    pub fn add(&mut self, underlying: AssetId, kind: OptionType, strike: f64, expiry: f64,
               quantity: f64) -> Result<u32> {
        let mut id = 0;
        // SAFETY: live handle, valid out-pointer.
        check(unsafe { sys::keel_options_add(self.raw, underlying.0, kind.raw(), strike, expiry, quantity, &mut id) })?;
        Ok(id)
    }
    /// Changes a position's quantity.
    pub fn set_quantity(&mut self, id: u32, quantity: f64) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_options_set_quantity(self.raw, id, quantity) })
    }
    /// Changes a position's years to expiry.
    pub fn set_expiry(&mut self, id: u32, expiry: f64) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_options_set_expiry(self.raw, id, expiry) })
    }
    /// Overrides a position's volatility (`None`: the market's again).
    pub fn set_volatility(&mut self, id: u32, volatility: Option<f64>) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe {
            match volatility {
                Some(v) => sys::keel_options_set_volatility(self.raw, id, v),
                None => sys::keel_options_clear_volatility(self.raw, id),
            }
        })
    }
    /// Removes a position.
    pub fn remove(&mut self, id: u32) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_options_remove(self.raw, id) })
    }
    /// The positions, in increasing id.
    pub fn positions(&self) -> Vec<OptionPosition> {
        let mut n = 0;
        // SAFETY: live handle; cannot fail.
        unsafe { sys::keel_options_count(self.raw, &mut n) };
        (0..n)
            .map(|i| {
                let mut p = sys::keel_option_position { size: std::mem::size_of::<sys::keel_option_position>(), ..Default::default() };
                // SAFETY: i < n, p is size-prefixed.
                unsafe { sys::keel_options_position(self.raw, i, &mut p) };
                OptionPosition {
                    id: p.id,
                    underlying: AssetId(p.underlying),
                    kind: OptionType::from_raw(p.type_),
                    strike: p.strike,
                    expiry: p.expiry,
                    quantity: p.quantity,
                    volatility: if p.has_volatility != 0 { Some(p.volatility) } else { None },
                }
            })
            .collect()
    }
    /// Scenario settings: horizon, scan sigmas, volatility scan, and a custom grid (empty: SPAN's sixteen).
    pub fn set_margin_params(&mut self, horizon_days: f64, price_sigmas: f64, vol_scan: f64,
                             scenarios: &[sys::keel_scenario]) -> Result<()> {
        let p = sys::keel_margin_params {
            size: std::mem::size_of::<sys::keel_margin_params>(),
            horizon_days, price_sigmas, vol_scan,
            scenarios: if scenarios.is_empty() { ptr::null() } else { scenarios.as_ptr() },
            scenario_count: scenarios.len(),
        };
        // SAFETY: the grid slice outlives the call (it is copied).
        check(unsafe { sys::keel_options_set_margin_params(self.raw, &p) })
    }
    /// Net value of the book.
    pub fn value(&self, market: &Market) -> Result<f64> {
        let mut v = 0.0;
        // SAFETY: live handles.
        check(unsafe { sys::keel_options_value(self.raw, market.raw, &mut v) })?;
        Ok(v)
    }
    /// Aggregate value and greeks on one underlying.
    pub fn greeks(&self, market: &Market, underlying: AssetId) -> Result<Greeks> {
        let mut g = Greeks { size: std::mem::size_of::<Greeks>(), ..Default::default() };
        // SAFETY: live handles, size-prefixed output.
        check(unsafe { sys::keel_options_greeks(self.raw, market.raw, underlying.0, &mut g) })?;
        Ok(g)
    }
    /// Scenario margin.
    pub fn scenario_margin(&self, market: &Market) -> Result<MarginResult> {
        let mut r = sys::keel_margin_result { size: std::mem::size_of::<sys::keel_margin_result>(),
                                              ..Default::default() };
        // SAFETY: live handles, size-prefixed output.
        check(unsafe { sys::keel_options_scenario_margin(self.raw, market.raw, &mut r) })?;
        Ok(MarginResult { margin: r.margin, value: r.value,
                          worst_underlying: opt_asset(r.worst_underlying),
                          worst_scenario: r.worst_scenario, worst_loss: r.worst_loss })
    }
}

fn book_ptr(options: Option<&Options>) -> *const sys::keel_options {
    options.map_or(ptr::null(), |o| o.raw)
}

impl Basket {
    /// Metrics with an options book.
    pub fn metrics_with(&self, market: &Market, haircuts: &HaircutModel, options: &Options) -> Result<Metrics> {
        let mut m = Metrics { size: std::mem::size_of::<Metrics>(), ..Default::default() };
        // SAFETY: live handles.
        check(unsafe { sys::keel_basket_metrics(self.raw, options.raw, market.raw, haircuts.raw, &mut m) })?;
        Ok(m)
    }
    /// Nearest prices below and above spot where HF crosses 1 (0 / infinity when none).
    pub fn liquidation_prices(&self, market: &Market, haircuts: &HaircutModel, asset: AssetId,
                              options: Option<&Options>) -> Result<(f64, f64)> {
        let (mut lo, mut hi) = (0.0, 0.0);
        // SAFETY: live handles, valid out-pointers.
        check(unsafe {
            sys::keel_basket_liquidation_prices(self.raw, book_ptr(options), market.raw, haircuts.raw,
                                                asset.0, &mut lo, &mut hi)
        })?;
        Ok((lo, hi))
    }
    /// (dHF/dp, d2HF/dp2) with respect to one asset's price.
    pub fn health_sensitivity(&self, market: &Market, haircuts: &HaircutModel, asset: AssetId,
                              options: Option<&Options>) -> Result<(f64, f64)> {
        let (mut a, mut b) = (0.0, 0.0);
        // SAFETY: as above.
        check(unsafe {
            sys::keel_basket_health_sensitivity(self.raw, book_ptr(options), market.raw, haircuts.raw,
                                                asset.0, &mut a, &mut b)
        })?;
        Ok((a, b))
    }
    /// (full revaluation, delta-gamma) P&L for a relative move of one asset.
    pub fn pnl(&self, market: &Market, asset: AssetId, move_: f64, options: Option<&Options>)
               -> Result<(f64, f64)> {
        let (mut a, mut b) = (0.0, 0.0);
        // SAFETY: as above.
        check(unsafe { sys::keel_basket_pnl(self.raw, book_ptr(options), market.raw, asset.0, move_, &mut a, &mut b) })?;
        Ok((a, b))
    }
}

/// What trades cost: fees, spread, gas and price impact per asset.
///
/// ```
/// let mut m = keel::Market::new()?;
/// let eth = m.add_asset("ETH", 2000.0)?;
/// let mut c = keel::CostModel::new()?;
/// c.set_pool(eth, 1000.0, 2e6, 0.003)?;
/// // Uniswap v2: selling 10 ETH pays 2e6 x 9.97 / 1009.97
/// let out = 2e6 * 10.0 * 0.997 / (1000.0 + 10.0 * 0.997);
/// assert!((c.cost(&m, eth, -10.0)?.total - (20000.0 - out)).abs() < 1e-9);
/// # Ok::<(), keel::Error>(())
/// ```
pub struct CostModel {
    raw: *mut sys::keel_cost_model,
}
handle!(CostModel, sys::keel_cost_model, sys::keel_cost_model_new, sys::keel_cost_model_free,
        sys::keel_cost_model_clone);

/// The cost of one trade.
pub type TradeCost = sys::keel_trade_cost;
/// A sale and the purchase made with its proceeds.
pub type SwapResult = sys::keel_swap_result;

impl CostModel {
    /// Proportional fee and half-spread, fractions of notional in [0, 1).
    pub fn set_fee(&mut self, asset: AssetId, fee: f64, half_spread: f64) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_cost_model_set_fee(self.raw, asset.0, fee, half_spread) })
    }
    /// Fixed cost per trade, in the numeraire.
    pub fn set_fixed(&mut self, asset: AssetId, fixed: f64) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_cost_model_set_fixed(self.raw, asset.0, fixed) })
    }
    /// Linear impact k N^2 / depth.
    pub fn set_linear_impact(&mut self, asset: AssetId, k: f64, depth: f64) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_cost_model_set_linear_impact(self.raw, asset.0, k, depth) })
    }
    /// Square-root impact Y sigma_d sqrt(N / V) N.
    pub fn set_sqrt_impact(&mut self, asset: AssetId, y: f64, volume: f64) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_cost_model_set_sqrt_impact(self.raw, asset.0, y, volume) })
    }
    /// Constant-product pool against the numeraire.
    pub fn set_pool(&mut self, asset: AssetId, base_reserve: f64, quote_reserve: f64, fee: f64) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_cost_model_set_pool(self.raw, asset.0, base_reserve, quote_reserve, fee) })
    }
    /// Removes an asset's price impact.
    pub fn clear_impact(&mut self, asset: AssetId) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_cost_model_clear_impact(self.raw, asset.0) })
    }
    /// The asset's impact shape (a `KEEL_IMPACT_*` value).
    pub fn impact(&self, asset: AssetId) -> Result<i32> {
        let mut i = 0;
        // SAFETY: live handle, valid out-pointer.
        check(unsafe { sys::keel_cost_model_impact(self.raw, asset.0, &mut i) })?;
        Ok(i)
    }
    /// Cost of trading `quantity` units (> 0 buy, < 0 sell).
    pub fn cost(&self, market: &Market, asset: AssetId, quantity: f64) -> Result<TradeCost> {
        let mut c = TradeCost { size: std::mem::size_of::<TradeCost>(), ..Default::default() };
        // SAFETY: live handles, size-prefixed output.
        check(unsafe { sys::keel_cost_model_cost(self.raw, market.raw, asset.0, quantity, &mut c) })?;
        Ok(c)
    }
    /// Sells `quantity` of `from` and buys `to` with the net proceeds.
    pub fn swap(&self, market: &Market, from: AssetId, to: AssetId, quantity: f64) -> Result<SwapResult> {
        let mut r = SwapResult { size: std::mem::size_of::<SwapResult>(), ..Default::default() };
        // SAFETY: live handles, size-prefixed output.
        check(unsafe { sys::keel_cost_model_swap(self.raw, market.raw, from.0, to.0, quantity, &mut r) })?;
        Ok(r)
    }
}

/// What an action does (`keel_action_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionKind {
    /// Repay debt with collateral held in the same asset (no trade, no cost).
    RepayWithCollateral,
    /// Sell collateral, buy the debt asset with the proceeds, repay.
    SellToRepay,
    /// Deposit units from the wallet as collateral.
    Deposit,
    /// Withdraw collateral to the wallet.
    Withdraw,
    /// Borrow the debt asset and buy collateral with it.
    BorrowToBuy,
    /// Sell one collateral asset and buy another.
    Swap,
    /// A delta-hedge trade of the underlying.
    Hedge,
    /// Repay debt with units of the debt asset from the wallet.
    RepayFromWallet,
    /// A kind this crate does not know (a newer library).
    Unknown(i32),
}

impl ActionKind {
    fn from_raw(t: sys::keel_action_type) -> ActionKind {
        match t {
            sys::KEEL_ACTION_REPAY_WITH_COLLATERAL => ActionKind::RepayWithCollateral,
            sys::KEEL_ACTION_SELL_TO_REPAY => ActionKind::SellToRepay,
            sys::KEEL_ACTION_DEPOSIT => ActionKind::Deposit,
            sys::KEEL_ACTION_WITHDRAW => ActionKind::Withdraw,
            sys::KEEL_ACTION_BORROW_TO_BUY => ActionKind::BorrowToBuy,
            sys::KEEL_ACTION_SWAP => ActionKind::Swap,
            sys::KEEL_ACTION_HEDGE => ActionKind::Hedge,
            sys::KEEL_ACTION_REPAY_FROM_WALLET => ActionKind::RepayFromWallet,
            other => ActionKind::Unknown(other),
        }
    }
}

/// One action of a plan, as four changes to the basket, each skipped when
/// its amount is 0: collateral `asset` falls by `quantity`, debt
/// `debt_asset` falls by `repaid` and rises by `borrowed`, collateral
/// `to_asset` rises by `received`. Quantities are in units of their asset;
/// `cost` is the numeraire lost to fees, spread, impact and fixed costs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Action {
    /// What it does.
    pub kind: ActionKind,
    /// The collateral asset given up, if any.
    pub asset: Option<AssetId>,
    /// Units of `asset` taken from the collateral.
    pub quantity: f64,
    /// The debt asset repaid or borrowed, if any.
    pub debt_asset: Option<AssetId>,
    /// Units of `debt_asset` repaid.
    pub repaid: f64,
    /// Numeraire lost to trading costs.
    pub cost: f64,
    /// The collateral asset gained, if any.
    pub to_asset: Option<AssetId>,
    /// Units of `to_asset` added to the collateral.
    pub received: f64,
    /// Units of `debt_asset` borrowed.
    pub borrowed: f64,
}

impl From<sys::keel_action> for Action {
    fn from(a: sys::keel_action) -> Action {
        Action {
            kind: ActionKind::from_raw(a.type_),
            asset: opt_asset(a.asset),
            quantity: a.quantity,
            debt_asset: opt_asset(a.debt_asset),
            repaid: a.repaid,
            cost: a.cost,
            to_asset: opt_asset(a.to_asset),
            received: a.received,
            borrowed: a.borrowed,
        }
    }
}

/// A list of actions with their cost and the metrics before and after; frees on `Drop`.
pub struct Plan {
    raw: *mut sys::keel_plan,
}

impl Drop for Plan {
    fn drop(&mut self) {
        // SAFETY: raw came from keel_deleverage and is freed once.
        unsafe { sys::keel_plan_free(self.raw) }
    }
}

// SAFETY: a plan has no thread affinity; reads take a const plan.
unsafe impl Send for Plan {}
unsafe impl Sync for Plan {}

impl Plan {
    /// The actions, in order.
    pub fn actions(&self) -> Vec<Action> {
        let mut n = 0;
        // SAFETY: live plan; cannot fail.
        unsafe { sys::keel_plan_action_count(self.raw, &mut n) };
        (0..n)
            .map(|i| {
                let mut a = sys::keel_action { size: std::mem::size_of::<sys::keel_action>(),
                                               ..Default::default() };
                // SAFETY: i < n; a is size-prefixed.
                unsafe { sys::keel_plan_action(self.raw, i, &mut a) };
                Action::from(a)
            })
            .collect()
    }
    /// Total cost, and the metrics before and after.
    pub fn summary(&self) -> (f64, Metrics, Metrics) {
        let mut cost = 0.0;
        let mut before = Metrics { size: std::mem::size_of::<Metrics>(), ..Default::default() };
        let mut after = before;
        // SAFETY: live plan, size-prefixed outputs.
        unsafe { sys::keel_plan_summary(self.raw, &mut cost, &mut before, &mut after) };
        (cost, before, after)
    }
    /// Applies the plan to the basket it was made for, all or nothing.
    pub fn apply(&mut self, basket: &mut Basket) -> Result<()> {
        // SAFETY: live handles.
        check(unsafe { sys::keel_plan_apply(self.raw, basket.raw) })
    }
}

/// The cheapest sales of collateral that bring the health factor to `target`,
/// repaying `repay_asset`; `Err` with `ErrorKind::Infeasible` and the best
/// reachable health factor in `Error::best_health` when they cannot.
///
/// ```
/// use keel::{Basket, CostModel, HaircutModel, Market};
/// let mut m = Market::new()?;
/// let eth = m.add_asset("ETH", 2000.0)?;
/// let usdc = m.add_asset("USDC", 1.0)?;
/// let mut h = HaircutModel::new()?;
/// h.set_asset(eth, 0.195, 0.17)?;
/// let mut c = CostModel::new()?;
/// c.set_fee(eth, 0.001, 0.0)?;
/// let mut b = Basket::new()?;
/// b.set_collateral(eth, 10.0)?;
/// b.set_debt(usdc, 15000.0)?;
/// let mut plan = keel::deleverage(&m, &b, &h, &c, None, 1.5, usdc, 0.0)?;
/// // 1660 (10 - x) = 1.5 (15000 - 1998 x)  ->  x = 5900 / 1337
/// assert!((plan.actions()[0].quantity - 5900.0 / 1337.0).abs() < 1e-9);
/// plan.apply(&mut b)?;
/// assert!((b.metrics(&m, &h)?.health_factor - 1.5).abs() < 1e-9);
/// # Ok::<(), keel::Error>(())
/// ```
#[allow(clippy::too_many_arguments)]
pub fn deleverage(market: &Market, basket: &Basket, haircuts: &HaircutModel, costs: &CostModel,
                  options: Option<&Options>, target: f64, repay_asset: AssetId,
                  max_trade_value: f64) -> Result<Plan> {
    let settings = Deleverage { target, repay_asset: Some(repay_asset), max_trade_value,
                                ..Default::default() };
    deleverage_with(market, basket, haircuts, costs, options, &settings)
}

/// Settings of [`deleverage_with`]: set exactly one of `repay_asset` and
/// `swap_to`, or neither with a wallet (deposits only).
#[derive(Clone, Copy)]
pub struct Deleverage<'a> {
    /// The health factor to reach, > 1 (default: the C library's,
    /// `keel_deleverage_params_init`).
    pub target: f64,
    /// The debt asset repaid with the proceeds of sales.
    pub repay_asset: Option<AssetId>,
    /// Without a repay asset: the safer collateral risky collateral is swapped into.
    pub swap_to: Option<AssetId>,
    /// Largest sale per asset in the numeraire; 0 for no limit.
    pub max_trade_value: f64,
    /// Units that may be deposited (and, in the repay asset, repay directly).
    pub wallet: Option<&'a Basket>,
}

impl Default for Deleverage<'_> {
    /// The C library's defaults (`keel_deleverage_params_init`): no asset, no wallet.
    fn default() -> Self {
        let c = sys::keel_deleverage_params::default();
        Deleverage { target: c.target_health, repay_asset: opt_asset(c.repay_asset),
                     swap_to: opt_asset(c.swap_to), max_trade_value: c.max_trade_value,
                     wallet: None }
    }
}

/// The least-cost deleverage with every setting: sales to repay or swaps into
/// safer collateral, and deposits from a wallet.
///
/// ```
/// use keel::{Basket, CostModel, Deleverage, HaircutModel, Market};
/// let mut m = Market::new()?;
/// let eth = m.add_asset("ETH", 1800.0)?;
/// let usdc = m.add_asset("USDC", 1.0)?;
/// let mut h = HaircutModel::new()?;
/// h.set_asset(eth, 0.25, 0.2)?;
/// let mut b = Basket::new()?;
/// b.set_collateral(eth, 10.0)?;
/// b.set_debt(usdc, 12000.0)?;
/// let mut wallet = Basket::new()?;
/// wallet.set_collateral(eth, 5.0)?;
/// let c = CostModel::new()?;
/// let settings = Deleverage { wallet: Some(&wallet), ..Default::default() };
/// let plan = keel::deleverage_with(&m, &b, &h, &c, None, &settings)?;
/// // deposits only: 1440 (10 + y) = 1.5 x 12000  ->  y = 2.5
/// assert!((plan.actions()[0].received - 2.5).abs() < 1e-9);
/// # Ok::<(), keel::Error>(())
/// ```
pub fn deleverage_with(market: &Market, basket: &Basket, haircuts: &HaircutModel,
                       costs: &CostModel, options: Option<&Options>,
                       settings: &Deleverage<'_>) -> Result<Plan> {
    let p = sys::keel_deleverage_params {
        target_health: settings.target,
        repay_asset: raw_or_invalid(settings.repay_asset),
        swap_to: raw_or_invalid(settings.swap_to),
        max_trade_value: settings.max_trade_value,
        wallet: settings.wallet.map_or(ptr::null(), |w| w.raw as *const _),
        ..Default::default()
    };
    let mut raw = ptr::null_mut();
    let mut best = f64::NAN;
    // SAFETY: live handles, valid out-pointers.
    check(unsafe {
        sys::keel_deleverage(basket.raw, book_ptr(options), market.raw, haircuts.raw, costs.raw, &p,
                             &mut raw, &mut best)
    })
    .map_err(|mut e| {
        if e.kind == ErrorKind::Infeasible {
            e.best_health = Some(best);
        }
        e
    })?;
    Ok(Plan { raw })
}

/// Settings of a health band (C `keel_health_band_params`, whose header
/// documents each rule); `Default` is the C library's
/// (`keel_health_band_params_init`): repay only, no assets set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HealthBand {
    /// Repay trigger: a health factor > 1.
    pub repay_below: f64,
    /// Repay target: > `repay_below`.
    pub repay_to: f64,
    /// Boost trigger: > `boost_to`; infinity never boosts.
    pub boost_above: f64,
    /// Boost target: >= `repay_to`.
    pub boost_to: f64,
    /// `KEEL_ALLOW_*` bits; at least one.
    pub allowed: u32,
    /// Repaid and borrowed; needed to repay and to boost.
    pub debt_asset: Option<AssetId>,
    /// Bought when boosting.
    pub boost_asset: Option<AssetId>,
    /// Withdrawn when in excess.
    pub withdraw_asset: Option<AssetId>,
    /// Safer collateral risky collateral is swapped into.
    pub swap_to: Option<AssetId>,
    /// Largest trade per asset in the numeraire; 0 for no limit.
    pub max_trade_value: f64,
}

impl From<sys::keel_health_band_params> for HealthBand {
    fn from(c: sys::keel_health_band_params) -> HealthBand {
        HealthBand {
            repay_below: c.repay_below, repay_to: c.repay_to, boost_above: c.boost_above,
            boost_to: c.boost_to, allowed: c.allowed, debt_asset: opt_asset(c.debt_asset),
            boost_asset: opt_asset(c.boost_asset), withdraw_asset: opt_asset(c.withdraw_asset),
            swap_to: opt_asset(c.swap_to), max_trade_value: c.max_trade_value,
        }
    }
}

impl From<HealthBand> for sys::keel_health_band_params {
    fn from(h: HealthBand) -> sys::keel_health_band_params {
        sys::keel_health_band_params {
            repay_below: h.repay_below, repay_to: h.repay_to, boost_above: h.boost_above,
            boost_to: h.boost_to, allowed: h.allowed, debt_asset: raw_or_invalid(h.debt_asset),
            boost_asset: raw_or_invalid(h.boost_asset),
            withdraw_asset: raw_or_invalid(h.withdraw_asset), swap_to: raw_or_invalid(h.swap_to),
            max_trade_value: h.max_trade_value, ..Default::default()
        }
    }
}

impl Default for HealthBand {
    fn default() -> Self {
        sys::keel_health_band_params::default().into()
    }
}

/// Settings of a leverage band (C `keel_leverage_band_params`); `Default` is
/// the C library's (`keel_leverage_band_params_init`), assets unset: set both.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeverageBand {
    /// Target leverage C / (C - D), >= 1.
    pub target: f64,
    /// Lower edge: 1 <= min <= target.
    pub min: f64,
    /// Upper edge: >= target.
    pub max: f64,
    /// Recentering speed in (0, 1].
    pub speed: f64,
    /// Largest trade per rebalance in the numeraire; 0 for no limit.
    pub max_trade_value: f64,
    /// Leverage that triggers an immediate deleverage to `max`; infinity for none.
    pub ripcord: f64,
    /// Largest trade when the ripcord is pulled; 0 for no limit.
    pub ripcord_max_trade_value: f64,
    /// The collateral asset traded.
    pub asset: Option<AssetId>,
    /// The debt asset repaid or borrowed.
    pub debt_asset: Option<AssetId>,
}

impl From<sys::keel_leverage_band_params> for LeverageBand {
    fn from(c: sys::keel_leverage_band_params) -> LeverageBand {
        LeverageBand {
            target: c.target, min: c.min, max: c.max, speed: c.speed,
            max_trade_value: c.max_trade_value, ripcord: c.ripcord,
            ripcord_max_trade_value: c.ripcord_max_trade_value, asset: opt_asset(c.asset),
            debt_asset: opt_asset(c.debt_asset),
        }
    }
}

impl From<LeverageBand> for sys::keel_leverage_band_params {
    fn from(l: LeverageBand) -> sys::keel_leverage_band_params {
        sys::keel_leverage_band_params {
            target: l.target, min: l.min, max: l.max, speed: l.speed,
            max_trade_value: l.max_trade_value, ripcord: l.ripcord,
            ripcord_max_trade_value: l.ripcord_max_trade_value, asset: raw_or_invalid(l.asset),
            debt_asset: raw_or_invalid(l.debt_asset), ..Default::default()
        }
    }
}

impl Default for LeverageBand {
    fn default() -> Self {
        sys::keel_leverage_band_params::default().into()
    }
}

/// Settings of a predictive policy (C `keel_predictive_params`); `Default`
/// is the C library's (`keel_predictive_params_init`): set one of
/// `repay_asset` and `swap_to`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Predictive {
    /// Years, > 0.
    pub horizon: f64,
    /// The largest tolerated probability of liquidation within the horizon, in (0, 1).
    pub max_probability: f64,
    /// The debt asset to repay.
    pub repay_asset: Option<AssetId>,
    /// Without a repay asset: the safer collateral to swap into.
    pub swap_to: Option<AssetId>,
    /// Largest sale per asset in the numeraire; 0 for no limit.
    pub max_trade_value: f64,
}

impl From<sys::keel_predictive_params> for Predictive {
    fn from(c: sys::keel_predictive_params) -> Predictive {
        Predictive {
            horizon: c.horizon, max_probability: c.max_probability,
            repay_asset: opt_asset(c.repay_asset), swap_to: opt_asset(c.swap_to),
            max_trade_value: c.max_trade_value,
        }
    }
}

impl From<Predictive> for sys::keel_predictive_params {
    fn from(p: Predictive) -> sys::keel_predictive_params {
        sys::keel_predictive_params {
            horizon: p.horizon, max_probability: p.max_probability,
            repay_asset: raw_or_invalid(p.repay_asset), swap_to: raw_or_invalid(p.swap_to),
            max_trade_value: p.max_trade_value, ..Default::default()
        }
    }
}

impl Default for Predictive {
    fn default() -> Self {
        sys::keel_predictive_params::default().into()
    }
}
pub use sys::{KEEL_ALLOW_BOOST, KEEL_ALLOW_DEPOSIT, KEEL_ALLOW_REPAY, KEEL_ALLOW_SWAP,
              KEEL_ALLOW_WITHDRAW};

/// What a policy does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// [`Policy::health_band`].
    HealthBand,
    /// [`Policy::leverage_band`].
    LeverageBand,
    /// [`Policy::target_weights`].
    TargetWeights,
    /// [`Policy::delta_hedge`].
    DeltaHedge,
    /// [`Policy::predictive`].
    Predictive,
    /// [`Policy::compose`].
    Composite,
}

/// A rebalancing policy: when to act and toward what; frees on `Drop`.
///
/// *Experimental* (C: `KEEL_EXPERIMENTAL`, docs/abi.md): may change in a minor release.
///
/// ```
/// use keel::{Basket, CostModel, HaircutModel, HealthBand, Market, Policy};
/// let mut m = Market::new()?;
/// let eth = m.add_asset("ETH", 1800.0)?;
/// let usdc = m.add_asset("USDC", 1.0)?;
/// let mut h = HaircutModel::new()?;
/// h.set_asset(eth, 0.25, 0.2)?;
/// let mut b = Basket::new()?;
/// b.set_collateral(eth, 10.0)?;
/// b.set_debt(usdc, 12000.0)?; // HF 1.2
/// let band = Policy::health_band(&HealthBand { debt_asset: Some(usdc), ..Default::default() })?;
/// let mut plan = band.plan(&m, &b, &h, &CostModel::new()?, None, None)?;
/// plan.apply(&mut b)?;
/// // 1440 (10 - x) = 1.5 (12000 - 1800 x)  ->  x = 20 / 7
/// assert!((b.collateral(eth) - (10.0 - 20.0 / 7.0)).abs() < 1e-9);
/// # Ok::<(), keel::Error>(())
/// ```
pub struct Policy {
    raw: *mut sys::keel_policy,
}

impl Drop for Policy {
    fn drop(&mut self) {
        // SAFETY: raw came from a constructor and is freed once.
        unsafe { sys::keel_policy_free(self.raw) }
    }
}

// SAFETY: a policy is never changed after it is made; planning takes a const policy.
unsafe impl Send for Policy {}
unsafe impl Sync for Policy {}

impl Clone for Policy {
    /// A deep copy. Panics only if the allocator fails.
    fn clone(&self) -> Self {
        let mut p = ptr::null_mut();
        // SAFETY: live handle, valid out-pointer.
        check(unsafe { sys::keel_policy_clone(self.raw, &mut p) })
            .expect("keel: out of memory while cloning");
        Policy { raw: p }
    }
}

fn made(status: sys::keel_status, raw: *mut sys::keel_policy) -> Result<Policy> {
    check(status)?;
    Ok(Policy { raw })
}

impl Policy {
    /// Repay below a trigger back to a target; boost (or withdraw) above another.
    pub fn health_band(params: &HealthBand) -> Result<Policy> {
        let p = sys::keel_health_band_params::from(*params);
        let mut raw = ptr::null_mut();
        // SAFETY: p is size-prefixed; raw is a valid out-pointer.
        made(unsafe { sys::keel_policy_health_band(&p, &mut raw) }, raw)
    }
    /// A target leverage with a band, a recentering speed and a ripcord.
    pub fn leverage_band(params: &LeverageBand) -> Result<Policy> {
        let p = sys::keel_leverage_band_params::from(*params);
        let mut raw = ptr::null_mut();
        // SAFETY: as above.
        made(unsafe { sys::keel_policy_leverage_band(&p, &mut raw) }, raw)
    }
    /// Collateral weights by value with a tolerance band (the slices are copied).
    pub fn target_weights(assets: &[AssetId], weights: &[f64], band: f64) -> Result<Policy> {
        if assets.len() != weights.len() {
            return Err(Error::binding(ErrorKind::OutOfRange,
                                      format!("{} assets but {} weights", assets.len(), weights.len())));
        }
        let p = sys::keel_target_weights_params {
            size: std::mem::size_of::<sys::keel_target_weights_params>(),
            count: assets.len(),
            assets: assets.as_ptr().cast(),
            weights: weights.as_ptr(),
            band,
        };
        let mut raw = ptr::null_mut();
        // SAFETY: the slices outlive the call, which copies them.
        made(unsafe { sys::keel_policy_target_weights(&p, &mut raw) }, raw)
    }
    /// Delta hedging inside the Whalley-Wilmott band, paid in `funding_asset`.
    pub fn delta_hedge(risk_aversion: f64, funding_asset: AssetId) -> Result<Policy> {
        let p = sys::keel_delta_hedge_params {
            size: std::mem::size_of::<sys::keel_delta_hedge_params>(),
            risk_aversion,
            funding_asset: funding_asset.0,
        };
        let mut raw = ptr::null_mut();
        // SAFETY: as above.
        made(unsafe { sys::keel_policy_delta_hedge(&p, &mut raw) }, raw)
    }
    /// Deleverage only when the probability of liquidation within the horizon exceeds a limit.
    pub fn predictive(params: &Predictive) -> Result<Policy> {
        let p = sys::keel_predictive_params::from(*params);
        let mut raw = ptr::null_mut();
        // SAFETY: as above.
        made(unsafe { sys::keel_policy_predictive(&p, &mut raw) }, raw)
    }
    /// The policies run in order, each on the account the previous plans leave.
    pub fn compose(policies: &[&Policy]) -> Result<Policy> {
        let raws: Vec<*const sys::keel_policy> = policies.iter().map(|p| p.raw as *const _).collect();
        let mut raw = ptr::null_mut();
        // SAFETY: every pointer is a live policy; the call copies them.
        made(unsafe { sys::keel_policy_compose(raws.as_ptr(), raws.len(), &mut raw) }, raw)
    }
    /// What kind of policy this is.
    pub fn kind(&self) -> PolicyKind {
        let mut k = 0;
        // SAFETY: live handle; cannot fail.
        unsafe { sys::keel_policy_kind_of(self.raw, &mut k) };
        match k {
            sys::KEEL_POLICY_HEALTH_BAND => PolicyKind::HealthBand,
            sys::KEEL_POLICY_LEVERAGE_BAND => PolicyKind::LeverageBand,
            sys::KEEL_POLICY_TARGET_WEIGHTS => PolicyKind::TargetWeights,
            sys::KEEL_POLICY_DELTA_HEDGE => PolicyKind::DeltaHedge,
            sys::KEEL_POLICY_PREDICTIVE => PolicyKind::Predictive,
            _ => PolicyKind::Composite,
        }
    }
    /// What to do now: a plan, empty when the policy would not act.
    pub fn plan(&self, market: &Market, basket: &Basket, haircuts: &HaircutModel,
                costs: &CostModel, options: Option<&Options>, wallet: Option<&Basket>)
                -> Result<Plan> {
        let mut raw = ptr::null_mut();
        let w = wallet.map_or(ptr::null(), |w| w.raw as *const _);
        // SAFETY: live handles, valid out-pointer.
        check(unsafe {
            sys::keel_policy_plan(self.raw, basket.raw, book_ptr(options), market.raw,
                                  haircuts.raw, costs.raw, w, &mut raw)
        })?;
        Ok(Plan { raw })
    }
}

/// Half-width of the Whalley-Wilmott no-trade band around the delta hedge.
///
/// *Experimental* (C: `KEEL_EXPERIMENTAL`, docs/abi.md): may change in a minor release.
///
/// ```
/// let h = keel::hedge_band(0.002, 2000.0, 0.001, 0.01, 1.0)?;
/// assert!((h - 0.0012f64.cbrt()).abs() < 1e-15);
/// # Ok::<(), keel::Error>(())
/// ```
pub fn hedge_band(gamma: f64, spot: f64, cost: f64, risk_aversion: f64, discount: f64) -> Result<f64> {
    let mut h = 0.0;
    // SAFETY: valid out-pointer.
    check(unsafe { sys::keel_hedge_band(gamma, spot, cost, risk_aversion, discount, &mut h) })?;
    Ok(h)
}

/// What [`optimize_collateral`] optimises.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CollateralGoal {
    /// The most borrowing power whose value-at-risk is at most this.
    MaxBorrowing { max_var: f64 },
    /// The least value-at-risk whose borrowing power is at least this.
    MinRisk { min_borrowing: f64 },
}

/// The mix of collateral to post (values in the order of `assets`), its
/// borrowing power and value-at-risk, at the C library's default confidence
/// and horizon (`keel_collateral_params_init`).
///
/// *Experimental* (C: `KEEL_EXPERIMENTAL`, docs/abi.md): may change in a minor release.
///
/// ```
/// use keel::{CollateralGoal, HaircutModel, Market};
/// let mut m = Market::new()?;
/// let eth = m.add_asset("ETH", 2000.0)?;
/// let usdc = m.add_asset("USDC", 1.0)?;
/// m.set_volatility(eth, 0.8)?;
/// let mut h = HaircutModel::new()?;
/// h.set_asset(eth, 0.25, 0.2)?;
/// h.set_asset(usdc, 0.5, 0.4)?;
/// let (v, r) = keel::optimize_collateral(&m, &h, &[eth, usdc], None, 1.0,
///                                        CollateralGoal::MinRisk { min_borrowing: 0.6 })?;
/// // 0.75 a + 0.5 (1 - a) = 0.6  ->  a = 0.4 of ETH, the least risk that lends 0.6
/// assert!((v[0] - 0.4).abs() < 1e-9 && (r.borrowing_power - 0.6).abs() < 1e-12);
/// # Ok::<(), keel::Error>(())
/// ```
pub fn optimize_collateral(market: &Market, haircuts: &HaircutModel, assets: &[AssetId],
                           caps: Option<&[f64]>, total_value: f64, goal: CollateralGoal)
                           -> Result<(Vec<f64>, sys::keel_collateral_result)> {
    if let Some(c) = caps {
        if c.len() != assets.len() {
            return Err(Error::binding(ErrorKind::OutOfRange, "caps and assets differ in length"));
        }
    }
    let mut p = sys::keel_collateral_params { total_value, ..Default::default() };
    match goal {
        CollateralGoal::MaxBorrowing { max_var } => {
            p.goal = sys::KEEL_MAX_BORROWING;
            p.max_var = max_var;
        }
        CollateralGoal::MinRisk { min_borrowing } => {
            p.goal = sys::KEEL_MIN_RISK;
            p.min_borrowing = min_borrowing;
        }
    }
    let mut out = vec![0.0; assets.len()];
    let mut r = sys::keel_collateral_result { size: std::mem::size_of::<sys::keel_collateral_result>(),
                                              ..Default::default() };
    // SAFETY: live handles; the slices hold `assets.len()` elements.
    check(unsafe {
        sys::keel_optimize_collateral(market.raw, haircuts.raw, assets.len(), assets.as_ptr().cast(),
                                      caps.map_or(ptr::null(), |c| c.as_ptr()), &p,
                                      out.as_mut_ptr(), &mut r)
    })?;
    Ok((out, r))
}

/// Probability that the health factor falls below 1 within `horizon` years.
pub fn liquidation_probability(market: &Market, basket: &Basket, haircuts: &HaircutModel,
                               options: Option<&Options>, horizon: f64) -> Result<f64> {
    let mut p = 0.0;
    // SAFETY: live handles, valid out-pointer.
    check(unsafe {
        sys::keel_liquidation_probability(basket.raw, book_ptr(options), market.raw, haircuts.raw,
                                          horizon, &mut p)
    })?;
    Ok(p)
}

/// One asset's holding in a basket, in units of the asset.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Position {
    /// The asset.
    pub asset: AssetId,
    /// Units held as collateral.
    pub collateral: f64,
    /// Units owed.
    pub debt: f64,
}

/// An account's metrics; see `include/keel/risk.h` for each definition.
pub type Metrics = sys::keel_metrics;

/// Which way a price must move for the account to become liquidatable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LiquidationSide {
    /// No positive price of the asset liquidates the account.
    Never,
    /// Liquidatable below the returned price.
    Below,
    /// Liquidatable above the returned price.
    Above,
    /// Liquidatable at every positive price.
    Always,
}

/// A liquidation price and its side (price 0 for `Never` and `Always`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LiquidationPrice {
    /// The price at which HF = 1.
    pub price: f64,
    /// Which side of it liquidates.
    pub side: LiquidationSide,
}

/// Collateral and debt quantities per asset.
pub struct Basket {
    raw: *mut sys::keel_basket,
}
handle!(Basket, sys::keel_basket, sys::keel_basket_new, sys::keel_basket_free, sys::keel_basket_clone);

impl Basket {
    /// Sets collateral (>= 0; 0 removes).
    pub fn set_collateral(&mut self, asset: AssetId, quantity: f64) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_basket_set_collateral(self.raw, asset.0, quantity) })
    }

    /// Sets debt (>= 0; 0 removes).
    pub fn set_debt(&mut self, asset: AssetId, quantity: f64) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_basket_set_debt(self.raw, asset.0, quantity) })
    }

    /// Deposits (delta > 0) or withdraws (delta < 0) collateral.
    pub fn add_collateral(&mut self, asset: AssetId, delta: f64) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_basket_add_collateral(self.raw, asset.0, delta) })
    }

    /// Borrows (delta > 0) or repays (delta < 0).
    pub fn add_debt(&mut self, asset: AssetId, delta: f64) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_basket_add_debt(self.raw, asset.0, delta) })
    }

    /// Collateral quantity (0 when not held).
    pub fn collateral(&self, asset: AssetId) -> f64 {
        let mut q = 0.0;
        // SAFETY: live handle; cannot fail.
        unsafe { sys::keel_basket_collateral(self.raw, asset.0, &mut q) };
        q
    }

    /// Debt quantity (0 when not owed).
    pub fn debt(&self, asset: AssetId) -> f64 {
        let mut q = 0.0;
        // SAFETY: live handle; cannot fail.
        unsafe { sys::keel_basket_debt(self.raw, asset.0, &mut q) };
        q
    }

    /// Every position in increasing asset id.
    pub fn positions(&self) -> Vec<Position> {
        let mut n = 0;
        // SAFETY: capacity 0 with a null buffer only reports the count.
        unsafe { sys::keel_basket_positions(self.raw, ptr::null_mut(), 0, &mut n) };
        let mut v = vec![sys::keel_position { asset: 0, collateral: 0.0, debt: 0.0 }; n];
        // SAFETY: v holds n elements.
        unsafe { sys::keel_basket_positions(self.raw, v.as_mut_ptr(), n, &mut n) };
        v.truncate(n);
        v.into_iter()
            .map(|p| Position { asset: AssetId(p.asset), collateral: p.collateral, debt: p.debt })
            .collect()
    }

    /// Removes every position.
    pub fn clear(&mut self) {
        // SAFETY: live handle; cannot fail.
        unsafe { sys::keel_basket_clear(self.raw) };
    }

    /// The account's metrics in a market under a haircut model.
    pub fn metrics(&self, market: &Market, haircuts: &HaircutModel) -> Result<Metrics> {
        let mut m = Metrics { size: std::mem::size_of::<Metrics>(), ..Default::default() };
        // SAFETY: all handles live; m.size is set.
        check(unsafe {
            sys::keel_basket_metrics(self.raw, ptr::null(), market.raw, haircuts.raw, &mut m)
        })?;
        Ok(m)
    }

    /// Price of `asset` at which the health factor is 1, all else fixed.
    pub fn liquidation_price(&self, market: &Market, haircuts: &HaircutModel, asset: AssetId)
                             -> Result<LiquidationPrice> {
        self.liquidation_price_with(market, haircuts, asset, None)
    }

    /// [`Basket::liquidation_price`] with an options book valued into the
    /// health factor (`keel_basket_liquidation_price` with its `options`): the
    /// crossing nearest spot, with the guarantee include/keel/risk.h states.
    pub fn liquidation_price_with(&self, market: &Market, haircuts: &HaircutModel, asset: AssetId,
                                  options: Option<&Options>) -> Result<LiquidationPrice> {
        let (mut price, mut side) = (0.0, 0);
        // SAFETY: all handles live; valid out-pointers.
        check(unsafe {
            sys::keel_basket_liquidation_price(self.raw, book_ptr(options), market.raw, haircuts.raw,
                                               asset.0, &mut price, &mut side)
        })?;
        let side = match side {
            sys::KEEL_LIQ_BELOW => LiquidationSide::Below,
            sys::KEEL_LIQ_ABOVE => LiquidationSide::Above,
            sys::KEEL_LIQ_ALWAYS => LiquidationSide::Always,
            _ => LiquidationSide::Never,
        };
        Ok(LiquidationPrice { price, side })
    }
}

impl fmt::Debug for Basket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.positions()).finish()
    }
}

/// Accounts in compressed sparse rows, borrowed from the caller (no copy):
/// account `i` holds positions `offsets[i] .. offsets[i + 1]` of the other
/// slices, assets strictly increasing within an account.
#[derive(Debug, Clone, Copy)]
pub struct Accounts<'a> {
    /// `count + 1` non-decreasing offsets.
    pub offsets: &'a [usize],
    /// Asset ids (`AssetId::slice_from_raw` views a `u32` array as these).
    pub assets: &'a [AssetId],
    /// Units of collateral.
    pub collateral: &'a [f64],
    /// Units of debt.
    pub debt: &'a [f64],
}

impl Accounts<'_> {
    fn count(&self) -> Result<usize> {
        let n = self.offsets.len().checked_sub(1).ok_or_else(|| {
            Error::binding(ErrorKind::OutOfRange, "offsets must hold count + 1 entries")
        })?;
        let positions = self.offsets.iter().copied().max().unwrap_or(0);
        if self.assets.len() < positions || self.collateral.len() < positions || self.debt.len() < positions {
            return Err(Error::binding(ErrorKind::OutOfRange,
                                      format!("the offsets reach {positions}, past the position slices")));
        }
        Ok(n)
    }
}

/// Every account's health factor.
///
/// ```
/// use keel::{Accounts, HaircutModel, Market};
/// let mut m = Market::new()?;
/// let eth = m.add_asset("ETH", 2000.0)?;
/// let usdc = m.add_asset("USDC", 1.0)?;
/// let mut h = HaircutModel::new()?;
/// h.set_asset(eth, 0.25, 0.2)?;
/// let acc = Accounts { offsets: &[0, 2, 3], assets: &[eth, usdc, eth],
///                      collateral: &[10.0, 0.0, 1.0], debt: &[0.0, 12000.0, 0.0] };
/// let hf = keel::scan(&m, &h, &acc)?;
/// assert!((hf[0] - 16000.0 / 12000.0).abs() < 1e-15 && hf[1].is_infinite());
/// # Ok::<(), keel::Error>(())
/// ```
pub fn scan(market: &Market, haircuts: &HaircutModel, accounts: &Accounts<'_>) -> Result<Vec<f64>> {
    let n = accounts.count()?;
    let mut out = vec![0.0; n];
    // SAFETY: the slices hold what the offsets reach (checked above).
    check(unsafe {
        sys::keel_scan(market.raw, haircuts.raw, n, accounts.offsets.as_ptr(), accounts.assets.as_ptr().cast(),
                       accounts.collateral.as_ptr(), accounts.debt.as_ptr(), out.as_mut_ptr())
    })?;
    Ok(out)
}

/// The `k` accounts closest to liquidation, as (index, health factor), increasing.
pub fn scan_top_k(market: &Market, haircuts: &HaircutModel, accounts: &Accounts<'_>, k: usize)
                  -> Result<Vec<(usize, f64)>> {
    let n = accounts.count()?;
    let keep = k.min(n).max(1);
    let (mut idx, mut hf, mut found) = (vec![0usize; keep], vec![0.0; keep], 0usize);
    // SAFETY: as in scan; the outputs hold min(k, n) entries.
    check(unsafe {
        sys::keel_scan_top_k(market.raw, haircuts.raw, n, accounts.offsets.as_ptr(),
                             accounts.assets.as_ptr().cast(), accounts.collateral.as_ptr(),
                             accounts.debt.as_ptr(), k, idx.as_mut_ptr(), hf.as_mut_ptr(), &mut found)
    })?;
    Ok(idx.into_iter().zip(hf).take(found).collect())
}

/// The collateral value that becomes liquidatable under each uniform shock.
pub fn liquidations_at_risk(market: &Market, haircuts: &HaircutModel, accounts: &Accounts<'_>,
                            shocks: &[f64]) -> Result<Vec<f64>> {
    let n = accounts.count()?;
    let mut out = vec![0.0; shocks.len()];
    // SAFETY: as in scan; `out` holds one value per shock.
    check(unsafe {
        sys::keel_liquidations_at_risk(market.raw, haircuts.raw, n, accounts.offsets.as_ptr(),
                                       accounts.assets.as_ptr().cast(), accounts.collateral.as_ptr(),
                                       accounts.debt.as_ptr(), shocks.len(), shocks.as_ptr(),
                                       out.as_mut_ptr())
    })?;
    Ok(out)
}

/// Metrics of one account after each shock vector (`shocks[s][j]` moves `assets[j]`).
pub fn stress(market: &Market, basket: &Basket, haircuts: &HaircutModel, options: Option<&Options>,
              assets: &[AssetId], shocks: &[Vec<f64>]) -> Result<Vec<Metrics>> {
    let mut flat = Vec::with_capacity(shocks.len() * assets.len());
    for row in shocks {
        if row.len() != assets.len() {
            return Err(Error::binding(ErrorKind::OutOfRange, "a shock row's length differs from assets"));
        }
        flat.extend_from_slice(row);
    }
    let mut out = vec![Metrics { size: std::mem::size_of::<Metrics>(), ..Default::default() }; shocks.len()];
    // SAFETY: live handles; the arrays have the sizes passed.
    check(unsafe {
        sys::keel_stress(basket.raw, book_ptr(options), market.raw, haircuts.raw, shocks.len(),
                         assets.len(), assets.as_ptr().cast(), flat.as_ptr(), out.as_mut_ptr())
    })?;
    Ok(out)
}

/// Settings of a simulation (`keel_sim_params`); start from `Default`.
pub type SimParams = sys::keel_sim_params;
/// A simulation's summary (`keel_sim_summary`).
pub type SimSummary = sys::keel_sim_summary;

/// Seconds in the year of a replay's time stamps (`KEEL_SECONDS_PER_YEAR`,
/// 365 days): a step between stamps `t0 < t1` lasts `(t1 - t0) /
/// SECONDS_PER_YEAR` years.
pub const SECONDS_PER_YEAR: f64 = sys::KEEL_SECONDS_PER_YEAR;

/// A historical replay for [`Simulation::set_replay`] (`keel_sim_replay`),
/// borrowed from the caller: rows of prices of `assets`, row-major
/// `[path][row][asset]`. Row 0 of each path is the start (the account is
/// valued at its closes, which override the market's prices of these
/// assets); row `s` is the close of step `s`, where the policy acts.
///
/// Shapes, checked by [`Simulation::set_replay`] before anything reaches C
/// (so the library never reads past a slice): `close` holds exactly
/// `npaths x rows x assets.len()` prices, `low` and `high` (when given) the
/// same, `time` (when given) exactly `rows` stamps; the product is computed
/// with checked multiplication. The library checks the values.
///
/// *Experimental* (C: `KEEL_EXPERIMENTAL`, docs/abi.md): may change in a minor release.
///
/// ```
/// use keel::{AssetId, Replay};
/// let assets = [AssetId::from_raw(0)];
/// let close = [2000.0, 1600.0, 1500.0];
/// let low = [2000.0, 1600.0, 1400.0];
/// let time = [0, 86_400, 3 * 86_400];
/// let r = Replay::new(&assets, 1, 3, &close).with_low(&low).with_time(&time);
/// assert_eq!((r.npaths, r.rows, r.assets.len()), (1, 3, 1));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Replay<'a> {
    /// The assets given, distinct assets of the simulation's market (>= 1);
    /// the others keep their market prices.
    pub assets: &'a [AssetId],
    /// Paths (>= 1): one series, or several aligned ones.
    pub npaths: usize,
    /// Rows per path: the start and at least one step (>= 2, < 2^32).
    pub rows: usize,
    /// `npaths x rows x assets.len()` closes, finite and > 0.
    pub close: &'a [f64],
    /// Each step's lowest price (the candle's low), the same shape, `<=` its
    /// close (row 0 is checked, not used); `None`: closes only.
    pub low: Option<&'a [f64]>,
    /// Each step's highest price, the same shape, `>=` its close; `None`:
    /// closes only.
    pub high: Option<&'a [f64]>,
    /// `rows` time stamps in seconds (Unix time or any origin), strictly
    /// increasing, shared by every path; step `s` lasts `(time[s] - time[s -
    /// 1]) / SECONDS_PER_YEAR` years. `None`: every step lasts the
    /// parameters' `dt`.
    pub time: Option<&'a [i64]>,
}

impl<'a> Replay<'a> {
    /// A replay of closes only, without time stamps.
    pub fn new(assets: &'a [AssetId], npaths: usize, rows: usize, close: &'a [f64]) -> Replay<'a> {
        Replay { assets, npaths, rows, close, low: None, high: None, time: None }
    }
    /// With each step's lows (the same shape as `close`).
    pub fn with_low(self, low: &'a [f64]) -> Replay<'a> {
        Replay { low: Some(low), ..self }
    }
    /// With each step's highs (the same shape as `close`).
    pub fn with_high(self, high: &'a [f64]) -> Replay<'a> {
        Replay { high: Some(high), ..self }
    }
    /// With time stamps in seconds, one per row.
    pub fn with_time(self, time: &'a [i64]) -> Replay<'a> {
        Replay { time: Some(time), ..self }
    }

    /// The raw struct, after checking every slice against the shape.
    fn checked_raw(&self) -> Result<sys::keel_sim_replay> {
        let need = self.npaths.checked_mul(self.rows).and_then(|x| x.checked_mul(self.assets.len()))
            .ok_or_else(|| Error::binding(ErrorKind::Overflow,
                                          format!("{} paths x {} rows x {} assets overflow",
                                                  self.npaths, self.rows, self.assets.len())))?;
        for (name, len) in [("close", Some(self.close.len())), ("low", self.low.map(<[f64]>::len)),
                            ("high", self.high.map(<[f64]>::len))] {
            if let Some(len) = len {
                if len != need {
                    return Err(Error::binding(
                        ErrorKind::OutOfRange,
                        format!("{name} holds {len} prices, not paths x rows x assets = {} x {} x {} = {need}",
                                self.npaths, self.rows, self.assets.len())));
                }
            }
        }
        if let Some(time) = self.time {
            if time.len() != self.rows {
                return Err(Error::binding(ErrorKind::OutOfRange,
                                          format!("time holds {} stamps, not rows = {}", time.len(), self.rows)));
            }
        }
        let ptr = |s: Option<&[f64]>| s.map_or(ptr::null(), <[f64]>::as_ptr);
        Ok(sys::keel_sim_replay {
            npaths: self.npaths,
            rows: self.rows,
            nassets: self.assets.len(),
            assets: self.assets.as_ptr().cast(),
            close: self.close.as_ptr(),
            low: ptr(self.low),
            high: ptr(self.high),
            time: self.time.map_or(ptr::null(), <[i64]>::as_ptr),
            ..Default::default()
        })
    }
}

/// How an asset's volatility evolves along each path of a simulation
/// ([`Simulation::set_volatility`], `keel_sim_volatility`). The estimators
/// run on each step's close-to-close log return `r`, scaled to their
/// `period` (years per estimator period, e.g. `1.0 / 365.0` for daily
/// returns) as `r * sqrt(period / dt)` for a step of `dt` years; after each
/// move the market's volatility of the asset becomes `sqrt(variance /
/// period)` per year, which haircut add-ons, option values and predictive
/// policies see. Variances are per period (a daily variance for a daily
/// period).
///
/// *Experimental* (C: `KEEL_EXPERIMENTAL`, docs/abi.md): may change in a minor release.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum VolModel {
    /// The market's volatility throughout (the default).
    #[default]
    Constant,
    /// A RiskMetrics EWMA estimator (the recursion of [`Ewma`]).
    Ewma {
        /// Decay, in (0, 1) (0.94: RiskMetrics' daily value).
        lambda: f64,
        /// Years per estimator period, > 0.
        period: f64,
        /// Variance per period at the start of each path, >= 0; 0: the
        /// market's volatility squared x period.
        initial_variance: f64,
    },
    /// A GARCH(1,1) filter (the recursion of [`Garch`]), its parameters per `period`.
    Garch {
        /// Constant, > 0, per period squared.
        omega: f64,
        /// Weight of the last squared return, >= 0.
        alpha: f64,
        /// Weight of the last variance, >= 0; `alpha + beta < 1`.
        beta: f64,
        /// Years per estimator period, > 0.
        period: f64,
        /// Variance per period at the start of each path, >= 0; 0: the
        /// long-run variance `omega / (1 - alpha - beta)`.
        initial_variance: f64,
        /// Monte Carlo only: the simulated returns take the filter's
        /// variance (the paths follow GARCH); `false` only estimates.
        /// Ignored by a replay.
        drives: bool,
    },
}

impl VolModel {
    /// An EWMA with `KEEL_SIM_VOLATILITY_INIT`'s decay and period
    /// (RiskMetrics: 0.94 on daily returns), starting at the market's volatility.
    pub fn riskmetrics() -> VolModel {
        let d = sys::keel_sim_volatility::default();
        VolModel::Ewma { lambda: d.lambda, period: d.period, initial_variance: 0.0 }
    }
}

impl From<VolModel> for sys::keel_sim_volatility {
    fn from(v: VolModel) -> sys::keel_sim_volatility {
        let d = sys::keel_sim_volatility::default();
        match v {
            VolModel::Constant => d,
            VolModel::Ewma { lambda, period, initial_variance } => sys::keel_sim_volatility {
                kind: sys::KEEL_SIM_VOL_EWMA, lambda, period, initial_variance, ..d
            },
            VolModel::Garch { omega, alpha, beta, period, initial_variance, drives } => sys::keel_sim_volatility {
                kind: sys::KEEL_SIM_VOL_GARCH, omega, alpha, beta, period, initial_variance,
                drives: std::os::raw::c_int::from(drives), ..d
            },
        }
    }
}

/// What happened at a step of a traced path (`keel_sim_event_kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// The liquidator seized collateral.
    Liquidation,
    /// One action of the policy's plan was applied.
    Rebalance,
    /// The policy returned an error; the path went on without a plan.
    PolicyFailure,
    /// A kind this crate does not know (a newer library).
    Unknown(i32),
}

impl EventKind {
    fn from_raw(k: sys::keel_sim_event_kind) -> EventKind {
        match k {
            sys::KEEL_SIM_EVENT_LIQUIDATION => EventKind::Liquidation,
            sys::KEEL_SIM_EVENT_REBALANCE => EventKind::Rebalance,
            sys::KEEL_SIM_EVENT_POLICY_FAILURE => EventKind::PolicyFailure,
            other => EventKind::Unknown(other),
        }
    }
}

/// One event of a traced path (`keel_sim_event`). A liquidation is one
/// event whatever the number of assets it touched: `action` (kind
/// [`ActionKind::SellToRepay`]) names the collateral that lost the most
/// value (`asset`, `quantity` units seized) and the debt most repaid
/// (`debt_asset`, `repaid` units), `to_asset` / `received` a collateral it
/// credited (Compound v3's absorb credits the base), and the value fields
/// sum over every asset. A rebalance is one event per action of the plan,
/// `action` as the plan holds it (with its own cost). Values are in the
/// numeraire.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Event {
    /// The step, 1-based: the row of the [`Trace`] it happened in.
    pub step: u32,
    /// What happened.
    pub kind: EventKind,
    /// With [`EventKind::PolicyFailure`]: the policy's error; `None` (`KEEL_OK`) otherwise.
    pub status: Option<ErrorKind>,
    /// The action (see above); zero quantities for a policy failure.
    pub action: Action,
    /// Liquidation: collateral taken, at the prices it was taken at.
    pub value_seized: f64,
    /// Liquidation: debt cleared plus collateral credited.
    pub value_repaid: f64,
    /// Liquidation: the value taken beyond what it cleared (as the statistics' `bonus_lost`).
    pub bonus_lost: f64,
    /// The health factor just before the event.
    pub health_before: f64,
    /// The health factor just after it (a plan's last action: the plan's result).
    pub health_after: f64,
}

impl From<sys::keel_sim_event> for Event {
    fn from(e: sys::keel_sim_event) -> Event {
        Event {
            step: e.step,
            kind: EventKind::from_raw(e.kind),
            status: if e.status == sys::KEEL_OK { None } else { Some(ErrorKind::from_status(e.status)) },
            action: Action::from(e.action),
            value_seized: e.value_seized,
            value_repaid: e.value_repaid,
            bonus_lost: e.bonus_lost,
            health_before: e.health_before,
            health_after: e.health_after,
        }
    }
}

/// The trajectory of one path ([`Simulation::trace`], `keel_sim_trace`):
/// row `r` is the state at the end of step `r` (after the liquidator and the
/// policy), row 0 the start, so a path of `steps` steps has `steps + 1`
/// rows. Per-row vectors hold one value a row; `prices` and `volatility`
/// hold `rows x nassets` values, row-major, the simulation market's assets
/// in id order. Values are in the numeraire.
///
/// *Experimental* (C: `KEEL_EXPERIMENTAL`, docs/abi.md): may change in a minor release.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    /// The simulation market's assets: the width of `prices` and `volatility`.
    pub nassets: usize,
    /// Years since the start of the run (the replay's stamps over
    /// [`SECONDS_PER_YEAR`], or step x `dt`).
    pub time: Vec<f64>,
    /// The close of each row, `rows x nassets`.
    pub prices: Vec<f64>,
    /// The market's annual volatilities at each row, `rows x nassets`.
    pub volatility: Vec<f64>,
    /// The health factor at the end of each row's step.
    pub health: Vec<f64>,
    /// The health factor after the move, before any action (at the adverse
    /// extreme when the replay has lows or highs); row 0: the start's.
    pub health_low: Vec<f64>,
    /// Collateral value C at the end of each row's step.
    pub collateral_value: Vec<f64>,
    /// Debt value D at the end of each row's step.
    pub debt_value: Vec<f64>,
    /// C - D + option value at the end of each row's step.
    pub equity: Vec<f64>,
    /// The path's events, in order.
    pub events: Vec<Event>,
}

impl Trace {
    /// Rows of the trace (steps + 1).
    pub fn rows(&self) -> usize {
        self.time.len()
    }
    /// The closes of row `row`, one per asset of the market (panics past the last row).
    pub fn prices_at(&self, row: usize) -> &[f64] {
        &self.prices[row * self.nassets..(row + 1) * self.nassets]
    }
}

/// A Monte Carlo or historical backtest of a policy; frees on `Drop`.
///
/// *Experimental* (C: `KEEL_EXPERIMENTAL`, docs/abi.md): may change in a minor release.
///
/// ```
/// use keel::{Basket, CostModel, HaircutModel, Market, SimParams, Simulation};
/// let mut m = Market::new()?;
/// let eth = m.add_asset("ETH", 2000.0)?;
/// let usdc = m.add_asset("USDC", 1.0)?;
/// m.set_volatility(eth, 0.8)?;
/// let mut h = HaircutModel::new()?;
/// h.set_asset(eth, 0.25, 0.2)?;
/// let mut b = Basket::new()?;
/// b.set_collateral(eth, 10.0)?;
/// b.set_debt(usdc, 12000.0)?;
/// let sim = Simulation::new(&m, &b, &h, &CostModel::new()?, None, None, &SimParams::default())?;
/// let mut whole = sim.run(0, 100)?;
/// let (mut a, b2) = (sim.run(0, 40)?, sim.run(40, 60)?);
/// a.merge(&keel::SimStats::from_bytes(&b2.to_bytes()?)?)?; // as if from another machine
/// assert_eq!(a.summary()?, whole.summary()?); // the same bits, however it is split
/// # let _ = &mut whole;
/// # Ok::<(), keel::Error>(())
/// ```
pub struct Simulation {
    raw: *mut sys::keel_sim,
    steps: usize, /* the library reads paths x steps x assets replayed prices */
    nassets: usize, /* the market's assets: a trace's prices are rows x nassets */
}

impl Drop for Simulation {
    fn drop(&mut self) {
        // SAFETY: raw came from keel_sim_new and is freed once.
        unsafe { sys::keel_sim_free(self.raw) }
    }
}

// SAFETY: runs take a const simulation and allocate their own working state.
unsafe impl Send for Simulation {}
unsafe impl Sync for Simulation {}

/// Per-path statistics of one or more runs; frees on `Drop`.
///
/// *Experimental* (C: `KEEL_EXPERIMENTAL`, docs/abi.md): may change in a minor release.
pub struct SimStats {
    raw: *mut sys::keel_sim_stats,
}

impl Drop for SimStats {
    fn drop(&mut self) {
        // SAFETY: raw came from keel_sim_run and is freed once.
        unsafe { sys::keel_sim_stats_free(self.raw) }
    }
}

// SAFETY: statistics have no thread affinity; reads take a const handle.
unsafe impl Send for SimStats {}
unsafe impl Sync for SimStats {}

/// What the progress trampoline reaches through `user`: the caller's closure,
/// and the payload of a panic it raised (kept, so that it never unwinds into C).
struct Progress<'a> {
    callback: &'a mut dyn FnMut(f64) -> bool,
    panic: Option<Box<dyn std::any::Any + Send + 'static>>,
}

unsafe extern "C" fn progress_trampoline(fraction: f64, user: *mut std::os::raw::c_void) -> std::os::raw::c_int {
    // SAFETY: user points at the run's `Progress` for the duration of keel_sim_run.
    let state = unsafe { &mut *(user as *mut Progress<'_>) };
    if state.panic.is_some() {
        return 1;
    }
    // A panic must not unwind across the FFI boundary: catch it, stop the run,
    // and resume it in Rust once the library has returned.
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (state.callback)(fraction))) {
        Ok(stop) => std::os::raw::c_int::from(stop),
        Err(payload) => {
            state.panic = Some(payload);
            1
        }
    }
}

impl Simulation {
    /// Copies the account, market, models and policy into a new simulation.
    #[allow(clippy::too_many_arguments)]
    pub fn new(market: &Market, basket: &Basket, haircuts: &HaircutModel, costs: &CostModel,
               policy: Option<&Policy>, options: Option<&Options>, params: &SimParams) -> Result<Simulation> {
        let p = SimParams { size: std::mem::size_of::<SimParams>(), ..*params };
        let mut raw = ptr::null_mut();
        let pol = policy.map_or(ptr::null(), |x| x.raw as *const _);
        // SAFETY: live handles, valid out-pointer.
        check(unsafe {
            sys::keel_sim_new(basket.raw, book_ptr(options), market.raw, haircuts.raw, costs.raw, pol, &p, &mut raw)
        })?;
        Ok(Simulation { raw, steps: p.steps as usize, nassets: market.len() })
    }
    /// An expected return per year for an asset.
    pub fn set_drift(&mut self, asset: AssetId, drift: f64) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_sim_set_drift(self.raw, asset.0, drift) })
    }
    /// Merton jumps for an asset.
    pub fn set_jumps(&mut self, asset: AssetId, intensity: f64, mean: f64, vol: f64) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_sim_set_jumps(self.raw, asset.0, intensity, mean, vol) })
    }
    /// Liquidates by Aave v3's own rules (`keel_sim_set_aave`): `reserves[i]` is the Aave
    /// reserve of the simulation market's asset `i` (all of them; `AaveAccount::to_keel`
    /// gives them in order), `emode` the account's category. `None` goes back to the
    /// default liquidator. Errors: `OutOfRange` (a count other than the market's assets,
    /// a repeated reserve), `UnknownAsset`, `NotFound` (emode).
    pub fn set_aave(&mut self, aave: Option<(&AaveMarket, &[ReserveId])>, emode: u32) -> Result<()> {
        match aave {
            None => {
                // SAFETY: live handle; a NULL market resets.
                check(unsafe { sys::keel_sim_set_aave(self.raw, ptr::null(), ptr::null(), 0, 0) })
            }
            Some((market, reserves)) => {
                let ids: Vec<u32> = reserves.iter().map(|r| r.0).collect();
                // SAFETY: live handles; `ids` holds `ids.len()` entries, read during the call.
                check(unsafe {
                    sys::keel_sim_set_aave(self.raw, market.raw, ids.as_ptr(), ids.len(), emode)
                })
            }
        }
    }
    /// Liquidates by Compound v3's own rules (`keel_sim_set_comet`): a liquidatable
    /// account is absorbed as `Comet.absorb` does. `assets[i]` is the Comet asset of the
    /// simulation market's asset `i` ([`CometAssetId::BASE`] for the base; all of them:
    /// [`CometAccount::to_keel`]'s `assets` gives them in order); the market is copied.
    /// `None` goes back to the default liquidator. Errors: `OutOfRange` (a count other
    /// than the market's assets, a repeated id, no base or two, debt in an asset other
    /// than the base), `UnknownAsset`; nothing changes on failure.
    pub fn set_comet(&mut self, market: Option<&CometMarket>, assets: &[CometAssetId]) -> Result<()> {
        let m = market.map_or(ptr::null(), |m| m.raw as *const _);
        let (ids, n) = if market.is_some() { (assets.as_ptr().cast::<u32>(), assets.len()) } else { (ptr::null(), 0) };
        // SAFETY: live handles (or a NULL market, which resets); `ids` holds `n` ids
        // (CometAssetId is repr(transparent) over u32), read during the call.
        check(unsafe { sys::keel_sim_set_comet(self.raw, m, ids, n) })
    }
    /// Liquidates by Morpho Blue's own rules (`keel_sim_set_morpho`): the account's
    /// `collateral` quantity and `loan` debt are read as a position of `market` at each
    /// step and an unhealthy one is liquidated by [`MorphoMarket::best_liquidation`]
    /// (bad debt written off); the market is copied. [`MorphoMarket::to_keel`] gives
    /// the two ids. `None` goes back to the default liquidator. Errors: `UnknownAsset`
    /// (an id not in the simulation's market), `OutOfRange` (the two ids equal, debt in
    /// an asset other than `loan`); nothing changes on failure.
    pub fn set_morpho(&mut self, market: Option<&MorphoMarket>, collateral: AssetId, loan: AssetId) -> Result<()> {
        let m = market.map_or(ptr::null(), |m| m.raw as *const _);
        // SAFETY: live handles, or a NULL market, which resets.
        check(unsafe { sys::keel_sim_set_morpho(self.raw, m, collateral.0, loan.0) })
    }
    /// Replays price paths: `prices[path][step][asset]` flattened, steps 1 .. steps.
    pub fn set_paths(&mut self, npaths: usize, assets: &[AssetId], prices: &[f64]) -> Result<()> {
        let need = npaths.checked_mul(assets.len()).and_then(|x| x.checked_mul(self.steps))
            .ok_or_else(|| Error::binding(ErrorKind::Overflow, "paths x steps x assets overflow"))?;
        if npaths > 0 && prices.len() != need {
            return Err(Error::binding(
                ErrorKind::OutOfRange,
                format!("prices holds {} values, not paths x steps x assets = {} x {} x {}",
                        prices.len(), npaths, self.steps, assets.len()),
            ));
        }
        // SAFETY: live handle; the library reads npaths x steps x assets prices, exactly
        // the slice's length (checked above).
        check(unsafe { sys::keel_sim_set_paths(self.raw, npaths, assets.len(), assets.as_ptr().cast(),
                                               prices.as_ptr()) })
    }
    /// Replays history instead of the model (`keel_sim_set_replay`): see
    /// [`Replay`] for the shapes, checked here first (`OutOfRange` for a
    /// slice of another length, `Overflow` when paths x rows x assets wraps
    /// `usize` or the time stamps span more than `i64`). Everything is
    /// copied. The run then lasts `rows - 1` steps (the whole replay; see
    /// [`Simulation::set_window`] for part of it) whatever the parameters'
    /// `steps`; step `s` lasts the time between stamps `s - 1` and `s`, or
    /// the parameters' `dt`.
    ///
    /// With lows or highs, liquidation is checked first at each step's
    /// adverse extreme (every asset only held at its low, every asset only
    /// owed at its high, an asset both held and owed at whichever end gives
    /// the lower HF, all at once) and the liquidator acts at those
    /// prices; otherwise at the close. At most one liquidation a step; the
    /// policy acts at the close.
    ///
    /// Errors (the library's): `NullArg`, `UnknownAsset`, `NotFinite` (a NaN
    /// or infinite price; the detail names path, row and asset),
    /// `OutOfRange` (no paths, fewer than 2 rows, no assets, a price <= 0, a
    /// low above its close or a high below it, time stamps not strictly
    /// increasing, an asset twice), `Overflow`, `NoMemory`. Nothing changes
    /// on failure. [`Simulation::set_paths`] with 0 paths goes back to the model.
    pub fn set_replay(&mut self, replay: &Replay<'_>) -> Result<()> {
        let raw = replay.checked_raw()?;
        // SAFETY: live handle; every array of `raw` borrows a slice of `replay`
        // holding what the library reads (checked by checked_raw), for the call.
        check(unsafe { sys::keel_sim_set_replay(self.raw, &raw) })
    }
    /// Runs a replay over rows `start ..= start + steps` only
    /// (`keel_sim_set_window`): the start prices are row `start`'s closes and
    /// the run lasts `steps` steps; `steps` 0 runs to the last row.
    /// Volatility models ([`Simulation::set_volatility`]) are fed rows
    /// `0 ..= start` first, so a window starts with the regime its history
    /// left. A new replay resets the window to the whole of it.
    ///
    /// Errors: `OutOfRange` (no replay set, a start at or past the last row,
    /// a window past the last row). Nothing changes on failure.
    pub fn set_window(&mut self, start: usize, steps: usize) -> Result<()> {
        // SAFETY: live handle.
        check(unsafe { sys::keel_sim_set_window(self.raw, start, steps) })
    }
    /// Sets how an asset's volatility evolves along each path
    /// (`keel_sim_set_volatility`; see [`VolModel`]). Volatility haircut
    /// add-ons and predictive policies then follow the regime; a model other
    /// than [`VolModel::Constant`] values each step with the general engine
    /// (slower than the linear fast path).
    ///
    /// Errors: `UnknownAsset`, `NotFinite`, `OutOfRange` (a parameter out of
    /// its range, `alpha + beta >= 1`). Nothing changes on failure.
    pub fn set_volatility(&mut self, asset: AssetId, model: VolModel) -> Result<()> {
        let raw = sys::keel_sim_volatility::from(model);
        // SAFETY: live handle; `raw` is size-prefixed.
        check(unsafe { sys::keel_sim_set_volatility(self.raw, asset.0, &raw) })
    }
    /// Runs path `path` alone and returns its trajectory and events
    /// (`keel_sim_trace_path`): the same numbers [`Simulation::run`] gives
    /// that path. The buffers are sized here: a first call with no room
    /// reports the rows (before any run), and a call whose events overflow
    /// the guess is made again with room for all of them.
    ///
    /// Errors: `OutOfRange` (a path past the replayed ones), and those of
    /// [`Simulation::run`].
    ///
    /// ```
    /// use keel::{Basket, CostModel, EventKind, HaircutModel, Market, Replay, SimParams, Simulation};
    /// let mut m = Market::new()?;
    /// let eth = m.add_asset("ETH", 2000.0)?;
    /// let usdc = m.add_asset("USDC", 1.0)?;
    /// let mut h = HaircutModel::new()?;
    /// h.set_asset(eth, 0.25, 0.2)?;
    /// let mut b = Basket::new()?;
    /// b.set_collateral(eth, 1.0)?;
    /// b.set_debt(usdc, 1200.0)?;
    /// let mut sim = Simulation::new(&m, &b, &h, &CostModel::new()?, None, None, &SimParams::default())?;
    /// // two days: a close of 1500 (HF exactly 1) whose low, 1400, is below the line
    /// let assets = [eth];
    /// sim.set_replay(&Replay::new(&assets, 1, 2, &[2000.0, 1500.0]).with_low(&[2000.0, 1400.0])
    ///                    .with_time(&[0, 2 * 86_400]))?;
    /// let t = sim.trace(0)?;
    /// assert_eq!(t.time, vec![0.0, 2.0 / 365.0]);
    /// assert_eq!((t.events.len(), t.events[0].kind, t.events[0].step), (1, EventKind::Liquidation, 1));
    /// assert!((t.health_low[1] - 1400.0 * 0.8 / 1200.0).abs() < 1e-12);
    /// # Ok::<(), keel::Error>(())
    /// ```
    pub fn trace(&self, path: u64) -> Result<Trace> {
        let n = self.nassets;
        let (mut rows, mut nevents) = (0usize, 16usize);
        // Three calls at most: the rows (no run), then the path, then again
        // if it had more events than the first guess.
        for _ in 0..3 {
            let per_asset = rows.checked_mul(n)
                .ok_or_else(|| Error::binding(ErrorKind::Overflow, "rows x assets overflow"))?;
            let mut time = vec![0.0; rows];
            let (mut prices, mut volatility) = (vec![0.0; per_asset], vec![0.0; per_asset]);
            let (mut health, mut health_low) = (vec![0.0; rows], vec![0.0; rows]);
            let (mut collateral, mut debt, mut equity) = (vec![0.0; rows], vec![0.0; rows], vec![0.0; rows]);
            let mut events = vec![sys::keel_sim_event::default(); nevents];
            // A market without assets has no price columns: NULL skips them (the
            // library would copy 0 bytes to an array of none).
            let mut t = sys::keel_sim_trace {
                capacity: rows,
                time: time.as_mut_ptr(),
                prices: if n == 0 { ptr::null_mut() } else { prices.as_mut_ptr() },
                volatility: if n == 0 { ptr::null_mut() } else { volatility.as_mut_ptr() },
                health: health.as_mut_ptr(),
                health_low: health_low.as_mut_ptr(),
                collateral_value: collateral.as_mut_ptr(),
                debt_value: debt.as_mut_ptr(),
                equity: equity.as_mut_ptr(),
                events: events.as_mut_ptr(),
                event_capacity: nevents,
                ..Default::default()
            };
            // SAFETY: live handle; each per-row array holds `rows` = capacity
            // values, prices and volatility capacity x nassets, events
            // `nevents` = event_capacity slots of event_size bytes. With
            // capacity below the path's rows the library writes nothing but
            // the struct's counts (checked before the run), so the (possibly
            // empty, non-null) arrays are not written then.
            let status = unsafe { sys::keel_sim_trace_path(self.raw, path, &mut t, ptr::null_mut()) };
            if status == sys::KEEL_E_BUFFER_TOO_SMALL && (t.rows > rows || t.nevents > nevents) {
                rows = rows.max(t.rows);
                nevents = nevents.max(t.nevents);
                continue;
            }
            check(status)?;
            let r = t.rows;
            for v in [&mut time, &mut health, &mut health_low, &mut collateral, &mut debt, &mut equity] {
                v.truncate(r);
            }
            prices.truncate(r * n);
            volatility.truncate(r * n);
            events.truncate(t.nevents);
            return Ok(Trace {
                nassets: n,
                time,
                prices,
                volatility,
                health,
                health_low,
                collateral_value: collateral,
                debt_value: debt,
                equity,
                events: events.into_iter().map(Event::from).collect(),
            });
        }
        Err(Error::binding(ErrorKind::BufferTooSmall, "keel_sim_trace_path asked for more room three times"))
    }
    /// Runs paths `first .. first + count`.
    pub fn run(&self, first: u64, count: u64) -> Result<SimStats> {
        let mut raw = ptr::null_mut();
        // SAFETY: live handle, valid out-pointer.
        check(unsafe { sys::keel_sim_run(self.raw, first, count, None, ptr::null_mut(), &mut raw) })?;
        Ok(SimStats { raw })
    }
    /// Runs with a progress callback, called with the fraction of paths done
    /// (in [0, 1], at most about 100 times). Returning `true` stops the run,
    /// as a non-zero return does in C and `True` in Python; the statistics
    /// of the finished paths then come back as `Err((error, Some(stats)))`
    /// with `ErrorKind::Cancelled`. A panic in the callback stops the run and
    /// is resumed once the library has returned (it never unwinds through C).
    ///
    /// ```
    /// use keel::{Basket, CostModel, ErrorKind, HaircutModel, Market, SimParams, Simulation};
    /// let mut m = Market::new()?;
    /// let eth = m.add_asset("ETH", 2000.0)?;
    /// let usdc = m.add_asset("USDC", 1.0)?;
    /// m.set_volatility(eth, 0.8)?;
    /// let mut h = HaircutModel::new()?;
    /// h.set_asset(eth, 0.25, 0.2)?;
    /// let mut b = Basket::new()?;
    /// b.set_collateral(eth, 10.0)?;
    /// b.set_debt(usdc, 12000.0)?;
    /// let sim = Simulation::new(&m, &b, &h, &CostModel::new()?, None, None, &SimParams::default())?;
    /// let Err((err, Some(done))) = sim.run_with_progress(0, 1000, &mut |fraction| fraction >= 0.5)
    /// else { panic!("the run was not stopped") };
    /// assert_eq!(err.kind, ErrorKind::Cancelled);
    /// let paths = done.summary()?.paths;
    /// assert!(paths >= 500 && paths < 1000);
    /// # Ok::<(), keel::Error>(())
    /// ```
    pub fn run_with_progress(&self, first: u64, count: u64, progress: &mut dyn FnMut(f64) -> bool)
                             -> std::result::Result<SimStats, (Error, Option<SimStats>)> {
        let mut raw = ptr::null_mut();
        let mut state = Progress { callback: progress, panic: None };
        let user = &mut state as *mut Progress<'_> as *mut std::os::raw::c_void;
        // SAFETY: `state` outlives the call; the trampoline casts `user` back to it.
        let status = unsafe { sys::keel_sim_run(self.raw, first, count, Some(progress_trampoline), user, &mut raw) };
        let stats = if raw.is_null() { None } else { Some(SimStats { raw }) };
        if let Some(payload) = state.panic.take() {
            drop(stats);
            std::panic::resume_unwind(payload);
        }
        match check(status) {
            Ok(()) => Ok(stats.expect("keel_sim_run returned OK without statistics")),
            Err(e) => Err((e, stats)),
        }
    }
}

impl SimStats {
    /// Adds another run's paths (disjoint ranges of the same simulation).
    pub fn merge(&mut self, other: &SimStats) -> Result<()> {
        // SAFETY: live handles.
        check(unsafe { sys::keel_sim_stats_merge(self.raw, other.raw) })
    }
    /// Means over the paths, in path order. Its `policy_failures` counts the
    /// turns where the policy returned an error (those paths went on without
    /// its plan): use [`SimStats::checked_summary`] to make that an error.
    pub fn summary(&self) -> Result<SimSummary> {
        let mut s = SimSummary { size: std::mem::size_of::<SimSummary>(), ..Default::default() };
        // SAFETY: live handle, size-prefixed output.
        check(unsafe { sys::keel_sim_stats_summary(self.raw, &mut s) })?;
        Ok(s)
    }
    /// The summary, or an `ErrorKind::State` error naming the turns, paths
    /// and first path where the policy failed: statistics of a policy that did
    /// not run as asked are not the policy's.
    pub fn checked_summary(&self) -> Result<SimSummary> {
        let s = self.summary()?;
        if s.policy_failures > 0 {
            return Err(Error::binding(
                ErrorKind::State,
                format!("the policy failed on {} turns in {} paths (first: path {})",
                        s.policy_failures, s.paths_with_policy_failures, s.first_policy_failure_path),
            ));
        }
        Ok(s)
    }
    /// The statistics as bytes, for another process or machine ([`SimStats::from_bytes`]).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut need = 0usize;
        // SAFETY: live handle; a NULL buffer asks the size.
        let _ = unsafe { sys::keel_sim_stats_serialize(self.raw, ptr::null_mut(), 0, &mut need) };
        let mut buf = vec![0u8; need];
        // SAFETY: the buffer holds `need` bytes.
        check(unsafe { sys::keel_sim_stats_serialize(self.raw, buf.as_mut_ptr().cast(), need, &mut need) })?;
        Ok(buf)
    }
    /// Statistics read back from [`SimStats::to_bytes`], every byte checked.
    pub fn from_bytes(bytes: &[u8]) -> Result<SimStats> {
        let mut raw = ptr::null_mut();
        // SAFETY: the slice is readable for its length; raw is a valid out-pointer.
        check(unsafe { sys::keel_sim_stats_deserialize(bytes.as_ptr().cast(), bytes.len(), &mut raw) })?;
        Ok(SimStats { raw })
    }
    /// A per-path quantity (`sys::KEEL_SIM_*`, as [`SimStats::percentile`]
    /// takes it) for every path of the statistics, in path order
    /// (`keel_sim_stats_values`): the path indexes and the values, one each
    /// per path (for histograms or one's own estimators). Errors:
    /// `OutOfRange` (an unknown metric).
    pub fn values(&self, metric: i32) -> Result<(Vec<u64>, Vec<f64>)> {
        let mut count = 0usize;
        // SAFETY: live handle; NULL arrays ask the count.
        check(unsafe { sys::keel_sim_stats_values(self.raw, metric, ptr::null_mut(), ptr::null_mut(), 0,
                                                  &mut count) })?;
        let (mut paths, mut values) = (vec![0u64; count], vec![0.0; count]);
        // SAFETY: both arrays hold `count` entries, the paths of these statistics,
        // which cannot change under a shared reference.
        check(unsafe { sys::keel_sim_stats_values(self.raw, metric, paths.as_mut_ptr(), values.as_mut_ptr(),
                                                  count, &mut count) })?;
        paths.truncate(count);
        values.truncate(count);
        Ok((paths, values))
    }
    /// A percentile (`q` in [0, 1]) of a per-path quantity (`sys::KEEL_SIM_*`).
    pub fn percentile(&self, metric: i32, q: f64) -> Result<f64> {
        let mut v = 0.0;
        // SAFETY: live handle, valid out-pointer.
        check(unsafe { sys::keel_sim_stats_percentile(self.raw, metric, q, &mut v) })?;
        Ok(v)
    }
}

// The protocol layers: after the `handle!` macro, which their handles use.
mod aave;
mod comet;
mod morpho;
mod u256;
mod display;
pub use aave::{aave_scan, aave_scan_flat, AaveAccount, AaveAccountData, AaveEmode, AaveFlatAccounts,
               AaveKeel, AaveLiquidation, AaveMarket, AavePriceBoundary, AaveReserve, AaveRevert,
               AaveScan, AaveScaledPosition, AaveTrigger, AaveVersion, ReserveId};
pub use comet::{CometAbsorb, CometAccount, CometAccountData, CometAsset, CometAssetId, CometBase, CometBuy,
                CometInt, CometKeel, CometLine, CometMarket, CometPause, CometPriceBoundary, CometRates,
                CometRevert, CometTrigger};
pub use morpho::{morpho_convert, morpho_incentive_factor, MorphoConversion, MorphoKeel, MorphoLiquidate,
                 MorphoLiquidation, MorphoMarket, MorphoParams, MorphoPosition, MorphoPositionData,
                 MorphoRevert, MorphoState, MorphoUnit};
pub use u256::{mul_div_ceil, wadray, WadRayOp, U256};

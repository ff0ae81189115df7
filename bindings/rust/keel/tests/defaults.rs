//! The Rust defaults are the C library's: every `Default` of a parameter
//! struct equals what its `keel_*_params_init` writes, read here through the
//! raw declarations, and the settings types built on them agree.

use keel::{Deleverage, GarchFitParams, HealthBand, LeverageBand, Predictive, SimParams};
use keel_sys as sys;

/// The struct as the C init function fills it.
fn from_c<T>(init: unsafe extern "C" fn(*mut T, usize) -> sys::keel_status) -> T {
    let mut p = std::mem::MaybeUninit::<T>::zeroed();
    // SAFETY: p is writable for size_of::<T>() bytes, the size passed.
    assert_eq!(unsafe { init(p.as_mut_ptr(), std::mem::size_of::<T>()) }, sys::KEEL_OK);
    // SAFETY: zeroed, then filled by the library.
    unsafe { p.assume_init() }
}

#[test]
fn parameter_defaults_are_the_c_library_s() {
    // the safe settings types, as the raw structs they pass to C
    assert_eq!(sys::keel_health_band_params::from(HealthBand::default()),
               from_c(sys::keel_health_band_params_init));
    assert_eq!(sys::keel_leverage_band_params::from(LeverageBand::default()),
               from_c(sys::keel_leverage_band_params_init));
    assert_eq!(sys::keel_predictive_params::from(Predictive::default()),
               from_c(sys::keel_predictive_params_init));
    assert_eq!(SimParams::default(), from_c(sys::keel_sim_params_init));
    assert_eq!(sys::keel_garch_fit_params::from(GarchFitParams::default()),
               from_c(sys::keel_garch_fit_params_init));
    assert_eq!(sys::keel_deleverage_params::default(), from_c(sys::keel_deleverage_params_init));
    assert_eq!(sys::keel_delta_hedge_params::default(), from_c(sys::keel_delta_hedge_params_init));
    assert_eq!(sys::keel_collateral_params::default(), from_c(sys::keel_collateral_params_init));
    let w: sys::keel_target_weights_params = from_c(sys::keel_target_weights_params_init);
    assert_eq!(sys::keel_target_weights_params::default().band, w.band);
    let m: sys::keel_margin_params = from_c(sys::keel_margin_params_init);
    let d = sys::keel_margin_params::default();
    assert_eq!((d.horizon_days, d.price_sigmas, d.vol_scan), (m.horizon_days, m.price_sigmas, m.vol_scan));
    assert_eq!(SimParams::default().size, std::mem::size_of::<SimParams>());
}

#[test]
fn deleverage_settings_default_to_the_c_library_s() {
    let c: sys::keel_deleverage_params = from_c(sys::keel_deleverage_params_init);
    let d = Deleverage::default();
    assert_eq!(d.target, c.target_health);
    assert_eq!(d.max_trade_value, c.max_trade_value);
    assert!(d.repay_asset.is_none() && d.swap_to.is_none() && d.wallet.is_none());
}

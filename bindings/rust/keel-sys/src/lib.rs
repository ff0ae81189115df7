//! Raw FFI declarations of the keel C API, one for one with `include/keel/*.h`.
//! Use the `keel` crate for a safe interface.
#![allow(non_camel_case_types)]

use std::os::raw::{c_char, c_int, c_uint, c_void};

/// `keel_status`: 0 is success, other values name the failure.
pub type keel_status = c_int;
pub const KEEL_OK: keel_status = 0;
pub const KEEL_E_NULL_ARG: keel_status = 1;
pub const KEEL_E_NOT_FINITE: keel_status = 2;
pub const KEEL_E_OUT_OF_RANGE: keel_status = 3;
pub const KEEL_E_BAD_HANDLE: keel_status = 4;
pub const KEEL_E_UNKNOWN_ASSET: keel_status = 5;
pub const KEEL_E_DUPLICATE: keel_status = 6;
pub const KEEL_E_NOT_FOUND: keel_status = 7;
pub const KEEL_E_INVALID_SYMBOL: keel_status = 8;
pub const KEEL_E_NOMEM: keel_status = 9;
pub const KEEL_E_OVERFLOW: keel_status = 10;
pub const KEEL_E_STATE: keel_status = 11;
pub const KEEL_E_BUFFER_TOO_SMALL: keel_status = 12;
pub const KEEL_E_INFEASIBLE: keel_status = 13;
pub const KEEL_E_NO_CONVERGENCE: keel_status = 14;
pub const KEEL_E_CANCELLED: keel_status = 15;
pub const KEEL_E_NOT_PSD: keel_status = 16;
pub const KEEL_E_ARBITRAGE: keel_status = 17;

/// `keel_asset`: an asset id issued by a market.
pub type keel_asset = u32;
pub const KEEL_ASSET_INVALID: keel_asset = u32::MAX;
pub const KEEL_SYMBOL_MAX: usize = 31;

/// `keel_liquidation_side`
pub type keel_liquidation_side = c_int;
pub const KEEL_LIQ_NEVER: keel_liquidation_side = 0;
pub const KEEL_LIQ_BELOW: keel_liquidation_side = 1;
pub const KEEL_LIQ_ABOVE: keel_liquidation_side = 2;
pub const KEEL_LIQ_ALWAYS: keel_liquidation_side = 3;

/// Opaque `keel_market`.
#[repr(C)]
pub struct keel_market {
    _private: [u8; 0],
}
/// Opaque `keel_basket`.
#[repr(C)]
pub struct keel_basket {
    _private: [u8; 0],
}
/// Opaque `keel_haircut_model`.
#[repr(C)]
pub struct keel_haircut_model {
    _private: [u8; 0],
}
/// Opaque `keel_options`.
#[repr(C)]
pub struct keel_options {
    _private: [u8; 0],
}
/// Opaque `keel_plan`.
#[repr(C)]
pub struct keel_plan {
    _private: [u8; 0],
}

/// `keel_action_type`
pub type keel_action_type = c_int;
pub const KEEL_ACTION_REPAY_WITH_COLLATERAL: keel_action_type = 0;
pub const KEEL_ACTION_SELL_TO_REPAY: keel_action_type = 1;
pub const KEEL_ACTION_DEPOSIT: keel_action_type = 2;
pub const KEEL_ACTION_WITHDRAW: keel_action_type = 3;
pub const KEEL_ACTION_BORROW_TO_BUY: keel_action_type = 4;
pub const KEEL_ACTION_SWAP: keel_action_type = 5;
pub const KEEL_ACTION_HEDGE: keel_action_type = 6;
pub const KEEL_ACTION_REPAY_FROM_WALLET: keel_action_type = 7;

/// `keel_action` (size-prefixed).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct keel_action {
    pub size: usize,
    pub type_: keel_action_type,
    pub asset: keel_asset,
    pub quantity: f64,
    pub debt_asset: keel_asset,
    pub repaid: f64,
    pub cost: f64,
    pub to_asset: keel_asset,
    pub received: f64,
    pub borrowed: f64,
}

/// `keel_deleverage_params` (size-prefixed).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct keel_deleverage_params {
    pub size: usize,
    pub target_health: f64,
    pub repay_asset: keel_asset,
    pub max_trade_value: f64,
    pub swap_to: keel_asset,
    pub wallet: *const keel_basket,
}

/// Opaque `keel_policy`.
#[repr(C)]
pub struct keel_policy {
    _private: [u8; 0],
}

/// `keel_policy_kind`
pub type keel_policy_kind = c_int;
pub const KEEL_POLICY_HEALTH_BAND: keel_policy_kind = 0;
pub const KEEL_POLICY_LEVERAGE_BAND: keel_policy_kind = 1;
pub const KEEL_POLICY_TARGET_WEIGHTS: keel_policy_kind = 2;
pub const KEEL_POLICY_DELTA_HEDGE: keel_policy_kind = 3;
pub const KEEL_POLICY_PREDICTIVE: keel_policy_kind = 4;
pub const KEEL_POLICY_COMPOSITE: keel_policy_kind = 5;

/// Bits of `keel_health_band_params::allowed`.
pub const KEEL_ALLOW_REPAY: c_uint = 1;
pub const KEEL_ALLOW_BOOST: c_uint = 2;
pub const KEEL_ALLOW_WITHDRAW: c_uint = 4;
pub const KEEL_ALLOW_SWAP: c_uint = 8;
pub const KEEL_ALLOW_DEPOSIT: c_uint = 16;

/// `keel_health_band_params` (size-prefixed).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct keel_health_band_params {
    pub size: usize,
    pub repay_below: f64,
    pub repay_to: f64,
    pub boost_above: f64,
    pub boost_to: f64,
    pub allowed: c_uint,
    pub debt_asset: keel_asset,
    pub boost_asset: keel_asset,
    pub withdraw_asset: keel_asset,
    pub swap_to: keel_asset,
    pub max_trade_value: f64,
}

/// `keel_leverage_band_params` (size-prefixed).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct keel_leverage_band_params {
    pub size: usize,
    pub target: f64,
    pub min: f64,
    pub max: f64,
    pub speed: f64,
    pub max_trade_value: f64,
    pub ripcord: f64,
    pub ripcord_max_trade_value: f64,
    pub asset: keel_asset,
    pub debt_asset: keel_asset,
}

/// `keel_target_weights_params` (size-prefixed).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct keel_target_weights_params {
    pub size: usize,
    pub count: usize,
    pub assets: *const keel_asset,
    pub weights: *const f64,
    pub band: f64,
}

/// `keel_delta_hedge_params` (size-prefixed).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct keel_delta_hedge_params {
    pub size: usize,
    pub risk_aversion: f64,
    pub funding_asset: keel_asset,
}

/// `keel_collateral_goal`
pub type keel_collateral_goal = c_int;
pub const KEEL_MAX_BORROWING: keel_collateral_goal = 0;
pub const KEEL_MIN_RISK: keel_collateral_goal = 1;

/// `keel_collateral_params` (size-prefixed).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct keel_collateral_params {
    pub size: usize,
    pub goal: keel_collateral_goal,
    pub total_value: f64,
    pub confidence: f64,
    pub horizon: f64,
    pub max_var: f64,
    pub min_borrowing: f64,
}

/// `keel_collateral_result` (size-prefixed).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct keel_collateral_result {
    pub size: usize,
    pub borrowing_power: f64,
    pub var: f64,
}

/// Opaque `keel_sim`.
#[repr(C)]
pub struct keel_sim {
    _private: [u8; 0],
}

/// Opaque `keel_sim_stats`.
#[repr(C)]
pub struct keel_sim_stats {
    _private: [u8; 0],
}

/// `keel_progress_fn`
pub type keel_progress_fn = Option<unsafe extern "C" fn(fraction: f64, user: *mut c_void) -> c_int>;

/// `keel_sim_params` (size-prefixed).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct keel_sim_params {
    pub size: usize,
    pub steps: u32,
    pub dt: f64,
    pub seed: u64,
    pub rebalance_every: u32,
    pub close_factor: f64,
    pub full_close_below: f64,
    pub liquidation_bonus: f64,
}

/// `keel_sim_summary` (size-prefixed).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct keel_sim_summary {
    pub size: usize,
    pub paths: u64,
    pub liquidation_probability: f64,
    pub liquidation_probability_se: f64,
    pub mean_liquidations: f64,
    pub mean_bonus_lost: f64,
    pub mean_rebalance_cost: f64,
    pub mean_trades: f64,
    pub mean_final_equity: f64,
    pub mean_min_health: f64,
    pub mean_health: f64,
    pub mean_capital_efficiency: f64,
    pub policy_failures: u64,
    pub paths_with_policy_failures: u64,
    pub first_policy_failure_path: u64,
}

/// `keel_sim_metric`
pub type keel_sim_metric = c_int;
pub const KEEL_SIM_FINAL_EQUITY: keel_sim_metric = 0;
pub const KEEL_SIM_MIN_HEALTH: keel_sim_metric = 1;
pub const KEEL_SIM_MEAN_HEALTH: keel_sim_metric = 2;
pub const KEEL_SIM_REBALANCE_COST: keel_sim_metric = 3;
pub const KEEL_SIM_BONUS_LOST: keel_sim_metric = 4;
pub const KEEL_SIM_LIQUIDATIONS: keel_sim_metric = 5;
pub const KEEL_SIM_FINAL_HEALTH: keel_sim_metric = 6;
pub const KEEL_SIM_POLICY_FAILURES: keel_sim_metric = 7;

/// `KEEL_SECONDS_PER_YEAR`: seconds in the year of a replay's time stamps
/// (365 days); a step between stamps t0 < t1 lasts (t1 - t0) / this years.
pub const KEEL_SECONDS_PER_YEAR: f64 = 31536000.0;

/// `keel_sim_replay` (size-prefixed): rows of prices, `[path][row][asset]`,
/// with optional intraday lows and highs and time stamps in seconds.
/// `Default` is `KEEL_SIM_REPLAY_INIT`: the size set, no paths, no arrays.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct keel_sim_replay {
    pub size: usize,
    pub npaths: usize,
    pub rows: usize,
    pub nassets: usize,
    pub assets: *const keel_asset,
    pub close: *const f64,
    pub low: *const f64,
    pub high: *const f64,
    pub time: *const i64,
}

impl Default for keel_sim_replay {
    fn default() -> Self {
        keel_sim_replay {
            size: core::mem::size_of::<keel_sim_replay>(),
            npaths: 0,
            rows: 0,
            nassets: 0,
            assets: core::ptr::null(),
            close: core::ptr::null(),
            low: core::ptr::null(),
            high: core::ptr::null(),
            time: core::ptr::null(),
        }
    }
}

/// `keel_sim_vol_kind`
pub type keel_sim_vol_kind = c_int;
pub const KEEL_SIM_VOL_CONSTANT: keel_sim_vol_kind = 0;
pub const KEEL_SIM_VOL_EWMA: keel_sim_vol_kind = 1;
pub const KEEL_SIM_VOL_GARCH: keel_sim_vol_kind = 2;

/// `keel_sim_volatility` (size-prefixed). `Default` is
/// `KEEL_SIM_VOLATILITY_INIT` as `keel_sim_volatility_init` fills it:
/// constant, a daily period, RiskMetrics' lambda 0.94, everything else 0.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct keel_sim_volatility {
    pub size: usize,
    pub kind: keel_sim_vol_kind,
    pub period: f64,
    pub lambda: f64,
    pub omega: f64,
    pub alpha: f64,
    pub beta: f64,
    pub initial_variance: f64,
    pub drives: c_int,
}

/// `keel_sim_event_kind`
pub type keel_sim_event_kind = c_int;
pub const KEEL_SIM_EVENT_LIQUIDATION: keel_sim_event_kind = 1;
pub const KEEL_SIM_EVENT_REBALANCE: keel_sim_event_kind = 2;
pub const KEEL_SIM_EVENT_POLICY_FAILURE: keel_sim_event_kind = 3;

/// `keel_sim_event`: one event of a traced path (written by the library;
/// `Default` is all zero, a slot to be overwritten).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct keel_sim_event {
    pub step: u32,
    pub kind: keel_sim_event_kind,
    pub status: keel_status,
    pub action: keel_action,
    pub value_seized: f64,
    pub value_repaid: f64,
    pub bonus_lost: f64,
    pub health_before: f64,
    pub health_after: f64,
}

/// `keel_sim_trace` (size-prefixed): caller-owned arrays that
/// `keel_sim_trace_path` fills. `Default` is `KEEL_SIM_TRACE_INIT`: the
/// sizes set (`size`, `event_size`), no arrays.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct keel_sim_trace {
    pub size: usize,
    pub capacity: usize,
    pub time: *mut f64,
    pub prices: *mut f64,
    pub volatility: *mut f64,
    pub health: *mut f64,
    pub health_low: *mut f64,
    pub collateral_value: *mut f64,
    pub debt_value: *mut f64,
    pub equity: *mut f64,
    pub events: *mut keel_sim_event,
    pub event_capacity: usize,
    pub event_size: usize,
    pub rows: usize,
    pub nevents: usize,
}

impl Default for keel_sim_trace {
    fn default() -> Self {
        keel_sim_trace {
            size: core::mem::size_of::<keel_sim_trace>(),
            capacity: 0,
            time: core::ptr::null_mut(),
            prices: core::ptr::null_mut(),
            volatility: core::ptr::null_mut(),
            health: core::ptr::null_mut(),
            health_low: core::ptr::null_mut(),
            collateral_value: core::ptr::null_mut(),
            debt_value: core::ptr::null_mut(),
            equity: core::ptr::null_mut(),
            events: core::ptr::null_mut(),
            event_capacity: 0,
            event_size: core::mem::size_of::<keel_sim_event>(),
            rows: 0,
            nevents: 0,
        }
    }
}

/// `keel_predictive_params` (size-prefixed).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct keel_predictive_params {
    pub size: usize,
    pub horizon: f64,
    pub max_probability: f64,
    pub repay_asset: keel_asset,
    pub swap_to: keel_asset,
    pub max_trade_value: f64,
}

/// Opaque `keel_cost_model`.
#[repr(C)]
pub struct keel_cost_model {
    _private: [u8; 0],
}

/// `keel_impact`
pub type keel_impact = c_int;
pub const KEEL_IMPACT_NONE: keel_impact = 0;
pub const KEEL_IMPACT_LINEAR: keel_impact = 1;
pub const KEEL_IMPACT_SQRT: keel_impact = 2;
pub const KEEL_IMPACT_POOL: keel_impact = 3;

/// `keel_trade_cost` (size-prefixed).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct keel_trade_cost {
    pub size: usize,
    pub notional: f64,
    pub fee: f64,
    pub spread: f64,
    pub impact: f64,
    pub fixed: f64,
    pub total: f64,
    pub effective_price: f64,
}

/// `keel_swap_result` (size-prefixed).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct keel_swap_result {
    pub size: usize,
    pub sold: f64,
    pub proceeds: f64,
    pub bought: f64,
    pub sell_cost: f64,
    pub buy_cost: f64,
    pub total_cost: f64,
}

/// `keel_position`
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct keel_position {
    pub asset: keel_asset,
    pub collateral: f64,
    pub debt: f64,
}

/// `keel_metrics` (size-prefixed: set `size` before the call).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct keel_metrics {
    pub size: usize,
    pub collateral_value: f64,
    pub borrowing_power: f64,
    pub liquidation_value: f64,
    pub debt_value: f64,
    pub weighted_debt: f64,
    pub health_factor: f64,
    pub ltv: f64,
    pub collateral_ratio: f64,
    pub capital_efficiency: f64,
    pub free_borrowing_power: f64,
    pub liquidation_buffer: f64,
    pub option_value: f64,
    pub option_margin: f64,
    pub weighted_max_ltv: f64,
    pub weighted_liquidation_threshold: f64,
}

/// `keel_concentration_mode`
pub type keel_concentration_mode = c_int;
pub const KEEL_CONCENTRATION_EXTRA: keel_concentration_mode = 0;
pub const KEEL_CONCENTRATION_EXCLUDE: keel_concentration_mode = 1;

/// `keel_haircut_components` (size-prefixed).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct keel_haircut_components {
    pub size: usize,
    pub has_schedule: c_int,
    pub base_initial: f64,
    pub base_maintenance: f64,
    pub volatility: f64,
    pub liquidity: f64,
    pub peg: f64,
    pub concentration: f64,
    pub cap_adjustment: f64,
    pub initial: f64,
    pub maintenance: f64,
    pub excess_fraction: f64,
    pub portfolio_component: f64,
    pub portfolio_var: f64,
}

/// `keel_ewma` state.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct keel_ewma {
    pub size: usize,
    pub lambda: f64,
    pub variance: f64,
    pub last_price: f64,
    pub count: u64,
}

/// `keel_garch` state.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct keel_garch {
    pub size: usize,
    pub omega: f64,
    pub alpha: f64,
    pub beta: f64,
    pub variance: f64,
    pub last_price: f64,
    pub count: u64,
}

/// `keel_garch_dist`: innovations of `keel_garch_fit`.
pub type keel_garch_dist = c_int;
pub const KEEL_GARCH_NORMAL: keel_garch_dist = 0;
pub const KEEL_GARCH_STUDENT_T: keel_garch_dist = 1;

/// `keel_garch_bound`: bits of `keel_garch_fit_result::bounds`.
pub type keel_garch_bound = c_int;
pub const KEEL_GARCH_BOUND_ALPHA: keel_garch_bound = 1;
pub const KEEL_GARCH_BOUND_BETA: keel_garch_bound = 2;
pub const KEEL_GARCH_BOUND_INTEGRATED: keel_garch_bound = 4;

/// Fewer returns than this are refused by `keel_garch_fit`.
pub const KEEL_GARCH_FIT_MIN_RETURNS: usize = 50;

/// `keel_garch_fit_params` (size-prefixed).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct keel_garch_fit_params {
    pub size: usize,
    pub distribution: keel_garch_dist,
    pub demean: c_int,
    pub max_iterations: u32,
}

/// `keel_garch_fit_result` (size-prefixed).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct keel_garch_fit_result {
    pub size: usize,
    pub omega: f64,
    pub alpha: f64,
    pub beta: f64,
    pub nu: f64,
    pub mean: f64,
    pub omega_se: f64,
    pub alpha_se: f64,
    pub beta_se: f64,
    pub nu_se: f64,
    pub mean_se: f64,
    pub log_likelihood: f64,
    pub initial_variance: f64,
    pub last_variance: f64,
    pub persistence: f64,
    pub iterations: u32,
    pub bounds: u32,
    pub n: u64,
}

/// `keel_option_type`
pub type keel_option_type = c_int;
pub const KEEL_CALL: keel_option_type = 0;
pub const KEEL_PUT: keel_option_type = 1;

/// `keel_greeks` (size-prefixed).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct keel_greeks {
    pub size: usize,
    pub value: f64,
    pub delta: f64,
    pub gamma: f64,
    pub vega: f64,
    pub theta: f64,
    pub rho: f64,
    pub dividend_rho: f64,
    pub vanna: f64,
    pub volga: f64,
    pub charm: f64,
}

/// `keel_greeks_arrays`: output pointers, each may be null.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct keel_greeks_arrays {
    pub size: usize,
    pub value: *mut f64,
    pub delta: *mut f64,
    pub gamma: *mut f64,
    pub vega: *mut f64,
    pub theta: *mut f64,
    pub rho: *mut f64,
    pub dividend_rho: *mut f64,
    pub vanna: *mut f64,
    pub volga: *mut f64,
    pub charm: *mut f64,
}

/// `keel_option_position` (size-prefixed).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct keel_option_position {
    pub size: usize,
    pub id: u32,
    pub underlying: keel_asset,
    pub type_: keel_option_type,
    pub strike: f64,
    pub expiry: f64,
    pub quantity: f64,
    pub has_volatility: c_int,
    pub volatility: f64,
}

/// `keel_scenario`
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct keel_scenario {
    pub price_move: f64,
    pub vol_move: f64,
    pub cover: f64,
}

/// `keel_margin_params` (size-prefixed).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct keel_margin_params {
    pub size: usize,
    pub horizon_days: f64,
    pub price_sigmas: f64,
    pub vol_scan: f64,
    pub scenarios: *const keel_scenario,
    pub scenario_count: usize,
}

/// `keel_margin_result` (size-prefixed).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct keel_margin_result {
    pub size: usize,
    pub margin: f64,
    pub value: f64,
    pub worst_underlying: keel_asset,
    pub worst_scenario: usize,
    pub worst_loss: f64,
}

/// `keel_allocator`
#[repr(C)]
#[derive(Clone, Copy)]
pub struct keel_allocator {
    pub malloc_fn: Option<unsafe extern "C" fn(user: *mut c_void, size: usize) -> *mut c_void>,
    pub realloc_fn:
        Option<unsafe extern "C" fn(user: *mut c_void, ptr: *mut c_void, size: usize) -> *mut c_void>,
    pub free_fn: Option<unsafe extern "C" fn(user: *mut c_void, ptr: *mut c_void)>,
    pub user: *mut c_void,
}

// ---- u256.h ----

/// `keel_u256`: an unsigned 256-bit integer, passed by value; limbs least
/// significant first (value = w[0] + w[1]·2^64 + w[2]·2^128 + w[3]·2^192).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct keel_u256 {
    pub w: [u64; 4],
}

/// `KEEL_U256_DECIMAL_MAX`: bytes a decimal keel_u256 needs, with its NUL (78 digits + 1).
pub const KEEL_U256_DECIMAL_MAX: usize = 79;

/// `keel_wadray_op`: one WadRayMath / PercentageMath function.
pub type keel_wadray_op = c_int;
pub const KEEL_WAD_MUL: keel_wadray_op = 0;
pub const KEEL_WAD_DIV: keel_wadray_op = 1;
pub const KEEL_RAY_MUL: keel_wadray_op = 2;
pub const KEEL_RAY_MUL_FLOOR: keel_wadray_op = 3;
pub const KEEL_RAY_MUL_CEIL: keel_wadray_op = 4;
pub const KEEL_RAY_DIV: keel_wadray_op = 5;
pub const KEEL_RAY_DIV_FLOOR: keel_wadray_op = 6;
pub const KEEL_RAY_DIV_CEIL: keel_wadray_op = 7;
pub const KEEL_PERCENT_MUL: keel_wadray_op = 8;
pub const KEEL_PERCENT_MUL_FLOOR: keel_wadray_op = 9;
pub const KEEL_PERCENT_MUL_CEIL: keel_wadray_op = 10;
pub const KEEL_PERCENT_DIV: keel_wadray_op = 11;
pub const KEEL_PERCENT_DIV_CEIL: keel_wadray_op = 12;

// ---- aave.h (experimental tier) ----

/// Opaque `keel_aave_market`.
#[repr(C)]
pub struct keel_aave_market {
    _private: [u8; 0],
}
/// Opaque `keel_aave_account`.
#[repr(C)]
pub struct keel_aave_account {
    _private: [u8; 0],
}

/// `keel_aave_version`
pub type keel_aave_version = c_int;
pub const KEEL_AAVE_V3_4: keel_aave_version = 340;
pub const KEEL_AAVE_V3_5: keel_aave_version = 350;
pub const KEEL_AAVE_V3_6: keel_aave_version = 360;

/// Bits of `keel_aave_reserve::flags`.
pub const KEEL_AAVE_ACTIVE: u32 = 1;
pub const KEEL_AAVE_FROZEN: u32 = 2;
pub const KEEL_AAVE_PAUSED: u32 = 4;
pub const KEEL_AAVE_BORROWING_ENABLED: u32 = 8;
pub const KEEL_AAVE_BORROWABLE_IN_ISOLATION: u32 = 16;

/// `keel_aave_reserve` (size-prefixed); `Default` is `KEEL_AAVE_RESERVE_INIT`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct keel_aave_reserve {
    pub size: usize,
    pub decimals: u32,
    pub ltv: u32,
    pub liquidation_threshold: u32,
    pub liquidation_bonus: u32,
    pub liquidation_protocol_fee: u32,
    pub flags: u32,
    pub price: keel_u256,
    pub liquidity_index: keel_u256,
    pub variable_borrow_index: keel_u256,
    pub liquidity_rate: keel_u256,
    pub variable_borrow_rate: keel_u256,
    pub last_update: u64,
    pub debt_ceiling: keel_u256,
    pub isolation_mode_total_debt: keel_u256,
}

/// `keel_aave_emode` (size-prefixed); `Default` is `KEEL_AAVE_EMODE_INIT`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct keel_aave_emode {
    pub size: usize,
    pub ltv: u32,
    pub liquidation_threshold: u32,
    pub liquidation_bonus: u32,
    pub reserved: u32,
    pub collateral_bitmap: [u64; 2],
    pub borrowable_bitmap: [u64; 2],
    pub ltvzero_bitmap: [u64; 2],
}

/// `KEEL_AAVE_MAX_RESERVES`: most reserves a market holds.
pub const KEEL_AAVE_MAX_RESERVES: usize = 128;

/// Bits of `keel_aave_account_set_position`'s `flags`.
pub const KEEL_AAVE_COLLATERAL: u32 = 1;
pub const KEEL_AAVE_UNDERLYING: u32 = 2;

/// `keel_aave_account_data` (size-prefixed); `Default` is
/// `KEEL_AAVE_ACCOUNT_DATA_INIT` (size set, everything else 0).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct keel_aave_account_data {
    pub size: usize,
    pub total_collateral_base: keel_u256,
    pub total_debt_base: keel_u256,
    pub available_borrows_base: keel_u256,
    pub current_liquidation_threshold: keel_u256,
    pub ltv: keel_u256,
    pub health_factor: keel_u256,
    pub has_zero_ltv_collateral: c_int,
    pub isolated: c_int,
    pub isolation_collateral: u32,
    pub liquidatable: c_int,
}

/// `keel_aave_revert`: why the pool would revert a call.
pub type keel_aave_revert = c_int;
pub const KEEL_AAVE_OK: keel_aave_revert = 0;
pub const KEEL_AAVE_HEALTH_FACTOR_NOT_BELOW_THRESHOLD: keel_aave_revert = 1;
pub const KEEL_AAVE_COLLATERAL_CANNOT_BE_LIQUIDATED: keel_aave_revert = 2;
pub const KEEL_AAVE_SPECIFIED_CURRENCY_NOT_BORROWED: keel_aave_revert = 3;
pub const KEEL_AAVE_MUST_NOT_LEAVE_DUST: keel_aave_revert = 4;
pub const KEEL_AAVE_RESERVE_INACTIVE: keel_aave_revert = 5;
pub const KEEL_AAVE_RESERVE_PAUSED: keel_aave_revert = 6;
pub const KEEL_AAVE_INVALID_BURN_AMOUNT: keel_aave_revert = 7;
pub const KEEL_AAVE_ARITHMETIC: keel_aave_revert = 8;

/// `keel_aave_liquidation` (size-prefixed); `Default` is
/// `KEEL_AAVE_LIQUIDATION_INIT` (size set, everything else 0).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct keel_aave_liquidation {
    pub size: usize,
    pub revert: keel_aave_revert,
    pub collateral: u32,
    pub debt: u32,
    pub liquidation_bonus: u32,
    pub debt_repaid: keel_u256,
    pub collateral_to_liquidator: keel_u256,
    pub protocol_fee: keel_u256,
    pub deficit_base: keel_u256,
    pub debt_repaid_base: keel_u256,
    pub collateral_to_liquidator_base: keel_u256,
    pub profit_base: f64,
    pub health_factor_before: keel_u256,
    pub health_factor_after: keel_u256,
}

/// `keel_aave_price_boundary` (size-prefixed); `Default` has the size set
/// and everything else 0.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct keel_aave_price_boundary {
    pub size: usize,
    pub direction: c_int,
    pub liquidatable_now: c_int,
    pub price: keel_u256,
}

// ---- Compound v3 (comet.h): experimental; the safe crate wraps it in keel::comet ----

/// Opaque `keel_comet_market`.
#[repr(C)]
pub struct keel_comet_market {
    _private: [u8; 0],
}
/// Opaque `keel_comet_account`.
#[repr(C)]
pub struct keel_comet_account {
    _private: [u8; 0],
}

/// `KEEL_COMET_MAX_ASSETS`: collateral assets a market holds.
pub const KEEL_COMET_MAX_ASSETS: usize = 12;
/// `KEEL_COMET_BASE_ID`: the id keel_comet_market_set_price takes for the base.
pub const KEEL_COMET_BASE_ID: u32 = u32::MAX;

/// `keel_comet_int`: sign and magnitude (value = negative ? -magnitude : magnitude).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct keel_comet_int {
    pub magnitude: keel_u256,
    pub negative: i32,
    pub reserved: u32,
}

/// `keel_comet_base` (size-prefixed); `Default` is `KEEL_COMET_BASE_INIT`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct keel_comet_base {
    pub size: usize,
    pub decimals: u32,
    pub pause_flags: u32,
    pub price: keel_u256,
    pub supply_index: u64,
    pub borrow_index: u64,
    pub last_accrual_time: u64,
    pub total_supply_base: keel_u256,
    pub total_borrow_base: keel_u256,
    pub base_balance: keel_u256,
    pub supply_kink: u64,
    pub supply_per_year_interest_rate_slope_low: u64,
    pub supply_per_year_interest_rate_slope_high: u64,
    pub supply_per_year_interest_rate_base: u64,
    pub borrow_kink: u64,
    pub borrow_per_year_interest_rate_slope_low: u64,
    pub borrow_per_year_interest_rate_slope_high: u64,
    pub borrow_per_year_interest_rate_base: u64,
    pub store_front_price_factor: u64,
    pub base_borrow_min: keel_u256,
    pub target_reserves: keel_u256,
}

/// `keel_comet_asset` (size-prefixed); `Default` is `KEEL_COMET_ASSET_INIT`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct keel_comet_asset {
    pub size: usize,
    pub decimals: u32,
    pub reserved: u32,
    pub price: keel_u256,
    pub borrow_collateral_factor: u64,
    pub liquidate_collateral_factor: u64,
    pub liquidation_factor: u64,
    pub supply_cap: keel_u256,
    pub total_supply_asset: keel_u256,
    pub balance: keel_u256,
}

/// `keel_comet_rates` (size-prefixed output).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct keel_comet_rates {
    pub size: usize,
    pub utilization: keel_u256,
    pub supply_rate: u64,
    pub borrow_rate: u64,
    pub total_supply: keel_u256,
    pub total_borrow: keel_u256,
    pub reserves: keel_comet_int,
}

/// `keel_comet_account_data` (size-prefixed output).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct keel_comet_account_data {
    pub size: usize,
    pub present_value: keel_comet_int,
    pub base_value: keel_comet_int,
    pub collateral_value: keel_u256,
    pub borrow_collateral_value: keel_u256,
    pub liquidate_collateral_value: keel_u256,
    pub borrow_liquidity: keel_comet_int,
    pub liquidation_liquidity: keel_comet_int,
    pub is_borrow_collateralized: i32,
    pub is_liquidatable: i32,
    pub complete: i32,
    pub reserved: u32,
}

/// `keel_comet_revert`: why the contract would revert.
pub type keel_comet_revert = c_int;
pub const KEEL_COMET_OK: keel_comet_revert = 0;
pub const KEEL_COMET_PAUSED: keel_comet_revert = 1;
pub const KEEL_COMET_NOT_LIQUIDATABLE: keel_comet_revert = 2;
pub const KEEL_COMET_NOT_FOR_SALE: keel_comet_revert = 3;
pub const KEEL_COMET_TOO_MUCH_SLIPPAGE: keel_comet_revert = 4;
pub const KEEL_COMET_INSUFFICIENT_RESERVES: keel_comet_revert = 5;
pub const KEEL_COMET_BORROW_TOO_SMALL: keel_comet_revert = 6;
pub const KEEL_COMET_NOT_COLLATERALIZED: keel_comet_revert = 7;
pub const KEEL_COMET_SUPPLY_CAP_EXCEEDED: keel_comet_revert = 8;
pub const KEEL_COMET_INVALID_UINT64: keel_comet_revert = 9;
pub const KEEL_COMET_INVALID_UINT104: keel_comet_revert = 10;
pub const KEEL_COMET_INVALID_UINT128: keel_comet_revert = 11;
pub const KEEL_COMET_INVALID_INT104: keel_comet_revert = 12;
pub const KEEL_COMET_INVALID_INT256: keel_comet_revert = 13;
pub const KEEL_COMET_ARITHMETIC: keel_comet_revert = 14;
pub const KEEL_COMET_DIVISION_BY_ZERO: keel_comet_revert = 15;

/// `keel_comet_line`: the line a keeper target is measured against.
pub type keel_comet_line = c_int;
pub const KEEL_COMET_BORROW_LINE: keel_comet_line = 0;
pub const KEEL_COMET_LIQUIDATE_LINE: keel_comet_line = 1;

/// `keel_comet_absorb` (size-prefixed output).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct keel_comet_absorb {
    pub size: usize,
    pub revert: keel_comet_revert,
    pub reserved: u32,
    pub old_principal: keel_comet_int,
    pub new_principal: keel_comet_int,
    pub old_balance: keel_comet_int,
    pub new_balance: keel_comet_int,
    pub seized: [keel_u256; KEEL_COMET_MAX_ASSETS],
    pub seized_value: [keel_u256; KEEL_COMET_MAX_ASSETS],
    pub delta_value: keel_u256,
    pub delta_balance: keel_u256,
    pub base_paid_out: keel_u256,
    pub value_of_base_paid_out: keel_u256,
    pub deficit: keel_u256,
    pub repay_amount: keel_u256,
    pub supply_amount: keel_u256,
    pub total_supply_base: keel_u256,
    pub total_borrow_base: keel_u256,
    pub reserves_before: keel_comet_int,
    pub reserves_after: keel_comet_int,
}

/// `keel_comet_buy` (size-prefixed output).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct keel_comet_buy {
    pub size: usize,
    pub revert: keel_comet_revert,
    pub reserved: u32,
    pub reserves: keel_comet_int,
    pub collateral_amount: keel_u256,
    pub collateral_reserves: keel_u256,
}

/// `keel_comet_price_boundary` (size-prefixed output).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct keel_comet_price_boundary {
    pub size: usize,
    pub direction: c_int,
    pub liquidatable_now: c_int,
    pub price: keel_u256,
}

// ---- morpho.h (experimental tier) ----

/// Opaque `keel_morpho_market`.
#[repr(C)]
pub struct keel_morpho_market {
    _private: [u8; 0],
}

/// `keel_morpho_params` (size-prefixed); `Default` is `KEEL_MORPHO_PARAMS_INIT`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct keel_morpho_params {
    pub size: usize,
    pub loan_decimals: u32,
    pub collateral_decimals: u32,
    pub price: keel_u256,
    pub lltv: keel_u256,
}

/// `keel_morpho_state` (size-prefixed); `Default` is `KEEL_MORPHO_STATE_INIT`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct keel_morpho_state {
    pub size: usize,
    pub total_supply_assets: keel_u256,
    pub total_supply_shares: keel_u256,
    pub total_borrow_assets: keel_u256,
    pub total_borrow_shares: keel_u256,
    pub last_update: u64,
    pub fee: keel_u256,
}

/// `keel_morpho_position`: fixed layout, not size-prefixed.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct keel_morpho_position {
    pub supply_shares: keel_u256,
    pub borrow_shares: keel_u256,
    pub collateral: keel_u256,
}

/// `keel_morpho_position_data` (size-prefixed); `Default` has the size set
/// and everything else 0.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct keel_morpho_position_data {
    pub size: usize,
    pub supply_assets: keel_u256,
    pub borrow_assets: keel_u256,
    pub collateral_value: keel_u256,
    pub max_borrow: keel_u256,
    pub health_factor: keel_u256,
    pub healthy: c_int,
    pub liquidatable: c_int,
}

/// `keel_morpho_conversion`: SharesMathLib's four conversions.
pub type keel_morpho_conversion = c_int;
pub const KEEL_MORPHO_TO_SHARES_DOWN: keel_morpho_conversion = 0;
pub const KEEL_MORPHO_TO_SHARES_UP: keel_morpho_conversion = 1;
pub const KEEL_MORPHO_TO_ASSETS_DOWN: keel_morpho_conversion = 2;
pub const KEEL_MORPHO_TO_ASSETS_UP: keel_morpho_conversion = 3;

/// `keel_morpho_unit`: a repay in assets or in shares.
pub type keel_morpho_unit = c_int;
pub const KEEL_MORPHO_ASSETS: keel_morpho_unit = 0;
pub const KEEL_MORPHO_SHARES: keel_morpho_unit = 1;

/// `keel_morpho_revert`: why Morpho would revert a call.
pub type keel_morpho_revert = c_int;
pub const KEEL_MORPHO_OK: keel_morpho_revert = 0;
pub const KEEL_MORPHO_HEALTHY_POSITION: keel_morpho_revert = 1;
pub const KEEL_MORPHO_INCONSISTENT_INPUT: keel_morpho_revert = 2;
pub const KEEL_MORPHO_INSUFFICIENT_COLLATERAL: keel_morpho_revert = 3;
pub const KEEL_MORPHO_INSUFFICIENT_LIQUIDITY: keel_morpho_revert = 4;
pub const KEEL_MORPHO_MAX_UINT128_EXCEEDED: keel_morpho_revert = 5;
pub const KEEL_MORPHO_ARITHMETIC: keel_morpho_revert = 6;
pub const KEEL_MORPHO_DIVISION_BY_ZERO: keel_morpho_revert = 7;

/// `keel_morpho_liquidation` (size-prefixed); `Default` has the size set
/// and everything else 0.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct keel_morpho_liquidation {
    pub size: usize,
    pub revert: keel_morpho_revert,
    pub incentive_factor: keel_u256,
    pub seized_assets: keel_u256,
    pub repaid_shares: keel_u256,
    pub repaid_assets: keel_u256,
    pub bad_debt_shares: keel_u256,
    pub bad_debt_assets: keel_u256,
    pub seized_value: keel_u256,
    pub profit: f64,
    pub total_supply_assets_after: keel_u256,
    pub total_supply_shares_after: keel_u256,
    pub total_borrow_assets_after: keel_u256,
    pub total_borrow_shares_after: keel_u256,
}

/// `Default` of a size-prefixed output struct whose C initialiser is
/// `{ sizeof(T) }`: the size set, every other field zero.
macro_rules! default_sized_zero {
    ($($ty:ident),* $(,)?) => {$(
        impl Default for $ty {
            fn default() -> Self {
                // SAFETY: every field (integers, doubles, u256 limbs) accepts all-zero bits.
                let mut v: $ty = unsafe { core::mem::zeroed() };
                v.size = core::mem::size_of::<$ty>();
                v
            }
        }
    )*};
}

default_sized_zero!(keel_aave_account_data, keel_aave_liquidation, keel_aave_price_boundary);
default_sized_zero!(keel_comet_rates, keel_comet_account_data, keel_comet_absorb, keel_comet_buy,
                    keel_comet_price_boundary);
default_sized_zero!(keel_morpho_position_data, keel_morpho_liquidation);

/// `Default` of every parameter struct is the library's own: the C
/// `keel_*_params_init` function fills it (the numbers live once, in the C
/// headers' `KEEL_*_INIT` initialisers), with `size` set to this struct's size.
macro_rules! default_from_c {
    ($($ty:ident => $init:ident),* $(,)?) => {$(
        impl Default for $ty {
            fn default() -> Self {
                let mut p = core::mem::MaybeUninit::<$ty>::zeroed();
                // SAFETY: p is writable for the size passed; the function fails
                // only for NULL or a size below the size member, neither here.
                let status = unsafe { $init(p.as_mut_ptr(), core::mem::size_of::<$ty>()) };
                assert_eq!(status, KEEL_OK, concat!(stringify!($init), " failed"));
                // SAFETY: zeroed, then filled by the library; every field accepts any bits.
                unsafe { p.assume_init() }
            }
        }
    )*};
}

default_from_c! {
    keel_margin_params => keel_margin_params_init,
    keel_deleverage_params => keel_deleverage_params_init,
    keel_health_band_params => keel_health_band_params_init,
    keel_leverage_band_params => keel_leverage_band_params_init,
    keel_target_weights_params => keel_target_weights_params_init,
    keel_delta_hedge_params => keel_delta_hedge_params_init,
    keel_predictive_params => keel_predictive_params_init,
    keel_collateral_params => keel_collateral_params_init,
    keel_sim_params => keel_sim_params_init,
    keel_sim_volatility => keel_sim_volatility_init,
    keel_garch_fit_params => keel_garch_fit_params_init,
    keel_aave_reserve => keel_aave_reserve_init,
    keel_aave_emode => keel_aave_emode_init,
    keel_comet_base => keel_comet_base_init,
    keel_comet_asset => keel_comet_asset_init,
    keel_morpho_params => keel_morpho_params_init,
    keel_morpho_state => keel_morpho_state_init,
}

extern "C" {
    // core.h
    pub fn keel_status_str(status: keel_status) -> *const c_char;
    pub fn keel_last_error() -> *const c_char;
    pub fn keel_version() -> *const c_char;
    pub fn keel_version_number() -> c_uint;
    pub fn keel_set_allocator(allocator: *const keel_allocator) -> keel_status;
    pub fn keel_live_handles() -> usize;

    // market.h
    pub fn keel_market_new(out: *mut *mut keel_market) -> keel_status;
    pub fn keel_market_free(market: *mut keel_market);
    pub fn keel_market_clone(market: *const keel_market, out: *mut *mut keel_market) -> keel_status;
    pub fn keel_market_add_asset(market: *mut keel_market, symbol: *const c_char, price: f64,
                                 out_asset: *mut keel_asset) -> keel_status;
    pub fn keel_market_find(market: *const keel_market, symbol: *const c_char,
                            out_asset: *mut keel_asset) -> keel_status;
    pub fn keel_market_asset_count(market: *const keel_market, out_count: *mut usize) -> keel_status;
    pub fn keel_market_symbol(market: *const keel_market, asset: keel_asset, buffer: *mut c_char,
                              buffer_size: usize) -> keel_status;
    pub fn keel_market_set_price(market: *mut keel_market, asset: keel_asset, price: f64) -> keel_status;
    pub fn keel_market_set_prices(market: *mut keel_market, prices: *const f64, count: usize) -> keel_status;
    pub fn keel_market_price(market: *const keel_market, asset: keel_asset, out_price: *mut f64) -> keel_status;
    pub fn keel_market_set_volatility(market: *mut keel_market, asset: keel_asset, volatility: f64) -> keel_status;
    pub fn keel_market_volatility(market: *const keel_market, asset: keel_asset,
                                  out_volatility: *mut f64) -> keel_status;
    pub fn keel_market_set_carry(market: *mut keel_market, asset: keel_asset, carry: f64) -> keel_status;
    pub fn keel_market_carry(market: *const keel_market, asset: keel_asset, out_carry: *mut f64) -> keel_status;
    pub fn keel_market_set_depth(market: *mut keel_market, asset: keel_asset, depth: f64) -> keel_status;
    pub fn keel_market_depth(market: *const keel_market, asset: keel_asset, out_depth: *mut f64) -> keel_status;
    pub fn keel_market_set_rate(market: *mut keel_market, rate: f64) -> keel_status;
    pub fn keel_market_rate(market: *const keel_market, out_rate: *mut f64) -> keel_status;
    pub fn keel_market_set_correlation(market: *mut keel_market, a: keel_asset, b: keel_asset,
                                       rho: f64) -> keel_status;
    pub fn keel_market_set_correlations(market: *mut keel_market, count: usize,
                                        a: *const keel_asset, b: *const keel_asset,
                                        rho: *const f64) -> keel_status;
    pub fn keel_market_correlation(market: *const keel_market, a: keel_asset, b: keel_asset,
                                   out_rho: *mut f64) -> keel_status;

    // basket.h
    pub fn keel_basket_new(out: *mut *mut keel_basket) -> keel_status;
    pub fn keel_basket_free(basket: *mut keel_basket);
    pub fn keel_basket_clone(basket: *const keel_basket, out: *mut *mut keel_basket) -> keel_status;
    pub fn keel_basket_set_collateral(basket: *mut keel_basket, asset: keel_asset, quantity: f64) -> keel_status;
    pub fn keel_basket_set_debt(basket: *mut keel_basket, asset: keel_asset, quantity: f64) -> keel_status;
    pub fn keel_basket_add_collateral(basket: *mut keel_basket, asset: keel_asset, delta: f64) -> keel_status;
    pub fn keel_basket_add_debt(basket: *mut keel_basket, asset: keel_asset, delta: f64) -> keel_status;
    pub fn keel_basket_collateral(basket: *const keel_basket, asset: keel_asset,
                                  out_quantity: *mut f64) -> keel_status;
    pub fn keel_basket_debt(basket: *const keel_basket, asset: keel_asset, out_quantity: *mut f64) -> keel_status;
    pub fn keel_basket_positions(basket: *const keel_basket, out: *mut keel_position, capacity: usize,
                                 out_count: *mut usize) -> keel_status;
    pub fn keel_basket_clear(basket: *mut keel_basket) -> keel_status;

    // haircut.h
    pub fn keel_haircut_model_new(out: *mut *mut keel_haircut_model) -> keel_status;
    pub fn keel_haircut_model_free(model: *mut keel_haircut_model);
    pub fn keel_haircut_model_clone(model: *const keel_haircut_model,
                                    out: *mut *mut keel_haircut_model) -> keel_status;
    pub fn keel_haircut_model_set_asset(model: *mut keel_haircut_model, asset: keel_asset, initial: f64,
                                        maintenance: f64) -> keel_status;
    pub fn keel_haircut_model_asset(model: *const keel_haircut_model, asset: keel_asset,
                                    out_initial: *mut f64, out_maintenance: *mut f64) -> keel_status;
    pub fn keel_haircut_model_clear_asset(model: *mut keel_haircut_model, asset: keel_asset) -> keel_status;
    pub fn keel_haircut_model_set_borrow_factor(model: *mut keel_haircut_model, asset: keel_asset,
                                                factor: f64) -> keel_status;
    pub fn keel_haircut_model_borrow_factor(model: *const keel_haircut_model, asset: keel_asset,
                                            out_factor: *mut f64) -> keel_status;

    pub fn keel_haircut_model_set_cap(model: *mut keel_haircut_model, asset: keel_asset, cap: f64) -> keel_status;
    pub fn keel_haircut_model_cap(model: *const keel_haircut_model, asset: keel_asset, out_cap: *mut f64) -> keel_status;
    pub fn keel_haircut_model_set_volatility_addon(model: *mut keel_haircut_model, confidence: f64,
                                                   horizon_days: f64) -> keel_status;
    pub fn keel_haircut_model_volatility_addon(model: *const keel_haircut_model, out_confidence: *mut f64,
                                               out_horizon_days: *mut f64) -> keel_status;
    pub fn keel_haircut_model_set_liquidity_addon(model: *mut keel_haircut_model, k: f64, cap: f64) -> keel_status;
    pub fn keel_haircut_model_liquidity_addon(model: *const keel_haircut_model, out_k: *mut f64,
                                              out_cap: *mut f64) -> keel_status;
    pub fn keel_haircut_model_set_concentration(model: *mut keel_haircut_model, asset: keel_asset,
                                                max_share: f64, extra: f64) -> keel_status;
    pub fn keel_haircut_model_concentration(model: *const keel_haircut_model, asset: keel_asset,
                                            out_max_share: *mut f64, out_extra: *mut f64) -> keel_status;
    pub fn keel_haircut_model_set_concentration_mode(model: *mut keel_haircut_model,
                                                     mode: keel_concentration_mode) -> keel_status;
    pub fn keel_haircut_model_concentration_mode(model: *const keel_haircut_model,
                                                 out_mode: *mut keel_concentration_mode) -> keel_status;
    pub fn keel_haircut_model_set_peg_group(model: *mut keel_haircut_model, asset: keel_asset, group: u32) -> keel_status;
    pub fn keel_haircut_model_peg_group(model: *const keel_haircut_model, asset: keel_asset,
                                        out_group: *mut u32) -> keel_status;
    pub fn keel_haircut_model_set_peg_mismatch_addon(model: *mut keel_haircut_model, addon: f64) -> keel_status;
    pub fn keel_haircut_model_peg_mismatch_addon(model: *const keel_haircut_model, out_addon: *mut f64) -> keel_status;
    pub fn keel_haircut_model_set_portfolio_mode(model: *mut keel_haircut_model, enabled: c_int) -> keel_status;
    pub fn keel_haircut_model_portfolio_mode(model: *const keel_haircut_model, out_enabled: *mut c_int) -> keel_status;
    pub fn keel_haircut_breakdown(model: *const keel_haircut_model, basket: *const keel_basket,
                                  market: *const keel_market, asset: keel_asset,
                                  out: *mut keel_haircut_components) -> keel_status;
    pub fn keel_volatility_haircut(volatility: f64, confidence: f64, horizon_years: f64,
                                   out_haircut: *mut f64) -> keel_status;
    pub fn keel_haircut_scale_holding_period(haircut: f64, from_days: f64, to_days: f64,
                                             out_haircut: *mut f64) -> keel_status;

    // options.h
    pub fn keel_black_scholes(type_: keel_option_type, spot: f64, strike: f64, expiry: f64, rate: f64,
                              dividend: f64, vol: f64, out: *mut keel_greeks) -> keel_status;
    pub fn keel_black76(type_: keel_option_type, forward: f64, strike: f64, expiry: f64, rate: f64,
                        vol: f64, out: *mut keel_greeks) -> keel_status;
    pub fn keel_black_scholes_batch(count: usize, types: *const keel_option_type, spot: *const f64,
                                    strike: *const f64, expiry: *const f64, rate: *const f64,
                                    dividend: *const f64, vol: *const f64,
                                    out: *mut keel_greeks_arrays) -> keel_status;
    pub fn keel_implied_volatility(type_: keel_option_type, price: f64, spot: f64, strike: f64,
                                   expiry: f64, rate: f64, dividend: f64, out_vol: *mut f64) -> keel_status;
    pub fn keel_implied_volatility_black76(type_: keel_option_type, price: f64, forward: f64,
                                           strike: f64, expiry: f64, rate: f64,
                                           out_vol: *mut f64) -> keel_status;
    pub fn keel_implied_volatility_batch(count: usize, types: *const keel_option_type,
                                         prices: *const f64, spot: *const f64, strike: *const f64,
                                         expiry: *const f64, rate: *const f64,
                                         dividend: *const f64, out_vols: *mut f64,
                                         out_status: *mut keel_status) -> keel_status;
    pub fn keel_implied_volatility_black76_batch(count: usize, types: *const keel_option_type,
                                                 prices: *const f64, forward: *const f64,
                                                 strike: *const f64, expiry: *const f64,
                                                 rate: *const f64, out_vols: *mut f64,
                                                 out_status: *mut keel_status) -> keel_status;

    pub fn keel_options_new(out: *mut *mut keel_options) -> keel_status;
    pub fn keel_options_free(options: *mut keel_options);
    pub fn keel_options_clone(options: *const keel_options, out: *mut *mut keel_options) -> keel_status;
    pub fn keel_options_add(options: *mut keel_options, underlying: keel_asset, type_: keel_option_type,
                            strike: f64, expiry: f64, quantity: f64, out_id: *mut u32) -> keel_status;
    pub fn keel_options_set_quantity(options: *mut keel_options, id: u32, quantity: f64) -> keel_status;
    pub fn keel_options_set_expiry(options: *mut keel_options, id: u32, expiry: f64) -> keel_status;
    pub fn keel_options_set_volatility(options: *mut keel_options, id: u32, volatility: f64) -> keel_status;
    pub fn keel_options_clear_volatility(options: *mut keel_options, id: u32) -> keel_status;
    pub fn keel_options_remove(options: *mut keel_options, id: u32) -> keel_status;
    pub fn keel_options_count(options: *const keel_options, out_count: *mut usize) -> keel_status;
    pub fn keel_options_position(options: *const keel_options, index: usize,
                                 out: *mut keel_option_position) -> keel_status;
    pub fn keel_options_set_margin_params(options: *mut keel_options,
                                          params: *const keel_margin_params) -> keel_status;
    pub fn keel_options_value(options: *const keel_options, market: *const keel_market,
                              out_value: *mut f64) -> keel_status;
    pub fn keel_options_greeks(options: *const keel_options, market: *const keel_market,
                               underlying: keel_asset, out: *mut keel_greeks) -> keel_status;
    pub fn keel_options_scenario_margin(options: *const keel_options, market: *const keel_market,
                                        out: *mut keel_margin_result) -> keel_status;
    pub fn keel_basket_liquidation_prices(basket: *const keel_basket, options: *const keel_options,
                                          market: *const keel_market,
                                          haircuts: *const keel_haircut_model, asset: keel_asset,
                                          out_below: *mut f64, out_above: *mut f64) -> keel_status;
    pub fn keel_basket_health_sensitivity(basket: *const keel_basket, options: *const keel_options,
                                          market: *const keel_market,
                                          haircuts: *const keel_haircut_model, asset: keel_asset,
                                          out_dhf: *mut f64, out_d2hf: *mut f64) -> keel_status;
    pub fn keel_basket_pnl(basket: *const keel_basket, options: *const keel_options,
                           market: *const keel_market, asset: keel_asset, move_: f64,
                           out_full: *mut f64, out_delta_gamma: *mut f64) -> keel_status;

    pub fn keel_margin_params_init(params: *mut keel_margin_params, size: usize) -> keel_status;

    // cost.h
    pub fn keel_cost_model_new(out: *mut *mut keel_cost_model) -> keel_status;
    pub fn keel_cost_model_free(model: *mut keel_cost_model);
    pub fn keel_cost_model_clone(model: *const keel_cost_model, out: *mut *mut keel_cost_model) -> keel_status;
    pub fn keel_cost_model_set_fee(model: *mut keel_cost_model, asset: keel_asset, fee: f64,
                                   half_spread: f64) -> keel_status;
    pub fn keel_cost_model_set_fixed(model: *mut keel_cost_model, asset: keel_asset, fixed: f64) -> keel_status;
    pub fn keel_cost_model_set_linear_impact(model: *mut keel_cost_model, asset: keel_asset, k: f64,
                                             depth: f64) -> keel_status;
    pub fn keel_cost_model_set_sqrt_impact(model: *mut keel_cost_model, asset: keel_asset, y: f64,
                                           volume: f64) -> keel_status;
    pub fn keel_cost_model_set_pool(model: *mut keel_cost_model, asset: keel_asset, base_reserve: f64,
                                    quote_reserve: f64, fee: f64) -> keel_status;
    pub fn keel_cost_model_clear_impact(model: *mut keel_cost_model, asset: keel_asset) -> keel_status;
    pub fn keel_cost_model_impact(model: *const keel_cost_model, asset: keel_asset,
                                  out_impact: *mut keel_impact) -> keel_status;
    pub fn keel_cost_model_cost(model: *const keel_cost_model, market: *const keel_market, asset: keel_asset,
                                quantity: f64, out: *mut keel_trade_cost) -> keel_status;
    pub fn keel_cost_model_swap(model: *const keel_cost_model, market: *const keel_market, from: keel_asset,
                                to: keel_asset, quantity: f64, out: *mut keel_swap_result) -> keel_status;

    // policy.h
    pub fn keel_deleverage_params_init(params: *mut keel_deleverage_params, size: usize) -> keel_status;
    pub fn keel_health_band_params_init(params: *mut keel_health_band_params, size: usize) -> keel_status;
    pub fn keel_leverage_band_params_init(params: *mut keel_leverage_band_params, size: usize) -> keel_status;
    pub fn keel_target_weights_params_init(params: *mut keel_target_weights_params, size: usize) -> keel_status;
    pub fn keel_delta_hedge_params_init(params: *mut keel_delta_hedge_params, size: usize) -> keel_status;
    pub fn keel_predictive_params_init(params: *mut keel_predictive_params, size: usize) -> keel_status;
    pub fn keel_collateral_params_init(params: *mut keel_collateral_params, size: usize) -> keel_status;
    pub fn keel_deleverage(basket: *const keel_basket, options: *const keel_options,
                           market: *const keel_market, haircuts: *const keel_haircut_model,
                           costs: *const keel_cost_model, params: *const keel_deleverage_params,
                           out_plan: *mut *mut keel_plan, out_best_health: *mut f64) -> keel_status;
    pub fn keel_plan_free(plan: *mut keel_plan);
    pub fn keel_plan_action_count(plan: *const keel_plan, out_count: *mut usize) -> keel_status;
    pub fn keel_plan_action(plan: *const keel_plan, index: usize, out: *mut keel_action) -> keel_status;
    pub fn keel_plan_summary(plan: *const keel_plan, out_cost: *mut f64, before: *mut keel_metrics,
                             after: *mut keel_metrics) -> keel_status;
    pub fn keel_plan_apply(plan: *mut keel_plan, basket: *mut keel_basket) -> keel_status;
    pub fn keel_policy_health_band(params: *const keel_health_band_params,
                                   out: *mut *mut keel_policy) -> keel_status;
    pub fn keel_policy_leverage_band(params: *const keel_leverage_band_params,
                                     out: *mut *mut keel_policy) -> keel_status;
    pub fn keel_policy_target_weights(params: *const keel_target_weights_params,
                                      out: *mut *mut keel_policy) -> keel_status;
    pub fn keel_policy_delta_hedge(params: *const keel_delta_hedge_params,
                                   out: *mut *mut keel_policy) -> keel_status;
    pub fn keel_policy_predictive(params: *const keel_predictive_params,
                                  out: *mut *mut keel_policy) -> keel_status;
    pub fn keel_policy_compose(policies: *const *const keel_policy, count: usize,
                               out: *mut *mut keel_policy) -> keel_status;
    pub fn keel_policy_free(policy: *mut keel_policy);
    pub fn keel_policy_clone(policy: *const keel_policy, out: *mut *mut keel_policy) -> keel_status;
    pub fn keel_policy_kind_of(policy: *const keel_policy, out_kind: *mut keel_policy_kind) -> keel_status;
    pub fn keel_policy_plan(policy: *const keel_policy, basket: *const keel_basket,
                            options: *const keel_options, market: *const keel_market,
                            haircuts: *const keel_haircut_model, costs: *const keel_cost_model,
                            wallet: *const keel_basket, out_plan: *mut *mut keel_plan) -> keel_status;
    pub fn keel_hedge_band(gamma: f64, spot: f64, cost: f64, risk_aversion: f64, discount: f64,
                           out_half_width: *mut f64) -> keel_status;
    pub fn keel_optimize_collateral(market: *const keel_market, haircuts: *const keel_haircut_model,
                                    count: usize, assets: *const keel_asset, max_values: *const f64,
                                    params: *const keel_collateral_params, out_values: *mut f64,
                                    out: *mut keel_collateral_result) -> keel_status;
    pub fn keel_liquidation_probability(basket: *const keel_basket, options: *const keel_options,
                                        market: *const keel_market,
                                        haircuts: *const keel_haircut_model, horizon: f64,
                                        out_probability: *mut f64) -> keel_status;

    // sim.h
    pub fn keel_sim_params_init(params: *mut keel_sim_params, size: usize) -> keel_status;
    pub fn keel_sim_volatility_init(model: *mut keel_sim_volatility, size: usize) -> keel_status;
    pub fn keel_scan(market: *const keel_market, haircuts: *const keel_haircut_model, count: usize,
                     offsets: *const usize, assets: *const keel_asset, collateral: *const f64,
                     debt: *const f64, out_health: *mut f64) -> keel_status;
    pub fn keel_scan_top_k(market: *const keel_market, haircuts: *const keel_haircut_model, count: usize,
                           offsets: *const usize, assets: *const keel_asset, collateral: *const f64,
                           debt: *const f64, k: usize, out_index: *mut usize, out_health: *mut f64,
                           out_found: *mut usize) -> keel_status;
    pub fn keel_liquidations_at_risk(market: *const keel_market, haircuts: *const keel_haircut_model,
                                     count: usize, offsets: *const usize, assets: *const keel_asset,
                                     collateral: *const f64, debt: *const f64, nshocks: usize,
                                     shocks: *const f64, out_value: *mut f64) -> keel_status;
    pub fn keel_stress(basket: *const keel_basket, options: *const keel_options, market: *const keel_market,
                       haircuts: *const keel_haircut_model, nscenarios: usize, nassets: usize,
                       assets: *const keel_asset, shocks: *const f64, out: *mut keel_metrics) -> keel_status;
    pub fn keel_sim_new(basket: *const keel_basket, options: *const keel_options, market: *const keel_market,
                        haircuts: *const keel_haircut_model, costs: *const keel_cost_model,
                        policy: *const keel_policy, params: *const keel_sim_params,
                        out: *mut *mut keel_sim) -> keel_status;
    pub fn keel_sim_free(sim: *mut keel_sim);
    pub fn keel_sim_set_drift(sim: *mut keel_sim, asset: keel_asset, drift: f64) -> keel_status;
    pub fn keel_sim_set_jumps(sim: *mut keel_sim, asset: keel_asset, intensity: f64, mean: f64,
                              vol: f64) -> keel_status;
    pub fn keel_sim_set_aave(sim: *mut keel_sim, market: *const keel_aave_market, reserves: *const u32,
                             n: usize, emode: u32) -> keel_status;
    pub fn keel_sim_set_comet(sim: *mut keel_sim, market: *const keel_comet_market, assets: *const u32,
                              n: usize) -> keel_status;
    pub fn keel_sim_set_morpho(sim: *mut keel_sim, market: *const keel_morpho_market,
                               collateral: keel_asset, loan: keel_asset) -> keel_status;
    pub fn keel_sim_set_paths(sim: *mut keel_sim, npaths: usize, nassets: usize, assets: *const keel_asset,
                              prices: *const f64) -> keel_status;
    pub fn keel_sim_set_replay(sim: *mut keel_sim, replay: *const keel_sim_replay) -> keel_status;
    pub fn keel_sim_set_window(sim: *mut keel_sim, start: usize, steps: usize) -> keel_status;
    pub fn keel_sim_set_volatility(sim: *mut keel_sim, asset: keel_asset,
                                   model: *const keel_sim_volatility) -> keel_status;
    pub fn keel_sim_trace_path(sim: *const keel_sim, path: u64, trace: *mut keel_sim_trace,
                               out_stats: *mut *mut keel_sim_stats) -> keel_status;
    pub fn keel_sim_run(sim: *const keel_sim, first: u64, count: u64, progress: keel_progress_fn,
                        user: *mut c_void, out_stats: *mut *mut keel_sim_stats) -> keel_status;
    pub fn keel_sim_stats_free(stats: *mut keel_sim_stats);
    pub fn keel_sim_stats_merge(into: *mut keel_sim_stats, from: *const keel_sim_stats) -> keel_status;
    pub fn keel_sim_stats_summary(stats: *const keel_sim_stats, out: *mut keel_sim_summary) -> keel_status;
    pub fn keel_sim_stats_percentile(stats: *const keel_sim_stats, metric: keel_sim_metric, q: f64,
                                     out_value: *mut f64) -> keel_status;
    pub fn keel_sim_stats_values(stats: *const keel_sim_stats, metric: keel_sim_metric, paths: *mut u64,
                                 values: *mut f64, capacity: usize, out_count: *mut usize) -> keel_status;
    pub fn keel_sim_stats_serialize(stats: *const keel_sim_stats, buffer: *mut c_void, capacity: usize,
                                    out_size: *mut usize) -> keel_status;
    pub fn keel_sim_stats_deserialize(buffer: *const c_void, size: usize,
                                      out_stats: *mut *mut keel_sim_stats) -> keel_status;

    // estimators.h
    pub fn keel_ewma_init(ewma: *mut keel_ewma, lambda: f64, initial_variance: f64) -> keel_status;
    pub fn keel_ewma_update(ewma: *mut keel_ewma, ret: f64) -> keel_status;
    pub fn keel_ewma_update_price(ewma: *mut keel_ewma, price: f64) -> keel_status;
    pub fn keel_ewma_annual_volatility(ewma: *const keel_ewma, periods_per_year: f64,
                                       out_volatility: *mut f64) -> keel_status;
    pub fn keel_garch_init(garch: *mut keel_garch, omega: f64, alpha: f64, beta: f64,
                           initial_variance: f64) -> keel_status;
    pub fn keel_garch_update(garch: *mut keel_garch, ret: f64) -> keel_status;
    pub fn keel_garch_update_price(garch: *mut keel_garch, price: f64) -> keel_status;
    pub fn keel_garch_long_run_variance(garch: *const keel_garch, out_variance: *mut f64) -> keel_status;
    pub fn keel_garch_forecast(garch: *const keel_garch, steps: u32, out_variance: *mut f64) -> keel_status;
    pub fn keel_garch_annual_volatility(garch: *const keel_garch, periods_per_year: f64,
                                        out_volatility: *mut f64) -> keel_status;
    pub fn keel_garch_fit_params_init(params: *mut keel_garch_fit_params, size: usize) -> keel_status;
    pub fn keel_garch_fit(returns: *const f64, n: usize, params: *const keel_garch_fit_params,
                          out: *mut keel_garch_fit_result) -> keel_status;

    // risk.h
    pub fn keel_basket_metrics(basket: *const keel_basket, options: *const keel_options,
                               market: *const keel_market, haircuts: *const keel_haircut_model,
                               out: *mut keel_metrics) -> keel_status;
    pub fn keel_basket_liquidation_price(basket: *const keel_basket, options: *const keel_options,
                                         market: *const keel_market,
                                         haircuts: *const keel_haircut_model, asset: keel_asset,
                                         out_price: *mut f64,
                                         out_side: *mut keel_liquidation_side) -> keel_status;

    // u256.h
    pub fn keel_u256_from_u64(v: u64) -> keel_u256;
    pub fn keel_u256_max() -> keel_u256;
    pub fn keel_u256_from_string(text: *const c_char, out: *mut keel_u256) -> keel_status;
    pub fn keel_u256_to_string(v: keel_u256, buf: *mut c_char, size: usize) -> keel_status;
    pub fn keel_u256_to_double(v: keel_u256) -> f64;
    pub fn keel_u256_cmp(a: keel_u256, b: keel_u256) -> c_int;
    pub fn keel_u256_add(a: keel_u256, b: keel_u256, out: *mut keel_u256) -> keel_status;
    pub fn keel_u256_sub(a: keel_u256, b: keel_u256, out: *mut keel_u256) -> keel_status;
    pub fn keel_u256_mul(a: keel_u256, b: keel_u256, out: *mut keel_u256) -> keel_status;
    pub fn keel_u256_divmod(a: keel_u256, b: keel_u256, quotient: *mut keel_u256,
                            remainder: *mut keel_u256) -> keel_status;
    pub fn keel_wadray(op: keel_wadray_op, a: keel_u256, b: keel_u256, out: *mut keel_u256) -> keel_status;
    pub fn keel_mul_div_ceil(a: keel_u256, b: keel_u256, c: keel_u256, out: *mut keel_u256) -> keel_status;

    // aave.h (experimental)
    pub fn keel_aave_reserve_init(params: *mut keel_aave_reserve, size: usize) -> keel_status;
    pub fn keel_aave_emode_init(params: *mut keel_aave_emode, size: usize) -> keel_status;
    pub fn keel_aave_market_new(version: keel_aave_version, out: *mut *mut keel_aave_market) -> keel_status;
    pub fn keel_aave_market_free(market: *mut keel_aave_market);
    pub fn keel_aave_market_clone(market: *const keel_aave_market,
                                  out: *mut *mut keel_aave_market) -> keel_status;
    pub fn keel_aave_market_version(market: *const keel_aave_market) -> c_int;
    pub fn keel_aave_market_size(market: *const keel_aave_market) -> usize;
    pub fn keel_aave_market_add_reserve(market: *mut keel_aave_market, symbol: *const c_char,
                                        reserve: *const keel_aave_reserve, out_id: *mut u32) -> keel_status;
    pub fn keel_aave_market_set_reserve(market: *mut keel_aave_market, id: u32,
                                        reserve: *const keel_aave_reserve) -> keel_status;
    pub fn keel_aave_market_reserve(market: *const keel_aave_market, id: u32,
                                    out: *mut keel_aave_reserve) -> keel_status;
    pub fn keel_aave_market_set_price(market: *mut keel_aave_market, id: u32, price: keel_u256) -> keel_status;
    pub fn keel_aave_market_find(market: *const keel_aave_market, symbol: *const c_char,
                                 out_id: *mut u32) -> keel_status;
    pub fn keel_aave_market_symbol(market: *const keel_aave_market, id: u32) -> *const c_char;
    pub fn keel_aave_market_set_emode(market: *mut keel_aave_market, category: u32,
                                      emode: *const keel_aave_emode) -> keel_status;
    pub fn keel_aave_market_emode(market: *const keel_aave_market, category: u32,
                                  out: *mut keel_aave_emode) -> keel_status;
    pub fn keel_aave_market_accrue(market: *mut keel_aave_market, timestamp: u64) -> keel_status;
    pub fn keel_aave_account_new(out: *mut *mut keel_aave_account) -> keel_status;
    pub fn keel_aave_account_free(account: *mut keel_aave_account);
    pub fn keel_aave_account_clone(account: *const keel_aave_account,
                                   out: *mut *mut keel_aave_account) -> keel_status;
    pub fn keel_aave_account_assign(dst: *mut keel_aave_account, src: *const keel_aave_account) -> keel_status;
    pub fn keel_aave_account_set_position(account: *mut keel_aave_account, market: *const keel_aave_market,
                                          reserve: u32, supply: keel_u256, debt: keel_u256,
                                          flags: u32) -> keel_status;
    pub fn keel_aave_account_position(account: *const keel_aave_account, reserve: u32,
                                      scaled_supply: *mut keel_u256, scaled_debt: *mut keel_u256,
                                      flags: *mut u32) -> keel_status;
    pub fn keel_aave_account_set_emode(account: *mut keel_aave_account, market: *const keel_aave_market,
                                       category: u32) -> keel_status;
    pub fn keel_aave_account_emode(account: *const keel_aave_account) -> u32;
    pub fn keel_aave_account_balances(market: *const keel_aave_market, account: *const keel_aave_account,
                                      reserve: u32, supply: *mut keel_u256, debt: *mut keel_u256) -> keel_status;
    pub fn keel_aave_user_account_data(market: *const keel_aave_market, account: *const keel_aave_account,
                                       out: *mut keel_aave_account_data) -> keel_status;
    pub fn keel_aave_revert_name(reason: keel_aave_revert) -> *const c_char;
    pub fn keel_aave_liquidation_quote(market: *const keel_aave_market, account: *const keel_aave_account,
                                       collateral: u32, debt: u32, debt_to_cover: keel_u256,
                                       out: *mut keel_aave_liquidation,
                                       after: *mut keel_aave_account) -> keel_status;
    pub fn keel_aave_best_liquidation(market: *const keel_aave_market, account: *const keel_aave_account,
                                      out: *mut keel_aave_liquidation) -> keel_status;
    pub fn keel_aave_repay_to_target(market: *const keel_aave_market, account: *const keel_aave_account,
                                     reserve: u32, target_hf: keel_u256,
                                     out_amount: *mut keel_u256) -> keel_status;
    pub fn keel_aave_supply_to_target(market: *const keel_aave_market, account: *const keel_aave_account,
                                      reserve: u32, target_hf: keel_u256,
                                      out_amount: *mut keel_u256) -> keel_status;
    pub fn keel_aave_max_withdraw(market: *const keel_aave_market, account: *const keel_aave_account,
                                  reserve: u32, floor_hf: keel_u256, out_amount: *mut keel_u256) -> keel_status;
    pub fn keel_aave_max_borrow(market: *const keel_aave_market, account: *const keel_aave_account,
                                reserve: u32, floor_hf: keel_u256, out_amount: *mut keel_u256) -> keel_status;
    pub fn keel_aave_liquidation_price(market: *const keel_aave_market, account: *const keel_aave_account,
                                       reserve: u32, out: *mut keel_aave_price_boundary) -> keel_status;
    pub fn keel_aave_to_keel(market: *const keel_aave_market, account: *const keel_aave_account,
                             out_market: *mut *mut keel_market, out_basket: *mut *mut keel_basket,
                             out_haircuts: *mut *mut keel_haircut_model, out_reserves: *mut u32,
                             capacity: usize, out_count: *mut usize) -> keel_status;
    pub fn keel_aave_scan(market: *const keel_aave_market, accounts: *const *const keel_aave_account,
                          n: usize, out_hf: *mut f64, out_liquidatable: *mut u8,
                          out_exact: *mut usize) -> keel_status;
    pub fn keel_aave_scan_flat(market: *const keel_aave_market, n: usize, offsets: *const usize,
                               reserves: *const u32, flags: *const u8, scaled_supply: *const u64,
                               scaled_debt: *const u64, emodes: *const u8, out_hf: *mut f64,
                               out_liquidatable: *mut u8, out_exact: *mut usize) -> keel_status;

    // comet.h (experimental)
    pub fn keel_comet_base_init(params: *mut keel_comet_base, size: usize) -> keel_status;
    pub fn keel_comet_asset_init(params: *mut keel_comet_asset, size: usize) -> keel_status;
    pub fn keel_comet_market_new(base_symbol: *const c_char, base: *const keel_comet_base,
                                 out: *mut *mut keel_comet_market) -> keel_status;
    pub fn keel_comet_market_free(market: *mut keel_comet_market);
    pub fn keel_comet_market_clone(market: *const keel_comet_market,
                                   out: *mut *mut keel_comet_market) -> keel_status;
    pub fn keel_comet_market_size(market: *const keel_comet_market) -> usize;
    pub fn keel_comet_market_add_asset(market: *mut keel_comet_market, symbol: *const c_char,
                                       asset: *const keel_comet_asset, out_id: *mut u32) -> keel_status;
    pub fn keel_comet_market_set_asset(market: *mut keel_comet_market, id: u32,
                                       asset: *const keel_comet_asset) -> keel_status;
    pub fn keel_comet_market_asset(market: *const keel_comet_market, id: u32,
                                   out: *mut keel_comet_asset) -> keel_status;
    pub fn keel_comet_market_set_base(market: *mut keel_comet_market,
                                      base: *const keel_comet_base) -> keel_status;
    pub fn keel_comet_market_base(market: *const keel_comet_market,
                                  out: *mut keel_comet_base) -> keel_status;
    pub fn keel_comet_market_set_price(market: *mut keel_comet_market, id: u32,
                                       price: keel_u256) -> keel_status;
    pub fn keel_comet_market_find(market: *const keel_comet_market, symbol: *const c_char,
                                  out_id: *mut u32) -> keel_status;
    pub fn keel_comet_market_accrue(market: *mut keel_comet_market, timestamp: u64) -> keel_status;
    pub fn keel_comet_market_rates(market: *const keel_comet_market,
                                   out: *mut keel_comet_rates) -> keel_status;
    pub fn keel_comet_account_new(out: *mut *mut keel_comet_account) -> keel_status;
    pub fn keel_comet_account_free(account: *mut keel_comet_account);
    pub fn keel_comet_account_clone(account: *const keel_comet_account,
                                    out: *mut *mut keel_comet_account) -> keel_status;
    pub fn keel_comet_account_set_principal(account: *mut keel_comet_account,
                                            principal: keel_comet_int) -> keel_status;
    pub fn keel_comet_account_principal(account: *const keel_comet_account,
                                        out: *mut keel_comet_int) -> keel_status;
    pub fn keel_comet_account_set_collateral(account: *mut keel_comet_account,
                                             market: *const keel_comet_market, asset: u32,
                                             balance: keel_u256) -> keel_status;
    pub fn keel_comet_account_collateral(account: *const keel_comet_account, asset: u32,
                                         out: *mut keel_u256) -> keel_status;
    pub fn keel_comet_present_value(market: *const keel_comet_market, principal: keel_comet_int,
                                    out: *mut keel_comet_int) -> keel_status;
    pub fn keel_comet_principal_value(market: *const keel_comet_market, present: keel_comet_int,
                                      out: *mut keel_comet_int) -> keel_status;
    pub fn keel_comet_account_liquidity(market: *const keel_comet_market,
                                        account: *const keel_comet_account,
                                        out: *mut keel_comet_account_data) -> keel_status;
    pub fn keel_comet_revert_name(reason: keel_comet_revert) -> *const c_char;
    pub fn keel_comet_absorb_quote(market: *const keel_comet_market,
                                   account: *const keel_comet_account, out: *mut keel_comet_absorb,
                                   after: *mut keel_comet_account) -> keel_status;
    pub fn keel_comet_quote_collateral(market: *const keel_comet_market, asset: u32,
                                       base_amount: keel_u256, out: *mut keel_u256) -> keel_status;
    pub fn keel_comet_buy_collateral_quote(market: *const keel_comet_market, asset: u32,
                                           min_amount: keel_u256, base_amount: keel_u256,
                                           out: *mut keel_comet_buy) -> keel_status;
    pub fn keel_comet_repay_to_target(market: *const keel_comet_market,
                                      account: *const keel_comet_account, line: keel_comet_line,
                                      target: keel_u256, out_amount: *mut keel_u256) -> keel_status;
    pub fn keel_comet_supply_to_target(market: *const keel_comet_market,
                                       account: *const keel_comet_account, asset: u32,
                                       line: keel_comet_line, target: keel_u256,
                                       out_amount: *mut keel_u256) -> keel_status;
    pub fn keel_comet_max_withdraw(market: *const keel_comet_market,
                                   account: *const keel_comet_account, asset: u32, floor: keel_u256,
                                   out_amount: *mut keel_u256) -> keel_status;
    pub fn keel_comet_max_borrow(market: *const keel_comet_market,
                                 account: *const keel_comet_account, floor: keel_u256,
                                 out_amount: *mut keel_u256) -> keel_status;
    pub fn keel_comet_liquidation_price(market: *const keel_comet_market,
                                        account: *const keel_comet_account, asset: u32,
                                        out: *mut keel_comet_price_boundary) -> keel_status;
    pub fn keel_comet_to_keel(market: *const keel_comet_market, account: *const keel_comet_account,
                              out_market: *mut *mut keel_market, out_basket: *mut *mut keel_basket,
                              out_haircuts: *mut *mut keel_haircut_model, out_assets: *mut u32,
                              capacity: usize, out_count: *mut usize) -> keel_status;
    // morpho.h
    pub fn keel_morpho_params_init(params: *mut keel_morpho_params, size: usize) -> keel_status;
    pub fn keel_morpho_state_init(state: *mut keel_morpho_state, size: usize) -> keel_status;
    pub fn keel_morpho_market_new(loan_symbol: *const c_char, collateral_symbol: *const c_char,
                                  params: *const keel_morpho_params, state: *const keel_morpho_state,
                                  out: *mut *mut keel_morpho_market) -> keel_status;
    pub fn keel_morpho_market_free(market: *mut keel_morpho_market);
    pub fn keel_morpho_market_clone(market: *const keel_morpho_market,
                                    out: *mut *mut keel_morpho_market) -> keel_status;
    pub fn keel_morpho_market_params(market: *const keel_morpho_market,
                                     out: *mut keel_morpho_params) -> keel_status;
    pub fn keel_morpho_market_state(market: *const keel_morpho_market,
                                    out: *mut keel_morpho_state) -> keel_status;
    pub fn keel_morpho_market_set_state(market: *mut keel_morpho_market,
                                        state: *const keel_morpho_state) -> keel_status;
    pub fn keel_morpho_market_set_price(market: *mut keel_morpho_market, price: keel_u256) -> keel_status;
    pub fn keel_morpho_market_accrue(market: *mut keel_morpho_market, borrow_rate: keel_u256,
                                     timestamp: u64, out_interest: *mut keel_u256,
                                     out_fee_shares: *mut keel_u256) -> keel_status;
    pub fn keel_morpho_convert(op: keel_morpho_conversion, amount: keel_u256, total_assets: keel_u256,
                               total_shares: keel_u256, out: *mut keel_u256) -> keel_status;
    pub fn keel_morpho_incentive_factor(lltv: keel_u256, out: *mut keel_u256) -> keel_status;
    pub fn keel_morpho_position_data_get(market: *const keel_morpho_market,
                                         position: *const keel_morpho_position,
                                         out: *mut keel_morpho_position_data) -> keel_status;
    pub fn keel_morpho_revert_name(reason: keel_morpho_revert) -> *const c_char;
    pub fn keel_morpho_liquidation_quote(market: *const keel_morpho_market,
                                         position: *const keel_morpho_position, seized_assets: keel_u256,
                                         repaid_shares: keel_u256, out: *mut keel_morpho_liquidation,
                                         after: *mut keel_morpho_position) -> keel_status;
    pub fn keel_morpho_best_liquidation(market: *const keel_morpho_market,
                                        position: *const keel_morpho_position,
                                        out: *mut keel_morpho_liquidation,
                                        after: *mut keel_morpho_position) -> keel_status;
    pub fn keel_morpho_repay_to_target(market: *const keel_morpho_market,
                                       position: *const keel_morpho_position, target_hf: keel_u256,
                                       unit: keel_morpho_unit, out_amount: *mut keel_u256) -> keel_status;
    pub fn keel_morpho_collateral_to_target(market: *const keel_morpho_market,
                                            position: *const keel_morpho_position, target_hf: keel_u256,
                                            out_amount: *mut keel_u256) -> keel_status;
    pub fn keel_morpho_max_withdraw_collateral(market: *const keel_morpho_market,
                                               position: *const keel_morpho_position, floor_hf: keel_u256,
                                               out_amount: *mut keel_u256) -> keel_status;
    pub fn keel_morpho_max_borrow(market: *const keel_morpho_market, position: *const keel_morpho_position,
                                  floor_hf: keel_u256, out_assets: *mut keel_u256) -> keel_status;
    pub fn keel_morpho_liquidation_price(market: *const keel_morpho_market,
                                         position: *const keel_morpho_position,
                                         out_price: *mut keel_u256) -> keel_status;
    pub fn keel_morpho_to_keel(market: *const keel_morpho_market, position: *const keel_morpho_position,
                               out_market: *mut *mut keel_market, out_basket: *mut *mut keel_basket,
                               out_haircuts: *mut *mut keel_haircut_model, out_collateral: *mut keel_asset,
                               out_loan: *mut keel_asset) -> keel_status;
}

/// Names of every function declared above, for the symbol-coverage test.
pub const DECLARED_FUNCTIONS: &[&str] = &[
    "keel_status_str", "keel_last_error", "keel_version", "keel_version_number",
    "keel_set_allocator", "keel_live_handles",
    "keel_market_new", "keel_market_free", "keel_market_clone", "keel_market_add_asset",
    "keel_market_find", "keel_market_asset_count", "keel_market_symbol", "keel_market_set_price",
    "keel_market_set_prices", "keel_market_price", "keel_market_set_volatility",
    "keel_market_volatility", "keel_market_set_carry", "keel_market_carry",
    "keel_market_set_depth", "keel_market_depth", "keel_market_set_rate", "keel_market_rate",
    "keel_market_set_correlation", "keel_market_set_correlations", "keel_market_correlation",
    "keel_basket_new", "keel_basket_free", "keel_basket_clone", "keel_basket_set_collateral",
    "keel_basket_set_debt", "keel_basket_add_collateral", "keel_basket_add_debt",
    "keel_basket_collateral", "keel_basket_debt", "keel_basket_positions", "keel_basket_clear",
    "keel_haircut_model_new", "keel_haircut_model_free", "keel_haircut_model_clone",
    "keel_haircut_model_set_asset", "keel_haircut_model_asset", "keel_haircut_model_clear_asset",
    "keel_haircut_model_set_borrow_factor", "keel_haircut_model_borrow_factor",
    "keel_haircut_model_set_cap", "keel_haircut_model_cap",
    "keel_haircut_model_set_volatility_addon", "keel_haircut_model_volatility_addon",
    "keel_haircut_model_set_liquidity_addon", "keel_haircut_model_liquidity_addon",
    "keel_haircut_model_set_concentration", "keel_haircut_model_concentration",
    "keel_haircut_model_set_concentration_mode", "keel_haircut_model_concentration_mode",
    "keel_haircut_model_set_peg_group", "keel_haircut_model_peg_group",
    "keel_haircut_model_set_peg_mismatch_addon", "keel_haircut_model_peg_mismatch_addon",
    "keel_haircut_model_set_portfolio_mode", "keel_haircut_model_portfolio_mode",
    "keel_haircut_breakdown", "keel_volatility_haircut", "keel_haircut_scale_holding_period",
    "keel_black_scholes", "keel_black76", "keel_black_scholes_batch", "keel_implied_volatility",
    "keel_implied_volatility_black76", "keel_implied_volatility_batch",
    "keel_implied_volatility_black76_batch",
    "keel_options_new", "keel_options_free", "keel_options_clone", "keel_options_add",
    "keel_options_set_quantity", "keel_options_set_expiry", "keel_options_set_volatility",
    "keel_options_clear_volatility", "keel_options_remove", "keel_options_count",
    "keel_options_position", "keel_options_set_margin_params", "keel_options_value",
    "keel_options_greeks", "keel_options_scenario_margin", "keel_basket_liquidation_prices",
    "keel_basket_health_sensitivity", "keel_basket_pnl",
    "keel_cost_model_new", "keel_cost_model_free", "keel_cost_model_clone",
    "keel_cost_model_set_fee", "keel_cost_model_set_fixed", "keel_cost_model_set_linear_impact",
    "keel_cost_model_set_sqrt_impact", "keel_cost_model_set_pool", "keel_cost_model_clear_impact",
    "keel_cost_model_impact", "keel_cost_model_cost", "keel_cost_model_swap",
    "keel_deleverage", "keel_plan_free", "keel_plan_action_count", "keel_plan_action",
    "keel_plan_summary", "keel_plan_apply",
    "keel_policy_health_band", "keel_policy_leverage_band", "keel_policy_target_weights",
    "keel_policy_delta_hedge", "keel_policy_predictive", "keel_policy_compose", "keel_policy_free",
    "keel_policy_clone", "keel_policy_kind_of", "keel_policy_plan", "keel_hedge_band",
    "keel_liquidation_probability", "keel_optimize_collateral",
    "keel_scan", "keel_scan_top_k", "keel_liquidations_at_risk", "keel_stress", "keel_sim_new",
    "keel_sim_free", "keel_sim_set_drift", "keel_sim_set_jumps", "keel_sim_set_aave", "keel_sim_set_comet", "keel_sim_set_morpho", "keel_sim_set_paths", "keel_sim_run",
    "keel_sim_stats_free", "keel_sim_stats_merge", "keel_sim_stats_summary",
    "keel_sim_stats_percentile", "keel_sim_stats_serialize", "keel_sim_stats_deserialize",
    "keel_sim_set_replay", "keel_sim_set_window", "keel_sim_set_volatility", "keel_sim_trace_path",
    "keel_sim_stats_values",
    "keel_ewma_init", "keel_ewma_update", "keel_ewma_update_price", "keel_ewma_annual_volatility",
    "keel_garch_init", "keel_garch_update", "keel_garch_update_price",
    "keel_garch_long_run_variance", "keel_garch_forecast", "keel_garch_annual_volatility",
    "keel_garch_fit_params_init", "keel_garch_fit",
    "keel_basket_metrics", "keel_basket_liquidation_price",
    "keel_margin_params_init", "keel_deleverage_params_init", "keel_health_band_params_init", "keel_leverage_band_params_init",
    "keel_target_weights_params_init", "keel_delta_hedge_params_init", "keel_predictive_params_init",
    "keel_collateral_params_init", "keel_sim_params_init", "keel_sim_volatility_init",
    "keel_u256_from_u64", "keel_u256_max", "keel_u256_from_string", "keel_u256_to_string",
    "keel_u256_to_double", "keel_u256_cmp", "keel_u256_add", "keel_u256_sub", "keel_u256_mul",
    "keel_u256_divmod", "keel_wadray", "keel_mul_div_ceil",
    "keel_aave_reserve_init", "keel_aave_emode_init", "keel_aave_market_new",
    "keel_aave_market_free", "keel_aave_market_clone", "keel_aave_market_version",
    "keel_aave_market_size", "keel_aave_market_add_reserve", "keel_aave_market_set_reserve",
    "keel_aave_market_reserve", "keel_aave_market_set_price", "keel_aave_market_find",
    "keel_aave_market_symbol", "keel_aave_market_set_emode", "keel_aave_market_emode",
    "keel_aave_market_accrue", "keel_aave_account_new", "keel_aave_account_free",
    "keel_aave_account_clone", "keel_aave_account_assign", "keel_aave_account_set_position",
    "keel_aave_account_position", "keel_aave_account_set_emode", "keel_aave_account_emode",
    "keel_aave_account_balances", "keel_aave_user_account_data", "keel_aave_revert_name",
    "keel_aave_liquidation_quote", "keel_aave_best_liquidation", "keel_aave_repay_to_target",
    "keel_aave_supply_to_target", "keel_aave_max_withdraw", "keel_aave_max_borrow",
    "keel_aave_liquidation_price", "keel_aave_to_keel", "keel_aave_scan", "keel_aave_scan_flat",
    "keel_comet_absorb_quote",
    "keel_comet_account_clone",
    "keel_comet_account_collateral",
    "keel_comet_account_free",
    "keel_comet_account_liquidity",
    "keel_comet_account_new",
    "keel_comet_account_principal",
    "keel_comet_account_set_collateral",
    "keel_comet_account_set_principal",
    "keel_comet_asset_init",
    "keel_comet_base_init",
    "keel_comet_buy_collateral_quote",
    "keel_comet_liquidation_price",
    "keel_comet_market_accrue",
    "keel_comet_market_add_asset",
    "keel_comet_market_asset",
    "keel_comet_market_base",
    "keel_comet_market_clone",
    "keel_comet_market_find",
    "keel_comet_market_free",
    "keel_comet_market_new",
    "keel_comet_market_rates",
    "keel_comet_market_set_asset",
    "keel_comet_market_set_base",
    "keel_comet_market_set_price",
    "keel_comet_market_size",
    "keel_comet_max_borrow",
    "keel_comet_max_withdraw",
    "keel_comet_present_value",
    "keel_comet_principal_value",
    "keel_comet_quote_collateral",
    "keel_comet_repay_to_target",
    "keel_comet_revert_name",
    "keel_comet_supply_to_target",
    "keel_comet_to_keel",
    "keel_morpho_params_init", "keel_morpho_state_init", "keel_morpho_market_new",
    "keel_morpho_market_free", "keel_morpho_market_clone", "keel_morpho_market_params",
    "keel_morpho_market_state", "keel_morpho_market_set_state", "keel_morpho_market_set_price",
    "keel_morpho_market_accrue", "keel_morpho_convert", "keel_morpho_incentive_factor",
    "keel_morpho_position_data_get", "keel_morpho_revert_name", "keel_morpho_liquidation_quote",
    "keel_morpho_best_liquidation", "keel_morpho_repay_to_target", "keel_morpho_collateral_to_target",
    "keel_morpho_max_withdraw_collateral", "keel_morpho_max_borrow", "keel_morpho_liquidation_price",
    "keel_morpho_to_keel",
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn struct_sizes_match_c() {
        // 1 size_t + 15 doubles on LP64
        assert_eq!(std::mem::size_of::<keel_metrics>(), 8 + 15 * 8);
        assert_eq!(std::mem::size_of::<keel_position>(), 24);
        // size_t, enum, int, u32 (+4 padding); size_t, 14 doubles, 2 x u32, u64
        assert_eq!(std::mem::size_of::<keel_garch_fit_params>(), 24);
        assert_eq!(std::mem::size_of::<keel_garch_fit_result>(), 8 + 14 * 8 + 8 + 8);
    }

    #[test]
    fn u256_and_aave_layouts_match_c() {
        use std::mem::{offset_of, size_of};
        // LP64, by the C rules: keel_u256 is 4 x u64 (32 bytes, align 8).
        assert_eq!(size_of::<keel_u256>(), 32);
        // keel_aave_reserve: size_t, 6 x u32 (8 + 24 = 32), 5 u256 (32..192),
        // last_update u64 (192..200), 2 u256 (200..264).
        assert_eq!(offset_of!(keel_aave_reserve, price), 32);
        assert_eq!(offset_of!(keel_aave_reserve, last_update), 192);
        assert_eq!(offset_of!(keel_aave_reserve, debt_ceiling), 200);
        assert_eq!(offset_of!(keel_aave_reserve, isolation_mode_total_debt), 232);
        assert_eq!(size_of::<keel_aave_reserve>(), 264);
        // keel_aave_emode: size_t, 4 x u32 (8 + 16 = 24), 3 x [u64; 2] (24..72).
        assert_eq!(offset_of!(keel_aave_emode, collateral_bitmap), 24);
        assert_eq!(offset_of!(keel_aave_emode, ltvzero_bitmap), 56);
        assert_eq!(size_of::<keel_aave_emode>(), 72);
        // keel_aave_account_data: size_t, 6 u256 (8..200), int, int, u32, int (200..216).
        assert_eq!(offset_of!(keel_aave_account_data, has_zero_ltv_collateral), 200);
        assert_eq!(offset_of!(keel_aave_account_data, liquidatable), 212);
        assert_eq!(size_of::<keel_aave_account_data>(), 216);
        // keel_aave_liquidation: size_t, enum + 3 x u32 (8..24), 6 u256 (24..216),
        // double (216..224), 2 u256 (224..288).
        assert_eq!(offset_of!(keel_aave_liquidation, debt_repaid), 24);
        assert_eq!(offset_of!(keel_aave_liquidation, profit_base), 216);
        assert_eq!(offset_of!(keel_aave_liquidation, health_factor_after), 256);
        assert_eq!(size_of::<keel_aave_liquidation>(), 288);
        // keel_aave_price_boundary: size_t, 2 x int (8..16), u256 (16..48).
        assert_eq!(offset_of!(keel_aave_price_boundary, price), 16);
        assert_eq!(size_of::<keel_aave_price_boundary>(), 48);
    }

    #[test]
    fn aave_defaults_are_the_c_initialisers() {
        // KEEL_AAVE_RESERVE_INIT: 18 decimals, bonus 10000, active and borrowable,
        // both indexes 1 ray = 10^27 = 0x33b2e3c_9fd0803ce8000000.
        let r = keel_aave_reserve::default();
        assert_eq!(r.size, std::mem::size_of::<keel_aave_reserve>());
        assert_eq!((r.decimals, r.ltv, r.liquidation_threshold, r.liquidation_bonus), (18, 0, 0, 10000));
        assert_eq!(r.flags, KEEL_AAVE_ACTIVE | KEEL_AAVE_BORROWING_ENABLED);
        let ray = keel_u256 { w: [0x9fd0803ce8000000, 0x33b2e3c, 0, 0] };
        assert_eq!((r.liquidity_index, r.variable_borrow_index), (ray, ray));
        assert_eq!(u128::from(r.liquidity_index.w[1]) << 64 | u128::from(r.liquidity_index.w[0]),
                   10u128.pow(27));
        let e = keel_aave_emode::default();
        assert_eq!(e.size, std::mem::size_of::<keel_aave_emode>());
        assert_eq!((e.ltv, e.liquidation_threshold, e.collateral_bitmap), (0, 0, [0, 0]));
        let d = keel_aave_liquidation::default();
        assert_eq!((d.size, d.revert, d.profit_base), (288, KEEL_AAVE_OK, 0.0));
        let max = unsafe { keel_u256_max() };
        assert_eq!(max.w, [u64::MAX; 4]);
    }

    #[test]
    fn sim_replay_layouts_match_c() {
        use std::mem::{offset_of, size_of};
        // LP64: keel_action is size_t, 2 x u32, double, u32 (+4), 3 doubles, u32 (+4),
        // 2 doubles = 72 bytes; keel_sim_event: u32, 2 x int (+4), the action at 16,
        // 5 doubles (88..128).
        assert_eq!(size_of::<keel_action>(), 72);
        assert_eq!(offset_of!(keel_sim_event, action), 16);
        assert_eq!(offset_of!(keel_sim_event, value_seized), 88);
        assert_eq!(size_of::<keel_sim_event>(), 128);
        // keel_sim_volatility: size_t, int (+4), 6 doubles (16..64), int (+4)
        assert_eq!(offset_of!(keel_sim_volatility, period), 16);
        assert_eq!(offset_of!(keel_sim_volatility, drives), 64);
        assert_eq!(size_of::<keel_sim_volatility>(), 72);
        // keel_sim_replay: 4 size_t and 5 pointers; keel_sim_trace: 2 size_t,
        // 9 pointers, 4 size_t
        assert_eq!(size_of::<keel_sim_replay>(), 72);
        assert_eq!(offset_of!(keel_sim_trace, events), 80);
        assert_eq!(size_of::<keel_sim_trace>(), 120);
    }

    /// include/keel/sim.h (`KEEL_INCLUDE_DIR`, as tests/run_cargo_tests.sh sets it, or
    /// the source tree's).
    fn sim_header() -> String {
        let dir = std::env::var("KEEL_INCLUDE_DIR")
            .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../include").to_owned());
        std::fs::read_to_string(format!("{dir}/keel/sim.h")).expect("include/keel/sim.h")
    }

    /// The initialiser `#define name { ... }` of include/keel/sim.h, as its
    /// comma-separated items (line continuations and spaces removed).
    fn initialiser(name: &str) -> Vec<String> {
        let header = sim_header();
        let start = header.find(&format!("#define {name} ")).unwrap_or_else(|| panic!("no {name}"));
        let body = &header[start..];
        let open = body.find('{').unwrap();
        let close = body.find('}').unwrap();
        body[open + 1..close].replace('\\', "").split(',')
            .map(|item| item.split_whitespace().collect::<String>()).collect()
    }

    /// A numeric item of an initialiser: `0`, `0.94`, `1.0/365.0`, `NULL` (0).
    fn number(item: &str) -> f64 {
        if item == "NULL" {
            return 0.0;
        }
        match item.split_once('/') {
            Some((a, b)) => a.parse::<f64>().unwrap() / b.parse::<f64>().unwrap(),
            None => item.parse().unwrap_or_else(|_| panic!("not a number: {item}")),
        }
    }

    #[test]
    fn sim_initialisers_are_the_header_s() {
        use std::mem::{size_of, size_of_val};
        // keel_sim_volatility's Default comes from keel_sim_volatility_init;
        // the replay's and the trace's restate KEEL_SIM_*_INIT (sizes and
        // zeros only), and this test holds all three to the header's text.
        let v = initialiser("KEEL_SIM_VOLATILITY_INIT");
        let d = keel_sim_volatility::default();
        assert_eq!(v.len(), 9);
        assert_eq!((v[0].as_str(), d.size), ("sizeof(keel_sim_volatility)", size_of_val(&d)));
        assert_eq!((v[1].as_str(), d.kind), ("KEEL_SIM_VOL_CONSTANT", KEEL_SIM_VOL_CONSTANT));
        let fields = [d.period, d.lambda, d.omega, d.alpha, d.beta, d.initial_variance, f64::from(d.drives)];
        for (item, field) in v[2..].iter().zip(fields) {
            assert_eq!(number(item), field, "{item}");
        }

        let r = initialiser("KEEL_SIM_REPLAY_INIT");
        let d = keel_sim_replay::default();
        assert_eq!(r.len(), 9);
        assert_eq!((r[0].as_str(), d.size), ("sizeof(keel_sim_replay)", size_of_val(&d)));
        assert!(r[1..].iter().all(|item| number(item) == 0.0));
        assert_eq!((d.npaths, d.rows, d.nassets), (0, 0, 0));
        assert!(d.assets.is_null() && d.close.is_null() && d.low.is_null() && d.high.is_null()
                && d.time.is_null());

        let t = initialiser("KEEL_SIM_TRACE_INIT");
        let d = keel_sim_trace::default();
        assert_eq!(t.len(), 15);
        assert_eq!((t[0].as_str(), d.size), ("sizeof(keel_sim_trace)", size_of_val(&d)));
        assert_eq!((t[12].as_str(), d.event_size), ("sizeof(keel_sim_event)", size_of::<keel_sim_event>()));
        for (k, item) in t.iter().enumerate().filter(|&(k, _)| k != 0 && k != 12) {
            assert_eq!(number(item), 0.0, "item {k}");
        }
        assert!(d.time.is_null() && d.prices.is_null() && d.events.is_null());
        assert_eq!((d.capacity, d.event_capacity, d.rows, d.nevents), (0, 0, 0, 0));

        let header = sim_header();
        let line = header.lines().find(|l| l.starts_with("#define KEEL_SECONDS_PER_YEAR")).unwrap();
        assert_eq!(number(line.split_whitespace().nth(2).unwrap()), KEEL_SECONDS_PER_YEAR);
    }

    #[test]
    fn links_and_names_statuses() {
        let name = unsafe { CStr::from_ptr(keel_status_str(KEEL_E_ARBITRAGE)) };
        assert_eq!(name.to_str().unwrap(), "KEEL_E_ARBITRAGE");
        let v = unsafe { CStr::from_ptr(keel_version()) }.to_str().unwrap().to_owned();
        let n: Vec<u32> = v.split('.').map(|p| p.parse().unwrap()).collect();
        assert_eq!(unsafe { keel_version_number() }, n[0] * 10000 + n[1] * 100 + n[2]);
    }
}

impl std::fmt::Display for keel_metrics {
    /// The headline figures, e.g. `HF 1.3833, LTV 0.6000, collateral 20000.00,
    /// debt 12000.00, borrowing power 16100.00, liquidation buffer 4600.00`;
    /// the book's value and margin when an options book was valued.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HF {:.4}, LTV {:.4}, collateral {:.2}, debt {:.2}, borrowing power {:.2}, \
                   liquidation buffer {:.2}", self.health_factor, self.ltv, self.collateral_value,
               self.debt_value, self.borrowing_power, self.liquidation_buffer)?;
        if self.option_value != 0.0 || self.option_margin != 0.0 {
            write!(f, ", options value {:.2}, options margin {:.2}", self.option_value,
                   self.option_margin)?;
        }
        Ok(())
    }
}

impl std::fmt::Display for keel_sim_summary {
    /// e.g. `400 paths: P(liquidation) 0.0125 (se 0.0056), mean liquidations 0.0150,
    /// mean cost 12.34, mean minimum HF 1.4012`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} paths: P(liquidation) {:.4} (se {:.4}), mean liquidations {:.4}, \
                   mean cost {:.2}, mean minimum HF {:.4}", self.paths, self.liquidation_probability,
               self.liquidation_probability_se, self.mean_liquidations, self.mean_rebalance_cost,
               self.mean_min_health)?;
        if self.policy_failures > 0 {
            write!(f, ", {} policy failures", self.policy_failures)?;
        }
        Ok(())
    }
}

"""Low-level ctypes declarations of the keel C API: every exported function,
declared once with its argument and result types."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from ctypes import (POINTER, Structure, c_char_p, c_double, c_int, c_size_t, c_uint,
                    c_uint32, c_void_p)
from pathlib import Path
from typing import Any, Iterator, List, Optional, Tuple

keel_status = c_int
keel_asset = c_uint32
KEEL_ASSET_INVALID = 0xFFFFFFFF
KEEL_SYMBOL_MAX = 31


class Position(Structure):
    """keel_position: one asset's collateral and debt."""

    _fields_ = [("asset", keel_asset), ("collateral", c_double), ("debt", c_double)]


class CMetrics(Structure):
    """keel_metrics, size-prefixed."""

    _fields_ = [
        ("size", c_size_t),
        ("collateral_value", c_double),
        ("borrowing_power", c_double),
        ("liquidation_value", c_double),
        ("debt_value", c_double),
        ("weighted_debt", c_double),
        ("health_factor", c_double),
        ("ltv", c_double),
        ("collateral_ratio", c_double),
        ("capital_efficiency", c_double),
        ("free_borrowing_power", c_double),
        ("liquidation_buffer", c_double),
        ("option_value", c_double),
        ("option_margin", c_double),
        ("weighted_max_ltv", c_double),
        ("weighted_liquidation_threshold", c_double),
    ]


class CHaircutComponents(Structure):
    """keel_haircut_components, size-prefixed."""

    _fields_ = [
        ("size", c_size_t),
        ("has_schedule", c_int),
        ("base_initial", c_double),
        ("base_maintenance", c_double),
        ("volatility", c_double),
        ("liquidity", c_double),
        ("peg", c_double),
        ("concentration", c_double),
        ("cap_adjustment", c_double),
        ("initial", c_double),
        ("maintenance", c_double),
        ("excess_fraction", c_double),
        ("portfolio_component", c_double),
        ("portfolio_var", c_double),
    ]


class CEwma(Structure):
    """keel_ewma state."""

    _fields_ = [("size", c_size_t), ("lambda_", c_double), ("variance", c_double),
                ("last_price", c_double), ("count", ctypes.c_uint64)]


class CGarch(Structure):
    """keel_garch state."""

    _fields_ = [("size", c_size_t), ("omega", c_double), ("alpha", c_double),
                ("beta", c_double), ("variance", c_double), ("last_price", c_double),
                ("count", ctypes.c_uint64)]


class CGarchFitParams(Structure):
    """keel_garch_fit_params, size-prefixed."""

    INIT = "keel_garch_fit_params_init"  # fills the library's defaults

    _fields_ = [("size", c_size_t), ("distribution", c_int), ("demean", c_int),
                ("max_iterations", c_uint32)]


class CGarchFitResult(Structure):
    """keel_garch_fit_result, size-prefixed."""

    _fields_ = [("size", c_size_t)] + [(n, c_double) for n in (
        "omega", "alpha", "beta", "nu", "mean", "omega_se", "alpha_se", "beta_se", "nu_se",
        "mean_se", "log_likelihood", "initial_variance", "last_variance", "persistence")] + [
        ("iterations", c_uint32), ("bounds", c_uint32), ("n", ctypes.c_uint64)]


class CGreeks(Structure):
    """keel_greeks, size-prefixed."""

    _fields_ = [("size", c_size_t)] + [(n, c_double) for n in (
        "value", "delta", "gamma", "vega", "theta", "rho", "dividend_rho", "vanna", "volga",
        "charm")]


class CGreeksArrays(Structure):
    """keel_greeks_arrays: one output pointer per greek (NULL skips it)."""

    _fields_ = [("size", c_size_t)] + [(n, POINTER(c_double)) for n in (
        "value", "delta", "gamma", "vega", "theta", "rho", "dividend_rho", "vanna", "volga",
        "charm")]


class COptionPosition(Structure):
    """keel_option_position, size-prefixed."""

    _fields_ = [("size", c_size_t), ("id", c_uint32), ("underlying", keel_asset),
                ("type", c_int), ("strike", c_double), ("expiry", c_double),
                ("quantity", c_double), ("has_volatility", c_int), ("volatility", c_double)]


class CScenario(Structure):
    """keel_scenario."""

    _fields_ = [("price_move", c_double), ("vol_move", c_double), ("cover", c_double)]


class CMarginParams(Structure):
    """keel_margin_params, size-prefixed."""

    INIT = "keel_margin_params_init"  # fills the library's defaults

    _fields_ = [("size", c_size_t), ("horizon_days", c_double), ("price_sigmas", c_double),
                ("vol_scan", c_double), ("scenarios", POINTER(CScenario)),
                ("scenario_count", c_size_t)]


class CMarginResult(Structure):
    """keel_margin_result, size-prefixed."""

    _fields_ = [("size", c_size_t), ("margin", c_double), ("value", c_double),
                ("worst_underlying", keel_asset), ("worst_scenario", c_size_t),
                ("worst_loss", c_double)]


class CTradeCost(Structure):
    """keel_trade_cost, size-prefixed."""

    _fields_ = [("size", c_size_t)] + [(n, c_double) for n in (
        "notional", "fee", "spread", "impact", "fixed", "total", "effective_price")]


class CSwapResult(Structure):
    """keel_swap_result, size-prefixed."""

    _fields_ = [("size", c_size_t)] + [(n, c_double) for n in (
        "sold", "proceeds", "bought", "sell_cost", "buy_cost", "total_cost")]


class CAction(Structure):
    """keel_action, size-prefixed."""

    _fields_ = [("size", c_size_t), ("type", c_int), ("asset", keel_asset),
                ("quantity", c_double), ("debt_asset", keel_asset), ("repaid", c_double),
                ("cost", c_double), ("to_asset", keel_asset), ("received", c_double),
                ("borrowed", c_double)]


class CDeleverageParams(Structure):
    """keel_deleverage_params, size-prefixed."""

    INIT = "keel_deleverage_params_init"  # fills the library's defaults

    _fields_ = [("size", c_size_t), ("target_health", c_double), ("repay_asset", keel_asset),
                ("max_trade_value", c_double), ("swap_to", keel_asset), ("wallet", c_void_p)]


class CHealthBandParams(Structure):
    """keel_health_band_params, size-prefixed."""

    INIT = "keel_health_band_params_init"  # fills the library's defaults

    _fields_ = [("size", c_size_t), ("repay_below", c_double), ("repay_to", c_double),
                ("boost_above", c_double), ("boost_to", c_double), ("allowed", ctypes.c_uint),
                ("debt_asset", keel_asset), ("boost_asset", keel_asset),
                ("withdraw_asset", keel_asset), ("swap_to", keel_asset),
                ("max_trade_value", c_double)]


class CLeverageBandParams(Structure):
    """keel_leverage_band_params, size-prefixed."""

    INIT = "keel_leverage_band_params_init"  # fills the library's defaults

    _fields_ = [("size", c_size_t)] + [(n, c_double) for n in (
        "target", "min", "max", "speed", "max_trade_value", "ripcord",
        "ripcord_max_trade_value")] + [("asset", keel_asset), ("debt_asset", keel_asset)]


class CTargetWeightsParams(Structure):
    """keel_target_weights_params, size-prefixed."""

    INIT = "keel_target_weights_params_init"  # fills the library's defaults

    _fields_ = [("size", c_size_t), ("count", c_size_t), ("assets", ctypes.POINTER(keel_asset)),
                ("weights", ctypes.POINTER(c_double)), ("band", c_double)]


class CDeltaHedgeParams(Structure):
    """keel_delta_hedge_params, size-prefixed."""

    INIT = "keel_delta_hedge_params_init"  # fills the library's defaults

    _fields_ = [("size", c_size_t), ("risk_aversion", c_double), ("funding_asset", keel_asset)]


class CCollateralParams(Structure):
    """keel_collateral_params, size-prefixed."""

    INIT = "keel_collateral_params_init"  # fills the library's defaults

    _fields_ = [("size", c_size_t), ("goal", c_int)] + [(n, c_double) for n in (
        "total_value", "confidence", "horizon", "max_var", "min_borrowing")]


class CCollateralResult(Structure):
    """keel_collateral_result, size-prefixed."""

    _fields_ = [("size", c_size_t), ("borrowing_power", c_double), ("var", c_double)]


class CSimParams(Structure):
    """keel_sim_params, size-prefixed."""

    INIT = "keel_sim_params_init"  # fills the library's defaults

    _fields_ = [("size", c_size_t), ("steps", c_uint32), ("dt", c_double),
                ("seed", ctypes.c_uint64), ("rebalance_every", c_uint32),
                ("close_factor", c_double), ("full_close_below", c_double),
                ("liquidation_bonus", c_double)]


class CSimSummary(Structure):
    """keel_sim_summary, size-prefixed."""

    _fields_ = [("size", c_size_t), ("paths", ctypes.c_uint64)] + [(n, c_double) for n in (
        "liquidation_probability", "liquidation_probability_se", "mean_liquidations",
        "mean_bonus_lost", "mean_rebalance_cost", "mean_trades", "mean_final_equity",
        "mean_min_health", "mean_health", "mean_capital_efficiency")] + [
        ("policy_failures", ctypes.c_uint64), ("paths_with_policy_failures", ctypes.c_uint64),
        ("first_policy_failure_path", ctypes.c_uint64)]


PROGRESS_FN = ctypes.CFUNCTYPE(c_int, c_double, c_void_p)


class CSimReplay(Structure):
    """keel_sim_replay, size-prefixed: arrays [path][row][asset], row-major."""

    _fields_ = [("size", c_size_t), ("npaths", c_size_t), ("rows", c_size_t),
                ("nassets", c_size_t), ("assets", c_void_p), ("close", c_void_p),
                ("low", c_void_p), ("high", c_void_p), ("time", c_void_p)]


class CSimVolatility(Structure):
    """keel_sim_volatility, size-prefixed (kind: keel_sim_vol_kind, an enum)."""

    _fields_ = [("size", c_size_t), ("kind", c_int), ("period", c_double),
                ("lambda_", c_double), ("omega", c_double), ("alpha", c_double),
                ("beta", c_double), ("initial_variance", c_double), ("drives", c_int)]


class CSimEvent(Structure):
    """keel_sim_event (its stride is keel_sim_trace::event_size): an embedded keel_action."""

    _fields_ = [("step", c_uint32), ("kind", c_int), ("status", keel_status),
                ("action", CAction), ("value_seized", c_double), ("value_repaid", c_double),
                ("bonus_lost", c_double), ("health_before", c_double),
                ("health_after", c_double)]


class CSimTrace(Structure):
    """keel_sim_trace, size-prefixed: caller-owned arrays (NULL skips one)."""

    _fields_ = [("size", c_size_t), ("capacity", c_size_t)] + [(n, c_void_p) for n in (
        "time", "prices", "volatility", "health", "health_low", "collateral_value",
        "debt_value", "equity", "events")] + [
        ("event_capacity", c_size_t), ("event_size", c_size_t), ("rows", c_size_t),
        ("nevents", c_size_t)]


class CPredictiveParams(Structure):
    """keel_predictive_params, size-prefixed."""

    INIT = "keel_predictive_params_init"  # fills the library's defaults

    _fields_ = [("size", c_size_t), ("horizon", c_double), ("max_probability", c_double),
                ("repay_asset", keel_asset), ("swap_to", keel_asset),
                ("max_trade_value", c_double)]


MALLOC_FN = ctypes.CFUNCTYPE(c_void_p, c_void_p, c_size_t)
REALLOC_FN = ctypes.CFUNCTYPE(c_void_p, c_void_p, c_void_p, c_size_t)
FREE_FN = ctypes.CFUNCTYPE(None, c_void_p, c_void_p)


class Allocator(Structure):
    """keel_allocator: the allocation hook."""

    _fields_ = [("malloc_fn", MALLOC_FN), ("realloc_fn", REALLOC_FN),
                ("free_fn", FREE_FN), ("user", c_void_p)]


def _pkg_config_libdir() -> Optional[str]:
    """`pkg-config --variable=libdir keel`, or None (no pkg-config, no keel.pc)."""
    import subprocess
    try:
        r = subprocess.run(["pkg-config", "--variable=libdir", "keel"], capture_output=True,
                           text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return (r.stdout.strip() or None) if r.returncode == 0 else None


def _candidates() -> Iterator[str]:
    """Where libkeel is looked for, in order (docs/bindings.md, "Finding libkeel"):
    1. KEEL_LIBRARY, a path: the override;
    2. a copy bundled in the package: keel/libkeel.so.1 beside this file;
    3. a meson build tree beside the source checkout (<repo>/build*/libkeel.so),
       only when the package is imported from that checkout;
    4. the installed keel that pkg-config knows (its libdir; PKG_CONFIG_PATH
       selects a prefix);
    5. the prefix this package is installed under: <prefix>/lib/libkeel.so.1 (and
       <prefix>/lib/<multiarch>/) for <prefix>/lib/pythonX.Y/site-packages/keel, so
       that README's install (library and package in one prefix) imports in a new
       shell, where PKG_CONFIG_PATH is no longer set;
    6. the dynamic linker's search path (libkeel.so.1: /usr/lib, /usr/local/lib
       after ldconfig, LD_LIBRARY_PATH), then ctypes.util.find_library("keel")."""
    env = os.environ.get("KEEL_LIBRARY")
    if env:
        yield env
        return   # the override is not second-guessed: if it fails, say so
    here = Path(__file__).resolve().parent
    bundled = here / "libkeel.so.1"
    if bundled.exists():
        yield str(bundled)
    repo = here.parents[2]
    if (repo / "meson.build").exists() and (repo / "include" / "keel.h").exists():
        for build in sorted(repo.glob("build*")):
            lib = build / "libkeel.so"
            if lib.exists():
                yield str(lib)
    libdir = _pkg_config_libdir()
    if libdir and (Path(libdir) / "libkeel.so.1").exists():
        yield str(Path(libdir) / "libkeel.so.1")
    if here.parent.name in ("site-packages", "dist-packages") and \
            here.parents[1].name.startswith("python"):
        lib = here.parents[2]   # <prefix>/lib
        for d in [lib] + sorted(p for p in lib.glob("*-linux-gnu*") if p.is_dir()):
            if (d / "libkeel.so.1").exists():
                yield str(d / "libkeel.so.1")
    yield "libkeel.so.1"
    found = ctypes.util.find_library("keel")
    if found:
        yield found


library_path: Optional[str] = None   # the path libkeel was loaded from (set by _load)


def _load() -> ctypes.CDLL:
    global library_path
    errors: List[str] = []
    for path in _candidates():
        try:
            lib = ctypes.CDLL(path)
        except OSError as exc:
            errors.append(f"{path}: {exc}")
            continue
        library_path = path
        return lib
    raise ImportError("cannot load libkeel; install it (README, Install) or set KEEL_LIBRARY "
                      "to its path; tried:\n  " + "\n  ".join(errors))


raw = _load()


# ---- 256-bit integers and Aave v3 (u256.h, aave.h) ------------------------------------

class U256(Structure):
    """keel_u256: four 64-bit limbs, least significant first."""

    _fields_ = [("w", ctypes.c_uint64 * 4)]


class CAaveReserve(Structure):
    """keel_aave_reserve, size-prefixed."""

    _fields_ = [("size", c_size_t), ("decimals", c_uint32), ("ltv", c_uint32),
                ("liquidation_threshold", c_uint32), ("liquidation_bonus", c_uint32),
                ("liquidation_protocol_fee", c_uint32), ("flags", c_uint32),
                ("price", U256), ("liquidity_index", U256), ("variable_borrow_index", U256),
                ("liquidity_rate", U256), ("variable_borrow_rate", U256),
                ("last_update", ctypes.c_uint64), ("debt_ceiling", U256),
                ("isolation_mode_total_debt", U256)]


class CAaveEmode(Structure):
    """keel_aave_emode, size-prefixed."""

    _fields_ = [("size", c_size_t), ("ltv", c_uint32), ("liquidation_threshold", c_uint32),
                ("liquidation_bonus", c_uint32), ("reserved", c_uint32),
                ("collateral_bitmap", ctypes.c_uint64 * 2),
                ("borrowable_bitmap", ctypes.c_uint64 * 2),
                ("ltvzero_bitmap", ctypes.c_uint64 * 2)]


class CAaveAccountData(Structure):
    """keel_aave_account_data, size-prefixed."""

    _fields_ = [("size", c_size_t), ("total_collateral_base", U256),
                ("total_debt_base", U256), ("available_borrows_base", U256),
                ("current_liquidation_threshold", U256), ("ltv", U256),
                ("health_factor", U256), ("has_zero_ltv_collateral", c_int),
                ("isolated", c_int), ("isolation_collateral", c_uint32),
                ("liquidatable", c_int)]


class CAaveLiquidation(Structure):
    """keel_aave_liquidation, size-prefixed."""

    _fields_ = [("size", c_size_t), ("revert", c_int), ("collateral", c_uint32),
                ("debt", c_uint32), ("liquidation_bonus", c_uint32), ("debt_repaid", U256),
                ("collateral_to_liquidator", U256), ("protocol_fee", U256),
                ("deficit_base", U256), ("debt_repaid_base", U256),
                ("collateral_to_liquidator_base", U256), ("profit_base", c_double),
                ("health_factor_before", U256), ("health_factor_after", U256)]


class CAavePriceBoundary(Structure):
    """keel_aave_price_boundary, size-prefixed."""

    _fields_ = [("size", c_size_t), ("direction", c_int), ("liquidatable_now", c_int),
                ("price", U256)]



# ---- Compound v3 (comet.h) ------------------------------------------------------------

class CCometInt(Structure):
    """keel_comet_int: a magnitude and a sign."""

    _fields_ = [("magnitude", U256), ("negative", ctypes.c_int32), ("reserved", c_uint32)]


class CCometBase(Structure):
    """keel_comet_base, size-prefixed."""

    _fields_ = [("size", c_size_t), ("decimals", c_uint32), ("pause_flags", c_uint32),
                ("price", U256), ("supply_index", ctypes.c_uint64),
                ("borrow_index", ctypes.c_uint64), ("last_accrual_time", ctypes.c_uint64),
                ("total_supply_base", U256), ("total_borrow_base", U256),
                ("base_balance", U256), ("supply_kink", ctypes.c_uint64),
                ("supply_per_year_interest_rate_slope_low", ctypes.c_uint64),
                ("supply_per_year_interest_rate_slope_high", ctypes.c_uint64),
                ("supply_per_year_interest_rate_base", ctypes.c_uint64),
                ("borrow_kink", ctypes.c_uint64),
                ("borrow_per_year_interest_rate_slope_low", ctypes.c_uint64),
                ("borrow_per_year_interest_rate_slope_high", ctypes.c_uint64),
                ("borrow_per_year_interest_rate_base", ctypes.c_uint64),
                ("store_front_price_factor", ctypes.c_uint64), ("base_borrow_min", U256),
                ("target_reserves", U256)]


class CCometAsset(Structure):
    """keel_comet_asset, size-prefixed."""

    _fields_ = [("size", c_size_t), ("decimals", c_uint32), ("reserved", c_uint32),
                ("price", U256), ("borrow_collateral_factor", ctypes.c_uint64),
                ("liquidate_collateral_factor", ctypes.c_uint64),
                ("liquidation_factor", ctypes.c_uint64), ("supply_cap", U256),
                ("total_supply_asset", U256), ("balance", U256)]


class CCometRates(Structure):
    """keel_comet_rates, size-prefixed."""

    _fields_ = [("size", c_size_t), ("utilization", U256), ("supply_rate", ctypes.c_uint64),
                ("borrow_rate", ctypes.c_uint64), ("total_supply", U256),
                ("total_borrow", U256), ("reserves", CCometInt)]


class CCometAccountData(Structure):
    """keel_comet_account_data, size-prefixed."""

    _fields_ = [("size", c_size_t), ("present_value", CCometInt), ("base_value", CCometInt),
                ("collateral_value", U256), ("borrow_collateral_value", U256),
                ("liquidate_collateral_value", U256), ("borrow_liquidity", CCometInt),
                ("liquidation_liquidity", CCometInt), ("is_borrow_collateralized", ctypes.c_int32),
                ("is_liquidatable", ctypes.c_int32), ("complete", ctypes.c_int32),
                ("reserved", ctypes.c_uint32)]


class CCometAbsorb(Structure):
    """keel_comet_absorb, size-prefixed."""

    _fields_ = [("size", c_size_t), ("revert", c_int), ("reserved", c_uint32),
                ("old_principal", CCometInt), ("new_principal", CCometInt),
                ("old_balance", CCometInt), ("new_balance", CCometInt),
                ("seized", U256 * 12), ("seized_value", U256 * 12), ("delta_value", U256),
                ("delta_balance", U256), ("base_paid_out", U256),
                ("value_of_base_paid_out", U256), ("deficit", U256), ("repay_amount", U256),
                ("supply_amount", U256), ("total_supply_base", U256),
                ("total_borrow_base", U256), ("reserves_before", CCometInt),
                ("reserves_after", CCometInt)]


class CCometBuy(Structure):
    """keel_comet_buy, size-prefixed."""

    _fields_ = [("size", c_size_t), ("revert", c_int), ("reserved", c_uint32),
                ("reserves", CCometInt), ("collateral_amount", U256),
                ("collateral_reserves", U256)]


class CCometPriceBoundary(Structure):
    """keel_comet_price_boundary, size-prefixed."""

    _fields_ = [("size", c_size_t), ("direction", c_int), ("liquidatable_now", c_int),
                ("price", U256)]
# ---- Morpho Blue (morpho.h) -----------------------------------------------------------

class CMorphoParams(Structure):
    """keel_morpho_params, size-prefixed."""

    _fields_ = [("size", c_size_t), ("loan_decimals", c_uint32),
                ("collateral_decimals", c_uint32), ("price", U256), ("lltv", U256)]


class CMorphoState(Structure):
    """keel_morpho_state, size-prefixed."""

    _fields_ = [("size", c_size_t), ("total_supply_assets", U256),
                ("total_supply_shares", U256), ("total_borrow_assets", U256),
                ("total_borrow_shares", U256), ("last_update", ctypes.c_uint64), ("fee", U256)]


class CMorphoPosition(Structure):
    """keel_morpho_position: fixed layout, not size-prefixed."""

    _fields_ = [("supply_shares", U256), ("borrow_shares", U256), ("collateral", U256)]


class CMorphoPositionData(Structure):
    """keel_morpho_position_data, size-prefixed."""

    _fields_ = [("size", c_size_t), ("supply_assets", U256), ("borrow_assets", U256),
                ("collateral_value", U256), ("max_borrow", U256), ("health_factor", U256),
                ("healthy", c_int), ("liquidatable", c_int)]


class CMorphoLiquidation(Structure):
    """keel_morpho_liquidation, size-prefixed."""

    _fields_ = [("size", c_size_t), ("revert", c_int), ("incentive_factor", U256),
                ("seized_assets", U256), ("repaid_shares", U256), ("repaid_assets", U256),
                ("bad_debt_shares", U256), ("bad_debt_assets", U256), ("seized_value", U256),
                ("profit", c_double), ("total_supply_assets_after", U256),
                ("total_supply_shares_after", U256), ("total_borrow_assets_after", U256),
                ("total_borrow_shares_after", U256)]


P = POINTER
Handle = c_void_p
# name: (restype, argtypes)
SIGNATURES = {
    # core
    "keel_status_str": (c_char_p, [keel_status]),
    "keel_last_error": (c_char_p, []),
    "keel_version": (c_char_p, []),
    "keel_version_number": (c_uint, []),
    "keel_set_allocator": (keel_status, [P(Allocator)]),
    "keel_live_handles": (c_size_t, []),
    # market
    "keel_market_new": (keel_status, [P(Handle)]),
    "keel_market_free": (None, [Handle]),
    "keel_market_clone": (keel_status, [Handle, P(Handle)]),
    "keel_market_add_asset": (keel_status, [Handle, c_char_p, c_double, P(keel_asset)]),
    "keel_market_find": (keel_status, [Handle, c_char_p, P(keel_asset)]),
    "keel_market_asset_count": (keel_status, [Handle, P(c_size_t)]),
    "keel_market_symbol": (keel_status, [Handle, keel_asset, c_char_p, c_size_t]),
    "keel_market_set_price": (keel_status, [Handle, keel_asset, c_double]),
    "keel_market_set_prices": (keel_status, [Handle, P(c_double), c_size_t]),
    "keel_market_price": (keel_status, [Handle, keel_asset, P(c_double)]),
    "keel_market_set_volatility": (keel_status, [Handle, keel_asset, c_double]),
    "keel_market_volatility": (keel_status, [Handle, keel_asset, P(c_double)]),
    "keel_market_set_carry": (keel_status, [Handle, keel_asset, c_double]),
    "keel_market_carry": (keel_status, [Handle, keel_asset, P(c_double)]),
    "keel_market_set_depth": (keel_status, [Handle, keel_asset, c_double]),
    "keel_market_depth": (keel_status, [Handle, keel_asset, P(c_double)]),
    "keel_market_set_rate": (keel_status, [Handle, c_double]),
    "keel_market_rate": (keel_status, [Handle, P(c_double)]),
    "keel_market_set_correlation": (keel_status, [Handle, keel_asset, keel_asset, c_double]),
    "keel_market_set_correlations": (keel_status, [Handle, c_size_t, c_void_p, c_void_p, c_void_p]),
    "keel_market_correlation": (keel_status, [Handle, keel_asset, keel_asset, P(c_double)]),
    # basket
    "keel_basket_new": (keel_status, [P(Handle)]),
    "keel_basket_free": (None, [Handle]),
    "keel_basket_clone": (keel_status, [Handle, P(Handle)]),
    "keel_basket_set_collateral": (keel_status, [Handle, keel_asset, c_double]),
    "keel_basket_set_debt": (keel_status, [Handle, keel_asset, c_double]),
    "keel_basket_add_collateral": (keel_status, [Handle, keel_asset, c_double]),
    "keel_basket_add_debt": (keel_status, [Handle, keel_asset, c_double]),
    "keel_basket_collateral": (keel_status, [Handle, keel_asset, P(c_double)]),
    "keel_basket_debt": (keel_status, [Handle, keel_asset, P(c_double)]),
    "keel_basket_positions": (keel_status, [Handle, P(Position), c_size_t, P(c_size_t)]),
    "keel_basket_clear": (keel_status, [Handle]),
    # haircut model
    "keel_haircut_model_new": (keel_status, [P(Handle)]),
    "keel_haircut_model_free": (None, [Handle]),
    "keel_haircut_model_clone": (keel_status, [Handle, P(Handle)]),
    "keel_haircut_model_set_asset": (keel_status, [Handle, keel_asset, c_double, c_double]),
    "keel_haircut_model_asset": (keel_status, [Handle, keel_asset, P(c_double), P(c_double)]),
    "keel_haircut_model_clear_asset": (keel_status, [Handle, keel_asset]),
    "keel_haircut_model_set_borrow_factor": (keel_status, [Handle, keel_asset, c_double]),
    "keel_haircut_model_borrow_factor": (keel_status, [Handle, keel_asset, P(c_double)]),
    "keel_haircut_model_set_cap": (keel_status, [Handle, keel_asset, c_double]),
    "keel_haircut_model_cap": (keel_status, [Handle, keel_asset, P(c_double)]),
    "keel_haircut_model_set_volatility_addon": (keel_status, [Handle, c_double, c_double]),
    "keel_haircut_model_volatility_addon": (keel_status, [Handle, P(c_double), P(c_double)]),
    "keel_haircut_model_set_liquidity_addon": (keel_status, [Handle, c_double, c_double]),
    "keel_haircut_model_liquidity_addon": (keel_status, [Handle, P(c_double), P(c_double)]),
    "keel_haircut_model_set_concentration": (keel_status, [Handle, keel_asset, c_double,
                                                           c_double]),
    "keel_haircut_model_concentration": (keel_status, [Handle, keel_asset, P(c_double),
                                                       P(c_double)]),
    "keel_haircut_model_set_concentration_mode": (keel_status, [Handle, c_int]),
    "keel_haircut_model_concentration_mode": (keel_status, [Handle, P(c_int)]),
    "keel_haircut_model_set_peg_group": (keel_status, [Handle, keel_asset, c_uint32]),
    "keel_haircut_model_peg_group": (keel_status, [Handle, keel_asset, P(c_uint32)]),
    "keel_haircut_model_set_peg_mismatch_addon": (keel_status, [Handle, c_double]),
    "keel_haircut_model_peg_mismatch_addon": (keel_status, [Handle, P(c_double)]),
    "keel_haircut_model_set_portfolio_mode": (keel_status, [Handle, c_int]),
    "keel_haircut_model_portfolio_mode": (keel_status, [Handle, P(c_int)]),
    "keel_haircut_breakdown": (keel_status, [Handle, Handle, Handle, keel_asset,
                                             P(CHaircutComponents)]),
    "keel_volatility_haircut": (keel_status, [c_double, c_double, c_double, P(c_double)]),
    "keel_haircut_scale_holding_period": (keel_status, [c_double, c_double, c_double,
                                                        P(c_double)]),
    # options
    "keel_black_scholes": (keel_status, [c_int, c_double, c_double, c_double, c_double, c_double,
                                         c_double, P(CGreeks)]),
    "keel_black76": (keel_status, [c_int, c_double, c_double, c_double, c_double, c_double,
                                   P(CGreeks)]),
    "keel_black_scholes_batch": (keel_status, [c_size_t, P(c_int), P(c_double), P(c_double),
                                               P(c_double), P(c_double), P(c_double),
                                               P(c_double), P(CGreeksArrays)]),
    "keel_implied_volatility": (keel_status, [c_int, c_double, c_double, c_double, c_double,
                                              c_double, c_double, P(c_double)]),
    "keel_implied_volatility_black76": (keel_status, [c_int, c_double, c_double, c_double,
                                                      c_double, c_double, P(c_double)]),
    "keel_implied_volatility_batch": (keel_status, [c_size_t, P(c_int), P(c_double), P(c_double),
                                                    P(c_double), P(c_double), P(c_double),
                                                    P(c_double), P(c_double), P(c_int)]),
    "keel_implied_volatility_black76_batch": (keel_status, [c_size_t, P(c_int), P(c_double),
                                                            P(c_double), P(c_double), P(c_double),
                                                            P(c_double), P(c_double), P(c_int)]),
    "keel_options_new": (keel_status, [P(Handle)]),
    "keel_options_free": (None, [Handle]),
    "keel_options_clone": (keel_status, [Handle, P(Handle)]),
    "keel_options_add": (keel_status, [Handle, keel_asset, c_int, c_double, c_double, c_double,
                                       P(c_uint32)]),
    "keel_options_set_quantity": (keel_status, [Handle, c_uint32, c_double]),
    "keel_options_set_expiry": (keel_status, [Handle, c_uint32, c_double]),
    "keel_options_set_volatility": (keel_status, [Handle, c_uint32, c_double]),
    "keel_options_clear_volatility": (keel_status, [Handle, c_uint32]),
    "keel_options_remove": (keel_status, [Handle, c_uint32]),
    "keel_options_count": (keel_status, [Handle, P(c_size_t)]),
    "keel_options_position": (keel_status, [Handle, c_size_t, P(COptionPosition)]),
    "keel_options_set_margin_params": (keel_status, [Handle, P(CMarginParams)]),
    "keel_options_value": (keel_status, [Handle, Handle, P(c_double)]),
    "keel_options_greeks": (keel_status, [Handle, Handle, keel_asset, P(CGreeks)]),
    "keel_options_scenario_margin": (keel_status, [Handle, Handle, P(CMarginResult)]),
    "keel_basket_liquidation_prices": (keel_status, [Handle, Handle, Handle, Handle, keel_asset,
                                                     P(c_double), P(c_double)]),
    "keel_basket_health_sensitivity": (keel_status, [Handle, Handle, Handle, Handle, keel_asset,
                                                     P(c_double), P(c_double)]),
    "keel_basket_pnl": (keel_status, [Handle, Handle, Handle, keel_asset, c_double, P(c_double),
                                      P(c_double)]),
    # cost model
    "keel_cost_model_new": (keel_status, [P(Handle)]),
    "keel_cost_model_free": (None, [Handle]),
    "keel_cost_model_clone": (keel_status, [Handle, P(Handle)]),
    "keel_cost_model_set_fee": (keel_status, [Handle, keel_asset, c_double, c_double]),
    "keel_cost_model_set_fixed": (keel_status, [Handle, keel_asset, c_double]),
    "keel_cost_model_set_linear_impact": (keel_status, [Handle, keel_asset, c_double, c_double]),
    "keel_cost_model_set_sqrt_impact": (keel_status, [Handle, keel_asset, c_double, c_double]),
    "keel_cost_model_set_pool": (keel_status, [Handle, keel_asset, c_double, c_double, c_double]),
    "keel_cost_model_clear_impact": (keel_status, [Handle, keel_asset]),
    "keel_cost_model_impact": (keel_status, [Handle, keel_asset, P(c_int)]),
    "keel_cost_model_cost": (keel_status, [Handle, Handle, keel_asset, c_double, P(CTradeCost)]),
    "keel_cost_model_swap": (keel_status, [Handle, Handle, keel_asset, keel_asset, c_double,
                                           P(CSwapResult)]),
    # plans
    "keel_deleverage": (keel_status, [Handle, Handle, Handle, Handle, Handle,
                                      P(CDeleverageParams), P(Handle), P(c_double)]),
    "keel_plan_free": (None, [Handle]),
    "keel_plan_action_count": (keel_status, [Handle, P(c_size_t)]),
    "keel_plan_action": (keel_status, [Handle, c_size_t, P(CAction)]),
    "keel_plan_summary": (keel_status, [Handle, P(c_double), P(CMetrics), P(CMetrics)]),
    "keel_plan_apply": (keel_status, [Handle, Handle]),
    # policies
    "keel_policy_health_band": (keel_status, [P(CHealthBandParams), P(Handle)]),
    "keel_policy_leverage_band": (keel_status, [P(CLeverageBandParams), P(Handle)]),
    "keel_policy_target_weights": (keel_status, [P(CTargetWeightsParams), P(Handle)]),
    "keel_policy_delta_hedge": (keel_status, [P(CDeltaHedgeParams), P(Handle)]),
    "keel_policy_predictive": (keel_status, [P(CPredictiveParams), P(Handle)]),
    "keel_policy_compose": (keel_status, [P(Handle), c_size_t, P(Handle)]),
    "keel_policy_free": (None, [Handle]),
    "keel_policy_clone": (keel_status, [Handle, P(Handle)]),
    "keel_policy_kind_of": (keel_status, [Handle, P(c_int)]),
    "keel_policy_plan": (keel_status, [Handle, Handle, Handle, Handle, Handle, Handle, Handle,
                                       P(Handle)]),
    "keel_hedge_band": (keel_status, [c_double, c_double, c_double, c_double, c_double,
                                      P(c_double)]),
    "keel_liquidation_probability": (keel_status, [Handle, Handle, Handle, Handle, c_double,
                                                   P(c_double)]),
    "keel_optimize_collateral": (keel_status, [Handle, Handle, c_size_t, P(keel_asset),
                                               P(c_double), P(CCollateralParams), P(c_double),
                                               P(CCollateralResult)]),
    # scans, stress, simulation
    "keel_scan": (keel_status, [Handle, Handle, c_size_t, c_void_p, c_void_p, c_void_p, c_void_p,
                                c_void_p]),
    "keel_scan_top_k": (keel_status, [Handle, Handle, c_size_t, c_void_p, c_void_p, c_void_p,
                                      c_void_p, c_size_t, c_void_p, c_void_p, P(c_size_t)]),
    "keel_liquidations_at_risk": (keel_status, [Handle, Handle, c_size_t, c_void_p, c_void_p,
                                                c_void_p, c_void_p, c_size_t, c_void_p,
                                                c_void_p]),
    "keel_stress": (keel_status, [Handle, Handle, Handle, Handle, c_size_t, c_size_t,
                                  P(keel_asset), P(c_double), P(CMetrics)]),
    "keel_sim_new": (keel_status, [Handle, Handle, Handle, Handle, Handle, Handle, P(CSimParams),
                                   P(Handle)]),
    "keel_sim_free": (None, [Handle]),
    "keel_sim_set_drift": (keel_status, [Handle, keel_asset, c_double]),
    "keel_sim_set_jumps": (keel_status, [Handle, keel_asset, c_double, c_double, c_double]),
    "keel_sim_set_aave": (keel_status, [Handle, Handle, P(c_uint32), c_size_t, c_uint32]),
    "keel_sim_set_comet": (keel_status, [Handle, Handle, P(c_uint32), c_size_t]),
    "keel_sim_set_morpho": (keel_status, [Handle, Handle, c_uint32, c_uint32]),
    "keel_sim_set_paths": (keel_status, [Handle, c_size_t, c_size_t, c_void_p, c_void_p]),
    "keel_sim_run": (keel_status, [Handle, ctypes.c_uint64, ctypes.c_uint64, PROGRESS_FN,
                                   c_void_p, P(Handle)]),
    "keel_sim_set_replay": (keel_status, [Handle, P(CSimReplay)]),
    "keel_sim_set_window": (keel_status, [Handle, c_size_t, c_size_t]),
    "keel_sim_set_volatility": (keel_status, [Handle, keel_asset, P(CSimVolatility)]),
    "keel_sim_volatility_init": (keel_status, [P(CSimVolatility), c_size_t]),
    "keel_sim_trace_path": (keel_status, [Handle, ctypes.c_uint64, P(CSimTrace), P(Handle)]),
    "keel_sim_stats_values": (keel_status, [Handle, c_int, c_void_p, c_void_p, c_size_t,
                                            P(c_size_t)]),
    "keel_sim_stats_free": (None, [Handle]),
    "keel_sim_stats_merge": (keel_status, [Handle, Handle]),
    "keel_sim_stats_summary": (keel_status, [Handle, P(CSimSummary)]),
    "keel_sim_stats_percentile": (keel_status, [Handle, c_int, c_double, P(c_double)]),
    "keel_sim_stats_serialize": (keel_status, [Handle, c_void_p, c_size_t, P(c_size_t)]),
    "keel_sim_stats_deserialize": (keel_status, [c_void_p, c_size_t, P(Handle)]),
    # defaults of the parameter structs
    "keel_margin_params_init": (keel_status, [P(CMarginParams), c_size_t]),
    "keel_deleverage_params_init": (keel_status, [P(CDeleverageParams), c_size_t]),
    "keel_health_band_params_init": (keel_status, [P(CHealthBandParams), c_size_t]),
    "keel_leverage_band_params_init": (keel_status, [P(CLeverageBandParams), c_size_t]),
    "keel_target_weights_params_init": (keel_status, [P(CTargetWeightsParams), c_size_t]),
    "keel_delta_hedge_params_init": (keel_status, [P(CDeltaHedgeParams), c_size_t]),
    "keel_predictive_params_init": (keel_status, [P(CPredictiveParams), c_size_t]),
    "keel_collateral_params_init": (keel_status, [P(CCollateralParams), c_size_t]),
    "keel_sim_params_init": (keel_status, [P(CSimParams), c_size_t]),
    # estimators
    "keel_ewma_init": (keel_status, [P(CEwma), c_double, c_double]),
    "keel_ewma_update": (keel_status, [P(CEwma), c_double]),
    "keel_ewma_update_price": (keel_status, [P(CEwma), c_double]),
    "keel_ewma_annual_volatility": (keel_status, [P(CEwma), c_double, P(c_double)]),
    "keel_garch_init": (keel_status, [P(CGarch), c_double, c_double, c_double, c_double]),
    "keel_garch_update": (keel_status, [P(CGarch), c_double]),
    "keel_garch_update_price": (keel_status, [P(CGarch), c_double]),
    "keel_garch_long_run_variance": (keel_status, [P(CGarch), P(c_double)]),
    "keel_garch_forecast": (keel_status, [P(CGarch), c_uint32, P(c_double)]),
    "keel_garch_annual_volatility": (keel_status, [P(CGarch), c_double, P(c_double)]),
    "keel_garch_fit_params_init": (keel_status, [P(CGarchFitParams), c_size_t]),
    "keel_garch_fit": (keel_status, [P(c_double), c_size_t, P(CGarchFitParams),
                                     P(CGarchFitResult)]),
    # risk
    "keel_basket_metrics": (keel_status, [Handle, Handle, Handle, Handle, P(CMetrics)]),
    "keel_basket_liquidation_price": (keel_status, [Handle, Handle, Handle, Handle, keel_asset,
                                                    P(c_double), P(c_int)]),
    # 256-bit integers and Aave v3
    "keel_u256_from_string": (keel_status, [c_char_p, P(U256)]),
    "keel_u256_to_string": (keel_status, [U256, c_char_p, c_size_t]),
    "keel_u256_to_double": (c_double, [U256]),
    "keel_u256_cmp": (c_int, [U256, U256]),
    "keel_u256_add": (keel_status, [U256, U256, P(U256)]),
    "keel_u256_sub": (keel_status, [U256, U256, P(U256)]),
    "keel_u256_mul": (keel_status, [U256, U256, P(U256)]),
    "keel_u256_divmod": (keel_status, [U256, U256, P(U256), P(U256)]),
    "keel_u256_from_u64": (U256, [ctypes.c_uint64]),
    "keel_u256_max": (U256, []),
    "keel_wadray": (keel_status, [c_int, U256, U256, P(U256)]),
    "keel_mul_div_ceil": (keel_status, [U256, U256, U256, P(U256)]),
    "keel_aave_reserve_init": (keel_status, [P(CAaveReserve), c_size_t]),
    "keel_aave_emode_init": (keel_status, [P(CAaveEmode), c_size_t]),
    "keel_aave_market_new": (keel_status, [c_int, P(Handle)]),
    "keel_aave_market_free": (None, [Handle]),
    "keel_aave_market_clone": (keel_status, [Handle, P(Handle)]),
    "keel_aave_market_version": (c_int, [Handle]),
    "keel_aave_market_size": (c_size_t, [Handle]),
    "keel_aave_market_add_reserve": (keel_status, [Handle, c_char_p, P(CAaveReserve),
                                                   P(c_uint32)]),
    "keel_aave_market_set_reserve": (keel_status, [Handle, c_uint32, P(CAaveReserve)]),
    "keel_aave_market_reserve": (keel_status, [Handle, c_uint32, P(CAaveReserve)]),
    "keel_aave_market_set_price": (keel_status, [Handle, c_uint32, U256]),
    "keel_aave_market_find": (keel_status, [Handle, c_char_p, P(c_uint32)]),
    "keel_aave_market_symbol": (c_char_p, [Handle, c_uint32]),
    "keel_aave_market_set_emode": (keel_status, [Handle, c_uint32, P(CAaveEmode)]),
    "keel_aave_market_emode": (keel_status, [Handle, c_uint32, P(CAaveEmode)]),
    "keel_aave_market_accrue": (keel_status, [Handle, ctypes.c_uint64]),
    "keel_aave_account_new": (keel_status, [P(Handle)]),
    "keel_aave_account_free": (None, [Handle]),
    "keel_aave_account_clone": (keel_status, [Handle, P(Handle)]),
    "keel_aave_account_assign": (keel_status, [Handle, Handle]),
    "keel_aave_account_set_position": (keel_status, [Handle, Handle, c_uint32, U256, U256,
                                                     c_uint32]),
    "keel_aave_account_position": (keel_status, [Handle, c_uint32, P(U256), P(U256),
                                                 P(c_uint32)]),
    "keel_aave_account_set_emode": (keel_status, [Handle, Handle, c_uint32]),
    "keel_aave_account_emode": (c_uint32, [Handle]),
    "keel_aave_account_balances": (keel_status, [Handle, Handle, c_uint32, P(U256), P(U256)]),
    "keel_aave_user_account_data": (keel_status, [Handle, Handle, P(CAaveAccountData)]),
    "keel_aave_revert_name": (c_char_p, [c_int]),
    "keel_aave_liquidation_quote": (keel_status, [Handle, Handle, c_uint32, c_uint32, U256,
                                                  P(CAaveLiquidation), Handle]),
    "keel_aave_best_liquidation": (keel_status, [Handle, Handle, P(CAaveLiquidation)]),
    "keel_aave_repay_to_target": (keel_status, [Handle, Handle, c_uint32, U256, P(U256)]),
    "keel_aave_supply_to_target": (keel_status, [Handle, Handle, c_uint32, U256, P(U256)]),
    "keel_aave_max_withdraw": (keel_status, [Handle, Handle, c_uint32, U256, P(U256)]),
    "keel_aave_max_borrow": (keel_status, [Handle, Handle, c_uint32, U256, P(U256)]),
    "keel_aave_liquidation_price": (keel_status, [Handle, Handle, c_uint32,
                                                  P(CAavePriceBoundary)]),
    "keel_aave_to_keel": (keel_status, [Handle, Handle, P(Handle), P(Handle), P(Handle),
                                        P(c_uint32), c_size_t, P(c_size_t)]),
    "keel_aave_scan": (keel_status, [Handle, c_void_p, c_size_t, c_void_p, c_void_p,
                                     P(c_size_t)]),
    "keel_aave_scan_flat": (keel_status, [Handle, c_size_t, c_void_p, c_void_p, c_void_p,
                                          c_void_p, c_void_p, c_void_p, c_void_p, c_void_p,
                                          P(c_size_t)]),
    "keel_comet_base_init": (keel_status, [P(CCometBase), c_size_t]),
    "keel_comet_asset_init": (keel_status, [P(CCometAsset), c_size_t]),
    "keel_comet_market_new": (keel_status, [c_char_p, P(CCometBase), P(Handle)]),
    "keel_comet_market_free": (None, [Handle]),
    "keel_comet_market_clone": (keel_status, [Handle, P(Handle)]),
    "keel_comet_market_size": (c_size_t, [Handle]),
    "keel_comet_market_add_asset": (keel_status, [Handle, c_char_p, P(CCometAsset),
                                                  P(c_uint32)]),
    "keel_comet_market_set_asset": (keel_status, [Handle, c_uint32, P(CCometAsset)]),
    "keel_comet_market_asset": (keel_status, [Handle, c_uint32, P(CCometAsset)]),
    "keel_comet_market_set_base": (keel_status, [Handle, P(CCometBase)]),
    "keel_comet_market_base": (keel_status, [Handle, P(CCometBase)]),
    "keel_comet_market_set_price": (keel_status, [Handle, c_uint32, U256]),
    "keel_comet_market_find": (keel_status, [Handle, c_char_p, P(c_uint32)]),
    "keel_comet_market_accrue": (keel_status, [Handle, ctypes.c_uint64]),
    "keel_comet_market_rates": (keel_status, [Handle, P(CCometRates)]),
    "keel_comet_account_new": (keel_status, [P(Handle)]),
    "keel_comet_account_free": (None, [Handle]),
    "keel_comet_account_clone": (keel_status, [Handle, P(Handle)]),
    "keel_comet_account_set_principal": (keel_status, [Handle, CCometInt]),
    "keel_comet_account_principal": (keel_status, [Handle, P(CCometInt)]),
    "keel_comet_account_set_collateral": (keel_status, [Handle, Handle, c_uint32, U256]),
    "keel_comet_account_collateral": (keel_status, [Handle, c_uint32, P(U256)]),
    "keel_comet_present_value": (keel_status, [Handle, CCometInt, P(CCometInt)]),
    "keel_comet_principal_value": (keel_status, [Handle, CCometInt, P(CCometInt)]),
    "keel_comet_account_liquidity": (keel_status, [Handle, Handle, P(CCometAccountData)]),
    "keel_comet_revert_name": (c_char_p, [c_int]),
    "keel_comet_absorb_quote": (keel_status, [Handle, Handle, P(CCometAbsorb), Handle]),
    "keel_comet_quote_collateral": (keel_status, [Handle, c_uint32, U256, P(U256)]),
    "keel_comet_buy_collateral_quote": (keel_status, [Handle, c_uint32, U256, U256,
                                                      P(CCometBuy)]),
    "keel_comet_repay_to_target": (keel_status, [Handle, Handle, c_int, U256, P(U256)]),
    "keel_comet_supply_to_target": (keel_status, [Handle, Handle, c_uint32, c_int, U256,
                                                  P(U256)]),
    "keel_comet_max_withdraw": (keel_status, [Handle, Handle, c_uint32, U256, P(U256)]),
    "keel_comet_max_borrow": (keel_status, [Handle, Handle, U256, P(U256)]),
    "keel_comet_liquidation_price": (keel_status, [Handle, Handle, c_uint32,
                                                   P(CCometPriceBoundary)]),
    "keel_comet_to_keel": (keel_status, [Handle, Handle, P(Handle), P(Handle), P(Handle),
                                         P(c_uint32), c_size_t, P(c_size_t)]),
    "keel_morpho_params_init": (keel_status, [P(CMorphoParams), c_size_t]),
    "keel_morpho_state_init": (keel_status, [P(CMorphoState), c_size_t]),
    "keel_morpho_market_new": (keel_status, [c_char_p, c_char_p, P(CMorphoParams),
                                             P(CMorphoState), P(Handle)]),
    "keel_morpho_market_free": (None, [Handle]),
    "keel_morpho_market_clone": (keel_status, [Handle, P(Handle)]),
    "keel_morpho_market_params": (keel_status, [Handle, P(CMorphoParams)]),
    "keel_morpho_market_state": (keel_status, [Handle, P(CMorphoState)]),
    "keel_morpho_market_set_state": (keel_status, [Handle, P(CMorphoState)]),
    "keel_morpho_market_set_price": (keel_status, [Handle, U256]),
    "keel_morpho_market_accrue": (keel_status, [Handle, U256, ctypes.c_uint64, P(U256),
                                                P(U256)]),
    "keel_morpho_convert": (keel_status, [c_int, U256, U256, U256, P(U256)]),
    "keel_morpho_incentive_factor": (keel_status, [U256, P(U256)]),
    "keel_morpho_position_data_get": (keel_status, [Handle, P(CMorphoPosition),
                                                    P(CMorphoPositionData)]),
    "keel_morpho_revert_name": (c_char_p, [c_int]),
    "keel_morpho_liquidation_quote": (keel_status, [Handle, P(CMorphoPosition), U256, U256,
                                                    P(CMorphoLiquidation),
                                                    P(CMorphoPosition)]),
    "keel_morpho_best_liquidation": (keel_status, [Handle, P(CMorphoPosition),
                                                   P(CMorphoLiquidation), P(CMorphoPosition)]),
    "keel_morpho_repay_to_target": (keel_status, [Handle, P(CMorphoPosition), U256, c_int,
                                                  P(U256)]),
    "keel_morpho_collateral_to_target": (keel_status, [Handle, P(CMorphoPosition), U256,
                                                       P(U256)]),
    "keel_morpho_max_withdraw_collateral": (keel_status, [Handle, P(CMorphoPosition), U256,
                                                          P(U256)]),
    "keel_morpho_max_borrow": (keel_status, [Handle, P(CMorphoPosition), U256, P(U256)]),
    "keel_morpho_liquidation_price": (keel_status, [Handle, P(CMorphoPosition), P(U256)]),
    "keel_morpho_to_keel": (keel_status, [Handle, P(CMorphoPosition), P(Handle), P(Handle),
                                          P(Handle), P(c_uint32), P(c_uint32)]),
}

for _name, (_res, _args) in SIGNATURES.items():
    _fn = getattr(raw, _name)
    _fn.restype = _res
    _fn.argtypes = _args


# ---- handles in flight ----------------------------------------------------------------
#
# A handle's pointer must not be freed while C may still use it. Python code can
# run between the moment a method takes `self._ptr` and the moment C returns:
# an argument's __float__ or __index__ (evaluated after `self._ptr`), a progress
# callback C calls during a run, another thread while ctypes has released the
# GIL. Two rules close every such window:
#   - `_ptr` gives a HandleRef, not the bare pointer; every C call goes through
#     `lib`, which checks, right before calling, that each HandleRef's handle is
#     still open (so a handle closed while the arguments were converted is a
#     ValueError, not a pointer to freed memory);
#   - while any C call is in flight, close() defers the free to the end of the
#     last one (a handle closed from a callback or another thread stays valid
#     for the C code using it).

import threading as _threading

_lock = _threading.Lock()
_in_flight = 0
_deferred: List[Tuple[Any, Any]] = []


class HandleRef:
    """A handle's pointer as taken by a method, with the handle it came from."""

    __slots__ = ("handle", "value")

    def __init__(self, handle: Any, value: Any) -> None:
        self.handle, self.value = handle, value

    @property
    def _as_parameter_(self) -> Any:
        return self.value


def free_later_or_now(free: Any, value: Any) -> None:
    """Frees `value` with C function `free` now, or after the C calls in flight."""
    with _lock:
        if _in_flight:
            _deferred.append((free, value))
            return
    free(value)


def _check_open(ref: HandleRef) -> None:
    if ref.handle._ptr_value is not ref.value:
        raise ValueError(f"{type(ref.handle).__name__} is closed")


class _Call:
    __slots__ = ("fn", "__name__")

    def __init__(self, fn: Any, name: str) -> None:
        self.fn, self.__name__ = fn, name

    def __call__(self, *args: Any) -> Any:
        global _in_flight
        for a in args:
            if type(a) is HandleRef:
                _check_open(a)
            else:  # a struct passed by reference may hold handles (fill in _defaults)
                for ref in getattr(getattr(a, "_obj", None), "_refs", ()):
                    _check_open(ref)
        with _lock:
            _in_flight += 1
        try:
            return self.fn(*args)
        finally:
            with _lock:
                _in_flight -= 1
                ready = _deferred[:] if _in_flight == 0 else []
                if ready:
                    del _deferred[:]
            for free, value in ready:
                free(value)


class _Lib:
    """The C functions, each called through _Call (see above)."""

    def __init__(self, dll: ctypes.CDLL) -> None:
        self._name = dll._name
        for name in SIGNATURES:
            setattr(self, name, _Call(getattr(dll, name), name))

    def __getattr__(self, name: str) -> Any:  # a function without a declared signature
        return _Call(getattr(raw, name), name)


lib = _Lib(raw)

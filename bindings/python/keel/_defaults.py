"""The library's defaults of every parameter struct, read from C (the
keel_*_params_init functions): the bindings never restate a default, so a
keyword left as None means "what the C library uses"."""

from __future__ import annotations

import ctypes
from ctypes import byref
from typing import Any, Dict, TypeVar

from . import _ffi
from .errors import check

_lib = _ffi.lib

# name accepted by defaults() -> the struct the C library fills
STRUCTS = {
    "deleverage": _ffi.CDeleverageParams,
    "health_band": _ffi.CHealthBandParams,
    "leverage_band": _ffi.CLeverageBandParams,
    "target_weights": _ffi.CTargetWeightsParams,
    "delta_hedge": _ffi.CDeltaHedgeParams,
    "predictive": _ffi.CPredictiveParams,
    "collateral": _ffi.CCollateralParams,
    "simulation": _ffi.CSimParams,
    "margin": _ffi.CMarginParams,
    "garch_fit": _ffi.CGarchFitParams,
}
_POINTERS = {"wallet", "assets", "weights", "scenarios"}
_S = TypeVar("_S", bound=ctypes.Structure)


def c_struct(struct_type: type[_S]) -> _S:
    """A new `struct_type` filled by its C init function (size set to the
    binding's layout; the library writes only that many bytes)."""
    s = struct_type()
    check(getattr(_lib, getattr(struct_type, "INIT"))(byref(s), ctypes.sizeof(s)))
    return s


def fill(struct: _S, **values: Any) -> _S:
    """Sets the fields given a value; None leaves the library's default. A
    handle (a HandleRef from `_ptr`) is stored as its pointer and kept on the
    struct, so that the call checks it is still open (see _ffi)."""
    for name, value in values.items():
        if isinstance(value, _ffi.HandleRef):
            setattr(struct, "_refs", getattr(struct, "_refs", ()) + (value,))
            value = value.value
        if value is not None:
            setattr(struct, name, value)
    return struct


def defaults(kind: str) -> Dict[str, Any]:
    """The C library's defaults of one parameter struct, as {field: value}:
    deleverage, health_band, leverage_band, target_weights, delta_hedge,
    predictive, collateral, simulation, margin or garch_fit. Asset fields that are unset
    read None; pointer fields are left out.

    >>> import keel
    >>> keel.defaults("health_band")["repay_below"]
    1.3
    """
    if kind not in STRUCTS:
        raise ValueError(f"unknown parameter struct {kind!r}; use {sorted(STRUCTS)}")
    s = c_struct(STRUCTS[kind])
    out: Dict[str, Any] = {}
    for name, ctype in s._fields_[1:]:
        if name in _POINTERS:
            continue
        value = getattr(s, name)
        if ctype is _ffi.keel_asset and value == _ffi.KEEL_ASSET_INVALID:
            value = None
        out[name] = value
    return out


__all__ = ["defaults"]

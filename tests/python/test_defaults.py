"""One source of defaults: a keyword left as None passes the C library's own
default (keel_*_params_init) to C, read here by recording the struct each
binding call hands to the library; no binding source restates a default."""

import ctypes
import inspect
import math
import pathlib
import re

import pytest

import keel
from keel import _defaults, _ffi

ROOT = pathlib.Path(__file__).resolve().parents[2]


class Recorder:
    """Stands in for the loaded library: records the struct passed to `name`."""

    def __init__(self, lib, name, struct_type, arg):
        self._lib, self._name, self._type, self._arg = lib, name, struct_type, arg
        self.seen = None

    def __getattr__(self, attr):
        fn = getattr(self._lib, attr)
        if attr != self._name:
            return fn

        def record(*args):
            self.seen = ctypes.cast(args[self._arg], ctypes.POINTER(self._type)).contents
            self.seen = bytes(memoryview(self.seen))  # a copy, before the buffer goes
            return fn(*args)
        return record


def fields(struct_type, raw):
    s = struct_type.from_buffer_copy(raw)
    return {n: getattr(s, n) for n, _ in struct_type._fields_ if n not in ("wallet", "assets",
                                                                         "weights", "scenarios")}


def c_defaults(struct_type):
    s = struct_type()
    assert getattr(_ffi.lib, struct_type.INIT)(ctypes.byref(s), ctypes.sizeof(s)) == 0
    return {n: getattr(s, n) for n, _ in struct_type._fields_ if n not in ("wallet", "assets",
                                                                        "weights", "scenarios")}


@pytest.fixture
def account():
    m = keel.Market()
    eth = m.add_asset("ETH", 1800.0, volatility=0.8)
    usdc = m.add_asset("USDC", 1.0)
    h = keel.HaircutModel()
    h.set_asset(eth, initial=0.25, maintenance=0.2)
    b = keel.Basket()
    b.set_collateral(eth, 10.0)
    b.set_debt(usdc, 12000.0)
    return m, h, b, eth, usdc


def passed(monkeypatch, module, name, struct_type, arg, call):
    rec = Recorder(_ffi.lib, name, struct_type, arg)
    monkeypatch.setattr(module, "_lib", rec)
    call()
    assert rec.seen is not None, f"{name} was not called"
    return fields(struct_type, rec.seen)


def test_python_defaults_are_what_c_init_gives(monkeypatch, account):
    m, h, b, eth, usdc = account
    pol, sim, plan, opt = keel.policy, keel.sim, keel.plan, keel.options
    cases = [
        (pol, "keel_policy_health_band", _ffi.CHealthBandParams, 0,
         lambda: keel.Policy.health_band(debt_asset=usdc), {"debt_asset": usdc}),
        (pol, "keel_policy_leverage_band", _ffi.CLeverageBandParams, 0,
         lambda: keel.Policy.leverage_band(eth, usdc), {"asset": eth, "debt_asset": usdc}),
        (pol, "keel_policy_target_weights", _ffi.CTargetWeightsParams, 0,
         lambda: keel.Policy.target_weights({eth: 1.0}), {"count": 1}),
        (pol, "keel_policy_delta_hedge", _ffi.CDeltaHedgeParams, 0,
         lambda: keel.Policy.delta_hedge(usdc), {"funding_asset": usdc}),
        (pol, "keel_policy_predictive", _ffi.CPredictiveParams, 0,
         lambda: keel.Policy.predictive(repay_asset=usdc), {"repay_asset": usdc}),
        (pol, "keel_optimize_collateral", _ffi.CCollateralParams, 5,
         lambda: keel.optimize_collateral(m, h, [eth, usdc], min_borrowing=0.5), {
             "goal": 1, "min_borrowing": 0.5}),
        (sim, "keel_sim_new", _ffi.CSimParams, 6,
         lambda: keel.Simulation(m, b, h, keel.CostModel()), {}),
        (plan, "keel_deleverage", _ffi.CDeleverageParams, 5,
         lambda: keel.deleverage(m, b, h, keel.CostModel(), repay_asset=usdc),
         {"repay_asset": usdc}),
        (opt, "keel_options_set_margin_params", _ffi.CMarginParams, 1,
         lambda: keel.Options().set_margin_params(), {}),
        (keel._garch, "keel_garch_fit", _ffi.CGarchFitParams, 2,
         lambda: keel.garch_fit([0.02 * math.sin(1.3 * t) * (1.5 if t // 40 % 2 else 0.6)
                                 for t in range(400)]), {}),
    ]
    for module, name, struct_type, arg, call, given in cases:
        want = {**c_defaults(struct_type), **given}
        assert passed(monkeypatch, module, name, struct_type, arg, call) == want, name
        monkeypatch.undo()


def test_defaults_reads_c():
    for kind, struct_type in _defaults.STRUCTS.items():
        d = keel.defaults(kind)
        c = c_defaults(struct_type)
        for name, value in d.items():
            # unset assets read None; everything else is the C value itself
            want = None if value is None and c[name] == _ffi.KEEL_ASSET_INVALID else c[name]
            assert value == want, (kind, name)
        assert set(d) <= set(c) - {"size"}
    with pytest.raises(ValueError, match="unknown parameter struct"):
        keel.defaults("nope")


# every keyword that sets a field of a parameter struct defaults to None
SIGNATURES = [
    (keel.Policy.health_band, _ffi.CHealthBandParams),
    (keel.Policy.leverage_band, _ffi.CLeverageBandParams),
    (keel.Policy.target_weights, _ffi.CTargetWeightsParams),
    (keel.Policy.delta_hedge, _ffi.CDeltaHedgeParams),
    (keel.Policy.predictive, _ffi.CPredictiveParams),
    (keel.optimize_collateral, _ffi.CCollateralParams),
    (keel.Simulation.__init__, _ffi.CSimParams),
    (keel.Simulation.from_prices, _ffi.CSimParams),
    (keel.Simulation.set_volatility, _ffi.CSimVolatility),
    (keel.deleverage, _ffi.CDeleverageParams),
    (keel.Options.set_margin_params, _ffi.CMarginParams),
    (keel.garch_fit, _ffi.CGarchFitParams),
]
ALIASES = {"target": "target_health"}


def test_no_keyword_restates_a_default():
    for fn, struct_type in SIGNATURES:
        names = {n for n, _ in struct_type._fields_}
        for p in inspect.signature(fn).parameters.values():
            if ALIASES.get(p.name, p.name) in names and p.default is not inspect.Parameter.empty:
                assert p.default is None, f"{fn.__qualname__}({p.name}={p.default!r})"


def code_lines(path):
    """The source without comments and docstrings/doc comments."""
    text = path.read_text()
    if path.suffix == ".py":
        text = re.sub(r'"""(?:.|\n)*?"""', "", text)
        return [line.split("#")[0] for line in text.splitlines()]
    return [line.split("//")[0] for line in text.splitlines()]


def test_binding_sources_hold_no_default_literal():
    # the distinctive numbers of the C defaults (1.3 / 1.5 / 2.0 / 1.7 health band,
    # 2.3 / 2.7 leverage band, 0.95 / 0.05 liquidator, 1/365 and 10/365 horizons)
    literal = re.compile(r"(?<![\w.])(1\.3|1\.7|2\.3|2\.7|0\.95|0\.05|0\.99|1e-3|0\.001|"
                         r"1(\.0)? */ *365(\.0)?|10(\.0)? */ *365(\.0)?)(?![\w.])")
    sources = sorted((ROOT / "bindings" / "python" / "keel").glob("*.py"))
    sources += sorted((ROOT / "bindings" / "rust").glob("*/src/*.rs"))
    for path in sources:
        for n, line in enumerate(code_lines(path), 1):
            m = literal.search(line)
            assert m is None, f"{path.relative_to(ROOT)}:{n} restates a default: {line.strip()}"

"""Property-based tests of the Python binding (Hypothesis, Debian's
python3-hypothesis): random call sequences with hostile values never crash,
raise only keel's errors or TypeError / ValueError / OverflowError, and
change nothing when they fail; and the invariants the docs promise: a scan
equals each account's metrics bit for bit, shards of a simulation merge into
the bytes of one run, an applied plan reaches the health factor it reports.

Deterministic (derandomize=True, no example database) and bounded for CI."""

from __future__ import annotations

import gc
import math
import os
import struct
import tempfile
import warnings

import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis.configuration import set_hypothesis_home_dir  # noqa: E402

# no .hypothesis/ in the checkout (st.text() caches Unicode tables there)
set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "keel-hypothesis"))
from hypothesis import HealthCheck, Phase, event, given, settings, strategies as st  # noqa: E402
from hypothesis.stateful import (RuleBasedStateMachine, initialize, invariant,  # noqa: E402
                                 precondition, rule)

import keel  # noqa: E402

ALLOWED = (keel.KeelError, TypeError, ValueError, OverflowError)

# KEEL_HYPOTHESIS_SCALE=10 runs ten times the examples; KEEL_HYPOTHESIS_SHRINK=1
# shrinks a failure (minutes for a call sequence, so CI reports it unshrunk,
# with the steps and the @reproduce_failure blob).
SCALE = float(os.environ.get("KEEL_HYPOTHESIS_SCALE", "1"))
PHASES = [Phase.explicit, Phase.reuse, Phase.generate] + \
    ([Phase.shrink] if os.environ.get("KEEL_HYPOTHESIS_SHRINK") else [])
COMMON = dict(deadline=None, derandomize=True, database=None, print_blob=True, phases=PHASES,
              suppress_health_check=list(HealthCheck))


def examples(n):
    return max(1, int(n * SCALE))

# ---------------------------------------------------------------------------------------
# Hostile values
# ---------------------------------------------------------------------------------------

NAN, INF = float("nan"), float("inf")
EDGE_FLOATS = [NAN, INF, -INF, -0.0, 0.0, 5e-324, 2.2250738585072014e-308, 1e-300, 1e308,
               -1e308, -1.0, 1.0, 0.5, 1.5, 2.0 ** 64]
EDGE_INTS = [-1, -2 ** 63, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 32 + 2, 2 ** 63, 2 ** 64 - 1,
             2 ** 64, 2 ** 64 + 1, 2 ** 64 + 2, 2 ** 1100]
NOT_NUMBERS = [None, "x", b"1", [], (), object(), 1.5, True, NAN, np.float64(1.0),
               np.int64(1), np.uint64(2 ** 64 - 1)]

hostile_float = st.one_of(st.sampled_from(EDGE_FLOATS), st.floats(), st.integers(-2 ** 70, 2 ** 70),
                          st.sampled_from([None, "x", "1", [], 2 ** 1100]))


def mostly(valid, hostile, n=6):
    """`valid` n times in n + 1, else `hostile` (st.one_of would weigh them alike)."""
    return st.integers(0, n).flatmap(lambda r: valid if r < n else hostile)


def floats_in(lo, hi):
    """Mostly valid numbers in [lo, hi], sometimes hostile ones."""
    return mostly(st.floats(lo, hi), hostile_float)


asset_id = mostly(st.integers(0, 3), st.one_of(st.sampled_from(EDGE_INTS),
                                               st.sampled_from(NOT_NUMBERS),
                                               st.just(keel.ASSET_INVALID)), n=4)
any_int = mostly(st.integers(0, 8), st.one_of(st.sampled_from(EDGE_INTS),
                                              st.sampled_from(NOT_NUMBERS),
                                              st.integers(-2 ** 70, 2 ** 70)), n=3)
small_count = st.one_of(st.integers(0, 4), st.sampled_from([-1, 2 ** 64, 2 ** 64 + 1, None, 1.5,
                                                            "2", True]))
quantity = floats_in(0.0, 50.0)
price = floats_in(1e-3, 1e5)
unit = floats_in(0.0, 1.0)


def bits(x):
    """A number's exact identity (NaN, -0 included)."""
    if isinstance(x, float):
        return struct.pack("<d", x)
    if isinstance(x, (list, tuple)):
        return tuple(bits(v) for v in x)
    if isinstance(x, dict):
        return tuple((k, bits(v)) for k, v in x.items())
    if hasattr(x, "__dataclass_fields__"):
        return (type(x).__name__,) + tuple(bits(getattr(x, f)) for f in x.__dataclass_fields__)
    return x


def live_handles(expected):
    """Handles alive, once garbage held only by reference cycles is gone."""
    n = keel.live_handles()
    if n != expected:
        gc.collect()
        n = keel.live_handles()
    return n


def attempt(fn, *args, **kw):
    """The result, or the name of the allowed error it raised."""
    try:
        return fn(*args, **kw)
    except ALLOWED as exc:
        return ("raised", type(exc).__name__, getattr(exc, "status", None))


def _market():
    m = keel.Market()
    eth = m.add_asset("ETH", 2000.0, volatility=0.8, depth=5e6)
    usdc = m.add_asset("USDC", 1.0, volatility=0.01)
    btc = m.add_asset("WBTC", 60000.0, volatility=0.6)
    m.set_correlation(eth, btc, 0.7)
    return m, eth, usdc, btc


def _haircuts():
    h = keel.HaircutModel()
    h.set_asset(0, initial=0.2, maintenance=0.15)
    h.set_asset(1, initial=0.1, maintenance=0.05)
    h.set_asset(2, initial=0.3, maintenance=0.25)
    return h


# ---------------------------------------------------------------------------------------
# Random call sequences
# ---------------------------------------------------------------------------------------

class KeelMachine(RuleBasedStateMachine):
    """One market, haircut model, basket, cost model, options book,
    simulation and statistics, driven by random calls. Every call that
    raises must raise an allowed error and leave every handle's public
    state bit for bit as it was; every reading call leaves it as it was
    whatever happens; no call leaks a handle."""

    @initialize()
    def setup(self):
        self.market, *_ = _market()
        self.haircuts = _haircuts()
        self.basket = keel.Basket()
        self.basket.set_collateral(0, 10.0)
        self.basket.set_debt(1, 12000.0)
        self.costs = keel.CostModel()
        self.costs.set_fee(0, bps=10)
        self.options = keel.Options()
        self.ref, *_ = _market()  # never changed: prices the cost model and book in snapshots
        self.closed = keel.Market()
        self.closed.close()
        self.band = keel.Policy.health_band(repay_below=1.3, repay_to=1.5, debt_asset=1)
        self.policies = [self.band, keel.Policy.predictive(repay_asset=1),
                         keel.Policy.leverage_band(asset=0, debt_asset=1),
                         keel.Policy.target_weights({0: 0.5, 2: 0.5}),
                         keel.Policy.delta_hedge(funding_asset=1)]
        self.policies.append(keel.Policy.compose(self.policies[3], self.policies[0]))
        self.sim = keel.Simulation(self.market, self.basket, self.haircuts, self.costs, self.band,
                                   steps=4, seed=3)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.stats = self.sim.run(0, 3)
        gc.collect()  # objects of earlier examples held by tracebacks
        self.live = keel.live_handles()

    def teardown(self):
        for name in ("market", "haircuts", "basket", "costs", "options", "ref", "sim", "stats"):
            obj = getattr(self, name, None)
            if obj is not None:
                obj.close()
        for p in getattr(self, "policies", []):
            p.close()

    # -- what a handle shows -------------------------------------------------------------

    def snapshot(self):
        m, h, b, c, o = self.market, self.haircuts, self.basket, self.costs, self.options
        n = len(m)
        ids = range(n + 2)
        snap = {
            "market": (m.rate, [(m.symbol(i), m.price(i), m.volatility(i), m.carry(i), m.depth(i))
                                for i in range(n)],
                       [m.correlation(i, j) for i in range(n) for j in range(n)]),
            "haircuts": ([(h.asset(i), h.borrow_factor(i), h.cap(i), h.concentration(i),
                           h.peg_group(i)) for i in ids],
                         h.volatility_addon, h.liquidity_addon, h.concentration_mode,
                         h.peg_mismatch_addon, h.portfolio_mode),
            "basket": b.positions(),
            "costs": [(c.impact(i), attempt(c.cost, self.ref, i, 1.5),
                       attempt(c.cost, self.ref, i, -2.5)) for i in range(3)],
            "options": (o.positions(), attempt(o.value, self.ref),
                        attempt(o.scenario_margin, self.ref), self.next_option_id()),
            "stats": self.stats.to_bytes(),
        }
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            run = attempt(self.sim.run, 0, 2)
        snap["sim"] = run.to_bytes() if isinstance(run, keel.SimStats) else run
        if isinstance(run, keel.SimStats):
            run.close()
        return bits(snap)

    def next_option_id(self):
        """The id the book's next position would get (ids are never reused)."""
        with self.options.clone() as probe:
            return attempt(probe.add, 0, "call", 1.0, 1.0, 1.0)

    def _check(self, what, args, before, after, exc):
        if after != before:
            changed = [k for k in dict(before) if dict(before)[k] != dict(after)[k]]
            raise AssertionError(f"{what}{args!r} {'raised ' + repr(exc) if exc else 'read'} "
                                 f"and changed {changed}")
        assert live_handles(self.live) == self.live, f"{what}{args!r} leaked a handle"

    def mutate(self, obj, method, *args, **kw):
        """A changing call: on error, nothing changed."""
        before = self.snapshot()
        what = f"{type(obj).__name__}.{method}"
        try:
            if method.startswith("="):
                setattr(obj, method[1:], *args)
            else:
                getattr(obj, method)(*args, **kw)
        except ALLOWED as exc:
            event(f"{what}: {type(exc).__name__}")
            self._check(what, args, before, self.snapshot(), exc)
        else:
            event(f"{what}: ok")

    def read(self, fn, *args, **kw):
        """A reading call: nothing changes, whatever happens. Returns the
        result (None when it raised)."""
        before = self.snapshot()
        exc = result = None
        try:
            result = fn(*args, **kw)
        except ALLOWED as e:
            exc = e
        event(f"{getattr(fn, '__qualname__', fn)}: {type(exc).__name__ if exc else 'ok'}")
        for obj in result if isinstance(result, (list, tuple)) else [result]:
            if isinstance(obj, (keel.Plan, keel.SimStats, keel.Policy, keel.Simulation,
                                keel.Market, keel.Basket)):
                obj.close()
        self._check(getattr(fn, "__qualname__", fn), (args, kw), before, self.snapshot(), exc)
        return result

    def handle(self, data, right):
        """The right handle, most of the time; else a handle of another type or a closed one."""
        return data.draw(st.sampled_from([right, right, right, self.closed,
                                          self.basket if right is not self.basket else self.market]))

    # -- market --------------------------------------------------------------------------

    @rule(symbol=st.one_of(st.sampled_from(["ETH", "", "X" * 40, "a b", "é", "\x01", "OK"]),
                           st.text(max_size=12)), p=price)
    @precondition(lambda self: len(self.market) < 6)
    def market_add_asset(self, symbol, p):
        self.mutate(self.market, "add_asset", symbol, p)

    @rule(a=asset_id, p=price)
    def market_set_price(self, a, p):
        self.mutate(self.market, "set_price", a, p)

    @rule(ps=st.lists(price, max_size=6))
    def market_set_prices(self, ps):
        self.mutate(self.market, "set_prices", ps)

    @rule(a=asset_id, v=floats_in(0.0, 2.0))
    def market_set_volatility(self, a, v):
        self.mutate(self.market, "set_volatility", a, v)

    @rule(a=asset_id, v=floats_in(-0.2, 0.2))
    def market_set_carry(self, a, v):
        self.mutate(self.market, "set_carry", a, v)

    @rule(a=asset_id, v=st.one_of(floats_in(1.0, 1e9), st.just(INF)))
    def market_set_depth(self, a, v):
        self.mutate(self.market, "set_depth", a, v)

    @rule(v=floats_in(-0.1, 0.2))
    def market_set_rate(self, v):
        self.mutate(self.market, "=rate", v)

    @rule(a=asset_id, b=asset_id, rho=floats_in(-1.0, 1.0))
    def market_set_correlation(self, a, b, rho):
        self.mutate(self.market, "set_correlation", a, b, rho)

    # -- haircuts ------------------------------------------------------------------------

    @rule(a=asset_id, i=unit, m=unit)
    def haircut_set_asset(self, a, i, m):
        self.mutate(self.haircuts, "set_asset", a, max(i, m) if isinstance(i, float) and
                    isinstance(m, float) else i, m)

    @rule(a=asset_id)
    def haircut_clear_asset(self, a):
        self.mutate(self.haircuts, "clear_asset", a)

    @rule(a=asset_id, f=floats_in(1.0, 3.0))
    def haircut_set_borrow_factor(self, a, f):
        self.mutate(self.haircuts, "set_borrow_factor", a, f)

    @rule(a=asset_id, cap=unit)
    def haircut_set_cap(self, a, cap):
        self.mutate(self.haircuts, "set_cap", a, cap)

    @rule(conf=floats_in(0.5, 0.9999), days=floats_in(0.0, 30.0))
    def haircut_volatility_addon(self, conf, days):
        self.mutate(self.haircuts, "set_volatility_addon", conf, days)

    @rule(k=floats_in(0.0, 2.0), cap=unit)
    def haircut_liquidity_addon(self, k, cap):
        self.mutate(self.haircuts, "set_liquidity_addon", k, cap)

    @rule(a=asset_id, share=unit, extra=unit)
    def haircut_concentration(self, a, share, extra):
        self.mutate(self.haircuts, "set_concentration", a, share, extra)

    @rule(mode=st.sampled_from(["extra", "exclude", "both", None, 0, 1]))
    def haircut_concentration_mode(self, mode):
        self.mutate(self.haircuts, "=concentration_mode", mode)

    @rule(a=asset_id, g=any_int)
    def haircut_peg_group(self, a, g):
        self.mutate(self.haircuts, "set_peg_group", a, g)

    @rule(v=unit)
    def haircut_peg_addon(self, v):
        self.mutate(self.haircuts, "=peg_mismatch_addon", v)

    @rule(on=st.sampled_from([True, False, 0, 1, 2, None, "yes"]))
    def haircut_portfolio_mode(self, on):
        self.mutate(self.haircuts, "=portfolio_mode", on)

    # -- basket --------------------------------------------------------------------------

    @rule(method=st.sampled_from(["set_collateral", "set_debt"]), a=asset_id,
          q=st.one_of(quantity, floats_in(0.0, 20000.0)))
    def basket_set(self, method, a, q):
        self.mutate(self.basket, method, a, q)

    @rule(method=st.sampled_from(["add_collateral", "add_debt"]), a=asset_id,
          q=st.one_of(floats_in(-20.0, 20.0), floats_in(-5000.0, 5000.0)))
    def basket_add(self, method, a, q):
        self.mutate(self.basket, method, a, q)

    @rule()
    @precondition(lambda self: len(self.basket) > 3)
    def basket_clear(self):
        self.mutate(self.basket, "clear")

    # -- cost model ----------------------------------------------------------------------

    @rule(a=asset_id, fee=floats_in(0.0, 100.0), spread=floats_in(0.0, 100.0))
    def cost_set_fee(self, a, fee, spread):
        self.mutate(self.costs, "set_fee", a, fee, spread)

    @rule(a=asset_id, f=floats_in(0.0, 50.0))
    def cost_set_fixed(self, a, f):
        self.mutate(self.costs, "set_fixed", a, f)

    @rule(method=st.sampled_from(["set_linear_impact", "set_sqrt_impact"]), a=asset_id,
          k=floats_in(0.0, 2.0), depth=floats_in(1.0, 1e8))
    def cost_set_impact(self, method, a, k, depth):
        self.mutate(self.costs, method, a, k, depth)

    @rule(a=asset_id, base=floats_in(1.0, 1e6), quote=floats_in(1.0, 1e9), fee=floats_in(0, 0.05))
    def cost_set_pool(self, a, base, quote, fee):
        self.mutate(self.costs, "set_pool", a, base, quote, fee)

    @rule(a=asset_id)
    def cost_clear_impact(self, a):
        self.mutate(self.costs, "clear_impact", a)

    # -- options book --------------------------------------------------------------------

    @rule(a=asset_id, kind=st.sampled_from(["call", "put", "c", 0, 1, 2, "x", None]),
          strike=price, expiry=floats_in(0.0, 2.0), q=floats_in(-20.0, 20.0),
          vol=st.one_of(st.none(), floats_in(0.0, 2.0)))
    @precondition(lambda self: len(self.options) < 6)
    def options_add(self, a, kind, strike, expiry, q, vol):
        self.mutate(self.options, "add", a, kind, strike, expiry, q, vol)

    @rule(method=st.sampled_from(["set_quantity", "set_expiry", "set_volatility"]),
          pid=any_int, v=st.one_of(floats_in(-5.0, 5.0), st.none()))
    def options_set(self, method, pid, v):
        self.mutate(self.options, method, pid, v)

    @rule(pid=any_int)
    def options_remove(self, pid):
        self.mutate(self.options, "remove", pid)

    @rule(h=floats_in(0.0, 10.0), s=floats_in(0.0, 5.0), v=unit,
          scen=st.one_of(st.none(), st.lists(st.tuples(floats_in(-1, 1), floats_in(-1, 1),
                                                       unit), max_size=3)))
    def options_margin_params(self, h, s, v, scen):
        self.mutate(self.options, "set_margin_params", h, s, v, scen)

    # -- simulation and statistics -------------------------------------------------------

    @rule(a=asset_id, mu=floats_in(-1.0, 1.0))
    def sim_set_drift(self, a, mu):
        self.mutate(self.sim, "set_drift", a, mu)

    @rule(a=asset_id, lam=floats_in(0.0, 50.0), mean=floats_in(-0.3, 0.3), vol=unit)
    def sim_set_jumps(self, a, lam, mean, vol):
        self.mutate(self.sim, "set_jumps", a, lam, mean, vol)

    @rule(first=any_int, count=small_count)
    def stats_merge(self, first, count):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            other = attempt(self.sim.run, first, count)
        if isinstance(other, keel.SimStats):
            self.live += 1
            try:
                self.mutate(self.stats, "merge_into", other)
            finally:
                other.close()
                self.live -= 1

    @rule(data=st.data())
    def stats_from_bytes(self, data):
        raw = bytearray(self.stats.to_bytes())
        for _ in range(data.draw(st.integers(0, 3))):
            if not raw:
                break
            i = data.draw(st.integers(0, len(raw) - 1))
            raw[i] = data.draw(st.integers(0, 255))
        cut = data.draw(st.integers(0, len(raw)))
        self.read(keel.SimStats.from_bytes, bytes(raw[:cut] if data.draw(st.booleans()) else raw))

    @rule(metric=st.sampled_from(list(keel.sim.METRICS) + ["nope", None]), q=unit)
    def stats_percentile(self, metric, q):
        self.read(self.stats.percentile, metric, q)

    @rule(first=any_int, count=small_count)
    def sim_run(self, first, count):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.read(self.sim.run, first, count)

    @rule(steps=small_count, dt=floats_in(1e-4, 0.1), seed=any_int, every=small_count,
          close=unit, full=unit, bonus=unit)
    def sim_new(self, steps, dt, seed, every, close, full, bonus):
        self.read(keel.Simulation, self.market, self.basket, self.haircuts, self.costs,
                  self.band, steps=steps, dt=dt, seed=seed, rebalance_every=every,
                  close_factor=close, full_close_below=full, liquidation_bonus=bonus)

    @rule(paths=st.integers(0, 3), steps=st.sampled_from([4, 4, 4, 3, 5, 0]),
          assets=st.lists(asset_id, min_size=0, max_size=3),
          fill=st.one_of(price, st.sampled_from([NAN, INF, 0.0, -1.0, 1e308, 5e-324])),
          poke=st.one_of(st.none(), st.sampled_from([NAN, INF, -INF, 0.0, -0.0, -5.0, 1e308])))
    def sim_set_paths(self, paths, steps, assets, fill, poke):
        try:
            shape = (paths, steps, len(assets))
            prices = np.full(shape, float(fill))
        except ALLOWED:
            return
        if poke is not None and prices.size:
            prices.flat[prices.size // 2] = poke
        self.mutate(self.sim, "set_paths", assets, prices)
        if paths == 0:  # back to the model, so later runs do not fail for want of paths
            self.mutate(self.sim, "set_paths", [], np.empty((0, 4, 0)))

    @rule(paths=st.sampled_from([2, 2, 1, 0]), rows=st.sampled_from([5, 5, 5, 3, 1, 2, 0]),
          assets=st.lists(st.one_of(asset_id, st.sampled_from(["ETH", "WBTC", "SOL", ""])),
                          min_size=0, max_size=3),
          fill=st.one_of(price, st.sampled_from([NAN, INF, 0.0, -1.0, 1e308, 5e-324])),
          poke=st.one_of(st.none(), st.sampled_from([NAN, INF, -INF, 0.0, -0.0, -5.0, 1e308])),
          where=st.sampled_from(["close", "low", "high"]),
          extremes=st.sampled_from([None, "low", "high", "both", "swapped", "short"]),
          time=st.one_of(st.none(), st.just("days"),
                         st.lists(st.one_of(st.sampled_from(EDGE_INTS), st.integers(),
                                            st.sampled_from(NOT_NUMBERS)),
                                  min_size=0, max_size=4)))
    def sim_set_replay(self, paths, rows, assets, fill, poke, where, extremes, time):
        try:
            close = np.full((paths, rows, len(assets)), float(fill))
        except ALLOWED:
            return
        low = close * 0.9 if extremes in ("low", "both", "swapped") else None
        high = close * 1.1 if extremes in ("high", "both", "swapped") else None
        if extremes == "swapped":
            low, high = high, low
        if extremes == "short":
            low = close[:, :1]
        arrays = {"close": close, "low": low, "high": high}
        if poke is not None and arrays[where] is not None and arrays[where].size:
            arrays[where].flat[arrays[where].size // 2] = poke
        if time == "days":
            time = 1_600_000_000 + 86_400 * np.arange(rows)
        self.mutate(self.sim, "set_replay", close, assets=assets, low=low, high=high, time=time)
        if self.sim.run_steps != 4 or paths < 2:  # back to the model: runs read 2 paths
            self.mutate(self.sim, "set_replay", None)

    @rule(start=st.one_of(any_int, st.sampled_from(["2020-09-13", "2020-09-14T12:00", "x", 1.5,
                                                    np.datetime64("2020-09-15")])),
          steps=small_count, end=st.one_of(st.none(), any_int, st.just("2020-09-16")))
    def sim_set_window(self, start, steps, end):
        if getattr(self.sim, "_rows", None) is None:  # a replay to window: 2 paths, 5 days
            close = np.array([[[2000.0], [1900.0], [1800.0], [2100.0], [2000.0]]] * 2)
            self.mutate(self.sim, "set_replay", close, assets=[0],
                        time=1_600_000_000 + 86_400 * np.arange(5))
        self.mutate(self.sim, "set_window", start, steps, end=end)
        self.mutate(self.sim, "set_window", 0)  # the whole replay again

    @rule(data=st.data(), a=st.one_of(asset_id, st.sampled_from(["ETH", "USDC", "nope"])),
          model=st.sampled_from(["ewma", "garch", "garch", "constant", "x", None]),
          period=st.one_of(st.none(), floats_in(1e-3, 1.0)),
          initial=st.one_of(st.none(), floats_in(0.0, 0.01)),
          drives=st.sampled_from([False, False, True, 1, None]))
    def sim_set_volatility(self, data, a, model, period, initial, drives):
        params = {"lam": floats_in(0.5, 0.999), "omega": floats_in(1e-7, 1e-3),
                  "alpha": floats_in(0.0, 0.3), "beta": floats_in(0.0, 0.95)}
        own = {"ewma": ["lam"], "garch": ["omega", "alpha", "beta"]}.get(model, [])
        # mostly the model's own parameters, sometimes one missing or one of another model
        names = [n for n in own if data.draw(st.integers(0, 9)) > 0]
        if data.draw(st.integers(0, 9)) == 0:
            names.append(data.draw(st.sampled_from(sorted(params))))
        kw = {n: data.draw(params[n]) for n in names}
        if model == "constant" and data.draw(st.booleans()):
            period = initial = None
        self.mutate(self.sim, "set_volatility", a, model, period=period, initial_variance=initial,
                    drives=drives, **kw)

    @rule(path=any_int)
    def sim_trace(self, path):
        def trace(p):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tr = self.sim.trace(p)
            tr.stats.close()  # the path's statistics: a handle of its own
            assert tr.rows == self.sim.run_steps + 1 and tr.prices.shape[0] == tr.rows
            assert all(1 <= e.step < tr.rows for e in tr.events)
            return tr
        self.read(trace, path)

    @rule(metric=st.sampled_from(list(keel.sim.METRICS) + ["nope", None, 3]))
    def stats_values(self, metric):
        v = self.read(self.stats.values, metric)
        if v is not None:
            assert len(v) == self.stats.paths == len(self.stats.path_indexes)

    # -- reading calls -------------------------------------------------------------------

    @rule(data=st.data(), with_options=st.booleans())
    def basket_metrics(self, data, with_options):
        m, h = self.handle(data, self.market), self.handle(data, self.haircuts)
        r = self.read(self.basket.metrics, m, h, self.options if with_options else None)
        if r is not None:
            assert not math.isnan(r.health_factor), r

    @rule(data=st.data(), a=asset_id,
          method=st.sampled_from(["liquidation_price", "liquidation_prices",
                                  "health_sensitivity"]), with_options=st.booleans())
    def basket_liquidation(self, data, a, method, with_options):
        m = self.handle(data, self.market)
        self.read(getattr(self.basket, method), m, self.haircuts, a,
                  self.options if with_options else None)

    @rule(a=asset_id, move=floats_in(-1.0, 1.0))
    def basket_pnl(self, a, move):
        self.read(self.basket.pnl, self.market, a, move, self.options)

    @rule(data=st.data(), a=asset_id)
    def haircut_breakdown(self, data, a):
        self.read(self.haircuts.breakdown, self.handle(data, self.market), self.basket, a)

    @rule(a=asset_id, b=asset_id, q=floats_in(-100.0, 100.0))
    def cost_cost_and_swap(self, a, b, q):
        self.read(self.costs.cost, self.market, a, q)
        self.read(self.costs.swap, self.market, a, b, q)

    @rule(a=asset_id)
    def options_reads(self, a):
        self.read(self.options.value, self.market)
        self.read(self.options.greeks, self.market, a)
        self.read(self.options.scenario_margin, self.market)

    @rule(horizon=floats_in(0.0, 1.0))
    def liquidation_probability(self, horizon):
        self.read(keel.liquidation_probability, self.market, self.basket, self.haircuts, horizon,
                  self.options)

    @rule(assets=st.lists(asset_id, max_size=3), shocks=st.lists(floats_in(-0.9, 0.9), max_size=6))
    def stress(self, assets, shocks):
        rows = [shocks[i:i + len(assets)] for i in range(0, len(shocks) - len(assets) + 1,
                                                         max(len(assets), 1))] if assets else [[]]
        self.read(keel.stress, self.market, self.basket, self.haircuts, assets, rows)

    @rule(k=any_int, first=small_count, count=st.one_of(st.none(), small_count))
    def scan_top_k(self, k, first, count):
        csr = self.csr()
        self.read(keel.scan_top_k, self.market, self.haircuts, *csr, k, first, count)

    @rule(offsets=st.lists(st.one_of(st.integers(0, 6), st.sampled_from(
              [2 ** 40, 2 ** 40 + 1, 2 ** 63, 2 ** 64 - 1])), min_size=0, max_size=5),
          assets=st.lists(st.one_of(st.integers(0, 4), st.just(2 ** 32 - 1)), max_size=6),
          coll=st.lists(floats_in(0.0, 50.0), max_size=6),
          debt=st.lists(floats_in(0.0, 5e4), max_size=6),
          k=st.one_of(st.integers(0, 5), st.sampled_from(EDGE_INTS)),
          first=small_count, count=st.one_of(st.none(), small_count),
          which=st.sampled_from(["scan", "scan_top_k", "liquidations_at_risk"]))
    def scan_hostile_rows(self, offsets, assets, coll, debt, k, first, count, which):
        """Offsets that decrease, jump past the arrays or wrap, ids past the
        market, NaN and negative quantities: refused, never read out of bounds."""
        try:
            arrays = (np.array(offsets, dtype=np.uintp), np.array(assets, dtype=np.uint32),
                      np.array([float(x) for x in coll]), np.array([float(x) for x in debt]))
        except ALLOWED:
            return
        fn = getattr(keel, which)
        extra = {"scan": (), "scan_top_k": (k,), "liquidations_at_risk": ([0.0, -0.2],)}[which]
        self.read(fn, self.market, self.haircuts, *arrays, *extra, first, count)

    @rule(shocks=st.lists(floats_in(-0.9, 0.5), max_size=4))
    def liquidations_at_risk(self, shocks):
        self.read(keel.liquidations_at_risk, self.market, self.haircuts, *self.csr(), shocks)

    @rule(i=st.integers(0, 5), data=st.data())
    def policy_plan(self, i, data):
        wallet = data.draw(st.sampled_from([None, None, self.basket.clone()]))
        self.live += wallet is not None
        self.read(self.policies[i].plan, self.market, self.basket, self.haircuts, self.costs,
                  data.draw(st.sampled_from([None, self.options])), wallet)
        if wallet is not None:
            wallet.close()
            self.live -= 1

    @rule(goal=floats_in(1.0, 3.0), repay=st.one_of(st.none(), asset_id),
          swap=st.one_of(st.none(), st.none(), asset_id), limit=floats_in(0.0, 1e5),
          apply=st.booleans())
    def deleverage(self, goal, repay, swap, limit, apply):
        target = goal
        plan = self.read(keel.deleverage, self.market, self.basket, self.haircuts, self.costs,
                         target, repay, None, limit, swap)
        if plan is not None and apply:  # closed by read(): make it again to apply it
            plan = keel.deleverage(self.market, self.basket, self.haircuts, self.costs, target,
                                   repay, None, limit, swap)
            self.live += 1
            try:
                reported = plan.after
                plan.apply(self.basket)
                got = self.basket.metrics(self.market, self.haircuts)
                assert bits(got) == bits(reported), (got, reported)
                self.mutate(plan, "apply", self.basket)  # applied already: refused, no change
                with pytest.raises(keel.StateError):
                    plan.apply(self.basket)
            finally:
                plan.close()
                self.live -= 1

    @rule(kind=st.sampled_from(["health_band", "leverage_band", "predictive", "delta_hedge",
                                "target_weights", "compose"]),
          x=floats_in(0.0, 3.0), y=floats_in(0.0, 3.0), a=asset_id, b=asset_id)
    def policy_new(self, kind, x, y, a, b):
        make = {
            "health_band": lambda: keel.Policy.health_band(repay_below=x, repay_to=y,
                                                           debt_asset=a, max_trade_value=x),
            "leverage_band": lambda: keel.Policy.leverage_band(asset=a, debt_asset=b, target=x,
                                                               min=y, max=x),
            "predictive": lambda: keel.Policy.predictive(horizon=x, max_probability=y,
                                                         repay_asset=a),
            "delta_hedge": lambda: keel.Policy.delta_hedge(funding_asset=a, risk_aversion=x),
            "target_weights": lambda: keel.Policy.target_weights({a: x, b: y}, band=y),
            "compose": lambda: keel.Policy.compose(self.band, *([self.market] if a == 1 else [])),
        }[kind]
        self.read(make)

    @rule(assets=st.lists(asset_id, min_size=1, max_size=3), total=floats_in(0.0, 1e6),
          limit=floats_in(0.0, 1e5), goal=st.booleans())
    def optimize_collateral(self, assets, total, limit, goal):
        kw = {"max_var": limit} if goal else {"min_borrowing": limit}
        self.read(keel.optimize_collateral, self.market, self.haircuts, assets, total, **kw)

    # -- invariants ----------------------------------------------------------------------

    def csr(self):
        ps = self.basket.positions()
        return (np.array([0, len(ps)], dtype=np.uintp),
                np.array([p.asset for p in ps], dtype=np.uint32),
                np.array([p.collateral for p in ps], dtype=np.float64),
                np.array([p.debt for p in ps], dtype=np.float64))

    @invariant()
    def scan_equals_metrics(self):
        if not hasattr(self, "basket"):
            return
        m = attempt(self.basket.metrics, self.market, self.haircuts)
        s = attempt(keel.scan, self.market, self.haircuts, *self.csr())
        if isinstance(m, tuple):  # raised: the scan must raise the same status
            assert s == m, (s, m)
        else:
            assert not isinstance(s, tuple), (s, m)
            assert bits(float(s[0])) == bits(m.health_factor), (float(s[0]), m.health_factor)

    @invariant()
    def no_leak(self):
        if hasattr(self, "live"):
            assert live_handles(self.live) == self.live


KeelMachine.TestCase.settings = settings(max_examples=examples(200), stateful_step_count=30, **COMMON)
TestCallSequences = KeelMachine.TestCase


# ---------------------------------------------------------------------------------------
# Invariants on random inputs
# ---------------------------------------------------------------------------------------

account = st.tuples(st.floats(0.0, 50.0), st.floats(0.0, 3.0), st.floats(0.0, 60000.0),
                    st.floats(0.0, 5.0))


def _accounts(draws):
    """CSR arrays of accounts (ETH, USDC, WBTC collateral; USDC and ETH debt)."""
    offsets, assets, coll, debt = [0], [], [], []
    for eth, btc, usdc_debt, eth_debt in draws:
        rows = []
        if eth or eth_debt:
            rows.append((0, eth, eth_debt))
        if usdc_debt:
            rows.append((1, 0.0, usdc_debt))
        if btc:
            rows.append((2, btc, 0.0))
        for a, c, d in rows:
            assets.append(a)
            coll.append(c)
            debt.append(d)
        offsets.append(len(assets))
    return (np.array(offsets, dtype=np.uintp), np.array(assets, dtype=np.uint32),
            np.array(coll, dtype=np.float64), np.array(debt, dtype=np.float64))


@settings(max_examples=examples(150), **COMMON)
@given(accounts=st.lists(account, min_size=1, max_size=12),
       addons=st.tuples(st.booleans(), st.booleans(), st.booleans(), st.booleans()),
       shard=st.integers(0, 12))
def test_scan_equals_metrics_bit_for_bit(accounts, addons, shard):
    m, *_ = _market()
    h = _haircuts()
    vol, liq, conc, portfolio = addons
    if vol:
        h.set_volatility_addon(0.99, 5.0)
    if liq:
        h.set_liquidity_addon(0.5, 0.3)
    if conc:
        h.set_concentration(0, 0.6, 0.1)
    h.portfolio_mode = portfolio
    csr = _accounts(accounts)
    hf = keel.scan(m, h, *csr)
    first = min(shard, len(accounts))
    part = keel.scan(m, h, *csr, first=first)
    assert bits(list(part)) == bits(list(hf[first:]))
    for i, (eth, btc, usdc_debt, eth_debt) in enumerate(accounts):
        with keel.Basket() as b:
            lo, hi = int(csr[0][i]), int(csr[0][i + 1])
            for a, c, d in zip(csr[1][lo:hi], csr[2][lo:hi], csr[3][lo:hi]):
                b.set_collateral(int(a), float(c))
                b.set_debt(int(a), float(d))
            assert bits(b.metrics(m, h).health_factor) == bits(float(hf[i])), i
    k = min(3, len(accounts))
    idx, top = keel.scan_top_k(m, h, *csr, k=k)
    order = sorted(range(len(accounts)), key=lambda i: (hf[i], i))[:k]
    assert list(idx) == order and bits(list(top)) == bits([float(hf[i]) for i in order])


@settings(max_examples=examples(150), **COMMON)
@given(seed=st.integers(0, 2 ** 64 - 1), steps=st.integers(1, 12),
       cuts=st.lists(st.integers(1, 59), max_size=6, unique=True),
       order=st.randoms(use_true_random=False), policy=st.sampled_from([None, "band", "compose"]),
       drift=st.floats(-1.0, 1.0), jumps=st.booleans(), replay=st.booleans())
def test_merged_shards_equal_one_run(seed, steps, cuts, order, policy, drift, jumps, replay):
    m, eth, usdc, btc = _market()
    h = _haircuts()
    c = keel.CostModel()
    c.set_fee(eth, bps=10)
    c.set_sqrt_impact(btc, 0.5, 1e6)
    b = keel.Basket()
    b.set_collateral(eth, 10.0)
    b.set_collateral(btc, 0.2)
    b.set_debt(usdc, 17000.0)
    pol = None
    if policy == "band":
        pol = keel.Policy.health_band(repay_below=1.3, repay_to=1.5, debt_asset=usdc)
    elif policy == "compose":
        pol = keel.Policy.compose(keel.Policy.health_band(debt_asset=usdc),
                                  keel.Policy.predictive(repay_asset=usdc))
    sim = keel.Simulation(m, b, h, c, pol, steps=steps, seed=seed)
    sim.set_drift(eth, drift)
    if jumps:
        sim.set_jumps(btc, 20.0, -0.05, 0.1)
    total = 60
    if replay:
        rng = np.random.default_rng(seed % 2 ** 32)
        sim.set_paths([eth], 2000.0 * np.exp(np.cumsum(rng.normal(0, 0.05, (total, steps, 1)),
                                                       axis=1)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", keel.PolicyFailureWarning)
        whole = sim.run(0, total)
        edges = [0] + sorted(cuts) + [total]
        shards = [sim.run(a, z - a) for a, z in zip(edges, edges[1:])]
    order.shuffle(shards)
    merged = shards[0]
    for s in shards[1:]:
        merged = merged.merge(s)
    assert merged.summary == whole.summary or bits(merged.summary) == bits(whole.summary)
    assert merged.to_bytes() == whole.to_bytes()
    for metric in keel.sim.METRICS:
        for q in (0.0, 0.1, 0.5, 0.99, 1.0):
            assert bits(merged.percentile(metric, q)) == bits(whole.percentile(metric, q))
    # a shard merged twice is refused and changes nothing
    again = sim.run(0, 1)
    before = merged.to_bytes()
    with pytest.raises(keel.OutOfRangeError):
        merged.merge(again)
    assert merged.to_bytes() == before


@settings(max_examples=examples(300), **COMMON)
@given(eth=st.floats(1.0, 40.0), btc=st.floats(0.0, 2.0), ltv=st.floats(0.4, 1.3),
       target=st.floats(1.01, 2.5), fee=st.floats(0.0, 100.0),
       impact=st.sampled_from(["none", "linear", "sqrt", "pool", "fixed"]),
       mode=st.sampled_from(["repay", "swap", "wallet"]), addons=st.booleans(),
       limit=st.sampled_from([0.0, 0.0, 5000.0]))
def test_applied_plan_reaches_its_reported_health(eth, btc, ltv, target, fee, impact, mode,
                                                  addons, limit):
    """keel_deleverage lands on the target (docs/rebalancing.md: within 1e-9
    once applied); applying any plan gives the basket the metrics the plan
    reports as `after`."""
    m, e, usdc, w = _market()
    h = _haircuts()
    if addons:
        h.set_liquidity_addon(0.5, 0.3)
        h.set_volatility_addon(0.99, 5.0)
    c = keel.CostModel()
    c.set_fee(e, bps=fee)
    c.set_fee(w, bps=fee / 2, half_spread_bps=1.0)
    if impact == "linear":
        c.set_linear_impact(e, 0.5, 1e6)
    elif impact == "sqrt":
        c.set_sqrt_impact(w, 0.7, 5e6)
    elif impact == "pool":
        c.set_pool(e, 5000.0, 1e7, 0.003)
    elif impact == "fixed":
        c.set_fixed(e, 5.0)
    b = keel.Basket()
    b.set_collateral(e, eth)
    b.set_collateral(w, btc)
    lv = b.metrics(m, h).liquidation_value
    b.set_debt(usdc, ltv * lv)
    wallet = None
    kw = {"repay_asset": usdc}
    if mode == "swap":
        kw = {"swap_to": usdc}
    elif mode == "wallet":
        wallet = keel.Basket()
        wallet.set_collateral(usdc, 0.1 * lv)
        kw = {"wallet": wallet}
    hf0 = b.metrics(m, h).health_factor
    try:
        plan = keel.deleverage(m, b, h, c, target, max_trade_value=limit, **kw)
    except keel.InfeasibleError as exc:
        event("deleverage: infeasible")
        assert exc.best_health < target or math.isnan(exc.best_health)
        return
    except (keel.OutOfRangeError, keel.NoConvergenceError) as exc:
        # documented refusals (e.g. a swap into an asset with price impact)
        event(f"deleverage: {type(exc).__name__}")
        return
    event("deleverage: planned" if plan.actions else "deleverage: nothing to do")
    before, after = plan.before, plan.after
    assert bits(before) == bits(b.metrics(m, h))
    plan.apply(b)
    got = b.metrics(m, h)
    assert bits(got) == bits(after), (got, after)
    if hf0 < target:
        assert abs(got.health_factor - target) <= 1e-9 * target, (got.health_factor, target)
    else:
        assert plan.actions == []

    # the policies: what each plan reports is what applying it gives
    b2 = keel.Basket()
    b2.set_collateral(e, eth)
    b2.set_collateral(w, btc)
    b2.set_debt(usdc, ltv * lv)
    for pol in (keel.Policy.health_band(repay_below=min(target + 0.1, 3.0), repay_to=target + 0.2,
                                        boost_above=target + 0.5, boost_to=target + 0.3,
                                        allowed=("repay", "boost"), debt_asset=usdc,
                                        boost_asset=e),
                keel.Policy.predictive(horizon=7 / 365, max_probability=0.01, repay_asset=usdc),
                keel.Policy.target_weights({e: 0.5, w: 0.5}, band=0.05)):
        probe = b2.clone()
        try:
            plan = pol.plan(m, probe, h, c)
        except keel.KeelError as exc:
            event(f"{pol.kind}: {type(exc).__name__}")
            continue
        event(f"{pol.kind}: {'planned' if plan.actions else 'nothing to do'}")
        reported = plan.after
        plan.apply(probe)
        assert bits(probe.metrics(m, h)) == bits(reported), pol


# ---------------------------------------------------------------------------------------
# Stateless entry points with hostile values
# ---------------------------------------------------------------------------------------

@settings(max_examples=examples(500), **COMMON)
@given(kind=st.sampled_from(["call", "put", "x", None, 0, 1]),
       args=st.lists(hostile_float, min_size=7, max_size=7))
def test_pricing_functions_with_hostile_numbers(kind, args):
    s, k, t, r, q, v, p = args
    for fn, a, kw in ((keel.black_scholes, (kind, s, k, t), dict(rate=r, dividend=q, vol=v)),
                      (keel.black76, (kind, s, k, t), dict(rate=r, vol=v)),
                      (keel.implied_volatility, (kind, p, s, k, t), dict(rate=r, dividend=q)),
                      (keel.implied_volatility_black76, (kind, p, s, k, t), dict(rate=r)),
                      (keel.volatility_haircut, (v, q, t), {}),
                      (keel.scale_holding_period, (v, t, r), {}),
                      (keel.hedge_band, (s, k, t, r, q), {})):
        out = attempt(fn, *a, **kw)
        if not isinstance(out, tuple):
            values = [getattr(out, f) for f in out.__dataclass_fields__] \
                if hasattr(out, "__dataclass_fields__") else [out]
            assert not any(math.isnan(x) for x in values), (fn.__name__, a, out)


def test_scans_refuse_empty_offsets():
    """Found by the call sequences: an empty offsets array raised IndexError
    (index -1) from inside the binding."""
    m, *_ = _market()
    h = _haircuts()
    e, a, q = np.array([], dtype=np.uintp), np.array([], dtype=np.uint32), np.array([])
    for fn, extra in ((keel.scan, ()), (keel.scan_top_k, (1,)),
                      (keel.liquidations_at_risk, ([0.0],))):
        for kw in ({}, {"count": 0}, {"first": 0, "count": None}):
            with pytest.raises(ValueError):
                fn(m, h, e, a, q, q, *extra, **kw)
    assert list(keel.scan(m, h, np.zeros(1, dtype=np.uintp), a, q, q)) == []


def test_refused_option_volatility_uses_up_no_id():
    """Found by the call sequences: Options.add(..., volatility=nan, -1 or
    2**1100) added the position, failed on the volatility and removed it
    again, but the id was gone: the next position got the id after it."""
    with keel.Options() as o:
        for bad in (NAN, INF, -1.0, 2 ** 1100, "x"):
            with pytest.raises((keel.NotFiniteError, keel.OutOfRangeError, OverflowError,
                                ValueError)):
                o.add(0, "call", 2000.0, 0.1, 1.0, volatility=bad)
        assert o.add(0, "call", 2000.0, 0.1, 1.0) == 1
        assert o.add(0, "put", 2000.0, 0.1, 1.0, volatility=-0.0) == 2
        assert len(o) == 2


def test_add_asset_with_a_refused_option_adds_nothing():
    with keel.Market() as m:
        for kw in ({"volatility": NAN}, {"carry": INF}, {"depth": -1.0}):
            with pytest.raises(keel.KeelError):
                m.add_asset("ETH", 2000.0, **kw)
            assert len(m) == 0, f"add_asset(..., {kw}) raised and left {m.symbols}"


# ---------------------------------------------------------------------------------------
# None where a handle goes
# ---------------------------------------------------------------------------------------

def _none_calls():
    m, eth, usdc, btc = _market()
    h, b, c, o = _haircuts(), keel.Basket(), keel.CostModel(), keel.Options()
    b.set_collateral(eth, 10.0)
    b.set_debt(usdc, 12000.0)
    band = keel.Policy.health_band(debt_asset=usdc)
    sim = keel.Simulation(m, b, h, c, steps=2)
    stats = sim.run(0, 2)
    csr = (np.array([0, 2], dtype=np.uintp), np.array([0, 1], dtype=np.uint32),
           np.array([10.0, 0.0]), np.array([0.0, 12000.0]))
    return [
        ("Basket.metrics(market=None)", lambda: b.metrics(None, h)),
        ("Basket.metrics(haircuts=None)", lambda: b.metrics(m, None)),
        ("Basket.liquidation_price(market=None)", lambda: b.liquidation_price(None, h, eth)),
        ("Basket.pnl(market=None)", lambda: b.pnl(None, eth, 0.1)),
        ("HaircutModel.breakdown(basket=None)", lambda: h.breakdown(m, None, eth)),
        ("CostModel.cost(market=None)", lambda: c.cost(None, eth, 1.0)),
        ("Options.value(market=None)", lambda: o.value(None)),
        ("scan(market=None)", lambda: keel.scan(None, h, *csr)),
        ("stress(basket=None)", lambda: keel.stress(m, None, h, [eth], [[0.1]])),
        ("deleverage(costs=None)", lambda: keel.deleverage(m, b, h, None, 1.5)),
        ("Policy.plan(costs=None)", lambda: band.plan(m, b, h, None)),
        ("Policy.compose(None)", lambda: keel.Policy.compose(band, None)),
        ("Simulation(costs=None)", lambda: keel.Simulation(m, b, h, None)),
        ("SimStats.merge(None)", lambda: stats.merge(None)),
        ("liquidation_probability(basket=None)",
         lambda: keel.liquidation_probability(m, None, h, 0.1)),
        ("optimize_collateral(haircuts=None)",
         lambda: keel.optimize_collateral(m, None, [eth], max_var=1.0)),
    ]


def test_none_where_a_handle_goes_is_a_type_error():
    wrong = []
    for name, call in _none_calls():
        try:
            call()
        except TypeError:
            continue
        except AttributeError:
            wrong.append(name)
            continue
        raise AssertionError(f"{name} did not raise")
    if wrong:
        raise AttributeError(f"AttributeError instead of TypeError from: {', '.join(wrong)}")


@settings(max_examples=examples(300), **COMMON)
@given(lam=hostile_float, var=hostile_float, omega=hostile_float, alpha=hostile_float,
       beta=hostile_float, moves=st.lists(hostile_float, max_size=6),
       steps=st.one_of(st.integers(1, 5), st.sampled_from(EDGE_INTS + NOT_NUMBERS)))
def test_estimators_with_hostile_numbers(lam, var, omega, alpha, beta, moves, steps):
    """EWMA and GARCH: a refused update leaves the state as it was."""
    for make in (lambda: keel.Ewma(lam, var), lambda: keel.Garch(omega, alpha, beta, var),
                 lambda: keel.Ewma(), lambda: keel.Garch(1e-6, 0.1, 0.85)):
        est = attempt(make)
        if isinstance(est, tuple):
            continue
        for x in moves:
            for update in (est.update, est.update_price):
                before = bits(bytes(est._s))
                out = attempt(update, x)
                if isinstance(out, tuple):
                    assert bits(bytes(est._s)) == before, (update, x)
                else:
                    assert not math.isnan(out)
        attempt(est.forecast, steps)
        attempt(est.annual_volatility, var)


@settings(max_examples=examples(200), **COMMON)
@given(n=st.integers(0, 6), values=st.lists(hostile_float, min_size=6, max_size=6),
       kinds=st.lists(st.sampled_from([0, 1, 2, -1, 2 ** 31 - 1]), min_size=6, max_size=6),
       greeks=st.lists(st.sampled_from(list(keel.options.GREEK_NAMES) + ["nope"]), max_size=3,
                       unique=True),
       short=st.integers(0, 2))
def test_black_scholes_batch_with_hostile_arrays(n, values, kinds, greeks, short):
    """Arrays of any length mismatch or type are refused before C reads them;
    any values give an allowed error or finite-or-inf outputs."""
    def col(dtype=np.float64):
        try:
            return np.array([float(v) if not isinstance(v, str) else 1.0
                             for v in values[:n]], dtype=dtype)
        except ALLOWED:
            return np.full(n, 1.0)
    arrays = [np.array(kinds[:n], dtype=np.int32)] + [col() for _ in range(6)]
    if short and n:
        arrays[short] = arrays[short][:-1]  # one array a row short
    out = attempt(keel.black_scholes_batch, *arrays[:4], rate=arrays[4], dividend=arrays[5],
                  vol=arrays[6], greeks=tuple(greeks) or keel.options.GREEK_NAMES)
    if short and n >= 3:  # lengths n and n - 1 do not broadcast (1 and 0 would)
        assert isinstance(out, tuple), out

"""A handle's C memory lives as long as C may use it (issue 13): closing or
changing a handle from Python code that runs in the middle of a call -- a
progress callback, an argument's __float__, another thread -- never lets C
read or write freed memory, nor reach another handle that reused the block.
The ASan stage of .ci/run runs these against the sanitized library."""

import gc

import numpy as np
import pytest

import keel


def _setup():
    m = keel.Market()
    eth, usdc = m.add_asset("ETH", 2000.0, volatility=0.6), m.add_asset("USDC", 1.0)
    h = keel.HaircutModel()
    h.set_asset(eth, 0.25, 0.2)
    b = keel.Basket()
    b.set_collateral(eth, 10.0)
    b.set_debt(usdc, 15000.0)
    return m, eth, h, b, keel.CostModel()


def test_close_inside_the_progress_callback_waits_for_the_run():
    m, eth, h, b, c = _setup()
    sim = keel.Simulation(m, b, h, c, steps=20)
    calls = []

    def progress(_fraction):
        calls.append(1)
        if len(calls) == 2:
            sim.close()  # the run goes on with the simulation it started with
            gc.collect()
        return False

    stats = sim.run(0, 500, progress=progress)
    assert stats.summary.paths == 500
    with pytest.raises(ValueError, match="closed"):
        sim.run(0, 1)


def test_changing_the_simulation_during_its_run_is_refused():
    m, eth, h, b, c = _setup()
    sim = keel.Simulation(m, b, h, c, steps=5)
    sim.set_paths([eth], np.full((400, 5, 1), 1500.0))
    for change in (lambda: sim.set_paths([eth], np.full((1, 5, 1), 1500.0)),
                   lambda: sim.set_drift(eth, 0.1), lambda: sim.set_jumps(eth, 1.0, 0.0, 0.1)):
        def progress(_fraction, change=change):
            change()
            return False
        with pytest.raises(keel.StateError, match="running"):
            sim.run(0, 400, progress=progress)
    assert sim.run(0, 400).summary.paths == 400  # and nothing changed


def test_a_handle_closed_while_the_arguments_are_converted():
    m = keel.Market()
    m.add_asset("A", 1.0)
    others = []

    class Evil:
        def __float__(self):
            m.close()
            other = keel.Market()  # may reuse the freed block
            other.add_asset("VICTIM", 1.0)
            others.append(other)
            return 999.0

    with pytest.raises(ValueError, match="Market is closed"):
        m.set_price(0, Evil())
    assert others[0].price(0) == 1.0


def test_a_handle_in_a_parameter_struct_closed_before_the_call():
    m, eth, h, b, c = _setup()
    wallet = keel.Basket()
    wallet.set_collateral(1, 100.0)

    class Closes:
        def __float__(self):
            wallet.close()
            return 1.5

    with pytest.raises((ValueError, TypeError)):
        keel.deleverage(m, b, h, c, Closes(), wallet=wallet)

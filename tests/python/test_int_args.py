"""Integers crossing into C outside the scans and the simulation: a float,
None or an out-of-range value is a TypeError or ValueError raised by the
binding, never a ctypes.ArgumentError (found by tests/python/test_properties.py:
HaircutModel.set_peg_group(0, 1.5) and Garch.forecast(1.5) raised
ctypes.ArgumentError, which is neither)."""

import pytest

import keel


@pytest.mark.parametrize("bad, error", [(1.5, TypeError), (None, TypeError), ("1", TypeError),
                                        (True, TypeError), (-1, ValueError),
                                        (2 ** 32, ValueError), (2 ** 64 + 1, ValueError)])
def test_peg_group_and_garch_steps_are_checked(bad, error):
    with keel.HaircutModel() as h:
        with pytest.raises(error):
            h.set_peg_group(0, bad)
        assert h.peg_group(0) == 0
        h.set_peg_group(0, 2 ** 32 - 1)
        assert h.peg_group(0) == 2 ** 32 - 1
    g = keel.Garch(1e-6, 0.1, 0.8)
    with pytest.raises(error):
        g.forecast(bad)
    with pytest.raises(ValueError):
        g.forecast(0)
    assert g.forecast(1) == g.variance

"""GARCH(1,1) fitted by maximum likelihood (keel_garch_fit)."""

from __future__ import annotations

import ctypes
import numbers
from ctypes import byref, c_double
from dataclasses import dataclass
from typing import Any, Iterable, List, Optional, Tuple

from . import _ffi
from ._core import U32_MAX, Garch, _int
from ._defaults import c_struct
from .errors import check

_lib = _ffi.lib

_DISTS = {"normal": 0, "t": 1}
_BOUNDS = (("alpha", 1), ("beta", 2), ("integrated", 4))


@dataclass(frozen=True)
class GarchFit:
    """A GARCH(1,1) estimate (keel_garch_fit_result).

    Variances (omega, initial_variance, last_variance) are per period, in the
    returns' units squared: fit daily log returns and they are daily
    variances. Standard errors come from the inverse of the exact Hessian of
    the negative log-likelihood at the estimate; on a bound (see `bounds`)
    they are those of the estimate held on it (0 for a parameter pinned at
    0), and only descriptive."""

    distribution: str        # "normal" or "t"
    omega: float             # constant term, > 0
    alpha: float             # weight of the last squared return, >= 0
    beta: float              # weight of the last variance, >= 0; alpha + beta <= 1
    nu: float                # Student-t degrees of freedom (> 2); 0 for the normal
    mean: float              # sample mean subtracted (demean=True), else 0
    omega_se: float
    alpha_se: float
    beta_se: float
    nu_se: float             # 0 for the normal
    mean_se: float           # sqrt(sum e_t^2) / n with demean=True, else 0
    log_likelihood: float    # maximised, constants included
    initial_variance: float  # h_1, the backcast: mean of the squared (demeaned) returns
    last_variance: float     # h_{n+1}: the forecast for the period after the last return
    persistence: float       # alpha + beta (exactly 1 when integrated)
    iterations: int          # Newton iterations from the winning start
    bounds: Tuple[str, ...]  # constraints the estimate lies on: "alpha" (= 0), "beta" (= 0), "integrated" (alpha + beta = 1)
    n: int                   # returns used

    @property
    def integrated(self) -> bool:
        """alpha + beta = 1: no long-run variance (integrated GARCH)."""
        return "integrated" in self.bounds

    @property
    def long_run_variance(self) -> float:
        """omega / (1 - alpha - beta); inf for an integrated fit."""
        if self.integrated:
            return float("inf")
        return self.omega / (1.0 - self.alpha - self.beta)

    def to_garch(self) -> Garch:
        """A keel.Garch with these parameters whose variance is last_variance,
        ready to absorb the returns that follow the fitted ones. Raises
        OutOfRangeError for an integrated fit (keel.Garch needs alpha + beta < 1)."""
        return Garch(self.omega, self.alpha, self.beta, variance=self.last_variance)


def _returns_array(returns: Any) -> Tuple[Any, int, Any]:
    """(pointer, length, keep-alive) for a 1-D float64 sequence: a
    contiguous float64 numpy array is passed without copying."""
    np: Any
    try:
        import numpy as np  # optional
    except ImportError:  # pragma: no cover - numpy is optional
        np = None
    if np is not None and isinstance(returns, np.ndarray):
        if returns.dtype.kind not in "fiu":  # numpy would turn "0.01", True or 1j into numbers
            raise TypeError(f"returns must hold numbers (float or int), got {returns.dtype}")
        arr = np.ascontiguousarray(returns, dtype=np.float64)
        if arr.ndim != 1:
            raise ValueError(f"returns must be 1-D, got {arr.ndim} dimensions")
        return arr.ctypes.data_as(ctypes.POINTER(c_double)), arr.shape[0], arr
    values: List[float] = []
    for r in returns:
        if isinstance(r, (bool, str, bytes, complex)) or not isinstance(r, numbers.Real):
            raise TypeError(f"returns must hold real numbers, got {type(r).__name__}")
        values.append(float(r))
    carr = (c_double * len(values))(*values)
    return carr, len(values), carr


def garch_fit(returns: Iterable[float], dist: Optional[str] = None,
              demean: Optional[bool] = None, max_iterations: Optional[int] = None) -> GarchFit:
    """Fits GARCH(1,1) by maximum likelihood (Bollerslev 1986; Student-t
    innovations, Bollerslev 1987), as keel_garch_fit in keel/estimators.h
    states it:

        e_t = r_t - mu (mu = 0, or the sample mean with demean=True)
        h_1 = mean of e_t^2 (the backcast), h_{t+1} = omega + alpha e_t^2 + beta h_t
        normal:  ll = -1/2 sum(log 2 pi + log h_t + e_t^2 / h_t)
        t:       ll = sum lgamma((nu+1)/2) - lgamma(nu/2) - 1/2 log(pi (nu-2))
                      - 1/2 log h_t - (nu+1)/2 log(1 + e_t^2 / ((nu-2) h_t))

    maximised over omega > 0, alpha, beta >= 0, alpha + beta <= 1, nu > 2.

    returns: at least 50 finite returns of one period (e.g. daily log returns;
    any sequence, or a float64 numpy array passed without copying).
    dist: "normal" or "t"; demean: subtract the sample mean first (and
    report it); max_iterations: Newton iterations from each starting point.
    None takes the library's default (keel_garch_fit_params_init: normal,
    mean 0, 200 iterations; keel.defaults("garch_fit")). Variances in the result
    are per period of the returns. Raises NotFiniteError (a NaN or
    infinity; the message names its index), OutOfRangeError (too short,
    constant), NoConvergenceError (no maximum inside the model: nu grows
    without bound, or omega falls toward 0; or no convergence).

    >>> import math, keel
    >>> r = [0.02 * math.sin(1.3 * t) * (1.5 if (t // 40) % 2 else 0.6) for t in range(400)]
    >>> fit = keel.garch_fit(r)
    >>> fit.n, fit.distribution
    (400, 'normal')
    >>> 0 < fit.alpha + fit.beta <= 1
    True
    """
    params = c_struct(_ffi.CGarchFitParams)
    if dist is not None:
        if dist not in _DISTS:
            raise ValueError(f"dist must be 'normal' or 't', got {dist!r}")
        params.distribution = _DISTS[dist]
    if demean is not None:
        params.demean = 1 if demean else 0
    if max_iterations is not None:
        params.max_iterations = _int(max_iterations, "max_iterations", 1, U32_MAX)
    ptr, n, keep = _returns_array(returns)
    out = _ffi.CGarchFitResult()
    out.size = ctypes.sizeof(out)
    check(_lib.keel_garch_fit(ptr, n, byref(params), byref(out)))
    del keep
    names = tuple(name for name, bit in _BOUNDS if out.bounds & bit)
    dist = next(name for name, code in _DISTS.items() if code == params.distribution)
    return GarchFit(distribution=dist, omega=out.omega, alpha=out.alpha, beta=out.beta,
                    nu=out.nu, mean=out.mean, omega_se=out.omega_se, alpha_se=out.alpha_se,
                    beta_se=out.beta_se, nu_se=out.nu_se, mean_se=out.mean_se,
                    log_likelihood=out.log_likelihood, initial_variance=out.initial_variance,
                    last_variance=out.last_variance, persistence=out.persistence,
                    iterations=out.iterations, bounds=names, n=out.n)

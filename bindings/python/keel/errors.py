"""Exceptions: one KeelError subclass per keel_status."""

from __future__ import annotations

from . import _ffi


class PolicyFailureWarning(UserWarning):
    """A simulation's policy returned an error on some turns: those paths went
    on without its plan, so the statistics are not the policy that was asked
    for. The summary's policy_failures, paths_with_policy_failures and
    first_policy_failure_path say where; re-run that path alone to see why."""


class MarketMismatchError(ValueError):
    """An asset of one market was used with another market, or with an object
    (basket, haircut model, cost model, options book, policy, plan) that holds
    assets of another market. Raised by the Python binding before any C call:
    an asset id is a position in one market's list, so in another market it
    names a different asset or none."""


class KeelError(Exception):
    """A keel call failed. ``status`` is the C status code, ``detail`` the
    text of keel_last_error() at the time."""

    status = -1

    def __init__(self, detail: str, status: int | None = None):
        super().__init__(detail)
        if status is not None:
            self.status = status
        self.detail = detail


class NullArgError(KeelError):
    """KEEL_E_NULL_ARG: a required argument was missing."""
    status = 1


class NotFiniteError(KeelError, ValueError):
    """KEEL_E_NOT_FINITE: NaN or infinity where a finite number is needed."""
    status = 2


class OutOfRangeError(KeelError, ValueError):
    """KEEL_E_OUT_OF_RANGE: a number outside its allowed range."""
    status = 3


class BadHandleError(KeelError):
    """KEEL_E_BAD_HANDLE: a handle of the wrong type, or one already freed."""
    status = 4


class UnknownAssetError(KeelError, KeyError):
    """KEEL_E_UNKNOWN_ASSET: an asset id the market does not know."""
    status = 5

    def __str__(self) -> str:  # KeyError would quote the message
        return self.detail


class DuplicateError(KeelError, ValueError):
    """KEEL_E_DUPLICATE: a symbol that is already taken."""
    status = 6


class NotFoundError(KeelError, KeyError):
    """KEEL_E_NOT_FOUND: a lookup found nothing."""
    status = 7

    def __str__(self) -> str:
        return self.detail


class InvalidSymbolError(KeelError, ValueError):
    """KEEL_E_INVALID_SYMBOL: empty, too long or non-printable symbol."""
    status = 8


class NoMemoryError(KeelError, MemoryError):
    """KEEL_E_NOMEM: out of memory; nothing changed."""
    status = 9


class OverflowKeelError(KeelError, OverflowError):
    """KEEL_E_OVERFLOW: a size or value beyond range."""
    status = 10


class StateError(KeelError):
    """KEEL_E_STATE: not allowed in the current state."""
    status = 11


class BufferTooSmallError(KeelError):
    """KEEL_E_BUFFER_TOO_SMALL: a caller buffer was too small."""
    status = 12


class InfeasibleError(KeelError):
    """KEEL_E_INFEASIBLE: a target cannot be reached."""
    status = 13


class NoConvergenceError(KeelError):
    """KEEL_E_NO_CONVERGENCE: an iterative method did not converge."""
    status = 14


class CancelledError(KeelError):
    """KEEL_E_CANCELLED: a progress callback stopped the run."""
    status = 15


class NotPsdError(KeelError, ValueError):
    """KEEL_E_NOT_PSD: a correlation matrix is not positive semi-definite."""
    status = 16


class ArbitrageError(KeelError, ValueError):
    """KEEL_E_ARBITRAGE: a price outside its no-arbitrage bounds."""
    status = 17


ERRORS = {cls.status: cls for cls in (
    NullArgError, NotFiniteError, OutOfRangeError, BadHandleError, UnknownAssetError,
    DuplicateError, NotFoundError, InvalidSymbolError, NoMemoryError, OverflowKeelError,
    StateError, BufferTooSmallError, InfeasibleError, NoConvergenceError, CancelledError,
    NotPsdError, ArbitrageError)}


def status_name(status: int) -> str:
    """The C name of a status, e.g. 'KEEL_E_NULL_ARG'."""
    return str(_ffi.lib.keel_status_str(status).decode())


def check(status: int) -> None:
    """Raises the KeelError subclass matching a non-zero status."""
    if status != 0:
        detail = _ffi.lib.keel_last_error().decode(errors="replace")
        cls = ERRORS.get(status, KeelError)
        raise cls(detail, status)

"""keel.optimize_collateral against SciPy on degenerate problems (issue 12,
section 7): 200 random problems in six families -- capped and highly
correlated (equicorrelation 0.9, 0.95, 0.99 and 1.0), ties (haircuts and
volatilities on coarse grids), zero volatilities (up to every asset riskless),
every cap binding (the caps sum to the total), duplicated assets (a copy with
correlation 1) and low-rank factor correlations -- each asked for the most
borrowing power under a binding VaR limit and for the least VaR at a required
borrowing power. Every query must succeed and match SciPy's objective
(scipy.optimize.minimize, SLSQP from several starts, its answer checked
feasible here) within 1e-7 of the total, and never be beaten by more than
that. The bounds are chosen feasible from SciPy's own numbers (linprog for the
most borrowing power, SLSQP for the least VaR), so no query may fail."""

import math

import pytest

import keel

np = pytest.importorskip("numpy")
scipy_optimize = pytest.importorskip("scipy.optimize")

V = 1e6
ZT = 2.3263478740408408 * math.sqrt(10 / 365)  # Phi^-1(0.99) sqrt(10 days)
TOL = 1e-7 * V
FAMILIES = ("correlated", "ties", "zero_vol", "caps_bind", "duplicate", "factor")


def _problem(rng, family):
    n = int(rng.integers(3, 7))
    sig = rng.uniform(0.2, 1.0, n)
    hc = rng.uniform(0.2, 0.6, n)
    r = [0.9, 0.95, 0.99, 1.0][int(rng.integers(4))]
    rho = np.full((n, n), r)
    if family == "factor":  # one or two factors with small idiosyncratic parts
        g = rng.normal(size=(n, int(rng.integers(1, 3))))
        cov = g @ g.T + np.diag(rng.uniform(0.0, 0.05, n))
        d = np.sqrt(np.diag(cov))
        rho = cov / np.outer(d, d)
    np.fill_diagonal(rho, 1.0)
    if rng.random() < 0.5:
        sig[int(rng.integers(n))] = 0.0
    if family == "zero_vol":
        k = int(rng.integers(1, n + 1))  # up to every asset riskless
        sig[rng.choice(n, size=k, replace=False)] = 0.0
    if family == "ties":
        hc = np.round(rng.uniform(0.2, 0.6, n) / 0.05) * 0.05
        sig = np.where(sig > 0, np.maximum(np.round(sig / 0.2) * 0.2, 0.2), 0.0)
    if family == "duplicate":  # asset 1 a copy of asset 0
        sig[1], hc[1] = sig[0], hc[0]
        rho[1, :], rho[:, 1] = rho[0, :], rho[:, 0]
        rho[0, 1] = rho[1, 0] = rho[1, 1] = 1.0
    caps = np.round(rng.uniform(0.05, 0.6, n) * V, -4)
    if family == "caps_bind":
        caps = rng.dirichlet(np.ones(n)) * V
        caps[-1] = V - caps[:-1].sum()
    elif caps.sum() < V:
        caps[int(rng.integers(n))] = np.inf
    return sig, rho, hc, caps


def _keel_problem(sig, rho, hc):
    m, h = keel.Market(), keel.HaircutModel()
    ids = [m.add_asset(f"A{i}", 1.0) for i in range(len(sig))]
    for i, a in enumerate(ids):
        m.set_volatility(a, float(sig[i]))
        h.set_asset(a, initial=float(hc[i]), maintenance=0.9 * float(hc[i]))
        for j in range(i):
            m.set_correlation(a, ids[j], float(rho[i, j]))
    return m, h, ids


def _greedy(lend, caps):
    """The most-lending mix (fractions of the total)."""
    w, left = np.zeros(len(lend)), 1.0
    for i in np.argsort(-lend, kind="stable"):
        w[i] = min(caps[i] / V, left)
        left -= w[i]
    return w


def _scipy(S, lend, caps, goal, bound, rng):
    """SLSQP from the greedy mix, the even split and a random start, in
    fractions of the total; the best answer that is feasible."""
    n = len(lend)
    ub = np.minimum(caps / V, 1.0)
    cons = [{"type": "eq", "fun": lambda w: w.sum() - 1, "jac": lambda w: np.ones(n)}]
    if goal == "min_risk":
        fun, jac = (lambda w: w @ S @ w), (lambda w: 2 * S @ w)
        if bound is not None:
            cons.append({"type": "ineq", "fun": lambda w: lend @ w - bound / V,
                         "jac": lambda w: lend})
    else:
        lim2 = (bound / ZT / V) ** 2
        fun, jac = (lambda w: -(lend @ w)), (lambda w: -lend)
        cons.append({"type": "ineq", "fun": lambda w: lim2 - w @ S @ w,
                     "jac": lambda w: -2 * S @ w})
    starts = [_greedy(lend, caps), np.full(n, 1.0 / n), rng.dirichlet(np.ones(n))]
    best = None
    for x0 in starts:
        r = scipy_optimize.minimize(fun, x0, jac=jac, method="SLSQP", constraints=cons,
                                    bounds=list(zip(np.zeros(n), ub)),
                                    options={"ftol": 1e-16, "maxiter": 1000})
        w = np.clip(r.x, 0.0, ub)
        ok = abs(w.sum() - 1) <= 1e-9
        if goal == "min_risk" and bound is not None:
            ok = ok and lend @ w >= bound / V - 1e-9
        if goal == "max_borrowing":
            ok = ok and w @ S @ w <= (bound / ZT / V) ** 2 * (1 + 1e-9) + 1e-20
        if ok and (best is None or fun(w) < fun(best)):
            best = w
    return best


@pytest.mark.filterwarnings("ignore:Values in x were outside bounds")
def test_degenerate_problems_match_scipy():
    rng = np.random.default_rng(20240712)
    compared = {f: 0 for f in FAMILIES}
    worst = 0.0
    for case in range(200):
        family = FAMILIES[case % len(FAMILIES)]
        sig, rho, hc, caps = _problem(rng, family)
        lend, n = 1 - hc, len(sig)
        S = np.outer(sig, sig) * rho
        m, h, ids = _keel_problem(sig, rho, hc)
        capd = {a: float(c) for a, c in zip(ids, caps)}
        top = -scipy_optimize.linprog(-lend, A_eq=[np.ones(n)], b_eq=[V],
                                      bounds=[(0, c) for c in caps]).fun
        w_low = _scipy(S, lend, caps, "min_risk", None, rng)  # the least VaR of all
        assert w_low is not None, (case, family)
        var_low = ZT * V * math.sqrt(max(w_low @ S @ w_low, 0.0))
        g = _greedy(lend, caps)
        var_top = ZT * V * math.sqrt(max(g @ S @ g, 0.0))
        queries = [("max_borrowing", var_low + rng.uniform(0.2, 0.95) * (var_top - var_low)),
                   ("min_risk", rng.uniform(0.5, 1.0) * top)]
        if family == "caps_bind":  # one feasible mix
            queries = [("max_borrowing", var_top * 1.01), ("min_risk", top)]
        for goal, bound in queries:
            kw = {"max_var": float(bound)} if goal == "max_borrowing" else \
                {"min_borrowing": float(bound)}
            vals, bp, var = keel.optimize_collateral(m, h, ids, V, caps=capd, **kw)
            v = np.array([vals[a] for a in ids])
            assert v.sum() == pytest.approx(V, rel=1e-12), (case, family, goal)
            assert np.all(v >= 0) and np.all(v <= caps + 1e-12 * V), (case, family, goal)
            assert bp == pytest.approx(lend @ v, rel=1e-12, abs=1e-9)
            assert var == pytest.approx(ZT * math.sqrt(max(v @ S @ v, 0.0)), rel=1e-9,
                                        abs=1e-9 * V)
            w = _scipy(S, lend, caps, goal, bound, rng)
            assert w is not None, (case, family, goal)
            if goal == "max_borrowing":
                # keel allows 1e-10 of the riskiest whole position's VaR over the limit
                assert var <= bound + 1e-10 * ZT * sig.max() * V + 1e-9
                ref = V * (lend @ w)
                gap = bp - ref  # > 0: keel lends more
            else:
                assert bp >= bound * (1 - 1e-12)
                ref = ZT * V * math.sqrt(max(w @ S @ w, 0.0))
                gap = ref - var  # > 0: keel's VaR is lower
            assert gap >= -TOL, (case, family, goal, gap)  # never beaten by SciPy
            assert abs(gap) <= TOL, (case, family, goal, gap)
            worst = max(worst, abs(gap))
            compared[family] += 1
    assert sum(compared.values()) == 400, compared
    assert worst <= TOL

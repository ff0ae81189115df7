//! keel::garch_fit on ETH's daily returns of 2021 (examples/data), against
//! the independent scipy fit that tests/test_estimators.c quotes (scipy
//! 1.10.1, the reference fit of tests/python/test_garch_fit.py, run offline),
//! and the errors of bad input.

use keel::{garch_fit, ErrorKind, GarchDist, GarchFitParams};

/// log(close_d / close_{d-1}) for the `n` days from `first`.
fn eth_returns(first: &str, n: usize) -> Vec<f64> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../examples/data/eth_usdt_daily.csv");
    let text = std::fs::read_to_string(path).expect("examples/data/eth_usdt_daily.csv");
    let rows: Vec<(&str, f64)> = text
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0], f[4].parse().unwrap())
        })
        .collect();
    let i = rows.iter().position(|r| r.0 == first).unwrap();
    (i..i + n).map(|k| (rows[k].1 / rows[k - 1].1).ln()).collect()
}

fn rel(a: f64, b: f64) -> f64 {
    ((a - b) / b).abs()
}

#[test]
fn eth_2021_matches_the_independent_fit() {
    let r = eth_returns("2021-01-01", 250);
    let n = garch_fit(&r, GarchFitParams::default()).unwrap();
    assert!(rel(n.omega, 0.0001908031694712068) < 1e-5);
    assert!(rel(n.alpha, 0.06373081993337387) < 1e-5);
    assert!(rel(n.beta, 0.8830525020137813) < 1e-5);
    assert!(rel(n.log_likelihood, 346.35476974730267) < 1e-10);
    assert!(!n.integrated && !n.alpha_at_zero && !n.beta_at_zero && n.nu == 0.0);
    let tp = GarchFitParams { distribution: GarchDist::StudentT, ..Default::default() };
    let t = garch_fit(&r, tp).unwrap();
    assert!(rel(t.omega, 0.000251298043678775) < 1e-5);
    assert!(rel(t.alpha, 0.0688171562486426) < 1e-5);
    assert!(rel(t.beta, 0.861840139400299) < 1e-5);
    assert!(rel(t.nu, 5.583191634542601) < 1e-5);
    assert!(rel(t.log_likelihood, 357.2316370357854) < 1e-10);
    assert!(t.nu_se > 0.0 && t.distribution == GarchDist::StudentT);
    // to_garch continues the recursion after the last return
    let g = n.to_garch().unwrap();
    assert_eq!(g.variance(), n.last_variance);
    assert!(rel(g.long_run_variance().unwrap(), n.long_run_variance()) < 1e-15);
}

#[test]
fn integrated_fit_has_no_garch() {
    // 2020, the March crash: the normal maximum lies on alpha + beta = 1
    let r = eth_returns("2020-01-01", 250);
    let f = garch_fit(&r, GarchFitParams::default()).unwrap();
    assert!(f.integrated && f.persistence == 1.0 && f.long_run_variance().is_infinite());
    assert_eq!(f.to_garch().unwrap_err().kind, ErrorKind::OutOfRange);
}

#[test]
fn bad_input_is_refused() {
    let mut r = eth_returns("2021-01-01", 250);
    let d = GarchFitParams::default();
    assert_eq!(d.max_iterations, 200);
    assert_eq!(garch_fit(&r[..49], d).unwrap_err().kind, ErrorKind::OutOfRange);
    assert_eq!(garch_fit(&[0.01; 80], d).unwrap_err().kind, ErrorKind::OutOfRange);
    assert_eq!(garch_fit(&r, GarchFitParams { max_iterations: 0, ..d }).unwrap_err().kind,
               ErrorKind::OutOfRange);
    assert_eq!(garch_fit(&r, GarchFitParams { max_iterations: 1, ..d }).unwrap_err().kind,
               ErrorKind::NoConvergence);
    r[17] = f64::NAN;
    let e = garch_fit(&r, d).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFinite);
    assert!(e.detail.contains("returns[17]"), "{}", e.detail);
    assert_eq!(garch_fit(&[], d).unwrap_err().kind, ErrorKind::OutOfRange);
}

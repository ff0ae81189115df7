//! Hand-worked accounts through the safe wrapper, errors, threads, and that
//! keel-sys declares every function the library exports.
use keel::{Basket, ErrorKind, HaircutModel, LiquidationSide, Market};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs().max(1.0)
}

fn setup() -> (Market, HaircutModel, [keel::AssetId; 3]) {
    let mut m = Market::new().unwrap();
    let eth = m.add_asset("ETH", 2000.0).unwrap();
    let usdc = m.add_asset("USDC", 1.0).unwrap();
    let wbtc = m.add_asset("WBTC", 60000.0).unwrap();
    let mut h = HaircutModel::new().unwrap();
    h.set_asset(eth, 0.195, 0.17).unwrap();
    h.set_asset(wbtc, 0.27, 0.22).unwrap();
    h.set_asset(usdc, 0.25, 0.22).unwrap();
    (m, h, [eth, usdc, wbtc])
}

#[test]
fn multi_collateral_account() {
    // 10 ETH + 0.5 WBTC + 5000 USDC collateral, 25000 USDC debt (USDC both sides).
    // L = 16600 + 23400 + 3900 = 43900; W = 25000; HF = 1.756
    // WBTC: 16600 + 3900 + 0.39 p = 25000 -> p = 4500 / 0.39
    let (m, h, [eth, usdc, wbtc]) = setup();
    let mut b = Basket::new().unwrap();
    b.set_collateral(eth, 10.0).unwrap();
    b.set_collateral(wbtc, 0.5).unwrap();
    b.set_collateral(usdc, 5000.0).unwrap();
    b.set_debt(usdc, 25000.0).unwrap();
    let met = b.metrics(&m, &h).unwrap();
    assert!(close(met.liquidation_value, 43900.0));
    assert!(close(met.health_factor, 1.756));
    assert!(close(met.ltv, 25000.0 / 55000.0));
    let lp = b.liquidation_price(&m, &h, wbtc).unwrap();
    assert_eq!(lp.side, LiquidationSide::Below);
    assert!(close(lp.price, 4500.0 / 0.39));
    // USDC: 16600 + 23400 + 3900 p = 25000 p -> p = 40000 / 21100
    let lp = b.liquidation_price(&m, &h, usdc).unwrap();
    assert_eq!(lp.side, LiquidationSide::Above);
    assert!(close(lp.price, 40000.0 / 21100.0));
    // second method: at that price HF = 1
    let mut moved = m.clone();
    moved.set_price(usdc, lp.price).unwrap();
    assert!(close(b.metrics(&moved, &h).unwrap().health_factor, 1.0));
    assert_eq!(b.positions().len(), 3);
}

#[test]
fn errors_change_nothing() {
    let (mut m, mut h, [eth, ..]) = setup();
    let e = m.set_price(eth, f64::NAN).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFinite);
    assert!(e.detail.contains("price"));
    assert_eq!(m.price(eth).unwrap(), 2000.0);
    assert_eq!(m.price(keel::AssetId::from_raw(9)).unwrap_err().kind, ErrorKind::UnknownAsset);
    assert_eq!(m.add_asset("", 1.0).unwrap_err().kind, ErrorKind::InvalidSymbol);
    assert_eq!(m.add_asset("A\0B", 1.0).unwrap_err().kind, ErrorKind::InvalidSymbol);
    assert_eq!(m.find("DOGE").unwrap_err().kind, ErrorKind::NotFound);
    assert_eq!(h.set_asset(eth, 0.1, 0.2).unwrap_err().kind, ErrorKind::OutOfRange);
    assert_eq!(h.asset(eth).unwrap(), (0.195, 0.17));
    assert_eq!(h.set_borrow_factor(eth, 0.9).unwrap_err().kind, ErrorKind::OutOfRange);
    let mut b = Basket::new().unwrap();
    b.set_collateral(eth, 1.0).unwrap();
    assert_eq!(b.add_collateral(eth, -2.0).unwrap_err().kind, ErrorKind::OutOfRange);
    assert_eq!(b.collateral(eth), 1.0);
    b.set_collateral(keel::AssetId::from_raw(40), 1.0).unwrap();
    assert_eq!(b.metrics(&m, &h).unwrap_err().kind, ErrorKind::UnknownAsset);
    assert_eq!(keel::status_name(5), "KEEL_E_UNKNOWN_ASSET");
}

#[test]
fn shared_market_across_threads() {
    // Several threads read one market and one model, each with its own basket.
    let (m, h, [eth, usdc, _]) = setup();
    std::thread::scope(|s| {
        for k in 1..=4 {
            let (m, h) = (&m, &h);
            s.spawn(move || {
                let mut b = Basket::new().unwrap();
                b.set_collateral(eth, 10.0).unwrap();
                b.set_debt(usdc, 1000.0 * k as f64).unwrap();
                let hf = b.metrics(m, h).unwrap().health_factor;
                assert!(close(hf, 16600.0 / (1000.0 * k as f64)));
            });
        }
    });
}

#[test]
fn keel_sys_declares_every_export() {
    // meson's test runner always sets KEEL_LIB_DIR; a bare `cargo test` may not.
    let Ok(dir) = std::env::var("KEEL_LIB_DIR") else {
        eprintln!("KEEL_LIB_DIR unset: symbol coverage not checked");
        return;
    };
    let lib = format!("{dir}/libkeel.so");
    let out = std::process::Command::new("nm")
        .args(["-D", "--defined-only", &lib])
        .output()
        .expect("nm runs");
    assert!(out.status.success(), "nm failed on {lib}");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut exported: Vec<String> = text
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f.len() == 3 && f[1] == "T").then(|| f[2].split('@').next().unwrap().to_string())
        })
        .collect();
    exported.sort();
    let mut declared: Vec<String> =
        keel_sys::DECLARED_FUNCTIONS.iter().map(|s| s.to_string()).collect();
    declared.sort();
    assert!(!exported.is_empty());
    assert_eq!(exported, declared);
}

#[test]
fn haircut_addons_and_estimators() {
    // z(99%) = 2.3263478740408408; a_vol = 1 - exp(-z 0.8 sqrt(5/365))
    let a = 1.0 - (-2.3263478740408408f64 * 0.8 * (5.0f64 / 365.0).sqrt()).exp();
    let (mut m, mut h, [eth, usdc, _]) = setup();
    m.set_volatility(eth, 0.8).unwrap();
    m.set_depth(eth, 5e6).unwrap();
    assert!(close(keel::volatility_haircut(0.8, 0.99, 5.0 / 365.0).unwrap(), a));
    assert!(close(keel::scale_holding_period(0.15, 10.0, 5.0).unwrap(), 0.15 * 0.5f64.sqrt()));
    h.set_volatility_addon(0.99, 5.0).unwrap();
    h.set_liquidity_addon(0.5, 0.3).unwrap();
    let mut b = Basket::new().unwrap();
    b.set_collateral(eth, 100.0).unwrap();
    b.set_debt(usdc, 100000.0).unwrap();
    let c = h.breakdown(&m, &b, eth).unwrap();
    assert!(close(c.volatility, a));
    assert!(close(c.liquidity, 0.1)); // 0.5 sqrt(200000 / 5e6)
    assert!(close(c.maintenance, 0.17 + a + 0.1));
    // size-dependent: the price is found by root finding; HF = 1 there
    let lp = b.liquidation_price(&m, &h, eth).unwrap();
    let mut moved = m.clone();
    moved.set_price(eth, lp.price).unwrap();
    assert!((b.metrics(&moved, &h).unwrap().health_factor - 1.0).abs() < 1e-9);
    h.set_concentration_mode(keel::ConcentrationMode::Exclude).unwrap();
    assert_eq!(h.concentration_mode().unwrap(), keel::ConcentrationMode::Exclude);
    h.set_portfolio_mode(true).unwrap();
    assert!(h.portfolio_mode().unwrap());
    assert_eq!(h.set_peg_mismatch_addon(2.0).unwrap_err().kind, ErrorKind::OutOfRange);

    let mut g = keel::Garch::new(2e-6, 0.1, 0.85, 1e-4).unwrap();
    for r in [0.01, -0.02, 0.015] {
        g.update(r).unwrap();
    }
    assert!(close(g.variance(), 1.302825e-4));
    assert!(close(g.long_run_variance().unwrap(), 4e-5));
    assert_eq!(keel::Garch::new(1e-6, 0.5, 0.5, 0.0).unwrap_err().kind, ErrorKind::OutOfRange);
}

#[test]
fn options_kernel() {
    use keel::OptionType::{Call, Put};
    // Haug: gamma 0.0278 and vega 18.9358 for S 55, K 60, T 0.75, r 0.10, vol 0.30
    let g = keel::black_scholes(Put, 55.0, 60.0, 0.75, 0.10, 0.0, 0.30).unwrap();
    assert!((g.gamma - 0.0278).abs() < 1e-4 && (g.vega - 18.9358).abs() < 1e-4);
    let f = keel::black76(Call, 19.0, 19.0, 0.75, 0.10, 0.28).unwrap();
    assert!((f.value - 1.7011).abs() < 1e-4);
    let iv = keel::implied_volatility_black76(Call, f.value, 19.0, 19.0, 0.75, 0.10).unwrap();
    assert!((iv - 0.28).abs() < 1e-13);
    assert_eq!(keel::implied_volatility(Call, 500.0, 100.0, 90.0, 1.0, 0.0, 0.0).unwrap_err().kind,
               ErrorKind::Arbitrage);
    let kinds = [Call, Put, Call];
    let s = [90.0, 100.0, 110.0];
    let k = [100.0; 3];
    let t = [0.5; 3];
    let r = [0.03; 3];
    let q = [0.0; 3];
    let v = [0.3; 3];
    let mut values = [0.0; 3];
    keel::black_scholes_batch(&kinds, &s, &k, &t, &r, &q, &v, Some(&mut values), None).unwrap();
    // the batch's vector kernels agree with the scalar call within 1e-13 of
    // the terms' size (docs/options.md), not to the bit
    for i in 0..3 {
        let one = keel::black_scholes(kinds[i], s[i], 100.0, 0.5, 0.03, 0.0, 0.3).unwrap().value;
        assert!((values[i] - one).abs() <= 1e-13 * (s[i] + 100.0), "{} {}", values[i], one);
    }
}

#[test]
fn options_book_and_health() {
    use keel::OptionType::{Call, Put};
    let (mut m, h, [eth, usdc, _]) = setup();
    m.set_volatility(eth, 0.8).unwrap();
    let mut b = Basket::new().unwrap();
    b.set_collateral(usdc, 30000.0).unwrap();
    b.set_debt(usdc, 5000.0).unwrap();
    let mut book = keel::Options::new().unwrap();
    let call = book.add(eth, Call, 2000.0, 30.0 / 365.0, -10.0).unwrap();
    book.add(eth, Put, 2000.0, 30.0 / 365.0, -10.0).unwrap();
    let c = keel::black_scholes(Call, 2000.0, 2000.0, 30.0 / 365.0, 0.0, 0.0, 0.8).unwrap();
    let p = keel::black_scholes(Put, 2000.0, 2000.0, 30.0 / 365.0, 0.0, 0.0, 0.8).unwrap();
    assert!(close(book.value(&m).unwrap(), -10.0 * (c.value + p.value)));
    let r = book.scenario_margin(&m).unwrap();
    let met = b.metrics_with(&m, &h, &book).unwrap();
    assert!(close(met.weighted_debt, 5000.0 + r.margin));
    let (lo, hi) = b.liquidation_prices(&m, &h, eth, Some(&book)).unwrap();
    assert!(lo > 0.0 && lo < 2000.0 && hi > 2000.0 && hi.is_finite());
    let (full, approx) = b.pnl(&m, eth, 0.01, Some(&book)).unwrap();
    assert!(full < 0.0 && (full - approx).abs() < 0.01 * full.abs());
    book.remove(call).unwrap();
    assert_eq!(book.remove(call).unwrap_err().kind, ErrorKind::NotFound);
    assert_eq!(book.positions().len(), 1);
}

#[test]
fn policy_failures_make_checked_summary_an_error() {
    // A health band told to repay asset 7, which the market lacks, fails on
    // every turn below 1.3: 10 ETH against 12500 USDC, replayed at 1990 for two
    // steps (HF 15920 / 12500 = 1.2736) fails twice on each of three paths.
    use keel::{CostModel, HealthBand, Policy, SimParams, Simulation};
    let (m, h, [eth, usdc, _]) = setup();
    let mut h = h;
    h.set_asset(eth, 0.25, 0.2).unwrap();
    let mut b = Basket::new().unwrap();
    b.set_collateral(eth, 10.0).unwrap();
    b.set_debt(usdc, 12500.0).unwrap();
    let bad = Policy::health_band(&HealthBand { debt_asset: Some(keel::AssetId::from_raw(7)), ..Default::default() }).unwrap();
    let p = SimParams { steps: 2, ..Default::default() };
    let mut sim = Simulation::new(&m, &b, &h, &CostModel::new().unwrap(), Some(&bad), None, &p).unwrap();
    sim.set_paths(3, &[eth], &[1990.0; 6]).unwrap();
    let st = sim.run(0, 3).unwrap();
    let s = st.summary().unwrap();
    assert_eq!((s.policy_failures, s.paths_with_policy_failures, s.first_policy_failure_path), (6, 3, 0));
    let e = st.checked_summary().unwrap_err();
    assert_eq!(e.kind, ErrorKind::State);
    assert!(e.detail.contains("6 turns in 3 paths"), "{}", e.detail);
    // a valid policy: checked_summary is the summary
    let good = Policy::health_band(&HealthBand { debt_asset: Some(usdc), ..Default::default() }).unwrap();
    let sim = Simulation::new(&m, &b, &h, &CostModel::new().unwrap(), Some(&good), None, &p).unwrap();
    assert_eq!(sim.run(0, 20).unwrap().checked_summary().unwrap().policy_failures, 0);
}

#[test]
fn set_paths_never_reads_past_the_slice() {
    // Issue 13: the slice was checked against paths x assets, not steps: 3
    // paths x 1 asset with 2 steps needs 6 prices; 3 made C read past it.
    use keel::{CostModel, SimParams, Simulation};
    let (m, h, [eth, usdc, _]) = setup();
    let mut b = Basket::new().unwrap();
    b.set_collateral(eth, 10.0).unwrap();
    b.set_debt(usdc, 1000.0).unwrap();
    let p = SimParams { steps: 2, ..Default::default() };
    let mut sim = Simulation::new(&m, &b, &h, &CostModel::new().unwrap(), None, None, &p).unwrap();
    let e = sim.set_paths(3, &[eth], &[2000.0; 3]).unwrap_err();
    assert_eq!(e.kind, ErrorKind::OutOfRange);
    assert!(sim.set_paths(3, &[eth], &[2000.0; 7]).is_err());
    assert!(sim.set_paths(usize::MAX, &[eth], &[2000.0; 6]).is_err());
    sim.set_paths(3, &[eth], &[2000.0; 6]).unwrap();
}

fn small_sim() -> keel::Simulation {
    let mut m = keel::Market::new().unwrap();
    let eth = m.add_asset("ETH", 2000.0).unwrap();
    let usdc = m.add_asset("USDC", 1.0).unwrap();
    m.set_volatility(eth, 0.8).unwrap();
    let mut h = keel::HaircutModel::new().unwrap();
    h.set_asset(eth, 0.25, 0.2).unwrap();
    let mut b = keel::Basket::new().unwrap();
    b.set_collateral(eth, 10.0).unwrap();
    b.set_debt(usdc, 12000.0).unwrap();
    let params = keel::SimParams { steps: 5, ..Default::default() };
    keel::Simulation::new(&m, &b, &h, &keel::CostModel::new().unwrap(), None, None, &params).unwrap()
}

#[test]
fn progress_true_stops_as_in_c_and_python() {
    let sim = small_sim();
    let mut calls = 0;
    let full = sim.run_with_progress(0, 200, &mut |_| {
        calls += 1;
        false
    });
    assert!(full.is_ok() && calls > 0);
    match sim.run_with_progress(0, 200, &mut |_| true) {
        Err((e, Some(stats))) => {
            assert_eq!(e.kind, keel::ErrorKind::Cancelled);
            assert!(stats.summary().unwrap().paths < 200);
        }
        _ => panic!("returning true did not stop the run"),
    }
}

#[test]
fn a_panicking_progress_callback_never_unwinds_through_c() {
    let sim = small_sim();
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = sim.run_with_progress(0, 200, &mut |_| panic!("from the callback"));
    }));
    let payload = caught.expect_err("the panic was lost");
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"from the callback"));
    assert!(sim.run(0, 10).is_ok()); // the simulation is still usable
}

#[test]
fn infeasible_deleverage_carries_the_best_health() {
    let mut m = keel::Market::new().unwrap();
    let eth = m.add_asset("ETH", 2000.0).unwrap();
    let usdc = m.add_asset("USDC", 1.0).unwrap();
    let mut h = keel::HaircutModel::new().unwrap();
    h.set_asset(eth, 0.25, 0.2).unwrap();
    let mut b = keel::Basket::new().unwrap();
    b.set_collateral(eth, 10.0).unwrap();
    b.set_debt(usdc, 12000.0).unwrap();
    // at most 2000 of ETH may be sold: 1 ETH repays 2000 -> HF = 1600 x 9 / 10000 = 1.44
    let e = keel::deleverage(&m, &b, &h, &keel::CostModel::new().unwrap(), None, 1.5, usdc, 2000.0)
        .err().expect("a limited sale cannot reach 1.5");
    assert_eq!(e.kind, keel::ErrorKind::Infeasible);
    assert!((e.best_health.unwrap() - 1.44).abs() < 1e-9, "{:?}", e.best_health);
    let ok = keel::deleverage(&m, &b, &h, &keel::CostModel::new().unwrap(), None, 1.2, usdc, 0.0);
    assert!(ok.is_ok());
}

#[test]
fn actions_are_safe_values() {
    let mut m = keel::Market::new().unwrap();
    let eth = m.add_asset("ETH", 1800.0).unwrap();
    let usdc = m.add_asset("USDC", 1.0).unwrap();
    let mut h = keel::HaircutModel::new().unwrap();
    h.set_asset(eth, 0.25, 0.2).unwrap();
    let mut b = keel::Basket::new().unwrap();
    b.set_collateral(eth, 10.0).unwrap();
    b.set_debt(usdc, 12000.0).unwrap();
    let plan = keel::deleverage(&m, &b, &h, &keel::CostModel::new().unwrap(), None, 1.5, usdc, 0.0)
        .unwrap();
    let a = plan.actions()[0];
    assert_eq!(a.kind, keel::ActionKind::SellToRepay);
    assert_eq!((a.asset, a.debt_asset, a.to_asset), (Some(eth), Some(usdc), None));
    assert!((a.quantity - 20.0 / 7.0).abs() < 1e-12); // 1440 (10 - x) = 1.5 (12000 - 1800 x)
}

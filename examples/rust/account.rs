//! The README account from Rust: metrics and liquidation prices; after a
//! 30% fall, the plan a health band proposes; then a backtest of that band,
//! cut into shards and merged.
//! Run (README, Install): with an installed keel that pkg-config finds
//! (PKG_CONFIG_PATH=<prefix>/lib/pkgconfig), or with KEEL_LIB_DIR=<a meson build
//! directory, absolute>:   cd bindings/rust && cargo run --offline --example account
//! keel-sys links the library it finds and the keel crate puts its directory
//! in the example's rpath: no LD_LIBRARY_PATH needed.
use keel::{Basket, CostModel, HaircutModel, HealthBand, Market, Policy, SimParams, Simulation};

fn main() -> Result<(), keel::Error> {
    let mut m = Market::new()?;
    let eth = m.add_asset("ETH", 3000.0)?;
    let wbtc = m.add_asset("WBTC", 95000.0)?;
    let usdc = m.add_asset("USDC", 1.0)?;
    let mut h = HaircutModel::new()?;
    h.set_asset(eth, 1.0 - 0.805, 1.0 - 0.83)?;
    h.set_asset(wbtc, 1.0 - 0.73, 1.0 - 0.78)?;
    h.set_asset(usdc, 1.0 - 0.75, 1.0 - 0.78)?;
    let mut b = Basket::new()?;
    b.set_collateral(eth, 25.0)?;
    b.set_collateral(wbtc, 0.8)?;
    b.set_collateral(usdc, 20000.0)?;
    b.set_debt(usdc, 95000.0)?;

    let met = b.metrics(&m, &h)?;
    println!("{met}");
    for a in [eth, wbtc, usdc] {
        let lp = b.liquidation_price(&m, &h, a)?;
        println!("  {:5} spot {:>10.2}  {lp:.4}", m.symbol(a)?, m.price(a)?);
    }

    m.set_volatility(eth, 0.75)?;
    m.set_volatility(wbtc, 0.55)?;
    m.set_price(eth, 2100.0)?;
    m.set_price(wbtc, 66500.0)?;
    let mut costs = CostModel::new()?;
    costs.set_fee(eth, 0.0005, 0.0)?;
    costs.set_fee(wbtc, 0.0008, 0.0)?;
    let band = Policy::health_band(&HealthBand { debt_asset: Some(usdc), ..Default::default() })?;
    let plan = band.plan(&m, &b, &h, &costs, None, None)?;
    let (cost, before, after) = plan.summary();
    println!("after a 30% fall: HF {:.4} -> {:.4} for {:.2} USDC in {} actions",
             before.health_factor, after.health_factor, cost, plan.actions().len());

    let sim = Simulation::new(&m, &b, &h, &costs, Some(&band), None, &SimParams::default())?;
    let whole = sim.run(0, 400)?;
    let mut merged = sim.run(200, 200)?;
    merged.merge(&sim.run(0, 200)?)?;
    let s = whole.checked_summary()?; // an error if the policy failed on any turn
    println!("backtest, 400 paths x 30 days: P(liquidation) {:.4}, mean cost {:.2}; shards merged equal: {}",
             s.liquidation_probability, s.mean_rebalance_cost, merged.summary()? == s);
    assert!(merged.summary()? == s);
    Ok(())
}

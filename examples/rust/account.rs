//! The README account from Rust: metrics and liquidation prices.
//! Run: cd bindings/rust && cargo run --offline --example account
use keel::{Basket, HaircutModel, Market};

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
    println!("health factor {:.4}, LTV {:.4}", met.health_factor, met.ltv);
    for a in [eth, wbtc, usdc] {
        let lp = b.liquidation_price(&m, &h, a)?;
        println!("  {:5} spot {:>10.2}  {:?} {:.4}", m.symbol(a)?, m.price(a)?, lp.side, lp.price);
    }
    Ok(())
}

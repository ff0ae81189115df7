//! A Morpho Blue position (a WETH/USDC market at 86% LLTV) from Rust,
//! exactly as the chain computes it: its health factor, the oracle price
//! that makes it liquidatable, and after a fall below it, the liquidation a
//! keeper would send and what it earns.
//! Run: cd bindings/rust && cargo run --offline --example morpho
use keel::{MorphoLiquidate, MorphoMarket, MorphoParams, MorphoPosition, MorphoState, MorphoUnit, U256};

/// IOracle.price() is scaled by 10^36, times loan decimals − collateral decimals:
/// USDC wei per WETH wei · 10^36 = usd · 10^6 · 10^36 / 10^18.
fn oracle_price(usd_per_weth: u64) -> Result<U256, keel::Error> {
    U256::from(usd_per_weth).checked_mul(U256::parse_units("1", 24)?)
}

fn usd_per_weth(price: U256) -> String {
    // price / 10^24 USD per WETH
    format!("{} USD", price.format_units(24))
}

fn health(hf: U256) -> String {
    if hf == U256::MAX { "no debt".to_string() } else { hf.format_units(18) }
}

fn main() -> Result<(), keel::Error> {
    let usdc = |text: &str| U256::parse_units(text, 6);
    let mut m = MorphoMarket::new("USDC", "WETH", &MorphoParams {
        loan_decimals: 6, collateral_decimals: 18, price: oracle_price(2000)?,
        lltv: U256::parse_units("0.86", 18)? }, Some(&MorphoState {
        total_supply_assets: usdc("50000000")?, total_supply_shares: U256::parse_units("50000000", 12)?,
        total_borrow_assets: usdc("40000000")?, total_borrow_shares: U256::parse_units("40000000", 12)?,
        last_update: 1_700_000_000, fee: U256::ZERO }))?;
    // 4% a year, per second, accrued over a day
    let rate = U256::parse_units("0.04", 18)?.checked_div(U256::from(31_536_000u64))?;
    let (interest, _) = m.accrue(rate, 1_700_000_000 + 86_400)?;
    println!("a day at 4%: {} USDC of interest on the market", interest.format_units(6));

    // 10 WETH against 15,000 USDC borrowed (shares at the market's ratio)
    let p = MorphoPosition { borrow_shares: U256::parse_units("15000", 12)?,
                             collateral: U256::parse_units("10", 18)?, ..Default::default() };
    let d = m.position_data(&p)?;
    println!("10 WETH at 2,000 USD against {} USDC:", d.borrow_assets.format_units(6));
    println!("  borrowable {} USDC, health factor {}", d.max_borrow.format_units(6), health(d.health_factor));
    if let Some(lp) = m.liquidation_price(&p)? {
        println!("  liquidatable once the oracle reads {} or less", usd_per_weth(lp));
    }
    println!("  at most {} USDC more can be borrowed, {} WETH withdrawn",
             m.max_borrow(&p, U256::WAD)?.format_units(6),
             m.max_withdraw_collateral(&p, U256::WAD)?.format_units(18));

    // WETH falls to 1,700 USD
    m.set_price(oracle_price(1700)?)?;
    let d = m.position_data(&p)?;
    println!("\nafter WETH falls to 1,700 USD: health factor {}{}", health(d.health_factor),
             if d.liquidatable { " (liquidatable)" } else { "" });
    let q = m.best_liquidation(&p)?;
    println!("  best liquidation: seize {} WETH for {} USDC (incentive {}), profit {:.2} USDC before gas",
             q.seized_assets.format_units(18), q.repaid_assets.format_units(6),
             q.incentive_factor.format_units(18), q.profit / 1e6);
    let half = m.liquidation_quote(&p, MorphoLiquidate::RepaidShares(U256::parse_units("5000", 12)?))?;
    println!("  repaying 5,000 USDC of it instead seizes {} WETH", half.seized_assets.format_units(18));
    println!("  to be healthy again: repay {} USDC, or add {} WETH",
             m.repay_to_target(&p, U256::WAD, MorphoUnit::Assets)?.format_units(6),
             m.collateral_to_target(&p, U256::WAD)?.format_units(18));

    // a healthy position cannot be liquidated: Morpho's own reason
    m.set_price(oracle_price(2000)?)?;
    match m.best_liquidation(&p) {
        Err(keel::Error { morpho_revert: Some(reason), .. }) => println!("\nback at 2,000 USD Morpho reverts: {reason}"),
        other => println!("\nback at 2,000 USD: {other:?}"),
    }
    Ok(())
}

//! An Aave v3.6 account from Rust, exactly as the chain computes it: its
//! getUserAccountData, the WETH price that liquidates it, and after a fall
//! below that price, the liquidation a keeper would send and what it pays.
//! Run: cd bindings/rust && cargo run --offline --example aave
use keel::{AaveAccount, AaveAccountData, AaveMarket, AaveReserve, AaveTrigger, AaveVersion, U256};

/// The oracle's base currency has 8 decimals on the USD markets.
const BASE_DECIMALS: u32 = 8;

fn usd(base: U256) -> String {
    format!("{} USD", base.format_units(BASE_DECIMALS))
}

fn percent(bps: U256) -> String {
    format!("{}%", bps.format_units(2))
}

fn health(hf: U256) -> String {
    if hf == U256::MAX { "no debt".to_string() } else { hf.format_units(18) }
}

fn print_data(title: &str, d: &AaveAccountData) {
    println!("{title}");
    println!("  collateral            {}", usd(d.total_collateral_base));
    println!("  debt                  {}", usd(d.total_debt_base));
    println!("  available to borrow   {}", usd(d.available_borrows_base));
    println!("  liquidation threshold {}   LTV {}", percent(d.current_liquidation_threshold), percent(d.ltv));
    println!("  health factor         {}{}", health(d.health_factor),
             if d.liquidatable { "  (liquidatable)" } else { "" });
}

fn main() -> Result<(), keel::Error> {
    let dollars = |x: u64| U256::from(x).checked_mul(U256::from(10u64.pow(BASE_DECIMALS)));
    let mut m = AaveMarket::new(AaveVersion::V3_6)?;
    let weth = m.add_reserve("WETH", &AaveReserve {
        decimals: 18, ltv: 8050, liquidation_threshold: 8300, liquidation_bonus: 10500,
        liquidation_protocol_fee: 1000, price: dollars(2000)?, ..Default::default() })?;
    let usdc = m.add_reserve("USDC", &AaveReserve {
        decimals: 6, ltv: 7700, liquidation_threshold: 8000, liquidation_bonus: 10450,
        liquidation_protocol_fee: 1000, price: dollars(1)?, ..Default::default() })?;

    // 10 WETH as collateral, 15,000 USDC borrowed (amounts in wei)
    let mut a = AaveAccount::new()?;
    a.set_position(&m, weth, U256::parse_units("10", 18)?, U256::ZERO, true)?;
    a.set_position(&m, usdc, U256::ZERO, U256::parse_units("15000", 6)?, false)?;
    print_data("10 WETH at 2,000 USD against 15,000 USDC:", &a.account_data(&m)?);

    let lp = a.liquidation_price(&m, weth)?;
    if let AaveTrigger::AtOrBelow(p) = lp.trigger {
        println!("  liquidatable once WETH is at or below {}", usd(p));
    }
    let more = a.max_borrow(&m, usdc, U256::WAD)?;
    println!("  at most {} USDC more can be borrowed", more.format_units(6));

    // WETH falls to 1,700 USD
    m.set_price(weth, dollars(1700)?)?;
    print_data("\nafter WETH falls to 1,700 USD:", &a.account_data(&m)?);

    let q = a.best_liquidation(&m)?;
    let (coll, debt) = (m.symbol(q.collateral)?, m.symbol(q.debt)?);
    println!("  best liquidation: repay {} {debt}, receive {} {coll} (bonus {}, protocol fee {} {coll})",
             q.debt_repaid.format_units(6), q.collateral_to_liquidator.format_units(18),
             percent(U256::from(q.liquidation_bonus.saturating_sub(10_000))), q.protocol_fee.format_units(18));
    println!("    worth {} for {}: {} before gas",
             usd(q.collateral_to_liquidator_base), usd(q.debt_repaid_base),
             usd(q.collateral_to_liquidator_base.checked_sub(q.debt_repaid_base)?));
    println!("    health factor {} -> {}", health(q.health_factor_before), health(q.health_factor_after));

    // what the borrower could do instead
    let repay = a.repay_to_target(&m, usdc, U256::parse_units("1.05", 18)?)?;
    let supply = a.supply_to_target(&m, weth, U256::parse_units("1.05", 18)?)?;
    println!("  to reach HF 1.05: repay {} USDC, or supply {} WETH",
             repay.format_units(6), supply.format_units(18));

    // a healthy account cannot be liquidated: the pool's own reason
    m.set_price(weth, dollars(2000)?)?;
    match a.liquidation_quote(&m, weth, usdc, None) {
        Err(keel::Error { revert: Some(reason), .. }) => {
            println!("\nback at 2,000 USD the pool reverts: {reason}")
        }
        other => println!("\nback at 2,000 USD: {other:?}"),
    }
    Ok(())
}

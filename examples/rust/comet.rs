//! A Compound v3 (cUSDCv3-like) account from Rust, exactly as the contract
//! computes it: its liquidity, the WETH price that makes it liquidatable,
//! and after a fall below it, the absorb a keeper would call and the
//! collateral the protocol then sells.
//! Run: cd bindings/rust && cargo run --offline --example comet
use keel::{CometAccount, CometAccountData, CometAsset, CometBase, CometInt, CometLine, CometMarket,
           CometTrigger, U256};

/// The price feeds have 8 decimals.
const PRICE_DECIMALS: u32 = 8;

fn usd(v: U256) -> String {
    format!("{} USD", v.format_units(PRICE_DECIMALS))
}

fn signed_usd(v: CometInt) -> String {
    format!("{}{}", if v.is_negative() { "-" } else { "" }, usd(v.magnitude()))
}

fn print_data(title: &str, d: &CometAccountData) {
    println!("{title}");
    println!("  debt                      {}", signed_usd(d.base_value));
    println!("  collateral                {}", usd(d.collateral_value));
    println!("  borrow liquidity          {}{}", signed_usd(d.borrow_liquidity),
             if d.is_borrow_collateralized { "" } else { "  (cannot borrow more)" });
    println!("  liquidation liquidity     {}{}", signed_usd(d.liquidation_liquidity),
             if d.is_liquidatable { "  (liquidatable)" } else { "" });
}

fn main() -> Result<(), keel::Error> {
    let dollars = |x: u64| U256::from(x).checked_mul(U256::from(10u64.pow(PRICE_DECIMALS)));
    let e18 = |text: &str| U256::parse_units(text, 18);
    let mut m = CometMarket::new("USDC", &CometBase {
        supply_index: 1_050_000_000_000_000, borrow_index: 1_100_000_000_000_000,
        total_supply_base: U256::parse_units("10000000", 6)?, total_borrow_base: U256::parse_units("5000000", 6)?,
        base_balance: U256::parse_units("6000000", 6)?, store_front_price_factor: 600_000_000_000_000_000,
        target_reserves: U256::parse_units("5000000", 6)?, base_borrow_min: U256::parse_units("100", 6)?,
        ..Default::default() })?;
    let weth = m.add_asset("WETH", &CometAsset {
        decimals: 18, price: dollars(2000)?, borrow_collateral_factor: 825_000_000_000_000_000,
        liquidate_collateral_factor: 895_000_000_000_000_000, liquidation_factor: 950_000_000_000_000_000,
        supply_cap: e18("500000")?, total_supply_asset: e18("100000")?, balance: e18("100100")? })?;

    // 10 WETH against a 13,636.36 USDC principal: 15,000 USDC owed at the borrow index 1.1
    let mut a = CometAccount::new()?;
    a.set_collateral(&m, weth, e18("10")?)?;
    a.set_principal(m.principal_value(CometInt::new(true, U256::parse_units("15000", 6)?))?)?;
    print_data("10 WETH at 2,000 USD against 15,000 USDC:", &a.liquidity(&m)?);

    let lp = a.liquidation_price(&m, weth)?;
    if let CometTrigger::AtOrBelow(p) = lp.trigger {
        println!("  liquidatable once WETH is at or below {}", usd(p));
    }
    println!("  at most {} USDC more can be borrowed", a.max_borrow(&m, U256::ZERO)?.format_units(6));

    // WETH falls to 1,650 USD
    m.set_price(weth, dollars(1650)?)?;
    print_data("\nafter WETH falls to 1,650 USD:", &a.liquidity(&m)?);
    let q = a.absorb_quote(&m)?;
    println!("  absorb: seizes {} WETH worth {}, credits {} USDC at the liquidation factor",
             q.seized[weth.raw() as usize].format_units(18), usd(q.seized_value[weth.raw() as usize]),
             q.delta_balance.format_units(6));
    println!("    debt forgiven {} USDC, left to the account {} USDC, deficit {} USDC",
             q.base_paid_out.format_units(6), q.new_balance.magnitude().format_units(6), q.deficit.format_units(6));
    let buy = m.buy_collateral_quote(weth, U256::ZERO, U256::parse_units("1000", 6)?)?;
    println!("  then 1,000 USDC buys {} WETH from the protocol's reserves", buy.collateral_amount.format_units(18));

    // what the borrower could do instead: back to twice the borrow line
    let two = U256::parse_units("2", 18)?;
    println!("  to reach twice the borrow line: repay {} USDC, or supply {} WETH",
             a.repay_to_target(&m, CometLine::Borrow, two)?.format_units(6),
             a.supply_to_target(&m, weth, CometLine::Borrow, two)?.format_units(18));

    // a healthy account cannot be absorbed: the contract's own reason
    m.set_price(weth, dollars(2000)?)?;
    match a.absorb_quote(&m) {
        Err(keel::Error { comet_revert: Some(reason), .. }) => println!("\nback at 2,000 USD absorb reverts: {reason}"),
        other => println!("\nback at 2,000 USD: {other:?}"),
    }
    Ok(())
}

//! The decision boundaries of issue 12 through the safe crate: greeks at
//! sigma sqrt(T) -> 0 and T -> 0, implied volatility of prices keel made,
//! a purchase with no cost, HF exactly 1, a liquidation price in closed form.
//!
//! Expected greeks are the Black-Scholes-Merton / Black-76 closed forms
//! (Haug 2007, 1.1.6 and 1.1.2) evaluated with 60-digit mpmath at the given
//! inputs (at vol 1e-60 for the vol = 0 limit), not keel's output; the others
//! are worked in the comments.
use keel::{Basket, CostModel, HaircutModel, Market, OptionType, Policy, Predictive};

fn close(got: f64, want: f64, rel: f64, what: &str) {
    assert!((got - want).abs() <= rel * want.abs(), "{what}: got {got:e}, want {want:e}");
}

#[test]
fn bsm_greeks_at_a_subnormal_volatility_are_the_vol_0_limit() {
    // call, S 100, K 90, T 1, r 0.05, q 0.02, vol 1e-310 (issue 12, section 3)
    let g = keel::black_scholes(OptionType::Call, 100.0, 90.0, 1.0, 0.05, 0.02, 1e-310).unwrap();
    close(g.value, 12.409219125611269601, 1e-14, "value");
    close(g.delta, 0.98019867330675530181, 1e-15, "delta");
    close(g.theta, -2.3201350636397026222, 1e-13, "theta");
    close(g.rho, 85.610648205064260581, 1e-14, "rho");
    close(g.dividend_rho, -98.019867330675530181, 1e-14, "dividend rho");
    close(g.charm, 0.019603973466135106444, 1e-13, "charm");
    // phi(d1) ~ 10^-397867...: every greek made of it is 0 in double
    assert_eq!((g.gamma, g.vega, g.vanna, g.volga), (0.0, 0.0, 0.0, 0.0));
}

#[test]
fn bsm_greeks_at_an_expiry_of_1e_300_are_the_t_0_limit() {
    let g = keel::black_scholes(OptionType::Call, 100.0, 99.0, 1e-300, 0.05, 0.02, 0.2).unwrap();
    close(g.value, 1.0, 1e-15, "value");
    close(g.delta, 1.0, 1e-15, "delta");
    close(g.theta, -2.95, 1e-13, "theta"); // q S - r K = 2 - 4.95
    close(g.rho, 9.9e-299, 1e-13, "rho"); // T K
    close(g.dividend_rho, -1e-298, 1e-13, "dividend rho"); // -T S
    close(g.charm, 0.02, 1e-13, "charm"); // q e^(-qT)
    assert_eq!((g.gamma, g.vega, g.vanna, g.volga), (0.0, 0.0, 0.0, 0.0));
}

#[test]
fn bsm_put_in_the_money_at_a_tiny_sigma_sqrt_t_with_q_above_r() {
    // put, S 100, K 110, one minute, r 0.01, q 0.06, vol 1e-9
    let t = 1.0 / 525600.0;
    let g = keel::black_scholes(OptionType::Put, 100.0, 110.0, t, 0.01, 0.06, 1e-9).unwrap();
    close(g.value, 10.000009322678211565, 1e-14, "value");
    close(g.delta, -0.99999988584475537416, 1e-15, "delta");
    close(g.theta, -4.8999993359969947551, 1e-12, "theta");
    close(g.rho, -0.0002092846231110231145, 1e-13, "rho");
    close(g.dividend_rho, 0.00019025873018355315338, 1e-13, "dividend rho");
    close(g.charm, -0.059999993150685322449, 1e-12, "charm");
    assert_eq!((g.gamma, g.vega, g.vanna, g.volga), (0.0, 0.0, 0.0, 0.0));
}

#[test]
fn black76_put_at_vol_0_with_a_negative_rate() {
    // F 100, K 120, T 2, r -0.01: the discounted intrinsic e^(0.02) 20 and its greeks
    let g = keel::black76(OptionType::Put, 100.0, 120.0, 2.0, -0.01, 0.0).unwrap();
    close(g.value, 20.404026800535116212, 1e-15, "value");
    close(g.delta, -1.0202013400267558106, 1e-15, "delta");
    close(g.theta, -0.20404026800535116636, 1e-13, "theta"); // r V
    close(g.rho, -40.808053601070232423, 1e-15, "rho"); // -T V
    close(g.charm, 0.010202013400267558318, 1e-13, "charm"); // -r e^(-rT) for a put
    assert_eq!((g.gamma, g.vega, g.dividend_rho), (0.0, 0.0, 0.0));
}

#[test]
fn implied_volatility_of_keel_s_own_prices_scalar_and_batch() {
    // the two: time value 0 to 60 digits, and a put strictly above intrinsic
    let c = keel::black_scholes(OptionType::Call, 100.0, 100.0, 0.25, 0.05, 0.0, 0.001).unwrap();
    let v = keel::implied_volatility(OptionType::Call, c.value, 100.0, 100.0, 0.25, 0.05, 0.0).unwrap();
    let back = keel::black_scholes(OptionType::Call, 100.0, 100.0, 0.25, 0.05, 0.0, v).unwrap();
    assert!((back.value - c.value).abs() <= 4e-16 * 100.0, "{v}: {} vs {}", back.value, c.value);
    let t = 1.0 / 525600.0;
    let p = keel::black_scholes(OptionType::Put, 100.0, 100.1, t, 0.05, 0.0, 0.1).unwrap();
    keel::implied_volatility(OptionType::Put, p.value, 100.0, 100.1, t, 0.05, 0.0).unwrap();
    // a grid through the slices API: deep in and out of the money, 30 years,
    // q > r, negative rates; every price keel made must come back
    let (mut kinds, mut prices, mut spot, mut strike, mut expiry, mut rate, mut div) =
        (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
    for kind in [OptionType::Call, OptionType::Put] {
        for k in [1e-4, 50.0, 99.9, 100.0, 100.1, 200.0, 1e6] {
            for tt in [t, 1.0 / 365.0, 1.0, 30.0] {
                for vol in [1e-4, 0.01, 0.3, 3.0] {
                    for (r, q) in [(0.05, 0.0), (0.0, 0.08), (-0.01, 0.02)] {
                        let g = keel::black_scholes(kind, 100.0, k, tt, r, q, vol).unwrap();
                        if g.value > 0.0 {
                            kinds.push(kind);
                            prices.push(g.value);
                            spot.push(100.0);
                            strike.push(k);
                            expiry.push(tt);
                            rate.push(r);
                            div.push(q);
                        }
                    }
                }
            }
        }
    }
    let vols = keel::implied_volatility_batch(&kinds, &prices, &spot, &strike, &expiry, &rate, &div)
        .unwrap();
    assert!(kinds.len() > 400, "{} options", kinds.len());
    for (i, v) in vols.iter().enumerate() {
        let v = v.unwrap_or_else(|e| panic!("option {i}: {e:?}"));
        let scalar = keel::implied_volatility(kinds[i], prices[i], 100.0, strike[i], expiry[i],
                                              rate[i], div[i]).unwrap();
        assert_eq!(v.to_bits(), scalar.to_bits(), "option {i}: batch and scalar differ");
        let back = keel::black_scholes(kinds[i], 100.0, strike[i], expiry[i], rate[i], div[i], v)
            .unwrap();
        let tol = 1e-12 * prices[i] + 4e-16 * strike[i].max(100.0);
        assert!((back.value - prices[i]).abs() <= tol, "option {i}: {} vs {}", back.value, prices[i]);
    }
}

#[test]
fn buying_a_free_asset_spends_the_whole_budget() {
    let mut m = Market::new().unwrap();
    let usd = m.add_asset("USD", 1.0).unwrap();
    let eth = m.add_asset("ETH", 2450.0).unwrap();
    let c = CostModel::new().unwrap();
    let r = c.swap(&m, usd, eth, 225.00000000000003).unwrap();
    assert_eq!(r.bought, 225.00000000000003 / 2450.0); // one correctly rounded division
    assert_eq!(r.total_cost, 0.0);
}

/// 10 ETH at 2000, maintenance haircut 0.25, 15000 USD owed: L = W = 15000, HF 1 exactly.
fn at_one(vol: f64) -> (Market, Basket, HaircutModel, keel::AssetId) {
    let mut m = Market::new().unwrap();
    let usd = m.add_asset("USD", 1.0).unwrap();
    let eth = m.add_asset("ETH", 2000.0).unwrap();
    m.set_volatility(eth, vol).unwrap();
    let mut h = HaircutModel::new().unwrap();
    h.set_asset(eth, 0.3, 0.25).unwrap();
    let mut b = Basket::new().unwrap();
    b.set_collateral(eth, 10.0).unwrap();
    b.set_debt(usd, 15000.0).unwrap();
    assert_eq!(b.metrics(&m, &h).unwrap().health_factor, 1.0);
    (m, b, h, usd)
}

#[test]
fn health_factor_exactly_1_is_not_liquidatable() {
    let (m, b, h, usd) = at_one(0.0);
    // no volatility, no move: nothing can make it liquidatable
    assert_eq!(keel::liquidation_probability(&m, &b, &h, None, 1.0 / 365.0).unwrap(), 0.0);
    let eth = m.find("ETH").unwrap();
    // 10 p 0.75 = 15000 at p = 2000: spot is the crossing itself
    let (lo, hi) = b.liquidation_prices(&m, &h, eth, None).unwrap();
    assert_eq!((lo, hi), (2000.0, f64::INFINITY));
    // with volatility the predictive policy acts, and its plan ends at HF >= 1
    let (m, b, h, _) = at_one(0.8);
    let p = Policy::predictive(&Predictive { horizon: 1.0 / 365.0, max_probability: 0.01,
                                             repay_asset: Some(usd), swap_to: None,
                                             max_trade_value: 0.0 }).unwrap();
    let c = CostModel::new().unwrap();
    let mut plan = p.plan(&m, &b, &h, &c, None, None).unwrap();
    let mut after = b.clone();
    plan.apply(&mut after).unwrap();
    assert!(after.metrics(&m, &h).unwrap().health_factor > 1.0);
}

#[test]
fn liquidation_prices_with_debt_in_the_collateral_asset() {
    // 10 ETH (maintenance 0.2) against 2 ETH + 12000 USD: L = 8 p, W = 2 p + 12000,
    // so HF = 1 at p = 2000 exactly; at 2500 the nearest crossing below is 2000
    let mut m = Market::new().unwrap();
    let usd = m.add_asset("USD", 1.0).unwrap();
    let eth = m.add_asset("ETH", 2500.0).unwrap();
    let mut h = HaircutModel::new().unwrap();
    h.set_asset(eth, 0.25, 0.2).unwrap();
    let mut b = Basket::new().unwrap();
    b.set_collateral(eth, 10.0).unwrap();
    b.set_debt(eth, 2.0).unwrap();
    b.set_debt(usd, 12000.0).unwrap();
    let (lo, hi) = b.liquidation_prices(&m, &h, eth, None).unwrap();
    close(lo, 2000.0, 1e-15, "below");
    assert_eq!(hi, f64::INFINITY);
    let one = b.liquidation_price(&m, &h, eth).unwrap();
    close(one.price, 2000.0, 1e-15, "liquidation_price");
}

#[test]
fn liquidation_price_with_an_options_book() {
    // 10 ETH (maintenance 0.2) against 14000 USD, long 5 expired puts struck at
    // 1800 on ETH without volatility: L(p) = 8 p + 5 max(1800 - p, 0), W = 14000,
    // so below 1800 L = 3 p + 9000 and HF = 1 at p = 5000 / 3; without the book
    // 8 p = 14000 at p = 1750
    use keel::{LiquidationSide, Options};
    let mut m = Market::new().unwrap();
    let usd = m.add_asset("USD", 1.0).unwrap();
    let eth = m.add_asset("ETH", 2000.0).unwrap();
    let mut h = HaircutModel::new().unwrap();
    h.set_asset(eth, 0.25, 0.2).unwrap();
    let mut b = Basket::new().unwrap();
    b.set_collateral(eth, 10.0).unwrap();
    b.set_debt(usd, 14000.0).unwrap();
    let mut book = Options::new().unwrap();
    book.add(eth, OptionType::Put, 1800.0, 0.0, 5.0).unwrap();
    let with = b.liquidation_price_with(&m, &h, eth, Some(&book)).unwrap();
    assert_eq!(with.side, LiquidationSide::Below);
    close(with.price, 5000.0 / 3.0, 1e-14, "with the book");
    close(b.liquidation_prices(&m, &h, eth, Some(&book)).unwrap().0, 5000.0 / 3.0, 1e-14, "prices");
    let without = b.liquidation_price_with(&m, &h, eth, None).unwrap();
    close(without.price, 1750.0, 1e-15, "without");
    assert_eq!(without.price, b.liquidation_price(&m, &h, eth).unwrap().price);
}

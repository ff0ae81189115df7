//! A backtest on real history: 100 ETH against USDC at health factor 1.6 on
//! the 2021-05-01 close (maintenance haircut 0.17: liquidation threshold
//! 83%), replayed through May 2021 from Binance's daily ETH/USDT candles
//! (examples/data/eth_usdt_daily.csv) -- once on the closes alone, once
//! with each day's low, where a liquidator watching the price all day acts.
//! The whole file is the replay; a window picks May 2021 out of it.
//! Run: cd bindings/rust && cargo run --offline --example history
use std::error::Error;

use keel::{AssetId, Basket, CostModel, EventKind, HaircutModel, Market, Replay, SimParams, Simulation};

/// One daily candle: the day, its low and its close.
struct Day {
    date: String,
    low: f64,
    close: f64,
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Unix time of a "YYYY-MM-DD" day's midnight (UTC).
fn unix_time(date: &str) -> Result<i64, Box<dyn Error>> {
    let mut parts = date.split('-').map(str::parse::<i64>);
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(Ok(y)), Some(Ok(m)), Some(Ok(d)), None) => Ok(days_from_civil(y, m, d) * 86_400),
        _ => Err(format!("not a date: {date:?}").into()),
    }
}

/// The candles of a `date,open,high,low,close,volume` file, in its order.
fn load(path: &str) -> Result<Vec<Day>, Box<dyn Error>> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().ok_or("empty file")?.split(',').collect();
    let col = |name: &str| header.iter().position(|h| h.trim() == name).ok_or(format!("no {name} column"));
    let (date, low, close) = (col("date")?, col("low")?, col("close")?);
    let mut days = Vec::new();
    for (k, line) in lines.enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        let field = |i: usize| f.get(i).map(|s| s.trim()).ok_or(format!("line {}: too few fields", k + 2));
        days.push(Day {
            date: field(date)?.to_owned(),
            low: field(low)?.parse().map_err(|e| format!("line {}: low: {e}", k + 2))?,
            close: field(close)?.parse().map_err(|e| format!("line {}: close: {e}", k + 2))?,
        });
    }
    Ok(days)
}

fn thousands(x: f64) -> String {
    let s = format!("{:.2}", x.abs());
    let (int, frac) = s.split_once('.').unwrap();
    let mut out = String::new();
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{}{out}.{frac}", if x < 0.0 { "-" } else { "" })
}

/// Replays `days` (with their lows or not), runs May 2021 and prints what happened.
fn backtest(days: &[Day], sim: &mut Simulation, eth: AssetId, start: usize, steps: usize, lows: bool)
            -> Result<Vec<String>, Box<dyn Error>> {
    let close: Vec<f64> = days.iter().map(|d| d.close).collect();
    let low: Vec<f64> = days.iter().map(|d| d.low).collect();
    let time = days.iter().map(|d| unix_time(&d.date)).collect::<Result<Vec<i64>, _>>()?;
    let assets = [eth];
    let replay = Replay::new(&assets, 1, days.len(), &close).with_time(&time);
    sim.set_replay(&if lows { replay.with_low(&low) } else { replay })?;
    sim.set_window(start, steps)?;
    let trace = sim.trace(0)?;

    println!("{}:", if lows { "with each day's low" } else { "closes only" });
    let (row, hf) = trace.health_low.iter().copied().enumerate().skip(1)
        .fold((0, f64::INFINITY), |best, (r, h)| if h < best.1 { (r, h) } else { best });
    println!("  lowest health factor {hf:.4} on {} ({} {:.2})", days[start + row].date,
             if lows { "low" } else { "close" }, if lows { days[start + row].low } else { days[start + row].close });
    let mut dates = Vec::new();
    for e in trace.events.iter().filter(|e| e.kind == EventKind::Liquidation) {
        let day = &days[start + e.step as usize];
        let after = if e.health_after.is_finite() { format!("health factor {:.4} after", e.health_after) }
                    else { "no debt left".to_owned() };
        println!("  liquidated on {}: health factor {:.4} at {:.2}; {:.4} ETH seized for {} USDC repaid, \
                  {} USDC lost to the bonus; {after}",
                 day.date, e.health_before, e.value_seized / e.action.quantity, e.action.quantity,
                 thousands(e.action.repaid), thousands(e.bonus_lost));
        dates.push(day.date.clone());
    }
    if dates.is_empty() {
        println!("  no liquidation");
    }
    let last = trace.rows() - 1;
    println!("  on {}: {:.4} ETH, {} USDC owed, equity {} USDC",
             days[start + last].date, trace.collateral_value[last] / trace.prices_at(last)[eth.raw() as usize],
             thousands(trace.debt_value[last]), thousands(trace.equity[last]));
    Ok(dates)
}

fn main() -> Result<(), Box<dyn Error>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../examples/data/eth_usdt_daily.csv");
    let days = load(path)?;
    let start = days.iter().position(|d| d.date == "2021-05-01").ok_or("no 2021-05-01 in the data")?;
    let end = days.iter().position(|d| d.date == "2021-05-31").ok_or("no 2021-05-31 in the data")?;

    // 100 ETH at the 2021-05-01 close, debt for HF 1.6: D = 100 x close x 0.83 / 1.6
    let p0 = days[start].close;
    let debt = 100.0 * p0 * 0.83 / 1.6;
    let mut m = Market::new()?;
    let eth = m.add_asset("ETH", p0)?;
    let usdc = m.add_asset("USDC", 1.0)?;
    let mut h = HaircutModel::new()?;
    h.set_asset(eth, 0.195, 0.17)?;
    let mut b = Basket::new()?;
    b.set_collateral(eth, 100.0)?;
    b.set_debt(usdc, debt)?;
    let hf = b.metrics(&m, &h)?.health_factor;
    println!("100 ETH at {:.2} against {} USDC on {}: health factor {hf:.4}, liquidated below {:.2}",
             p0, thousands(debt), days[start].date, debt / (100.0 * 0.83));
    println!("replaying {} days of ETH/USDT ({} .. {}), window {} .. {}\n",
             days.len(), days[0].date, days[days.len() - 1].date, days[start].date, days[end].date);

    let mut sim = Simulation::new(&m, &b, &h, &CostModel::new()?, None, None, &SimParams::default())?;
    let on_closes = backtest(&days, &mut sim, eth, start, end - start, false)?;
    let with_lows = backtest(&days, &mut sim, eth, start, end - start, true)?;
    let list = |v: &[String]| if v.is_empty() { "none".to_owned() } else { v.join(", ") };
    println!("\nliquidation dates: closes only: {}; with lows: {}", list(&on_closes), list(&with_lows));
    assert!(on_closes.is_empty() && with_lows == ["2021-05-23"], "the history says otherwise");
    Ok(())
}

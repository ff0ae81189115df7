//! Historical replays through the safe wrapper (issue 17): replays with lows
//! and time stamps, windows, volatility that follows the path, traces with
//! their events, per-path values; bad input refused with the simulation
//! unchanged. Every expected number is worked by hand in the comments.
use keel::{ActionKind, AssetId, Basket, CostModel, ErrorKind, EventKind, HaircutModel, HealthBand,
           Market, Policy, Replay, SimParams, Simulation, Trace, VolModel, SECONDS_PER_YEAR};
use keel_sys as sys;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs().max(1.0)
}

macro_rules! assert_close {
    ($a:expr, $b:expr) => {{
        let (a, b): (f64, f64) = ($a, $b);
        assert!(close(a, b), "{} = {a}, expected {b}", stringify!($a));
    }};
}

const DAY: i64 = 86_400;

/// 1 ETH of collateral (maintenance haircut 0.2: liquidation threshold 0.8)
/// against 1200 USDC. The market's ETH price, 2500, is not the replay's
/// start: row 0 of a replay overrides it.
fn account() -> (Market, HaircutModel, Basket, AssetId, AssetId) {
    let mut m = Market::new().unwrap();
    let eth = m.add_asset("ETH", 2500.0).unwrap();
    let usdc = m.add_asset("USDC", 1.0).unwrap();
    let mut h = HaircutModel::new().unwrap();
    h.set_asset(eth, 0.25, 0.2).unwrap();
    let mut b = Basket::new().unwrap();
    b.set_collateral(eth, 1.0).unwrap();
    b.set_debt(usdc, 1200.0).unwrap();
    (m, h, b, eth, usdc)
}

fn simulation(policy: Option<&Policy>) -> (Simulation, AssetId, AssetId) {
    let (m, h, b, eth, usdc) = account();
    // the defaults: close factor 50%, all of it below HF 0.95, bonus 5%, dt 1/365
    let sim = Simulation::new(&m, &b, &h, &CostModel::new().unwrap(), policy, None, &SimParams::default())
        .unwrap();
    (sim, eth, usdc)
}

const CLOSE: [f64; 3] = [2000.0, 1600.0, 1500.0];
const LOW: [f64; 3] = [2000.0, 1600.0, 1400.0];
const TIME: [i64; 3] = [0, DAY, 3 * DAY];

#[test]
fn a_low_liquidates_where_the_close_does_not() {
    let (mut sim, eth, usdc) = simulation(None);
    let assets = [eth];
    sim.set_replay(&Replay::new(&assets, 1, 3, &CLOSE).with_low(&LOW).with_time(&TIME)).unwrap();
    let t = sim.trace(0).unwrap();

    // time: 86400 s = 1/365 year, 3 x 86400 s = 3/365 (both exact quotients)
    assert_eq!(t.time, vec![0.0, 1.0 / 365.0, 3.0 / 365.0]);
    assert_eq!(DAY as f64 / SECONDS_PER_YEAR, 1.0 / 365.0);
    // the closes, ETH then USDC (the market's order); USDC keeps its price 1
    assert_eq!((t.nassets, t.rows()), (2, 3));
    assert_eq!(t.prices, vec![2000.0, 1.0, 1600.0, 1.0, 1500.0, 1.0]);
    assert_eq!(t.prices_at(2), &[1500.0, 1.0]);
    // no volatility anywhere (the market has none, the model is constant)
    assert!(t.volatility.iter().all(|&v| v == 0.0));

    // row 0: HF = 2000 x 0.8 / 1200 = 4/3 (not 2500 x 0.8 / 1200: row 0 overrides the market)
    // row 1: HF = 1600 x 0.8 / 1200 = 16/15, above 1: nothing happens
    assert_close!(t.health[0], 4.0 / 3.0);
    assert_close!(t.health_low[0], 4.0 / 3.0);
    assert_close!(t.health[1], 16.0 / 15.0);
    assert_close!(t.health_low[1], 16.0 / 15.0);
    assert_eq!((t.collateral_value[1], t.debt_value[1]), (1600.0, 1200.0));
    assert_close!(t.equity[1], 400.0);

    // step 2: at the low, HF = 1400 x 0.8 / 1200 = 14/15 = 0.9333 < 1: liquidated at
    // the low. 0.9333 < full_close_below 0.95, so the whole 1200 USDC is repaid and
    // 1200 x 1.05 / 1400 = 0.9 ETH seized (worth 1260 at 1400; 60 lost to the bonus).
    // (At the close, HF = 1500 x 0.8 / 1200 = 1 would not have been liquidated.)
    assert_close!(t.health_low[2], 14.0 / 15.0);
    assert_eq!(t.events.len(), 1);
    let e = t.events[0];
    assert_eq!((e.step, e.kind, e.status), (2, EventKind::Liquidation, None));
    assert_eq!(e.action.kind, ActionKind::SellToRepay);
    assert_eq!((e.action.asset, e.action.debt_asset, e.action.to_asset), (Some(eth), Some(usdc), None));
    assert_close!(e.action.quantity, 0.9);
    assert_close!(e.action.repaid, 1200.0);
    assert_eq!(e.action.received, 0.0);
    assert_close!(e.value_seized, 1260.0);
    assert_close!(e.value_repaid, 1200.0);
    assert_close!(e.bonus_lost, 60.0);
    assert_close!(e.health_before, 14.0 / 15.0);
    assert_eq!(e.health_after, f64::INFINITY); // no debt left

    // row 2, at the close 1500: 0.1 ETH left, worth 150, no debt
    assert_close!(t.collateral_value[2], 150.0);
    assert_eq!(t.debt_value[2], 0.0);
    assert_eq!(t.health[2], f64::INFINITY);
    assert_close!(t.equity[2], 150.0);

    // the run's record of the path holds the same
    let st = sim.run(0, 1).unwrap();
    let (paths, liq) = st.values(sys::KEEL_SIM_LIQUIDATIONS).unwrap();
    assert_eq!((paths, liq), (vec![0], vec![1.0]));
    let (_, min) = st.values(sys::KEEL_SIM_MIN_HEALTH).unwrap();
    assert_close!(min[0], 14.0 / 15.0);
    let (_, bonus) = st.values(sys::KEEL_SIM_BONUS_LOST).unwrap();
    assert_close!(bonus[0], 60.0);
    let (_, equity) = st.values(sys::KEEL_SIM_FINAL_EQUITY).unwrap();
    assert_close!(equity[0], 150.0);
}

#[test]
fn closes_alone_stop_at_the_line() {
    // The same closes without the low: step 2's HF is 1500 x 0.8 / 1200 = 1, not
    // below 1, so nothing is liquidated; the lowest HF is that 1.
    let (mut sim, eth, _) = simulation(None);
    sim.set_replay(&Replay::new(&[eth], 1, 3, &CLOSE).with_time(&TIME)).unwrap();
    let t = sim.trace(0).unwrap();
    assert!(t.events.is_empty());
    assert_close!(t.health[2], 1.0);
    assert_eq!(t.health_low, t.health); // no extremes: the move's HF is the close's
    assert_eq!((t.collateral_value[2], t.debt_value[2]), (1500.0, 1200.0));
    let st = sim.run(0, 1).unwrap();
    assert_eq!(st.values(sys::KEEL_SIM_LIQUIDATIONS).unwrap().1, vec![0.0]);
    assert_close!(st.values(sys::KEEL_SIM_MIN_HEALTH).unwrap().1[0], 1.0);
    // without time stamps every step lasts dt = 1/365
    sim.set_replay(&Replay::new(&[eth], 1, 3, &CLOSE)).unwrap();
    assert_eq!(sim.trace(0).unwrap().time, vec![0.0, 1.0 / 365.0, 2.0 / 365.0]);
}

#[test]
fn the_close_factor_applies_above_full_close_below() {
    // A low of 1480 on step 2: HF = 1480 x 0.8 / 1200 = 1184/1200 = 0.98667, below 1
    // but not below 0.95: half the debt, 600 USDC, is repaid, and
    // 600 x 1.05 / 1480 = 630/1480 = 63/148 ETH seized. Left: 1 - 63/148 = 85/148 ETH
    // (worth 850 at 1480) and 600 USDC: HF 850 x 0.8 / 600 = 17/15 at the low; at the
    // close 1500: 85/148 x 1500 x 0.8 / 600 = 85/148 x 2 = 85/74.
    let (mut sim, eth, usdc) = simulation(None);
    let low = [2000.0, 1600.0, 1480.0];
    sim.set_replay(&Replay::new(&[eth], 1, 3, &CLOSE).with_low(&low).with_time(&TIME)).unwrap();
    let t = sim.trace(0).unwrap();
    assert_eq!(t.events.len(), 1);
    let e = t.events[0];
    assert_eq!((e.step, e.kind, e.action.asset, e.action.debt_asset), (2, EventKind::Liquidation, Some(eth), Some(usdc)));
    assert_close!(e.health_before, 1184.0 / 1200.0);
    assert_close!(e.action.repaid, 600.0);
    assert_close!(e.action.quantity, 63.0 / 148.0);
    assert_close!(e.value_seized, 630.0);
    assert_close!(e.bonus_lost, 30.0);
    assert_close!(e.health_after, 17.0 / 15.0);
    assert_close!(t.health[2], 85.0 / 74.0);
    assert_close!(t.collateral_value[2], 85.0 / 148.0 * 1500.0);
    assert_close!(t.debt_value[2], 600.0);
}

#[test]
fn a_window_runs_part_of_the_replay() {
    // Rows 1 ..= 2 only: the start is row 1's close (HF 16/15), one step of
    // (3 - 1) days = 2/365 year, liquidated at the low as before.
    let (mut sim, eth, _) = simulation(None);
    sim.set_replay(&Replay::new(&[eth], 1, 3, &CLOSE).with_low(&LOW).with_time(&TIME)).unwrap();
    sim.set_window(1, 1).unwrap();
    let t = sim.trace(0).unwrap();
    assert_eq!(t.rows(), 2);
    assert_eq!(t.time[0], 0.0);
    assert_close!(t.time[1], 2.0 / 365.0);
    assert_eq!(t.prices, vec![1600.0, 1.0, 1500.0, 1.0]);
    assert_close!(t.health[0], 16.0 / 15.0);
    assert_eq!(t.events.len(), 1);
    assert_eq!(t.events[0].step, 1);
    assert_close!(t.events[0].action.quantity, 0.9);
    // steps 0: to the last row, the same window here
    sim.set_window(1, 0).unwrap();
    assert_eq!(sim.trace(0).unwrap(), t);
    // a window must start before the last row and stay within it; nothing changes
    for (start, steps) in [(2, 0), (2, 1), (0, 3), (1, 2), (usize::MAX, 1), (0, usize::MAX)] {
        assert_eq!(sim.set_window(start, steps).unwrap_err().kind, ErrorKind::OutOfRange, "{start} {steps}");
    }
    assert_eq!(sim.trace(0).unwrap(), t);
    // a new replay resets the window to the whole of it
    sim.set_replay(&Replay::new(&[eth], 1, 3, &CLOSE).with_low(&LOW).with_time(&TIME)).unwrap();
    assert_eq!(sim.trace(0).unwrap().rows(), 3);
    // no replay: no window
    let (mut model, _, _) = simulation(None);
    assert_eq!(model.set_window(0, 1).unwrap_err().kind, ErrorKind::OutOfRange);
}

#[test]
fn volatility_follows_the_replay() {
    // EWMA, lambda 0.94, daily period, initial variance 0.0004 per day:
    // row 0: sqrt(0.0004 x 365) per year.
    // step 1 (1 day = the period): r1 = ln(1600/2000), var1 = 0.94 x 0.0004 + 0.06 r1^2.
    // step 2 (2 days): r2 = ln(1500/1600) x sqrt(1/2) (scaled to a day),
    //   var2 = 0.94 var1 + 0.06 r2^2. The market's volatility is sqrt(var / period).
    let (mut sim, eth, usdc) = simulation(None);
    sim.set_replay(&Replay::new(&[eth], 1, 3, &CLOSE).with_time(&TIME)).unwrap();
    let model = VolModel::Ewma { lambda: 0.94, period: 1.0 / 365.0, initial_variance: 0.0004 };
    sim.set_volatility(eth, model).unwrap();
    let var0 = 0.0004;
    let r1 = (1600.0f64 / 2000.0).ln();
    let var1 = 0.94 * var0 + 0.06 * r1 * r1;
    let r2 = (1500.0f64 / 1600.0).ln() * 0.5f64.sqrt();
    let var2 = 0.94 * var1 + 0.06 * r2 * r2;
    let t = sim.trace(0).unwrap();
    let vol_eth: Vec<f64> = (0..3).map(|r| t.volatility[r * t.nassets + eth.raw() as usize]).collect();
    assert_close!(vol_eth[0], (var0 * 365.0).sqrt());
    assert_close!(vol_eth[1], (var1 * 365.0).sqrt());
    assert_close!(vol_eth[2], (var2 * 365.0).sqrt());
    assert!((0..3).all(|r| t.volatility[r * t.nassets + usdc.raw() as usize] == 0.0));
    // the health factors are the constant model's (no add-on reads the volatility)
    assert_close!(t.health[1], 16.0 / 15.0);

    // a window starting at row 1 starts with row 1's variance
    sim.set_window(1, 0).unwrap();
    let w = sim.trace(0).unwrap();
    assert_close!(w.volatility[eth.raw() as usize], (var1 * 365.0).sqrt());
    assert_close!(w.volatility[w.nassets + eth.raw() as usize], (var2 * 365.0).sqrt());

    // GARCH started at its long-run variance omega / (1 - alpha - beta)
    // = 0.00001 / 0.05 = 0.0002 per day
    let garch = VolModel::Garch { omega: 0.00001, alpha: 0.1, beta: 0.85, period: 1.0 / 365.0,
                                  initial_variance: 0.0, drives: false };
    sim.set_volatility(eth, garch).unwrap();
    sim.set_window(0, 0).unwrap();
    let g = sim.trace(0).unwrap();
    assert_close!(g.volatility[eth.raw() as usize], (0.0002f64 * 365.0).sqrt());
    let g1 = 0.00001 + 0.1 * r1 * r1 + 0.85 * 0.0002;
    assert_close!(g.volatility[g.nassets + eth.raw() as usize], (g1 * 365.0).sqrt());

    // back to constant: the market's (0)
    sim.set_volatility(eth, VolModel::Constant).unwrap();
    assert!(sim.trace(0).unwrap().volatility.iter().all(|&v| v == 0.0));
    // RiskMetrics: the header's decay and period
    assert_eq!(VolModel::riskmetrics(),
               VolModel::Ewma { lambda: 0.94, period: 1.0 / 365.0, initial_variance: 0.0 });
}

#[test]
fn bad_volatility_models_change_nothing() {
    let (mut sim, eth, _) = simulation(None);
    sim.set_replay(&Replay::new(&[eth], 1, 3, &CLOSE).with_time(&TIME)).unwrap();
    let ewma = VolModel::Ewma { lambda: 0.94, period: 1.0 / 365.0, initial_variance: 0.0004 };
    sim.set_volatility(eth, ewma).unwrap();
    let before = sim.trace(0).unwrap();
    let garch = |alpha: f64, beta: f64| VolModel::Garch { omega: 1e-5, alpha, beta, period: 1.0 / 365.0,
                                                         initial_variance: 0.0, drives: false };
    let bad = [
        (VolModel::Ewma { lambda: 1.0, period: 1.0 / 365.0, initial_variance: 0.0 }, ErrorKind::OutOfRange),
        (VolModel::Ewma { lambda: 0.0, period: 1.0 / 365.0, initial_variance: 0.0 }, ErrorKind::OutOfRange),
        (VolModel::Ewma { lambda: f64::NAN, period: 1.0 / 365.0, initial_variance: 0.0 }, ErrorKind::NotFinite),
        (VolModel::Ewma { lambda: 0.94, period: 0.0, initial_variance: 0.0 }, ErrorKind::OutOfRange),
        (VolModel::Ewma { lambda: 0.94, period: 1.0 / 365.0, initial_variance: -1.0 }, ErrorKind::OutOfRange),
        (garch(0.5, 0.5), ErrorKind::OutOfRange), // alpha + beta = 1: not stationary
        (garch(-0.1, 0.5), ErrorKind::OutOfRange),
        (garch(0.1, f64::INFINITY), ErrorKind::NotFinite),
    ];
    for (model, kind) in bad {
        assert_eq!(sim.set_volatility(eth, model).unwrap_err().kind, kind, "{model:?}");
    }
    assert_eq!(sim.set_volatility(AssetId::from_raw(9), ewma).unwrap_err().kind, ErrorKind::UnknownAsset);
    assert_eq!(sim.trace(0).unwrap(), before);
}

#[test]
fn bad_replays_are_refused_and_change_nothing() {
    let (mut sim, eth, usdc) = simulation(None);
    let (eths, both, twice, unknown) = ([eth], [eth, usdc], [eth, eth], [AssetId::from_raw(9)]);
    let short = [2000.0, 1600.0];
    let nan = [2000.0, f64::NAN, 1500.0];
    let (low_above, high_below, infinite) = ([2000.0, 1700.0, 1400.0], [2000.0, 1600.0, 1499.0],
                                             [2000.0, 1600.0, f64::INFINITY]);
    let (zero, negative, flat) = ([2000.0, 0.0, 1500.0], [2000.0, -1.0, 1400.0], [2000.0; 6]);
    let (stamps2, repeated, decreasing, span) = ([0, DAY], [0, DAY, DAY], [0, DAY, -DAY], [i64::MIN, 0, i64::MAX]);
    let good = Replay::new(&eths, 1, 3, &CLOSE).with_low(&LOW).with_time(&TIME);
    sim.set_replay(&good).unwrap();
    let before = sim.trace(0).unwrap();
    let summary = sim.run(0, 1).unwrap().summary().unwrap();
    assert_eq!(summary.mean_liquidations, 1.0);

    let cases: Vec<(&str, Replay<'_>, ErrorKind)> = vec![
        // slices of another length than the shape: refused before C reads them
        ("close too short", Replay::new(&eths, 1, 3, &short), ErrorKind::OutOfRange),
        ("close for 2 paths", Replay::new(&eths, 2, 3, &CLOSE), ErrorKind::OutOfRange),
        ("low too short", Replay { low: Some(&short), ..good }, ErrorKind::OutOfRange),
        ("high too short", Replay { high: Some(&short), ..good }, ErrorKind::OutOfRange),
        ("time too short", Replay { time: Some(&stamps2), ..good }, ErrorKind::OutOfRange),
        ("two assets' worth", Replay::new(&both, 1, 3, &CLOSE), ErrorKind::OutOfRange),
        // paths x rows x assets past usize: no wrap into a small length
        ("overflow", Replay::new(&eths, usize::MAX, 2, &CLOSE), ErrorKind::Overflow),
        ("overflow by assets", Replay::new(&both, usize::MAX / 2 + 1, 1, &CLOSE), ErrorKind::Overflow),
        // the library's checks
        ("low above close", Replay { low: Some(&low_above), ..good }, ErrorKind::OutOfRange),
        ("high below close", Replay { high: Some(&high_below), ..good }, ErrorKind::OutOfRange),
        ("times not increasing", Replay { time: Some(&repeated), ..good }, ErrorKind::OutOfRange),
        ("times decreasing", Replay { time: Some(&decreasing), ..good }, ErrorKind::OutOfRange),
        ("NaN close", Replay { close: &nan, low: None, ..good }, ErrorKind::NotFinite),
        ("NaN low", Replay { low: Some(&nan), ..good }, ErrorKind::NotFinite),
        ("infinite high", Replay { high: Some(&infinite), ..good }, ErrorKind::NotFinite),
        ("price 0", Replay { close: &zero, low: None, ..good }, ErrorKind::OutOfRange),
        ("negative low", Replay { low: Some(&negative), ..good }, ErrorKind::OutOfRange),
        ("one row", Replay::new(&eths, 1, 1, &CLOSE[..1]), ErrorKind::OutOfRange),
        ("no paths", Replay::new(&eths, 0, 3, &[]), ErrorKind::OutOfRange),
        ("no assets", Replay::new(&[], 1, 3, &[]), ErrorKind::OutOfRange),
        ("unknown asset", Replay::new(&unknown, 1, 3, &CLOSE), ErrorKind::UnknownAsset),
        ("an asset twice", Replay::new(&twice, 1, 3, &flat), ErrorKind::OutOfRange),
    ];
    for (what, replay, kind) in cases {
        let e = sim.set_replay(&replay).unwrap_err();
        assert_eq!(e.kind, kind, "{what}: {}", e.detail);
        assert!(!e.detail.is_empty(), "{what}");
        // the simulation is unchanged: the old replay, with its low and stamps
        assert_eq!(sim.trace(0).unwrap(), before, "{what}");
        assert_eq!(sim.run(0, 1).unwrap().summary().unwrap(), summary, "{what}");
    }
    // the detail names where the bad value is (the library's text)
    let e = sim.set_replay(&Replay { low: Some(&nan), ..good }).unwrap_err();
    assert!(e.detail.contains("row 1"), "{}", e.detail);
    // a window that was set survives a refused replay too
    sim.set_window(1, 1).unwrap();
    let windowed = sim.trace(0).unwrap();
    assert!(sim.set_replay(&Replay::new(&eths, 1, 3, &short)).is_err());
    assert!(sim.set_replay(&Replay { time: Some(&repeated), ..good }).is_err());
    assert_eq!(sim.trace(0).unwrap(), windowed);
    // stamps across the whole i64 range increase, so they are accepted; the
    // library differences them without overflow: (2^64 - 1) s at the last row
    sim.set_replay(&Replay { time: Some(&span), ..good }).unwrap();
    let t = sim.trace(0).unwrap();
    assert_eq!(t.time[2], 18_446_744_073_709_551_615.0 / 31_536_000.0);
}

#[test]
fn values_per_path_and_traces_of_each_path() {
    // Two aligned paths: the first liquidated at step 2's low as above, the second
    // rising (2000, 2100, 2200: HF 4/3, 1.4, 1.4667) never.
    let (mut sim, eth, _) = simulation(None);
    let close = [2000.0, 1600.0, 1500.0, 2000.0, 2100.0, 2200.0];
    let low = [2000.0, 1600.0, 1400.0, 2000.0, 2100.0, 2200.0];
    sim.set_replay(&Replay::new(&[eth], 2, 3, &close).with_low(&low).with_time(&TIME)).unwrap();
    let all = sim.run(0, 2).unwrap();
    assert_eq!(all.values(sys::KEEL_SIM_LIQUIDATIONS).unwrap(), (vec![0, 1], vec![1.0, 0.0]));
    let (paths, min) = all.values(sys::KEEL_SIM_MIN_HEALTH).unwrap();
    assert_eq!(paths, vec![0, 1]);
    assert_close!(min[0], 14.0 / 15.0);
    assert_close!(min[1], 2100.0 * 0.8 / 1200.0); // 1.4 after step 1: the minimum is over the moves, not the start
    let (_, fin) = all.values(sys::KEEL_SIM_FINAL_HEALTH).unwrap();
    assert_eq!(fin[0], f64::INFINITY);
    assert_close!(fin[1], 2200.0 * 0.8 / 1200.0);
    // shards merge into the same values
    let mut second = sim.run(1, 1).unwrap();
    assert_eq!(second.values(sys::KEEL_SIM_LIQUIDATIONS).unwrap(), (vec![1], vec![0.0]));
    second.merge(&sim.run(0, 1).unwrap()).unwrap();
    assert_eq!(second.values(sys::KEEL_SIM_MIN_HEALTH).unwrap(), (paths, min));
    // an unknown metric
    assert_eq!(all.values(99).unwrap_err().kind, ErrorKind::OutOfRange);
    assert_eq!(all.values(-1).unwrap_err().kind, ErrorKind::OutOfRange);

    let t1: Trace = sim.trace(1).unwrap();
    assert!(t1.events.is_empty());
    assert_eq!(t1.prices_at(2), &[2200.0, 1.0]);
    assert_close!(t1.health[2], 2200.0 * 0.8 / 1200.0);
    assert_eq!(sim.trace(0).unwrap().events.len(), 1);
    assert_eq!(sim.trace(2).unwrap_err().kind, ErrorKind::OutOfRange); // two paths replayed
}

#[test]
fn a_trace_makes_room_for_every_event() {
    // A health band told to repay asset 7, which the market lacks, fails on every
    // turn below HF 1.3: 30 steps at 1600 (HF 16/15) are 30 policy failures, more
    // than the trace's first guess of room; all are returned, with the status.
    let bad = Policy::health_band(&HealthBand { debt_asset: Some(AssetId::from_raw(7)), ..Default::default() })
        .unwrap();
    let (mut sim, eth, _) = simulation(Some(&bad));
    let mut close = vec![1600.0; 31];
    close[0] = 2000.0; // HF 4/3 at the start: the policy is not asked before step 1
    sim.set_replay(&Replay::new(&[eth], 1, 31, &close)).unwrap();
    let t = sim.trace(0).unwrap();
    assert_eq!(t.rows(), 31);
    assert_eq!(t.events.len(), 30);
    for (k, e) in t.events.iter().enumerate() {
        assert_eq!((e.step, e.kind), (k as u32 + 1, EventKind::PolicyFailure));
        assert_eq!(e.status, Some(ErrorKind::UnknownAsset));
        assert_close!(e.health_before, 16.0 / 15.0);
        assert_eq!(e.health_after, e.health_before);
        assert_eq!((e.action.quantity, e.action.repaid), (0.0, 0.0));
    }
    let s = sim.run(0, 1).unwrap().summary().unwrap();
    assert_eq!(s.policy_failures, 30);
}

#[test]
fn a_trace_is_the_run_s_path() {
    // keel_sim_trace_path runs the path keel_sim_run runs: its lowest health
    // factor after a move, its end and its liquidations are the run's record,
    // here for Monte Carlo paths with a policy and a GARCH filter driving them.
    let (mut m, h, b, eth, usdc) = account();
    m.set_price(eth, 2000.0).unwrap();
    m.set_volatility(eth, 0.9).unwrap();
    let band = Policy::health_band(&HealthBand { debt_asset: Some(usdc), ..Default::default() }).unwrap();
    let p = SimParams { steps: 60, ..Default::default() };
    let mut sim = Simulation::new(&m, &b, &h, &CostModel::new().unwrap(), Some(&band), None, &p).unwrap();
    sim.set_volatility(eth, VolModel::Garch { omega: 2e-5, alpha: 0.1, beta: 0.85, period: 1.0 / 365.0,
                                              initial_variance: 0.0, drives: true }).unwrap();
    let st = sim.run(0, 40).unwrap();
    let (paths, min) = st.values(sys::KEEL_SIM_MIN_HEALTH).unwrap();
    let (_, fin) = st.values(sys::KEEL_SIM_FINAL_HEALTH).unwrap();
    let (_, eq) = st.values(sys::KEEL_SIM_FINAL_EQUITY).unwrap();
    let (_, liq) = st.values(sys::KEEL_SIM_LIQUIDATIONS).unwrap();
    assert_eq!(paths, (0..40).collect::<Vec<u64>>());
    let mut rebalanced = 0;
    for (k, &path) in paths.iter().enumerate() {
        let t = sim.trace(path).unwrap();
        assert_eq!(t.rows(), 61);
        let low = t.health_low[1..].iter().copied().fold(f64::INFINITY, f64::min);
        assert_eq!(low.to_bits(), min[k].to_bits(), "path {path}");
        assert_eq!(t.health[60].to_bits(), fin[k].to_bits(), "path {path}");
        assert_eq!(t.equity[60].to_bits(), eq[k].to_bits(), "path {path}");
        let liquidations = t.events.iter().filter(|e| e.kind == EventKind::Liquidation).count();
        assert_eq!(liquidations as f64, liq[k], "path {path}");
        rebalanced += t.events.iter().filter(|e| e.kind == EventKind::Rebalance).count();
        // time is step x dt without stamps
        assert_eq!(t.time[60], 60.0 * (1.0 / 365.0));
    }
    let s = st.summary().unwrap();
    assert!(rebalanced > 0);
    assert_close!(s.mean_trades * 40.0, rebalanced as f64);
}

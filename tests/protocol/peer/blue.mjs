// Runs @morpho-org/blue-sdk (Morpho's own TypeScript SDK) on keel's Morpho Blue test cases.
//
//   node blue.mjs < cases.json > results.json
//
// stdin:  a JSON list of cases, every integer a decimal string:
//         {"market": {"price", "lltv", "tsa", "tss", "tba", "tbs", "fee", "last_update"},
//          "position": {"supply_shares", "borrow_shares", "collateral"},
//          "check": {...keel's answers to verify with the SDK's own simulation...}}
//         "check" (optional) holds "max_borrow", "max_withdraw", "liquidation_price",
//         "repay_assets" + "target", "repaid_shares" (a liquidation by shares),
//         "seized_assets" (a liquidation by seized collateral), "rate" + "elapsed".
// stdout: a JSON list, one object per case, every integer a decimal string:
//         what the SDK computes through its public API (AccrualPosition getters,
//         MarketUtils, Market.borrow / AccrualPosition.withdrawCollateral / repay,
//         which throw where the contract reverts), or {"error": message}.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AccrualPosition, Market, MarketParams, MarketUtils } from '@morpho-org/blue-sdk';

// the package's "exports" hide its package.json: read it from node_modules
const HERE = dirname(fileURLToPath(import.meta.url));
const sdkVersion = JSON.parse(readFileSync(
  join(HERE, 'node_modules', '@morpho-org', 'blue-sdk', 'package.json'), 'utf8')).version;

const big = (x) => BigInt(x);
const out = (x) => (x === undefined || x === null ? null : typeof x === 'bigint' ? x.toString() : x);
const ADDR = (n) => '0x' + n.toString(16).padStart(40, '0');

function makeMarket(m, price) {
  const params = new MarketParams({
    loanToken: ADDR(1), collateralToken: ADDR(2), oracle: ADDR(3), irm: ADDR(4), lltv: big(m.lltv),
  });
  return new Market({
    params, totalSupplyAssets: big(m.tsa), totalBorrowAssets: big(m.tba),
    totalSupplyShares: big(m.tss), totalBorrowShares: big(m.tbs),
    lastUpdate: big(m.last_update), fee: big(m.fee), price: price === undefined ? big(m.price) : price,
  });
}

function position(p, market) {
  return new AccrualPosition({
    user: ADDR(5), supplyShares: big(p.supply_shares), borrowShares: big(p.borrow_shares),
    collateral: big(p.collateral),
  }, market);
}

// Does the SDK's simulation accept the action? (it throws the contract's errors)
function accepts(fn) {
  try { fn(); return true; } catch (e) { return false; }
}

function runCase(c) {
  const market = makeMarket(c.market);
  const t = big(c.market.last_update);
  const pos = position(c.position, market);
  const r = {
    borrow_assets: out(pos.borrowAssets),
    supply_assets: out(pos.supplyAssets),
    collateral_value: out(pos.collateralValue),
    max_borrow: out(pos.maxBorrowAssets),
    health_factor: out(pos.healthFactor),
    healthy: pos.isHealthy,
    incentive_factor: out(market.params.liquidationIncentiveFactor),
  };
  const k = c.check || {};
  if (k.repaid_shares !== undefined) {
    r.seized_for_shares = out(market.getLiquidationSeizedAssets(big(k.repaid_shares)));
  }
  if (k.seized_assets !== undefined) {
    r.shares_for_seized = out(market.getLiquidationRepaidShares(big(k.seized_assets)));
  }
  if (k.max_borrow !== undefined) {
    const a = big(k.max_borrow);
    r.borrow_ok = a === 0n ? true : accepts(() => pos.borrow(a, 0n, t));
    r.borrow_more_ok = accepts(() => pos.borrow(a + 1n, 0n, t));
  }
  if (k.max_withdraw !== undefined) {
    const w = big(k.max_withdraw);
    r.withdraw_ok = accepts(() => pos.withdrawCollateral(w, t));
    r.withdraw_more_ok = accepts(() => pos.withdrawCollateral(w + 1n, t));
  }
  if (k.liquidation_price !== undefined) {
    const p = big(k.liquidation_price);
    r.healthy_at_price = position(c.position, makeMarket(c.market, p)).isHealthy;
    r.healthy_above_price = position(c.position, makeMarket(c.market, p + 1n)).isHealthy;
    r.sdk_liquidation_price = out(pos.liquidationPrice);
  }
  if (k.repay_assets !== undefined) {
    const a = big(k.repay_assets);
    const hf = (amount) => {
      try { return pos.repay(amount, 0n, t).position.healthFactor; } catch (e) { return null; }
    };
    r.hf_after_repay = out(a === 0n ? pos.healthFactor : hf(a));
    r.hf_after_repay_less = a > 0n ? out(a === 1n ? pos.healthFactor : hf(a - 1n)) : null;
  }
  if (k.rate !== undefined) {
    const { interest, feeShares } = MarketUtils.getAccruedInterest(big(k.rate), market, big(k.elapsed));
    r.interest = out(interest);
    r.fee_shares = out(feeShares);
  }
  return r;
}

const cases = JSON.parse(readFileSync(0, 'utf8'));
const results = cases.map((c) => {
  try { return runCase(c); } catch (e) { return { error: String(e && e.message || e) }; }
});
process.stdout.write(JSON.stringify({ version: sdkVersion, results }));

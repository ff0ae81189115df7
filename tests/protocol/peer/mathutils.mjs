// Runs @aave/math-utils (the Aave interface's own account math) on keel's test cases.
//
//   node mathutils.mjs < cases.json > results.json
//
// stdin:  a JSON list of cases {"market": ..., "account": ...[, "time": ...]} in the
//         format of tests/protocol/aave_ref.py.  Every integer above 2**53 must be a
//         JSON string (JSON numbers lose digits in JavaScript); strings are accepted
//         for every integer.
//         "time" (optional) = {"last_update": t0, "now": t1,
//                              "rates": [[liquidity_rate, variable_borrow_rate], ...]}
//         one pair of ray rates per reserve; without it the indexes are used as they
//         are (rates 0, last update = now).
// stdout: a JSON list, one object per case, with what math-utils computes through its
//         public pipeline formatReserves -> formatUserSummary (what app.aave.com does):
//         the strings it returns, unchanged (market-reference values normalized by 8
//         decimals, token amounts by the reserve's decimals), or {"error": message}.
//         Per reserve, also getReserveNormalizedIncome and
//         rayMul(calculateCompoundedInterest, index) for the accrual check.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const mu = require('@aave/math-utils');
const muVersion = require('@aave/math-utils/package.json').version;

const MARKET_REFERENCE_DECIMALS = 8; // base currency of Aave v3 oracles: USD with 8 decimals
const MARKET_REFERENCE_PRICE_IN_USD = '100000000'; // 1 base unit of the reference = 1 USD

const str = (x) => (typeof x === 'string' ? x : typeof x === 'bigint' ? x.toString() : String(x));
const bits = (x) => BigInt(str(x)).toString(2); // math-utils reads bitmaps as binary strings
const assetOf = (id) => '0x' + (id + 1).toString(16).padStart(40, '0');

function runCase(c) {
  const { market, account } = c;
  const t = c.time || null;
  const now = t ? Number(t.now) : 1700000000;
  const last = t ? Number(t.last_update) : now;
  const eModes = Object.entries(market.emodes || {}).map(([id, e]) => ({
    id: Number(id),
    eMode: {
      ltv: str(e.ltv),
      liquidationThreshold: str(e.liquidation_threshold),
      liquidationBonus: str(e.liquidation_bonus),
      collateralBitmap: bits(e.collateral_bitmap),
      borrowableBitmap: bits(e.borrowable_bitmap),
      ltvzeroBitmap: bits(e.ltvzero_bitmap || 0),
      isolated: false,
      label: 'category ' + id,
    },
  }));
  const reserves = market.reserves.map((r, id) => ({
    originalId: id,
    id: assetOf(id) + '-pool',
    symbol: 'R' + id,
    name: 'reserve ' + id,
    decimals: Number(r.decimals),
    underlyingAsset: assetOf(id),
    usageAsCollateralEnabled: str(r.liquidation_threshold) !== '0',
    reserveFactor: '0',
    baseLTVasCollateral: str(r.ltv),
    reserveLiquidationThreshold: str(r.liquidation_threshold),
    reserveLiquidationBonus: str(r.liquidation_bonus),
    liquidityIndex: str(r.liquidity_index),
    variableBorrowIndex: str(r.variable_borrow_index),
    liquidityRate: t ? str(t.rates[id][0]) : '0',
    variableBorrowRate: t ? str(t.rates[id][1]) : '0',
    availableLiquidity: '0',
    totalScaledVariableDebt: '0',
    lastUpdateTimestamp: last,
    borrowCap: '0',
    supplyCap: '0',
    debtCeiling: str(r.debt_ceiling || 0),
    debtCeilingDecimals: 2,
    isolationModeTotalDebt: '0',
    virtualUnderlyingBalance: '0',
    deficit: '0',
    priceInMarketReferenceCurrency: str(r.price),
  }));
  const formattedReserves = mu.formatReserves({
    reserves,
    eModes,
    currentTimestamp: now,
    marketReferencePriceInUsd: MARKET_REFERENCE_PRICE_IN_USD,
    marketReferenceCurrencyDecimals: MARKET_REFERENCE_DECIMALS,
  });
  const userReserves = account.positions.map((p) => ({
    underlyingAsset: assetOf(Number(p.reserve)),
    scaledATokenBalance: str(p.scaled_supply || 0),
    usageAsCollateralEnabledOnUser: !!p.collateral,
    scaledVariableDebt: str(p.scaled_debt || 0),
  }));
  const s = mu.formatUserSummary({
    currentTimestamp: now,
    marketReferencePriceInUsd: MARKET_REFERENCE_PRICE_IN_USD,
    marketReferenceCurrencyDecimals: MARKET_REFERENCE_DECIMALS,
    userReserves,
    formattedReserves,
    userEmodeCategoryId: Number(account.emode || 0),
  });
  const indexes = reserves.map((r) => ({
    normalized_income: mu
      .getReserveNormalizedIncome({
        rate: r.liquidityRate,
        index: r.liquidityIndex,
        lastUpdateTimestamp: last,
        currentTimestamp: now,
      })
      .toFixed(),
    normalized_debt: mu
      .rayMul(
        mu.calculateCompoundedInterest({
          rate: r.variableBorrowRate,
          lastUpdateTimestamp: last,
          currentTimestamp: now,
        }),
        r.variableBorrowIndex,
      )
      .toFixed(),
  }));
  return {
    healthFactor: s.healthFactor,
    totalCollateralMarketReferenceCurrency: s.totalCollateralMarketReferenceCurrency,
    totalBorrowsMarketReferenceCurrency: s.totalBorrowsMarketReferenceCurrency,
    availableBorrowsMarketReferenceCurrency: s.availableBorrowsMarketReferenceCurrency,
    currentLiquidationThreshold: s.currentLiquidationThreshold,
    currentLoanToValue: s.currentLoanToValue,
    isInIsolationMode: s.isInIsolationMode,
    userReserves: s.userReservesData.map((u) => ({
      reserve: u.reserve.originalId,
      underlyingBalance: u.underlyingBalance,
      variableBorrows: u.variableBorrows,
      underlyingBalanceMarketReferenceCurrency: u.underlyingBalanceMarketReferenceCurrency,
      variableBorrowsMarketReferenceCurrency: u.variableBorrowsMarketReferenceCurrency,
    })),
    indexes,
  };
}

const input = readFileSync(0, 'utf8');
const cases = JSON.parse(input);
if (!Array.isArray(cases)) {
  process.stderr.write('mathutils.mjs: stdin must be a JSON list of cases\n');
  process.exit(2);
}
const out = cases.map((c) => {
  try {
    return runCase(c);
  } catch (e) {
    return { error: String(e && e.stack ? e.stack : e) };
  }
});
process.stdout.write(JSON.stringify({ mathUtilsVersion: muVersion, results: out }) + '\n');

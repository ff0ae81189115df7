/* An Aave v3 account exactly as the chain computes it, from C: WETH and USDC with the
 * parameters and oracle answers of Aave v3 Ethereum on 2023-10-31 (examples/data/, the
 * governance report of bgd-labs/aave-proposals-v3). Prints getUserAccountData, the WETH
 * price at which the account becomes liquidatable, and, after WETH falls to that price,
 * the liquidation a liquidator would make.
 * Run: ./build/examples/c/keel-aave */
#include <stdio.h>
#include <stdlib.h>

#include <keel.h>

static void die(keel_status s)
{
    if (s != KEEL_OK) {
        fprintf(stderr, "keel: %s: %s\n", keel_status_str(s), keel_last_error());
        exit(1);
    }
}

/* An integer amount of wei as whole tokens with `digits` decimals (no float). */
static void print_units(keel_u256 v, unsigned decimals, unsigned digits)
{
    char buf[KEEL_U256_DECIMAL_MAX + 2];
    die(keel_u256_to_string(v, buf, sizeof buf));
    size_t n = 0;
    while (buf[n])
        n++;
    if (n <= decimals) { /* pad to one whole digit */
        printf("0.");
        for (size_t i = n; i < decimals && digits; i++, digits--)
            putchar('0');
        for (size_t i = 0; i < n && digits; i++, digits--)
            putchar(buf[i]);
        return;
    }
    fwrite(buf, 1, n - decimals, stdout);
    if (digits) {
        putchar('.');
        fwrite(buf + n - decimals, 1, digits < decimals ? digits : decimals, stdout);
    }
}

int main(void)
{
    keel_aave_market *m;
    die(keel_aave_market_new(KEEL_AAVE_V3_6, &m));
    keel_aave_reserve r = KEEL_AAVE_RESERVE_INIT;
    uint32_t weth, usdc;
    r.decimals = 18, r.ltv = 8050, r.liquidation_threshold = 8300, r.liquidation_bonus = 10500;
    r.liquidation_protocol_fee = 1000, r.price = keel_u256_from_u64(181685499606ull);
    die(keel_aave_market_add_reserve(m, "WETH", &r, &weth));
    r.decimals = 6, r.ltv = 7700, r.liquidation_threshold = 8000, r.liquidation_bonus = 10450;
    r.liquidation_protocol_fee = 2000, r.price = keel_u256_from_u64(99997427ull);
    die(keel_aave_market_add_reserve(m, "USDC", &r, &usdc));

    /* 100 WETH (wei) against 100,000 USDC (its 6-decimal units) */
    keel_aave_account *a;
    die(keel_aave_account_new(&a));
    keel_u256 supply, debt, zero = keel_u256_from_u64(0);
    die(keel_u256_from_string("100000000000000000000", &supply));
    debt = keel_u256_from_u64(100000ull * 1000000ull);
    die(keel_aave_account_set_position(a, m, weth, supply, zero,
                                       KEEL_AAVE_COLLATERAL | KEEL_AAVE_UNDERLYING));
    die(keel_aave_account_set_position(a, m, usdc, zero, debt, KEEL_AAVE_UNDERLYING));

    keel_aave_account_data d = KEEL_AAVE_ACCOUNT_DATA_INIT;
    die(keel_aave_user_account_data(m, a, &d));
    printf("100 WETH against 100,000 USDC on Aave v3.6 (2023-10-31 prices)\n");
    printf("  collateral $");
    print_units(d.total_collateral_base, 8, 2);
    printf(", debt $");
    print_units(d.total_debt_base, 8, 2);
    printf(", health factor ");
    print_units(d.health_factor, 18, 18);
    printf("\n");

    keel_aave_price_boundary b = KEEL_AAVE_PRICE_BOUNDARY_INIT;
    die(keel_aave_liquidation_price(m, a, weth, &b));
    printf("  liquidatable when WETH <= $");
    print_units(b.price, 8, 8);
    printf(" (the oracle's last unit on the healthy side is one above)\n");

    die(keel_aave_market_set_price(m, weth, b.price));
    keel_aave_liquidation q = KEEL_AAVE_LIQUIDATION_INIT;
    die(keel_aave_best_liquidation(m, a, &q));
    printf("at that price a liquidator repays ");
    print_units(q.debt_repaid, 6, 6);
    printf(" USDC and receives ");
    print_units(q.collateral_to_liquidator, 18, 18);
    printf(" WETH (");
    print_units(q.protocol_fee, 18, 18);
    printf(" WETH to the treasury); profit $%.2f before gas\n", q.profit_base / 1e8);

    keel_u256 repay;
    die(keel_aave_repay_to_target(m, a, usdc, keel_u256_from_u64(1200000000000000000ull), &repay));
    printf("or, at that price, the owner repays ");
    print_units(repay, 6, 6);
    printf(" USDC first and is back at HF 1.2\n");
    keel_aave_account_free(a);
    keel_aave_market_free(m);
    return 0;
}

/* Built by tests/check_install.sh against an installed keel with nothing but
 * `pkg-config --cflags --libs keel`: proves the installed headers, library
 * and keel.pc work together. 10 ETH at 2000 with h_maint 0.17 against 12000
 * USDC gives HF = 16600 / 12000. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <keel.h>

int main(void)
{
    keel_market *m;
    keel_basket *b;
    keel_haircut_model *h;
    keel_asset eth, usdc;
    if (keel_market_new(&m) || keel_basket_new(&b) || keel_haircut_model_new(&h) ||
        keel_market_add_asset(m, "ETH", 2000.0, &eth) ||
        keel_market_add_asset(m, "USDC", 1.0, &usdc) ||
        keel_haircut_model_set_asset(h, eth, 0.195, 0.17) ||
        keel_basket_set_collateral(b, eth, 10.0) || keel_basket_set_debt(b, usdc, 12000.0)) {
        fprintf(stderr, "setup failed: %s\n", keel_last_error());
        return 1;
    }
    keel_metrics met = KEEL_METRICS_INIT;
    if (keel_basket_metrics(b, NULL, m, h, &met) != KEEL_OK) {
        fprintf(stderr, "metrics failed: %s\n", keel_last_error());
        return 1;
    }
    int ok = fabs(met.health_factor - 16600.0 / 12000.0) < 1e-12 &&
             strcmp(keel_version(), KEEL_VERSION_STRING) == 0;
    printf("installed keel %s: health factor %.6f %s\n", keel_version(), met.health_factor,
           ok ? "ok" : "WRONG");
    keel_basket_free(b);
    keel_haircut_model_free(h);
    keel_market_free(m);
    return ok ? 0 : 1;
}

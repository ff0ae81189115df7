// ns per option for value plus all greeks: keel's batch kernel against
// QuantLib's AnalyticEuropeanEngine (Debian libquantlib0-dev) on the same
// options in the same run, median of repeated runs.
// Run: ./build/bench/bench_options [options] [runs]
#include <ql/quantlib.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <vector>

extern "C" {
#include <keel.h>
}

using namespace QuantLib;

static double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// ---- implied volatility (issue 18): keel's scalar solver and its batch
// against QuantLib's VanillaOption::impliedVolatility on the same prices,
// interleaved in each repetition, thread CPU time, medians of the
// per-repetition ratios.
static double thread_ns()
{
    timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return 1e9 * (double)t.tv_sec + (double)t.tv_nsec;
}

static int bench_implied(size_t n, int runs)
{
    // a realistic grid: strikes 70..130% of spot, 7 days to 2 years (whole
    // days, as QuantLib's dates count them), volatilities 15% to 64%, calls
    // and puts, priced by keel at those volatilities
    std::vector<keel_option_type> types(n);
    std::vector<double> price(n), spot(n), strike(n), expiry(n), rate(n, 0.03), div(n, 0.01);
    std::vector<double> vol(n);
    for (size_t i = 0; i < n; i++) {
        types[i] = i % 2 ? KEEL_PUT : KEEL_CALL;
        spot[i] = 100.0 + (double)(i % 17);
        strike[i] = 70.0 + (double)((i * 7) % 61);
        expiry[i] = (double)(7 + (i * 13) % 720) / 365.0;
        vol[i] = 0.15 + 0.01 * (double)((i * 3) % 50);
        keel_greeks g = KEEL_GREEKS_INIT;
        if (keel_black_scholes(types[i], spot[i], strike[i], expiry[i], rate[i], div[i], vol[i],
                               &g) != KEEL_OK)
            return 1;
        price[i] = g.value;
    }
    Date today(25, November, 2026);
    Settings::instance().evaluationDate() = today;
    DayCounter dc = Actual365Fixed();
    std::vector<ext::shared_ptr<VanillaOption>> options;
    std::vector<ext::shared_ptr<GeneralizedBlackScholesProcess>> procs;
    for (size_t i = 0; i < n; i++) {
        auto s = ext::make_shared<SimpleQuote>(spot[i]);
        auto process = ext::make_shared<BlackScholesMertonProcess>(
            Handle<Quote>(s),
            Handle<YieldTermStructure>(ext::make_shared<FlatForward>(today, div[i], dc)),
            Handle<YieldTermStructure>(ext::make_shared<FlatForward>(today, rate[i], dc)),
            Handle<BlackVolTermStructure>(
                ext::make_shared<BlackConstantVol>(today, NullCalendar(), 0.3, dc)));
        auto payoff = ext::make_shared<PlainVanillaPayoff>(
            types[i] == KEEL_PUT ? Option::Put : Option::Call, strike[i]);
        auto exercise = ext::make_shared<EuropeanExercise>(today + (Integer)std::lround(expiry[i] * 365.0));
        options.push_back(ext::make_shared<VanillaOption>(payoff, exercise));
        options.back()->setPricingEngine(ext::make_shared<AnalyticEuropeanEngine>(process));
        procs.push_back(process);
    }
    // keep the options QuantLib's solver accepts (it refuses a price within
    // rounding of the intrinsic value: "root not bracketed")
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        try {
            (void)options[i]->impliedVolatility(price[i], procs[i], 1e-12, 100, 1e-7, 4.0);
        } catch (const std::exception &) {
            continue;
        }
        types[m] = types[i]; price[m] = price[i]; spot[m] = spot[i]; strike[m] = strike[i];
        expiry[m] = expiry[i]; vol[m] = vol[i]; options[m] = options[i]; procs[m] = procs[i];
        m++;
    }
    std::printf("\n(%zu of %zu options kept: QuantLib refuses the others)\n", m, n);
    n = m;
    std::vector<double> out(n);
    std::vector<keel_status> st(n);
    std::vector<double> k_ns, b_ns, q_ns, r_scalar, r_batch;
    double worst_keel = 0.0, worst_ql = 0.0, sink = 0.0;
    for (int r = 0; r < runs; r++) {
        double t0 = thread_ns();
        for (size_t i = 0; i < n; i++) {
            double v;
            if (keel_implied_volatility(types[i], price[i], spot[i], strike[i], expiry[i], rate[i],
                                        div[i], &v) != KEEL_OK)
                return 1;
            sink += v;
            if (r == 0)
                worst_keel = std::max(worst_keel, std::fabs(v - vol[i]) / vol[i]);
        }
        double t1 = thread_ns();
        if (keel_implied_volatility_batch(n, types.data(), price.data(), spot.data(), strike.data(),
                                          expiry.data(), rate.data(), div.data(), out.data(),
                                          st.data()) != KEEL_OK)
            return 1;
        double t2 = thread_ns();
        for (size_t i = 0; i < n; i++) {
            // full precision asked of QuantLib's Brent solver
            double v = options[i]->impliedVolatility(price[i], procs[i], 1e-12, 100, 1e-7, 4.0);
            sink += v;
            if (r == 0)
                worst_ql = std::max(worst_ql, std::fabs(v - vol[i]) / vol[i]);
        }
        double t3 = thread_ns();
        k_ns.push_back((t1 - t0) / n);
        b_ns.push_back((t2 - t1) / n);
        q_ns.push_back((t3 - t2) / n);
        r_scalar.push_back((t3 - t2) / (t1 - t0));
        r_batch.push_back((t3 - t2) / (t2 - t1));
    }
    std::printf("\nImplied volatility, %zu options (strikes 70-130%% of spot, 7 days to 2 years, "
                "volatility 15-64%%), thread CPU time, median of %d interleaved runs\n\n", n, runs);
    std::printf("| solver | ns per solve | QuantLib / keel (median of per-run ratios) |\n|---|---:|---:|\n");
    std::printf("| QuantLib %s VanillaOption::impliedVolatility (accuracy 1e-12) | %.1f | 1.0 |\n",
                QL_VERSION, median(q_ns));
    std::printf("| keel_implied_volatility | %.1f | %.1fx faster |\n", median(k_ns), median(r_scalar));
    std::printf("| keel_implied_volatility_batch | %.1f | %.1fx faster |\n", median(b_ns), median(r_batch));
    std::printf("\nworst relative error against the pricing volatility: keel %.3g, QuantLib %.3g "
                "(checksum %.6g)\n", worst_keel, worst_ql, sink);
    return 0;
}

int main(int argc, char **argv)
{
    const size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 20000;
    const int runs = argc > 2 ? std::atoi(argv[2]) : 11;

    // the same options for both: strikes 70..130% of spot, 7 days to 2 years
    std::vector<keel_option_type> types(n);
    std::vector<double> spot(n), strike(n), expiry(n), rate(n), div(n), vol(n);
    for (size_t i = 0; i < n; i++) {
        types[i] = i % 2 ? KEEL_PUT : KEEL_CALL;
        spot[i] = 100.0 + (double)(i % 17);
        strike[i] = 70.0 + (double)(i % 61);
        expiry[i] = (7.0 + (double)(i % 720)) / 365.0;
        rate[i] = 0.03;
        div[i] = 0.01;
        vol[i] = 0.15 + 0.01 * (double)(i % 50);
    }

    // keel: all ten outputs
    std::vector<double> out[10];
    for (auto &o : out)
        o.resize(n);
    keel_greeks_arrays arrays = { sizeof arrays, out[0].data(), out[1].data(), out[2].data(),
                                  out[3].data(), out[4].data(), out[5].data(), out[6].data(),
                                  out[7].data(), out[8].data(), out[9].data() };
    std::vector<double> keel_ns;
    for (int r = 0; r < runs; r++) {
        auto t0 = std::chrono::steady_clock::now();
        if (keel_black_scholes_batch(n, types.data(), spot.data(), strike.data(), expiry.data(),
                                     rate.data(), div.data(), vol.data(), &arrays) != KEEL_OK) {
            std::fprintf(stderr, "keel: %s\n", keel_last_error());
            return 1;
        }
        auto t1 = std::chrono::steady_clock::now();
        keel_ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count() / n);
    }

    // QuantLib: each option has its own quotes, process, engine and instrument
    // (built outside the timing, so no observer fans out to other options);
    // timed: a forced recalculation and the reading of value and greeks
    Date today(25, November, 2026);
    Settings::instance().evaluationDate() = today;
    DayCounter dc = Actual365Fixed();
    std::vector<ext::shared_ptr<VanillaOption>> options;
    for (size_t i = 0; i < n; i++) {
        auto s = ext::make_shared<SimpleQuote>(spot[i]);
        auto q = ext::make_shared<SimpleQuote>(div[i]);
        auto rr = ext::make_shared<SimpleQuote>(rate[i]);
        auto v = ext::make_shared<SimpleQuote>(vol[i]);
        auto process = ext::make_shared<BlackScholesMertonProcess>(
            Handle<Quote>(s),
            Handle<YieldTermStructure>(ext::make_shared<FlatForward>(today, Handle<Quote>(q), dc)),
            Handle<YieldTermStructure>(ext::make_shared<FlatForward>(today, Handle<Quote>(rr), dc)),
            Handle<BlackVolTermStructure>(
                ext::make_shared<BlackConstantVol>(today, NullCalendar(), Handle<Quote>(v), dc)));
        auto payoff = ext::make_shared<PlainVanillaPayoff>(
            types[i] == KEEL_PUT ? Option::Put : Option::Call, strike[i]);
        auto exercise = ext::make_shared<EuropeanExercise>(today + (Integer)std::lround(expiry[i] * 365.0));
        options.push_back(ext::make_shared<VanillaOption>(payoff, exercise));
        options.back()->setPricingEngine(ext::make_shared<AnalyticEuropeanEngine>(process));
    }
    std::vector<double> ql_ns;
    double max_diff = 0.0, sink = 0.0;
    for (int r = 0; r < runs; r++) {
        auto t0 = std::chrono::steady_clock::now();
        for (size_t i = 0; i < n; i++) {
            VanillaOption &o = *options[i];
            o.recalculate();
            double npv = o.NPV();
            sink += npv + o.delta() + o.gamma() + o.vega() + o.theta() + o.rho() + o.dividendRho();
            if (r == 0)
                max_diff = std::max(max_diff, std::fabs(npv - out[0][i]));
        }
        auto t1 = std::chrono::steady_clock::now();
        ql_ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count() / n);
    }
    double k = median(keel_ns), ql = median(ql_ns);
    std::printf("European options, value + greeks, %zu options, median of %d runs\n\n", n, runs);
    std::printf("| engine | ns per option | ratio |\n|---|---:|---:|\n");
    std::printf("| QuantLib %s AnalyticEuropeanEngine (value + 6 greeks) | %.1f | 1.0 |\n",
                QL_VERSION, ql);
    std::printf("| keel_black_scholes_batch (value + 9 greeks) | %.1f | %.1fx faster |\n", k, ql / k);
    std::printf("\nlargest value difference between the two: %.3g (checksum %.6g)\n", max_diff, sink);
    return bench_implied(std::min<size_t>(n, 2000), std::max(runs, 5));
}

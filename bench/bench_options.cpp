// ns per option for value plus all greeks: keel's batch kernel against
// QuantLib's AnalyticEuropeanEngine (Debian libquantlib0-dev) on the same
// options in the same run, median of repeated runs.
// Run: ./build/bench/bench_options [options] [runs]
#include <ql/quantlib.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
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
    return 0;
}

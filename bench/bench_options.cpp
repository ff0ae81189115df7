// ns per option for value and greeks: keel's batch kernel, on each dispatch
// target (scalar, AVX2, AVX-512, the default), against QuantLib's
// AnalyticEuropeanEngine (Debian libquantlib0-dev) on the same options,
// interleaved in each repetition, thread CPU time
// (CLOCK_THREAD_CPUTIME_ID), medians of the per-repetition ratios.
// Links the static library to call the per-target entry
// (lib/options/options_internal.h).
// Run: ./build/bench/bench_options [options] [repetitions]
#include <ql/quantlib.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <vector>

extern "C" {
#include <keel.h>
#include "options/options_internal.h"
}

using namespace QuantLib;

static double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

static double thread_seconds()
{
    timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

// The same options for both: strikes 70..130, spots 100..116, 7 days to 2
// years, vols 15-64%, calls and puts.
struct option_set {
    size_t n;
    std::vector<keel_option_type> types;
    std::vector<double> spot, strike, expiry, rate, div, vol;
};

static option_set make_options(size_t n)
{
    option_set s{ n, std::vector<keel_option_type>(n), std::vector<double>(n),
                  std::vector<double>(n), std::vector<double>(n), std::vector<double>(n),
                  std::vector<double>(n), std::vector<double>(n) };
    for (size_t i = 0; i < n; i++) {
        s.types[i] = i % 2 ? KEEL_PUT : KEEL_CALL;
        s.spot[i] = 100.0 + (double)(i % 17);
        s.strike[i] = 70.0 + (double)(i % 61);
        s.expiry[i] = (7.0 + (double)(i % 720)) / 365.0;
        s.rate[i] = 0.03;
        s.div[i] = 0.01;
        s.vol[i] = 0.15 + 0.01 * (double)(i % 50);
    }
    return s;
}

// QuantLib: each option has its own quotes, process, engine and instrument
// (built outside the timing, so no observer fans out to other options).
static std::vector<ext::shared_ptr<VanillaOption>> make_quantlib(const option_set &s)
{
    Date today(25, November, 2026);
    Settings::instance().evaluationDate() = today;
    DayCounter dc = Actual365Fixed();
    std::vector<ext::shared_ptr<VanillaOption>> options;
    for (size_t i = 0; i < s.n; i++) {
        auto sq = ext::make_shared<SimpleQuote>(s.spot[i]);
        auto q = ext::make_shared<SimpleQuote>(s.div[i]);
        auto rr = ext::make_shared<SimpleQuote>(s.rate[i]);
        auto v = ext::make_shared<SimpleQuote>(s.vol[i]);
        auto process = ext::make_shared<BlackScholesMertonProcess>(
            Handle<Quote>(sq),
            Handle<YieldTermStructure>(ext::make_shared<FlatForward>(today, Handle<Quote>(q), dc)),
            Handle<YieldTermStructure>(ext::make_shared<FlatForward>(today, Handle<Quote>(rr), dc)),
            Handle<BlackVolTermStructure>(
                ext::make_shared<BlackConstantVol>(today, NullCalendar(), Handle<Quote>(v), dc)));
        auto payoff = ext::make_shared<PlainVanillaPayoff>(
            s.types[i] == KEEL_PUT ? Option::Put : Option::Call, s.strike[i]);
        auto exercise =
            ext::make_shared<EuropeanExercise>(today + (Integer)std::lround(s.expiry[i] * 365.0));
        options.push_back(ext::make_shared<VanillaOption>(payoff, exercise));
        options.back()->setPricingEngine(ext::make_shared<AnalyticEuropeanEngine>(process));
    }
    return options;
}

// ---- European options: value and greeks, per dispatch target (issue 18) ----

// What a row asks of both: keel's output arrays (the rest NULL) and the
// members read from QuantLib after its forced recalculation.
struct european_case {
    const char *name;
    unsigned keel_members; // bits: value 0 .. charm 9
    int ql_greeks;         // 0: NPV only; 5: + delta gamma vega theta rho; 6: + dividend rho
};

// QuantLib, one pass: ns per option.
static double time_quantlib(std::vector<ext::shared_ptr<VanillaOption>> &options, int greeks,
                            double &sink)
{
    double t0 = thread_seconds();
    for (auto &p : options) {
        VanillaOption &o = *p;
        o.recalculate();
        double x = o.NPV();
        if (greeks >= 5)
            x += o.delta() + o.gamma() + o.vega() + o.theta() + o.rho();
        if (greeks >= 6)
            x += o.dividendRho();
        sink += x;
    }
    return (thread_seconds() - t0) * 1e9 / (double)options.size();
}

// keel on target `isa` (KEEL_ISA_COUNT: the public function, the default
// target), one pass: ns per option, or -1 on failure.
static double time_keel(const option_set &s, int isa, keel_greeks_arrays *a)
{
    double t0 = thread_seconds();
    keel_status st =
        isa == KEEL_ISA_COUNT
            ? keel_black_scholes_batch(s.n, s.types.data(), s.spot.data(), s.strike.data(),
                                       s.expiry.data(), s.rate.data(), s.div.data(),
                                       s.vol.data(), a)
            : keel_black_scholes_batch_isa((keel_isa)isa, s.n, s.types.data(), s.spot.data(),
                                           s.strike.data(), s.expiry.data(), s.rate.data(),
                                           s.div.data(), s.vol.data(), a);
    double t = (thread_seconds() - t0) * 1e9 / (double)s.n;
    if (st != KEEL_OK) {
        std::fprintf(stderr, "keel: %s\n", keel_last_error());
        return -1;
    }
    return t;
}

static int bench_european(const option_set &s,
                          std::vector<ext::shared_ptr<VanillaOption>> &options, int reps)
{
    static const european_case cases[] = {
        { "value + 5 greeks (delta, gamma, vega, theta, rho)", 0x3fu, 5 },
        { "value + all 9 greeks", 0x3ffu, 6 },
        { "value only", 0x1u, 0 },
    };
    std::vector<std::vector<double>> out(10, std::vector<double>(s.n));
    std::vector<int> targets;
    for (int isa = KEEL_ISA_SCALAR; isa < KEEL_ISA_COUNT; isa++)
        if (keel_black_scholes_batch_isa_usable((keel_isa)isa))
            targets.push_back(isa);
    targets.push_back(KEEL_ISA_COUNT); // the default
    double sink = 0.0;
    std::printf("European options, %zu options, %d repetitions, thread CPU time, QuantLib and "
                "keel interleaved in each repetition (default target: %s)\n\n",
                s.n, reps, keel_isa_name(keel_black_scholes_batch_isa_default()));
    std::printf("| outputs | engine | ns per option (median) | ratio to QuantLib (median of "
                "per-repetition ratios) |\n|---|---|---:|---:|\n");
    for (const european_case &c : cases) {
        double *p[10];
        for (int m = 0; m < 10; m++)
            p[m] = (c.keel_members >> m & 1) ? out[m].data() : nullptr;
        keel_greeks_arrays a = { sizeof a, p[0], p[1], p[2], p[3], p[4],
                                 p[5], p[6], p[7], p[8], p[9] };
        std::vector<double> ql_ns;
        std::vector<std::vector<double>> ns(targets.size()), ratio(targets.size());
        for (int r = 0; r < reps; r++) {
            double ql = time_quantlib(options, c.ql_greeks, sink);
            ql_ns.push_back(ql);
            for (size_t k = 0; k < targets.size(); k++) {
                double t = time_keel(s, targets[k], &a);
                if (t < 0)
                    return 1;
                ns[k].push_back(t);
                ratio[k].push_back(ql / t);
            }
        }
        std::printf("| %s | QuantLib %s AnalyticEuropeanEngine | %.0f | 1 |\n", c.name,
                    QL_VERSION, median(ql_ns));
        for (size_t k = 0; k < targets.size(); k++) {
            char name[64];
            if (targets[k] == KEEL_ISA_COUNT)
                std::snprintf(name, sizeof name, "keel_black_scholes_batch (default: %s)",
                              keel_isa_name(keel_black_scholes_batch_isa_default()));
            else
                std::snprintf(name, sizeof name, "keel, %s forced",
                              keel_isa_name((keel_isa)targets[k]));
            std::printf("| %s | %s | %.2f | %.0fx |\n", c.name, name, median(ns[k]),
                        median(ratio[k]));
        }
    }
    // the two agree: keel's default target against QuantLib's values
    double *p[10] = { out[0].data() };
    keel_greeks_arrays a = { sizeof a, p[0], nullptr, nullptr, nullptr, nullptr,
                             nullptr, nullptr, nullptr, nullptr, nullptr };
    if (time_keel(s, KEEL_ISA_COUNT, &a) < 0)
        return 1;
    double max_diff = 0.0;
    for (size_t i = 0; i < s.n; i++)
        max_diff = std::max(max_diff, std::fabs(options[i]->NPV() - out[0][i]));
    std::printf("\nlargest value difference between the two: %.3g (checksum %.6g)\n", max_diff,
                sink);
    return 0;
}

int main(int argc, char **argv)
{
    const size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 20000;
    const int reps = argc > 2 ? std::max(5, std::atoi(argv[2])) : 11;
    option_set s = make_options(n);
    auto options = make_quantlib(s);
    return bench_european(s, options, reps);
}

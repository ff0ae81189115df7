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
    if (bench_european(s, options, reps) != 0)
        return 1;
    return bench_implied(std::min<size_t>(n, 2000), reps);
}

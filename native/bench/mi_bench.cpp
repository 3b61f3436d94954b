// memshare_mi_bench: single-threaded timings of the mutual-information estimator on synthetic data
// of the sizes in the speed budgets. Prints "BENCH <name> <median> ms" lines (median of
// several runs after a warm-up) and the estimate itself as a "VALUE" line.
//   memshare_mi_bench [runs]      (default 21)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "memshare/mutualinfo.hpp"

namespace {

double median_ms(int runs, const std::function<double()>& f, double* value) {
    *value = f();  // warm-up
    std::vector<double> ms;
    for (int r = 0; r < runs; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        const double v = f();
        const auto t1 = std::chrono::steady_clock::now();
        if (v != *value) std::fprintf(stderr, "warning: run %d gave %.17g, first gave %.17g\n", r, v, *value);
        ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

void report(const char* name, double budget_ms, int runs, const std::function<double()>& f) {
    double value = 0;
    const double ms = median_ms(runs, f, &value);
    std::printf("BENCH %s %.3f ms\n", name, ms);
    std::printf("VALUE %s %.17g nats (budget %.1f ms: %s)\n", name, value, budget_ms, ms <= budget_ms ? "met" : "MISSED");
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 21;
    std::mt19937_64 rng(20250101);
    std::normal_distribution<double> normal;

    // A feature against a 32-class target, the feature-selection shape (n = 10,446).
    const std::size_t n = 10446;
    std::vector<double> target(n), feature(n), other(n);
    for (std::size_t i = 0; i < n; ++i) {
        target[i] = static_cast<double>(rng() % 32);
        feature[i] = 0.15 * target[i] + normal(rng);
        other[i] = 0.5 * feature[i] + normal(rng);
    }
    memshare::MutualInfoOptions discrete_target;
    discrete_target.y_discrete = true;
    report("mi_continuous_vs_32class_n10446", 2.5, runs, [&] {
        return memshare::mutual_information(feature.data(), target.data(), n, discrete_target);
    });

    memshare::MutualInfoOptions continuous;
    report("mi_both_continuous_n10446", 20, runs,
           [&] { return memshare::mutual_information(feature.data(), other.data(), n, continuous); });

    const std::size_t m = 5000;
    memshare::MutualInfoOptions mpmi;
    mpmi.use_mpmi = true;
    report("mi_mpmi_n5000", 40, runs, [&] { return memshare::mutual_information(feature.data(), other.data(), m, mpmi); });
    return 0;
}

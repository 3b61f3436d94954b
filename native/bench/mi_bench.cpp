// memshare_mi_bench: single-threaded timings of the mutual-information estimator on synthetic data
// of the sizes in the speed budgets. Prints "BENCH <name> <median> ms" (wall-clock median
// of several runs after a warm-up), "BENCH <name>_cpu <median> ms" (thread CPU time, which a busy
// machine does not inflate) and an "INFO" line with the estimate, the fastest run and the budget.
//   memshare_mi_bench [runs]      (default 21)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "memshare/mutualinfo.hpp"

namespace {

double thread_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// Wall-clock and thread-CPU medians of `runs` calls after one warm-up call. The CPU time is what
// the call costs on its core; the wall time also counts waiting when the machine is busy.
void report(const char* name, double budget_ms, int runs, const std::function<double()>& f) {
    const double value = f();  // warm-up
    std::vector<double> wall, cpu;
    for (int r = 0; r < runs; ++r) {
        const double c0 = thread_cpu_ms();
        const auto t0 = std::chrono::steady_clock::now();
        const double v = f();
        const auto t1 = std::chrono::steady_clock::now();
        cpu.push_back(thread_cpu_ms() - c0);
        wall.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        if (v != value) std::fprintf(stderr, "warning: %s run %d gave %.17g, the warm-up %.17g\n", name, r, v, value);
    }
    const double w = median(wall);
    std::printf("BENCH %s %.3f ms\n", name, w);
    std::printf("BENCH %s_cpu %.3f ms\n", name, median(cpu));
    std::printf("INFO %s: %.17g nats; wall min %.3f ms; budget %.1f ms %s\n", name, value,
                *std::min_element(wall.begin(), wall.end()), budget_ms, w <= budget_ms ? "met" : "MISSED");
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

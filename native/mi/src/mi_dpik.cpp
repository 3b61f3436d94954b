// Bandwidth of the kernel alternative (MUTUALINFO.md section 5.1): KernSmooth::dpik(v, level = 3,
// kernel = "epanech", scalest = "minim", gridsize = 401, truncate = TRUE), with mpmi's dpikSafe
// fallback to the standard deviation when the scale estimate is 0. The binned kernel functional
// estimates (bkfe) are direct convolutions instead of R's zero-padded FFTs: same sums.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "mutualinfo_detail.hpp"

namespace memshare::mi {

namespace {

constexpr int kGrid = 401;
constexpr double kPi = 3.141592653589793238462643383280;
constexpr double kInvSqrt2Pi = 0.398942280401432677939946059934;  // M_1_SQRT_2PI

// R's dnorm(x) (mean 0, sd 1), including its split evaluation in the far tail.
double r_dnorm(double x) {
    x = std::fabs(x);
    if (x < 5) return kInvSqrt2Pi * std::exp(-0.5 * x * x);
    if (x > std::sqrt(-2 * 0.693147180559945309417232121458 * (-1021 + 1 - 53))) return 0;
    const double x1 = std::ldexp(std::nearbyint(std::ldexp(x, 16)), -16);
    const double x2 = x - x1;
    return kInvSqrt2Pi * (std::exp(-0.5 * x1 * x1) * std::exp((-0.5 * x2 - x1) * x2));
}

// KernSmooth's linbin with truncate = TRUE on the grid a..b of kGrid points.
std::vector<double> linbin(const std::vector<double>& x, double a, double b) {
    std::vector<double> g(kGrid, 0.0);
    const double delta = (b - a) / (kGrid - 1);
    for (double xi : x) {
        const double lxi = ((xi - a) / delta) + 1;
        const long li = static_cast<long>(lxi);  // Fortran int(): truncation
        const double rem = lxi - static_cast<double>(li);
        if (li >= 1 && li < kGrid) {
            g[li - 1] += 1 - rem;
            g[li] += rem;
        }
    }
    return g;
}

// bkfe(gcounts, drv, h, range.x = c(a, b), binned = TRUE).
double bkfe(const std::vector<double>& gcounts, int drv, double h, double a, double b) {
    const int m = static_cast<int>(gcounts.size());
    long double nsum = 0;
    for (double c : gcounts) nsum += c;
    const double n = static_cast<double>(nsum);
    const double delta = (b - a) / (m - 1);
    const double tau = 4 + drv;
    const int l = static_cast<int>(std::min(std::floor(tau * h / delta), static_cast<double>(m)));
    std::vector<double> kappa(l + 1);
    const double hpow = std::pow(h, drv + 1);
    for (int i = 0; i <= l; ++i) {
        const double arg = i * delta / h;
        double hmold0 = 1, hmold1 = arg, hmnew = 1;
        for (int r = 2; r <= drv; ++r) {
            hmnew = arg * hmold1 - (r - 1) * hmold0;
            hmold0 = hmold1;
            hmold1 = hmnew;
        }
        kappa[i] = hmnew * (r_dnorm(arg) / hpow);
    }
    long double est = 0;
    for (int i = 0; i < m; ++i) {
        if (gcounts[i] == 0) continue;
        const int j_lo = std::max(0, i - l), j_hi = std::min(m - 1, i + l);
        double conv = 0;
        for (int j = j_lo; j <= j_hi; ++j) conv += kappa[std::abs(i - j)] * gcounts[j];
        est += gcounts[i] * conv;
    }
    return static_cast<double>(est) / (n * n);
}

}  // namespace

double dpik_bandwidth(const double* v, std::size_t n) {
    std::vector<double> sorted(v, v + n);
    sort_ascending(sorted.data(), n);
    const double sd = std::sqrt(r_var(v, n));
    const double iqr = r_quantile7(sorted.data(), n, 0.75) - r_quantile7(sorted.data(), n, 0.25);
    double scale = std::min(iqr / 1.349, sd);
    if (scale == 0) scale = sd;  // mpmi's dpikSafe: "scale estimate is zero" -> scalest = "stdev"

    const double mean = r_mean(v, n);
    std::vector<double> sx(n);
    for (std::size_t i = 0; i < n; ++i) sx[i] = (v[i] - mean) / scale;
    const double sa = (sorted.front() - mean) / scale;
    const double sb = (sorted.back() - mean) / scale;
    const std::vector<double> gcounts = linbin(sx, sa, sb);

    const double nd = static_cast<double>(n);
    const double sqrt2 = std::sqrt(2.0);
    double alpha = std::pow(2 * std::pow(sqrt2, 11) / (9 * nd), 1.0 / 11);  // bandwidth for psi_8
    const double psi8 = bkfe(gcounts, 8, alpha, sa, sb);
    alpha = std::pow(15 * std::sqrt(2 / kPi) / (psi8 * nd), 1.0 / 9);  // bandwidth for psi_6
    const double psi6 = bkfe(gcounts, 6, alpha, sa, sb);
    alpha = std::pow(-3 * std::sqrt(2 / kPi) / (psi6 * nd), 1.0 / 7);  // bandwidth for psi_4
    const double psi4 = bkfe(gcounts, 4, alpha, sa, sb);
    const double del0 = std::pow(15.0, 1.0 / 5);
    return scale * del0 * std::pow(1 / (psi4 * nd), 1.0 / 5);
}

}  // namespace memshare::mi

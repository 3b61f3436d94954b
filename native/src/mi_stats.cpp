// R's mean, var and type-7 quantile, computed the way R computes them (long-double sums, two
// passes), so that thresholds such as sd < eps and the dpik scale agree with R.
#include <cmath>
#include <cstddef>
#include <limits>

#include "memshare/mutualinfo_detail.hpp"

namespace memshare::mi {

double r_mean(const double* x, std::size_t n) {
    if (n == 0) return std::numeric_limits<double>::quiet_NaN();
    long double s = 0;
    for (std::size_t i = 0; i < n; ++i) s += x[i];
    s /= static_cast<long double>(n);
    if (std::isfinite(static_cast<double>(s))) {
        long double t = 0;
        for (std::size_t i = 0; i < n; ++i) t += x[i] - s;
        s += t / static_cast<long double>(n);
    }
    return static_cast<double>(s);
}

double r_var(const double* x, std::size_t n) {
    if (n < 2) return std::numeric_limits<double>::quiet_NaN();
    // cov.c: the mean with a correction pass, kept as long double until stored as double.
    long double s = 0;
    for (std::size_t i = 0; i < n; ++i) s += x[i];
    long double tmp = s / static_cast<long double>(n);
    if (std::isfinite(static_cast<double>(tmp))) {
        s = 0;
        for (std::size_t i = 0; i < n; ++i) s += x[i] - tmp;
        tmp = tmp + s / static_cast<long double>(n);
    }
    const double m = static_cast<double>(tmp);
    long double ss = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double d = x[i] - m;
        ss += d * d;
    }
    return static_cast<double>(ss / static_cast<long double>(n - 1));
}

double r_quantile7(const double* sorted, std::size_t n, double p) {
    if (n == 0) return std::numeric_limits<double>::quiet_NaN();
    const double index = 1 + static_cast<double>(n - 1) * p;  // 1-based
    const double lo = std::floor(index);
    const double hi = std::ceil(index);
    const double qlo = sorted[static_cast<std::size_t>(lo) - 1];
    const double qhi = sorted[static_cast<std::size_t>(hi) - 1];
    if (index > lo && qhi != qlo) {
        const double h = index - lo;
        return (1 - h) * qlo + h * qhi;
    }
    return qlo;
}

}  // namespace memshare::mi

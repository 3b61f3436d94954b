// R's mean, var and type-7 quantile, computed the way R computes them (long-double sums, two
// passes), so that thresholds such as sd < eps and the dpik scale agree with R; and the sort
// every continuous path starts with.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "mutualinfo_detail.hpp"

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

namespace memshare::mi {

void sort_ascending(double* v, std::size_t n) {
    if (n < 512) {
        std::sort(v, v + n);
        return;
    }
    // Order-preserving map of the bits: flip every bit of negatives, the sign bit of the rest.
    std::vector<std::uint64_t> keys(n), tmp(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::uint64_t k;
        std::memcpy(&k, &v[i], sizeof k);
        keys[i] = (k >> 63) ? ~k : (k | (std::uint64_t{1} << 63));
    }
    std::array<std::array<std::uint32_t, 256>, 8> count{};
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t k = keys[i];
        for (int d = 0; d < 8; ++d) ++count[d][(k >> (8 * d)) & 0xff];
    }
    for (int d = 0; d < 8; ++d) {
        auto& c = count[d];
        if (c[keys[0] >> (8 * d) & 0xff] == n) continue;  // every key has this digit
        std::uint32_t sum = 0;
        for (auto& x : c) {
            const std::uint32_t t = x;
            x = sum;
            sum += t;
        }
        for (std::size_t i = 0; i < n; ++i) tmp[c[(keys[i] >> (8 * d)) & 0xff]++] = keys[i];
        keys.swap(tmp);
    }
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t k = (keys[i] >> 63) ? (keys[i] & ~(std::uint64_t{1} << 63)) : ~keys[i];
        std::memcpy(&v[i], &k, sizeof k);
    }
}

}  // namespace memshare::mi

// The raw estimate of mpmi::cmi (MUTUALINFO.md section 5.2-5.3): Epanechnikov kernel sums
// s1_i, s2_i, s12_i over all j (j = i included), MI = mean(ln(s12 / (s1 s2))) + ln n.
// mpmi fills two n x n kernel matrices; here the data are sorted and each point only visits the
// points within one bandwidth after it (the kernel is 0 beyond), adding each pair to both ends.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <vector>

#include "memshare/mutualinfo_detail.hpp"

namespace memshare::mi {

namespace {

// K((b - a) / h) for b >= a, as mpmi computes it: 0 when the scaled distance is >= 1.
inline double epanechnikov(double t) { return 1.0 - t * t; }

// s[i] = sum over j of K((v[j] - v[i]) / h) for ascending v.
void window_sums(const double* v, std::size_t n, double h, double* s) {
    std::fill(s, s + n, 1.0);
    for (std::size_t i = 0; i < n; ++i) {
        const double vi = v[i];
        double si = 0;
        for (std::size_t j = i + 1; j < n; ++j) {
            const double t = (v[j] - vi) / h;
            if (t >= 1.0) break;
            const double k = epanechnikov(t);
            si += k;
            s[j] += k;
        }
        s[i] += si;
    }
}

}  // namespace

double mpmi_mi(const double* x, const double* y, std::size_t n, double hx, double hy) {
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [x](std::size_t a, std::size_t b) { return x[a] < x[b]; });
    std::vector<double> xs(n), ys(n);
    for (std::size_t i = 0; i < n; ++i) {
        xs[i] = x[order[i]];
        ys[i] = y[order[i]];
    }

    // s1 and s12 in x order: for each pair within hx in x, the product kernel needs |dy| < hy.
    std::vector<double> s1(n, 1.0), s12(n, 1.0);
    for (std::size_t i = 0; i < n; ++i) {
        const double xi = xs[i], yi = ys[i];
        double a1 = 0, a12 = 0;
        for (std::size_t j = i + 1; j < n; ++j) {
            const double tx = (xs[j] - xi) / hx;
            if (tx >= 1.0) break;
            const double kx = epanechnikov(tx);
            const double ty = (ys[j] - yi) / hy;
            const double k12 = std::fabs(ty) >= 1.0 ? 0.0 : kx * epanechnikov(ty);
            a1 += kx;
            a12 += k12;
            s1[j] += kx;
            s12[j] += k12;
        }
        s1[i] += a1;
        s12[i] += a12;
    }

    // s2 in y order, mapped back to x order.
    std::vector<std::size_t> yorder(n);
    std::iota(yorder.begin(), yorder.end(), std::size_t{0});
    std::sort(yorder.begin(), yorder.end(), [&ys](std::size_t a, std::size_t b) { return ys[a] < ys[b]; });
    std::vector<double> ysorted(n), s2sorted(n), s2(n);
    for (std::size_t i = 0; i < n; ++i) ysorted[i] = ys[yorder[i]];
    window_sums(ysorted.data(), n, hy, s2sorted.data());
    for (std::size_t i = 0; i < n; ++i) s2[yorder[i]] = s2sorted[i];

    long double sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += std::log(s12[i] / (s1[i] * s2[i]));
    const double nd = static_cast<double>(n);
    return static_cast<double>(sum) / nd + std::log(nd);
}

}  // namespace memshare::mi

// The raw estimate of mpmi::cmi (MUTUALINFO.md section 5.2-5.3): Epanechnikov kernel sums
// s1_i, s2_i, s12_i over all j (j = i included), MI = mean(ln(s12 / (s1 s2))) + ln n.
// mpmi fills two n x n kernel matrices; here the data are sorted and each point only visits the
// window of points within one bandwidth after it (the kernel is 0 beyond), adding each pair to
// both ends. Kernel values are computed as mpmi does: t = (v[j] - v[i]) / h, 0 when |t| >= 1,
// else 1 - t^2.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <vector>

#include "mi_simd.hpp"
#include "mutualinfo_detail.hpp"

namespace memshare::mi {

namespace {

// End of the window after i in ascending v: the first j > i with (v[j] - v[i]) / h >= 1, never
// before `from` (the windows' ends do not move back as i grows).
inline std::size_t window_end(const double* v, std::size_t n, std::size_t i, double h, std::size_t from) {
    std::size_t e = std::max(from, i + 1);
    while (e < n && (v[e] - v[i]) / h < 1.0) ++e;
    return e;
}

// s[i] = sum over j of K((v[j] - v[i]) / h) for ascending v (s[i] starts at 1: j = i).
MEMSHARE_MI_CLONES
void window_sums(const double* v, std::size_t n, double h, double* s) {
    std::fill(s, s + n, 1.0);
    std::size_t e = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double vi = v[i];
        e = window_end(v, n, i, h, e);
        std::size_t j = i + 1;
        double acc = 0;
#if MEMSHARE_MI_VECTOR
        const simd::v4d one = {1, 1, 1, 1}, h4 = {h, h, h, h}, vi4 = {vi, vi, vi, vi};
        simd::v4d acc4 = {0, 0, 0, 0};
        for (; j + 4 <= e; j += 4) {
            const simd::v4d t = (MEMSHARE_MI_LOAD4(v + j) - vi4) / h4;
            const simd::v4d k = one - t * t;
            acc4 += k;
            MEMSHARE_MI_STORE4(s + j, MEMSHARE_MI_LOAD4(s + j) + k);
        }
        acc = (acc4[0] + acc4[1]) + (acc4[2] + acc4[3]);
#endif
        for (; j < e; ++j) {
            const double t = (v[j] - vi) / h;
            const double k = 1.0 - t * t;
            acc += k;
            s[j] += k;
        }
        s[i] += acc;
    }
}

// In x order: s1 (x kernel) and s12 (product kernel, 0 unless |dy| < hy as well).
MEMSHARE_MI_CLONES
void joint_sums(const double* xs, const double* ys, std::size_t n, double hx, double hy, double* s1, double* s12) {
    std::fill(s1, s1 + n, 1.0);
    std::fill(s12, s12 + n, 1.0);
    std::size_t e = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double xi = xs[i], yi = ys[i];
        e = window_end(xs, n, i, hx, e);
        std::size_t j = i + 1;
        double a1 = 0, a12 = 0;
#if MEMSHARE_MI_VECTOR
        const simd::v4d one = {1, 1, 1, 1}, minus_one = {-1, -1, -1, -1};
        const simd::v4d hx4 = {hx, hx, hx, hx}, hy4 = {hy, hy, hy, hy};
        const simd::v4d xi4 = {xi, xi, xi, xi}, yi4 = {yi, yi, yi, yi};
        simd::v4d acc1 = {0, 0, 0, 0}, acc12 = acc1;
        for (; j + 4 <= e; j += 4) {
            const simd::v4d tx = (MEMSHARE_MI_LOAD4(xs + j) - xi4) / hx4;
            const simd::v4d kx = one - tx * tx;
            const simd::v4d ty = (MEMSHARE_MI_LOAD4(ys + j) - yi4) / hy4;
            const simd::v4i inside = (ty < one) & (ty > minus_one);
            const simd::v4d k12 = (simd::v4d)((simd::v4i)(kx * (one - ty * ty)) & inside);
            acc1 += kx;
            acc12 += k12;
            MEMSHARE_MI_STORE4(s1 + j, MEMSHARE_MI_LOAD4(s1 + j) + kx);
            MEMSHARE_MI_STORE4(s12 + j, MEMSHARE_MI_LOAD4(s12 + j) + k12);
        }
        a1 = (acc1[0] + acc1[1]) + (acc1[2] + acc1[3]);
        a12 = (acc12[0] + acc12[1]) + (acc12[2] + acc12[3]);
#endif
        for (; j < e; ++j) {
            const double tx = (xs[j] - xi) / hx;
            const double kx = 1.0 - tx * tx;
            const double ty = (ys[j] - yi) / hy;
            const double k12 = std::fabs(ty) >= 1.0 ? 0.0 : kx * (1.0 - ty * ty);
            a1 += kx;
            a12 += k12;
            s1[j] += kx;
            s12[j] += k12;
        }
        s1[i] += a1;
        s12[i] += a12;
    }
}

std::vector<std::size_t> ascending_order(const double* v, std::size_t n) {
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [v](std::size_t a, std::size_t b) { return v[a] < v[b]; });
    return order;
}

}  // namespace

double mpmi_mi(const double* x, const double* y, std::size_t n, double hx, double hy) {
    // x order for s1 and s12.
    const std::vector<std::size_t> xo = ascending_order(x, n);
    std::vector<double> xs(n), ys(n), s1(n), s12(n);
    for (std::size_t i = 0; i < n; ++i) {
        xs[i] = x[xo[i]];
        ys[i] = y[xo[i]];
    }
    joint_sums(xs.data(), ys.data(), n, hx, hy, s1.data(), s12.data());

    // y order for s2, mapped back to x order.
    const std::vector<std::size_t> yo = ascending_order(ys.data(), n);
    std::vector<double> ysorted(n), s2sorted(n), s2(n);
    for (std::size_t i = 0; i < n; ++i) ysorted[i] = ys[yo[i]];
    window_sums(ysorted.data(), n, hy, s2sorted.data());
    for (std::size_t i = 0; i < n; ++i) s2[yo[i]] = s2sorted[i];

    long double sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += std::log(s12[i] / (s1[i] * s2[i]));
    const double nd = static_cast<double>(n);
    return static_cast<double>(sum) / nd + std::log(nd);
}

}  // namespace memshare::mi

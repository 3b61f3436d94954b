// Pareto density estimation of mutual information (MUTUALINFO.md sections 2 and 3).
//
// Both continuous, as the spec writes it: G = S H S (smoothed 512 x 512 histogram), divided by its
// Riemann sum Z, then convolved with separable Gaussian kernels: Sxy = Kx (G / Z) Ky'. Matrix
// products associate, and S is symmetric, so the same numbers come from
//     Sxy = (Kx S) H (Ky S)' / Z,   Z = (S wx)' H (S wy),
// where Kx S and Ky S are two banded solves against the kernel matrices and H is sparse (at most
// n cells, and only its non-empty rows or columns matter). What is left is one dense product of
// inner dimension "non-empty bins" instead of R's 1024 x 1024 FFTs and explicit inverse.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "mutualinfo_detail.hpp"

namespace memshare::mi {

namespace {

constexpr int kM = kGridSize;

// The normalised Gaussian kernel k[0..511] = exp(-((k - 256) dx)^2 / (2 R^2)) / sum (1-based k).
std::vector<double> gaussian_kernel(double dx, double radius) {
    std::vector<double> k(kM);
    long double sum = 0;
    const double two_r2 = 2 * radius * radius;
    for (int t = 0; t < kM; ++t) {
        const double d = (t - 255) * dx;
        k[t] = std::exp(-(d * d) / two_r2);
        sum += k[t];
    }
    const double s = static_cast<double>(sum);
    for (double& v : k) v /= s;
    return k;
}

// (K S)' = S K' for the "same"-size convolution matrix K[i][a] = kernel[i - a + 255] (0-based,
// zero outside 0..511): row a of the result is column a of K S.
std::vector<double> smoothed_kernel_matrix(const Smoother& smoother, const std::vector<double>& kernel) {
    std::vector<double> kt(static_cast<std::size_t>(kM) * kM, 0.0);
    for (int a = 0; a < kM; ++a) {
        double* row = kt.data() + static_cast<std::size_t>(a) * kM;
        // K'[a][i] = kernel[i - a + 255] for 0 <= i - a + 255 <= 511.
        const int i_lo = std::max(0, a - 255);
        const int i_hi = std::min(kM - 1, a + 256);
        for (int i = i_lo; i <= i_hi; ++i) row[i] = kernel[i - a + 255];
    }
    smoother.apply(kt.data(), kM, kM);
    return kt;
}

// S w with w[i] = g[i+1] - g[i] for i < 511 and 0 for the last point (left Riemann weights).
std::vector<double> smoothed_weights(const Smoother& smoother, const Grid& grid) {
    std::vector<double> w(kM, 0.0);
    for (int i = 0; i + 1 < kM; ++i) w[i] = grid.g[i + 1] - grid.g[i];
    smoother.apply(w.data());
    return w;
}

std::size_t count_distinct(const std::vector<double>& sorted) {
    std::size_t d = sorted.empty() ? 0 : 1;
    for (std::size_t i = 1; i < sorted.size(); ++i) d += sorted[i] != sorted[i - 1];
    return d;
}

}  // namespace

double pde_mi_continuous(const double* x, const double* y, std::size_t n, double eps) {
    std::vector<double> xs(x, x + n), ys(y, y + n);
    sort_ascending(xs.data(), n);
    sort_ascending(ys.data(), n);
    const double rx = pareto_radius(xs.data(), n);
    const double ry = pareto_radius(ys.data(), n);
    if (!std::isfinite(rx) || !std::isfinite(ry)) return 0;
    const Grid gx = make_grid(xs.front(), xs.back(), rx);
    const Grid gy = make_grid(ys.front(), ys.back(), ry);
    const double dx = gx.dx, dy = gy.dx;

    // H = counts / n on the 512 x 512 cells (rows: x bins, columns: y bins).
    std::vector<std::uint32_t> count(static_cast<std::size_t>(kM) * kM, 0);
    for (std::size_t i = 0; i < n; ++i) ++count[static_cast<std::size_t>(gx.bin(x[i])) * kM + gy.bin(y[i])];
    const double nd = static_cast<double>(n);

    const Smoother smoother(kM, kM / 4.0);
    const std::vector<double> at = smoothed_kernel_matrix(smoother, gaussian_kernel(dx, rx));  // (Kx S)'
    const std::vector<double> bt = smoothed_kernel_matrix(smoother, gaussian_kernel(dy, ry));  // (Ky S)'
    const std::vector<double> u = smoothed_weights(smoother, gx);
    const std::vector<double> v = smoothed_weights(smoother, gy);

    // Z and the non-empty rows and columns of H.
    std::vector<int> row_slot(kM, -1), col_slot(kM, -1);
    int rows = 0, cols = 0;
    long double z = 0;
    for (int a = 0; a < kM; ++a) {
        const std::uint32_t* crow = count.data() + static_cast<std::size_t>(a) * kM;
        long double zr = 0;
        for (int b = 0; b < kM; ++b) {
            if (crow[b] == 0) continue;
            const double h = crow[b] / nd;
            zr += h * v[b];
            if (row_slot[a] < 0) row_slot[a] = rows++;
            if (col_slot[b] < 0) col_slot[b] = cols++;
        }
        z += zr * u[a];
    }
    const double inv_z = 1 / static_cast<double>(z);

    // Fold H / Z into one side; the inner dimension is the smaller count of non-empty bins.
    const bool by_columns = cols <= rows;
    const std::size_t k = by_columns ? cols : rows;
    std::vector<RowTerm> terms;
    for (int a = 0; a < kM; ++a) {
        const std::uint32_t* crow = count.data() + static_cast<std::size_t>(a) * kM;
        for (int b = 0; b < kM; ++b) {
            if (crow[b] == 0) continue;
            const double h = crow[b] / nd * inv_z;
            if (by_columns) {  // folded[b] += h (Kx S)'[a]: column b of (Kx S) H / Z
                terms.push_back({static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(col_slot[b]), h});
            } else {  // folded[a] += h (Ky S)'[b]: row a of H (Ky S)' / Z
                terms.push_back({static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(row_slot[a]), h});
            }
        }
    }
    std::vector<double> folded(k * kM, 0.0);
    accumulate_rows(kM, terms.data(), terms.size(), by_columns ? at.data() : bt.data(), kM, folded.data(), kM);
    std::vector<const double*> left(k), right(k);
    for (int s = 0; s < kM; ++s) {
        const int slot = by_columns ? col_slot[s] : row_slot[s];
        if (slot < 0) continue;
        const double* own = (by_columns ? bt.data() : at.data()) + static_cast<std::size_t>(s) * kM;
        const double* fold = folded.data() + static_cast<std::size_t>(slot) * kM;
        left[slot] = by_columns ? fold : own;   // indexed by x bin i
        right[slot] = by_columns ? own : fold;  // indexed by y bin j
    }
    std::vector<double> sxy(static_cast<std::size_t>(kM) * kM);
    outer_product_sum(kM, kM, k, left.data(), right.data(), sxy.data(), kM);

    // Marginals and the sum over cells above 2 eps.
    std::vector<double> lpx(kM), lpy(kM), colsum(kM, 0.0);
    for (int i = 0; i < kM; ++i) {
        const double* r = sxy.data() + static_cast<std::size_t>(i) * kM;
        double s = 0;
        for (int j = 0; j < kM; ++j) {
            s += r[j];
            colsum[j] += r[j];
        }
        lpx[i] = std::log(dy * s);
    }
    for (int j = 0; j < kM; ++j) lpy[j] = std::log(dx * colsum[j]);
    const double threshold = 2 * eps;
    long double total = 0;
    for (int i = 0; i < kM; ++i) {
        const double* r = sxy.data() + static_cast<std::size_t>(i) * kM;
        double s = 0;
        for (int j = 0; j < kM; ++j) {
            if (r[j] > threshold) s += r[j] * (std::log(r[j]) - lpx[i] - lpy[j]);
        }
        total += s;
    }
    return dx * dy * static_cast<double>(total);
}

double pde_mi_mixed(const double* x, const std::uint32_t* y_class, std::size_t k, std::size_t n, double eps) {
    // Kept per thread across calls, as pareto_radius's arrays are (mi_pareto.cpp says why).
    thread_local std::vector<double> xs, t;
    xs.assign(x, x + n);
    sort_ascending(xs.data(), n);
    const double r = pareto_radius(xs.data(), n);
    if (!std::isfinite(r)) return 0;
    const Grid gx = make_grid(xs.front(), xs.back(), r);
    const double dx = gx.dx;
    const double nd = static_cast<double>(n);

    // T = counts / n on (x bin, class); class sizes for the weights.
    t.assign(static_cast<std::size_t>(kM) * k, 0.0);
    std::vector<std::size_t> class_size(k, 0);
    for (std::size_t i = 0; i < n; ++i) {
        t[static_cast<std::size_t>(gx.bin(x[i])) * k + y_class[i]] += 1;
        ++class_size[y_class[i]];
    }
    for (double& c : t) c /= nd;

    // The smoother is sized from min(distinct x values, 250), as R does in this path.
    const double lambda = static_cast<double>(std::min<std::size_t>(count_distinct(xs), 250)) / 4;
    Smoother(kM, lambda).apply(t.data(), k, k);

    long double z = 0;
    for (int i = 0; i + 1 < kM; ++i) {
        const double w = gx.g[i + 1] - gx.g[i];
        const double* row = t.data() + static_cast<std::size_t>(i) * k;
        for (std::size_t j = 0; j < k; ++j) z += row[j] * w;
    }
    const double zd = static_cast<double>(z);
    for (double& c : t) c /= zd;

    std::vector<double> p(kM);
    std::vector<long double> col(k, 0.0L);
    for (int i = 0; i < kM; ++i) {
        const double* row = t.data() + static_cast<std::size_t>(i) * k;
        long double s = 0;
        for (std::size_t j = 0; j < k; ++j) {
            s += row[j];
            col[j] += row[j];
        }
        p[i] = static_cast<double>(s);
    }
    long double mi = 0;
    for (std::size_t j = 0; j < k; ++j) {
        const double denom = dx * static_cast<double>(col[j]);
        long double s = 0;
        for (int i = 0; i < kM; ++i) {
            const double c = t[static_cast<std::size_t>(i) * k + j] / denom;
            if (c > eps) s += c * std::log(c / p[i]);
        }
        mi += (class_size[j] / nd) * (dx * static_cast<double>(s));
    }
    return static_cast<double>(mi);
}

}  // namespace memshare::mi

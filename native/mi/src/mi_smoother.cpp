// The Eilers-Goeman smoother S = (I + lambda^2 D2'D2 + 2 lambda D1'D1)^-1 (MUTUALINFO.md
// section 1), applied by a banded L D L' solve instead of forming the inverse: the matrix is
// symmetric positive definite with bandwidth 2.
#include <cstddef>
#include <vector>

#include "memshare/error.hpp"

#include "mutualinfo_detail.hpp"

namespace memshare::mi {

Smoother::Smoother(int m, double lambda) : m_(m), l1_(m, 0.0), l2_(m, 0.0), inv_d_(m, 0.0) {
    if (m < 3) throw Error(ErrorCode::InvalidArgument, "smoother size must be at least 3");
    // Bands of A: diagonal a0, first and second sub-diagonals a1[i] = A[i][i-1], a2[i] = A[i][i-2],
    // accumulated from the rows of D1 (-1, 1) and D2 (1, -2, 1) as t(D) %*% D does.
    std::vector<double> p1_0(m, 0.0), p1_1(m, 0.0), p2_0(m, 0.0), p2_1(m, 0.0), p2_2(m, 0.0);
    for (int r = 0; r + 1 < m; ++r) {  // D1 row r: -1 at r, +1 at r+1
        p1_0[r] += 1;
        p1_0[r + 1] += 1;
        p1_1[r + 1] += -1;
    }
    for (int r = 0; r + 2 < m; ++r) {  // D2 row r: 1, -2, 1 at r, r+1, r+2
        const double c[3] = {1, -2, 1};
        for (int s = 0; s < 3; ++s) {
            p2_0[r + s] += c[s] * c[s];
            for (int t = 0; t < s; ++t) (s - t == 1 ? p2_1 : p2_2)[r + s] += c[s] * c[t];
        }
    }
    const double l2 = lambda * lambda;
    const double l1 = 2 * lambda;
    std::vector<double> a0(m), a1(m), a2(m);
    for (int i = 0; i < m; ++i) {
        a0[i] = 1 + l2 * p2_0[i] + l1 * p1_0[i];
        a1[i] = l2 * p2_1[i] + l1 * p1_1[i];
        a2[i] = l2 * p2_2[i];
    }
    std::vector<double> d(m);
    for (int i = 0; i < m; ++i) {
        double di = a0[i];
        if (i >= 2) l2_[i] = a2[i] / d[i - 2];
        if (i >= 1) {
            double num = a1[i];
            if (i >= 2) num -= l2_[i] * d[i - 2] * l1_[i - 1];
            l1_[i] = num / d[i - 1];
            di -= l1_[i] * l1_[i] * d[i - 1];
        }
        if (i >= 2) di -= l2_[i] * l2_[i] * d[i - 2];
        d[i] = di;
        inv_d_[i] = 1 / di;
    }
}

void Smoother::apply(double* b, std::size_t ncols, std::size_t ld) const {
    const int m = m_;
    // Forward: L z = b.
    for (int i = 1; i < m; ++i) {
        double* ri = b + i * ld;
        const double* r1 = b + (i - 1) * ld;
        const double c1 = l1_[i];
        if (i >= 2) {
            const double* r2 = b + (i - 2) * ld;
            const double c2 = l2_[i];
            for (std::size_t j = 0; j < ncols; ++j) ri[j] -= c1 * r1[j] + c2 * r2[j];
        } else {
            for (std::size_t j = 0; j < ncols; ++j) ri[j] -= c1 * r1[j];
        }
    }
    // Diagonal and backward: L' x = D^-1 z.
    for (int i = m - 1; i >= 0; --i) {
        double* ri = b + i * ld;
        const double s = inv_d_[i];
        if (i + 2 < m) {
            const double* r1 = b + (i + 1) * ld;
            const double* r2 = b + (i + 2) * ld;
            const double c1 = l1_[i + 1], c2 = l2_[i + 2];
            for (std::size_t j = 0; j < ncols; ++j) ri[j] = ri[j] * s - (c1 * r1[j] + c2 * r2[j]);
        } else if (i + 1 < m) {
            const double* r1 = b + (i + 1) * ld;
            const double c1 = l1_[i + 1];
            for (std::size_t j = 0; j < ncols; ++j) ri[j] = ri[j] * s - c1 * r1[j];
        } else {
            for (std::size_t j = 0; j < ncols; ++j) ri[j] *= s;
        }
    }
}

}  // namespace memshare::mi

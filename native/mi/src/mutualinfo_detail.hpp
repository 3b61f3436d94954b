// Internal building blocks of the mutual-information estimator (memshare/mutualinfo.hpp). Private
// to memshare_mi: not installed with the public headers; only the estimator's sources and its
// tests (tests/cpp/mi, through a PRIVATE include directory) see it. Not a stable API.
// Section numbers refer to docs/MUTUALINFO.md.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace memshare::mi {

// --- R's summary statistics, sorting (mi_stats.cpp) ----------------------------------------
// mean(x): long-double sum, then one correction pass, as R does.
double r_mean(const double* x, std::size_t n);
// var(x) with the n-1 denominator, two passes as R's cov.c (NaN for n < 2).
double r_var(const double* x, std::size_t n);
// quantile(x, p, type = 7) of ascending, finite data.
double r_quantile7(const double* sorted, std::size_t n, double p);

// Ascending sort of doubles without NaN (LSD radix sort on the IEEE bits from 512 values up;
// -0.0 sorts before +0.0, which compare equal).
void sort_ascending(double* v, std::size_t n);

// --- Section 1: Pareto radius (mi_pareto.cpp) -------------------------------------------------
// Radius of ascending, finite data (N = n values, all used). NaN when it is not finite (all
// values equal, or n < 2); the caller then returns 0.
double pareto_radius(const double* sorted, std::size_t n);

// --- Section 1: grid and bins (mi_grid.cpp) ---------------------------------------------------
constexpr int kGridSize = 512;

struct Grid {
    std::array<double, kGridSize> g;      // g[0] = min - R, ..., g[511] = max + R exactly
    std::array<double, kGridSize - 1> e;  // interior bin edges (g[i] + g[i+1]) / 2
    double step = 0;                      // (b - a) / 511, as seq() computes it
    double dx = 0;                        // mean of the 511 differences
    // 0-based bin of v: the number of interior edges <= v (edge[i] <= v < edge[i+1]).
    int bin(double v) const;
};
Grid make_grid(double min, double max, double radius);

// --- Section 1: the Eilers-Goeman smoother (mi_smoother.cpp) ----------------------------------
// (I + lambda^2 D2'D2 + 2 lambda D1'D1), size m >= 3, factorised once as L D L' (bandwidth 2).
class Smoother {
public:
    Smoother(int m, double lambda);
    int size() const { return m_; }
    // B <- S_lambda B for an m x ncols row-major matrix B (row stride ld): smooths along rows' axis.
    void apply(double* b, std::size_t ncols, std::size_t ld) const;
    // v <- S_lambda v.
    void apply(double* v) const { apply(v, 1, 1); }

private:
    int m_;
    std::vector<double> l1_, l2_, inv_d_;
};

// --- dense kernel (mi_gemm.cpp) ---------------------------------------------------------------
// C (m x n, row-major, row stride ldc) = sum over t < k of u[t][i] * v[t][j]: a sum of k outer
// products of rows u[t] (length m) and v[t] (length n). Blocked, packed, vectorised.
void outer_product_sum(std::size_t m, std::size_t n, std::size_t k, const double* const* u, const double* const* v,
                       double* c, std::size_t ldc);

// out[dst] += weight * src[src] for every term, on rows of ncols values (row strides lds, ldo);
// done in column chunks so that the rows touched stay in cache.
struct RowTerm {
    std::uint32_t src, dst;
    double weight;
};
void accumulate_rows(std::size_t ncols, const RowTerm* terms, std::size_t count, const double* src, std::size_t lds,
                     double* out, std::size_t ldo);

// --- Sections 2 and 3: Pareto density estimation (mi_density.cpp) ---------------------------
// Both continuous: finite x, y of length n >= 3.
double pde_mi_continuous(const double* x, const double* y, std::size_t n, double eps);
// x continuous (finite), y discrete given as class codes 0..k-1 (every class present).
double pde_mi_mixed(const double* x, const std::uint32_t* y_class, std::size_t k, std::size_t n, double eps);

// --- Section 4: plug-in estimate (mi_plugin.cpp) ----------------------------------------------
// Sorted distinct values of v as class codes (NaNs form one class, placed last).
struct Classes {
    std::vector<std::uint32_t> code;  // per position
    std::vector<double> value;        // per class, ascending
};
Classes classify(const double* v, std::size_t n);
double plugin_mi(const Classes& x, const Classes& y);

// --- Section 5: kernel alternative (mi_dpik.cpp, mi_kernel.cpp) -------------------------------
// KernSmooth::dpik(v, level = 3, kernel = "epanech", scalest = "minim", gridsize = 401,
// truncate = TRUE), with mpmi's fallback to the standard deviation when the scale is 0.
double dpik_bandwidth(const double* v, std::size_t n);
// Raw estimate of mpmi::cmi with bandwidths hx, hy (Epanechnikov product kernel).
double mpmi_mi(const double* x, const double* y, std::size_t n, double hx, double hy);

}  // namespace memshare::mi

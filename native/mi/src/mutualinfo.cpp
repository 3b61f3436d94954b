// mutualinfo(): the checks and early returns of MUTUALINFO.md section 0, then dispatch to the
// estimator of the branch (sections 2-5).
#include "memshare/mutualinfo.hpp"

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "memshare/error.hpp"

#include "mutualinfo_detail.hpp"

namespace memshare {

namespace {

void require_finite(const double* v, std::size_t n, const char* name) {
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(v[i])) {
            const char* what = std::isnan(v[i]) ? "NA/NaN" : v[i] > 0 ? "Inf" : "-Inf";
            throw Error(ErrorCode::InvalidArgument,
                        std::string("mutualinfo: ") + name + " is treated as continuous but has a non-finite value (" +
                            what + " at index " + std::to_string(i) +
                            ", 0-based); remove it, mark the variable discrete, or set naRm to drop such positions");
        }
    }
}

}  // namespace

double mutual_information(const double* x, std::size_t x_length, const double* y, std::size_t y_length,
                          const MutualInfoOptions& options) {
    if (x_length != y_length) {
        throw Error(ErrorCode::InvalidArgument, "mutualinfo: x and y differ in length (x has " +
                                                    std::to_string(x_length) + " values, y has " +
                                                    std::to_string(y_length) + ")");
    }
    return mutual_information(x, y, x_length, options);
}

double mutual_information(const double* x, const double* y, std::size_t n, const MutualInfoOptions& options) {
    if (n > 0 && x == nullptr) throw Error(ErrorCode::InvalidArgument, "mutualinfo: x is null");
    if (n > 0 && y == nullptr) throw Error(ErrorCode::InvalidArgument, "mutualinfo: y is null");

    // 2. naRm: keep the positions where both are finite.
    std::vector<double> kept_x, kept_y;
    if (options.na_rm) {
        kept_x.reserve(n);
        kept_y.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            if (std::isfinite(x[i]) && std::isfinite(y[i])) {
                kept_x.push_back(x[i]);
                kept_y.push_back(y[i]);
            }
        }
        x = kept_x.data();
        y = kept_y.data();
        n = kept_x.size();
    }
    // 3. Too short.
    if (n < 3) return 0;
    // 4. A (numerically) constant variable.
    const double sd_x = std::sqrt(mi::r_var(x, n));
    const double sd_y = std::sqrt(mi::r_var(y, n));
    if (sd_x < options.eps || sd_y < options.eps) return 0;
    // 5./6. Continuous variables must be finite (the kernel alternative treats both as continuous).
    const bool x_continuous = options.use_mpmi || !options.x_discrete;
    const bool y_continuous = options.use_mpmi || !options.y_discrete;
    if (x_continuous) require_finite(x, n, "x");
    if (y_continuous) require_finite(y, n, "y");
    if (options.use_mpmi) {
        return mi::mpmi_mi(x, y, n, mi::dpik_bandwidth(x, n), mi::dpik_bandwidth(y, n));
    }
    // 7. Dispatch; the estimate is symmetric, so a discrete x is swapped to the y side.
    if (x_continuous && y_continuous) return mi::pde_mi_continuous(x, y, n, options.eps);
    if (!x_continuous && !y_continuous) return mi::plugin_mi(mi::classify(x, n), mi::classify(y, n));
    const double* cont = x_continuous ? x : y;
    const mi::Classes classes = mi::classify(x_continuous ? y : x, n);
    return mi::pde_mi_mixed(cont, classes.code.data(), classes.value.size(), n, options.eps);
}

double nats_to_bits(double nats) { return nats / 0.693147180559945309417232121458; }

}  // namespace memshare

// Mutual information of two numeric vectors, in nats, as R memshare::mutualinfo (1.1.0) estimates
// it: Pareto density estimation (both continuous, or one continuous and one discrete), the
// plug-in estimate (both discrete), or the Epanechnikov-kernel estimate of mpmi::cmi (use_mpmi).
// The method, step by step, is docs/MUTUALINFO.md; the internal pieces are declared in the private
// header native/mi/src/mutualinfo_detail.hpp. Thread-safe: no shared state; each call allocates its own work
// space (about 12 MB for two continuous variables, O(n) otherwise). Single-threaded: run calls in
// parallel for parallelism.
#pragma once

#include <cstddef>

namespace memshare {

struct MutualInfoOptions {
    bool x_discrete = false;  // R's isXDiscrete
    bool y_discrete = false;  // R's isYDiscrete
    bool na_rm = false;       // drop the positions where x or y is not finite
    bool use_mpmi = false;    // kernel estimate of mpmi::cmi (treats both as continuous)
    double eps = 2.220446049250313e-13;
};

// Nats. Throws memshare::Error(ErrorCode::InvalidArgument, message) for a null pointer with
// n > 0, or for a non-finite value (NA, NaN, ±Inf) in a variable treated as continuous when
// na_rm is false; the message names x or y. Returns 0 for fewer than 3 (kept) positions or a
// variable whose standard deviation is below eps. In a discrete variable every distinct value is
// a category (non-finite ones included: all NaNs form one category).
double mutual_information(const double* x, const double* y, std::size_t n, const MutualInfoOptions& options);

// As above, for inputs of possibly different lengths: unequal lengths throw
// Error(ErrorCode::InvalidArgument) naming both lengths.
double mutual_information(const double* x, std::size_t x_length, const double* y, std::size_t y_length,
                          const MutualInfoOptions& options);

// nats / ln 2.
double nats_to_bits(double nats);

}  // namespace memshare

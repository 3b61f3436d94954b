// Categories of a discrete variable, and the plug-in estimate for two discrete variables
// (MUTUALINFO.md section 4): MI = sum over non-empty cells of p(a,b) ln(p(a,b) / (p(a) p(b))).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "mutualinfo_detail.hpp"

namespace memshare::mi {

namespace {

// std::lower_bound without data-dependent branches (class labels arrive in random order).
std::size_t branchless_lower_bound(const double* a, std::size_t len, double x) {
    const double* base = a;
    if (len == 0) return 0;
    while (len > 1) {
        const std::size_t half = len / 2;
        base = base[half - 1] < x ? base + half : base;
        len -= half;
    }
    return static_cast<std::size_t>(base - a) + (*base < x ? 1 : 0);
}

// Integer labels within a range of at most max(1024, 4 n): a direct table, no search.
bool classify_integers(const double* v, std::size_t n, Classes& out) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    bool has_nan = false;
    for (std::size_t i = 0; i < n; ++i) {
        const double x = v[i];
        if (std::isnan(x)) {
            has_nan = true;
            continue;
        }
        if (!(x == std::floor(x))) return false;  // also rejects +-Inf
        lo = std::min(lo, x);
        hi = std::max(hi, x);
    }
    if (!(hi >= lo)) return false;  // nothing but NaN
    const double span = hi - lo;
    if (!(span < static_cast<double>(std::max<std::size_t>(1024, 4 * n)))) return false;
    std::vector<std::uint32_t> slot(static_cast<std::size_t>(span) + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isnan(v[i])) slot[static_cast<std::size_t>(v[i] - lo)] = 1;
    }
    std::uint32_t next = 0;
    for (std::size_t t = 0; t < slot.size(); ++t) {
        if (slot[t]) {
            out.value.push_back(lo + static_cast<double>(t));
            slot[t] = next++;
        }
    }
    out.code.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        out.code[i] = std::isnan(v[i]) ? next : slot[static_cast<std::size_t>(v[i] - lo)];
    }
    if (has_nan) out.value.push_back(std::nan(""));
    return true;
}

}  // namespace

Classes classify(const double* v, std::size_t n) {
    Classes out;
    if (classify_integers(v, n, out)) return out;
    std::vector<double>& values = out.value;
    bool has_nan = false;
    for (std::size_t i = 0; i < n; ++i) {
        if (std::isnan(v[i])) {
            has_nan = true;
        } else {
            values.push_back(v[i]);
        }
    }
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    const auto nan_code = static_cast<std::uint32_t>(values.size());
    out.code.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double x = v[i];
        out.code[i] = std::isnan(x) ? nan_code
                                    : static_cast<std::uint32_t>(branchless_lower_bound(values.data(), values.size(), x));
    }
    if (has_nan) values.push_back(std::nan(""));
    return out;
}

double plugin_mi(const Classes& x, const Classes& y) {
    const std::size_t n = x.code.size();
    const std::size_t kx = x.value.size(), ky = y.value.size();
    const double nd = static_cast<double>(n);
    std::vector<std::size_t> cx(kx, 0), cy(ky, 0);
    for (std::size_t i = 0; i < n; ++i) {
        ++cx[x.code[i]];
        ++cy[y.code[i]];
    }
    long double mi = 0;
    auto add_cell = [&](std::size_t a, std::size_t b, std::size_t count) {
        const double pab = count / nd;
        mi += pab * std::log(pab / ((cx[a] / nd) * (cy[b] / nd)));
    };
    if (kx * ky <= (std::size_t{1} << 22)) {
        std::vector<std::size_t> table(kx * ky, 0);
        for (std::size_t i = 0; i < n; ++i) ++table[x.code[i] * ky + y.code[i]];
        for (std::size_t a = 0; a < kx; ++a) {
            for (std::size_t b = 0; b < ky; ++b) {
                if (table[a * ky + b] > 0) add_cell(a, b, table[a * ky + b]);
            }
        }
    } else {
        std::vector<std::uint64_t> keys(n);
        for (std::size_t i = 0; i < n; ++i) keys[i] = static_cast<std::uint64_t>(x.code[i]) * ky + y.code[i];
        std::sort(keys.begin(), keys.end());
        for (std::size_t i = 0; i < n;) {
            std::size_t j = i;
            while (j < n && keys[j] == keys[i]) ++j;
            add_cell(keys[i] / ky, keys[i] % ky, j - i);
            i = j;
        }
    }
    return static_cast<double>(mi);
}

}  // namespace memshare::mi

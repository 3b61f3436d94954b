// Pareto radius (MUTUALINFO.md section 1): the bisection of ParetoRadius_fast over all values
// (R samples 10,000 of them above that size; using all keeps the result deterministic).
//
// Every step of that bisection asks whether cnt(mid) > k, cnt(d) being the number of pairs
// whose computed difference v[j] - v[i] is <= d; cnt is monotone, so the answer is "yes" exactly
// when mid >= D, D the (k+1)-th smallest computed difference. The steps are replayed exactly as
// written, but each is answered from a bracket blo < D <= bhi where possible:
//  1. narrow the bracket with a few O(N) two-pointer counting passes, each probing just below and
//     just above an estimate of D (quantiles of a sample of pairs, then the secant);
//  2. once few pairs lie in the bracket, list them and select D among them;
//  3. replay the bisection: mid <= blo is "no", mid >= bhi or mid >= D is "yes"; a mid inside an
//     unresolved bracket (heavily tied data) gets its own counting pass, as in R.
// Same steps, same result as the plain bisection, with a handful of passes instead of ~33.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "memshare/error.hpp"
#include "mi_simd.hpp"
#include "mutualinfo_detail.hpp"

namespace memshare::mi {

// cnt(d) for d >= 0 and ascending v, and first[j] = the first i with v[j] - v[i] <= d. For fixed
// j the computed difference is non-increasing in i, and that first i never moves back as j grows
// (two pointers). The AVX2 version advances four j at once: for each candidate i it tests all four
// and counts, per lane, the i that still fail; it stops at the first i that passes in every lane.
// One unpredictable branch per four j instead of one per j; the same first[] and count.
namespace pair_count {

#if MEMSHARE_MI_MULTIVERSION
__attribute__((target("default")))
#endif
std::uint64_t within(const double* v, std::size_t n, double d, std::uint32_t* first) {
    std::size_t i = 0;
    std::uint64_t cnt = 0;
    for (std::size_t j = 0; j < n; ++j) {
        while (v[j] - v[i] > d) ++i;
        first[j] = static_cast<std::uint32_t>(i);
        cnt += j - i;
    }
    return cnt;
}

#if MEMSHARE_MI_MULTIVERSION
__attribute__((target("avx2,fma")))
std::uint64_t within(const double* v, std::size_t n, double d, std::uint32_t* first) {
    std::size_t i = 0;
    std::uint64_t cnt = 0;
    std::size_t j = 0;
    const simd::v4d d4 = {d, d, d, d};
    for (; j + 4 <= n; j += 4) {
        const simd::v4d vj = MEMSHARE_MI_LOAD4(v + j);
        simd::v4i fail = {0, 0, 0, 0};
        for (std::size_t t = i;; ++t) {  // ends by t = j + 3, where every lane passes (d >= 0)
            const double vt = v[t];
            const simd::v4d vt4 = {vt, vt, vt, vt};
            const simd::v4i m = (vj - vt4) > d4;
            if (!(m[0] | m[1] | m[2] | m[3])) break;
            fail -= m;
        }
        for (std::size_t l = 0; l < 4; ++l) {
            const std::size_t il = i + static_cast<std::size_t>(fail[l]);
            first[j + l] = static_cast<std::uint32_t>(il);
            cnt += j + l - il;
        }
        i += static_cast<std::size_t>(fail[3]);
    }
    for (; j < n; ++j) {
        while (v[j] - v[i] > d) ++i;
        first[j] = static_cast<std::uint32_t>(i);
        cnt += j - i;
    }
    return cnt;
}
#endif

}  // namespace pair_count

namespace {

// A bracket blo < D <= bhi with the counts and first-index arrays at both ends: the pairs with
// blo < difference <= bhi are, for each j, the i in [first_hi[j], first_lo[j]).
struct Bracket {
    double lo = 0, hi = 0;
    std::uint64_t cnt_lo = 0, cnt_hi = 0;
    std::vector<std::uint32_t>& first_lo;
    std::vector<std::uint32_t>& first_hi;
    std::uint64_t pairs() const { return cnt_hi - cnt_lo; }

    // Takes a probe at d (count c, first indexes in probe, which is swapped out).
    void take(double d, std::uint64_t c, double k, std::vector<std::uint32_t>& probe) {
        if (static_cast<double>(c) > k) {
            if (d < hi) {
                hi = d;
                cnt_hi = c;
                first_hi.swap(probe);
            }
        } else if (d > lo) {
            lo = d;
            cnt_lo = c;
            first_lo.swap(probe);
        }
    }
};

// The radius's working arrays (about 0.4 MB for n = 10,446), kept per thread across calls. The
// estimator runs once per feature; allocating and freeing them every time made glibc hand the
// memory back to the kernel (madvise) and fault it in again on the next call, which cost a fresh
// worker JVM about a tenth of its ranking time.
struct Scratch {
    std::vector<std::uint32_t> first_lo, first_hi, probe1, probe2;
    std::vector<double> diffs, sample;
};

Scratch& scratch() {
    thread_local Scratch s;
    return s;
}

}  // namespace

double pareto_radius(const double* v, std::size_t n) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (n < 2) return nan;
    if (n > std::numeric_limits<std::uint32_t>::max()) {
        throw Error(ErrorCode::InvalidArgument, "mutualinfo: more than 2^32 - 1 values in one variable");
    }
    const double nd = static_cast<double>(n);
    const double m = nd * (nd - 1) / 2;
    const double k = std::floor(0.18 * m);
    const double range = v[n - 1] - v[0];

    // The bracket starts as (0, max - min]: every computed difference is <= max - min, and a
    // difference is <= 0 exactly when the two values are equal.
    Scratch& s = scratch();
    Bracket b{0, range, 0, static_cast<std::uint64_t>(n) * (n - 1) / 2, s.first_lo, s.first_hi};
    b.first_hi.assign(n, 0);
    b.first_lo.assign(n, 0);
    for (std::size_t j = 0; j < n; ++j) {
        const std::uint32_t first = (j > 0 && v[j] == v[j - 1]) ? b.first_lo[j - 1] : static_cast<std::uint32_t>(j);
        b.first_lo[j] = first;
        b.cnt_lo += j - first;
    }
    std::vector<std::uint32_t>& probe1 = s.probe1;
    std::vector<std::uint32_t>& probe2 = s.probe2;
    probe1.assign(n, 0);
    probe2.assign(n, 0);

    // Below this size the plain bisection (about 33 passes over N values) is as fast.
    constexpr std::size_t kAccelerateFrom = 4096;
    bool known = false;
    double kth = 0;  // D, once known
    const std::uint64_t list_limit = std::max<std::uint64_t>(2 * static_cast<std::uint64_t>(n), 64);
    auto select_if_few = [&] {
        if (known || b.pairs() > list_limit) return;
        const double rank = k + 1 - static_cast<double>(b.cnt_lo);  // of D among the listed ones
        std::vector<double>& diffs = s.diffs;
        diffs.clear();
        diffs.reserve(b.pairs());
        const std::uint32_t* from = b.first_hi.data();  // not re-read after every push_back
        const std::uint32_t* to = b.first_lo.data();
        for (std::size_t j = 0; j < n; ++j) {
            for (std::uint32_t i = from[j]; i < to[j]; ++i) diffs.push_back(v[j] - v[i]);
        }
        const auto r = static_cast<std::size_t>(rank) - 1;
        std::nth_element(diffs.begin(), diffs.begin() + static_cast<std::ptrdiff_t>(r), diffs.end());
        kth = diffs[r];
        known = true;
    };
    auto probe = [&](double d1, double d2) {
        const std::uint64_t c1 = pair_count::within(v, n, d1, probe1.data());
        const std::uint64_t c2 = d2 == d1 ? c1 : pair_count::within(v, n, d2, probe2.data());
        if (d2 == d1) probe2 = probe1;
        b.take(d1, c1, k, probe1);
        b.take(d2, c2, k, probe2);
    };

    if (static_cast<double>(b.cnt_lo) > k) {
        known = true;  // D = 0: more than k pairs of equal values
        kth = 0;
    } else if (range > 0 && n >= kAccelerateFrom && b.pairs() > list_limit) {
        // 1. Bracket D between two quantiles of a sample of pairs, a few standard errors apart.
        {
            constexpr std::size_t kSample = 4096;
            std::vector<double>& sample = s.sample;
            sample.assign(kSample, 0.0);
            std::uint64_t state = 0x9E3779B97F4A7C15ull ^ n;  // fixed seed: the result never depends on it
            auto next = [&state] {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                return state;
            };
            auto below = [&next](std::size_t bound) {  // uniform enough in [0, bound)
                return static_cast<std::size_t>((static_cast<unsigned __int128>(next()) * bound) >> 64);
            };
            for (double& d : sample) {
                std::size_t i = below(n), j = below(n - 1);
                if (j >= i) ++j; else std::swap(i, j);
                d = v[j] - v[i];
            }
            const double p = (k + 0.5) / m;
            const double spread = 4 * std::sqrt(p * (1 - p) / kSample) + 2.0 / kSample;
            auto quantile = [&](double q) {
                const auto r = static_cast<std::size_t>(std::clamp(q, 0.0, 1.0) * (kSample - 1));
                std::nth_element(sample.begin(), sample.begin() + static_cast<std::ptrdiff_t>(r), sample.end());
                return sample[r];
            };
            const double d1 = quantile(p - spread), d2 = quantile(p + spread);
            if (b.lo < d1 && d1 <= d2 && d2 < b.hi) probe(d1, d2);
        }
        // 2. Narrow around the secant estimate of D; by thirds when that stops paying off.
        bool thirds = false;
        for (int pass = 0; pass < 40 && b.pairs() > list_limit && b.hi - b.lo > 1e-10 * (1 + b.hi); ++pass) {
            const double width = b.hi - b.lo;
            const double before = static_cast<double>(b.pairs());
            double d1, d2;
            if (thirds) {
                d1 = b.lo + width / 3;
                d2 = b.hi - width / 3;
            } else {
                const double slope = before / width;  // pairs per unit of distance
                const double est = b.lo + (k + 0.5 - static_cast<double>(b.cnt_lo)) / slope;
                const double half = std::max(0.25 * static_cast<double>(list_limit), 0.02 * before) / slope;
                d1 = std::max(est - half, b.lo + 1e-3 * width);
                d2 = std::min(est + half, b.hi - 1e-3 * width);
            }
            if (!(d1 < d2)) d1 = d2 = b.lo + width / 2;
            if (!(b.lo < d1 && d2 < b.hi)) break;  // no representable probe inside
            probe(d1, d2);
            const double after = static_cast<double>(b.pairs());
            if (thirds && after > 0.9 * before) break;  // pairs tied at D: leave the rest to the replay
            thirds = after > 0.25 * before;
        }
    }
    // 3. Select D when the bracket holds few pairs.
    select_if_few();

    // 4. Replay the bisection as written.
    double lo = 0, hi = range, ans = hi;
    while (hi - lo > 1e-9 * (1 + hi)) {
        const double mid = (lo + hi) / 2;
        bool above;
        if (known) {
            above = mid >= kth;
        } else if (mid <= b.lo) {
            above = false;
        } else if (mid >= b.hi) {
            above = true;
        } else {
            const std::uint64_t c = pair_count::within(v, n, mid, probe1.data());
            above = static_cast<double>(c) > k;
            b.take(mid, c, k, probe1);
            select_if_few();
        }
        if (above) {
            ans = hi = mid;
        } else {
            lo = mid;
        }
    }
    // ans is exactly 0 only when max == min: then every pairwise distance is 0, the percentile
    // fallback (step 3) finds no positive one, and the radius is not finite (step 4).
    if (ans == 0 || !std::isfinite(ans)) return nan;
    if (n > 1024) ans = ans * 4 / std::pow(nd, 0.2);
    return ans;
}

}  // namespace memshare::mi

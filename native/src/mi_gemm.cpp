// The one dense kernel of the estimator: C = sum over t of u[t] v[t]' (k outer products of rows),
// a matrix product with both operands stored k-major. Packed panels, a 6 x 8 register tile and
// GCC/Clang vector types; on x86-64 Linux a second copy is compiled for AVX + FMA and chosen at
// load time (target_clones), so the library still runs on any x86-64.
#include <algorithm>
#include <cstddef>
#include <memory>
#include <new>

#include "memshare/mutualinfo_detail.hpp"

#if defined(__GNUC__) && defined(__x86_64__) && defined(__ELF__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define MEMSHARE_MI_CLONES __attribute__((target_clones("fma", "default")))
#endif
#endif
#ifndef MEMSHARE_MI_CLONES
#define MEMSHARE_MI_CLONES
#endif

namespace memshare::mi {

namespace {

constexpr std::size_t kMr = 6;    // rows of a register tile (broadcast from u)
constexpr std::size_t kNr = 8;    // columns of a register tile (two 4-wide vectors from v)
constexpr std::size_t kKc = 128;  // depth of a packed block (v panel in L1, u block in L2)

typedef double v4 __attribute__((vector_size(32)));

struct AlignedFree {
    void operator()(double* p) const { ::operator delete[](p, std::align_val_t(64)); }
};
using Buffer = std::unique_ptr<double[], AlignedFree>;
Buffer aligned_buffer(std::size_t count) {
    return Buffer(static_cast<double*>(::operator new[](count * sizeof(double), std::align_val_t(64))));
}

// Unaligned access to 4 doubles (a vector type with the alignment of double).
typedef double v4u __attribute__((vector_size(32), aligned(8), may_alias));
#define MEMSHARE_LOAD4(p) (*reinterpret_cast<const v4u*>(p))
#define MEMSHARE_STORE4(p, x) (*reinterpret_cast<v4u*>(p) = (x))

// One block of depth kc: C (+)= Up' Vp over all tiles. up holds mp panels of kc x kMr, vp np
// panels of kc x kNr, zero-padded at the edges.
MEMSHARE_MI_CLONES
void block_product(const double* up, std::size_t mp, const double* vp, std::size_t np, std::size_t kc, double* c,
                   std::size_t ldc, std::size_t m, std::size_t n, bool overwrite) {
    for (std::size_t q = 0; q < np; ++q) {
        const double* vq = vp + q * kc * kNr;
        const std::size_t j0 = q * kNr;
        for (std::size_t p = 0; p < mp; ++p) {
            const double* upp = up + p * kc * kMr;
            v4 c00 = {0, 0, 0, 0}, c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
            v4 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
            for (std::size_t t = 0; t < kc; ++t) {
                const v4 b0 = MEMSHARE_LOAD4(vq + t * kNr);
                const v4 b1 = MEMSHARE_LOAD4(vq + t * kNr + 4);
                const double* a = upp + t * kMr;
                c00 += a[0] * b0;
                c01 += a[0] * b1;
                c10 += a[1] * b0;
                c11 += a[1] * b1;
                c20 += a[2] * b0;
                c21 += a[2] * b1;
                c30 += a[3] * b0;
                c31 += a[3] * b1;
                c40 += a[4] * b0;
                c41 += a[4] * b1;
                c50 += a[5] * b0;
                c51 += a[5] * b1;
            }
            const v4 tile[kMr][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
            const std::size_t i0 = p * kMr;
            const std::size_t rows = std::min(kMr, m - i0);
            const std::size_t cols = std::min(kNr, n - j0);
            for (std::size_t r = 0; r < rows; ++r) {
                double* crow = c + (i0 + r) * ldc + j0;
                if (cols == kNr) {
                    if (overwrite) {
                        MEMSHARE_STORE4(crow, tile[r][0]);
                        MEMSHARE_STORE4(crow + 4, tile[r][1]);
                    } else {
                        MEMSHARE_STORE4(crow, MEMSHARE_LOAD4(crow) + tile[r][0]);
                        MEMSHARE_STORE4(crow + 4, MEMSHARE_LOAD4(crow + 4) + tile[r][1]);
                    }
                } else {
                    double tmp[kNr];
                    MEMSHARE_STORE4(tmp, tile[r][0]);
                    MEMSHARE_STORE4(tmp + 4, tile[r][1]);
                    for (std::size_t s = 0; s < cols; ++s) crow[s] = overwrite ? tmp[s] : crow[s] + tmp[s];
                }
            }
        }
    }
}

// dst: panels of width w (kc x w each) from rows src[k0 .. k0+kc) of length len, zero-padded.
void pack(const double* const* src, std::size_t k0, std::size_t kc, std::size_t len, std::size_t w, double* dst) {
    const std::size_t panels = (len + w - 1) / w;
    for (std::size_t p = 0; p < panels; ++p) {
        const std::size_t c0 = p * w;
        const std::size_t cols = std::min(w, len - c0);
        double* out = dst + p * kc * w;
        for (std::size_t t = 0; t < kc; ++t) {
            const double* row = src[k0 + t] + c0;
            double* o = out + t * w;
            for (std::size_t s = 0; s < cols; ++s) o[s] = row[s];
            for (std::size_t s = cols; s < w; ++s) o[s] = 0;
        }
    }
}

}  // namespace

void outer_product_sum(std::size_t m, std::size_t n, std::size_t k, const double* const* u, const double* const* v,
                       double* c, std::size_t ldc) {
    if (m == 0 || n == 0) return;
    if (k == 0) {
        for (std::size_t i = 0; i < m; ++i) std::fill(c + i * ldc, c + i * ldc + n, 0.0);
        return;
    }
    const std::size_t mp = (m + kMr - 1) / kMr;
    const std::size_t np = (n + kNr - 1) / kNr;
    Buffer up = aligned_buffer(mp * kMr * kKc);
    Buffer vp = aligned_buffer(np * kNr * kKc);
    for (std::size_t k0 = 0; k0 < k; k0 += kKc) {
        const std::size_t kc = std::min(kKc, k - k0);
        pack(u, k0, kc, m, kMr, up.get());
        pack(v, k0, kc, n, kNr, vp.get());
        block_product(up.get(), mp, vp.get(), np, kc, c, ldc, m, n, k0 == 0);
    }
}

}  // namespace memshare::mi

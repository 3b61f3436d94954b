// The dense kernels of the estimator. outer_product_sum: C = sum over t of u[t] v[t]' (k outer
// products of rows), a matrix product with both operands stored k-major; accumulate_rows: a sparse
// matrix times a dense one, as row updates. Packed panels, a 6 x 8 register tile and
// GCC/Clang vector types; on x86-64 Linux a second copy is compiled for AVX + FMA and chosen at
// load time (target_clones), so the library still runs on any x86-64.
#include <algorithm>
#include <cstddef>
#include <memory>
#include <new>

#include "mi_simd.hpp"
#include "mutualinfo_detail.hpp"

namespace memshare::mi {

namespace {

constexpr std::size_t kMr = 6;    // rows of a register tile (broadcast from u)
constexpr std::size_t kNr = 8;    // columns of a register tile (two 4-wide vectors from v)
constexpr std::size_t kKc = 128;  // depth of a packed block (v panel in L1, u block in L2)

struct AlignedFree {
    void operator()(double* p) const { ::operator delete[](p, std::align_val_t(64)); }
};
using Buffer = std::unique_ptr<double[], AlignedFree>;
Buffer aligned_buffer(std::size_t count) {
    return Buffer(static_cast<double*>(::operator new[](count * sizeof(double), std::align_val_t(64))));
}

// One block of depth kc: C (+)= Up' Vp over all tiles. up holds mp panels of kc x kMr, vp np
// panels of kc x kNr, zero-padded at the edges.
#if MEMSHARE_MI_VECTOR
MEMSHARE_MI_CLONES
void block_product(const double* up, std::size_t mp, const double* vp, std::size_t np, std::size_t kc, double* c,
                   std::size_t ldc, std::size_t m, std::size_t n, bool overwrite) {
    for (std::size_t q = 0; q < np; ++q) {
        const double* vq = vp + q * kc * kNr;
        const std::size_t j0 = q * kNr;
        for (std::size_t p = 0; p < mp; ++p) {
            const double* upp = up + p * kc * kMr;
            simd::v4d c00 = {0, 0, 0, 0}, c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
            simd::v4d c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
            for (std::size_t t = 0; t < kc; ++t) {
                const simd::v4d b0 = MEMSHARE_MI_LOAD4(vq + t * kNr);
                const simd::v4d b1 = MEMSHARE_MI_LOAD4(vq + t * kNr + 4);
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
            const simd::v4d tile[kMr][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
            const std::size_t i0 = p * kMr;
            const std::size_t rows = std::min(kMr, m - i0);
            const std::size_t cols = std::min(kNr, n - j0);
            for (std::size_t r = 0; r < rows; ++r) {
                double* crow = c + (i0 + r) * ldc + j0;
                if (cols == kNr) {
                    if (overwrite) {
                        MEMSHARE_MI_STORE4(crow, tile[r][0]);
                        MEMSHARE_MI_STORE4(crow + 4, tile[r][1]);
                    } else {
                        MEMSHARE_MI_STORE4(crow, MEMSHARE_MI_LOAD4(crow) + tile[r][0]);
                        MEMSHARE_MI_STORE4(crow + 4, MEMSHARE_MI_LOAD4(crow + 4) + tile[r][1]);
                    }
                } else {
                    double tmp[kNr];
                    MEMSHARE_MI_STORE4(tmp, tile[r][0]);
                    MEMSHARE_MI_STORE4(tmp + 4, tile[r][1]);
                    for (std::size_t s = 0; s < cols; ++s) crow[s] = overwrite ? tmp[s] : crow[s] + tmp[s];
                }
            }
        }
    }
}

#else
void block_product(const double* up, std::size_t mp, const double* vp, std::size_t np, std::size_t kc, double* c,
                   std::size_t ldc, std::size_t m, std::size_t n, bool overwrite) {
    for (std::size_t q = 0; q < np; ++q) {
        for (std::size_t p = 0; p < mp; ++p) {
            double tile[kMr][kNr] = {};
            for (std::size_t t = 0; t < kc; ++t)
                for (std::size_t r = 0; r < kMr; ++r)
                    for (std::size_t s = 0; s < kNr; ++s) tile[r][s] += up[(p * kc + t) * kMr + r] * vp[(q * kc + t) * kNr + s];
            for (std::size_t r = 0; r < kMr && p * kMr + r < m; ++r)
                for (std::size_t s = 0; s < kNr && q * kNr + s < n; ++s) {
                    double& out = c[(p * kMr + r) * ldc + q * kNr + s];
                    out = overwrite ? tile[r][s] : out + tile[r][s];
                }
        }
    }
}
#endif

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

MEMSHARE_MI_CLONES
void accumulate_chunk(std::size_t c0, std::size_t c1, const RowTerm* terms, std::size_t count, const double* src,
                      std::size_t lds, double* out, std::size_t ldo) {
    for (std::size_t t = 0; t < count; ++t) {
        const double w = terms[t].weight;
        const double* s = src + terms[t].src * lds;
        double* o = out + terms[t].dst * ldo;
        for (std::size_t c = c0; c < c1; ++c) o[c] += w * s[c];
    }
}

}  // namespace

void accumulate_rows(std::size_t ncols, const RowTerm* terms, std::size_t count, const double* src, std::size_t lds,
                     double* out, std::size_t ldo) {
    constexpr std::size_t kChunk = 64;  // 512 rows x 512 bytes of each side fit in L2
    for (std::size_t c0 = 0; c0 < ncols; c0 += kChunk) {
        accumulate_chunk(c0, std::min(ncols, c0 + kChunk), terms, count, src, lds, out, ldo);
    }
}

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

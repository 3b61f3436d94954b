// Vector helpers shared by the estimator's hot loops (private to native/mi/src).
//
// MEMSHARE_MI_VECTOR: GCC/Clang vector types are available (4 doubles; two SSE2 registers on
// baseline x86-64, one AVX register in the AVX clones, two NEON registers on arm64).
// MEMSHARE_MI_CLONES: on x86-64 ELF, compile a function twice, baseline and AVX + FMA ("fma"
// implies AVX), and pick one at load time (target_clones), so the library runs on any x86-64.
// MEMSHARE_MI_MULTIVERSION: the same machinery with a different body per target (function
// multiversioning: one definition with target("default"), one with target("avx2,fma")).
#pragma once

#include <cstdint>

#if defined(__GNUC__) || defined(__clang__)
#define MEMSHARE_MI_VECTOR 1
namespace memshare::mi::simd {
typedef double v4d __attribute__((vector_size(32)));
typedef std::int64_t v4i __attribute__((vector_size(32)));
// 4 doubles at the alignment of double, allowed to alias double.
typedef double v4d_u __attribute__((vector_size(32), aligned(8), may_alias));
}  // namespace memshare::mi::simd
#define MEMSHARE_MI_LOAD4(p) (*reinterpret_cast<const ::memshare::mi::simd::v4d_u*>(p))
#define MEMSHARE_MI_STORE4(p, x) (*reinterpret_cast<::memshare::mi::simd::v4d_u*>(p) = (x))
#else
#define MEMSHARE_MI_VECTOR 0
#endif

#if defined(__x86_64__) && defined(__ELF__) && (defined(__GNUC__) || defined(__clang__)) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define MEMSHARE_MI_CLONES __attribute__((target_clones("fma", "default")))
#define MEMSHARE_MI_MULTIVERSION 1
#endif
#endif
#ifndef MEMSHARE_MI_CLONES
#define MEMSHARE_MI_CLONES
#define MEMSHARE_MI_MULTIVERSION 0
#endif

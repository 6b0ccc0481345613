// AVX2 + FMA kernels (compiled with -mavx2 -mfma). Tiles: f32 6x16 and f64
// 6x8: 12 ymm accumulators + 2 B vectors + 1 broadcast of the 16 registers.
// The n edge uses vmaskmov loads/stores, which never fault on masked lanes.
#include <immintrin.h>

#include "gemm/microkernels/kernel_set_impl.hpp"

namespace hoc::kernels::detail {
namespace {

struct VecF32x8 {
    using T = float;
    using reg = __m256;
    using mask = __m256i;
    static constexpr int W = 8;
    static reg zero() { return _mm256_setzero_ps(); }
    static reg load(const T* p) { return _mm256_loadu_ps(p); }
    static reg load_mask(const T* p, mask m) { return _mm256_maskload_ps(p, m); }
    static reg set1(T x) { return _mm256_set1_ps(x); }
    static reg fma(reg a, reg b, reg c) { return _mm256_fmadd_ps(a, b, c); }
    static reg mul(reg a, reg b) { return _mm256_mul_ps(a, b); }
    static void store(T* p, reg x) { _mm256_storeu_ps(p, x); }
    static void store_mask(T* p, reg x, mask m) { _mm256_maskstore_ps(p, m, x); }
    static mask make_mask(int n) {
        return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    }
    static void prefetch(const void* p) { _mm_prefetch(static_cast<const char*>(p), _MM_HINT_T0); }
    static T reduce_add(reg x) {
        __m128 q = _mm_add_ps(_mm256_castps256_ps128(x), _mm256_extractf128_ps(x, 1));
        q = _mm_add_ps(q, _mm_movehl_ps(q, q));
        return _mm_cvtss_f32(_mm_add_ss(q, _mm_movehdup_ps(q)));
    }
};

struct VecF64x4 {
    using T = double;
    using reg = __m256d;
    using mask = __m256i;
    static constexpr int W = 4;
    static reg zero() { return _mm256_setzero_pd(); }
    static reg load(const T* p) { return _mm256_loadu_pd(p); }
    static reg load_mask(const T* p, mask m) { return _mm256_maskload_pd(p, m); }
    static reg set1(T x) { return _mm256_set1_pd(x); }
    static reg fma(reg a, reg b, reg c) { return _mm256_fmadd_pd(a, b, c); }
    static reg mul(reg a, reg b) { return _mm256_mul_pd(a, b); }
    static void store(T* p, reg x) { _mm256_storeu_pd(p, x); }
    static void store_mask(T* p, reg x, mask m) { _mm256_maskstore_pd(p, m, x); }
    static mask make_mask(int n) {
        return _mm256_cmpgt_epi64(_mm256_set1_epi64x(n), _mm256_setr_epi64x(0, 1, 2, 3));
    }
    static void prefetch(const void* p) { _mm_prefetch(static_cast<const char*>(p), _MM_HINT_T0); }
    static T reduce_add(reg x) {
        const __m128d q = _mm_add_pd(_mm256_castpd256_pd128(x), _mm256_extractf128_pd(x, 1));
        return _mm_cvtsd_f64(_mm_add_sd(q, _mm_unpackhi_pd(q, q)));
    }
};

constexpr int kMr = 6;

}  // namespace

// Dot tile 1 x 8: 8 accumulators + 1 A vector + 1 B vector of 16 ymm.
const KernelSet<float>& kernels_avx2_f32() {
    static const KernelSet<float> set =
        make_kernel_set<VecF32x8, kMr, 2, 1, 8, 8>("avx2", 168, 384, 4080);
    return set;
}

const KernelSet<double>& kernels_avx2_f64() {
    static const KernelSet<double> set =
        make_kernel_set<VecF64x4, kMr, 2, 1, 8, 8>("avx2", 120, 384, 4080);
    return set;
}

}  // namespace hoc::kernels::detail

// AVX-512 kernels (this file is compiled with -mavx512f/dq/bw/vl -mfma).
// Tiles: f32 12x32 and f64 12x16, i.e. 24 zmm accumulators + 2 B vectors +
// 1 broadcast of the 32 registers; 24 FMAs per k step hide the 4-cycle FMA
// latency on 2 pipes (needs >= 8 in flight). AVX-512 k-masks make the n edge
// free: masked loads never touch memory past the matrix.
#include <immintrin.h>

#include "gemm/microkernels/kernel_set_impl.hpp"

namespace hoc::kernels::detail {
namespace {

// (Reductions extract both halves with zero masks: GCC 12 warns about the
// undefined upper lanes inside its plain cast / extract intrinsics.)
struct VecF32x16 {
    using T = float;
    using reg = __m512;
    using mask = __mmask16;
    static constexpr int W = 16;
    static reg zero() { return _mm512_setzero_ps(); }
    static reg load(const T* p) { return _mm512_loadu_ps(p); }
    static reg load_mask(const T* p, mask m) { return _mm512_maskz_loadu_ps(m, p); }
    static reg set1(T x) { return _mm512_set1_ps(x); }
    static reg fma(reg a, reg b, reg c) { return _mm512_fmadd_ps(a, b, c); }
    static reg mul(reg a, reg b) { return _mm512_mul_ps(a, b); }
    static void store(T* p, reg x) { _mm512_storeu_ps(p, x); }
    static void store_mask(T* p, reg x, mask m) { _mm512_mask_storeu_ps(p, m, x); }
    static mask make_mask(int n) { return static_cast<mask>((1u << n) - 1u); }
    static void prefetch(const void* p) { _mm_prefetch(static_cast<const char*>(p), _MM_HINT_T0); }
    static T reduce_add(reg x) {
        const __m256 h = _mm256_add_ps(_mm512_maskz_extractf32x8_ps(0xFF, x, 0), _mm512_maskz_extractf32x8_ps(0xFF, x, 1));
        __m128 q = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
        q = _mm_add_ps(q, _mm_movehl_ps(q, q));
        return _mm_cvtss_f32(_mm_add_ss(q, _mm_movehdup_ps(q)));
    }
};

struct VecF64x8 {
    using T = double;
    using reg = __m512d;
    using mask = __mmask8;
    static constexpr int W = 8;
    static reg zero() { return _mm512_setzero_pd(); }
    static reg load(const T* p) { return _mm512_loadu_pd(p); }
    static reg load_mask(const T* p, mask m) { return _mm512_maskz_loadu_pd(m, p); }
    static reg set1(T x) { return _mm512_set1_pd(x); }
    static reg fma(reg a, reg b, reg c) { return _mm512_fmadd_pd(a, b, c); }
    static reg mul(reg a, reg b) { return _mm512_mul_pd(a, b); }
    static void store(T* p, reg x) { _mm512_storeu_pd(p, x); }
    static void store_mask(T* p, reg x, mask m) { _mm512_mask_storeu_pd(p, m, x); }
    static mask make_mask(int n) { return static_cast<mask>((1u << n) - 1u); }
    static void prefetch(const void* p) { _mm_prefetch(static_cast<const char*>(p), _MM_HINT_T0); }
    static T reduce_add(reg x) {
        const __m256d h = _mm256_add_pd(_mm512_maskz_extractf64x4_pd(0xF, x, 0), _mm512_maskz_extractf64x4_pd(0xF, x, 1));
        const __m128d q = _mm_add_pd(_mm256_castpd256_pd128(h), _mm256_extractf128_pd(h, 1));
        return _mm_cvtsd_f64(_mm_add_sd(q, _mm_unpackhi_pd(q, q)));
    }
};

constexpr int kMr = 12;

}  // namespace

// Blocking (docs/design-gemm.md): measured on Zen 5, a deep KC wins (fewer C
// tile round trips and packing calls per flop); the MC x KC block of A then
// fills most of the 1 MiB L2 and the KC x NR panel of B streams from L2.
// Dot tile 3 x 8: 24 accumulators + 3 A vectors + 1 B vector.
const KernelSet<float>& kernels_avx512_f32() {
    static const KernelSet<float> set =
        make_kernel_set<VecF32x16, kMr, 2, 3, 8, 16, 8>("avx512", 240, 1024, 4096);
    return set;
}

const KernelSet<double>& kernels_avx512_f64() {
    static const KernelSet<double> set =
        make_kernel_set<VecF64x8, kMr, 2, 3, 8, 16, 8>("avx512", 240, 512, 4096);
    return set;
}

}  // namespace hoc::kernels::detail

// AVX-512 kernels (this file is compiled with -mavx512f/dq/bw/vl -mfma).
// Tiles: f32 12x32 and f64 12x16, i.e. 24 zmm accumulators + 2 B vectors +
// 1 broadcast of the 32 registers; 24 FMAs per k step hide the 4-cycle FMA
// latency on 2 pipes (needs >= 8 in flight). AVX-512 k-masks make the n edge
// free: masked loads never touch memory past the matrix.
#include <immintrin.h>

#include "gemm/microkernels/microkernel_impl.hpp"
#include "gemm/microkernels/pack_impl.hpp"

namespace hoc::kernels::detail {
namespace {

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
};

constexpr int kMr = 12;
using KernelF32 = Microkernel<VecF32x16, kMr, 2>;
using KernelF64 = Microkernel<VecF64x8, kMr, 2>;

}  // namespace

// Blocking (docs/design-gemm.md): KC x NR of B (128 B per k) fits in L1 with
// room for A's stream; MC x KC of A takes about half of the 1 MiB L2.
const KernelSet<float>& kernels_avx512_f32() {
    static const KernelSet<float> set{"avx512",          kMr, KernelF32::NR, 480, 256, 4096,
                                      &KernelF32::run<true>, &KernelF32::run<false>,   &pack_a<float, kMr>,
                                      &pack_b<float, KernelF32::NR>};
    return set;
}

const KernelSet<double>& kernels_avx512_f64() {
    static const KernelSet<double> set{"avx512",          kMr, KernelF64::NR, 240, 256, 4096,
                                       &KernelF64::run<true>, &KernelF64::run<false>,   &pack_a<double, kMr>,
                                       &pack_b<double, KernelF64::NR>};
    return set;
}

}  // namespace hoc::kernels::detail

// hoc::einsum against (a) a direct hoc::kernels::gemm call of the same
// multiply-adds on contiguous matrices (or a plain loop where no GEMM applies)
// and (b) OpenBLAS after explicit transposes (transpose, transpose, GEMM,
// transpose: the TTGT route of np.tensordot), all float, in one binary.
//
//   env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE ./bench/bench_einsum
//       --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <hoc/hoc.hpp>

#ifdef HOC_HAVE_REFERENCES
#include <cblas.h>
#endif

#include <immintrin.h>

#include <cstdio>
#include <cstring>
#include <span>
#include <random>
#include <vector>

using hoc::index_t;
using hoc::Shape;
using hoc::Tensor;

namespace {

Tensor<float> random_tensor(const Shape& s, unsigned seed = 1) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1, 1);
    Tensor<float> t = Tensor<float>::uninitialized(s);
    for (index_t i = 0; i < t.size(); ++i) t.data()[i] = u(rng);
    return t;
}

void set_flops(benchmark::State& st, double multiply_adds) {
    st.counters["GFLOPS"] =
        benchmark::Counter(2 * multiply_adds, benchmark::Counter::kIsIterationInvariantRate,
                           benchmark::Counter::kIs1000);
}

// C (m x n) = A (m x k) * B (k x n), all row-major contiguous.
void direct_gemm(index_t m, index_t n, index_t k, const float* a, const float* b, float* c) {
    hoc::kernels::gemm<float>(m, n, k, 1.0f, {a, k, 1}, {b, n, 1}, 0.0f, {c, n, 1});
}

#ifdef HOC_HAVE_REFERENCES
void blas_gemm(index_t m, index_t n, index_t k, const float* a, const float* b, float* c) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(m), static_cast<int>(n),
                static_cast<int>(k), 1.0f, a, static_cast<int>(k), b, static_cast<int>(n), 0.0f, c,
                static_cast<int>(n));
}
#endif

// Copies src (any strides) into the contiguous dst: the "T" of TTGT, done
// as fast as hoc can (memcpy when already in order, else the expression
// engine's SIMD assignment loop).
void materialize(const hoc::TensorView<const float>& src, Tensor<float>& dst) {
    if (src.is_contiguous()) std::memcpy(dst.data(), src.data(), sizeof(float) * src.size());
    else dst.view() = src;
}

#ifdef HOC_HAVE_REFERENCES
// One contraction by TTGT, as a generic tensor library does it: the operands
// copied into the (free, contracted) layout, one sgemm, the (free-left,
// free-right) result copied into the output order. An empty permutation
// means that tensor is used where it is, with no copy.
struct Ttgt {
    Shape a, b;                  // operand shapes
    std::vector<index_t> pa, pb;  // operand axes in GEMM order
    Shape ct;                    // the sgemm result as a tensor
    std::vector<index_t> pc;      // ct's axes in output order
    index_t m, n, k;
};

void run_ttgt(benchmark::State& st, const Ttgt& t) {
    const auto a = random_tensor(t.a, 1), b = random_tensor(t.b, 2);
    auto permuted = [](const Tensor<float>& x, const std::vector<index_t>& p) {
        return x.transpose(std::span<const index_t>(p));
    };
    auto out_shape = [](const Shape& s, const std::vector<index_t>& p) {
        if (p.empty()) return s;
        std::vector<index_t> d;
        for (index_t ax : p) d.push_back(s[static_cast<std::size_t>(ax)]);
        return Shape(std::span<const index_t>(d));
    };
    Tensor<float> at(out_shape(t.a, t.pa)), bt(out_shape(t.b, t.pb)), ct(t.ct),
        c(out_shape(t.ct, t.pc));
    const float* ap = t.pa.empty() ? a.data() : at.data();
    const float* bp = t.pb.empty() ? b.data() : bt.data();
    for (auto _ : st) {
        if (!t.pa.empty()) materialize(permuted(a, t.pa), at);
        if (!t.pb.empty()) materialize(permuted(b, t.pb), bt);
        blas_gemm(t.m, t.n, t.k, ap, bp, ct.data());
        if (!t.pc.empty()) materialize(permuted(ct, t.pc), c);
        benchmark::DoNotOptimize(c.data());
        benchmark::DoNotOptimize(ct.data());
    }
    set_flops(st, double(t.m) * double(t.n) * double(t.k));
}
#endif

// ---- ij,jk->ik ------------------------------------------------------------------

void BM_matmul_einsum(benchmark::State& st) {
    const index_t n = st.range(0);
    const auto a = random_tensor(Shape{n, n}, 1), b = random_tensor(Shape{n, n}, 2);
    Tensor<float> c(Shape{n, n});
    for (auto _ : st) {
        c = hoc::einsum("ij,jk->ik", a, b);
        benchmark::DoNotOptimize(c.data());
    }
    set_flops(st, double(n) * n * n);
}
void BM_matmul_gemm(benchmark::State& st) {
    const index_t n = st.range(0);
    const auto a = random_tensor(Shape{n, n}, 1), b = random_tensor(Shape{n, n}, 2);
    Tensor<float> c(Shape{n, n});
    for (auto _ : st) {
        direct_gemm(n, n, n, a.data(), b.data(), c.data());
        benchmark::DoNotOptimize(c.data());
    }
    set_flops(st, double(n) * n * n);
}
BENCHMARK(BM_matmul_einsum)->Arg(512)->Arg(1024)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_matmul_gemm)->Arg(512)->Arg(1024)->Unit(benchmark::kMillisecond)->UseRealTime();
#ifdef HOC_HAVE_REFERENCES
void BM_matmul_openblas(benchmark::State& st) {
    const index_t n = st.range(0);
    const auto a = random_tensor(Shape{n, n}, 1), b = random_tensor(Shape{n, n}, 2);
    Tensor<float> c(Shape{n, n});
    for (auto _ : st) {
        blas_gemm(n, n, n, a.data(), b.data(), c.data());
        benchmark::DoNotOptimize(c.data());
    }
    set_flops(st, double(n) * n * n);
}
BENCHMARK(BM_matmul_openblas)->Arg(512)->Arg(1024)->Unit(benchmark::kMillisecond)->UseRealTime();
#endif

// ---- bij,bjk->bik (64 x 128^3) ---------------------------------------------------

constexpr index_t kB = 64, kN = 128;

void BM_batched_einsum(benchmark::State& st) {
    const auto a = random_tensor(Shape{kB, kN, kN}, 1), b = random_tensor(Shape{kB, kN, kN}, 2);
    Tensor<float> c(Shape{kB, kN, kN});
    for (auto _ : st) {
        c = hoc::einsum("bij,bjk->bik", a, b);
        benchmark::DoNotOptimize(c.data());
    }
    set_flops(st, double(kB) * kN * kN * kN);
}
void BM_batched_gemm(benchmark::State& st) {
    const auto a = random_tensor(Shape{kB, kN, kN}, 1), b = random_tensor(Shape{kB, kN, kN}, 2);
    Tensor<float> c(Shape{kB, kN, kN});
    std::vector<index_t> off(kB);
    for (index_t p = 0; p < kB; ++p) off[static_cast<std::size_t>(p)] = p * kN * kN;
    for (auto _ : st) {
        hoc::kernels::gemm_batched<float>(kB, kN, kN, kN, 1.0f, {a.data(), kN, 1}, off.data(),
                                          {b.data(), kN, 1}, off.data(), 0.0f, {c.data(), kN, 1},
                                          off.data());
        benchmark::DoNotOptimize(c.data());
    }
    set_flops(st, double(kB) * kN * kN * kN);
}
BENCHMARK(BM_batched_einsum)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_batched_gemm)->Unit(benchmark::kMillisecond)->UseRealTime();
#ifdef HOC_HAVE_REFERENCES
void BM_batched_openblas(benchmark::State& st) {
    const auto a = random_tensor(Shape{kB, kN, kN}, 1), b = random_tensor(Shape{kB, kN, kN}, 2);
    Tensor<float> c(Shape{kB, kN, kN});
    for (auto _ : st) {
        for (index_t p = 0; p < kB; ++p)
            blas_gemm(kN, kN, kN, a.data() + p * kN * kN, b.data() + p * kN * kN,
                      c.data() + p * kN * kN);
        benchmark::DoNotOptimize(c.data());
    }
    set_flops(st, double(kB) * kN * kN * kN);
}
BENCHMARK(BM_batched_openblas)->Unit(benchmark::kMillisecond)->UseRealTime();
#endif

// ---- ijk,jl->ikl  (64,128,64) x (128,96) -----------------------------------------

void BM_ijk_jl_einsum(benchmark::State& st) {
    const auto a = random_tensor(Shape{64, 128, 64}, 1), b = random_tensor(Shape{128, 96}, 2);
    Tensor<float> c(Shape{64, 64, 96});
    for (auto _ : st) {
        c = hoc::einsum("ijk,jl->ikl", a, b);
        benchmark::DoNotOptimize(c.data());
    }
    set_flops(st, 64.0 * 64 * 128 * 96);
}
void BM_ijk_jl_gemm(benchmark::State& st) {  // the same multiply-adds as one contiguous GEMM
    const auto a = random_tensor(Shape{64 * 64, 128}, 1), b = random_tensor(Shape{128, 96}, 2);
    Tensor<float> c(Shape{64 * 64, 96});
    for (auto _ : st) {
        direct_gemm(64 * 64, 96, 128, a.data(), b.data(), c.data());
        benchmark::DoNotOptimize(c.data());
    }
    set_flops(st, 64.0 * 64 * 128 * 96);
}
BENCHMARK(BM_ijk_jl_einsum)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_ijk_jl_gemm)->Unit(benchmark::kMicrosecond)->UseRealTime();
#ifdef HOC_HAVE_REFERENCES
void BM_ijk_jl_openblas_ttgt(benchmark::State& st) {  // (i,k,j) copy, then one sgemm
    run_ttgt(st, {Shape{64, 128, 64}, Shape{128, 96}, {0, 2, 1}, {}, Shape{64, 64, 96}, {},
                  64 * 64, 96, 128});
}
BENCHMARK(BM_ijk_jl_openblas_ttgt)->Unit(benchmark::kMicrosecond)->UseRealTime();
#endif

// ---- abcd,cdef->abef (all extents n) ---------------------------------------------

void BM_abcd_einsum(benchmark::State& st) {
    const index_t n = st.range(0);
    const auto a = random_tensor(Shape{n, n, n, n}, 1), b = random_tensor(Shape{n, n, n, n}, 2);
    Tensor<float> c(Shape{n, n, n, n});
    for (auto _ : st) {
        c = hoc::einsum("abcd,cdef->abef", a, b);
        benchmark::DoNotOptimize(c.data());
    }
    set_flops(st, std::pow(double(n), 6));
}
void BM_abcd_gemm(benchmark::State& st) {
    const index_t n = st.range(0), n2 = n * n;
    const auto a = random_tensor(Shape{n2, n2}, 1), b = random_tensor(Shape{n2, n2}, 2);
    Tensor<float> c(Shape{n2, n2});
    for (auto _ : st) {
        direct_gemm(n2, n2, n2, a.data(), b.data(), c.data());
        benchmark::DoNotOptimize(c.data());
    }
    set_flops(st, std::pow(double(n), 6));
}
BENCHMARK(BM_abcd_einsum)->Arg(24)->Arg(32)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_abcd_gemm)->Arg(24)->Arg(32)->Unit(benchmark::kMillisecond)->UseRealTime();
#ifdef HOC_HAVE_REFERENCES
// TTGT: in this layout the copies are identity (memcpy) ones.
void BM_abcd_openblas_ttgt(benchmark::State& st) {
    const index_t n = st.range(0), n2 = n * n;
    const Shape s{n, n, n, n};
    run_ttgt(st, {s, s, {0, 1, 2, 3}, {0, 1, 2, 3}, s, {0, 1, 2, 3}, n2, n2, n2});
}
// The same operands with no copies at all (this layout needs none).
void BM_abcd_openblas_direct(benchmark::State& st) {
    const index_t n = st.range(0), n2 = n * n;
    const auto a = random_tensor(Shape{n, n, n, n}, 1), b = random_tensor(Shape{n, n, n, n}, 2);
    Tensor<float> c(Shape{n, n, n, n});
    for (auto _ : st) {
        blas_gemm(n2, n2, n2, a.data(), b.data(), c.data());
        benchmark::DoNotOptimize(c.data());
    }
    set_flops(st, std::pow(double(n), 6));
}
BENCHMARK(BM_abcd_openblas_ttgt)->Arg(24)->Arg(32)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_abcd_openblas_direct)->Arg(24)->Arg(32)->Unit(benchmark::kMillisecond)->UseRealTime();
#endif

// A permuted variant where TTGT must really transpose: 'acbd,dcef->fbea'.
void BM_permuted_einsum(benchmark::State& st) {
    const index_t n = st.range(0);
    const auto a = random_tensor(Shape{n, n, n, n}, 1), b = random_tensor(Shape{n, n, n, n}, 2);
    Tensor<float> c(Shape{n, n, n, n});
    for (auto _ : st) {
        c = hoc::einsum("acbd,dcef->fbea", a, b);
        benchmark::DoNotOptimize(c.data());
    }
    set_flops(st, std::pow(double(n), 6));
}
BENCHMARK(BM_permuted_einsum)->Arg(24)->Arg(32)->Unit(benchmark::kMillisecond)->UseRealTime();
#ifdef HOC_HAVE_REFERENCES
void BM_permuted_openblas_ttgt(benchmark::State& st) {
    const index_t n = st.range(0), n2 = n * n;
    const Shape s{n, n, n, n};
    // a (a,c,b,d) -> (a,b,c,d), b (d,c,e,f) -> (c,d,e,f), result (a,b,e,f) -> (f,b,e,a).
    run_ttgt(st, {s, s, {0, 2, 1, 3}, {1, 0, 2, 3}, s, {3, 1, 2, 0}, n2, n2, n2});
}
BENCHMARK(BM_permuted_openblas_ttgt)->Arg(24)->Arg(32)->Unit(benchmark::kMillisecond)->UseRealTime();
#endif

// ---- ij,jk,kl->il, uneven: (1000,20) (20,1000) (1000,20) -------------------------
// The best order is A (B C): 2 * 20*1000*20 multiply-adds instead of 2 * 20e6.

void BM_chain_einsum(benchmark::State& st) {
    const auto a = random_tensor(Shape{1000, 20}, 1), b = random_tensor(Shape{20, 1000}, 2),
               d = random_tensor(Shape{1000, 20}, 3);
    Tensor<float> c(Shape{1000, 20});
    for (auto _ : st) {
        c = hoc::einsum("ij,jk,kl->il", a, b, d);
        benchmark::DoNotOptimize(c.data());
    }
    set_flops(st, 2 * 20.0 * 1000 * 20);
}
void BM_chain_gemm(benchmark::State& st) {  // the same order by hand
    const auto a = random_tensor(Shape{1000, 20}, 1), b = random_tensor(Shape{20, 1000}, 2),
               d = random_tensor(Shape{1000, 20}, 3);
    Tensor<float> bd(Shape{20, 20}), c(Shape{1000, 20});
    for (auto _ : st) {
        direct_gemm(20, 20, 1000, b.data(), d.data(), bd.data());
        direct_gemm(1000, 20, 20, a.data(), bd.data(), c.data());
        benchmark::DoNotOptimize(c.data());
    }
    set_flops(st, 2 * 20.0 * 1000 * 20);
}
BENCHMARK(BM_chain_einsum)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_chain_gemm)->Unit(benchmark::kMicrosecond)->UseRealTime();
#ifdef HOC_HAVE_REFERENCES
void BM_chain_openblas(benchmark::State& st) {
    const auto a = random_tensor(Shape{1000, 20}, 1), b = random_tensor(Shape{20, 1000}, 2),
               d = random_tensor(Shape{1000, 20}, 3);
    Tensor<float> bd(Shape{20, 20}), c(Shape{1000, 20});
    for (auto _ : st) {
        blas_gemm(20, 20, 1000, b.data(), d.data(), bd.data());
        blas_gemm(1000, 20, 20, a.data(), bd.data(), c.data());
        benchmark::DoNotOptimize(c.data());
    }
    set_flops(st, 2 * 20.0 * 1000 * 20);
}
BENCHMARK(BM_chain_openblas)->Unit(benchmark::kMicrosecond)->UseRealTime();
#endif

// ---- ii-> and i,i-> (no GEMM: against plain loops) -----------------------------

void BM_trace_einsum(benchmark::State& st) {
    const index_t n = st.range(0);
    const auto a = random_tensor(Shape{n, n}, 1);
    Tensor<float> c(Shape{});
    for (auto _ : st) {
        c = hoc::einsum("ii->", a);
        benchmark::DoNotOptimize(c.data());
    }
    set_flops(st, double(n));
}
void BM_trace_loop(benchmark::State& st) {
    const index_t n = st.range(0);
    const auto a = random_tensor(Shape{n, n}, 1);
    for (auto _ : st) {
        float s = 0;
        for (index_t i = 0; i < n; ++i) s += a.data()[i * (n + 1)];
        benchmark::DoNotOptimize(s);
    }
    set_flops(st, double(n));
}
BENCHMARK(BM_trace_einsum)->Arg(2048)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_trace_loop)->Arg(2048)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_dot_einsum(benchmark::State& st) {
    const index_t n = st.range(0);
    const auto x = random_tensor(Shape{n}, 1), y = random_tensor(Shape{n}, 2);
    Tensor<float> c(Shape{});
    for (auto _ : st) {
        c = hoc::einsum("i,i->", x, y);
        benchmark::DoNotOptimize(c.data());
    }
    set_flops(st, double(n));
}
void BM_dot_loop(benchmark::State& st) {
    const index_t n = st.range(0);
    const auto x = random_tensor(Shape{n}, 1), y = random_tensor(Shape{n}, 2);
    for (auto _ : st) {
        float s = 0;
        for (index_t i = 0; i < n; ++i) s += x.data()[i] * y.data()[i];
        benchmark::DoNotOptimize(s);
    }
    set_flops(st, double(n));
}
BENCHMARK(BM_dot_einsum)->Arg(4096)->Arg(1 << 20)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_dot_loop)->Arg(4096)->Arg(1 << 20)->Unit(benchmark::kMicrosecond)->UseRealTime();
#ifdef HOC_HAVE_REFERENCES
void BM_dot_openblas(benchmark::State& st) {
    const index_t n = st.range(0);
    const auto x = random_tensor(Shape{n}, 1), y = random_tensor(Shape{n}, 2);
    for (auto _ : st) {
        float s = cblas_sdot(static_cast<int>(n), x.data(), 1, y.data(), 1);
        benchmark::DoNotOptimize(s);
    }
    set_flops(st, double(n));
}
BENCHMARK(BM_dot_openblas)->Arg(4096)->Arg(1 << 20)->Unit(benchmark::kMicrosecond)->UseRealTime();
#endif

// ---- FMA throughput peak ----------------------------------------------------------
// The bound for the GEMM-shaped cases: 12 independent FMA chains on full
// vectors (enough to cover the FMA latency on every pipe), float32; with
// two threads the counter is the sum over both cores.

#if defined(__AVX512F__) || defined(__FMA__)
#if defined(__AVX512F__)
using FmaVec = __m512;
constexpr int kFmaLanes = 16;
FmaVec fma_set1(float x) { return _mm512_set1_ps(x); }
FmaVec fma(FmaVec a, FmaVec b, FmaVec c) { return _mm512_fmadd_ps(a, b, c); }
float fma_sum(FmaVec a) { return _mm512_reduce_add_ps(a); }
#else
using FmaVec = __m256;
constexpr int kFmaLanes = 8;
FmaVec fma_set1(float x) { return _mm256_set1_ps(x); }
FmaVec fma(FmaVec a, FmaVec b, FmaVec c) { return _mm256_fmadd_ps(a, b, c); }
float fma_sum(FmaVec a) {
    alignas(32) float v[8];
    _mm256_store_ps(v, a);
    return v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
}
#endif

void BM_fma_peak(benchmark::State& st) {
    constexpr int kChains = 12, kInner = 1024;
    // x <- x * 0.999 + 0.001 stays near 1: no overflow, no denormals.
    const FmaVec mul = fma_set1(0.999f), add = fma_set1(0.001f);
    FmaVec acc[kChains];
    for (int c = 0; c < kChains; ++c) acc[c] = fma_set1(1.0f + 0.01f * static_cast<float>(c));
    for (auto _ : st) {
        for (int i = 0; i < kInner; ++i) {
#pragma GCC unroll 12
            for (int c = 0; c < kChains; ++c) acc[c] = fma(acc[c], mul, add);
        }
        benchmark::ClobberMemory();
    }
    float sum = 0;
    for (int c = 0; c < kChains; ++c) sum += fma_sum(acc[c]);
    benchmark::DoNotOptimize(sum);
    st.counters["GFLOPS"] = benchmark::Counter(2.0 * kFmaLanes * kChains * kInner,
                                               benchmark::Counter::kIsIterationInvariantRate,
                                               benchmark::Counter::kIs1000);
}
// CPU time: the rate of a core that runs the loop, whatever else shares the
// machine (real time would count the time other processes hold the core).
BENCHMARK(BM_fma_peak)->Threads(1)->Threads(2);
#endif

// ---- overhead: parsing + planning, and a cached plan ---------------------------
// 2x2 matrices: the arithmetic is nothing, the time is the machinery.

void BM_overhead_plan_object(benchmark::State& st) {
    const auto a = random_tensor(Shape{2, 2}, 1), b = random_tensor(Shape{2, 2}, 2);
    const hoc::EinsumPlan plan("ij,jk->ik", a.shape(), b.shape());
    Tensor<float> c(Shape{2, 2});
    for (auto _ : st) {
        c = plan(a, b);
        benchmark::DoNotOptimize(c.data());
    }
}
void BM_overhead_einsum_cached(benchmark::State& st) {
    const auto a = random_tensor(Shape{2, 2}, 1), b = random_tensor(Shape{2, 2}, 2);
    Tensor<float> c(Shape{2, 2});
    for (auto _ : st) {
        c = hoc::einsum("ij,jk->ik", a, b);
        benchmark::DoNotOptimize(c.data());
    }
}
void BM_overhead_direct_gemm(benchmark::State& st) {
    const auto a = random_tensor(Shape{2, 2}, 1), b = random_tensor(Shape{2, 2}, 2);
    Tensor<float> c(Shape{2, 2});
    for (auto _ : st) {
        direct_gemm(2, 2, 2, a.data(), b.data(), c.data());
        benchmark::DoNotOptimize(c.data());
    }
}
// 20 different shapes in turn defeat the 16-entry per-thread cache: every
// call parses and plans.
void BM_overhead_einsum_uncached(benchmark::State& st) {
    std::vector<Tensor<float>> as;
    for (index_t n = 1; n <= 20; ++n) as.push_back(random_tensor(Shape{n, 2}, 1));
    const auto b = random_tensor(Shape{2, 2}, 2);
    Tensor<float> c(Shape{1, 2});
    std::size_t i = 0;
    for (auto _ : st) {
        c = hoc::einsum("ij,jk->ik", as[i], b);
        i = (i + 1) % as.size();
        benchmark::DoNotOptimize(c.data());
    }
}
void BM_overhead_plan_3operands(benchmark::State& st) {
    const auto a = random_tensor(Shape{2, 2}, 1);
    const hoc::EinsumPlan plan("ij,jk,kl->il", a.shape(), a.shape(), a.shape());
    Tensor<float> c(Shape{2, 2});
    for (auto _ : st) {
        c = plan(a, a, a);
        benchmark::DoNotOptimize(c.data());
    }
}
BENCHMARK(BM_overhead_plan_object);
BENCHMARK(BM_overhead_einsum_cached);
BENCHMARK(BM_overhead_direct_gemm);
BENCHMARK(BM_overhead_einsum_uncached);
BENCHMARK(BM_overhead_plan_3operands);

}  // namespace

int main(int argc, char** argv) {
#ifdef HOC_HAVE_REFERENCES
    std::printf("OpenBLAS core: %s\n", openblas_get_corename());
#endif
    std::printf("hoc GEMM kernel: %s, threads: %d\n", hoc::kernels::gemm_arch(), hoc::num_threads());
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

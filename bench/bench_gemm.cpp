// hoc's GEMM vs OpenBLAS (cblas) vs Eigen 3.4 in one binary, plus the FMA
// peak of one core measured here, so every ratio comes from the same run.
// Run with `env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE` (docs/performance.md).
// GCC 12 flags _mm512_undefined_ps inside Eigen's AVX-512 transposes
// (a false positive in a system header's inlined code).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <benchmark/benchmark.h>

#include <immintrin.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "hoc/core/threads.hpp"
#include "hoc/kernels/gemm.hpp"

#ifdef HOC_HAVE_REFERENCES
#include <cblas.h>

#include <Eigen/Core>
#endif

namespace {

using hoc::index_t;

// FMA peak of one core: 16 independent accumulator chains (more than FMA
// latency x pipes) of the widest vectors, no memory traffic. Distinct start
// values keep the compiler from merging the chains. GFLOP/s for float.
template <class V, int Lanes, class Fma, class Set1, class Sum>
double fma_peak(Fma fma, Set1 set1, Sum sum) {
    V acc[16];
#pragma GCC unroll 16
    for (int i = 0; i < 16; ++i) acc[i] = set1(1.0f + 0.01f * static_cast<float>(i));
    const V x = set1(0.999999f), y = set1(1e-7f);
    const long iters = 10'000'000;
    double best = 0;
    for (int rep = 0; rep < 5; ++rep) {
        const auto t0 = std::chrono::steady_clock::now();
        for (long it = 0; it < iters; ++it) {
#pragma GCC unroll 16
            for (int i = 0; i < 16; ++i) acc[i] = fma(acc[i], x, y);
        }
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        best = std::max(best, 2.0 * Lanes * 16.0 * static_cast<double>(iters) / s * 1e-9);
    }
    float total = 0;
#pragma GCC unroll 16
    for (int i = 0; i < 16; ++i) total += sum(acc[i]);
    benchmark::DoNotOptimize(total);
    return best;
}

double measure_fma_peak_f32() {
#if defined(__AVX512F__)
    return fma_peak<__m512, 16>([](__m512 a, __m512 b, __m512 c) { return _mm512_fmadd_ps(a, b, c); },
                                [](float v) { return _mm512_set1_ps(v); },
                                [](__m512 v) { return _mm512_cvtss_f32(v); });
#elif defined(__AVX2__) && defined(__FMA__)
    return fma_peak<__m256, 8>([](__m256 a, __m256 b, __m256 c) { return _mm256_fmadd_ps(a, b, c); },
                               [](float v) { return _mm256_set1_ps(v); },
                               [](__m256 v) { return _mm256_cvtss_f32(v); });
#else
    return 0.0;
#endif
}

double g_peak_f32 = 0;

enum class Lib { hoc, openblas, eigen };

template <class T>
struct Operands {
    std::vector<T> a, b, c;
    Operands(index_t m, index_t k, index_t n, index_t batch = 1)
        : a(static_cast<std::size_t>(m * k * batch)), b(static_cast<std::size_t>(k * n * batch)),
          c(static_cast<std::size_t>(m * n * batch)) {
        std::mt19937 rng(1);
        std::uniform_real_distribution<float> d(-1, 1);
        for (auto& x : a) x = d(rng);
        for (auto& x : b) x = d(rng);
    }
};

void set_threads(int t) {
    hoc::set_num_threads(t);
#ifdef HOC_HAVE_REFERENCES
    openblas_set_num_threads(t);
    Eigen::setNbThreads(t);  // no effect without OpenMP: Eigen runs on one thread here
#endif
}

// C (m x n, row-major) = A (m x k; row-major, or stored transposed when
// trans_a) * B (k x n, row-major), `batch` independent products.
template <class T>
void gemm_bench(benchmark::State& state, Lib lib, index_t m, index_t k, index_t n, bool trans_a,
                index_t batch, int threads) {
    set_threads(threads);
    Operands<T> op(m, k, n, batch);
    const index_t lda = trans_a ? m : k;
    const index_t rsa = trans_a ? 1 : k, csa = trans_a ? m : 1;
    std::vector<index_t> ao(batch), bo(batch), co(batch);
    for (index_t p = 0; p < batch; ++p) ao[p] = p * m * k, bo[p] = p * k * n, co[p] = p * m * n;
    auto run = [&] {
        switch (lib) {
            case Lib::hoc:
                if (batch == 1)
                    hoc::kernels::gemm<T>(m, n, k, T(1), {op.a.data(), rsa, csa},
                                          {op.b.data(), n, 1}, T(0), {op.c.data(), n, 1});
                else
                    hoc::kernels::gemm_batched<T>(batch, m, n, k, T(1), {op.a.data(), rsa, csa},
                                                  ao.data(), {op.b.data(), n, 1}, bo.data(), T(0),
                                                  {op.c.data(), n, 1}, co.data());
                break;
#ifdef HOC_HAVE_REFERENCES
            case Lib::openblas:
                for (index_t p = 0; p < batch; ++p) {
                    const auto ta = trans_a ? CblasTrans : CblasNoTrans;
                    if constexpr (std::is_same_v<T, float>)
                        cblas_sgemm(CblasRowMajor, ta, CblasNoTrans, int(m), int(n), int(k), 1.0f,
                                    op.a.data() + ao[p], int(lda), op.b.data() + bo[p], int(n),
                                    0.0f, op.c.data() + co[p], int(n));
                    else
                        cblas_dgemm(CblasRowMajor, ta, CblasNoTrans, int(m), int(n), int(k), 1.0,
                                    op.a.data() + ao[p], int(lda), op.b.data() + bo[p], int(n),
                                    0.0, op.c.data() + co[p], int(n));
                }
                break;
            case Lib::eigen: {
                using RM = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
                for (index_t p = 0; p < batch; ++p) {
                    Eigen::Map<const RM> B(op.b.data() + bo[p], k, n);
                    Eigen::Map<RM> C(op.c.data() + co[p], m, n);
                    if (trans_a) {
                        Eigen::Map<const RM> At(op.a.data() + ao[p], k, m);
                        C.noalias() = At.transpose() * B;
                    } else {
                        Eigen::Map<const RM> A(op.a.data() + ao[p], m, k);
                        C.noalias() = A * B;
                    }
                }
                break;
            }
#endif
            default: break;
        }
    };
    run();  // warm: packing buffers, thread pools, pages of C
    for (auto _ : state) {
        run();
        benchmark::ClobberMemory();
    }
    const double flops = 2.0 * double(m) * double(n) * double(k) * double(batch);
    state.counters["GFLOPS"] =
        benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
    const double peak = g_peak_f32 * (std::is_same_v<T, float> ? 1.0 : 0.5) * threads;
    if (peak > 0)
        state.counters["pct_peak"] =
            benchmark::Counter(flops * 1e-9 * 100.0 / peak, benchmark::Counter::kIsIterationInvariantRate);
}

struct Case {
    const char* label;
    index_t m, k, n;
    bool trans_a = false;
    index_t batch = 1;
};

void register_all() {
    std::vector<std::pair<Case, bool>> cases;  // (case, also double)
    for (index_t s : {8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096})
        cases.push_back({{"square", s, s, s}, s == 64 || s == 512 || s == 1024});
    cases.push_back({{"skinny", 100, 3, 5}, true});
    cases.push_back({{"skinny", 10000, 3, 5}, true});
    cases.push_back({{"skinny", 1000, 1000, 8}, true});
    cases.push_back({{"skinny", 8, 1000, 1000}, true});
    cases.push_back({{"odd", 257, 257, 257}, true});
    cases.push_back({{"transA", 1000, 1000, 1000, true}, true});
    cases.push_back({{"batched64", 128, 128, 128, false, 64}, true});
    const std::pair<Lib, const char*> libs[] = {
        {Lib::hoc, "hoc"}, {Lib::openblas, "openblas"}, {Lib::eigen, "eigen"}};
    for (int threads : {1, 2})
        for (auto& [c, with_double] : cases)
            for (int t = 0; t < (with_double ? 2 : 1); ++t)
                for (auto [lib, lname] : libs) {
#ifndef HOC_HAVE_REFERENCES
                    if (lib != Lib::hoc) continue;
#endif
                    const std::string name = std::string(t ? "dgemm/" : "sgemm/") + c.label + "/" +
                                             std::to_string(c.m) + "x" + std::to_string(c.k) +
                                             "x" + std::to_string(c.n) +
                                             (c.batch > 1 ? "/batch" + std::to_string(c.batch) : "") +
                                             "/threads:" + std::to_string(threads) + "/" + lname;
                    auto* b = t ? benchmark::RegisterBenchmark(name.c_str(), gemm_bench<double>, lib, c.m,
                                                               c.k, c.n, c.trans_a, c.batch, threads)
                                : benchmark::RegisterBenchmark(name.c_str(), gemm_bench<float>, lib, c.m,
                                                               c.k, c.n, c.trans_a, c.batch, threads);
                    b->UseRealTime();
                    if (c.m * c.n * c.k * c.batch >= 512L * 512 * 512) b->MinTime(0.2);
                }
}

}  // namespace

int main(int argc, char** argv) {
    g_peak_f32 = measure_fma_peak_f32();
    std::printf("hoc gemm kernel: %s\n", hoc::kernels::gemm_arch());
#ifdef HOC_HAVE_REFERENCES
    std::printf("OpenBLAS core: %s\n", openblas_get_corename());
#endif
    std::printf("FMA peak, one core: %.1f GFLOP/s f32, %.1f f64\n", g_peak_f32, g_peak_f32 / 2);
    register_all();
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
}

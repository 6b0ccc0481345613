// Fused GEMM epilogue (issue 7): relu(X @ W + b) in float, three ways, same binary:
//   fused     y = hoc::maximum(hoc::matmul(x, w) + b, 0.0f)     (one pass: the epilogue)
//   two_pass  z = hoc::matmul(x, w); z = hoc::maximum(z + b, 0.0f)   (preallocated, in place)
//   openblas  cblas_sgemm into z, then a hand loop z = max(z + b, 0)   (in place)
// and the bound: gemm_only  y = hoc::matmul(x, w), which no fused form can beat,
// so two_pass / gemm_only is the most fusing can gain over two_pass.
// Args: m, k, n, threads. Run with `env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE`
// (docs/performance.md, "Fused GEMM epilogues").
#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>

#include "hoc/hoc.hpp"

#ifdef HOC_HAVE_REFERENCES
#include <cblas.h>
#endif

namespace {

using hoc::index_t;
using hoc::Shape;
using hoc::Tensor;

struct Layer {
    Tensor<float> x, w, b, y;
    Layer(index_t m, index_t k, index_t n) : x(Shape{m, k}), w(Shape{k, n}), b(Shape{n}), y(Shape{m, n}) {
        std::mt19937 gen(7);
        std::uniform_real_distribution<float> d(-1.0f, 1.0f);
        for (auto* t : {&x, &w, &b})
            for (index_t i = 0; i < t->size(); ++i) t->data()[i] = d(gen);
    }
};

void setup(benchmark::State& st, int threads) {
    hoc::set_num_threads(threads);
#ifdef HOC_HAVE_REFERENCES
    openblas_set_num_threads(threads);
#endif
    st.counters["threads"] = threads;
}

void finish(benchmark::State& st, index_t m, index_t k, index_t n) {
    st.counters["GFLOP/s"] = benchmark::Counter(2.0 * m * k * n * static_cast<double>(st.iterations()),
                                                benchmark::Counter::kIsRate);
}

void BM_fused(benchmark::State& st) {
    const index_t m = st.range(0), k = st.range(1), n = st.range(2);
    setup(st, static_cast<int>(st.range(3)));
    Layer l(m, k, n);
    for (auto _ : st) {
        l.y = hoc::maximum(hoc::matmul(l.x, l.w) + l.b, 0.0f);
        benchmark::DoNotOptimize(l.y.data());
        benchmark::ClobberMemory();
    }
    finish(st, m, k, n);
}

void BM_two_pass(benchmark::State& st) {
    const index_t m = st.range(0), k = st.range(1), n = st.range(2);
    setup(st, static_cast<int>(st.range(3)));
    Layer l(m, k, n);
    for (auto _ : st) {
        l.y = hoc::matmul(l.x, l.w);
        l.y = hoc::maximum(l.y + l.b, 0.0f);
        benchmark::DoNotOptimize(l.y.data());
        benchmark::ClobberMemory();
    }
    finish(st, m, k, n);
}

void BM_gemm_only(benchmark::State& st) {
    const index_t m = st.range(0), k = st.range(1), n = st.range(2);
    setup(st, static_cast<int>(st.range(3)));
    Layer l(m, k, n);
    for (auto _ : st) {
        l.y = hoc::matmul(l.x, l.w);
        benchmark::DoNotOptimize(l.y.data());
        benchmark::ClobberMemory();
    }
    finish(st, m, k, n);
}

#ifdef HOC_HAVE_REFERENCES
void BM_openblas_loop(benchmark::State& st) {
    const index_t m = st.range(0), k = st.range(1), n = st.range(2);
    setup(st, static_cast<int>(st.range(3)));
    Layer l(m, k, n);
    st.SetLabel(openblas_get_corename());
    for (auto _ : st) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(m), static_cast<int>(n),
                    static_cast<int>(k), 1.0f, l.x.data(), static_cast<int>(k), l.w.data(),
                    static_cast<int>(n), 0.0f, l.y.data(), static_cast<int>(n));
        float* y = l.y.data();
        const float* b = l.b.data();
        for (index_t i = 0; i < m; ++i)
            for (index_t j = 0; j < n; ++j) y[i * n + j] = std::max(y[i * n + j] + b[j], 0.0f);
        benchmark::DoNotOptimize(l.y.data());
        benchmark::ClobberMemory();
    }
    finish(st, m, k, n);
}
#endif

void shapes(benchmark::internal::Benchmark* b) {
    b->ArgNames({"m", "k", "n", "t"});
    for (int t : {1, 2}) {
        b->Args({65536, 64, 64, t});  // memory-bound layer: the second pass costs most
        b->Args({4096, 1024, 1024, t});  // compute-bound
        b->Args({100, 3, 5, t});  // the seed's forward pass
    }
    b->UseRealTime();
}

BENCHMARK(BM_fused)->Apply(shapes);
BENCHMARK(BM_two_pass)->Apply(shapes);
BENCHMARK(BM_gemm_only)->Apply(shapes);
#ifdef HOC_HAVE_REFERENCES
BENCHMARK(BM_openblas_loop)->Apply(shapes);
#endif

}  // namespace

BENCHMARK_MAIN();

// Lazy expressions, float32: hoc against (1) a hand-written loop compiled with
// the same flags, (2) Eigen 3.4 arrays, (3) NumPy-style evaluation (one
// temporary per operation, as numpy runs `a*b + c*d - e`), and (4) a
// STREAM-style triad as the memory-bandwidth ceiling, at 1 and 2 threads.
// Every case reports GB/s (bytes the operation must move / time) so ratios
// between rows of one run are direct. Run:
//   ./build/bench/bench_expr --benchmark_repetitions=7 --benchmark_report_aggregates_only=true
#include <hoc/hoc.hpp>

#include <benchmark/benchmark.h>

#if defined(HOC_HAVE_REFERENCES)
#include <Eigen/Core>
#endif

#include <algorithm>
#include <numeric>

using hoc::index_t;
using hoc::Shape;
using hoc::Tensor;

namespace {

Tensor<float> filled(index_t n, float base) {
    Tensor<float> t = Tensor<float>::uninitialized(Shape{n});
    for (index_t i = 0; i < n; ++i) t.data()[i] = base + 1e-3f * static_cast<float>(i % 1000);
    return t;
}

// Splits [0, n) over hoc's threads the way hoc does (static partition), so the
// hand-written and Eigen loops get the same parallelism.
template <class F>
void split(index_t n, F&& f) {
    hoc::detail::parallel_for(0, n, 1 << 14, f);
}

void set_rate(benchmark::State& state, double bytes_per_iter, index_t elements) {
    state.counters["GB/s"] = benchmark::Counter(bytes_per_iter * static_cast<double>(state.iterations()),
                                                benchmark::Counter::kIsRate);
    state.SetItemsProcessed(state.iterations() * elements);
}

struct Threads {
    explicit Threads(int n) : before(hoc::num_threads()) { hoc::set_num_threads(n); }
    ~Threads() { hoc::set_num_threads(before); }
    int before;
};

// ---- y = a*b + c*d - e -----------------------------------------------------------

struct Chain {
    explicit Chain(index_t n)
        : a(filled(n, 1)), b(filled(n, 2)), c(filled(n, 3)), d(filled(n, 4)), e(filled(n, 5)),
          y(Shape{n}) {}
    Tensor<float> a, b, c, d, e, y;
    static constexpr double kStreams = 6;  // 5 reads + 1 write
};

enum Variant { kHoc, kHocNoStream, kHand, kEigen, kNumpy };

void BM_chain(benchmark::State& state) {
    const index_t n = state.range(0);
    const Threads threads(static_cast<int>(state.range(1)));
    const auto variant = static_cast<Variant>(state.range(2));
    Chain x(n);
    const auto saved = hoc::expr::detail::stream_threshold_bytes.load();
    if (variant == kHocNoStream) hoc::expr::detail::stream_threshold_bytes = SIZE_MAX;
    for (auto _ : state) {
        switch (variant) {
            case kHoc:
            case kHocNoStream: x.y = x.a * x.b + x.c * x.d - x.e; break;
            case kHand:
                split(n, [&](index_t lo, index_t hi) {
                    const float *a = x.a.data(), *b = x.b.data(), *c = x.c.data(), *d = x.d.data(), *e = x.e.data();
                    float* y = x.y.data();
                    for (index_t i = lo; i < hi; ++i) y[i] = a[i] * b[i] + c[i] * d[i] - e[i];
                });
                break;
            case kEigen:
#if defined(HOC_HAVE_REFERENCES)
                split(n, [&](index_t lo, index_t hi) {
                    using M = Eigen::Map<const Eigen::ArrayXf>;
                    const index_t m = hi - lo;
                    Eigen::Map<Eigen::ArrayXf>(x.y.data() + lo, m) =
                        M(x.a.data() + lo, m) * M(x.b.data() + lo, m) + M(x.c.data() + lo, m) * M(x.d.data() + lo, m) -
                        M(x.e.data() + lo, m);
                });
#endif
                break;
            case kNumpy: {
                // numpy: t1 = a*b; t2 = c*d; t3 = t1 + t2; y = t3 - e (fresh arrays each time).
                Tensor<float> t1 = hoc::eval(x.a * x.b);
                Tensor<float> t2 = hoc::eval(x.c * x.d);
                Tensor<float> t3 = hoc::eval(t1 + t2);
                x.y = hoc::eval(t3 - x.e);
                break;
            }
        }
        benchmark::ClobberMemory();
    }
    hoc::expr::detail::stream_threshold_bytes = saved;
    set_rate(state, Chain::kStreams * 4.0 * static_cast<double>(n), n);
}

// STREAM triad a = b + s*c: the bandwidth ceiling (3 streams).
void BM_triad(benchmark::State& state) {
    const index_t n = state.range(0);
    const Threads threads(static_cast<int>(state.range(1)));
    Tensor<float> a(Shape{n}), b = filled(n, 1), c = filled(n, 2);
    const float s = 3.0f;
    for (auto _ : state) {
        split(n, [&](index_t lo, index_t hi) {
            float* pa = a.data();
            const float *pb = b.data(), *pc = c.data();
            for (index_t i = lo; i < hi; ++i) pa[i] = pb[i] + s * pc[i];
        });
        benchmark::ClobberMemory();
    }
    set_rate(state, 3 * 4.0 * static_cast<double>(n), n);
}

// ---- bias add: Z(100000, 64) + b(64) ----------------------------------------------------

void BM_bias_add(benchmark::State& state) {
    const index_t rows = 100000, cols = 64, n = rows * cols;
    const Threads threads(static_cast<int>(state.range(0)));
    const auto variant = static_cast<Variant>(state.range(1));
    Tensor<float> z = filled(n, 1).reshape(Shape{rows, cols}), b = filled(cols, 2), out(Shape{rows, cols});
    for (auto _ : state) {
        switch (variant) {
            case kHoc:
            case kHocNoStream: out = z + b; break;
            case kHand:
                split(rows, [&](index_t lo, index_t hi) {
                    const float *pz = z.data(), *pb = b.data();
                    float* po = out.data();
                    for (index_t i = lo; i < hi; ++i)
                        for (index_t j = 0; j < cols; ++j) po[i * cols + j] = pz[i * cols + j] + pb[j];
                });
                break;
            case kEigen:
#if defined(HOC_HAVE_REFERENCES)
                split(rows, [&](index_t lo, index_t hi) {
                    using RM = Eigen::Array<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
                    Eigen::Map<RM>(out.data() + lo * cols, hi - lo, cols) =
                        Eigen::Map<const RM>(z.data() + lo * cols, hi - lo, cols).rowwise() +
                        Eigen::Map<const Eigen::Array<float, 1, Eigen::Dynamic>>(b.data(), cols);
                });
#endif
                break;
            case kNumpy: {
                Tensor<float> fresh = hoc::eval(z + b);  // numpy allocates the result
                benchmark::DoNotOptimize(fresh.data());
                break;
            }
        }
        benchmark::ClobberMemory();
    }
    set_rate(state, 2 * 4.0 * static_cast<double>(n), n);
}

// ---- narrow rows: y = max(y + b, 0) on (rows, 5), the seed's activation ----------------------
// Rows shorter than one SIMD batch (narrow_rows.hpp): hoc against the hand
// loop and Eigen; one thread (the sizes are below hoc's parallel grain).

void BM_narrow_rows(benchmark::State& state) {
    const index_t rows = state.range(0), cols = 5, n = rows * cols;
    const auto variant = static_cast<Variant>(state.range(1));
    const Threads threads(1);
    Tensor<float> y = filled(n, -0.5f).reshape(Shape{rows, cols}), b = filled(cols, -0.2f);
    for (auto _ : state) {
        switch (variant) {
            case kHoc:
            case kHocNoStream: y = hoc::maximum(y + b, 0.0f); break;
            case kHand: {
                float* py = y.data();
                const float* pb = b.data();
                for (index_t i = 0; i < rows; ++i)
                    for (index_t j = 0; j < cols; ++j) py[i * cols + j] = std::max(py[i * cols + j] + pb[j], 0.0f);
                break;
            }
            case kEigen:
#if defined(HOC_HAVE_REFERENCES)
            {
                using RM = Eigen::Array<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
                Eigen::Map<RM> ym(y.data(), rows, cols);
                ym = (ym.rowwise() + Eigen::Map<const Eigen::Array<float, 1, Eigen::Dynamic>>(b.data(), cols))
                         .max(0.0f);
            }
#endif
                break;
            case kNumpy: {
                Tensor<float> t = hoc::eval(y + b);  // numpy: one temporary per operation
                y = hoc::maximum(t, 0.0f);
                break;
            }
        }
        benchmark::DoNotOptimize(y.data());
        benchmark::ClobberMemory();
    }
    set_rate(state, 2 * 4.0 * static_cast<double>(n), n);
}

// ---- image /= 255.0f on (1000, 1000, 3) -----------------------------------------------------

void BM_image_scale(benchmark::State& state) {
    const Shape s{1000, 1000, 3};
    const index_t n = 3'000'000;
    const Threads threads(static_cast<int>(state.range(0)));
    const auto variant = static_cast<Variant>(state.range(1));
    Tensor<float> image = filled(n, 100).reshape(s);
    for (auto _ : state) {
        switch (variant) {
            case kHoc:
            case kHocNoStream: image /= 255.0f; break;
            case kHand:
                split(n, [&](index_t lo, index_t hi) {
                    float* p = image.data();
                    for (index_t i = lo; i < hi; ++i) p[i] /= 255.0f;
                });
                break;
            case kEigen:
#if defined(HOC_HAVE_REFERENCES)
                split(n, [&](index_t lo, index_t hi) { Eigen::Map<Eigen::ArrayXf>(image.data() + lo, hi - lo) /= 255.0f; });
#endif
                break;
            case kNumpy: {
                // numpy runs `image /= 255.0` in place too (one ufunc loop, one thread).
                const Threads one(1);
                image /= 255.0f;
                break;
            }
        }
        benchmark::ClobberMemory();
    }
    set_rate(state, 2 * 4.0 * static_cast<double>(n), n);
}

// ---- sum(a * b) at 1e7 ---------------------------------------------------------------

void BM_sum_product(benchmark::State& state) {
    const index_t n = state.range(0);
    const Threads threads(static_cast<int>(state.range(1)));
    const auto variant = static_cast<Variant>(state.range(2));
    Tensor<float> a = filled(n, 1), b = filled(n, 2);
    float result = 0;
    for (auto _ : state) {
        switch (variant) {
            case kHoc:
            case kHocNoStream: result = hoc::sum(a * b); break;
            case kHand: {
                // What one writes by hand: a sequential float sum (the compiler may not
                // reorder it without -ffast-math, so it stays scalar).
                std::atomic<float> total{0};
                split(n, [&](index_t lo, index_t hi) {
                    float s = 0;
                    for (index_t i = lo; i < hi; ++i) s += a.data()[i] * b.data()[i];
                    total = total + s;
                });
                result = total;
                break;
            }
            case kEigen:
#if defined(HOC_HAVE_REFERENCES)
            {
                std::atomic<float> total{0};
                split(n, [&](index_t lo, index_t hi) {
                    using M = Eigen::Map<const Eigen::ArrayXf>;
                    const float s = (M(a.data() + lo, hi - lo) * M(b.data() + lo, hi - lo)).sum();
                    total = total + s;
                });
                result = total;
            }
#endif
            break;
            case kNumpy: {
                Tensor<float> t = hoc::eval(a * b);  // numpy: (a*b).sum() materialises a*b
                result = hoc::sum(t);
                break;
            }
        }
        benchmark::DoNotOptimize(result);
    }
    set_rate(state, 2 * 4.0 * static_cast<double>(n), n);
}

// ---- the parallel threshold ------------------------------------------------------------
// The chain at small sizes, forced onto one thread vs split over two: where
// the split starts to pay is kParallelWork / cost(chain) (see assign.hpp).
void BM_threshold(benchmark::State& state) {
    const index_t n = state.range(0);
    const bool parallel = state.range(1) != 0;
    const Threads threads(2);
    Chain x(n);
    for (auto _ : state) {
        auto body = [&](index_t lo, index_t hi) {
            x.y.view().slice(0, lo, hi) = hoc::slice(x.a, 0, lo, hi) * hoc::slice(x.b, 0, lo, hi) +
                                          hoc::slice(x.c, 0, lo, hi) * hoc::slice(x.d, 0, lo, hi) -
                                          hoc::slice(x.e, 0, lo, hi);
        };
        if (parallel) hoc::detail::parallel_for(0, n, n / 2, body);
        else body(0, n);
        benchmark::ClobberMemory();
    }
    set_rate(state, Chain::kStreams * 4.0 * static_cast<double>(n), n);
}

void chain_args(benchmark::internal::Benchmark* b) {
    b->ArgNames({"n", "threads", "variant"});
    for (index_t n : {index_t(100'000), index_t(10'000'000)})
        for (int t : {1, 2})
            for (int v : {kHoc, kHocNoStream, kHand, kEigen, kNumpy}) b->Args({n, t, v});
    b->UseRealTime()->Unit(benchmark::kMicrosecond);
}
void triad_args(benchmark::internal::Benchmark* b) {
    b->ArgNames({"n", "threads"});
    for (index_t n : {index_t(100'000), index_t(3'000'000), index_t(6'400'000), index_t(10'000'000)})
        for (int t : {1, 2}) b->Args({n, t});
    b->UseRealTime()->Unit(benchmark::kMicrosecond);
}
void two_args(benchmark::internal::Benchmark* b) {
    b->ArgNames({"threads", "variant"});
    for (int t : {1, 2})
        for (int v : {kHoc, kHand, kEigen, kNumpy}) b->Args({t, v});
    b->UseRealTime()->Unit(benchmark::kMicrosecond);
}
void narrow_args(benchmark::internal::Benchmark* b) {
    b->ArgNames({"rows", "variant"});
    for (index_t rows : {index_t(100), index_t(10'000)})
        for (int v : {kHoc, kHand, kEigen, kNumpy}) b->Args({rows, v});
    b->UseRealTime()->Unit(benchmark::kMicrosecond);
}
void sum_args(benchmark::internal::Benchmark* b) {
    b->ArgNames({"n", "threads", "variant"});
    for (int t : {1, 2})
        for (int v : {kHoc, kHand, kEigen, kNumpy}) b->Args({10'000'000, t, v});
    b->UseRealTime()->Unit(benchmark::kMicrosecond);
}
void threshold_args(benchmark::internal::Benchmark* b) {
    b->ArgNames({"n", "parallel"});
    for (index_t n = 4096; n <= (index_t(1) << 18); n *= 2)
        for (int p : {0, 1}) b->Args({n, p});
    b->UseRealTime()->Unit(benchmark::kMicrosecond);
}

}  // namespace

BENCHMARK(BM_chain)->Apply(chain_args);
BENCHMARK(BM_triad)->Apply(triad_args);
BENCHMARK(BM_bias_add)->Apply(two_args);
BENCHMARK(BM_narrow_rows)->Apply(narrow_args);
BENCHMARK(BM_image_scale)->Apply(two_args);
BENCHMARK(BM_sum_product)->Apply(sum_args);
BENCHMARK(BM_threshold)->Apply(threshold_args);
BENCHMARK_MAIN();

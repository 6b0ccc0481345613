// hoc::linalg (inv, solve, eig, eigh) vs LAPACK through OpenBLAS in one binary,
// float and double, at 1 and 2 threads. Arguments are {n, threads} ({n, nrhs,
// threads} for solve). Both sides start from the same row-major input and write
// into preallocated outputs; LAPACK's time includes the copy its in-place
// routines need (hoc copies into its own LU workspace too). LAPACK is column-
// major: it works on Aᵀ, which has the same cost (and inv(Aᵀ) = inv(A)ᵀ).
// Run with `env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE` (docs/performance.md).
#include <benchmark/benchmark.h>

#include <complex>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "hoc/hoc.hpp"

#ifdef HOC_HAVE_REFERENCES
extern "C" {
void dgetrf_(const int*, const int*, double*, const int*, int*, int*);
void sgetrf_(const int*, const int*, float*, const int*, int*, int*);
void dgetri_(const int*, double*, const int*, const int*, double*, const int*, int*);
void sgetri_(const int*, float*, const int*, const int*, float*, const int*, int*);
void dgesv_(const int*, const int*, double*, const int*, int*, double*, const int*, int*);
void sgesv_(const int*, const int*, float*, const int*, int*, float*, const int*, int*);
void dgeev_(const char*, const char*, const int*, double*, const int*, double*, double*, double*, const int*,
            double*, const int*, double*, const int*, int*);
void sgeev_(const char*, const char*, const int*, float*, const int*, float*, float*, float*, const int*,
            float*, const int*, float*, const int*, int*);
void dsyevd_(const char*, const char*, const int*, double*, const int*, double*, double*, const int*, int*,
             const int*, int*);
void ssyevd_(const char*, const char*, const int*, float*, const int*, float*, float*, const int*, int*,
             const int*, int*);
void openblas_set_num_threads(int);
char* openblas_get_corename();
}
#endif

namespace {

using hoc::Shape;
using hoc::Tensor;
using hoc::index_t;

template <class T>
Tensor<T> random_matrix(index_t rows, index_t cols, bool symmetric = false) {
    std::mt19937_64 gen(42);
    std::uniform_real_distribution<double> dist(-1.0, 1.0);
    Tensor<T> a(Shape{rows, cols});
    for (index_t i = 0; i < a.size(); ++i) a.data()[i] = static_cast<T>(dist(gen));
    if (symmetric)
        for (index_t i = 0; i < rows; ++i)
            for (index_t j = 0; j < i; ++j) a(j, i) = a(i, j);
    // A dominant diagonal keeps every size well conditioned (no effect on speed).
    if (!symmetric)
        for (index_t i = 0; i < rows && i < cols; ++i) a(i, i) += static_cast<T>(2);
    return a;
}

void set_threads(int t) {
    hoc::set_num_threads(t);
#ifdef HOC_HAVE_REFERENCES
    openblas_set_num_threads(t);
#endif
}

// ---- inv ----------------------------------------------------------------------------

template <class T>
void BM_inv_hoc(benchmark::State& state) {
    const index_t n = state.range(0);
    set_threads(static_cast<int>(state.range(1)));
    const Tensor<T> a = random_matrix<T>(n, n);
    Tensor<T> x(Shape{n, n});
    for (auto _ : state) {
        x = hoc::linalg::inv(a);
        benchmark::DoNotOptimize(x.data());
    }
}

#ifdef HOC_HAVE_REFERENCES
template <class T>
void getrf(const int* n, T* a, int* ipiv, int* info) {
    if constexpr (std::is_same_v<T, double>) dgetrf_(n, n, a, n, ipiv, info);
    else sgetrf_(n, n, a, n, ipiv, info);
}
template <class T>
void getri(const int* n, T* a, const int* ipiv, T* work, const int* lwork, int* info) {
    if constexpr (std::is_same_v<T, double>) dgetri_(n, a, n, ipiv, work, lwork, info);
    else sgetri_(n, a, n, ipiv, work, lwork, info);
}

template <class T>
void BM_inv_lapack(benchmark::State& state) {
    const int n = static_cast<int>(state.range(0));
    set_threads(static_cast<int>(state.range(1)));
    const Tensor<T> a = random_matrix<T>(n, n);
    std::vector<T> x(static_cast<std::size_t>(n) * n);
    std::vector<int> ipiv(static_cast<std::size_t>(n));
    int info = 0, query = -1;
    T wsize = 0;
    getri<T>(&n, x.data(), ipiv.data(), &wsize, &query, &info);
    const int lwork = std::max(1, static_cast<int>(wsize));
    std::vector<T> work(static_cast<std::size_t>(lwork));
    for (auto _ : state) {
        std::memcpy(x.data(), a.data(), sizeof(T) * x.size());
        getrf<T>(&n, x.data(), ipiv.data(), &info);
        getri<T>(&n, x.data(), ipiv.data(), work.data(), &lwork, &info);
        benchmark::DoNotOptimize(x.data());
    }
}
#endif

// ---- solve --------------------------------------------------------------------------

template <class T>
void BM_solve_hoc(benchmark::State& state) {
    const index_t n = state.range(0), k = state.range(1);
    set_threads(static_cast<int>(state.range(2)));
    const Tensor<T> a = random_matrix<T>(n, n), b = random_matrix<T>(n, k);
    Tensor<T> x(Shape{n, k});
    for (auto _ : state) {
        x = hoc::linalg::solve(a, b);
        benchmark::DoNotOptimize(x.data());
    }
}

#ifdef HOC_HAVE_REFERENCES
template <class T>
void BM_solve_lapack(benchmark::State& state) {
    const int n = static_cast<int>(state.range(0)), k = static_cast<int>(state.range(1));
    set_threads(static_cast<int>(state.range(2)));
    const Tensor<T> a = random_matrix<T>(n, n), b = random_matrix<T>(k, n);  // column-major n x k
    std::vector<T> lu(static_cast<std::size_t>(n) * n), x(static_cast<std::size_t>(n) * k);
    std::vector<int> ipiv(static_cast<std::size_t>(n));
    int info = 0;
    for (auto _ : state) {
        std::memcpy(lu.data(), a.data(), sizeof(T) * lu.size());
        std::memcpy(x.data(), b.data(), sizeof(T) * x.size());
        if constexpr (std::is_same_v<T, double>) dgesv_(&n, &k, lu.data(), &n, ipiv.data(), x.data(), &n, &info);
        else sgesv_(&n, &k, lu.data(), &n, ipiv.data(), x.data(), &n, &info);
        benchmark::DoNotOptimize(x.data());
    }
}
#endif

// ---- eig / eigh ---------------------------------------------------------------------

template <class T>
void BM_eig_hoc(benchmark::State& state) {
    const index_t n = state.range(0);
    set_threads(static_cast<int>(state.range(1)));
    const Tensor<T> a = random_matrix<T>(n, n);
    for (auto _ : state) {
        auto r = hoc::linalg::eig(a);
        benchmark::DoNotOptimize(r.eigenvectors.data());
    }
}

template <class T>
void BM_eigh_hoc(benchmark::State& state) {
    const index_t n = state.range(0);
    set_threads(static_cast<int>(state.range(1)));
    const Tensor<T> a = random_matrix<T>(n, n, true);
    for (auto _ : state) {
        auto r = hoc::linalg::eigh(a);
        benchmark::DoNotOptimize(r.eigenvectors.data());
    }
}

#ifdef HOC_HAVE_REFERENCES
// NumPy's eig calls geev with jobvl = 'N', jobvr = 'V' and then builds the complex
// vectors; only the LAPACK call is timed here (in hoc's time, that step is included).
template <class T>
void BM_eig_lapack(benchmark::State& state) {
    const int n = static_cast<int>(state.range(0));
    set_threads(static_cast<int>(state.range(1)));
    const Tensor<T> a = random_matrix<T>(n, n);
    std::vector<T> m(static_cast<std::size_t>(n) * n), vr(m.size()), wr(static_cast<std::size_t>(n)),
        wi(static_cast<std::size_t>(n));
    const char jl = 'N', jr = 'V';
    const int one = 1;
    int info = 0, query = -1;
    T wsize = 0;
    auto call = [&](T* work, const int* lwork) {
        if constexpr (std::is_same_v<T, double>)
            dgeev_(&jl, &jr, &n, m.data(), &n, wr.data(), wi.data(), nullptr, &one, vr.data(), &n, work, lwork, &info);
        else
            sgeev_(&jl, &jr, &n, m.data(), &n, wr.data(), wi.data(), nullptr, &one, vr.data(), &n, work, lwork, &info);
    };
    call(&wsize, &query);
    const int lwork = static_cast<int>(wsize);
    std::vector<T> work(static_cast<std::size_t>(lwork));
    for (auto _ : state) {
        std::memcpy(m.data(), a.data(), sizeof(T) * m.size());
        call(work.data(), &lwork);
        benchmark::DoNotOptimize(vr.data());
    }
}

template <class T>
void BM_eigh_lapack(benchmark::State& state) {
    const int n = static_cast<int>(state.range(0));
    set_threads(static_cast<int>(state.range(1)));
    const Tensor<T> a = random_matrix<T>(n, n, true);
    std::vector<T> m(static_cast<std::size_t>(n) * n), w(static_cast<std::size_t>(n));
    const char jobz = 'V', uplo = 'L';
    int info = 0, query = -1, iwsize = 0;
    T wsize = 0;
    auto call = [&](T* work, const int* lwork, int* iwork, const int* liwork) {
        if constexpr (std::is_same_v<T, double>)
            dsyevd_(&jobz, &uplo, &n, m.data(), &n, w.data(), work, lwork, iwork, liwork, &info);
        else
            ssyevd_(&jobz, &uplo, &n, m.data(), &n, w.data(), work, lwork, iwork, liwork, &info);
    };
    call(&wsize, &query, &iwsize, &query);
    const int lwork = static_cast<int>(wsize), liwork = iwsize;
    std::vector<T> work(static_cast<std::size_t>(lwork));
    std::vector<int> iwork(static_cast<std::size_t>(liwork));
    for (auto _ : state) {
        std::memcpy(m.data(), a.data(), sizeof(T) * m.size());
        call(work.data(), &lwork, iwork.data(), &liwork);
        benchmark::DoNotOptimize(m.data());
    }
}
#endif

void inv_args(benchmark::internal::Benchmark* b) {
    for (int t : {1, 2})
        for (int n : {4, 8, 16, 64, 256, 512, 1000, 2000}) b->Args({n, t});
    b->ArgNames({"n", "threads"})->Unit(benchmark::kMicrosecond);
}
void solve_args(benchmark::internal::Benchmark* b) {
    for (int t : {1, 2})
        for (int k : {1, 100}) b->Args({1000, k, t});
    b->ArgNames({"n", "nrhs", "threads"})->Unit(benchmark::kMillisecond);
}
void eig_args(benchmark::internal::Benchmark* b) {
    for (int t : {1, 2})
        for (int n : {100, 300, 500}) b->Args({n, t});
    b->ArgNames({"n", "threads"})->Unit(benchmark::kMillisecond);
}

BENCHMARK(BM_inv_hoc<double>)->Apply(inv_args);
BENCHMARK(BM_inv_hoc<float>)->Apply(inv_args);
BENCHMARK(BM_solve_hoc<double>)->Apply(solve_args);
BENCHMARK(BM_solve_hoc<float>)->Apply(solve_args);
BENCHMARK(BM_eig_hoc<double>)->Apply(eig_args);
BENCHMARK(BM_eig_hoc<float>)->Apply(eig_args);
BENCHMARK(BM_eigh_hoc<double>)->Apply(eig_args);
BENCHMARK(BM_eigh_hoc<float>)->Apply(eig_args);
#ifdef HOC_HAVE_REFERENCES
BENCHMARK(BM_inv_lapack<double>)->Apply(inv_args);
BENCHMARK(BM_inv_lapack<float>)->Apply(inv_args);
BENCHMARK(BM_solve_lapack<double>)->Apply(solve_args);
BENCHMARK(BM_solve_lapack<float>)->Apply(solve_args);
BENCHMARK(BM_eig_lapack<double>)->Apply(eig_args);
BENCHMARK(BM_eig_lapack<float>)->Apply(eig_args);
BENCHMARK(BM_eigh_lapack<double>)->Apply(eig_args);
BENCHMARK(BM_eigh_lapack<float>)->Apply(eig_args);
#endif

}  // namespace

int main(int argc, char** argv) {
#ifdef HOC_HAVE_REFERENCES
    std::printf("OpenBLAS core: %s\n", openblas_get_corename());
#endif
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

// The GEMM entry points (hoc/kernels/gemm.hpp): kernel selection by ISA,
// batched products, and the public BLAS-like hoc::gemm.
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>

#include "dispatch/cpu_features.hpp"
#include "gemm/gemm_driver.hpp"
#include "hoc/core/threads.hpp"

namespace hoc {
namespace kernels {
namespace detail {
namespace {

std::atomic<int> forced_isa{-1};  // set_gemm_arch; -1: the default

dispatch::Isa active_isa() {
    const int f = forced_isa.load(std::memory_order_relaxed);
    return f < 0 ? dispatch::default_isa() : static_cast<dispatch::Isa>(f);
}

// HOC_GEMM_MC / KC / NC override the blocking (for the tuning sweep).
template <class T>
KernelSet<T> with_env_blocking(KernelSet<T> ks) {
    auto get = [](const char* name, index_t fallback, index_t multiple) {
        const char* s = std::getenv(name);
        if (!s) return fallback;
        const long v = std::strtol(s, nullptr, 10);
        if (v <= 0) return fallback;
        return std::max<index_t>(multiple, v / multiple * multiple);
    };
    ks.mc = get("HOC_GEMM_MC", ks.mc, ks.mr);
    ks.kc = get("HOC_GEMM_KC", ks.kc, 1);
    ks.nc = get("HOC_GEMM_NC", ks.nc, ks.nr);
    return ks;
}

// The kernel set of the active ISA. Only the sets of ISAs this CPU has are
// ever built: building one runs code compiled for its ISA (an AVX-512 set
// built on an AVX2-only CPU is an illegal instruction).
template <class T>
const KernelSet<T>& kernel_set_of(const KernelSet<T>& (*const make[3])()) {
    auto build = [&](dispatch::Isa isa) -> std::optional<KernelSet<T>> {
        if (isa > dispatch::detected_isa()) return std::nullopt;
        return with_env_blocking(make[static_cast<int>(isa)]());
    };
    static const std::optional<KernelSet<T>> sets[3] = {build(dispatch::Isa::generic), build(dispatch::Isa::avx2),
                                                        build(dispatch::Isa::avx512)};
    return *sets[static_cast<int>(active_isa())];
}

template <class T>
const KernelSet<T>& kernel_set();

template <>
const KernelSet<float>& kernel_set<float>() {
    static const KernelSet<float>& (*const make[3])() = {kernels_generic_f32, kernels_avx2_f32, kernels_avx512_f32};
    return kernel_set_of<float>(make);
}

template <>
const KernelSet<double>& kernel_set<double>() {
    static const KernelSet<double>& (*const make[3])() = {kernels_generic_f64, kernels_avx2_f64, kernels_avx512_f64};
    return kernel_set_of<double>(make);
}

}  // namespace
}  // namespace detail

template <class T>
void gemm(index_t m, index_t n, index_t k, T alpha, MatrixRef<const T> a, MatrixRef<const T> b,
          T beta, MatrixRef<T> c, const Epilogue<T>* epilogue) {
    if (m <= 0 || n <= 0) return;
    detail::gemm_one(detail::kernel_set<T>(), m, n, k, alpha, a, b, beta, c, epilogue, 0,
                     hoc::num_threads());
}

template <class T>
void gemm_batched(index_t batch, index_t m, index_t n, index_t k, T alpha, MatrixRef<const T> a,
                  const index_t* a_offsets, MatrixRef<const T> b, const index_t* b_offsets, T beta,
                  MatrixRef<T> c, const index_t* c_offsets, const Epilogue<T>* epilogue) {
    if (batch <= 0 || m <= 0 || n <= 0) return;
    const detail::KernelSet<T>& ks = detail::kernel_set<T>();
    const int threads = hoc::num_threads();
    auto one = [&](index_t p, int nt) {
        MatrixRef<const T> ap = a, bp = b;
        MatrixRef<T> cp = c;
        ap.data += a_offsets[p];
        bp.data += b_offsets[p];
        cp.data += c_offsets[p];
        detail::gemm_one(ks, m, n, k, alpha, ap, bp, beta, cp, epilogue, p, nt);
    };
    // Products big enough to use every thread run one after another; smaller
    // ones run side by side, one thread each (no thread start-up per product).
    if (threads == 1 || batch == 1 || detail::gemm_threads(m, n, k, threads) >= threads) {
        for (index_t p = 0; p < batch; ++p) one(p, threads);
        return;
    }
    hoc::detail::parallel_for(0, batch, 1, [&](index_t lo, index_t hi) {
        for (index_t p = lo; p < hi; ++p) one(p, 1);
    });
}

const char* gemm_arch() { return dispatch::isa_name(detail::active_isa()); }

bool set_gemm_arch(const char* name) {
    if (!name) {
        detail::forced_isa.store(-1);
        return true;
    }
    dispatch::Isa isa;
    if (!dispatch::parse_isa(name, isa) || isa > dispatch::detected_isa()) return false;
    detail::forced_isa.store(static_cast<int>(isa));
    return true;
}

template void gemm<float>(index_t, index_t, index_t, float, MatrixRef<const float>,
                          MatrixRef<const float>, float, MatrixRef<float>, const Epilogue<float>*);
template void gemm<double>(index_t, index_t, index_t, double, MatrixRef<const double>,
                           MatrixRef<const double>, double, MatrixRef<double>,
                           const Epilogue<double>*);
template void gemm_batched<float>(index_t, index_t, index_t, index_t, float,
                                  MatrixRef<const float>, const index_t*, MatrixRef<const float>,
                                  const index_t*, float, MatrixRef<float>, const index_t*,
                                  const Epilogue<float>*);
template void gemm_batched<double>(index_t, index_t, index_t, index_t, double,
                                   MatrixRef<const double>, const index_t*,
                                   MatrixRef<const double>, const index_t*, double,
                                   MatrixRef<double>, const index_t*, const Epilogue<double>*);
}  // namespace kernels

namespace {

// A negative size is a caller's bug: BLAS reports it (xerbla), it must not
// silently mean "nothing" (m < 0) or "C := beta * C" (k < 0).
void check_sizes(index_t m, index_t n, index_t k) {
    if (m < 0 || n < 0 || k < 0)
        throw std::invalid_argument("gemm: sizes must be non-negative, got m = " +
                                    std::to_string(m) + ", n = " + std::to_string(n) +
                                    ", k = " + std::to_string(k));
}

}  // namespace

void gemm(index_t m, index_t n, index_t k, float alpha, const float* a, index_t rsa, index_t csa,
          const float* b, index_t rsb, index_t csb, float beta, float* c, index_t rsc,
          index_t csc) {
    check_sizes(m, n, k);
    kernels::gemm<float>(m, n, k, alpha, {a, rsa, csa}, {b, rsb, csb}, beta, {c, rsc, csc});
}

void gemm(index_t m, index_t n, index_t k, double alpha, const double* a, index_t rsa,
          index_t csa, const double* b, index_t rsb, index_t csb, double beta, double* c,
          index_t rsc, index_t csc) {
    check_sizes(m, n, k);
    kernels::gemm<double>(m, n, k, alpha, {a, rsa, csa}, {b, rsb, csb}, beta, {c, rsc, csc});
}

}  // namespace hoc

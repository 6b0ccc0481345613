// hoc::kernels' linear-algebra entry points: each forwards to the kernel table of
// the instruction set chosen at run time (HOC_ARCH can force a lower one, as for
// the GEMM); the determinant's O(n) product needs no SIMD and lives here.
#include <algorithm>
#include <cmath>

#include "dispatch/cpu_features.hpp"
#include "hoc/linalg/linalg_common.hpp"
#include "linalg/kernel_table.hpp"

namespace hoc::kernels {
namespace {

template <class T>
const linalg_detail::KernelTable<T>& table() {
    static const dispatch::Isa isa = dispatch::default_isa();
    switch (isa) {
        case dispatch::Isa::avx512: return linalg_detail::kernel_table_avx512(static_cast<T*>(nullptr));
        case dispatch::Isa::avx2: return linalg_detail::kernel_table_avx2(static_cast<T*>(nullptr));
        default: return linalg_detail::kernel_table_generic(static_cast<T*>(nullptr));
    }
}

}  // namespace

template <class T>
index_t lu_factor(index_t n, T* a, index_t lda, index_t* piv) {
    return table<T>().lu_factor(n, a, lda, piv);
}
template <class T>
void lu_solve(index_t n, const T* lu, index_t lda, const index_t* piv, index_t nrhs, T* b, index_t ldb) {
    table<T>().lu_solve(n, lu, lda, piv, nrhs, b, ldb);
}
template <class T>
void lu_inverse(index_t n, const T* lu, index_t lda, const index_t* piv, T* x, index_t rsx, index_t csx) {
    table<T>().lu_inverse(n, lu, lda, piv, x, rsx, csx);
}
template <class T>
void trsm_lower_unit(index_t m, index_t n, const T* l, index_t ldl, T* b, index_t ldb) {
    table<T>().trsm_lower_unit(m, n, l, ldl, b, ldb);
}
template <class T>
void trsm_upper(index_t m, index_t n, const T* u, index_t ldu, T* b, index_t ldb) {
    table<T>().trsm_upper(m, n, u, ldu, b, ldb);
}
template <class T>
bool small_inverse(index_t n, const T* a, index_t rsa, index_t csa, T* x, index_t rsx, index_t csx) {
    if (n <= 0) return true;
    return table<T>().small_inverse(n, a, rsa, csa, x, rsx, csx);
}
template <class T>
bool eig(index_t n, T* a, index_t lda, std::complex<T>* w, std::complex<T>* v, index_t ldv) {
    return table<T>().eig(n, a, lda, w, v, ldv);
}
template <class T>
bool eigh(index_t n, T* a, index_t lda, T* w, T* v, index_t ldv) {
    return table<T>().eigh(n, a, lda, w, v, ldv);
}

template <class T>
T lu_determinant(index_t n, const T* lu, index_t lda, const index_t* piv) {
    // Mantissa in [0.5, 1) and a separate exponent: the running product never
    // over- or underflows, only the final ldexp can (when the true value does).
    double mant = 1.0;
    long exp2 = 0;
    bool negative = false;
    for (index_t k = 0; k < n; ++k) {
        if (piv[k] != k) negative = !negative;
        const double d = static_cast<double>(lu[k * lda + k]);
        if (d == 0.0) return T(0);
        int e = 0;
        mant = std::frexp(mant * d, &e);
        exp2 += e;
    }
    exp2 = std::clamp(exp2, -100000L, 100000L);
    return static_cast<T>(std::ldexp(negative ? -mant : mant, static_cast<int>(exp2)));
}

#define HOC_LINALG_INSTANTIATE(T)                                                                        \
    template index_t lu_factor<T>(index_t, T*, index_t, index_t*);                                     \
    template void lu_solve<T>(index_t, const T*, index_t, const index_t*, index_t, T*, index_t);       \
    template void lu_inverse<T>(index_t, const T*, index_t, const index_t*, T*, index_t, index_t);     \
    template T lu_determinant<T>(index_t, const T*, index_t, const index_t*);                          \
    template void trsm_lower_unit<T>(index_t, index_t, const T*, index_t, T*, index_t);                \
    template void trsm_upper<T>(index_t, index_t, const T*, index_t, T*, index_t);                     \
    template bool small_inverse<T>(index_t, const T*, index_t, index_t, T*, index_t, index_t);         \
    template bool eig<T>(index_t, T*, index_t, std::complex<T>*, std::complex<T>*, index_t);           \
    template bool eigh<T>(index_t, T*, index_t, T*, T*, index_t);
HOC_LINALG_INSTANTIATE(float)
HOC_LINALG_INSTANTIATE(double)
#undef HOC_LINALG_INSTANTIATE

}  // namespace hoc::kernels

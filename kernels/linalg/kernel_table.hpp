// The linear-algebra kernels are compiled three times, once per instruction set
// (linalg_generic.cpp, linalg_avx2.cpp, linalg_avx512.cpp each include
// linalg_isa.inc, which includes the *_impl.hpp files inside an anonymous
// namespace, so no symbol is shared between the copies), and linalg_dispatch.cpp picks one table at run time, like the GEMM.
// The GEMM calls inside them go to hoc's dispatched GEMM.
#pragma once

#include <complex>

#include "hoc/kernels/gemm.hpp"

namespace hoc::kernels::linalg_detail {

template <class T>
struct KernelTable {
    index_t (*lu_factor)(index_t, T*, index_t, index_t*);
    void (*trsm_lower_unit)(index_t, index_t, const T*, index_t, T*, index_t);
    void (*trsm_upper)(index_t, index_t, const T*, index_t, T*, index_t);
    void (*lu_solve)(index_t, const T*, index_t, const index_t*, index_t, T*, index_t);
    void (*lu_inverse)(index_t, const T*, index_t, const index_t*, T*, index_t, index_t);
    bool (*small_inverse)(index_t, const T*, index_t, index_t, T*, index_t, index_t);
    bool (*eig)(index_t, T*, index_t, std::complex<T>*, std::complex<T>*, index_t);
    bool (*eigh)(index_t, T*, index_t, T*, T*, index_t);
};

#define HOC_LINALG_DECLARE_TABLES(isa)                      \
    const KernelTable<float>& kernel_table_##isa(float*);   \
    const KernelTable<double>& kernel_table_##isa(double*);
HOC_LINALG_DECLARE_TABLES(generic)
HOC_LINALG_DECLARE_TABLES(avx2)
HOC_LINALG_DECLARE_TABLES(avx512)
#undef HOC_LINALG_DECLARE_TABLES

}  // namespace hoc::kernels::linalg_detail

// What one ISA provides to the GEMM driver: the register-tile microkernel,
// the packing routines (compiled with the same ISA flags), and the blocking
// parameters derived for it (see docs/design-gemm.md).
#pragma once

#include "hoc/kernels/gemm.hpp"

namespace hoc::kernels::detail {

// The microkernel computes one m x n tile (m <= MR, n <= NR):
//   C(i,j) = alpha * sum_p A(i,p) * B(p,j) + beta * C(i,j)
// with A(i,p) = a[i*rsa + p*csa], B(p,j) = b[p*rsb + j], C(i,j) = c[i*rsc + j].
// beta == 0 never reads C. A rows >= m and B columns >= n are never read, so
// the strided kernel also runs straight on unpacked operands (the
// small-matrix path). The packed kernel assumes A in the packed layout
// (A(i,p) = a[p*MR + i], zero padded to MR rows) and ignores rsa / csa.
template <class T>
using Microkernel = void (*)(index_t k, T alpha, const T* a, index_t rsa, index_t csa, const T* b,
                             index_t rsb, T beta, T* c, index_t rsc, int m, int n);

// Packs rows [i0, i0+mc) x columns [p0, p0+kc) of A into ceil(mc/MR) panels of
// kc x MR (MR contiguous per p), zero padding the last panel's missing rows.
template <class T>
using PackA = void (*)(const MatrixRef<const T>& a, index_t i0, index_t p0, index_t mc,
                       index_t kc, T* dst);
// Packs rows [p0, p0+kc) x columns [j0, j0+nc) of B into ceil(nc/NR) panels of
// kc x NR (NR contiguous per p), zero padding the last panel's missing columns.
template <class T>
using PackB = void (*)(const MatrixRef<const T>& b, index_t p0, index_t j0, index_t kc,
                       index_t nc, T* dst);

// The skinny kernel (n <= dot_nr): an m x n tile (m <= dot_mr) of
//   C(i,j) = alpha * sum_p a[i*rsa + p] * bt[j*ldb + p] + beta * C(i,j),
// C(i,j) = c[i*rsc + j*csc]: dot products along k, A read in place, B as B^T.
template <class T>
using DotMicrokernel = void (*)(index_t k, T alpha, const T* a, index_t rsa, const T* bt,
                                index_t ldb, T beta, T* c, index_t rsc, index_t csc, int m, int n);

template <class T>
struct KernelSet {
    const char* name = "generic";
    int mr = 0, nr = 0;
    index_t mc = 0, kc = 0, nc = 0;  // cache blocking, multiples of mr / nr
    Microkernel<T> packed = nullptr;
    // The strided tiles are strided_mr tall (<= mr): fewer rows of A to
    // address in place, so all row offsets stay in registers.
    Microkernel<T> strided = nullptr;
    int strided_mr = 0;
    PackA<T> pack_a = nullptr;
    PackB<T> pack_b = nullptr;
    // Same contract as `strided`, on a one-vector-wide tile (NR = vector
    // width) for products whose n fits one vector.
    Microkernel<T> strided_narrow = nullptr;
    int narrow_nr = 0;
    DotMicrokernel<T> dot = nullptr;
    int dot_mr = 0, dot_nr = 0;
    // Tiny products: B's k rows held in registers, all m rows in one call
    // (`m` may exceed MR here); needs 1 <= k <= rows_kmax, n <= narrow_nr.
    Microkernel<T> rows = nullptr;
    int rows_kmax = 0;
};

// One function per ISA translation unit; each returns a static table.
const KernelSet<float>& kernels_generic_f32();
const KernelSet<double>& kernels_generic_f64();
const KernelSet<float>& kernels_avx2_f32();
const KernelSet<double>& kernels_avx2_f64();
const KernelSet<float>& kernels_avx512_f32();
const KernelSet<double>& kernels_avx512_f64();

}  // namespace hoc::kernels::detail

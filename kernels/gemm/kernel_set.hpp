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

template <class T>
struct KernelSet {
    const char* name = "generic";
    int mr = 0, nr = 0;
    index_t mc = 0, kc = 0, nc = 0;  // cache blocking, multiples of mr / nr
    Microkernel<T> packed = nullptr;
    Microkernel<T> strided = nullptr;
    PackA<T> pack_a = nullptr;
    PackB<T> pack_b = nullptr;
};

// One function per ISA translation unit; each returns a static table.
const KernelSet<float>& kernels_generic_f32();
const KernelSet<double>& kernels_generic_f64();
const KernelSet<float>& kernels_avx2_f32();
const KernelSet<double>& kernels_avx2_f64();
const KernelSet<float>& kernels_avx512_f32();
const KernelSet<double>& kernels_avx512_f64();

}  // namespace hoc::kernels::detail

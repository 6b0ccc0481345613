// Assembles one ISA's KernelSet from its SIMD traits: the wide packed /
// strided tile, the one-vector narrow tile and the skinny dot kernel, plus
// packing compiled with the same flags. Internal linkage (see
// microkernel_impl.hpp).
#pragma once

#include "gemm/microkernels/dot_kernel_impl.hpp"
#include "gemm/microkernels/microkernel_impl.hpp"
#include "gemm/microkernels/pack_impl.hpp"
#include "gemm/microkernels/rows_kernel_impl.hpp"

namespace hoc::kernels::detail {
namespace {

// MR x (NV vectors) main tile, MR x 1 vector narrow tile, DMR x DNR dot
// tile, the rows kernel for k <= RKMAX (B rows kept in registers), and
// SMR-tall tiles for the in-place (strided) path.
template <class V, int MR, int NV, int DMR, int DNR, int RKMAX, int SMR = MR>
KernelSet<typename V::T> make_kernel_set(const char* name, index_t mc, index_t kc, index_t nc) {
    using T = typename V::T;
    using Wide = Microkernel<V, MR, NV>;
    using Strided = Microkernel<V, SMR, NV>;
    using Narrow = Microkernel<V, SMR, 1>;
    KernelSet<T> ks;
    ks.name = name;
    ks.mr = MR;
    ks.nr = Wide::NR;
    ks.mc = mc;
    ks.kc = kc;
    ks.nc = nc;
    ks.packed = &Wide::template run<true>;
    ks.strided = &Strided::template run<false>;
    ks.strided_mr = SMR;
    ks.pack_a = &pack_a<T, MR>;
    ks.pack_b = &pack_b<T, Wide::NR>;
    ks.strided_narrow = &Narrow::template run<false>;
    ks.narrow_nr = Narrow::NR;
    ks.dot = &DotKernel<V, DMR, DNR>::run;
    ks.dot_mr = DMR;
    ks.dot_nr = DNR;
    ks.rows = &RowsKernel<V, RKMAX>::run;
    ks.rows_kmax = RKMAX;
    return ks;
}

}  // namespace
}  // namespace hoc::kernels::detail

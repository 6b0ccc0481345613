// hoc's linear-algebra kernels (LU, TRSM, inverse, eig, eigh, small inverse)
// compiled for avx2; see kernel_table.hpp.
#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <numeric>
#include <utility>
#include <vector>

#include "hoc/core/threads.hpp"
#include "hoc/kernels/gemm.hpp"
#include "hoc/linalg/linalg_common.hpp"
#include "linalg/kernel_table.hpp"

#define HOC_SIMD_BYTES 32

namespace hoc::kernels::linalg_detail {
namespace {
#include "linalg/row_major.hpp"
#include "linalg/householder.hpp"
#include "linalg/triangular_solve_impl.hpp"
#include "linalg/lu_factor_impl.hpp"
#include "linalg/lu_apply_impl.hpp"
#include "linalg/small_inverse_impl.hpp"
#include "linalg/eig_general_impl.hpp"
#include "linalg/eig_symmetric_impl.hpp"

template <class T>
constexpr KernelTable<T> table{&lu_factor<T>,  &trsm_lower_unit<T>,    &trsm_upper<T>, &lu_solve<T>,
                               &lu_inverse<T>, &small_inverse_any<T>, &eig<T>,        &eigh<T>};
}  // namespace

const KernelTable<float>& kernel_table_avx2(float*) { return table<float>; }
const KernelTable<double>& kernel_table_avx2(double*) { return table<double>; }

}  // namespace hoc::kernels::linalg_detail

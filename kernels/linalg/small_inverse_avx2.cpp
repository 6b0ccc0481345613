// The n <= 16 inverse compiled for avx2 (see small_inverse_impl.hpp).
#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "hoc/kernels/gemm.hpp"

#define HOC_SIMD_BYTES 32

namespace hoc::kernels::linalg_detail {
namespace {
#include "linalg/small_inverse_impl.hpp"
}  // namespace

bool small_inverse_avx2(index_t n, const double* a, index_t rsa, index_t csa, double* x, index_t rsx, index_t csx) {
    return small_inverse_any<double>(n, a, rsa, csa, x, rsx, csx);
}
bool small_inverse_avx2(index_t n, const float* a, index_t rsa, index_t csa, float* x, index_t rsx, index_t csx) {
    return small_inverse_any<float>(n, a, rsa, csa, x, rsx, csx);
}

}  // namespace hoc::kernels::linalg_detail

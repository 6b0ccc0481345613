// Run-time choice of the n <= 16 inverse kernel by instruction set.
#include "dispatch/cpu_features.hpp"
#include "hoc/linalg/linalg_common.hpp"

namespace hoc::kernels {
namespace linalg_detail {
#define HOC_DECLARE_SMALL_INVERSE(isa)                                                                   \
    bool small_inverse_##isa(index_t, const double*, index_t, index_t, double*, index_t, index_t);   \
    bool small_inverse_##isa(index_t, const float*, index_t, index_t, float*, index_t, index_t);
HOC_DECLARE_SMALL_INVERSE(generic)
HOC_DECLARE_SMALL_INVERSE(avx2)
HOC_DECLARE_SMALL_INVERSE(avx512)
#undef HOC_DECLARE_SMALL_INVERSE
}  // namespace linalg_detail

template <class T>
bool small_inverse(index_t n, const T* a, index_t rsa, index_t csa, T* x, index_t rsx, index_t csx) {
    if (n <= 0) return true;
    static const dispatch::Isa isa = dispatch::default_isa();
    switch (isa) {
        case dispatch::Isa::avx512: return linalg_detail::small_inverse_avx512(n, a, rsa, csa, x, rsx, csx);
        case dispatch::Isa::avx2: return linalg_detail::small_inverse_avx2(n, a, rsa, csa, x, rsx, csx);
        default: return linalg_detail::small_inverse_generic(n, a, rsa, csa, x, rsx, csx);
    }
}

template bool small_inverse<float>(index_t, const float*, index_t, index_t, float*, index_t, index_t);
template bool small_inverse<double>(index_t, const double*, index_t, index_t, double*, index_t, index_t);

}  // namespace hoc::kernels

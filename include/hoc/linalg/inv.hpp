// hoc::linalg::inv: the inverse of a matrix or of each matrix of a (..., n, n)
// stack, by LU with partial pivoting (numpy.linalg.inv). The result is lazy (a
// Computation): `x = inv(a)` into an x of the right shape writes straight into
// x's buffer, and nothing is written when a matrix is singular.
#pragma once

#include "hoc/linalg/lu.hpp"

namespace hoc::linalg {

template <RealFloat T>
class Inverse {
public:
    using value_type = T;
    using computation_tag = void;

    explicit Inverse(detail::Operand<T> a) : a_(std::move(a)) {
        detail::square_order(a_.view().shape(), "inv");
    }

    Shape shape() const { return a_.view().shape(); }
    bool reads_memory(const void* lo, const void* hi) const {
        return hoc::detail::reads_memory(a_.view(), lo, hi);
    }

    // Throws LinAlgError("Singular matrix") before writing anything if some
    // matrix has an exactly zero pivot.
    void evaluate_into(TensorView<T> dst) const {
        const TensorView<const T>& a = a_.view();
        const index_t n = a.shape().back();
        const detail::LuStack<T> lu(a, n);
        if (lu.count() == 0 || n == 0) return;
        if (lu.any_singular()) detail::throw_singular();
        const index_t nd = dst.ndim();
        const index_t rs = dst.strides()[nd - 2], cs = dst.strides()[nd - 1];
        if (lu.count() == 1) {
            kernels::lu_inverse(n, lu.lu(0), n, lu.piv(0), dst.data(), rs, cs);
            return;
        }
        const Shape batch = detail::leading_axes(dst.shape(), 2);
        const std::vector<index_t> offsets =
            detail::batch_offsets(batch, batch, detail::leading_axes(dst.strides(), 2));
        hoc::detail::parallel_for(0, lu.count(), detail::stack_grain(n), [&](index_t lo, index_t hi) {
            for (index_t p = lo; p < hi; ++p)
                kernels::lu_inverse(n, lu.lu(p), n, lu.piv(p),
                                    dst.data() + offsets[static_cast<std::size_t>(p)], rs, cs);
        });
    }

private:
    detail::Operand<T> a_;
};

// inv(a) for a of shape (..., n, n): lazy; converts to Tensor<T>.
template <detail::LinalgOperand A>
Inverse<detail::operand_value_t<A>> inv(A&& a) {
    return Inverse<detail::operand_value_t<A>>(detail::capture(std::forward<A>(a)));
}

}  // namespace hoc::linalg

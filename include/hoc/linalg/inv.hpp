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

    // The operand is built in place (a view is a few hundred bytes: copies show at n = 4).
    template <class A>
    Inverse(std::in_place_t, A&& a) : a_(std::forward<A>(a)) {
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
        const index_t nd = a.ndim(), n = a.shape()[nd - 1];
        const index_t rs = dst.strides()[nd - 2], cs = dst.strides()[nd - 1];
        if (n <= kernels::kSmallOrder) return small_orders(a, n, dst);
        const detail::LuStack<T> lu(a, n);
        if (lu.count() == 0) return;
        if (lu.any_singular()) detail::throw_singular();
        if (lu.count() == 1) {
            kernels::lu_inverse(n, lu.lu(0), n, lu.piv(0), dst.data(), rs, cs);
            return;
        }
        const std::vector<index_t> offsets = dst_offsets(dst);
        hoc::detail::parallel_for(0, lu.count(), detail::stack_grain(n), [&](index_t lo, index_t hi) {
            for (index_t p = lo; p < hi; ++p)
                kernels::lu_inverse(n, lu.lu(p), n, lu.piv(p),
                                    dst.data() + offsets[static_cast<std::size_t>(p)], rs, cs);
        });
    }

private:
    static std::vector<index_t> dst_offsets(const TensorView<T>& dst) {
        const Shape batch = detail::leading_axes(dst.shape(), 2);
        return detail::batch_offsets(batch, batch, detail::leading_axes(dst.strides(), 2));
    }

    // n <= 16: the fixed-size Gauss–Jordan kernel, straight from A to dst for one
    // matrix; a stack goes through a scratch buffer so a singular matrix anywhere
    // leaves dst untouched.
    static void small_orders(const TensorView<const T>& a, index_t n, const TensorView<T>& dst) {
        const index_t nd = a.ndim();
        const index_t ars = a.strides()[nd - 2], acs = a.strides()[nd - 1];
        const index_t drs = dst.strides()[nd - 2], dcs = dst.strides()[nd - 1];
        if (nd == 2) {
            if (!kernels::small_inverse(n, a.data(), ars, acs, dst.data(), drs, dcs)) detail::throw_singular();
            return;
        }
        const Shape batch = detail::leading_axes(a.shape(), 2);
        const index_t count = checked_size(batch), nn = n * n;
        if (count == 0 || n == 0) return;
        const std::vector<index_t> a_off = detail::batch_offsets(batch, batch, detail::leading_axes(a.strides(), 2));
        std::vector<T> scratch(static_cast<std::size_t>(count * nn));
        std::atomic<bool> singular{false};
        hoc::detail::parallel_for(0, count, detail::stack_grain(n), [&](index_t lo, index_t hi) {
            for (index_t p = lo; p < hi; ++p)
                if (!kernels::small_inverse(n, a.data() + a_off[static_cast<std::size_t>(p)], ars, acs,
                                            scratch.data() + p * nn, n, index_t(1)))
                    singular.store(true, std::memory_order_relaxed);
        });
        if (singular.load()) detail::throw_singular();
        const std::vector<index_t> d_off = dst_offsets(dst);
        for (index_t p = 0; p < count; ++p) {
            T* d = dst.data() + d_off[static_cast<std::size_t>(p)];
            const T* s = scratch.data() + p * nn;
            for (index_t i = 0; i < n; ++i)
                for (index_t j = 0; j < n; ++j) d[i * drs + j * dcs] = s[i * n + j];
        }
    }

    detail::Operand<T> a_;
};

// inv(a) for a of shape (..., n, n): lazy; converts to Tensor<T>.
template <detail::LinalgOperand A>
Inverse<detail::operand_value_t<A>> inv(A&& a) {
    return Inverse<detail::operand_value_t<A>>(std::in_place, std::forward<A>(a));
}

}  // namespace hoc::linalg

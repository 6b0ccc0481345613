// hoc::linalg::solve(A, B): X with A·X = B, by LU with partial pivoting, as
// numpy.linalg.solve (NumPy 2): B of shape (n,) is one vector, otherwise B is a
// stack (..., n, k) of right-hand-side matrices; the batch axes of A and B
// broadcast. Each distinct matrix of A is factored once. Lazy, like inv.
#pragma once

#include "hoc/linalg/lu.hpp"

namespace hoc::linalg {

template <RealFloat T>
class Solution {
public:
    using value_type = T;
    using computation_tag = void;

    template <class A, class B>
    Solution(std::in_place_t, A&& a, B&& b) : a_(std::forward<A>(a)), b_(std::forward<B>(b)) {
        const Shape& as = a_.view().shape();
        const Shape& bs = b_.view().shape();
        n_ = detail::square_order(as, "solve");
        const Shape a_batch = detail::leading_axes(as, 2);
        vector_rhs_ = bs.size() == 1;
        if (bs.size() == 0)
            throw ShapeError("solve: b of shape () is a scalar; it must be (n,) or (..., n, k), with A " +
                             shape_string(as));
        const index_t b_axis = vector_rhs_ ? 0 : bs.size() - 2;
        if (bs[b_axis] != n_)
            throw ShapeError("solve: shapes " + shape_string(as) + " and " + shape_string(bs) +
                             " not aligned: " + std::to_string(n_) + " (dim " +
                             std::to_string(as.size() - 1) + ") != " + std::to_string(bs[b_axis]) +
                             " (dim " + std::to_string(b_axis) + ")");
        if (vector_rhs_) {
            shape_ = a_batch;
            shape_.push_back(n_);
        } else {
            shape_ = broadcast_shapes(a_batch, detail::leading_axes(bs, 2), "solve");
            shape_.push_back(n_);
            shape_.push_back(bs.back());
        }
    }

    Shape shape() const { return shape_; }
    bool reads_memory(const void* lo, const void* hi) const {
        return hoc::detail::reads_memory(a_.view(), lo, hi) || hoc::detail::reads_memory(b_.view(), lo, hi);
    }

    void evaluate_into(TensorView<T> dst) const {
        const TensorView<const T>& a = a_.view();
        const TensorView<const T>& b = b_.view();
        const index_t n = n_;
        const detail::LuStack<T> lu(a, n);  // each matrix of A's own stack, once
        const index_t k = vector_rhs_ ? 1 : shape_.back();
        const Shape batch = detail::leading_axes(shape_, vector_rhs_ ? 1 : 2);
        const index_t count = checked_size(batch);
        if (count == 0 || n == 0 || k == 0) return;
        if (lu.any_singular()) detail::throw_singular();

        const index_t bnd = b.ndim(), dnd = dst.ndim();
        const index_t rsb = vector_rhs_ ? b.strides()[0] : b.strides()[bnd - 2];
        const index_t csb = vector_rhs_ ? 0 : b.strides()[bnd - 1];
        const index_t rsd = vector_rhs_ ? dst.strides()[dnd - 1] : dst.strides()[dnd - 2];
        const index_t csd = vector_rhs_ ? 0 : dst.strides()[dnd - 1];

        auto solve_one = [&](index_t a_index, const T* bp, T* dp) {
            if (csd == 1 || k == 1) {
                // Solve in the destination itself (its rows are contiguous).
                detail::copy_matrix(n, k, bp, rsb, csb, dp, rsd);
                kernels::lu_solve(n, lu.lu(a_index), n, lu.piv(a_index), k, dp, rsd);
            } else {
                std::vector<T> x(static_cast<std::size_t>(n * k));
                detail::copy_matrix(n, k, bp, rsb, csb, x.data(), k);
                kernels::lu_solve(n, lu.lu(a_index), n, lu.piv(a_index), k, x.data(), k);
                for (index_t i = 0; i < n; ++i)
                    for (index_t j = 0; j < k; ++j) dp[i * rsd + j * csd] = x[static_cast<std::size_t>(i * k + j)];
            }
        };
        if (count == 1) return solve_one(0, b.data(), dst.data());

        const Shape a_batch = detail::leading_axes(a.shape(), 2);
        // Position of each result's A in LuStack's (contiguous) order.
        const std::vector<index_t> a_index = detail::batch_offsets(batch, a_batch, contiguous_strides(a_batch));
        std::vector<index_t> b_off(static_cast<std::size_t>(count), 0);
        if (!vector_rhs_) {
            const Shape b_batch = detail::leading_axes(b.shape(), 2);
            b_off = detail::batch_offsets(batch, b_batch, detail::leading_axes(b.strides(), 2));
        }
        const std::vector<index_t> d_off =
            detail::batch_offsets(batch, batch, detail::leading_axes(dst.strides(), vector_rhs_ ? 1 : 2));
        hoc::detail::parallel_for(0, count, detail::stack_grain(n), [&](index_t lo, index_t hi) {
            for (index_t p = lo; p < hi; ++p) {
                const auto q = static_cast<std::size_t>(p);
                solve_one(a_index[q], b.data() + b_off[q], dst.data() + d_off[q]);
            }
        });
    }

private:
    detail::Operand<T> a_, b_;
    Shape shape_;
    index_t n_ = 0;
    bool vector_rhs_ = false;
};

// solve(a, b): a (..., n, n); b (n,) or (..., n, k). Lazy; converts to Tensor<T>.
template <detail::LinalgOperand A, detail::LinalgOperand B>
    requires std::same_as<detail::operand_value_t<A>, detail::operand_value_t<B>>
Solution<detail::operand_value_t<A>> solve(A&& a, B&& b) {
    using T = detail::operand_value_t<A>;
    return Solution<T>(std::in_place, std::forward<A>(a), std::forward<B>(b));
}

}  // namespace hoc::linalg

// LU factorizations of every matrix of a (..., n, n) stack, the step inv, solve
// and det share. Single small matrices stay on the stack (no heap at all).
#pragma once

#include <atomic>
#include <vector>

#include "hoc/core/threads.hpp"
#include "hoc/linalg/linalg_common.hpp"

namespace hoc::linalg::detail {

// Matrices per parallel task: enough work (~n^3 flops) to pay for a task.
inline index_t stack_grain(index_t n) {
    const index_t work = n * n * n + 1;
    return std::max<index_t>(1, (index_t(1) << 15) / work);
}

// The LU factors of a stack, stored contiguously: matrix p at lu(p), pivots at piv(p).
template <class T>
class LuStack {
public:
    // Factors every matrix of `a` (shape (..., n, n), any strides).
    LuStack(const TensorView<const T>& a, index_t n) : n_(n) {
        const Shape batch = leading_axes(a.shape(), 2);
        count_ = checked_size(batch);
        if (count_ == 0 || n_ == 0) return;
        const index_t rs = a.strides()[a.ndim() - 2], cs = a.strides()[a.ndim() - 1];
        if (count_ == 1 && n_ <= kernels::kSmallOrder) {
            lu_ptr_ = small_lu_;
            piv_ptr_ = small_piv_;
            copy_matrix(n_, n_, a.data(), rs, cs, lu_ptr_, n_);
            info_first_ = kernels::lu_factor(n_, lu_ptr_, n_, piv_ptr_);
            return;
        }
        lu_.resize(static_cast<std::size_t>(count_ * n_ * n_));
        piv_.resize(static_cast<std::size_t>(count_ * n_));
        lu_ptr_ = lu_.data();
        piv_ptr_ = piv_.data();
        const std::vector<index_t> offsets = batch_offsets(batch, batch, leading_axes(a.strides(), 2));
        std::atomic<index_t> singular{0};
        hoc::detail::parallel_for(0, count_, stack_grain(n_), [&](index_t lo, index_t hi) {
            for (index_t p = lo; p < hi; ++p) {
                copy_matrix(n_, n_, a.data() + offsets[static_cast<std::size_t>(p)], rs, cs, lu(p), n_);
                if (kernels::lu_factor(n_, lu(p), n_, piv(p)) != 0) singular.store(1, std::memory_order_relaxed);
            }
        });
        info_first_ = singular.load();
    }
    LuStack(const LuStack&) = delete;
    LuStack& operator=(const LuStack&) = delete;

    index_t count() const { return count_; }
    index_t order() const { return n_; }
    // True when some matrix had an exactly zero pivot.
    bool any_singular() const { return info_first_ != 0; }
    T* lu(index_t p) { return lu_ptr_ + p * n_ * n_; }
    const T* lu(index_t p) const { return lu_ptr_ + p * n_ * n_; }
    index_t* piv(index_t p) { return piv_ptr_ + p * n_; }
    const index_t* piv(index_t p) const { return piv_ptr_ + p * n_; }

private:
    index_t n_ = 0, count_ = 0, info_first_ = 0;
    T* lu_ptr_ = nullptr;
    index_t* piv_ptr_ = nullptr;
    std::vector<T> lu_;
    std::vector<index_t> piv_;
    T small_lu_[kernels::kSmallOrder * kernels::kSmallOrder];
    index_t small_piv_[kernels::kSmallOrder];
};

}  // namespace hoc::linalg::detail

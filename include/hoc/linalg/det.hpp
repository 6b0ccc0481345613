// hoc::linalg::det: determinants from the LU factorization (numpy.linalg.det).
// The product of the pivots is accumulated as mantissa and exponent, so it
// over- or underflows only when the true determinant does. A singular matrix
// gives 0 (no exception), as in NumPy.
#pragma once

#include <concepts>
#include <ostream>

#include "hoc/linalg/lu.hpp"

namespace hoc::linalg {

// det()'s result: one value for a single matrix (converts to T), a Tensor<T> of
// the batch shape for a stack (converts to Tensor<T>).
template <RealFloat T>
class Determinant {
public:
    explicit Determinant(T value) : value_(value) {}
    explicit Determinant(Tensor<T> values) : values_(std::move(values)), is_stack_(true) {}

    bool is_stack() const { return is_stack_; }
    // The batch shape: () for a single matrix.
    Shape shape() const { return is_stack_ ? values_.shape() : Shape{}; }

    // The determinant of a single matrix; ShapeError for a stack.
    T value() const {
        if (is_stack_)
            throw ShapeError("det: the input was a stack of matrices; its determinants have shape " +
                             shape_string(values_.shape()) + ", not a single value");
        return value_;
    }
    operator T() const { return value(); }

    // All determinants as a tensor of the batch shape (0-d for a single matrix).
    Tensor<T> tensor() const {
        if (is_stack_) return values_;
        Tensor<T> t = Tensor<T>::uninitialized(Shape{});
        t.data()[0] = value_;
        return t;
    }
    operator Tensor<T>() const { return tensor(); }

    // Stack conveniences, as on the Tensor: d(i, j) and the sizes.
    index_t ndim() const { return is_stack_ ? values_.ndim() : 0; }
    index_t size() const { return is_stack_ ? values_.size() : 1; }
    template <std::integral... I>
    T operator()(I... idx) const {
        if constexpr (sizeof...(I) == 0) return value();
        else return values_.at(idx...);
    }

    // Prints the value, or the tensor of values for a stack (needs hoc/io.hpp).
    friend std::ostream& operator<<(std::ostream& os, const Determinant& d) {
        if (d.is_stack_) return os << d.values_;
        return os << d.value_;
    }

private:
    T value_ = T(0);
    Tensor<T> values_;
    bool is_stack_ = false;
};

template <RealFloat T>
Determinant<T> det_of(const TensorView<const T>& a) {
    const index_t n = detail::square_order(a.shape(), "det");
    const detail::LuStack<T> lu(a, n);
    auto one = [&](index_t p) { return n == 0 ? T(1) : kernels::lu_determinant(n, lu.lu(p), n, lu.piv(p)); };
    if (a.ndim() == 2) return Determinant<T>(one(0));
    Tensor<T> out = Tensor<T>::uninitialized(detail::leading_axes(a.shape(), 2));
    T* o = out.data();
    hoc::detail::parallel_for(0, out.size(), detail::stack_grain(n), [&](index_t lo, index_t hi) {
        for (index_t p = lo; p < hi; ++p) o[p] = one(p);
    });
    return Determinant<T>(std::move(out));
}

// det(a) for a of shape (n, n) (a value) or (..., n, n) (a tensor of determinants).
template <detail::LinalgOperand A>
Determinant<detail::operand_value_t<A>> det(A&& a) {
    using T = detail::operand_value_t<A>;
    const detail::Operand<T> op(std::forward<A>(a));
    return det_of<T>(op.view());
}

}  // namespace hoc::linalg

// Tensor's and TensorView's construction and assignment from views,
// expressions, computations and numbers: all of them run the one assignment
// loop in hoc/expr/assign.hpp. Included at the end of hoc/core/tensor.hpp.
#pragma once

#include "hoc/core/computation.hpp"
#include "hoc/core/tensor.hpp"
#include "hoc/expr/assign.hpp"
#include "hoc/expr/operators.hpp"

namespace hoc {

namespace expr::detail {

template <class T, class X>
void assign_any(const TensorView<T>& dst, const X& x) {
    if constexpr (ScalarOperand<X>) {
        assign_unchecked(dst, ScalarLeaf<T>{ops::Cast<T>::apply(x)});
    } else if constexpr (ComputationLike<X> && std::is_same_v<typename X::value_type, T>) {
        // A computation writes straight into dst unless it reads dst's memory.
        check_assignable(Shape(x.shape()), dst.shape(), "assign", false);
        const auto [lo, hi] = hoc::detail::memory_range(dst);
        if (Shape(x.shape()) == dst.shape() && dst.is_contiguous() && !x.reads_memory(lo, hi))
            x.evaluate_into(dst);
        else
            assign(dst, as_node(x));
    } else {
        assign(dst, as_node(x));
    }
}

template <class Op, class T, class X>
void compound_assign(const TensorView<T>& dst, const X& x) {
    assign(dst, binary<Op>(ViewLeaf<T>{dst}, x), Op::name, true);
}

}  // namespace expr::detail

// ---- Tensor ----------------------------------------------------------------------

template <class Elem>
template <class U>
Tensor<Elem>::Tensor(const TensorView<U>& v) : Tensor(v.shape(), Uninit{}) {
    using V = std::remove_const_t<U>;
    expr::detail::assign_unchecked(view(), expr::detail::converted<Elem>(expr::ViewLeaf<V>{v}));
}

template <class Elem>
template <expr::Expression E>
Tensor<Elem>::Tensor(const E& e) : Tensor(Shape(e.shape()), Uninit{}) {
    expr::detail::assign_unchecked(view(), expr::detail::converted<Elem>(e));
}

template <class Elem>
template <class U>
    requires std::is_same_v<std::remove_const_t<U>, Elem>
Tensor<Elem>& Tensor<Elem>::operator=(const TensorView<U>& v) {
    return *this = expr::ViewLeaf<Elem>{v};
}

template <class Elem>
template <expr::Expression E>
Tensor<Elem>& Tensor<Elem>::operator=(const E& e) {
    const Shape s = e.shape();
    if (s == shape_) {
        expr::detail::assign_shaped(view(), e, s);
    } else {
        Tensor fresh(s, Uninit{});
        expr::detail::assign_unchecked(fresh.view(), expr::detail::converted<Elem>(e));
        swap(fresh);
    }
    return *this;
}

template <class Elem>
template <expr::ScalarOperand S>
Tensor<Elem>& Tensor<Elem>::operator=(S value) {
    view() = value;
    return *this;
}

template <class Elem>
template <class X> requires expr::Operand<X>
Tensor<Elem>& Tensor<Elem>::operator+=(const X& x) {
    view() += x;
    return *this;
}
template <class Elem>
template <class X> requires expr::Operand<X>
Tensor<Elem>& Tensor<Elem>::operator-=(const X& x) {
    view() -= x;
    return *this;
}
template <class Elem>
template <class X> requires expr::Operand<X>
Tensor<Elem>& Tensor<Elem>::operator*=(const X& x) {
    view() *= x;
    return *this;
}
template <class Elem>
template <class X> requires expr::Operand<X>
Tensor<Elem>& Tensor<Elem>::operator/=(const X& x) {
    view() /= x;
    return *this;
}

// ---- TensorView --------------------------------------------------------------------

template <class Elem>
TensorView<Elem>& TensorView<Elem>::operator=(const TensorView& other) {
    expr::detail::assign(*this, expr::ViewLeaf<value_type>{other});
    return *this;
}

template <class Elem>
template <class X> requires expr::ArrayOperand<X>
TensorView<Elem>& TensorView<Elem>::operator=(const X& x) {
    expr::detail::assign_any(*this, x);
    return *this;
}

template <class Elem>
template <expr::ScalarOperand S>
TensorView<Elem>& TensorView<Elem>::operator=(S value) {
    expr::detail::assign_any(*this, value);
    return *this;
}

template <class Elem>
template <class X> requires expr::Operand<X>
TensorView<Elem>& TensorView<Elem>::operator+=(const X& x) {
    expr::detail::compound_assign<expr::ops::Add>(*this, x);
    return *this;
}
template <class Elem>
template <class X> requires expr::Operand<X>
TensorView<Elem>& TensorView<Elem>::operator-=(const X& x) {
    expr::detail::compound_assign<expr::ops::Sub>(*this, x);
    return *this;
}
template <class Elem>
template <class X> requires expr::Operand<X>
TensorView<Elem>& TensorView<Elem>::operator*=(const X& x) {
    expr::detail::compound_assign<expr::ops::Mul>(*this, x);
    return *this;
}
template <class Elem>
template <class X> requires expr::Operand<X>
TensorView<Elem>& TensorView<Elem>::operator/=(const X& x) {
    expr::detail::compound_assign<expr::ops::Div>(*this, x);
    return *this;
}

}  // namespace hoc

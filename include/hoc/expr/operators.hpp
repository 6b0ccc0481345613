// The public element-wise API: operators, functions, where, clip, cast, eval.
// Every function builds a node and computes nothing.
#pragma once

#include <utility>

#include "hoc/expr/assign.hpp"
#include "hoc/expr/concepts.hpp"
#include "hoc/expr/functors.hpp"
#include "hoc/expr/nodes.hpp"

namespace hoc::expr {

template <class X> using value_of = typename node_t<X>::value_type;

// The element type two operands meet in (scalars follow scalar_promote).
template <class L, class R>
auto meet_type() {
    if constexpr (ScalarOperand<L>) return std::type_identity<scalar_promote_t<value_of<R>, std::remove_cvref_t<L>>>{};
    else if constexpr (ScalarOperand<R>) return std::type_identity<scalar_promote_t<value_of<L>, std::remove_cvref_t<R>>>{};
    else return std::type_identity<promote_t<value_of<L>, value_of<R>>>{};
}
template <class L, class R> using meet_t = typename decltype(meet_type<L, R>())::type;

// An operand as a node of element type P.
template <class P, class X>
auto operand_as(X&& x) {
    if constexpr (ScalarOperand<X>) return scalar_node<P>(x);
    else if constexpr (std::is_same_v<value_of<X>, P>) return as_node(std::forward<X>(x));  // no extra move
    else return cast_node<P>(as_node(std::forward<X>(x)));
}

template <class Op, class... N>
auto make_map(N&&... n) {
    return Map<Op, std::remove_cvref_t<N>...>(std::forward<N>(n)...);
}

template <class Op, class L, class R>
auto binary(L&& l, R&& r) {
    using P = meet_t<L, R>;
    return make_map<Op>(operand_as<P>(std::forward<L>(l)), operand_as<P>(std::forward<R>(r)));
}

// At least one side has elements; the other may be a number.
template <class L, class R>
concept BinaryOperands = Operand<L> && Operand<R> && (ArrayOperand<L> || ArrayOperand<R>);

template <class L, class R>
concept OrderedOperands = BinaryOperands<L, R> && Ordered<meet_t<L, R>>;

template <class L, class R> requires BinaryOperands<L, R>
auto operator+(L&& l, R&& r) { return binary<ops::Add>(std::forward<L>(l), std::forward<R>(r)); }
template <class L, class R> requires BinaryOperands<L, R>
auto operator-(L&& l, R&& r) { return binary<ops::Sub>(std::forward<L>(l), std::forward<R>(r)); }
template <class L, class R> requires BinaryOperands<L, R>
auto operator*(L&& l, R&& r) { return binary<ops::Mul>(std::forward<L>(l), std::forward<R>(r)); }
template <class L, class R> requires BinaryOperands<L, R>
auto operator/(L&& l, R&& r) { return binary<ops::Div>(std::forward<L>(l), std::forward<R>(r)); }

template <class X> requires ArrayOperand<X> && (!std::is_same_v<value_of<X>, bool>)
auto operator-(X&& x) { return make_map<ops::Neg>(as_node(std::forward<X>(x))); }
template <class X> requires ArrayOperand<X>
auto operator+(X&& x) { return as_node(std::forward<X>(x)); }

// Comparisons are element-wise and bool-valued (ordering needs real types).
template <class L, class R> requires OrderedOperands<L, R>
auto operator<(L&& l, R&& r) { return binary<ops::Less>(std::forward<L>(l), std::forward<R>(r)); }
template <class L, class R> requires OrderedOperands<L, R>
auto operator<=(L&& l, R&& r) { return binary<ops::LessEqual>(std::forward<L>(l), std::forward<R>(r)); }
template <class L, class R> requires OrderedOperands<L, R>
auto operator>(L&& l, R&& r) { return binary<ops::Greater>(std::forward<L>(l), std::forward<R>(r)); }
template <class L, class R> requires OrderedOperands<L, R>
auto operator>=(L&& l, R&& r) { return binary<ops::GreaterEqual>(std::forward<L>(l), std::forward<R>(r)); }
template <class L, class R> requires BinaryOperands<L, R>
auto operator==(L&& l, R&& r) { return binary<ops::Equal>(std::forward<L>(l), std::forward<R>(r)); }
template <class L, class R> requires BinaryOperands<L, R>
auto operator!=(L&& l, R&& r) { return binary<ops::NotEqual>(std::forward<L>(l), std::forward<R>(r)); }

// sqrt, exp, ... of integers and bools compute in double, as NumPy.
template <class Op, class X>
auto float_function(X&& x) {
    using T = value_of<X>;
    using P = std::conditional_t<Floating<T>, T, double>;
    return make_map<Op>(cast_node<P>(as_node(std::forward<X>(x))));
}

}  // namespace hoc::expr

namespace hoc {

// Found by argument-dependent lookup for hoc's tensors, views and nodes alike.
using expr::operator+;
using expr::operator-;
using expr::operator*;
using expr::operator/;
using expr::operator<;
using expr::operator<=;
using expr::operator>;
using expr::operator>=;
using expr::operator==;
using expr::operator!=;

template <class X> requires expr::ArrayOperand<X>
auto abs(X&& x) { return expr::make_map<expr::ops::Abs>(expr::as_node(std::forward<X>(x))); }
template <class X> requires expr::ArrayOperand<X>
auto square(X&& x) { return expr::make_map<expr::ops::Square>(expr::as_node(std::forward<X>(x))); }
template <class X> requires expr::ArrayOperand<X>
auto sqrt(X&& x) { return expr::float_function<expr::ops::Sqrt>(std::forward<X>(x)); }
template <class X> requires expr::ArrayOperand<X>
auto exp(X&& x) { return expr::float_function<expr::ops::Exp>(std::forward<X>(x)); }
template <class X> requires expr::ArrayOperand<X>
auto log(X&& x) { return expr::float_function<expr::ops::Log>(std::forward<X>(x)); }
template <class X> requires expr::ArrayOperand<X>
auto sin(X&& x) { return expr::float_function<expr::ops::Sin>(std::forward<X>(x)); }
template <class X> requires expr::ArrayOperand<X>
auto cos(X&& x) { return expr::float_function<expr::ops::Cos>(std::forward<X>(x)); }
template <class X> requires expr::ArrayOperand<X>
auto tanh(X&& x) { return expr::float_function<expr::ops::Tanh>(std::forward<X>(x)); }

// x ** y element-wise (either may be a number).
template <class L, class R> requires expr::BinaryOperands<L, R>
auto pow(L&& l, R&& r) { return expr::binary<expr::ops::Pow>(std::forward<L>(l), std::forward<R>(r)); }

// Element-wise larger / smaller; NaN in either operand gives NaN (numpy.maximum).
template <class L, class R> requires expr::OrderedOperands<L, R>
auto maximum(L&& l, R&& r) { return expr::binary<expr::ops::Maximum>(std::forward<L>(l), std::forward<R>(r)); }
template <class L, class R> requires expr::OrderedOperands<L, R>
auto minimum(L&& l, R&& r) { return expr::binary<expr::ops::Minimum>(std::forward<L>(l), std::forward<R>(r)); }

// cond ? a : b element-wise; cond is converted to bool, a and b meet in one type.
template <class C, class A, class B>
    requires expr::ArrayOperand<C> && expr::BinaryOperands<A, B>
auto where(C&& cond, A&& a, B&& b) {
    using P = expr::meet_t<A, B>;
    return expr::make_map<expr::ops::Where>(expr::cast_node<bool>(expr::as_node(std::forward<C>(cond))),
                                            expr::operand_as<P>(std::forward<A>(a)),
                                            expr::operand_as<P>(std::forward<B>(b)));
}

// Limits x to [lo, hi] (numpy.clip: minimum(maximum(x, lo), hi)).
template <class X, class L, class H>
    requires expr::ArrayOperand<X> && expr::OrderedOperands<X, L> && expr::OrderedOperands<X, H>
auto clip(X&& x, L&& lo, H&& hi) {
    return minimum(maximum(std::forward<X>(x), std::forward<L>(lo)), std::forward<H>(hi));
}

// The elements converted to U (numpy's astype, lazily).
template <Element U, class X> requires expr::ArrayOperand<X>
auto cast(X&& x) { return expr::make_map<expr::ops::Cast<U>>(expr::as_node(std::forward<X>(x))); }

// Evaluates an expression (or copies a tensor, view or computation) into a new tensor.
template <class X> requires expr::ArrayOperand<X>
auto eval(X&& x) {
    using D = std::remove_cvref_t<X>;
    if constexpr (expr::ComputationLike<D> && !expr::Expression<D>) {
        return Tensor<typename D::value_type>(x);  // straight into the result, no staging copy
    } else {
        auto n = expr::as_node(std::forward<X>(x));
        return expr::detail::evaluate(n);
    }
}

}  // namespace hoc

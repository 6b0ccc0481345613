// Creation functions, as NumPy's zeros/ones/full/eye/arange/linspace/array.
#pragma once

#include <cmath>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "hoc/core/tensor.hpp"

namespace hoc {

template <class T> Tensor<T> zeros(const Shape& s) { return Tensor<T>(s); }
template <class T> Tensor<T> ones(const Shape& s) { return Tensor<T>(s, T(1)); }
template <class T> Tensor<T> full(const Shape& s, T value) { return Tensor<T>(s, value); }

// The n x n identity.
template <class T>
Tensor<T> eye(index_t n) {
    Tensor<T> t(Shape{n, n});
    for (index_t i = 0; i < n; ++i) t(i, i) = T(1);
    return t;
}

// start, start+step, ... up to but excluding stop (numpy.arange).
template <class T>
Tensor<T> arange(double start, double stop, double step = 1) {
    if (step == 0) throw std::invalid_argument("arange: step cannot be zero");
    if (!std::isfinite(start) || !std::isfinite(stop) || !std::isfinite(step))
        throw std::invalid_argument("arange: start, stop and step must be finite");
    const double len = std::ceil((stop - start) / step);
    // 2^62 is far past any allocation; checking before the cast keeps it defined.
    if (!(len < 0x1p62))
        throw std::invalid_argument("arange: " + std::to_string(len) + " values are too many");
    const index_t n = len > 0 ? static_cast<index_t>(len) : 0;
    Tensor<T> t = Tensor<T>::uninitialized(Shape{n});
    for (index_t i = 0; i < n; ++i) t(i) = static_cast<T>(start + static_cast<double>(i) * step);
    return t;
}
template <class T>
Tensor<T> arange(index_t n) {
    return arange<T>(0.0, static_cast<double>(n), 1.0);
}

// n evenly spaced values from a to b inclusive (numpy.linspace).
template <class T>
Tensor<T> linspace(double a, double b, index_t n) {
    if (n < 0) throw std::invalid_argument("linspace: number of samples, " + std::to_string(n) +
                                           ", must be non-negative");
    Tensor<T> t = Tensor<T>::uninitialized(Shape{n});
    const double step = n > 1 ? (b - a) / static_cast<double>(n - 1) : 0.0;
    for (index_t i = 0; i < n; ++i) t(i) = static_cast<T>(a + static_cast<double>(i) * step);
    if (n > 1) t(n - 1) = static_cast<T>(b);
    return t;
}

// Nested lists, like np.array: hoc::tensor<float>({{1, 2}, {3, 4}}).
namespace detail {
template <class T> using nested1 = std::initializer_list<T>;
template <class T> using nested2 = std::initializer_list<nested1<T>>;
template <class T> using nested3 = std::initializer_list<nested2<T>>;
template <class T> using nested4 = std::initializer_list<nested3<T>>;

template <class X> struct is_init_list : std::false_type {};
template <class X> struct is_init_list<std::initializer_list<X>> : std::true_type {};

template <class L>
void nested_shape(const std::initializer_list<L>& l, Shape& s, index_t depth) {
    s[depth] = static_cast<index_t>(l.size());
    if constexpr (is_init_list<L>::value)
        if (l.size()) nested_shape(*l.begin(), s, depth + 1);
}
template <class L, class T>
void nested_fill(const std::initializer_list<L>& l, const Shape& s, index_t depth, T*& out) {
    if (static_cast<index_t>(l.size()) != s[depth])
        throw ShapeError("tensor: ragged nested list: " + std::to_string(l.size()) +
                         " entries where " + std::to_string(s[depth]) + " were expected (axis " +
                         std::to_string(depth) + ")");
    for (const L& inner : l) {
        if constexpr (is_init_list<L>::value) nested_fill(inner, s, depth + 1, out);
        else *out++ = inner;
    }
}
template <class T, class L>
Tensor<T> from_nested(const L& l, index_t rank) {
    Shape s = Shape::filled(rank, 0);
    nested_shape(l, s, 0);
    Tensor<T> t = Tensor<T>::uninitialized(s);
    T* out = t.data();
    nested_fill(l, s, 0, out);
    return t;
}
}  // namespace detail

template <class T> Tensor<T> tensor(detail::nested1<T> l) { return detail::from_nested<T>(l, 1); }
template <class T> Tensor<T> tensor(detail::nested2<T> l) { return detail::from_nested<T>(l, 2); }
template <class T> Tensor<T> tensor(detail::nested3<T> l) { return detail::from_nested<T>(l, 3); }
template <class T> Tensor<T> tensor(detail::nested4<T> l) { return detail::from_nested<T>(l, 4); }

}  // namespace hoc

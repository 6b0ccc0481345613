// The vocabulary of hoc's expression engine: what an expression is, what may
// appear as an operand, and the element-type rules (NumPy's, in C++ terms).
// Kept free of Tensor's definition so tensor.hpp can name these concepts.
#pragma once

#include <complex>
#include <concepts>
#include <cstdint>
#include <string>
#include <type_traits>

// GCC 12's AVX-512 intrinsics read _mm512_undefined_*() and then warn
// (-Wuninitialized) wherever xsimd inlines them (GCC bug 105593, fixed in 13).
// The warning state is taken from where the intrinsics header was read, so
// read it here, early, with the false positive silenced.
#if defined(__GNUC__) && !defined(__clang__) && (defined(__x86_64__) || defined(__i386__))
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#endif

#include "hoc/core/config.hpp"
#include "hoc/core/shape.hpp"

namespace hoc {

template <class Elem> class Tensor;
template <class Elem> class TensorView;

namespace expr {

// Error text built by appending (GCC 12 warns falsely on "literal" + std::string&&).
template <class... P>
[[gnu::cold]] std::string cat(const P&... parts) {
    std::string s;
    ((s += parts), ...);
    return s;
}

template <class X> struct is_tensor : std::false_type {};
template <class T> struct is_tensor<Tensor<T>> : std::true_type {};
template <class X> struct is_view : std::false_type {};
template <class T> struct is_view<TensorView<T>> : std::true_type {};

// A lazy element-wise expression node (built by +, hoc::exp, hoc::where, ...).
template <class E>
concept Expression = requires(const E& e) {
    typename E::value_type;
    requires std::same_as<typename E::expression_tag, void>;
    { e.shape() } -> std::convertible_to<Shape>;
};

// A lazy non-element-wise result (matmul, einsum, ...): see hoc/core/computation.hpp.
// Spelled structurally here so this header does not depend on that one.
template <class C>
concept ComputationLike = requires { typename C::value_type; typename C::computation_tag; };

// A plain number that may stand on either side of an operator.
template <class S>
concept ScalarOperand = std::is_arithmetic_v<std::remove_cvref_t<S>> || is_complex_v<std::remove_cvref_t<S>>;

// Something with elements: a tensor, a view, an expression or a computation.
template <class X>
concept ArrayOperand = is_tensor<std::remove_cvref_t<X>>::value || is_view<std::remove_cvref_t<X>>::value ||
                       Expression<std::remove_cvref_t<X>> || ComputationLike<std::remove_cvref_t<X>>;

// Anything an element-wise operator accepts.
template <class X>
concept Operand = ArrayOperand<X> || ScalarOperand<X>;

// ---- element types -----------------------------------------------------------

// NumPy's kinds, ordered: bool < integer < floating < complex.
template <class T>
inline constexpr int kind_of = std::is_same_v<T, bool> ? 0 : std::is_integral_v<T> ? 1
                                                       : std::is_floating_point_v<T> ? 2 : 3;

template <class T> struct real_of { using type = T; };
template <class T> struct real_of<std::complex<T>> { using type = T; };
template <class T> using real_t = typename real_of<T>::type;

// Two array element types: std::common_type, except that complex wins with
// the wider precision of the two (complex<float> and double give complex<double>).
template <class A, class B>
struct promote {
    using type = std::conditional_t<
        is_complex_v<A> || is_complex_v<B>,
        std::complex<std::common_type_t<real_t<A>, real_t<B>>>, std::common_type_t<A, B>>;
};
template <class A, class B> using promote_t = typename promote<A, B>::type;

// An array of T meeting a scalar of type S (NumPy 2 / NEP 50 "weak scalars"):
// the scalar takes the array's type unless it is of a higher kind, so a float
// tensor / 255.0 stays float and an int tensor * 2 stays int, while an int
// tensor * 2.5 becomes double and a float tensor * 1i becomes complex<float>.
template <class T, class S>
struct scalar_promote {
    static constexpr int kt = kind_of<T>, ks = kind_of<S>;
    using type = std::conditional_t<
        ks <= kt, T,
        std::conditional_t<ks == 1, std::int64_t,
                           std::conditional_t<ks == 2, double,
                                              std::complex<std::conditional_t<kt == 2, T, double>>>>>;
};
template <class T, class S> using scalar_promote_t = typename scalar_promote<T, S>::type;

// The element types with an ordering (comparisons <, maximum, clip, max/min).
template <class T>
concept Ordered = Element<T> && !is_complex_v<T>;

// Types for which sqrt, exp, log, sin, cos, tanh compute directly (others go through double).
template <class T>
concept Floating = std::is_floating_point_v<T> || is_complex_v<T>;

}  // namespace expr

using expr::Expression;

}  // namespace hoc

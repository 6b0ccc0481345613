// The element-wise operations: one small struct per operation with a scalar
// form (apply) and, where the types allow, an xsimd form (simd). Both forms
// give the same answer for every element, so a result never depends on
// whether an element fell into a SIMD body or a tail.
#pragma once

#include <cmath>
#include <complex>
#include <limits>
#include <type_traits>

#include "hoc/expr/concepts.hpp"
#include "hoc/expr/simd.hpp"

namespace hoc::expr::ops {

namespace detail {
template <class T, class... Ts> struct first { using type = T; };
template <class... Ts> using first_t = typename first<Ts...>::type;

// Signed integer + - * wrap around as in NumPy instead of being undefined.
template <class T> using wrap_t = std::make_unsigned_t<T>;
template <class T>
inline constexpr bool wraps = std::is_integral_v<T> && !std::is_same_v<T, bool>;
}  // namespace detail

// Operations whose operands all have one type T and whose result is T;
// vectorised for the SIMD types.
struct SameType {
    template <class... Ts> using result = detail::first_t<Ts...>;
    template <class... Ts>
    static constexpr bool simd_ok = (std::is_same_v<Ts, detail::first_t<Ts...>> && ...) &&
                                    simd::is_simd_type<detail::first_t<Ts...>>;
};
// As SameType, but vectorised only for float and double.
struct FloatSimd : SameType {
    template <class... Ts>
    static constexpr bool simd_ok = SameType::simd_ok<Ts...> &&
                                    std::is_floating_point_v<detail::first_t<Ts...>>;
};

struct Add : SameType {
    static constexpr const char* name = "add";
    static constexpr int cost = 1;
    template <class T> static T apply(T a, T b) {
        if constexpr (detail::wraps<T>)
            return static_cast<T>(static_cast<detail::wrap_t<T>>(a) + static_cast<detail::wrap_t<T>>(b));
        else return static_cast<T>(a + b);
    }
    template <class B> static B simd(const B& a, const B& b) { return a + b; }
};
struct Sub : SameType {
    static constexpr const char* name = "subtract";
    static constexpr int cost = 1;
    template <class T> static T apply(T a, T b) {
        if constexpr (detail::wraps<T>)
            return static_cast<T>(static_cast<detail::wrap_t<T>>(a) - static_cast<detail::wrap_t<T>>(b));
        else return static_cast<T>(a - b);
    }
    template <class B> static B simd(const B& a, const B& b) { return a - b; }
};
struct Mul : SameType {
    static constexpr const char* name = "multiply";
    static constexpr int cost = 1;
    template <class T> static T apply(T a, T b) {
        if constexpr (detail::wraps<T>)
            return static_cast<T>(static_cast<detail::wrap_t<T>>(a) * static_cast<detail::wrap_t<T>>(b));
        else if constexpr (std::is_same_v<T, bool>) return a && b;
        else return a * b;
    }
    template <class B> static B simd(const B& a, const B& b) { return a * b; }
};
// Integer division truncates (C++), and x / 0 gives 0 for integers as NumPy does
// (with a warning there) instead of trapping.
struct Div : FloatSimd {
    static constexpr const char* name = "divide";
    static constexpr int cost = 2;
    template <class T> static T apply(T a, T b) {
        if constexpr (std::is_integral_v<T>) {
            if (b == 0) return T(0);
            if constexpr (std::is_signed_v<T>)
                if (b == -1) return Sub::apply<T>(T(0), a);  // INT_MIN / -1 wraps
            return static_cast<T>(a / b);
        } else {
            return a / b;
        }
    }
    template <class B> static B simd(const B& a, const B& b) { return a / b; }
};
struct Neg : SameType {
    static constexpr const char* name = "negative";
    static constexpr int cost = 1;
    template <class T> static T apply(T a) { return Sub::apply<T>(T(0), a); }
    template <class B> static B simd(const B& a) { return -a; }
};
struct Square : SameType {
    static constexpr const char* name = "square";
    static constexpr int cost = 1;
    template <class T> static T apply(T a) { return Mul::apply<T>(a, a); }
    template <class B> static B simd(const B& a) { return a * a; }
};
// |x|; of a complex number, its (real) modulus as NumPy.
struct Abs {
    static constexpr const char* name = "absolute";
    static constexpr int cost = 1;
    template <class T> using result = real_t<T>;
    template <class T> static constexpr bool simd_ok = simd::is_simd_type<T>;
    template <class T> static real_t<T> apply(T a) {
        if constexpr (is_complex_v<T>) return std::abs(a);
        else if constexpr (std::is_same_v<T, bool>) return a;
        else if constexpr (detail::wraps<T>) return a < 0 ? Neg::apply<T>(a) : a;
        else return std::fabs(a);
    }
    template <class B> static B simd(const B& a) { return xsimd::abs(a); }
};

#define HOC_EXPR_FLOAT_FUNCTION(Name, str, fn, c)                                  \
    struct Name : FloatSimd {                                                      \
        static constexpr const char* name = str;                                   \
        static constexpr int cost = c;                                             \
        template <class T> static T apply(T a) { return std::fn(a); }              \
        template <class B> static B simd(const B& a) { return xsimd::fn(a); }      \
    };
HOC_EXPR_FLOAT_FUNCTION(Sqrt, "sqrt", sqrt, 4)
HOC_EXPR_FLOAT_FUNCTION(Exp, "exp", exp, 16)
HOC_EXPR_FLOAT_FUNCTION(Log, "log", log, 16)
HOC_EXPR_FLOAT_FUNCTION(Sin, "sin", sin, 16)
HOC_EXPR_FLOAT_FUNCTION(Cos, "cos", cos, 16)
HOC_EXPR_FLOAT_FUNCTION(Tanh, "tanh", tanh, 16)
#undef HOC_EXPR_FLOAT_FUNCTION

// a ** b; integers by repeated squaring (a negative exponent truncates toward 0).
struct Pow : FloatSimd {
    static constexpr const char* name = "power";
    static constexpr int cost = 24;
    template <class T> static T apply(T a, T b) {
        if constexpr (std::is_same_v<T, bool>) {
            return a || !b;
        } else if constexpr (std::is_integral_v<T>) {
            if (b < 0) return a == 1 ? T(1) : a == -1 ? ((b & 1) ? T(-1) : T(1)) : T(0);
            T r = 1;
            while (b) {
                if (b & 1) r = Mul::apply<T>(r, a);
                a = Mul::apply<T>(a, a);
                b = static_cast<T>(b >> 1);
            }
            return r;
        } else {
            return std::pow(a, b);
        }
    }
    template <class B> static B simd(const B& a, const B& b) { return xsimd::pow(a, b); }
};

// maximum / minimum propagate NaN (from either side), as numpy.maximum.
template <class T> bool is_nan(T x) {
    if constexpr (std::is_floating_point_v<T>) return x != x;
    else return false;
}
struct Maximum : SameType {
    static constexpr const char* name = "maximum";
    static constexpr int cost = 1;
    template <class T> static T apply(T a, T b) {
        if (is_nan(a)) return a;
        if (is_nan(b)) return b;
        return a < b ? b : a;
    }
    template <class B> static B simd(const B& a, const B& b) {
        // b > a ? b : a keeps a when a is NaN (or equal to b); only a NaN b
        // needs the fix-up. (Not xsimd::max: its NaN rule differs.)
        if constexpr (std::is_floating_point_v<typename B::value_type>)
            return xsimd::select(xsimd::isnan(b), b, simd::pick_or_second<true>(b, a));
        else return xsimd::max(a, b);
    }
};
struct Minimum : SameType {
    static constexpr const char* name = "minimum";
    static constexpr int cost = 1;
    template <class T> static T apply(T a, T b) {
        if (is_nan(a)) return a;
        if (is_nan(b)) return b;
        return b < a ? b : a;
    }
    template <class B> static B simd(const B& a, const B& b) {
        if constexpr (std::is_floating_point_v<typename B::value_type>)
            return xsimd::select(xsimd::isnan(b), b, simd::pick_or_second<false>(b, a));
        else return xsimd::min(a, b);
    }
};

// Comparisons give bool; in SIMD they give a mask (consumed by where).
struct Comparison {
    static constexpr bool is_comparison = true;
    static constexpr int cost = 1;
    template <class... Ts> using result = bool;
    template <class... Ts> static constexpr bool simd_ok = false;  // bool is not a SIMD value type
    template <class... Ts> static constexpr bool mask_ok = SameType::simd_ok<Ts...>;
};
#define HOC_EXPR_COMPARISON(Name, str, op)                                              \
    struct Name : Comparison {                                                          \
        static constexpr const char* name = str;                                        \
        template <class T> static bool apply(T a, T b) { return a op b; }               \
        template <class B> static auto mask(const B& a, const B& b) { return a op b; }  \
    };
HOC_EXPR_COMPARISON(Less, "less", <)
HOC_EXPR_COMPARISON(LessEqual, "less_equal", <=)
HOC_EXPR_COMPARISON(Greater, "greater", >)
HOC_EXPR_COMPARISON(GreaterEqual, "greater_equal", >=)
HOC_EXPR_COMPARISON(Equal, "equal", ==)
#undef HOC_EXPR_COMPARISON
// Not xsimd's != (an ordered compare, false for NaN): NaN != x is true, as in C++ and NumPy.
struct NotEqual : Comparison {
    static constexpr const char* name = "not_equal";
    template <class T> static bool apply(T a, T b) { return a != b; }
    template <class B> static auto mask(const B& a, const B& b) { return !(a == b); }
};

// where(cond, a, b): the condition is bool, a and b share the result type.
struct Where {
    static constexpr bool is_where = true;
    static constexpr const char* name = "where";
    static constexpr int cost = 1;
    template <class C, class T, class U> using result = T;
    template <class C, class T, class U> static constexpr bool simd_ok = false;  // decided by the evaluator
    template <class T> static T apply(bool c, T a, T b) { return c ? a : b; }
};

// Element type conversion, as numpy's astype: complex to real keeps the real
// part, a float out of the integer range (or NaN) gives the integer minimum,
// as x86 does (C++ leaves it undefined).
template <class U>
struct Cast {
    static constexpr const char* name = "cast";
    static constexpr int cost = 1;
    template <class T> using result = U;
    template <class T>
    static constexpr bool simd_ok = simd::is_simd_type<T> && simd::is_simd_type<U> && sizeof(T) == sizeof(U);
    template <class T> static U apply(T a) {
        if constexpr (std::is_same_v<T, U>) {
            return a;
        } else if constexpr (is_complex_v<T> && is_complex_v<U>) {
            return static_cast<U>(a);
        } else if constexpr (is_complex_v<T> && !is_complex_v<U>) {
            return apply<real_t<T>>(a.real());
        } else if constexpr (is_complex_v<U>) {
            return U(static_cast<real_t<U>>(a));
        } else if constexpr (std::is_same_v<U, bool>) {
            return a != T(0);
        } else if constexpr (std::is_floating_point_v<T> && std::is_integral_v<U>) {
            // 2^(digits) is exact in T; values at or beyond it (and NaN) do not fit.
            constexpr T hi = static_cast<T>(2) * static_cast<T>(std::numeric_limits<U>::max() / 2 + 1);
            if (!(a >= -hi && a < hi)) return std::numeric_limits<U>::min();
            return static_cast<U>(a);
        } else {
            return static_cast<U>(a);
        }
    }
    template <class B> static auto simd(const B& a) { return xsimd::batch_cast<U>(a); }
};

}  // namespace hoc::expr::ops

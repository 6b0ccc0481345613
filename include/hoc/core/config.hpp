// Basic types shared by every part of hoc.
#pragma once

#include <complex>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace hoc {

using index_t = std::ptrdiff_t;

// Largest number of axes a Shape holds (NumPy allows 64; 16 keeps a Shape on the stack).
inline constexpr int kMaxRank = 16;

// Byte alignment of every buffer hoc allocates (one cache line, one zmm register).
inline constexpr std::size_t kAlignment = 64;

template <class T> struct is_complex : std::false_type {};
template <class T> struct is_complex<std::complex<T>> : std::true_type {};
template <class T> inline constexpr bool is_complex_v = is_complex<T>::value;

// The element types a Tensor can hold.
template <class T>
concept Element = std::is_same_v<T, float> || std::is_same_v<T, double> ||
                  std::is_same_v<T, std::int32_t> || std::is_same_v<T, std::int64_t> ||
                  std::is_same_v<T, bool> || std::is_same_v<T, std::complex<float>> ||
                  std::is_same_v<T, std::complex<double>>;

// float and double: the types the GEMM and the linear algebra work in.
template <class T>
concept RealFloat = std::is_same_v<T, float> || std::is_same_v<T, double>;

}  // namespace hoc

// NumPy-style printing: `std::cout << t` writes exactly what `print(a)` prints
// in NumPy (default options: precision 8, line width 75, summarised with
// "..." above 1000 elements keeping 3 items at each edge).
//
//   [[1.  2.5]        floats: shortest digits that round-trip, at most 8
//    [3.  4. ]]       decimals, aligned; scientific when NumPy would use it
//   [ True False]     bools      [1.+2.j 3.-1.j]   complex     5.0   0-d
//
// The formatting and the layout are compiled once in the library
// (kernels/io/print_format.cpp); the templates here only pick the elements
// to show (all of them, or the edges of each axis when summarising).
#pragma once

#include <complex>
#include <cstdint>
#include <memory>
#include <ostream>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "hoc/core/config.hpp"
#include "hoc/core/shape.hpp"
#include "hoc/core/tensor.hpp"

namespace hoc {

// NumPy's print options (numpy.set_printoptions); the defaults are NumPy's.
struct PrintOptions {
    int precision = 8;         // most digits after the decimal point
    int linewidth = 75;        // characters per line before wrapping
    index_t threshold = 1000;  // more elements than this are summarised
    int edgeitems = 3;         // items kept at each end of a summarised axis
};

namespace detail {

// Each of `values` formatted as NumPy formats the elements of an array that
// holds exactly these values (common width, common notation).
std::vector<std::string> format_elements(std::span<const float> values, const PrintOptions& o);
std::vector<std::string> format_elements(std::span<const double> values, const PrintOptions& o);
std::vector<std::string> format_elements(std::span<const std::complex<float>> values, const PrintOptions& o);
std::vector<std::string> format_elements(std::span<const std::complex<double>> values, const PrintOptions& o);
std::vector<std::string> format_elements(std::span<const std::int64_t> values, const PrintOptions& o);
std::vector<std::string> format_elements(std::span<const bool> values, const PrintOptions& o);

// str() of a NumPy scalar: what a 0-d array prints.
std::string format_scalar(float v);
std::string format_scalar(double v);
std::string format_scalar(std::complex<float> v);
std::string format_scalar(std::complex<double> v);
std::string format_scalar(std::int64_t v);
std::string format_scalar(bool v);

// Lays out `words` (the shown elements, C order) in brackets for an array of
// `shape`; `summarised` says whether long axes show only their edges.
std::string layout_array(const Shape& shape, bool summarised, std::span<const std::string> words,
                         const PrintOptions& o);

// The elements shown for a view: all of them, or when summarising, the first
// and last `edgeitems` along every axis longer than 2 * edgeitems.
template <class Elem, class Out>
std::vector<Out> shown_elements(const TensorView<Elem>& v, bool summarised, int edgeitems) {
    const index_t n = v.ndim();
    std::vector<std::vector<index_t>> picks(static_cast<std::size_t>(n));
    std::size_t total = 1;
    for (index_t ax = 0; ax < n; ++ax) {
        auto& p = picks[static_cast<std::size_t>(ax)];
        const index_t len = v.shape()[ax];
        if (summarised && len > 2 * static_cast<index_t>(edgeitems)) {
            for (index_t i = 0; i < edgeitems; ++i) p.push_back(i);
            for (index_t i = len - edgeitems; i < len; ++i) p.push_back(i);
        } else {
            for (index_t i = 0; i < len; ++i) p.push_back(i);
        }
        total *= p.size();
    }
    std::vector<Out> out;
    out.reserve(total);
    if (total == 0) return out;
    std::vector<std::size_t> k(static_cast<std::size_t>(n), 0);
    while (true) {
        index_t off = 0;
        for (index_t ax = 0; ax < n; ++ax)
            off += picks[static_cast<std::size_t>(ax)][k[static_cast<std::size_t>(ax)]] * v.strides()[ax];
        out.push_back(static_cast<Out>(v.data()[off]));
        index_t ax = n - 1;
        for (; ax >= 0; --ax) {
            const auto a = static_cast<std::size_t>(ax);
            if (++k[a] < picks[a].size()) break;
            k[a] = 0;
        }
        if (ax < 0) break;
    }
    return out;
}

// The type each element type is formatted as (ints widen to int64).
template <class T>
using print_type_t = std::conditional_t<std::is_same_v<T, std::int32_t>, std::int64_t, T>;

}  // namespace detail

// The text `print(a)` shows in NumPy for this tensor or view.
template <class Elem>
std::string array_str(const TensorView<Elem>& v, const PrintOptions& o = {}) {
    using T = std::remove_const_t<Elem>;
    using P = detail::print_type_t<T>;
    if (o.precision < 0 || o.linewidth < 1 || o.threshold < 0 || o.edgeitems < 0)
        throw std::invalid_argument("array_str: PrintOptions need precision >= 0, linewidth >= 1, threshold >= 0 "
                                    "and edgeitems >= 0; got precision " + std::to_string(o.precision) +
                                    ", linewidth " + std::to_string(o.linewidth) + ", threshold " +
                                    std::to_string(o.threshold) + ", edgeitems " + std::to_string(o.edgeitems));
    if (v.ndim() == 0) return detail::format_scalar(static_cast<P>(*v.data()));
    const index_t n = v.size();
    if (n == 0) return "[]";
    const bool summarised = n > o.threshold;
    if constexpr (std::is_same_v<P, bool>) {
        // std::vector<bool> has no contiguous storage: go through bytes.
        const auto shown = detail::shown_elements<Elem, unsigned char>(v, summarised, o.edgeitems);
        std::unique_ptr<bool[]> plain(new bool[shown.size()]);
        for (std::size_t i = 0; i < shown.size(); ++i) plain[i] = shown[i] != 0;
        const auto words = detail::format_elements(std::span<const bool>(plain.get(), shown.size()), o);
        return detail::layout_array(v.shape(), summarised, words, o);
    } else {
        const auto shown = detail::shown_elements<Elem, P>(v, summarised, o.edgeitems);
        const auto words = detail::format_elements(std::span<const P>(shown), o);
        return detail::layout_array(v.shape(), summarised, words, o);
    }
}
template <Element T>
std::string array_str(const Tensor<T>& t, const PrintOptions& o = {}) {
    return array_str(t.view(), o);
}

template <class Elem>
std::ostream& operator<<(std::ostream& os, const TensorView<Elem>& v) {
    return os << array_str(v);
}
template <Element T>
std::ostream& operator<<(std::ostream& os, const Tensor<T>& t) {
    return os << array_str(t.view());
}

}  // namespace hoc

// Shape: a small, stack-allocated vector of axis lengths (also used for strides).
#pragma once

#include <algorithm>
#include <array>
#include <initializer_list>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>

#include "hoc/core/config.hpp"
#include "hoc/core/errors.hpp"

namespace hoc {

class Shape {
public:
    Shape() = default;
    Shape(std::initializer_list<index_t> dims) : Shape(std::span<const index_t>(dims.begin(), dims.size())) {}
    explicit Shape(std::span<const index_t> dims) {
        if (dims.size() > static_cast<std::size_t>(kMaxRank))
            throw std::invalid_argument("hoc: " + std::to_string(dims.size()) +
                                        " axes exceed the maximum of " + std::to_string(kMaxRank));
        size_ = static_cast<int>(dims.size());
        std::copy(dims.begin(), dims.end(), dims_.begin());
    }
    // `ndim` axes of length `fill`.
    static Shape filled(index_t ndim, index_t fill) {
        Shape s;
        s.resize(ndim, fill);
        return s;
    }

    index_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    index_t& operator[](index_t i) { return dims_[static_cast<std::size_t>(i)]; }
    index_t operator[](index_t i) const { return dims_[static_cast<std::size_t>(i)]; }
    index_t back() const { return dims_[static_cast<std::size_t>(size_ - 1)]; }
    index_t* begin() { return dims_.data(); }
    index_t* end() { return dims_.data() + size_; }
    const index_t* begin() const { return dims_.data(); }
    const index_t* end() const { return dims_.data() + size_; }
    const index_t* data() const { return dims_.data(); }

    void push_back(index_t v) {
        if (size_ == kMaxRank)
            throw std::invalid_argument("hoc: more than " + std::to_string(kMaxRank) + " axes");
        dims_[static_cast<std::size_t>(size_++)] = v;
    }
    void insert(index_t pos, index_t v) {
        push_back(0);
        std::copy_backward(begin() + pos, end() - 1, end());
        (*this)[pos] = v;
    }
    void erase(index_t pos) {
        std::copy(begin() + pos + 1, end(), begin() + pos);
        --size_;
    }
    void resize(index_t n, index_t fill = 0) {
        if (n < 0 || n > kMaxRank)
            throw std::invalid_argument("hoc: rank " + std::to_string(n) + " out of range");
        for (index_t i = size_; i < n; ++i) dims_[static_cast<std::size_t>(i)] = fill;
        size_ = static_cast<int>(n);
    }

    friend bool operator==(const Shape& a, const Shape& b) {
        return a.size_ == b.size_ && std::equal(a.begin(), a.end(), b.begin());
    }

private:
    std::array<index_t, kMaxRank> dims_{};
    int size_ = 0;
};

// Strides are counted in elements and may be negative or zero (broadcast).
using Strides = Shape;

// "(2, 3)", "(5,)" and "()" as NumPy prints shapes.
inline std::string shape_string(const Shape& s) {
    std::string out = "(";
    for (index_t i = 0; i < s.size(); ++i) {
        if (i) out += ", ";
        out += std::to_string(s[i]);
    }
    if (s.size() == 1) out += ",";
    return out + ")";
}

// Number of elements; rejects negative lengths and products that overflow index_t.
inline index_t checked_size(const Shape& s) {
    index_t n = 1;
    for (index_t d : s) {
        if (d < 0)
            throw std::invalid_argument("hoc: negative dimension " + std::to_string(d) +
                                        " in shape " + shape_string(s));
    }
    // Zero-length axes do not excuse the others: strides are products of them.
    bool empty = false;
    for (index_t d : s) {
        if (d == 0) {
            empty = true;
            continue;
        }
        if (n > std::numeric_limits<index_t>::max() / d)
            throw std::invalid_argument("hoc: shape " + shape_string(s) +
                                        " has more elements than index_t can count");
        n *= d;
    }
    return empty ? 0 : n;
}

// Row-major (C order) strides of a contiguous array of this shape.
inline Strides contiguous_strides(const Shape& s) {
    Strides st = Shape::filled(s.size(), 0);
    index_t step = 1;
    for (index_t i = s.size() - 1; i >= 0; --i) {
        st[i] = step;
        step *= std::max<index_t>(s[i], 1);
    }
    return st;
}

// NumPy broadcasting of two shapes; `op` names the operation in the error.
inline Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op = "broadcast") {
    const index_t n = std::max(a.size(), b.size());
    Shape out = Shape::filled(n, 1);
    for (index_t i = 0; i < n; ++i) {
        const index_t ia = i - (n - a.size()), ib = i - (n - b.size());
        const index_t da = ia >= 0 ? a[ia] : 1, db = ib >= 0 ? b[ib] : 1;
        if (da != db && da != 1 && db != 1)
            throw ShapeError(std::string(op) + ": operands could not be broadcast together with shapes " +
                             shape_string(a) + " " + shape_string(b) + ": axis " + std::to_string(i) +
                             " has lengths " + std::to_string(da) + " and " + std::to_string(db));
        out[i] = da == 1 ? db : da;
    }
    return out;
}

}  // namespace hoc

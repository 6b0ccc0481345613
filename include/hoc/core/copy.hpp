// Broadcast strides and a plain N-d offset walk: helpers for the assignment
// loop's set-up and for code that visits every index of a shape (einsum).
#pragma once

#include <algorithm>
#include <string>

#include "hoc/core/overlap.hpp"
#include "hoc/core/tensor_view.hpp"

namespace hoc::detail {

// Strides that read `src` as if broadcast to `shape` (0 on stretched axes).
template <class T>
Strides broadcast_strides(const TensorView<T>& src, const Shape& shape, const char* op) {
    const index_t n = shape.size(), off = n - src.ndim();
    if (off < 0)
        throw ShapeError(std::string(op) + ": cannot broadcast shape " + shape_string(src.shape()) +
                         " to " + shape_string(shape) + ": too many dimensions");
    Strides st = Shape::filled(n, 0);
    for (index_t i = 0; i < src.ndim(); ++i) {
        const index_t d = src.shape()[i];
        if (d == shape[i + off]) st[i + off] = d == 1 ? 0 : src.strides()[i];
        else if (d != 1)
            throw ShapeError(std::string(op) + ": could not broadcast input array from shape " +
                             shape_string(src.shape()) + " into shape " + shape_string(shape) +
                             ": axis " + std::to_string(i + off) + " has length " +
                             std::to_string(d) + ", expected " + std::to_string(shape[i + off]) +
                             " or 1");
    }
    return st;
}

// Calls f(offset_a, offset_b) for every index of `shape`, row-major order.
template <class F>
void for_each_offset(const Shape& shape, const Strides& sa, const Strides& sb, F&& f) {
    const index_t n = shape.size();
    for (index_t d : shape)
        if (d == 0) return;
    Shape idx = Shape::filled(n, 0);
    index_t oa = 0, ob = 0;
    while (true) {
        f(oa, ob);
        index_t ax = n - 1;
        for (; ax >= 0; --ax) {
            oa += sa[ax], ob += sb[ax];
            if (++idx[ax] < shape[ax]) break;
            oa -= sa[ax] * shape[ax], ob -= sb[ax] * shape[ax];
            idx[ax] = 0;
        }
        if (ax < 0) return;
    }
}

}  // namespace hoc::detail

// A Computation is a lazy result that is not element-wise: matmul, dot,
// einsum, inv, solve. It knows its shape and writes itself into a destination,
// so `Tensor<T> c = hoc::matmul(a, b);` allocates once and `c = hoc::matmul(a, b);`
// into a c of the right shape allocates nothing (NumPy's out=).
#pragma once

#include <concepts>
#include <type_traits>

#include "hoc/core/shape.hpp"
#include "hoc/core/tensor_view.hpp"

namespace hoc {

// c.shape()                    the result's shape (checked when c was built)
// c.evaluate_into(dst)         writes the result into dst (shape == c.shape()); dst must
//                              not overlap what c reads
// c.reads_memory(lo, hi)       whether c reads any byte in [lo, hi): assigning into
//                              memory that c reads goes through a temporary
template <class C>
concept Computation = requires(const C& c, TensorView<typename C::value_type> dst, const void* p) {
    typename C::value_type;
    requires std::same_as<typename C::computation_tag, void>;
    { c.shape() } -> std::convertible_to<Shape>;
    c.evaluate_into(dst);
    { c.reads_memory(p, p) } -> std::convertible_to<bool>;
};

}  // namespace hoc

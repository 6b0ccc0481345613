// hoc::einsum: numpy.einsum's subscripts (explicit and implicit output, '...',
// repeated labels for diagonals and traces, any number of operands), with
// the contraction order optimised and the pairwise contractions run on the
// GEMM without copying operands into a permuted layout.
//
//   Tensor<double> c = hoc::einsum("ij,jk->ik", a, b);
//   c = hoc::einsum("bij,bjk->bik", x, y);          // into c's buffer (NumPy's out=)
//   hoc::EinsumPlan plan("ij,jk,kl->il", a.shape(), b.shape(), d.shape());
//   for (...) c = plan(a, b, d);                    // parsed and planned once
//   std::cout << hoc::einsum_path("ij,jk,kl->il", a.shape(), b.shape(), d.shape()).report;
//
// Results are lazy Computations: nothing runs until one is assigned to a
// Tensor. Parsing and planning are compiled into the library
// (kernels/einsum/); this header only holds the thin typed front end.
#pragma once

#include <array>
#include <memory>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "hoc/core/computation.hpp"
#include "hoc/core/overlap.hpp"
#include "hoc/core/tensor.hpp"
#include "hoc/expr.hpp"
#include "hoc/linalg/einsum/engine.hpp"

namespace hoc {

namespace detail {

// What einsum takes: a Tensor or a TensorView of an EinsumElement.
template <class X>
struct einsum_operand_traits {
    static constexpr bool valid = false;
};
template <class E>
struct einsum_operand_traits<Tensor<E>> {
    static constexpr bool valid = true;
    using value_type = E;
};
template <class E>
struct einsum_operand_traits<TensorView<E>> {
    static constexpr bool valid = true;
    using value_type = std::remove_const_t<E>;
};

template <class X>
using einsum_value_t = typename einsum_operand_traits<std::remove_cvref_t<X>>::value_type;

}  // namespace detail

// A Tensor<T> or TensorView<T> (const or not) with T an EinsumElement.
template <class X>
concept EinsumOperand = detail::einsum_operand_traits<std::remove_cvref_t<X>>::valid &&
                        EinsumElement<detail::einsum_value_t<X>>;

// All operands of one einsum hold the same element type (convert first with
// hoc::cast or a Tensor<U>(view) copy).
template <class... X>
concept EinsumOperandsOfOneType =
    sizeof...(X) >= 1 && (EinsumOperand<X> && ...) &&
    (std::is_same_v<detail::einsum_value_t<X>,
                    detail::einsum_value_t<std::tuple_element_t<0, std::tuple<X...>>>> &&
     ...);

// The lazy result of an einsum: a Computation (see hoc/core/computation.hpp).
// It reads its operands when assigned; a temporary Tensor passed to einsum
// is moved into the result, so the result never dangles.
template <class T, std::size_t N>
class EinsumResult {
public:
    using value_type = T;
    using computation_tag = void;

    EinsumResult(std::shared_ptr<const detail::einsum::Program> program,
                 std::array<TensorView<const T>, N> views, std::array<Tensor<T>, N> owned)
        : program_(std::move(program)), views_(views), owned_(std::move(owned)) {}
    // Views may point into owned_: moving keeps the buffers, copying would not.
    EinsumResult(EinsumResult&&) noexcept = default;
    EinsumResult(const EinsumResult&) = delete;
    EinsumResult& operator=(const EinsumResult&) = delete;
    EinsumResult& operator=(EinsumResult&&) = delete;

    Shape shape() const { return detail::einsum_output_shape(*program_); }
    void evaluate_into(TensorView<T> dst) const {
        using detail::EinsumFusedKind;
        const detail::EinsumFusedForm& fused = detail::einsum_fused_form(*program_);
        // Copies, element-wise products and totals: the expression engine's
        // one SIMD loop, built for the caller's target.
        auto operand = [&](std::size_t o) {
            return TensorView<const T>(views_[o].data(), fused.shape,
                                       detail::einsum_fused_strides(*program_, o, views_[o].strides()));
        };
        if (fused.kind == EinsumFusedKind::copy) {
            dst = operand(0);
            return;
        }
        if (fused.kind == EinsumFusedKind::total && N == 1) {
            *dst.data() = hoc::sum(operand(0));
            return;
        }
        if constexpr (N == 2) {
            if (fused.kind == EinsumFusedKind::product) {
                dst = operand(0) * operand(1);
                return;
            }
            if (fused.kind == EinsumFusedKind::total) {
                *dst.data() = hoc::sum(operand(0) * operand(1));
                return;
            }
        }
        detail::einsum_evaluate<T>(*program_, std::span<const TensorView<const T>>(views_), dst);
    }
    bool reads_memory(const void* lo, const void* hi) const {
        for (const auto& v : views_)
            if (detail::reads_memory(v, lo, hi)) return true;
        return false;
    }
    // The contraction order this result will run.
    EinsumPath path() const { return detail::einsum_path_of(*program_); }

private:
    std::shared_ptr<const detail::einsum::Program> program_;
    std::array<TensorView<const T>, N> views_;
    std::array<Tensor<T>, N> owned_;
};

namespace detail {

// A read-only view of an operand; a temporary Tensor moves into `keep`.
template <class T, class X>
TensorView<const T> einsum_view(X&& x, Tensor<T>& keep) {
    using D = std::remove_cvref_t<X>;
    if constexpr (std::is_same_v<D, Tensor<T>> && !std::is_lvalue_reference_v<X>) {
        keep = std::move(x);
        return keep.cview();
    } else if constexpr (std::is_same_v<D, Tensor<T>>) {
        return x.cview();
    } else {
        return TensorView<const T>(x);
    }
}

template <class T, class... X>
EinsumResult<T, sizeof...(X)> einsum_bind(std::shared_ptr<const einsum::Program> program,
                                          X&&... xs) {
    constexpr std::size_t N = sizeof...(X);
    std::array<Tensor<T>, N> owned;
    std::size_t i = 0;
    std::array<TensorView<const T>, N> views{einsum_view<T>(std::forward<X>(xs), owned[i++])...};
    return EinsumResult<T, N>(std::move(program), views, std::move(owned));
}

template <class S>
Shape einsum_shape_of(const S& s) {
    if constexpr (std::is_convertible_v<const S&, Shape>) return Shape(s);
    else return Shape(s.shape());
}

}  // namespace detail

// A parsed and planned einsum for fixed operand shapes: build once, apply
// many times. Applying checks the shapes (ShapeError on a mismatch).
class EinsumPlan {
public:
    // Shapes, or tensors/views whose shapes to plan for.
    template <class... S>
        requires(sizeof...(S) >= 1)
    explicit EinsumPlan(std::string_view subscripts, const S&... shapes_or_operands) {
        const std::array<Shape, sizeof...(S)> shapes{detail::einsum_shape_of(shapes_or_operands)...};
        program_ = detail::einsum_program(subscripts, shapes);
    }
    EinsumPlan(std::string_view subscripts, std::span<const Shape> shapes)
        : program_(detail::einsum_program(subscripts, shapes)) {}

    // The result's shape.
    const Shape& shape() const { return detail::einsum_output_shape(*program_); }
    EinsumPath path() const { return detail::einsum_path_of(*program_); }

    template <class... X>
        requires EinsumOperandsOfOneType<X...>
    auto operator()(X&&... xs) const {
        using T = detail::einsum_value_t<std::tuple_element_t<0, std::tuple<X...>>>;
        const std::array<Shape, sizeof...(X)> shapes{Shape(xs.shape())...};
        detail::einsum_check_shapes(*program_, shapes);
        return detail::einsum_bind<T>(program_, std::forward<X>(xs)...);
    }

private:
    std::shared_ptr<const detail::einsum::Program> program_;
};

// numpy.einsum(subscripts, *operands). Throws std::invalid_argument for
// subscripts that do not parse (naming the position) and hoc::ShapeError for
// operands that do not fit them. Plans are cached per thread, so calling this
// in a loop parses and plans once.
template <class... X>
    requires EinsumOperandsOfOneType<X...>
auto einsum(std::string_view subscripts, X&&... xs) {
    using T = detail::einsum_value_t<std::tuple_element_t<0, std::tuple<X...>>>;
    const std::array<Shape, sizeof...(X)> shapes{Shape(xs.shape())...};
    return detail::einsum_bind<T>(detail::einsum_program(subscripts, shapes),
                                  std::forward<X>(xs)...);
}

// numpy.einsum_path: the pairwise order einsum would use for operands of
// these shapes (Shapes, or tensors/views), its cost and a readable report.
template <class... S>
    requires(sizeof...(S) >= 1)
EinsumPath einsum_path(std::string_view subscripts, const S&... shapes_or_operands) {
    return EinsumPlan(subscripts, shapes_or_operands...).path();
}

}  // namespace hoc

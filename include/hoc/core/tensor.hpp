// Tensor<Elem>: an owning, C-contiguous, 64-byte aligned N-d array with value
// semantics (copy is deep, move is cheap).
#pragma once

#include <cstring>
#include <span>
#include <utility>

#include "hoc/core/computation.hpp"
#include "hoc/core/config.hpp"
#include "hoc/core/copy.hpp"
#include "hoc/core/memory.hpp"
#include "hoc/core/overlap.hpp"
#include "hoc/core/shape.hpp"
#include "hoc/core/tensor_view.hpp"

namespace hoc {

template <class Elem>
class Tensor {
    static_assert(Element<Elem>, "hoc::Tensor holds float, double, int32, int64, bool or complex");

public:
    using value_type = Elem;
    using element_type = Elem;

    // Shape (0,), as NumPy's np.array([]).
    Tensor() : shape_(empty_shape()) {}
    // Zero-filled.
    explicit Tensor(const Shape& shape) : shape_(shape), buf_(checked_size(shape), true) {}
    Tensor(const Shape& shape, Elem fill) : shape_(shape), buf_(checked_size(shape), false) {
        std::fill(data(), data() + size(), fill);
    }
    // A tensor whose elements are not initialised (to be overwritten at once).
    static Tensor uninitialized(const Shape& shape) { return Tensor(shape, Uninit{}); }

    // A copy of any view (made contiguous), converting U to Elem.
    template <class U>
    explicit(!std::is_same_v<std::remove_const_t<U>, Elem>) Tensor(const TensorView<U>& v);
    // Evaluates an element-wise expression in one pass (hoc/expr/).
    template <expr::Expression E>
    explicit(!std::is_same_v<typename E::value_type, Elem>) Tensor(const E& e);
    // Evaluates a lazy computation (matmul, einsum, inv, ...).
    template <Computation C>
        requires std::is_same_v<typename C::value_type, Elem>
    Tensor(const C& c) : Tensor(Shape(c.shape()), Uninit{}) {
        c.evaluate_into(view());
    }

    Tensor(const Tensor&) = default;
    Tensor(Tensor&& o) noexcept : shape_(o.shape_), buf_(std::move(o.buf_)) {
        o.shape_ = empty_shape();
    }
    Tensor& operator=(const Tensor& o) {
        if (this == &o) return *this;
        if (shape_ == o.shape_) {
            if (size()) std::memcpy(static_cast<void*>(data()), o.data(), sizeof(Elem) * size());
        } else {
            Tensor copy(o);
            swap(copy);
        }
        return *this;
    }
    Tensor& operator=(Tensor&& o) noexcept {
        swap(o);
        return *this;
    }
    // Copies the view: in place when the shape matches (through a temporary only
    // when the view overlaps this tensor harmfully), else rebinds to the view's shape.
    template <class U>
        requires std::is_same_v<std::remove_const_t<U>, Elem>
    Tensor& operator=(const TensorView<U>& v);
    // Evaluates an expression: into the existing buffer when the shape matches
    // (no allocation), else rebinds to the expression's shape, as NumPy's `a = expr`.
    template <expr::Expression E>
    Tensor& operator=(const E& e);
    // Fills every element.
    template <expr::ScalarOperand S>
    Tensor& operator=(S value);
    // In place: the right side must broadcast to this tensor's shape.
    template <class X> requires expr::Operand<X>
    Tensor& operator+=(const X& x);
    template <class X> requires expr::Operand<X>
    Tensor& operator-=(const X& x);
    template <class X> requires expr::Operand<X>
    Tensor& operator*=(const X& x);
    template <class X> requires expr::Operand<X>
    Tensor& operator/=(const X& x);
    // Writes a computation's result; into the existing buffer when the shape
    // matches and the computation does not read it, else through a temporary.
    template <Computation C>
        requires std::is_same_v<typename C::value_type, Elem>
    Tensor& operator=(const C& c) {
        const Shape s = c.shape();
        const auto [lo, hi] = detail::memory_range(cview());
        if (s == shape_ && !c.reads_memory(lo, hi)) {
            c.evaluate_into(view());
        } else {
            Tensor result(c);
            swap(result);
        }
        return *this;
    }

    void swap(Tensor& o) noexcept {
        std::swap(shape_, o.shape_);
        buf_.swap(o.buf_);
    }

    const Shape& shape() const { return shape_; }
    index_t ndim() const { return shape_.size(); }
    index_t size() const { return buf_.size(); }
    Strides strides() const { return contiguous_strides(shape_); }
    Elem* data() { return buf_.data(); }
    const Elem* data() const { return buf_.data(); }

    TensorView<Elem> view() { return TensorView<Elem>(data(), shape_); }
    TensorView<const Elem> view() const { return TensorView<const Elem>(data(), shape_); }
    TensorView<const Elem> cview() const { return view(); }
    operator TensorView<Elem>() { return view(); }
    operator TensorView<const Elem>() const { return view(); }

    template <std::integral... I>
    Elem& operator()(I... idx) {
        return view()(idx...);
    }
    template <std::integral... I>
    const Elem& operator()(I... idx) const {
        return view()(idx...);
    }
    template <std::integral... I>
    Elem& at(I... idx) {
        return view().at(idx...);
    }
    template <std::integral... I>
    const Elem& at(I... idx) const {
        return view().at(idx...);
    }

    TensorView<Elem> T() { return view().T(); }
    TensorView<const Elem> T() const { return view().T(); }
    TensorView<Elem> transpose(std::span<const index_t> axes) { return view().transpose(axes); }
    TensorView<const Elem> transpose(std::span<const index_t> axes) const {
        return view().transpose(axes);
    }
    TensorView<Elem> reshape(const Shape& s) { return view().reshape(s); }
    TensorView<const Elem> reshape(const Shape& s) const { return view().reshape(s); }
    TensorView<Elem> slice(index_t axis, index_t start, index_t stop, index_t step = 1) {
        return view().slice(axis, start, stop, step);
    }
    TensorView<const Elem> slice(index_t axis, index_t start, index_t stop, index_t step = 1) const {
        return view().slice(axis, start, stop, step);
    }

private:
    struct Uninit {};
    // (0,), built once: empty tensors and moves are on every expression's path.
    static const Shape& empty_shape() {
        static const Shape s{0};
        return s;
    }
    Tensor(const Shape& shape, Uninit) : shape_(shape), buf_(checked_size(shape), false) {}

    Shape shape_;
    detail::Buffer<Elem> buf_;
};

// ---- free-function views ---------------------------------------------------

template <class V>
concept TensorLike = requires(const V& v) {
    typename V::value_type;
    { v.shape() } -> std::convertible_to<Shape>;
    v.data();
};

template <class Elem>
TensorView<Elem> as_view(TensorView<Elem> v) { return v; }
template <class Elem>
TensorView<Elem> as_view(Tensor<Elem>& t) { return t.view(); }
template <class Elem>
TensorView<const Elem> as_view(const Tensor<Elem>& t) { return t.view(); }
// A view of a temporary tensor would dangle: refuse it at compile time.
template <class Elem>
void as_view(Tensor<Elem>&& t) = delete;

// Axes permuted (numpy.transpose(t, axes)).
template <class V>
auto transpose(V&& t, std::initializer_list<index_t> axes) {
    return as_view(std::forward<V>(t)).transpose(std::span<const index_t>(axes.begin(), axes.size()));
}
template <class V>
auto transpose(V&& t) { return as_view(std::forward<V>(t)).T(); }

// Elements start:stop:step along `axis` (Python slice rules).
template <class V>
auto slice(V&& t, index_t axis, index_t start, index_t stop, index_t step = 1) {
    return as_view(std::forward<V>(t)).slice(axis, start, stop, step);
}

// A read-only view of t broadcast to `shape` (stride 0 on stretched axes), as numpy.broadcast_to.
template <class V>
auto broadcast_to(V&& t, const Shape& shape) {
    auto v = as_view(std::forward<V>(t));
    using E = typename decltype(v)::value_type;
    checked_size(shape);
    const Strides st = detail::broadcast_strides(v, shape, "broadcast_to");
    return TensorView<const E>(v.data(), shape, st);
}

}  // namespace hoc

// The expression engine defines the assignment members declared above.
#include "hoc/expr/tensor_members.hpp"

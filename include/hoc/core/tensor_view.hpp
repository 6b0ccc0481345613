// TensorView<Elem>: a non-owning strided view. Reads and writes go through to
// the memory it looks at; TensorView<const Elem> is the read-only form.
#pragma once

#include <cstdint>
#include <cstring>
#include <numeric>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "hoc/core/config.hpp"
#include "hoc/core/errors.hpp"
#include "hoc/core/shape.hpp"
#include "hoc/expr/concepts.hpp"

namespace hoc {

template <class Elem> class TensorView;
template <class Elem> class Tensor;

namespace detail {

[[noreturn]] inline void throw_index_error(index_t axis, index_t i, index_t n) {
    throw std::out_of_range("hoc: index " + std::to_string(i) + " is out of bounds for axis " +
                            std::to_string(axis) + " with size " + std::to_string(n));
}

// The shape a reshape asks for, with its one -1 resolved.
inline Shape resolve_reshape(const Shape& from, Shape to) {
    const index_t n = checked_size(from);
    index_t known = 1, unknown = -1;
    for (index_t i = 0; i < to.size(); ++i) {
        if (to[i] == -1) {
            if (unknown >= 0)
                throw std::invalid_argument("reshape: can only specify one unknown dimension in " +
                                            shape_string(to));
            unknown = i;
        } else if (to[i] < 0) {
            throw std::invalid_argument("reshape: negative dimension " + std::to_string(to[i]) +
                                        " in " + shape_string(to));
        } else if (__builtin_mul_overflow(known, to[i], &known)) {
            throw ShapeError("reshape: cannot reshape array of size " + std::to_string(n) +
                             " into shape " + shape_string(to) + " (its size overflows index_t)");
        }
    }
    if (unknown >= 0 && known != 0 && n % known == 0) to[unknown] = n / known;
    if ((unknown >= 0 && (known == 0 || n % known != 0)) || checked_size(to) != n)
        throw ShapeError("reshape: cannot reshape array of size " + std::to_string(n) +
                         " into shape " + shape_string(to));
    return to;
}

// Strides for viewing (shape, strides) as `to` without copying, or false when
// the memory layout does not allow it (NumPy's no-copy reshape rule: each
// group of old axes merged or split must be contiguous among itself).
inline bool reshape_strides(const Shape& shape, const Strides& strides, const Shape& to,
                            Strides& out) {
    out = Shape::filled(to.size(), 0);
    if (checked_size(shape) == 0 || checked_size(to) == 0) {
        out = contiguous_strides(to);
        return true;
    }
    // Drop length-1 axes of the source: they constrain nothing.
    Shape s;
    Strides st;
    for (index_t i = 0; i < shape.size(); ++i)
        if (shape[i] != 1) s.push_back(shape[i]), st.push_back(strides[i]);
    index_t oi = 0, oj = 0;  // position in s, position in `to`
    while (oj < to.size()) {
        if (to[oj] == 1) {
            out[oj++] = 0;
            continue;
        }
        // Take old axes [oi, oi2) and new axes [oj, oj2) with equal products.
        index_t oi2 = oi + 1, oj2 = oj + 1;
        index_t np = s[oi], nq = to[oj];
        while (np != nq) {
            if (np < nq) np *= s[oi2++];
            else nq *= to[oj2++];
        }
        for (index_t k = oi; k + 1 < oi2; ++k)
            if (st[k] != st[k + 1] * s[k + 1]) return false;
        out[oj2 - 1] = st[oi2 - 1];
        for (index_t k = oj2 - 1; k > oj; --k) out[k - 1] = out[k] * to[k];
        oi = oi2, oj = oj2;
    }
    return true;
}

}  // namespace detail

template <class Elem>
class TensorView {
public:
    using value_type = std::remove_const_t<Elem>;
    using element_type = Elem;

    TensorView() = default;
    TensorView(Elem* data, const Shape& shape, const Strides& strides)
        : data_(data), shape_(shape), strides_(strides) {}
    // A contiguous row-major view (strides built in place: views are made on
    // every assignment, and each Shape copy is 136 bytes).
    TensorView(Elem* data, const Shape& shape) : data_(data), shape_(shape), strides_(contiguous_strides(shape)) {}
    // TensorView<Elem> converts to TensorView<const Elem>.
    template <class U>
        requires(std::is_same_v<const U, Elem> && !std::is_same_v<U, Elem>)
    TensorView(const TensorView<U>& v) : TensorView(v.data(), v.shape(), v.strides()) {}

    // Copying a view copies the view, not the data. (Assigning one writes through.)
    TensorView(const TensorView&) = default;

    const Shape& shape() const { return shape_; }
    index_t ndim() const { return shape_.size(); }
    index_t size() const {
        index_t n = 1;
        for (index_t d : shape_) n *= d;
        return n;
    }
    const Strides& strides() const { return strides_; }
    Elem* data() const { return data_; }

    // Unchecked element access.
    template <std::integral... I>
    Elem& operator()(I... idx) const {
        index_t off = 0, axis = 0;
        ((off += static_cast<index_t>(idx) * strides_[axis++]), ...);
        return data_[off];
    }
    // Checked element access: std::out_of_range on a wrong count or index.
    template <std::integral... I>
    Elem& at(I... idx) const {
        if (static_cast<index_t>(sizeof...(I)) != ndim())
            throw std::out_of_range("hoc: " + std::to_string(sizeof...(I)) +
                                    " indices for an array of " + std::to_string(ndim()) +
                                    " dimensions");
        index_t off = 0, axis = 0;
        (
            [&](index_t i) {
                if (i < 0 || i >= shape_[axis]) detail::throw_index_error(axis, i, shape_[axis]);
                off += i * strides_[axis++];
            }(static_cast<index_t>(idx)),
            ...);
        return data_[off];
    }

    // True when the elements are packed row-major with no gaps.
    bool is_contiguous() const { return size() <= 1 || strides_ == contiguous_strides(shape_); }

    // All axes reversed.
    TensorView T() const {
        TensorView v = *this;
        std::reverse(v.shape_.begin(), v.shape_.end());
        std::reverse(v.strides_.begin(), v.strides_.end());
        return v;
    }
    // Axes permuted: result axis i is this view's axis axes[i].
    TensorView transpose(std::span<const index_t> axes) const {
        if (static_cast<index_t>(axes.size()) != ndim())
            throw std::invalid_argument("transpose: axes don't match array: " +
                                        std::to_string(axes.size()) + " axes for " +
                                        std::to_string(ndim()) + " dimensions");
        std::vector<bool> seen(static_cast<std::size_t>(ndim()), false);
        TensorView v = *this;
        for (index_t i = 0; i < ndim(); ++i) {
            index_t a = axes[static_cast<std::size_t>(i)];
            if (a < 0) a += ndim();
            if (a < 0 || a >= ndim() || seen[static_cast<std::size_t>(a)])
                throw std::invalid_argument("transpose: axes don't match array: axis " +
                                            std::to_string(axes[static_cast<std::size_t>(i)]) +
                                            " is out of range or repeated");
            seen[static_cast<std::size_t>(a)] = true;
            v.shape_[i] = shape_[a];
            v.strides_[i] = strides_[a];
        }
        return v;
    }
    // A view with another shape (one -1 allowed); ShapeError if the memory
    // layout does not allow it without a copy.
    TensorView reshape(const Shape& to) const {
        const Shape target = detail::resolve_reshape(shape_, to);
        Strides st;
        if (!detail::reshape_strides(shape_, strides_, target, st))
            throw ShapeError("reshape: cannot view an array of shape " + shape_string(shape_) +
                             " with strides " + shape_string(strides_) + " as shape " +
                             shape_string(target) + " without copying");
        return TensorView(data_, target, st);
    }
    // Elements start, start+step, ... before stop along `axis`, with Python's
    // slice rules (negative indices count from the end, out-of-range bounds clamp).
    TensorView slice(index_t axis, index_t start, index_t stop, index_t step = 1) const {
        if (axis < 0) axis += ndim();
        if (axis < 0 || axis >= ndim())
            throw std::invalid_argument("slice: axis " + std::to_string(axis) +
                                        " is out of bounds for an array of dimension " +
                                        std::to_string(ndim()));
        if (step == 0) throw std::invalid_argument("slice: step cannot be zero");
        const index_t n = shape_[axis];
        auto adjust = [&](index_t i) {
            if (i < 0) {
                i += n;
                if (i < 0) i = step < 0 ? -1 : 0;
            } else if (i >= n) {
                i = step < 0 ? n - 1 : n;
            }
            return i;
        };
        start = adjust(start), stop = adjust(stop);
        index_t len = 0;
        if (step > 0 && start < stop) len = (stop - start - 1) / step + 1;
        if (step < 0 && stop < start)  // unsigned: -step overflows for INT64_MIN
            len = static_cast<index_t>(static_cast<std::uint64_t>(start - stop - 1) /
                                       (std::uint64_t{0} - static_cast<std::uint64_t>(step))) + 1;
        TensorView v = *this;
        if (len > 0) v.data_ += start * strides_[axis];
        v.shape_[axis] = len;
        // A stride that overflows can only belong to an axis of length <= 1,
        // where it is never used.
        if (__builtin_mul_overflow(strides_[axis], step, &v.strides_[axis])) v.strides_[axis] = 0;
        return v;
    }

    TensorView<const value_type> as_const() const { return *this; }

    // Assignment writes through (hoc/expr/tensor_members.hpp): the right side --
    // a view, tensor, expression, computation or number -- is broadcast to this
    // view's shape and converted to its type, in one pass, safe when it reads
    // the memory it writes. The shape is never changed; on a throw nothing is written.
    TensorView& operator=(const TensorView& other);
    template <class X> requires expr::ArrayOperand<X>
    TensorView& operator=(const X& x);
    template <expr::ScalarOperand S>
    TensorView& operator=(S value);
    template <class X> requires expr::Operand<X>
    TensorView& operator+=(const X& x);
    template <class X> requires expr::Operand<X>
    TensorView& operator-=(const X& x);
    template <class X> requires expr::Operand<X>
    TensorView& operator*=(const X& x);
    template <class X> requires expr::Operand<X>
    TensorView& operator/=(const X& x);

private:
    Elem* data_ = nullptr;
    Shape shape_{0};
    Strides strides_{1};
};

}  // namespace hoc

// Evaluators: an expression bound to a destination shape. Each leaf becomes
// a pointer plus strides broadcast to that shape (0 on stretched axes); the
// assignment loop then walks rows and asks the tree for one element (at), one
// SIMD batch (load) or a short batch at a row's end (load_partial).
// Evaluators are small values: each thread of a parallel loop works on its own copy.
#pragma once

#include <memory>
#include <tuple>
#include <utility>

#include "hoc/core/copy.hpp"
#include "hoc/core/shape.hpp"
#include "hoc/core/tensor_view.hpp"
#include "hoc/expr/functors.hpp"
#include "hoc/expr/simd.hpp"

namespace hoc::expr::detail {

// How the leaves of a row are laid out: Unit when every leaf (and the
// destination) is contiguous along the row, so loads need no test at all.
enum class Mode { Unit, General };

// Reads one row of a leaf: element i at row[i * inner].
template <class T>
struct RowReader {
    using value_type = T;
    static constexpr bool simd = simd::is_simd_type<T>;
    // A bool tensor can be where's condition in a SIMD loop over R.
    template <class R>
    static constexpr bool mask_simd = std::is_same_v<T, bool> && simd::is_simd_type<R>;
    static constexpr int cost = 1;

    T at(index_t i) const { return row[i * inner]; }
    template <Mode M>
    simd::batch<T> load(index_t i) const {
        if constexpr (M == Mode::Unit) {
            return simd::batch<T>::load_unaligned(row + i);
        } else {
            if (inner == 1) return simd::batch<T>::load_unaligned(row + i);
            if (inner == 0) return simd::batch<T>(*row);
            return simd::load_strided(row + i * inner, inner);
        }
    }
    [[gnu::always_inline]] simd::batch<T> load_partial(index_t i, index_t n) const {
        return simd::load_partial(row + i * inner, inner, n);
    }
    template <class R, Mode M>
    simd::mask<R> load_mask(index_t i) const {
        return load_mask_partial<R>(i, simd::width<R>);
    }
    template <class R>
    simd::mask<R> load_mask_partial(index_t i, index_t n) const {
        alignas(64) bool buf[simd::width<R>];
        for (index_t j = 0; j < simd::width<R>; ++j) buf[j] = row[(i + (j < n ? j : 0)) * inner];
        return simd::mask<R>::load_aligned(buf);
    }

    const T* row = nullptr;
    index_t inner = 0;
};

// A leaf that reads memory: a tensor, a view, or a computation's result.
template <class T>
struct StridedEval : RowReader<T> {
    StridedEval(const TensorView<const T>& v, const Shape& dst, const char* op)
        : base(v.data()), st(hoc::detail::broadcast_strides(v, dst, op)) {}

    template <class F> void visit_strides(F&& f) { f(st); }
    template <class F> void visit_inner(F&& f) const { f(this->inner); }
    // Call once the strides are final (after the loop plan).
    void prepare() {
        this->inner = st.size() ? st[st.size() - 1] : 0;
        this->row = base;
    }
    // Points `row` at the start of the row with outer index idx[0 .. ndim-2].
    void seek(const index_t* idx) {
        index_t off = 0;
        for (index_t d = 0; d + 1 < st.size(); ++d) off += idx[d] * st[d];
        this->row = base + off;
    }

    const T* base;
    Strides st;
};

// A leaf of a flat run (narrow_rows.hpp): row r starts at base + r * rs.
template <class T>
struct FlatEval : RowReader<T> {
    FlatEval(const T* b, index_t row_stride, index_t in) : base(b), rs(row_stride) { this->inner = in; }

    template <class F> void visit_inner(F&& f) const { f(this->inner); }
    void prepare() { this->row = base; }
    void seek(const index_t* idx) { this->row = base + idx[0] * rs; }

    const T* base;
    index_t rs;
};

// A leaf holding the result of a Computation, evaluated once before the loop;
// copies share the one result.
template <class T>
struct ComputationEval : StridedEval<T> {
    template <class Holder>
    ComputationEval(std::shared_ptr<Holder> result, const Shape& dst, const char* op)
        : StridedEval<T>(result->view(), dst, op), keep(std::move(result)) {}
    std::shared_ptr<const void> keep;
};

// A number broadcast everywhere.
template <class T>
struct ScalarEval {
    using value_type = T;
    static constexpr bool simd = simd::is_simd_type<T>;
    template <class R>
    static constexpr bool mask_simd = std::is_same_v<T, bool> && simd::is_simd_type<R>;
    static constexpr int cost = 0;

    template <class F> void visit_strides(F&&) {}
    template <class F> void visit_inner(F&&) const {}
    void prepare() {}
    void seek(const index_t*) {}
    T at(index_t) const { return value; }
    template <Mode M> simd::batch<T> load(index_t) const { return simd::batch<T>(value); }
    simd::batch<T> load_partial(index_t, index_t) const { return simd::batch<T>(value); }
    template <class R, Mode M> simd::mask<R> load_mask(index_t) const { return simd::mask<R>(value); }
    template <class R> simd::mask<R> load_mask_partial(index_t, index_t) const { return simd::mask<R>(value); }

    T value;
};

template <class Op> concept WhereOp = requires { requires Op::is_where; };
template <class Op> concept ComparisonOp = requires { requires Op::is_comparison; };

// An operation applied element by element to its operands' evaluators.
template <class Op, class... Evs>
struct MapEval {
    using value_type = typename Op::template result<typename Evs::value_type...>;
    using Args = std::tuple<Evs...>;
    template <std::size_t I> using arg_t = typename std::tuple_element_t<I, Args>::value_type;

    static constexpr bool compute_simd() {
        if constexpr (WhereOp<Op>) {
            return std::tuple_element_t<0, Args>::template mask_simd<value_type> &&
                   std::tuple_element_t<1, Args>::simd && std::tuple_element_t<2, Args>::simd &&
                   std::is_same_v<arg_t<1>, value_type> && std::is_same_v<arg_t<2>, value_type>;
        } else {
            return Op::template simd_ok<typename Evs::value_type...> && (Evs::simd && ...);
        }
    }
    static constexpr bool simd = compute_simd();
    template <class R>
    static constexpr bool mask_simd = [] {
        if constexpr (ComparisonOp<Op>)
            return Op::template mask_ok<typename Evs::value_type...> && (Evs::simd && ...) &&
                   std::is_same_v<arg_t<0>, R>;
        else
            return false;
    }();
    static constexpr int cost = Op::cost + (Evs::cost + ...);

    template <class F> void visit_strides(F&& f) {
        std::apply([&](auto&... e) { (e.visit_strides(f), ...); }, evs);
    }
    template <class F> void visit_inner(F&& f) const {
        std::apply([&](const auto&... e) { (e.visit_inner(f), ...); }, evs);
    }
    void prepare() {
        std::apply([](auto&... e) { (e.prepare(), ...); }, evs);
    }
    void seek(const index_t* idx) {
        std::apply([&](auto&... e) { (e.seek(idx), ...); }, evs);
    }
    value_type at(index_t i) const {
        return std::apply([&](const auto&... e) -> value_type { return Op::apply(e.at(i)...); }, evs);
    }
    // Always inlined: a loop body is one expression, whose leaves then stay in registers.
    template <Mode M>
    [[gnu::always_inline]] simd::batch<value_type> load(index_t i) const {
        if constexpr (WhereOp<Op>) {
            return xsimd::select(std::get<0>(evs).template load_mask<value_type, M>(i),
                                 std::get<1>(evs).template load<M>(i), std::get<2>(evs).template load<M>(i));
        } else {
            return load_each<M>(std::index_sequence_for<Evs...>{}, i);
        }
    }
    [[gnu::always_inline]] simd::batch<value_type> load_partial(index_t i, index_t n) const {
        if constexpr (WhereOp<Op>) {
            return xsimd::select(std::get<0>(evs).template load_mask_partial<value_type>(i, n),
                                 std::get<1>(evs).load_partial(i, n), std::get<2>(evs).load_partial(i, n));
        } else {
            return load_partial_each(std::index_sequence_for<Evs...>{}, i, n);
        }
    }
    template <Mode M, std::size_t... I>
    [[gnu::always_inline]] simd::batch<value_type> load_each(std::index_sequence<I...>, index_t i) const {
        return simd::batch<value_type>(Op::simd(std::get<I>(evs).template load<M>(i)...));
    }
    template <std::size_t... I>
    [[gnu::always_inline]] simd::batch<value_type> load_partial_each(std::index_sequence<I...>, index_t i,
                                                                     index_t n) const {
        return simd::batch<value_type>(Op::simd(std::get<I>(evs).load_partial(i, n)...));
    }
    template <class R, Mode M>
    simd::mask<R> load_mask(index_t i) const {
        return Op::mask(std::get<0>(evs).template load<M>(i), std::get<1>(evs).template load<M>(i));
    }
    template <class R>
    simd::mask<R> load_mask_partial(index_t i, index_t n) const {
        return Op::mask(std::get<0>(evs).load_partial(i, n), std::get<1>(evs).load_partial(i, n));
    }

    Args evs;
};

}  // namespace hoc::expr::detail

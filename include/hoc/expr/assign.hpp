// THE assignment loop: every write of an expression, a view or a scalar into
// memory (Tensor construction and assignment, view assignment, compound
// assignment, hoc::eval) goes through assign() below.
//
//  1. shapes are checked before anything is written (the destination is left
//     untouched on a throw);
//  2. an overlap between the destination and what the expression reads is
//     classified: reading exactly the element being written (same address, same
//     strides: `a = a * 2 + b`, `a += b`) is safe; any other overlap (`a = a.T()`,
//     shifted slices) goes through one temporary;
//  3. the loop is planned (loop_plan.hpp): contiguous operands collapse to one
//     flat axis; otherwise an N-d walk over rows of the destination's innermost axis;
//  4. each row runs a SIMD body (unit-stride loads, broadcast registers for
//     stride-0 operands, gathered loads for strided ones) with a SIMD tail;
//  5. above a measured size the flat index range is split over hoc's threads.
#pragma once

#include <atomic>
#include <string>

#include "hoc/core/overlap.hpp"
#include "hoc/core/threads.hpp"
#include "hoc/expr/evaluators.hpp"
#include "hoc/expr/loop_plan.hpp"
#include "hoc/expr/nodes.hpp"

namespace hoc::expr::detail {

// Work (elements x the expression's cost, see evaluators.hpp) below which a
// loop runs on one thread. Measured with bench_expr's BM_threshold (the chain
// a*b + c*d - e forced onto 1 or 2 threads, 4 K to 256 K elements): on this
// shared 2-core machine the split never paid below 256 K elements, because
// waking the second thread and a busy neighbour cost more than half of a
// memory-bound loop. 2^20 puts the split at ~116 K elements for that chain
// (cost 9) and ~1 M for a copy; expensive functions (exp: cost 16) split
// earlier. See docs/performance.md.
inline constexpr index_t kParallelWork = index_t(1) << 20;

// Destinations larger than this are written with non-temporal stores (when
// the whole assignment is one contiguous run): they would not stay in cache
// anyway, and streaming skips the read-for-ownership of every line.
// An atomic so the benchmark can switch it off to measure the difference.
inline std::atomic<std::size_t> stream_threshold_bytes{std::size_t(16) << 20};

// ---- shapes ---------------------------------------------------------------------

// e's shape must broadcast to the destination's (NumPy's assignment rule).
inline void check_assignable(const Shape& from, const Shape& to, const char* op, bool compound) {
    const index_t off = to.size() - from.size();
    bool ok = off >= 0;
    index_t bad = -1;
    for (index_t i = 0; ok && i < from.size(); ++i)
        if (from[i] != 1 && from[i] != to[i + off]) ok = false, bad = i + off;
    if (ok) return;
    const std::string where =
        bad >= 0 ? cat(": axis ", std::to_string(bad), " has length ", std::to_string(from[bad - off]),
                       ", expected ", std::to_string(to[bad]), " or 1")
                 : std::string(": too many dimensions");
    if (compound)
        throw ShapeError(cat(op, ": non-broadcastable output operand with shape ", shape_string(to),
                             " doesn't match the broadcast shape ", shape_string(from), where));
    throw ShapeError(cat(op, ": could not broadcast input array from shape ", shape_string(from), " into shape ",
                         shape_string(to), where));
}

// ---- aliasing ---------------------------------------------------------------------

enum class Overlap { None, SameElement, Harmful };

// How e's operands share memory with dst: not at all; only by reading exactly
// the element being written (safe in one pass); or otherwise (a forward pass
// could change an element that e reads later).
template <class T, class E>
Overlap classify_overlap(const TensorView<T>& dst, const E& e) {
    const auto range = hoc::detail::memory_range(dst);
    if (range.first == nullptr) return Overlap::None;
    bool harmful = false, same = false;
    for_each_leaf(e, [&](const auto& leaf) {
        using L = std::remove_cvref_t<decltype(leaf)>;
        if constexpr (MemoryLeaf<L>) {
            if (!hoc::detail::ranges_overlap(leaf_range(leaf), range.first, range.second)) return;
            const auto v = leaf.view();
            using V = typename decltype(v)::value_type;
            if (sizeof(V) == sizeof(T) && static_cast<const void*>(v.data()) == static_cast<const void*>(dst.data())) {
                const Strides st = hoc::detail::broadcast_strides(v, dst.shape(), "assign");
                bool identical = true;
                for (index_t d = 0; d < dst.ndim(); ++d)
                    if (dst.shape()[d] > 1 && st[d] != dst.strides()[d]) identical = false;
                if (identical) {
                    same = true;
                    return;
                }
            }
            harmful = true;
        }
    });
    return harmful ? Overlap::Harmful : same ? Overlap::SameElement : Overlap::None;
}

template <class T, class E>
bool harmful_overlap(const TensorView<T>& dst, const E& e) {
    return classify_overlap(dst, e) == Overlap::Harmful;
}

// ---- the loop ------------------------------------------------------------------------

template <class T>
T* stream_align_end(T* p, T* end) {
    auto a = reinterpret_cast<std::uintptr_t>(p);
    const auto up = (a + 63) & ~std::uintptr_t(63);
    T* q = p + (up - a) / sizeof(T);
    return q < end ? q : end;
}

// One row [b, e) of the SIMD loop. d points at the row's first element.
// Inlined into the loop so the evaluator is a local whose row pointers stay in
// registers (a vector store may alias anything the compiler cannot prove local).
template <Mode M, class T, class Ev>
[[gnu::always_inline]] inline void simd_row(T* d, index_t ds, const Ev& ev, index_t b, index_t e, bool stream) {
    constexpr index_t W = simd::width<T>;
    index_t i = b;
    if (ds == 1) {
        if constexpr (simd::has_stream_store<T>) {
            if (stream && e - b >= 4 * W) {
                // Scalar-width head up to a 64-byte boundary, then streamed full batches.
                const index_t head = stream_align_end(d + i, d + e) - (d + i);
                if (head) {
                    simd::store_strided(d + i, 1, ev.load_partial(i, head), head);
                    i += head;
                }
                for (; i + W <= e; i += W) simd::stream_store(d + i, ev.template load<M>(i));
            }
        }
        for (; i + 2 * W <= e; i += 2 * W) {
            const auto v0 = ev.template load<M>(i);
            const auto v1 = ev.template load<M>(i + W);
            v0.store_unaligned(d + i);
            v1.store_unaligned(d + i + W);
        }
        for (; i + W <= e; i += W) ev.template load<M>(i).store_unaligned(d + i);
    } else {
        for (; i + W <= e; i += W) simd::store_strided(d + i * ds, ds, ev.template load<M>(i), W);
    }
    if (i < e) simd::store_strided(d + i * ds, ds, ev.load_partial(i, e - i), e - i);
}

// One row [b, e) of dst = ev: the SIMD body (unit: every operand contiguous
// along the row), or element by element for types without SIMD.
template <class T, class Ev>
[[gnu::always_inline]] inline void assign_row(T* d, index_t ds, const Ev& ev, index_t b, index_t e, bool unit,
                                              bool stream) {
    if constexpr (Ev::simd) {
        if (unit) simd_row<Mode::Unit>(d, ds, ev, b, e, stream);
        else simd_row<Mode::General>(d, ds, ev, b, e, stream);
    } else {
        for (index_t i = b; i < e; ++i) d[i * ds] = ev.at(i);
    }
}

// The assignment loop over flat indices [lo, hi) of the planned shape.
template <class T, class Ev>
struct AssignLoop {
    T* dst;
    Strides dst_st;
    Shape shape;
    Ev ev;
    bool unit = false;    // every operand contiguous along rows
    bool stream = false;  // non-temporal stores

    void run(index_t lo, index_t hi) const {
        Ev e = ev;
        const index_t nd = shape.size(), len = shape[nd - 1], ds = dst_st[nd - 1];
        index_t idx[kMaxRank] = {};
        index_t rest = lo / len, j = lo % len;
        for (index_t d = nd - 2; d >= 0; --d) idx[d] = rest % shape[d], rest /= shape[d];
        for (index_t pos = lo; pos < hi;) {
            e.seek(idx);
            index_t off = 0;
            for (index_t d = 0; d + 1 < nd; ++d) off += idx[d] * dst_st[d];
            const index_t end = std::min(len, j + (hi - pos));
            assign_row(dst + off, ds, e, j, end, unit, stream);
            pos += end - j;
            j = 0;
            for (index_t d = nd - 2; d >= 0; --d) {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
        if constexpr (Ev::simd && simd::has_stream_store<T>)
            if (stream) simd::stream_fence();
    }
};

// Fused GEMM epilogues (hoc/expr/fused_gemm.hpp, included at the end of this
// file): dst = f(matmul(..), ...) evaluated inside the GEMM; false when it cannot.
template <class T, class E>
bool try_fused_gemm(const TensorView<T>& dst, const E& e);

// A small contiguous destination (hoc/expr/narrow_rows.hpp, included at the end
// of this file): dst = e as flat runs; false when an operand does not fit.
template <class T, class E>
bool assign_narrow_rows(const TensorView<T>& dst, const E& e);

// dst = e, e already of dst's element type, shapes checked, no harmful overlap.
// may_stream: false when e reads dst (its lines are in cache already, so a
// streaming store would gain nothing and evict them).
template <class T, class E>
void assign_unchecked(const TensorView<T>& dst, const E& e, const char* op = "assign", bool may_stream = true) {
    static_assert(std::is_same_v<typename E::value_type, T>);
    const index_t total = dst.size();
    if (total == 0) return;
    if (try_fused_gemm(dst, e)) return;
    using Ev = decltype(e.bind(dst.shape(), op));
    constexpr index_t W = Ev::simd ? simd::width<T> : 1;
    const index_t grain = std::max<index_t>(kParallelWork / std::max(1, Ev::cost), 16 * W);
    if (total <= grain && assign_narrow_rows(dst, e)) return;
    AssignLoop<T, Ev> loop{dst.data(), dst.strides(), dst.shape(), e.bind(dst.shape(), op)};
    plan_loop(loop.shape, loop.dst_st, &loop.dst_st, loop.ev);
    loop.ev.prepare();
    loop.unit = loop.dst_st[loop.shape.size() - 1] == 1;
    loop.ev.visit_inner([&](index_t s) { loop.unit = loop.unit && s == 1; });
    if constexpr (Ev::simd && simd::has_stream_store<T>)
        loop.stream = may_stream && loop.shape.size() == 1 && loop.unit &&
                      static_cast<std::size_t>(total) * sizeof(T) >= stream_threshold_bytes.load(std::memory_order_relaxed);

    if (total <= grain || num_threads() == 1) {
        loop.run(0, total);
        return;
    }
    // Chunk borders on multiples of W keep every thread on whole batches.
    hoc::detail::parallel_for(0, total, grain, [&](index_t lo, index_t hi) {
        lo -= lo % W;
        if (hi != total) hi -= hi % W;
        loop.run(lo, hi);
    });
}

// e as an expression of element type T (assignment converts, as NumPy's a[...] = b).
template <class T, class E>
decltype(auto) converted(const E& e) {
    if constexpr (std::is_same_v<typename E::value_type, T>) return (e);
    else return Map<ops::Cast<T>, ExprRef<E>>(ExprRef<E>{&e});
}

// dst = e where e's shape is already known (a Tensor's assignment computed it).
template <class T, class E>
void assign_shaped(const TensorView<T>& dst, const E& e, const Shape& shape, const char* op = "assign",
                   bool compound = false) {
    static_assert(!std::is_const_v<T>, "hoc: cannot assign through a read-only TensorView<const T>");
    check_assignable(shape, dst.shape(), op, compound);
    const Overlap overlap = classify_overlap(dst, e);
    if (overlap == Overlap::Harmful) {
        using R = typename E::value_type;
        Tensor<R> tmp = Tensor<R>::uninitialized(shape);
        assign_unchecked(tmp.view(), e, op);
        assign_unchecked(dst, converted<T>(ViewLeaf<R>{tmp.view()}), op);
    } else {
        assign_unchecked(dst, converted<T>(e), op, overlap == Overlap::None);
    }
}

// dst = e: e broadcast to dst's shape, converted to dst's type, safe against aliasing.
template <class T, class E>
void assign(const TensorView<T>& dst, const E& e, const char* op = "assign", bool compound = false) {
    assign_shaped(dst, e, e.shape(), op, compound);
}

// A new tensor holding e.
template <class E>
Tensor<typename E::value_type> evaluate(const E& e) {
    using R = typename E::value_type;
    Tensor<R> t = Tensor<R>::uninitialized(e.shape());
    assign_unchecked(t.view(), e);
    return t;
}

}  // namespace hoc::expr::detail

#include "hoc/expr/narrow_rows.hpp"
#include "hoc/expr/fused_gemm.hpp"

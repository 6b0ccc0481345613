// Fused reductions: sum, mean, max, min of any expression, over everything or
// along one axis, evaluated straight from the operands (no temporary).
//
// Reproducible: the work is cut into blocks of a fixed size that does not
// depend on the thread count, each block is reduced with SIMD accumulators in
// a fixed order, and the block results are combined pairwise in a fixed
// order -- so 1 and 2 threads give bit-identical results. Pairwise combining
// also keeps the error of a float sum of 1e7 terms near a few ulps.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hoc/core/threads.hpp"
#include "hoc/expr/assign.hpp"
#include "hoc/expr/operators.hpp"

namespace hoc::expr {

// The result type of sum (bool counts in int64) and of mean (integers average in double).
template <class T> using sum_t = std::conditional_t<std::is_same_v<T, bool>, std::int64_t, T>;
template <class T> using mean_t = std::conditional_t<Floating<T>, T, double>;

namespace detail {

// Elements per independently reduced block (a multiple of every SIMD width).
inline constexpr index_t kReduceBlock = index_t(1) << 11;

struct SumReduce {
    static constexpr const char* name = "sum";
    static constexpr bool has_identity = true;
    template <class A> static A identity() { return A(0); }
    template <class A> static A combine(A a, A b) { return ops::Add::apply<A>(a, b); }
    template <class B> static B combine_simd(const B& a, const B& b) { return a + b; }
    // The padding lanes of a row's last, short batch must not count.
    template <class T>
    static simd::batch<T> fix_partial(const simd::batch<T>& v, index_t n) {
        return xsimd::select(simd::first_lanes<T>(n), v, simd::batch<T>(T(0)));
    }
};
template <class Op>
struct ExtremumReduce {
    static constexpr bool has_identity = false;
    template <class A> static A combine(A a, A b) { return Op::apply(a, b); }
    template <class B> static B combine_simd(const B& a, const B& b) { return Op::simd(a, b); }
    // Padding lanes repeat a real element of the row: harmless for max and min.
    template <class T>
    static simd::batch<T> fix_partial(const simd::batch<T>& v, index_t) { return v; }
};
struct MaxReduce : ExtremumReduce<ops::Maximum> { static constexpr const char* name = "max"; };
struct MinReduce : ExtremumReduce<ops::Minimum> { static constexpr const char* name = "min"; };

// Combines a sequence of partial results pairwise (like a binary counter), in
// O(log n) space; the grouping depends only on the sequence's length.
template <class Red, class A>
struct Pairwise {
    A level[64];
    index_t count[64];
    int top = 0;
    void add(A v) {
        index_t c = 1;
        while (top > 0 && count[top - 1] == c) {
            v = Red::template combine<A>(level[--top], v);
            c *= 2;
        }
        level[top] = v, count[top++] = c;
    }
    A result() const {
        A v = level[top - 1];
        for (int k = top - 2; k >= 0; --k) v = Red::template combine<A>(level[k], v);
        return v;
    }
};

// Reduces one row segment [b, e) into the accumulators (SIMD form).
// Four accumulators: enough independent adds to hide the latency, and each
// lane of a 2048-element block then sums only 32 terms.
template <class Red, Mode M, class Ev, class B>
void reduce_row_simd(const Ev& ev, index_t b, index_t e, B* acc) {
    constexpr index_t W = simd::width<typename Ev::value_type>;
    // Locals, not acc[]: vector types may alias the operands' memory, so
    // accumulators behind a pointer would be stored back on every step.
    B a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
    index_t i = b;
    for (; i + 4 * W <= e; i += 4 * W) {
        a0 = Red::combine_simd(a0, ev.template load<M>(i));
        a1 = Red::combine_simd(a1, ev.template load<M>(i + W));
        a2 = Red::combine_simd(a2, ev.template load<M>(i + 2 * W));
        a3 = Red::combine_simd(a3, ev.template load<M>(i + 3 * W));
    }
    if (i + W <= e) a0 = Red::combine_simd(a0, ev.template load<M>(i)), i += W;
    if (i + W <= e) a1 = Red::combine_simd(a1, ev.template load<M>(i)), i += W;
    if (i + W <= e) a2 = Red::combine_simd(a2, ev.template load<M>(i)), i += W;
    if (i < e) a3 = Red::combine_simd(a3, Red::fix_partial(ev.load_partial(i, e - i), e - i));
    acc[0] = a0, acc[1] = a1, acc[2] = a2, acc[3] = a3;
}

// Horizontal combination of a batch's lanes, pairwise in a fixed order.
template <class Red, class T>
T horizontal(const simd::batch<T>& v) {
    alignas(64) T lanes[simd::width<T>];
    v.store_aligned(lanes);
    for (index_t w = simd::width<T> / 2; w >= 1; w /= 2)
        for (index_t j = 0; j < w; ++j) lanes[j] = Red::template combine<T>(lanes[j], lanes[j + w]);
    return lanes[0];
}

template <class Red, class A, class Ev>
constexpr bool reduce_in_simd = Ev::simd && std::is_same_v<A, typename Ev::value_type>;

// Reduces flat indices [lo, hi) of the planned shape; `first` is any element
// of the range (the starting value of max/min).
template <class Red, class A, class Ev>
A reduce_range(Ev e, const Shape& shape, bool unit, index_t lo, index_t hi) {
    const index_t nd = shape.size(), len = shape[nd - 1];
    index_t idx[kMaxRank] = {};
    index_t rest = lo / len, j = lo % len;
    for (index_t d = nd - 2; d >= 0; --d) idx[d] = rest % shape[d], rest /= shape[d];
    e.seek(idx);
    A init;
    if constexpr (Red::has_identity) init = Red::template identity<A>();
    else init = static_cast<A>(e.at(j));
    if constexpr (reduce_in_simd<Red, A, Ev>) {
        simd::batch<A> acc[4] = {simd::batch<A>(init), simd::batch<A>(init), simd::batch<A>(init),
                                 simd::batch<A>(init)};
        for (index_t pos = lo; pos < hi;) {
            e.seek(idx);
            const index_t end = std::min(len, j + (hi - pos));
            if (unit) reduce_row_simd<Red, Mode::Unit>(e, j, end, acc);
            else reduce_row_simd<Red, Mode::General>(e, j, end, acc);
            pos += end - j, j = 0;
            for (index_t d = nd - 2; d >= 0; --d) {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
        return horizontal<Red>(
            Red::combine_simd(Red::combine_simd(acc[0], acc[1]), Red::combine_simd(acc[2], acc[3])));
    } else {
        A acc = init;
        for (index_t pos = lo; pos < hi;) {
            e.seek(idx);
            const index_t end = std::min(len, j + (hi - pos));
            for (index_t i = j; i < end; ++i) acc = Red::template combine<A>(acc, static_cast<A>(e.at(i)));
            pos += end - j, j = 0;
            for (index_t d = nd - 2; d >= 0; --d) {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
        return acc;
    }
}

[[noreturn]] inline void throw_no_identity(const char* name) {
    throw std::invalid_argument(cat(name, ": zero-size array to reduction operation ",
                                    std::string_view(name) == "max" ? "maximum" : "minimum",
                                    " which has no identity"));
}

// Reduction of every element of e, as type A.
template <class Red, class A, class E>
A reduce_all(const E& e) {
    Shape shape = e.shape();
    const index_t total = checked_size(shape);
    if (total == 0) {
        if constexpr (Red::has_identity) return Red::template identity<A>();
        else throw_no_identity(Red::name);
    }
    auto ev = e.bind(shape, Red::name);
    using Ev = decltype(ev);
    // Walk in the memory order of the first operand (a transposed operand reads forward).
    Strides order = contiguous_strides(shape);
    bool got = false;
    ev.visit_strides([&](const Strides& st) {
        if (!got) order = st, got = true;
    });
    plan_loop(shape, order, nullptr, ev);
    ev.prepare();
    bool unit = true;
    ev.visit_inner([&](index_t s) { unit = unit && s == 1; });

    const index_t blocks = (total + kReduceBlock - 1) / kReduceBlock;
    auto block = [&](index_t b) {
        return reduce_range<Red, A>(ev, shape, unit, b * kReduceBlock, std::min(total, (b + 1) * kReduceBlock));
    };
    if (blocks == 1) return block(0);
    // Groups of kGroup blocks, each combined pairwise by one task; the group
    // results combined pairwise in order. The grouping depends only on the
    // size, so the result does not depend on the thread count.
    constexpr index_t kGroup = 64, kStackGroups = 256;
    const index_t groups = (blocks + kGroup - 1) / kGroup;
    A on_stack[kStackGroups];
    std::vector<A> on_heap;
    A* partial = on_stack;
    if (groups > kStackGroups) on_heap.resize(static_cast<std::size_t>(groups)), partial = on_heap.data();
    const index_t grain = std::max<index_t>(1, kParallelWork / (std::max(1, Ev::cost) * kReduceBlock * kGroup));
    hoc::detail::parallel_for(0, groups, grain, [&](index_t lo, index_t hi) {
        for (index_t g = lo; g < hi; ++g) {
            Pairwise<Red, A> pw;
            for (index_t b = g * kGroup; b < std::min(blocks, (g + 1) * kGroup); ++b) pw.add(block(b));
            partial[g] = pw.result();
        }
    });
    Pairwise<Red, A> pw;
    for (index_t g = 0; g < groups; ++g) pw.add(partial[g]);
    return pw.result();
}

inline index_t normalize_axis(index_t axis, index_t ndim, const char* name) {
    if (axis < -ndim || axis >= ndim)
        throw std::invalid_argument(cat(name, ": axis ", std::to_string(axis),
                                        " is out of bounds for array of dimension ", std::to_string(ndim)));
    return axis < 0 ? axis + ndim : axis;
}

// Row accumulation for an axis that is not the last: out[j - b] (op)= row[j] for j in [b, e).
template <class Red, class A, class Ev>
void accumulate_row(A* out, const Ev& ev, index_t b, index_t e, bool first, bool unit) {
    index_t i = b;
    if constexpr (reduce_in_simd<Red, A, Ev>) {
        constexpr index_t W = simd::width<A>;
        auto step = [&]<Mode M>(index_t k) {
            const auto v = ev.template load<M>(k);
            A* o = out + (k - b);
            (first ? v : Red::combine_simd(simd::batch<A>::load_unaligned(o), v)).store_unaligned(o);
        };
        if (unit) for (; i + W <= e; i += W) step.template operator()<Mode::Unit>(i);
        else for (; i + W <= e; i += W) step.template operator()<Mode::General>(i);
    }
    for (; i < e; ++i) {
        const A v = static_cast<A>(ev.at(i));
        out[i - b] = first ? v : Red::template combine<A>(out[i - b], v);
    }
}

// Reduction of e along one axis, as a Tensor<A>.
template <class Red, class A, class E>
Tensor<A> reduce_axis(const E& e, index_t axis, bool keepdims) {
    const Shape shape = e.shape();
    const index_t n = shape.size();
    axis = normalize_axis(axis, n, Red::name);
    Shape out_shape = shape;
    if (keepdims) out_shape[axis] = 1;
    else out_shape.erase(axis);
    Tensor<A> out = Tensor<A>::uninitialized(out_shape);
    const index_t count = checked_size(out_shape), len = shape[axis];
    if (count == 0) return out;
    if (len == 0) {
        if constexpr (Red::has_identity) {
            out = Red::template identity<A>();
            return out;
        } else {
            throw_no_identity(Red::name);
        }
    }
    auto ev = e.bind(shape, Red::name);
    ev.prepare();
    bool unit = true;
    ev.visit_inner([&](index_t s) { unit = unit && s == 1; });
    A* o = out.data();
    const index_t grain_work = std::max<index_t>(1, kParallelWork / std::max(1, decltype(ev)::cost));

    if (axis == n - 1) {
        // Each output reduces one row: blocks of the row combined pairwise.
        const index_t grain = std::max<index_t>(1, grain_work / len);
        const Shape row_shape{len};
        hoc::detail::parallel_for(0, count, grain, [&](index_t lo, index_t hi) {
            auto e2 = ev;
            index_t ix[kMaxRank] = {};
            for (index_t k = lo; k < hi; ++k) {
                index_t rest = k;
                for (index_t d = n - 2; d >= 0; --d) ix[d] = rest % shape[d], rest /= shape[d];
                e2.seek(ix);
                // reduce_range seeks with a 1-d shape: give it the row directly.
                auto row_ev = e2;
                struct NoSeek : decltype(row_ev) {
                    void seek(const index_t*) {}
                };
                NoSeek r{row_ev};
                if (len <= kReduceBlock) {
                    o[k] = reduce_range<Red, A>(r, row_shape, unit, 0, len);
                } else {
                    Pairwise<Red, A> pw;
                    for (index_t b = 0; b < len; b += kReduceBlock)
                        pw.add(reduce_range<Red, A>(r, row_shape, unit, b, std::min(len, b + kReduceBlock)));
                    o[k] = pw.result();
                }
            }
        });
        return out;
    }

    // The reduced axis is an outer one: accumulate whole rows of the last axis
    // (SIMD along it), in blocks of rows combined pairwise for accuracy.
    const index_t last = shape[n - 1];
    const index_t outer = count / last;  // outputs per row of the last axis
    constexpr index_t kCols = 1024, kRows = 64;
    const index_t col_chunks = (last + kCols - 1) / kCols;
    const index_t grain = std::max<index_t>(1, grain_work / (len * std::min(last, kCols)));
    hoc::detail::parallel_for(0, outer * col_chunks, grain, [&](index_t lo, index_t hi) {
        auto e2 = ev;
        index_t ix[kMaxRank] = {};
        alignas(64) A scratch[kCols];
        for (index_t w = lo; w < hi; ++w) {
            const index_t oi = w / col_chunks, c0 = (w % col_chunks) * kCols, c1 = std::min(last, c0 + kCols);
            // Outer index over the axes other than `axis` and the last.
            index_t rest = oi;
            for (index_t d = n - 2; d >= 0; --d) {
                if (d == axis) continue;
                ix[d] = rest % shape[d], rest /= shape[d];
            }
            A* dst = o + oi * last;
            for (index_t r0 = 0; r0 < len; r0 += kRows) {
                const index_t r1 = std::min(len, r0 + kRows);
                for (index_t r = r0; r < r1; ++r) {
                    ix[axis] = r;
                    e2.seek(ix);
                    accumulate_row<Red, A>(scratch, e2, c0, c1, r == r0, unit);
                }
                if (r0 == 0) std::copy(scratch, scratch + (c1 - c0), dst + c0);
                else
                    for (index_t j = c0; j < c1; ++j) dst[j] = Red::template combine<A>(dst[j], scratch[j - c0]);
            }
        }
    });
    return out;
}

}  // namespace detail
}  // namespace hoc::expr

namespace hoc {

// sum of all elements (fused with the expression, no temporary); bool counts in int64.
template <class X> requires expr::ArrayOperand<X>
auto sum(const X& x) {
    using T = expr::value_of<const X&>;
    return expr::detail::reduce_all<expr::detail::SumReduce, expr::sum_t<T>>(expr::cast_node<expr::sum_t<T>>(expr::as_node(x)));
}
// Largest / smallest element; NaN if any element is NaN (as numpy.max).
// std::invalid_argument on an empty operand.
template <class X> requires expr::ArrayOperand<X> && expr::Ordered<expr::value_of<const X&>>
auto max(const X& x) {
    return expr::detail::reduce_all<expr::detail::MaxReduce, expr::value_of<const X&>>(expr::as_node(x));
}
template <class X> requires expr::ArrayOperand<X> && expr::Ordered<expr::value_of<const X&>>
auto min(const X& x) {
    return expr::detail::reduce_all<expr::detail::MinReduce, expr::value_of<const X&>>(expr::as_node(x));
}
// Arithmetic mean in the floating type (integers average in double); NaN when empty.
template <class X> requires expr::ArrayOperand<X>
auto mean(const X& x) {
    using M = expr::mean_t<expr::value_of<const X&>>;
    auto n = expr::cast_node<M>(expr::as_node(x));
    const index_t count = checked_size(n.shape());
    const M s = expr::detail::reduce_all<expr::detail::SumReduce, M>(n);
    if (count == 0) return M(std::numeric_limits<expr::real_t<M>>::quiet_NaN());
    return M(s / static_cast<expr::real_t<M>>(count));
}

// The same along one axis (negative counts from the end); keepdims keeps it as length 1.
template <class X> requires expr::ArrayOperand<X>
auto sum(const X& x, index_t axis, bool keepdims = false) {
    using S = expr::sum_t<expr::value_of<const X&>>;
    return expr::detail::reduce_axis<expr::detail::SumReduce, S>(expr::cast_node<S>(expr::as_node(x)), axis, keepdims);
}
template <class X> requires expr::ArrayOperand<X> && expr::Ordered<expr::value_of<const X&>>
auto max(const X& x, index_t axis, bool keepdims = false) {
    return expr::detail::reduce_axis<expr::detail::MaxReduce, expr::value_of<const X&>>(expr::as_node(x), axis, keepdims);
}
template <class X> requires expr::ArrayOperand<X> && expr::Ordered<expr::value_of<const X&>>
auto min(const X& x, index_t axis, bool keepdims = false) {
    return expr::detail::reduce_axis<expr::detail::MinReduce, expr::value_of<const X&>>(expr::as_node(x), axis, keepdims);
}
template <class X> requires expr::ArrayOperand<X>
auto mean(const X& x, index_t axis, bool keepdims = false) {
    using M = expr::mean_t<expr::value_of<const X&>>;
    auto n = expr::cast_node<M>(expr::as_node(x));
    const Shape s = n.shape();
    const index_t len = s[expr::detail::normalize_axis(axis, s.size(), "mean")];
    Tensor<M> out = expr::detail::reduce_axis<expr::detail::SumReduce, M>(n, axis, keepdims);
    if (len == 0) out = M(std::numeric_limits<expr::real_t<M>>::quiet_NaN());
    else out /= static_cast<expr::real_t<M>>(len);
    return out;
}

}  // namespace hoc

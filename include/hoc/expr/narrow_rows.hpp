// Rows shorter than one SIMD batch (a 100 x 5 matrix plus a bias row): the
// assignment loop would walk them one short row at a time, a masked partial
// batch each, paying the per-row set-up and wasting most lanes (and a masked
// load of a row just written by a masked store stalls store forwarding).
// When the destination is contiguous, C is one flat run instead, viewed as
// rows of L elements (L a multiple of n): full-size operands are contiguous
// over it, values broadcast everywhere stay broadcast, and a bias row repeats
// with period n, i.e. it is a fixed L-long tile read with row stride 0. That
// is an ordinary assignment with full vectors. Operands of any other layout
// (a bias column, strided, another element type for a tile) keep the usual loop.
// Also the second step of the fused tiny-product path (fused_gemm.hpp).
#pragma once

#include <algorithm>
#include <atomic>
#include <numeric>
#include <type_traits>

#include "hoc/expr/assign.hpp"
#include "hoc/expr/nodes.hpp"

namespace hoc::expr::detail {

inline constexpr index_t kFlatTile = 1024;  // longest tile; C up to this size is one run
inline constexpr int kFlatMaxTiles = 4;

// Assignments that took assign_narrow_rows (read by the tests to prove it is taken).
inline std::atomic<long> narrow_rows_count{0};

// e with the computation leaf replaced by make_product() and every other
// memory leaf by ViewLeaf{make_view(its view)}: only views, scalars and maps,
// nothing copied or evaluated.
template <class T, class E, class MakeProduct, class MakeView>
auto replace_leaves(const E& e, const MakeProduct& make_product, MakeView&& make_view) {
    if constexpr (is_map<E>::value) {
        return std::apply(
            [&](const auto&... a) {
                return Map<typename E::op_type, decltype(replace_leaves<T>(a, make_product, make_view))...>(
                    replace_leaves<T>(a, make_product, make_view)...);
            },
            e.args);
    } else if constexpr (is_expr_ref<E>::value) {
        return replace_leaves<T>(*e.e, make_product, make_view);
    } else if constexpr (is_computation_leaf<E>::value) {
        return make_product();
    } else if constexpr (MemoryLeaf<E>) {
        using V = typename E::value_type;
        return ViewLeaf<V>{make_view(TensorView<const V>(e.view()))};
    } else {
        return E(e);
    }
}

// The operands of an m x n assignment re-described over its flat run: `rows`
// rows of `len` elements (len a multiple of n) from flat element `start`.
template <class T>
struct FlatRun {
    index_t m, n;
    index_t start, rows, len;
    alignas(64) T tiles[kFlatMaxTiles][kFlatTile];  // bias rows repeated to len elements
    int used = 0;
    bool ok = true;

    FlatRun(index_t m_, index_t n_, index_t start_, index_t rows_, index_t len_)
        : m(m_), n(n_), start(start_), rows(rows_), len(len_) {}

    template <class V>
    TensorView<const V> operator()(const TensorView<const V>& v) {
        if (!ok) return TensorView<const V>(v.data(), Shape{rows, len}, Strides{0, 0});
        const Strides st = hoc::detail::broadcast_strides(v, Shape{m, n}, "assign");
        const index_t rs = m == 1 ? n * st[1] : st[0], cs = n == 1 ? 1 : st[1];
        if (rs == n && cs == 1)  // full size, contiguous
            return TensorView<const V>(v.data() + start, Shape{rows, len}, Strides{len, 1});
        if (rs == 0 && cs == 0)  // one value
            return TensorView<const V>(v.data(), Shape{rows, len}, Strides{0, 0});
        if constexpr (std::is_same_v<V, T>) {
            if (rs == 0 && cs == 1 && used < kFlatMaxTiles) {  // a bias row: its len-long tile
                T* tile = tiles[used++];
                std::copy_n(v.data(), n, tile);
                for (index_t done = n; done < len; done *= 2)
                    std::copy_n(tile, std::min(done, len - done), tile + done);
                return TensorView<const V>(tile, Shape{rows, len}, Strides{0, 1});
            }
        }
        ok = false;  // never evaluated: the caller keeps the usual loop
        return TensorView<const V>(v.data(), Shape{rows, len}, Strides{0, 0});
    }
};

// The assignment loop for dst (rows x len, contiguous) = tree, without the
// planning an already flat run does not need.
template <class T, class Tree>
auto flat_assign_loop(T* dst, index_t rows, index_t len, const Tree& tree) {
    const Shape shape{rows, len};
    using Ev = decltype(tree.bind(shape, "assign"));
    AssignLoop<T, Ev> loop{dst, Strides{len, 1}, shape, tree.bind(shape, "assign")};
    loop.ev.prepare();
    loop.unit = true;
    loop.ev.visit_inner([&](index_t s) { loop.unit = loop.unit && s == 1; });
    return loop;
}

template <class T, class Tree>
void assign_flat_rows(T* dst, index_t rows, index_t len, const Tree& tree) {
    flat_assign_loop(dst, rows, len, tree).run(0, rows * len);
}

// Run length for an m x n destination: one run when it fits a tile, else
// rows of lcm(n, W) and a shorter last row.
template <class T>
index_t flat_run_length(index_t total, index_t n) {
    return total <= kFlatTile ? total : std::lcm(n, simd::width<T>);
}

// dst = e over dst's flat run. False, with nothing written, when an operand
// does not fit the scheme. Otherwise `before()` runs first: the fused tiny
// GEMM writes its product into dst there, and e's computation leaf reads it
// back from dst.
template <class T, class E, class Before>
bool assign_flat(const TensorView<T>& dst, const E& e, Before&& before) {
    const index_t m = dst.shape()[0], n = dst.shape()[1], total = m * n;
    const index_t len = flat_run_length<T>(total, n);
    const index_t full_rows = total / len, rest = total - full_rows * len;
    auto product_in = [&](index_t start, index_t rows, index_t l) {
        return ViewLeaf<T>{TensorView<const T>(dst.data() + start, Shape{rows, l}, Strides{l, 1})};
    };
    FlatRun<T> body{m, n, 0, full_rows, len};
    auto body_tree = replace_leaves<T>(e, [&] { return product_in(0, full_rows, len); }, body);
    if (!body.ok) return false;
    before();
    assign_flat_rows(dst.data(), full_rows, len, body_tree);
    if (rest > 0) {  // the last row's operands are described the same way, so they fit too
        FlatRun<T> tail{m, n, full_rows * len, 1, rest};
        assign_flat_rows(dst.data() + full_rows * len, 1, rest,
                         replace_leaves<T>(e, [&] { return product_in(full_rows * len, 1, rest); }, tail));
    }
    return true;
}

// Whether dst (2-D) is one contiguous run in row-major order.
template <class T>
bool is_flat_matrix(const TensorView<T>& dst) {
    const index_t m = dst.shape()[0], n = dst.shape()[1];
    return (m == 1 || dst.strides()[0] == n) && (n == 1 || dst.strides()[1] == 1);
}

// The hook called by assign_unchecked: dst = e through assign_flat when dst is
// a contiguous matrix with rows shorter than one batch and e has no
// computation (fused_gemm.hpp handles those).
template <class T, class E>
bool assign_narrow_rows(const TensorView<T>& dst, const E& e) {
    if constexpr (!simd::is_simd_type<T> || computation_leaves<E>::value != 0) {
        return false;
    } else {
        if (dst.ndim() != 2 || dst.shape()[1] < 2 || dst.shape()[1] >= simd::width<T> || !is_flat_matrix(dst))
            return false;
        if (!assign_flat(dst, e, [] {})) return false;
        narrow_rows_count.fetch_add(1, std::memory_order_relaxed);
        return true;
    }
}

}  // namespace hoc::expr::detail

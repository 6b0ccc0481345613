// Small contiguous assignments as flat runs. The assignment loop's set-up
// (broadcast strides per operand, the loop plan, an N-d walk) costs more than
// the work below a few hundred elements, and rows shorter than one SIMD batch
// (a 100 x 5 matrix plus a bias row) would each be a masked partial batch.
// When the destination is contiguous, C is one flat run instead, cut into
// rows of L elements (L a multiple of every operand's period): full-size
// operands are contiguous over it, values broadcast everywhere stay
// broadcast, and a bias row (a block of trailing axes) repeats with period p,
// i.e. it is read with row stride 0 from itself (p == L) or from an L-long
// tile of copies. The tree is bound straight to FlatEval leaves
// (assign_flat). Operands of any other layout (a bias column, strided, a tile
// of another element type) keep the usual loop.
// The fused GEMM epilogue reads its blocks of whole rows the same way
// (fused_gemm.hpp).
#pragma once

#include <algorithm>
#include <atomic>
#include <numeric>
#include <type_traits>

#include "hoc/expr/assign.hpp"
#include "hoc/expr/nodes.hpp"

namespace hoc::expr::detail {

inline constexpr index_t kFlatTile = 1024;  // longest tile (a bias row's copies); see plan_flat
inline constexpr index_t kFlatRow = 128;    // rows read from tiles in a one-shot assignment
inline constexpr int kFlatMaxTiles = 4;

// Assignments that took assign_narrow_rows (read by the tests to prove it is taken).
inline std::atomic<long> narrow_rows_count{0};

// ---- the flat run, bound directly -------------------------------------------------
//
// assign_flat below does not rebuild the tree: each operand is described by
// where its flat element j lives (FlatLayout), then the tree is bound to
// FlatEval leaves (a pointer, a row stride and 0 or 1 along the row). Rows
// are `len` elements (a multiple of every period) and a shorter last row.

// How an operand of a contiguous destination reads along the flat order:
// Full: element j at data[j]; Value: data[0] everywhere; Period: data[j % period]
// (a contiguous block of trailing axes repeated: a bias row); Other: none of these.
struct FlatLayout {
    enum Kind { Full, Value, Period, Other } kind = Other;
    index_t period = 0;
};

// The layout of an operand of shape s (strides st, null when contiguous)
// broadcast to the contiguous destination shape dst.
inline FlatLayout flat_layout(const Shape& dst, const Shape& s, const Strides* st) {
    const index_t nd = dst.size(), off = nd - s.size();
    index_t expect = 1, own = 1;  // the contiguous stride the next axis needs; s's own (if contiguous)
    bool repeating = false;       // past the contiguous trailing block: only stride 0 allowed
    index_t period = 1;
    for (index_t d = nd - 1; d >= 0; --d) {
        const index_t i = d - off, len = dst[d];
        const index_t sl = i >= 0 ? s[i] : 1;
        const index_t stride = sl == 1 ? 0 : st ? (*st)[i] : own;
        own *= sl;
        if (len == 1) continue;
        if (!repeating && stride == expect) {
            expect *= len;
            continue;
        }
        if (stride != 0) return {};
        if (!repeating) repeating = true, period = expect;
    }
    if (!repeating) return {FlatLayout::Full, expect};
    return period == 1 ? FlatLayout{FlatLayout::Value, 1} : FlatLayout{FlatLayout::Period, period};
}

inline constexpr int kFlatMaxLeaves = 16;

// The plan of one flat assignment: each memory leaf's layout (in tree order),
// the row length and the tiles its bias rows are read from.
template <class T>
struct FlatPlan {
    FlatLayout leaf[kFlatMaxLeaves];
    int leaves = 0;
    index_t len = 0;
    int tiles_used = 0;
    T* tiles = nullptr;  // kFlatMaxTiles x kFlatTile, only touched when a tile is needed
};

// One memory leaf as a FlatEval over rows of plan.len.
template <class T, class V>
FlatEval<V> flat_leaf(FlatPlan<T>& plan, const V* data, const FlatLayout& lay) {
    const index_t len = plan.len;
    switch (lay.kind) {
        case FlatLayout::Full: return {data, len, 1};
        case FlatLayout::Value: return {data, 0, 0};
        default: break;
    }
    if (lay.period == len) return {data, 0, 1};  // one period per row
    if constexpr (std::is_same_v<V, T>) {  // a tile: the period repeated to len elements
        T* tile = plan.tiles + plan.tiles_used++ * kFlatTile;
        const index_t p = lay.period;
        std::copy_n(data, p, tile);
        for (index_t done = p; done < len; done *= 2) std::copy_n(tile, std::min(done, len - done), tile + done);
        return {tile, 0, 1};
    }
    return {data, 0, 0};  // unreachable: plan_flat accepts tiles of T only
}

// e bound over the flat run; the computation leaf (the fused epilogue's
// product) reads `product`, contiguous like the destination.
template <class T, class E>
auto bind_flat(const E& e, FlatPlan<T>& plan, const T* product) {
    int k = 0;
    return bind_leaves(
        e, [&] { return FlatEval<T>(product, plan.len, 1); },
        [&](const auto& leaf) { return flat_leaf(plan, leaf_data(leaf), plan.leaf[k++]); });
}

// Describes every memory leaf of e and picks the row length; false when an
// operand does not fit (the caller keeps the usual loop). row_target: about
// how long rows read from tiles are. A one-shot assignment fills its tiles
// for one run (kFlatRow); the GEMM epilogue fills them once for every block
// of C, so longer rows (fewer row starts) pay there (kFlatTile).
template <class T, class E>
bool plan_flat(FlatPlan<T>& plan, const Shape& dst, const E& e, index_t row_target = kFlatRow) {
    constexpr index_t W = simd::is_simd_type<T> ? simd::width<T> : 1;
    const index_t total = checked_size(dst);
    bool ok = true;
    index_t lcm = 1, small = 0;  // lcm of the periods; how many are below one batch
    int periods = 0;
    bool same = true;  // every period equal
    for_each_leaf(e, [&](const auto& leaf) {
        using L = std::remove_cvref_t<decltype(leaf)>;
        if constexpr (MemoryLeaf<L>) {
            if (!ok || plan.leaves == kFlatMaxLeaves) {
                ok = false;
                return;
            }
            const FlatLayout lay = flat_layout(dst, leaf_shape(leaf), leaf_strides(leaf));
            plan.leaf[plan.leaves++] = lay;
            if (lay.kind == FlatLayout::Other) ok = false;
            if (lay.kind == FlatLayout::Period) {
                if (!std::is_same_v<typename L::value_type, T>) ok = false;  // tiles hold T
                same = same && (periods == 0 || lay.period == lcm);
                lcm = std::lcm(lcm, lay.period), ++periods;
                small += lay.period < W;
            }
        }
    });
    if (!ok) return false;
    if (periods == 0) {
        plan.len = total;  // one run
    } else if (same && small == 0 && 2 * lcm > row_target) {
        plan.len = lcm;  // rows of one period (a wide bias row): no tile
    } else {
        // Rows of a few lcm(periods, W): filling a tile costs about as much per
        // element as the run itself, so for one run a tile the size of C (the
        // seed's 500) costs more than the per-row set-up of rows of ~kFlatRow.
        const index_t q = std::lcm(lcm, W);
        if (q > kFlatTile) return false;
        plan.len = std::min(total, q * std::max<index_t>(1, row_target / q));
    }
    // Tiles: one per period shorter than a row.
    int tiles = 0;
    for (int i = 0; i < plan.leaves; ++i)
        tiles += plan.leaf[i].kind == FlatLayout::Period && plan.leaf[i].period != plan.len;
    return tiles <= kFlatMaxTiles;
}

// The loop over a contiguous destination's flat run, as rows of len: run()
// writes the flat range [lo, hi) on its own copy of the evaluator (the fused
// epilogue's blocks of whole rows of C, from any GEMM thread); run_once()
// writes [0, n) on the loop's own (a one-shot assignment: no copy).
template <class T, class Ev>
struct FlatLoop {
    FlatLoop(T* d, index_t row_len, Ev e) : dst(d), len(row_len), ev(std::move(e)) {
        ev.prepare();
        ev.visit_inner([&](index_t s) { unit = unit && s == 1; });
    }

    void run(index_t lo, index_t hi) const {
        Ev e = ev;
        walk(e, lo, hi);
    }
    void run_once(index_t n) { walk(ev, 0, n); }

    void walk(Ev& e, index_t lo, index_t hi) const {
        for (index_t r = lo / len, j = lo % len, pos = lo; pos < hi; ++r, j = 0) {
            e.seek(&r);
            const index_t end = std::min(len, j + (hi - pos));
            assign_row(dst + r * len, 1, e, j, end, unit, false);
            pos += end - j;
        }
    }

    T* dst;
    index_t len;
    Ev ev;
    bool unit = true;  // every operand contiguous along the rows
};

// dst = e over dst's flat run (dst contiguous). False, with nothing written,
// when an operand does not fit the scheme.
template <class T, class E>
bool assign_flat(const TensorView<T>& dst, const E& e) {
    FlatPlan<T> plan;
    if (!plan_flat(plan, dst.shape(), e)) return false;
    alignas(64) T tiles[kFlatMaxTiles * kFlatTile];  // left uninitialised: only used tiles are written
    plan.tiles = tiles;
    const index_t total = dst.size();
    FlatLoop(dst.data(), plan.len, bind_flat(e, plan, static_cast<const T*>(dst.data()))).run_once(total);
    return true;
}

// Whether dst is one contiguous run in row-major order.
template <class T>
bool is_contiguous_run(const TensorView<T>& dst) {
    index_t expect = 1;
    for (index_t d = dst.ndim() - 1; d >= 0; --d) {
        if (dst.shape()[d] != 1 && dst.strides()[d] != expect) return false;
        expect *= dst.shape()[d];
    }
    return true;
}

// The hook called by assign_unchecked for a single-threaded assignment:
// dst = e through assign_flat when dst is contiguous and e has no computation
// (fused_gemm.hpp handles those): every operand contiguous, one value, or a
// repeated block of trailing axes. The usual loop's planning and N-d walk are
// skipped; rows shorter than a batch become full vectors.
template <class T, class E>
bool assign_narrow_rows(const TensorView<T>& dst, const E& e) {
    if constexpr (!simd::is_simd_type<T> || computation_leaves<E>::value != 0) {
        return false;  // (bool and complex: tiles would need constructed storage)
    } else {
        if (dst.ndim() == 0 || !is_contiguous_run(dst)) return false;
        if (!assign_flat(dst, e)) return false;
        narrow_rows_count.fetch_add(1, std::memory_order_relaxed);
        return true;
    }
}

}  // namespace hoc::expr::detail

// Fused GEMM epilogues (issue 7): `Y = relu(matmul(X, W) + b)` in one pass.
//
// When the right side of an assignment is an element-wise expression with
// one matmul leaf (or several naming the same lvalue matmul) of the
// destination's shape, the GEMM writes the
// product straight into the destination and the element-wise part runs on
// each finished C block inside the GEMM (kernels::Epilogue), while the block
// is still in L1/L2, instead of in a second pass over memory:
//
//  * the expression is bound over the destination's full shape with the
//    matmul leaf reading the destination itself; every element then reads
//    exactly the product element it overwrites (the safe "same element"
//    alias of assign.hpp), and bias rows / columns, scalars and full-size
//    operands are read per block through their broadcast strides;
//  * each reported block runs the engine's own row kernel (simd_row), so the
//    values are bit-identical to the unfused evaluation (same GEMM, same
//    per-element SIMD code);
//  * `Y += matmul(X, W)`, `Y -= s * matmul(X, W)`, `Y = matmul(X, W) * s` need
//    no epilogue at all: they become the GEMM's beta = 1 and alpha.
//
// Anything else (another value type, a matmul of another shape, two matmuls,
// operands overlapping the destination, dot of N-D operands, 1-D operands)
// returns false and the caller's usual path evaluates the matmul once into a
// temporary.
#pragma once

#include <atomic>
#include <concepts>
#include <optional>
#include <type_traits>
#include <utility>

#include "hoc/core/overlap.hpp"
#include "hoc/expr/assign.hpp"
#include "hoc/expr/narrow_rows.hpp"
#include "hoc/expr/nodes.hpp"
#include "hoc/kernels/gemm.hpp"

namespace hoc::expr::detail {

// Assignments that took the fused path, and of those the tiny-product path
// (read by the tests to prove a path is taken).
inline std::atomic<long> fused_gemm_count{0};
inline std::atomic<long> fused_tiny_count{0};

// ---- recognising the tree -------------------------------------------------------


// A computation that can run with a GEMM epilogue (MatmulResult's hook).
template <class C, class T>
concept EpilogueComputation =
    std::same_as<typename C::value_type, T> &&
    requires(const C& c, TensorView<T> d, T s, const kernels::Epilogue<T>* ep) {
        { c.evaluate_with_epilogue(d, s, s, ep) } -> std::same_as<bool>;
    };

// A computation leaf of e (the caller checked there is one).
template <class E>
const auto& the_computation(const E& e) {
    if constexpr (is_map<E>::value) {
        constexpr std::size_t i = [] <class... A>(std::type_identity<std::tuple<A...>>) {
            std::size_t k = 0, found = 0;
            ((computation_leaves<A>::value ? (void)(found = k) : (void)0, ++k), ...);
            return found;
        }(std::type_identity<decltype(E::args)>{});
        return the_computation(std::get<i>(e.args));
    } else if constexpr (is_expr_ref<E>::value) {
        return the_computation(*e.e);
    } else {
        return e.computation();
    }
}

// Whether leaf reads exactly dst (same data, shape and strides): `Y + matmul(..)`.
template <class T, class L>
bool is_destination(const L& leaf, const TensorView<T>& dst) {
    if constexpr (MemoryLeaf<L> && std::is_same_v<typename L::value_type, T>) {
        const auto v = leaf.view();
        if (static_cast<const void*>(v.data()) != static_cast<const void*>(dst.data())) return false;
        if (!(v.shape() == dst.shape())) return false;
        for (index_t d = 0; d < dst.ndim(); ++d)
            if (dst.shape()[d] > 1 && v.strides()[d] != dst.strides()[d]) return false;
        return true;
    } else {
        return false;
    }
}

template <class E> struct peeled { using type = E; };
template <class E> struct peeled<ExprRef<E>> : peeled<E> {};
template <class E> using peeled_t = typename peeled<E>::type;

template <class E>
const peeled_t<E>& peel(const E& e) {
    if constexpr (is_expr_ref<E>::value) return peel(*e.e);
    else return e;
}

// `matmul`, `matmul * s` or `s * matmul`: the product term of alpha * A B.
// Sets alpha and returns true when e is one.
template <class T, class E>
bool product_term(const E& e, T& alpha) {
    using P = peeled_t<E>;
    if constexpr (is_computation_leaf<P>::value) {
        alpha = T(1);
        return true;
    } else if constexpr (is_map<P>::value) {
        if constexpr (std::is_same_v<typename P::op_type, ops::Mul> && std::tuple_size_v<decltype(P::args)> == 2) {
            using A0 = peeled_t<std::tuple_element_t<0, decltype(P::args)>>;
            using A1 = peeled_t<std::tuple_element_t<1, decltype(P::args)>>;
            const P& p = peel(e);
            if constexpr (is_computation_leaf<A0>::value && is_scalar_leaf<A1>::value &&
                          std::is_same_v<typename A1::value_type, T>) {
                alpha = peel(std::get<1>(p.args)).value;
                return true;
            } else if constexpr (is_scalar_leaf<A0>::value && is_computation_leaf<A1>::value &&
                                 std::is_same_v<typename A0::value_type, T>) {
                alpha = peel(std::get<0>(p.args)).value;
                return true;
            }
        }
        return false;
    } else {
        return false;
    }
}

// GEMM scalars for the trees that need no epilogue: alpha*AB (beta 0) or
// dst ± AB (beta 1). Same rounding as the unfused form: the kernel
// stores fma(beta, C, alpha*acc), i.e. C + round(alpha*acc), exactly what
// `dst + (acc * alpha)` rounds to.
template <class T>
struct GemmScalars {
    bool ok = false;
    T alpha = T(1), beta = T(0);
};

template <class T, class E>
GemmScalars<T> scalars_only(const E& e, const TensorView<T>& dst) {
    GemmScalars<T> s;
    if (product_term(e, s.alpha)) {
        s.ok = true;
        return s;
    }
    using P = peeled_t<E>;
    if constexpr (is_map<P>::value) {
        using Op = typename P::op_type;
        constexpr bool add = std::is_same_v<Op, ops::Add>, sub = std::is_same_v<Op, ops::Sub>;
        if constexpr ((add || sub) && std::tuple_size_v<decltype(P::args)> == 2) {
            const P& p = peel(e);
            const auto& l = peel(std::get<0>(p.args));
            const auto& r = peel(std::get<1>(p.args));
            // Only a bare product next to dst: with alpha != 1 the kernels' scalar
            // paths may contract alpha*acc + C into one fma (a different rounding).
            if (is_destination(l, dst) && product_term(r, s.alpha) && s.alpha == T(1)) {
                if (sub) s.alpha = T(-1);
                s.beta = T(1), s.ok = true;
            } else if (add && is_destination(r, dst) && product_term(l, s.alpha) && s.alpha == T(1)) {
                s.beta = T(1), s.ok = true;
            }
        }
    }
    return s;
}

// ---- the epilogue -------------------------------------------------------------------

// The bound expression and the destination; apply() runs one reported block
// (possibly on several GEMM threads at once: each call works on its own copy
// of the evaluator).
template <class T, class Ev, class FlatLoop>
struct BlockEpilogue {
    Ev ev;
    T* dst;
    Strides st;     // dst's strides
    Shape shape;    // dst's shape, ndim >= 2: batch axes, rows, columns
    bool unit;      // dst and every leaf contiguous along rows
    // C as one flat run (narrow_rows.hpp), when it is contiguous and every
    // operand fits that form: a block of whole rows is a range of it.
    const FlatLoop* flat;

    static void apply(const void* self, index_t batch, index_t row0, index_t col0, index_t rows,
                      index_t cols, T*, index_t, index_t) {
        static_cast<const BlockEpilogue*>(self)->run(batch, row0, col0, rows, cols);
    }

    void run(index_t batch, index_t row0, index_t col0, index_t rows, index_t cols) const {
        const index_t nd = shape.size(), m = shape[nd - 2], n = shape[nd - 1];
        if (flat && col0 == 0 && cols == n) {
            const index_t first = (batch * m + row0) * n;
            flat->run(first, first + rows * n);
            return;
        }
        Ev e = ev;
        index_t idx[kMaxRank] = {};
        index_t base = 0;
        for (index_t d = nd - 3, rest = batch; d >= 0; --d) {
            idx[d] = rest % shape[d], rest /= shape[d];
            base += idx[d] * st[d];
        }
        const index_t rs = st[nd - 2], cs = st[nd - 1];
        for (index_t r = row0; r < row0 + rows; ++r) {
            idx[nd - 2] = r;
            e.seek(idx);
            assign_row(dst + base + r * rs, cs, e, col0, col0 + cols, unit, false);
        }
    }
};

// ---- tiny products ------------------------------------------------------------------
//
// The seed's 100x3x5: n fits one SIMD batch and k is a handful. The tiny path
// runs without packing, threads, callbacks or GEMM dispatch: each row of A*B
// is k FMAs in the GEMM kernels' order (so bit-identical) into a register,
// the element-wise part runs on that register (operands read as rows of the
// destination's shape: a bias row, a bias column, full-size or strided, each
// a short load), and the result is one full vector store whose spare lanes
// the next row overwrites. The product is never stored and read back (a
// load of a row just written by an overlapping store stalls store forwarding).

inline constexpr index_t kTinyMaxK = 16;
inline constexpr index_t kTinyMaxElements = index_t(1) << 14;  // m * n: cache-sized, one thread

// Whether the library's kernels accumulate with FMA as the code below does
// (the generic kernel set need not): only then is the tiny path bit-identical.
inline bool tiny_path_matches_gemm() {
#if defined(__FMA__) || defined(__AVX512F__)
    return kernels::gemm_arch()[0] != 'g';  // "avx512" or "avx2", not "generic"
#else
    return false;
#endif
}

// The current row of the tiny product, in a register (the computation leaf's evaluator).
template <class T>
struct ProductRowEval {
    using value_type = T;
    static constexpr bool simd = true;
    template <class R>
    static constexpr bool mask_simd = false;
    static constexpr int cost = 0;

    template <class F> void visit_inner(F&&) const {}
    void prepare() {}
    void seek(const index_t*) {}
    template <Mode M> simd::batch<T> load(index_t) const { return acc; }
    simd::batch<T> load_partial(index_t, index_t) const { return acc; }

    simd::batch<T> acc;  // held by value (a pointer to a register would make every FMA a store)
};

template <class X> struct is_product_row : std::false_type {};
template <class T> struct is_product_row<ProductRowEval<T>> : std::true_type {};

// Gives every ProductRowEval of ev the row v.
template <class Ev, class B>
[[gnu::always_inline]] inline void set_product(Ev& ev, const B& v);
template <class Ev, class B, std::size_t... I>
[[gnu::always_inline]] inline void set_product_each(Ev& ev, const B& v, std::index_sequence<I...>) {
    (set_product(std::get<I>(ev.evs), v), ...);
}
template <class Ev, class B>
[[gnu::always_inline]] inline void set_product(Ev& ev, const B& v) {
    if constexpr (is_product_row<Ev>::value)
        ev.acc = v;
    else if constexpr (requires { ev.evs; })
        set_product_each(ev, v, std::make_index_sequence<std::tuple_size_v<decltype(ev.evs)>>{});
}

// A memory leaf of the tiny path: row i of its broadcast to (m, n). A row
// shared by every i (row stride 0: a bias row) is read once, into a register:
// the compiler cannot hoist that load itself, as the destination's stores
// might alias it (try_fused_gemm has checked that they do not).
template <class T>
struct TinyRowEval : FlatEval<T> {
    TinyRowEval(const T* data, index_t rs, index_t cs, index_t cols)
        : FlatEval<T>(data, rs, cs), shared(rs == 0) {
        if constexpr (FlatEval<T>::simd)
            if (shared) value = simd::load_partial(data, cs, cs == 0 ? 1 : cols);
    }
    [[gnu::always_inline]] simd::batch<T> load_partial(index_t i, index_t n) const {
        if constexpr (FlatEval<T>::simd)
            if (shared) return value;
        return FlatEval<T>::load_partial(i, n);
    }

    std::conditional_t<FlatEval<T>::simd, simd::batch<T>, T> value{};  // (bool: a where's condition)
    bool shared;
};

// e over the rows of an m x n destination: the computation leaf reads the
// row set by set_product, every memory leaf is a row (base + i * rs, element
// stride cs) of its broadcast to (m, n).
template <class T, class E>
auto bind_rows(const E& e) {
    return bind_leaves(
        e, [] { return ProductRowEval<T>{simd::batch<T>(T(0))}; },
        [](const auto& leaf) {
            const Shape& s = leaf_shape(leaf);
            const Strides* st = leaf_strides(leaf);
            const index_t nd = s.size();
            index_t rs = 0, cs = 0;  // 0 on broadcast axes
            if (nd >= 1 && s[nd - 1] != 1) cs = st ? (*st)[nd - 1] : 1;
            if (nd >= 2 && s[nd - 2] != 1) rs = st ? (*st)[nd - 2] : s[nd - 1];
            using V = typename std::remove_cvref_t<decltype(leaf)>::value_type;
            return TinyRowEval<V>(leaf_data(leaf), rs, cs, nd >= 1 ? s[nd - 1] : 1);
        });
}

template <class T, class E>
bool run_tiny(const TensorView<T>& dst, const TensorView<const T>& a, const TensorView<const T>& b,
              const E& e) {
    if constexpr (!simd::is_simd_type<T>) {
        return false;
    } else {
        using B = simd::batch<T>;
        using Ev = decltype(bind_rows<T>(e));
        if constexpr (!Ev::simd) {
            return false;
        } else {
            constexpr index_t W = simd::width<T>;
            const index_t m = dst.shape()[0], n = dst.shape()[1], k = a.shape()[1], total = m * n;
            if (n > W || k < 1 || k > kTinyMaxK || total > kTinyMaxElements || !is_contiguous_run(dst) ||
                !tiny_path_matches_gemm())
                return false;
            const index_t bcs = n == 1 ? 1 : b.strides()[1];
            const index_t ars = a.strides()[0], acs = a.strides()[1];
            Ev ev = bind_rows<T>(e);
            // K fixed at compile time: B's rows stay in registers, the FMAs unroll.
            auto rows = [&]<index_t K>(std::integral_constant<index_t, K>) {
                Ev e = ev;  // a local copy the compiler can keep in registers
                B bv[K];
                for (index_t p = 0; p < K; ++p) bv[p] = simd::load_partial(b.data() + p * b.strides()[0], bcs, n);
                auto row = [&](index_t i, const T* ai) __attribute__((always_inline)) {
                    B acc(T(0));
#pragma GCC unroll 16
                    for (index_t p = 0; p < K; ++p) acc = simd::fma(B(ai[p * acs]), bv[p], acc);
                    set_product(e, acc);
                    e.seek(&i);
                    return e.load_partial(0, n);
                };
                // Spare lanes spill into the next rows (rewritten next) but never past C:
                // full stores while a whole vector fits, then the last rows' shorter ones.
                const index_t full = std::min(m, total >= W ? (total - W) / n + 1 : 0);
                const T* ai = a.data();
                T* ci = dst.data();
                index_t i = 0;
                for (; i < full; ++i, ai += ars, ci += n) row(i, ai).store_unaligned(ci);
                for (; i < m; ++i, ai += ars, ci += n) simd::store_strided(ci, 1, row(i, ai), total - i * n);
            };
            ev.prepare();
            [&]<index_t... K>(std::integer_sequence<index_t, K...>) {
                ((k == K + 1 ? rows(std::integral_constant<index_t, K + 1>{}) : void()), ...);
            }(std::make_integer_sequence<index_t, kTinyMaxK>{});
            return true;
        }
    }
}

template <class T, class C, class E>
bool run_fused(const TensorView<T>& dst, const C& c, const E& e) {
    const index_t nd = dst.ndim(), n = dst.shape()[nd - 1];
    // Every element reads exactly the product element it overwrites.
    const TensorView<const T> product(dst);
    auto ev = bind_leaves(
        e, [&] { return StridedEval<T>(product, dst.shape(), "assign"); },
        [&](const auto& leaf) { return leaf.bind(dst.shape(), "assign"); });
    using Ev = decltype(ev);

    // A contiguous C whose operands fit the flat form (narrow_rows.hpp): a
    // block of whole rows is then a range of the flat run, read through rows
    // of plan.len elements instead of one short row per matrix row.
    FlatPlan<T> plan;
    alignas(64) T tiles[kFlatMaxTiles * kFlatTile];  // only used tiles are written
    plan.tiles = tiles;
    using FlatEv = decltype(bind_flat(e, plan, static_cast<const T*>(nullptr)));
    std::optional<FlatLoop<T, FlatEv>> flat;
    if (is_contiguous_run(dst) && plan_flat(plan, dst.shape(), e, kFlatTile))
        flat.emplace(dst.data(), plan.len, bind_flat(e, plan, static_cast<const T*>(dst.data())));

    BlockEpilogue<T, Ev, FlatLoop<T, FlatEv>> blk{ev, dst.data(), dst.strides(), dst.shape(), false,
                                                     flat ? &*flat : nullptr};
    blk.ev.prepare();
    blk.unit = dst.strides()[nd - 1] == 1 || n == 1;
    blk.ev.visit_inner([&](index_t s) { blk.unit = blk.unit && s == 1; });
    const kernels::Epilogue<T> epi{&decltype(blk)::apply, &blk};
    return c.evaluate_with_epilogue(dst, T(1), T(0), &epi);
}

// The hook called by assign_unchecked (assign.hpp): true when dst = e was
// evaluated by a GEMM with a fused epilogue (or with alpha/beta alone).
template <class T, class E>
bool try_fused_gemm(const TensorView<T>& dst, const E& e) {
    if constexpr (computation_leaves<E>::value == 0) {
        return false;
    } else {
        using C = std::remove_cvref_t<decltype(the_computation(e))>;
        if constexpr (!EpilogueComputation<C, T> || !std::is_floating_point_v<T>) {
            return false;
        } else {
            const C& c = the_computation(e);
            // Several leaves may name the same computation (`where(mm > 0, mm, 0.01f * mm)`
            // with an lvalue mm): one product serves them all. Different ones: no.
            bool one = true;
            for_each_leaf(e, [&](const auto& leaf) {
                if constexpr (is_computation_leaf<std::remove_cvref_t<decltype(leaf)>>::value)
                    one = one && static_cast<const void*>(&leaf.computation()) == static_cast<const void*>(&c);
            });
            if (!one || dst.ndim() < 2 || !(Shape(c.shape()) == dst.shape()) || dst.size() == 0) return false;
            const auto range = hoc::detail::memory_range(dst);
            if (c.reads_memory(range.first, range.second)) return false;
            const GemmScalars<T> s = scalars_only(e, dst);
            if (s.ok) {
                if (!c.evaluate_with_epilogue(dst, s.alpha, s.beta, nullptr)) return false;
                fused_gemm_count.fetch_add(1, std::memory_order_relaxed);
                return true;
            }
            // The GEMM overwrites dst block by block while the epilogue reads the
            // other operands: none of them may share dst's memory.
            bool overlaps = false;
            for_each_leaf(e, [&](const auto& leaf) {
                if constexpr (MemoryLeaf<std::remove_cvref_t<decltype(leaf)>>)
                    if (hoc::detail::ranges_overlap(leaf_range(leaf), range.first, range.second))
                        overlaps = true;
            });
            if (overlaps) return false;
            if constexpr (requires { c.is_matrix_product(); }) {
                if (c.is_matrix_product() && dst.ndim() == 2 && run_tiny(dst, c.lhs(), c.rhs(), e)) {
                    fused_tiny_count.fetch_add(1, std::memory_order_relaxed);
                    fused_gemm_count.fetch_add(1, std::memory_order_relaxed);
                    return true;
                }
            }
            if (!run_fused(dst, c, e)) return false;
            fused_gemm_count.fetch_add(1, std::memory_order_relaxed);
            return true;
        }
    }
}

}  // namespace hoc::expr::detail

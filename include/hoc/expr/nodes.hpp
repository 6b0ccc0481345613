// The expression tree. Leaves: a view, a reference to a tensor, an owned
// (moved-in) tensor, a scalar, a Computation. Inner nodes: Map<Op, Args...>,
// one operation over its operands. Every node has value_type, shape() and
// bind(dst_shape) -> evaluator; building a node only checks shapes.
#pragma once

#include <concepts>
#include <memory>
#include <string>
#include <tuple>
#include <utility>

#include "hoc/core/overlap.hpp"
#include "hoc/core/shape.hpp"
#include "hoc/core/tensor_view.hpp"
#include "hoc/expr/concepts.hpp"
#include "hoc/expr/evaluators.hpp"

namespace hoc::expr {

// NumPy broadcasting of all operand shapes, with NumPy's message:
// "add: operands could not be broadcast together with shapes (2, 3) (4,): axis 1 has lengths 3 and 4".
// The slow walk below also builds the message; broadcast_all tries a cheaper pass first.
template <class... S>
    requires(std::same_as<S, Shape> && ...)
[[gnu::noinline]] Shape broadcast_all_walk(const char* op, const S&... shapes) {
    const Shape* list[] = {&shapes...};
    const Shape* widest = list[0];
    for (const Shape* s : list) widest = s->size() > widest->size() ? s : widest;
    index_t n = widest->size();
    Shape out = Shape::filled(n, 1);
    for (index_t i = 0; i < n; ++i) {
        index_t first = 1;
        for (const Shape* sp : list) {
            const Shape& s = *sp;
            const index_t k = i - (n - s.size());
            const index_t d = k >= 0 ? s[k] : 1;
            if (d == 1) continue;
            if (out[i] != 1 && out[i] != d) {
                std::string msg = cat(op, ": operands could not be broadcast together with shapes");
                for (const Shape* t : list) msg += cat(" ", shape_string(*t));
                throw ShapeError(cat(msg, ": axis ", std::to_string(i), " has lengths ", std::to_string(first),
                                     " and ", std::to_string(d)));
            }
            out[i] = first = d;
        }
    }
    return out;
}

template <class... S>
    requires(std::same_as<S, Shape> && ...)
Shape broadcast_all(const char* op, const S&... shapes) {
    const Shape* list[] = {&shapes...};
    const Shape* widest = list[0];
    for (const Shape* s : list) widest = s->size() > widest->size() ? s : widest;
    // Start from the widest shape and stretch its length-1 axes; any clash
    // goes to the walk above, which names the axis in NumPy's order.
    Shape out = *widest;
    const index_t n = out.size();
    for (const Shape* s : list) {
        if (s == widest) continue;
        const index_t off = n - s->size();
        for (index_t i = 0; i < s->size(); ++i) {
            const index_t d = (*s)[i];
            index_t& o = out[i + off];
            if (d == o || d == 1) continue;
            if (o != 1) return broadcast_all_walk(op, shapes...);
            o = d;
        }
    }
    return out;
}

// ---- leaves -------------------------------------------------------------------

// A view (held by value: a view is a pointer and a shape).
template <class T>
struct ViewLeaf {
    using value_type = T;
    using expression_tag = void;
    TensorView<const T> v;
    Shape shape() const { return v.shape(); }
    TensorView<const T> view() const { return v; }
    detail::StridedEval<T> bind(const Shape& dst, const char* op) const { return {v, dst, op}; }
};

// An lvalue tensor, held by reference: its data and shape are read when the
// expression is evaluated, so an expression stays valid if the tensor is reassigned.
template <class T>
struct TensorRefLeaf {
    using value_type = T;
    using expression_tag = void;
    const Tensor<T>* t;
    Shape shape() const { return t->shape(); }
    TensorView<const T> view() const { return t->view(); }
    detail::StridedEval<T> bind(const Shape& dst, const char* op) const { return {view(), dst, op}; }
};

// A temporary tensor moved into the expression: `hoc::exp(make_tensor()) + a` owns it.
template <class T>
struct OwnedLeaf {
    using value_type = T;
    using expression_tag = void;
    Tensor<T> t;
    Shape shape() const { return t.shape(); }
    TensorView<const T> view() const { return t.view(); }
    detail::StridedEval<T> bind(const Shape& dst, const char* op) const { return {view(), dst, op}; }
};

// A number (0-d: broadcasts to anything).
template <class T>
struct ScalarLeaf {
    using value_type = T;
    using expression_tag = void;
    T value;
    Shape shape() const { return Shape{}; }
    detail::ScalarEval<T> bind(const Shape&, const char*) const { return {value}; }
};

// A Computation (matmul, einsum, ...): evaluated ONCE into a temporary when the
// expression is bound, then read like a tensor. C is the computation type, or
// `const X&` for an lvalue computation held by reference.
template <class C>
struct ComputationLeaf {
    using computation_type = std::remove_cvref_t<C>;
    using value_type = typename computation_type::value_type;
    using expression_tag = void;
    C c;
    const computation_type& computation() const { return c; }
    Shape shape() const { return Shape(c.shape()); }
    detail::ComputationEval<value_type> bind(const Shape& dst, const char* op) const {
        auto result = std::make_shared<Tensor<value_type>>(Tensor<value_type>::uninitialized(shape()));
        c.evaluate_into(result->view());
        return {std::move(result), dst, op};
    }
};

namespace detail {

// A memory leaf's data, shape and strides (null: contiguous) without making
// a view (a tensor's view computes its strides).
template <class T> const T* leaf_data(const ViewLeaf<T>& l) { return l.v.data(); }
template <class T> const Shape& leaf_shape(const ViewLeaf<T>& l) { return l.v.shape(); }
template <class T> const Strides* leaf_strides(const ViewLeaf<T>& l) { return &l.v.strides(); }
template <class T> const T* leaf_data(const TensorRefLeaf<T>& l) { return l.t->data(); }
template <class T> const Shape& leaf_shape(const TensorRefLeaf<T>& l) { return l.t->shape(); }
template <class T> const Strides* leaf_strides(const TensorRefLeaf<T>&) { return nullptr; }
template <class T> const T* leaf_data(const OwnedLeaf<T>& l) { return l.t.data(); }
template <class T> const Shape& leaf_shape(const OwnedLeaf<T>& l) { return l.t.shape(); }
template <class T> const Strides* leaf_strides(const OwnedLeaf<T>&) { return nullptr; }

// [lo, hi) bytes a memory leaf reads (hoc::detail::memory_range of its view).
template <class T>
std::pair<const void*, const void*> leaf_range(const ViewLeaf<T>& l) { return hoc::detail::memory_range(l.v); }
template <class T>
std::pair<const void*, const void*> tensor_range(const Tensor<T>& t) {
    if (t.size() == 0) return {nullptr, nullptr};
    return {t.data(), t.data() + t.size()};
}
template <class T>
std::pair<const void*, const void*> leaf_range(const TensorRefLeaf<T>& l) { return tensor_range(*l.t); }
template <class T>
std::pair<const void*, const void*> leaf_range(const OwnedLeaf<T>& l) { return tensor_range(l.t); }

}  // namespace detail

// An lvalue expression, held by reference (an rvalue one is moved in instead).
template <class E>
struct ExprRef {
    using value_type = typename E::value_type;
    using expression_tag = void;
    const E* e;
    Shape shape() const { return e->shape(); }
    auto bind(const Shape& dst, const char* op) const { return e->bind(dst, op); }
};

// ---- the operation node ----------------------------------------------------------

template <class X> struct is_scalar_leaf : std::false_type {};
template <class T> struct is_scalar_leaf<ScalarLeaf<T>> : std::true_type {};

template <class E, class F>
void for_each_leaf(const E& e, F&& f);

namespace detail {

// out broadcast with s in place (NumPy's rule); false on a clash.
inline bool broadcast_into(Shape& out, const Shape& s) {
    const index_t n = out.size(), k = s.size();
    if (k > n) {
        Shape wide = s;
        if (!broadcast_into(wide, out)) return false;
        out = wide;
        return true;
    }
    for (index_t i = 0; i < k; ++i) {
        index_t& o = out[n - k + i];
        const index_t d = s[i];
        if (d == o || d == 1) continue;
        if (o != 1) return false;
        o = d;
    }
    return true;
}

// Broadcasts the shape of one leaf into out.
template <class L>
bool broadcast_leaf(Shape& out, const L& leaf) {
    if constexpr (is_scalar_leaf<L>::value) return true;
    else if constexpr (requires { leaf_shape(leaf); }) return broadcast_into(out, leaf_shape(leaf));
    else return broadcast_into(out, leaf.shape());
}

}  // namespace detail

template <class Op, class... Args>
struct Map {
    using op_type = Op;
    using value_type = typename Op::template result<typename Args::value_type...>;
    using expression_tag = void;
    // Numbers broadcast to anything: with at most one array operand there is
    // nothing to check and the shape is that operand's.
    static constexpr int arrays = (0 + ... + (is_scalar_leaf<Args>::value ? 0 : 1));

    template <class... A>
        requires(sizeof...(A) == sizeof...(Args) && (std::is_constructible_v<Args, A&&> && ...))
    explicit Map(A&&... a) : args(std::forward<A>(a)...) {
        if constexpr (arrays > 1)
            std::apply([](const auto&... x) { broadcast_all(Op::name, x.shape()...); }, args);
    }

    Shape shape() const {
        if constexpr (arrays <= 1) {
            constexpr std::size_t i = [] {
                std::size_t k = 0, found = 0;
                ((is_scalar_leaf<Args>::value ? (void)0 : (void)(found = k), ++k), ...);
                return found;
            }();
            if constexpr (arrays == 0) return Shape{};
            else return std::get<i>(args).shape();
        } else {
            // One pass over the leaves (broadcasting is associative), without the
            // inner nodes' shapes; a clash (a tensor resized since the node was
            // built) goes through the nodes again for NumPy's message.
            Shape out;
            bool ok = true;
            for_each_leaf(*this, [&](const auto& leaf) { ok = ok && detail::broadcast_leaf(out, leaf); });
            if (ok) return out;
            return std::apply([](const auto&... x) { return broadcast_all(Op::name, x.shape()...); }, args);
        }
    }
    auto bind(const Shape& dst, const char* op) const {
        return std::apply(
            [&](const auto&... x) {
                return detail::MapEval<Op, decltype(x.bind(dst, op))...>{{x.bind(dst, op)...}};
            },
            args);
    }

    std::tuple<Args...> args;
};

// ---- inspecting a tree ---------------------------------------------------------------

template <class X> struct is_map : std::false_type {};
template <class Op, class... A> struct is_map<Map<Op, A...>> : std::true_type {};
template <class X> struct is_expr_ref : std::false_type {};
template <class E> struct is_expr_ref<ExprRef<E>> : std::true_type {};
template <class X> struct is_computation_leaf : std::false_type {};
template <class C> struct is_computation_leaf<ComputationLeaf<C>> : std::true_type {};

// How many Computation leaves (matmul, einsum, ...) a tree has.
template <class E> struct computation_leaves : std::integral_constant<int, is_computation_leaf<E>::value ? 1 : 0> {};
template <class Op, class... A>
struct computation_leaves<Map<Op, A...>> : std::integral_constant<int, (computation_leaves<A>::value + ... + 0)> {};
template <class E> struct computation_leaves<ExprRef<E>> : computation_leaves<E> {};

// A leaf that reads memory through a view (tensor, view, owned tensor).
template <class L>
concept MemoryLeaf = requires(const L& l) { l.view(); };

// Calls f(leaf) for every leaf of e, left to right (through ExprRef, Map).
template <class E, class F>
void for_each_leaf(const E& e, F&& f) {
    if constexpr (is_map<E>::value)
        std::apply([&](const auto&... x) { (for_each_leaf(x, f), ...); }, e.args);
    else if constexpr (is_expr_ref<E>::value)
        for_each_leaf(*e.e, f);
    else
        f(e);
}

// e's evaluator tree with its leaves bound by the caller: comp() for the
// computation leaf, mem(leaf) for each memory leaf (left to right), numbers
// as themselves. The flat-run, tiny-row and fused-block bindings are this walk.
template <class E, class Comp, class Mem>
auto bind_leaves(const E& e, const Comp& comp, const Mem& mem) {
    if constexpr (is_map<E>::value) {
        return std::apply(
            [&](const auto&... a) {
                // Braced initialisation: the leaves bind left to right.
                return detail::MapEval<typename E::op_type, decltype(bind_leaves(a, comp, mem))...>{
                    {bind_leaves(a, comp, mem)...}};
            },
            e.args);
    } else if constexpr (is_expr_ref<E>::value) {
        return bind_leaves(*e.e, comp, mem);
    } else if constexpr (is_computation_leaf<E>::value) {
        return comp();
    } else if constexpr (MemoryLeaf<E>) {
        return mem(e);
    } else {
        static_assert(is_scalar_leaf<E>::value, "hoc: a leaf that is neither memory, a computation nor a number");
        return detail::ScalarEval<typename E::value_type>{e.value};
    }
}

// ---- making nodes from operands ------------------------------------------------------

// The node an operand becomes: lvalue tensors and expressions by reference,
// rvalue ones moved in, views by value, computations as ComputationLeaf.
template <class X>
auto as_node(X&& x) {
    using D = std::remove_cvref_t<X>;
    if constexpr (is_tensor<D>::value) {
        using T = typename D::value_type;
        if constexpr (std::is_lvalue_reference_v<X>) return TensorRefLeaf<T>{&x};
        else return OwnedLeaf<T>{Tensor<T>(std::move(x))};
    } else if constexpr (is_view<D>::value) {
        using T = typename D::value_type;
        return ViewLeaf<T>{TensorView<const T>(x)};
    } else if constexpr (Expression<D>) {
        if constexpr (std::is_lvalue_reference_v<X>) return ExprRef<D>{&x};
        else return D(std::move(x));
    } else {
        static_assert(ComputationLike<D>, "hoc: not an array operand");
        if constexpr (std::is_lvalue_reference_v<X>) return ComputationLeaf<const D&>{x};
        else return ComputationLeaf<D>{std::move(x)};
    }
}

template <class X> using node_t = decltype(as_node(std::declval<X>()));

// The node converted to element type P (unchanged when it already is P).
template <class P, class N>
auto cast_node(N&& n) {
    using D = std::remove_cvref_t<N>;
    if constexpr (std::is_same_v<typename D::value_type, P>) return D(std::forward<N>(n));
    else return Map<ops::Cast<P>, D>(D(std::forward<N>(n)));
}

template <class P, class S>
ScalarLeaf<P> scalar_node(S s) {
    return {ops::Cast<P>::apply(s)};
}

}  // namespace hoc::expr

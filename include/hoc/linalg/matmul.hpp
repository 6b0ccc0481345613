// hoc::matmul and hoc::dot with numpy.matmul / numpy.dot semantics, on the
// packed GEMM (hoc/kernels/gemm.hpp). Strided and transposed views go to the
// kernel as strides, never copied. Results are lazy Computations: nothing
// runs until assigned, so `c = hoc::matmul(a, b);` into a c of the right
// shape writes straight into c's buffer (and through a temporary only when c
// is also an operand).
#pragma once

#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "hoc/core.hpp"
#include "hoc/kernels/gemm.hpp"

namespace hoc {
namespace detail::matmul_impl {

template <class X>
using value_of = typename std::remove_cvref_t<X>::value_type;

// Whether operand_view views X where it is (an lvalue tensor or a view), or
// needs a tensor to keep it in.
template <class T, class X>
inline constexpr bool viewed_in_place =
    (std::is_same_v<std::remove_cvref_t<X>, Tensor<T>> && std::is_lvalue_reference_v<X>) ||
    (!std::is_same_v<std::remove_cvref_t<X>, Tensor<T>> &&
     std::is_convertible_v<const std::remove_cvref_t<X>&, TensorView<const T>>);

// A read-only view of an operand. A temporary Tensor, a Computation or an
// expression is materialised into *keep (null when viewed_in_place), so the
// result never dangles.
template <class T, class X>
TensorView<const T> operand_view(X&& x, Tensor<T>* keep) {
    using D = std::remove_cvref_t<X>;
    if constexpr (viewed_in_place<T, X>) {
        if constexpr (std::is_same_v<D, Tensor<T>>) return x.cview();
        else return TensorView<const T>(x);
    } else if constexpr (std::is_same_v<D, Tensor<T>>) {
        *keep = std::move(x);
        return keep->cview();
    } else {
        *keep = Tensor<T>(std::forward<X>(x));
        return keep->cview();
    }
}

inline std::string not_aligned(const char* op, const Shape& a, const Shape& b, index_t ka,
                               index_t da, index_t kb, index_t db) {
    return std::string(op) + ": shapes " + shape_string(a) + " and " + shape_string(b) +
           " not aligned: " + std::to_string(ka) + " (dim " + std::to_string(da) +
           ") != " + std::to_string(kb) + " (dim " + std::to_string(db) + ")";
}

// Core sizes of a matmul after NumPy's 1-D promotion, checked; `out` gets
// the result shape. The batch shape is recomputed where it is needed
// (batch_shape): a plan is small because every result node carries one.
struct MatmulPlan {
    index_t m = 0, n = 0, k = 0;
    bool a_vec = false, b_vec = false;  // 1-D operand: that axis leaves the result

    MatmulPlan() = default;
    MatmulPlan(const Shape& a, const Shape& b, Shape& out) {
        if (a.size() == 0 || b.size() == 0)
            throw ShapeError("matmul: input operand " + std::string(a.size() == 0 ? "0" : "1") +
                             " does not have enough dimensions (a 0-d array; use multiply)");
        a_vec = a.size() == 1, b_vec = b.size() == 1;
        m = a_vec ? 1 : a[a.size() - 2];
        k = a.back();
        const index_t kb = b_vec ? b[0] : b[b.size() - 2];
        n = b_vec ? 1 : b.back();
        if (k != kb)
            throw ShapeError(not_aligned("matmul", a, b, k, a.size() - 1, kb,
                                         b_vec ? 0 : b.size() - 2));
        if (a.size() <= 2 && b.size() <= 2) out = Shape{};
        else out = batch_shape(a, b);
        if (!a_vec) out.push_back(m);
        if (!b_vec) out.push_back(n);
    }
    // The broadcast batch shape (the axes before the core ones).
    static Shape batch_shape(const Shape& a, const Shape& b) {
        if (a.size() <= 2 && b.size() <= 2) return Shape{};
        const Shape ab(std::span<const index_t>(a.begin(), a.size() == 1 ? a.begin() : a.end() - 2));
        const Shape bb(std::span<const index_t>(b.begin(), b.size() == 1 ? b.begin() : b.end() - 2));
        return broadcast_shapes(ab, bb, "matmul");
    }
};

// The 2-D core of an operand seen as a rows x cols matrix (a 1-D operand is
// a row of A or a column of B), with any unit-length axis given stride 1 so
// the kernel's unit-stride fast paths apply.
template <class T>
kernels::MatrixRef<const T> core_ref(const TensorView<const T>& v, bool vec, bool as_row) {
    const index_t nd = v.ndim();
    index_t rs, cs;
    if (vec) {
        rs = as_row ? 1 : v.strides()[0];
        cs = as_row ? v.strides()[0] : 1;
    } else {
        rs = v.shape()[nd - 2] == 1 ? 1 : v.strides()[nd - 2];
        cs = v.shape()[nd - 1] == 1 ? 1 : v.strides()[nd - 1];
    }
    return {v.data(), rs, cs};
}

// Element offset of each batch entry of v (its leading axes broadcast to
// `batch`; a broadcast axis has stride 0).
template <class E>
void batch_offsets(const TensorView<E>& v, index_t core_axes, const Shape& batch,
                   std::vector<index_t>& out) {
    const index_t nb = batch.size(), own = v.ndim() - core_axes;
    index_t total = 1;
    for (index_t d : batch) total *= d;
    out.assign(static_cast<std::size_t>(total), 0);
    std::vector<index_t> idx(static_cast<std::size_t>(nb), 0);
    for (index_t p = 0; p < total; ++p) {
        index_t off = 0;
        for (index_t ax = 0; ax < nb; ++ax) {
            const index_t vax = ax - (nb - own);
            if (vax >= 0 && v.shape()[vax] != 1) off += idx[ax] * v.strides()[vax];
        }
        out[static_cast<std::size_t>(p)] = off;
        for (index_t ax = nb - 1; ax >= 0; --ax) {
            if (++idx[ax] < batch[ax]) break;
            idx[ax] = 0;
        }
    }
}

template <class T>
void run_matmul(const TensorView<const T>& a, const TensorView<const T>& b, const MatmulPlan& plan,
                TensorView<T> dst, T alpha = T(1), T beta = T(0),
                const kernels::Epilogue<T>* epilogue = nullptr) {
    const index_t total = checked_size(dst.shape());
    if (total == 0) return;
    const auto ar = core_ref(a, plan.a_vec, true);
    const auto br = core_ref(b, plan.b_vec, false);
    // C's core: rows are the result's axis -2 (absent when a is 1-D), columns its last.
    const index_t nd = dst.ndim();
    const index_t crs = plan.a_vec || plan.m == 1 ? 1 : dst.strides()[nd - (plan.b_vec ? 1 : 2)];
    const index_t ccs = plan.b_vec || plan.n == 1 ? 1 : dst.strides()[nd - 1];
    const kernels::MatrixRef<T> cr{dst.data(), crs, ccs};
    if (a.ndim() <= 2 && b.ndim() <= 2) {
        kernels::gemm<T>(plan.m, plan.n, plan.k, alpha, ar, br, beta, cr, epilogue);
        return;
    }
    const Shape batch = MatmulPlan::batch_shape(a.shape(), b.shape());
    index_t nbatch = 1;
    for (index_t d : batch) nbatch *= d;
    if (nbatch == 1) {
        kernels::gemm<T>(plan.m, plan.n, plan.k, alpha, ar, br, beta, cr, epilogue);
        return;
    }
    std::vector<index_t> ao, bo, co;
    batch_offsets(a, plan.a_vec ? 1 : 2, batch, ao);
    batch_offsets(b, plan.b_vec ? 1 : 2, batch, bo);
    batch_offsets(dst, (plan.a_vec ? 0 : 1) + (plan.b_vec ? 0 : 1), batch, co);
    kernels::gemm_batched<T>(nbatch, plan.m, plan.n, plan.k, alpha, ar, ao.data(), br, bo.data(),
                             beta, cr, co.data(), epilogue);
}

// numpy.dot for N-D operands: out[i..., j..., n] = sum_p a[i..., p] b[j..., p, n].
// A's leading axes become rows through an offset table; one GEMM per batch
// entry of b.
template <class T>
void run_dot_nd(const TensorView<const T>& a, const TensorView<const T>& b, TensorView<T> dst) {
    if (checked_size(dst.shape()) == 0) return;
    const index_t na = a.ndim(), nb = b.ndim();
    const Shape lead(std::span<const index_t>(a.shape().begin(), a.shape().end() - 1));
    const TensorView<const T> a_lead(a.data(), lead,
                                     Shape(std::span<const index_t>(a.strides().begin(),
                                                                    a.strides().end() - 1)));
    std::vector<index_t> arow, crow, bo;
    batch_offsets(a_lead, 0, lead, arow);
    const index_t m = static_cast<index_t>(arow.size()), k = a.shape()[na - 1];
    const index_t n = nb == 1 ? 1 : b.shape()[nb - 1];
    // dst axes: lead (na-1), b batch (nb-2), n (1 if nb >= 2).
    const index_t nd = dst.ndim();
    const Shape dlead(std::span<const index_t>(dst.shape().begin(), dst.shape().begin() + (na - 1)));
    const TensorView<T> d_lead(dst.data(), dlead,
                               Shape(std::span<const index_t>(dst.strides().begin(),
                                                              dst.strides().begin() + (na - 1))));
    batch_offsets(d_lead, 0, dlead, crow);
    const index_t ccs = nb == 1 ? 1 : dst.strides()[nd - 1];
    const auto br = core_ref(b, nb == 1, false);
    if (nb <= 2) {
        kernels::gemm<T>(m, n, k, T(1), {a.data(), 0, a.strides()[na - 1], arow.data(), nullptr},
                         br, T(0), {dst.data(), 0, ccs, crow.data(), nullptr});
        return;
    }
    const Shape bbatch(std::span<const index_t>(b.shape().begin(), b.shape().end() - 2));
    batch_offsets(b, 2, bbatch, bo);
    const Shape dbatch(std::span<const index_t>(dst.shape().begin() + (na - 1), dst.shape().end() - 1));
    const TensorView<T> d_b(dst.data(), dbatch,
                            Shape(std::span<const index_t>(dst.strides().begin() + (na - 1),
                                                           dst.strides().end() - 1)));
    std::vector<index_t> dbo;
    batch_offsets(d_b, 0, dbatch, dbo);
    for (std::size_t q = 0; q < bo.size(); ++q) {
        kernels::MatrixRef<const T> bq = br;
        bq.data += bo[q];
        kernels::gemm<T>(m, n, k, T(1), {a.data(), 0, a.strides()[na - 1], arow.data(), nullptr},
                         bq, T(0), {dst.data() + dbo[q], 0, ccs, crow.data(), nullptr});
    }
}

}  // namespace detail::matmul_impl

// The lazy result of matmul / dot (a Computation, see hoc/core/computation.hpp).
// Holds views of its operands (and owns any temporary it was built from).
template <class T>
class MatmulResult {
public:
    using value_type = T;
    using computation_tag = void;

    enum class Kind { matmul, dot_nd, scale };

    MatmulResult(Kind kind, const TensorView<const T>& a, const TensorView<const T>& b, Tensor<T>&& keep_a,
                 Tensor<T>&& keep_b)
        : kind_(kind), a_(a), b_(b) {
        if (keep_a.size() || keep_b.size())  // the views point into them
            keep_ = std::make_unique<Keep>(Keep{std::move(keep_a), std::move(keep_b)});
        describe();
    }
    // The operands' views built in place: every small product passes here,
    // and copying a view just after it was written stalls (its 136-byte
    // shapes were stored in 8-byte pieces, then read back in wide loads).
    template <class A, class B>
    MatmulResult(Kind kind, A&& a, B&& b)
        : kind_(kind),
          keep_(detail::matmul_impl::viewed_in_place<T, A> && detail::matmul_impl::viewed_in_place<T, B>
                    ? nullptr
                    : std::make_unique<Keep>()),
          a_(detail::matmul_impl::operand_view<T>(std::forward<A>(a), keep_ ? &keep_->a : nullptr)),
          b_(detail::matmul_impl::operand_view<T>(std::forward<B>(b), keep_ ? &keep_->b : nullptr)) {
        describe();
    }
    // Views may point into the kept tensors: moving keeps those buffers.
    MatmulResult(MatmulResult&&) noexcept = default;
    MatmulResult(const MatmulResult&) = delete;
    MatmulResult& operator=(const MatmulResult&) = delete;

    Shape shape() const { return shape_; }
    bool reads_memory(const void* lo, const void* hi) const {
        return detail::reads_memory(a_, lo, hi) || detail::reads_memory(b_, lo, hi);
    }
    void evaluate_into(TensorView<T> dst) const {
        switch (kind_) {
            case Kind::matmul: detail::matmul_impl::run_matmul(a_, b_, plan_, dst); break;
            case Kind::dot_nd: detail::matmul_impl::run_dot_nd(a_, b_, dst); break;
            case Kind::scale: scale_into(dst); break;
        }
    }
    // Hook for hoc/expr/fused_gemm.hpp (issue 7): dst = alpha*product + beta*dst, calling
    // `epilogue` on each finished block of dst's last two axes (batch = row-major index over
    // dst's leading axes). Only Kind::matmul with both operands at least 2-D; otherwise
    // returns false and writes nothing.
    bool evaluate_with_epilogue(TensorView<T> dst, T alpha, T beta,
                                const kernels::Epilogue<T>* epilogue) const {
        if (kind_ != Kind::matmul || plan_.a_vec || plan_.b_vec) return false;
        detail::matmul_impl::run_matmul(a_, b_, plan_, dst, alpha, beta, epilogue);
        return true;
    }
    // For fused_gemm.hpp's tiny-product path: a plain product of two matrices
    // (2-D by 2-D), and its operands.
    bool is_matrix_product() const { return kind_ == Kind::matmul && a_.ndim() == 2 && b_.ndim() == 2; }
    const TensorView<const T>& lhs() const { return a_; }
    const TensorView<const T>& rhs() const { return b_; }

private:
    void describe() {
        if (kind_ == Kind::dot_nd) shape_ = dot_shape(a_.shape(), b_.shape());
        else if (kind_ == Kind::scale) shape_ = a_.ndim() == 0 ? b_.shape() : a_.shape();
        else plan_ = detail::matmul_impl::MatmulPlan(a_.shape(), b_.shape(), shape_);
    }
    static Shape dot_shape(const Shape& a, const Shape& b) {
        const index_t ka = a.back(), kb = b.size() == 1 ? b[0] : b[b.size() - 2];
        if (ka != kb)
            throw ShapeError(detail::matmul_impl::not_aligned("dot", a, b, ka, a.size() - 1, kb,
                                                              b.size() == 1 ? 0 : b.size() - 2));
        std::vector<index_t> o(a.begin(), a.end() - 1);
        if (b.size() >= 2) {
            o.insert(o.end(), b.begin(), b.end() - 2);
            o.push_back(b.back());
        }
        return Shape(std::span<const index_t>(o.data(), o.size()));
    }
    // numpy.dot with a 0-d operand multiplies.
    void scale_into(TensorView<T> dst) const {
        const bool a_scalar = a_.ndim() == 0;
        const T s = a_scalar ? *a_.data() : *b_.data();
        const TensorView<const T>& v = a_scalar ? b_ : a_;
        Tensor<T> tmp(v);  // contiguous copy, then scale into dst
        for (index_t i = 0; i < tmp.size(); ++i) tmp.data()[i] *= s;
        dst = tmp.view();
    }

    // Temporaries the operands were made from (rare: an lvalue operand is only viewed),
    // on the heap so that moving a result into an expression node stays cheap.
    struct Keep {
        Tensor<T> a, b;
    };

    Kind kind_;
    std::unique_ptr<Keep> keep_;  // before the views, which may point into it
    TensorView<const T> a_, b_;
    detail::matmul_impl::MatmulPlan plan_;
    Shape shape_;
};

// numpy.matmul: 1-D operands promoted (the added axis removed from the
// result), batch axes broadcast, inner axes must match (ShapeError).
template <class A, class B>
    requires RealFloat<detail::matmul_impl::value_of<A>> &&
             std::is_same_v<detail::matmul_impl::value_of<A>, detail::matmul_impl::value_of<B>>
MatmulResult<detail::matmul_impl::value_of<A>> matmul(A&& a, B&& b) {
    using T = detail::matmul_impl::value_of<A>;
    return MatmulResult<T>(MatmulResult<T>::Kind::matmul, std::forward<A>(a), std::forward<B>(b));
}

// numpy.matmul(a, b, out=out): out must have the exact result shape; it may
// overlap a or b (then the product goes through a temporary).
template <class A, class B, class O>
    requires RealFloat<detail::matmul_impl::value_of<A>>
void matmul(A&& a, B&& b, O&& out) {
    using T = detail::matmul_impl::value_of<A>;
    const MatmulResult<T> r = matmul(std::forward<A>(a), std::forward<B>(b));
    TensorView<T> dst = as_view(out);
    if (!(dst.shape() == r.shape()))
        throw ShapeError("matmul: output shape " + shape_string(dst.shape()) +
                         " does not match the result shape " + shape_string(r.shape()));
    const auto [lo, hi] = detail::memory_range(dst);
    if (r.reads_memory(lo, hi)) {
        Tensor<T> tmp(r);
        dst = tmp.view();
    } else {
        r.evaluate_into(dst);
    }
}

// numpy.dot: 1-D . 1-D is a 0-d inner product; 2-D . 2-D is matmul; N-D sums
// over the last axis of a and the second-to-last of b; a 0-d operand multiplies.
template <class A, class B>
    requires RealFloat<detail::matmul_impl::value_of<A>> &&
             std::is_same_v<detail::matmul_impl::value_of<A>, detail::matmul_impl::value_of<B>>
MatmulResult<detail::matmul_impl::value_of<A>> dot(A&& a, B&& b) {
    using T = detail::matmul_impl::value_of<A>;
    using R = MatmulResult<T>;
    Tensor<T> ka, kb;
    const TensorView<const T> va = detail::matmul_impl::operand_view<T>(std::forward<A>(a), &ka);
    const TensorView<const T> vb = detail::matmul_impl::operand_view<T>(std::forward<B>(b), &kb);
    if (va.ndim() == 0 || vb.ndim() == 0)
        return R(R::Kind::scale, va, vb, std::move(ka), std::move(kb));
    if (va.ndim() <= 2 && vb.ndim() <= 2) {  // the same as matmul, with dot's error text
        if (va.shape().back() != vb.shape()[0])
            throw ShapeError(detail::matmul_impl::not_aligned(
                "dot", va.shape(), vb.shape(), va.shape().back(), va.ndim() - 1, vb.shape()[0], 0));
        return R(R::Kind::matmul, va, vb, std::move(ka), std::move(kb));
    }
    return R(R::Kind::dot_nd, va, vb, std::move(ka), std::move(kb));
}

}  // namespace hoc

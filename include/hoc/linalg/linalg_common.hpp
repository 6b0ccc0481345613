// Shared pieces of hoc::linalg: the compiled kernels' interface (kernels/linalg/),
// operand capture for the lazy front ends, shape checks with NumPy-like
// messages, and the walk over the batch axes of (..., n, n) stacks.
#pragma once

#include <complex>
#include <concepts>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "hoc/core.hpp"

namespace hoc {

// ---- compiled kernels (float and double; kernels/linalg/*.cpp) -------------------------
// Matrices are row-major with a row stride (`ld*`) and unit column stride unless
// a column stride is passed too.
namespace kernels {

// Matrices up to this order take the unblocked, allocation-free path.
inline constexpr index_t kSmallOrder = 16;

// LU with partial pivoting, in place: P·A = L·U (L unit lower, U upper), as LAPACK's
// getrf. piv[k] is the row swapped with row k at step k (0-based). Returns 0, or k+1
// for the first exactly zero U(k, k) (the factorization is completed anyway).
// Recursive and blocked: the updates are TRSM + hoc's GEMM. No heap use for n <= 16.
template <class T>
index_t lu_factor(index_t n, T* a, index_t lda, index_t* piv);

// Solves A·X = B from lu_factor's output; B (n x nrhs, row stride ldb) becomes X.
template <class T>
void lu_solve(index_t n, const T* lu, index_t lda, const index_t* piv, index_t nrhs, T* b,
              index_t ldb);

// Writes inv(A) from lu_factor's output into x (element (i, j) at x[i*rsx + j*csx]).
template <class T>
void lu_inverse(index_t n, const T* lu, index_t lda, const index_t* piv, T* x, index_t rsx,
                index_t csx);

// inv(A) for n <= kSmallOrder straight from A (any strides) into x: fixed-size
// Gauss–Jordan with partial pivoting, no heap, compiled per ISA. Returns false
// (x untouched) when a pivot is exactly zero.
template <class T>
bool small_inverse(index_t n, const T* a, index_t rsa, index_t csa, T* x, index_t rsx, index_t csx);

// det(A) = sign(P)·prod(diag U), accumulated as mantissa and exponent so the
// product over- or underflows only if the true value does.
template <class T>
T lu_determinant(index_t n, const T* lu, index_t lda, const index_t* piv);

// Triangular solves with many right-hand sides, B (m x n, row stride ldb) in place:
// L·X = B with L unit lower (m x m), and U·X = B with U upper (m x m).
template <class T>
void trsm_lower_unit(index_t m, index_t n, const T* l, index_t ldl, T* b, index_t ldb);
template <class T>
void trsm_upper(index_t m, index_t n, const T* u, index_t ldu, T* b, index_t ldb);

// Eigen-decomposition of a general real matrix a (n x n, destroyed). w gets the n
// eigenvalues (complex conjugate pairs adjacent, positive imaginary part first);
// when v is not null its columns (row stride ldv) get unit-norm eigenvectors with
// their largest component real, as LAPACK's geev. Returns false when the QR
// iteration does not converge.
template <class T>
bool eig(index_t n, T* a, index_t lda, std::complex<T>* w, std::complex<T>* v, index_t ldv);

// Symmetric eigen-decomposition from the lower triangle of a (n x n, destroyed):
// ascending eigenvalues in w, and when v is not null orthonormal eigenvectors as
// its columns (row stride ldv). Returns false when the QL iteration does not converge.
template <class T>
bool eigh(index_t n, T* a, index_t lda, T* w, T* v, index_t ldv);

}  // namespace kernels

namespace linalg::detail {

// ---- operands ---------------------------------------------------------------------
// A linalg function takes a Tensor, a TensorView (any strides) or anything a Tensor
// can be built from (an element-wise expression). Lvalue tensors and views are read
// in place when the result is evaluated; temporaries are kept alive by the result.
template <class A>
using operand_value_t = std::remove_const_t<typename std::remove_cvref_t<A>::value_type>;

template <class A>
concept LinalgOperand = requires { typename std::remove_cvref_t<A>::value_type; } &&
                        RealFloat<operand_value_t<A>> &&
                        (std::constructible_from<Tensor<operand_value_t<A>>, A> ||
                         std::convertible_to<A, TensorView<const operand_value_t<A>>>);

template <class T>
class Operand {
public:
    Operand(const Tensor<T>& t) : view_(t.view()) {}
    Operand(TensorView<T> v) : view_(v) {}
    Operand(TensorView<const T> v) : view_(v) {}
    Operand(Tensor<T>&& t) : Operand(std::make_shared<const Tensor<T>>(std::move(t))) {}
    template <class E>
        requires(!std::convertible_to<E, TensorView<const T>> && std::constructible_from<Tensor<T>, E>)
    Operand(E&& e) : Operand(std::make_shared<const Tensor<T>>(std::forward<E>(e))) {}
    Operand(const Operand&) = default;
    // (A view's assignment writes through, so an Operand is never re-seated.)
    Operand& operator=(const Operand&) = delete;

    const TensorView<const T>& view() const { return view_; }

private:
    explicit Operand(std::shared_ptr<const Tensor<T>> owned) : owned_(std::move(owned)), view_(owned_->view()) {}

    std::shared_ptr<const Tensor<T>> owned_;  // shared: results stay cheap to copy
    TensorView<const T> view_;
};

// ---- shapes -------------------------------------------------------------------------
// (..., n, n): throws ShapeError naming `op` and the shape otherwise; returns n.
inline index_t square_order(const Shape& s, const char* op) {
    if (s.size() < 2)
        throw ShapeError(std::string(op) + ": array of shape " + shape_string(s) + " has " +
                         std::to_string(s.size()) +
                         " dimension(s); at least 2 are needed, (..., n, n)");
    const index_t r = s[s.size() - 2], c = s[s.size() - 1];
    if (r != c)
        throw ShapeError(std::string(op) + ": last 2 dimensions of the array must be square, got " +
                         shape_string(s) + ": " + std::to_string(r) + " (dim " +
                         std::to_string(s.size() - 2) + ") != " + std::to_string(c) + " (dim " +
                         std::to_string(s.size() - 1) + ")");
    return r;
}

inline Shape leading_axes(const Shape& s, index_t drop) {
    Shape b;
    for (index_t i = 0; i + drop < s.size(); ++i) b.push_back(s[i]);
    return b;
}

// Element offsets of every matrix of a stack, enumerated over `batch` (row-major
// order), for an operand whose leading axes `own` broadcast to it (right-aligned).
inline std::vector<index_t> batch_offsets(const Shape& batch, const Shape& own, const Strides& strides) {
    const index_t count = checked_size(batch);
    std::vector<index_t> out(static_cast<std::size_t>(count), 0);
    const index_t nb = batch.size(), shift = nb - own.size();
    Shape idx = Shape::filled(nb, 0);
    for (index_t f = 0; f < count; ++f) {
        index_t off = 0;
        for (index_t ax = shift; ax < nb; ++ax)
            if (own[ax - shift] != 1) off += idx[ax] * strides[ax - shift];
        out[static_cast<std::size_t>(f)] = off;
        for (index_t ax = nb - 1; ax >= 0; --ax) {
            if (++idx[ax] < batch[ax]) break;
            idx[ax] = 0;
        }
    }
    return out;
}

// Copies the n x m matrix at src (strides rs, cs) into dst (row stride ldd, unit column stride).
template <class T>
void copy_matrix(index_t n, index_t m, const T* src, index_t rs, index_t cs, T* dst, index_t ldd) {
    for (index_t i = 0; i < n; ++i) {
        const T* s = src + i * rs;
        T* d = dst + i * ldd;
        if (cs == 1)
            for (index_t j = 0; j < m; ++j) d[j] = s[j];
        else
            for (index_t j = 0; j < m; ++j) d[j] = s[j * cs];
    }
}

[[noreturn]] inline void throw_singular() { throw LinAlgError("Singular matrix"); }

}  // namespace linalg::detail
}  // namespace hoc

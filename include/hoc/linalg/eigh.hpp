// hoc::linalg::eigh / eigvalsh: symmetric eigen-decomposition (numpy.linalg.eigh
// with UPLO='L': only the lower triangle is read). Householder tridiagonalization
// and implicit QL (kernels/linalg/eig_symmetric.cpp); ascending eigenvalues,
// orthonormal eigenvectors as columns.
#pragma once

#include "hoc/linalg/eig.hpp"

namespace hoc::linalg {

template <RealFloat T>
struct EighResult {
    Tensor<T> eigenvalues;   // (..., n), ascending
    Tensor<T> eigenvectors;  // (..., n, n), column i goes with eigenvalue i
};

namespace detail {

template <class T>
EighResult<T> eigh_of(const TensorView<const T>& a, bool vectors) {
    const index_t n = square_order(a.shape(), vectors ? "eigh" : "eigvalsh");
    Shape ws = leading_axes(a.shape(), 2);
    ws.push_back(n);
    EighResult<T> r{Tensor<T>::uninitialized(ws), vectors ? Tensor<T>::uninitialized(a.shape()) : Tensor<T>()};
    T* w = r.eigenvalues.data();
    T* v = vectors ? r.eigenvectors.data() : nullptr;
    for_each_matrix<T>(a, n, "Eigenvalues did not converge", [&](index_t p, T* m) {
        return kernels::eigh(n, m, n, w + p * n, v ? v + p * n * n : nullptr, n);
    });
    return r;
}

}  // namespace detail

// eigh(a), a symmetric (lower triangle used) of shape (..., n, n).
template <detail::LinalgOperand A>
EighResult<detail::operand_value_t<A>> eigh(A&& a) {
    using T = detail::operand_value_t<A>;
    const detail::Operand<T> op(std::forward<A>(a));
    return detail::eigh_of<T>(op.view(), true);
}

// Only the ascending eigenvalues (..., n).
template <detail::LinalgOperand A>
Tensor<detail::operand_value_t<A>> eigvalsh(A&& a) {
    using T = detail::operand_value_t<A>;
    const detail::Operand<T> op(std::forward<A>(a));
    return std::move(detail::eigh_of<T>(op.view(), false).eigenvalues);
}

}  // namespace hoc::linalg

// hoc::linalg::eig / eigvals: eigenvalues and right eigenvectors of general real
// matrices (numpy.linalg.eig): balancing, Hessenberg reduction, Francis double-
// shift QR, back-substitution (kernels/linalg/eig_general.cpp). Results are
// complex, as NumPy's are when any eigenvalue is complex; eigenvectors are the
// columns, of unit 2-norm with their largest component real (LAPACK's geev).
#pragma once

#include <atomic>
#include <cmath>
#include <complex>

#include "hoc/linalg/lu.hpp"

namespace hoc::linalg {

template <RealFloat T>
struct EigResult {
    Tensor<std::complex<T>> eigenvalues;   // (..., n), in the Schur form's order
    Tensor<std::complex<T>> eigenvectors;  // (..., n, n), column i goes with eigenvalue i
};

namespace detail {

// Runs kernel(p, matrix copy, n) for every matrix of a stack, in parallel;
// throws LinAlgError(message) if any call returns false.
template <class T, class F>
void for_each_matrix(const TensorView<const T>& a, index_t n, const char* message, F&& kernel) {
    const Shape batch = leading_axes(a.shape(), 2);
    const index_t count = checked_size(batch);
    if (count == 0 || n == 0) return;
    const std::vector<index_t> offsets = batch_offsets(batch, batch, leading_axes(a.strides(), 2));
    const index_t rs = a.strides()[a.ndim() - 2], cs = a.strides()[a.ndim() - 1];
    std::atomic<bool> failed{false}, nonfinite{false};
    hoc::detail::parallel_for(0, count, std::max<index_t>(1, 64 / (n * n + 1)), [&](index_t lo, index_t hi) {
        std::vector<T> work(static_cast<std::size_t>(n * n));
        for (index_t p = lo; p < hi; ++p) {
            copy_matrix(n, n, a.data() + offsets[static_cast<std::size_t>(p)], rs, cs, work.data(), n);
            bool finite = true;
            for (const T x : work) finite &= std::isfinite(x);
            if (!finite)
                nonfinite.store(true, std::memory_order_relaxed);
            else if (!kernel(p, work.data()))
                failed.store(true, std::memory_order_relaxed);
        }
    });
    // NumPy's messages: it refuses Inf/NaN up front.
    if (nonfinite.load()) throw LinAlgError("Array must not contain infs or NaNs");
    if (failed.load()) throw LinAlgError(message);
}

template <class T>
EigResult<T> eig_of(const TensorView<const T>& a, bool vectors) {
    const index_t n = square_order(a.shape(), vectors ? "eig" : "eigvals");
    Shape ws = leading_axes(a.shape(), 2);
    ws.push_back(n);
    EigResult<T> r{Tensor<std::complex<T>>::uninitialized(ws),
                   vectors ? Tensor<std::complex<T>>::uninitialized(a.shape()) : Tensor<std::complex<T>>()};
    std::complex<T>* w = r.eigenvalues.data();
    std::complex<T>* v = vectors ? r.eigenvectors.data() : nullptr;
    for_each_matrix<T>(a, n, "Eigenvalues did not converge", [&](index_t p, T* m) {
        return kernels::eig(n, m, n, w + p * n, v ? v + p * n * n : nullptr, n);
    });
    return r;
}

}  // namespace detail

// eig(a), a of shape (..., n, n): .eigenvalues (..., n) and .eigenvectors (..., n, n).
// Throws LinAlgError("Eigenvalues did not converge") if the QR iteration fails,
// LinAlgError("Array must not contain infs or NaNs") for such input (as NumPy).
template <detail::LinalgOperand A>
EigResult<detail::operand_value_t<A>> eig(A&& a) {
    using T = detail::operand_value_t<A>;
    const detail::Operand<T> op(std::forward<A>(a));
    return detail::eig_of<T>(op.view(), true);
}

// Only the eigenvalues (..., n): skips the eigenvector work.
template <detail::LinalgOperand A>
Tensor<std::complex<detail::operand_value_t<A>>> eigvals(A&& a) {
    using T = detail::operand_value_t<A>;
    const detail::Operand<T> op(std::forward<A>(a));
    return std::move(detail::eig_of<T>(op.view(), false).eigenvalues);
}

}  // namespace hoc::linalg

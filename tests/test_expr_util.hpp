// Helpers for the expression tests: random tensors and a naive N-d reference
// walk with NumPy broadcasting, independent of the engine under test.
#pragma once

#include <hoc/hoc.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace expr_test {

using hoc::index_t;
using hoc::Shape;
using hoc::Tensor;
using hoc::TensorView;

template <class T>
Tensor<T> random_tensor(const Shape& s, unsigned seed, double lo = -2.0, double hi = 2.0) {
    Tensor<T> t(s);
    std::mt19937 gen(seed);
    std::uniform_real_distribution<double> d(lo, hi);
    for (index_t i = 0; i < t.size(); ++i) {
        if constexpr (std::is_same_v<T, bool>) t.data()[i] = d(gen) > 0.5 * (lo + hi);
        else if constexpr (hoc::is_complex_v<T>) t.data()[i] = T(d(gen), d(gen));
        else if constexpr (std::is_integral_v<T>) t.data()[i] = static_cast<T>(std::lround(d(gen) * 10));
        else t.data()[i] = static_cast<T>(d(gen));
    }
    return t;
}

// Calls f(idx) for every multi-index of s in row-major order.
inline void for_each_index(const Shape& s, const std::function<void(const std::vector<index_t>&)>& f) {
    for (index_t d : s)
        if (d == 0) return;
    std::vector<index_t> idx(static_cast<std::size_t>(s.size()), 0);
    while (true) {
        f(idx);
        index_t ax = s.size() - 1;
        for (; ax >= 0; --ax) {
            if (++idx[static_cast<std::size_t>(ax)] < s[ax]) break;
            idx[static_cast<std::size_t>(ax)] = 0;
        }
        if (ax < 0) return;
    }
}

// v's element at the broadcast index idx (idx has >= v.ndim() entries, right-aligned).
template <class T>
T bcast_at(const TensorView<T>& v, const std::vector<index_t>& idx) {
    const index_t off = static_cast<index_t>(idx.size()) - v.ndim();
    index_t o = 0;
    for (index_t d = 0; d < v.ndim(); ++d)
        if (v.shape()[d] != 1) o += idx[static_cast<std::size_t>(d + off)] * v.strides()[d];
    return v.data()[o];
}

// |got - want| <= tol * max(1, |want|), treating NaN == NaN and equal infinities as equal.
template <class T>
::testing::AssertionResult near(T got, T want, double tol) {
    if constexpr (hoc::is_complex_v<T>) {
        auto r = near(got.real(), want.real(), tol);
        if (!r) return r;
        return near(got.imag(), want.imag(), tol);
    } else if constexpr (std::is_floating_point_v<T>) {
        if (std::isnan(got) && std::isnan(want)) return ::testing::AssertionSuccess();
        if (std::isinf(want) && got == want) return ::testing::AssertionSuccess();
        const double err = std::abs(double(got) - double(want));
        if (err <= tol * std::max(1.0, std::abs(double(want)))) return ::testing::AssertionSuccess();
        return ::testing::AssertionFailure() << "got " << got << ", want " << want << " (error " << err << ")";
    } else {
        if (got == want) return ::testing::AssertionSuccess();
        return ::testing::AssertionFailure() << "got " << +got << ", want " << +want;
    }
}

template <class E>
std::string message_of(E&& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "<no exception>";
}

// Runs f with hoc set to n threads, restoring the previous count.
template <class F>
auto with_threads(int n, F&& f) {
    const int before = hoc::num_threads();
    hoc::set_num_threads(n);
    auto r = f();
    hoc::set_num_threads(before);
    return r;
}

}  // namespace expr_test

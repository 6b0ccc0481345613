// Bit-for-bit comparison for the tests that promise identical results (fused
// vs unfused evaluation, flat run vs row loop): equal bit patterns, any NaN
// equal to any NaN.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "hoc/hoc.hpp"

template <class T>
bool same_bits(T x, T y) {
    return std::memcmp(&x, &y, sizeof x) == 0 || (std::isnan(double(x)) && std::isnan(double(y)));
}

// a and b (tensors or views of any strides) of one shape, element by element.
template <class A, class B>
::testing::AssertionResult identical(const A& a, const B& b) {
    if (!(a.shape() == b.shape()))
        return ::testing::AssertionFailure() << "shapes " << hoc::shape_string(a.shape()) << " vs "
                                             << hoc::shape_string(b.shape());
    const hoc::Tensor<typename A::value_type> ca(a), cb(b);  // contiguous copies
    for (hoc::index_t i = 0; i < ca.size(); ++i)
        if (!same_bits(ca.data()[i], cb.data()[i]))
            return ::testing::AssertionFailure() << "flat element " << i << ": " << ca.data()[i] << " vs "
                                                 << cb.data()[i];
    return ::testing::AssertionSuccess();
}

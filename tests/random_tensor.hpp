// Seeded random test data shared by the test files: the same seed gives the
// same tensor on every run and machine (std::mt19937_64 is fully specified;
// the uniform distribution draws doubles, converted to T).
#pragma once

#include <random>

#include "hoc/hoc.hpp"

template <class T>
hoc::Tensor<T> random_tensor(const hoc::Shape& s, unsigned seed, double lo = -1.0, double hi = 1.0) {
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<double> dist(lo, hi);
    hoc::Tensor<T> a(s);
    for (hoc::index_t i = 0; i < a.size(); ++i) a.data()[i] = static_cast<T>(dist(gen));
    return a;
}

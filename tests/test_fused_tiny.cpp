// The tiny-product path of the fused epilogue (hoc/expr/fused_gemm.hpp,
// run_tiny): `Y = f(matmul(X, W), ...)` with n within one SIMD batch and
// k <= 16 runs without the GEMM driver, the product written into Y and the
// expression applied over Y as one flat run (bias rows as repeated tiles).
//
// Reference: the unfused form (z = matmul(x, w), then f over z). The tiny
// path accumulates in the GEMM kernels' order with FMA and applies the same
// per-element SIMD functions, so results must be BIT-IDENTICAL. A naive
// double-precision loop also checks the values, so a bug shared by both
// paths cannot hide (tolerance: k products of values in [-1, 1] summed in
// float, |error| <= k * 2^-24 * sum|x||w| + bias rounding; 1e-5 is generous).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "bitwise_equal.hpp"
#include "hoc/hoc.hpp"
#include "random_tensor.hpp"

using hoc::index_t;
using hoc::Shape;
using hoc::Tensor;

namespace {

namespace ex = hoc::expr::detail;

struct Counters {
    long fused = ex::fused_gemm_count.load(), tiny = ex::fused_tiny_count.load();
    long fused_taken() const { return ex::fused_gemm_count.load() - fused; }
    long tiny_taken() const { return ex::fused_tiny_count.load() - tiny; }
};

bool tiny_path_available() { return ex::tiny_path_matches_gemm(); }

// y = relu(matmul(x, w) + b) fused (tiny path expected when `tiny`) vs unfused and naive.
template <class T>
void check_relu_bias(index_t m, index_t k, index_t n, bool tiny, unsigned seed) {
    const Tensor<T> x = random_tensor<T>(Shape{m, k}, seed), w = random_tensor<T>(Shape{k, n}, seed + 1);
    const Tensor<T> b = random_tensor<T>(Shape{n}, seed + 2);
    Tensor<T> z = hoc::matmul(x, w);
    z = hoc::maximum(z + b, T(0));
    Tensor<T> y(Shape{m, n}, T(7));
    Counters c;
    y = hoc::maximum(hoc::matmul(x, w) + b, T(0));
    EXPECT_EQ(c.fused_taken(), 1);
    EXPECT_EQ(c.tiny_taken(), tiny && tiny_path_available() ? 1 : 0) << m << "x" << k << "x" << n;
    EXPECT_TRUE(identical(y, z)) << m << "x" << k << "x" << n;
    for (index_t i = 0; i < m; ++i)
        for (index_t j = 0; j < n; ++j) {
            double acc = 0;
            for (index_t p = 0; p < k; ++p) acc += double(x(i, p)) * double(w(p, j));
            ASSERT_NEAR(double(y(i, j)), std::max(acc + double(b(j)), 0.0), 1e-5) << i << "," << j;
        }
}

TEST(FusedTiny, ShapesAroundEveryEdge) {
    const index_t W = hoc::expr::simd::width<float>;
    for (index_t m : {1, 2, 3, 7, 16, 100, 257})
        for (index_t n : {index_t(1), index_t(2), index_t(5), W - 1, W})
            for (index_t k : {1, 2, 3, 8, 16}) check_relu_bias<float>(m, k, n, true, unsigned(m * 131 + n * 7 + k));
}

TEST(FusedTiny, DoubleAndLongRunsWithALastRow) {
    const index_t W = hoc::expr::simd::width<double>, WF = hoc::expr::simd::width<float>;
    // m * n above the one-run tile (1024): rows of lcm(n, W) plus a shorter last row.
    check_relu_bias<double>(1000, 3, std::min<index_t>(5, W), true, 1);
    check_relu_bias<float>(1001, 4, std::min<index_t>(7, WF), true, 2);
    check_relu_bias<float>(1000, 2, WF, true, 3);  // up to 16000 elements: within the limit
    check_relu_bias<double>(3, 16, W, true, 4);
}

TEST(FusedTiny, OutsideTheTinyLimitsTheGeneralPathGivesTheSame) {
    const index_t W = hoc::expr::simd::width<float>;
    check_relu_bias<float>(100, 17, 5, false, 5);       // k > 16
    check_relu_bias<float>(100, 3, W + 1, false, 6);    // n over one batch
    check_relu_bias<float>(5000, 3, 4, false, 7);       // m * n over the L1-sized limit
}

template <class F>
void check_expression(const char* what, F f, bool tiny) {
    const Tensor<float> x = random_tensor<float>(Shape{100, 3}, 11), w = random_tensor<float>(Shape{3, 5}, 12);
    const Tensor<float> z = hoc::matmul(x, w);
    const Tensor<float> ref = f(z);
    Tensor<float> y(Shape{100, 5}, 7.0f);
    Counters c;
    y = f(hoc::matmul(x, w));
    EXPECT_EQ(c.fused_taken(), 1) << what;
    EXPECT_EQ(c.tiny_taken(), tiny && tiny_path_available() ? 1 : 0) << what;
    EXPECT_TRUE(identical(y, ref)) << what;
}

TEST(FusedTiny, OperandLayouts) {
    const Tensor<float> b = random_tensor<float>(Shape{5}, 21), b2 = random_tensor<float>(Shape{1, 5}, 22);
    const Tensor<float> col = random_tensor<float>(Shape{100, 1}, 23), full = random_tensor<float>(Shape{100, 5}, 24);
    const Tensor<float> wide = random_tensor<float>(Shape{100, 10}, 25);
    const Tensor<float> one = random_tensor<float>(Shape{1, 1}, 27);
    check_expression("bias row", [&](auto&& p) { return hoc::maximum(p + b, 0.0f); }, true);
    check_expression("bias (1, n)", [&](auto&& p) { return hoc::tanh(p * 0.5f + b2); }, true);
    check_expression("two bias rows", [&](auto&& p) { return (p + b) * b2 - b; }, true);
    check_expression("full-size operand", [&](auto&& p) { return p * full + 1.0f; }, true);
    check_expression("a (1, 1) operand", [&](auto&& p) { return p - one; }, true);
    check_expression("where", [&](auto&& p) { return hoc::where(full > 0.0f, p, p * 0.01f); }, true);
    const Tensor<bool> keep_row = hoc::tensor<bool>({true, false, true, true, false});
    check_expression("where on a bool row", [&](auto&& p) { return hoc::where(keep_row, p, 0.0f); }, true);
    // A shared row (read once into a register) carrying NaN and signed zeros.
    const Tensor<float> odd_row =
        hoc::tensor<float>({std::numeric_limits<float>::quiet_NaN(), -0.0f, 0.0f, 1.0f, -1.0f});
    check_expression("minimum with a NaN row", [&](auto&& p) { return hoc::minimum(p * 0.0f, odd_row); }, true);
    // The tiny path reads every operand as rows of C (no tiles), so any layout takes it.
    check_expression("five bias rows", [&](auto&& p) { return p + b + b2 + b + b2 + b; }, true);
    check_expression("bias column", [&](auto&& p) { return hoc::exp(p - col); }, true);
    const auto every_other = hoc::slice(wide, 1, 0, 10, 2);
    check_expression("strided operand", [&](auto&& p) { return p + every_other; }, true);
    const Tensor<double> bd = random_tensor<double>(Shape{5}, 28);
    // double -> float has no SIMD form here: the expression needs the general path.
    check_expression("a bias row cast from double", [&](auto&& p) { return p + hoc::cast<float>(bd); }, false);
}

TEST(FusedTiny, NanInfAndSpecialValuesPropagate) {
    Tensor<float> x = random_tensor<float>(Shape{9, 2}, 31), w = random_tensor<float>(Shape{2, 3}, 32);
    x(0, 0) = std::numeric_limits<float>::quiet_NaN();
    x(4, 1) = std::numeric_limits<float>::infinity();
    Tensor<float> b = random_tensor<float>(Shape{3}, 33);
    b(2) = std::numeric_limits<float>::quiet_NaN();
    Tensor<float> z = hoc::matmul(x, w);
    z = hoc::maximum(z + b, 0.0f);
    Tensor<float> y(Shape{9, 3});
    y = hoc::maximum(hoc::matmul(x, w) + b, 0.0f);
    EXPECT_TRUE(identical(y, z));
    EXPECT_TRUE(std::isnan(y(0, 0)));
    EXPECT_TRUE(std::isnan(y(5, 2)));  // NaN bias column stays NaN through maximum
}

TEST(FusedTiny, DestinationViewsAndTransposedOperands) {
    const Tensor<float> x = random_tensor<float>(Shape{3, 50}, 41), w = random_tensor<float>(Shape{3, 4}, 42);
    const Tensor<float> b = random_tensor<float>(Shape{4}, 43);
    // x.T() is a transposed (column-major) A: the tiny path reads it through strides.
    Tensor<float> z = hoc::matmul(x.T(), w);
    z = z * 2.0f + b;
    Tensor<float> y(Shape{50, 4});
    Counters c;
    y = hoc::matmul(x.T(), w) * 2.0f + b;
    EXPECT_EQ(c.tiny_taken(), tiny_path_available() ? 1 : 0);
    EXPECT_TRUE(identical(y, z));
    // A destination with a row stride wider than n is not one flat run: general path.
    Tensor<float> big(Shape{50, 8}, 0.0f);
    Counters c2;
    hoc::slice(big, 1, 0, 4) = hoc::matmul(x.T(), w) * 2.0f + b;
    EXPECT_EQ(c2.fused_taken(), 1);
    EXPECT_EQ(c2.tiny_taken(), 0);
    EXPECT_TRUE(identical(Tensor<float>(hoc::slice(big, 1, 0, 4)), z));
    EXPECT_EQ(big(3, 5), 0.0f);  // the columns outside the view are untouched
}

TEST(FusedTiny, AliasingFallsBackAndStaysCorrect) {
    // y is also an operand of the product: no fused path at all, and the result is right.
    Tensor<float> y = random_tensor<float>(Shape{6, 6}, 51);
    const Tensor<float> w = random_tensor<float>(Shape{6, 6}, 52), b = random_tensor<float>(Shape{6}, 53);
    Tensor<float> ref = hoc::matmul(y, w);
    ref = hoc::maximum(ref + b, 0.0f);
    Counters c;
    y = hoc::maximum(hoc::matmul(y, w) + b, 0.0f);
    EXPECT_EQ(c.tiny_taken(), 0);
    EXPECT_TRUE(identical(y, ref));
    // y read as the bias-like operand while being written: the engine's same-element
    // read does not apply (it is read through the product), so no tiny path either.
    Tensor<float> x = random_tensor<float>(Shape{6, 2}, 54), w2 = random_tensor<float>(Shape{2, 6}, 55);
    Tensor<float> y2 = random_tensor<float>(Shape{6, 6}, 56);
    Tensor<float> ref2 = hoc::matmul(x, w2);
    ref2 = ref2 + y2;
    y2 = hoc::matmul(x, w2) + y2;
    EXPECT_TRUE(identical(y2, ref2));
}

TEST(FusedTiny, GenericKernelsAndThreadsGiveTheSameResult) {
    const Tensor<float> x = random_tensor<float>(Shape{100, 3}, 61), w = random_tensor<float>(Shape{3, 5}, 62);
    const Tensor<float> b = random_tensor<float>(Shape{5}, 63);
    Tensor<float> y1(Shape{100, 5}), y2(Shape{100, 5}), yg(Shape{100, 5});
    hoc::set_num_threads(1);
    y1 = hoc::maximum(hoc::matmul(x, w) + b, 0.0f);
    hoc::set_num_threads(2);
    y2 = hoc::maximum(hoc::matmul(x, w) + b, 0.0f);
    EXPECT_TRUE(identical(y1, y2));
    ASSERT_TRUE(hoc::kernels::set_gemm_arch("generic"));
    Counters c;
    yg = hoc::maximum(hoc::matmul(x, w) + b, 0.0f);
    EXPECT_EQ(c.tiny_taken(), 0);  // the generic kernels need not accumulate with FMA
    Tensor<float> zg = hoc::matmul(x, w);
    zg = hoc::maximum(zg + b, 0.0f);
    hoc::kernels::set_gemm_arch(nullptr);
    EXPECT_TRUE(identical(yg, zg));
}

}  // namespace

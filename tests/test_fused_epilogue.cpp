// Fused GEMM epilogues (hoc/expr/fused_gemm.hpp): an element-wise expression
// around one matmul is evaluated inside the GEMM, block by block.
//
// Reference: the unfused form, `Tensor<T> z = matmul(x, w)` first (the same
// GEMM with alpha 1, beta 0), then the expression over z by the engine. The
// fused path runs the same GEMM and the same per-element SIMD code, so the
// results must be BIT-IDENTICAL (compared with memcmp-like equality, NaN
// equal to NaN). The one documented exception: `y += matmul(x, w)` with k over
// the kernel's k chunk (512 on the small path) accumulates dst in a different
// order than `y + z`; it is compared with a relative tolerance there.
// The GEMM itself is checked against naive loops in test_matmul / test_gemm;
// one test here also checks the fused result against a naive loop so a bug
// shared by both paths cannot hide.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "bitwise_equal.hpp"
#include "hoc/hoc.hpp"
#include "random_tensor.hpp"

using hoc::index_t;
using hoc::Shape;
using hoc::Tensor;

namespace {

namespace ex = hoc::expr::detail;

struct FusedCounter {
    long start = ex::fused_gemm_count.load();
    long taken() const { return ex::fused_gemm_count.load() - start; }
};

// fused y = f(matmul(x, w)) into a preallocated y (one fused evaluation)
// against the unfused f(z), z = matmul(x, w).
template <class T, class F>
void expect_fused_equal(const Tensor<T>& x, const Tensor<T>& w, F f, const char* what) {
    const Tensor<T> z = hoc::matmul(x, w);
    const Tensor<T> ref = f(z);
    Tensor<T> y(ref.shape(), T(7));
    FusedCounter fc;
    y = f(hoc::matmul(x, w));
    EXPECT_EQ(fc.taken(), 1) << what;
    EXPECT_TRUE(identical(y, ref)) << what << " x" << hoc::shape_string(x.shape()) << " w"
                                   << hoc::shape_string(w.shape());
}

// The activations the issue names, with a bias row, a bias column and scalars.
template <class T>
void all_activations(index_t m, index_t n, index_t k, unsigned seed) {
    const Tensor<T> x = random_tensor<T>(Shape{m, k}, seed), w = random_tensor<T>(Shape{k, n}, seed + 1);
    const Tensor<T> b = random_tensor<T>(Shape{n}, seed + 2), bc = random_tensor<T>(Shape{m, 1}, seed + 3);
    const Tensor<T> full = random_tensor<T>(Shape{m, n}, seed + 4);
    const T s = T(0.75);
    expect_fused_equal(x, w, [&](auto&& p) { return hoc::maximum(std::forward<decltype(p)>(p) + b, T(0)); }, "relu");
    expect_fused_equal(x, w, [&](auto&& p) { return hoc::tanh(std::forward<decltype(p)>(p) * s + b); }, "tanh");
    expect_fused_equal(x, w, [&](auto&& p) { return hoc::exp(std::forward<decltype(p)>(p) - bc); }, "exp col");
    expect_fused_equal(x, w, [&](auto&& p) { return std::forward<decltype(p)>(p) * T(2) + full; }, "full");
    expect_fused_equal(
        x, w, [&](auto&& p) { return hoc::where(full > T(0), std::forward<decltype(p)>(p), bc * s); }, "where");
}

TEST(FusedEpilogue, EveryKernelEdgeSmall) {
    // m, n through 1..40 (every MR/NR remainder of the small and rows paths),
    // k short and long enough for each path.
    for (index_t m = 1; m <= 40; ++m)
        for (index_t n = 1; n <= 40; ++n)
            for (index_t k : {1, 3, 16, 33}) {
                const Tensor<float> x = random_tensor<float>(Shape{m, k}, 1), w = random_tensor<float>(Shape{k, n}, 2);
                const Tensor<float> b = random_tensor<float>(Shape{n}, 3);
                const Tensor<float> z = hoc::matmul(x, w);
                const Tensor<float> ref = hoc::maximum(z + b, 0.0f);
                Tensor<float> y(Shape{m, n});
                FusedCounter fc;
                y = hoc::maximum(hoc::matmul(x, w) + b, 0.0f);
                ASSERT_EQ(fc.taken(), 1);
                ASSERT_TRUE(identical(y, ref)) << m << "x" << n << "x" << k;
            }
}

TEST(FusedEpilogue, ActivationsFloatAndDouble) {
    unsigned seed = 10;
    for (auto [m, n, k] : {std::tuple<index_t, index_t, index_t>{100, 5, 3}, {1, 1, 1}, {40, 40, 40},
                           {63, 65, 64}, {64, 127, 129}, {257, 31, 70}, {130, 257, 5}, {7, 200, 600},
                           {300, 200, 150}, {97, 3, 300}}) {
        all_activations<float>(m, n, k, seed += 7);
        all_activations<double>(m, n, k, seed += 7);
    }
}

TEST(FusedEpilogue, MatchesNaiveLoop) {
    const index_t m = 37, n = 29, k = 11;
    const Tensor<double> x = random_tensor<double>(Shape{m, k}, 5), w = random_tensor<double>(Shape{k, n}, 6);
    const Tensor<double> b = random_tensor<double>(Shape{n}, 7);
    Tensor<double> y(Shape{m, n});
    y = hoc::maximum(hoc::matmul(x, w) + b, 0.0);
    // Tolerance: k terms of magnitude <= 1 in double: k * eps * 4 is generous.
    for (index_t i = 0; i < m; ++i)
        for (index_t j = 0; j < n; ++j) {
            long double acc = 0;
            for (index_t p = 0; p < k; ++p) acc += (long double)x(i, p) * w(p, j);
            const double want = std::max(0.0, static_cast<double>(acc) + b(j));
            EXPECT_NEAR(y(i, j), want, 4.0 * k * 2.3e-16) << i << "," << j;
        }
}

TEST(FusedEpilogue, BatchedStacks) {
    for (bool broadcast_w : {false, true}) {
        const Tensor<float> x = random_tensor<float>(Shape{4, 3, 17, 9}, 20);
        const Tensor<float> w = broadcast_w ? random_tensor<float>(Shape{9, 13}, 21) : random_tensor<float>(Shape{4, 3, 9, 13}, 21);
        const Tensor<float> b = random_tensor<float>(Shape{13}, 22), per = random_tensor<float>(Shape{3, 1, 13}, 23);
        expect_fused_equal(x, w, [&](auto&& p) { return hoc::maximum(std::forward<decltype(p)>(p) + b, 0.0f); },
                           "batched relu");
        expect_fused_equal(x, w, [&](auto&& p) { return hoc::tanh(std::forward<decltype(p)>(p) - per); },
                           "batched per-matrix bias");
    }
    // Batched double, larger cores taking the packed path per entry.
    const Tensor<double> x = random_tensor<double>(Shape{2, 150, 90}, 24), w = random_tensor<double>(Shape{2, 90, 170}, 25);
    const Tensor<double> b = random_tensor<double>(Shape{170}, 26);
    expect_fused_equal(x, w, [&](auto&& p) { return hoc::exp(std::forward<decltype(p)>(p) * 0.5 + b); }, "batched exp");
}

TEST(FusedEpilogue, TransposedAndStridedOperands) {
    const Tensor<float> xt = random_tensor<float>(Shape{21, 50}, 30), w = random_tensor<float>(Shape{21, 19}, 31);
    const Tensor<float> b = random_tensor<float>(Shape{19}, 32);
    const Tensor<float> z = hoc::matmul(xt.T(), w);
    const Tensor<float> ref = hoc::maximum(z + b, 0.0f);
    FusedCounter fc;
    Tensor<float> y(Shape{50, 19});
    y = hoc::maximum(hoc::matmul(xt.T(), w) + b, 0.0f);
    EXPECT_TRUE(identical(y, ref));
    // A transposed destination (column stride != 1: the GEMM solves C^T) and
    // a strided slice of a larger buffer.
    Tensor<float> yt(Shape{19, 50}, 3.0f);
    yt.T() = hoc::maximum(hoc::matmul(xt.T(), w) + b, 0.0f);
    EXPECT_TRUE(identical(yt.T(), ref));
    Tensor<float> big(Shape{100, 19}, 5.0f);
    auto every_other = hoc::slice(big, 0, 0, 100, 2);
    every_other = hoc::maximum(hoc::matmul(xt.T(), w) + b, 0.0f);
    EXPECT_TRUE(identical(every_other, ref));
    EXPECT_EQ(big(1, 0), 5.0f);  // rows in between untouched
    EXPECT_EQ(fc.taken(), 3);
}

TEST(FusedEpilogue, CompoundAssignmentUsesBeta) {
    for (auto [m, n, k] : {std::tuple<index_t, index_t, index_t>{100, 5, 3}, {33, 47, 20}, {300, 200, 150}}) {
        const Tensor<float> x = random_tensor<float>(Shape{m, k}, 40), w = random_tensor<float>(Shape{k, n}, 41);
        const Tensor<float> y0 = random_tensor<float>(Shape{m, n}, 42);
        const Tensor<float> z = hoc::matmul(x, w);
        const Tensor<float> plus = y0 + z, minus = y0 - z, flipped = z + y0;
        Tensor<float> y = y0;
        FusedCounter fc;
        y += hoc::matmul(x, w);
        EXPECT_TRUE(identical(y, plus));
        y = y0;
        y -= hoc::matmul(x, w);
        EXPECT_TRUE(identical(y, minus));
        y = y0;
        y = hoc::matmul(x, w) + y;
        EXPECT_TRUE(identical(y, flipped));
        EXPECT_EQ(fc.taken(), 3);
    }
    // k beyond one k chunk: dst is accumulated chunk by chunk, a different
    // summation order than y0 + z. Tolerance: k * eps * max|partial sums| with
    // |x|, |w| <= 1 -> about k^2 eps scale; 4 k eps * k is safe.
    const index_t m = 20, n = 24, k = 1100;
    const Tensor<float> x = random_tensor<float>(Shape{m, k}, 43), w = random_tensor<float>(Shape{k, n}, 44);
    const Tensor<float> y0 = random_tensor<float>(Shape{m, n}, 45);
    const Tensor<float> z = hoc::matmul(x, w);
    Tensor<float> y = y0;
    y += hoc::matmul(x, w);
    for (index_t i = 0; i < m; ++i)
        for (index_t j = 0; j < n; ++j) EXPECT_NEAR(y(i, j), y0(i, j) + z(i, j), 4.0 * k * 1.2e-7 * 30);
}

TEST(FusedEpilogue, ScalarsOnlyNeedNoEpilogue) {
    const Tensor<double> x = random_tensor<double>(Shape{30, 12}, 50), w = random_tensor<double>(Shape{12, 18}, 51);
    expect_fused_equal(x, w, [](auto&& p) { return std::forward<decltype(p)>(p) * 3.5; }, "alpha");
    expect_fused_equal(x, w, [](auto&& p) { return 0.25 * std::forward<decltype(p)>(p); }, "alpha left");
    // Assigning a matmul to a strided view goes through the same hook: no temporary.
    Tensor<double> big(Shape{30, 36}, 1.0);
    const Tensor<double> ref = hoc::matmul(x, w);
    FusedCounter fc;
    hoc::slice(big, 1, 0, 36, 2) = hoc::matmul(x, w);
    EXPECT_EQ(fc.taken(), 1);
    EXPECT_TRUE(identical(hoc::slice(big, 1, 0, 36, 2), ref));
    EXPECT_EQ(big(0, 1), 1.0);
}

TEST(FusedEpilogue, ConstructionEvalAndResize) {
    const Tensor<float> x = random_tensor<float>(Shape{100, 3}, 60), w = random_tensor<float>(Shape{3, 5}, 61);
    const Tensor<float> b = random_tensor<float>(Shape{5}, 62);
    const Tensor<float> z = hoc::matmul(x, w);
    const Tensor<float> ref = hoc::maximum(z + b, 0.0f);
    FusedCounter fc;
    Tensor<float> built = hoc::maximum(hoc::matmul(x, w) + b, 0.0f);
    EXPECT_TRUE(identical(built, ref));
    auto evaluated = hoc::eval(hoc::maximum(hoc::matmul(x, w) + b, 0.0f));
    EXPECT_TRUE(identical(evaluated, ref));
    Tensor<float> resized(Shape{2, 2});
    resized = hoc::maximum(hoc::matmul(x, w) + b, 0.0f);
    EXPECT_TRUE(identical(resized, ref));
    EXPECT_EQ(fc.taken(), 3);
}

TEST(FusedEpilogue, LvalueMatmulUsedSeveralTimes) {
    const Tensor<float> x = random_tensor<float>(Shape{45, 20}, 70), w = random_tensor<float>(Shape{20, 33}, 71);
    const Tensor<float> z = hoc::matmul(x, w);
    const Tensor<float> ref = hoc::where(z > 0.0f, z, z * 0.01f);
    const auto mm = hoc::matmul(x, w);
    FusedCounter fc;
    Tensor<float> y(Shape{45, 33});
    y = hoc::where(mm > 0.0f, mm, mm * 0.01f);  // leaky relu: one product serves all three
    EXPECT_EQ(fc.taken(), 1);
    EXPECT_TRUE(identical(y, ref));
}

TEST(FusedEpilogue, FallbacksGiveTheSameResult) {
    const Tensor<float> x = random_tensor<float>(Shape{24, 16}, 80), w = random_tensor<float>(Shape{16, 16}, 81);
    const Tensor<float> x2 = random_tensor<float>(Shape{24, 16}, 82), b = random_tensor<float>(Shape{16}, 83);
    const Tensor<float> z = hoc::matmul(x, w), z2 = hoc::matmul(x2, w);
    FusedCounter fc;
    // The matmul broadcast against a bigger operand (not the destination's
    // shape): evaluated once into a temporary.
    const Tensor<float> a = random_tensor<float>(Shape{3, 24, 16}, 84);
    Tensor<float> y3(Shape{3, 24, 16});
    y3 = a + hoc::matmul(x, w) * 2.0f;
    EXPECT_TRUE(identical(y3, Tensor<float>(a + z * 2.0f)));
    // Two different matmuls.
    Tensor<float> y(Shape{24, 16});
    y = hoc::matmul(x, w) + hoc::matmul(x2, w);
    EXPECT_TRUE(identical(y, Tensor<float>(z + z2)));
    // The destination is an input of the matmul.
    Tensor<float> xx = x;
    xx = hoc::maximum(hoc::matmul(xx, w), 0.0f);
    EXPECT_TRUE(identical(xx, Tensor<float>(hoc::maximum(z, 0.0f))));
    // The destination is another operand of the expression (read elsewhere than
    // at the written element, or at it with something other than + / -).
    Tensor<float> yy = z2;
    yy = hoc::maximum(hoc::matmul(x, w) + yy, 0.0f);
    EXPECT_TRUE(identical(yy, Tensor<float>(hoc::maximum(z + z2, 0.0f))));
    const Tensor<float> xs = random_tensor<float>(Shape{16, 16}, 86), zs = hoc::matmul(xs, w);
    Tensor<float> sq = z2.reshape(Shape{24 * 16}).reshape(Shape{24, 16});
    auto sq_top = hoc::slice(sq, 0, 0, 16);
    const Tensor<float> sq_ref = zs + Tensor<float>(sq_top.T());
    const long before = fc.taken();
    sq_top = hoc::matmul(xs, w) + sq_top.T();  // harmful alias: assign() goes through a
    EXPECT_TRUE(identical(sq_top, sq_ref));     // temporary, and the GEMM fuses into that
    EXPECT_EQ(fc.taken(), before + 1);
    fc.start += 1;
    Tensor<float> ys = z2;
    ys += hoc::matmul(x, w) * 2.0f;
    EXPECT_TRUE(identical(ys, Tensor<float>(z2 + z * 2.0f)));
    // 1-D operand (the added axis leaves the result) and N-D dot.
    const Tensor<float> v = random_tensor<float>(Shape{16}, 85);
    Tensor<float> yv(Shape{24});
    yv = hoc::matmul(x, v) + 1.0f;
    EXPECT_TRUE(identical(yv, Tensor<float>(Tensor<float>(hoc::matmul(x, v)) + 1.0f)));
    // A double destination for a float matmul (converted): not fused, same values.
    Tensor<double> yd(Shape{24, 16});
    yd = hoc::matmul(x, w) + b;
    EXPECT_TRUE(identical(yd, Tensor<double>(hoc::cast<double>(z + b))));
    EXPECT_EQ(fc.taken(), 0);
}

TEST(FusedEpilogue, EdgesEmptyZeroKNan) {
    // k = 0: the product is zeros, the epilogue still runs.
    const Tensor<float> x(Shape{6, 0}), w(Shape{0, 4});
    const Tensor<float> b = random_tensor<float>(Shape{4}, 90);
    Tensor<float> y(Shape{6, 4}, 9.0f);
    y = hoc::maximum(hoc::matmul(x, w) + b, 0.0f);
    EXPECT_TRUE(identical(y, Tensor<float>(hoc::maximum(hoc::broadcast_to(b, Shape{6, 4}) + 0.0f, 0.0f))));
    // m = 0: nothing to do.
    Tensor<float> e(Shape{0, 4});
    e = hoc::maximum(hoc::matmul(Tensor<float>(Shape{0, 3}), Tensor<float>(Shape{3, 4})) + b, 0.0f);
    EXPECT_EQ(e.size(), 0);
    // NaN and Inf in the operands propagate exactly as unfused.
    Tensor<double> xn = random_tensor<double>(Shape{9, 7}, 91), wn = random_tensor<double>(Shape{7, 10}, 92);
    xn(2, 3) = std::nan("");
    wn(1, 4) = INFINITY;
    Tensor<double> bn = random_tensor<double>(Shape{10}, 93);
    bn(6) = -INFINITY;
    expect_fused_equal(xn, wn, [&](auto&& p) { return hoc::maximum(std::forward<decltype(p)>(p) + bn, 0.0); }, "nan");
}

// Tall products with a small B (m >= 1024, k <= 256, k*n*sizeof(T) <= 256 KiB)
// take the GEMM's row-block path: A read in place, whole rows reported per
// block. m hits every row-tile remainder (8 rows) and a short last block, n
// every strip edge (NR = 32 / 16 and the one-vector narrow strip for float /
// double), k an odd tail and the 256 limit.
template <class T>
void tall_case(index_t m, index_t k, index_t n, unsigned seed) {
    const Tensor<T> x = random_tensor<T>(Shape{m, k}, seed), w = random_tensor<T>(Shape{k, n}, seed + 1);
    const Tensor<T> b = random_tensor<T>(Shape{n}, seed + 2), bc = random_tensor<T>(Shape{m, 1}, seed + 3);
    const std::string what = "tall " + std::to_string(m) + "x" + std::to_string(k) + "x" + std::to_string(n);
    expect_fused_equal(x, w, [&](auto&& p) { return hoc::maximum(std::forward<decltype(p)>(p) + b, T(0)); },
                       (what + " relu row bias").c_str());
    expect_fused_equal(x, w, [&](auto&& p) { return hoc::tanh(std::forward<decltype(p)>(p) * T(0.5) - bc); },
                       (what + " tanh column bias").c_str());
}

TEST(FusedEpilogue, TallSmallBRowBlocks) {
    const int saved = hoc::num_threads();
    unsigned seed = 200;
    for (int threads : {1, 2}) {
        hoc::set_num_threads(threads);
        for (index_t m : {1024, 1031, 2047})
            for (index_t k : {1, 17, 64, 255})
                for (index_t n : {9, 17, 33, 64, 100}) {
                    tall_case<float>(m, k, n, seed += 5);
                    tall_case<double>(m, k, n, seed += 5);
                }
        tall_case<float>(5000, 256, 256, seed += 5);   // 256 KiB of B, several blocks per thread
        tall_case<double>(4099, 128, 200, seed += 5);  // 200 KiB of B
    }
    hoc::set_num_threads(saved);
}

// The row-block path checked against naive loops (the fused-vs-unfused
// tests share the GEMM), 1 and 2 threads, into a strided slice of rows.
// Tolerance: the standard bound k * u * sum|x_p w_p| <= k^2 u for |x|, |w| <= 1
// (u = unit roundoff), doubled.
template <class T>
void tall_naive(index_t m, index_t k, index_t n, unsigned seed) {
    const int saved = hoc::num_threads();
    const Tensor<T> x = random_tensor<T>(Shape{m, k}, seed), w = random_tensor<T>(Shape{k, n}, seed + 1);
    const Tensor<T> b = random_tensor<T>(Shape{n}, seed + 2);
    const double tol = 2.0 * static_cast<double>(k * k) * std::numeric_limits<T>::epsilon() / 2;
    for (int threads : {1, 2}) {
        hoc::set_num_threads(threads);
        Tensor<T> big(Shape{2 * m, n}, T(5));
        auto y = hoc::slice(big, 0, 0, 2 * m, 2);
        y = hoc::maximum(hoc::matmul(x, w) + b, T(0));
        for (index_t i = 0; i < m; ++i) {
            ASSERT_EQ(big(2 * i + 1, 0), T(5));  // rows in between untouched
            for (index_t j = 0; j < n; ++j) {
                long double acc = 0;
                for (index_t p = 0; p < k; ++p) acc += (long double)x(i, p) * w(p, j);
                const double want = std::max(0.0, static_cast<double>(acc) + static_cast<double>(b(j)));
                ASSERT_NEAR(y(i, j), want, tol) << i << "," << j << " threads " << threads;
            }
        }
    }
    hoc::set_num_threads(saved);
}

// Blocks of whole rows of a contiguous 2-D destination run as one flat run
// (bias rows as repeated tiles, fused_gemm.hpp); operands that do not fit
// that form, and rows longer than a tile, keep the row-by-row walk.
TEST(FusedEpilogue, FlatRunsAndTheirFallbacks) {
    const int saved = hoc::num_threads();
    for (int threads : {1, 2}) {
        hoc::set_num_threads(threads);
        const Tensor<float> x = random_tensor<float>(Shape{1031, 24}, 400), w = random_tensor<float>(Shape{24, 64}, 401);
        const Tensor<float> full_t = random_tensor<float>(Shape{64, 1031}, 403);  // read transposed: strided
        const Tensor<float> b2 = random_tensor<float>(Shape{128}, 404);            // read every second element
        const Tensor<float> cell = random_tensor<float>(Shape{1, 1}, 405);         // one value, broadcast
        const auto b_strided = hoc::slice(b2, 0, 0, 128, 2);
        expect_fused_equal(x, w, [&](auto&& p) { return std::forward<decltype(p)>(p) + full_t.T(); },
                           "transposed full");
        expect_fused_equal(x, w, [&](auto&& p) { return hoc::maximum(std::forward<decltype(p)>(p) - b_strided, 0.0f); },
                           "strided bias");
        expect_fused_equal(x, w, [&](auto&& p) { return std::forward<decltype(p)>(p) * cell + cell; }, "1x1");
        const Tensor<float> xw = random_tensor<float>(Shape{1100, 8}, 406), ww = random_tensor<float>(Shape{8, 2000}, 407);
        const Tensor<float> bw = random_tensor<float>(Shape{2000}, 408);
        expect_fused_equal(xw, ww, [&](auto&& p) { return hoc::maximum(std::forward<decltype(p)>(p) + bw, 0.0f); },
                           "rows longer than a tile");
    }
    hoc::set_num_threads(saved);
}

TEST(FusedEpilogue, TallSmallBMatchesNaiveLoop) {
    tall_naive<double>(1500, 90, 70, 300);
    tall_naive<float>(1100, 33, 40, 310);
    tall_naive<float>(3001, 256, 97, 320);
}

TEST(FusedEpilogue, OneAndTwoThreadsIdentical) {
    const int saved = hoc::num_threads();
    const Tensor<float> x = random_tensor<float>(Shape{700, 150}, 100), w = random_tensor<float>(Shape{150, 200}, 101);
    const Tensor<float> b = random_tensor<float>(Shape{200}, 102);
    Tensor<float> y1(Shape{700, 200}), y2(Shape{700, 200});
    hoc::set_num_threads(1);
    y1 = hoc::tanh(hoc::matmul(x, w) + b);
    hoc::set_num_threads(2);
    y2 = hoc::tanh(hoc::matmul(x, w) + b);
    hoc::set_num_threads(saved);
    EXPECT_TRUE(identical(y1, y2));
}

}  // namespace

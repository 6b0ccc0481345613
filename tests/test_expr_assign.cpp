// Assignment: into tensors and views, compound assignment, aliasing (the
// result is always as if the right side were evaluated first, as NumPy),
// errors that leave the destination untouched, Computation leaves, and
// results identical at 1 and 2 threads.
#include "test_expr_util.hpp"

using namespace expr_test;

namespace {

// A Computation (like matmul's result) that counts its evaluations: out = 2 * in.
struct Doubler {
    using value_type = float;
    using computation_tag = void;
    TensorView<const float> in;
    int* calls;
    Shape shape() const { return in.shape(); }
    void evaluate_into(TensorView<float> dst) const {
        ++*calls;
        for_each_index(in.shape(), [&](const std::vector<index_t>& i) {
            index_t oi = 0, od = 0;
            for (std::size_t d = 0; d < i.size(); ++d)
                oi += i[d] * in.strides()[static_cast<index_t>(d)], od += i[d] * dst.strides()[static_cast<index_t>(d)];
            dst.data()[od] = 2.0f * in.data()[oi];
        });
    }
    bool reads_memory(const void* lo, const void* hi) const { return hoc::detail::reads_memory(in, lo, hi); }
};
static_assert(hoc::Computation<Doubler>);

Tensor<float> iota(const Shape& s) {
    Tensor<float> t(s);
    for (index_t i = 0; i < t.size(); ++i) t.data()[i] = static_cast<float>(i);
    return t;
}

}  // namespace

TEST(ExprAssign, InPlaceWhenShapeMatchesRebindOtherwise) {
    Tensor<float> a = iota(Shape{4, 5}), b = iota(Shape{5});
    Tensor<float> y(Shape{4, 5});
    const float* buffer = y.data();
    y = a * 2.0f + b;
    EXPECT_EQ(y.data(), buffer);  // the existing buffer was reused
    EXPECT_EQ(y(3, 4), 19.0f * 2 + 4);
    y = b * 3.0f;  // another shape: rebinds, as NumPy's `y = expr`
    EXPECT_EQ(y.shape(), Shape{5});
    EXPECT_EQ(y(4), 12.0f);
    Tensor<float> z = a.T();
    EXPECT_EQ(z.shape(), (Shape{5, 4}));
    EXPECT_EQ(z(4, 3), a(3, 4));
    Tensor<float> e = hoc::eval(a + 1.0f);
    EXPECT_EQ(e(0, 0), 1.0f);
    // A number fills.
    y = 7.0f;
    EXPECT_EQ(y(2), 7.0f);
}

TEST(ExprAssign, SameElementReadIsSafeAndNotCopied) {
    Tensor<float> a = iota(Shape{50, 33}), b = iota(Shape{33});
    const float* buffer = a.data();
    a = a * 2.0f + b;  // reads exactly the element it writes: no temporary needed
    EXPECT_EQ(a.data(), buffer);
    EXPECT_FALSE(hoc::expr::detail::harmful_overlap(a.view(), a * 2.0f + b));
    for (index_t i = 0; i < 50; ++i)
        for (index_t j = 0; j < 33; ++j) EXPECT_EQ(a(i, j), float(i * 33 + j) * 2 + float(j));
    a += b;
    EXPECT_EQ(a.data(), buffer);
    EXPECT_EQ(a(1, 2), float(35) * 2 + 2 + 2);
    // The same through a strided view onto itself.
    auto v = hoc::slice(a, 1, 0, 33, 2);
    EXPECT_FALSE(hoc::expr::detail::harmful_overlap(v, v * 2.0f));
    const float before = a(0, 2);
    v *= 2.0f;
    EXPECT_EQ(a(0, 2), before * 2);
}

TEST(ExprAssign, HarmfulOverlapGoesThroughATemporary) {
    // a = a.T(): square, so the shape matches and the write is in place.
    Tensor<float> a = iota(Shape{37, 37});
    EXPECT_TRUE(hoc::expr::detail::harmful_overlap(a.view(), hoc::expr::as_node(a.T())));
    a = a.T();
    for (index_t i = 0; i < 37; ++i)
        for (index_t j = 0; j < 37; ++j) ASSERT_EQ(a(i, j), float(j * 37 + i));
    // a = a + a.T()
    Tensor<float> b = iota(Shape{20, 20});
    b = b + b.T();
    for (index_t i = 0; i < 20; ++i)
        for (index_t j = 0; j < 20; ++j) ASSERT_EQ(b(i, j), float(i * 20 + j + j * 20 + i));
    // Shifted slices: x = x[:-1] + x[1:] rebinds (shape n-1) and reads the old x.
    const index_t n = 100;
    Tensor<float> x = iota(Shape{n});
    x = hoc::slice(x, 0, 0, n - 1) + hoc::slice(x, 0, 1, n);
    ASSERT_EQ(x.shape(), Shape{n - 1});
    for (index_t i = 0; i < n - 1; ++i) ASSERT_EQ(x(i), float(2 * i + 1));
    // Shifted in place through views, both directions (forward and backward overlap).
    Tensor<float> y = iota(Shape{n});
    hoc::slice(y, 0, 1, n) = hoc::slice(y, 0, 0, n - 1);
    for (index_t i = 1; i < n; ++i) ASSERT_EQ(y(i), float(i - 1));
    Tensor<float> w = iota(Shape{n});
    hoc::slice(w, 0, 0, n - 1) = hoc::slice(w, 0, 1, n) * 1.0f;
    for (index_t i = 0; i < n - 1; ++i) ASSERT_EQ(w(i), float(i + 1));
    // Reversed onto itself.
    Tensor<float> r = iota(Shape{n});
    r = hoc::slice(r, 0, n - 1, -n - 1, -1) + 0.0f;
    for (index_t i = 0; i < n; ++i) ASSERT_EQ(r(i), float(n - 1 - i));
    // A row broadcast from inside the destination: x = x - x[0].
    Tensor<float> m = iota(Shape{5, 40});
    m = m - hoc::slice(m, 0, 0, 1);
    for (index_t i = 0; i < 5; ++i)
        for (index_t j = 0; j < 40; ++j) ASSERT_EQ(m(i, j), float(i * 40));
}

TEST(ExprAssign, ViewsBroadcastAndConvert) {
    Tensor<double> t(Shape{3, 4, 5});
    auto v = hoc::slice(t, 1, 1, 3);  // (3, 2, 5)
    v = hoc::arange<double>(5);       // broadcasts to the view's shape
    EXPECT_EQ(t(2, 2, 4), 4.0);
    EXPECT_EQ(t(2, 3, 4), 0.0);
    EXPECT_EQ(t(0, 0, 4), 0.0);
    v = 1.5;
    EXPECT_EQ(t(1, 1, 3), 1.5);
    Tensor<std::int32_t> ints(Shape{5}, 3);
    v += ints;  // int added into double
    EXPECT_EQ(t(1, 1, 3), 4.5);
    v /= 2;
    EXPECT_EQ(t(1, 1, 3), 2.25);
    v -= hoc::square(ints);
    EXPECT_EQ(t(1, 1, 3), 2.25 - 9);
    v *= hoc::slice(t, 1, 0, 1);  // (3, 1, 5): reads elements outside the view; no overlap
    EXPECT_EQ(t(1, 1, 3), 0.0);
    // Writing into a transposed view.
    Tensor<float> sq(Shape{17, 19});
    sq.T() = iota(Shape{19, 17});
    EXPECT_EQ(sq(16, 18), float(18 * 17 + 16));
    // image /= 255.0f on an image-shaped tensor.
    Tensor<float> image(Shape{10, 10, 3}, 255.0f);
    image /= 255.0f;
    EXPECT_EQ(image(9, 9, 2), 1.0f);
    static_assert(std::is_same_v<decltype(image /= 255.0), Tensor<float>&>);
}

TEST(ExprAssign, ErrorsLeaveTheDestinationUntouched) {
    Tensor<float> y = iota(Shape{2, 3});
    Tensor<float> bad(Shape{4});
    auto v = y.view();
    EXPECT_EQ(message_of([&] { v = bad; }),
              "assign: could not broadcast input array from shape (4,) into shape (2, 3): axis 1 has length 4, expected 3 or 1");
    EXPECT_EQ(message_of([&] { v = Tensor<float>(Shape{2, 2, 3}) + 1.0f; }),
              "assign: could not broadcast input array from shape (2, 2, 3) into shape (2, 3): too many dimensions");
    EXPECT_EQ(message_of([&] { y += Tensor<float>(Shape{3, 2, 3}); }),
              "add: non-broadcastable output operand with shape (2, 3) doesn't match the broadcast shape (3, 2, 3): too many dimensions");
    EXPECT_THROW(y *= bad, hoc::ShapeError);
    for (index_t i = 0; i < 6; ++i) EXPECT_EQ(y.data()[i], float(i));
    // A failing computation inside an expression throws before anything is written.
    struct Throws {
        using value_type = float;
        using computation_tag = void;
        Shape shape() const { return Shape{2, 3}; }
        void evaluate_into(TensorView<float>) const { throw hoc::LinAlgError("Singular matrix"); }
        bool reads_memory(const void*, const void*) const { return false; }
    };
    EXPECT_THROW(y = Throws{} + y, hoc::LinAlgError);
    for (index_t i = 0; i < 6; ++i) EXPECT_EQ(y.data()[i], float(i));
}

TEST(ExprAssign, ComputationLeafIsEvaluatedOnce) {
    Tensor<float> x = iota(Shape{64, 48}), bias = iota(Shape{48});
    int calls = 0;
    Doubler c{x.view(), &calls};
    Tensor<float> out(Shape{64, 48});
    out = hoc::maximum(c + bias - 100.0f, 0.0f);
    EXPECT_EQ(calls, 1);
    for (index_t i = 0; i < 64; ++i)
        for (index_t j = 0; j < 48; ++j) ASSERT_EQ(out(i, j), std::max(2 * x(i, j) + bias(j) - 100.0f, 0.0f));
    // A tree can be inspected for its Computation leaf (the future GEMM-epilogue fusion).
    auto e = hoc::maximum(Doubler{x.view(), &calls} + bias, 0.0f);
    int found = 0;
    hoc::expr::for_each_leaf(e, [&](const auto& leaf) {
        if constexpr (hoc::expr::is_computation_leaf<std::remove_cvref_t<decltype(leaf)>>::value) {
            ++found;
            EXPECT_EQ(leaf.shape(), x.shape());
        }
    });
    EXPECT_EQ(found, 1);
    // x = f(computation reading x): the computation runs into its own temporary first.
    Tensor<float> xs = iota(Shape{8});
    xs = Doubler{xs.view(), &calls} + xs;
    for (index_t i = 0; i < 8; ++i) EXPECT_EQ(xs(i), 3.0f * float(i));
    // eval of a computation: one evaluation, straight into the result.
    const int before = calls;
    Tensor<float> ev = hoc::eval(Doubler{x.view(), &calls});
    EXPECT_EQ(calls, before + 1);
    EXPECT_EQ(ev(3, 4), 2 * x(3, 4));
    // A view assigned straight from a computation.
    Tensor<float> dst(Shape{64, 48});
    dst.view() = Doubler{x.view(), &calls};
    EXPECT_EQ(dst(63, 47), 2 * x(63, 47));
}

TEST(ExprAssign, MatmulInsideAnExpression) {
    auto x = random_tensor<float>(Shape{33, 20}, 1), w = random_tensor<float>(Shape{20, 17}, 2);
    auto b = random_tensor<float>(Shape{17}, 3);
    Tensor<float> out = hoc::maximum(hoc::matmul(x, w) + b, 0.0f);
    for (index_t i = 0; i < 33; ++i)
        for (index_t j = 0; j < 17; ++j) {
            double acc = 0;
            for (index_t k = 0; k < 20; ++k) acc += double(x(i, k)) * double(w(k, j));
            // 20 float products summed: error well under 1e-5 relative to the magnitudes (|terms| <= 4).
            EXPECT_NEAR(out(i, j), std::max(acc + b(j), 0.0), 1e-4);
        }
}

TEST(ExprAssign, IdenticalResultsAtOneAndTwoThreads) {
    // Large enough to be split; odd length so chunk borders and tails move.
    auto a = random_tensor<float>(Shape{1000, 1001}, 4), b = random_tensor<float>(Shape{1001}, 5);
    auto run = [&] { return Tensor<float>(hoc::tanh(a * b) + hoc::exp(-hoc::square(a)) - b); };
    Tensor<float> one = with_threads(1, run), two = with_threads(2, run);
    for (index_t i = 0; i < one.size(); ++i) ASSERT_EQ(one.data()[i], two.data()[i]) << i;
    // Strided and broadcast operands too.
    auto run2 = [&] { return Tensor<float>(a.T() * 2.0f + hoc::slice(a, 1, 0, 1).T()); };
    Tensor<float> s1 = with_threads(1, run2), s2 = with_threads(2, run2);
    for (index_t i = 0; i < s1.size(); ++i) ASSERT_EQ(s1.data()[i], s2.data()[i]) << i;
    EXPECT_EQ(s1(5, 7), a(7, 5) * 2 + a(7, 0));
}

TEST(ExprAssign, LargeContiguousAssignmentStreams) {
    // Above the streaming threshold (16 MiB): the non-temporal path must give the same values.
    const index_t n = (index_t(17) << 20) / 4 + 5;
    Tensor<float> a = hoc::arange<float>(n);
    Tensor<float> y = a * 3.0f + 1.0f;
    for (index_t i = 0; i < n; i += 997) ASSERT_EQ(y(i), a(i) * 3.0f + 1.0f);
    ASSERT_EQ(y(n - 1), a(n - 1) * 3.0f + 1.0f);
}

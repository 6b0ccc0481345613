// Tensors, shapes and views, checked against index arithmetic done by hand.
#include <hoc/hoc.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numeric>

using hoc::index_t;
using hoc::Shape;
using hoc::Tensor;
using hoc::TensorView;

namespace {

// Fills t with 0, 1, 2, ... in row-major order.
template <class T>
Tensor<T> iota(const Shape& s) {
    Tensor<T> t(s);
    std::iota(t.data(), t.data() + t.size(), T(0));
    return t;
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

}  // namespace

TEST(Shape, BasicsAndPrinting) {
    Shape s{2, 3};
    EXPECT_EQ(s.size(), 2);
    EXPECT_EQ(s[0], 2);
    EXPECT_EQ(s[1], 3);
    EXPECT_EQ(s, (Shape{2, 3}));
    EXPECT_NE(s, (Shape{3, 2}));
    EXPECT_EQ(hoc::shape_string(s), "(2, 3)");
    EXPECT_EQ(hoc::shape_string(Shape{5}), "(5,)");
    EXPECT_EQ(hoc::shape_string(Shape{}), "()");
}

TEST(Shape, RejectsNegativeAndOverflow) {
    EXPECT_THROW(Tensor<float>(Shape{2, -1}), std::invalid_argument);
    const index_t big = std::numeric_limits<index_t>::max() / 2;
    EXPECT_THROW(Tensor<float>(Shape{big, 3}), std::invalid_argument);
    EXPECT_NE(message_of([&] { Tensor<float> t(Shape{big, 3}); }).find("index_t"), std::string::npos);
    EXPECT_THROW(Tensor<float>(Shape{0, big, 3}), std::invalid_argument);  // strides would overflow
    EXPECT_EQ(Tensor<float>(Shape{0, 1 << 20, 1 << 20}).size(), 0);
    EXPECT_THROW(Shape(std::vector<index_t>(17, 1)), std::invalid_argument);
}

TEST(Shape, RejectsByteSizeOverflow) {
    // The element count fits index_t but its byte count does not: before the
    // check this gave a tensor of 2^61+1 elements on an 8-byte buffer.
    const index_t n = (index_t{1} << 61) + 1;
    EXPECT_THROW(Tensor<double>(Shape{n}, 1.0), std::invalid_argument);
    EXPECT_NE(message_of([&] { Tensor<double> t(Shape{n}); }).find("too big"), std::string::npos);
    EXPECT_THROW(hoc::linspace<double>(0, 1, n), std::invalid_argument);
    EXPECT_THROW(Tensor<float>(Shape{index_t{1} << 62}), std::invalid_argument);
    EXPECT_EQ(Tensor<double>(Shape{3}, 1.0).size(), 3);
    // arange's length is checked before it is converted (UBSan flagged the cast).
    EXPECT_THROW(hoc::arange<double>(0, 1e30, 1), std::invalid_argument);
    EXPECT_EQ(hoc::arange<double>(0, 1e30, 1e29).size(), static_cast<index_t>(std::ceil(1e30 / 1e29)));  // NumPy: 11
}

TEST(Views, ExtremeStepsAndReshapeProductsDoNotOverflow) {
    // UBSan flagged -step and stride * step for INT64_MIN, and reshape's size product.
    const index_t lo = std::numeric_limits<index_t>::min(), hi = std::numeric_limits<index_t>::max();
    Tensor<int> t = iota<int>(Shape{10});
    auto first = hoc::slice(t, 0, 9, -11, lo);  // 9 only, as t[9::-2**63] in NumPy
    ASSERT_EQ(first.shape(), Shape{1});
    EXPECT_EQ(first(0), 9);
    auto last = hoc::slice(t, 0, 0, 10, hi);  // 0 only
    ASSERT_EQ(last.shape(), Shape{1});
    EXPECT_EQ(last(0), 0);
    EXPECT_EQ(hoc::slice(t, 0, 0, 10, lo).size(), 0);
    const index_t big = index_t{1} << 40;
    EXPECT_THROW(t.reshape(Shape{big, big, -1}), hoc::ShapeError);
    EXPECT_NE(message_of([&] { (void)t.reshape(Shape{big, big, 0}); }).find("size 10"), std::string::npos);
    EXPECT_EQ(t.reshape(Shape{2, -1}).shape(), (Shape{2, 5}));
}

TEST(Tensor, ShapesFromZeroToSixDimensions) {
    const Shape shapes[] = {Shape{}, Shape{0}, Shape{1}, Shape{7}, Shape{3, 0}, Shape{1, 1},
                            Shape{2, 3, 4}, Shape{1, 5, 1, 2}, Shape{2, 1, 3, 1, 2},
                            Shape{2, 2, 1, 3, 2, 2}};
    for (const Shape& s : shapes) {
        Tensor<double> t(s);
        index_t n = 1;
        for (index_t d : s) n *= d;
        EXPECT_EQ(t.size(), n) << hoc::shape_string(s);
        EXPECT_EQ(t.ndim(), s.size());
        EXPECT_EQ(reinterpret_cast<std::uintptr_t>(t.data()) % 64, 0u);
        for (index_t i = 0; i < t.size(); ++i) EXPECT_EQ(t.data()[i], 0.0);
        // Row-major strides by hand: stride[i] = product of the lengths after i.
        const hoc::Strides st = t.strides();
        for (index_t i = 0; i < s.size(); ++i) {
            index_t expect = 1;
            for (index_t j = i + 1; j < s.size(); ++j) expect *= std::max<index_t>(s[j], 1);
            EXPECT_EQ(st[i], expect);
        }
    }
    EXPECT_EQ(Tensor<float>().shape(), Shape{0});
    Tensor<float> scalar(Shape{});
    EXPECT_EQ(scalar.size(), 1);
}

TEST(Tensor, ElementAccessAndBounds) {
    Tensor<int> t = iota<int>(Shape{2, 3, 4});
    EXPECT_EQ(t(1, 2, 3), 1 * 12 + 2 * 4 + 3);
    EXPECT_EQ(t.at(0, 1, 2), 6);
    EXPECT_THROW(t.at(2, 0, 0), std::out_of_range);
    EXPECT_THROW(t.at(0, 0, -1), std::out_of_range);
    EXPECT_THROW(t.at(0, 0), std::out_of_range);
    EXPECT_EQ(message_of([&] { t.at(0, 3, 0); }),
              "hoc: index 3 is out of bounds for axis 1 with size 3");
}

TEST(Tensor, CopyIsDeepMoveIsCheap) {
    Tensor<float> a = iota<float>(Shape{3, 2});
    Tensor<float> b = a;
    b(0, 0) = 42;
    EXPECT_EQ(a(0, 0), 0.0f);
    const float* p = a.data();
    Tensor<float> c = std::move(a);
    EXPECT_EQ(c.data(), p);
    Tensor<float> d(Shape{3, 2});
    const float* dp = d.data();
    d = c;  // same shape: reuses the buffer
    EXPECT_EQ(d.data(), dp);
    EXPECT_EQ(d(2, 1), 5.0f);
}

TEST(Views, TransposeMatchesIndexArithmetic) {
    Tensor<int> t = iota<int>(Shape{2, 3, 4});
    auto v = t.T();
    EXPECT_EQ(v.shape(), (Shape{4, 3, 2}));
    EXPECT_EQ(v.strides(), (hoc::Strides{1, 4, 12}));
    for (index_t i = 0; i < 4; ++i)
        for (index_t j = 0; j < 3; ++j)
            for (index_t k = 0; k < 2; ++k) EXPECT_EQ(v(i, j, k), t(k, j, i));
    auto p = hoc::transpose(t, {1, 2, 0});
    EXPECT_EQ(p.shape(), (Shape{3, 4, 2}));
    for (index_t i = 0; i < 3; ++i)
        for (index_t j = 0; j < 4; ++j)
            for (index_t k = 0; k < 2; ++k) EXPECT_EQ(p(i, j, k), t(k, i, j));
    EXPECT_EQ(p.data(), t.data());  // no copy
    EXPECT_THROW(hoc::transpose(t, {0, 0, 1}), std::invalid_argument);
    EXPECT_THROW(hoc::transpose(t, {0, 1}), std::invalid_argument);
}

TEST(Views, SliceWithStepsAndNegativeIndices) {
    Tensor<int> t = iota<int>(Shape{10});
    auto s = hoc::slice(t, 0, 1, 8, 3);  // 1, 4, 7
    ASSERT_EQ(s.shape(), Shape{3});
    EXPECT_EQ(s(0), 1);
    EXPECT_EQ(s(2), 7);
    EXPECT_EQ(s.strides()[0], 3);
    auto r = hoc::slice(t, 0, 9, -11, -1);  // reversed, all ten
    ASSERT_EQ(r.shape(), Shape{10});
    for (index_t i = 0; i < 10; ++i) EXPECT_EQ(r(i), 9 - i);
    auto tail = hoc::slice(t, 0, -3, 100);  // 7, 8, 9
    ASSERT_EQ(tail.shape(), Shape{3});
    EXPECT_EQ(tail(0), 7);
    EXPECT_EQ(hoc::slice(t, 0, 5, 5).size(), 0);
    EXPECT_EQ(hoc::slice(t, 0, 8, 2, -3).shape(), Shape{2});  // 8, 5
    EXPECT_THROW(hoc::slice(t, 0, 0, 5, 0), std::invalid_argument);
    EXPECT_THROW(hoc::slice(t, 1, 0, 5), std::invalid_argument);

    Tensor<int> m = iota<int>(Shape{4, 5});
    auto c = hoc::slice(m, 1, 4, 0, -2);  // columns 4, 2
    ASSERT_EQ(c.shape(), (Shape{4, 2}));
    for (index_t i = 0; i < 4; ++i) {
        EXPECT_EQ(c(i, 0), m(i, 4));
        EXPECT_EQ(c(i, 1), m(i, 2));
    }
    c(1, 1) = -5;  // writes through
    EXPECT_EQ(m(1, 2), -5);
}

TEST(Views, ReshapeViewsAndErrors) {
    Tensor<int> t = iota<int>(Shape{2, 3, 4});
    auto r = t.reshape(Shape{4, -1});
    EXPECT_EQ(r.shape(), (Shape{4, 6}));
    EXPECT_EQ(r.data(), t.data());
    EXPECT_EQ(r(3, 5), 23);
    EXPECT_THROW(t.reshape(Shape{5, -1}), hoc::ShapeError);
    EXPECT_THROW(t.reshape(Shape{-1, -1}), std::invalid_argument);
    EXPECT_EQ(message_of([&] { t.reshape(Shape{7}); }),
              "reshape: cannot reshape array of size 24 into shape (7,)");
    // A transposed view cannot merge its axes without a copy...
    auto tt = t.T();
    EXPECT_THROW(tt.reshape(Shape{24}), hoc::ShapeError);
    // ...but may split one, or add length-1 axes.
    auto split = tt.reshape(Shape{2, 2, 3, 2});
    for (index_t a = 0; a < 2; ++a)
        for (index_t b = 0; b < 2; ++b)
            for (index_t c = 0; c < 3; ++c)
                for (index_t d = 0; d < 2; ++d) EXPECT_EQ(split(a, b, c, d), tt(a * 2 + b, c, d));
    auto ones = tt.reshape(Shape{1, 4, 1, 3, 2, 1});
    EXPECT_EQ(ones(0, 3, 0, 2, 1, 0), tt(3, 2, 1));
    // A sliced (strided) axis can be split.
    Tensor<int> line = iota<int>(Shape{12});
    auto pairs = hoc::slice(line, 0, 0, 12, 2).reshape(Shape{3, 2});
    EXPECT_EQ(pairs.strides(), (hoc::Strides{4, 2}));
    EXPECT_EQ(pairs(2, 1), 10);
}

TEST(Views, BroadcastTo) {
    Tensor<int> row = iota<int>(Shape{3});
    auto b = hoc::broadcast_to(row, Shape{4, 3});
    EXPECT_EQ(b.shape(), (Shape{4, 3}));
    EXPECT_EQ(b.strides(), (hoc::Strides{0, 1}));
    for (index_t i = 0; i < 4; ++i)
        for (index_t j = 0; j < 3; ++j) EXPECT_EQ(b(i, j), j);
    Tensor<int> col = iota<int>(Shape{4, 1});
    auto c = hoc::broadcast_to(col, Shape{2, 4, 5});
    EXPECT_EQ(c(1, 3, 4), 3);
    EXPECT_THROW(hoc::broadcast_to(row, Shape{4, 2}), hoc::ShapeError);
    EXPECT_THROW(hoc::broadcast_to(col, Shape{4}), hoc::ShapeError);
}

TEST(Views, CopyFromViewAndWriteThrough) {
    Tensor<int> t = iota<int>(Shape{3, 4});
    Tensor<int> tt(t.T());
    EXPECT_EQ(tt.shape(), (Shape{4, 3}));
    for (index_t i = 0; i < 4; ++i)
        for (index_t j = 0; j < 3; ++j) EXPECT_EQ(tt(i, j), t(j, i));
    // a = a.T() rebinds safely.
    t = t.T();
    EXPECT_EQ(t.shape(), (Shape{4, 3}));
    EXPECT_EQ(t(3, 2), 11);
    // Overlapping write through a view: x[1:] = x[:-1] shifts right.
    Tensor<int> x = iota<int>(Shape{6});
    TensorView<int> dst = hoc::slice(x, 0, 1, 6);
    dst = hoc::slice(x, 0, 0, 5);
    const int expect[] = {0, 0, 1, 2, 3, 4};
    for (index_t i = 0; i < 6; ++i) EXPECT_EQ(x(i), expect[i]);
}

TEST(Creation, Functions) {
    auto e = hoc::eye<double>(3);
    for (index_t i = 0; i < 3; ++i)
        for (index_t j = 0; j < 3; ++j) EXPECT_EQ(e(i, j), i == j ? 1.0 : 0.0);
    auto a = hoc::arange<float>(5);
    EXPECT_EQ(a.shape(), Shape{5});
    EXPECT_EQ(a(4), 4.0f);
    auto b = hoc::arange<double>(1.0, 2.0, 0.25);  // numpy: [1, 1.25, 1.5, 1.75]
    ASSERT_EQ(b.size(), 4);
    EXPECT_EQ(b(3), 1.75);
    EXPECT_EQ(hoc::arange<int>(5.0, 0.0, -2.0).size(), 3);
    EXPECT_EQ(hoc::arange<int>(5.0, 0.0, 1.0).size(), 0);
    EXPECT_THROW(hoc::arange<int>(0.0, 1.0, 0.0), std::invalid_argument);
    auto l = hoc::linspace<double>(0.0, 1.0, 5);
    EXPECT_EQ(l(1), 0.25);
    EXPECT_EQ(l(4), 1.0);
    EXPECT_THROW(hoc::linspace<double>(0, 1, -1), std::invalid_argument);
    EXPECT_EQ(hoc::full<int>(Shape{2}, 7)(1), 7);
    EXPECT_EQ(hoc::ones<float>(Shape{2, 2})(1, 1), 1.0f);
    auto n = hoc::tensor<float>({{1, 2, 3}, {4, 5, 6}});
    EXPECT_EQ(n.shape(), (Shape{2, 3}));
    EXPECT_EQ(n(1, 0), 4.0f);
    auto n3 = hoc::tensor<int>({{{1}, {2}}, {{3}, {4}}});
    EXPECT_EQ(n3.shape(), (Shape{2, 2, 1}));
    EXPECT_EQ(n3(1, 1, 0), 4);
    EXPECT_THROW(hoc::tensor<int>({{1, 2}, {3}}), hoc::ShapeError);
}

TEST(Threads, SetAndGet) {
    const int before = hoc::num_threads();
    EXPECT_GE(before, 1);
    hoc::set_num_threads(1);
    EXPECT_EQ(hoc::num_threads(), 1);
    EXPECT_THROW(hoc::set_num_threads(0), std::invalid_argument);
    hoc::set_num_threads(2);
    std::atomic<index_t> total{0};
    hoc::detail::parallel_for(0, 1000, 10, [&](index_t lo, index_t hi) { total += hi - lo; });
    EXPECT_EQ(total.load(), 1000);
    hoc::set_num_threads(before);
}

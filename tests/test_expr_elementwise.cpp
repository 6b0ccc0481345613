// Element-wise expressions against naive scalar loops: every broadcasting
// corner, 0 to 5 dimensions, odd lengths leaving SIMD tails, strided,
// transposed and negative-step operands, every function and type rule.
//
// Tolerances: + - * / are compared at 4 float ulps (2^-21 relative), since the
// compiler may contract a*b+c into an FMA in one path and not the other; the
// transcendental functions (xsimd's vs the C library's) at 1e-5 for float and
// 1e-13 for double, both well inside the functions' documented few-ulp errors
// but far below any real mistake (a wrong element is off by O(1)).
#include "test_expr_util.hpp"

using namespace expr_test;

namespace {

constexpr double kArithTol = 1.0 / (1 << 21);

struct ShapePair {
    Shape a, b;
};

const ShapePair kPairs[] = {
    {Shape{}, Shape{}},           {Shape{0}, Shape{0}},          {Shape{1}, Shape{5}},
    {Shape{7}, Shape{1}},         {Shape{17}, Shape{17}},        {Shape{33}, Shape{}},
    {Shape{3, 1}, Shape{1, 4}},   {Shape{2, 3}, Shape{3}},       {Shape{0, 3}, Shape{3}},
    {Shape{4, 0}, Shape{1}},      {Shape{5, 1, 3}, Shape{4, 1}}, {Shape{2, 3, 4, 5}, Shape{1, 4, 1}},
    {Shape{2, 1, 3, 1, 33}, Shape{3, 1, 1}}, {Shape{1, 1, 1}, Shape{1}},
    {Shape{37, 19}, Shape{37, 1}}, {Shape{129, 65}, Shape{65}},  {Shape{300, 301}, Shape{300, 301}},
};

}  // namespace

TEST(ExprElementwise, ChainMatchesScalarLoopOverBroadcastShapes) {
    unsigned seed = 1;
    for (const auto& p : kPairs) {
        auto a = random_tensor<float>(p.a, seed++);
        auto b = random_tensor<float>(p.b, seed++, 1.0, 2.0);
        Tensor<float> y = a * b + a - b / 2.0f;
        const Shape s = hoc::broadcast_shapes(p.a, p.b);
        ASSERT_EQ(y.shape(), s) << hoc::shape_string(p.a) << " " << hoc::shape_string(p.b);
        for_each_index(s, [&](const std::vector<index_t>& i) {
            const float x = bcast_at(a.cview(), i), z = bcast_at(b.cview(), i);
            EXPECT_TRUE(near(bcast_at(y.cview(), i), x * z + x - z / 2.0f, kArithTol));
        });
        // Swapped operand order too (broadcast on the left).
        Tensor<float> y2 = b - a;
        for_each_index(s, [&](const std::vector<index_t>& i) {
            EXPECT_EQ(bcast_at(y2.cview(), i), bcast_at(b.cview(), i) - bcast_at(a.cview(), i));
        });
    }
}

TEST(ExprElementwise, StridedTransposedAndNegativeStepOperands) {
    auto base = random_tensor<double>(Shape{40, 38}, 7);
    auto other = random_tensor<double>(Shape{38, 40}, 8);
    auto strided = hoc::slice(base, 1, 0, 38, 2);              // (40, 19), stride 2
    auto reversed = hoc::slice(base, 0, 39, -41, -1);           // (40, 38), negative step
    auto transposed = other.T();                                // (40, 38), strides (1, 40)
    Tensor<double> y = reversed * transposed + 1.0;
    for (index_t i = 0; i < 40; ++i)
        for (index_t j = 0; j < 38; ++j) EXPECT_TRUE(near(y(i, j), base(39 - i, j) * other(j, i) + 1.0, 1e-15));
    Tensor<double> z = hoc::sqrt(hoc::abs(strided)) - strided;
    ASSERT_EQ(z.shape(), (Shape{40, 19}));
    for (index_t i = 0; i < 40; ++i)
        for (index_t j = 0; j < 19; ++j)
            EXPECT_TRUE(near(z(i, j), std::sqrt(std::abs(base(i, 2 * j))) - base(i, 2 * j), 1e-13));
    // A column (stride 38) against a row: an outer product through broadcasting.
    auto col = hoc::slice(base, 1, 5, 6).reshape(Shape{40, 1});
    auto row = hoc::slice(other, 0, 2, 3);  // (1, 40)
    Tensor<double> outer = col * row;
    for (index_t i = 0; i < 40; ++i)
        for (index_t j = 0; j < 40; ++j) EXPECT_EQ(outer(i, j), base(i, 5) * other(2, j));
    // broadcast_to views (stride 0) as operands.
    auto b = hoc::broadcast_to(hoc::slice(base, 0, 3, 4), Shape{5, 40, 38});
    Tensor<double> w = b + reversed;
    EXPECT_EQ(w.shape(), (Shape{5, 40, 38}));
    EXPECT_EQ(w(4, 10, 7), base(3, 7) + base(29, 7));
}

TEST(ExprElementwise, EveryFunctionFloatAndDouble) {
    auto check = [](auto tag, double tol) {
        using T = decltype(tag);
        auto a = random_tensor<T>(Shape{3, 37}, 11, 0.1, 3.0);
        auto b1 = random_tensor<T>(Shape{37}, 12, -2.0, 2.0);
        auto b = hoc::broadcast_to(b1, Shape{3, 37});  // a stride-0 operand
        auto pos = [&](auto f) {
            Tensor<T> r = f(a);
            return r;
        };
        struct Case {
            const char* name;
            Tensor<T> got;
            std::function<T(T, T)> want;
        };
        std::vector<Case> cases;
        cases.push_back({"abs", Tensor<T>(hoc::abs(b - a)), [](T x, T y) { return std::abs(y - x); }});
        cases.push_back({"sqrt", pos([](auto& x) { return Tensor<T>(hoc::sqrt(x)); }), [](T x, T) { return std::sqrt(x); }});
        cases.push_back({"exp", Tensor<T>(hoc::exp(b)), [](T, T y) { return std::exp(y); }});
        cases.push_back({"log", Tensor<T>(hoc::log(a)), [](T x, T) { return std::log(x); }});
        cases.push_back({"sin", Tensor<T>(hoc::sin(a * b)), [](T x, T y) { return std::sin(x * y); }});
        cases.push_back({"cos", Tensor<T>(hoc::cos(a * b)), [](T x, T y) { return std::cos(x * y); }});
        cases.push_back({"tanh", Tensor<T>(hoc::tanh(b)), [](T, T y) { return std::tanh(y); }});
        cases.push_back({"square", Tensor<T>(hoc::square(b)), [](T, T y) { return y * y; }});
        cases.push_back({"pow", Tensor<T>(hoc::pow(a, b)), [](T x, T y) { return std::pow(x, y); }});
        cases.push_back({"pow scalar", Tensor<T>(hoc::pow(a, 2)), [](T x, T) { return std::pow(x, T(2)); }});
        cases.push_back({"maximum", Tensor<T>(hoc::maximum(a - 1, b)), [](T x, T y) { return std::max(x - 1, y); }});
        cases.push_back({"minimum", Tensor<T>(hoc::minimum(a - 1, b)), [](T x, T y) { return std::min(x - 1, y); }});
        cases.push_back({"clip", Tensor<T>(hoc::clip(b, -0.5, 0.5)), [](T, T y) { return std::clamp(y, T(-0.5), T(0.5)); }});
        cases.push_back({"where", Tensor<T>(hoc::where(b > 0, a, -b)), [](T x, T y) { return y > 0 ? x : -y; }});
        cases.push_back({"negate", Tensor<T>(-b + a), [](T x, T y) { return -y + x; }});
        for (auto& c : cases) {
            ASSERT_EQ(c.got.shape(), (Shape{3, 37})) << c.name;
            for (index_t i = 0; i < 3; ++i)
                for (index_t j = 0; j < 37; ++j)
                    EXPECT_TRUE(near(c.got(i, j), c.want(a(i, j), b1(j)), tol)) << c.name << " at " << i << "," << j;
        }
    };
    check(float{}, 1e-5);
    check(double{}, 1e-13);
}

TEST(ExprElementwise, ComparisonsAreBoolValued) {
    auto a = hoc::tensor<float>({1, 2, 3, std::nanf("")});
    auto b = hoc::tensor<float>({3, 2, 1, 0});
    static_assert(std::is_same_v<decltype(a < b)::value_type, bool>);
    const bool lt[] = {1, 0, 0, 0}, le[] = {1, 1, 0, 0}, gt[] = {0, 0, 1, 0}, ge[] = {0, 1, 1, 0},
               eq[] = {0, 1, 0, 0}, ne[] = {1, 0, 1, 1};  // NaN compares false, != true
    Tensor<bool> r;
    r = a < b;
    for (index_t i = 0; i < 4; ++i) EXPECT_EQ(r(i), lt[i]);
    r = a <= b;
    for (index_t i = 0; i < 4; ++i) EXPECT_EQ(r(i), le[i]);
    r = a > b;
    for (index_t i = 0; i < 4; ++i) EXPECT_EQ(r(i), gt[i]);
    r = a >= b;
    for (index_t i = 0; i < 4; ++i) EXPECT_EQ(r(i), ge[i]);
    r = a == b;
    for (index_t i = 0; i < 4; ++i) EXPECT_EQ(r(i), eq[i]);
    r = a != b;
    for (index_t i = 0; i < 4; ++i) EXPECT_EQ(r(i), ne[i]);
    // Scalars on either side.
    r = 2.0f < a;
    EXPECT_EQ(r(2), true);
    EXPECT_EQ(r(1), false);
    // A bool tensor as where's condition, in a SIMD-sized loop.
    auto x = random_tensor<float>(Shape{70}, 3);
    Tensor<bool> m = x > 0.0f;
    Tensor<float> w = hoc::where(m, x, 0.0f);
    for (index_t i = 0; i < 70; ++i) EXPECT_EQ(w(i), x(i) > 0 ? x(i) : 0.0f);
}

// maximum / minimum in SIMD (one max/min instruction plus a NaN fix-up) and
// in the scalar tail agree with NumPy's rule: a NaN on either side wins, and
// of two equal values (-0.0 and +0.0) the first operand is returned.
template <class T>
void check_extremes_rule() {
    const T nan = std::numeric_limits<T>::quiet_NaN(), inf = std::numeric_limits<T>::infinity();
    const T pairs[][2] = {{-0.0, 0.0}, {0.0, -0.0}, {nan, 1}, {1, nan}, {nan, nan}, {inf, -inf}, {-inf, 2}, {3, 3}};
    const index_t n = 37;  // SIMD body and tail for every width
    Tensor<T> a(Shape{n}), b(Shape{n});
    for (index_t i = 0; i < n; ++i) a(i) = pairs[i % 8][0], b(i) = pairs[i % 8][1];
    const Tensor<T> mx = hoc::maximum(a, b), mn = hoc::minimum(a, b);
    for (index_t i = 0; i < n; ++i) {
        const T x = a(i), y = b(i);
        if (std::isnan(x) || std::isnan(y)) {
            EXPECT_TRUE(std::isnan(mx(i)) && std::isnan(mn(i))) << i;
            continue;
        }
        const T want_max = x < y ? y : x, want_min = y < x ? y : x;  // ties: x
        EXPECT_EQ(mx(i), want_max) << i;
        EXPECT_EQ(std::signbit(mx(i)), std::signbit(want_max)) << i;
        EXPECT_EQ(mn(i), want_min) << i;
        EXPECT_EQ(std::signbit(mn(i)), std::signbit(want_min)) << i;
    }
    // A broadcast scalar on the right (the relu form), NaN or not.
    const Tensor<T> relu = hoc::maximum(a, T(0)), nan_right = hoc::maximum(a, nan);
    for (index_t i = 0; i < n; ++i) {
        if (std::isnan(a(i))) {
            EXPECT_TRUE(std::isnan(relu(i))) << i;
        } else {
            const T want = a(i) < 0 ? T(0) : a(i);
            EXPECT_EQ(relu(i), want) << i;
            EXPECT_EQ(std::signbit(relu(i)), std::signbit(want)) << i;
        }
        EXPECT_TRUE(std::isnan(nan_right(i))) << i;
    }
}

TEST(ExprElementwise, MaximumMinimumTiesAndNanSides) {
    check_extremes_rule<float>();
    check_extremes_rule<double>();
}

TEST(ExprElementwise, NanAndInfPropagation) {
    const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
    // 40 elements so that both the SIMD body and the tail see NaN on either side.
    Tensor<float> a(Shape{40}), b(Shape{40});
    for (index_t i = 0; i < 40; ++i) {
        a(i) = i % 3 == 0 ? nan : float(i);
        b(i) = i % 5 == 0 ? nan : (i % 7 == 0 ? -inf : float(20 - i));
    }
    Tensor<float> mx = hoc::maximum(a, b), mn = hoc::minimum(a, b), cl = hoc::clip(a, 2.0f, 10.0f);
    for (index_t i = 0; i < 40; ++i) {
        const bool any_nan = std::isnan(a(i)) || std::isnan(b(i));
        if (any_nan) {
            EXPECT_TRUE(std::isnan(mx(i))) << i;
            EXPECT_TRUE(std::isnan(mn(i))) << i;
        } else {
            EXPECT_EQ(mx(i), std::max(a(i), b(i)));
            EXPECT_EQ(mn(i), std::min(a(i), b(i)));
        }
        if (std::isnan(a(i))) EXPECT_TRUE(std::isnan(cl(i)));
        else EXPECT_EQ(cl(i), std::clamp(a(i), 2.0f, 10.0f));
    }
    Tensor<double> z = hoc::tensor<double>({0.0, -1.0, 1.0});
    Tensor<double> l = hoc::log(z), q = hoc::sqrt(z), d = 1.0 / z;
    EXPECT_EQ(l(0), -std::numeric_limits<double>::infinity());
    EXPECT_TRUE(std::isnan(l(1)));
    EXPECT_TRUE(std::isnan(q(1)));
    EXPECT_EQ(d(0), std::numeric_limits<double>::infinity());
    Tensor<double> e = hoc::exp(hoc::tensor<double>({1000.0, -1000.0}));
    EXPECT_EQ(e(0), std::numeric_limits<double>::infinity());
    EXPECT_EQ(e(1), 0.0);
}

TEST(ExprElementwise, TypeRules) {
    Tensor<float> f(Shape{5}, 510.0f);
    Tensor<double> d(Shape{5}, 2.0);
    Tensor<std::int32_t> i(Shape{5}, 7);
    Tensor<std::int64_t> l(Shape{5}, 3);
    Tensor<bool> bo(Shape{5}, true);
    Tensor<std::complex<float>> cf(Shape{5}, {1.0f, 2.0f});
    // A scalar takes the tensor's type unless it is of a higher kind (NumPy 2 weak scalars).
    static_assert(std::is_same_v<decltype(f / 255.0)::value_type, float>);
    static_assert(std::is_same_v<decltype(255.0 / f)::value_type, float>);
    static_assert(std::is_same_v<decltype(i * 2)::value_type, std::int32_t>);
    static_assert(std::is_same_v<decltype(i * 2.5)::value_type, double>);
    static_assert(std::is_same_v<decltype(bo + 1)::value_type, std::int64_t>);
    static_assert(std::is_same_v<decltype(f * std::complex<double>(0, 1))::value_type, std::complex<float>>);
    // Two tensors promote by std::common_type (complex wins with the wider precision).
    static_assert(std::is_same_v<decltype(f + d)::value_type, double>);
    static_assert(std::is_same_v<decltype(i + l)::value_type, std::int64_t>);
    static_assert(std::is_same_v<decltype(i + f)::value_type, float>);
    static_assert(std::is_same_v<decltype(bo + i)::value_type, std::int32_t>);
    static_assert(std::is_same_v<decltype(cf + d)::value_type, std::complex<double>>);
    // Float functions of integers compute in double; abs of complex is real.
    static_assert(std::is_same_v<decltype(hoc::sqrt(i))::value_type, double>);
    static_assert(std::is_same_v<decltype(hoc::abs(cf))::value_type, float>);
    static_assert(std::is_same_v<decltype(hoc::cast<std::int64_t>(f))::value_type, std::int64_t>);

    Tensor<float> scaled = f / 255.0;
    EXPECT_EQ(scaled(0), 2.0f);
    auto mixed = hoc::eval(f + d);
    EXPECT_EQ(mixed(4), 512.0);
    Tensor<double> half = i * 0.5;  // int * float scalar: double, not truncated
    EXPECT_EQ(half(0), 3.5);
    Tensor<std::int32_t> idiv = i / 2;  // integer division truncates
    EXPECT_EQ(idiv(0), 3);
    Tensor<std::int32_t> izero = i / 0;  // integer division by zero gives 0, as NumPy (no trap)
    EXPECT_EQ(izero(0), 0);
    Tensor<bool> either = bo + bo;  // bool + bool stays bool (logical or, as NumPy)
    EXPECT_EQ(either(0), true);
    Tensor<bool> bor = bo * false;
    EXPECT_EQ(bor(0), false);
    auto cm = hoc::eval(cf * cf);
    EXPECT_EQ(cm(0), std::complex<float>(-3.0f, 4.0f));
    Tensor<float> mod = hoc::abs(cf);
    EXPECT_TRUE(near(mod(0), std::sqrt(5.0f), 1e-6));
    Tensor<std::int32_t> ii = hoc::pow(i, 3);
    EXPECT_EQ(ii(0), 343);
    Tensor<std::int64_t> ll = hoc::pow(l, l) - l;
    EXPECT_EQ(ll(0), 24);
}

TEST(ExprElementwise, IntegerArithmeticMatchesAndWraps) {
    for (const index_t n : {index_t(1), index_t(15), index_t(16), index_t(17), index_t(100)}) {
        auto a = random_tensor<std::int32_t>(Shape{n}, 5);
        auto b = random_tensor<std::int64_t>(Shape{n}, 6);
        Tensor<std::int32_t> y = a * a - 3 * a + hoc::abs(a) + hoc::maximum(a, 0) + hoc::minimum(a, 2) - (-a);
        Tensor<std::int64_t> z = b * b + a;
        for (index_t k = 0; k < n; ++k) {
            const std::int32_t x = a(k);
            EXPECT_EQ(y(k), x * x - 3 * x + std::abs(x) + std::max(x, 0) + std::min(x, 2) + x);
            EXPECT_EQ(z(k), b(k) * b(k) + x);
        }
    }
    Tensor<std::int32_t> big(Shape{20}, std::numeric_limits<std::int32_t>::max());
    Tensor<std::int32_t> wrapped = big + 1;  // wraps as NumPy, not undefined behaviour
    EXPECT_EQ(wrapped(19), std::numeric_limits<std::int32_t>::min());
}

TEST(ExprElementwise, CastConvertsLikeAstype) {
    auto f = hoc::tensor<float>({-2.7f, -0.5f, 0.0f, 0.5f, 2.7f, 1e10f, std::nanf("")});
    Tensor<std::int32_t> i = hoc::cast<std::int32_t>(f);
    const std::int32_t want[] = {-2, 0, 0, 0, 2, std::numeric_limits<std::int32_t>::min(),
                                 std::numeric_limits<std::int32_t>::min()};
    for (index_t k = 0; k < 7; ++k) EXPECT_EQ(i(k), want[k]) << k;
    // The same in a SIMD-sized loop (the vector conversion must agree).
    Tensor<float> many(Shape{64}, 1e10f);
    Tensor<std::int32_t> mi = hoc::cast<std::int32_t>(many);
    EXPECT_EQ(mi(63), std::numeric_limits<std::int32_t>::min());
    Tensor<bool> nz = hoc::cast<bool>(f);
    EXPECT_EQ(nz(2), false);
    EXPECT_EQ(nz(1), true);
    Tensor<double> back = hoc::cast<double>(i) * 2;
    EXPECT_EQ(back(0), -4.0);
    Tensor<std::complex<double>> c = hoc::cast<std::complex<double>>(f);
    EXPECT_EQ(c(4), std::complex<double>(double(2.7f), 0.0));
    Tensor<double> re = hoc::cast<double>(c);
    EXPECT_EQ(re(4), double(2.7f));
    // Assignment converts to the destination's type (as NumPy's a[...] = b).
    Tensor<double> dst(Shape{7});
    dst = f * 2.0f;
    EXPECT_EQ(dst(0), double(-2.7f * 2.0f));
}

TEST(ExprElementwise, BuildingComputesNothingAndOwnsTemporaries) {
    auto make = [] { return hoc::full<float>(Shape{4}, 0.0f); };
    Tensor<float> a(Shape{4}, 2.0f);
    // The temporary from make() is moved into the expression: no dangling.
    auto e = hoc::exp(make()) + a;
    static_assert(hoc::Expression<decltype(e)>);
    Tensor<float> y = e;
    for (index_t i = 0; i < 4; ++i) EXPECT_EQ(y(i), 3.0f);
    // Lvalue tensors are held by reference: the expression sees later writes.
    auto f = a * 2.0f;
    a(0) = 10.0f;
    Tensor<float> z = f;
    EXPECT_EQ(z(0), 20.0f);
    // Lvalue expressions are held by reference inside bigger ones.
    auto g = f + e;
    Tensor<float> w = g;
    EXPECT_EQ(w(0), 31.0f);  // 2 * 10 + (exp(0) + 10)
    EXPECT_EQ(w.shape(), Shape{4});
}

TEST(ExprElementwise, BroadcastErrorsNameOperationShapesAndAxis) {
    Tensor<float> a(Shape{2, 3}), b(Shape{4});
    EXPECT_THROW(a + b, hoc::ShapeError);
    EXPECT_EQ(message_of([&] { (void)(a + b); }),
              "add: operands could not be broadcast together with shapes (2, 3) (4,): axis 1 has lengths 3 and 4");
    EXPECT_EQ(message_of([&] { (void)hoc::where(a > 0, a, b); }),
              "where: operands could not be broadcast together with shapes (2, 3) (2, 3) (4,): axis 1 has lengths 3 and 4");
    EXPECT_EQ(message_of([&] { (void)(a * Tensor<float>(Shape{5, 1, 1})); }), "<no exception>");
    EXPECT_EQ(message_of([&] { (void)hoc::maximum(Tensor<float>(Shape{3, 2}), a); }),
              "maximum: operands could not be broadcast together with shapes (3, 2) (2, 3): axis 0 has lengths 3 and 2");
}

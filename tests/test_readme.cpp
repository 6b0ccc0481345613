// The README's example, kept compiling and checked against identities.
#include <hoc/hoc.hpp>

#include <gtest/gtest.h>

TEST(Readme, ExampleRunsAndHoldsItsIdentities) {
    hoc::Random rng(42);
    hoc::Tensor<float> x = rng.normal<float>(hoc::Shape{100, 3});
    hoc::Tensor<float> w = rng.normal<float>(hoc::Shape{3, 5});
    hoc::Tensor<float> b = rng.normal<float>(hoc::Shape{5});

    hoc::Tensor<float> out = hoc::maximum(hoc::matmul(x, w) + b, 0.0f);  // relu(x @ w + b)
    ASSERT_EQ(out.shape(), (hoc::Shape{100, 5}));
    // Against a plain loop; the same float operations in the same order
    // (k = 3 products summed left to right, then + b), so a few ulp at most.
    for (hoc::index_t i = 0; i < 100; ++i)
        for (hoc::index_t j = 0; j < 5; ++j) {
            float z = 0;
            for (hoc::index_t p = 0; p < 3; ++p) z += x(i, p) * w(p, j);
            EXPECT_NEAR(out(i, j), std::max(z + b(j), 0.0f), 1e-5f * (1 + std::abs(z)));
        }

    hoc::Tensor<double> a = hoc::tensor<double>({{4, 1}, {2, 3}});
    hoc::Tensor<double> inv = hoc::linalg::inv(a);
    // sum(a * inv.T()) = trace(a . inv(a)) = n.
    const double s = hoc::sum(a * inv.T());
    EXPECT_NEAR(s, 2.0, 1e-14);
}

// hoc's main job (README's first command): shows what hoc is on the seed's
// forward pass. Filled in further as expressions and the GEMM land.
#include <hoc/hoc.hpp>

#include <iostream>

int main() {
    hoc::Tensor<float> x(hoc::Shape{100, 3}), w(hoc::Shape{3, 5}), b(hoc::Shape{5});
    for (hoc::index_t i = 0; i < 100; ++i)
        for (hoc::index_t j = 0; j < 3; ++j) x(i, j) = static_cast<float>(i + j) / 100.0f;
    for (hoc::index_t i = 0; i < 3; ++i)
        for (hoc::index_t j = 0; j < 5; ++j) w(i, j) = static_cast<float>(i - j) / 4.0f;
    for (hoc::index_t j = 0; j < 5; ++j) b(j) = 0.5f * static_cast<float>(j);
    hoc::Tensor<float> out(hoc::Shape{100, 5});
    hoc::gemm(100, 5, 3, 1.0f, x.data(), 3, 1, w.data(), 5, 1, 0.0f, out.data(), 5, 1);
    for (hoc::index_t i = 0; i < 100; ++i)
        for (hoc::index_t j = 0; j < 5; ++j) out(i, j) += b(j);
    std::cout << "hoc forward pass: X" << hoc::shape_string(x.shape()) << " @ W"
              << hoc::shape_string(w.shape()) << " + b" << hoc::shape_string(b.shape())
              << " -> " << hoc::shape_string(out.shape()) << "\n";
    std::cout << "out[0] = " << out(0, 0) << " " << out(0, 1) << " " << out(0, 2) << " "
              << out(0, 3) << " " << out(0, 4) << "\n";
    return 0;
}

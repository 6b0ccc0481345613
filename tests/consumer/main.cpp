#include <hoc/hoc.hpp>

#include <iostream>

int main() {
    hoc::Tensor<float> a = hoc::ones<float>(hoc::Shape{2, 3});
    hoc::Tensor<float> b(hoc::Shape{3, 2}, 2.0f);
    float c[4] = {};
    hoc::gemm(2, 2, 3, 1.0f, a.data(), 3, 1, b.data(), 2, 1, 0.0f, c, 2, 1);
    if (c[0] != 6.0f || c[3] != 6.0f) return 1;
    std::cout << "consumer ok " << a.shape()[1] << "\n";
    return 0;
}

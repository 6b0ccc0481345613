// Portable kernels: GCC/Clang vector extensions (16-byte vectors, SSE2 on a
// baseline x86-64), no ISA flags. Tiles: f32 4x8, f64 4x4 (8 accumulators).
// The n edge goes lane by lane, so nothing past the matrix is touched.
#include "gemm/microkernels/kernel_set_impl.hpp"

namespace hoc::kernels::detail {
namespace {

template <class Elem, int Lanes>
struct VecGeneric {
    using T = Elem;
    typedef T reg __attribute__((vector_size(sizeof(T) * Lanes)));
    using mask = int;  // number of valid lanes
    static constexpr int W = Lanes;
    static reg zero() { return reg{}; }
    static reg load(const T* p) {
        reg r;
        __builtin_memcpy(&r, p, sizeof r);
        return r;
    }
    static reg load_mask(const T* p, mask n) {
        reg r{};
        for (int i = 0; i < n; ++i) r[i] = p[i];
        return r;
    }
    static reg set1(T x) { return reg{} + x; }
    static reg fma(reg a, reg b, reg c) { return a * b + c; }
    static reg mul(reg a, reg b) { return a * b; }
    static void store(T* p, reg x) { __builtin_memcpy(p, &x, sizeof x); }
    static void store_mask(T* p, reg x, mask n) {
        for (int i = 0; i < n; ++i) p[i] = x[i];
    }
    static mask make_mask(int n) { return n; }
    static void prefetch(const void* p) { __builtin_prefetch(p); }
    static T reduce_add(reg x) {
        T s = 0;
        for (int i = 0; i < W; ++i) s += x[i];
        return s;
    }
};

constexpr int kMr = 4;

}  // namespace

const KernelSet<float>& kernels_generic_f32() {
    static const KernelSet<float> set =
        make_kernel_set<VecGeneric<float, 4>, kMr, 2, 1, 8, 8>("generic", 128, 256, 4096);
    return set;
}

const KernelSet<double>& kernels_generic_f64() {
    static const KernelSet<double> set =
        make_kernel_set<VecGeneric<double, 2>, kMr, 2, 1, 8, 8>("generic", 128, 256, 4096);
    return set;
}

}  // namespace hoc::kernels::detail

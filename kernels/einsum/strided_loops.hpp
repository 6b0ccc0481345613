// The strided-loop engine behind einsum steps that are not GEMM-shaped:
// copies and diagonals (no arithmetic), element-wise products, sums and dot
// products over any strides, and every step on integer or complex types.
//
// A step is a loop nest: output dims (C varies) outside, summed dims (C fixed)
// inside. Each output element is computed by one thread in one fixed order,
// so the result does not depend on the thread count.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "hoc/core/config.hpp"
#include "hoc/core/threads.hpp"

namespace hoc::detail::einsum {

struct LoopDim {
    index_t n = 1;
    index_t sa = 0, sb = 0, sc = 0;  // strides of the operands and the result (elements)
};

struct LoopNest {
    std::vector<LoopDim> out;  // outer to inner
    std::vector<LoopDim> sum;  // outer to inner
};

// Orders each group outer to inner by stride (largest first) and fuses
// neighbours that walk memory as one longer dim in every operand.
inline void normalize(std::vector<LoopDim>& dims, bool by_result) {
    auto weight = [by_result](const LoopDim& d) {
        return by_result ? std::abs(d.sc) * 4 + std::abs(d.sa) + std::abs(d.sb)
                         : std::abs(d.sa) + std::abs(d.sb);
    };
    std::stable_sort(dims.begin(), dims.end(),
                     [&](const LoopDim& x, const LoopDim& y) { return weight(x) > weight(y); });
    std::vector<LoopDim> fused;
    for (const LoopDim& d : dims) {
        if (!fused.empty()) {
            LoopDim& o = fused.back();
            if (o.sa == d.sa * d.n && o.sb == d.sb * d.n && o.sc == d.sc * d.n) {
                o.n *= d.n;
                o.sa = d.sa, o.sb = d.sb, o.sc = d.sc;
                continue;
            }
        }
        fused.push_back(d);
    }
    dims = std::move(fused);
}

// c[i] = a[i] (* b[i]) along one dim.
template <class T, bool kBinary>
inline void elementwise_row(index_t n, const T* a, index_t sa, const T* b, index_t sb, T* c,
                            index_t sc) {
    if constexpr (kBinary) {
        if (sc == 1 && sa == 1 && sb == 1) {
            for (index_t i = 0; i < n; ++i) c[i] = a[i] * b[i];
        } else if (sc == 1 && sa == 1 && sb == 0) {
            const T y = *b;
            for (index_t i = 0; i < n; ++i) c[i] = a[i] * y;
        } else if (sc == 1 && sa == 0 && sb == 1) {
            const T x = *a;
            for (index_t i = 0; i < n; ++i) c[i] = x * b[i];
        } else {
            for (index_t i = 0; i < n; ++i) c[i * sc] = a[i * sa] * b[i * sb];
        }
    } else {
        if (sc == 1 && sa == 1) {
            std::copy(a, a + n, c);
        } else {
            for (index_t i = 0; i < n; ++i) c[i * sc] = a[i * sa];
        }
    }
}

// Sum of a[i] (* b[i]) along one dim: eight partial sums on unit strides
// (independent chains the compiler keeps in vector registers).
template <class T, bool kBinary>
inline T reduce_row(index_t n, const T* a, index_t sa, const T* b, index_t sb) {
    auto term = [&](index_t i) {
        if constexpr (kBinary) return a[i * sa] * b[i * sb];
        else return a[i * sa];
    };
    if (sa == 1 && (!kBinary || sb == 1)) {
        T s[8] = {};
        index_t i = 0;
        for (; i + 8 <= n; i += 8)
            for (int j = 0; j < 8; ++j) {
                if constexpr (kBinary) s[j] += a[i + j] * b[i + j];
                else s[j] += a[i + j];
            }
        for (; i < n; ++i) s[0] += term(i);
        return ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
    }
    T s0{}, s1{};
    index_t i = 0;
    for (; i + 2 <= n; i += 2) s0 += term(i), s1 += term(i + 1);
    if (i < n) s0 += term(i);
    return s0 + s1;
}

// Odometer over dims[0, count): calls f(oa, ob, oc) for each index, row-major.
template <class F>
inline void walk(const LoopDim* dims, int count, index_t oa, index_t ob, index_t oc, F&& f) {
    if (count == 0) {
        f(oa, ob, oc);
        return;
    }
    index_t idx[kMaxRank * 5] = {};
    while (true) {
        f(oa, ob, oc);
        int d = count - 1;
        for (; d >= 0; --d) {
            oa += dims[d].sa, ob += dims[d].sb, oc += dims[d].sc;
            if (++idx[d] < dims[d].n) break;
            oa -= dims[d].sa * dims[d].n, ob -= dims[d].sb * dims[d].n, oc -= dims[d].sc * dims[d].n;
            idx[d] = 0;
        }
        if (d < 0) return;
    }
}

// Sum over the nest's summed dims at one output position.
template <class T, bool kBinary>
inline T reduce_at(const LoopNest& L, const T* a, const T* b) {
    const int ns = static_cast<int>(L.sum.size());
    const LoopDim& in = L.sum[static_cast<std::size_t>(ns - 1)];
    T acc{};
    walk(L.sum.data(), ns - 1, 0, 0, 0, [&](index_t oa, index_t ob, index_t) {
        acc += reduce_row<T, kBinary>(in.n, a + oa, in.sa, kBinary ? b + ob : b, in.sb);
    });
    return acc;
}

// Runs the nest: c = sum over `sum` of a (* b), at every `out` position.
template <class T, bool kBinary>
void run_nest(const LoopNest& L, const T* a, const T* b, T* c) {
    const int no = static_cast<int>(L.out.size());
    const bool elementwise = L.sum.empty();
    // Element-wise: the innermost output dim is the vector row; else one
    // output element is the unit of work.
    const int outer_dims = elementwise && no > 0 ? no - 1 : no;
    index_t rows = 1, work_per_row = 1;
    for (int d = 0; d < outer_dims; ++d) rows *= L.out[static_cast<std::size_t>(d)].n;
    if (elementwise && no > 0) work_per_row = L.out.back().n;
    for (const LoopDim& d : L.sum) work_per_row *= d.n;
    constexpr index_t kGrainWork = 1 << 15;
    const index_t grain = std::max<index_t>(1, kGrainWork / std::max<index_t>(work_per_row, 1));

    parallel_for(0, rows, grain, [&](index_t lo, index_t hi) {
        // Position of row `lo`.
        index_t idx[kMaxRank * 5] = {};
        index_t oa = 0, ob = 0, oc = 0;
        for (index_t d = outer_dims - 1, r = lo; d >= 0; --d) {
            const LoopDim& dim = L.out[static_cast<std::size_t>(d)];
            idx[d] = r % dim.n;
            r /= dim.n;
            oa += idx[d] * dim.sa, ob += idx[d] * dim.sb, oc += idx[d] * dim.sc;
        }
        for (index_t r = lo; r < hi; ++r) {
            if (elementwise) {
                if (no == 0) {
                    if constexpr (kBinary) c[oc] = a[oa] * b[ob];
                    else c[oc] = a[oa];
                } else {
                    const LoopDim& in = L.out.back();
                    elementwise_row<T, kBinary>(in.n, a + oa, in.sa, kBinary ? b + ob : b, in.sb,
                                                c + oc, in.sc);
                }
            } else {
                c[oc] = reduce_at<T, kBinary>(L, a + oa, kBinary ? b + ob : b);
            }
            for (index_t d = outer_dims - 1; d >= 0; --d) {
                const LoopDim& dim = L.out[static_cast<std::size_t>(d)];
                oa += dim.sa, ob += dim.sb, oc += dim.sc;
                if (++idx[d] < dim.n) break;
                oa -= dim.sa * dim.n, ob -= dim.sb * dim.n, oc -= dim.sc * dim.n;
                idx[d] = 0;
            }
        }
    });
}

}  // namespace hoc::detail::einsum

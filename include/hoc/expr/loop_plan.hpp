// Before the loop: drop length-1 axes, order the axes so the reference
// operand (the destination) is walked in memory order, and merge adjacent
// axes that are contiguous for every operand, so a view of contiguous data
// still gets one long inner loop and a fully contiguous assignment becomes
// one flat loop.
#pragma once

#include <cstdlib>

#include "hoc/core/shape.hpp"

namespace hoc::expr::detail {

// Rewrites `shape` and every stride array (the evaluator's leaves and, when
// given, `dst`) in place. `order` ranks the axes (largest |stride| outermost).
// The result has at least one axis; its last axis is the SIMD axis.
template <class Ev>
void plan_loop(Shape& shape, const Strides& order, Strides* dst, Ev& ev) {
    const index_t n = shape.size();
    index_t axes[kMaxRank];
    index_t m = 0;
    for (index_t d = 0; d < n; ++d)
        if (shape[d] != 1) axes[m++] = d;
    // Stable insertion sort: a handful of axes, and no buffer allocation
    // (std::stable_sort's would be a heap allocation per assignment).
    for (index_t i = 1; i < m; ++i) {
        const index_t ax = axes[i];
        index_t j = i;
        for (; j > 0 && std::abs(order[axes[j - 1]]) < std::abs(order[ax]); --j) axes[j] = axes[j - 1];
        axes[j] = ax;
    }

    // merge[k]: axis axes[k] folds into the group of axes[k-1].
    bool merge[kMaxRank] = {};
    for (index_t k = 1; k < m; ++k) merge[k] = true;
    auto check = [&](const Strides& st) {
        for (index_t k = 1; k < m; ++k)
            if (st[axes[k - 1]] != st[axes[k]] * shape[axes[k]]) merge[k] = false;
    };
    if (dst) check(*dst);
    ev.visit_strides(check);

    Shape out;
    index_t src[kMaxRank];  // the original axis whose stride each new axis keeps (its innermost)
    for (index_t k = 0; k < m; ++k) {
        if (k > 0 && merge[k]) {
            out[out.size() - 1] *= shape[axes[k]];
            src[out.size() - 1] = axes[k];
        } else {
            src[out.size()] = axes[k];
            out.push_back(shape[axes[k]]);
        }
    }
    auto apply = [&](Strides& st) {
        Strides s;
        for (index_t k = 0; k < out.size(); ++k) s.push_back(st[src[k]]);
        if (out.size() == 0) s.push_back(0);
        st = s;
    };
    if (dst) apply(*dst);
    ev.visit_strides(apply);
    if (out.size() == 0) out.push_back(1);
    shape = out;
}

}  // namespace hoc::expr::detail

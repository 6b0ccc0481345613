// Address ranges of views, the basis of hoc's automatic aliasing safety: a
// destination goes through a temporary only when it shares memory with
// something the right side reads.
#pragma once

#include <utility>

#include "hoc/core/tensor_view.hpp"

namespace hoc::detail {

// [lo, hi) bytes a view can touch; (nullptr, nullptr) when it has no elements.
template <class T>
std::pair<const void*, const void*> memory_range(const TensorView<T>& v) {
    if (v.size() == 0) return {nullptr, nullptr};
    index_t lo = 0, hi = 0;
    for (index_t i = 0; i < v.ndim(); ++i) {
        const index_t reach = (v.shape()[i] - 1) * v.strides()[i];
        (reach < 0 ? lo : hi) += reach;
    }
    const auto* base = reinterpret_cast<const char*>(v.data());
    return {base + lo * static_cast<index_t>(sizeof(T)),
            base + (hi + 1) * static_cast<index_t>(sizeof(T))};
}

inline bool ranges_overlap(std::pair<const void*, const void*> a, const void* lo, const void* hi) {
    return a.first != nullptr && lo != nullptr && a.first < hi && lo < a.second;
}

template <class T>
bool reads_memory(const TensorView<T>& v, const void* lo, const void* hi) {
    return ranges_overlap(memory_range(v), lo, hi);
}

}  // namespace hoc::detail

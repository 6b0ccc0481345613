// Aligned storage. Fresh pages are expensive here (a first touch costs about
// 14 µs per 4 KiB page, 50x less on a 2 MiB huge page), so large buffers are
// huge-page aligned with MADV_HUGEPAGE, and freed large blocks are kept in a
// small bounded cache so a loop that reallocates the same size reuses memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "hoc/core/config.hpp"

namespace hoc {
namespace detail {

// Returns kAlignment-aligned memory (2 MiB aligned for large blocks); `zero`
// fills it with zero bytes. Throws std::bad_alloc.
void* allocate_bytes(std::size_t bytes, bool zero);
void free_bytes(void* p, std::size_t bytes) noexcept;

// A typed, owning, aligned array of trivially copyable elements.
template <class T>
class Buffer {
    static_assert(std::is_trivially_copyable_v<T>, "hoc buffers hold trivially copyable elements");

public:
    Buffer() = default;
    Buffer(index_t n, bool zero) : n_(checked_count(n)) {
        if (n_ > 0) p_ = static_cast<T*>(allocate_bytes(bytes(), zero));
    }
    Buffer(const Buffer& o) : Buffer(o.n_, false) {
        if (n_ > 0) std::memcpy(static_cast<void*>(p_), o.p_, bytes());
    }
    Buffer(Buffer&& o) noexcept : p_(o.p_), n_(o.n_) { o.p_ = nullptr, o.n_ = 0; }
    Buffer& operator=(Buffer o) noexcept {
        swap(o);
        return *this;
    }
    ~Buffer() {
        if (p_) free_bytes(p_, bytes());
    }
    void swap(Buffer& o) noexcept {
        std::swap(p_, o.p_);
        std::swap(n_, o.n_);
    }
    T* data() const { return p_; }
    index_t size() const { return n_; }

private:
    // The element count is checked where shapes are built; its byte size is
    // checked here, the one place every tensor's memory comes from.
    static index_t checked_count(index_t n) {
        if (n > PTRDIFF_MAX / static_cast<index_t>(sizeof(T)))
            throw std::invalid_argument("array is too big: " + std::to_string(n) +
                                        " elements of " + std::to_string(sizeof(T)) +
                                        " bytes exceed the address space");
        return n;
    }
    std::size_t bytes() const { return static_cast<std::size_t>(n_) * sizeof(T); }
    T* p_ = nullptr;
    index_t n_ = 0;
};

}  // namespace detail
}  // namespace hoc

#include "gemm/workspace.hpp"

#include <sys/mman.h>

#include <cstdlib>
#include <new>

namespace hoc::kernels::detail {
namespace {

constexpr std::size_t kPage = std::size_t{2} << 20;

void* allocate(std::size_t bytes) {
    void* p = std::aligned_alloc(kPage, bytes);
    if (!p) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    madvise(p, bytes, MADV_HUGEPAGE);
#endif
    return p;
}

std::size_t round_up(std::size_t n) { return (n + kPage - 1) / kPage * kPage; }

struct ThreadBuffer {
    void* ptr = nullptr;
    std::size_t bytes = 0;
    bool busy = false;
    ~ThreadBuffer() { std::free(ptr); }
};

thread_local ThreadBuffer buffers[2];

}  // namespace

ScratchLease::ScratchLease(Slot slot, std::size_t bytes) {
    bytes = round_up(bytes == 0 ? 1 : bytes);
    ThreadBuffer& tb = buffers[static_cast<int>(slot)];
    if (tb.busy) {
        ptr_ = allocate(bytes);
        owned_bytes_ = bytes;
        return;
    }
    if (tb.bytes < bytes) {  // grow only; the largest block seen is kept
        std::free(tb.ptr);
        tb.ptr = nullptr;
        tb.bytes = 0;
        tb.ptr = allocate(bytes);
        tb.bytes = bytes;
    }
    tb.busy = true;
    busy_ = &tb.busy;
    ptr_ = tb.ptr;
}

ScratchLease::~ScratchLease() {
    if (owned_bytes_) std::free(ptr_);
    if (busy_) *busy_ = false;
}

}  // namespace hoc::kernels::detail

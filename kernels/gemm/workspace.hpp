// Per-thread packing buffers, allocated once and reused by every later call
// on that thread (fresh pages cost ~14 us per 4 KiB here), 2 MiB aligned and
// advised to use huge pages. A buffer already in use on this thread (a TBB
// worker that picked up another GEMM while waiting) is never shared: the
// second user gets a private block for the duration of its call.
#pragma once

#include <cstddef>

namespace hoc::kernels::detail {

enum class Slot { a = 0, b = 1 };

class ScratchLease {
public:
    ScratchLease(Slot slot, std::size_t bytes);
    ~ScratchLease();
    ScratchLease(const ScratchLease&) = delete;
    ScratchLease& operator=(const ScratchLease&) = delete;
    void* get() const { return ptr_; }

private:
    void* ptr_ = nullptr;
    std::size_t owned_bytes_ = 0;  // > 0 when this lease holds a private block
    bool* busy_ = nullptr;         // the thread slot's flag when borrowed from it
};

}  // namespace hoc::kernels::detail

// Aligned allocation with huge pages for large blocks and a bounded cache of
// freed large blocks (see hoc/core/memory.hpp for why).
#include "hoc/core/memory.hpp"

#include <sys/mman.h>

#include <cstdlib>
#include <mutex>
#include <vector>

namespace hoc::detail {
namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;
// Blocks from here on are mmap'ed on 2 MiB boundaries and advised to use huge pages.
constexpr std::size_t kLargeBlock = kHugePage;
// Freed large blocks kept for reuse, at most this many bytes in all.
constexpr std::size_t kCacheLimit = std::size_t{256} << 20;

std::size_t round_up(std::size_t n, std::size_t to) { return (n + to - 1) / to * to; }

struct LargeBlockCache {
    std::mutex mutex;
    std::vector<std::pair<void*, std::size_t>> blocks;  // (address, mapped bytes)
    std::size_t held = 0;

    void* take(std::size_t bytes) {
        std::lock_guard lock(mutex);
        for (std::size_t i = 0; i < blocks.size(); ++i)
            if (blocks[i].second == bytes) {
                void* p = blocks[i].first;
                blocks[i] = blocks.back();
                blocks.pop_back();
                held -= bytes;
                return p;
            }
        return nullptr;
    }
    bool give(void* p, std::size_t bytes) {
        std::lock_guard lock(mutex);
        if (held + bytes > kCacheLimit) return false;
        blocks.emplace_back(p, bytes);
        held += bytes;
        return true;
    }
    ~LargeBlockCache() {
        for (auto [p, bytes] : blocks) munmap(p, bytes);
    }
};

LargeBlockCache& cache() {
    static LargeBlockCache c;
    return c;
}

void* map_large(std::size_t bytes) {
    // Over-map by one huge page so the block can start on a 2 MiB boundary.
    const std::size_t span = bytes + kHugePage;
    void* raw = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    const auto base = reinterpret_cast<std::uintptr_t>(raw);
    const auto aligned = round_up(base, kHugePage);
    if (aligned > base) munmap(raw, aligned - base);
    const std::size_t tail = base + span - (aligned + bytes);
    if (tail) munmap(reinterpret_cast<void*>(aligned + bytes), tail);
    void* p = reinterpret_cast<void*>(aligned);
#ifdef MADV_HUGEPAGE
    madvise(p, bytes, MADV_HUGEPAGE);
#endif
    return p;
}

}  // namespace

void* allocate_bytes(std::size_t bytes, bool zero) {
    if (bytes > static_cast<std::size_t>(PTRDIFF_MAX)) throw std::bad_alloc();  // round_up would wrap
    if (bytes >= kLargeBlock) {
        const std::size_t mapped = round_up(bytes, kHugePage);
        if (void* p = cache().take(mapped)) {
            if (zero) std::memset(p, 0, bytes);
            return p;
        }
        return map_large(mapped);  // fresh anonymous pages are already zero
    }
    void* p = std::aligned_alloc(kAlignment, round_up(bytes, kAlignment));
    if (!p) throw std::bad_alloc();
    if (zero) std::memset(p, 0, bytes);
    return p;
}

void free_bytes(void* p, std::size_t bytes) noexcept {
    if (!p) return;
    if (bytes >= kLargeBlock) {
        const std::size_t mapped = round_up(bytes, kHugePage);
        if (!cache().give(p, mapped)) munmap(p, mapped);
        return;
    }
    std::free(p);
}

}  // namespace hoc::detail

// Fresh memory on this machine: what a first touch costs with and without
// huge pages, and what hoc's allocator (huge pages + a cache of freed large
// blocks) makes of a loop that allocates a large tensor again and again.
#include <hoc/hoc.hpp>

#include <benchmark/benchmark.h>
#include <sys/mman.h>

#include <cstring>

namespace {

constexpr std::size_t kBytes = std::size_t{64} << 20;

// mmap, touch every page, munmap: the cost of fresh memory.
void first_touch(benchmark::State& state, bool huge) {
    for (auto _ : state) {
        const std::size_t span = kBytes + (std::size_t{2} << 20);
        char* raw = static_cast<char*>(
            mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
        char* p = reinterpret_cast<char*>((reinterpret_cast<std::uintptr_t>(raw) + (2 << 20) - 1) &
                                          ~std::uintptr_t((2 << 20) - 1));
        madvise(p, kBytes, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
        for (std::size_t i = 0; i < kBytes; i += 4096) p[i] = 1;
        benchmark::DoNotOptimize(p);
        munmap(raw, span);
    }
    state.counters["us_per_4KiB_page"] = benchmark::Counter(
        static_cast<double>(kBytes / 4096) * static_cast<double>(state.iterations()),
        benchmark::Counter::kIsRate | benchmark::Counter::kInvert, benchmark::Counter::kIs1000);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kBytes));
}
void BM_first_touch_4k_pages(benchmark::State& s) { first_touch(s, false); }
void BM_first_touch_huge_pages(benchmark::State& s) { first_touch(s, true); }

// A new 64 MiB tensor filled each iteration: hoc's allocator vs plain malloc.
void BM_hoc_tensor_alloc_fill(benchmark::State& state) {
    for (auto _ : state) {
        hoc::Tensor<float> t(hoc::Shape{static_cast<hoc::index_t>(kBytes / sizeof(float))}, 1.0f);
        benchmark::DoNotOptimize(t.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kBytes));
}
void BM_malloc_alloc_fill(benchmark::State& state) {
    for (auto _ : state) {
        auto* p = static_cast<float*>(std::malloc(kBytes));
        std::fill(p, p + kBytes / sizeof(float), 1.0f);
        benchmark::DoNotOptimize(p);
        std::free(p);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kBytes));
}

BENCHMARK(BM_first_touch_4k_pages)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_first_touch_huge_pages)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_hoc_tensor_alloc_fill)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_malloc_alloc_fill)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();

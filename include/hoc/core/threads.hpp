// Thread control. hoc runs its parallel loops in a oneTBB task arena of its
// own, sized by set_num_threads (default: HOC_NUM_THREADS, else all cores),
// so an application embedding hoc keeps control of its own threads. A call
// made from inside a TBB task runs in the caller's arena instead, so nested
// parallelism composes rather than oversubscribing the machine.
#pragma once

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <functional>

#include "hoc/core/config.hpp"

namespace hoc {

// Sets the number of threads hoc uses (>= 1; std::invalid_argument otherwise).
void set_num_threads(int n);
// The number of threads hoc uses.
int num_threads();

namespace detail {

// Runs f inside hoc's arena (or inline when already inside a TBB arena).
void run_in_arena(const std::function<void()>& f);

// Calls f(lo, hi) over [begin, end) split into chunks of at least `grain`
// elements, statically partitioned over hoc's threads; runs inline when the
// range is a single chunk or hoc has one thread, so small work never pays for
// waking threads.
template <class F>
void parallel_for(index_t begin, index_t end, index_t grain, F&& f) {
    if (grain < 1) grain = 1;
    if (end - begin <= grain || num_threads() == 1) {
        if (end > begin) f(begin, end);
        return;
    }
    run_in_arena([&] {
        tbb::parallel_for(
            tbb::blocked_range<index_t>(begin, end, grain),
            [&](const tbb::blocked_range<index_t>& r) { f(r.begin(), r.end()); },
            tbb::static_partitioner());
    });
}

}  // namespace detail
}  // namespace hoc

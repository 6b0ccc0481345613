// hoc's own task arena (see hoc/core/threads.hpp).
#include "hoc/core/threads.hpp"

#include <tbb/info.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

namespace hoc {
namespace {

// Set while this thread runs hoc's arena as its caller (slot 0). hoc's worker
// threads need no flag: inside any arena they have a slot index >= 1.
thread_local bool in_hoc_arena = false;

struct Arena {
    explicit Arena(int n) : arena(n) {}
    tbb::task_arena arena;
};

int default_threads() {
    const int cores = tbb::info::default_concurrency();
    if (const char* env = std::getenv("HOC_NUM_THREADS")) {
        char* end = nullptr;
        const long n = std::strtol(env, &end, 10);
        if (end != env && *end == '\0' && n >= 1 && n <= 4096) return static_cast<int>(n);
    }
    return cores;
}

struct State {
    std::mutex mutex;
    std::atomic<int> threads{default_threads()};
    std::shared_ptr<Arena> arena;  // created on first use, replaced by set_num_threads
};

State& state() {
    static State s;
    return s;
}

std::shared_ptr<Arena> current_arena() {
    State& s = state();
    std::lock_guard lock(s.mutex);
    if (!s.arena) s.arena = std::make_shared<Arena>(s.threads.load());
    return s.arena;
}

}  // namespace

void set_num_threads(int n) {
    if (n < 1)
        throw std::invalid_argument("hoc::set_num_threads: need at least 1 thread, got " +
                                    std::to_string(n));
    State& s = state();
    std::lock_guard lock(s.mutex);
    if (s.threads.load() == n && s.arena) return;
    s.threads.store(n);
    s.arena.reset();  // callers still running keep the old arena alive through their shared_ptr
}

int num_threads() { return state().threads.load(std::memory_order_relaxed); }

namespace detail {

void run_in_arena(const std::function<void()>& f) {
    // Already in hoc's arena, or a worker thread of any arena (hoc's own or the
    // caller's TBB pool): run here, so nested parallelism composes instead of
    // oversubscribing.
    if (in_hoc_arena || tbb::this_task_arena::current_thread_index() >= 1) {
        f();
        return;
    }
    const std::shared_ptr<Arena> a = current_arena();
    a->arena.execute([&] {
        const bool was = in_hoc_arena;
        in_hoc_arena = true;
        struct Restore {
            bool was;
            ~Restore() { in_hoc_arena = was; }
        } restore{was};
        f();
    });
}

}  // namespace detail
}  // namespace hoc

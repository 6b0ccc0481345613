// hoc::Random's fills (see hoc/core/random.hpp). Every element is a pure
// function of (seed, block index, position in block), so the parallel loop
// may split the blocks any way it likes: the numbers never depend on the
// thread count.
#include "hoc/core/random.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "hoc/core/threads.hpp"

namespace hoc {
namespace detail {
namespace {

// Blocks per parallel task: ~10 ns per block, so ~40 us of work per task.
constexpr index_t kGrainBlocks = 4096;

// [0, 1) with the 24 (53) high bits of the word(s): every value is exact.
inline float unit_float(std::uint32_t w) { return static_cast<float>(w >> 8) * 0x1p-24f; }
inline double unit_double(std::uint32_t hi, std::uint32_t lo) {
    return static_cast<double>(((std::uint64_t{hi} << 32) | lo) >> 11) * 0x1p-53;
}
// (0, 1]: the radius of Box-Muller takes log(u), which must be finite.
inline float unit_float_nonzero(std::uint32_t w) { return static_cast<float>((w >> 8) + 1) * 0x1p-24f; }
inline double unit_double_nonzero(std::uint32_t hi, std::uint32_t lo) {
    return static_cast<double>((((std::uint64_t{hi} << 32) | lo) >> 11) + 1) * 0x1p-53;
}

// lo + (hi - lo) * u can round up to hi; keep the interval half-open.
template <class T>
inline T in_range(T u, T lo, T hi) {
    const T x = lo + (hi - lo) * u;
    if (x < hi) return x;
    return hi > lo ? std::nextafter(hi, lo) : lo;
}

// Box-Muller: two independent normals from two uniforms.
template <class T>
inline void box_muller(T u1, T u2, T& z0, T& z1) {
    const T r = std::sqrt(T(-2) * std::log(u1));
    const T angle = T(2) * std::numbers::pi_v<T> * u2;
    z0 = r * std::cos(angle);
    z1 = r * std::sin(angle);
}

// kGroup consecutive blocks computed side by side: the same arithmetic as
// philox_block, but one block's 10 dependent multiply rounds no longer stall
// the core (and the compiler can use SIMD multiplies across the group).
constexpr int kGroup = 8;
void philox_group(std::uint64_t seed, std::uint64_t first, PhiloxBlock (&out)[kGroup]) {
    std::uint32_t c0[kGroup], c1[kGroup], c2[kGroup], c3[kGroup];
    for (int g = 0; g < kGroup; ++g) {
        const std::uint64_t index = first + static_cast<std::uint64_t>(g);
        c0[g] = static_cast<std::uint32_t>(index), c1[g] = static_cast<std::uint32_t>(index >> 32);
        c2[g] = 0, c3[g] = 0;
    }
    std::uint32_t k0 = static_cast<std::uint32_t>(seed), k1 = static_cast<std::uint32_t>(seed >> 32);
    for (int round = 0; round < 10; ++round) {
        if (round > 0) k0 += 0x9E3779B9u, k1 += 0xBB67AE85u;
        for (int g = 0; g < kGroup; ++g) {
            const std::uint64_t p0 = std::uint64_t{0xD2511F53u} * c0[g];
            const std::uint64_t p1 = std::uint64_t{0xCD9E8D57u} * c2[g];
            const std::uint32_t n0 = static_cast<std::uint32_t>(p1 >> 32) ^ c1[g] ^ k0;
            const std::uint32_t n2 = static_cast<std::uint32_t>(p0 >> 32) ^ c3[g] ^ k1;
            c1[g] = static_cast<std::uint32_t>(p1), c3[g] = static_cast<std::uint32_t>(p0);
            c0[g] = n0, c2[g] = n2;
        }
    }
    for (int g = 0; g < kGroup; ++g) out[g] = {c0[g], c1[g], c2[g], c3[g]};
}

// Calls make(block, vals) for blocks [0, ceil(n / per)) in parallel and stores
// vals[j] as element block * per + j (those below n).
template <class T, class Make>
void fill_blocks(T* out, index_t n, index_t per, std::uint64_t seed, std::uint64_t first, Make make) {
    const index_t nblocks = (n + per - 1) / per;
    parallel_for(0, nblocks, kGrainBlocks, [&](index_t lo, index_t hi) {
        PhiloxBlock group[kGroup];
        for (index_t b0 = lo; b0 < hi; b0 += kGroup) {
            philox_group(seed, first + static_cast<std::uint64_t>(b0), group);
            for (index_t b = b0; b < std::min(hi, b0 + kGroup); ++b) {
                T vals[4];
                make(group[b - b0], vals);
                const index_t start = b * per, count = std::min(per, n - start);
                for (index_t j = 0; j < count; ++j) out[start + j] = vals[j];
            }
        }
    });
}

}  // namespace

void random_uniform(float* out, index_t n, std::uint64_t seed, std::uint64_t first, float lo, float hi) {
    fill_blocks(out, n, kUniformPerBlock<float>, seed, first, [=](const PhiloxBlock& w, float* v) {
        for (int j = 0; j < 4; ++j) v[j] = in_range(unit_float(w[static_cast<std::size_t>(j)]), lo, hi);
    });
}

void random_uniform(double* out, index_t n, std::uint64_t seed, std::uint64_t first, double lo, double hi) {
    fill_blocks(out, n, kUniformPerBlock<double>, seed, first, [=](const PhiloxBlock& w, double* v) {
        v[0] = in_range(unit_double(w[0], w[1]), lo, hi);
        v[1] = in_range(unit_double(w[2], w[3]), lo, hi);
    });
}

void random_normal(float* out, index_t n, std::uint64_t seed, std::uint64_t first, float mean, float stddev) {
    fill_blocks(out, n, kNormalPerBlock<float>, seed, first, [=](const PhiloxBlock& w, float* v) {
        float z[4];
        box_muller(unit_float_nonzero(w[0]), unit_float(w[1]), z[0], z[1]);
        box_muller(unit_float_nonzero(w[2]), unit_float(w[3]), z[2], z[3]);
        for (int j = 0; j < 4; ++j) v[j] = mean + stddev * z[j];
    });
}

void random_normal(double* out, index_t n, std::uint64_t seed, std::uint64_t first, double mean, double stddev) {
    fill_blocks(out, n, kNormalPerBlock<double>, seed, first, [=](const PhiloxBlock& w, double* v) {
        double z0, z1;
        box_muller(unit_double_nonzero(w[0], w[1]), unit_double(w[2], w[3]), z0, z1);
        v[0] = mean + stddev * z0;
        v[1] = mean + stddev * z1;
    });
}

}  // namespace detail
}  // namespace hoc

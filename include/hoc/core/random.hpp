// hoc::Random: reproducible random tensors, identical whatever the thread count.
//
//   hoc::Random rng(42);
//   auto w = rng.normal<float>(Shape{784, 128}, 0.0f, 0.05f);
//   auto u = rng.uniform<double>(Shape{1000});          // in [0, 1)
//
// The generator is counter-based: Philox4x32-10 (Salmon et al., "Parallel
// random numbers: as easy as 1, 2, 3", SC'11) keyed by the seed. Block b of
// the stream is philox(counter = b, key = seed); element i of a call draws
// from block (start + i / k) for a fixed k per distribution and type, so any
// thread can compute any element on its own and the result never depends on
// how the work is split. Each call continues the stream where the last one
// stopped. A Random object is not itself safe to share between threads
// without a lock (like std::mt19937); separate objects are independent.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "hoc/core/config.hpp"
#include "hoc/core/shape.hpp"
#include "hoc/core/tensor.hpp"

namespace hoc {

namespace detail {

using PhiloxBlock = std::array<std::uint32_t, 4>;
using PhiloxKey = std::array<std::uint32_t, 2>;

// One Philox4x32-10 block: 10 rounds of two 32x32->64-bit multiplies, the
// key bumped by the Weyl constants between rounds (Random123's philox.h).
constexpr PhiloxBlock philox4x32_10(PhiloxBlock ctr, PhiloxKey key) {
    constexpr std::uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u;
    constexpr std::uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;
    for (int round = 0; round < 10; ++round) {
        if (round > 0) key[0] += kW0, key[1] += kW1;
        const std::uint64_t p0 = std::uint64_t{kM0} * ctr[0];
        const std::uint64_t p1 = std::uint64_t{kM1} * ctr[2];
        ctr = {static_cast<std::uint32_t>(p1 >> 32) ^ ctr[1] ^ key[0], static_cast<std::uint32_t>(p1),
               static_cast<std::uint32_t>(p0 >> 32) ^ ctr[3] ^ key[1], static_cast<std::uint32_t>(p0)};
    }
    return ctr;
}

// Block `index` of the stream keyed by `seed`.
constexpr PhiloxBlock philox_block(std::uint64_t seed, std::uint64_t index) {
    return philox4x32_10({static_cast<std::uint32_t>(index), static_cast<std::uint32_t>(index >> 32), 0, 0},
                         {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)});
}

// Elements drawn from one block, per distribution and type.
template <class T> inline constexpr index_t kUniformPerBlock = sizeof(T) == 4 ? 4 : 2;
template <class T> inline constexpr index_t kNormalPerBlock = sizeof(T) == 4 ? 4 : 2;

// Compiled fills (kernels/runtime/random.cpp), parallel over hoc's threads:
// out[i] for i in [0, n) from blocks starting at `first_block`.
void random_uniform(float* out, index_t n, std::uint64_t seed, std::uint64_t first_block, float lo, float hi);
void random_uniform(double* out, index_t n, std::uint64_t seed, std::uint64_t first_block, double lo, double hi);
void random_normal(float* out, index_t n, std::uint64_t seed, std::uint64_t first_block, float mean, float stddev);
void random_normal(double* out, index_t n, std::uint64_t seed, std::uint64_t first_block, double mean,
                   double stddev);

}  // namespace detail

class Random {
public:
    // The stream keyed by `seed`, from its start (or from block `position`).
    explicit Random(std::uint64_t seed = 0, std::uint64_t position = 0) : seed_(seed), position_(position) {}

    std::uint64_t seed() const { return seed_; }
    // The next unused block of the stream: Random(seed(), position()) continues this one.
    std::uint64_t position() const { return position_; }

    // Uniform in [lo, hi) (lo <= hi, both finite; std::invalid_argument otherwise).
    template <RealFloat T>
    Tensor<T> uniform(const Shape& shape, T lo = T(0), T hi = T(1)) {
        auto t = Tensor<T>::uninitialized(shape);
        uniform_into(t.view(), lo, hi);
        return t;
    }
    // Normal with this mean and standard deviation (stddev >= 0, both finite).
    template <RealFloat T>
    Tensor<T> normal(const Shape& shape, T mean = T(0), T stddev = T(1)) {
        auto t = Tensor<T>::uninitialized(shape);
        normal_into(t.view(), mean, stddev);
        return t;
    }

    // Fill an existing tensor or view (in its C order), allocating nothing
    // when it is contiguous: the same numbers uniform()/normal() would return.
    template <RealFloat T>
    void uniform_into(const TensorView<T>& out, T lo = T(0), T hi = T(1)) {
        if (!std::isfinite(lo) || !std::isfinite(hi) || !(lo <= hi) || !std::isfinite(hi - lo))
            throw std::invalid_argument("Random::uniform: need finite lo <= hi, got lo = " + std::to_string(lo) +
                                        ", hi = " + std::to_string(hi));
        fill(out, [&](T* p, index_t n, std::uint64_t first) {
            detail::random_uniform(p, n, seed_, first, lo, hi);
            return blocks(n, detail::kUniformPerBlock<T>);
        });
    }
    template <RealFloat T>
    void normal_into(const TensorView<T>& out, T mean = T(0), T stddev = T(1)) {
        if (!std::isfinite(mean) || !std::isfinite(stddev) || !(stddev >= 0))
            throw std::invalid_argument("Random::normal: need a finite mean and a finite stddev >= 0, got mean = " +
                                        std::to_string(mean) + ", stddev = " + std::to_string(stddev));
        fill(out, [&](T* p, index_t n, std::uint64_t first) {
            detail::random_normal(p, n, seed_, first, mean, stddev);
            return blocks(n, detail::kNormalPerBlock<T>);
        });
    }

private:
    static std::uint64_t blocks(index_t n, index_t per_block) {
        return static_cast<std::uint64_t>((n + per_block - 1) / per_block);
    }
    template <class T, class Gen>
    void fill(const TensorView<T>& out, Gen&& gen) {
        const index_t n = checked_size(out.shape());
        if (out.is_contiguous()) {
            position_ += gen(out.data(), n, position_);
        } else {
            auto tmp = Tensor<T>::uninitialized(out.shape());
            position_ += gen(tmp.data(), n, position_);
            TensorView<T> dst = out;
            dst = tmp.cview();  // writes through, by the one assignment loop
        }
    }

    std::uint64_t seed_;
    std::uint64_t position_;
};

}  // namespace hoc

// The SIMD layer under the expression engine: which element types run in
// xsimd batches, and the loads/stores the assignment loop and reductions use.
#pragma once

#include <xsimd/xsimd.hpp>

#include <cstdint>
#include <type_traits>

#include "hoc/core/config.hpp"

#if defined(__AVX512F__) || defined(__AVX__)
#include <immintrin.h>
#endif

namespace hoc::expr::simd {

// Element types that live in xsimd batches here (bool and complex run the scalar path).
template <class T>
inline constexpr bool is_simd_type = std::is_same_v<T, float> || std::is_same_v<T, double> ||
                                     std::is_same_v<T, std::int32_t> || std::is_same_v<T, std::int64_t>;

template <class T> using batch = xsimd::batch<T>;
template <class T> using mask = xsimd::batch_bool<T>;
template <class T> inline constexpr index_t width = static_cast<index_t>(xsimd::batch<T>::size);

#if defined(__AVX__)
// An AVX lane mask with the first `count` lanes of T set (for maskload/maskstore).
template <class T>
[[gnu::always_inline]] inline __m256i avx_first_lanes(index_t count) {
    alignas(32) static constexpr std::int32_t ramp[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
    // float: 8 lanes of 32 bits; double: 4 lanes of 64 bits (pairs of -1 words).
    const index_t words = count * static_cast<index_t>(sizeof(T) / 4);
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(ramp + 8 - words));
}
#endif

// Loads `count` (< width) elements p[0], p[s], ...; the missing lanes repeat
// p[0] so that no lane computes on garbage (no spurious traps or NaNs).
template <class T>
[[gnu::always_inline]] inline batch<T> load_partial(const T* p, index_t s, index_t count) {
    if (s == 0) return batch<T>(*p);
#if defined(__AVX512F__)
    // Short rows (a 5-wide bias row, a GEMM tile's edge): one masked load, the
    // missing lanes filled with p[0] as below; no round trip through memory.
    if constexpr (sizeof(batch<T>) == 64) {
        if (s == 1) {
            if constexpr (std::is_same_v<T, float>)
                return _mm512_mask_loadu_ps(_mm512_set1_ps(*p), static_cast<__mmask16>((1u << count) - 1), p);
            else if constexpr (std::is_same_v<T, double>)
                return _mm512_mask_loadu_pd(_mm512_set1_pd(*p), static_cast<__mmask8>((1u << count) - 1), p);
        }
    }
#endif
#if defined(__AVX__)
    if constexpr (sizeof(batch<T>) == 32 && (std::is_same_v<T, float> || std::is_same_v<T, double>)) {
        if (s == 1) {  // AVX's maskload: the lanes past count read as 0, then take p[0]
            const __m256i m = avx_first_lanes<T>(count);
            if constexpr (std::is_same_v<T, float>)
                return _mm256_blendv_ps(_mm256_set1_ps(*p), _mm256_maskload_ps(p, m), _mm256_castsi256_ps(m));
            else
                return _mm256_blendv_pd(_mm256_set1_pd(*p), _mm256_maskload_pd(p, m), _mm256_castsi256_pd(m));
        }
    }
#endif
    alignas(64) T buf[width<T>];
    for (index_t j = 0; j < width<T>; ++j) buf[j] = p[(j < count ? j : 0) * s];
    return batch<T>::load_aligned(buf);
}

// A strided load: the elements are gathered one by one into a batch.
template <class T>
batch<T> load_strided(const T* p, index_t s) {
    alignas(64) T buf[width<T>];
    for (index_t j = 0; j < width<T>; ++j) buf[j] = p[j * s];
    return batch<T>::load_aligned(buf);
}

template <class T>
[[gnu::always_inline]] inline void store_strided(T* p, index_t s, const batch<T>& v, index_t count) {
#if defined(__AVX512F__)
    if constexpr (sizeof(batch<T>) == 64) {
        if (s == 1) {
            if constexpr (std::is_same_v<T, float>)
                return _mm512_mask_storeu_ps(p, static_cast<__mmask16>((1u << count) - 1), v);
            else if constexpr (std::is_same_v<T, double>)
                return _mm512_mask_storeu_pd(p, static_cast<__mmask8>((1u << count) - 1), v);
        }
    }
#endif
#if defined(__AVX__)
    if constexpr (sizeof(batch<T>) == 32 && (std::is_same_v<T, float> || std::is_same_v<T, double>)) {
        if (s == 1) {
            if constexpr (std::is_same_v<T, float>) return _mm256_maskstore_ps(p, avx_first_lanes<T>(count), v);
            else return _mm256_maskstore_pd(p, avx_first_lanes<T>(count), v);
        }
    }
#endif
    alignas(64) T buf[width<T>];
    v.store_aligned(buf);
    for (index_t j = 0; j < count; ++j) p[j * s] = buf[j];
}

// a * b + c with one rounding. xsimd 8's generic fma (used for AVX-512) is
// a * b + c in two steps unless the compiler happens to contract it, so the
// fused instruction is spelled out wherever the hardware has it.
template <class T>
[[gnu::always_inline]] inline batch<T> fma(const batch<T>& a, const batch<T>& b, const batch<T>& c) {
#if defined(__AVX512F__)
    if constexpr (sizeof(batch<T>) == 64 && std::is_same_v<T, float>) return _mm512_fmadd_ps(a, b, c);
    if constexpr (sizeof(batch<T>) == 64 && std::is_same_v<T, double>) return _mm512_fmadd_pd(a, b, c);
#endif
#if defined(__FMA__)
    if constexpr (sizeof(batch<T>) == 32 && std::is_same_v<T, float>) return _mm256_fmadd_ps(a, b, c);
    if constexpr (sizeof(batch<T>) == 32 && std::is_same_v<T, double>) return _mm256_fmadd_pd(a, b, c);
#endif
    return xsimd::fma(a, b, c);
}

// x > y ? x : y (less: x < y ? x : y) by x86's maxps / minps rule: y
// whenever the two are unordered (a NaN) or equal. One instruction where
// the hardware has it, so maximum / minimum add only their NaN fix-up.
template <bool Greater, class B>
[[gnu::always_inline]] inline B pick_or_second(const B& x, const B& y) {
    using T [[maybe_unused]] = typename B::value_type;
#if defined(__AVX512F__)
    if constexpr (sizeof(B) == 64 && std::is_same_v<T, float>)
        return Greater ? _mm512_max_ps(x, y) : _mm512_min_ps(x, y);
    if constexpr (sizeof(B) == 64 && std::is_same_v<T, double>)
        return Greater ? _mm512_max_pd(x, y) : _mm512_min_pd(x, y);
#endif
#if defined(__AVX__)
    if constexpr (sizeof(B) == 32 && std::is_same_v<T, float>)
        return Greater ? _mm256_max_ps(x, y) : _mm256_min_ps(x, y);
    if constexpr (sizeof(B) == 32 && std::is_same_v<T, double>)
        return Greater ? _mm256_max_pd(x, y) : _mm256_min_pd(x, y);
#endif
    if constexpr (Greater) return xsimd::select(x > y, x, y);
    else return xsimd::select(x < y, x, y);
}

// Lanes [0, count) true.
template <class T>
mask<T> first_lanes(index_t count) {
    alignas(64) T idx[width<T>];
    for (index_t j = 0; j < width<T>; ++j) idx[j] = static_cast<T>(j);
    return batch<T>::load_aligned(idx) < batch<T>(static_cast<T>(count));
}

// Non-temporal (streaming) store of a full batch to a 64-byte aligned address:
// skips the read-for-ownership a plain store pays on a line not in cache.
// Returns false when this batch type has no streaming store here.
template <class T>
inline bool stream_store(T* p, const batch<T>& v) {
#if defined(__AVX512F__)
    if constexpr (sizeof(batch<T>) == 64) {
        if constexpr (std::is_same_v<T, float>) _mm512_stream_ps(p, v);
        else if constexpr (std::is_same_v<T, double>) _mm512_stream_pd(p, v);
        else _mm512_stream_si512(reinterpret_cast<__m512i*>(p), v);
        return true;
    }
#endif
#if defined(__AVX__)
    if constexpr (sizeof(batch<T>) == 32) {
        if constexpr (std::is_same_v<T, float>) _mm256_stream_ps(p, v);
        else if constexpr (std::is_same_v<T, double>) _mm256_stream_pd(p, v);
        else _mm256_stream_si256(reinterpret_cast<__m256i*>(p), v);
        return true;
    }
#endif
    (void)p, (void)v;
    return false;
}

// Orders the streaming stores before anything that follows.
inline void stream_fence() {
#if defined(__AVX__) || defined(__SSE2__)
    _mm_sfence();
#endif
}

template <class T>
inline constexpr bool has_stream_store =
    is_simd_type<T>
#if defined(__AVX512F__)
    && (sizeof(batch<T>) == 64 || sizeof(batch<T>) == 32)
#elif defined(__AVX__)
    && sizeof(batch<T>) == 32
#else
    && false
#endif
    ;

}  // namespace hoc::expr::simd

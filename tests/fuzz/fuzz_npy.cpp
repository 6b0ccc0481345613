// libFuzzer target for the .npy reader (see docs/fuzzing.md). Any input must
// either load or throw std::runtime_error; what loads must survive a save/load
// round trip bit for bit. Crashes, hangs, leaks and sanitizer reports are bugs.
#include <complex>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <stdexcept>

#include "hoc/io/npy.hpp"

namespace {

template <class T>
void load_and_round_trip(std::span<const unsigned char> bytes) {
    hoc::Tensor<T> t;
    try {
        t = hoc::load_npy<T>(bytes, "fuzz.npy");
    } catch (const std::runtime_error&) {
        return;
    }
    const std::vector<unsigned char> saved = hoc::npy_bytes(t);
    const hoc::Tensor<T> back = hoc::load_npy<T>(std::span<const unsigned char>(saved), "round-trip.npy");
    if (!(back.shape() == t.shape()) ||
        (t.size() > 0 && std::memcmp(static_cast<const void*>(back.data()), static_cast<const void*>(t.data()),
                    sizeof(T) * static_cast<std::size_t>(t.size())) != 0))
        std::abort();  // a save/load round trip changed the array
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const unsigned char> bytes(data, size);
    hoc::NpyHeader h;
    try {
        h = hoc::detail::parse_npy_header(bytes, "fuzz.npy");
    } catch (const std::runtime_error&) {
        return 0;
    }
    // Load with the file's own type (the decode path) and with one other type
    // (the mismatch path).
    switch (h.supported ? h.type : hoc::NpyType::float64) {
        case hoc::NpyType::float32: load_and_round_trip<float>(bytes); break;
        case hoc::NpyType::float64: load_and_round_trip<double>(bytes); break;
        case hoc::NpyType::int32: load_and_round_trip<std::int32_t>(bytes); break;
        case hoc::NpyType::int64: load_and_round_trip<std::int64_t>(bytes); break;
        case hoc::NpyType::boolean: load_and_round_trip<bool>(bytes); break;
        case hoc::NpyType::complex64: load_and_round_trip<std::complex<float>>(bytes); break;
        case hoc::NpyType::complex128: load_and_round_trip<std::complex<double>>(bytes); break;
    }
    load_and_round_trip<std::int32_t>(bytes);
    return 0;
}

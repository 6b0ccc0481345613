// NumPy's .npy file format: hoc::save_npy(path, t) and hoc::load_npy<T>(path).
//
// Reading accepts format versions 1.0, 2.0 and 3.0, C and Fortran order, and
// little- or big-endian '<f4' '<f8' '<i4' '<i8' '|b1' '<c8' '<c16' (and their
// '>' forms). The requested T must be exactly the file's dtype: hoc converts
// nothing behind your back. Writing produces what numpy.save produces for the
// same array (version 1.0, C order, native byte order, 64-byte aligned data).
//
// Every problem with a file (cannot open, bad magic, truncated header, header
// that does not parse, unsupported or mismatched dtype, shape that overflows,
// data shorter than the shape needs, unknown version) throws std::runtime_error
// whose message names the file and the problem. The parsing and decoding are
// compiled once in the library (kernels/io/npy_format.cpp); the templates here
// only pick the dtype and own the memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "hoc/core/config.hpp"
#include "hoc/core/shape.hpp"
#include "hoc/core/tensor.hpp"

namespace hoc {

// The element types hoc reads and writes in .npy files.
enum class NpyType : std::uint8_t { float32, float64, int32, int64, boolean, complex64, complex128 };

// What a .npy header says.
struct NpyHeader {
    int major_version = 1, minor_version = 0;
    std::string descr;           // the dtype as written, e.g. "<f8", "|b1", ">i4"
    bool supported = false;      // descr is one of the types hoc holds (then `type` is set)
    NpyType type = NpyType::float64;
    bool big_endian = false;     // the file's byte order
    std::size_t itemsize = 0;    // bytes per element
    bool fortran_order = false;  // the data are column-major
    Shape shape;
    index_t size = 0;            // number of elements
    std::size_t data_offset = 0; // bytes from the start of the file to the data
    std::size_t data_bytes = 0;  // size * itemsize
};

namespace detail {

template <class T> inline constexpr NpyType npy_type_of = NpyType::float64;
template <> inline constexpr NpyType npy_type_of<float> = NpyType::float32;
template <> inline constexpr NpyType npy_type_of<std::int32_t> = NpyType::int32;
template <> inline constexpr NpyType npy_type_of<std::int64_t> = NpyType::int64;
template <> inline constexpr NpyType npy_type_of<bool> = NpyType::boolean;
template <> inline constexpr NpyType npy_type_of<std::complex<float>> = NpyType::complex64;
template <> inline constexpr NpyType npy_type_of<std::complex<double>> = NpyType::complex128;

// Called once with the array's shape; returns where its size() elements go (C order).
using NpyAllocate = std::function<void*(const Shape&)>;

// Bytes from the start of a .npy file to its data, read from the preamble
// (magic, version, header length) at the start of `prefix`; throws when the
// preamble is short, damaged or of an unknown version. `name` is the file in messages.
std::size_t npy_data_offset(std::span<const unsigned char> prefix, const std::string& name);
// Parses the preamble and header at the start of `bytes` (the whole file, or at
// least its first npy_data_offset bytes).
NpyHeader parse_npy_header(std::span<const unsigned char> bytes, const std::string& name);
// Throws unless the file's dtype is `want` (message names file, dtype and request).
void check_npy_type(const NpyHeader& h, NpyType want, const std::string& name);
// Converts the file's data (`src`, at least h.data_bytes long) into C-order
// native elements of type h.type at `dst`: byte swap, Fortran reorder, bools to 0/1.
void decode_npy_data(const NpyHeader& h, const unsigned char* src, void* dst);

// A whole .npy file held in memory (the fuzzer's entry point).
void load_npy_memory(std::span<const unsigned char> bytes, NpyType want, const NpyAllocate& allocate,
                     const std::string& name);
void load_npy_file(const std::filesystem::path& path, NpyType want, const NpyAllocate& allocate);

// The preamble + header numpy.save writes for a C-order array of this type and shape.
std::vector<unsigned char> npy_header_bytes(NpyType type, const Shape& shape);
// Writes header + `data` (C order, native) to path; throws std::runtime_error naming the file.
void save_npy_file(const std::filesystem::path& path, NpyType type, const Shape& shape, const void* data);

}  // namespace detail

// The header of a .npy file (dtype, shape, order, version) without reading its data.
NpyHeader read_npy_header(const std::filesystem::path& path);

// Loads a .npy file whose dtype is exactly T.
template <Element T>
Tensor<T> load_npy(const std::filesystem::path& path) {
    Tensor<T> out;
    detail::load_npy_file(path, detail::npy_type_of<T>, [&](const Shape& s) -> void* {
        out = Tensor<T>::uninitialized(s);
        return out.data();
    });
    return out;
}

// Loads .npy data held in memory (`name` stands for the file in error messages).
template <Element T>
Tensor<T> load_npy(std::span<const unsigned char> bytes, const std::string& name = "<memory>") {
    Tensor<T> out;
    detail::load_npy_memory(bytes, detail::npy_type_of<T>, [&](const Shape& s) -> void* {
        out = Tensor<T>::uninitialized(s);
        return out.data();
    }, name);
    return out;
}

// Saves a tensor or any view (strided, transposed, broadcast) as a C-order .npy file.
template <class Elem>
void save_npy(const std::filesystem::path& path, const TensorView<Elem>& t) {
    using T = std::remove_const_t<Elem>;
    static_assert(Element<T>, "save_npy: unsupported element type");
    static_assert(sizeof(bool) == 1, "save_npy writes bools as single bytes");
    if (t.is_contiguous()) {
        detail::save_npy_file(path, detail::npy_type_of<T>, t.shape(), t.data());
    } else {
        const Tensor<T> packed(t);
        detail::save_npy_file(path, detail::npy_type_of<T>, packed.shape(), packed.data());
    }
}
template <Element T>
void save_npy(const std::filesystem::path& path, const Tensor<T>& t) {
    save_npy(path, t.view());
}

// The bytes numpy.save would write for t (header and data), e.g. to send or hash.
template <class Elem>
std::vector<unsigned char> npy_bytes(const TensorView<Elem>& t) {
    using T = std::remove_const_t<Elem>;
    const Tensor<T> packed(t);
    std::vector<unsigned char> out = detail::npy_header_bytes(detail::npy_type_of<T>, t.shape());
    const auto* p = reinterpret_cast<const unsigned char*>(packed.data());
    out.insert(out.end(), p, p + sizeof(T) * static_cast<std::size_t>(packed.size()));
    return out;
}
template <Element T>
std::vector<unsigned char> npy_bytes(const Tensor<T>& t) {
    return npy_bytes(t.view());
}

}  // namespace hoc

// The .npy reader and writer (see hoc/io/npy.hpp). The header is a Python
// dict literal; it is parsed by a small recursive-descent parser that accepts
// what NumPy's ast.literal_eval accepts for real files (either quote style,
// any key order, trailing commas, Python-2 `3L` integers) and rejects
// everything else with a message naming the byte where it went wrong. Every
// length read from the file is checked before it is used, so damaged input
// throws instead of reading out of bounds (tests/fuzz/fuzz_npy.cpp checks that).
#include "hoc/io/npy.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <system_error>

namespace hoc {
namespace detail {
namespace {

constexpr unsigned char kMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
constexpr std::size_t kMagicLen = 6;
constexpr std::size_t kArrayAlign = 64;       // numpy's ARRAY_ALIGN
constexpr std::size_t kGrowthAxisDigits = 21;  // numpy's GROWTH_AXIS_MAX_DIGITS
constexpr int kMaxNesting = 16;                // deepest list/tuple in a header

[[noreturn]] void fail(const std::string& name, const std::string& problem) {
    throw std::runtime_error("load_npy: " + name + ": " + problem);
}

// A printable excerpt of header text for error messages.
std::string excerpt(std::string_view s, std::size_t pos) {
    std::string out;
    for (std::size_t i = pos; i < s.size() && out.size() < 24; ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x7f) {
            out += static_cast<char>(c);
        } else {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        }
    }
    return pos >= s.size() ? "end of header" : "'" + out + "'";
}

// ---- the header dict -----------------------------------------------------------

struct PyValue {
    enum Kind { String, Bool, Int, NegativeInt, None, Sequence } kind = None;
    std::string text;             // String: the characters; Int: the digits
    bool flag = false;            // Bool
    std::vector<PyValue> items;   // Sequence (tuple or list)
    bool is_tuple = false;
};

class HeaderParser {
public:
    HeaderParser(std::string_view text, const std::string& name) : s_(text), name_(name) {}

    // {key: value, ...} followed by nothing but whitespace.
    std::vector<std::pair<std::string, PyValue>> parse_dict() {
        std::vector<std::pair<std::string, PyValue>> entries;
        skip_space();
        expect('{', "'{' opening the header dict");
        skip_space();
        while (!at('}')) {
            PyValue key = parse_value(0);
            if (key.kind != PyValue::String) error("a string key");
            skip_space();
            expect(':', "':' after the key '" + key.text + "'");
            PyValue value = parse_value(0);
            for (const auto& e : entries)
                if (e.first == key.text)
                    fail(name_, "header dict repeats the key '" + key.text + "'");
            entries.emplace_back(std::move(key.text), std::move(value));
            skip_space();
            if (at(',')) {
                ++pos_;
                skip_space();
            } else if (!at('}')) {
                error("',' or '}' after the value of '" + entries.back().first + "'");
            }
        }
        ++pos_;
        skip_space();
        if (pos_ != s_.size()) error("only padding after the header dict");
        return entries;
    }

private:
    bool at(char c) const { return pos_ < s_.size() && s_[pos_] == c; }
    void skip_space() {
        while (pos_ < s_.size() && std::strchr(" \t\n\r\f\v", s_[pos_]) && s_[pos_] != '\0') ++pos_;
    }
    [[noreturn]] void error(const std::string& wanted) const {
        fail(name_, "header does not parse: expected " + wanted + " at byte " +
                        std::to_string(pos_) + " of the header, found " + excerpt(s_, pos_));
    }
    void expect(char c, const std::string& what) {
        if (!at(c)) error(what);
        ++pos_;
    }
    bool word(std::string_view w) {
        if (s_.substr(pos_, w.size()) != w) return false;
        const std::size_t end = pos_ + w.size();
        if (end < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[end])) || s_[end] == '_'))
            return false;
        pos_ = end;
        return true;
    }

    PyValue parse_value(int depth) {
        skip_space();
        PyValue v;
        if (pos_ >= s_.size()) error("a value");
        const char c = s_[pos_];
        if (c == '\'' || c == '"' ||
            ((c == 'u' || c == 'b') && pos_ + 1 < s_.size() && (s_[pos_ + 1] == '\'' || s_[pos_ + 1] == '"'))) {
            if (c == 'u' || c == 'b') ++pos_;
            v.kind = PyValue::String;
            v.text = parse_string();
        } else if (c == '(' || c == '[') {
            if (depth >= kMaxNesting) error("less deeply nested lists (more than 16 levels)");
            v = parse_sequence(depth);
        } else if (c == '-' || c == '+' || std::isdigit(static_cast<unsigned char>(c))) {
            v.kind = c == '-' ? PyValue::NegativeInt : PyValue::Int;
            if (c == '-' || c == '+') ++pos_;
            const std::size_t start = pos_;
            while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
            if (pos_ == start) error("digits of an integer");
            v.text = std::string(s_.substr(start, pos_ - start));
            if (at('L') || at('l')) ++pos_;  // Python 2 long, as old NumPy wrote
        } else if (word("True")) {
            v.kind = PyValue::Bool, v.flag = true;
        } else if (word("False")) {
            v.kind = PyValue::Bool, v.flag = false;
        } else if (word("None")) {
            v.kind = PyValue::None;
        } else {
            error("a value (string, integer, True, False or tuple)");
        }
        return v;
    }

    std::string parse_string() {
        const char quote = s_[pos_++];
        std::string out;
        while (true) {
            if (pos_ >= s_.size()) error(std::string("the closing ") + quote + " of a string");
            const char c = s_[pos_++];
            if (c == quote) break;
            if (c == '\n') error(std::string("the closing ") + quote + " of a string");
            if (c == '\\') {
                if (pos_ >= s_.size()) error("an escaped character");
                out += s_[pos_++];
            } else {
                out += c;
            }
        }
        return out;
    }

    PyValue parse_sequence(int depth) {
        PyValue v;
        v.kind = PyValue::Sequence;
        v.is_tuple = s_[pos_] == '(';
        const char close = v.is_tuple ? ')' : ']';
        ++pos_;
        skip_space();
        bool trailing_comma = false;
        while (!at(close)) {
            v.items.push_back(parse_value(depth + 1));
            skip_space();
            trailing_comma = false;
            if (at(',')) {
                ++pos_;
                trailing_comma = true;
                skip_space();
            } else if (!at(close)) {
                error(std::string("',' or '") + close + "' in a " + (v.is_tuple ? "tuple" : "list"));
            }
        }
        ++pos_;
        // "(3)" is the integer 3 in Python, not a tuple.
        if (v.is_tuple && v.items.size() == 1 && !trailing_comma) return std::move(v.items[0]);
        return v;
    }

    std::string_view s_;
    const std::string& name_;
    std::size_t pos_ = 0;
};

// ---- dtypes --------------------------------------------------------------------

struct DtypeInfo {
    NpyType type;
    char kind;
    std::size_t itemsize;
    const char* numpy_name;
};

constexpr DtypeInfo kDtypes[] = {
    {NpyType::float32, 'f', 4, "float32"},     {NpyType::float64, 'f', 8, "float64"},
    {NpyType::int32, 'i', 4, "int32"},         {NpyType::int64, 'i', 8, "int64"},
    {NpyType::boolean, 'b', 1, "bool"},        {NpyType::complex64, 'c', 8, "complex64"},
    {NpyType::complex128, 'c', 16, "complex128"},
};

const DtypeInfo& info_of(NpyType t) {
    for (const auto& d : kDtypes)
        if (d.type == t) return d;
    return kDtypes[1];
}

// The C++ spelling of each type, for messages about load_npy<T>.
const char* cpp_name(NpyType t) {
    switch (t) {
        case NpyType::float32: return "float";
        case NpyType::float64: return "double";
        case NpyType::int32: return "std::int32_t";
        case NpyType::int64: return "std::int64_t";
        case NpyType::boolean: return "bool";
        case NpyType::complex64: return "std::complex<float>";
        case NpyType::complex128: return "std::complex<double>";
    }
    return "?";
}

// Fills h.supported/type/big_endian/itemsize from h.descr ("<f8", "|b1", ...).
void classify_descr(NpyHeader& h) {
    const std::string& d = h.descr;
    if (d.size() < 3) return;
    const char order = d[0];
    if (order != '<' && order != '>' && order != '|' && order != '=') return;
    const char kind = d[1];
    std::size_t itemsize = 0;
    for (std::size_t i = 2; i < d.size(); ++i) {
        if (!std::isdigit(static_cast<unsigned char>(d[i])) || itemsize > 1000) return;
        itemsize = itemsize * 10 + static_cast<std::size_t>(d[i] - '0');
    }
    for (const auto& info : kDtypes) {
        if (info.kind == kind && info.itemsize == itemsize) {
            // '|' (not applicable) only makes sense for one-byte types.
            if (order == '|' && itemsize != 1) return;
            h.supported = true;
            h.type = info.type;
            h.itemsize = itemsize;
            h.big_endian = order == '>' || (order == '=' && std::endian::native == std::endian::big);
            return;
        }
    }
}

std::string describe_dtype(const NpyHeader& h) {
    if (!h.supported) return "'" + h.descr + "'";
    return "'" + h.descr + "' (" + info_of(h.type).numpy_name + ")";
}

std::uint16_t read_le16(const unsigned char* p) {
    return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}
std::uint32_t read_le32(const unsigned char* p) {
    return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
           (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

// Reverses the bytes of each `unit`-byte word in [p, p + bytes).
void swap_bytes(unsigned char* p, std::size_t bytes, std::size_t unit) {
    if (unit <= 1) return;
    for (std::size_t i = 0; i + unit <= bytes; i += unit) std::reverse(p + i, p + i + unit);
}

// Copies elements of `elem` bytes stored column-major (Fortran) for `shape`
// into row-major order.
void fortran_to_c(const unsigned char* src, unsigned char* dst, const Shape& shape, std::size_t elem) {
    const index_t n = shape.size();
    index_t total = 1;
    for (index_t d : shape) total *= d;
    if (total == 0) return;
    // Source stride (in elements) of each axis: Fortran order, first axis fastest.
    Shape src_stride = Shape::filled(n, 1);
    for (index_t i = 1; i < n; ++i) src_stride[i] = src_stride[i - 1] * shape[i - 1];
    const index_t inner = n ? shape[n - 1] : 1;
    const index_t inner_stride = n ? src_stride[n - 1] : 1;
    Shape idx = Shape::filled(n, 0);
    index_t off = 0;  // source offset of idx with the last axis at 0
    for (index_t done = 0; done < total; done += inner) {
        const unsigned char* s = src + static_cast<std::size_t>(off) * elem;
        for (index_t j = 0; j < inner; ++j, dst += elem)
            std::memcpy(dst, s + static_cast<std::size_t>(j * inner_stride) * elem, elem);
        for (index_t ax = n - 2; ax >= 0; --ax) {
            off += src_stride[ax];
            if (++idx[ax] < shape[ax]) break;
            off -= src_stride[ax] * shape[ax];
            idx[ax] = 0;
        }
    }
}

using FilePtr = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

FilePtr open_file(const std::filesystem::path& path, const char* mode) {
    return FilePtr(std::fopen(path.c_str(), mode), &std::fclose);
}

std::string errno_text() { return std::generic_category().message(errno); }

}  // namespace

// ---- reading ---------------------------------------------------------------------

std::size_t npy_data_offset(std::span<const unsigned char> prefix, const std::string& name) {
    if (prefix.empty()) fail(name, "the file is empty, not a .npy file");
    if (prefix.size() < kMagicLen || !std::equal(kMagic, kMagic + kMagicLen, prefix.begin())) {
        if (prefix.size() < kMagicLen && std::equal(prefix.begin(), prefix.end(), kMagic))
            fail(name, "file is truncated: " + std::to_string(prefix.size()) +
                           " bytes, too short for the .npy magic string");
        fail(name, "not a .npy file: bad magic string (expected \\x93NUMPY)");
    }
    if (prefix.size() < kMagicLen + 2)
        fail(name, "file is truncated: it ends inside the format version");
    const int major = prefix[6], minor = prefix[7];
    if ((major != 1 && major != 2 && major != 3) || minor != 0)
        fail(name, "unsupported .npy format version " + std::to_string(major) + "." +
                       std::to_string(minor) + " (hoc reads 1.0, 2.0 and 3.0)");
    const std::size_t len_bytes = major == 1 ? 2 : 4;
    if (prefix.size() < kMagicLen + 2 + len_bytes)
        fail(name, "file is truncated: it ends inside the header length");
    const std::size_t header_len =
        major == 1 ? read_le16(prefix.data() + 8) : read_le32(prefix.data() + 8);
    // NumPy's max_header_size: the length is checked before any of it is read
    // or allocated (a 13-byte file once asked for 4 GiB).
    constexpr std::size_t kMaxHeader = 10000;
    if (header_len > kMaxHeader)
        fail(name, "header length " + std::to_string(header_len) + " exceeds the limit of " +
                       std::to_string(kMaxHeader) + " bytes (NumPy's max_header_size)");
    return kMagicLen + 2 + len_bytes + header_len;
}

NpyHeader parse_npy_header(std::span<const unsigned char> bytes, const std::string& name) {
    const std::size_t offset = npy_data_offset(bytes, name);
    NpyHeader h;
    h.major_version = bytes[6];
    h.minor_version = bytes[7];
    const std::size_t header_start = h.major_version == 1 ? 10 : 12;
    if (bytes.size() < offset)
        fail(name, "truncated header: the header length says " +
                       std::to_string(offset - header_start) + " bytes but only " +
                       std::to_string(bytes.size() - header_start) + " follow");
    h.data_offset = offset;
    const std::string_view text(reinterpret_cast<const char*>(bytes.data() + header_start),
                                offset - header_start);

    const auto entries = HeaderParser(text, name).parse_dict();
    const PyValue* descr = nullptr;
    const PyValue* fortran = nullptr;
    const PyValue* shape = nullptr;
    for (const auto& [key, value] : entries) {
        if (key == "descr") descr = &value;
        else if (key == "fortran_order") fortran = &value;
        else if (key == "shape") shape = &value;
        else fail(name, "header has the unexpected key '" + key + "'");
    }
    for (const auto& [key, ptr] : {std::pair{"descr", descr}, {"fortran_order", fortran}, {"shape", shape}})
        if (!ptr) fail(name, std::string("header lacks the '") + key + "' key");

    if (descr->kind == PyValue::String) {
        h.descr = descr->text;
        classify_descr(h);
    } else if (descr->kind == PyValue::Sequence && !descr->is_tuple) {
        h.descr = "[...]";  // a structured dtype: parsed, but hoc holds no records
    } else {
        fail(name, "header 'descr' is not a dtype string");
    }
    if (fortran->kind != PyValue::Bool) fail(name, "header 'fortran_order' is not True or False");
    h.fortran_order = fortran->flag;

    if (shape->kind != PyValue::Sequence || !shape->is_tuple)
        fail(name, "header 'shape' is not a tuple of integers");
    if (shape->items.size() > static_cast<std::size_t>(kMaxRank))
        fail(name, "shape has " + std::to_string(shape->items.size()) +
                       " dimensions; hoc holds at most " + std::to_string(kMaxRank));
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<index_t>::max());
    for (const PyValue& d : shape->items) {
        if (d.kind == PyValue::NegativeInt && d.text.find_first_not_of('0') != std::string::npos)
            fail(name, "shape has the negative dimension -" + d.text);
        if (d.kind != PyValue::Int && d.kind != PyValue::NegativeInt)
            fail(name, "header 'shape' is not a tuple of integers");
        std::uint64_t v = 0;
        for (char c : d.text) {
            const auto digit = static_cast<std::uint64_t>(c - '0');
            if (v > (kMax - digit) / 10)
                fail(name, "shape dimension " + d.text + " overflows a 64-bit index");
            v = v * 10 + digit;
        }
        h.shape.push_back(static_cast<index_t>(v));
    }

    // Element count and byte count, refusing products that overflow. As in
    // NumPy, the product of the non-zero lengths must fit even when a zero
    // length makes the array empty (strides are computed from it).
    std::uint64_t count = 1;
    bool zero = false;
    for (index_t d : h.shape) {
        if (d == 0) {
            zero = true;
            continue;
        }
        if (count > kMax / static_cast<std::uint64_t>(d))
            fail(name, "shape " + shape_string(h.shape) +
                           " overflows: more elements than a 64-bit index counts");
        count *= static_cast<std::uint64_t>(d);
    }
    h.size = zero ? 0 : static_cast<index_t>(count);
    if (h.supported) {
        if (count > kMax / h.itemsize)
            fail(name, "shape " + shape_string(h.shape) + " of " + describe_dtype(h) +
                           " overflows: more bytes than a 64-bit index counts");
        h.data_bytes = static_cast<std::size_t>(h.size) * h.itemsize;
    }
    return h;
}

void check_npy_type(const NpyHeader& h, NpyType want, const std::string& name) {
    const DtypeInfo& w = info_of(want);
    if (!h.supported)
        fail(name, "the file holds dtype " + describe_dtype(h) + ", which hoc does not support; requested " +
                       w.numpy_name + " (load_npy<" + cpp_name(want) + ">)");
    if (h.type != want)
        fail(name, "the file holds dtype " + describe_dtype(h) + ", not the requested " + w.numpy_name +
                       " (load_npy<" + cpp_name(want) + ">); hoc does not convert on load");
}

void decode_npy_data(const NpyHeader& h, const unsigned char* src, void* dst_void) {
    auto* dst = static_cast<unsigned char*>(dst_void);
    if (h.data_bytes == 0) return;
    if (h.fortran_order && h.shape.size() > 1) fortran_to_c(src, dst, h.shape, h.itemsize);
    else if (dst != src) std::memcpy(dst, src, h.data_bytes);
    const bool native_big = std::endian::native == std::endian::big;
    if (h.big_endian != native_big) {
        const bool is_complex = h.type == NpyType::complex64 || h.type == NpyType::complex128;
        swap_bytes(dst, h.data_bytes, is_complex ? h.itemsize / 2 : h.itemsize);
    }
    // A bool byte other than 0 or 1 is undefined behaviour in C++: make it 0/1, as NumPy reads it.
    if (h.type == NpyType::boolean)
        for (std::size_t i = 0; i < h.data_bytes; ++i) dst[i] = dst[i] != 0;
}

namespace {

[[noreturn]] void fail_short_data(const NpyHeader& h, std::size_t have, const std::string& name) {
    fail(name, "data is truncated: shape " + shape_string(h.shape) + " of " + describe_dtype(h) +
                   " needs " + std::to_string(h.data_bytes) + " bytes but only " + std::to_string(have) +
                   " follow the header");
}

}  // namespace

void load_npy_memory(std::span<const unsigned char> bytes, NpyType want, const NpyAllocate& allocate,
                     const std::string& name) {
    const NpyHeader h = parse_npy_header(bytes, name);
    check_npy_type(h, want, name);
    const std::size_t have = bytes.size() - h.data_offset;
    if (have < h.data_bytes) fail_short_data(h, have, name);
    void* dst = allocate(h.shape);
    decode_npy_data(h, bytes.data() + h.data_offset, dst);
}

namespace {

// Reads the preamble and header of an open file (positioned at its start).
NpyHeader read_header(std::FILE* f, const std::string& name) {
    std::vector<unsigned char> prefix(12);
    prefix.resize(std::fread(prefix.data(), 1, prefix.size(), f));
    if (std::ferror(f)) fail(name, "read error: " + errno_text());
    const std::size_t offset = npy_data_offset(prefix, name);
    if (offset > prefix.size()) {
        const std::size_t had = prefix.size();
        prefix.resize(offset);
        prefix.resize(had + std::fread(prefix.data() + had, 1, offset - had, f));
        if (std::ferror(f)) fail(name, "read error: " + errno_text());
    }
    return parse_npy_header(prefix, name);
}

}  // namespace

void load_npy_file(const std::filesystem::path& path, NpyType want, const NpyAllocate& allocate) {
    const std::string name = path.string();
    FilePtr f = open_file(path, "rb");
    if (!f) fail(name, "cannot open the file: " + errno_text());
    const NpyHeader h = read_header(f.get(), name);
    check_npy_type(h, want, name);
    // Check the length before allocating: a damaged shape must not cost memory.
    std::error_code ec;
    const auto file_size = std::filesystem::file_size(path, ec);
    if (!ec && file_size < h.data_offset + h.data_bytes)
        fail_short_data(h, file_size > h.data_offset ? file_size - h.data_offset : 0, name);
    if (std::fseek(f.get(), static_cast<long>(h.data_offset), SEEK_SET) != 0)
        fail(name, "cannot seek to the data: " + errno_text());

    void* dst = allocate(h.shape);
    const bool in_place = !(h.fortran_order && h.shape.size() > 1);
    std::vector<unsigned char> staging;
    unsigned char* target = static_cast<unsigned char*>(dst);
    if (!in_place) {
        staging.resize(h.data_bytes);
        target = staging.data();
    }
    const std::size_t got = h.data_bytes ? std::fread(target, 1, h.data_bytes, f.get()) : 0;
    if (got < h.data_bytes) {
        if (std::ferror(f.get())) fail(name, "read error: " + errno_text());
        fail_short_data(h, got, name);
    }
    decode_npy_data(h, target, dst);
}

// ---- writing ---------------------------------------------------------------------

std::vector<unsigned char> npy_header_bytes(NpyType type, const Shape& shape) {
    const DtypeInfo& info = info_of(type);
    const char order = info.itemsize == 1 ? '|' : std::endian::native == std::endian::big ? '>' : '<';
    std::string dict = "{'descr': '";
    dict += order;
    dict += info.kind + std::to_string(info.itemsize) + "', 'fortran_order': False, 'shape': (";
    for (index_t i = 0; i < shape.size(); ++i) {
        if (i) dict += ", ";
        dict += std::to_string(shape[i]);
    }
    if (shape.size() == 1) dict += ",";
    dict += "), }";
    // Room to rewrite the first axis in place, as numpy leaves for appending writers.
    if (shape.size() > 0) dict.append(kGrowthAxisDigits - std::to_string(shape[0]).size(), ' ');

    // Pad with spaces and end with '\n' so the data start on a 64-byte boundary.
    // Version 1.0 unless its 16-bit header length cannot hold the header.
    std::size_t hlen = dict.size() + 1;
    std::size_t preamble = kMagicLen + 2 + 2;
    std::size_t pad = kArrayAlign - (preamble + hlen) % kArrayAlign;
    int major = 1;
    if (hlen + pad > 65535) {
        major = 2;
        preamble = kMagicLen + 2 + 4;
        pad = kArrayAlign - (preamble + hlen) % kArrayAlign;
    }
    dict.append(pad, ' ');
    dict += '\n';
    hlen = dict.size();

    std::vector<unsigned char> out(kMagic, kMagic + kMagicLen);
    out.push_back(static_cast<unsigned char>(major));
    out.push_back(0);
    for (std::size_t i = 0; i < preamble - kMagicLen - 2; ++i)
        out.push_back(static_cast<unsigned char>((hlen >> (8 * i)) & 0xff));
    out.insert(out.end(), dict.begin(), dict.end());
    return out;
}

void save_npy_file(const std::filesystem::path& path, NpyType type, const Shape& shape, const void* data) {
    const std::string name = path.string();
    auto fail_save = [&](const std::string& problem) {
        throw std::runtime_error("save_npy: " + name + ": " + problem);
    };
    const std::vector<unsigned char> header = npy_header_bytes(type, shape);
    const std::size_t data_bytes = static_cast<std::size_t>(checked_size(shape)) * info_of(type).itemsize;
    // Written beside the target and renamed over it: a failed write (disk full,
    // a file-size limit) leaves the old file as it was, and readers never see
    // half a file. The name is unique per process and call.
    static std::atomic<unsigned long> counter{0};
    std::filesystem::path tmp = path;
    tmp += ".tmp-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
    FilePtr f = open_file(tmp, "wb");
    if (!f) fail_save("cannot open the file for writing: " + errno_text());
    const bool written = std::fwrite(header.data(), 1, header.size(), f.get()) == header.size() &&
                         (!data_bytes || std::fwrite(data, 1, data_bytes, f.get()) == data_bytes);
    const std::string write_error = written ? "" : errno_text();
    const bool closed = std::fclose(f.release()) == 0;
    const std::string close_error = closed ? "" : errno_text();
    std::error_code ec;
    if (written && closed) std::filesystem::rename(tmp, path, ec);
    if (!written || !closed || ec) {
        std::error_code ignored;
        std::filesystem::remove(tmp, ignored);
        if (!written) fail_save("write error: " + write_error);
        if (!closed) fail_save("write error on close: " + close_error);
        fail_save("cannot replace the file: " + ec.message());
    }
}

}  // namespace detail

NpyHeader read_npy_header(const std::filesystem::path& path) {
    const std::string name = path.string();
    detail::FilePtr f = detail::open_file(path, "rb");
    if (!f) detail::fail(name, "cannot open the file: " + detail::errno_text());
    return detail::read_header(f.get(), name);
}

}  // namespace hoc

// .npy save/load: round trips for every dtype and awkward shapes and views,
// files written by NumPy (tests/data/make_npy.py), byte-identical output to
// numpy.save, and every way a file can be damaged or mismatched.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

#include <csignal>

#include "hoc/hoc.hpp"

namespace fs = std::filesystem;
using hoc::Shape;
using hoc::Tensor;

namespace {

const fs::path kData = HOC_TEST_DATA_DIR;

// A fresh directory for the files one test writes.
class NpyFiles : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        dir_ = fs::temp_directory_path() /
               ("hoc_test_npy_" + std::to_string(::getpid()) + "_" + info->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path file(const std::string& name) const { return dir_ / name; }
    fs::path dir_;
};

std::vector<unsigned char> read_bytes(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

void write_bytes(const fs::path& p, const std::vector<unsigned char>& b) {
    std::ofstream f(p, std::ios::binary);
    f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

// A .npy file with a hand-written header (padded like NumPy's) and raw data.
std::vector<unsigned char> make_npy(std::string header, std::size_t data_bytes, int major = 1) {
    const std::size_t pre = major == 1 ? 10 : 12;
    while ((pre + header.size() + 1) % 64) header += ' ';
    header += '\n';
    std::vector<unsigned char> out = {0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<unsigned char>(major), 0};
    for (std::size_t i = 0; i < pre - 8; ++i) out.push_back(static_cast<unsigned char>(header.size() >> (8 * i)));
    out.insert(out.end(), header.begin(), header.end());
    for (std::size_t i = 0; i < data_bytes; ++i) out.push_back(static_cast<unsigned char>(i * 7 + 1));
    return out;
}

// Element i (row-major) of the test arrays: distinct, sign-varied, type-exact.
template <class T>
T value_at(hoc::index_t i) {
    if constexpr (std::is_same_v<T, bool>) return i % 3 == 0;
    else if constexpr (hoc::is_complex_v<T>) return T(0.5 * i - 3, -0.25 * i + 1);
    else if constexpr (std::is_floating_point_v<T>) return T(1.5 * i - 7) / T(3);
    else return T(i * 37 - 1000) * (i % 2 ? 1 : -1);
}

template <class T>
Tensor<T> pattern(const Shape& s) {
    auto t = Tensor<T>::uninitialized(s);
    for (hoc::index_t i = 0; i < t.size(); ++i) t.data()[i] = value_at<T>(i);
    return t;
}

// Bitwise equality of two tensors (NaN-safe, -0.0-sensitive).
template <class T>
bool same(const Tensor<T>& a, const Tensor<T>& b) {
    return a.shape() == b.shape() &&
           (a.size() == 0 || std::memcmp(static_cast<const void*>(a.data()), static_cast<const void*>(b.data()),
                                         sizeof(T) * static_cast<std::size_t>(a.size())) == 0);
}

template <class T>
std::string load_error(const fs::path& p) {
    try {
        (void)hoc::load_npy<T>(p);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "(no exception)";
}

std::string memory_error(const std::vector<unsigned char>& bytes, const std::string& name = "mem.npy") {
    try {
        (void)hoc::load_npy<double>(std::span<const unsigned char>(bytes), name);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "(no exception)";
}

}  // namespace

// ---- round trips -------------------------------------------------------------------

template <class T>
class NpyRoundTrip : public NpyFiles {};
using AllTypes = ::testing::Types<float, double, std::int32_t, std::int64_t, bool, std::complex<float>,
                                  std::complex<double>>;
TYPED_TEST_SUITE(NpyRoundTrip, AllTypes);

TYPED_TEST(NpyRoundTrip, ShapesFromScalarToSixD) {
    using T = TypeParam;
    const Shape shapes[] = {{}, {0}, {1}, {7}, {2, 0}, {0, 3}, {3, 5}, {1, 1, 1}, {2, 3, 4},
                            {2, 1, 3, 1, 2, 2}, {3, 0, 2, 1, 1, 4}, {5, 3, 7, 2}};
    for (const Shape& s : shapes) {
        const Tensor<T> t = pattern<T>(s);
        const fs::path p = this->file("a.npy");
        hoc::save_npy(p, t);
        const Tensor<T> back = hoc::load_npy<T>(p);
        EXPECT_TRUE(same(t, back)) << hoc::shape_string(s);
        // The header says what was saved; data start 64-byte aligned, as numpy.save.
        const hoc::NpyHeader h = hoc::read_npy_header(p);
        EXPECT_EQ(h.shape, s);
        EXPECT_FALSE(h.fortran_order);
        EXPECT_EQ(h.major_version, 1);
        EXPECT_EQ(h.data_offset % 64, 0u);
        EXPECT_EQ(fs::file_size(p), h.data_offset + sizeof(T) * static_cast<std::size_t>(t.size()));
        // The in-memory form is the file's bytes.
        EXPECT_EQ(hoc::npy_bytes(t), read_bytes(p));
    }
}

TYPED_TEST(NpyRoundTrip, StridedViewsAreSavedInLogicalOrder) {
    using T = TypeParam;
    Tensor<T> t = pattern<T>(Shape{4, 5, 3});
    const auto check = [&](const hoc::TensorView<const T>& v) {
        const fs::path p = this->file("v.npy");
        hoc::save_npy(p, v);
        const Tensor<T> expect(v);  // contiguous copy made by the core
        EXPECT_TRUE(same(expect, hoc::load_npy<T>(p))) << hoc::shape_string(v.shape());
    };
    check(t.T());
    check(hoc::transpose(t.cview(), {1, 0, 2}));
    check(hoc::slice(t.cview(), 1, 4, 0, -2));          // negative step
    check(hoc::slice(t.cview(), 0, 1, 4, 2).T());
    check(hoc::broadcast_to(hoc::slice(t.cview(), 0, 0, 1), Shape{3, 4, 5, 3}));  // stride 0
    hoc::TensorView<T> mutable_view = t.view().slice(2, 0, 3, 2);
    const fs::path p = this->file("m.npy");
    hoc::save_npy(p, mutable_view);
    EXPECT_TRUE(same(Tensor<T>(mutable_view), hoc::load_npy<T>(p)));
}

TEST_F(NpyFiles, SpecialFloatsSurviveBitForBit) {
    const double inf = std::numeric_limits<double>::infinity();
    const Tensor<double> t = hoc::tensor<double>({std::nan(""), inf, -inf, -0.0, 4.9e-324, 1.7976931348623157e308});
    hoc::save_npy(file("s.npy"), t);
    EXPECT_TRUE(same(t, hoc::load_npy<double>(file("s.npy"))));
}

TEST_F(NpyFiles, OverwritesAnExistingFile) {
    hoc::save_npy(file("o.npy"), pattern<double>(Shape{100}));
    hoc::save_npy(file("o.npy"), pattern<double>(Shape{2}));
    EXPECT_TRUE(same(pattern<double>(Shape{2}), hoc::load_npy<double>(file("o.npy"))));
}

// ---- files written by NumPy ---------------------------------------------------------

TEST(NpyFromNumPy, COrderFloat64) {
    const auto t = hoc::load_npy<double>(kData / "f8_2x3.npy");
    ASSERT_EQ(t.shape(), Shape({2, 3}));
    for (int i = 0; i < 6; ++i) EXPECT_EQ(t.data()[i], 1.5 * i - 2);
}

TEST(NpyFromNumPy, Float32WithExtremes) {
    const auto t = hoc::load_npy<float>(kData / "f4_5.npy");
    ASSERT_EQ(t.shape(), Shape({5}));
    EXPECT_EQ(t(0), 0.5f);
    EXPECT_EQ(t(1), -1.25f);
    EXPECT_EQ(t(2), 3.0e38f);
    EXPECT_EQ(t(3), 1.0e-7f);
    EXPECT_EQ(t(4), 0.0f);
    EXPECT_TRUE(std::signbit(t(4)));
}

TEST(NpyFromNumPy, NonFiniteAndSubnormal) {
    const auto t = hoc::load_npy<double>(kData / "f8_special.npy");
    ASSERT_EQ(t.size(), 5);
    EXPECT_TRUE(std::isnan(t(0)));
    EXPECT_EQ(t(1), std::numeric_limits<double>::infinity());
    EXPECT_EQ(t(2), -std::numeric_limits<double>::infinity());
    EXPECT_TRUE(t(3) == 0.0 && std::signbit(t(3)));
    EXPECT_EQ(t(4), std::numeric_limits<double>::denorm_min());
}

TEST(NpyFromNumPy, BigEndianInt32) {
    const hoc::NpyHeader h = hoc::read_npy_header(kData / "i4_big_2x2.npy");
    EXPECT_EQ(h.descr, ">i4");
    EXPECT_TRUE(h.big_endian);
    const auto t = hoc::load_npy<std::int32_t>(kData / "i4_big_2x2.npy");
    EXPECT_EQ(t(0, 0), 1);
    EXPECT_EQ(t(0, 1), -2);
    EXPECT_EQ(t(1, 0), 3);
    EXPECT_EQ(t(1, 1), 2147483647);
}

TEST(NpyFromNumPy, FortranOrderInt64) {
    EXPECT_TRUE(hoc::read_npy_header(kData / "i8_fortran_3x4.npy").fortran_order);
    const auto t = hoc::load_npy<std::int64_t>(kData / "i8_fortran_3x4.npy");
    ASSERT_EQ(t.shape(), Shape({3, 4}));
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 4; ++j) EXPECT_EQ(t(i, j), 4 * i + j - 5) << i << "," << j;
}

TEST(NpyFromNumPy, FortranOrder3D) {
    const auto t = hoc::load_npy<float>(kData / "f4_fortran_2x3x4.npy");
    ASSERT_EQ(t.shape(), Shape({2, 3, 4}));
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 3; ++j)
            for (int k = 0; k < 4; ++k) EXPECT_EQ(t(i, j, k), float(12 * i + 4 * j + k) / 4);
}

TEST(NpyFromNumPy, BigEndianFortranFloat64) {
    const auto t = hoc::load_npy<double>(kData / "f8_big_fortran_2x3.npy");
    ASSERT_EQ(t.shape(), Shape({2, 3}));
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 3; ++j) EXPECT_EQ(t(i, j), 3 * i + j + 0.25);
}

TEST(NpyFromNumPy, Bool) {
    const auto t = hoc::load_npy<bool>(kData / "b1_5.npy");
    const bool expect[] = {true, false, false, true, true};
    ASSERT_EQ(t.size(), 5);
    for (int i = 0; i < 5; ++i) EXPECT_EQ(t(i), expect[i]);
}

TEST(NpyFromNumPy, Complex64AndBigEndianComplex128) {
    const auto a = hoc::load_npy<std::complex<float>>(kData / "c8_3.npy");
    ASSERT_EQ(a.size(), 3);
    EXPECT_EQ(a(0), std::complex<float>(1, 2));
    EXPECT_EQ(a(1), std::complex<float>(-3.5f, -0.5f));
    EXPECT_EQ(a(2), std::complex<float>(0, -1));
    const auto b = hoc::load_npy<std::complex<double>>(kData / "c16_big_2x2.npy");
    EXPECT_EQ(b(0, 0), std::complex<double>(1, 1));
    EXPECT_EQ(b(0, 1), std::complex<double>(2, -2));
    EXPECT_EQ(b(1, 0), std::complex<double>(-3, 0.5));
    EXPECT_EQ(b(1, 1), std::complex<double>(4e100, -1e-100));
}

TEST(NpyFromNumPy, ScalarEmptyAndSixD) {
    const auto s = hoc::load_npy<double>(kData / "f8_scalar.npy");
    EXPECT_EQ(s.ndim(), 0);
    EXPECT_EQ(s.size(), 1);
    EXPECT_EQ(s.data()[0], 3.25);
    const auto e = hoc::load_npy<double>(kData / "f8_empty_0x3.npy");
    EXPECT_EQ(e.shape(), Shape({0, 3}));
    const auto six = hoc::load_npy<double>(kData / "f8_6d.npy");
    ASSERT_EQ(six.shape(), Shape({2, 1, 3, 1, 2, 2}));
    for (int i = 0; i < 24; ++i) EXPECT_EQ(six.data()[i], i);
    EXPECT_EQ(six(1, 0, 2, 0, 1, 0), 22);
}

TEST(NpyFromNumPy, Versions2And3) {
    const hoc::NpyHeader h2 = hoc::read_npy_header(kData / "i8_v2_4.npy");
    EXPECT_EQ(h2.major_version, 2);
    const auto a = hoc::load_npy<std::int64_t>(kData / "i8_v2_4.npy");
    ASSERT_EQ(a.size(), 4);
    EXPECT_EQ(a(0), 10);
    EXPECT_EQ(a(3), -40);
    EXPECT_EQ(hoc::read_npy_header(kData / "f4_v3_2x2.npy").major_version, 3);
    const auto b = hoc::load_npy<float>(kData / "f4_v3_2x2.npy");
    EXPECT_EQ(b(1, 0), 3.0f);
}

// hoc writes exactly the bytes numpy.save wrote for the same array.
TEST(NpyFromNumPy, SaveIsByteIdenticalToNumPy) {
    Tensor<double> a(Shape{2, 3});
    for (int i = 0; i < 6; ++i) a.data()[i] = 1.5 * i - 2;
    EXPECT_EQ(hoc::npy_bytes(a), read_bytes(kData / "f8_2x3.npy"));
    EXPECT_EQ(hoc::npy_bytes(Tensor<double>(Shape{}, 3.25)), read_bytes(kData / "f8_scalar.npy"));
    EXPECT_EQ(hoc::npy_bytes(Tensor<double>(Shape{0, 3})), read_bytes(kData / "f8_empty_0x3.npy"));
    EXPECT_EQ(hoc::npy_bytes(hoc::arange<double>(24).reshape(Shape{2, 1, 3, 1, 2, 2})),
              read_bytes(kData / "f8_6d.npy"));
    EXPECT_EQ(hoc::npy_bytes(hoc::tensor<bool>({true, false, false, true, true})), read_bytes(kData / "b1_5.npy"));
    EXPECT_EQ(hoc::npy_bytes(hoc::load_npy<std::complex<float>>(kData / "c8_3.npy")),
              read_bytes(kData / "c8_3.npy"));
    // Fortran/big-endian files come back as what numpy.save writes for np.ascontiguousarray
    // of the native array: same values, C order.
    const auto f = hoc::load_npy<std::int64_t>(kData / "i8_fortran_3x4.npy");
    EXPECT_TRUE(f(2, 3) == 6);
}

// ---- mismatched and damaged files -----------------------------------------------------

TEST(NpyErrors, TypeMismatchNamesFileDtypeAndRequest) {
    const fs::path p = kData / "f8_2x3.npy";
    const std::string msg = load_error<float>(p);
    EXPECT_NE(msg.find(p.string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("'<f8' (float64)"), std::string::npos) << msg;
    EXPECT_NE(msg.find("float32"), std::string::npos) << msg;
    EXPECT_NE(msg.find("load_npy<float>"), std::string::npos) << msg;
    EXPECT_EQ(load_error<std::int64_t>(kData / "i4_big_2x2.npy"),
              "load_npy: " + (kData / "i4_big_2x2.npy").string() +
                  ": the file holds dtype '>i4' (int32), not the requested int64 "
                  "(load_npy<std::int64_t>); hoc does not convert on load");
    EXPECT_NE(load_error<std::complex<double>>(kData / "c8_3.npy").find("'<c8' (complex64)"), std::string::npos);
    EXPECT_NE(load_error<std::int32_t>(kData / "b1_5.npy").find("'|b1' (bool)"), std::string::npos);
}

TEST(NpyErrors, UnsupportedDtype) {
    const std::string msg = load_error<std::int32_t>(kData / "u2_3.npy");
    EXPECT_NE(msg.find("u2_3.npy"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'<u2', which hoc does not support"), std::string::npos) << msg;
    // A structured dtype parses, and is refused.
    const auto s = make_npy("{'descr': [('a', '<f4'), ('b', '<i8')], 'fortran_order': False, 'shape': (1,), }", 12);
    EXPECT_NE(memory_error(s).find("'[...]', which hoc does not support"), std::string::npos) << memory_error(s);
}

TEST_F(NpyFiles, MissingFile) {
    const std::string msg = load_error<double>(file("nope.npy"));
    EXPECT_EQ(msg, "load_npy: " + file("nope.npy").string() + ": cannot open the file: No such file or directory");
}

TEST_F(NpyFiles, EachDamageNamesFileAndProblem) {
    std::vector<unsigned char> good = hoc::npy_bytes(pattern<double>(Shape{4, 4}));
    struct Case {
        std::string what;
        std::vector<unsigned char> bytes;
        std::string problem;
    };
    std::vector<Case> cases;
    auto with = [&](auto edit) {
        auto b = good;
        edit(b);
        return b;
    };
    cases.push_back({"empty file", {}, "the file is empty, not a .npy file"});
    cases.push_back({"bad magic", with([](auto& b) { b[1] = 'X'; }), "not a .npy file: bad magic string"});
    cases.push_back({"short magic", {0x93, 'N', 'U'}, "file is truncated: 3 bytes, too short for the .npy magic"});
    cases.push_back({"no version", {0x93, 'N', 'U', 'M', 'P', 'Y', 1}, "file is truncated: it ends inside the format version"});
    cases.push_back({"no length", {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 5}, "file is truncated: it ends inside the header length"});
    cases.push_back({"v2 header length 0xFFFFFFFF", {0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 0xff, 0xff, 0xff, 0xff, '{'},
                     "header length 4294967295 exceeds the limit of 10000 bytes (NumPy's max_header_size)"});
    cases.push_back({"version 4", with([](auto& b) { b[6] = 4; }), "unsupported .npy format version 4.0 (hoc reads 1.0, 2.0 and 3.0)"});
    cases.push_back({"version 1.1", with([](auto& b) { b[7] = 1; }), "unsupported .npy format version 1.1"});
    cases.push_back({"truncated header", std::vector<unsigned char>(good.begin(), good.begin() + 40),
                     "truncated header: the header length says 118 bytes but only 30 follow"});
    cases.push_back({"truncated data", std::vector<unsigned char>(good.begin(), good.end() - 8),
                     "data is truncated: shape (4, 4) of '<f8' (float64) needs 128 bytes but only 120 follow the header"});
    cases.push_back({"header garbage", make_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (4, 4) junk}", 128),
                     "header does not parse: expected ',' or '}' after the value of 'shape' at byte 57 of the header, found 'junk}"});
    cases.push_back({"not a dict", make_npy("['descr', '<f8']", 0), "header does not parse: expected '{' opening the header dict at byte 0"});
    cases.push_back({"unterminated string", make_npy("{'descr: '<f8'}", 0), "header does not parse: expected ':' after the key 'descr: '"});
    cases.push_back({"missing key", make_npy("{'descr': '<f8', 'shape': (4, 4)}", 128), "header lacks the 'fortran_order' key"});
    cases.push_back({"extra key", make_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (), 'x': 1}", 8),
                     "header has the unexpected key 'x'"});
    cases.push_back({"repeated key", make_npy("{'descr': '<f8', 'descr': '<f8'}", 8), "header dict repeats the key 'descr'"});
    cases.push_back({"shape not tuple", make_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (4)}", 32),
                     "header 'shape' is not a tuple of integers"});
    cases.push_back({"shape of strings", make_npy("{'descr': '<f8', 'fortran_order': False, 'shape': ('4',)}", 32),
                     "header 'shape' is not a tuple of integers"});
    cases.push_back({"negative dim", make_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, -3)}", 32),
                     "shape has the negative dimension -3"});
    cases.push_back({"fortran not bool", make_npy("{'descr': '<f8', 'fortran_order': 0, 'shape': (2,)}", 16),
                     "header 'fortran_order' is not True or False"});
    cases.push_back({"descr not str", make_npy("{'descr': 8, 'fortran_order': False, 'shape': (2,)}", 16),
                     "header 'descr' is not a dtype string"});
    cases.push_back({"dim overflows", make_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,)}", 0),
                     "shape dimension 99999999999999999999 overflows a 64-bit index"});
    cases.push_back({"count overflows", make_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296)}", 0),
                     "shape (4294967296, 4294967296) overflows: more elements than a 64-bit index counts"});
    cases.push_back({"count overflows behind a zero", make_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (0, 4294967296, 4294967296)}", 0),
                     "overflows: more elements than a 64-bit index counts"});
    cases.push_back({"bytes overflow", make_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2305843009213693952,)}", 0),
                     "shape (2305843009213693952,) of '<f8' (float64) overflows: more bytes than a 64-bit index counts"});
    cases.push_back({"too many dims", make_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1)}", 8),
                     "shape has 17 dimensions; hoc holds at most 16"});
    cases.push_back({"deep nesting", make_npy("{'descr': " + std::string(40, '[') + std::string(40, ']') + "}", 0),
                     "less deeply nested lists (more than 16 levels)"});
    cases.push_back({"huge shape, no data", make_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,)}", 0),
                     "data is truncated: shape (1000000000000,) of '<f8' (float64) needs 8000000000000 bytes but only 0 follow"});

    for (const Case& c : cases) {
        // From a file: the message names the file and the problem...
        const fs::path p = file("damaged.npy");
        write_bytes(p, c.bytes);
        const std::string msg = load_error<double>(p);
        EXPECT_EQ(msg.rfind("load_npy: " + p.string() + ": ", 0), 0u) << c.what << ": " << msg;
        EXPECT_NE(msg.find(c.problem), std::string::npos) << c.what << ": " << msg;
        // ...and from memory, the same problem under the given name.
        const std::string mem = memory_error(c.bytes, "buffer.npy");
        EXPECT_EQ(mem.rfind("load_npy: buffer.npy: ", 0), 0u) << c.what << ": " << mem;
        EXPECT_NE(mem.find(c.problem), std::string::npos) << c.what << ": " << mem;
    }
}

TEST(NpyErrors, LenientWhereNumPyIsLenient) {
    // Double quotes, any key order, no trailing comma, Python 2 longs, extra whitespace.
    const auto b = make_npy("{ \"shape\" : (2L, 1) , \"fortran_order\":False,\"descr\":\"<i8\"}", 16);
    const auto t = hoc::load_npy<std::int64_t>(std::span<const unsigned char>(b));
    EXPECT_EQ(t.shape(), Shape({2, 1}));
    // Trailing bytes after the data are ignored, as numpy.load ignores them.
    auto c = hoc::npy_bytes(pattern<float>(Shape{3}));
    c.push_back(0xAB);
    EXPECT_TRUE(same(pattern<float>(Shape{3}), hoc::load_npy<float>(std::span<const unsigned char>(c))));
    // '<b1' and '=f8' are spellings NumPy also reads.
    EXPECT_EQ(hoc::load_npy<bool>(std::span<const unsigned char>(
                  make_npy("{'descr': '<b1', 'fortran_order': False, 'shape': (2,)}", 2))).size(), 2);
    EXPECT_EQ(hoc::load_npy<double>(std::span<const unsigned char>(
                  make_npy("{'descr': '=f8', 'fortran_order': True, 'shape': (1,)}", 8))).size(), 1);
}

TEST(NpyErrors, BoolBytesOtherThanZeroOrOneReadAsTrue) {
    auto b = make_npy("{'descr': '|b1', 'fortran_order': False, 'shape': (4,)}", 0);
    for (unsigned char v : {0, 1, 2, 255}) b.push_back(v);
    const auto t = hoc::load_npy<bool>(std::span<const unsigned char>(b));
    EXPECT_FALSE(t(0));
    EXPECT_TRUE(t(1));
    EXPECT_TRUE(t(2));
    EXPECT_TRUE(t(3));
    unsigned char raw[4];
    std::memcpy(raw, t.data(), 4);
    EXPECT_EQ(raw[2], 1);  // stored as a valid bool
}

TEST_F(NpyFiles, DestinationUntouchedOnThrow) {
    Tensor<double> t = pattern<double>(Shape{2, 2});
    write_bytes(file("bad.npy"), {1, 2, 3});
    EXPECT_THROW(t = hoc::load_npy<double>(file("bad.npy")), std::runtime_error);
    EXPECT_TRUE(same(t, pattern<double>(Shape{2, 2})));
}

TEST_F(NpyFiles, FailedSaveKeepsTheOldFile) {
    // A write that fails part way (here a 64 KiB file-size limit, as `ulimit -f 64`)
    // once left a truncated new array in place of the old one.
    const fs::path p = file("keep.npy");
    const Tensor<double> old = pattern<double>(Shape{8, 8});
    hoc::save_npy(p, old);
    struct rlimit saved{};
    ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
    void (*previous)(int) = std::signal(SIGXFSZ, SIG_IGN);  // EFBIG instead of a signal
    struct rlimit small = saved;
    small.rlim_cur = 64 << 10;
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
    std::string msg;
    try {
        hoc::save_npy(p, pattern<double>(Shape{1 << 17}));  // 1 MiB
    } catch (const std::runtime_error& e) {
        msg = e.what();
    }
    setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, previous);
    EXPECT_EQ(msg.rfind("save_npy: " + p.string() + ": write error", 0), 0u) << msg;
    EXPECT_TRUE(same(hoc::load_npy<double>(p), old));
    std::size_t entries = 0;
    for (const auto& e : fs::directory_iterator(dir_)) entries += e.path() != p ? 100 : 1;
    EXPECT_EQ(entries, 1u);  // the temporary file is gone
    hoc::save_npy(p, pattern<float>(Shape{3}));  // a save that succeeds replaces it
    EXPECT_TRUE(same(hoc::load_npy<float>(p), pattern<float>(Shape{3})));
}

TEST_F(NpyFiles, SaveToUnwritablePathThrows) {
    const fs::path p = file("no_such_dir") / "x.npy";
    try {
        hoc::save_npy(p, pattern<float>(Shape{2}));
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "save_npy: " + p.string() + ": cannot open the file for writing: No such file or directory");
    }
}

// The GEMM kernel (hoc/kernels/gemm.hpp) against a long-double triple loop:
// every m, n, k edge (MR/NR tiles, KC/MC/NC blocks), all layouts, alpha/beta
// semantics, NaN/Inf, every ISA the CPU runs, threads, batched, epilogue.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <cmath>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "gemm_test_util.hpp"
#include "hoc/core/threads.hpp"
#include "hoc/kernels/gemm.hpp"

using gemm_test::Mat;
using hoc::index_t;
namespace hk = hoc::kernels;

namespace {

// Restores the default kernel and thread count when a test ends.
struct ArchGuard {
    int threads = hoc::num_threads();
    ~ArchGuard() {
        hk::set_gemm_arch(nullptr);
        hoc::set_num_threads(threads);
    }
};

std::vector<std::string> runnable_archs() {
    std::vector<std::string> out;
    for (const char* a : {"generic", "avx2", "avx512"})
        if (hk::set_gemm_arch(a)) out.push_back(a);
    hk::set_gemm_arch(nullptr);
    return out;
}

// One checked product: A m x k (col-major if ta), B k x n (col-major if tb),
// C m x n (col-major if tc).
template <class T>
void check(index_t m, index_t n, index_t k, bool ta, bool tb, bool tc, T alpha = T(1),
           T beta = T(0), std::uint64_t seed = 1) {
    std::mt19937_64 rng(seed + static_cast<std::uint64_t>(m * 1000003 + n * 1009 + k));
    Mat<T> a(m, k, ta), b(k, n, tb), c(m, n, tc);
    a.fill(rng), b.fill(rng), c.fill(rng);
    Mat<T> c0 = c;
    if (beta == T(0))
        for (auto& x : c.v) x = std::numeric_limits<T>::quiet_NaN();  // must never be read
    std::vector<long double> ref, mag;
    gemm_test::reference(a, b, alpha, beta, c0, ref, mag);
    hk::gemm<T>(m, n, k, alpha, a.cref(), b.cref(), beta, c.ref());
    const double r = gemm_test::worst_ratio(c, ref, mag, k);
    ASSERT_LE(r, 1.0) << "m=" << m << " n=" << n << " k=" << k << " ta=" << ta << " tb=" << tb
                      << " tc=" << tc << " arch=" << hk::gemm_arch();
}

// Each of m, n, k through 1..40 and the block edges; the other two cycle over
// a spread that hits the MR/NR fringes of every kernel (4, 6, 12 / 8, 16, 32).
const std::vector<index_t> kSweep = [] {
    std::vector<index_t> v;
    for (index_t i = 1; i <= 40; ++i) v.push_back(i);
    for (index_t x : {63, 64, 65, 127, 128, 129, 255, 256, 257, 511}) v.push_back(x);
    return v;
}();
const index_t kSpread[] = {1, 3, 5, 12, 13, 17, 31, 33, 47, 66};

template <class T>
void sweep(bool ta, bool tb, bool tc) {
    int idx = 0;
    for (int dim = 0; dim < 3; ++dim)
        for (index_t v : kSweep) {
            const index_t o1 = kSpread[idx % 10], o2 = kSpread[(idx * 7 + 3) % 10];
            ++idx;
            const index_t m = dim == 0 ? v : o1, n = dim == 1 ? v : (dim == 0 ? o1 : o2),
                          k = dim == 2 ? v : o2;
            check<T>(m, n, k, ta, tb, tc, T(1), T(0));
            if (::testing::Test::HasFatalFailure()) return;
        }
}

template <class T>
class GemmTyped : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(GemmTyped, Types);

TYPED_TEST(GemmTyped, SweepAllTransposesDefaultArch) {
    for (bool ta : {false, true})
        for (bool tb : {false, true}) {
            sweep<TypeParam>(ta, tb, false);
            if (this->HasFatalFailure()) return;
        }
}

TYPED_TEST(GemmTyped, SweepColumnMajorC) {
    sweep<TypeParam>(false, false, true);
    sweep<TypeParam>(true, true, true);
}

TYPED_TEST(GemmTyped, EveryArch) {
    ArchGuard g;
    for (const std::string& arch : runnable_archs()) {
        ASSERT_TRUE(hk::set_gemm_arch(arch.c_str()));
        EXPECT_EQ(arch, hk::gemm_arch());
        sweep<TypeParam>(false, false, false);
        sweep<TypeParam>(true, true, true);
        // Packed path with several KC / MC / NC blocks.
        check<TypeParam>(300, 200, 600, false, true, false, TypeParam(0.5), TypeParam(2));
        // Column-major B always takes the packed path: several NC blocks, and
        // k beyond every KC (largest: 1024 for AVX-512 f32) with beta applied
        // on the first block only; the same shapes with row-major B run in place.
        for (bool tb : {true, false}) {
            check<TypeParam>(13, 4100, 20, true, tb, false);
            check<TypeParam>(30, 45, 2100, false, tb, false, TypeParam(1), TypeParam(0.5));
            check<TypeParam>(30, 45, 1100, true, tb, true);
        }
        // One row panel with a B over 6 MB: packed with the row-sequential B pack.
        check<TypeParam>(8, 1300, 1300, false, false, false, TypeParam(1), TypeParam(-1));
        if (this->HasFatalFailure()) return;
    }
}

TYPED_TEST(GemmTyped, AlphaBeta) {
    using T = TypeParam;
    for (auto [alpha, beta] : {std::pair{T(1), T(1)}, {T(-2), T(0.5)}, {T(0.25), T(0)},
                               {T(0), T(3)}, {T(0), T(0)}})
        for (index_t s : {5, 37, 140}) {
            check<T>(s, s + 3, s + 1, false, false, false, alpha, beta);
            check<T>(s, s + 3, s + 1, true, true, true, alpha, beta);
        }
}

TYPED_TEST(GemmTyped, KZeroScalesC) {
    using T = TypeParam;
    Mat<T> a(4, 1, false), b(1, 5, false), c(4, 5, false);
    for (auto& x : c.v) x = T(2);
    hk::gemm<T>(4, 5, 0, T(1), a.cref(), b.cref(), T(3), c.ref());
    for (index_t i = 0; i < 4; ++i)
        for (index_t j = 0; j < 5; ++j) EXPECT_EQ(c(i, j), T(6));
    for (auto& x : c.v) x = std::numeric_limits<T>::quiet_NaN();
    hk::gemm<T>(4, 5, 0, T(1), a.cref(), b.cref(), T(0), c.ref());
    for (index_t i = 0; i < 4; ++i)
        for (index_t j = 0; j < 5; ++j) EXPECT_EQ(c(i, j), T(0));
}

TYPED_TEST(GemmTyped, NoWritesOutsideC) {
    using T = TypeParam;
    // C is a window of a larger sentinel-filled buffer; every element around
    // it, including the row padding, must keep its sentinel.
    for (index_t m : {1, 7, 13, 50})
        for (index_t n : {1, 9, 17, 33, 70})
            for (bool tc : {false, true}) {
                const index_t k = 19, ld = (tc ? m : n) + 5, pad = 64;
                std::vector<T> buf(static_cast<std::size_t>(ld * (tc ? n : m) + 2 * pad), T(-7));
                std::mt19937_64 rng(3);
                Mat<T> a(m, k, false), b(k, n, false);
                a.fill(rng), b.fill(rng);
                T* c = buf.data() + pad;
                hk::gemm<T>(m, n, k, T(1), a.cref(), b.cref(), T(0),
                            {c, tc ? 1 : ld, tc ? ld : 1});
                for (index_t x = 0; x < static_cast<index_t>(buf.size()); ++x) {
                    const index_t off = x - pad;
                    const index_t i = tc ? off % ld : off / ld, j = tc ? off / ld : off % ld;
                    const bool inside = off >= 0 && i < m && j < n && off < ld * (tc ? n : m);
                    if (!inside) {
                        ASSERT_EQ(buf[static_cast<std::size_t>(x)], T(-7)) << m << "x" << n;
                    }
                }
            }
}

TYPED_TEST(GemmTyped, NanInfPropagate) {
    using T = TypeParam;
    for (index_t s : {3, 20, 130}) {
        Mat<T> a(s, s, false), b(s, s, false), c(s, s, false);
        std::mt19937_64 rng(5);
        a.fill(rng), b.fill(rng);
        a(1, 2) = std::numeric_limits<T>::quiet_NaN();
        b(0, s - 1) = std::numeric_limits<T>::infinity();
        hk::gemm<T>(s, s, s, T(1), a.cref(), b.cref(), T(0), c.ref());
        for (index_t j = 0; j < s; ++j) EXPECT_TRUE(std::isnan(c(1, j)));
        for (index_t i = 0; i < s; ++i) {
            if (i == 1) continue;
            EXPECT_TRUE(std::isinf(c(i, s - 1)) || std::isnan(c(i, s - 1)));
        }
        EXPECT_TRUE(std::isfinite(c(0, 0)));
    }
}

TYPED_TEST(GemmTyped, OffsetTables) {
    using T = TypeParam;
    // A, B and C addressed through permuted offset tables (einsum-style).
    for (index_t s : {7, 45, 140}) {
        const index_t m = s, n = s + 2, k = s + 1;
        std::mt19937_64 rng(9);
        Mat<T> a(m, k, false), b(k, n, true), c(m, n, false);
        a.fill(rng), b.fill(rng);
        std::vector<index_t> ar(m), ac(k), br(k), bc(n), cr(m), cc(n);
        for (index_t i = 0; i < m; ++i) ar[i] = a.rs() * i, cr[i] = (m - 1 - i) * n;
        for (index_t p = 0; p < k; ++p) ac[p] = a.cs() * p, br[p] = b.rs() * p;
        for (index_t j = 0; j < n; ++j) bc[j] = b.cs() * j, cc[j] = j;
        std::vector<T> cbuf(static_cast<std::size_t>(m * n), T(0));
        hk::MatrixRef<const T> ar_ref{a.v.data(), 0, 0, ar.data(), ac.data()};
        hk::MatrixRef<const T> br_ref{b.v.data(), 0, 0, br.data(), bc.data()};
        hk::MatrixRef<T> cr_ref{cbuf.data(), 0, 0, cr.data(), cc.data()};
        hk::gemm<T>(m, n, k, T(1), ar_ref, br_ref, T(0), cr_ref);
        std::vector<long double> ref, mag;
        gemm_test::reference(a, b, T(1), T(0), c, ref, mag);
        Mat<T> got(m, n, false, 0);
        for (index_t i = 0; i < m; ++i)
            for (index_t j = 0; j < n; ++j) got(i, j) = cbuf[static_cast<std::size_t>((m - 1 - i) * n + j)];
        EXPECT_LE(gemm_test::worst_ratio(got, ref, mag, k), 1.0) << s;
    }
}

// Offsets of n indices in runs of `run` entries `step` apart, each run
// starting `gap` past where a further entry of the previous run would be.
std::vector<index_t> run_table(index_t n, index_t run, index_t step, index_t gap) {
    std::vector<index_t> t(static_cast<std::size_t>(n));
    for (index_t i = 1; i < n; ++i)
        t[static_cast<std::size_t>(i)] = t[static_cast<std::size_t>(i - 1)] + step + (i % run == 0 ? gap : 0);
    return t;
}

// Packing through offset tables whose entries come in evenly stepped runs
// (einsum's tables): runs shorter than, equal to and longer than every
// kernel's MR and NR, so panels lie inside one run or straddle one or more
// run boundaries; unit and non-unit steps; A's rows and B's columns through
// tables (and optionally A's columns and B's rows); C row- and column-major
// (column-major makes the driver pack A's table as B^T's columns). Checked
// against the long-double triple loop on dense copies read through the tables.
template <class T>
void check_runs(index_t run, index_t step, bool p_tables, bool c_col) {
    const index_t m = 141, n = 131, k = 37;
    const auto rt = run_table(m, run, step, 5), ct = run_table(n, run, step, 3);
    const index_t rspan = rt.back() + 1, cspan = ct.back() + 1;
    // Along k: a stride of the other table's span, or runs of 7 with gaps.
    auto k_table = [&](index_t span) {
        auto t = run_table(k, 7, 1, 2);
        for (auto& x : t) x *= span;
        return t;
    };
    const auto ak = k_table(rspan), bk = k_table(cspan);
    std::mt19937_64 rng(static_cast<std::uint64_t>(run * 131 + step * 7 + p_tables * 2 + c_col));
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    std::vector<T> abuf(static_cast<std::size_t>(rspan * (ak.back() / rspan + 1)));
    std::vector<T> bbuf(static_cast<std::size_t>(cspan * (bk.back() / cspan + 1)));
    for (auto& x : abuf) x = static_cast<T>(u(rng));
    for (auto& x : bbuf) x = static_cast<T>(u(rng));
    const index_t ucs = p_tables ? 0 : rspan, urs = p_tables ? 0 : cspan;
    hk::MatrixRef<const T> a{abuf.data(), 0, ucs, rt.data(), p_tables ? ak.data() : nullptr};
    hk::MatrixRef<const T> b{bbuf.data(), urs, 0, p_tables ? bk.data() : nullptr, ct.data()};
    Mat<T> ad(m, k, false), bd(k, n, false), c(m, n, c_col), c0(m, n, c_col);
    for (index_t i = 0; i < m; ++i)
        for (index_t p = 0; p < k; ++p) ad(i, p) = a(i, p);
    for (index_t p = 0; p < k; ++p)
        for (index_t j = 0; j < n; ++j) bd(p, j) = b(p, j);
    for (auto& x : c.v) x = std::numeric_limits<T>::quiet_NaN();  // beta == 0: never read
    std::vector<long double> ref, mag;
    gemm_test::reference(ad, bd, T(1), T(0), c0, ref, mag);
    hk::gemm<T>(m, n, k, T(1), a, b, T(0), c.ref());
    EXPECT_LE(gemm_test::worst_ratio(c, ref, mag, k), 1.0)
        << "run=" << run << " step=" << step << " p_tables=" << p_tables << " c_col=" << c_col
        << " arch=" << hk::gemm_arch();
}

TYPED_TEST(GemmTyped, OffsetTableRuns) {
    ArchGuard g;
    for (const std::string& arch : runnable_archs()) {
        ASSERT_TRUE(hk::set_gemm_arch(arch.c_str()));
        for (index_t run : {1, 3, 4, 5, 6, 7, 11, 12, 13, 15, 16, 17, 31, 32, 33, 64, 200})
            for (index_t step : {1, 3})
                for (bool p_tables : {false, true})
                    for (bool c_col : {false, true}) check_runs<TypeParam>(run, step, p_tables, c_col);
    }
}

TYPED_TEST(GemmTyped, ThreadsBitIdentical) {
    using T = TypeParam;
    ArchGuard g;
    // All 1-thread results first, then all 2-thread ones: each thread-count
    // change rebuilds hoc's arena, so toggle only once.
    const std::tuple<index_t, index_t, index_t> shapes[] = {
        {300, 310, 290}, {8, 900, 700}, {700, 20, 600}, {900, 5, 400}, {420, 410, 400}};
    std::vector<std::vector<T>> first;
    for (int threads : {1, 2}) {
        hoc::set_num_threads(threads);
        std::size_t idx = 0;
        for (auto [m, n, k] : shapes)
            for (bool tb : {true, false}) {  // packed and in-place paths
                std::mt19937_64 rng(11);
                Mat<T> a(m, k, false), b(k, n, tb), c(m, n, false);
                a.fill(rng), b.fill(rng);
                hk::gemm<T>(m, n, k, T(1), a.cref(), b.cref(), T(0), c.ref());
                if (threads == 1) {
                    first.push_back(c.v);
                } else {
                    ASSERT_EQ(first[idx], c.v) << m << " " << n << " " << k << " tb=" << tb;
                }
                ++idx;
            }
    }
}

TYPED_TEST(GemmTyped, ConcurrentCallers) {
    using T = TypeParam;
    std::atomic<int> failures{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < 4; ++t)
        pool.emplace_back([t, &failures] {
            for (int rep = 0; rep < 3; ++rep) {
                const index_t s = 60 + 37 * t + rep;
                std::mt19937_64 rng(static_cast<std::uint64_t>(t * 10 + rep));
                Mat<T> a(s, s + 1, false), b(s + 1, s + 2, false), c(s, s + 2, false);
                a.fill(rng), b.fill(rng);
                hk::gemm<T>(s, s + 2, s + 1, T(1), a.cref(), b.cref(), T(0), c.ref());
                std::vector<long double> ref, mag;
                gemm_test::reference(a, b, T(1), T(0), c, ref, mag);
                if (gemm_test::worst_ratio(c, ref, mag, s + 1) > 1.0) ++failures;
            }
        });
    for (auto& th : pool) th.join();
    EXPECT_EQ(failures.load(), 0);
}

TYPED_TEST(GemmTyped, BatchedMatchesSingle) {
    using T = TypeParam;
    for (auto [m, n, k] : {std::tuple<index_t, index_t, index_t>{3, 4, 5}, {40, 33, 70},
                           {128, 128, 128}}) {
        const index_t batch = 6;
        std::mt19937_64 rng(13);
        Mat<T> a(m * batch, k, false), b(k, n * batch, false), c(m * batch, n, false);
        a.fill(rng), b.fill(rng), c.fill(rng);
        std::vector<index_t> ao(batch), bo(batch), co(batch);
        for (index_t p = 0; p < batch; ++p) ao[p] = p * m * a.ld, bo[p] = p * n, co[p] = p * m * c.ld;
        Mat<T> expect = c;
        for (index_t p = 0; p < batch; ++p)
            hk::gemm<T>(m, n, k, T(2), {a.v.data() + ao[p], a.rs(), a.cs()},
                        {b.v.data() + bo[p], b.rs(), b.cs()}, T(-1),
                        {expect.v.data() + co[p], c.rs(), c.cs()});
        hk::gemm_batched<T>(batch, m, n, k, T(2), a.cref(), ao.data(), b.cref(), bo.data(), T(-1),
                            c.ref(), co.data());
        EXPECT_EQ(c.v, expect.v) << m << " " << n << " " << k;
    }
}

// Counts epilogue visits per element and checks C is final when visited.
template <class T>
struct Visits {
    index_t m = 0, n = 0;
    std::vector<int> count;
    std::vector<T> seen;
    static void apply(const void* ctx, index_t, index_t r0, index_t c0, index_t rows,
                      index_t cols, T* c, index_t rsc, index_t csc) {
        auto* self = const_cast<Visits*>(static_cast<const Visits*>(ctx));
        for (index_t i = 0; i < rows; ++i)
            for (index_t j = 0; j < cols; ++j) {
                const auto idx = static_cast<std::size_t>((r0 + i) * self->n + c0 + j);
                ++self->count[idx];
                self->seen[idx] = c[i * rsc + j * csc];
                c[i * rsc + j * csc] += T(1);  // the epilogue may modify C
            }
    }
};

TYPED_TEST(GemmTyped, EpilogueOncePerElement) {
    using T = TypeParam;
    ArchGuard g;
    for (int threads : {1, 2})
        for (auto [m, n, k, tc] : {std::tuple<index_t, index_t, index_t, bool>{5, 7, 3, false},
                                   {130, 150, 600, false}, {90, 70, 300, true},
                                   {8, 1000, 40, false}, {700, 6, 300, false},
                                   {5, 400, 100, true}}) {
            hoc::set_num_threads(threads);
            std::mt19937_64 rng(17);
            Mat<T> a(m, k, false), b(k, n, false), c(m, n, tc), plain(m, n, tc);
            a.fill(rng), b.fill(rng);
            Visits<T> v{m, n, std::vector<int>(static_cast<std::size_t>(m * n), 0),
                        std::vector<T>(static_cast<std::size_t>(m * n))};
            hk::Epilogue<T> ep{&Visits<T>::apply, &v};
            hk::gemm<T>(m, n, k, T(1), a.cref(), b.cref(), T(0), c.ref(), &ep);
            hk::gemm<T>(m, n, k, T(1), a.cref(), b.cref(), T(0), plain.ref());
            for (index_t i = 0; i < m; ++i)
                for (index_t j = 0; j < n; ++j) {
                    const auto idx = static_cast<std::size_t>(i * n + j);
                    ASSERT_EQ(v.count[idx], 1) << i << "," << j;
                    ASSERT_EQ(v.seen[idx], plain(i, j));  // visited after the final store
                    ASSERT_EQ(c(i, j), plain(i, j) + T(1));
                }
        }
}

TEST(Gemm, PublicStridedEntryPoint) {
    // hoc::gemm with a transposed A given by strides.
    const index_t m = 3, n = 2, k = 4;
    std::vector<double> at = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};  // A^T, k x m row-major
    std::vector<double> b = {1, 0, 0, 1, 1, 1, 2, -1};                 // k x n
    std::vector<double> c(6, 0.0);
    hoc::gemm(m, n, k, 1.0, at.data(), 1, m, b.data(), n, 1, 0.0, c.data(), n, 1);
    // row i of A = column i of A^T: (1,4,7,10), (2,5,8,11), (3,6,9,12)
    EXPECT_EQ(c, (std::vector<double>{1 + 7 + 20, 4 + 7 - 10, 2 + 8 + 22, 5 + 8 - 11, 3 + 9 + 24,
                                      6 + 9 - 12}));
}

TEST(Gemm, PublicEntryPointRejectsNegativeSizes) {
    // Before the check, m < 0 did nothing and k < 0 zeroed C (C := beta * C).
    std::vector<float> a(4, 1.0f), b(4, 1.0f), c(4, 7.0f);
    for (const auto& [m, n, k] : {std::array<index_t, 3>{-1, 2, 2}, {2, -1, 2}, {2, 2, -1}}) {
        try {
            hoc::gemm(m, n, k, 1.0f, a.data(), 2, 1, b.data(), 2, 1, 0.0f, c.data(), 2, 1);
            ADD_FAILURE() << "no throw for m=" << m << " n=" << n << " k=" << k;
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find("non-negative"), std::string::npos) << e.what();
        }
        EXPECT_EQ(c, std::vector<float>(4, 7.0f));  // untouched
    }
    std::vector<double> cd(1, 3.0);
    EXPECT_THROW(hoc::gemm(1, 1, -5, 1.0, nullptr, 1, 1, nullptr, 1, 1, 0.0, cd.data(), 1, 1),
                 std::invalid_argument);
    EXPECT_EQ(cd[0], 3.0);
}

TEST(Gemm, ArchHook) {
    ArchGuard g;
    EXPECT_FALSE(hk::set_gemm_arch("sse9"));
    EXPECT_TRUE(hk::set_gemm_arch("generic"));
    EXPECT_STREQ(hk::gemm_arch(), "generic");
}

}  // namespace

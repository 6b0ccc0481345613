// The BLIS loops (jc / pc / ic / jr / ir) around the ISA's microkernel, the
// no-packing small-matrix path, threads and epilogue reporting.
#include "gemm/gemm_driver.hpp"

#include <algorithm>
#include <utility>

#include "gemm/workspace.hpp"
#include "hoc/core/threads.hpp"

namespace hoc::kernels::detail {
namespace {

template <class X>
MatrixRef<X> transposed(const MatrixRef<X>& x) {
    return {x.data, x.cs, x.rs, x.col_offsets, x.row_offsets};
}

template <class X>
bool has_tables(const MatrixRef<X>& x) {
    return x.row_offsets || x.col_offsets;
}

index_t ceil_div(index_t a, index_t b) { return (a + b - 1) / b; }
index_t round_up(index_t a, index_t b) { return ceil_div(a, b) * b; }

// Rows from which a product with a small B takes the row-block path.
constexpr index_t kTallRows = 1024;

// C = beta * C on an m x n block (beta == 0 writes zeros without reading).
template <class T>
void scale_c(index_t m, index_t n, T beta, const MatrixRef<T>& c) {
    for (index_t i = 0; i < m; ++i)
        for (index_t j = 0; j < n; ++j) {
            T& x = c(i, j);
            x = beta == T(0) ? T(0) : beta * x;
        }
}

// Runs f(w) for w in [0, ways), on hoc's threads when ways > 1.
template <class F>
void for_each_way(int ways, F&& f) {
    if (ways <= 1) {
        f(0);
        return;
    }
    hoc::detail::parallel_for(0, ways, 1, [&](index_t lo, index_t hi) {
        for (index_t w = lo; w < hi; ++w) f(static_cast<int>(w));
    });
}

// [lo, hi) of `tiles` tiles for way w of `ways`, as evenly as possible.
std::pair<index_t, index_t> share(index_t tiles, int ways, int w) {
    const index_t base = tiles / ways, extra = tiles % ways;
    const index_t lo = w * base + std::min<index_t>(w, extra);
    return {lo, lo + base + (w < extra ? 1 : 0)};
}

// Everything one product needs, in the driver's orientation (C has unit
// column stride unless `direct_c` is false, then tiles go through a buffer).
template <class T>
struct Job {
    const KernelSet<T>& ks;
    index_t m, n, k;
    T alpha;
    MatrixRef<const T> a, b;
    T beta;
    MatrixRef<T> c;
    bool direct_c;
    const EpilogueSink<T>& sink;

    // One tile: C(i0.., j0..) (m x n) = alpha * A_tile B_tile + beta_eff * C.
    void tile(Microkernel<T> kern, index_t kc, const T* ap, index_t rsa, index_t csa,
              const T* bp, index_t rsb, T beta_eff, index_t i0, index_t j0, int mt,
              int nt) const {
        if (direct_c) {
            kern(kc, alpha, ap, rsa, csa, bp, rsb, beta_eff, c.data + i0 * c.rs + j0, c.rs, mt,
                 nt);
            return;
        }
        // General C (strides or offset tables): compute AB into a tile buffer,
        // then merge with alpha and beta through C's own addressing.
        alignas(64) T buf[32 * 64];
        const int ld = ks.nr;
        kern(kc, T(1), ap, rsa, csa, bp, rsb, T(0), buf, ld, mt, nt);
        for (int i = 0; i < mt; ++i)
            for (int j = 0; j < nt; ++j) {
                T& x = c(i0 + i, j0 + j);
                const T ab = alpha * buf[i * ld + j];
                x = beta_eff == T(0) ? ab : ab + beta_eff * x;
            }
    }
};

// The in-place kernel for a column strip with `rest` columns left, and the
// strip's width: the one-vector narrow tile when the rest fits it (a narrow
// product, or the last strip of e.g. n = 48), so no lanes are wasted.
template <class T>
std::pair<Microkernel<T>, int> strip_kernel(const KernelSet<T>& ks, index_t rest) {
    const bool narrow = rest <= ks.narrow_nr;
    const int nr = narrow ? ks.narrow_nr : ks.nr;
    return {narrow ? ks.strided_narrow : ks.strided, static_cast<int>(std::min<index_t>(nr, rest))};
}

// Small-matrix path: the strided microkernel straight on A and B (B has unit
// column stride), no packing, no k blocking. Region [m0, m1) x [n0, n1).
//
// k is walked in chunks, all column strips per chunk: a strip of B is only
// NR elements of each row, and walking one strip down all k rows touches a
// new page per row, which the hardware prefetchers do not follow (8x1000x1000
// f64 ran at a third of the chunked speed). Chunks after the first
// accumulate into C (beta = 1), so the result is the same for any split.
template <class T>
void run_unpacked(const Job<T>& job, index_t m0, index_t m1, index_t n0, index_t n1) {
    constexpr index_t kChunk = 256;
    const int mr = job.ks.strided_mr;
    const index_t k = job.k;
    const index_t chunk = k <= 2 * kChunk ? k : kChunk;
    for (index_t pc = 0; pc < k; pc += chunk) {
        const index_t kc = std::min(chunk, k - pc);
        const T beta_eff = pc == 0 ? job.beta : T(1);
        const bool last = pc + kc == k;
        for (index_t j = n0; j < n1;) {
            const auto [kern, nt] = strip_kernel(job.ks, n1 - j);
            for (index_t i = m0; i < m1; i += mr) {
                const int mt = static_cast<int>(std::min<index_t>(mr, m1 - i));
                job.tile(kern, kc, job.a.data + i * job.a.rs + pc * job.a.cs, job.a.rs, job.a.cs,
                         job.b.data + pc * job.b.rs + j, job.b.rs, beta_eff, i, j, mt, nt);
            }
            if (last) job.sink.report(m0, j, m1 - m0, nt);
            j += nt;
        }
    }
}

template <class T>
void gemm_unpacked(const Job<T>& job, int threads) {
    const index_t mt = ceil_div(job.m, job.ks.strided_mr), nt = ceil_div(job.n, job.ks.nr);
    const bool split_m = mt >= nt;
    const int ways = static_cast<int>(std::min<index_t>(threads, split_m ? mt : nt));
    for_each_way(ways, [&](int w) {
        if (split_m) {
            auto [lo, hi] = share(mt, ways, w);
            run_unpacked(job, lo * job.ks.strided_mr, std::min(job.m, hi * job.ks.strided_mr), 0,
                         job.n);
        } else {
            auto [lo, hi] = share(nt, ways, w);
            run_unpacked(job, 0, job.m, lo * job.ks.nr, std::min(job.n, hi * job.ks.nr));
        }
    });
}

// Tall products with a small B (k <= 256, B at most 256 KiB: 65536x64x64):
// A read in place (packing A was ~30% of the time at k = 64, and each A
// element feeds only n/NR tiles), row tiles outer and all column strips of a
// row tile inner (its A rows are reused at once from L1; B stays cached),
// and each block of whole rows (rows x n) reported as soon as it is done, so
// a fused epilogue sees it while it is recent. Threads take contiguous runs
// of blocks, each streaming its own part of A and C. Measured at
// 65536x64x64 f32, one thread: 5.5 ms against 8.0 ms packed; the strip-outer
// order inside a block was 10% slower, and software prefetch of the next
// A / C rows slower still (docs/performance.md, "Fused GEMM epilogues").
template <class T>
void run_rowblocks(const Job<T>& job, index_t m0, index_t m1, index_t rb) {
    const KernelSet<T>& ks = job.ks;
    const int mr = ks.strided_mr;
    for (index_t ib = m0; ib < m1; ib += rb) {
        const index_t ie = std::min(m1, ib + rb);
        for (index_t i = ib; i < ie; i += mr) {
            const int mt = static_cast<int>(std::min<index_t>(mr, ie - i));
            for (index_t j = 0; j < job.n;) {
                const auto [kern, nt] = strip_kernel(ks, job.n - j);
                job.tile(kern, job.k, job.a.data + i * job.a.rs, job.a.rs, job.a.cs,
                         job.b.data + j, job.b.rs, job.beta, i, j, mt, nt);
                j += nt;
            }
        }
        job.sink.report(ib, 0, ie - ib, job.n);
    }
}

template <class T>
void gemm_rowblocks(const Job<T>& job, int threads) {
    const int mr = job.ks.strided_mr;
    // About 16 KiB of C (and of A) per reported block, in whole row tiles:
    // 64 rows at n = k = 64. Measured flat from 8 to 32 KiB.
    const index_t bytes_per_row = static_cast<index_t>(sizeof(T)) * std::max(job.k, job.n);
    const index_t rb = std::max<index_t>(mr, (16384 / bytes_per_row) / mr * mr);
    const index_t blocks = ceil_div(job.m, rb);
    const int ways = static_cast<int>(std::min<index_t>(threads, blocks));
    for_each_way(ways, [&](int w) {
        auto [lo, hi] = share(blocks, ways, w);
        run_rowblocks(job, lo * rb, std::min(job.m, hi * rb), rb);
    });
}

// Skinny products (n <= dot_nr, long k, A unit stride along k): dot
// products along k with A read in place and B copied once as B^T (n x k,
// small), so the big operand is streamed exactly once and never padded.
template <class T>
void gemm_dot(const Job<T>& job, int threads) {
    const KernelSet<T>& ks = job.ks;
    const index_t n = job.n, k = job.k;
    const index_t ldb = round_up(k, 16);
    ScratchLease lease(Slot::b, sizeof(T) * static_cast<std::size_t>(n * ldb));
    T* bt = static_cast<T*>(lease.get());
    for (index_t j = 0; j < n; ++j)
        for (index_t p = 0; p < k; ++p) bt[j * ldb + p] = job.b(p, j);
    const index_t tiles = ceil_div(job.m, ks.dot_mr);
    const int ways = static_cast<int>(std::min<index_t>(threads, tiles));
    for_each_way(ways, [&](int w) {
        auto [lo, hi] = share(tiles, ways, w);
        const index_t m0 = lo * ks.dot_mr, m1 = std::min(job.m, hi * ks.dot_mr);
        for (index_t i = m0; i < m1; i += ks.dot_mr) {
            const int mt = static_cast<int>(std::min<index_t>(ks.dot_mr, m1 - i));
            ks.dot(k, job.alpha, job.a.data + i * job.a.rs, job.a.rs, bt, ldb, job.beta,
                   job.c.data + i * job.c.rs, job.c.rs, job.c.cs, mt, static_cast<int>(n));
        }
        if (m1 > m0) job.sink.report(m0, 0, m1 - m0, n);
    });
}

// The macrokernel: packed A block (rows [ic, ic+mc)) times packed B block
// (columns [jc + j0, jc + j1) of the panel), jr outer so one KC x NR panel of
// B stays in L1 while the A micro-panels stream from L2.
template <class T>
void macrokernel(const Job<T>& job, const T* ap, const T* bp, index_t ic, index_t mc, index_t jc,
                 index_t j0, index_t j1, index_t kc, T beta_eff, bool last) {
    const int mr = job.ks.mr, nr = job.ks.nr;
    for (index_t jr = j0; jr < j1; jr += nr) {
        const int nt = static_cast<int>(std::min<index_t>(nr, j1 - jr));
        const T* b_panel = bp + (jr / nr) * nr * kc;
        for (index_t ir = 0; ir < mc; ir += mr) {
            const int mt = static_cast<int>(std::min<index_t>(mr, mc - ir));
            job.tile(job.ks.packed, kc, ap + (ir / mr) * mr * kc, 1, mr, b_panel, nr, beta_eff,
                     ic + ir, jc + jr, mt, nt);
        }
        if (last) job.sink.report(ic, jc + jr, mc, nt);
    }
}

template <class T>
void gemm_packed(const Job<T>& job, int threads) {
    const KernelSet<T>& ks = job.ks;
    const int mr = ks.mr, nr = ks.nr;
    const index_t nc_max = std::min(ks.nc, round_up(job.n, nr));
    const index_t kc_max = std::min(ks.kc, job.k);
    ScratchLease b_lease(Slot::b, sizeof(T) * static_cast<std::size_t>(nc_max * kc_max));
    T* bp = static_cast<T*>(b_lease.get());

    for (index_t jc = 0; jc < job.n; jc += ks.nc) {
        const index_t nc = std::min(ks.nc, job.n - jc);
        const index_t n_tiles = ceil_div(nc, nr), m_tiles = ceil_div(job.m, mr);
        // Split the larger of the two tile counts among the threads; the
        // threads share this packed B block and each packs its own A.
        const bool split_m = m_tiles >= n_tiles;
        const int ways =
            static_cast<int>(std::min<index_t>(threads, split_m ? m_tiles : n_tiles));
        for (index_t pc = 0; pc < job.k; pc += ks.kc) {
            const index_t kc = std::min(ks.kc, job.k - pc);
            const T beta_eff = pc == 0 ? job.beta : T(1);
            const bool last = pc + kc == job.k;
            for_each_way(ways, [&](int w) {
                auto [lo, hi] = share(n_tiles, ways, w);
                if (lo < hi)
                    ks.pack_b(job.b, pc, jc + lo * nr, kc, std::min(nc, hi * nr) - lo * nr,
                              bp + lo * nr * kc);
            });
            for_each_way(ways, [&](int w) {
                index_t m0 = 0, m1 = job.m, j0 = 0, j1 = nc;
                if (split_m) {
                    auto [lo, hi] = share(m_tiles, ways, w);
                    m0 = lo * mr, m1 = std::min(job.m, hi * mr);
                } else {
                    auto [lo, hi] = share(n_tiles, ways, w);
                    j0 = lo * nr, j1 = std::min(nc, hi * nr);
                }
                if (m0 >= m1 || j0 >= j1) return;
                // Equal MC blocks (multiples of MR) instead of a short last one.
                const index_t blocks = ceil_div(m1 - m0, ks.mc);
                const index_t mc_eq = round_up(ceil_div(m1 - m0, blocks), mr);
                ScratchLease a_lease(Slot::a, sizeof(T) * static_cast<std::size_t>(mc_eq * kc));
                T* ap = static_cast<T*>(a_lease.get());
                for (index_t ic = m0; ic < m1; ic += mc_eq) {
                    const index_t mc = std::min(mc_eq, m1 - ic);
                    ks.pack_a(job.a, ic, pc, mc, kc, ap);
                    macrokernel(job, ap, bp, ic, mc, jc, j0, j1, kc, beta_eff, last);
                }
            });
        }
    }
}

}  // namespace

template <class T>
void EpilogueSink<T>::report(index_t i0, index_t j0, index_t rows, index_t cols) const {
    if (!active()) return;
    if (transposed) std::swap(i0, j0), std::swap(rows, cols);
    if (!has_tables(c)) {
        epilogue->apply(epilogue->context, batch, i0, j0, rows, cols, &c(i0, j0), c.rs, c.cs);
        return;
    }
    // Offset-table C has no strides to describe a block: report elements.
    for (index_t i = 0; i < rows; ++i)
        for (index_t j = 0; j < cols; ++j)
            epilogue->apply(epilogue->context, batch, i0 + i, j0 + j, 1, 1, &c(i0 + i, j0 + j),
                            1, 1);
}

int gemm_threads(index_t m, index_t n, index_t k, int available) {
    // About 40 us of single-core work per extra thread: waking a TBB worker
    // and the split's extra packing cost a few microseconds.
    constexpr double kWorkPerThread = 4.0e6;
    const double work = static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
    const double want = work / kWorkPerThread;
    if (want < 2.0) return 1;
    return static_cast<int>(std::min<double>(available, want));
}

template <class T>
void gemm_one(const KernelSet<T>& ks, index_t m, index_t n, index_t k, T alpha,
              MatrixRef<const T> a, MatrixRef<const T> b, T beta, MatrixRef<T> c,
              const Epilogue<T>* epilogue, index_t batch, int threads) {
    EpilogueSink<T> sink{epilogue, c, batch, false};
    if (m <= 0 || n <= 0) return;
    if (k <= 0 || alpha == T(0)) {
        scale_c(m, n, beta, c);
        sink.report(0, 0, m, n);
        return;
    }
    auto transpose_problem = [&] {
        std::swap(m, n);
        std::swap(a, b);
        a = transposed(a), b = transposed(b), c = transposed(c);
        sink.transposed = true;
    };
    threads = std::max(1, std::min(threads, gemm_threads(m, n, k, threads)));
    // Tiny k and one-vector n (100x3x5): the rows kernel, B held in registers.
    auto rows_fit = [&](index_t nn, const MatrixRef<const T>& aa, const MatrixRef<const T>& bb,
                        const MatrixRef<T>& cc) {
        return nn <= ks.narrow_nr && k <= ks.rows_kmax && !has_tables(aa) && !has_tables(bb) &&
               bb.cs == 1 && !has_tables(cc) && cc.cs == 1;
    };
    if (rows_fit(n, a, b, c) || rows_fit(m, transposed(b), transposed(a), transposed(c))) {
        if (!rows_fit(n, a, b, c)) transpose_problem();
        const index_t mm = m;
        for_each_way(threads, [&](int w) {
            auto [lo, hi] = share(mm, threads, w);
            if (lo < hi)
                ks.rows(k, alpha, a.data + lo * a.rs, a.rs, a.cs, b.data, b.rs, beta,
                        c.data + lo * c.rs, c.rs, static_cast<int>(hi - lo), static_cast<int>(n));
        });
        sink.report(0, 0, m, n);
        return;
    }
    // Skinny products with a long k go to the dot kernel, in whichever
    // orientation puts the small dimension in n and a unit k stride in A.
    auto dot_fits = [&](index_t nn, const MatrixRef<const T>& aa) {
        return nn <= ks.dot_nr && k >= 64 && !has_tables(aa) && aa.cs == 1 && !has_tables(c);
    };
    if (dot_fits(n, a) || dot_fits(m, transposed(b))) {
        if (!dot_fits(n, a)) transpose_problem();
        gemm_dot(Job<T>{ks, m, n, k, alpha, a, b, beta, c, false, sink}, threads);
        return;
    }
    // The kernels store rows of C with vectors: solve C^T = B^T A^T when C is
    // column-major so the stored dimension is contiguous again.
    const bool c_unit_cols = !c.col_offsets && c.cs == 1;
    const bool c_unit_rows = !c.row_offsets && c.rs == 1;
    if (!c_unit_cols && c_unit_rows) transpose_problem();
    const bool direct_c = !has_tables(c) && c.cs == 1;
    const Job<T> job{ks, m, n, k, alpha, a, b, beta, c, direct_c, sink};

    // No packing when the kernel can read the operands in place (A any
    // strides, B unit column stride) and the product is small enough that
    // the B strips stay cached across row tiles: measured on Zen 5, in-place
    // beats packing up to about 400^3 (docs/design-gemm.md); tall products
    // with a single row panel or a tiny k never pay for packing either.
    const bool in_place = !has_tables(a) && !has_tables(b) && b.cs == 1;
    const double mnk = static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
    // A single row panel reads each B element once; in place that is 128
    // bytes per B row per strip, which stalls on page crossings once B
    // outgrows what stays cached between calls: measured, B of 4 MB ran 1.7x
    // OpenBLAS in place, B of 8 MB 0.4-0.65x in place but 0.7-0.9x packed
    // (row-sequential pack). Hence the 6 MB switch.
    const double b_bytes = static_cast<double>(k) * static_cast<double>(n) * sizeof(T);
    const bool big_single_panel = m <= ks.mr && b_bytes > 6.0 * 1024 * 1024;
    const bool small =
        ((mnk <= 400.0 * 400.0 * 400.0 || m <= ks.mr) && !big_single_panel) || k <= 8;
    // Tall with a small B (run_rowblocks): measured 1.0-1.7x the packed path
    // and level with the unpacked one (e.g. 2048x64x64) on the shapes it takes.
    // With an epilogue at any m: its blocks of whole rows, reported while in
    // L1, run as flat runs; the unpacked path's column strips cost the
    // epilogue more than a separate pass over C (e.g. 512x64x64).
    const bool tall_small_b =
        k <= 256 && b_bytes <= 256.0 * 1024 && (m >= kTallRows || sink.active());
    if (in_place && direct_c && tall_small_b) {
        gemm_rowblocks(job, threads);
        return;
    }
    if (in_place && small) {
        gemm_unpacked(job, threads);
        return;
    }
    gemm_packed(job, threads);
}

template void gemm_one<float>(const KernelSet<float>&, index_t, index_t, index_t, float,
                              MatrixRef<const float>, MatrixRef<const float>, float,
                              MatrixRef<float>, const Epilogue<float>*, index_t, int);
template void gemm_one<double>(const KernelSet<double>&, index_t, index_t, index_t, double,
                               MatrixRef<const double>, MatrixRef<const double>, double,
                               MatrixRef<double>, const Epilogue<double>*, index_t, int);
template struct EpilogueSink<float>;
template struct EpilogueSink<double>;

}  // namespace hoc::kernels::detail

// The one GEMM every other part of hoc stands on (matmul, einsum, LU).
//
// A matrix operand is described by strides, or, per axis, by a table of
// offsets (TBLIS's "scatter vectors"): element (i, j) lives at
//   data[row(i) + col(j)],  row(i) = row_offsets ? row_offsets[i] : i * rs,
//                           col(j) = col_offsets ? col_offsets[j] : j * cs.
// The packing routine reads through either form, so transposed, column-major
// and permuted tensor operands are never copied into a new layout first.
#pragma once

#include <cstddef>

namespace hoc {

using index_t = std::ptrdiff_t;

namespace kernels {

template <class T>
struct MatrixRef {
    T* data = nullptr;
    index_t rs = 0;                          // row stride (elements)
    index_t cs = 0;                          // column stride (elements)
    const index_t* row_offsets = nullptr;    // optional: overrides i * rs
    const index_t* col_offsets = nullptr;    // optional: overrides j * cs

    index_t row(index_t i) const { return row_offsets ? row_offsets[i] : i * rs; }
    index_t col(index_t j) const { return col_offsets ? col_offsets[j] : j * cs; }
    T& operator()(index_t i, index_t j) const { return data[row(i) + col(j)]; }
};

// Called on each finished block of C (after alpha*A*B + beta*C is stored),
// while it is still hot in cache: the fused element-wise epilogue.
// rows x cols block starting at (row0, col0) of the batch entry `batch`;
// `c` points at element (row0, col0).
template <class T>
struct Epilogue {
    void (*apply)(const void* context, index_t batch, index_t row0, index_t col0, index_t rows,
                  index_t cols, T* c, index_t rsc, index_t csc) = nullptr;
    const void* context = nullptr;
};

// C = alpha * A * B + beta * C, A is m x k, B is k x n, C is m x n.
// beta == 0: C is never read (NaN in C does not leak), as in BLAS.
// C must not overlap A or B (callers that may alias go through a temporary).
template <class T>
void gemm(index_t m, index_t n, index_t k, T alpha, MatrixRef<const T> a, MatrixRef<const T> b,
          T beta, MatrixRef<T> c, const Epilogue<T>* epilogue = nullptr);

// `batch` independent products of the same m, n, k; entry p uses
// a.data + a_offsets[p], b.data + b_offsets[p], c.data + c_offsets[p].
// Parallel over the batch when each product is small.
template <class T>
void gemm_batched(index_t batch, index_t m, index_t n, index_t k, T alpha, MatrixRef<const T> a,
                  const index_t* a_offsets, MatrixRef<const T> b, const index_t* b_offsets, T beta,
                  MatrixRef<T> c, const index_t* c_offsets, const Epilogue<T>* epilogue = nullptr);

// Which microkernel runs: "avx512", "avx2" or "generic" (HOC_ARCH can force a lower one).
const char* gemm_arch();

// Test hook: makes every later GEMM in the process use the named kernel set
// ("generic", "avx2", "avx512"); nullptr restores the default. Returns false
// (and changes nothing) for an unknown name or one this CPU cannot run.
bool set_gemm_arch(const char* name);

}  // namespace kernels

// The public BLAS-like entry point (SPEC): any row/column strides.
void gemm(index_t m, index_t n, index_t k, float alpha, const float* a, index_t a_row_stride,
          index_t a_col_stride, const float* b, index_t b_row_stride, index_t b_col_stride,
          float beta, float* c, index_t c_row_stride, index_t c_col_stride);
void gemm(index_t m, index_t n, index_t k, double alpha, const double* a, index_t a_row_stride,
          index_t a_col_stride, const double* b, index_t b_row_stride, index_t b_col_stride,
          double beta, double* c, index_t c_row_stride, index_t c_col_stride);

}  // namespace hoc

// Placeholder: a plain triple loop behind the GEMM interface so everything links
// and computes correctly until the packed BLIS-style GEMM replaces this file.
#include "hoc/kernels/gemm.hpp"

namespace hoc {
namespace kernels {

template <class T>
void gemm(index_t m, index_t n, index_t k, T alpha, MatrixRef<const T> a, MatrixRef<const T> b,
          T beta, MatrixRef<T> c, const Epilogue<T>* epilogue) {
    for (index_t i = 0; i < m; ++i)
        for (index_t j = 0; j < n; ++j) {
            T acc = 0;
            for (index_t p = 0; p < k; ++p) acc += a(i, p) * b(p, j);
            T& out = c(i, j);
            out = beta == T(0) ? alpha * acc : alpha * acc + beta * out;
        }
    if (epilogue && epilogue->apply && m > 0 && n > 0 && !c.row_offsets && !c.col_offsets)
        epilogue->apply(epilogue->context, 0, 0, 0, m, n, c.data, c.rs, c.cs);
}

template <class T>
void gemm_batched(index_t batch, index_t m, index_t n, index_t k, T alpha, MatrixRef<const T> a,
                  const index_t* a_offsets, MatrixRef<const T> b, const index_t* b_offsets, T beta,
                  MatrixRef<T> c, const index_t* c_offsets, const Epilogue<T>* epilogue) {
    for (index_t p = 0; p < batch; ++p) {
        MatrixRef<const T> ap = a, bp = b;
        MatrixRef<T> cp = c;
        ap.data += a_offsets[p];
        bp.data += b_offsets[p];
        cp.data += c_offsets[p];
        for (index_t i = 0; i < m; ++i)
            for (index_t j = 0; j < n; ++j) {
                T acc = 0;
                for (index_t q = 0; q < k; ++q) acc += ap(i, q) * bp(q, j);
                T& out = cp(i, j);
                out = beta == T(0) ? alpha * acc : alpha * acc + beta * out;
            }
        if (epilogue && epilogue->apply && m > 0 && n > 0)
            epilogue->apply(epilogue->context, p, 0, 0, m, n, cp.data, cp.rs, cp.cs);
    }
}

const char* gemm_arch() { return "reference"; }

template void gemm<float>(index_t, index_t, index_t, float, MatrixRef<const float>,
                          MatrixRef<const float>, float, MatrixRef<float>, const Epilogue<float>*);
template void gemm<double>(index_t, index_t, index_t, double, MatrixRef<const double>,
                           MatrixRef<const double>, double, MatrixRef<double>,
                           const Epilogue<double>*);
template void gemm_batched<float>(index_t, index_t, index_t, index_t, float,
                                  MatrixRef<const float>, const index_t*, MatrixRef<const float>,
                                  const index_t*, float, MatrixRef<float>, const index_t*,
                                  const Epilogue<float>*);
template void gemm_batched<double>(index_t, index_t, index_t, index_t, double,
                                   MatrixRef<const double>, const index_t*,
                                   MatrixRef<const double>, const index_t*, double,
                                   MatrixRef<double>, const index_t*, const Epilogue<double>*);
}  // namespace kernels

void gemm(index_t m, index_t n, index_t k, float alpha, const float* a, index_t rsa, index_t csa,
          const float* b, index_t rsb, index_t csb, float beta, float* c, index_t rsc,
          index_t csc) {
    kernels::gemm<float>(m, n, k, alpha, {a, rsa, csa}, {b, rsb, csb}, beta, {c, rsc, csc});
}
void gemm(index_t m, index_t n, index_t k, double alpha, const double* a, index_t rsa,
          index_t csa, const double* b, index_t rsb, index_t csb, double beta, double* c,
          index_t rsc, index_t csc) {
    kernels::gemm<double>(m, n, k, alpha, {a, rsa, csa}, {b, rsb, csb}, beta, {c, rsc, csc});
}

}  // namespace hoc

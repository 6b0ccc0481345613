// hoc's main job (README's first command): the seed's forward pass, then a
// live side-by-side table of hoc against OpenBLAS, Eigen and a NumPy-style
// evaluation (one temporary per operation), measured on this machine now.
#include <hoc/hoc.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#ifdef HOC_HAVE_REFERENCES
#include <cblas.h>

#include <Eigen/Dense>
extern "C" {
void dgetrf_(const int* m, const int* n, double* a, const int* lda, int* ipiv, int* info);
void dgetri_(const int* n, double* a, const int* lda, const int* ipiv, double* work,
             const int* lwork, int* info);
char* openblas_get_corename();
}
#endif

namespace {

using hoc::index_t;
using hoc::Shape;
using hoc::Tensor;
using Clock = std::chrono::steady_clock;

// Median seconds per call of f over several timed batches of calls.
double seconds_per_call(const std::function<void()>& f) {
    f();  // warm up: page faults, packing buffers, thread start-up
    int calls = 1;
    for (;;) {
        const auto t0 = Clock::now();
        for (int i = 0; i < calls; ++i) f();
        const double s = std::chrono::duration<double>(Clock::now() - t0).count();
        if (s > 0.02 || calls >= (1 << 20)) break;
        calls *= 4;
    }
    std::vector<double> samples;
    for (int r = 0; r < 7; ++r) {
        const auto t0 = Clock::now();
        for (int i = 0; i < calls; ++i) f();
        samples.push_back(std::chrono::duration<double>(Clock::now() - t0).count() / calls);
    }
    std::nth_element(samples.begin(), samples.begin() + 3, samples.end());
    return samples[3];
}

std::string format_time(double s) {
    char buf[32];
    if (s < 1e-6) std::snprintf(buf, sizeof buf, "%7.0f ns", s * 1e9);
    else if (s < 1e-3) std::snprintf(buf, sizeof buf, "%7.1f us", s * 1e6);
    else std::snprintf(buf, sizeof buf, "%7.2f ms", s * 1e3);
    return buf;
}

struct Row {
    std::string what;
    double hoc;
    double openblas = 0, eigen = 0, numpy = 0;  // 0: not measured
};

void print_table(const std::vector<Row>& rows) {
    std::printf("\n%-34s %11s %11s %11s %11s %9s\n", "operation", "hoc", "OpenBLAS", "Eigen 3.4",
                "NumPy-style", "speed-up");
    for (const Row& r : rows) {
        auto cell = [](double s) { return s > 0 ? format_time(s) : std::string("          -"); };
        double best_other = 0;
        for (double s : {r.openblas, r.eigen, r.numpy})
            if (s > 0 && (best_other == 0 || s < best_other)) best_other = s;
        std::printf("%-34s %11s %11s %11s %11s %8.2fx\n", r.what.c_str(), cell(r.hoc).c_str(),
                    cell(r.openblas).c_str(), cell(r.eigen).c_str(), cell(r.numpy).c_str(),
                    best_other / r.hoc);
    }
    std::printf("speed-up: the fastest other column's time / hoc's time (> 1: hoc is faster)\n");
}

// The seed's layer: X(100, 3), W(3, 5), b(5).
void forward_pass() {
    Tensor<float> x = hoc::arange<float>(300).reshape(Shape{100, 3}) / 100.0f;
    Tensor<float> w = (hoc::arange<float>(15).reshape(Shape{3, 5}) - 7.0f) / 4.0f;
    Tensor<float> b = hoc::linspace<float>(-1.0, 1.0, 5);
    Tensor<float> out = hoc::matmul(x, w) + b;  // Z = X.W; Output = Z + b
    std::cout << "Forward pass: X" << hoc::shape_string(x.shape()) << " @ W"
              << hoc::shape_string(w.shape()) << " + b" << hoc::shape_string(b.shape())
              << " -> Output" << hoc::shape_string(out.shape()) << "\n";
    std::cout << "Output[:3] =\n" << hoc::slice(out, 0, 0, 3) << "\n";
    std::cout << "relu(Output)[-2:] =\n"
              << hoc::eval(hoc::maximum(hoc::slice(out, 0, -2, 100), 0.0f)) << "\n";
}

std::vector<Row> measure() {
    std::vector<Row> rows;
    hoc::Random rng(7);

    {  // the seed's layer, relu(X @ W + b)
        Tensor<float> x = rng.normal<float>(Shape{100, 3}), w = rng.normal<float>(Shape{3, 5});
        Tensor<float> b = rng.normal<float>(Shape{5}), y(Shape{100, 5}), z(Shape{100, 5});
        Row r{"relu(X@W + b)  (100,3)@(3,5)", seconds_per_call([&] {
                  y = hoc::maximum(hoc::matmul(x, w) + b, 0.0f);
              })};
        r.numpy = seconds_per_call([&] {
            Tensor<float> t1 = hoc::matmul(x, w);
            Tensor<float> t2 = t1 + b;
            y = hoc::maximum(t2, 0.0f);
        });
#ifdef HOC_HAVE_REFERENCES
        r.openblas = seconds_per_call([&] {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 100, 5, 3, 1.0f, x.data(), 3,
                        w.data(), 5, 0.0f, z.data(), 5);
            for (index_t i = 0; i < 100; ++i)
                for (index_t j = 0; j < 5; ++j) y(i, j) = std::max(z(i, j) + b(j), 0.0f);
        });
        using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
        Eigen::Map<RowMat> ex(x.data(), 100, 3), ew(w.data(), 3, 5), ey(y.data(), 100, 5);
        Eigen::Map<Eigen::RowVectorXf> eb(b.data(), 5);
        r.eigen = seconds_per_call([&] {
            ey.noalias() = ex * ew;
            ey = (ey.rowwise() + eb).cwiseMax(0.0f);
        });
#endif
        rows.push_back(r);
    }
    {  // the fused element-wise chain
        const Shape s{10'000'000};
        Tensor<float> a = rng.uniform<float>(s), b = rng.uniform<float>(s), c = rng.uniform<float>(s);
        Tensor<float> d = rng.uniform<float>(s), e = rng.uniform<float>(s), y(s);
        Row r{"y = a*b + c*d - e  (1e7 float)", seconds_per_call([&] { y = a * b + c * d - e; })};
        r.numpy = seconds_per_call([&] {
            Tensor<float> t1 = a * b, t2 = c * d;
            Tensor<float> t3 = t1 + t2;
            y = t3 - e;
        });
#ifdef HOC_HAVE_REFERENCES
        Eigen::Map<Eigen::ArrayXf> ea(a.data(), s[0]), eb(b.data(), s[0]), ec(c.data(), s[0]),
            ed(d.data(), s[0]), ee(e.data(), s[0]), ey(y.data(), s[0]);
        r.eigen = seconds_per_call([&] { ey = ea * eb + ec * ed - ee; });
#endif
        rows.push_back(r);

        Row red{"sum(a*b)  (1e7 float)", seconds_per_call([&] {
                    volatile float v = hoc::sum(a * b);
                    (void)v;
                })};
        red.numpy = seconds_per_call([&] {
            Tensor<float> t = a * b;
            volatile float v = hoc::sum(t);
            (void)v;
        });
#ifdef HOC_HAVE_REFERENCES
        red.openblas = seconds_per_call([&] {
            volatile float v = cblas_sdot(static_cast<int>(s[0]), a.data(), 1, b.data(), 1);
            (void)v;
        });
        red.eigen = seconds_per_call([&] {
            volatile float v = (ea * eb).sum();
            (void)v;
        });
#endif
        rows.push_back(red);
    }
    for (int n : {64, 1024}) {  // SGEMM
        Tensor<float> a = rng.normal<float>(Shape{n, n}), b = rng.normal<float>(Shape{n, n});
        Tensor<float> c(Shape{n, n});
        Row r{"matmul " + std::to_string(n) + "x" + std::to_string(n) + " float",
              seconds_per_call([&] { c = hoc::matmul(a, b); })};
#ifdef HOC_HAVE_REFERENCES
        r.openblas = seconds_per_call([&] {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a.data(), n,
                        b.data(), n, 0.0f, c.data(), n);
        });
        using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
        Eigen::Map<RowMat> ea(a.data(), n, n), eb(b.data(), n, n), ec(c.data(), n, n);
        r.eigen = seconds_per_call([&] { ec.noalias() = ea * eb; });
#endif
        rows.push_back(r);
    }
    {  // batched matmul, NumPy's stacks of matrices
        Tensor<float> a = rng.normal<float>(Shape{64, 128, 128}), b = rng.normal<float>(Shape{64, 128, 128});
        Tensor<float> c(Shape{64, 128, 128});
        Row r{"matmul 64x(128x128) batched float", seconds_per_call([&] { c = hoc::matmul(a, b); })};
#ifdef HOC_HAVE_REFERENCES
        r.openblas = seconds_per_call([&] {
            for (index_t p = 0; p < 64; ++p)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 128, 128, 128, 1.0f,
                            a.data() + p * 128 * 128, 128, b.data() + p * 128 * 128, 128, 0.0f,
                            c.data() + p * 128 * 128, 128);
        });
#endif
        rows.push_back(r);
    }
    {  // inverse via LU
        const int n = 512;
        Tensor<double> a = rng.normal<double>(Shape{n, n}), inv(Shape{n, n});
        Row r{"inv 512x512 double", seconds_per_call([&] { inv = hoc::linalg::inv(a); })};
#ifdef HOC_HAVE_REFERENCES
        std::vector<int> ipiv(n);
        std::vector<double> work(static_cast<std::size_t>(n) * 64);
        r.openblas = seconds_per_call([&] {
            std::copy(a.data(), a.data() + a.size(), inv.data());
            int info = 0, lwork = static_cast<int>(work.size());
            dgetrf_(&n, &n, inv.data(), &n, ipiv.data(), &info);
            dgetri_(&n, inv.data(), &n, ipiv.data(), work.data(), &lwork, &info);
        });
        using RowMat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
        Eigen::Map<RowMat> ea(a.data(), n, n), ei(inv.data(), n, n);
        r.eigen = seconds_per_call([&] { ei = ea.partialPivLu().inverse(); });
#endif
        rows.push_back(r);
    }
    {  // a tensor contraction
        Tensor<float> a = rng.normal<float>(Shape{24, 24, 24, 24}), b = rng.normal<float>(Shape{24, 24, 24, 24});
        Tensor<float> c(Shape{24, 24, 24, 24});
        Row r{"einsum abcd,cdef->abef (24^4)",
              seconds_per_call([&] { c = hoc::einsum("abcd,cdef->abef", a, b); })};
#ifdef HOC_HAVE_REFERENCES
        r.openblas = seconds_per_call([&] {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 576, 576, 576, 1.0f, a.data(),
                        576, b.data(), 576, 0.0f, c.data(), 576);
        });
#endif
        rows.push_back(r);
    }
    return rows;
}

}  // namespace

int main(int argc, char** argv) {
    // OpenBLAS reads OPENBLAS_CORETYPE when it is loaded; this machine's
    // environment holds it to AVX2. Let it detect the CPU itself (its AVX-512
    // kernels) by starting this process again without the override.
    if (std::getenv("OPENBLAS_CORETYPE") || std::getenv("OPENBLAS_L2_SIZE")) {
        unsetenv("OPENBLAS_CORETYPE");
        unsetenv("OPENBLAS_L2_SIZE");
        execv("/proc/self/exe", argv);  // returns only on failure: carry on as we are
    }
    (void)argc;
    std::cout << "hoc " << "(GEMM kernel: " << hoc::kernels::gemm_arch()
              << ", threads: " << hoc::num_threads() << ")\n\n";
    forward_pass();
#ifdef HOC_HAVE_REFERENCES
    std::cout << "\nOpenBLAS core: " << openblas_get_corename()
              << "; Eigen runs on one thread (no OpenMP).";
#endif
    std::cout << "\nMeasuring (median of 7 timed batches per cell)...\n";
    print_table(measure());
    return 0;
}

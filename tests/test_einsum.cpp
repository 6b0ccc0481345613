// hoc::einsum against a naive nested-loop einsum (test_einsum_reference.hpp)
// on every form numpy.einsum accepts, operands of every layout, several
// element types; plus plans, paths, errors and their messages, aliasing and
// thread-count independence.
#include <hoc/hoc.hpp>

#include <gtest/gtest.h>

#include <complex>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "test_einsum_reference.hpp"

using hoc::index_t;
using hoc::Shape;
using hoc::Tensor;
using hoc::Strides;
using hoc::TensorView;

namespace {

using Dims = std::vector<index_t>;

Shape to_shape(const Dims& d) { return Shape(std::span<const index_t>(d.data(), d.size())); }

// How an operand is laid out in memory; the logical values are the same.
enum class Layout { contiguous, transposed, strided, reversed };
const Layout kLayouts[] = {Layout::contiguous, Layout::transposed, Layout::strided, Layout::reversed};

template <class T>
T random_value(std::mt19937& rng) {
    if constexpr (std::is_integral_v<T>) {
        return static_cast<T>(std::uniform_int_distribution<int>(-5, 5)(rng));
    } else if constexpr (hoc::is_complex_v<T>) {
        using R = typename T::value_type;
        std::uniform_real_distribution<R> u(-1, 1);
        const R re = u(rng);
        return T(re, u(rng));
    } else {
        return std::uniform_real_distribution<T>(-1, 1)(rng);
    }
}

// Storage for one operand and the view einsum sees; values[] in row-major order.
template <class T>
struct Operand {
    Tensor<T> storage;
    TensorView<T> view;
    std::vector<T> values;
};

template <class T>
TensorView<T> layout_view(Tensor<T>& storage, const Shape& s, Layout layout) {
    const Strides cs = storage.strides();
    switch (layout) {
        case Layout::transposed: return storage.view().T();
        case Layout::strided: {
            Strides st = cs;
            for (auto& x : st) x *= 2;
            return TensorView<T>(storage.data(), s, st);
        }
        case Layout::reversed: {
            Strides st = cs;
            index_t start = 0;
            for (index_t i = 0; i < s.size(); ++i) start += (s[i] > 0 ? s[i] - 1 : 0) * cs[i], st[i] = -cs[i];
            return TensorView<T>(storage.data() + start, s, st);
        }
        default: return storage.view();
    }
}

template <class T>
Operand<T> make_operand(const Dims& d, Layout layout, std::mt19937& rng) {
    const Shape s = to_shape(d);
    Dims alloc = d;
    if (layout == Layout::transposed) alloc.assign(d.rbegin(), d.rend());
    if (layout == Layout::strided)
        for (auto& x : alloc) x *= 2;
    Tensor<T> storage(to_shape(alloc));
    const TensorView<T> view = layout_view(storage, s, layout);
    Operand<T> op{std::move(storage), view, {}};  // moving keeps the buffer
    EXPECT_EQ(op.view.shape(), s);
    hoc::detail::for_each_offset(s, op.view.strides(), op.view.strides(), [&](index_t o, index_t) {
        op.values.push_back(random_value<T>(rng));
        op.view.data()[o] = op.values.back();
    });
    return op;
}

template <class T>
long double epsilon_of() {
    if constexpr (hoc::is_complex_v<T>) return std::numeric_limits<typename T::value_type>::epsilon();
    else if constexpr (std::is_integral_v<T>) return 0;
    else return std::numeric_limits<T>::epsilon();
}

// Compares result with the reference. Any summation order of n terms has an
// error of at most about n * eps * sum|term| (Higham, "Accuracy and Stability",
// 4.2), each product in a chain of p operands adds p * eps relative; the
// bound below takes both with a factor 2 for the complex multiplications.
template <class T>
void expect_matches(const Tensor<T>& got, const einsum_ref::Result& ref, std::size_t nops,
                    const std::string& what) {
    ASSERT_EQ(got.shape(), to_shape(ref.shape)) << what;
    const long double eps = epsilon_of<T>();
    const long double factor = 2 * (ref.terms + static_cast<long double>(nops) + 2) * eps;
    std::vector<T> flat;
    hoc::detail::for_each_offset(got.shape(), got.strides(), got.strides(),
                                 [&](index_t o, index_t) { flat.push_back(got.data()[o]); });
    for (std::size_t i = 0; i < flat.size(); ++i) {
        std::complex<long double> g;
        if constexpr (hoc::is_complex_v<T>) g = {flat[i].real(), flat[i].imag()};
        else g = static_cast<long double>(flat[i]);
        const long double err = std::abs(g - ref.value[i]);
        const long double tol = factor * ref.abs_sum[i] + std::numeric_limits<float>::min();
        if (std::is_integral_v<T>) ASSERT_EQ(err, 0) << what << " element " << i;
        else ASSERT_LE(err, tol) << what << " element " << i << ": got " << g.real() << " want "
                                 << ref.value[i].real();
    }
}

// Runs `subscripts` on random operands of `shapes` in `layout`, checks against
// the reference both as a new Tensor and assigned into an existing one.
// The public entry point, for the operand counts a caller would spell out.
template <class T>
bool public_einsum(const std::string& subscripts, const std::vector<TensorView<const T>>& v,
                   Tensor<T>& out) {
    switch (v.size()) {
        case 1: out = hoc::einsum(subscripts, v[0]); return true;
        case 2: out = hoc::einsum(subscripts, v[0], v[1]); return true;
        case 3: out = hoc::einsum(subscripts, v[0], v[1], v[2]); return true;
        case 4: out = hoc::einsum(subscripts, v[0], v[1], v[2], v[3]); return true;
        case 5: out = hoc::einsum(subscripts, v[0], v[1], v[2], v[3], v[4]); return true;
        default: return false;
    }
}

template <class T>
void check_case(const std::string& subscripts, const std::vector<Dims>& shapes, Layout layout,
                unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<Operand<T>> ops;
    for (const Dims& d : shapes) ops.push_back(make_operand<T>(d, layout, rng));
    const auto ref = einsum_ref::reference(subscripts, shapes, [&](std::size_t o, index_t flat) {
        const T v = ops[o].values[static_cast<std::size_t>(flat)];
        if constexpr (hoc::is_complex_v<T>) return std::complex<long double>(v.real(), v.imag());
        else return std::complex<long double>(static_cast<long double>(v));
    });
    const std::string what = subscripts + " layout " + std::to_string(static_cast<int>(layout));
    std::vector<TensorView<const T>> v;
    for (auto& op : ops) v.push_back(op.view);
    std::vector<Shape> s;
    for (auto& op : ops) s.push_back(op.view.shape());
    const hoc::EinsumPlan plan(subscripts, std::span<const Shape>(s));
    // The plan applied to a runtime number of operands, through the program.
    auto run = [&](TensorView<T> dst) {
        auto program = hoc::detail::einsum_program(subscripts, s);
        hoc::detail::einsum_evaluate<T>(*program, std::span<const TensorView<const T>>(v), dst);
    };
    Tensor<T> fresh = Tensor<T>::uninitialized(plan.shape());
    run(fresh.view());
    expect_matches(fresh, ref, shapes.size(), what);
    // Into an existing tensor full of NaN-like garbage: every element written.
    Tensor<T> out(plan.shape(), T(7));
    T* before = out.data();
    run(out.view());
    EXPECT_EQ(out.data(), before);
    expect_matches(out, ref, shapes.size(), what + " (into out)");
    // Through hoc::einsum (with its expression-engine fast paths), into an
    // existing tensor of the result's shape: no new buffer.
    Tensor<T> pub(plan.shape(), T(3));
    T* pub_before = pub.data();
    if (public_einsum(subscripts, v, pub)) {
        if (pub.size() > 0) {
            EXPECT_EQ(pub.data(), pub_before) << what;
        }
        expect_matches(pub, ref, shapes.size(), what + " (hoc::einsum)");
    }
}

struct Case {
    std::string subscripts;
    std::vector<Dims> shapes;
};

// numpy.einsum's forms, most of them from the themes of NumPy's test_einsum.py.
const std::vector<Case>& cases() {
    static const std::vector<Case> c = {
        // views: transpose, diagonal (no arithmetic)
        {"ij->ji", {{3, 4}}},
        {"ijk->kji", {{2, 3, 4}}},
        {"ijkl->ljki", {{2, 3, 1, 4}}},
        {"ii->i", {{4, 4}}},
        {"iii->i", {{3, 3, 3}}},
        {"iij->ij", {{3, 3, 4}}},
        {"iji->ij", {{3, 4, 3}}},
        {"...ii->...i", {{2, 3, 3}}},
        {"ii...->i...", {{3, 3, 2}}},
        {"ba", {{2, 3}}},
        {"bA", {{2, 3}}},
        {"Ab", {{2, 3}}},
        {"i...", {{3, 2}}},
        {"ij->j...i", {{3, 2}}},
        // sums and traces
        {"ii", {{5, 5}}},
        {"ii->", {{5, 5}}},
        {"i->", {{7}}},
        {"ij->", {{3, 5}}},
        {"ij->i", {{3, 5}}},
        {"ij->j", {{3, 5}}},
        {"ijk->jk", {{2, 3, 4}}},
        {"ijk->i", {{20, 30, 40}}},
        {"...->...", {{2, 3}}},
        {"...i->...", {{2, 3, 4}}},
        {"i...->...", {{3, 2, 4}}},
        {"i...->", {{3}}},
        {"iij->j", {{3, 3, 4}}},
        // products of two operands
        {"i,i->", {{7}, {7}}},
        {"i,i", {{1000}, {1000}}},
        {"i,i->i", {{7}, {7}}},
        {"ij,ij->ij", {{3, 4}, {3, 4}}},
        {"ij,ij->", {{3, 4}, {3, 4}}},
        {"ij,ji->", {{3, 4}, {4, 3}}},
        {"ij,ji->ij", {{3, 4}, {4, 3}}},
        {"ij,j->i", {{5, 6}, {6}}},
        {"ji,j->i", {{6, 5}, {6}}},
        {"i,ij->j", {{5}, {5, 6}}},
        {"ij,jk->ik", {{5, 6}, {6, 7}}},
        {"ij,jk", {{5, 6}, {6, 7}}},
        {"ij,kj->ik", {{5, 6}, {7, 6}}},
        {"ji,jk->ik", {{6, 5}, {6, 7}}},
        {"ji,kj->ki", {{6, 5}, {7, 6}}},
        {"ij,jk->ki", {{5, 6}, {6, 7}}},
        {"i,j->ij", {{5}, {6}}},
        {"i,j", {{5}, {6}}},
        {"ij,k->ijk", {{2, 3}, {4}}},
        {"iij,jk->ik", {{4, 4, 5}, {5, 3}}},
        {"ii,jj->ij", {{3, 3}, {4, 4}}},
        {"ii,i->i", {{4, 4}, {4}}},
        {"ij,j", {{3, 4}, {4}}},
        // GEMM-shaped, including permuted operands (offset tables)
        {"ij,jk->ik", {{40, 50}, {50, 30}}},
        {"ik,kj->ji", {{33, 17}, {17, 29}}},
        {"bij,bjk->bik", {{3, 10, 12}, {3, 12, 9}}},
        {"bij,bjk->bki", {{3, 10, 12}, {3, 12, 9}}},
        {"ibj,jbk->kbi", {{10, 3, 12}, {12, 3, 9}}},
        {"ijk,jl->ikl", {{10, 12, 7}, {12, 9}}},
        {"ikj,jl->lik", {{10, 7, 12}, {12, 9}}},
        // a free group's outer labels moved to the batch (inner run >= 32)
        {"ijk,jl->ikl", {{3, 12, 40}, {12, 9}}},
        {"ij,kjl->ikl", {{5, 6}, {3, 6, 33}}},
        {"bijk,bjl->bikl", {{2, 3, 5, 32}, {2, 5, 7}}},
        {"abcd,cdef->abef", {{3, 4, 5, 6}, {5, 6, 4, 3}}},
        {"abcd,dcef->fbea", {{3, 4, 5, 6}, {6, 5, 4, 3}}},
        {"acbd,cdef->abef", {{3, 5, 4, 6}, {5, 6, 4, 3}}},
        {"bij,jk->bik", {{4, 9, 10}, {10, 11}}},
        {"acbd,dcef->fbea", {{3, 4, 5, 8}, {8, 4, 3, 2}}},  // result staged, then copied
        {"bcad,cdeb->aeb", {{3, 4, 9, 8}, {4, 8, 5, 3}}},  // batch b, staged result
        // three and more operands
        {"ij,jk,kl->il", {{5, 6}, {6, 7}, {7, 3}}},
        {"ij,jk,kl", {{5, 6}, {6, 7}, {7, 3}}},
        {"ij,jk,kl->il", {{30, 2}, {2, 40}, {40, 3}}},
        {"ij,jk,ki->", {{4, 5}, {5, 6}, {6, 4}}},
        {"a,b,c->abc", {{2}, {3}, {4}}},
        {"i,i,i->i", {{6}, {6}, {6}}},
        {"ij,ij,ij->", {{3, 4}, {3, 4}, {3, 4}}},
        {"bij,bjk,bkl->bil", {{2, 3, 4}, {2, 4, 5}, {2, 5, 3}}},
        {"ab,bc,cd,de->ae", {{3, 4}, {4, 5}, {5, 6}, {6, 2}}},
        {"ab,bc,cd,de,ef,fg->ag", {{2, 3}, {3, 4}, {4, 3}, {3, 2}, {2, 5}, {5, 2}}},
        {"ab,bc,cd,de,ef,fg,gh,hi,ij->aj",  // 9 operands: the greedy path
         {{2, 3}, {3, 2}, {2, 3}, {3, 2}, {2, 3}, {3, 2}, {2, 3}, {3, 2}, {2, 4}}},
        {"ea,fb,abcd,gc,hd->efgh", {{3, 2}, {3, 2}, {2, 2, 2, 2}, {3, 2}, {3, 2}}},
        {"ijk,ilm,njm,nlk,abc->", {{2, 3, 2}, {2, 2, 3}, {2, 3, 3}, {2, 2, 2}, {2, 2, 2}}},
        // scalars (0-d operands)
        {",->", {{}, {}}},
        {",i->i", {{}, {5}}},
        {"i,->i", {{5}, {}}},
        {"", {{}}},
        {"->", {{}}},
        {"i->...", {{4}}},
        // broadcasting with '...' and with extent-1 labels
        {"...,...->...", {{2, 3}, {3}}},
        {"...,...", {{2, 1}, {1, 3}}},
        {"...ij,...jk->...ik", {{2, 3, 4}, {4, 5}}},
        {"...ij,...jk->...ik", {{2, 1, 3, 4}, {5, 4, 6}}},
        {"ij...,jk...->ik...", {{2, 3, 5}, {3, 4, 1}}},
        {"a...b,b...c->ac...", {{2, 3, 4}, {4, 3, 5}}},
        {"i...,i...", {{2, 3}, {2, 1, 3}}},
        {"ij,jk->ik", {{2, 1}, {3, 4}}},
        {"ij,jk->ik", {{2, 3}, {1, 4}}},
        // empty axes
        {"ij,jk->ik", {{0, 3}, {3, 4}}},
        {"ij,jk->ik", {{2, 0}, {0, 4}}},
        {"i->", {{0}}},
        {"ij->ji", {{0, 3}}},
        {"ij,jk,kl->il", {{2, 3}, {3, 0}, {0, 2}}},
    };
    return c;
}

class EinsumForms : public ::testing::TestWithParam<std::size_t> {};

TEST_P(EinsumForms, DoubleEveryLayout) {
    const Case& c = cases()[GetParam()];
    for (Layout l : kLayouts) check_case<double>(c.subscripts, c.shapes, l, 1000 + static_cast<unsigned>(GetParam()));
}

TEST_P(EinsumForms, Float) {
    const Case& c = cases()[GetParam()];
    check_case<float>(c.subscripts, c.shapes, Layout::strided, 2000 + static_cast<unsigned>(GetParam()));
    check_case<float>(c.subscripts, c.shapes, Layout::contiguous, 2000 + static_cast<unsigned>(GetParam()));
}

TEST_P(EinsumForms, IntegerAndComplex) {
    const Case& c = cases()[GetParam()];
    check_case<std::int64_t>(c.subscripts, c.shapes, Layout::transposed, 3000 + static_cast<unsigned>(GetParam()));
    check_case<std::int32_t>(c.subscripts, c.shapes, Layout::contiguous, 3000 + static_cast<unsigned>(GetParam()));
    check_case<std::complex<double>>(c.subscripts, c.shapes, Layout::reversed, 3000 + static_cast<unsigned>(GetParam()));
    check_case<std::complex<float>>(c.subscripts, c.shapes, Layout::contiguous, 3000 + static_cast<unsigned>(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(AllForms, EinsumForms, ::testing::Range<std::size_t>(0, cases().size()));

}  // namespace

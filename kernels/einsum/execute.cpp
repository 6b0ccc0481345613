// Running a planned einsum: each step either goes to the GEMM (float and
// double contractions) or to the strided loops. The GEMM receives the
// operands where they are: each label group (batch, free-left, free-right,
// contracted) becomes one stride when its labels are laid out as one run of
// memory, and otherwise a table of offsets the GEMM's packing reads through
// (TBLIS's scatter vectors), so no operand is copied into a permuted layout.
#include <algorithm>
#include <cstdlib>
#include <span>
#include <vector>

#include "einsum/program.hpp"
#include "einsum/strided_loops.hpp"
#include "hoc/core/copy.hpp"
#include "hoc/core/memory.hpp"
#include "hoc/core/tensor_view.hpp"
#include "hoc/kernels/gemm.hpp"

namespace hoc::detail::einsum {
namespace {

// An operand, intermediate or the destination, seen per label.
template <class T>
struct Slot {
    T* data = nullptr;
    std::array<index_t, kMaxLabels> stride{};  // 0 for labels the slot lacks
};

// ---- GEMM steps ------------------------------------------------------------

// How one label group indexes one tensor: a single stride, or a table.
struct GroupMap {
    index_t stride = 0;
    const index_t* table = nullptr;
};

template <class T>
bool mergeable(const std::vector<int>& order, const Program& p, const Slot<T>& x, index_t& stride) {
    stride = order.empty() ? 0 : x.stride[static_cast<std::size_t>(order.back())];
    for (std::size_t i = 0; i + 1 < order.size(); ++i) {
        const auto l = static_cast<std::size_t>(order[i]), r = static_cast<std::size_t>(order[i + 1]);
        if (x.stride[l] != x.stride[r] * p.size[r]) return false;
    }
    return true;
}

// Offsets of every index of the group, row-major over `order`.
template <class T>
void fill_table(const std::vector<int>& order, const Program& p, const Slot<T>& x,
                std::vector<index_t>& t) {
    t.assign(1, 0);
    for (int l : order) {
        const index_t n = p.size[static_cast<std::size_t>(l)], s = x.stride[static_cast<std::size_t>(l)];
        std::vector<index_t> next;
        next.reserve(t.size() * static_cast<std::size_t>(n));
        for (index_t base : t)
            for (index_t j = 0; j < n; ++j) next.push_back(base + j * s);
        t.swap(next);
    }
}

// The group's labels (extent-1 labels dropped) in the order that lets the
// most of {x, y} use one stride; ties go to x's memory order.
template <class T>
std::vector<int> order_group(const std::vector<int>& labels, const Program& p, const Slot<T>& x,
                             const Slot<T>& y) {
    std::vector<int> base;
    for (int l : labels)
        if (p.size[static_cast<std::size_t>(l)] != 1) base.push_back(l);
    if (base.size() < 2) return base;
    auto by = [&](const Slot<T>& s) {
        std::vector<int> o = base;
        std::stable_sort(o.begin(), o.end(), [&](int u, int v) {
            return std::abs(s.stride[static_cast<std::size_t>(u)]) >
                   std::abs(s.stride[static_cast<std::size_t>(v)]);
        });
        return o;
    };
    auto tables = [&](const std::vector<int>& o) {
        index_t st;
        return int(!mergeable(o, p, x, st)) + int(!mergeable(o, p, y, st));
    };
    std::vector<int> ox = by(x), oy = by(y);
    return tables(oy) < tables(ox) ? oy : ox;
}

template <class T>
GroupMap map_group(const std::vector<int>& order, const Program& p, const Slot<T>& x,
                   std::vector<index_t>& storage) {
    GroupMap g;
    if (mergeable(order, p, x, g.stride)) return g;
    fill_table(order, p, x, storage);
    g.table = storage.data();
    return g;
}

index_t extent(const std::vector<int>& order, const Program& p) {
    index_t n = 1;
    for (int l : order) n *= p.size[static_cast<std::size_t>(l)];
    return n;
}

// A result layout the GEMM cannot store with vectors: no unit stride along
// either the rows or the columns, or rows/columns through offset tables.
bool hostile_result(const GroupMap& rows, const GroupMap& cols) {
    return rows.table || cols.table || (rows.stride != 1 && cols.stride != 1);
}

template <class T>
void copy_labels(const Program& p, const std::vector<int>& labels, const Slot<T>& from,
                 const Slot<T>& to) {
    LoopNest nest;
    for (int l : labels) {
        const auto u = static_cast<std::size_t>(l);
        if (p.size[u] != 1) nest.out.push_back(LoopDim{p.size[u], from.stride[u], 0, to.stride[u]});
    }
    normalize(nest.out, true);
    run_nest<T, false>(nest, from.data, static_cast<const T*>(nullptr), to.data);
}

// A free group the operand cannot give one stride but whose inner labels it
// can, over at least kMinRows indices (einsum's 'ijk,jl->ikl': rows (i, k)
// of A, k unit stride): the outer labels move to the batch. Many GEMMs on
// plain strides then run in place, without packing, where one GEMM would
// pack the operand through an offset table (measured: 1.0x against 0.92x of
// the contiguous GEMM). Only while the other operand, which every product
// reads again, stays in L2 (256 KiB of its 1 MiB): with a 4 MiB one
// ('acbd,dcef->fbea' at 32) the batch ran 1.6x slower than the table. At
// least kMinRows rows per product keep the products from being tiny.
template <class T>
void split_outer(std::vector<int>& group, std::vector<int>& batch, const Program& p,
                 const Slot<T>& x, const Slot<T>& c, index_t other_elements) {
    constexpr index_t kMinRows = 32;
    constexpr index_t kMaxOtherBytes = 256 * 1024;
    index_t stride;
    if (other_elements * static_cast<index_t>(sizeof(T)) > kMaxOtherBytes ||
        mergeable(group, p, x, stride))
        return;
    for (std::size_t q = 1; q < group.size(); ++q) {
        const std::vector<int> inner(group.begin() + static_cast<std::ptrdiff_t>(q), group.end());
        if (extent(inner, p) < kMinRows) return;
        if (mergeable(inner, p, x, stride) && mergeable(inner, p, c, stride)) {
            batch.insert(batch.end(), group.begin(), group.begin() + static_cast<std::ptrdiff_t>(q));
            group = inner;
            return;
        }
    }
}

template <class T>
void gemm_step(const Program& p, const Step& s, const Slot<T>& A, const Slot<T>& B, const Slot<T>& C,
               bool allow_staging = true) {
    std::vector<int> m = order_group(s.m, p, C, A), n = order_group(s.n, p, C, B),
                     batch = order_group(s.batch, p, C, A);
    const std::vector<int> k = order_group(s.k, p, A, B);
    split_outer(m, batch, p, A, C, extent(k, p) * extent(n, p));
    split_outer(n, batch, p, B, C, extent(k, p) * extent(m, p));
    std::vector<index_t> tables[6];
    const GroupMap am = map_group(m, p, A, tables[0]), cm = map_group(m, p, C, tables[1]),
                   bn = map_group(n, p, B, tables[2]), cn = map_group(n, p, C, tables[3]),
                   ak = map_group(k, p, A, tables[4]), bk = map_group(k, p, B, tables[5]);
    const index_t M = extent(m, p), N = extent(n, p), K = extent(k, p);
    // A result the GEMM would scatter once per k block is computed into a
    // contiguous buffer and copied out once instead: one pass
    // over the result, against K multiply-adds per element.
    constexpr index_t kStagingMinK = 32;
    if (allow_staging && K >= kStagingMinK && hostile_result(cm, cn)) {
        // The buffer's layout is ours to choose: each group in its operand's
        // memory order (one stride if the operand allows, else the packing's
        // gathers walk the operand as closely as it can), the group holding
        // the result's innermost axis last.
        auto sorted_by = [&](std::vector<int> g, const Slot<T>& x) {
            std::stable_sort(g.begin(), g.end(), [&](int u, int v) {
                return std::abs(x.stride[static_cast<std::size_t>(u)]) >
                       std::abs(x.stride[static_cast<std::size_t>(v)]);
            });
            return g;
        };
        auto group_order = [&](const std::vector<int>& g, const Slot<T>& x) { return sorted_by(g, x); };
        int innermost = -1;
        for (const auto* g : {&m, &n})
            for (int l : *g)
                if (innermost < 0 || std::abs(C.stride[static_cast<std::size_t>(l)]) <
                                         std::abs(C.stride[static_cast<std::size_t>(innermost)]))
                    innermost = l;
        const bool m_inner = std::find(m.begin(), m.end(), innermost) != m.end();
        const std::vector<int> mo = group_order(m, A), no = group_order(n, B);
        std::vector<int> order = sorted_by(batch, C);
        for (int l : m_inner ? no : mo) order.push_back(l);
        for (int l : m_inner ? mo : no) order.push_back(l);
        Slot<T> staged;
        index_t step = 1;
        for (auto it = order.rbegin(); it != order.rend(); ++it) {
            staged.stride[static_cast<std::size_t>(*it)] = step;
            step *= p.size[static_cast<std::size_t>(*it)];
        }
        Buffer<T> buffer(step, false);
        staged.data = buffer.data();
        gemm_step<T>(p, s, A, B, staged, false);
        copy_labels<T>(p, order, staged, C);
        return;
    }
    const kernels::MatrixRef<const T> a{A.data, am.stride, ak.stride, am.table, ak.table};
    const kernels::MatrixRef<const T> b{B.data, bk.stride, bn.stride, bk.table, bn.table};
    const kernels::MatrixRef<T> c{C.data, cm.stride, cn.stride, cm.table, cn.table};
    if (batch.empty()) {
        kernels::gemm<T>(M, N, K, T(1), a, b, T(0), c);
        return;
    }
    std::vector<index_t> ba, bb, bc;
    fill_table(batch, p, A, ba);
    fill_table(batch, p, B, bb);
    fill_table(batch, p, C, bc);
    kernels::gemm_batched<T>(static_cast<index_t>(ba.size()), M, N, K, T(1), a, ba.data(), b,
                             bb.data(), T(0), c, bc.data());
}

// ---- loop steps --------------------------------------------------------------

template <class T>
void loop_step(const Program& p, const Step& s, const Slot<T>& A, const Slot<T>* B,
               const Slot<T>& C, const std::vector<int>& c_labels) {
    LabelSet in_c, seen;
    for (int l : c_labels) in_c.add(l);
    LoopNest nest;
    auto add = [&](int l) {
        if (seen.has(l)) return;
        seen.add(l);
        const auto u = static_cast<std::size_t>(l);
        if (p.size[u] == 1) return;
        const LoopDim d{p.size[u], A.stride[u], B ? B->stride[u] : 0, in_c.has(l) ? C.stride[u] : 0};
        (in_c.has(l) ? nest.out : nest.sum).push_back(d);
    };
    for (int l : p.slot_labels[static_cast<std::size_t>(s.a)]) add(l);
    if (B)
        for (int l : p.slot_labels[static_cast<std::size_t>(s.b)]) add(l);
    normalize(nest.out, true);
    normalize(nest.sum, false);
    if (B) run_nest<T, true>(nest, A.data, B->data, C.data);
    else run_nest<T, false>(nest, A.data, static_cast<const T*>(nullptr), C.data);
}

}  // namespace
}  // namespace hoc::detail::einsum

namespace hoc::detail {

template <class T>
void einsum_evaluate(const einsum::Program& p, std::span<const TensorView<const T>> operands,
                     const TensorView<T>& dst) {
    using namespace einsum;
    if (dst.size() == 0) return;
    if (p.any_zero_label) {  // every output element is an empty sum
        for_each_offset(dst.shape(), dst.strides(), dst.strides(),
                        [&](index_t o, index_t) { dst.data()[o] = T(0); });
        return;
    }
    std::vector<Slot<T>> slots(p.slot_labels.size());
    for (std::size_t o = 0; o < operands.size(); ++o) {
        const TensorView<const T>& v = operands[o];
        slots[o].data = const_cast<T*>(v.data());  // operands are only read
        const auto& axes = p.parsed.inputs[o];
        for (index_t i = 0; i < v.ndim(); ++i)
            if (v.shape()[i] != 1)  // extent 1: broadcast, stride 0
                slots[o].stride[static_cast<std::size_t>(axes[static_cast<std::size_t>(i)])] +=
                    v.strides()[i];
    }
    Slot<T> out;
    out.data = dst.data();
    for (std::size_t i = 0; i < p.parsed.output.size(); ++i)
        out.stride[static_cast<std::size_t>(p.parsed.output[i])] = dst.strides()[static_cast<index_t>(i)];

    std::vector<Buffer<T>> buffers(p.slot_labels.size());
    for (const Step& s : p.steps) {
        Slot<T>* c = &out;
        if (s.out >= 0) {
            // Intermediates are C-contiguous in their label order.
            const auto& labels = p.slot_labels[static_cast<std::size_t>(s.out)];
            c = &slots[static_cast<std::size_t>(s.out)];
            index_t step = 1;
            for (auto it = labels.rbegin(); it != labels.rend(); ++it) {
                c->stride[static_cast<std::size_t>(*it)] = p.size[static_cast<std::size_t>(*it)] == 1 ? 0 : step;
                step *= p.size[static_cast<std::size_t>(*it)];
            }
            buffers[static_cast<std::size_t>(s.out)] = Buffer<T>(step, false);
            c->data = buffers[static_cast<std::size_t>(s.out)].data();
        }
        const Slot<T>& a = slots[static_cast<std::size_t>(s.a)];
        const Slot<T>* b = s.b >= 0 ? &slots[static_cast<std::size_t>(s.b)] : nullptr;
        bool done = false;
        if constexpr (RealFloat<T>) {
            if (s.gemm) {
                gemm_step<T>(p, s, a, *b, *c);
                done = true;
            }
        }
        if (!done)
            loop_step<T>(p, s, a, b, *c,
                         s.out >= 0 ? p.slot_labels[static_cast<std::size_t>(s.out)] : p.parsed.output);
        // Each intermediate feeds one step: free it as soon as it has.
        for (int used : {s.a, s.b})
            if (used >= static_cast<int>(operands.size())) buffers[static_cast<std::size_t>(used)] = Buffer<T>();
    }
}

#define HOC_EINSUM_INSTANTIATE(T)                                                         \
    template void einsum_evaluate<T>(const einsum::Program&, std::span<const TensorView<const T>>, \
                                     const TensorView<T>&);
HOC_EINSUM_INSTANTIATE(float)
HOC_EINSUM_INSTANTIATE(double)
HOC_EINSUM_INSTANTIATE(std::int32_t)
HOC_EINSUM_INSTANTIATE(std::int64_t)
HOC_EINSUM_INSTANTIATE(std::complex<float>)
HOC_EINSUM_INSTANTIATE(std::complex<double>)
#undef HOC_EINSUM_INSTANTIATE

}  // namespace hoc::detail

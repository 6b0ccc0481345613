// Building a Program (parse, bind label sizes, plan), the per-thread cache of
// recent programs, and the einsum_path report.
#include "einsum/program.hpp"

#include <cstdio>
#include <stdexcept>

#include "hoc/core/errors.hpp"

namespace hoc::detail::einsum {

namespace {

std::string describe(int label) {
    if (label < kLetterLabels) return "label '" + label_name(label) + "'";
    return "axis " + std::to_string(label - kLetterLabels) + " of '...'";
}

std::string operand_name(std::size_t o, const Shape& s) {
    return "operand " + std::to_string(o) + " (shape " + shape_string(s) + ")";
}

}  // namespace

void bind_sizes(Program& p) {
    std::array<int, kMaxLabels> bound_by;  // the operand that gave a label its extent (> 1)
    bound_by.fill(-1);
    p.size.fill(1);
    for (std::size_t o = 0; o < p.parsed.inputs.size(); ++o) {
        const auto& axes = p.parsed.inputs[o];
        const Shape& shape = p.input_shapes[o];
        // A label repeated within one operand (a diagonal) needs equal extents there.
        for (std::size_t i = 0; i < axes.size(); ++i)
            for (std::size_t j = i + 1; j < axes.size(); ++j)
                if (axes[i] == axes[j] && shape[static_cast<index_t>(i)] != shape[static_cast<index_t>(j)])
                    throw ShapeError("einsum: " + describe(axes[i]) + " is repeated in " +
                                     operand_name(o, shape) + " with sizes " +
                                     std::to_string(shape[static_cast<index_t>(i)]) + " (dim " +
                                     std::to_string(i) + ") and " +
                                     std::to_string(shape[static_cast<index_t>(j)]) + " (dim " +
                                     std::to_string(j) + ")");
        // Across operands an extent of 1 broadcasts, as NumPy's einsum allows.
        for (std::size_t i = 0; i < axes.size(); ++i) {
            const auto l = static_cast<std::size_t>(axes[i]);
            const index_t d = shape[static_cast<index_t>(i)];
            if (d == 1 || d == p.size[l]) continue;
            if (p.size[l] != 1) {
                const auto q = static_cast<std::size_t>(bound_by[l]);
                throw ShapeError("einsum: " + describe(axes[i]) + " has size " +
                                 std::to_string(p.size[l]) + " in " +
                                 operand_name(q, p.input_shapes[q]) + " but size " +
                                 std::to_string(d) + " in " + operand_name(o, shape) +
                                 " (dim " + std::to_string(i) + ")");
            }
            p.size[l] = d;
            bound_by[l] = static_cast<int>(o);
        }
    }
    p.output_shape = Shape{};
    for (int l : p.parsed.output) p.output_shape.push_back(p.size[static_cast<std::size_t>(l)]);
    for (const auto& axes : p.parsed.inputs)
        for (int l : axes)
            if (p.size[static_cast<std::size_t>(l)] == 0) p.any_zero_label = true;
}

namespace {

std::shared_ptr<const Program> build(std::string_view subscripts, std::span<const Shape> shapes) {
    auto p = std::make_shared<Program>();
    p->subscripts = std::string(subscripts);
    p->input_shapes.assign(shapes.begin(), shapes.end());
    for (const Shape& s : shapes) checked_size(s);
    p->parsed = parse(subscripts, p->input_shapes);
    bind_sizes(*p);
    plan(*p);
    return p;
}

bool same_shapes(const std::vector<Shape>& a, std::span<const Shape> b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!(a[i] == b[i])) return false;
    return true;
}

// A few recent programs per thread (no locks; a loop reuses one entry).
struct Cache {
    static constexpr std::size_t kEntries = 16;
    std::array<std::shared_ptr<const Program>, kEntries> entries;
    std::size_t next = 0;
};

std::string letters(const std::vector<int>& labels) {
    std::string s;
    bool ellipsis = false;
    for (int l : labels) {
        if (l < kLetterLabels) s += label_name(l);
        else if (!ellipsis) s += "...", ellipsis = true;
    }
    return s;
}

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

}  // namespace
}  // namespace hoc::detail::einsum

namespace hoc::detail {

std::shared_ptr<const einsum::Program> einsum_program(std::string_view subscripts,
                                                      std::span<const Shape> shapes) {
    thread_local einsum::Cache cache;
    for (const auto& e : cache.entries)
        if (e && e->subscripts == subscripts && einsum::same_shapes(e->input_shapes, shapes)) return e;
    auto p = einsum::build(subscripts, shapes);
    cache.entries[cache.next] = p;
    cache.next = (cache.next + 1) % einsum::Cache::kEntries;
    return p;
}

const Shape& einsum_output_shape(const einsum::Program& p) { return p.output_shape; }

void einsum_check_shapes(const einsum::Program& p, std::span<const Shape> shapes) {
    if (shapes.size() != p.input_shapes.size())
        throw ShapeError("einsum: the plan for \"" + p.subscripts + "\" takes " +
                         std::to_string(p.input_shapes.size()) + " operands but " +
                         std::to_string(shapes.size()) + " were given");
    for (std::size_t o = 0; o < shapes.size(); ++o)
        if (!(shapes[o] == p.input_shapes[o]))
            throw ShapeError("einsum: the plan for \"" + p.subscripts + "\" was made for operand " +
                             std::to_string(o) + " of shape " + shape_string(p.input_shapes[o]) +
                             " but got shape " + shape_string(shapes[o]));
}

const EinsumFusedForm& einsum_fused_form(const einsum::Program& p) { return p.fused; }

Strides einsum_fused_strides(const einsum::Program& p, std::size_t o, const Strides& strides) {
    std::array<index_t, einsum::kMaxLabels> per_label{};
    const auto& axes = p.parsed.inputs[o];
    const Shape& shape = p.input_shapes[o];
    for (std::size_t i = 0; i < axes.size(); ++i)
        if (shape[static_cast<index_t>(i)] != 1)  // extent 1 broadcasts: stride 0
            per_label[static_cast<std::size_t>(axes[i])] += strides[static_cast<index_t>(i)];
    Strides out;
    for (int l : p.fused_labels) out.push_back(per_label[static_cast<std::size_t>(l)]);
    return out;
}

EinsumPath einsum_path_of(const einsum::Program& p) {
    EinsumPath r;
    r.path = p.path;
    r.naive_flops = p.naive_flops;
    r.optimized_flops = p.optimized_flops;
    r.largest_intermediate = p.largest_intermediate;
    std::string& s = r.report;
    s += "  Complete contraction:  " + p.subscripts + "\n";
    s += "      Naive FLOP count:  " + einsum::number(p.naive_flops) + " multiply-adds\n";
    s += "  Optimized FLOP count:  " + einsum::number(p.optimized_flops) + " multiply-adds\n";
    s += "   Theoretical speedup:  " +
         einsum::number(p.optimized_flops > 0 ? p.naive_flops / p.optimized_flops : 1) + "\n";
    s += "  Largest intermediate:  " + std::to_string(p.largest_intermediate) + " elements\n";
    for (const einsum::Step& st : p.steps) {
        const auto& la = p.slot_labels[static_cast<std::size_t>(st.a)];
        std::string line = einsum::letters(la);
        if (st.b >= 0) {
            line += ',';
            line += einsum::letters(p.slot_labels[static_cast<std::size_t>(st.b)]);
        }
        line += "->";
        line += einsum::letters(st.out < 0 ? p.parsed.output
                                           : p.slot_labels[static_cast<std::size_t>(st.out)]);
        const char* how = st.b < 0 ? (st.summed.empty() ? "copy" : "sum") : st.gemm ? "gemm" : "loops";
        s += "  " + line + "  [" + how + ", " + einsum::number(st.flops) + " multiply-adds]\n";
    }
    return r;
}

}  // namespace hoc::detail

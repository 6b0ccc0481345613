// The compiled form of one einsum call: subscripts parsed against the operand
// shapes, label sizes resolved, and the contraction order fixed as a list of
// steps. Built once (parse.cpp, planner.cpp), then executed any number of
// times on operands of those shapes (execute.cpp).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "hoc/core/shape.hpp"
#include "hoc/linalg/einsum/engine.hpp"

namespace hoc::detail::einsum {

// Label ids: 'A'..'Z' are 0..25 and 'a'..'z' are 26..51, so sorting ids sorts
// as NumPy sorts characters (upper case first); the axes covered by '...'
// get 52.. (left to right), at most kMaxRank of them.
inline constexpr int kLetterLabels = 52;
inline constexpr int kMaxLabels = kLetterLabels + kMaxRank;

inline int label_of_char(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return 26 + (c - 'a');
    return -1;
}
// "i", "B", or "...[2]" for the third axis covered by the ellipsis.
std::string label_name(int label);

// A set of labels (68 fit in two words).
struct LabelSet {
    std::uint64_t w[2] = {0, 0};
    void add(int l) { w[l >> 6] |= std::uint64_t{1} << (l & 63); }
    bool has(int l) const { return (w[l >> 6] >> (l & 63)) & 1u; }
    bool empty() const { return (w[0] | w[1]) == 0; }
    friend LabelSet operator|(LabelSet a, LabelSet b) { return {{a.w[0] | b.w[0], a.w[1] | b.w[1]}}; }
    friend LabelSet operator&(LabelSet a, LabelSet b) { return {{a.w[0] & b.w[0], a.w[1] & b.w[1]}}; }
    friend LabelSet operator-(LabelSet a, LabelSet b) { return {{a.w[0] & ~b.w[0], a.w[1] & ~b.w[1]}}; }
    friend bool operator==(LabelSet a, LabelSet b) { return a.w[0] == b.w[0] && a.w[1] == b.w[1]; }
    template <class F>
    void for_each(F&& f) const {
        for (int l = 0; l < kMaxLabels; ++l)
            if (has(l)) f(l);
    }
};

// The subscripts after parsing against the operands' ranks.
struct Parsed {
    std::vector<std::vector<int>> inputs;  // per operand, per axis: its label
    std::vector<int> output;               // per output axis: its label
    int broadcast_dims = 0;                // axes covered by '...' (the most of any operand)
};

// One operation of the program. Slots 0..n-1 are the operands, later slots
// the intermediates in the order they are made; the last step writes the
// result (slot -1: the destination).
struct Step {
    int a = -1, b = -1;   // b == -1: a unary step (sum labels out of a / copy)
    int out = -1;         // slot written; -1 is the destination
    bool gemm = false;    // contraction shaped for the GEMM (float/double)
    // Labels by role (plan-time order; execution may reorder by strides).
    std::vector<int> batch, m, n, k;  // in a, b and out / a and out / b and out / a and b
    std::vector<int> summed;          // unary: labels summed out of a
    double flops = 0;                 // multiply-adds
};

struct Program {
    std::string subscripts;
    std::vector<Shape> input_shapes;
    Parsed parsed;
    std::array<index_t, kMaxLabels> size{};  // each label's extent (after broadcasting)
    Shape output_shape;
    // Labels of every slot in storage order (operands: first appearance);
    // intermediates are stored C-contiguous in this order.
    std::vector<std::vector<int>> slot_labels;
    std::vector<Step> steps;
    std::vector<std::vector<int>> path;  // NumPy's einsum_path form
    double naive_flops = 0, optimized_flops = 0;
    index_t largest_intermediate = 0;
    bool any_zero_label = false;            // some label has extent 0
    EinsumFusedForm fused;                  // see engine.hpp
    std::vector<int> fused_labels;          // the fused loop's axes
};

// Parses the subscripts against the operands' ranks (parse.cpp).
Parsed parse(std::string_view subscripts, const std::vector<Shape>& shapes);
// Binds every label to its extent; ShapeError where operands disagree (program.cpp).
void bind_sizes(Program& p);
// Fills slot_labels, steps and the path statistics (planner.cpp).
void plan(Program& p);

}  // namespace hoc::detail::einsum

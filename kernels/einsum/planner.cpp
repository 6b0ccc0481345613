// The contraction order. Labels that live in one operand only (and not in the
// output) are summed out of it first; then the operands are contracted in
// pairs, in the order of least multiply-adds: exhaustive dynamic programming
// over subsets for up to kMaxOptimalOperands operands (3^n splits), and
// opt_einsum's greedy rule beyond that (contract the pair whose result is
// smallest relative to its inputs).
#include <algorithm>
#include <bit>
#include <limits>

#include "einsum/program.hpp"

namespace hoc::detail::einsum {
namespace {

constexpr int kMaxOptimalOperands = 8;

// Contractions smaller than this (multiply-adds per batch entry) run on the
// strided loops: the GEMM's packing would cost more than it saves.
constexpr double kMinGemmFlops = 1024;

double volume(const Program& p, LabelSet s) {
    double v = 1;
    for (int w = 0; w < 2; ++w)
        for (std::uint64_t bits = s.w[w]; bits; bits &= bits - 1)
            v *= static_cast<double>(p.size[static_cast<std::size_t>(64 * w + std::countr_zero(bits))]);
    return v;
}

LabelSet set_of(const std::vector<int>& labels) {
    LabelSet s;
    for (int l : labels) s.add(l);
    return s;
}

struct Planner {
    Program& p;
    LabelSet output;
    std::vector<LabelSet> slot_set;  // labels of each slot
    std::vector<int> live;           // slots not yet consumed, in NumPy path order

    int new_slot(std::vector<int> labels) {
        p.slot_labels.push_back(std::move(labels));
        slot_set.push_back(set_of(p.slot_labels.back()));
        return static_cast<int>(p.slot_labels.size()) - 1;
    }

    // Sums out of slot x the labels in `drop`; returns the new slot.
    int reduce(int x, LabelSet drop, bool final) {
        Step s;
        s.a = x;
        std::vector<int> kept;
        for (int l : p.slot_labels[static_cast<std::size_t>(x)])
            (drop.has(l) ? s.summed : kept).push_back(l);
        s.flops = volume(p, slot_set[static_cast<std::size_t>(x)]);
        s.out = final ? -1 : new_slot(std::move(kept));
        const int out = s.out;
        p.steps.push_back(std::move(s));
        return out;
    }

    // Contracts slots x and y keeping the labels in `keep`; returns the new slot.
    int contract(int x, int y, LabelSet keep, bool final) {
        const LabelSet sx = slot_set[static_cast<std::size_t>(x)],
                       sy = slot_set[static_cast<std::size_t>(y)];
        Step s;
        s.a = x, s.b = y;
        for (int l : p.slot_labels[static_cast<std::size_t>(x)]) {
            if (sy.has(l)) (keep.has(l) ? s.batch : s.k).push_back(l);
            else if (keep.has(l)) s.m.push_back(l);
            else s.summed.push_back(l);  // never left by the planner; the loops would sum it
        }
        for (int l : p.slot_labels[static_cast<std::size_t>(y)]) {
            if (sx.has(l)) continue;
            (keep.has(l) ? s.n : s.summed).push_back(l);
        }
        s.flops = volume(p, sx | sy);
        const double mm = volume(p, set_of(s.m)), nn = volume(p, set_of(s.n)),
                     kk = volume(p, set_of(s.k));
        s.gemm = s.summed.empty() && mm >= 2 && nn >= 2 && kk >= 2 && mm * nn * kk >= kMinGemmFlops;
        if (final) {
            s.out = -1;
        } else {
            std::vector<int> labels(s.batch);
            labels.insert(labels.end(), s.m.begin(), s.m.end());
            labels.insert(labels.end(), s.n.begin(), s.n.end());
            s.out = new_slot(std::move(labels));
            p.largest_intermediate =
                std::max(p.largest_intermediate, static_cast<index_t>(volume(p, keep)));
        }
        p.steps.push_back(std::move(s));
        return p.steps.back().out;
    }

    // Records the pair in NumPy's path form and makes the contraction.
    void contract_live(int ix, int iy, bool final) {
        if (ix > iy) std::swap(ix, iy);
        const int x = live[static_cast<std::size_t>(ix)], y = live[static_cast<std::size_t>(iy)];
        p.path.push_back({ix, iy});
        live.erase(live.begin() + iy);
        live.erase(live.begin() + ix);
        LabelSet keep = output;
        for (int z : live) keep = keep | slot_set[static_cast<std::size_t>(z)];
        keep = keep & (slot_set[static_cast<std::size_t>(x)] | slot_set[static_cast<std::size_t>(y)]);
        const int out = contract(x, y, keep, final);
        if (!final) live.push_back(out);
    }

    // Exhaustive search: best[S] = cheapest way to contract the live slots in S.
    void optimal() {
        const int n = static_cast<int>(live.size());
        const unsigned full = (1u << n) - 1;
        std::vector<LabelSet> labels(full + 1);
        for (unsigned s = 1; s <= full; ++s) {
            const int low = std::countr_zero(s);
            labels[s] = labels[s & (s - 1)] | slot_set[static_cast<std::size_t>(live[static_cast<std::size_t>(low)])];
        }
        auto keep = [&](unsigned s) { return labels[s] & (output | labels[full ^ s]); };
        std::vector<double> best(full + 1, 0);
        std::vector<unsigned> split(full + 1, 0);
        for (unsigned s = 1; s <= full; ++s) {
            if (std::has_single_bit(s)) continue;
            best[s] = std::numeric_limits<double>::infinity();
            const unsigned low = s & (~s + 1);
            // Every split {a, s^a} once: a holds the lowest slot of s.
            for (unsigned a = (s - 1) & s; a; a = (a - 1) & s) {
                if (!(a & low)) continue;
                const unsigned b = s ^ a;
                const double c = best[a] + best[b] + volume(p, keep(a) | keep(b));
                if (c < best[s]) best[s] = c, split[s] = a;
            }
        }
        // Emit the tree bottom-up; each subtree's result is appended to `live`.
        auto emit = [&](auto&& self, unsigned s) -> int {  // returns the slot holding s
            if (std::has_single_bit(s)) return live_original[static_cast<std::size_t>(std::countr_zero(s))];
            const int x = self(self, split[s]);
            const int y = self(self, s ^ split[s]);
            const auto ix = std::find(live.begin(), live.end(), x) - live.begin();
            const auto iy = std::find(live.begin(), live.end(), y) - live.begin();
            contract_live(static_cast<int>(ix), static_cast<int>(iy), s == full);
            return s == full ? -1 : live.back();
        };
        live_original = live;
        emit(emit, full);
    }
    std::vector<int> live_original;

    // opt_einsum's greedy rule: the pair whose result shrinks the most
    // (result size minus input sizes), ties to fewer multiply-adds; pairs with
    // no label in common only when nothing else is left (smallest first).
    void greedy() {
        while (live.size() > 1) {
            int bx = -1, by = -1;
            double bkey = 0, bflops = 0;
            bool shared_found = false;
            for (std::size_t i = 0; i < live.size(); ++i)
                for (std::size_t j = i + 1; j < live.size(); ++j) {
                    const LabelSet a = slot_set[static_cast<std::size_t>(live[i])],
                                   b = slot_set[static_cast<std::size_t>(live[j])];
                    const bool shared = !(a & b).empty();
                    LabelSet keep = output;
                    for (std::size_t z = 0; z < live.size(); ++z)
                        if (z != i && z != j) keep = keep | slot_set[static_cast<std::size_t>(live[z])];
                    keep = keep & (a | b);
                    const double key = shared ? volume(p, keep) - volume(p, a) - volume(p, b)
                                              : volume(p, a) + volume(p, b);
                    const double flops = volume(p, a | b);
                    const bool better = bx < 0 || (shared && !shared_found) ||
                                        (shared == shared_found &&
                                         (key < bkey || (key == bkey && flops < bflops)));
                    if (better) {
                        bx = static_cast<int>(i), by = static_cast<int>(j);
                        bkey = key, bflops = flops, shared_found = shared;
                    }
                }
            contract_live(bx, by, live.size() == 2);
        }
    }
};

// One step over the original operands that the expression engine can run
// as one loop: a copy, a product with every label kept, or a total.
void choose_fused_form(Program& p) {
    if (p.steps.size() != 1 || p.any_zero_label) return;
    const Step& s = p.steps[0];
    const bool unary = s.b < 0;
    if (s.a != 0 || (!unary && s.b != 1)) return;
    std::vector<int> all = p.slot_labels[0];
    if (!unary)
        for (int l : p.slot_labels[1])
            if (std::find(all.begin(), all.end(), l) == all.end()) all.push_back(l);
    if (all.size() > static_cast<std::size_t>(kMaxRank)) return;
    if (p.parsed.output.empty() && !all.empty()) {
        p.fused.kind = EinsumFusedKind::total;
        p.fused_labels = all;
    } else if (p.parsed.output.size() == all.size()) {  // nothing summed
        p.fused.kind = unary ? EinsumFusedKind::copy : EinsumFusedKind::product;
        p.fused_labels = p.parsed.output;
    } else {
        return;
    }
    for (int l : p.fused_labels) p.fused.shape.push_back(p.size[static_cast<std::size_t>(l)]);
}

}  // namespace

void plan(Program& p) {
    Planner pl{p, set_of(p.parsed.output), {}, {}, {}};
    const int n = static_cast<int>(p.parsed.inputs.size());
    for (int o = 0; o < n; ++o) {
        std::vector<int> unique;
        for (int l : p.parsed.inputs[static_cast<std::size_t>(o)])
            if (std::find(unique.begin(), unique.end(), l) == unique.end()) unique.push_back(l);
        pl.new_slot(std::move(unique));
    }
    LabelSet all;
    for (int o = 0; o < n; ++o) all = all | pl.slot_set[static_cast<std::size_t>(o)];
    p.naive_flops = volume(p, all) * std::max(1, n - 1);
    p.largest_intermediate = static_cast<index_t>(volume(p, pl.output));

    if (n == 1) {
        pl.reduce(0, pl.slot_set[0] - pl.output, true);
        p.path.push_back({0});
    } else {
        // Sum out the labels only one operand has.
        for (int o = 0; o < n; ++o) {
            LabelSet elsewhere = pl.output;
            for (int q = 0; q < n; ++q)
                if (q != o) elsewhere = elsewhere | pl.slot_set[static_cast<std::size_t>(q)];
            const LabelSet alone = pl.slot_set[static_cast<std::size_t>(o)] - elsewhere;
            pl.live.push_back(alone.empty() ? o : pl.reduce(o, alone, false));
        }
        if (n <= kMaxOptimalOperands) pl.optimal();
        else pl.greedy();
    }
    for (const Step& s : p.steps) p.optimized_flops += s.flops;
    choose_fused_form(p);
}

}  // namespace hoc::detail::einsum

// The subscripts parser: NumPy's einsum grammar (letters, ',', '->', '...',
// spaces ignored), checked against the operands' ranks. Syntax errors are
// std::invalid_argument naming the character and its position; operands that
// do not fit the subscripts are hoc::ShapeError.
#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "einsum/program.hpp"
#include "hoc/core/errors.hpp"

namespace hoc::detail::einsum {
namespace {

// One operand's (or the output's) subscripts as written.
struct Term {
    std::vector<std::pair<int, std::size_t>> before, after;  // (label, position) left/right of '...'
    bool ellipsis = false;
    std::string_view text;
};

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string char_name(char c) {
    if (c >= 0x20 && c < 0x7f) return std::string("'") + c + "'";
    char buf[8];
    std::snprintf(buf, sizeof buf, "'\\x%02x'", static_cast<unsigned char>(c));
    return buf;
}

// Positions in messages count from 1, as an editor's columns do.
[[noreturn]] void syntax_error(std::string_view s, std::size_t pos, const std::string& what) {
    throw std::invalid_argument("einsum: " + what + " at position " + std::to_string(pos + 1) +
                                " in " + quoted(s));
}

// Parses s[begin, end) as one term.
Term parse_term(std::string_view s, std::size_t begin, std::size_t end) {
    Term t;
    t.text = s.substr(begin, end - begin);
    for (std::size_t i = begin; i < end; ++i) {
        const char c = s[i];
        if (c == ' ') continue;
        if (c == '.') {
            if (i + 2 >= end || s[i + 1] != '.' || s[i + 2] != '.')
                syntax_error(s, i, "'.' that is not part of an ellipsis '...'");
            if (t.ellipsis) syntax_error(s, i, "a second ellipsis '...' in one term");
            t.ellipsis = true;
            i += 2;
            continue;
        }
        const int l = label_of_char(c);
        if (l < 0) syntax_error(s, i, "invalid subscript " + char_name(c));
        (t.ellipsis ? t.after : t.before).emplace_back(l, i);
    }
    return t;
}

std::size_t letter_count(const Term& t) { return t.before.size() + t.after.size(); }

}  // namespace

std::string label_name(int label) {
    if (label < 26) return std::string(1, static_cast<char>('A' + label));
    if (label < kLetterLabels) return std::string(1, static_cast<char>('a' + label - 26));
    return "...[" + std::to_string(label - kLetterLabels) + "]";
}

Parsed parse(std::string_view s, const std::vector<Shape>& shapes) {
    if (shapes.empty()) throw std::invalid_argument("einsum: at least one operand is needed");
    // Split at the one '->', if any.
    std::size_t arrow = std::string_view::npos;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '-' && i + 1 < s.size() && s[i + 1] == '>') {
            if (arrow != std::string_view::npos) syntax_error(s, i, "a second '->'");
            arrow = i++;
        } else if (s[i] == '-' || s[i] == '>') {
            syntax_error(s, i, std::string("'") + s[i] + "' that is not part of '->'");
        } else if (s[i] == ',' && arrow != std::string_view::npos) {
            syntax_error(s, i, "',' in the output");
        }
    }
    const std::size_t inputs_end = arrow == std::string_view::npos ? s.size() : arrow;

    std::vector<Term> terms;
    for (std::size_t i = 0, start = 0; i <= inputs_end; ++i) {
        if (i == inputs_end || s[i] == ',') {
            terms.push_back(parse_term(s, start, i));
            start = i + 1;
        }
    }
    if (terms.size() != shapes.size())
        throw ShapeError("einsum: subscripts " + quoted(s) + " name " +
                         std::to_string(terms.size()) + " operand" +
                         (terms.size() == 1 ? "" : "s") + " but " + std::to_string(shapes.size()) +
                         (shapes.size() == 1 ? " was" : " were") + " given");

    Parsed out;
    // Ranks, and the number of axes each '...' covers.
    std::vector<int> covered(terms.size(), 0);
    for (std::size_t o = 0; o < terms.size(); ++o) {
        const index_t rank = shapes[o].size(), named = static_cast<index_t>(letter_count(terms[o]));
        if (named > rank || (!terms[o].ellipsis && named != rank))
            throw ShapeError("einsum: operand " + std::to_string(o) + " of shape " +
                             shape_string(shapes[o]) + " has " + std::to_string(rank) +
                             " dimension" + (rank == 1 ? "" : "s") + " but its subscripts " +
                             quoted(terms[o].text) + " name " + std::to_string(named) +
                             (named > rank ? "" : " and have no '...' for the rest"));
        covered[o] = static_cast<int>(rank - named);
        out.broadcast_dims = std::max(out.broadcast_dims, covered[o]);
    }
    // Labels per axis; the axes under '...' align to the right, as in broadcasting.
    for (std::size_t o = 0; o < terms.size(); ++o) {
        std::vector<int> axes;
        for (auto [l, pos] : terms[o].before) axes.push_back(l);
        for (int e = 0; e < covered[o]; ++e)
            axes.push_back(kLetterLabels + out.broadcast_dims - covered[o] + e);
        for (auto [l, pos] : terms[o].after) axes.push_back(l);
        out.inputs.push_back(std::move(axes));
    }

    std::array<int, kMaxLabels> count{};
    for (const auto& axes : out.inputs)
        for (int l : axes) ++count[static_cast<std::size_t>(l)];

    if (arrow == std::string_view::npos) {
        // Implicit output: the broadcast axes, then the letters seen once, sorted.
        for (int e = 0; e < out.broadcast_dims; ++e) out.output.push_back(kLetterLabels + e);
        for (int l = 0; l < kLetterLabels; ++l)
            if (count[static_cast<std::size_t>(l)] == 1) out.output.push_back(l);
    } else {
        const Term t = parse_term(s, arrow + 2, s.size());
        std::array<bool, kMaxLabels> seen{};
        auto add_letters = [&](const std::vector<std::pair<int, std::size_t>>& letters) {
            for (auto [l, pos] : letters) {
                if (seen[static_cast<std::size_t>(l)])
                    syntax_error(s, pos, "output subscript '" + label_name(l) + "' repeated");
                if (count[static_cast<std::size_t>(l)] == 0)
                    syntax_error(s, pos,
                                 "output subscript '" + label_name(l) + "' that no input has");
                seen[static_cast<std::size_t>(l)] = true;
                out.output.push_back(l);
            }
        };
        add_letters(t.before);
        if (t.ellipsis) {
            for (int e = 0; e < out.broadcast_dims; ++e) out.output.push_back(kLetterLabels + e);
        } else if (out.broadcast_dims > 0) {
            throw ShapeError("einsum: '...' covers " + std::to_string(out.broadcast_dims) +
                             " axes of the operands but the output of " + quoted(s) +
                             " has no '...' to keep them");
        }
        add_letters(t.after);
    }
    if (out.output.size() > static_cast<std::size_t>(kMaxRank))
        throw ShapeError("einsum: the output of " + quoted(s) + " would have " +
                         std::to_string(out.output.size()) + " axes, more than " +
                         std::to_string(kMaxRank));
    return out;
}

}  // namespace hoc::detail::einsum

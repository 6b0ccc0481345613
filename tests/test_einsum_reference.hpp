// A naive einsum for the tests: one nested loop over every label, long double
// accumulation, written independently of hoc's parser and planner. Also
// returns, per output element, the sum of |terms| and the term count, which
// bound the rounding error of any summation order.
#pragma once

#include <hoc/hoc.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <complex>
#include <map>
#include <string>
#include <vector>

namespace einsum_ref {

struct Result {
    std::vector<std::complex<long double>> value;  // row-major over the output shape
    std::vector<long double> abs_sum;              // sum of |term| per element
    std::vector<hoc::index_t> shape;
    long double terms = 1;                         // terms summed per element
};

// Splits "ab...c" into tokens: one per letter, "." for the ellipsis.
inline std::vector<char> tokens(const std::string& s) {
    std::vector<char> t;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == ' ') continue;
        if (s[i] == '.') t.push_back('.'), i += 2;
        else t.push_back(s[i]);
    }
    return t;
}

// `operand(o, offset)` returns operand o's element at a flat row-major index.
template <class Get>
Result reference(const std::string& subscripts, const std::vector<std::vector<hoc::index_t>>& shapes,
                 Get&& operand) {
    std::string lhs = subscripts, rhs;
    const auto arrow = subscripts.find("->");
    if (arrow != std::string::npos) lhs = subscripts.substr(0, arrow), rhs = subscripts.substr(arrow + 2);
    std::vector<std::string> terms(1);
    for (char c : lhs) {
        if (c == ',') terms.emplace_back();
        else terms.back() += c;
    }
    // Ellipsis axes become the labels '0', '1', ... aligned to the right.
    std::size_t nb = 0;
    std::vector<std::vector<char>> labels;
    for (std::size_t o = 0; o < terms.size(); ++o) {
        auto t = tokens(terms[o]);
        const std::size_t named = t.size() - std::count(t.begin(), t.end(), '.');
        if (std::count(t.begin(), t.end(), '.')) nb = std::max(nb, shapes[o].size() - named);
        labels.push_back(t);
    }
    for (std::size_t o = 0; o < terms.size(); ++o) {
        std::vector<char> full;
        const std::size_t named = labels[o].size() - std::count(labels[o].begin(), labels[o].end(), '.');
        for (char c : labels[o]) {
            if (c != '.') {
                full.push_back(c);
                continue;
            }
            const std::size_t cover = shapes[o].size() - named;
            for (std::size_t e = 0; e < cover; ++e) full.push_back(static_cast<char>('0' + nb - cover + e));
        }
        labels[o] = full;
    }
    std::map<char, hoc::index_t> size;
    std::map<char, int> count;
    for (std::size_t o = 0; o < labels.size(); ++o)
        for (std::size_t i = 0; i < labels[o].size(); ++i) {
            const hoc::index_t d = shapes[o][i];
            auto it = size.find(labels[o][i]);
            if (it == size.end() || it->second == 1) size[labels[o][i]] = d;
            ++count[labels[o][i]];
        }
    std::vector<char> out;
    if (arrow == std::string::npos) {
        for (std::size_t e = 0; e < nb; ++e) out.push_back(static_cast<char>('0' + e));
        for (auto [c, n] : count)  // std::map orders 'A' < 'Z' < 'a': NumPy's order
            if (n == 1 && std::isalpha(static_cast<unsigned char>(c))) out.push_back(c);
    } else {
        for (char c : tokens(rhs)) {
            if (c != '.') out.push_back(c);
            else
                for (std::size_t e = 0; e < nb; ++e) out.push_back(static_cast<char>('0' + e));
        }
    }
    std::vector<char> all;
    for (auto [c, n] : size) all.push_back(c);

    Result r;
    hoc::index_t out_size = 1;
    for (char c : out) r.shape.push_back(size[c]), out_size *= size[c];
    for (char c : all)
        if (std::find(out.begin(), out.end(), c) == out.end()) r.terms *= static_cast<long double>(size[c]);
    r.value.assign(static_cast<std::size_t>(out_size), 0);
    r.abs_sum.assign(static_cast<std::size_t>(out_size), 0);
    for (char c : all)
        if (size[c] == 0) return r;

    std::map<char, hoc::index_t> idx;
    for (char c : all) idx[c] = 0;
    while (true) {
        std::complex<long double> term = 1;
        for (std::size_t o = 0; o < labels.size(); ++o) {
            hoc::index_t flat = 0;
            for (std::size_t i = 0; i < labels[o].size(); ++i)
                flat = flat * shapes[o][i] + (shapes[o][i] == 1 ? 0 : idx[labels[o][i]]);
            term *= operand(o, flat);
        }
        hoc::index_t of = 0;
        for (char c : out) of = of * size[c] + idx[c];
        r.value[static_cast<std::size_t>(of)] += term;
        r.abs_sum[static_cast<std::size_t>(of)] += std::abs(term);
        std::size_t k = all.size();
        while (k > 0) {
            --k;
            if (++idx[all[k]] < size[all[k]]) break;
            idx[all[k]] = 0;
            if (k == 0) return r;
        }
        if (all.empty()) return r;
    }
}

}  // namespace einsum_ref

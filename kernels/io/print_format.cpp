// NumPy's array printing (numpy/core/arrayprint.py, default options), rebuilt
// on std::to_chars: to_chars gives the shortest digits that round-trip (what
// NumPy's Dragon4 "unique" mode prints) and correctly rounded fixed/scientific
// digits (what Dragon4 prints when the shortest digits exceed `precision`).
//
// Floats in an array share one notation and one width: scientific when the
// largest magnitude is >= 1e8, the smallest non-zero one < 1e-4, or their
// ratio > 1e3; positional otherwise, padded so the decimal points line up.
#include "hoc/io/print.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>

namespace hoc {
namespace detail {
namespace {

// A finite value as sign, decimal digits d0 d1 d2 ... and exponent: d0.d1d2... x 10^exp.
struct Digits {
    bool negative = false;
    std::string digits;
    int exp = 0;
};

Digits parse_scientific(std::string_view s) {
    Digits d;
    std::size_t i = 0;
    if (s[i] == '-') d.negative = true, ++i;
    for (; i < s.size() && s[i] != 'e'; ++i)
        if (s[i] != '.') d.digits += s[i];
    d.exp = std::stoi(std::string(s.substr(i + 1)));
    return d;
}

// Shortest round-trip digits, or (when they need more than `max_frac` digits
// after the leading one) the value correctly rounded to max_frac + 1 digits.
template <class F>
Digits scientific_digits(F x, int max_frac) {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
    Digits d = parse_scientific(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
    if (max_frac >= 0 && static_cast<int>(d.digits.size()) - 1 > max_frac) {
        r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific, max_frac);
        d = parse_scientific(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
        while (d.digits.size() > 1 && d.digits.back() == '0') d.digits.pop_back();
    }
    return d;
}

// A formatted finite number split at the decimal point (and at 'e').
struct Parts {
    std::string int_part;  // with the sign
    std::string frac;      // digits after the point
    std::string exp;       // "+05", "-123" (scientific only)
};

std::string sign_of(bool negative, bool plus) { return negative ? "-" : plus ? "+" : ""; }

// Dragon4 positional, unique digits, at most `precision` decimals, trailing
// zeros trimmed. `exact_integer` (Dragon4's min_digits = 0, as arrays print)
// writes the integer part's exact digits where the unique ones would end in
// padding zeros: float32 96931456 prints as "96931456." in an array, while its
// scalar str is "96931460.0".
template <class F>
Parts positional(F x, int precision, bool plus, bool exact_integer = false) {
    Digits d = scientific_digits(x, -1);
    const int frac_len = std::max(0, static_cast<int>(d.digits.size()) - 1 - d.exp);
    Parts p;
    if (precision >= 0 && frac_len > precision) {
        char buf[512];
        const auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed, precision);
        std::string_view s(buf, static_cast<std::size_t>(r.ptr - buf));
        const bool negative = !s.empty() && s[0] == '-';
        if (negative) s.remove_prefix(1);
        const std::size_t dot = s.find('.');
        p.int_part = sign_of(negative, plus) + std::string(s.substr(0, dot));
        p.frac = dot == std::string_view::npos ? "" : std::string(s.substr(dot + 1));
        while (!p.frac.empty() && p.frac.back() == '0') p.frac.pop_back();
        return p;
    }
    p.int_part = sign_of(d.negative, plus);
    const int n = static_cast<int>(d.digits.size());
    if (exact_integer && d.exp + 1 > n) {  // an integer wider than its unique digits
        char buf[512];
        const auto r = std::to_chars(buf, buf + sizeof buf, std::abs(x), std::chars_format::fixed, 0);
        p.int_part += std::string(buf, r.ptr);
        return p;
    }
    if (d.exp >= 0) {
        p.int_part += d.digits.substr(0, static_cast<std::size_t>(std::min(n, d.exp + 1)));
        if (n < d.exp + 1) p.int_part.append(static_cast<std::size_t>(d.exp + 1 - n), '0');
        if (n > d.exp + 1) p.frac = d.digits.substr(static_cast<std::size_t>(d.exp + 1));
    } else {
        p.int_part += '0';
        p.frac = std::string(static_cast<std::size_t>(-d.exp - 1), '0') + d.digits;
    }
    if (p.frac == "0") p.frac.clear();  // the value zero
    return p;
}

std::string exponent_text(int e, std::size_t min_digits) {
    std::string digits = std::to_string(std::abs(e));
    if (digits.size() < min_digits) digits.insert(0, min_digits - digits.size(), '0');
    return (e < 0 ? "-" : "+") + digits;
}

// Dragon4 scientific, unique digits, at most `precision` decimals, trailing zeros trimmed.
template <class F>
Parts scientific(F x, int precision, bool plus) {
    const Digits d = scientific_digits(x, precision);
    Parts p;
    p.int_part = sign_of(d.negative, plus) + d.digits.substr(0, 1);
    p.frac = d.digits.substr(1);
    p.exp = exponent_text(d.exp, 2);
    return p;
}

// NumPy's FloatingFormat (floatmode 'maxprec', sign '-' or '+').
template <class F>
std::vector<std::string> format_floats(std::span<const F> values, int precision, bool plus) {
    std::vector<F> finite;
    bool any_nonfinite = false, negative_inf = false;
    F max_abs = 0, min_abs = 0;
    bool any_nonzero = false;
    for (F v : values) {
        if (!std::isfinite(v)) {
            any_nonfinite = true;
            negative_inf = negative_inf || (std::isinf(v) && v < 0);
            continue;
        }
        finite.push_back(v);
        const F a = std::abs(v);
        if (a != 0) {
            max_abs = any_nonzero ? std::max(max_abs, a) : a;
            min_abs = any_nonzero ? std::min(min_abs, a) : a;
            any_nonzero = true;
        }
    }
    // The thresholds compare in double, the ratio is computed in F, as NumPy's scalars do.
    const bool exp_format =
        any_nonzero && (static_cast<double>(max_abs) >= 1e8 || static_cast<double>(min_abs) < 1e-4 ||
                        static_cast<double>(static_cast<F>(max_abs / min_abs)) > 1000.0);

    std::size_t pad_left = 0, pad_right = 0, frac_digits = 0, exp_digits = 0;
    std::vector<Parts> parts;
    parts.reserve(finite.size());
    for (F v : finite)
        parts.push_back(exp_format ? scientific(v, precision, plus) : positional(v, precision, plus, true));
    for (const Parts& p : parts) {
        pad_left = std::max(pad_left, p.int_part.size());
        frac_digits = std::max(frac_digits, p.frac.size());
        if (exp_format) exp_digits = std::max(exp_digits, p.exp.size() - 1);
    }
    if (!finite.empty()) pad_right = exp_format ? exp_digits + 2 + frac_digits : frac_digits;
    if (any_nonfinite) {
        const std::size_t neg = (plus || negative_inf) ? 1 : 0;
        const std::size_t offset = pad_right + 1;
        const std::size_t nan_need = 3 > offset ? 3 - offset : 0;
        const std::size_t inf_need = 3 + neg > offset ? 3 + neg - offset : 0;
        pad_left = std::max({pad_left, nan_need, inf_need});
    }
    const std::size_t width = pad_left + pad_right + 1;

    // In scientific notation NumPy prints every value with exactly frac_digits
    // decimals, continuing past the unique digits with the exact value's own
    // (Dragon4's min_digits): float32 1e-4 shows as 9.9999997e-05 next to 3.3333334e-01.
    if (exp_format)
        for (std::size_t i = 0; i < parts.size(); ++i) {
            char buf[64];
            const auto r = std::to_chars(buf, buf + sizeof buf, finite[i], std::chars_format::scientific,
                                         static_cast<int>(frac_digits));
            const Digits d = parse_scientific(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
            parts[i].int_part = sign_of(d.negative, plus) + d.digits.substr(0, 1);
            parts[i].frac = d.digits.substr(1);
            parts[i].exp = exponent_text(d.exp, 2);
        }

    std::vector<std::string> out;
    out.reserve(values.size());
    std::size_t next_finite = 0;
    for (F v : values) {
        std::string s;
        if (!std::isfinite(v)) {
            const std::string word = std::isnan(v) ? sign_of(false, plus) + "nan" : sign_of(v < 0, plus) + "inf";
            s.assign(width > word.size() ? width - word.size() : 0, ' ');
            s += word;
        } else {
            const Parts& p = parts[next_finite++];
            s.assign(pad_left - p.int_part.size(), ' ');
            s += p.int_part;
            s += '.';
            s += p.frac;
            if (exp_format) {
                s.append(frac_digits - p.frac.size(), '0');
                s += 'e';
                s += p.exp.substr(0, 1);
                s.append(exp_digits - (p.exp.size() - 1), '0');
                s += p.exp.substr(1);
            } else {
                s.append(pad_right - p.frac.size(), ' ');
            }
        }
        out.push_back(std::move(s));
    }
    return out;
}

template <class F>
std::vector<std::string> format_complex(std::span<const std::complex<F>> values, int precision) {
    std::vector<F> re, im;
    re.reserve(values.size()), im.reserve(values.size());
    for (const auto& z : values) re.push_back(z.real()), im.push_back(z.imag());
    const auto rs = format_floats<F>(re, precision, false);
    auto is = format_floats<F>(im, precision, true);
    std::vector<std::string> out;
    out.reserve(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        std::string& s = is[i];
        const std::size_t end = s.find_last_not_of(' ') + 1;  // 'j' goes before the padding
        out.push_back(rs[i] + s.substr(0, end) + 'j' + s.substr(end));
    }
    return out;
}

// str() of a NumPy float scalar: positional for 1e-4 <= |x| < 1e16 (and 0),
// scientific otherwise, shortest digits. `bare` drops a lone ".0" (complex parts).
template <class F>
std::string scalar_text(F x, bool bare) {
    if (std::isnan(x)) return "nan";
    if (std::isinf(x)) return x < 0 ? "-inf" : "inf";
    const double a = std::abs(static_cast<double>(x));
    if (a == 0 || (a >= 1e-4 && a < 1e16)) {
        const Parts p = positional(x, -1, false);
        if (p.frac.empty()) return bare ? p.int_part : p.int_part + ".0";
        return p.int_part + "." + p.frac;
    }
    const Parts p = scientific(x, -1, false);
    return p.int_part + (p.frac.empty() ? "" : "." + p.frac) + "e" + p.exp;
}

template <class F>
std::string complex_scalar_text(std::complex<F> z) {
    std::string im;
    if (std::isnan(z.imag())) im = "+nan";
    else im = (std::signbit(z.imag()) ? "" : "+") + scalar_text(z.imag(), true);
    if (z.real() == 0 && !std::signbit(z.real())) return (im[0] == '+' ? im.substr(1) : im) + "j";
    const std::string re = std::isnan(z.real()) ? "nan" : scalar_text(z.real(), true);
    return "(" + re + im + "j)";
}

// ---- layout (numpy's _formatArray) --------------------------------------------------

class Layout {
public:
    Layout(const Shape& shape, bool summarised, std::span<const std::string> words, const PrintOptions& o)
        : shape_(shape), words_(words), edge_(o.edgeitems), summarised_(summarised) {
        sub_len_ = shape;
        for (index_t ax = 0; ax < shape.size(); ++ax)
            if (summarised && shape[ax] > 2 * static_cast<index_t>(edge_)) sub_len_[ax] = 2 * edge_;
        sub_stride_ = contiguous_strides(sub_len_);
    }

    std::string operator()(const std::string& hanging, index_t width) const { return rec(0, 0, hanging, width); }

private:
    static void extend(std::string& s, std::string& line, const std::string& word, index_t width,
                       const std::string& prefix) {
        bool wrap = static_cast<index_t>(line.size() + word.size()) > width;
        if (line.size() <= prefix.size()) wrap = false;  // wrapping would not help
        if (wrap) {
            const std::size_t end = line.find_last_not_of(" \t\n");
            s.append(line, 0, end == std::string::npos ? 0 : end + 1);
            s += '\n';
            line = prefix;
        }
        line += word;
    }

    std::string rec(index_t axis, index_t off, const std::string& hanging, index_t width) const {
        const index_t axes_left = shape_.size() - axis;
        if (axes_left == 0) return words_[static_cast<std::size_t>(off)];
        const std::string next_hanging = hanging + ' ';
        const index_t next_width = width - 1;
        const index_t len = shape_[axis], sub = sub_len_[axis], stride = sub_stride_[axis];
        const bool show_summary = summarised_ && 2 * static_cast<index_t>(edge_) < len;
        const index_t leading = show_summary ? edge_ : 0;
        const index_t trailing = show_summary ? edge_ : len;
        auto item = [&](index_t k) { return rec(axis + 1, off + k * stride, next_hanging, next_width); };

        std::string s;
        if (axes_left == 1) {
            const index_t elem_width = width - 1;
            std::string line = hanging;
            for (index_t i = 0; i < leading; ++i) {
                extend(s, line, item(i), elem_width, hanging);
                line += ' ';
            }
            if (show_summary) {
                extend(s, line, "...", elem_width, hanging);
                line += ' ';
            }
            for (index_t i = trailing; i > 1; --i) {
                extend(s, line, item(sub - i), elem_width, hanging);
                line += ' ';
            }
            extend(s, line, item(sub - 1), elem_width, hanging);
            s += line;
        } else {
            const std::string line_sep(static_cast<std::size_t>(axes_left - 1), '\n');
            for (index_t i = 0; i < leading; ++i) s += hanging + item(i) + line_sep;
            if (show_summary) s += hanging + "..." + line_sep;
            for (index_t i = trailing; i > 1; --i) s += hanging + item(sub - i) + line_sep;
            s += hanging + item(sub - 1);
        }
        return "[" + s.substr(hanging.size()) + "]";
    }

    const Shape& shape_;
    std::span<const std::string> words_;
    int edge_;
    bool summarised_;
    Shape sub_len_;
    Strides sub_stride_;
};

}  // namespace

std::vector<std::string> format_elements(std::span<const float> v, const PrintOptions& o) {
    return format_floats(v, o.precision, false);
}
std::vector<std::string> format_elements(std::span<const double> v, const PrintOptions& o) {
    return format_floats(v, o.precision, false);
}
std::vector<std::string> format_elements(std::span<const std::complex<float>> v, const PrintOptions& o) {
    return format_complex(v, o.precision);
}
std::vector<std::string> format_elements(std::span<const std::complex<double>> v, const PrintOptions& o) {
    return format_complex(v, o.precision);
}
std::vector<std::string> format_elements(std::span<const std::int64_t> v, const PrintOptions&) {
    std::vector<std::string> out;
    out.reserve(v.size());
    std::size_t width = 0;
    for (std::int64_t x : v) {
        out.push_back(std::to_string(x));
        width = std::max(width, out.back().size());
    }
    for (auto& s : out) s.insert(0, width - s.size(), ' ');
    return out;
}
std::vector<std::string> format_elements(std::span<const bool> v, const PrintOptions&) {
    std::vector<std::string> out;
    out.reserve(v.size());
    for (bool b : v) out.push_back(b ? " True" : "False");
    return out;
}

std::string format_scalar(float v) { return scalar_text(v, false); }
std::string format_scalar(double v) { return scalar_text(v, false); }
std::string format_scalar(std::complex<float> v) { return complex_scalar_text(v); }
std::string format_scalar(std::complex<double> v) { return complex_scalar_text(v); }
std::string format_scalar(std::int64_t v) { return std::to_string(v); }
std::string format_scalar(bool v) { return v ? "True" : "False"; }

std::string layout_array(const Shape& shape, bool summarised, std::span<const std::string> words,
                         const PrintOptions& o) {
    return Layout(shape, summarised, words, o)(" ", o.linewidth);
}

}  // namespace detail
}  // namespace hoc

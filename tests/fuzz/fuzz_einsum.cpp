// libFuzzer target for einsum's subscript parser, planner and executor.
//
// Input: a few bytes choose the label extents, then the rest is the
// subscripts string. Operand shapes are derived from the string (one extent
// per letter, so most inputs are valid contractions), sometimes perturbed to
// reach the shape errors. Anything may throw std::invalid_argument (and its
// ShapeError); nothing may crash, hang, leak or trip the sanitizers. Small
// valid contractions are also run on all-ones int64 operands, where the
// output elements must add up to the product of every label's extent, and
// (one or two operands) hoc::einsum must agree with the library's executor.
#include <fuzzer/FuzzedDataProvider.h>
#include <hoc/hoc.hpp>

#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

constexpr std::size_t kMaxOperands = 12;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    const std::uint64_t extents_seed = in.ConsumeIntegral<std::uint64_t>();
    const std::uint32_t ellipsis_seed = in.ConsumeIntegral<std::uint32_t>();
    const std::uint8_t perturb = in.ConsumeIntegral<std::uint8_t>();
    const std::string subscripts = in.ConsumeRemainingBytesAsString();

    // One extent in 1..3 (sometimes 0) per letter, one per '...' axis.
    auto letter_extent = [&](char c) -> hoc::index_t {
        const unsigned l = static_cast<unsigned char>(c) % 21;
        return static_cast<hoc::index_t>((extents_seed >> (3 * l)) & 3);
    };
    std::vector<hoc::Shape> shapes(1);
    std::size_t ellipses = 0;
    try {
        for (std::size_t i = 0; i < subscripts.size(); ++i) {
            const char c = subscripts[i];
            if (c == '-' && i + 1 < subscripts.size() && subscripts[i + 1] == '>') break;
            if (c == ',') {
                if (shapes.size() == kMaxOperands) return 0;
                shapes.emplace_back();
            } else if (c == '.' && subscripts.compare(i, 3, "...") == 0) {
                const unsigned covered = (ellipsis_seed >> (2 * (ellipses++ % 16))) & 3;
                for (unsigned e = 0; e < covered; ++e) shapes.back().push_back(2 + (e & 1));
                i += 2;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                shapes.back().push_back(letter_extent(c));
            }
        }
    } catch (const std::invalid_argument&) {
        return 0;  // more than kMaxRank axes in one operand
    }
    // Sometimes change one extent or drop one axis, to reach the shape errors.
    if (perturb & 1) {
        hoc::Shape& s = shapes[(perturb >> 1) % shapes.size()];
        if (s.size() > 0) {
            if (perturb & 0x80) s.erase(0);
            else s[(perturb >> 4) % s.size()] += 1 + (perturb >> 5 & 1);
        }
    }

    try {
        const auto program = hoc::detail::einsum_program(subscripts, shapes);
        const hoc::EinsumPath path = hoc::detail::einsum_path_of(*program);
        if (path.naive_flops > 20000) return 0;
        std::vector<hoc::Tensor<std::int64_t>> operands;
        std::vector<hoc::TensorView<const std::int64_t>> views;
        for (const hoc::Shape& s : shapes) operands.emplace_back(s, std::int64_t{1});
        for (const auto& t : operands) views.push_back(t.view());
        const hoc::Shape& out_shape = hoc::detail::einsum_output_shape(*program);
        hoc::Tensor<std::int64_t> out(out_shape, std::int64_t{-7});
        hoc::detail::einsum_evaluate<std::int64_t>(
            *program, std::span<const hoc::TensorView<const std::int64_t>>(views), out.view());
        // Every index of every label contributes 1 to exactly one output element.
        const double n = static_cast<double>(shapes.size() > 1 ? shapes.size() - 1 : 1);
        const double expected = out.size() == 0 ? 0 : path.naive_flops / n;
        auto check = [&](const hoc::Tensor<std::int64_t>& t) {
            std::int64_t total = 0;
            for (hoc::index_t i = 0; i < t.size(); ++i) total += t.data()[i];
            if (static_cast<double>(total) != expected) std::abort();
        };
        check(out);
        // The public entry point (with its expression-engine fast paths) agrees.
        hoc::Tensor<std::int64_t> pub(out_shape, std::int64_t{-7});
        if (views.size() == 1) pub = hoc::einsum(subscripts, views[0]);
        if (views.size() == 2) pub = hoc::einsum(subscripts, views[0], views[1]);
        if (views.size() <= 2) {
            for (hoc::index_t i = 0; i < out.size(); ++i)
                if (pub.data()[i] != out.data()[i]) std::abort();
        }
    } catch (const std::invalid_argument&) {
        // Bad syntax or shapes: reported, as it should be.
    }
    return 0;
}

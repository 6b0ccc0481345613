// The compiled half of hoc::einsum: parsing, planning and execution live in
// the library (kernels/einsum/), so a user's translation unit only sees these
// declarations and the thin templates in hoc/linalg/einsum.hpp.
#pragma once

#include <complex>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hoc/core/config.hpp"
#include "hoc/core/shape.hpp"
#include "hoc/core/tensor_view.hpp"

namespace hoc {

// The element types einsum computes in: float and double contract on the
// GEMM; the integer and complex types run the same plan on strided loops.
template <class T>
concept EinsumElement = std::is_same_v<T, float> || std::is_same_v<T, double> ||
                        std::is_same_v<T, std::int32_t> || std::is_same_v<T, std::int64_t> ||
                        std::is_same_v<T, std::complex<float>> ||
                        std::is_same_v<T, std::complex<double>>;

// The contraction order chosen for a subscripts string and shapes, as
// numpy.einsum_path reports it: `path` lists the pairs contracted in turn,
// as positions in the operand list of that moment (the two are removed, the
// result is appended at the end); a single operand is the one step {0}.
struct EinsumPath {
    std::vector<std::vector<int>> path;
    double naive_flops = 0;      // multiply-adds of one nested loop over every label
    double optimized_flops = 0;  // multiply-adds of the chosen pairwise order
    index_t largest_intermediate = 0;  // elements
    std::string report;          // human-readable, like numpy.einsum_path's second value
};

namespace detail::einsum {
struct Program;
}

namespace detail {

// The parsed and planned program for these subscripts and operand shapes.
// Throws std::invalid_argument (bad syntax) or hoc::ShapeError (operands that
// do not fit the subscripts). Recent programs are cached per thread, so a
// loop over the same contraction parses and plans once.
std::shared_ptr<const einsum::Program> einsum_program(std::string_view subscripts,
                                                      std::span<const Shape> shapes);
const Shape& einsum_output_shape(const einsum::Program& p);
// ShapeError unless `shapes` are the shapes the program was planned for.
void einsum_check_shapes(const einsum::Program& p, std::span<const Shape> shapes);
EinsumPath einsum_path_of(const einsum::Program& p);

// Programs simple enough for the expression engine's one fused loop (SIMD
// for the user's target, in the user's translation unit): one operand copied
// or re-strided (transpose, diagonal), an element-wise or outer product of
// two, or everything summed to a scalar.
enum class EinsumFusedKind { none, copy, product, total };
struct EinsumFusedForm {
    EinsumFusedKind kind = EinsumFusedKind::none;
    Shape shape;  // the loop's shape: the output's (copy, product) or every label (total)
};
const EinsumFusedForm& einsum_fused_form(const einsum::Program& p);
// Strides that read operand `o` (of these strides) over the fused loop's shape.
Strides einsum_fused_strides(const einsum::Program& p, std::size_t o, const Strides& strides);

// Runs the program: dst (of the output shape, not overlapping any operand)
// receives the result. Instantiated in the library for every EinsumElement.
template <class T>
void einsum_evaluate(const einsum::Program& p, std::span<const TensorView<const T>> operands,
                     const TensorView<T>& dst);

}  // namespace detail
}  // namespace hoc

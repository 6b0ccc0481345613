// Which SIMD instruction set the GEMM kernels may use on this CPU.
// HOC_ARCH=generic|avx2|avx512 forces a lower one (never a higher one: that
// would fault), so tests can exercise every kernel the machine can run.
#pragma once

namespace hoc::dispatch {

enum class Isa { generic = 0, avx2 = 1, avx512 = 2 };

// The best ISA the CPU and the OS (saved register state) support.
Isa detected_isa();
// detected_isa(), lowered by HOC_ARCH if set; read once.
Isa default_isa();
const char* isa_name(Isa isa);
// Parses "generic" / "avx2" / "avx512"; returns false on anything else.
bool parse_isa(const char* name, Isa& out);

}  // namespace hoc::dispatch

// hoc's linear-algebra kernels compiled for avx512; see linalg_isa.inc.
#define HOC_SIMD_BYTES 64
#define HOC_KERNEL_TABLE kernel_table_avx512
#include "linalg/linalg_isa.inc"

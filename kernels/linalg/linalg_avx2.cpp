// hoc's linear-algebra kernels compiled for avx2; see linalg_isa.inc.
#define HOC_SIMD_BYTES 32
#define HOC_KERNEL_TABLE kernel_table_avx2
#include "linalg/linalg_isa.inc"

// hoc's linear-algebra kernels compiled for generic; see linalg_isa.inc.
#define HOC_SIMD_BYTES 16
#define HOC_KERNEL_TABLE kernel_table_generic
#include "linalg/linalg_isa.inc"

# Finds what hoc needs (TBB, xsimd) and, for tests and benchmarks only, the
# reference libraries (OpenBLAS, Eigen).
find_package(TBB REQUIRED)

# Debian's xsimd 8.1 CMake target links a bare `xtl` the package does not
# pull in (`cannot find -lxtl` on a fresh machine). xsimd is header-only:
# use its include directory and nothing else.
find_path(HOC_XSIMD_INCLUDE_DIR xsimd/xsimd.hpp REQUIRED)

find_library(HOC_OPENBLAS_LIBRARY NAMES openblas)
find_path(HOC_EIGEN_INCLUDE_DIR Eigen/Dense PATH_SUFFIXES eigen3)
if(HOC_OPENBLAS_LIBRARY AND HOC_EIGEN_INCLUDE_DIR)
  set(HOC_REFERENCE_LIBS_FOUND TRUE)
else()
  set(HOC_REFERENCE_LIBS_FOUND FALSE)
endif()

#!/usr/bin/env bash
# hoc's one setup/run script.
#   ./run.sh         install what is missing, build (Release), run the demo
#   ./run.sh test    install what is missing, build (Release), run the whole test suite
#   ./run.sh bench   ... and run the benchmark binaries (see docs/performance.md)
set -euo pipefail
cd "$(dirname "$0")"

packages=(cmake g++ libxsimd-dev libtbb-dev libgtest-dev libbenchmark-dev libopenblas-dev libeigen3-dev)

install_missing() {
    local missing=()
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    ((${#missing[@]} == 0)) && return 0
    echo "run.sh: installing ${missing[*]}"
    local sudo=()
    [[ $(id -u) -eq 0 ]] || sudo=(sudo)
    "${sudo[@]}" apt-get update
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
}

build() {
    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "$@"
    cmake --build build -j "$(nproc)"
}

install_missing
case "${1:-demo}" in
    demo) build -DHOC_BUILD_BENCHMARKS=ON && ./build/hoc_demo ;;
    test) build -DHOC_BUILD_BENCHMARKS=OFF && ctest --test-dir build --output-on-failure -j "$(nproc)" ;;
    bench)
        build -DHOC_BUILD_BENCHMARKS=ON
        # OpenBLAS is the anchor with its own CPU detection (AVX-512 kernels here).
        for b in build/bench/bench_*; do env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$b"; done ;;
    *) echo "usage: ./run.sh [demo|test|bench]" >&2; exit 2 ;;
esac

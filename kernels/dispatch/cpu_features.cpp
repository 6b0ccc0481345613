// CPU feature detection with cpuid + xgetbv: the CPU must support the
// instructions AND the OS must save the wider registers (XCR0), or using
// them faults.
#include "dispatch/cpu_features.hpp"

#include <cstdlib>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace hoc::dispatch {
namespace {

#if defined(__x86_64__) || defined(__i386__)
unsigned long long xcr0() {
    unsigned lo = 0, hi = 0;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (static_cast<unsigned long long>(hi) << 32) | lo;
}

Isa probe() {
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return Isa::generic;
    const bool fma = c & (1u << 12), osxsave = c & (1u << 27), avx = c & (1u << 28);
    if (!(fma && osxsave && avx)) return Isa::generic;
    const unsigned long long xcr = xcr0();
    if ((xcr & 0x6) != 0x6) return Isa::generic;  // XMM + YMM state
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return Isa::generic;
    const bool avx2 = b & (1u << 5), bmi2 = b & (1u << 8);
    if (!(avx2 && bmi2)) return Isa::generic;
    const bool f = b & (1u << 16), dq = b & (1u << 17), bw = b & (1u << 30), vl = b & (1u << 31);
    const bool zmm_state = (xcr & 0xe6) == 0xe6;  // opmask + ZMM_Hi256 + Hi16_ZMM
    if (f && dq && bw && vl && zmm_state) return Isa::avx512;
    return Isa::avx2;
}
#else
Isa probe() { return Isa::generic; }
#endif

}  // namespace

Isa detected_isa() {
    static const Isa isa = probe();
    return isa;
}

bool parse_isa(const char* name, Isa& out) {
    if (!name) return false;
    if (std::strcmp(name, "generic") == 0) out = Isa::generic;
    else if (std::strcmp(name, "avx2") == 0) out = Isa::avx2;
    else if (std::strcmp(name, "avx512") == 0) out = Isa::avx512;
    else return false;
    return true;
}

Isa default_isa() {
    static const Isa isa = [] {
        Isa best = detected_isa(), forced;
        if (parse_isa(std::getenv("HOC_ARCH"), forced) && forced < best) return forced;
        return best;
    }();
    return isa;
}

const char* isa_name(Isa isa) {
    switch (isa) {
        case Isa::avx512: return "avx512";
        case Isa::avx2: return "avx2";
        default: return "generic";
    }
}

}  // namespace hoc::dispatch

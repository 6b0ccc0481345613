#!/usr/bin/python3
"""Regenerates the NumPy-printed expectations in tests/test_print.cpp (between
the GENERATED markers): `/usr/bin/python3 tests/data/make_print_cases.py`.

Each case is a NumPy expression; the script writes the C++ that builds the same
array (its exact values, or a hoc expression for the large ones) and the text
`print(a)` shows, with the Python in a comment above it."""
import os
import re
import numpy as np

nan, inf = np.nan, np.inf
f32, i32, i64, c64 = np.float32, np.int32, np.int64, np.complex64
rng = np.random.default_rng(7)
R = {  # random inputs, drawn once so every case sees fixed values
    "normal34": rng.standard_normal((3, 4)),
    "normal34_f32": rng.standard_normal((3, 4)).astype(f32),
    "wide": rng.standard_normal(8) * 10.0 ** rng.integers(-12, 12, 8),
    "cplx": rng.standard_normal(5) + 1j * rng.standard_normal(5),
}

# (numpy expression, optional hoc expression when the literal would be long)
CASES = [
    ("np.array([[1., 2.], [3., 4.]])", None),
    ("np.array([1.5, 2.0])", None),
    ("np.array([0.1, 0.25, -3.0])", None),
    ("np.array([[-1.5, 2.], [3., -40.]])", None),
    ("np.array([1e-5, 1.0])", None),
    ("np.array([1e8, 1.0])", None),
    ("np.array([99999999.0, 1.0])", None),
    ("np.array([1.0, 1000.0])", None),
    ("np.array([1.0, 1001.0])", None),
    ("np.array([1e-4, 1.0])", None),
    ("np.array([1e-4, 0.1])", None),
    ("np.array([nan, inf, -inf])", None),
    ("np.array([nan, inf])", None),
    ("np.array([1.5, nan, -inf, 2.])", None),
    ("np.array([1e-5, nan, inf])", None),
    ("np.array([-0.0, 0.0])", None),
    ("np.array([0.0, 0.0])", None),
    ("np.array([1/3, 2/3, 1e-3])", None),
    ("np.array([123456789.0, 1.0])", None),
    ("np.array([1e300, -1e-300])", None),
    ("np.array([2.0**-9, 0.5])", None),
    ("np.array([0.123456785, 1.0])", None),
    ("np.array([12345678.123456789])", None),
    ("np.array([0.99999999999, 1.5])", None),
    ("np.array([5e-324, 1.0])", None),
    ("np.array([1.7976931348623157e308, -1.0])", None),
    ("np.array([np.pi, np.e * 100, -1/7])", None),
    ("R['normal34']", None),
    ("R['wide']", None),
    ("np.array([0.1, 0.2, 0.3], dtype=f32)", None),
    ("np.array([1/3, 1e-4, 3e38], dtype=f32)", None),
    ("np.array([1e-4], dtype=f32)", None),
    ("np.array([1.0, 1000.0001], dtype=f32)", None),
    ("np.array([16777217.0, 0.5], dtype=f32)", None),
    ("R['normal34_f32']", None),
    ("np.array([96931456.0, -12345679.0], dtype=f32)", None),
    ("np.array([3e7, 1e7 + 1], dtype=f32)", None),
    ("np.array(96931456.0, dtype=f32)", None),
    ("np.array([1, -20, 300], dtype=i32)", None),
    ("np.array([[1, 2], [30, -4]], dtype=i64)", None),
    ("np.array([2**62, -5], dtype=i64)", None),
    ("np.array([True, False])", None),
    ("np.array([[True], [False]])", None),
    ("np.array([1+2j, 3-1j])", None),
    ("np.array([1.5+0j, -2.25+1e-3j])", None),
    ("np.array([1e-5+2j, 3.5-1j, nan+1j])", None),
    ("np.array([complex(inf, -1), complex(0, nan), complex(-inf, inf)])", None),
    ("np.array([0.1+0.2j, -1j], dtype=c64)", None),
    ("R['cplx']", None),
    ("np.array(1.5)", None),
    ("np.array(1.0)", None),
    ("np.array(-0.0)", None),
    ("np.array(1e16)", None),
    ("np.array(1e15)", None),
    ("np.array(1.5e-5)", None),
    ("np.array(0.0001)", None),
    ("np.array(0.1, dtype=f32)", None),
    ("np.array(1e-5, dtype=f32)", None),
    ("np.array(nan)", None),
    ("np.array(-inf)", None),
    ("np.array(5, dtype=i32)", None),
    ("np.array(True)", None),
    ("np.array(1+2j)", None),
    ("np.array(2j)", None),
    ("np.array(complex(1, -0.0))", None),
    ("np.array(complex(-0.0, -1))", None),
    ("np.array(complex(1e20, 1e-20))", None),
    ("np.array(complex(nan, nan))", None),
    ("np.array(0.0001j, dtype=c64)", None),
    ("np.zeros((0,))", None),
    ("np.zeros((2, 0))", None),
    ("np.zeros((0, 3))", None),
    ("np.zeros((2, 0, 3), dtype=i32)", None),
    ("np.array([[[1.5]]])", None),
    ("np.ones((1, 3, 1))", None),
    ("np.arange(24.0).reshape(2, 3, 4)", "hoc::arange<double>(24).reshape(Shape{2, 3, 4})"),
    ("np.arange(16, dtype=i64).reshape(2, 2, 2, 2)", "hoc::arange<std::int64_t>(16).reshape(Shape{2, 2, 2, 2})"),
    ("np.arange(32.0).reshape(2, 1, 2, 2, 2, 2) - 30", None),
    ("np.arange(30.0) / 7", None),
    ("np.linspace(0, 1, 40)", None),
    ("np.arange(60.0).reshape(2, 30) / 7", None),
    ("np.arange(100, dtype=i64) * 10**15", None),
    ("np.arange(20) * (1+1j)", None),
    ("np.arange(2000.0)", "hoc::arange<double>(2000)"),
    ("np.arange(1001, dtype=i64)", "hoc::arange<std::int64_t>(1001)"),
    ("np.arange(1000.0)", "hoc::arange<double>(1000)"),
    ("np.arange(3000.0).reshape(30, 100)", "hoc::arange<double>(3000).reshape(Shape{30, 100})"),
    ("np.arange(1200, dtype=i32).reshape(2, 600)", "hoc::arange<std::int32_t>(1200).reshape(Shape{2, 600})"),
    ("np.arange(2000.0).reshape(10, 10, 20) / 3", "divided_ramp(Shape{10, 10, 20}, 3.0)"),
    ("np.arange(1200.0).reshape(2, 3, 200)", "hoc::arange<double>(1200).reshape(Shape{2, 3, 200})"),
    ("np.arange(1100) % 3 == 0", "every_third(1100)"),
    ("np.arange(1010) * (1-2j)", "complex_ramp(1010)"),
    ("np.arange(2000.0)[::-1] * 1e-5", "reversed_scaled(2000, 1e-5)"),
    # print options other than the defaults (numpy.array2string's arguments)
    ("np.array([np.pi, 1.0, -2.5])", None, dict(precision=3)),
    ("np.array([np.pi * 1e-6, 1.0])", None, dict(precision=2)),
    ("np.arange(12.0) / 7", None, dict(max_line_width=30)),
    ("np.arange(20, dtype=i64).reshape(4, 5)", None, dict(threshold=10, edgeitems=1)),
    ("np.arange(50.0)", None, dict(threshold=20, edgeitems=2)),
]


def cpp_scalar(v, kind):
    if kind == "b":
        return "true" if v else "false"
    if kind in "iu":
        return str(int(v)) + ("LL" if kind == "i" and abs(int(v)) > 2**31 - 1 else "")
    v = float(v)
    if np.isnan(v):
        return "NAN"
    if np.isinf(v):
        return "INFINITY" if v > 0 else "-INFINITY"
    s = repr(v)
    return s


CPP_TYPE = {"float64": "double", "float32": "float", "int32": "std::int32_t", "int64": "std::int64_t",
            "bool": "bool", "complex128": "std::complex<double>", "complex64": "std::complex<float>"}


def cpp_build(a):
    t = CPP_TYPE[a.dtype.name]
    shape = "Shape{" + ", ".join(str(d) for d in a.shape) + "}"
    flat = a.ravel()
    if a.dtype.kind == "c":
        cast = "float" if a.dtype == c64 else "double"
        vals = ", ".join("%s(%s, %s)" % (t, cpp_scalar(z.real, "f"), cpp_scalar(z.imag, "f")) for z in flat)
    else:
        vals = ", ".join(cpp_scalar(v, a.dtype.kind) for v in flat)
    return "make<%s>(%s, {%s})" % (t, shape, vals)


def cpp_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


lines = []
CPP_OPTION = {"precision": "precision", "max_line_width": "linewidth", "threshold": "threshold",
              "edgeitems": "edgeitems"}
for case in CASES:
    py, hoc_expr = case[0], case[1]
    opts = case[2] if len(case) > 2 else None
    a = eval(py)
    build = hoc_expr if hoc_expr else cpp_build(a)
    if opts:
        text = np.array2string(a, **opts)
        args = ", ".join("%s=%r" % kv for kv in opts.items())
        lines.append("    // np.array2string(%s, %s)" % (py, args))
        order = ["precision", "max_line_width", "threshold", "edgeitems"]
        init = ", ".join(".%s = %d" % (CPP_OPTION[k], opts[k]) for k in order if k in opts)
        lines.append("    EXPECT_EQ(str(%s, hoc::PrintOptions{%s}),\n              %s);" % (build, init, cpp_string(text)))
    else:
        text = str(a)
        lines.append("    // print(%s)" % py)
        lines.append("    EXPECT_EQ(str(%s),\n              %s);" % (build, cpp_string(text)))

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test_print.cpp")
src = open(path).read()
begin, end = "    // BEGIN GENERATED by tests/data/make_print_cases.py\n", "    // END GENERATED\n"
i, j = src.index(begin) + len(begin), src.index(end)
open(path, "w").write(src[:i] + "\n".join(lines) + "\n" + src[j:])
print("wrote %d cases" % len(CASES))

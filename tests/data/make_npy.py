#!/usr/bin/python3
"""Writes the small .npy files tests/test_npy.cpp reads (run with Debian's
/usr/bin/python3, which has numpy: `/usr/bin/python3 tests/data/make_npy.py`).

Each array's values follow a formula the C++ test recomputes, so the test
checks hoc against NumPy's bytes, not against itself."""
import os
import numpy as np
from numpy.lib import format as npf

here = os.path.dirname(os.path.abspath(__file__))


def save(name, a, version=None):
    path = os.path.join(here, name)
    if version is None:
        np.save(path, a)  # numpy picks v1.0 (C or Fortran order as the array is)
    else:
        with open(path, "wb") as f:
            npf.write_array(f, a, version=version)


# v[i] = 1.5 * i - 2 in C order
save("f8_2x3.npy", (np.arange(6, dtype="<f8") * 1.5 - 2).reshape(2, 3))
save("f4_5.npy", np.array([0.5, -1.25, 3.0e38, 1.0e-7, -0.0], dtype="<f4"))
save("f8_special.npy", np.array([np.nan, np.inf, -np.inf, -0.0, 5e-324], dtype="<f8"))
save("i4_big_2x2.npy", np.array([[1, -2], [3, 2**31 - 1]], dtype=">i4"))
# C-order values i (row-major index), stored column-major: fortran_order True
save("i8_fortran_3x4.npy", np.asfortranarray(np.arange(12, dtype="<i8").reshape(3, 4) - 5))
save("f4_fortran_2x3x4.npy", np.asfortranarray(np.arange(24, dtype="<f4").reshape(2, 3, 4) / 4))
save("f8_big_fortran_2x3.npy", np.asfortranarray(np.arange(6, dtype=">f8").reshape(2, 3) + 0.25))
save("b1_5.npy", np.array([True, False, False, True, True]))
save("c8_3.npy", np.array([1 + 2j, -3.5 - 0.5j, 0 - 1j], dtype="<c8"))
save("c16_big_2x2.npy", np.array([[1 + 1j, 2 - 2j], [-3 + 0.5j, 4e100 - 1e-100j]], dtype=">c16"))
save("f8_scalar.npy", np.array(3.25))
save("f8_empty_0x3.npy", np.zeros((0, 3)))
# v[i] = i in C order
save("f8_6d.npy", np.arange(24, dtype="<f8").reshape(2, 1, 3, 1, 2, 2))
save("i8_v2_4.npy", np.array([10, -20, 30, -40], dtype="<i8"), version=(2, 0))
save("f4_v3_2x2.npy", np.array([[1, 2], [3, 4]], dtype="<f4"), version=(3, 0))
save("u2_3.npy", np.array([1, 2, 3], dtype="<u2"))  # a dtype hoc does not hold

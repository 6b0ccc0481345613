// hoc's dense linear algebra beyond products (numpy.linalg): inv, solve, det by
// LU with partial pivoting; eig (general real) and eigh (symmetric). Front ends
// are thin; the algorithms are compiled in kernels/linalg/.
#pragma once

#include "hoc/linalg/det.hpp"
#include "hoc/linalg/inv.hpp"
#include "hoc/linalg/solve.hpp"
#include "hoc/linalg/eig.hpp"
#include "hoc/linalg/eigh.hpp"

// Aggregate header of hoc/io: NumPy-style printing and .npy files.
#pragma once

#include "hoc/core.hpp"
#include "hoc/io/npy.hpp"
#include "hoc/io/print.hpp"

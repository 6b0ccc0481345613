// Aggregate header of hoc/expr (filled in as the area lands).
#pragma once

#include "hoc/core.hpp"

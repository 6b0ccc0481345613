// Aggregate header of hoc/linalg (filled in as the area lands).
#pragma once

#include "hoc/core.hpp"

// Aggregate header of hoc/io (filled in as the area lands).
#pragma once

#include "hoc/core.hpp"

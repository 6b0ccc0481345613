// Placeholder: filled in by its issue.
#pragma once

#include "hoc/core.hpp"

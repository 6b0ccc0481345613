// hoc's core: Shape, Tensor, TensorView, views, creation, errors, threads.
#pragma once

#include "hoc/core/computation.hpp"
#include "hoc/core/config.hpp"
#include "hoc/core/creation.hpp"
#include "hoc/core/random.hpp"
#include "hoc/core/errors.hpp"
#include "hoc/core/shape.hpp"
#include "hoc/core/tensor.hpp"
#include "hoc/core/tensor_view.hpp"
#include "hoc/core/threads.hpp"

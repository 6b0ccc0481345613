// hoc's exceptions: ShapeError for shapes that do not fit, LinAlgError for
// numerical failures. Other bad arguments are std::invalid_argument.
#pragma once

#include <stdexcept>
#include <string>

namespace hoc {

class ShapeError : public std::invalid_argument {
public:
    explicit ShapeError(const std::string& what) : std::invalid_argument(what) {}
};

class LinAlgError : public std::runtime_error {
public:
    explicit LinAlgError(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace hoc

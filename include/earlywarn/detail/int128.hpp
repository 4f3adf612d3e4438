#pragma once
// 128-bit integers for exact intermediate products; the one place that names
// the GCC/Clang extension, so -Wpedantic stays quiet for users.

#include "earlywarn/detail/compiler.hpp"

namespace earlywarn::detail {
__extension__ typedef __int128 int128;
}  // namespace earlywarn::detail

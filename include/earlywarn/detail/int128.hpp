#pragma once
// 128-bit integers for exact intermediate products; the one place that names
// the GCC/Clang extension, so -Wpedantic stays quiet for users.

namespace earlywarn::detail {
__extension__ typedef __int128 int128;
}  // namespace earlywarn::detail

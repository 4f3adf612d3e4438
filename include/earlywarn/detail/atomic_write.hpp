#pragma once
// Replacing a file so that a crash leaves the old bytes or the new, whole: the
// system calls are in src/files/atomic_write.cpp (earlywarn::rules).

#include <optional>
#include <string>
#include <string_view>

namespace earlywarn::detail {

/// Replaces the file at `path` with `bytes` through `path + ".tmp"`: written,
/// synced, renamed over `path`, and the rename made durable (on POSIX by a
/// sync of the directory, on Windows by a write-through move). Returns an
/// error message, or nothing on success.
std::optional<std::string> write_atomically(const std::string& path, std::string_view bytes);

}  // namespace earlywarn::detail

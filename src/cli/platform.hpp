#pragma once
// The operating system as the CLI needs it, POSIX or Windows: the terminal,
// the reload signal, a sudden stop, and the alerts file of `earlywarn stream`.
// Paths are names as the C library takes them.

#include <cstdint>
#include <string>
#include <string_view>

namespace earlywarn::cli::platform {

/// Makes stdin and stdout carry bytes unchanged, as on POSIX: on Windows
/// they would turn "\n" into "\r\n" and end input at a Ctrl-Z byte.
void binary_standard_streams();

/// Whether stderr is a terminal that shows progress lines ("\r\033[K").
bool stderr_is_terminal();

/// Calls `handler` (which may only set a flag) on SIGHUP, restarting
/// interrupted reads. Returns false where there is no SIGHUP (Windows).
bool on_reload_signal(void (*handler)(int));

/// Ends the process at once, as a power cut would: nothing is flushed.
void stop_now();

/// Whether something exists at `path`.
bool exists(const std::string& path);

/// A file written at its end, synced, and cut back to a length: where
/// `earlywarn stream` writes alerts. On failure a call returns false and
/// leaves the reason in errno.
class alerts_file {
 public:
  alerts_file() = default;
  alerts_file(const alerts_file&) = delete;
  alerts_file& operator=(const alerts_file&) = delete;
  ~alerts_file();

  /// Opens `path` for writing, creating it when missing.
  bool open(const std::string& path);
  bool is_open() const { return fd_ >= 0; }
  /// Cuts the file to `bytes` and writes after them.
  bool resize(std::uint64_t bytes);
  /// Writes all of `text`.
  bool write(std::string_view text);
  /// Makes everything written durable.
  bool sync();

 private:
  int fd_ = -1;
};

}  // namespace earlywarn::cli::platform

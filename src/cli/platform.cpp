#include "platform.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>

#ifdef _WIN32
#include <io.h>
#include <windows.h>
#else
#include <unistd.h>
#endif

namespace earlywarn::cli::platform {

#ifdef _WIN32

void binary_standard_streams() {
  ::_setmode(::_fileno(stdin), _O_BINARY);
  ::_setmode(::_fileno(stdout), _O_BINARY);
}

// A console shows the progress line's escapes only with virtual terminal
// processing on (Windows 10 and later); without it, no progress line.
bool stderr_is_terminal() {
  if (::_isatty(::_fileno(stderr)) == 0) return false;
  HANDLE console = ::GetStdHandle(STD_ERROR_HANDLE);
  DWORD mode = 0;
  if (!::GetConsoleMode(console, &mode)) return false;
  return (mode & ENABLE_VIRTUAL_TERMINAL_PROCESSING) != 0 ||
         ::SetConsoleMode(console, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING) != 0;
}

// Windows has no SIGHUP: a stream takes other rules when restarted.
bool on_reload_signal(void (*)(int)) { return false; }

void stop_now() { ::TerminateProcess(::GetCurrentProcess(), 9); }

bool exists(const std::string& path) { return ::_access(path.c_str(), 0) == 0; }

alerts_file::~alerts_file() {
  if (fd_ >= 0) ::_close(fd_);
}

bool alerts_file::open(const std::string& path) {
  fd_ = ::_open(path.c_str(), _O_RDWR | _O_CREAT | _O_BINARY | _O_NOINHERIT, _S_IREAD | _S_IWRITE);
  return fd_ >= 0;
}

bool alerts_file::resize(std::uint64_t bytes) {
  const auto length = static_cast<long long>(bytes);
  if (const errno_t error = ::_chsize_s(fd_, length); error != 0) {
    errno = error;
    return false;
  }
  return ::_lseeki64(fd_, 0, SEEK_END) == length;
}

bool alerts_file::write(std::string_view text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const std::size_t left = text.size() - done;
    const int n =
        ::_write(fd_, text.data() + done, static_cast<unsigned>(left < INT_MAX ? left : INT_MAX));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool alerts_file::sync() { return ::_commit(fd_) == 0; }

#else

void binary_standard_streams() {}

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

bool on_reload_signal(void (*handler)(int)) {
  struct sigaction on_hangup {};
  on_hangup.sa_handler = handler;
  on_hangup.sa_flags = SA_RESTART;
  ::sigemptyset(&on_hangup.sa_mask);
  return ::sigaction(SIGHUP, &on_hangup, nullptr) == 0;
}

void stop_now() { ::raise(SIGKILL); }

bool exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

alerts_file::~alerts_file() {
  if (fd_ >= 0) ::close(fd_);
}

bool alerts_file::open(const std::string& path) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  return fd_ >= 0;
}

bool alerts_file::resize(std::uint64_t bytes) {
  return ::ftruncate(fd_, static_cast<off_t>(bytes)) == 0 &&
         ::lseek(fd_, 0, SEEK_END) == static_cast<off_t>(bytes);
}

bool alerts_file::write(std::string_view text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool alerts_file::sync() { return ::fsync(fd_) == 0; }

#endif

}  // namespace earlywarn::cli::platform

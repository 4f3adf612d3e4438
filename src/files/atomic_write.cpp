#include "earlywarn/detail/atomic_write.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>

#ifdef _WIN32
#include <io.h>
#include <windows.h>
#else
#include <unistd.h>
#endif

namespace earlywarn::detail {

#ifdef _WIN32

namespace {

// The system's text for a Win32 error code, without its line break.
std::string system_message(DWORD code) {
  char* text = nullptr;
  const DWORD length = ::FormatMessageA(
      FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
      nullptr, code, 0, reinterpret_cast<char*>(&text), 0, nullptr);
  std::string out = length > 0 ? std::string(text, length) : "error " + std::to_string(code);
  if (text != nullptr) ::LocalFree(text);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r' || out.back() == '.'))
    out.pop_back();
  return out;
}

}  // namespace

// Names go to the C library and the ANSI Win32 calls alike, so both read them
// in the process's code page (file_bytes.cpp). _commit is FlushFileBuffers;
// the move's write-through stands in for the directory sync POSIX needs.
std::optional<std::string> write_atomically(const std::string& path, std::string_view bytes) {
  const std::string temporary = path + ".tmp";
  const int fd =
      ::_open(temporary.c_str(), _O_WRONLY | _O_CREAT | _O_TRUNC | _O_BINARY | _O_NOINHERIT,
              _S_IREAD | _S_IWRITE);
  if (fd < 0) return "cannot write " + temporary + ": " + std::strerror(errno);
  std::size_t written = 0;
  while (written < bytes.size()) {
    const std::size_t left = bytes.size() - written;
    const int n = ::_write(fd, bytes.data() + written,
                           static_cast<unsigned>(left < INT_MAX ? left : INT_MAX));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string reason = std::strerror(errno);
      ::_close(fd);
      return "cannot write " + temporary + ": " + reason;
    }
    written += static_cast<std::size_t>(n);
  }
  if (::_commit(fd) != 0 || ::_close(fd) != 0)
    return "cannot sync " + temporary + ": " + std::strerror(errno);
  if (!::MoveFileExA(temporary.c_str(), path.c_str(),
                     MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
    return "cannot replace " + path + ": " + system_message(::GetLastError());
  return std::nullopt;
}

#else

std::optional<std::string> write_atomically(const std::string& path, std::string_view bytes) {
  const std::string temporary = path + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return "cannot write " + temporary + ": " + std::strerror(errno);
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string reason = std::strerror(errno);
      ::close(fd);
      return "cannot write " + temporary + ": " + reason;
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0)
    return "cannot sync " + temporary + ": " + std::strerror(errno);
  if (::rename(temporary.c_str(), path.c_str()) != 0)
    return "cannot replace " + path + ": " + std::strerror(errno);
  const std::size_t slash = path.find_last_of('/');
  const std::string directory = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  const int dir = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return std::nullopt;
}

#endif

}  // namespace earlywarn::detail

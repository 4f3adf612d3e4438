#include "earlywarn/detail/file_bytes.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#ifdef _WIN32
#include <io.h>
#include <windows.h>
#else
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace earlywarn::detail {

namespace {
// At most `size` bytes of `fd` into `into`: their count, 0 at the end, or -1.
long read_some(int fd, char* into, unsigned size) {
#ifdef _WIN32
  return ::_read(fd, into, size);
#else
  return static_cast<long>(::read(fd, into, size));
#endif
}
}  // namespace

bool file_bytes::read_all(int fd, std::string& error) {
  char chunk[1 << 16];
  for (;;) {
    const long n = read_some(fd, chunk, sizeof chunk);
    if (n == 0) return true;
    if (n < 0) {
      if (errno == EINTR) continue;
      error = std::strerror(errno);
      return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

#ifdef _WIN32

// The C library's open, as for every other path the library takes (rules
// files go through std::ifstream): names are in the process's code page,
// which is UTF-8 for the CLI (its manifest), and errors are errno's texts.
// A mapped file cannot be replaced until its view is gone: callers keep a
// checkpoint's bytes only while they read them.

file_bytes::~file_bytes() {
  if (map_ != nullptr) ::UnmapViewOfFile(map_);
}

bool file_bytes::open(const std::string& path, std::string& error) {
  const int fd = ::_open(path.c_str(), _O_RDONLY | _O_BINARY | _O_NOINHERIT);
  if (fd < 0) {
    const int reason = errno;
    struct _stat64 st {};
    // Windows refuses to open a directory as a file: say what POSIX says.
    if (reason == EACCES && ::_stat64(path.c_str(), &st) == 0 && (st.st_mode & _S_IFDIR) != 0)
      error = "is a directory";
    else
      error = std::strerror(reason);
    return false;
  }
  struct _stat64 st {};
  bool ok = ::_fstat64(fd, &st) == 0;
  if (ok && (st.st_mode & _S_IFMT) == _S_IFREG && st.st_size > 0) {
    size_ = static_cast<std::size_t>(st.st_size);
    const auto file = reinterpret_cast<HANDLE>(::_get_osfhandle(fd));
    // The view holds the mapping open after its handle is closed.
    HANDLE mapping = ::CreateFileMappingW(file, nullptr, PAGE_READONLY, 0, 0, nullptr);
    if (mapping != nullptr) {
      map_ = ::MapViewOfFile(mapping, FILE_MAP_READ, 0, 0, size_);
      ::CloseHandle(mapping);
    }
    if (map_ == nullptr) {
      size_ = 0;
      ok = read_all(fd, error);
    }
  } else if (ok) {
    ok = read_all(fd, error);
  } else {
    error = std::strerror(errno);
  }
  ::_close(fd);
  return ok;
}

#else

file_bytes::~file_bytes() {
  if (map_ != nullptr) ::munmap(map_, size_);
}

bool file_bytes::open(const std::string& path, std::string& error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = std::strerror(errno);
    return false;
  }
  struct stat st {};
  bool ok = ::fstat(fd, &st) == 0;
  if (ok && S_ISDIR(st.st_mode)) {
    error = "is a directory";
    ok = false;
  } else if (ok && S_ISREG(st.st_mode) && st.st_size > 0) {
    size_ = static_cast<std::size_t>(st.st_size);
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      size_ = 0;
      ok = read_all(fd, error);
    } else {
      map_ = p;
      ::madvise(map_, size_, MADV_SEQUENTIAL);
    }
  } else if (ok) {
    ok = read_all(fd, error);
  } else {
    error = std::strerror(errno);
  }
  ::close(fd);
  return ok;
}

#endif

}  // namespace earlywarn::detail

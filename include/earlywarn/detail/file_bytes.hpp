#pragma once
// The bytes of a file: memory-mapped when it is a regular file, read otherwise
// (pipes, /dev/stdin), so a city ledger is never copied before parsing.

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

namespace earlywarn::detail {

class file_bytes {
 public:
  file_bytes() = default;
  file_bytes(const file_bytes&) = delete;
  file_bytes& operator=(const file_bytes&) = delete;
  file_bytes(file_bytes&& o) noexcept { *this = std::move(o); }
  file_bytes& operator=(file_bytes&& o) noexcept {
    std::swap(map_, o.map_);
    std::swap(size_, o.size_);
    std::swap(buffer_, o.buffer_);
    return *this;
  }
  ~file_bytes() {
    if (map_ != nullptr) ::munmap(map_, size_);
  }

  /// Opens `path`; on failure returns false and sets `error` to the reason.
  bool open(const std::string& path, std::string& error) {
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

  std::string_view view() const noexcept {
    return map_ != nullptr ? std::string_view(static_cast<const char*>(map_), size_)
                           : std::string_view(buffer_);
  }

 private:
  bool read_all(int fd, std::string& error) {
    char chunk[1 << 16];
    for (;;) {
      const ssize_t n = ::read(fd, chunk, sizeof chunk);
      if (n == 0) return true;
      if (n < 0) {
        if (errno == EINTR) continue;
        error = std::strerror(errno);
        return false;
      }
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  void* map_ = nullptr;
  std::size_t size_ = 0;
  std::string buffer_;
};

}  // namespace earlywarn::detail

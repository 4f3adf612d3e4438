#pragma once
// The bytes of a file: memory-mapped when it is a regular file, read otherwise
// (pipes, /dev/stdin), so a city ledger is never copied before parsing. The
// system calls are in src/files/file_bytes.cpp (earlywarn::rules), so that no
// user of the headers includes POSIX or Windows headers.

#include <cstddef>
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
  ~file_bytes();

  /// Opens `path` (a name as the C library takes it); on failure returns
  /// false and sets `error` to the reason.
  bool open(const std::string& path, std::string& error);

  /// The file's bytes, valid while this object lives.
  std::string_view view() const noexcept {
    return map_ != nullptr ? std::string_view(static_cast<const char*>(map_), size_)
                           : std::string_view(buffer_);
  }

 private:
  bool read_all(int fd, std::string& error);

  void* map_ = nullptr;
  std::size_t size_ = 0;
  std::string buffer_;
};

}  // namespace earlywarn::detail

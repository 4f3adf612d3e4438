#pragma once
// Progress for long runs, shown only when stderr is a terminal.

#include <chrono>
#include <cstdint>
#include <string>

namespace earlywarn::cli {

class progress_line {
 public:
  explicit progress_line(std::string label);
  ~progress_line();
  progress_line(const progress_line&) = delete;
  progress_line& operator=(const progress_line&) = delete;

  /// Shows `done` of `total` (at most ten times a second).
  void update(std::uint64_t done, std::uint64_t total);

  /// Shows `text` after the label (at most ten times a second): for work
  /// without a known total, like rows read from a pipe.
  void show(const std::string& text);

  /// Erases the line, if shown, before other output on stderr; the next
  /// update draws it again.
  void clear();

 private:
  bool due();

  std::string label_;
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace earlywarn::cli

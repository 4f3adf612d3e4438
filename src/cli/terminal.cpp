#include "terminal.hpp"

#include <cstdio>

#include "platform.hpp"

namespace earlywarn::cli {

progress_line::progress_line(std::string label)
    : label_(std::move(label)),
      enabled_(platform::stderr_is_terminal()),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

progress_line::~progress_line() { clear(); }

bool progress_line::due() {
  if (!enabled_) return false;
  const auto now = std::chrono::steady_clock::now();
  // Quick jobs stay quiet; long ones refresh ten times a second.
  if (now - start_ < std::chrono::milliseconds(300) || now - last_ < std::chrono::milliseconds(100))
    return false;
  last_ = now;
  return true;
}

void progress_line::update(std::uint64_t done, std::uint64_t total) {
  if (total == 0 || !due()) return;
  shown_ = true;
  std::fprintf(stderr, "\r%s: %3d%%", label_.c_str(), static_cast<int>(100 * done / total));
  std::fflush(stderr);
}

void progress_line::show(const std::string& text) {
  if (!due()) return;
  shown_ = true;
  std::fprintf(stderr, "\r\033[K%s: %s", label_.c_str(), text.c_str());
  std::fflush(stderr);
}

void progress_line::clear() {
  if (!shown_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace earlywarn::cli

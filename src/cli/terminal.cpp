#include "terminal.hpp"

#include <cstdio>

#include "platform.hpp"

namespace earlywarn::cli {

progress_line::progress_line(std::string label)
    : label_(std::move(label)),
      enabled_(platform::stderr_is_terminal()),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

progress_line::~progress_line() {
  if (shown_) std::fprintf(stderr, "\r\033[K");
}

void progress_line::update(std::uint64_t done, std::uint64_t total) {
  if (!enabled_ || total == 0) return;
  const auto now = std::chrono::steady_clock::now();
  // Quick jobs stay quiet; long ones refresh ten times a second.
  if (now - start_ < std::chrono::milliseconds(300) || now - last_ < std::chrono::milliseconds(100))
    return;
  last_ = now;
  shown_ = true;
  std::fprintf(stderr, "\r%s: %3d%%", label_.c_str(), static_cast<int>(100 * done / total));
  std::fflush(stderr);
}

}  // namespace earlywarn::cli

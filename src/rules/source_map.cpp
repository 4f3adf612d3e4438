#include "source_map.hpp"

#include <algorithm>

namespace earlywarn::rules_front {

source_map::source_map(std::string_view source) : source_(source), is_code_(source.size(), true) {
  for (std::size_t i = 0; i < source_.size(); ++i)
    if (source_[i] == '\n') line_starts_.push_back(i + 1);
  // Comments and strings are not code: their parentheses must not count when
  // a node's source text is widened to balance its parentheses.
  bool in_string = false;
  for (std::size_t i = 0; i < source_.size(); ++i) {
    const char c = source_[i];
    if (in_string) {
      is_code_[i] = false;
      if (c == '\\') {
        if (i + 1 < source_.size()) is_code_[++i] = false;
      } else if (c == '"' || c == '\n') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
      is_code_[i] = false;
    } else if (c == '#') {
      for (; i < source_.size() && source_[i] != '\n'; ++i) is_code_[i] = false;
    }
  }
}

// From line starts found once: locate() scans from the top of the file,
// which made compiling a thousand rules take seconds.
source_location source_map::locate_at(std::size_t offset) const {
  offset = std::min(offset, source_.size());
  const auto line = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset) - 1;
  source_location at = locate(source_.substr(*line), offset - *line);
  at.line = static_cast<std::uint32_t>(line - line_starts_.begin() + 1);
  return at;
}

std::pair<std::uint32_t, std::uint32_t> source_map::balanced(std::uint32_t b,
                                                             std::uint32_t e) const {
  auto is = [&](std::uint32_t i, char c) { return is_code_[i] && source_[i] == c; };
  int depth = 0, lowest = 0;
  for (std::uint32_t i = b; i < e; ++i) {
    if (is(i, '(')) ++depth;
    if (is(i, ')')) lowest = std::min(lowest, --depth);
  }
  for (int need = -lowest; need > 0 && b > 0;) {
    --b;
    if (is(b, '(')) --need;
    if (is(b, ')')) ++need;
  }
  for (int open = depth - lowest; open > 0 && e < source_.size(); ++e) {
    if (is(e, ')')) --open;
    if (is(e, '(')) ++open;
  }
  return {b, e};
}

// An offset, not a location: locating it scans its line, too slow to do for
// every operator of a long line when no error needs it.
std::size_t source_map::operator_after(std::size_t end) const {
  while (end < source_.size() &&
         (source_[end] == ' ' || source_[end] == '\t' || source_[end] == '\n' ||
          source_[end] == '\r' || source_[end] == ')'))
    ++end;
  return end;
}

}  // namespace earlywarn::rules_front

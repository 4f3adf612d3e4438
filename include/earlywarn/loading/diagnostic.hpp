#pragma once
/// \file diagnostic.hpp
/// Problems found in a rules file, as values, and their rendering (docs/language.md).

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "earlywarn/detail/utf8.hpp"

namespace earlywarn {

/// A position in a source text; line and column are 1-based, column counts
/// characters (not bytes), and 0 means "no position".
struct source_location {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

/// Whether a diagnostic stops the rules from loading.
enum class diagnostic_level : std::uint8_t { error, warning };

/// One problem in a rules file.
struct diagnostic {
  diagnostic_level level = diagnostic_level::error;
  source_location where;
  std::string message;
};

namespace detail {
inline bool is_utf8_continuation(char c) noexcept {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}
}  // namespace detail

/// The location of byte `offset` in `source`.
inline source_location locate(std::string_view source, std::size_t offset) noexcept {
  offset = std::min(offset, source.size());
  source_location loc{1, 1};
  for (std::size_t i = 0; i < offset; ++i) {
    if (source[i] == '\n') {
      ++loc.line;
      loc.column = 1;
    } else if (!detail::is_utf8_continuation(source[i])) {
      ++loc.column;
    }
  }
  return loc;
}

/// The text of line `line` (1-based) without its line break.
inline std::string_view source_line(std::string_view source, std::uint32_t line) noexcept {
  std::size_t begin = 0;
  for (std::uint32_t l = 1; l < line; ++l) {
    const std::size_t nl = source.find('\n', begin);
    if (nl == std::string_view::npos) return {};
    begin = nl + 1;
  }
  std::size_t end = source.find('\n', begin);
  if (end == std::string_view::npos) end = source.size();
  if (end > begin && source[end - 1] == '\r') --end;
  return source.substr(begin, end - begin);
}

/// How many characters of a source line a rendered diagnostic shows: of a
/// longer line, a window around the column, cut ends marked with `…`.
inline constexpr std::uint32_t shown_line_width = 160;

/// Renders `FILE:LINE:COL: error: message`, then the source line and a caret
/// under the column; without a position, just `FILE: error: message`.
inline std::string render(const diagnostic& d, std::string_view file_name,
                          std::string_view source) {
  std::string out(file_name);
  if (d.where.line > 0)
    out += ':' + std::to_string(d.where.line) + ':' + std::to_string(d.where.column);
  out += d.level == diagnostic_level::error ? ": error: " : ": warning: ";
  out += d.message;
  out += '\n';
  if (d.where.line == 0) return out;
  const std::string_view text = source_line(source, d.where.line);
  auto next = [&](std::size_t i) {
    const std::size_t length = detail::utf8_sequence_length(text, i);
    return i + (length == 0 ? 1 : length);
  };
  std::uint32_t characters = 0;
  for (std::size_t i = 0; i < text.size(); i = next(i)) ++characters;
  // The columns shown: all, or a window with a quarter of it before the caret.
  std::uint32_t first = 1, last = characters;
  if (characters > shown_line_width) {
    first = d.where.column > shown_line_width / 4 ? d.where.column - shown_line_width / 4 : 1;
    first = std::min(first, characters - shown_line_width + 1);
    last = first + shown_line_width - 1;
  }
  // Each byte that is not UTF-8 (or a control character) is shown as U+FFFD,
  // one column, as in the error that points at it: the report stays text.
  out += "  ";
  std::string caret = "\n  ";
  if (first > 1) {
    out += "\xE2\x80\xA6";
    caret += ' ';
  }
  std::uint32_t column = 1;
  for (std::size_t i = 0; i < text.size() && column <= last; i = next(i), ++column) {
    if (column < first) continue;
    const std::size_t length = next(i) - i;
    const auto byte = static_cast<unsigned char>(text[i]);
    if (detail::utf8_sequence_length(text, i) == 0 || (byte < 0x20 && byte != '\t') || byte == 0x7F)
      out += "\xEF\xBF\xBD";
    else
      out.append(text.substr(i, length));
    // Copy tabs so the caret lines up however the terminal expands them.
    if (column < d.where.column) caret += text[i] == '\t' ? '\t' : ' ';
  }
  if (last < characters) out += "\xE2\x80\xA6";
  out += caret;
  for (; column < d.where.column; ++column) out += ' ';
  out += "^\n";
  return out;
}

/// Edit distance counting a swap of two neighbouring letters as one edit
/// (optimal string alignment), so `hgih` is one edit from `high`.
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min(
          {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

/// Names longer than this get no suggestion: comparing them costs the product
/// of the lengths for every known name.
inline constexpr std::size_t max_suggested_name_length = 64;

/// The known name nearest to `unknown` if it is near enough to be a typo (at
/// most a third of its length in edits, at least one); empty otherwise, and for
/// names longer than max_suggested_name_length. Ties go to the alphabetically
/// first, so suggestions are deterministic.
inline std::string nearest_name(std::string_view unknown, const std::vector<std::string>& known) {
  if (unknown.size() > max_suggested_name_length) return {};
  const std::size_t limit = std::max<std::size_t>(1, unknown.size() / 3);
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const std::string& candidate : known) {
    // The distance is at least the difference in length.
    const std::size_t apart = candidate.size() > unknown.size() ? candidate.size() - unknown.size()
                                                                : unknown.size() - candidate.size();
    if (apart > limit) continue;
    const std::size_t d = edit_distance(unknown, candidate);
    if (d < best_distance || (d == best_distance && candidate < best)) {
      best = candidate;
      best_distance = d;
    }
  }
  return best_distance <= limit ? best : std::string();
}

}  // namespace earlywarn

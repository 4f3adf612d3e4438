#include "rules_text.hpp"

#include <cstdio>

#include "earlywarn/detail/utf8.hpp"
#include "earlywarn/loading/load_rules.hpp"

namespace earlywarn::rules_front {
namespace {

// Tab, line feed, vertical tab, form feed and carriage return are blanks;
// other control characters are not text.
bool is_control(unsigned char c) { return (c < 0x20 && (c < '\t' || c > '\r')) || c == 0x7F; }

std::string hex_byte(unsigned char c) {
  char out[5];
  std::snprintf(out, sizeof out, "0x%02X", c);
  return out;
}

}  // namespace

void drop_byte_order_mark(std::string& source) {
  if (source.starts_with("\xEF\xBB\xBF")) source.erase(0, 3);
}

bool check_rules_text(const std::string& source, std::vector<diagnostic>& out) {
  if (source.size() > max_rules_bytes) {
    out.push_back({diagnostic_level::error,
                   {},
                   "the rules text is " + std::to_string(source.size()) +
                       " bytes, more than the limit of " + std::to_string(max_rules_bytes) +
                       " (16 MiB): split it into several rulesets"});
    return false;
  }
  if (source.empty()) {
    out.push_back({diagnostic_level::error,
                   {},
                   "the rules file is empty: write at least one rule, like "
                   "rule late_rent { when arrears_days > 15 }"});
    return false;
  }
  const std::size_t before = out.size();
  source_location at{1, 1};
  bool line_reported = false;
  for (std::size_t i = 0; i < source.size();) {
    const auto c = static_cast<unsigned char>(source[i]);
    if (c == '\n') {
      ++at.line;
      at.column = 1;
      line_reported = false;
      ++i;
      continue;
    }
    const std::size_t length = detail::utf8_sequence_length(source, i);
    if ((length == 0 || is_control(c)) && !line_reported) {
      if (out.size() - before == max_rules_diagnostics) {
        out.push_back({diagnostic_level::error,
                       {},
                       "stopped after " + std::to_string(max_rules_diagnostics) +
                           " lines that are not UTF-8 text"});
        break;
      }
      out.push_back(
          {diagnostic_level::error, at,
           length == 0
               ? "byte " + hex_byte(c) +
                     " is not UTF-8: save the rules file as UTF-8 (a file written in a code "
                     "page such as Windows-1250 holds letters like 'č' as such bytes)"
               : "control character " + hex_byte(c) +
                     " in the rules file: a rules file is UTF-8 text; remove it"});
      line_reported = true;
    }
    ++at.column;
    i += length == 0 ? 1 : length;
  }
  return out.size() == before;
}

}  // namespace earlywarn::rules_front

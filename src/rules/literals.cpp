#include "literals.hpp"

#include <charconv>
#include <system_error>

namespace earlywarn::rules_front {

std::optional<value> parse_decimal(std::string_view text) {
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  std::int64_t num = 0, den = 1;
  bool after_point = false;
  std::size_t digits = 0;
  for (const char c : text) {
    if (c == '.') {
      after_point = true;
      continue;
    }
    if (++digits > 18) return std::nullopt;
    num = num * 10 + (c - '0');
    if (after_point) den *= 10;
  }
  return value::fraction(negative ? -num : num, den, unit::number);
}

std::optional<duration> make_duration(unsigned count, char u) {
  if (count > 100000) return std::nullopt;
  const period p = u == 'd'   ? period::day
                   : u == 'w' ? period::week
                   : u == 'm' ? period::month
                              : period::year;
  return duration{static_cast<std::int32_t>(count), p};
}

std::optional<param_literal> parse_param_text(std::string_view text) {
  if (text.empty()) return std::nullopt;
  const char last = text.back();
  if (last == 'd' || last == 'w' || last == 'm' || last == 'y') {
    unsigned count = 0;
    const auto body = text.substr(0, text.size() - 1);
    const auto [p, ec] = std::from_chars(body.data(), body.data() + body.size(), count);
    if (ec != std::errc() || p != body.data() + body.size() || body.empty()) return std::nullopt;
    const auto span = make_duration(count, last);
    if (!span) return std::nullopt;
    return param_literal{value::integer(days_in(*span, 0), unit::days), span};
  }
  std::size_t i = text.front() == '-' ? 1 : 0;
  std::size_t digits = 0, points = 0;
  for (std::size_t j = i; j < text.size(); ++j) {
    if (text[j] == '.') {
      ++points;
      if (digits == 0) return std::nullopt;
    } else if (text[j] >= '0' && text[j] <= '9') {
      ++digits;
    } else {
      return std::nullopt;
    }
  }
  if (digits == 0 || points > 1 || text.back() == '.') return std::nullopt;
  const auto number = parse_decimal(text);
  if (!number) return std::nullopt;
  return param_literal{*number, std::nullopt};
}

}  // namespace earlywarn::rules_front

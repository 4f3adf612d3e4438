#pragma once
// Numbers and durations as written: in the rules text, or given from outside
// the file as a param's value.

#include <cstdint>
#include <optional>
#include <string_view>

#include "earlywarn/model/duration.hpp"
#include "earlywarn/model/value.hpp"

namespace earlywarn::rules_front {

/// A decimal literal exactly ("-12.5" is -125/10); none past 18 digits.
std::optional<value> parse_decimal(std::string_view text);

/// `count` days, weeks, months or years (`u` is d, w, m or y); none past 100000.
std::optional<duration> make_duration(unsigned count, char u);

/// A param's value: its number (days, for a duration), and its duration if it is one.
struct param_literal {
  value number;
  std::optional<duration> span;
};

/// A param value given from outside the file: `20`, `-1.5`, `90d`; none if malformed.
std::optional<param_literal> parse_param_text(std::string_view text);

}  // namespace earlywarn::rules_front

#pragma once
// The names the rules language gives meaning before any declaration: the
// signals, the functions and the windows to date (docs/language.md).

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

#include "earlywarn/model/duration.hpp"
#include "earlywarn/model/ruleset.hpp"

namespace earlywarn::rules_front {

/// A built-in signal: a name read as a number or condition of the household.
struct signal_entry {
  std::string_view name;
  term_kind kind;
};

/// Every built-in signal.
inline constexpr std::array<signal_entry, 7> signals = {
    {{"balance", term_kind::balance},
     {"arrears", term_kind::arrears},
     {"arrears_days", term_kind::arrears_days},
     {"tenure_days", term_kind::tenure_days},
     {"plan_active", term_kind::plan_active},
     {"plan_breached", term_kind::plan_breached},
     {"plan_shortfall", term_kind::plan_shortfall}}};

/// Every built-in function.
inline constexpr std::array<std::string_view, 13> functions = {
    "sum",        "count",      "avg",   "min",     "max",    "last", "days_since",
    "days_until", "balance_at", "trend", "missing", "latest", "code"};

/// Whether `name` is a built-in function.
inline bool is_function(std::string_view name) {
  return std::find(functions.begin(), functions.end(), name) != functions.end();
}

/// How a value of a term of kind `k` prints.
constexpr unit unit_of(term_kind k) {
  switch (k) {
    case term_kind::arrears_days:
    case term_kind::tenure_days:
    case term_kind::days_since:
    case term_kind::days_until:
    case term_kind::attribute_days_since:
    case term_kind::attribute_days_until:
      return unit::days;
    case term_kind::attribute:  // checker::attribute_leaf() gives its attribute's unit
    case term_kind::attribute_flag:
    case term_kind::attribute_in:
    case term_kind::attribute_not_in:
    case term_kind::count:
    case term_kind::plan_active:
    case term_kind::plan_breached:
    case term_kind::latest:
    case term_kind::code:
    case term_kind::code_in:
    case term_kind::code_not_in:
      return unit::number;
    default:
      return unit::money;
  }
}

/// The window to date of this name: week_to_date, month_to_date, year_to_date.
inline std::optional<duration> window_to_date(std::string_view name) {
  if (name == "week_to_date") return duration{1, period::week_to_date};
  if (name == "month_to_date") return duration{1, period::month_to_date};
  if (name == "year_to_date") return duration{1, period::year_to_date};
  return std::nullopt;
}

}  // namespace earlywarn::rules_front

#pragma once
/// \file plan_frequency.hpp
/// How often a repayment plan's instalment falls due: the code of a `plan`
/// event (docs/language.md, Ledger).

#include <cstdint>
#include <optional>
#include <string_view>

#include "earlywarn/model/date.hpp"
#include "earlywarn/model/event_code.hpp"
#include "earlywarn/model/event_type.hpp"

namespace earlywarn {

/// The period of a plan's instalment; `monthly` for a plan without a code.
enum class plan_frequency : std::uint8_t { monthly, weekly, fortnightly, four_weekly };

/// The frequency a plan event's code names: "" or `monthly`, `weekly`,
/// `fortnightly`, `four_weekly`; none for any other code.
constexpr std::optional<plan_frequency> parse_plan_frequency(std::string_view code) noexcept {
  if (code.empty() || code == "monthly") return plan_frequency::monthly;
  if (code == "weekly") return plan_frequency::weekly;
  if (code == "fortnightly") return plan_frequency::fortnightly;
  if (code == "four_weekly") return plan_frequency::four_weekly;
  return std::nullopt;
}

/// Days in one period of a frequency counted in days; 0 for `monthly`,
/// which follows the calendar.
constexpr std::int32_t days_per_instalment(plan_frequency f) noexcept {
  switch (f) {
    case plan_frequency::weekly:
      return 7;
    case plan_frequency::fortnightly:
      return 14;
    case plan_frequency::four_weekly:
      return 28;
    case plan_frequency::monthly:
      break;
  }
  return 0;
}

/// Why an event of type `type` cannot carry `code` beyond what
/// code_problem() says: a `plan` event's code is its frequency.
constexpr std::optional<std::string_view> code_problem_for(type_id type,
                                                           std::string_view code) noexcept {
  if (type == builtin_type::plan && !parse_plan_frequency(code))
    return "is not a plan frequency: a plan's code is weekly, fortnightly, four_weekly or monthly "
           "(none: monthly)";
  return std::nullopt;
}

/// Throws std::invalid_argument unless an event of the type named `type` may
/// carry `code`: code_problem(), and for a plan code_problem_for().
inline void check_event_code(std::string_view type, std::string_view code) {
  auto problem = code_problem(code);
  if (!problem && type == builtin_type_names[builtin_type::plan])
    problem = code_problem_for(builtin_type::plan, code);
  if (problem) detail::refuse_code(code, *problem);
}

/// Instalments due on a plan agreed on `agreed` with frequency `f`, as of
/// `as_of`: whole periods completed since the agreement (months follow the
/// calendar, a month from the 31st ending on the last day of a shorter month).
inline std::int32_t instalments_due(day agreed, plan_frequency f, day as_of) {
  if (as_of <= agreed) return 0;
  if (const std::int32_t days = days_per_instalment(f)) return (as_of - agreed) / days;
  const civil_date a = to_civil(agreed), t = to_civil(as_of);
  std::int32_t m = (t.year - a.year) * 12 + (t.month - a.month);
  if (m > 0 && add_months(agreed, m) > as_of) --m;
  return m < 0 ? 0 : m;
}

/// The date the instalment after the first `due` ones falls due.
inline day instalment_date(day agreed, plan_frequency f, std::int32_t due) {
  if (const std::int32_t days = days_per_instalment(f)) return agreed + days * due;
  return add_months(agreed, due);
}

}  // namespace earlywarn

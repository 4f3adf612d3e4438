#pragma once
// Units of measure as the checker sees them (docs/language.md, "Units"):
// money, days, months (a trend is money per month), counts, ratios, and the
// plain numbers written without a unit, which take the unit of what they meet.
// Private to the rules front end: the compiled ruleset keeps only how a value
// prints (value's `unit`).

#include <cstdint>
#include <string>

namespace earlywarn::rules_front {

struct dimension {
  std::int8_t money = 0;   // exponent of money
  std::int8_t days = 0;    // exponent of days
  std::int8_t months = 0;  // exponent of months (trend: money per month)
  bool count = false;      // a count of events (a unit for + and comparisons only)
  bool plain = false;      // written without a unit: a literal or a plain param
  // Not a quantity: which of the event types of latest(...) (1 + the term's
  // index; 0 for every quantity). Compared only with ==, != and in.
  std::uint32_t label = 0;
  bool event_code = false;      // the label is code(...): an event code, not a type
  bool attribute_text = false;  // ... or a text attribute, compared as a code is

  static dimension of_plain() { return {0, 0, 0, false, true}; }
  static dimension of_ratio() { return {}; }
  static dimension of_money() { return {1, 0, 0, false, false}; }
  static dimension of_days() { return {0, 1, 0, false, false}; }
  static dimension of_count() { return {0, 0, 0, true, false}; }
  static dimension of_money_per_month() { return {1, 0, -1, false, false}; }

  bool dimensionless() const { return money == 0 && days == 0 && months == 0; }
  bool operator==(const dimension&) const = default;
};

/// Whether two numbers may be added, subtracted or compared: one unit, or one
/// of them plain.
inline bool compatible(const dimension& a, const dimension& b) {
  if (a.label != 0 || b.label != 0) return a.label == b.label;
  return a.plain || b.plain || a == b;
}

/// The unit of `a + b`, `a - b`, min and max (when compatible).
inline dimension sum_of(const dimension& a, const dimension& b) { return a.plain ? b : a; }

/// The unit of `a * b`. A count multiplies as a plain number (2 payments of
/// 50 are money); a plain number leaves the other's unit.
inline dimension product_of(const dimension& a, const dimension& b) {
  if (a.plain) return b;
  if (b.plain) return a;
  dimension out;
  out.money = static_cast<std::int8_t>(a.money + b.money);
  out.days = static_cast<std::int8_t>(a.days + b.days);
  out.months = static_cast<std::int8_t>(a.months + b.months);
  out.count = (a.count && b.count) || ((a.count || b.count) && out.dimensionless());
  return out;
}

/// The unit of `a / b`: money / money is a ratio, money / days money per day,
/// a sum over a count (`sum(payment, 6m) / count(payment, 6m)`) money.
inline dimension quotient_of(const dimension& a, const dimension& b) {
  if (b.plain) return a;
  dimension out;
  out.money = static_cast<std::int8_t>(a.money - b.money);
  out.days = static_cast<std::int8_t>(a.days - b.days);
  out.months = static_cast<std::int8_t>(a.months - b.months);
  // count / count is a ratio; a count over a ratio stays a count.
  out.count = a.count && !b.count && b.dimensionless();
  return out;
}

/// How a diagnostic names a unit: "money", "days", "a count", "a ratio",
/// "money per month", "money × days", "1 per day".
inline std::string describe(const dimension& d) {
  if (d.label != 0)
    return d.attribute_text ? "a text attribute" : d.event_code ? "an event code" : "an event type";
  if (d.plain) return "a plain number";
  if (d.dimensionless()) return d.count ? "a count" : "a ratio";
  std::string above, below;
  auto put = [](std::string& side, const char* one, const char* many, int exponent) {
    for (int i = 0; i < exponent; ++i) {
      if (!side.empty()) side += " × ";
      side += exponent == 1 ? many : one;
    }
  };
  put(above, "money", "money", d.money);
  put(above, "day", "days", d.days);
  put(above, "month", "months", d.months);
  put(below, "money", "money", -d.money);
  put(below, "day", "day", -d.days);
  put(below, "month", "month", -d.months);
  // A char, not "1": GCC 12 warns falsely of overlapping bytes where a
  // one-character literal is assigned to a string (GCC bug 105329).
  if (above.empty()) above = '1';
  return below.empty() ? above : above + " per " + below;
}

}  // namespace earlywarn::rules_front

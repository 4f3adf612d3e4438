// Deliberately simple, independent reference implementation of docs/language.md (Ledger, Time,
// Signals and functions: the signals and functions of one household as of a date T). Used by
// property tests that compare the real engine against it. Standard library only; no code shared
// with include/ or src/. Obvious correctness over speed: most functions rescan all events, and plan
// checks loop over days.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reference {

/// 128-bit signed integer (GCC/Clang extension; __extension__ keeps -Wpedantic quiet).
__extension__ typedef __int128 int128;

/// Day number: days since 0001-01-01 (proleptic Gregorian), so 0001-01-01 is 0.
using date = int;

namespace detail {

/// True for Gregorian leap years.
inline bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/// Number of days in month m (1..12) of year y.
inline int days_in_month(int y, int m) {
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && is_leap(y)) return 29;
  return days[m - 1];
}

/// Days from 0001-01-01 to January 1st of year y (y >= 1).
inline long long days_before_year(int y) {
  long long p = y - 1;
  return 365 * p + p / 4 - p / 100 + p / 400;
}

/// Day number of the calendar date y-m-d (assumed valid).
inline date make_date(int y, int m, int d) {
  long long n = days_before_year(y);
  for (int k = 1; k < m; ++k) n += days_in_month(y, k);
  return static_cast<date>(n + d - 1);
}

/// A calendar date split into its parts.
struct ymd {
  int y;
  int m;
  int d;
};

/// Splits a day number into year, month and day (by plain searching).
inline ymd split(date t) {
  if (t < 0) throw std::out_of_range("reference: date before 0001-01-01");
  int y = static_cast<int>(t / 366) + 1;  // never past the right year
  while (days_before_year(y + 1) <= t) ++y;
  long long rest = t - days_before_year(y);
  int m = 1;
  while (rest >= days_in_month(y, m)) {
    rest -= days_in_month(y, m);
    ++m;
  }
  return {y, m, static_cast<int>(rest) + 1};
}

/// t plus k calendar months (k may be negative), keeping the day of month, clamped to month end.
inline date add_months(date t, long long k) {
  ymd p = split(t);
  long long index = static_cast<long long>(p.y) * 12 + (p.m - 1) + k;  // months since year 0
  long long y = index >= 0 ? index / 12 : -((-index + 11) / 12);
  int m = static_cast<int>(index - y * 12) + 1;
  if (y < 1 || y > 9999) throw std::out_of_range("reference: month arithmetic out of range");
  int d = std::min(p.d, days_in_month(static_cast<int>(y), m));
  return make_date(static_cast<int>(y), m, d);
}

/// Greatest common divisor of |a| and |b| (0 when both are 0).
inline int128 gcd(int128 a, int128 b) {
  if (a < 0) a = -a;
  if (b < 0) b = -b;
  while (b != 0) {
    int128 r = a % b;
    a = b;
    b = r;
  }
  return a;
}

/// Decimal text of a 128-bit integer.
inline std::string int128_to_string(int128 v) {
  if (v == 0) return "0";
  bool negative = v < 0;
  std::string s;
  while (v != 0) {
    int digit = static_cast<int>(v % 10);
    s.push_back(static_cast<char>('0' + (digit < 0 ? -digit : digit)));
    v /= 10;
  }
  if (negative) s.push_back('-');
  std::reverse(s.begin(), s.end());
  return s;
}

}  // namespace detail

/// Parses "YYYY-MM-DD" (strictly: 4-2-2 digits, valid calendar date); throws std::invalid_argument.
inline date from_iso(std::string_view s) {
  auto bad = [&]() {
    return std::invalid_argument("reference: bad ISO date '" + std::string(s) + "'");
  };
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') throw bad();
  auto number = [&](size_t from, size_t len) {
    int v = 0;
    for (size_t i = from; i < from + len; ++i) {
      if (s[i] < '0' || s[i] > '9') throw bad();
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  int y = number(0, 4), m = number(5, 2), d = number(8, 2);
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > detail::days_in_month(y, m)) throw bad();
  return detail::make_date(y, m, d);
}

/// Formats a day number as "YYYY-MM-DD".
inline std::string to_iso(date t) {
  detail::ymd p = detail::split(t);
  std::string y = std::to_string(p.y), m = std::to_string(p.m), d = std::to_string(p.d);
  return std::string(4 - std::min<size_t>(4, y.size()), '0') + y + "-" + (p.m < 10 ? "0" : "") + m +
         "-" + (p.d < 10 ? "0" : "") + d;
}

/// One ledger event: value date, type name and non-negative amount in cents (0 if none).
struct event {
  date on;
  std::string type;
  long long cents;
};

/// An exact rational value num/den with den > 0 (kept reduced by the helpers below).
struct fraction {
  int128 num;
  int128 den;
};

/// Builds the reduced fraction n/d with a positive denominator; throws if d == 0.
inline fraction make_fraction_128(int128 n, int128 d) {
  if (d == 0) throw std::domain_error("reference: zero denominator");
  if (d < 0) {
    n = -n;
    d = -d;
  }
  int128 g = detail::gcd(n, d);
  if (g > 1) {
    n /= g;
    d /= g;
  }
  return {n, d};
}

/// Builds the reduced fraction n/d; throws if d == 0.
inline fraction make_fraction(long long n, long long d = 1) { return make_fraction_128(n, d); }

/// Exact comparisons by cross-multiplication (denominators are positive).
inline bool operator<(const fraction& a, const fraction& b) {
  return a.num * b.den < b.num * a.den;
}
/// See operator<.
inline bool operator>(const fraction& a, const fraction& b) { return b < a; }
/// See operator<.
inline bool operator<=(const fraction& a, const fraction& b) { return !(b < a); }
/// See operator<.
inline bool operator>=(const fraction& a, const fraction& b) { return !(a < b); }
/// Exact equality by cross-multiplication.
inline bool operator==(const fraction& a, const fraction& b) {
  return a.num * b.den == b.num * a.den;
}
/// See operator==.
inline bool operator!=(const fraction& a, const fraction& b) { return !(a == b); }

/// Exact sum.
inline fraction operator+(const fraction& a, const fraction& b) {
  return make_fraction_128(a.num * b.den + b.num * a.den, a.den * b.den);
}
/// Exact negation.
inline fraction operator-(const fraction& a) { return {-a.num, a.den}; }
/// Exact difference.
inline fraction operator-(const fraction& a, const fraction& b) { return a + (-b); }
/// Exact product.
inline fraction operator*(const fraction& a, const fraction& b) {
  return make_fraction_128(a.num * b.num, a.den * b.den);
}
/// Exact quotient; throws std::domain_error when b == 0.
inline fraction operator/(const fraction& a, const fraction& b) {
  return make_fraction_128(a.num * b.den, a.den * b.num);
}

/// Approximate value, for diagnostics only.
inline double to_double(const fraction& f) {
  return static_cast<double>(f.num) / static_cast<double>(f.den);
}

/// Text "num/den" (or "num" when den == 1) of the reduced value.
inline std::string to_string(const fraction& f) {
  fraction r = make_fraction_128(f.num, f.den);
  std::string s = detail::int128_to_string(r.num);
  if (r.den != 1) s += "/" + detail::int128_to_string(r.den);
  return s;
}

/// Prints to_string(f) (so GoogleTest messages are readable).
inline std::ostream& operator<<(std::ostream& os, const fraction& f) { return os << to_string(f); }

/// A value or "no value" (empty).
using maybe = std::optional<fraction>;

/// A window length: n units of 'd' (days), 'w' (weeks), 'm' (months) or 'y' (years).
struct window {
  int n;
  char unit;
};

/// The exclusive start of window w ending at T: the window covers (start, T] (docs/language.md,
/// Time).
inline date window_start_exclusive(window w, date T) {
  switch (w.unit) {
    case 'd':
      return T - w.n;
    case 'w':
      return T - 7 * w.n;
    case 'm':
      return detail::add_months(T, -static_cast<long long>(w.n));
    case 'y':
      return detail::add_months(T, -12LL * w.n);
    default:
      throw std::invalid_argument(std::string("reference: bad window unit '") + w.unit + "'");
  }
}

/// Built-in balance effects: charge +1, payment -1, credit -1.
inline std::map<std::string, int> default_effects() {
  return {{"charge", +1}, {"payment", -1}, {"credit", -1}};
}

/// One household's ledger and its signals/functions as of a date T (docs/language.md, Signals and
/// functions).
class household {
 public:
  /// Takes the events in any order; effects maps type -> +1 / -1, other types are neutral.
  household(std::vector<event> events, std::map<std::string, int> effects = default_effects())
      : events_(std::move(events)), effects_(std::move(effects)) {
    for (const event& e : events_) {
      if (e.cents < 0) throw std::invalid_argument("reference: negative amount");
    }
  }

  /// True when at least one event is dated <= T.
  bool exists(date T) const {
    for (const event& e : events_) {
      if (e.on <= T) return true;
    }
    return false;
  }

  /// Balance in cents from events dated <= T (0 before the first event).
  long long balance(date T) const {
    long long b = 0;
    for (const event& e : events_) {
      if (e.on <= T) b += effect(e.type) * e.cents;
    }
    return b;
  }

  /// max(balance, 0) in cents.
  long long arrears(date T) const { return std::max(balance(T), 0LL); }

  /// 0 if balance <= 0, else T minus the date of the oldest increasing event not covered (FIFO).
  long long arrears_days(date T) const {
    if (balance(T) <= 0) return 0;
    long long paid = 0;  // all decreasing amounts up to T
    std::vector<std::pair<date, long long>> charges;
    for (const event& e : events_) {
      if (e.on > T) continue;
      if (effect(e.type) < 0) paid += e.cents;
      if (effect(e.type) > 0) charges.push_back({e.on, e.cents});
    }
    std::sort(charges.begin(), charges.end());
    long long charged = 0;
    for (const auto& c : charges) {
      charged += c.second;
      if (charged > paid) return T - c.first;  // this charge is (partly) uncovered
    }
    throw std::logic_error("reference: positive balance but every charge covered");
  }

  /// T minus the date of the first event of any type; throws std::logic_error if !exists(T).
  long long tenure_days(date T) const {
    if (!exists(T)) throw std::logic_error("reference: household does not exist as of T");
    date first = T;
    for (const event& e : events_) first = std::min(first, e.on);
    return T - first;
  }

  /// Sum of amounts of TYPE in window (T - w, T], in currency units; 0 when none.
  fraction sum(const std::string& type, window w, date T) const {
    long long cents = 0;
    for (const event& e : in_window(type, w, T)) cents += e.cents;
    return make_fraction(cents, 100);
  }

  /// Number of TYPE events in the window; 0 when none.
  long long count(const std::string& type, window w, date T) const {
    return static_cast<long long>(in_window(type, w, T).size());
  }

  /// Mean amount of TYPE events in the window (currency units); no value when none.
  maybe avg(const std::string& type, window w, date T) const {
    long long n = count(type, w, T);
    if (n == 0) return std::nullopt;
    return sum(type, w, T) / make_fraction(n);
  }

  /// Smallest single amount of TYPE in the window (currency units); no value when none.
  maybe min(const std::string& type, window w, date T) const {
    std::vector<event> found = in_window(type, w, T);
    if (found.empty()) return std::nullopt;
    long long best = found[0].cents;
    for (const event& e : found) best = std::min(best, e.cents);
    return make_fraction(best, 100);
  }

  /// Largest single amount of TYPE in the window (currency units); no value when none.
  maybe max(const std::string& type, window w, date T) const {
    std::vector<event> found = in_window(type, w, T);
    if (found.empty()) return std::nullopt;
    long long best = found[0].cents;
    for (const event& e : found) best = std::max(best, e.cents);
    return make_fraction(best, 100);
  }

  /// Amount of the latest TYPE event <= T (sum if several share that date); no value when none.
  maybe last(const std::string& type, date T) const {
    std::optional<date> latest = latest_date(type, T);
    if (!latest) return std::nullopt;
    long long cents = 0;
    for (const event& e : events_) {
      if (e.type == type && e.on == *latest) cents += e.cents;
    }
    return make_fraction(cents, 100);
  }

  /// T minus the date of the latest TYPE event <= T, in whole days; no value when none.
  maybe days_since(const std::string& type, date T) const {
    std::optional<date> latest = latest_date(type, T);
    if (!latest) return std::nullopt;
    return make_fraction(T - *latest);
  }

  /// Balance as of the date T - w (events dated <= that date), in currency units.
  fraction balance_at(window w, date T) const {
    return make_fraction(balance(window_start_exclusive(w, T)), 100);
  }

  /// Least-squares slope (currency/month) of balance or arrears sampled at T - j months, x = -j.
  fraction trend(bool arrears_not_balance, int months, date T) const {
    if (months < 2) throw std::invalid_argument("reference: trend needs at least 2 months");
    std::vector<fraction> xs, ys;
    for (int j = 0; j < months; ++j) {
      date at = detail::add_months(T, -j);
      long long cents = arrears_not_balance ? arrears(at) : balance(at);
      xs.push_back(make_fraction(-j));
      ys.push_back(make_fraction(cents, 100));
    }
    fraction x_mean = make_fraction(0), y_mean = make_fraction(0);
    for (int j = 0; j < months; ++j) {
      x_mean = x_mean + xs[j];
      y_mean = y_mean + ys[j];
    }
    x_mean = x_mean / make_fraction(months);
    y_mean = y_mean / make_fraction(months);
    fraction sxy = make_fraction(0), sxx = make_fraction(0);
    for (int j = 0; j < months; ++j) {
      sxy = sxy + (xs[j] - x_mean) * (ys[j] - y_mean);
      sxx = sxx + (xs[j] - x_mean) * (xs[j] - x_mean);
    }
    return sxy / sxx;
  }

  /// True when the latest plan (by date <= T) has a non-zero instalment and the end-of-day
  /// balance stayed > 0 on every day from its date through T.
  bool plan_active(date T) const {
    std::optional<date> start = latest_date("plan", T);
    if (!start) return false;
    if (instalment_on(*start) == 0) return false;
    for (date d = *start; d <= T; ++d) {
      if (balance(d) <= 0) return false;
    }
    return true;
  }

  /// plan_active and balance(T) > balance(D) - instalment * months completed since D.
  bool plan_breached(date T) const {
    if (!plan_active(T)) return false;
    date start = *latest_date("plan", T);
    long long months_completed = 0;
    while (detail::add_months(start, months_completed + 1) <= T) ++months_completed;
    long long allowed = balance(start) - instalment_on(start) * months_completed;
    return balance(T) > allowed;
  }

 private:
  /// Balance effect of a type: +1, -1, or 0 for neutral (unlisted) types.
  int effect(const std::string& type) const {
    auto it = effects_.find(type);
    if (it == effects_.end()) return 0;
    return it->second > 0 ? 1 : (it->second < 0 ? -1 : 0);
  }

  /// The TYPE events dated in (T - w, T].
  std::vector<event> in_window(const std::string& type, window w, date T) const {
    date start = window_start_exclusive(w, T);
    std::vector<event> found;
    for (const event& e : events_) {
      if (e.type == type && e.on > start && e.on <= T) found.push_back(e);
    }
    return found;
  }

  /// Latest date <= T of a TYPE event, if any.
  std::optional<date> latest_date(const std::string& type, date T) const {
    std::optional<date> latest;
    for (const event& e : events_) {
      if (e.type == type && e.on <= T && (!latest || e.on > *latest)) latest = e.on;
    }
    return latest;
  }

  /// The plan instalment of date d: the largest amount among plan events of that date.
  long long instalment_on(date d) const {
    long long best = 0;
    for (const event& e : events_) {
      if (e.type == "plan" && e.on == d) best = std::max(best, e.cents);
    }
    return best;
  }

  std::vector<event> events_;
  std::map<std::string, int> effects_;
};

}  // namespace reference

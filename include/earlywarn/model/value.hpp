#pragma once
/// \file value.hpp
/// The numbers rules compute with: exact rationals that may be *no value* (docs/language.md,
/// Signals and functions).

#include <cstdint>
#include <string>

#include "earlywarn/detail/int128.hpp"
#include "earlywarn/model/money.hpp"

namespace earlywarn {

/// What a number measures; decides how it is printed, never how it compares.
enum class unit : std::uint8_t {
  number,  ///< a plain quantity: counts, ratios, thresholds
  money,   ///< currency units, printed with two decimals
  days,    ///< whole days
};

/// An exact rational number with a unit, or *no value*.
///
/// Money is held as hundredths over 100, so sums stay integers and products,
/// ratios, averages and least-squares slopes are exact: a household owing
/// exactly three months' rent compares equal to `3 * last(charge)`. Arithmetic
/// that would leave 64 bits (far beyond any ledger) gives no value.
class value {
 public:
  /// No value.
  constexpr value() noexcept = default;

  /// The integer `n` in the given unit.
  static constexpr value integer(std::int64_t n, enum unit u = unit::number) noexcept {
    return value(n, 1, u);
  }
  /// An amount of money given in hundredths.
  static constexpr value money(cents amount) noexcept { return value(amount, 100, unit::money); }
  /// The fraction `num / den` (den must be non-zero), reduced if needed to fit.
  static value fraction(detail::int128 num, detail::int128 den, enum unit u) noexcept;

  /// False for *no value*.
  constexpr bool has_value() const noexcept { return present_; }
  constexpr explicit operator bool() const noexcept { return present_; }
  constexpr std::int64_t numerator() const noexcept { return num_; }
  constexpr std::int64_t denominator() const noexcept { return den_; }
  constexpr enum unit unit() const noexcept { return unit_; }
  /// The same number in another unit.
  constexpr value with_unit(enum unit u) const noexcept {
    value v = *this;
    v.unit_ = u;
    return v;
  }

  /// The nearest double, for plotting and bindings; never for decisions.
  double to_double() const noexcept {
    return present_ ? static_cast<double>(num_) / static_cast<double>(den_) : 0.0;
  }

  /// Three-way comparison of two present values: -1, 0 or 1.
  friend int compare(const value& a, const value& b) noexcept {
    if (a.den_ == b.den_) return a.num_ < b.num_ ? -1 : (a.num_ > b.num_ ? 1 : 0);
    const detail::int128 l = static_cast<detail::int128>(a.num_) * b.den_;
    const detail::int128 r = static_cast<detail::int128>(b.num_) * a.den_;
    return l < r ? -1 : (l > r ? 1 : 0);
  }

  // Numerators stay within ±INT64_MAX, so negating one never overflows.
  friend value operator-(const value& a) noexcept {
    return a ? value(-a.num_, a.den_, a.unit_) : value();
  }
  friend value operator+(const value& a, const value& b) noexcept {
    if (!a || !b) return {};
    if (a.den_ == b.den_) {
      std::int64_t n;  // the common case, in 64 bits: no 128-bit range checks
      if (!__builtin_add_overflow(a.num_, b.num_, &n) && n != INT64_MIN)
        return value(n, a.den_, sum_unit(a, b));
      return fraction(static_cast<detail::int128>(a.num_) + b.num_, a.den_, sum_unit(a, b));
    }
    return fraction(
        static_cast<detail::int128>(a.num_) * b.den_ + static_cast<detail::int128>(b.num_) * a.den_,
        static_cast<detail::int128>(a.den_) * b.den_, sum_unit(a, b));
  }
  friend value operator-(const value& a, const value& b) noexcept {
    if (!a || !b) return {};
    if (a.den_ == b.den_) {
      std::int64_t n;
      if (!__builtin_sub_overflow(a.num_, b.num_, &n) && n != INT64_MIN)
        return value(n, a.den_, sum_unit(a, b));
      return fraction(static_cast<detail::int128>(a.num_) - b.num_, a.den_, sum_unit(a, b));
    }
    return fraction(
        static_cast<detail::int128>(a.num_) * b.den_ - static_cast<detail::int128>(b.num_) * a.den_,
        static_cast<detail::int128>(a.den_) * b.den_, sum_unit(a, b));
  }
  friend value operator*(const value& a, const value& b) noexcept {
    if (!a || !b) return {};
    std::int64_t n, d;
    if (!__builtin_mul_overflow(a.num_, b.num_, &n) && n != INT64_MIN &&
        !__builtin_mul_overflow(a.den_, b.den_, &d))
      return value(n, d, product_unit(a.unit_, b.unit_));
    return fraction(static_cast<detail::int128>(a.num_) * b.num_,
                    static_cast<detail::int128>(a.den_) * b.den_, product_unit(a.unit_, b.unit_));
  }
  /// Division by zero gives no value: a ratio to nothing is not a number.
  friend value operator/(const value& a, const value& b) noexcept {
    if (!a || !b || b.num_ == 0) return {};
    std::int64_t n, d;
    if (b.num_ > 0 && !__builtin_mul_overflow(a.num_, b.den_, &n) && n != INT64_MIN &&
        !__builtin_mul_overflow(a.den_, b.num_, &d))
      return value(n, d, quotient_unit(a.unit_, b.unit_));
    return fraction(static_cast<detail::int128>(a.num_) * b.den_,
                    static_cast<detail::int128>(a.den_) * b.num_, quotient_unit(a.unit_, b.unit_));
  }

  /// Text for people: money with two decimals (`17065.00`), whole numbers as
  /// integers (`42`), other fractions rounded half away from zero to two
  /// decimals (`1.33`); no value as `n/a`.
  std::string to_string() const;

 private:
  constexpr value(std::int64_t num, std::int64_t den, enum unit u) noexcept
      : num_(num), den_(den), unit_(u), present_(true) {}

  static constexpr enum unit sum_unit(const value& a, const value& b) noexcept {
    if (a.unit_ == b.unit_) return a.unit_;
    if (a.unit_ == unit::number) return b.unit_;
    if (b.unit_ == unit::number) return a.unit_;
    return unit::number;
  }
  static constexpr enum unit product_unit(enum unit a, enum unit b) noexcept {
    if (a == unit::number) return b;
    if (b == unit::number) return a;
    return unit::number;
  }
  static constexpr enum unit quotient_unit(enum unit a, enum unit b) noexcept {
    return b == unit::number ? a : unit::number;
  }

  std::int64_t num_ = 0;
  std::int64_t den_ = 1;
  enum unit unit_ = unit::number;
  bool present_ = false;
};

namespace detail {
inline int128 gcd128(int128 a, int128 b) noexcept {
  if (a < 0) a = -a;
  if (b < 0) b = -b;
  while (b != 0) {
    const int128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}
inline constexpr int128 int64_max = INT64_MAX;
}  // namespace detail

inline value value::fraction(detail::int128 num, detail::int128 den, enum unit u) noexcept {
  // The common case: both already fit, den positive.
  if (den > 0 && den <= detail::int64_max && num <= detail::int64_max && num >= -detail::int64_max)
    return value(static_cast<std::int64_t>(num), static_cast<std::int64_t>(den), u);
  if (den < 0) {
    num = -num;
    den = -den;
  }
  if (num > detail::int64_max || num < -detail::int64_max || den > detail::int64_max) {
    const detail::int128 g = detail::gcd128(num, den);
    num /= g;
    den /= g;
    if (num > detail::int64_max || num < -detail::int64_max || den > detail::int64_max) return {};
  }
  return value(static_cast<std::int64_t>(num), static_cast<std::int64_t>(den), u);
}

inline std::string value::to_string() const {
  if (!present_) return "n/a";
  if (unit_ != unit::money && num_ % den_ == 0) return std::to_string(num_ / den_);
  // Round to hundredths, half away from zero, in 128 bits so nothing overflows.
  const detail::int128 scaled = static_cast<detail::int128>(num_) * 100;
  detail::int128 q = scaled / den_;
  const detail::int128 r = scaled % den_;
  if (2 * (r < 0 ? -r : r) >= den_) q += scaled < 0 ? -1 : 1;
  if (q > detail::int64_max || q < -detail::int64_max) return "n/a";
  return format_cents(static_cast<cents>(q));
}

/// Comparison operators on present values (callers handle no value first).
namespace detail {
/// ⌊q⌋ of a present rational.
inline std::int64_t floor_of(const value& q) {
  const std::int64_t n = q.numerator(), d = q.denominator();
  return n / d - ((n % d != 0) && ((n < 0) != (d < 0)) ? 1 : 0);
}
/// ⌈q⌉ of a present rational.
inline std::int64_t ceil_of(const value& q) { return -floor_of(-q); }
}  // namespace detail

inline bool operator==(const value& a, const value& b) noexcept {
  return a && b && compare(a, b) == 0;
}

}  // namespace earlywarn

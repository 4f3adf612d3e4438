#pragma once
/// \file calendar_memo.hpp
/// Month arithmetic for one as-of date, remembered.

#include <cstdint>
#include <vector>

#include "earlywarn/model/duration.hpp"

namespace earlywarn::detail {

/// The dates some months before an as-of date. Windows of `6m` and trends
/// sampled month by month need them for every household, and a stream or a
/// batch evaluates many households as of the same day: civil-date arithmetic
/// once per day and months back, instead of once per household and term.
class calendar_memo {
 public:
  /// subtract(as_of, d), remembered for months and years.
  day before(day as_of, duration d) {
    // Only months and years need civil-date arithmetic worth remembering.
    if (d.per == period::month) return months_before(as_of, d.count);
    if (d.per == period::year) return months_before(as_of, 12 * d.count);
    return subtract(as_of, d);
  }

  /// add_months(as_of, -months), remembered.
  day months_before(day as_of, std::int32_t months) {
    if (months < 0 || months > max_remembered) return add_months(as_of, -months);
    if (as_of != as_of_) {
      as_of_ = as_of;
      dates_.assign(dates_.size(), unknown);
    }
    const auto i = static_cast<std::size_t>(months);
    if (i >= dates_.size()) dates_.resize(i + 1, unknown);
    if (dates_[i] == unknown) dates_[i] = add_months(as_of, -months);
    return dates_[i];
  }

 private:
  static constexpr day unknown = INT32_MIN;
  static constexpr std::int32_t max_remembered = 240;
  day as_of_ = unknown;
  std::vector<day> dates_;
};

}  // namespace earlywarn::detail

#include "earlywarn/detail/least_squares.hpp"

#include <Eigen/Core>
#include <algorithm>

#include "earlywarn/detail/int128.hpp"

namespace earlywarn::detail {

value least_squares_slope(std::span<const cents> samples, bool of_arrears) {
  // The normal equations accumulated row by row in integers (no
  // allocation), solved exactly by Cramer's rule: one rational slope, so a
  // threshold on a trend never wobbles. Once per household evaluated; the
  // change schedule's look ahead, which re-solves at every step it walks,
  // keeps the two sums that change instead (household_signals::
  // trend_numerator() and trend_denominator(), the same fraction: tested).
  // The moments Σy and Σxy are kept in 128 bits: a few months of balances
  // near the 64-bit limit add up beyond it (Eigen has no 128-bit scalar).
  Eigen::Matrix<std::int64_t, 2, 2> gram = Eigen::Matrix<std::int64_t, 2, 2>::Zero();
  int128 sum_y = 0, sum_xy = 0;
  for (std::size_t j = 0; j < samples.size(); ++j) {
    const auto x = -static_cast<std::int64_t>(j);
    const Eigen::Matrix<std::int64_t, 2, 1> row(1, x);
    gram.noalias() += row * row.transpose();
    const int128 y = of_arrears ? std::max<cents>(samples[j], 0) : samples[j];
    sum_y += y;
    sum_xy += static_cast<int128>(x) * y;
  }
  const int128 numerator =
      static_cast<int128>(gram(0, 0)) * sum_xy - static_cast<int128>(gram(0, 1)) * sum_y;
  const int128 denominator =
      static_cast<int128>(gram(0, 0)) * gram(1, 1) - static_cast<int128>(gram(0, 1)) * gram(1, 0);
  return value::fraction(numerator, denominator * 100, unit::money);
}

}  // namespace earlywarn::detail

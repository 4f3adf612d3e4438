#pragma once
/// \file least_squares.hpp
/// The exact least-squares slope behind trend() (docs/language.md, Signals
/// and functions), compiled into the library so that Eigen, which solves it,
/// stays out of the public headers.

#include <span>

#include "earlywarn/model/money.hpp"
#include "earlywarn/model/value.hpp"

namespace earlywarn::detail {

/// The least-squares slope of `samples`, samples[j] taken at x = −j (j
/// months back), of max(sample, 0) when `of_arrears`: money a month, an
/// exact fraction. Two samples or more.
value least_squares_slope(std::span<const cents> samples, bool of_arrears);

}  // namespace earlywarn::detail

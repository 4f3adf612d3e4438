#pragma once
/// \file household_signals.hpp
/// The signals and functions of docs/language.md, Signals and functions for one household as of a
/// date.

#include <algorithm>
#include <array>
#include <optional>
#include <span>
#include <vector>

#include "earlywarn/detail/calendar_memo.hpp"
#include "earlywarn/detail/effect_table.hpp"
#include "earlywarn/detail/folded_history.hpp"
#include "earlywarn/detail/int128.hpp"
#include "earlywarn/detail/least_squares.hpp"
#include "earlywarn/model/duration.hpp"
#include "earlywarn/model/ledger.hpp"
#include "earlywarn/model/plan_frequency.hpp"
#include "earlywarn/model/value.hpp"

namespace earlywarn {

/// Aggregates of one event type over a window.
struct window_totals {
  cents sum = 0;
  std::int64_t count = 0;
  cents min = 0;  ///< meaningful only when count > 0
  cents max = 0;
};

/// The events a term reads: those of one type and, when `by_code`, only
/// those whose code is among `codes` (docs/language.md, Event codes).
struct event_selector {
  std::optional<type_id> type;  ///< none: a type the ledger lacks, so no events
  bool by_code = false;
  std::span<const code_id> codes;  ///< sorted; read only when by_code

  event_selector() = default;
  event_selector(std::optional<type_id> t) noexcept : type(t) {}  // NOLINT: all of a type
  event_selector(type_id t) noexcept : type(t) {}                 // NOLINT: likewise

  /// What a stream folded of these events; none for a selector by code,
  /// whose events a stream never folds (docs/streams.md).
  template <class Entry>
  const Entry* folded(const folded_history* f,
                      const Entry* (folded_history::*of)(type_id) const noexcept) const noexcept {
    return f && type && !by_code ? (f->*of)(*type) : nullptr;
  }

  /// Whether event `i` of `events` is selected; `type` must be set.
  bool matches(const household_events& events, std::size_t i) const noexcept {
    return events.types[i] == *type &&
           (!by_code || std::binary_search(codes.begin(), codes.end(), events.code(i)));
  }
};

/// Where a household stands with its repayment plan.
struct plan_status {
  bool active = false;
  bool breached = false;
  day agreed = 0;  ///< date of the plan in force
  cents instalment = 0;
  plan_frequency frequency = plan_frequency::monthly;
  cents balance_agreed = 0;          ///< balance at the end of the agreement date
  std::int32_t instalments_due = 0;  ///< whole periods completed since `agreed`
  /// The day the next instalment falls due (when instalments_due grows).
  day next_due() const { return instalment_date(agreed, frequency, instalments_due + 1); }
};

/// Computes signals for one household as of a date. Sees only events dated on
/// or before that date (docs/language.md, Time). Cheap to create; `scratch` is reused across
/// households so evaluation allocates nothing per household.
class household_signals {
 public:
  /// `folded`, when given, summarises the household's events before
  /// `events` (a stream's old history); as_of must be late enough that no
  /// window reaches back past its boundary.
  /// `calendar`, when given, remembers month arithmetic across households.
  /// `codes` names the events' codes (a plan's frequency); without it every
  /// plan is monthly. Keeps references to `effects`, `scratch`, `folded`,
  /// `calendar` and `codes`.
  household_signals(household_events events, day as_of, const effect_table& effects,
                    std::vector<cents>& scratch, const folded_history* folded = nullptr,
                    detail::calendar_memo* calendar = nullptr, const code_table* codes = nullptr)
      : events_(events.up_to(as_of)),
        ahead_(events.size() - events_.size()),
        coded_(!events.codes.empty()),
        as_of_(as_of),
        effects_(effects),
        running_(scratch),
        folded_(folded != nullptr && folded->any ? folded : nullptr),
        calendar_(calendar),
        codes_(codes) {
    running_.clear();
  }
  /// A temporary effect table would dangle: refused at compile time.
  household_signals(household_events, day, effect_table&&, std::vector<cents>&,
                    const folded_history* = nullptr, detail::calendar_memo* = nullptr,
                    const code_table* = nullptr) = delete;

  /// The date a duration before the as-of date: subtract(as_of(), d).
  day before(duration d) const {
    return calendar_ ? calendar_->before(as_of_, d) : subtract(as_of_, d);
  }

  day as_of() const noexcept { return as_of_; }
  /// A household exists as of T once it has an event dated on or before T.
  bool exists() const noexcept { return !events_.empty() || folded_ != nullptr; }
  const household_events& events() const noexcept { return events_; }

  /// Σ increases − Σ decreases; positive means the household owes.
  cents balance() const {
    ensure_running();
    return running_.empty() ? folded_balance() : running_.back();
  }
  cents arrears() const { return std::max<cents>(balance(), 0); }

  /// The balance at the end of day `d` (0 before the first event).
  cents balance_on(day d) const {
    if (d >= as_of_) return balance();
    ensure_running();
    const auto end = std::upper_bound(events_.dates.begin(), events_.dates.end(), d);
    const auto n = static_cast<std::size_t>(end - events_.dates.begin());
    return n == 0 ? folded_balance() : running_[n - 1];
  }

  /// Days since the oldest charge not covered when every payment and credit is
  /// allocated to charges oldest-first; 0 when nothing is owed.
  std::int32_t arrears_days() const {
    if (balance() <= 0) return 0;
    // Folded charges already covered are gone; so is the payment that covered them.
    cents paid = folded_ ? folded_->unallocated : 0;
    for (std::size_t i = 0; i < events_.size(); ++i)
      if (effects_[events_.types[i]] == balance_effect::decreases) paid += events_.amounts[i];
    cents charged = 0;
    if (folded_) {
      for (const folded_history::open_charge& c : folded_->open_charges) {
        charged += c.amount;
        if (charged > paid) return as_of_ - c.date;
      }
    }
    for (std::size_t i = 0; i < events_.size(); ++i) {
      if (effects_[events_.types[i]] != balance_effect::increases) continue;
      charged += events_.amounts[i];
      if (charged > paid) return as_of_ - events_.dates[i];
    }
    return 0;  // unreachable while balance > 0
  }

  /// Days since the household's first event.
  std::int32_t tenure_days() const {
    if (folded_) return as_of_ - folded_->first_date;
    return exists() ? as_of_ - events_.dates.front() : 0;
  }

  /// Totals of `type` over the window (T − w, T], or all history without one.
  window_totals totals(const event_selector& type, std::optional<duration> window) const {
    window_totals out;
    if (!type.type) return out;
    std::size_t i = 0;
    if (!window && folded_) {
      if (const auto* f = type.folded(folded_, &folded_history::totals_of))
        out = {f->sum, f->count, f->min, f->max};
    }
    if (window) {
      const day start = before(*window);
      i = static_cast<std::size_t>(
          std::upper_bound(events_.dates.begin(), events_.dates.end(), start) -
          events_.dates.begin());
    }
    for (; i < events_.size(); ++i) {
      if (events_.types[i] != *type.type || (type.by_code && !type.matches(events_, i))) continue;
      const cents a = events_.amounts[i];
      out.min = out.count == 0 ? a : std::min(out.min, a);
      out.max = out.count == 0 ? a : std::max(out.max, a);
      out.sum += a;
      ++out.count;
    }
    return out;
  }

  /// Index one past the latest event of `type`, or 0 when there is none.
  std::size_t latest(const event_selector& type) const noexcept {
    if (!type.type) return 0;
    for (std::size_t i = events_.size(); i > 0; --i)
      if (type.matches(events_, i - 1)) return i;
    return 0;
  }

  /// Amount of the latest event of `type` (summed over its date).
  std::optional<cents> last(const event_selector& type) const {
    const std::size_t end = latest(type);
    if (end == 0) {
      const auto* f = type.folded(folded_, &folded_history::latest_of);
      return f ? std::optional<cents>(f->sum) : std::nullopt;
    }
    const day d = events_.dates[end - 1];
    cents total = 0;
    for (std::size_t i = end; i > 0 && events_.dates[i - 1] == d; --i)
      if (type.matches(events_, i - 1)) total += events_.amounts[i - 1];
    return total;
  }

  /// The code of the latest event of `type`, of several on its date the
  /// one `codes` puts later; 0 when it has none or there is no such event.
  code_id latest_code(std::optional<type_id> type, const code_table& codes) const noexcept {
    const std::size_t end = latest(type);
    if (end == 0) {
      const auto* f = folded_ && type ? folded_->latest_of(*type) : nullptr;
      return f ? f->code : code_id{0};
    }
    code_id chosen = 0;
    for (std::size_t i = end; i > 0 && events_.dates[i - 1] == events_.dates[end - 1]; --i)
      if (events_.types[i - 1] == *type) chosen = codes.later(chosen, events_.code(i - 1));
    return chosen;
  }

  /// The date of the next event of `type` on or after the as-of date: of the
  /// events given, those after it included (a scheduled type's, docs/language.md,
  /// Scheduled events).
  std::optional<day> next_of(const event_selector& type) const noexcept {
    if (!type.type) return std::nullopt;
    // Today's, if any, is the last of the events seen.
    for (std::size_t i = events_.size(); i > 0 && events_.dates[i - 1] == as_of_; --i)
      if (type.matches(events_, i - 1)) return as_of_;
    // The events after as_of_ follow events_ in the same columns.
    const household_events ahead{
        {events_.dates.data() + events_.size(), ahead_},
        {events_.types.data() + events_.size(), ahead_},
        {events_.amounts.data() + events_.size(), ahead_},
        // Not events_.codes.empty(): with no event seen yet that is empty too.
        coded_ ? std::span<const code_id>(events_.codes.data() + events_.size(), ahead_)
               : std::span<const code_id>()};
    for (std::size_t i = 0; i < ahead_; ++i)
      if (type.matches(ahead, i)) return ahead.dates[i];
    return std::nullopt;
  }

  /// Days from the as-of date to the next event of `type` (0 on its day).
  std::optional<std::int32_t> days_until(const event_selector& type) const noexcept {
    const auto next = next_of(type);
    return next ? std::optional<std::int32_t>(*next - as_of_) : std::nullopt;
  }

  /// Days since the latest event of `type`.
  std::optional<std::int32_t> days_since(const event_selector& type) const {
    const std::size_t end = latest(type);
    if (end == 0) {
      const auto* f = type.folded(folded_, &folded_history::latest_of);
      return f ? std::optional<std::int32_t>(as_of_ - f->date) : std::nullopt;
    }
    return as_of_ - events_.dates[end - 1];
  }

  /// Least-squares slope of the balance (or arrears) sampled at T − j months,
  /// j = 0…months−1, with x = −j; currency per month, exact.
  value trend(bool of_arrears, std::int32_t months) const {
    return least_squares_trend(months, of_arrears, [&](std::int32_t j) {
      return balance_on(before({j, period::month}));
    });
  }

  /// The least-squares slope of `months` samples, sample(j) being the
  /// balance j months back (x = −j), of the arrears when `of_arrears`:
  /// trend()'s arithmetic, on samples given apart so that a test can hold it
  /// against trend_numerator() / trend_denominator(), which the change
  /// schedule's look ahead uses.
  template <class Sample>
  static value least_squares_trend(std::int32_t months, bool of_arrears, Sample&& sample) {
    // Gathered here, solved by the compiled library (detail/least_squares.hpp).
    constexpr std::int32_t on_stack = 64;
    std::array<cents, on_stack> few;
    std::vector<cents> many(months > on_stack ? static_cast<std::size_t>(months) : 0);
    const std::span<cents> samples =
        months > on_stack
            ? std::span<cents>(many)
            : std::span<cents>(few.data(), static_cast<std::size_t>(std::max(months, 0)));
    for (std::int32_t j = 0; j < static_cast<std::int32_t>(samples.size()); ++j)
      samples[static_cast<std::size_t>(j)] = sample(j);
    return detail::least_squares_slope(samples, of_arrears);
  }

  /// The least-squares slope of `months` samples at x = 0, −1, … is
  /// trend_numerator() / trend_denominator() (before any reduction), from
  /// Σy and Σxy alone (Σ1, Σx and Σx² follow from `months`), by Cramer's
  /// rule. A caller that changes one sample at a time updates the two sums
  /// instead of summing every sample again. The numerator, …
  static detail::int128 trend_numerator(std::int32_t months, detail::int128 sum_y,
                                        detail::int128 sum_xy) {
    // Σ1 and Σx over x = 0, −1, …, −(months − 1), in closed form.
    const std::int64_t n = months, sum_x = -n * (n - 1) / 2;
    return n * sum_xy - sum_x * sum_y;
  }
  /// … and the determinant, times 100 for hundredths: positive for two
  /// samples or more.
  static detail::int128 trend_denominator(std::int32_t months) {
    const std::int64_t n = months, sum_x = -n * (n - 1) / 2, sum_xx = (n - 1) * n * (2 * n - 1) / 6;
    return (static_cast<detail::int128>(n) * sum_xx - static_cast<detail::int128>(sum_x) * sum_x) *
           100;
  }

  /// The balance at the end of event `i` of events(), when no later event
  /// shares its date: balance_on(events().dates[i]) without the search.
  cents balance_through(std::size_t i) const {
    ensure_running();
    return running_[i];
  }

  /// The repayment plan in force and whether it is kept (docs/language.md, Signals and functions):
  /// on a date with several plan events the largest instalment counts, so their order within the
  /// day does not matter.
  plan_status plan() const {
    if (!plan_) plan_ = compute_plan();
    return *plan_;
  }

  /// How far the balance is above what the plan in force allows (balance
  /// agreed − instalment × months completed), 0 when it is not; no value
  /// without a plan in force, or beyond 64 bits (docs/language.md, Signals).
  /// Greater than 0 exactly where plan_breached holds.
  value plan_shortfall() const {
    const plan_status p = plan();
    if (!p.active) return {};
    const detail::int128 allowed = static_cast<detail::int128>(p.balance_agreed) -
                                   static_cast<detail::int128>(p.instalment) * p.instalments_due;
    const detail::int128 over = static_cast<detail::int128>(balance()) - allowed;
    if (over <= 0) return value::money(0);
    if (over > detail::int64_max) return {};
    return value::money(static_cast<cents>(over));
  }

 private:
  plan_status compute_plan() const {
    plan_status out;
    const std::size_t end = latest(builtin_type::plan);
    std::size_t first = 0;  // the first event on or after the agreement
    if (end == 0) {
      // No plan among the recent events: the plan folded at the boundary, if any.
      if (!folded_ || !folded_->plan_in_force) return out;
      out.agreed = folded_->plan_date;
      out.instalment = folded_->instalment;
      out.frequency = folded_->instalment_frequency;
    } else {
      out.agreed = events_.dates[end - 1];
      // The largest instalment of the date, and of equal ones the code
      // code_table::later() picks: the order within the day never matters.
      code_id chosen = 0;
      for (std::size_t i = end; i > 0 && events_.dates[i - 1] == out.agreed; --i) {
        if (events_.types[i - 1] != builtin_type::plan) continue;
        const cents a = events_.amounts[i - 1];
        const code_id c = events_.code(i - 1);
        if (a > out.instalment) {
          out.instalment = a;
          chosen = c;
        } else if (a == out.instalment && codes_) {
          chosen = codes_->later(chosen, c);
        }
      }
      if (out.instalment == 0) return out;
      if (codes_ && chosen != 0)
        out.frequency =
            parse_plan_frequency(codes_->name(chosen)).value_or(plan_frequency::monthly);
      first = static_cast<std::size_t>(
          std::lower_bound(events_.dates.begin(), events_.dates.end(), out.agreed) -
          events_.dates.begin());
    }
    ensure_running();
    // A plan ends for good on the first day that closes with nothing owed.
    for (std::size_t i = first; i < events_.size(); ++i) {
      const bool end_of_day = i + 1 == events_.size() || events_.dates[i + 1] != events_.dates[i];
      if (end_of_day && running_[i] <= 0) return out;
    }
    out.balance_agreed = end == 0 ? folded_->plan_balance : balance_on(out.agreed);
    out.instalments_due = instalments_due(out.agreed, out.frequency, as_of_);
    out.active = true;
    // In 128 bits: an instalment up to max_amount times up to 521,722 weeks
    // (0001-01-01 to 9999-12-31) is beyond 64 bits.
    out.breached = static_cast<detail::int128>(balance()) >
                   static_cast<detail::int128>(out.balance_agreed) -
                       static_cast<detail::int128>(out.instalment) * out.instalments_due;
    return out;
  }

  void ensure_running() const {
    if (running_.size() == events_.size()) return;
    running_.resize(events_.size());
    cents b = folded_balance();
    for (std::size_t i = 0; i < events_.size(); ++i) {
      b += effects_.signed_amount(events_.types[i], events_.amounts[i]);
      running_[i] = b;
    }
  }

  cents folded_balance() const noexcept { return folded_ ? folded_->balance : 0; }

  household_events events_;
  std::size_t ahead_;  // events dated after as_of_, right after events_: for days_until()
  bool coded_;         // the events have codes (events_.codes may be empty for having no event)
  day as_of_;
  const effect_table& effects_;
  std::vector<cents>& running_;
  mutable std::optional<plan_status> plan_;
  const folded_history* folded_;
  detail::calendar_memo* calendar_;
  const code_table* codes_;
};

}  // namespace earlywarn

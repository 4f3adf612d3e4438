#pragma once
/// \file folded_history.hpp
/// What a household's old events still contribute, once folded into aggregates.
///
/// A stream keeps a household's recent events one by one and folds older
/// ones, beyond the longest window its rules read, into this summary, so its
/// memory is bounded by the windows, not by years of history. Every signal
/// of docs/language.md, Signals and functions stays exact: balances are sums, FIFO arrears keep the
/// folded charges not yet covered, all-history totals and latest events are kept per type, and a
/// repayment plan agreed before the boundary keeps its terms.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "earlywarn/detail/effect_table.hpp"
#include "earlywarn/model/ledger.hpp"
#include "earlywarn/model/plan_frequency.hpp"

namespace earlywarn {

/// Which per-type summaries a ruleset reads from folded events: only those
/// are kept, so a household's folded state holds what its rules can ask for.
struct fold_needs {
  /// Per type id: totals for all-history sum/count/avg/min/max.
  std::vector<std::uint8_t> totals;
  /// Per type id: the latest date, its amount and code, for last(), days_since() and code().
  std::vector<std::uint8_t> latest;

  bool wants_totals(type_id t) const noexcept { return t < totals.size() && totals[t]; }
  bool wants_latest(type_id t) const noexcept { return t < latest.size() && latest[t]; }
};

/// The aggregate of a household's events dated on or before `boundary`.
struct folded_history {
  /// Totals of one type among the folded events.
  struct type_totals {
    std::int64_t count = 0;
    cents sum = 0;
    cents min = 0;
    cents max = 0;
    type_id type = 0;
  };
  /// The latest folded date with an event of one type.
  struct type_latest {
    day date = 0;
    type_id type = 0;
    cents sum = 0;     ///< amounts of that type on `date`
    code_id code = 0;  ///< of their codes the one code() reads (code_table::later)
  };
  /// A folded charge (increase) that folded payments have not covered.
  struct open_charge {
    day date = 0;
    cents amount = 0;
  };

  bool any = false;  ///< anything folded at all
  day boundary = 0;  ///< every folded event is dated on or before this
  day first_date = 0;
  cents balance = 0;
  /// Σ folded decreases not yet allocated to folded charges: the charges
  /// they covered are dropped, and only this difference is ever read.
  cents unallocated = 0;
  std::vector<open_charge> open_charges;  ///< date order
  std::vector<type_totals> totals;        ///< the types fold_needs::totals names
  std::vector<type_latest> latest;        ///< the types fold_needs::latest names
  bool plan_in_force = false;  ///< a plan with an instalment, not ended by a zero balance
  day plan_date = 0;
  cents instalment = 0;
  plan_frequency instalment_frequency = plan_frequency::monthly;
  cents plan_balance = 0;  ///< balance at the end of the plan's date

  const type_totals* totals_of(type_id t) const noexcept {
    for (const type_totals& x : totals)
      if (x.type == t) return &x;
    return nullptr;
  }
  const type_latest* latest_of(type_id t) const noexcept {
    for (const type_latest& x : latest)
      if (x.type == t) return &x;
    return nullptr;
  }
};

namespace detail {
/// The entry of type `t` in `v`, added (default, with its type) if absent.
/// Vectors grow by one: a household has a handful of types, kept for years.
template <class Entry>
Entry& entry_of(std::vector<Entry>& v, type_id t) {
  for (Entry& x : v)
    if (x.type == t) return x;
  v.reserve(v.size() + 1);
  v.push_back({});
  v.back().type = t;
  return v.back();
}
}  // namespace detail

/// Folds `events` (date order, all dated on or before `boundary`, and after
/// anything folded before) into `f`; `codes` names their codes.
inline void fold(folded_history& f, household_events events, const effect_table& effects,
                 const fold_needs& needs, day boundary, const code_table& codes) {
  const bool first_fold = !f.any;
  cents day_plan = -1;        // largest plan instalment of the day being folded; -1: none
  code_id day_plan_code = 0;  // of the day's plans with that instalment, the code later() picks
  for (std::size_t i = 0; i < events.size(); ++i) {
    const day d = events.dates[i];
    const type_id t = events.types[i];
    const cents a = events.amounts[i];
    if (!f.any) {
      f.any = true;
      f.first_date = d;
    }
    f.balance += effects.signed_amount(t, a);
    if (effects[t] == balance_effect::decreases) f.unallocated += a;
    if (effects[t] == balance_effect::increases) f.open_charges.push_back({d, a});
    if (needs.wants_totals(t)) {
      folded_history::type_totals& x = detail::entry_of(f.totals, t);
      x.min = x.count == 0 ? a : std::min(x.min, a);
      x.max = x.count == 0 ? a : std::max(x.max, a);
      ++x.count;
      x.sum += a;
    }
    if (needs.wants_latest(t)) {
      folded_history::type_latest& x = detail::entry_of(f.latest, t);
      if (d != x.date) x.sum = x.code = 0;
      x.date = d;
      x.sum += a;
      x.code = codes.later(x.code, events.code(i));
    }
    if (t == builtin_type::plan) {
      if (a > day_plan) {
        day_plan = a;
        day_plan_code = events.code(i);
      } else if (a == day_plan) {
        day_plan_code = codes.later(day_plan_code, events.code(i));
      }
    }
    const bool end_of_day = i + 1 == events.size() || events.dates[i + 1] != d;
    if (!end_of_day) continue;
    // The plan rules of docs/language.md, Signals and functions, day by day: the largest instalment
    // of a date agrees a plan (0 ends it); a day closing with nothing owed ends it.
    if (day_plan >= 0) {
      f.plan_in_force = day_plan > 0 && f.balance > 0;
      f.plan_date = d;
      f.instalment = day_plan;
      f.instalment_frequency =
          parse_plan_frequency(codes.name(day_plan_code)).value_or(plan_frequency::monthly);
      f.plan_balance = f.balance;
      day_plan = -1;
      day_plan_code = 0;
    } else if (f.plan_in_force && f.balance <= 0) {
      f.plan_in_force = false;
    }
  }
  // Payments never shrink, so a charge covered now stays covered: drop it.
  std::size_t drop = 0;
  while (drop < f.open_charges.size() && f.open_charges[drop].amount <= f.unallocated)
    f.unallocated -= f.open_charges[drop++].amount;
  f.open_charges.erase(f.open_charges.begin(),
                       f.open_charges.begin() + static_cast<std::ptrdiff_t>(drop));
  // The first boundary as it is: the default 0 (1970-01-01) is no bound on
  // a history before 1970.
  f.boundary = first_fold ? boundary : std::max(f.boundary, boundary);
}

}  // namespace earlywarn

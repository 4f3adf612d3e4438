#pragma once
/// \file ledger.hpp
/// The in-memory ledger: events grouped by household, in date order, as columns.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <numeric>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "earlywarn/detail/compiler.hpp"
#include "earlywarn/detail/string_interner.hpp"
#include "earlywarn/model/date.hpp"
#include "earlywarn/model/error.hpp"
#include "earlywarn/model/event_code.hpp"
#include "earlywarn/model/event_type.hpp"
#include "earlywarn/model/household_attributes.hpp"
#include "earlywarn/model/money.hpp"
#include "earlywarn/model/plan_frequency.hpp"

namespace earlywarn {

/// Position of a household in a ledger; households are ordered by id.
using household_index = std::uint32_t;

/// Longest accepted household id, in bytes (docs/language.md, Ledger).
inline constexpr std::size_t max_household_id_length = 64;

/// The event types one ledger has seen; the built-in types have fixed ids.
class type_table {
 public:
  type_table() {
    for (const std::string_view name : builtin_type_names) names_.intern(name);
  }
  /// The id of `name`, adding it if new; throws std::invalid_argument for a
  /// name that is not `[a-z][a-z0-9_]*` or beyond `max_event_types` names.
  type_id intern(std::string_view name) {
    const std::int64_t found = names_.find(name);
    if (found >= 0) return static_cast<type_id>(found);
    if (!is_valid_type_name(name))
      throw invalid_input(error_kind::ledger,
                          "event type '" + std::string(name.substr(0, 80)) +
                              "' must match [a-z][a-z0-9_]* (at most 64 bytes)");
    if (full()) throw invalid_input(error_kind::ledger, std::string(too_many_types_message));
    return static_cast<type_id>(names_.intern(name));
  }
  /// True when no new name can be added (`max_event_types` reached).
  bool full() const noexcept { return names_.count() >= max_event_types; }
  /// The id of `name`, if this ledger has it.
  std::optional<type_id> find(std::string_view name) const noexcept {
    const std::int64_t found = names_.find(name);
    return found < 0 ? std::nullopt : std::optional<type_id>(static_cast<type_id>(found));
  }
  std::string_view name(type_id id) const noexcept { return names_.get(id); }
  std::size_t size() const noexcept { return names_.count(); }

 private:
  detail::string_interner names_;
};

/// One household's events in date order (events of one date in input order).
struct household_events {
  std::span<const day> dates;
  std::span<const type_id> types;
  std::span<const cents> amounts;
  /// The events' codes; empty when none of the ledger's events has one.
  std::span<const code_id> codes = {};

  std::size_t size() const noexcept { return dates.size(); }
  bool empty() const noexcept { return dates.empty(); }
  /// The code of event `i` (0: none).
  code_id code(std::size_t i) const noexcept { return codes.empty() ? code_id{0} : codes[i]; }
  /// The events dated on or before `as_of`: what evaluation as of that date sees.
  household_events up_to(day as_of) const noexcept {
    const auto end = std::upper_bound(dates.begin(), dates.end(), as_of);
    const auto n = static_cast<std::size_t>(end - dates.begin());
    return {dates.first(n), types.first(n), amounts.first(n),
            codes.empty() ? codes : codes.first(n)};
  }
};

class ledger_builder;

namespace detail {

/// An allocator whose `resize` leaves new elements of trivial types
/// uninitialised: a ledger column is written in full right after it is sized,
/// and zeroing it first would cost a pass over it on one thread.
template <class T>
struct uninitialized_allocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = uninitialized_allocator<U>;
  };
  uninitialized_allocator() = default;
  template <class U>
  uninitialized_allocator(const uninitialized_allocator<U>&) noexcept {}
  template <class U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

/// A ledger column.
template <class T>
using column = std::vector<T, uninitialized_allocator<T>>;

/// A ledger's representation, as its loaders fill it and a ledger takes it
/// whole: household h's ids are id_chars[id_offsets[h], id_offsets[h+1]),
/// its events [offsets[h], offsets[h+1]) of the event columns.
struct ledger_columns {
  std::vector<char> id_chars;
  std::vector<std::uint64_t> id_offsets{0};
  std::vector<std::uint64_t> offsets{0};
  column<day> dates;
  column<type_id> types;
  column<cents> amounts;
  column<code_id> codes;  // empty when no event has a code
  type_table type_names;
  code_table code_names;
  day first = 0;  ///< the earliest date, when there are events
  day last = 0;   ///< the latest date, when there are events

  /// Sorts the events of households [from, to) by date, keeping input order
  /// within a date; most households are already sorted and cost one scan.
  void sort_by_date(std::size_t from, std::size_t to) {
    std::vector<std::uint32_t> order;
    std::vector<day> old_dates;
    std::vector<type_id> old_types;
    std::vector<cents> old_amounts;
    std::vector<code_id> old_codes;
    for (std::size_t h = from; h < to; ++h) {
      const std::size_t b = offsets[h], e = offsets[h + 1];
      if (std::is_sorted(dates.begin() + b, dates.begin() + e)) continue;
      order.resize(e - b);
      std::iota(order.begin(), order.end(), 0u);
      std::stable_sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
        return dates[b + x] < dates[b + y];
      });
      old_dates.assign(dates.begin() + b, dates.begin() + e);
      old_types.assign(types.begin() + b, types.begin() + e);
      old_amounts.assign(amounts.begin() + b, amounts.begin() + e);
      for (std::size_t i = 0; i < order.size(); ++i) {
        dates[b + i] = old_dates[order[i]];
        types[b + i] = old_types[order[i]];
        amounts[b + i] = old_amounts[order[i]];
      }
      if (codes.empty()) continue;
      old_codes.assign(codes.begin() + b, codes.begin() + e);
      for (std::size_t i = 0; i < order.size(); ++i) codes[b + i] = old_codes[order[i]];
    }
  }
};

/// Throws std::invalid_argument unless 0 <= amount <= max_amount.
inline void check_amount(cents amount) {
  if (amount < 0 || amount > max_amount)
    throw invalid_input(
        error_kind::ledger,
        "amount " + std::to_string(amount) +
            " (in hundredths) is outside 0 to 1000000000000000 (10000000000000.00)");
}

/// Throws std::invalid_argument, naming the id, unless it has 1 to
/// max_household_id_length bytes.
inline void check_household_id(std::string_view id) {
  if (!id.empty() && id.size() <= max_household_id_length) return;
  throw invalid_input(
      error_kind::ledger,
      id.empty() ? std::string("household id must be 1-64 bytes, not empty")
                 : "household id must be 1-64 bytes, not " + std::to_string(id.size()) + " ('" +
                       std::string(id.substr(0, 80)) + (id.size() > 80 ? "…')" : "')"));
}

/// Throws std::invalid_argument for a day outside the supported calendar.
inline void check_date(day date) {
  constexpr day first = *parse_date(first_supported_date);
  constexpr day last = *parse_date(last_supported_date);
  if (date < first || date > last)
    throw invalid_input(error_kind::ledger, "date (day " + std::to_string(date) +
                                                ") is outside the " + "supported dates " +
                                                std::string(first_supported_date) + " to " +
                                                std::string(last_supported_date));
}
}  // namespace detail

/// An immutable columnar ledger: per household, its events sorted by date.
class ledger {
 public:
  ledger() = default;
  /// A ledger of columns a loader filled (`ledger_builder`, the CSV loader):
  /// grouped by household in id order, each household's events by date, the
  /// ids, offsets, tables and first and last dates consistent with them.
  explicit ledger(detail::ledger_columns columns) noexcept : c_(std::move(columns)) {}

  std::size_t household_count() const noexcept { return c_.offsets.size() - 1; }
  std::size_t event_count() const noexcept { return c_.dates.size(); }
  std::string_view household_id(household_index h) const noexcept {
    return {c_.id_chars.data() + c_.id_offsets[h], c_.id_offsets[h + 1] - c_.id_offsets[h]};
  }
  /// The household with this id, if present (binary search over sorted ids).
  std::optional<household_index> find_household(std::string_view id) const noexcept {
    std::size_t lo = 0, hi = household_count();
    while (lo < hi) {
      const std::size_t mid = lo + (hi - lo) / 2;
      if (household_id(static_cast<household_index>(mid)) < id)
        lo = mid + 1;
      else
        hi = mid;
    }
    if (lo < household_count() && household_id(static_cast<household_index>(lo)) == id)
      return static_cast<household_index>(lo);
    return std::nullopt;
  }
  household_events events(household_index h) const noexcept {
    const std::size_t b = c_.offsets[h], n = c_.offsets[h + 1] - b;
    return {std::span(c_.dates).subspan(b, n), std::span(c_.types).subspan(b, n),
            std::span(c_.amounts).subspan(b, n),
            c_.codes.empty() ? std::span<const code_id>() : std::span(c_.codes).subspan(b, n)};
  }
  const type_table& types() const noexcept { return c_.type_names; }
  /// The event codes this ledger has seen (docs/language.md, Event codes).
  const code_table& codes() const noexcept { return c_.code_names; }
  /// Earliest and latest event dates; empty for an empty ledger.
  std::optional<day> first_date() const noexcept {
    return event_count() ? std::optional<day>(c_.first) : std::nullopt;
  }
  std::optional<day> last_date() const noexcept {
    return event_count() ? std::optional<day>(c_.last) : std::nullopt;
  }

  /// The columns, grouped by household: household h owns [offsets[h], offsets[h+1]).
  std::span<const std::uint64_t> offsets() const noexcept { return c_.offsets; }
  std::span<const day> dates() const noexcept { return c_.dates; }
  std::span<const type_id> type_ids() const noexcept { return c_.types; }
  std::span<const cents> amounts() const noexcept { return c_.amounts; }
  /// The code column; empty when no event has a code.
  std::span<const code_id> code_ids() const noexcept { return c_.codes; }

  /// The household attributes given with the ledger (docs/language.md,
  /// Household attributes); null when none were.
  const household_attributes* attributes() const noexcept { return attributes_.get(); }
  /// Gives the ledger household attributes, replacing any it had. Households
  /// the ledger does not hold are kept but never read.
  void set_attributes(household_attributes attributes) {
    attributes_ = std::make_shared<const household_attributes>(std::move(attributes));
  }

  /// Bytes held by the columns and ids (what a loaded ledger costs in memory).
  std::size_t memory_bytes() const noexcept {
    return c_.id_chars.capacity() + c_.id_offsets.capacity() * sizeof(std::uint64_t) +
           c_.offsets.capacity() * sizeof(std::uint64_t) + c_.dates.capacity() * sizeof(day) +
           c_.types.capacity() * sizeof(type_id) + c_.amounts.capacity() * sizeof(cents) +
           c_.codes.capacity() * sizeof(code_id) + (attributes_ ? attributes_->memory_bytes() : 0);
  }

 private:
  friend class ledger_builder;  // shares a reopened ledger's attributes

  detail::ledger_columns c_;
  std::shared_ptr<const household_attributes> attributes_;
};

namespace detail {
/// The first household whose amounts add up to more than INT64_MAX hundredths
/// (92233720368547758.07), if any. Below that every balance, sum and window
/// total of a household fits 64 bits; beyond it one would wrap.
inline std::optional<household_index> household_beyond_total(const ledger& l) noexcept {
  const auto offsets = l.offsets();
  const auto amounts = l.amounts();
  for (std::size_t h = 0; h + 1 < offsets.size(); ++h) {
    cents total = 0;
    for (std::uint64_t i = offsets[h]; i < offsets[h + 1]; ++i)
      if (__builtin_add_overflow(total, amounts[i], &total)) return static_cast<household_index>(h);
  }
  return std::nullopt;
}

/// The error for `household_beyond_total`.
inline std::string beyond_total_message(std::string_view household) {
  return "household '" + std::string(household) +
         "': its amounts add up to more than 92233720368547758.07, the most one household's "
         "balance can hold in 64 bits";
}
}  // namespace detail

/// Collects events in any order and builds a ledger; also reopens a ledger to
/// append events to it.
class ledger_builder {
 public:
  ledger_builder() = default;
  /// Starts from an existing ledger's events, to append more.
  explicit ledger_builder(const ledger& existing) {
    reserve(existing.event_count());
    std::vector<type_id> type_of(existing.types().size());
    for (std::size_t t = 0; t < type_of.size(); ++t)
      type_of[t] = intern_type(existing.types().name(static_cast<type_id>(t)));
    std::vector<code_id> code_of(existing.codes().size());
    for (std::size_t c = 0; c < code_of.size(); ++c)
      code_of[c] = intern_code(existing.codes().name(static_cast<code_id>(c)));
    for (household_index h = 0; h < existing.household_count(); ++h) {
      const std::uint32_t handle = intern_household(existing.household_id(h));
      const household_events ev = existing.events(h);
      for (std::size_t i = 0; i < ev.size(); ++i)
        add(handle, ev.dates[i], type_of[ev.types[i]], ev.amounts[i], code_of[ev.code(i)]);
    }
    attributes_ = existing.attributes_;  // the ledger built keeps them
  }

  void reserve(std::size_t events) {
    households_col_.reserve(events);
    dates_.reserve(events);
    types_col_.reserve(events);
    amounts_.reserve(events);
  }

  /// A handle for a household id, for the fast `add`; throws
  /// std::invalid_argument for an empty id or one over 64 bytes.
  std::uint32_t intern_household(std::string_view id) {
    detail::check_household_id(id);
    return households_.intern(id);
  }
  /// The id of an event type in the ledger being built.
  type_id intern_type(std::string_view name) { return types_.intern(name); }
  /// The id of an event code in the ledger being built (0 for the empty code);
  /// throws std::invalid_argument for a code `code_problem` refuses.
  code_id intern_code(std::string_view code) { return codes_.intern(code); }
  /// The id text behind a household handle (stable while the builder lives).
  std::string_view household_name(std::uint32_t handle) const noexcept {
    return households_.get(handle);
  }
  /// The name of a type id (stable while the builder lives).
  std::string_view type_name(type_id id) const noexcept { return types_.name(id); }

  /// Adds one event by handles (no checks beyond the amount's and date's
  /// ranges); throws std::invalid_argument for either out of range.
  void add(std::uint32_t household, day date, type_id type, cents amount, code_id code = 0) {
    detail::check_amount(amount);
    detail::check_date(date);
    households_col_.push_back(household);
    dates_.push_back(date);
    types_col_.push_back(type);
    amounts_.push_back(amount);
    // The code column exists only once some event has a code (perhaps this
    // one, perhaps the first).
    if (code != 0 || !codes_col_.empty()) {
      codes_col_.resize(dates_.size() - 1, 0);
      codes_col_.push_back(code);
    }
  }
  /// Adds one event by names; `code` empty for none.
  void add(std::string_view household, day date, std::string_view type, cents amount,
           std::string_view code = {}) {
    // Check everything before interning, so a refused event leaves nothing behind.
    detail::check_amount(amount);
    detail::check_date(date);
    detail::check_household_id(household);
    check_event_code(type, code);
    const type_id t = intern_type(type);
    const code_id c = intern_code(code);
    add(intern_household(household), date, t, amount, c);
  }

  std::size_t event_count() const noexcept { return dates_.size(); }

  /// Groups the events by household (ordered by id) and sorts each household's
  /// events by date, keeping input order within a date. Throws
  /// std::invalid_argument when one household's amounts add up beyond 64 bits.
  ledger build() && {
    detail::ledger_columns out;
    const std::size_t household_total = households_.count();
    std::vector<std::uint32_t> by_id(household_total);
    std::iota(by_id.begin(), by_id.end(), 0u);
    std::sort(by_id.begin(), by_id.end(), [&](std::uint32_t a, std::uint32_t b) {
      return households_.get(a) < households_.get(b);
    });
    std::vector<std::uint32_t> rank(household_total);
    out.id_offsets.reserve(household_total + 1);
    for (std::uint32_t r = 0; r < household_total; ++r) {
      rank[by_id[r]] = r;
      const std::string_view id = households_.get(by_id[r]);
      out.id_chars.insert(out.id_chars.end(), id.begin(), id.end());
      out.id_offsets.push_back(out.id_chars.size());
    }
    by_id = {};

    // Counting sort by household rank: stable, so input order survives.
    out.offsets.assign(household_total + 1, 0);
    for (std::uint32_t& h : households_col_) {
      h = rank[h];
      ++out.offsets[h + 1];
    }
    std::partial_sum(out.offsets.begin(), out.offsets.end(), out.offsets.begin());
    std::vector<std::uint64_t> cursor;
    scatter(dates_, out.offsets, cursor, out.dates);
    scatter(types_col_, out.offsets, cursor, out.types);
    scatter(amounts_, out.offsets, cursor, out.amounts);
    if (!codes_col_.empty()) scatter(codes_col_, out.offsets, cursor, out.codes);
    households_col_ = {};

    out.sort_by_date(0, household_total);
    if (!out.dates.empty()) {
      const auto [lo, hi] = std::minmax_element(out.dates.begin(), out.dates.end());
      out.first = *lo;
      out.last = *hi;
    }
    out.type_names = std::move(types_);
    out.code_names = std::move(codes_);
    ledger built(std::move(out));
    built.attributes_ = std::move(attributes_);
    if (const auto h = detail::household_beyond_total(built))
      throw invalid_input(error_kind::ledger, detail::beyond_total_message(built.household_id(*h)));
    return built;
  }

 private:
  // Moves one column into household order (stable); frees the source as it
  // goes so peak memory stays near one extra column.
  template <class T, class Column>
  void scatter(std::vector<T>& from, const std::vector<std::uint64_t>& offsets,
               std::vector<std::uint64_t>& cursor, Column& to) const {
    cursor.assign(offsets.begin(), offsets.end() - 1);
    to.resize(from.size());
    for (std::size_t i = 0; i < from.size(); ++i) to[cursor[households_col_[i]]++] = from[i];
    from = {};
  }

  detail::string_interner households_;
  type_table types_;
  code_table codes_;
  std::vector<std::uint32_t> households_col_;
  std::vector<day> dates_;
  std::vector<type_id> types_col_;
  std::vector<cents> amounts_;
  std::vector<code_id> codes_col_;  // empty until some event has a code
  std::shared_ptr<const household_attributes> attributes_;
};

/// Builds a ledger from parallel columns (households, dates as day numbers,
/// type names, amounts in hundredths, and codes or an empty span for none),
/// as bindings and importers hold them. Throws std::invalid_argument when the
/// columns differ in length or a value is invalid.
inline ledger ledger_from_columns(std::span<const std::string_view> households,
                                  std::span<const day> dates,
                                  std::span<const std::string_view> types,
                                  std::span<const cents> amounts,
                                  std::span<const std::string_view> codes = {}) {
  if (households.size() != dates.size() || dates.size() != types.size() ||
      types.size() != amounts.size() || (!codes.empty() && codes.size() != amounts.size()))
    throw invalid_input(error_kind::misuse, "ledger columns must have the same length");
  ledger_builder builder;
  builder.reserve(dates.size());
  for (std::size_t i = 0; i < dates.size(); ++i)
    builder.add(households[i], dates[i], types[i], amounts[i],
                codes.empty() ? std::string_view() : codes[i]);
  return std::move(builder).build();
}

}  // namespace earlywarn

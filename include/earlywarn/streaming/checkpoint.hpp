#pragma once
/// \file checkpoint.hpp
/// Saving and restoring a stream's whole state (docs/language.md, Alerts): atomic, versioned,
/// tied to the ruleset's fingerprint, checked before anything is restored.
///
/// File layout: the magic `EARLYWARN-STATE\n`, a format version (u32), the
/// payload length (u64), the payload, and an FNV-1a checksum (u64) of all
/// that precedes it. Integers are little-endian.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "earlywarn/detail/atomic_write.hpp"
#include "earlywarn/detail/file_bytes.hpp"
#include "earlywarn/detail/fnv1a.hpp"
#include "earlywarn/detail/int128.hpp"
#include "earlywarn/loading/load_rules.hpp"
#include "earlywarn/model/error.hpp"
#include "earlywarn/streaming/stream.hpp"

namespace earlywarn {

/// The rules a state was saved under (stream_checkpoint::saved_rules).
struct rules_source {
  std::string fingerprint;
  std::string name;
  std::int64_t version = 0;
  std::string source;
  std::string file_name;
  param_overrides params;  ///< the params set from outside the file
};

/// What a caller stores beside the engine to resume exactly where it stopped.
struct checkpoint_position {
  std::uint64_t input_rows = 0;    ///< input rows consumed
  std::uint64_t output_bytes = 0;  ///< bytes of alerts written and synced
};

namespace detail {

inline constexpr char checkpoint_magic[] = "EARLYWARN-STATE\n";
/// 10: after the ruleset's fingerprint, name and version, the rules text it
/// was compiled from: the source, its file name, and the params set from
/// outside (a count, then name and value), so that a stream restarted with
/// other rules can reload them (stream_reload.hpp).
/// 9: an alert state's flags may say a rule is waiting out its
/// `raise_after` (8) or its `clear_after` (16); each such flag adds the day
/// the wait began after the day of the last raise.
/// 8: after the households of the open day, the household attributes as
/// set: a count (u32), then per household its id and the text of each
/// attribute the rules declare, in declaration order (empty: no value).
/// 5: after each household's due date and open-day flag, the total of every
/// amount accepted for it (i64), which a stream holds to a ledger's bound.
/// 4: a household's bytes are packed_household's layout with the events last
/// (count, alert states, folded history, events; folded dates relative to
/// the boundary; the folded payments not yet allocated to charges as one number).
inline constexpr std::uint32_t checkpoint_format = 10;

class byte_writer {
 public:
  template <class T>
  void put(T v) {
    char bytes[sizeof(T)];
    for (std::size_t i = 0; i < sizeof(T); ++i)
      bytes[i] = static_cast<char>((static_cast<std::uint64_t>(v) >> (8 * i)) & 0xFF);
    out_.append(bytes, sizeof(T));
  }
  void put(std::string_view s) {
    put<std::uint32_t>(static_cast<std::uint32_t>(s.size()));
    out_ += s;
  }
  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

/// Reads what byte_writer wrote; throws std::runtime_error past the end.
class byte_reader {
 public:
  explicit byte_reader(std::string_view in) : in_(in) {}
  template <class T>
  T get() {
    need(sizeof(T));
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i)
      v |= static_cast<std::uint64_t>(static_cast<unsigned char>(in_[pos_ + i])) << (8 * i);
    pos_ += sizeof(T);
    return static_cast<T>(v);
  }
  std::string_view text() {
    const auto n = get<std::uint32_t>();
    need(n);
    const std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  bool done() const { return pos_ == in_.size(); }

 private:
  void need(std::size_t n) const {
    if (in_.size() - pos_ < n) throw std::runtime_error("state ends early");
  }
  std::string_view in_;
  std::size_t pos_ = 0;
};

}  // namespace detail

/// Saves and restores stream_engine state.
class stream_checkpoint {
 public:
  /// The engine's state and `position` as checkpoint file bytes.
  static std::string serialize(const stream_engine& e, const checkpoint_position& position) {
    detail::byte_writer w;
    const ruleset& rs = e.rules();
    w.put(std::string_view(rs.fingerprint));
    w.put(std::string_view(rs.name));
    w.put<std::int64_t>(rs.version);
    w.put(std::string_view(rs.source));
    w.put(std::string_view(rs.file_name));
    const param_overrides params = outside_params(rs);
    w.put<std::uint32_t>(static_cast<std::uint32_t>(params.size()));
    for (const auto& [name, text] : params) {
      w.put(std::string_view(name));
      w.put(std::string_view(text));
    }
    w.put<std::uint64_t>(position.input_rows);
    w.put<std::uint64_t>(position.output_bytes);
    w.put<std::int32_t>(e.clock());
    w.put<std::uint8_t>(e.started());
    w.put<std::uint8_t>(e.day_open());
    w.put<std::uint64_t>(e.event_count());
    w.put<std::uint32_t>(static_cast<std::uint32_t>(e.types().size()));
    // A 16-bit counter would never reach 65,536 types.
    for (std::size_t t = 0; t < e.types().size(); ++t)
      w.put(e.types().name(static_cast<type_id>(t)));
    // The codes after the empty one, which every table has as id 0.
    w.put<std::uint32_t>(static_cast<std::uint32_t>(e.codes().size()));
    for (std::size_t c = 1; c < e.codes().size(); ++c)
      w.put(e.codes().name(static_cast<code_id>(c)));
    w.put<std::uint32_t>(static_cast<std::uint32_t>(e.household_count()));
    // The household as the engine packs it: one list of its fields, in
    // packed_household, for memory and for files alike; the open day's
    // events are saved with their households, as if applied.
    e.for_each_household([&](const stream_engine::household_view& h) {
      w.put(h.id);
      w.put(std::string_view(reinterpret_cast<const char*>(h.packed.data()), h.packed.size()));
      w.put<std::int32_t>(h.next_check);
      w.put<std::uint8_t>(h.open_day);
      w.put<std::int64_t>(h.total);
    });
    const std::span<const std::uint32_t> open_day = e.open_day_households();
    w.put<std::uint32_t>(static_cast<std::uint32_t>(open_day.size()));
    for (const std::uint32_t h : open_day) w.put<std::uint32_t>(h);
    const household_attributes& set = e.attributes();
    std::vector<std::optional<std::uint32_t>> columns;
    for (const attribute_declaration& a : rs.attributes) columns.push_back(set.find_column(a.name));
    w.put<std::uint32_t>(static_cast<std::uint32_t>(set.household_count()));
    for (std::uint32_t row = 0; row < set.household_count(); ++row) {
      w.put(set.household_id(row));
      for (const auto& column : columns)
        w.put(column ? set.text(row, *column) : std::string_view());
    }

    detail::byte_writer file;
    file.bytes() = std::string(detail::checkpoint_magic, sizeof detail::checkpoint_magic - 1);
    file.put<std::uint32_t>(detail::checkpoint_format);
    file.put<std::uint64_t>(w.bytes().size());
    file.bytes() += w.bytes();
    file.put<std::uint64_t>(detail::fnv1a(file.bytes()));
    return std::move(file.bytes());
  }

  /// Writes the checkpoint atomically (detail::write_atomically): a crash
  /// leaves the old checkpoint or the new, whole.
  /// Returns the error (kind io, naming `path`), or nothing on success.
  [[nodiscard]] static std::optional<error> save(const stream_engine& e, const std::string& path,
                                                 const checkpoint_position& position) {
    auto problem = detail::write_atomically(path, serialize(e, position));
    if (!problem) return std::nullopt;
    return error{error_kind::io, std::move(*problem), path, 0, 0, {}};
  }

  /// Restores a checkpoint into `e`, which must be newly made (nothing
  /// pushed) with the ruleset the checkpoint was written under. The file is
  /// checked whole before anything changes: a truncated, corrupted or foreign
  /// file, another ruleset, or a file whose checksum is right but whose
  /// fields break what the engine assumes (a date outside the calendar or
  /// after the clock, an amount beyond max_amount, events out of order, an
  /// unknown type, inconsistent counts) gives an error of kind checkpoint
  /// naming the field, and leaves `e` as it was. An engine that is not newly
  /// made throws invalid_input (misuse).
  [[nodiscard]] static std::optional<error> restore(stream_engine& e, std::string_view bytes,
                                                    checkpoint_position& position) {
    std::string_view payload;
    if (auto problem = checked_payload(bytes, payload)) return refused(std::move(*problem));
    if (e.started() || e.household_count() != 0)
      throw invalid_input(error_kind::misuse, "restore needs a newly made stream_engine");
    try {
      if (auto problem = read_payload(e, payload, position)) return refused(std::move(*problem));
      return std::nullopt;
    } catch (const std::exception& x) {
      return refused(std::string("the state file is inconsistent: ") + x.what());
    }
  }

  /// The rules a state was saved under, from checkpoint file bytes: to
  /// compile them again (compile_rules) and reload a stream restarted with
  /// other rules. The error (kind checkpoint) when the bytes are not a
  /// whole state file.
  [[nodiscard]] static std::optional<error> saved_rules(std::string_view bytes, rules_source& out) {
    std::string_view payload;
    if (auto problem = checked_payload(bytes, payload)) return refused(std::move(*problem));
    try {
      detail::byte_reader r(payload);
      out.fingerprint = r.text();
      out.name = r.text();
      out.version = r.get<std::int64_t>();
      out.source = r.text();
      out.file_name = r.text();
      out.params.clear();
      const auto count = r.get<std::uint32_t>();
      if (count > payload.size()) refuse("impossible param count");
      for (std::uint32_t i = 0; i < count; ++i) {
        std::string name(r.text());
        out.params.emplace_back(std::move(name), std::string(r.text()));
      }
    } catch (const std::exception& x) {
      return refused(std::string("the state file is inconsistent: ") + x.what());
    }
    return std::nullopt;
  }

  /// Reads the checkpoint file at `path` and restores it into `e` as
  /// restore() does; the error names `path` (kind io when it cannot be read).
  [[nodiscard]] static std::optional<error> load(stream_engine& e, const std::string& path,
                                                 checkpoint_position& position) {
    detail::file_bytes file;
    std::string reason;
    if (!file.open(path, reason))
      return error{error_kind::io, "cannot read the state file: " + reason, path, 0, 0, {}};
    auto problem = restore(e, file.view(), position);
    if (problem) problem->file = path;
    return problem;
  }

 private:
  static error refused(std::string message) {
    return error{error_kind::checkpoint, std::move(message), {}, 0, 0, {}};
  }

  // The payload of whole, uncorrupted checkpoint file bytes, or the problem.
  static std::optional<std::string> checked_payload(std::string_view bytes,
                                                    std::string_view& payload) {
    const std::size_t magic = sizeof detail::checkpoint_magic - 1;
    if (bytes.size() < magic || bytes.substr(0, magic) != detail::checkpoint_magic)
      return std::string("not an earlywarn state file");
    if (bytes.size() < magic + 12) return std::string("the state file is truncated");
    detail::byte_reader header(bytes.substr(magic, 12));
    const auto format = header.get<std::uint32_t>();
    if (format != detail::checkpoint_format)
      return "the state file has format version " + std::to_string(format) +
             "; this earlywarn reads version " + std::to_string(detail::checkpoint_format);
    const auto length = header.get<std::uint64_t>();
    if (bytes.size() != magic + 12 + length + 8)
      return "the state file is truncated or has trailing bytes (expected " +
             std::to_string(magic + 20 + length) + " bytes, found " + std::to_string(bytes.size()) +
             ")";
    detail::byte_reader trailer(bytes.substr(magic + 12 + length));
    if (trailer.get<std::uint64_t>() != detail::fnv1a(bytes.substr(0, magic + 12 + length)))
      return std::string("the state file is corrupted (checksum mismatch)");
    payload = bytes.substr(magic + 12, length);
    return std::nullopt;
  }

  // What the engine relies on and a damaged file could break: each field of
  // a state file, checked against what the engine assumes of it. A file
  // whose checksum is right may still come from a buggy tool or a hand edit;
  // trusting it could make the next push run for ever or overflow.
  struct expectations {
    const ruleset& rules;
    std::size_t types;     // type ids are below this
    std::size_t codes;     // code ids are below this
    day clock;             // no date the engine has seen is later
    std::uint64_t events;  // no count exceeds the events ever pushed
    // Which types are declared scheduled, so that their events may lie after the clock.
    const effect_table& effects;
  };

  [[noreturn]] static void refuse(const std::string& what) { throw std::runtime_error(what); }

  static std::string date_text(day d) {
    if (d >= first_stream_date && d <= last_stream_date) return format_date(d);
    return "day number " + std::to_string(d);
  }
  static void check_date(const std::string& what, day d, day from, day to) {
    if (d < from || d > to)
      refuse(what + " " + date_text(d) + " is not between " + date_text(from) + " and " +
             date_text(to));
  }
  static void check_amount(const std::string& what, cents a) {
    if (a < 0 || a > max_amount)
      refuse(what + " " + std::to_string(a) + " is outside 0 to " + std::to_string(max_amount) +
             " hundredths, the largest amount of a ledger row");
  }
  // A sum of amounts of at most `events` events.
  static void check_sum(const std::string& what, cents v, std::uint64_t events,
                        bool may_be_negative) {
    const detail::int128 bound = static_cast<detail::int128>(events) * max_amount;
    const detail::int128 x = v;
    if (x > bound || x < (may_be_negative ? -bound : 0))
      refuse(what + " " + std::to_string(v) + " is beyond what " + std::to_string(events) +
             " events of at most " + std::to_string(max_amount) + " hundredths can add up to");
  }
  static void check_type(const std::string& what, type_id t, std::size_t types) {
    if (t >= types)
      refuse(what + " has type id " + std::to_string(t) + "; the file names " +
             std::to_string(types) + " types");
  }
  template <class Entry>
  static void check_types_unique(const char* what, const std::vector<Entry>& entries) {
    for (std::size_t i = 0; i < entries.size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (entries[i].type == entries[j].type)
          refuse(std::string(what) + " lists type id " + std::to_string(entries[i].type) +
                 " twice");
  }

  static void check_alert_states(const detail::household_work& w, const expectations& x) {
    const auto& states = w.tracker.states();
    for (std::size_t r = 0; r < states.size(); ++r) {
      const alert_tracker::state& s = states[r];
      if (!s.kept()) continue;
      const rule& rl = x.rules.rules[r];
      const std::string rule = "rule " + rl.name;
      if ((s.raised || s.waiting || s.lapsing) && !s.ever_raised)
        refuse(rule + " is open or held back but was never raised");
      if (s.raised && s.waiting) refuse(rule + " is both raised and held back by its cooldown");
      if (s.waiting && !rl.cooldown) refuse(rule + " is held back by a cooldown it does not have");
      if (s.holding && !rl.raise_after) refuse(rule + " waits out a raise_after it does not have");
      if (s.holding && s.raised) refuse(rule + " is both raised and waiting to be raised");
      if (s.lapsing && !rl.clear_after) refuse(rule + " waits out a clear_after it does not have");
      if (s.lapsing && !s.raised) refuse(rule + " waits to be cleared but is not raised");
      if (s.ever_raised)
        check_date(rule + "'s last raise", s.last_raised, first_stream_date, x.clock);
      else if (s.last_raised != 0)
        refuse(rule + " was never raised but has a day of its last raise");
      if (s.holding)
        check_date(rule + "'s first day holding", s.held_since, first_stream_date, x.clock);
      if (s.lapsing)
        check_date(rule + "'s first day not holding", s.lapsed_since, first_stream_date, x.clock);
    }
  }

  static void check_folded(const folded_history& f, const expectations& x) {
    if (!f.any) {
      if (f.boundary != 0 || f.first_date != 0 || f.balance != 0 || f.unallocated != 0 ||
          !f.open_charges.empty() || !f.totals.empty() || !f.latest.empty() || f.plan_in_force ||
          f.plan_date != 0 || f.instalment != 0 || f.plan_balance != 0)
        refuse("folded history without any event folded");
      return;
    }
    check_date("the folded history's boundary", f.boundary, first_stream_date, x.clock);
    check_date("the folded history's first date", f.first_date, first_stream_date, f.boundary);
    check_sum("the folded balance", f.balance, x.events, true);
    check_sum("the folded payments not allocated to charges", f.unallocated, x.events, false);
    if (f.open_charges.size() > x.events)
      refuse("more folded open charges than events ever pushed");
    day previous = f.first_date;
    for (const auto& c : f.open_charges) {
      check_date("a folded open charge's date", c.date, previous, f.boundary);
      check_amount("a folded open charge", c.amount);
      previous = c.date;
    }
    // Folding drops every charge the unallocated payments cover.
    if (!f.open_charges.empty() && f.open_charges.front().amount <= f.unallocated)
      refuse("the first folded open charge is covered by the unallocated payments");
    check_types_unique("the folded totals", f.totals);
    for (const auto& t : f.totals) {
      check_type("a folded total", t.type, x.types);
      if (t.count < 1 || static_cast<std::uint64_t>(t.count) > x.events)
        refuse("a folded total counts " + std::to_string(t.count) + " events, not 1 to " +
               std::to_string(x.events) + " (the events ever pushed)");
      check_amount("a folded minimum", t.min);
      check_amount("a folded maximum", t.max);
      if (t.min > t.max) refuse("a folded minimum is above its maximum");
      const detail::int128 sum = t.sum, n = t.count;
      if (sum < n * t.min || sum > n * t.max)
        refuse("a folded sum " + std::to_string(t.sum) + " of " + std::to_string(t.count) +
               " events is outside their minimum and maximum");
    }
    check_types_unique("the folded latest events", f.latest);
    for (const auto& l : f.latest) {
      check_type("a folded latest event", l.type, x.types);
      check_date("a folded latest event's date", l.date, f.first_date, f.boundary);
      check_sum("a folded latest day's amount", l.sum, x.events, false);
      check_code("a folded latest event", l.code, x.codes);
    }
    check_amount("the folded plan instalment", f.instalment);
    check_sum("the balance on the folded plan's date", f.plan_balance, x.events, true);
    if (f.plan_in_force) {
      check_date("the folded plan's date", f.plan_date, f.first_date, f.boundary);
      // A plan is in force only with an instalment and something owed.
      if (f.instalment == 0 || f.plan_balance <= 0)
        refuse("a folded plan in force with no instalment or nothing owed");
    } else if (f.plan_date != 0 || f.instalment != 0 || f.plan_balance != 0) {
      check_date("the folded plan's date", f.plan_date, f.first_date, f.boundary);
    }
  }

  // The total of every amount accepted holds at least what is kept of them:
  // the events kept one by one and the folded totals (one per type).
  static void check_total(cents total, const detail::household_work& w, const expectations& x) {
    check_sum("the household's total", total, x.events, false);
    detail::int128 kept = 0;
    for (const cents a : w.amounts) kept += a;
    for (const auto& t : w.folded.totals) kept += t.sum;
    if (kept > total)
      refuse("the household's total " + std::to_string(total) + " is below the amounts it keeps");
  }

  static void check_household(const detail::household_work& w, const expectations& x) {
    check_alert_states(w, x);
    const folded_history& f = w.folded;
    check_folded(f, x);
    if (w.dates.empty() && !f.any) refuse("no events and no folded history");
    if (w.dates.size() > x.events) refuse("more events than were ever pushed");
    for (std::size_t i = 0; i < w.dates.size(); ++i) {
      if (i > 0 && w.dates[i] < w.dates[i - 1]) refuse("events out of date order");
      check_type("an event", w.types[i], x.types);
      const bool ahead_allowed = x.effects.scheduled(w.types[i]);
      check_date("an event", w.dates[i], first_stream_date,
                 ahead_allowed ? last_stream_date : x.clock);
      if (f.any && w.dates[i] <= f.boundary)
        refuse("an event dated " + format_date(w.dates[i]) +
               " on or before its folded history's boundary " + format_date(f.boundary));
      check_amount("an event's amount", w.amounts[i]);
      check_code("an event", w.codes[i], x.codes);
    }
  }

  static void check_code(const char* what, code_id c, std::size_t codes) {
    if (c >= codes)
      refuse(std::string(what) + " has code id " + std::to_string(c) + " of only " +
             std::to_string(codes) + " codes");
  }

  static std::optional<std::string> read_payload(stream_engine& e, std::string_view payload,
                                                 checkpoint_position& position) {
    detail::byte_reader r(payload);
    const ruleset& rs = e.rules();
    const std::string fingerprint(r.text()), name(r.text());
    const auto version = r.get<std::int64_t>();
    r.text();  // the rules text (saved_rules)
    r.text();
    const auto params = r.get<std::uint32_t>();
    if (params > payload.size()) refuse("impossible param count");
    for (std::uint32_t i = 0; i < params; ++i) r.text(), r.text();
    if (fingerprint != rs.fingerprint)
      return "the state was saved under ruleset \"" + name + "\" version " +
             std::to_string(version) + " (fingerprint " + fingerprint +
             "), not the rules loaded now: \"" + rs.name + "\" version " +
             std::to_string(rs.version) + " (fingerprint " + rs.fingerprint +
             "); restore it under those rules and reload the new ones into it (stream_reload.hpp), "
             "or start a new state file";
    // Build everything aside; move into the engine only when all of it read.
    checkpoint_position p;
    p.input_rows = r.get<std::uint64_t>();
    p.output_bytes = r.get<std::uint64_t>();
    if (p.output_bytes > static_cast<std::uint64_t>(INT64_MAX))
      refuse("the alerts file's length " + std::to_string(p.output_bytes) +
             " is beyond the largest file size");
    const auto clock = r.get<std::int32_t>();
    const auto started_byte = r.get<std::uint8_t>(), open_byte = r.get<std::uint8_t>();
    if (started_byte > 1 || open_byte > 1) refuse("a flag is neither 0 nor 1");
    const bool started = started_byte != 0, open = open_byte != 0;
    const auto events = r.get<std::uint64_t>();
    if (started)
      check_date("the clock", clock, first_stream_date, last_stream_date);
    else if (clock != 0 || open || events != 0)
      refuse("a stream that has not started has a clock, an open day or events");
    type_table types;
    const auto type_count = r.get<std::uint32_t>();
    if (type_count > max_stream_types)
      refuse(std::to_string(type_count) + " event types; a stream holds at most 65,535");
    for (std::uint32_t t = 0; t < type_count; ++t)
      if (types.intern(r.text()) != t) refuse("duplicate type name");
    if (!detail::begins_with(types, e.types())) refuse("type table does not match the rules");
    code_table codes;
    const auto code_count = r.get<std::uint32_t>();
    if (code_count == 0 || code_count > max_event_codes)
      refuse(std::to_string(code_count) + " event codes; a stream holds 1 to 65,535");
    for (std::uint32_t c = 1; c < code_count; ++c) {
      const std::string_view code = r.text();
      if (code.empty() || code_problem(code)) refuse("an event code a ledger would refuse");
      if (codes.intern(code) != c) refuse("duplicate event code");
    }
    if (!detail::begins_with(codes, e.codes())) refuse("code table does not match the rules");
    detail::string_interner ids;
    const auto household_count = r.get<std::uint32_t>();
    if (household_count > payload.size()) refuse("impossible household count");
    if (started != (household_count != 0))
      refuse(started ? "a started stream has no households"
                     : "a stream that has not started has households");
    if (household_count > events) refuse("more households than events ever pushed");
    const expectations x{rs, types.size(), codes.size(), clock, events, e.effects()};
    std::vector<stream_engine::restored_state::household> households(household_count);
    detail::household_work work;
    std::uint64_t kept = 0;  // events stored one by one, in every household
    std::size_t dirty_flags = 0;
    for (std::uint32_t h = 0; h < households.size(); ++h) {
      const std::string_view id = r.text();
      if (id.empty() || id.size() > max_household_id_length)
        refuse("a household id of " + std::to_string(id.size()) + " bytes; ids have 1 to " +
               std::to_string(max_household_id_length));
      if (ids.intern(id) != h) refuse("duplicate household id " + std::string(id));
      auto& s = households[h];
      const std::string_view bytes = r.text();
      try {
        detail::packed_household::unpack_checked(
            std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), work,
            rs.rules.size());
        check_household(work, x);
        s.next_check = r.get<std::int32_t>();
        // Evaluations happen on or after the clock's day: a due date before
        // it would be walked towards day by day.
        if (s.next_check != never && s.next_check < clock)
          refuse("due on " + date_text(s.next_check) + ", before the clock " + date_text(clock));
        const auto dirty = r.get<std::uint8_t>();
        if (dirty > 1) refuse("a flag is neither 0 nor 1");
        s.open_day = dirty != 0;
        s.total = r.get<std::int64_t>();
        check_total(s.total, work, x);
      } catch (const std::exception& problem) {
        refuse("household " + std::string(id) + ": " + problem.what());
      }
      kept += work.dates.size();
      dirty_flags += s.open_day ? 1 : 0;
      s.packed.pack(work);
    }
    if (kept > events)
      refuse(std::to_string(kept) + " events stored, more than the " + std::to_string(events) +
             " ever pushed");
    const auto dirty_count = r.get<std::uint32_t>();
    if (dirty_count > households.size()) refuse("impossible household count");
    std::vector<std::uint32_t> dirty(dirty_count);
    std::vector<std::uint8_t> listed(households.size(), 0);
    for (std::uint32_t& h : dirty) {
      h = r.get<std::uint32_t>();
      if (h >= households.size()) refuse("unknown household index");
      if (!households[h].open_day || listed[h]++)
        refuse("the households with events of the open day do not match their flags");
    }
    if (dirty.size() != dirty_flags)
      refuse("the households with events of the open day do not match their flags");
    // The open day is the clock's, with households to evaluate: those listed.
    if (open != !dirty.empty())
      refuse(open ? "an open day without events" : "events of a day that is not open");
    household_attributes set;
    const auto attributed = r.get<std::uint32_t>();
    if (attributed > payload.size()) refuse("impossible household count");
    for (std::uint32_t row = 0; row < attributed; ++row) {
      const std::string_view id = r.text();
      if (id.empty() || id.size() > max_household_id_length)
        refuse("a household id of " + std::to_string(id.size()) + " bytes; ids have 1 to " +
               std::to_string(max_household_id_length));
      if (set.find_household(id)) refuse("attributes of household " + std::string(id) + " twice");
      for (std::uint32_t a = 0; a < rs.attributes.size(); ++a) {
        const std::string_view text = r.text();
        if (const auto problem = attribute_problem(rs.attributes[a].kind, text))
          refuse("attribute " + rs.attributes[a].name + " of household " + std::string(id) + ": " +
                 *problem);
        set.set(id, rs.attributes[a].name, text);
      }
    }
    if (!r.done()) refuse("unexpected bytes at the end");

    stream_engine::restored_state state;
    state.clock = clock;
    state.started = started;
    state.open = open;
    state.events = events;
    state.types = std::move(types);
    state.codes = std::move(codes);
    state.ids = std::move(ids);
    state.households = std::move(households);
    state.open_day_households = std::move(dirty);
    state.attributes = std::move(set);
    e.restore(std::move(state));
    position = p;
    return std::nullopt;
  }
};

}  // namespace earlywarn

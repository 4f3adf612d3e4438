#pragma once
/// \file packed_household.hpp
/// A stream's household at rest: its recent events, folded history and alert
/// states in one compact byte string.

#include <algorithm>
#include <climits>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "earlywarn/detail/folded_history.hpp"
#include "earlywarn/model/ledger.hpp"
#include "earlywarn/model/money.hpp"
#include "earlywarn/streaming/alert_tracker.hpp"

namespace earlywarn::detail {

class packed_household;

/// An event as a household stores it.
struct stored_event {
  day date;
  type_id type;
  code_id code;
  cents amount;
};

/// A household's state as it is worked on: unpacked, in plain vectors.
///
/// It remembers which of its events came from the packed_household it was
/// unpacked from, so that packing it back copies their stored bytes instead
/// of encoding them again. Change the events only through add() and
/// drop_front(), and the folded history only together with drop_front()
/// (folding drops the events it folds), or call forget_source(): packing
/// trusts that record and copies the stored folded history while no event
/// was dropped. The record holds while its packed_household is not packed
/// from other work in between (as the stream does: unpack, evaluate, pack).
struct household_work {
  std::vector<day> dates;  ///< recent events, date order
  std::vector<type_id> types;
  std::vector<cents> amounts;
  std::vector<code_id> codes;  ///< 0 for an event without a code
  folded_history folded;       ///< the events before them, summarised
  alert_tracker tracker{0};

  household_events events() const noexcept { return {dates, types, amounts, codes}; }

  /// Adds an event after the events of its date (and before later ones).
  void add(day date, type_id type, cents amount, code_id code = 0) {
    if (dates.empty() || date >= dates.back()) {
      dates.push_back(date);
      types.push_back(type);
      amounts.push_back(amount);
      codes.push_back(code);
      return;
    }
    const auto at = std::upper_bound(dates.begin(), dates.end(), date) - dates.begin();
    // Before a stored event: those after it are no longer stored as they are.
    if (static_cast<std::size_t>(at) < stored_ - std::min(stored_, dropped_)) forget_source();
    dates.insert(dates.begin() + at, date);
    types.insert(types.begin() + at, type);
    amounts.insert(amounts.begin() + at, amount);
    codes.insert(codes.begin() + at, code);
  }

  /// Removes the first `n` events (folded).
  void drop_front(std::size_t n) {
    const auto cut = static_cast<std::ptrdiff_t>(n);
    dates.erase(dates.begin(), dates.begin() + cut);
    types.erase(types.begin(), types.begin() + cut);
    amounts.erase(amounts.begin(), amounts.begin() + cut);
    codes.erase(codes.begin(), codes.begin() + cut);
    dropped_ += n;
  }

  /// Makes the next pack() encode every event.
  void forget_source() noexcept { source_ = nullptr; }

 private:
  friend class packed_household;
  // The events' origin: source_'s bytes (as they were at `source_bytes_`)
  // held the folded history from byte `folded_at_` and `stored_` events from
  // byte `events_at_` on; the first `dropped_` of those have been removed and
  // any others added after the rest.
  const packed_household* source_ = nullptr;
  const std::uint8_t* source_bytes_ = nullptr;
  std::size_t source_size_ = 0;
  std::size_t folded_at_ = 0;
  std::size_t events_at_ = 0;
  std::size_t stored_ = 0;
  std::size_t dropped_ = 0;
  bool stored_codes_ = false;  // the stored events carry codes
};

/// household_work stored as variable-length integers in one allocation.
///
/// A million households sit in a stream between their events; what they cost
/// at rest is what decides whether a country fits on one machine. Dates are
/// stored as days since the previous one, numbers in as few 7-bit groups as
/// they need: a rent ledger's event takes about 4 bytes instead of 14 in
/// columns, and a household one allocation instead of eight. The household
/// being evaluated is unpacked into a household_work and packed again.
///
/// Layout: the event count, the alert states, the folded history, then the
/// events. Events arrive in date order and are folded from the front, so
/// packing a household again copies the bytes of the events it kept
/// (re-encoding only a new first one, whose date is stored whole) and of its
/// folded history when nothing was folded, and encodes only the events added
/// after them; a household whose bytes would not change is not written.
class packed_household {
 public:
  /// The most events one append() takes.
  static constexpr std::size_t most_appended = 8;

  /// Replaces `w`'s contents with the stored household; `rules` is the number
  /// of rules (the size of the alert states).
  void unpack(household_work& w, std::size_t rules) const {
    // A household never packed reads as all zeros: nothing yet.
    static constexpr std::uint8_t zeros[64] = {};
    const std::uint8_t* start = bytes_.empty() ? zeros : bytes_.data();
    const std::uint8_t* p = start;
    w.stored_ =
        decode<unchecked>(p, nullptr, w, rules, w.folded_at_, w.events_at_, w.stored_codes_);
    w.source_ = bytes_.empty() ? nullptr : this;
    w.source_bytes_ = bytes_.data();
    w.source_size_ = bytes_.size();
    w.dropped_ = 0;
  }

  /// Unpacks bytes from outside (a checkpoint), checking every read against
  /// the end: throws std::runtime_error when they are not a whole household,
  /// or hold a rule index of `rules` or more, alert states out of rule
  /// order, a flag other than 0 or 1, a type id beyond 16 bits or an event
  /// amount beyond max_amount. What the values mean is the caller's to check.
  static void unpack_checked(std::span<const std::uint8_t> bytes, household_work& w,
                             std::size_t rules) {
    const std::uint8_t* p = bytes.data();
    const std::uint8_t* end = p + bytes.size();
    std::size_t folded_at = 0, events_at = 0;
    bool codes = false;
    decode<checked>(p, end, w, rules, folded_at, events_at, codes);
    if (p != end) throw std::runtime_error("unexpected bytes after a household");
    w.forget_source();
  }

  /// The stored bytes, as unpack_checked() reads them.
  std::span<const std::uint8_t> bytes() const noexcept { return bytes_; }

  /// Stores `w`. The bytes are the same whether `w` was unpacked from here
  /// (and its stored events' bytes are copied) or not.
  void pack(const household_work& w) {
    // Encode into a buffer with room for the worst case, then copy once.
    thread_local std::vector<std::uint8_t> buffer;
    const std::size_t worst =
        bytes_.size() +
        32 * (w.dates.size() + 2 * w.folded.open_charges.size() + 5 * w.folded.totals.size() +
              4 * w.folded.latest.size() + 5 * w.tracker.states().size() + 16);
    if (buffer.size() < worst) buffer.resize(worst);
    std::uint8_t* out = buffer.data();
    const std::size_t n = w.dates.size();
    // Events carry a code only in a household that has one: the flag shares
    // the number of raised rules, so households without codes pay nothing.
    const bool codes = std::any_of(w.codes.begin(), w.codes.end(), [](code_id c) { return c; });
    put(out, n);
    encode_alert_states(out, w, codes);
    const auto head = static_cast<std::size_t>(out - buffer.data());

    // The events w kept from these bytes, [0, kept), and where they are stored.
    const bool from_here = w.source_ == this && w.source_bytes_ == bytes_.data() &&
                           w.source_size_ == bytes_.size() && w.dropped_ < w.stored_ &&
                           w.stored_codes_ == codes;
    const std::uint8_t* const end = std::as_const(bytes_).data() + bytes_.size();
    std::size_t kept = 0;
    if (from_here && w.dropped_ == 0) {
      // Nothing folded: the folded history and every stored event are as stored.
      kept = w.stored_;
      if (kept == n && head == w.folded_at_ && std::equal(buffer.data(), out, bytes_.data()))
        return;  // nothing changed
      out = std::copy(end - (bytes_.size() - w.folded_at_), end, out);
    } else {
      encode_folded(out, w.folded);
      if (from_here) {
        // Skip the first date and the dropped events; the new first event is
        // encoded again, with its date whole.
        kept = w.stored_ - w.dropped_;
        const std::uint8_t* p = bytes_.data() + w.events_at_;
        read(p);
        for (std::size_t i = 0; i <= w.dropped_; ++i) skip_event(p, codes);
        put(out, zigzag(w.dates[0]));
        put_event(out, 0, w.types[0], w.amounts[0], codes, w.codes[0]);
        out = std::copy(p, end, out);
      } else if (n != 0) {
        put(out, zigzag(w.dates[0]));
      }
    }
    // Events are in date order and amounts are never negative: after the
    // first date, a day gap and the type share one number (one byte for a gap
    // under 16 days and one of the first seven types), then the amount.
    day previous = n == 0 ? 0 : w.dates[kept == 0 ? 0 : kept - 1];
    for (std::size_t i = kept; i < n; ++i) {
      put_event(out, static_cast<std::uint64_t>(w.dates[i] - previous), w.types[i], w.amounts[i],
                codes, w.codes[i]);
      previous = w.dates[i];
    }
    const auto size = static_cast<std::size_t>(out - buffer.data());
    // Give back what a longer history needed.
    if (bytes_.capacity() > size + size / 2 + 16) bytes_ = std::vector<std::uint8_t>();
    bytes_.assign(buffer.data(), buffer.data() + size);
  }

  /// Appends `events`, in date order and dated on or after `last`, the date
  /// of the last stored event: the bytes of unpack(), household_work::add()
  /// and pack(), for a household whose alert states and folded history stay
  /// as they are, without decoding it. Returns false, changing nothing, when
  /// that takes more than an append: no events are stored yet (the first
  /// date is stored whole), the event count outgrows its one byte, more
  /// than most_appended events come at once, or the first code comes to a
  /// household whose events have none.
  bool append(day last, std::span<const stored_event> events) {
    // The event count comes first, in one byte below 128; the codes flag is
    // the low bit of the number after it.
    if (bytes_.empty() || bytes_[0] == 0 || bytes_[0] + events.size() >= 0x80) return false;
    const bool codes = (bytes_[1] & 1) != 0;
    std::uint8_t encoded[most_appended * 48];  // at most 48 bytes an event
    if (events.size() > most_appended) return false;
    std::uint8_t* out = encoded;
    for (const stored_event& e : events) {
      if (e.code != 0 && !codes) return false;
      put_event(out, static_cast<std::uint64_t>(e.date - last), e.type, e.amount, codes, e.code);
      last = e.date;
    }
    // Growing by exactly what is needed: a household at rest holds no slack.
    const auto added = static_cast<std::size_t>(out - encoded);
    if (bytes_.capacity() < bytes_.size() + added) bytes_.reserve(bytes_.size() + added);
    bytes_.insert(bytes_.end(), encoded, out);
    bytes_[0] = static_cast<std::uint8_t>(bytes_[0] + events.size());
    return true;
  }

  /// Heap bytes held.
  std::size_t memory_bytes() const noexcept { return bytes_.capacity(); }

 private:
  // Types from this id on are written as this id and the rest in a number of their own.
  static constexpr type_id type_escape = 7;

  enum checking : bool { unchecked = false, checked = true };

  static void put_event(std::uint8_t*& out, std::uint64_t gap, type_id t, cents amount,
                        bool with_code, code_id code) noexcept {
    put(out, gap << 3 | std::min<type_id>(t, type_escape));
    if (t >= type_escape) put(out, t - type_escape);
    put(out, static_cast<std::uint64_t>(amount));
    if (with_code) put(out, code);
  }

  static void skip_event(const std::uint8_t*& p, bool with_code) noexcept {
    if ((read(p) & 7) == type_escape) read(p);
    read(p);
    if (with_code) read(p);
  }

  static void encode_alert_states(std::uint8_t*& out, const household_work& w, bool codes) {
    // Rules never raised are stored as nothing at all: most households. The
    // count goes first, doubled, with whether the events carry codes in its
    // low bit; with fewer than 64 rules it takes one byte, filled in after
    // one pass.
    const auto& states = w.tracker.states();
    std::uint8_t* const count_at = out;
    const std::uint8_t flag = codes ? 1 : 0;
    if (states.size() >= 0x40) {
      std::size_t raised = 0;
      for (const auto& s : states) raised += s.kept() ? 1 : 0;
      put(out, raised << 1 | flag);
    } else {
      ++out;
    }
    std::uint8_t raised = 0;
    for (std::size_t r = 0; r < states.size(); ++r) {
      const alert_tracker::state& s = states[r];
      if (!s.kept()) continue;
      ++raised;
      put(out, r);
      put(out, (s.raised ? 1u : 0u) | (s.ever_raised ? 2u : 0u) | (s.waiting ? 4u : 0u) |
                   (s.holding ? 8u : 0u) | (s.lapsing ? 16u : 0u));
      put(out, zigzag(s.last_raised));
      if (s.holding) put(out, zigzag(s.held_since));
      if (s.lapsing) put(out, zigzag(s.lapsed_since));
    }
    if (states.size() < 0x40) *count_at = static_cast<std::uint8_t>(raised << 1 | flag);
  }

  static void encode_folded(std::uint8_t*& out, const folded_history& f) {
    auto write = [&out](std::uint64_t v) __attribute__((always_inline)) { put(out, v); };
    auto write_signed = [&out](std::int64_t v) __attribute__((always_inline)) {
      put(out, zigzag(v));
    };
    write(f.any ? 1 : 0);
    // Folded dates are on or before the boundary: stored as days before it,
    // one or two bytes instead of three.
    auto write_date = [&out, &f ](day d) __attribute__((always_inline)) {
      put(out, zigzag(std::int64_t{f.boundary} - d));
    };
    write_signed(f.boundary);
    write_date(f.first_date);
    write_signed(f.balance);
    write_signed(f.unallocated);
    write(f.open_charges.size());
    for (const auto& c : f.open_charges) {
      write_date(c.date);
      write_signed(c.amount);
    }
    write(f.totals.size());
    for (const auto& x : f.totals) {
      write(x.type);
      write_signed(x.count);
      write_signed(x.sum);
      write_signed(x.min);
      write_signed(x.max);
    }
    write(f.latest.size());
    // A latest event's code, rare, follows only when a bit beside its type says so.
    for (const auto& x : f.latest) {
      write(std::uint64_t{x.type} << 1 | (x.code != 0 ? 1 : 0));
      write_date(x.date);
      write_signed(x.sum);
      if (x.code != 0) write(x.code);
    }
    // The plan's frequency shares a number with its flag: no byte more.
    write((f.plan_in_force ? 1 : 0) | static_cast<std::uint64_t>(f.instalment_frequency) << 1);
    write_date(f.plan_date);
    write_signed(f.instalment);
    write_signed(f.plan_balance);
  }

  // One decoder for the hot path and for checkpoints: with `Checked`, every
  // byte read is checked against `end` and every count against what is left,
  // so a damaged file can never read out of bounds or allocate without limit.
  // Returns the number of events; `folded_at` and `events_at` are where the
  // folded history and the events start.
  template <checking Checked>
  static std::size_t decode(const std::uint8_t*& p, const std::uint8_t* end, household_work& w,
                            std::size_t rules, std::size_t& folded_at, std::size_t& events_at,
                            bool& codes) {
    const std::uint8_t* const start = p;
    auto next = [&]() __attribute__((always_inline)) {
      if constexpr (Checked)
        return read_checked(p, end);
      else
        return read(p);
    };
    auto next_signed = [&]() __attribute__((always_inline)) { return unzigzag(next()); };
    // A flag written as 0 or 1; anything else is damage.
    auto next_flag = [&]() __attribute__((always_inline)) {
      const std::uint64_t v = next();
      if constexpr (Checked)
        if (v > 1) throw std::runtime_error("a flag is neither 0 nor 1");
      return v != 0;
    };
    // A type id, which is 16 bits: a larger number is damage, not a type.
    auto next_type = [&](std::uint64_t v) __attribute__((always_inline)) {
      if constexpr (Checked)
        if (v > UINT16_MAX) throw std::runtime_error("a type id beyond 16 bits");
      return static_cast<type_id>(v);
    };
    // A code id, which is 16 bits: a larger number is damage.
    auto next_code = [&]() __attribute__((always_inline)) {
      const std::uint64_t v = next();
      if constexpr (Checked)
        if (v > UINT16_MAX) throw std::runtime_error("a code id beyond 16 bits");
      return static_cast<code_id>(v);
    };
    // Each entry takes at least one byte, so a count beyond the bytes left is damage.
    auto count = [&]() __attribute__((always_inline)) {
      const auto n = static_cast<std::size_t>(next());
      if constexpr (Checked)
        if (n > static_cast<std::size_t>(end - p)) throw std::runtime_error("impossible count");
      return n;
    };

    const std::size_t n = count();
    // Rules never raised are stored as nothing at all: most households.
    auto& states = w.tracker.states();
    states.assign(rules, alert_tracker::state{});
    const std::uint64_t raised_and_codes = next();
    codes = (raised_and_codes & 1) != 0;
    const auto raised = static_cast<std::size_t>(raised_and_codes >> 1);
    if constexpr (Checked)
      if (raised > static_cast<std::size_t>(end - p)) throw std::runtime_error("impossible count");
    for (std::size_t i = 0, previous = 0; i < raised; ++i) {
      const auto r = static_cast<std::size_t>(next());
      const auto flags = next();
      if constexpr (Checked) {
        if (r >= rules) throw std::runtime_error("unknown rule index");
        // Written in rule order, each once, and only when some flag is set.
        if (i > 0 && r <= previous) throw std::runtime_error("alert states out of rule order");
        if (flags == 0 || flags > 31)
          throw std::runtime_error("an alert state's flags are damaged");
        previous = r;
      }
      alert_tracker::state& s = states[r];
      s.raised = (flags & 1) != 0;
      s.ever_raised = (flags & 2) != 0;
      s.waiting = (flags & 4) != 0;
      s.holding = (flags & 8) != 0;
      s.lapsing = (flags & 16) != 0;
      s.last_raised = static_cast<day>(next_signed());
      if (s.holding) s.held_since = static_cast<day>(next_signed());
      if (s.lapsing) s.lapsed_since = static_cast<day>(next_signed());
    }

    folded_at = static_cast<std::size_t>(p - start);
    folded_history& f = w.folded;
    f.any = next_flag();
    f.boundary = static_cast<day>(next_signed());
    // Days before the boundary; a damaged file's wrap modulo 2^64 is harmless.
    auto next_date = [&]() __attribute__((always_inline)) {
      return static_cast<day>(static_cast<std::uint64_t>(std::int64_t{f.boundary}) -
                              static_cast<std::uint64_t>(next_signed()));
    };
    f.first_date = next_date();
    f.balance = next_signed();
    f.unallocated = next_signed();
    f.open_charges.resize(count());
    for (auto& c : f.open_charges) {
      c.date = next_date();
      c.amount = next_signed();
    }
    f.totals.resize(count());
    for (auto& x : f.totals) {
      x.type = next_type(next());
      x.count = next_signed();
      x.sum = next_signed();
      x.min = next_signed();
      x.max = next_signed();
    }
    f.latest.resize(count());
    for (auto& x : f.latest) {
      const std::uint64_t type_and_flag = next();
      x.type = next_type(type_and_flag >> 1);
      x.date = next_date();
      x.sum = next_signed();
      x.code = 0;
      if (type_and_flag & 1) {
        x.code = next_code();
        if constexpr (Checked)
          if (x.code == 0) throw std::runtime_error("a latest event's code flag without a code");
      }
    }
    const std::uint64_t plan = next();
    if constexpr (Checked)
      if (plan > (static_cast<std::uint64_t>(plan_frequency::four_weekly) << 1 | 1))
        throw std::runtime_error("a plan flag or frequency that is none of the four");
    f.plan_in_force = (plan & 1) != 0;
    f.instalment_frequency = static_cast<plan_frequency>(plan >> 1);
    f.plan_date = next_date();
    f.instalment = next_signed();
    f.plan_balance = next_signed();

    events_at = static_cast<std::size_t>(p - start);
    if constexpr (Checked)
      if (n > static_cast<std::size_t>(end - p)) throw std::runtime_error("impossible count");
    w.dates.resize(n);
    w.types.resize(n);
    w.amounts.resize(n);
    w.codes.assign(n, 0);
    const std::int64_t first = n == 0 ? 0 : next_signed();
    if constexpr (Checked)
      if (first < INT32_MIN || first > INT32_MAX) throw std::runtime_error("a date out of range");
    day previous = static_cast<day>(first);
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t head = next();
      if constexpr (Checked)
        if ((head >> 3) > static_cast<std::uint64_t>(std::int64_t{INT32_MAX} - previous))
          throw std::runtime_error("a date out of range");
      // Added in 64 bits: from a negative date a delta may exceed INT32_MAX
      // though the sum may not (checked above).
      previous = static_cast<day>(previous + static_cast<std::int64_t>(head >> 3));
      w.dates[i] = previous;
      const auto t = static_cast<type_id>(head & 7);
      w.types[i] = t == type_escape ? next_type(type_escape + next()) : t;
      const std::uint64_t amount = next();
      if constexpr (Checked)
        if (amount > static_cast<std::uint64_t>(max_amount))
          throw std::runtime_error("an event's amount " + std::to_string(amount) +
                                   " is beyond the largest amount of a ledger row, " +
                                   std::to_string(max_amount));
      w.amounts[i] = static_cast<cents>(amount);
      if (codes) w.codes[i] = next_code();
    }
    return n;
  }

  static std::uint64_t zigzag(std::int64_t v) noexcept {
    return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
  }
  static std::int64_t unzigzag(std::uint64_t v) noexcept {
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
  }
  static void put(std::uint8_t*& out, std::uint64_t v) noexcept {
    while (v >= 0x80) {
      *out++ = static_cast<std::uint8_t>(v | 0x80);
      v >>= 7;
    }
    *out++ = static_cast<std::uint8_t>(v);
  }
  // Byte by byte, unrolled: each byte adds its value and takes back its
  // continuation bit. Well-formed bytes only (unpack reads its own).
  __attribute__((always_inline)) static std::uint64_t read(const std::uint8_t*& p) noexcept {
    std::uint64_t v = p[0];
    if (v < 0x80) {  // most numbers: one byte
      ++p;
      return v;
    }
    std::uint64_t b = p[1];
    v += (b << 7) - 0x80;
    if (b < 0x80) {
      p += 2;
      return v;
    }
    b = p[2];
    v += (b << 14) - (std::uint64_t{0x80} << 7);
    if (b < 0x80) {
      p += 3;
      return v;
    }
    b = p[3];
    v += (b << 21) - (std::uint64_t{0x80} << 14);
    if (b < 0x80) {
      p += 4;
      return v;
    }
    v -= std::uint64_t{0x80} << 21;
    p += 4;
    for (int shift = 28;; shift += 7) {
      b = *p++;
      v |= (b & 0x7f) << shift;
      if (b < 0x80) return v;
    }
  }

  static std::uint64_t read_checked(const std::uint8_t*& p, const std::uint8_t* end) {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p == end) throw std::runtime_error("a household ends early");
      const std::uint8_t b = *p++;
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (b < 0x80) return v;
    }
    throw std::runtime_error("a number is too long");
  }

  std::vector<std::uint8_t> bytes_;
};

}  // namespace earlywarn::detail

#pragma once
/// \file packed_household.hpp
/// A stream's household at rest: its recent events, folded history and alert
/// states in one compact byte string.

#include <algorithm>
#include <climits>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include "earlywarn/alerts.hpp"
#include "earlywarn/folded_history.hpp"
#include "earlywarn/ledger.hpp"

namespace earlywarn::detail {

/// A household's state as it is worked on: unpacked, in plain vectors.
struct household_work {
  std::vector<day> dates;  ///< recent events, date order
  std::vector<type_id> types;
  std::vector<cents> amounts;
  folded_history folded;  ///< the events before them, summarised
  alert_tracker tracker{0};

  household_events events() const noexcept { return {dates, types, amounts}; }
};

/// household_work stored as variable-length integers in one allocation.
///
/// A million households sit in a stream between their events; what they cost
/// at rest is what decides whether a country fits on one machine. Dates are
/// stored as days since the previous one, numbers in as few 7-bit groups as
/// they need: a rent ledger's event takes about 4 bytes instead of 14 in
/// columns, and a household one allocation instead of eight. The household
/// being evaluated is unpacked into a household_work and packed again.
class packed_household {
 public:
  /// Replaces `w`'s contents with the stored household; `rules` is the number
  /// of rules (the size of the alert states).
  void unpack(household_work& w, std::size_t rules) const {
    // A household never packed reads as all zeros: nothing yet.
    static constexpr std::uint8_t zeros[64] = {};
    const std::uint8_t* p = bytes_.empty() ? zeros : bytes_.data();
    decode<unchecked>(p, nullptr, w, rules);
  }

  /// Unpacks bytes from outside (a checkpoint), checking every read against
  /// the end: throws std::runtime_error when they are not a whole household
  /// or hold a rule index of `rules` or more.
  static void unpack_checked(std::span<const std::uint8_t> bytes, household_work& w,
                             std::size_t rules) {
    const std::uint8_t* p = bytes.data();
    const std::uint8_t* end = p + bytes.size();
    decode<checked>(p, end, w, rules);
    if (p != end) throw std::runtime_error("unexpected bytes after a household");
  }

  /// The stored bytes, as unpack_checked() reads them.
  std::span<const std::uint8_t> bytes() const noexcept { return bytes_; }

  /// Stores `w`.
  void pack(const household_work& w) {
    // Encode into a buffer with room for the worst case, then copy once.
    thread_local std::vector<std::uint8_t> buffer;
    const std::size_t worst =
        32 * (w.dates.size() + 2 * w.folded.open_charges.size() + 5 * w.folded.totals.size() +
              3 * w.folded.latest.size() + 3 * w.tracker.states().size() + 16);
    if (buffer.size() < worst) buffer.resize(worst);
    std::uint8_t* out = buffer.data();
    auto write = [&out](std::uint64_t v) __attribute__((always_inline)) { put(out, v); };
    auto write_signed = [&out](std::int64_t v) __attribute__((always_inline)) {
      put(out, zigzag(v));
    };
    const std::size_t n = w.dates.size();
    write(n);
    // Events are in date order and amounts are never negative: after the
    // first date, a day gap and the type share one number (one byte for a gap
    // under 16 days and one of the first seven types), then the amount.
    day previous = n == 0 ? 0 : w.dates[0];
    if (n != 0) write_signed(previous);
    for (std::size_t i = 0; i < n; ++i) {
      const auto gap = static_cast<std::uint64_t>(w.dates[i] - previous);
      const type_id t = w.types[i];
      write(gap << 3 | std::min<type_id>(t, type_escape));
      if (t >= type_escape) write(t - type_escape);
      write(static_cast<std::uint64_t>(w.amounts[i]));
      previous = w.dates[i];
    }

    const folded_history& f = w.folded;
    write(f.any ? 1 : 0);
    write_signed(f.boundary);
    write_signed(f.first_date);
    write_signed(f.balance);
    write_signed(f.paid);
    write_signed(f.covered);
    write(f.open_charges.size());
    for (const auto& c : f.open_charges) {
      write_signed(c.date);
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
    for (const auto& x : f.latest) {
      write(x.type);
      write_signed(x.date);
      write_signed(x.sum);
    }
    write(f.plan_in_force ? 1 : 0);
    write_signed(f.plan_date);
    write_signed(f.instalment);
    write_signed(f.plan_balance);

    const auto& states = w.tracker.states();
    std::size_t raised = 0;
    for (const auto& s : states) raised += s.ever_raised || s.raised || s.waiting ? 1 : 0;
    write(raised);
    for (std::size_t r = 0; r < states.size(); ++r) {
      const alert_tracker::state& s = states[r];
      if (!(s.ever_raised || s.raised || s.waiting)) continue;
      write(r);
      write((s.raised ? 1u : 0u) | (s.ever_raised ? 2u : 0u) | (s.waiting ? 4u : 0u));
      write_signed(s.last_raised);
    }
    const auto size = static_cast<std::size_t>(out - buffer.data());
    // Give back what a longer history needed.
    if (bytes_.capacity() > size + size / 2 + 16) bytes_ = std::vector<std::uint8_t>();
    bytes_.assign(buffer.data(), buffer.data() + size);
  }

  /// Heap bytes held.
  std::size_t memory_bytes() const noexcept { return bytes_.capacity(); }

 private:
  // Types from this id on are written as this id and the rest in a number of their own.
  static constexpr type_id type_escape = 7;

  enum checking : bool { unchecked = false, checked = true };

  // One decoder for the hot path and for checkpoints: with `Checked`, every
  // byte read is checked against `end` and every count against what is left,
  // so a damaged file can never read out of bounds or allocate without limit.
  template <checking Checked>
  static void decode(const std::uint8_t*& p, const std::uint8_t* end, household_work& w,
                     std::size_t rules) {
    auto next = [&]() __attribute__((always_inline)) {
      if constexpr (Checked)
        return read_checked(p, end);
      else
        return read(p);
    };
    auto next_signed = [&]() __attribute__((always_inline)) { return unzigzag(next()); };
    // Each entry takes at least one byte, so a count beyond the bytes left is damage.
    auto count = [&]() __attribute__((always_inline)) {
      const auto n = static_cast<std::size_t>(next());
      if constexpr (Checked)
        if (n > static_cast<std::size_t>(end - p)) throw std::runtime_error("impossible count");
      return n;
    };

    const std::size_t n = count();
    w.dates.resize(n);
    w.types.resize(n);
    w.amounts.resize(n);
    day previous = n == 0 ? 0 : static_cast<day>(next_signed());
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t head = next();
      if constexpr (Checked)
        if ((head >> 3) > static_cast<std::uint64_t>(std::int64_t{INT32_MAX} - previous))
          throw std::runtime_error("a date out of range");
      previous += static_cast<day>(head >> 3);
      w.dates[i] = previous;
      const auto t = static_cast<type_id>(head & 7);
      w.types[i] = t == type_escape ? static_cast<type_id>(type_escape + next()) : t;
      w.amounts[i] = static_cast<cents>(next());
    }

    folded_history& f = w.folded;
    f.any = next() != 0;
    f.boundary = static_cast<day>(next_signed());
    f.first_date = static_cast<day>(next_signed());
    f.balance = next_signed();
    f.paid = next_signed();
    f.covered = next_signed();
    f.open_charges.resize(count());
    for (auto& c : f.open_charges) {
      c.date = static_cast<day>(next_signed());
      c.amount = next_signed();
    }
    f.totals.resize(count());
    for (auto& x : f.totals) {
      x.type = static_cast<type_id>(next());
      x.count = next_signed();
      x.sum = next_signed();
      x.min = next_signed();
      x.max = next_signed();
    }
    f.latest.resize(count());
    for (auto& x : f.latest) {
      x.type = static_cast<type_id>(next());
      x.date = static_cast<day>(next_signed());
      x.sum = next_signed();
    }
    f.plan_in_force = next() != 0;
    f.plan_date = static_cast<day>(next_signed());
    f.instalment = next_signed();
    f.plan_balance = next_signed();

    // Rules never raised are stored as nothing at all: most households.
    auto& states = w.tracker.states();
    states.assign(rules, alert_tracker::state{});
    const std::size_t raised = count();
    for (std::size_t i = 0; i < raised; ++i) {
      const auto r = static_cast<std::size_t>(next());
      if constexpr (Checked)
        if (r >= rules) throw std::runtime_error("unknown rule index");
      const auto flags = next();
      alert_tracker::state& s = states[r];
      s.raised = (flags & 1) != 0;
      s.ever_raised = (flags & 2) != 0;
      s.waiting = (flags & 4) != 0;
      s.last_raised = static_cast<day>(next_signed());
    }
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
  static std::uint64_t read(const std::uint8_t*& p) noexcept {
    if (*p < 0x80) return *p++;  // most numbers: one byte
    std::uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
      const std::uint8_t b = *p++;
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
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

// A stream's household at rest: packing it back after unpacking copies the
// stored events' bytes, and must give exactly the bytes of encoding it anew.

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "earlywarn.hpp"

namespace {

using earlywarn::day;
using earlywarn::detail::household_work;
using earlywarn::detail::packed_household;

constexpr std::size_t rules = 5;

// Everything a household holds, compared field by field.
void expect_same(const household_work& a, const household_work& b, int step) {
  ASSERT_EQ(a.dates, b.dates) << step;
  ASSERT_EQ(a.types, b.types) << step;
  ASSERT_EQ(a.amounts, b.amounts) << step;
  ASSERT_EQ(a.codes, b.codes) << step;
  const auto &f = a.folded, &g = b.folded;
  ASSERT_EQ(f.any, g.any) << step;
  ASSERT_EQ(f.boundary, g.boundary) << step;
  ASSERT_EQ(f.balance, g.balance) << step;
  ASSERT_EQ(f.first_date, g.first_date) << step;
  ASSERT_EQ(f.plan_date, g.plan_date) << step;
  ASSERT_EQ(f.unallocated, g.unallocated) << step;
  ASSERT_EQ(f.open_charges.size(), g.open_charges.size()) << step;
  for (std::size_t i = 0; i < f.open_charges.size(); ++i) {
    ASSERT_EQ(f.open_charges[i].date, g.open_charges[i].date) << step;
    ASSERT_EQ(f.open_charges[i].amount, g.open_charges[i].amount) << step;
  }
  ASSERT_EQ(f.latest.size(), g.latest.size()) << step;
  for (std::size_t i = 0; i < f.latest.size(); ++i) {
    ASSERT_EQ(f.latest[i].date, g.latest[i].date) << step;
    ASSERT_EQ(f.latest[i].sum, g.latest[i].sum) << step;
    ASSERT_EQ(f.latest[i].code, g.latest[i].code) << step;
  }
  const auto &s = a.tracker.states(), &t = b.tracker.states();
  ASSERT_EQ(s.size(), t.size()) << step;
  for (std::size_t r = 0; r < s.size(); ++r) {
    ASSERT_EQ(s[r].raised, t[r].raised) << step;
    ASSERT_EQ(s[r].last_raised, t[r].last_raised) << step;
  }
}

std::vector<std::uint8_t> bytes_of(const packed_household& p) {
  return {p.bytes().begin(), p.bytes().end()};
}

// What the stream does to a household, at random: events added after the
// last (the common case) or back-dated among them, the oldest dropped into
// the folded summary, alert states changed, or nothing at all.
TEST(packed_household, packing_again_gives_the_bytes_of_a_fresh_encoding) {
  std::mt19937_64 rng(17);
  int unchanged = 0, appended = 0, dropped = 0, back_dated = 0;
  for (int household = 0; household < 300; ++household) {
    packed_household stored;
    household_work w;
    day now = 19000 + static_cast<day>(rng() % 1000);
    for (int step = 0; step < 60; ++step) {
      stored.unpack(w, rules);
      const auto before = bytes_of(stored);
      const int what = static_cast<int>(rng() % 6);
      bool changed = false;
      if (what <= 1) {  // new events, on or after the last
        for (int k = 1 + static_cast<int>(rng() % 3); k > 0; --k) {
          now += static_cast<day>(rng() % 40);
          // Sometimes a type of 7 or more (escaped) or a large amount.
          const auto type =
              static_cast<earlywarn::type_id>(rng() % 4 == 0 ? rng() % 300 : rng() % 7);
          // Amounts of every length, up to ten bytes (2^63 - 1).
          const auto amount = static_cast<earlywarn::cents>((rng() >> 1) >> (rng() % 63));
          // Codes in some households, from some step on: the coding changes.
          const auto code = static_cast<earlywarn::code_id>(
              household % 2 == 1 && step > 10 && rng() % 2 == 0 ? rng() % 70000 % 65536 : 0);
          w.add(now, type, amount, code);
        }
        changed = true;
        ++appended;
      } else if (what == 2 && !w.dates.empty()) {  // back-dated, before the last
        const day d = w.dates.front() + static_cast<day>(rng() % (now - w.dates.front() + 1));
        w.add(d, 2, 500);
        changed = true;
        ++back_dated;
      } else if (what == 3 && !w.dates.empty()) {  // the oldest folded
        const std::size_t n = 1 + rng() % w.dates.size();
        if (!w.folded.any) w.folded.first_date = w.dates[0];
        w.folded.any = true;
        w.folded.boundary = w.dates[n - 1];
        w.folded.balance += static_cast<earlywarn::cents>(n) * 100;
        w.folded.open_charges.push_back({w.dates[0], 100});
        const auto paid = static_cast<earlywarn::cents>(rng() % 100000);
        const auto covered = static_cast<earlywarn::cents>(rng() % 1000);
        w.folded.unallocated += paid - covered;
        earlywarn::detail::entry_of(w.folded.latest, 1).date = w.dates[n - 1];
        w.folded.plan_date = w.dates[rng() % n];
        w.drop_front(n);
        changed = true;
        ++dropped;
      } else if (what == 4) {  // an alert raised or cleared
        auto& s = w.tracker.states()[rng() % rules];
        s.raised = !s.raised;
        s.ever_raised = true;
        s.last_raised = now;
        changed = true;
      }
      household_work copy = w;
      stored.pack(w);
      packed_household fresh;
      copy.forget_source();
      fresh.pack(copy);
      ASSERT_EQ(bytes_of(stored), bytes_of(fresh)) << household << " " << step;
      household_work back;
      stored.unpack(back, rules);
      expect_same(back, w, step);
      if (!changed && !before.empty()) {  // (a household never packed is written once)
        EXPECT_EQ(bytes_of(stored), before);
        ++unchanged;
      }
    }
  }
  // Every path was taken.
  EXPECT_GT(unchanged, 100);
  EXPECT_GT(appended, 100);
  EXPECT_GT(back_dated, 100);
  EXPECT_GT(dropped, 100);
}

// A stream appends the events of a household at rest to its bytes without
// unpacking it: the bytes must be those of unpacking, adding and packing.
TEST(packed_household, appending_gives_the_bytes_of_unpacking_adding_and_packing) {
  std::mt19937_64 rng(23);
  int appended = 0, refused = 0;
  for (int household = 0; household < 200; ++household) {
    packed_household stored;
    household_work w;
    day now = 19000 + static_cast<day>(rng() % 1000);
    stored.unpack(w, rules);   // empty, with room for the alert states
    if (household % 2 == 0) {  // some folded history and alert states before the events
      w.folded.any = true;
      w.folded.boundary = now - 10;
      w.folded.first_date = now - 400;
      w.folded.balance = 12345;
      w.tracker.states()[1].ever_raised = true;
      w.tracker.states()[1].last_raised = now - 20;
    }
    stored.pack(w);
    for (int step = 0; step < 80; ++step) {
      std::vector<earlywarn::detail::stored_event> events;
      for (int k = static_cast<int>(rng() % 10); k > 0; --k) {
        now += static_cast<day>(rng() % 20);
        const auto type = static_cast<earlywarn::type_id>(rng() % 4 == 0 ? rng() % 300 : rng() % 7);
        const auto amount = static_cast<earlywarn::cents>((rng() >> 1) >> (rng() % 63));
        // Codes in a third of the households, first coming after some steps.
        const auto code = static_cast<earlywarn::code_id>(
            household % 3 == 0 && step > 20 && rng() % 3 == 0 ? 1 + rng() % 500 : 0);
        events.push_back({now, type, code, amount});
      }
      stored.unpack(w, rules);
      const day last = w.dates.empty() ? 0 : w.dates.back();
      for (const auto& e : events) w.add(e.date, e.type, e.amount, e.code);
      packed_household appending = stored;
      const auto before = bytes_of(stored);
      stored.pack(w);
      if (appending.append(last, events)) {
        ASSERT_EQ(bytes_of(appending), bytes_of(stored)) << household << " " << step;
        EXPECT_EQ(appending.memory_bytes(), appending.bytes().size());  // no slack at rest
        ++appended;
      } else {
        EXPECT_EQ(bytes_of(appending), before);  // refused: nothing changed
        // Only where an append cannot do: no events stored, a count of 128
        // or more, more than most_appended events at once, or the first code
        // (the flag is the low bit of the number after the count).
        const bool first_code =
            !before.empty() && before[0] != 0 && (before[1] & 1) == 0 &&
            std::any_of(events.begin(), events.end(), [](const auto& e) { return e.code != 0; });
        EXPECT_TRUE(before.empty() || before[0] == 0 || before[0] + events.size() >= 0x80 ||
                    events.size() > packed_household::most_appended || first_code);
        ++refused;
      }
    }
  }
  EXPECT_GT(appended, 1000);
  EXPECT_GT(refused, 100);
}

TEST(packed_household, a_household_never_packed_unpacks_empty) {
  packed_household stored;
  household_work w;
  w.add(5, 1, 10);
  stored.unpack(w, rules);
  EXPECT_TRUE(w.dates.empty());
  EXPECT_FALSE(w.folded.any);
  EXPECT_EQ(w.tracker.states().size(), rules);
}

// The checkpoint reader: the stored bytes read back checked, and a household
// cut short anywhere is refused.
TEST(packed_household, checked_unpacking_reads_what_pack_wrote_and_refuses_truncation) {
  packed_household stored;
  household_work w;
  stored.unpack(w, rules);
  w.add(19000, 1, 50000);
  w.add(19031, 9, 7, 300);
  w.add(19031, 2, 0);
  w.folded.latest.push_back({18000, 4, 100, 2});
  w.tracker.states()[3].raised = true;
  stored.pack(w);
  household_work back;
  packed_household::unpack_checked(stored.bytes(), back, rules);
  expect_same(back, w, 0);
  for (std::size_t n = 0; n < stored.bytes().size(); ++n)
    EXPECT_THROW(packed_household::unpack_checked(stored.bytes().first(n), back, rules),
                 std::runtime_error)
        << n;
  EXPECT_THROW(packed_household::unpack_checked(stored.bytes(), back, 3), std::runtime_error);
}

}  // namespace

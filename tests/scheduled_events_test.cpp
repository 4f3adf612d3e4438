// Scheduled events (docs/language.md, Scheduled events): types declared
// `scheduled` may be dated after the as-of date, are read by days_until(),
// never move a stream's clock, and are left out of the default as-of date.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "earlywarn.hpp"
#include "support.hpp"

namespace earlywarn {
namespace {

using testing::date;
using testing::make_ledger;
using testing::must_compile;

const char* const hearing_rules =
    "event hearing scheduled\n"
    "rule hearing_soon {\n"
    "  when days_until(hearing) <= 14 and arrears > 0\n"
    "  severity high\n"
    "}\n";

// The value of days_until(hearing) as of `as_of`, or "n/a" for none.
std::string days_until_on(const ruleset& rules, const ledger& l, const char* as_of) {
  return testing::value_read(rules, l, 0, as_of, "days_until(hearing)");
}

TEST(scheduled_events, days_until_counts_down_to_the_next_and_moves_on_the_day_after) {
  const ruleset rules = must_compile(hearing_rules);
  const ledger l = make_ledger({{"H", "2024-01-01", "charge", 50000},
                                {"H", "2024-03-20", "hearing", 0},
                                {"H", "2024-03-20", "hearing", 0},  // two on a day: one date
                                {"H", "2024-05-02", "hearing", 0}});
  EXPECT_EQ(days_until_on(rules, l, "2024-03-01"), "19");
  EXPECT_EQ(days_until_on(rules, l, "2024-03-19"), "1");
  EXPECT_EQ(days_until_on(rules, l, "2024-03-20"), "0");  // on the day
  EXPECT_EQ(days_until_on(rules, l, "2024-03-21"), "42");
  EXPECT_EQ(days_until_on(rules, l, "2024-05-02"), "0");
  EXPECT_EQ(days_until_on(rules, l, "2024-05-03"), "n/a");  // none left: no value
}

TEST(scheduled_events, other_functions_see_only_events_up_to_the_as_of_date) {
  const ruleset rules = must_compile(
      "event hearing scheduled\n"
      "rule heard { when count(hearing) > 0 }\n"
      "rule recent { when days_since(hearing) < 30 }\n");
  const ledger l =
      make_ledger({{"H", "2024-01-01", "charge", 50000}, {"H", "2024-03-20", "hearing", 0}});
  EXPECT_TRUE(evaluate(rules, l, date("2024-03-19")).rows.empty());
  EXPECT_EQ(evaluate(rules, l, date("2024-03-20")).rows.size(), 2u);
}

TEST(scheduled_events, a_household_with_only_a_scheduled_event_exists_from_its_date) {
  const ruleset rules = must_compile("event hearing scheduled\nrule any { when balance == 0 }");
  const ledger l = make_ledger({{"H", "2024-03-20", "hearing", 0}});
  EXPECT_TRUE(evaluate(rules, l, date("2024-03-19")).rows.empty());
  EXPECT_EQ(evaluate(rules, l, date("2024-03-20")).rows.size(), 1u);
  std::vector<alert> streamed;
  stream_engine engine(rules);
  EXPECT_EQ(engine.push("other", date("2024-01-01"), "charge", 100, streamed),
            earlywarn::push_result::accepted);
  EXPECT_EQ(engine.push("H", date("2024-03-20"), "hearing", 0, streamed),
            earlywarn::push_result::accepted);
  engine.advance(date("2024-04-01"), streamed);
  const std::vector<alert> expected = backtest(rules, l, date("2024-01-01"), date("2024-04-01"));
  ASSERT_EQ(expected.size(), 1u);
  ASSERT_EQ(streamed.size(), 1u);
  EXPECT_EQ(format_date(streamed[0].date), "2024-03-20");
}

TEST(scheduled_events, the_back_test_raises_fourteen_days_ahead_and_clears_the_day_after) {
  const ruleset rules = must_compile(hearing_rules);
  const ledger l =
      make_ledger({{"H", "2024-01-01", "charge", 50000}, {"H", "2024-03-20", "hearing", 0}});
  std::string got;
  for (const alert& a : backtest(rules, l, date("2024-01-01"), date("2024-04-30")))
    got += format_date(a.date) + " " + std::string(to_string(a.state)) + "\n";
  EXPECT_EQ(got, "2024-03-06 raised\n2024-03-21 cleared\n");
}

TEST(scheduled_events, never_move_the_stream_clock_nor_raise_other_households_early) {
  const ruleset rules =
      must_compile(std::string(hearing_rules) + "rule owing { when arrears_days > 30 }\n");
  stream_engine engine(rules);
  std::vector<alert> out;
  EXPECT_EQ(engine.push("A", date("2024-01-01"), "charge", 50000, out),
            earlywarn::push_result::accepted);
  EXPECT_EQ(engine.push("B", date("2024-01-01"), "charge", 50000, out),
            earlywarn::push_result::accepted);
  EXPECT_EQ(engine.push("A", date("2024-03-20"), "hearing", 0, out),
            earlywarn::push_result::accepted);
  EXPECT_EQ(format_date(engine.clock()), "2024-01-01");
  EXPECT_EQ(engine.push("B", date("2024-01-02"), "payment", 50000, out),
            earlywarn::push_result::accepted);  // not late: the clock stayed
  engine.finish(out);
  EXPECT_TRUE(out.empty());  // nobody owes for 30 days yet, and the hearing is far
  engine.advance(date("2024-04-30"), out);
  std::string got;
  for (const alert& a : out)
    got += format_date(a.date) + " " + a.household_id + " " + rules.rules[a.rule].name + " " +
           std::string(to_string(a.state)) + "\n";
  EXPECT_EQ(got,
            "2024-02-01 A owing raised\n"
            "2024-03-06 A hearing_soon raised\n"
            "2024-03-21 A hearing_soon cleared\n");
}

TEST(scheduled_events, cannot_open_a_stream) {
  const ruleset rules = must_compile(hearing_rules);
  stream_engine engine(rules);
  std::vector<alert> out;
  try {
    EXPECT_EQ(engine.push("A", date("2024-03-20"), "hearing", 0, out),
              earlywarn::push_result::accepted);
    FAIL() << "a scheduled event opened the stream";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("the stream has no clock yet"), std::string::npos);
  }
  EXPECT_FALSE(engine.started());
  EXPECT_EQ(engine.event_count(), 0u);
}

TEST(scheduled_events, a_checkpoint_keeps_events_ahead_of_the_clock) {
  const ruleset rules = must_compile(hearing_rules);
  stream_engine engine(rules);
  std::vector<alert> out;
  EXPECT_EQ(engine.push("A", date("2024-01-01"), "charge", 50000, out),
            earlywarn::push_result::accepted);
  EXPECT_EQ(engine.push("A", date("2024-03-20"), "hearing", 0, out),
            earlywarn::push_result::accepted);
  engine.finish(out);
  const std::string saved = stream_checkpoint::serialize(engine, {2, 0});
  stream_engine restored(rules);
  checkpoint_position position;
  ASSERT_FALSE(stream_checkpoint::restore(restored, saved, position));
  EXPECT_EQ(stream_checkpoint::serialize(restored, {2, 0}), saved);
  restored.advance(date("2024-04-30"), out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(format_date(out[0].date), "2024-03-06");
}

TEST(scheduled_events, the_default_as_of_date_is_the_latest_recorded_event) {
  const ruleset rules = must_compile(hearing_rules);
  const ruleset none = must_compile("rule r { when arrears > 0 }");
  const ledger l = make_ledger({{"H", "2024-01-01", "charge", 50000},
                                {"H", "2024-02-03", "payment", 100},
                                {"H", "2024-03-20", "hearing", 0}});
  EXPECT_EQ(format_date(*latest_recorded_date(l, rules)), "2024-02-03");
  EXPECT_EQ(format_date(*latest_recorded_date(l, none)), "2024-03-20");  // just a type there
  const ledger only = make_ledger({{"H", "2024-03-20", "hearing", 0}});
  EXPECT_FALSE(latest_recorded_date(only, rules));
}

TEST(scheduled_events, are_declared_and_read_with_clear_errors) {
  EXPECT_EQ(testing::first_message("rule r { when days_until(letter) < 3 }"),
            "days_until() reads an event type declared scheduled, whose events may lie ahead; "
            "'letter' is not: declare 'event letter scheduled' (docs/language.md, Scheduled "
            "events)");
  EXPECT_EQ(testing::first_message("event plan scheduled\nrule r { when arrears > 0 }"),
            "'plan' is a built-in event type and cannot be redeclared");
  EXPECT_EQ(
      testing::first_message("event hearing scheduled\nrule r { when days_until(hearing) > 3m }"),
      "");
  EXPECT_EQ(testing::first_message(
                "event hearing scheduled\nrule r { when days_until(hearing) > arrears }"),
            "'>' compares days_until(hearing) (days) and arrears (money): both sides need one "
            "unit (docs/language.md, Units)");
  EXPECT_TRUE(must_compile(hearing_rules).is_scheduled("hearing"));
}

}  // namespace
}  // namespace earlywarn

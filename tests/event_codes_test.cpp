// Event codes (docs/language.md, Event codes): code(TYPE) compared with
// quoted codes, and TYPE("CODE", …) selecting the events a function reads;
// the same in evaluation, back-test and stream.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "earlywarn.hpp"
#include "support.hpp"

namespace earlywarn {
namespace {

using testing::date;
using testing::fired;
using testing::first_message;
using testing::make_ledger;
using testing::must_compile;

// The alerts of a stream fed `l`'s events in date order and advanced to `to`.
std::vector<alert> streamed(const ruleset& rules, const ledger& l, const char* to,
                            std::int32_t lateness = 92) {
  std::vector<testing::posting> rows = testing::postings_of(l);
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.date < b.date; });
  stream_options options;
  options.lateness_days = lateness;
  stream_engine engine(rules, options);
  std::vector<alert> out;
  for (const auto& r : rows)
    EXPECT_EQ(engine.push(r.household, r.date, r.type, r.amount, r.code, out),
              earlywarn::push_result::accepted);
  engine.advance(date(to), out);
  return out;
}

const char* const outcome_rules =
    "event court_outcome neutral\n"
    "rule suspended { when code(court_outcome) == \"suspended\" }\n"
    "rule not_suspended { when code(court_outcome) != \"suspended\" }\n"
    "rule an_order { when code(court_outcome) in (\"suspended\", \"outright\") }\n"
    "rule no_code { when missing(code(court_outcome)) }\n";

TEST(event_codes, code_reads_the_latest_event_of_its_type_and_without_one_compares_false) {
  const ruleset rules = must_compile(outcome_rules);
  const ledger l = make_ledger({{"A", "2024-01-10", "court_outcome", 0, "adjourned"},
                                {"A", "2024-03-01", "court_outcome", 0, "suspended"},
                                {"B", "2024-01-10", "court_outcome", 0},  // no code
                                {"C", "2024-01-10", "charge", 100}});     // no outcome at all
  EXPECT_EQ(fired(rules, l, "2024-02-01"), "A:not_suspended B:no_code C:no_code ");
  EXPECT_EQ(fired(rules, l, "2024-03-01"), "A:an_order A:suspended B:no_code C:no_code ");
  EXPECT_EQ(testing::value_read(rules, l, 0, "2024-03-01", "code(court_outcome)"), "suspended");
  EXPECT_EQ(testing::value_read(rules, l, 1, "2024-03-01", "code(court_outcome)"), "n/a");
  // Explain shows the code a comparison read, then the comparison.
  const household_explanation x = explain(rules, l, 0, date("2024-02-01"));
  ASSERT_GE(x.rules[0].readings.size(), 2u);
  EXPECT_EQ(x.rules[0].readings[0].expression, "code(court_outcome)");
  EXPECT_EQ(x.rules[0].readings[0].value, "adjourned");
  EXPECT_EQ(x.rules[0].readings[1].expression, "code(court_outcome) == \"suspended\"");
  EXPECT_EQ(x.rules[0].readings[1].value, "false");
}

TEST(event_codes, of_several_on_the_latest_date_code_reads_the_last_in_byte_order) {
  const ruleset rules = must_compile(outcome_rules);
  // The same events in both orders within the day: the same code.
  for (const bool reversed : {false, true}) {
    std::vector<testing::event> events = {{"A", "2024-03-01", "court_outcome", 0, "outright"},
                                          {"A", "2024-03-01", "court_outcome", 0, "adjourned"},
                                          {"A", "2024-03-01", "court_outcome", 0}};
    if (reversed) std::reverse(events.begin(), events.end());
    EXPECT_EQ(
        testing::value_read(rules, make_ledger(events), 0, "2024-03-02", "code(court_outcome)"),
        "outright");
  }
}

TEST(event_codes, a_type_with_codes_selects_only_its_events_with_one_of_them) {
  const ruleset rules = must_compile(
      "event letter neutral\n"
      "rule two_final { when count(letter(\"final\", \"before_action\"), 1y) >= 2 }\n"
      "rule recent_final { when days_since(letter(\"final\")) <= 10 }\n"
      "rule never_sent { when count(letter(\"nobody_sends_this\")) == 0 }\n"
      "rule paid_by_card { when last(payment(\"card\")) >= 50 }\n");
  const ledger l = make_ledger({{"A", "2024-01-05", "letter", 0, "final"},
                                {"A", "2024-02-05", "letter", 0, "reminder"},
                                {"A", "2024-03-05", "letter", 0, "before_action"},
                                {"A", "2024-03-06", "payment", 4000, "cash"},
                                {"A", "2024-03-06", "payment", 6000, "card"}});
  EXPECT_EQ(fired(rules, l, "2024-02-10"), "A:never_sent ");
  EXPECT_EQ(fired(rules, l, "2024-03-06"), "A:never_sent A:paid_by_card A:two_final ");
  EXPECT_EQ(fired(rules, l, "2024-01-15"), "A:never_sent A:recent_final ");
  EXPECT_EQ(fired(rules, l, "2024-01-16"), "A:never_sent ");
}

TEST(event_codes, the_backtest_and_the_stream_agree_and_folding_keeps_the_latest_code) {
  // A lateness of 0 and windows of a few days: the stream folds the
  // outcomes long before the rules stop reading them.
  const ruleset rules = must_compile(
      "event court_outcome neutral\nevent hearing scheduled\n"
      "rule order_owing { when code(court_outcome) == \"suspended\" and arrears > 0 }\n"
      "rule adjourned_twice { when count(court_outcome(\"adjourned\")) >= 2 }\n"
      "rule possession_soon { when days_until(hearing(\"possession\")) <= 7 }\n"
      "rule recent_payment { when count(payment, 5d) > 0 }\n");
  const ledger l = make_ledger({{"A", "2024-01-01", "charge", 50000},
                                {"A", "2024-01-02", "hearing", 0, "possession"},
                                {"A", "2024-01-02", "hearing", 0, "review"},
                                {"A", "2024-01-05", "court_outcome", 0, "adjourned"},
                                {"A", "2024-02-05", "court_outcome", 0, "adjourned"},
                                {"A", "2024-03-05", "court_outcome", 0, "suspended"},
                                {"A", "2024-04-01", "payment", 20000},
                                {"A", "2024-06-01", "payment", 30000},
                                {"A", "2024-11-20", "hearing", 0, "possession"},
                                {"B", "2024-01-01", "charge", 100}});
  const auto expected = backtest(rules, l, date("2024-01-01"), date("2024-12-31"));
  EXPECT_EQ(testing::alerts_text(streamed(rules, l, "2024-12-31", 0), rules),
            testing::alerts_text(expected, rules));
  std::string got;
  for (const alert& a : expected)
    got += format_date(a.date) + " " + rules.rules[a.rule].name + " " +
           std::string(to_string(a.state)) + "\n";
  EXPECT_EQ(got,
            "2024-01-01 possession_soon raised\n2024-01-03 possession_soon cleared\n"
            "2024-02-05 adjourned_twice raised\n2024-03-05 order_owing raised\n"
            "2024-04-01 recent_payment raised\n2024-04-06 recent_payment cleared\n"
            "2024-06-01 order_owing cleared\n2024-06-01 recent_payment raised\n"
            "2024-06-06 recent_payment cleared\n2024-11-13 possession_soon raised\n"
            "2024-11-21 possession_soon cleared\n");
}

TEST(event_codes, a_scheduled_coded_event_ahead_of_every_recorded_one_is_seen) {
  // The household's recorded events are all folded: only the hearing, ahead, is kept.
  const ruleset rules = must_compile(
      "event hearing scheduled\n"
      "rule soon { when days_until(hearing(\"possession\")) <= 3 and balance > 0 }\n");
  const ledger l = make_ledger({{"A", "2024-01-01", "charge", 100},
                                {"A", "2024-06-01", "hearing", 0, "possession"},
                                {"B", "2024-05-01", "charge", 100}});
  const auto expected = backtest(rules, l, date("2024-01-01"), date("2024-07-01"));
  ASSERT_EQ(expected.size(), 2u);
  EXPECT_EQ(format_date(expected[0].date), "2024-05-29");
  EXPECT_EQ(testing::alerts_text(streamed(rules, l, "2024-07-01", 0), rules),
            testing::alerts_text(expected, rules));
}

TEST(event_codes, a_stream_saved_and_restored_keeps_its_codes) {
  const ruleset rules = must_compile(outcome_rules);
  const ledger l = make_ledger({{"A", "2024-01-10", "court_outcome", 0, "adjourned"},
                                {"A", "2024-03-01", "court_outcome", 0, "suspended"},
                                {"B", "2024-03-02", "court_outcome", 0, "outright"}});
  stream_engine first(rules);
  std::vector<alert> out;
  EXPECT_EQ(first.push("A", date("2024-01-10"), "court_outcome", 0, "adjourned", out),
            earlywarn::push_result::accepted);
  const std::string saved = stream_checkpoint::serialize(first, {1, 0});
  stream_engine second(rules);
  checkpoint_position position;
  ASSERT_FALSE(stream_checkpoint::restore(second, saved, position));
  EXPECT_EQ(second.push("A", date("2024-03-01"), "court_outcome", 0, "suspended", out),
            earlywarn::push_result::accepted);
  EXPECT_EQ(second.push("B", date("2024-03-02"), "court_outcome", 0, "outright", out),
            earlywarn::push_result::accepted);
  second.advance(date("2024-03-03"), out);
  EXPECT_EQ(
      testing::alerts_text(out, rules),
      testing::alerts_text(backtest(rules, l, date("2024-01-10"), date("2024-03-03")), rules));
}

TEST(event_codes, a_stream_refuses_a_code_a_ledger_refuses) {
  const ruleset rules = must_compile(outcome_rules);
  stream_engine engine(rules);
  std::vector<alert> out;
  EXPECT_THROW(
      static_cast<void>(engine.push("A", date("2024-01-10"), "court_outcome", 0, " padded", out)),
      std::invalid_argument);
  EXPECT_EQ(engine.event_count(), 0u);
}

TEST(event_codes, are_refused_where_they_mean_nothing) {
  const std::string types = "event court_outcome neutral\n";
  EXPECT_EQ(first_message(types + "rule r { when code(court_outcome) > \"a\" }"),
            "'>' takes numbers; code(court_outcome) is an event code: compare it with ==, != or "
            "in, like code(court_outcome) == \"suspended\"");
  EXPECT_EQ(first_message(types + "rule r { when code(court_outcome) == 1 }"),
            "'==' compares code(court_outcome) with a quoted code, like code(court_outcome) == "
            "\"suspended\"");
  EXPECT_EQ(first_message(types + "rule r { when \"a\" == code(court_outcome) }"),
            "a quoted text is compared with code(TYPE) or a text attribute, like "
            "code(court_outcome) == \"a\" or tenancy == \"a\" (docs/language.md, Event codes; "
            "Household attributes)");
  EXPECT_EQ(first_message(types + "rule r { when code(court_outcome) in (\"a\", 2) }"),
            "the items after code(court_outcome) in are quoted codes (\"suspended\", …)");
  EXPECT_EQ(first_message(types + "rule r { when code(court_outcome(\"a\")) == \"a\" }"),
            "code() needs an event type name here (like payment or charge), without codes");
  EXPECT_EQ(first_message(types + "rule r { when count(court_outcome(adjourned)) > 0 }"),
            "the codes of court_outcome(…) are quoted: court_outcome(\"suspended\")");
  EXPECT_EQ(first_message(types + "rule r { when count(court_outcome()) > 0 }"),
            "list the codes of court_outcome in quotes: court_outcome(\"suspended\")");
  EXPECT_EQ(first_message(types + "rule r { when count(court_outcome(\" a\")) > 0 }"),
            "code \" a\" begins or ends with a space, so no event can carry it (docs/limits.md)");
  EXPECT_EQ(first_message(types + "rule r { when code(court_outcome) == \"\" }"),
            "a code is never empty: an event without a code has no value for code()");
  EXPECT_EQ(first_message(types + "rule r { when code(court_outcome) == \"a\" score "
                                  "code(court_outcome) }"),
            "a score takes numbers; code(court_outcome) is an event code: compare it with ==, != "
            "or in, like code(court_outcome) == \"suspended\"");
}

TEST(event_codes, a_message_shows_the_code) {
  const ruleset rules = must_compile(
      "event letter neutral\n"
      "rule sent { when count(letter) > 0 message \"last letter: {code(letter)}\" }\n");
  const ledger l =
      make_ledger({{"A", "2024-01-10", "letter", 0, "final"}, {"B", "2024-01-10", "letter", 0}});
  const worklist w = evaluate(rules, l, date("2024-01-10"));
  ASSERT_EQ(w.rows.size(), 2u);
  EXPECT_EQ(w.rows[0].message, "last letter: final");
  EXPECT_EQ(w.rows[1].message, "last letter: n/a");
}

}  // namespace
}  // namespace earlywarn

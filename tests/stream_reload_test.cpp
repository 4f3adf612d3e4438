// Reloading rules into a running stream (docs/streams.md, Reloading rules):
// which rules are kept, changed, added and removed; kept alerts stay open
// without being raised again, removed ones clear with the reason, changed
// and new rules are evaluated as of the clock; a state that cannot serve a
// new rule is refused and left as it was.
#include "earlywarn/streaming/stream_reload.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "earlywarn/loading/load_rules.hpp"
#include "support.hpp"

namespace earlywarn {
namespace {

using testing::date;
using testing::must_compile;

constexpr const char* before_text = R"(ruleset "city" version 1
param grace = 10
define late = arrears_days > grace
rule owing { when balance > 0  message "owes {balance}" }
rule late_rent { when late  message "late {arrears_days} days" }
rule gone_soon { when arrears_days > 5 }
rule quiet { when arrears_days > 100 }
)";

// late_rent's meaning changes through its definition; owing is untouched
// but moved and commented; gone_soon is removed; long_late is new.
constexpr const char* after_text = R"(ruleset "city" version 2
param grace = 3
# the same rule, written elsewhere
rule quiet { when arrears_days > 100 }
define late = arrears_days > grace
rule late_rent { when late  message "late {arrears_days} days" }
rule owing { when balance > 0  message "owes {balance}" }
rule long_late { when arrears_days > 4 and balance > 0 }
)";

TEST(rule_changes, rules_are_compared_by_what_they_mean) {
  const ruleset before = must_compile(before_text), after = must_compile(after_text);
  const rule_changes c = compare_rules(before, after);
  EXPECT_EQ(c.kept, (std::vector<std::string>{"quiet", "owing"}));
  EXPECT_EQ(c.changed, (std::vector<std::string>{"late_rent"}));
  EXPECT_EQ(c.added, (std::vector<std::string>{"long_late"}));
  EXPECT_EQ(c.removed, (std::vector<std::string>{"gone_soon"}));
  // A param's value is part of the meaning; its name is not.
  const ruleset renamed = must_compile(R"(param g = 10
define late = arrears_days > g
rule late_rent { when late  message "late {arrears_days} days" })");
  EXPECT_EQ(rule_meaning(before, *before.find_rule("late_rent")),
            rule_meaning(renamed, *renamed.find_rule("late_rent")));
  // So are a clause, the severity, the message, and the event types declared.
  for (const char* other : {
           "rule owing { when balance > 0  message \"owes {balance}\"  clear_after 5d }",
           "rule owing { when balance > 0  message \"owes {balance}\"  severity high }",
           "rule owing { when balance > 0  message \"owing {balance}\" }",
           "event fee increases\nrule owing { when balance > 0  message \"owes {balance}\" }",
       }) {
    const ruleset changed = must_compile(other);
    EXPECT_NE(rule_meaning(before, *before.find_rule("owing")), rule_meaning(changed, 0)) << other;
  }
}

// One line per alert: date, household, rule, state, message.
std::string brief(const std::vector<alert>& alerts, const ruleset& rules) {
  std::string out;
  for (const alert& a : alerts)
    out += format_date(a.date) + " " + a.household_id + " " + rules.rules[a.rule].name + " " +
           std::string(to_string(a.state)) + " " + a.message + "\n";
  return out;
}

struct reloaded : stream_reload_alerts {
  stream_reload_report report;
};

TEST(stream_reload, kept_alerts_stay_removed_ones_clear_changed_and_new_rules_are_evaluated) {
  const ruleset before = must_compile(before_text), after = must_compile(after_text);
  stream_engine old_stream(before);
  std::vector<alert> out;
  EXPECT_EQ(old_stream.push("A", date("2024-01-01"), "charge", 100'00, out),
            earlywarn::push_result::accepted);
  EXPECT_EQ(old_stream.push("B", date("2024-01-01"), "charge", 100'00, out),
            earlywarn::push_result::accepted);
  EXPECT_EQ(old_stream.push("B", date("2024-01-02"), "payment", 100'00, out),
            earlywarn::push_result::accepted);
  old_stream.advance(date("2024-01-08"), out);
  EXPECT_EQ(old_stream.push("C", date("2024-01-09"), "charge", 50'00, out),
            earlywarn::push_result::accepted);  // the open day
  // Under the old rules: A owes from 01-01 and is 6 days late on 01-07.
  EXPECT_EQ(brief(out, before),
            "2024-01-01 A owing raised owes 100.00\n"
            "2024-01-01 B owing raised owes 100.00\n"
            "2024-01-02 B owing cleared owes 0.00\n"
            "2024-01-07 A gone_soon raised \n");
  stream_engine new_stream(after);
  reloaded r;
  r.report = stream_reload::reload(old_stream, new_stream, r);
  ASSERT_TRUE(r.report.reloaded());
  EXPECT_EQ(r.report.clock, date("2024-01-09"));
  // The old rules close 01-09 (C owes); gone_soon's open alert clears.
  EXPECT_EQ(brief(r.closing, before), "2024-01-09 C owing raised owes 50.00\n");
  EXPECT_EQ(brief(r.removed, before),
            "2024-01-09 A gone_soon cleared rule removed in ruleset \"city\" version 2\n");
  // The clear is the new ruleset's doing.
  EXPECT_NE(alert_json(r.removed[0], before, after).find("\"rule\":\"gone_soon\""),
            std::string::npos);
  EXPECT_NE(alert_json(r.removed[0], before, after).find("\"version\":2,"), std::string::npos);
  // owing stays open for A and C without a second raise; late_rent (grace
  // 3 now) and the new long_late hold for A as of 01-09.
  EXPECT_EQ(brief(r.opening, after),
            "2024-01-09 A late_rent raised late 8 days\n"
            "2024-01-09 A long_late raised \n");
  // The stream goes on under the new rules: owing clears when A pays.
  out.clear();
  EXPECT_EQ(new_stream.push("A", date("2024-01-10"), "payment", 100'00, out),
            earlywarn::push_result::accepted);
  new_stream.advance(date("2024-01-10"), out);
  EXPECT_EQ(brief(out, after),
            "2024-01-10 A late_rent cleared late 0 days\n"
            "2024-01-10 A long_late cleared \n"
            "2024-01-10 A owing cleared owes 0.00\n");
}

TEST(stream_reload, a_rule_reading_history_the_stream_has_folded_is_refused_and_nothing_changes) {
  const ruleset before = must_compile(
      "rule owing { when balance > 0 }\n"
      "rule paid_lately { when sum(payment, 1m) > 0 }\n");
  const ruleset after = must_compile(
      "rule owing { when balance > 0 }\n"
      "rule paid_this_year { when sum(payment, 12m) > 0 }\n"
      "rule ever_fee { when count(fee) > 0 }\n");
  stream_options tight;
  tight.lateness_days = 0;
  stream_engine old_stream(before, tight);
  std::vector<alert> out;
  for (day d = date("2023-01-01"); d <= date("2024-01-01"); d += 30) {
    EXPECT_EQ(old_stream.push("A", d, "charge", 10'00, out), earlywarn::push_result::accepted);
    EXPECT_EQ(old_stream.push("A", d + 1, "payment", 10'00, out), earlywarn::push_result::accepted);
  }
  old_stream.advance(date("2024-01-05"), out);
  const std::size_t before_reload = out.size();
  stream_engine new_stream(after);
  reloaded r;
  r.report = stream_reload::reload(old_stream, new_stream, r);
  EXPECT_FALSE(r.report.reloaded());
  ASSERT_EQ(r.report.refused.size(), 2u);
  EXPECT_EQ(r.report.refused[0].rfind("paid_this_year: reads 372 days back from 2024-01-05", 0), 0u)
      << r.report.refused[0];
  // count(fee) over all history: the old rules kept no total of fees.
  EXPECT_EQ(
      r.report.refused[1].rfind("ever_fee: reads latest events or totals over all history", 0), 0u)
      << r.report.refused[1];
  EXPECT_TRUE(r.closing.empty() && r.removed.empty() && r.opening.empty());
  // The old stream runs on as if nothing had been tried.
  EXPECT_EQ(old_stream.push("A", date("2024-01-31"), "charge", 10'00, out),
            earlywarn::push_result::accepted);
  old_stream.advance(date("2024-02-10"), out);
  EXPECT_GT(out.size(), before_reload);
  EXPECT_EQ(old_stream.clock(), date("2024-02-10"));
}

TEST(stream_reload, an_attribute_the_new_declaration_cannot_read_is_refused) {
  const ruleset before = must_compile(
      "attribute band text\nrule owing { when balance > 0 and "
      "band == \"x\" }\n");
  const ruleset after = must_compile(
      "attribute band number\nrule owing { when balance > 0 and "
      "band > 2 }\n");
  stream_engine old_stream(before);
  std::vector<alert> out;
  old_stream.set_attribute("A", "band", "x");
  EXPECT_EQ(old_stream.push("A", date("2024-01-01"), "charge", 10'00, out),
            earlywarn::push_result::accepted);
  stream_engine new_stream(after);
  reloaded r;
  r.report = stream_reload::reload(old_stream, new_stream, r);
  ASSERT_EQ(r.report.refused.size(), 1u);
  EXPECT_NE(r.report.refused[0].find("attribute band (number) of household A: 'x'"),
            std::string::npos)
      << r.report.refused[0];
}

TEST(stream_reload, needs_a_newly_made_engine) {
  const ruleset rules = must_compile("rule owing { when balance > 0 }\n");
  stream_engine a(rules), b(rules);
  std::vector<alert> out;
  stream_reload_alerts said;
  EXPECT_EQ(b.push("A", date("2024-01-01"), "charge", 10'00, out),
            earlywarn::push_result::accepted);
  EXPECT_THROW(stream_reload::reload(a, b, said), std::invalid_argument);
  EXPECT_THROW(stream_reload::reload(a, a, said), std::invalid_argument);
}

}  // namespace
}  // namespace earlywarn

// Household attributes (docs/language.md, Household attributes): facts about
// a household from a second input, declared with a kind, read by rules,
// shown by explain; no value where a household has none; the same in
// evaluation, back-test and stream, through a checkpoint too.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "earlywarn.hpp"
#include "naive_backtest.hpp"
#include "support.hpp"

namespace earlywarn {
namespace {

using testing::date;
using testing::fired;
using testing::first_message;
using testing::make_ledger;
using testing::must_compile;

std::string messages(const ruleset& rules, const ledger& l, const char* as_of) {
  std::string out;
  for (const worklist_row& row : evaluate(rules, l, date(as_of)).rows)
    out += std::string(row.household_id) + ":" + row.message + "|";
  return out;
}

const char* const facts_rules =
    "attribute weekly_rent money\n"
    "attribute tenancy text\n"
    "attribute vulnerable flag\n"
    "attribute review date\n"
    "attribute adults count\n"
    "rule two_weeks_behind { when arrears >= 2 * weekly_rent\n"
    "  message \"owes {arrears}, rent {weekly_rent} a week, {tenancy}\" }\n"
    "rule secure_in_arrears { when tenancy in (\"secure\", \"flexible\") and arrears > 0 }\n"
    "rule not_secure { when tenancy != \"secure\" }\n"
    "rule vulnerable_in_arrears { when vulnerable and arrears > 0 }\n"
    "rule review_due { when days_until(review) <= 7 }\n"
    "rule reviewed_lately { when days_since(review) < 30 }\n"
    "rule shared { when adults >= 2 }\n"
    "rule no_rent_known { when missing(weekly_rent) }\n";

ledger facts_ledger() {
  ledger l = make_ledger({{"A", "2024-01-01", "charge", 20000},
                          {"B", "2024-01-01", "charge", 5000},
                          {"C", "2024-01-01", "charge", 10000},
                          {"D", "2024-01-01", "charge", 0}});
  household_attributes a;
  a.set("A", "weekly_rent", "95.50");
  a.set("A", "tenancy", "secure");
  a.set("A", "vulnerable", "yes");
  a.set("A", "review", "2024-01-20");
  a.set("A", "adults", "2");
  a.set("B", "weekly_rent", "100");
  a.set("B", "tenancy", "introductory");
  a.set("B", "vulnerable", "false");
  a.set("C", "tenancy", "");        // given empty: no value, as not given
  a.set("Z", "tenancy", "secure");  // no such household in the ledger: never read
  a.set("A", "district", "North");  // not declared: kept, not read
  l.set_attributes(std::move(a));
  return l;
}

TEST(attributes, rules_read_them_and_a_missing_one_has_no_value) {
  const ruleset rules = must_compile(facts_rules);
  const ledger l = facts_ledger();
  EXPECT_EQ(fired(rules, l, "2024-01-10"),
            "A:secure_in_arrears A:shared A:two_weeks_behind A:vulnerable_in_arrears "
            "B:not_secure C:no_rent_known D:no_rent_known ");
  EXPECT_EQ(messages(rules, l, "2024-01-10").substr(0, 48),
            "A:|A:|A:owes 200.00, rent 95.50 a week, secure|A");
}

TEST(attributes, a_date_is_read_as_days_since_and_days_until_it) {
  const ruleset rules = must_compile(facts_rules);
  const ledger l = facts_ledger();
  auto a_fires = [&](const char* as_of, const char* rule) {
    return fired(rules, l, as_of).find(std::string("A:") + rule + " ") != std::string::npos;
  };
  EXPECT_FALSE(a_fires("2024-01-12", "review_due"));  // 8 days ahead
  EXPECT_TRUE(a_fires("2024-01-13", "review_due"));
  EXPECT_TRUE(a_fires("2024-01-20", "review_due"));        // 0 on the day
  EXPECT_FALSE(a_fires("2024-01-21", "review_due"));       // past: no value
  EXPECT_FALSE(a_fires("2024-01-19", "reviewed_lately"));  // not yet come: no value
  EXPECT_TRUE(a_fires("2024-01-20", "reviewed_lately"));
  EXPECT_TRUE(a_fires("2024-02-18", "reviewed_lately"));  // 29 days since
  EXPECT_FALSE(a_fires("2024-02-19", "reviewed_lately"));
  EXPECT_EQ(testing::value_read(rules, l, 0, "2024-01-13", "days_until(review)"), "7");
}

TEST(attributes, the_backtest_and_the_stream_agree_with_run_on_each_day) {
  const ruleset rules = must_compile(facts_rules);
  const ledger l = facts_ledger();
  const auto expected =
      testing::every_step(rules, l, date("2024-01-01"), date("2024-03-31"), backtest_step::day);
  EXPECT_EQ(testing::alerts_text(backtest(rules, l, date("2024-01-01"), date("2024-03-31")), rules),
            testing::alerts_text(expected, rules));
  // The review's raise and clear are among them, on their days.
  const std::string text = testing::alerts_text(expected, rules);
  EXPECT_NE(text.find("\"2024-01-13\",\"household\":\"A\",\"rule\":\"review_due\""),
            std::string::npos)
      << text;

  stream_engine engine(rules);
  std::vector<alert> out;
  // Attributes set before a household's first event hold from it.
  testing::set_attributes(engine, *l.attributes());
  for (const auto& p : testing::postings_of(l))
    EXPECT_EQ(engine.push(p.household, p.date, p.type, p.amount, p.code, out),
              earlywarn::push_result::accepted);
  engine.advance(date("2024-03-31"), out);
  EXPECT_EQ(testing::alerts_text(out, rules), testing::alerts_text(expected, rules));
}

TEST(attributes, a_stream_takes_a_change_from_the_clocks_day_and_keeps_it_through_a_checkpoint) {
  const ruleset rules = must_compile(
      "attribute vulnerable flag\n"
      "attribute tenancy text\n"
      "rule vulnerable_in_arrears { when vulnerable and arrears > 0 }\n"
      "rule introductory { when tenancy == \"introductory\" message \"{tenancy}\" }\n");
  stream_engine engine(rules);
  std::vector<alert> out;
  EXPECT_FALSE(engine.set_attribute("A", "district", "North"));  // not declared: ignored
  EXPECT_EQ(engine.push("A", date("2024-01-01"), "charge", 100, out),
            earlywarn::push_result::accepted);
  engine.advance(date("2024-01-05"), out);
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(engine.set_attribute("A", "vulnerable", "true"));
  EXPECT_TRUE(engine.set_attribute("A", "tenancy", "introductory"));
  const std::string saved = stream_checkpoint::serialize(engine, {});
  engine.advance(date("2024-01-06"), out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(format_date(out[0].date), "2024-01-05");  // as of the clock
  EXPECT_EQ(out[0].message, "introductory");

  stream_engine restored(rules);
  checkpoint_position position;
  ASSERT_EQ(stream_checkpoint::restore(restored, saved, position), std::nullopt);
  std::vector<alert> again;
  restored.advance(date("2024-01-06"), again);
  EXPECT_EQ(testing::alerts_text(again, rules), testing::alerts_text(out, rules));
  // Cleared the day the flag is taken away.
  EXPECT_EQ(restored.push("A", date("2024-01-10"), "contact", 0, again),
            earlywarn::push_result::accepted);
  EXPECT_TRUE(restored.set_attribute("A", "vulnerable", ""));
  again.clear();
  restored.finish(again);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].state, alert_state::cleared);
  EXPECT_EQ(rules.rules[again[0].rule].name, "vulnerable_in_arrears");
}

TEST(attributes, a_checkpoint_holding_a_value_its_kind_cannot_read_is_refused) {
  const ruleset rules =
      must_compile("attribute vulnerable flag\nrule v { when vulnerable and arrears > 0 }\n");
  stream_engine engine(rules);
  std::vector<alert> out;
  EXPECT_EQ(engine.push("A", date("2024-01-01"), "charge", 100, out),
            earlywarn::push_result::accepted);
  engine.set_attribute("A", "vulnerable", "true");
  std::string saved = stream_checkpoint::serialize(engine, {});
  const std::size_t at = saved.find("true");
  ASSERT_NE(at, std::string::npos);
  saved.replace(at, 4, "nope");
  // The checksum made right again: only the meaning is wrong.
  saved.resize(saved.size() - 8);
  detail::byte_writer checksum;
  checksum.put<std::uint64_t>(detail::fnv1a(saved));
  saved += checksum.bytes();
  stream_engine restored(rules);
  checkpoint_position position;
  const auto error = stream_checkpoint::restore(restored, saved, position);
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->message.find("attribute vulnerable of household A: is not a flag"),
            std::string::npos)
      << error->message;
}

TEST(attributes, a_value_its_kind_cannot_read_is_refused_with_the_household_and_attribute) {
  const ruleset rules = must_compile(facts_rules);
  ledger l = facts_ledger();
  household_attributes a = *l.attributes();
  a.set("B", "weekly_rent", "95,50");
  l.set_attributes(a);
  try {
    (void)evaluate(rules, l, date("2024-01-10"));
    FAIL() << "no error";
  } catch (const attribute_error& e) {
    EXPECT_EQ(e.household, "B");
    EXPECT_EQ(e.attribute, "weekly_rent");
    EXPECT_STREQ(e.what(),
                 "attribute 'weekly_rent' of household 'B': '95,50' is not an amount of money "
                 "(like 95.50 or -12, at most two decimals, at most 10000000000000.00)");
  }
  stream_engine engine(rules);
  EXPECT_THROW(engine.set_attribute("A", "review", "20.01.2024"), attribute_error);
  EXPECT_THROW(engine.set_attribute("A", "vulnerable", "maybe"), attribute_error);
  EXPECT_THROW(engine.set_attribute("A", "tenancy", " secure"), attribute_error);
}

TEST(attributes, each_kind_reads_its_texts) {
  EXPECT_EQ(parse_attribute(attribute_kind::money, "95.5"), value::money(9550));
  EXPECT_EQ(parse_attribute(attribute_kind::money, "-12"), value::money(-1200));
  EXPECT_FALSE(parse_attribute(attribute_kind::money, "").has_value());
  EXPECT_THROW(parse_attribute(attribute_kind::money, "1.005"), std::invalid_argument);
  EXPECT_EQ(parse_attribute(attribute_kind::days, "28"), value::integer(28, unit::days));
  EXPECT_THROW(parse_attribute(attribute_kind::days, "2.5"), std::invalid_argument);
  EXPECT_EQ(parse_attribute(attribute_kind::count, "3"), value::integer(3));
  EXPECT_EQ(parse_attribute(attribute_kind::number, "0.75"), value::fraction(3, 4, unit::number));
  EXPECT_THROW(parse_attribute(attribute_kind::number, "."), std::invalid_argument);
  EXPECT_THROW(parse_attribute(attribute_kind::number, "1."), std::invalid_argument);
  EXPECT_EQ(parse_attribute(attribute_kind::flag, "YES"), value::integer(1));
  EXPECT_EQ(parse_attribute(attribute_kind::flag, "0"), value::integer(0));
  EXPECT_EQ(parse_attribute(attribute_kind::date, "2024-02-29"),
            value::integer(date("2024-02-29")));
  EXPECT_THROW(parse_attribute(attribute_kind::date, "2023-02-29"), std::invalid_argument);
  EXPECT_EQ(attribute_problem(attribute_kind::text, "North East"), std::nullopt);
  EXPECT_NE(attribute_problem(attribute_kind::text, "say \"hi\""), std::nullopt);
}

TEST(attributes, a_csv_file_is_read_with_located_errors) {
  const attributes_load read =
      parse_attributes_csv("household,rent,district\nA,95.50,\"North, East\"\n\nB,,South\n");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read.attributes.household_count(), 2u);
  EXPECT_EQ(read.lines, (std::vector<std::uint64_t>{2, 4}));
  EXPECT_EQ(read.attributes.text(0, 1), "North, East");
  EXPECT_EQ(read.attributes.text(1, 0), "");
  // A file without rows still has its columns: no "no column" warning for them.
  const attributes_load empty = parse_attributes_csv("household,rent\n");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty.attributes.names(), (std::vector<std::string>{"rent"}));
  auto error = [](std::string_view text) {
    const attributes_load load = parse_attributes_csv(text);
    return load.ok() ? std::string("ok")
                     : std::to_string(load.error->line) + ":" + std::to_string(load.error->column) +
                           ": " + load.error->message;
  };
  EXPECT_EQ(error("id,rent\n"),
            "1:1: not an attributes CSV: the header must begin 'household', "
            "found 'id'");
  EXPECT_EQ(error("household\nA\n"),
            "1:0: the header names no attribute: 'household,weekly_rent,…'");
  EXPECT_EQ(error("household,rent,rent\n"),
            "1:0: the header names two columns 'rent' (columns 2 and 3)");
  EXPECT_EQ(error("household,rent\nA,1,2\n"),
            "2:0: row has 3 fields; the header has 2 (household,rent …)");
  EXPECT_EQ(error("household,rent\nA,\"1\n"), "2:3: a quoted field is never closed");
  EXPECT_EQ(error("household,rent\n,1\n"), "2:1: household id must be 1-64 bytes");
  EXPECT_EQ(error("household,rent\nA,1\nA,2\n"),
            "3:1: household 'A' is given twice (first at line 2): one row per household");
  EXPECT_EQ(error("household,rent\nA,\xff\n"),
            "0:0: not UTF-8 text: save the attributes as UTF-8 CSV");
}

TEST(attributes, explain_shows_them_and_the_text_a_comparison_read) {
  const ruleset rules = must_compile(facts_rules);
  const ledger l = facts_ledger();
  const household_explanation x = explain(rules, l, 0, date("2024-01-10"));
  std::string shown;
  for (const reading& r : x.attributes) shown += r.expression + "=" + r.value + " ";
  EXPECT_EQ(shown, "weekly_rent=95.50 tenancy=secure vulnerable=true review=2024-01-20 adults=2 ");
  EXPECT_EQ(testing::value_read(rules, l, 0, "2024-01-10", "tenancy"), "secure");
  EXPECT_EQ(testing::value_read(rules, l, 1, "2024-01-10", "vulnerable"), "false");
  EXPECT_EQ(testing::value_read(rules, l, 2, "2024-01-10", "weekly_rent"), "n/a");
  const household_explanation none = explain(rules, l, 3, date("2024-01-10"));
  EXPECT_EQ(none.attributes.front().value, "n/a");
}

TEST(attributes, are_checked_where_they_are_declared_and_read) {
  EXPECT_EQ(first_message("attribute rent monye\nrule r { when rent > 0 }\n"),
            "unknown attribute kind 'monye': an attribute is text, flag, date, money, days, "
            "count or number; did you mean 'money'?");
  EXPECT_EQ(first_message("attribute rent money\nattribute rent days\nrule r { when rent > 0 }\n"),
            "attribute 'rent' is declared twice (first at line 1)");
  EXPECT_EQ(first_message("attribute arrears money\nrule r { when arrears > 0 }\n"),
            "attribute name 'arrears' is already a built-in signal");
  EXPECT_EQ(first_message("attribute rent money\nrule rent { when arrears > 0 }\n"),
            "rule name 'rent' is already a household attribute");
  EXPECT_EQ(first_message("attribute review date\nrule r { when review > 0 }\n"),
            "'review' is a date: read it as days_since(review) or days_until(review)");
  EXPECT_EQ(first_message("attribute rent money\nrule r { when days_since(rent) > 0 }\n"),
            "days_since() of an attribute reads a date; 'rent' is declared money");
  EXPECT_EQ(first_message("attribute rent money\nrule r { when arrears > 2d + rent }\n"),
            "'+' adds 2d (days) and rent (money): both sides need one unit (docs/language.md, "
            "Units)");
  EXPECT_EQ(first_message("attribute tenancy text\nrule r { when tenancy > 1 }\n"),
            "'>' takes numbers; tenancy is a text attribute: compare it with ==, != or in, like "
            "tenancy == \"secure\"");
  EXPECT_EQ(first_message("attribute tenancy text\nrule r { when tenancy == secure }\n"),
            "'==' compares tenancy with a quoted text, like tenancy == \"secure\"");
  EXPECT_EQ(first_message("attribute tenancy text\nrule r { when tenancy in (1, 2) }\n"),
            "the items after tenancy in are quoted texts (\"secure\", …)");
  EXPECT_EQ(first_message("attribute vulnerable flag\nrule r { when missing(vulnerable) }\n"),
            "missing() takes a number, not a condition");
  EXPECT_EQ(first_message("attribute rent money\nrule r { when arrears > 0 }\n"),
            "attribute 'rent' is never read: no rule or definition uses it");
  // A money attribute goes where money goes.
  EXPECT_EQ(first_message("attribute rent money\n"
                          "rule r { when max(arrears - rent, 0) > 0 score rent }\n"
                          "rule s { when arrears > 0 score arrears }\n"),
            "");
}

}  // namespace
}  // namespace earlywarn

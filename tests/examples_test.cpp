// The example rulesets of rules/examples/ give the actions their scenario
// files expect, one row per household that needs one.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "earlywarn.hpp"
#include "support.hpp"

namespace earlywarn {
namespace {

const std::string examples = std::string(EARLYWARN_SOURCE_DIR) + "/rules/examples/";

ruleset load_example(const std::string& name) {
  rules_load load = load_rules(examples + name);
  EXPECT_TRUE(load.ok()) << load.report();
  EXPECT_TRUE(load.rules->warnings.empty()) << load.report();
  return std::move(*load.rules);
}

// The scenario ledger with the households' attributes (weekly-rent-attributes.csv).
ledger load_example_ledger(const std::string& name) {
  ledger_load load = load_ledger_csv(examples + name);
  EXPECT_TRUE(load.ok()) << load.error->message;
  attributes_load attributes = load_attributes_csv(examples + "weekly-rent-attributes.csv");
  EXPECT_TRUE(attributes.ok()) << attributes.error->message;
  load.events.set_attributes(std::move(attributes.attributes));
  return std::move(load.events);
}

// as_of → household → action ("" for none), from the scenarios file.
std::map<std::string, std::map<std::string, std::string>> expectations(const std::string& name) {
  std::ifstream in(examples + name);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "as_of,household,action,scenario");
  std::map<std::string, std::map<std::string, std::string>> out;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string as_of, household, action;
    std::getline(fields, as_of, ',');
    std::getline(fields, household, ',');
    std::getline(fields, action, ',');
    out[as_of][household] = action;
  }
  return out;
}

TEST(examples, the_weekly_rent_classifier_gives_each_scenario_its_action) {
  const ruleset rules = load_example("weekly-rent-actions.rules");
  const ledger events = load_example_ledger("weekly-rent-ledger.csv");
  const auto expected = expectations("weekly-rent-expected.csv");
  ASSERT_EQ(expected.size(), 2u);
  for (const auto& [as_of, actions] : expected) {
    std::map<std::string, std::string> got;
    for (const worklist_row& row : evaluate(rules, events, testing::date(as_of)).rows) {
      EXPECT_TRUE(got.emplace(row.household_id, row.rule_name).second)
          << row.household_id << " has more than one row as of " << as_of;
    }
    for (const auto& [household, action] : actions) {
      const auto it = got.find(household);
      EXPECT_EQ(it == got.end() ? std::string() : it->second, action)
          << household << " as of " << as_of;
    }
  }
}

TEST(examples, the_weekly_rent_classifier_never_gives_a_household_two_actions) {
  const ruleset rules = load_example("weekly-rent-actions.rules");
  const ledger events = load_example_ledger("weekly-rent-ledger.csv");
  // Every day of the ledger and a season beyond, as the back-test sees it:
  // after each day's clears and raises (a day's alerts come in household and
  // rule-name order, not clears first), no household has two open.
  std::vector<alert> alerts =
      backtest(rules, events, testing::date("2024-01-01"), testing::date("2024-09-30"));
  std::map<std::string, std::set<std::uint32_t>> open;
  std::size_t raised = 0;
  for (std::size_t i = 0; i < alerts.size();) {
    const day d = alerts[i].date;
    std::size_t end = i;
    while (end < alerts.size() && alerts[end].date == d) ++end;
    for (std::size_t k = i; k < end; ++k)
      if (alerts[k].state == alert_state::cleared)
        open[alerts[k].household_id].erase(alerts[k].rule);
    for (std::size_t k = i; k < end; ++k)
      if (alerts[k].state == alert_state::raised) {
        open[alerts[k].household_id].insert(alerts[k].rule);
        ++raised;
      }
    for (const auto& [household, rules_open] : open)
      EXPECT_LE(rules_open.size(), 1u) << household << " on " << format_date(d);
    i = end;
  }
  EXPECT_GE(raised, 12u);  // every step of the ladder, over the scenarios
}

}  // namespace
}  // namespace earlywarn

// Scenario files (docs/rule-tests.md): parsing with located errors, each
// kind of expectation holding and failing, params, given rules, coverage,
// and the text and JUnit reports.
#include "earlywarn/rule_tests/scenarios.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "earlywarn/loading/load_rules.hpp"

namespace earlywarn {
namespace {

namespace fs = std::filesystem;

// Files in a folder of their own, written for one test.
class scenario_files : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("earlywarn_scenarios_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    write("rules.rules", rules_text);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }

  test_report run(const std::string& text, const scenario_options& options = {}) {
    return run_scenario_files({write("t.scenarios", text)}, options);
  }

  static constexpr const char* rules_text = R"(ruleset "small" version 3
param grace = 10
event letter neutral
rule late {
  when arrears_days > grace
  severity low
  score arrears
  message "Late {arrears_days} days, owing {arrears}"
}
rule very_late {
  when arrears_days > 40 and arrears >= 200
  severity high
  score arrears
  message "Very late"
}
)";

  fs::path dir_;
};

// A ledger where A owes 100 from 2024-01-01 and B pays on time.
constexpr const char* ledger_block = R"(  ledger {
    household,date,type,amount
    A,2024-01-01,charge,100
    B,2024-01-01,charge,100
    B,2024-01-02,payment,100
  }
)";

std::string scenario(const std::string& body, const std::string& head = "rules \"rules.rules\"\n") {
  return head + "scenario \"s\" {\n" + ledger_block + body + "}\n";
}

TEST_F(scenario_files, expectations_that_hold_pass) {
  const test_report r = run(scenario(R"(  on 2024-01-11 {
    A fires nothing
    B fires nothing
  }
  on 2024-01-12 {
    A fires late "Late 11 days, owing 100.00"
    A does not fire very_late
    B fires nothing
    A raises late
    worklist {
      A late
    }
  }
)"));
  EXPECT_TRUE(r.passed()) << test_report_text(r);
  ASSERT_EQ(r.scenarios.size(), 1u);
  EXPECT_EQ(r.expectation_count(), 7u);
  EXPECT_EQ(r.failed_expectations(), 0u);
  EXPECT_EQ(test_report_text(r), "1 scenario, 7 expectations: 7 passed, 0 failed\n");
}

TEST_F(scenario_files, each_kind_of_expectation_fails_with_what_was_expected_and_what_happened) {
  const test_report r = run(scenario(R"(  on 2024-01-11 {
    A fires late
    A raises late
  }
  on 2024-01-12 {
    A fires late "Late 12 days"
    A does not fire late
    A fires nothing
    A clears late
    worklist { }
  }
)"));
  EXPECT_FALSE(r.passed());
  ASSERT_EQ(r.scenarios.size(), 1u);
  const std::vector<scenario_failure>& f = r.scenarios[0].failures;
  ASSERT_EQ(f.size(), 7u) << test_report_text(r);
  EXPECT_EQ(f[0].where.line, 10u);
  EXPECT_EQ(f[0].expectation, "A fires late");
  EXPECT_EQ(f[0].expected, "late fires for A as of 2024-01-11");
  EXPECT_EQ(f[0].got, "it does not; no rule fires");
  EXPECT_NE(f[0].explanation.find("household A as of 2024-01-11"), std::string::npos);
  EXPECT_NE(f[0].explanation.find("arrears_days > grace = false"), std::string::npos);
  EXPECT_EQ(f[1].got, "no alert of it up to 2024-01-11");
  EXPECT_EQ(f[2].expected, "late fires with message \"Late 12 days\"");
  EXPECT_EQ(f[2].got, "it fires with message \"Late 11 days, owing 100.00\"");
  EXPECT_EQ(f[3].got, "it fires: \"Late 11 days, owing 100.00\"");
  EXPECT_EQ(f[4].got, "what fires: late");
  EXPECT_EQ(f[5].expected, "late's alert for A is cleared on 2024-01-12");
  EXPECT_EQ(f[5].got, "its alerts up to 2024-01-12: raised 2024-01-12");
  EXPECT_EQ(f[6].got, "\n    A late");
  EXPECT_EQ(r.failed_expectations(), 7u);
  EXPECT_EQ(r.failed_scenarios(), 1u);
  const std::string text = test_report_text(r);
  EXPECT_NE(text.find("FAIL " + (dir_ / "t.scenarios").string() +
                      ":10: scenario \"s\": A fires late\n  expected: late fires for A as of "
                      "2024-01-11\n  got:      it does not; no rule fires\n  explain:\n    "
                      "household A as of 2024-01-11\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("1 scenario, 7 expectations: 0 passed, 7 failed (1 scenario failed)\n"),
            std::string::npos)
      << text;
}

TEST_F(scenario_files, the_worklist_must_match_in_its_order) {
  write("two.csv",
        "household,date,type,amount\nA,2024-01-01,charge,300\nB,2024-01-01,charge,200\n");
  const std::string head = "rules \"rules.rules\"\nscenario \"s\" {\n  ledger \"two.csv\"\n";
  const test_report good = run(head + R"(  on 2024-02-15 {
    worklist {
      A very_late
      B very_late
      A late
      B late
    }
  }
}
)");
  EXPECT_TRUE(good.passed()) << test_report_text(good);
  const test_report swapped = run(head + R"(  on 2024-02-15 {
    worklist {
      A very_late
      B very_late
      B late
      A late
    }
  }
}
)");
  ASSERT_EQ(swapped.failed_expectations(), 1u);
  const scenario_failure& f = swapped.scenarios[0].failures[0];
  EXPECT_EQ(f.got, "\n    A very_late\n    B very_late\n    A late\n    B late");
  // The first row that differs names the household explained.
  EXPECT_NE(f.explanation.find("household B as of 2024-02-15"), std::string::npos);
}

TEST_F(scenario_files, params_of_the_file_and_of_a_scenario_apply_in_that_order) {
  const test_report r = run(R"(rules "rules.rules"
param grace = 20
scenario "file's grace" {
)" + std::string(ledger_block) +
                            R"(  on 2024-01-20 {
    A fires nothing
  }
}
scenario "own grace" {
  param grace = 5
)" + ledger_block + R"(  on 2024-01-07 {
    A fires late
  }
}
scenario "a param the rules lack" {
  param nonsense = 5
)" + ledger_block + R"(  on 2024-01-07 {
    A fires late
  }
}
)");
  ASSERT_EQ(r.scenarios.size(), 3u);
  EXPECT_TRUE(r.scenarios[0].passed()) << test_report_text(r);
  EXPECT_TRUE(r.scenarios[1].passed()) << test_report_text(r);
  EXPECT_FALSE(r.scenarios[2].passed());
  EXPECT_NE(r.scenarios[2].error.find("nonsense"), std::string::npos) << r.scenarios[2].error;
  EXPECT_EQ(r.failed_expectations(), 1u);
}

TEST_F(scenario_files, given_rules_replace_the_rules_line_and_take_scenario_params_on_top) {
  rules_load load = compile_rules(std::string(rules_text), "given.rules", {{"grace", "30"}});
  ASSERT_TRUE(load.ok()) << load.report();
  scenario_options options;
  options.rules = &*load.rules;
  options.rules_params = {{"grace", "30"}};
  const std::string text = scenario(R"(  on 2024-01-20 {
    A fires nothing
  }
}
scenario "t" {
  param grace = 5
)" + std::string(ledger_block) + R"(  on 2024-01-07 {
    A fires late
  }
)",
                                    "");
  const test_report r = run(text, options);
  EXPECT_TRUE(r.passed()) << test_report_text(r);
  ASSERT_EQ(r.coverage.size(), 1u);
  EXPECT_EQ(r.coverage[0].rules_file, "given.rules");
  // Without given rules, a file needs its rules line.
  const test_report none = run(text);
  ASSERT_EQ(none.file_errors.size(), 1u);
  EXPECT_NE(none.file_errors[0].second.find("no rules line"), std::string::npos);
}

TEST_F(scenario_files, names_the_rules_and_households_do_not_have_fail_the_expectation) {
  const test_report r = run(scenario(R"(  on 2024-01-12 {
    A fires lately
    Z does not fire late
  }
)"));
  ASSERT_EQ(r.failed_expectations(), 2u);
  EXPECT_EQ(r.scenarios[0].failures[0].got, "no rule lately in ruleset \"small\"");
  EXPECT_EQ(r.scenarios[0].failures[1].got, "no household Z in it");
}

TEST_F(scenario_files, bad_ledgers_and_attributes_stop_the_scenario_with_their_line) {
  const test_report r = run(R"(rules "rules.rules"
scenario "bad amount" {
  ledger {
    household,date,type,amount
    A,2024-01-01,charge,1O0
  }
  on 2024-01-12 {
    A fires late
  }
}
scenario "misspelt type" {
  ledger {
    household,date,type,amount
    A,2024-01-01,charge,100
    A,2024-01-02,paymnet,100
  }
  on 2024-01-12 {
    A fires late
  }
}
scenario "attributes of nobody" {
  ledger {
    household,date,type,amount
    A,2024-01-01,charge,100
  }
  attributes {
    household,district
    Q,north
  }
  on 2024-01-12 {
    A fires late
  }
}
scenario "a ledger file that is not there" {
  ledger "absent.csv"
  on 2024-01-12 {
    A fires late
  }
}
)");
  ASSERT_EQ(r.scenarios.size(), 4u);
  const std::string file = (dir_ / "t.scenarios").string();
  EXPECT_EQ(r.scenarios[0].error.rfind(file + ":5:", 0), 0u) << r.scenarios[0].error;
  EXPECT_EQ(r.scenarios[1].error.rfind(file + ":15:", 0), 0u) << r.scenarios[1].error;
  EXPECT_NE(r.scenarios[1].error.find("did you mean 'payment'"), std::string::npos);
  EXPECT_EQ(r.scenarios[2].error.rfind(file + ":28:", 0), 0u) << r.scenarios[2].error;
  EXPECT_EQ(r.scenarios[3].error.rfind((dir_ / "absent.csv").string(), 0), 0u)
      << r.scenarios[3].error;
  EXPECT_EQ(r.failed_expectations(), 4u);
  EXPECT_NE(test_report_text(r).find("ERROR " + file + ":2: scenario \"bad amount\" cannot run:"),
            std::string::npos);
}

TEST_F(scenario_files, syntax_errors_name_their_line_and_column) {
  struct bad {
    const char* text;
    std::uint32_t line, column;
    const char* message;
  };
  const std::vector<bad> cases = {
      {"rules \"rules.rules\"\nscenery \"s\" {\n}\n", 2, 1, "expected rules"},
      {"rules \"rules.rules\"\nscenario \"s\" {\n  ledger \"x.csv\"\n  on 2024-02-30 {\n  }\n}\n",
       4, 6, "expected on YYYY-MM-DD {"},
      {"rules \"rules.rules\"\nscenario \"s\" {\n  ledger \"x.csv\"\n  on 2024-02-01 {\n    A "
       "fires\n  }\n}\n",
       5, 5, "expected H fires RULE"},
      {"rules \"rules.rules\"\nscenario \"s\" {\n  ledger \"x.csv\"\n}\n", 2, 1,
       "expects nothing, so it cannot fail"},
      {"rules \"rules.rules\"\nscenario \"s\" {\n  on 2024-02-01 {\n    A fires late\n  }\n}\n", 2,
       1, "has no ledger"},
      {"rules \"rules.rules\"\nscenario \"s\" {\n  ledger \"x.csv\"\n  on 2024-02-01 {\n    A "
       "fires late\n  }\n",
       2, 1, "is not closed"},
      {"rules \"rules.rules\"\nparam grace 5\n", 2, 1, "expected param NAME = VALUE"},
      {"rules \"rules.rules\"\nscenario \"s\" {\n  ledger \"x.csv\"\n  on 2024-02-01 {\n    A "
       "fires late \"open\n  }\n}\n",
       5, 18, "not closed on this line"},
      {"# nothing\n", 1, 1, "no scenario"},
  };
  for (const bad& c : cases) {
    const scenario_file f = parse_scenarios(c.text, "t.scenarios");
    ASSERT_FALSE(f.ok()) << c.text;
    const diagnostic& d = f.diagnostics.front();
    EXPECT_EQ(d.where.line, c.line) << c.text << f.report();
    EXPECT_EQ(d.where.column, c.column) << c.text << f.report();
    EXPECT_NE(d.message.find(c.message), std::string::npos) << c.text << f.report();
  }
  // A file that does not parse runs nothing and is reported as a whole.
  const test_report r = run(cases[0].text);
  EXPECT_TRUE(r.scenarios.empty());
  ASSERT_EQ(r.file_errors.size(), 1u);
  EXPECT_NE(r.file_errors[0].second.find(":2:1: error: expected rules"), std::string::npos);
  EXPECT_FALSE(r.passed());
}

TEST_F(scenario_files, rules_that_do_not_load_stop_the_file) {
  write("broken.rules", "rule x {\n  when nonsense > 1\n}\n");
  const test_report r =
      run(scenario("  on 2024-01-12 {\n    A fires x\n  }\n", "rules \"broken.rules\"\n"));
  ASSERT_EQ(r.file_errors.size(), 1u);
  EXPECT_NE(r.file_errors[0].second.find("broken.rules does not load"), std::string::npos);
  EXPECT_NE(r.file_errors[0].second.find("broken.rules:2:"), std::string::npos)
      << r.file_errors[0].second;
}

TEST_F(scenario_files, coverage_counts_each_rule_and_condition_over_the_households_checked) {
  const test_report r = run(scenario(R"(  on 2024-01-12 {
    A fires late
  }
  on 2024-02-15 {
    A fires late
  }
)"));
  ASSERT_EQ(r.coverage.size(), 1u);
  const ruleset_coverage& c = r.coverage[0];
  EXPECT_EQ(c.ruleset_name, "small");
  EXPECT_EQ(c.ruleset_version, 3);
  ASSERT_EQ(c.rules.size(), 2u);
  // Two dates, two households each: A late on both, B on neither.
  EXPECT_EQ(c.rules[0].rule, "late");
  EXPECT_EQ(c.rules[0].fired, 2u);
  EXPECT_EQ(c.rules[0].not_fired, 2u);
  ASSERT_EQ(c.rules[0].conditions.size(), 1u);
  EXPECT_EQ(c.rules[0].conditions[0].text, "arrears_days > grace");
  EXPECT_EQ(c.rules[0].conditions[0].where.line, 5u);
  // very_late: A is 45 days late on 2024-02-15 but owes 100, below 200.
  EXPECT_EQ(c.rules[1].fired, 0u);
  ASSERT_EQ(c.rules[1].conditions.size(), 2u);
  EXPECT_EQ(c.rules[1].conditions[0].text, "arrears_days > 40");
  EXPECT_EQ(c.rules[1].conditions[0].seen_true, 1u);
  EXPECT_EQ(c.rules[1].conditions[0].seen_false, 3u);
  EXPECT_EQ(c.rules[1].conditions[1].text, "arrears >= 200");
  EXPECT_EQ(c.rules[1].conditions[1].seen_true, 0u);
  const std::string text = coverage_text(r);
  EXPECT_NE(text.find("1 of 2 rules fired and not fired, 2 of 3 conditions true and false"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("! very_late: fired 0, not fired 4  (never fired)"), std::string::npos)
      << text;
  EXPECT_NE(text.find("    ! arrears >= 200 (line 11): true 0, false 4  (never true)"),
            std::string::npos)
      << text;
}

TEST_F(scenario_files, junit_xml_has_a_case_per_scenario_and_escapes_text) {
  const test_report r = run(R"(rules "rules.rules"
scenario "passes <&>" {
)" + std::string(ledger_block) +
                            R"(  on 2024-01-12 {
    A fires late
  }
}
scenario "fails" {
)" + ledger_block + R"(  on 2024-01-12 {
    A fires late "<wrong>"
  }
}
)");
  const std::string xml = junit_xml(r);
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"earlywarn "
                      "test\" tests=\"2\" failures=\"1\" errors=\"0\">\n",
                      0),
            0u)
      << xml;
  EXPECT_NE(xml.find("name=\"passes &lt;&amp;&gt;\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<failure message=\"1 expectation of 1 failed\" type=\"expectation\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("fires with message &quot;&lt;wrong&gt;&quot;"), std::string::npos) << xml;
  EXPECT_NE(xml.find("</testsuite>\n</testsuites>\n"), std::string::npos);
}

TEST(standard_suites, the_scenario_file_of_docs_rule_tests_runs_and_passes) {
  std::ifstream in(std::string(EARLYWARN_SOURCE_DIR) + "/docs/rule-tests.md");
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t begin = doc.find("```\n# Comments");
  ASSERT_NE(begin, std::string::npos);
  const std::size_t end = doc.find("```", begin + 4);
  // Its rules line is relative to where the file would be; the same rules, given.
  rules_load load =
      load_rules(std::string(EARLYWARN_SOURCE_DIR) + "/rules/housing-early-warning.rules");
  ASSERT_TRUE(load.ok());
  scenario_options options;
  options.rules = &*load.rules;
  const test_report r =
      run_scenarios({parse_scenarios(doc.substr(begin + 4, end - begin - 4), "doc")}, options);
  EXPECT_TRUE(r.passed()) << test_report_text(r);
  EXPECT_EQ(r.expectation_count(), 4u);
}

TEST(standard_suites, the_rulesets_shipped_pass_their_scenarios_and_cover_every_rule) {
  const std::string dir = std::string(EARLYWARN_SOURCE_DIR) + "/rules/tests/";
  const test_report r = run_scenario_files(
      {dir + "housing-early-warning.scenarios", dir + "weekly-rent-actions.scenarios"});
  EXPECT_TRUE(r.passed()) << test_report_text(r);
  ASSERT_EQ(r.coverage.size(), 2u);
  for (const ruleset_coverage& c : r.coverage)
    for (const rule_coverage& rule : c.rules) {
      EXPECT_GT(rule.fired, 0u) << c.rules_file << ": " << rule.rule;
      EXPECT_GT(rule.not_fired, 0u) << c.rules_file << ": " << rule.rule;
    }
}

}  // namespace
}  // namespace earlywarn

#pragma once
/// \file scenarios.hpp
/// Scenario files: small ledgers with what the rules must make of them, the
/// rules author's tests (docs/rule-tests.md). Implemented in
/// earlywarn_scenarios.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "earlywarn/loading/diagnostic.hpp"
#include "earlywarn/loading/load_rules.hpp"
#include "earlywarn/model/date.hpp"
#include "earlywarn/model/ruleset.hpp"

namespace earlywarn {

/// What one expectation line of a scenario asks.
enum class expectation_kind : std::uint8_t {
  fires,          ///< `H fires RULE ["message"]`: the rule is on the worklist for H
  does_not_fire,  ///< `H does not fire RULE`
  fires_nothing,  ///< `H fires nothing`: no rule is on the worklist for H
  raises,         ///< `H raises RULE`: the rule's alert for H is raised that day
  clears,         ///< `H clears RULE`: the rule's alert for H clears that day
  worklist,       ///< `worklist { H RULE … }`: the whole worklist, in its order
};

/// One thing a scenario expects as of a date.
struct expectation {
  expectation_kind kind = expectation_kind::fires;
  day as_of = 0;
  std::string household;               ///< empty for a worklist
  std::string rule;                    ///< empty for fires_nothing and a worklist
  std::optional<std::string> message;  ///< fires: the message it must have
  /// worklist: the (household, rule) rows expected, in worklist order.
  std::vector<std::pair<std::string, std::string>> rows;
  source_location where;
  std::string text;  ///< the line as written, for reports
};

/// CSV text given inline in a scenario file or by a path to a file.
struct scenario_table {
  std::string path;  ///< the file (relative paths resolved); empty when inline
  std::string text;  ///< the CSV text when inline
  /// Inline: the scenario file's line of each CSV line (1-based), to locate errors.
  std::vector<std::uint32_t> lines;
  bool given() const noexcept { return !path.empty() || !text.empty(); }
};

/// A named scenario: a ledger, maybe attributes and params, and expectations.
struct scenario {
  std::string name;
  source_location where;
  param_overrides params;  ///< the file's params, then the scenario's
  scenario_table ledger;
  scenario_table attributes;
  std::vector<expectation> expectations;  ///< in the order written
};

/// A parsed scenario file, or the problems that stop it from running.
struct scenario_file {
  std::string file_name;
  std::string source;
  std::string rules_path;  ///< from `rules "…"`, resolved against the file's folder; may be empty
  std::vector<scenario> scenarios;
  std::vector<diagnostic> diagnostics;

  bool ok() const noexcept {
    for (const diagnostic& d : diagnostics)
      if (d.level == diagnostic_level::error) return false;
    return true;
  }
  /// Every diagnostic rendered as `FILE:LINE:COL: …` with line and caret.
  std::string report() const {
    std::string out;
    for (const diagnostic& d : diagnostics) out += render(d, file_name, source);
    return out;
  }
};

/// Parses scenario text; `file_name` is used in diagnostics and to resolve
/// relative paths.
scenario_file parse_scenarios(std::string source, std::string file_name);

/// Reads and parses a scenario file.
scenario_file load_scenarios(const std::string& path);

/// An expectation that did not hold.
struct scenario_failure {
  source_location where;    ///< of the expectation in the scenario file
  std::string expectation;  ///< as written
  std::string expected;
  std::string got;
  std::string explanation;  ///< `explain` of the household as of the date; empty for none
};

/// How one scenario went.
struct scenario_result {
  std::string file;  ///< the scenario file
  std::string name;
  source_location where;
  std::size_t expectations = 0;
  std::vector<scenario_failure> failures;
  /// Why the scenario could not run (its ledger, attributes or params), rendered; empty when it
  /// ran.
  std::string error;
  bool passed() const noexcept { return error.empty() && failures.empty(); }
};

/// How often a condition inside a rule's `when` was true and false.
struct condition_coverage {
  std::string text;  ///< as written
  source_location where;
  std::uint64_t seen_true = 0;
  std::uint64_t seen_false = 0;
};

/// How often a rule fired and did not, and its conditions: the parts of its
/// `when` joined by `and`, `or` and `not` (a definition used by name is one).
struct rule_coverage {
  std::string rule;
  std::uint64_t fired = 0;
  std::uint64_t not_fired = 0;
  std::vector<condition_coverage> conditions;  ///< in the order written
};

/// Coverage of one rules file by the scenarios that test it.
struct ruleset_coverage {
  std::string rules_file;
  std::string ruleset_name;
  std::int64_t ruleset_version = 0;
  std::vector<rule_coverage> rules;  ///< in the order of the rules file
};

/// What a test run found.
struct [[nodiscard]] test_report {
  std::vector<scenario_result> scenarios;
  /// Scenario files that could not run at all, rendered (syntax, rules that do not load).
  std::vector<std::pair<std::string, std::string>> file_errors;  ///< (file, report)
  std::vector<ruleset_coverage> coverage;

  std::size_t expectation_count() const noexcept;
  std::size_t failed_expectations() const noexcept;
  std::size_t failed_scenarios() const noexcept;
  bool passed() const noexcept { return file_errors.empty() && failed_scenarios() == 0; }
};

/// How to run scenario files.
struct scenario_options {
  /// Test these rules instead of those each file's `rules` line names (a
  /// changed copy; a ruleset loaded in a program). Must outlive the run.
  const ruleset* rules = nullptr;
  /// The param overrides `rules` was loaded with; a scenario's params apply on top.
  param_overrides rules_params;
};

/// Runs the scenarios of every file and measures coverage: each rule and
/// each of its conditions, for every household of a scenario's ledger
/// existing as of each date an expectation names (docs/rule-tests.md).
test_report run_scenario_files(const std::vector<std::string>& paths,
                               const scenario_options& options = {});

/// Runs parsed scenario files; see run_scenario_files().
test_report run_scenarios(const std::vector<scenario_file>& files,
                          const scenario_options& options = {});

/// The report for people: each failure with what was expected, what
/// happened and the household's explanation, then the counts.
std::string test_report_text(const test_report& report);

/// The coverage report: per rules file, each rule and condition and how
/// often it was true and false; what was never exercised is marked.
std::string coverage_text(const test_report& report);

/// The report as JUnit XML for CI systems: a test suite per file, a test
/// case per scenario.
std::string junit_xml(const test_report& report);

}  // namespace earlywarn

// Running scenarios (docs/rule-tests.md): each scenario's ledger through
// `evaluate` as of each date it names and through the back-test for its
// alerts, the same paths `run` and `backtest` take.

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "coverage.hpp"
#include "earlywarn/detail/file_bytes.hpp"
#include "earlywarn/evaluation/evaluate.hpp"
#include "earlywarn/evaluation/explain.hpp"
#include "earlywarn/loading/attributes_csv.hpp"
#include "earlywarn/loading/ledger_csv.hpp"
#include "earlywarn/loading/unknown_event_types.hpp"
#include "earlywarn/rule_tests/scenarios.hpp"
#include "earlywarn/streaming/backtest.hpp"

namespace earlywarn {
namespace {

// A problem of an inline table, at its line in the scenario file; of a table
// given by path, at its line in that file.
std::string table_error(const scenario_table& table, const std::string& scenario_file, error e) {
  if (!table.path.empty()) {
    e.file = table.path;
    return e.render();
  }
  if (e.line > 0 && e.line <= table.lines.size()) e.line = table.lines[e.line - 1];
  e.file = scenario_file;
  return e.render();
}

// The scenario's ledger with its attributes, or why it cannot be had.
std::optional<ledger> scenario_ledger(const scenario& s, const std::string& file,
                                      const ruleset& rules, std::string& why) {
  ledger_csv_options options;
  options.threads = 1;
  ledger_load load = s.ledger.path.empty() ? parse_ledger_csv(s.ledger.text, options)
                                           : load_ledger_csv(s.ledger.path, options);
  if (!load.ok()) {
    why = table_error(s.ledger, file, *load.error);
    return std::nullopt;
  }
  // A misspelt type in a test's own ledger would make it test something else.
  for (const unknown_event_type& u : unknown_event_types(load.events, &rules)) {
    const std::uint64_t line =
        u.type < load.type_first_line.size() ? load.type_first_line[u.type] : 0;
    why += table_error(s.ledger, file, row_error(error_kind::ledger, line, 0, describe(u))) + "\n";
  }
  if (!why.empty()) {
    why.pop_back();
    return std::nullopt;
  }
  if (s.attributes.given()) {
    attributes_load attributes = s.attributes.path.empty() ? parse_attributes_csv(s.attributes.text)
                                                           : load_attributes_csv(s.attributes.path);
    if (!attributes.ok()) {
      why = table_error(s.attributes, file, *attributes.error);
      return std::nullopt;
    }
    std::vector<earlywarn::error> problems = check_attributes(rules, attributes);
    const household_attributes& table = attributes.attributes;
    for (std::uint32_t row = 0; row < table.household_count(); ++row)
      if (!load.events.find_household(table.household_id(row)))
        problems.push_back(row_error(error_kind::attributes,
                                     row < attributes.lines.size() ? attributes.lines[row] : 0, 0,
                                     "household '" + std::string(table.household_id(row)) +
                                         "' is not in the scenario's ledger"));
    for (const earlywarn::error& p : problems) why += table_error(s.attributes, file, p) + "\n";
    if (!why.empty()) {
      why.pop_back();
      return std::nullopt;
    }
    load.events.set_attributes(std::move(attributes.attributes));
  }
  return std::move(load.events);
}

std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

// Runs one scenario against `rules`, counting coverage into `counter`.
scenario_result run_one(const scenario& s, const std::string& file, const ruleset& rules,
                        scenarios::coverage_counter& counter) {
  scenario_result result;
  result.file = file;
  result.name = s.name;
  result.where = s.where;
  result.expectations = s.expectations.size();
  const std::optional<ledger> events = scenario_ledger(s, file, rules, result.error);
  if (!events) return result;

  auto explained = [&](std::string_view household, day as_of) -> std::string {
    const auto h = events->find_household(household);
    return h ? explanation_text(explain(rules, *events, *h, as_of)) : std::string();
  };
  auto fail = [&](const expectation& e, std::string expected, std::string got,
                  std::string explanation) {
    result.failures.push_back(
        {e.where, e.text, std::move(expected), std::move(got), std::move(explanation)});
  };

  // The worklist as of each date named, with the coverage of those evaluations.
  std::map<day, worklist> worklists;
  std::optional<day> last_alert_day;
  const bound_ruleset bound(rules, *events);
  household_evaluator evaluator(bound);
  for (const expectation& e : s.expectations) {
    if (e.kind == expectation_kind::raises || e.kind == expectation_kind::clears) {
      last_alert_day = std::max(last_alert_day.value_or(e.as_of), e.as_of);
      continue;
    }
    if (worklists.count(e.as_of)) continue;
    evaluation_options one;
    one.threads = 1;
    worklists.emplace(e.as_of, evaluate(rules, *events, e.as_of, one));
    for (household_index h = 0; h < events->household_count(); ++h) {
      evaluator.start(h, e.as_of);
      if (evaluator.exists()) counter.count(evaluator);
    }
  }
  std::vector<alert> alerts;
  if (last_alert_day && events->first_date()) {
    backtest_options daily;
    daily.threads = 1;
    alerts = backtest(rules, *events, *events->first_date(), *last_alert_day, daily);
  }

  for (const expectation& e : s.expectations) {
    const std::string as_of = format_date(e.as_of);
    std::optional<std::uint32_t> rule;
    if (!e.rule.empty()) {
      rule = rules.find_rule(e.rule);
      if (!rule) {
        fail(e, "a rule named " + e.rule, "no rule " + e.rule + " in ruleset " + quoted(rules.name),
             "");
        continue;
      }
    }
    if (e.kind != expectation_kind::worklist && !events->find_household(e.household)) {
      fail(e, "household " + e.household + " in the scenario's ledger",
           "no household " + e.household + " in it", "");
      continue;
    }
    switch (e.kind) {
      case expectation_kind::fires:
      case expectation_kind::does_not_fire:
      case expectation_kind::fires_nothing: {
        const worklist& w = worklists.at(e.as_of);
        std::vector<const worklist_row*> fired;
        for (const worklist_row& row : w.rows)
          if (row.household_id == e.household) fired.push_back(&row);
        const auto it = std::find_if(fired.begin(), fired.end(),
                                     [&](const worklist_row* r) { return r->rule_name == e.rule; });
        std::string all;
        for (const worklist_row* r : fired) all += (all.empty() ? "" : ", ") + r->rule_name;
        if (e.kind == expectation_kind::fires && it == fired.end())
          fail(e, e.rule + " fires for " + e.household + " as of " + as_of,
               "it does not" +
                   (all.empty() ? std::string("; no rule fires") : "; what fires: " + all),
               explained(e.household, e.as_of));
        else if (e.kind == expectation_kind::fires && e.message && (*it)->message != *e.message)
          fail(e, e.rule + " fires with message " + quoted(*e.message),
               "it fires with message " + quoted((*it)->message), explained(e.household, e.as_of));
        else if (e.kind == expectation_kind::does_not_fire && it != fired.end())
          fail(e, e.rule + " does not fire for " + e.household + " as of " + as_of,
               "it fires: " + quoted((*it)->message), explained(e.household, e.as_of));
        else if (e.kind == expectation_kind::fires_nothing && !fired.empty())
          fail(e, "no rule fires for " + e.household + " as of " + as_of, "what fires: " + all,
               explained(e.household, e.as_of));
        break;
      }
      case expectation_kind::raises:
      case expectation_kind::clears: {
        const alert_state wanted =
            e.kind == expectation_kind::raises ? alert_state::raised : alert_state::cleared;
        bool found = false;
        std::string seen;
        for (const alert& a : alerts) {
          if (a.household_id != e.household || a.rule != *rule) continue;
          found = found || (a.date == e.as_of && a.state == wanted);
          if (a.date <= e.as_of)
            seen += (seen.empty() ? "" : ", ") + std::string(to_string(a.state)) + " " +
                    format_date(a.date);
        }
        if (!found)
          fail(e,
               e.rule + "'s alert for " + e.household + " is " + std::string(to_string(wanted)) +
                   " on " + as_of,
               seen.empty() ? "no alert of it up to " + as_of
                            : "its alerts up to " + as_of + ": " + seen,
               explained(e.household, e.as_of));
        break;
      }
      case expectation_kind::worklist: {
        const worklist& w = worklists.at(e.as_of);
        std::vector<std::pair<std::string, std::string>> got;
        for (const worklist_row& row : w.rows) got.emplace_back(row.household_id, row.rule_name);
        if (got == e.rows) break;
        auto listed = [](const std::vector<std::pair<std::string, std::string>>& rows) {
          if (rows.empty()) return std::string("an empty worklist");
          std::string out;
          for (const auto& [h, r] : rows) out += "\n    " + h + " " + r;
          return out;
        };
        // The first row that differs says which household to explain.
        std::size_t k = 0;
        while (k < got.size() && k < e.rows.size() && got[k] == e.rows[k]) ++k;
        const std::string household = k < e.rows.size() ? e.rows[k].first
                                      : k < got.size()  ? got[k].first
                                                        : "";
        fail(e, "the worklist as of " + as_of + ":" + listed(e.rows), listed(got),
             household.empty() ? "" : explained(household, e.as_of));
        break;
      }
    }
  }
  return result;
}

// The rules text to test: read once per file.
struct rules_text {
  std::string source;
  std::string file_name;
};

}  // namespace

std::size_t test_report::expectation_count() const noexcept {
  std::size_t n = 0;
  for (const scenario_result& s : scenarios) n += s.expectations;
  return n;
}

std::size_t test_report::failed_expectations() const noexcept {
  std::size_t n = 0;
  for (const scenario_result& s : scenarios)
    n += s.error.empty() ? s.failures.size() : s.expectations;
  return n;
}

std::size_t test_report::failed_scenarios() const noexcept {
  return static_cast<std::size_t>(std::count_if(
      scenarios.begin(), scenarios.end(), [](const scenario_result& s) { return !s.passed(); }));
}

test_report run_scenarios(const std::vector<scenario_file>& files,
                          const scenario_options& options) {
  test_report report;
  // One counter per rules file, in the order first tested.
  std::vector<std::pair<std::string, std::unique_ptr<scenarios::coverage_counter>>> counters;
  auto counter_for = [&](const ruleset& rules) -> scenarios::coverage_counter& {
    for (auto& [name, c] : counters)
      if (name == rules.file_name) return *c;
    counters.emplace_back(rules.file_name, std::make_unique<scenarios::coverage_counter>(rules));
    return *counters.back().second;
  };

  for (const scenario_file& f : files) {
    if (!f.ok()) {
      report.file_errors.emplace_back(f.file_name, f.report());
      continue;
    }
    // The rules: those given, else the file's `rules` line, compiled once
    // as written and again for each set of params a scenario gives.
    rules_text text;
    std::optional<ruleset> own;
    const ruleset* base = options.rules;
    if (base) {
      text = {base->source, base->file_name};
    } else if (f.rules_path.empty()) {
      report.file_errors.emplace_back(
          f.file_name, f.file_name +
                           ": error: no rules line: add rules \"PATH\" naming the rules file "
                           "these scenarios test\n");
      continue;
    } else {
      rules_load load = load_rules(f.rules_path);
      if (!load.ok()) {
        report.file_errors.emplace_back(f.file_name, f.file_name + ": error: the rules file " +
                                                         f.rules_path + " does not load:\n" +
                                                         load.report());
        continue;
      }
      text = {load.source, load.file_name};
      own = std::move(*load.rules);
      base = &*own;
    }
    scenarios::coverage_counter& counter = counter_for(*base);
    std::map<param_overrides, ruleset> with_params;
    for (const scenario& s : f.scenarios) {
      const ruleset* rules = base;
      if (!s.params.empty()) {
        param_overrides params = options.rules ? options.rules_params : param_overrides{};
        params.insert(params.end(), s.params.begin(), s.params.end());
        auto it = with_params.find(params);
        if (it == with_params.end()) {
          rules_load load = compile_rules(text.source, text.file_name, params);
          if (!load.ok()) {
            scenario_result failed;
            failed.file = f.file_name;
            failed.name = s.name;
            failed.where = s.where;
            failed.expectations = s.expectations.size();
            failed.error = "the rules do not load with this scenario's params:\n" + load.report();
            report.scenarios.push_back(std::move(failed));
            continue;
          }
          it = with_params.emplace(std::move(params), std::move(*load.rules)).first;
        }
        rules = &it->second;
      }
      report.scenarios.push_back(run_one(s, f.file_name, *rules, counter));
    }
  }
  for (auto& [name, c] : counters) report.coverage.push_back(c->result());
  return report;
}

test_report run_scenario_files(const std::vector<std::string>& paths,
                               const scenario_options& options) {
  std::vector<scenario_file> files;
  files.reserve(paths.size());
  for (const std::string& path : paths) files.push_back(load_scenarios(path));
  return run_scenarios(files, options);
}

}  // namespace earlywarn

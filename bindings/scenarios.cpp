// Scenario files for Python (docs/rule-tests.md): the run is C++, without
// the GIL; the package turns the rows into DataFrames.

#include "bindings.hpp"

namespace earlywarn::python {

void register_scenarios(py::module_& m) {
  m.def(
      "run_scenarios",
      [](const std::vector<std::string>& paths, const ruleset* rules,
         const param_overrides& overrides) {
        test_report report;
        std::string text, coverage, junit;
        {
          py::gil_scoped_release unlocked;
          scenario_options options;
          options.rules = rules;
          options.rules_params = overrides;
          report = run_scenario_files(paths, options);
          text = test_report_text(report);
          coverage = coverage_text(report);
          junit = junit_xml(report);
        }
        py::list scenarios, failures, file_errors, conditions;
        for (const scenario_result& s : report.scenarios) {
          scenarios.append(py::make_tuple(s.file, s.name, s.where.line, s.expectations,
                                          s.failures.size(), s.error));
          for (const scenario_failure& f : s.failures)
            failures.append(py::make_tuple(s.file, s.name, f.where.line, f.expectation, f.expected,
                                           f.got, f.explanation));
        }
        for (const auto& [file, errors] : report.file_errors)
          file_errors.append(py::make_tuple(file, errors));
        // A row per rule (condition None), then one per condition of its when.
        for (const ruleset_coverage& c : report.coverage)
          for (const rule_coverage& r : c.rules) {
            conditions.append(py::make_tuple(c.rules_file, c.ruleset_name, r.rule, py::none(),
                                             py::none(), r.fired, r.not_fired));
            for (const condition_coverage& k : r.conditions)
              conditions.append(py::make_tuple(c.rules_file, c.ruleset_name, r.rule, k.text,
                                               k.where.line, k.seen_true, k.seen_false));
          }
        py::dict out;
        out["scenarios"] = scenarios;
        out["failures"] = failures;
        out["file_errors"] = file_errors;
        out["coverage"] = conditions;
        out["text"] = text;
        out["coverage_text"] = coverage;
        out["junit"] = junit;
        return out;
      },
      py::arg("paths"), py::arg("rules"), py::arg("overrides"),
      "Runs scenario files, against `rules` (loaded with `overrides`) or, when None, the rules "
      "each file names.");
}

}  // namespace earlywarn::python

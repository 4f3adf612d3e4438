// Test reports for people (text), for the rules author's coverage view, and
// for CI systems (JUnit XML).

#include <string>

#include "earlywarn/rule_tests/scenarios.hpp"

namespace earlywarn {
namespace {

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string location(const std::string& file, const source_location& where) {
  return file + ":" + std::to_string(where.line);
}

// Each line of `text` indented by `by`.
std::string indented(const std::string& text, const std::string& by) {
  std::string out;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    if (end > begin) out += by;
    out.append(text, begin, end - begin);
    out += '\n';
    begin = end + 1;
  }
  return out;
}

// A failure: what was expected, what happened, and the household explained.
std::string failure_text(const scenario_result& s, const scenario_failure& f) {
  std::string out = "FAIL " + location(s.file, f.where) + ": scenario \"" + s.name +
                    "\": " + f.expectation + "\n";
  out += "  expected: " + f.expected + "\n";
  out += "  got:      " + f.got + "\n";
  if (!f.explanation.empty()) out += "  explain:\n" + indented(f.explanation, "    ");
  return out;
}

std::string xml_escaped(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        // XML 1.0 has no way to write other control characters.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r')
          out += ' ';
        else
          out += c;
    }
  }
  return out;
}

}  // namespace

std::string test_report_text(const test_report& report) {
  std::string out;
  for (const auto& [file, errors] : report.file_errors) out += "ERROR " + file + "\n" + errors;
  for (const scenario_result& s : report.scenarios) {
    if (!s.error.empty())
      out += "ERROR " + location(s.file, s.where) + ": scenario \"" + s.name + "\" cannot run:\n" +
             indented(s.error, "  ");
    for (const scenario_failure& f : s.failures) out += failure_text(s, f);
  }
  const std::size_t expectations = report.expectation_count();
  const std::size_t failed = report.failed_expectations();
  out += plural(report.scenarios.size(), "scenario", "scenarios") + ", " +
         plural(expectations, "expectation", "expectations") + ": " +
         std::to_string(expectations - failed) + " passed, " + std::to_string(failed) + " failed";
  if (report.failed_scenarios() > 0)
    out += " (" + plural(report.failed_scenarios(), "scenario", "scenarios") + " failed)";
  if (!report.file_errors.empty())
    out += "; " + plural(report.file_errors.size(), "file", "files") + " could not run";
  out += "\n";
  return out;
}

std::string coverage_text(const test_report& report) {
  std::string out;
  for (const ruleset_coverage& c : report.coverage) {
    std::size_t rules_covered = 0, conditions = 0, conditions_covered = 0;
    std::string body;
    for (const rule_coverage& r : c.rules) {
      const bool covered = r.fired > 0 && r.not_fired > 0;
      rules_covered += covered;
      body += std::string(covered ? "  " : "! ") + r.rule + ": fired " + std::to_string(r.fired) +
              ", not fired " + std::to_string(r.not_fired);
      if (r.fired == 0) body += "  (never fired)";
      if (r.not_fired == 0) body += "  (never not fired)";
      body += "\n";
      for (const condition_coverage& k : r.conditions) {
        const bool both = k.seen_true > 0 && k.seen_false > 0;
        ++conditions;
        conditions_covered += both;
        body += std::string(both ? "      " : "    ! ") + k.text + " (line " +
                std::to_string(k.where.line) + "): true " + std::to_string(k.seen_true) +
                ", false " + std::to_string(k.seen_false);
        if (k.seen_true == 0) body += "  (never true)";
        if (k.seen_false == 0) body += "  (never false)";
        body += "\n";
      }
    }
    out += "coverage of " + c.rules_file + " (\"" + c.ruleset_name + "\" version " +
           std::to_string(c.ruleset_version) + "): " + std::to_string(rules_covered) + " of " +
           plural(c.rules.size(), "rule", "rules") + " fired and not fired, " +
           std::to_string(conditions_covered) + " of " +
           plural(conditions, "condition", "conditions") + " true and false\n" + body;
  }
  return out;
}

std::string junit_xml(const test_report& report) {
  // One suite per scenario file, in the order first seen.
  std::vector<std::string> files;
  auto note = [&](const std::string& f) {
    for (const std::string& seen : files)
      if (seen == f) return;
    files.push_back(f);
  };
  for (const auto& [file, errors] : report.file_errors) note(file);
  for (const scenario_result& s : report.scenarios) note(s.file);

  std::size_t failures = 0, errors = 0;
  for (const scenario_result& s : report.scenarios) {
    failures += s.error.empty() && !s.failures.empty();
    errors += !s.error.empty();
  }
  errors += report.file_errors.size();
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"earlywarn test\" tests=\"" +
         std::to_string(report.scenarios.size() + report.file_errors.size()) + "\" failures=\"" +
         std::to_string(failures) + "\" errors=\"" + std::to_string(errors) + "\">\n";
  for (const std::string& file : files) {
    std::string cases;
    std::size_t tests = 0, suite_failures = 0, suite_errors = 0;
    for (const auto& [f, text] : report.file_errors) {
      if (f != file) continue;
      ++tests;
      ++suite_errors;
      cases += "    <testcase classname=\"" + xml_escaped(file) +
               "\" name=\"(load)\">\n      <error message=\"the scenario file cannot run\">" +
               xml_escaped(text) + "</error>\n    </testcase>\n";
    }
    for (const scenario_result& s : report.scenarios) {
      if (s.file != file) continue;
      ++tests;
      cases += "    <testcase classname=\"" + xml_escaped(file) + "\" name=\"" +
               xml_escaped(s.name) + "\" file=\"" + xml_escaped(file) + "\" line=\"" +
               std::to_string(s.where.line) + "\"";
      if (s.passed()) {
        cases += "/>\n";
        continue;
      }
      cases += ">\n";
      if (!s.error.empty()) {
        ++suite_errors;
        cases += "      <error message=\"the scenario cannot run\">" + xml_escaped(s.error) +
                 "</error>\n";
      } else {
        ++suite_failures;
        std::string details;
        for (const scenario_failure& f : s.failures) details += failure_text(s, f);
        cases += "      <failure message=\"" +
                 xml_escaped(plural(s.failures.size(), "expectation", "expectations") + " of " +
                             std::to_string(s.expectations) + " failed") +
                 "\" type=\"expectation\">" + xml_escaped(details) + "</failure>\n";
      }
      cases += "    </testcase>\n";
    }
    out += "  <testsuite name=\"" + xml_escaped(file) + "\" tests=\"" + std::to_string(tests) +
           "\" failures=\"" + std::to_string(suite_failures) + "\" errors=\"" +
           std::to_string(suite_errors) + "\">\n" + cases + "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace earlywarn

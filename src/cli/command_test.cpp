#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "commands.hpp"
#include "inputs.hpp"

namespace earlywarn::cli {
namespace {

// The scenario files named: a file as given, a folder's *.scenarios files
// in name order.
std::vector<std::string> scenario_paths(const std::vector<std::string>& named) {
  std::vector<std::string> out;
  for (const std::string& name : named) {
    std::error_code error;
    if (!std::filesystem::is_directory(name, error)) {
      out.push_back(name);
      continue;
    }
    std::vector<std::string> found;
    for (const auto& entry : std::filesystem::directory_iterator(name, error))
      if (entry.path().extension() == ".scenarios") found.push_back(entry.path().string());
    if (found.empty()) throw usage_error("no *.scenarios file in the folder " + name);
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

void write_file(const std::string& path, const std::string& text, const char* what) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) {
    std::fprintf(stderr, "earlywarn: cannot write the %s %s\n", what, path.c_str());
    throw reported_failure{1};
  }
}

}  // namespace

int command_test(const std::vector<std::string>& args) {
  const arguments a(args, {"rules", "param", "junit"}, {"coverage"});
  if (a.positional().empty())
    throw usage_error("test takes scenario files or folders: earlywarn test rules/tests");
  if (!a.all("param").empty() && !a.get("rules"))
    throw usage_error(
        "--param changes the rules --rules names; a scenario file sets its own "
        "with param NAME = VALUE");
  scenario_options options;
  std::optional<ruleset> rules;
  if (const auto path = a.get("rules")) {
    options.rules_params = params_option(a.all("param"));
    rules = load_rules_or_report(*path, a.all("param"));
    options.rules = &*rules;
  }
  const test_report report = run_scenario_files(scenario_paths(a.positional()), options);
  std::string out = test_report_text(report);
  if (a.flag("coverage")) {
    out += '\n';
    out += coverage_text(report);
  }
  write_stdout(out);
  if (const auto junit = a.get("junit")) write_file(*junit, junit_xml(report), "JUnit report");
  return report.passed() ? 0 : 1;
}

}  // namespace earlywarn::cli

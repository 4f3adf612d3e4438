// Loading rules: reads the file, then runs the passes over it in order:
// parse, check (checker.hpp), plan (planner.hpp), lint, fingerprint. Every
// problem becomes a diagnostic, sorted into source order at the end.

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "checker.hpp"
#include "diagnostic_log.hpp"
#include "earlywarn/detail/fnv1a.hpp"
#include "earlywarn/loading/load_rules.hpp"
#include "lint.hpp"
#include "parse_rules.hpp"
#include "planner.hpp"
#include "rules_text.hpp"
#include "ruleset_draft.hpp"
#include "source_map.hpp"

namespace earlywarn {
namespace {

std::string fnv1a_hex(std::string_view bytes) {
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(detail::fnv1a(bytes)));
  return out;
}

// A ruleset without a header takes its name from its file: `a/b.rules` is `b`.
std::string default_name(const std::string& file_name) {
  std::string name = file_name.substr(file_name.find_last_of('/') + 1);
  const std::size_t dot = name.rfind('.');
  return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

// The text and the params in effect: an override changes the fingerprint.
std::string fingerprint(const ruleset& rs) {
  std::string material = rs.source;
  material += '\0';
  for (const param& p : rs.params())
    material += p.name + "=" + (p.span ? to_string(*p.span) : p.number.to_string()) + "\n";
  return fnv1a_hex(material);
}

// Checks and plans a parsed file into `load`: its ruleset, if there is no
// error, and the diagnostics of every pass.
void compile_parsed(rules_load& load, const rules_front::parsed_rules& parsed,
                    const param_overrides& overrides) {
  using namespace rules_front;
  const source_map source(load.source);
  diagnostic_log log;
  ruleset_draft draft;
  ruleset& rs = draft.rules;
  rs.file_name = load.file_name;
  rs.source = load.source;
  rs.name = default_name(load.file_name);
  checker check(parsed, source, draft, log);
  check.declare();
  check.apply_overrides(overrides);
  check.check_rules();
  check.warn_unread_attributes();
  check.check_unread_definitions();
  if (rs.rules.empty() && parsed.broken_rules.empty() && parsed.diagnostics.empty())
    log.error({},
              "the rules file has no rule: write at least one, like "
              "rule late_rent { when arrears_days > 15 }");
  check.warn_unread_params();
  if (!log.has_errors()) check_score_units(draft, source, log);
  if (!log.has_errors()) {
    const rule_reads own_reads = apply_decisions(draft, log);
    set_evaluation_order(draft, own_reads, log);
    // Lints read whole conditions: only of a file that parsed whole.
    if (parsed.diagnostics.empty())
      for (diagnostic& d : lint(rs)) log.add(std::move(d));
  }
  rs.fingerprint = fingerprint(rs);
  load.diagnostics = parsed.diagnostics;
  load.diagnostics.insert(load.diagnostics.end(), log.all().begin(), log.all().end());
  // Source order, whichever stage found them; those without a place first.
  std::stable_sort(load.diagnostics.begin(), load.diagnostics.end(),
                   [](const diagnostic& a, const diagnostic& b) {
                     return a.where.line != b.where.line ? a.where.line < b.where.line
                                                         : a.where.column < b.where.column;
                   });
  if (parsed.stopped || load.diagnostics.size() >= max_rules_diagnostics) {
    load.diagnostics.resize(std::min(load.diagnostics.size(), max_rules_diagnostics));
    load.diagnostics.push_back({diagnostic_level::error,
                                {},
                                "stopped after " + std::to_string(max_rules_diagnostics) +
                                    " errors and warnings: fix these and check again"});
  }
  if (!parsed.diagnostics.empty() || log.has_errors()) return;
  for (const diagnostic& d : log.all())
    if (d.level == diagnostic_level::warning) rs.warnings.push_back(d);
  load.rules = std::move(rs);
}

}  // namespace

rules_load compile_rules(std::string source, std::string file_name,
                         const param_overrides& overrides) {
  rules_load load;
  load.file_name = std::move(file_name);
  rules_front::drop_byte_order_mark(source);
  load.source = std::move(source);
  if (!rules_front::check_rules_text(load.source, load.diagnostics)) return load;
  rules_front::parsed_rules parsed(load.source);
  rules_front::parse_rules(load.source, parsed);
  compile_parsed(load, parsed, overrides);
  return load;
}

rules_load with_params(const ruleset& rules, const param_overrides& overrides) {
  param_overrides merged = outside_params(rules);
  for (const auto& wanted : overrides) {
    const auto same = std::find_if(merged.begin(), merged.end(),
                                   [&](const auto& given) { return given.first == wanted.first; });
    if (same != merged.end())
      same->second = wanted.second;
    else
      merged.push_back(wanted);
  }
  return compile_rules(rules.source, rules.file_name, merged);
}

rules_load load_rules(const std::string& path, const param_overrides& overrides) {
  rules_load load;
  load.file_name = path;
  auto refuse = [&](std::string message, bool unreadable = true) {
    load.diagnostics.push_back({diagnostic_level::error, {}, std::move(message)});
    load.unreadable = unreadable;
    return load;
  };
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (fs::is_directory(status))
    return refuse(
        "this is a directory, not a rules file: give the path of a rules file, like "
        "rules/housing-early-warning.rules");
  if (fs::exists(status) && !fs::is_regular_file(status))
    return refuse(
        "this is not a regular file (a pipe, socket or device): rules are read from a "
        "regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return refuse("cannot read the rules file");
  // Read in blocks, stopping past the limit: a larger file is refused
  // without reading all of it.
  std::string text;
  char block[1 << 16];
  while (text.size() <= max_rules_bytes && in.read(block, sizeof block).gcount() > 0)
    text.append(block, static_cast<std::size_t>(in.gcount()));
  if (in.bad()) return refuse("cannot read the rules file");
  if (text.size() > max_rules_bytes)
    return refuse("the rules file is larger than the limit of " + std::to_string(max_rules_bytes) +
                      " bytes (16 MiB): split it into several "
                      "rulesets",
                  false);
  return compile_rules(std::move(text), path, overrides);
}

}  // namespace earlywarn

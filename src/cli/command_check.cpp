#include <cstdio>
#include <string>

#include "commands.hpp"
#include "inputs.hpp"

namespace earlywarn::cli {

int command_check(const std::vector<std::string>& args) {
  const arguments a(args, {"param"}, {"warnings-as-errors"});
  if (a.positional().size() != 1)
    throw usage_error("check takes one rules file: earlywarn check RULES");
  const std::string path = shown_path(a.positional().front());
  const ruleset rules = load_rules_or_report(a.positional().front(), a.all("param"), "RULES");
  auto count = [](std::size_t n, const char* noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
  };
  if (a.flag("warnings-as-errors") && !rules.warnings.empty()) {
    std::fprintf(stderr, "%s: %s, and --warnings-as-errors makes them errors\n", path.c_str(),
                 count(rules.warnings.size(), "warning").c_str());
    return 1;
  }
  std::printf("%s: ok: ruleset \"%s\" version %lld, %s, %s, %s, %s, fingerprint %s\n", path.c_str(),
              rules.name.c_str(), static_cast<long long>(rules.version),
              count(rules.rules.size(), "rule").c_str(),
              count(rules.decisions.size(), "decision").c_str(),
              count(rules.definitions.size(), "definition").c_str(),
              count(rules.params().size(), "param").c_str(), rules.fingerprint.c_str());
  return 0;
}

}  // namespace earlywarn::cli

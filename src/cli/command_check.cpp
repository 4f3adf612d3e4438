#include <cstdio>

#include "commands.hpp"
#include "inputs.hpp"

namespace earlywarn::cli {

int command_check(const std::vector<std::string>& args) {
  const arguments a(args, {"param"}, {});
  if (a.positional().size() != 1)
    throw usage_error("check takes one rules file: earlywarn check RULES");
  const std::string& path = a.positional().front();
  const ruleset rules = load_rules_or_report(path, a.all("param"));
  std::printf(
      "%s: ok: ruleset \"%s\" version %lld, %zu rules, %zu decisions, %zu definitions, %zu "
      "params, fingerprint %s\n",
      path.c_str(), rules.name.c_str(), static_cast<long long>(rules.version), rules.rules.size(),
      rules.decisions.size(), rules.definitions.size(), rules.params.size(),
      rules.fingerprint.c_str());
  return 0;
}

}  // namespace earlywarn::cli

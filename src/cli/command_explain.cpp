#include "commands.hpp"
#include "inputs.hpp"

namespace earlywarn::cli {

int command_explain(const std::vector<std::string>& args) {
  const arguments a(args, with_ledger_options({"rules", "household", "as-of", "param", "format"}),
                    {});
  if (!a.positional().empty()) throw usage_error("unexpected argument '" + a.positional()[0] + "'");
  const std::string format = a.get("format").value_or("text");
  if (format != "text" && format != "json") throw usage_error("--format is text or json");
  const std::string id = a.require("household");
  const ruleset rules = load_rules_or_report(a.require("rules"), a.all("param"));
  const ledger events = load_ledger_or_report(a, &rules);
  const auto household = events.find_household(id);
  if (!household) {
    std::fprintf(stderr, "earlywarn: no household '%s' in the ledger\n", id.c_str());
    return 1;
  }
  const day as_of = as_of_or_latest(a, events, &rules);
  const household_explanation x = explain(rules, events, *household, as_of);
  write_stdout(format == "text" ? explanation_text(x) : explanation_json(x));
  return 0;
}

}  // namespace earlywarn::cli

#include "commands.hpp"
#include "inputs.hpp"
#include "terminal.hpp"

namespace earlywarn::cli {

int command_run(const std::vector<std::string>& args) {
  const arguments a(
      args, with_ledger_options({"rules", "as-of", "param", "format", "by", "threads", "columns"}),
      {});
  if (!a.positional().empty()) throw usage_error("unexpected argument '" + a.positional()[0] + "'");
  const std::string format = a.get("format").value_or("csv");
  if (format != "csv" && format != "json") throw usage_error("--format is csv or json");
  const auto by = a.get("by");
  if (by && *by != "household") throw usage_error("--by takes 'household'");

  const ruleset rules = load_rules_or_report(a.require("rules"), a.all("param"));
  const ledger events = load_ledger_or_report(a, &rules, threads_option(a));
  const day as_of = as_of_or_latest(a, events, &rules);
  const worklist_columns columns = columns_option(a, events);

  progress_line progress("evaluating");
  const evaluation_options options = evaluation_options_from(a, progress);
  const worklist result = evaluate(rules, events, as_of, options);

  if (by) {
    const auto summaries = summarize_by_household(result);
    write_stdout(format == "csv" ? households_csv(summaries, columns)
                                 : households_json(result, summaries, columns));
  } else {
    write_stdout(format == "csv" ? worklist_csv(result, columns) : worklist_json(result, columns));
  }
  return 0;
}

}  // namespace earlywarn::cli

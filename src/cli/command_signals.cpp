#include "commands.hpp"
#include "inputs.hpp"
#include "terminal.hpp"

namespace earlywarn::cli {

int command_signals(const std::vector<std::string>& args) {
  const arguments a(args, with_ledger_options({"as-of", "rules", "param", "threads", "format"}),
                    {});
  if (!a.positional().empty()) throw usage_error("unexpected argument '" + a.positional()[0] + "'");
  const std::string format = a.get("format").value_or("csv");
  if (format != "csv" && format != "json") throw usage_error("--format is csv or json");
  std::optional<ruleset> rules;
  if (const auto path = a.get("rules")) rules = load_rules_or_report(*path, a.all("param"));
  // Without rules only the built-in types are known.
  const ledger events = load_ledger_or_report(a, rules ? &*rules : nullptr, threads_option(a));
  const day as_of = as_of_or_latest(a, events, rules ? &*rules : nullptr);
  progress_line progress("computing signals");
  const evaluation_options options = evaluation_options_from(a, progress);
  const std::vector<signal_row> rows =
      compute_signals(events, as_of, rules ? &*rules : nullptr, options);
  write_stdout(format == "csv" ? signals_csv(rows) : signals_json(rows, as_of));
  return 0;
}

}  // namespace earlywarn::cli

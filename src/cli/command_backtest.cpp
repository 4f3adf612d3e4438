#include <cstdio>

#include "commands.hpp"
#include "inputs.hpp"
#include "terminal.hpp"

namespace earlywarn::cli {
namespace {

// The option `name` as a number of days, 0 or more; `otherwise` when not given.
std::int32_t days_option(const arguments& a, const std::string& name, std::int32_t otherwise) {
  const auto text = a.get(name);
  if (!text) return otherwise;
  std::size_t used = 0;
  int days = -1;
  try {
    days = std::stoi(*text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text->size() || days < 0)
    throw usage_error("--" + name + " takes a number of days, 0 or more");
  return days;
}

}  // namespace

int command_backtest(const std::vector<std::string>& args) {
  const arguments a(args,
                    with_ledger_options({"rules", "from", "to", "every", "param", "format",
                                         "threads", "reraise-days", "outcomes", "horizon"}),
                    {"summary"});
  if (!a.positional().empty()) throw usage_error("unexpected argument '" + a.positional()[0] + "'");
  const std::string format = a.get("format").value_or("csv");
  if (format != "csv" && format != "jsonl")
    throw usage_error(
        "--format is csv or jsonl: the back-test writes JSON lines, one object a line "
        "(jsonl), not one document (json)");
  const auto step = parse_backtest_step(a.get("every").value_or("day"));
  if (!step) throw usage_error("--every is day, week or month");
  backtest_options options;
  options.every = *step;
  if (a.flag("summary") && a.get("outcomes"))
    throw usage_error("--summary and --outcomes are two reports: ask for one at a time");
  if (a.get("horizon") && !a.get("outcomes")) throw usage_error("--horizon goes with --outcomes");
  outcome_options outcomes;
  if (const auto text = a.get("outcomes")) {
    for (std::size_t at = 0; at <= text->size();) {
      const std::size_t comma = std::min(text->find(',', at), text->size());
      if (comma == at)
        throw usage_error(
            "--outcomes takes event types separated by commas, like "
            "--outcomes court_filing,eviction");
      outcomes.types.push_back(text->substr(at, comma - at));
      at = comma + 1;
    }
  }
  outcomes.horizon_days = days_option(a, "horizon", outcomes.horizon_days);
  summary_options summary;
  if (a.get("reraise-days") && !a.flag("summary"))
    throw usage_error("--reraise-days goes with --summary");
  summary.reraise_days = days_option(a, "reraise-days", summary.reraise_days);

  const ruleset rules = load_rules_or_report(a.require("rules"), a.all("param"));
  const ledger events = load_ledger_or_report(a, &rules, threads_option(a), outcomes.types);
  auto date_or = [&](const char* name, std::optional<day> fallback) {
    if (const auto text = a.get(name)) return date_option(name, *text);
    if (!fallback) {
      // The input lacks the date the default comes from: bad input, not usage.
      std::fprintf(stderr, "%s: the ledger holds no %sevent; give --%s DATE\n",
                   shown_path(a.require("ledger")).c_str(),
                   events.event_count() == 0 ? "" : "recorded (not scheduled) ", name);
      throw reported_failure{1};
    }
    return *fallback;
  };
  const day from = date_or("from", events.first_date());
  const day to = a.get("to") ? date_or("to", std::nullopt)
                             : date_or("to", latest_recorded_or_warn(events, &rules));
  if (to < from) throw usage_error("--to is before --from");

  progress_line progress("back-testing");
  options.threads = threads_option(a);
  options.progress = [&](std::size_t done, std::size_t total) { progress.update(done, total); };
  // The reports count alerts and never show a message.
  options.messages = outcomes.types.empty() && !a.flag("summary");
  const std::vector<alert> alerts = backtest(rules, events, from, to, options);
  if (!outcomes.types.empty()) {
    outcome_report report;
    try {
      report = evaluate_outcomes(alerts, rules, events, from, to, outcomes);
    } catch (const std::invalid_argument& e) {
      std::fprintf(stderr, "%s: %s (--outcomes names event types of the ledger)\n",
                   a.require("ledger").c_str(), e.what());
      return 1;
    }
    write_stdout(format == "csv" ? outcomes_csv(report, rules) : outcomes_json(report, rules));
    return 0;
  }
  if (a.flag("summary")) {
    const backtest_summary s = summarize_backtest(alerts, rules, events, from, to, summary);
    write_stdout(format == "csv" ? summary_csv(s, rules) : summary_json(s, rules));
    return 0;
  }
  // Written in slices: a city's ten years of alerts need not sit in memory twice.
  constexpr std::size_t slice = 4096;
  for (std::size_t i = 0; i < alerts.size() || i == 0; i += slice) {
    const std::vector<alert> part(
        alerts.begin() + static_cast<std::ptrdiff_t>(i),
        alerts.begin() + static_cast<std::ptrdiff_t>(std::min(alerts.size(), i + slice)));
    std::string out;
    if (format == "csv") {
      out = alerts_csv(part, rules);
      if (i > 0) out.erase(0, out.find('\n') + 1);  // the header once
    } else {
      for (const alert& x : part) out += alert_json(x, rules);
    }
    write_stdout(out);
    if (alerts.empty()) break;
  }
  return 0;
}

}  // namespace earlywarn::cli

#include "inputs.hpp"

#include <cstdio>
#include <fstream>

#include "terminal.hpp"

namespace earlywarn::cli {

ruleset load_rules_or_report(const std::string& path, const std::vector<std::string>& params) {
  param_overrides overrides;
  for (const std::string& p : params) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0)
      throw usage_error("--param takes NAME=VALUE, like --param grace_days=20");
    overrides.emplace_back(p.substr(0, eq), p.substr(eq + 1));
  }
  rules_load load = load_rules(path, overrides);
  std::fputs(load.report().c_str(), stderr);
  if (!load.ok()) throw reported_failure{1};
  return std::move(*load.rules);
}

ledger load_ledger_or_report(const std::string& path, const std::optional<std::string>& rejects,
                             unsigned threads) {
  ledger_csv_options options;
  options.reject_bad_rows = rejects.has_value();
  options.threads = threads;
  progress_line progress("loading " + path);
  options.progress = [&](std::uint64_t done, std::uint64_t total) { progress.update(done, total); };
  ledger_load load = load_ledger_csv(path, options);
  if (!load.ok()) {
    std::fprintf(stderr, "%s\n", format_error(*load.error, path).c_str());
    throw reported_failure{1};
  }
  if (rejects) {
    std::ofstream out(*rejects, std::ios::binary);
    if (!out) {
      std::fprintf(stderr, "earlywarn: cannot write the rejects file %s\n", rejects->c_str());
      throw reported_failure{1};
    }
    std::string text = "line,column,reason,row\n";
    for (const ledger_error& e : load.rejects) {
      text += std::to_string(e.line) + ',' + std::to_string(e.column) + ',';
      append_csv_field(text, e.message);
      text += ',';
      append_csv_field(text, e.row);
      text += '\n';
    }
    out << text;
    out.close();
    if (!out) {
      std::fprintf(stderr, "earlywarn: writing the rejects file %s failed\n", rejects->c_str());
      throw reported_failure{1};
    }
    std::fprintf(stderr, "earlywarn: %zu bad row%s rejected (written to %s), %llu rows loaded\n",
                 load.rejects.size(), load.rejects.size() == 1 ? "" : "s", rejects->c_str(),
                 static_cast<unsigned long long>(load.rows_accepted));
  }
  return std::move(load.events);
}

day as_of_or_latest(const arguments& args, const ledger& events) {
  if (const auto text = args.get("as-of")) {
    const auto d = parse_date(*text);
    if (!d) throw usage_error("--as-of takes a date YYYY-MM-DD, got '" + *text + "'");
    return *d;
  }
  if (const auto last = events.last_date()) return *last;
  throw usage_error("the ledger is empty; give --as-of DATE");
}

unsigned threads_option(const arguments& args) {
  const auto text = args.get("threads");
  if (!text) return 0;
  try {
    std::size_t used = 0;
    const unsigned long n = std::stoul(*text, &used);
    if (used == text->size() && n <= 1024) return static_cast<unsigned>(n);
  } catch (const std::exception&) {
  }
  throw usage_error("--threads takes a whole number (0 = all cores)");
}

evaluation_options evaluation_options_from(const arguments& args, progress_line& progress) {
  evaluation_options options;
  options.threads = threads_option(args);
  options.progress = [&progress](std::size_t done, std::size_t total) {
    progress.update(done, total);
  };
  return options;
}

void write_stdout(const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    std::perror("earlywarn: writing the output failed");
    throw reported_failure{1};
  }
}

}  // namespace earlywarn::cli

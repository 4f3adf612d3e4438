// The in-process measurements behind bench/scaling/run: one ledger load, then
// for each rules file its parse-check-compile and repeated evaluations, each
// with wall and CPU time, so load and evaluation scale separately. (The
// script times `earlywarn run` end to end itself.) CPU time is that of the
// whole process, all threads, and shows how much of the wall time was the
// machine's other work.
//
//   scaling_timing --ledger LEDGER [--rules RULES]... [--as-of DATE] [--threads N] [--repeat K]
//
// Prints JSON lines: one {"stage": "load", ...}, then per rules file one
// {"stage": "compile", ...} and K {"stage": "evaluate", ...}. The as-of date
// defaults to the ledger's last date.

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "earlywarn.hpp"

namespace {

using clock_type = std::chrono::steady_clock;

/// Wall and CPU time since it was made.
class stopwatch {
 public:
  stopwatch() : wall_(clock_type::now()), cpu_(cpu_seconds()) {}
  double wall() const { return std::chrono::duration<double>(clock_type::now() - wall_).count(); }
  double cpu() const { return cpu_seconds() - cpu_; }

 private:
  static double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  }
  clock_type::time_point wall_;
  double cpu_;
};

/// The process's peak resident set so far, in bytes.
long long peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<long long>(usage.ru_maxrss) * 1024;
}

int usage() {
  std::fputs(
      "usage: scaling_timing --ledger LEDGER [--rules RULES]... [--as-of DATE] [--threads N]\n"
      "                      [--repeat K]\n",
      stderr);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string ledger_path, as_of_text;
  std::vector<std::string> rules_paths;
  unsigned threads = 2;
  int repeat = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    const char* text = argv[i + 1];
    if (name == "--ledger")
      ledger_path = text;
    else if (name == "--rules")
      rules_paths.emplace_back(text);
    else if (name == "--as-of")
      as_of_text = text;
    else if (name == "--threads")
      threads = static_cast<unsigned>(std::strtoul(text, nullptr, 10));
    else if (name == "--repeat")
      repeat = std::atoi(text);
    else
      return usage();
  }
  if (argc % 2 == 0 || ledger_path.empty() || repeat < 1) return usage();

  const stopwatch load_time;
  const earlywarn::ledger_load ledger = earlywarn::load_ledger_csv(ledger_path);
  const double load_wall = load_time.wall(), load_cpu = load_time.cpu();
  if (!ledger.ok()) {
    std::fprintf(stderr, "%s\n", ledger.error->render().c_str());
    return 1;
  }
  std::printf(
      "{\"stage\": \"load\", \"wall\": %.6f, \"cpu\": %.6f, \"events\": %zu, \"households\": %zu, "
      "\"peak_rss_bytes\": %lld}\n",
      load_wall, load_cpu, ledger.events.event_count(), ledger.events.household_count(),
      peak_rss_bytes());
  std::fflush(stdout);

  std::optional<earlywarn::day> as_of = ledger.events.last_date();
  if (!as_of_text.empty()) as_of = earlywarn::parse_date(as_of_text);
  if (!as_of) return usage();

  earlywarn::evaluation_options options;
  options.threads = threads;
  for (const std::string& path : rules_paths) {
    const stopwatch compile_time;
    const earlywarn::rules_load rules = earlywarn::load_rules(path);
    const double compile_wall = compile_time.wall(), compile_cpu = compile_time.cpu();
    if (!rules.ok()) {
      std::fputs(rules.report().c_str(), stderr);
      return 1;
    }
    std::printf(
        "{\"stage\": \"compile\", \"rules\": \"%s\", \"rule_count\": %zu, \"wall\": %.6f, "
        "\"cpu\": %.6f}\n",
        path.c_str(), rules.rules->rules.size(), compile_wall, compile_cpu);
    for (int r = 0; r < repeat; ++r) {
      const stopwatch evaluate_time;
      const earlywarn::worklist result =
          earlywarn::evaluate(*rules.rules, ledger.events, *as_of, options);
      const double wall = evaluate_time.wall(), cpu = evaluate_time.cpu();
      std::printf(
          "{\"stage\": \"evaluate\", \"rules\": \"%s\", \"rule_count\": %zu, \"wall\": %.6f, "
          "\"cpu\": %.6f, \"worklist_rows\": %zu, \"peak_rss_bytes\": %lld}\n",
          path.c_str(), rules.rules->rules.size(), wall, cpu, result.rows.size(), peak_rss_bytes());
      std::fflush(stdout);
    }
  }
  return 0;
}

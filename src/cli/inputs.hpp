#pragma once
// Loading what every command needs, reporting problems on stderr.

#include <optional>
#include <string>

#include "arguments.hpp"
#include "earlywarn.hpp"

namespace earlywarn::cli {

/// A failure already reported to the user; carries the exit code.
struct reported_failure {
  int exit_code;
};

/// Loads the rules named by --rules with --param overrides; prints warnings,
/// and on errors prints them all and throws reported_failure{1}.
ruleset load_rules_or_report(const std::string& path, const std::vector<std::string>& params);

/// Loads the ledger named by --ledger; with a rejects path, bad rows are
/// written there and counted on stderr instead of failing the load. Parses
/// on `threads` threads (0 = all cores), with the same result on any number.
ledger load_ledger_or_report(const std::string& path, const std::optional<std::string>& rejects,
                             unsigned threads = 0);

/// The --as-of date, or the ledger's latest event date.
day as_of_or_latest(const arguments& args, const ledger& events);

/// The --threads value (0 = all cores).
unsigned threads_option(const arguments& args);

class progress_line;
/// Evaluation options from --threads, reporting progress on `progress`.
evaluation_options evaluation_options_from(const arguments& args, progress_line& progress);

/// Writes `text` to stdout, failing loudly if the write fails (disk full).
void write_stdout(const std::string& text);

}  // namespace earlywarn::cli

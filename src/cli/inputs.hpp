#pragma once
// Loading what every command needs, reporting problems on stderr.

#include <optional>
#include <set>
#include <string>

#include "arguments.hpp"
#include "earlywarn.hpp"

namespace earlywarn::cli {

/// A failure already reported to the user; carries the exit code.
struct reported_failure {
  int exit_code;
};

/// The --param values as overrides; a usage_error for one that is not NAME=VALUE.
param_overrides params_option(const std::vector<std::string>& params);

/// All of standard input, for the option `what` (like `--ledger`) given `-`.
/// Standard input is read once: a second option given `-` is a usage_error
/// naming both. A read error is reported and throws reported_failure{1}.
std::string read_stdin(const std::string& what);

/// The name of input `path` in messages: `<stdin>` for `-`.
std::string shown_path(const std::string& path);

/// `e` rendered as `FILE:LINE:COL: message`, naming `file` when `e` names none
/// (it came from text read on stdin).
std::string located(error e, const std::string& file);

/// Loads the rules at `path` (`-`: standard input, for the option `what`)
/// with --param overrides; prints warnings, and on errors prints them all
/// and throws reported_failure{1}.
ruleset load_rules_or_report(const std::string& path, const std::vector<std::string>& params,
                             const std::string& what = "--rules");

/// The options of every command that loads a ledger with `load_ledger_or_report`.
inline const std::set<std::string> ledger_option_names = {"ledger", "rejects", "max-rejects",
                                                          "unknown-types", "attributes"};

/// `options` and the ledger options, for a command's `arguments`.
inline std::set<std::string> with_ledger_options(std::set<std::string> options) {
  options.insert(ledger_option_names.begin(), ledger_option_names.end());
  return options;
}

/// Loads the ledger named by --ledger (`-`: standard input), on `threads` threads (0 = all cores;
/// the result is the same on any number). With --rejects FILE bad rows are
/// written to FILE and counted on stderr instead of failing the load, and the
/// load fails when more are rejected than --max-rejects (a count, or `N%` of
/// the data rows; default 1%). Event types that neither the built-in types
/// nor `rules` (null: built-ins only) know are reported as warnings with
/// their first line, or as errors with --unknown-types error (or not at all
/// with --unknown-types ignore); `named_types`, types the command line names
/// (`backtest --outcomes`), are known. With --attributes FILE the households'
/// attributes are loaded into it (attach_attributes_or_report). Problems go
/// to stderr; a failure throws reported_failure{1}.
ledger load_ledger_or_report(const arguments& args, const ruleset* rules, unsigned threads = 0,
                             const std::vector<std::string>& named_types = {});

/// Loads household attributes from the CSV file `path` (`-`: standard input) into `events`
/// (docs/language.md, Household attributes): located errors for the file and
/// for values `rules` (when given) cannot read, warnings for a declared
/// attribute without a column and for households the ledger lacks. A
/// failure throws reported_failure{1}.
void attach_attributes_or_report(const std::string& path, ledger& events, const ruleset* rules);

/// Loads household attributes from the CSV file `path` and sets those the
/// stream's rules declare, from its clock on, reporting as
/// attach_attributes_or_report().
void set_attributes_or_report(const std::string& path, stream_engine& engine);

/// The --columns option: attributes shown beside each worklist row; a
/// usage_error for a name the --attributes file lacks.
worklist_columns columns_option(const arguments& args, const ledger& events);

/// The date given as option --`name`: usage_error naming the option when the
/// text is not YYYY-MM-DD or not a date of the supported calendar.
day date_option(const std::string& name, const std::string& text);

/// The --as-of date, or the ledger's latest event date, scheduled types of
/// `rules` (when given) aside (docs/cli.md, As of). A default after today's
/// date is warned about on stderr: a planned date recorded as an event.
day as_of_or_latest(const arguments& args, const ledger& events, const ruleset* rules);

/// latest_recorded_date(), warned about on stderr when after today's date.
std::optional<day> latest_recorded_or_warn(const ledger& events, const ruleset* rules);

/// The --threads value (0 = all cores).
unsigned threads_option(const arguments& args);

class progress_line;
/// Evaluation options from --threads, reporting progress on `progress`.
evaluation_options evaluation_options_from(const arguments& args, progress_line& progress);

/// Writes `text` to stdout, failing loudly if the write fails (disk full).
void write_stdout(const std::string& text);

}  // namespace earlywarn::cli

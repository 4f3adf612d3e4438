#include "help.hpp"

#include <iterator>

#include "commands.hpp"

namespace earlywarn::cli {

namespace {

struct command_usage {
  const char* name;
  const char* text;
  bool reads_ledger;
  command_main run;
};

constexpr command_usage commands[] = {
    {"check", R"(  earlywarn check RULES [--param NAME=VALUE]... [--warnings-as-errors]
      Validate a rules file: exit 0, or print every problem and exit 1.
      Warnings (unread params, rules that can never fire, rules a decision
      shadows) fail it too with --warnings-as-errors.
)",
     false, command_check},
    {"run", R"(  earlywarn run --rules RULES --ledger LEDGER [--as-of DATE] [--param NAME=VALUE]...
                [--format csv|json] [--by household] [--threads N] [--columns A,B]
      The worklist as of DATE (default: the latest event date) on stdout:
      household,rule,severity,score,message, most urgent first. --columns
      adds those household attributes (--attributes) to each row.
)",
     true, command_run},
    {"explain", R"(  earlywarn explain --rules RULES --ledger LEDGER --household ID [--as-of DATE]
                    [--param NAME=VALUE]... [--format text|json]
      Every rule for one household, fired or not, with each value it read.
)",
     true, command_explain},
    {"signals",
     R"(  earlywarn signals --ledger LEDGER [--as-of DATE] [--rules RULES [--param NAME=VALUE]...]
                    [--threads N] [--format csv|json]
      The built-in signals of every household.
)",
     true, command_signals},
    {"backtest", R"(  earlywarn backtest --rules RULES --ledger LEDGER [--from DATE] [--to DATE]
                     [--every day|week|month] [--format csv|jsonl] [--param NAME=VALUE]...
                     [--summary [--reraise-days N]] [--outcomes TYPES [--horizon DAYS]]
                     [--threads N]
      The alerts a stream would have raised and cleared over history
      (default: the ledger's first to last date, every day); an alert
      already open on the first day comes as 'open'. With --summary, per
      rule and month: raises, households, open alerts, open time, and
      re-raises within N days of a clear (default 30). With --outcomes
      (event types that mark a bad outcome, like court_filing,eviction), per
      rule: recall, precision and lead time within DAYS (default 180).
)",
     true, command_backtest},
    {"stream", R"(  earlywarn stream --rules RULES [--input FILE|-] [--alerts FILE] [--state FILE]
                   [--checkpoint-every N] [--lateness DAYS] [--param NAME=VALUE]...
                   [--unknown-types warn|error|ignore] [--attributes FILE]
      Reads ledger rows in arrival order and writes alerts as JSON lines.
      Events may arrive up to --lateness days (default 92) behind the clock
      beyond the rules' longest window; older ones stop the stream.
      With --state, resumes after a crash from the last checkpoint: the
      alerts file ends up as if it had never stopped. Sent SIGHUP (not on
      Windows), or restarted with other rules, it reloads the rules into
      its state: kept rules keep their alerts, removed rules' alerts clear.
)",
     false, command_stream},
    {"test", R"(  earlywarn test SCENARIOS... [--rules RULES [--param NAME=VALUE]...] [--coverage]
                 [--junit FILE]
      Runs scenario files (a folder: its *.scenarios files): small ledgers
      with what the rules must make of them. Prints each failure with the
      household explained; exit 0 when all hold, 1 otherwise. --rules tests
      other rules than the files name; --coverage lists how often each rule
      and each condition of its when was true and false; --junit writes a
      JUnit XML report.
)",
     false, command_test},
};

constexpr const char* ledger_options = R"(
A ledger is CSV with the header household,date,type,amount (see README);
a further column named code holds each event's optional code. A file
given as - (--ledger -, --rules -, --attributes -) is standard input.
Every command that reads a --ledger also takes (stream: --unknown-types
and --attributes):
  --attributes FILE     the households' attributes the rules declare, CSV
                        with the header household,NAME,...
  --rejects FILE        skip malformed rows, writing them with line and reason
                        to FILE; their count is printed on stderr
  --max-rejects N|N%    with --rejects, fail (exit 1) when more rows than this
                        are rejected: a count, or a percentage of the data rows
                        (default 1%)
  --unknown-types warn|error|ignore
                        event types that neither the built-in types nor the
                        rules know (a misspelt 'paymnet' counts as a neutral
                        event): a warning with the first line (default), an
                        error, or nothing
)";

}  // namespace

std::string usage_text() {
  std::string out = "earlywarn: early warning of housing loss from a rent ledger\n\nusage:\n";
  for (const command_usage& c : commands) out += c.text;
  out += "  earlywarn COMMAND --help\n      That command's usage.\n";
  out += "  earlywarn --version\n      The version of earlywarn.\n";
  return out + ledger_options;
}

std::optional<std::string> command_help(std::string_view command) {
  for (const command_usage& c : commands)
    if (command == c.name)
      return std::string("usage:\n") + c.text + (c.reads_ledger ? ledger_options : "");
  return std::nullopt;
}

command_main command_function(std::string_view command) {
  for (const command_usage& c : commands)
    if (command == c.name) return c.run;
  return nullptr;
}

std::string command_names() {
  std::string out;
  const std::size_t n = std::size(commands);
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) out += i + 1 == n ? " or " : ", ";
    out += commands[i].name;
  }
  return out;
}

}  // namespace earlywarn::cli

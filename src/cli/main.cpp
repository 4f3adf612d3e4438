// earlywarn: the command line. The only part of the project that talks to people.

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "commands.hpp"
#include "inputs.hpp"

namespace {

constexpr const char* usage = R"(earlywarn: early warning of housing loss from a rent ledger

usage:
  earlywarn check RULES [--param NAME=VALUE]... [--warnings-as-errors]
      Validate a rules file: exit 0, or print every problem and exit 1.
      Warnings (unread params, rules that can never fire, rules a decision
      shadows) fail it too with --warnings-as-errors.
  earlywarn run --rules RULES --ledger LEDGER [--as-of DATE] [--param NAME=VALUE]...
                [--format csv|json] [--by household] [--rejects FILE] [--threads N]
      The worklist as of DATE (default: the latest event date) on stdout:
      household,rule,severity,score,message, most urgent first.
  earlywarn explain --rules RULES --ledger LEDGER --household ID [--as-of DATE]
                    [--param NAME=VALUE]... [--format text|json]
      Every rule for one household, fired or not, with each value it read.
  earlywarn signals --ledger LEDGER [--as-of DATE] [--rules RULES] [--threads N]
      The built-in signals of every household, CSV.
  earlywarn backtest --rules RULES --ledger LEDGER [--from DATE] [--to DATE]
                     [--every day|week|month] [--format csv|jsonl] [--param NAME=VALUE]...
                     [--summary [--reraise-days N]] [--outcomes TYPES [--horizon DAYS]]
      The alerts a stream would have raised and cleared over history
      (default: the ledger's first to last date, every day); an alert
      already open on the first day comes as 'open'. With --summary, per
      rule and month: raises, households, open alerts, open time, and
      re-raises within N days of a clear (default 30). With --outcomes
      (event types that mark a bad outcome, like court_filing,eviction), per
      rule: recall, precision and lead time within DAYS (default 180).
  earlywarn stream --rules RULES [--input FILE|-] [--alerts FILE] [--state FILE]
                   [--checkpoint-every N] [--lateness DAYS] [--param NAME=VALUE]...
                   [--unknown-types warn|error|ignore]
      Reads ledger rows in arrival order and writes alerts as JSON lines.
      Events may arrive up to --lateness days (default 92) behind the clock
      beyond the rules' longest window; older ones stop the stream.
      With --state, resumes after a crash from the last checkpoint: the
      alerts file ends up as if it had never stopped. Sent SIGHUP, or
      restarted with other rules, it reloads the rules into its state:
      kept rules keep their alerts, removed rules' alerts clear.
  earlywarn test SCENARIOS... [--rules RULES [--param NAME=VALUE]...] [--coverage]
                 [--junit FILE]
      Runs scenario files (a folder: its *.scenarios files): small ledgers
      with what the rules must make of them. Prints each failure with the
      household explained; exit 0 when all hold, 1 otherwise. --rules tests
      other rules than the files name; --coverage lists how often each rule
      and each condition of its when was true and false; --junit writes a
      JUnit XML report.

A ledger is CSV with the header household,date,type,amount (see README);
a further column named code holds each event's optional code.
Every command that reads a --ledger also takes (stream: --unknown-types):
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

int main(int argc, char** argv) {
  using namespace earlywarn::cli;
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0 ||
      std::strcmp(argv[1], "help") == 0) {
    std::fputs(usage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  try {
    if (command == "check") return command_check(args);
    if (command == "run") return command_run(args);
    if (command == "explain") return command_explain(args);
    if (command == "signals") return command_signals(args);
    if (command == "backtest") return command_backtest(args);
    if (command == "stream") return command_stream(args);
    if (command == "test") return command_test(args);
    std::fprintf(
        stderr,
        "earlywarn: unknown command '%s' (check, run, explain, signals, backtest or stream)\n",
        command.c_str());
    return 2;
  } catch (const usage_error& e) {
    std::fprintf(stderr, "earlywarn %s: %s\n(see earlywarn --help)\n", command.c_str(), e.what());
    return 2;
  } catch (const reported_failure& f) {
    return f.exit_code;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "earlywarn: out of memory\n");
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "earlywarn: %s\n", e.what());
    return 1;
  }
}

// earlywarn: the command line. The only part of the project that talks to people.

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "commands.hpp"
#include "help.hpp"
#include "inputs.hpp"

int main(int argc, char** argv) {
  using namespace earlywarn::cli;
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0 ||
      std::strcmp(argv[1], "help") == 0) {
    std::fputs(usage_text().c_str(), argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  if (std::strcmp(argv[1], "--version") == 0) {
    std::fputs("earlywarn " EARLYWARN_VERSION "\n", stdout);
    return 0;
  }
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  const auto help = command_help(command);
  if (!help) {
    std::fprintf(stderr, "earlywarn: unknown command '%s' (%s; see earlywarn --help)\n",
                 command.c_str(), command_names().c_str());
    return 2;
  }
  if ((!args.empty() && args.front() == "-h") ||
      std::find(args.begin(), args.end(), "--help") != args.end()) {
    std::fputs(help->c_str(), stdout);
    return 0;
  }
  try {
    if (command == "check") return command_check(args);
    if (command == "run") return command_run(args);
    if (command == "explain") return command_explain(args);
    if (command == "signals") return command_signals(args);
    if (command == "backtest") return command_backtest(args);
    if (command == "stream") return command_stream(args);
    return command_test(args);
  } catch (const usage_error& e) {
    std::fprintf(stderr, "earlywarn %s: %s\n(see earlywarn %s --help)\n", command.c_str(), e.what(),
                 command.c_str());
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

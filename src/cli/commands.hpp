#pragma once
// The earlywarn subcommands; each returns the process exit code.

#include <string>
#include <vector>

namespace earlywarn::cli {

int command_check(const std::vector<std::string>& args);
int command_run(const std::vector<std::string>& args);
int command_explain(const std::vector<std::string>& args);
int command_signals(const std::vector<std::string>& args);
int command_backtest(const std::vector<std::string>& args);
int command_stream(const std::vector<std::string>& args);
int command_test(const std::vector<std::string>& args);

}  // namespace earlywarn::cli

#pragma once
// The commands: each one's name, usage and entry point, and what
// `earlywarn --help` and `earlywarn COMMAND --help` print.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace earlywarn::cli {

/// The usage of every command, and the options of those that read a ledger.
std::string usage_text();

/// One command's usage, with the ledger options if it reads a ledger;
/// nothing for a name that is no command.
std::optional<std::string> command_help(std::string_view command);

/// A command's entry point; it returns the process exit code.
using command_main = int (*)(const std::vector<std::string>& args);

/// The entry point of `command`; null for a name that is no command.
command_main command_function(std::string_view command);

/// The names of the commands, as a person reads a list: "check, run, … or test".
std::string command_names();

}  // namespace earlywarn::cli

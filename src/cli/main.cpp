// earlywarn: the command line. The only part of the project that talks to people.

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "help.hpp"
#include "inputs.hpp"
#include "platform.hpp"

int main(int argc, char** argv) {
  using namespace earlywarn::cli;
  platform::binary_standard_streams();
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
  const command_main run = command_function(command);
  if (run == nullptr) {
    std::fprintf(stderr, "earlywarn: unknown command '%s' (%s; see earlywarn --help)\n",
                 command.c_str(), command_names().c_str());
    return 2;
  }
  if ((!args.empty() && args.front() == "-h") ||
      std::find(args.begin(), args.end(), "--help") != args.end()) {
    std::fputs(command_help(command)->c_str(), stdout);
    return 0;
  }
  try {
    return run(args);
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

/// \file generate_ledger.cpp
/// Writes a synthetic rent ledger as CSV (see GENERATOR.md).

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <string_view>

#include "ledger_generator.hpp"

namespace {

constexpr const char* usage =
    "usage: generate_ledger [--households N | --events E] [--years Y] [--start YYYY-MM-DD]\n"
    "                       [--seed S] [--outcomes] [--output FILE]\n"
    "Writes a synthetic rent ledger (household,date,type,amount) to stdout or FILE.\n"
    "  --households N     number of households (default 300)\n"
    "  --events E         as many households as bring the event count nearest to E\n"
    "  --years Y          length of the period in years, 1-1000 (default 3)\n"
    "  --start DATE       first day of the period (default 2022-01-01)\n"
    "  --seed S           random seed, 0-18446744073709551615 (default 1)\n"
    "  --outcomes         also write court_filing and eviction rows (GENERATOR.md)\n"
    "  --output FILE      write to FILE instead of stdout\n"
    "  --help             show this help\n";

/// Bad command-line arguments: the message is printed and the exit code is 2.
struct usage_error {
  std::string message;
};

std::uint64_t parse_unsigned(std::string_view option, const std::string& text, std::uint64_t max) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
    throw usage_error{std::string(option) + " expects a non-negative integer, got '" + text + "'"};
  errno = 0;
  const unsigned long long value = std::strtoull(text.c_str(), nullptr, 10);
  if (errno == ERANGE || value > max)
    throw usage_error{std::string(option) + " value '" + text + "' is out of range (at most " +
                      std::to_string(max) + ")"};
  return value;
}

}  // namespace

int main(int argc, char** argv) {
  earlywarn::bench::generator_options options;
  std::string output;
  std::uint64_t events = 0;
  bool households_given = false, events_given = false;
  try {
    for (int i = 1; i < argc; ++i) {
      std::string arg = argv[i];
      std::string value;
      bool has_inline_value = false;
      if (const auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
        value = arg.substr(eq + 1);
        arg.resize(eq);
        has_inline_value = true;
      }
      if (arg == "--help" || arg == "-h") {
        std::fputs(usage, stdout);
        return 0;
      }
      if (arg == "--outcomes") {
        if (has_inline_value) throw usage_error{"--outcomes takes no value"};
        options.outcomes = true;
        continue;
      }
      if (arg != "--households" && arg != "--years" && arg != "--start" && arg != "--seed" &&
          arg != "--output" && arg != "--events")
        throw usage_error{"unknown option '" + arg + "'"};
      if (!has_inline_value) {
        if (i + 1 >= argc) throw usage_error{arg + " expects a value"};
        value = argv[++i];
      }
      if (arg == "--households") {
        options.households = static_cast<std::uint32_t>(parse_unsigned(arg, value, 0xffffffffu));
        households_given = true;
      } else if (arg == "--events") {
        events = parse_unsigned(arg, value, 100'000'000'000ULL);
        events_given = true;
      } else if (arg == "--years") {
        options.years = static_cast<int>(parse_unsigned(arg, value, 1000));
        if (options.years < 1) throw usage_error{"--years must be at least 1"};
      } else if (arg == "--start") {
        const auto start = earlywarn::parse_date(value);
        if (!start) throw usage_error{"--start expects a date YYYY-MM-DD, got '" + value + "'"};
        options.start = *start;
      } else if (arg == "--seed") {
        options.seed = parse_unsigned(arg, value, ~std::uint64_t{0});
      } else {
        if (value.empty()) throw usage_error{"--output expects a file name"};
        output = value;
      }
    }
    if (earlywarn::to_civil(earlywarn::add_months(options.start, 12 * options.years) - 1).year >
        9999)
      throw usage_error{"the period must end by 9999-12-31"};
    if (households_given && events_given)
      throw usage_error{"give --households or --events, not both"};
  } catch (const usage_error& e) {
    std::fprintf(stderr, "generate_ledger: %s\n(try --help)\n", e.message.c_str());
    return 2;
  }

  std::FILE* out = stdout;
  if (!output.empty()) {
    out = std::fopen(output.c_str(), "wb");
    if (out == nullptr) {
      std::fprintf(stderr, "generate_ledger: cannot open '%s': %s\n", output.c_str(),
                   std::strerror(errno));
      return 1;
    }
  }
  try {
    if (events_given) options.households = earlywarn::bench::households_for_events(options, events);
    earlywarn::bench::write_ledger_csv(options, out);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "generate_ledger: %s\n", e.what());
    if (out != stdout) std::fclose(out);
    return 1;
  }
  if (std::fflush(out) != 0 || (out != stdout && std::fclose(out) != 0)) {
    std::fprintf(stderr, "generate_ledger: writing the ledger failed: %s\n", std::strerror(errno));
    return 1;
  }
  return 0;
}

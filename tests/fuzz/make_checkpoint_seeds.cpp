// Writes the seed states of the checkpoint_restore harness: three streams
// under checkpoint.rules, saved with a day open, each as a whole state file
// (mode byte 0) and as a payload that the harness frames itself (mode byte 1).
//
//   make_checkpoint_seeds DIR          writes the six seeds into DIR
//   make_checkpoint_seeds --check DIR  fails naming each seed in DIR that
//                                      differs from what it would write
//
// ctest runs the check on corpus/checkpoint_restore/, so a change of the
// state format cannot leave the harness with seeds it refuses at the first
// bytes (docs/fuzzing.md).

#include <cstdio>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "checkpoint_rules.hpp"
#include "earlywarn/loading/load_rules.hpp"
#include "earlywarn/streaming/checkpoint.hpp"

namespace {

using earlywarn::day;

struct seed {
  std::string name;
  std::string bytes;
};

// Pushes an event the seeds need applied.
void push(earlywarn::stream_engine& e, std::string_view household, day date, std::string_view type,
          earlywarn::cents amount, std::vector<earlywarn::alert>& out) {
  if (e.push(household, date, type, amount, out) != earlywarn::push_result::accepted)
    throw std::runtime_error("a seed's event was refused as too old");
}

// A household's month: the rent on the 1st and what it pays on the 5th.
void month(earlywarn::stream_engine& e, std::string_view household, day first,
           earlywarn::cents rent, earlywarn::cents paid, std::vector<earlywarn::alert>& out) {
  push(e, household, first, "charge", rent, out);
  if (paid > 0) push(e, household, first + 4, "payment", paid, out);
}

// Months of three households: one pays, one falls behind and takes a plan
// it then breaks, one has a clawback and a contact. Over a year the stream
// folds the oldest months, so the state holds folded history as well.
std::string stream_of(int months) {
  earlywarn::rules_load load = earlywarn::fuzz::checkpoint_rules();
  if (!load.ok()) throw std::runtime_error(load.report());
  const earlywarn::ruleset& rules = *load.rules;
  earlywarn::stream_engine e(rules);
  std::vector<earlywarn::alert> out;
  const day start = *earlywarn::parse_date("2024-01-01");
  // Attributes of a household with events and of one without any yet.
  e.set_attribute("HH22", "vulnerable", "yes");
  e.set_attribute("HH22", "tenancy", "introductory");
  e.set_attribute("HH9", "tenancy", "secure");
  for (int m = 0; m < months; ++m) {
    const day first = earlywarn::add_months(start, m);
    month(e, "HH1", first, 50000, 50000, out);
    month(e, "HH22", first, 50000, m < 2 || m > 4 ? 25000 : 10000, out);
    if (m == 2) push(e, "HH22", first + 10, "plan", 10000, out);
    month(e, "HH333", first, 42000, m % 3 == 2 ? 0 : 42000, out);
    if (m == 3) push(e, "HH333", first + 12, "clawback", 7700, out);
    if (m == 4) push(e, "HH333", first + 13, "contact", 0, out);
  }
  // A day left open: its events are saved with their households.
  const day last = earlywarn::add_months(start, months);
  push(e, "HH1", last, "charge", 50000, out);
  push(e, "HH4444", last, "credit", 1200, out);
  std::string file =
      earlywarn::stream_checkpoint::serialize(e, {static_cast<std::uint64_t>(months) * 7, 99});
  // A seed the harness would refuse reaches nothing past the refusal.
  earlywarn::stream_engine restored(rules);
  earlywarn::checkpoint_position position;
  if (const auto error = earlywarn::stream_checkpoint::restore(restored, file, position))
    throw std::runtime_error("a seed state does not restore: " + error->message);
  return file;
}

std::vector<seed> seeds() {
  std::vector<seed> out;
  for (const auto& [name, months] :
       {std::pair<const char*, int>{"tiny", 1}, {"half", 6}, {"year", 14}}) {
    const std::string file = stream_of(months);
    // Magic (16 bytes), format (4), length (8) before the payload; checksum (8) after.
    const std::string payload = file.substr(28, file.size() - 28 - 8);
    out.push_back({std::string(name) + "_file", std::string(1, '\0') + file});
    out.push_back({std::string(name) + "_payload", std::string(1, '\1') + payload});
  }
  return out;
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

int main(int argc, char** argv) {
  const bool check = argc == 3 && std::string_view(argv[1]) == "--check";
  if (argc != 2 && !check) {
    std::fprintf(stderr, "usage: make_checkpoint_seeds [--check] DIR\n");
    return 2;
  }
  const std::string dir = argv[argc - 1];
  int differing = 0;
  for (const seed& s : seeds()) {
    const std::string path = dir + "/" + s.name;
    if (check) {
      if (read(path) != s.bytes) {
        std::fprintf(stderr,
                     "%s is not the seed this earlywarn saves (state format %u); rewrite the "
                     "seeds with %s %s\n",
                     path.c_str(), earlywarn::detail::checkpoint_format, argv[0], dir.c_str());
        ++differing;
      }
      continue;
    }
    std::ofstream(path, std::ios::binary) << s.bytes;
  }
  return differing == 0 ? 0 : 1;
}

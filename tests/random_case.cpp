// Writes one random ruleset and ledger of the property tests
// (random_ruleset.hpp) to files, so that the Python tests draw the very cases
// the C++ properties run and compare the package with the CLI on them; with
// ATTRIBUTES_FILE, also the households' attributes (an attributes CSV).
//
//     random_case SEED RULES_FILE LEDGER_FILE [ATTRIBUTES_FILE]

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "random_ruleset.hpp"

int main(int argc, char** argv) {
  if (argc != 4 && argc != 5) {
    std::cerr << "usage: random_case SEED RULES_FILE LEDGER_FILE [ATTRIBUTES_FILE]\n";
    return 2;
  }
  earlywarn::testing::random_rules_source source(std::strtoull(argv[1], nullptr, 10));
  std::ofstream rules(argv[2], std::ios::binary), ledger(argv[3], std::ios::binary);
  rules << source.ruleset();
  const earlywarn::testing::random_history history = source.ledger();
  ledger << history.csv;
  if (argc == 5) {
    std::ofstream attributes(argv[4], std::ios::binary);
    attributes << history.attributes;
    if (!attributes) return 1;
  }
  return rules && ledger ? 0 : 1;
}

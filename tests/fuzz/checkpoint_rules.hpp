#pragma once
// The rules the checkpoint seeds are saved under (tests/fuzz/checkpoint.rules),
// compiled under the name "checkpoint.rules": a state holds its rules' text
// and file name, so the seeds must not depend on where the tree is checked out.

#include <fstream>
#include <iterator>
#include <string>

#include "earlywarn/loading/load_rules.hpp"

namespace earlywarn::fuzz {

inline rules_load checkpoint_rules() {
  std::ifstream in(EARLYWARN_FUZZ_DIR "/checkpoint.rules", std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return compile_rules(std::move(text), "checkpoint.rules");
}

}  // namespace earlywarn::fuzz

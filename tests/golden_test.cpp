// Golden diagnostics: each tests/golden/NAME.rules is compiled as `NAME.rules` and its report
// must equal tests/golden/NAME.expected byte for byte.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "earlywarn/loading/load_rules.hpp"

namespace earlywarn {
namespace {

namespace fs = std::filesystem;

const fs::path golden_dir = fs::path(EARLYWARN_SOURCE_DIR) / "tests" / "golden";

/// The stems of every `*.rules` in the golden directory, sorted.
std::vector<std::string> golden_cases() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(golden_dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".rules")
      out.push_back(e.path().stem().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// A test name gtest accepts: letters, digits and underscores.
std::string test_name(const testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

class golden_diagnostics : public testing::TestWithParam<std::string> {};

TEST_P(golden_diagnostics, report_matches_expected) {
  const std::string name = GetParam();
  const fs::path expected_path = golden_dir / (name + ".expected");
  ASSERT_TRUE(fs::exists(expected_path)) << "no " << expected_path << " for " << name << ".rules";
  const std::string expected = read_bytes(expected_path);
  const rules_load load =
      compile_rules(read_bytes(golden_dir / (name + ".rules")), name + ".rules");
  const std::string actual = load.report();
  EXPECT_FALSE(actual.empty()) << name << ".rules has no diagnostics; a golden case must have some";
  EXPECT_TRUE(actual == expected) << "report of " << name << ".rules differs\n--- expected ("
                                  << expected_path.string() << ")\n"
                                  << expected << "--- actual\n"
                                  << actual << "---";
}

INSTANTIATE_TEST_SUITE_P(golden, golden_diagnostics, testing::ValuesIn(golden_cases()), test_name);

TEST(golden_directory, holds_cases) {
  EXPECT_GE(golden_cases().size(), 12u) << "no golden cases found in " << golden_dir;
}

TEST(golden_directory, every_expected_file_has_its_rules_file) {
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(golden_dir, ec)) {
    if (e.path().extension() != ".expected") continue;
    fs::path rules = e.path();
    rules.replace_extension(".rules");
    EXPECT_TRUE(fs::exists(rules)) << e.path() << " has no .rules file";
  }
}

TEST(standard_rules, housing_early_warning_compiles_without_any_diagnostic) {
  const rules_load load =
      load_rules(std::string(EARLYWARN_SOURCE_DIR) + "/rules/housing-early-warning.rules");
  ASSERT_TRUE(load.ok()) << load.report();
  EXPECT_EQ(load.report(), "");
  EXPECT_TRUE(load.diagnostics.empty());
  EXPECT_TRUE(load.rules->warnings.empty());
  EXPECT_EQ(load.rules->name, "housing-early-warning");
  EXPECT_EQ(load.rules->rules.size(), 12u);  // 7 warnings and the 5 steps of next_step
  ASSERT_EQ(load.rules->decisions.size(), 1u);
  EXPECT_EQ(load.rules->decisions[0].name, "next_step");
  EXPECT_EQ(load.rules->decisions[0].rules.size(), 5u);
  EXPECT_EQ(load.rules->evaluation_order.size(), load.rules->rules.size());
}

}  // namespace
}  // namespace earlywarn

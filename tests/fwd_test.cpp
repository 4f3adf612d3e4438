// earlywarn/fwd.hpp: its declarations are enough to name the types, and
// agree with the definitions (same class-key, enum base and alias), which
// this file includes after it; built with -Werror=mismatched-tags.

#include "earlywarn/fwd.hpp"

namespace {

// Only declared so far: references and pointers to them are enough here.
int rules_named(const earlywarn::ruleset* rules, const earlywarn::ledger* events,
                const earlywarn::stream_engine* stream, earlywarn::severity* level) {
  return (rules != nullptr) + (events != nullptr) + (stream != nullptr) + (level != nullptr);
}

}  // namespace

#include <gtest/gtest.h>

#include <type_traits>

#include "earlywarn.hpp"

TEST(fwd, declares_what_the_stage_headers_define) {
  static_assert(std::is_same_v<earlywarn::day, std::int32_t>);
  static_assert(std::is_same_v<earlywarn::cents, std::int64_t>);
  static_assert(std::is_same_v<std::underlying_type_t<earlywarn::severity>, std::uint8_t>);
  static_assert(std::is_same_v<std::underlying_type_t<earlywarn::push_result>, std::uint8_t>);
  const earlywarn::rules_load load = earlywarn::compile_rules("rule owing { when balance > 0 }");
  ASSERT_TRUE(load.ok()) << load.report();
  earlywarn::severity level = load.rules->rules[0].level;
  EXPECT_EQ(rules_named(&*load.rules, nullptr, nullptr, &level), 2);
}

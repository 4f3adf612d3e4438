#include "earlywarn/loading/unknown_event_types.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "earlywarn/loading/ledger_csv.hpp"
#include "earlywarn/loading/load_rules.hpp"

namespace earlywarn {
namespace {

ruleset must_compile(const std::string& text) {
  rules_load load = compile_rules(text, "test.rules");
  EXPECT_TRUE(load.ok()) << load.report();
  return std::move(*load.rules);
}

day on(const char* iso) { return *parse_date(iso); }

// A household that paid its rent, but the payment was typed 'paymnet'.
ledger typo_ledger() {
  ledger_builder b;
  b.add("HH1", on("2024-01-01"), "charge", 100000);
  b.add("HH1", on("2024-01-05"), "paymnet", 100000);
  b.add("HH1", on("2024-01-06"), "letter", 0);
  b.add("HH2", on("2024-02-05"), "paymnet", 5000);
  return std::move(b).build();
}

TEST(unknown_event_types, finds_a_misspelt_payment_added_through_the_builder) {
  const ledger l = typo_ledger();
  const ruleset rules = must_compile("event letter neutral\nrule owes { when arrears > 0 }\n");
  const auto unknown = unknown_event_types(l, &rules);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].name, "paymnet");
  EXPECT_EQ(unknown[0].events, 2u);
  EXPECT_EQ(unknown[0].suggestion, "payment");
  EXPECT_EQ(l.types().name(unknown[0].type), "paymnet");
  EXPECT_EQ(describe(unknown[0]),
            "unknown event type 'paymnet' (2 events); did you mean 'payment'?");
}

TEST(unknown_event_types, a_type_the_rules_read_or_declare_is_known) {
  const ledger l = typo_ledger();
  // 'letter' read by a function, 'paymnet' declared: nothing unknown.
  const ruleset rules =
      must_compile("event paymnet decreases\nrule written { when count(letter, 90d) > 0 }\n");
  EXPECT_TRUE(unknown_event_types(l, &rules).empty());
}

TEST(unknown_event_types, without_rules_only_the_builtin_types_are_known) {
  const auto unknown = unknown_event_types(typo_ledger());
  ASSERT_EQ(unknown.size(), 2u);
  EXPECT_EQ(unknown[0].name, "paymnet");  // in order of first appearance
  EXPECT_EQ(unknown[1].name, "letter");
  EXPECT_EQ(unknown[1].events, 1u);
  EXPECT_EQ(unknown[1].suggestion, "");
  EXPECT_EQ(describe(unknown[1]),
            "unknown event type 'letter' (1 event); it counts as a neutral event: declare it in "
            "the rules ('event letter neutral') if that is meant");
}

TEST(unknown_event_types, the_csv_loader_gives_each_type_its_first_line) {
  ledger_csv_options options;
  options.reject_bad_rows = true;
  options.chunk_bytes = 40;  // one row per chunk: first lines found across chunks
  options.threads = 2;
  const ledger_load load = parse_ledger_csv(
      "household,date,type,amount\n"
      "HH1,2024-01-01,charge,1000\n"
      "HH1,2024-01-02,ghost,-1\n"  // rejected: 'ghost' names no event
      "HH1,2024-01-05,paymnet,1000\n"
      "HH2,2024-01-05,paymnet,1000\n"
      "HH2,2024-01-06,notice,\n",
      options);
  ASSERT_TRUE(load.ok());
  const auto unknown = unknown_event_types(load.events);
  ASSERT_EQ(unknown.size(), 2u);
  EXPECT_EQ(unknown[0].name, "paymnet");
  EXPECT_EQ(load.type_first_line.at(unknown[0].type), 4u);
  EXPECT_EQ(unknown[1].name, "notice");
  EXPECT_EQ(load.type_first_line.at(unknown[1].type), 6u);
  EXPECT_EQ(load.type_first_line.size(), load.events.types().size());
}

TEST(unknown_event_types, policies_are_named_warn_error_and_ignore) {
  EXPECT_EQ(parse_unknown_type_policy("warn"), unknown_type_policy::warn);
  EXPECT_EQ(parse_unknown_type_policy("error"), unknown_type_policy::error);
  EXPECT_EQ(parse_unknown_type_policy("ignore"), unknown_type_policy::ignore);
  EXPECT_FALSE(parse_unknown_type_policy("sometimes"));
}

}  // namespace
}  // namespace earlywarn

// The one error type: its rendering, and the kind each load and call gives
// (docs/errors.md).

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "earlywarn.hpp"

namespace earlywarn {
namespace {

error located(std::string file, std::uint64_t line, std::uint32_t column) {
  return error{error_kind::ledger, "bad date", std::move(file), line, column, {}};
}

TEST(error, renders_what_it_knows_of_the_place) {
  EXPECT_EQ(located("ledger.csv", 2, 5).render(), "ledger.csv:2:5: bad date");
  EXPECT_EQ(located("ledger.csv", 7, 0).render(), "ledger.csv:7: bad date");
  EXPECT_EQ(located("ledger.csv", 0, 0).render(), "ledger.csv: bad date");
  EXPECT_EQ(located("ledger.csv", 0, 3).render(), "ledger.csv: bad date");
  EXPECT_EQ(located("", 4, 2).render(), "line 4:2: bad date");
  EXPECT_EQ(located("", 0, 0).render(), "bad date");
}

TEST(error, kinds_have_names) {
  EXPECT_EQ(to_string(error_kind::rules), "rules");
  EXPECT_EQ(to_string(error_kind::ledger), "ledger");
  EXPECT_EQ(to_string(error_kind::attributes), "attributes");
  EXPECT_EQ(to_string(error_kind::checkpoint), "checkpoint");
  EXPECT_EQ(to_string(error_kind::stream_event), "stream_event");
  EXPECT_EQ(to_string(error_kind::io), "io");
  EXPECT_EQ(to_string(error_kind::misuse), "misuse");
}

TEST(invalid_input, carries_the_error_and_renders_it_as_what) {
  const invalid_input e(located("a.csv", 3, 1));
  EXPECT_STREQ(e.what(), "a.csv:3:1: bad date");
  EXPECT_EQ(e.kind(), error_kind::ledger);
  EXPECT_EQ(e.details().line, 3u);
  // Code that catches std::invalid_argument sees it.
  EXPECT_THROW(throw invalid_input(error_kind::misuse, "x"), std::invalid_argument);
}

template <class Call>
error_kind thrown_kind(Call call) {
  try {
    call();
  } catch (const invalid_input& e) {
    return e.kind();
  }
  ADD_FAILURE() << "no invalid_input thrown";
  return error_kind::misuse;
}

ruleset compile(std::string text) {
  rules_load load = compile_rules(std::move(text));
  EXPECT_TRUE(load.ok()) << load.report();
  return std::move(*load.rules);
}

TEST(invalid_input, calls_throw_it_with_their_kind) {
  // A date off the calendar is a misuse of the API.
  EXPECT_EQ(thrown_kind([] { (void)to_day({2024, 2, 30}); }), error_kind::misuse);
  // An event a ledger cannot hold is a ledger error.
  EXPECT_EQ(thrown_kind([] {
              ledger_builder b;
              b.add("HH1", to_day({2024, 3, 1}), "", 100);
            }),
            error_kind::ledger);
  const ruleset rules = compile(
      "attribute vulnerable flag\n"
      "rule r { when arrears > 0 severity low }\n");
  ledger_builder b;
  b.add("HH1", to_day({2024, 3, 1}), "charge", 100);
  const ledger events = std::move(b).build();
  // A household index out of range.
  EXPECT_EQ(thrown_kind([&] {
              (void)explain(rules, events, 7, to_day({2024, 3, 2}));
            }),
            error_kind::misuse);
  // An attribute value its kind cannot read: attribute_error is an invalid_input.
  stream_engine stream(rules);
  EXPECT_EQ(thrown_kind([&] { stream.set_attribute("HH1", "vulnerable", "maybe"); }),
            error_kind::attributes);
  // A scheduled event before the stream has a clock cannot be applied.
  const ruleset planned = compile(
      "event visit scheduled\n"
      "rule r { when days_until(visit) < 7 severity low }\n");
  stream_engine fresh(planned);
  std::vector<alert> out;
  EXPECT_EQ(thrown_kind([&] {
              (void)fresh.push("HH1", to_day({2024, 3, 1}), "visit", 0, out);
            }),
            error_kind::stream_event);
}

TEST(error, loads_return_it_with_kind_and_place) {
  // Rules: the first error, located, with its source line.
  const rules_load bad = compile_rules("rule r {\n  when arears > 0 severity low\n}\n", "r.rules");
  ASSERT_FALSE(bad.ok());
  const auto rules_error = bad.error();
  ASSERT_TRUE(rules_error);
  EXPECT_EQ(rules_error->kind, error_kind::rules);
  EXPECT_EQ(rules_error->file, "r.rules");
  EXPECT_EQ(rules_error->line, 2u);
  EXPECT_EQ(rules_error->column, 8u);
  EXPECT_EQ(rules_error->text, "  when arears > 0 severity low");
  EXPECT_EQ(
      rules_error->render().rfind("r.rules:2:8: unknown name 'arears'; did you mean 'arrears'?", 0),
      0u)
      << rules_error->render();
  EXPECT_FALSE(compile_rules("rule r { when arrears > 0 severity low }").error());

  const std::string missing =
      (std::filesystem::temp_directory_path() / ("earlywarn-no-such-" + std::to_string(::getpid())))
          .string();
  const rules_load unread = load_rules(missing + ".rules");
  ASSERT_TRUE(unread.error());
  EXPECT_EQ(unread.error()->kind, error_kind::io);
  EXPECT_EQ(unread.error()->file, missing + ".rules");

  // Ledgers: a bad row, and a file that cannot be read.
  const ledger_load row = parse_ledger_csv("household,date,type,amount\nHH1,2024-13-01,charge,1\n");
  ASSERT_TRUE(row.error);
  EXPECT_EQ(row.error->kind, error_kind::ledger);
  EXPECT_EQ(row.error->line, 2u);
  EXPECT_EQ(row.error->text, "HH1,2024-13-01,charge,1");
  const ledger_load no_file = load_ledger_csv(missing + ".csv");
  ASSERT_TRUE(no_file.error);
  EXPECT_EQ(no_file.error->kind, error_kind::io);
  EXPECT_EQ(no_file.error->file, missing + ".csv");

  // Attributes: a malformed file names its line; values the rules cannot
  // read name the file they came from.
  const attributes_load twice = parse_attributes_csv("household,a\nHH1,x\nHH1,y\n");
  ASSERT_TRUE(twice.error);
  EXPECT_EQ(twice.error->kind, error_kind::attributes);
  EXPECT_EQ(twice.error->line, 3u);
  const std::string attributes_path = missing + "-attributes.csv";
  { std::ofstream(attributes_path) << "household,vulnerable\nHH1,maybe\n"; }
  const attributes_load values = load_attributes_csv(attributes_path);
  ASSERT_TRUE(values.ok()) << values.error->render();
  const auto problems =
      check_attributes(compile("attribute vulnerable flag\nrule r { when arrears > 0 severity "
                               "low }\n"),
                       values);
  std::filesystem::remove(attributes_path);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].kind, error_kind::attributes);
  EXPECT_EQ(problems[0].file, attributes_path);
  EXPECT_EQ(problems[0].line, 2u);

  // Checkpoints: bytes that are no state.
  const ruleset rules = compile("rule r { when arrears > 0 severity low }");
  stream_engine engine(rules);
  checkpoint_position position;
  const auto state = stream_checkpoint::restore(engine, "not a state", position);
  ASSERT_TRUE(state);
  EXPECT_EQ(state->kind, error_kind::checkpoint);
}

}  // namespace
}  // namespace earlywarn

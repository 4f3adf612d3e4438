// Stream checkpoints: resuming from one changes nothing; a bad file is
// refused whole, with a clear reason.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "earlywarn.hpp"
#include "random_ledger.hpp"
#include "support.hpp"

namespace {

constexpr const char* rules_text = R"(
ruleset "checkpoint-test" version 2
event clawback increases
rule late { when arrears_days > 20  cooldown 15d  message "{arrears_days} days" }
rule silent { when arrears > 0 and (missing(days_since(payment)) or days_since(payment) > 40) }
rule spiral { when arrears_days > 5 and trend(balance, 3m) > 0 }
rule plan_broken { when plan_breached }
rule custom { when sum(clawback, 2m) > 0 }
)";

earlywarn::ruleset compile(const char* text = rules_text) {
  auto load = earlywarn::compile_rules(text, "c.rules");
  EXPECT_TRUE(load.ok()) << load.report();
  return std::move(*load.rules);
}

using row = earlywarn::testing::posting;

std::vector<row> rows_in_date_order(const earlywarn::ledger& l) {
  std::vector<row> rows = earlywarn::testing::postings_of(l);
  std::stable_sort(rows.begin(), rows.end(),
                   [](const row& a, const row& b) { return a.date < b.date; });
  return rows;
}

using earlywarn::testing::alerts_text;

TEST(checkpoint, resuming_anywhere_gives_the_alerts_of_an_uninterrupted_run) {
  const auto rules = compile();
  std::mt19937_64 rng(5);
  for (int i = 0; i < 20; ++i) {
    const auto loaded = earlywarn::parse_ledger_csv(make_ledger(rng, 12).csv);
    ASSERT_TRUE(loaded.ok());
    const auto rows = rows_in_date_order(loaded.events);
    const day end = rows.back().date + 60;

    earlywarn::stream_engine whole(rules);
    std::vector<earlywarn::alert> expected;
    for (const row& r : rows) whole.push(r.household, r.date, r.type, r.amount, expected);
    whole.advance(end, expected);

    // Stop at several random rows, save, restore into a new engine, go on.
    std::vector<earlywarn::alert> got;
    auto engine = std::make_unique<earlywarn::stream_engine>(rules);
    for (std::size_t k = 0; k < rows.size(); ++k) {
      if (rng() % 40 == 0) {
        const std::string bytes = earlywarn::stream_checkpoint::serialize(*engine, {k, 0});
        engine = std::make_unique<earlywarn::stream_engine>(rules);
        earlywarn::checkpoint_position position;
        const auto error = earlywarn::stream_checkpoint::restore(*engine, bytes, position);
        ASSERT_FALSE(error) << *error;
        EXPECT_EQ(position.input_rows, k);
      }
      engine->push(rows[k].household, rows[k].date, rows[k].type, rows[k].amount, got);
    }
    engine->advance(end, got);
    ASSERT_EQ(alerts_text(got, rules), alerts_text(expected, rules)) << "iteration " << i;
  }
}

// Households whose bytes were appended to, folded and rewritten by a late
// event are saved as they read: restoring and saving again gives the same
// file, and both engines go on alike.
TEST(checkpoint, a_state_built_by_appending_saves_restores_and_saves_the_same) {
  const auto rules = compile();
  earlywarn::stream_options options;
  options.lateness_days = 5;  // folds early
  earlywarn::stream_engine engine(rules, options);
  std::vector<earlywarn::alert> out;
  for (day d = 19723; d < 19723 + 200; d += 3) {
    engine.push("A", d, "charge", 1000, out);
    engine.push("B", d, d % 2 ? "payment" : "clawback", 700, out);
  }
  engine.push("A", 19723 + 190, "payment", 5000, out);  // late, among A's events
  engine.advance(19723 + 200, out);
  const std::string saved = earlywarn::stream_checkpoint::serialize(engine, {1, 2});
  earlywarn::stream_engine restored(rules, options);
  earlywarn::checkpoint_position position;
  ASSERT_FALSE(earlywarn::stream_checkpoint::restore(restored, saved, position));
  EXPECT_EQ(earlywarn::stream_checkpoint::serialize(restored, {1, 2}), saved);
  std::vector<earlywarn::alert> a, b;
  for (earlywarn::stream_engine* e : {&engine, &restored}) {
    auto& to = e == &engine ? a : b;
    e->push("A", 19723 + 210, "payment", 100, to);
    e->push("B", 19723 + 199, "charge", 100, to);  // late
    e->advance(19723 + 400, to);
  }
  EXPECT_EQ(alerts_text(a, rules), alerts_text(b, rules));
  EXPECT_FALSE(a.empty());
}

class damaged : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<earlywarn::alert> out;
    engine_.push("A", 19723, "charge", 1000, out);
    engine_.push("B", 19724, "clawback", 500, out);
    bytes_ = earlywarn::stream_checkpoint::serialize(engine_, {2, 77});
  }
  std::string restore(const std::string& bytes, const earlywarn::ruleset& rules) {
    earlywarn::stream_engine fresh(rules);
    earlywarn::checkpoint_position position;
    const auto error = earlywarn::stream_checkpoint::restore(fresh, bytes, position);
    EXPECT_EQ(fresh.household_count(), error ? 0u : 2u);  // never half-loaded
    return error.value_or("");
  }
  earlywarn::ruleset rules_ = compile();
  earlywarn::stream_engine engine_{rules_};
  std::string bytes_;
};

TEST_F(damaged, an_intact_file_restores_with_its_position) {
  earlywarn::stream_engine fresh(rules_);
  earlywarn::checkpoint_position position;
  ASSERT_FALSE(earlywarn::stream_checkpoint::restore(fresh, bytes_, position));
  EXPECT_EQ(position.input_rows, 2u);
  EXPECT_EQ(position.output_bytes, 77u);
  EXPECT_EQ(fresh.household_count(), 2u);
  EXPECT_EQ(fresh.clock(), 19724);
}

TEST_F(damaged, every_truncation_is_detected) {
  for (std::size_t n = 0; n < bytes_.size(); ++n) {
    const std::string error = restore(bytes_.substr(0, n), rules_);
    EXPECT_FALSE(error.empty()) << n;
  }
  EXPECT_NE(restore(bytes_.substr(0, bytes_.size() - 3), rules_).find("truncated"),
            std::string::npos);
}

TEST_F(damaged, every_flipped_byte_is_detected) {
  for (std::size_t i = 0; i < bytes_.size(); ++i) {
    std::string bad = bytes_;
    bad[i] = static_cast<char>(bad[i] ^ 0x20);
    EXPECT_FALSE(restore(bad, rules_).empty()) << i;
  }
}

TEST_F(damaged, another_ruleset_is_refused_by_name) {
  const auto other =
      compile("ruleset \"other\" version 9\nevent clawback increases\nrule x { when arrears > 0 }");
  const std::string error = restore(bytes_, other);
  EXPECT_NE(error.find("ruleset \"checkpoint-test\" version 2"), std::string::npos) << error;
  EXPECT_NE(error.find("\"other\" version 9"), std::string::npos) << error;
}

TEST_F(damaged, other_files_are_not_state_files) {
  EXPECT_EQ(restore("household,date,type,amount\n", rules_), "not an earlywarn state file");
  EXPECT_EQ(restore("", rules_), "not an earlywarn state file");
  std::string newer = bytes_;
  newer[16] = 9;  // format version 9
  EXPECT_NE(restore(newer, rules_).find("format version 9"), std::string::npos);
}

// Damage the checksum cannot see (a file rewritten by a buggy tool, say):
// every byte of the payload changed and the checksum made to match again.
// The restore reads within bounds and either succeeds or reports the file as
// inconsistent, leaving the engine empty; the household bytes are read by
// the checked decoder, so this also covers every field of a household.
TEST_F(damaged, damage_behind_a_valid_checksum_is_reported_or_harmless) {
  const std::size_t payload = 16 + 12, checksum = bytes_.size() - 8;
  int inconsistent = 0;
  for (std::size_t i = payload; i < checksum; ++i) {
    for (const unsigned char flip : {0x01, 0x80, 0xFF}) {
      std::string bad = bytes_;
      bad[i] = static_cast<char>(bad[i] ^ flip);
      const std::uint64_t sum = earlywarn::detail::fnv1a(std::string_view(bad).substr(0, checksum));
      for (int b = 0; b < 8; ++b) bad[checksum + b] = static_cast<char>((sum >> (8 * b)) & 0xFF);
      earlywarn::stream_engine fresh(rules_);
      earlywarn::checkpoint_position position;
      const auto error = earlywarn::stream_checkpoint::restore(fresh, bad, position);
      if (error) {
        EXPECT_EQ(fresh.household_count(), 0u) << i;  // never half-loaded
        if (error->find("inconsistent") != std::string::npos) ++inconsistent;
        continue;
      }
      // Whatever was accepted is a state the engine can run on.
      std::vector<earlywarn::alert> out;
      fresh.push("A", 19900, "payment", 100, out);
      fresh.advance(20200, out);
    }
  }
  // Most damage breaks the structure and must be caught, not trusted.
  EXPECT_GT(inconsistent, 0);
}

TEST_F(damaged, save_replaces_the_file_atomically_and_load_reads_it) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("earlywarn-ckpt-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "state.bin").string();
  ASSERT_FALSE(earlywarn::stream_checkpoint::save(engine_, path, {2, 77}));
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  earlywarn::stream_engine fresh(rules_);
  earlywarn::checkpoint_position position;
  ASSERT_FALSE(earlywarn::stream_checkpoint::load(fresh, path, position));
  EXPECT_EQ(fresh.household_count(), 2u);
  earlywarn::stream_engine other(rules_);
  EXPECT_NE(earlywarn::stream_checkpoint::load(other, (dir / "missing").string(), position)
                ->find("cannot read"),
            std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace

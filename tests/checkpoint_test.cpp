// Stream checkpoints: resuming from one changes nothing; a bad file is
// refused whole, with a clear reason.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "earlywarn.hpp"
#include "random_ledger.hpp"
#include "support.hpp"

namespace {

constexpr const char* rules_text = R"(
ruleset "checkpoint-test" version 2
event clawback increases
rule late { when arrears_days > 20  cooldown 15d  message "{arrears_days} days" }
rule silent { when arrears > 0 and (missing(days_since(payment)) or days_since(payment) > 40)
              raise_after 10d  clear_after 2w }
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
    for (const row& r : rows)
      EXPECT_EQ(whole.push(r.household, r.date, r.type, r.amount, r.code, expected),
                earlywarn::push_result::accepted);
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
        ASSERT_FALSE(error) << error->message;
        EXPECT_EQ(position.input_rows, k);
      }
      EXPECT_EQ(engine->push(rows[k].household, rows[k].date, rows[k].type, rows[k].amount,
                             rows[k].code, got),
                earlywarn::push_result::accepted);
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
    EXPECT_EQ(engine.push("A", d, "charge", 1000, out), earlywarn::push_result::accepted);
    EXPECT_EQ(engine.push("B", d, d % 2 ? "payment" : "clawback", 700, out),
              earlywarn::push_result::accepted);
  }
  EXPECT_EQ(engine.push("A", 19723 + 190, "payment", 5000, out),
            earlywarn::push_result::accepted);  // late, among A's events
  engine.advance(19723 + 200, out);
  const std::string saved = earlywarn::stream_checkpoint::serialize(engine, {1, 2});
  earlywarn::stream_engine restored(rules, options);
  earlywarn::checkpoint_position position;
  ASSERT_FALSE(earlywarn::stream_checkpoint::restore(restored, saved, position));
  EXPECT_EQ(earlywarn::stream_checkpoint::serialize(restored, {1, 2}), saved);
  std::vector<earlywarn::alert> a, b;
  for (earlywarn::stream_engine* e : {&engine, &restored}) {
    auto& to = e == &engine ? a : b;
    EXPECT_EQ(e->push("A", 19723 + 210, "payment", 100, to), earlywarn::push_result::accepted);
    EXPECT_EQ(e->push("B", 19723 + 199, "charge", 100, to),
              earlywarn::push_result::accepted);  // late
    e->advance(19723 + 400, to);
  }
  EXPECT_EQ(alerts_text(a, rules), alerts_text(b, rules));
  EXPECT_FALSE(a.empty());
}

TEST(checkpoint, the_engine_reads_out_and_takes_back_its_whole_state) {
  const auto rules = compile();
  earlywarn::stream_engine engine(rules);
  std::vector<earlywarn::alert> out;
  EXPECT_EQ(engine.push("B", 19723, "charge", 1000, out), earlywarn::push_result::accepted);
  EXPECT_EQ(engine.push("A", 19730, "clawback", 300, out), earlywarn::push_result::accepted);
  ASSERT_TRUE(engine.set_attribute("A", "nothing_declared", "x") == false);
  // The open day's household comes with its event applied.
  std::vector<std::string> ids;
  std::vector<bool> open;
  engine.for_each_household([&](const earlywarn::stream_engine::household_view& h) {
    ids.emplace_back(h.id);
    open.push_back(h.open_day);
    EXPECT_FALSE(h.packed.empty());
  });
  EXPECT_EQ(ids, (std::vector<std::string>{"B", "A"}));  // by index: the order they came
  EXPECT_EQ(open, (std::vector<bool>{false, true}));
  ASSERT_EQ(engine.open_day_households().size(), 1u);
  EXPECT_TRUE(engine.day_open());
  EXPECT_TRUE(engine.types().find("clawback"));

  // restore() takes a state only into a newly made engine, and only one
  // whose tables begin with what the rules are bound to.
  EXPECT_THROW(engine.restore({}), std::invalid_argument);
  earlywarn::stream_engine fresh(rules);
  earlywarn::stream_engine::restored_state other;  // the built-in types only
  EXPECT_THROW(fresh.restore(std::move(other)), std::invalid_argument);
  earlywarn::stream_engine::restored_state unnamed;
  unnamed.types = fresh.types();
  unnamed.households.resize(1);  // a household without an id
  EXPECT_THROW(fresh.restore(std::move(unnamed)), std::invalid_argument);
  EXPECT_EQ(fresh.household_count(), 0u);
  EXPECT_FALSE(fresh.started());
}

class damaged : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<earlywarn::alert> out;
    EXPECT_EQ(engine_.push("A", 19723, "charge", 1000, out), earlywarn::push_result::accepted);
    EXPECT_EQ(engine_.push("B", 19724, "clawback", 500, out), earlywarn::push_result::accepted);
    bytes_ = earlywarn::stream_checkpoint::serialize(engine_, {2, 77});
  }
  std::string restore(const std::string& bytes, const earlywarn::ruleset& rules) {
    earlywarn::stream_engine fresh(rules);
    earlywarn::checkpoint_position position;
    const auto error = earlywarn::stream_checkpoint::restore(fresh, bytes, position);
    EXPECT_EQ(fresh.household_count(), error ? 0u : 2u);  // never half-loaded
    if (!error) return "";
    EXPECT_EQ(error->kind, earlywarn::error_kind::checkpoint) << error->message;
    EXPECT_EQ(error->file, "");  // bytes, not a file
    return error->message;
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

TEST_F(damaged, a_state_names_the_rules_it_was_saved_under_and_they_compile_to_its_fingerprint) {
  earlywarn::rules_source saved;
  ASSERT_EQ(earlywarn::stream_checkpoint::saved_rules(bytes_, saved), std::nullopt);
  EXPECT_EQ(saved.fingerprint, rules_.fingerprint);
  EXPECT_EQ(saved.name, rules_.name);
  EXPECT_EQ(saved.version, rules_.version);
  EXPECT_EQ(saved.source, rules_.source);
  auto again = earlywarn::compile_rules(saved.source, saved.file_name, saved.params);
  ASSERT_TRUE(again.ok()) << again.report();
  EXPECT_EQ(again.rules->fingerprint, rules_.fingerprint);
  // Params set from outside come with it, durations and numbers alike.
  const char* text =
      "param days = 20\nparam span = 3m\nrule late { when arrears_days > days and tenure_days > "
      "span }\n";
  auto tuned = earlywarn::compile_rules(text, "tuned.rules", {{"span", "2w"}, {"days", "7"}});
  ASSERT_TRUE(tuned.ok()) << tuned.report();
  earlywarn::stream_engine engine(*tuned.rules);
  const std::string file = earlywarn::stream_checkpoint::serialize(engine, {});
  ASSERT_EQ(earlywarn::stream_checkpoint::saved_rules(file, saved), std::nullopt);
  EXPECT_EQ(saved.params, (earlywarn::param_overrides{{"days", "7"}, {"span", "2w"}}));
  again = earlywarn::compile_rules(saved.source, saved.file_name, saved.params);
  ASSERT_TRUE(again.ok()) << again.report();
  EXPECT_EQ(again.rules->fingerprint, tuned.rules->fingerprint);
  const auto nonsense = earlywarn::stream_checkpoint::saved_rules("nonsense", saved);
  ASSERT_TRUE(nonsense);
  EXPECT_EQ(nonsense->kind, earlywarn::error_kind::checkpoint);
  EXPECT_EQ(nonsense->message, "not an earlywarn state file");
}

TEST_F(damaged, other_files_are_not_state_files) {
  EXPECT_EQ(restore("household,date,type,amount\n", rules_), "not an earlywarn state file");
  EXPECT_EQ(restore("", rules_), "not an earlywarn state file");
  std::string newer = bytes_;
  newer[16] = 11;  // format version 11
  EXPECT_NE(restore(newer, rules_).find("format version 11"), std::string::npos);
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
        if (error->message.find("inconsistent") != std::string::npos) ++inconsistent;
        continue;
      }
      // Whatever was accepted is a state the engine can run on.
      std::vector<earlywarn::alert> out;
      EXPECT_EQ(fresh.push("A", 19900, "payment", 100, out), earlywarn::push_result::accepted);
      fresh.advance(20200, out);
    }
  }
  // Most damage breaks the structure and must be caught, not trusted.
  EXPECT_GT(inconsistent, 0);
}

// A state file taken apart field by field (checkpoint.hpp's layout), to be
// changed and put together again with a checksum that matches: damage the
// checksum cannot see, one field at a time.
struct state_fields {
  struct household {
    std::string id;
    earlywarn::detail::household_work work;
    std::int32_t next_check = 0;
    std::uint8_t dirty = 0;
    std::int64_t total = 0;
  };
  std::string fingerprint, name;
  std::int64_t version = 0;
  std::string source, file_name;  // the rules text
  std::vector<std::pair<std::string, std::string>> params;
  std::uint64_t input_rows = 0, output_bytes = 0;
  std::int32_t clock = 0;
  std::uint8_t started = 0, open = 0;
  std::uint64_t events = 0;
  std::vector<std::string> types;
  std::vector<std::string> codes;  // after the empty one
  std::uint32_t code_count = 0;    // as written: the empty code and these
  std::vector<household> households;
  std::vector<std::uint32_t> dirty;
  // Per household given attributes: its id and one text per declared attribute.
  std::vector<std::pair<std::string, std::vector<std::string>>> attributes;
};

state_fields take_apart(const std::string& file, std::size_t rules, std::size_t declared = 0) {
  earlywarn::detail::byte_reader r(std::string_view(file).substr(16 + 12, file.size() - 16 - 20));
  state_fields s;
  s.fingerprint = r.text();
  s.name = r.text();
  s.version = r.get<std::int64_t>();
  s.source = r.text();
  s.file_name = r.text();
  s.params.resize(r.get<std::uint32_t>());
  for (auto& [name, text] : s.params) {
    name = r.text();
    text = r.text();
  }
  s.input_rows = r.get<std::uint64_t>();
  s.output_bytes = r.get<std::uint64_t>();
  s.clock = r.get<std::int32_t>();
  s.started = r.get<std::uint8_t>();
  s.open = r.get<std::uint8_t>();
  s.events = r.get<std::uint64_t>();
  s.types.resize(r.get<std::uint32_t>());
  for (auto& t : s.types) t = r.text();
  s.code_count = r.get<std::uint32_t>();
  s.codes.resize(s.code_count == 0 ? 0 : s.code_count - 1);
  for (auto& c : s.codes) c = r.text();
  s.households.resize(r.get<std::uint32_t>());
  for (auto& h : s.households) {
    h.id = r.text();
    const std::string_view bytes = r.text();
    earlywarn::detail::packed_household::unpack_checked(
        std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), h.work,
        rules);
    h.next_check = r.get<std::int32_t>();
    h.dirty = r.get<std::uint8_t>();
    h.total = r.get<std::int64_t>();
  }
  s.dirty.resize(r.get<std::uint32_t>());
  for (auto& h : s.dirty) h = r.get<std::uint32_t>();
  s.attributes.resize(r.get<std::uint32_t>());
  for (auto& [id, texts] : s.attributes) {
    id = r.text();
    texts.resize(declared);
    for (auto& t : texts) t = r.text();
  }
  EXPECT_TRUE(r.done());
  return s;
}

std::string put_together(const state_fields& s) {
  earlywarn::detail::byte_writer w;
  w.put(std::string_view(s.fingerprint));
  w.put(std::string_view(s.name));
  w.put(s.version);
  w.put(std::string_view(s.source));
  w.put(std::string_view(s.file_name));
  w.put(static_cast<std::uint32_t>(s.params.size()));
  for (const auto& [name, text] : s.params) {
    w.put(std::string_view(name));
    w.put(std::string_view(text));
  }
  w.put(s.input_rows);
  w.put(s.output_bytes);
  w.put(s.clock);
  w.put(s.started);
  w.put(s.open);
  w.put(s.events);
  w.put(static_cast<std::uint32_t>(s.types.size()));
  for (const auto& t : s.types) w.put(std::string_view(t));
  w.put(s.code_count);
  for (const auto& c : s.codes) w.put(std::string_view(c));
  w.put(static_cast<std::uint32_t>(s.households.size()));
  for (const auto& h : s.households) {
    w.put(std::string_view(h.id));
    earlywarn::detail::packed_household packed;
    packed.pack(h.work);
    w.put(std::string_view(reinterpret_cast<const char*>(packed.bytes().data()),
                           packed.bytes().size()));
    w.put(h.next_check);
    w.put(h.dirty);
    w.put(h.total);
  }
  w.put(static_cast<std::uint32_t>(s.dirty.size()));
  for (const auto h : s.dirty) w.put(h);
  w.put(static_cast<std::uint32_t>(s.attributes.size()));
  for (const auto& [id, texts] : s.attributes) {
    w.put(std::string_view(id));
    for (const auto& t : texts) w.put(std::string_view(t));
  }
  earlywarn::detail::byte_writer file;
  file.bytes() = "EARLYWARN-STATE\n";
  file.put(earlywarn::detail::checkpoint_format);
  file.put(static_cast<std::uint64_t>(w.bytes().size()));
  file.bytes() += w.bytes();
  file.put(earlywarn::detail::fnv1a(file.bytes()));
  return file.bytes();
}

constexpr const char* sane_rules_text = R"(
event clawback increases
rule late { when arrears_days > 20  cooldown 15d }
rule silent { when arrears > 0 and days_since(payment) > 40  raise_after 5d }
rule plan_broken { when plan_breached  clear_after 1w }
rule paid_much { when sum(payment) > 100000 and max(payment) > 0 }
rule clawed { when sum(clawback, 10d) > 0 }
)";

// A checkpoint whose checksum is right but whose fields break what the
// engine assumes is refused, naming what is wrong, and changes nothing.
TEST(checkpoint, a_checksummed_state_that_breaks_the_engine_s_assumptions_is_refused) {
  const auto rules = compile(sane_rules_text);
  earlywarn::stream_options options;
  options.lateness_days = 0;  // folds after the longest window, 11 days
  earlywarn::stream_engine engine(rules, options);
  std::vector<earlywarn::alert> out;
  const auto on = [](const char* d) { return *earlywarn::parse_date(d); };
  EXPECT_EQ(engine.push("A", on("2024-01-01"), "charge", 100000, out),
            earlywarn::push_result::accepted);
  EXPECT_EQ(engine.push("A", on("2024-01-10"), "plan", 20000, out),
            earlywarn::push_result::accepted);
  EXPECT_EQ(engine.push("A", on("2024-01-12"), "payment", 10000, out),
            earlywarn::push_result::accepted);
  EXPECT_EQ(engine.push("B", on("2024-01-12"), "clawback", 500, out),
            earlywarn::push_result::accepted);
  for (int month = 2; month <= 6; ++month) {
    const day first = earlywarn::add_months(on("2024-01-01"), month - 1);
    EXPECT_EQ(engine.push("A", first, "charge", 100000, out), earlywarn::push_result::accepted);
    EXPECT_EQ(engine.push("A", first + 3, "payment", 5000, out), earlywarn::push_result::accepted);
  }
  EXPECT_EQ(engine.push("A", on("2024-06-20"), "payment", 1000, out),
            earlywarn::push_result::accepted);  // the open day
  const std::string file = earlywarn::stream_checkpoint::serialize(engine, {3, 4});
  const state_fields sane = take_apart(file, rules.rules.size());
  ASSERT_EQ(put_together(sane), file);  // the helpers read and write the layout exactly

  // What the changes below need to be meaningful.
  ASSERT_EQ(sane.households.size(), 2u);
  const auto& a = sane.households[0].work;
  ASSERT_TRUE(a.folded.any);
  ASSERT_TRUE(a.folded.plan_in_force);
  ASSERT_FALSE(a.folded.totals.empty());
  ASSERT_FALSE(a.folded.latest.empty());
  ASSERT_FALSE(a.folded.open_charges.empty());
  ASSERT_GE(a.dates.size(), 2u);
  ASSERT_TRUE(a.tracker.states()[0].ever_raised);
  ASSERT_EQ(sane.open, 1);
  ASSERT_NE(sane.households[0].next_check, earlywarn::never);
  ASSERT_EQ(sane.households[0].total, 656000);  // every amount pushed for A
  ASSERT_EQ(sane.households[1].total, 500);

  struct change {
    const char* what;
    std::function<void(state_fields&)> apply;
    const char* message;  ///< in the refusal
  };
  using F = earlywarn::folded_history;
  auto folded = [](state_fields& s) -> F& { return s.households[0].work.folded; };
  auto events = [](state_fields& s) -> earlywarn::detail::household_work& {
    return s.households[0].work;
  };
  const std::vector<change> changes = {
      {"clock far before the calendar", [](state_fields& s) { s.clock = -1'277'165'054; },
       "the clock day number -1277165054 is not between 0001-01-01 and 9999-12-31"},
      {"clock after the calendar", [](state_fields& s) { s.clock = INT32_MAX - 5; }, "the clock"},
      {"clock before the events", [](state_fields& s) { s.clock -= 30; }, "household A: "},
      {"negative folded instalment",
       [&](state_fields& s) { folded(s).instalment = -977'381'252'355'170'182; },
       "the folded plan instalment -977381252355170182 is outside 0 to 1000000000000000"},
      {"folded instalment beyond max_amount",
       [&](state_fields& s) { folded(s).instalment = earlywarn::max_amount + 1; },
       "the folded plan instalment"},
      {"folded balance beyond the events' sums",
       [&](state_fields& s) { folded(s).balance = INT64_MAX; }, "the folded balance"},
      {"negative unallocated payments", [&](state_fields& s) { folded(s).unallocated = -1; },
       "not allocated"},
      {"folded boundary after the clock",
       [&](state_fields& s) { folded(s).boundary = s.clock + 1; }, "boundary"},
      {"folded first date after the boundary",
       [&](state_fields& s) { folded(s).first_date = folded(s).boundary + 1; }, "first date"},
      {"folded plan date outside the calendar",
       [&](state_fields& s) { folded(s).plan_date = INT32_MIN; }, "the folded plan's date"},
      {"folded open charge amount negative",
       [&](state_fields& s) { folded(s).open_charges[0].amount = -5; }, "open charge"},
      {"folded total counting no events", [&](state_fields& s) { folded(s).totals[0].count = 0; },
       "counts 0 events"},
      {"folded minimum above maximum",
       [&](state_fields& s) { folded(s).totals[0].min = folded(s).totals[0].max + 1; }, "minimum"},
      {"folded total of an unknown type",
       [&](state_fields& s) {
         folded(s).totals[0].type = static_cast<earlywarn::type_id>(s.types.size());
       },
       "type id"},
      {"folded latest date after the boundary",
       [&](state_fields& s) { folded(s).latest[0].date = folded(s).boundary + 1; },
       "latest event's date"},
      {"an event after the clock", [&](state_fields& s) { events(s).dates.back() = s.clock + 1; },
       "an event"},
      {"an event inside the folded history",
       [&](state_fields& s) { events(s).dates.front() = folded(s).boundary; },
       "on or before its folded history's boundary"},
      {"an event of an unknown type",
       [&](state_fields& s) {
         events(s).types[0] = static_cast<earlywarn::type_id>(s.types.size());
       },
       "type id"},
      {"an event of an unknown code",
       [&](state_fields& s) {
         events(s).codes[0] = static_cast<earlywarn::code_id>(s.codes.size() + 1);
       },
       "code id"},
      {"a folded latest event of an unknown code",
       [&](state_fields& s) {
         folded(s).latest[0].code = static_cast<earlywarn::code_id>(s.codes.size() + 1);
       },
       "code id"},
      {"no code table", [](state_fields& s) { s.code_count = 0; }, "event codes"},
      {"an event code a ledger refuses",
       [](state_fields& s) {
         s.codes.push_back(" padded");
         ++s.code_count;
       },
       "an event code a ledger would refuse"},
      {"an event amount beyond max_amount",
       [&](state_fields& s) { events(s).amounts[0] = earlywarn::max_amount + 1; }, "amount"},
      {"a rule raised after the clock",
       [&](state_fields& s) { events(s).tracker.states()[0].last_raised = s.clock + 1; },
       "rule late's last raise"},
      {"a rule held back by a cooldown it does not have",
       [&](state_fields& s) {
         auto& st = events(s).tracker.states()[2];
         st.ever_raised = st.waiting = true;
         st.raised = false;
         st.last_raised = s.clock;
       },
       "cooldown it does not have"},
      {"a rule waiting out a raise_after it does not have",
       [&](state_fields& s) {
         auto& st = events(s).tracker.states()[3];
         st = {};
         st.holding = true;
         st.held_since = s.clock;
       },
       "rule paid_much waits out a raise_after it does not have"},
      {"a rule both raised and waiting to be raised",
       [&](state_fields& s) {
         auto& st = events(s).tracker.states()[1];
         st.raised = st.ever_raised = st.holding = true;
         st.last_raised = st.held_since = s.clock;
       },
       "rule silent is both raised and waiting to be raised"},
      {"a rule waiting out a clear_after it does not have",
       [&](state_fields& s) {
         auto& st = events(s).tracker.states()[3];
         st.raised = st.ever_raised = st.lapsing = true;
         st.last_raised = st.lapsed_since = s.clock;
       },
       "rule paid_much waits out a clear_after it does not have"},
      {"a rule waiting to be cleared but not raised",
       [&](state_fields& s) {
         auto& st = events(s).tracker.states()[2];
         st = {};
         st.ever_raised = st.lapsing = true;
         st.last_raised = st.lapsed_since = s.clock;
       },
       "rule plan_broken waits to be cleared but is not raised"},
      {"a rule holding since after the clock",
       [&](state_fields& s) {
         auto& st = events(s).tracker.states()[1];
         st = {};
         st.holding = true;
         st.held_since = s.clock + 1;
       },
       "rule silent's first day holding"},
      {"a rule never raised with a day of its last raise",
       [&](state_fields& s) {
         auto& st = events(s).tracker.states()[1];
         st = {};
         st.holding = true;
         st.held_since = st.last_raised = s.clock;
       },
       "rule silent was never raised but has a day of its last raise"},
      {"due before the clock", [](state_fields& s) { s.households[0].next_check = s.clock - 1; },
       "before the clock"},
      {"an empty household id", [](state_fields& s) { s.households[1].id.clear(); },
       "household id of 0 bytes"},
      {"fewer events than stored", [](state_fields& s) { s.events = 3; }, "ever pushed"},
      {"a started flag of 2", [](state_fields& s) { s.started = 2; }, "neither 0 nor 1"},
      {"not started, with households", [](state_fields& s) { s.started = 0; }, "not started"},
      {"an open day without its households",
       [](state_fields& s) {
         s.dirty.clear();
         for (auto& h : s.households) h.dirty = 0;
       },
       "open day"},
      {"more types than a stream holds",
       [](state_fields& s) {
         for (std::size_t t = s.types.size(); t <= earlywarn::max_stream_types; ++t)
           s.types.push_back("t" + std::to_string(t));
       },
       "a stream holds at most 65,535"},
      {"an alerts file longer than any file", [](state_fields& s) { s.output_bytes = UINT64_MAX; },
       "alerts file"},
      {"a negative household total", [](state_fields& s) { s.households[1].total = -1; },
       "household B: the household's total -1"},
      {"a household total below the amounts kept",
       [](state_fields& s) { s.households[0].total = 100000; }, "below the amounts it keeps"},
      {"a household total beyond the events' amounts",
       [](state_fields& s) { s.households[0].total = INT64_MAX; }, "the household's total"},
  };
  for (const change& c : changes) {
    state_fields damaged = sane;
    c.apply(damaged);
    earlywarn::stream_engine fresh(rules, options);
    earlywarn::checkpoint_position position;
    const auto error =
        earlywarn::stream_checkpoint::restore(fresh, put_together(damaged), position);
    ASSERT_TRUE(error) << c.what;
    EXPECT_NE(error->message.find("the state file is inconsistent: "), std::string::npos)
        << error->message;
    EXPECT_NE(error->message.find(c.message), std::string::npos)
        << c.what << ": " << error->message;
    EXPECT_EQ(fresh.household_count(), 0u) << c.what;  // nothing changed
    EXPECT_FALSE(fresh.started()) << c.what;
  }

  // The sane file restores, and the engine goes on from it.
  earlywarn::stream_engine fresh(rules, options);
  earlywarn::checkpoint_position position;
  ASSERT_FALSE(earlywarn::stream_checkpoint::restore(fresh, file, position));
  fresh.advance(on("2024-09-01"), out);
  EXPECT_EQ(position.input_rows, 3u);
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
  const std::string missing = (dir / "missing").string();
  const auto unread = earlywarn::stream_checkpoint::load(other, missing, position);
  ASSERT_TRUE(unread);
  EXPECT_EQ(unread->kind, earlywarn::error_kind::io);
  EXPECT_EQ(unread->render(), missing + ": cannot read the state file: No such file or directory");
  std::filesystem::create_directories(dir / "sub");
  const auto unwritable = earlywarn::stream_checkpoint::save(engine_, (dir / "sub").string(), {});
  ASSERT_TRUE(unwritable);
  EXPECT_EQ(unwritable->kind, earlywarn::error_kind::io);
  EXPECT_EQ(unwritable->file, (dir / "sub").string());
  // A damaged file read from disk names the file.
  { std::ofstream(path, std::ios::binary) << "nonsense"; }
  const auto damaged_file = earlywarn::stream_checkpoint::load(other, path, position);
  ASSERT_TRUE(damaged_file);
  EXPECT_EQ(damaged_file->kind, earlywarn::error_kind::checkpoint);
  EXPECT_EQ(damaged_file->render(), path + ": not an earlywarn state file");
  std::filesystem::remove_all(dir);
}

}  // namespace

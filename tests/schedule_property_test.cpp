// Properties of the change schedule on random rulesets and ledgers
// (random_ruleset.hpp): whatever the rules, the scheduled back-test, the
// stream and evaluating as of every day must agree alert for alert.
//
// EARLYWARN_PROPERTY_ITERATIONS sets the rulesets each property draws (a
// longer run: docs/testing.md), EARLYWARN_PROPERTY_SEED the first seed; a
// failure prints its seed, rules and ledger.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "earlywarn.hpp"
#include "naive_backtest.hpp"
#include "random_ruleset.hpp"
#include "support.hpp"

namespace {

using earlywarn::day;
using earlywarn::testing::random_history;
using earlywarn::testing::random_rules_source;

std::uint64_t from_environment(const char* name, std::uint64_t otherwise) {
  const char* text = std::getenv(name);
  return text != nullptr && *text != '\0' ? std::strtoull(text, nullptr, 10) : otherwise;
}

// One drawn case: rules, a ledger and a period, and how to get them back.
struct drawn {
  std::uint64_t seed;
  std::string rules_text;
  random_history history;
  earlywarn::ruleset rules;
  earlywarn::ledger events;

  std::string reproduce(const char* test) const {
    return "seed " + std::to_string(seed) + ": EARLYWARN_PROPERTY_SEED=" + std::to_string(seed) +
           " EARLYWARN_PROPERTY_ITERATIONS=1 build/tests/schedule_property_test "
           "--gtest_filter='*" +
           test + "'\n--- rules\n" + rules_text + "--- ledger\n" + history.csv +
           "--- attributes\n" + history.attributes;
  }
};

// Draws the cases of a property and counts the alerts they produced; fails
// if too few cases produced any, so that agreement on nothing cannot pass.
template <class Property>
void for_random_cases(std::uint64_t default_seed, Property&& property) {
  const std::uint64_t iterations = from_environment("EARLYWARN_PROPERTY_ITERATIONS", 1000);
  const std::uint64_t first = from_environment("EARLYWARN_PROPERTY_SEED", default_seed);
  std::size_t alerts = 0, with_alerts = 0;
  for (std::uint64_t i = 0; i < iterations; ++i) {
    random_rules_source source(first + i);
    const std::string text = source.ruleset();
    auto load = earlywarn::compile_rules(text, "random.rules");
    ASSERT_TRUE(load.ok()) << "seed " << first + i << "\n" << load.report() << text;
    random_history history = source.ledger();
    auto loaded = earlywarn::parse_ledger_csv(history.csv);
    ASSERT_TRUE(loaded.ok()) << history.csv;
    auto attributes = earlywarn::parse_attributes_csv(history.attributes);
    ASSERT_TRUE(attributes.ok()) << history.attributes;
    loaded.events.set_attributes(std::move(attributes.attributes));
    const drawn c{first + i, text, std::move(history), std::move(*load.rules),
                  std::move(loaded.events)};
    const std::size_t n = property(c, source);
    if (::testing::Test::HasFailure()) return;  // one case printed is enough
    alerts += n;
    with_alerts += n > 0 ? 1 : 0;
  }
  // Most rulesets raise something on most ledgers; a broken generator or
  // engine that raises nothing must not pass as agreement.
  EXPECT_GE(with_alerts * 2, iterations) << alerts << " alerts";
  EXPECT_GE(alerts, iterations * 5);
}

// An alert as the properties compare it: the message of a raise is the one
// the day's evaluation gives; a clear carries none in a worklist.
std::string key(day d, std::string_view household, std::string_view rule,
                earlywarn::alert_state state, std::string_view message) {
  std::string out =
      earlywarn::format_date(d) + " " + std::string(household) + " " + std::string(rule) + " ";
  if (state == earlywarn::alert_state::raised)
    out += "raised " + std::string(message);
  else
    out += std::string(earlywarn::to_string(state));
  return out + "\n";
}

std::string keys_of(const std::vector<earlywarn::alert>& alerts, const drawn& c) {
  std::string out;
  for (const earlywarn::alert& a : alerts)
    out += key(a.date, a.household_id, c.rules.rules[a.rule].name, a.state, a.message);
  return out;
}

// One rule's alert for one household, day after day, by the rules of
// docs/language.md, Alerts: raised on the first day a rule has fired on
// every day of its `raise_after` (on the first day it fires without one),
// cleared on the first day it has not fired on any day of its `clear_after`
// (on the first day it stops without one), raised anew only once the
// cooldown since the last raise has ended.
struct daily_alert {
  bool open = false;
  bool ever_raised = false;
  day last_raised = 0;
  std::optional<day> firing_since;      // the first day of the current run of firing days
  std::optional<day> not_firing_since;  // while open: the first day of a run of days not firing

  // What day `d` does to it, given whether `rule` fires then.
  std::optional<earlywarn::alert_state> on(const earlywarn::rule& rule, bool fires, day d) {
    if (fires) {
      if (!firing_since) firing_since = d;
      not_firing_since.reset();
      if (open) return std::nullopt;
      if (rule.raise_after && d < earlywarn::span_end(*firing_since, *rule.raise_after))
        return std::nullopt;
      if (ever_raised && rule.cooldown && d < earlywarn::cooldown_end(last_raised, *rule.cooldown))
        return std::nullopt;
      open = ever_raised = true;
      last_raised = d;
      return earlywarn::alert_state::raised;
    }
    firing_since.reset();
    if (!open) return std::nullopt;
    if (!not_firing_since) not_firing_since = d;
    if (rule.clear_after && d < earlywarn::span_end(*not_firing_since, *rule.clear_after))
      return std::nullopt;
    open = false;
    not_firing_since.reset();
    return earlywarn::alert_state::cleared;
  }
};

// The raises and clears of evaluating as of every day from `from` to `to`
// (the `run` path), read off consecutive days' worklists (daily_alert); an
// alert open when `from` begins comes as `open` on `from`. The days before
// `from` are walked from the ledger's first, saying nothing.
std::vector<std::string> from_daily_worklists(const drawn& c, day from, day to) {
  std::map<std::pair<std::string, std::uint32_t>, daily_alert> states;
  std::vector<std::string> out;
  earlywarn::evaluation_options options;
  options.threads = 1;
  for (day d = std::min(from, c.history.first); d <= to; ++d) {
    const earlywarn::worklist w = earlywarn::evaluate(c.rules, c.events, d, options);
    std::map<std::pair<std::string, std::uint32_t>, const earlywarn::worklist_row*> fired;
    for (const earlywarn::worklist_row& row : w.rows) fired[{row.household_id, row.rule}] = &row;
    if (d == from)
      for (const auto& [at, s] : states)
        if (s.open)
          out.push_back(
              key(d, at.first, c.rules.rules[at.second].name, earlywarn::alert_state::open, ""));
    for (const auto& [at, row] : fired) states[at];  // every pair that fires has a state
    for (auto& [at, s] : states) {
      const earlywarn::rule& rule = c.rules.rules[at.second];
      const auto row = fired.find(at);
      const auto said = s.on(rule, row != fired.end(), d);
      if (said && d >= from)
        out.push_back(key(d, at.first, rule.name, *said,
                          *said == earlywarn::alert_state::raised ? row->second->message : ""));
    }
  }
  return out;
}

std::string sorted_text(std::vector<std::string> lines) {
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const std::string& l : lines) out += l;
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = text.find('\n', at);
    out.push_back(text.substr(at, end + 1 - at));
    at = end + 1;
  }
  return out;
}

// The schedule itself, household by household and day by day: the day it
// names is after the as-of date, and no rule's outcome changes before it
// (or before the household's next event). Run first: a schedule naming a
// day not ahead would stall the back-test in the properties below.
TEST(schedule_property, no_outcome_changes_before_the_day_the_schedule_names) {
  for_random_cases(4000, [](const drawn& c, random_rules_source& r) -> std::size_t {
    const earlywarn::bound_ruleset bound(c.rules, c.events);
    const earlywarn::change_schedule schedule(c.rules);
    earlywarn::household_evaluator e(bound);
    const day to = c.history.last + static_cast<day>(r.pick(30, 450));
    std::size_t changes = 0;
    for (earlywarn::household_index h = 0; h < c.events.household_count(); ++h) {
      const earlywarn::household_events ev = c.events.events(h);
      const day from = ev.dates.front();
      const auto days = static_cast<std::size_t>(to - from + 1);
      // Each day's outcomes as a string of 0 and 1, one per rule, and the
      // day the schedule names.
      std::vector<std::string> fired(days);
      std::vector<day> named(days);
      for (std::size_t k = 0; k < days; ++k) {
        e.start(h, from + static_cast<day>(k));
        for (std::uint32_t rule = 0; rule < c.rules.rules.size(); ++rule)
          fired[k] += e.fired(rule) ? '1' : '0';
        named[k] = schedule.next_change(e);
      }
      // Backwards: the first later day whose outcomes differ from day k's.
      std::vector<day> differs(days, earlywarn::never);
      for (std::size_t k = days - 1; k-- > 0;)
        differs[k] = fired[k + 1] != fired[k] ? from + static_cast<day>(k + 1) : differs[k + 1];
      for (std::size_t k = 0; k < days; ++k) {
        const day d = from + static_cast<day>(k);
        const auto later = std::upper_bound(ev.dates.begin(), ev.dates.end(), d);
        const day next_event = later == ev.dates.end() ? earlywarn::never : *later;
        const bool ahead = named[k] > d;
        const bool in_time = std::min(named[k], next_event) <= differs[k];
        EXPECT_TRUE(ahead && in_time)
            << "household " << c.events.household_id(h) << " as of " << earlywarn::format_date(d)
            << ": the schedule names "
            << (named[k] == earlywarn::never ? std::string("never")
                                             : earlywarn::format_date(named[k]))
            << ", the outcomes " << fired[k] << " change on "
            << (differs[k] == earlywarn::never ? std::string("no day")
                                               : earlywarn::format_date(differs[k]))
            << "\n"
            << c.reproduce("no_outcome_changes_before_the_day_the_schedule_names");
        if (!(ahead && in_time)) return 0;
        if (k > 0 && fired[k] != fired[k - 1]) ++changes;
      }
    }
    return changes;
  });
}

TEST(schedule_property, the_backtest_equals_evaluating_as_of_every_day) {
  for_random_cases(1000, [](const drawn& c, random_rules_source& r) {
    // Sometimes from before the ledger starts, always well beyond its end:
    // time-driven rules keep turning with no new event.
    const day from = c.history.first + static_cast<day>(r.pick(-5, 90));
    const day to = c.history.last + static_cast<day>(r.pick(30, 450));
    const auto scheduled = earlywarn::backtest(c.rules, c.events, from, to);
    const std::string daily = sorted_text(from_daily_worklists(c, from, to));
    EXPECT_EQ(sorted_text(lines_of(keys_of(scheduled, c))), daily)
        << "from " << earlywarn::format_date(from) << " to " << earlywarn::format_date(to) << "\n"
        << c.reproduce("evaluating_as_of_every_day");
    return scheduled.size();
  });
}

// A ledger as a stream receives it: recorded events in date order,
// shuffled within each date; and each household's scheduled ones (hearings,
// maybe far ahead), to push right after its first recorded one, as the
// back-test knows them from the start.
struct arrivals {
  std::vector<earlywarn::testing::posting> rows;
  std::map<std::string, std::vector<earlywarn::testing::posting>> ahead;
};
arrivals arrival(const drawn& c, random_rules_source& r) {
  std::vector<earlywarn::testing::posting> all = earlywarn::testing::postings_of(c.events);
  std::shuffle(all.begin(), all.end(), r.engine());
  std::stable_sort(all.begin(), all.end(),
                   [](const auto& a, const auto& b) { return a.date < b.date; });
  arrivals out;
  for (const auto& row : all)
    (c.rules.is_scheduled(row.type) ? out.ahead[row.household] : out.rows).push_back(row);
  return out;
}

TEST(schedule_property, the_stream_advanced_day_by_day_equals_the_backtest) {
  for_random_cases(2000, [](const drawn& c, random_rules_source& r) {
    const day to = c.history.last + static_cast<day>(r.pick(30, 450));
    const auto expected = earlywarn::backtest(c.rules, c.events, c.history.first, to);
    auto [rows, ahead] = arrival(c, r);
    earlywarn::stream_options options;
    options.lateness_days = static_cast<std::int32_t>(r.pick(0, 2)) * 46;
    earlywarn::stream_engine engine(c.rules, options);
    earlywarn::testing::set_attributes(engine, *c.events.attributes());
    std::vector<earlywarn::alert> got;
    for (const auto& row : rows) {
      if (engine.started())
        for (day d = engine.clock() + 1; d < row.date; ++d) engine.advance(d, got);
      EXPECT_EQ(engine.push(row.household, row.date, row.type, row.amount, row.code, got),
                earlywarn::push_result::accepted);
      for (const auto& planned : ahead[row.household])
        EXPECT_EQ(engine.push(planned.household, planned.date, planned.type, planned.amount,
                              planned.code, got),
                  earlywarn::push_result::accepted);
      ahead[row.household].clear();
    }
    for (day d = engine.clock() + 1; d <= to; ++d) engine.advance(d, got);
    EXPECT_EQ(earlywarn::testing::alerts_text(got, c.rules),
              earlywarn::testing::alerts_text(expected, c.rules))
        << "to " << earlywarn::format_date(to) << "\n"
        << c.reproduce("the_stream_advanced_day_by_day_equals_the_backtest");
    return expected.size();
  });
}

// Evaluating as of every day from the ledger's first to `to` with `c`'s
// rules up to `reload` and `after` from then on, as docs/streams.md
// (Reloading rules) defines a reload on that day: the old rules close it;
// a rule `after` lacks clears its open alert; each rule of `after` takes the
// alert state of the rule of its name (a changed rule only its alert and
// last raise: its waits start again); then `after` is evaluated as of
// `reload` too. Each rule's alert by daily_alert, by rule name.
std::vector<std::string> reloaded_daily(const drawn& c, const earlywarn::ruleset& after,
                                        const std::vector<std::string>& changed, day reload,
                                        day to) {
  std::map<std::pair<std::string, std::string>, daily_alert> states;  // (household, rule name)
  std::vector<std::string> out;
  earlywarn::evaluation_options options;
  options.threads = 1;
  auto step = [&](const earlywarn::ruleset& rules, day d) {
    const earlywarn::worklist w = earlywarn::evaluate(rules, c.events, d, options);
    std::map<std::pair<std::string, std::string>, const earlywarn::worklist_row*> fired;
    for (const earlywarn::worklist_row& row : w.rows)
      fired[{row.household_id, row.rule_name}] = &row;
    for (const auto& [at, row] : fired) states[at];
    for (auto& [at, s] : states) {
      const auto index = rules.find_rule(at.second);
      if (!index) continue;
      const earlywarn::rule& rule = rules.rules[*index];
      const auto row = fired.find(at);
      if (const auto said = s.on(rule, row != fired.end(), d))
        out.push_back(key(d, at.first, rule.name, *said,
                          *said == earlywarn::alert_state::raised ? row->second->message : ""));
    }
  };
  for (day d = c.history.first; d <= to; ++d) {
    step(d <= reload ? c.rules : after, d);
    if (d != reload) continue;
    for (auto it = states.begin(); it != states.end();) {
      if (after.find_rule(it->first.second)) {
        if (std::find(changed.begin(), changed.end(), it->first.second) != changed.end())
          it->second.firing_since.reset(), it->second.not_firing_since.reset();
        ++it;
        continue;
      }
      if (it->second.open)
        out.push_back(
            key(d, it->first.first, it->first.second, earlywarn::alert_state::cleared, ""));
      it = states.erase(it);
    }
    step(after, d);
  }
  return out;
}

TEST(schedule_property, a_stream_reloaded_on_a_day_equals_the_old_rules_then_the_new) {
  std::size_t reloads = 0;
  for_random_cases(5000, [&](const drawn& c, random_rules_source& r) -> std::size_t {
    // The new rules: another random ruleset (rules of the same names mostly
    // mean something else) or the same text with other params.
    const std::string text = r.chance(2) ? r.ruleset() : c.rules_text;
    earlywarn::param_overrides params;
    if (text == c.rules_text)
      for (const earlywarn::param& p : c.rules.params())
        if (!p.span && r.chance(2)) params.emplace_back(p.name, std::to_string(r.pick(0, 200)));
    auto load = earlywarn::compile_rules(text, "after.rules", params);
    if (!load.ok()) return 0;  // a param out of its range
    const earlywarn::ruleset& after = *load.rules;
    auto [rows, ahead] = arrival(c, r);
    if (rows.empty()) return 0;
    // On a day of the stream, maybe after the last event.
    const day reload =
        rows.front().date + static_cast<day>(r.pick(0, c.history.last - rows.front().date + 60));
    const day to = std::max(reload, c.history.last) + static_cast<day>(r.pick(30, 300));
    earlywarn::stream_options keep_all;  // nothing folds: every reload can be served
    keep_all.lateness_days = earlywarn::max_lateness_days;
    std::optional<earlywarn::stream_engine> old_stream(std::in_place, c.rules, keep_all);
    earlywarn::stream_engine new_stream(after, keep_all);
    earlywarn::testing::set_attributes(*old_stream, *c.events.attributes());
    // A stream keeps the attributes its rules declare: the new rules' come
    // with them.
    earlywarn::testing::set_attributes(new_stream, *c.events.attributes());
    earlywarn::stream_engine* engine = &*old_stream;
    std::vector<std::string> got;
    std::vector<earlywarn::alert> alerts;
    std::vector<std::string> changed;
    auto take = [&](const earlywarn::ruleset& rules) {
      for (const earlywarn::alert& a : alerts)
        got.push_back(key(a.date, a.household_id, rules.rules[a.rule].name, a.state,
                          a.state == earlywarn::alert_state::raised ? a.message : ""));
      alerts.clear();
    };
    bool reloaded = false;
    auto reload_now = [&] {
      for (day d = engine->clock() + 1; d <= reload; ++d) engine->advance(d, alerts);
      take(c.rules);
      earlywarn::stream_reload_alerts said;
      const auto report = earlywarn::stream_reload::reload(*old_stream, new_stream, said);
      EXPECT_TRUE(report.reloaded()) << report.refused.front();
      changed = report.rules.changed;
      alerts = std::move(said.closing);
      take(c.rules);
      alerts = std::move(said.removed);
      take(c.rules);
      alerts = std::move(said.opening);
      take(after);
      engine = &new_stream;
      reloaded = true;
    };
    for (const auto& row : rows) {
      if (!reloaded && row.date > reload) reload_now();
      if (engine->started())
        for (day d = engine->clock() + 1; d < row.date; ++d) engine->advance(d, alerts);
      EXPECT_EQ(engine->push(row.household, row.date, row.type, row.amount, row.code, alerts),
                earlywarn::push_result::accepted);
      for (const auto& planned : ahead[row.household])
        EXPECT_EQ(engine->push(planned.household, planned.date, planned.type, planned.amount,
                               planned.code, alerts),
                  earlywarn::push_result::accepted);
      ahead[row.household].clear();
      take(reloaded ? after : c.rules);
    }
    if (!reloaded) reload_now();
    for (day d = engine->clock() + 1; d <= to; ++d) engine->advance(d, alerts);
    take(after);
    if (::testing::Test::HasFailure()) return 0;
    ++reloads;
    const std::string expected = sorted_text(reloaded_daily(c, after, changed, reload, to));
    EXPECT_EQ(sorted_text(got), expected)
        << "reloaded on " << earlywarn::format_date(reload) << " to " << earlywarn::format_date(to)
        << "\n--- new rules\n"
        << text << "\n"
        << c.reproduce("a_stream_reloaded_on_a_day_equals_the_old_rules_then_the_new");
    return got.size();
  });
  EXPECT_GT(reloads, 0u);
}

TEST(schedule_property, the_scheduled_backtest_equals_evaluating_every_household_every_step) {
  for_random_cases(3000, [](const drawn& c, random_rules_source& r) {
    const auto every = static_cast<earlywarn::backtest_step>(r.pick(0, 2));
    const day from = c.history.first + static_cast<day>(r.pick(-5, 90));
    const day to = c.history.last + static_cast<day>(r.pick(30, 450));
    earlywarn::backtest_options options;
    options.every = every;
    options.threads = 1;
    const auto scheduled = earlywarn::backtest(c.rules, c.events, from, to, options);
    const auto naive = earlywarn::testing::every_step(c.rules, c.events, from, to, every);
    EXPECT_EQ(earlywarn::testing::alerts_text(scheduled, c.rules),
              earlywarn::testing::alerts_text(naive, c.rules))
        << "every " << static_cast<int>(every) << " from " << earlywarn::format_date(from) << " to "
        << earlywarn::format_date(to) << "\n"
        << c.reproduce("evaluating_every_household_every_step");
    return naive.size();
  });
}

TEST(schedule_property, a_backtest_of_several_rulesets_equals_each_backtested_alone) {
  std::size_t shared = 0, separate = 0;
  for_random_cases(7000, [&](const drawn& c, random_rules_source& r) -> std::size_t {
    // Variants as a sweep or a comparison makes them: the same text with
    // other params (a span param read only by alert clauses gives rulesets
    // that fire alike and share an evaluation), now and then another ruleset.
    std::vector<earlywarn::ruleset> variants;
    for (auto k = r.pick(1, 4); k > 0; --k) {
      const bool other = r.chance(4);
      const std::string text = other ? r.ruleset() : c.rules_text;
      earlywarn::param_overrides params;
      if (!other)
        for (const earlywarn::param& p : c.rules.params())
          if (r.chance(2))
            params.emplace_back(p.name, p.span ? std::to_string(r.pick(0, 60)) + "d"
                                               : std::to_string(r.pick(0, 200)));
      auto load = earlywarn::compile_rules(text, "variant.rules", params);
      if (load.ok()) variants.push_back(std::move(*load.rules));
    }
    std::vector<const earlywarn::ruleset*> all{&c.rules};
    for (const earlywarn::ruleset& v : variants) all.push_back(&v);
    const std::string first = earlywarn::detail::firing_meaning(c.rules);
    for (std::size_t i = 1; i < all.size(); ++i)
      ++(earlywarn::detail::firing_meaning(*all[i]) == first ? shared : separate);
    const day from = c.history.first + static_cast<day>(r.pick(-5, 90));
    const day to = c.history.last + static_cast<day>(r.pick(30, 450));
    earlywarn::backtest_options options;
    options.every = static_cast<earlywarn::backtest_step>(r.pick(0, 2));
    options.threads = static_cast<unsigned>(r.pick(1, 2));
    options.messages = !r.chance(4);  // without: the same alerts, each with no message
    const auto together = earlywarn::backtest_each(all, c.events, from, to, options);
    earlywarn::backtest_options said = options;
    said.messages = true;
    EXPECT_EQ(together.size(), all.size());
    std::size_t alerts = 0;
    for (std::size_t i = 0; i < all.size() && i < together.size(); ++i) {
      auto alone = earlywarn::backtest(*all[i], c.events, from, to, said);
      if (!options.messages)
        for (earlywarn::alert& a : alone) a.message.clear();
      EXPECT_EQ(earlywarn::testing::alerts_text(together[i], *all[i]),
                earlywarn::testing::alerts_text(alone, *all[i]))
          << "ruleset " << i << " of " << all.size() << " from " << earlywarn::format_date(from)
          << " to " << earlywarn::format_date(to) << "\n--- its rules\n"
          << all[i]->source << "\n"
          << c.reproduce("a_backtest_of_several_rulesets_equals_each_backtested_alone");
      alerts += alone.size();
    }
    return alerts;
  });
  // Both kinds of variant were drawn: shared evaluations and separate ones.
  EXPECT_GT(shared, 0u);
  EXPECT_GT(separate, 0u);
}

}  // namespace

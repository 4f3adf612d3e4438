#pragma once
// Random rulesets over the whole rules language and random ledgers to run
// them on, for the property tests: every signal and function (the plan's
// shortfall among them), windows in days, weeks, months and years and to
// date (week, month, year), durations used as numbers and in arithmetic,
// min and max of two numbers, comparisons in every unit, params,
// definitions, rule references, decisions under each hit policy, cooldowns,
// raise_after and clear_after,
// and custom event types, household attributes of every kind; ledgers
// with quiet stretches, month ends, leap days, plans that start and end and
// several events on a day, and an attributes file with gaps. Everything
// comes from one seed, so a failure is reproduced from the seed the test
// prints.

#include <algorithm>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "earlywarn.hpp"

namespace earlywarn::testing {

/// A ledger as CSV text (printed when a property fails) and its date range.
struct random_history {
  std::string csv;
  std::string attributes;  ///< household attributes as CSV (attributes_csv.hpp)
  day first = 0;
  day last = 0;  ///< of the recorded events: hearings (scheduled) may lie beyond
};

/// Draws rulesets and ledgers from one seeded generator.
class random_rules_source {
 public:
  explicit random_rules_source(std::uint64_t seed) : rng_(seed) {}

  /// A ruleset that compiles: 1–5 rules, each reading up to a few terms.
  std::string ruleset() {
    std::string text;
    if (chance(4)) text += "ruleset \"random\" version " + std::to_string(pick(1, 9)) + "\n";
    // Custom types: `bump` adds to what is owed, `rebate` takes from it,
    // `notice` stays undeclared (neutral), `hearing` is scheduled (its rows
    // may lie ahead of the dates evaluated).
    text += "event bump increases\nevent rebate decreases\nevent hearing scheduled\n";
    if (chance(3)) text += "event letter neutral\n";
    // Household attributes of each kind, in half the rulesets.
    attributes_ = chance(2);
    if (attributes_)
      text +=
          "attribute rent money\nattribute tenancy text\nattribute vulnerable flag\n"
          "attribute review date\nattribute adults count\n";
    number_params_ = static_cast<int>(pick(0, 2));
    span_params_ = static_cast<int>(pick(0, 2));
    for (int i = 0; i < number_params_; ++i)
      text += "param p" + std::to_string(i) + " = " + std::to_string(pick(0, 120)) + "\n";
    for (int i = 0; i < span_params_; ++i)
      text += "param q" + std::to_string(i) + " = " + span() + "\n";
    // Definitions of each kind, each reading the earlier ones; rules read them
    // wherever a term or condition of their kind may stand.
    day_definitions_ = money_definitions_ = condition_definitions_ = 0;
    current_ = readable_ = 0;
    for (int i = static_cast<int>(pick(0, 4)); i > 0; --i) {
      switch (pick(0, 2)) {
        case 0:
          text += "define d" + std::to_string(day_definitions_) + " = " + days_number(0) + "\n";
          ++day_definitions_;
          break;
        case 1:
          text += "define m" + std::to_string(money_definitions_) + " = " + money_number(0) + "\n";
          ++money_definitions_;
          break;
        default:
          text += "define c" + std::to_string(condition_definitions_) + " = " + condition(1) + "\n";
          ++condition_definitions_;
      }
    }
    rules_ = static_cast<int>(pick(1, 5));
    // Runs of rules in decisions, under each hit policy. Rules read only
    // rules before them; in a priority decision only rules before the
    // decision, as a rule of higher severity may come first there.
    int decision_left = 0, decisions = 0;
    readable_ = 0;
    for (current_ = 0; current_ < rules_; ++current_) {
      if (decision_left == 0) readable_ = current_;
      if (decision_left == 0 && chance(3)) {
        static constexpr const char* policies[] = {"first", "priority", "collect"};
        const auto policy = pick(0, 2);
        decision_left = static_cast<int>(pick(1, rules_ - current_));
        text += "decision g" + std::to_string(decisions++) + " " + policies[policy] + " {\n";
        priority_ = policy == 1;
      }
      if (decision_left > 0 && !priority_) readable_ = current_;
      text += "rule r" + std::to_string(current_) + " {\n  when " + condition(0) + "\n";
      if (chance(3)) text += "  severity " + std::string(severities[pick(0, 4)]) + "\n";
      if (chance(4)) text += "  score " + money_number(1) + "\n";
      if (chance(3)) text += "  message \"" + message() + "\"\n";
      if (chance(3)) text += "  cooldown " + (span_params_ > 0 && chance(3) ? "q0" : span()) + "\n";
      if (chance(4)) text += "  raise_after " + wait() + "\n";
      if (chance(4)) text += "  clear_after " + wait() + "\n";
      text += "}\n";
      if (decision_left > 0 && --decision_left == 0) text += "}\n";
    }
    return text;
  }

  /// A ledger of 1–8 households over about two years around the leap day of 2020.
  random_history ledger() {
    random_history out;
    // Two ledgers in three carry event codes, on some events of every type.
    const bool coded = !chance(3);
    out.csv = coded ? "household,date,type,amount,code\n" : "household,date,type,amount\n";
    std::vector<std::tuple<std::string, day, std::string, cents>> rows;
    const int households = static_cast<int>(pick(1, 8));
    for (int h = 0; h < households; ++h) {
      const std::string id = "H" + std::to_string(h);
      // Month ends and the leap day are where calendar arithmetic goes wrong.
      day start = to_day({2019, 11, 1}) + static_cast<day>(pick(0, 300));
      if (chance(2)) {
        const civil_date c = to_civil(start);
        const int last = days_in_month(c.year, c.month);
        start = to_day({c.year, c.month, static_cast<int>(pick(std::min(28, last), last))});
      }
      if (chance(8)) start = to_day({2020, 2, 29});
      const cents rent = chance(5) ? pick(0, 50) * 100 : pick(100, 1000) * 100;
      const int months = static_cast<int>(pick(0, 24));
      // A quiet stretch: no rent and no payments for a few months.
      const int quiet_from = static_cast<int>(pick(0, 24)),
                quiet_for = static_cast<int>(pick(0, 8));
      bool plan_open = false;
      const std::size_t rows_before = rows.size();
      for (int m = 0; m < months; ++m) {
        if (m >= quiet_from && m < quiet_from + quiet_for) continue;
        const day due = add_months(start, m);
        auto near = [&](int most) { return due + static_cast<day>(pick(0, most)); };
        rows.emplace_back(id, due, "charge", rent);
        if (chance(6)) rows.emplace_back(id, due, "charge", pick(0, 200) * 100);
        const auto behaviour = pick(0, 9);
        if (behaviour < 5)
          rows.emplace_back(id, near(40), "payment", rent);
        else if (behaviour < 7)
          rows.emplace_back(id, near(60), "payment", pick(0, rent));
        else if (behaviour == 7)
          rows.emplace_back(id, near(10), "payment", 2 * rent + pick(0, 99));
        if (chance(6)) rows.emplace_back(id, near(20), "credit", pick(0, rent));
        if (chance(8)) {
          // Plans start with an instalment and end with 0; sometimes two on a day.
          const day d = near(28);
          rows.emplace_back(id, d, "plan", plan_open && chance(2) ? 0 : pick(10, 300) * 100);
          if (chance(6)) rows.emplace_back(id, d, "plan", pick(0, 1) * pick(10, 300) * 100);
          plan_open = !plan_open;
        }
        if (chance(12)) rows.emplace_back(id, near(28), "contact", 0);
        if (chance(15)) rows.emplace_back(id, near(28), "bump", pick(0, 500) * 100);
        if (chance(15)) rows.emplace_back(id, near(28), "rebate", pick(0, 500) * 100);
        if (chance(15)) rows.emplace_back(id, near(28), chance(2) ? "notice" : "letter", 0);
      }
      // Every household has an event; some only a neutral one.
      if (rows.size() == rows_before || chance(10)) rows.emplace_back(id, start, "notice", 0);
      // Hearings, from the household's first recorded day on, some far
      // beyond its last: known from the start, as a back-test knows them.
      day first_recorded = never;
      for (std::size_t i = rows_before; i < rows.size(); ++i)
        first_recorded = std::min(first_recorded, std::get<1>(rows[i]));
      for (int n = chance(2) ? static_cast<int>(pick(1, 3)) : 0; n > 0; --n)
        rows.emplace_back(id, first_recorded + static_cast<day>(pick(0, 900)), "hearing", 0);
    }
    // Attributes for most households, with empty fields (no value); a
    // review date around the history, so days_since and days_until turn.
    out.attributes = "household,rent,tenancy,vulnerable,review,adults,district\n";
    for (int h = 0; h < households; ++h) {
      if (chance(4)) continue;
      auto field = [&](std::string text) { return chance(4) ? std::string() : text; };
      static constexpr const char* tenancies[] = {"secure", "introductory", "flexible"};
      out.attributes +=
          "H" + std::to_string(h) + "," + field(std::to_string(pick(0, 600)) + ".50") + "," +
          field(tenancies[pick(0, 2)]) + "," + field(chance(2) ? "true" : "false") + "," +
          field(format_date(to_day({2019, 11, 1}) + static_cast<day>(pick(0, 1000)))) + "," +
          field(std::to_string(pick(0, 4))) + ",D" + std::to_string(pick(0, 3)) + "\n";
    }
    // Rows in no particular order: back-dated postings are the norm in a ledger.
    std::shuffle(rows.begin(), rows.end(), rng_);
    out.first = never;
    out.last = 0;
    for (const auto& [id, d, type, amount] : rows) {
      out.csv += id + "," + format_date(d) + "," + type + "," + format_cents(amount);
      // A plan's code is its frequency.
      static constexpr const char* frequencies[] = {"", "monthly", "weekly", "fortnightly",
                                                    "four_weekly"};
      if (coded && type == "plan")
        out.csv += std::string(",") + frequencies[pick(0, 4)];
      else if (coded)
        out.csv += "," + std::string(chance(3) ? "" : ledger_codes[pick(0, 2)]);
      out.csv += "\n";
      out.first = std::min(out.first, d);
      if (type != "hearing") out.last = std::max(out.last, d);  // the latest recorded date
    }
    return out;
  }

  /// A number in [lo, hi], for callers drawing dates and options.
  long long pick(long long lo, long long hi) {
    return std::uniform_int_distribution<long long>(lo, hi)(rng_);
  }
  /// True once in `n`.
  bool chance(int n) { return pick(1, n) == 1; }
  std::mt19937_64& engine() { return rng_; }

 private:
  static constexpr const char* severities[] = {"info", "low", "medium", "high", "critical"};
  static constexpr const char* types[] = {"charge", "payment", "credit", "plan",   "contact",
                                          "bump",   "rebate",  "notice", "letter", "hearing"};

  // Codes events carry; rules also name "d", which no event has.
  static constexpr const char* ledger_codes[] = {"a", "b", "c"};
  static constexpr const char* rule_codes[] = {"a", "b", "c", "d"};

  std::string type() { return types[pick(0, 9)]; }
  // A few quoted codes, comma-separated.
  std::string codes() {
    std::string out = std::string("\"") + rule_codes[pick(0, 3)] + "\"";
    for (int n = static_cast<int>(pick(0, 2)); n > 0; --n)
      out += std::string(", \"") + rule_codes[pick(0, 3)] + "\"";
    return out;
  }
  // The events a function reads: a type, sometimes only its events with some codes.
  std::string selector() { return chance(5) ? type() + "(" + codes() + ")" : type(); }
  // A text attribute compared with texts; "council" no household has.
  std::string tenancy_condition() {
    static constexpr const char* texts[] = {"secure", "introductory", "flexible", "council"};
    switch (pick(0, 2)) {
      case 0:
        return std::string("tenancy == \"") + texts[pick(0, 3)] + "\"";
      case 1:
        return std::string("tenancy != \"") + texts[pick(0, 3)] + "\"";
      default:
        return std::string("tenancy in (\"") + texts[pick(0, 3)] + "\", \"" + texts[pick(0, 3)] +
               "\")";
    }
  }
  // The code of the latest event of a type compared with codes.
  std::string code_condition() {
    const std::string code = "code(" + type() + ")";
    switch (pick(0, 2)) {
      case 0:
        return code + " == \"" + rule_codes[pick(0, 3)] + "\"";
      case 1:
        return code + " != \"" + rule_codes[pick(0, 3)] + "\"";
      default:
        return code + " in (" + codes() + ")";
    }
  }

  // A window or duration: days, weeks, months and years, around the month
  // lengths and the year where calendar arithmetic differs from counting.
  // A raise_after or clear_after: mostly days or weeks, as rules wait.
  std::string wait() {
    if (span_params_ > 0 && chance(4)) return "q0";
    return chance(3) ? span() : std::to_string(pick(0, 21)) + "d";
  }
  std::string span() {
    switch (pick(0, 3)) {
      case 0:
        return std::to_string(pick(1, 120)) + "d";
      case 1:
        return std::to_string(pick(1, 10)) + "w";
      case 2:
        return std::to_string(pick(1, 14)) + "m";
      default:
        return std::to_string(pick(1, 2)) + "y";
    }
  }
  std::string window() {
    static constexpr const char* to_date[] = {"week_to_date", "month_to_date", "year_to_date"};
    if (chance(6)) return to_date[pick(0, 2)];
    // Windows computed per household and date: checked daily by the schedule.
    if (chance(10)) return chance(2) ? "days_since(" + type() + ")" : span() + " + " + span();
    return span_params_ > 0 && chance(6) ? "q0" : span();
  }
  std::string optional_window() { return chance(4) ? "" : ", " + window(); }

  // A number counted in days: growing signals and the days since an event.
  std::string days_term() {
    if (day_definitions_ > 0 && chance(5))
      return "d" + std::to_string(pick(0, day_definitions_ - 1));
    if (attributes_ && chance(6)) return chance(2) ? "days_since(review)" : "days_until(review)";
    switch (pick(0, 4)) {
      case 0:
        return "arrears_days";
      case 1:
        return "tenure_days";
      case 2:
        return chance(4) ? "days_until(hearing(" + codes() + "))" : "days_until(hearing)";
      default:
        return "days_since(" + selector() + ")";
    }
  }
  // A count of events.
  std::string count_term() {
    if (attributes_ && chance(8)) return "adults";
    return "count(" + selector() + optional_window() + ")";
  }
  // A threshold in days: a number, a duration, durations in arithmetic, a param.
  std::string days_threshold() {
    switch (pick(0, 6)) {
      case 0:
        return std::to_string(pick(0, 400));
      case 1:
      case 2:
        return span();
      case 3:
        return span() + (chance(2) ? " + " : " - ") + span();
      case 4:
        return std::to_string(pick(2, 3)) + " * " + span();
      case 5:
        if (span_params_ > 0) return "q" + std::to_string(pick(0, span_params_ - 1));
        return std::to_string(pick(0, 100));
      default:
        if (number_params_ > 0) return "p" + std::to_string(pick(0, number_params_ - 1));
        return std::to_string(pick(0, 100));
    }
  }
  std::string days_number(int depth) {
    if (depth < 2 && chance(4)) {
      switch (pick(0, 7)) {
        case 7:
          // Piecewise linear: the schedule checks these daily while a side moves.
          return std::string(chance(2) ? "max(" : "min(") + days_term() + ", " +
                 (chance(2) ? days_threshold() : days_term()) + ")";
        case 4:
          return std::to_string(pick(2, 3)) + " * " + days_term();
        case 5:
          return days_term() + " - " + days_term();
        case 6:
          // Not linear in the days ahead: the schedule checks these daily.
          // Days times or over a count are days; so is days × days / days.
          if (chance(2)) return days_term() + " * " + days_term() + " / " + days_term();
          return days_term() + (chance(2) ? " * " : " / ") + count_term();
        case 0:
          return days_term() + " - " + days_threshold();
        case 1:
          return std::to_string(pick(0, 200)) + " - " + days_term();
        case 2:
          return days_term() + " + " + days_term();
        default:
          return "(" + days_term() + ") / " + std::to_string(pick(1, 3));
      }
    }
    return days_term();
  }

  // A number counted in money.
  std::string money_term() {
    if (money_definitions_ > 0 && chance(5))
      return "m" + std::to_string(pick(0, money_definitions_ - 1));
    if (attributes_ && chance(6))
      return chance(2) ? "rent" : std::to_string(pick(2, 8)) + " * rent";
    switch (pick(0, 10)) {
      case 0:
        return "balance";
      case 1:
        return "arrears";
      case 2:
        return "sum(" + selector() + optional_window() + ")";
      case 3:
        return "avg(" + selector() + optional_window() + ")";
      case 4:
        return "min(" + selector() + optional_window() + ")";
      case 5:
        return "max(" + selector() + optional_window() + ")";
      case 6:
        return "last(" + selector() + ")";
      case 7:
        if (chance(3)) return "plan_shortfall";
        return "balance_at(" + window() + ")";
      case 8:
        // An average by hand: money over a count is money.
        return "sum(" + type() + ", " + window() + ") / " + count_term();
      default:
        return "sum(" + type() + ", " + window() + ")";
    }
  }
  std::string money_threshold() {
    if (number_params_ > 0 && chance(5)) return "p" + std::to_string(pick(0, number_params_ - 1));
    static constexpr const char* amounts[] = {"0",   "0.5", "50",   "100",
                                              "250", "500", "1000", "2000"};
    return amounts[pick(0, 7)];
  }
  std::string money_number(int depth) {
    if (depth < 2 && chance(3)) {
      switch (pick(0, 4)) {
        case 4:
          return std::string(chance(2) ? "max(" : "min(") + money_term() + ", " +
                 (chance(2) ? money_threshold() : money_term()) + ")";
        case 0:
          return money_term() + " - " + money_term();
        case 1:
          return money_term() + " + " + money_threshold();
        case 2:
          return std::to_string(pick(1, 3)) + " * " + money_term();
        default:
          return money_term() + " / " + std::to_string(pick(1, 4));
      }
    }
    return money_term();
  }

  // A trend, in money per month.
  std::string trend_term() {
    return std::string("trend(") + (chance(2) ? "balance" : "arrears") + ", " +
           (chance(6) ? std::to_string(pick(1, 2)) + "y" : std::to_string(pick(2, 12)) + "m") + ")";
  }

  // A comparison of two numbers of one unit (or one of them plain).
  std::string comparison() {
    static constexpr const char* ops[] = {"<", "<=", ">", ">=", "==", "!="};
    const std::string op = ops[chance(5) ? pick(4, 5) : pick(0, 3)];
    std::string left, right;
    switch (pick(0, 6)) {
      case 0:
      case 1:
        left = days_number(0);
        right = days_threshold();
        break;
      case 2:
        left = money_number(0);
        right = money_threshold();
        break;
      case 3:
        left = count_term();
        right = chance(3) ? count_term() : std::to_string(pick(0, 6));
        break;
      case 4:
        left = trend_term();
        right = chance(4) ? trend_term() : money_threshold();
        break;
      case 5:
        // A ratio: money over money, days over days.
        left = chance(2) ? money_term() + " / " + money_term() : days_term() + " / " + days_term();
        right = chance(2) ? "1" : "0.5";
        break;
      default:
        left = money_number(0);
        right = money_number(1);
    }
    return chance(4) ? right + " " + op + " " + left : left + " " + op + " " + right;
  }

  std::string condition(int depth) {
    const auto k = depth >= 3 ? pick(0, 5) : pick(0, 11);
    switch (k) {
      case 0:
      case 1:
      case 2:
        return comparison();
      case 3:
        if (condition_definitions_ > 0 && chance(2))
          return "c" + std::to_string(pick(0, condition_definitions_ - 1));
        if (attributes_ && chance(2)) return chance(2) ? "vulnerable" : tenancy_condition();
        return chance(2) ? "plan_active" : "plan_breached";
      case 4:
        return "missing(" +
               (chance(3)                  ? days_term()
                : attributes_ && chance(4) ? (chance(2) ? "tenancy" : "rent")
                : chance(2)                ? money_term()
                : chance(4)                ? "code(" + type() + ")"
                                           : trend_term()) +
               ")";
      case 5:
        if (readable_ > 0 && chance(2)) return "r" + std::to_string(pick(0, readable_ - 1));
        return chance(3) ? latest_condition() : chance(2) ? number_in() : code_condition();
      case 6:
      case 7:
        return condition(depth + 1) + " and " + condition(depth + 1);
      case 8:
      case 9:
        return "(" + condition(depth + 1) + " or " + condition(depth + 1) + ")";
      case 10:
        return "not (" + condition(depth + 1) + ")";
      default:
        return "(" + comparison() + ") == (" + condition(depth + 1) + ")";
    }
  }

  // latest() of a few types compared with one of them, or in a few.
  std::string latest_condition() {
    std::vector<std::string> chosen;
    for (int n = static_cast<int>(pick(1, 4)); n > 0; --n) {
      const std::string t = type();
      if (std::find(chosen.begin(), chosen.end(), t) == chosen.end()) chosen.push_back(t);
    }
    std::string call = "latest(";
    for (std::size_t i = 0; i < chosen.size(); ++i) call += (i ? ", " : "") + chosen[i];
    call += ")";
    auto one = [&] { return chosen[static_cast<std::size_t>(pick(0, chosen.size() - 1))]; };
    switch (pick(0, 2)) {
      case 0:
        return call + " == " + one();
      case 1:
        return call + " != " + one();
      default:
        return call + " in (" + one() + (chance(2) ? ", " + one() : "") + ")";
    }
  }
  // A number in a list of numbers and params: days and counts hit them exactly.
  std::string number_in() {
    std::string items = std::to_string(pick(0, 120));
    for (int n = static_cast<int>(pick(0, 3)); n > 0; --n)
      items += ", " + (number_params_ > 0 && chance(3)
                           ? "p" + std::to_string(pick(0, number_params_ - 1))
                           : std::to_string(pick(0, 120)));
    return (chance(3) ? count_term() : days_number(1)) + " in (" + items + ")";
  }

  std::string message() {
    switch (pick(0, 3)) {
      case 0:
        return "owing {arrears} for {arrears_days} days";
      case 1:
        return "{" + days_term() + "} and {" + money_term() + "}";
      case 2:
        if (attributes_ && chance(2)) return "{tenancy}, {vulnerable}, rent {rent}";
        return chance(2) ? "last {latest(letter, notice, contact)}"
                         : "coded {code(" + type() + ")}";
      default:
        return "plain words";
    }
  }

  std::mt19937_64 rng_;
  int number_params_ = 0, span_params_ = 0, rules_ = 0, current_ = 0;
  int readable_ = 0;         // rules r0 … r(readable_ - 1) may be read
  bool priority_ = false;    // the open decision's policy is priority
  bool attributes_ = false;  // the ruleset declares household attributes
  int day_definitions_ = 0, money_definitions_ = 0, condition_definitions_ = 0;
};

}  // namespace earlywarn::testing

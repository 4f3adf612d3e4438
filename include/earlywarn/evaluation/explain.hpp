#pragma once
/// \file explain.hpp
/// Why a rule fired, or did not, for one household (docs/language.md, Outputs).

#include <algorithm>
#include <string>
#include <vector>

#include "earlywarn/evaluation/household_evaluator.hpp"
#include "earlywarn/evaluation/worklist.hpp"

namespace earlywarn {

/// What a reading's value is, for formats that type their values (JSON).
enum class reading_kind : std::uint8_t {
  number,   ///< a decimal number: an amount, a count, days (`17065.00`, `42`)
  boolean,  ///< `true` or `false`
  text,     ///< a text: an event type, a code, a text attribute
  date,     ///< a date attribute, `YYYY-MM-DD`
};

/// One value an expression read: its text in the rules file and its value.
struct reading {
  std::string expression;  ///< as written, e.g. `arrears_days > grace_days`
  std::string value;       ///< `42`, `17065.00`, `true`, `n/a` (no value, of any kind)
  reading_kind kind = reading_kind::number;
};

/// A rule's verdict for one household, with everything its condition read
/// and, in a decision, which rule took precedence over it.
struct rule_explanation {
  std::string rule;
  bool fired = false;
  severity level = severity::medium;
  value score;
  std::string message;  ///< empty when the rule did not fire
  std::string when;     ///< the condition as written
  std::vector<reading> readings;
  std::string decision;  ///< the decision it belongs to; empty outside one
  /// Its when clause holds. Differs from `fired` only in a decision, where
  /// a rule before it in precedence order held and took precedence.
  bool holds = false;
  std::string outranked_by;  ///< that rule, when holds and not fired
};

/// Every rule's verdict for one household as of a date.
struct household_explanation {
  std::string household_id;
  day as_of = 0;
  bool exists = false;  ///< false before the household's first event
  std::string ruleset_name;
  std::int64_t ruleset_version = 0;
  std::string fingerprint;
  std::vector<reading> signals;         ///< the built-in signals
  std::vector<reading> attributes;      ///< the household attributes the rules declare
  std::vector<rule_explanation> rules;  ///< in the order of the rules file
};

namespace detail {

inline reading_kind attribute_reading_kind(const ruleset& rs, std::uint32_t a) {
  switch (rs.attributes[a].kind) {
    case attribute_kind::text:
      return reading_kind::text;
    case attribute_kind::date:
      return reading_kind::date;
    case attribute_kind::flag:
      return reading_kind::boolean;
    default:
      return reading_kind::number;
  }
}

// The kind of household_evaluator::text(node).
inline reading_kind node_reading_kind(const ruleset& rs, std::uint32_t node,
                                      const household_evaluator& e) {
  const expr_node& n = rs.nodes[node];
  if (n.type == expr_type::boolean) return reading_kind::boolean;
  if (n.op == opcode::term) {
    const term_kind k = rs.terms[n.a].kind;
    if (k == term_kind::latest || k == term_kind::code) return reading_kind::text;
    if (k == term_kind::attribute) return attribute_reading_kind(rs, e.bound().term_attribute(n.a));
  }
  return reading_kind::number;
}

// Collects the leaves and comparisons of a condition, children first, each
// text once: what a caseworker needs to see why it came out as it did.
inline void collect_readings(household_evaluator& e, const ruleset& rs, std::uint32_t node,
                             std::vector<reading>& out) {
  const expr_node& n = rs.nodes[node];
  const std::string_view text = rs.text_of(n);
  // A definition read by its name: shown by it, whatever it is made of.
  bool named = false;
  for (const definition& d : rs.definitions) named = named || d.name == text;
  if (n.op == opcode::constant && !named) return;
  if (operand_count(n.op) >= 1) collect_readings(e, rs, n.a, out);
  if (operand_count(n.op) == 2) collect_readings(e, rs, n.b, out);
  const bool worth_showing = n.op != opcode::logical_and && n.op != opcode::logical_or &&
                             n.op != opcode::logical_not && n.op != opcode::negate;
  if (!worth_showing && !named) return;
  // `code(letter) == "final"` is one term: the code compared is shown first.
  if (n.op == opcode::term &&
      (rs.terms[n.a].kind == term_kind::code_in || rs.terms[n.a].kind == term_kind::code_not_in)) {
    std::string code = "code(" + rs.terms[n.a].event_type + ")";
    bool seen = false;
    for (const reading& r : out) seen = seen || r.expression == code;
    if (!seen) out.push_back({std::move(code), e.latest_code(n.a), reading_kind::text});
  }
  // So is `tenancy == "secure"`: the attribute's text first.
  if (n.op == opcode::term && (rs.terms[n.a].kind == term_kind::attribute_in ||
                               rs.terms[n.a].kind == term_kind::attribute_not_in)) {
    bool seen = false;
    for (const reading& r : out) seen = seen || r.expression == rs.terms[n.a].attribute;
    if (!seen) {
      const std::uint32_t a = e.bound().term_attribute(n.a);
      out.push_back({rs.terms[n.a].attribute, e.attribute_text(a), attribute_reading_kind(rs, a)});
    }
  }
  for (const reading& r : out)
    if (r.expression == text) return;
  out.push_back({std::string(text), e.text(node), node_reading_kind(rs, node, e)});
}

}  // namespace detail

/// Explains every rule for household `h` as of `as_of`; throws
/// std::invalid_argument for an index beyond the ledger's households or a
/// date outside 0001-01-01 to 9999-12-31.
[[nodiscard]] inline household_explanation explain(const ruleset& rules, const ledger& events,
                                                   household_index h, day as_of) {
  detail::check_household_index(h, events.household_count());
  detail::check_calendar_date(as_of, "as_of");
  const bound_ruleset bound(rules, events);
  household_evaluator e(bound);
  e.start(h, as_of);
  household_explanation out;
  out.household_id = std::string(events.household_id(h));
  out.as_of = as_of;
  out.exists = e.exists();
  out.ruleset_name = rules.name;
  out.ruleset_version = rules.version;
  out.fingerprint = rules.fingerprint;
  const household_signals& s = e.signals();
  const plan_status plan = s.plan();
  constexpr reading_kind number = reading_kind::number, boolean = reading_kind::boolean;
  out.signals = {{"balance", value::money(s.balance()).to_string(), number},
                 {"arrears", value::money(s.arrears()).to_string(), number},
                 {"arrears_days", std::to_string(s.arrears_days()), number},
                 {"tenure_days", std::to_string(s.tenure_days()), number},
                 {"plan_active", plan.active ? "true" : "false", boolean},
                 {"plan_breached", plan.breached ? "true" : "false", boolean},
                 {"plan_shortfall", s.plan_shortfall().to_string(), number}};
  for (std::uint32_t a = 0; a < rules.attributes.size(); ++a)
    out.attributes.push_back(
        {rules.attributes[a].name, e.attribute_text(a), detail::attribute_reading_kind(rules, a)});
  for (std::uint32_t r = 0; r < rules.rules.size(); ++r) {
    rule_explanation x;
    const rule& def = rules.rules[r];
    x.rule = def.name;
    x.level = def.level;
    x.when = std::string(rules.text_of(rules.nodes[def.condition]));
    if (def.in_decision) x.decision = rules.decisions[*def.in_decision].name;
    if (out.exists) {
      x.fired = e.fired(r);
      x.holds = e.condition(def.condition);
      x.score = e.score(r);
      if (x.fired) x.message = e.message(r);
      detail::collect_readings(e, rules, def.condition, x.readings);
      if (x.holds && !x.fired)
        for (const std::uint32_t before : rules.decisions[*def.in_decision].rules) {
          if (before == r) break;
          if (e.condition(rules.rules[before].condition)) {
            x.outranked_by = rules.rules[before].name;
            break;
          }
        }
    }
    out.rules.push_back(std::move(x));
  }
  return out;
}

/// The explanation as text for people: the signals, the attributes, then
/// each rule with what it read (the CLI's `explain`).
inline std::string explanation_text(const household_explanation& x) {
  std::string out = "household " + x.household_id + " as of " + format_date(x.as_of) + "\n";
  out += "ruleset \"" + x.ruleset_name + "\" version " + std::to_string(x.ruleset_version) +
         " (fingerprint " + x.fingerprint + ")\n";
  if (!x.exists)
    return out + "\nno events on or before this date: the household is not evaluated\n";
  out += "\nsignals\n";
  auto aligned = [&](const reading& s) {
    out += "  " + s.expression +
           std::string(16 - std::min<std::size_t>(15, s.expression.size()), ' ') + s.value + "\n";
  };
  for (const reading& s : x.signals) aligned(s);
  if (!x.attributes.empty()) out += "\nattributes\n";
  for (const reading& s : x.attributes) aligned(s);
  for (const rule_explanation& r : x.rules) {
    out += "\n";
    out += r.fired ? "FIRED      " : "not fired  ";
    out += r.rule + "  [" + std::string(to_string(r.level));
    if (r.fired) out += ", score " + r.score.to_string();
    if (!r.decision.empty()) out += ", decision " + r.decision;
    out += "]\n  when " + r.when + "\n";
    for (const reading& v : r.readings) out += "    " + v.expression + " = " + v.value + "\n";
    if (!r.outranked_by.empty())
      out +=
          "  holds, but " + r.outranked_by + " takes precedence in decision " + r.decision + "\n";
    if (r.fired && !r.message.empty()) out += "  message: " + r.message + "\n";
  }
  return out;
}

namespace detail {
// A reading's value as JSON: numbers and booleans bare, texts quoted, no value null.
inline void append_json_reading(std::string& out, const reading& r) {
  if (r.value == "n/a")
    out += "null";
  else if (r.kind == reading_kind::text || r.kind == reading_kind::date)
    append_json_string(out, r.value);
  else
    out += r.value;
}
inline void append_json_readings(std::string& out, const std::vector<reading>& readings) {
  out += '{';
  for (std::size_t i = 0; i < readings.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, readings[i].expression);
    out += ':';
    append_json_reading(out, readings[i]);
  }
  out += '}';
}
}  // namespace detail

/// The name of a reading kind: `number`, `boolean`, `text` or `date`.
inline const char* to_string(reading_kind k) noexcept {
  switch (k) {
    case reading_kind::number:
      return "number";
    case reading_kind::boolean:
      return "boolean";
    case reading_kind::text:
      return "text";
    case reading_kind::date:
      return "date";
  }
  return "text";
}

/// The explanation as one JSON document (the CLI's `explain --format json`):
/// the household, date and ruleset, `signals` and `attributes` as objects of
/// expression to value, and `rules`, each with its `readings` as a list of
/// {expression, value}. Values are typed: numbers and booleans bare, texts
/// and dates as strings, no value (`n/a`) as null (docs/cli.md, JSON).
inline std::string explanation_json(const household_explanation& x) {
  std::string out = "{\"household\":";
  append_json_string(out, x.household_id);
  out += ",\"as_of\":\"" + format_date(x.as_of) + "\",\"exists\":" + (x.exists ? "true" : "false");
  out += ",\"ruleset\":";
  append_json_string(out, x.ruleset_name);
  out += ",\"version\":" + std::to_string(x.ruleset_version) + ",\"fingerprint\":\"" +
         x.fingerprint + "\",\"signals\":";
  detail::append_json_readings(out, x.signals);
  out += ",\"attributes\":";
  detail::append_json_readings(out, x.attributes);
  out += ",\"rules\":[";
  for (std::size_t i = 0; i < x.rules.size(); ++i) {
    const rule_explanation& r = x.rules[i];
    out += i ? ",\n" : "\n";
    out += "{\"rule\":";
    append_json_string(out, r.rule);
    out += ",\"fired\":" + std::string(r.fired ? "true" : "false") + ",\"severity\":\"" +
           std::string(to_string(r.level)) + "\",\"score\":" + json_number(r.score) +
           ",\"message\":";
    if (r.fired)
      append_json_string(out, r.message);
    else
      out += "null";
    out += ",\"when\":";
    append_json_string(out, r.when);
    out += ",\"holds\":" + std::string(r.holds ? "true" : "false") + ",\"decision\":";
    if (r.decision.empty())
      out += "null";
    else
      append_json_string(out, r.decision);
    out += ",\"outranked_by\":";
    if (r.outranked_by.empty())
      out += "null";
    else
      append_json_string(out, r.outranked_by);
    out += ",\"readings\":[";
    for (std::size_t k = 0; k < r.readings.size(); ++k) {
      if (k) out += ',';
      out += "{\"expression\":";
      append_json_string(out, r.readings[k].expression);
      out += ",\"value\":";
      detail::append_json_reading(out, r.readings[k]);
      out += '}';
    }
    out += "]}";
  }
  out += "\n]}\n";
  return out;
}

}  // namespace earlywarn

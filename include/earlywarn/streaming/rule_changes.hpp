#pragma once
/// \file rule_changes.hpp
/// Which rules a new version of a ruleset keeps, changes, adds and removes
/// (docs/streams.md, Reloading rules): what a running stream carries over.

#include <string>
#include <vector>

#include "earlywarn/model/ruleset.hpp"

namespace earlywarn {

namespace detail {

// Appends what node `n` computes, independent of where it is written and
// what its names are: operations, constants, param values, terms with their
// windows, and the meaning of the rules it reads.
inline void append_meaning(const ruleset& rs, std::uint32_t n, std::string& out);

inline void append_rule_meaning(const ruleset& rs, std::uint32_t r, std::string& out) {
  const rule& x = rs.rules[r];
  out += "rule ";
  out += to_string(x.level);
  out += " when ";
  append_meaning(rs, x.when, out);
  out += " score ";
  if (x.score) append_meaning(rs, *x.score, out);
  out += " message ";
  for (const message_part& p : x.message) {
    if (p.expression) {
      out += '{';
      append_meaning(rs, *p.expression, out);
      out += '}';
    } else {
      out += std::to_string(p.text.size()) + ':' + p.text;
    }
  }
  auto clause = [&](const char* name, const std::optional<duration>& d) {
    if (d) out += std::string(" ") + name + " " + to_string(*d);
  };
  clause("cooldown", x.cooldown);
  clause("raise_after", x.raise_after);
  clause("clear_after", x.clear_after);
}

inline void append_meaning(const ruleset& rs, std::uint32_t n, std::string& out) {
  const expr_node& node = rs.nodes[n];
  out += '(' + std::to_string(static_cast<int>(node.op)) + ' ';
  switch (node.op) {
    case opcode::constant:
      out += rs.constants[node.a].to_string();
      break;
    case opcode::param: {
      const param& p = rs.params()[node.a];
      out += p.span ? to_string(*p.span) : p.number.to_string();
      break;
    }
    case opcode::duration_days:
      out += to_string(rs.durations[node.a]);
      break;
    case opcode::term: {
      // The call as written names its types and codes; its window is
      // resolved (a param may give it), and an attribute's kind is its meaning.
      const term& t = rs.terms[node.a];
      out += rs.text_of(node);
      if (t.window) out += " window " + to_string(*t.window);
      if (t.window_days) {
        out += " window ";
        append_meaning(rs, *t.window_days, out);
      }
      if (!t.attribute.empty())
        for (const attribute_declaration& a : rs.attributes)
          if (a.name == t.attribute) out += " kind " + std::string(to_string(a.kind));
      break;
    }
    case opcode::rule:
      out += rs.rules[node.a].name + ' ';
      append_rule_meaning(rs, node.a, out);
      break;
    case opcode::member:
      append_meaning(rs, node.a, out);
      out += " in";
      for (const value& v : rs.value_sets[node.b]) out += ' ' + v.to_string();
      break;
    default:
      if (operand_count(node.op) >= 1) append_meaning(rs, node.a, out);
      if (operand_count(node.op) == 2) append_meaning(rs, node.b, out);
  }
  out += ')';
}

}  // namespace detail

/// What a rule means, as text: equal for two rules exactly when they fire
/// for the same households on the same days with the same score and
/// message and raise and clear alerts alike, whatever else differs between
/// their rulesets (comments, other rules, names of params and definitions).
/// The event types the ruleset declares belong to every rule's meaning, as
/// they move the balance.
inline std::string rule_meaning(const ruleset& rs, std::uint32_t r) {
  std::string out = "events";
  for (const event_declaration& e : rs.events)
    out += ' ' + e.name + ':' + std::to_string(static_cast<int>(e.effect)) +
           (e.scheduled ? ":scheduled" : "");
  out += '\n';
  detail::append_rule_meaning(rs, r, out);
  return out;
}

/// The rules of a new ruleset against an old one, by name.
struct rule_changes {
  std::vector<std::string> kept;     ///< in both, with the same meaning
  std::vector<std::string> changed;  ///< in both, with another meaning
  std::vector<std::string> added;    ///< only in the new ruleset
  std::vector<std::string> removed;  ///< only in the old ruleset
};

/// Compares two rulesets rule by rule (rule_meaning()); each list in the
/// order of its ruleset's file.
inline rule_changes compare_rules(const ruleset& before, const ruleset& after) {
  rule_changes out;
  for (std::uint32_t r = 0; r < after.rules.size(); ++r) {
    const auto old = before.find_rule(after.rules[r].name);
    if (!old)
      out.added.push_back(after.rules[r].name);
    else if (rule_meaning(before, *old) == rule_meaning(after, r))
      out.kept.push_back(after.rules[r].name);
    else
      out.changed.push_back(after.rules[r].name);
  }
  for (const rule& r : before.rules)
    if (!after.find_rule(r.name)) out.removed.push_back(r.name);
  return out;
}

}  // namespace earlywarn

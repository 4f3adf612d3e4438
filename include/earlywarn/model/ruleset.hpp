#pragma once
/// \file ruleset.hpp
/// A compiled ruleset: what the rules front end produces and evaluation reads.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "earlywarn/loading/diagnostic.hpp"
#include "earlywarn/model/duration.hpp"
#include "earlywarn/model/event_type.hpp"
#include "earlywarn/model/value.hpp"

namespace earlywarn {

/// How urgent a fired rule is; the worklist puts critical first.
enum class severity : std::uint8_t { info, low, medium, high, critical };

/// `info`, `low`, `medium`, `high`, `critical`.
constexpr std::string_view to_string(severity s) noexcept {
  constexpr std::string_view names[] = {"info", "low", "medium", "high", "critical"};
  return names[static_cast<int>(s)];
}

/// The severity with this name, if any.
constexpr std::optional<severity> parse_severity(std::string_view name) noexcept {
  for (int i = 0; i <= static_cast<int>(severity::critical); ++i)
    if (to_string(static_cast<severity>(i)) == name) return static_cast<severity>(i);
  return std::nullopt;
}

/// What a term computes for one household as of a date (docs/language.md, Signals and functions).
enum class term_kind : std::uint8_t {
  balance,
  arrears,
  arrears_days,
  tenure_days,
  plan_active,
  plan_breached,
  sum,
  count,
  avg,
  min,
  max,
  last,
  days_since,
  balance_at,
  trend_balance,
  trend_arrears,
  plan_shortfall,  ///< how far the balance is above what the plan in force allows
  days_until,      ///< days to the next event of a scheduled type, on or after the as-of date
  latest,          ///< which of event_types had the latest event: 1 + its position
  code,            ///< the code of the latest event of event_type (shown, never compared)
  code_in,         ///< whether the code of the latest event of event_type is one of codes
  code_not_in,     ///< whether it has a code that is none of codes
  /// The household attribute `attribute`: a number in its unit, a text's id
  /// (shown, never compared) or a flag (docs/language.md, Household attributes).
  attribute,
  attribute_flag,        ///< a flag attribute: a condition
  attribute_in,          ///< whether a text attribute is one of codes
  attribute_not_in,      ///< whether it has a text that is none of codes
  attribute_days_since,  ///< days from a date attribute to the as-of date, once it has come
  attribute_days_until,  ///< days from the as-of date to a date attribute, until it has passed
};

/// True for the terms that are conditions rather than numbers.
constexpr bool is_boolean(term_kind k) noexcept {
  return k == term_kind::plan_active || k == term_kind::plan_breached || k == term_kind::code_in ||
         k == term_kind::code_not_in || k == term_kind::attribute_flag ||
         k == term_kind::attribute_in || k == term_kind::attribute_not_in;
}

/// True for the terms that read a household attribute rather than events.
constexpr bool reads_attribute(term_kind k) noexcept {
  return k >= term_kind::attribute && k <= term_kind::attribute_days_until;
}

/// A leaf that reads the ledger: a signal or a function call with its
/// arguments resolved. Equal calls share one term, computed once per household.
struct term {
  term_kind kind = term_kind::balance;
  std::string event_type;                ///< for sum … days_until
  std::optional<duration> window;        ///< the window; none means all history
  std::vector<std::string> event_types;  ///< for latest, in the order written
  /// A window computed for each household as of each date: the node of an
  /// expression in days (`balance_at(days_since(plan))`); `window` is then empty.
  std::optional<std::uint32_t> window_days;
  /// Sorted, distinct event codes (docs/language.md, Event codes). For sum …
  /// days_until, the term reads only the events of event_type with one of
  /// these codes (none: every event of the type); for code_in and
  /// code_not_in, the codes the latest event's code is compared with.
  std::vector<std::string> codes;
  /// For the attribute kinds: the household attribute read (codes then
  /// holds the texts an attribute_in or attribute_not_in compares with).
  std::string attribute;
  /// Calls `f` with each event type the term reads (event_type, or the
  /// types of latest(...)).
  template <class F>
  void for_each_type(F&& f) const {
    if (!event_type.empty()) f(event_type);
    for (const std::string& name : event_types) f(name);
  }
  friend bool operator==(const term&, const term&) = default;
};

/// The operation of an expression node.
enum class opcode : std::uint8_t {
  constant,       ///< constants[a]
  param,          ///< params[a], a number
  duration_days,  ///< durations[a] as a number of days ending on the as-of date
  term,           ///< terms[a]
  rule,           ///< whether rules[a] fired
  negate,
  add,
  subtract,
  multiply,
  divide,
  less,
  less_equal,
  greater,
  greater_equal,
  equal,
  not_equal,
  logical_and,
  logical_or,
  logical_not,
  missing,
  minimum,  ///< min(a, b) of two numbers
  maximum,  ///< max(a, b) of two numbers
  member,   ///< a is one of value_sets[b] (`x in (1, 2)`)
};

/// How many operands `op` reads: 0 for a leaf (its `a` indexes a table of the
/// ruleset), 1 (`a`) for negate, not and missing, 2 (`a`, `b`) for the rest.
/// The one place that says so: walks over expressions ask it.
constexpr int operand_count(opcode op) noexcept {
  switch (op) {
    case opcode::constant:
    case opcode::param:
    case opcode::duration_days:
    case opcode::term:
    case opcode::rule:
      return 0;
    case opcode::negate:
    case opcode::logical_not:
    case opcode::missing:
    case opcode::member:  // b indexes value_sets, not nodes
      return 1;
    case opcode::add:
    case opcode::subtract:
    case opcode::multiply:
    case opcode::divide:
    case opcode::less:
    case opcode::less_equal:
    case opcode::greater:
    case opcode::greater_equal:
    case opcode::equal:
    case opcode::not_equal:
    case opcode::logical_and:
    case opcode::logical_or:
    case opcode::minimum:
    case opcode::maximum:
      return 2;
  }
  return 2;
}

/// The comparison `op` seen from its other side: a < b is b > a.
constexpr opcode mirrored(opcode op) noexcept {
  switch (op) {
    case opcode::less:
      return opcode::greater;
    case opcode::less_equal:
      return opcode::greater_equal;
    case opcode::greater:
      return opcode::less;
    case opcode::greater_equal:
      return opcode::less_equal;
    default:
      return op;  // == and != read the same both ways
  }
}

/// Whether comparison `op` holds when its sides compare as `c` (-1, 0 or 1);
/// false for opcodes that are not comparisons.
constexpr bool comparison_holds(opcode op, int c) noexcept {
  switch (op) {
    case opcode::less:
      return c < 0;
    case opcode::less_equal:
      return c <= 0;
    case opcode::greater:
      return c > 0;
    case opcode::greater_equal:
      return c >= 0;
    case opcode::equal:
      return c == 0;
    case opcode::not_equal:
      return c != 0;
    default:
      return false;
  }
}

/// Whether an expression yields a number (or no value) or a condition.
enum class expr_type : std::uint8_t { number, boolean };

/// One node of a rule's expression tree; children are indices into `nodes`.
struct expr_node {
  opcode op = opcode::constant;
  expr_type type = expr_type::number;
  unit measure = unit::number;
  std::uint32_t a = 0;             ///< first child, or the index of the constant/param/term/rule
  std::uint32_t b = 0;             ///< second child of binary operations
  std::uint32_t source_begin = 0;  ///< byte range of the expression in the rules text
  std::uint32_t source_end = 0;
};

/// A named constant of the ruleset, overridable when loading.
struct param {
  std::string name;
  value number;                  ///< its value as a number (days for durations)
  std::optional<duration> span;  ///< set when the param is a duration (`90d`, `3m`)
  source_location where;
  bool overridden = false;  ///< set from outside the file
};

/// A custom event type declared by the ruleset.
struct event_declaration {
  std::string name;
  balance_effect effect = balance_effect::neutral;
  /// Declared `scheduled`: its events may be dated after the as-of date
  /// (hearings, the end of a pause), read by days_until() and never moving a
  /// stream's clock (docs/language.md, Scheduled events). Neutral.
  bool scheduled = false;
  source_location where;
};

/// What a household attribute holds (docs/language.md, Household attributes).
enum class attribute_kind : std::uint8_t {
  text,    ///< a short text, compared with quoted texts
  flag,    ///< true or false: a condition
  date,    ///< a date, read as days_since() or days_until() it
  money,   ///< an amount of money
  days,    ///< a whole number of days
  count,   ///< a whole number of things
  number,  ///< a plain number
};

/// `text`, `flag`, `date`, `money`, `days`, `count`, `number`.
constexpr std::string_view to_string(attribute_kind k) noexcept {
  constexpr std::string_view names[] = {"text", "flag", "date", "money", "days", "count", "number"};
  return names[static_cast<int>(k)];
}

/// The attribute kind with this name, if any.
constexpr std::optional<attribute_kind> parse_attribute_kind(std::string_view name) noexcept {
  for (int i = 0; i <= static_cast<int>(attribute_kind::number); ++i)
    if (to_string(static_cast<attribute_kind>(i)) == name) return static_cast<attribute_kind>(i);
  return std::nullopt;
}

/// A household attribute the ruleset reads (`attribute weekly_rent money`):
/// a fact about a household from a second input, not an event.
struct attribute_declaration {
  std::string name;
  attribute_kind kind = attribute_kind::text;
  source_location where;
};

/// A piece of a rule's message: literal text or an interpolated expression.
struct message_part {
  std::string text;
  std::optional<std::uint32_t> expression;
};

/// A named value or condition (`define NAME = EXPRESSION`): compiled once,
/// read by rules and definitions, never a row of the worklist.
struct definition {
  std::string name;
  std::uint32_t node = 0;  ///< the root of its expression in ruleset::nodes
  source_location where;   ///< of its name
};

/// How a decision chooses among its rules that hold (the hit policies of DMN).
enum class hit_policy : std::uint8_t {
  first,     ///< the first rule in the file that holds fires
  priority,  ///< the rule of highest severity that holds fires; the first of equals
  collect,   ///< every rule that holds fires
};

/// `first`, `priority`, `collect`.
constexpr std::string_view to_string(hit_policy p) noexcept {
  constexpr std::string_view names[] = {"first", "priority", "collect"};
  return names[static_cast<int>(p)];
}

/// The hit policy with this name, if any.
constexpr std::optional<hit_policy> parse_hit_policy(std::string_view name) noexcept {
  for (int i = 0; i <= static_cast<int>(hit_policy::collect); ++i)
    if (to_string(static_cast<hit_policy>(i)) == name) return static_cast<hit_policy>(i);
  return std::nullopt;
}

/// A named group of rules with a hit policy (`decision NAME first { rule … }`):
/// under `first` and `priority` at most one of its rules fires per household.
struct decision {
  std::string name;
  hit_policy policy = hit_policy::first;
  /// Its rules (indices into ruleset::rules) in precedence order: file order,
  /// under `priority` by severity (highest first) and then file order.
  std::vector<std::uint32_t> rules;
  source_location where;  ///< of its name
};

/// A compiled rule.
struct rule {
  std::string name;
  severity level = severity::medium;
  /// Root node of the condition under which the rule fires: its when clause,
  /// and in a `first` or `priority` decision also that no rule before it in
  /// precedence order holds. Evaluation, back-test and stream read this.
  std::uint32_t when = 0;
  std::uint32_t condition = 0;               ///< root node of the when clause as written
  std::optional<std::uint32_t> in_decision;  ///< index into ruleset::decisions, if in one
  std::optional<std::uint32_t> score;        ///< root node of the score; none means 0
  std::vector<message_part> message;
  std::optional<duration> cooldown;
  std::optional<duration> raise_after;  ///< how long it must hold before its alert is raised
  std::optional<duration> clear_after;  ///< how long it must not hold before its alert clears
  std::vector<std::string> tags;
  std::vector<std::uint32_t> reads_rules;  ///< rules its clauses refer to
  source_location where;
};

namespace rules_front {
class ruleset_draft;
}

/// A loaded, checked and compiled ruleset. Read it, never change it: its
/// fingerprint and its compiled conditions hold the values it was compiled
/// with. Other param values are a new compile (with_params(), load_rules.hpp).
struct ruleset {
  std::string name;
  std::int64_t version = 1;
  std::string file_name;
  std::string source;  ///< the rules text, for explanations and diagnostics
  std::vector<event_declaration> events;
  std::vector<attribute_declaration> attributes;  ///< in source order
  std::vector<term> terms;
  std::vector<expr_node> nodes;
  std::vector<value> constants;
  std::vector<duration> durations;
  std::vector<std::vector<value>> value_sets;   ///< the lists of `in`, resolved to values
  std::vector<definition> definitions;          ///< in source order
  std::vector<decision> decisions;              ///< in source order
  std::vector<rule> rules;                      ///< in source order
  std::vector<std::uint32_t> evaluation_order;  ///< rules before the rules that read them
  std::vector<diagnostic> warnings;
  std::string fingerprint;  ///< hex digest of the text and effective params

  /// The params in source order, with the values compiled in (those set
  /// from outside the file `overridden`).
  const std::vector<param>& params() const noexcept { return params_; }

  /// The rules text of an expression node.
  std::string_view text_of(const expr_node& n) const noexcept {
    return std::string_view(source).substr(n.source_begin, n.source_end - n.source_begin);
  }
  /// The rule with this name, if any.
  std::optional<std::uint32_t> find_rule(std::string_view rule_name) const noexcept {
    for (std::uint32_t i = 0; i < rules.size(); ++i)
      if (rules[i].name == rule_name) return i;
    return std::nullopt;
  }
  /// How an event type moves the balance under this ruleset.
  balance_effect effect_of(std::string_view type) const noexcept {
    for (type_id id = 0; id < builtin_type::count; ++id)
      if (builtin_type_names[id] == type) return builtin_effect(id);
    for (const event_declaration& e : events)
      if (e.name == type) return e.effect;
    return balance_effect::neutral;
  }
  /// The index of the household attribute with this name, if declared.
  std::optional<std::uint32_t> find_attribute(std::string_view attribute_name) const noexcept {
    for (std::uint32_t i = 0; i < attributes.size(); ++i)
      if (attributes[i].name == attribute_name) return i;
    return std::nullopt;
  }
  /// Whether the ruleset declares `type` scheduled.
  bool is_scheduled(std::string_view type) const noexcept {
    for (const event_declaration& e : events)
      if (e.name == type) return e.scheduled;
    return false;
  }

 private:
  friend class rules_front::ruleset_draft;  // the compiler declares them
  std::vector<param> params_;
};

/// For each node of `rules`, the first node that computes the same thing:
/// the same operation on the same operands, children compared by their own
/// first equal node. Rules repeat sub-expressions (`arrears_days >
/// grace_days` opens several); evaluating and scheduling through the first
/// copy computes each once per household.
inline std::vector<std::uint32_t> first_equal_nodes(const ruleset& rules) {
  const auto& nodes = rules.nodes;
  std::vector<std::uint32_t> first(nodes.size());
  // What makes two nodes compute the same thing: the operation, type and
  // unit, and the operands (children by their own first equal node, so that
  // children precede their parents suffices). Kept in a hash map, so that a
  // ruleset of thousands of nodes is not compared pair by pair.
  struct key {
    opcode op;
    expr_type type;
    unit measure;
    std::int64_t operand[3] = {0, 0, 0};
    bool operator==(const key&) const = default;
  };
  struct key_hash {
    std::size_t operator()(const key& k) const noexcept {
      std::uint64_t h = static_cast<std::uint64_t>(k.op) << 16 ^
                        static_cast<std::uint64_t>(k.type) << 8 ^
                        static_cast<std::uint64_t>(k.measure);
      for (const std::int64_t x : k.operand)
        h = (h ^ static_cast<std::uint64_t>(x)) * 0x9E3779B97F4A7C15ull;
      return static_cast<std::size_t>(h ^ h >> 32);
    }
  };
  std::unordered_map<key, std::uint32_t, key_hash> seen;
  seen.reserve(nodes.size());
  for (std::uint32_t n = 0; n < nodes.size(); ++n) {
    const expr_node& x = nodes[n];
    key k{x.op, x.type, x.measure};
    switch (x.op) {
      case opcode::constant: {
        const value& c = rules.constants[x.a];
        k.operand[0] = c.numerator();
        k.operand[1] = c.denominator();
        k.operand[2] = static_cast<std::int64_t>(c.unit()) << 1 | (c.has_value() ? 1 : 0);
        break;
      }
      case opcode::duration_days:
        k.operand[0] = rules.durations[x.a].count;
        k.operand[1] = static_cast<std::int64_t>(rules.durations[x.a].per);
        break;
      case opcode::param:
      case opcode::term:
      case opcode::rule:
        k.operand[0] = x.a;
        break;
      case opcode::member:
        k.operand[0] = first[x.a];
        k.operand[1] = x.b;  // the set: equal sets are not merged, which only costs a memo
        break;
      default:
        if (operand_count(x.op) >= 1) k.operand[0] = first[x.a];
        if (operand_count(x.op) == 2) k.operand[1] = first[x.b];
    }
    first[n] = seen.try_emplace(k, n).first->second;
  }
  return first;
}

}  // namespace earlywarn

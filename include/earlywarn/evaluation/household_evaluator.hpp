#pragma once
/// \file household_evaluator.hpp
/// Evaluates a compiled ruleset for one household as of a date.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "earlywarn/detail/effect_table.hpp"
#include "earlywarn/evaluation/attribute_facts.hpp"
#include "earlywarn/evaluation/household_signals.hpp"
#include "earlywarn/model/error.hpp"
#include "earlywarn/model/ledger.hpp"
#include "earlywarn/model/ruleset.hpp"

namespace earlywarn {

namespace detail {
/// Throws std::invalid_argument unless `h` is a household of a ledger of
/// `count` households.
inline void check_household_index(household_index h, std::size_t count) {
  if (h >= count)
    throw invalid_input(error_kind::misuse, "household index " + std::to_string(h) +
                                                " is out of range: the ledger has " +
                                                std::to_string(count) + " households");
}
/// Throws std::invalid_argument unless `d` is a date a ledger can hold,
/// 0001-01-01 to 9999-12-31: month arithmetic beyond is not defined.
inline void check_calendar_date(day d, const char* what) {
  if (d < to_day({1, 1, 1}) || d > to_day({9999, 12, 31}))
    throw invalid_input(error_kind::misuse, std::string(what) +
                                                " must be a date from 0001-01-01 to " +
                                                "9999-12-31, not day " + std::to_string(d));
}
}  // namespace detail

/// A ruleset bound to one ledger: event type names resolved to the ledger's
/// type ids once, not per household.
class bound_ruleset {
 public:
  /// Keeps references to `rules` and `events`, which must outlive it.
  /// Household attributes the ledger carries are typed by the rules'
  /// declarations here: throws attribute_error for a value a declaration's
  /// kind cannot read.
  bound_ruleset(const ruleset& rules, const ledger& events)
      : bound_ruleset(rules, events.types(), events.codes(), nullptr) {
    ledger_ = &events;
    if (!rules.attributes.empty() && events.attributes()) {
      own_facts_.emplace(rules, *events.attributes(), events);
      facts_ = &*own_facts_;
      bind_attributes();
    }
  }
  // Temporaries would dangle: refused at compile time.
  bound_ruleset(ruleset&&, const ledger&) = delete;
  bound_ruleset(const ruleset&, ledger&&) = delete;
  bound_ruleset(ruleset&&, ledger&&) = delete;
  /// Binds to type and code tables that may still grow (a stream's): types
  /// and codes the rules name must already be in them; types added later are
  /// neutral. Household attributes are read from `facts` (none: every
  /// attribute has no value), built from the same rules. Keeps references to
  /// `rules`, `codes` and `facts`, which must outlive it; `types` is read
  /// only here.
  bound_ruleset(const ruleset& rules, const type_table& types, const code_table& codes,
                const attribute_facts* facts = nullptr)
      : rules_(rules), codes_(&codes), facts_(facts), effects_(types, rules) {
    term_types_.reserve(rules.terms.size());
    term_type_lists_.resize(rules.terms.size());
    term_codes_.resize(rules.terms.size());
    for (std::size_t i = 0; i < rules.terms.size(); ++i) {
      const term& t = rules.terms[i];
      event_selector selector(t.event_type.empty() ? std::nullopt : types.find(t.event_type));
      // Codes the table lacks match no event: a selector by code keeps the
      // ones it has (maybe none, then it selects nothing).
      for (const std::string& code : t.codes)
        if (const auto id = codes.find(code)) term_codes_[i].push_back(*id);
      std::sort(term_codes_[i].begin(), term_codes_[i].end());
      selector.by_code =
          !t.codes.empty() && t.kind != term_kind::code_in && t.kind != term_kind::code_not_in;
      term_types_.push_back(selector);
      for (const std::string& name : t.event_types) term_type_lists_[i].push_back(types.find(name));
    }
    // Spans last: the vectors above no longer move.
    for (std::size_t i = 0; i < term_types_.size(); ++i) term_types_[i].codes = term_codes_[i];
    bind_attributes();
  }
  bound_ruleset(ruleset&&, const type_table&, const code_table&) = delete;
  // facts_ may point into own_facts_: neither copied nor moved.
  bound_ruleset(const bound_ruleset&) = delete;
  bound_ruleset& operator=(const bound_ruleset&) = delete;
  bound_ruleset(const ruleset&, const type_table&, code_table&&) = delete;
  const ruleset& rules() const noexcept { return rules_; }
  /// The ledger bound to; throws std::invalid_argument when bound to a type
  /// table instead.
  const ledger& events() const {
    if (!ledger_)
      throw invalid_input(error_kind::misuse, "the ruleset is bound to a type table, not a ledger");
    return *ledger_;
  }
  const effect_table& effects() const noexcept { return effects_; }
  /// The events term `term` reads (sum … days_until, code); for code_in and
  /// code_not_in, `codes` holds the ids of the codes compared with.
  const event_selector& term_type(std::uint32_t term) const noexcept { return term_types_[term]; }
  /// The code table bound to.
  const code_table& codes() const noexcept { return *codes_; }
  /// The household attributes bound to; null when there are none.
  const attribute_facts* facts() const noexcept { return facts_; }
  /// Household `h`'s attribute values (one per declaration), or empty.
  std::span<const value> facts_of(household_index h) const noexcept {
    return facts_ ? facts_->of(h) : std::span<const value>();
  }
  /// For a term reading a household attribute: the attribute's declaration
  /// index, and for attribute_in and attribute_not_in the sorted ids of the
  /// texts compared with.
  std::uint32_t term_attribute(std::uint32_t term) const noexcept { return term_attributes_[term]; }
  std::span<const std::int64_t> term_texts(std::uint32_t term) const noexcept {
    return term_texts_[term];
  }
  /// The types latest(...) term `term` chooses from, in the order written.
  const std::vector<std::optional<type_id>>& term_types_of(std::uint32_t term) const noexcept {
    return term_type_lists_[term];
  }

 private:
  void bind_attributes() {
    term_attributes_.assign(rules_.terms.size(), 0);
    term_texts_.assign(rules_.terms.size(), {});
    for (std::size_t i = 0; i < rules_.terms.size(); ++i) {
      const term& t = rules_.terms[i];
      if (!reads_attribute(t.kind)) continue;
      term_attributes_[i] = rules_.find_attribute(t.attribute).value_or(0);
      if (!facts_) continue;  // nothing set: every attribute has no value
      for (const std::string& text : t.codes)
        if (const auto id = facts_->text_id(term_attributes_[i], text))
          term_texts_[i].push_back(*id);
      std::sort(term_texts_[i].begin(), term_texts_[i].end());
    }
  }

  const ruleset& rules_;
  const ledger* ledger_ = nullptr;
  const code_table* codes_;
  std::optional<attribute_facts> own_facts_;  // typed from the ledger's attributes
  const attribute_facts* facts_ = nullptr;
  std::vector<std::uint32_t> term_attributes_;
  std::vector<std::vector<std::int64_t>> term_texts_;
  effect_table effects_;
  std::vector<event_selector> term_types_;
  std::vector<std::vector<code_id>> term_codes_;
  std::vector<std::vector<std::optional<type_id>>> term_type_lists_;
};

/// Evaluates rules for one household at a time, computing each term and rule
/// at most once per household. Not thread-safe: use one per thread.
class household_evaluator {
 public:
  /// Keeps a reference to `bound`, which must outlive it.
  explicit household_evaluator(const bound_ruleset& bound)
      : bound_(bound),
        rules_(bound.rules()),
        terms_(rules_.terms.size()),
        nodes_(rules_.nodes.size()),
        memo_of_(rules_.nodes.size()) {
    const std::vector<std::uint32_t> first = first_equal_nodes(rules_);
    for (std::size_t n = 0; n < first.size(); ++n) memo_of_[n] = &nodes_[first[n]];
    // Constants and params are the same for every household: computed once
    // here, they never pass through the memo.
    for (std::uint32_t n = 0; n < rules_.nodes.size(); ++n) {
      const expr_node& node = rules_.nodes[n];
      if (node.op == opcode::constant || node.op == opcode::param) {
        nodes_[n].number = compute_number(n);
        nodes_[n].fixed = true;
      }
      // A term's node reads the term's memo directly: a second memo of the
      // same value would only be another copy to check and fill.
      if (node.op == opcode::term) nodes_[n].term = node.a;
    }
    uncommon_.resize(rules_.terms.size());
    for (std::size_t t = 0; t < rules_.terms.size(); ++t) {
      const term& def = rules_.terms[t];
      uncommon_[t] = def.kind == term_kind::latest || def.window_days || reads_attribute(def.kind);
    }
  }

  // memo_of_ points into nodes_: a move keeps the memos where they are, a
  // copy would leave it pointing into the original.
  household_evaluator(const household_evaluator&) = delete;
  household_evaluator& operator=(const household_evaluator&) = delete;
  household_evaluator(household_evaluator&&) noexcept = default;
  explicit household_evaluator(bound_ruleset&&) = delete;  // it would dangle

  /// Starts on household `h` of the bound ledger as of `as_of`; throws
  /// std::invalid_argument for an index beyond the ledger's households.
  void start(household_index h, day as_of) {
    const ledger& events = bound_.events();
    detail::check_household_index(h, events.household_count());
    start(events.events(h), as_of, nullptr, bound_.facts_of(h));
  }
  /// Starts on a household's events (date order) as of `as_of`, forgetting
  /// the previous household; `folded` summarises events older than `events`,
  /// and `facts` holds its attribute values (attribute_facts::of; empty:
  /// none has a value).
  void start(household_events events, day as_of, const folded_history* folded = nullptr,
             std::span<const value> facts = {}) {
    signals_.emplace(events, as_of, bound_.effects(), scratch_, folded, &calendar_,
                     &bound_.codes());
    facts_ = facts;
    // A new generation forgets every memo at once, without touching them.
    if (++generation_ == 0) {
      for (term_memo& t : terms_) t.stamp = 0;
      for (node_memo& n : nodes_) n.number_stamp = n.truth_stamp = 0;
      generation_ = 1;
    }
  }

  const bound_ruleset& bound() const noexcept { return bound_; }

  const household_signals& signals() const noexcept { return *signals_; }
  /// The current household's attribute values (one per declaration), or empty.
  std::span<const value> facts() const noexcept { return facts_; }
  bool exists() const noexcept { return signals_->exists(); }

  /// Whether rule `r` fires for the current household.
  bool fired(std::uint32_t r) { return condition(rules_.rules[r].when); }

  /// The score of rule `r` (0 without a score clause).
  value score(std::uint32_t r) {
    const auto& s = rules_.rules[r].score;
    return s ? number(*s) : value::integer(0);
  }

  /// The message of rule `r` with its `{expressions}` filled in.
  std::string message(std::uint32_t r) {
    const auto& parts = rules_.rules[r].message;
    // One allocation, not one per doubling: the literal text plus room for
    // the numbers (a money amount rarely needs more than 16 characters).
    std::size_t size = 0;
    for (const message_part& part : parts) size += part.expression ? 16 : part.text.size();
    std::string out;
    out.reserve(size);
    for (const message_part& part : parts) {
      if (!part.expression) {
        out += part.text;
        continue;
      }
      out += text(*part.expression);
    }
    return out;
  }

  /// A node's value as text: numbers per their unit, conditions as true/false.
  std::string text(std::uint32_t node) {
    const expr_node& n = rules_.nodes[node];
    if (n.type == expr_type::boolean) return condition(node) ? "true" : "false";
    if (n.op == opcode::term && rules_.terms[n.a].kind == term_kind::latest) {
      // The event type it names.
      const value& v = term_view(n.a);
      return v ? rules_.terms[n.a].event_types[static_cast<std::size_t>(v.numerator() - 1)]
               : value().to_string();
    }
    if (n.op == opcode::term && rules_.terms[n.a].kind == term_kind::code) {
      const value& v = term_view(n.a);  // the code's id in the bound tables
      return v ? std::string(bound_.codes().name(static_cast<code_id>(v.numerator())))
               : value().to_string();
    }
    if (n.op == opcode::term && rules_.terms[n.a].kind == term_kind::attribute)
      return attribute_text(bound_.term_attribute(n.a));
    return number(node).to_string();
  }

  /// Attribute `a` (a declaration index) of the current household as text:
  /// a text as given, a flag true or false, a date YYYY-MM-DD, a number per
  /// its unit; "n/a" for no value.
  std::string attribute_text(std::uint32_t a) const {
    const value v = a < facts_.size() ? facts_[a] : value();
    if (!v) return v.to_string();
    switch (rules_.attributes[a].kind) {
      case attribute_kind::text:
        return std::string(bound_.facts()->text(a, v.numerator()));
      case attribute_kind::flag:
        return v.numerator() != 0 ? "true" : "false";
      case attribute_kind::date:
        return format_date(static_cast<day>(v.numerator()));
      default:
        return v.to_string();
    }
  }

  /// The code of the latest event of the type term `t` reads (code(TYPE)),
  /// or "n/a" for none: what a comparison with codes compared.
  std::string latest_code(std::uint32_t t) const {
    const code_id c = signals_->latest_code(bound_.term_type(t).type, bound_.codes());
    return c == 0 ? value().to_string() : std::string(bound_.codes().name(c));
  }

  /// The value of a numeric node (possibly no value), computed once per household.
  value number(std::uint32_t node) { return number_view(node); }

  /// number() without a copy; valid until the next start().
  const value& number_view(std::uint32_t node) {
    node_memo& m = *memo_of_[node];  // a repeated expression is computed once
    if (m.fixed) return m.number;
    if (m.term != no_term) return term_view(m.term);
    if (m.number_stamp != generation_) {
      m.number = compute_number(node);
      m.number_stamp = generation_;
    }
    return m.number;
  }

  /// The truth of a condition node, computed once per household; comparisons
  /// with no value are false.
  bool condition(std::uint32_t node) {
    node_memo& m = *memo_of_[node];  // a repeated expression is computed once
    if (m.truth_stamp != generation_) {
      m.truth = compute_condition(node);
      m.truth_stamp = generation_;
    }
    return m.truth;
  }

  /// The value of term `t` for the current household, computed once.
  value term_value(std::uint32_t t) { return term_view(t); }

  /// term_value() without a copy; valid until the next start().
  const value& term_view(std::uint32_t t) {
    term_memo& m = terms_[t];
    if (m.stamp != generation_) {
      const term& def = rules_.terms[t];
      m.result = uncommon_[t] ? compute_computed(t) : compute(def, bound_.term_type(t));
      m.stamp = generation_;
    }
    return m.result;
  }

 private:
  value compute_number(std::uint32_t node) {
    const expr_node& n = rules_.nodes[node];
    switch (n.op) {
      case opcode::constant:
        return rules_.constants[n.a];
      case opcode::param:
        return rules_.params()[n.a].number;
      case opcode::duration_days:
        return value::integer(signals_->as_of() - signals_->before(rules_.durations[n.a]),
                              unit::days);
      case opcode::term:
        return term_value(n.a);
      case opcode::negate:
        return -number(n.a);
      case opcode::add:
        return number(n.a) + number(n.b);
      case opcode::subtract:
        return number(n.a) - number(n.b);
      case opcode::multiply:
        return number(n.a) * number(n.b);
      case opcode::divide:
        return number(n.a) / number(n.b);
      case opcode::minimum:
      case opcode::maximum: {
        const value a = number(n.a), b = number(n.b);
        if (!a || !b) return {};
        // The one chosen, in the unit the compiler gave the node: the unit
        // the two have together, as for `+`.
        const bool first = (compare(a, b) >= 0) == (n.op == opcode::maximum);
        return (first ? a : b).with_unit(n.measure);
      }
      default:
        return value::integer(condition(node) ? 1 : 0);
    }
  }

  // Out of line: condition() is mostly a memo hit, kept light without this inlined.
  __attribute__((noinline)) bool compute_condition(std::uint32_t node) {
    const expr_node& n = rules_.nodes[node];
    switch (n.op) {
      case opcode::term:
        return term_view(n.a).numerator() != 0;
      case opcode::rule:
        return fired(n.a);
      case opcode::logical_not:
        return !condition(n.a);
      case opcode::logical_and:
        return condition(n.a) && condition(n.b);
      case opcode::logical_or:
        return condition(n.a) || condition(n.b);
      case opcode::missing:
        return !number_view(n.a).has_value();
      case opcode::member: {
        const value& x = number_view(n.a);
        if (!x) return false;
        for (const value& v : rules_.value_sets[n.b])
          if (compare(x, v) == 0) return true;
        return false;
      }
      case opcode::equal:
      case opcode::not_equal: {
        if (rules_.nodes[n.a].type == expr_type::boolean)
          return (condition(n.a) == condition(n.b)) == (n.op == opcode::equal);
        return compare_numbers(n);
      }
      case opcode::less:
      case opcode::less_equal:
      case opcode::greater:
      case opcode::greater_equal:
        return compare_numbers(n);
      default:
        return false;
    }
  }

  bool compare_numbers(const expr_node& n) {
    const value& l = number_view(n.a);
    const value& r = number_view(n.b);
    if (!l || !r) return false;
    return comparison_holds(n.op, compare(l, r));
  }

  // latest(...): 1 + the position of the type whose latest event is latest;
  // of types whose latest events share a date, the one written last.
  value latest_of(const std::vector<std::optional<type_id>>& types) const {
    std::optional<day> best;
    std::size_t chosen = 0;
    for (std::size_t i = 0; i < types.size(); ++i) {
      const auto since = signals_->days_since(types[i]);
      if (!since) continue;
      const day d = signals_->as_of() - *since;
      if (!best || d >= *best) best = d, chosen = i + 1;
    }
    return best ? value::integer(static_cast<std::int64_t>(chosen)) : value();
  }

  // latest(...), household attributes, and terms whose window is computed
  // as of the date (docs/language.md, Time): whole days; none for no value
  // or a negative number. Out of line: the usual terms do not pay for them.
  __attribute__((noinline, cold)) value compute_computed(std::uint32_t t) {
    const term& def = rules_.terms[t];
    if (def.kind == term_kind::latest) return latest_of(bound_.term_types_of(t));
    if (reads_attribute(def.kind)) return attribute_term(t);
    const value w = number(*def.window_days);
    if (!w || w.numerator() < 0) return {};
    term fixed = def;  // the same term over this date's window
    fixed.window = duration_of_days(detail::floor_of(w));
    return compute(fixed, bound_.term_type(t));
  }

  // A term reading a household attribute (docs/language.md, Household attributes).
  value attribute_term(std::uint32_t t) const {
    const std::uint32_t a = bound_.term_attribute(t);
    const value v = a < facts_.size() ? facts_[a] : value();
    if (!v) return {};
    const day as_of = signals_->as_of();
    switch (rules_.terms[t].kind) {
      case term_kind::attribute_in:
      case term_kind::attribute_not_in: {
        const auto texts = bound_.term_texts(t);
        const bool among = std::binary_search(texts.begin(), texts.end(), v.numerator());
        return value::integer(among == (rules_.terms[t].kind == term_kind::attribute_in) ? 1 : 0);
      }
      case term_kind::attribute_days_since:  // from the date on, as days_since() of an event
        return v.numerator() <= as_of ? value::integer(as_of - v.numerator(), unit::days) : value();
      case term_kind::attribute_days_until:  // up to the date, as days_until() of an event
        return v.numerator() >= as_of ? value::integer(v.numerator() - as_of, unit::days) : value();
      default:
        return v;
    }
  }

  // A window of `days` days, at most the whole supported calendar.
  static duration duration_of_days(std::int64_t days) {
    constexpr std::int64_t calendar = 3652059;  // 0001-01-01 to 9999-12-31
    return {static_cast<std::int32_t>(std::min(days, calendar + 1)), period::day};
  }

  value compute(const term& t, const event_selector& type) const {
    const household_signals& s = *signals_;
    switch (t.kind) {
      case term_kind::balance:
        return value::money(s.balance());
      case term_kind::arrears:
        return value::money(s.arrears());
      case term_kind::arrears_days:
        return value::integer(s.arrears_days(), unit::days);
      case term_kind::tenure_days:
        return value::integer(s.tenure_days(), unit::days);
      case term_kind::plan_active:
        return value::integer(s.plan().active ? 1 : 0);
      case term_kind::plan_breached:
        return value::integer(s.plan().breached ? 1 : 0);
      case term_kind::plan_shortfall:
        return s.plan_shortfall();
      case term_kind::sum:
        return value::money(s.totals(type, t.window).sum);
      case term_kind::count:
        return value::integer(s.totals(type, t.window).count);
      case term_kind::avg: {
        const window_totals w = s.totals(type, t.window);
        return w.count == 0 ? value() : value::fraction(w.sum, 100 * w.count, unit::money);
      }
      case term_kind::min: {
        const window_totals w = s.totals(type, t.window);
        return w.count == 0 ? value() : value::money(w.min);
      }
      case term_kind::max: {
        const window_totals w = s.totals(type, t.window);
        return w.count == 0 ? value() : value::money(w.max);
      }
      case term_kind::last: {
        const auto amount = s.last(type);
        return amount ? value::money(*amount) : value();
      }
      case term_kind::days_since: {
        const auto days = s.days_since(type);
        return days ? value::integer(*days, unit::days) : value();
      }
      case term_kind::days_until: {
        const auto days = s.days_until(type);
        return days ? value::integer(*days, unit::days) : value();
      }
      case term_kind::balance_at:
        return value::money(s.balance_on(s.before(*t.window)));
      case term_kind::trend_balance:
        return s.trend(false, t.window->count);
      case term_kind::trend_arrears:
        return s.trend(true, t.window->count);
      case term_kind::code: {
        const code_id c = s.latest_code(type.type, bound_.codes());
        return c == 0 ? value() : value::integer(c);
      }
      case term_kind::code_in:
      case term_kind::code_not_in: {
        const code_id c = s.latest_code(type.type, bound_.codes());
        if (c == 0) return {};
        const auto codes = type.codes;  // the codes compared with, bound
        const bool among = std::binary_search(codes.begin(), codes.end(), c);
        return value::integer(among == (t.kind == term_kind::code_in) ? 1 : 0);
      }
      case term_kind::latest:  // compute_computed()
      case term_kind::attribute:
      case term_kind::attribute_flag:
      case term_kind::attribute_in:
      case term_kind::attribute_not_in:
      case term_kind::attribute_days_since:
      case term_kind::attribute_days_until:
        break;
    }
    return {};
  }

  const bound_ruleset& bound_;
  const ruleset& rules_;
  std::vector<cents> scratch_;
  detail::calendar_memo calendar_;
  std::optional<household_signals> signals_;
  std::span<const value> facts_;        // the current household's attribute values
  std::vector<std::uint8_t> uncommon_;  // per term: computed by compute_computed()
  // Memos of the current household, valid where their stamp is `generation_`.
  // One memo per node and per term, with its stamps beside it: one cache
  // line touched per lookup, not three arrays.
  static constexpr std::uint32_t no_term = UINT32_MAX;
  struct term_memo {
    value result;
    std::uint32_t stamp = 0;
  };
  struct node_memo {
    value number;
    std::uint32_t number_stamp = 0;
    std::uint32_t truth_stamp = 0;
    bool truth = false;
    bool fixed = false;            // a constant or param: `number` always holds
    std::uint32_t term = no_term;  // for a term's node: the term, whose memo holds the value
  };
  std::uint32_t generation_ = 0;
  std::vector<term_memo> terms_;
  std::vector<node_memo> nodes_;
  // Per node: the memo of its first_equal_nodes(), which repeated expressions
  // share (a pointer, not an index: one load less on every lookup).
  std::vector<node_memo*> memo_of_;
};

}  // namespace earlywarn

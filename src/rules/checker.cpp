// The checker's passes and checks (checker.hpp).

#include "checker.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "builtins.hpp"
#include "earlywarn/event_code.hpp"
#include "literals.hpp"
#include "syntax_shapes.hpp"

namespace earlywarn::rules_front {

using syntax::token;

namespace {

// How operator `t` is written, for diagnostics.
std::string_view spelling(token t) {
  constexpr std::string_view s[] = {"+",  "-",  "*",  "/",   "<",  "<=",  ">",
                                    ">=", "==", "!=", "and", "or", "not", "in"};
  return s[static_cast<int>(t)];
}

// Operator `t` as a diagnostic names it: '=='. Quoted with chars, not "'":
// GCC 12 warns falsely of overlapping bytes where a one-character literal
// is joined to a string (GCC bug 105329).
std::string quoted(token t) { return '\'' + std::string(spelling(t)) + '\''; }

// How many operands of one `and` or `or` chain are folded left to right,
// as written; a longer chain is grouped (see compile_long_chain).
constexpr std::size_t chain_run = 64;

// Whether every operator of `e` is the same one of `and` and `or`.
bool is_logical_chain(const syntax::expression& e) {
  const token op = e.rest.front().op;
  if (op != token::logical_and && op != token::logical_or) return false;
  return std::all_of(e.rest.begin(), e.rest.end(),
                     [op](const syntax::operation& o) { return o.op == op; });
}

}  // namespace

void checker::declare() {
  bool have_header = false;
  for (const syntax::item& item : parsed_.items) {
    if (const auto* h = boost::get<syntax::ruleset_header>(&item)) {
      if (have_header) log_.error(where(*h), "a rules file has one ruleset header");
      have_header = true;
      rs_.name = h->name;
      rs_.version = h->version.value_or(1);
    } else if (const auto* p = boost::get<syntax::param_declaration>(&item)) {
      declare_param(*p);
    } else if (const auto* e = boost::get<syntax::event_declaration>(&item)) {
      declare_event(*e);
    } else if (const auto* a = boost::get<syntax::attribute_declaration>(&item)) {
      declare_attribute(*a);
    }
  }
  // Rules after params, so a clash is found whichever comes first in the file.
  // Decisions with them: a rule belongs to the decision open where it stands.
  declare_rules();
  for (const syntax::item& item : parsed_.items)
    if (const auto* d = boost::get<syntax::definition_declaration>(&item)) declare_definition(*d);
  param_read_.assign(rs_.params.size(), false);
  draft_.when_reads.resize(rs_.rules.size());
}

// GCC 12 warns falsely that the optional `open` may be read uninitialized.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
void checker::declare_rules() {
  std::optional<std::uint32_t> open;
  std::size_t broken_decisions = 0;  // of parsed_.broken_decisions, those passed
  for (const syntax::item& item : parsed_.items) {
    if (const auto* d = boost::get<syntax::decision_opening>(&item)) {
      // Unless a syntax error since the open decision began may have
      // skipped its `}`.
      if (open && *open != no_decision &&
          !syntax_error_between(rs_.decisions[*open].where.line, where(d->decided).line))
        log_.error(where(d->decided), "decision '" + d->decided.text +
                                          "' begins inside decision '" + rs_.decisions[*open].name +
                                          "' (line " +
                                          std::to_string(rs_.decisions[*open].where.line) +
                                          "): end that one with '}' after its last rule first");
      open = declare_decision(*d);
      continue;
    }
    if (const auto* e = boost::get<syntax::decision_end>(&item)) {
      const std::size_t at = range_of(*e).first;
      while (broken_decisions < parsed_.broken_decisions.size() &&
             parsed_.broken_decisions[broken_decisions] < at) {
        ++broken_decisions;
        if (!open) open = no_decision;  // its `}` ends it: no second error
      }
      if (!open)
        log_.error(where(*e),
                   "'}' closes no decision: a rule's '}' ends its clauses, and a decision is "
                   "opened with 'decision NAME first {'");
      else if (*open != no_decision && rs_.decisions[*open].rules.empty())
        log_.warn(rs_.decisions[*open].where,
                  "decision '" + rs_.decisions[*open].name + "' holds no rule");
      open.reset();
      continue;
    }
    if (open && boost::get<syntax::rule_declaration>(&item) == nullptr) {
      const source_location at = boost::apply_visitor(
          [this](const auto& x) -> source_location {
            if constexpr (std::is_base_of_v<syntax::x3::position_tagged, std::decay_t<decltype(x)>>)
              return where(x);
            else
              return {};
          },
          item);
      if (*open != no_decision)
        log_.error(at, "only rules go inside a decision: move this above decision '" +
                           rs_.decisions[*open].name + "' or end the decision with '}' before it");
      continue;
    }
    if (const auto* r = boost::get<syntax::rule_declaration>(&item)) {
      const std::string& n = r->rule.text;
      if (const auto it = rule_index_.find(n); it != rule_index_.end()) {
        const source_location first = rs_.rules[it->second].where;
        log_.error(where(r->rule), "rule '" + n + "' is defined twice (first at line " +
                                       std::to_string(first.line) + ")");
        continue;
      }
      if (const std::string m = meaning_of(n); !m.empty())
        log_.error(where(r->rule), "rule name '" + n + "' is already " + m);
      rule_index_[n] = static_cast<std::uint32_t>(rs_.rules.size());
      rule new_rule;
      new_rule.name = n;
      new_rule.where = where(r->rule);
      if (open && *open != no_decision) {
        new_rule.in_decision = *open;
        rs_.decisions[*open].rules.push_back(static_cast<std::uint32_t>(rs_.rules.size()));
      }
      rs_.rules.push_back(std::move(new_rule));
    }
  }
  // A decision left open past the last item: unless a syntax error may have
  // skipped its `}`, say where it began.
  if (open && *open != no_decision &&
      !syntax_error_between(rs_.decisions[*open].where.line, UINT32_MAX))
    log_.error(rs_.decisions[*open].where, "decision '" + rs_.decisions[*open].name +
                                               "' is never closed: end it with '}' after its "
                                               "last rule");
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

void checker::apply_overrides(const param_overrides& overrides) {
  for (const auto& [name, text] : overrides) {
    param* target = nullptr;
    for (param& p : rs_.params)
      if (p.name == name) target = &p;
    if (target == nullptr) {
      std::vector<std::string> names;
      for (const param& p : rs_.params) names.push_back(p.name);
      log_.error({}, "cannot set param '" + name + "': the rules have no such param" +
                         did_you_mean(nearest_name(name, names)));
      continue;
    }
    const auto literal = parse_param_text(text);
    if (!literal) {
      log_.error({},
                 "cannot set param '" + name + "' to '" + text +
                     "': expected a number (like 20 or 1.5) or a duration (like 90d, 2w, 6m, 1y)");
      continue;
    }
    target->number = literal->number;
    target->span = literal->span;
    target->overridden = true;
  }
}

// Unread is worth saying only of rules that load: an error may be why.
void checker::warn_unread_attributes() {
  for (std::uint32_t a = 0; a < rs_.attributes.size() && !log_.has_errors(); ++a)
    if (!attribute_read_[a])
      log_.warn(rs_.attributes[a].where, "attribute '" + rs_.attributes[a].name +
                                             "' is never read: no rule or definition uses it");
}

void checker::check_unread_definitions() {
  for (std::uint32_t d = 0; d < definitions_.size() && !log_.full(); ++d) {
    if (definitions_[d].at == pending_definition::stage::waiting) compile_definition(d);
    if (!definitions_[d].used && definitions_[d].at == pending_definition::stage::done)
      log_.warn(rs_.definitions[d].where, "definition '" + rs_.definitions[d].name +
                                              "' is never read: no rule or definition uses it");
  }
}

void checker::warn_unread_params() {
  for (std::uint32_t p = 0;
       p < rs_.params.size() && !log_.has_errors() && parsed_.diagnostics.empty(); ++p)
    if (!param_read_[p])
      log_.warn(rs_.params[p].where, "param '" + rs_.params[p].name +
                                         "' is never read: no rule, definition or clause uses it");
}

// Recovering from a syntax error may have skipped a decision's `}`.
bool checker::syntax_error_between(std::uint32_t first, std::uint32_t last) const {
  for (const diagnostic& d : parsed_.diagnostics)
    if (d.where.line >= first && d.where.line <= last) return true;
  return false;
}

std::uint32_t checker::declare_decision(const syntax::decision_opening& d) {
  const std::string& n = d.decided.text;
  if (const std::string m = meaning_of(n); !m.empty()) {
    log_.error(where(d.decided), "decision name '" + n + "' is already " + m);
    return no_decision;
  }
  const auto policy = parse_hit_policy(d.policy.text);
  if (!policy) {
    const std::vector<std::string> policies = {"first", "priority", "collect"};
    log_.error(where(d.policy), "unknown hit policy '" + d.policy.text +
                                    "' (first, priority or collect)" +
                                    did_you_mean(nearest_name(d.policy.text, policies)));
    return no_decision;
  }
  rs_.decisions.push_back({n, *policy, {}, where(d.decided)});
  return static_cast<std::uint32_t>(rs_.decisions.size() - 1);
}

void checker::declare_definition(const syntax::definition_declaration& d) {
  const std::string& n = d.defined.text;
  if (const auto it = definition_index_.find(n); it != definition_index_.end()) {
    log_.error(where(d.defined), "definition '" + n + "' is defined twice (first at line " +
                                     std::to_string(rs_.definitions[it->second].where.line) + ")");
    return;
  }
  if (const std::string m = meaning_of(n); !m.empty()) {
    log_.error(where(d.defined), "definition name '" + n + "' is already " + m);
    return;
  }
  definition_index_[n] = static_cast<std::uint32_t>(rs_.definitions.size());
  rs_.definitions.push_back({n, 0, where(d.defined)});
  definitions_.push_back({&d});
}

void checker::declare_param(const syntax::param_declaration& p) {
  const std::string& n = p.param.text;
  for (const param& existing : rs_.params)
    if (existing.name == n) {
      log_.error(where(p.param), "param '" + n + "' is defined twice (first at line " +
                                     std::to_string(existing.where.line) + ")");
      return;
    }
  if (const std::string m = meaning_of(n); !m.empty()) {
    log_.error(where(p.param), "param name '" + n + "' is already " + m);
    return;
  }
  param out;
  out.name = n;
  out.where = where(p.param);
  if (const auto* d = boost::get<syntax::duration_literal>(&p.value)) {
    const auto span = make_duration(d->count, d->unit);
    if (!span) {
      log_.error(where(*d), "duration is longer than 100000 days, weeks, months or years");
      return;
    }
    out.span = span;
    out.number = value::integer(days_in(*span, 0), unit::days);
  } else {
    const auto& number = boost::get<syntax::number_literal>(p.value);
    const auto v = parse_decimal(number.text);
    if (!v) {
      log_.error(where(number), "number has more than 18 digits");
      return;
    }
    out.number = *v;
  }
  rs_.params.push_back(std::move(out));
}

void checker::declare_event(const syntax::event_declaration& e) {
  const std::string& n = e.type.text;
  if (!is_valid_type_name(n)) {
    log_.error(where(e.type), "event type names are lower case: [a-z][a-z0-9_]*");
    return;
  }
  for (type_id id = 0; id < builtin_type::count; ++id)
    if (builtin_type_names[id] == n) {
      log_.error(where(e.type), "'" + n + "' is a built-in event type and cannot be redeclared");
      return;
    }
  for (const event_declaration& existing : rs_.events)
    if (existing.name == n) {
      log_.error(where(e.type), "event type '" + n + "' is declared twice");
      return;
    }
  event_declaration out;
  out.name = n;
  out.where = where(e.type);
  if (e.effect) {
    const std::string& word = e.effect->text;
    out.effect = word == "increases"   ? balance_effect::increases
                 : word == "decreases" ? balance_effect::decreases
                                       : balance_effect::neutral;
    out.scheduled = word == "scheduled";
  }
  rs_.events.push_back(std::move(out));
}

void checker::declare_attribute(const syntax::attribute_declaration& a) {
  const std::string& n = a.attribute.text;
  if (const auto i = rs_.find_attribute(n)) {
    log_.error(where(a.attribute), "attribute '" + n + "' is declared twice (first at line " +
                                       std::to_string(rs_.attributes[*i].where.line) + ")");
    return;
  }
  if (const std::string m = meaning_of(n); !m.empty()) {
    log_.error(where(a.attribute), "attribute name '" + n + "' is already " + m);
    return;
  }
  const auto kind = parse_attribute_kind(a.kind.text);
  if (!kind) {
    const std::vector<std::string> kinds = {"text", "flag",  "date",  "money",
                                            "days", "count", "number"};
    log_.error(where(a.kind), "unknown attribute kind '" + a.kind.text +
                                  "': an attribute is text, flag, date, money, days, count or "
                                  "number" +
                                  did_you_mean(nearest_name(a.kind.text, kinds)));
    broken_attributes_.push_back(n);  // that error is enough: reading it is no other
    return;
  }
  rs_.attributes.push_back({n, *kind, where(a.attribute)});
  attribute_read_.push_back(false);
}

std::string checker::meaning_of(const std::string& n) const {
  for (const auto& s : signals)
    if (s.name == n) return "a built-in signal";
  for (const auto f : functions)
    if (f == n) return "a built-in function";
  for (const auto& p : rs_.params)
    if (p.name == n) return "a param";
  if (rule_index_.count(n) != 0) return "a rule";
  if (definition_index_.count(n) != 0) return "a definition";
  if (rs_.find_attribute(n)) return "a household attribute";
  for (const decision& d : rs_.decisions)
    if (d.name == n) return "a decision";
  if (window_to_date(n)) return "a window";
  return {};
}

std::uint32_t checker::compile(const syntax::name& n) {
  const auto range = range_of(n);
  for (const auto& s : signals)
    if (s.name == n.text) {
      const std::uint32_t t = draft_.add_term({s.kind, {}, std::nullopt});
      return draft_.leaf(opcode::term, is_boolean(s.kind) ? expr_type::boolean : expr_type::number,
                         unit_of(s.kind), t, range);
    }
  for (std::uint32_t i = 0; i < rs_.params.size(); ++i)
    if (rs_.params[i].name == n.text) {
      param_read_[i] = true;
      if (rs_.params[i].span) {
        rs_.durations.push_back(*rs_.params[i].span);
        return draft_.leaf(opcode::duration_days, expr_type::number, unit::days,
                           static_cast<std::uint32_t>(rs_.durations.size() - 1), range);
      }
      return draft_.leaf(opcode::param, expr_type::number, unit::number, i, range);
    }
  if (const auto it = definition_index_.find(n.text); it != definition_index_.end())
    return use_definition(it->second, n);
  if (const auto it = rule_index_.find(n.text); it != rule_index_.end()) {
    current_reads_.push_back(it->second);
    return draft_.leaf(opcode::rule, expr_type::boolean, unit::number, it->second, range);
  }
  if (const auto a = attribute_named(n.text)) {
    switch (rs_.attributes[*a].kind) {
      case attribute_kind::date:
        log_.error(where(n), "'" + n.text + "' is a date: read it as days_since(" + n.text +
                                 ") or days_until(" + n.text + ")");
        return failed;
      case attribute_kind::flag:
        return attribute_leaf(*a, term_kind::attribute_flag, range);
      default:
        return attribute_leaf(*a, term_kind::attribute, range);
    }
  }
  for (const auto f : functions)
    if (f == n.text) {
      log_.error(where(n), "'" + n.text + "' is a function: write " + n.text + "(…)");
      return failed;
    }
  if (window_to_date(n.text)) {
    log_.error(where(n), "'" + n.text + "' is a window, not a number: use it in a function, like " +
                             "sum(payment, " + n.text + ")");
    return failed;
  }
  // A rule whose declaration has a syntax error exists; that error is enough.
  for (const std::string& broken : parsed_.broken_rules)
    if (broken == n.text) return failed;
  for (const std::string& broken : broken_attributes_)
    if (broken == n.text) return failed;
  if (log_.full()) return failed;
  log_.error(where(n),
             "unknown name '" + n.text + "'" + did_you_mean(nearest_name(n.text, known_names())));
  return failed;
}

std::vector<std::string> checker::known_names() const {
  std::vector<std::string> names;
  for (const auto& s : signals) names.emplace_back(s.name);
  for (const auto& p : rs_.params) names.push_back(p.name);
  for (const auto& [n, i] : rule_index_) names.push_back(n);
  for (const auto& [n, i] : definition_index_) names.push_back(n);
  for (const attribute_declaration& a : rs_.attributes) names.push_back(a.name);
  return names;
}

std::string checker::did_you_mean(const std::string& near) {
  return near.empty() ? std::string() : "; did you mean '" + near + "'?";
}

std::optional<std::uint32_t> checker::attribute_named(const std::string& n) const {
  return rs_.find_attribute(n);
}

std::uint32_t checker::attribute_leaf(std::uint32_t a, term_kind kind,
                                      std::pair<std::uint32_t, std::uint32_t> range) {
  attribute_read_[a] = true;
  term t;
  t.kind = kind;
  t.attribute = rs_.attributes[a].name;
  const attribute_kind k = rs_.attributes[a].kind;
  const unit u = kind == term_kind::attribute_days_since || kind == term_kind::attribute_days_until
                     ? unit::days
                 : kind != term_kind::attribute ? unit::number
                 : k == attribute_kind::money   ? unit::money
                 : k == attribute_kind::days    ? unit::days
                                                : unit::number;
  return draft_.leaf(opcode::term, is_boolean(kind) ? expr_type::boolean : expr_type::number, u,
                     draft_.add_term(t), range);
}

std::uint32_t checker::use_definition(std::uint32_t d, const syntax::name& at) {
  using stage = pending_definition::stage;
  definitions_[d].used = true;
  if (definitions_[d].at == stage::compiling) {
    std::string path;
    const auto from = std::find(compiling_.begin(), compiling_.end(), d);
    for (auto i = from; i != compiling_.end(); ++i) path += rs_.definitions[*i].name + " -> ";
    log_.error(where(at), "definition '" + rs_.definitions[d].name + "' reads itself: " + path +
                              rs_.definitions[d].name + " (a definition cannot depend on itself)");
    return failed;
  }
  if (definitions_[d].at == stage::waiting) compile_definition(d);
  if (definitions_[d].at != stage::done) return failed;
  current_reads_.insert(current_reads_.end(), definitions_[d].reads.begin(),
                        definitions_[d].reads.end());
  // The definition's operation on its operands, written where it is read:
  // the reader's text (for explain and diagnostics) shows the name, and
  // first_equal_nodes() evaluates both as one node.
  expr_node reference = rs_.nodes[rs_.definitions[d].node];
  const auto range = range_of(at);
  reference.source_begin = range.first;
  reference.source_end = range.second;
  return draft_.add_node(reference);
}

void checker::compile_definition(std::uint32_t d) {
  using stage = pending_definition::stage;
  definitions_[d].at = stage::compiling;
  compiling_.push_back(d);
  std::vector<std::uint32_t> outer;  // the reads of whatever reads this definition
  std::swap(outer, current_reads_);
  const std::uint32_t n = compile(definitions_[d].declaration->value);
  definitions_[d].reads = std::move(current_reads_);
  current_reads_ = std::move(outer);
  compiling_.pop_back();
  definitions_[d].at = n == failed ? stage::broken : stage::done;
  if (n != failed) rs_.definitions[d].node = n;
}

std::uint32_t checker::compile(const syntax::operand& o) {
  struct visitor {
    checker& c;
    std::uint32_t operator()(const syntax::duration_literal& d) const { return c.compile(d); }
    std::uint32_t operator()(const syntax::number_literal& n) const { return c.compile(n); }
    std::uint32_t operator()(const syntax::name& n) const { return c.compile(n); }
    std::uint32_t operator()(const syntax::call& f) const { return c.compile(f); }
    std::uint32_t operator()(const syntax::unary& u) const { return c.compile(u); }
    std::uint32_t operator()(const syntax::expression& e) const { return c.compile(e); }
    std::uint32_t operator()(const syntax::text_literal& t) const { return c.compile(t); }
  };
  return boost::apply_visitor(visitor{*this}, o);
}

std::uint32_t checker::compile(const syntax::duration_literal& d) {
  const auto span = make_duration(d.count, d.unit);
  if (!span) {
    log_.error(where(d), "duration is longer than 100000 days, weeks, months or years");
    return failed;
  }
  rs_.durations.push_back(*span);
  return draft_.leaf(opcode::duration_days, expr_type::number, unit::days,
                     static_cast<std::uint32_t>(rs_.durations.size() - 1), range_of(d));
}

std::uint32_t checker::compile(const syntax::text_literal& t) {
  log_.error(where(t),
             "a quoted text is compared with code(TYPE) or a text attribute, like "
             "code(court_outcome) == \"" +
                 t.text + "\" or tenancy == \"" + t.text +
                 "\" (docs/language.md, Event codes; Household attributes)");
  return failed;
}

std::uint32_t checker::compile(const syntax::number_literal& n) {
  const auto v = parse_decimal(n.text);
  if (!v) {
    log_.error(where(n), "number has more than 18 digits");
    return failed;
  }
  rs_.constants.push_back(*v);
  return draft_.leaf(opcode::constant, expr_type::number, unit::number,
                     static_cast<std::uint32_t>(rs_.constants.size() - 1), range_of(n));
}

std::uint32_t checker::compile(const syntax::unary& u) {
  const std::uint32_t x = compile(u.rhs);
  if (x == failed) return failed;
  const auto range = range_of(u);
  if (u.op == token::minus) {
    if (rs_.nodes[x].type != expr_type::number) {
      log_.error(where(u), "'-' needs a number, not a condition");
      return failed;
    }
    if (!not_a_label(x, range.first, "'-'")) return failed;
    return within_depth(draft_.add_node({opcode::negate, expr_type::number, rs_.nodes[x].measure, x,
                                         0, range.first, range.second}),
                        range.first);
  }
  if (rs_.nodes[x].type != expr_type::boolean) {
    log_.error(where(u), "'not' needs a condition (like arrears_days > 30), not a number");
    return failed;
  }
  return within_depth(draft_.add_node({opcode::logical_not, expr_type::boolean, unit::number, x, 0,
                                       range.first, range.second}),
                      range.first);
}

std::uint32_t checker::compile(const syntax::expression& e) {
  if (e.rest.size() >= chain_run && is_logical_chain(e)) return compile_long_chain(e);
  std::uint32_t lhs = compile(e.first);
  for (const syntax::operation& op : e.rest) {
    if (op.op == token::member) {
      if (lhs != failed) lhs = compile_member(lhs, op);
      continue;
    }
    if (lhs != failed && is_code(lhs) && op.op != token::equal && op.op != token::not_equal &&
        op.op != token::logical_and && op.op != token::logical_or) {
      // `code(x) > "a"`: said of the operator, not of the quoted code.
      not_a_label(lhs, source_.operator_after(rs_.nodes[lhs].source_end), quoted(op.op));
      lhs = failed;
      continue;
    }
    if (lhs != failed && is_code(lhs) && (op.op == token::equal || op.op == token::not_equal)) {
      const syntax::text_literal* code = operand_text(op.rhs);
      if (code == nullptr) {
        const bool text = draft_.dimensions[lhs].attribute_text;
        log_.error(source_.locate_at(source_.operator_after(rs_.nodes[lhs].source_end)),
                   quoted(op.op) + " compares " + draft_.short_text(lhs) +
                       (text ? " with a quoted text, like " : " with a quoted code, like ") +
                       draft_.short_text(lhs) + (text ? " == \"secure\"" : " == \"suspended\""));
        lhs = failed;
        continue;
      }
      // `!=` is not `not ==`: without a code both are false, as for numbers.
      lhs = code_among(lhs, {code}, range_of(*code).second,
                       op.op == token::equal ? term_kind::code_in : term_kind::code_not_in);
      continue;
    }
    // `latest(sms, letter_one) == letter_one`: the name is one of its types
    // (also after `<` and the like, which then say what may compare it).
    const syntax::name* type_name = lhs != failed && draft_.dimensions[lhs].label != 0 &&
                                            op.op >= token::less && op.op <= token::not_equal
                                        ? operand_name(op.rhs)
                                        : nullptr;
    const std::uint32_t rhs = type_name ? label_constant(lhs, *type_name) : compile(op.rhs);
    if (lhs == failed || rhs == failed) {
      lhs = failed;
      continue;
    }
    lhs = combine(op, lhs, rhs);
  }
  return lhs;
}

// `and` and `or` are associative, so grouping a chain of either changes
// no result; folded left to right, its tree would be as deep as the chain is
// long (the evaluators recurse that deep) and each step would widen its
// source text over all the operands before it (quadratic). Runs of
// chain_run operands are folded left to right as written, and the runs
// combined as a balanced tree: depth chain_run + log2(runs), time n log n.
// Errors are those of the left-to-right fold.
std::uint32_t checker::compile_long_chain(const syntax::expression& e) {
  std::vector<std::uint32_t> operands{compile(e.first)};
  for (const syntax::operation& op : e.rest) operands.push_back(compile(op.rhs));
  const syntax::operation& op = e.rest.front();
  if (operands[0] == failed) return failed;
  for (std::size_t i = 1; i < operands.size(); ++i) {
    if (operands[i] == failed) return failed;
    if ((i == 1 && rs_.nodes[operands[0]].type != expr_type::boolean) ||
        rs_.nodes[operands[i]].type != expr_type::boolean) {
      log_.error(source_.locate_at(source_.operator_after(rs_.nodes[operands[i - 1]].source_end)),
                 quoted(op.op) + " needs conditions (like arrears_days > 30) on both sides");
      return failed;
    }
  }
  std::vector<std::uint32_t> runs;
  for (std::size_t begin = 0; begin < operands.size(); begin += chain_run) {
    std::uint32_t lhs = operands[begin];
    const std::size_t end = std::min(operands.size(), begin + chain_run);
    for (std::size_t i = begin + 1; i < end; ++i) lhs = logical(op.op, lhs, operands[i]);
    runs.push_back(lhs);
  }
  return within_depth(group(op.op, runs, 0, runs.size()),
                      source_.operator_after(rs_.nodes[operands[0]].source_end));
}

std::uint32_t checker::group(token op, const std::vector<std::uint32_t>& nodes, std::size_t begin,
                             std::size_t end) {
  if (end - begin == 1) return nodes[begin];
  const std::size_t middle = begin + (end - begin) / 2;
  return logical(op, group(op, nodes, begin, middle), group(op, nodes, middle, end));
}

std::uint32_t checker::logical(token op, std::uint32_t lhs, std::uint32_t rhs) {
  const auto range = source_.balanced(rs_.nodes[lhs].source_begin, rs_.nodes[rhs].source_end);
  return draft_.add_node({op == token::logical_and ? opcode::logical_and : opcode::logical_or,
                          expr_type::boolean, unit::number, lhs, rhs, range.first, range.second});
}

std::uint32_t checker::combine(const syntax::operation& op, std::uint32_t lhs, std::uint32_t rhs) {
  const expr_node& l = rs_.nodes[lhs];
  const expr_node& r = rs_.nodes[rhs];
  const auto range = source_.balanced(l.source_begin, r.source_end);
  const std::size_t at = source_.operator_after(l.source_end);
  const std::string symbol(spelling(op.op));
  auto binary = [&](opcode code, expr_type type, unit u) {
    return within_depth(draft_.add_node({code, type, u, lhs, rhs, range.first, range.second}), at);
  };
  auto need = [&](expr_type t, const char* what) {
    if (l.type == t && r.type == t) return true;
    log_.error(source_.locate_at(at), "'" + symbol + "' needs " + what + " on both sides");
    return false;
  };
  const auto result_unit = (value::integer(1, l.measure) * value::integer(1, r.measure)).unit();
  const bool arithmetic_or_order = op.op != token::equal && op.op != token::not_equal &&
                                   op.op != token::logical_and && op.op != token::logical_or;
  if (arithmetic_or_order &&
      (!not_a_label(lhs, at, "'" + symbol + "'") || !not_a_label(rhs, at, "'" + symbol + "'")))
    return failed;
  switch (op.op) {
    case token::plus:
    case token::minus:
      if (!need(expr_type::number, "numbers")) return failed;
      if (!same_unit(lhs, rhs, at,
                     "'" + symbol + "' " + (op.op == token::plus ? "adds" : "subtracts")))
        return failed;
      return binary(op.op == token::plus ? opcode::add : opcode::subtract, expr_type::number,
                    sum_unit(l.measure, r.measure));
    case token::times:
      if (!need(expr_type::number, "numbers")) return failed;
      return binary(opcode::multiply, expr_type::number, result_unit);
    case token::divide:
      if (!need(expr_type::number, "numbers")) return failed;
      return binary(opcode::divide, expr_type::number,
                    (value::integer(1, l.measure) / value::integer(1, r.measure)).unit());
    case token::less:
    case token::less_equal:
    case token::greater:
    case token::greater_equal: {
      if (!need(expr_type::number, "numbers")) return failed;
      if (!same_unit(lhs, rhs, at, "'" + symbol + "' compares")) return failed;
      constexpr opcode codes[] = {opcode::less, opcode::less_equal, opcode::greater,
                                  opcode::greater_equal};
      return binary(codes[static_cast<int>(op.op) - static_cast<int>(token::less)],
                    expr_type::boolean, unit::number);
    }
    case token::equal:
    case token::not_equal:
      if (l.type != r.type) {
        log_.error(source_.locate_at(at), "'" + symbol + "' compares a number with a condition");
        return failed;
      }
      if (l.type == expr_type::number && !same_unit(lhs, rhs, at, "'" + symbol + "' compares"))
        return failed;
      return binary(op.op == token::equal ? opcode::equal : opcode::not_equal, expr_type::boolean,
                    unit::number);
    case token::logical_and:
    case token::logical_or:
      if (!need(expr_type::boolean, "conditions (like arrears_days > 30)")) return failed;
      return binary(op.op == token::logical_and ? opcode::logical_and : opcode::logical_or,
                    expr_type::boolean, unit::number);
    case token::logical_not:
    case token::member:  // compile_member()
      break;
  }
  return failed;
}

bool checker::same_unit(std::uint32_t a, std::uint32_t b, std::size_t at, const std::string& what) {
  if (compatible(draft_.dimensions[a], draft_.dimensions[b])) return true;
  log_.error(source_.locate_at(at),
             what + " " + draft_.short_text(a) + " (" + describe(draft_.dimensions[a]) + ") and " +
                 draft_.short_text(b) + " (" + describe(draft_.dimensions[b]) +
                 "): both sides need one unit (docs/language.md, Units)");
  return false;
}

std::uint32_t checker::within_depth(std::uint32_t node, std::size_t at) {
  if (draft_.depth[node] <= max_expression_depth) return node;
  log_.error(source_.locate_at(at),
             "expression too deep: more than " + std::to_string(max_expression_depth) +
                 " operations inside one another (a chain of '+', '-', '*', '/', '==' or '!=' "
                 "nests one per operator); group it with parentheses or split it into rules");
  return failed;
}

unit checker::sum_unit(unit a, unit b) {
  return (value::integer(1, a) + value::integer(1, b)).unit();
}

std::uint32_t checker::compile(const syntax::call& f) {
  const std::string& fn = f.function.text;
  const auto range = range_of(f);
  auto term_leaf = [&](const term& t) {
    return draft_.leaf(opcode::term, expr_type::number, unit_of(t.kind), draft_.add_term(t), range);
  };
  if (fn == "missing") {
    if (!arity(f, 1, 1, "one number: missing(days_since(payment))")) return failed;
    const std::uint32_t x = compile(f.args[0]);
    if (x == failed) return failed;
    if (rs_.nodes[x].type != expr_type::number) {
      log_.error(where(f.args[0]), "missing() takes a number, not a condition");
      return failed;
    }
    return within_depth(draft_.add_node({opcode::missing, expr_type::boolean, unit::number, x, 0,
                                         range.first, range.second}),
                        range.first);
  }
  if ((fn == "min" || fn == "max") && f.args.size() == 2 && reads_a_number(f.args[0]))
    return compile_extreme(f, fn == "min" ? opcode::minimum : opcode::maximum);
  constexpr std::pair<std::string_view, term_kind> windowed[] = {{"sum", term_kind::sum},
                                                                 {"count", term_kind::count},
                                                                 {"avg", term_kind::avg},
                                                                 {"min", term_kind::min},
                                                                 {"max", term_kind::max}};
  for (const auto& [name, kind] : windowed) {
    if (fn != name) continue;
    if (!arity(f, 1, 2, "an event type and an optional window: sum(payment, 3m)")) return failed;
    term t{kind, {}, {}, {}, {}};
    const bool selected = selector_into(f, 0, t);
    if (f.args.size() == 2 && !window_into(f, 1, t)) return failed;
    if (!selected) return failed;
    return term_leaf(t);
  }
  if ((fn == "days_since" || fn == "days_until") && f.args.size() == 1)
    if (const syntax::name* n = as_name(f.args[0]))
      if (const auto a = attribute_named(n->text)) {
        if (rs_.attributes[*a].kind != attribute_kind::date) {
          log_.error(where(f.args[0]), fn + "() of an attribute reads a date; '" + n->text +
                                           "' is declared " +
                                           std::string(to_string(rs_.attributes[*a].kind)));
          return failed;
        }
        return attribute_leaf(
            *a,
            fn == "days_since" ? term_kind::attribute_days_since : term_kind::attribute_days_until,
            range);
      }
  if (fn == "last" || fn == "days_since") {
    if (!arity(f, 1, 1, "one event type: last(payment)")) return failed;
    term t{fn == "last" ? term_kind::last : term_kind::days_since, {}, {}, {}, {}};
    if (!selector_into(f, 0, t)) return failed;
    return term_leaf(t);
  }
  if (fn == "code") {
    if (!arity(f, 1, 1, "one event type: code(court_outcome)")) return failed;
    const auto type = event_type_arg(f, 0);
    if (!type) return failed;
    return term_leaf({term_kind::code, *type, {}});
  }
  if (fn == "latest") {
    if (f.args.empty()) {
      log_.error(where(f), "latest() takes event types: latest(sms, letter_one, letter_two)");
      return failed;
    }
    term t{term_kind::latest, {}, {}, {}};
    for (std::size_t i = 0; i < f.args.size(); ++i) {
      const auto type = event_type_arg(f, i);
      if (!type) return failed;
      if (std::find(t.event_types.begin(), t.event_types.end(), *type) != t.event_types.end()) {
        log_.error(where(f.args[i]), "latest() names '" + *type + "' twice");
        return failed;
      }
      t.event_types.push_back(*type);
    }
    return term_leaf(t);
  }
  if (fn == "days_until") {
    if (!arity(f, 1, 1, "one scheduled event type: days_until(hearing)")) return failed;
    term t{term_kind::days_until, {}, {}, {}, {}};
    if (!selector_into(f, 0, t)) return failed;
    if (!rs_.is_scheduled(t.event_type)) {
      log_.error(where(f.args[0]),
                 "days_until() reads an event type declared scheduled, whose events may lie ahead; "
                 "'" +
                     t.event_type + "' is not: declare 'event " + t.event_type +
                     " scheduled' (docs/language.md, Scheduled events)");
      return failed;
    }
    return term_leaf(t);
  }
  if (fn == "balance_at") {
    if (!arity(f, 1, 1, "one window: balance_at(3m)")) return failed;
    term t{term_kind::balance_at, {}, {}, {}, {}};
    if (!window_into(f, 0, t)) return failed;
    return term_leaf(t);
  }
  if (fn == "trend") {
    if (!arity(f, 2, 2, "a signal and a number of months: trend(balance, 6m)")) return failed;
    const syntax::name* signal = as_name(f.args[0]);
    if (signal == nullptr || (signal->text != "balance" && signal->text != "arrears")) {
      log_.error(where(f.args[0]), "trend() follows balance or arrears");
      return failed;
    }
    const auto window = window_arg(f, 1);
    if (!window) return failed;
    if (window->per != period::month && window->per != period::year) {
      log_.error(where(f.args[1]), "trend() samples monthly: give months or years, like 6m");
      return failed;
    }
    const std::int32_t months = window->per == period::year ? window->count * 12 : window->count;
    if (months < 2) {
      log_.error(where(f.args[1]), "trend() needs at least 2 monthly samples (2m or more)");
      return failed;
    }
    return term_leaf(
        {signal->text == "balance" ? term_kind::trend_balance : term_kind::trend_arrears,
         {},
         duration{months, period::month}});
  }
  if (log_.full()) return failed;
  std::vector<std::string> names(functions.begin(), functions.end());
  log_.error(where(f.function),
             "unknown function '" + fn + "'" + did_you_mean(nearest_name(fn, names)));
  return failed;
}

std::uint32_t checker::compile_extreme(const syntax::call& f, opcode op) {
  const std::uint32_t a = compile(f.args[0]);
  const std::uint32_t b = compile(f.args[1]);
  if (a == failed || b == failed) return failed;
  for (std::size_t i = 0; i < 2; ++i)
    if (rs_.nodes[i == 0 ? a : b].type != expr_type::number) {
      log_.error(where(f.args[i]),
                 f.function.text + "() of two values takes numbers, not conditions");
      return failed;
    }
  const auto range = range_of(f);
  if (!not_a_label(a, range.first, f.function.text + "()") ||
      !not_a_label(b, range.first, f.function.text + "()"))
    return failed;
  if (!same_unit(a, b, range.first, f.function.text + "() of two numbers takes")) return failed;
  const unit u = sum_unit(rs_.nodes[a].measure, rs_.nodes[b].measure);
  return within_depth(draft_.add_node({op, expr_type::number, u, a, b, range.first, range.second}),
                      range.first);
}

bool checker::arity(const syntax::call& f, std::size_t lo, std::size_t hi, const char* shape) {
  if (f.args.size() >= lo && f.args.size() <= hi) return true;
  log_.error(where(f), f.function.text + "() takes " + shape);
  return false;
}

// A number (min and max of two numbers) rather than an event type (over a
// window): any expression but a bare name, and names of signals, params and
// definitions.
bool checker::reads_a_number(const syntax::expression& first) const {
  // `min(court_outcome("suspended"), 1y)`: a type with codes.
  if (const syntax::call* c = as_call(first)) return is_function(c->function.text);
  const syntax::name* n = as_name(first);
  if (n == nullptr || definition_index_.count(n->text) != 0 || rs_.find_attribute(n->text))
    return true;
  for (const auto& s : signals)
    if (s.name == n->text) return true;
  for (const auto& p : rs_.params)
    if (p.name == n->text) return true;
  return false;
}

std::optional<std::string> checker::event_type_arg(const syntax::call& f, std::size_t i) {
  const syntax::name* n = as_name(f.args[i]);
  if (n == nullptr || !is_valid_type_name(n->text)) {
    const syntax::call* c = as_call(f.args[i]);
    log_.error(where(f.args[i]),
               f.function.text + "() needs an event type name here (like payment or charge)" +
                   (c && !is_function(c->function.text) ? ", without codes" : ""));
    return std::nullopt;
  }
  warn_if_unknown_type(*n);
  return n->text;
}

// `payment`, or `court_outcome("suspended", "outright")`, which reads the
// events of that type with one of those codes (docs/language.md, Event codes).
bool checker::selector_into(const syntax::call& f, std::size_t i, term& t) {
  const syntax::call* c = as_call(f.args[i]);
  if (c == nullptr || is_function(c->function.text)) {
    const auto type = event_type_arg(f, i);
    if (type) t.event_type = *type;
    return type.has_value();
  }
  const std::string& type = c->function.text;
  if (!is_valid_type_name(type)) {
    log_.error(where(c->function), "'" + type + "' is not an event type name ([a-z][a-z0-9_]*)");
    return false;
  }
  if (c->args.empty()) {
    log_.error(where(*c), "list the codes of " + type + " in quotes: " + type + "(\"suspended\")");
    return false;
  }
  warn_if_unknown_type(c->function);
  std::vector<std::string> codes;
  for (const syntax::expression& arg : c->args) {
    const syntax::text_literal* code = as_text(arg);
    if (code == nullptr) {
      log_.error(where(arg),
                 "the codes of " + type + "(…) are quoted: " + type + "(\"suspended\")");
      return false;
    }
    if (!valid_code(*code)) return false;
    codes.push_back(code->text);
  }
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
  t.event_type = type;
  t.codes = std::move(codes);
  return true;
}

// A typo would otherwise read nothing.
void checker::warn_if_unknown_type(const syntax::name& n) {
  bool known = false;
  std::vector<std::string> types;
  for (const auto t : builtin_type_names) types.emplace_back(t);
  for (const auto& e : rs_.events) types.push_back(e.name);
  for (const auto& t : types) known = known || t == n.text;
  if (!known) {
    const std::string near = nearest_name(n.text, types);
    if (!near.empty())
      log_.warn(where(n), "event type '" + n.text + "' is not built in or declared" +
                              did_you_mean(near) + " (declare it with 'event " + n.text +
                              "' if it is meant)");
  }
}

std::optional<duration> checker::window_arg(const syntax::call& f, std::size_t i) {
  if (const syntax::name* n = as_name(f.args[i]))
    if (const auto w = window_to_date(n->text)) return w;
  if (const auto* d = as_duration(f.args[i])) {
    const auto span = make_duration(d->count, d->unit);
    if (!span) log_.error(where(*d), "duration is longer than 100000 days, weeks, months or years");
    return span;
  }
  if (const syntax::name* n = as_name(f.args[i])) {
    for (const param& p : rs_.params)
      if (p.name == n->text) {
        param_read_[static_cast<std::size_t>(&p - rs_.params.data())] = true;
        if (p.span) return p.span;
        log_.error(where(*n), "param '" + n->text +
                                  "' is a number; a window needs a duration "
                                  "(like 90d, 2w, 6m or 1y)");
        return std::nullopt;
      }
  }
  log_.error(where(f.args[i]), f.function.text +
                                   "() needs a window here: a duration like 90d, 2w, 6m "
                                   "or 1y, a param holding one, or week_to_date, month_to_date "
                                   "or year_to_date");
  return std::nullopt;
}

// A fixed window is a duration, a duration param or a window to date; any
// other is an expression in days, computed per household (docs/language.md,
// Time).
bool checker::window_into(const syntax::call& f, std::size_t i, term& t) {
  const syntax::name* n = as_name(f.args[i]);
  bool fixed = as_duration(f.args[i]) != nullptr || (n && window_to_date(n->text));
  for (const param& p : rs_.params) fixed = fixed || (n && p.name == n->text);
  if (fixed) {
    t.window = window_arg(f, i);
    return t.window.has_value();
  }
  const std::uint32_t x = compile(f.args[i]);
  if (x == failed) return false;
  if (rs_.nodes[x].type == expr_type::number && draft_.dimensions[x] == dimension::of_days()) {
    t.window_days = x;
    return true;
  }
  log_.error(where(f.args[i]),
             f.function.text +
                 "() needs a window here: a duration like 90d, 2w, 6m or 1y, a "
                 "param holding one, week_to_date, month_to_date, year_to_date, "
                 "or an expression in days like days_since(plan); " +
                 draft_.short_text(x) + " is " +
                 (rs_.nodes[x].type == expr_type::boolean ? std::string("a condition")
                                                          : describe(draft_.dimensions[x])));
  return false;
}

bool checker::valid_code(const syntax::text_literal& code) {
  if (code.text.empty()) {
    log_.error(where(code),
               "a code is never empty: an event without a code has no value for code()");
    return false;
  }
  if (const auto problem = code_problem(code.text)) {
    log_.error(where(code), "code \"" + code.text + "\" " + std::string(*problem) +
                                ", so no event can carry it (docs/limits.md)");
    return false;
  }
  return true;
}

bool checker::is_code(std::uint32_t node) const { return draft_.dimensions[node].event_code; }

std::uint32_t checker::code_among(std::uint32_t node,
                                  const std::vector<const syntax::text_literal*>& codes,
                                  std::uint32_t end, term_kind kind) {
  term t = rs_.terms[draft_.dimensions[node].label - 1];
  // A text attribute compares as a code does.
  if (t.kind == term_kind::attribute)
    kind = kind == term_kind::code_in ? term_kind::attribute_in : term_kind::attribute_not_in;
  t.kind = kind;
  for (const syntax::text_literal* code : codes) {
    if (!valid_code(*code)) return failed;
    t.codes.push_back(code->text);
  }
  std::sort(t.codes.begin(), t.codes.end());
  t.codes.erase(std::unique(t.codes.begin(), t.codes.end()), t.codes.end());
  const auto range = source_.balanced(rs_.nodes[node].source_begin, end);
  return within_depth(
      draft_.leaf(opcode::term, expr_type::boolean, unit::number, draft_.add_term(t), range),
      range.first);
}

bool checker::not_a_label(std::uint32_t node, std::size_t at, const std::string& what) {
  if (draft_.dimensions[node].label == 0) return true;
  if (is_code(node)) {
    log_.error(source_.locate_at(at),
               what + " takes numbers; " + draft_.short_text(node) + " is " +
                   (draft_.dimensions[node].attribute_text ? "a text attribute" : "an event code") +
                   ": compare it with ==, != or in, like " + draft_.short_text(node) + " == \"" +
                   (draft_.dimensions[node].attribute_text ? "secure" : "suspended") + "\"");
    return false;
  }
  log_.error(source_.locate_at(at), what + " takes numbers; " + draft_.short_text(node) +
                                        " is an event type: compare it with ==, != or in, like " +
                                        draft_.short_text(node) +
                                        " == " + label_names(node).front());
  return false;
}

const std::vector<std::string>& checker::label_names(std::uint32_t node) const {
  return rs_.terms[draft_.dimensions[node].label - 1].event_types;
}

std::optional<value> checker::label_value(std::uint32_t node, const syntax::name& n) {
  const std::vector<std::string>& names = label_names(node);
  const auto it = std::find(names.begin(), names.end(), n.text);
  if (it == names.end()) {
    std::string listed;
    for (const std::string& t : names) listed += (listed.empty() ? "" : ", ") + t;
    log_.error(where(n), "'" + n.text + "' is not one of the types " + draft_.short_text(node) +
                             " chooses from (" + listed + ")" +
                             did_you_mean(nearest_name(n.text, names)));
    return std::nullopt;
  }
  return value::integer(static_cast<std::int64_t>(it - names.begin()) + 1);
}

std::uint32_t checker::label_constant(std::uint32_t node, const syntax::name& n) {
  const auto v = label_value(node, n);
  if (!v) return failed;
  rs_.constants.push_back(*v);
  const std::uint32_t c =
      draft_.leaf(opcode::constant, expr_type::number, unit::number,
                  static_cast<std::uint32_t>(rs_.constants.size() - 1), range_of(n));
  draft_.dimensions[c] = draft_.dimensions[node];
  return c;
}

std::uint32_t checker::compile_member(std::uint32_t lhs, const syntax::operation& op) {
  const auto* list = boost::get<syntax::x3::forward_ast<syntax::call>>(&op.rhs);
  if (list == nullptr) return failed;  // the grammar gives a list
  const syntax::call& items = list->get();
  const std::size_t at = source_.operator_after(rs_.nodes[lhs].source_end);
  if (rs_.nodes[lhs].type != expr_type::number) {
    log_.error(source_.locate_at(at),
               "'in' needs a number, latest(...) or code(...) on its left, not a condition");
    return failed;
  }
  if (items.args.empty()) {
    log_.error(where(items), "'in' needs at least one item: x in (1, 2)");
    return failed;
  }
  if (is_code(lhs)) {
    std::vector<const syntax::text_literal*> codes;
    for (const syntax::expression& item : items.args) {
      codes.push_back(as_text(item));
      if (codes.back() == nullptr) {
        log_.error(where(item),
                   "the items after " + draft_.short_text(lhs) + " in are " +
                       (draft_.dimensions[lhs].attribute_text ? "quoted texts (\"secure\", …)"
                                                              : "quoted codes (\"suspended\", …)"));
        return failed;
      }
    }
    return code_among(lhs, codes, range_of(items).second);
  }
  std::vector<value> set;
  for (const syntax::expression& item : items.args) {
    if (draft_.dimensions[lhs].label != 0) {
      const syntax::name* n = as_name(item);
      if (n == nullptr) {
        log_.error(where(item), "the items after " + draft_.short_text(lhs) +
                                    " in are event types (" + label_names(lhs).front() + ", …)");
        return failed;
      }
      const auto v = label_value(lhs, *n);
      if (!v) return failed;
      set.push_back(*v);
      continue;
    }
    const std::uint32_t x = compile(item);
    if (x == failed) return failed;
    const expr_node node = rs_.nodes[x];
    const bool fixed =
        node.op == opcode::constant || (node.op == opcode::param && !rs_.params[node.a].span);
    if (!fixed) {
      log_.error(where(item), "the items of 'in' are numbers or params holding numbers");
      return failed;
    }
    if (!same_unit(lhs, x, range_of(item).first, "'in' compares")) return failed;
    set.push_back(node.op == opcode::constant ? rs_.constants[node.a] : rs_.params[node.a].number);
  }
  rs_.value_sets.push_back(std::move(set));
  const auto range = source_.balanced(rs_.nodes[lhs].source_begin, range_of(items).second);
  return within_depth(draft_.add_node({opcode::member, expr_type::boolean, unit::number, lhs,
                                       static_cast<std::uint32_t>(rs_.value_sets.size() - 1),
                                       range.first, range.second}),
                      at);
}

void checker::check_rules() {
  for (const syntax::item& item : parsed_.items) {
    if (log_.full()) break;
    if (const auto* r = boost::get<syntax::rule_declaration>(&item)) compile_rule(*r);
  }
}

void checker::compile_rule(const syntax::rule_declaration& r) {
  const auto found = rule_index_.find(r.rule.text);
  if (found == rule_index_.end()) return;
  rule& out = rs_.rules[found->second];
  if (out.where.line != where(r.rule).line || out.where.column != where(r.rule).column) return;
  current_reads_.clear();
  bool seen[8] = {};
  const char* names[8] = {"when",     "severity", "score",       "message",
                          "cooldown", "tags",     "raise_after", "clear_after"};
  bool have_when = false;
  for (const syntax::clause& c : r.clauses) {
    const int kind = c.get().which();
    const source_location at = clause_location(c);
    if (seen[kind]) {
      log_.error(at, "rule '" + out.name + "' has more than one " + names[kind] + " clause");
      continue;
    }
    seen[kind] = true;
    if (const auto* w = boost::get<syntax::when_clause>(&c)) {
      const std::size_t reads_before = current_reads_.size();
      const std::uint32_t n = compile(w->condition);
      draft_.when_reads[found->second].assign(current_reads_.begin() + reads_before,
                                              current_reads_.end());
      if (n != failed && rs_.nodes[n].type != expr_type::boolean)
        log_.error(where(w->condition),
                   "a when clause needs a condition (like arrears_days > 30), not a number");
      else if (n != failed)
        out.when = n, have_when = true;
    } else if (const auto* s = boost::get<syntax::severity_clause>(&c)) {
      if (const auto level = parse_severity(s->level.text)) {
        out.level = *level;
      } else {
        const std::vector<std::string> levels = {"info", "low", "medium", "high", "critical"};
        log_.error(where(s->level), "unknown severity '" + s->level.text +
                                        "' (info, low, medium, high or critical)" +
                                        did_you_mean(nearest_name(s->level.text, levels)));
      }
    } else if (const auto* sc = boost::get<syntax::score_clause>(&c)) {
      const std::uint32_t n = compile(sc->score);
      if (n != failed && rs_.nodes[n].type != expr_type::number)
        log_.error(where(sc->score), "a score is a number, not a condition");
      else if (n != failed && not_a_label(n, range_of(sc->score).first, "a score"))
        out.score = n;
    } else if (const auto* m = boost::get<syntax::message_clause>(&c)) {
      compile_message(m->message, out);
    } else if (const auto* cd = boost::get<syntax::cooldown_clause>(&c)) {
      compile_span(cd->span, out.cooldown, "a cooldown");
    } else if (const auto* ra = boost::get<syntax::raise_after_clause>(&c)) {
      compile_span(ra->span, out.raise_after, "raise_after");
    } else if (const auto* ca = boost::get<syntax::clear_after_clause>(&c)) {
      compile_span(ca->span, out.clear_after, "clear_after");
    } else if (const auto* t = boost::get<syntax::tags_clause>(&c)) {
      for (const syntax::tag& tag : t->tags) {
        if (const auto* n = boost::get<syntax::name>(&tag))
          out.tags.push_back(n->text);
        else
          out.tags.push_back(boost::get<std::string>(tag));
      }
    }
  }
  if (!have_when && !seen[0])
    log_.error(out.where, "rule '" + out.name + "' has no when clause: say when it fires");
  std::sort(current_reads_.begin(), current_reads_.end());
  current_reads_.erase(std::unique(current_reads_.begin(), current_reads_.end()),
                       current_reads_.end());
  out.reads_rules = current_reads_;
}

source_location checker::clause_location(const syntax::clause& c) const {
  return boost::apply_visitor([this](const auto& clause) { return where(clause); }, c);
}

void checker::compile_message(const syntax::message_literal& pieces, rule& out) {
  for (const syntax::message_piece& piece : pieces) {
    if (const auto* text = boost::get<std::string>(&piece)) {
      if (!out.message.empty() && !out.message.back().expression)
        out.message.back().text += *text;
      else
        out.message.push_back({*text, std::nullopt});
      continue;
    }
    const auto& interpolation = boost::get<syntax::interpolation>(piece);
    const std::uint32_t n = compile(interpolation.value);
    if (n != failed) out.message.push_back({{}, n});
  }
}

void checker::compile_span(const syntax::operand& span, std::optional<duration>& out,
                           const std::string& clause) {
  if (const auto* d = boost::get<syntax::duration_literal>(&span)) {
    out = make_duration(d->count, d->unit);
    if (!out) log_.error(where(*d), "duration is longer than 100000 days, weeks, months or years");
    return;
  }
  const auto& n = boost::get<syntax::name>(span);
  std::vector<std::string> durations;
  for (const param& p : rs_.params) {
    if (p.name == n.text) {
      param_read_[static_cast<std::size_t>(&p - rs_.params.data())] = true;
      if (p.span) {
        out = p.span;
      } else {
        log_.error(where(n), "param '" + n.text + "' is a number; " + clause +
                                 " needs a duration (like 30d)");
      }
      return;
    }
    if (p.span) durations.push_back(p.name);
  }
  log_.error(where(n), "unknown name '" + n.text + "': " + clause +
                           " needs a duration (like 30d) or a param holding one" +
                           did_you_mean(nearest_name(n.text, durations)));
}

}  // namespace earlywarn::rules_front

// Declarations: every name a rules file gives, checked against the names it
// already has; the params set from outside; and the names never read.

#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "builtins.hpp"
#include "checker.hpp"
#include "literals.hpp"

namespace earlywarn::rules_front {

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
  param_read_.assign(draft_.params().size(), false);
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
    for (param& p : draft_.params())
      if (p.name == name) target = &p;
    if (target == nullptr) {
      std::vector<std::string> names;
      for (const param& p : draft_.params()) names.push_back(p.name);
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
       p < draft_.params().size() && !log_.has_errors() && parsed_.diagnostics.empty(); ++p)
    if (!param_read_[p])
      log_.warn(draft_.params()[p].where,
                "param '" + draft_.params()[p].name +
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
  for (const param& existing : draft_.params())
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
  draft_.params().push_back(std::move(out));
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
  for (const auto& p : draft_.params())
    if (p.name == n) return "a param";
  if (rule_index_.count(n) != 0) return "a rule";
  if (definition_index_.count(n) != 0) return "a definition";
  if (rs_.find_attribute(n)) return "a household attribute";
  for (const decision& d : rs_.decisions)
    if (d.name == n) return "a decision";
  if (window_to_date(n)) return "a window";
  return {};
}

}  // namespace earlywarn::rules_front

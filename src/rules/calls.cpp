// Function calls: sum, count, avg, min, max, last, days_since, days_until,
// balance_at, trend, missing, latest and code, with their event selectors
// (a type, or a type with codes) and windows (fixed, or in days).

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "builtins.hpp"
#include "checker.hpp"
#include "literals.hpp"
#include "syntax_shapes.hpp"

namespace earlywarn::rules_front {

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
  for (const auto& p : draft_.params())
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
    for (const param& p : draft_.params())
      if (p.name == n->text) {
        param_read_[static_cast<std::size_t>(&p - draft_.params().data())] = true;
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
  for (const param& p : draft_.params()) fixed = fixed || (n && p.name == n->text);
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

}  // namespace earlywarn::rules_front

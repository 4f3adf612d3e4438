// Labels: latest(...) names an event type, code(...) an event code, and a
// text attribute a text; none is a quantity. They are compared with ==, !=
// and `in` only, with the types listed or with quoted codes. `in` over
// numbers is checked here too.

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "checker.hpp"
#include "earlywarn/model/event_code.hpp"
#include "syntax_shapes.hpp"

namespace earlywarn::rules_front {

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
        node.op == opcode::constant || (node.op == opcode::param && !draft_.params()[node.a].span);
    if (!fixed) {
      log_.error(where(item), "the items of 'in' are numbers or params holding numbers");
      return failed;
    }
    if (!same_unit(lhs, x, range_of(item).first, "'in' compares")) return failed;
    set.push_back(node.op == opcode::constant ? rs_.constants[node.a]
                                              : draft_.params()[node.a].number);
  }
  rs_.value_sets.push_back(std::move(set));
  const auto range = source_.balanced(rs_.nodes[lhs].source_begin, range_of(items).second);
  return within_depth(draft_.add_node({opcode::member, expr_type::boolean, unit::number, lhs,
                                       static_cast<std::uint32_t>(rs_.value_sets.size() - 1),
                                       range.first, range.second}),
                      at);
}

}  // namespace earlywarn::rules_front

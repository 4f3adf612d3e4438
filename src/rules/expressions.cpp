// Expressions: literals, unary and binary operators, and long `and`/`or`
// chains, type-checked (numbers and conditions), unit-checked
// (dimension.hpp) and lowered to nodes of the ruleset draft.

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "checker.hpp"
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

}  // namespace earlywarn::rules_front

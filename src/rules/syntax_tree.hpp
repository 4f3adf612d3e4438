#pragma once
// The syntax tree of a rules file as the X3 grammar produces it. Private to
// the rules front end: consumers see only the compiled `ruleset`.

#include <boost/optional.hpp>
#include <boost/spirit/home/x3/support/ast/position_tagged.hpp>
#include <boost/spirit/home/x3/support/ast/variant.hpp>
#include <string>
#include <vector>

namespace earlywarn::syntax {

namespace x3 = boost::spirit::x3;

struct number_literal : x3::position_tagged {
  std::string text;  // exact decimal text, possibly with a leading '-'
};

struct duration_literal : x3::position_tagged {
  unsigned count = 0;
  char unit = 'd';
};

struct name : x3::position_tagged {
  std::string text;
};

// A quoted text in an expression: an event code (`code(letter) == "final"`).
struct text_literal : x3::position_tagged {
  std::string text;
};

// Operators as parsed; an enum (not text) so X3 keeps them apart from operands.
enum class token {
  plus,
  minus,
  times,
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
  member,  // `in`: its rhs is a call without a function name, the list
};

struct call;
struct unary;
struct expression;

struct operand : x3::variant<duration_literal, number_literal, x3::forward_ast<call>, name,
                             x3::forward_ast<unary>, x3::forward_ast<expression>, text_literal> {
  using base_type::base_type;
  using base_type::operator=;
};

struct operation : x3::position_tagged {
  token op = token::plus;
  operand rhs;
};

// One precedence level: first op rhs op rhs …, left-associative.
struct expression : x3::position_tagged {
  operand first;
  std::vector<operation> rest;
};

struct unary : x3::position_tagged {
  token op = token::minus;  // minus or logical_not
  operand rhs;
};

struct call : x3::position_tagged {
  name function;
  std::vector<expression> args;
};

struct interpolation : x3::position_tagged {
  expression value;
};

struct message_piece : x3::variant<std::string, interpolation> {
  using base_type::base_type;
  using base_type::operator=;
};

using message_literal = std::vector<message_piece>;

struct literal_value : x3::variant<duration_literal, number_literal> {
  using base_type::base_type;
  using base_type::operator=;
};

struct ruleset_header : x3::position_tagged {
  std::string name;
  boost::optional<unsigned> version;  // 1 when left out
};

struct param_declaration : x3::position_tagged {
  name param;
  literal_value value;
};

// `define NAME = EXPRESSION`: a value or condition named once, read by rules
// and other definitions; never a row of the worklist.
struct definition_declaration : x3::position_tagged {
  name defined;
  expression value;
};

struct event_declaration : x3::position_tagged {
  name type;
  boost::optional<name> effect;
};

// `attribute NAME KIND`: a household attribute the rules read.
struct attribute_declaration : x3::position_tagged {
  name attribute;
  name kind;
};

struct when_clause : x3::position_tagged {
  expression condition;
};
struct severity_clause : x3::position_tagged {
  name level;
};
struct score_clause : x3::position_tagged {
  expression score;
};
struct message_clause : x3::position_tagged {
  message_literal message;
};
struct cooldown_clause : x3::position_tagged {
  operand span;  // a duration literal or a param name
};
struct raise_after_clause : x3::position_tagged {
  operand span;  // a duration literal or a param name
};
struct clear_after_clause : x3::position_tagged {
  operand span;  // a duration literal or a param name
};
struct tag : x3::variant<name, std::string> {
  using base_type::base_type;
  using base_type::operator=;
};
struct tags_clause : x3::position_tagged {
  std::vector<tag> tags;
};

struct clause : x3::variant<when_clause, severity_clause, score_clause, message_clause,
                            cooldown_clause, tags_clause, raise_after_clause, clear_after_clause> {
  using base_type::base_type;
  using base_type::operator=;
};

struct rule_declaration : x3::position_tagged {
  name rule;
  std::vector<clause> clauses;
};

// `decision NAME POLICY {` opens a decision; the rules up to its `}` are its
// own. Opening and end are items of their own, so that a broken rule inside
// a decision is reported and skipped like any other.
struct decision_opening : x3::position_tagged {
  name decided;
  name policy;
};

struct decision_end : x3::position_tagged {
  std::string brace;
};

struct item
    : x3::variant<ruleset_header, param_declaration, event_declaration, rule_declaration,
                  definition_declaration, decision_opening, decision_end, attribute_declaration> {
  using base_type::base_type;
  using base_type::operator=;
};

}  // namespace earlywarn::syntax

#pragma once
// The entry points of the rules grammar. Only grammar.cpp sees the grammar
// itself, so Spirit X3 is compiled in one translation unit.

#include <boost/spirit/home/x3/support/ast/position_tagged.hpp>
#include <string>
#include <vector>

#include "earlywarn/loading/load_rules.hpp"
#include "syntax_tree.hpp"

namespace earlywarn::grammar {

using iterator = const char*;

/// Records where each tagged node of the syntax tree came from.
struct position_tagger {
  position_tagger(iterator first, iterator last) : cache(first, last) {}

  boost::spirit::x3::position_cache<std::vector<iterator>> cache;

  template <class Node>
  void tag(Node& node, iterator first, iterator last) {
    cache.annotate(node, first, last);
  }
};

/// Words that start a declaration or clause, and the logical operators: never
/// names, so a clause keyword after an unfinished expression is not read as
/// its operand.
inline constexpr const char* keywords[] = {
    "and",         "or",          "not",  "ruleset",  "param", "event",   "attribute",
    "rule",        "define",      "when", "severity", "score", "message", "cooldown",
    "raise_after", "clear_after", "tags", "decision", "in"};

/// How deeply parentheses, function calls, `-` and `not` may nest: the parser
/// recurses through every precedence level once per level of nesting.
inline constexpr unsigned max_nesting = max_expression_nesting;

/// What parsing one top-level item found.
enum class item_status { parsed, end_of_input, no_item, expectation_failed, too_deep };

/// Where and what the grammar expected when an item broke off (for
/// `too_deep`, where the level beyond max_nesting begins).
struct parse_failure {
  iterator where = nullptr;
  std::string expected;
};

/// Skips white space and comments.
void skip_blank(iterator& first, iterator last);

/// Parses one declaration (ruleset header, param, event, define, rule, or a
/// decision's opening or closing brace) at `first`,
/// advancing `first` past it when parsed.
item_status parse_item(iterator& first, iterator last, syntax::item& out, position_tagger& tagger,
                       parse_failure& failure);

}  // namespace earlywarn::grammar

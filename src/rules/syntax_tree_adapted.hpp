#pragma once
// Fusion adaptation of the syntax tree, so X3 can fill the structs.

#include <boost/fusion/include/adapt_struct.hpp>

#include "syntax_tree.hpp"

BOOST_FUSION_ADAPT_STRUCT(earlywarn::syntax::number_literal, text)
BOOST_FUSION_ADAPT_STRUCT(earlywarn::syntax::duration_literal, count, unit)
BOOST_FUSION_ADAPT_STRUCT(earlywarn::syntax::name, text)
BOOST_FUSION_ADAPT_STRUCT(earlywarn::syntax::text_literal, text)
BOOST_FUSION_ADAPT_STRUCT(earlywarn::syntax::operation, op, rhs)
BOOST_FUSION_ADAPT_STRUCT(earlywarn::syntax::expression, first, rest)
BOOST_FUSION_ADAPT_STRUCT(earlywarn::syntax::unary, op, rhs)
BOOST_FUSION_ADAPT_STRUCT(earlywarn::syntax::call, function, args)
BOOST_FUSION_ADAPT_STRUCT(earlywarn::syntax::interpolation, value)
BOOST_FUSION_ADAPT_STRUCT(earlywarn::syntax::ruleset_header, name, version)
BOOST_FUSION_ADAPT_STRUCT(earlywarn::syntax::param_declaration, param, value)
BOOST_FUSION_ADAPT_STRUCT(earlywarn::syntax::event_declaration, type, effect)
BOOST_FUSION_ADAPT_STRUCT(earlywarn::syntax::definition_declaration, defined, value)
BOOST_FUSION_ADAPT_STRUCT(earlywarn::syntax::attribute_declaration, attribute, kind)
BOOST_FUSION_ADAPT_STRUCT(earlywarn::syntax::when_clause, condition)
BOOST_FUSION_ADAPT_STRUCT(earlywarn::syntax::severity_clause, level)
BOOST_FUSION_ADAPT_STRUCT(earlywarn::syntax::score_clause, score)
BOOST_FUSION_ADAPT_STRUCT(earlywarn::syntax::message_clause, message)
BOOST_FUSION_ADAPT_STRUCT(earlywarn::syntax::cooldown_clause, span)
BOOST_FUSION_ADAPT_STRUCT(earlywarn::syntax::raise_after_clause, span)
BOOST_FUSION_ADAPT_STRUCT(earlywarn::syntax::clear_after_clause, span)
BOOST_FUSION_ADAPT_STRUCT(earlywarn::syntax::tags_clause, tags)
BOOST_FUSION_ADAPT_STRUCT(earlywarn::syntax::rule_declaration, rule, clauses)
BOOST_FUSION_ADAPT_STRUCT(earlywarn::syntax::decision_opening, decided, policy)
BOOST_FUSION_ADAPT_STRUCT(earlywarn::syntax::decision_end, brace)

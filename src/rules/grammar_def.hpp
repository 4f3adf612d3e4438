#pragma once
// The rules grammar (docs/language.md). Names given to rules are what diagnostics say
// was expected, so they read as English: "expected an expression".

#include <boost/spirit/home/x3.hpp>
#include <boost/spirit/home/x3/support/utility/annotate_on_success.hpp>

#include "grammar.hpp"
#include "syntax_tree_adapted.hpp"

namespace earlywarn::grammar {

namespace x3 = boost::spirit::x3;
using x3::char_;
using x3::eoi;
using x3::eol;
using x3::lexeme;
using x3::lit;
using x3::raw;

struct tagged : x3::annotate_on_success {};

// Rule ids; those deriving from `tagged` record source positions.
struct name_class : tagged {};
struct number_class : tagged {};
struct signed_number_class : tagged {};
struct duration_class : tagged {};
struct call_class : tagged {};
struct text_class : tagged {};
struct member_list_class : tagged {};
struct negation_class : tagged {};
struct logical_not_class : tagged {};
struct primary_class : tagged {};
struct unary_expr_class : tagged {};
struct multiplicative_class : tagged {};
struct additive_class : tagged {};
struct relational_class : tagged {};
struct equality_class : tagged {};
struct not_expr_class : tagged {};
struct and_expr_class : tagged {};
struct expression_class : tagged {};
struct interpolation_class : tagged {};
struct ruleset_header_class : tagged {};
struct param_class : tagged {};
struct event_class : tagged {};
struct attribute_class : tagged {};
struct definition_class : tagged {};
struct when_class : tagged {};
struct severity_class : tagged {};
struct score_class : tagged {};
struct message_clause_class : tagged {};
struct cooldown_class : tagged {};
struct raise_after_class : tagged {};
struct clear_after_class : tagged {};
struct tags_class : tagged {};
struct rule_class : tagged {};
struct decision_opening_class : tagged {};
struct decision_end_class : tagged {};
struct item_class;
struct clause_class;
struct operand_class;

// ASCII classes spelled out: X3's alnum, alpha, digit and space pass a plain
// (signed) char to std::isalnum and friends, undefined for bytes of UTF-8.
const auto letter = char_('a', 'z') | char_('A', 'Z');
const auto digit = char_('0', '9');
const auto identifier_char = letter | digit | char_('_');
const auto blank = char_(" \t\n\r\f\v");

// A keyword is a whole word: `order` is a name, not `or` followed by `der`.
inline auto keyword(const char* word) { return lexeme[lit(word) >> !identifier_char]; }

const auto skipper = blank | lexeme['#' >> *(char_ - eol) >> (eol | eoi)];

struct keyword_table : x3::symbols<x3::unused_type> {
  keyword_table() {
    for (const char* word : keywords) add(word);
  }
};
const keyword_table keyword_words;
const auto reserved = lexeme[keyword_words >> !identifier_char];

/// Thrown when an expression nests deeper than max_nesting.
struct nesting_too_deep {
  iterator where;
};

/// The nesting depth of the expression being parsed, reached through the context.
struct nesting_tag;
struct nesting_depth {
  unsigned levels = 0;
};

// nested[p] parses p one level deeper, refusing to go past max_nesting
// before the recursion can exhaust the stack.
template <class Subject>
struct nested_directive : x3::unary_parser<Subject, nested_directive<Subject>> {
  using base_type = x3::unary_parser<Subject, nested_directive<Subject>>;
  static constexpr bool is_pass_through_unary = true;
  static constexpr bool handles_container = Subject::handles_container;

  constexpr nested_directive(const Subject& subject) : base_type(subject) {}

  template <class It, class Context, class RContext, class Attribute>
  bool parse(It& first, const It& last, const Context& context, RContext& rcontext,
             Attribute& attr) const {
    // The outermost expression is level 0: `((x))` nests 2 levels.
    unsigned& levels = x3::get<nesting_tag>(context).get().levels;
    if (levels > max_nesting) throw nesting_too_deep{first};
    ++levels;
    struct leave {
      unsigned& levels;
      ~leave() { --levels; }
    } guard{levels};
    return this->subject.parse(first, last, context, rcontext, attr);
  }
};

struct nested_gen {
  template <class Subject>
  constexpr nested_directive<typename x3::extension::as_parser<Subject>::value_type> operator[](
      const Subject& subject) const {
    return {x3::as_parser(subject)};
  }
};
constexpr nested_gen nested{};

}  // namespace earlywarn::grammar

// What an expectation of nested[p] names: what p names ("a condition").
template <class Subject>
struct boost::spirit::x3::get_info<earlywarn::grammar::nested_directive<Subject>> {
  using result_type = std::string;
  std::string operator()(const earlywarn::grammar::nested_directive<Subject>& p) const {
    return what(p.subject);
  }
};

namespace earlywarn::grammar {

struct operator_table : x3::symbols<syntax::token> {
  operator_table(std::initializer_list<std::pair<const char*, syntax::token>> entries) {
    for (const auto& [text, t] : entries) add(text, t);
  }
};
using syntax::token;
const operator_table multiplicative_op{{"*", token::times}, {"/", token::divide}};
const operator_table additive_op{{"+", token::plus}, {"-", token::minus}};
const operator_table relational_op{{"<=", token::less_equal},
                                   {">=", token::greater_equal},
                                   {"<", token::less},
                                   {">", token::greater}};
const operator_table equality_op{{"==", token::equal}, {"!=", token::not_equal}};
const operator_table negation_op{{"-", token::minus}};
const operator_table not_op{{"not", token::logical_not}};
const operator_table in_op{{"in", token::member}};
const operator_table and_op{{"and", token::logical_and}};
const operator_table or_op{{"or", token::logical_or}};

// Terms
const x3::rule<name_class, syntax::name> name = "a name";
const x3::rule<number_class, syntax::number_literal> number = "a number";
const x3::rule<signed_number_class, syntax::number_literal> signed_number = "a number";
const x3::rule<duration_class, syntax::duration_literal> duration =
    "a duration (like 90d, 2w, 6m or 1y)";
const x3::rule<class string_class, std::string> string_literal = "a quoted string";
const x3::rule<call_class, syntax::call> call = "a function call";
const x3::rule<text_class, syntax::text_literal> text = "a quoted code";
const x3::rule<class arguments_class, std::vector<syntax::expression>> arguments =
    "function arguments";
const x3::rule<class close_paren_class> close_paren = "')'";
const x3::rule<member_list_class, syntax::call> member_list =
    "a list in parentheses, like (letter_one, letter_two)";

// Expressions, loosest binding last
const x3::rule<primary_class, syntax::operand> primary =
    "an expression (a number, duration, name, call, quoted code or parenthesis)";
const x3::rule<negation_class, syntax::unary> negation = "a negation";
const x3::rule<unary_expr_class, syntax::operand> unary_expr = "an expression";
const x3::rule<multiplicative_class, syntax::expression> multiplicative = "an expression";
const x3::rule<additive_class, syntax::expression> additive = "an expression";
const x3::rule<relational_class, syntax::expression> relational = "an expression";
const x3::rule<equality_class, syntax::expression> equality = "an expression";
const x3::rule<logical_not_class, syntax::unary> logical_not = "a condition";
const x3::rule<not_expr_class, syntax::operand> not_expr = "a condition";
const x3::rule<and_expr_class, syntax::expression> and_expr = "a condition";
const x3::rule<expression_class, syntax::expression> expression = "an expression";

// Messages
const x3::rule<class message_text_class, std::string> message_text = "message text";
const x3::rule<interpolation_class, syntax::interpolation> interpolation =
    "an expression in braces";
const x3::rule<class interpolation_body_class, syntax::expression> interpolation_body =
    "an expression";
const x3::rule<class message_class, syntax::message_literal> message =
    "a quoted message (\"text {expression} text\")";

// Declarations
const x3::rule<class version_keyword_class> version_keyword = "'version'";
const x3::rule<class version_number_class, unsigned> version_number = "a version number";
const x3::rule<ruleset_header_class, syntax::ruleset_header> ruleset_header = "a ruleset header";
const x3::rule<class literal_value_class, syntax::literal_value> literal_value =
    "a number or a duration (like 15 or 90d)";
const x3::rule<param_class, syntax::param_declaration> param_declaration = "a param";
const x3::rule<class effect_class, syntax::name> effect =
    "increases, decreases, neutral or scheduled";
const x3::rule<event_class, syntax::event_declaration> event_declaration = "an event declaration";
const x3::rule<class attribute_kind_class, syntax::name> attribute_kind =
    "an attribute kind (text, flag, date, money, days, count or number)";
const x3::rule<attribute_class, syntax::attribute_declaration> attribute_declaration =
    "an attribute declaration";
const x3::rule<definition_class, syntax::definition_declaration> definition_declaration =
    "a definition";
const x3::rule<when_class, syntax::when_clause> when_clause = "a when clause";
const x3::rule<severity_class, syntax::severity_clause> severity_clause = "a severity clause";
const x3::rule<score_class, syntax::score_clause> score_clause = "a score clause";
const x3::rule<message_clause_class, syntax::message_clause> message_clause = "a message clause";
const x3::rule<cooldown_class, syntax::cooldown_clause> cooldown_clause = "a cooldown clause";
const x3::rule<class cooldown_span_class, syntax::operand> cooldown_span =
    "a duration (like 30d) or a param name";
const x3::rule<raise_after_class, syntax::raise_after_clause> raise_after_clause =
    "a raise_after clause";
const x3::rule<clear_after_class, syntax::clear_after_clause> clear_after_clause =
    "a clear_after clause";
const x3::rule<class tag_class, syntax::tag> tag = "a tag (a name or a quoted string)";
const x3::rule<class tag_list_class, std::vector<syntax::tag>> tag_list =
    "a tag (a name or a quoted string)";
const x3::rule<tags_class, syntax::tags_clause> tags_clause = "a tags clause";
const x3::rule<clause_class, syntax::clause> clause = "a clause";
const x3::rule<class rule_body_end_class> rule_body_end =
    "a clause (when, severity, score, message, cooldown, raise_after, clear_after, tags) or '}'";
const x3::rule<rule_class, syntax::rule_declaration> rule_declaration = "a rule";
const x3::rule<class hit_policy_class, syntax::name> hit_policy =
    "a hit policy (first, priority or collect)";
const x3::rule<decision_opening_class, syntax::decision_opening> decision_opening = "a decision";
const x3::rule<decision_end_class, syntax::decision_end> decision_end = "'}'";
const x3::rule<item_class, syntax::item> item =
    "a declaration (ruleset, param, event, attribute, define, rule or decision)";

const auto name_def = !reserved >> raw[lexeme[(letter | char_('_')) >> *identifier_char]];
const auto decimal = +digit >> -('.' >> +digit);
const auto number_def = raw[lexeme[decimal >> !identifier_char]];
const auto signed_number_def = raw[lexeme[-char_('-') >> decimal >> !identifier_char]];
const auto duration_def = lexeme[x3::uint_ >> char_("dwmy") >> !identifier_char];
const auto string_literal_def =
    lexeme['"' > *((lit('\\') > char_("\"\\")) | (char_ - char_("\"\\") - eol)) > '"'];

const auto arguments_def = -(expression % ',');
const auto close_paren_def = lit(')');
const auto call_def = name >> '(' > arguments > close_paren;
const auto text_def = string_literal;
const auto primary_def = duration | number | call | name | text | ('(' > expression > close_paren);
// nested[] goes after the opening token ('-', 'not', '(', a clause keyword),
// so that merely trying an alternative never counts as a level.
const auto negation_def = negation_op > nested[unary_expr];
const auto unary_expr_def = primary | negation;
const auto multiplicative_def = unary_expr >> *(multiplicative_op > unary_expr);
const auto additive_def = multiplicative >> *(additive_op > multiplicative);
const auto relational_def = additive >> *(relational_op > additive);
// `x in (a, b)`: the list is kept as a call without a function name.
const auto member_list_def = x3::attr(syntax::name{}) >> '(' > arguments > close_paren;
const auto equality_def = relational >> *((equality_op > relational) |
                                          (lexeme[in_op >> !identifier_char] > member_list));
const auto logical_not_def = lexeme[not_op >> !identifier_char] > nested[not_expr];
const auto not_expr_def = logical_not | equality;
const auto and_expr_def = not_expr >> *(lexeme[and_op >> !identifier_char] > not_expr);
const auto expression_def = nested[and_expr >> *(lexeme[or_op >> !identifier_char] > and_expr)];

// Inside a message white space is text; inside its braces it is skipped again.
const auto message_text_def = +((lit("{{") >> x3::attr('{')) | (lit("}}") >> x3::attr('}')) |
                                (lit('\\') > char_("\"\\")) | (char_ - char_("\"{\\") - eol));
const auto interpolation_body_def = x3::skip[expression > '}'];
const auto interpolation_def = lit('{') > interpolation_body;
const auto message_def = lexeme['"' > *(message_text | interpolation) > '"'];

const auto version_keyword_def = keyword("version");
const auto version_number_def = x3::uint_;
const auto ruleset_header_def = keyword("ruleset") > string_literal >
                                -(version_keyword > version_number);
const auto literal_value_def = duration | signed_number;
const auto param_declaration_def = keyword("param") > name > '=' > literal_value;
const auto effect_def =
    raw[lexeme[(lit("increases") | lit("decreases") | lit("neutral") | lit("scheduled")) >>
               !identifier_char]];
const auto event_declaration_def = keyword("event") > name > -effect;
const auto attribute_kind_def = name;
const auto attribute_declaration_def = keyword("attribute") > name > attribute_kind;
const auto definition_declaration_def = keyword("define") > name > '=' > expression;
const auto when_clause_def = keyword("when") > expression;
const auto severity_clause_def = keyword("severity") > name;
const auto score_clause_def = keyword("score") > expression;
const auto message_clause_def = keyword("message") > message;
const auto cooldown_span_def = duration | name;
const auto cooldown_clause_def = keyword("cooldown") > cooldown_span;
const auto raise_after_clause_def = keyword("raise_after") > cooldown_span;
const auto clear_after_clause_def = keyword("clear_after") > cooldown_span;
const auto tag_def = name | string_literal;
const auto tag_list_def = tag % ',';
const auto tags_clause_def = keyword("tags") > tag_list;
const auto clause_def = when_clause | severity_clause | score_clause | message_clause |
                        cooldown_clause | tags_clause | raise_after_clause | clear_after_clause;
const auto rule_body_end_def = lit('}');
const auto rule_declaration_def = keyword("rule") > name > '{' > *clause > rule_body_end;
const auto hit_policy_def = name;
const auto decision_opening_def = keyword("decision") > name > hit_policy > '{';
const auto decision_end_def = raw[lit('}')];
const auto item_def = ruleset_header | param_declaration | event_declaration | rule_declaration |
                      definition_declaration | decision_opening | decision_end |
                      attribute_declaration;

BOOST_SPIRIT_DEFINE(name, number, signed_number, duration, string_literal, text, arguments,
                    close_paren, member_list, call, primary, negation, unary_expr, multiplicative,
                    additive, relational, equality, logical_not, not_expr, and_expr, expression,
                    message_text, interpolation_body, interpolation, message, version_keyword,
                    version_number, ruleset_header, literal_value, param_declaration, effect,
                    event_declaration, attribute_kind, attribute_declaration,
                    definition_declaration, when_clause, severity_clause, score_clause,
                    message_clause, cooldown_span, cooldown_clause, raise_after_clause,
                    clear_after_clause, tag, tag_list, tags_clause, clause, rule_body_end,
                    rule_declaration, hit_policy, decision_opening, decision_end, item)

}  // namespace earlywarn::grammar

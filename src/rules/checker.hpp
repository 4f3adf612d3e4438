#pragma once
// The checker: resolves the names of a parsed rules file, checks the types and
// units of its expressions and lowers them to the nodes of the ruleset draft.
// Every problem becomes a diagnostic. Its members are defined by concept:
//   declarations.cpp  the header, params, events, attributes, decisions, rule
//                     and definition names, overrides, and what is never read
//   names.cpp         a name in an expression: signal, param, definition, rule
//                     or attribute; definitions compiled where first read
//   expressions.cpp   literals, operators, and long `and`/`or` chains
//   calls.cpp         function calls, their event selectors and windows
//   labels.cpp        latest(...), code(...) and text attributes, and `in`
//   rule_clauses.cpp  each rule's when, severity, score, message and spans
// compile.cpp runs its passes in order, then the stages of planner.hpp.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "diagnostic_log.hpp"
#include "earlywarn/loading/load_rules.hpp"
#include "parse_rules.hpp"
#include "ruleset_draft.hpp"
#include "source_map.hpp"
#include "syntax_tree.hpp"

namespace earlywarn::rules_front {

/// Checks one parsed rules file into a ruleset draft, in passes compile.cpp calls in order.
class checker {
 public:
  /// A checker of `parsed`, whose text `source` maps, filling `draft` and `log`.
  checker(const parsed_rules& parsed, const source_map& source, ruleset_draft& draft,
          diagnostic_log& log)
      : parsed_(parsed), source_(source), draft_(draft), rs_(draft.rules), log_(log) {}

  /// Declares the header, params, events, attributes, decisions, rule names and definitions.
  void declare();
  /// Sets the params given from outside the file, once declared.
  void apply_overrides(const param_overrides& overrides);
  /// Checks and lowers the clauses of every rule, until the log is full.
  void check_rules();
  /// Warns of attributes no rule or definition reads (when there is no error).
  void warn_unread_attributes();
  /// Compiles the definitions no rule read, and warns of those never read.
  void check_unread_definitions();
  /// Warns of params nothing reads (when nothing else went wrong).
  void warn_unread_params();

 private:
  /// What a compile that failed returns instead of a node; its error is logged.
  static constexpr std::uint32_t failed = UINT32_MAX;
  /// What a decision that cannot be one is: its rules stand outside any decision.
  static constexpr std::uint32_t no_decision = UINT32_MAX;

  /// The byte range of syntax node `n` in the source.
  template <class Node>
  std::pair<std::uint32_t, std::uint32_t> range_of(const Node& n) const {
    const auto r = parsed_.tagger.cache.position_of(n);
    return {static_cast<std::uint32_t>(r.begin() - source_.text().data()),
            static_cast<std::uint32_t>(r.end() - source_.text().data())};
  }
  /// Where syntax node `n` begins.
  template <class Node>
  source_location where(const Node& n) const {
    return source_.locate_at(range_of(n).first);
  }

  // declarations.cpp
  /// Declares the rules and decisions, each rule in the decision open where it stands.
  void declare_rules();
  /// Whether a syntax error lies on lines [first, last].
  bool syntax_error_between(std::uint32_t first, std::uint32_t last) const;
  /// The decision `d` opens, or no_decision when it cannot be one.
  std::uint32_t declare_decision(const syntax::decision_opening& d);
  /// Declares a definition's name; its expression compiles where first read.
  void declare_definition(const syntax::definition_declaration& d);
  /// Declares a param with its value as written.
  void declare_param(const syntax::param_declaration& p);
  /// Declares an event type and how it moves the balance, or that it is scheduled.
  void declare_event(const syntax::event_declaration& e);
  /// Declares a household attribute and its kind.
  void declare_attribute(const syntax::attribute_declaration& a);
  /// What a name already means, if anything ("a param"): for clashes.
  std::string meaning_of(const std::string& n) const;

  // names.cpp
  /// The node a name in an expression reads: signal, param, definition, rule or attribute.
  std::uint32_t compile(const syntax::name& n);
  /// Every name an expression may read: for suggestions.
  std::vector<std::string> known_names() const;
  /// "; did you mean 'near'?", or nothing when `near` is empty.
  static std::string did_you_mean(const std::string& near);
  /// The household attribute of this name, if the rules declare one.
  std::optional<std::uint32_t> attribute_named(const std::string& n) const;
  /// A term reading attribute `a`, as a leaf over `range`.
  std::uint32_t attribute_leaf(std::uint32_t a, term_kind kind,
                               std::pair<std::uint32_t, std::uint32_t> range);
  /// The node of definition `d`, read at `at`: compiled the first time.
  std::uint32_t use_definition(std::uint32_t d, const syntax::name& at);
  /// Compiles definition `d`, recording the rules it reads.
  void compile_definition(std::uint32_t d);

  // expressions.cpp
  // Each compile() returns the node of what it is given, checked, or failed
  // with an error logged.
  /// An operand of an operator, whichever kind it is.
  std::uint32_t compile(const syntax::operand& o);
  /// A duration literal, as a number of days.
  std::uint32_t compile(const syntax::duration_literal& d);
  /// An error: a quoted code anywhere but where code(), a type's codes or a
  /// text attribute take it.
  std::uint32_t compile(const syntax::text_literal& t);
  /// A number literal, exactly.
  std::uint32_t compile(const syntax::number_literal& n);
  /// `-x` or `not x`.
  std::uint32_t compile(const syntax::unary& u);
  /// An operand and the operations after it, left to right.
  std::uint32_t compile(const syntax::expression& e);
  /// A long `and` or `or` chain, grouped so that its depth stays small.
  std::uint32_t compile_long_chain(const syntax::expression& e);
  /// `op` over nodes[begin, end), as a balanced tree.
  std::uint32_t group(syntax::token op, const std::vector<std::uint32_t>& nodes, std::size_t begin,
                      std::size_t end);
  /// `lhs and rhs` or `lhs or rhs`, over their source text.
  std::uint32_t logical(syntax::token op, std::uint32_t lhs, std::uint32_t rhs);
  /// `lhs op rhs`, checked; failed with an error when the operands do not fit `op`.
  std::uint32_t combine(const syntax::operation& op, std::uint32_t lhs, std::uint32_t rhs);
  /// Whether `a` and `b` may meet in `+`, `-`, a comparison or min/max; else
  /// an error at byte `at` naming both units.
  bool same_unit(std::uint32_t a, std::uint32_t b, std::size_t at, const std::string& what);
  /// `node`, unless it nests deeper than the evaluators may recurse; else an
  /// error at byte `at`.
  std::uint32_t within_depth(std::uint32_t node, std::size_t at);
  /// The unit of `a + b` (and of min and max of the two), as value's `+` gives it.
  static unit sum_unit(unit a, unit b);

  // calls.cpp
  /// A call of a built-in function.
  std::uint32_t compile(const syntax::call& f);
  /// min(a, b) or max(a, b) of two numbers; no value if either has none.
  std::uint32_t compile_extreme(const syntax::call& f, opcode op);
  /// Whether `f` has from `lo` to `hi` arguments; else an error showing `shape`.
  bool arity(const syntax::call& f, std::size_t lo, std::size_t hi, const char* shape);
  /// Whether the first argument of min() or max() is a number rather than an event type.
  bool reads_a_number(const syntax::expression& first) const;
  /// Argument `i` of `f` as an event type name.
  std::optional<std::string> event_type_arg(const syntax::call& f, std::size_t i);
  /// Argument `i` of `f` as the events term `t` reads: a type, or a type with codes.
  bool selector_into(const syntax::call& f, std::size_t i, term& t);
  /// A warning for a type name neither built in nor declared, when it is near one that is.
  void warn_if_unknown_type(const syntax::name& n);
  /// Argument `i` of `f` as a fixed window.
  std::optional<duration> window_arg(const syntax::call& f, std::size_t i);
  /// The window argument `i` of `f` into `t`: fixed, or an expression in days.
  bool window_into(const syntax::call& f, std::size_t i, term& t);

  // labels.cpp
  /// False, with an error, for a quoted code no event can carry.
  bool valid_code(const syntax::text_literal& code);
  /// Whether `node` is code(...) or a text attribute: compared with quoted codes only.
  bool is_code(std::uint32_t node) const;
  /// Whether the code of code(...) `node` is one of `codes` (checked), or
  /// under code_not_in a code none of them: a condition ending at byte `end`.
  std::uint32_t code_among(std::uint32_t node,
                           const std::vector<const syntax::text_literal*>& codes, std::uint32_t end,
                           term_kind kind = term_kind::code_in);
  /// False, with an error, when `node` is latest(...) or code(...): an event
  /// type or code, compared with ==, != and in, never computed with or ordered.
  bool not_a_label(std::uint32_t node, std::size_t at, const std::string& what);
  /// The event types latest(...) `node` chooses from.
  const std::vector<std::string>& label_names(std::uint32_t node) const;
  /// The value latest(...) `node` has when event type `n` is the latest: 1 +
  /// its position in the list; none, with an error, for a type not listed.
  std::optional<value> label_value(std::uint32_t node, const syntax::name& n);
  /// The constant for event type `n` compared with latest(...) `node`.
  std::uint32_t label_constant(std::uint32_t node, const syntax::name& n);
  /// `x in (a, b, …)`: x a number and the items numbers or params holding
  /// numbers, x latest(...) and the items types it chooses from, or x code(...)
  /// and the items quoted codes.
  std::uint32_t compile_member(std::uint32_t lhs, const syntax::operation& op);

  // rule_clauses.cpp
  /// Checks and lowers the clauses of rule `r` into its declared rule.
  void compile_rule(const syntax::rule_declaration& r);
  /// Where clause `c` begins.
  source_location clause_location(const syntax::clause& c) const;
  /// The message of a rule: its texts and the expressions written into it.
  void compile_message(const syntax::message_literal& pieces, rule& out);
  /// A cooldown, raise_after or clear_after: a duration literal or a param holding one.
  void compile_span(const syntax::operand& span, std::optional<duration>& out,
                    const std::string& clause);

  const parsed_rules& parsed_;
  const source_map& source_;
  ruleset_draft& draft_;
  ruleset& rs_;  // draft_.rules
  diagnostic_log& log_;
  std::map<std::string, std::uint32_t> rule_index_;
  // Definitions compile where first read (or at the end, if never read), so
  // each is compiled once and its nodes are shared by every reader.
  struct pending_definition {
    const syntax::definition_declaration* declaration = nullptr;
    enum class stage { waiting, compiling, done, broken } at = stage::waiting;
    std::vector<std::uint32_t> reads;  // rules it reads, itself or through definitions
    bool used = false;
  };
  std::map<std::string, std::uint32_t> definition_index_;
  std::vector<bool> param_read_;      // per param: some expression, window or clause reads it
  std::vector<bool> attribute_read_;  // per attribute: some expression reads it
  std::vector<std::string> broken_attributes_;   // declared with an unknown kind
  std::vector<pending_definition> definitions_;  // as rs_.definitions
  std::vector<std::uint32_t> compiling_;         // definitions being compiled, outermost first
  std::vector<std::uint32_t> current_reads_;  // rules read by the rule or definition being compiled
};

}  // namespace earlywarn::rules_front

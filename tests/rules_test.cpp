// Tests of the rules language (docs/language.md) through compile_rules: clauses, params and
// overrides, event declarations, the compiled expression tree, the rule graph, and every kind of
// error.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "earlywarn.hpp"

namespace earlywarn {
namespace {

// A term of a function or signal over a type and window; the rest as defaulted.
term a_term(term_kind kind, std::string event_type, std::optional<duration> window) {
  term t;
  t.kind = kind;
  t.event_type = std::move(event_type);
  t.window = window;
  return t;
}

/// Compiles `text` as the file `test.rules`.
rules_load compile(std::string_view text, const param_overrides& overrides = {}) {
  return compile_rules(std::string(text), "test.rules", overrides);
}

/// Compiles rules that must load without any diagnostic; a failure prints the report.
ruleset must_load(std::string_view text, const param_overrides& overrides = {}) {
  rules_load load = compile(text, overrides);
  if (!load.ok()) {
    ADD_FAILURE() << "the rules did not load:\n" << load.report();
    return ruleset{};
  }
  EXPECT_TRUE(load.diagnostics.empty()) << load.report();
  return std::move(*load.rules);
}

/// Compiles rules that must fail with exactly one diagnostic, an error, and returns it.
diagnostic single_error(std::string_view text, const param_overrides& overrides = {}) {
  const rules_load load = compile(text, overrides);
  EXPECT_FALSE(load.ok()) << text;
  EXPECT_EQ(load.diagnostics.size(), 1u) << load.report();
  if (load.diagnostics.empty()) return diagnostic{};
  EXPECT_EQ(load.diagnostics.front().level, diagnostic_level::error) << load.report();
  return load.diagnostics.front();
}

/// Each text gives exactly one error, with the message beside it.
void expect_errors(std::initializer_list<std::pair<const char*, const char*>> cases) {
  for (const auto& [text, message] : cases) EXPECT_EQ(single_error(text).message, message) << text;
}

/// The messages of all diagnostics, in the order reported.
std::vector<std::string> messages_of(const rules_load& load) {
  std::vector<std::string> out;
  for (const diagnostic& d : load.diagnostics) out.push_back(d.message);
  return out;
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

const rule& rule_named(const ruleset& rs, std::string_view name) {
  static const rule none;
  const auto index = rs.find_rule(name);
  if (!index) {
    ADD_FAILURE() << "no rule " << name;
    return none;
  }
  return rs.rules[*index];
}

std::string_view spelling(opcode op) {
  switch (op) {
    case opcode::negate:
      return "neg";
    case opcode::add:
      return "+";
    case opcode::subtract:
      return "-";
    case opcode::multiply:
      return "*";
    case opcode::divide:
      return "/";
    case opcode::less:
      return "<";
    case opcode::less_equal:
      return "<=";
    case opcode::greater:
      return ">";
    case opcode::greater_equal:
      return ">=";
    case opcode::equal:
      return "==";
    case opcode::not_equal:
      return "!=";
    case opcode::logical_and:
      return "and";
    case opcode::logical_or:
      return "or";
    case opcode::logical_not:
      return "not";
    case opcode::missing:
      return "missing";
    case opcode::minimum:
      return "min";
    case opcode::maximum:
      return "max";
    default:
      return "";
  }
}

/// The tree under `node` as an s-expression, leaves by their source text: `(+ a (* b c))`.
std::string tree(const ruleset& rs, std::uint32_t node) {
  const expr_node& n = rs.nodes.at(node);
  if (operand_count(n.op) == 0) return std::string(rs.text_of(n));
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "(" + string.
  std::string out = "(";
  out += spelling(n.op);
  out += ' ';
  out += tree(rs, n.a);
  if (operand_count(n.op) == 2) {
    out += ' ';
    out += tree(rs, n.b);
  }
  out += ')';
  return out;
}

/// The source text of every node under `node`, outermost first.
void texts(const ruleset& rs, std::uint32_t node, std::vector<std::string>& out) {
  const expr_node& n = rs.nodes.at(node);
  out.emplace_back(rs.text_of(n));
  if (operand_count(n.op) == 0) return;
  texts(rs, n.a, out);
  if (operand_count(n.op) == 2) texts(rs, n.b, out);
}

std::vector<std::string> texts(const ruleset& rs, std::uint32_t node) {
  std::vector<std::string> out;
  texts(rs, node, out);
  return out;
}

/// The `when` tree of the first rule in a file declaring params a, b, c, d
/// (a second rule reads them all, so that none is an unread param).
std::string when_tree(std::string_view condition) {
  const ruleset rs =
      must_load("param a = 1\nparam b = 2\nparam c = 3\nparam d = 4\nrule r {\n  when " +
                std::string(condition) + "\n}\nrule reads_all { when a + b + c + d > 0 }\n");
  if (rs.rules.empty()) return "<not loaded>";
  return tree(rs, rs.rules.front().when);
}

// ---------------------------------------------------------------------------------------------
// Clauses and defaults

TEST(rules_clauses, every_clause_is_compiled) {
  const ruleset rs = must_load(R"(
rule late_rent {
  when arrears_days > 15
  severity high
  score arrears_days * 2
  message "Rent unpaid for {arrears_days} days, owing {arrears}"
  cooldown 30d
  tags arrears, "legal advice", visit
}
)");
  ASSERT_EQ(rs.rules.size(), 1u);
  const rule& r = rs.rules.front();
  EXPECT_EQ(r.name, "late_rent");
  EXPECT_EQ(r.where.line, 2u);
  EXPECT_EQ(r.where.column, 6u);
  EXPECT_EQ(tree(rs, r.when), "(> arrears_days 15)");
  EXPECT_EQ(r.level, severity::high);
  ASSERT_TRUE(r.score.has_value());
  EXPECT_EQ(tree(rs, *r.score), "(* arrears_days 2)");
  ASSERT_TRUE(r.cooldown.has_value());
  EXPECT_EQ(*r.cooldown, (duration{30, period::day}));
  EXPECT_EQ(r.tags, (std::vector<std::string>{"arrears", "legal advice", "visit"}));
  EXPECT_TRUE(r.reads_rules.empty());
}

TEST(rules_clauses, clauses_may_come_in_any_order) {
  const ruleset rs = must_load("rule r { tags a severity info when arrears > 0 }");
  ASSERT_EQ(rs.rules.size(), 1u);
  EXPECT_EQ(tree(rs, rs.rules[0].when), "(> arrears 0)");
  EXPECT_EQ(rs.rules[0].level, severity::info);
}

TEST(rules_clauses, every_severity_name_is_accepted) {
  const std::pair<const char*, severity> levels[] = {{"info", severity::info},
                                                     {"low", severity::low},
                                                     {"medium", severity::medium},
                                                     {"high", severity::high},
                                                     {"critical", severity::critical}};
  for (const auto& [name, level] : levels) {
    const ruleset rs =
        must_load("rule r {\n  when arrears > 0\n  severity " + std::string(name) + "\n}\n");
    ASSERT_EQ(rs.rules.size(), 1u) << name;
    EXPECT_EQ(rs.rules[0].level, level) << name;
  }
}

TEST(rules_clauses, a_rule_with_only_when_takes_the_defaults) {
  const ruleset rs = must_load("rule r { when arrears > 0 }");
  ASSERT_EQ(rs.rules.size(), 1u);
  const rule& r = rs.rules[0];
  EXPECT_EQ(r.level, severity::medium);
  EXPECT_FALSE(r.score.has_value());
  EXPECT_TRUE(r.message.empty());
  EXPECT_FALSE(r.cooldown.has_value());
  EXPECT_TRUE(r.tags.empty());
}

TEST(rules_clauses, message_alternates_text_and_interpolated_expressions) {
  const ruleset rs = must_load(
      R"(rule r { when arrears > 0 message "Owes {arrears}, {last(charge) * 2} in two months" })");
  ASSERT_EQ(rs.rules.size(), 1u);
  const std::vector<message_part>& parts = rs.rules[0].message;
  ASSERT_EQ(parts.size(), 5u);
  EXPECT_EQ(parts[0].text, "Owes ");
  EXPECT_FALSE(parts[0].expression.has_value());
  ASSERT_TRUE(parts[1].expression.has_value());
  EXPECT_EQ(rs.text_of(rs.nodes[*parts[1].expression]), "arrears");
  EXPECT_EQ(parts[2].text, ", ");
  ASSERT_TRUE(parts[3].expression.has_value());
  EXPECT_EQ(rs.text_of(rs.nodes[*parts[3].expression]), "last(charge) * 2");
  EXPECT_EQ(tree(rs, *parts[3].expression), "(* last(charge) 2)");
  EXPECT_EQ(parts[4].text, " in two months");
}

TEST(rules_clauses, message_ends_with_text_after_the_last_expression) {
  const ruleset rs = must_load(R"(rule r { when arrears > 0 message "{arrears}{balance} owed" })");
  ASSERT_EQ(rs.rules.size(), 1u);
  const std::vector<message_part>& parts = rs.rules[0].message;
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(rs.text_of(rs.nodes[*parts[0].expression]), "arrears");
  EXPECT_EQ(rs.text_of(rs.nodes[*parts[1].expression]), "balance");
  EXPECT_EQ(parts[2].text, " owed");
}

TEST(rules_clauses, message_escapes_braces_quotes_and_backslashes) {
  const ruleset rs = must_load(
      R"(rule r { when arrears > 0 message "{{not {arrears}}} \"quoted\" back\\slash # no comment" })");
  ASSERT_EQ(rs.rules.size(), 1u);
  const std::vector<message_part>& parts = rs.rules[0].message;
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].text, "{not ");
  EXPECT_EQ(rs.text_of(rs.nodes[*parts[1].expression]), "arrears");
  EXPECT_EQ(parts[2].text, "} \"quoted\" back\\slash # no comment");
}

TEST(rules_clauses, message_of_only_escapes_is_one_text_part) {
  const ruleset rs = must_load(R"(rule r { when arrears > 0 message "{{}}" })");
  ASSERT_EQ(rs.rules.size(), 1u);
  ASSERT_EQ(rs.rules[0].message.size(), 1u);
  EXPECT_EQ(rs.rules[0].message[0].text, "{}");
  EXPECT_FALSE(rs.rules[0].message[0].expression.has_value());
}

TEST(rules_clauses, cooldown_takes_any_duration_unit) {
  const std::pair<const char*, duration> cases[] = {{"30d", {30, period::day}},
                                                    {"2w", {2, period::week}},
                                                    {"3m", {3, period::month}},
                                                    {"1y", {1, period::year}}};
  for (const auto& [text, expected] : cases) {
    const ruleset rs = must_load("rule r { when arrears > 0 cooldown " + std::string(text) + " }");
    ASSERT_EQ(rs.rules.size(), 1u) << text;
    ASSERT_TRUE(rs.rules[0].cooldown.has_value()) << text;
    EXPECT_EQ(*rs.rules[0].cooldown, expected) << text;
  }
}

TEST(rules_clauses, cooldown_may_name_a_duration_param) {
  const ruleset rs = must_load("param quiet = 6w\nrule r { when arrears > 0 cooldown quiet }");
  ASSERT_EQ(rs.rules.size(), 1u);
  ASSERT_TRUE(rs.rules[0].cooldown.has_value());
  EXPECT_EQ(*rs.rules[0].cooldown, (duration{6, period::week}));
}

TEST(rules_clauses, cooldown_follows_an_overridden_duration_param) {
  const ruleset rs =
      must_load("param quiet = 6w\nrule r { when arrears > 0 cooldown quiet }", {{"quiet", "2m"}});
  ASSERT_EQ(rs.rules.size(), 1u);
  ASSERT_TRUE(rs.rules[0].cooldown.has_value());
  EXPECT_EQ(*rs.rules[0].cooldown, (duration{2, period::month}));
}

TEST(rules_clauses, cooldown_naming_a_number_param_is_an_error) {
  const diagnostic d = single_error("param quiet = 30\nrule r { when arrears > 0 cooldown quiet }");
  EXPECT_EQ(d.message, "param 'quiet' is a number; a cooldown needs a duration (like 30d)");
  EXPECT_EQ(d.where.line, 2u);
  EXPECT_EQ(d.where.column, 36u);
}

TEST(rules_clauses, tags_may_be_names_or_strings) {
  const ruleset rs = must_load(R"(rule r { when arrears > 0 tags "debt advice", benefits })");
  ASSERT_EQ(rs.rules.size(), 1u);
  EXPECT_EQ(rs.rules[0].tags, (std::vector<std::string>{"debt advice", "benefits"}));
}

// ---------------------------------------------------------------------------------------------
// The ruleset header and the ruleset's name

TEST(rules_header, header_sets_name_and_version) {
  const ruleset rs =
      must_load("ruleset \"housing-early-warning\" version 3\nrule r { when arrears > 0 }");
  EXPECT_EQ(rs.name, "housing-early-warning");
  EXPECT_EQ(rs.version, 3);
}

TEST(rules_header, without_a_header_the_name_is_the_file_stem_and_the_version_1) {
  const rules_load load =
      compile_rules("rule r { when arrears > 0 }", "/etc/earlywarn/city-rules.rules");
  ASSERT_TRUE(load.ok()) << load.report();
  EXPECT_EQ(load.rules->name, "city-rules");
  EXPECT_EQ(load.rules->version, 1);
  EXPECT_EQ(load.rules->file_name, "/etc/earlywarn/city-rules.rules");
}

TEST(rules_header, the_stem_drops_only_the_last_extension) {
  const rules_load load = compile_rules("rule r { when arrears > 0 }", "prague.2024.rules");
  ASSERT_TRUE(load.ok()) << load.report();
  EXPECT_EQ(load.rules->name, "prague.2024");
}

TEST(rules_header, the_ruleset_keeps_its_source_text) {
  const std::string text = "# a comment\nrule r { when arrears > 0 }\n";
  const ruleset rs = must_load(text);
  EXPECT_EQ(rs.source, text);
}

TEST(rules_header, a_second_header_is_an_error) {
  const diagnostic d =
      single_error("ruleset \"a\" version 1\nruleset \"b\" version 2\nrule r { when arrears > 0 }");
  EXPECT_EQ(d.message, "a rules file has one ruleset header");
  EXPECT_EQ(d.where.line, 2u);
  EXPECT_EQ(d.where.column, 1u);
}

TEST(rules_header, the_version_may_be_left_out_and_is_then_1) {
  const ruleset rs = must_load("ruleset \"a\"\nrule r { when arrears > 0 }");
  EXPECT_EQ(rs.name, "a");
  EXPECT_EQ(rs.version, 1);
}

TEST(rules_header, version_must_be_a_number) {
  const diagnostic d = single_error("ruleset \"a\" version x\nrule r { when arrears > 0 }");
  EXPECT_EQ(d.message, "expected a version number, found 'x'");
  EXPECT_EQ(d.where.column, 21u);
}

// Rules that say nothing would give an empty worklist that looks like "no one is at risk".
TEST(rules_header, a_file_without_a_rule_is_an_error) {
  for (const char* text : {"# nothing yet\n", "param grace_days = 15\n", "   \n\n"}) {
    const diagnostic d = single_error(text);
    EXPECT_EQ(d.message,
              "the rules file has no rule: write at least one, like rule late_rent { when "
              "arrears_days > 15 }")
        << text;
    EXPECT_EQ(d.where.line, 0u);
  }
}

TEST(rules_header, an_empty_file_is_an_error) {
  const diagnostic d = single_error("");
  EXPECT_EQ(d.message,
            "the rules file is empty: write at least one rule, like rule late_rent { when "
            "arrears_days > 15 }");
  EXPECT_EQ(compile_rules("", "empty.rules").report(),
            "empty.rules: error: the rules file is empty: write at least one rule, like rule "
            "late_rent { when arrears_days > 15 }\n");
}

// A syntax error that broke the only rule off is the error to fix, not "no rule".
TEST(rules_header, a_broken_only_rule_is_not_also_a_missing_rule) {
  const rules_load load = compile("rule r { when arrears > }\n");
  EXPECT_EQ(messages_of(load),
            (std::vector<std::string>{"expected an expression after '>', found '}'"}));
}

// ---------------------------------------------------------------------------------------------
// Params and overrides

TEST(rules_params, numbers_negative_numbers_and_decimals_are_exact) {
  const ruleset rs = must_load(
      "param grace_days = 15\nparam floor = -2.5\nparam share = 0.25\nrule r { when arrears > "
      "floor }\nrule s { when arrears_days > grace_days * share }");
  ASSERT_EQ(rs.params().size(), 3u);
  EXPECT_EQ(rs.params()[0].name, "grace_days");
  EXPECT_EQ(rs.params()[0].number, value::integer(15));
  EXPECT_FALSE(rs.params()[0].span.has_value());
  EXPECT_EQ(rs.params()[0].where.line, 1u);
  EXPECT_EQ(rs.params()[0].where.column, 7u);
  EXPECT_EQ(rs.params()[1].number, value::fraction(-5, 2, unit::number));
  EXPECT_EQ(rs.params()[2].number, value::fraction(1, 4, unit::number));
  for (const param& p : rs.params()) EXPECT_FALSE(p.overridden) << p.name;
}

TEST(rules_params, durations_keep_their_unit) {
  const ruleset rs = must_load(
      "param a = 90d\nparam b = 2w\nparam c = 6m\nparam d = 1y\nrule r { when arrears > 0 }\n"
      "rule w { when count(payment, a) + count(payment, b) + count(payment, c) + "
      "count(payment, d) > 0 }");
  ASSERT_EQ(rs.params().size(), 4u);
  EXPECT_EQ(rs.params()[0].span, (duration{90, period::day}));
  EXPECT_EQ(rs.params()[1].span, (duration{2, period::week}));
  EXPECT_EQ(rs.params()[2].span, (duration{6, period::month}));
  EXPECT_EQ(rs.params()[3].span, (duration{1, period::year}));
  EXPECT_EQ(rs.params()[0].number, value::integer(90));
}

TEST(rules_params, a_number_param_compiles_to_a_param_node) {
  const ruleset rs = must_load("param grace_days = 15\nrule r { when arrears_days > grace_days }");
  ASSERT_EQ(rs.rules.size(), 1u);
  const expr_node& cmp = rs.nodes[rs.rules[0].when];
  const expr_node& rhs = rs.nodes[cmp.b];
  EXPECT_EQ(rhs.op, opcode::param);
  EXPECT_EQ(rhs.a, 0u);
  EXPECT_EQ(rs.text_of(rhs), "grace_days");
}

TEST(rules_params, a_duration_param_compiles_to_a_duration_in_days) {
  const ruleset rs = must_load("param long_time = 3m\nrule r { when arrears_days > long_time }");
  ASSERT_EQ(rs.rules.size(), 1u);
  const expr_node& rhs = rs.nodes[rs.nodes[rs.rules[0].when].b];
  EXPECT_EQ(rhs.op, opcode::duration_days);
  EXPECT_EQ(rs.durations.at(rhs.a), (duration{3, period::month}));
}

TEST(rules_params, literals_compile_to_constants_and_durations) {
  const ruleset rs = must_load("rule r { when arrears_days > 90d and arrears > 12.5 }");
  ASSERT_EQ(rs.rules.size(), 1u);
  const expr_node& both = rs.nodes[rs.rules[0].when];
  const expr_node& days = rs.nodes[rs.nodes[both.a].b];
  const expr_node& amount = rs.nodes[rs.nodes[both.b].b];
  EXPECT_EQ(days.op, opcode::duration_days);
  EXPECT_EQ(rs.durations.at(days.a), (duration{90, period::day}));
  EXPECT_EQ(amount.op, opcode::constant);
  EXPECT_EQ(rs.constants.at(amount.a), value::fraction(25, 2, unit::number));
}

TEST(rules_params, override_replaces_a_number) {
  const ruleset rs = must_load(
      "param grace_days = 15\nparam visit_days = 60\nrule r { when arrears_days > grace_days }\n"
      "rule v { when arrears_days > visit_days }",
      {{"grace_days", "20"}});
  ASSERT_EQ(rs.params().size(), 2u);
  EXPECT_EQ(rs.params()[0].number, value::integer(20));
  EXPECT_TRUE(rs.params()[0].overridden);
  EXPECT_EQ(rs.params()[1].number, value::integer(60));
  EXPECT_FALSE(rs.params()[1].overridden);
}

TEST(rules_params, with_params_compiles_the_rules_again_with_other_values_and_their_fingerprint) {
  const char* text =
      "param grace_days = 15\nparam visit_days = 60\nrule r { when arrears_days > grace_days }\n"
      "rule v { when arrears_days > visit_days }";
  const ruleset given = must_load(text, {{"visit_days", "45"}});
  const auto changed = earlywarn::with_params(given, {{"grace_days", "20"}});
  ASSERT_TRUE(changed.ok()) << changed.report();
  const ruleset& rs = *changed.rules;
  // The new value, and the one given before kept.
  EXPECT_EQ(rs.params()[0].number, value::integer(20));
  EXPECT_EQ(rs.params()[1].number, value::integer(45));
  EXPECT_EQ(earlywarn::outside_params(rs),  // in source order
            (earlywarn::param_overrides{{"grace_days", "20"}, {"visit_days", "45"}}));
  EXPECT_NE(rs.fingerprint, given.fingerprint);
  EXPECT_EQ(rs.fingerprint,
            must_load(text, {{"grace_days", "20"}, {"visit_days", "45"}}).fingerprint);
  // No new values: the same ruleset again.
  EXPECT_EQ(earlywarn::with_params(given, {}).rules->fingerprint, given.fingerprint);
  const auto unknown = earlywarn::with_params(given, {{"grace", "20"}});
  EXPECT_FALSE(unknown.ok());
  EXPECT_NE(unknown.report().find("grace"), std::string::npos) << unknown.report();
  // A ruleset's params are read only: a compiled value cannot drift from
  // its fingerprint.
  static_assert(std::is_const_v<std::remove_reference_t<decltype(given.params())>>);
}

TEST(rules_params, override_accepts_negative_and_decimal_numbers) {
  const ruleset rs = must_load("param a = 1\nparam b = 2\nrule r { when arrears > a + b }",
                               {{"a", "-3"}, {"b", "1.5"}});
  ASSERT_EQ(rs.params().size(), 2u);
  EXPECT_EQ(rs.params()[0].number, value::integer(-3));
  EXPECT_EQ(rs.params()[1].number, value::fraction(3, 2, unit::number));
}

TEST(rules_params, override_replaces_a_duration_and_every_window_using_it) {
  const ruleset rs = must_load("param window = 3m\nrule r { when sum(payment, window) < arrears }",
                               {{"window", "6m"}});
  ASSERT_EQ(rs.params().size(), 1u);
  EXPECT_EQ(rs.params()[0].span, (duration{6, period::month}));
  EXPECT_TRUE(rs.params()[0].overridden);
  ASSERT_EQ(rs.terms.size(), 2u);
  const auto sum = std::find_if(rs.terms.begin(), rs.terms.end(),
                                [](const term& t) { return t.kind == term_kind::sum; });
  ASSERT_NE(sum, rs.terms.end());
  EXPECT_EQ(sum->event_type, "payment");
  EXPECT_EQ(sum->window, (duration{6, period::month}));
}

TEST(rules_params, unknown_override_is_an_error_with_a_suggestion) {
  const diagnostic d = single_error(
      "param grace_days = 15\nrule r { when arrears_days > grace_days }", {{"grace_day", "20"}});
  EXPECT_EQ(d.message,
            "cannot set param 'grace_day': the rules have no such param; did you mean "
            "'grace_days'?");
  EXPECT_EQ(d.where.line, 0u);
}

TEST(rules_params, unknown_override_far_from_any_param_has_no_suggestion) {
  const diagnostic d = single_error(
      "param grace_days = 15\nrule r { when arrears_days > grace_days }", {{"colour", "20"}});
  EXPECT_EQ(d.message, "cannot set param 'colour': the rules have no such param");
}

TEST(rules_params, an_override_error_renders_without_a_position) {
  const rules_load load =
      compile_rules("param g = 1\nrule r { when arrears > g }", "city.rules", {{"h", "2"}});
  EXPECT_EQ(load.report(),
            "city.rules: error: cannot set param 'h': the rules have no such param; did you "
            "mean 'g'?\n");
}

TEST(rules_params, bad_override_values_are_errors) {
  for (const char* text : {"2x", "", "1.", ".5", "1.2.3", "20 ", "-3m", "1e3", "twenty", "d"}) {
    const diagnostic d = single_error(
        "param grace_days = 15\nrule r { when arrears_days > grace_days }", {{"grace_days", text}});
    EXPECT_EQ(d.message, "cannot set param 'grace_days' to '" + std::string(text) +
                             "': expected a number (like 20 or 1.5) or a duration (like 90d, 2w, "
                             "6m, 1y)")
        << text;
  }
}

TEST(rules_params, param_used_as_a_window_must_be_a_duration) {
  const diagnostic d =
      single_error("param grace_days = 15\nrule r { when sum(payment, grace_days) > 0 }");
  EXPECT_EQ(d.message,
            "param 'grace_days' is a number; a window needs a duration (like 90d, 2w, 6m or 1y)");
  EXPECT_EQ(d.where.line, 2u);
  EXPECT_EQ(d.where.column, 28u);
}

TEST(rules_params, a_param_declared_twice_is_an_error) {
  const diagnostic d = single_error("param g = 1\nparam g = 2\nrule r { when arrears > g }");
  EXPECT_EQ(d.message, "param 'g' is defined twice (first at line 1)");
  EXPECT_EQ(d.where.line, 2u);
  EXPECT_EQ(d.where.column, 7u);
}

TEST(rules_params, a_param_named_like_a_signal_or_function_is_an_error) {
  const rules_load load = compile("param arrears = 1\nparam sum = 2\nrule r { when balance > 0 }");
  EXPECT_FALSE(load.ok());
  EXPECT_EQ(messages_of(load),
            (std::vector<std::string>{"param name 'arrears' is already a built-in signal",
                                      "param name 'sum' is already a built-in function"}));
}

// ---------------------------------------------------------------------------------------------
// Event declarations

TEST(rules_events, declared_effects_change_the_balance_effect) {
  const ruleset rs = must_load(R"(
event benefit_clawback increases
event hardship_grant decreases
event court_letter neutral
event home_visit
rule r { when count(home_visit, 3m) == 0 and arrears > 0 }
)");
  ASSERT_EQ(rs.events.size(), 4u);
  EXPECT_EQ(rs.events[0].name, "benefit_clawback");
  EXPECT_EQ(rs.events[0].where.line, 2u);
  EXPECT_EQ(rs.events[0].where.column, 7u);
  EXPECT_EQ(rs.effect_of("benefit_clawback"), balance_effect::increases);
  EXPECT_EQ(rs.effect_of("hardship_grant"), balance_effect::decreases);
  EXPECT_EQ(rs.effect_of("court_letter"), balance_effect::neutral);
  EXPECT_EQ(rs.effect_of("home_visit"), balance_effect::neutral);
}

TEST(rules_events, built_in_and_unknown_types_keep_their_spec_effects) {
  const ruleset rs = must_load("event refund decreases\nrule r { when arrears > 0 }");
  EXPECT_EQ(rs.effect_of("charge"), balance_effect::increases);
  EXPECT_EQ(rs.effect_of("payment"), balance_effect::decreases);
  EXPECT_EQ(rs.effect_of("credit"), balance_effect::decreases);
  EXPECT_EQ(rs.effect_of("plan"), balance_effect::neutral);
  EXPECT_EQ(rs.effect_of("contact"), balance_effect::neutral);
  EXPECT_EQ(rs.effect_of("eviction_notice"), balance_effect::neutral);
}

TEST(rules_events, redeclaring_a_built_in_type_is_an_error) {
  const diagnostic d = single_error("event payment increases\nrule r { when arrears > 0 }");
  EXPECT_EQ(d.message, "'payment' is a built-in event type and cannot be redeclared");
  EXPECT_EQ(d.where.line, 1u);
  EXPECT_EQ(d.where.column, 7u);
}

TEST(rules_events, declaring_a_type_twice_is_an_error) {
  const diagnostic d =
      single_error("event refund decreases\nevent refund increases\nrule r { when arrears > 0 }");
  EXPECT_EQ(d.message, "event type 'refund' is declared twice");
  EXPECT_EQ(d.where.line, 2u);
}

TEST(rules_events, type_names_must_be_lower_case) {
  const diagnostic d = single_error("event Refund decreases\nrule r { when arrears > 0 }");
  EXPECT_EQ(d.message, "event type names are lower case: [a-z][a-z0-9_]*");
}

TEST(rules_events, a_declared_type_is_known_to_functions) {
  const ruleset rs = must_load("event refund decreases\nrule r { when sum(refund, 1y) > 0 }");
  ASSERT_EQ(rs.terms.size(), 1u);
  EXPECT_EQ(rs.terms[0].event_type, "refund");
}

// ---------------------------------------------------------------------------------------------
// Expression structure

TEST(rules_expressions, multiplication_binds_tighter_than_addition) {
  EXPECT_EQ(when_tree("a + b * c > d"), "(> (+ a (* b c)) d)");
  EXPECT_EQ(when_tree("a * b + c > d"), "(> (+ (* a b) c) d)");
}

TEST(rules_expressions, comparisons_bind_looser_than_arithmetic) {
  EXPECT_EQ(when_tree("a + b >= c - d"), "(>= (+ a b) (- c d))");
}

TEST(rules_expressions, equality_binds_looser_than_relational) {
  EXPECT_EQ(when_tree("a < b == c > d"), "(== (< a b) (> c d))");
  EXPECT_EQ(when_tree("a < b != c > d"), "(!= (< a b) (> c d))");
}

TEST(rules_expressions, and_binds_tighter_than_or) {
  EXPECT_EQ(when_tree("a > 1 or b > 2 and c > 3"), "(or (> a 1) (and (> b 2) (> c 3)))");
  EXPECT_EQ(when_tree("a > 1 and b > 2 or c > 3"), "(or (and (> a 1) (> b 2)) (> c 3))");
}

TEST(rules_expressions, not_applies_to_a_whole_comparison) {
  EXPECT_EQ(when_tree("not arrears_days > 5"), "(not (> arrears_days 5))");
  EXPECT_EQ(when_tree("not a > 1 and b > 2"), "(and (not (> a 1)) (> b 2))");
  EXPECT_EQ(when_tree("not a == b"), "(not (== a b))");
  EXPECT_EQ(when_tree("not not a > 1"), "(not (not (> a 1)))");
}

TEST(rules_expressions, subtraction_and_division_are_left_associative) {
  EXPECT_EQ(when_tree("a - b - c > 0"), "(> (- (- a b) c) 0)");
  EXPECT_EQ(when_tree("a / b / c > 0"), "(> (/ (/ a b) c) 0)");
  EXPECT_EQ(when_tree("a - b + c > 0"), "(> (+ (- a b) c) 0)");
}

TEST(rules_expressions, and_and_or_are_left_associative) {
  EXPECT_EQ(when_tree("a > 1 or b > 1 or c > 1"), "(or (or (> a 1) (> b 1)) (> c 1))");
  EXPECT_EQ(when_tree("a > 1 and b > 1 and c > 1"), "(and (and (> a 1) (> b 1)) (> c 1))");
}

TEST(rules_expressions, parentheses_override_precedence) {
  EXPECT_EQ(when_tree("(a + b) * c > 0"), "(> (* (+ a b) c) 0)");
  EXPECT_EQ(when_tree("a - (b - c) > 0"), "(> (- a (- b c)) 0)");
  EXPECT_EQ(when_tree("(a > 1 or b > 1) and c > 1"), "(and (or (> a 1) (> b 1)) (> c 1))");
  EXPECT_EQ(when_tree("((a)) > 0"), "(> a 0)");
}

TEST(rules_expressions, unary_minus_binds_tightest) {
  EXPECT_EQ(when_tree("-a * b > 0"), "(> (* (neg a) b) 0)");
  EXPECT_EQ(when_tree("a - -b > 0"), "(> (- a (neg b)) 0)");
  EXPECT_EQ(when_tree("-(a + b) < 0"), "(< (neg (+ a b)) 0)");
}

TEST(rules_expressions, missing_is_a_condition_on_a_number) {
  EXPECT_EQ(when_tree("missing(days_since(payment)) or days_since(payment) > 45"),
            "(or (missing days_since(payment)) (> days_since(payment) 45))");
}

TEST(rules_expressions, node_types_are_numbers_and_conditions) {
  const ruleset rs = must_load("rule r { when arrears + 1 > 2 }");
  ASSERT_EQ(rs.rules.size(), 1u);
  const expr_node& cmp = rs.nodes[rs.rules[0].when];
  EXPECT_EQ(cmp.op, opcode::greater);
  EXPECT_EQ(cmp.type, expr_type::boolean);
  EXPECT_EQ(rs.nodes[cmp.a].op, opcode::add);
  EXPECT_EQ(rs.nodes[cmp.a].type, expr_type::number);
  EXPECT_EQ(rs.nodes[cmp.b].op, opcode::constant);
}

TEST(rules_expressions, text_of_gives_the_source_of_every_subexpression) {
  const ruleset rs = must_load(
      "param a = 1\nparam b = 2\nparam c = 3\nrule r {\n  when (a + b) * c > a - b - c and not a "
      "/ b > 1\n}\n");
  ASSERT_EQ(rs.rules.size(), 1u);
  EXPECT_EQ(texts(rs, rs.rules[0].when),
            (std::vector<std::string>{"(a + b) * c > a - b - c and not a / b > 1",
                                      "(a + b) * c > a - b - c", "(a + b) * c", "a + b", "a", "b",
                                      "c", "a - b - c", "a - b", "a", "b", "c", "not a / b > 1",
                                      "a / b > 1", "a / b", "a", "b", "1"}));
}

TEST(rules_expressions, text_of_keeps_parentheses_on_both_sides) {
  const ruleset rs = must_load("param a = 1\nparam b = 2\nrule r { when (a + b) * (b - a) > (a) }");
  ASSERT_EQ(rs.rules.size(), 1u);
  EXPECT_EQ(texts(rs, rs.rules[0].when),
            (std::vector<std::string>{"(a + b) * (b - a) > (a)", "(a + b) * (b - a)", "a + b", "a",
                                      "b", "b - a", "b", "a", "a"}));
}

TEST(rules_expressions, text_of_keeps_nested_parentheses_and_spacing) {
  const ruleset rs = must_load("param a = 1\nparam b = 2\nrule r { when ((a + b))  *  a > 0 }");
  ASSERT_EQ(rs.rules.size(), 1u);
  EXPECT_EQ(texts(rs, rs.rules[0].when),
            (std::vector<std::string>{"((a + b))  *  a > 0", "((a + b))  *  a", "a + b", "a", "b",
                                      "a", "0"}));
}

TEST(rules_expressions, text_of_covers_calls_and_negations_whole) {
  const ruleset rs =
      must_load("rule r { when -sum(payment, 3m) < -(arrears + 1) and not (arrears > 0) }");
  ASSERT_EQ(rs.rules.size(), 1u);
  EXPECT_EQ(
      texts(rs, rs.rules[0].when),
      (std::vector<std::string>{"-sum(payment, 3m) < -(arrears + 1) and not (arrears > 0)",
                                "-sum(payment, 3m) < -(arrears + 1)", "-sum(payment, 3m)",
                                "sum(payment, 3m)", "-(arrears + 1)", "arrears + 1", "arrears", "1",
                                "not (arrears > 0)", "arrears > 0", "arrears", "0"}));
}

TEST(rules_expressions, text_of_spans_lines_and_comments_inside_an_expression) {
  const ruleset rs = must_load(
      "param a = 1\nparam b = 2\nrule r {\n  when (a   # first\n        + b) * a > 0\n}\n");
  ASSERT_EQ(rs.rules.size(), 1u);
  const std::vector<std::string> t = texts(rs, rs.rules[0].when);
  ASSERT_GE(t.size(), 3u);
  EXPECT_EQ(t[1], "(a   # first\n        + b) * a");
  EXPECT_EQ(t[2], "a   # first\n        + b");
}

// A '(' or ')' inside a comment is not a parenthesis of the expression.
TEST(rules_expressions, text_of_ignores_parentheses_in_comments) {
  const std::string source =
      "param a = 1\nparam b = 2\nrule r {\n  when (a   # (see note\n        + b) * a > 0\n}\n"
      "rule s {\n  when (a   # note)\n        + b) * a > 0\n}\n";
  const ruleset rs = must_load(source);
  ASSERT_EQ(rs.rules.size(), 2u);
  const std::vector<std::string> r = texts(rs, rs.rules[0].when);
  ASSERT_GE(r.size(), 3u);
  EXPECT_EQ(r[1], "(a   # (see note\n        + b) * a");
  EXPECT_EQ(r[2], "a   # (see note\n        + b");
  const std::vector<std::string> s = texts(rs, rs.rules[1].when);
  ASSERT_GE(s.size(), 3u);
  EXPECT_EQ(s[1], "(a   # note)\n        + b) * a");
  EXPECT_EQ(s[2], "a   # note)\n        + b");
}

TEST(rules_expressions, keywords_are_whole_words) {
  const ruleset rs = must_load(
      "param order = 1\nrule notice { when arrears > order }\nrule android { when notice or not "
      "notice }");
  ASSERT_EQ(rs.rules.size(), 2u);
  EXPECT_EQ(tree(rs, rs.rules[0].when), "(> arrears order)");
  EXPECT_EQ(tree(rs, rs.rules[1].when), "(or notice (not notice))");
}

// ---------------------------------------------------------------------------------------------
// Terms

TEST(rules_terms, identical_calls_share_one_term) {
  const ruleset rs = must_load(R"(
param window = 3m
rule a { when sum(payment, 3m) > 1 and sum(payment, 3m) < 9 and arrears > 0 }
rule b { when sum(payment, window) > 2 and arrears > 1 message "{sum(payment, 3m)}" }
)");
  ASSERT_EQ(rs.terms.size(), 2u);
  std::vector<std::uint32_t> sum_terms;
  for (const expr_node& n : rs.nodes)
    if (n.op == opcode::term && rs.text_of(n) != "arrears") sum_terms.push_back(n.a);
  ASSERT_EQ(sum_terms.size(), 4u);
  for (const std::uint32_t t : sum_terms) EXPECT_EQ(t, sum_terms[0]);
  EXPECT_EQ(rs.terms[sum_terms[0]],
            (a_term(term_kind::sum, "payment", duration{3, period::month})));
}

TEST(rules_terms, calls_differing_in_function_type_or_window_are_distinct) {
  const ruleset rs = must_load(R"(
rule a {
  when sum(payment, 3m) > 1 and count(payment, 3m) > 1 and sum(charge, 3m) > 1
    and sum(payment, 2m) > 1 and sum(payment, 90d) > 1 and sum(payment) > 1
}
)");
  EXPECT_EQ(rs.terms.size(), 6u);
}

TEST(rules_terms, trend_over_a_year_is_trend_over_twelve_months) {
  const ruleset rs =
      must_load("rule a { when trend(balance, 1y) > 0 and trend(balance, 12m) > 0 }");
  ASSERT_EQ(rs.terms.size(), 1u);
  EXPECT_EQ(rs.terms[0], (a_term(term_kind::trend_balance, "", duration{12, period::month})));
}

TEST(rules_terms, each_function_makes_its_term) {
  const ruleset rs = must_load(R"(
rule a {
  when avg(payment, 6m) > 0 and min(payment, 6m) > 0 and max(payment, 6m) > 0
    and last(charge) > 0 and days_since(contact) > 0 and balance_at(1m) > 0
    and trend(arrears, 3m) > 0 and tenure_days > 0 and plan_active and not plan_breached
}
)");
  const std::vector<term> expected = {
      a_term(term_kind::avg, "payment", duration{6, period::month}),
      a_term(term_kind::min, "payment", duration{6, period::month}),
      a_term(term_kind::max, "payment", duration{6, period::month}),
      a_term(term_kind::last, "charge", std::nullopt),
      a_term(term_kind::days_since, "contact", std::nullopt),
      a_term(term_kind::balance_at, "", duration{1, period::month}),
      a_term(term_kind::trend_arrears, "", duration{3, period::month}),
      a_term(term_kind::tenure_days, "", std::nullopt),
      a_term(term_kind::plan_active, "", std::nullopt),
      a_term(term_kind::plan_breached, "", std::nullopt),
  };
  EXPECT_EQ(rs.terms, expected);
}

// ---------------------------------------------------------------------------------------------
// Rules reading rules

/// Where rule `name` stands in the evaluation order.
std::ptrdiff_t position(const ruleset& rs, std::string_view name) {
  const auto index = rs.find_rule(name);
  if (!index) return -1;
  return std::find(rs.evaluation_order.begin(), rs.evaluation_order.end(), *index) -
         rs.evaluation_order.begin();
}

TEST(rules_graph, a_rule_reads_another_rule_as_a_condition) {
  const ruleset rs = must_load(R"(
rule escalate { when late_rent and arrears > 1000 }
rule late_rent { when arrears_days > 15 }
)");
  ASSERT_EQ(rs.rules.size(), 2u);
  const rule& escalate = rule_named(rs, "escalate");
  EXPECT_EQ(escalate.reads_rules, (std::vector<std::uint32_t>{1}));
  const expr_node& read = rs.nodes[rs.nodes[escalate.when].a];
  EXPECT_EQ(read.op, opcode::rule);
  EXPECT_EQ(read.type, expr_type::boolean);
  EXPECT_EQ(read.a, 1u);
}

TEST(rules_graph, evaluation_order_puts_dependencies_first) {
  const ruleset rs = must_load(R"(
rule escalate { when two_months and growing and late }
rule two_months { when late and arrears_days > 60 }
rule growing { when trend(balance, 6m) > 500 }
rule late { when arrears_days > 15 }
rule alone { when arrears > 0 }
)");
  ASSERT_EQ(rs.evaluation_order.size(), 5u);
  std::vector<std::uint32_t> sorted = rs.evaluation_order;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<std::uint32_t>{0, 1, 2, 3, 4}));
  EXPECT_LT(position(rs, "late"), position(rs, "two_months"));
  EXPECT_LT(position(rs, "two_months"), position(rs, "escalate"));
  EXPECT_LT(position(rs, "growing"), position(rs, "escalate"));
  EXPECT_LT(position(rs, "late"), position(rs, "escalate"));
  EXPECT_EQ(rule_named(rs, "escalate").reads_rules, (std::vector<std::uint32_t>{1, 2, 3}));
}

TEST(rules_graph, a_rule_read_only_in_a_message_is_still_a_dependency) {
  const ruleset rs = must_load(R"(
rule summary { when arrears > 0 message "late: {late}" }
rule late { when arrears_days > 15 }
)");
  EXPECT_EQ(rule_named(rs, "summary").reads_rules, (std::vector<std::uint32_t>{1}));
  EXPECT_LT(position(rs, "late"), position(rs, "summary"));
}

TEST(rules_graph, a_rule_reading_itself_is_a_cycle) {
  const diagnostic d = single_error("rule a {\n  when a or arrears > 0\n}\n");
  EXPECT_EQ(d.message,
            "rules refer to each other in a cycle: a -> a (a rule cannot depend on itself)");
  EXPECT_EQ(d.where.line, 1u);
  EXPECT_EQ(d.where.column, 6u);
}

TEST(rules_graph, two_rules_reading_each_other_are_a_cycle) {
  const diagnostic d = single_error("rule a { when b }\nrule b { when a }\n");
  EXPECT_EQ(d.message,
            "rules refer to each other in a cycle: a -> b -> a (a rule cannot depend on itself)");
}

TEST(rules_graph, a_three_rule_cycle_is_named_whole) {
  const diagnostic d = single_error("rule a { when b }\nrule b { when c }\nrule c { when a }\n");
  EXPECT_EQ(d.message,
            "rules refer to each other in a cycle: a -> b -> c -> a (a rule cannot "
            "depend on itself)");
}

TEST(rules_graph, a_cycle_is_named_from_its_first_rule_in_the_file_along_the_reads) {
  const diagnostic d =
      single_error("rule c { when b and arrears > 0 }\nrule b { when a }\nrule a { when c }\n");
  EXPECT_EQ(d.message,
            "rules refer to each other in a cycle: c -> b -> a -> c (a rule cannot "
            "depend on itself)");
  EXPECT_EQ(d.where.line, 1u);
}

TEST(rules_graph, each_separate_cycle_is_reported_and_readers_of_a_cycle_are_not) {
  const rules_load load = compile(
      "rule a { when b }\nrule b { when a }\nrule reader { when a }\nrule c { when d }\nrule d "
      "{ when c }\n");
  EXPECT_FALSE(load.ok());
  EXPECT_EQ(messages_of(load),
            (std::vector<std::string>{
                "rules refer to each other in a cycle: a -> b -> a (a rule cannot depend on "
                "itself)",
                "rules refer to each other in a cycle: c -> d -> c (a rule cannot depend on "
                "itself)"}));
}

// ---------------------------------------------------------------------------------------------
// Type errors

TEST(rules_types, a_number_where_a_condition_is_needed) {
  const diagnostic d = single_error("rule r {\n  when arrears\n}\n");
  EXPECT_EQ(d.message, "a when clause needs a condition (like arrears_days > 30), not a number");
  EXPECT_EQ(d.where.line, 2u);
  EXPECT_EQ(d.where.column, 8u);
}

TEST(rules_types, a_condition_where_a_number_is_needed) {
  const diagnostic d = single_error(
      "rule late_rent { when arrears_days > 15 }\nrule r {\n  when arrears > 0\n  score "
      "late_rent\n}\n");
  EXPECT_EQ(d.message, "a score is a number, not a condition");
  EXPECT_EQ(d.where.line, 4u);
  EXPECT_EQ(d.where.column, 9u);
}

TEST(rules_types, arithmetic_needs_numbers_and_points_at_the_operator) {
  const diagnostic d = single_error("rule r { when arrears + plan_active > 0 }");
  EXPECT_EQ(d.message, "'+' needs numbers on both sides");
  EXPECT_EQ(d.where.column, 23u);
}

TEST(rules_types, comparison_needs_numbers) {
  const diagnostic d = single_error("rule r { when plan_active > 1 }");
  EXPECT_EQ(d.message, "'>' needs numbers on both sides");
  EXPECT_EQ(d.where.column, 27u);
}

TEST(rules_types, operator_after_a_parenthesis_is_located_past_it) {
  const diagnostic d = single_error("rule r { when (plan_active) * 2 > 0 }");
  EXPECT_EQ(d.message, "'*' needs numbers on both sides");
  EXPECT_EQ(d.where.column, 29u);
}

TEST(rules_types, logic_needs_conditions) {
  const diagnostic d = single_error("rule r { when arrears > 1 and 5 }");
  EXPECT_EQ(d.message, "'and' needs conditions (like arrears_days > 30) on both sides");
  EXPECT_EQ(d.where.column, 27u);
  EXPECT_EQ(single_error("rule r { when arrears or plan_active }").message,
            "'or' needs conditions (like arrears_days > 30) on both sides");
}

TEST(rules_types, not_needs_a_condition) {
  const diagnostic d = single_error("rule r { when not arrears }");
  EXPECT_EQ(d.message, "'not' needs a condition (like arrears_days > 30), not a number");
  EXPECT_EQ(d.where.column, 15u);
}

TEST(rules_types, negation_needs_a_number) {
  EXPECT_EQ(single_error("rule r { when -plan_active }").message,
            "'-' needs a number, not a condition");
}

TEST(rules_types, equality_does_not_mix_numbers_and_conditions) {
  EXPECT_EQ(single_error("rule r { when arrears == plan_active }").message,
            "'==' compares a number with a condition");
}

TEST(rules_types, missing_takes_a_number) {
  const diagnostic d = single_error("rule r { when missing(arrears > 1) }");
  EXPECT_EQ(d.message, "missing() takes a number, not a condition");
  EXPECT_EQ(d.where.column, 23u);
}

TEST(rules_types, each_error_in_a_rule_is_reported_once) {
  const rules_load load = compile("rule r { when (arrears + plan_active) * 2 > 0 and missing }");
  EXPECT_EQ(messages_of(load),
            (std::vector<std::string>{"'+' needs numbers on both sides",
                                      "'missing' is a function: write missing(…)"}));
}

// ---------------------------------------------------------------------------------------------
// Functions

TEST(rules_functions, wrong_arity_names_the_shape) {
  const std::pair<const char*, const char*> cases[] = {
      {"sum(payment, 3m, 4) > 0",
       "sum() takes an event type and an optional window: sum(payment, 3m)"},
      {"count() > 0", "count() takes an event type and an optional window: sum(payment, 3m)"},
      {"last(payment, 3m) > 0", "last() takes one event type: last(payment)"},
      {"days_since() > 0", "days_since() takes one event type: last(payment)"},
      {"balance_at(3m, 1m) > 0", "balance_at() takes one window: balance_at(3m)"},
      {"trend(balance) > 0", "trend() takes a signal and a number of months: trend(balance, 6m)"},
      {"missing(arrears, balance)", "missing() takes one number: missing(days_since(payment))"},
  };
  for (const auto& [condition, message] : cases) {
    const diagnostic d = single_error("rule r { when " + std::string(condition) + " }");
    EXPECT_EQ(d.message, message) << condition;
    EXPECT_EQ(d.where.column, 15u) << condition;
  }
}

TEST(rules_functions, a_window_must_be_a_duration_or_in_days) {
  const diagnostic d = single_error("rule r { when sum(payment, 5) > 0 }");
  EXPECT_EQ(d.message,
            "sum() needs a window here: a duration like 90d, 2w, 6m or 1y, a param holding one, "
            "week_to_date, month_to_date, year_to_date, or an expression in days like "
            "days_since(plan); 5 is a plain number");
  EXPECT_EQ(d.where.column, 28u);
  EXPECT_EQ(
      single_error("rule r { when balance_at(arrears) > 0 }").message,
      "balance_at() needs a window here: a duration like 90d, 2w, 6m or 1y, a param holding one, "
      "week_to_date, month_to_date, year_to_date, or an expression in days like "
      "days_since(plan); arrears is money");
}

TEST(rules_functions, an_event_type_must_be_a_name) {
  const diagnostic d = single_error("rule r { when last(3m) > 0 }");
  EXPECT_EQ(d.message, "last() needs an event type name here (like payment or charge)");
  EXPECT_EQ(d.where.column, 20u);
}

TEST(rules_functions, trend_follows_balance_or_arrears_only) {
  EXPECT_EQ(single_error("rule r { when trend(arrears_days, 6m) > 0 }").message,
            "trend() follows balance or arrears");
}

TEST(rules_functions, trend_samples_months_not_days_or_weeks) {
  for (const char* window : {"180d", "8w"}) {
    const diagnostic d =
        single_error("rule r { when trend(balance, " + std::string(window) + ") > 0 }");
    EXPECT_EQ(d.message, "trend() samples monthly: give months or years, like 6m") << window;
    EXPECT_EQ(d.where.column, 30u) << window;
  }
}

TEST(rules_functions, trend_needs_at_least_two_months) {
  const diagnostic d = single_error("rule r { when trend(arrears, 1m) > 0 }");
  EXPECT_EQ(d.message, "trend() needs at least 2 monthly samples (2m or more)");
  EXPECT_EQ(d.where.column, 30u);
  must_load("rule r { when trend(arrears, 2m) > 0 }");
}

TEST(rules_functions, trend_in_days_from_a_param_is_an_error_too) {
  EXPECT_EQ(single_error("param w = 30d\nrule r { when trend(balance, w) > 0 }").message,
            "trend() samples monthly: give months or years, like 6m");
}

TEST(rules_functions, unknown_function_suggests_the_nearest) {
  const diagnostic d = single_error("rule r { when trnd(balance, 6m) > 0 }");
  EXPECT_EQ(d.message, "unknown function 'trnd'; did you mean 'trend'?");
  EXPECT_EQ(d.where.column, 15u);
  EXPECT_EQ(single_error("rule r { when day_since(payment) > 0 }").message,
            "unknown function 'day_since'; did you mean 'days_since'?");
}

TEST(rules_functions, unknown_function_far_from_any_has_no_suggestion) {
  EXPECT_EQ(single_error("rule r { when median(payment, 6m) > 0 }").message,
            "unknown function 'median'");
}

TEST(rules_functions, a_function_name_without_call_is_an_error) {
  EXPECT_EQ(single_error("rule r { when days_since > 45 }").message,
            "'days_since' is a function: write days_since(…)");
}

// ---------------------------------------------------------------------------------------------
// Names

TEST(rules_names, unknown_name_suggests_a_signal) {
  const diagnostic d = single_error("rule r { when arears > 0 }");
  EXPECT_EQ(d.message, "unknown name 'arears'; did you mean 'arrears'?");
  EXPECT_EQ(d.where.line, 1u);
  EXPECT_EQ(d.where.column, 15u);
}

TEST(rules_names, unknown_name_suggests_a_param_or_a_rule) {
  EXPECT_EQ(
      single_error("param grace_days = 15\nrule r { when arrears_days > grace_dyas }").message,
      "unknown name 'grace_dyas'; did you mean 'grace_days'?");
  EXPECT_EQ(
      single_error("rule late_rent { when arrears_days > 15 }\nrule r { when late_rnet }").message,
      "unknown name 'late_rnet'; did you mean 'late_rent'?");
}

TEST(rules_names, a_long_unknown_name_gets_no_suggestion) {
  const std::string known(64, 'a');
  const std::string near = "param " + known + " = 1\nparam " + known + "a = 1\nrule r { when ";
  EXPECT_EQ(single_error(near + known.substr(1) + "b > 0 }").message,
            "unknown name '" + known.substr(1) + "b'; did you mean '" + known + "'?");
  EXPECT_EQ(single_error(near + known + "b > 0 }").message, "unknown name '" + known + "b'");
}

TEST(rules_names, unknown_name_far_from_any_has_no_suggestion) {
  EXPECT_EQ(single_error("rule r { when income > 0 }").message, "unknown name 'income'");
}

TEST(rules_names, a_rule_defined_twice_is_an_error_naming_the_first) {
  const diagnostic d = single_error(
      "rule late_rent { when arrears_days > 15 }\n\nrule late_rent { when arrears_days > 30 }\n");
  EXPECT_EQ(d.message, "rule 'late_rent' is defined twice (first at line 1)");
  EXPECT_EQ(d.where.line, 3u);
  EXPECT_EQ(d.where.column, 6u);
}

TEST(rules_names, a_rule_named_like_a_signal_function_or_param_is_an_error) {
  expect_errors({
      {"rule balance { when arrears > 0 }", "rule name 'balance' is already a built-in signal"},
      {"rule plan_active { when arrears > 0 }",
       "rule name 'plan_active' is already a built-in signal"},
      {"rule count { when arrears > 0 }", "rule name 'count' is already a built-in function"},
      {"param g = 1\nrule g { when arrears > g }", "rule name 'g' is already a param"},
  });
}

// The clash must not depend on which of the two comes first in the file: otherwise `g` in
// rule h silently means the param, not the rule.
TEST(rules_names, a_param_named_like_an_earlier_rule_is_an_error) {
  const rules_load load =
      compile("rule g { when arrears > 1 }\nparam g = 5\nrule h { when g and arrears > 0 }\n");
  EXPECT_FALSE(load.ok()) << "a rule and a param both named 'g' were accepted";
  ASSERT_FALSE(load.diagnostics.empty());
  EXPECT_TRUE(contains(load.diagnostics.front().message, "'g' is already")) << load.report();
}

// ---------------------------------------------------------------------------------------------
// Clause errors

TEST(rules_clause_errors, a_rule_without_when_is_an_error) {
  const diagnostic d = single_error("rule quiet {\n  severity high\n}\n");
  EXPECT_EQ(d.message, "rule 'quiet' has no when clause: say when it fires");
  EXPECT_EQ(d.where.line, 1u);
  EXPECT_EQ(d.where.column, 6u);
}

TEST(rules_clause_errors, a_broken_when_is_not_also_a_missing_when) {
  EXPECT_EQ(single_error("rule r { when arears > 0 }").message,
            "unknown name 'arears'; did you mean 'arrears'?");
}

TEST(rules_clause_errors, each_duplicated_clause_is_an_error) {
  const rules_load load = compile(
      "rule r {\n  when arrears > 1\n  when arrears > 2\n  severity high\n  severity low\n  score "
      "1\n  score 2\n  message \"a\"\n  message \"b\"\n  cooldown 1d\n  cooldown 2d\n  tags x\n  "
      "tags y\n}\n");
  EXPECT_FALSE(load.ok());
  EXPECT_EQ(
      messages_of(load),
      (std::vector<std::string>{
          "rule 'r' has more than one when clause", "rule 'r' has more than one severity clause",
          "rule 'r' has more than one score clause", "rule 'r' has more than one message clause",
          "rule 'r' has more than one cooldown clause", "rule 'r' has more than one tags clause"}));
  ASSERT_EQ(load.diagnostics.size(), 6u);
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(load.diagnostics[i].where.line, 3 + 2 * i);
    EXPECT_EQ(load.diagnostics[i].where.column, 3u);
  }
}

TEST(rules_clause_errors, unknown_severity_suggests_the_nearest_level) {
  const diagnostic d = single_error("rule r {\n  when arrears > 0\n  severity hgh\n}\n");
  EXPECT_EQ(d.message,
            "unknown severity 'hgh' (info, low, medium, high or critical); did you mean 'high'?");
  EXPECT_EQ(d.where.line, 3u);
  EXPECT_EQ(d.where.column, 12u);
  EXPECT_EQ(single_error("rule r { when arrears > 0 severity urgent }").message,
            "unknown severity 'urgent' (info, low, medium, high or critical)");
}

// ---------------------------------------------------------------------------------------------
// Warnings

TEST(rules_warnings, an_event_type_near_a_known_one_is_a_warning) {
  const rules_load load = compile("rule r { when days_since(paymnet) > 45 }");
  ASSERT_TRUE(load.ok()) << load.report();
  ASSERT_EQ(load.diagnostics.size(), 1u);
  const diagnostic& d = load.diagnostics[0];
  EXPECT_EQ(d.level, diagnostic_level::warning);
  EXPECT_EQ(d.message,
            "event type 'paymnet' is not built in or declared; did you mean 'payment'? (declare it "
            "with 'event paymnet' if it is meant)");
  EXPECT_EQ(d.where.column, 26u);
  ASSERT_EQ(load.rules->warnings.size(), 1u);
  EXPECT_EQ(load.rules->warnings[0].message, d.message);
  EXPECT_EQ(load.rules->terms.at(0).event_type, "paymnet");
}

TEST(rules_warnings, a_declared_type_near_a_built_in_is_not_warned_about) {
  must_load("event payments neutral\nrule r { when count(payments, 1m) > 0 }");
}

TEST(rules_warnings, an_undeclared_type_far_from_any_known_is_silently_neutral) {
  const ruleset rs = must_load("rule r { when count(eviction_notice, 1y) > 0 }");
  EXPECT_EQ(rs.effect_of("eviction_notice"), balance_effect::neutral);
}

TEST(rules_warnings, warnings_do_not_survive_alongside_errors_as_rules) {
  const rules_load load = compile("rule r { when days_since(paymnet) > 45 and arears > 0 }");
  EXPECT_FALSE(load.ok());
  ASSERT_EQ(load.diagnostics.size(), 2u);
  EXPECT_EQ(load.diagnostics[0].level, diagnostic_level::warning);
  EXPECT_EQ(load.diagnostics[1].level, diagnostic_level::error);
}

// ---------------------------------------------------------------------------------------------
// Fingerprint

constexpr std::string_view fingerprinted =
    "param grace_days = 15\nparam window = 3m\nrule r { when arrears_days > grace_days and "
    "sum(payment, window) < arrears }\n";

TEST(rules_fingerprint, is_stable_for_the_same_text_and_params) {
  const ruleset a = must_load(fingerprinted);
  const ruleset b = must_load(fingerprinted);
  EXPECT_FALSE(a.fingerprint.empty());
  EXPECT_EQ(a.fingerprint.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  const rules_load elsewhere = compile_rules(std::string(fingerprinted), "/other/place.rules");
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_EQ(elsewhere.rules->fingerprint, a.fingerprint);
}

TEST(rules_fingerprint, changes_with_the_text) {
  const ruleset a = must_load(fingerprinted);
  const ruleset b = must_load(std::string(fingerprinted) + "# a comment\n");
  const ruleset c = must_load(
      "param grace_days = 16\nparam window = 3m\nrule r { when arrears_days > grace_days and "
      "sum(payment, window) < arrears }\n");
  EXPECT_NE(a.fingerprint, b.fingerprint);
  EXPECT_NE(a.fingerprint, c.fingerprint);
}

TEST(rules_fingerprint, changes_with_an_override) {
  const std::string base = must_load(fingerprinted).fingerprint;
  const std::string grace = must_load(fingerprinted, {{"grace_days", "20"}}).fingerprint;
  const std::string grace_again = must_load(fingerprinted, {{"grace_days", "20"}}).fingerprint;
  const std::string grace_other = must_load(fingerprinted, {{"grace_days", "21"}}).fingerprint;
  const std::string window = must_load(fingerprinted, {{"window", "6m"}}).fingerprint;
  EXPECT_NE(base, grace);
  EXPECT_EQ(grace, grace_again);
  EXPECT_NE(grace, grace_other);
  EXPECT_NE(base, window);
  EXPECT_NE(grace, window);
}

TEST(rules_fingerprint, an_override_to_the_files_own_value_changes_nothing) {
  const std::string base = must_load(fingerprinted).fingerprint;
  EXPECT_EQ(must_load(fingerprinted, {{"grace_days", "15"}, {"window", "3m"}}).fingerprint, base);
}

// ---------------------------------------------------------------------------------------------
// Syntax errors and recovery

TEST(rules_syntax, a_top_level_typo_suggests_the_keyword) {
  const diagnostic d = single_error("rul late_rent { when arrears > 0 }");
  EXPECT_EQ(
      d.message,
      "expected a declaration (ruleset, param, event, attribute, define, rule or decision), found "
      "'rul'; did you mean "
      "'rule'?");
  EXPECT_EQ(d.where.column, 1u);
}

TEST(rules_syntax, a_missing_open_brace_names_the_token_found) {
  const diagnostic d = single_error("rule late_rent\n  when arrears > 0\n}\n");
  EXPECT_EQ(d.message, "expected '{', found the keyword 'when'");
  EXPECT_EQ(d.where.line, 2u);
  EXPECT_EQ(d.where.column, 3u);
}

// The expression is unfinished where its line ends, not where the next token is.
TEST(rules_syntax, an_operator_with_nothing_after_it_at_the_end_of_a_line) {
  const diagnostic d = single_error("rule r {\n  when arrears >\n}\n");
  EXPECT_EQ(d.message, "expected an expression after '>', found '}' on line 3");
  EXPECT_EQ(d.where.line, 2u);
  EXPECT_EQ(d.where.column, 17u);
  const diagnostic eof = single_error("rule r {\n  when arrears >\n");
  EXPECT_EQ(eof.message, "expected an expression after '>', found end of file");
  EXPECT_EQ(eof.where.line, 2u);
  EXPECT_EQ(eof.where.column, 17u);
}

TEST(rules_syntax, a_comment_after_an_unfinished_expression_is_skipped) {
  const diagnostic d = single_error("rule r {\n  when arrears + # owing\n  severity low\n}\n");
  EXPECT_EQ(d.message, "expected an expression after '+', found the keyword 'severity' on line 3");
  EXPECT_EQ(d.where.line, 2u);
  EXPECT_EQ(d.where.column, 17u);
}

// Clause keywords are not names: `severity` after `>` is not read as the operand.
TEST(rules_syntax, a_clause_keyword_after_an_operator_is_reported_where_the_line_ends) {
  const diagnostic d = single_error("rule r {\n  when arrears_days >\n  severity low\n}\n");
  EXPECT_EQ(d.message, "expected an expression after '>', found the keyword 'severity' on line 3");
  EXPECT_EQ(d.where.line, 2u);
  EXPECT_EQ(d.where.column, 22u);
}

TEST(rules_syntax, a_clause_keyword_after_an_operator_on_its_line_is_reported_at_the_keyword) {
  const diagnostic d = single_error("rule r { when arrears_days > severity low }");
  EXPECT_EQ(d.message, "expected an expression after '>', found the keyword 'severity'");
  EXPECT_EQ(d.where.column, 30u);
}

TEST(rules_syntax, every_operator_is_named_before_a_missing_operand) {
  for (const std::string op :
       {"+", "-", "*", "/", "<", "<=", ">", ">=", "==", "!=", "and", "or", "not"}) {
    const std::string lhs = op == "not" ? "" : "arrears ";
    const diagnostic d = single_error("rule r { when " + lhs + op + " }");
    EXPECT_EQ(d.message,
              "expected " +
                  std::string(op == "and" || op == "or" || op == "not" ? "a condition"
                                                                       : "an expression") +
                  " after '" + op + "', found '}'")
        << op;
  }
}

TEST(rules_syntax, keywords_are_not_names) {
  for (const char* word : {"when", "severity", "score", "message", "cooldown", "tags", "rule",
                           "param", "event", "ruleset", "define", "decision", "and", "or", "not"}) {
    const diagnostic as_rule = single_error("rule " + std::string(word) + " { when arrears > 0 }");
    EXPECT_EQ(as_rule.message, "expected a name, found the keyword '" + std::string(word) +
                                   "' (a keyword cannot be a name: rename it)");
    const diagnostic as_param =
        single_error("param " + std::string(word) + " = 1\nrule r { when arrears > 0 }");
    EXPECT_EQ(as_param.message, "expected a name, found the keyword '" + std::string(word) +
                                    "' (a keyword cannot be a name: rename it)");
  }
  // Words that only begin with a keyword are names.
  must_load("param scores = 1\nparam rules = 2\nrule whenever { when arrears > scores + rules }");
}

TEST(rules_syntax, an_operator_with_nothing_after_it_before_a_parenthesis) {
  const diagnostic d = single_error("rule r { when (arrears >) and arrears_days > 0 }");
  EXPECT_EQ(d.message, "expected an expression after '>', found ')'");
  EXPECT_EQ(d.where.column, 25u);
}

TEST(rules_syntax, an_unterminated_string) {
  const diagnostic d = single_error("ruleset \"housing version 1\nrule r { when arrears > 0 }\n");
  EXPECT_EQ(d.message, "expected '\"', found end of line");
  EXPECT_EQ(d.where.line, 1u);
  EXPECT_EQ(d.where.column, 27u);
}

TEST(rules_syntax, a_missing_close_parenthesis) {
  const diagnostic d = single_error("rule r { when (arrears > 0) and (arrears_days > 1");
  EXPECT_EQ(d.message, "expected ')', found end of file");
  EXPECT_EQ(d.where.column, 50u);
}

TEST(rules_syntax, a_missing_close_brace_at_the_end_of_the_file) {
  const diagnostic d = single_error("rule r {\n  when arrears > 0");
  EXPECT_EQ(d.message,
            "expected a clause (when, severity, score, message, cooldown, raise_after, "
            "clear_after, tags) or '}', found end "
            "of file");
  EXPECT_EQ(d.where.line, 2u);
  EXPECT_EQ(d.where.column, 19u);
}

TEST(rules_syntax, recovery_continues_at_the_next_declaration) {
  const rules_load load = compile(
      "rul t { when arrears > 0 }\nparam a 5\nrule r\n  when arrears > 0\n}\nrule s {\n  when "
      "arrears > 0\n  message \"unterminated\n}\nrule u { when arrears > 0 severity hgh }\n");
  EXPECT_FALSE(load.ok());
  EXPECT_EQ(messages_of(load),
            (std::vector<std::string>{
                "expected a declaration (ruleset, param, event, attribute, define, rule or "
                "decision), found "
                "'rul'; did you "
                "mean 'rule'?",
                "expected '=', found '5'", "expected '{', found the keyword 'when'",
                "expected '\"', found end of line",
                "unknown severity 'hgh' (info, low, medium, high or critical); did you mean "
                "'high'?"}));
  ASSERT_EQ(load.diagnostics.size(), 5u);
  const std::uint32_t lines[] = {1, 2, 4, 8, 10};
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(load.diagnostics[i].where.line, lines[i]);
}

// Recovery skips to the next line starting with a keyword, so a misspelled keyword right after
// a broken declaration is skipped with it and never reported.
TEST(rules_syntax, a_top_level_typo_after_a_syntax_error_is_still_reported) {
  const rules_load load = compile(
      "rule r {\n  when arrears > 0\n  message \"unterminated\n}\nrul s { when arrears "
      "> 0 }\n");
  EXPECT_EQ(messages_of(load),
            (std::vector<std::string>{"expected '\"', found end of line",
                                      "expected a declaration (ruleset, param, event, attribute, "
                                      "define, rule or decision), found 'rul'; did you "
                                      "mean 'rule'?"}));
}

// The misspelled keyword is what the parser found; the caret belongs under it.
TEST(rules_syntax, a_misspelled_clause_keyword_on_its_own_line_suggests_the_keyword) {
  const diagnostic d = single_error("rule r {\n  when arrears > 0\n  sevrity high\n}\n");
  EXPECT_EQ(d.message,
            "expected a clause (when, severity, score, message, cooldown, raise_after, "
            "clear_after, tags) or '}', found "
            "'sevrity'; did you mean 'severity'?");
  EXPECT_EQ(d.where.line, 3u);
  EXPECT_EQ(d.where.column, 3u);
}

TEST(rules_syntax, a_misspelled_clause_keyword_on_the_same_line_suggests_the_keyword) {
  const diagnostic d = single_error("rule r { when arrears > 0 mesage \"hello\" }");
  EXPECT_EQ(d.message,
            "expected a clause (when, severity, score, message, cooldown, raise_after, "
            "clear_after, tags) or '}', found "
            "'mesage'; did you mean 'message'?");
  EXPECT_EQ(d.where.column, 27u);
}

// A blank is never what the parser found: the message names the next token.
TEST(rules_syntax, an_error_before_a_blank_names_the_next_token) {
  const diagnostic d = single_error("rule r { when arrears > }");
  EXPECT_EQ(d.message, "expected an expression after '>', found '}'");
  EXPECT_EQ(d.where.column, 25u);
  const diagnostic p = single_error("param grace_days = \trule r { when arrears > 0 }");
  EXPECT_FALSE(contains(p.message, "found '\t'")) << p.message;
  EXPECT_FALSE(contains(p.message, "found ' '")) << p.message;
}

// Diagnostics name grammar rules in English, never C++ types.
TEST(rules_syntax, an_empty_interpolation_expects_an_expression) {
  const diagnostic d = single_error("rule r { when arrears > 0 message \"owing {} now\" }");
  EXPECT_EQ(d.message, "expected an expression, found '}'");
  EXPECT_EQ(d.where.column, 43u);
}

TEST(rules_syntax, an_empty_tags_clause_expects_a_tag) {
  const diagnostic d = single_error("rule r { when arrears > 0 tags }");
  EXPECT_TRUE(contains(d.message, "expected a tag (a name or a quoted string)")) << d.message;
  EXPECT_FALSE(contains(d.message, "boost")) << d.message;
}

TEST(rules_syntax, an_unclosed_interpolation_expects_a_brace) {
  const diagnostic d = single_error("rule r { when arrears > 0 message \"owing {arrears\" }");
  EXPECT_EQ(d.message, "expected '}', found '\"'");
  EXPECT_EQ(d.where.column, 50u);
}

TEST(rules_syntax, a_dangling_operator_in_an_interpolation) {
  const diagnostic d = single_error("rule r { when arrears > 0 message \"owing {arrears *}\" }");
  EXPECT_EQ(d.message, "expected an expression after '*', found '}'");
  EXPECT_EQ(d.where.column, 52u);
}

// A rule whose body has a syntax error still exists: reading it elsewhere is not another error.
TEST(rules_syntax, a_rule_with_a_syntax_error_is_still_known_by_name) {
  const rules_load load = compile(
      "rule late_rent {\n  when arrears_days > 15\n  message \"unterminated\n}\nrule escalate { "
      "when late_rent and arrears > 0 }\n");
  EXPECT_FALSE(load.ok());
  EXPECT_EQ(messages_of(load), (std::vector<std::string>{"expected '\"', found end of line"}));
}

// rules_load::diagnostics is documented as "in source order, errors and warnings".
TEST(rules_syntax, syntax_and_check_errors_are_reported_in_source_order) {
  const rules_load load = compile("rule a { when arears > 1 }\nrule b {\n  when arrears >\n}\n");
  ASSERT_EQ(load.diagnostics.size(), 2u) << load.report();
  EXPECT_EQ(load.diagnostics[0].where.line, 1u) << load.report();
  EXPECT_EQ(load.diagnostics[1].where.line, 3u) << load.report();  // where `>` ends its line
}

// ---------------------------------------------------------------------------------------------
// Rendering

TEST(rules_report, renders_file_line_column_source_line_and_caret) {
  const rules_load load = compile_rules("rule r {\n  when arears > 0\n}\n", "city.rules");
  EXPECT_EQ(load.report(),
            "city.rules:2:8: error: unknown name 'arears'; did you mean 'arrears'?\n"
            "    when arears > 0\n"
            "         ^\n");
}

TEST(rules_report, the_column_counts_characters_not_bytes) {
  const rules_load load =
      compile_rules("rule r { when arrears > 0 message \"Dluží {arears} Kč\" }", "praha.rules");
  ASSERT_EQ(load.diagnostics.size(), 1u);
  EXPECT_EQ(load.diagnostics[0].where.column, 43u);
  EXPECT_EQ(load.report(),
            "praha.rules:1:43: error: unknown name 'arears'; did you mean 'arrears'?\n"
            "  rule r { when arrears > 0 message \"Dluží {arears} Kč\" }\n"
            "                                            ^\n");
}

TEST(rules_report, tabs_are_copied_so_the_caret_lines_up) {
  const rules_load load = compile_rules("rule r {\n\twhen arears > 0\n}\n", "tabs.rules");
  EXPECT_EQ(load.report(),
            "tabs.rules:2:7: error: unknown name 'arears'; did you mean 'arrears'?\n"
            "  \twhen arears > 0\n"
            "  \t     ^\n");
}

std::string chain(int operands, const std::string& op, const std::string& operand) {
  std::string text;
  for (int i = 0; i < operands; ++i) text += (i == 0 ? "" : " " + op + " ") + operand;
  return text;
}

// A diagnostic on a megabyte line shows a window of it, not all of it, a hundred times over.
TEST(rules_report, a_long_line_is_shown_as_a_window_around_the_column) {
  const std::string before = chain(20000, "and", "arrears > 1");
  const std::string text = "rule r { when " + before + " and arears > 0 and " + before + " }";
  const rules_load load = compile_rules(text, "long.rules");
  ASSERT_EQ(load.diagnostics.size(), 1u) << load.report().substr(0, 500);
  const std::uint32_t column = 15 + static_cast<std::uint32_t>(before.size()) + 5;
  EXPECT_EQ(load.diagnostics[0].where.column, column);
  const std::string report = load.report();
  const std::string window = text.substr(column - 1 - 40, 160);
  EXPECT_EQ(report, "long.rules:1:" + std::to_string(column) +
                        ": error: unknown name 'arears'; did you mean 'arrears'?\n  \u2026" +
                        window + "\u2026\n   " + std::string(40, ' ') + "^\n");
  // At the start and the end of a long line, the window stops at the line's end.
  const rules_load first =
      compile_rules("rule r { when arears > 0 and " + before + " }", "a.rules");
  EXPECT_EQ(first.report().substr(first.report().find('\n') + 1, 22), "  rule r { when arears");
  EXPECT_NE(first.report().find(before.substr(0, 160 - 29) + "\u2026\n"), std::string::npos);
  const rules_load last = compile_rules("rule r { when " + before + " and arears > 0 }", "z.rules");
  EXPECT_NE(last.report().find("\u2026" +
                               (before + " and arears > 0 }").substr(before.size() + 16 - 160 + 1)),
            std::string::npos)
      << last.report();
}

TEST(rules_report, the_default_file_name_is_a_placeholder) {
  const rules_load load = compile_rules("rule r { when arears > 0 }");
  EXPECT_EQ(load.file_name, "<rules>");
  EXPECT_EQ(load.report().rfind("<rules>:1:15: error: ", 0), 0u) << load.report();
}

TEST(rules_report, load_rules_reports_an_unreadable_file) {
  const rules_load load = load_rules("/nonexistent/dir/none.rules");
  EXPECT_FALSE(load.ok());
  EXPECT_EQ(load.report(), "/nonexistent/dir/none.rules: error: cannot read the rules file\n");
}

// ---------------------------------------------------------------------------------------------
// Hostile and broken input: refused with a located error, never a crash or an empty ruleset

std::filesystem::path scratch_dir() {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("earlywarn-rules-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

std::string write_file(const std::string& name, const std::string& bytes) {
  const auto path = scratch_dir() / name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path.string();
}

TEST(rules_files, a_directory_is_refused_with_what_to_give_instead) {
  const std::string dir = scratch_dir().string();
  const rules_load load = load_rules(dir);
  EXPECT_FALSE(load.ok());
  EXPECT_EQ(load.report(), dir +
                               ": error: this is a directory, not a rules file: give the path of "
                               "a rules file, like rules/housing-early-warning.rules\n");
}

TEST(rules_files, a_pipe_is_refused) {
  const auto path = scratch_dir() / "pipe.rules";
  std::filesystem::remove(path);
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  const rules_load load = load_rules(path.string());  // must not block reading it
  EXPECT_FALSE(load.ok());
  ASSERT_EQ(load.diagnostics.size(), 1u);
  EXPECT_EQ(load.diagnostics[0].message,
            "this is not a regular file (a pipe, socket or device): rules are read from a "
            "regular file");
}

TEST(rules_files, an_empty_file_and_a_file_of_comments_are_refused) {
  const rules_load empty = load_rules(write_file("empty.rules", ""));
  EXPECT_FALSE(empty.ok());
  ASSERT_EQ(empty.diagnostics.size(), 1u);
  EXPECT_TRUE(contains(empty.diagnostics[0].message, "the rules file is empty"));
  const rules_load comments = load_rules(write_file("comments.rules", "# to do\n"));
  EXPECT_FALSE(comments.ok());
  ASSERT_EQ(comments.diagnostics.size(), 1u);
  EXPECT_TRUE(contains(comments.diagnostics[0].message, "the rules file has no rule"));
}

TEST(rules_files, text_beyond_the_size_limit_is_refused_unread) {
  std::string text = "rule r { when arrears > 0 }\n";
  text.resize(max_rules_bytes + 1, '#');
  const rules_load from_text = compile_rules(text, "big.rules");
  EXPECT_FALSE(from_text.ok());
  ASSERT_EQ(from_text.diagnostics.size(), 1u);
  EXPECT_EQ(from_text.diagnostics[0].message,
            "the rules text is 16777217 bytes, more than the limit of 16777216 (16 MiB): split "
            "it into several rulesets");
  const rules_load from_file = load_rules(write_file("big.rules", text));
  EXPECT_FALSE(from_file.ok());
  ASSERT_EQ(from_file.diagnostics.size(), 1u);
  EXPECT_EQ(from_file.diagnostics[0].message,
            "the rules file is larger than the limit of 16777216 bytes (16 MiB): split it into "
            "several rulesets");
  text.resize(max_rules_bytes);
  EXPECT_TRUE(load_rules(write_file("big.rules", text)).ok());
}

// Notepad starts UTF-8 files with a byte-order mark; it is not part of the rules.
TEST(rules_encoding, a_byte_order_mark_is_ignored) {
  const std::string text = "rule r { when arrears > 0 }\n";
  const rules_load with_mark = compile_rules("\xEF\xBB\xBF" + text, "bom.rules");
  ASSERT_TRUE(with_mark.ok()) << with_mark.report();
  EXPECT_EQ(with_mark.rules->fingerprint, compile_rules(text, "bom.rules").rules->fingerprint);
  EXPECT_EQ(with_mark.source, text);
  const rules_load broken = compile_rules("\xEF\xBB\xBFrule r { when arears > 0 }", "bom.rules");
  EXPECT_EQ(broken.report(),
            "bom.rules:1:15: error: unknown name 'arears'; did you mean 'arrears'?\n"
            "  rule r { when arears > 0 }\n"
            "                ^\n");
  EXPECT_TRUE(load_rules(write_file("bom.rules", "\xEF\xBB\xBF" + text)).ok());
}

// Windows-1250 writes č as the single byte 0xE8.
TEST(rules_encoding, a_byte_that_is_not_utf8_is_located_and_shown_as_a_replacement) {
  const rules_load load = compile_rules(
      "rule r {\n  when arrears > 0\n  message \"Dlu\xBE\xED \xE8ty\xF8i m\xECs\xED"
      "ce\"\n}\n",
      "cp1250.rules");
  EXPECT_FALSE(load.ok());
  EXPECT_EQ(load.report(),
            "cp1250.rules:3:15: error: byte 0xBE is not UTF-8: save the rules file as UTF-8 (a "
            "file written in a code page such as Windows-1250 holds letters like 'č' as "
            "such bytes)\n"
            "    message \"Dlu\xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBDty\xEF\xBF\xBDi "
            "m\xEF\xBF\xBDs\xEF\xBF\xBD"
            "ce\"\n"
            "                ^\n");
}

TEST(rules_encoding, each_line_with_bytes_that_are_not_utf8_is_reported_once) {
  const rules_load load = compile("# \xE8\xE8\nrule r { when arrears > 0 } # \x80\n");
  ASSERT_EQ(load.diagnostics.size(), 2u) << load.report();
  EXPECT_EQ(load.diagnostics[0].where.line, 1u);
  EXPECT_EQ(load.diagnostics[0].where.column, 3u);
  EXPECT_EQ(load.diagnostics[1].where.line, 2u);
  EXPECT_EQ(load.diagnostics[1].where.column, 31u);
  EXPECT_TRUE(contains(load.diagnostics[1].message, "byte 0x80 is not UTF-8"));
}

TEST(rules_encoding, overlong_surrogate_and_cut_off_sequences_are_not_utf8) {
  for (const std::string bad : {"\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82"}) {
    const diagnostic d = single_error("rule r { when arrears > 0 } # " + bad);
    EXPECT_EQ(d.where.column, 31u);
    EXPECT_TRUE(contains(d.message, "is not UTF-8")) << d.message;
  }
  must_load("rule r { when arrears > 0 } # \xC4\x8D \xE2\x82\xAC \xF0\x9F\x8F\xA0");
}

TEST(rules_encoding, control_characters_are_not_text) {
  const diagnostic d = single_error(std::string("rule r { when arrears > 0 }\0\n", 29));
  EXPECT_EQ(d.message,
            "control character 0x00 in the rules file: a rules file is UTF-8 text; "
            "remove it");
  EXPECT_EQ(d.where.column, 28u);
  must_load("rule r {\twhen arrears > 0\f}\r\n");
}

TEST(rules_encoding, reports_stop_after_the_limit) {
  std::string text;
  for (int i = 0; i < 150; ++i) text += "# \xE8\n";
  const rules_load load = compile(text + "rule r { when arrears > 0 }\n");
  ASSERT_EQ(load.diagnostics.size(), max_rules_diagnostics + 1);
  EXPECT_EQ(load.diagnostics.back().message, "stopped after 100 lines that are not UTF-8 text");
}

TEST(rules_names, a_non_ascii_letter_in_a_name_is_a_located_error) {
  const diagnostic inside = single_error("rule r { when arrears_dayš > 15 }");
  EXPECT_EQ(inside.message,
            "expected a clause (when, severity, score, message, cooldown, raise_after, "
            "clear_after, tags) or '}', found "
            "'š' (names are ASCII letters, digits and '_')");
  EXPECT_EQ(inside.where.column, 26u);
  const diagnostic first = single_error("rule r { when čas > 15 }");
  EXPECT_EQ(first.message,
            "expected an expression, found 'č' (names are ASCII letters, digits and '_')");
  EXPECT_EQ(first.where.column, 15u);
  const diagnostic rule_name = single_error("rule pozdní { when arrears > 0 }");
  EXPECT_EQ(rule_name.message, "expected '{', found 'í' (names are ASCII letters, digits and '_')");
}

// Each level of parentheses recurses through every precedence level of the parser.
TEST(rules_limits, nesting_is_limited_with_a_located_error) {
  auto nested = [](int levels, const std::string& open, const std::string& close) {
    std::string text = "rule r {\n  when ";
    for (int i = 0; i < levels; ++i) text += open;
    text += "arrears_days > 1";
    for (int i = 0; i < levels; ++i) text += close;
    return text + "\n}\n";
  };
  const std::string message =
      "expression nested too deeply: at most 100 levels of parentheses, function calls, '-' and "
      "'not'; split it into rules or params";
  for (const auto& [open, close] : {std::pair<std::string, std::string>{"(", ")"}, {"not ", ""}}) {
    must_load(nested(max_expression_nesting, open, close));
    const diagnostic d = single_error(nested(max_expression_nesting + 1, open, close));
    EXPECT_EQ(d.message, message);
    EXPECT_EQ(d.where.line, 2u);
    // At the operand one level too deep.
    EXPECT_EQ(d.where.column, 8 + (max_expression_nesting + 1) * open.size()) << open;
    EXPECT_EQ(single_error(nested(100000, open, close)).message, message);
  }
  std::string minus = "rule r { when ";
  for (int i = 0; i < 100000; ++i) minus += "-";
  EXPECT_EQ(single_error(minus + "arrears > 0 }").message, message);
  std::string calls = "rule r { when missing(";
  for (int i = 0; i < 200; ++i) calls += "-(";
  EXPECT_EQ(single_error(calls + "arrears").message, message);
}

// The depth of a compiled expression, without recursing.
std::uint32_t depth_of(const ruleset& rs, std::uint32_t root) {
  std::uint32_t deepest = 0;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> todo{{root, 0}};
  while (!todo.empty()) {
    const auto [n, d] = todo.back();
    todo.pop_back();
    deepest = std::max(deepest, d);
    const expr_node& x = rs.nodes[n];
    if (operand_count(x.op) >= 1) todo.push_back({x.a, d + 1});
    if (operand_count(x.op) == 2) todo.push_back({x.b, d + 1});
  }
  return deepest;
}

// Evaluation recurses once per operation inside another.
TEST(rules_limits, compiled_depth_is_limited_with_a_located_error) {
  const ruleset rs = must_load("rule r { when " + chain(256, "+", "arrears") + " > 0 }");
  EXPECT_EQ(depth_of(rs, rs.rules[0].when), 256u);
  const diagnostic d = single_error("rule r {\n  when " + chain(257, "+", "arrears") + " > 0\n}");
  EXPECT_EQ(d.message,
            "expression too deep: more than 256 operations inside one another (a chain of '+', "
            "'-', '*', '/', '==' or '!=' nests one per operator); group it with parentheses or "
            "split it into rules");
  EXPECT_EQ(d.where.line, 2u);
  EXPECT_EQ(d.where.column, 8u + 257u * 10u - 2u);  // the '>' after the last operand
  const diagnostic long_chain =
      single_error("rule r { when " + chain(40000, "*", "arrears") + " > 0 }");
  EXPECT_TRUE(contains(long_chain.message, "expression too deep")) << long_chain.message;
}

// `and` and `or` are associative: a long chain is grouped so that it stays shallow.
TEST(rules_limits, long_and_or_chains_compile_shallow) {
  for (const char* op : {"and", "or"}) {
    const ruleset rs = must_load("rule r { when " + chain(40000, op, "arrears_days > 30") + " }");
    EXPECT_LE(depth_of(rs, rs.rules[0].when), 64u + 10u + 1u) << op;
  }
}

TEST(rules_limits, a_long_chain_gives_what_the_same_chain_in_short_groups_gives) {
  auto load = load_ledger_csv(std::string(EARLYWARN_SOURCE_DIR) + "/examples/sample-ledger.csv");
  ASSERT_TRUE(load.ok());
  const day as_of = *load.events.last_date();
  for (const std::string op : {"and", "or"}) {
    // 300 distinct conditions, some true and some false for each household.
    std::vector<std::string> terms;
    for (int i = 0; i < 300; ++i)
      terms.push_back(op == "and" ? "arrears_days + " + std::to_string(i % 7) + " > " +
                                        std::to_string(i % 11)
                                  : "arrears_days > " + std::to_string(100 + i * 3));
    std::string flat, grouped;
    for (std::size_t i = 0; i < terms.size(); ++i) {
      flat += (i == 0 ? "" : " " + op + " ") + terms[i];
      if (i % 10 == 0)
        grouped += (i == 0 ? "(" : ") " + op + " (");
      else
        grouped += " " + op + " ";
      grouped += terms[i];
    }
    grouped += ")";
    const ruleset long_chain = must_load("rule r { when " + flat + " score arrears }");
    const ruleset short_chains = must_load("rule r { when " + grouped + " score arrears }");
    const worklist a = evaluate(long_chain, load.events, as_of);
    const worklist b = evaluate(short_chains, load.events, as_of);
    EXPECT_GT(a.rows.size(), 5u) << op;
    EXPECT_LT(a.rows.size(), 300u) << op;
    EXPECT_EQ(worklist_csv(a), worklist_csv(b)) << op;
  }
}

// A type error in a long chain is found where a left-to-right reading finds it.
TEST(rules_limits, a_type_error_in_a_long_chain_is_at_its_operator) {
  const diagnostic d =
      single_error("rule r { when " + chain(100, "and", "arrears > 0") + " and arrears }");
  EXPECT_EQ(d.message, "'and' needs conditions (like arrears_days > 30) on both sides");
  EXPECT_EQ(d.where.column, 15u + 100u * 16u - 4u);
}

TEST(rules_limits, reports_stop_after_the_limit) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "rule r" + std::to_string(i) + " { when arrearz > 1 }\n";
  const rules_load load = compile(text);
  ASSERT_EQ(load.diagnostics.size(), max_rules_diagnostics + 1);
  EXPECT_EQ(load.diagnostics.back().message,
            "stopped after 100 errors and warnings: fix these and check again");
  std::string broken;
  for (int i = 0; i < 5000; ++i)
    broken += "rule r" + std::to_string(i) + " {\n  when arrears >\n}\n";
  EXPECT_EQ(compile(broken).diagnostics.size(), max_rules_diagnostics + 1);
}

TEST(rules_limits, numbers_and_durations_state_their_limits) {
  must_load("rule r { when arrears > 123456789012345678 and days_since(payment) > 100000d }");
  const diagnostic number = single_error("rule r { when arrears > 1234567890123456789 }");
  EXPECT_EQ(number.message, "number has more than 18 digits");
  EXPECT_EQ(number.where.column, 25u);
  const rules_load param = compile("param big = 0.1234567890123456789\nrule r { when big > 0 }");
  ASSERT_FALSE(param.diagnostics.empty());
  EXPECT_EQ(param.diagnostics[0].message, "number has more than 18 digits");
  const diagnostic duration = single_error("rule r { when days_since(payment) > 100001d }");
  EXPECT_EQ(duration.message, "duration is longer than 100000 days, weeks, months or years");
  const diagnostic window = single_error("rule r { when sum(payment, 100001m) > 0 }");
  EXPECT_EQ(window.message, "duration is longer than 100000 days, weeks, months or years");
}

// A megabyte of message text is linear work, not a limit.
TEST(rules_limits, long_lines_and_strings_load) {
  const ruleset rs = must_load("rule r { when arrears > 0 message \"" + std::string(1 << 20, 'x') +
                               "\" tags \"" + std::string(1 << 20, 'y') + "\" }");
  EXPECT_EQ(rs.rules[0].message[0].text.size(), std::size_t{1} << 20);
}

// Evaluation recurses from a rule into the rules it reads: a chain of 20,000 rules each reading
// the next overflowed a 1 MB stack in run, explain and stream.
TEST(rules_limits, a_long_chain_of_rules_reading_rules_is_refused_at_its_first_rule_too_deep) {
  auto chain_of_rules = [](int n) {
    std::string text;
    // Appended piece by piece: "r" + std::to_string(...) trips g++ 12's
    // false -Wrestrict (GCC bug 105329).
    for (int i = 0; i < n; ++i) {
      text += "rule r";
      text += std::to_string(i);
      text += " { when ";
      if (i + 1 < n) {
        text += 'r';
        text += std::to_string(i + 1);
        text += " and ";
      }
      text += "arrears > 0 }\n";
    }
    return text;
  };
  // The last rule has depth 1; each rule before it adds 3 (its `and` over a comparison, and
  // the step into the rule it reads), so 86 rules reach 256 and 87 go past it.
  const ruleset rs = must_load(chain_of_rules(86));
  EXPECT_EQ(rs.rules.size(), 86u);
  EXPECT_FALSE(compile(chain_of_rules(87)).ok());
  const rules_load load = compile(chain_of_rules(20000));
  ASSERT_EQ(load.diagnostics.size(), 1u) << load.report().substr(0, 1000);
  EXPECT_EQ(load.diagnostics[0].message,
            "rule 'r19913' is too deep to evaluate: with the rules it reads, and the rules they "
            "read, its conditions hold more than 256 operations inside one another; read fewer "
            "rules in a chain");
  EXPECT_EQ(load.diagnostics[0].where.line, 19914u);
}

// The rule's condition as a tree, definitions in place.
std::string when_tree(const ruleset& rs, const char* rule) {
  return tree(rs, rs.rules.at(*rs.find_rule(rule)).when);
}

TEST(rules_definitions, a_definition_compiles_as_its_expression_and_prints_nothing) {
  const ruleset defined = must_load(R"(
param grace = 7
define weekly_rent = max(charge, 6m) / 4
define owing_weeks = arrears / weekly_rent
define behind = arrears_days > grace and owing_weeks >= 2
rule behind_two_weeks { when behind  score owing_weeks  message "{owing_weeks} weeks of rent" }
rule behind_long { when behind and arrears_days > 60 }
)");
  const ruleset inlined = must_load(R"(
param grace = 7
rule behind_two_weeks {
  when arrears_days > grace and arrears / (max(charge, 6m) / 4) >= 2
  score arrears / (max(charge, 6m) / 4)
  message "{arrears / (max(charge, 6m) / 4)} weeks of rent"
}
rule behind_long { when arrears_days > grace and arrears / (max(charge, 6m) / 4) >= 2 and arrears_days > 60 }
)");
  ASSERT_EQ(defined.rules.size(), 2u);  // definitions are not rules
  ASSERT_EQ(defined.definitions.size(), 3u);
  EXPECT_EQ(defined.definitions[2].name, "behind");
  EXPECT_EQ(defined.definitions[2].where.line, 5u);
  for (const char* r : {"behind_two_weeks", "behind_long"}) {
    // The same operations on the same operands, leaf for leaf.
    EXPECT_EQ(when_tree(defined, r), when_tree(inlined, r));
  }
  // Both rules read `behind` by its name, evaluated as the one compiled node.
  const std::uint32_t behind = defined.definitions[2].node;
  const std::vector<std::uint32_t> first = first_equal_nodes(defined);
  const std::uint32_t read_by_0 = defined.rules[0].when;
  const std::uint32_t read_by_1 = defined.nodes[defined.rules[1].when].a;
  EXPECT_EQ(first[read_by_0], first[behind]);
  EXPECT_EQ(first[read_by_1], first[behind]);
  EXPECT_EQ(defined.text_of(defined.nodes[read_by_1]), "behind");
  EXPECT_EQ(defined.text_of(defined.nodes[behind]), "arrears_days > grace and owing_weeks >= 2");
}

TEST(rules_definitions, rules_read_through_definitions_come_first) {
  const ruleset rs = must_load(R"(
define escalate = letter_sent and arrears_days > 60
rule court_warning { when escalate }
rule letter_sent { when arrears_days > 30 }
)");
  const auto& order = rs.evaluation_order;
  const auto at = [&](const char* r) {
    return std::find(order.begin(), order.end(), *rs.find_rule(r)) - order.begin();
  };
  EXPECT_LT(at("letter_sent"), at("court_warning"));
  EXPECT_EQ(rs.rules[*rs.find_rule("court_warning")].reads_rules,
            std::vector<std::uint32_t>{*rs.find_rule("letter_sent")});
}

TEST(rules_definitions, a_definition_read_before_it_is_written_and_by_another) {
  const ruleset rs = must_load(R"(
rule r { when twice > 100 }
define twice = once * 2
define once = arrears + 1
)");
  EXPECT_EQ(when_tree(rs, "r"), "(> (* (+ arrears 1) 2) 100)");
}

TEST(rules_definitions, a_definition_that_reads_itself_is_an_error_naming_the_cycle) {
  const diagnostic d = single_error("define a = b + 1\ndefine b = a * 2\nrule r { when a > 0 }");
  EXPECT_EQ(d.message,
            "definition 'a' reads itself: a -> b -> a (a definition cannot depend on itself)");
  EXPECT_EQ(d.where.line, 2u);
  EXPECT_EQ(d.where.column, 12u);
  const diagnostic self = single_error("define a = a + 1\nrule r { when a > 0 }");
  EXPECT_EQ(self.message,
            "definition 'a' reads itself: a -> a (a definition cannot depend on itself)");
}

TEST(rules_definitions, a_rule_that_reads_itself_through_a_definition_is_a_cycle) {
  const diagnostic d = single_error("define d = r and arrears > 0\nrule r { when d }");
  EXPECT_EQ(d.message,
            "rules refer to each other in a cycle: r -> r (a rule cannot depend on itself)");
}

TEST(rules_definitions, names_are_unique_across_definitions_rules_params_and_signals) {
  expect_errors({
      {"define a = 1\ndefine a = 2\nrule r { when a > 0 }",
       "definition 'a' is defined twice (first at line 1)"},
      {"param a = 1\ndefine a = 2\nrule r { when a > 0 }",
       "definition name 'a' is already a param"},
      {"define arrears = 2\nrule r { when arrears > 0 }",
       "definition name 'arrears' is already a built-in signal"},
      {"define sum = 2\nrule r { when arrears > 0 }",
       "definition name 'sum' is already a built-in function"},
      {"rule r { when arrears > 0 }\ndefine r = 2", "definition name 'r' is already a rule"},
  });
}

TEST(rules_definitions, an_unknown_name_suggests_a_definition) {
  const rules_load load = compile("define weekly_rent = 100\nrule r { when arrears > weekly_rnt }");
  EXPECT_EQ(messages_of(load),
            (std::vector<std::string>{
                "definition 'weekly_rent' is never read: no rule or definition uses it",
                "unknown name 'weekly_rnt'; did you mean 'weekly_rent'?"}));
}

TEST(rules_definitions, an_error_inside_a_definition_is_reported_once_where_it_is) {
  const rules_load load = compile(
      "define late = arrears_days > 30 and arrears\nrule a { when late }\nrule b { when late }");
  ASSERT_FALSE(load.ok());
  ASSERT_EQ(load.diagnostics.size(), 1u) << load.report();
  EXPECT_EQ(load.diagnostics[0].where.line, 1u);
  // A definition whose declaration broke off: its readers are no second error.
  const rules_load broken = compile("define late = arrears_days >\nrule a { when late }");
  ASSERT_EQ(broken.diagnostics.size(), 1u) << broken.report();
  EXPECT_EQ(broken.diagnostics[0].message,
            "expected an expression after '>', found the keyword 'rule' on line 2");
}

TEST(rules_definitions, a_condition_and_a_number_keep_their_kinds) {
  EXPECT_EQ(single_error("define late = arrears_days > 30\nrule r { when late + 1 > 0 }").message,
            "'+' needs numbers on both sides");
  EXPECT_EQ(single_error("define owed = arrears\nrule r { when owed }").message,
            "a when clause needs a condition (like arrears_days > 30), not a number");
}

TEST(rules_definitions, a_definition_no_rule_reads_is_a_warning_and_still_checked) {
  const rules_load load = compile("define spare = arrears * 2\nrule r { when arrears > 0 }");
  ASSERT_TRUE(load.ok()) << load.report();
  ASSERT_EQ(load.rules->warnings.size(), 1u);
  EXPECT_EQ(load.rules->warnings[0].message,
            "definition 'spare' is never read: no rule or definition uses it");
  EXPECT_EQ(single_error("define spare = arrears * missing_name\nrule r { when arrears > 0 }")
                .message.rfind("unknown name 'missing_name'", 0),
            0u);
}

}  // namespace
}  // namespace earlywarn

namespace earlywarn {
namespace {

TEST(rules_expressions, min_and_max_of_two_numbers_and_over_a_window) {
  const ruleset rs = must_load(R"(
param floor = 5
define owed = arrears
rule a { when max(balance, 0) > floor }
rule b { when min(owed, last(charge) * 2) >= max(charge, 6m) }
rule c { when max(floor, 1) < 3 }
)");
  EXPECT_EQ(when_tree(rs, "a"), "(> (max balance 0) floor)");
  EXPECT_EQ(when_tree(rs, "b"), "(>= (min owed (* last(charge) 2)) max(charge, 6m))");
  EXPECT_EQ(when_tree(rs, "c"), "(< (max floor 1) 3)");
  EXPECT_EQ(single_error("rule r { when max(plan_active, 1) > 0 }").message,
            "max() of two values takes numbers, not conditions");
  EXPECT_EQ(single_error("rule r { when max(payment, 0) > 0 }").message,
            "max() needs a window here: a duration like 90d, 2w, 6m or 1y, a param holding one, "
            "week_to_date, month_to_date, year_to_date, or an expression in days like "
            "days_since(plan); 0 is a plain number");
}

}  // namespace
}  // namespace earlywarn

namespace earlywarn {
namespace {

// Lints (docs/language.md, Lints) walk each node once: a chain of
// definitions each reading the one before twice is 2^60 readings as a tree.
TEST(rules_lints, a_chain_of_definitions_read_twice_is_walked_once_per_node) {
  std::string never = "define d0 = 3 > 5\n", contradiction = "define e0 = arrears > 5\n";
  for (int k = 1; k <= 60; ++k) {
    never += "define d" + std::to_string(k) + " = d" + std::to_string(k - 1) + " or d" +
             std::to_string(k - 1) + "\n";
    contradiction += "define e" + std::to_string(k) + " = e" + std::to_string(k - 1) + " and e" +
                     std::to_string(k - 1) + "\n";
  }
  const rules_load a = compile_rules(never + "rule r { when d60 and arrears > 0 }", "t.rules");
  ASSERT_TRUE(a.ok()) << a.report();
  ASSERT_EQ(a.diagnostics.size(), 1u) << a.report();
  EXPECT_EQ(a.diagnostics[0].message, "rule 'r' can never fire: neither side of 'd60' can hold");
  const rules_load b =
      compile_rules(contradiction + "rule r { when e60 and arrears < 3 }", "t.rules");
  ASSERT_EQ(b.diagnostics.size(), 1u) << b.report();
  EXPECT_EQ(b.diagnostics[0].message,
            "rule 'r' can never fire: 'e0' and 'arrears < 3' cannot all hold");
}

}  // namespace
}  // namespace earlywarn

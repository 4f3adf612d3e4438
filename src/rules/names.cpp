// Names in expressions: what each means (a signal, a param, a definition, a
// rule or a household attribute) and the node that reads it, or an error
// that suggests the nearest known name. Definitions compile where first read.

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "builtins.hpp"
#include "checker.hpp"

namespace earlywarn::rules_front {

std::uint32_t checker::compile(const syntax::name& n) {
  const auto range = range_of(n);
  for (const auto& s : signals)
    if (s.name == n.text) {
      const std::uint32_t t = draft_.add_term({s.kind, {}, std::nullopt});
      return draft_.leaf(opcode::term, is_boolean(s.kind) ? expr_type::boolean : expr_type::number,
                         unit_of(s.kind), t, range);
    }
  for (std::uint32_t i = 0; i < draft_.params().size(); ++i)
    if (draft_.params()[i].name == n.text) {
      param_read_[i] = true;
      if (draft_.params()[i].span) {
        rs_.durations.push_back(*draft_.params()[i].span);
        return draft_.leaf(opcode::duration_days, expr_type::number, unit::days,
                           static_cast<std::uint32_t>(rs_.durations.size() - 1), range);
      }
      return draft_.leaf(opcode::param, expr_type::number, unit::number, i, range);
    }
  if (const auto it = definition_index_.find(n.text); it != definition_index_.end())
    return use_definition(it->second, n);
  if (const auto it = rule_index_.find(n.text); it != rule_index_.end()) {
    current_reads_.push_back(it->second);
    return draft_.leaf(opcode::rule, expr_type::boolean, unit::number, it->second, range);
  }
  if (const auto a = attribute_named(n.text)) {
    switch (rs_.attributes[*a].kind) {
      case attribute_kind::date:
        log_.error(where(n), "'" + n.text + "' is a date: read it as days_since(" + n.text +
                                 ") or days_until(" + n.text + ")");
        return failed;
      case attribute_kind::flag:
        return attribute_leaf(*a, term_kind::attribute_flag, range);
      default:
        return attribute_leaf(*a, term_kind::attribute, range);
    }
  }
  for (const auto f : functions)
    if (f == n.text) {
      log_.error(where(n), "'" + n.text + "' is a function: write " + n.text + "(…)");
      return failed;
    }
  if (window_to_date(n.text)) {
    log_.error(where(n), "'" + n.text + "' is a window, not a number: use it in a function, like " +
                             "sum(payment, " + n.text + ")");
    return failed;
  }
  // A rule whose declaration has a syntax error exists; that error is enough.
  for (const std::string& broken : parsed_.broken_rules)
    if (broken == n.text) return failed;
  for (const std::string& broken : broken_attributes_)
    if (broken == n.text) return failed;
  if (log_.full()) return failed;
  log_.error(where(n),
             "unknown name '" + n.text + "'" + did_you_mean(nearest_name(n.text, known_names())));
  return failed;
}

std::vector<std::string> checker::known_names() const {
  std::vector<std::string> names;
  for (const auto& s : signals) names.emplace_back(s.name);
  for (const auto& p : draft_.params()) names.push_back(p.name);
  for (const auto& [n, i] : rule_index_) names.push_back(n);
  for (const auto& [n, i] : definition_index_) names.push_back(n);
  for (const attribute_declaration& a : rs_.attributes) names.push_back(a.name);
  return names;
}

std::string checker::did_you_mean(const std::string& near) {
  return near.empty() ? std::string() : "; did you mean '" + near + "'?";
}

std::optional<std::uint32_t> checker::attribute_named(const std::string& n) const {
  return rs_.find_attribute(n);
}

std::uint32_t checker::attribute_leaf(std::uint32_t a, term_kind kind,
                                      std::pair<std::uint32_t, std::uint32_t> range) {
  attribute_read_[a] = true;
  term t;
  t.kind = kind;
  t.attribute = rs_.attributes[a].name;
  const attribute_kind k = rs_.attributes[a].kind;
  const unit u = kind == term_kind::attribute_days_since || kind == term_kind::attribute_days_until
                     ? unit::days
                 : kind != term_kind::attribute ? unit::number
                 : k == attribute_kind::money   ? unit::money
                 : k == attribute_kind::days    ? unit::days
                                                : unit::number;
  return draft_.leaf(opcode::term, is_boolean(kind) ? expr_type::boolean : expr_type::number, u,
                     draft_.add_term(t), range);
}

std::uint32_t checker::use_definition(std::uint32_t d, const syntax::name& at) {
  using stage = pending_definition::stage;
  definitions_[d].used = true;
  if (definitions_[d].at == stage::compiling) {
    std::string path;
    const auto from = std::find(compiling_.begin(), compiling_.end(), d);
    for (auto i = from; i != compiling_.end(); ++i) path += rs_.definitions[*i].name + " -> ";
    log_.error(where(at), "definition '" + rs_.definitions[d].name + "' reads itself: " + path +
                              rs_.definitions[d].name + " (a definition cannot depend on itself)");
    return failed;
  }
  if (definitions_[d].at == stage::waiting) compile_definition(d);
  if (definitions_[d].at != stage::done) return failed;
  current_reads_.insert(current_reads_.end(), definitions_[d].reads.begin(),
                        definitions_[d].reads.end());
  // The definition's operation on its operands, written where it is read:
  // the reader's text (for explain and diagnostics) shows the name, and
  // first_equal_nodes() evaluates both as one node.
  expr_node reference = rs_.nodes[rs_.definitions[d].node];
  const auto range = range_of(at);
  reference.source_begin = range.first;
  reference.source_end = range.second;
  return draft_.add_node(reference);
}

void checker::compile_definition(std::uint32_t d) {
  using stage = pending_definition::stage;
  definitions_[d].at = stage::compiling;
  compiling_.push_back(d);
  std::vector<std::uint32_t> outer;  // the reads of whatever reads this definition
  std::swap(outer, current_reads_);
  const std::uint32_t n = compile(definitions_[d].declaration->value);
  definitions_[d].reads = std::move(current_reads_);
  current_reads_ = std::move(outer);
  compiling_.pop_back();
  definitions_[d].at = n == failed ? stage::broken : stage::done;
  if (n != failed) rs_.definitions[d].node = n;
}

}  // namespace earlywarn::rules_front

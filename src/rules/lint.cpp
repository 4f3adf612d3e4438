#include "lint.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <string>

namespace earlywarn::rules_front {
namespace {

// A comparison `x OP c` with a constant c, as bounds on x.
struct bounds {
  std::optional<value> low, high;  // none: unbounded
  bool low_strict = false, high_strict = false;
  std::vector<std::uint32_t> nodes;  // the comparisons, for the message

  void at_least(const value& c, bool strict) {
    const int k = low ? compare(c, *low) : 1;
    if (k > 0 || (k == 0 && strict)) low = c, low_strict = strict;
  }
  void at_most(const value& c, bool strict) {
    const int k = high ? compare(c, *high) : -1;
    if (k < 0 || (k == 0 && strict)) high = c, high_strict = strict;
  }
  bool empty() const {
    if (!low || !high) return false;
    const int k = compare(*low, *high);
    return k > 0 || (k == 0 && (low_strict || high_strict));
  }
};

class linter {
 public:
  explicit linter(const ruleset& rs)
      : rs_(rs), first_(first_equal_nodes(rs)), never_(rs.rules.size()), memo_(rs.nodes.size()) {}

  std::vector<diagnostic> run() {
    // Rules in evaluation order, so that a rule read by another is judged first.
    for (const std::uint32_t r : rs_.evaluation_order) {
      const rule& x = rs_.rules[r];
      if (const auto why = never_holds(x.condition)) {
        never_[r] = true;
        warn(x.where, "rule '" + x.name + "' can never fire: " + *why);
      }
    }
    for (const decision& d : rs_.decisions)
      if (d.policy != hit_policy::collect) shadowed_in(d);
    return std::move(out_);
  }

 private:
  // Rules of `d` that a rule before them shadows: its conjuncts are a subset
  // of theirs. Earlier rules are found through their conjuncts, so a
  // decision of thousands of rules with different conditions costs no
  // comparison of every pair.
  void shadowed_in(const decision& d) {
    std::map<std::uint32_t, std::vector<std::uint32_t>> containing;  // conjunct -> earlier rules
    std::vector<std::size_t> sizes(d.rules.size());
    std::vector<std::uint32_t> hits(d.rules.size());
    for (std::size_t i = 0; i < d.rules.size(); ++i) {
      const rule& later = rs_.rules[d.rules[i]];
      const std::vector<std::uint32_t> mine = conjuncts(later.condition);
      if (i > 0 && !never_[d.rules[i]]) {
        std::fill(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(i), 0u);
        std::optional<std::size_t> by;
        for (const std::uint32_t c : mine)
          if (const auto found = containing.find(c); found != containing.end())
            for (const std::uint32_t j : found->second)
              if (++hits[j] == sizes[j] && (!by || j < *by)) by = j;
        if (by) {
          const rule& earlier = rs_.rules[d.rules[*by]];
          warn(later.where, "rule '" + later.name + "' can never fire: in decision '" + d.name +
                                "' (" + std::string(to_string(d.policy)) + "), rule '" +
                                earlier.name + "' comes before it and holds whenever it does");
        }
      }
      sizes[i] = mine.size();
      if (never_[d.rules[i]]) continue;  // holds nowhere: shadows nothing
      for (const std::uint32_t c : mine) containing[c].push_back(static_cast<std::uint32_t>(i));
    }
  }

  // Why the condition at node `n` can never hold, if its text shows it; once
  // per node, as definitions share nodes (a chain of definitions each read
  // twice would otherwise be walked exponentially often).
  std::optional<std::string> never_holds(std::uint32_t n) {
    auto& memo = memo_[n];
    if (!memo) memo = never_holds_once(n);
    return *memo;
  }
  std::optional<std::string> never_holds_once(std::uint32_t n) {
    const expr_node& x = rs_.nodes[n];
    switch (x.op) {
      case opcode::rule:
        if (never_[x.a]) return "it needs rule '" + rs_.rules[x.a].name + "', which can never fire";
        return std::nullopt;
      case opcode::logical_or: {
        const auto a = never_holds(x.a);
        if (!a) return std::nullopt;
        const auto b = never_holds(x.b);
        if (!b) return std::nullopt;
        return "neither side of '" + text(n) + "' can hold";
      }
      case opcode::logical_and:
        break;
      default:
        if (const auto c = constant_comparison(n); c && !*c) {
          // Appended, not `"'" + text(n)`: GCC 12 warns falsely (-Wrestrict) on that.
          std::string why = "'";
          why += text(n);
          return why + "' is false whatever the ledger";
        }
        return std::nullopt;
    }
    // A conjunction: a part that can never hold, or comparisons of one value
    // with constants that no number meets together.
    std::vector<std::uint32_t> parts;
    flatten(n, parts);
    for (const std::uint32_t p : parts)
      if (const auto why = never_holds(p)) return why;
    std::map<std::uint32_t, bounds> by_value;
    for (const std::uint32_t p : parts) {
      const expr_node& c = rs_.nodes[p];
      std::uint32_t subject = 0;
      const value* k = nullptr;
      opcode op = c.op;
      if (!is_ordering(op)) continue;
      if (is_constant(c.b)) {
        subject = c.a, k = &rs_.constants[rs_.nodes[c.b].a];
      } else if (is_constant(c.a)) {
        subject = c.b, k = &rs_.constants[rs_.nodes[c.a].a], op = mirrored(op);
      } else {
        continue;
      }
      if (is_constant(subject)) continue;
      bounds& b = by_value[first_[subject]];
      b.nodes.push_back(p);
      if (op == opcode::greater || op == opcode::greater_equal || op == opcode::equal)
        b.at_least(*k, op == opcode::greater);
      if (op == opcode::less || op == opcode::less_equal || op == opcode::equal)
        b.at_most(*k, op == opcode::less);
      if (b.empty()) {
        std::string which;
        for (const std::uint32_t m : b.nodes)
          which += (which.empty() ? "'" : " and '") + text(m) + "'";
        return which + " cannot all hold";
      }
    }
    return std::nullopt;
  }

  // The value of a comparison of two constants, if `n` is one.
  std::optional<bool> constant_comparison(std::uint32_t n) const {
    const expr_node& x = rs_.nodes[n];
    if (!is_ordering(x.op) && x.op != opcode::not_equal) return std::nullopt;
    if (!is_constant(x.a) || !is_constant(x.b)) return std::nullopt;
    return comparison_holds(
        x.op, compare(rs_.constants[rs_.nodes[x.a].a], rs_.constants[rs_.nodes[x.b].a]));
  }

  static bool is_ordering(opcode op) {
    return op == opcode::less || op == opcode::less_equal || op == opcode::greater ||
           op == opcode::greater_equal || op == opcode::equal;
  }
  bool is_constant(std::uint32_t n) const {
    return rs_.nodes[n].op == opcode::constant && rs_.constants[rs_.nodes[n].a].has_value();
  }

  // The parts of a conjunction, each node once however often it is read.
  void flatten(std::uint32_t n, std::vector<std::uint32_t>& parts) const {
    std::vector<std::uint32_t> todo{n};
    std::vector<bool> seen(rs_.nodes.size());
    while (!todo.empty()) {
      const std::uint32_t m = todo.back();
      todo.pop_back();
      if (seen[first_[m]]) continue;  // a part read twice, or through a definition
      seen[first_[m]] = true;
      const expr_node& x = rs_.nodes[m];
      if (x.op == opcode::logical_and) {
        todo.push_back(x.b);
        todo.push_back(x.a);
      } else {
        parts.push_back(m);
      }
    }
  }
  // The parts of a conjunction, each as the first node equal to it, sorted.
  std::vector<std::uint32_t> conjuncts(std::uint32_t n) const {
    std::vector<std::uint32_t> parts;
    flatten(n, parts);
    for (std::uint32_t& p : parts) p = first_[p];
    std::sort(parts.begin(), parts.end());
    parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
    return parts;
  }

  std::string text(std::uint32_t n) const { return std::string(rs_.text_of(rs_.nodes[n])); }
  void warn(source_location at, std::string message) {
    out_.push_back({diagnostic_level::warning, at, std::move(message)});
  }

  const ruleset& rs_;
  std::vector<std::uint32_t> first_;
  std::vector<bool> never_;
  std::vector<std::optional<std::optional<std::string>>> memo_;
  std::vector<diagnostic> out_;
};

}  // namespace

std::vector<diagnostic> lint(const ruleset& rules) { return linter(rules).run(); }

}  // namespace earlywarn::rules_front

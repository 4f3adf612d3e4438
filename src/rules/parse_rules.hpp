#pragma once
// Parses a whole rules file into syntax items, recovering after each syntax
// error at the next top-level declaration so one run reports them all.

#include <string>
#include <string_view>
#include <vector>

#include "earlywarn/loading/diagnostic.hpp"
#include "earlywarn/loading/load_rules.hpp"
#include "grammar.hpp"

namespace earlywarn::rules_front {

/// How many diagnostics one load reports; beyond it, the file is too broken
/// for more to help, and finding them (with suggestions) would take long.
inline constexpr std::size_t max_diagnostics = max_rules_diagnostics;

struct parsed_rules {
  explicit parsed_rules(std::string_view source)
      : tagger(source.data(), source.data() + source.size()) {}

  std::vector<syntax::item> items;
  std::vector<diagnostic> diagnostics;
  /// Names of rules whose declaration broke off: they exist, so referring to
  /// them is no second error.
  std::vector<std::string> broken_rules;
  /// Byte offsets of decision openings that broke off: the `}` ending such a
  /// decision closes nothing, and is no second error.
  std::vector<std::size_t> broken_decisions;
  /// Set when parsing stopped at max_diagnostics syntax errors.
  bool stopped = false;
  grammar::position_tagger tagger;
};

/// Parses `source`; syntax errors go to `diagnostics`.
void parse_rules(std::string_view source, parsed_rules& out);

}  // namespace earlywarn::rules_front

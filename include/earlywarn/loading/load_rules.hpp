#pragma once
/// \file load_rules.hpp
/// Loading a rules file: parse → check → compile (implemented in earlywarn_rules).

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "earlywarn/loading/diagnostic.hpp"
#include "earlywarn/model/error.hpp"
#include "earlywarn/model/ruleset.hpp"

namespace earlywarn {

/// The largest rules text loaded, in bytes (16 MiB, some 100,000 rules).
inline constexpr std::size_t max_rules_bytes = std::size_t{16} << 20;
/// How deeply parentheses, function calls, `-` and `not` may nest in an expression.
inline constexpr unsigned max_expression_nesting = 100;
/// How many operations a compiled expression may hold inside one another
/// (a chain of `+` nests one per operator); evaluation recurses this deep.
inline constexpr unsigned max_expression_depth = 256;
/// How many errors and warnings one load reports before it stops.
inline constexpr std::size_t max_rules_diagnostics = 100;

/// Param values set from outside the file, as `name` and text (`20`, `90d`).
using param_overrides = std::vector<std::pair<std::string, std::string>>;

/// The outcome of loading rules: the ruleset, or the errors; warnings either way.
struct [[nodiscard]] rules_load {
  std::optional<ruleset> rules;
  std::vector<diagnostic> diagnostics;  ///< in source order, errors and warnings
  std::string file_name;
  std::string source;
  /// The path could not be read as a file (missing, a directory, unreadable):
  /// error() is then of kind io.
  bool unreadable = false;

  bool ok() const noexcept { return rules.has_value(); }
  /// The first error, of kind rules (io for a file that cannot be read),
  /// naming the file, line and column, the source line as its text; nothing
  /// when the rules compiled. report() renders every diagnostic.
  std::optional<earlywarn::error> error() const {
    for (const diagnostic& d : diagnostics) {
      if (d.level != diagnostic_level::error) continue;
      earlywarn::error e;
      e.kind = unreadable ? error_kind::io : error_kind::rules;
      e.message = d.message;
      e.file = file_name;
      e.line = d.where.line;
      e.column = d.where.column;
      if (d.where.line > 0) e.text = std::string(source_line(source, d.where.line));
      return e;
    }
    return std::nullopt;
  }
  /// Every diagnostic rendered as `FILE:LINE:COL: …` with line and caret.
  std::string report() const {
    std::string out;
    for (const diagnostic& d : diagnostics) out += render(d, file_name, source);
    return out;
  }
};

/// Compiles rules text; `file_name` is used in diagnostics.
rules_load compile_rules(std::string source, std::string file_name = "<rules>",
                         const param_overrides& overrides = {});

/// Reads and compiles a rules file.
rules_load load_rules(const std::string& path, const param_overrides& overrides = {});

/// The params of `rules` set from outside its file, as name and value text:
/// compiled with its source, they give its fingerprint again.
inline param_overrides outside_params(const ruleset& rules) {
  param_overrides out;
  for (const param& p : rules.params())
    if (p.overridden) out.emplace_back(p.name, p.span ? to_string(*p.span) : p.number.to_string());
  return out;
}

/// `rules` compiled again from its source with `overrides` over the params
/// it was given (outside_params()): the way to other param values, with the
/// fingerprint they give. Diagnostics as compile_rules(); a param the rules
/// do not declare is an error.
rules_load with_params(const ruleset& rules, const param_overrides& overrides);

}  // namespace earlywarn

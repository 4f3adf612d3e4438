#pragma once
// The diagnostics the compile stages find, in the order they find them.

#include <string>
#include <utility>
#include <vector>

#include "earlywarn/loading/diagnostic.hpp"
#include "earlywarn/loading/load_rules.hpp"

namespace earlywarn::rules_front {

/// Errors and warnings of one compile; the loader sorts them by place.
class diagnostic_log {
 public:
  /// Records an error at `at`: the rules will not load.
  void error(source_location at, std::string message) {
    diagnostics_.push_back({diagnostic_level::error, at, std::move(message)});
  }
  /// Records a warning at `at`.
  void warn(source_location at, std::string message) {
    diagnostics_.push_back({diagnostic_level::warning, at, std::move(message)});
  }
  /// Records a diagnostic found by another pass (the lints).
  void add(diagnostic d) { diagnostics_.push_back(std::move(d)); }

  /// Whether any error is recorded.
  bool has_errors() const {
    for (const diagnostic& d : diagnostics_)
      if (d.level == diagnostic_level::error) return true;
    return false;
  }
  /// Whether max_rules_diagnostics are recorded, enough to stop: more would
  /// not help, and suggestions for thousands of unknown names would take long.
  bool full() const { return diagnostics_.size() >= max_rules_diagnostics; }

  /// Everything recorded, in the order found.
  const std::vector<diagnostic>& all() const { return diagnostics_; }

 private:
  std::vector<diagnostic> diagnostics_;
};

}  // namespace earlywarn::rules_front

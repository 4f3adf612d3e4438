#pragma once
// Command-line arguments: `--name value`, `--name=value`, repeatable options
// and flags, with errors a person can act on.

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace earlywarn::cli {

/// A mistake in how the command was called (exit code 2).
struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class arguments {
 public:
  /// Parses `args`; `with_value` and `flags` name the accepted options, of
  /// which only those in `repeatable` may be given more than once (a second
  /// `--as-of` would silently win over the first).
  arguments(const std::vector<std::string>& args, const std::set<std::string>& with_value,
            const std::set<std::string>& flags,
            const std::set<std::string>& repeatable = {"param"});

  std::optional<std::string> get(const std::string& name) const;
  std::string require(const std::string& name) const;
  std::vector<std::string> all(const std::string& name) const;
  bool flag(const std::string& name) const { return flags_.count(name) > 0; }
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::multimap<std::string, std::string> values_;
  std::set<std::string> flags_;
  std::vector<std::string> positional_;
};

}  // namespace earlywarn::cli

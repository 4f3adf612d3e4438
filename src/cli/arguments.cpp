#include "arguments.hpp"

#include "earlywarn/diagnostic.hpp"

namespace earlywarn::cli {

arguments::arguments(const std::vector<std::string>& args, const std::set<std::string>& with_value,
                     const std::set<std::string>& flags) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() < 3 || a.compare(0, 2, "--") != 0) {
      positional_.push_back(a);
      continue;
    }
    std::string name = a.substr(2);
    std::optional<std::string> inline_value;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (flags.count(name) && !inline_value) {
      flags_.insert(name);
    } else if (with_value.count(name)) {
      if (inline_value) {
        values_.emplace(name, *inline_value);
      } else if (i + 1 < args.size()) {
        values_.emplace(name, args[++i]);
      } else {
        throw usage_error("--" + name + " needs a value");
      }
    } else {
      std::vector<std::string> known(with_value.begin(), with_value.end());
      known.insert(known.end(), flags.begin(), flags.end());
      const std::string near = nearest_name(name, known);
      throw usage_error("unknown option --" + name +
                        (near.empty() ? std::string() : "; did you mean --" + near + "?"));
    }
  }
}

std::optional<std::string> arguments::get(const std::string& name) const {
  const auto range = values_.equal_range(name);
  if (range.first == range.second) return std::nullopt;
  auto last = range.second;
  --last;
  return last->second;
}

std::string arguments::require(const std::string& name) const {
  if (auto v = get(name)) return *v;
  throw usage_error("--" + name + " is required");
}

std::vector<std::string> arguments::all(const std::string& name) const {
  std::vector<std::string> out;
  const auto range = values_.equal_range(name);
  for (auto it = range.first; it != range.second; ++it) out.push_back(it->second);
  return out;
}

}  // namespace earlywarn::cli

#include "arguments.hpp"

#include "earlywarn/loading/diagnostic.hpp"

namespace earlywarn::cli {

arguments::arguments(const std::vector<std::string>& args, const std::set<std::string>& with_value,
                     const std::set<std::string>& flags, const std::set<std::string>& repeatable) {
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
      if (!flags_.insert(name).second) throw usage_error("--" + name + " is given twice");
    } else if (with_value.count(name)) {
      if (!inline_value && i + 1 >= args.size()) throw usage_error("--" + name + " needs a value");
      std::string value = inline_value ? *std::move(inline_value) : args[++i];
      if (const auto earlier = values_.find(name);
          earlier != values_.end() && !repeatable.count(name))
        throw usage_error("--" + name + " is given twice ('" + earlier->second + "' and '" + value +
                          "'): give it once");
      values_.emplace(name, std::move(value));
    } else {
      std::vector<std::string> known(with_value.begin(), with_value.end());
      known.insert(known.end(), flags.begin(), flags.end());
      const std::string near = nearest_name(name, known);
      throw usage_error("unknown option --" + name +
                        (near.empty() ? std::string() : "; did you mean --" + near + "?"));
    }
  }
  // Standard input can be read once: refused before anything is read.
  std::vector<std::string> from_stdin;
  for (const char* input : {"rules", "ledger", "attributes", "input"})
    if (get(input) == "-") from_stdin.push_back(std::string("--") + input);
  if (from_stdin.size() > 1)
    throw usage_error(from_stdin[0] + " and " + from_stdin[1] +
                      " both read standard input ('-'): give one of them a file");
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

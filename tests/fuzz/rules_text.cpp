// The rules front end on arbitrary text: parse, check and compile must end
// in a ruleset or in diagnostics, and the diagnostics must render (with the
// source line and caret) whatever bytes the text holds.

#include <cstddef>
#include <cstdint>
#include <string>

#include "earlywarn/loading/load_rules.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const earlywarn::rules_load load = earlywarn::compile_rules(text, "fuzz.rules");
  const std::string report = load.report();
  if (!load.ok()) {
    bool any_error = false;
    for (const earlywarn::diagnostic& d : load.diagnostics)
      any_error = any_error || d.level == earlywarn::diagnostic_level::error;
    if (!any_error) earlywarn::fuzz::finding("rules refused without an error diagnostic");
  }
  return 0;
}

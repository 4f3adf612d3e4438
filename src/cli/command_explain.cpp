#include "commands.hpp"
#include "inputs.hpp"

namespace earlywarn::cli {
namespace {

std::string explanation_json(const household_explanation& x) {
  std::string out = "{\"household\":";
  append_json_string(out, x.household_id);
  out += ",\"as_of\":\"" + format_date(x.as_of) + "\",\"exists\":" + (x.exists ? "true" : "false");
  out += ",\"ruleset\":";
  append_json_string(out, x.ruleset_name);
  out += ",\"version\":" + std::to_string(x.ruleset_version) + ",\"fingerprint\":\"" +
         x.fingerprint + "\",\"signals\":{";
  for (std::size_t i = 0; i < x.signals.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, x.signals[i].expression);
    out += ':';
    append_json_string(out, x.signals[i].value);
  }
  // Attribute values as text, as the rules see them ("n/a": none).
  out += "},\"attributes\":{";
  for (std::size_t i = 0; i < x.attributes.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, x.attributes[i].expression);
    out += ':';
    append_json_string(out, x.attributes[i].value);
  }
  out += "},\"rules\":[";
  for (std::size_t i = 0; i < x.rules.size(); ++i) {
    const rule_explanation& r = x.rules[i];
    out += i ? ",\n" : "\n";
    out += "{\"rule\":";
    append_json_string(out, r.rule);
    out += ",\"fired\":" + std::string(r.fired ? "true" : "false") + ",\"severity\":\"" +
           std::string(to_string(r.level)) + "\",\"score\":" + json_number(r.score) +
           ",\"message\":";
    append_json_string(out, r.message);
    out += ",\"when\":";
    append_json_string(out, r.when);
    out += ",\"holds\":" + std::string(r.holds ? "true" : "false") + ",\"decision\":";
    if (r.decision.empty())
      out += "null";
    else
      append_json_string(out, r.decision);
    out += ",\"outranked_by\":";
    if (r.outranked_by.empty())
      out += "null";
    else
      append_json_string(out, r.outranked_by);
    out += ",\"readings\":[";
    for (std::size_t k = 0; k < r.readings.size(); ++k) {
      if (k) out += ',';
      out += "{\"expression\":";
      append_json_string(out, r.readings[k].expression);
      out += ",\"value\":";
      append_json_string(out, r.readings[k].value);
      out += '}';
    }
    out += "]}";
  }
  out += "\n]}\n";
  return out;
}

}  // namespace

int command_explain(const std::vector<std::string>& args) {
  const arguments a(args, with_ledger_options({"rules", "household", "as-of", "param", "format"}),
                    {});
  if (!a.positional().empty()) throw usage_error("unexpected argument '" + a.positional()[0] + "'");
  const std::string format = a.get("format").value_or("text");
  if (format != "text" && format != "json") throw usage_error("--format is text or json");
  const std::string id = a.require("household");
  const ruleset rules = load_rules_or_report(a.require("rules"), a.all("param"));
  const ledger events = load_ledger_or_report(a, &rules);
  const auto household = events.find_household(id);
  if (!household) {
    std::fprintf(stderr, "earlywarn: no household '%s' in the ledger\n", id.c_str());
    return 1;
  }
  const day as_of = as_of_or_latest(a, events, &rules);
  const household_explanation x = explain(rules, events, *household, as_of);
  write_stdout(format == "text" ? explanation_text(x) : explanation_json(x));
  return 0;
}

}  // namespace earlywarn::cli

// Rulesets for Python: loading with diagnostics as values (the package turns
// errors into RulesError), and read-only descriptions of rules and params.

#include "bindings.hpp"

namespace earlywarn::python {
namespace {

// A number for Python: an int when whole, else the nearest float.
py::object number_object(const value& v) {
  if (!v) return py::none();
  if (v.denominator() == 1) return py::int_(v.numerator());
  return py::float_(v.to_double());
}

// (ruleset or None, [(level, line, column, message, rendered)], report)
py::tuple load_result(rules_load&& load) {
  py::list diagnostics;
  for (const diagnostic& d : load.diagnostics) {
    diagnostics.append(py::make_tuple(d.level == diagnostic_level::error ? "error" : "warning",
                                      d.where.line, d.where.column, d.message,
                                      render(d, load.file_name, load.source)));
  }
  py::object rules = py::none();
  if (load.rules) rules = py::cast(std::make_shared<ruleset>(std::move(*load.rules)));
  return py::make_tuple(rules, diagnostics, load.report());
}

// A rule's message as written: literal text with `{expression}` parts.
std::string message_template(const ruleset& rs, const rule& r) {
  std::string out;
  for (const message_part& part : r.message) {
    if (part.expression)
      out += "{" + std::string(rs.text_of(rs.nodes[*part.expression])) + "}";
    else
      out += part.text;
  }
  return out;
}

py::list describe_rules(const ruleset& rs) {
  py::list out;
  for (const rule& r : rs.rules) {
    py::dict d;
    d["name"] = r.name;
    d["severity"] = std::string(to_string(r.level));
    d["when"] = std::string(rs.text_of(rs.nodes[r.condition]));
    d["decision"] = r.in_decision ? py::object(py::str(rs.decisions[*r.in_decision].name))
                                  : py::object(py::none());
    d["score"] = r.score ? py::object(py::str(std::string(rs.text_of(rs.nodes[*r.score]))))
                         : py::object(py::none());
    d["message"] = message_template(rs, r);
    const auto span = [](const std::optional<duration>& s) {
      return s ? py::object(py::str(to_string(*s))) : py::object(py::none());
    };
    d["cooldown"] = span(r.cooldown);
    d["raise_after"] = span(r.raise_after);
    d["clear_after"] = span(r.clear_after);
    d["tags"] = r.tags;
    d["line"] = r.where.line;
    out.append(std::move(d));
  }
  return out;
}

py::list describe_params(const ruleset& rs) {
  py::list out;
  for (const param& p : rs.params()) {
    py::dict d;
    d["name"] = p.name;
    d["value"] = p.span ? py::object(py::str(to_string(*p.span))) : number_object(p.number);
    d["overridden"] = p.overridden;
    out.append(std::move(d));
  }
  return out;
}

}  // namespace

void register_rules(py::module_& m) {
  py::class_<ruleset, std::shared_ptr<ruleset>>(m, "Ruleset", "A compiled ruleset (immutable).")
      .def_property_readonly("name", [](const ruleset& r) { return r.name; })
      .def_property_readonly("version", [](const ruleset& r) { return r.version; })
      .def_property_readonly("fingerprint", [](const ruleset& r) { return r.fingerprint; })
      .def_property_readonly("file_name", [](const ruleset& r) { return r.file_name; })
      .def_property_readonly("source", [](const ruleset& r) { return r.source; })
      .def_property_readonly("rules", &describe_rules)
      .def_property_readonly("params", &describe_params)
      .def_property_readonly("definitions",
                             [](const ruleset& r) {
                               py::dict out;  // in file order, as dicts keep it
                               for (const definition& d : r.definitions)
                                 out[py::str(d.name)] = std::string(r.text_of(r.nodes[d.node]));
                               return out;
                             })
      .def_property_readonly("decisions",
                             [](const ruleset& r) {
                               py::dict out;  // in file order: name -> (policy, rules)
                               for (const decision& d : r.decisions) {
                                 py::list members;
                                 for (const std::uint32_t i : d.rules)
                                   members.append(r.rules[i].name);
                                 out[py::str(d.name)] =
                                     py::make_tuple(std::string(to_string(d.policy)), members);
                               }
                               return out;
                             })
      .def_property_readonly("events",
                             [](const ruleset& r) {
                               py::dict out;
                               for (const event_declaration& e : r.events)
                                 out[py::str(e.name)] = static_cast<int>(e.effect);
                               return out;
                             })
      .def_property_readonly("attributes",
                             [](const ruleset& r) {
                               py::dict out;  // in declaration order: name -> kind
                               for (const attribute_declaration& a : r.attributes)
                                 out[py::str(a.name)] = std::string(to_string(a.kind));
                               return out;
                             })
      .def_property_readonly("scheduled_types",
                             [](const ruleset& r) {
                               py::list out;
                               for (const event_declaration& e : r.events)
                                 if (e.scheduled) out.append(e.name);
                               return out;
                             })
      .def(
          "effect_of",
          [](const ruleset& r, std::string_view type) {
            return static_cast<int>(r.effect_of(type));
          },
          "+1, -1 or 0: how an event of this type moves the balance under these rules.");

  m.def(
      "compile_rules",
      [](std::string text, std::string file_name, const param_overrides& overrides) {
        return load_result(compile_rules(std::move(text), std::move(file_name), overrides));
      },
      py::arg("text"), py::arg("file_name"), py::arg("overrides"),
      "Compiles rules text: (ruleset or None, diagnostics, rendered report).");
  m.def(
      "load_rules",
      [](const std::string& path, const param_overrides& overrides) {
        return load_result(load_rules(path, overrides));
      },
      py::arg("path"), py::arg("overrides"),
      "Reads and compiles a rules file: (ruleset or None, diagnostics, rendered report).");
}

}  // namespace earlywarn::python

// The extension module earlywarn._core: one module, registered by topic. The
// Python package `earlywarn` wraps it; nothing here is meant to be imported
// directly.

#include "bindings.hpp"

namespace {

namespace py = pybind11;

// An attribute value the rules cannot read raises
// earlywarn.errors.AttributeValueError with its household, attribute and
// text, wherever the C++ threw it (binding a ruleset to a ledger, setting a
// stream's attribute).
void raise_attribute_error(const earlywarn::attribute_error& e) {
  // Texts as str whatever their bytes (U+FFFD for a byte that is not UTF-8).
  const auto text = [](std::string_view s) {
    return py::reinterpret_steal<py::object>(
        PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace"));
  };
  try {
    const py::object type = py::module_::import("earlywarn.errors").attr("AttributeValueError");
    const py::object error =
        type(text(e.what()), text(e.household), text(e.attribute), text(e.text));
    PyErr_SetObject(type.ptr(), error.ptr());
  } catch (py::error_already_set& failure) {
    failure.restore();  // the package could not be imported
  }
}

// Any other error the library throws raises the earlywarn.errors class of its
// kind (errors._from_core; docs/errors.md).
void raise_invalid_input(const earlywarn::invalid_input& e) {
  const auto text = [](std::string_view s) {
    return py::reinterpret_steal<py::object>(
        PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace"));
  };
  try {
    const earlywarn::error& d = e.details();
    const py::object error =
        py::module_::import("earlywarn.errors")
            .attr("_from_core")(std::string(to_string(d.kind)), text(d.message), text(d.file),
                                d.line, d.column, text(d.text), text(e.what()));
    PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(error.ptr())), error.ptr());
  } catch (py::error_already_set& failure) {
    failure.restore();  // the package could not be imported
  }
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "earlywarn's C++ engine; use the earlywarn package, which wraps this module.";
  py::register_local_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const earlywarn::attribute_error& e) {
      raise_attribute_error(e);
    } catch (const earlywarn::invalid_input& e) {
      raise_invalid_input(e);
    }
  });
  // Throws the error of `kind` as the library does: tests check each kind
  // reaches Python as its class.
  m.def(
      "_throw",
      [](const std::string& kind, const std::string& message, const std::string& file,
         std::uint64_t line, std::uint32_t column, const std::string& text) {
        using earlywarn::error_kind;
        for (const error_kind k :
             {error_kind::rules, error_kind::ledger, error_kind::attributes, error_kind::checkpoint,
              error_kind::stream_event, error_kind::io, error_kind::misuse})
          if (to_string(k) == kind)
            throw earlywarn::invalid_input(earlywarn::error{k, message, file, line, column, text});
        throw std::out_of_range("no error kind '" + kind + "'");
      },
      py::arg("kind"), py::arg("message"), py::arg("file") = "", py::arg("line") = 0,
      py::arg("column") = 0, py::arg("text") = "");
  earlywarn::python::register_rules(m);
  earlywarn::python::register_ledger(m);
  earlywarn::python::register_evaluation(m);
  earlywarn::python::register_stream(m);
  earlywarn::python::register_scenarios(m);
}

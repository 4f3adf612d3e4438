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

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "earlywarn's C++ engine; use the earlywarn package, which wraps this module.";
  py::register_local_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const earlywarn::attribute_error& e) {
      raise_attribute_error(e);
    }
  });
  earlywarn::python::register_rules(m);
  earlywarn::python::register_ledger(m);
  earlywarn::python::register_evaluation(m);
  earlywarn::python::register_stream(m);
  earlywarn::python::register_scenarios(m);
}

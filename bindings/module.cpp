// The extension module earlywarn._core: one module, registered by topic. The
// Python package `earlywarn` wraps it; nothing here is meant to be imported
// directly.

#include "bindings.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "earlywarn's C++ engine; use the earlywarn package, which wraps this module.";
  earlywarn::python::register_rules(m);
  earlywarn::python::register_ledger(m);
  earlywarn::python::register_evaluation(m);
  earlywarn::python::register_stream(m);
}

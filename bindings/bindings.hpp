#pragma once
// What the binding files share: the registration entry points, the bridge
// that lets C++ report progress to Python, and numpy conversions.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "earlywarn.hpp"

namespace earlywarn::python {

namespace py = pybind11;

/// Rulesets: loading, compiling, diagnostics, rule and param descriptions.
void register_rules(py::module_& m);
/// Ledgers: CSV loading, columns in and out, per-household views.
void register_ledger(py::module_& m);
/// Worklists, explanations, signals and back-tests.
void register_evaluation(py::module_& m);
/// The streaming engine and its checkpoints.
void register_stream(py::module_& m);
/// Scenario files: the rules author's tests.
void register_scenarios(py::module_& m);

/// Lets C++ code that runs without the GIL report progress to a Python
/// callable `callback(done, total)`. The GIL is taken only for the call. An
/// exception the callback raises (KeyboardInterrupt too) is kept, further
/// reports are dropped, and `rethrow()` raises it once the C++ call is over:
/// an exception must not unwind through C++ code that has worker threads.
class progress_bridge {
 public:
  explicit progress_bridge(py::object callback) : callback_(std::move(callback)) {}
  progress_bridge(const progress_bridge&) = delete;
  progress_bridge& operator=(const progress_bridge&) = delete;

  /// A function for the C++ options; empty when no callback was given.
  template <class Count>
  std::function<void(Count, Count)> function() {
    if (callback_.is_none()) return {};
    return [this](Count done, Count total) {
      report(static_cast<std::uint64_t>(done), static_cast<std::uint64_t>(total));
    };
  }

  /// Raises the callback's exception, if it raised one. Call with the GIL held.
  void rethrow() {
    if (failure_) {
      py::error_already_set failure = std::move(*failure_);
      failure_.reset();
      throw failure;
    }
  }

 private:
  void report(std::uint64_t done, std::uint64_t total) {
    if (failed_.load(std::memory_order_relaxed)) return;
    py::gil_scoped_acquire gil;
    try {
      callback_(done, total);
    } catch (py::error_already_set& e) {
      failure_.emplace(std::move(e));
      failed_.store(true, std::memory_order_relaxed);
    }
  }

  py::object callback_;
  std::optional<py::error_already_set> failure_;
  std::atomic<bool> failed_{false};
};

/// A numpy array that owns `values` (moved, not copied).
template <class T>
py::array_t<T> to_numpy(std::vector<T>&& values) {
  auto* owned = new std::vector<T>(std::move(values));
  py::capsule free_when_done(owned, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>(static_cast<py::ssize_t>(owned->size()), owned->data(), free_when_done);
}

/// Strings as a Python list of str.
/// Throws ValueError unless `columns` holds one column per name, each with
/// one text per household: attributes as Python hands them over.
inline void check_attribute_columns(const std::vector<std::string>& households,
                                    const std::vector<std::string>& names,
                                    const std::vector<std::vector<std::string>>& columns) {
  if (columns.size() != names.size())
    throw py::value_error("set_attributes: one column per attribute name");
  for (const std::vector<std::string>& column : columns)
    if (column.size() != households.size())
      throw py::value_error("set_attributes: every column has one text per household");
}

inline py::list to_list(const std::vector<std::string>& values) {
  py::list out(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) out[i] = py::str(values[i]);
  return out;
}

/// A value as a float: the nearest double, NaN for no value.
inline double to_float(const value& v) {
  return v ? v.to_double() : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace earlywarn::python

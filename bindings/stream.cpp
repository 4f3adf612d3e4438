// The streaming engine for Python, through its public methods only: events
// pushed one by one or from DataFrame columns, the clock, checkpoints.

#include "bindings.hpp"
#include "frame_columns.hpp"

namespace earlywarn::python {
namespace {

// The engine with the ruleset it reads, kept alive together.
struct python_stream {
  python_stream(std::shared_ptr<ruleset> r, std::int32_t lateness_days)
      : rules(std::move(r)),
        engine(*rules, stream_options{lateness_days}),
        lateness(lateness_days) {}
  std::shared_ptr<ruleset> rules;
  stream_engine engine;
  std::int32_t lateness;
};

// Alerts as (day, household, rule index, raised, message) tuples.
py::list alert_list(std::vector<alert>& alerts) {
  py::list out(alerts.size());
  for (std::size_t i = 0; i < alerts.size(); ++i) {
    alert& a = alerts[i];
    out[i] = py::make_tuple(a.date, std::move(a.household_id), a.rule,
                            a.state == alert_state::raised, std::move(a.message));
  }
  return out;
}

// (alerts, (row, field, message) or None, row refused as too old or None).
// Every row is checked before any is pushed, so a bad row pushes nothing; a
// row older than the kept history stops the push after the rows before it.
py::tuple push_columns(python_stream& s, const py::tuple& household, const py::tuple& date,
                       const py::tuple& type, const py::tuple& amount, py::object progress) {
  frame_reader reader(column_from(household), column_from(date), column_from(type),
                      column_from(amount));
  progress_bridge bridge(std::move(progress));
  const auto report = bridge.function<std::size_t>();
  std::optional<frame_error> error;
  std::optional<std::size_t> too_old;
  std::vector<alert> alerts;
  {
    py::gil_scoped_release release;
    frame_row row;
    for (std::size_t i = 0; i < reader.size() && !error; ++i) error = reader.read(i, row);
    for (std::size_t i = 0; i < reader.size() && !error; ++i) {
      if (report && i % (1u << 16) == 0) report(i, reader.size());
      reader.read(i, row);
      const push_result r = s.engine.push(reader.household_name(row.household), row.date,
                                          reader.type_name(row.type), row.amount, alerts);
      if (r == push_result::too_old) {
        too_old = i;
        break;
      }
    }
    if (report && !error && !too_old) report(reader.size(), reader.size());
  }
  bridge.rethrow();
  py::object problem = py::none();
  if (error) problem = py::make_tuple(error->row, error->field, error->message);
  return py::make_tuple(alert_list(alerts), problem,
                        too_old ? py::object(py::int_(*too_old)) : py::object(py::none()));
}

}  // namespace

void register_stream(py::module_& m) {
  py::class_<python_stream>(m, "Stream", "The streaming engine with its ruleset.")
      .def(py::init<std::shared_ptr<ruleset>, std::int32_t>(), py::arg("rules"),
           py::arg("lateness_days"))
      .def("push_columns", &push_columns, py::arg("household"), py::arg("date"), py::arg("type"),
           py::arg("amount"), py::arg("progress"))
      .def(
          "advance",
          [](python_stream& s, day date) {
            std::vector<alert> alerts;
            {
              py::gil_scoped_release release;
              s.engine.advance(date, alerts);
            }
            return alert_list(alerts);
          },
          py::arg("date"))
      .def("finish",
           [](python_stream& s) {
             std::vector<alert> alerts;
             {
               py::gil_scoped_release release;
               s.engine.finish(alerts);
             }
             return alert_list(alerts);
           })
      .def_property_readonly("rules", [](const python_stream& s) { return s.rules; })
      .def_property_readonly("lateness_days", [](const python_stream& s) { return s.lateness; })
      .def_property_readonly("clock",
                             [](const python_stream& s) {
                               return s.engine.started() ? std::optional<day>(s.engine.clock())
                                                         : std::nullopt;
                             })
      .def_property_readonly("household_count",
                             [](const python_stream& s) { return s.engine.household_count(); })
      .def_property_readonly("event_count",
                             [](const python_stream& s) { return s.engine.event_count(); })
      .def_property_readonly("memory_bytes",
                             [](const python_stream& s) { return s.engine.memory_bytes(); })
      .def(
          "save",
          [](const python_stream& s, const std::string& path) {
            std::optional<std::string> error;
            {
              py::gil_scoped_release release;
              error = stream_checkpoint::save(s.engine, path, {s.engine.event_count(), 0});
            }
            return error;
          },
          py::arg("path"), "Saves a checkpoint; returns an error message or None.")
      .def_static(
          "load",
          [](const std::string& path, std::shared_ptr<ruleset> rules, std::int32_t lateness_days) {
            auto s = std::make_unique<python_stream>(std::move(rules), lateness_days);
            checkpoint_position position;
            std::optional<std::string> error;
            {
              py::gil_scoped_release release;
              error = stream_checkpoint::load(s->engine, path, position);
            }
            if (error) return py::make_tuple(py::none(), *error);
            return py::make_tuple(py::cast(std::move(s)), py::none());
          },
          py::arg("path"), py::arg("rules"), py::arg("lateness_days"),
          "(stream, None) restored from a checkpoint, or (None, error message).");
}

}  // namespace earlywarn::python

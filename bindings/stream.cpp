// The streaming engine for Python, through its public methods only: events
// pushed one by one or from DataFrame columns, the clock, checkpoints.

#include <mutex>

#include "bindings.hpp"
#include "earlywarn/detail/file_bytes.hpp"
#include "frame_columns.hpp"

namespace earlywarn::python {
namespace {

// The engine with the ruleset it reads, kept alive together. The engine is
// replaced by a reload, always before the rules it read.
struct python_stream {
  python_stream(std::shared_ptr<ruleset> r, std::int32_t lateness_days)
      : rules(std::move(r)),
        engine(std::make_unique<stream_engine>(*rules, stream_options{lateness_days})),
        lateness(lateness_days) {}
  std::shared_ptr<ruleset> rules;
  std::unique_ptr<stream_engine> engine;
  std::int32_t lateness;
  std::mutex mutex;  // Python threads may share a stream; the engine is not thread-safe
};

// Runs `f(engine)` without the GIL and under the stream's lock. The GIL goes
// first, so the thread holding the lock can still take it to report progress.
template <class F>
auto with_engine(python_stream& s, F&& f) {
  py::gil_scoped_release release;
  std::lock_guard lock(s.mutex);
  return f(*s.engine);
}

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

// (alerts, (row, field, message) or None, the row the engine refused or None,
// why it refused that row (None: too old)).
// Every row is checked before any is pushed, so a bad row pushes nothing; a
// row older than the kept history stops the push after the rows before it.
py::tuple push_columns(python_stream& s, const py::tuple& household, const py::tuple& date,
                       const py::tuple& type, const py::tuple& amount, const py::object& code,
                       py::object progress) {
  frame_reader reader(
      column_from(household), column_from(date), column_from(type), column_from(amount),
      code.is_none() ? std::nullopt
                     : std::optional<column_input>(column_from(code.cast<py::tuple>())));
  progress_bridge bridge(std::move(progress));
  const auto report = bridge.function<std::size_t>();
  std::optional<frame_error> error;
  std::optional<std::size_t> refused;  // the row the engine refused
  std::optional<std::string> refusal;  // why, unless it was too old
  std::vector<alert> alerts;
  with_engine(s, [&](stream_engine& engine) {
    frame_row row;
    for (std::size_t i = 0; i < reader.size() && !error; ++i) error = reader.read(i, row);
    for (std::size_t i = 0; i < reader.size() && !error; ++i) {
      if (report && i % (1u << 16) == 0) report(i, reader.size());
      reader.read(i, row);
      // Rows were checked one by one above; what only the engine knows (a
      // household's history and total) refuses a row after those before it
      // were applied, so their alerts go back with the refusal.
      try {
        const std::string_view event_code =
            row.code == frame_row::no_code ? std::string_view() : reader.code_name(row.code);
        const push_result r =
            engine.push(reader.household_name(row.household), row.date, reader.type_name(row.type),
                        row.amount, event_code, alerts);
        if (r == push_result::too_old) {
          refused = i;
          break;
        }
      } catch (const std::invalid_argument& e) {
        refused = i;
        refusal = e.what();
        break;
      }
    }
    if (report && !error && !refused) report(reader.size(), reader.size());
  });
  bridge.rethrow();
  py::object problem = py::none();
  if (error) problem = py::make_tuple(error->row, error->field, error->message);
  return py::make_tuple(alert_list(alerts), problem,
                        refused ? py::object(py::int_(*refused)) : py::object(py::none()),
                        refusal ? py::object(py::str(*refusal)) : py::object(py::none()));
}

// Sets the attributes the rules declare from lists (households, names, per
// name a column of texts, "" for no value), as `stream --attributes` sets a
// file's. Every value is checked first: a bad one raises and sets nothing.
void set_attributes(python_stream& s, const std::vector<std::string>& households,
                    const std::vector<std::string>& names,
                    const std::vector<std::vector<std::string>>& columns) {
  check_attribute_columns(households, names, columns);
  with_engine(s, [&](stream_engine& engine) {
    const ruleset& rules = engine.rules();
    std::vector<std::pair<std::uint32_t, std::size_t>> declared;  // (declaration, column)
    for (std::uint32_t a = 0; a < rules.attributes.size(); ++a)
      for (std::size_t c = 0; c < names.size(); ++c)
        if (names[c] == rules.attributes[a].name) declared.emplace_back(a, c);
    for (const auto& [a, c] : declared)
      for (std::size_t row = 0; row < households.size(); ++row) {
        const std::string& id = households[row];
        detail::check_household_id(id);
        if (const auto problem = attribute_problem(rules.attributes[a].kind, columns[c][row]))
          throw attribute_error(id, rules.attributes[a].name, columns[c][row], *problem);
      }
    for (const auto& [a, c] : declared)
      for (std::size_t row = 0; row < households.size(); ++row)
        engine.set_attribute(households[row], names[c], columns[c][row]);
  });
}

// Moves the stream to `next` (docs/streams.md, Reloading rules):
// ((closing, removed, opening) alerts, None) when it reloaded, (None, the
// reasons) when the state cannot serve the new rules and nothing changed.
py::tuple reload_rules(python_stream& s, std::shared_ptr<ruleset> next) {
  if (!next) throw py::type_error("reload takes a ruleset");
  stream_reload_alerts said;
  stream_reload_report report;
  {
    py::gil_scoped_release release;
    std::lock_guard lock(s.mutex);
    auto fresh = std::make_unique<stream_engine>(*next, stream_options{s.lateness});
    report = stream_reload::reload(*s.engine, *fresh, said);
    if (report.reloaded()) {
      s.engine = std::move(fresh);  // the old engine goes before the rules it reads
      s.rules = std::move(next);
    }
  }
  if (!report.reloaded()) {
    py::list refused;
    for (const std::string& why : report.refused) refused.append(why);
    return py::make_tuple(py::none(), refused);
  }
  return py::make_tuple(
      py::make_tuple(alert_list(said.closing), alert_list(said.removed), alert_list(said.opening)),
      py::none());
}

// The rules a state file was saved under, as (fingerprint, name, version,
// source, file name, params), or (None, why it cannot be read).
py::tuple saved_rules_of(const std::string& path) {
  detail::file_bytes bytes;
  std::string reason;
  if (!bytes.open(path, reason))
    return py::make_tuple(py::none(), "cannot read the state file: " + reason);
  rules_source saved;
  // The message alone: Python names the file (earlywarn.Stream.saved_rules).
  if (const auto problem = stream_checkpoint::saved_rules(bytes.view(), saved))
    return py::make_tuple(py::none(), problem->message);
  return py::make_tuple(py::make_tuple(saved.fingerprint, saved.name, saved.version, saved.source,
                                       saved.file_name, saved.params),
                        py::none());
}

}  // namespace

void register_stream(py::module_& m) {
  py::class_<python_stream>(m, "Stream", "The streaming engine with its ruleset.")
      .def(py::init<std::shared_ptr<ruleset>, std::int32_t>(), py::arg("rules"),
           py::arg("lateness_days"))
      .def("push_columns", &push_columns, py::arg("household"), py::arg("date"), py::arg("type"),
           py::arg("amount"), py::arg("code").none(true), py::arg("progress"))
      .def(
          "advance",
          [](python_stream& s, day date) {
            std::vector<alert> alerts;
            with_engine(s, [&](stream_engine& e) { e.advance(date, alerts); });
            return alert_list(alerts);
          },
          py::arg("date"))
      .def(
          "set_attribute",
          [](python_stream& s, const std::string& household, const std::string& name,
             const std::string& text) {
            return with_engine(
                s, [&](stream_engine& e) { return e.set_attribute(household, name, text); });
          },
          py::arg("household"), py::arg("name"), py::arg("text"),
          "Sets a household attribute from the clock on (\"\": no value); False for a name the "
          "rules do not declare.")
      .def("set_attributes", &set_attributes, py::arg("households"), py::arg("names"),
           py::arg("columns"),
           "Sets the declared attributes of these columns (one text per household), all values "
           "checked first.")
      .def("finish",
           [](python_stream& s) {
             std::vector<alert> alerts;
             with_engine(s, [&](stream_engine& e) { e.finish(alerts); });
             return alert_list(alerts);
           })
      .def_property_readonly("rules", [](const python_stream& s) { return s.rules; })
      .def_property_readonly("lateness_days", [](const python_stream& s) { return s.lateness; })
      .def_property_readonly("clock",
                             [](python_stream& s) {
                               return with_engine(s, [](stream_engine& e) {
                                 return e.started() ? std::optional<day>(e.clock()) : std::nullopt;
                               });
                             })
      .def_property_readonly("household_count",
                             [](python_stream& s) {
                               return with_engine(
                                   s, [](stream_engine& e) { return e.household_count(); });
                             })
      .def_property_readonly("event_count",
                             [](python_stream& s) {
                               return with_engine(s,
                                                  [](stream_engine& e) { return e.event_count(); });
                             })
      .def_property_readonly("memory_bytes",
                             [](python_stream& s) {
                               return with_engine(
                                   s, [](stream_engine& e) { return e.memory_bytes(); });
                             })
      .def(
          "save",
          [](python_stream& s, const std::string& path) {
            const auto error = with_engine(s, [&](stream_engine& e) {
              return stream_checkpoint::save(e, path, {e.event_count(), 0});
            });
            return error ? std::optional<std::string>(error->message) : std::nullopt;
          },
          py::arg("path"), "Saves a checkpoint; returns an error message or None.")
      .def("reload", &reload_rules, py::arg("rules"),
           "Moves the state to other rules: ((closing, removed, opening), None), or (None, the "
           "reasons it cannot) with nothing changed.")
      .def_static("saved_rules", &saved_rules_of, py::arg("path"),
                  "The rules a state file was saved under: ((fingerprint, name, version, source, "
                  "file name, params), None), or (None, why it cannot be read).")
      .def_static(
          "load",
          [](const std::string& path, std::shared_ptr<ruleset> rules, std::int32_t lateness_days) {
            auto s = std::make_unique<python_stream>(std::move(rules), lateness_days);
            checkpoint_position position;
            const std::optional<error> problem = with_engine(
                *s, [&](stream_engine& e) { return stream_checkpoint::load(e, path, position); });
            // The message alone: Python names the file (earlywarn.Stream.load).
            if (problem) return py::make_tuple(py::none(), problem->message);
            return py::make_tuple(py::cast(std::move(s)), py::none());
          },
          py::arg("path"), py::arg("rules"), py::arg("lateness_days"),
          "(stream, None) restored from a checkpoint, or (None, error message).");
}

}  // namespace earlywarn::python

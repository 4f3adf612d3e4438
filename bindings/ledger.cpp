// Ledgers for Python: CSV loading with located errors as values, building
// from DataFrame columns read in place, and the columns back out.

#include <limits>

#include "bindings.hpp"
#include "frame_columns.hpp"

namespace earlywarn::python {
namespace {

py::tuple ledger_error_tuple(const error& e) {
  // The raw row may hold any bytes (a bad encoding is one reason to reject it).
  return py::make_tuple(e.line, e.column, e.message, py::bytes(e.text));
}

// (ledger or None, error or None, rejects, rows accepted, first line of each type)
// of a file's ledger, or of ledger CSV text when `text` is given.
py::tuple load_csv(const std::string& path, bool reject_bad_rows, unsigned threads,
                   py::object progress, const std::optional<py::bytes>& text = std::nullopt) {
  progress_bridge bridge(std::move(progress));
  ledger_csv_options options;
  options.reject_bad_rows = reject_bad_rows;
  options.threads = threads;
  options.progress = bridge.function<std::uint64_t>();
  // The bytes object outlives the call: its buffer is read without the GIL, not copied.
  const std::optional<std::string_view> in_memory =
      text ? std::optional<std::string_view>(
                 std::string_view(PyBytes_AS_STRING(text->ptr()),
                                  static_cast<std::size_t>(PyBytes_GET_SIZE(text->ptr()))))
           : std::nullopt;
  ledger_load load;
  {
    py::gil_scoped_release release;
    load = in_memory ? parse_ledger_csv(*in_memory, options) : load_ledger_csv(path, options);
  }
  bridge.rethrow();
  py::list rejects;
  for (const error& e : load.rejects) rejects.append(ledger_error_tuple(e));
  if (!load.ok())
    return py::make_tuple(py::none(), ledger_error_tuple(*load.error), rejects, load.rows_accepted,
                          py::list());
  return py::make_tuple(std::make_shared<ledger>(std::move(load.events)), py::none(), rejects,
                        load.rows_accepted, py::cast(load.type_first_line));
}

// (ledger or None, (row, field, message) or None, first row of each type by
// the ledger's type ids, -1 for built-in types it lacks); `code` is None
// without a column of event codes.
py::tuple from_columns(const py::tuple& household, const py::tuple& date, const py::tuple& type,
                       const py::tuple& amount, const py::object& code, py::object progress) {
  frame_reader reader(
      column_from(household), column_from(date), column_from(type), column_from(amount),
      code.is_none() ? std::nullopt
                     : std::optional<column_input>(column_from(code.cast<py::tuple>())));
  progress_bridge bridge(std::move(progress));
  const auto report = bridge.function<std::size_t>();
  std::optional<frame_error> error;
  std::shared_ptr<ledger> built;
  std::vector<std::int64_t> type_first_row(builtin_type::count, -1);
  {
    py::gil_scoped_release release;
    ledger_builder builder;
    builder.reserve(reader.size());
    constexpr std::uint32_t unset = std::numeric_limits<std::uint32_t>::max();
    // Per code, interned on first use: unused categories add no household.
    std::vector<std::uint32_t> handles(reader.household_values(), unset);
    std::vector<std::uint32_t> types(reader.type_values(), unset);
    std::vector<std::uint32_t> codes(reader.code_values(), unset);
    frame_row row;
    for (std::size_t i = 0; i < reader.size(); ++i) {
      if (report && i % (1u << 20) == 0) report(i, reader.size());
      if ((error = reader.read(i, row))) break;
      if (handles[row.household] == unset)
        handles[row.household] = builder.intern_household(reader.household_name(row.household));
      if (types[row.type] == unset) {
        types[row.type] = builder.intern_type(reader.type_name(row.type));
        if (types[row.type] >= type_first_row.size())
          type_first_row.resize(types[row.type] + 1, -1);
        if (type_first_row[types[row.type]] < 0)
          type_first_row[types[row.type]] = static_cast<std::int64_t>(i);
      }
      code_id code = 0;
      if (row.code != frame_row::no_code) {
        if (codes[row.code] == unset) {
          try {
            codes[row.code] = builder.intern_code(reader.code_name(row.code));
          } catch (const std::invalid_argument& beyond) {  // too many codes
            error = frame_error{i, "code", beyond.what()};
            break;
          }
        }
        code = static_cast<code_id>(codes[row.code]);
      }
      builder.add(handles[row.household], row.date, static_cast<type_id>(types[row.type]),
                  row.amount, code);
    }
    if (!error) {
      built = std::make_shared<ledger>(std::move(builder).build());
      if (report) report(reader.size(), reader.size());
    }
  }
  bridge.rethrow();
  if (error)
    return py::make_tuple(py::none(), py::make_tuple(error->row, error->field, error->message),
                          py::list());
  return py::make_tuple(built, py::none(), py::cast(type_first_row));
}

// [(type id, name, events, suggestion, message)] for the types nothing knows.
py::list unknown_types(const ledger& l, const std::shared_ptr<ruleset>& rules) {
  py::list out;
  for (const unknown_event_type& u : unknown_event_types(l, rules.get()))
    out.append(py::make_tuple(u.type, u.name, u.events, u.suggestion, describe(u)));
  return out;
}

// The columns grouped by household, as to_frame shows them; with "code_codes"
// (the code id less one: -1 for none) and "codes" (from id 1) only when some
// event has a code.
py::dict columns(const ledger& l) {
  const std::size_t n = l.event_count();
  std::vector<std::int32_t> household_codes(n);
  std::vector<std::int32_t> dates(n);
  std::vector<std::int32_t> type_codes(n);
  std::vector<std::int64_t> amounts(n);
  {
    py::gil_scoped_release release;
    const auto offsets = l.offsets();
    for (std::size_t h = 0; h + 1 < offsets.size(); ++h)
      for (std::uint64_t i = offsets[h]; i < offsets[h + 1]; ++i)
        household_codes[i] = static_cast<std::int32_t>(h);
    const auto days = l.dates();
    const auto types = l.type_ids();
    const auto cents_column = l.amounts();
    for (std::size_t i = 0; i < n; ++i) {
      dates[i] = days[i];
      type_codes[i] = types[i];
      amounts[i] = cents_column[i];
    }
  }
  std::vector<std::string> ids(l.household_count()), type_names(l.types().size());
  for (household_index h = 0; h < l.household_count(); ++h) ids[h] = l.household_id(h);
  for (std::size_t t = 0; t < l.types().size(); ++t)
    type_names[t] = l.types().name(static_cast<type_id>(t));
  py::dict out;
  out["household_codes"] = to_numpy(std::move(household_codes));
  out["households"] = to_list(ids);
  out["days"] = to_numpy(std::move(dates));
  out["type_codes"] = to_numpy(std::move(type_codes));
  out["types"] = to_list(type_names);
  out["cents"] = to_numpy(std::move(amounts));
  if (!l.code_ids().empty()) {
    std::vector<std::int32_t> code_codes(n);
    {
      py::gil_scoped_release release;
      const auto ids = l.code_ids();
      for (std::size_t i = 0; i < n; ++i) code_codes[i] = static_cast<std::int32_t>(ids[i]) - 1;
    }
    std::vector<std::string> code_names;
    for (std::size_t c = 1; c < l.codes().size(); ++c)
      code_names.emplace_back(l.codes().name(static_cast<code_id>(c)));
    out["code_codes"] = to_numpy(std::move(code_codes));
    out["codes"] = to_list(code_names);
  }
  return out;
}

// A ledger of some households only (ids in any order; each must exist).
std::shared_ptr<ledger> subset(const ledger& l, const std::vector<std::string>& ids) {
  ledger_builder builder;
  std::vector<type_id> type_of(l.types().size());
  for (std::size_t t = 0; t < type_of.size(); ++t)
    type_of[t] = builder.intern_type(l.types().name(static_cast<type_id>(t)));
  // Codes are interned as met: the subset's table holds only the codes it uses.
  constexpr std::uint32_t unset = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> code_of(l.codes().size(), unset);
  code_of[0] = 0;
  for (const std::string& id : ids) {
    const auto h = l.find_household(id);
    if (!h) throw py::key_error("no household '" + id + "' in the ledger");
    const std::uint32_t handle = builder.intern_household(id);
    const household_events ev = l.events(*h);
    for (std::size_t i = 0; i < ev.size(); ++i) {
      std::uint32_t& code = code_of[ev.code(i)];
      if (code == unset) code = builder.intern_code(l.codes().name(ev.code(i)));
      builder.add(handle, ev.dates[i], type_of[ev.types[i]], ev.amounts[i],
                  static_cast<code_id>(code));
    }
  }
  auto out = std::make_shared<ledger>(std::move(builder).build());
  // The households' attributes go with their events (those of the others are
  // never read by the subset).
  if (const household_attributes* table = l.attributes()) {
    household_attributes kept;
    for (const std::string& id : ids)
      if (const auto row = table->find_household(id))
        for (std::uint32_t c = 0; c < table->names().size(); ++c)
          kept.set(id, table->names()[c], table->text(*row, c));
    out->set_attributes(std::move(kept));
  }
  return out;
}

// A table of household attributes from lists: ids, names and per name a
// column of texts ("" for no value), row i of every column belonging to
// household i. As an attributes CSV gives one: each household is recorded,
// every attribute set (empty or not).
household_attributes attribute_table(const std::vector<std::string>& households,
                                     const std::vector<std::string>& names,
                                     const std::vector<std::vector<std::string>>& columns) {
  check_attribute_columns(households, names, columns);
  household_attributes table;
  py::gil_scoped_release release;
  for (const std::string& name : names) table.add_name(name);  // also without rows
  for (std::size_t row = 0; row < households.size(); ++row)
    for (std::size_t c = 0; c < names.size(); ++c)
      table.set(households[row], names[c], columns[c][row]);
  return table;
}

// (households, names, columns with None for no value), or None without attributes.
py::object attributes_of(const ledger& l) {
  const household_attributes* table = l.attributes();
  if (table == nullptr) return py::none();
  const std::uint32_t rows = static_cast<std::uint32_t>(table->household_count());
  py::list households(rows);
  for (std::uint32_t row = 0; row < rows; ++row)
    households[row] = py::str(std::string(table->household_id(row)));
  py::list columns;
  for (std::uint32_t c = 0; c < table->names().size(); ++c) {
    py::list column(rows);
    for (std::uint32_t row = 0; row < rows; ++row) {
      const std::string_view text = table->text(row, c);
      column[row] = text.empty() ? py::object(py::none()) : py::object(py::str(std::string(text)));
    }
    columns.append(std::move(column));
  }
  return py::make_tuple(households, to_list(table->names()), columns);
}

// ((households, names, columns, lines) or None, (line, column, message) or None)
py::tuple read_attributes_csv(const std::string& path) {
  attributes_load load;
  {
    py::gil_scoped_release release;
    load = load_attributes_csv(path);
  }
  if (!load.ok())
    return py::make_tuple(
        py::none(), py::make_tuple(load.error->line, load.error->column, load.error->message));
  const household_attributes& table = load.attributes;
  const auto rows = static_cast<std::uint32_t>(table.household_count());
  std::vector<std::string> households(rows);
  for (std::uint32_t row = 0; row < rows; ++row) households[row] = table.household_id(row);
  py::list columns;
  for (std::uint32_t c = 0; c < table.names().size(); ++c) {
    std::vector<std::string> column(rows);
    for (std::uint32_t row = 0; row < rows; ++row) column[row] = table.text(row, c);
    columns.append(to_list(column));
  }
  return py::make_tuple(
      py::make_tuple(to_list(households), to_list(table.names()), columns, py::cast(load.lines)),
      py::none());
}

}  // namespace

void register_ledger(py::module_& m) {
  py::class_<ledger, std::shared_ptr<ledger>>(m, "Ledger", "An immutable columnar ledger.")
      .def_property_readonly("household_count", &ledger::household_count)
      .def_property_readonly("event_count", &ledger::event_count)
      .def_property_readonly("first_date", &ledger::first_date)
      .def_property_readonly("last_date", &ledger::last_date)
      .def_property_readonly("memory_bytes", &ledger::memory_bytes)
      .def_property_readonly("households",
                             [](const ledger& l) {
                               py::list out(l.household_count());
                               for (household_index h = 0; h < l.household_count(); ++h)
                                 out[h] = py::str(std::string(l.household_id(h)));
                               return out;
                             })
      .def_property_readonly("types",
                             [](const ledger& l) {
                               py::list out(l.types().size());
                               for (std::size_t t = 0; t < l.types().size(); ++t)
                                 out[t] =
                                     py::str(std::string(l.types().name(static_cast<type_id>(t))));
                               return out;
                             })
      .def_property_readonly("codes",
                             [](const ledger& l) {
                               py::list out(l.codes().size() - 1);
                               for (std::size_t c = 1; c < l.codes().size(); ++c)
                                 out[c - 1] =
                                     py::str(std::string(l.codes().name(static_cast<code_id>(c))));
                               return out;
                             })
      .def_property_readonly("attribute_names",
                             [](const ledger& l) {
                               const household_attributes* table = l.attributes();
                               return table ? py::object(to_list(table->names()))
                                            : py::object(py::none());
                             })
      .def(
          "has_household",
          [](const ledger& l, std::string_view id) { return l.find_household(id).has_value(); },
          py::arg("id"))
      .def("columns", &columns, "The columns grouped by household, for to_frame.")
      .def("subset", &subset, py::arg("ids"),
           "A ledger of these households only, with their attributes.")
      .def(
          "copy",
          [](const ledger& l) {
            py::gil_scoped_release release;
            return std::make_shared<ledger>(l);
          },
          "A copy: the same events and attributes in new columns.")
      .def(
          "set_attributes",
          [](ledger& l, const std::vector<std::string>& households,
             const std::vector<std::string>& names,
             const std::vector<std::vector<std::string>>& columns) {
            l.set_attributes(attribute_table(households, names, columns));
          },
          py::arg("households"), py::arg("names"), py::arg("columns"),
          "Gives a ledger no one else holds household attributes, replacing any: per name a "
          "column of texts, one per household (\"\": no value).")
      .def("attributes", &attributes_of,
           "(households, names, columns) of the ledger's attributes, None for no value; None "
           "without attributes.");

  m.def("load_csv", &load_csv, py::arg("path"), py::arg("reject_bad_rows"), py::arg("threads"),
        py::arg("progress"), py::arg("text") = std::nullopt,
        "Loads a ledger CSV, the file at `path` or the bytes `text` when given: (ledger or None, "
        "error, rejects, rows accepted); errors and rejects are (line, column, message, row).");
  m.def("ledger_from_columns", &from_columns, py::arg("household"), py::arg("date"),
        py::arg("type"), py::arg("amount"), py::arg("code").none(true), py::arg("progress"),
        "Builds a ledger from (data, names, kind) columns, the code column None when there is "
        "none: (ledger or None, (row, field, message) or None).");
  m.def("read_attributes_csv", &read_attributes_csv, py::arg("path"),
        "Reads an attributes CSV: ((households, names, columns, lines) or None, (line, column, "
        "message) or None); columns hold \"\" for no value.");
  m.def("unknown_event_types", &unknown_types, py::arg("ledger"), py::arg("rules").none(true),
        "The ledger's event types neither the built-in types nor the rules (or None) know: "
        "[(type id, name, events, suggestion, message)].");
  m.def(
      "parse_date", [](std::string_view text) { return parse_date(text); }, py::arg("text"),
      "The day number (days since 1970-01-01) of exactly YYYY-MM-DD, or None.");
  m.def(
      "effect_of_builtin",
      [](std::string_view type) {
        for (type_id id = 0; id < builtin_type::count; ++id)
          if (builtin_type_names[id] == type) return static_cast<int>(builtin_effect(id));
        return 0;
      },
      py::arg("type"), "+1, -1 or 0: how an event of this type moves the balance without rules.");
}

}  // namespace earlywarn::python

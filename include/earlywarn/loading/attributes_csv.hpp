#pragma once
/// \file attributes_csv.hpp
/// Loads household attributes from CSV (docs/language.md, Household
/// attributes): a header `household,NAME,…`, then one row per household;
/// an empty field is no value. Errors are located like a ledger's.

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "earlywarn/detail/file_bytes.hpp"
#include "earlywarn/detail/utf8.hpp"
#include "earlywarn/evaluation/attribute_facts.hpp"
#include "earlywarn/loading/ledger_load.hpp"
#include "earlywarn/model/household_attributes.hpp"
#include "earlywarn/model/ledger.hpp"

namespace earlywarn {

/// What loading an attributes file gives: the table, or the first error.
struct [[nodiscard]] attributes_load {
  household_attributes attributes;
  /// Per row of `attributes` (household_attributes' row order), its line in the file.
  std::vector<std::uint64_t> lines;
  std::optional<earlywarn::error> error;
  std::string file;  ///< the file it was read from; empty when parsed from text
  bool ok() const noexcept { return !error.has_value(); }
};

namespace detail {

// Splits one CSV record at `pos` (RFC 4180 quotes, which may hold commas,
// doubled quotes and line breaks) into `fields`; moves `pos` and `line` past
// it. False, with `problem` and its column, for a quote left open or text
// after a closing quote.
inline bool split_attribute_row(std::string_view text, std::size_t& pos, std::uint64_t& line,
                                std::vector<std::string>& fields, std::string& problem,
                                std::uint32_t& column) {
  fields.clear();
  const std::size_t row_start = pos;
  std::string field;
  for (;;) {
    field.clear();
    if (pos < text.size() && text[pos] == '"') {
      const std::size_t opened = pos++;
      for (;;) {
        if (pos >= text.size()) {
          problem = "a quoted field is never closed";
          column = static_cast<std::uint32_t>(opened - row_start + 1);
          return false;
        }
        const char c = text[pos++];
        if (c == '"') {
          if (pos < text.size() && text[pos] == '"') {
            field += '"';
            ++pos;
            continue;
          }
          break;
        }
        if (c == '\n') ++line;
        field += c;
      }
      if (pos < text.size() && text[pos] != ',' && text[pos] != '\n' && text[pos] != '\r') {
        problem = "text after a closing quote (expected ',' or the end of the line)";
        column = static_cast<std::uint32_t>(pos - row_start + 1);
        return false;
      }
    } else {
      while (pos < text.size() && text[pos] != ',' && text[pos] != '\n') field += text[pos++];
      if (!field.empty() && field.back() == '\r' && (pos >= text.size() || text[pos] == '\n'))
        field.pop_back();
    }
    if (pos < text.size() && text[pos] == '\r') ++pos;
    fields.push_back(field);
    if (pos < text.size() && text[pos] == ',') {
      ++pos;
      continue;
    }
    if (pos < text.size() && text[pos] == '\n') {
      ++pos;
      ++line;
    }
    return true;
  }
}

}  // namespace detail

/// Parses attributes CSV text: a header whose first column is `household`
/// and whose other columns name attributes, then one row per household with
/// as many fields. Refuses (first error, located) a missing or repeated
/// name, a row of another length, an empty or over-long household id, a
/// household given twice, and text that is not UTF-8.
inline attributes_load parse_attributes_csv(std::string_view text) {
  attributes_load out;
  auto fail = [&](std::uint64_t line, std::uint32_t column, std::string message) {
    out.error = row_error(error_kind::attributes, line, column, std::move(message));
    return std::move(out);
  };
  std::size_t pos = 0;
  std::uint64_t line = 1;
  if (text.size() >= 3 && std::memcmp(text.data(), "\xEF\xBB\xBF", 3) == 0) pos = 3;
  if (!detail::is_clean_utf8(text.substr(pos)))
    return fail(0, 0, "not UTF-8 text: save the attributes as UTF-8 CSV");
  while (pos < text.size() && (text[pos] == '\n' || text[pos] == '\r')) line += text[pos++] == '\n';
  std::vector<std::string> names, fields;
  std::string problem;
  std::uint32_t column = 0;
  const std::uint64_t header_line = line;
  if (pos >= text.size()) return fail(0, 0, "empty file: expected a header row 'household,NAME,…'");
  if (!detail::split_attribute_row(text, pos, line, names, problem, column))
    return fail(header_line, column, problem);
  if (names.front() != "household")
    return fail(
        header_line, 1,
        "not an attributes CSV: the header must begin 'household', found '" + names.front() + "'");
  if (names.size() == 1)
    return fail(header_line, 0, "the header names no attribute: 'household,weekly_rent,…'");
  for (std::size_t i = 1; i < names.size(); ++i) {
    if (names[i].empty())
      return fail(header_line, 0, "column " + std::to_string(i + 1) + " of the header has no name");
    for (std::size_t j = 1; j < i; ++j)
      if (names[j] == names[i])
        return fail(header_line, 0,
                    "the header names two columns '" + names[i] + "' (columns " +
                        std::to_string(j + 1) + " and " + std::to_string(i + 1) + ")");
  }
  // Every column is an attribute of the table, also in a file without rows.
  for (std::size_t i = 1; i < names.size(); ++i) out.attributes.add_name(names[i]);
  std::unordered_map<std::string, std::uint64_t> first_line;
  while (pos < text.size()) {
    const std::uint64_t at = line;
    if (text[pos] == '\n' || text[pos] == '\r') {  // a blank line
      line += text[pos++] == '\n';
      continue;
    }
    if (!detail::split_attribute_row(text, pos, line, fields, problem, column))
      return fail(at, column, problem);
    if (fields.size() != names.size())
      return fail(at, 0,
                  "row has " + std::to_string(fields.size()) + " fields; the header has " +
                      std::to_string(names.size()) + " (" + names.front() + "," + names.back() +
                      " …)");
    const std::string& id = fields.front();
    if (id.empty() || id.size() > max_household_id_length)
      return fail(at, 1, "household id must be 1-64 bytes");
    if (const auto [seen, added] = first_line.try_emplace(id, at); !added)
      return fail(at, 1,
                  "household '" + id + "' is given twice (first at line " +
                      std::to_string(seen->second) + "): one row per household");
    // Each row adds one household, empty fields and all: rows and lines stay in step.
    for (std::size_t i = 1; i < names.size(); ++i) out.attributes.set(id, names[i], fields[i]);
    out.lines.push_back(at);
  }
  return out;
}

/// Reads and parses an attributes CSV file; see parse_attributes_csv(). Its
/// error names `path` as its file.
inline attributes_load load_attributes_csv(const std::string& path) {
  detail::file_bytes bytes;
  std::string reason;
  attributes_load out;
  if (!bytes.open(path, reason))
    out.error = row_error(error_kind::io, 0, 0, "cannot read the attributes: " + reason);
  else
    out = parse_attributes_csv(bytes.view());
  out.file = path;
  if (out.error) out.error->file = path;
  return out;
}

/// The values of `load` that `rules`' declarations cannot read, each located
/// at its line of the file, which it names (at most `most` of them).
inline std::vector<error> check_attributes(const ruleset& rules, const attributes_load& load,
                                           std::size_t most = 20) {
  std::vector<error> out;
  const household_attributes& table = load.attributes;
  for (std::uint32_t row = 0; row < table.household_count() && out.size() < most; ++row)
    for (const attribute_declaration& a : rules.attributes) {
      const auto column = table.find_column(a.name);
      if (!column) continue;
      const std::string_view text = table.text(row, *column);
      if (const auto problem = attribute_problem(a.kind, text))
        out.push_back(
            row_error(error_kind::attributes, row < load.lines.size() ? load.lines[row] : 0, 0,
                      "household '" + std::string(table.household_id(row)) + "', attribute '" +
                          a.name + "' (" + std::string(to_string(a.kind)) + "): '" +
                          std::string(text) + "' " + *problem));
    }
  if (out.size() > most) out.resize(most);
  for (error& e : out) e.file = load.file;
  return out;
}

}  // namespace earlywarn

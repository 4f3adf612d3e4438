#pragma once
/// \file worklist.hpp
/// The worklist of docs/language.md, Outputs: one row per (household, fired rule), in priority
/// order.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "earlywarn/model/date.hpp"
#include "earlywarn/model/ledger.hpp"
#include "earlywarn/model/ruleset.hpp"
#include "earlywarn/model/value.hpp"

namespace earlywarn {

/// A household a rule fired for.
struct worklist_row {
  household_index household = 0;  ///< position in the ledger (ids are sorted)
  std::uint32_t rule = 0;         ///< index into ruleset::rules
  std::string household_id;
  std::string rule_name;
  severity level = severity::medium;
  value score;
  std::string message;
};

/// The result of evaluating a ruleset over a ledger as of a date.
struct worklist {
  day as_of = 0;
  std::string ruleset_name;
  std::int64_t ruleset_version = 0;
  std::string fingerprint;
  std::vector<worklist_row> rows;
};

/// True when `a` comes before `b`: severity (critical first), score
/// (descending; no value last), household id, rule name.
inline bool worklist_before(const worklist_row& a, const worklist_row& b) noexcept {
  if (a.level != b.level) return a.level > b.level;
  if (a.score.has_value() != b.score.has_value()) return a.score.has_value();
  if (a.score && b.score) {
    const int c = compare(a.score, b.score);
    if (c != 0) return c > 0;
  }
  if (a.household_id != b.household_id) return a.household_id < b.household_id;
  return a.rule_name < b.rule_name;
}

/// Sorts rows into worklist order; the order is total, so the result does not
/// depend on how the rows were produced.
inline void sort_worklist(std::vector<worklist_row>& rows) {
  std::sort(rows.begin(), rows.end(), worklist_before);
}

/// One household's line in a worklist grouped by household.
struct household_summary {
  std::string household_id;
  severity level = severity::info;  ///< the severity of its top row
  value score = value::integer(0);  ///< the score of its top row (scores are never added)
  std::vector<std::string> rules;   ///< fired rules, in worklist order
  std::string message;              ///< the message of its top row
};

/// Groups a sorted worklist by household: each household's top row (the
/// first in worklist order) gives its severity, score and message, and the
/// households are in the order of their top rows. Scores of different rules
/// are never added: they may count different things (docs/language.md,
/// Outputs).
inline std::vector<household_summary> summarize_by_household(const worklist& w) {
  std::vector<household_summary> out;
  // Rows are in worklist order, so a household's first row is its top row,
  // and households appear in the order of their top rows.
  std::unordered_map<household_index, std::size_t> seen;
  seen.reserve(w.rows.size());
  for (const worklist_row& row : w.rows) {
    const auto [it, added] = seen.try_emplace(row.household, out.size());
    if (added) {
      household_summary s;
      s.household_id = row.household_id;
      s.level = row.level;
      s.score = row.score;
      s.message = row.message;
      out.push_back(std::move(s));
    }
    out[it->second].rules.push_back(row.rule_name);
  }
  return out;
}

/// Quotes a CSV field when it needs it (RFC 4180).
inline void append_csv_field(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += field;
    return;
  }
  out += '"';
  for (const char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

/// Appends a JSON string literal.
inline void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static constexpr char hex[] = "0123456789abcdef";
          out += "\\u00";
          out += hex[(c >> 4) & 0xF];
          out += hex[c & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

/// Household attributes shown beside each row (`run --columns`, docs/cli.md):
/// any attribute of the table, declared by the rules or not.
struct worklist_columns {
  const household_attributes* attributes = nullptr;
  std::vector<std::string> names;
  /// The text of column `i` for `household`; empty when it has none.
  std::string_view text(std::string_view household, std::size_t i) const {
    if (!attributes) return {};
    const auto row = attributes->find_household(household);
    const auto column = attributes->find_column(names[i]);
    return row && column ? attributes->text(*row, *column) : std::string_view();
  }
};

namespace detail {
inline void append_csv_columns(std::string& out, const worklist_columns& columns,
                               std::string_view household) {
  for (std::size_t i = 0; i < columns.names.size(); ++i) {
    out += ',';
    append_csv_field(out, columns.text(household, i));
  }
}
inline void append_csv_column_names(std::string& out, const worklist_columns& columns) {
  for (const std::string& name : columns.names) {
    out += ',';
    append_csv_field(out, name);
  }
}
// The columns as JSON members; a household without a value has null.
inline void append_json_columns(std::string& out, const worklist_columns& columns,
                                std::string_view household) {
  for (std::size_t i = 0; i < columns.names.size(); ++i) {
    out += ',';
    append_json_string(out, columns.names[i]);
    out += ':';
    const std::string_view text = columns.text(household, i);
    if (text.empty())
      out += "null";
    else
      append_json_string(out, text);
  }
}
}  // namespace detail

namespace detail {
// `{"as_of":…,"ruleset":…,"version":…,"fingerprint":…`, the document left open.
inline void append_worklist_identity(std::string& out, const worklist& w) {
  out += "{\"as_of\":\"" + format_date(w.as_of) + "\",\"ruleset\":";
  append_json_string(out, w.ruleset_name);
  out += ",\"version\":" + std::to_string(w.ruleset_version) + ",\"fingerprint\":\"" +
         w.fingerprint + '"';
}
}  // namespace detail

/// A number for JSON: its decimal text, or null for no value.
inline std::string json_number(const value& v) { return v ? v.to_string() : "null"; }

/// The worklist as CSV: `household,rule,severity,score,message`, then `columns`.
inline std::string worklist_csv(const worklist& w, const worklist_columns& columns = {}) {
  std::string out = "household,rule,severity,score,message";
  detail::append_csv_column_names(out, columns);
  out += '\n';
  for (const worklist_row& r : w.rows) {
    append_csv_field(out, r.household_id);
    out += ',';
    append_csv_field(out, r.rule_name);
    out += ',';
    out += to_string(r.level);
    out += ',';
    if (r.score) out += r.score.to_string();
    out += ',';
    append_csv_field(out, r.message);
    detail::append_csv_columns(out, columns, r.household_id);
    out += '\n';
  }
  return out;
}

/// The worklist as a JSON document with the ruleset's identity; `columns`
/// are members of each row.
inline std::string worklist_json(const worklist& w, const worklist_columns& columns = {}) {
  std::string out;
  detail::append_worklist_identity(out, w);
  out += ",\"rows\":[";
  for (std::size_t i = 0; i < w.rows.size(); ++i) {
    const worklist_row& r = w.rows[i];
    out += i == 0 ? "\n" : ",\n";
    out += "{\"household\":";
    append_json_string(out, r.household_id);
    out += ",\"rule\":";
    append_json_string(out, r.rule_name);
    out += ",\"severity\":\"";
    out += to_string(r.level);
    out += "\",\"score\":" + json_number(r.score) + ",\"message\":";
    append_json_string(out, r.message);
    detail::append_json_columns(out, columns, r.household_id);
    out += '}';
  }
  out += "\n]}\n";
  return out;
}

/// Households as CSV: `household,severity,score,rules,message` (rules joined
/// by ';'), then `columns`.
inline std::string households_csv(const std::vector<household_summary>& summaries,
                                  const worklist_columns& columns = {}) {
  std::string out = "household,severity,score,rules,message";
  detail::append_csv_column_names(out, columns);
  out += '\n';
  for (const household_summary& s : summaries) {
    append_csv_field(out, s.household_id);
    out += ',';
    out += to_string(s.level);
    out += ',';
    if (s.score) out += s.score.to_string();  // no value: empty, as in the worklist
    out += ',';
    std::string rules;
    for (const std::string& r : s.rules) rules += (rules.empty() ? "" : ";") + r;
    append_csv_field(out, rules);
    out += ',';
    append_csv_field(out, s.message);
    detail::append_csv_columns(out, columns, s.household_id);
    out += '\n';
  }
  return out;
}

/// Households of worklist `w` (summarize_by_household) as a JSON document
/// of the shape of worklist_json(): the date and ruleset, then `rows`, one
/// object per household; `columns` are members of each.
inline std::string households_json(const worklist& w,
                                   const std::vector<household_summary>& summaries,
                                   const worklist_columns& columns = {}) {
  std::string out;
  detail::append_worklist_identity(out, w);
  out += ",\"rows\":[";
  for (std::size_t i = 0; i < summaries.size(); ++i) {
    const household_summary& s = summaries[i];
    out += i == 0 ? "\n" : ",\n";
    out += "{\"household\":";
    append_json_string(out, s.household_id);
    out += ",\"severity\":\"";
    out += to_string(s.level);
    out += "\",\"score\":" + json_number(s.score) + ",\"rules\":[";
    for (std::size_t k = 0; k < s.rules.size(); ++k) {
      if (k) out += ',';
      append_json_string(out, s.rules[k]);
    }
    out += "],\"message\":";
    append_json_string(out, s.message);
    detail::append_json_columns(out, columns, s.household_id);
    out += '}';
  }
  out += "\n]}\n";
  return out;
}

}  // namespace earlywarn

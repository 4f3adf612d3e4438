#pragma once
/// \file ledger_csv.hpp
/// Loads the canonical CSV form of a ledger (SPEC §1) with located errors (SPEC §7).

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "earlywarn/detail/file_bytes.hpp"
#include "earlywarn/detail/utf8.hpp"
#include "earlywarn/ledger.hpp"

namespace earlywarn {

/// A bad ledger row or file: where, and why.
struct ledger_error {
  std::uint64_t line = 0;    ///< 1-based; 0 when the whole file is at fault
  std::uint32_t column = 0;  ///< 1-based byte position in the line; 0 when unknown
  std::string message;
  std::string row;  ///< the raw text of the offending row, for rejects files
};

/// Renders `FILE:LINE:COL: message` (or `FILE: message` without a position).
inline std::string format_error(const ledger_error& e, std::string_view file_name) {
  std::string out(file_name);
  if (e.line > 0) {
    out += ':' + std::to_string(e.line);
    if (e.column > 0) out += ':' + std::to_string(e.column);
  }
  out += ": ";
  out += e.message;
  return out;
}

/// How to load a ledger CSV.
struct ledger_csv_options {
  /// Skip bad rows and report them in `ledger_load::rejects` instead of
  /// failing on the first one (the CLI's `--rejects FILE`).
  bool reject_bad_rows = false;
  /// Called now and then with bytes parsed so far and the total.
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
};

/// The outcome of loading a ledger.
struct ledger_load {
  ledger events;                      ///< the ledger; empty when the load failed
  std::optional<ledger_error> error;  ///< why the load failed, if it did
  std::vector<ledger_error> rejects;  ///< rows skipped in rejects mode
  std::uint64_t rows_accepted = 0;
  bool ok() const noexcept { return !error.has_value(); }
};

namespace detail {

/// The four columns every ledger starts with.
inline constexpr std::string_view ledger_columns[4] = {"household", "date", "type", "amount"};

class ledger_csv_parser {
 public:
  ledger_csv_parser(std::string_view text, const ledger_csv_options& options)
      : text_(text), options_(options) {}

  ledger_load run() && {
    ledger_load out;
    if (text_.size() >= 3 && std::memcmp(text_.data(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;
    if (!read_header(out)) return out;
    // Reserving the exact row count spares the columns from growing (and
    // copying) while a city ledger loads.
    builder_.reserve(static_cast<std::size_t>(
        std::count(text_.begin() + static_cast<std::ptrdiff_t>(pos_), text_.end(), '\n') + 1));
    std::uint64_t next_progress = progress_step;
    while (pos_ < text_.size()) {
      if (columns_ == 4 && read_plain_row(out)) continue;
      if (!read_row(out)) return out;
      if (options_.progress && pos_ >= next_progress) {
        options_.progress(pos_, text_.size());
        next_progress = pos_ + progress_step;
      }
    }
    if (options_.progress) options_.progress(text_.size(), text_.size());
    out.events = std::move(builder_).build();
    return out;
  }

 private:
  static constexpr std::uint64_t progress_step = 16u << 20;

  struct field {
    std::string_view text;
    std::uint32_t column;    // 1-based, on the field's own physical line
    std::uint32_t line = 0;  // physical lines after the row's first line
  };

  // End of the physical line starting at `from` (index of '\n' or size).
  std::size_t line_end(std::size_t from) const noexcept {
    const void* nl = std::memchr(text_.data() + from, '\n', text_.size() - from);
    return nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - text_.data())
              : text_.size();
  }

  static std::string_view printable_excerpt(std::string_view s) {
    std::string_view cut = s.substr(0, 60);
    for (const char c : cut)
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F)
        return "(binary or non-ASCII data)";
    return cut;
  }

  bool read_header(ledger_load& out) {
    // Skip blank lines before the header: some exports begin with one.
    while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
      if (text_[pos_] == '\n') ++line_;
      ++pos_;
    }
    if (pos_ >= text_.size()) {
      out.error =
          ledger_error{0, 0, "empty file: expected a header row 'household,date,type,amount'", {}};
      return false;
    }
    const std::size_t end = line_end(pos_);
    std::string_view row = text_.substr(pos_, end - pos_);
    if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
    header_ = std::string(row);
    std::size_t count = 0;
    std::size_t start = 0;
    bool good = true;
    for (;;) {
      const std::size_t comma = row.find(',', start);
      const std::string_view name = row.substr(start, comma == row.npos ? row.npos : comma - start);
      if (count < 4 && name != ledger_columns[count]) good = false;
      ++count;
      if (comma == row.npos) break;
      start = comma + 1;
    }
    if (!good || count < 4) {
      out.error = ledger_error{line_, 1,
                               "not a ledger CSV: the header must begin "
                               "'household,date,type,amount', found '" +
                                   std::string(printable_excerpt(row)) + "'",
                               std::string(row.substr(0, 200))};
      return false;
    }
    columns_ = count;
    pos_ = end < text_.size() ? end + 1 : end;
    ++line_;
    return true;
  }

  // Reports a bad row; returns false when the load must stop.
  bool reject(ledger_load& out, std::uint32_t column, std::string message, std::size_t row_begin,
              std::size_t row_end, std::uint64_t line_offset = 0) {
    std::string_view raw = text_.substr(row_begin, row_end - row_begin);
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    ledger_error e{row_line_ + line_offset, column, std::move(message), std::string(raw)};
    if (!options_.reject_bad_rows) {
      out.error = std::move(e);
      return false;
    }
    out.rejects.push_back(std::move(e));
    return true;
  }

  // Splits one row into fields. Unquoted rows (nearly all) take the fast path;
  // a quote anywhere sends the row through the RFC 4180 path, which may span
  // lines. Returns the row's end (index past its '\n') or npos on a quoting error.
  std::size_t split(std::size_t begin, std::string& error, std::uint32_t& error_column) {
    fields_.clear();
    unquoted_.clear();
    const std::size_t end = line_end(begin);
    std::string_view row = text_.substr(begin, end - begin);
    const std::size_t next = end < text_.size() ? end + 1 : end;
    if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
    if (std::memchr(row.data(), '"', row.size()) == nullptr) {
      std::size_t start = 0;
      for (;;) {
        const void* c = std::memchr(row.data() + start, ',', row.size() - start);
        const std::size_t comma =
            c ? static_cast<std::size_t>(static_cast<const char*>(c) - row.data()) : row.size();
        fields_.push_back(
            {row.substr(start, comma - start), static_cast<std::uint32_t>(start + 1)});
        if (comma == row.size()) break;
        start = comma + 1;
      }
      return next;
    }
    return split_quoted(begin, error, error_column);
  }

  std::size_t split_quoted(std::size_t begin, std::string& error, std::uint32_t& error_column) {
    unquoted_.clear();
    std::size_t i = begin;
    std::size_t column_base = begin;  // start of the current physical line
    for (;;) {
      const auto column = static_cast<std::uint32_t>(i - column_base + 1);
      const auto field_line = static_cast<std::uint32_t>(extra_lines_);
      if (i < text_.size() && text_[i] == '"') {
        std::string value;
        ++i;
        for (;;) {
          if (i >= text_.size()) {
            error = "unterminated quoted field";
            error_column = column;
            error_line_ = field_line;  // where the quote opened
            return std::string_view::npos;
          }
          const char ch = text_[i];
          if (ch == '"') {
            if (i + 1 < text_.size() && text_[i + 1] == '"') {
              value += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (ch == '\n') {
            ++extra_lines_;
            column_base = i + 1;
          }
          value += ch;
          ++i;
        }
        unquoted_.push_back(std::move(value));
        fields_.push_back({{}, column, field_line});
        if (i < text_.size() && text_[i] == '\r' && i + 1 < text_.size() && text_[i + 1] == '\n')
          ++i;
        if (i >= text_.size() || text_[i] == '\n') return i < text_.size() ? i + 1 : i;
        if (text_[i] != ',') {
          error = "unexpected character after a closing quote (expected ',' or end of line)";
          error_line_ = extra_lines_;
          error_column = static_cast<std::uint32_t>(i - column_base + 1);
          return std::string_view::npos;
        }
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < text_.size() && text_[j] != ',' && text_[j] != '\n' && text_[j] != '"') ++j;
      if (j < text_.size() && text_[j] == '"') {
        error = "quote inside an unquoted field (quote the whole field and double the quote)";
        error_line_ = extra_lines_;
        error_column = static_cast<std::uint32_t>(j - column_base + 1);
        return std::string_view::npos;
      }
      std::string_view value = text_.substr(i, j - i);
      if (j >= text_.size() || text_[j] == '\n') {
        if (!value.empty() && value.back() == '\r') value.remove_suffix(1);
        fields_.push_back({value, column, field_line});
        unquoted_.emplace_back();
        return j < text_.size() ? j + 1 : j;
      }
      fields_.push_back({value, column, field_line});
      unquoted_.emplace_back();
      i = j + 1;
    }
  }

  // The common row, parsed in one pass: four unquoted fields, a valid date,
  // type and amount. Returns false, consuming nothing, for anything else; the
  // general path then parses the row again and says exactly what is wrong.
  bool read_plain_row(ledger_load& out) {
    const char* const begin = text_.data() + pos_;
    const char* const end = text_.data() + text_.size();
    const char* p = begin;
    while (p < end && *p != ',' && *p != '"' && *p != '\n') ++p;
    if (p == end || *p != ',') return false;
    const std::string_view household(begin, static_cast<std::size_t>(p - begin));
    ++p;
    if (end - p < 11 || p[10] != ',') return false;
    const std::string_view date_text(p, 10);
    p += 11;
    const char* type_begin = p;
    while (p < end && *p != ',' && *p != '"' && *p != '\n') ++p;
    if (p == end || *p != ',') return false;
    const std::string_view type_text(type_begin, static_cast<std::size_t>(p - type_begin));
    ++p;
    const char* amount_begin = p;
    while (p < end && *p != '\n' && *p != ',' && *p != '"') ++p;
    if (p < end && *p != '\n') return false;
    std::string_view amount_text(amount_begin, static_cast<std::size_t>(p - amount_begin));
    if (!amount_text.empty() && amount_text.back() == '\r') amount_text.remove_suffix(1);

    if (date_text != last_date_text_) {
      const std::optional<day> date = parse_date(date_text);
      if (!date) return false;
      last_date_text_ = date_text;
      last_date_ = *date;
    }
    const std::optional<type_id> type = type_of(type_text);
    if (!type) return false;
    cents amount = 0;
    if (!amount_text.empty() || builtin_requires_amount(*type)) {
      const parsed_amount parsed = parse_amount(amount_text);
      if (parsed.error != amount_error::none) return false;
      amount = parsed.value;
    }
    const std::optional<std::uint32_t> handle = household_of(household);
    if (!handle) return false;
    builder_.add(*handle, last_date_, *type, amount);
    ++out.rows_accepted;
    pos_ = static_cast<std::size_t>(p - text_.data()) + (p < end ? 1 : 0);
    ++line_;
    return true;
  }

  bool read_row(ledger_load& out) {
    const std::size_t begin = pos_;
    row_line_ = line_;
    // Blank lines carry no data; skipping them loses nothing.
    if (text_[begin] == '\n' ||
        (text_[begin] == '\r' && begin + 1 < text_.size() && text_[begin + 1] == '\n')) {
      pos_ = text_[begin] == '\n' ? begin + 1 : begin + 2;
      ++line_;
      return true;
    }
    std::string error;
    std::uint32_t error_column = 0;
    extra_lines_ = 0;
    const std::size_t next = split(begin, error, error_column);
    if (next == std::string_view::npos) {
      // The rest of the file cannot be split reliably after a broken quote.
      const std::size_t end = line_end(begin);
      if (!reject(out, error_column, error, begin, end, error_line_)) return false;
      extra_lines_ = 0;
      pos_ = end < text_.size() ? end + 1 : end;
      ++line_;
      return true;
    }
    pos_ = next;
    line_ += 1 + extra_lines_;
    const std::size_t row_end = next > begin && text_[next - 1] == '\n' ? next - 1 : next;

    if (fields_.size() != columns_) {
      return reject(out, 1,
                    "expected " + std::to_string(columns_) + " columns as in the header, found " +
                        std::to_string(fields_.size()),
                    begin, row_end);
    }
    const std::string_view household = field_text(0);
    const std::string_view date_text = field_text(1);
    const std::string_view type_text = field_text(2);
    const std::string_view amount_text = field_text(3);

    const std::optional<day> date = parse_date(date_text);
    if (!date) {
      if ((household == "household" || household == "\xEF\xBB\xBFhousehold") && date_text == "date")
        return reject(out, 1, "duplicated header row", begin, row_end);
      return reject(out, fields_[1].column,
                    "bad date '" + std::string(printable_excerpt(date_text)) +
                        "': expected YYYY-MM-DD, a real calendar date",
                    begin, row_end, fields_[1].line);
    }
    if (household.empty())
      return reject(out, fields_[0].column, "household id is empty", begin, row_end,
                    fields_[0].line);
    if (household.size() > max_household_id_length)
      return reject(out, fields_[0].column, "household id is longer than 64 bytes", begin, row_end,
                    fields_[0].line);
    if (!is_clean_utf8(household))
      return reject(out, fields_[0].column,
                    "household id is not valid UTF-8 text (bad encoding or control characters)",
                    begin, row_end, fields_[0].line);
    const std::optional<type_id> type = type_of(type_text);
    if (!type)
      return reject(out, fields_[2].column,
                    "bad event type '" + std::string(printable_excerpt(type_text)) +
                        "': expected a name of the form [a-z][a-z0-9_]*",
                    begin, row_end, fields_[2].line);
    cents amount = 0;
    if (!amount_text.empty() || builtin_requires_amount(*type)) {
      const parsed_amount parsed = parse_amount(amount_text);
      if (parsed.error != amount_error::none) {
        std::string message(describe(parsed.error));
        if (!amount_text.empty())
          message += " '" + std::string(printable_excerpt(amount_text)) + "'";
        return reject(out, fields_[3].column, std::move(message), begin, row_end, fields_[3].line);
      }
      amount = parsed.value;
    }
    builder_.add(*household_of(household), *date, *type, amount);
    ++out.rows_accepted;
    return true;
  }

  // The id of a valid type name; a run of equal types skips the lookup.
  std::optional<type_id> type_of(std::string_view name) {
    if (name == last_type_name_) return last_type_;
    if (!is_valid_type_name(name)) return std::nullopt;
    last_type_ = builder_.intern_type(name);
    last_type_name_ = builder_.type_name(last_type_);
    return last_type_;
  }

  // The handle of a valid household id; a run of one household skips the hash.
  std::optional<std::uint32_t> household_of(std::string_view id) {
    if (id == last_household_) return last_handle_;
    if (id.empty() || id.size() > max_household_id_length || !is_clean_utf8(id))
      return std::nullopt;
    last_handle_ = builder_.intern_household(id);
    last_household_ = builder_.household_name(last_handle_);
    return last_handle_;
  }

  std::string_view field_text(std::size_t i) const noexcept {
    return unquoted_.size() > i && fields_[i].text.data() == nullptr
               ? std::string_view(unquoted_[i])
               : fields_[i].text;
  }

  std::string_view text_;
  const ledger_csv_options& options_;
  std::size_t pos_ = 0;
  std::uint64_t line_ = 1;
  std::uint64_t row_line_ = 1;
  std::uint64_t extra_lines_ = 0;
  std::uint64_t error_line_ = 0;  // physical line of a quoting error within its row
  std::size_t columns_ = 0;
  std::string header_;
  std::vector<field> fields_;
  std::vector<std::string> unquoted_;
  ledger_builder builder_;
  // Caches for runs of equal fields; the views point into the builder's
  // interned names or the text, both stable while parsing.
  std::string_view last_household_{"\x01", 1};  // matches no valid id, not even ""
  std::uint32_t last_handle_ = 0;
  std::string_view last_type_name_{"\x01", 1};  // matches no valid type, not even ""
  type_id last_type_ = 0;
  std::string_view last_date_text_;
  day last_date_ = 0;
};

}  // namespace detail

/// Parses ledger CSV text already in memory.
inline ledger_load parse_ledger_csv(std::string_view text, const ledger_csv_options& options = {}) {
  return detail::ledger_csv_parser(text, options).run();
}

/// Loads a ledger CSV file (memory-mapped); `-` is not special here.
inline ledger_load load_ledger_csv(const std::string& path,
                                   const ledger_csv_options& options = {}) {
  detail::file_bytes bytes;
  std::string reason;
  if (!bytes.open(path, reason)) {
    ledger_load out;
    out.error = ledger_error{0, 0, "cannot read the ledger: " + reason, {}};
    return out;
  }
  return parse_ledger_csv(bytes.view(), options);
}

}  // namespace earlywarn

#pragma once
// Parses the rows of one chunk of a ledger CSV: the rows that start in
// [begin, end) of the whole text (the last may run past `end`). A chunk knows
// nothing of the rows before it: line numbers count from its first line and
// households, types and codes get chunk-local numbers, which `chunk_merge`
// maps to the ledger's. Started at a row start, it finds exactly the rows,
// events and errors that a parse of the whole text finds there.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "earlywarn/detail/compiler.hpp"
#include "earlywarn/detail/id_table.hpp"
#include "earlywarn/detail/utf8.hpp"
#include "earlywarn/loading/ledger_load.hpp"
#include "earlywarn/model/ledger.hpp"
#include "earlywarn/model/money.hpp"
#include "earlywarn/model/plan_frequency.hpp"

namespace earlywarn::detail {

/// A chunk's accepted events in input order, with chunk-local household
/// handles; one per worker thread, reused from chunk to chunk. Its columns
/// grow together, so that adding a row checks the room once; event codes, for
/// ledgers with a code column only, are kept apart so others never pay for them.
class chunk_scratch {
 public:
  /// Room for at least `rows` rows, so that a chunk's columns rarely grow (and copy).
  void reserve(std::size_t rows) {
    if (rows > capacity_) grow(rows);
  }

  [[gnu::always_inline]] void push_back(std::uint32_t household, day date, type_id type,
                                        cents amount) {
    if (size_ == capacity_) [[unlikely]]
      grow(capacity_ * 2 + 1024);
    households_[size_] = household;
    dates_[size_] = date;
    types_[size_] = type;
    amounts_[size_] = amount;
    ++size_;
  }

  /// The code of the row just pushed (every row, in a ledger with a code column).
  void push_code(code_id code) { codes_.push_back(code); }

  std::size_t size() const noexcept { return size_; }
  void clear() noexcept {
    size_ = 0;
    codes_.clear();
  }

  std::span<std::uint32_t> households() noexcept { return {households_.get(), size_}; }
  std::span<const day> dates() const noexcept { return {dates_.get(), size_}; }
  std::span<const type_id> types() const noexcept { return {types_.get(), size_}; }
  std::span<const cents> amounts() const noexcept { return {amounts_.get(), size_}; }
  std::span<const code_id> codes() const noexcept { return codes_; }

 private:
  template <class T>
  static void move_to(std::unique_ptr<T[]>& column, std::size_t size, std::size_t capacity) {
    auto bigger = std::make_unique_for_overwrite<T[]>(capacity);
    std::copy(column.get(), column.get() + size, bigger.get());
    column = std::move(bigger);
  }

  [[gnu::noinline]] void grow(std::size_t capacity) {
    move_to(households_, size_, capacity);
    move_to(dates_, size_, capacity);
    move_to(types_, size_, capacity);
    move_to(amounts_, size_, capacity);
    capacity_ = capacity;
  }

  std::unique_ptr<std::uint32_t[]> households_;
  std::unique_ptr<day[]> dates_;
  std::unique_ptr<type_id[]> types_;
  std::unique_ptr<cents[]> amounts_;
  std::vector<code_id> codes_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

/// What parsing one chunk yields.
struct parsed_chunk {
  std::size_t begin = 0;  ///< its first row starts here
  std::size_t end = 0;    ///< rows starting before this are its rows
  std::size_t stop = 0;   ///< where the row after its last one starts
  bool parsed = false;
  std::uint64_t lines = 0;  ///< physical lines its rows take
  std::uint64_t rows_accepted = 0;
  std::vector<earlywarn::error> rejects;  ///< lines counted from the chunk's first line as 0
  std::optional<earlywarn::error> error;  ///< the bad row that stops the load
  std::exception_ptr failure;             ///< what parsing threw (too many types, no memory)

  type_table types;  ///< chunk-local type ids
  /// Where each chunk-local type first occurs (line as in `rejects`, column),
  /// to locate the row that takes the ledger past `max_event_types`.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> type_first_seen;
  std::vector<type_id> type_map;  ///< chunk-local type id to the ledger's
  code_table codes;               ///< chunk-local code ids, in order of first use
  /// Where each chunk-local code (id 1 on) first occurs, as `type_first_seen`.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> code_first_seen;
  std::vector<code_id> code_map;          ///< chunk-local code id to the ledger's
  id_table ids;                           ///< chunk-local household handles; freed once mapped
  std::vector<std::uint32_t> households;  ///< the ledger-wide handle of each local household
  /// Events grouped by local household: household i owns [first[i], first[i + 1]).
  std::vector<std::uint32_t> first;
  std::unique_ptr<day[]> dates;
  std::unique_ptr<type_id[]> type_ids;
  /// The low 32 bits of each amount; `large_amounts` holds the few that need
  /// more (by grouped position, ascending). Amounts are the widest column, and
  /// halving them here keeps the merge's peak memory within budget.
  std::unique_ptr<std::uint32_t[]> amounts_low;
  std::vector<std::pair<std::uint32_t, cents>> large_amounts;
  /// Codes grouped like `dates`; null when no event of the chunk has one.
  std::unique_ptr<code_id[]> code_ids;
  day min_date = 0;
  day max_date = 0;

  std::size_t event_count() const noexcept { return first.empty() ? 0 : first.back(); }
};

/// The longest ledger row, in bytes, quoted line breaks included. A row holds
/// four short fields and perhaps a note; a longer one is refused, so that a
/// runaway line or an unterminated quote costs bounded work and memory.
inline constexpr std::size_t max_row_bytes = std::size_t{1} << 20;

/// How much of a refused over-long row a rejects file keeps.
inline constexpr std::size_t kept_row_bytes = 200;

/// The message for a row longer than `max_row_bytes`.
inline constexpr std::string_view row_too_long_message =
    "row is longer than 1048576 bytes, the limit (a runaway line, or a quote that is never "
    "closed?); only its first 200 bytes are kept";

/// The four columns every ledger starts with.
inline constexpr std::string_view ledger_header_names[4] = {"household", "date", "type", "amount"};

/// The optional column of event codes, anywhere after the first four.
inline constexpr std::string_view code_column_name = "code";

/// The code column of a ledger without one.
inline constexpr std::size_t no_code_column = SIZE_MAX;

/// A short printable excerpt of a field, for messages.
inline std::string_view printable_excerpt(std::string_view s) {
  std::string_view cut = s.substr(0, 60);
  for (const char c : cut)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F)
      return "(binary or non-ASCII data)";
  return cut;
}

/// An amount in the common form, 1 to 13 digits, '.' and 2 digits
/// ("9242.08"), as `parse_amount` reads it; false for any other text, which
/// `parse_amount` then reads. (13 digits keep the value below `max_amount`.)
[[gnu::always_inline]] inline bool parse_two_place_amount(std::string_view text,
                                                          cents& value) noexcept {
  const std::size_t n = text.size();
  if (n < 4 || n > 16 || text[n - 3] != '.') return false;
  cents whole = 0;
  for (std::size_t i = 0; i + 3 < n; ++i) {
    const unsigned digit = static_cast<unsigned char>(text[i]) - unsigned{'0'};
    if (digit > 9) return false;
    whole = whole * 10 + digit;
  }
  const unsigned tens = static_cast<unsigned char>(text[n - 2]) - unsigned{'0'};
  const unsigned ones = static_cast<unsigned char>(text[n - 1]) - unsigned{'0'};
  if (tens > 9 || ones > 9) return false;
  value = whole * 100 + tens * 10 + ones;
  return true;
}

class csv_chunk_parser {
 public:
  /// `columns` is the header's column count, `code_column` its column of
  /// event codes (or `no_code_column`); `text` the whole file.
  csv_chunk_parser(std::string_view text, std::size_t columns, std::size_t code_column,
                   bool reject_bad_rows, chunk_scratch& scratch, parsed_chunk& out)
      : text_(text),
        columns_(columns),
        code_column_(code_column),
        reject_bad_rows_(reject_bad_rows),
        scratch_(scratch),
        out_(out) {}

  /// Parses the rows starting in [begin, end) into `out`.
  void run(std::size_t begin, std::size_t end) {
    out_ = parsed_chunk{};
    out_.begin = begin;
    out_.end = end;
    scratch_.clear();
    try {
      // Rows of a city ledger take about 37 bytes; most chunks need no more.
      scratch_.reserve((end - begin) / 32 + 16);
      pos_ = begin;
      while (pos_ < end) {
        if (columns_ == 4 && read_plain_row()) continue;
        if (!read_row()) break;
      }
      look_up_pending();
      out_.stop = pos_;
      out_.lines = line_;
      group_by_household();
    } catch (...) {
      out_.failure = std::current_exception();
    }
    out_.parsed = true;
  }

 private:
  struct pending_id {
    const char* id;
    std::size_t size;
    std::size_t row;  // in the scratch columns
    std::uint64_t hash;
  };

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

  // Reports a bad row; returns false when the load must stop.
  bool reject(std::uint32_t column, std::string message, std::size_t row_begin, std::size_t row_end,
              std::uint64_t line_offset = 0) {
    std::string_view raw = text_.substr(row_begin, row_end - row_begin);
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    error e = row_error(error_kind::ledger, row_line_ + line_offset, column, std::move(message),
                        std::string(raw));
    if (!reject_bad_rows_) {
      out_.error = std::move(e);
      return false;
    }
    out_.rejects.push_back(std::move(e));
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
          if (i - begin > max_row_bytes) {
            error = std::string(row_too_long_message);
            error_column = column;
            error_line_ = field_line;
            return std::string_view::npos;
          }
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
  bool read_plain_row() {
    const char* const begin = text_.data() + pos_;
    const char* const end = text_.data() + text_.size();
    const char* p = begin;
    // Ids of printable ASCII need no UTF-8 check, and their lookup can wait.
    unsigned char unprintable = 0;
    while (p < end && *p != ',' && *p != '"' && *p != '\n') {
      unprintable |= static_cast<unsigned char>(static_cast<unsigned char>(*p - 0x20) > 0x5E);
      ++p;
    }
    if (p == end || *p != ',') return false;
    const char* const household = begin;
    const auto household_size = static_cast<std::size_t>(p - begin);
    ++p;
    if (end - p < 11 || p[10] != ',') return false;
    const char* const date_text = p;
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

    if (!equal_bytes(date_text, last_date_text_, 10)) {
      const std::optional<day> date = parse_date({date_text, 10});
      if (!date) return false;
      std::memcpy(last_date_text_, date_text, 10);
      last_date_ = *date;
    }
    const std::int32_t found_type =
        type_of(type_text, line_, static_cast<std::uint32_t>(type_begin - begin + 1));
    if (found_type < 0) return false;
    const auto type = static_cast<type_id>(found_type);
    cents amount = 0;
    if (!parse_two_place_amount(amount_text, amount) &&
        (!amount_text.empty() || builtin_requires_amount(type))) {
      const parsed_amount parsed = parse_amount(amount_text);
      if (parsed.error != amount_error::none) return false;
      amount = parsed.value;
    }
    if (unprintable == 0 && household_size > 0 && household_size <= max_household_id_length) {
      add(id_table::none, last_date_, type, amount);
      look_up_later(household, household_size);
    } else {
      const std::uint32_t handle = household_of({household, household_size});
      if (handle == id_table::none) return false;
      add(handle, last_date_, type, amount);
    }
    pos_ = static_cast<std::size_t>(p - text_.data()) + (p < end ? 1 : 0);
    ++line_;
    return true;
  }

  bool read_row() {
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
    const std::size_t line_stop = line_end(begin);
    if (line_stop - begin > max_row_bytes) {
      if (!reject(1, std::string(row_too_long_message), begin, begin + kept_row_bytes))
        return false;
      pos_ = line_stop < text_.size() ? line_stop + 1 : line_stop;
      ++line_;
      return true;
    }
    const std::size_t next = split(begin, error, error_column);
    if (next == std::string_view::npos) {
      // The rest of the file cannot be split reliably after a broken quote.
      const std::size_t end = line_end(begin);
      if (!reject(error_column, error, begin, end, error_line_)) return false;
      extra_lines_ = 0;
      pos_ = end < text_.size() ? end + 1 : end;
      ++line_;
      return true;
    }
    pos_ = next;
    line_ += 1 + extra_lines_;
    const std::size_t row_end = next > begin && text_[next - 1] == '\n' ? next - 1 : next;

    if (fields_.size() != columns_) {
      return reject(1,
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
        return reject(1, "duplicated header row", begin, row_end);
      return reject(fields_[1].column,
                    "bad date '" + std::string(printable_excerpt(date_text)) +
                        "': " + describe_bad_date(date_text),
                    begin, row_end, fields_[1].line);
    }
    if (household.empty())
      return reject(fields_[0].column, "household id is empty", begin, row_end, fields_[0].line);
    if (household.size() > max_household_id_length)
      return reject(fields_[0].column, "household id is longer than 64 bytes", begin, row_end,
                    fields_[0].line);
    if (!is_clean_utf8(household))
      return reject(fields_[0].column,
                    "household id is not valid UTF-8 text (bad encoding or control characters)",
                    begin, row_end, fields_[0].line);
    const std::int32_t found_type =
        type_of(type_text, row_line_ + fields_[2].line, fields_[2].column);
    if (found_type == too_many_types) {
      // Not a bad row but a ledger beyond what it can hold: stop even when rejecting.
      std::string_view raw = text_.substr(begin, row_end - begin);
      if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
      out_.error = row_error(error_kind::ledger, row_line_ + fields_[2].line, fields_[2].column,
                             std::string(too_many_types_message), std::string(raw));
      return false;
    }
    if (found_type == no_type)
      return reject(fields_[2].column,
                    "bad event type '" + std::string(printable_excerpt(type_text)) +
                        "': expected a name of the form [a-z][a-z0-9_]*",
                    begin, row_end, fields_[2].line);
    const auto type = static_cast<type_id>(found_type);
    cents amount = 0;
    if (!amount_text.empty() || builtin_requires_amount(type)) {
      const parsed_amount parsed = parse_amount(amount_text);
      if (parsed.error != amount_error::none) {
        std::string message(describe(parsed.error));
        if (!amount_text.empty())
          message += " '" + std::string(printable_excerpt(amount_text)) + "'";
        return reject(fields_[3].column, std::move(message), begin, row_end, fields_[3].line);
      }
      amount = parsed.value;
    }
    if (code_column_ == no_code_column) {
      add(household_of(household), *date, type, amount);
      return true;
    }
    // The code last: a row refused for another field adds no code to the table.
    const std::string_view code_text = field_text(code_column_);
    const field& code_field = fields_[code_column_];
    if (const auto problem = code_problem_for(type, code_text))
      return reject(
          code_field.column,
          "event code '" + std::string(printable_excerpt(code_text)) + "' " + std::string(*problem),
          begin, row_end, code_field.line);
    const std::int32_t code = code_of(code_text, row_line_ + code_field.line, code_field.column);
    if (code == too_many_codes) {
      // As for types: a ledger beyond what it can hold, not a bad row.
      std::string_view raw = text_.substr(begin, row_end - begin);
      if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
      out_.error = row_error(error_kind::ledger, row_line_ + code_field.line, code_field.column,
                             std::string(too_many_codes_message), std::string(raw));
      return false;
    }
    if (code == bad_code)
      return reject(code_field.column,
                    "event code '" + std::string(printable_excerpt(code_text)) + "' " +
                        std::string(*code_problem(code_text)),
                    begin, row_end, code_field.line);
    add(household_of(household), *date, type, amount);
    scratch_.push_code(static_cast<code_id>(code));
    return true;
  }

  [[gnu::always_inline]] void add(std::uint32_t household, day date, type_id type, cents amount) {
    scratch_.push_back(household, date, type, amount);
    ++out_.rows_accepted;
  }

  static constexpr std::int32_t no_type = -1;
  static constexpr std::int32_t too_many_types = -2;

  // The id of a valid type name, `no_type`, or `too_many_types` for a new
  // name once the chunk holds `max_event_types`; `line` and `column` locate
  // the name, kept for a name new to the chunk. A few recent names are kept
  // beside their ids, as a ledger has few types and a journal alternates
  // between them. (Not std::optional: returned through memory in two
  // stores and read back in one load, it stalls the row loop.)
  [[gnu::always_inline]] std::int32_t type_of(std::string_view name, std::uint64_t line,
                                              std::uint32_t column) {
    if (name.empty()) return no_type;
    // Indexed by length, first and last letter: no two built-in types collide.
    const recent_type& r =
        recent_types_[(name.size() * 7 + static_cast<unsigned char>(name.front()) * 31u +
                       static_cast<unsigned char>(name.back())) %
                      std::size(recent_types_)];
    if (r.size == name.size() && equal_bytes(r.name, name.data(), name.size())) return r.id;
    return intern_type(name, line, column);
  }

  [[gnu::noinline]] std::int32_t intern_type(std::string_view name, std::uint64_t line,
                                             std::uint32_t column) {
    if (!is_valid_type_name(name)) return no_type;
    type_id id;
    if (const std::optional<type_id> known = out_.types.find(name)) {
      id = *known;
    } else {
      if (out_.types.full()) return too_many_types;
      id = out_.types.intern(name);
      out_.type_first_seen.emplace_back(line, column);
    }
    recent_type& r =
        recent_types_[(name.size() * 7 + static_cast<unsigned char>(name.front()) * 31u +
                       static_cast<unsigned char>(name.back())) %
                      std::size(recent_types_)];
    if (name.size() <= sizeof r.name) {
      std::memcpy(r.name, name.data(), name.size());
      r.size = name.size();
      r.id = id;
    }
    return id;
  }

  static constexpr std::int32_t bad_code = -1;
  static constexpr std::int32_t too_many_codes = -2;

  // The id of a code (0 for the empty one), `bad_code` for one `code_problem`
  // refuses, or `too_many_codes` for a new one once the chunk holds
  // `max_event_codes`; `line` and `column` locate it, kept for a code new to
  // the chunk. Recent codes are kept beside their ids, as types are: a
  // ledger's codes are few and repeat.
  std::int32_t code_of(std::string_view text, std::uint64_t line, std::uint32_t column) {
    if (text.empty()) return 0;
    recent_code& r =
        recent_codes_[(text.size() * 7 + static_cast<unsigned char>(text.front()) * 31u +
                       static_cast<unsigned char>(text.back())) %
                      std::size(recent_codes_)];
    if (r.size == text.size() && equal_bytes(r.text, text.data(), text.size())) return r.id;
    if (code_problem(text)) return bad_code;
    code_id id;
    if (const std::optional<code_id> known = out_.codes.find(text)) {
      id = *known;
    } else {
      if (out_.codes.size() >= max_event_codes) return too_many_codes;
      id = out_.codes.intern(text);
      out_.code_first_seen.emplace_back(line, column);
    }
    std::memcpy(r.text, text.data(), text.size());  // at most max_code_length bytes
    r.size = text.size();
    r.id = id;
    return id;
  }

  // Queues the valid id of the row just added: its table slot is fetched
  // from memory now and read 16 rows later (the queue is a ring, so every
  // lookup gets the same head start), while parsing goes on.
  void look_up_later(const char* id, std::size_t size) {
    const std::uint64_t h = hash_id(id, size);
    out_.ids.prefetch(h);
    pending_id& p = pending_[pending_next_ % std::size(pending_)];
    if (pending_size_ == std::size(pending_))
      look_up(p);
    else
      ++pending_size_;
    p = {id, size, scratch_.size() - 1, h};
    ++pending_next_;
  }

  void look_up(const pending_id& p) {
    std::uint32_t handle = out_.ids.find(p.id, p.size, p.hash);
    if (handle == id_table::none) handle = out_.ids.insert(p.id, p.size, p.hash);
    scratch_.households()[p.row] = handle;
  }

  // Looks up the queued ids, oldest first.
  void look_up_pending() {
    for (std::size_t i = pending_next_ - pending_size_; i != pending_next_; ++i)
      look_up(pending_[i % std::size(pending_)]);
    pending_size_ = 0;
  }

  // The handle of a valid household id, or `id_table::none`. An id already
  // in the table was checked when it was added.
  std::uint32_t household_of(std::string_view id) {
    const std::uint64_t h = hash_id(id.data(), id.size());
    const std::uint32_t found = out_.ids.find(id.data(), id.size(), h);
    if (found != id_table::none) return found;
    if (id.empty() || id.size() > max_household_id_length || !is_clean_utf8(id))
      return id_table::none;
    return out_.ids.insert(id.data(), id.size(), h);
  }

  std::string_view field_text(std::size_t i) const noexcept {
    return unquoted_.size() > i && fields_[i].text.data() == nullptr
               ? std::string_view(unquoted_[i])
               : fields_[i].text;
  }

  // Sorts the scratch events into the chunk's columns by local household
  // (stable: input order survives within a household).
  void group_by_household() {
    const std::size_t households = out_.ids.size();
    const std::size_t n = scratch_.size();
    const std::span<const std::uint32_t> of = scratch_.households();
    const std::span<const day> dates = scratch_.dates();
    const std::span<const type_id> types = scratch_.types();
    const std::span<const cents> amounts = scratch_.amounts();
    out_.first.assign(households + 1, 0);
    for (const std::uint32_t h : of) ++out_.first[h + 1];
    for (std::size_t h = 0; h < households; ++h) out_.first[h + 1] += out_.first[h];
    cursor_.assign(out_.first.begin(), out_.first.end() - 1);
    out_.dates = std::make_unique_for_overwrite<day[]>(n);
    out_.type_ids = std::make_unique_for_overwrite<type_id[]>(n);
    out_.amounts_low = std::make_unique_for_overwrite<std::uint32_t[]>(n);
    day lo = n ? dates[0] : 0, hi = lo;
    // The writes land all over the chunk's columns (a journal names another
    // household each row): fetch the lines a few events ahead.
    constexpr std::size_t ahead = 16;
    for (std::size_t i = 0; i < n; ++i) {
      if (i + ahead < n) {
        const std::uint32_t later = cursor_[of[i + ahead]];
        __builtin_prefetch(out_.dates.get() + later, 1);
        __builtin_prefetch(out_.type_ids.get() + later, 1);
        __builtin_prefetch(out_.amounts_low.get() + later, 1);
      }
      const std::uint32_t to = cursor_[of[i]]++;
      const day d = dates[i];
      const cents a = amounts[i];
      out_.dates[to] = d;
      out_.type_ids[to] = types[i];
      out_.amounts_low[to] = static_cast<std::uint32_t>(a);
      if (a > static_cast<cents>(UINT32_MAX)) [[unlikely]]
        out_.large_amounts.emplace_back(to, a);
      lo = std::min(lo, d);
      hi = std::max(hi, d);
    }
    std::sort(out_.large_amounts.begin(), out_.large_amounts.end());
    out_.min_date = lo;
    out_.max_date = hi;
    if (out_.codes.size() > 1) {
      // A second pass, so that ledgers without codes never pay for them.
      const std::span<const code_id> codes = scratch_.codes();
      cursor_.assign(out_.first.begin(), out_.first.end() - 1);
      out_.code_ids = std::make_unique_for_overwrite<code_id[]>(n);
      for (std::size_t i = 0; i < n; ++i) out_.code_ids[cursor_[of[i]]++] = codes[i];
    }
  }

  struct recent_type {
    char name[16] = {};
    std::size_t size = SIZE_MAX;  // matches no name
    type_id id = 0;
  };

  struct recent_code {
    char text[max_code_length] = {};
    std::size_t size = SIZE_MAX;  // matches no code
    code_id id = 0;
  };

  std::string_view text_;
  std::size_t columns_;
  std::size_t code_column_;
  bool reject_bad_rows_;
  chunk_scratch& scratch_;
  parsed_chunk& out_;
  std::size_t pos_ = 0;
  std::uint64_t line_ = 0;
  std::uint64_t row_line_ = 0;
  std::uint64_t extra_lines_ = 0;
  std::uint64_t error_line_ = 0;  // physical line of a quoting error within its row
  std::vector<field> fields_;
  std::vector<std::string> unquoted_;
  std::vector<std::uint32_t> cursor_;
  recent_type recent_types_[16];
  recent_code recent_codes_[8];
  pending_id pending_[16];
  std::size_t pending_size_ = 0;
  std::size_t pending_next_ = 0;  // count of ids ever queued
  // The date of the previous plain row: a journal repeats it row after row.
  // Starts as a real date, so that a match is always right.
  char last_date_text_[10] = {'0', '0', '0', '1', '-', '0', '1', '-', '0', '1'};
  day last_date_ = *parse_date("0001-01-01");
};

}  // namespace earlywarn::detail

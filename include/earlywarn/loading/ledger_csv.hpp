#pragma once
/// \file ledger_csv.hpp
/// Loads the canonical CSV form of a ledger (docs/language.md, Ledger) with located errors
/// (docs/limits.md).

#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "earlywarn/detail/chunked_csv_load.hpp"
#include "earlywarn/detail/csv_chunk_parser.hpp"
#include "earlywarn/detail/file_bytes.hpp"
#include "earlywarn/loading/ledger_load.hpp"
#include "earlywarn/model/ledger.hpp"

namespace earlywarn {

/// How to load a ledger CSV.
struct ledger_csv_options {
  /// Skip bad rows and report them in `ledger_load::rejects` instead of
  /// failing on the first one (the CLI's `--rejects FILE`).
  bool reject_bad_rows = false;
  /// Threads that parse chunks of the file; 0 means one per hardware thread.
  /// The result is the same for any number.
  unsigned threads = 0;
  /// Bytes per chunk; 0 chooses from the file size and `threads`. Any size
  /// gives the same result (tests use tiny ones to cut rows everywhere).
  std::size_t chunk_bytes = 0;
  /// Called now and then, on the calling thread, with bytes parsed so far and the total.
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
};

namespace detail {

/// Reads the header row, after a byte-order mark and blank lines: the column
/// count and the column named `code` (0-based; `no_code_column` without one),
/// or why this is not a ledger. Leaves `pos` and `line` at the first row.
inline std::optional<error> read_ledger_header(std::string_view text, std::size_t& pos,
                                               std::uint64_t& line, std::size_t& columns,
                                               std::size_t& code_column) {
  pos = 0;
  line = 1;
  if (text.size() >= 3 && std::memcmp(text.data(), "\xEF\xBB\xBF", 3) == 0) pos = 3;
  // Skip blank lines before the header: some exports begin with one.
  while (pos < text.size() && (text[pos] == '\n' || text[pos] == '\r')) {
    if (text[pos] == '\n') ++line;
    ++pos;
  }
  if (pos >= text.size())
    return row_error(error_kind::ledger, 0, 0,
                     "empty file: expected a header row 'household,date,type,amount'");
  const void* nl = std::memchr(text.data() + pos, '\n', text.size() - pos);
  const std::size_t end =
      nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) : text.size();
  std::string_view row = text.substr(pos, end - pos);
  if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
  std::size_t count = 0;
  std::size_t start = 0;
  bool good = true;
  std::size_t code = no_code_column;
  std::size_t second_code = no_code_column;
  std::size_t second_code_at = 0;
  for (;;) {
    const std::size_t comma = row.find(',', start);
    const std::string_view name = row.substr(start, comma == row.npos ? row.npos : comma - start);
    if (count < 4 && name != ledger_header_names[count]) good = false;
    if (count >= 4 && name == code_column_name) {
      if (code == no_code_column) {
        code = count;
      } else if (second_code == no_code_column) {
        second_code = count;
        second_code_at = start;
      }
    }
    ++count;
    if (comma == row.npos) break;
    start = comma + 1;
  }
  if (!good || count < 4)
    return row_error(error_kind::ledger, line, 1,
                     "not a ledger CSV: the header must begin "
                     "'household,date,type,amount', found '" +
                         std::string(printable_excerpt(row)) + "'",
                     std::string(row.substr(0, 200)));
  if (second_code != no_code_column)
    return row_error(error_kind::ledger, line, static_cast<std::uint32_t>(second_code_at + 1),
                     "the header names two columns 'code' (columns " + std::to_string(code + 1) +
                         " and " + std::to_string(second_code + 1) +
                         "); a ledger has one column of event codes",
                     std::string(row.substr(0, 200)));
  columns = count;
  code_column = code;
  pos = end < text.size() ? end + 1 : end;
  ++line;
  return std::nullopt;
}

}  // namespace detail

/// Parses ledger CSV text already in memory, in chunks on `options.threads`
/// threads; the ledger, errors and rejects are those of one pass over the text.
inline ledger_load parse_ledger_csv(std::string_view text, const ledger_csv_options& options = {}) {
  std::size_t body = 0;
  std::uint64_t line = 1;
  std::size_t columns = 0;
  std::size_t code_column = detail::no_code_column;
  if (auto error = detail::read_ledger_header(text, body, line, columns, code_column)) {
    ledger_load out;
    out.error = std::move(error);
    return out;
  }
  return detail::load_chunks(text, body, line, columns, code_column, options.reject_bad_rows,
                             options.threads, options.chunk_bytes, options.progress);
}

/// Loads a ledger CSV file (memory-mapped); `-` is not special here. Its
/// error and rejects name `path` as their file.
inline ledger_load load_ledger_csv(const std::string& path,
                                   const ledger_csv_options& options = {}) {
  detail::file_bytes bytes;
  std::string reason;
  ledger_load out;
  if (!bytes.open(path, reason))
    out.error = row_error(error_kind::io, 0, 0, "cannot read the ledger: " + reason);
  else
    out = parse_ledger_csv(bytes.view(), options);
  if (out.error) out.error->file = path;
  for (error& r : out.rejects) r.file = path;
  return out;
}

}  // namespace earlywarn

#pragma once
// Parses the rows of a ledger CSV in chunks on several threads and merges
// them, with the same ledger, errors, rejects and line numbers as one pass
// over the whole file.
//
// Where to cut. The rows are cut at line breaks into chunks of about
// `chunk_bytes`. A line break inside a quoted field (an id holding one) is
// not a row boundary, and no local scan can tell it from one: quote parity
// counted from the start of the file would need a serial pass, and is not
// even the parser's notion of a row start, because after a malformed quote
// the parser resumes at the next physical line whatever the parity. So each
// chunk is parsed speculatively from its cut, and the chunks are then checked
// in file order. A chunk is kept when the previous chunk's last row ends
// exactly at its cut: the cut is then a row start of the one-pass parse, and
// the parser, whose only state between rows is its position, finds the same
// rows (line numbers are counted from the chunk's first line and shifted
// here). Otherwise a quoted line break spans the cut, and the chunk is parsed
// again, on the calling thread, from where the previous row really ended.
// Plain ledgers never pay for this; a ledger full of quoted line breaks
// loses part of its parallelism but never its exactness.
//
// Errors. Without rejects the first bad row in file order stops the load: a
// chunk after one that found a bad row is not parsed, unless the checks
// above show that the bad row was not a real row and the later chunk is needed.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <mutex>
#include <string_view>
#include <vector>

#include "earlywarn/detail/chunk_merge.hpp"
#include "earlywarn/detail/csv_chunk_parser.hpp"
#include "earlywarn/detail/id_table.hpp"
#include "earlywarn/detail/task_pool.hpp"
#include "earlywarn/loading/ledger_load.hpp"

namespace earlywarn::detail {

/// The largest chunk: its events must be numbered in 32 bits.
inline constexpr std::size_t max_chunk_bytes = std::size_t{1} << 30;

/// Chunk size when the caller gives none: a few chunks per thread, so that a
/// core slowed by other work does not hold up the end; at least 4 MiB, so that
/// each chunk's household table stays small beside its events; at most 64 MiB,
/// the size of the per-thread scratch.
inline std::size_t automatic_chunk_bytes(std::size_t bytes, unsigned threads) noexcept {
  return std::clamp<std::size_t>(bytes / (std::size_t{4} * threads) + 1, std::size_t{4} << 20,
                                 std::size_t{64} << 20);
}

/// Where the chunks of text[body, size) start: `body`, then the first line
/// start at or after every further `chunk_bytes`.
inline std::vector<std::size_t> chunk_starts(std::string_view text, std::size_t body,
                                             std::size_t chunk_bytes) {
  std::vector<std::size_t> starts;
  if (body >= text.size()) return starts;
  starts.push_back(body);
  for (;;) {
    const std::size_t target = starts.back() + chunk_bytes;
    if (target >= text.size()) break;
    const void* nl = std::memchr(text.data() + target - 1, '\n', text.size() - (target - 1));
    if (nl == nullptr) break;
    const auto start = static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) + 1;
    if (start >= text.size()) break;
    starts.push_back(start);
  }
  return starts;
}

/// Loads the rows of text[body, size); `first_line` is the line number of
/// `body`, `columns` the header's column count, `code_column` its column of
/// event codes (or `no_code_column`).
inline ledger_load load_chunks(std::string_view text, std::size_t body, std::uint64_t first_line,
                               std::size_t columns, std::size_t code_column, bool reject_bad_rows,
                               unsigned threads, std::size_t chunk_bytes,
                               const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
  const unsigned workers = thread_count(threads);
  if (chunk_bytes == 0) chunk_bytes = automatic_chunk_bytes(text.size() - body, workers);
  chunk_bytes = std::min(chunk_bytes, max_chunk_bytes);
  const std::vector<std::size_t> starts = chunk_starts(text, body, chunk_bytes);
  const std::size_t n = starts.size();
  auto end_of = [&](std::size_t k) { return k + 1 < n ? starts[k + 1] : text.size(); };

  std::vector<parsed_chunk> chunks(n);
  std::vector<chunk_scratch> scratch(std::max<std::size_t>(1, std::min<std::size_t>(workers, n)));
  // Ledger-wide household handles, in whatever order chunks finish: the
  // ledger orders households by id, so these numbers never show.
  id_table households;
  std::mutex households_mutex;

  auto parse = [&](std::size_t k, std::size_t begin, unsigned worker) {
    parsed_chunk& c = chunks[k];
    csv_chunk_parser(text, columns, code_column, reject_bad_rows, scratch[worker], c)
        .run(begin, end_of(k));
    if (c.failure) return;
    try {
      c.households.resize(c.ids.size());
      const std::lock_guard lock(households_mutex);
      for (std::uint32_t i = 0; i < c.ids.size(); ++i) {
        const std::string_view id = c.ids.id(i);
        const std::uint64_t h = hash_id(id.data(), id.size());
        const std::uint32_t found = households.find(id.data(), id.size(), h);
        c.households[i] =
            found != id_table::none ? found : households.insert(id.data(), id.size(), h);
      }
    } catch (...) {
      c.failure = std::current_exception();
    }
    c.ids = id_table{};
  };

  std::atomic<std::size_t> first_error{n};
  std::atomic<std::uint64_t> done{body};
  run_tasks(
      n, workers,
      [&](std::size_t k, unsigned worker) {
        if (reject_bad_rows || k < first_error.load()) {
          parse(k, starts[k], worker);
          if (chunks[k].error) {
            std::size_t seen = first_error.load();
            while (k < seen && !first_error.compare_exchange_weak(seen, k)) {
            }
          }
        }
        done.fetch_add(end_of(k) - starts[k]);
      },
      [&] {
        if (progress) progress(done.load(), text.size());
      });

  ledger_load out;
  type_table types;
  code_table codes;
  std::vector<parsed_chunk*> kept;
  std::size_t pos = body;
  std::uint64_t line = first_line;
  for (std::size_t k = 0; k < n; ++k) {
    parsed_chunk& c = chunks[k];
    if (pos >= end_of(k)) {  // the previous chunk's last row covers this one
      c = parsed_chunk{};
      continue;
    }
    if (!c.parsed || c.begin != pos) parse(k, pos, 0);
    if (c.failure) std::rethrow_exception(c.failure);
    c.type_map.resize(c.types.size());
    for (std::size_t t = 0; t < c.types.size(); ++t) {
      const std::string_view name = c.types.name(static_cast<type_id>(t));
      if (types.full() && !types.find(name)) {
        // Every chunk fits the limit alone but together they do not: the
        // first row naming a type past it, in file order, is at fault. Types
        // get local ids in order of first use, and a stopped chunk named
        // none after its error row.
        const auto [at_line, at_column] = c.type_first_seen[t - builtin_type::count];
        if (!c.error || c.error->line > at_line)
          c.error = row_error(error_kind::ledger, at_line, at_column,
                              std::string(too_many_types_message));
        break;
      }
      const std::size_t before = types.size();
      c.type_map[t] = types.intern(name);
      if (types.size() > before) {
        // New to the ledger: this chunk holds its first row in file order.
        out.type_first_line.resize(types.size(), 0);
        out.type_first_line[c.type_map[t]] =
            line + c.type_first_seen[t - builtin_type::count].first;
      }
    }
    // Codes as types: ledger ids in order of first use in the file, and the
    // first row past the limit in file order at fault.
    c.code_map.assign(c.codes.size(), 0);
    for (std::size_t k = 1; k < c.codes.size(); ++k) {
      const std::string_view name = c.codes.name(static_cast<code_id>(k));
      if (codes.size() >= max_event_codes && !codes.find(name)) {
        const auto [at_line, at_column] = c.code_first_seen[k - 1];
        if (!c.error || c.error->line > at_line)
          c.error = row_error(error_kind::ledger, at_line, at_column,
                              std::string(too_many_codes_message));
        break;
      }
      c.code_map[k] = codes.intern(name);
    }
    for (error& r : c.rejects) {
      if (c.error && r.line > c.error->line) break;
      r.line += line;
      out.rejects.push_back(std::move(r));
    }
    if (c.error) {
      out.error = std::move(c.error);
      out.error->line += line;
      out.rows_accepted += c.rows_accepted;
      return out;
    }
    out.rows_accepted += c.rows_accepted;
    line += c.lines;
    pos = c.stop;
    kept.push_back(&c);
  }
  std::vector<chunk_scratch>().swap(scratch);
  out.type_first_line.resize(types.size(), 0);
  out.events = chunk_merge::merge(kept, households, std::move(types), std::move(codes), workers);
  if (const auto h = household_beyond_total(out.events)) {
    out.error =
        row_error(error_kind::ledger, 0, 0, beyond_total_message(out.events.household_id(*h)));
    out.events = ledger{};
  }
  if (progress) progress(text.size(), text.size());
  return out;
}

}  // namespace earlywarn::detail

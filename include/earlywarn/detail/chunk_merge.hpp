#pragma once
// Merges parsed chunks, in file order, into one ledger: households ordered by
// id, each household's events in input order (earlier chunks first, and
// within a chunk as read), then sorted by date, exactly as `ledger_builder`
// orders the same events read one by one.
//
// Memory: the chunks hold their events grouped by household in 10 bytes an
// event (dates, types, the low half of amounts); the ledger's columns take 14.
// The merge fills one ledger column at a time from every chunk and frees that
// chunk column at once, so the peak is the ledger plus the chunks' amounts,
// 18 bytes an event, not the 28 of holding both copies whole. Event codes,
// when some event has one, add 2 bytes an event on each side.

#include <algorithm>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "earlywarn/detail/csv_chunk_parser.hpp"
#include "earlywarn/detail/id_table.hpp"
#include "earlywarn/detail/task_pool.hpp"
#include "earlywarn/model/ledger.hpp"

namespace earlywarn::detail {

class chunk_merge {
 public:
  /// Builds the ledger from `chunks` (in file order; `households` maps their
  /// ledger-wide handles to ids, `type_map` their types to `types`, `code_map`
  /// their codes to `codes`). Empties the chunks as it goes.
  static ledger merge(std::span<parsed_chunk*> chunks, const id_table& households, type_table types,
                      code_table codes, unsigned threads) {
    ledger_columns out;
    const std::vector<std::uint32_t> rank = order_households(chunks, households, out);
    const std::size_t household_total = out.offsets.size() - 1;
    const std::size_t events = out.offsets.back();

    // Where each chunk's segment of a household goes: after the same
    // household's events from earlier chunks.
    std::vector<std::uint64_t> cursor(households.size());
    for (std::size_t g = 0; g < households.size(); ++g)
      if (rank[g] != unranked) cursor[g] = out.offsets[rank[g]];
    std::vector<std::vector<std::uint64_t>> destination(chunks.size());
    for (std::size_t c = 0; c < chunks.size(); ++c) {
      const parsed_chunk& chunk = *chunks[c];
      std::vector<std::uint64_t>& to = destination[c];
      to.resize(chunk.households.size());
      for (std::size_t i = 0; i < to.size(); ++i) {
        to[i] = cursor[chunk.households[i]];
        cursor[chunk.households[i]] += chunk.first[i + 1] - chunk.first[i];
      }
    }
    cursor = {};

    auto each_chunk = [&](auto&& copy) {
      run_tasks(chunks.size(), threads, [&](std::size_t c, unsigned) {
        const parsed_chunk& chunk = *chunks[c];
        for (std::size_t i = 0; i < chunk.households.size(); ++i)
          copy(*chunks[c], chunk.first[i], chunk.first[i + 1], destination[c][i]);
      });
    };
    out.dates.resize(events);
    each_chunk([&](const parsed_chunk& chunk, std::size_t b, std::size_t e, std::uint64_t to) {
      std::copy(chunk.dates.get() + b, chunk.dates.get() + e, out.dates.begin() + to);
    });
    for (parsed_chunk* chunk : chunks) chunk->dates.reset();
    out.types.resize(events);
    each_chunk([&](const parsed_chunk& chunk, std::size_t b, std::size_t e, std::uint64_t to) {
      for (std::size_t i = b; i < e; ++i) out.types[to++] = chunk.type_map[chunk.type_ids[i]];
    });
    for (parsed_chunk* chunk : chunks) chunk->type_ids.reset();
    if (codes.size() > 1) {
      out.codes.resize(events);
      each_chunk([&](const parsed_chunk& chunk, std::size_t b, std::size_t e, std::uint64_t to) {
        if (!chunk.code_ids) {
          std::fill(out.codes.begin() + to, out.codes.begin() + to + (e - b), code_id{0});
          return;
        }
        for (std::size_t i = b; i < e; ++i) out.codes[to++] = chunk.code_map[chunk.code_ids[i]];
      });
      for (parsed_chunk* chunk : chunks) chunk->code_ids.reset();
    }
    out.amounts.resize(events);
    each_chunk([&](const parsed_chunk& chunk, std::size_t b, std::size_t e, std::uint64_t to) {
      std::copy(chunk.amounts_low.get() + b, chunk.amounts_low.get() + e, out.amounts.begin() + to);
    });
    for (std::size_t c = 0; c < chunks.size(); ++c) {
      // Large amounts are rare; find each one's household by binary search.
      const parsed_chunk& chunk = *chunks[c];
      for (const auto& [at, amount] : chunk.large_amounts) {
        const auto i = static_cast<std::size_t>(
            std::upper_bound(chunk.first.begin(), chunk.first.end(), at) - chunk.first.begin() - 1);
        out.amounts[destination[c][i] + (at - chunk.first[i])] = amount;
      }
    }
    destination = {};
    bool any = false;
    for (parsed_chunk* chunk : chunks) {
      if (chunk->event_count() > 0) {
        out.first = any ? std::min(out.first, chunk->min_date) : chunk->min_date;
        out.last = any ? std::max(out.last, chunk->max_date) : chunk->max_date;
        any = true;
      }
      *chunk = parsed_chunk{};
    }

    constexpr std::size_t households_per_task = 4096;
    run_tasks((household_total + households_per_task - 1) / households_per_task, threads,
              [&](std::size_t task, unsigned) {
                const std::size_t first = task * households_per_task;
                out.sort_by_date(first, std::min(household_total, first + households_per_task));
              });
    out.type_names = std::move(types);
    out.code_names = std::move(codes);
    return ledger(std::move(out));
  }

 private:
  static constexpr std::uint32_t unranked = UINT32_MAX;

  // Gives every household with events its place in id order (`unranked` for
  // handles that a discarded speculative chunk added but no event uses), and
  // fills the ledger's ids and offsets.
  static std::vector<std::uint32_t> order_households(std::span<parsed_chunk*> chunks,
                                                     const id_table& households,
                                                     ledger_columns& out) {
    std::vector<std::uint64_t> total(households.size(), 0);
    for (const parsed_chunk* chunk : chunks)
      for (std::size_t i = 0; i < chunk->households.size(); ++i)
        total[chunk->households[i]] += chunk->first[i + 1] - chunk->first[i];
    std::vector<std::uint32_t> by_id;
    for (std::uint32_t g = 0; g < households.size(); ++g)
      if (total[g] > 0) by_id.push_back(g);
    std::sort(by_id.begin(), by_id.end(), [&](std::uint32_t a, std::uint32_t b) {
      return households.id(a) < households.id(b);
    });
    std::vector<std::uint32_t> rank(households.size(), unranked);
    std::size_t chars = 0;
    for (const std::uint32_t g : by_id) chars += households.id(g).size();
    out.id_chars.reserve(chars);
    out.id_offsets.reserve(by_id.size() + 1);
    out.offsets.reserve(by_id.size() + 1);
    for (std::uint32_t r = 0; r < by_id.size(); ++r) {
      rank[by_id[r]] = r;
      const std::string_view id = households.id(by_id[r]);
      out.id_chars.insert(out.id_chars.end(), id.begin(), id.end());
      out.id_offsets.push_back(out.id_chars.size());
      out.offsets.push_back(out.offsets.back() + total[by_id[r]]);
    }
    return rank;
  }
};

}  // namespace earlywarn::detail

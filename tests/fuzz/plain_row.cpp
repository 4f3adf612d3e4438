// The stream's fast path for one ledger row against the batch loader:
// whatever read_plain_row accepts, the loader accepts as the same event
// (household, date, type, amount, code). Rows it refuses go to the loader, so
// refusing is always allowed. The first byte chooses the header's column
// count (4-11, its low 3 bits) and which extra column, if any, is `code`
// (the next 3); the row is the rest, up to its first line break.

#include "earlywarn/detail/plain_row.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "earlywarn/loading/ledger_csv.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using earlywarn::fuzz::finding;
  earlywarn::fuzz::input_bytes input(data, size);
  const std::uint8_t shape = input.take();
  const std::size_t columns = 4 + (shape & 7);
  const std::size_t code_pick = 4 + ((shape >> 3) & 7);
  const std::size_t code_column =
      code_pick < columns ? code_pick : earlywarn::detail::no_code_column;
  std::string_view row = input.rest();
  row = row.substr(0, row.find('\n'));
  const auto fast = earlywarn::detail::read_plain_row(row, columns, code_column);
  if (!fast) return 0;

  std::string text = "household,date,type,amount";
  for (std::size_t i = 4; i < columns; ++i)
    text += i == code_column ? std::string(",code") : ",extra" + std::to_string(i);
  text += '\n';
  text += row;
  text += '\n';
  earlywarn::ledger_csv_options options;
  options.threads = 1;
  const earlywarn::ledger_load load = earlywarn::parse_ledger_csv(text, options);
  if (!load.ok()) finding("the fast path took a row the loader refuses: " + load.error->message);
  const earlywarn::ledger& l = load.events;
  if (l.household_count() != 1 || l.event_count() != 1)
    finding("the loader did not read the row as one event");
  const earlywarn::household_events ev = l.events(0);
  if (l.household_id(0) != fast->household) finding("different household ids");
  if (ev.dates[0] != fast->date) finding("different dates");
  if (l.types().name(ev.types[0]) != fast->type) finding("different types");
  if (ev.amounts[0] != fast->amount) finding("different amounts");
  if (l.codes().name(ev.code(0)) != fast->code) finding("different codes");
  return 0;
}

// The CSV loader, differential: the chunked load on several threads (thread
// count, chunk size and rejects mode from the first input bytes, the ledger
// text after them) must give what one pass on one thread gives: the same
// ledger, the same first error, the same rejects.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "earlywarn/detail/csv_chunk_parser.hpp"
#include "earlywarn/loading/ledger_csv.hpp"
#include "fuzz_support.hpp"

namespace {

using earlywarn::fuzz::finding;

bool same_error(const earlywarn::error& a, const earlywarn::error& b) {
  return a.line == b.line && a.column == b.column && a.message == b.message && a.text == b.text;
}

template <class T>
bool same_column(std::span<const T> a, std::span<const T> b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

void expect_same(const earlywarn::ledger_load& one_pass, const earlywarn::ledger_load& chunked) {
  if (one_pass.ok() != chunked.ok()) finding("one load failed, the other did not");
  if (!one_pass.ok() && !same_error(*one_pass.error, *chunked.error))
    finding("different errors: '" + one_pass.error->message + "' against '" +
            chunked.error->message + "'");
  if (one_pass.rows_accepted != chunked.rows_accepted) finding("different rows accepted");
  if (one_pass.rejects.size() != chunked.rejects.size()) finding("different reject counts");
  for (std::size_t i = 0; i < one_pass.rejects.size(); ++i)
    if (!same_error(one_pass.rejects[i], chunked.rejects[i])) finding("different rejects");
  const earlywarn::ledger& a = one_pass.events;
  const earlywarn::ledger& b = chunked.events;
  if (a.household_count() != b.household_count()) finding("different household counts");
  for (earlywarn::household_index h = 0; h < a.household_count(); ++h)
    if (a.household_id(h) != b.household_id(h)) finding("different household ids");
  if (!same_column(a.offsets(), b.offsets()) || !same_column(a.dates(), b.dates()) ||
      !same_column(a.type_ids(), b.type_ids()) || !same_column(a.amounts(), b.amounts()))
    finding("different event columns");
  if (a.types().size() != b.types().size()) finding("different type tables");
  for (earlywarn::type_id t = 0; t < a.types().size(); ++t)
    if (a.types().name(t) != b.types().name(t)) finding("different type names");
  if (!same_column(a.code_ids(), b.code_ids())) finding("different code columns");
  if (a.codes().size() != b.codes().size()) finding("different code tables");
  for (std::size_t c = 0; c < a.codes().size(); ++c)
    if (a.codes().name(static_cast<earlywarn::code_id>(c)) !=
        b.codes().name(static_cast<earlywarn::code_id>(c)))
      finding("different code names");
  if (a.first_date() != b.first_date() || a.last_date() != b.last_date())
    finding("different first or last dates");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  earlywarn::fuzz::input_bytes input(data, size);
  const std::uint8_t setting = input.take();
  const std::uint8_t chunk = input.take();
  earlywarn::ledger_csv_options one_pass;
  one_pass.reject_bad_rows = (setting & 1) != 0;
  one_pass.threads = 1;
  one_pass.chunk_bytes = earlywarn::detail::max_chunk_bytes;
  earlywarn::ledger_csv_options chunked = one_pass;
#ifdef EARLYWARN_FUZZ_ONE_THREAD
  // fuzz_ledger_csv_cuts: the chunk cuts alone, on the calling thread. Once a
  // process under AddressSanitizer has started threads, every execution runs
  // about four times slower, so the cuts are fuzzed deeper here
  // (docs/fuzzing.md).
  chunked.threads = 1;
#else
  chunked.threads = 1 + ((setting >> 1) & 3);  // 1-4 threads
#endif
  chunked.chunk_bytes = 1 + chunk;             // 1-256 bytes: cuts inside rows and quotes
  const std::string_view text = input.rest();
  expect_same(earlywarn::parse_ledger_csv(text, one_pass),
              earlywarn::parse_ledger_csv(text, chunked));
  return 0;
}

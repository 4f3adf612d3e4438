// Checkpoint restore on arbitrary bytes. The first byte chooses the mode:
// - even: the rest is a whole state file, checked as read from disk;
// - odd: the rest is a payload, which the harness frames with the magic,
//   format, length and a valid checksum, so mutations reach the reader of
//   the state itself instead of stopping at the checksum.
// A restore either fails with a message and leaves the engine untouched, or
// gives an engine that saves, restores and saves again to the same bytes and
// then runs on (advances, takes an event, finishes).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "checkpoint_rules.hpp"
#include "earlywarn/loading/load_rules.hpp"
#include "earlywarn/streaming/checkpoint.hpp"
#include "fuzz_support.hpp"

namespace {

using earlywarn::fuzz::finding;

// The rules the seed states were saved under; a state is tied to its rules'
// fingerprint, so mutations of other rules' states would stop there.
const earlywarn::ruleset& fixed_rules() {
  static const earlywarn::ruleset rules = [] {
    earlywarn::rules_load load = earlywarn::fuzz::checkpoint_rules();
    if (!load.ok()) finding("tests/fuzz/checkpoint.rules does not load: " + load.report());
    return std::move(*load.rules);
  }();
  return rules;
}

std::string framed(std::string_view payload) {
  earlywarn::detail::byte_writer file;
  file.bytes() = std::string(earlywarn::detail::checkpoint_magic,
                             sizeof earlywarn::detail::checkpoint_magic - 1);
  file.put<std::uint32_t>(earlywarn::detail::checkpoint_format);
  file.put<std::uint64_t>(payload.size());
  file.bytes() += payload;
  file.put<std::uint64_t>(earlywarn::detail::fnv1a(file.bytes()));
  return std::move(file.bytes());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  earlywarn::fuzz::input_bytes input(data, size);
  const bool frame = (input.take() & 1) != 0;
  const std::string bytes = frame ? framed(input.rest()) : std::string(input.rest());
  const earlywarn::ruleset& rules = fixed_rules();

  earlywarn::stream_engine engine(rules);
  earlywarn::checkpoint_position position;
  // The rules a state names are read without the rest: any bytes, no crash.
  earlywarn::rules_source named;
  const bool names_rules = !earlywarn::stream_checkpoint::saved_rules(bytes, named);
  if (const auto error = earlywarn::stream_checkpoint::restore(engine, bytes, position)) {
    if (error->message.empty()) finding("a refused state without a reason");
    if (engine.started() || engine.household_count() != 0 || engine.event_count() != 0)
      finding("a refused state changed the engine: " + error->message);
    return 0;
  }

  if (!names_rules || named.fingerprint != rules.fingerprint)
    finding("a state that restores does not name the rules it was saved under");
  const std::string saved = earlywarn::stream_checkpoint::serialize(engine, position);
  earlywarn::stream_engine again(rules);
  earlywarn::checkpoint_position again_position;
  if (const auto error = earlywarn::stream_checkpoint::restore(again, saved, again_position))
    finding("a restored state saved again does not restore: " + error->message);
  if (earlywarn::stream_checkpoint::serialize(again, again_position) != saved)
    finding("a restored state saved twice gives different bytes");

  // On within the calendar: a restored clock may stand at its last day,
  // beyond which advance() and push() refuse dates (as they should).
  std::vector<earlywarn::alert> alerts;
  const earlywarn::day clock = engine.clock();
  engine.advance(std::min(clock + 40, earlywarn::last_stream_date), alerts);
  if (engine.push("fuzz-household", std::min(clock + 41, earlywarn::last_stream_date), "charge",
                  12345, alerts) != earlywarn::push_result::accepted)
    finding("an event dated after the restored clock was refused as too old");
  engine.finish(alerts);
  return 0;
}

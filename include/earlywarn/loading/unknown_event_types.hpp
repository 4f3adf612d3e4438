#pragma once
/// \file unknown_event_types.hpp
/// Event types of a ledger that neither the built-in types nor the rules know.
/// Any such name is a legal neutral event (letters, notices), but a misspelt
/// `paymnet` is one too: the household then looks as if it never paid. So
/// they are reported, with the nearest known name, for the user to declare
/// (`event letter neutral`) or to correct.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "earlywarn/loading/diagnostic.hpp"
#include "earlywarn/model/event_type.hpp"
#include "earlywarn/model/ledger.hpp"
#include "earlywarn/model/ruleset.hpp"

namespace earlywarn {

/// An event type that occurs in a ledger and that nothing knows.
struct unknown_event_type {
  type_id type = 0;          ///< its id in the ledger
  std::string name;          ///< as the ledger spells it
  std::uint64_t events = 0;  ///< how many events carry it
  std::string suggestion;    ///< the known name it is likely a typo of, or empty
};

/// What a loader does about unknown event types (`--unknown-types`).
enum class unknown_type_policy : std::uint8_t {
  ignore,  ///< say nothing
  warn,    ///< report them and go on (the default)
  error,   ///< report them and stop
};

/// The policy named `ignore`, `warn` or `error`, if `name` is one.
constexpr std::optional<unknown_type_policy> parse_unknown_type_policy(
    std::string_view name) noexcept {
  if (name == "ignore") return unknown_type_policy::ignore;
  if (name == "warn") return unknown_type_policy::warn;
  if (name == "error") return unknown_type_policy::error;
  return std::nullopt;
}

/// The event type names known without looking at a ledger: the built-in types
/// and, with `rules` (may be null), the types they declare and those their
/// functions read (`count(letter, 90d)`).
inline std::vector<std::string> known_event_types(const ruleset* rules) {
  std::vector<std::string> known(builtin_type_names.begin(), builtin_type_names.end());
  if (rules != nullptr) {
    for (const event_declaration& e : rules->events) known.push_back(e.name);
    for (const term& t : rules->terms) {
      t.for_each_type([&](const std::string& name) { known.push_back(name); });
    }
  }
  return known;
}

/// The event types that occur in `events` and that neither the built-in types
/// nor `rules` (null: the built-in types only) know, by type id: for a ledger
/// loaded from CSV, in the order they first appear in the file.
inline std::vector<unknown_event_type> unknown_event_types(const ledger& events,
                                                           const ruleset* rules = nullptr) {
  const std::size_t type_count = events.types().size();
  std::vector<std::uint64_t> counts(type_count, 0);
  for (const type_id t : events.type_ids()) ++counts[t];
  const std::vector<std::string> known = known_event_types(rules);
  std::vector<unknown_event_type> out;
  for (std::size_t id = builtin_type::count; id < type_count; ++id) {
    if (counts[id] == 0) continue;  // named only by a rejected row
    const std::string_view name = events.types().name(static_cast<type_id>(id));
    bool is_known = false;
    for (const std::string& k : known) is_known = is_known || k == name;
    if (is_known) continue;
    out.push_back(
        {static_cast<type_id>(id), std::string(name), counts[id], nearest_name(name, known)});
  }
  return out;
}

/// What to do about the unknown type `name`: `; did you mean 'payment'?` with
/// a near known name (`suggestion`), else how to make a deliberate neutral
/// type known.
inline std::string unknown_type_hint(std::string_view name, std::string_view suggestion) {
  if (!suggestion.empty()) return "; did you mean '" + std::string(suggestion) + "'?";
  return "; it counts as a neutral event: declare it in the rules ('event " + std::string(name) +
         " neutral') if that is meant";
}

/// `unknown event type 'paymnet' (3 events); did you mean 'payment'?`, or,
/// without a near name, how to make a deliberate neutral type known.
inline std::string describe(const unknown_event_type& u) {
  return "unknown event type '" + u.name + "' (" + std::to_string(u.events) +
         (u.events == 1 ? " event" : " events") + ")" + unknown_type_hint(u.name, u.suggestion);
}

}  // namespace earlywarn

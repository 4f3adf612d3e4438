#pragma once
/// \file event_type.hpp
/// Event types and their effect on the balance (docs/language.md, Ledger).

#include <array>
#include <cstdint>
#include <string_view>

namespace earlywarn {

/// Index of an event type within one ledger's type table.
using type_id = std::uint16_t;

/// How an event of a type moves the balance.
enum class balance_effect : std::int8_t { decreases = -1, neutral = 0, increases = 1 };

/// The built-in types, with fixed ids in every ledger.
namespace builtin_type {
inline constexpr type_id charge = 0;
inline constexpr type_id payment = 1;
inline constexpr type_id credit = 2;
inline constexpr type_id plan = 3;
inline constexpr type_id contact = 4;
inline constexpr type_id count = 5;
}  // namespace builtin_type

/// Names of the built-in types, indexed by their ids.
inline constexpr std::array<std::string_view, builtin_type::count> builtin_type_names = {
    "charge", "payment", "credit", "plan", "contact"};

/// The effect of a built-in type; `neutral` for any other id.
constexpr balance_effect builtin_effect(type_id id) noexcept {
  switch (id) {
    case builtin_type::charge:
      return balance_effect::increases;
    case builtin_type::payment:
    case builtin_type::credit:
      return balance_effect::decreases;
    default:
      return balance_effect::neutral;
  }
}

/// True when an event of this built-in type must carry an amount.
constexpr bool builtin_requires_amount(type_id id) noexcept {
  return id == builtin_type::charge || id == builtin_type::payment || id == builtin_type::credit ||
         id == builtin_type::plan;
}

/// Most distinct event types one ledger may hold, built-ins included. Type ids
/// are 16 bits; stopping one short of 65,536 keeps the count itself in 16 bits.
inline constexpr std::size_t max_event_types = 65'535;

/// The error for a ledger that names more types than `max_event_types`.
inline constexpr std::string_view too_many_types_message =
    "too many distinct event types (the limit is 65,535 per ledger, built-ins included)";

/// Longest accepted event type name, in bytes.
inline constexpr std::size_t max_type_name_length = 64;

/// True for names of the form `[a-z][a-z0-9_]*` (at most 64 bytes).
constexpr bool is_valid_type_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > max_type_name_length) return false;
  if (name.front() < 'a' || name.front() > 'z') return false;
  for (const char ch : name) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace earlywarn

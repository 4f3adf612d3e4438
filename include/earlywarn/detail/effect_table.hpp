#pragma once
/// \file effect_table.hpp
/// The balance effect of each of a ledger's event types under a ruleset.

#include <cstdint>
#include <vector>

#include "earlywarn/model/ledger.hpp"
#include "earlywarn/model/ruleset.hpp"

namespace earlywarn {

/// Balance effects indexed by the ledger's type ids: the built-in effects plus
/// the custom types a ruleset declares (`event benefit_clawback increases`),
/// and which types it declares scheduled (docs/language.md, Scheduled events).
class effect_table {
 public:
  /// Built-in effects only.
  explicit effect_table(const type_table& types) : effects_(types.size()) {
    for (std::size_t id = 0; id < types.size(); ++id)
      effects_[id] = builtin_effect(static_cast<type_id>(id));
  }
  /// Built-in effects plus the ruleset's declarations.
  effect_table(const type_table& types, const ruleset& rules)
      : effects_(types.size()), scheduled_(types.size()) {
    for (std::size_t id = 0; id < types.size(); ++id) {
      effects_[id] = rules.effect_of(types.name(static_cast<type_id>(id)));
      scheduled_[id] = rules.is_scheduled(types.name(static_cast<type_id>(id))) ? 1 : 0;
    }
  }
  /// The effect of a type; neutral for types added to the table after it was made.
  balance_effect operator[](type_id id) const noexcept {
    return id < effects_.size() ? effects_[id] : balance_effect::neutral;
  }
  /// Whether the ruleset declares the type scheduled; false for types added
  /// to the table after it was made.
  bool scheduled(type_id id) const noexcept {
    return id < scheduled_.size() && scheduled_[id] != 0;
  }
  /// The signed amount an event moves the balance by.
  cents signed_amount(type_id id, cents amount) const noexcept {
    return static_cast<cents>(static_cast<std::int8_t>((*this)[id])) * amount;
  }

 private:
  std::vector<balance_effect> effects_;
  std::vector<std::uint8_t> scheduled_;  // empty for built-in effects only
};

}  // namespace earlywarn

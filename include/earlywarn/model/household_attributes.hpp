#pragma once
/// \file household_attributes.hpp
/// Facts about households that are not events: a tenancy type, the weekly
/// rent, a vulnerability flag, the district (docs/language.md, Household
/// attributes). Kept as the text they were given in; a ruleset's
/// declarations give them kinds when it is bound (attribute_facts.hpp).

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "earlywarn/model/error.hpp"

namespace earlywarn {

/// A table of household attributes: per household id, per attribute name, a
/// text (empty: no value). Households and names come in any order; a name
/// need not be one a ruleset declares (a district shown in the worklist).
class household_attributes {
 public:
  /// Sets attribute `name` of `household` to `text`; an empty text is no
  /// value. Throws std::invalid_argument for an empty household id or name.
  void set(std::string_view household, std::string_view name, std::string_view text) {
    if (household.empty())
      throw invalid_input(error_kind::attributes, "an attribute's household id is empty");
    if (name.empty()) throw invalid_input(error_kind::attributes, "an attribute's name is empty");
    const std::uint32_t row = add_household(household);
    const std::uint32_t column = add_column(name);
    std::vector<std::uint32_t>& cells = cells_[column];
    if (cells.size() <= row) cells.resize(ids_.size(), 0);
    cells[row] = text.empty() ? 0 : intern(column, text);
  }

  /// Adds attribute `name` with no value for any household (a file's
  /// column, even when it has no rows); returns its column.
  std::uint32_t add_name(std::string_view name) {
    if (name.empty()) throw invalid_input(error_kind::attributes, "an attribute's name is empty");
    return add_column(name);
  }

  /// The attribute names, in the order first set or added.
  const std::vector<std::string>& names() const noexcept { return names_; }
  /// The column of attribute `name`, if any household has it.
  std::optional<std::uint32_t> find_column(std::string_view name) const {
    const auto it = columns_.find(name);
    return it == columns_.end() ? std::nullopt : std::optional<std::uint32_t>(it->second);
  }

  /// Households with some attribute set, in the order first set.
  std::size_t household_count() const noexcept { return ids_.size(); }
  std::string_view household_id(std::uint32_t row) const noexcept { return ids_[row]; }
  /// The row of `household`, if it has attributes.
  std::optional<std::uint32_t> find_household(std::string_view household) const {
    const auto it = rows_.find(household);
    return it == rows_.end() ? std::nullopt : std::optional<std::uint32_t>(it->second);
  }

  /// The text of attribute `column` of household `row`; empty for no value.
  std::string_view text(std::uint32_t row, std::uint32_t column) const noexcept {
    const std::vector<std::uint32_t>& cells = cells_[column];
    if (row >= cells.size() || cells[row] == 0) return {};
    return texts_[column][cells[row] - 1];
  }

  /// Bytes held (texts are held once per attribute, however many households share them).
  std::size_t memory_bytes() const noexcept {
    std::size_t total = 0;
    for (const std::string& id : ids_) total += id.capacity() + 2 * sizeof(std::string);
    for (const auto& cells : cells_) total += cells.capacity() * sizeof(std::uint32_t);
    for (const auto& texts : texts_)
      for (const std::string& t : texts) total += t.capacity() + 2 * sizeof(std::string);
    return total;
  }

 private:
  // Lookups by string_view without building a std::string.
  struct text_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  using index = std::unordered_map<std::string, std::uint32_t, text_hash, std::equal_to<>>;

  std::uint32_t add_household(std::string_view household) {
    const auto [at, added] =
        rows_.try_emplace(std::string(household), static_cast<std::uint32_t>(ids_.size()));
    if (added) ids_.emplace_back(household);
    return at->second;
  }
  std::uint32_t add_column(std::string_view name) {
    const auto [at, added] =
        columns_.try_emplace(std::string(name), static_cast<std::uint32_t>(names_.size()));
    if (added) {
      names_.emplace_back(name);
      cells_.emplace_back();
      texts_.emplace_back();
      text_ids_.emplace_back();
    }
    return at->second;
  }
  // 1 + the text's index among column's texts.
  std::uint32_t intern(std::uint32_t column, std::string_view text) {
    const auto [at, added] = text_ids_[column].try_emplace(
        std::string(text), static_cast<std::uint32_t>(texts_[column].size() + 1));
    if (added) texts_[column].emplace_back(text);
    return at->second;
  }

  std::vector<std::string> ids_;
  index rows_;
  std::vector<std::string> names_;
  index columns_;
  std::vector<std::vector<std::uint32_t>> cells_;  // per column, per row: 0 or 1 + text index
  std::vector<std::vector<std::string>> texts_;    // per column, its distinct texts
  std::vector<index> text_ids_;
};

}  // namespace earlywarn

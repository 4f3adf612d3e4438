#pragma once
/// \file attribute_facts.hpp
/// Household attributes as a ruleset reads them: each text given a kind by
/// the ruleset's declarations, held per household as the value rules compute
/// with (docs/language.md, Household attributes).

#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "earlywarn/model/date.hpp"
#include "earlywarn/model/error.hpp"
#include "earlywarn/model/event_code.hpp"
#include "earlywarn/model/household_attributes.hpp"
#include "earlywarn/model/ruleset.hpp"

namespace earlywarn {

/// What is wrong with `text` as an attribute of kind `kind`, if anything:
/// "is not an amount of money (like 95.50)". An empty text is no value,
/// and never wrong.
inline std::optional<std::string> attribute_problem(attribute_kind kind, std::string_view text);

/// The value of `text` as an attribute of kind `kind`: numbers in their unit,
/// flags 1 or 0, dates their day number; no value for an empty text. Texts
/// are not numbers: attribute_facts gives them ids. Throws
/// std::invalid_argument (attribute_problem()) for a text that is not one.
inline value parse_attribute(attribute_kind kind, std::string_view text);

/// An attribute value a ruleset cannot read: names the household, the
/// attribute and the text, so that the input can be found and fixed; an
/// invalid_input of kind attributes.
class attribute_error : public invalid_input {
 public:
  attribute_error(std::string household, std::string attribute, std::string text,
                  const std::string& problem)
      : invalid_input(error_kind::attributes, "attribute '" + attribute + "' of household '" +
                                                  household + "': '" + text + "' " + problem),
        household(std::move(household)),
        attribute(std::move(attribute)),
        text(std::move(text)) {}
  std::string household;
  std::string attribute;
  std::string text;
};

/// The attributes a ruleset declares, per household index: one value per
/// declaration (in declaration order), or none where a household has none
/// set. Text attributes hold 1 + the text's index among the attribute's
/// texts; the texts rules compare with come first, so their ids never change.
class attribute_facts {
 public:
  /// Facts with no household set yet, typed by `rules`' declarations.
  explicit attribute_facts(const ruleset& rules) {
    for (const attribute_declaration& a : rules.attributes) kinds_.push_back(a.kind);
    texts_.resize(kinds_.size());
    text_ids_.resize(kinds_.size());
    for (const term& t : rules.terms)
      if (t.kind == term_kind::attribute_in || t.kind == term_kind::attribute_not_in)
        if (const auto a = rules.find_attribute(t.attribute))
          for (const std::string& text : t.codes) intern(*a, text);
  }

  /// Facts for the households of a ledger: household `h` takes the
  /// attributes `table` has for the ledger's id `household_id(h)`.
  /// Attributes the ruleset does not declare, and households the ledger does
  /// not hold, are left out. Throws attribute_error for a value the
  /// declaration's kind cannot read.
  template <class Ledger>
  attribute_facts(const ruleset& rules, const household_attributes& table, const Ledger& events)
      : attribute_facts(rules) {
    if (kinds_.empty()) return;
    std::vector<std::optional<std::uint32_t>> columns;
    for (const attribute_declaration& a : rules.attributes)
      columns.push_back(table.find_column(a.name));
    for (std::uint32_t row = 0; row < table.household_count(); ++row) {
      const auto h = events.find_household(table.household_id(row));
      if (!h) continue;
      for (std::uint32_t a = 0; a < kinds_.size(); ++a)
        if (columns[a]) set(*h, a, table.text(row, *columns[a]), table.household_id(row), rules);
    }
  }

  /// The number of attributes declared.
  std::size_t size() const noexcept { return kinds_.size(); }
  attribute_kind kind(std::uint32_t a) const noexcept { return kinds_[a]; }

  /// Sets attribute `a` (a declaration index) of household `h` from its text;
  /// empty for no value. Throws std::invalid_argument (attribute_problem())
  /// for a text its kind cannot read.
  void set(std::uint32_t h, std::uint32_t a, std::string_view text) {
    value v;
    if (kinds_[a] == attribute_kind::text) {
      if (!text.empty()) {
        if (const auto problem = attribute_problem(attribute_kind::text, text))
          throw invalid_input(error_kind::attributes, "'" + std::string(text) + "' " + *problem);
        v = value::integer(intern(a, text));
      }
    } else {
      v = parse_attribute(kinds_[a], text);
    }
    row(h)[a] = v;
  }

  /// Household `h`'s values, one per declaration; empty when none was set.
  std::span<const value> of(std::uint32_t h) const noexcept {
    if (h >= rows_.size() || rows_[h] == 0) return {};
    return std::span(cells_).subspan((rows_[h] - 1) * kinds_.size(), kinds_.size());
  }

  /// The text of text attribute `a` with id `id` (a value of it).
  std::string_view text(std::uint32_t a, std::int64_t id) const noexcept {
    return texts_[a][static_cast<std::size_t>(id - 1)];
  }
  /// The id of text `text` of attribute `a`, if a household has it or a rule compares with it.
  std::optional<std::int64_t> text_id(std::uint32_t a, std::string_view text) const {
    const auto it = text_ids_[a].find(std::string(text));
    return it == text_ids_[a].end() ? std::nullopt : std::optional<std::int64_t>(it->second);
  }

  /// Bytes held.
  std::size_t memory_bytes() const noexcept {
    std::size_t total =
        rows_.capacity() * sizeof(std::uint32_t) + cells_.capacity() * sizeof(value);
    for (const auto& texts : texts_)
      for (const std::string& t : texts) total += t.capacity() + 2 * sizeof(std::string);
    return total;
  }

 private:
  void set(std::uint32_t h, std::uint32_t a, std::string_view text, std::string_view household,
           const ruleset& rules) {
    try {
      set(h, a, text);
    } catch (const std::invalid_argument&) {
      const attribute_kind k = kinds_[a];
      throw attribute_error(std::string(household), rules.attributes[a].name, std::string(text),
                            attribute_problem(k, text).value_or("cannot be read"));
    }
  }

  std::span<value> row(std::uint32_t h) {
    if (rows_.size() <= h) rows_.resize(h + std::size_t{1}, 0);
    if (rows_[h] == 0) {
      cells_.resize(cells_.size() + kinds_.size());
      rows_[h] = static_cast<std::uint32_t>(cells_.size() / kinds_.size());
    }
    return std::span(cells_).subspan((rows_[h] - 1) * kinds_.size(), kinds_.size());
  }

  std::int64_t intern(std::uint32_t a, std::string_view text) {
    const auto [at, added] = text_ids_[a].try_emplace(
        std::string(text), static_cast<std::int64_t>(texts_[a].size() + 1));
    if (added) texts_[a].emplace_back(text);
    return at->second;
  }

  std::vector<attribute_kind> kinds_;
  std::vector<std::uint32_t> rows_;  // per household: 0, or 1 + its row in cells_
  std::vector<value> cells_;         // rows of kinds_.size() values
  std::vector<std::vector<std::string>> texts_;
  std::vector<std::unordered_map<std::string, std::int64_t>> text_ids_;
};

namespace detail {

// A decimal `-12.5` with at most 18 digits and at most `places` after the
// point, as numerator and its power of ten; nothing when it is not one.
inline std::optional<std::pair<std::int64_t, std::int64_t>> parse_attribute_decimal(
    std::string_view text, int places) {
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  std::int64_t num = 0, den = 1;
  int digits = 0, after = -1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      if (after >= 0 || digits == 0 || i + 1 == text.size()) return std::nullopt;
      after = 0;
      continue;
    }
    if (c < '0' || c > '9' || ++digits > 18) return std::nullopt;
    num = num * 10 + (c - '0');
    if (after >= 0) {
      if (++after > places) return std::nullopt;
      den *= 10;
    }
  }
  if (digits == 0) return std::nullopt;
  return std::pair(negative ? -num : num, den);
}

// A flag's text: true, yes, 1 or false, no, 0, in any case.
inline std::optional<bool> parse_flag(std::string_view text) {
  std::string lower(text);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if (lower == "true" || lower == "yes" || lower == "1") return true;
  if (lower == "false" || lower == "no" || lower == "0") return false;
  return std::nullopt;
}

}  // namespace detail

inline std::optional<std::string> attribute_problem(attribute_kind kind, std::string_view text) {
  if (text.empty()) return std::nullopt;
  switch (kind) {
    case attribute_kind::text:
      if (const auto problem = code_problem(text))
        return "is not a text an attribute can hold: it " + std::string(*problem);
      return std::nullopt;
    case attribute_kind::flag:
      if (detail::parse_flag(text)) return std::nullopt;
      return "is not a flag: write true or false (also yes or no, 1 or 0)";
    case attribute_kind::date:
      if (const auto d = parse_date(text);
          d && *d >= to_day({1, 1, 1}) && *d <= to_day({9999, 12, 31}))
        return std::nullopt;
      return "is not a date from 0001-01-01 to 9999-12-31 written YYYY-MM-DD";
    case attribute_kind::money:
      if (const auto x = detail::parse_attribute_decimal(text, 2);
          x && (x->first < 0 ? -x->first : x->first) <= max_amount / (100 / x->second))
        return std::nullopt;
      return "is not an amount of money (like 95.50 or -12, at most two decimals, at most " +
             format_cents(max_amount) + ")";
    case attribute_kind::days:
      if (detail::parse_attribute_decimal(text, 0)) return std::nullopt;
      return "is not a whole number of days (like 28)";
    case attribute_kind::count:
      if (detail::parse_attribute_decimal(text, 0)) return std::nullopt;
      return "is not a whole number (like 3)";
    case attribute_kind::number:
      if (detail::parse_attribute_decimal(text, 18)) return std::nullopt;
      return "is not a number (like 2 or 0.75)";
  }
  return std::nullopt;
}

inline value parse_attribute(attribute_kind kind, std::string_view text) {
  if (text.empty()) return {};
  if (const auto problem = attribute_problem(kind, text))
    throw invalid_input(error_kind::attributes, "'" + std::string(text) + "' " + *problem);
  switch (kind) {
    case attribute_kind::flag:
      return value::integer(*detail::parse_flag(text) ? 1 : 0);
    case attribute_kind::date:
      return value::integer(*parse_date(text));
    case attribute_kind::money: {
      const auto [num, den] = *detail::parse_attribute_decimal(text, 2);
      return value::money(num * (100 / den));
    }
    case attribute_kind::days:
      return value::integer(detail::parse_attribute_decimal(text, 0)->first, unit::days);
    case attribute_kind::count:
      return value::integer(detail::parse_attribute_decimal(text, 0)->first);
    case attribute_kind::number: {
      const auto [num, den] = *detail::parse_attribute_decimal(text, 18);
      return value::fraction(num, den, unit::number);
    }
    case attribute_kind::text:
      break;  // attribute_facts gives texts their ids
  }
  throw invalid_input(error_kind::misuse,
                      "a text attribute has no number: attribute_facts reads it");
}

}  // namespace earlywarn

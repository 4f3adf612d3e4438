#pragma once
// Reading ledger events out of DataFrame columns without copying them: the
// numpy arrays are read in place, and text columns arrive as codes into their
// distinct values (pandas.factorize), so each distinct text is checked once.
// The checks and messages are the CSV loader's (docs/language.md, Ledger; docs/limits.md).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bindings.hpp"

namespace earlywarn::python {

/// One column as the package hands it over.
struct column_input {
  /// The values, or codes into `names` (-1: missing). One-dimensional.
  py::array data;
  /// The distinct texts the codes index, for coded columns.
  std::vector<std::string> names;
  /// How to read `data`: "codes" (any column), "ns" (dates as datetime64[ns]
  /// integers), "days" (dates as day numbers), "float" or "integer" (amounts
  /// in currency units).
  std::string kind;
};

/// A column from the package's `(data, names or None, kind)` tuple.
column_input column_from(const py::tuple& t);

/// A bad row: its position (0-based), the column and the reason.
struct frame_error {
  std::size_t row = 0;
  std::string field;
  std::string message;
};

/// One valid row; household, type and event code are codes into the columns' names.
struct frame_row {
  /// `code` of a row without an event code.
  static constexpr std::uint32_t no_code = UINT32_MAX;
  std::uint32_t household = 0;
  day date = 0;
  std::uint32_t type = 0;
  cents amount = 0;
  std::uint32_t code = no_code;
};

/// Reads rows of the four ledger columns and an optional column of event
/// codes, checking each as the CSV loader checks a row. Holds raw pointers
/// into the arrays: the caller keeps the arrays alive, and may then read
/// without the GIL.
class frame_reader {
 public:
  /// Throws std::invalid_argument for columns of the wrong shape, kind or length.
  frame_reader(column_input household, column_input date, column_input type, column_input amount,
               std::optional<column_input> code = std::nullopt);

  std::size_t size() const noexcept { return size_; }
  /// Row `row`, or what is wrong with it.
  std::optional<frame_error> read(std::size_t row, frame_row& out);
  /// How many distinct households and types the coded columns name.
  std::size_t household_values() const noexcept { return household_.names.size(); }
  std::size_t type_values() const noexcept { return type_.names.size(); }
  const std::string& household_name(std::uint32_t code) const { return household_.names[code]; }
  const std::string& type_name(std::uint32_t code) const { return type_.names[code]; }
  /// How many distinct event codes the code column names (0 without one).
  std::size_t code_values() const noexcept { return code_.names.size(); }
  const std::string& code_name(std::uint32_t code) const { return code_.names[code]; }

 private:
  // A one-dimensional numeric array read in place, whatever its strides.
  struct numbers {
    const char* data = nullptr;
    py::ssize_t stride = 0;
    char kind = 'i';  // numpy kind: 'i', 'u' or 'f'
    py::ssize_t item = 8;
    std::int64_t integer(std::size_t i) const noexcept;
    double real(std::size_t i) const noexcept;
  };
  // A coded column with a verdict per distinct value, reached lazily.
  struct coded {
    std::vector<std::string> names;
    std::vector<std::uint8_t> state;   // 0 unchecked, 1 good, 2 bad
    std::vector<std::string> reason;   // why a bad one is bad
    std::vector<std::int64_t> parsed;  // a date's day or an amount's cents
  };

  static numbers view(const column_input& c, const char* field);
  std::optional<std::string> check(coded& c, std::uint32_t code, int what);

  column_input keep_[4];
  std::optional<column_input> keep_code_;
  numbers household_codes_, dates_, type_codes_, amounts_, code_codes_;
  std::string date_kind_, amount_kind_;
  coded household_, date_, type_, amount_, code_;
  std::vector<std::int8_t> requires_amount_;  // per type code: -1 unknown
  std::size_t size_ = 0;
};

}  // namespace earlywarn::python

#pragma once
/// \file error.hpp
/// The one error type of the library (docs/errors.md): what kind of input
/// was wrong, where, and why. Loads return it as a value (`ledger_load`,
/// `rules_load::error()`, a checkpoint's save and restore); calls whose
/// arguments are wrong throw it inside `invalid_input`.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace earlywarn {

/// What an error is about; each kind is one exception class in Python
/// (docs/errors.md).
enum class error_kind : std::uint8_t {
  rules,         ///< a rules file: syntax, names, types, params
  ledger,        ///< a ledger row or file, or an event added to a ledger
  attributes,    ///< a household attribute value or file
  checkpoint,    ///< a stream's state file: damaged, inconsistent, or saved under other rules
  stream_event,  ///< an event or attribute a stream cannot apply
  io,            ///< a file that cannot be read or written
  misuse,        ///< a call outside its contract (an index out of range, a date off the calendar)
};

/// The kind's name as docs/errors.md and the Python `Error.kind` spell it.
constexpr std::string_view to_string(error_kind kind) noexcept {
  switch (kind) {
    case error_kind::rules:
      return "rules";
    case error_kind::ledger:
      return "ledger";
    case error_kind::attributes:
      return "attributes";
    case error_kind::checkpoint:
      return "checkpoint";
    case error_kind::stream_event:
      return "stream_event";
    case error_kind::io:
      return "io";
    case error_kind::misuse:
      return "misuse";
  }
  return "misuse";
}

/// What was wrong, where. `line` and `column` are 1-based, 0 when the whole
/// input is at fault or the position is unknown; a rules file counts columns
/// in characters, a ledger or attributes file in bytes of the line.
struct error {
  error_kind kind = error_kind::misuse;
  std::string message;  ///< why, with the value at fault and what to do
  std::string file;     ///< the input's name; empty when it came from no file
  std::uint64_t line = 0;
  std::uint32_t column = 0;
  std::string text;  ///< the offending line (a ledger row, kept for rejects files); may be empty

  /// `FILE:LINE:COL: message`, leaving out what is unknown: `FILE:LINE:
  /// message`, `FILE: message`, or the message alone.
  std::string render() const {
    std::string out = file;
    if (line > 0) {
      out += (out.empty() ? "line " : ":") + std::to_string(line);
      if (column > 0) out += ':' + std::to_string(column);
    }
    if (!out.empty()) out += ": ";
    out += message;
    return out;
  }
};

/// An error of a ledger or attributes row at `line` and byte `column`.
inline error row_error(error_kind kind, std::uint64_t line, std::uint32_t column,
                       std::string message, std::string text = {}) {
  error e;
  e.kind = kind;
  e.message = std::move(message);
  e.line = line;
  e.column = column;
  e.text = std::move(text);
  return e;
}

/// The exception a call throws when its input is wrong: `details()` is the
/// error, `what()` its rendering. Derived from std::invalid_argument, so
/// code catching that sees it too.
class invalid_input : public std::invalid_argument {
 public:
  explicit invalid_input(error e) : std::invalid_argument(e.render()), error_(std::move(e)) {}
  /// An error of `kind` with `message` and no location.
  invalid_input(error_kind kind, std::string message)
      : invalid_input(error{kind, std::move(message), {}, 0, 0, {}}) {}
  const error& details() const noexcept { return error_; }
  error_kind kind() const noexcept { return error_.kind; }

 private:
  error error_;
};

}  // namespace earlywarn

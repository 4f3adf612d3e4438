#include "parse_rules.hpp"

#include <algorithm>
#include <string>

namespace earlywarn::rules_front {
namespace {

constexpr std::string_view top_level_keywords[] = {"ruleset", "param", "event",   "attribute",
                                                   "define",  "rule",  "decision"};
constexpr std::string_view event_effects[] = {"increases", "decreases", "neutral", "scheduled"};
constexpr std::string_view clause_keywords[] = {"when",     "severity",    "score",       "message",
                                                "cooldown", "raise_after", "clear_after", "tags"};

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool is_keyword(std::string_view word) {
  return std::any_of(std::begin(grammar::keywords), std::end(grammar::keywords),
                     [&](const char* k) { return word == k; });
}

// The token at `at`, for "found …" in messages.
std::string token_at(std::string_view source, std::size_t at) {
  if (at >= source.size()) return "end of file";
  if (source[at] == '\n' || source[at] == '\r') return "end of line";
  std::size_t end = at;
  while (end < source.size() && is_word_char(source[end])) ++end;
  if (is_keyword(source.substr(at, end - at)))
    return "the keyword '" + std::string(source.substr(at, end - at)) + "'";
  if (end == at) {
    // A multi-byte UTF-8 character counts as one.
    end = at + 1;
    while (end < source.size() && (static_cast<unsigned char>(source[end]) & 0xC0) == 0x80) ++end;
  }
  return "'" + std::string(source.substr(at, end - at)) + "'";
}

std::string word_at(std::string_view source, std::size_t at) {
  std::size_t end = at;
  while (end < source.size() && is_word_char(source[end])) ++end;
  return std::string(source.substr(at, end - at));
}

template <std::size_t N>
std::string suggestion(const std::string& word, const std::string_view (&choices)[N]) {
  if (word.empty()) return {};
  const std::string near = nearest_name(word, std::vector<std::string>(choices, choices + N));
  return near.empty() ? std::string() : "; did you mean '" + near + "'?";
}

// Whether `at` follows `event NAME` on its line: a word there that the
// declaration did not take was meant as its effect (`event hearing schedule`).
bool after_event_name(std::string_view source, std::size_t at) {
  std::size_t begin = source.rfind('\n', at == 0 ? 0 : at - 1);
  begin = begin == std::string_view::npos ? 0 : begin + 1;
  std::size_t i = begin;
  auto blanks = [&] {
    const std::size_t from = i;
    while (i < at && (source[i] == ' ' || source[i] == '\t')) ++i;
    return i > from;
  };
  auto word = [&] {
    const std::size_t from = i;
    while (i < at && is_word_char(source[i])) ++i;
    return source.substr(from, i - from);
  };
  blanks();
  if (word() != "event" || !blanks() || word().empty() || !blanks()) return false;
  return i == at;
}

// Whether the line starting at `at` begins a declaration: with a declaration
// keyword, or in its first column with a word close to one (so that a
// misspelled declaration is reported too). Indented, only the keyword
// itself counts: rules inside a decision are indented, and so are the
// continuation lines of expressions, whose words may be near a keyword.
// Returns where the declaration starts, or npos.
std::size_t declaration_at(std::string_view source, std::size_t at) {
  std::size_t begin = at;
  while (begin < source.size() && (source[begin] == ' ' || source[begin] == '\t')) ++begin;
  std::size_t end = begin;
  while (end < source.size() && is_word_char(source[end])) ++end;
  const std::string word(source.substr(begin, end - begin));
  if (word.empty()) return std::string_view::npos;
  for (const std::string_view k : top_level_keywords)
    if (begin == at ? edit_distance(word, k) <= 2 : word == k) return begin;
  return std::string_view::npos;
}

// Where to resume after a syntax error: the next line that begins a
// declaration (declaration_at). The line holding the error counts when the
// error itself sits at the start of a declaration.
std::size_t next_declaration(std::string_view source, std::size_t error_at, std::size_t item_at) {
  std::size_t at = error_at;
  while (at > 0 && source[at - 1] != '\n') --at;
  if (const std::size_t d = declaration_at(source, at); d != std::string_view::npos && d > item_at)
    return d;
  at = source.find('\n', error_at);
  while (at != std::string_view::npos) {
    ++at;
    if (const std::size_t d = declaration_at(source, at); d != std::string_view::npos) return d;
    at = source.find('\n', at);
  }
  return source.size();
}

// True when `at` is inside a string literal opened earlier on its line.
bool inside_string(std::string_view source, std::size_t at) {
  std::size_t line = at;
  while (line > 0 && source[line - 1] != '\n') --line;
  bool open = false;
  for (std::size_t i = line; i < at; ++i) {
    if (source[i] == '#' && !open) return false;
    if (source[i] == '\\' && open) {
      ++i;
      continue;
    }
    if (source[i] == '"') open = !open;
  }
  return open;
}

// The operator just before `at` (blanks between allowed on its line), if the
// text there ends with one: what an expression was expected after.
std::string operator_before(std::string_view source, std::size_t at) {
  while (at > 0 && (source[at - 1] == ' ' || source[at - 1] == '\t')) --at;
  constexpr std::string_view symbols[] = {"<=", ">=", "==", "!=", "+", "-", "*", "/", "<", ">"};
  for (const std::string_view s : symbols)
    if (at >= s.size() && source.substr(at - s.size(), s.size()) == s) return std::string(s);
  std::size_t begin = at;
  while (begin > 0 && is_word_char(source[begin - 1])) --begin;
  const std::string_view word = source.substr(begin, at - begin);
  if (word == "and" || word == "or" || word == "not") return std::string(word);
  return {};
}

// Line starts of a source, to locate many offsets without rescanning it.
class line_index {
 public:
  explicit line_index(std::string_view source) : source_(source) {
    for (std::size_t i = 0; i < source.size(); ++i)
      if (source[i] == '\n') starts_.push_back(i + 1);
  }
  source_location locate(std::size_t offset) const {
    offset = std::min(offset, source_.size());
    const auto line = std::upper_bound(starts_.begin(), starts_.end(), offset) - 1;
    source_location at = earlywarn::locate(source_.substr(*line), offset - *line);
    at.line = static_cast<std::uint32_t>(line - starts_.begin() + 1);
    return at;
  }

 private:
  std::string_view source_;
  std::vector<std::size_t> starts_{0};
};

// The name of the rule or definition a broken declaration started, if it
// got that far: other declarations' references to it need no error of their own.
std::string rule_name_at(std::string_view source, std::size_t at) {
  std::size_t i = at;
  for (const std::string_view k : {std::string_view("rule"), std::string_view("define")})
    if (source.substr(at, k.size()) == k && at + k.size() < source.size() &&
        !is_word_char(source[at + k.size()]))
      i = at + k.size();
  if (i == at) return {};
  while (i < source.size() && (source[i] == ' ' || source[i] == '\t')) ++i;
  return word_at(source, i);
}

}  // namespace

void parse_rules(std::string_view source, parsed_rules& out) {
  const char* const begin = source.data();
  const char* const end = begin + source.size();
  const char* at = begin;
  const line_index lines(source);
  for (;;) {
    if (out.diagnostics.size() >= max_diagnostics) {
      out.stopped = true;
      return;
    }
    syntax::item item;
    grammar::parse_failure failure;
    grammar::skip_blank(at, end);
    const auto item_at = static_cast<std::size_t>(at - begin);
    const grammar::item_status status = grammar::parse_item(at, end, item, out.tagger, failure);
    if (status == grammar::item_status::end_of_input) return;
    if (status == grammar::item_status::parsed) {
      out.items.push_back(std::move(item));
      continue;
    }
    std::size_t offset;
    std::string message;
    if (status == grammar::item_status::no_item && after_event_name(source, item_at)) {
      offset = item_at;
      message = "expected increases, decreases, neutral or scheduled after the event type, found " +
                token_at(source, offset) + suggestion(word_at(source, offset), event_effects);
    } else if (status == grammar::item_status::no_item) {
      offset = item_at;
      message =
          "expected a declaration (ruleset, param, event, attribute, define, rule or decision), "
          "found " +
          token_at(source, offset) + suggestion(word_at(source, offset), top_level_keywords);
    } else if (status == grammar::item_status::too_deep) {
      const char* where = failure.where;
      grammar::skip_blank(where, end);
      offset = static_cast<std::size_t>(where - begin);
      message = "expression nested too deeply: at most " + std::to_string(grammar::max_nesting) +
                " levels of parentheses, function calls, '-' and 'not'; split it into rules "
                "or params";
    } else {
      // X3 reports the position before the blanks it would skip; the problem
      // is the next token (unless the parser stopped inside a string).
      const char* where = failure.where;
      const auto stop = static_cast<std::size_t>(where - begin);
      if (!inside_string(source, stop)) grammar::skip_blank(where, end);
      offset = static_cast<std::size_t>(where - begin);
      message = "expected " + failure.expected;
      const bool expression = failure.expected.rfind("an expression", 0) == 0 ||
                              failure.expected.rfind("a condition", 0) == 0;
      const std::string op = expression ? operator_before(source, stop) : std::string();
      if (!op.empty()) message += " after '" + op + "'";
      message += ", found " + token_at(source, offset);
      // A rules file from before a word became a keyword (`decision`) names
      // something with it: say what to change.
      if (failure.expected == "a name" && is_keyword(word_at(source, offset)))
        message += " (a keyword cannot be a name: rename it)";
      // An operator ending its line, with the next line going on to something
      // else: the expression is unfinished where its line ends.
      if (!op.empty() && lines.locate(offset).line > lines.locate(stop).line) {
        if (offset < source.size())
          message += " on line " + std::to_string(lines.locate(offset).line);
        offset = stop;
      }
      if (failure.expected.rfind("a clause", 0) == 0)
        message += suggestion(word_at(source, offset), clause_keywords);
    }
    if (offset < source.size() && static_cast<unsigned char>(source[offset]) >= 0x80 &&
        !inside_string(source, offset))
      message += " (names are ASCII letters, digits and '_')";
    if (std::string name = rule_name_at(source, item_at); !name.empty())
      out.broken_rules.push_back(std::move(name));
    if (source.substr(item_at, 8) == "decision") out.broken_decisions.push_back(item_at);
    out.diagnostics.push_back({diagnostic_level::error, lines.locate(offset), std::move(message)});
    at = begin + next_declaration(source, offset, item_at);
  }
}

}  // namespace earlywarn::rules_front

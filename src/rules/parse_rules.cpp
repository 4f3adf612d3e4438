#include "parse_rules.hpp"

#include <string>

namespace earlywarn::rules_front {
namespace {

constexpr std::string_view top_level_keywords[] = {"ruleset", "param", "event", "rule"};
constexpr std::string_view clause_keywords[] = {"when",    "severity", "score",
                                                "message", "cooldown", "tags"};

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The token at `at`, for "found …" in messages.
std::string token_at(std::string_view source, std::size_t at) {
  if (at >= source.size()) return "end of file";
  if (source[at] == '\n' || source[at] == '\r') return "end of line";
  std::size_t end = at;
  while (end < source.size() && is_word_char(source[end])) ++end;
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

// The start of the next line that begins with a top-level keyword.
std::size_t next_declaration(std::string_view source, std::size_t from) {
  std::size_t at = source.find('\n', from);
  while (at != std::string_view::npos) {
    ++at;
    for (const std::string_view k : top_level_keywords) {
      if (source.substr(at, k.size()) == k &&
          (at + k.size() >= source.size() || !is_word_char(source[at + k.size()])))
        return at;
    }
    at = source.find('\n', at);
  }
  return source.size();
}

}  // namespace

void parse_rules(std::string_view source, parsed_rules& out) {
  const char* const begin = source.data();
  const char* const end = begin + source.size();
  const char* at = begin;
  for (;;) {
    syntax::item item;
    grammar::parse_failure failure;
    const grammar::item_status status = grammar::parse_item(at, end, item, out.tagger, failure);
    if (status == grammar::item_status::end_of_input) return;
    if (status == grammar::item_status::parsed) {
      out.items.push_back(std::move(item));
      continue;
    }
    std::size_t offset;
    std::string message;
    if (status == grammar::item_status::no_item) {
      offset = static_cast<std::size_t>(at - begin);
      message = "expected a declaration (ruleset, param, event or rule), found " +
                token_at(source, offset) + suggestion(word_at(source, offset), top_level_keywords);
    } else {
      offset = static_cast<std::size_t>(failure.where - begin);
      message = "expected " + failure.expected + ", found " + token_at(source, offset);
      if (failure.expected.rfind("a clause", 0) == 0)
        message += suggestion(word_at(source, offset), clause_keywords);
    }
    out.diagnostics.push_back(
        {diagnostic_level::error, locate(source, offset), std::move(message)});
    at = begin + next_declaration(source, offset);
  }
}

}  // namespace earlywarn::rules_front

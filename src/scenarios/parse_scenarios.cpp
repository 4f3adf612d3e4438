// Scenario files (docs/rule-tests.md): a line-oriented format, so that every
// problem names the line a rules author has to look at. Blocks open with `{`
// at the end of a line and close with `}` alone on one.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "earlywarn/detail/file_bytes.hpp"
#include "earlywarn/rule_tests/scenarios.hpp"

namespace earlywarn {
namespace {

// One token of a line: a word, a quoted string (its text unquoted) or `{`,
// `}`, `=`; `column` 1-based.
struct token {
  std::string text;
  bool quoted = false;
  std::uint32_t column = 0;
  bool is(std::string_view word) const { return !quoted && text == word; }
};

struct line_tokens {
  std::uint32_t line = 0;
  std::string_view raw;  ///< the line without its break, comments included
  std::vector<token> tokens;
};

class scenario_parser {
 public:
  scenario_parser(scenario_file& out) : out_(out) {
    const std::string_view text = out_.source;
    std::size_t begin = 0;
    std::uint32_t number = 1;
    while (begin <= text.size()) {
      std::size_t end = text.find('\n', begin);
      if (end == std::string_view::npos) end = text.size();
      std::string_view raw = text.substr(begin, end - begin);
      if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
      lines_.push_back({number++, raw, {}});
      begin = end + 1;
    }
  }

  void parse() {
    while (next_line()) {
      const line_tokens& l = lines_[at_];
      const std::vector<token>& t = l.tokens;
      if (t[0].is("rules")) {
        if (t.size() != 2 || !t[1].quoted)
          error(l, t[0], "expected rules \"PATH\": the rules file these scenarios test");
        else if (seen_rules_)
          error(l, t[0], "a second rules line: a scenario file tests one rules file");
        else
          out_.rules_path = resolve(t[1].text);
        seen_rules_ = true;
      } else if (t[0].is("param")) {
        if (auto p = param(l)) file_params_.push_back(std::move(*p));
      } else if (t[0].is("scenario")) {
        scenario_block(l);
      } else {
        error(l, t[0],
              "expected rules \"PATH\", param NAME = VALUE or scenario \"NAME\" {, not '" +
                  t[0].text + "'");
      }
      ++at_;
    }
    if (out_.scenarios.empty() && out_.ok())
      out_.diagnostics.push_back(
          {diagnostic_level::error, {1, 1}, "no scenario: add scenario \"NAME\" { … }"});
  }

 private:
  // Moves `at_` to the next line with tokens, tokenizing it; false at the end.
  bool next_line() {
    for (; at_ < lines_.size(); ++at_) {
      tokenize(lines_[at_]);
      if (!lines_[at_].tokens.empty()) return true;
    }
    return false;
  }

  void tokenize(line_tokens& l) {
    l.tokens.clear();
    const std::string_view s = l.raw;
    std::size_t i = 0;
    auto column = [&](std::size_t byte) { return locate(s, byte).column; };
    while (i < s.size()) {
      const char c = s[i];
      if (c == ' ' || c == '\t') {
        ++i;
      } else if (c == '#') {
        break;
      } else if (c == '"') {
        token t{"", true, column(i)};
        ++i;
        bool closed = false;
        while (i < s.size()) {
          if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '"' || s[i + 1] == '\\')) {
            t.text += s[i + 1];
            i += 2;
          } else if (s[i] == '"') {
            closed = true;
            ++i;
            break;
          } else {
            t.text += s[i++];
          }
        }
        if (!closed) {
          error(l, t, "a quoted text is not closed on this line: add the closing \"");
          l.tokens.clear();
          return;
        }
        l.tokens.push_back(std::move(t));
      } else if (c == '{' || c == '}' || c == '=') {
        l.tokens.push_back({std::string(1, c), false, column(i)});
        ++i;
      } else {
        const std::size_t start = i;
        while (i < s.size() && s[i] != ' ' && s[i] != '\t' && s[i] != '"' && s[i] != '{' &&
               s[i] != '}' && s[i] != '=' && s[i] != '#')
          ++i;
        l.tokens.push_back({std::string(s.substr(start, i - start)), false, column(start)});
      }
    }
  }

  void error(const line_tokens& l, const token& t, std::string message) {
    out_.diagnostics.push_back({diagnostic_level::error, {l.line, t.column}, std::move(message)});
  }

  std::string resolve(const std::string& path) const {
    const std::filesystem::path p(path);
    if (p.is_absolute()) return path;
    return (std::filesystem::path(out_.file_name).parent_path() / p).lexically_normal().string();
  }

  // `param NAME = VALUE`
  std::optional<std::pair<std::string, std::string>> param(const line_tokens& l) {
    const std::vector<token>& t = l.tokens;
    if (t.size() != 4 || t[1].quoted || !t[2].is("=") || t[3].is("{") || t[3].is("}")) {
      error(l, t[0], "expected param NAME = VALUE, like param grace_days = 20");
      return std::nullopt;
    }
    return std::make_pair(t[1].text, t[3].text);
  }

  // Whether the line ends with `{`; reports a line that should.
  bool opens_block(const line_tokens& l, std::size_t words, const char* form) {
    const std::vector<token>& t = l.tokens;
    if (t.size() == words + 1 && t.back().is("{")) return true;
    error(l, t[0], std::string("expected ") + form);
    return false;
  }

  static bool closes(const line_tokens& l) { return l.tokens.size() == 1 && l.tokens[0].is("}"); }

  // Skips to the line closing the block opened on the current line.
  void skip_block() {
    int depth = 1;
    while (depth > 0 && ++at_ < lines_.size()) {
      tokenize(lines_[at_]);
      for (const token& t : lines_[at_].tokens) {
        if (t.is("{")) ++depth;
        if (t.is("}")) --depth;
      }
    }
  }

  void scenario_block(const line_tokens& head) {
    const std::vector<token>& t = head.tokens;
    if (t.size() != 3 || !t[1].quoted || !t[2].is("{")) {
      error(head, t[0], "expected scenario \"NAME\" {");
      skip_block();
      return;
    }
    scenario s;
    s.name = t[1].text;
    s.where = {head.line, t[0].column};
    s.params = file_params_;
    for (const scenario& other : out_.scenarios)
      if (other.name == s.name)
        error(head, t[1],
              "a second scenario named \"" + s.name + "\" (the first on line " +
                  std::to_string(other.where.line) + "): give each its own name");
    bool closed = false;
    while (++at_, next_line()) {
      const line_tokens& l = lines_[at_];
      if (closes(l)) {
        closed = true;
        break;
      }
      const std::vector<token>& w = l.tokens;
      if (w[0].is("param")) {
        if (auto p = param(l)) s.params.push_back(std::move(*p));
      } else if (w[0].is("ledger") || w[0].is("attributes")) {
        table(l, w[0].is("ledger") ? s.ledger : s.attributes);
      } else if (w[0].is("on")) {
        on_block(l, s);
      } else {
        error(l, w[0],
              "expected ledger, attributes, param or on DATE { inside a scenario, not '" +
                  w[0].text + "'");
        if (w.back().is("{")) skip_block();
      }
    }
    if (!closed) {
      error(head, t[0], "scenario \"" + s.name + "\" is not closed: add a line with } after it");
      return;
    }
    if (!s.ledger.given())
      error(head, t[0],
            "scenario \"" + s.name + "\" has no ledger: add ledger { CSV } or ledger \"FILE\"");
    if (s.expectations.empty())
      error(head, t[0],
            "scenario \"" + s.name +
                "\" expects nothing, so it cannot fail: add on DATE { H fires RULE }");
    out_.scenarios.push_back(std::move(s));
  }

  // `ledger "FILE"` or `ledger {` CSV lines `}` (the same for attributes).
  void table(const line_tokens& l, scenario_table& into) {
    const std::vector<token>& t = l.tokens;
    if (into.given()) error(l, t[0], "a second " + t[0].text + " in this scenario");
    if (t.size() == 2 && t[1].quoted) {
      into.path = resolve(t[1].text);
      return;
    }
    if (!opens_block(l, 1, (t[0].text + " \"FILE\" or " + t[0].text + " {").c_str())) return;
    const line_tokens& head = l;
    // The CSV is taken as written, each line trimmed; full-line comments and
    // blank lines are left out.
    while (++at_ < lines_.size()) {
      std::string_view raw = lines_[at_].raw;
      while (!raw.empty() && (raw.front() == ' ' || raw.front() == '\t')) raw.remove_prefix(1);
      while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t')) raw.remove_suffix(1);
      if (raw == "}") return;
      if (raw.empty() || raw.front() == '#') continue;
      into.text.append(raw);
      into.text += '\n';
      into.lines.push_back(lines_[at_].line);
    }
    error(head, head.tokens[0],
          "this " + head.tokens[0].text + " is not closed: add a line with }");
  }

  // `on DATE {` expectation lines `}`.
  void on_block(const line_tokens& head, scenario& s) {
    const std::vector<token>& t = head.tokens;
    std::optional<day> date;
    if (t.size() >= 2 && !t[1].quoted) date = parse_date(t[1].text);
    if (t.size() != 3 || !t[2].is("{") || !date) {
      error(head, t.size() >= 2 ? t[1] : t[0],
            "expected on YYYY-MM-DD {, a date of the calendar 0001-01-01 to 9999-12-31");
      if (t.back().is("{")) skip_block();
      return;
    }
    while (++at_, next_line()) {
      const line_tokens& l = lines_[at_];
      if (closes(l)) return;
      expectation e;
      e.as_of = *date;
      e.where = {l.line, l.tokens[0].column};
      std::string_view text = l.raw;
      while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
      e.text = std::string(text);
      if (expectation_line(l, e)) s.expectations.push_back(std::move(e));
    }
    error(head, t[0], "this on block is not closed: add a line with }");
  }

  bool expectation_line(const line_tokens& l, expectation& e) {
    const std::vector<token>& t = l.tokens;
    const char* forms =
        "expected H fires RULE [\"message\"], H does not fire RULE, H fires nothing, H raises "
        "RULE, H clears RULE or worklist {";
    if (t[0].is("worklist")) return worklist_block(l, e);
    if (t[0].is("{") || t[0].is("}") || t[0].is("=") || t.size() < 3) {
      error(l, t[0], forms);
      return false;
    }
    e.household = t[0].text;
    const auto plain = [&](std::size_t i) {
      return !t[i].quoted && t[i].text.find_first_of("{}=") == std::string::npos;
    };
    if (t[1].is("fires") && t.size() == 3 && t[2].is("nothing")) {
      e.kind = expectation_kind::fires_nothing;
      return true;
    }
    if (t[1].is("fires") && (t.size() == 3 || (t.size() == 4 && t[3].quoted)) && plain(2)) {
      e.kind = expectation_kind::fires;
      e.rule = t[2].text;
      if (t.size() == 4) e.message = t[3].text;
      return true;
    }
    if (t[1].is("does") && t.size() == 5 && t[2].is("not") && t[3].is("fire") && plain(4)) {
      e.kind = expectation_kind::does_not_fire;
      e.rule = t[4].text;
      return true;
    }
    if ((t[1].is("raises") || t[1].is("clears")) && t.size() == 3 && plain(2)) {
      e.kind = t[1].is("raises") ? expectation_kind::raises : expectation_kind::clears;
      e.rule = t[2].text;
      return true;
    }
    error(l, t.size() > 1 ? t[1] : t[0], forms);
    return false;
  }

  // `worklist {` then `H RULE` rows in worklist order, `}`; or `worklist { }`.
  bool worklist_block(const line_tokens& head, expectation& e) {
    e.kind = expectation_kind::worklist;
    const std::vector<token>& t = head.tokens;
    if (t.size() == 3 && t[1].is("{") && t[2].is("}")) return true;
    if (!opens_block(head, 1, "worklist { with a line H RULE per row, then }, or worklist { }"))
      return false;
    bool good = true;
    while (++at_, next_line()) {
      const line_tokens& l = lines_[at_];
      if (closes(l)) return good;
      if (l.tokens.size() != 2 || l.tokens[1].quoted || l.tokens[0].is("{") ||
          l.tokens[1].is("{") || l.tokens[1].is("}") || l.tokens[1].is("=")) {
        error(l, l.tokens[0], "expected a worklist row: HOUSEHOLD RULE");
        good = false;
        continue;
      }
      e.rows.emplace_back(l.tokens[0].text, l.tokens[1].text);
    }
    error(head, t[0], "this worklist is not closed: add a line with }");
    return false;
  }

  scenario_file& out_;
  std::vector<line_tokens> lines_;
  std::size_t at_ = 0;
  bool seen_rules_ = false;
  param_overrides file_params_;
};

}  // namespace

scenario_file parse_scenarios(std::string source, std::string file_name) {
  scenario_file out;
  out.file_name = std::move(file_name);
  out.source = std::move(source);
  scenario_parser(out).parse();
  return out;
}

scenario_file load_scenarios(const std::string& path) {
  detail::file_bytes bytes;
  std::string reason;
  if (!bytes.open(path, reason)) {
    scenario_file out;
    out.file_name = path;
    out.diagnostics.push_back(
        {diagnostic_level::error, {}, "cannot read the scenario file: " + reason});
    return out;
  }
  return parse_scenarios(std::string(bytes.view()), path);
}

}  // namespace earlywarn

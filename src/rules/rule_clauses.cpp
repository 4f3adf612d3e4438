// Rules: the clauses of each declared rule (when, severity, score, message,
// cooldown, raise_after, clear_after, tags), checked and lowered into it.

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "checker.hpp"
#include "literals.hpp"

namespace earlywarn::rules_front {

void checker::check_rules() {
  for (const syntax::item& item : parsed_.items) {
    if (log_.full()) break;
    if (const auto* r = boost::get<syntax::rule_declaration>(&item)) compile_rule(*r);
  }
}

void checker::compile_rule(const syntax::rule_declaration& r) {
  const auto found = rule_index_.find(r.rule.text);
  if (found == rule_index_.end()) return;
  rule& out = rs_.rules[found->second];
  if (out.where.line != where(r.rule).line || out.where.column != where(r.rule).column) return;
  current_reads_.clear();
  bool seen[8] = {};
  const char* names[8] = {"when",     "severity", "score",       "message",
                          "cooldown", "tags",     "raise_after", "clear_after"};
  bool have_when = false;
  for (const syntax::clause& c : r.clauses) {
    const int kind = c.get().which();
    const source_location at = clause_location(c);
    if (seen[kind]) {
      log_.error(at, "rule '" + out.name + "' has more than one " + names[kind] + " clause");
      continue;
    }
    seen[kind] = true;
    if (const auto* w = boost::get<syntax::when_clause>(&c)) {
      const std::size_t reads_before = current_reads_.size();
      const std::uint32_t n = compile(w->condition);
      draft_.when_reads[found->second].assign(current_reads_.begin() + reads_before,
                                              current_reads_.end());
      if (n != failed && rs_.nodes[n].type != expr_type::boolean)
        log_.error(where(w->condition),
                   "a when clause needs a condition (like arrears_days > 30), not a number");
      else if (n != failed)
        out.when = n, have_when = true;
    } else if (const auto* s = boost::get<syntax::severity_clause>(&c)) {
      if (const auto level = parse_severity(s->level.text)) {
        out.level = *level;
      } else {
        const std::vector<std::string> levels = {"info", "low", "medium", "high", "critical"};
        log_.error(where(s->level), "unknown severity '" + s->level.text +
                                        "' (info, low, medium, high or critical)" +
                                        did_you_mean(nearest_name(s->level.text, levels)));
      }
    } else if (const auto* sc = boost::get<syntax::score_clause>(&c)) {
      const std::uint32_t n = compile(sc->score);
      if (n != failed && rs_.nodes[n].type != expr_type::number)
        log_.error(where(sc->score), "a score is a number, not a condition");
      else if (n != failed && not_a_label(n, range_of(sc->score).first, "a score"))
        out.score = n;
    } else if (const auto* m = boost::get<syntax::message_clause>(&c)) {
      compile_message(m->message, out);
    } else if (const auto* cd = boost::get<syntax::cooldown_clause>(&c)) {
      compile_span(cd->span, out.cooldown, "a cooldown");
    } else if (const auto* ra = boost::get<syntax::raise_after_clause>(&c)) {
      compile_span(ra->span, out.raise_after, "raise_after");
    } else if (const auto* ca = boost::get<syntax::clear_after_clause>(&c)) {
      compile_span(ca->span, out.clear_after, "clear_after");
    } else if (const auto* t = boost::get<syntax::tags_clause>(&c)) {
      for (const syntax::tag& tag : t->tags) {
        if (const auto* n = boost::get<syntax::name>(&tag))
          out.tags.push_back(n->text);
        else
          out.tags.push_back(boost::get<std::string>(tag));
      }
    }
  }
  if (!have_when && !seen[0])
    log_.error(out.where, "rule '" + out.name + "' has no when clause: say when it fires");
  std::sort(current_reads_.begin(), current_reads_.end());
  current_reads_.erase(std::unique(current_reads_.begin(), current_reads_.end()),
                       current_reads_.end());
  out.reads_rules = current_reads_;
}

source_location checker::clause_location(const syntax::clause& c) const {
  return boost::apply_visitor([this](const auto& clause) { return where(clause); }, c);
}

void checker::compile_message(const syntax::message_literal& pieces, rule& out) {
  for (const syntax::message_piece& piece : pieces) {
    if (const auto* text = boost::get<std::string>(&piece)) {
      if (!out.message.empty() && !out.message.back().expression)
        out.message.back().text += *text;
      else
        out.message.push_back({*text, std::nullopt});
      continue;
    }
    const auto& interpolation = boost::get<syntax::interpolation>(piece);
    const std::uint32_t n = compile(interpolation.value);
    if (n != failed) out.message.push_back({{}, n});
  }
}

void checker::compile_span(const syntax::operand& span, std::optional<duration>& out,
                           const std::string& clause) {
  if (const auto* d = boost::get<syntax::duration_literal>(&span)) {
    out = make_duration(d->count, d->unit);
    if (!out) log_.error(where(*d), "duration is longer than 100000 days, weeks, months or years");
    return;
  }
  const auto& n = boost::get<syntax::name>(span);
  std::vector<std::string> durations;
  for (const param& p : draft_.params()) {
    if (p.name == n.text) {
      param_read_[static_cast<std::size_t>(&p - draft_.params().data())] = true;
      if (p.span) {
        out = p.span;
      } else {
        log_.error(where(n), "param '" + n.text + "' is a number; " + clause +
                                 " needs a duration (like 30d)");
      }
      return;
    }
    if (p.span) durations.push_back(p.name);
  }
  log_.error(where(n), "unknown name '" + n.text + "': " + clause +
                           " needs a duration (like 30d) or a param holding one" +
                           did_you_mean(nearest_name(n.text, durations)));
}

}  // namespace earlywarn::rules_front

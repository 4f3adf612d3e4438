#pragma once
/// \file stream_reload.hpp
/// Reloading a changed ruleset into a running stream (docs/streams.md,
/// Reloading rules): the state carries over; kept rules keep their alerts,
/// removed rules' open alerts clear, changed and new rules are evaluated as
/// of the clock.

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "earlywarn/model/error.hpp"
#include "earlywarn/streaming/rule_changes.hpp"
#include "earlywarn/streaming/stream.hpp"

namespace earlywarn {

/// What a reload did, or why it did not.
struct stream_reload_report {
  rule_changes rules;  ///< kept, changed, added and removed, by name
  day clock = 0;       ///< the day the new rules start on (evaluated as of it)
  /// Each rule the state cannot serve, with why (`rule: …`): history it
  /// reads that the stream has folded away, an attribute value its
  /// declaration cannot read. Any of them and nothing was reloaded.
  std::vector<std::string> refused;
  bool reloaded() const noexcept { return refused.empty(); }
};

/// The message of the clear a reload gives a removed rule's open alert.
inline std::string removed_rule_message(const ruleset& after) {
  return "rule removed in ruleset \"" + after.name + "\" version " + std::to_string(after.version);
}

/// The alerts of a reload, in the order they happen.
struct stream_reload_alerts {
  /// The open day's, closed under the old rules (rule indices of the old).
  std::vector<alert> closing;
  /// A `cleared` alert for each open alert of a rule the new rules lack
  /// (rule indices of the old rules; the new ruleset clears them).
  std::vector<alert> removed;
  /// The new rules' as of the clock (rule indices of the new).
  std::vector<alert> opening;
};

/// Moves a running stream's state to other rules.
class stream_reload {
 public:
  /// Moves the state of `from` into `to`, a newly made engine of the new
  /// rules (maybe with attributes set, which replace those set on `from`:
  /// a stream keeps only the attributes its rules declare), as of `from`'s
  /// clock D (docs/streams.md, Reloading rules). First the open day closes
  /// under the old rules (`closing`); each open alert of a rule the new
  /// rules lack clears, dated D, with removed_rule_message() (`removed`).
  /// Then every household is evaluated as of D under the new rules, each
  /// rule with the alert state of the rule of its name (none for a new rule;
  /// for a changed rule, its alert and last raise, its waits starting
  /// again): `opening`. Kept rules raise and clear nothing there. When the
  /// state cannot serve a rule (the report's `refused`), nothing changes. After a reload `from` is
  /// empty and must not be used. Throws std::invalid_argument when `to` is not newly made or is
  /// `from`.
  [[nodiscard]] static stream_reload_report reload(stream_engine& from, stream_engine& to,
                                                   stream_reload_alerts& out) {
    if (&from == &to || to.started_ || !to.households_.empty())
      throw invalid_input(error_kind::misuse,
                          "reload needs a newly made stream_engine of the new rules");
    const ruleset& before = from.rules_;
    const ruleset& after = to.rules_;
    stream_reload_report report;
    report.rules = compare_rules(before, after);
    report.clock = from.clock_;

    // The type and code tables carry over, the new rules' names added, so
    // every stored event keeps its ids.
    type_table types = from.types_;
    code_table codes = from.codes_;
    stream_engine::intern_names(after, types, codes);
    // The attributes as set, those set on `to` over those of `from`.
    household_attributes attributes = from.attributes_;
    const household_attributes& given = to.attributes_;
    for (std::uint32_t row = 0; row < given.household_count(); ++row)
      for (const std::string& name : given.names())
        if (const auto column = given.find_column(name))
          attributes.set(given.household_id(row), name, given.text(row, *column));
    check_attribute_values(attributes, after, report);
    check_history(from, after, types, codes, report);
    if (!report.reloaded()) return report;

    // The old rules close the open day.
    if (from.started_) from.advance_to(from.clock_, out.closing);

    to.types_ = std::move(types);
    to.codes_ = std::move(codes);
    to.bound_.emplace(after, to.types_, to.codes_, &to.facts_);
    to.evaluator_.emplace(*to.bound_);
    to.needs_ = stream_engine::fold_needs_of(*to.bound_);
    to.ids_ = std::move(from.ids_);
    to.attributes_ = std::move(attributes);
    from.attributes_ = {};
    to.households_ = std::move(from.households_);
    to.clock_ = from.clock_;
    to.started_ = from.started_;
    to.events_ = from.events_;

    // Each new rule takes the alert state of the old rule of its name.
    std::vector<std::optional<std::uint32_t>> old_of(after.rules.size());
    std::vector<bool> changed(after.rules.size(), false);
    for (std::uint32_t r = 0; r < after.rules.size(); ++r)
      old_of[r] = before.find_rule(after.rules[r].name);
    for (const std::string& name : report.rules.changed) changed[*after.find_rule(name)] = true;
    std::vector<std::uint32_t> removed;
    for (const std::uint32_t r : rules_by_name(before))
      if (!after.find_rule(before.rules[r].name)) removed.push_back(r);
    const std::string removed_message = removed_rule_message(after);
    detail::household_work& w = to.work_;
    std::vector<std::uint32_t> all(to.households_.size());
    for (std::uint32_t h = 0; h < to.households_.size(); ++h) {
      all[h] = h;
      stream_engine::household_state& s = to.households_[h];
      s.packed.unpack(w, before.rules.size());
      for (const std::uint32_t r : removed)
        if (w.tracker.states()[r].raised)
          out.removed.push_back(alert{to.clock_, std::string(to.ids_.get(h)), r,
                                      alert_state::cleared, removed_message, h});
      alert_tracker carried(after.rules.size());
      for (std::uint32_t r = 0; r < after.rules.size(); ++r) {
        if (!old_of[r]) continue;
        alert_tracker::state state = w.tracker.states()[*old_of[r]];
        // A changed rule keeps its alert and its last raise; the waits in
        // progress counted days of the old condition, so they start again
        // as of the clock.
        if (changed[r]) {
          state.waiting = state.holding = state.lapsing = false;
          state.held_since = state.lapsed_since = 0;
        }
        carried.states()[r] = state;
      }
      w.tracker = std::move(carried);
      s.packed.pack(w);
      s.next_check = never;
      s.resting = false;
      s.dirty = false;
    }
    // In household id order, as a stream says a day's alerts.
    std::stable_sort(out.removed.begin(), out.removed.end(), [](const alert& a, const alert& b) {
      return a.household_id < b.household_id;
    });
    // Attributes as set, typed by the new declarations (checked above).
    for (std::uint32_t row = 0; row < to.attributes_.household_count(); ++row) {
      const std::int64_t h = to.ids_.find(to.attributes_.household_id(row));
      if (h < 0) continue;
      for (std::uint32_t a = 0; a < after.attributes.size(); ++a)
        if (const auto column = to.attributes_.find_column(after.attributes[a].name))
          to.facts_.set(static_cast<std::uint32_t>(h), a, to.attributes_.text(row, *column));
    }
    from.households_.clear();
    from.started_ = false;
    from.open_ = false;
    from.pending_.clear();
    from.dirty_.clear();
    from.queue_ = {};
    if (to.started_) to.evaluate(all, to.clock_, out.opening);
    return report;
  }

 private:
  // The terms rule `r` reads, through the rules it refers to.
  static void terms_of_rule(const ruleset& rs, std::uint32_t r, std::set<std::uint32_t>& terms) {
    const rule& x = rs.rules[r];
    terms_of_node(rs, x.when, terms);
    if (x.score) terms_of_node(rs, *x.score, terms);
    for (const message_part& p : x.message)
      if (p.expression) terms_of_node(rs, *p.expression, terms);
  }
  static void terms_of_node(const ruleset& rs, std::uint32_t n, std::set<std::uint32_t>& terms) {
    const expr_node& node = rs.nodes[n];
    if (node.op == opcode::term) {
      if (terms.insert(node.a).second && rs.terms[node.a].window_days)
        terms_of_node(rs, *rs.terms[node.a].window_days, terms);
      return;
    }
    if (node.op == opcode::rule) return terms_of_rule(rs, node.a, terms);
    if (operand_count(node.op) >= 1) terms_of_node(rs, node.a, terms);
    if (operand_count(node.op) == 2) terms_of_node(rs, node.b, terms);
  }

  // Each changed or new rule must find what it reads in the kept state:
  // events within its window of the clock not folded, and for what it reads
  // of folded events, what the old rules had folded.
  static void check_history(const stream_engine& from, const ruleset& after,
                            const type_table& types, const code_table& codes,
                            stream_reload_report& report) {
    // The latest boundary of any household's folded history, counting what
    // closing the open day under the old rules folds.
    std::optional<day> folded;
    day earliest_kept = never;
    detail::household_work w;
    for (const stream_engine::household_state& s : from.households_) {
      if (s.folded_until != INT32_MIN)
        folded = std::max(folded.value_or(s.folded_until), s.folded_until);
      s.packed.unpack(w, from.rules_.rules.size());
      if (!w.dates.empty()) earliest_kept = std::min(earliest_kept, w.dates.front());
    }
    const day closing_folds = from.clock_ - from.keep_days_;
    if (earliest_kept <= closing_folds)
      folded = std::max(folded.value_or(closing_folds), closing_folds);
    if (!folded) return;  // nothing folded: every event is kept
    // Folded events count in a balance by the old rules' effects.
    for (std::size_t t = 0; t < types.size(); ++t) {
      const std::string_view name = types.name(static_cast<type_id>(t));
      if (from.rules_.effect_of(name) != after.effect_of(name))
        report.refused.push_back("event type " + std::string(name) +
                                 ": moves the balance otherwise under the new rules, and older "
                                 "events are folded into the balance by the old");
    }
    attribute_facts facts(after);
    const bound_ruleset bound(after, types, codes, &facts);
    auto needs_more = [](const std::vector<std::uint8_t>& wanted,
                         const std::vector<std::uint8_t>& had) {
      for (std::size_t t = 0; t < wanted.size(); ++t)
        if (wanted[t] && (t >= had.size() || !had[t])) return true;
      return false;
    };
    std::vector<std::string> changing = report.rules.changed;
    changing.insert(changing.end(), report.rules.added.begin(), report.rules.added.end());
    for (const std::string& name : changing) {
      const std::uint32_t r = *after.find_rule(name);
      std::set<std::uint32_t> terms;
      terms_of_rule(after, r, terms);
      std::int32_t back = 1;
      fold_needs needs;
      for (const std::uint32_t t : terms) {
        back = std::max(back, term_lookback_days(after.terms[t]));
        stream_engine::add_fold_needs(bound, t, needs);
      }
      if (*folded > from.clock_ - back)
        report.refused.push_back(name + ": reads " + std::to_string(back - 1) + " days back from " +
                                 format_date(from.clock_) +
                                 ", but the stream has folded the events up to " +
                                 format_date(*folded) + " into totals");
      else if (needs_more(needs.latest, from.needs_.latest) ||
               needs_more(needs.totals, from.needs_.totals))
        report.refused.push_back(name +
                                 ": reads latest events or totals over all history of an event "
                                 "type the old rules did not, and older events are folded");
    }
  }

  // The attributes as set must read under the new declarations.
  static void check_attribute_values(const household_attributes& set, const ruleset& after,
                                     stream_reload_report& report) {
    for (const attribute_declaration& a : after.attributes) {
      const auto column = set.find_column(a.name);
      if (!column) continue;
      for (std::uint32_t row = 0; row < set.household_count(); ++row)
        if (const auto problem = attribute_problem(a.kind, set.text(row, *column))) {
          report.refused.push_back("attribute " + a.name + " (" + std::string(to_string(a.kind)) +
                                   ") of household " + std::string(set.household_id(row)) + ": '" +
                                   std::string(set.text(row, *column)) + "' " + *problem);
          break;
        }
    }
  }
};

}  // namespace earlywarn

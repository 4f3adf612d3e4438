// Worklists, explanations, signals and back-tests for Python. Each runs
// without the GIL and returns columns (numpy arrays and lists of str) that the
// package turns into DataFrames.

#include "bindings.hpp"

namespace earlywarn::python {
namespace {

// (worklist columns, as of, ruleset name, version, fingerprint) as a dict.
py::dict evaluate_columns(const ruleset& rules, const ledger& events, day as_of, unsigned threads,
                          bool by_household, py::object progress) {
  progress_bridge bridge(std::move(progress));
  evaluation_options options;
  options.threads = threads;
  options.progress = bridge.function<std::size_t>();
  worklist result;
  std::vector<household_summary> summaries;
  {
    py::gil_scoped_release release;
    result = evaluate(rules, events, as_of, options);
    if (by_household) summaries = summarize_by_household(result);
  }
  bridge.rethrow();
  py::dict out;
  if (by_household) {
    const std::size_t n = summaries.size();
    std::vector<std::string> ids(n), messages(n);
    std::vector<std::uint8_t> levels(n);
    std::vector<double> scores(n);
    py::list fired(n);
    for (std::size_t i = 0; i < n; ++i) {
      ids[i] = std::move(summaries[i].household_id);
      messages[i] = std::move(summaries[i].message);
      levels[i] = static_cast<std::uint8_t>(summaries[i].level);
      scores[i] = to_float(summaries[i].score);
      fired[i] = to_list(summaries[i].rules);
    }
    out["household"] = to_list(ids);
    out["severity"] = to_numpy(std::move(levels));
    out["score"] = to_numpy(std::move(scores));
    out["rules"] = fired;
    out["message"] = to_list(messages);
  } else {
    const std::size_t n = result.rows.size();
    std::vector<std::string> ids(n), messages(n);
    std::vector<std::uint32_t> rule(n);
    std::vector<std::uint8_t> levels(n);
    std::vector<double> scores(n);
    for (std::size_t i = 0; i < n; ++i) {
      worklist_row& r = result.rows[i];
      ids[i] = std::move(r.household_id);
      messages[i] = std::move(r.message);
      rule[i] = r.rule;
      levels[i] = static_cast<std::uint8_t>(r.level);
      scores[i] = to_float(r.score);
    }
    out["household"] = to_list(ids);
    out["rule"] = to_numpy(std::move(rule));
    out["severity"] = to_numpy(std::move(levels));
    out["score"] = to_numpy(std::move(scores));
    out["message"] = to_list(messages);
  }
  return out;
}

py::list readings_list(const std::vector<reading>& readings) {
  py::list out;
  for (const reading& r : readings)
    out.append(py::make_tuple(r.expression, r.value, to_string(r.kind)));
  return out;
}

py::dict explain_household(const ruleset& rules, const ledger& events, const std::string& id,
                           day as_of) {
  const auto h = events.find_household(id);
  if (!h) throw py::key_error("no household '" + id + "' in the ledger");
  household_explanation x;
  {
    py::gil_scoped_release release;
    x = explain(rules, events, *h, as_of);
  }
  py::dict out;
  out["household"] = x.household_id;
  out["as_of"] = x.as_of;
  out["exists"] = x.exists;
  out["ruleset"] = x.ruleset_name;
  out["version"] = x.ruleset_version;
  out["fingerprint"] = x.fingerprint;
  out["signals"] = readings_list(x.signals);
  out["attributes"] = readings_list(x.attributes);
  py::list rule_list;
  for (const rule_explanation& r : x.rules) {
    py::dict d;
    d["rule"] = r.rule;
    d["fired"] = r.fired;
    d["severity"] = std::string(to_string(r.level));
    d["score"] = to_float(r.score);
    d["score_text"] = r.score ? py::object(py::str(r.score.to_string())) : py::none();
    d["message"] = r.message;
    d["when"] = r.when;
    d["readings"] = readings_list(r.readings);
    d["holds"] = r.holds;
    d["decision"] = r.decision.empty() ? py::object(py::none()) : py::object(py::str(r.decision));
    d["outranked_by"] =
        r.outranked_by.empty() ? py::object(py::none()) : py::object(py::str(r.outranked_by));
    rule_list.append(std::move(d));
  }
  out["rules"] = rule_list;
  return out;
}

py::dict signals_columns(const ledger& events, day as_of, const ruleset* rules, unsigned threads,
                         py::object progress) {
  progress_bridge bridge(std::move(progress));
  evaluation_options options;
  options.threads = threads;
  options.progress = bridge.function<std::size_t>();
  std::vector<signal_row> rows;
  {
    py::gil_scoped_release release;
    rows = compute_signals(events, as_of, rules, options);
  }
  bridge.rethrow();
  const std::size_t n = rows.size();
  std::vector<std::string> ids(n);
  std::vector<std::int64_t> balance(n), arrears(n);
  std::vector<std::int32_t> arrears_days(n), tenure_days(n);
  std::vector<std::uint8_t> plan_active(n), plan_breached(n);
  for (std::size_t i = 0; i < n; ++i) {
    ids[i] = std::move(rows[i].household_id);
    balance[i] = rows[i].balance;
    arrears[i] = rows[i].arrears;
    arrears_days[i] = rows[i].arrears_days;
    tenure_days[i] = rows[i].tenure_days;
    plan_active[i] = rows[i].plan_active;
    plan_breached[i] = rows[i].plan_breached;
  }
  py::dict out;
  out["household"] = to_list(ids);
  out["balance_cents"] = to_numpy(std::move(balance));
  out["arrears_cents"] = to_numpy(std::move(arrears));
  out["arrears_days"] = to_numpy(std::move(arrears_days));
  out["tenure_days"] = to_numpy(std::move(tenure_days));
  out["plan_active"] = to_numpy(std::move(plan_active));
  out["plan_breached"] = to_numpy(std::move(plan_breached));
  return out;
}

// Back-tests each of `rules` over the same period in one pass
// (backtest_each()), with Python's progress and the GIL released.
std::vector<std::vector<alert>> run_backtest_each(const std::vector<const ruleset*>& rules,
                                                  const ledger& events, day from, day to,
                                                  const std::string& every, unsigned threads,
                                                  py::object progress, bool messages = true) {
  backtest_options options;
  options.messages = messages;
  const auto step = parse_backtest_step(every);
  if (!step) throw py::value_error("every is 'day', 'week' or 'month', not '" + every + "'");
  options.every = *step;
  if (to < from) throw py::value_error("the back-test ends before it starts");
  progress_bridge bridge(std::move(progress));
  options.threads = threads;
  options.progress = bridge.function<std::size_t>();
  std::vector<std::vector<alert>> alerts;
  {
    py::gil_scoped_release release;
    alerts = backtest_each(rules, events, from, to, options);
  }
  bridge.rethrow();
  return alerts;
}

std::vector<alert> run_backtest(const ruleset& rules, const ledger& events, day from, day to,
                                const std::string& every, unsigned threads, py::object progress,
                                bool messages = true) {
  return std::move(
      run_backtest_each({&rules}, events, from, to, every, threads, std::move(progress), messages)
          .front());
}

py::dict backtest_columns(const ruleset& rules, const ledger& events, day from, day to,
                          const std::string& every, unsigned threads, py::object progress) {
  std::vector<alert> alerts = run_backtest(rules, events, from, to, every, threads, progress);
  const std::size_t n = alerts.size();
  std::vector<std::int32_t> dates(n);
  std::vector<std::uint32_t> households(n), rule(n);
  std::vector<std::uint8_t> state(n);
  std::vector<std::string> messages(n);
  for (std::size_t i = 0; i < n; ++i) {
    dates[i] = alerts[i].date;
    households[i] = alerts[i].household;
    rule[i] = alerts[i].rule;
    state[i] = static_cast<std::uint8_t>(alerts[i].state);  // raised, cleared, open
    messages[i] = std::move(alerts[i].message);
  }
  py::dict out;
  out["date"] = to_numpy(std::move(dates));
  out["household_codes"] = to_numpy(std::move(households));
  out["rule"] = to_numpy(std::move(rule));
  out["state"] = to_numpy(std::move(state));
  out["message"] = to_list(messages);
  return out;
}

py::dict summary_dict(const backtest_summary& s) {
  const std::size_t n = s.rows.size();
  std::vector<std::uint32_t> rule(n);
  std::vector<std::int32_t> month(n), median(n), p90(n);
  std::vector<std::uint64_t> raises(n), households(n), open(n), reraises(n), closed(n);
  std::vector<double> per_year(n), mean_open(n);
  for (std::size_t i = 0; i < n; ++i) {
    const summary_row& r = s.rows[i];
    rule[i] = r.rule;
    month[i] = r.month.value_or(-1);  // -1: the whole period
    raises[i] = r.raises;
    households[i] = r.households;
    open[i] = r.open;
    reraises[i] = r.reraises;
    closed[i] = r.closed;
    median[i] = r.median_open_days.value_or(-1);  // -1: no value
    p90[i] = r.p90_open_days.value_or(-1);
    per_year[i] = r.raises_per_household_year;
    mean_open[i] = r.mean_open;
  }
  py::dict out;
  out["rule"] = to_numpy(std::move(rule));
  out["month"] = to_numpy(std::move(month));
  out["raises"] = to_numpy(std::move(raises));
  out["households"] = to_numpy(std::move(households));
  out["open"] = to_numpy(std::move(open));
  out["reraises"] = to_numpy(std::move(reraises));
  out["closed"] = to_numpy(std::move(closed));
  out["median_open_days"] = to_numpy(std::move(median));
  out["p90_open_days"] = to_numpy(std::move(p90));
  out["raises_per_household_year"] = to_numpy(std::move(per_year));
  out["mean_open"] = to_numpy(std::move(mean_open));
  out["household_years"] = s.household_years;
  return out;
}

py::dict summary_columns(const ruleset& rules, const ledger& events, day from, day to,
                         const std::string& every, unsigned threads, py::object progress,
                         std::int32_t reraise_days) {
  if (reraise_days < 0) throw py::value_error("reraise_days is 0 or more");
  const std::vector<alert> alerts =
      run_backtest(rules, events, from, to, every, threads, std::move(progress), false);
  summary_options options;
  options.reraise_days = reraise_days;
  return summary_dict(summarize_backtest(alerts, rules, events, from, to, options));
}

outcome_options outcome_options_of(std::vector<std::string> types, std::int32_t horizon_days) {
  outcome_options options;
  options.types = std::move(types);
  options.horizon_days = horizon_days;
  if (options.types.empty()) throw py::value_error("outcomes names no event type");
  if (horizon_days < 0) throw py::value_error("horizon_days is 0 or more");
  return options;
}

py::dict outcome_dict(const outcome_report& report) {
  const std::size_t n = report.rows.size();
  std::vector<std::uint32_t> rule(n);
  std::vector<std::uint64_t> outcomes(n), warned(n), raises(n), followed(n), cleared(n),
      recovered(n);
  std::vector<double> recall(n), precision(n), q1(n), median(n), q3(n);
  const double none = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t i = 0; i < n; ++i) {
    const outcome_row& r = report.rows[i];
    rule[i] = r.rule;
    outcomes[i] = r.outcomes;
    warned[i] = r.warned;
    raises[i] = r.raises;
    followed[i] = r.followed;
    cleared[i] = r.cleared;
    recovered[i] = r.recovered;
    recall[i] = r.recall().value_or(none);
    precision[i] = r.precision().value_or(none);
    q1[i] = r.lead_q1 ? *r.lead_q1 : none;
    median[i] = r.lead_median ? *r.lead_median : none;
    q3[i] = r.lead_q3 ? *r.lead_q3 : none;
  }
  py::dict out;
  out["rule"] = to_numpy(std::move(rule));
  out["outcomes"] = to_numpy(std::move(outcomes));
  out["warned"] = to_numpy(std::move(warned));
  out["recall"] = to_numpy(std::move(recall));
  out["raises"] = to_numpy(std::move(raises));
  out["followed"] = to_numpy(std::move(followed));
  out["precision"] = to_numpy(std::move(precision));
  out["lead_days_q1"] = to_numpy(std::move(q1));
  out["lead_days_median"] = to_numpy(std::move(median));
  out["lead_days_q3"] = to_numpy(std::move(q3));
  out["cleared"] = to_numpy(std::move(cleared));
  out["recovered"] = to_numpy(std::move(recovered));
  out["households"] = report.households;
  return out;
}

py::dict outcome_columns(const ruleset& rules, const ledger& events, day from, day to,
                         const std::string& every, unsigned threads, py::object progress,
                         std::vector<std::string> types, std::int32_t horizon_days) {
  const outcome_options options = outcome_options_of(std::move(types), horizon_days);
  const std::vector<alert> alerts =
      run_backtest(rules, events, from, to, every, threads, std::move(progress), false);
  return outcome_dict(evaluate_outcomes(alerts, rules, events, from, to, options));
}

// The summary and, given outcome types, the outcome report of one back-test,
// and each household and rule's first alert (raised or open): what tuning
// compares, at the cost of one back-test.
py::dict report_dict(const std::vector<alert>& alerts, const ruleset& rules, const ledger& events,
                     day from, day to, std::int32_t reraise_days,
                     const std::optional<outcome_options>& outcomes) {
  summary_options options;
  options.reraise_days = reraise_days;
  py::dict out;
  out["summary"] = summary_dict(summarize_backtest(alerts, rules, events, from, to, options));
  out["outcomes"] =
      outcomes
          ? py::object(outcome_dict(evaluate_outcomes(alerts, rules, events, from, to, *outcomes)))
          : py::object(py::none());
  // Alerts come in date order: a pair's first is the one kept.
  std::vector<bool> seen(events.household_count() * rules.rules.size());
  std::vector<std::uint32_t> households, rule;
  std::vector<std::int32_t> dates;
  for (const alert& a : alerts) {
    if (a.state == alert_state::cleared) continue;
    const std::size_t key = std::size_t{a.household} * rules.rules.size() + a.rule;
    if (seen[key]) continue;
    seen[key] = true;
    households.push_back(a.household);
    rule.push_back(a.rule);
    dates.push_back(a.date);
  }
  py::dict first;
  first["household_codes"] = to_numpy(std::move(households));
  first["rule"] = to_numpy(std::move(rule));
  first["date"] = to_numpy(std::move(dates));
  out["first_alerts"] = std::move(first);
  return out;
}

// report_dict() for each of `rules`, back-tested together: rulesets that fire
// alike (a sweep of a param only alert clauses read) share one evaluation.
py::list report_columns(const std::vector<std::shared_ptr<ruleset>>& rules, const ledger& events,
                        day from, day to, const std::string& every, unsigned threads,
                        py::object progress, std::int32_t reraise_days,
                        std::vector<std::string> types, std::int32_t horizon_days) {
  if (reraise_days < 0) throw py::value_error("reraise_days is 0 or more");
  std::optional<outcome_options> outcomes;
  if (!types.empty()) outcomes = outcome_options_of(std::move(types), horizon_days);
  std::vector<const ruleset*> each;
  for (const auto& r : rules) each.push_back(r.get());
  std::vector<std::vector<alert>> alerts =
      run_backtest_each(each, events, from, to, every, threads, std::move(progress), false);
  py::list out;
  for (std::size_t i = 0; i < each.size(); ++i) {
    out.append(report_dict(alerts[i], *each[i], events, from, to, reraise_days, outcomes));
    std::vector<alert>().swap(alerts[i]);
  }
  return out;
}

}  // namespace

void register_evaluation(py::module_& m) {
  m.def(
      "latest_recorded_date",
      [](const ledger& events, const ruleset& rules) {
        return latest_recorded_date(events, rules);
      },
      py::arg("ledger"), py::arg("rules"),
      "The default as-of day: the latest event not of a type the rules declare scheduled.");
  m.def("evaluate", &evaluate_columns, py::arg("rules"), py::arg("ledger"), py::arg("as_of"),
        py::arg("threads"), py::arg("by_household"), py::arg("progress"),
        "The worklist as of a day, as columns (or one row per household).");
  m.def("explain", &explain_household, py::arg("rules"), py::arg("ledger"), py::arg("household"),
        py::arg("as_of"), "Every rule's verdict for one household, with the values it read.");
  m.def(
      "signals",
      [](const ledger& events, day as_of, const std::shared_ptr<ruleset>& rules, unsigned threads,
         py::object progress) {
        return signals_columns(events, as_of, rules.get(), threads, std::move(progress));
      },
      py::arg("ledger"), py::arg("as_of"), py::arg("rules").none(true), py::arg("threads"),
      py::arg("progress"), "Every household's built-in signals as columns.");
  m.def("backtest", &backtest_columns, py::arg("rules"), py::arg("ledger"), py::arg("start"),
        py::arg("end"), py::arg("every"), py::arg("threads"), py::arg("progress"),
        "The alerts raised, cleared and found open over a period, as columns.");
  m.def("backtest_summary", &summary_columns, py::arg("rules"), py::arg("ledger"), py::arg("start"),
        py::arg("end"), py::arg("every"), py::arg("threads"), py::arg("progress"),
        py::arg("reraise_days"), "A back-test's summary per rule and per month, as columns.");
  m.def("backtest_outcomes", &outcome_columns, py::arg("rules"), py::arg("ledger"),
        py::arg("start"), py::arg("end"), py::arg("every"), py::arg("threads"), py::arg("progress"),
        py::arg("types"), py::arg("horizon_days"),
        "Each rule's recall, precision and lead time against outcome events, as columns.");
  m.def("backtest_reports", &report_columns, py::arg("rules"), py::arg("ledger"), py::arg("start"),
        py::arg("end"), py::arg("every"), py::arg("threads"), py::arg("progress"),
        py::arg("reraise_days"), py::arg("types"), py::arg("horizon_days"),
        "For each ruleset, the summary and the outcome report of its back-test, all back-tested "
        "in one pass.");
}

}  // namespace earlywarn::python

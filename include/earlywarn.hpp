#pragma once
/// \file earlywarn.hpp
/// Everything public, stage by stage (docs/architecture.md): the model,
/// loading, evaluation, streaming and back-tests, rule tests. Internals
/// under earlywarn/detail/ come in through the headers that use them.

#include "earlywarn/fwd.hpp"

// The model: dates, amounts, values, ledgers, rules.
#include "earlywarn/model/date.hpp"
#include "earlywarn/model/duration.hpp"
#include "earlywarn/model/error.hpp"
#include "earlywarn/model/event_code.hpp"
#include "earlywarn/model/event_type.hpp"
#include "earlywarn/model/household_attributes.hpp"
#include "earlywarn/model/ledger.hpp"
#include "earlywarn/model/money.hpp"
#include "earlywarn/model/plan_frequency.hpp"
#include "earlywarn/model/ruleset.hpp"
#include "earlywarn/model/value.hpp"

// Loading: rules, ledgers and attributes from text, with diagnostics.
#include "earlywarn/loading/attributes_csv.hpp"
#include "earlywarn/loading/diagnostic.hpp"
#include "earlywarn/loading/ledger_csv.hpp"
#include "earlywarn/loading/ledger_load.hpp"
#include "earlywarn/loading/ledger_rows.hpp"
#include "earlywarn/loading/load_rules.hpp"
#include "earlywarn/loading/unknown_event_types.hpp"

// Evaluation: signals, the worklist and explanations as of a day.
#include "earlywarn/evaluation/attribute_facts.hpp"
#include "earlywarn/evaluation/evaluate.hpp"
#include "earlywarn/evaluation/explain.hpp"
#include "earlywarn/evaluation/household_evaluator.hpp"
#include "earlywarn/evaluation/household_signals.hpp"
#include "earlywarn/evaluation/signals_table.hpp"
#include "earlywarn/evaluation/worklist.hpp"

// Streaming: alerts over time, checkpoints, reloads, back-tests and their
// summaries.
#include "earlywarn/streaming/alert_tracker.hpp"
#include "earlywarn/streaming/alerts.hpp"
#include "earlywarn/streaming/backtest.hpp"
#include "earlywarn/streaming/backtest_summary.hpp"
#include "earlywarn/streaming/checkpoint.hpp"
#include "earlywarn/streaming/outcomes.hpp"
#include "earlywarn/streaming/rule_changes.hpp"
#include "earlywarn/streaming/stream.hpp"
#include "earlywarn/streaming/stream_reload.hpp"

// Rule tests: scenario files (library earlywarn::scenarios).
#include "earlywarn/rule_tests/scenarios.hpp"

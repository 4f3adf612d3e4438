#pragma once
/// \file earlywarn.hpp
/// Everything: ledgers, rules, evaluation, explanations.

#include "earlywarn/alerts.hpp"
#include "earlywarn/backtest.hpp"
#include "earlywarn/change_schedule.hpp"
#include "earlywarn/date.hpp"
#include "earlywarn/diagnostic.hpp"
#include "earlywarn/duration.hpp"
#include "earlywarn/effect_table.hpp"
#include "earlywarn/evaluate.hpp"
#include "earlywarn/event_type.hpp"
#include "earlywarn/explain.hpp"
#include "earlywarn/household_evaluator.hpp"
#include "earlywarn/household_signals.hpp"
#include "earlywarn/ledger.hpp"
#include "earlywarn/ledger_csv.hpp"
#include "earlywarn/load_rules.hpp"
#include "earlywarn/money.hpp"
#include "earlywarn/ruleset.hpp"
#include "earlywarn/signals_table.hpp"
#include "earlywarn/value.hpp"
#include "earlywarn/worklist.hpp"

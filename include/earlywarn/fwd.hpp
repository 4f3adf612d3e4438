#pragma once
/// \file fwd.hpp
/// Declarations of earlywarn's public types, for headers that only name
/// them (in a signature, a pointer or a reference) and should not pay for
/// their definitions. Each declaration agrees with its definition in the
/// stage header named beside it; tests/fwd_test.cpp includes both.

#include <cstdint>

namespace earlywarn {

// model/: the data the rules read
using day = std::int32_t;                  ///< days since 1970-01-01 (model/date.hpp)
using cents = std::int64_t;                ///< an amount in hundredths (model/money.hpp)
using type_id = std::uint16_t;             ///< an event type's index (model/event_type.hpp)
using code_id = std::uint16_t;             ///< an event code's index (model/event_code.hpp)
using household_index = std::uint32_t;     ///< a household's row in a ledger (model/ledger.hpp)
enum class error_kind : std::uint8_t;      // model/error.hpp
struct error;                              // model/error.hpp
class invalid_input;                       // model/error.hpp
struct civil_date;                         // model/date.hpp
struct duration;                           // model/duration.hpp
enum class period : std::uint8_t;          // model/duration.hpp
enum class unit : std::uint8_t;            // model/value.hpp
class value;                               // model/value.hpp
enum class balance_effect : std::int8_t;   // model/event_type.hpp
enum class plan_frequency : std::uint8_t;  // model/plan_frequency.hpp
class type_table;                          // model/ledger.hpp
class code_table;                          // model/event_code.hpp
class ledger;                              // model/ledger.hpp
class ledger_builder;                      // model/ledger.hpp
class household_attributes;                // model/household_attributes.hpp
enum class severity : std::uint8_t;        // model/ruleset.hpp
enum class attribute_kind : std::uint8_t;  // model/ruleset.hpp
struct rule;                               // model/ruleset.hpp
struct ruleset;                            // model/ruleset.hpp

// loading/: text and files in, with what was wrong in them
struct source_location;                         // loading/diagnostic.hpp
enum class diagnostic_level : std::uint8_t;     // loading/diagnostic.hpp
struct diagnostic;                              // loading/diagnostic.hpp
struct rules_load;                              // loading/load_rules.hpp
struct ledger_load;                             // loading/ledger_load.hpp
struct ledger_csv_options;                      // loading/ledger_csv.hpp
class ledger_row_reader;                        // loading/ledger_rows.hpp
struct attributes_load;                         // loading/attributes_csv.hpp
struct unknown_event_type;                      // loading/unknown_event_types.hpp
enum class unknown_type_policy : std::uint8_t;  // loading/unknown_event_types.hpp

// evaluation/: a ledger as of a day
class attribute_facts;                   // evaluation/attribute_facts.hpp
class household_signals;                 // evaluation/household_signals.hpp
struct signal_row;                       // evaluation/signals_table.hpp
class bound_ruleset;                     // evaluation/household_evaluator.hpp
class household_evaluator;               // evaluation/household_evaluator.hpp
struct evaluation_options;               // evaluation/evaluate.hpp
struct worklist_row;                     // evaluation/worklist.hpp
struct worklist;                         // evaluation/worklist.hpp
struct household_summary;                // evaluation/worklist.hpp
enum class reading_kind : std::uint8_t;  // evaluation/explain.hpp
struct reading;                          // evaluation/explain.hpp
struct rule_explanation;                 // evaluation/explain.hpp
struct household_explanation;            // evaluation/explain.hpp

// streaming/: alerts over time, from a stream or a back-test
enum class alert_state : std::uint8_t;    // streaming/alert_tracker.hpp
struct alert;                             // streaming/alert_tracker.hpp
class alert_tracker;                      // streaming/alert_tracker.hpp
struct stream_options;                    // streaming/stream.hpp
enum class push_result : std::uint8_t;    // streaming/stream.hpp
class stream_engine;                      // streaming/stream.hpp
struct checkpoint_position;               // streaming/checkpoint.hpp
class stream_checkpoint;                  // streaming/checkpoint.hpp
struct rule_changes;                      // streaming/rule_changes.hpp
struct stream_reload_report;              // streaming/stream_reload.hpp
class stream_reload;                      // streaming/stream_reload.hpp
enum class backtest_step : std::uint8_t;  // streaming/backtest.hpp
struct backtest_options;                  // streaming/backtest.hpp
struct summary_options;                   // streaming/backtest_summary.hpp
struct backtest_summary;                  // streaming/backtest_summary.hpp
struct outcome_options;                   // streaming/outcomes.hpp
struct outcome_report;                    // streaming/outcomes.hpp

// rule_tests/: scenario files a rules author writes
struct scenario_options;  // rule_tests/scenarios.hpp
struct test_report;       // rule_tests/scenarios.hpp

}  // namespace earlywarn

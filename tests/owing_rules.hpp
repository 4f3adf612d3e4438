#pragma once
// A ruleset whose every rule needs something owed, shared by the back-test
// and stream tests.

namespace earlywarn::testing {

// Every rule needs something owed (paid_up.hpp), so back-tests and streams
// skip households that owe nothing and have no alert open; skipping must
// change no alert, raised or cleared, cooldowns included.
inline constexpr const char* owing_rules_text = R"(
ruleset "owing" version 1
event clawback increases
event refund decreases
param t_days = 30
param t_money = 1000
rule late { when arrears_days > t_days  cooldown 20d  message "{arrears_days} days late" }
rule owing { when arrears > t_money and (missing(days_since(payment)) or days_since(payment) > 45) }
rule in_debt { when balance > 0 and count(charge, 2m) >= 2  cooldown 1m }
rule broken { when plan_breached  cooldown 2w }
rule kept { when plan_active and not plan_breached }
rule spiral { when 10 < arrears_days and trend(balance, 4m) > 0 }
rule benefit { when count(credit, 6m) >= 1 and count(credit, 2m) == 0 and arrears > 0 }
rule either { when late or broken }
rule both { when (late and spiral) or arrears_days >= 3m }
rule custom { when sum(clawback, 3m) > 0 and balance >= 1 }
rule exactly { when arrears_days == 40 }
)";

}  // namespace earlywarn::testing

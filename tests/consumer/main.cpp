// Loads rules and a ledger and evaluates them: proves the installed or
// embedded library is usable as documented.
#include "earlywarn.hpp"

int main() {
  const auto rules = earlywarn::compile_rules("rule late { when arrears_days > 10 }", "c.rules");
  if (!rules.ok()) return 1;
  const auto load = earlywarn::parse_ledger_csv(
      "household,date,type,amount\nA,2024-01-01,charge,100\nB,2024-01-01,charge,100\n"
      "B,2024-01-02,payment,100\n");
  if (!load.ok()) return 2;
  const auto w = earlywarn::evaluate(*rules.rules, load.events, *earlywarn::parse_date("2024-02-01"));
  return w.rows.size() == 1 && w.rows[0].household_id == "A" ? 0 : 3;
}

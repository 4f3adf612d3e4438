#pragma once
// Random ledgers for property tests: regular rent, random payments, plans that
// start and end, several events on one day, zero amounts, custom types
// (clawback increases, refund decreases), neutral letters and contacts.

#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "earlywarn.hpp"
#include "reference/reference_model.hpp"

namespace {

using earlywarn::day;

struct random_ledger {
  std::string csv;
  std::map<std::string, std::vector<reference::event>> events;
};

random_ledger make_ledger(std::mt19937_64& rng, int households) {
  auto pick = [&](long long lo, long long hi) {
    return std::uniform_int_distribution<long long>(lo, hi)(rng);
  };
  random_ledger out;
  out.csv = "household,date,type,amount,note\n";
  const day base = earlywarn::to_day({2022, 1, 1});
  for (int h = 0; h < households; ++h) {
    const std::string id = "H" + std::to_string(pick(0, 99999)) + "-" + std::to_string(h);
    const day start = base + static_cast<day>(pick(0, 500));
    const long long rent = pick(1, 3) == 1 ? pick(0, 100) * 100 : pick(300000, 1500000);
    const int months = static_cast<int>(pick(0, 30));
    std::vector<std::tuple<day, std::string, long long>> rows;
    for (int m = 0; m < months; ++m) {
      const day due = earlywarn::add_months(start, m);
      rows.emplace_back(due, "charge", rent);
      if (pick(0, 5) == 0) rows.emplace_back(due, "charge", pick(0, 200000));
      const long long behaviour = pick(0, 9);
      if (behaviour < 5)
        rows.emplace_back(due + static_cast<day>(pick(0, 40)), "payment", rent);
      else if (behaviour < 7)
        rows.emplace_back(due + static_cast<day>(pick(0, 60)), "payment", pick(0, rent));
      else if (behaviour == 7)
        rows.emplace_back(due + static_cast<day>(pick(0, 10)), "payment", 2 * rent + pick(0, 99));
      if (pick(0, 6) == 0)
        rows.emplace_back(due + static_cast<day>(pick(0, 20)), "credit", pick(0, rent));
      if (pick(0, 12) == 0)
        rows.emplace_back(due + static_cast<day>(pick(0, 28)), "plan",
                          pick(0, 3) == 0 ? 0 : pick(1000, 300000));
      if (pick(0, 15) == 0) rows.emplace_back(due + static_cast<day>(pick(0, 28)), "contact", 0);
      if (pick(0, 20) == 0)
        rows.emplace_back(due + static_cast<day>(pick(0, 28)), "clawback", pick(0, 50000));
      if (pick(0, 20) == 0)
        rows.emplace_back(due + static_cast<day>(pick(0, 28)), "refund", pick(0, 50000));
      if (pick(0, 25) == 0) rows.emplace_back(due + static_cast<day>(pick(0, 28)), "letter", 0);
    }
    if (rows.empty()) rows.emplace_back(start, "letter", 0);  // a household with no money events
    std::shuffle(rows.begin(), rows.end(), rng);
    for (const auto& [d, type, amount] : rows) {
      out.csv += id + "," + earlywarn::format_date(d) + "," + type + ",";
      if (!(type == "contact" || type == "letter") || pick(0, 1) == 0)
        out.csv += earlywarn::format_cents(amount);
      out.csv += ",x\n";
      out.events[id].push_back({reference::from_iso(earlywarn::format_date(d)), type, amount});
    }
  }
  return out;
}

}  // namespace

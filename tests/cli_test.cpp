// The earlywarn command as a user runs it: its worklist equals the library's,
// its errors are located and its exit codes are right.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "earlywarn.hpp"

namespace {

namespace fs = std::filesystem;

struct outcome {
  int exit_code;
  std::string out;
  std::string err;
};

fs::path temp_dir() {
  const fs::path dir = fs::temp_directory_path() / ("earlywarn-cli-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

outcome run_cli(const std::string& arguments) {
  const fs::path err = temp_dir() / "stderr.txt";
  const std::string command = std::string(EARLYWARN_CLI) + " " + arguments + " 2>" + err.string();
  FILE* pipe = ::popen(command.c_str(), "r");
  std::string out;
  char buffer[65536];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out, read_file(err)};
}

const std::string rules_path =
    std::string(EARLYWARN_SOURCE_DIR) + "/rules/housing-early-warning.rules";
const std::string sample_path = std::string(EARLYWARN_SOURCE_DIR) + "/examples/sample-ledger.csv";

earlywarn::ruleset standard_rules(const earlywarn::param_overrides& overrides = {}) {
  auto load = earlywarn::load_rules(rules_path, overrides);
  EXPECT_TRUE(load.ok()) << load.report();
  return std::move(*load.rules);
}

const earlywarn::ledger& sample() {
  static const earlywarn::ledger l = [] {
    auto load = earlywarn::load_ledger_csv(sample_path);
    EXPECT_TRUE(load.ok());
    return std::move(load.events);
  }();
  return l;
}

TEST(cli, run_prints_exactly_the_library_worklist_for_several_dates) {
  const auto rules = standard_rules();
  for (const char* date : {"2022-06-30", "2023-02-28", "2024-02-29", "2024-12-31"}) {
    const outcome r =
        run_cli("run --rules " + rules_path + " --ledger " + sample_path + " --as-of " + date);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto w = earlywarn::evaluate(rules, sample(), *earlywarn::parse_date(date));
    EXPECT_GT(w.rows.size(), 10u) << date;
    EXPECT_EQ(r.out, earlywarn::worklist_csv(w)) << date;
  }
}

TEST(cli, as_of_defaults_to_the_latest_event_date) {
  const outcome r = run_cli("run --rules " + rules_path + " --ledger " + sample_path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, earlywarn::worklist_csv(
                       earlywarn::evaluate(standard_rules(), sample(), *sample().last_date())));
}

TEST(cli, the_default_as_of_leaves_out_scheduled_events_and_warns_beyond_today) {
  const fs::path rules = temp_dir() / "hearing.rules", ledger = temp_dir() / "hearing.csv";
  std::ofstream(rules) << "event hearing scheduled\n"
                          "rule hearing_soon { when days_until(hearing) <= 14 }\n"
                          "rule owing { when arrears > 0 }\n";
  std::ofstream(ledger) << "household,date,type,amount\n"
                           "A,2024-01-01,charge,500\n"
                           "A,2024-03-20,hearing,\n"
                           "B,2024-02-01,charge,500\n";
  const std::string base = " --rules " + rules.string() + " --ledger " + ledger.string();
  const outcome run = run_cli("run" + base);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  // As of 2024-02-01, B's charge: the hearing is 48 days ahead.
  EXPECT_EQ(run.out,
            "household,rule,severity,score,message\nA,owing,medium,0,\nB,owing,medium,0,\n");
  const outcome backtest = run_cli("backtest" + base);
  ASSERT_EQ(backtest.exit_code, 0) << backtest.err;
  EXPECT_EQ(backtest.out.find("hearing_soon"), std::string::npos);  // ends on 2024-02-01
  // A planned date written as an ordinary event moves the default: a warning.
  std::ofstream(ledger, std::ios::app) << "B,9999-01-01,letter,\n";
  const outcome ahead = run_cli("run" + base);
  ASSERT_EQ(ahead.exit_code, 0) << ahead.err;
  EXPECT_NE(ahead.err.find("the ledger's latest event is dated 9999-01-01, after today"),
            std::string::npos)
      << ahead.err;
  EXPECT_NE(ahead.err.find("'event TYPE scheduled'"), std::string::npos) << ahead.err;
}

TEST(cli, household_attributes_are_read_shown_as_columns_and_checked_with_their_line) {
  const fs::path rules = temp_dir() / "facts.rules", ledger = temp_dir() / "facts.csv",
                 facts = temp_dir() / "facts-attributes.csv";
  std::ofstream(rules) << "attribute weekly_rent money\n"
                          "attribute vulnerable flag\n"
                          "rule two_weeks { when arrears >= 2 * weekly_rent "
                          "message \"rent {weekly_rent}\" }\n"
                          "rule vulnerable_owing { when vulnerable and arrears > 0 }\n";
  std::ofstream(ledger) << "household,date,type,amount\n"
                           "A,2024-01-01,charge,500\n"
                           "B,2024-01-01,charge,100\n";
  std::ofstream(facts) << "household,weekly_rent,vulnerable,district\n"
                          "A,200,no,North\n"
                          "B,\"100.00\",yes,\"South, East\"\n"
                          "Z,1,no,West\n";
  const std::string base = " --rules " + rules.string() + " --ledger " + ledger.string() +
                           " --attributes " + facts.string();
  const outcome run = run_cli("run" + base + " --columns district");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out,
            "household,rule,severity,score,message,district\n"
            "A,two_weeks,medium,0,rent 200.00,North\n"
            "B,vulnerable_owing,medium,0,,\"South, East\"\n");
  EXPECT_EQ(run.err, facts.string() +
                         ":4: warning: 1 household is not in the ledger (the first on this line); "
                         "its attributes are not read\n");
  const outcome json = run_cli("run" + base + " --columns district --by household --format json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_NE(json.out.find("\"message\":\"rent 200.00\",\"district\":\"North\"}"), std::string::npos)
      << json.out;
  const outcome explain = run_cli("explain" + base + " --household B");
  ASSERT_EQ(explain.exit_code, 0) << explain.err;
  EXPECT_NE(explain.out.find("attributes\n  weekly_rent     100.00\n  vulnerable      true\n"),
            std::string::npos)
      << explain.out;
  // Without --attributes every attribute has no value; --columns needs the file.
  const outcome bare = run_cli("run --rules " + rules.string() + " --ledger " + ledger.string());
  ASSERT_EQ(bare.exit_code, 0) << bare.err;
  EXPECT_EQ(bare.out, "household,rule,severity,score,message\n");
  EXPECT_EQ(run_cli("run --rules " + rules.string() + " --ledger " + ledger.string() +
                    " --columns district")
                .exit_code,
            2);
  EXPECT_EQ(run_cli("run" + base + " --columns team").exit_code, 2);
  // A value its kind cannot read: located, exit 1.
  std::ofstream(facts, std::ios::app) << "C,12.345,maybe,\n";
  const outcome bad = run_cli("run" + base);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find(facts.string() +
                         ":5: household 'C', attribute 'weekly_rent' (money): '12.345' is not "
                         "an amount of money"),
            std::string::npos)
      << bad.err;
  EXPECT_NE(bad.err.find(facts.string() +
                         ":5: household 'C', attribute 'vulnerable' (flag): 'maybe' is not a flag"),
            std::string::npos)
      << bad.err;
  // A malformed file: located, exit 1.
  std::ofstream(facts) << "household,weekly_rent\nA,1\nA,2\n";
  const outcome twice = run_cli("run" + base);
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_EQ(twice.err, facts.string() +
                           ":3:1: household 'A' is given twice (first at line 2): one row per "
                           "household\n");
}

TEST(cli, params_override_the_rules_file) {
  const outcome r = run_cli("run --rules " + rules_path + " --ledger " + sample_path +
                            " --param grace_days=40 --param=minimum_arrears=500");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rules = standard_rules({{"grace_days", "40"}, {"minimum_arrears", "500"}});
  EXPECT_EQ(r.out,
            earlywarn::worklist_csv(earlywarn::evaluate(rules, sample(), *sample().last_date())));
  EXPECT_NE(r.out, run_cli("run --rules " + rules_path + " --ledger " + sample_path).out);
}

TEST(cli, json_and_by_household_formats_match_the_library) {
  const auto rules = standard_rules();
  const auto w = earlywarn::evaluate(rules, sample(), *sample().last_date());
  EXPECT_EQ(run_cli("run --format json --rules " + rules_path + " --ledger " + sample_path).out,
            earlywarn::worklist_json(w));
  EXPECT_EQ(run_cli("run --by household --rules " + rules_path + " --ledger " + sample_path).out,
            earlywarn::households_csv(earlywarn::summarize_by_household(w)));
}

TEST(cli, output_is_identical_on_any_thread_count) {
  const std::string base = "run --rules " + rules_path + " --ledger " + sample_path;
  const std::string one = run_cli(base + " --threads 1").out;
  EXPECT_EQ(one, run_cli(base + " --threads 2").out);
  EXPECT_EQ(one, run_cli(base + " --threads 7").out);
}

TEST(cli, check_warnings_pass_unless_warnings_are_errors) {
  const fs::path linted = temp_dir() / "linted.rules";
  std::ofstream(linted) << "param unread = 3\nrule late { when arrears_days > 30 }\n";
  const outcome lenient = run_cli("check " + linted.string());
  EXPECT_EQ(lenient.exit_code, 0) << lenient.err;
  EXPECT_NE(lenient.err.find("linted.rules:1:7: warning: param 'unread' is never read"),
            std::string::npos)
      << lenient.err;
  const outcome strict = run_cli("check " + linted.string() + " --warnings-as-errors");
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_NE(strict.err.find("linted.rules: 1 warning, and --warnings-as-errors makes them errors"),
            std::string::npos)
      << strict.err;
  EXPECT_EQ(strict.out, "");
  // The standard and example rulesets have none.
  EXPECT_EQ(run_cli("check " + rules_path + " --warnings-as-errors").exit_code, 0);
  EXPECT_EQ(run_cli("check " + std::string(EARLYWARN_SOURCE_DIR) +
                    "/rules/examples/weekly-rent-actions.rules --warnings-as-errors")
                .exit_code,
            0);
}

TEST(cli, check_accepts_the_standard_rules_and_rejects_broken_ones) {
  const outcome good = run_cli("check " + rules_path);
  EXPECT_EQ(good.exit_code, 0) << good.err;
  EXPECT_NE(good.out.find("ok"), std::string::npos);
  const fs::path defined = temp_dir() / "defined.rules";
  std::ofstream(defined) << "define behind = arrears_days > 30\nrule late { when behind }\n";
  EXPECT_EQ(run_cli("check " + defined.string()).out,
            defined.string() +
                ": ok: ruleset \"defined\" version 1, 1 rule, 0 decisions, 1 definition, 0 params, "
                "fingerprint " +
                earlywarn::compile_rules("define behind = arrears_days > 30\nrule late { when "
                                         "behind }\n",
                                         "defined.rules")
                    .rules->fingerprint +
                "\n");

  const fs::path broken = temp_dir() / "broken.rules";
  std::ofstream(broken) << "rule a {\n  when arears > 5\n}\nrule b {\n  when 1 +\n}\n";
  const outcome bad = run_cli("check " + broken.string());
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("broken.rules:2:8: error: unknown name 'arears'; did you mean 'arrears'?"),
            std::string::npos)
      << bad.err;
  EXPECT_NE(bad.err.find("broken.rules:5:11: error: expected an expression after '+', found '}' "
                         "on line 6"),
            std::string::npos)
      << bad.err;
  // Diagnostics come in source order, whichever stage found them.
  EXPECT_LT(bad.err.find("broken.rules:2:8"), bad.err.find("broken.rules:5:11"));
}

TEST(cli, malformed_ledger_fails_with_file_line_and_column) {
  const fs::path ledger = temp_dir() / "bad.csv";
  std::ofstream(ledger)
      << "household,date,type,amount\nA,2024-01-01,charge,100\nA,2024-13-01,payment,5\n";
  const outcome r = run_cli("run --rules " + rules_path + " --ledger " + ledger.string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find(ledger.string() + ":3:3: bad date '2024-13-01'"), std::string::npos)
      << r.err;
}

TEST(cli, rejects_mode_writes_bad_rows_and_reports_the_count) {
  const fs::path ledger = temp_dir() / "mixed.csv";
  const fs::path rejects = temp_dir() / "rejects.csv";
  std::ofstream(ledger)
      << "household,date,type,amount\nA,2024-01-01,charge,100\nA,2024-01-02,payment,-5\n"
         "B,2024-01-01,charge,1.005\nB,2024-01-03,payment,1\n";
  const outcome r = run_cli("signals --ledger " + ledger.string() + " --rejects " +
                            rejects.string() + " --max-rejects 50%");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(ledger.string() + ": 2 bad rows rejected"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(rejects),
            "line,column,reason,row\n"
            "3,22,amount must not be negative '-5',\"A,2024-01-02,payment,-5\"\n"
            "4,21,amount has more than 2 decimal places '1.005',\"B,2024-01-01,charge,1.005\"\n");
  EXPECT_EQ(r.out,
            "household,balance,arrears,arrears_days,tenure_days,plan_active,plan_breached\n"
            "A,100.00,100.00,2,2,false,false\n"
            "B,-1.00,0.00,0,0,false,false\n");
}

TEST(cli, too_many_rejected_rows_fail_the_run) {
  // 4 of 5 data rows are bad: a broken feed, not a good one with a stray row.
  const fs::path ledger = temp_dir() / "mostly-bad.csv";
  const fs::path rejects = temp_dir() / "mostly-bad-rejects.csv";
  std::ofstream(ledger) << "household,date,type,amount\nA,2024-01-01,charge,100\n"
                           "A,2024-01-0x,payment,5\nB,2024-01-01,charge,-1\n"
                           "B,2024-13-01,charge,1\nC,2024-01-01,chrage!,1\n";
  const std::string base = "run --rules " + rules_path + " --ledger " + ledger.string() +
                           " --rejects " + rejects.string();
  // The default allows 1% of the data rows.
  const outcome by_default = run_cli(base);
  EXPECT_EQ(by_default.exit_code, 1) << by_default.err;
  EXPECT_EQ(by_default.out, "");
  EXPECT_NE(by_default.err.find(ledger.string() + ": 4 bad rows rejected (written to " +
                                rejects.string() + "), 1 rows loaded"),
            std::string::npos)
      << by_default.err;
  EXPECT_NE(by_default.err.find(ledger.string() +
                                ": 4 of 5 data rows rejected, more than --max-rejects 1% allows "
                                "(the default)"),
            std::string::npos)
      << by_default.err;
  EXPECT_EQ(read_file(rejects).substr(0, 23), "line,column,reason,row\n");  // still written

  const outcome count = run_cli(base + " --max-rejects 3");
  EXPECT_EQ(count.exit_code, 1) << count.err;
  EXPECT_NE(count.err.find("more than --max-rejects 3 allows"), std::string::npos) << count.err;
  const outcome percent = run_cli(base + " --max-rejects 79.99%");
  EXPECT_EQ(percent.exit_code, 1) << percent.err;
  EXPECT_EQ(run_cli(base + " --max-rejects 4").exit_code, 0);
  EXPECT_EQ(run_cli(base + " --max-rejects 80%").exit_code, 0);
  EXPECT_EQ(run_cli(base + " --max-rejects=100%").exit_code, 0);

  // A clean ledger reports its zero rejects too, and passes --max-rejects 0.
  const fs::path clean = temp_dir() / "clean.csv";
  std::ofstream(clean) << "household,date,type,amount\nA,2024-01-01,charge,100\n";
  const outcome zero = run_cli("signals --ledger " + clean.string() + " --rejects " +
                               rejects.string() + " --max-rejects 0");
  EXPECT_EQ(zero.exit_code, 0) << zero.err;
  EXPECT_NE(zero.err.find(clean.string() + ": 0 bad rows rejected"), std::string::npos) << zero.err;

  for (const char* bad : {"x", "-1", "101%", "1.234%", "5.5", "%"}) {
    const outcome usage = run_cli(base + " --max-rejects " + bad);
    EXPECT_EQ(usage.exit_code, 2) << bad;
    EXPECT_NE(usage.err.find("--max-rejects takes a number of rows"), std::string::npos)
        << usage.err;
  }
  const outcome without = run_cli("signals --ledger " + clean.string() + " --max-rejects 10");
  EXPECT_EQ(without.exit_code, 2);
  EXPECT_NE(without.err.find("--max-rejects needs --rejects FILE"), std::string::npos)
      << without.err;
}

TEST(cli, unknown_event_types_are_warned_about_with_their_first_line) {
  // 'paymnet' is a neutral event: HH1 would look as if it never paid.
  const fs::path ledger = temp_dir() / "typo.csv";
  std::ofstream(ledger) << "household,date,type,amount\nHH1,2024-01-01,charge,1000\n"
                           "HH1,2024-01-05,paymnet,1000\nHH1,2024-01-06,letter,\n"
                           "HH1,2024-02-05,paymnet,1000\nHH1,2024-02-06,zzqx,\n";
  const std::string warning_paymnet =
      ledger.string() +
      ":3: warning: unknown event type 'paymnet' (2 events); did you mean 'payment'?";
  const std::string warning_zzqx = ledger.string() +
                                   ":6: warning: unknown event type 'zzqx' (1 event); it counts "
                                   "as a neutral event: declare it in the rules";
  for (const std::string& command :
       {"run --rules " + rules_path, "explain --household HH1 --rules " + rules_path,
        "backtest --rules " + rules_path, "signals --rules " + rules_path}) {
    const outcome r = run_cli(command + " --ledger " + ledger.string());
    EXPECT_EQ(r.exit_code, 0) << command << '\n' << r.err;
    EXPECT_NE(r.err.find(warning_paymnet), std::string::npos) << command << '\n' << r.err;
    EXPECT_NE(r.err.find(warning_zzqx), std::string::npos) << command << '\n' << r.err;
    // The standard rules declare 'letter': a legal neutral type, no word about it.
    EXPECT_EQ(r.err.find("'letter'"), std::string::npos) << command << '\n' << r.err;

    const outcome strict =
        run_cli(command + " --ledger " + ledger.string() + " --unknown-types error");
    EXPECT_EQ(strict.exit_code, 1) << command;
    EXPECT_EQ(strict.out, "") << command;
    EXPECT_NE(strict.err.find(ledger.string() + ":3: error: unknown event type 'paymnet'"),
              std::string::npos)
        << command << '\n'
        << strict.err;

    const outcome quiet =
        run_cli(command + " --ledger " + ledger.string() + " --unknown-types ignore");
    EXPECT_EQ(quiet.exit_code, 0) << command;
    EXPECT_EQ(quiet.err.find("unknown event type"), std::string::npos) << quiet.err;
    EXPECT_EQ(quiet.out, r.out) << command;
  }
  // Without rules only the built-in types are known: 'letter' is reported too.
  const outcome bare = run_cli("signals --ledger " + ledger.string());
  EXPECT_EQ(bare.exit_code, 0) << bare.err;
  EXPECT_NE(bare.err.find(ledger.string() + ":4: warning: unknown event type 'letter' (1 event)"),
            std::string::npos)
      << bare.err;
  EXPECT_EQ(run_cli("signals --ledger " + ledger.string() + " --unknown-types sometimes").exit_code,
            2);
}

TEST(cli, stream_reports_an_unknown_event_type_where_it_first_arrives) {
  const fs::path input = temp_dir() / "typo-stream.csv";
  std::ofstream(input) << "household,date,type,amount\nHH1,2024-01-01,charge,1000\n"
                          "HH1,2024-01-05,paymnet,1000\nHH1,2024-01-06,letter,\n"
                          "\"HH,2\",2024-02-05,paymnet,1000\nHH1,2024-02-06,zzqx,\n";
  const std::string base = "stream --rules " + rules_path + " --input " + input.string();
  const outcome warned = run_cli(base);
  EXPECT_EQ(warned.exit_code, 0) << warned.err;
  EXPECT_NE(warned.err.find(input.string() +
                            ":3: warning: unknown event type 'paymnet' (first seen here); did "
                            "you mean 'payment'?"),
            std::string::npos)
      << warned.err;
  EXPECT_NE(warned.err.find(input.string() + ":6: warning: unknown event type 'zzqx'"),
            std::string::npos)
      << warned.err;
  EXPECT_EQ(warned.err.find(":5:"), std::string::npos) << warned.err;  // once per type
  EXPECT_EQ(warned.err.find("'letter'"), std::string::npos) << warned.err;
  // The same alerts as the back-test of the same ledger.
  EXPECT_EQ(
      warned.out,
      run_cli("backtest --format jsonl --rules " + rules_path + " --ledger " + input.string()).out);

  const outcome stopped = run_cli(base + " --unknown-types error");
  EXPECT_EQ(stopped.exit_code, 1);
  EXPECT_NE(stopped.err.find(input.string() + ":3: error: unknown event type 'paymnet'"),
            std::string::npos)
      << stopped.err;
  const outcome quiet = run_cli(base + " --unknown-types ignore");
  EXPECT_EQ(quiet.exit_code, 0);
  EXPECT_EQ(quiet.err.find("unknown event type"), std::string::npos) << quiet.err;
  EXPECT_EQ(run_cli(base + " --unknown-types loud").exit_code, 2);
}

TEST(cli, the_sample_ledger_has_no_unknown_event_types_under_the_standard_rules) {
  const outcome r = run_cli("run --rules " + rules_path + " --ledger " + sample_path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("unknown event type"), std::string::npos) << r.err;
}

TEST(cli, a_ledger_past_the_event_type_limit_fails_fast_with_its_line) {
  const fs::path ledger = temp_dir() / "types.csv";
  {
    std::ofstream out(ledger);
    out << "household,date,type,amount\n";
    for (int i = 0; i < 70'000; ++i) out << "HH1,2024-01-01,t" << i << ",1\n";
  }
  const outcome r = run_cli("signals --unknown-types ignore --ledger " + ledger.string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(
      r.err.find(ledger.string() + ":65532:16: too many distinct event types (the limit is 65,535"),
      std::string::npos)
      << r.err;
}

TEST(cli, dates_at_the_ends_of_the_calendar_and_amounts_at_the_limit_evaluate) {
  // The first and last supported dates, and a household owing 9,000 times the
  // largest amount (9 * 10^16 units: its balance still fits 64 bits).
  const fs::path ledger = temp_dir() / "edges.csv";
  {
    std::ofstream out(ledger);
    out << "household,date,type,amount\nOLD,0001-01-01,charge,10000000000000.00\n"
           "OLD,0001-02-01,charge,1.00\nLATE,9999-12-30,charge,5.00\n"
           "LATE,9999-12-31,payment,1.00\n";
    for (int i = 0; i < 9'000; ++i) out << "HUGE,2024-01-01,charge,10000000000000.00\n";
  }
  const fs::path rules = temp_dir() / "edges.rules";
  std::ofstream(rules) << "rule owes {\n  when arrears > 0\n  score arrears\n"
                          "  message \"owes {arrears}, doubled {arrears * 2}\"\n}\n"
                          "rule growing { when trend(balance, 6m) > 0 }\n";
  const outcome r = run_cli("run --rules " + rules.string() + " --ledger " + ledger.string() +
                            " --as-of 9999-12-31");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Doubled, HUGE's arrears would need more than 64 bits: no value, never wrapped.
  EXPECT_NE(r.out.find("HUGE,owes,medium,90000000000000000.00,"
                       "\"owes 90000000000000000.00, doubled n/a\""),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("LATE,owes,medium,4.00,\"owes 4.00, doubled 8.00\""), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("OLD,owes,medium,10000000000001.00,"), std::string::npos) << r.out;
  const outcome first = run_cli("run --rules " + rules.string() + " --ledger " + ledger.string() +
                                " --as-of 0001-01-01");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("OLD,owes,medium,10000000000000.00,"), std::string::npos) << first.out;

  // 9,300 of the largest amounts would overflow the balance: refused, never wrapped.
  const fs::path over = temp_dir() / "over.csv";
  {
    std::ofstream out(over);
    out << "household,date,type,amount\n";
    for (int i = 0; i < 9'300; ++i) out << "HUGE,2024-01-01,charge,10000000000000.00\n";
  }
  const outcome refused = run_cli("run --rules " + rules.string() + " --ledger " + over.string());
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find(over.string() + ": household 'HUGE': its amounts add up to more than "
                                             "92233720368547758.07"),
            std::string::npos)
      << refused.err;
}

TEST(cli, explain_shows_every_rule_with_its_readings) {
  const outcome r = run_cli("explain --rules " + rules_path + " --ledger " + sample_path +
                            " --household HH0000282 --as-of 2024-12-31");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rules = standard_rules();
  for (const auto& rule : rules.rules)
    EXPECT_NE(r.out.find(rule.name), std::string::npos) << rule.name;
  EXPECT_NE(r.out.find("late = "), std::string::npos) << r.out;  // a definition, by name
  EXPECT_NE(r.out.find("grace_days = 15"), std::string::npos);

  const outcome missing =
      run_cli("explain --rules " + rules_path + " --ledger " + sample_path + " --household NOBODY");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no household 'NOBODY'"), std::string::npos);
}

TEST(cli, backtest_prints_exactly_the_library_alerts) {
  const auto rules = standard_rules();
  const auto from = *earlywarn::parse_date("2022-03-01"), to = *earlywarn::parse_date("2024-06-30");
  earlywarn::backtest_options weekly;
  weekly.every = earlywarn::backtest_step::week;
  const auto alerts = earlywarn::backtest(rules, sample(), from, to, weekly);
  ASSERT_GT(alerts.size(), 100u);
  const outcome csv = run_cli("backtest --rules " + rules_path + " --ledger " + sample_path +
                              " --from 2022-03-01 --to 2024-06-30 --every week");
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out, earlywarn::alerts_csv(alerts, rules));
  const outcome jsonl = run_cli("backtest --format jsonl --rules " + rules_path + " --ledger " +
                                sample_path + " --from 2022-03-01 --to 2024-06-30 --every week");
  std::string expected;
  for (const auto& a : alerts) expected += earlywarn::alert_json(a, rules);
  EXPECT_EQ(jsonl.out, expected);
  EXPECT_EQ(run_cli("backtest --rules " + rules_path + " --ledger " + sample_path +
                    " --from 2024-01-01 --to 2023-01-01")
                .exit_code,
            2);
}

TEST(cli, backtest_outcomes_prints_the_library_report_and_refuses_a_misspelt_type) {
  const fs::path rules_file = temp_dir() / "outcomes.rules";
  // `filing` undeclared: named by --outcomes, it is no unknown type.
  std::ofstream(rules_file) << "rule owing { when balance >= 100 }\n";
  const fs::path ledger_file = temp_dir() / "outcomes.csv";
  std::ofstream(ledger_file) << "household,date,type,amount\nA,2024-03-01,charge,500\n"
                                "A,2024-04-20,filing,\nB,2024-03-01,charge,500\n";
  const std::string base =
      "backtest --rules " + rules_file.string() + " --ledger " + ledger_file.string();
  const outcome csv = run_cli(base + " --outcomes filing --horizon 60");
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.err.find("unknown event type"), std::string::npos) << csv.err;
  EXPECT_NE(run_cli(base).err.find("unknown event type 'filing'"), std::string::npos);
  EXPECT_EQ(csv.out,
            "rule,outcomes,warned,recall,raises,followed,precision,lead_days_q1,lead_days_median,"
            "lead_days_q3,cleared,recovered\n"
            "owing,1,1,1.000,0,0,,50,50,50,0,0\n");
  const outcome jsonl = run_cli(base + " --outcomes filing --format jsonl");
  EXPECT_NE(jsonl.out.find("\"outcome_types\":[\"filing\"],\"horizon_days\":180,"),
            std::string::npos)
      << jsonl.out;
  const outcome misspelt = run_cli(base + " --outcomes filng");
  EXPECT_EQ(misspelt.exit_code, 1);
  EXPECT_NE(misspelt.err.find("outcome type 'filng' has no event in the ledger"), std::string::npos)
      << misspelt.err;
  EXPECT_EQ(run_cli(base + " --horizon 30").exit_code, 2);
  EXPECT_EQ(run_cli(base + " --outcomes filing --summary").exit_code, 2);
  EXPECT_EQ(run_cli(base + " --outcomes filing, --horizon 30").exit_code, 2);
}

TEST(cli, backtest_summary_prints_the_library_summary) {
  const auto rules = standard_rules();
  const auto from = *earlywarn::parse_date("2022-03-01"), to = *earlywarn::parse_date("2024-06-30");
  const auto alerts = earlywarn::backtest(rules, sample(), from, to);
  earlywarn::summary_options within_14;
  within_14.reraise_days = 14;
  const auto s = earlywarn::summarize_backtest(alerts, rules, sample(), from, to, within_14);
  const std::string base = "backtest --rules " + rules_path + " --ledger " + sample_path +
                           " --from 2022-03-01 --to 2024-06-30 --summary --reraise-days 14";
  const outcome csv = run_cli(base);
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out, earlywarn::summary_csv(s, rules));
  EXPECT_NE(csv.out.find("\nlate_rent,all,"), std::string::npos);
  EXPECT_NE(csv.out.find("\nlate_rent,2024-06,"), std::string::npos);
  const outcome jsonl = run_cli(base + " --format jsonl");
  EXPECT_EQ(jsonl.out, earlywarn::summary_json(s, rules));
  const outcome alone =
      run_cli("backtest --rules " + rules_path + " --ledger " + sample_path + " --reraise-days 14");
  EXPECT_EQ(alone.exit_code, 2);
  EXPECT_NE(alone.err.find("--reraise-days goes with --summary"), std::string::npos) << alone.err;
  const outcome negative = run_cli(base.substr(0, base.size() - 2) + "-3");
  EXPECT_EQ(negative.exit_code, 2);
  EXPECT_NE(negative.err.find("--reraise-days takes a number of days"), std::string::npos)
      << negative.err;
}

// The stream reads common rows on a fast path and the rest through the batch
// loader: either way it must see the ledger the back-test sees.
TEST(cli, stream_writes_the_backtest_alerts_for_rows_of_every_kind) {
  const outcome sample_stream = run_cli("stream --rules " + rules_path + " --input " + sample_path);
  ASSERT_EQ(sample_stream.exit_code, 0) << sample_stream.err;
  const outcome sample_backtest =
      run_cli("backtest --format jsonl --rules " + rules_path + " --ledger " + sample_path);
  ASSERT_GT(sample_stream.out.size(), 10000u);
  EXPECT_EQ(sample_stream.out, sample_backtest.out);

  // Quoted ids (a comma, a line break), CRLF, an extra column with a quoted
  // note, a neutral event without an amount.
  const fs::path odd = temp_dir() / "odd-rows.csv";
  std::ofstream(odd, std::ios::binary) << "household,date,type,amount,note\r\n"
                                          "\"A,1\",2024-01-01,charge,500.00,x\r\n"
                                          "B,2024-01-01,charge,400,\r\n"
                                          "\"C\nD\",2024-01-01,charge,300,\"n,1\"\r\n"
                                          "B,2024-01-20,letter_sent,,y\r\n"
                                          "B,2024-03-01,payment,5,\r\n"
                                          "\"A,1\",2024-04-02,payment,500.00,\r\n";
  const outcome stream = run_cli("stream --rules " + rules_path + " --input " + odd.string());
  ASSERT_EQ(stream.exit_code, 0) << stream.err;
  const outcome backtest =
      run_cli("backtest --format jsonl --rules " + rules_path + " --ledger " + odd.string());
  EXPECT_NE(stream.out.find("\"household\":\"A,1\""), std::string::npos) << stream.out;
  EXPECT_NE(stream.out.find("\"household\":\"C\\nD\""), std::string::npos) << stream.out;
  EXPECT_EQ(stream.out, backtest.out);
}

TEST(cli, stream_reads_standard_input_as_it_reads_a_file) {
  const outcome from_file = run_cli("stream --rules " + rules_path + " --input " + sample_path);
  ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
  ASSERT_GT(from_file.out.size(), 10000u);
  const outcome redirected =
      run_cli("stream --rules " + rules_path + " --input - < " + sample_path);
  EXPECT_EQ(redirected.exit_code, 0) << redirected.err;
  EXPECT_EQ(redirected.out, from_file.out);
  // Through a pipe, as a feed would arrive, without --input (the default).
  FILE* pipe = ::popen(
      ("cat " + sample_path + " | " + EARLYWARN_CLI + " stream --rules " + rules_path).c_str(),
      "r");
  std::string piped;
  char buffer[65536];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) piped.append(buffer, n);
  EXPECT_EQ(::pclose(pipe), 0);
  EXPECT_EQ(piped, from_file.out);
}

TEST(cli, stream_stops_at_a_bad_row_with_its_line_and_column) {
  const fs::path bad = temp_dir() / "bad-row.csv";
  // The quoted id takes two lines, so the bad date is on line 5.
  std::ofstream(bad, std::ios::binary) << "household,date,type,amount\n"
                                          "A,2024-01-01,charge,500.00\n"
                                          "\"C\nD\",2024-01-01,charge,300\n"
                                          "B,2024-01-40,payment,5\n"
                                          "B,2024-02-01,payment,5\n";
  const outcome o = run_cli("stream --rules " + rules_path + " --input " + bad.string());
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_NE(o.err.find("bad-row.csv:5:3: bad date '2024-01-40'"), std::string::npos) << o.err;
}

TEST(cli, usage_errors_exit_2_with_a_hint) {
  EXPECT_EQ(run_cli("").exit_code, 2);
  const outcome typo = run_cli("run --rule " + rules_path);
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("did you mean --rules?"), std::string::npos) << typo.err;
  EXPECT_EQ(run_cli("run --rules " + rules_path).exit_code, 2);  // --ledger missing
  EXPECT_EQ(run_cli("frobnicate").exit_code, 2);
  const outcome date =
      run_cli("run --rules " + rules_path + " --ledger " + sample_path + " --as-of 2024-02-30");
  EXPECT_EQ(date.exit_code, 2);
  EXPECT_NE(date.err.find("--as-of '2024-02-30': not a calendar date (dates from 0001-01-01 to "
                          "9999-12-31 are supported)"),
            std::string::npos)
      << date.err;
  const outcome shape =
      run_cli("run --rules " + rules_path + " --ledger " + sample_path + " --as-of 2024-2-3");
  EXPECT_EQ(shape.exit_code, 2);
  EXPECT_NE(shape.err.find("--as-of '2024-2-3': expected a date YYYY-MM-DD"), std::string::npos)
      << shape.err;
  const outcome from =
      run_cli("backtest --rules " + rules_path + " --ledger " + sample_path + " --from 2023-02-29");
  EXPECT_EQ(from.exit_code, 2);
  EXPECT_NE(from.err.find("--from '2023-02-29': not a calendar date"), std::string::npos)
      << from.err;
  const outcome every =
      run_cli("backtest --rules " + rules_path + " --ledger " + sample_path + " --every fortnight");
  EXPECT_EQ(every.exit_code, 2);
  EXPECT_NE(every.err.find("--every is day, week or month"), std::string::npos) << every.err;
}

TEST(cli, every_command_has_its_help_and_the_version_is_printed) {
  for (const std::string command :
       {"check", "run", "explain", "signals", "backtest", "stream", "test"}) {
    const outcome help = run_cli(command + " --help");
    EXPECT_EQ(help.exit_code, 0) << command;
    EXPECT_EQ(help.out.rfind("usage:\n  earlywarn " + command + " ", 0), 0u) << help.out;
    EXPECT_EQ(help.err, "");
    // Commands that read a --ledger list the options every such command takes.
    const bool reads_ledger =
        command == "run" || command == "explain" || command == "signals" || command == "backtest";
    EXPECT_EQ(help.out.find("--max-rejects N|N%") != std::string::npos, reads_ledger) << command;
    EXPECT_EQ(run_cli(command + " -h").out, help.out);
  }
  // --help anywhere among the options, even after a mistake in them.
  EXPECT_EQ(run_cli("run --rule x --help").out, run_cli("run --help").out);
  const outcome version = run_cli("--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_TRUE(std::regex_match(version.out, std::regex("earlywarn [0-9]+\\.[0-9]+\\.[0-9]+\n")))
      << version.out;
  const outcome unknown = run_cli("tset x");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.err,
            "earlywarn: unknown command 'tset' (check, run, explain, signals, backtest, stream or "
            "test; see earlywarn --help)\n");
  const outcome mistake = run_cli("run --rule " + rules_path);
  EXPECT_NE(mistake.err.find("(see earlywarn run --help)"), std::string::npos) << mistake.err;
}

TEST(cli, an_option_given_twice_is_refused_but_params_repeat) {
  const std::string base = "run --rules " + rules_path + " --ledger " + sample_path;
  const outcome twice = run_cli(base + " --as-of 2024-01-01 --as-of=2024-02-01");
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_NE(twice.err.find("--as-of is given twice ('2024-01-01' and '2024-02-01'): give it once"),
            std::string::npos)
      << twice.err;
  const outcome flag = run_cli("backtest --rules " + rules_path + " --ledger " + sample_path +
                               " --summary --summary");
  EXPECT_EQ(flag.exit_code, 2);
  EXPECT_NE(flag.err.find("--summary is given twice"), std::string::npos) << flag.err;
  const outcome params = run_cli(base + " --param grace_days=20 --param visit_days=50");
  EXPECT_EQ(params.exit_code, 0) << params.err;
}

TEST(cli, missing_files_are_reported_not_crashed_on) {
  const outcome r = run_cli("run --rules " + rules_path + " --ledger /nonexistent/ledger.csv");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/nonexistent/ledger.csv: cannot read the ledger: No such file"),
            std::string::npos)
      << r.err;
}

// A path that is not a rules file used to pass as a ruleset of no rules: "ok: 0 rules", and
// an empty worklist from run, which reads as "no one is at risk".
TEST(cli, a_directory_or_an_empty_file_as_rules_is_refused) {
  const std::string dir = temp_dir().string();
  const outcome check = run_cli("check " + dir);
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_EQ(check.out, "");
  EXPECT_EQ(check.err, dir +
                           ": error: this is a directory, not a rules file: give the path of a "
                           "rules file, like rules/housing-early-warning.rules\n");
  const outcome run = run_cli("run --rules " + dir + " --ledger " + sample_path);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_NE(run.err.find("this is a directory, not a rules file"), std::string::npos) << run.err;

  const fs::path empty = temp_dir() / "empty.rules";
  std::ofstream(empty).close();
  const outcome run_empty = run_cli("run --rules " + empty.string() + " --ledger " + sample_path);
  EXPECT_EQ(run_empty.exit_code, 1);
  EXPECT_EQ(run_empty.out, "");
  EXPECT_NE(run_empty.err.find(empty.string() + ": error: the rules file is empty"),
            std::string::npos)
      << run_empty.err;
  const fs::path comments = temp_dir() / "comments.rules";
  std::ofstream(comments) << "# rules to come\nparam grace_days = 15\n";
  const outcome check_comments = run_cli("check " + comments.string());
  EXPECT_EQ(check_comments.exit_code, 1);
  EXPECT_NE(check_comments.err.find("the rules file has no rule"), std::string::npos)
      << check_comments.err;
}

// A Windows-1250 file passed check, and run --format json then wrote its bytes into JSON.
TEST(cli, a_rules_file_that_is_not_utf8_is_refused_and_a_byte_order_mark_is_not) {
  const fs::path cp1250 = temp_dir() / "cp1250.rules";
  std::ofstream(cp1250, std::ios::binary)
      << "rule r {\n  when arrears > 0\n  message \"Dlu\xBE\xED \xE8ty\xF8i m\xECs\xED\"\n}\n";
  const outcome check = run_cli("check " + cp1250.string());
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_NE(check.err.find("cp1250.rules:3:15: error: byte 0xBE is not UTF-8"), std::string::npos)
      << check.err;
  const outcome json =
      run_cli("run --rules " + cp1250.string() + " --ledger " + sample_path + " --format json");
  EXPECT_EQ(json.exit_code, 1);
  EXPECT_EQ(json.out, "");

  const fs::path bom = temp_dir() / "bom.rules";
  std::ofstream(bom, std::ios::binary) << "\xEF\xBB\xBF" << read_file(rules_path);
  const outcome with_mark = run_cli("run --rules " + bom.string() + " --ledger " + sample_path);
  EXPECT_EQ(with_mark.exit_code, 0) << with_mark.err;
  EXPECT_EQ(with_mark.out, run_cli("run --rules " + rules_path + " --ledger " + sample_path).out);
}

// These crashed check with a stack overflow.
TEST(cli, deeply_nested_expressions_are_refused_not_crashed_on) {
  const fs::path parens = temp_dir() / "parens.rules";
  std::ofstream(parens) << "rule r {\n  when " << std::string(3000, '(') << "arrears > 0"
                        << std::string(3000, ')') << "\n}\n";
  const fs::path minus = temp_dir() / "minus.rules";
  std::ofstream(minus) << "rule r {\n  when " << std::string(100000, '-') << "arrears > 0\n}\n";
  std::string nots;
  for (int i = 0; i < 100000; ++i) nots += "not ";
  const fs::path negations = temp_dir() / "not.rules";
  std::ofstream(negations) << "rule r {\n  when " << nots << "arrears > 0\n}\n";
  for (const fs::path& p : {parens, minus, negations}) {
    const outcome r = run_cli("check " + p.string());
    EXPECT_EQ(r.exit_code, 1) << p;
    EXPECT_NE(r.err.find(":2:"), std::string::npos) << r.err.substr(0, 300);
    EXPECT_NE(r.err.find("error: expression nested too deeply: at most 100 levels"),
              std::string::npos)
        << r.err.substr(0, 300);
  }
}

}  // namespace

namespace {

TEST(cli, test_runs_a_folder_of_scenarios_and_writes_junit) {
  const fs::path junit = temp_dir() / "scenarios.xml";
  const outcome r = run_cli("test " + std::string(EARLYWARN_SOURCE_DIR) + "/rules/tests --junit " +
                            junit.string() + " --coverage");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("scenarios, "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" passed, 0 failed\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("coverage of "), std::string::npos) << r.out;
  const std::string xml = read_file(junit);
  EXPECT_NE(xml.find("<testsuites name=\"earlywarn test\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("failures=\"0\" errors=\"0\""), std::string::npos) << xml;
}

TEST(cli, test_exits_1_on_a_failed_expectation_and_tests_the_rules_given) {
  const fs::path scenarios = temp_dir() / "strict.scenarios";
  std::ofstream(scenarios) << "scenario \"one month late\" {\n"
                              "  ledger {\n"
                              "    household,date,type,amount\n"
                              "    H1,2024-02-01,charge,9000.00\n"
                              "  }\n"
                              "  on 2024-02-10 {\n"
                              "    H1 fires late_rent\n"
                              "  }\n"
                              "}\n";
  // The file names no rules: --rules gives them, --param changes them.
  const outcome lenient = run_cli("test " + scenarios.string() + " --rules " + rules_path);
  EXPECT_EQ(lenient.exit_code, 1);
  EXPECT_NE(lenient.out.find("FAIL " + scenarios.string() +
                             ":7: scenario \"one month late\": H1 fires late_rent"),
            std::string::npos)
      << lenient.out;
  EXPECT_NE(lenient.out.find("    household H1 as of 2024-02-10"), std::string::npos);
  const outcome strict =
      run_cli("test " + scenarios.string() + " --rules " + rules_path + " --param grace_days=5");
  EXPECT_EQ(strict.exit_code, 0) << strict.out << strict.err;
  const outcome without = run_cli("test " + scenarios.string());
  EXPECT_EQ(without.exit_code, 1);
  EXPECT_NE(without.out.find("no rules line"), std::string::npos) << without.out;
}

TEST(cli, test_usage_errors_exit_2) {
  EXPECT_EQ(run_cli("test").exit_code, 2);
  EXPECT_EQ(run_cli("test " + temp_dir().string() + "/nothing-here --param a=1").exit_code, 2);
  const fs::path empty = temp_dir() / "no-scenarios";
  fs::create_directories(empty);
  const outcome r = run_cli("test " + empty.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no *.scenarios file"), std::string::npos) << r.err;
}

}  // namespace

TEST(cli, a_dash_reads_the_ledger_rules_or_attributes_from_stdin) {
  const std::string by_path = run_cli("run --rules " + rules_path + " --ledger " + sample_path).out;
  const outcome ledger = run_cli("run --rules " + rules_path + " --ledger - < " + sample_path);
  ASSERT_EQ(ledger.exit_code, 0) << ledger.err;
  EXPECT_EQ(ledger.out, by_path);
  const outcome rules = run_cli("run --rules - --ledger " + sample_path + " < " + rules_path);
  ASSERT_EQ(rules.exit_code, 0) << rules.err;
  EXPECT_EQ(rules.out, by_path);
  const outcome check = run_cli("check - < " + rules_path);
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(check.out.rfind("<stdin>: ok: ruleset ", 0), 0u) << check.out;

  // Problems are located in <stdin>.
  const fs::path bad = temp_dir() / "bad-ledger.csv";
  std::ofstream(bad) << "household,date,type,amount\nA,2024-13-01,charge,5\n";
  const outcome located = run_cli("run --rules " + rules_path + " --ledger - < " + bad.string());
  EXPECT_EQ(located.exit_code, 1);
  EXPECT_EQ(located.err.rfind("<stdin>:2:", 0), 0u) << located.err;
  const fs::path bad_rules = temp_dir() / "bad.rules";
  std::ofstream(bad_rules) << "rule r { when arrears > }\n";
  const outcome rules_error = run_cli("check - < " + bad_rules.string());
  EXPECT_EQ(rules_error.exit_code, 1);
  EXPECT_EQ(rules_error.err.rfind("<stdin>:1:", 0), 0u) << rules_error.err;

  // Attributes from stdin, as from their file.
  const fs::path typed = temp_dir() / "stdin.rules";
  std::ofstream(typed) << "attribute district text\nrule owing { when arrears > 0 }\n";
  const fs::path facts = temp_dir() / "stdin-facts.csv";
  std::ofstream(facts) << "household,district\nHH0000295,North\n";
  const std::string base = "run --rules " + typed.string() + " --ledger " + sample_path +
                           " --columns district --attributes ";
  const outcome from_file = run_cli(base + facts.string());
  ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
  const outcome from_stdin = run_cli(base + "- < " + facts.string());
  ASSERT_EQ(from_stdin.exit_code, 0) << from_stdin.err;
  EXPECT_EQ(from_stdin.out, from_file.out);
  EXPECT_NE(from_stdin.out.find(",North\n"), std::string::npos);

  // Standard input is read once; the stream rereads its rules on SIGHUP.
  const outcome twice = run_cli("run --rules - --ledger - < " + sample_path);
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_NE(twice.err.find("--rules and --ledger both read standard input ('-')"),
            std::string::npos)
      << twice.err;
  const outcome stream_rules =
      run_cli("stream --rules - --input " + sample_path + " < " + rules_path);
  EXPECT_EQ(stream_rules.exit_code, 2);
  EXPECT_NE(stream_rules.err.find("give the rules as a file"), std::string::npos)
      << stream_rules.err;
  const outcome stream_both =
      run_cli("stream --rules " + rules_path + " --attributes - < " + sample_path);
  EXPECT_EQ(stream_both.exit_code, 2);
  EXPECT_NE(stream_both.err.find("--input and --attributes both read standard input"),
            std::string::npos)
      << stream_both.err;
}

TEST(cli, json_documents_share_one_shape_and_type_their_values) {
  const auto rules = standard_rules();
  const auto w = earlywarn::evaluate(rules, sample(), *sample().last_date());
  const outcome households = run_cli("run --by household --format json --rules " + rules_path +
                                     " --ledger " + sample_path);
  ASSERT_EQ(households.exit_code, 0) << households.err;
  EXPECT_EQ(households.out, earlywarn::households_json(w, earlywarn::summarize_by_household(w)));
  // The worklist's envelope: date and ruleset, then rows.
  const std::string worklist = earlywarn::worklist_json(w);
  const std::string envelope = worklist.substr(0, worklist.find("\"rows\":[") + 8);
  EXPECT_EQ(households.out.rfind(envelope, 0), 0u) << households.out.substr(0, 200);

  const fs::path ledger = temp_dir() / "typed.csv";
  std::ofstream(ledger) << "household,date,type,amount\n"
                           "A,2024-01-01,charge,500\n"
                           "A,2024-01-20,payment,100.5\n"
                           "B,2024-01-01,charge,100\n"
                           "B,2024-01-02,payment,100\n";
  const outcome signals =
      run_cli("signals --format json --as-of 2024-02-01 --ledger " + ledger.string());
  ASSERT_EQ(signals.exit_code, 0) << signals.err;
  EXPECT_EQ(signals.out,
            "{\"as_of\":\"2024-02-01\",\"rows\":[\n"
            "{\"household\":\"A\",\"balance\":399.50,\"arrears\":399.50,\"arrears_days\":31,"
            "\"tenure_days\":31,\"plan_active\":false,\"plan_breached\":false},\n"
            "{\"household\":\"B\",\"balance\":0.00,\"arrears\":0.00,\"arrears_days\":0,"
            "\"tenure_days\":31,\"plan_active\":false,\"plan_breached\":false}\n"
            "]}\n");
  const earlywarn::ledger_load typed_load = earlywarn::load_ledger_csv(ledger.string());
  ASSERT_TRUE(typed_load.ok());
  EXPECT_EQ(run_cli("signals --format csv --as-of 2024-02-01 --ledger " + ledger.string()).out,
            earlywarn::signals_csv(earlywarn::compute_signals(
                typed_load.events, *earlywarn::parse_date("2024-02-01"))));

  const fs::path typed_rules = temp_dir() / "typed.rules";
  std::ofstream(typed_rules) << "attribute district text\n"
                                "attribute vulnerable flag\n"
                                "rule owing { when arrears > 0 and district == \"North\" "
                                "message \"owes {arrears}\" }\n"
                                "rule frail { when vulnerable }\n";
  const fs::path facts = temp_dir() / "typed-facts.csv";
  std::ofstream(facts) << "household,district,vulnerable\nA,North,\n";
  const outcome x = run_cli("explain --format json --household A --as-of 2024-02-01 --rules " +
                            typed_rules.string() + " --ledger " + ledger.string() +
                            " --attributes " + facts.string());
  ASSERT_EQ(x.exit_code, 0) << x.err;
  for (const char* part :
       {"\"signals\":{\"balance\":399.50,\"arrears\":399.50,\"arrears_days\":31,"
        "\"tenure_days\":31,\"plan_active\":false,\"plan_breached\":false,"
        "\"plan_shortfall\":null}",
        "\"attributes\":{\"district\":\"North\",\"vulnerable\":null}",
        "{\"expression\":\"arrears\",\"value\":399.50}",
        "{\"expression\":\"district\",\"value\":\"North\"}",
        "{\"expression\":\"arrears > 0\",\"value\":true}", "\"message\":\"owes 399.50\"",
        "{\"rule\":\"frail\",\"fired\":false,\"severity\":\"medium\",\"score\":0,"
        "\"message\":null"})
    EXPECT_NE(x.out.find(part), std::string::npos) << part << "\n" << x.out;

  // A document is json, JSON lines are jsonl: the back-test's alerts are lines.
  const outcome lines =
      run_cli("backtest --format json --rules " + rules_path + " --ledger " + sample_path);
  EXPECT_EQ(lines.exit_code, 2);
  EXPECT_NE(lines.err.find("jsonl"), std::string::npos) << lines.err;
}

TEST(cli, stream_shows_its_progress_on_a_terminal_and_nowhere_else) {
  // `script` gives the stream a terminal; the pause makes the replay long
  // enough for the line to show (after 300 ms).
  const std::string feed =
      "{ head -n 5000 " + sample_path + "; sleep 0.8; tail -n +5001 " + sample_path + "; }";
  const std::string stream = std::string(EARLYWARN_CLI) + " stream --rules " + rules_path +
                             " --alerts " + (temp_dir() / "progress-alerts.jsonl").string();
  const std::string command = "script -qec '" + feed + " | " + stream + "' /dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string terminal;
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) terminal.append(buffer, n);
  ASSERT_EQ(::pclose(pipe), 0) << terminal;
  EXPECT_TRUE(std::regex_search(terminal, std::regex("streaming <stdin>: [0-9]+ rows, clock "
                                                     "[0-9]{4}-[0-9]{2}-[0-9]{2}")))
      << terminal;
  EXPECT_NE(terminal.find("\r\033[K"), std::string::npos) << "the line is erased at the end";
  const outcome piped = run_cli("stream --rules " + rules_path + " --alerts " +
                                (temp_dir() / "piped-alerts.jsonl").string() + " < " + sample_path);
  EXPECT_EQ(piped.exit_code, 0);
  EXPECT_EQ(piped.err, "");
}

TEST(cli, an_empty_ledger_without_a_date_is_bad_input_and_with_one_an_empty_worklist) {
  const fs::path empty = temp_dir() / "empty-ledger.csv";
  std::ofstream(empty) << "household,date,type,amount\n";
  const std::string base = " --rules " + rules_path + " --ledger " + empty.string();
  for (const char* command : {"run", "signals", "backtest"}) {
    const outcome r = run_cli(command + base);
    EXPECT_EQ(r.exit_code, 1) << command;
    EXPECT_NE(r.err.find(empty.string() + ": the ledger holds no event; give --"),
              std::string::npos)
        << command << ": " << r.err;
  }
  const outcome dated = run_cli("run" + base + " --as-of 2024-01-31");
  EXPECT_EQ(dated.exit_code, 0) << dated.err;
  EXPECT_EQ(dated.out, "household,rule,severity,score,message\n");
}

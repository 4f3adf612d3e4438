#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <unordered_set>

#include "commands.hpp"
#include "inputs.hpp"
#include "platform.hpp"
#include "terminal.hpp"

namespace earlywarn::cli {
namespace {

/// Hashes strings and string views alike, so a set of names is searched
/// with a row's view without building a string.
struct transparent_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const noexcept {
    return std::hash<std::string_view>{}(text);
  }
};

// Where alerts go: a file that can be cut back to a checkpoint, or stdout.
class alert_output {
 public:
  explicit alert_output(const std::optional<std::string>& path) {
    if (!path) return;
    path_ = *path;
    if (!file_.open(*path)) fail("cannot open");
  }

  /// Continues from `bytes`, dropping whatever was written after them.
  void resume_at(std::uint64_t bytes) {
    if (!file_.is_open()) return;
    if (!file_.resize(bytes)) fail("cannot resume");
    written_ = bytes;
  }

  void write(const std::string& text) {
    if (!file_.is_open()) {
      std::fwrite(text.data(), 1, text.size(), stdout);
      return;
    }
    if (!file_.write(text)) fail("cannot write");
    written_ += text.size();
  }

  /// Makes everything written durable; returns the bytes written so far.
  std::uint64_t sync() {
    if (file_.is_open() && !file_.sync()) fail("cannot sync");
    if (!file_.is_open()) std::fflush(stdout);
    return written_;
  }

 private:
  [[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "earlywarn: %s the alerts file %s: %s\n", what, path_.c_str(),
                 std::strerror(errno));
    throw reported_failure{1};
  }
  std::string path_;
  platform::alerts_file file_;
  std::uint64_t written_ = 0;
};

// Set by SIGHUP (POSIX only): reload the rules file before the next row.
volatile std::sig_atomic_t reload_requested = 0;
extern "C" void request_reload(int) { reload_requested = 1; }

// Kills the process at the point `name` when EARLYWARN_FAILPOINT names it,
// as a power cut there would: how the tests stop a reload half done
// (docs/testing.md, Failpoints).
void failpoint(const char* name) {
  const char* chosen = std::getenv("EARLYWARN_FAILPOINT");
  if (chosen != nullptr && std::strcmp(chosen, name) == 0) platform::stop_now();
}

// Names, comma-separated, or "none".
std::string listed(const std::vector<std::string>& names) {
  if (names.empty()) return "none";
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// A quoted field may hold line breaks: a row ends where its quotes balance.
bool quotes_balanced(const std::string& row) {
  return std::count(row.begin(), row.end(), '"') % 2 == 0;
}

}  // namespace

int command_stream(const std::vector<std::string>& args) {
  // From the start: a SIGHUP before the first row reloads before it.
  platform::on_reload_signal(request_reload);
  const arguments a(args,
                    {"rules", "input", "state", "checkpoint-every", "alerts", "param", "lateness",
                     "unknown-types", "attributes"},
                    {});
  if (!a.positional().empty()) throw usage_error("unexpected argument '" + a.positional()[0] + "'");
  std::uint64_t every = 10000;
  if (const auto text = a.get("checkpoint-every")) {
    try {
      every = std::stoull(*text);
    } catch (const std::exception&) {
      every = 0;
    }
    if (every == 0) throw usage_error("--checkpoint-every takes a positive number of rows");
  }
  stream_options options;
  if (const auto text = a.get("lateness")) {
    try {
      std::size_t used = 0;
      options.lateness_days = std::stoi(*text, &used);
      if (used != text->size() || options.lateness_days < 0 ||
          options.lateness_days > max_lateness_days)
        throw std::invalid_argument("");
    } catch (const std::exception&) {
      throw usage_error("--lateness takes a number of days from 0 to " +
                        std::to_string(max_lateness_days));
    }
  }
  const std::optional<unknown_type_policy> unknown_types =
      parse_unknown_type_policy(a.get("unknown-types").value_or("warn"));
  if (!unknown_types) throw usage_error("--unknown-types is warn, error or ignore");
  const std::string rules_path = a.require("rules");
  // The rules are read again on SIGHUP, and the rows are read as they come.
  if (rules_path == "-")
    throw usage_error("stream reads --rules again on SIGHUP: give the rules as a file");
  if (a.get("input").value_or("-") == "-" && a.get("attributes") == "-")
    throw usage_error(
        "--input and --attributes both read standard input ('-'): give one of "
        "them a file");
  const param_overrides overrides = params_option(a.all("param"));
  auto rules = std::make_unique<ruleset>(load_rules_or_report(rules_path, a.all("param")));
  const std::string input_name = a.get("input").value_or("-");
  std::ifstream file;
  if (input_name != "-") {
    file.open(input_name, std::ios::binary);
    if (!file) {
      std::fprintf(stderr, "earlywarn: cannot read %s\n", input_name.c_str());
      return 1;
    }
  }
  // Nothing else here reads or writes through iostreams: unsynced, std::cin
  // reads a block at a time instead of a character at a time.
  if (input_name == "-") std::ios::sync_with_stdio(false);
  std::istream& input = input_name == "-" ? std::cin : file;

  auto engine = std::make_unique<stream_engine>(*rules, options);
  checkpoint_position position;
  const auto state = a.get("state");
  const auto attributes = a.get("attributes");
  bool resuming = false;
  // A state saved under other rules: restored under those (it holds their
  // text), then the rules given (`requested`) are reloaded into it.
  std::unique_ptr<ruleset> requested;
  if (state && platform::exists(*state)) {
    detail::file_bytes bytes;
    std::string reason;
    if (!bytes.open(*state, reason)) {
      std::fprintf(stderr, "earlywarn: cannot read %s: %s\n", state->c_str(), reason.c_str());
      return 1;
    }
    rules_source saved;
    if (const auto error = stream_checkpoint::saved_rules(bytes.view(), saved)) {
      std::fprintf(stderr, "earlywarn: %s\n", located(*error, *state).c_str());
      return 1;
    }
    if (saved.fingerprint != rules->fingerprint) {
      rules_load old = compile_rules(saved.source, saved.file_name, saved.params);
      if (!old.ok() || old.rules->fingerprint != saved.fingerprint) {
        std::fprintf(stderr,
                     "earlywarn: %s: the rules it was saved under (ruleset \"%s\" version %lld) "
                     "no longer compile the same; start a new state file\n",
                     state->c_str(), saved.name.c_str(), static_cast<long long>(saved.version));
        return 1;
      }
      requested = std::move(rules);
      rules = std::make_unique<ruleset>(std::move(*old.rules));
      engine = std::make_unique<stream_engine>(*rules, options);
    }
    if (const auto error = stream_checkpoint::restore(*engine, bytes.view(), position)) {
      std::fprintf(stderr, "earlywarn: %s\n", located(*error, *state).c_str());
      return 1;
    }
    resuming = true;
  }
  alert_output output(a.get("alerts"));
  output.resume_at(resuming ? position.output_bytes : 0);
  // As of now: over a restored state, a changed value holds from its clock.
  if (attributes && !requested) set_attributes_or_report(*attributes, *engine);

  std::string header;
  if (!std::getline(input, header)) {
    std::fprintf(stderr, "%s: empty input: expected a header row 'household,date,type,amount'\n",
                 input_name.c_str());
    return 1;
  }
  if (!header.empty() && header.back() == '\r') header.pop_back();
  std::uint64_t line = 1;  // input lines consumed after the header
  std::uint64_t since_checkpoint = 0;
  // On a terminal: how far a replay has come (a file: its share read; a
  // pipe: rows and the clock), erased before any other message.
  progress_line progress("streaming " + shown_path(input_name));
  std::uint64_t input_bytes = 0, bytes_read = header.size() + 1;
  if (input_name != "-") {
    std::error_code size_error;
    input_bytes = std::filesystem::file_size(input_name, size_error);
    if (size_error) input_bytes = 0;
  }
  std::vector<alert> alerts;
  auto emit = [&] {
    std::string text;
    for (const alert& x : alerts) text += alert_json(x, *rules);
    alerts.clear();
    if (!text.empty()) output.write(text);
  };
  // Saves the state with the input lines consumed so far (`done`; by
  // default every line read).
  auto checkpoint = [&](std::optional<std::uint64_t> done = std::nullopt) {
    if (!state) return;
    position.output_bytes = output.sync();
    position.input_rows = done.value_or(line - 1);
    if (const auto error = stream_checkpoint::save(*engine, *state, position)) {
      progress.clear();
      std::fprintf(stderr, "earlywarn: %s\n", error->message.c_str());
      throw reported_failure{1};
    }
  };

  // Moves the stream to `next` (docs/streams.md, Reloading rules). The state
  // is saved first: stopped anywhere in between, a restart reloads again
  // from it, and writes the same alerts once. False, with the reasons on
  // stderr, when the state cannot serve the new rules.
  auto reload = [&](std::unique_ptr<ruleset> next, std::uint64_t done) {
    progress.clear();
    checkpoint(done);
    auto fresh = std::make_unique<stream_engine>(*next, options);
    if (attributes) set_attributes_or_report(*attributes, *fresh);
    stream_reload_alerts said;
    const stream_reload_report report = stream_reload::reload(*engine, *fresh, said);
    if (!report.reloaded()) {
      for (const std::string& why : report.refused)
        std::fprintf(stderr, "earlywarn: %s: cannot reload: %s\n", rules_path.c_str(), why.c_str());
      return false;
    }
    failpoint("reload-before-alerts");
    std::string text;
    for (const alert& x : said.closing) text += alert_json(x, *rules);
    for (const alert& x : said.removed) text += alert_json(x, *rules, *next);
    for (const alert& x : said.opening) text += alert_json(x, *next);
    if (!text.empty()) output.write(text);
    failpoint("reload-after-alerts");
    std::fprintf(stderr,
                 "earlywarn: reloaded %s at input row %llu as of %s: ruleset \"%s\" version %lld, "
                 "now \"%s\" version %lld; rules kept: %zu, changed: %s; added: %s; removed: %s\n",
                 rules_path.c_str(), static_cast<unsigned long long>(done),
                 format_date(report.clock).c_str(), rules->name.c_str(),
                 static_cast<long long>(rules->version), next->name.c_str(),
                 static_cast<long long>(next->version), report.rules.kept.size(),
                 listed(report.rules.changed).c_str(), listed(report.rules.added).c_str(),
                 listed(report.rules.removed).c_str());
    engine = std::move(fresh);  // the old engine goes before the rules it reads
    rules = std::move(next);
    checkpoint(done);
    return true;
  };
  if (requested) {
    if (!reload(std::move(requested), position.input_rows)) {
      std::fprintf(stderr,
                   "earlywarn: %s was saved under other rules; replay the ledger into a new state "
                   "file, or restart with the rules it was saved under\n",
                   state->c_str());
      return 1;
    }
  }
  auto reload_requested_now = [&](std::uint64_t done) {
    reload_requested = 0;
    progress.clear();
    rules_load load = load_rules(rules_path, overrides);
    std::fputs(load.report().c_str(), stderr);
    if (!load.ok() || load.rules->fingerprint == rules->fingerprint) {
      std::fprintf(stderr,
                   "earlywarn: %s %s; the stream goes on with ruleset \"%s\" version %lld\n",
                   rules_path.c_str(), load.ok() ? "is unchanged" : "does not load",
                   rules->name.c_str(), static_cast<long long>(rules->version));
      return;
    }
    try {
      if (!reload(std::make_unique<ruleset>(std::move(*load.rules)), done))
        std::fprintf(stderr, "earlywarn: the stream goes on with ruleset \"%s\" version %lld\n",
                     rules->name.c_str(), static_cast<long long>(rules->version));
    } catch (const reported_failure&) {
      std::fprintf(stderr, "earlywarn: the stream goes on with ruleset \"%s\" version %lld\n",
                   rules->name.c_str(), static_cast<long long>(rules->version));
    }
  };

  // Event types the rules know, then those already reported: each unknown
  // type is reported where it first arrives (a stream has no end to wait for).
  // A hash set, so a feed of tens of thousands of types is not quadratic.
  std::vector<std::string> rules_know = known_event_types(rules.get());
  std::unordered_set<std::string, transparent_hash, std::equal_to<>> known(rules_know.begin(),
                                                                           rules_know.end());
  std::string last_type;
  // False when an unknown type must stop the stream (said on stderr).
  auto check_type = [&](std::string_view type, std::uint64_t at_line) {
    if (*unknown_types == unknown_type_policy::ignore || type == last_type) return true;
    if (known.find(type) != known.end()) {
      last_type = type;
      return true;
    }
    const std::string hint = unknown_type_hint(type, nearest_name(type, rules_know));
    const bool stop = *unknown_types == unknown_type_policy::error;
    progress.clear();
    std::fprintf(stderr, "%s:%llu: %s: unknown event type '%.*s' (first seen here)%s\n",
                 input_name.c_str(), static_cast<unsigned long long>(at_line),
                 stop ? "error" : "warning", static_cast<int>(type.size()), type.data(),
                 hint.c_str());
    known.emplace(type);
    last_type = type;
    return !stop;
  };

  // Pushes one event; false when it stops the stream (said on stderr).
  auto push = [&](std::string_view household, day date, std::string_view type, cents amount,
                  std::string_view code, std::uint64_t at_line) {
    // Stopped without a checkpoint: the row is not consumed, so a corrected
    // input resumes with it.
    if (!check_type(type, at_line)) return false;
    push_result pushed = push_result::accepted;
    try {
      pushed = engine->push(household, date, type, amount, code, alerts);
    } catch (const std::invalid_argument& refused) {
      // The row read well but the stream cannot hold it (a type beyond its limit).
      emit();
      progress.clear();
      std::fprintf(stderr, "%s:%llu: %s\n", input_name.c_str(),
                   static_cast<unsigned long long>(at_line), refused.what());
      checkpoint();
      return false;
    }
    emit();
    if (pushed == push_result::too_old) {
      // Applying it would need history the stream has folded away, or days
      // it has closed: stop rather than lose them silently.
      progress.clear();
      std::fprintf(stderr,
                   "%s:%llu: an event dated %s for household %s is older than the history the "
                   "stream keeps (clock %s); feed rows in date order, or run with a larger "
                   "--lateness (now %d days)\n",
                   input_name.c_str(), static_cast<unsigned long long>(at_line),
                   format_date(date).c_str(), std::string(household).c_str(),
                   format_date(engine->clock()).c_str(), options.lateness_days);
      checkpoint();
      return false;
    }
    if (++since_checkpoint >= every) {
      checkpoint();
      since_checkpoint = 0;
    }
    return true;
  };
  ledger_row_reader rows(header);
  std::string row, more;
  while (std::getline(input, row)) {
    const std::uint64_t first_line = ++line;
    while (!quotes_balanced(row) && std::getline(input, more)) {
      row += '\n' + more;
      ++line;
    }
    if (resuming && line - 1 <= position.input_rows) continue;  // done before the stop
    if (reload_requested) {
      reload_requested_now(first_line - 2);  // before this row
      for (const std::string& name : known_event_types(rules.get())) known.insert(name);
      rules_know = known_event_types(rules.get());
    }
    bytes_read += row.size() + 1;
    if ((first_line & 1023) == 0) {
      if (input_bytes > 0)
        progress.update(bytes_read, input_bytes);
      else
        progress.show(std::to_string(first_line - 1) + " rows, clock " +
                      format_date(engine->clock()));
    }
    std::optional<ledger_row> event;
    if (const auto error = rows.read(row, first_line, event)) {
      progress.clear();
      std::fprintf(stderr, "%s\n", located(*error, shown_path(input_name)).c_str());
      emit();
      checkpoint();
      return 1;
    }
    if (event &&
        !push(event->household, event->date, event->type, event->amount, event->code, first_line))
      return 1;
  }
  engine->finish(alerts);
  emit();
  checkpoint();
  output.sync();
  return 0;
}

}  // namespace earlywarn::cli

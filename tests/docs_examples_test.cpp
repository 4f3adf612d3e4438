// The rules written in the documents compile: every fenced block of
// README.md and docs/*.md whose first word declares something (ruleset,
// param, event, attribute, define, rule, decision) is a rules text, and a reader who
// copies it gets no error.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "earlywarn.hpp"

namespace earlywarn {
namespace {

namespace fs = std::filesystem;

struct block {
  std::string file;
  int line = 0;  // of the opening fence
  std::string text;
};

// The fenced blocks of a Markdown file.
std::vector<block> fenced_blocks(const fs::path& path) {
  std::ifstream in(path);
  std::vector<block> out;
  std::string line;
  bool inside = false;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.rfind("```", 0) == 0) {
      if (!inside) out.push_back({path.filename().string(), number, {}});
      inside = !inside;
      continue;
    }
    if (inside) out.back().text += line + "\n";
  }
  return out;
}

// Whether a block is rules text: its first word, comments skipped, declares.
bool is_rules(const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    const auto start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    const std::string word = line.substr(start, line.find_first_of(" \t", start) - start);
    for (const char* k : {"ruleset", "param", "event", "attribute", "define", "rule", "decision"})
      if (word == k) return true;
    return false;
  }
  return false;
}

TEST(docs_examples, every_rules_block_in_the_documents_compiles) {
  const fs::path root(EARLYWARN_SOURCE_DIR);
  std::vector<fs::path> files{root / "README.md"};
  for (const fs::directory_entry& e : fs::directory_iterator(root / "docs"))
    if (e.path().extension() == ".md") files.push_back(e.path());
  int checked = 0;
  for (const fs::path& f : files)
    for (const block& b : fenced_blocks(f)) {
      if (!is_rules(b.text)) continue;
      ++checked;
      const rules_load load = compile_rules(b.text, b.file);
      EXPECT_TRUE(load.ok()) << b.file << ":" << b.line << ":\n" << load.report();
    }
  EXPECT_GE(checked, 3);  // README's and docs/language.md's examples at least
}

}  // namespace
}  // namespace earlywarn

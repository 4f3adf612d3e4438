// Replays inputs through a harness without libFuzzer (any compiler): every
// file under the directories given, in name order. A crash or finding aborts
// the run, so each file in regressions/<harness>/ is a regression test.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz_support.hpp"

int main(int argc, char** argv) {
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path directory = argv[i];
    if (!std::filesystem::is_directory(directory)) continue;  // no regressions yet
    for (const auto& entry : std::filesystem::directory_iterator(directory))
      if (entry.is_regular_file() && entry.path().filename().string().front() != '.' &&
          entry.path().filename() != "README.md")
        files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  // A replay of nothing would pass whatever the harness does.
  if (files.empty()) {
    std::fprintf(stderr, "no inputs to replay\n");
    return 1;
  }
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::fprintf(stderr, "%s\n", path.string().c_str());
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  std::fprintf(stderr, "%zu inputs replayed\n", files.size());
  return 0;
}

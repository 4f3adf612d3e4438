#pragma once
// What the harnesses share: how a finding stops the run, and how a harness
// takes its settings from the first bytes of an input.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace earlywarn::fuzz {

/// A differential or invariant check failed: say what, and abort, which
/// libFuzzer records as a crash (and the replay test as a failure).
[[noreturn]] inline void finding(std::string_view what) {
  std::fprintf(stderr, "fuzz finding: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

/// Reads settings from the front of an input; past its end every byte is 0.
class input_bytes {
 public:
  input_bytes(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint8_t take() {
    if (pos_ >= size_) return 0;
    return data_[pos_++];
  }
  /// What is left after the settings taken, as text.
  std::string_view rest() const {
    return {reinterpret_cast<const char*>(data_) + pos_, size_ - pos_};
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

}  // namespace earlywarn::fuzz

// The memory a ledger load takes, against the memory of the loaded ledger:
//
//   load_memory LEDGER [THREADS]
//
// Prints one line of JSON: wall and CPU seconds of `load_ledger_csv`, events,
// the ledger's column bytes (`memory_bytes`), the peak of heap bytes in use
// during the load (counted by replacing operator new and delete, so exactly
// what the loader allocates, without the memory-mapped file), and the
// process's peak resident set (which also counts the file's pages).

#include <malloc.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>

#include "earlywarn/loading/ledger_csv.hpp"

namespace {

std::atomic<std::size_t> in_use{0};
std::atomic<std::size_t> peak{0};

void* allocate(std::size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  const std::size_t now = in_use.fetch_add(malloc_usable_size(p)) + malloc_usable_size(p);
  std::size_t seen = peak.load();
  while (now > seen && !peak.compare_exchange_weak(seen, now)) {
  }
  return p;
}

void release(void* p) noexcept {
  if (p == nullptr) return;
  in_use.fetch_sub(malloc_usable_size(p));
  std::free(p);
}

double cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
}

}  // namespace

void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fputs("usage: load_memory LEDGER [THREADS]\n", stderr);
    return 2;
  }
  earlywarn::ledger_csv_options options;
  if (argc == 3) options.threads = static_cast<unsigned>(std::strtoul(argv[2], nullptr, 10));
  const std::size_t before = in_use.load();
  peak.store(before);
  const double cpu_start = cpu_seconds();
  const auto start = std::chrono::steady_clock::now();
  const earlywarn::ledger_load load = earlywarn::load_ledger_csv(argv[1], options);
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu = cpu_seconds() - cpu_start;
  if (!load.ok()) {
    std::fprintf(stderr, "%s\n", load.error->render().c_str());
    return 1;
  }
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  const std::size_t columns = load.events.memory_bytes();
  const std::size_t peak_heap = peak.load() - before;
  std::printf(
      "{\"threads\": %u, \"wall_seconds\": %.3f, \"cpu_seconds\": %.3f, \"events\": %zu, "
      "\"ledger_bytes\": %zu, \"peak_heap_bytes\": %zu, \"peak_over_ledger\": %.2f, "
      "\"max_rss_bytes\": %ld}\n",
      options.threads, wall, cpu, load.events.event_count(), columns, peak_heap,
      static_cast<double>(peak_heap) / static_cast<double>(columns), usage.ru_maxrss * 1024L);
  return 0;
}

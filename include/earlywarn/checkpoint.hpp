#pragma once
/// \file checkpoint.hpp
/// Saving and restoring a stream's whole state (SPEC §6): atomic, versioned,
/// tied to the ruleset's fingerprint, checked before anything is restored.
///
/// File layout: the magic `EARLYWARN-STATE\n`, a format version (u32), the
/// payload length (u64), the payload, and an FNV-1a checksum (u64) of all
/// that precedes it. Integers are little-endian.

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "earlywarn/detail/file_bytes.hpp"
#include "earlywarn/stream.hpp"

namespace earlywarn {

/// What a caller stores beside the engine to resume exactly where it stopped.
struct checkpoint_position {
  std::uint64_t input_rows = 0;    ///< input rows consumed
  std::uint64_t output_bytes = 0;  ///< bytes of alerts written and synced
};

namespace detail {

inline constexpr char checkpoint_magic[] = "EARLYWARN-STATE\n";
/// 4: a household's bytes are packed_household's layout with the events last
/// (count, alert states, folded history, events; folded dates relative to
/// the boundary; the folded payments not yet allocated to charges as one number).
inline constexpr std::uint32_t checkpoint_format = 4;

inline std::uint64_t fnv1a(std::string_view bytes) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

class byte_writer {
 public:
  template <class T>
  void put(T v) {
    char bytes[sizeof(T)];
    for (std::size_t i = 0; i < sizeof(T); ++i)
      bytes[i] = static_cast<char>((static_cast<std::uint64_t>(v) >> (8 * i)) & 0xFF);
    out_.append(bytes, sizeof(T));
  }
  void put(std::string_view s) {
    put<std::uint32_t>(static_cast<std::uint32_t>(s.size()));
    out_ += s;
  }
  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

/// Reads what byte_writer wrote; throws std::runtime_error past the end.
class byte_reader {
 public:
  explicit byte_reader(std::string_view in) : in_(in) {}
  template <class T>
  T get() {
    need(sizeof(T));
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i)
      v |= static_cast<std::uint64_t>(static_cast<unsigned char>(in_[pos_ + i])) << (8 * i);
    pos_ += sizeof(T);
    return static_cast<T>(v);
  }
  std::string_view text() {
    const auto n = get<std::uint32_t>();
    need(n);
    const std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  bool done() const { return pos_ == in_.size(); }

 private:
  void need(std::size_t n) const {
    if (in_.size() - pos_ < n) throw std::runtime_error("state ends early");
  }
  std::string_view in_;
  std::size_t pos_ = 0;
};

}  // namespace detail

/// Saves and restores stream_engine state.
class stream_checkpoint {
 public:
  /// The engine's state and `position` as checkpoint file bytes.
  static std::string serialize(const stream_engine& e, const checkpoint_position& position) {
    detail::byte_writer w;
    const ruleset& rs = e.rules_;
    w.put(std::string_view(rs.fingerprint));
    w.put(std::string_view(rs.name));
    w.put<std::int64_t>(rs.version);
    w.put<std::uint64_t>(position.input_rows);
    w.put<std::uint64_t>(position.output_bytes);
    w.put<std::int32_t>(e.clock_);
    w.put<std::uint8_t>(e.started_);
    w.put<std::uint8_t>(e.open_);
    w.put<std::uint64_t>(e.events_);
    w.put<std::uint32_t>(static_cast<std::uint32_t>(e.types_.size()));
    for (type_id t = 0; t < e.types_.size(); ++t) w.put(e.types_.name(t));
    w.put<std::uint32_t>(static_cast<std::uint32_t>(e.households_.size()));
    detail::household_work work;
    // The open day's events are saved with their households, as if applied.
    auto pending = e.pending_;
    stream_engine::group_by_household(pending);
    detail::packed_household packed;
    for (std::uint32_t h = 0; h < e.households_.size(); ++h) {
      const auto& s = e.households_[h];
      w.put(e.ids_.get(h));
      // The household as the engine packs it: one list of its fields, in
      // packed_household, for memory and for files alike. Only a household
      // with events of the open day needs packing anew; the others' bytes
      // are already what packing would give (packed_household_test).
      std::span<const std::uint8_t> bytes = s.packed.bytes();
      if (const auto [first, last] = stream_engine::pending_of(pending, h); first != last) {
        e.unpack(h, work, pending);
        packed.pack(work);
        bytes = packed.bytes();
      }
      w.put(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
      w.put<std::int32_t>(s.next_check);
      w.put<std::uint8_t>(s.dirty);
    }
    w.put<std::uint32_t>(static_cast<std::uint32_t>(e.dirty_.size()));
    for (const std::uint32_t h : e.dirty_) w.put<std::uint32_t>(h);

    detail::byte_writer file;
    file.bytes() = std::string(detail::checkpoint_magic, sizeof detail::checkpoint_magic - 1);
    file.put<std::uint32_t>(detail::checkpoint_format);
    file.put<std::uint64_t>(w.bytes().size());
    file.bytes() += w.bytes();
    file.put<std::uint64_t>(detail::fnv1a(file.bytes()));
    return std::move(file.bytes());
  }

  /// Writes the checkpoint atomically: a temporary file, fsync, rename, fsync
  /// of the directory. A crash leaves the old checkpoint or the new, whole.
  /// Returns an error message, or nothing on success.
  static std::optional<std::string> save(const stream_engine& e, const std::string& path,
                                         const checkpoint_position& position) {
    const std::string bytes = serialize(e, position);
    const std::string temporary = path + ".tmp";
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return "cannot write " + temporary + ": " + std::strerror(errno);
    std::size_t written = 0;
    while (written < bytes.size()) {
      const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const std::string reason = std::strerror(errno);
        ::close(fd);
        return "cannot write " + temporary + ": " + reason;
      }
      written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0)
      return "cannot sync " + temporary + ": " + std::strerror(errno);
    if (::rename(temporary.c_str(), path.c_str()) != 0)
      return "cannot replace " + path + ": " + std::strerror(errno);
    const std::size_t slash = path.find_last_of('/');
    const std::string directory = slash == std::string::npos ? "." : path.substr(0, slash + 1);
    const int dir = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
      ::fsync(dir);
      ::close(dir);
    }
    return std::nullopt;
  }

  /// Restores a checkpoint into `e`, which must be newly made (nothing
  /// pushed) with the ruleset the checkpoint was written under. The file is
  /// checked whole before anything changes: a truncated, corrupted or foreign
  /// file, or another ruleset, gives an error message and leaves `e` as it was.
  static std::optional<std::string> restore(stream_engine& e, std::string_view bytes,
                                            checkpoint_position& position) {
    const std::size_t magic = sizeof detail::checkpoint_magic - 1;
    if (bytes.size() < magic || bytes.substr(0, magic) != detail::checkpoint_magic)
      return std::string("not an earlywarn state file");
    if (bytes.size() < magic + 12) return std::string("the state file is truncated");
    detail::byte_reader header(bytes.substr(magic, 12));
    const auto format = header.get<std::uint32_t>();
    if (format != detail::checkpoint_format)
      return "the state file has format version " + std::to_string(format) +
             "; this earlywarn reads version " + std::to_string(detail::checkpoint_format);
    const auto length = header.get<std::uint64_t>();
    if (bytes.size() != magic + 12 + length + 8)
      return "the state file is truncated or has trailing bytes (expected " +
             std::to_string(magic + 20 + length) + " bytes, found " + std::to_string(bytes.size()) +
             ")";
    detail::byte_reader trailer(bytes.substr(magic + 12 + length));
    if (trailer.get<std::uint64_t>() != detail::fnv1a(bytes.substr(0, magic + 12 + length)))
      return std::string("the state file is corrupted (checksum mismatch)");
    if (e.started_ || e.households_.size() != 0)
      throw std::invalid_argument("restore needs a newly made stream_engine");
    try {
      return read_payload(e, bytes.substr(magic + 12, length), position);
    } catch (const std::exception& x) {
      return std::string("the state file is inconsistent: ") + x.what();
    }
  }

  /// Reads and restores a checkpoint file; see restore().
  static std::optional<std::string> load(stream_engine& e, const std::string& path,
                                         checkpoint_position& position) {
    detail::file_bytes file;
    std::string reason;
    if (!file.open(path, reason)) return "cannot read " + path + ": " + reason;
    return restore(e, file.view(), position);
  }

 private:
  // What the engine relies on and a damaged file could break.
  static void check_household(const detail::household_work& w, std::size_t types) {
    for (std::size_t i = 0; i < w.dates.size(); ++i) {
      if (w.types[i] >= types) throw std::runtime_error("unknown type id");
      if (i > 0 && w.dates[i] < w.dates[i - 1])
        throw std::runtime_error("events out of date order");
    }
    for (const auto& x : w.folded.totals)
      if (x.type >= types) throw std::runtime_error("unknown type id");
    for (const auto& x : w.folded.latest)
      if (x.type >= types) throw std::runtime_error("unknown type id");
  }

  static std::optional<std::string> read_payload(stream_engine& e, std::string_view payload,
                                                 checkpoint_position& position) {
    detail::byte_reader r(payload);
    const ruleset& rs = e.rules_;
    const std::string fingerprint(r.text()), name(r.text());
    const auto version = r.get<std::int64_t>();
    if (fingerprint != rs.fingerprint)
      return "the state was saved under ruleset \"" + name + "\" version " +
             std::to_string(version) + " (fingerprint " + fingerprint +
             "), not the rules loaded now: \"" + rs.name + "\" version " +
             std::to_string(rs.version) + " (fingerprint " + rs.fingerprint +
             "); start a new state file for new rules";
    // Build everything aside; move into the engine only when all of it read.
    checkpoint_position p;
    p.input_rows = r.get<std::uint64_t>();
    p.output_bytes = r.get<std::uint64_t>();
    const auto clock = r.get<std::int32_t>();
    const bool started = r.get<std::uint8_t>() != 0, open = r.get<std::uint8_t>() != 0;
    const auto events = r.get<std::uint64_t>();
    type_table types;
    const auto type_count = r.get<std::uint32_t>();
    for (std::uint32_t t = 0; t < type_count; ++t)
      if (types.intern(r.text()) != t) throw std::runtime_error("duplicate type name");
    for (type_id t = 0; t < e.types_.size(); ++t)
      if (t >= types.size() || types.name(t) != e.types_.name(t))
        throw std::runtime_error("type table does not match the rules");
    detail::string_interner ids;
    const auto household_count = r.get<std::uint32_t>();
    if (household_count > payload.size()) throw std::runtime_error("impossible household count");
    std::vector<stream_engine::household_state> households(household_count);
    detail::household_work work;
    for (std::uint32_t h = 0; h < households.size(); ++h) {
      if (ids.intern(r.text()) != h) throw std::runtime_error("duplicate household id");
      auto& s = households[h];
      const std::string_view bytes = r.text();
      detail::packed_household::unpack_checked(
          std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), work,
          rs.rules.size());
      check_household(work, types.size());
      const folded_history& f = work.folded;
      s.packed.pack(work);
      if (f.any) s.folded_until = f.boundary;
      s.next_check = r.get<std::int32_t>();
      s.dirty = r.get<std::uint8_t>() != 0;
    }
    const auto dirty_count = r.get<std::uint32_t>();
    if (dirty_count > households.size()) throw std::runtime_error("impossible household count");
    std::vector<std::uint32_t> dirty(dirty_count);
    for (std::uint32_t& h : dirty) {
      h = r.get<std::uint32_t>();
      if (h >= households.size()) throw std::runtime_error("unknown household index");
    }
    if (!r.done()) throw std::runtime_error("unexpected bytes at the end");

    e.types_ = std::move(types);
    e.ids_ = std::move(ids);
    e.households_ = std::move(households);
    e.dirty_ = std::move(dirty);
    for (std::uint32_t h = 0; h < e.households_.size(); ++h)
      if (e.households_[h].next_check != never) e.queue_.emplace(e.households_[h].next_check, h);
    e.clock_ = clock;
    e.started_ = started;
    e.open_ = open;
    e.events_ = events;
    position = p;
    return std::nullopt;
  }
};

}  // namespace earlywarn

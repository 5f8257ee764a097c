// Content digests of context files, remembered between plans. A stored digest is trusted only
// while the file's device, inode, size, mtime and ctime (nanoseconds) are all unchanged: name,
// size and mtime alone miss a same-size rewrite within the timestamp granularity or a file
// swapped in by rename, which BuildKit has been bitten by. Like git's "racy" index entries, a
// digest taken while the file's ctime was less than a second old is not kept, since a write in
// the same tick could follow unseen.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include <sys/stat.h>

namespace dockit::plan {

struct StatKey {
  uint64_t dev = 0;
  uint64_t ino = 0;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  int64_t ctime_ns = 0;
  friend bool operator==(const StatKey&, const StatKey&) = default;
  static StatKey Of(const struct stat& st);
};

class DigestCache {
 public:
  // `racy_window_ns`: how recent a change must be for a digest not to be kept (tests use 0).
  explicit DigestCache(int64_t racy_window_ns = 1'000'000'000) : racy_window_ns_(racy_window_ns) {}
  // Reads a cache file written by Save; a missing file is an empty cache, and so is one that
  // does not parse (it is only a cache: *warning says why it was dropped).
  static DigestCache Load(const std::string& path, std::string* warning = nullptr,
                          int64_t racy_window_ns = 1'000'000'000);
  // Writes to a temporary file in the same folder and renames it into place.
  bool Save(const std::string& path, std::string* error) const;

  // The digest of the file at `absolute` whose lstat gave `stat` (the context walk's), from the
  // cache when the stat key matches, else read and hashed. `key` is how the file is remembered
  // (its context path). nullopt and *error when the file cannot be read.
  std::optional<std::string> Digest(const std::string& key, const std::string& absolute,
                                    const StatKey& stat, std::string* error);

  size_t Hits() const { return hits_; }
  size_t Misses() const { return misses_; }
  size_t Size() const { return entries_.size(); }
  // Something changed since Load: Save has something to write.
  bool Dirty() const { return dirty_; }

 private:
  struct Entry {
    StatKey stat;
    std::string digest;
  };
  int64_t racy_window_ns_;
  std::unordered_map<std::string, Entry> entries_;
  bool dirty_ = false;
  size_t hits_ = 0;
  size_t misses_ = 0;
};

}  // namespace dockit::plan

#include "planner/digest_cache.hpp"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include <sys/stat.h>

#include "planner/digest.hpp"

namespace dockit::plan {
namespace {

constexpr int kFormatVersion = 1;

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

StatKey StatKey::Of(const struct stat& st) {
  return StatKey{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino),
                 static_cast<uint64_t>(st.st_size),
                 static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
                 static_cast<int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec};
}

DigestCache DigestCache::Load(const std::string& path, std::string* warning,
                              int64_t racy_window_ns) {
  DigestCache cache(racy_window_ns);
  std::ifstream in(path, std::ios::binary);
  if (!in) return cache;
  std::ostringstream text;
  text << in.rdbuf();
  nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || doc.value("version", 0) != kFormatVersion ||
      !doc["entries"].is_object()) {
    if (warning) *warning = path + ": not a digest cache of this version; starting afresh";
    return cache;
  }
  for (const auto& [key, e] : doc["entries"].items()) {
    if (!e.is_array() || e.size() != 6 || !e[5].is_string()) continue;
    bool numbers = true;
    for (size_t i = 0; i < 5; ++i) numbers = numbers && e[i].is_number_integer();
    if (!numbers) continue;  // a damaged entry is dropped; the file is hashed again
    Entry entry;
    entry.stat = StatKey{e[0].get<uint64_t>(), e[1].get<uint64_t>(), e[2].get<uint64_t>(),
                         e[3].get<int64_t>(), e[4].get<int64_t>()};
    entry.digest = e[5].get<std::string>();
    cache.entries_[key] = std::move(entry);
  }
  return cache;
}

bool DigestCache::Save(const std::string& path, std::string* error) const {
  nlohmann::json entries = nlohmann::json::object();
  for (const auto& [key, e] : entries_) {
    entries[key] = {e.stat.dev,      e.stat.ino,      e.stat.size,
                    e.stat.mtime_ns, e.stat.ctime_ns, e.digest};
  }
  nlohmann::json doc = {{"version", kFormatVersion}, {"entries", entries}};
  std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << doc.dump();
    out.flush();
    if (!out) {
      *error = "cannot write " + temp;
      std::remove(temp.c_str());
      return false;
    }
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    *error = "cannot rename " + temp + " to " + path;
    std::remove(temp.c_str());
    return false;
  }
  return true;
}

std::optional<std::string> DigestCache::Digest(const std::string& key, const std::string& absolute,
                                               const struct stat& st, std::string* error) {
  StatKey now = StatKey::Of(st);
  if (auto it = entries_.find(key); it != entries_.end() && it->second.stat == now) {
    ++hits_;
    return it->second.digest;
  }
  ++misses_;
  auto digest = Sha256OfFile(absolute, error);
  if (!digest) return std::nullopt;
  // Keep it only if the file did not change while it was read, and cannot change again within
  // the same timestamp tick unseen.
  struct stat after;
  bool unchanged = ::lstat(absolute.c_str(), &after) == 0 && StatKey::Of(after) == now;
  if (unchanged && NowNs() - std::max(now.mtime_ns, now.ctime_ns) >= racy_window_ns_) {
    entries_[key] = Entry{now, *digest};
    dirty_ = true;
  } else {
    dirty_ |= entries_.erase(key) > 0;
  }
  return digest;
}

}  // namespace dockit::plan

#include "planner/digest_cache.hpp"

#include "parser/atomic_file.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <sys/stat.h>

#include "planner/digest.hpp"

namespace dockit::plan {
namespace {

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

// The file: a header line, then one line per file, "dev ino size mtime_ns ctime_ns digest path"
// (the path last, so it may hold spaces; paths with a newline are not cached). A plain line
// format, because parsing it is what a warm re-plan of a large context spends its time on.
constexpr std::string_view kHeader = "dockit-digest-cache 1\n";

template <typename T>
bool Number(std::string_view& line, T* out) {
  auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), *out);
  if (ec != std::errc() || end == line.data() + line.size() || *end != ' ') return false;
  line.remove_prefix(static_cast<size_t>(end - line.data()) + 1);
  return true;
}

DigestCache DigestCache::Load(const std::string& path, std::string* warning,
                              int64_t racy_window_ns) {
  DigestCache cache(racy_window_ns);
  std::ifstream in(path, std::ios::binary);
  if (!in) return cache;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string text = std::move(buffer).str();
  if (!std::string_view(text).starts_with(kHeader)) {
    if (warning) *warning = path + ": not a digest cache of this version; starting afresh";
    return cache;
  }
  std::string_view rest = std::string_view(text).substr(kHeader.size());
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
    Entry entry;
    size_t space = 0;
    bool ok = Number(line, &entry.stat.dev) && Number(line, &entry.stat.ino) &&
              Number(line, &entry.stat.size) && Number(line, &entry.stat.mtime_ns) &&
              Number(line, &entry.stat.ctime_ns) &&
              (space = line.find(' ')) != std::string_view::npos && space > 0 &&
              space + 1 < line.size();
    if (!ok) continue;  // a damaged line is dropped; that file is hashed again
    entry.digest = std::string(line.substr(0, space));
    cache.entries_.emplace(std::string(line.substr(space + 1)), std::move(entry));
  }
  return cache;
}

bool DigestCache::Save(const std::string& path, std::string* error) const {
  std::string text(kHeader);
  for (const auto& [key, e] : entries_) {
    if (key.find('\n') != std::string::npos) continue;
    text += std::to_string(e.stat.dev) + ' ' + std::to_string(e.stat.ino) + ' ' +
            std::to_string(e.stat.size) + ' ' + std::to_string(e.stat.mtime_ns) + ' ' +
            std::to_string(e.stat.ctime_ns) + ' ' + e.digest + ' ' + key + '\n';
  }
  if (auto failed = WriteFileAtomically(path, text)) {
    *error = *failed;
    return false;
  }
  return true;
}

std::optional<std::string> DigestCache::Digest(const std::string& key, const std::string& absolute,
                                               const StatKey& now, std::string* error) {
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

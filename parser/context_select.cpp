#include "parser/context_select.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <utility>

namespace dockit {
namespace {

// Context paths: relative, '/'-separated, "" for the root.
std::string JoinPath(std::string_view dir, std::string_view name) {
  if (dir.empty()) return std::string(name);
  std::string out(dir);
  out += '/';
  out += name;
  return out;
}

std::pair<std::string_view, std::string_view> SplitParent(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return {std::string_view(), path};
  return {path.substr(0, slash), path.substr(slash + 1)};
}

std::vector<std::string> SplitSegments(std::string_view path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) out.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

std::string JoinSegments(const std::vector<std::string>& segments, size_t begin, size_t end) {
  std::string out;
  for (size_t i = begin; i < end; ++i) out = JoinPath(out, segments[i]);
  return out;
}

// What callers of MemoryContext write ("/a/b", "./a/", "a//b") as a context path.
std::string NormalizeContextPath(std::string_view path) {
  std::string clean = gopath::Clean("/" + std::string(path));
  return clean.substr(1);
}

Diagnostic ContextError(std::string message) {
  return Diagnostic{"context-read-error", std::move(message), SourceRange{}, Severity::kError};
}

}  // namespace

// ---- BuildContext ---------------------------------------------------------------------------

std::optional<ContextEntry> BuildContext::Lstat(std::string_view path) const {
  if (path.empty()) return std::nullopt;
  auto [dir, name] = SplitParent(path);
  auto entries = ReadDir(dir);
  if (!entries) return std::nullopt;
  auto it = std::lower_bound(entries->begin(), entries->end(), name,
                             [](const ContextEntry& e, std::string_view n) { return e.name < n; });
  if (it == entries->end() || it->name != name) return std::nullopt;
  return *it;
}

// ---- MemoryContext --------------------------------------------------------------------------

void MemoryContext::EnsureDir(const std::string& dir) {
  if (dirs_.contains(dir)) return;
  auto [parent, name] = SplitParent(dir);
  std::string parent_path(parent);
  EnsureDir(parent_path);
  ContextEntry entry;
  entry.name = std::string(name);
  entry.kind = EntryKind::kDirectory;
  entry.mode = 0755;
  dirs_[parent_path][entry.name] = entry;
  dirs_.try_emplace(dir);
}

MemoryContext& MemoryContext::Add(std::string_view path, ContextEntry entry) {
  std::string clean = NormalizeContextPath(path);
  if (clean.empty()) return *this;  // the root has no entry of its own
  auto [parent, name] = SplitParent(clean);
  std::string parent_path(parent);
  EnsureDir(parent_path);
  entry.name = std::string(name);
  const bool is_dir = entry.kind == EntryKind::kDirectory;
  dirs_[parent_path][entry.name] = std::move(entry);
  if (is_dir) {
    dirs_.try_emplace(clean);
  } else {
    dirs_.erase(clean);
  }
  return *this;
}

MemoryContext& MemoryContext::AddFile(std::string_view path, uint64_t size, uint32_t mode) {
  ContextEntry entry;
  entry.kind = EntryKind::kFile;
  entry.size = size;
  entry.mode = mode;
  return Add(path, std::move(entry));
}

MemoryContext& MemoryContext::AddDir(std::string_view path, uint32_t mode) {
  ContextEntry entry;
  entry.kind = EntryKind::kDirectory;
  entry.mode = mode;
  return Add(path, std::move(entry));
}

MemoryContext& MemoryContext::AddSymlink(std::string_view path, std::string target) {
  ContextEntry entry;
  entry.kind = EntryKind::kSymlink;
  entry.mode = 0777;
  entry.size = target.size();  // what lstat reports for a symlink
  entry.link_target = std::move(target);
  return Add(path, std::move(entry));
}

Result<std::vector<ContextEntry>> MemoryContext::ReadDir(std::string_view dir) const {
  auto it = dirs_.find(dir);
  if (it == dirs_.end()) return ContextError("open " + std::string(dir) + ": not a directory");
  std::vector<ContextEntry> out;
  out.reserve(it->second.size());
  for (const auto& [name, entry] : it->second) out.push_back(entry);
  return out;
}

std::optional<ContextEntry> MemoryContext::Lstat(std::string_view path) const {
  if (path.empty()) return std::nullopt;
  auto [dir, name] = SplitParent(path);
  auto it = dirs_.find(dir);
  if (it == dirs_.end()) return std::nullopt;
  auto entry = it->second.find(std::string(name));
  if (entry == it->second.end()) return std::nullopt;
  return entry->second;
}

// ---- DiskContext ----------------------------------------------------------------------------

namespace {

// lstat(2) rather than std::filesystem: it alone gives uid, gid and the mode bits in one call.
std::optional<ContextEntry> StatEntry(const std::filesystem::path& path, std::string name) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) return std::nullopt;
  ContextEntry entry;
  entry.name = std::move(name);
  if (S_ISDIR(st.st_mode)) {
    entry.kind = EntryKind::kDirectory;
  } else if (S_ISREG(st.st_mode)) {
    entry.kind = EntryKind::kFile;
  } else if (S_ISLNK(st.st_mode)) {
    entry.kind = EntryKind::kSymlink;
    std::error_code ec;
    entry.link_target = std::filesystem::read_symlink(path, ec).string();
  } else {
    entry.kind = EntryKind::kOther;
  }
  entry.mode = static_cast<uint32_t>(st.st_mode & 07777);
  entry.size = static_cast<uint64_t>(st.st_size);
  entry.uid = st.st_uid;
  entry.gid = st.st_gid;
  entry.dev = static_cast<uint64_t>(st.st_dev);
  entry.ino = static_cast<uint64_t>(st.st_ino);
  entry.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  entry.ctime_ns = static_cast<int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec;
  return entry;
}

}  // namespace

Result<std::vector<ContextEntry>> DiskContext::ReadDir(std::string_view dir) const {
  std::filesystem::path path = dir.empty() ? root_ : root_ / std::string(dir);
  // directory_iterator follows a symlink; a context walk must not, so check the kind first.
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) {
    return ContextError("lstat " + path.string() + ": " + std::strerror(errno));
  }
  if (!S_ISDIR(st.st_mode)) return ContextError("open " + path.string() + ": not a directory");
  std::error_code ec;
  std::filesystem::directory_iterator it(path, ec);
  if (ec) return ContextError("open " + path.string() + ": " + ec.message());
  std::vector<ContextEntry> out;
  for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
    if (ec) return ContextError("read " + path.string() + ": " + ec.message());
    std::string name = it->path().filename().string();
    // An entry removed while we read is simply not there, as for a concurrent Go walk.
    if (auto entry = StatEntry(it->path(), name)) out.push_back(std::move(*entry));
  }
  if (ec) return ContextError("read " + path.string() + ": " + ec.message());
  std::sort(out.begin(), out.end(),
            [](const ContextEntry& a, const ContextEntry& b) { return a.name < b.name; });
  return out;
}

std::optional<ContextEntry> DiskContext::Lstat(std::string_view path) const {
  if (path.empty()) return std::nullopt;
  return StatEntry(root_ / std::string(path), std::string(SplitParent(path).second));
}

// ---- FilteredContext ------------------------------------------------------------------------

// fsutil's filtered walk (filter.go). Entries are visited in name order with the match state of
// their directory; an excluded directory is entered only when an exception could re-include
// something below it, and is itself sent only when something below it is.
struct FilteredContext::Walker {
  struct Pending {
    std::string path;
    ContextEntry entry;
    bool emitted = false;
  };

  const BuildContext& raw;
  FilteredContext& out;
  std::vector<Pending> open_dirs;  // the directories enclosing the current entry

  void Emit(std::string_view parent, const ContextEntry& entry, const std::string& path) {
    out.dirs_[std::string(parent)].push_back(entry);
    if (entry.kind == EntryKind::kDirectory) out.dirs_.try_emplace(path);
  }

  void EmitEnclosingDirs() {
    for (Pending& dir : open_dirs) {
      if (dir.emitted) continue;
      Emit(SplitParent(dir.path).first, dir.entry, dir.path);
      dir.emitted = true;
    }
  }

  Status Visit(const std::string& dir, const IgnoreWalkState& state, bool dir_excluded) {
    auto entries = raw.ReadDir(dir);
    if (!entries) {
      // BuildKit ignores read errors in directories it is not sending anyway.
      if (dir_excluded) return OkStatus();
      return entries.Error();
    }
    for (const ContextEntry& entry : *entries) {
      std::string path = JoinPath(dir, entry.name);
      IgnoreWalkState child;
      IgnoreVerdict verdict = out.ignore_.MatchInWalk(path, state, &child);
      const bool is_dir = entry.kind == EntryKind::kDirectory;
      if (verdict.excluded) {
        out.excluded_[path] = verdict;
        if (!is_dir) continue;
        if (!out.ignore_.WalkEntersExcludedDir(path)) {
          out.unentered_.insert(path);
          continue;
        }
        open_dirs.push_back({path, entry, false});
      } else {
        EmitEnclosingDirs();
        Emit(dir, entry, path);
        if (!is_dir) continue;
        open_dirs.push_back({path, entry, true});
      }
      Status visited = Visit(path, child, verdict.excluded);
      open_dirs.pop_back();
      if (!visited) return visited;
    }
    return OkStatus();
  }
};

Result<FilteredContext> FilteredContext::Build(const BuildContext& context, DockerIgnore ignore) {
  FilteredContext out;
  out.ignore_ = std::move(ignore);
  out.dirs_.try_emplace("");
  Walker walker{context, out, {}};
  if (Status walked = walker.Visit("", IgnoreWalkState(), false); !walked) return walked.Error();
  return out;
}

Result<std::vector<ContextEntry>> FilteredContext::ReadDir(std::string_view dir) const {
  auto it = dirs_.find(dir);
  if (it == dirs_.end()) return ContextError("open " + std::string(dir) + ": not a directory");
  return it->second;
}

std::optional<ContextEntry> FilteredContext::Lstat(std::string_view path) const {
  if (path.empty()) return std::nullopt;
  auto [dir, name] = SplitParent(path);
  auto it = dirs_.find(dir);
  if (it == dirs_.end()) return std::nullopt;
  const std::vector<ContextEntry>& entries = it->second;
  auto found =
      std::lower_bound(entries.begin(), entries.end(), name,
                       [](const ContextEntry& e, std::string_view n) { return e.name < n; });
  if (found == entries.end() || found->name != name) return std::nullopt;
  return *found;
}

ContextVerdict FilteredContext::Explain(std::string_view path) const {
  std::string clean = NormalizeContextPath(path);
  ContextVerdict out;
  if (clean.empty() || Lstat(clean)) {
    out.present = true;
    out.subject = clean;
    // Replay the walk down to the path for the pattern that decided (an exception, say).
    IgnoreWalkState state;
    std::string prefix;
    for (const std::string& segment : SplitSegments(clean)) {
      prefix = JoinPath(prefix, segment);
      IgnoreWalkState next;
      out.ignore = ignore_.MatchInWalk(prefix, state, &next);
      state = std::move(next);
    }
    return out;
  }
  if (auto it = excluded_.find(clean); it != excluded_.end()) {
    out.subject = clean;
    out.ignore = it->second;
    return out;
  }
  std::string prefix;
  for (const std::string& segment : SplitSegments(clean)) {
    prefix = JoinPath(prefix, segment);
    if (unentered_.contains(prefix)) {
      out.subject = prefix;
      out.ignore = excluded_.at(prefix);
      return out;
    }
  }
  return out;
}

// ---- SelectCopySources ----------------------------------------------------------------------

namespace {

constexpr int kMaxSymlinks = 255;  // continuity's and contenthash's limit

// fsutil's containsWildcards: a backslash protects the next byte.
bool ContainsWildcards(std::string_view segment) {
  for (size_t i = 0; i < segment.size(); ++i) {
    char c = segment[i];
    if (c == '\\') {
      ++i;
    } else if (c == '*' || c == '?' || c == '[') {
      return true;
    }
  }
  return false;
}

// continuity's fs.RootPath: every component's symlinks are followed inside the context, an
// absolute target starting again from its root and ".." never leaving it. Components that do
// not exist are kept as they are (the caller then finds nothing there). nullopt on a loop.
std::optional<std::string> ResolveInContext(const BuildContext& context, std::string_view path) {
  std::vector<std::string> resolved;
  std::deque<std::string> pending;
  for (std::string& segment : SplitSegments(path)) pending.push_back(std::move(segment));
  int links = 0;
  while (!pending.empty()) {
    std::string component = std::move(pending.front());
    pending.pop_front();
    if (component == ".") continue;
    if (component == "..") {
      if (!resolved.empty()) resolved.pop_back();
      continue;
    }
    std::string candidate = JoinPath(JoinSegments(resolved, 0, resolved.size()), component);
    std::optional<ContextEntry> entry = context.Lstat(candidate);
    if (entry && entry->kind == EntryKind::kSymlink) {
      if (++links > kMaxSymlinks) return std::nullopt;
      if (!entry->link_target.empty() && entry->link_target[0] == '/') resolved.clear();
      std::vector<std::string> target = SplitSegments(entry->link_target);
      pending.insert(pending.begin(), target.begin(), target.end());
      continue;
    }
    resolved.push_back(std::move(component));
  }
  return JoinSegments(resolved, 0, resolved.size());
}

// fsutil's copier over one selected directory: `--exclude` patterns see paths relative to it;
// an excluded directory is still entered (an exception may re-include something inside) and
// is selected only to hold what is.
class Collector {
 public:
  Collector(const FilteredContext& context, const DockerIgnore& excludes,
            std::vector<SelectedPath>& out)
      : context_(context), excludes_(excludes), out_(out) {}

  void CollectDir(const std::string& dir, const std::string& rel, const IgnoreWalkState& state) {
    auto entries = context_.ReadDir(dir);
    if (!entries) return;
    for (const ContextEntry& entry : *entries) {
      std::string path = JoinPath(dir, entry.name);
      std::string child_rel = JoinPath(rel, entry.name);
      IgnoreWalkState child;
      IgnoreVerdict verdict = excludes_.MatchInWalk(child_rel, state, &child);
      const bool is_dir = entry.kind == EntryKind::kDirectory;
      if (verdict.excluded) {
        // Without exceptions nothing below an excluded directory can come back.
        if (!is_dir || !excludes_.HasExceptions()) continue;
        open_dirs_.push_back({path, false});
      } else {
        for (auto& [open_path, emitted] : open_dirs_) {
          if (emitted) continue;
          out_.push_back({open_path, EntryKind::kDirectory});
          emitted = true;
        }
        out_.push_back({path, entry.kind});
        if (!is_dir) continue;
        open_dirs_.push_back({path, true});
      }
      CollectDir(path, child_rel, child);
      open_dirs_.pop_back();
    }
  }

 private:
  const FilteredContext& context_;
  const DockerIgnore& excludes_;
  std::vector<SelectedPath>& out_;
  std::vector<std::pair<std::string, bool>> open_dirs_;
};

// fsutil's resolveWildcards: a walk below `base` that does not follow symlinks, keeping each
// entry whose relative path filepath.Match accepts and not entering a matched directory.
class WildcardWalker {
 public:
  WildcardWalker(const FilteredContext& context, std::string_view pattern)
      : context_(context), pattern_(pattern) {
    // '*' and '?' never match '/', but a class like [^a] can: each class may add one level.
    max_depth_ = SplitSegments(pattern).size() +
                 static_cast<size_t>(std::count(pattern.begin(), pattern.end(), '['));
  }

  void Walk(const std::string& dir, const std::string& rel, size_t depth,
            std::vector<std::string>& matches) const {
    auto entries = context_.ReadDir(dir);
    if (!entries) return;
    for (const ContextEntry& entry : *entries) {
      std::string child_rel = JoinPath(rel, entry.name);
      if (gopath::Match(pattern_, child_rel).value_or(false)) {
        matches.push_back(JoinPath(dir, entry.name));
      } else if (entry.kind == EntryKind::kDirectory && depth < max_depth_) {
        Walk(JoinPath(dir, entry.name), child_rel, depth + 1, matches);
      }
    }
  }

 private:
  const FilteredContext& context_;
  std::string_view pattern_;
  size_t max_depth_ = 0;
};

Diagnostic SourceError(const CopySource& source, std::string code, std::string message,
                       Severity severity = Severity::kError) {
  return Diagnostic{std::move(code), std::move(message), source.range, severity};
}

// BuildKit's message, plus the .dockerignore line responsible when there is one.
Diagnostic NotFound(const FilteredContext& context, const CopySource& source,
                    std::string_view shown, std::string_view resolved) {
  std::string message = "failed to compute cache key: \"" + std::string(shown) + "\": not found";
  ContextVerdict why = context.Explain(resolved);
  if (!why.present && why.ignore.excluded && why.ignore.pattern >= 0) {
    message += " (";
    if (why.subject != resolved) message += "\"" + why.subject + "\" is ";
    message += "excluded by " + context.Ignore().Where(why.ignore.pattern) + ")";
  }
  return SourceError(source, "copy-source-not-found", std::move(message));
}

}  // namespace

Result<std::vector<SelectedPath>> SelectCopySources(const FilteredContext& context,
                                                    const CopySource& source,
                                                    const DockerIgnore& excludes,
                                                    const SelectOptions& options) {
  // The frontend passes filepath.Join("/", src); BuildKit names the source that way too.
  const std::string shown = gopath::Clean("/" + source.path);
  const std::vector<std::string> segments = SplitSegments(shown);
  size_t first_wildcard = 0;
  while (first_wildcard < segments.size() && !ContainsWildcards(segments[first_wildcard])) {
    ++first_wildcard;
  }

  std::vector<SelectedPath> out;
  auto loop_error = [&] {
    return SourceError(source, "copy-source-symlink-loop",
                       "failed to compute cache key: \"" + shown + "\": too many links");
  };
  // Selects a resolved path; false when there is nothing there.
  auto take = [&](const std::string& path) {
    if (path.empty()) {
      Collector(context, excludes, out).CollectDir("", "", IgnoreWalkState());
      return true;
    }
    std::optional<ContextEntry> entry = context.Lstat(path);
    if (!entry) return false;
    if (entry->kind == EntryKind::kDirectory) {
      Collector(context, excludes, out).CollectDir(path, "", IgnoreWalkState());
    } else {
      // `--exclude` never applies to the source itself (moby/buildkit#5489).
      out.push_back({path, entry->kind});
    }
    return true;
  };

  if (first_wildcard == segments.size()) {
    std::optional<std::string> resolved = ResolveInContext(context, shown);
    if (!resolved) return loop_error();
    if (!take(*resolved)) return NotFound(context, source, shown, *resolved);
  } else {
    const std::string prefix = JoinSegments(segments, 0, first_wildcard);
    const std::string pattern = JoinSegments(segments, first_wildcard, segments.size());
    if (!gopath::Match(pattern, "")) {
      return SourceError(source, "copy-source-bad-pattern",
                         "syntax error in pattern \"" + shown + "\"");
    }
    std::optional<std::string> base = ResolveInContext(context, prefix);
    if (!base) return loop_error();
    std::optional<ContextEntry> base_entry;
    if (!base->empty()) {
      base_entry = context.Lstat(*base);
      // The copy walks the directory before the wildcard; a missing one fails the build.
      if (!base_entry) return NotFound(context, source, "/" + prefix, *base);
    }
    std::vector<std::string> matches;
    if (base->empty() || base_entry->kind == EntryKind::kDirectory) {
      WildcardWalker(context, pattern).Walk(*base, "", 1, matches);
    }
    if (matches.empty()) {
      if (options.allow_empty_wildcard) return out;
      return SourceError(source, "copy-wildcard-no-match",
                         "\"" + shown +
                             "\" matches nothing in the build context (BuildKit "
                             "copies nothing and does not fail)",
                         Severity::kWarning);
    }
    for (const std::string& match : matches) {
      std::optional<std::string> resolved = ResolveInContext(context, match);
      if (!resolved) return loop_error();
      if (!take(*resolved)) return NotFound(context, source, "/" + match, *resolved);
    }
  }
  std::sort(out.begin(), out.end(),
            [](const SelectedPath& a, const SelectedPath& b) { return a.path < b.path; });
  out.erase(
      std::unique(out.begin(), out.end(),
                  [](const SelectedPath& a, const SelectedPath& b) { return a.path == b.path; }),
      out.end());
  return out;
}

}  // namespace dockit

// The build context as BuildKit sees it, and the files a COPY/ADD source takes from it.
//
// Three layers, each reproducing one piece of BuildKit:
//  - BuildContext: a directory tree to read (in memory for tests, on disk for real use);
//  - FilteredContext: what the context transfer sends after .dockerignore (fsutil's filtered
//    walk: excluded paths are absent, an excluded directory reappears only to hold a
//    re-included path, and a directory without a possible exception inside is not entered);
//  - SelectCopySources: the paths one COPY/ADD source selects in it (fsutil's copy: wildcard
//    resolution per filepath.Match, symlinks followed for the source itself but not inside it,
//    `--exclude` patterns relative to each selected directory).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "parser/diagnostic.hpp"
#include "parser/dockerignore.hpp"

namespace dockit {

enum class EntryKind { kFile, kDirectory, kSymlink, kOther };

// One directory entry, with what Docker stores about it.
struct ContextEntry {
  std::string name;  // within its directory
  EntryKind kind = EntryKind::kFile;
  uint32_t mode = 0;  // permission bits with setuid, setgid and sticky (st_mode & 07777)
  uint64_t size = 0;
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::string link_target;  // symlinks: the target as stored, not resolved
  // What lstat said besides, for caches that must notice any change (DiskContext only; zero in
  // a MemoryContext): device, inode, and the modification and change times in nanoseconds.
  uint64_t dev = 0;
  uint64_t ino = 0;
  int64_t mtime_ns = 0;
  int64_t ctime_ns = 0;
};

// A directory tree. Paths are relative to its root, '/'-separated, "" for the root itself.
class BuildContext {
 public:
  virtual ~BuildContext() = default;
  // The entries of directory `dir` sorted by name byte-wise (Go's os.ReadDir order); an error
  // when `dir` is absent, not a directory or unreadable.
  virtual Result<std::vector<ContextEntry>> ReadDir(std::string_view dir) const = 0;
  // The entry at `path` without following a final symlink; nullopt when there is none (and for
  // the root, which has no entry).
  virtual std::optional<ContextEntry> Lstat(std::string_view path) const;
};

// A context built in code; parent directories are created as needed (mode 0755).
class MemoryContext final : public BuildContext {
 public:
  MemoryContext& AddFile(std::string_view path, uint64_t size = 0, uint32_t mode = 0644);
  MemoryContext& AddDir(std::string_view path, uint32_t mode = 0755);
  MemoryContext& AddSymlink(std::string_view path, std::string target);
  // Any entry; its name is taken from `path`. Replaces an existing entry of that path.
  MemoryContext& Add(std::string_view path, ContextEntry entry);

  Result<std::vector<ContextEntry>> ReadDir(std::string_view dir) const override;
  std::optional<ContextEntry> Lstat(std::string_view path) const override;

 private:
  void EnsureDir(const std::string& dir);
  std::map<std::string, std::map<std::string, ContextEntry>, std::less<>> dirs_{{"", {}}};
};

// A directory on disk, read lazily with lstat: symlinks are reported, never followed.
class DiskContext final : public BuildContext {
 public:
  explicit DiskContext(std::filesystem::path root) : root_(std::move(root)) {}
  const std::filesystem::path& Root() const { return root_; }

  Result<std::vector<ContextEntry>> ReadDir(std::string_view dir) const override;
  std::optional<ContextEntry> Lstat(std::string_view path) const override;

 private:
  std::filesystem::path root_;
};

// Why a path is or is not in a FilteredContext.
struct ContextVerdict {
  bool present = false;  // in the filtered context
  // For `subject`: the path itself, or the excluded directory the walk did not enter that
  // holds it; empty when the walk never saw either (the path is not in the context at all).
  std::string subject;
  IgnoreVerdict ignore;
};

// The context after .dockerignore, computed once by walking the whole tree as BuildKit does.
class FilteredContext final : public BuildContext {
 public:
  // Fails when the walk cannot read an included directory (unreadable excluded directories
  // are skipped, as BuildKit does).
  static Result<FilteredContext> Build(const BuildContext& context, DockerIgnore ignore);

  Result<std::vector<ContextEntry>> ReadDir(std::string_view dir) const override;
  std::optional<ContextEntry> Lstat(std::string_view path) const override;

  const DockerIgnore& Ignore() const { return ignore_; }
  ContextVerdict Explain(std::string_view path) const;

 private:
  struct Walker;
  DockerIgnore ignore_;
  std::map<std::string, std::vector<ContextEntry>, std::less<>> dirs_;  // present directories
  std::map<std::string, IgnoreVerdict, std::less<>> excluded_;          // excluded paths seen
  std::set<std::string, std::less<>> unentered_;  // excluded directories not walked into
};

// One COPY/ADD source as written (after variable expansion and quote removal).
struct CopySource {
  std::string path;
  SourceRange range;  // where the diagnostics point
};

struct SelectOptions {
  // BuildKit's Dockerfile frontend sets AllowEmptyWildcard: a wildcard matching nothing copies
  // nothing and succeeds. Off by default so a linter hears about it (as a warning).
  bool allow_empty_wildcard = false;
};

struct SelectedPath {
  std::string path;  // context-relative
  EntryKind kind = EntryKind::kFile;
  friend bool operator==(const SelectedPath&, const SelectedPath&) = default;
};

// The context paths `source` selects, sorted and without duplicates: the file itself, or every
// entry below a directory (not the directory itself: COPY copies its contents), after
// `excludes` (the `--exclude` patterns; empty for none). Symlinks met while resolving the
// source are followed inside the context; symlinks inside a selected directory are selected
// as symlinks. Error codes:
//  - "copy-source-not-found": BuildKit's "failed to compute cache key: ...: not found", plus
//    the .dockerignore line responsible when there is one;
//  - "copy-source-bad-pattern", "copy-source-symlink-loop";
//  - "copy-wildcard-no-match", severity warning (see SelectOptions).
Result<std::vector<SelectedPath>> SelectCopySources(const FilteredContext& context,
                                                    const CopySource& source,
                                                    const DockerIgnore& excludes = {},
                                                    const SelectOptions& options = {});

}  // namespace dockit

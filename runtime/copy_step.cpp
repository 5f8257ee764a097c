#include "runtime/copy_step.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <vector>

#include "runtime/add_archive.hpp"
#include "runtime/copy_paths.hpp"

namespace dockit::runtime {
namespace {

using plan::Step;

Diagnostic Error(std::string message) {
  return Diagnostic{"runtime-copy", std::move(message), {}, Severity::kError};
}

Diagnostic Errno(const std::string& what) { return Error(what + ": " + std::strerror(errno)); }

std::string BaseOf(std::string_view path) {
  while (path.size() > 1 && path.ends_with('/')) path.remove_suffix(1);
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::string ParentOf(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

std::string Join(const std::string& dir, const std::string& name) {
  return dir == "/" ? "/" + name : dir + "/" + name;
}

bool HasWildcard(std::string_view s) { return s.find_first_of("*?[") != std::string_view::npos; }

// What one copied entry is: its kind, mode and mtime, and where its bytes or target come from.
struct Source {
  enum class Kind { kFile, kDirectory, kSymlink } kind = Kind::kFile;
  uint32_t mode = 0644;
  std::string link_target;
  int read_fd = -1;  // an open regular file
  std::optional<struct timespec> mtime;
};

// The owner and mode COPY gives what it writes.
struct Attributes {
  Owner owner;
  std::optional<uint32_t> mode;
};

Result<Attributes> AttributesOf(const Step& step, int dest_fd) {
  Attributes out;
  if (!step.chown.empty()) {
    Result<Owner> owner = ResolveOwnerInRoot(dest_fd, step.chown);
    if (!owner) return owner.Error();
    out.owner = *owner;
  }
  if (!step.chmod.empty()) {
    uint32_t value = 0;
    bool ok = step.chmod.size() <= 4;
    for (char c : step.chmod) {
      ok = ok && c >= '0' && c <= '7';
      value = value * 8 + static_cast<uint32_t>(c - '0');
    }
    if (!ok) return Error("invalid --chmod=" + step.chmod + ": not an octal mode");
    out.mode = value;
  }
  return out;
}

Status CopyBytes(int from, int to, const std::string& path) {
  for (;;) {
    ssize_t n = ::copy_file_range(from, nullptr, to, nullptr, 1 << 30, 0);
    if (n > 0) continue;
    if (n == 0) return OkStatus();
    if (errno == EINTR) continue;
    if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP) {
      return Errno(path);
    }
    break;  // not possible between these files: plain read/write
  }
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(from, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno(path);
    if (n == 0) return OkStatus();
    for (ssize_t done = 0; done < n;) {
      ssize_t w = ::write(to, buffer + done, static_cast<size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return Errno(path);
      done += w;
    }
  }
}

// Puts one entry at `path` (inside the image root `root_fd`): parents made as needed, an
// existing directory kept for a directory, anything else in the way replaced.
Status Place(int root_fd, const std::string& path, const Source& source,
             const Attributes& attributes) {
  std::string name;
  Result<UniqueFd> parent = MakeParentsInRoot(root_fd, path, &name);
  if (!parent) return parent.Error();
  int dir = parent->Get();
  uint32_t mode = attributes.mode.value_or(source.mode & 07777);
  struct stat old {};
  bool exists = ::fstatat(dir, name.c_str(), &old, AT_SYMLINK_NOFOLLOW) == 0;
  if (source.kind == Source::Kind::kDirectory) {
    if (exists && S_ISDIR(old.st_mode)) return OkStatus();  // its contents follow
    if (exists) {
      Status removed = RemoveAt(dir, name);
      if (!removed) return removed;
    }
    if (::mkdirat(dir, name.c_str(), 0700) != 0) return Errno(path);
    if (::fchownat(dir, name.c_str(), attributes.owner.uid, attributes.owner.gid,
                   AT_SYMLINK_NOFOLLOW) != 0 ||
        ::fchmodat(dir, name.c_str(), mode, 0) != 0) {
      return Errno(path);
    }
    return OkStatus();
  }
  if (exists) {
    Status removed = RemoveAt(dir, name);
    if (!removed) return removed;
  }
  if (source.kind == Source::Kind::kSymlink) {
    if (::symlinkat(source.link_target.c_str(), dir, name.c_str()) != 0 ||
        ::fchownat(dir, name.c_str(), attributes.owner.uid, attributes.owner.gid,
                   AT_SYMLINK_NOFOLLOW) != 0) {
      return Errno(path);
    }
    return OkStatus();
  }
  // O_EXCL|O_NOFOLLOW: nothing put there behind our back is written through.
  int fd = ::openat(dir, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return Errno(path);
  UniqueFd out(fd);
  Status copied = CopyBytes(source.read_fd, fd, path);
  if (!copied) return copied;
  if (::fchown(fd, attributes.owner.uid, attributes.owner.gid) != 0 || ::fchmod(fd, mode) != 0) {
    return Errno(path);
  }
  if (source.mtime) {
    struct timespec times[2] = {*source.mtime, *source.mtime};
    ::futimens(fd, times);
  }
  return OkStatus();
}

// Reads the entry `name` of the directory `dir_fd` (never following it) as a Source; nullopt
// for what a copy skips (sockets, devices, overlay whiteouts of a layer read in place).
Result<std::optional<Source>> SourceAt(int dir_fd, const std::string& name,
                                       const std::string& shown, UniqueFd* keep) {
  struct stat st {};
  if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return Errno(shown);
  Source s;
  s.mode = st.st_mode & 07777;
  s.mtime = st.st_mtim;
  if (S_ISDIR(st.st_mode)) {
    s.kind = Source::Kind::kDirectory;
  } else if (S_ISLNK(st.st_mode)) {
    s.kind = Source::Kind::kSymlink;
    std::vector<char> target(static_cast<size_t>(st.st_size) + 1 + 4096);
    ssize_t n = ::readlinkat(dir_fd, name.c_str(), target.data(), target.size());
    if (n < 0) return Errno(shown);
    s.link_target.assign(target.data(), static_cast<size_t>(n));
  } else if (S_ISREG(st.st_mode)) {
    int fd = ::openat(dir_fd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return Errno(shown);
    *keep = UniqueFd(fd);
    s.read_fd = fd;
  } else {
    return std::optional<Source>();
  }
  return std::optional<Source>(std::move(s));
}

// Copies the contents of the directory `dir_fd` to `dest` (recursively, nothing followed).
Status CopyContents(int dir_fd, const std::string& shown, int root_fd, const std::string& dest,
                    const Attributes& attributes) {
  int fd = ::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno(shown);
  DIR* dir = ::fdopendir(fd);
  if (!dir) {
    ::close(fd);
    return Errno(shown);
  }
  std::vector<std::string> names;
  while (dirent* e = ::readdir(dir)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  std::sort(names.begin(), names.end());
  Status status = OkStatus();
  for (const std::string& n : names) {
    UniqueFd keep;
    std::string child = Join(shown, n);
    Result<std::optional<Source>> source = SourceAt(::dirfd(dir), n, child, &keep);
    if (!source) {
      status = source.Error();
      break;
    }
    if (!*source) continue;
    status = Place(root_fd, Join(dest, n), **source, attributes);
    if (!status) break;
    if ((*source)->kind == Source::Kind::kDirectory) {
      int sub = ::openat(::dirfd(dir), n.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub < 0) {
        status = Errno(child);
        break;
      }
      UniqueFd owned(sub);
      status = CopyContents(sub, child, root_fd, Join(dest, n), attributes);
      if (!status) break;
    }
  }
  ::closedir(dir);
  return status;
}

bool IsAdd(const Step& step) {
  std::string keyword = step.instruction->keyword;
  return keyword == "ADD" || keyword == "add" || keyword == "Add";
}

}  // namespace

Status CopyFromContext(const Step& step, const std::string& context_dir,
                       const std::string& dest_root, const std::string& /*scratch_dir*/) {
  Result<UniqueFd> root = OpenAt2(AT_FDCWD, dest_root, O_PATH | O_DIRECTORY, 0);
  if (!root) return Error(dest_root + ": " + root.Error().message);
  Result<UniqueFd> context = OpenAt2(AT_FDCWD, context_dir, O_PATH | O_DIRECTORY, 0);
  if (!context) return Error(context_dir + ": " + context.Error().message);
  Result<Attributes> attributes = AttributesOf(step, root->Get());
  if (!attributes) return attributes.Error();
  constexpr uint64_t kBeneath = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  for (const plan::PlannedFile& f : step.files) {
    Source source;
    source.mode = f.mode & 07777;
    UniqueFd keep;
    if (f.kind == EntryKind::kDirectory) {
      source.kind = Source::Kind::kDirectory;
    } else if (f.kind == EntryKind::kSymlink || f.kind == EntryKind::kFile) {
      // Opened beneath the context without following any symlink on the way: a symlinked
      // parent or a file swapped for a symlink since planning cannot read outside it.
      std::string parent = f.path.find('/') == std::string::npos ? "" : ParentOf("/" + f.path);
      Result<UniqueFd> dir = OpenAt2(context->Get(), parent.empty() ? "." : parent.substr(1),
                                     O_PATH | O_DIRECTORY, kBeneath);
      if (!dir)
        return Error(f.path + ": cannot open it in the build context: " + dir.Error().message);
      Result<std::optional<Source>> read = SourceAt(dir->Get(), BaseOf(f.path), f.path, &keep);
      if (!read) return read.Error();
      bool expected_kind =
          *read && ((*read)->kind == Source::Kind::kSymlink) == (f.kind == EntryKind::kSymlink) &&
          (*read)->kind != Source::Kind::kDirectory;
      if (!expected_kind) return Error(f.path + ": changed in the build context during the build");
      source = std::move(**read);
      source.mode = f.mode & 07777;
    } else {
      continue;  // sockets, devices: BuildKit's context transfer skips them too
    }
    std::string path = CleanImagePath(f.image_path);
    if (source.kind != Source::Kind::kDirectory && f.image_path == step.dest) {
      // `COPY app.py /app` where /app is a folder in the image: the file goes into it.
      if (OpenDirInRoot(root->Get(), path)) path = Join(path, BaseOf(f.path));
    }
    if (IsAdd(step) && source.kind == Source::Kind::kFile && IsAddArchive(source.read_fd)) {
      // ADD of a local tar (plain, gzip, bzip2, xz): extracted as it is into the destination
      // folder (made like COPY makes one), the archive's owners kept unless --chown.
      std::string dest = f.image_path == step.dest ? CleanImagePath(step.dest) : ParentOf(path);
      Source top;
      top.kind = Source::Kind::kDirectory;
      top.mode = 0755;
      if (dest != "/") {
        Status made = Place(root->Get(), dest, top, *attributes);
        if (!made) return made;
      }
      Result<UniqueFd> into = OpenDirInRoot(root->Get(), dest);
      if (!into) return Error(dest + ": " + into.Error().message);
      std::optional<Owner> chown;
      if (!step.chown.empty()) chown = attributes->owner;
      Status extracted = ExtractAddArchive(source.read_fd, f.path, into->Get(), chown);
      if (!extracted) return extracted;
      continue;
    }
    Status placed = Place(root->Get(), path, source, *attributes);
    if (!placed) return placed;
  }
  if (!step.urls.empty()) {
    return Error("ADD " + step.urls.front() +
                 ": ADD of remote URLs is not supported without network access");
  }
  return OkStatus();
}

Status CopyFromTree(const Step& step, const std::string& source_root,
                    const std::string& dest_root) {
  Result<UniqueFd> root = OpenAt2(AT_FDCWD, dest_root, O_PATH | O_DIRECTORY, 0);
  if (!root) return Error(dest_root + ": " + root.Error().message);
  Result<UniqueFd> from = OpenAt2(AT_FDCWD, source_root, O_PATH | O_DIRECTORY, 0);
  if (!from) return Error(source_root + ": " + from.Error().message);
  Result<Attributes> attributes = AttributesOf(step, root->Get());
  if (!attributes) return attributes.Error();
  bool into_folder = step.dest.ends_with('/') || step.sources.size() > 1;
  std::string dest = CleanImagePath(step.dest);
  for (const std::string& written : step.sources) {
    std::string pattern = CleanImagePath("/" + written);
    // Each match: the folder it is in (resolved in the source root) and its name there.
    std::vector<std::pair<std::string, std::string>> matches;
    bool wildcard = HasWildcard(pattern);
    if (wildcard) {
      std::string parent = ParentOf(pattern);
      if (HasWildcard(parent)) {
        return Error(written + ": wildcards are supported in the last path component only");
      }
      Result<UniqueFd> dir = OpenAt2(from->Get(), parent.substr(1), O_RDONLY | O_DIRECTORY,
                                     RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
      if (dir) {
        DIR* d = ::fdopendir(::dup(dir->Get()));
        while (dirent* e = d ? ::readdir(d) : nullptr) {
          std::string n = e->d_name;
          if (n == "." || n == "..") continue;
          if (::fnmatch(BaseOf(pattern).c_str(), n.c_str(), FNM_PERIOD) == 0) {
            matches.emplace_back(parent, n);
          }
        }
        if (d) ::closedir(d);
      }
      std::sort(matches.begin(), matches.end());
      if (matches.empty()) return Error(written + ": no source files were specified");
    } else {
      // The source itself is followed if it is a symlink (inside the root), as Docker does.
      Result<UniqueFd> there = OpenAt2(from->Get(), pattern == "/" ? "." : pattern.substr(1),
                                       O_PATH, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
      if (!there) return Error("\"" + pattern + "\": not found in the --from source");
      struct stat st {};
      if (::fstat(there->Get(), &st) != 0) return Errno(pattern);
      Source s;
      s.mode = st.st_mode & 07777;
      s.mtime = st.st_mtim;
      if (S_ISDIR(st.st_mode)) {
        s.kind = Source::Kind::kDirectory;
        Status top = Place(root->Get(), dest, s, *attributes);
        if (!top) return top;
        Status copied = CopyContents(there->Get(), pattern, root->Get(), dest, *attributes);
        if (!copied) return copied;
        continue;
      }
      if (!S_ISREG(st.st_mode)) continue;
      // Reopened for reading through the descriptor: the path is not looked up again.
      std::string via = "/proc/self/fd/" + std::to_string(there->Get());
      int fd = ::open(via.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) return Errno(pattern);
      UniqueFd keep(fd);
      s.read_fd = fd;
      std::string target = dest;
      // Into the folder: a trailing slash, several sources, or a folder already there.
      if (into_folder || (dest != "/" && OpenDirInRoot(root->Get(), dest))) {
        target = Join(dest, BaseOf(pattern));
      }
      Status placed = Place(root->Get(), target, s, *attributes);
      if (!placed) return placed;
      continue;
    }
    for (const auto& [parent, n] : matches) {
      Result<UniqueFd> dir = OpenAt2(from->Get(), parent == "/" ? "." : parent.substr(1),
                                     O_PATH | O_DIRECTORY, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
      if (!dir) return Error(parent + ": " + dir.Error().message);
      UniqueFd keep;
      std::string shown = Join(parent, n);
      Result<std::optional<Source>> source = SourceAt(dir->Get(), n, shown, &keep);
      if (!source) return source.Error();
      if (!*source) continue;
      if ((*source)->kind != Source::Kind::kDirectory) {
        Status placed = Place(root->Get(), into_folder || wildcard ? Join(dest, n) : dest, **source,
                              *attributes);
        if (!placed) return placed;
        continue;
      }
      std::string base = wildcard ? Join(dest, n) : dest;
      Status top = Place(root->Get(), base, **source, *attributes);
      if (!top) return top;
      int sub = ::openat(dir->Get(), n.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub < 0) return Errno(shown);
      UniqueFd owned(sub);
      Status copied = CopyContents(sub, shown, root->Get(), base, *attributes);
      if (!copied) return copied;
    }
  }
  return OkStatus();
}

}  // namespace dockit::runtime

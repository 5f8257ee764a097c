#include "runtime/layer_fs.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace dockit::runtime {

void Fd::Reset() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

Diagnostic ErrnoError(const std::string& what, int err) {
  return Diagnostic{"layer-io", what + ": " + std::strerror(err), {}, Severity::kError};
}

Diagnostic LayerError(std::string code, std::string message) {
  return Diagnostic{std::move(code), std::move(message), {}, Severity::kError};
}

Result<Fd> OpenDir(const std::string& path) {
  Fd fd(open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.Valid()) return ErrnoError(path, errno);
  return fd;
}

Result<Fd> OpenChildDir(int dir, const std::string& name) {
  Fd fd(openat(dir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.Valid()) return ErrnoError(name, errno);
  return fd;
}

Result<std::vector<std::string>> ListDir(int dir) {
  // fdopendir takes ownership, so it gets its own descriptor of the same directory.
  int copy = openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (copy < 0) return ErrnoError("open directory", errno);
  DIR* stream = fdopendir(copy);
  if (stream == nullptr) {
    int err = errno;
    close(copy);
    return ErrnoError("read directory", err);
  }
  std::vector<std::string> names;
  errno = 0;
  while (dirent* entry = readdir(stream)) {
    std::string_view name = entry->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
    errno = 0;
  }
  int err = errno;
  closedir(stream);
  if (err != 0) return ErrnoError("read directory", err);
  std::sort(names.begin(), names.end());
  return names;
}

Status RemoveTreeAt(int dir, const std::string& name) {
  struct stat st;
  if (fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return OkStatus();
    return ErrnoError(name, errno);
  }
  if (S_ISDIR(st.st_mode)) {
    Result<Fd> child = OpenChildDir(dir, name);
    if (!child) return child.Error();
    Result<std::vector<std::string>> names = ListDir(child->Get());
    if (!names) return names.Error();
    for (const std::string& n : *names) {
      if (Status removed = RemoveTreeAt(child->Get(), n); !removed) return removed;
    }
    if (unlinkat(dir, name.c_str(), AT_REMOVEDIR) != 0) return ErrnoError(name, errno);
    return OkStatus();
  }
  if (unlinkat(dir, name.c_str(), 0) != 0) return ErrnoError(name, errno);
  return OkStatus();
}

bool IsOpaqueDir(int dir_fd) {
  for (const char* attr : {"trusted.overlay.opaque", "user.overlay.opaque"}) {
    char value[4];
    ssize_t n = fgetxattr(dir_fd, attr, value, sizeof value);
    if (n == 1 && value[0] == 'y') return true;
  }
  return false;
}

bool HasOverlayXattr(int fd, const char* name) {
  for (const char* ns : {"trusted.overlay.", "user.overlay."}) {
    std::string attr = std::string(ns) + name;
    if (fgetxattr(fd, attr.c_str(), nullptr, 0) >= 0) return true;
  }
  return false;
}

Status MarkOpaqueDir(int dir_fd, const std::string& shown_path) {
  if (fsetxattr(dir_fd, "trusted.overlay.opaque", "y", 1, 0) == 0) return OkStatus();
  if (errno != EPERM) return ErrnoError(shown_path + ": trusted.overlay.opaque", errno);
  if (fsetxattr(dir_fd, "user.overlay.opaque", "y", 1, 0) == 0) return OkStatus();
  return ErrnoError(shown_path + ": overlay.opaque", errno);
}

Status MakeWhiteoutAt(int dir, const std::string& name, const std::string& shown_path) {
  if (Status removed = RemoveTreeAt(dir, name); !removed) return removed;
  if (mknodat(dir, name.c_str(), S_IFCHR | 0, makedev(0, 0)) != 0) {
    return ErrnoError(shown_path + ": whiteout device", errno);
  }
  return OkStatus();
}

uint64_t SizeOfChanges(const std::vector<plan::FileChange>& changes) {
  using Kind = plan::FileChange::Kind;
  uint64_t total = 0;
  for (const plan::FileChange& c : changes) {
    if (c.kind == Kind::kFile) total += c.size;
    if (c.kind == Kind::kSymlink) total += c.link_target.size();
  }
  return total;
}

std::optional<std::vector<std::string>> EntryNameParts(const std::string& name, std::string* why) {
  if (name.empty()) {
    *why = "empty name";
    return std::nullopt;
  }
  if (name[0] == '/') {
    *why = "absolute name";
    return std::nullopt;
  }
  std::vector<std::string> parts;
  size_t at = 0;
  while (at <= name.size()) {
    size_t end = name.find('/', at);
    if (end == std::string::npos) end = name.size();
    std::string part = name.substr(at, end - at);
    if (part == "..") {
      *why = "name contains \"..\"";
      return std::nullopt;
    }
    if (!part.empty() && part != ".") parts.push_back(std::move(part));
    at = end + 1;
  }
  return parts;
}

std::string JoinParts(const std::vector<std::string>& parts, size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) out += '/';
    out += parts[i];
  }
  return out;
}

}  // namespace dockit::runtime

#include "runtime/copy_paths.hpp"

#include "planner/chown_spec.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <dirent.h>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <vector>

namespace dockit::runtime {
namespace {

Diagnostic Error(std::string message) {
  return Diagnostic{"runtime-copy", std::move(message), {}, Severity::kError};
}

std::vector<std::string> Components(std::string_view path) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at < path.size()) {
    size_t end = path.find('/', at);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(at, end - at);
    if (part == "..") {
      if (!out.empty()) out.pop_back();
    } else if (!part.empty() && part != ".") {
      out.emplace_back(part);
    }
    at = end + 1;
  }
  return out;
}

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

std::string CleanImagePath(std::string_view path) {
  std::string out;
  for (const std::string& part : Components(path)) out += "/" + part;
  return out.empty() ? "/" : out;
}

Result<UniqueFd> OpenAt2(int dir_fd, const std::string& path, uint64_t flags, uint64_t resolve,
                         uint32_t mode) {
  struct open_how how {};
  how.flags = flags | O_CLOEXEC;
  how.mode = (flags & O_CREAT) ? mode : 0;
  how.resolve = resolve;
  for (;;) {
    long fd = ::syscall(SYS_openat2, dir_fd, path.empty() ? "." : path.c_str(), &how, sizeof how);
    if (fd >= 0) return UniqueFd(static_cast<int>(fd));
    if (errno == EAGAIN || errno == EINTR) continue;  // a rename raced the lookup: retry
    int e = errno;
    // The code is the errno value, for callers that tell ENOENT apart.
    return Diagnostic{std::to_string(e), std::strerror(e), {}, Severity::kError};
  }
}

Result<UniqueFd> OpenDirInRoot(int root_fd, std::string_view path) {
  std::string relative = CleanImagePath(path).substr(1);
  return OpenAt2(root_fd, relative, O_PATH | O_DIRECTORY, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
}

Status MakeDirsInRoot(int root_fd, std::string_view path, uint32_t mode, uint32_t uid,
                      uint32_t gid) {
  std::vector<std::string> parts = Components(path);
  std::string at;
  for (const std::string& part : parts) {
    std::string next = at + (at.empty() ? "" : "/") + part;
    Result<UniqueFd> there =
        OpenAt2(root_fd, next, O_PATH | O_DIRECTORY, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
    if (!there) {
      Result<UniqueFd> parent =
          OpenAt2(root_fd, at, O_PATH | O_DIRECTORY, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
      if (!parent) return Error("/" + at + ": " + parent.Error().message);
      struct stat st {};
      if (::fstatat(parent->Get(), part.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
        // Something that is not a folder (or a dangling symlink) is in the way.
        return Error("cannot make /" + next + ": it exists and is not a directory");
      }
      // O_PATH descriptors cannot be used with mkdirat: reopen the parent for real.
      Result<UniqueFd> dir =
          OpenAt2(root_fd, at, O_RDONLY | O_DIRECTORY, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
      if (!dir) return Error("/" + at + ": " + dir.Error().message);
      if (::mkdirat(dir->Get(), part.c_str(), mode) != 0 && errno != EEXIST) {
        return Error("cannot make /" + next + ": " + std::strerror(errno));
      }
      // mkdir's mode went through the umask; the owner is the caller's.
      if (::fchmodat(dir->Get(), part.c_str(), mode, 0) != 0 ||
          ::fchownat(dir->Get(), part.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW) != 0) {
        return Error("cannot set the owner and mode of /" + next + ": " + std::strerror(errno));
      }
    }
    at = next;
  }
  return OkStatus();
}

Result<UniqueFd> MakeParentsInRoot(int root_fd, std::string_view path, std::string* name) {
  std::vector<std::string> parts = Components(path);
  if (parts.empty()) return Error("cannot replace the root directory");
  *name = parts.back();
  parts.pop_back();
  std::string parent;
  for (const std::string& p : parts) parent += "/" + p;
  Status made = MakeDirsInRoot(root_fd, parent, 0755, 0, 0);
  if (!made) return made.Error();
  Result<UniqueFd> fd = OpenAt2(root_fd, parent.empty() ? "." : parent.substr(1),
                                O_RDONLY | O_DIRECTORY, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
  if (!fd) return Error((parent.empty() ? "/" : parent) + ": " + fd.Error().message);
  return fd;
}

std::optional<std::string> ReadFileInRoot(int root_fd, std::string_view path) {
  Result<UniqueFd> fd = OpenAt2(root_fd, CleanImagePath(path).substr(1), O_RDONLY,
                                RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
  if (!fd) return std::nullopt;
  std::string text;
  char buffer[8192];
  for (;;) {
    ssize_t n = ::read(fd->Get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buffer, static_cast<size_t>(n));
    if (text.size() > (16u << 20)) return std::nullopt;  // not a passwd file
  }
  return text;
}

Status RemoveAt(int dir_fd, const std::string& name) {
  struct stat st {};
  if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return errno == ENOENT ? OkStatus() : Error(name + ": " + std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) {
    int fd = ::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return Error(name + ": " + std::strerror(errno));
    DIR* dir = ::fdopendir(fd);
    if (!dir) {
      ::close(fd);
      return Error(name + ": " + std::strerror(errno));
    }
    std::vector<std::string> children;
    while (dirent* e = ::readdir(dir)) {
      std::string child = e->d_name;
      if (child != "." && child != "..") children.push_back(child);
    }
    Status status = OkStatus();
    for (const std::string& child : children) {
      status = RemoveAt(::dirfd(dir), child);
      if (!status) break;
    }
    ::closedir(dir);
    if (!status) return status;
    if (::unlinkat(dir_fd, name.c_str(), AT_REMOVEDIR) != 0) {
      return Error(name + ": " + std::strerror(errno));
    }
    return OkStatus();
  }
  if (::unlinkat(dir_fd, name.c_str(), 0) != 0 && errno != ENOENT) {
    return Error(name + ": " + std::strerror(errno));
  }
  return OkStatus();
}

Result<Owner> ResolveOwnerInRoot(int root_fd, std::string_view spec) {
  std::string passwd = ReadFileInRoot(root_fd, "/etc/passwd").value_or("");
  std::string groups = spec.find(':') == std::string_view::npos
                           ? ""
                           : ReadFileInRoot(root_fd, "/etc/group").value_or("");
  Result<plan::FileOwner> owner = plan::ResolveChown(spec, passwd, groups);
  if (!owner) return owner.Error();
  return Owner{owner->uid, owner->gid};
}

}  // namespace dockit::runtime

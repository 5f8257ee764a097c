// Paths inside an image root, resolved the way a container would see them: openat2(2) with
// RESOLVE_IN_ROOT, so a symlink in the image (even an absolute one, or one full of `..`) is
// followed but never leads out of the root, and a context path with RESOLVE_BENEATH and
// RESOLVE_NO_SYMLINKS, so neither a symlinked parent nor a race can read outside the context.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "parser/diagnostic.hpp"

namespace dockit::runtime {

// An owned file descriptor.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();
  int Get() const { return fd_; }

 private:
  int fd_ = -1;
};

// openat2(2); `resolve` is RESOLVE_* flags. Errors are errno values.
Result<UniqueFd> OpenAt2(int dir_fd, const std::string& path, uint64_t flags, uint64_t resolve,
                         uint32_t mode = 0);
// A directory (O_PATH) as seen from the image root `root_fd`: symlinks followed inside it.
Result<UniqueFd> OpenDirInRoot(int root_fd, std::string_view path);
// The parent directory of `path` in the root, created (root-owned, 0755) with any missing
// ancestors, as COPY does; `name` gets the last component. "/" has no parent: an error.
Result<UniqueFd> MakeParentsInRoot(int root_fd, std::string_view path, std::string* name);
// The directory `path` itself, created with its missing ancestors (new ones get `mode`,
// `uid`, `gid`: WORKDIR makes them for the step's user).
Status MakeDirsInRoot(int root_fd, std::string_view path, uint32_t mode, uint32_t uid,
                      uint32_t gid);
// A small file of the image (/etc/passwd), or nullopt when it is not there.
std::optional<std::string> ReadFileInRoot(int root_fd, std::string_view path);
// Removes `name` in `dir_fd` (a directory with its contents); a missing name is fine.
Status RemoveAt(int dir_fd, const std::string& name);

struct Owner {
  uint32_t uid = 0;
  uint32_t gid = 0;
};
// --chown and USER as Docker reads them: "user", "uid", "user:group", "uid:gid", names looked
// up in the image's /etc/passwd and /etc/group (a user alone keeps its passwd group, as the
// simulator does).
Result<Owner> ResolveOwnerInRoot(int root_fd, std::string_view spec);

// "/a/./b//c/" -> "/a/b/c"; `..` stops at the root.
std::string CleanImagePath(std::string_view path);

}  // namespace dockit::runtime

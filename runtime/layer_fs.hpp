// The small filesystem toolkit the layer code shares: an owned fd, errno as a Diagnostic, and
// directory operations done with *at() calls relative to a directory fd, so that nothing an
// untrusted tree contains (a symlink to /etc, a chain of them) can redirect a write or a
// removal outside the directory the caller opened.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/diagnostic.hpp"
#include "planner/executor.hpp"

namespace dockit::runtime {

// An owned file descriptor; -1 when empty.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { Reset(); }
  Fd(Fd&& other) noexcept : fd_(other.Release()) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      Reset();
      fd_ = other.Release();
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;

  int Get() const { return fd_; }
  bool Valid() const { return fd_ >= 0; }
  int Release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void Reset();

 private:
  int fd_ = -1;
};

// "layer-io" error "<what>: <strerror(err)>".
Diagnostic ErrnoError(const std::string& what, int err);
// A layer error with its own code ("unsafe-layer-entry", "layer-too-big", ...).
Diagnostic LayerError(std::string code, std::string message);

// Opens `path` as a directory (O_DIRECTORY, following symlinks: the caller names it).
Result<Fd> OpenDir(const std::string& path);
// Opens the child directory `name` of `dir` without following a symlink (ELOOP/ENOTDIR then).
Result<Fd> OpenChildDir(int dir, const std::string& name);

// The directory's entries except "." and "..", sorted bytewise so walks are deterministic.
Result<std::vector<std::string>> ListDir(int dir);

// Removes `name` in `dir` and, if it is a directory, everything below it; never follows a
// symlink (a symlink is removed, not what it points to). A missing `name` is not an error.
Status RemoveTreeAt(int dir, const std::string& name);

// Whether a directory carries overlayfs' opaque marker (trusted.overlay.opaque=y, or the
// user.overlay.opaque=y that overlay mounts with `userxattr` use).
bool IsOpaqueDir(int dir_fd);
// Whether an upper entry carries overlay.<name> (trusted. or user.): overlayfs' redirect_dir
// and metacopy features leave entries whose contents live in a lower layer, which a layer tar
// made from the upper directory alone would get wrong.
bool HasOverlayXattr(int fd, const char* name);
// Marks a directory opaque: trusted.overlay.opaque=y, or user.overlay.opaque=y when the
// trusted namespace is not ours (not root).
Status MarkOpaqueDir(int dir_fd, const std::string& shown_path);

// Whether a stat is an overlayfs whiteout: a character device with device number 0/0.
inline bool IsWhiteout(const struct stat& st) { return S_ISCHR(st.st_mode) && st.st_rdev == 0; }

// Creates the whiteout device `name` in `dir` (replacing whatever is there).
Status MakeWhiteoutAt(int dir, const std::string& name, const std::string& shown_path);

// A layer's size as `docker history` counts it: regular files' sizes plus symlink targets'
// lengths (hard links are kHardlink entries, so each inode counts once).
uint64_t SizeOfChanges(const std::vector<plan::FileChange>& changes);

// "/a/b" for the relative "a/b".
// The components of an archive entry's name, the rule every unpacker here applies: no leading
// "/", no "..", "." and empty parts dropped; an empty vector is the destination itself ("./").
// nullopt with the reason in *why ("empty name", "absolute name", "name contains \"..\"").
std::optional<std::vector<std::string>> EntryNameParts(const std::string& name, std::string* why);
// The first `count` components joined with '/'.
std::string JoinParts(const std::vector<std::string>& parts, size_t count);

inline std::string Absolute(std::string_view relative) { return "/" + std::string(relative); }

}  // namespace dockit::runtime

// FlattenLayers: overlayfs' merged view of unpacked layers, copied without mounting.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <utility>
#include <vector>

#include "runtime/layer_archive.hpp"
#include "runtime/layer_fs.hpp"

namespace dockit::runtime {
namespace {

Status CopyMeta(int parent, const std::string& name, const struct stat& st,
                const std::string& rel) {
  if (geteuid() == 0 &&
      fchownat(parent, name.c_str(), st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) != 0) {
    return ErrnoError(rel, errno);
  }
  // fchmodat follows symlinks and a symlink's own mode means nothing on Linux.
  if (!S_ISLNK(st.st_mode) && fchmodat(parent, name.c_str(), st.st_mode & 07777, 0) != 0) {
    return ErrnoError(rel, errno);
  }
  struct timespec times[2] = {st.st_mtim, st.st_mtim};
  if (utimensat(parent, name.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0) {
    return ErrnoError(rel, errno);
  }
  return OkStatus();
}

Status CopyFile(int src_dir, int dst_dir, const std::string& name, const std::string& rel) {
  Fd in(openat(src_dir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!in.Valid()) return ErrnoError(rel, errno);
  Fd out(openat(dst_dir, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!out.Valid()) return ErrnoError(rel, errno);
  std::vector<char> buffer(1 << 16);
  while (true) {
    ssize_t n = read(in.Get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError(rel, errno);
    if (n == 0) break;
    for (ssize_t done = 0; done < n;) {
      ssize_t w = write(out.Get(), buffer.data() + done, static_cast<size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return ErrnoError(rel, errno);
      done += w;
    }
  }
  return OkStatus();
}

// Where the first copy of each hard-linked source inode went, so its other paths become links
// again: the destination's own inode is kept to notice that a later layer replaced the copy.
struct LinkCopy {
  std::string dst_dir;  // relative to the destination root
  std::string name;
  ino_t dst_ino;
};
using LinkCopies = std::map<std::pair<dev_t, ino_t>, LinkCopy>;

// Makes `name` in `dst` a hard link to an earlier copy of the same inode; false when there is
// none (the caller copies the file and records it).
bool LinkToEarlierCopy(int root, int dst, const std::string& name, const struct stat& st,
                       const LinkCopies& copies) {
  auto it = copies.find({st.st_dev, st.st_ino});
  if (it == copies.end()) return false;
  // Component by component without following symlinks: a later layer may have put a symlink
  // where the copy's directory was.
  Fd dir(openat(root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  size_t at = 0;
  const std::string& path = it->second.dst_dir;
  while (dir.Valid() && at < path.size()) {
    size_t end = path.find('/', at);
    if (end == std::string::npos) end = path.size();
    Result<Fd> next = OpenChildDir(dir.Get(), path.substr(at, end - at));
    if (!next) return false;
    dir = std::move(next).Value();
    at = end + 1;
  }
  if (!dir.Valid()) return false;
  struct stat there;
  if (fstatat(dir.Get(), it->second.name.c_str(), &there, AT_SYMLINK_NOFOLLOW) != 0 ||
      there.st_ino != it->second.dst_ino || !S_ISREG(there.st_mode)) {
    return false;
  }
  return linkat(dir.Get(), it->second.name.c_str(), dst, name.c_str(), 0) == 0;
}

// Lays the layer directory `src` over `dst`, which holds the layers below it.
Status Merge(int root, int src, int dst, const std::string& prefix, LinkCopies& copies) {
  Result<std::vector<std::string>> names = ListDir(src);
  if (!names) return names.Error();
  for (const std::string& name : *names) {
    const std::string rel = prefix + name;
    struct stat st;
    if (fstatat(src, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return ErrnoError(rel, errno);
    struct stat below;
    bool exists = fstatat(dst, name.c_str(), &below, AT_SYMLINK_NOFOLLOW) == 0;
    if (IsWhiteout(st)) {
      if (Status removed = RemoveTreeAt(dst, name); !removed) return removed;
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      Result<Fd> src_child = OpenChildDir(src, name);
      if (!src_child) return src_child.Error();
      bool keep_below = exists && S_ISDIR(below.st_mode) && !IsOpaqueDir(src_child->Get());
      if (exists && !keep_below) {
        if (Status removed = RemoveTreeAt(dst, name); !removed) return removed;
      }
      if (!keep_below && mkdirat(dst, name.c_str(), 0700) != 0) return ErrnoError(rel, errno);
      Result<Fd> dst_child = OpenChildDir(dst, name);
      if (!dst_child) return dst_child.Error();
      if (Status merged = Merge(root, src_child->Get(), dst_child->Get(), rel + "/", copies);
          !merged) {
        return merged;
      }
      if (Status meta = CopyMeta(dst, name, st, rel); !meta) return meta;
      continue;
    }
    if (exists) {
      if (Status removed = RemoveTreeAt(dst, name); !removed) return removed;
    }
    if (S_ISREG(st.st_mode)) {
      if (st.st_nlink > 1 && LinkToEarlierCopy(root, dst, name, st, copies)) continue;
      if (Status copied = CopyFile(src, dst, name, rel); !copied) return copied;
      struct stat copy;
      if (st.st_nlink > 1 && fstatat(dst, name.c_str(), &copy, AT_SYMLINK_NOFOLLOW) == 0) {
        std::string dir = prefix.empty() ? "" : prefix.substr(0, prefix.size() - 1);
        copies[{st.st_dev, st.st_ino}] = LinkCopy{dir, name, copy.st_ino};
      }
    } else if (S_ISLNK(st.st_mode)) {
      std::string target(st.st_size > 0 ? static_cast<size_t>(st.st_size) + 1 : 4097, '\0');
      ssize_t n = readlinkat(src, name.c_str(), target.data(), target.size());
      if (n < 0) return ErrnoError(rel, errno);
      target.resize(static_cast<size_t>(n));
      if (symlinkat(target.c_str(), dst, name.c_str()) != 0) return ErrnoError(rel, errno);
    } else if (S_ISSOCK(st.st_mode)) {
      continue;
    } else if (mknodat(dst, name.c_str(), st.st_mode, st.st_rdev) != 0) {
      return ErrnoError(rel, errno);
    }
    if (Status meta = CopyMeta(dst, name, st, rel); !meta) return meta;
  }
  return OkStatus();
}

}  // namespace

Status FlattenLayers(const std::vector<std::string>& layer_dirs, const std::string& dest_dir) {
  Result<Fd> dst = OpenDir(dest_dir);
  if (!dst) return dst.Error();
  LinkCopies copies;
  for (const std::string& layer : layer_dirs) {
    Result<Fd> src = OpenDir(layer);
    if (!src) return src.Error();
    if (Status merged = Merge(dst->Get(), src->Get(), dst->Get(), "", copies); !merged) {
      return merged;
    }
  }
  return OkStatus();
}

}  // namespace dockit::runtime

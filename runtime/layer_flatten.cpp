// FlattenLayers: overlayfs' merged view of unpacked layers, copied without mounting.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
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

// Lays the layer directory `src` over `dst`, which holds the layers below it.
Status Merge(int src, int dst, const std::string& prefix) {
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
      if (Status merged = Merge(src_child->Get(), dst_child->Get(), rel + "/"); !merged) {
        return merged;
      }
      if (Status meta = CopyMeta(dst, name, st, rel); !meta) return meta;
      continue;
    }
    if (exists) {
      if (Status removed = RemoveTreeAt(dst, name); !removed) return removed;
    }
    if (S_ISREG(st.st_mode)) {
      if (Status copied = CopyFile(src, dst, name, rel); !copied) return copied;
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
  for (const std::string& layer : layer_dirs) {
    Result<Fd> src = OpenDir(layer);
    if (!src) return src.Error();
    if (Status merged = Merge(src->Get(), dst->Get(), ""); !merged) return merged;
  }
  return OkStatus();
}

}  // namespace dockit::runtime

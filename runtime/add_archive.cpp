#include "runtime/add_archive.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "runtime/layer_fs.hpp"

namespace dockit::runtime {
namespace {

Diagnostic Unsafe(const std::string& shown, const std::string& entry, const std::string& why) {
  return Diagnostic{"unsafe-archive-entry",
                    "ADD " + shown + ": archive entry \"" + entry + "\": " + why,
                    {},
                    Severity::kError};
}

Diagnostic Failed(const std::string& shown, const std::string& what, int err) {
  return Diagnostic{"runtime-add",
                    "ADD " + shown + ": " + what + ": " + std::strerror(err),
                    {},
                    Severity::kError};
}

// The components of an entry name: no leading "/", no "..", "." and empty parts dropped; an
// empty vector is the destination itself ("./"). The same rule as the layer unpacker's.
Result<std::vector<std::string>> CleanName(const std::string& shown, const std::string& entry,
                                           const std::string& name) {
  std::string why;
  auto parts = EntryNameParts(name, &why);
  if (!parts) return Unsafe(shown, entry, why);
  return std::move(*parts);
}

struct ArchiveDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};

// Reads the file with pread from offset 0, so the caller's offset never matters.
struct PreadSource {
  explicit PreadSource(int file) : fd(file) {}
  int fd;
  off_t offset = 0;
  char buffer[1 << 16];
};

la_ssize_t PreadCallback(archive* a, void* client, const void** out) {
  auto* source = static_cast<PreadSource*>(client);
  for (;;) {
    ssize_t n = ::pread(source->fd, source->buffer, sizeof source->buffer, source->offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      archive_set_error(a, errno, "read: %s", std::strerror(errno));
      return -1;
    }
    source->offset += n;
    *out = source->buffer;
    return n;
  }
}

// A reader of Docker's ADD formats: tar, uncompressed or gzip, bzip2, xz.
std::unique_ptr<archive, ArchiveDeleter> OpenReader(PreadSource* source) {
  std::unique_ptr<archive, ArchiveDeleter> a(archive_read_new());
  archive_read_support_format_tar(a.get());
  archive_read_support_filter_gzip(a.get());
  archive_read_support_filter_bzip2(a.get());
  archive_read_support_filter_xz(a.get());
  if (archive_read_open(a.get(), source, nullptr, &PreadCallback, nullptr) != ARCHIVE_OK) {
    return nullptr;
  }
  return a;
}

// A directory's metadata, applied after everything below it exists (children change its
// mtime, and a read-only mode would stop their creation).
struct DirAttrs {
  std::vector<std::string> parts;
  uint32_t mode;
  uint32_t uid;
  uint32_t gid;
  struct timespec mtime;
};

class Extractor {
 public:
  Extractor(const std::string& shown, const std::optional<Owner>& chown, const LayerLimits& limits)
      : shown_(shown), chown_(chown), limits_(limits) {}

  Status Run(int fd, int dest_dir_fd) {
    dest_ = Fd(::openat(dest_dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dest_.Valid()) return Failed(shown_, "open the destination", errno);
    source_ = std::make_unique<PreadSource>(fd);
    archive_ = OpenReader(source_.get());
    if (!archive_) return Failed(shown_, "open the archive", EINVAL);
    while (true) {
      archive_entry* entry = nullptr;
      int r = archive_read_next_header(archive_.get(), &entry);
      if (r == ARCHIVE_EOF) break;
      if (r != ARCHIVE_OK && r != ARCHIVE_WARN) return ArchiveError();
      if (++entries_ > limits_.max_entries) {
        return TooBig(Name(entry), "more than " + std::to_string(limits_.max_entries) + " entries");
      }
      if (Status done = Extract(entry); !done) return done;
    }
    return ApplyDirAttrs();
  }

 private:
  static std::string Name(archive_entry* e) {
    const char* name = archive_entry_pathname(e);
    return name ? name : "";
  }

  Diagnostic ArchiveError() {
    const char* message = archive_error_string(archive_.get());
    return Diagnostic{"bad-archive",
                      "ADD " + shown_ + ": " + (message ? message : "unreadable tar"),
                      {},
                      Severity::kError};
  }

  Diagnostic TooBig(const std::string& entry, const std::string& why) {
    return Diagnostic{"archive-too-big",
                      "ADD " + shown_ + ": archive entry \"" + entry + "\": " + why,
                      {},
                      Severity::kError};
  }

  uint32_t Uid(archive_entry* e) const {
    return chown_ ? chown_->uid : static_cast<uint32_t>(archive_entry_uid(e));
  }
  uint32_t Gid(archive_entry* e) const {
    return chown_ ? chown_->gid : static_cast<uint32_t>(archive_entry_gid(e));
  }
  static struct timespec Mtime(archive_entry* e) {
    return {archive_entry_mtime(e),
            archive_entry_mtime_is_set(e) ? archive_entry_mtime_nsec(e) : 0};
  }

  // The directory parts[0..count) below the destination, each component opened with
  // O_NOFOLLOW; with `create`, missing ones are made root-owned 0755 (as Docker makes the
  // parents an archive does not list).
  Result<Fd> Parent(const std::string& entry, const std::vector<std::string>& parts, size_t count,
                    bool create) {
    Fd current(::openat(dest_.Get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!current.Valid()) return Failed(shown_, "open the destination", errno);
    for (size_t i = 0; i < count; ++i) {
      const char* part = parts[i].c_str();
      // Not O_PATH: with O_NOFOLLOW it would hand back the symlink itself instead of ELOOP.
      const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
      Fd next(::openat(current.Get(), part, flags));
      if (!next.Valid() && errno == ENOENT && create) {
        if (::mkdirat(current.Get(), part, 0755) != 0 && errno != EEXIST) {
          return Failed(shown_, JoinParts(parts, i + 1), errno);
        }
        next = Fd(::openat(current.Get(), part, flags));
        if (next.Valid() && ::fchmod(next.Get(), 0755) != 0) {
          return Failed(shown_, JoinParts(parts, i + 1), errno);
        }
      }
      if (!next.Valid()) {
        if (errno == ELOOP || errno == ENOTDIR) {
          return Unsafe(shown_, entry,
                        "\"" + JoinParts(parts, i + 1) +
                            "\" is a symlink or not a directory; nothing is written through it");
        }
        return Unsafe(shown_, entry,
                      "\"" + JoinParts(parts, i + 1) + "\": " + std::strerror(errno));
      }
      current = std::move(next);
    }
    return current;
  }

  // Removes whatever `leaf` is, unless both it and the new entry are directories (merged, as
  // Docker merges them).
  Status Replace(int parent, const std::string& leaf, bool new_is_dir, const std::string& rel) {
    struct stat st {};
    if (::fstatat(parent, leaf.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) return OkStatus();
      return Failed(shown_, rel, errno);
    }
    if (new_is_dir && S_ISDIR(st.st_mode)) return OkStatus();
    Forget(rel);
    return RemoveTreeAt(parent, leaf);
  }

  // What this archive extracted at or below `rel` is gone: no later hard link may point there.
  void Forget(const std::string& rel) {
    auto it = files_.lower_bound(rel);
    while (it != files_.end() &&
           (*it == rel || (it->size() > rel.size() && (*it)[rel.size()] == '/' &&
                           it->compare(0, rel.size(), rel) == 0))) {
      it = files_.erase(it);
    }
  }

  Status CheckSize(const std::string& entry, uint64_t size) {
    if (size > limits_.max_file_size) {
      return TooBig(entry, std::to_string(size) + " bytes is more than " +
                               std::to_string(limits_.max_file_size));
    }
    total_ += size;
    if (total_ > limits_.max_total_size) {
      return TooBig(
          entry, "the archive is more than " + std::to_string(limits_.max_total_size) + " bytes");
    }
    return OkStatus();
  }

  Status Extract(archive_entry* e) {
    const std::string entry = Name(e);
    Result<std::vector<std::string>> clean = CleanName(shown_, entry, entry);
    if (!clean) return clean.Error();
    const std::vector<std::string>& parts = *clean;
    const mode_t type = archive_entry_filetype(e);
    const char* hardlink = archive_entry_hardlink(e);
    if (parts.empty()) {
      // "./": the destination itself, which the step owns (Docker skips it too).
      if (type == AE_IFDIR && hardlink == nullptr) return OkStatus();
      return Unsafe(shown_, entry, "empty name");
    }
    const std::string rel = JoinParts(parts, parts.size());
    Result<Fd> parent = Parent(entry, parts, parts.size() - 1, true);
    if (!parent) return parent.Error();
    const int dir = parent->Get();
    const std::string& leaf = parts.back();
    if (hardlink != nullptr) return ExtractHardlink(entry, parts, dir, hardlink);
    switch (type) {
      case AE_IFDIR:
        return ExtractDir(e, parts, dir);
      case AE_IFREG:
        return ExtractFile(entry, e, rel, leaf, dir);
      case AE_IFLNK:
        return ExtractSymlink(entry, e, rel, leaf, dir);
      case AE_IFIFO:
        return ExtractFifo(e, rel, leaf, dir);
      case AE_IFCHR:
      case AE_IFBLK:
        return Unsafe(shown_, entry, "device nodes are not extracted by ADD");
      default:
        return Unsafe(shown_, entry, "unsupported entry type");
    }
  }

  Status ExtractDir(archive_entry* e, const std::vector<std::string>& parts, int parent) {
    const std::string rel = JoinParts(parts, parts.size());
    const std::string& leaf = parts.back();
    if (Status replaced = Replace(parent, leaf, true, rel); !replaced) return replaced;
    if (::mkdirat(parent, leaf.c_str(), 0700) != 0 && errno != EEXIST) {
      return Failed(shown_, rel, errno);
    }
    dirs_[rel] = DirAttrs{parts, archive_entry_perm(e) & 07777u, Uid(e), Gid(e), Mtime(e)};
    return OkStatus();
  }

  // Owner, then mode (a chown clears set-id bits), then the time.
  Status ApplyMeta(int fd, const std::string& rel, archive_entry* e) {
    if (::geteuid() == 0 && ::fchown(fd, Uid(e), Gid(e)) != 0) return Failed(shown_, rel, errno);
    if (::fchmod(fd, archive_entry_perm(e) & 07777) != 0) return Failed(shown_, rel, errno);
    struct timespec times[2] = {Mtime(e), Mtime(e)};
    if (::futimens(fd, times) != 0) return Failed(shown_, rel, errno);
    return OkStatus();
  }

  Status ExtractFile(const std::string& entry, archive_entry* e, const std::string& rel,
                     const std::string& leaf, int parent) {
    uint64_t size = static_cast<uint64_t>(std::max<la_int64_t>(archive_entry_size(e), 0));
    if (Status ok = CheckSize(entry, size); !ok) return ok;
    if (Status replaced = Replace(parent, leaf, false, rel); !replaced) return replaced;
    // O_EXCL|O_NOFOLLOW: nothing put there behind our back is written through.
    Fd fd(
        ::openat(parent, leaf.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!fd.Valid()) return Failed(shown_, rel, errno);
    while (true) {
      const void* buffer = nullptr;
      size_t length = 0;
      la_int64_t offset = 0;
      int r = archive_read_data_block(archive_.get(), &buffer, &length, &offset);
      if (r == ARCHIVE_EOF) break;
      if (r != ARCHIVE_OK && r != ARCHIVE_WARN) return ArchiveError();
      uint64_t at = static_cast<uint64_t>(offset);
      if (offset < 0 || at + length > size) {
        return Unsafe(shown_, entry, "data past the entry's size");
      }
      const char* data = static_cast<const char*>(buffer);
      while (length > 0) {
        ssize_t n = ::pwrite(fd.Get(), data, length, static_cast<off_t>(at));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return Failed(shown_, rel, errno);
        data += n;
        at += static_cast<uint64_t>(n);
        length -= static_cast<size_t>(n);
      }
    }
    // A sparse entry's trailing hole.
    if (::ftruncate(fd.Get(), static_cast<off_t>(size)) != 0) return Failed(shown_, rel, errno);
    if (Status meta = ApplyMeta(fd.Get(), rel, e); !meta) return meta;
    files_.insert(rel);
    return OkStatus();
  }

  Status ExtractSymlink(const std::string& entry, archive_entry* e, const std::string& rel,
                        const std::string& leaf, int parent) {
    const char* target = archive_entry_symlink(e);
    if (target == nullptr || *target == '\0')
      return Unsafe(shown_, entry, "symlink without a target");
    if (Status replaced = Replace(parent, leaf, false, rel); !replaced) return replaced;
    // Stored as it is: it is resolved inside the container's root, never here.
    if (::symlinkat(target, parent, leaf.c_str()) != 0) return Failed(shown_, rel, errno);
    if (::geteuid() == 0 &&
        ::fchownat(parent, leaf.c_str(), Uid(e), Gid(e), AT_SYMLINK_NOFOLLOW) != 0) {
      return Failed(shown_, rel, errno);
    }
    struct timespec times[2] = {Mtime(e), Mtime(e)};
    if (::utimensat(parent, leaf.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0) {
      return Failed(shown_, rel, errno);
    }
    return OkStatus();
  }

  Status ExtractFifo(archive_entry* e, const std::string& rel, const std::string& leaf,
                     int parent) {
    if (Status replaced = Replace(parent, leaf, false, rel); !replaced) return replaced;
    if (::mkfifoat(parent, leaf.c_str(), 0600) != 0) return Failed(shown_, rel, errno);
    if (::geteuid() == 0 &&
        ::fchownat(parent, leaf.c_str(), Uid(e), Gid(e), AT_SYMLINK_NOFOLLOW) != 0) {
      return Failed(shown_, rel, errno);
    }
    if (::fchmodat(parent, leaf.c_str(), archive_entry_perm(e) & 07777, 0) != 0) {
      return Failed(shown_, rel, errno);
    }
    struct timespec times[2] = {Mtime(e), Mtime(e)};
    if (::utimensat(parent, leaf.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0) {
      return Failed(shown_, rel, errno);
    }
    return OkStatus();
  }

  // A hard link: to a regular file this archive extracted earlier, never to anything that was
  // in the image before (Docker's ADD shares the inode; so does this).
  Status ExtractHardlink(const std::string& entry, const std::vector<std::string>& parts,
                         int parent, const char* target) {
    const std::string rel = JoinParts(parts, parts.size());
    Result<std::vector<std::string>> clean = CleanName(shown_, entry, target);
    if (!clean) return clean.Error();
    if (clean->empty()) return Unsafe(shown_, entry, "hard link to the destination itself");
    const std::string target_rel = JoinParts(*clean, clean->size());
    if (!files_.count(target_rel)) {
      return Unsafe(shown_, entry,
                    "hard link target \"" + std::string(target) +
                        "\" is not a file extracted earlier from this archive");
    }
    if (Status ok = CheckSize(entry, 0); !ok) return ok;
    if (target_rel == rel) return OkStatus();  // a link to itself changes nothing
    if (Status replaced = Replace(parent, parts.back(), false, rel); !replaced) return replaced;
    Result<Fd> target_parent = Parent(entry, *clean, clean->size() - 1, false);
    if (!target_parent) return target_parent.Error();
    // linkat without AT_SYMLINK_FOLLOW never follows the target if it is a symlink.
    if (::linkat(target_parent->Get(), clean->back().c_str(), parent, parts.back().c_str(), 0) !=
        0) {
      return Failed(shown_, rel, errno);
    }
    files_.insert(rel);
    return OkStatus();
  }

  Status ApplyDirAttrs() {
    // Deepest first, so a read-only parent never stops a child's update.
    for (auto at = dirs_.rbegin(); at != dirs_.rend(); ++at) {
      const DirAttrs& d = at->second;
      const std::string rel = JoinParts(d.parts, d.parts.size());
      Result<Fd> parent = Parent(rel, d.parts, d.parts.size() - 1, false);
      if (!parent) continue;  // a later entry replaced it
      Fd dir(::openat(parent->Get(), d.parts.back().c_str(),
                      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (!dir.Valid()) continue;
      if (::geteuid() == 0 && ::fchown(dir.Get(), d.uid, d.gid) != 0) {
        return Failed(shown_, rel, errno);
      }
      if (::fchmod(dir.Get(), d.mode) != 0) return Failed(shown_, rel, errno);
      struct timespec times[2] = {d.mtime, d.mtime};
      if (::futimens(dir.Get(), times) != 0) return Failed(shown_, rel, errno);
    }
    return OkStatus();
  }

  std::string shown_;
  std::optional<Owner> chown_;
  LayerLimits limits_;
  Fd dest_;
  std::unique_ptr<PreadSource> source_;
  std::unique_ptr<archive, ArchiveDeleter> archive_;
  uint64_t entries_ = 0;
  uint64_t total_ = 0;
  std::set<std::string> files_;           // regular files extracted, by relative path
  std::map<std::string, DirAttrs> dirs_;  // by relative path
};

}  // namespace

bool IsAddArchive(int fd) {
  auto source = std::make_unique<PreadSource>(fd);
  std::unique_ptr<archive, ArchiveDeleter> a = OpenReader(source.get());
  if (!a) return false;
  archive_entry* entry = nullptr;
  int r = archive_read_next_header(a.get(), &entry);
  return r == ARCHIVE_OK || r == ARCHIVE_WARN;
}

Status ExtractAddArchive(int fd, const std::string& shown, int dest_dir_fd,
                         const std::optional<Owner>& chown, const LayerLimits& limits) {
  Extractor extractor(shown, chown, limits);
  return extractor.Run(fd, dest_dir_fd);
}

}  // namespace dockit::runtime

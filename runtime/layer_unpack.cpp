// UnpackLayer: a layer blob from elsewhere (import, load, a base image) to an overlayfs lower
// directory. The blob is untrusted: every name is checked, and every file is created with *at()
// calls from a directory fd whose components were each opened with O_NOFOLLOW, so a symlink in
// the layer (`a -> /etc`, `a -> ../../..`, chains of them) can never redirect a write.
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <set>

#include "planner/digest.hpp"
#include "runtime/layer_archive.hpp"
#include "runtime/layer_fs.hpp"
#include "runtime/layer_gzip.hpp"

namespace dockit::runtime {
namespace {

using Kind = plan::FileChange::Kind;

constexpr std::string_view kWhiteoutPrefix = ".wh.";
constexpr std::string_view kOpaqueMarker = ".wh..wh..opq";

Diagnostic Unsafe(const std::string& entry, const std::string& why) {
  return LayerError("unsafe-layer-entry", "layer entry \"" + entry + "\": " + why);
}

// The components of an entry name: no leading "/", no "..", "." and empty parts dropped.
// An empty vector is the root itself ("./").
Result<std::vector<std::string>> CleanName(const std::string& entry, const std::string& name) {
  std::string why;
  auto parts = EntryNameParts(name, &why);
  if (!parts) return Unsafe(entry, why);
  return std::move(*parts);
}

struct ReadArchiveDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};

// A directory's metadata, applied after everything below it exists (creating children would
// otherwise change its mtime, and a read-only mode would stop the creation).
struct DirAttrs {
  std::vector<std::string> parts;
  uint32_t mode;
  uint32_t uid;
  uint32_t gid;
  int64_t mtime;
};

class Unpacker {
 public:
  Unpacker(const LayerLimits& limits) : limits_(limits) {}

  Result<LayerFacts> Run(const std::string& blob_path, const std::string& dest_dir) {
    Result<Fd> root = OpenDir(dest_dir);
    if (!root) return root.Error();
    root_ = std::move(root).Value();
    if (Status opened = reader_.Open(blob_path); !opened) return opened.Error();
    archive_.reset(archive_read_new());
    archive_read_support_format_tar(archive_.get());
    if (archive_read_open(archive_.get(), this, nullptr, &Unpacker::ReadCallback, nullptr) !=
        ARCHIVE_OK) {
      return ArchiveError(blob_path);
    }
    while (true) {
      archive_entry* entry = nullptr;
      int r = archive_read_next_header(archive_.get(), &entry);
      if (r == ARCHIVE_EOF) break;
      if (r != ARCHIVE_OK && r != ARCHIVE_WARN) return ArchiveError(blob_path);
      if (++entries_ > limits_.max_entries) {
        return LayerError("layer-too-big", "layer entry \"" + Name(entry) + "\": more than " +
                                               std::to_string(limits_.max_entries) + " entries");
      }
      if (Status done = Extract(entry); !done) return done.Error();
    }
    if (Status applied = ApplyDirAttrs(); !applied) return applied.Error();
    if (Status finished = reader_.Finish(); !finished) return finished.Error();
    LayerFacts facts;
    facts.diff_id = reader_.diff_id();
    facts.blob_digest = reader_.blob_digest();
    facts.blob_size = reader_.blob_size();
    for (auto& [path, change] : changes_) facts.changes.push_back(std::move(change));
    std::sort(facts.changes.begin(), facts.changes.end(),
              [](const plan::FileChange& a, const plan::FileChange& b) { return a.path < b.path; });
    facts.size = SizeOfChanges(facts.changes);
    return facts;
  }

 private:
  static la_ssize_t ReadCallback(archive* a, void* client, const void** buffer) {
    auto* self = static_cast<Unpacker*>(client);
    Result<std::string_view> chunk = self->reader_.Read();
    if (!chunk) {
      self->reader_.set_error(chunk.Error());
      archive_set_error(a, EIO, "%s", chunk.Error().message.c_str());
      return -1;
    }
    *buffer = chunk->data();
    return static_cast<la_ssize_t>(chunk->size());
  }

  Diagnostic ArchiveError(const std::string& what) {
    if (reader_.error()) return *reader_.error();
    const char* message = archive_error_string(archive_.get());
    return LayerError("bad-layer", what + ": " + (message ? message : "unreadable tar"));
  }

  static std::string Name(archive_entry* entry) {
    const char* name = archive_entry_pathname(entry);
    return name ? name : "";
  }

  // Opens the directory made of parts[0..count), each component with O_NOFOLLOW; with
  // `create`, missing components are made (tars need not list parent directories).
  Result<int> Parent(const std::string& entry, const std::vector<std::string>& parts, size_t count,
                     bool create) {
    std::string key = JoinParts(parts, count);
    if (cache_fd_.Valid() && key == cache_key_) return cache_fd_.Get();
    Fd current(openat(root_.Get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!current.Valid()) return ErrnoError("open destination", errno);
    for (size_t i = 0; i < count; ++i) {
      const char* part = parts[i].c_str();
      // Not O_PATH: with O_NOFOLLOW it would hand back the symlink itself instead of ELOOP.
      int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
      Fd next(openat(current.Get(), part, flags));
      if (!next.Valid() && errno == ENOENT && create) {
        if (mkdirat(current.Get(), part, 0755) != 0 && errno != EEXIST) {
          return ErrnoError(JoinParts(parts, i + 1), errno);
        }
        next = Fd(openat(current.Get(), part, flags));
      }
      if (!next.Valid()) {
        if (errno == ELOOP || errno == ENOTDIR) {
          return Unsafe(entry, "\"" + JoinParts(parts, i + 1) +
                                   "\" is a symlink or not a directory; nothing is written "
                                   "through it");
        }
        return Unsafe(entry, "\"" + JoinParts(parts, i + 1) + "\": " + std::strerror(errno));
      }
      current = std::move(next);
    }
    cache_key_ = key;
    cache_fd_ = std::move(current);
    return cache_fd_.Get();
  }

  // Removes whatever `leaf` is, unless both it and the new entry are directories.
  Status Replace(int parent, const std::string& leaf, bool new_is_dir, const std::string& rel) {
    struct stat st;
    if (fstatat(parent, leaf.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) return OkStatus();
      return ErrnoError(rel, errno);
    }
    if (new_is_dir && S_ISDIR(st.st_mode)) return OkStatus();
    // The cached fd stays valid: it is `parent` (or unrelated), never below `leaf`.
    EraseChanges(rel);
    return RemoveTreeAt(parent, leaf);
  }

  void EraseChanges(const std::string& rel) {
    auto it = changes_.lower_bound(rel);
    while (it != changes_.end() &&
           (it->first == rel || (it->first.size() > rel.size() && it->first[rel.size()] == '/' &&
                                 it->first.compare(0, rel.size(), rel) == 0))) {
      it = changes_.erase(it);
    }
  }

  plan::FileChange ChangeOf(const std::string& rel, archive_entry* e, Kind kind) {
    plan::FileChange c;
    c.path = Absolute(rel);
    c.kind = kind;
    c.mode = archive_entry_perm(e) & 07777;
    c.uid = static_cast<uint32_t>(archive_entry_uid(e));
    c.gid = static_cast<uint32_t>(archive_entry_gid(e));
    return c;
  }

  Status Extract(archive_entry* e) {
    const std::string entry = Name(e);
    Result<std::vector<std::string>> clean = CleanName(entry, entry);
    if (!clean) return clean.Error();
    const std::vector<std::string>& parts = *clean;
    const mode_t type = archive_entry_filetype(e);
    const char* hardlink = archive_entry_hardlink(e);
    if (parts.empty()) {
      // `tar -C rootfs -c .` writes "./" first: the root, which the caller owns.
      if (type == AE_IFDIR && hardlink == nullptr) return OkStatus();
      return Unsafe(entry, "empty name");
    }
    const std::string rel = JoinParts(parts, parts.size());
    const std::string& leaf = parts.back();
    Result<int> parent = Parent(entry, parts, parts.size() - 1, true);
    if (!parent) return parent.Error();

    if (leaf == kOpaqueMarker) return MarkOpaque(entry, parts, *parent);
    if (leaf.starts_with(kWhiteoutPrefix)) {
      std::string hidden = leaf.substr(kWhiteoutPrefix.size());
      if (hidden.empty() || hidden == "." || hidden == "..") return Unsafe(entry, "bad whiteout");
      std::string hidden_rel = JoinParts(parts, parts.size() - 1);
      hidden_rel += hidden_rel.empty() ? hidden : "/" + hidden;
      EraseChanges(hidden_rel);
      if (Status made = MakeWhiteoutAt(*parent, hidden, Absolute(hidden_rel)); !made) return made;
      plan::FileChange c;
      c.path = Absolute(hidden_rel);
      c.kind = Kind::kWhiteout;
      changes_[hidden_rel] = std::move(c);
      return OkStatus();
    }

    if (hardlink != nullptr) return ExtractHardlink(entry, e, parts, *parent, hardlink);
    switch (type) {
      case AE_IFDIR:
        return ExtractDir(entry, e, parts, *parent);
      case AE_IFREG:
        return ExtractFile(entry, e, rel, *parent);
      case AE_IFLNK:
        return ExtractSymlink(entry, e, rel, *parent);
      case AE_IFCHR:
      case AE_IFBLK:
      case AE_IFIFO:
        if (limits_.allow_devices) return ExtractDevice(entry, e, rel, *parent);
        return Unsafe(entry, "device nodes and fifos are not accepted in layers");
      default:
        return Unsafe(entry, "unsupported entry type");
    }
  }

  Status MarkOpaque(const std::string& entry, const std::vector<std::string>& parts, int parent) {
    Fd dir(openat(parent, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dir.Valid()) return ErrnoError(entry, errno);
    std::string dir_rel = JoinParts(parts, parts.size() - 1);
    if (Status marked = MarkOpaqueDir(dir.Get(), Absolute(dir_rel)); !marked) return marked;
    if (dir_rel.empty()) return OkStatus();  // the root: no change entry describes it
    opaque_.insert(dir_rel);
    auto it = changes_.find(dir_rel);
    if (it != changes_.end()) {
      it->second.kind = Kind::kOpaqueDirectory;
    } else {
      // The marker came before its directory's entry (or without one).
      plan::FileChange c;
      c.path = Absolute(dir_rel);
      c.kind = Kind::kOpaqueDirectory;
      c.mode = 0755;
      changes_[dir_rel] = std::move(c);
    }
    return OkStatus();
  }

  Status ExtractDir(const std::string& entry, archive_entry* e,
                    const std::vector<std::string>& parts, int parent) {
    const std::string rel = JoinParts(parts, parts.size());
    const std::string& leaf = parts.back();
    if (Status replaced = Replace(parent, leaf, true, rel); !replaced) return replaced;
    if (mkdirat(parent, leaf.c_str(), 0700) != 0 && errno != EEXIST) {
      return ErrnoError(entry, errno);
    }
    dirs_[rel] = (DirAttrs{parts, archive_entry_perm(e) & 07777u,
                           static_cast<uint32_t>(archive_entry_uid(e)),
                           static_cast<uint32_t>(archive_entry_gid(e)), archive_entry_mtime(e)});
    changes_[rel] =
        ChangeOf(rel, e, opaque_.count(rel) ? Kind::kOpaqueDirectory : Kind::kDirectory);
    return OkStatus();
  }

  Status CheckSize(const std::string& entry, uint64_t size) {
    if (size > limits_.max_file_size) {
      return LayerError("layer-too-big", "layer entry \"" + entry + "\": " + std::to_string(size) +
                                             " bytes is more than " +
                                             std::to_string(limits_.max_file_size));
    }
    total_ += size;
    if (total_ > limits_.max_total_size) {
      return LayerError("layer-too-big", "layer entry \"" + entry + "\": the layer is more than " +
                                             std::to_string(limits_.max_total_size) + " bytes");
    }
    return OkStatus();
  }

  // Owner, then mode (chown clears set-id bits), then the time.
  Status ApplyMeta(int fd, const std::string& entry, archive_entry* e) {
    if (geteuid() == 0 && fchown(fd, static_cast<uid_t>(archive_entry_uid(e)),
                                 static_cast<gid_t>(archive_entry_gid(e))) != 0) {
      return ErrnoError(entry, errno);
    }
    if (fchmod(fd, archive_entry_perm(e) & 07777) != 0) return ErrnoError(entry, errno);
    struct timespec times[2] = {{archive_entry_mtime(e), 0}, {archive_entry_mtime(e), 0}};
    if (futimens(fd, times) != 0) return ErrnoError(entry, errno);
    return OkStatus();
  }

  Status ExtractFile(const std::string& entry, archive_entry* e, const std::string& rel,
                     int parent) {
    const std::string leaf = rel.substr(rel.rfind('/') + 1);
    uint64_t size = static_cast<uint64_t>(std::max<la_int64_t>(archive_entry_size(e), 0));
    if (Status ok = CheckSize(entry, size); !ok) return ok;
    if (Status replaced = Replace(parent, leaf, false, rel); !replaced) return replaced;
    Fd fd(openat(parent, leaf.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!fd.Valid()) return ErrnoError(entry, errno);
    plan::Sha256 hash;
    uint64_t position = 0;
    static const std::string kZeros(1 << 16, '\0');
    auto hash_zeros = [&](uint64_t n) {
      while (n > 0) {
        uint64_t step = std::min<uint64_t>(n, kZeros.size());
        hash.Update(std::string_view(kZeros.data(), step));
        n -= step;
      }
    };
    while (true) {
      const void* buffer = nullptr;
      size_t length = 0;
      la_int64_t offset = 0;
      int r = archive_read_data_block(archive_.get(), &buffer, &length, &offset);
      if (r == ARCHIVE_EOF) break;
      if (r != ARCHIVE_OK && r != ARCHIVE_WARN) return ArchiveError(entry);
      uint64_t at = static_cast<uint64_t>(offset);
      if (at + length > size) return Unsafe(entry, "data past the entry's size");
      if (at < position) return Unsafe(entry, "overlapping sparse data");
      hash_zeros(at - position);  // a hole in a sparse entry reads as zeros
      hash.Update(std::string_view(static_cast<const char*>(buffer), length));
      const char* data = static_cast<const char*>(buffer);
      size_t left = length;
      while (left > 0) {
        ssize_t n = pwrite(fd.Get(), data, left, static_cast<off_t>(at));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return ErrnoError(entry, errno);
        data += n;
        at += static_cast<uint64_t>(n);
        left -= static_cast<size_t>(n);
      }
      position = at;
    }
    hash_zeros(size - position);
    if (ftruncate(fd.Get(), static_cast<off_t>(size)) != 0) return ErrnoError(entry, errno);
    if (Status meta = ApplyMeta(fd.Get(), entry, e); !meta) return meta;
    // File capabilities go last: a chown would clear them.
    archive_entry_xattr_reset(e);
    const char* name = nullptr;
    const void* value = nullptr;
    size_t value_size = 0;
    while (archive_entry_xattr_next(e, &name, &value, &value_size) == ARCHIVE_OK) {
      if (std::string_view(name) != "security.capability") continue;
      if (fsetxattr(fd.Get(), name, value, value_size, 0) != 0) return ErrnoError(entry, errno);
    }
    plan::FileChange c = ChangeOf(rel, e, Kind::kFile);
    c.size = size;
    c.digest = hash.Finish();
    changes_[rel] = std::move(c);
    return OkStatus();
  }

  Status ExtractSymlink(const std::string& entry, archive_entry* e, const std::string& rel,
                        int parent) {
    const std::string leaf = rel.substr(rel.rfind('/') + 1);
    const char* target = archive_entry_symlink(e);
    if (target == nullptr || *target == '\0') return Unsafe(entry, "symlink without a target");
    if (Status ok = CheckSize(entry, 0); !ok) return ok;
    if (Status replaced = Replace(parent, leaf, false, rel); !replaced) return replaced;
    // Stored as it is: it is resolved inside the container's root, never here.
    if (symlinkat(target, parent, leaf.c_str()) != 0) return ErrnoError(entry, errno);
    if (geteuid() == 0 &&
        fchownat(parent, leaf.c_str(), static_cast<uid_t>(archive_entry_uid(e)),
                 static_cast<gid_t>(archive_entry_gid(e)), AT_SYMLINK_NOFOLLOW) != 0) {
      return ErrnoError(entry, errno);
    }
    struct timespec times[2] = {{archive_entry_mtime(e), 0}, {archive_entry_mtime(e), 0}};
    if (utimensat(parent, leaf.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0) {
      return ErrnoError(entry, errno);
    }
    plan::FileChange c = ChangeOf(rel, e, Kind::kSymlink);
    c.mode = 0777;  // Linux symlinks are always lrwxrwxrwx
    c.link_target = target;
    changes_[rel] = std::move(c);
    return OkStatus();
  }

  Status ExtractHardlink(const std::string& entry, archive_entry* e,
                         const std::vector<std::string>& parts, int parent, const char* target) {
    const std::string rel = JoinParts(parts, parts.size());
    Result<std::vector<std::string>> clean = CleanName(entry, target);
    if (!clean)
      return Unsafe(entry,
                    "hard link target \"" + std::string(target) + "\": " + clean.Error().message);
    if (clean->empty()) return Unsafe(entry, "hard link to the root");
    const std::string target_rel = JoinParts(*clean, clean->size());
    auto it = changes_.find(target_rel);
    if (it == changes_.end() ||
        (it->second.kind != Kind::kFile && it->second.kind != Kind::kHardlink)) {
      return Unsafe(entry, "hard link target \"" + std::string(target) +
                               "\" is not a file extracted earlier from this layer");
    }
    if (Status ok = CheckSize(entry, 0); !ok) return ok;
    if (target_rel == rel) return OkStatus();  // a link to itself changes nothing
    if (Status replaced = Replace(parent, parts.back(), false, rel); !replaced) return replaced;
    // Parent() below replaces the cached fd that `parent` is.
    Fd link_parent(openat(parent, ".", O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!link_parent.Valid()) return ErrnoError(entry, errno);
    Result<int> target_parent = Parent(entry, *clean, clean->size() - 1, false);
    if (!target_parent) return target_parent.Error();
    // linkat without AT_SYMLINK_FOLLOW never follows the target if it is a symlink.
    if (linkat(*target_parent, clean->back().c_str(), link_parent.Get(), parts.back().c_str(), 0) !=
        0) {
      return ErrnoError(entry, errno);
    }
    plan::FileChange c = ChangeOf(rel, e, Kind::kHardlink);
    c.link_target = Absolute(target_rel);
    changes_[rel] = std::move(c);
    return OkStatus();
  }

  Status ExtractDevice(const std::string& entry, archive_entry* e, const std::string& rel,
                       int parent) {
    const std::string leaf = rel.substr(rel.rfind('/') + 1);
    if (Status replaced = Replace(parent, leaf, false, rel); !replaced) return replaced;
    mode_t type = archive_entry_filetype(e);
    if (mknodat(parent, leaf.c_str(), type | 0600, archive_entry_rdev(e)) != 0) {
      return ErrnoError(entry, errno);
    }
    if (geteuid() == 0 &&
        fchownat(parent, leaf.c_str(), static_cast<uid_t>(archive_entry_uid(e)),
                 static_cast<gid_t>(archive_entry_gid(e)), AT_SYMLINK_NOFOLLOW) != 0) {
      return ErrnoError(entry, errno);
    }
    if (fchmodat(parent, leaf.c_str(), archive_entry_perm(e) & 07777, 0) != 0) {
      return ErrnoError(entry, errno);
    }
    EraseChanges(rel);  // FileChange has no kind for devices
    return OkStatus();
  }

  Status ApplyDirAttrs() {
    cache_fd_.Reset();
    // Deepest first (a later entry for the same directory has replaced the earlier one), so a
    // read-only parent never stops a child's update.
    for (auto at = dirs_.rbegin(); at != dirs_.rend(); ++at) {
      const DirAttrs& d = at->second;
      const std::string entry = JoinParts(d.parts, d.parts.size());
      Result<int> parent = Parent(entry, d.parts, d.parts.size() - 1, false);
      if (!parent) {
        // A later entry removed the directory (a whiteout or a replacement): nothing to do.
        continue;
      }
      Fd dir(
          openat(*parent, d.parts.back().c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (!dir.Valid()) continue;
      if (geteuid() == 0 && fchown(dir.Get(), d.uid, d.gid) != 0) {
        return ErrnoError(entry, errno);
      }
      if (fchmod(dir.Get(), d.mode) != 0) return ErrnoError(entry, errno);
      struct timespec times[2] = {{d.mtime, 0}, {d.mtime, 0}};
      if (futimens(dir.Get(), times) != 0) return ErrnoError(entry, errno);
    }
    return OkStatus();
  }

  LayerLimits limits_;
  Fd root_;
  HashingTarReader reader_;
  std::unique_ptr<archive, ReadArchiveDeleter> archive_;
  uint64_t entries_ = 0;
  uint64_t total_ = 0;
  std::map<std::string, plan::FileChange> changes_;  // by relative path
  std::set<std::string> opaque_;
  std::map<std::string, DirAttrs> dirs_;  // by relative path
  std::string cache_key_;
  Fd cache_fd_;
};

}  // namespace

Result<LayerFacts> UnpackLayer(const std::string& blob_path, const std::string& dest_dir,
                               const LayerLimits& limits) {
  Unpacker unpacker(limits);
  return unpacker.Run(blob_path, dest_dir);
}

}  // namespace dockit::runtime

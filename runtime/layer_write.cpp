// WriteLayer: a directory tree (an overlayfs upper directory) to a gzip'd tar change set.
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <memory>
#include <utility>

#include "planner/digest.hpp"
#include "runtime/layer_archive.hpp"
#include "runtime/layer_fs.hpp"
#include "runtime/layer_gzip.hpp"

namespace dockit::runtime {
namespace {

using Kind = plan::FileChange::Kind;

constexpr const char* kWhiteoutPrefix = ".wh.";
constexpr const char* kOpaqueMarker = ".wh..wh..opq";
constexpr size_t kChunk = 1 << 16;

struct ArchiveDeleter {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct EntryDeleter {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};
using EntryPtr = std::unique_ptr<archive_entry, EntryDeleter>;

class LayerWriter {
 public:
  Status Open(const std::string& blob_path) {
    if (Status opened = gzip_.Open(blob_path); !opened) return opened;
    archive_.reset(archive_write_new());
    // pax_restricted: plain ustar headers unless an entry needs more (long names, xattrs,
    // large ids), which is what Docker and the OCI spec expect.
    archive_write_set_format_pax_restricted(archive_.get());
    // No padding of the last block to 10 KiB: the tar ends after its two zero blocks.
    archive_write_set_bytes_in_last_block(archive_.get(), 1);
    if (archive_write_open(archive_.get(), this, nullptr, &LayerWriter::WriteCallback, nullptr) !=
        ARCHIVE_OK) {
      return ArchiveError("open");
    }
    return OkStatus();
  }

  Status Walk(int dir, const std::string& prefix) {
    Result<std::vector<std::string>> names = ListDir(dir);
    if (!names) return names.Error();
    for (const std::string& name : *names) {
      if (Status written = WriteOne(dir, prefix, name); !written) return written;
    }
    return OkStatus();
  }

  Result<LayerFacts> Finish() {
    if (archive_write_close(archive_.get()) != ARCHIVE_OK) return ArchiveError("close");
    if (Status finished = gzip_.Finish(); !finished) return finished.Error();
    LayerFacts facts;
    facts.diff_id = gzip_.diff_id();
    facts.blob_digest = gzip_.blob_digest();
    facts.blob_size = gzip_.blob_size();
    std::sort(changes_.begin(), changes_.end(),
              [](const plan::FileChange& a, const plan::FileChange& b) { return a.path < b.path; });
    facts.size = SizeOfChanges(changes_);
    facts.changes = std::move(changes_);
    return facts;
  }

 private:
  static la_ssize_t WriteCallback(archive* a, void* client, const void* buffer, size_t length) {
    auto* self = static_cast<LayerWriter*>(client);
    Status written = self->gzip_.Write(std::string_view(static_cast<const char*>(buffer), length));
    if (!written) {
      self->io_error_ = written.Error();
      archive_set_error(a, EIO, "%s", written.Error().message.c_str());
      return -1;
    }
    return static_cast<la_ssize_t>(length);
  }

  Diagnostic ArchiveError(const std::string& what) {
    if (io_error_) return *io_error_;
    return LayerError("layer-io", what + ": " + archive_error_string(archive_.get()));
  }

  static Diagnostic Unsupported(const std::string& rel, const std::string& what) {
    return LayerError("unsupported-upper", rel + ": " + what +
                                               " has its contents in a lower layer; mount the "
                                               "overlay with redirect_dir=off,metacopy=off");
  }

  static EntryPtr NewEntry(const std::string& path, const struct stat& st, mode_t type) {
    EntryPtr e(archive_entry_new());
    archive_entry_set_pathname(e.get(), path.c_str());
    archive_entry_set_filetype(e.get(), type);
    archive_entry_set_perm(e.get(), st.st_mode & 07777);
    archive_entry_set_uid(e.get(), st.st_uid);
    archive_entry_set_gid(e.get(), st.st_gid);
    // Whole seconds: the ustar header holds them without a pax record per entry.
    archive_entry_set_mtime(e.get(), st.st_mtim.tv_sec, 0);
    return e;
  }

  static plan::FileChange ChangeOf(const std::string& rel, const struct stat& st, Kind kind) {
    plan::FileChange c;
    c.path = Absolute(rel);
    c.kind = kind;
    c.mode = st.st_mode & 07777;
    c.uid = st.st_uid;
    c.gid = st.st_gid;
    return c;
  }

  Status WriteHeader(archive_entry* e) {
    // ARCHIVE_WARN: a name that is not UTF-8 is written as raw bytes (hdrcharset=BINARY).
    int r = archive_write_header(archive_.get(), e);
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
      return ArchiveError(archive_entry_pathname(e));
    }
    return OkStatus();
  }

  Status WriteOne(int dir, const std::string& prefix, const std::string& name) {
    const std::string rel = prefix + name;
    struct stat st;
    if (fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return ErrnoError(rel, errno);
    if (S_ISDIR(st.st_mode)) return WriteDir(dir, rel, name, st);
    if (S_ISREG(st.st_mode)) return WriteFile(dir, rel, name, st);
    if (S_ISLNK(st.st_mode)) return WriteSymlink(dir, rel, name, st);
    if (IsWhiteout(st)) return WriteWhiteout(prefix, name, st);
    if (S_ISSOCK(st.st_mode)) return OkStatus();  // Docker skips sockets too
    // Other devices and fifos go into the tar as they are (RUN mknod); FileChange has no kind
    // for them, so they are not listed in the changes.
    EntryPtr e = NewEntry(rel, st, st.st_mode & S_IFMT);
    archive_entry_set_rdev(e.get(), st.st_rdev);
    return WriteHeader(e.get());
  }

  Status WriteDir(int dir, const std::string& rel, const std::string& name, const struct stat& st) {
    Result<Fd> child = OpenChildDir(dir, name);
    if (!child) return LayerError("layer-io", rel + " (" + child.Error().message + ")");
    if (HasOverlayXattr(child->Get(), "redirect")) {
      return Unsupported(rel, "a renamed directory (overlay redirect_dir)");
    }
    bool opaque = IsOpaqueDir(child->Get());
    EntryPtr e = NewEntry(rel + "/", st, AE_IFDIR);
    if (Status written = WriteHeader(e.get()); !written) return written;
    if (opaque) {
      // The marker file carries the directory's permissions and owner, as Docker writes it.
      EntryPtr marker = NewEntry(rel + "/" + kOpaqueMarker, st, AE_IFREG);
      archive_entry_set_size(marker.get(), 0);
      if (Status written = WriteHeader(marker.get()); !written) return written;
    }
    changes_.push_back(ChangeOf(rel, st, opaque ? Kind::kOpaqueDirectory : Kind::kDirectory));
    return Walk(child->Get(), rel + "/");
  }

  Status WriteFile(int dir, const std::string& rel, const std::string& name,
                   const struct stat& link_st) {
    if (link_st.st_nlink > 1) {
      auto [it, first] = first_paths_.try_emplace({link_st.st_dev, link_st.st_ino}, rel);
      if (!first) {
        EntryPtr e = NewEntry(rel, link_st, AE_IFREG);
        archive_entry_set_hardlink(e.get(), it->second.c_str());
        archive_entry_set_size(e.get(), 0);
        plan::FileChange c = ChangeOf(rel, link_st, Kind::kHardlink);
        c.link_target = Absolute(it->second);
        changes_.push_back(std::move(c));
        return WriteHeader(e.get());
      }
    }
    Fd fd(openat(dir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.Valid()) return ErrnoError(rel, errno);
    struct stat st;
    if (fstat(fd.Get(), &st) != 0) return ErrnoError(rel, errno);
    if (HasOverlayXattr(fd.Get(), "metacopy")) {
      return Unsupported(rel, "a metadata-only copy (overlay metacopy)");
    }
    EntryPtr e = NewEntry(rel, st, AE_IFREG);
    archive_entry_set_size(e.get(), st.st_size);
    // File capabilities (setcap) are part of what a layer installs; other xattrs are not kept.
    char cap[256];
    ssize_t cap_len = fgetxattr(fd.Get(), "security.capability", cap, sizeof cap);
    if (cap_len > 0) {
      archive_entry_xattr_add_entry(e.get(), "security.capability", cap,
                                    static_cast<size_t>(cap_len));
    }
    if (Status written = WriteHeader(e.get()); !written) return written;
    plan::Sha256 hash;
    std::vector<char> buffer(kChunk);
    uint64_t left = static_cast<uint64_t>(st.st_size);
    while (left > 0) {
      ssize_t n = read(fd.Get(), buffer.data(), std::min<uint64_t>(left, buffer.size()));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return ErrnoError(rel, errno);
      if (n == 0) return LayerError("layer-io", rel + ": the file shrank while it was written");
      hash.Update(std::string_view(buffer.data(), static_cast<size_t>(n)));
      if (archive_write_data(archive_.get(), buffer.data(), static_cast<size_t>(n)) != n) {
        return ArchiveError(rel);
      }
      left -= static_cast<uint64_t>(n);
    }
    plan::FileChange c = ChangeOf(rel, st, Kind::kFile);
    c.size = static_cast<uint64_t>(st.st_size);
    c.digest = hash.Finish();
    changes_.push_back(std::move(c));
    return OkStatus();
  }

  Status WriteSymlink(int dir, const std::string& rel, const std::string& name,
                      const struct stat& st) {
    // st_size is the target's length on real filesystems; one byte more detects truncation.
    std::string target(st.st_size > 0 ? static_cast<size_t>(st.st_size) + 1 : 4097, '\0');
    ssize_t n = readlinkat(dir, name.c_str(), target.data(), target.size());
    if (n < 0) return ErrnoError(rel, errno);
    if (static_cast<size_t>(n) == target.size()) {
      return LayerError("layer-io", rel + ": the symlink changed while it was read");
    }
    target.resize(static_cast<size_t>(n));
    EntryPtr e = NewEntry(rel, st, AE_IFLNK);
    archive_entry_set_symlink(e.get(), target.c_str());
    plan::FileChange c = ChangeOf(rel, st, Kind::kSymlink);
    c.link_target = target;
    changes_.push_back(std::move(c));
    return WriteHeader(e.get());
  }

  Status WriteWhiteout(const std::string& prefix, const std::string& name, const struct stat& st) {
    struct stat file_st = st;
    file_st.st_mode = S_IFREG | 0600;  // an empty marker file, as Docker writes whiteouts
    EntryPtr e = NewEntry(prefix + kWhiteoutPrefix + name, file_st, AE_IFREG);
    archive_entry_set_size(e.get(), 0);
    plan::FileChange c;
    c.path = Absolute(prefix + name);
    c.kind = Kind::kWhiteout;
    changes_.push_back(std::move(c));
    return WriteHeader(e.get());
  }

  HashingGzipWriter gzip_;
  std::unique_ptr<archive, ArchiveDeleter> archive_;
  std::optional<Diagnostic> io_error_;
  std::map<std::pair<dev_t, ino_t>, std::string> first_paths_;
  std::vector<plan::FileChange> changes_;
};

}  // namespace

Result<LayerFacts> WriteLayer(const std::string& upper_dir, const std::string& blob_path) {
  Result<Fd> root = OpenDir(upper_dir);
  if (!root) return root.Error();
  LayerWriter writer;
  if (Status opened = writer.Open(blob_path); !opened) return opened.Error();
  if (Status walked = writer.Walk(root->Get(), ""); !walked) return walked.Error();
  return writer.Finish();
}

}  // namespace dockit::runtime

#include "runtime/archive_extract.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <filesystem>
#include <memory>

#include "runtime/image_files.hpp"

namespace dockit::runtime {

namespace fs = std::filesystem;

namespace {

Diagnostic ArchiveError(const std::string& archive_path, const std::string& why) {
  return StoreError("bad-archive", archive_path + ": " + why);
}

}  // namespace

Status ExtractArchive(const std::string& archive_path, const std::string& dest_dir,
                      const LayerLimits& limits) {
  std::unique_ptr<archive, int (*)(archive*)> reader(archive_read_new(), archive_read_free);
  archive_read_support_filter_all(reader.get());
  archive_read_support_format_tar(reader.get());
  if (archive_read_open_filename(reader.get(), archive_path.c_str(), 1 << 16) != ARCHIVE_OK) {
    return ArchiveError(archive_path, archive_error_string(reader.get()));
  }
  std::unique_ptr<archive, int (*)(archive*)> writer(archive_write_disk_new(), archive_write_free);
  // Names are checked below before they are made absolute under the (symlink-free, canonical)
  // destination, so libarchive's absolute-path refusal is not wanted; its ".." and
  // write-through-symlink refusals still guard every entry.
  archive_write_disk_set_options(writer.get(),
                                 ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_SYMLINKS);
  std::error_code ec;
  std::string dest = fs::canonical(dest_dir, ec).string();
  if (ec) return ArchiveError(archive_path, "cannot use " + dest_dir + ": " + ec.message());
  uint64_t total = 0;
  uint64_t entries = 0;
  for (;;) {
    archive_entry* entry = nullptr;
    int rc = archive_read_next_header(reader.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) return ArchiveError(archive_path, archive_error_string(reader.get()));
    std::string name = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
    mode_t type = archive_entry_filetype(entry);
    if (type != AE_IFREG && type != AE_IFDIR && type != AE_IFLNK) {
      return ArchiveError(archive_path,
                          "entry \"" + name + "\" is not a file, directory or symlink");
    }
    if (archive_entry_hardlink(entry)) {
      return ArchiveError(archive_path, "entry \"" + name + "\" is a hard link");
    }
    uint64_t size = static_cast<uint64_t>(archive_entry_size(entry));
    total += size;
    if (++entries > limits.max_entries || size > limits.max_file_size ||
        total > limits.max_total_size) {
      return ArchiveError(archive_path, "entry \"" + name + "\" exceeds the size limits");
    }
    std::string target = dest + "/" + name;
    archive_entry_set_pathname(entry, target.c_str());
    // Ownership and odd modes of the archive's own files do not matter: they are only read.
    archive_entry_set_perm(entry, type == AE_IFDIR ? 0755 : 0644);
    if (name.empty() || name.front() == '/' || name == ".." || name.starts_with("../") ||
        name.find("/../") != std::string::npos || name.ends_with("/..")) {
      return ArchiveError(archive_path, "entry \"" + name + "\" escapes the archive");
    }
    if (archive_write_header(writer.get(), entry) != ARCHIVE_OK) {
      return ArchiveError(archive_path,
                          "entry \"" + name + "\": " + archive_error_string(writer.get()));
    }
    if (type == AE_IFREG) {
      const void* block = nullptr;
      size_t length = 0;
      la_int64_t offset = 0;
      for (;;) {
        rc = archive_read_data_block(reader.get(), &block, &length, &offset);
        if (rc == ARCHIVE_EOF) break;
        if (rc < ARCHIVE_WARN)
          return ArchiveError(archive_path, archive_error_string(reader.get()));
        if (archive_write_data_block(writer.get(), block, length, offset) < ARCHIVE_WARN) {
          return ArchiveError(archive_path, archive_error_string(writer.get()));
        }
      }
    }
    if (archive_write_finish_entry(writer.get()) < ARCHIVE_WARN) {
      return ArchiveError(archive_path, archive_error_string(writer.get()));
    }
  }
  if (archive_write_close(writer.get()) != ARCHIVE_OK) {
    return ArchiveError(archive_path, archive_error_string(writer.get()));
  }
  return OkStatus();
}

Result<std::string> FileInside(const std::string& root, const std::string& relative) {
  std::error_code ec;
  fs::path base = fs::canonical(root, ec);
  if (ec) return StoreError("bad-archive", "cannot read " + root + ": " + ec.message());
  if (relative.empty() || relative.front() == '/') {
    return StoreError("bad-archive", "the archive names \"" + relative + "\", which is absolute");
  }
  fs::path resolved = fs::canonical(base / relative, ec);
  if (ec) return StoreError("bad-archive", "the archive has no file \"" + relative + "\"");
  auto [end, rest] = std::mismatch(base.begin(), base.end(), resolved.begin(), resolved.end());
  if (end != base.end()) {
    return StoreError("bad-archive", "\"" + relative + "\" resolves outside the archive");
  }
  if (!fs::is_regular_file(resolved, ec)) {
    return StoreError("bad-archive", "\"" + relative + "\" is not a regular file");
  }
  return resolved.string();
}

}  // namespace dockit::runtime

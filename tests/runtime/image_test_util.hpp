// What the store and image tests share: a temporary directory, an opened store, tars written entry
// by entry (hostile names included), a busybox root filesystem tar, and running a command.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "runtime/store.hpp"

namespace dockit::testing {

class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "dockit-store-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct TarEntry {
  std::string name;
  std::string content;  // regular files
  char type = 'f';      // 'f' file, 'd' directory, 'l' symlink (content = target)
};

inline void WriteTar(const std::string& path, const std::vector<TarEntry>& entries,
                     bool gzip = false) {
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  if (gzip) archive_write_add_filter_gzip(a);
  archive_write_open_filename(a, path.c_str());
  for (const TarEntry& e : entries) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, e.name.c_str());
    if (e.type == 'd') {
      archive_entry_set_filetype(entry, AE_IFDIR);
      archive_entry_set_perm(entry, 0755);
    } else if (e.type == 'l') {
      archive_entry_set_filetype(entry, AE_IFLNK);
      archive_entry_set_perm(entry, 0777);
      archive_entry_set_symlink(entry, e.content.c_str());
    } else {
      archive_entry_set_filetype(entry, AE_IFREG);
      archive_entry_set_perm(entry, 0644);
      archive_entry_set_size(entry, static_cast<la_int64_t>(e.content.size()));
    }
    archive_write_header(a, entry);
    if (e.type == 'f') archive_write_data(a, e.content.data(), e.content.size());
    archive_entry_free(entry);
  }
  archive_write_close(a);
  archive_write_free(a);
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A root filesystem with Debian's static busybox as bin/busybox and bin/sh a link to it.
inline std::string BusyboxRootfsTar(const std::string& dir, bool gzip = false) {
  std::string path = dir + (gzip ? "/rootfs.tar.gz" : "/rootfs.tar");
  WriteTar(path,
           {{"bin", "", 'd'},
            {"bin/busybox", ReadFile("/bin/busybox")},
            {"bin/sh", "busybox", 'l'},
            {"etc", "", 'd'},
            {"etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"},
            {"tmp", "", 'd'}},
           gzip);
  return path;
}

inline bool HaveTool(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

// Runs `command` through sh; returns its exit status and, in *out, its stdout.
inline int Run(const std::string& command, std::string* out = nullptr) {
  std::string full = command + " 2>&1";
  FILE* p = ::popen(full.c_str(), "r");
  if (!p) return -1;
  std::string text;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, p)) > 0) text.append(buffer, n);
  int status = ::pclose(p);
  if (out) *out = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A store under `root` that the test cannot go on without.
inline runtime::Store OpenStore(const std::string& root) {
  auto store = runtime::Store::Open(root);
  REQUIRE(store.Ok());
  return *store;
}

}  // namespace dockit::testing

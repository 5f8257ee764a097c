// Real trees in a temporary directory for the layer tests: builders for every kind of entry an
// overlayfs upper directory holds, and a description of a tree that two trees can be compared by.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "planner/digest.hpp"

namespace dockit::runtime::testing {

namespace fs = std::filesystem;

// A fresh directory under /tmp, removed with everything in it at the end of the test.
struct Scratch {
  fs::path dir;
  Scratch() {
    static int counter = 0;
    dir = fs::temp_directory_path() /
          ("dockit-layers-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Scratch() { fs::remove_all(dir); }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  std::string Make(const std::string& name) const {
    fs::create_directories(dir / name);
    return (dir / name).string();
  }
  std::string Path(const std::string& name) const { return (dir / name).string(); }
};

inline void PutFile(const fs::path& path, const std::string& text, mode_t mode = 0644) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  REQUIRE(chmod(path.c_str(), mode) == 0);
}
inline void PutDir(const fs::path& path, mode_t mode = 0755) {
  fs::create_directories(path);
  REQUIRE(chmod(path.c_str(), mode) == 0);
}
inline void PutSymlink(const fs::path& path, const std::string& target) {
  fs::create_directories(path.parent_path());
  REQUIRE(symlink(target.c_str(), path.c_str()) == 0);
}
inline void PutWhiteout(const fs::path& path) {
  fs::create_directories(path.parent_path());
  REQUIRE(mknod(path.c_str(), S_IFCHR | 0, makedev(0, 0)) == 0);
}
inline void MarkOpaque(const fs::path& path) {
  REQUIRE(setxattr(path.c_str(), "trusted.overlay.opaque", "y", 1, 0) == 0);
}
inline std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// One line per entry below `root` (relative path → kind, mode, owner, mtime, contents, link
// target, opaque marker, hard link group), so two trees compare as two maps.
// Without `times`, mtimes are left out (FlattenLayers' merged directories take the upper one's).
inline std::map<std::string, std::string> Describe(const fs::path& root, bool times = true) {
  std::map<std::string, std::string> out;
  // A hard link group is named by its smallest path: readdir order differs between trees.
  std::map<ino_t, std::string> group_of_inode;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    struct stat st;
    REQUIRE(lstat(entry.path().c_str(), &st) == 0);
    if (!S_ISREG(st.st_mode) || st.st_nlink < 2) continue;
    std::string rel = entry.path().lexically_relative(root).string();
    auto [at, first] = group_of_inode.try_emplace(st.st_ino, rel);
    if (rel < at->second) at->second = rel;
  }
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    const fs::path& p = it->path();
    std::string rel = p.lexically_relative(root).string();
    struct stat st;
    REQUIRE(lstat(p.c_str(), &st) == 0);
    char meta[96];
    std::snprintf(meta, sizeof meta, " %o %u:%u", st.st_mode & 07777, st.st_uid, st.st_gid);
    std::string line;
    if (S_ISDIR(st.st_mode)) {
      char value[4];
      bool opaque = getxattr(p.c_str(), "trusted.overlay.opaque", value, sizeof value) == 1;
      line = std::string(opaque ? "opaque-dir" : "dir") + meta;
      if (times) line += " t=" + std::to_string(st.st_mtim.tv_sec);
    } else if (S_ISREG(st.st_mode)) {
      line = std::string("file") + meta;
      if (times) line += " t=" + std::to_string(st.st_mtim.tv_sec);
      line += " " + *plan::Sha256OfFile(p, nullptr);
      if (st.st_nlink > 1) {
        line += " links=" + std::to_string(st.st_nlink) + " group=" + group_of_inode[st.st_ino];
      }
    } else if (S_ISLNK(st.st_mode)) {
      line = "symlink " + std::to_string(st.st_uid) + ":" + std::to_string(st.st_gid) + " -> " +
             fs::read_symlink(p).string();
    } else if (S_ISCHR(st.st_mode) && st.st_rdev == 0) {
      line = "whiteout";
    } else {
      line = "other" + std::string(meta);
    }
    out[rel] = line;
  }
  return out;
}

// Writes a tar.gz at `path` from python statements over helpers f(name, data), d(name),
// l(name, target) (symlink), h(name, target) (hard link) and c(name) (a char device); modes
// are optional last arguments of f and d.
inline void MakeTar(const std::string& path, const std::string& body) {
  std::string script = R"(import io, sys, tarfile
t = tarfile.open(sys.argv[1], 'w:gz', format=tarfile.PAX_FORMAT)
def add(name, kind, data=b'', target='', mode=0o644):
    ti = tarfile.TarInfo(name)
    ti.type = kind
    ti.size = len(data)
    ti.linkname = target
    ti.mode = mode
    if kind == tarfile.CHRTYPE:
        ti.devmajor, ti.devminor = 1, 3
    t.addfile(ti, io.BytesIO(data) if data else None)
def f(name, data=b'x', mode=0o644): add(name, tarfile.REGTYPE, data, mode=mode)
def d(name, mode=0o755): add(name, tarfile.DIRTYPE, mode=mode)
def l(name, target): add(name, tarfile.SYMTYPE, target=target)
def h(name, target): add(name, tarfile.LNKTYPE, target=target)
def c(name): add(name, tarfile.CHRTYPE)
)" + body + "\nt.close()\n";
  std::string script_path = path + ".py";
  PutFile(script_path, script);
  REQUIRE(std::system(("python3 " + script_path + " " + path).c_str()) == 0);
}

}  // namespace dockit::runtime::testing

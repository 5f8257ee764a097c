// Shorthands for the sim/ tests: layer entries and a one-line rendering of a change set.
#pragma once

#include <string>
#include <vector>

#include "planner/digest.hpp"
#include "planner/executor.hpp"

namespace dockit::sim::testing {

using plan::FileChange;
using Kind = FileChange::Kind;

inline FileChange F(std::string path, std::string_view content = "", uint32_t mode = 0644) {
  FileChange c;
  c.path = std::move(path);
  c.kind = Kind::kFile;
  c.mode = mode;
  c.size = content.size();
  c.digest = plan::Sha256Of(content);
  return c;
}
inline FileChange D(std::string path, uint32_t mode = 0755) {
  FileChange c;
  c.path = std::move(path);
  c.kind = Kind::kDirectory;
  c.mode = mode;
  return c;
}
inline FileChange O(std::string path, uint32_t mode = 0755) {
  FileChange c = D(std::move(path), mode);
  c.kind = Kind::kOpaqueDirectory;
  return c;
}
inline FileChange L(std::string path, std::string target) {
  FileChange c;
  c.path = std::move(path);
  c.kind = Kind::kSymlink;
  c.mode = 0777;
  c.link_target = std::move(target);
  return c;
}
inline FileChange H(std::string path, std::string target) {
  FileChange c;
  c.path = std::move(path);
  c.kind = Kind::kHardlink;
  c.link_target = std::move(target);
  return c;
}
inline FileChange W(std::string path) {
  FileChange c;
  c.path = std::move(path);
  c.kind = Kind::kWhiteout;
  return c;
}

// "file /a 644 0:0 5", "dir /d 755 0:0", "opaque /d 755 0:0", "symlink /l -> t", "whiteout /x".
inline std::string Show(const FileChange& c) {
  auto meta = [&] {
    char mode[16];
    std::snprintf(mode, sizeof mode, "%o", c.mode);
    return std::string(mode) + " " + std::to_string(c.uid) + ":" + std::to_string(c.gid);
  };
  switch (c.kind) {
    case Kind::kFile:
      return "file " + c.path + " " + meta() + " " + std::to_string(c.size);
    case Kind::kDirectory:
      return "dir " + c.path + " " + meta();
    case Kind::kOpaqueDirectory:
      return "opaque " + c.path + " " + meta();
    case Kind::kSymlink:
      return "symlink " + c.path + " -> " + c.link_target;
    case Kind::kHardlink:
      return "hardlink " + c.path + " -> " + c.link_target;
    case Kind::kWhiteout:
      return "whiteout " + c.path;
  }
  return "?";
}

inline std::vector<std::string> Show(const std::vector<FileChange>& changes) {
  std::vector<std::string> out;
  for (const FileChange& c : changes) out.push_back(Show(c));
  return out;
}

}  // namespace dockit::sim::testing

// A merged filesystem view: a flat, sorted map from cleaned absolute path to node. Both the
// image's merged view (layer_stack.hpp) and a container's copy-on-write view (working_layer.hpp)
// are Trees; a flat map keeps lookups O(log n) and makes "everything below /a" one range.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "parser/diagnostic.hpp"

namespace dockit::sim {

enum class NodeKind { kFile, kDirectory, kSymlink };

struct Node {
  NodeKind kind = NodeKind::kFile;
  uint32_t mode = 0644;  // permission bits only (07777); the type is `kind`
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint64_t size = 0;   // regular files
  std::string digest;  // regular files: content digest (sha256:...)
  std::string target;  // symlinks: the target as written
  bool operator==(const Node&) const = default;
};

Node DirectoryNode(uint32_t mode = 0755, uint32_t uid = 0, uint32_t gid = 0);

// Linux's limit on symlinks followed in one path walk (MAXSYMLINKS).
inline constexpr int kMaxSymlinks = 40;

// Where a path leads: the real path (no symlinks in it, except the last component when it was
// not followed) and the node there, or nullptr when the parent exists but the name does not.
struct Resolved {
  std::string path;
  const Node* node = nullptr;
};

class Tree {
 public:
  Tree();  // only the root directory, 0755 root:root

  // The node at exactly this cleaned path; symlinks are not followed.
  const Node* Find(std::string_view clean_path) const;

  // Walks `path` (cleaned lexically first) one component at a time as the kernel does, following
  // symlinks in every component but the last, and in the last too when `follow_last`. Symlink
  // targets resolve inside the tree as in a chroot: an absolute target starts again at the root
  // and `..` never leaves it. `op` names the operation in error messages ("mkdir /a/b: ...").
  Result<Resolved> Resolve(std::string_view path, bool follow_last, std::string_view op) const;

  // The node at `path`, without (Lstat) or with (Stat) following a final symlink.
  Result<Node> Lstat(std::string_view path) const;
  Result<Node> Stat(std::string_view path) const;
  // The names in a directory, sorted bytewise; symlinks to directories are followed.
  Result<std::vector<std::string>> ReadDir(std::string_view path) const;
  bool HasChildren(std::string_view clean_path) const;

  const std::map<std::string, Node, std::less<>>& Entries() const { return nodes_; }

  // Mutations, on cleaned paths, with no checks: callers keep the tree well-formed (every node's
  // parent is a directory).
  void Put(const std::string& clean_path, Node node);
  void EraseTree(std::string_view clean_path);      // the node and everything below it
  void EraseChildren(std::string_view clean_path);  // everything below, the node stays

  bool operator==(const Tree&) const = default;

 private:
  std::map<std::string, Node, std::less<>> nodes_;
};

}  // namespace dockit::sim

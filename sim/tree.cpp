#include "sim/tree.hpp"

#include <algorithm>

#include "sim/path.hpp"

namespace dockit::sim {
namespace {

// "/" for the root, "/a/" for "/a": the prefix every key below a directory starts with.
std::string ChildPrefix(std::string_view dir) {
  return dir == "/" ? std::string("/") : std::string(dir) + "/";
}

std::string Describe(const Node& node) {
  switch (node.kind) {
    case NodeKind::kFile:
      return "a file";
    case NodeKind::kDirectory:
      return "a directory";
    case NodeKind::kSymlink:
      return "a symlink";
  }
  return "?";
}

}  // namespace

Node DirectoryNode(uint32_t mode, uint32_t uid, uint32_t gid) {
  Node n;
  n.kind = NodeKind::kDirectory;
  n.mode = mode;
  n.uid = uid;
  n.gid = gid;
  return n;
}

Tree::Tree() { nodes_.emplace("/", DirectoryNode()); }

const Node* Tree::Find(std::string_view clean_path) const {
  auto it = nodes_.find(clean_path);
  return it == nodes_.end() ? nullptr : &it->second;
}

Result<Resolved> Tree::Resolve(std::string_view path, bool follow_last, std::string_view op) const {
  Result<std::string> clean = CleanPath(path);
  if (!clean) {
    return FsError(clean.Error().code, std::string(op) + ": " + clean.Error().message);
  }
  auto fail = [&](std::string_view code, const std::string& why) {
    return FsError(code, std::string(op) + ": " + why);
  };
  // Components still to walk, the next one at the back.
  std::vector<std::string> todo = Components(*clean);
  std::reverse(todo.begin(), todo.end());
  std::string cur = "/";
  int links = 0;
  while (!todo.empty()) {
    std::string name = std::move(todo.back());
    todo.pop_back();
    if (name.empty() || name == ".") continue;
    if (name == "..") {
      cur = ParentOf(cur);  // the real parent, even when we came through a symlink
      continue;
    }
    std::string next = JoinPath(cur, name);
    const Node* node = Find(next);
    const bool last = todo.empty();
    if (!node) {
      if (last) return Resolved{next, nullptr};
      return fail("ENOENT", "no such file or directory");
    }
    if (node->kind == NodeKind::kSymlink && (!last || follow_last)) {
      if (++links > kMaxSymlinks) return fail("ELOOP", "too many levels of symbolic links");
      if (node->target.empty()) return fail("ENOENT", "no such file or directory");
      if (node->target.front() == '/') cur = "/";
      std::vector<std::string> parts =
          Components(node->target.front() == '/' ? node->target : "/" + node->target);
      for (auto it = parts.rbegin(); it != parts.rend(); ++it) todo.push_back(*it);
      continue;
    }
    if (!last && node->kind != NodeKind::kDirectory) {
      return fail("ENOTDIR", next + " is " + Describe(*node));
    }
    cur = std::move(next);
  }
  return Resolved{cur, Find(cur)};
}

Result<Node> Tree::Lstat(std::string_view path) const {
  Result<Resolved> r = Resolve(path, /*follow_last=*/false, "lstat " + std::string(path));
  if (!r) return r.Error();
  if (!r->node)
    return FsError("ENOENT", "lstat " + std::string(path) + ": no such file or directory");
  return *r->node;
}

Result<Node> Tree::Stat(std::string_view path) const {
  Result<Resolved> r = Resolve(path, /*follow_last=*/true, "stat " + std::string(path));
  if (!r) return r.Error();
  if (!r->node) {
    return FsError("ENOENT", "stat " + std::string(path) + ": no such file or directory");
  }
  return *r->node;
}

Result<std::vector<std::string>> Tree::ReadDir(std::string_view path) const {
  Result<Resolved> r = Resolve(path, /*follow_last=*/true, "readdir " + std::string(path));
  if (!r) return r.Error();
  if (!r->node) {
    return FsError("ENOENT", "readdir " + std::string(path) + ": no such file or directory");
  }
  if (r->node->kind != NodeKind::kDirectory) {
    return FsError("ENOTDIR", "readdir " + std::string(path) + ": not a directory");
  }
  std::vector<std::string> names;
  const std::string prefix = ChildPrefix(r->path);
  for (auto it = nodes_.lower_bound(prefix);
       it != nodes_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    std::string_view rest = std::string_view(it->first).substr(prefix.size());
    if (!rest.empty() && rest.find('/') == std::string_view::npos) names.emplace_back(rest);
  }
  return names;  // map order is bytewise order, and siblings share the prefix
}

bool Tree::HasChildren(std::string_view clean_path) const {
  const std::string prefix = ChildPrefix(clean_path);
  auto it = nodes_.lower_bound(prefix);
  if (it != nodes_.end() && it->first == prefix) ++it;  // "/" is its own prefix
  return it != nodes_.end() && it->first.compare(0, prefix.size(), prefix) == 0;
}

void Tree::Put(const std::string& clean_path, Node node) {
  nodes_.insert_or_assign(clean_path, std::move(node));
}

void Tree::EraseChildren(std::string_view clean_path) {
  const std::string prefix = ChildPrefix(clean_path);
  auto it = nodes_.lower_bound(prefix);
  if (it != nodes_.end() && it->first == prefix) ++it;  // keep the root itself
  auto end = it;
  while (end != nodes_.end() && end->first.compare(0, prefix.size(), prefix) == 0) ++end;
  nodes_.erase(it, end);
}

void Tree::EraseTree(std::string_view clean_path) {
  EraseChildren(clean_path);
  if (clean_path != "/") nodes_.erase(std::string(clean_path));
}

}  // namespace dockit::sim

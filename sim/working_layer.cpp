#include "sim/working_layer.hpp"

#include <utility>
#include <vector>

#include "planner/digest.hpp"
#include "sim/path.hpp"

namespace dockit::sim {
namespace {

std::string Label(std::string_view op, std::string_view path) {
  return std::string(op) + " " + std::string(path);
}

// Names that overlayfs and the OCI tar format reserve: a file called `.wh.x` would read as a
// whiteout of `x` once committed.
Status CheckName(const std::string& label, const std::string& path) {
  if (BaseOf(path).rfind(".wh.", 0) == 0) {
    return FsError("EINVAL", label + ": names starting with .wh. are reserved for whiteouts");
  }
  return OkStatus();
}

}  // namespace

FileContent FileContent::Bytes(std::string_view bytes) {
  return FileContent{plan::Sha256Of(bytes), bytes.size()};
}

FileContent FileContent::Synthetic(std::string_view description, uint64_t size) {
  plan::Sha256 h;
  h.Field("synthetic").Field(description).Field(std::to_string(size));
  return FileContent{h.Finish(), size};
}

WorkingLayer::WorkingLayer(LayerStack lower) : lower_(std::move(lower)), view_(lower_.View()) {}

void WorkingLayer::CopyUpParents(const std::string& path) {
  for (std::string dir = ParentOf(path); dir != "/"; dir = ParentOf(dir)) {
    if (upper_.count(dir)) continue;
    upper_.emplace(dir, Upper{false, false, *view_.Find(dir)});
  }
}

void WorkingLayer::Create(const std::string& path, Node node) {
  CopyUpParents(path);
  auto it = upper_.find(path);
  // overlayfs: a directory made over a whiteout is opaque, or the lower one would show through.
  const bool opaque =
      node.kind == NodeKind::kDirectory && it != upper_.end() && it->second.whiteout;
  upper_.insert_or_assign(path, Upper{false, opaque, node});
  view_.Put(path, std::move(node));
}

void WorkingLayer::Replace(const std::string& path, Node node) {
  CopyUpParents(path);
  upper_[path].node = node;  // a copied-up node keeps its opaque marker
  view_.Put(path, std::move(node));
}

bool WorkingLayer::LowerVisible(const std::string& path) const {
  if (!lower_.View().Find(path)) return false;
  for (std::string dir = ParentOf(path); dir != "/"; dir = ParentOf(dir)) {
    auto it = upper_.find(dir);
    if (it != upper_.end() && it->second.opaque) return false;
  }
  return true;
}

void WorkingLayer::Erase(const std::string& path) {
  view_.EraseTree(path);
  upper_.erase(path);
  const std::string prefix = path + "/";  // not a range with `path`: "/a-b" sorts in between
  auto it = upper_.lower_bound(prefix);
  while (it != upper_.end() && it->first.compare(0, prefix.size(), prefix) == 0) {
    it = upper_.erase(it);
  }
  if (LowerVisible(path)) {
    CopyUpParents(path);
    upper_.insert_or_assign(path, Upper{true, false, Node{}});
  }
}

Status WorkingLayer::Mkdir(std::string_view path, bool parents, uint32_t mode, Owner owner) {
  const std::string label = Label(parents ? "mkdir -p" : "mkdir", path);
  Node dir = DirectoryNode(mode & 07777, owner.uid, owner.gid);
  if (!parents) {
    Result<Resolved> r = view_.Resolve(path, /*follow_last=*/false, label);
    if (!r) return r.Error();
    if (r->node) return FsError("EEXIST", label + ": file exists");
    Status name = CheckName(label, r->path);
    if (!name) return name;
    Create(r->path, std::move(dir));
    return OkStatus();
  }
  Result<std::string> clean = CleanPath(path);
  if (!clean) return FsError(clean.Error().code, label + ": " + clean.Error().message);
  std::string prefix;
  const std::vector<std::string> names = Components(*clean);
  for (size_t i = 0; i < names.size(); ++i) {
    prefix = JoinPath(prefix.empty() ? "/" : prefix, names[i]);
    Result<Resolved> r = view_.Resolve(prefix, /*follow_last=*/false, label);
    if (!r) return r.Error();
    if (r->node && r->node->kind == NodeKind::kSymlink) {
      Result<Resolved> target = view_.Resolve(prefix, /*follow_last=*/true, label);
      if (!target) return target.Error();
      if (!target->node) {  // mkdir does not create a dangling symlink's target
        return FsError("EEXIST", label + ": " + prefix + " is a dangling symlink");
      }
      r = std::move(target);
    }
    if (r->node) {
      if (r->node->kind == NodeKind::kDirectory) continue;
      return FsError("ENOTDIR", label + ": " + prefix + " is a file");
    }
    Status ok = CheckName(label, r->path);
    if (!ok) return ok;
    // mkdir -p -m MODE: only the last directory gets MODE, the ones above it 0755 (umask 022).
    Node made = dir;
    if (i + 1 < names.size()) made.mode = 0755;
    Create(r->path, std::move(made));
  }
  return OkStatus();
}

Status WorkingLayer::WriteFile(std::string_view path, const FileContent& content, uint32_t mode,
                               Owner owner) {
  const std::string label = Label("write", path);
  Result<Resolved> r = view_.Resolve(path, /*follow_last=*/true, label);
  if (!r) return r.Error();
  if (r->path == "/" || (r->node && r->node->kind == NodeKind::kDirectory)) {
    return FsError("EISDIR", label + ": is a directory");
  }
  if (r->node) {
    Node file = *r->node;
    file.size = content.size;
    file.digest = content.digest;
    Replace(r->path, std::move(file));
    return OkStatus();
  }
  Status name = CheckName(label, r->path);
  if (!name) return name;
  Node file;
  file.mode = mode & 07777;
  file.uid = owner.uid;
  file.gid = owner.gid;
  file.size = content.size;
  file.digest = content.digest;
  Create(r->path, std::move(file));
  return OkStatus();
}

Status WorkingLayer::Remove(std::string_view path, bool recursive) {
  const std::string label = Label(recursive ? "rm -r" : "rm", path);
  Result<Resolved> r = view_.Resolve(path, /*follow_last=*/false, label);
  if (!r) return r.Error();
  if (r->path == "/") return FsError("EBUSY", label + ": cannot remove the root directory");
  if (!r->node) return FsError("ENOENT", label + ": no such file or directory");
  if (!recursive && r->node->kind == NodeKind::kDirectory && view_.HasChildren(r->path)) {
    return FsError("ENOTEMPTY", label + ": directory not empty");
  }
  Erase(r->path);
  return OkStatus();
}

Status WorkingLayer::Rename(std::string_view from, std::string_view to) {
  const std::string label = "mv " + std::string(from) + " " + std::string(to);
  Result<Resolved> src = view_.Resolve(from, /*follow_last=*/false, label);
  if (!src) return src.Error();
  if (!src->node) return FsError("ENOENT", label + ": no such file or directory");
  if (src->path == "/") return FsError("EBUSY", label + ": cannot move the root directory");
  Result<Resolved> dst = view_.Resolve(to, /*follow_last=*/false, label);
  if (!dst) return dst.Error();
  if (dst->path == src->path) return OkStatus();
  if (IsAtOrBelow(dst->path, src->path)) {
    return FsError("EINVAL", label + ": cannot move a directory into itself");
  }
  const bool src_dir = src->node->kind == NodeKind::kDirectory;
  if (dst->node) {
    const bool dst_dir = dst->node->kind == NodeKind::kDirectory;
    if (src_dir && !dst_dir) return FsError("ENOTDIR", label + ": " + dst->path + " is a file");
    if (!src_dir && dst_dir) return FsError("EISDIR", label + ": " + dst->path + " is a directory");
    if (dst_dir && view_.HasChildren(dst->path)) {
      return FsError("ENOTEMPTY", label + ": " + dst->path + ": directory not empty");
    }
  } else {
    Status name = CheckName(label, dst->path);
    if (!name) return name;
  }
  // The subtree, parents first (a key sorts after its prefix).
  std::vector<std::pair<std::string, Node>> moved{{"", *src->node}};
  const std::string prefix = src->path + "/";
  const auto& entries = view_.Entries();
  for (auto it = entries.lower_bound(prefix);
       it != entries.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    moved.emplace_back(it->first.substr(src->path.size()), it->second);
  }
  const std::string dst_path = dst->path;  // dst->node dangles once the view changes
  const bool replace = dst->node != nullptr;
  Erase(src->path);
  if (replace) Erase(dst_path);
  for (auto& [rel, node] : moved) Create(dst_path + rel, std::move(node));
  return OkStatus();
}

Status WorkingLayer::Chmod(std::string_view path, uint32_t mode) {
  const std::string label = Label("chmod", path);
  Result<Resolved> r = view_.Resolve(path, /*follow_last=*/true, label);
  if (!r) return r.Error();
  if (!r->node) return FsError("ENOENT", label + ": no such file or directory");
  Node node = *r->node;
  node.mode = mode & 07777;
  Replace(r->path, std::move(node));
  return OkStatus();
}

Status WorkingLayer::Chown(std::string_view path, Owner owner, bool follow) {
  const std::string label = Label(follow ? "chown" : "chown -h", path);
  Result<Resolved> r = view_.Resolve(path, follow, label);
  if (!r) return r.Error();
  if (!r->node) return FsError("ENOENT", label + ": no such file or directory");
  Node node = *r->node;
  node.uid = owner.uid;
  node.gid = owner.gid;
  Replace(r->path, std::move(node));
  return OkStatus();
}

Status WorkingLayer::Symlink(std::string_view target, std::string_view link_path, Owner owner) {
  const std::string label = "ln -s " + std::string(target) + " " + std::string(link_path);
  if (target.empty()) return FsError("ENOENT", label + ": empty symlink target");
  if (target.find('\0') != std::string_view::npos) {
    return FsError("EINVAL", label + ": symlink target contains a NUL byte");
  }
  Result<Resolved> r = view_.Resolve(link_path, /*follow_last=*/false, label);
  if (!r) return r.Error();
  if (r->node) return FsError("EEXIST", label + ": file exists");
  Status name = CheckName(label, r->path);
  if (!name) return name;
  Node link;
  link.kind = NodeKind::kSymlink;
  link.mode = 0777;  // Linux symlinks are always lrwxrwxrwx
  link.uid = owner.uid;
  link.gid = owner.gid;
  link.target = std::string(target);
  Create(r->path, std::move(link));
  return OkStatus();
}

plan::Layer WorkingLayer::Diff() const {
  using Kind = plan::FileChange::Kind;
  std::vector<plan::FileChange> changes;
  for (const auto& [path, u] : upper_) {
    plan::FileChange c;
    c.path = path;
    if (u.whiteout) {
      c.kind = Kind::kWhiteout;
    } else {
      c.mode = u.node.mode;
      c.uid = u.node.uid;
      c.gid = u.node.gid;
      switch (u.node.kind) {
        case NodeKind::kFile:
          c.kind = Kind::kFile;
          c.size = u.node.size;
          c.digest = u.node.digest;
          break;
        case NodeKind::kDirectory:
          c.kind = u.opaque ? Kind::kOpaqueDirectory : Kind::kDirectory;
          break;
        case NodeKind::kSymlink:
          c.kind = Kind::kSymlink;
          c.link_target = u.node.target;
          break;
      }
    }
    changes.push_back(std::move(c));
  }
  return MakeLayer(std::move(changes));
}

Result<WorkingLayer> WorkingLayer::Restore(LayerStack lower, const plan::Layer& diff) {
  using Kind = plan::FileChange::Kind;
  WorkingLayer layer(std::move(lower));
  if (Status applied = ApplyLayer(layer.view_, diff); !applied) return applied.Error();
  for (const plan::FileChange& c : diff.changes) {
    Upper u;
    switch (c.kind) {
      case Kind::kWhiteout:
        u.whiteout = true;
        break;
      case Kind::kFile:
      case Kind::kDirectory:
      case Kind::kOpaqueDirectory:
      case Kind::kSymlink: {
        const Node* node = layer.view_.Find(c.path);
        if (node == nullptr) {
          return Diagnostic{"ENOENT", "restore " + c.path + ": not in the merged view", {}};
        }
        u.node = *node;
        u.opaque = c.kind == Kind::kOpaqueDirectory;
        break;
      }
      case Kind::kHardlink:
        return Diagnostic{
            "EINVAL", "restore " + c.path + ": a working layer has no hard links", {}};
    }
    layer.upper_[c.path] = std::move(u);
  }
  return layer;
}

}  // namespace dockit::sim

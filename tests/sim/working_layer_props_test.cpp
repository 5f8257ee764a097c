// Properties of the layered filesystem against a reference model written independently here: a
// flat std::map from path to node with the same operations, no layers, no copy-on-write.
//  - Random raw layers (files, directories, symlinks, whiteouts, opaque directories) give the
//    merged view that applying them one by one to the model gives.
//  - Random operations on a WorkingLayer over that stack succeed or fail exactly when they do
//    on the model, and leave the same view.
//  - Squashing (pushing Diff() onto the lower stack) gives the working layer's view.
//  - The same operations in the same order give the same diff_id.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <rapidcheck.h>
#include <rapidcheck/catch.h>
#include <catch2/catch.hpp>

#include "sim/working_layer.hpp"
#include "tests/sim/sim_test_util.hpp"

namespace dockit::sim {
namespace {

using namespace testing;
using Model = std::map<std::string, Node>;

// ---- the reference model -------------------------------------------------------------------

bool Below(const std::string& path, const std::string& dir) {  // strictly below
  return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
         (dir == "/" || path[dir.size()] == '/');
}

void EraseBelow(Model& m, const std::string& dir) {
  for (auto it = m.begin(); it != m.end();) it = Below(it->first, dir) ? m.erase(it) : ++it;
}

void EraseAt(Model& m, const std::string& path) {
  EraseBelow(m, path);
  if (path != "/") m.erase(path);
}

std::string Parent(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == 0 ? "/" : path.substr(0, slash);
}

bool HasChildren(const Model& m, const std::string& dir) {
  for (const auto& [path, node] : m) {
    if (Below(path, dir)) return true;
  }
  return false;
}

struct MResolved {
  bool ok = false;
  std::string path;
  const Node* node = nullptr;
};

// The kernel's walk, on strings: `rest` is what is left to walk, `done` the real prefix.
MResolved MResolve(const Model& m, const std::string& path, bool follow_last) {
  std::string done, rest = path;
  int links = 0;
  while (true) {
    size_t start = rest.find_first_not_of('/');
    if (start == std::string::npos) {
      std::string p = done.empty() ? "/" : done;
      return {true, p, &m.at(p)};
    }
    size_t end = rest.find('/', start);
    std::string name = rest.substr(start, end == std::string::npos ? end : end - start);
    rest = end == std::string::npos ? "" : rest.substr(end);
    const bool last = rest.find_first_not_of('/') == std::string::npos;
    if (name == ".") continue;
    if (name == "..") {
      done = done.substr(0, done.empty() ? 0 : done.rfind('/'));
      continue;
    }
    std::string next = done + "/" + name;
    auto it = m.find(next);
    if (it == m.end()) return last ? MResolved{true, next, nullptr} : MResolved{};
    if (it->second.kind == NodeKind::kSymlink && (!last || follow_last)) {
      if (++links > 40) return {};
      if (it->second.target[0] == '/') done.clear();
      rest = it->second.target + "/" + rest;
      continue;
    }
    if (!last && it->second.kind != NodeKind::kDirectory) return {};
    done = next;
  }
}

Node MDir(uint32_t mode) {
  Node n;
  n.kind = NodeKind::kDirectory;
  n.mode = mode;
  return n;
}

// OCI apply; false (and the offending change's index) when an entry's parent is not a directory.
bool MApply(Model& m, const std::vector<FileChange>& changes, size_t* bad) {
  for (const FileChange& c : changes) {
    if (c.kind == Kind::kWhiteout) EraseAt(m, c.path);
    if (c.kind == Kind::kOpaqueDirectory) EraseBelow(m, c.path);
  }
  for (size_t i = 0; i < changes.size(); ++i) {
    const FileChange& c = changes[i];
    if (c.kind == Kind::kWhiteout) continue;
    std::vector<std::string> missing;
    std::string dir = Parent(c.path);
    for (; !m.count(dir); dir = Parent(dir)) missing.push_back(dir);
    if (m.at(dir).kind != NodeKind::kDirectory) {
      *bad = i;
      return false;
    }
    for (const std::string& d : missing) m[d] = MDir(0755);
    Node n;
    n.mode = c.mode;
    if (c.kind == Kind::kFile) {
      n.size = c.size;
      n.digest = c.digest;
    } else if (c.kind == Kind::kSymlink) {
      n.kind = NodeKind::kSymlink;
      n.target = c.link_target;
    } else {
      n.kind = NodeKind::kDirectory;
    }
    auto old = m.find(c.path);
    if (!(old != m.end() && old->second.kind == NodeKind::kDirectory &&
          n.kind == NodeKind::kDirectory)) {
      EraseAt(m, c.path);
    }
    m[c.path] = n;
  }
  return true;
}

enum OpKind { kMkdir, kMkdirP, kWrite, kRm, kRmR, kMv, kChmod, kChown, kChownH, kSymlink, kOps };

struct Op {
  int kind = kMkdir;
  std::string a, b;  // paths; for kSymlink, a is the target
  uint32_t mode = 0644;
  uint32_t id = 0;  // uid = gid for chown; content index for write
  std::string content;
};

std::string Describe(const Op& op) {
  static const char* names[] = {"mkdir", "mkdir -p", "write", "rm",       "rm -r",
                                "mv",    "chmod",    "chown", "chown -h", "ln -s"};
  char mode[16];
  std::snprintf(mode, sizeof mode, "%o", op.mode);
  return std::string(names[op.kind]) + " " + op.a + " " + op.b + " mode=" + mode +
         " id=" + std::to_string(op.id) + " content=" + op.content;
}

bool MApplyOp(Model& m, const Op& op) {
  switch (op.kind) {
    case kMkdir: {
      MResolved r = MResolve(m, op.a, false);
      if (!r.ok || r.node) return false;
      m[r.path] = MDir(op.mode);
      return true;
    }
    case kMkdirP: {
      std::string prefix;
      for (size_t pos = 1; pos <= op.a.size(); ++pos) {
        if (pos != op.a.size() && op.a[pos] != '/') continue;
        prefix = op.a.substr(0, pos);
        MResolved r = MResolve(m, prefix, false);
        if (!r.ok) return false;
        if (r.node && r.node->kind == NodeKind::kSymlink) {
          r = MResolve(m, prefix, true);
          if (!r.ok || !r.node) return false;
        }
        if (r.node) {
          if (r.node->kind != NodeKind::kDirectory) return false;
          continue;
        }
        m[r.path] = MDir(pos == op.a.size() ? op.mode : 0755);
      }
      return true;
    }
    case kWrite: {
      MResolved r = MResolve(m, op.a, true);
      if (!r.ok || r.path == "/" || (r.node && r.node->kind == NodeKind::kDirectory)) return false;
      Node& n = m[r.path];
      if (!r.node) n.mode = op.mode;
      n.size = op.content.size();
      n.digest = plan::Sha256Of(op.content);
      return true;
    }
    case kRm:
    case kRmR: {
      MResolved r = MResolve(m, op.a, false);
      if (!r.ok || !r.node || r.path == "/") return false;
      if (op.kind == kRm && r.node->kind == NodeKind::kDirectory && HasChildren(m, r.path)) {
        return false;
      }
      EraseAt(m, r.path);
      return true;
    }
    case kMv: {
      MResolved from = MResolve(m, op.a, false);
      if (!from.ok || !from.node || from.path == "/") return false;
      MResolved to = MResolve(m, op.b, false);
      if (!to.ok) return false;
      if (to.path == from.path) return true;
      if (Below(to.path, from.path)) return false;
      const bool dir = from.node->kind == NodeKind::kDirectory;
      if (to.node) {
        if (dir != (to.node->kind == NodeKind::kDirectory)) return false;
        if (dir && HasChildren(m, to.path)) return false;
      }
      Model moved;
      for (const auto& [path, node] : m) {
        if (path == from.path || Below(path, from.path)) {
          moved[to.path + path.substr(from.path.size())] = node;
        }
      }
      EraseAt(m, from.path);
      EraseAt(m, to.path);
      for (auto& [path, node] : moved) m[path] = node;
      return true;
    }
    case kChmod:
    case kChown:
    case kChownH: {
      MResolved r = MResolve(m, op.a, op.kind != kChownH);
      if (!r.ok || !r.node) return false;
      Node& n = m[r.path];
      if (op.kind == kChmod) {
        n.mode = op.mode;
      } else {
        n.uid = n.gid = op.id;
      }
      return true;
    }
    case kSymlink: {
      MResolved r = MResolve(m, op.b, false);
      if (!r.ok || r.node) return false;
      Node n;
      n.kind = NodeKind::kSymlink;
      n.mode = 0777;
      n.target = op.a;
      m[r.path] = n;
      return true;
    }
  }
  return false;
}

Status Apply(WorkingLayer& w, const Op& op) {
  switch (op.kind) {
    case kMkdir:
      return w.Mkdir(op.a, false, op.mode);
    case kMkdirP:
      return w.Mkdir(op.a, true, op.mode);
    case kWrite:
      return w.WriteFile(op.a, FileContent::Bytes(op.content), op.mode);
    case kRm:
      return w.Remove(op.a);
    case kRmR:
      return w.Remove(op.a, true);
    case kMv:
      return w.Rename(op.a, op.b);
    case kChmod:
      return w.Chmod(op.a, op.mode);
    case kChown:
      return w.Chown(op.a, {op.id, op.id});
    case kChownH:
      return w.Chown(op.a, {op.id, op.id}, false);
    case kSymlink:
      return w.Symlink(op.a, op.b);
  }
  return OkStatus();
}

// ---- generators: a few names so that operations collide often ------------------------------

rc::Gen<std::string> GenPath() {
  return rc::gen::map(
      rc::gen::container<std::vector<std::string>>(rc::gen::element<std::string>("a", "b", "c")),
      [](const std::vector<std::string>& names) {
        std::string p;
        for (size_t i = 0; i < names.size() && i < 3; ++i) p += "/" + names[i];
        return p.empty() ? std::string("/") : p;
      });
}

rc::Gen<std::string> GenTarget() {
  return rc::gen::map(rc::gen::pair(rc::gen::arbitrary<bool>(),
                                    rc::gen::nonEmpty(rc::gen::container<std::vector<std::string>>(
                                        rc::gen::element<std::string>("a", "b", "c", "..", ".")))),
                      [](const std::pair<bool, std::vector<std::string>>& t) {
                        std::string s = t.first ? "/" : "";
                        for (size_t i = 0; i < t.second.size() && i < 4; ++i) {
                          s += (i ? "/" : "") + t.second[i];
                        }
                        return s;
                      });
}

rc::Gen<uint32_t> GenMode() { return rc::gen::element<uint32_t>(0644, 0600, 0755, 0700); }
rc::Gen<std::string> GenContent() { return rc::gen::element<std::string>("", "x", "yy", "zzz"); }

rc::Gen<FileChange> GenChange() {
  return rc::gen::map(
      rc::gen::tuple(rc::gen::inRange(0, 5), GenPath(), GenTarget(), GenMode(), GenContent()),
      [](const std::tuple<int, std::string, std::string, uint32_t, std::string>& t) {
        const auto& [kind, path, target, mode, content] = t;
        std::string p = path == "/" ? "/a" : path;
        switch (kind) {
          case 0:
            return F(p, content, mode);
          case 1:
            return D(p, mode);
          case 2:
            return L(p, target);
          case 3:
            return W(p);
          default:
            return O(p, mode);
        }
      });
}

rc::Gen<Op> GenOp() {
  return rc::gen::map(
      rc::gen::tuple(rc::gen::inRange(0, static_cast<int>(kOps)), GenPath(), GenPath(), GenTarget(),
                     GenMode(), rc::gen::inRange<uint32_t>(0, 3), GenContent()),
      [](const std::tuple<int, std::string, std::string, std::string, uint32_t, uint32_t,
                          std::string>& t) {
        const auto& [kind, a, b, target, mode, id, content] = t;
        Op op{kind, a, b, mode, id, content};
        if (kind == kSymlink) {
          op.a = target;
          op.b = a;
        }
        return op;
      });
}

// ---- the properties -------------------------------------------------------------------------

// Random layers, each cut down until the reference model applies it (an entry below a file is
// an error for both, and checked once).
std::pair<LayerStack, Model> GenLowerStack() {
  LayerStack stack;
  Model model{{"/", MDir(0755)}};
  const int layers = *rc::gen::element(0, 1, 2, 3, 3);  // inRange favours small counts
  for (int i = 0; i < layers; ++i) {
    std::vector<FileChange> raw = *rc::gen::container<std::vector<FileChange>>(GenChange());
    std::map<std::string, FileChange> unique;
    for (FileChange& c : raw) unique.emplace(c.path, c);
    std::vector<FileChange> changes;
    for (auto& [path, c] : unique) changes.push_back(c);
    while (true) {
      Model next = model;
      size_t bad = 0;
      if (MApply(next, changes, &bad)) {
        model = std::move(next);
        break;
      }
      Result<LayerStack> refused = stack.Push(MakeLayer(changes));
      RC_ASSERT(!refused.Ok());
      changes.erase(changes.begin() + static_cast<std::ptrdiff_t>(bad));
    }
    Result<LayerStack> pushed = stack.Push(MakeLayer(changes));
    if (!pushed.Ok()) RC_FAIL("layer refused: " + pushed.Error().message);
    stack = std::move(pushed).Value();
  }
  return {stack, model};
}

bool Same(const Tree& tree, const Model& model) {
  return std::equal(tree.Entries().begin(), tree.Entries().end(), model.begin(), model.end(),
                    [](const auto& x, const auto& y) { return x == y; });
}

TEST_CASE("working layer over random layers behaves as the flat model, and squashes to its view",
          "[sim][working_layer][property]") {
  rc::prop("model, squash and determinism", [] {
    auto [lower, model] = GenLowerStack();
    RC_ASSERT(Same(lower.View(), model));
    const std::vector<Op> ops = *rc::gen::container<std::vector<Op>>(GenOp());
    WorkingLayer w(lower);
    int failed = 0;
    for (const Op& op : ops) {
      Status got = Apply(w, op);
      const bool want = MApplyOp(model, op);
      if (got.Ok() != want) {
        RC_FAIL(Describe(op) + ": working layer " + (got.Ok() ? "succeeded" : got.Error().message) +
                ", model " + (want ? "succeeded" : "failed"));
      }
      failed += got.Ok() ? 0 : 1;
    }
    RC_CLASSIFY(failed == 0, "every operation succeeded");
    RC_CLASSIFY(lower.Layers().size() >= 3, "three or more lower layers");
    RC_ASSERT(Same(w.View(), model));

    plan::Layer diff = w.Diff();
    auto has = [&](Kind kind) {
      return std::any_of(diff.changes.begin(), diff.changes.end(),
                         [&](const FileChange& c) { return c.kind == kind; });
    };
    RC_CLASSIFY(has(Kind::kWhiteout), "diff has a whiteout");
    RC_CLASSIFY(has(Kind::kOpaqueDirectory), "diff has an opaque directory");
    Result<LayerStack> squashed = lower.Push(diff);
    if (!squashed.Ok()) RC_FAIL("diff refused: " + squashed.Error().message);
    RC_ASSERT(Same(squashed->View(), model));

    WorkingLayer again(lower);
    for (const Op& op : ops) Apply(again, op);
    RC_ASSERT(again.Diff().diff_id == diff.diff_id);
  });
}

}  // namespace
}  // namespace dockit::sim

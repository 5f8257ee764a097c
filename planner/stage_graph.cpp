#include "planner/stage_graph.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/topological_sort.hpp>

#include "parser/suggest.hpp"
#include "parser/text.hpp"

namespace dockit::plan {
namespace {

using Graph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property,
                          boost::property<boost::edge_index_t, size_t>>;

Diagnostic Error(const SourceRange& range, std::string code, std::string message) {
  return Diagnostic{std::move(code), std::move(message), range, Severity::kError};
}

// What `--from=value` in stage `user` refers to: a stage index, nullopt for an image, or an
// error for an index that names no stage.
Result<std::optional<size_t>> ResolveFrom(const Analysis& analysis, const std::string& value,
                                          const SourceRange& range) {
  if (!value.empty() && value.find_first_not_of("0123456789") == std::string::npos) {
    if (value.size() > 6 || std::stoul(value) >= analysis.stages.size()) {
      return Error(range, "bad-stage-index",
                   "invalid stage index " + value + ": the file has " +
                       std::to_string(analysis.stages.size()) + " stages (0 to " +
                       std::to_string(analysis.stages.size() - 1) + ")");
    }
    return std::optional<size_t>(std::stoul(value));
  }
  std::string lower = text::AsciiLower(value);
  for (const Stage& s : analysis.stages) {
    if (!s.name.empty() && s.name == lower) return std::optional<size_t>(s.index);
  }
  return std::optional<size_t>();
}

// Records the first edge that closes a cycle (a back edge of the depth-first search).
class CycleFinder : public boost::default_dfs_visitor {
 public:
  explicit CycleFinder(std::optional<size_t>* found) : found_(found) {}
  template <class Edge, class G>
  void back_edge(Edge e, const G& g) {
    if (!*found_) *found_ = boost::get(boost::edge_index, g, e);
  }

 private:
  std::optional<size_t>* found_;
};

}  // namespace

std::string_view EdgeKindName(EdgeKind kind) {
  switch (kind) {
    case EdgeKind::kBase:
      return "FROM";
    case EdgeKind::kCopyFrom:
      return "COPY --from";
    case EdgeKind::kMountFrom:
      return "RUN --mount=from";
  }
  return "";
}

Result<StageGraph> BuildStageGraph(const Analysis& analysis, const StageGraphOptions& options) {
  const size_t n = analysis.stages.size();
  StageGraph out;
  if (n == 0) {
    return Error(SourceRange{}, "no-stages", "the Dockerfile defines no build stage");
  }
  // Every dependency, forward references included (they are errors, reported after cycles as
  // BuildKit does).
  for (const Stage& stage : analysis.stages) {
    if (stage.base_stage) {
      out.edges.push_back({*stage.base_stage, stage.index, EdgeKind::kBase, stage.base.range});
    }
    for (const TypedInstruction& ins : stage.instructions) {
      if (const auto* copy = std::get_if<CopyCmd>(&ins.args); copy && copy->from) {
        auto from = ResolveFrom(analysis, copy->from->value, copy->from->range);
        if (!from) return from.Error();
        if (*from)
          out.edges.push_back({**from, stage.index, EdgeKind::kCopyFrom, copy->from->range});
      }
      if (const auto* run = std::get_if<RunCmd>(&ins.args)) {
        for (const Mount& m : run->mounts) {
          if (m.from.empty()) continue;
          auto from = ResolveFrom(analysis, m.from, m.range);
          if (!from) return from.Error();
          if (*from) out.edges.push_back({**from, stage.index, EdgeKind::kMountFrom, m.range});
        }
      }
    }
  }
  for (const StageEdge& e : out.edges) {
    if (e.from == e.to) {
      return Error(e.range, "stage-self-reference",
                   "stage " + std::to_string(e.to) + " cannot use itself (" +
                       std::string(EdgeKindName(e.kind)) + ")");
    }
  }

  Graph g(n);
  for (size_t i = 0; i < out.edges.size(); ++i) {
    boost::add_edge(out.edges[i].from, out.edges[i].to, i, g);
  }
  std::optional<size_t> back_edge;
  boost::depth_first_search(g, boost::visitor(CycleFinder(&back_edge)));
  if (back_edge) {
    const StageEdge& e = out.edges[*back_edge];
    return Error(e.range, "stage-cycle",
                 "circular dependency: stage " + std::to_string(e.to) + " needs stage " +
                     std::to_string(e.from) + " (" + std::string(EdgeKindName(e.kind)) +
                     "), which already depends on it");
  }
  for (const StageEdge& e : out.edges) {
    if (e.from > e.to) {
      const Stage& later = analysis.stages[e.from];
      return Error(e.range, "stage-defined-later",
                   "stage \"" + (later.name.empty() ? std::to_string(later.index) : later.name) +
                       "\" is defined after this one (line " +
                       std::to_string(later.instructions.front().syntax->range.begin.line) +
                       "): a stage can only use earlier stages");
    }
  }

  out.target = n - 1;
  if (options.target) {
    std::string lower = text::AsciiLower(*options.target);
    auto it = std::find_if(analysis.stages.begin(), analysis.stages.end(),
                           [&](const Stage& s) { return !s.name.empty() && s.name == lower; });
    if (it == analysis.stages.end()) {
      std::vector<std::string_view> names;
      for (const Stage& s : analysis.stages) {
        if (!s.name.empty()) names.push_back(s.name);
      }
      std::string hint = Suggest(*options.target, names);
      return Error(SourceRange{}, "unknown-target",
                   "target stage \"" + *options.target + "\" could not be found" +
                       (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"));
    }
    out.target = it->index;
  }

  // Needed: the target and everything it reaches backwards.
  out.needed.assign(n, false);
  std::vector<size_t> todo{out.target};
  out.needed[out.target] = true;
  while (!todo.empty()) {
    size_t v = todo.back();
    todo.pop_back();
    for (auto [it, end] = boost::in_edges(v, g); it != end; ++it) {
      size_t u = boost::source(*it, g);
      if (!out.needed[u]) {
        out.needed[u] = true;
        todo.push_back(u);
      }
    }
  }
  // Depth levels over the needed stages, computed in topological order (Boost gives it
  // reversed); the order reported is level by level, each level in file order.
  std::vector<size_t> reversed;
  boost::topological_sort(g, std::back_inserter(reversed));
  std::vector<size_t> depth(n, 0);
  for (auto it = reversed.rbegin(); it != reversed.rend(); ++it) {
    size_t v = *it;
    if (!out.needed[v]) continue;
    for (auto [e, end] = boost::in_edges(v, g); e != end; ++e) {
      depth[v] = std::max(depth[v], depth[boost::source(*e, g)] + 1);
    }
    if (out.levels.size() <= depth[v]) out.levels.resize(depth[v] + 1);
    out.levels[depth[v]].push_back(v);
  }
  for (auto& level : out.levels) {
    std::sort(level.begin(), level.end());
    out.order.insert(out.order.end(), level.begin(), level.end());
  }
  return out;
}

}  // namespace dockit::plan

#include "sim/compose_graph.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <queue>

namespace dockit::sim {
namespace {

// Out-edges go from a dependent to its dependencies; listS-free vecS keeps vertex numbers.
using Graph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property,
                          boost::property<boost::edge_index_t, size_t>>;

Graph MakeGraph(size_t n, const std::vector<std::pair<size_t, size_t>>& edges) {
  Graph g(n);
  // Added in (dependent, dependency name) order so that searches visit neighbours by name.
  std::vector<size_t> by_target(edges.size());
  for (size_t i = 0; i < edges.size(); ++i) by_target[i] = i;
  std::stable_sort(by_target.begin(), by_target.end(),
                   [&](size_t a, size_t b) { return edges[a] < edges[b]; });
  for (size_t i : by_target) boost::add_edge(edges[i].first, edges[i].second, i, g);
  return g;
}

// Records the tree edges' parents and the first back edge.
class CycleVisitor : public boost::default_dfs_visitor {
 public:
  CycleVisitor(std::vector<size_t>* parent, std::optional<size_t>* back_edge)
      : parent_(parent), back_edge_(back_edge) {}
  template <class Edge, class G>
  void tree_edge(Edge e, const G& g) {
    (*parent_)[boost::target(e, g)] = boost::source(e, g);
  }
  template <class Edge, class G>
  void back_edge(Edge e, const G& g) {
    if (!*back_edge_) *back_edge_ = boost::get(boost::edge_index, g, e);
  }

 private:
  std::vector<size_t>* parent_;
  std::optional<size_t>* back_edge_;
};

}  // namespace

DependencyGraph::DependencyGraph(std::vector<std::string> names) : names_(std::move(names)) {
  std::sort(names_.begin(), names_.end());
  names_.erase(std::unique(names_.begin(), names_.end()), names_.end());
}

std::optional<size_t> DependencyGraph::IndexOf(std::string_view name) const {
  auto it = std::lower_bound(names_.begin(), names_.end(), name);
  if (it == names_.end() || *it != name) return std::nullopt;
  return static_cast<size_t>(it - names_.begin());
}

std::optional<size_t> DependencyGraph::AddEdge(std::string_view dependent,
                                               std::string_view dependency) {
  auto from = IndexOf(dependent);
  auto to = IndexOf(dependency);
  if (!from || !to) return std::nullopt;
  edges_.emplace_back(*from, *to);
  return edges_.size() - 1;
}

std::optional<DependencyGraph::Cycle> DependencyGraph::FindCycle() const {
  Graph g = MakeGraph(names_.size(), edges_);
  const size_t none = names_.size();
  std::vector<size_t> parent(names_.size(), none);
  std::optional<size_t> back;
  boost::depth_first_search(g, boost::visitor(CycleVisitor(&parent, &back)));
  if (!back) return std::nullopt;
  // The back edge u -> v closes v -> ... -> u (tree edges) -> v.
  auto [u, v] = edges_[*back];
  std::vector<std::string> reversed{names_[v]};
  for (size_t x = u; x != v && x != none; x = parent[x]) reversed.push_back(names_[x]);
  reversed.push_back(names_[v]);
  Cycle cycle;
  cycle.path.assign(reversed.rbegin(), reversed.rend());
  cycle.edge = *back;
  return cycle;
}

std::vector<std::string> DependencyGraph::StartOrder() const {
  Graph g = MakeGraph(names_.size(), edges_);
  // Kahn's algorithm over "dependency first": a service is ready when all it depends on
  // started; the ready set is a min-heap of vertex numbers, which are in name order.
  std::vector<size_t> waiting(names_.size());
  std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
  for (size_t v = 0; v < names_.size(); ++v) {
    waiting[v] = boost::out_degree(v, g);
    if (waiting[v] == 0) ready.push(v);
  }
  std::vector<std::string> order;
  while (!ready.empty()) {
    size_t v = ready.top();
    ready.pop();
    order.push_back(names_[v]);
    for (auto [it, end] = boost::in_edges(v, g); it != end; ++it) {
      size_t dependent = boost::source(*it, g);
      if (--waiting[dependent] == 0) ready.push(dependent);
    }
  }
  return order;
}

std::vector<std::string> DependencyGraph::StopOrder() const {
  std::vector<std::string> order = StartOrder();
  std::reverse(order.begin(), order.end());
  return order;
}

std::vector<std::string> DependencyGraph::WithDependencies(
    const std::vector<std::string>& roots) const {
  Graph g = MakeGraph(names_.size(), edges_);
  std::vector<bool> wanted(names_.size(), false);
  std::vector<size_t> todo;
  for (const std::string& r : roots) {
    if (auto v = IndexOf(r); v && !wanted[*v]) {
      wanted[*v] = true;
      todo.push_back(*v);
    }
  }
  while (!todo.empty()) {
    size_t v = todo.back();
    todo.pop_back();
    for (auto [it, end] = boost::out_edges(v, g); it != end; ++it) {
      size_t w = boost::target(*it, g);
      if (!wanted[w]) {
        wanted[w] = true;
        todo.push_back(w);
      }
    }
  }
  std::vector<std::string> out;
  for (const std::string& name : StartOrder()) {
    if (wanted[*IndexOf(name)]) out.push_back(name);
  }
  return out;
}

std::vector<std::string> DependencyGraph::DirectDependencies(std::string_view name) const {
  std::vector<std::string> out;
  auto v = IndexOf(name);
  if (!v) return out;
  for (auto [from, to] : edges_) {
    if (from == *v) out.push_back(names_[to]);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace dockit::sim

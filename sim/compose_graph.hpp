// The depends_on graph of a Compose project (Boost.Graph): a vertex per service, an edge from
// each service to each service it depends on. Finds a cycle with the path Compose prints
// ("web -> db -> web"), gives the start order (dependencies first, ties broken by name, so the
// same project always starts the same way) and the services a set of services needs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockit::sim {

class DependencyGraph {
 public:
  // `names`: the services, in any order; duplicates are kept once.
  explicit DependencyGraph(std::vector<std::string> names);

  // `dependent` depends on `dependency`; both must be names of the graph (else nothing is
  // added and nullopt returned). Returns the edge's index, in the order edges are added.
  std::optional<size_t> AddEdge(std::string_view dependent, std::string_view dependency);

  struct Cycle {
    std::vector<std::string> path;  // "web", "db", "web": each depends on the next
    size_t edge = 0;                // the index of an edge of the cycle (the one that closed it)
  };
  // The first cycle a depth-first search in name order meets; nullopt for a DAG.
  std::optional<Cycle> FindCycle() const;

  // Every service, each after all it depends on; among the services ready at the same time the
  // smallest name first (Kahn's algorithm). Services of a cycle are left out.
  std::vector<std::string> StartOrder() const;
  // The reverse of StartOrder: dependents stop before their dependencies.
  std::vector<std::string> StopOrder() const;
  // `roots` and everything they depend on, transitively, in start order. Unknown names are
  // ignored.
  std::vector<std::string> WithDependencies(const std::vector<std::string>& roots) const;
  // What `name` depends on directly, sorted.
  std::vector<std::string> DirectDependencies(std::string_view name) const;

  const std::vector<std::string>& Names() const { return names_; }

 private:
  std::optional<size_t> IndexOf(std::string_view name) const;
  std::vector<std::string> names_;  // sorted: a vertex's number is its index here
  std::vector<std::pair<size_t, size_t>> edges_;
};

}  // namespace dockit::sim

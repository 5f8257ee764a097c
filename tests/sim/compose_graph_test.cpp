// The depends_on graph, and two properties over random acyclic graphs: the start order puts
// every service after its dependencies (and is the same however the edges were added), and one
// edge back from a dependency to a service that needs it makes a cycle, found with its path.
#include "sim/compose_graph.hpp"

#include <rapidcheck.h>
#include <rapidcheck/catch.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>

namespace dockit::sim {
namespace {

using Names = std::vector<std::string>;

TEST_CASE("start order: dependencies first, ties by name", "[sim][compose]") {
  DependencyGraph g({"web", "db", "cache", "worker", "proxy"});
  g.AddEdge("web", "db");
  g.AddEdge("web", "cache");
  g.AddEdge("worker", "db");
  g.AddEdge("proxy", "web");
  CHECK(g.StartOrder() == Names{"cache", "db", "web", "proxy", "worker"});
  CHECK(g.StopOrder() == Names{"worker", "proxy", "web", "db", "cache"});
  CHECK(g.WithDependencies({"proxy"}) == Names{"cache", "db", "web", "proxy"});
  CHECK(g.WithDependencies({"worker"}) == Names{"db", "worker"});
  CHECK(g.WithDependencies({}) == Names{});
  CHECK(g.DirectDependencies("web") == Names{"cache", "db"});
  CHECK_FALSE(g.AddEdge("web", "nope"));
  CHECK_FALSE(g.FindCycle());
}

TEST_CASE("a cycle is found with its path", "[sim][compose]") {
  DependencyGraph g({"web", "db", "api"});
  g.AddEdge("web", "api");
  g.AddEdge("api", "db");
  size_t closing = *g.AddEdge("db", "web");
  auto cycle = g.FindCycle();
  REQUIRE(cycle);
  CHECK(cycle->path == Names{"api", "db", "web", "api"});
  CHECK(cycle->edge <= closing);

  DependencyGraph self({"a"});
  self.AddEdge("a", "a");
  REQUIRE(self.FindCycle());
  CHECK(self.FindCycle()->path == Names{"a", "a"});
}

// A random DAG over services s0..s(n-1): edges only from a higher to a lower rank in a random
// permutation, so there is never a cycle.
struct RandomDag {
  Names names;
  std::vector<std::pair<size_t, size_t>> edges;  // (dependent, dependency)
};

rc::Gen<RandomDag> GenDag() {
  return rc::gen::mapcat(rc::gen::inRange<size_t>(2, 12), [](size_t n) {
    auto edges = rc::gen::container<std::vector<std::pair<size_t, size_t>>>(
        rc::gen::pair(rc::gen::inRange<size_t>(0, n), rc::gen::inRange<size_t>(0, n)));
    auto ranks = rc::gen::container<std::vector<unsigned>>(n, rc::gen::inRange<unsigned>(0, 8));
    return rc::gen::map(rc::gen::pair(edges, ranks), [n](auto in) {
      RandomDag dag;
      for (size_t i = 0; i < n; ++i) dag.names.push_back("s" + std::to_string(i));
      // A strict order: rank, then index. Edges only go down it.
      auto above = [&](size_t a, size_t b) {
        return in.second[a] != in.second[b] ? in.second[a] > in.second[b] : a > b;
      };
      for (auto [a, b] : in.first) {
        if (a != b && above(a, b)) dag.edges.emplace_back(a, b);
      }
      if (dag.edges.empty() && n >= 2)
        dag.edges.emplace_back(above(0, 1) ? 0 : 1, above(0, 1) ? 1 : 0);
      return dag;
    });
  });
}

DependencyGraph Make(const RandomDag& dag, bool reversed_insertion) {
  DependencyGraph g(dag.names);
  auto edges = dag.edges;
  if (reversed_insertion) std::reverse(edges.begin(), edges.end());
  for (auto [a, b] : edges) g.AddEdge(dag.names[a], dag.names[b]);
  return g;
}

TEST_CASE("property: the start order respects every dependency", "[sim][compose][property]") {
  rc::prop("every service starts after what it depends on", [] {
    RandomDag dag = *GenDag();
    DependencyGraph g = Make(dag, false);
    RC_ASSERT_FALSE(g.FindCycle().has_value());
    Names order = g.StartOrder();
    RC_ASSERT(order.size() == dag.names.size());
    std::map<std::string, size_t> at;
    for (size_t i = 0; i < order.size(); ++i) at[order[i]] = i;
    for (auto [a, b] : dag.edges) RC_ASSERT(at[dag.names[b]] < at[dag.names[a]]);
    RC_ASSERT(Make(dag, true).StartOrder() == order);  // deterministic
    Names stop = g.StopOrder();
    RC_ASSERT(Names(stop.rbegin(), stop.rend()) == order);
  });
}

TEST_CASE("property: a back edge makes a cycle error", "[sim][compose][property]") {
  rc::prop("an edge from a dependency back to its dependent closes a cycle", [] {
    RandomDag dag = *GenDag();
    RC_PRE(!dag.edges.empty());  // all but single-service graphs have an edge
    size_t a = (*rc::gen::elementOf(dag.edges)).first;
    DependencyGraph g = Make(dag, false);
    // Any service `a` depends on, directly or not, made to depend on `a`.
    Names below = g.WithDependencies({dag.names[a]});
    below.erase(std::find(below.begin(), below.end(), dag.names[a]));
    RC_ASSERT(!below.empty());
    std::string c = *rc::gen::elementOf(below);
    g.AddEdge(c, dag.names[a]);
    auto cycle = g.FindCycle();
    RC_ASSERT(cycle.has_value());
    RC_ASSERT(cycle->path.size() >= 3);
    RC_ASSERT(cycle->path.front() == cycle->path.back());
    // Each step of the path is an edge of the graph.
    for (size_t i = 0; i + 1 < cycle->path.size(); ++i) {
      Names deps = g.DirectDependencies(cycle->path[i]);
      RC_ASSERT(std::binary_search(deps.begin(), deps.end(), cycle->path[i + 1]));
    }
  });
}

}  // namespace
}  // namespace dockit::sim

// The planner issue's scenarios built on the simulator: after a first build and one change, the
// steps the second simulated build takes from the cache are the ones BuildKit takes
// (tests/planner/scenarios.hpp), with the same reasons for the others.
#include <catch2/catch.hpp>

#include "planner/build_driver.hpp"
#include "sim/build_executor.hpp"
#include "sim/image_catalogue.hpp"
#include "tests/planner/scenarios.hpp"

namespace dockit::sim {
namespace {

using plan::testing::App;
using plan::testing::V;

struct SimBuilder {
  LayerStore layers;
  TextStore texts;
  int64_t now = 1000;

  // The catalogue, with the python versions it lacks (3.12, 3.13) built on 3.11's layers.
  BaseResolver Resolver() {
    BaseResolver catalogue = CatalogueResolver(layers, texts);
    return [catalogue](const std::string& ref) -> Result<plan::BaseImage> {
      if (ref.starts_with("python:3.1") && !ref.starts_with("python:3.11")) {
        auto stand_in = catalogue("python:3.11-slim");
        if (stand_in) stand_in.Value().contents_known = false;
        return stand_in;
      }
      return catalogue(ref);
    };
  }

  V Build(App& app, bool no_cache) {
    plan::Plan plan = app.MakePlan();
    BuildExecutor executor(layers, texts, Resolver(), app.dir.string());
    now += 180;
    auto built = plan::ExecutePlan(plan, executor, app.record, {no_cache, now, nullptr, nullptr});
    if (!built) FAIL(built.Error().message);
    V out;
    for (const plan::StepReport& r : built->steps) {
      out.push_back(r.verdict == plan::CacheVerdict::kHit ? "HIT" : "MISS: " + r.reason);
    }
    return out;
  }
};

TEST_CASE("scenarios: the simulator's cached steps are BuildKit's", "[sim][scenario]") {
  for (const plan::testing::Scenario& scenario : plan::testing::Scenarios()) {
    INFO("scenario: " << scenario.name);
    App app;
    app.dockerfile = scenario.dockerfile;
    app.options.target = scenario.target;
    SimBuilder sim;
    V first = sim.Build(app, false);
    CHECK(std::all_of(first.begin(), first.end(),
                      [](const std::string& v) { return v == "MISS: never built"; }));
    scenario.change(app);
    CHECK(sim.Build(app, scenario.no_cache) == scenario.expected);
  }
}

}  // namespace
}  // namespace dockit::sim

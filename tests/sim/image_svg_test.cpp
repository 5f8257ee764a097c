#include "sim/image_svg.hpp"

#include <catch2/catch.hpp>
#include <sstream>

#include "planner/layer_svg.hpp"
#include "sim/build_command.hpp"

namespace dockit::sim {
namespace {

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST_CASE("the layer stack and cache timeline pictures", "[sim][svg]") {
  LayerStore layers;
  TextStore texts;
  plan::BuildRecord record;
  BuildWorld world{layers, texts, record, 1000, CatalogueResolver(layers, texts)};
  BuildRequest request;
  request.context = std::string(DOCKIT_SOURCE_DIR) + "/examples/hello";
  std::ostringstream progress;
  auto built = RunBuild(request, world, progress);
  REQUIRE(built);
  std::string stack = ImageLayersSvg(built->image, "hello");
  CHECK(stack.starts_with("<svg "));
  // One bar per layer (plus the background rectangle).
  CHECK(Count(stack, "<rect ") == built->image.layers.Layers().size() + 1);
  CHECK(stack.find("COPY app.py . # buildkit") != std::string::npos);

  world.now += 60;
  auto again = RunBuild(request, world, progress);
  REQUIRE(again);
  std::string timeline = BuildTimelineSvg(*again->plan, again->steps, "hello");
  CHECK(timeline.find("steps from the cache") != std::string::npos);
  CHECK(Count(timeline, plan::kFillCached) == again->cached);
}

}  // namespace
}  // namespace dockit::sim

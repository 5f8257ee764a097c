#include "sim/image.hpp"

#include <catch2/catch.hpp>

#include "sim/image_catalogue.hpp"

namespace dockit::sim {
namespace {

Image Alpine() {
  auto base = FindBaseImage("alpine:3.20");
  REQUIRE(base.Ok());
  Image image{base.Value().layers, base.Value().config, {}, 0};
  for (const auto& line : base.Value().history) image.history.push_back({line, 0, 0, false});
  return image;
}

TEST_CASE("an image ID is the same for the same image and changes with any part of it", "[sim]") {
  Image a = Alpine();
  Image b = Alpine();
  CHECK(ImageId(a) == ImageId(b));
  CHECK(ImageId(a).rfind("sha256:", 0) == 0);

  Image env = a;
  env.config.env.push_back({"X", "1"});
  Image cmd = a;
  cmd.config.cmd = {"sh", "-c", "true"};
  Image history = a;
  history.history.push_back({"CMD [\"sh\"]", 0, 0, true});
  Image layers = a;
  layers.layers = LayerStack();
  Image created = a;
  created.created = 1;
  for (const Image* changed : {&env, &cmd, &history, &layers, &created}) {
    CHECK(ImageId(*changed) != ImageId(a));
  }
}

}  // namespace
}  // namespace dockit::sim

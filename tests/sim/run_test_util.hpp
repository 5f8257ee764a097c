// A RUN step's world for the RUN model tests: a catalogue base image, its text files in a text
// store, a working layer over it and a context to run scripts in.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "parser/shell.hpp"
#include "sim/image_catalogue.hpp"
#include "sim/run_model.hpp"
#include "sim/text_store.hpp"
#include "sim/working_layer.hpp"

namespace dockit::sim::testing {

struct RunWorld {
  explicit RunWorld(std::string_view reference = "debian:bookworm-slim") {
    Result<CatalogueImage> found = FindBaseImage(reference);
    REQUIRE(found.Ok());
    image = std::make_unique<CatalogueImage>(std::move(found).Value());
    for (const auto& [path, text] : image->text_files) texts.Put(text);
    layer = std::make_unique<WorkingLayer>(image->layers);
    context.layer = layer.get();
    context.texts = &texts;
    context.env = image->config.env;
  }

  RunOutcome Run(std::string_view script) {
    scripts.push_back(ParseShell(script));
    return RunScript(scripts.back(), context);
  }

  // The text of a file in the view, "" when absent or not text.
  std::string Text(std::string_view path) const {
    Result<Node> node = layer->View().Stat(path);
    if (!node) return "";
    std::optional<std::string_view> text = texts.Get(node->digest);
    return text ? std::string(*text) : "";
  }
  const Node* At(std::string_view path) const { return layer->View().Find(path); }
  uint64_t LayerBytes() const { return layer->Diff().size; }

  std::unique_ptr<CatalogueImage> image;
  TextStore texts;
  std::unique_ptr<WorkingLayer> layer;
  RunContext context;
  std::vector<ShellScript> scripts;
};

}  // namespace dockit::sim::testing

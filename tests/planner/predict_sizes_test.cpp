// `dexec plan`'s RUN sizes from the catalogues and declarations, through Predict.
#include <unistd.h>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "parser/dockerfile_parser.hpp"
#include "planner/npm_catalogue.hpp"
#include "planner/pip_catalogue.hpp"
#include "planner/predict.hpp"

namespace dockit::plan {
namespace {

namespace fs = std::filesystem;

struct Context {
  fs::path dir;
  Context() {
    dir = fs::temp_directory_path() / ("dockit-predict-sizes-" + std::to_string(::getpid()) + "-" +
                                       std::to_string(reinterpret_cast<uintptr_t>(this)));
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Context() { fs::remove_all(dir); }
  void Write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name) << text;
  }
  Prediction Predict(const std::string& dockerfile, const DeclaredSizes* declared = nullptr) {
    auto tree = ParseDockerfile(std::make_shared<SourceFile>("Dockerfile", dockerfile));
    REQUIRE(tree);
    PlanOptions options;
    options.context_dir = dir.string();
    auto plan = BuildPlan(*tree, options);
    REQUIRE(plan);
    PredictOptions predict;
    predict.context_dir = dir.string();
    predict.declared = declared;
    return plan::Predict(*plan, BuildRecord(), predict);
  }
};

TEST_CASE("RUN sizes from the pip and npm catalogues", "[planner][pip][npm]") {
  Context c;
  Prediction p = c.Predict("FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n");
  CHECK(p.steps.back().size == PipInstall({"flask"})->Bytes());
  CHECK(
      p.steps.back().size_source.starts_with("catalogue: pip: estimate from Debian's "
                                             "python3-flask"));

  c.Write("requirements.txt", "requests\npyyaml\n");
  p = c.Predict(
      "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
      "RUN pip install --no-cache-dir -r requirements.txt\n");
  CHECK(p.steps.back().size == PipInstall({"requests", "pyyaml"})->Bytes());
  // Not copied (or copied elsewhere): unknown.
  p = c.Predict(
      "FROM python:3.12-slim\nCOPY requirements.txt /src/\nWORKDIR /app\n"
      "RUN pip install --no-cache-dir -r requirements.txt\n");
  CHECK_FALSE(p.steps.back().size);
  CHECK(p.steps.back().size_source == "unknown");
  // A later COPY --from into that folder may have replaced it.
  p = c.Predict(
      "FROM busybox AS other\nFROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
      "COPY --from=other /etc/ /app/\nRUN pip install --no-cache-dir -r requirements.txt\n");
  CHECK_FALSE(p.steps.back().size);

  c.Write("package-lock.json",
          R"({"lockfileVersion": 3, "packages": {"": {}, "node_modules/cors": {"version": "2.8.6"},
              "node_modules/object-assign": {"version": "4.1.1"},
              "node_modules/vary": {"version": "1.1.2"}}})");
  c.Write("package.json", R"({"dependencies": {"cors": "^2.8.6"}})");
  p = c.Predict(
      "FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\n"
      "RUN npm ci --omit=dev && npm cache clean --force\n");
  CHECK(p.steps.back().size == NpmInstall({"cors"})->Bytes());
  CHECK(p.steps.back().size_source.starts_with("catalogue: npm: 3 packages from the catalogue"));
}

TEST_CASE("RUN sizes from declarations", "[planner][declared]") {
  Context c;
  DeclaredSizes declared;
  declared.urls["https://example.com/app.bin"] = 4096;
  Prediction p =
      c.Predict("FROM debian:12\nRUN curl -fsSLO https://example.com/app.bin\n", &declared);
  CHECK(p.steps.back().size == 4096u);
  CHECK(p.steps.back().size_source.starts_with("declared: "));
  CHECK_FALSE(
      c.Predict("FROM debian:12\nRUN curl -fsSLO https://example.com/app.bin\n").steps.back().size);
}

}  // namespace
}  // namespace dockit::plan

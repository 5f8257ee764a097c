// npm installs from the generated catalogue (planner/npm_catalogue_data.cpp).
#include "planner/npm_catalogue.hpp"

#include <catch2/catch.hpp>

#include "parser/dockerfile_parser.hpp"
#include "planner/run_size.hpp"

namespace dockit::plan {
namespace {

// Figures read off npm_catalogue_data.cpp.
constexpr uint64_t kReactDom = 8067632 + 178663 + 82659;  // react-dom, react, scheduler
constexpr uint64_t kCors = 19956 + 5493 + 8747;           // cors, object-assign, vary
constexpr uint64_t kLodash = 1413741;

TEST_CASE("npm install closures", "[planner][npm]") {
  auto dom = NpmInstall({"react-dom"});
  REQUIRE(dom);
  CHECK(dom->packages.size() == 3);
  CHECK(dom->Bytes() == kReactDom);
  // react is in react-dom's closure: counted once.
  CHECK(NpmInstall({"react", "react-dom"})->Bytes() == kReactDom);
  CHECK(NpmInstall({"cors", "lodash@latest"})->Bytes() == kCors + kLodash);
  CHECK(NpmInstall({"lodash@4.18.1"})->Bytes() == kLodash);
  CHECK(NpmInstall({"@types/node"}));
  CHECK_FALSE(NpmInstall({"lodash@3.0.0"}));  // another version than the catalogue's
  CHECK_FALSE(NpmInstall({"no-such-package-xyz"}));
  auto express = NpmInstall({"express"});
  REQUIRE(express);
  CHECK(express->packages.size() > 30);
}

TEST_CASE("npm ci from a package-lock.json", "[planner][npm]") {
  const char* lock = R"({
    "name": "app", "lockfileVersion": 3, "requires": true,
    "packages": {
      "": {"name": "app", "dependencies": {"cors": "^2.8.6"}, "devDependencies": {"lodash": "^4"}},
      "node_modules/cors": {"version": "2.8.6"},
      "node_modules/object-assign": {"version": "4.1.1"},
      "node_modules/vary": {"version": "1.1.2"},
      "node_modules/lodash": {"version": "4.18.1", "dev": true},
      "node_modules/@esbuild/darwin-arm64": {"version": "0.0.1", "optional": true,
                                             "os": ["darwin"], "cpu": ["arm64"]},
      "node_modules/local": {"resolved": "packages/local", "link": true}
    }})";
  auto all = NpmLockInstall(lock, false);
  REQUIRE(all);
  CHECK(all->Bytes() == kCors + kLodash);
  CHECK(NpmLockInstall(lock, true)->Bytes() == kCors);
  CHECK_FALSE(NpmLockInstall(R"({"lockfileVersion": 1, "dependencies": {}})", false));
  CHECK_FALSE(NpmLockInstall("not json", false));
  CHECK_FALSE(NpmLockInstall(
      R"({"lockfileVersion": 3, "packages": {"node_modules/x-unknown": {"version": "1.0.0"}}})",
      false));
}

std::optional<RunSize> Npm(const std::string& run, RunSizeContext context = {}) {
  auto file = std::make_shared<SourceFile>("Dockerfile", "FROM node:20\n" + run + "\n");
  auto tree = ParseDockerfile(file);
  REQUIRE(tree);
  context.base = "node:20";
  return PackageRunSize(ShellOf((*tree)->instructions[1], *file), context);
}

TEST_CASE("RUNs of npm installs", "[planner][npm]") {
  auto size = Npm("RUN npm install react-dom && npm cache clean --force");
  REQUIRE(size);
  CHECK(size->bytes == kReactDom);
  CHECK(size->source == "catalogue");
  CHECK(Npm("RUN npm i -g cors && rm -rf /root/.npm")->bytes == kCors);
  RunSizeContext mounted;  // Predict fills cache_mounts from the RUN's --mount=type=cache
  mounted.cache_mounts = {"/root/.npm"};
  CHECK(Npm("RUN --mount=type=cache,target=/root/.npm npm install cors", mounted)->bytes == kCors);
  // npm's cache stays in the layer: no figure for it.
  CHECK_FALSE(Npm("RUN npm install cors"));
  CHECK_FALSE(Npm("RUN npm install no-such-package-xyz && npm cache clean --force"));

  RunSizeContext context;
  context.workdir = "/srv";
  context.read_file = [](const std::string& path) -> std::optional<std::string> {
    if (path != "/srv/package-lock.json") return std::nullopt;
    return R"({"lockfileVersion": 2, "packages": {"": {},
      "node_modules/cors": {"version": "2.8.6"}, "node_modules/object-assign": {"version": "4.1.1"},
      "node_modules/vary": {"version": "1.1.2"},
      "node_modules/lodash": {"version": "4.18.1", "dev": true}}})";
  };
  CHECK(Npm("RUN npm ci && npm cache clean --force", context)->bytes == kCors + kLodash);
  CHECK(Npm("RUN npm ci --omit=dev && npm cache clean --force", context)->bytes == kCors);
  CHECK(Npm("RUN npm install --production && npm cache clean --force", context)->bytes == kCors);
  // `cd` moves where the lock is read.
  context.workdir = "/";
  CHECK(Npm("RUN cd /srv && npm ci --omit=dev && npm cache clean --force", context)->bytes ==
        kCors);
  CHECK_FALSE(Npm("RUN npm ci --omit=dev && npm cache clean --force", context));
  // No COPY put a lock there.
  CHECK_FALSE(Npm("RUN npm ci && npm cache clean --force"));
}

}  // namespace
}  // namespace dockit::plan

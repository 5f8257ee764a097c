#include "linter/config.hpp"

#include <unistd.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace dockit::lint {
namespace {

namespace fs = std::filesystem;

// A scratch repository: root/.git, root/.dlint.yaml, root/sub/.hadolint.yaml ...
struct ScratchRepo {
  fs::path root;
  ScratchRepo() {
    root = fs::temp_directory_path() / ("dlint-config-" + std::to_string(::getpid()));
    fs::remove_all(root);
    fs::create_directories(root / ".git");
    fs::create_directories(root / "a/b");
  }
  ~ScratchRepo() { fs::remove_all(root); }
  void Write(const fs::path& rel, const std::string& text) { std::ofstream(root / rel) << text; }
};

TEST_CASE("configuration files from the repository root down", "[linter][config]") {
  ScratchRepo repo;
  repo.Write(".dlint.yaml",
             "ignored: [DL3020]\nfailure-threshold: warning\noverride:\n  info: [undefined-var]\n");
  repo.Write("a/.hadolint.yaml", "ignored:\n  - DL3024\ntrustedRegistries: [docker.io]\n");
  repo.Write("a/b/.dlint.yaml", "failure-threshold: error\n");
  Config config;
  std::string error;
  REQUIRE(LoadConfigFor((repo.root / "a/b").string(), &config, &error));
  CHECK(config.sources.size() == 3);
  CHECK(config.ignored == std::vector<std::string>{"add-instead-of-copy", "duplicate-stage-name"});
  CHECK(config.failure_threshold == Severity::kError);  // the nearest file wins
  CHECK(config.severity.at("undefined-var") == Severity::kInfo);
  CHECK(config.trusted_registries == std::vector<std::string>{"docker.io"});

  // Above the repository root nothing is read.
  Config above;
  REQUIRE(LoadConfigFor(repo.root.string(), &above, &error));
  CHECK(above.sources.size() == 1);
}

TEST_CASE("compose rules are configured like the others", "[linter][config][compose]") {
  ScratchRepo repo;
  repo.Write(".dlint.yaml",
             "ignored: [compose-obsolete-version]\noverride:\n  error: [compose-port-base60]\n");
  Config config;
  std::string error;
  REQUIRE(LoadConfigFor(repo.root.string(), &config, &error));
  LintOptions options;
  ApplyConfig(config, &options);
  auto result = LintFile(std::make_shared<SourceFile>(
                             "compose.yaml", "version: '3'\nservices:\n  a:\n    ports: [22:22]\n"),
                         options);
  REQUIRE(result.findings.size() == 1);
  CHECK(result.findings[0].rule == "compose-port-base60");
  CHECK(result.findings[0].severity == Severity::kError);
}

TEST_CASE("configuration errors name the file and the problem", "[linter][config]") {
  ScratchRepo repo;
  repo.Write(".dlint.yaml", "ignored: [DL9999]\n");
  Config config;
  std::string error;
  CHECK_FALSE(LoadConfigFor(repo.root.string(), &config, &error));
  CHECK(error.find(".dlint.yaml: ignored: unknown rule \"DL9999\"") != std::string::npos);
  repo.Write(".dlint.yaml", "ignored: [a\n");
  CHECK_FALSE(LoadConfigFor(repo.root.string(), &config, &error));
  CHECK(error.find(".dlint.yaml:") != std::string::npos);
  repo.Write(".dlint.yaml", "failure-threshold: loud\n");
  CHECK_FALSE(LoadConfigFor(repo.root.string(), &config, &error));
  CHECK(error.find("unknown severity \"loud\"") != std::string::npos);
}

TEST_CASE("DLINT_ environment variables", "[linter][config]") {
  ::setenv("DLINT_IGNORE", "DL3020,undefined-var", 1);
  ::setenv("DLINT_FAILURE_THRESHOLD", "style", 1);
  Config config;
  std::string error;
  REQUIRE(MergeEnvironment(&config, &error));
  CHECK(config.ignored == std::vector<std::string>{"add-instead-of-copy", "undefined-var"});
  CHECK(config.failure_threshold == Severity::kStyle);
  ::setenv("DLINT_IGNORE", "nope", 1);
  CHECK_FALSE(MergeEnvironment(&config, &error));
  ::unsetenv("DLINT_IGNORE");
  ::unsetenv("DLINT_FAILURE_THRESHOLD");
}

}  // namespace
}  // namespace dockit::lint

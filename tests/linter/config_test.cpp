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

TEST_CASE("pragma switches in the configuration and the environment", "[linter][config]") {
  ScratchRepo repo;
  repo.Write(".hadolint.yaml", "disable-ignore-pragma: true\n");
  repo.Write("a/.dlint.yaml", "require-reason: yes\n");
  Config config;
  std::string error;
  REQUIRE(LoadConfigFor((repo.root / "a").string(), &config, &error));
  CHECK(config.disable_ignore_pragma == true);
  CHECK(config.require_reason == true);
  LintOptions options;
  ApplyConfig(config, &options);
  CHECK(options.disable_ignore_pragma);
  CHECK(options.require_reason);

  ::setenv("DLINT_REQUIRE_REASON", "false", 1);
  REQUIRE(MergeEnvironment(&config, &error));
  CHECK(config.require_reason == false);
  ::setenv("DLINT_REQUIRE_REASON", "maybe", 1);
  CHECK_FALSE(MergeEnvironment(&config, &error));
  CHECK(error == "DLINT_REQUIRE_REASON: expected true or false, not \"maybe\"");
  ::unsetenv("DLINT_REQUIRE_REASON");

  repo.Write("a/.dlint.yaml", "require-reason: sometimes\n");
  CHECK_FALSE(LoadConfigFor((repo.root / "a").string(), &config, &error));
  CHECK(error.find(".dlint.yaml: require-reason: expected true or false") != std::string::npos);
}

TEST_CASE("label-schema and strict-labels from .dlint.yaml and .hadolint.yaml",
          "[linter][config]") {
  ScratchRepo repo;
  // hadolint's keys are the same in both formats; nearer files override a label's type.
  repo.Write(".hadolint.yaml",
             "label-schema:\n  maintainer: text\n  org.opencontainers.image.created: rfc3339\n"
             "  org.opencontainers.image.licenses: spdx\n  team: \"\"\nstrict-labels: true\n");
  repo.Write("a/.dlint.yaml",
             "label-schema:\n  maintainer: email\n  org.opencontainers.image.revision: hash\n"
             "  org.opencontainers.image.version: semver\n  org.opencontainers.image.url: url\n"
             "  owner:\nstrict-labels: false\n");
  Config config;
  std::string error;
  REQUIRE(LoadConfigFor((repo.root / "a/b").string(), &config, &error));
  using L = LabelType;
  CHECK(config.label_schema == std::map<std::string, LabelType, std::less<>>{
                                   {"maintainer", L::kEmail},
                                   {"org.opencontainers.image.created", L::kRfc3339},
                                   {"org.opencontainers.image.licenses", L::kSpdx},
                                   {"org.opencontainers.image.revision", L::kHash},
                                   {"org.opencontainers.image.url", L::kUrl},
                                   {"org.opencontainers.image.version", L::kSemver},
                                   {"owner", L::kText},
                                   {"team", L::kText},
                               });
  CHECK(config.strict_labels == false);

  Config root_only;
  REQUIRE(LoadConfigFor(repo.root.string(), &root_only, &error));
  CHECK(root_only.strict_labels == true);
  CHECK(root_only.label_schema.size() == 4);

  // The command line's types win; strict-labels from either side turns it on.
  LintOptions options;
  options.settings.label_schema["maintainer"] = LabelType::kText;
  ApplyConfig(config, &options);
  CHECK(options.settings.label_schema.at("maintainer") == LabelType::kText);
  CHECK(options.settings.label_schema.at("owner") == LabelType::kText);
  CHECK_FALSE(options.settings.strict_labels);
  ApplyConfig(root_only, &options);
  CHECK(options.settings.strict_labels);
}

TEST_CASE("label schema errors name the file", "[linter][config]") {
  ScratchRepo repo;
  Config config;
  std::string error;
  repo.Write(".dlint.yaml", "label-schema:\n  maintainer: mail\n");
  CHECK_FALSE(LoadConfigFor(repo.root.string(), &config, &error));
  CHECK(error.find(".dlint.yaml:2: label-schema: unknown type \"mail\" for label \"maintainer\"") !=
        std::string::npos);
  repo.Write(".dlint.yaml", "label-schema: [maintainer]\n");
  CHECK_FALSE(LoadConfigFor(repo.root.string(), &config, &error));
  CHECK(error.find(".dlint.yaml: label-schema: expected a mapping") != std::string::npos);
  repo.Write(".dlint.yaml", "strict-labels: maybe\n");
  CHECK_FALSE(LoadConfigFor(repo.root.string(), &config, &error));
  CHECK(error.find(".dlint.yaml:1: strict-labels: expected true or false") != std::string::npos);
  fs::remove(repo.root / ".dlint.yaml");
  repo.Write(".hadolint.yaml", "label-schema:\n  maintainer: URL\n");
  CHECK_FALSE(LoadConfigFor(repo.root.string(), &config, &error));
  CHECK(error.find(".hadolint.yaml:2: label-schema: unknown type \"URL\"") != std::string::npos);
}

TEST_CASE("required labels given as LABEL:TYPE (--require-label)", "[linter][config]") {
  std::string label, error;
  LabelType type = LabelType::kUrl;
  REQUIRE(ParseRequiredLabel("maintainer:email", &label, &type, &error));
  CHECK(label == "maintainer");
  CHECK(type == LabelType::kEmail);
  REQUIRE(ParseRequiredLabel("team", &label, &type, &error));  // no type: text, as in hadolint
  CHECK((label == "team" && type == LabelType::kText));
  REQUIRE(ParseRequiredLabel("a:", &label, &type, &error));
  CHECK(type == LabelType::kText);
  CHECK_FALSE(ParseRequiredLabel("a:b:c", &label, &type, &error));  // the type is "b:c"
  CHECK(error.find("unknown label type \"b:c\"") != std::string::npos);
  CHECK_FALSE(ParseRequiredLabel(":url", &label, &type, &error));
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

  ::setenv("DLINT_REQUIRE_LABELS", "maintainer:email,org.opencontainers.image.source:url", 1);
  ::setenv("DLINT_STRICT_LABELS", "true", 1);
  Config labels;
  REQUIRE(MergeEnvironment(&labels, &error));
  CHECK(labels.label_schema.size() == 2);
  CHECK(labels.label_schema.at("org.opencontainers.image.source") == LabelType::kUrl);
  CHECK(labels.strict_labels == true);
  ::setenv("DLINT_REQUIRE_LABELS", "maintainer:mail", 1);
  CHECK_FALSE(MergeEnvironment(&labels, &error));
  CHECK(error.find("DLINT_REQUIRE_LABELS: unknown label type \"mail\"") != std::string::npos);
  ::unsetenv("DLINT_REQUIRE_LABELS");
  ::setenv("DLINT_STRICT_LABELS", "sometimes", 1);
  CHECK_FALSE(MergeEnvironment(&labels, &error));
  ::unsetenv("DLINT_STRICT_LABELS");
}

TEST_CASE("ShellCheck codes and the shellcheck switch", "[linter][config]") {
  ScratchRepo repo;
  repo.Write(".dlint.yaml",
             "ignored: [sc2086, shellcheck]\noverride:\n  error: [SC2154]\nshellcheck: false\n");
  Config config;
  std::string error;
  REQUIRE(LoadConfigFor(repo.root.string(), &config, &error));
  CHECK(config.ignored == std::vector<std::string>{"SC2086", "shellcheck"});
  CHECK(config.severity.at("SC2154") == Severity::kError);
  CHECK(config.shellcheck == false);
  LintOptions options;
  options.shellcheck.enabled = true;
  ApplyConfig(config, &options);
  CHECK_FALSE(options.shellcheck.enabled);

  // The environment overrides the files; `true` cannot turn on what the command line turned off.
  ::setenv("DLINT_SHELLCHECK", "true", 1);
  REQUIRE(MergeEnvironment(&config, &error));
  CHECK(config.shellcheck == true);
  options.shellcheck.enabled = false;
  ApplyConfig(config, &options);
  CHECK_FALSE(options.shellcheck.enabled);
  ::setenv("DLINT_SHELLCHECK", "maybe", 1);
  CHECK_FALSE(MergeEnvironment(&config, &error));
  CHECK(error == "DLINT_SHELLCHECK: expected true or false, not \"maybe\"");
  ::unsetenv("DLINT_SHELLCHECK");

  repo.Write(".dlint.yaml", "shellcheck: [1]\n");
  Config bad;
  CHECK_FALSE(LoadConfigFor(repo.root.string(), &bad, &error));
  CHECK(error.find(".dlint.yaml: shellcheck: expected true or false") != std::string::npos);
}

}  // namespace
}  // namespace dockit::lint

// The engine's compose path: dispatch by file name, syntax errors, ignores, pragmas,
// severity overrides, one finding per anchored block, and the project folder seam.
#include <rapidcheck.h>
#include <rapidcheck/catch.h>

#include <catch2/catch.hpp>

#include "linter/engine.hpp"

namespace dockit::lint {
namespace {

std::vector<std::string> Findings(std::string text, LintOptions options = {},
                                  std::string name = "compose.yaml") {
  auto result = LintFile(std::make_shared<SourceFile>(std::move(name), std::move(text)), options);
  std::vector<std::string> out;
  for (const Finding& f : result.findings) {
    out.push_back(std::to_string(f.range.begin.line) + ":" + std::to_string(f.range.begin.column) +
                  " " + std::string(f.rule) + " " + SeverityName(f.severity));
  }
  return out;
}

const char* kCompose =
    "version: '3'\n"
    "services:\n"
    "  ssh:\n"
    "    image: linuxserver/openssh-server\n"
    "    ports:\n"
    "      - 22:22\n";

TEST_CASE("compose files are linted by the compose rules only", "[linter][compose]") {
  CHECK(IsComposePath("compose.yaml"));
  CHECK(IsComposePath("dir/docker-compose.prod.yml"));
  CHECK_FALSE(IsComposePath("Dockerfile"));
  CHECK(Findings(kCompose) == std::vector<std::string>{"1:1 compose-obsolete-version warning",
                                                       "6:9 compose-port-base60 warning"});
  // The same text as a Dockerfile is a Dockerfile syntax error, not a compose finding.
  CHECK(Findings(kCompose, {}, "Dockerfile").at(0).find("compose") == std::string::npos);
}

TEST_CASE("YAML errors are one compose-syntax-error finding", "[linter][compose]") {
  CHECK(Findings("services:\n  a:\n    image: x\n   ports: []\n") ==
        std::vector<std::string>{"4:4 compose-syntax-error error"});
  CHECK(Findings("services:\n  a: \xff\n") ==
        std::vector<std::string>{"2:6 compose-syntax-error error"});
  LintOptions off;
  off.ignored.insert("compose-syntax-error");
  CHECK(Findings("a: [\n", off).empty());
}

TEST_CASE("compose findings obey ignores, overrides and pragmas", "[linter][compose]") {
  LintOptions options;
  options.ignored.insert("compose-obsolete-version");
  options.severity["compose-port-base60"] = Severity::kError;
  CHECK(Findings(kCompose, options) == std::vector<std::string>{"6:9 compose-port-base60 error"});

  std::string pragmas =
      "# dlint ignore=compose-obsolete-version\n"
      "version: '3'\n"
      "services:\n"
      "  ssh:\n"
      "    image: linuxserver/openssh-server\n"
      "    # dlint ignore=compose-port-base60 # the host runs sshd on 2222 for this\n"
      "    ports:\n"
      "    - 22:22\n"
      "  dns:\n"
      "    image: pihole/pihole\n"
      "    ports:\n"
      "      - 53:53\n";
  CHECK(Findings(pragmas) == std::vector<std::string>{"12:9 compose-port-base60 warning"});
  CHECK(Findings("# dlint global ignore=compose-port-base60,compose-obsolete-version\n" +
                 std::string(kCompose))
            .empty());
  LintOptions no_pragmas;
  no_pragmas.disable_ignore_pragma = true;
  CHECK(Findings(pragmas, no_pragmas).size() == 3);
}

TEST_CASE("a finding in an anchored block is reported once", "[linter][compose]") {
  std::string text =
      "x-ports: &ports\n"
      "  ports:\n"
      "    - 22:22\n"
      "services:\n"
      "  a:\n"
      "    <<: *ports\n"
      "  b:\n"
      "    <<: *ports\n";
  CHECK(Findings(text) == std::vector<std::string>{"3:7 compose-port-base60 warning"});
}

TEST_CASE("build paths are checked only with a known project folder", "[linter][compose]") {
  std::string text = "services:\n  api:\n    build: ./api\n";
  CHECK(Findings(text).empty());  // stdin, --no-context
  LintOptions options;
  options.project = ListedProject({});
  CHECK(Findings(text, options) ==
        std::vector<std::string>{"3:12 compose-build-path-missing error"});
  options.project = ListedProject({"./api/Dockerfile"});
  CHECK(Findings(text, options).empty());
  CHECK(options.project->Stat("api") == ProjectFiles::Kind::kDirectory);
  CHECK(options.project->Stat("api/") == ProjectFiles::Kind::kDirectory);
  CHECK(options.project->Stat("./api/Dockerfile") == ProjectFiles::Kind::kFile);
  CHECK(options.project->Stat("ap") == ProjectFiles::Kind::kMissing);
  CHECK(options.project->Stat(".") == ProjectFiles::Kind::kDirectory);
}

// Every compose rule on mangled compose text: no crash, no exception, every finding inside the
// file (the rules follow pointers into the YAML tree and compute offsets inside scalars).
TEST_CASE("compose rules survive mangled files", "[linter][compose][property]") {
  const std::string seed =
      "version: '3'\n"
      "x-env: &env\n"
      "  environment:\n"
      "    - DATABASE_URL=postgres://u:p@localhost:5432/db\n"
      "    REDIS_HOST: \"127.0.0.1\"\n"
      "services:\n"
      "  app:\n"
      "    <<: *env\n"
      "    build: {context: ./app, dockerfile: Dockerfile}\n"
      "    depends_on: [db, {x: 1}]\n"
      "    ports: [22:22, \"80:80\", {target: 22}]\n"
      "  db:\n"
      "    image: postgres\n"
      "    healthcheck:\n"
      "      test: |\n"
      "        pg_isready\n"
      "    depends_on:\n"
      "      app:\n"
      "        condition: service_healthy\n";
  rc::prop("findings stay inside the file", [&] {
    std::string text = seed;
    int edits = *rc::gen::inRange(1, 6);
    for (int i = 0; i < edits; ++i) {
      size_t at = *rc::gen::inRange<size_t>(0, text.size() + 1);
      if (*rc::gen::arbitrary<bool>()) {
        size_t n = *rc::gen::inRange<size_t>(0, 12);
        text.erase(at, n);
      } else {
        std::string piece = *rc::gen::container<std::string>(
            rc::gen::elementOf(std::string(" \n:-[]{},&*!|>'\"#<lxh0129$\t\xc3\xa9")));
        text.insert(at, piece);
      }
    }
    LintOptions options;
    options.project = ListedProject({"app/Dockerfile"});
    auto result = LintFile(std::make_shared<SourceFile>("compose.yaml", text), options);
    for (const Finding& f : result.findings) {
      RC_ASSERT(f.range.begin.offset <= f.range.end.offset);
      RC_ASSERT(f.range.end.offset <= text.size());
      RC_ASSERT(f.rule.starts_with("compose-"));
    }
  });
}

}  // namespace
}  // namespace dockit::lint

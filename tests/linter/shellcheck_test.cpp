#include "linter/shellcheck.hpp"

#include <unistd.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "linter/engine.hpp"
#include "linter/subprocess.hpp"
#include "parser/dockerfile_parser.hpp"

namespace dockit::lint {
namespace {

struct Parsed {
  std::shared_ptr<const SourceFile> file;
  std::shared_ptr<const SyntaxTree> tree;
  Analysis analysis;
  std::vector<ShellScript> shells;
  std::vector<ShellCheckScript> scripts;
};

Parsed Scripts(std::string text) {
  Parsed p;
  p.file = std::make_shared<SourceFile>("Dockerfile", std::move(text));
  auto tree = ParseDockerfile(p.file);
  REQUIRE(tree.Ok());
  p.tree = *tree;
  p.analysis = AnalyzeDockerfile(p.tree);
  p.shells = ShellViewsOf(*p.tree);
  p.scripts = ShellCheckScripts(*p.tree, p.analysis, p.shells);
  return p;
}

std::string Pos(const SourceRange& r) {
  return std::to_string(r.begin.line) + ":" + std::to_string(r.begin.column) + "-" +
         std::to_string(r.end.line) + ":" + std::to_string(r.end.column);
}

// ---- Without the program: scripts, headers and the position mapping -------------------------

TEST_CASE("a shell-form RUN is its joined line, mapped across continuations",
          "[linter][shellcheck]") {
  Parsed p = Scripts("FROM alpine\nARG version\nENV HOME_DIR=/x\nRUN echo a \\\n\t  $b\n");
  REQUIRE(p.scripts.size() == 1);
  const ShellCheckScript& s = p.scripts[0];
  CHECK(s.text == "echo a \t  $b");
  CHECK(s.dialect == ShellDialect::kSh);
  CHECK(s.Input() ==
        "#!/bin/sh\nexport HOME_DIR all_proxy ftp_proxy http_proxy https_proxy no_proxy "
        "version\necho a \t  $b");
  // json1 columns: line 3 of the input, tab counted as one column.
  auto b = s.OffsetOf(3, 11);
  REQUIRE(b);
  CHECK(*b == 10);
  CHECK(Pos(s.Map(*p.file, *b, *b + 2)) == "5:4-5:6");
  // A range across the removed continuation.
  CHECK(Pos(s.Map(*p.file, 5, 12)) == "4:10-5:6");
  CHECK_FALSE(s.OffsetOf(2, 1));  // the header
}

TEST_CASE("columns count code points", "[linter][shellcheck]") {
  Parsed p = Scripts("FROM alpine\nRUN echo \"é€\" $x\n");
  REQUIRE(p.scripts.size() == 1);
  auto x = p.scripts[0].OffsetOf(3, 11);
  REQUIRE(x);
  CHECK(Pos(p.scripts[0].Map(*p.file, *x, *x + 2)) == "2:18-2:20");
}

TEST_CASE("heredoc scripts", "[linter][shellcheck]") {
  SECTION("RUN <<EOF: the body, with the dialect of its shebang") {
    Parsed p = Scripts("FROM alpine\nRUN <<EOF\n#!/bin/bash\ncd /src\nEOF\n");
    REQUIRE(p.scripts.size() == 1);
    CHECK(p.scripts[0].text == "# /bin/bash\ncd /src\n");
    CHECK(p.scripts[0].dialect == ShellDialect::kBash);
    auto cd = p.scripts[0].OffsetOf(4, 1);
    REQUIRE(cd);
    CHECK(Pos(p.scripts[0].Map(*p.file, *cd, *cd + 2)) == "4:1-4:3");
  }
  SECTION("<<- bodies lose their leading tabs, positions stay exact") {
    Parsed p = Scripts("FROM alpine\nRUN <<-EOF\n\t\tcd /src\n\tEOF\n");
    REQUIRE(p.scripts.size() == 1);
    CHECK(p.scripts[0].text == "cd /src\n");
    CHECK(Pos(p.scripts[0].Map(*p.file, 0, 2)) == "3:3-3:5");
  }
  SECTION("CRLF bodies lose their CRs, as BuildKit reads them") {
    Parsed p = Scripts("FROM alpine\r\nRUN <<EOF\r\ncd /y\r\nmake\r\nEOF\r\n");
    REQUIRE(p.scripts.size() == 1);
    CHECK(p.scripts[0].text == "cd /y\nmake\n");
    CHECK(Pos(p.scripts[0].Map(*p.file, 6, 10)) == "4:1-4:5");
  }
  SECTION("a line with heredocs is the line, then each body and terminator") {
    Parsed p = Scripts("FROM alpine\nRUN cat <<A >/a && bash <<B\nx $y\nA\necho $z\nB\n");
    REQUIRE(p.scripts.size() == 2);
    CHECK(p.scripts[0].text == "cat <<A >/a && bash <<B\nx $y\nA\necho $z\nB");
    CHECK(p.scripts[1].text == "echo $z\n");  // bash reads that body as its script
    CHECK(p.scripts[1].dialect == ShellDialect::kBash);
    CHECK(Pos(p.scripts[0].Map(*p.file, 26, 28)) == "3:3-3:5");
  }
  SECTION("non-shell bodies and non-POSIX shells are not checked") {
    CHECK(
        Scripts("FROM alpine\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\n").scripts.empty());
    CHECK(Scripts("FROM alpine\nSHELL [\"pwsh\", \"-c\"]\nRUN echo $x\n").scripts.empty());
    CHECK(Scripts("FROM alpine\nRUN [\"sh\", \"-c\", \"echo $x\"]\n").scripts.empty());
  }
}

TEST_CASE("dialects and names in scope per stage", "[linter][shellcheck]") {
  Parsed p = Scripts(
      "ARG global\nFROM alpine AS a\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n"
      "ENV tool=1\nRUN a\nFROM a\nARG x\nRUN b\nFROM alpine\nRUN c\n");
  REQUIRE(p.scripts.size() == 3);
  CHECK(p.scripts[0].dialect == ShellDialect::kBash);
  CHECK(p.scripts[1].dialect == ShellDialect::kBash);  // inherited with FROM a
  CHECK(p.scripts[2].dialect == ShellDialect::kSh);
  auto has = [](const ShellCheckScript& s, std::string_view name) {
    return std::find(s.predeclared.begin(), s.predeclared.end(), name) != s.predeclared.end();
  };
  CHECK(has(p.scripts[0], "tool"));
  CHECK(has(p.scripts[1], "tool"));
  CHECK(has(p.scripts[1], "x"));
  CHECK_FALSE(has(p.scripts[2], "tool"));
  CHECK_FALSE(has(p.scripts[0], "global"));  // a global ARG must be declared again in a stage
  CHECK(Scripts("FROM alpine\nSHELL [\"/usr/bin/env\", \"bash\", \"-c\"]\nRUN a\n")
            .scripts.at(0)
            .dialect == ShellDialect::kBash);
  CHECK(DialectOf("/bin/ash") == ShellDialect::kDash);
  CHECK(DialectOf("mksh") == ShellDialect::kKsh);
  CHECK_FALSE(DialectOf("zsh"));
}

TEST_CASE("json1 output becomes findings with their code and level", "[linter][shellcheck]") {
  Parsed p = Scripts("FROM alpine\nRUN echo \\\n  $x\n");
  std::string json =
      R"({"comments":[{"file":"/dev/fd/9","line":3,"endLine":3,"column":8,"endColumn":10,)"
      R"("level":"info","code":2086,"message":"Double quote.","fix":null},)"
      R"({"file":"/dev/fd/9","line":2,"endLine":2,"column":1,"endColumn":3,)"
      R"("level":"warning","code":2034,"message":"in the header","fix":null}]})";
  auto findings = ParseShellCheckJson(json, p.scripts, {"/dev/fd/9"}, *p.file);
  REQUIRE(findings.Ok());
  REQUIRE(findings->size() == 1);
  const Finding& f = findings->front();
  CHECK(f.rule == "shellcheck");
  CHECK(f.code == "SC2086");
  CHECK(f.Id() == "SC2086");
  CHECK(f.severity == Severity::kInfo);
  CHECK(f.message == "Double quote.");
  CHECK(Pos(f.range) == "3:3-3:5");
  CHECK_FALSE(ParseShellCheckJson("Segmentation fault", p.scripts, {"/dev/fd/9"}, *p.file).Ok());
  auto bad = ParseShellCheckJson(R"({"comments":[{"file":"/dev/fd/9","line":"three"}]})", p.scripts,
                                 {"/dev/fd/9"}, *p.file);
  REQUIRE_FALSE(bad.Ok());
  CHECK(bad.Error().message == "shellcheck printed json1 output with unexpected types");
}

TEST_CASE("rule ids accept ShellCheck codes", "[linter][shellcheck]") {
  CHECK(CanonicalRuleId("sc2086") == "SC2086");
  CHECK(CanonicalRuleId("DL3008") == "apt-pin-versions");
  CHECK(CanonicalRuleId("SC20x6").empty());
  REQUIRE(FindRule("SC2154"));
  CHECK(FindRule("SC2154")->info.slug == "shellcheck");
}

// ---- With the program (skipped, visibly, when it is not installed) --------------------------

bool HaveShellCheck() {
  if (FindProgram("shellcheck")) return true;
  WARN("shellcheck is not installed: skipped");
  return false;
}

LintOptions WithShellCheck() {
  LintOptions options;
  options.only.insert("shellcheck");
  options.shellcheck.enabled = true;
  return options;
}

// "line:col code" of each finding.
std::vector<std::string> Run(std::string text, const LintOptions& options = WithShellCheck()) {
  LintResult r =
      LintDockerfile(std::make_shared<SourceFile>("Dockerfile", std::move(text)), options);
  CHECK(r.warnings.empty());
  std::vector<std::string> out;
  for (const Finding& f : r.findings) {
    out.push_back(std::to_string(f.range.begin.line) + ":" + std::to_string(f.range.begin.column) +
                  " " + std::string(f.Id()));
  }
  return out;
}

using Strings = std::vector<std::string>;

TEST_CASE("shellcheck: exact positions across continuations and tabs", "[linter][shellcheck]") {
  if (!HaveShellCheck()) return;
  CHECK(Run("FROM alpine\nRUN apk add --no-cache curl && \\\n    echo $name && \\\n"
            "\t\tls $dir\n") == Strings{"3:10 SC2154", "3:10 SC2086", "4:6 SC2154", "4:6 SC2086"});
}

TEST_CASE("shellcheck: heredoc bodies", "[linter][shellcheck]") {
  if (!HaveShellCheck()) return;
  CHECK(Run("FROM alpine\nRUN <<EOF\napk add curl\ncd /src\nmake\nEOF\n") == Strings{"4:1 SC2164"});
  CHECK(Run("FROM alpine\nRUN <<-EOF\n\tapk add curl\n\tcd /src\n\tmake\n\tEOF\n") ==
        Strings{"4:2 SC2164"});
  // Checked once as the body of the line, once as bash's script: reported once.
  CHECK(Run("FROM alpine\nRUN bash <<EOF\n[[ -d /x ]] && echo $v\nEOF\n") ==
        Strings{"3:21 SC2154", "3:21 SC2086"});
}

TEST_CASE("shellcheck: ARG and ENV names are declared", "[linter][shellcheck]") {
  if (!HaveShellCheck()) return;
  CHECK(
      Run("FROM alpine\nARG version\nENV home_dir=/x\nRUN echo \"$version $home_dir $other\"\n") ==
      Strings{"4:30 SC2154"});
  CHECK(Run("FROM alpine AS a\nENV tool=1\nFROM a\nRUN echo \"$tool\"\n").empty());
  CHECK(Run("FROM alpine\nRUN --mount=type=secret,id=t,env=token echo \"$token\"\n"
            "RUN echo \"$token\"\n") == Strings{"3:11 SC2154"});
  CHECK(Run("ARG v=1\nFROM alpine\nRUN echo \"$v\"\n") == Strings{"3:11 SC2154"});
}

TEST_CASE("shellcheck: the dialect comes from SHELL or the shebang", "[linter][shellcheck]") {
  if (!HaveShellCheck()) return;
  CHECK(Run("FROM debian:12\nRUN [[ -d /opt ]] && echo yes\n") == Strings{"2:5 SC3010"});
  CHECK(Run("FROM debian:12\nSHELL [\"/bin/bash\", \"-c\"]\nRUN [[ -d /opt ]] && echo yes\n")
            .empty());
  CHECK(Run("FROM debian:12\nRUN <<EOF\n#!/bin/bash\n[[ -d /opt ]] && echo yes\nEOF\n").empty());
  // Each RUN is its own script: the exit of the first does not make the second unreachable.
  CHECK(Run("FROM alpine\nRUN exit 0\nRUN echo \"$HOME\"\n").empty());
}

TEST_CASE("shellcheck: ignoring and overriding by code", "[linter][shellcheck]") {
  if (!HaveShellCheck()) return;
  CHECK(Run("FROM alpine\n# dlint ignore=SC2086\nRUN echo $name\n") == Strings{"3:10 SC2154"});
  CHECK(Run("FROM alpine\n# hadolint ignore=SC2086,SC2154\nRUN echo $name\n").empty());
  CHECK(Run("FROM alpine\n# dlint ignore=shellcheck\nRUN echo $name\n").empty());
  // The pragma covers the heredoc body of the instruction after it.
  CHECK(Run("FROM alpine\n# dlint ignore=SC2164\nRUN <<EOF\ncd /x\nmake\nEOF\n"
            "RUN <<EOF\ncd /x\nmake\nEOF\n") == Strings{"8:1 SC2164"});
  LintOptions options = WithShellCheck();
  options.ignored.insert("SC2154");
  options.severity["SC2086"] = Severity::kError;
  LintResult r = LintDockerfile(
      std::make_shared<SourceFile>("Dockerfile", "FROM alpine\nRUN echo $name\n"), options);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].code == "SC2086");
  CHECK(r.findings[0].severity == Severity::kError);
  options = WithShellCheck();
  options.only = {"SC2154"};
  CHECK(Run("FROM alpine\nRUN echo $name\n", options) == Strings{"2:10 SC2154"});
  options = WithShellCheck();
  options.shellcheck.enabled = false;  // --no-shellcheck
  CHECK(Run("FROM alpine\nRUN echo $name\n", options).empty());
}

TEST_CASE("shellcheck failing is a warning, not a crash", "[linter][shellcheck]") {
  namespace fs = std::filesystem;
  fs::path fake = fs::temp_directory_path() / ("dlint-fake-shellcheck-" + std::to_string(getpid()));
  auto lint = [&](const std::string& program) {
    LintOptions options = WithShellCheck();
    options.shellcheck.program = program;
    options.shellcheck.timeout_ms = 2000;
    return LintDockerfile(std::make_shared<SourceFile>("Dockerfile", "FROM alpine\nRUN echo\n"),
                          options);
  };
  std::ofstream(fake) << "#!/bin/sh\necho 'out of memory' >&2\nkill -SEGV $$\n";
  fs::permissions(fake, fs::perms::owner_all);
  LintResult crashed = lint(fake.string());
  CHECK(crashed.findings.empty());
  CHECK(crashed.warnings ==
        std::vector<std::string>{"shellcheck was killed by signal 11: out of memory"});
  std::ofstream(fake) << "#!/bin/sh\necho 'bad option' >&2\nexit 3\n";
  CHECK(lint(fake.string()).warnings ==
        std::vector<std::string>{"shellcheck failed with exit status 3: bad option"});
  std::ofstream(fake) << "#!/bin/sh\necho garbage\nexit 1\n";
  CHECK(lint(fake.string()).warnings ==
        std::vector<std::string>{"shellcheck printed something that is not json1 output"});
  fs::remove(fake);
  LintResult missing = lint("/nonexistent/shellcheck");
  REQUIRE(missing.warnings.size() == 1);
  CHECK(missing.warnings[0].starts_with("cannot run /nonexistent/shellcheck"));
  // No RUN: nothing to check, no process.
  LintOptions options = WithShellCheck();
  options.shellcheck.program = "/nonexistent/shellcheck";
  CHECK(LintDockerfile(std::make_shared<SourceFile>("Dockerfile", "FROM alpine\n"), options)
            .warnings.empty());
}

}  // namespace
}  // namespace dockit::lint

// The machine formats: SARIF columns in UTF-16, Code Climate and GitLab issues with stable,
// unique fingerprints, JUnit counts, and XML that stays well-formed.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "linter/output.hpp"

namespace dockit::lint {
namespace {

using nlohmann::json;

LintResult Lint(std::string text) {
  LintOptions options;
  options.only = {"add-instead-of-copy", "maintainer-deprecated"};
  return LintDockerfile(std::make_shared<SourceFile>("Dockerfile", std::move(text)), options);
}

const char* kTwoAdds = "FROM alpine\nADD a /a\nADD b /b\n";

// A result with one hand-made finding over `text`'s bytes [begin, end).
LintResult OneFinding(std::string text, uint32_t begin, uint32_t end, std::string message) {
  auto file = std::make_shared<SourceFile>("Dockerfile", std::move(text));
  Finding f{"add-instead-of-copy", Severity::kError, std::move(message), file->RangeOf(begin, end),
            Fix{"fix it", {{begin, end, "x"}}}};
  return LintResult{file, {f}, {}};
}

TEST_CASE("SARIF regions count UTF-16 code units", "[linter][formats]") {
  // "é" is 2 bytes and 1 unit, "😀" 4 bytes and 2 units: byte column 14 is UTF-16 column 11.
  std::string text = "FROM alpine\nADD \"é😀\" x /a\n";
  uint32_t begin = static_cast<uint32_t>(text.find(" x ") + 1);
  LintResult r = OneFinding(text, begin, begin + 1, "m");
  REQUIRE(r.findings[0].range.begin.column == 14);
  json sarif = json::parse(FormatAll(OutputFormat::kSarif, {r}));
  json run = sarif["runs"][0];
  CHECK(run["columnKind"] == "utf16CodeUnits");
  json region = run["results"][0]["locations"][0]["physicalLocation"]["region"];
  CHECK(region["startLine"] == 2);
  CHECK(region["startColumn"] == 11);
  CHECK(region["endColumn"] == 12);
  json deleted =
      run["results"][0]["fixes"][0]["artifactChanges"][0]["replacements"][0]["deletedRegion"];
  CHECK(deleted["startColumn"] == 11);
}

TEST_CASE("Code Climate and GitLab issues have stable unique fingerprints", "[linter][formats]") {
  LintResult r = Lint(kTwoAdds);
  REQUIRE(r.findings.size() == 2);
  std::string stream = FormatAll(OutputFormat::kCodeClimate, {r});
  std::vector<json> issues;
  for (size_t pos = 0; pos < stream.size();) {
    size_t nul = stream.find('\0', pos);
    REQUIRE(nul != std::string::npos);  // every issue ends with NUL
    issues.push_back(json::parse(stream.substr(pos, nul - pos)));
    pos = nul + 1;
  }
  REQUIRE(issues.size() == 2);
  CHECK(issues[0]["type"] == "issue");
  CHECK(issues[0]["check_name"] == "add-instead-of-copy");
  CHECK(issues[0]["location"]["path"] == "Dockerfile");
  CHECK(issues[0]["location"]["lines"]["begin"] == 2);
  CHECK(issues[0]["severity"] == "critical");

  json gitlab = json::parse(FormatAll(OutputFormat::kGitlab, {r}));
  REQUIRE(gitlab.is_array());
  REQUIRE(gitlab.size() == 2);
  std::set<std::string> prints{gitlab[0]["fingerprint"], gitlab[1]["fingerprint"]};
  CHECK(prints.size() == 2);
  CHECK(gitlab[0]["fingerprint"] == issues[0]["fingerprint"]);
  // Adding lines above keeps the fingerprints: they hash the flagged text, not the line.
  json shifted = json::parse(
      FormatAll(OutputFormat::kGitlab, {Lint(std::string("# a comment\n\n") + kTwoAdds)}));
  CHECK(shifted[0]["fingerprint"] == gitlab[0]["fingerprint"]);
  CHECK(shifted[1]["fingerprint"] == gitlab[1]["fingerprint"]);
  CHECK(shifted[0]["location"]["lines"]["begin"] == 4);
}

TEST_CASE("JUnit has a failing case per finding and a passing case per clean file",
          "[linter][formats]") {
  LintResult dirty = Lint(kTwoAdds);
  LintResult clean = Lint("FROM alpine\nCOPY a /a\n");
  std::string xml = FormatAll(OutputFormat::kJunit, {dirty, clean});
  CHECK(xml.find("<testsuites name=\"dlint\" tests=\"3\" failures=\"2\">") != std::string::npos);
  CHECK(xml.find("name=\"add-instead-of-copy at Dockerfile:2:1\"") != std::string::npos);
  CHECK(xml.find("<testcase classname=\"Dockerfile\" name=\"Dockerfile\"/>") != std::string::npos);
}

TEST_CASE("XML output escapes markup and drops control characters", "[linter][formats]") {
  LintResult r = OneFinding("FROM alpine\n", 0, 4, "<me> & \"you\" \x01 'q'");
  for (OutputFormat format : {OutputFormat::kCheckstyle, OutputFormat::kJunit}) {
    std::string xml = FormatAll(format, {r});
    CHECK(xml.find('\x01') == std::string::npos);
    CHECK(xml.find("<me>") == std::string::npos);
    CHECK(xml.find("&lt;me&gt; &amp; &quot;you&quot;  &apos;q&apos;") != std::string::npos);
  }
}

}  // namespace
}  // namespace dockit::lint

namespace dockit::lint {
namespace {

TEST_CASE("tty colours only when asked", "[linter][formats]") {
  LintResult r = OneFinding("FROM alpine\n", 0, 4, "m");
  std::string plain = FormatTty(r, false);
  CHECK(plain.find('\033') == std::string::npos);
  CHECK(plain.rfind("Dockerfile:1:1: error: m [add-instead-of-copy]\n", 0) == 0);
  std::string colored = FormatTty(r, true);
  CHECK(colored.find("\033[1mDockerfile:1:1:\033[0m \033[1;31merror:\033[0m") == 0);
  CHECK(colored.find("\033[1;32m^~~~\033[0m") != std::string::npos);
  CHECK(colored.find("\033[1;32mhelp:\033[0m fix it") != std::string::npos);
}

}  // namespace
}  // namespace dockit::lint

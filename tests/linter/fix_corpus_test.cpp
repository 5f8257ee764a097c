// The three promises of --fix, checked on every real Dockerfile in ../shared/corpus/real with
// every rule on (opt-in ones too): fixing is idempotent, the fixed file still parses to the
// same stages, and a rule whose findings were fixed no longer fires.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

#include "linter/fix.hpp"
#include "parser/dockerfile_parser.hpp"
#include "tests/parser/test_support.hpp"

namespace dockit::lint {
namespace {

LintOptions EveryRule() {
  LintOptions options;
  for (const Rule* rule : AllRules()) {
    if (rule->info.opt_in) options.enabled.insert(std::string(rule->info.slug));
  }
  return options;
}

// What "the same stages" means: their number, names and bases (stage names are compared
// lower-cased, since the casing fix lower-cases them everywhere).
std::vector<std::string> StageSummary(const std::string& text) {
  auto tree = ParseDockerfile(std::make_shared<SourceFile>("Dockerfile", text));
  if (!tree) return {"parse error: " + tree.Error().message};
  Analysis analysis = AnalyzeDockerfile(*tree, {});
  std::vector<std::string> out;
  for (const Stage& stage : analysis.stages) {
    std::string base = stage.base.value;
    if (stage.base_stage) base = "stage " + std::to_string(*stage.base_stage);
    out.push_back(stage.name + " <- " + base);
  }
  return out;
}

std::map<std::string, int> FixableByRule(const LintResult& result) {
  std::map<std::string, int> out;
  for (const Finding& f : result.findings) {
    if (f.fix) ++out[std::string(f.rule)];
  }
  return out;
}

// Fixes `file` to a fixpoint and checks what holds for every kind of file: it converged well
// before the limit, fixing the result changes nothing, and the result has no syntax error
// (`syntax_rule`) and nothing fixable left.
FixOutcome CheckFixpoint(const std::shared_ptr<const SourceFile>& file, const LintOptions& options,
                         std::string_view syntax_rule) {
  FixOutcome outcome = FixToFixpoint(file, options);
  if (outcome.passes == 0) return outcome;
  INFO(file->Path() << "\n--- fixed:\n" << outcome.text);
  CHECK(outcome.passes < 8);
  FixOutcome again =
      FixToFixpoint(std::make_shared<SourceFile>(file->Path(), outcome.text), options);
  CHECK(again.passes == 0);
  for (const Finding& f : outcome.after.findings) {
    INFO(f.rule << " " << f.range.begin.line << ":" << f.range.begin.column << " " << f.message);
    CHECK(f.rule != syntax_rule);
    // Nothing fixable is left: every rule that offered a fix no longer fires with one.
    CHECK_FALSE(f.fix.has_value());
  }
  return outcome;
}

TEST_CASE("fixes on the real corpus are idempotent, keep the stages and silence the rule",
          "[linter][fix][corpus]") {
  const LintOptions options = EveryRule();
  std::filesystem::path dir = testing::SharedDir() / "corpus/real/dockerfile";
  REQUIRE(std::filesystem::is_directory(dir));
  int files = 0;
  int changed = 0;
  std::map<std::string, int> fixed_by_rule;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    auto file = std::make_shared<SourceFile>(entry.path().filename().string(),
                                             testing::ReadFile(entry.path()));
    ++files;
    FixOutcome outcome = CheckFixpoint(file, options, "syntax-error");
    if (outcome.passes == 0) continue;
    ++changed;
    INFO(file->Path() << "\n--- fixed:\n" << outcome.text);
    CHECK(StageSummary(outcome.text) == StageSummary(file->Text()));
    for (const auto& [rule, count] : FixableByRule(LintDockerfile(file, options))) {
      fixed_by_rule[rule] += count;
    }
  }
  // The corpus really exercises the fixes (not a test that passes on nothing).
  CHECK(files >= 800);
  CHECK(changed >= 200);
  CHECK(fixed_by_rule.size() >= 8);
  WARN(changed << " of " << files << " files changed by --fix");
  for (const auto& [rule, count] : fixed_by_rule) {
    WARN(rule << ": " << count << " fixable findings");
  }
}

TEST_CASE("compose fixes on the real corpus are idempotent and keep the file valid",
          "[linter][fix][corpus]") {
  const LintOptions options = EveryRule();
  std::filesystem::path dir = testing::SharedDir() / "corpus/real/compose";
  REQUIRE(std::filesystem::is_directory(dir));
  int files = 0;
  int changed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    auto file = std::make_shared<SourceFile>(entry.path().filename().string(),
                                             testing::ReadFile(entry.path()));
    if (!IsComposePath(file->Path())) continue;
    ++files;
    if (CheckFixpoint(file, options, "compose-syntax-error").passes > 0) ++changed;
  }
  CHECK(files >= 150);
  CHECK(changed >= 10);  // the obsolete `version:` key alone is in 16 of them
  WARN(changed << " of " << files << " compose files changed by --fix");
}

}  // namespace
}  // namespace dockit::lint

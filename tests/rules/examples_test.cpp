// Every example of every rule, run through the real engine with only that rule enabled: bad
// examples must give exactly the listed findings (and the listed text after --fix), good ones
// none.
#include <catch2/catch.hpp>

#include "linter/engine.hpp"
#include "linter/fix.hpp"
#include "linter/subprocess.hpp"

namespace dockit::lint {
namespace {

LintResult LintOnly(const Rule& rule, std::string_view text,
                    const std::optional<ExampleContext>& context,
                    const std::vector<std::string_view>& trusted_registries,
                    const std::optional<ExampleSchema>& schema) {
  LintOptions options;
  for (std::string_view r : trusted_registries) {
    options.settings.trusted_registries.emplace_back(r);
  }
  if (schema) {
    for (const auto& [label, type] : schema->labels) {
      options.settings.label_schema[std::string(label)] = type;
    }
    options.settings.strict_labels = schema->strict;
  }
  options.only.insert(std::string(rule.info.slug));
  if (!rule.info.program.empty()) {
    options.shellcheck.enabled = true;
    options.shellcheck.program = std::string(rule.info.program);
  }
  if (context) {
    std::optional<std::string> ignore;
    if (context->dockerignore) ignore = std::string(*context->dockerignore);
    options.context = ContextFromText(ignore);
    options.project = ListedProject({context->files.begin(), context->files.end()});
  }
  bool compose = rule.info.kind == RuleKind::kCompose;
  return LintFile(
      std::make_shared<SourceFile>(compose ? "compose.yaml" : "Dockerfile", std::string(text)),
      options);
}

LintResult LintOnly(const Rule& rule, const Example& example) {
  return LintOnly(rule, example.text, example.context, example.trusted_registries,
                  example.label_schema);
}

std::vector<std::string> Positions(const LintResult& result) {
  std::vector<std::string> out;
  for (const Finding& f : result.findings) {
    out.push_back(std::to_string(f.range.begin.line) + ":" + std::to_string(f.range.begin.column));
  }
  return out;
}

TEST_CASE("every rule's examples", "[rules]") {
  for (const Rule* rule : AllRules()) {
    if (!rule->info.program.empty() && !FindProgram(rule->info.program)) {
      // A visible skip: CI installs the program (scripts/setup.sh), so there they really run.
      WARN("skipped the examples of " << rule->info.slug << ": " << rule->info.program
                                      << " is not installed");
      continue;
    }
    for (const Example& bad : rule->info.bad) {
      INFO(rule->info.slug << " bad example:\n" << bad.text);
      LintResult result = LintOnly(*rule, bad);
      std::vector<std::string> want(bad.findings.begin(), bad.findings.end());
      CHECK(Positions(result) == want);
      if (!bad.fixed.empty()) {
        std::string fixed = ApplyFixes(*result.file, result.findings);
        CHECK(fixed == bad.fixed);
        // A fix is final: the fixed text no longer has the finding, and fixing again changes
        // nothing.
        LintResult again =
            LintOnly(*rule, fixed, bad.context, bad.trusted_registries, bad.label_schema);
        CHECK(again.findings.empty());
        CHECK(ApplyFixes(*again.file, again.findings) == fixed);
      }
    }
    for (const Example& good : rule->info.good) {
      INFO(rule->info.slug << " good example:\n" << good.text);
      CHECK(Positions(LintOnly(*rule, good)).empty());
    }
  }
}

}  // namespace
}  // namespace dockit::lint

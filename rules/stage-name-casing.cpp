// Stage names are lower-cased by BuildKit: `AS Builder` defines "builder", so the spelling in
// the file is not the name that --target and --from use.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  for (const Stage& stage : ctx.Meaning().stages) {
    const Instruction& from = *stage.instructions.front().syntax;
    if (from.args.size() != 3 || AllLower(from.args[2].value)) continue;
    const Word& name = from.args[2];
    std::string lower = text::AsciiLower(name.value);
    ctx.Report(name.range,
               "stage name \"" + name.value + "\" should be lowercase: write \"" + lower + "\"",
               Fix{"lower-case the stage name",
                   {{name.range.begin.offset, name.range.end.offset, lower}}});
  }
}

}  // namespace

const Rule kStageNameCasing{
    {
        .slug = "stage-name-casing",
        .aliases = {"StageNameCasing"},
        .severity = Severity::kWarning,
        .title = "Stage names should be lowercase",
        .rationale =
            "BuildKit lower-cases stage names, so `AS BuilderBase` defines `builderbase`, and "
            "that is the name `--target` and `COPY --from` match. Writing it in lower case "
            "keeps the file and the build in agreement. References elsewhere are matched "
            "case-insensitively, so the fix only changes the definition.",
        .bad = {{"FROM alpine AS BuilderBase\n", {"1:16"}, "FROM alpine AS builderbase\n"}},
        .good = {{"FROM alpine AS builder-base\n", {}}, {"FROM alpine\n", {}}},
    },
    Check};

}  // namespace dockit::lint

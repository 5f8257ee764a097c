#include "rules/all.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  for (const Diagnostic& d : ctx.Meaning().diagnostics) {
    if (d.code == "duplicate-stage") ctx.Report(d.range, d.message);
  }
}

}  // namespace

const Rule kDuplicateStageName{
    {
        .slug = "duplicate-stage-name",
        .aliases = {"DL3024", "DuplicateStageName"},
        .severity = Severity::kError,
        .title = "Two stages with the same name",
        .rationale = "Stage names are case-insensitive and must be unique: COPY --from and FROM "
                     "would otherwise be ambiguous, and BuildKit refuses the file.",
        .bad = {{"FROM alpine AS build\nFROM debian AS Build\n", {"2:16"}}},
        .good = {{"FROM alpine AS build\nFROM debian AS test\n", {}}},
    },
    Check};

}  // namespace dockit::lint

// `FROM --platform=$TARGETPLATFORM` says what FROM does anyway.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  for (const Stage& stage : ctx.Meaning().stages) {
    const Instruction& from = *stage.instructions.front().syntax;
    const Flag* flag = from.FindFlag("platform");
    if (!flag) continue;
    std::string_view value = flag->Value().value_or("");
    if (value != "$TARGETPLATFORM" && value != "${TARGETPLATFORM}") continue;
    // Remove the flag and the blanks after it, so the line reads as if it was never there.
    uint32_t end = flag->range.end.offset;
    const std::string& text = ctx.File().Text();
    while (end < text.size() && (text[end] == ' ' || text[end] == '\t')) ++end;
    ctx.Report(flag->range,
               "--platform=" + std::string(value) +
                   " is redundant: FROM already uses the target platform; remove it",
               Fix{"remove --platform", {{flag->range.begin.offset, end, ""}}});
  }
}

}  // namespace

const Rule kRedundantTargetPlatform{
    {
        .slug = "redundant-target-platform",
        .aliases = {"DL3065", "RedundantTargetPlatform"},
        .severity = Severity::kWarning,
        .title = "FROM --platform=$TARGETPLATFORM is the default",
        .rationale = "A stage is built for the target platform unless --platform says "
                     "otherwise, so `--platform=$TARGETPLATFORM` changes nothing and suggests "
                     "to the reader that it does. ($BUILDPLATFORM, for cross-compiling "
                     "stages, is meaningful and fine.)",
        .bad = {{"FROM --platform=$TARGETPLATFORM alpine AS builder\n",
                 {"1:6"},
                 "FROM alpine AS builder\n"},
                {"FROM --platform=${TARGETPLATFORM} alpine\n", {"1:6"}, "FROM alpine\n"}},
        .good = {{"FROM alpine AS builder\n", {}},
                 {"FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n", {}}},
    },
    Check};

}  // namespace dockit::lint

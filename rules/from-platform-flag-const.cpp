// A constant --platform pins the stage to one architecture, so a multi-platform build silently
// produces the wrong binaries for the other platforms.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  for (const Stage& stage : ctx.Meaning().stages) {
    const Instruction& from = *stage.instructions.front().syntax;
    const Flag* flag = from.FindFlag("platform");
    if (!flag) continue;
    std::string value(flag->Value().value_or(""));
    if (value.empty() || value.find('$') != std::string::npos) continue;
    // os/arch[/variant], or a bare OS or architecture (`linux`, `arm64`), which BuildKit
    // completes with the build machine's.
    std::string lower = text::AsciiLower(value);
    size_t slash = lower.find('/');
    if (slash == 0 || (slash != std::string::npos && slash + 1 == lower.size())) continue;
    std::string os = lower.substr(0, slash);
    std::string arch = slash == std::string::npos
                           ? std::string()
                           : lower.substr(slash + 1, lower.find('/', slash + 1) - slash - 1);
    // A stage named for its platform (build-arm64, windows) is pinned on purpose.
    if (!stage.name.empty() && (stage.name.find(os) != std::string::npos ||
                                (!arch.empty() && stage.name.find(arch) != std::string::npos)))
      continue;
    ctx.Report(flag->range, "FROM --platform=" + value +
                                " pins the stage to one platform: use $BUILDPLATFORM or "
                                "$TARGETPLATFORM, or remove the flag");
  }
}

}  // namespace

const Rule kFromPlatformFlagConst{
    {
        .slug = "from-platform-flag-const",
        .aliases = {"DL3029", "FromPlatformFlagConstDisallowed"},
        .severity = Severity::kWarning,
        .title = "FROM --platform with a constant value",
        .rationale =
            "A constant platform makes the stage the same for every target: a multi-platform "
            "build of an arm64 image then ships amd64 binaries, or runs them under emulation. "
            "Use `$BUILDPLATFORM` for stages that cross-compile and leave the target platform "
            "to the build. A stage whose name contains the OS or architecture "
            "(`build-arm64`) is taken as pinned on purpose.",
        .bad = {{"FROM --platform=linux/amd64 alpine AS base\n", {"1:6"}},
                {"FROM --platform=linux debian:12\n", {"1:6"}}},
        .good = {{"FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n", {}},
                 {"FROM --platform=linux/arm64 alpine AS build-arm64\n", {}},
                 {"FROM alpine\n", {}}},
        .differs_from_hadolint =
            "hadolint reports every --platform, variables included; this rule follows "
            "BuildKit's check: only constants, and not in stages named after their platform.",
    },
    Check};

}  // namespace dockit::lint

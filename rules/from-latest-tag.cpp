// `:latest` moves: the same Dockerfile builds a different image tomorrow.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  for (const Stage& stage : ctx.Meaning().stages) {
    if (stage.base_stage) continue;
    const std::string& image = stage.base.value;
    if (image.find('@') != std::string::npos) continue;  // a digest pins it anyway
    size_t colon = image.rfind(':');
    if (colon == std::string::npos || image.find('/', colon) != std::string::npos) continue;
    if (image.substr(colon + 1) != "latest") continue;
    const Instruction& from = *stage.instructions.front().syntax;
    if (from.args.empty()) continue;
    ctx.Report(from.args[0].range,
               "\"" + image + "\" uses the latest tag, which changes over time: pin a version tag");
  }
}

}  // namespace

const Rule kFromLatestTag{
    {
        .slug = "from-latest-tag",
        .aliases = {"DL3007"},
        .severity = Severity::kWarning,
        .title = "Pin the base image instead of using :latest",
        .rationale =
            "`latest` is whatever was pushed last. A build from the same Dockerfile can get a "
            "new major version of the base image without notice, and two builds cannot be "
            "compared. Pin a version tag (and a digest for full reproducibility). Image names "
            "built from ARG defaults are checked after expansion.",
        .bad = {{"FROM alpine:latest\n", {"1:6"}},
                {"ARG BASE=debian:latest\nFROM $BASE AS build\n", {"2:6"}}},
        .good = {{"FROM alpine:3.20\n", {}},
                 {"FROM alpine:latest@sha256:"
                  "0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5\n",
                  {}},
                 {"FROM localhost:5000/latest\n", {}}},
        .differs_from_hadolint = "Variables in the image name are expanded with the ARG "
                                 "defaults before checking; hadolint checks the raw text.",
    },
    Check};

}  // namespace dockit::lint

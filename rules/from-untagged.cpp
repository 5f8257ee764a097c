// An image without a tag means `:latest`, silently.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  const Analysis& analysis = ctx.Meaning();
  for (const Stage& stage : analysis.stages) {
    if (stage.base_stage) continue;
    const std::string& image = stage.base.value;
    if (image.empty() || text::AsciiLower(image) == "scratch") continue;
    if (image.find('@') != std::string::npos) continue;  // pinned by digest
    // `FROM [server-modules]` is no image name at all (BuildKit fails with "invalid reference
    // format"); "no tag" would be the wrong advice.
    if (!ValidImageReference(image)) continue;
    size_t colon = image.rfind(':');
    if (colon != std::string::npos && image.find('/', colon) == std::string::npos) continue;
    const Instruction& from = *stage.instructions.front().syntax;
    if (from.args.empty()) continue;
    // A name built from an ARG without a value is decided by --build-arg: nothing to judge.
    bool unknown = false;
    for (const VarRef& ref : VarRefs(from.args[0].value, ctx.Tree().escape)) {
      auto it = analysis.meta_args.find(ref.name);
      unknown |= it == analysis.meta_args.end() || it->second.empty();
    }
    if (unknown) continue;
    ctx.Report(from.args[0].range, "\"" + image +
                                       "\" has no tag, so it means :latest, which changes over "
                                       "time: pin a version tag");
  }
}

}  // namespace

const Rule kFromUntagged{
    {
        .slug = "from-untagged",
        .aliases = {"DL3006"},
        .severity = Severity::kWarning,
        .title = "Tag the base image",
        .rationale =
            "FROM without a tag pulls `latest`: whatever was pushed last. Builds then change "
            "without any change to the Dockerfile. Name a version tag (and a digest for full "
            "reproducibility). Stage names, `scratch` and digests are fine; an image name made "
            "from ARG defaults is checked after expansion, and one that depends on an ARG "
            "without a default (set with --build-arg) is not judged.",
        .bad = {{"FROM debian\n", {"1:6"}},
                {"FROM registry.example.com:5000/team/app AS base\n", {"1:6"}},
                {"ARG IMAGE=python\nFROM ${IMAGE}\n", {"2:6"}}},
        .good = {{"FROM debian:12-slim\n", {}},
                 {"FROM [server-modules]\n", {}},
                 {"FROM golang:1.22 AS build\nFROM build\n", {}},
                 {"FROM scratch\n", {}},
                 {"FROM alpine@sha256:"
                  "0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5\n",
                  {}},
                 {"ARG BASE\nFROM ${BASE}\n", {}},
                 {"ARG VERSION=3.12\nFROM python:${VERSION}-slim\n", {}}},
        .differs_from_hadolint =
            "Variables in the image name are expanded with the ARG defaults first: hadolint "
            "skips `FROM ${IMAGE}` even when the default names an untagged image.",
    },
    Check};

}  // namespace dockit::lint

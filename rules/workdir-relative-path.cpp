// A relative WORKDIR is resolved against the base image's working directory, which the
// Dockerfile does not show and which changes when the base image does.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  const Analysis& analysis = ctx.Meaning();
  // Whether each stage ends with an absolute working directory set by this file.
  std::vector<bool> absolute_set(analysis.stages.size(), false);
  for (const Stage& stage : analysis.stages) {
    bool set =
        stage.base_stage && *stage.base_stage < stage.index && absolute_set[*stage.base_stage];
    for (const TypedInstruction& ins : stage.instructions) {
      const auto* workdir = std::get_if<SingleValueCmd>(&ins.args);
      if (ins.kind != InstructionKind::kWorkdir || !workdir) continue;
      const std::string& path = workdir->value.value;
      // An unbalanced quote stays in the value (`WORKDIR "C:\"`, where `\"` escapes it):
      // judge the path after it.
      std::string_view unquoted = path;
      while (unquoted.starts_with('"') || unquoted.starts_with('\'')) unquoted.remove_prefix(1);
      if (IsAbsolutePath(unquoted)) {
        set = true;
        continue;
      }
      // After an absolute WORKDIR of this file, a relative one is relative to a known place.
      if (set || path.empty()) continue;
      ctx.Report(ins.syntax->args[0].range, "relative WORKDIR \"" + path +
                                                "\" depends on the base image's working "
                                                "directory: use an absolute path");
    }
    absolute_set[stage.index] = set;
  }
}

}  // namespace

const Rule kWorkdirRelativePath{
    {
        .slug = "workdir-relative-path",
        .aliases = {"DL3000", "WorkdirRelativePath"},
        .severity = Severity::kWarning,
        .title = "Use an absolute WORKDIR",
        .rationale =
            "A relative WORKDIR is resolved against the working directory of the base image, "
            "which the Dockerfile does not show and which may change with the next base image "
            "version. An absolute path says where files go. Once the file has set an absolute "
            "WORKDIR in the stage (or in a stage it is built FROM), a relative one is relative "
            "to a known place and is not reported.",
        .bad = {{"FROM nginx\nWORKDIR usr/share/nginx/html\n", {"2:9"}},
                {"FROM alpine\nARG DIR=app\nWORKDIR $DIR\n", {"3:9"}}},
        .good = {{"FROM nginx\nWORKDIR /usr/share/nginx/html\n", {}},
                 {"FROM alpine\nWORKDIR /app\nWORKDIR src\n", {}},
                 {"FROM alpine AS base\nWORKDIR /app\nFROM base\nWORKDIR build\n", {}},
                 {"FROM mcr.microsoft.com/windows/nanoserver\nWORKDIR C:\\\\app\n", {}},
                 {"FROM mcr.microsoft.com/windows/nanoserver\nWORKDIR \"C:\\\"\n", {}},
                 {"FROM alpine\nENV HOME=/root\nWORKDIR $HOME/app\n", {}}},
        .differs_from_hadolint =
            "Like BuildKit, a relative WORKDIR after an absolute one in the same stage (or a "
            "stage it is built FROM) is accepted; hadolint reports every relative WORKDIR. "
            "Variables are expanded first. hadolint reports DL3000 as an error; the image "
            "builds, so this is a warning.",
    },
    Check};

}  // namespace dockit::lint

// `COPY --from=build / /` copies a whole filesystem, base image included, into another stage.
#include "parser/text.hpp"
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

bool IsRoot(std::string_view v) {
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
    v = v.substr(1, v.size() - 2);
  }
  return v == "/";
}

// The stage named `name` holds a built filesystem: it is a stage of this file, not built on
// scratch, and some stage of its chain does more than FROM. External images and bare aliases of
// them are not judged: images such as tonistiigi/xx are scratch bundles made to be copied whole.
bool IsBuiltStage(const Analysis& analysis, std::string_view name) {
  const Stage* found = nullptr;
  for (const Stage& stage : analysis.stages) {
    if (!stage.name.empty() && stage.name == name) found = &stage;
  }
  if (!found) return false;
  std::vector<const Stage*> chain = StageChain(analysis, *found);
  if (chain.back()->base.value == "scratch") return false;
  for (const Stage* stage : chain) {
    if (stage->instructions.size() > 1) return true;
  }
  return false;
}

void Check(RuleContext& ctx) {
  ctx.ForEachInstruction([&](const Stage&, const TypedInstruction& ins) {
    const auto* copy = std::get_if<CopyCmd>(&ins.args);
    if (!copy || copy->is_add || !copy->from) return;
    if (!IsRoot(copy->dest.value)) return;
    if (!IsBuiltStage(ctx.Meaning(), text::AsciiLower(copy->from->value))) return;
    for (const Expanded& src : copy->sources) {
      if (!IsRoot(src.value)) continue;
      ctx.Report(ins.syntax->keyword_range, "COPY --from=" + copy->from->value +
                                                " / / copies an entire filesystem from another "
                                                "stage");
      return;
    }
  });
}

}  // namespace

const Rule kCopyWholeStage{
    {
        .slug = "copy-whole-stage",
        .aliases = {"DL3067"},
        .severity = Severity::kWarning,
        .title = "Do not copy an entire filesystem from another stage",
        .rationale =
            "`COPY --from=build / /` copies everything the other stage holds, its base image's "
            "files, package caches and build tools included, over this stage's root. That undoes "
            "the point of a multi-stage build and can overwrite this image's own system files. "
            "Copy the folders the image needs.",
        .bad = {{"FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM scratch\nCOPY "
                 "--from=build / /\n",
                 {"4:1"}},
                {"FROM alpine AS rootfs\nRUN apk add --no-cache curl\nFROM scratch\nCOPY "
                 "--from=rootfs "
                 "--chown=0:0 / /\n",
                 {"4:1"}}},
        .good = {{"FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM scratch\nCOPY "
                  "--from=build /out/ /\n",
                  {}},
                 {"FROM alpine\nCOPY . /\n", {}},
                 {"FROM alpine AS build\nFROM alpine\nCOPY --from=build / /rootfs/\n", {}},
                 {"FROM tonistiigi/xx AS xx\nFROM alpine\nCOPY --from=xx / /\nCOPY "
                  "--from=gloursdocker/docker / /\n",
                  {}},
                 {"FROM scratch AS bin\nCOPY app /app\nFROM alpine\nCOPY --from=bin / /\n", {}}},
        .differs_from_hadolint =
            "Only stages of this Dockerfile that hold a built filesystem are judged: not external "
            "images or bare aliases of them (tool bundles such as tonistiigi/xx are built FROM "
            "scratch to be copied whole), and not stages built on scratch. The finding points at "
            "the COPY keyword.",
    },
    Check};

}  // namespace dockit::lint

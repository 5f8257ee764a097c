// `COPY --from=name` where name is no earlier stage: BuildKit then pulls an image called
// `name`, which is almost always a typo or a stage defined too late.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  const Analysis& analysis = ctx.Meaning();
  for (const Stage& stage : analysis.stages) {
    for (const TypedInstruction& ins : stage.instructions) {
      const auto* copy = std::get_if<CopyCmd>(&ins.args);
      if (!copy || !copy->from) continue;
      const Flag* flag = ins.syntax->FindFlag("from");
      if (!flag) continue;
      std::string raw(flag->Value().value_or(""));
      const std::string& from = copy->from->value;
      // An image reference (tag, registry path, digest) or a name decided by --build-arg.
      if (from.empty() || raw.find('$') != std::string::npos ||
          from.find_first_of(":/@") != std::string::npos)
        continue;
      if (from.find_first_not_of("0123456789") == std::string::npos) {
        if (from.size() < 6 && std::stoul(from) < stage.index) continue;
      } else {
        std::string lower = text::AsciiLower(from);
        bool earlier = false, later = false;
        for (const Stage& s : analysis.stages) {
          if (s.name != lower) continue;
          (s.index < stage.index ? earlier : later) = true;
        }
        if (earlier || lower == stage.name) continue;  // copy-from-self reports the latter
        if (later) {
          ctx.Report(flag->range, "stage \"" + from +
                                      "\" is defined after this COPY: BuildKit pulls an image "
                                      "of that name instead; move the stage up");
          continue;
        }
      }
      ctx.Report(flag->range, "\"" + from +
                                  "\" is not an earlier stage: BuildKit pulls an image of that "
                                  "name; fix the stage name or give the image a tag");
    }
  }
}

}  // namespace

const Rule kCopyFromUnknownStage{
    {
        .slug = "copy-from-unknown-stage",
        .aliases = {"DL3022"},
        .severity = Severity::kWarning,
        .title = "COPY --from names no earlier stage",
        .rationale =
            "`--from` takes an earlier stage's name or index, or an image. A plain name that is "
            "no earlier stage is looked up as an image on Docker Hub, so a typo in a stage name "
            "(or a stage defined further down) silently copies from an unrelated image, or "
            "fails with a pull error. Image references with a tag, a registry path or a digest "
            "are clearly images and are accepted.",
        .bad = {{"FROM golang:1.22 AS build\nFROM alpine:3.20\nCOPY --from=biuld /app /app\n",
                 {"3:6"}},
                {"FROM alpine:3.20\nCOPY --from=build /app /app\nFROM golang:1.22 AS build\n",
                 {"2:6"}},
                {"FROM alpine:3.20\nCOPY --from=1 /app /app\n", {"2:6"}}},
        .good = {{"FROM golang:1.22 AS build\nFROM alpine:3.20\nCOPY --from=build /app /app\n", {}},
                 {"FROM golang:1.22 AS Build\nFROM alpine:3.20\nCOPY --from=BUILD /app /app\n", {}},
                 {"FROM golang:1.22\nFROM alpine:3.20\nCOPY --from=0 /app /app\n", {}},
                 {"FROM alpine:3.20\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\n", {}},
                 {"FROM alpine:3.20\nCOPY --from=ghcr.io/org/tool /tool /tool\n", {}}},
        .differs_from_hadolint =
            "Stage names are matched case-insensitively, as BuildKit does, and references "
            "with a registry path or a digest are taken as images too (hadolint only accepts "
            "a `:`). An index is accepted only when it names an earlier stage.",
    },
    Check};

}  // namespace dockit::lint

// A stage cannot copy from itself: BuildKit stops with a circular dependency.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  for (const Stage& stage : ctx.Meaning().stages) {
    for (const TypedInstruction& ins : stage.instructions) {
      const auto* copy = std::get_if<CopyCmd>(&ins.args);
      if (!copy || !copy->from) continue;
      const Flag* flag = ins.syntax->FindFlag("from");
      if (!flag) continue;
      std::string from = text::AsciiLower(copy->from->value);
      bool self =
          (!stage.name.empty() && from == stage.name) || from == std::to_string(stage.index);
      if (!self) continue;
      ctx.Report(flag->range, "COPY --from=" + copy->from->value +
                                  " names the stage it is in: copy from an earlier stage");
    }
  }
}

}  // namespace

const Rule kCopyFromSelf{
    {
        .slug = "copy-from-self",
        .aliases = {"DL3023"},
        .severity = Severity::kError,
        .title = "COPY --from names its own stage",
        .rationale = "A stage's files exist only once the stage is built, so it cannot copy "
                     "from itself; BuildKit stops with a circular dependency error. Copy from "
                     "an earlier stage, or use the path directly.",
        .bad = {{"FROM alpine:3.20 AS app\nCOPY --from=app /a /b\n", {"2:6"}},
                {"FROM alpine:3.20\nCOPY --from=0 /a /b\n", {"2:6"}}},
        .good = {{"FROM alpine:3.20 AS build\nFROM alpine:3.20 AS app\nCOPY --from=build /a /b\n",
                  {}}},
        .differs_from_hadolint = "A stage index naming the current stage is reported too.",
    },
    Check};

}  // namespace dockit::lint

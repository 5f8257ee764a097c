// Only the last CMD, ENTRYPOINT and HEALTHCHECK of a stage take effect; an earlier one is dead
// code that a reader may take for the real one.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  for (const Stage& stage : ctx.Meaning().stages) {
    for (InstructionKind kind :
         {InstructionKind::kCmd, InstructionKind::kEntrypoint, InstructionKind::kHealthcheck}) {
      const TypedInstruction* previous = nullptr;
      for (const TypedInstruction& ins : stage.instructions) {
        if (ins.kind != kind) continue;
        // Reported at the overridden one, as BuildKit does: that is the line to delete.
        if (previous) {
          std::string keyword(KeywordOf(kind));
          ctx.Report(previous->syntax->keyword_range,
                     "this " + keyword + " is overridden by the " + keyword + " on line " +
                         std::to_string(ins.syntax->range.begin.line) +
                         ": only the last one of a stage is used; remove it");
        }
        previous = &ins;
      }
    }
  }
}

}  // namespace

const Rule kMultipleInstructionsDisallowed{
    {
        .slug = "multiple-instructions-disallowed",
        .aliases = {"DL4003", "DL4004", "DL3012", "MultipleInstructionsDisallowed"},
        .severity = Severity::kWarning,
        .title = "Several CMD, ENTRYPOINT or HEALTHCHECK in one stage",
        .rationale =
            "A stage keeps only its last CMD, its last ENTRYPOINT and its last HEALTHCHECK; the "
            "earlier ones do nothing. Keeping them misleads the reader about how the container "
            "starts or is checked. A HEALTHCHECK's own CMD is not a CMD instruction.",
        .bad = {{"FROM alpine\nCMD [\"a\"]\nCMD [\"b\"]\n", {"2:1"}},
                {"FROM alpine\nENTRYPOINT [\"a\"]\nENTRYPOINT [\"b\"]\nENTRYPOINT [\"c\"]\n",
                 {"2:1", "3:1"}},
                {"FROM alpine\nHEALTHCHECK CMD true\nHEALTHCHECK NONE\n", {"2:1"}}},
        .good = {{"FROM alpine\nHEALTHCHECK CMD [\"curl\", \"-f\", \"localhost\"]\nCMD [\"a\"]\n",
                  {}},
                 {"FROM alpine AS build\nCMD [\"a\"]\nFROM alpine\nCMD [\"b\"]\n", {}},
                 {"FROM alpine\nENTRYPOINT [\"tini\", \"--\"]\nCMD [\"app\"]\n", {}}},
        .differs_from_hadolint =
            "hadolint reports the later instructions (DL4003, DL4004, DL3012); like BuildKit, "
            "this rule reports the earlier, overridden one, which is the one to remove. "
            "hadolint's DL4004 and DL3012 are errors; the image still builds, so this is a "
            "warning.",
    },
    Check};

}  // namespace dockit::lint

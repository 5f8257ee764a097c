// Stage names are lower-cased by BuildKit: `AS Builder` defines "builder", so the spelling in
// the file is not the name that --target and --from use.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

// Edits that lower-case every reference to stage `name` written with other casing: later
// `FROM <name>` and `COPY --from=<name>`. BuildKit matches them case-insensitively, but a reader
// searching for the new spelling should find them all.
void AddReferenceEdits(const RuleContext& ctx, const Stage& defined, const std::string& lower,
                       std::vector<TextEdit>& edits) {
  const std::string& text = ctx.File().Text();
  for (const Stage& stage : ctx.Meaning().stages) {
    if (stage.index <= defined.index) continue;
    const Instruction& from = *stage.instructions.front().syntax;
    if (stage.base_stage == defined.index && !from.args.empty() && from.args[0].value != lower &&
        text::AsciiLower(from.args[0].value) == lower) {
      edits.push_back({from.args[0].range.begin.offset, from.args[0].range.end.offset, lower});
    }
    for (const TypedInstruction& ins : stage.instructions) {
      if (ins.kind != InstructionKind::kCopy && ins.kind != InstructionKind::kAdd) continue;
      const Flag* flag = ins.syntax->FindFlag("from");
      if (!flag) continue;
      std::string_view raw(text.data() + flag->range.begin.offset, flag->range.Size());
      size_t eq = raw.find('=');
      if (eq == std::string_view::npos) continue;
      std::string_view value = raw.substr(eq + 1);
      if (value == lower || text::AsciiLower(value) != lower) continue;
      uint32_t begin = flag->range.begin.offset + static_cast<uint32_t>(eq + 1);
      edits.push_back({begin, begin + static_cast<uint32_t>(value.size()), lower});
    }
  }
}

void Check(RuleContext& ctx) {
  for (const Stage& stage : ctx.Meaning().stages) {
    const Instruction& from = *stage.instructions.front().syntax;
    if (from.args.size() != 3 || AllLower(from.args[2].value)) continue;
    const Word& name = from.args[2];
    std::string lower = text::AsciiLower(name.value);
    Fix fix{"lower-case the stage name and its references",
            {{name.range.begin.offset, name.range.end.offset, lower}}};
    AddReferenceEdits(ctx, stage, lower, fix.edits);
    ctx.Report(name.range,
               "stage name \"" + name.value + "\" should be lowercase: write \"" + lower + "\"",
               std::move(fix));
  }
}

}  // namespace

const Rule kStageNameCasing{
    {
        .slug = "stage-name-casing",
        .aliases = {"StageNameCasing"},
        .severity = Severity::kWarning,
        .title = "Stage names should be lowercase",
        .rationale =
            "BuildKit lower-cases stage names, so `AS BuilderBase` defines `builderbase`, and "
            "that is the name `--target` and `COPY --from` match. Writing it in lower case "
            "keeps the file and the build in agreement. The fix also lower-cases the references "
            "(FROM <stage>, COPY --from=<stage>), which BuildKit matches case-insensitively.",
        .bad = {{"FROM alpine AS BuilderBase\n", {"1:16"}, "FROM alpine AS builderbase\n"},
                {"FROM alpine:3.20 AS Build\nRUN make\nFROM Build AS test\nFROM alpine:3.20\n"
                 "COPY --from=Build /a /a\n",
                 {"1:21"},
                 "FROM alpine:3.20 AS build\nRUN make\nFROM build AS test\nFROM alpine:3.20\n"
                 "COPY --from=build /a /a\n"}},
        .good = {{"FROM alpine AS builder-base\n", {}}, {"FROM alpine\n", {}}},
    },
    Check};

}  // namespace dockit::lint

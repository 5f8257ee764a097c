// Every label of the label schema must be set in each image the Dockerfile builds (hadolint
// DL3049). Silent without a label schema.
#include <set>

#include "rules/all.hpp"
#include "rules/instructions_util.hpp"
#include "rules/label_rules.hpp"

namespace dockit::lint {
namespace {

// The stage that `ref` (a COPY --from or RUN --mount from= value) names, if any.
std::optional<size_t> StageNamed(const Analysis& analysis, const std::string& ref) {
  if (!ref.empty() && ref.find_first_not_of("0123456789") == std::string::npos) {
    size_t index = std::stoul(ref.substr(0, 9));
    if (index < analysis.stages.size()) return index;
    return std::nullopt;
  }
  std::string lower = text::AsciiLower(ref);
  for (const Stage& s : analysis.stages) {
    if (!s.name.empty() && s.name == lower) return s.index;
  }
  return std::nullopt;
}

// Stages that other stages build on (FROM) or copy or mount from: intermediate stages, whose
// labels do not reach an image unless a stage built FROM them inherits them.
std::set<size_t> UsedStages(const Analysis& analysis) {
  std::set<size_t> used;
  for (const Stage& stage : analysis.stages) {
    if (stage.base_stage) used.insert(*stage.base_stage);
    for (const TypedInstruction& ins : stage.instructions) {
      if (const auto* copy = std::get_if<CopyCmd>(&ins.args); copy && copy->from) {
        if (auto s = StageNamed(analysis, copy->from->value); s && *s != stage.index) {
          used.insert(*s);
        }
      } else if (const auto* run = std::get_if<RunCmd>(&ins.args)) {
        for (const Mount& m : run->mounts) {
          if (auto s = StageNamed(analysis, m.from); s && *s != stage.index) used.insert(*s);
        }
      }
    }
  }
  return used;
}

void Check(RuleContext& ctx) {
  const auto& schema = ctx.Settings().label_schema;
  if (schema.empty()) return;
  const Analysis& analysis = ctx.Meaning();
  // The labels each stage sets itself (keys written with a variable count as unknown: none).
  std::vector<std::set<std::string, std::less<>>> own(analysis.stages.size());
  ForEachLabel(ctx, [&](const LabelPair& p) {
    if (p.key_is_literal) own[p.stage->index].insert(p.pair->key.value);
  });
  std::set<size_t> used = UsedStages(analysis);
  for (const Stage& stage : analysis.stages) {
    if (used.count(stage.index)) continue;
    for (const auto& [label, type] : schema) {
      bool present = false;
      for (const Stage* s : StageChain(analysis, stage)) present |= own[s->index].count(label) > 0;
      if (present) continue;
      const Instruction& from = *stage.instructions.front().syntax;
      std::string which = stage.name.empty() ? "stage " + std::to_string(stage.index)
                                             : "stage \"" + stage.name + "\"";
      ctx.Report(from.range, "label \"" + label + "\" (" + std::string(LabelTypeName(type)) +
                                 ") required by the label schema is missing in " + which);
    }
  }
}

const ExampleSchema kSchema{
    {{"maintainer", LabelType::kEmail}, {"org.opencontainers.image.source", LabelType::kUrl}}};

}  // namespace

const Rule kLabelMissing{
    {
        .slug = "label-missing",
        .aliases = {"DL3049"},
        .severity = Severity::kInfo,
        .title = "A label that the label schema requires is missing",
        .rationale =
            "A label schema (`label-schema:` in .dlint.yaml or .hadolint.yaml, or "
            "`--require-label LABEL:TYPE`) lists the labels every image of a team must carry: "
            "who owns it, where its source is, which commit built it. Each image the Dockerfile "
            "can build must set them, itself or through the stage it is built FROM. Stages that "
            "only feed other stages (`COPY --from`, `RUN --mount=from=`, a later `FROM`) are "
            "not images anyone runs and need no labels.",
        .bad = {{.text = "FROM alpine:3.20\nLABEL maintainer=ops@example.com\n",
                 .findings = {"1:1"},
                 .label_schema = kSchema},
                {.text = "FROM golang:1.22 AS build\nRUN go build -o /app .\n\n"
                         "FROM alpine:3.20 AS debug\nCOPY --from=build /app /app\n\n"
                         "FROM alpine:3.20\nLABEL maintainer=ops@example.com "
                         "org.opencontainers.image.source=https://example.com/app\n"
                         "COPY --from=build /app /app\n",
                 .findings = {"4:1", "4:1"},
                 .label_schema = kSchema}},
        .good = {{.text = "FROM golang:1.22 AS build\nRUN go build -o /app .\n\n"
                          "FROM alpine:3.20\nLABEL maintainer=ops@example.com \\\n"
                          "      org.opencontainers.image.source=https://example.com/app\n"
                          "COPY --from=build /app /app\n",
                  .findings = {},
                  .label_schema = kSchema},
                 {.text = "FROM alpine:3.20 AS base\nLABEL maintainer=ops@example.com "
                          "org.opencontainers.image.source=https://example.com/app\n\n"
                          "FROM base AS final\nRUN true\n",
                  .findings = {},
                  .label_schema = kSchema},
                 {.text = "FROM golang:1.22\nRUN go build -o /app .\n\n"
                          "FROM alpine:3.20 AS tools\n\n"
                          "FROM alpine:3.20\nLABEL maintainer=ops@example.com "
                          "org.opencontainers.image.source=https://example.com/app\n"
                          "COPY --from=0 /app /app\n"
                          "RUN --mount=from=tools,target=/t /t/check\n",
                  .findings = {},
                  .label_schema = kSchema},
                 {.text = "FROM alpine:3.20\n", .findings = {}}},
        .differs_from_hadolint =
            "hadolint checks every stage except those named by a `COPY --from`; a stage built "
            "FROM a labelled stage inherits its labels, but an unlabelled stage that a later "
            "named stage is built FROM is still reported. dlint checks each stage that no other "
            "stage uses (FROM, `COPY --from` by name or index, `RUN --mount=from=`), counting "
            "the labels of the stages it is built FROM. The message names the stage and the "
            "label's type. Keys written with a variable count as absent.",
    },
    Check};

}  // namespace dockit::lint

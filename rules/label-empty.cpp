// A label that the label schema names is set to an empty value (hadolint DL3051). Silent
// without a label schema.
#include "rules/all.hpp"
#include "rules/label_rules.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  const auto& schema = ctx.Settings().label_schema;
  if (schema.empty()) return;
  ForEachLabel(ctx, [&](const LabelPair& p) {
    const std::string& key = p.pair->key.value;
    // A value from a variable may be empty at build time, or not: it is not judged.
    if (!p.key_is_literal || !p.value_is_literal || !p.pair->value.value.empty()) return;
    if (schema.find(key) == schema.end()) return;
    ctx.Report(p.pair->key.range, "label \"" + key + "\" is empty");
  });
}

const ExampleSchema kSchema{
    {{"maintainer", LabelType::kText}, {"org.opencontainers.image.source", LabelType::kUrl}}};

}  // namespace

const Rule kLabelEmpty{
    {
        .slug = "label-empty",
        .aliases = {"DL3051"},
        .severity = Severity::kWarning,
        .title = "A label of the label schema is empty",
        .rationale = "With a label schema (`label-schema:` in .dlint.yaml or .hadolint.yaml, or "
                     "`--require-label LABEL:TYPE`), the labels it names carry information someone "
                     "relies on: an empty value satisfies the schema on paper only.",
        .bad = {{.text = "FROM alpine:3.20\nLABEL maintainer=\"\"\n",
                 .findings = {"2:7"},
                 .label_schema = kSchema},
                {.text = "FROM alpine:3.20\nLABEL version=1 org.opencontainers.image.source=\n",
                 .findings = {"2:17"},
                 .label_schema = kSchema}},
        .good = {{.text = "FROM alpine:3.20\nLABEL maintainer=ops description=\"\"\n",
                  .findings = {},
                  .label_schema = kSchema},
                 {.text = "FROM alpine:3.20\nARG OWNER\nLABEL maintainer=$OWNER\n",
                  .findings = {},
                  .label_schema = kSchema},
                 {.text = "FROM alpine:3.20\nLABEL maintainer=\"\"\n", .findings = {}}},
        .differs_from_hadolint =
            "A value written with a variable (`maintainer=$OWNER`) is not judged: it is known at "
            "build time only. The finding is on the label's key.",
    },
    Check};

}  // namespace dockit::lint

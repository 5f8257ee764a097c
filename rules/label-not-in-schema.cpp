// With `strict-labels`, every label must be one of the label schema (hadolint DL3050).
#include "rules/all.hpp"
#include "rules/label_rules.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  const RuleSettings& settings = ctx.Settings();
  if (!settings.strict_labels || settings.label_schema.empty()) return;
  ForEachLabel(ctx, [&](const LabelPair& p) {
    const std::string& key = p.pair->key.value;
    if (!p.key_is_literal || settings.label_schema.count(key)) return;
    ctx.Report(p.pair->key.range,
               "label \"" + key + "\" is not in the label schema (strict-labels is on)");
  });
}

const ExampleSchema kStrict{
    {{"maintainer", LabelType::kEmail}, {"org.opencontainers.image.version", LabelType::kSemver}},
    true};

}  // namespace

const Rule kLabelNotInSchema{
    {
        .slug = "label-not-in-schema",
        .aliases = {"DL3050"},
        .severity = Severity::kInfo,
        .title = "Label not in the label schema (strict-labels)",
        .rationale =
            "With `strict-labels: true` (or `--strict-labels`) a team says that its label schema "
            "is the complete list of labels its images carry. Any other label is a typo of a "
            "schema label or metadata nobody agreed on.",
        .bad = {{.text = "FROM alpine:3.20\nLABEL maintainer=ops@example.com "
                         "org.opencontainers.image.verison=1.0.0\n",
                 .findings = {"2:34"},
                 .label_schema = kStrict}},
        .good = {{.text = "FROM alpine:3.20\nLABEL maintainer=ops@example.com\n",
                  .findings = {},
                  .label_schema = kStrict},
                 {.text = "FROM alpine:3.20\nLABEL team=payments\n",
                  .findings = {},
                  .label_schema = ExampleSchema{{{"maintainer", LabelType::kEmail}}, false}}},
        .differs_from_hadolint =
            "hadolint reports each LABEL instruction once; dlint reports each label outside the "
            "schema, on its key. Keys written with a variable are not judged. strict-labels "
            "without a schema reports nothing (hadolint would report every LABEL).",
    },
    Check};

}  // namespace dockit::lint

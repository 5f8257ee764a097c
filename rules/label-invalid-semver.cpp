// A label the schema types semver holds no semantic version (hadolint DL3056). Silent without a
// label schema.
#include "rules/all.hpp"
#include "rules/label_rules.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  CheckLabelValues(ctx, LabelType::kSemver, IsValidSemver, "a semantic version");
}

const ExampleSchema kSchema{{{"org.opencontainers.image.version", LabelType::kSemver}}};

}  // namespace

const Rule kLabelInvalidSemver{
    {
        .slug = "label-invalid-semver",
        .aliases = {"DL3056"},
        .severity = Severity::kWarning,
        .title = "A label the schema types semver holds no semantic version",
        .rationale = "With a label schema, labels of type semver (such as "
                     "`org.opencontainers.image.version`) must follow Semantic Versioning 2.0.0: "
                     "MAJOR.MINOR.PATCH without leading zeros, optionally with a `-prerelease` and "
                     "a `+build` part. Release tooling sorts versions by those rules.",
        .bad = {{.text = "FROM alpine:3.20\nLABEL org.opencontainers.image.version=v1.2\n",
                 .findings = {"2:40"},
                 .label_schema = kSchema},
                {.text = "FROM alpine:3.20\nLABEL org.opencontainers.image.version=1.02.0\n",
                 .findings = {"2:40"},
                 .label_schema = kSchema}},
        .good =
            {{.text =
                  "FROM alpine:3.20\nLABEL org.opencontainers.image.version=1.2.0-rc.1+build.5\n",
              .findings = {},
              .label_schema = kSchema},
             {.text = "FROM alpine:3.20\nLABEL org.opencontainers.image.version=x\n",
              .findings = {}}},
        .differs_from_hadolint = "Values written with a variable are not judged (they are known at "
                                 "build time); empty values are label-empty's finding only.",
    },
    Check};

}  // namespace dockit::lint

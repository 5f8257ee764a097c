// A label the schema types rfc3339 holds no RFC 3339 date-time (hadolint DL3053). Silent without a
// label schema.
#include "rules/all.hpp"
#include "rules/label_rules.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  CheckLabelValues(ctx, LabelType::kRfc3339, IsValidRfc3339, "an RFC 3339 date-time");
}

const ExampleSchema kSchema{{{"org.opencontainers.image.created", LabelType::kRfc3339}}};

}  // namespace

const Rule kLabelInvalidRfc3339{
    {
        .slug = "label-invalid-rfc3339",
        .aliases = {"DL3053"},
        .severity = Severity::kWarning,
        .title = "A label the schema types rfc3339 holds no RFC 3339 date-time",
        .rationale = "With a label schema, labels of type rfc3339 (such as "
                     "`org.opencontainers.image.created`) must hold an RFC 3339 date-time: "
                     "`2024-05-01T12:30:00Z` or with an offset such as `+02:00`, optionally with "
                     "fractional seconds. The OCI image spec defines `created` that way, so "
                     "registries and scanners can sort and compare images by it.",
        .bad =
            {{.text =
                  "FROM alpine:3.20\nLABEL org.opencontainers.image.created=\"2024-05-01 12:30\"\n",
              .findings = {"2:40"},
              .label_schema = kSchema},
             {.text =
                  "FROM alpine:3.20\nLABEL org.opencontainers.image.created=2023-02-29T00:00:00Z\n",
              .findings = {"2:40"},
              .label_schema = kSchema}},
        .good = {{.text = "FROM alpine:3.20\nLABEL "
                          "org.opencontainers.image.created=2024-05-01T12:30:00.123+02:00\n",
                  .findings = {},
                  .label_schema = kSchema},
                 {.text = "FROM alpine:3.20\nARG CREATED\nLABEL "
                          "org.opencontainers.image.created=${CREATED}\n",
                  .findings = {},
                  .label_schema = kSchema},
                 {.text = "FROM alpine:3.20\nLABEL org.opencontainers.image.created=x\n",
                  .findings = {}}},
        .differs_from_hadolint =
            "The date must exist (2023-02-29 does not) and the offset must be Z or ±hh:mm; a space "
            "instead of T is refused, as in RFC 3339's grammar. Values written with a variable "
            "(the usual `--build-arg CREATED=...`) are not judged; hadolint reports them.",
    },
    Check};

}  // namespace dockit::lint

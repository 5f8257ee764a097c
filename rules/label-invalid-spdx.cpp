// A label the schema types spdx holds no SPDX license expression (hadolint DL3054). Silent without
// a label schema.
#include "rules/all.hpp"
#include "rules/label_rules.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  CheckLabelValues(ctx, LabelType::kSpdx, IsValidSpdxExpression, "an SPDX license expression");
}

const ExampleSchema kSchema{{{"org.opencontainers.image.licenses", LabelType::kSpdx}}};

}  // namespace

const Rule kLabelInvalidSpdx{
    {
        .slug = "label-invalid-spdx",
        .aliases = {"DL3054"},
        .severity = Severity::kWarning,
        .title = "A label the schema types spdx holds no SPDX license expression",
        .rationale = "With a label schema, labels of type spdx (such as "
                     "`org.opencontainers.image.licenses`) must name licenses by their SPDX "
                     "identifiers (`Apache-2.0`, `GPL-3.0-or-later`), combined with AND, OR and "
                     "WITH as the OCI image spec asks. License scanners read the label; a "
                     "free-text name such as `Apache 2` is not machine-readable.",
        .bad = {{.text = "FROM alpine:3.20\nLABEL org.opencontainers.image.licenses=\"Apache 2\"\n",
                 .findings = {"2:41"},
                 .label_schema = kSchema},
                {.text = "FROM alpine:3.20\nLABEL org.opencontainers.image.licenses=\"MIT OR\"\n",
                 .findings = {"2:41"},
                 .label_schema = kSchema}},
        .good = {{.text = "FROM alpine:3.20\nLABEL org.opencontainers.image.licenses=\"(MIT "
                          "OR Apache-2.0) AND GPL-2.0-only WITH Classpath-exception-2.0\"\n",
                  .findings = {},
                  .label_schema = kSchema},
                 {.text = "FROM alpine:3.20\nLABEL "
                          "org.opencontainers.image.licenses=LicenseRef-Proprietary\n",
                  .findings = {},
                  .label_schema = kSchema},
                 {.text = "FROM alpine:3.20\nLABEL org.opencontainers.image.licenses=x\n",
                  .findings = {}}},
        .differs_from_hadolint =
            "hadolint accepts one license id only; dlint accepts SPDX license expressions (AND, "
            "OR, WITH, parentheses, `+`, LicenseRef-), which is what the OCI `licenses` label "
            "holds. Ids are matched case-insensitively, as the SPDX specification says, against "
            "the SPDX License List shipped in rules/spdx_ids.cpp (npm spdx-license-ids 3.0.24, "
            "deprecated ids included).",
    },
    Check};

}  // namespace dockit::lint

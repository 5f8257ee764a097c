// A label the schema types email holds no valid email address (hadolint DL3058). Silent without a
// label schema.
#include "rules/all.hpp"
#include "rules/label_rules.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  CheckLabelValues(ctx, LabelType::kEmail, IsValidEmail, "a valid email address");
}

const ExampleSchema kSchema{{{"maintainer", LabelType::kEmail}}};

}  // namespace

const Rule kLabelInvalidEmail{
    {
        .slug = "label-invalid-email",
        .aliases = {"DL3058"},
        .severity = Severity::kWarning,
        .title = "A label the schema types email holds no valid email address",
        .rationale = "With a label schema, labels of type email must hold an RFC 5322 address, so "
                     "that the people to contact about an image can be reached.",
        .bad = {{.text = "FROM alpine:3.20\nLABEL maintainer=\"ops at example.com\"\n",
                 .findings = {"2:18"},
                 .label_schema = kSchema},
                {.text = "FROM alpine:3.20\nLABEL maintainer=ops@example..com\n",
                 .findings = {"2:18"},
                 .label_schema = kSchema}},
        .good = {{.text = "FROM alpine:3.20\nLABEL maintainer=ops+images@example.com\n",
                  .findings = {},
                  .label_schema = kSchema},
                 {.text = "FROM alpine:3.20\nLABEL maintainer=\"Ops Team <\\\"ops "
                          "team\\\"@example.com>\"\n",
                  .findings = {},
                  .label_schema = kSchema},
                 {.text = "FROM alpine:3.20\nLABEL maintainer=x\n", .findings = {}}},
        .differs_from_hadolint =
            "Besides a bare address (dot-atom or quoted local part, dot-atom or [literal] domain), "
            "dlint accepts the RFC 5322 mailbox form `Name <address>`, common in maintainer "
            "labels, and UTF-8 (RFC 6532); hadolint accepts the bare address only. Values written "
            "with a variable are not judged.",
    },
    Check};

}  // namespace dockit::lint

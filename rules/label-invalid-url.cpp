// A label the schema types url holds no valid URL (hadolint DL3052).
// Silent without a label schema.
#include "rules/all.hpp"
#include "rules/label_rules.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) { CheckLabelValues(ctx, LabelType::kUrl, IsValidUrl, "a valid URL"); }

const ExampleSchema kSchema{{{"org.opencontainers.image.source", LabelType::kUrl}}};

}  // namespace

const Rule kLabelInvalidUrl{
    {
        .slug = "label-invalid-url",
        .aliases = {"DL3052"},
        .severity = Severity::kWarning,
        .title = "A label the schema types url holds no valid URL",
        .rationale =
            "With a label schema (`label-schema:` in .dlint.yaml or .hadolint.yaml, or "
            "`--require-label LABEL:url`), labels of type url must hold an absolute URL: a scheme, "
            "then what RFC 3986 allows. Tools follow `org.opencontainers.image.source` and `.url` "
            "to the project; a bare host name or a typo leads nowhere.",
        .bad = {{.text = "FROM alpine:3.20\nLABEL "
                         "org.opencontainers.image.source=\"github.com/example/app\"\n",
                 .findings = {"2:39"},
                 .label_schema = kSchema},
                {.text = "FROM alpine:3.20\nLABEL "
                         "org.opencontainers.image.source=\"https://exa mple.com\"\n",
                 .findings = {"2:39"},
                 .label_schema = kSchema}},
        .good =
            {{.text = "FROM alpine:3.20\nLABEL "
                      "org.opencontainers.image.source=\"https://github.com/example/app\"\n",
              .findings = {},
              .label_schema = kSchema},
             {.text =
                  "FROM alpine:3.20\nARG SOURCE\nLABEL org.opencontainers.image.source=$SOURCE\n",
              .findings = {},
              .label_schema = kSchema},
             {.text = "FROM alpine:3.20\nLABEL org.opencontainers.image.source=x\n",
              .findings = {}}},
        .differs_from_hadolint =
            "Like hadolint, any RFC 3986 absolute URI is accepted (`mailto:`, `urn:`), but http, "
            "https and ftp URLs need a host. Empty values are only label-empty's finding, and "
            "values written with a variable are not judged: they are known at build time only "
            "(hadolint judges the text `$SOURCE`).",
    },
    Check};

}  // namespace dockit::lint

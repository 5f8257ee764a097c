// A label the schema types hash holds no git commit hash (hadolint DL3055). Silent without a label
// schema.
#include "rules/all.hpp"
#include "rules/label_rules.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  CheckLabelValues(ctx, LabelType::kHash, IsValidGitHash, "a git commit hash");
}

const ExampleSchema kSchema{{{"org.opencontainers.image.revision", LabelType::kHash}}};

}  // namespace

const Rule kLabelInvalidHash{
    {
        .slug = "label-invalid-hash",
        .aliases = {"DL3055"},
        .severity = Severity::kWarning,
        .title = "A label the schema types hash holds no git commit hash",
        .rationale =
            "With a label schema, labels of type hash (such as "
            "`org.opencontainers.image.revision`) must hold a git object name in lower-case hex, "
            "full or abbreviated, so that the image can be traced to the commit it was built from.",
        .bad = {{.text = "FROM alpine:3.20\nLABEL org.opencontainers.image.revision=main\n",
                 .findings = {"2:41"},
                 .label_schema = kSchema},
                {.text = "FROM alpine:3.20\nLABEL org.opencontainers.image.revision=ABCDEF0\n",
                 .findings = {"2:41"},
                 .label_schema = kSchema}},
        .good =
            {{.text = "FROM alpine:3.20\nLABEL org.opencontainers.image.revision=3f8a9c2d41b7\n",
              .findings = {},
              .label_schema = kSchema},
             {.text =
                  "FROM alpine:3.20\nLABEL "
                  "org.opencontainers.image.revision=3f8a9c2d41b7e6f0a1b2c3d4e5f60718293a4b5c\n",
              .findings = {},
              .label_schema = kSchema},
             {.text = "FROM alpine:3.20\nLABEL org.opencontainers.image.revision=x\n",
              .findings = {}}},
        .differs_from_hadolint =
            "hadolint accepts exactly 7 or 40 digits; dlint accepts 7 to 40 (git lengthens "
            "abbreviations in large repositories, `git rev-parse --short=12`) and 64 (SHA-256 "
            "repositories). Upper-case hex is refused, as in hadolint. Values written with a "
            "variable are not judged.",
    },
    Check};

}  // namespace dockit::lint

// Reported by the engine itself (linter/engine.cpp, LintCompose): a compose file that is not
// valid YAML, not UTF-8 text, or whose top level or `services:` is not a mapping gets this one
// finding and nothing else.
#include "rules/all.hpp"

namespace dockit::lint {

const Rule kComposeSyntaxError{
    {
        .kind = RuleKind::kCompose,
        .slug = "compose-syntax-error",
        .aliases = {},
        .severity = Severity::kError,
        .title = "The compose file cannot be parsed",
        .rationale =
            "Compose refuses the file before doing anything: the YAML is malformed (a key "
            "indented one space too far or too little, an unclosed bracket), a mapping repeats a "
            "key (an error in Go's yaml.v3, which Compose uses, though many YAML tools silently "
            "keep the last value), or the top level or `services:` is not a mapping.",
        .bad = {{"services:\n  web:\n    image: nginx\n   ports: []\n", {"4:4"}},
                {"services:\n  web:\n    image: nginx\n    image: httpd\n", {"4:5"}},
                {"services:\n  web:\n    ports: [\"80:80\"\n", {"4:1"}}},
        .good = {{"services:\n  web:\n    image: nginx\n    ports: [\"80:80\"]\n", {}}},
    },
    nullptr};

}  // namespace dockit::lint

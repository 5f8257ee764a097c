// The top-level `version:` of a compose file: Compose v2 ignores it and warns.
#include "rules/all.hpp"

namespace dockit::lint {
namespace {

void Check(ComposeContext& ctx) {
  const YamlEntry* version = ctx.Compose().version;
  if (!version) return;
  const SourceFile& file = ctx.File();
  std::optional<Fix> fix;
  // Remove the whole line when the key starts it and the value ends on the same line.
  uint32_t line = version->key.range.begin.line;
  if (version->key.range.begin.column == 1 && version->value.range.end.line == line) {
    uint32_t begin = file.LineStart(line);
    uint32_t end = line < file.LineCount() ? file.LineStart(line + 1)
                                           : static_cast<uint32_t>(file.Text().size());
    fix = Fix{"remove the version line", {{begin, end, ""}}};
  }
  ctx.Report(version->key.range,
             "the top-level version is obsolete: Compose ignores it and uses the newest file "
             "format",
             std::move(fix));
}

}  // namespace

const Rule kComposeObsoleteVersion{
    {
        .kind = RuleKind::kCompose,
        .slug = "compose-obsolete-version",
        .aliases = {},
        .severity = Severity::kWarning,
        .title = "The top-level version key is obsolete",
        .rationale =
            "The Compose Specification, which Docker Compose v2 implements, has no file format "
            "versions: `version:` is ignored, and `docker compose` warns \"the attribute "
            "`version` is obsolete, it will be ignored, please remove it to avoid potential "
            "confusion\". It misleads readers into thinking that `version: \"2\"` limits the "
            "features in use, or that `3.x` drops `depends_on` conditions: neither is true any "
            "more. Only the retired docker-compose v1 (end of life in 2023) read it, and the "
            "separate loader of `docker stack deploy` (Swarm) in older Docker CLIs wanted a 3.x "
            "version: a file still used with those keeps it (ignore the rule there). --fix "
            "removes the line.",
        .bad = {{"version: \"3.8\"\nservices:\n  web:\n    image: nginx\n",
                 {"1:1"},
                 "services:\n  web:\n    image: nginx\n"},
                {"services:\n  web:\n    image: nginx\nversion: '2.4'\n",
                 {"4:1"},
                 "services:\n  web:\n    image: nginx\n"}},
        .good = {{"services:\n  web:\n    image: nginx\n", {}},
                 {"services:\n  web:\n    image: nginx\n    environment:\n      version: \"3\"\n",
                  {}}},
    },
    nullptr,
    Check};

}  // namespace dockit::lint

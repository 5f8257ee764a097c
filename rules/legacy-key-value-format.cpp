// `ENV key value` (no `=`) sets one variable to the rest of the line. It reads like two
// variables, cannot set several at once, and BuildKit warns that it may be removed.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  char escape = ctx.Tree().escape;
  ctx.ForEachInstruction([&](const Stage&, const TypedInstruction& ins) {
    if (ins.kind != InstructionKind::kEnv && ins.kind != InstructionKind::kLabel) return;
    const Instruction& syntax = *ins.syntax;
    const auto& a = syntax.args;
    // Triples key, value, separator; the legacy form has one pair whose separator is "".
    if (a.size() != 3 || !a[2].value.empty()) return;
    const Word& key = a[0];
    const Word& value = a[1];
    std::string keyword(KeywordOf(ins.kind));
    std::optional<Fix> fix;
    // Inside double quotes the value means the same only when it has no quote or escape
    // character of its own; `$VAR` expands the same way.
    bool plain = value.value.find_first_of(std::string{'"', '\'', escape}) == std::string::npos;
    if (plain && !value.value.empty() && key.range.begin.line == value.range.end.line) {
      fix = Fix{"write " + keyword + " key=value",
                {{key.range.begin.offset, value.range.end.offset,
                  key.value + "=\"" + value.value + "\""}}};
    }
    ctx.Report(key.range,
               "legacy \"" + keyword + " key value\" form: write " + keyword + " " + key.value +
                   "=value (quote a value with spaces)",
               std::move(fix));
  });
}

}  // namespace

const Rule kLegacyKeyValueFormat{
    {
        .slug = "legacy-key-value-format",
        .aliases = {"LegacyKeyValueFormat"},
        .severity = Severity::kWarning,
        .title = "Use ENV key=value and LABEL key=value",
        .rationale =
            "Without `=`, ENV and LABEL set a single key to everything after the first space: "
            "`ENV A 1 B 2` sets A to \"1 B 2\". The key=value form says what it sets, can set "
            "several keys at once, and is the only form Docker documents as current. --fix "
            "writes `key=\"value\"` when the value has no quotes or escapes of its own.",
        .bad = {{"FROM alpine\nENV APP_HOME /srv/app\n",
                 {"2:5"},
                 "FROM alpine\nENV APP_HOME=\"/srv/app\"\n"},
                {"FROM alpine\nLABEL description a small image\n",
                 {"2:7"},
                 "FROM alpine\nLABEL description=\"a small image\"\n"},
                {"FROM alpine\nENV GREETING \"hello world\"\n", {"2:5"}}},
        .good = {{"FROM alpine\nENV APP_HOME=/srv/app PATH=/srv/app/bin:$PATH\n", {}},
                 {"FROM alpine\nLABEL a=\"1\" \\\n      b=\"2\"\n", {}}},
    },
    Check};

}  // namespace dockit::lint

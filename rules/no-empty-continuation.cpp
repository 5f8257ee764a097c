// A blank line inside a `\`-continued instruction: BuildKit skips it today and warns that a
// future syntax will end the instruction there.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  for (const Diagnostic& d : ctx.Tree().warnings) {
    if (d.code != "empty-continuation-line") continue;
    // Delete the blank line itself, its newline included.
    uint32_t end = d.range.end.offset;
    const std::string& text = ctx.File().Text();
    if (end < text.size() && text[end] == '\r') ++end;
    if (end < text.size() && text[end] == '\n') ++end;
    ctx.Report(d.range,
               "empty line inside a continued instruction: remove it (a comment line is fine)",
               Fix{"remove the empty line", {{d.range.begin.offset, end, ""}}});
  }
}

}  // namespace

const Rule kNoEmptyContinuation{
    {
        .slug = "no-empty-continuation",
        .aliases = {"NoEmptyContinuation"},
        .severity = Severity::kWarning,
        .title = "Empty line inside a continued instruction",
        .rationale =
            "An instruction continued with `\\` goes on across blank lines today, but BuildKit "
            "warns that a future Dockerfile syntax will end the instruction at the first empty "
            "line, which would silently cut the command short. Remove the empty line, or write "
            "a comment line if it was there for readability.",
        .bad = {{"FROM alpine\nRUN apk add \\\n\n    curl\n",
                 {"3:1"},
                 "FROM alpine\nRUN apk add \\\n    curl\n"}},
        .good = {{"FROM alpine\nRUN apk add \\\n    # tools\n    curl\n", {}}},
        .differs_from_hadolint =
            "hadolint has no such rule. Compared with BuildKit: BuildKit reports the line where "
            "the instruction ends; dlint points at the empty line itself, which is what --fix "
            "removes.",
    },
    Check};

}  // namespace dockit::lint

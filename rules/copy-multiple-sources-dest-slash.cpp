// Several sources go into a directory; BuildKit refuses a destination without a final slash.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  ctx.ForEachInstruction([&](const Stage&, const TypedInstruction& ins) {
    const auto* copy = std::get_if<CopyCmd>(&ins.args);
    if (!copy || copy->sources.size() < 2 || ins.syntax->args.empty()) return;
    const std::string& dest = copy->dest.value;
    if (dest.empty() || dest.ends_with('/') || dest.ends_with('\\')) return;
    // `.` and `..` (also after expansion) name a directory already.
    if (dest == "." || dest == ".." || dest.ends_with("/.") || dest.ends_with("/..")) return;
    std::string keyword(KeywordOf(ins.kind));
    const Word& w = ins.syntax->args.back();
    std::optional<Fix> fix;
    // In JSON form the word ends with its closing quote; the slash would land outside.
    if (!ins.syntax->json_form)
      fix = Fix{"add a trailing slash", {{w.range.end.offset, w.range.end.offset, "/"}}};
    ctx.Report(w.range,
               keyword +
                   " with several sources needs a directory destination ending in '/': "
                   "write \"" +
                   dest + "/\"",
               std::move(fix));
  });
}

}  // namespace

const Rule kCopyMultipleSourcesDestSlash{
    {
        .slug = "copy-multiple-sources-dest-slash",
        .aliases = {"DL3021"},
        .severity = Severity::kError,
        .title = "COPY with several sources needs a destination ending in /",
        .rationale = "With more than one source, COPY and ADD put them into a directory, and "
                     "BuildKit refuses a destination that does not end in `/`. Adding the slash "
                     "also tells the reader that the destination is a directory.",
        .bad = {{"FROM alpine\nCOPY package.json package-lock.json /app\n",
                 {"2:37"},
                 "FROM alpine\nCOPY package.json package-lock.json /app/\n"},
                {"FROM alpine\nADD a b c /opt\n", {"2:11"}, "FROM alpine\nADD a b c /opt/\n"}},
        .good = {{"FROM alpine\nCOPY package.json package-lock.json /app/\n", {}},
                 {"FROM alpine\nCOPY app.py /app\n", {}},
                 {"FROM alpine\nWORKDIR /app\nCOPY a b .\n", {}}},
    },
    Check};

}  // namespace dockit::lint

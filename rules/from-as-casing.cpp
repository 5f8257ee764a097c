// `FROM x as y`: AS in a different case than FROM is the usual sign of a hand-edited file.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  for (const Stage& stage : ctx.Meaning().stages) {
    const Instruction& from = *stage.instructions.front().syntax;
    if (from.args.size() != 3 || text::AsciiLower(from.args[1].value) != "as") continue;
    const Word& as = from.args[1];
    // A FROM keyword in mixed case is consistent-instruction-casing's business.
    bool upper = AllUpper(from.keyword), lower = AllLower(from.keyword);
    if ((!upper && !lower) || (upper && AllUpper(as.value)) || (lower && AllLower(as.value)))
      continue;
    std::string want = upper ? "AS" : "as";
    ctx.Report(as.range,
               "\"" + as.value + "\" and \"" + from.keyword + "\" are in different case: write \"" +
                   want + "\"",
               Fix{"match the case of FROM", {{as.range.begin.offset, as.range.end.offset, want}}});
  }
}

}  // namespace

const Rule kFromAsCasing{
    {
        .slug = "from-as-casing",
        .aliases = {"FromAsCasing"},
        .severity = Severity::kWarning,
        .title = "AS should be in the same case as FROM",
        .rationale = "Keywords in one case read as one language; `FROM image as name` mixes "
                     "two. Write AS in the case of its FROM.",
        .bad = {{"FROM debian:12 as builder\n", {"1:16"}, "FROM debian:12 AS builder\n"},
                {"from debian:12 AS builder\n", {"1:16"}, "from debian:12 as builder\n"}},
        .good = {{"FROM debian:12 AS builder\n", {}}, {"from debian:12 as builder\n", {}}},
    },
    Check};

}  // namespace dockit::lint

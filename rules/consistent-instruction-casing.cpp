// Instruction keywords in mixed case make a file look assembled from several sources.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  const auto& list = ctx.Tree().instructions;
  size_t lower = 0, upper = 0;
  for (const Instruction& ins : list) {
    if (ins.kind == InstructionKind::kUnknown) continue;
    if (AllUpper(ins.keyword)) {
      ++upper;
    } else if (AllLower(ins.keyword)) {
      ++lower;
    }
  }
  // As BuildKit: lower case wins only with a strict majority.
  bool want_lower = lower > upper;
  for (const Instruction& ins : list) {
    if (ins.kind == InstructionKind::kUnknown) continue;
    if (want_lower ? AllLower(ins.keyword) : AllUpper(ins.keyword)) continue;
    std::string want(KeywordOf(ins.kind));
    if (want_lower) want = text::AsciiLower(want);
    ctx.Report(ins.keyword_range,
               "\"" + ins.keyword + "\" should be " + (want_lower ? "lowercase" : "uppercase") +
                   " like most instructions of the file: write " + want,
               Fix{"write " + want,
                   {{ins.keyword_range.begin.offset, ins.keyword_range.end.offset, want}}});
  }
}

}  // namespace

const Rule kConsistentInstructionCasing{
    {
        .slug = "consistent-instruction-casing",
        .aliases = {"ConsistentInstructionCasing"},
        .severity = Severity::kWarning,
        .title = "Write instruction keywords in one case",
        .rationale =
            "Instructions are case-insensitive, but a file that mixes `RUN` and `run` (or "
            "`Run`) reads as if pieced together. The case of the majority wins (upper case on "
            "a tie); every keyword in another case, mixed case included, is reported and "
            "fixed.",
        .bad = {{"FROM alpine\nrun echo hi\nCopy a /a\n",
                 {"2:1", "3:1"},
                 "FROM alpine\nRUN echo hi\nCOPY a /a\n"},
                {"from alpine\nrun echo hi\nWORKDIR /app\n",
                 {"3:1"},
                 "from alpine\nrun echo hi\nworkdir /app\n"}},
        .good = {{"FROM alpine\nRUN echo hi\n", {}}, {"from alpine\nrun echo hi\n", {}}},
    },
    Check};

}  // namespace dockit::lint

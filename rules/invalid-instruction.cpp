// What BuildKit refuses before it builds anything: unknown instructions and flags, wrong argument
// counts, bad stage names, mounts, ports, durations... (parser/analyze.cpp finds them).
#include "rules/all.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  for (const Diagnostic& d : ctx.Meaning().diagnostics) {
    if (d.severity == Severity::kError && d.code != "duplicate-stage")
      ctx.Report(d.range, d.message);
  }
}

}  // namespace

const Rule kInvalidInstruction{
    {
        .slug = "invalid-instruction",
        .aliases = {"DL3011", "DL3043", "DL3061"},
        .severity = Severity::kError,
        .title = "Instruction that BuildKit refuses",
        .rationale = "BuildKit stops the build at this instruction: an unknown instruction or "
                     "flag, a wrong number of arguments, or a value it cannot use.",
        .bad = {{"FROM alpine\nRUNN make\n", {"2:1"}},
                {"FROM alpine\nCOPY --frm=build /a /b\n", {"2:6"}},
                {"FROM alpine\nONBUILD FROM x\n", {"2:9"}}},
        .good = {{"FROM alpine\nRUN make\nCOPY --from=alpine /etc/os-release /\n", {}}},
    },
    Check};

}  // namespace dockit::lint

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
                {"FROM alpine\nONBUILD FROM x\n", {"2:9"}},
                {"FROM alpine\nARG PORT_MAX=39999\nEXPOSE 40000-${PORT_MAX}\n", {"3:8"}}},
        .good = {{"FROM alpine\nRUN make\nCOPY --from=alpine /etc/os-release /\n", {}},
                 {"FROM alpine\nEXPOSE 40000-${PORT_MAX}\n", {}}},
        .differs_from_hadolint =
            "A port with a variable that nothing in the file sets (`40000-${PORT_MAX}`) is not "
            "judged: the base image's ENV may set it.",
    },
    Check};

}  // namespace dockit::lint

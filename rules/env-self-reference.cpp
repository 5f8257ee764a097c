// `ENV A=1 B=$A`: every value of one ENV is expanded before any of its keys is set, so B does
// not get the new A.
#include <set>

#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  const Analysis& analysis = ctx.Meaning();
  char escape = ctx.Tree().escape;
  std::set<std::string> global;
  for (const TypedInstruction& ins : analysis.global_args) {
    if (const auto* arg = std::get_if<ArgCmd>(&ins.args)) {
      for (const ArgDecl& d : arg->args) global.insert(d.name.value);
    }
  }
  for (const Stage& stage : analysis.stages) {
    // Names set before the instruction: a reference to one of them gets the old value, which
    // may well be meant (PATH=/x:$PATH).
    std::set<std::string> defined;
    for (const Stage* s : StageChain(analysis, stage)) {
      if (s == &stage) continue;
      for (const auto& [k, v] : s->env) defined.insert(k);
    }
    for (const TypedInstruction& ins : stage.instructions) {
      if (const auto* arg = std::get_if<ArgCmd>(&ins.args)) {
        for (const ArgDecl& d : arg->args) defined.insert(d.name.value);
      }
      if (ins.kind != InstructionKind::kEnv) continue;
      const auto& a = ins.syntax->args;
      std::set<std::string> earlier;
      for (size_t i = 0; i + 2 < a.size(); i += 3) {
        for (const VarRef& ref : VarRefs(a[i + 1].value, escape)) {
          if (!earlier.count(ref.name) || defined.count(ref.name)) continue;
          ctx.Report(WordSubRange(ctx.File(), *ins.syntax, a[i + 1], ref.begin, ref.end),
                     "\"" + ref.name +
                         "\" is set by this same ENV, whose values are all expanded before it "
                         "is set: move " +
                         a[i].value + " to a second ENV");
        }
        earlier.insert(a[i].value);
      }
      for (size_t i = 0; i + 2 < a.size(); i += 3) defined.insert(a[i].value);
    }
  }
}

}  // namespace

const Rule kEnvSelfReference{
    {
        .slug = "env-self-reference",
        .aliases = {"DL3044"},
        .severity = Severity::kError,
        .title = "ENV value uses a variable set by the same ENV",
        .rationale =
            "The builder expands every value of an ENV instruction before it sets any of its "
            "keys. In `ENV DIR=/opt/app BIN=$DIR/bin`, `$DIR` is still unset (or has its old "
            "value), so BIN becomes `/bin`. Set the variable in an earlier ENV. A reference "
            "to a variable that was already set before the instruction is not reported: it "
            "gets the old value, which is often what was meant.",
        .bad = {{"FROM alpine\nENV DIR=/opt/app BIN=$DIR/bin\n", {"2:22"}},
                {"FROM alpine\nENV A=1 \\\n    B=${A}2\n", {"3:7"}}},
        .good = {{"FROM alpine\nENV DIR=/opt/app\nENV BIN=$DIR/bin\n", {}},
                 {"FROM alpine\nENV PATH=/opt/bin:$PATH\n", {}},
                 {"FROM alpine\nENV V=1\nENV V=2 W=$V\n", {}},
                 {"FROM alpine\nENV A=1 B='$A'\n", {}}},
    },
    Check};

}  // namespace dockit::lint

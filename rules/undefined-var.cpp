// A $VAR the builder expands (FROM, COPY, ENV, WORKDIR, ...) that no ARG or ENV sets.
#include "rules/all.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  for (const Diagnostic& d : ctx.Meaning().diagnostics) {
    if (d.code == "undefined-var") ctx.Report(d.range, d.message);
  }
}

}  // namespace

const Rule kUndefinedVar{
    {
        .slug = "undefined-var",
        .aliases = {"UndefinedVar", "UndefinedArgInFrom"},
        .severity = Severity::kWarning,
        .title = "Variable used but never set",
        .rationale = "The builder expands $VAR in FROM, COPY, ADD, ENV, LABEL, WORKDIR, USER, "
                     "EXPOSE, VOLUME and STOPSIGNAL. A variable that no ARG or ENV sets expands "
                     "to nothing, which is rarely what was meant (often a typo).",
        .bad = {{"FROM alpine\nENV APP_HOME=/app\nWORKDIR $APP_HOEM\n", {"3:9"}}},
        .good = {{"FROM alpine\nENV APP_HOME=/app\nWORKDIR $APP_HOME\n", {}},
                 {"FROM alpine\nARG VERSION\nLABEL v=$VERSION\n", {}},
                 {"FROM alpine\nWORKDIR ${ROOT:-/srv}\n", {}}},
        .differs_from_hadolint =
            "hadolint has no such rule. Unlike BuildKit's check, uses with a default "
            "(${V:-x}, ${V-x}, ...) are not reported: they handle the unset case on purpose. "
            "BuildKit reads the base image's ENV from the registry; dlint has no registry, so a "
            "variable only the base image sets (PYTHON_VERSION in python) is reported with the "
            "hint \"unless the base image ... sets it\"; PATH is always known.",
    },
    Check};

}  // namespace dockit::lint

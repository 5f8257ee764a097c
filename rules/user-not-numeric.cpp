// `USER app`: Kubernetes' runAsNonRoot can only verify a numeric user id, and the name must
// exist in the image's /etc/passwd for the runtime to resolve it.
#include "rules/all.hpp"

namespace dockit::lint {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

void Check(RuleContext& ctx) {
  ctx.ForEachInstruction([&](const Stage&, const TypedInstruction& ins) {
    if (ins.kind != InstructionKind::kUser) return;
    const auto* user = std::get_if<SingleValueCmd>(&ins.args);
    if (!user) return;
    // A value built from variables is decided at build time; it is not judged.
    if (ins.syntax->ArgsText().find('$') != std::string_view::npos) return;
    std::string_view v = user->value.value;
    std::string_view name = v.substr(0, v.find(':'));
    if (AllDigits(name)) return;
    // Windows containers have no numeric ids.
    if (name == "ContainerAdministrator" || name == "ContainerUser") return;
    ctx.Report(user->value.range, "USER " + std::string(name) +
                                      " is not a numeric user id: runAsNonRoot cannot verify "
                                      "it; use the uid (USER 10001:10001)");
  });
}

}  // namespace

const Rule kUserNotNumeric{
    {
        .slug = "user-not-numeric",
        .aliases = {"DL3066"},
        .severity = Severity::kInfo,
        .title = "Use a numeric user id in USER",
        .rationale =
            "A user name is resolved through the image's /etc/passwd when the container starts. "
            "Kubernetes' `runAsNonRoot` cannot verify that a name is not root and refuses to "
            "start such a container, and a host or runtime that maps users sees only numbers. "
            "`USER 10001:10001` says exactly who runs the process.",
        .bad = {{"FROM alpine\nRUN adduser -D -u 10001 app\nUSER app\n", {"3:6"}},
                {"FROM alpine\nUSER nobody:65534\n", {"2:6"}}},
        .good = {{"FROM alpine\nUSER 10001\n", {}},
                 {"FROM alpine\nUSER 10001:10001\n", {}},
                 {"FROM alpine\nUSER 65534:nogroup\n", {}},
                 {"FROM alpine\nARG UID=10001\nUSER ${UID}\n", {}},
                 {"FROM mcr.microsoft.com/windows/servercore:ltsc2022\nUSER ContainerUser\n", {}}},
        .opt_in = true,
        .differs_from_hadolint =
            "Like hadolint, only the user part is judged (a group name is accepted). Values "
            "with a variable are not judged, nor the Windows users ContainerUser and "
            "ContainerAdministrator, which have no numeric id.",
    },
    Check};

}  // namespace dockit::lint

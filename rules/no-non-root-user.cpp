// The final image runs its process as root: a compromised process then owns the container, and
// any escape starts from uid 0 on the host (unless user namespaces remap it).
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

bool IsRoot(std::string_view user) {
  std::string_view name = user.substr(0, user.find(':'));
  return name == "root" || name == "0";
}

// Base images known to set an unprivileged USER themselves (distroless :nonroot, Chainguard).
bool BaseSetsNonRootUser(std::string_view image) {
  return image.find("nonroot") != std::string_view::npos ||
         image.find("non-root") != std::string_view::npos;
}

// The entrypoint of images such as postgres or redis starts as root to fix permissions, then
// drops to an unprivileged user with gosu or su-exec: installing one of them says so.
bool DropsPrivileges(const Stage& stage) {
  for (const TypedInstruction& ins : stage.instructions) {
    if (ins.kind != InstructionKind::kRun && ins.kind != InstructionKind::kEntrypoint &&
        ins.kind != InstructionKind::kCmd)
      continue;
    std::string_view text = ins.syntax->line.Text();
    for (std::string_view tool :
         {"gosu", "su-exec", "setpriv", "chpst", "runuser", "s6-setuidgid"}) {
      if (text.find(tool) != std::string_view::npos) return true;
    }
  }
  return false;
}

void Check(RuleContext& ctx) {
  const Stage* final_stage = ctx.FinalStage();
  if (!final_stage || final_stage->instructions.empty()) return;
  // The final stage inherits USER from the stages it is built FROM: the last USER along the
  // chain wins.
  for (const Stage* stage : StageChain(ctx.Meaning(), *final_stage)) {
    const TypedInstruction* last_user = nullptr;
    for (const TypedInstruction& ins : stage->instructions) {
      if (ins.kind == InstructionKind::kUser && !ins.syntax->args.empty()) last_user = &ins;
    }
    if (!last_user) continue;
    const auto* user = std::get_if<SingleValueCmd>(&last_user->args);
    if (!user || !IsRoot(user->value.value)) return;
    ctx.Report(last_user->syntax->args[0].range,
               "the final stage runs as root: switch to an unprivileged USER after the steps "
               "that need root");
    return;
  }
  std::vector<const Stage*> chain = StageChain(ctx.Meaning(), *final_stage);
  const Stage& root = *chain.back();
  if (BaseSetsNonRootUser(root.base.value) || IsWindowsImage(root.base.value)) return;
  bool runs_something = text::AsciiLower(root.base.value) != "scratch";
  for (const Stage* stage : chain) {
    if (DropsPrivileges(*stage)) return;
    for (const TypedInstruction& ins : stage->instructions) {
      runs_something |=
          ins.kind == InstructionKind::kCmd || ins.kind == InstructionKind::kEntrypoint;
    }
  }
  // A FROM scratch image without a command only carries files (for COPY --from or --output):
  // no process of it ever runs.
  if (!runs_something) return;
  const Instruction& from = *final_stage->instructions.front().syntax;
  ctx.Report(from.keyword_range,
             "the final stage sets no USER, so it runs as root: add a USER with an unprivileged "
             "user (a numeric uid works even without /etc/passwd)");
}

}  // namespace

const Rule kNoNonRootUser{
    {
        .slug = "no-non-root-user",
        .aliases = {"DL3002"},
        .severity = Severity::kWarning,
        .title = "The final image runs as root",
        .rationale =
            "A process running as root inside the container can modify the whole image "
            "filesystem and, through a kernel or runtime vulnerability, escape as root on the "
            "host. Switch to an unprivileged user with USER once the steps that need root "
            "(installing packages) are done. The USER of the final stage decides: the last one "
            "wins, and a stage built FROM another stage inherits its USER. FROM scratch finals "
            "with a CMD or ENTRYPOINT are reported too: a static binary there also runs as uid "
            "0, and `USER 65534` works without any /etc/passwd. Not reported: a scratch final "
            "with no command (it only carries files), Windows bases (no root user), base "
            "images named `nonroot`, and stages that install gosu, su-exec, setpriv, chpst, "
            "runuser or s6-setuidgid, whose entrypoint drops privileges at start.",
        .bad =
            {{"FROM python:3.12\nCOPY app.py /app/\nCMD [\"python\", \"/app/app.py\"]\n", {"1:1"}},
             {"FROM alpine:3.20\nUSER app\nRUN id\nUSER root\n", {"4:6"}},
             {"FROM alpine:3.20\nUSER 0:0\n", {"2:6"}},
             {"FROM golang:1.22 AS build\nUSER nobody\nFROM alpine:3.20\nCOPY --from=build /a /a\n",
              {"3:1"}},
             {"FROM scratch\nCOPY app /app\nENTRYPOINT [\"/app\"]\n", {"1:1"}}},
        .good = {{"FROM alpine:3.20\nRUN adduser -D app\nUSER app\n", {}},
                 {"FROM alpine:3.20\nUSER root\nRUN apk add curl\nUSER 1000:1000\n", {}},
                 {"FROM alpine:3.20 AS base\nUSER app\nFROM base\nRUN id\n", {}},
                 {"FROM root AS build\nFROM scratch\nUSER 65534\n", {}},
                 {"FROM golang AS build\nFROM scratch\nCOPY --from=build /out /\n", {}},
                 {"FROM debian:12\nRUN apt-get update && apt-get install -y gosu\n"
                  "ENTRYPOINT [\"docker-entrypoint.sh\"]\n",
                  {}},
                 {"FROM gcr.io/distroless/static:nonroot\nCOPY app /app\n", {}}},
        .differs_from_hadolint =
            "hadolint reports every stage whose last USER is root, earlier stages included; "
            "only the final stage is checked here, since the user of a builder stage never "
            "reaches the image that runs. A final stage with no USER at all is reported too "
            "(the image runs as root unless its base image says otherwise), with the "
            "exceptions listed above. A USER set in a stage the final stage is built FROM "
            "counts.",
    },
    Check};

}  // namespace dockit::lint

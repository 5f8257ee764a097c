// ARG and ENV values end up in the image: ENV in its config, ARG in its build history.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

// BuildKit's pattern: one `_`-separated part of the name is a secret word, and none says the
// value is public, a file name or a version.
bool LooksSecret(std::string_view name) {
  bool secret = false;
  std::string lower = text::AsciiLower(name);
  size_t start = 0;
  while (start <= lower.size()) {
    size_t end = lower.find('_', start);
    if (end == std::string::npos) end = lower.size();
    std::string_view part = std::string_view(lower).substr(start, end - start);
    for (std::string_view w : {"apikey", "auth", "credential", "credentials", "key", "password",
                               "pword", "passwd", "secret", "token"}) {
      secret |= part == w;
    }
    // `gpg`: GPG_KEY and friends hold public key fingerprints (every official python image).
    for (std::string_view w : {"public", "file", "version", "gpg"}) {
      if (part == w) return false;
    }
    start = end + 1;
  }
  return secret;
}

// A flag such as USE_GKE_GCLOUD_AUTH_PLUGIN=True names a secret-handling feature; its value is
// no secret.
bool Switch(std::string_view value) {
  std::string lower = text::AsciiLower(value);
  for (std::string_view v : {"true", "false", "yes", "no", "on", "off", "0", "1"}) {
    if (lower == v) return true;
  }
  return false;
}

void Check(RuleContext& ctx) {
  auto check_arg = [&](const TypedInstruction& ins) {
    const auto* arg = std::get_if<ArgCmd>(&ins.args);
    if (!arg) return;
    for (const ArgDecl& decl : arg->args) {
      if (!LooksSecret(decl.name.value)) continue;
      ctx.Report(decl.name.range,
                 "ARG \"" + decl.name.value +
                     "\" looks like a secret, and build arguments stay in the image history: "
                     "use RUN --mount=type=secret instead");
    }
  };
  for (const TypedInstruction& ins : ctx.Meaning().global_args) check_arg(ins);
  ctx.ForEachInstruction([&](const Stage&, const TypedInstruction& ins) {
    if (ins.kind == InstructionKind::kArg) check_arg(ins);
    if (ins.kind != InstructionKind::kEnv) return;
    const auto* env = std::get_if<EnvCmd>(&ins.args);
    if (!env) return;
    for (const KeyValue& kv : env->pairs) {
      if (!LooksSecret(kv.key.value) || Switch(kv.value.value)) continue;
      ctx.Report(kv.key.range,
                 "ENV \"" + kv.key.value +
                     "\" looks like a secret, and ENV is stored in the image config: use RUN "
                     "--mount=type=secret at build time, and pass it at run time");
    }
  });
}

}  // namespace

const Rule kSecretsInArgOrEnv{
    {
        .slug = "secrets-in-arg-or-env",
        .aliases = {"DL3064", "SecretsUsedInArgOrEnv"},
        .severity = Severity::kWarning,
        .title = "Secret passed with ARG or ENV",
        .rationale =
            "ENV values are stored in the image configuration and ARG values in its build "
            "history: anyone who can pull the image can read them. Pass secrets to the build "
            "with `RUN --mount=type=secret,id=...` and to the container at run time. Names are "
            "matched like BuildKit does: a `_`-separated part such as KEY, TOKEN, PASSWORD, "
            "SECRET or AUTH, unless another part is PUBLIC, FILE or VERSION.",
        .bad = {{"FROM alpine\nARG AWS_SECRET_ACCESS_KEY\n", {"2:5"}},
                {"FROM alpine\nENV DB_PASSWORD=hunter2 API_TOKEN=abc\n", {"2:5", "2:25"}},
                {"ARG NPM_TOKEN\nFROM node:20\n", {"1:5"}}},
        .good = {{"FROM alpine\nRUN --mount=type=secret,id=aws_key,env=AWS_SECRET_ACCESS_KEY "
                  "aws s3 ls\n",
                  {}},
                 {"FROM alpine\nENV PASSWORD_FILE=/run/secrets/db KEY_VERSION=2\n", {}},
                 {"FROM python:3.12\nENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D\n", {}},
                 {"FROM alpine\nENV KEYBOARD=us MONKEY=1\n", {}},
                 {"FROM google/cloud-sdk\nENV USE_GKE_GCLOUD_AUTH_PLUGIN=True\n", {}}},
        .differs_from_hadolint =
            "hadolint has no such rule. Unlike BuildKit, names with a GPG part (GPG_KEY: a "
            "public key fingerprint, set by every official python image) are not reported, "
            "nor ENV values that are a switch (true, false, yes, no, on, off, 0, 1).",
    },
    Check};

}  // namespace dockit::lint

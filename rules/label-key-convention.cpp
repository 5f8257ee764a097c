// LABEL keys follow Docker's convention: lower-case reverse-DNS (`org.opencontainers.image.title`),
// with the docker namespaces reserved.
#include "rules/all.hpp"

namespace dockit::lint {
namespace {

bool Lower(char c) { return c >= 'a' && c <= 'z'; }
bool Digit(char c) { return c >= '0' && c <= '9'; }

// Why `key` breaks the convention, or "" when it follows it (hadolint's DL3048 check).
std::string_view Problem(std::string_view key) {
  if (key.empty() || !Lower(key.front())) return "must start with a lower-case letter";
  if (!Lower(key.back()) && !Digit(key.back())) {
    return "must end with a lower-case letter or a digit";
  }
  for (char c : key) {
    if (!Lower(c) && !Digit(c) && c != '.' && c != '-') {
      return "may only hold lower-case letters, digits, '.' and '-'";
    }
  }
  if (key.find("..") != std::string_view::npos || key.find("--") != std::string_view::npos) {
    return "must not hold consecutive separators";
  }
  if (key.starts_with("com.docker.") || key.starts_with("io.docker.") ||
      key.starts_with("org.dockerproject.")) {
    return "uses a namespace reserved by Docker";
  }
  return "";
}

void Check(RuleContext& ctx) {
  const std::string& text = ctx.File().Text();
  ctx.ForEachInstruction([&](const Stage&, const TypedInstruction& ins) {
    if (ins.kind != InstructionKind::kLabel) return;
    const auto* label = std::get_if<EnvCmd>(&ins.args);
    if (!label) return;
    for (const KeyValue& kv : label->pairs) {
      const SourceRange& r = kv.key.range;
      std::string_view raw =
          r.end.offset > r.begin.offset && r.end.offset <= text.size()
              ? std::string_view(text).substr(r.begin.offset, r.end.offset - r.begin.offset)
              : std::string_view();
      if (raw.find('$') != std::string_view::npos) continue;  // decided at build time
      std::string_view problem = Problem(kv.key.value);
      if (problem.empty()) continue;
      ctx.Report(r, "label key \"" + kv.key.value + "\" " + std::string(problem));
    }
  });
}

}  // namespace

const Rule kLabelKeyConvention{
    {
        .slug = "label-key-convention",
        .aliases = {"DL3048"},
        .severity = Severity::kStyle,
        .title = "Label keys should be lower-case reverse-DNS names",
        .rationale =
            "Docker's guidelines ask for label keys in lower-case reverse-DNS notation "
            "(`org.opencontainers.image.source`, `com.example.team`): letters, digits, dots "
            "and dashes, starting with a letter, without doubled separators, and outside the "
            "`com.docker.*`, `io.docker.*` and `org.dockerproject.*` namespaces that Docker "
            "reserves. Tools that read labels expect that shape.",
        .bad = {{"FROM alpine\nLABEL Maintainer=\"ops@example.com\" version=1.0\n", {"2:7"}},
                {"FROM alpine\nLABEL com.docker.compose.project=x org.example..team=y "
                 "build_date=2024\n",
                 {"2:7", "2:36", "2:56"}}},
        .good = {{"FROM alpine\nLABEL org.opencontainers.image.source=\"https://example.com\" "
                  "maintainer=ops\n",
                  {}},
                 {"FROM alpine\nLABEL com.example.version-2=\"1\"\n", {}},
                 {"FROM alpine\nARG PREFIX=org.example\nLABEL ${PREFIX}.team=ops\n", {}}},
        .differs_from_hadolint =
            "Keys written with a variable are not judged. Each bad key is its own finding.",
    },
    Check};

}  // namespace dockit::lint

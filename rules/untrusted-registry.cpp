// Only images from the registries a team trusts (`trusted-registries` in .dlint.yaml,
// `trustedRegistries` in .hadolint.yaml, `--trusted-registry REG`). Without that setting the rule
// is silent.
#include "parser/text.hpp"
#include "rules/all.hpp"

namespace dockit::lint {
namespace {

// The registry of an image reference, as Docker resolves it: the first path component when it
// looks like a host (has '.' or ':' or is localhost), else Docker Hub.
std::string RegistryOf(std::string_view image) {
  size_t slash = image.find('/');
  if (slash != std::string_view::npos) {
    std::string_view first = image.substr(0, slash);
    if (first.find('.') != std::string_view::npos || first.find(':') != std::string_view::npos ||
        first == "localhost") {
      return text::AsciiLower(first);
    }
  }
  return "docker.io";
}

bool Trusted(const std::string& registry, const std::vector<std::string>& trusted) {
  for (const std::string& t : trusted) {
    std::string want = text::AsciiLower(t);
    if (want == registry || want == "*") return true;  // "*": every registry
    if (want == "docker.io" &&
        (registry == "index.docker.io" || registry == "registry-1.docker.io")) {
      return true;
    }
    // `*.example.com` trusts every subdomain.
    if (want.starts_with("*.") && registry.ends_with(want.substr(1))) return true;
  }
  return false;
}

void Check(RuleContext& ctx) {
  const std::vector<std::string>& trusted = ctx.Settings().trusted_registries;
  if (trusted.empty()) return;
  auto check = [&](const std::string& image, const SourceRange& range) {
    if (image.empty() || text::AsciiLower(image) == "scratch" ||
        image.find('$') != std::string::npos) {
      return;
    }
    std::string registry = RegistryOf(image);
    if (Trusted(registry, trusted)) return;
    ctx.Report(range, "image \"" + image + "\" comes from " + registry +
                          ", which is not a trusted registry (trusted-registries in .dlint.yaml, "
                          "--trusted-registry)");
  };
  for (const Stage& stage : ctx.Meaning().stages) {
    if (!stage.base_stage) check(stage.base.value, stage.base.range);
    for (const TypedInstruction& ins : stage.instructions) {
      const auto* copy = std::get_if<CopyCmd>(&ins.args);
      if (!copy || !copy->from) continue;
      const std::string& from = copy->from->value;
      bool names_stage = false;
      for (const Stage& s : ctx.Meaning().stages) names_stage |= s.name == text::AsciiLower(from);
      bool index = !from.empty() && from.find_first_not_of("0123456789") == std::string::npos;
      if (!names_stage && !index) check(from, copy->from->range);
    }
  }
}

}  // namespace

const Rule kUntrustedRegistry{
    {
        .slug = "untrusted-registry",
        .aliases = {"DL3026"},
        .severity = Severity::kError,
        .title = "Image from a registry that is not trusted",
        .rationale = "Teams that only allow images from their own mirror or a vetted registry "
                     "list it under trusted-registries; any other source is a supply-chain risk. "
                     "`*.example.com` trusts the subdomains of example.com, `*` every registry.",
        .bad =
            {{"FROM evil.example.org/tools/base:1.0\n", {"1:6"}, {}, std::nullopt, {"docker.io"}},
             {"FROM alpine:3.20\nCOPY --from=quay.io/app/bin:1 /bin/app /bin/\n",
              {"1:6", "2:6"},
              {},
              std::nullopt,
              {"registry.example.com"}}},
        .good = {{"FROM alpine:3.20\n", {}, {}, std::nullopt, {"docker.io"}},
                 {"FROM evil.example.org/base:1\n", {}, {}, std::nullopt, {"*"}},
                 {"FROM registry.example.com/base:1\n", {}, {}, std::nullopt, {"*.example.com"}},
                 {"FROM evil.example.org/base:1\n", {}},
                 {"FROM alpine:3.20 AS build\nFROM build\nCOPY --from=build /a /a\nCOPY --from=0 "
                  "/b /b\n",
                  {},
                  {},
                  std::nullopt,
                  {"docker.io"}}},
    },
    Check};

}  // namespace dockit::lint

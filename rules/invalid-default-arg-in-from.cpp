// `ARG TAG` + `FROM busybox:${TAG}`: without --build-arg the image name is `busybox:`, which
// no registry accepts.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

// A reference docker accepts: [registry/]path[:tag][@digest], no empty part, lower-case path.
bool ValidReference(std::string_view ref) {
  std::string_view name = ref;
  if (size_t at = name.find('@'); at != std::string_view::npos) {
    if (at + 1 == name.size()) return false;
    name = name.substr(0, at);
  }
  size_t slash = name.rfind('/');
  size_t colon = name.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    std::string_view tag = name.substr(colon + 1);
    if (tag.empty() || tag.size() > 128) return false;
    for (char c : tag) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '.' || c == '-';
      if (!ok) return false;
    }
    if (tag[0] == '.' || tag[0] == '-') return false;
    name = name.substr(0, colon);
  }
  if (name.empty() || name.front() == '/' || name.back() == '/' ||
      name.find("//") != std::string_view::npos)
    return false;
  // The first component may be a registry host (with upper case or a port); the rest is a
  // lower-case path.
  size_t first = name.find('/');
  std::string_view host = first == std::string_view::npos ? "" : name.substr(0, first);
  bool is_host = host.find_first_of(".:") != std::string_view::npos || host == "localhost";
  std::string_view path = is_host ? name.substr(first + 1) : name;
  for (char c : path) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
              c == '-' || c == '/';
    if (!ok) return false;
  }
  return true;
}

void Check(RuleContext& ctx) {
  for (const Stage& stage : ctx.Meaning().stages) {
    if (stage.base_stage) continue;
    const Instruction& from = *stage.instructions.front().syntax;
    if (from.args.empty() || from.args[0].value.find('$') == std::string::npos) continue;
    const std::string& image = stage.base.value;
    // An empty name is already an error of invalid-instruction.
    // Text left with a `$` could not be expanded at all (templates such as ${a:b}): that is
    // another problem than a missing default.
    if (image.empty() || image.find('$') != std::string::npos || ValidReference(image)) continue;
    ctx.Report(
        from.args[0].range,
        "with the ARG defaults, \"" + from.args[0].value + "\" becomes \"" + image +
            "\", which is not a valid image name: declare the ARG before FROM with a default "
            "value");
  }
}

}  // namespace

const Rule kInvalidDefaultArgInFrom{
    {
        .slug = "invalid-default-arg-in-from",
        .aliases = {"InvalidDefaultArgInFrom"},
        .severity = Severity::kWarning,
        .title = "FROM needs --build-arg to name a valid image",
        .rationale =
            "When an ARG used in FROM has no default, a build without `--build-arg` expands "
            "the image name to something invalid such as `busybox:` and fails. A default that "
            "works keeps the plain `docker build .` working. Names that stay valid with an "
            "empty value (`alpine${VARIANT}`) are fine.",
        .bad = {{"ARG TAG\nFROM busybox:${TAG}\n", {"2:6"}},
                {"ARG REGISTRY\nFROM ${REGISTRY}/app:1.0\n", {"2:6"}}},
        .good = {{"ARG TAG=1.36\nFROM busybox:${TAG}\n", {}},
                 {"ARG VARIANT\nFROM busybox:stable${VARIANT}\n", {}},
                 {"FROM alpine:${TAG:-3.20}\n", {}},
                 {"ARG REGISTRY=localhost:5000\nFROM ${REGISTRY}/team/app:1.0\n", {}}},
    },
    Check};

}  // namespace dockit::lint

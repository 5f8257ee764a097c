// `ARG TAG` + `FROM busybox:${TAG}`: without --build-arg the image name is `busybox:`, which
// no registry accepts.
#include <map>

#include "parser/expand.hpp"
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

// The text after `NAME=` in an ARG instruction's words, as written (quotes included).
std::string RawDefault(const Instruction& arg, const std::string& name) {
  for (const Word& w : arg.args) {
    if (w.value.size() > name.size() && w.value.compare(0, name.size(), name) == 0 &&
        w.value[name.size()] == '=') {
      return w.value.substr(name.size() + 1);
    }
  }
  return "";
}

// The FROM text expanded with the ARG defaults before the first FROM (each default expanded with
// the ones before it) and the predefined platform ARGs; no --build-arg values.
std::string ExpandWithDefaults(const RuleContext& ctx, const std::string& text) {
  const Analysis& analysis = ctx.Meaning();
  std::map<std::string, std::string, std::less<>> vars;
  for (const char* name : {"BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
                           "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT"}) {
    if (auto it = analysis.meta_args.find(name); it != analysis.meta_args.end()) {
      vars[name] = it->second;
    }
  }
  ExpandOptions options;
  options.escape = ctx.Tree().escape;
  for (const TypedInstruction& ins : analysis.global_args) {
    const auto* arg = std::get_if<ArgCmd>(&ins.args);
    if (!arg) continue;
    for (const ArgDecl& decl : arg->args) {
      std::string value;
      if (decl.default_value) {
        // The raw default text is the word after `NAME=` in the syntax tree; the analysed
        // value may carry a --build-arg, so expand the raw text again.
        std::string raw = RawDefault(*ins.syntax, decl.name.value);
        auto expanded = ExpandWord(raw, MapLookup(vars), options);
        value = expanded ? expanded->value : decl.default_value->value;
      }
      vars[decl.name.value] = value;
    }
  }
  auto expanded = ExpandWord(text, MapLookup(std::move(vars)), options);
  return expanded ? expanded->value : text;
}

void Check(RuleContext& ctx) {
  for (const Stage& stage : ctx.Meaning().stages) {
    if (stage.base_stage) continue;
    const Instruction& from = *stage.instructions.front().syntax;
    if (from.args.empty() || from.args[0].value.find('$') == std::string::npos) continue;
    // BuildKit judges the defaults alone, whatever --build-arg says: the check is about the
    // plain `docker build .` that has no build args.
    std::string image = ExpandWithDefaults(ctx, from.args[0].value);
    // An empty name is already an error of invalid-instruction, unless --build-arg filled it.
    // Text left with a `$` could not be expanded at all (templates such as ${a:b}): that is
    // another problem than a missing default.
    if ((image.empty() && stage.base.value.empty()) || image.find('$') != std::string::npos ||
        (!image.empty() && ValidImageReference(image))) {
      continue;
    }
    // The advice depends on whether the ARGs are declared before FROM without a default, or
    // not declared there at all.
    bool declared = true;
    for (const VarRef& ref : VarRefs(from.args[0].value, ctx.Tree().escape)) {
      declared &= ctx.Meaning().meta_args.count(ref.name) > 0;
    }
    ctx.Report(from.args[0].range,
               "with the ARG defaults, \"" + from.args[0].value + "\" becomes \"" + image +
                   "\", which is not a valid image name: " +
                   (declared ? "give the ARG before FROM a default value"
                             : "declare the ARG before FROM with a default value"));
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

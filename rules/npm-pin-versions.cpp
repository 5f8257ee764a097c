// `npm install -g typescript` installs whatever the registry's latest tag is that day.
#include "rules/all.hpp"
#include "rules/packages_util.hpp"

namespace dockit::lint {
namespace {

bool IsGitSpec(std::string_view v) {
  return v.starts_with("git") || v.starts_with("github:") || v.starts_with("gitlab:") ||
         v.starts_with("bitbucket:") || v.starts_with("gist:");
}

bool Pinned(const ShellWord& w) {
  std::string_view v = w.value;
  if (w.HasExpansion()) return true;
  // Local folders and tarballs: the file is the version.
  if (v.starts_with('.') || v.starts_with('/') || v.starts_with('~') || v.starts_with("file:") ||
      v.ends_with(".tgz") || v.ends_with(".tar.gz") || v.ends_with(".tar"))
    return true;
  // Git: pinned by a #commit-ish.
  if (IsGitSpec(v) || v.find("://") != std::string_view::npos) {
    return v.find('#') != std::string_view::npos;
  }
  std::string_view name = v.starts_with('@') ? v.substr(1) : v;  // @scope/pkg
  size_t at = name.find('@');
  if (at == std::string_view::npos) {
    // user/repo is GitHub shorthand: pinned by #commit-ish like other git specs.
    return !v.starts_with('@') && v.find('/') != std::string_view::npos &&
           v.find('#') != std::string_view::npos;
  }
  std::string_view version = name.substr(at + 1);
  // Dist-tags move: pkg@latest is no pin.
  return !version.empty() && version != "latest" && version != "next";
}

// npm options whose value may be the next word (`--loglevel verbose`).
#define DOCKIT_NPM_FLAGS_WITH_VALUE                                                      \
  {                                                                                      \
    "--prefix", "--registry", "--cache", "-w", "--workspace", "--tag", "--loglevel",     \
        "--userconfig", "--omit", "--include", "--install-strategy", "--before", "--otp" \
  }

void Check(RuleContext& ctx) {
  packages::ForEachRunSite(ctx, [&](const packages::RunSite& site) {
    for (const packages::ManagerCall& call : packages::FindCalls(
             *site.script, "npm", {"install", "i", "add"}, DOCKIT_NPM_FLAGS_WITH_VALUE)) {
      for (const ShellWord* pkg : packages::Operands(call, DOCKIT_NPM_FLAGS_WITH_VALUE)) {
        if (Pinned(*pkg)) continue;
        ctx.Report(pkg->range, "pin the version of " + std::string(pkg->value) + ": npm " +
                                   std::string(call.subcommand->value) + " " +
                                   std::string(pkg->value) + "@<version>");
      }
    }
  });
}

#undef DOCKIT_NPM_FLAGS_WITH_VALUE

}  // namespace

const Rule kNpmPinVersions{
    {
        .slug = "npm-pin-versions",
        .aliases = {"DL3016"},
        .severity = Severity::kWarning,
        .title = "Pin versions in npm install",
        .rationale =
            "`npm install <pkg>` without a version takes the registry's latest release when the "
            "layer is built, so a rebuild can silently get a new major version. Pin with "
            "`pkg@1.2.3`, or install from package.json and its lock file (`npm ci`).",
        .bad = {{"FROM node:22\nRUN npm install -g typescript @angular/cli@17.3.0\n", {"2:20"}},
                {"FROM node:22\nRUN npm i -g pnpm@latest @vue/cli\n", {"2:14", "2:26"}}},
        .good = {{"FROM node:22\nRUN npm ci\n", {}},
                 {"FROM node:22\nRUN npm install\n", {}},
                 {"FROM node:22\nRUN npm install -g typescript@5.4.5 @angular/cli@^17\n", {}},
                 {"FROM node:22\nRUN npm install ./local-pkg /tmp/pkg.tgz "
                  "git+https://github.com/x/y.git#v1.0.0 x/y#abc123\n",
                  {}},
                 {"FROM node:22\nRUN npm install --loglevel verbose pkg-1.2.3.tar\n", {}}},
        .differs_from_hadolint =
            "Each unpinned package is reported at its own word. `pkg@latest` and `pkg@next` are "
            "reported (a dist-tag moves); words with an expansion count as pinned.",
    },
    Check};

}  // namespace dockit::lint

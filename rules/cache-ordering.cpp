// COPY of the whole build context (or the source tree) before the dependency install: every
// source edit changes the COPY's cache key, so the slow install re-runs on every build. Copying
// only the manifests first keeps the install cached until the dependencies change.
#include <algorithm>
#include <optional>
#include <string>

#include "parser/dockerignore.hpp"
#include "rules/all.hpp"
#include "rules/shell_util.hpp"

namespace dockit::lint {
namespace {

struct Ecosystem {
  std::string_view name;
  std::vector<std::string_view> manifests;  // basenames; a COPY of any of them counts
};

const Ecosystem kPip{"pip",
                     {"requirements*.txt", "requirements", "setup.py", "setup.cfg",
                      "pyproject.toml", "constraints*.txt"}};
const Ecosystem kNpm{"npm", {"package.json", "package-lock.json", "npm-shrinkwrap.json"}};
const Ecosystem kYarn{"yarn", {"package.json", "yarn.lock", ".yarnrc.yml", ".yarnrc"}};
const Ecosystem kPnpm{"pnpm", {"package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml"}};
const Ecosystem kBundler{"bundler", {"Gemfile", "Gemfile.lock", "*.gemspec"}};
const Ecosystem kComposer{"composer", {"composer.json", "composer.lock"}};
const Ecosystem kGo{"go", {"go.mod", "go.sum", "go.work", "go.work.sum", "vendor"}};
// recipe.json: cargo-chef's dependency recipe.
const Ecosystem kCargo{"cargo", {"Cargo.toml", "Cargo.lock", "recipe.json"}};
const Ecosystem kMaven{"maven", {"pom.xml"}};
const Ecosystem kGradle{"gradle",
                        {"build.gradle", "build.gradle.kts", "settings.gradle",
                         "settings.gradle.kts", "gradle.properties", "libs.versions.toml"}};
const Ecosystem kPoetry{"poetry", {"pyproject.toml", "poetry.lock"}};
const Ecosystem kPipenv{"pipenv", {"Pipfile", "Pipfile.lock"}};

// Sources that bring in the whole project: the context itself or a typical source tree.
bool IsWholeTree(std::string_view src) {
  std::string clean = gopath::Clean(src);
  for (std::string_view tree : {".", "*", "src", "app", "lib", "source", "sources"}) {
    if (clean == tree) return true;
  }
  return false;
}

// `npm install` / `yarn add`-free installs: no package names, so they read the manifest.
bool NoPackageArgs(const CommandView& view, size_t skip) {
  std::vector<const ShellWord*> args = Args(view);
  return args.size() <= skip;
}

// The ecosystem whose manifest this command installs from; nullptr when it is no such install.
const Ecosystem* InstallOf(const CommandView& view) {
  std::string_view name = view.Name();
  const ShellWord* sub = Subcommand(view);
  std::string_view s = sub ? sub->value : std::string_view();
  CommandView pip;
  if (AsPip(view, &pip)) {
    const ShellWord* pip_sub = Subcommand(pip);
    if (pip_sub && pip_sub->value == "install" && HasFlag(pip, {"-r", "--requirement"}))
      return &kPip;
    return nullptr;
  }
  if (name == "npm" && (s == "ci" || ((s == "install" || s == "i") && NoPackageArgs(view, 1))))
    return &kNpm;
  if (name == "yarn" && (!sub || (s == "install" && NoPackageArgs(view, 1)))) return &kYarn;
  if (name == "pnpm" && (s == "install" || s == "i") && NoPackageArgs(view, 1)) return &kPnpm;
  if (name == "bundle" && s == "install") return &kBundler;
  if (name == "composer" && s == "install") return &kComposer;
  if (name == "go" && s == "mod") {
    std::vector<const ShellWord*> args = Args(view);
    if (args.size() >= 2 && args[1]->value == "download") return &kGo;
  }
  if (name == "cargo" && (s == "fetch" || s == "build")) return &kCargo;
  if (name == "mvn" || name == "mvnw") {
    for (const ShellWord* arg : Args(view, {"-f", "--file", "-s", "--settings", "-pl", "-P"})) {
      std::string_view a = arg->value;
      if (a.starts_with("dependency:") || a == "compile" || a == "package" || a == "install" ||
          a == "verify")
        return &kMaven;
    }
  }
  if ((name == "gradle" || name == "gradlew") && s == "build") return &kGradle;
  if (name == "poetry" && s == "install") return &kPoetry;
  if (name == "pipenv" && s == "install") return &kPipenv;
  return nullptr;
}

// A COPY/ADD source that brings a manifest of `eco` (or an install's own -r file).
bool BringsManifest(const CopyCmd& copy, const Ecosystem& eco) {
  for (const Expanded& src : copy.sources) {
    std::string clean = gopath::Clean(src.value);
    std::string_view base = Basename(clean);
    for (std::string_view manifest : eco.manifests) {
      // The source may itself be a pattern (package*.json) or name a manifest exactly.
      if (gopath::Match(base, manifest).value_or(false) ||
          gopath::Match(manifest, base).value_or(false))
        return true;
    }
    // A requirements/ directory, a directory of manifests.
    if (base.find("requirement") != std::string_view::npos) return true;
  }
  return false;
}

void Check(RuleContext& ctx) {
  for (const Stage& stage : ctx.Meaning().stages) {
    // The COPY of the whole tree that is still waiting for an install after it.
    const TypedInstruction* whole = nullptr;
    const Expanded* whole_src = nullptr;
    std::vector<const CopyCmd*> copies_before;  // COPYs before `whole`
    std::vector<const Ecosystem*> installed_before;
    bool reported = false;
    for (const TypedInstruction& ins : stage.instructions) {
      if (const auto* copy = std::get_if<CopyCmd>(&ins.args)) {
        if (whole) continue;
        if (!copy->from && ins.syntax->heredocs.empty()) {
          for (const Expanded& src : copy->sources) {
            if (IsWholeTree(src.value)) {
              whole = &ins;
              whole_src = &src;
              reported = false;
              break;
            }
          }
        }
        if (!whole) copies_before.push_back(copy);
        continue;
      }
      const auto* run = std::get_if<RunCmd>(&ins.args);
      if (!run) continue;
      for (const CommandView& view : RunCommands(ctx.Shell(*ins.syntax))) {
        const Ecosystem* eco = InstallOf(view);
        if (!eco) continue;
        if (!whole) {
          installed_before.push_back(eco);
          continue;
        }
        if (reported) break;
        // Dependencies already installed from their manifests before the whole COPY: this
        // install (`pip install -e .`, a build) needs the sources anyway.
        bool manifest_first = std::find(installed_before.begin(), installed_before.end(), eco) !=
                              installed_before.end();
        for (const CopyCmd* c : copies_before) manifest_first |= BringsManifest(*c, *eco);
        // A cache mount keeps the downloads across builds: the author chose that instead.
        if (manifest_first || HasCacheMount(*run)) continue;
        const auto& whole_copy = std::get<CopyCmd>(whole->args);
        std::string what = whole_copy.is_add ? "ADD" : "COPY";
        ctx.Report(whole_src->range,
                   what + " of \"" + whole_src->value + "\" before \"" + CommandSummary(view) +
                       "\" on line " + std::to_string(view.argv[0].range.begin.line) +
                       " re-runs the " + std::string(eco->name) +
                       " install on every source change; copy " + std::string(eco->manifests[0]) +
                       " and the other dependency manifests first, install, then copy the rest");
        reported = true;
        break;
      }
    }
  }
}

}  // namespace

const Rule kCacheOrdering{
    {
        .slug = "cache-ordering",
        .aliases = {},
        .severity = Severity::kWarning,
        .title = "Sources copied before the dependency install",
        .rationale =
            "A COPY's cache key covers every file it copies. When the whole context (or the "
            "source tree) is copied before `npm ci`, `pip install -r`, `go mod download` and the "
            "like, any edit to any source file invalidates that COPY and every step after it, so "
            "all dependencies are downloaded and installed again on each build. Copy the "
            "manifests (package.json and its lock file, requirements.txt, go.mod and go.sum, "
            "...) first, install, and copy the rest afterwards: the install then stays cached "
            "until the dependencies change.",
        .bad = {{"FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"index.js\"]\n",
                 {"3:6"}},
                {"FROM python:3.12\nCOPY ./ /app\nRUN pip install -r /app/requirements.txt\n",
                 {"2:6"}},
                {"FROM golang:1.22\nWORKDIR /src\nCOPY src/ ./src/\nCOPY go.mod .\n"
                 "RUN go mod download && go build ./...\n",
                 {"3:6"}}},
        .good = {{"FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\n"
                  "RUN npm ci\nCOPY . .\nRUN npm run build\n",
                  {}},
                 {"FROM python:3.12\nCOPY requirements.txt .\nRUN pip install -r "
                  "requirements.txt\nCOPY . .\nRUN pip install --no-deps -e .\n",
                  {}},
                 {"FROM node:20\nCOPY package*.json ./\nCOPY . .\nRUN npm ci\n", {}},
                 {"FROM node:20\nCOPY . .\nRUN npm install -g pm2\n", {}},
                 {"FROM rust:1\nCOPY --from=planner /app/recipe.json .\nRUN cargo chef cook\n"
                  "COPY . .\nRUN cargo build --release\n",
                  {}},
                 {"FROM golang:1.22\nCOPY . .\n"
                  "RUN --mount=type=cache,target=/go/pkg/mod go mod download\n",
                  {}}},
        .differs_from_hadolint =
            "hadolint has no such rule. A RUN with a cache mount is accepted: the downloads "
            "survive across builds there.",
    },
    Check};

}  // namespace dockit::lint

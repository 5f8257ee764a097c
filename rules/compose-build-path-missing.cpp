// A service's build context or Dockerfile that does not exist in the project folder.
#include "rules/all.hpp"

namespace dockit::lint {
namespace {

// Paths this rule cannot check: remote contexts (Git URLs, tarballs over HTTP), variables that
// Compose interpolates from the environment, and absolute paths of another machine.
bool Checkable(std::string_view path) {
  if (path.empty() || path.front() == '/' || path.find('$') != std::string_view::npos) return false;
  if (path.find("://") != std::string_view::npos || path.starts_with("git@") ||
      path.starts_with("github.com/") || path.ends_with(".git") ||
      path.find(".git#") != std::string_view::npos) {
    return false;
  }
  return path.find(':') == std::string_view::npos;  // C:\... and other non-local forms
}

std::string Join(std::string_view dir, std::string_view file) {
  if (dir.empty() || dir == ".") return std::string(file);
  std::string out(dir);
  if (out.back() != '/') out += '/';
  return out + std::string(file);
}

void Check(ComposeContext& ctx) {
  const ProjectFiles* project = ctx.Project();
  if (!project) return;
  for (const ComposeService& s : ctx.Compose().services) {
    if (!s.build) continue;
    const ComposeBuild& b = *s.build;
    if (!Checkable(b.context)) continue;
    const YamlNode& context_at = b.context_node ? *b.context_node : *b.node;
    ProjectFiles::Kind context = project->Stat(b.context);
    if (context == ProjectFiles::Kind::kMissing) {
      ctx.Report(context_at.range, "the build context \"" + b.context + "\" of service \"" +
                                       s.name + "\" does not exist");
      continue;
    }
    if (context != ProjectFiles::Kind::kDirectory || b.dockerfile_inline) continue;
    std::string dockerfile = b.dockerfile.empty() ? "Dockerfile" : b.dockerfile;
    if (!Checkable(dockerfile)) continue;
    std::string path = Join(b.context, dockerfile);
    if (project->Stat(path) != ProjectFiles::Kind::kMissing) continue;
    // The docker CLI falls back to a lowercase `dockerfile`; whether every builder does is not
    // certain, so such a context is not reported.
    if (b.dockerfile.empty() &&
        project->Stat(Join(b.context, "dockerfile")) != ProjectFiles::Kind::kMissing) {
      continue;
    }
    const YamlNode& at = b.dockerfile_node ? *b.dockerfile_node : context_at;
    ctx.Report(at.range, "the Dockerfile \"" + path + "\" of service \"" + s.name +
                             "\" does not exist" +
                             (b.dockerfile.empty() ? " (no `dockerfile:` given)" : ""));
  }
}

}  // namespace

const Rule kComposeBuildPathMissing{
    {
        .kind = RuleKind::kCompose,
        .slug = "compose-build-path-missing",
        .aliases = {},
        .severity = Severity::kError,
        .title = "A build context or Dockerfile does not exist",
        .rationale =
            "`docker compose build` and `up --build` fail on such a service (\"unable to prepare "
            "context: path not found\", \"failed to read dockerfile\"), usually after a folder "
            "was renamed or the compose file moved. The context is relative to the compose "
            "file's folder and `dockerfile:` is relative to the context. Contexts that are URLs, "
            "absolute paths or use ${VARIABLES} are not checked, nor is anything when the "
            "folder is unknown (standard input, --no-context).",
        .bad = {{"services:\n  api:\n    build: ./api\n", {"3:12"}, {}, ExampleContext{}},
                {"services:\n  api:\n    build:\n      context: ./backend\n      dockerfile: "
                 "Dockerfile.prod\n",
                 {"5:19"},
                 {},
                 ExampleContext{.files = {"backend/Dockerfile"}}},
                {"services:\n  web:\n    build: .\n", {"3:12"}, {}, ExampleContext{}}},
        .good = {{"services:\n  api:\n    build: ./api\n",
                  {},
                  {},
                  ExampleContext{.files = {"api/Dockerfile"}}},
                 {"services:\n  api:\n    build:\n      context: ./backend\n      dockerfile: "
                  "Dockerfile.prod\n",
                  {},
                  {},
                  ExampleContext{.files = {"backend/Dockerfile.prod"}}},
                 {"services:\n  web:\n    build: web\n",
                  {},
                  {},
                  ExampleContext{.files = {"web/dockerfile"}}},
                 {"services:\n  api:\n    build: https://github.com/docker/compose.git\n",
                  {},
                  {},
                  ExampleContext{}},
                 {"services:\n  api:\n    build:\n      context: .\n      dockerfile_inline: |\n  "
                  "      FROM alpine\n",
                  {},
                  {},
                  ExampleContext{}}},
    },
    nullptr,
    Check};

}  // namespace dockit::lint

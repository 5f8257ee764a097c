// A COPY source that .dockerignore excludes is not in the build context: the build fails with
// "not found", or silently copies less than the author thinks.
#include "rules/all.hpp"

#include "parser/dockerignore.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  const ContextInfo* context = ctx.BuildContext();
  // BuildKit skips this check when the .dockerignore re-includes files with `!`: whether a path
  // survives then depends on the whole walk, not on one match.
  if (!context || !context->has_dockerignore || context->ignore.HasExceptions()) return;
  ctx.ForEachInstruction([&](const Stage&, const TypedInstruction& ins) {
    const auto* copy = std::get_if<CopyCmd>(&ins.args);
    if (!copy || copy->from || !ins.syntax->heredocs.empty()) return;
    for (const Expanded& src : copy->sources) {
      std::string path = gopath::Clean("/" + src.value).substr(1);
      if (path.empty()) continue;  // `.`: the context itself
      IgnoreVerdict verdict = context->ignore.Match(path);
      if (!verdict.excluded) continue;
      ctx.Report(src.range, std::string(copy->is_add ? "ADD" : "COPY") + " of \"" + path +
                                "\", which is excluded by " +
                                context->ignore.Where(verdict.pattern) +
                                ": it is not in the build context");
    }
  });
}

}  // namespace

const Rule kCopyIgnoredFile{
    {
        .slug = "copy-ignored-file",
        .aliases = {"CopyIgnoredFile"},
        .severity = Severity::kWarning,
        .title = "COPY or ADD of a file that .dockerignore excludes",
        .rationale = "Files excluded by .dockerignore are never sent to the builder, so COPY "
                     "cannot find them: the build fails with \"not found\", or a wildcard quietly "
                     "copies less than intended.",
        .bad = {{"FROM alpine\nCOPY ./tmp/hello.txt /hello.txt\n",
                 {"2:6"},
                 {},
                 ExampleContext{"*/tmp/*\ntmp\n"}},
                {"FROM alpine\nCOPY config.yaml secrets.env /etc/app/\n",
                 {"2:18"},
                 {},
                 ExampleContext{"*.env\n"}}},
        .good = {{"FROM alpine\nCOPY ./forever/hello.txt /hello.txt\n",
                  {},
                  {},
                  ExampleContext{"*/tmp/*\n"}},
                 {"FROM alpine\nCOPY . /src\n", {}, {}, ExampleContext{"*.md\n"}},
                 {"FROM alpine\nCOPY README.md /\n", {}, {}, ExampleContext{"*.md\n!README.md\n"}}},
        .differs_from_hadolint =
            "hadolint has no such rule. Older BuildKit releases had CopyIgnoredFile as an "
            "experimental check, off unless `# check=experimental=CopyIgnoredFile`; current "
            "BuildKit (frontend 1.26, which dlint follows) runs it by default, and so does dlint.",
    },
    Check};

}  // namespace dockit::lint

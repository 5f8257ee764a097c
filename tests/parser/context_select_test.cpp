// The build context after .dockerignore and the files COPY/ADD sources select in it, checked
// against BuildKit's behaviour (fsutil's filtered walk and copier, documented issues).
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "parser/context_select.hpp"

namespace dockit {
namespace {

DockerIgnore Ignore(const std::string& text) {
  SourceFile file(".dockerignore", text);
  auto ignore = DockerIgnore::Parse(file);
  if (!ignore) throw std::runtime_error(Render(file, ignore.Error()));
  return *ignore;
}

DockerIgnore Excludes(const std::vector<std::string>& patterns) {
  std::vector<PatternSpec> specs;
  for (const std::string& p : patterns) specs.push_back({p, {}});
  auto ignore = DockerIgnore::FromPatterns("Dockerfile", specs);
  if (!ignore) throw std::runtime_error(ignore.Error().message);
  return *ignore;
}

FilteredContext Filter(const BuildContext& context, const std::string& dockerignore = "") {
  auto filtered = FilteredContext::Build(context, Ignore(dockerignore));
  if (!filtered) throw std::runtime_error(filtered.Error().message);
  return *filtered;
}

// Every path of the filtered context, depth first.
void ListAll(const BuildContext& context, const std::string& dir, std::vector<std::string>& out) {
  auto entries = context.ReadDir(dir);
  REQUIRE(entries.Ok());
  for (const ContextEntry& e : *entries) {
    std::string path = dir.empty() ? e.name : dir + "/" + e.name;
    out.push_back(e.kind == EntryKind::kDirectory ? path + "/" : path);
    if (e.kind == EntryKind::kDirectory) ListAll(context, path, out);
  }
}

std::vector<std::string> ListAll(const BuildContext& context) {
  std::vector<std::string> out;
  ListAll(context, "", out);
  return out;
}

std::vector<std::string> Select(const FilteredContext& context, const std::string& source,
                                const std::vector<std::string>& excludes = {}) {
  auto selected = SelectCopySources(context, CopySource{source, {}}, Excludes(excludes));
  if (!selected) throw std::runtime_error(selected.Error().message);
  std::vector<std::string> out;
  for (const SelectedPath& p : *selected) {
    out.push_back(p.kind == EntryKind::kDirectory ? p.path + "/" : p.path);
  }
  return out;
}

Diagnostic SelectError(const FilteredContext& context, const std::string& source,
                       SelectOptions options = {}) {
  auto selected = SelectCopySources(context, CopySource{source, {}}, {}, options);
  REQUIRE_FALSE(selected.Ok());
  return selected.Error();
}

using Paths = std::vector<std::string>;

MemoryContext Project() {
  MemoryContext c;
  c.AddFile("Dockerfile")
      .AddFile(".dockerignore")
      .AddFile("README.md", 120)
      .AddFile("CHANGELOG.md")
      .AddFile("main.go")
      .AddFile("go.mod")
      .AddFile("cmd/tool/main.go")
      .AddFile("cmd/tool/tool_test.go")
      .AddFile("docs/README.md")
      .AddFile("docs/guide.md")
      .AddFile("docs/img/logo.png")
      .AddFile("node_modules/left-pad/index.js")
      .AddFile("secret.env", 10, 0600)
      .AddDir("empty");
  return c;
}

TEST_CASE("an in-memory context lists entries in name order", "[context]") {
  MemoryContext c = Project();
  CHECK(ListAll(c) == Paths{".dockerignore",
                            "CHANGELOG.md",
                            "Dockerfile",
                            "README.md",
                            "cmd/",
                            "cmd/tool/",
                            "cmd/tool/main.go",
                            "cmd/tool/tool_test.go",
                            "docs/",
                            "docs/README.md",
                            "docs/guide.md",
                            "docs/img/",
                            "docs/img/logo.png",
                            "empty/",
                            "go.mod",
                            "main.go",
                            "node_modules/",
                            "node_modules/left-pad/",
                            "node_modules/left-pad/index.js",
                            "secret.env"});
  auto secret = c.Lstat("secret.env");
  REQUIRE(secret);
  CHECK(secret->mode == 0600);
  CHECK(secret->size == 10);
  CHECK_FALSE(c.ReadDir("main.go").Ok());
  CHECK_FALSE(c.ReadDir("nope").Ok());
}

TEST_CASE("excluded paths are not in the context at all", "[context]") {
  MemoryContext c = Project();
  FilteredContext f = Filter(c, "node_modules\n*.md\n!README.md\nsecret.env\n");
  // "*.md" stays in the top directory, so docs/*.md remain.
  CHECK(ListAll(f) == Paths{".dockerignore", "Dockerfile", "README.md", "cmd/", "cmd/tool/",
                            "cmd/tool/main.go", "cmd/tool/tool_test.go", "docs/", "docs/README.md",
                            "docs/guide.md", "docs/img/", "docs/img/logo.png", "empty/", "go.mod",
                            "main.go"});
  CHECK_FALSE(f.Lstat("secret.env"));
  CHECK(f.Lstat("README.md"));
  ContextVerdict readme = f.Explain("README.md");
  CHECK(readme.present);
  CHECK(readme.ignore == IgnoreVerdict{false, 2});
  ContextVerdict changelog = f.Explain("CHANGELOG.md");
  CHECK_FALSE(changelog.present);
  CHECK(changelog.subject == "CHANGELOG.md");
  CHECK(f.Ignore().Where(changelog.ignore.pattern) == ".dockerignore:2");
  // Below a directory the walk never entered, the directory is what is reported.
  ContextVerdict pad = f.Explain("node_modules/left-pad/index.js");
  CHECK(pad.subject == "node_modules");
  CHECK(pad.ignore == IgnoreVerdict{true, 0});
  // A path that was never there has no verdict.
  CHECK(f.Explain("nope.txt").subject.empty());
  CHECK_FALSE(f.Explain("nope.txt").ignore.excluded);
}

TEST_CASE("an excluded directory comes back only to hold a re-included path", "[context]") {
  MemoryContext c = Project();
  FilteredContext f = Filter(c, "docs\n!docs/README.md\n");
  Paths all = ListAll(f);
  CHECK(std::count(all.begin(), all.end(), "docs/") == 1);
  CHECK(std::count(all.begin(), all.end(), "docs/README.md") == 1);
  CHECK(std::count(all.begin(), all.end(), "docs/guide.md") == 0);
  CHECK(std::count(all.begin(), all.end(), "docs/img/") == 0);
  ContextVerdict docs = f.Explain("docs");
  CHECK(docs.present);
  CHECK(docs.ignore == IgnoreVerdict{true, 0});  // present although excluded
  CHECK(f.Explain("docs/README.md").ignore == IgnoreVerdict{false, 1});
  // The exception is literal, so docs/img (nothing can come back from it) is not entered.
  CHECK(f.Explain("docs/img/logo.png").subject == "docs/img");

  // With a wildcard in an exception, every excluded directory is entered.
  FilteredContext wild = Filter(c, "docs\n!docs/*.md\n");
  Paths under;
  ListAll(wild, "docs", under);
  CHECK(under == Paths{"docs/README.md", "docs/guide.md"});
  CHECK(wild.Explain("docs/img/logo.png").subject == "docs/img/logo.png");

  // An excluded directory with nothing re-included is absent, empty or not.
  FilteredContext none = Filter(c, "empty\ndocs\n!docs/nothing-here\n");
  CHECK_FALSE(none.Lstat("docs"));
  CHECK_FALSE(none.Lstat("empty"));
}

TEST_CASE("the context walk keeps patternmatcher's parent-result quirk", "[context]") {
  MemoryContext c;
  c.AddFile("a/b/file").AddFile("a/c");
  FilteredContext f = Filter(c, "a\n!a/b\na\n");
  // Line 3 should exclude a/b again, and Match says it does, but BuildKit sends it.
  CHECK(f.Ignore().Match("a/b/file").excluded);
  CHECK(ListAll(f) == Paths{"a/", "a/b/", "a/b/file"});
  CHECK(f.Explain("a/b/file").ignore == IgnoreVerdict{false, 1});
}

TEST_CASE("COPY . selects the whole filtered context", "[context]") {
  MemoryContext c = Project();
  FilteredContext f = Filter(c, "node_modules\nsecret.env\n");
  Paths expected = ListAll(f);
  CHECK(Select(f, ".") == expected);
  CHECK(Select(f, "/") == expected);
  CHECK(Select(f, "./") == expected);
  CHECK(Select(f, "../..") == expected);  // cleaned against "/": never above the context
}

TEST_CASE("a directory source selects its contents, a file itself", "[context]") {
  FilteredContext f = Filter(Project());
  CHECK(Select(f, "cmd") == Paths{"cmd/tool/", "cmd/tool/main.go", "cmd/tool/tool_test.go"});
  CHECK(Select(f, "cmd/") == Select(f, "cmd"));
  CHECK(Select(f, "./docs/../cmd/tool/main.go") == Paths{"cmd/tool/main.go"});
  CHECK(Select(f, "/main.go") == Paths{"main.go"});
  CHECK(Select(f, "empty").empty());  // found, and empty: BuildKit copies nothing, no error
  auto selected = SelectCopySources(f, CopySource{"secret.env", {}});
  REQUIRE(selected.Ok());
  CHECK(*selected == std::vector<SelectedPath>{{"secret.env", EntryKind::kFile}});
}

TEST_CASE("wildcards follow filepath.Match one path segment at a time", "[context]") {
  FilteredContext f = Filter(Project());
  CHECK(Select(f, "*.md") == Paths{"CHANGELOG.md", "README.md"});
  CHECK(Select(f, "*/*.md") == Paths{"docs/README.md", "docs/guide.md"});
  CHECK(Select(f, "cmd/*/main.go") == Paths{"cmd/tool/main.go"});
  CHECK(Select(f, "[CR]*.md") == Paths{"CHANGELOG.md", "README.md"});
  CHECK(Select(f, "[^C]*.md") == Paths{"README.md"});
  CHECK(Select(f, "go.?od") == Paths{"go.mod"});
  CHECK(Select(f, "do*") ==
        Paths{"docs/README.md", "docs/guide.md", "docs/img/", "docs/img/logo.png"});
  CHECK(Select(f, "d?cs/img") == Paths{"docs/img/logo.png"});
  // filepath.Match lets a class match '/', so one segment can match two levels.
  CHECK(Select(f, "docs[^x]README.md") == Paths{"docs/README.md"});
  // A matched directory is not searched further; "*" keeps every top-level entry.
  Paths star = Select(f, "*");
  CHECK(std::count(star.begin(), star.end(), "cmd/") == 0);
  CHECK(std::count(star.begin(), star.end(), "cmd/tool/main.go") == 1);
  CHECK(std::count(star.begin(), star.end(), "secret.env") == 1);
}

TEST_CASE("a missing source is BuildKit's not-found error", "[context]") {
  FilteredContext f = Filter(Project());
  SourceFile dockerfile("Dockerfile", "FROM a\nCOPY missing.txt /app/\n");
  auto selected = SelectCopySources(f, CopySource{"missing.txt", dockerfile.RangeOf(12, 23)});
  REQUIRE_FALSE(selected.Ok());
  CHECK(selected.Error().code == "copy-source-not-found");
  CHECK(Render(dockerfile, selected.Error()) ==
        "Dockerfile:2:6: error: failed to compute cache key: \"/missing.txt\": not found\n"
        "COPY missing.txt /app/\n"
        "     ^~~~~~~~~~~\n");
}

TEST_CASE("a source excluded by .dockerignore is not found, naming the line", "[context]") {
  FilteredContext f = Filter(Project(), "node_modules\n*.md\n!README.md\nsecret.env\n");
  CHECK(SelectError(f, "secret.env").message ==
        "failed to compute cache key: \"/secret.env\": not found (excluded by .dockerignore:4)");
  CHECK(SelectError(f, "CHANGELOG.md").message ==
        "failed to compute cache key: \"/CHANGELOG.md\": not found (excluded by "
        ".dockerignore:2)");
  CHECK(SelectError(f, "node_modules/left-pad/index.js").message ==
        "failed to compute cache key: \"/node_modules/left-pad/index.js\": not found "
        "(\"node_modules\" is excluded by .dockerignore:1)");
  CHECK(Select(f, "README.md") == Paths{"README.md"});
}

TEST_CASE("a wildcard that matches nothing", "[context]") {
  FilteredContext f = Filter(Project(), "*.md\n");
  Diagnostic none = SelectError(f, "*.rs");
  CHECK(none.code == "copy-wildcard-no-match");
  CHECK(none.severity == Severity::kWarning);
  CHECK(none.message ==
        "\"/*.rs\" matches nothing in the build context (BuildKit copies nothing and does not "
        "fail)");
  // Everything it would match is excluded: the same.
  CHECK(SelectError(f, "*.md").code == "copy-wildcard-no-match");
  // A file before the wildcard has nothing below it.
  CHECK(SelectError(f, "main.go/*").code == "copy-wildcard-no-match");
  // BuildKit's own setting (AllowEmptyWildcard).
  SelectOptions lenient;
  lenient.allow_empty_wildcard = true;
  auto empty = SelectCopySources(f, CopySource{"*.rs", {}}, {}, lenient);
  REQUIRE(empty.Ok());
  CHECK(empty->empty());
  // But a missing directory before the wildcard fails the copy in any case.
  Diagnostic missing = SelectError(f, "fixtures/*.sh", lenient);
  CHECK(missing.code == "copy-source-not-found");
  CHECK(missing.message == "failed to compute cache key: \"/fixtures\": not found");
  CHECK(SelectError(f, "src/[a-").code == "copy-source-bad-pattern");
}

TEST_CASE("COPY --exclude patterns are relative to the selected directory", "[context]") {
  MemoryContext c;
  c.AddFile("dir1/a.1").AddFile("dir1/a.2").AddFile("dir1/dir2/a.1").AddFile("dir1/dir2/a.2");
  FilteredContext f = Filter(c);
  // moby/buildkit#5509: "*.1" stays in the top directory of the source, as in .dockerignore.
  CHECK(Select(f, "dir1", {"*.1"}) ==
        Paths{"dir1/a.2", "dir1/dir2/", "dir1/dir2/a.1", "dir1/dir2/a.2"});
  CHECK(Select(f, "dir1", {"**/*.1"}) == Paths{"dir1/a.2", "dir1/dir2/", "dir1/dir2/a.2"});
  CHECK(Select(f, "dir1", {"dir2"}) == Paths{"dir1/a.1", "dir1/a.2"});
  CHECK(Select(f, "dir1", {"dir2", "!dir2/a.2"}) ==
        Paths{"dir1/a.1", "dir1/a.2", "dir1/dir2/", "dir1/dir2/a.2"});
  CHECK(Select(f, ".", {"dir1/dir2"}) == Paths{"dir1/", "dir1/a.1", "dir1/a.2"});
  // Not stripped like .dockerignore lines: a leading '/' matches nothing.
  CHECK(Select(f, "dir1", {"/dir2"}).size() == 5);
}

TEST_CASE("COPY --exclude never filters the source itself", "[context]") {
  MemoryContext c;
  c.AddFile("a").AddFile("b");
  FilteredContext f = Filter(c);
  // moby/buildkit#5489 (open): the documentation says otherwise, BuildKit copies both.
  CHECK(Select(f, "*", {"a"}) == Paths{"a", "b"});
  CHECK(Select(f, "a", {"a"}) == Paths{"a"});
  CHECK(Select(f, ".", {"a"}) == Paths{"b"});
}

TEST_CASE("symlinks are followed for the source, kept inside it", "[context]") {
  MemoryContext c;
  c.AddFile("app/main.go")
      .AddFile("app/lib/util.go")
      .AddSymlink("app/lib/back", "../main.go")
      .AddSymlink("link-app", "app")
      .AddSymlink("abs-link", "/app/main.go")
      .AddSymlink("up", "../../app")
      .AddSymlink("dangling", "nowhere")
      .AddSymlink("loop1", "loop2")
      .AddSymlink("loop2", "loop1");
  FilteredContext f = Filter(c);
  Paths app = {"app/lib/", "app/lib/back", "app/lib/util.go", "app/main.go"};
  CHECK(Select(f, "app") == app);
  CHECK(Select(f, "link-app") == app);
  CHECK(Select(f, "up") == app);                         // ".." stops at the context root
  CHECK(Select(f, "abs-link") == Paths{"app/main.go"});  // '/' is the context root
  CHECK(Select(f, "link-app/lib/util.go") == Paths{"app/lib/util.go"});
  CHECK(Select(f, "link-*") == app);
  // The wildcard walk itself does not go through symlinks.
  CHECK(Select(f, "*/main.go") == Paths{"app/main.go"});
  auto kinds = SelectCopySources(f, CopySource{"app/lib", {}});
  REQUIRE(kinds.Ok());
  CHECK(*kinds == std::vector<SelectedPath>{{"app/lib/back", EntryKind::kSymlink},
                                            {"app/lib/util.go", EntryKind::kFile}});
  CHECK(SelectError(f, "dangling").code == "copy-source-not-found");
  Diagnostic loop = SelectError(f, "loop1");
  CHECK(loop.code == "copy-source-symlink-loop");
  CHECK(loop.message == "failed to compute cache key: \"/loop1\": too many links");
}

// A scratch directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("dockit-context-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& Path() const { return path_; }
  void Write(const std::string& rel, const std::string& content) {
    std::filesystem::create_directories((path_ / rel).parent_path());
    std::ofstream(path_ / rel, std::ios::binary) << content;
  }

 private:
  std::filesystem::path path_;
};

TEST_CASE("a context on disk is read without following symlinks", "[context]") {
  TempDir dir;
  dir.Write("a.txt", "hello");
  dir.Write("dir/b.txt", "b");
  dir.Write("x.log", "log");
  std::filesystem::permissions(dir.Path() / "a.txt", std::filesystem::perms(0640));
  std::filesystem::create_symlink("../a.txt", dir.Path() / "dir/link");
  std::filesystem::create_directory_symlink("/etc", dir.Path() / "outside");

  DiskContext disk(dir.Path());
  auto root = disk.ReadDir("");
  REQUIRE(root.Ok());
  std::vector<std::string> names;
  for (const ContextEntry& e : *root) names.push_back(e.name);
  CHECK(names == std::vector<std::string>{"a.txt", "dir", "outside", "x.log"});

  auto a = disk.Lstat("a.txt");
  REQUIRE(a);
  CHECK(a->kind == EntryKind::kFile);
  CHECK(a->size == 5);
  CHECK(a->mode == 0640);
  CHECK(a->uid == ::getuid());
  CHECK(a->gid == ::getgid());
  auto link = disk.Lstat("dir/link");
  REQUIRE(link);
  CHECK(link->kind == EntryKind::kSymlink);
  CHECK(link->link_target == "../a.txt");
  CHECK(disk.Lstat("outside")->kind == EntryKind::kSymlink);
  CHECK_FALSE(disk.ReadDir("outside").Ok());  // a symlink to a directory is not entered
  CHECK_FALSE(disk.Lstat("nope"));
  CHECK_FALSE(disk.ReadDir("nope").Ok());

  FilteredContext f = Filter(disk, "*.log\n");
  CHECK(ListAll(f) == Paths{"a.txt", "dir/", "dir/b.txt", "dir/link", "outside"});
  CHECK(Select(f, "dir/link") == Paths{"a.txt"});
  CHECK(Select(f, "dir") == Paths{"dir/b.txt", "dir/link"});
  // "/etc" is resolved inside the context, where there is no etc.
  CHECK(SelectError(f, "outside").code == "copy-source-not-found");
  CHECK(SelectError(f, "x.log").message ==
        "failed to compute cache key: \"/x.log\": not found (excluded by .dockerignore:1)");
}

}  // namespace
}  // namespace dockit

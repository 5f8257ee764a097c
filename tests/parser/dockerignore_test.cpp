// .dockerignore reading and matching, checked against moby/patternmatcher's documented and
// tested behaviour (its TestMatches and TestMatch tables, ignorefile's TestReadAll).
#include <rapidcheck.h>
#include <rapidcheck/catch.h>

#include <catch2/catch.hpp>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "parser/dockerignore.hpp"

namespace dockit {
namespace {

DockerIgnore MustRead(const std::string& text) {
  SourceFile file(".dockerignore", text);
  auto ignore = DockerIgnore::Parse(file);
  if (!ignore) throw std::runtime_error(Render(file, ignore.Error()));
  return *ignore;
}

// What patternmatcher.New receives directly (no ReadAll normalisation).
Result<DockerIgnore> FromList(const std::vector<std::string>& patterns) {
  std::vector<PatternSpec> specs;
  for (const std::string& p : patterns) specs.push_back({p, {}});
  return DockerIgnore::FromPatterns("test", specs);
}

DockerIgnore MustList(const std::vector<std::string>& patterns) {
  auto ignore = FromList(patterns);
  if (!ignore) throw std::runtime_error(ignore.Error().message);
  return *ignore;
}

std::string ReadError(const std::string& text) {
  SourceFile file(".dockerignore", text);
  auto ignore = DockerIgnore::Parse(file);
  return ignore ? std::string() : Render(file, ignore.Error());
}

std::vector<std::string> Normalised(const DockerIgnore& ignore) {
  std::vector<std::string> out;
  for (const IgnorePattern& p : ignore.Patterns())
    out.push_back((p.exception ? "!" : "") + p.pattern);
  return out;
}

// patternmatcher's MatchesUsingParentResults test: walk the parents first, carrying the state.
IgnoreVerdict WalkMatch(const DockerIgnore& ignore, const std::string& path) {
  IgnoreWalkState state;
  std::string parent = gopath::Dir(path);
  if (parent != ".") {
    size_t start = 0;
    while (true) {
      size_t slash = parent.find('/', start);
      std::string prefix = parent.substr(0, slash);
      IgnoreWalkState next;
      ignore.MatchInWalk(prefix, state, &next);
      state = next;
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
  }
  return ignore.MatchInWalk(path, state, nullptr);
}

TEST_CASE("comments, blank lines and surrounding whitespace", "[dockerignore]") {
  DockerIgnore ignore =
      MustRead("# build output\n\n  dist  \n\t!dist/keep\t\n# node_modules\n*.log   \n");
  CHECK(Normalised(ignore) == std::vector<std::string>{"dist", "!dist/keep", "*.log"});
  const IgnorePattern& dist = ignore.Patterns()[0];
  CHECK(dist.text == "dist");
  CHECK(dist.range.begin.line == 3);
  CHECK(dist.range.begin.column == 3);
  CHECK(dist.range.end.column == 7);
  CHECK(ignore.Patterns()[1].text == "!dist/keep");
  CHECK(ignore.Patterns()[1].exception);
  CHECK(ignore.Patterns()[2].range.begin.line == 6);
  CHECK(ignore.Match("app.log").excluded);
}

TEST_CASE("a '#' is a comment only in the first column", "[dockerignore]") {
  DockerIgnore ignore = MustRead("#comment\n  # not a comment\n");
  CHECK(Normalised(ignore) == std::vector<std::string>{"# not a comment"});
  CHECK(ignore.Match("# not a comment").excluded);
}

TEST_CASE("CRLF line ends and a byte order mark", "[dockerignore]") {
  DockerIgnore ignore = MustRead("\xEF\xBB\xBF# comment\r\nbuild\r\n\xEF\xBB\xBFx\r\n");
  // The mark is dropped on the first line only; elsewhere it is part of the pattern.
  CHECK(Normalised(ignore) == std::vector<std::string>{"build", "\xEF\xBB\xBFx"});
  CHECK(ignore.Patterns()[0].range.begin.line == 2);
  CHECK(ignore.Match("build/out.o").excluded);
}

TEST_CASE("leading '/' and './' are stripped and patterns cleaned", "[dockerignore]") {
  DockerIgnore ignore =
      MustRead("/foo\n./bar\nbaz/\na//b/../c\n! /inverted/abs\n!./x/y/\n/\n../up\n");
  CHECK(Normalised(ignore) == std::vector<std::string>{"foo", "bar", "baz", "a/c", "!inverted/abs",
                                                       "!x/y", "/", "../up"});
  CHECK(ignore.Match("foo").excluded);
  CHECK(ignore.Match("bar/x").excluded);
  CHECK(ignore.Match("a/c").excluded);
  // "/" stays "/" and matches no context path; nor can "../up".
  DockerIgnore root = MustRead("/\n../up\n");
  CHECK_FALSE(root.Match("up").excluded);
  CHECK_FALSE(root.Match("x").excluded);
  // `/foo` is the same as `foo`.
  CHECK(MustRead("/foo\n").Match("foo/bar").excluded ==
        MustRead("foo\n").Match("foo/bar").excluded);
}

TEST_CASE("ignorefile.ReadAll's own example", "[dockerignore]") {
  DockerIgnore ignore = MustRead(
      "test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n");
  CHECK(Normalised(ignore) == std::vector<std::string>{"test1", "test2", "a/file/here", "lastfile",
                                                       "!inverted/abs/path"});
  // ReadAll then keeps "!" and "! " as "!", which patternmatcher.New refuses.
  CHECK(ReadError("test1\n!\n! \n") ==
        ".dockerignore:2:1: error: illegal exclusion pattern: \"!\"\n!\n^\n");
}

TEST_CASE("'!/' is the illegal exclusion '!' once cleaned", "[dockerignore]") {
  CHECK(ReadError("a\n  !/  \n") ==
        ".dockerignore:2:3: error: illegal exclusion pattern: \"!\"\n  !/  \n  ^~\n");
}

TEST_CASE("malformed patterns are errors at their range", "[dockerignore]") {
  CHECK(ReadError("ok\nsrc/[a-\n") ==
        ".dockerignore:2:1: error: syntax error in pattern \"src/[a-\": a character class is "
        "missing its closing ']'\nsrc/[a-\n^~~~~~~\n");
  const std::vector<std::string> bad = {"[",     "a[",    "[^",      "[^bc", "[]a]", "[-]",
                                        "[x-]",  "[-x]",  "[a-b-c]", "a\\",  "[\\",  "[a\xff]",
                                        "[z-a]", "x\\y*", "a\\Cb",   "\\é*"};
  for (const std::string& p : bad) {
    INFO(p);
    auto ignore = FromList({p});
    REQUIRE_FALSE(ignore.Ok());
    CHECK(ignore.Error().code == "dockerignore-bad-pattern");
  }
  auto range_error = FromList({"[z-a]"});
  CHECK(range_error.Error().message ==
        "syntax error in pattern \"[z-a]\": invalid character class range: z-a");
  // Well-formed ones with odd characters are fine.
  for (const char* p : {"[\\]a]", "[\\-]", "[x\\-]", "a\\_b", "[a-ζ]*", "a\\*b"}) {
    INFO(p);
    CHECK(FromList({p}).Ok());
  }
}

// moby/patternmatcher TestMatches, run as its sub-tests do.
TEST_CASE("patternmatcher's match table", "[dockerignore]") {
  enum Pass { kFail, kExact, kInexact };
  struct Case {
    const char* pattern;
    const char* text;
    Pass pass;
  };
  const std::vector<Case> cases = {
      {"**", "file", kExact},
      {"**", "file/", kExact},
      {"**/", "file", kExact},
      {"**/", "file/", kExact},
      {"**", "/", kExact},
      {"**/", "/", kExact},
      {"**", "dir/file", kExact},
      {"**/", "dir/file", kExact},
      {"**", "dir/file/", kExact},
      {"**/", "dir/file/", kExact},
      {"**/**", "dir/file", kExact},
      {"**/**", "dir/file/", kExact},
      {"dir/**", "dir/file", kExact},
      {"dir/**", "dir/file/", kExact},
      {"dir/**", "dir/dir2/file", kExact},
      {"dir/**", "dir/dir2/file/", kExact},
      {"**/dir", "dir", kExact},
      {"**/dir", "dir/file", kInexact},
      {"**/dir2/*", "dir/dir2/file", kExact},
      {"**/dir2/*", "dir/dir2/file/", kInexact},
      {"**/dir2/**", "dir/dir2/dir3/file", kExact},
      {"**/dir2/**", "dir/dir2/dir3/file/", kExact},
      {"**file", "file", kExact},
      {"**file", "dir/file", kExact},
      {"**/file", "dir/file", kExact},
      {"**file", "dir/dir/file", kExact},
      {"**/file", "dir/dir/file", kExact},
      {"**/file*", "dir/dir/file", kExact},
      {"**/file*", "dir/dir/file.txt", kExact},
      {"**/file*txt", "dir/dir/file.txt", kExact},
      {"**/file*.txt", "dir/dir/file.txt", kExact},
      {"**/file*.txt*", "dir/dir/file.txt", kExact},
      {"**/**/*.txt", "dir/dir/file.txt", kExact},
      {"**/**/*.txt2", "dir/dir/file.txt", kFail},
      {"**/*.txt", "file.txt", kExact},
      {"**/**/*.txt", "file.txt", kExact},
      {"a**/*.txt", "a/file.txt", kExact},
      {"a**/*.txt", "a/dir/file.txt", kExact},
      {"a**/*.txt", "a/dir/dir/file.txt", kExact},
      {"a/*.txt", "a/dir/file.txt", kFail},
      {"a/*.txt", "a/file.txt", kExact},
      {"a/*.txt**", "a/file.txt", kExact},
      {"a[b-d]e", "ae", kFail},
      {"a[b-d]e", "ace", kExact},
      {"a[b-d]e", "aae", kFail},
      {"a[^b-d]e", "aze", kExact},
      {".*", ".foo", kExact},
      {".*", "foo", kFail},
      {"abc.def", "abcdef", kFail},
      {"abc.def", "abc.def", kExact},
      {"abc.def", "abcZdef", kFail},
      {"abc?def", "abcZdef", kExact},
      {"abc?def", "abcdef", kFail},
      {"**/foo/bar", "foo/bar", kExact},
      {"**/foo/bar", "dir/foo/bar", kExact},
      {"**/foo/bar", "dir/dir2/foo/bar", kExact},
      {"abc/**", "abc", kFail},
      {"abc/**", "abc/def", kExact},
      {"abc/**", "abc/def/ghi", kExact},
      {"**/.foo", ".foo", kExact},
      {"**/.foo", "bar.foo", kFail},
      {"a(b)c/def", "a(b)c/def", kExact},
      {"a(b)c/def", "a(b)c/xyz", kFail},
      {"a.|)$(}+{bc", "a.|)$(}+{bc", kExact},
      {"dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
       "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", kExact},
      {"dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", kExact},
      {"a\\\\", "a\\", kExact},
      {"a\\*b", "a*b", kExact},
  };
  for (const Case& c : cases) {
    INFO("pattern=" << c.pattern << " text=" << c.text);
    DockerIgnore ignore = MustList({c.pattern});
    CHECK(ignore.MatchExact(c.text).excluded == (c.pass == kExact));
    CHECK(ignore.Match(c.text).excluded == (c.pass != kFail));
    CHECK(WalkMatch(ignore, c.text).excluded == (c.pass != kFail));
    CHECK(ignore.MatchInWalk(c.text, IgnoreWalkState(), nullptr).excluded == (c.pass != kFail));
  }

  struct Multi {
    std::vector<std::string> patterns;
    const char* text;
    bool excluded;
  };
  const std::vector<Multi> multi = {
      {{"**", "!util/docker/web"}, "util/docker/web/foo", false},
      {{"**", "!util/docker/web", "util/docker/web/foo"}, "util/docker/web/foo", true},
      {{"**", "!dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl"},
       "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
       false},
      {{"**", "!dist/*.whl"}, "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", false},
  };
  for (const Multi& m : multi) {
    INFO(m.text);
    DockerIgnore ignore = MustList(m.patterns);
    CHECK(ignore.Match(m.text).excluded == m.excluded);
    CHECK(WalkMatch(ignore, m.text).excluded == m.excluded);
  }
}

// patternmatcher's TestMatch: Go's own filepath.Match table through the matcher.
TEST_CASE("Go's filepath.Match table through the matcher", "[dockerignore]") {
  struct Case {
    const char* pattern;
    const char* text;
    bool match;
  };
  const std::vector<Case> cases = {
      {"abc", "abc", true},
      {"*", "abc", true},
      {"*c", "abc", true},
      {"a*", "a", true},
      {"a*", "abc", true},
      {"a*", "ab/c", true},
      {"a*/b", "abc/b", true},
      {"a*/b", "a/c/b", false},
      {"a*b*c*d*e*/f", "axbxcxdxe/f", true},
      {"a*b*c*d*e*/f", "axbxcxdxexxx/f", true},
      {"a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false},
      {"a*b*c*d*e*/f", "axbxcxdxexxx/fff", false},
      {"a*b?c*x", "abxbbxdbxebxczzx", true},
      {"a*b?c*x", "abxbbxdbxebxczzy", false},
      {"ab[c]", "abc", true},
      {"ab[b-d]", "abc", true},
      {"ab[e-g]", "abc", false},
      {"ab[^c]", "abc", false},
      {"ab[^b-d]", "abc", false},
      {"ab[^e-g]", "abc", true},
      {"a\\*b", "a*b", true},
      {"a\\*b", "ab", false},
      {"a?b", "a☺b", true},
      {"a[^a]b", "a☺b", true},
      {"a???b", "a☺b", false},
      {"a[^a][^a][^a]b", "a☺b", false},
      {"[a-ζ]*", "α", true},
      {"*[a-ζ]", "A", false},
      {"a?b", "a/b", false},
      {"a*b", "a/b", false},
      {"[\\]a]", "]", true},
      {"[\\-]", "-", true},
      {"[x\\-]", "x", true},
      {"[x\\-]", "-", true},
      {"[x\\-]", "z", false},
      {"[\\-x]", "x", true},
      {"[\\-x]", "-", true},
      {"[\\-x]", "a", false},
      {"*x", "xxx", true},
  };
  for (const Case& c : cases) {
    INFO("pattern=" << c.pattern << " text=" << c.text);
    CHECK(MustList({c.pattern}).Match(c.text).excluded == c.match);
  }
}

TEST_CASE("exceptions apply in order, the last match wins", "[dockerignore]") {
  DockerIgnore md = MustRead("*.md\n!README.md\n");
  CHECK(md.Match("README.md") == IgnoreVerdict{false, 1});
  CHECK(md.Match("CHANGELOG.md") == IgnoreVerdict{true, 0});
  CHECK(md.Match("docs/guide.md") == IgnoreVerdict{false, -1});  // '*' stays in one directory
  CHECK(md.Where(1) == ".dockerignore:2");

  // An exception before the pattern it should except does nothing.
  CHECK(MustList({"!fileutils.go", "*.go"}).Match("fileutils.go").excluded);
  CHECK_FALSE(MustList({"*.go", "!fileutils.go"}).Match("fileutils.go").excluded);
  // Re-excluding after an exception.
  DockerIgnore again = MustRead("*.md\n!README*.md\nREADME-secret.md\n");
  CHECK(again.Match("README-secret.md") == IgnoreVerdict{true, 2});
  CHECK(again.Match("README-public.md") == IgnoreVerdict{false, 1});
}

TEST_CASE("a directory pattern excludes everything below it", "[dockerignore]") {
  for (const char* dir : {"docs", "docs/", "/docs", "./docs"}) {
    INFO(dir);
    DockerIgnore ignore = MustRead(std::string(dir) + "\n");
    CHECK(ignore.Match("docs").excluded);
    CHECK(ignore.Match("docs/a/b") == IgnoreVerdict{true, 0});
    CHECK_FALSE(ignore.Match("docsx").excluded);
    CHECK_FALSE(ignore.Match("src/docs").excluded);  // anchored at the context root
  }
  // `!` re-includes inside an excluded directory (patternmatcher's folder tests).
  for (const char* first : {"docs", "docs/", "docs/*"}) {
    INFO(first);
    DockerIgnore ignore = MustRead(std::string(first) + "\n!docs/README.md\n");
    CHECK(ignore.Match("docs/README.md") == IgnoreVerdict{false, 1});
    CHECK(ignore.Match("docs/other.md").excluded);
  }
}

TEST_CASE("'**' matches any number of directories", "[dockerignore]") {
  DockerIgnore go = MustRead("**/*.go\n");
  CHECK(go.Match("main.go").excluded);
  CHECK(go.Match("cmd/tool/main.go").excluded);
  CHECK_FALSE(go.Match("main.go.txt").excluded);
  CHECK_FALSE(go.Match("go").excluded);
  DockerIgnore mid = MustRead("a/**/z\n");
  CHECK(mid.Match("a/z").excluded);
  CHECK(mid.Match("a/b/c/z").excluded);
  CHECK(mid.Match("a/b/c/z/file").excluded);  // through the parent a/b/c/z
  CHECK_FALSE(mid.Match("b/a/z").excluded);
  CHECK(MustRead("**\n").Match("any/thing").excluded);
  CHECK(MustRead("**/node_modules\n").Match("web/node_modules/x/y.js").excluded);
}

TEST_CASE("character classes, ranges, negation and escapes", "[dockerignore]") {
  DockerIgnore cls = MustRead("[a-c]\nlog[0-9].txt\nx[^0-9]\n");
  CHECK(cls.Match("a").excluded);
  CHECK(cls.Match("c/deep").excluded);
  CHECK_FALSE(cls.Match("d").excluded);
  CHECK(cls.Match("log7.txt").excluded);
  CHECK_FALSE(cls.Match("logx.txt").excluded);
  CHECK(cls.Match("xa").excluded);
  CHECK_FALSE(cls.Match("x1").excluded);
  DockerIgnore esc = MustRead("a\\*b\n\\[x\\]\n");
  CHECK(esc.Match("a*b").excluded);
  CHECK_FALSE(esc.Match("axb").excluded);
  CHECK(esc.Match("[x]").excluded);
  CHECK_FALSE(esc.Match("x").excluded);
  // Multi-byte characters are one character to '?' and to classes.
  DockerIgnore utf8 = MustRead("caf?\n[α-γ]*\n");
  CHECK(utf8.Match("café").excluded);
  CHECK(utf8.Match("βeta").excluded);
}

TEST_CASE("patternmatcher quirks are kept", "[dockerignore]") {
  // "**x" is a suffix test, not a directory boundary; "x**" a prefix test.
  CHECK(MustRead("**foo\n").Match("barfoo").excluded);
  CHECK(MustRead("foo**\n").Match("foobar/baz").excluded);
  // '^' is literal in a literal pattern but an anchor once the pattern has a wildcard.
  CHECK(MustRead("a^b\n").Match("a^b").excluded);
  CHECK_FALSE(MustRead("a^b*\n").Match("a^bc").excluded);
  // "[*]" becomes the regular expression "[[^/]*]" and so does not mean a literal '*'.
  CHECK_FALSE(MustRead("a[*]\n").Match("a*").excluded);
  CHECK(MustRead("a[*]\n").Match("a[^]").excluded);
  // A class may match '/', as regular expressions do.
  CHECK(MustRead("a[^x]b\n").Match("a/b").excluded);
  // "\\Q" quotes the rest of the regular expression, its closing '$' included.
  CHECK(MustRead("a*\\Qz\n").Match("abz$").excluded);
  CHECK_FALSE(MustRead("a*\\Qz\n").Match("abz").excluded);
}

TEST_CASE("the walk's parent results differ from Match in one case", "[dockerignore]") {
  // The final "a" should exclude a/b again (Match says so), but in a walk it was skipped for
  // directory "a" (already excluded there) and is then only tried against "a/b" itself.
  DockerIgnore ignore = MustRead("a\n!a/b\na\n");
  CHECK(ignore.Match("a/b") == IgnoreVerdict{true, 2});
  CHECK(WalkMatch(ignore, "a/b") == IgnoreVerdict{false, 1});
  CHECK(WalkMatch(ignore, "a/b/c") == IgnoreVerdict{false, 1});
  CHECK(WalkMatch(ignore, "a/c").excluded);
  // Without the walk state the two agree.
  CHECK(ignore.MatchInWalk("a/b", IgnoreWalkState(), nullptr) == ignore.Match("a/b"));
}

TEST_CASE("which excluded directories BuildKit's walk enters", "[dockerignore]") {
  CHECK_FALSE(MustRead("docs\n").WalkEntersExcludedDir("docs"));
  DockerIgnore literal = MustRead("docs\nsrc\n!docs/README.md\n!src/keep/**\n");
  CHECK(literal.WalkEntersExcludedDir("docs"));
  CHECK(literal.WalkEntersExcludedDir("src"));
  CHECK(literal.WalkEntersExcludedDir("src/keep"));
  CHECK_FALSE(literal.WalkEntersExcludedDir("src/other"));
  CHECK_FALSE(literal.WalkEntersExcludedDir("doc"));
  // Any wildcard in an exception and every excluded directory is entered.
  CHECK(MustRead("docs\n!**/README.md\n").WalkEntersExcludedDir("docs"));
}

TEST_CASE("COPY --exclude patterns are taken as patternmatcher.New takes them", "[dockerignore]") {
  // No ReadAll: a leading '/' stays and matches nothing, "./" is cleaned away.
  CHECK_FALSE(MustList({"/secret"}).Match("secret").excluded);
  CHECK(MustList({"./secret"}).Match("secret").excluded);
  CHECK(MustList({"  *.tmp  "}).Match("a.tmp").excluded);
  CHECK(MustList({""}).Empty());
  auto bang = FromList({"!"});
  REQUIRE_FALSE(bang.Ok());
  CHECK(bang.Error().code == "dockerignore-illegal-exclusion");
  SourceFile dockerfile("Dockerfile", "FROM a\nCOPY --exclude=*.md . /\n");
  auto ignore = DockerIgnore::FromPatterns("Dockerfile", {{"*.md", dockerfile.RangeOf(22, 26)}});
  REQUIRE(ignore.Ok());
  CHECK(ignore->Where(0) == "Dockerfile:2");
}

TEST_CASE("a line longer than bufio.Scanner's buffer is refused", "[dockerignore]") {
  CHECK(FromList({std::string(70000, 'a')}).Ok());
  CHECK(MustRead(std::string(65535, 'a') + "\n").Patterns().size() == 1);
  SourceFile file(".dockerignore", "x\n" + std::string(65536, 'a') + "\n");
  auto ignore = DockerIgnore::Parse(file);
  REQUIRE_FALSE(ignore.Ok());
  CHECK(ignore.Error().code == "dockerignore-line-too-long");
  CHECK(ignore.Error().range.begin.line == 2);
}

TEST_CASE("matching stays fast on pathological patterns", "[dockerignore]") {
  // Backtracking matchers take exponential time on these; RE2 and Go's Match do not.
  std::string star(40, 'a');
  std::string pattern;
  for (int i = 0; i < 20; ++i) pattern += "*a";
  DockerIgnore ignore = MustList({pattern + "b", std::string("**/") + pattern + "/**/c"});
  CHECK_FALSE(ignore.Match(std::string(5000, 'a')).excluded);
  CHECK_FALSE(ignore.Match(star + "/" + star + "/" + star).excluded);
  CHECK(gopath::Match(pattern + "b", std::string(5000, 'a')) == false);
}

TEST_CASE("gopath::Clean and Dir follow Go", "[dockerignore]") {
  const std::vector<std::pair<std::string, std::string>> clean = {
      {"", "."},
      {"abc", "abc"},
      {"abc/def", "abc/def"},
      {"a/b/c", "a/b/c"},
      {".", "."},
      {"..", ".."},
      {"../..", "../.."},
      {"../../abc", "../../abc"},
      {"/abc", "/abc"},
      {"/", "/"},
      {"abc/", "abc"},
      {"/abc/", "/abc"},
      {"abc//def//ghi", "abc/def/ghi"},
      {"//abc", "/abc"},
      {"abc/./def", "abc/def"},
      {"/./abc/def", "/abc/def"},
      {"abc/.", "abc"},
      {"abc/def/ghi/../jkl", "abc/def/jkl"},
      {"abc/def/../ghi/../jkl", "abc/jkl"},
      {"abc/def/..", "abc"},
      {"abc/def/../..", "."},
      {"/abc/def/../..", "/"},
      {"abc/def/../../..", ".."},
      {"/abc/def/../../..", "/"},
      {"abc/def/../../../ghi/jkl/../../../mno", "../../mno"},
      {"abc/./../def", "def"},
      {"abc//./../def", "def"},
      {"abc/../../././../def", "../../def"},
  };
  for (const auto& [in, out] : clean) {
    INFO(in);
    CHECK(gopath::Clean(in) == out);
  }
  CHECK(gopath::Dir("a/b/c") == "a/b");
  CHECK(gopath::Dir("a/b/") == "a/b");
  CHECK(gopath::Dir("file") == ".");
  CHECK(gopath::Dir("/file") == "/");
}

TEST_CASE("gopath::Match follows Go's filepath.Match", "[dockerignore]") {
  CHECK(gopath::Match("*", "abc") == true);
  CHECK(gopath::Match("*", "a/b") == false);
  CHECK(gopath::Match("a*/b", "abc/b") == true);
  CHECK(gopath::Match("a[^a]b", "a/b") == true);  // classes may match '/'
  CHECK(gopath::Match("a?b", "a/b") == false);
  CHECK(gopath::Match("[a-ζ]*", "α") == true);
  CHECK(gopath::Match("\\*", "*") == true);
  // Errors surface wherever they are, whether or not the name matched first.
  CHECK_FALSE(gopath::Match("a[", "x").has_value());
  CHECK_FALSE(gopath::Match("x*[", "xyz").has_value());
  CHECK_FALSE(gopath::Match("[]a]", "]").has_value());
  CHECK_FALSE(gopath::Match("a\\", "a").has_value());
}

// ---- properties -------------------------------------------------------------------------------

// A small, independent model of the pattern language for generated patterns whose "**" always
// fills a whole segment: a recursive matcher over tokens, no regular expressions.
struct Token {
  enum Kind { kLit, kStar, kQuest, kClass, kAnyDirs, kAnyTail, kAll } kind;
  char c = 0;
  std::string set;
  bool negated = false;
};

Token Tok(Token::Kind kind, char c = 0) { return Token{kind, c, {}, false}; }

std::vector<Token> Tokenize(const std::vector<std::string>& segments) {
  std::vector<Token> out;
  if (segments.size() == 1 && segments[0] == "**") return {Tok(Token::kAll)};
  for (size_t j = 0; j < segments.size(); ++j) {
    const std::string& seg = segments[j];
    const bool last = j + 1 == segments.size();
    if (seg == "**") {
      out.push_back(Tok(last ? Token::kAnyTail : Token::kAnyDirs));
      continue;  // "**/" swallows its slash
    }
    for (size_t i = 0; i < seg.size(); ++i) {
      if (seg[i] == '*') {
        out.push_back(Tok(Token::kStar));
      } else if (seg[i] == '?') {
        out.push_back(Tok(Token::kQuest));
      } else if (seg[i] == '[') {
        Token t = Tok(Token::kClass);
        size_t close = seg.find(']', i);
        std::string body = seg.substr(i + 1, close - i - 1);
        if (body[0] == '^') {
          t.negated = true;
          body.erase(0, 1);
        }
        for (size_t k = 0; k < body.size(); ++k) {
          if (k + 2 < body.size() && body[k + 1] == '-') {
            for (char x = body[k]; x <= body[k + 2]; ++x) t.set += x;
            k += 2;
          } else {
            t.set += body[k];
          }
        }
        out.push_back(t);
        i = close;
      } else {
        out.push_back(Tok(Token::kLit, seg[i]));
      }
    }
    if (!last) out.push_back(Tok(Token::kLit, '/'));
  }
  return out;
}

bool RefMatch(const std::vector<Token>& t, size_t ti, const std::string& s, size_t si) {
  if (ti == t.size()) return si == s.size();
  const Token& tok = t[ti];
  switch (tok.kind) {
    case Token::kAll:
    case Token::kAnyTail:
      return true;
    case Token::kLit:
      return si < s.size() && s[si] == tok.c && RefMatch(t, ti + 1, s, si + 1);
    case Token::kQuest:
      return si < s.size() && s[si] != '/' && RefMatch(t, ti + 1, s, si + 1);
    case Token::kClass:
      return si < s.size() && (tok.set.find(s[si]) != std::string::npos) != tok.negated &&
             RefMatch(t, ti + 1, s, si + 1);
    case Token::kStar:
      for (size_t k = si;; ++k) {
        if (RefMatch(t, ti + 1, s, k)) return true;
        if (k == s.size() || s[k] == '/') return false;
      }
    case Token::kAnyDirs:
      if (RefMatch(t, ti + 1, s, si)) return true;
      for (size_t k = si; k < s.size(); ++k) {
        if (s[k] == '/' && RefMatch(t, ti + 1, s, k + 1)) return true;
      }
      return false;
  }
  return false;
}

// The documented semantics: the last pattern matching the path or a parent decides.
bool RefExcluded(const std::vector<std::pair<bool, std::vector<std::string>>>& patterns,
                 const std::vector<std::string>& path) {
  bool excluded = false;
  for (const auto& [exception, segments] : patterns) {
    std::vector<Token> tokens = Tokenize(segments);
    std::string prefix;
    bool hit = false;
    for (const std::string& seg : path) {
      prefix += (prefix.empty() ? "" : "/") + seg;
      if (RefMatch(tokens, 0, prefix, 0)) hit = true;
    }
    if (hit) excluded = !exception;
  }
  return excluded;
}

std::string JoinSegs(const std::vector<std::string>& segments) {
  std::string out;
  for (const std::string& s : segments) out += (out.empty() ? "" : "/") + s;
  return out;
}

rc::Gen<std::string> GenAtom() {
  return rc::gen::elementOf(
      std::vector<std::string>{"a", "b", "a", "b", "*", "?", "[ab]", "[^a]", "[a-b]"});
}

// 1-4 segments, each "**" or 1-3 atoms without two stars in a row.
rc::Gen<std::vector<std::string>> GenPatternSegments() {
  return rc::gen::exec([] {
    std::vector<std::string> segments(*rc::gen::inRange(1, 5));
    for (std::string& segment : segments) {
      if (*rc::gen::inRange(0, 6) == 0) {
        segment = "**";
        continue;
      }
      for (int atoms = *rc::gen::inRange(1, 4); atoms > 0; --atoms) {
        std::string atom = *GenAtom();
        // Two stars in a row would be the "**" operator glued to a name: a different pattern.
        if (atom == "*" && segment.ends_with('*')) continue;
        segment += atom;
      }
    }
    return segments;
  });
}

rc::Gen<std::vector<std::string>> GenPath() {
  return rc::gen::exec([] {
    std::vector<std::string> segments(*rc::gen::inRange(1, 5));
    for (std::string& segment : segments) {
      segment =
          *rc::gen::container<std::string>(*rc::gen::inRange(1, 4), rc::gen::element('a', 'b'));
    }
    return segments;
  });
}

TEST_CASE("properties of the matcher", "[dockerignore][property]") {
  rc::prop("a list of only exceptions never excludes", [] {
    auto patterns = *rc::gen::container<std::vector<std::vector<std::string>>>(
        *rc::gen::inRange(1, 4), GenPatternSegments());
    auto path = JoinSegs(*GenPath());
    std::vector<std::string> texts;
    for (const auto& p : patterns) texts.push_back("!" + JoinSegs(p));
    DockerIgnore ignore = MustList(texts);
    RC_ASSERT_FALSE(ignore.Match(path).excluded);
    RC_ASSERT_FALSE(WalkMatch(ignore, path).excluded);
  });

  rc::prop("matching agrees with a recursive reference matcher", [] {
    auto patterns = *rc::gen::container<std::vector<std::pair<bool, std::vector<std::string>>>>(
        *rc::gen::inRange(1, 4),
        rc::gen::pair(rc::gen::weightedElement<bool>({{3, false}, {1, true}}),
                      GenPatternSegments()));
    auto path = *GenPath();
    std::vector<std::string> texts;
    for (const auto& [exception, segments] : patterns) {
      texts.push_back((exception ? "!" : "") + JoinSegs(segments));
    }
    DockerIgnore ignore = MustList(texts);
    RC_ASSERT(ignore.Match(JoinSegs(path)).excluded == RefExcluded(patterns, path));
  });

  rc::prop("matching is deterministic and a single pattern walks like Match", [] {
    auto pattern = JoinSegs(*GenPatternSegments());
    auto path = JoinSegs(*GenPath());
    DockerIgnore ignore = MustList({pattern});
    IgnoreVerdict first = ignore.Match(path);
    RC_ASSERT(ignore.Match(path) == first);
    RC_ASSERT(MustList({pattern}).Match(path) == first);
    RC_ASSERT(WalkMatch(ignore, path) == first);
  });

  rc::prop("reading arbitrary text never crashes and errors carry a range", [] {
    auto text = *rc::gen::container<std::string>(
        rc::gen::element('a', '*', '?', '[', ']', '^', '-', '\\', '!', '/', '.', '#', ' ', '\n',
                         '\r', '\t', '\xce', '\xb1'));
    SourceFile file(".dockerignore", text);
    auto ignore = DockerIgnore::Parse(file);
    if (!ignore) {
      RC_ASSERT(ignore.Error().range.end.offset <= text.size());
      RC_ASSERT(ignore.Error().range.begin.offset < ignore.Error().range.end.offset);
    } else {
      for (const IgnorePattern& p : ignore->Patterns()) ignore->Match(p.pattern);
    }
  });
}

}  // namespace
}  // namespace dockit

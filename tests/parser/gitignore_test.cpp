// .gitignore matching, checked against a table whose answers come from `git check-ignore`
// (and re-checked against git itself when it is installed, as it is in CI).
#include "parser/gitignore.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace dockit {
namespace {

struct Case {
  const char* path;
  bool directory;
  bool ignored;
};

const char* kRules =
    "# build output\n"
    "build/\n"
    "*.log\n"
    "!keep.log\n"
    "/top.Dockerfile\n"
    "docs/**/gen\n"
    "a/**\n"
    "tmp?\n"
    "[Oo]ld/\n"
    "\\#hash\n"
    "trailing  \n"
    "sub/x.Dockerfile\n";

const Case kCases[] = {
    {"build", true, true},
    {"build", false, false},
    {"src/build", true, true},
    {"x.log", false, true},
    {"deep/er/x.log", false, true},
    {"keep.log", false, false},
    {"top.Dockerfile", false, true},
    {"sub/top.Dockerfile", false, false},
    {"docs/gen", true, true},
    {"docs/a/b/gen", true, true},
    {"a", true, true},
    {"a/Dockerfile", false, true},
    {"a", false, false},
    {"tmp1", true, true},
    {"tmp", true, false},
    {"Old", true, true},
    {"old", true, true},
    {"#hash", false, true},
    {"trailing", false, true},
    {"sub/x.Dockerfile", false, true},
    {"other/sub/x.Dockerfile", false, false},
    {"Dockerfile", false, false},
};

TEST_CASE("gitignore patterns match as git matches them", "[parser][gitignore]") {
  GitIgnore rules = GitIgnore::Parse(kRules);
  for (const Case& c : kCases) {
    INFO(c.path << (c.directory ? "/" : ""));
    CHECK(rules.Match(c.path, c.directory).value_or(false) == c.ignored);
  }
  CHECK_FALSE(GitIgnore::Parse("# only a comment\n\n").Match("x", false).has_value());
  CHECK(GitIgnore::Parse("*.log\n!keep.log\n").Match("keep.log", false) == false);
}

TEST_CASE("the gitignore table agrees with git check-ignore", "[parser][gitignore]") {
  namespace fs = std::filesystem;
  if (std::system("git --version >/dev/null 2>&1") != 0) {
    WARN("git is not installed: the table is not re-checked");
    return;
  }
  fs::path repo = fs::temp_directory_path() / ("dockit-gitignore-" + std::to_string(getpid()));
  fs::remove_all(repo);
  fs::create_directories(repo);
  std::ofstream(repo / ".gitignore") << kRules;
  REQUIRE(std::system(("git init -q " + repo.string()).c_str()) == 0);
  for (const Case& c : kCases) {
    INFO(c.path << (c.directory ? "/" : ""));
    std::string path = std::string(c.path) + (c.directory ? "/" : "");
    std::string cmd = "cd " + repo.string() + " && git check-ignore -q --no-index '" + path + "'";
    bool git_ignores = std::system(cmd.c_str()) == 0;
    CHECK(git_ignores == c.ignored);
  }
  fs::remove_all(repo);
}

}  // namespace
}  // namespace dockit

#include "linter/subprocess.hpp"

#include <catch2/catch.hpp>

namespace dockit::lint {
namespace {

TEST_CASE("a program's exit code, stdout and stderr", "[linter][subprocess]") {
  auto r = RunProgram("sh", {"-c", "echo out; echo err >&2; exit 3"});
  REQUIRE(r.Ok());
  CHECK(r->exit_code == 3);
  CHECK(r->out == "out\n");
  CHECK(r->err == "err\n");
  CHECK_FALSE(r->timed_out);
}

TEST_CASE("large outputs on both streams do not deadlock", "[linter][subprocess]") {
  auto r = RunProgram("sh", {"-c", "head -c 300000 /dev/zero; head -c 300000 /dev/zero >&2"});
  REQUIRE(r.Ok());
  CHECK(r->out.size() == 300000);
  CHECK(r->err.size() == 300000);
}

TEST_CASE("in-memory files are readable as /dev/fd/N by the child only", "[linter][subprocess]") {
  auto file = MemFile::Create("hello\n");
  REQUIRE(file.Ok());
  auto r = RunProgram("cat", {file->Path()}, {file->Fd()});
  REQUIRE(r.Ok());
  CHECK(r->exit_code == 0);
  CHECK(r->out == "hello\n");
  // Not passed: close-on-exec keeps it out of the child.
  auto hidden = RunProgram("cat", {file->Path()});
  REQUIRE(hidden.Ok());
  CHECK(hidden->exit_code != 0);
}

TEST_CASE("a child past its deadline is killed", "[linter][subprocess]") {
  auto r = RunProgram("sleep", {"5"}, {}, 100);
  REQUIRE(r.Ok());
  CHECK(r->timed_out);
  CHECK(r->signal == 9);
}

TEST_CASE("a missing program is an error, a crash is a signal", "[linter][subprocess]") {
  auto missing = RunProgram("dlint-no-such-program", {});
  REQUIRE_FALSE(missing.Ok());
  CHECK(missing.Error().message.find("cannot run dlint-no-such-program") == 0);
  CHECK_FALSE(FindProgram("dlint-no-such-program"));
  CHECK(FindProgram("sh"));
  auto crash = RunProgram("sh", {"-c", "kill -SEGV $$"});
  REQUIRE(crash.Ok());
  CHECK(crash->exit_code == -1);
  CHECK(crash->signal == 11);
}

}  // namespace
}  // namespace dockit::lint

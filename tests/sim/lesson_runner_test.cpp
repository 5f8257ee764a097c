#include "sim/lesson_runner.hpp"

#include <catch2/catch.hpp>
#include <sstream>

namespace dockit::sim {
namespace {

std::pair<int, std::string> Run(const std::string& text, bool check, std::string* err = nullptr) {
  SourceFile file("t.lesson", text);
  auto lesson = ParseLesson(file);
  REQUIRE(lesson);
  std::ostringstream out, errors;
  int code = RunLesson(file, *lesson, {check}, out, errors);
  if (err) *err = errors.str();
  return {code, out.str()};
}

const char* kLesson =
    "title t\n"
    "file Dockerfile <<END\nFROM alpine\nCOPY a.txt /a.txt\nEND\n"
    "file a.txt <<END\nv1\nEND\n"
    "$ docker build -t t .\n"
    "expect exit 0\n"
    "expect step 2 rebuilt\n"
    "$ docker build -t t .\n"
    "expect step 2 cached\n"
    "expect image t size 7MB..9MB\n"
    "$ docker run --name c t cat /a.txt\n"
    "expect container c exited(0)\n"
    "wait 5m\n";

TEST_CASE("a lesson runs the same way twice", "[sim][lesson]") {
  auto [code, first] = Run(kLesson, true);
  CHECK(code == 0);
  CHECK(first.find("== 5 expectations held ==") != std::string::npos);
  auto [again, second] = Run(kLesson, true);
  CHECK(first == second);
}

TEST_CASE("grading (--check) stops at the first failed expectation, at its position", "[sim][lesson]") {
  std::string err;
  auto [code, out] =
      Run(std::string(kLesson) + "expect step 2 rebuilt\nexpect exit 3\n", true, &err);
  CHECK(code == 1);
  CHECK(err.rfind("t.lesson:18:1: error: expectation failed: it was cached", 0) == 0);
  CHECK(out.find("expect exit 3") == std::string::npos);
  // Without --check, every expectation is shown and the lesson goes on.
  auto [shown, text] = Run(std::string(kLesson) + "expect step 2 rebuilt\nexpect exit 3\n", false);
  CHECK(shown == 0);
  CHECK(text.find("FAILED: expect exit 3") != std::string::npos);
}

}  // namespace
}  // namespace dockit::sim

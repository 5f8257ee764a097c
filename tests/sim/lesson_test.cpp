#include "sim/lesson.hpp"

#include <catch2/catch.hpp>

namespace dockit::sim {
namespace {

using Kind = LessonStep::Kind;
using EKind = Expectation::Kind;

Result<Lesson> Parse(const std::string& text) {
  return ParseLesson(SourceFile("cache.lesson", text));
}

TEST_CASE("a lesson reads into positioned steps and expectations", "[sim][lesson]") {
  auto lesson = Parse(
      "# a comment\n"
      "title Layers and the cache\n"
      "say Build it once.\n"
      "file Dockerfile <<EOF\n"
      "FROM alpine\n"
      "  RUN echo hi\n"
      "EOF\n"
      "$ docker build -t app \"my dir\" 'a b'\n"
      "expect exit 0\n"
      "expect output contains \"  padded \"\n"
      "expect output lacks CACHED\n"
      "expect step 2 cached\n"
      "expect step 3 rebuilt\n"
      "expect image app size 5MB..9MB\n"
      "expect container web exited(143)\n"
      "wait 1h30m\n"
      "chmod 755 run.sh\n"
      "delete notes.md\n"
      "touch app.py\n"
      "append app.py <<END\nprint(1)\nEND\n"
      "program \"python app.py\" <<END\nlisten 8000\nEND\n"
      "sizes <<END\nurl https://x/y 1M\nEND\n");
  if (!lesson) FAIL(lesson.Error().message);
  CHECK(lesson->title == "Layers and the cache");
  const auto& s = lesson->steps;
  REQUIRE(s.size() == 17);
  CHECK(s[0].kind == Kind::kSay);
  CHECK(s[0].text == "Build it once.");
  CHECK(s[1].kind == Kind::kFile);
  CHECK(s[1].text == "Dockerfile");
  CHECK(s[1].body == "FROM alpine\n  RUN echo hi\n");
  CHECK(s[1].range.begin.line == 4);
  CHECK(s[2].argv == std::vector<std::string>{"docker", "build", "-t", "app", "my dir", "a b"});
  CHECK(s[2].range.begin.line == 8);
  CHECK(s[3].expect.kind == EKind::kExit);
  CHECK(s[4].expect.text == "  padded ");
  CHECK(s[5].expect.kind == EKind::kOutputLacks);
  CHECK(s[6].expect.kind == EKind::kStepCached);
  CHECK(s[6].expect.step == 2);
  CHECK(s[7].expect.kind == EKind::kStepRebuilt);
  CHECK(s[8].expect.min == 5'000'000);
  CHECK(s[8].expect.max == 9'000'000);
  CHECK(s[9].expect.state == "exited");
  CHECK(s[9].expect.state_code == 143);
  CHECK(s[10].seconds == 5400);
  CHECK(s[11].mode == 0755);
  CHECK(s[12].kind == Kind::kDelete);
  CHECK(s[13].kind == Kind::kTouch);
  CHECK(s[14].body == "print(1)\n");
  CHECK(s[15].text == "python app.py");
  CHECK(s[16].kind == Kind::kSizes);
  CHECK(s[16].body == "url https://x/y 1M\n");
}

TEST_CASE("lesson errors name the line and column", "[sim][lesson]") {
  struct Case {
    const char* text;
    uint32_t line, column;
    const char* message;
  };
  for (const Case& c : {
           Case{"say hi\nfrobnicate x\n", 2, 1, "unknown directive \"frobnicate\""},
           Case{"expect exit zero\n", 1, 13, "expected an exit code"},
           Case{"file a <<EOF\nno end\n", 1, 8, "heredoc not closed: no line \"EOF\""},
           Case{"delete ../x\n", 1, 1, "a lesson's file paths stay inside its build context"},
           Case{"wait soon\n", 1, 6, "expected a duration"},
           Case{"$ docker run 'x\n", 1, 3, "unterminated quote"},
           Case{"expect image app size 9MB..5MB\n", 1, 23, "expected sizes"},
           Case{"expect container web sleeping\n", 1, 18, "expected \"container NAME STATE\""},
       }) {
    INFO(c.text);
    auto lesson = Parse(c.text);
    REQUIRE_FALSE(lesson);
    CHECK(lesson.Error().message.rfind(c.message, 0) == 0);
    CHECK(lesson.Error().range.begin.line == c.line);
    CHECK(lesson.Error().range.begin.column == c.column);
  }
}

TEST_CASE("durations and words", "[sim][lesson]") {
  CHECK(ParseDuration("45") == 45);
  CHECK(ParseDuration("2m") == 120);
  CHECK(ParseDuration("1d2h") == 93600);
  CHECK_FALSE(ParseDuration("2x"));
  CHECK_FALSE(ParseDuration(""));
  CHECK(SplitWords(R"(a "b \"c\"" d\ e '')") ==
        std::vector<std::string>{"a", "b \"c\"", "d e", ""});
  CHECK_FALSE(SplitWords("\"open"));
}

}  // namespace
}  // namespace dockit::sim

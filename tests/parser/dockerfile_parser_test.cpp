#include "parser/dockerfile_parser.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "parser/heredoc.hpp"
#include "tests/parser/test_support.hpp"

namespace dockit {
namespace {

using testing::Covered;
using testing::LineCol;
using testing::MustParse;
using testing::Parse;
using testing::ReadFile;
using testing::SharedDir;

std::string RenderError(const std::string& text) {
  auto file = std::make_shared<SourceFile>("Dockerfile", text);
  auto tree = ParseDockerfile(file);
  REQUIRE_FALSE(tree.Ok());
  return Render(*file, tree.Error());
}

TEST_CASE("line numbers match BuildKit's TestParseIncludesLineNumbers", "[parser]") {
  auto dir = SharedDir() / "corpus/buildkit-parser-lineinfo";
  auto expected = nlohmann::json::parse(ReadFile(dir / "expected.json"));
  auto tree = MustParse(ReadFile(dir / "Dockerfile"));
  const auto& spans = expected["children_start_end_lines_1based"];
  REQUIRE(tree->instructions.size() == spans.size());
  for (size_t i = 0; i < spans.size(); ++i) {
    CHECK(tree->instructions[i].range.begin.line == spans[i][0].get<uint32_t>());
    CHECK(tree->instructions[i].range.end.line == spans[i][1].get<uint32_t>());
  }
  CHECK(tree->instructions.front().range.begin.line == expected["root"]["start_line"]);
  CHECK(tree->instructions.back().range.end.line == expected["root"]["end_line"]);
}

TEST_CASE("heredocs match BuildKit's parser_heredoc_test", "[parser][heredoc]") {
  auto cases =
      nlohmann::json::parse(ReadFile(SharedDir() / "corpus/buildkit-parser-heredoc/cases.json"));

  SECTION("extracted heredocs of every instruction") {
    const auto& c = cases["extracts_heredoc"];
    auto tree = MustParse(c["dockerfile"].get<std::string>());
    const auto& expected = c["expected"];
    REQUIRE(tree->instructions.size() == expected.size() + 1);
    for (size_t i = 0; i < expected.size(); ++i) {
      INFO("instruction " << i + 1);
      const auto& docs = tree->instructions[i + 1].heredocs;
      if (expected[i].is_null()) {
        CHECK(docs.empty());
        continue;
      }
      REQUIRE(docs.size() == expected[i].size());
      for (size_t j = 0; j < docs.size(); ++j) {
        const auto& want = expected[i][j];
        CHECK(docs[j].name == want["Name"].get<std::string>());
        CHECK(docs[j].content == want["Content"].get<std::string>());
        CHECK(docs[j].expand == want["Expand"].get<bool>());
        CHECK(docs[j].chomp == want["Chomp"].get<bool>());
        CHECK(docs[j].fd == want["FileDescriptor"].get<unsigned>());
      }
    }
  }

  SECTION("exec form never carries heredocs") {
    auto tree = MustParse(cases["json_form_has_no_heredoc"]["dockerfile"].get<std::string>());
    REQUIRE(tree->instructions.size() == 4);
    for (size_t i = 1; i < 4; ++i) CHECK(tree->instructions[i].heredocs.empty());
  }

  SECTION("heredoc words") {
    const auto& words = cases["parse_heredoc_word"];
    for (const auto& w : words["valid_name_EOF"]) {
      INFO(w.get<std::string>());
      auto parsed = ParseHeredocWord(w.get<std::string>());
      REQUIRE(parsed.heredoc);
      CHECK(parsed.heredoc->name == "EOF");
    }
    for (const auto& w : words["invalid_error"]) {
      INFO(w.get<std::string>());
      CHECK(ParseHeredocWord(w.get<std::string>()).error);
    }
    for (const auto& w : words["not_heredoc"]) {
      INFO(w.get<std::string>());
      auto parsed = ParseHeredocWord(w.get<std::string>());
      CHECK_FALSE(parsed.heredoc);
      CHECK_FALSE(parsed.error);
    }
  }

  SECTION("heredocs from a line") {
    for (const auto& c : cases["heredocs_from_line"]) {
      INFO(c["line"].get<std::string>());
      HeredocScan scan = ScanHeredocs(c["line"].get<std::string>());
      REQUIRE_FALSE(scan.error);
      std::vector<std::string> names;
      for (const auto& w : scan.words) names.push_back(w.name);
      std::vector<std::string> want;
      if (!c["heredocNames"].is_null()) want = c["heredocNames"].get<std::vector<std::string>>();
      CHECK(names == want);
    }
  }
}

TEST_CASE("every piece has its exact range", "[parser]") {
  auto tree = MustParse(
      "FROM alpine:3.19 AS build\n"
      "RUN --mount=type=cache,target=/root/.cache \\\n"
      "    apk add \\\n"
      "# a comment inside\n"
      "      curl\n"
      "ENV A=1 B=\"x y\"\n"
      "COPY [\"a b\", \"/dst/\"]\n"
      "ONBUILD COPY --from=build /x /y\n");
  const auto& ins = tree->instructions;
  REQUIRE(ins.size() == 5);

  CHECK(Covered(*tree, ins[0].keyword_range) == "FROM");
  CHECK(LineCol(ins[0].args[2].range) == "1:21-1:26");
  CHECK(ins[0].args[2].value == "build");

  const Instruction& run = ins[1];
  CHECK(LineCol(run.range) == "2:1-5:11");
  REQUIRE(run.flags.size() == 1);
  CHECK(run.flags[0].Name() == "mount");
  CHECK(run.flags[0].Value() == "type=cache,target=/root/.cache");
  CHECK(LineCol(run.flags[0].range) == "2:5-2:43");
  REQUIRE(run.args.size() == 1);
  CHECK(run.args[0].value == "apk add       curl");
  CHECK(LineCol(run.args[0].range) == "3:5-5:11");

  const Instruction& env = ins[2];
  REQUIRE(env.args.size() == 6);
  CHECK(env.args[3].value == "B");
  CHECK(env.args[4].value == "\"x y\"");
  CHECK(Covered(*tree, env.args[4].range) == "\"x y\"");
  CHECK(Covered(*tree, env.args[5].range) == "=");

  const Instruction& copy = ins[3];
  CHECK(copy.json_form);
  REQUIRE(copy.args.size() == 2);
  CHECK(copy.args[0].value == "a b");
  CHECK(Covered(*tree, copy.args[0].range) == "\"a b\"");

  const Instruction& onbuild = ins[4];
  REQUIRE(onbuild.onbuild);
  CHECK(onbuild.onbuild->kind == InstructionKind::kCopy);
  CHECK(Covered(*tree, onbuild.onbuild->keyword_range) == "COPY");
  CHECK(Covered(*tree, onbuild.onbuild->flags[0].range) == "--from=build");
  CHECK(LineCol(onbuild.onbuild->args[1].range) == "8:30-8:32");
}

TEST_CASE("heredoc bodies and terminators have ranges", "[parser][heredoc]") {
  auto tree = MustParse("FROM x\nRUN <<-EOF bash\n\techo hi\n\tEOF\nCOPY <<A <<B /d/\na\nA\nB\n");
  const Instruction& run = tree->instructions[1];
  REQUIRE(run.heredocs.size() == 1);
  CHECK(Covered(*tree, run.heredocs[0].word_range) == "<<-EOF");
  CHECK(Covered(*tree, run.heredocs[0].body_range) == "\techo hi\n");
  CHECK(Covered(*tree, run.heredocs[0].terminator_range) == "\tEOF");
  CHECK(LineCol(run.range) == "2:1-4:5");
  const Instruction& copy = tree->instructions[2];
  REQUIRE(copy.heredocs.size() == 2);
  CHECK(copy.heredocs[1].content.empty());
  CHECK(LineCol(copy.heredocs[1].terminator_range) == "8:1-8:2");
  CHECK(copy.range.end.line == 8);
}

TEST_CASE("parser directives", "[parser]") {
  SECTION("backtick escape") {
    auto tree = MustParse("# escape=`\nFROM x\nRUN a `\n  b\nCOPY a\\ b /c\n");
    CHECK(tree->escape == '`');
    REQUIRE(tree->directives.size() == 1);
    CHECK(tree->instructions[1].args[0].value == "a   b");
    CHECK(tree->instructions[2].args[0].value == "a\\");
  }
  SECTION("a directive after a comment is only a comment") {
    auto tree = MustParse("# hello\n# escape=`\nFROM x\nRUN a \\\n b\n");
    CHECK(tree->escape == '\\');
    CHECK(tree->directives.empty());
    CHECK(tree->instructions[1].args[0].value == "a  b");
  }
  SECTION("errors") {
    CHECK(RenderError("# escape=x\nFROM a\n") ==
          "Dockerfile:1:10: error: invalid escape token 'x' does not match ` or \\\n"
          "# escape=x\n"
          "         ^\n");
    CHECK(RenderError("# syntax=a\n# SYNTAX=b\nFROM a\n") ==
          "Dockerfile:2:1: error: only one syntax parser directive can be used\n"
          "# SYNTAX=b\n"
          "^~~~~~~~~~\n");
  }
}

TEST_CASE("parse errors say what and where", "[parser]") {
  CHECK(RenderError("FROM a\nRUN <<EOF\necho\n") ==
        "Dockerfile:2:5: error: unterminated heredoc: no line \"EOF\" ends it\n"
        "RUN <<EOF\n"
        "    ^~~~~\n");
  CHECK(RenderError("FROM a\nLABEL a=1 b\n") ==
        "Dockerfile:2:11: error: can't find = in \"b\": must be of the form name=value\n"
        "LABEL a=1 b\n"
        "          ^\n");
  CHECK(RenderError("FROM a\nCOPY <<'EOF /x\n") ==
        "Dockerfile:2:6: error: unexpected end of statement while looking for matching "
        "single-quote\n"
        "COPY <<'EOF /x\n"
        "     ^~~~~~~~~\n");
  CHECK(RenderError("\n\n  # only a comment\n") ==
        "Dockerfile:1:1: error: file with no instructions\n\n^\n");
}

TEST_CASE("unknown instructions and flags stay in the tree", "[parser]") {
  auto tree = MustParse("FROM a\nRUNN --bogus=1 echo\nCOPY --frm=x a b\n");
  CHECK(tree->instructions[1].kind == InstructionKind::kUnknown);
  CHECK(tree->instructions[1].keyword == "RUNN");
  CHECK(tree->instructions[1].flags[0].text == "--bogus=1");
  CHECK(tree->instructions[2].FindFlag("frm") != nullptr);
  CHECK(DumpBuildkit(*tree) ==
        "(from \"a\")\n(runn [\"--bogus=1\"] \"\")\n(copy [\"--frm=x\"] \"a\" \"b\")\n");
}

TEST_CASE("empty continuation lines are kept as warnings", "[parser]") {
  auto tree = MustParse("FROM a\nRUN a \\\n\n   b\n");
  REQUIRE(tree->warnings.size() == 1);
  CHECK(tree->warnings[0].code == "empty-continuation-line");
  CHECK(tree->warnings[0].range.begin.line == 3);
  CHECK(tree->instructions[1].args[0].value == "a    b");
}

TEST_CASE("CRLF line endings and a byte-order mark", "[parser]") {
  auto tree = MustParse(
      "\xEF\xBB\xBF"
      "FROM a\r\nRUN x \\\r\n  y\r\n");
  CHECK(DumpBuildkit(*tree) == "(from \"a\")\n(run \"x   y\")\n");
  CHECK(tree->instructions[0].keyword_range.begin.column == 4);
}

TEST_CASE("every real-world Dockerfile parses", "[parser][corpus]") {
  size_t parsed = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(SharedDir() / "corpus/real/dockerfile")) {
    auto file =
        std::make_shared<SourceFile>(entry.path().filename().string(), ReadFile(entry.path()));
    auto tree = ParseDockerfile(file);
    INFO(entry.path().filename().string());
    if (!tree) FAIL(Render(*file, tree.Error()));
    ++parsed;
  }
  CHECK(parsed > 800);
}

}  // namespace
}  // namespace dockit

namespace dockit {
namespace {

// Found by the fuzzer: a lone escape at the end of the file is an instruction with an empty
// logical line (BuildKit dumps it as `("")`), and its ranges must stay where it starts.
TEST_CASE("a lone escape at the end of the file", "[parser]") {
  auto tree = testing::MustParse("FROM a\n\\\n   \n");
  REQUIRE(tree->instructions.size() == 2);
  CHECK(DumpBuildkit(*tree) == "(from \"a\")\n(\"\")\n");
  const Instruction& empty = tree->instructions[1];
  CHECK(empty.keyword_range.begin.offset == 7);
  CHECK(empty.range.begin.offset == 7);
}

}  // namespace
}  // namespace dockit

// PrintDockerfile: exact canonical output on hand-written cases, and the round trip
// dump(parse(print(parse(f)))) == dump(parse(f)) with equal heredocs and PrevComments on every
// BuildKit conformance case, the heredoc cases and the real-world corpus.
#include "parser/printer.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "parser/dockerfile_parser.hpp"
#include "parser/text.hpp"

#include "tests/parser/test_support.hpp"

namespace dockit {
namespace {

using testing::CommentsOf;
using testing::HeredocsOf;

namespace fs = std::filesystem;

Result<std::shared_ptr<const SyntaxTree>> ParseText(const std::string& text) {
  return ParseDockerfile(std::make_shared<SourceFile>("Dockerfile", text));
}

// Go-quoted, so that control bytes in a failing case are visible in the report.
std::string Quoted(std::string_view s) {
  std::string out;
  text::AppendQuoted(out, s);
  return out;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// Prints `tree`, parses the result and checks that everything printing promises to keep is
// kept, and that the canonical text is a fixed point. Returns the printed text.
std::string CheckRoundTrip(const SyntaxTree& tree) {
  std::string printed = PrintDockerfile(tree);
  INFO("printed: " << Quoted(printed));
  auto again = ParseText(printed);
  if (!again.Ok()) FAIL("printed text does not parse: " << again.Error().message);
  const SyntaxTree& t2 = **again;
  CHECK(DumpBuildkit(t2) == DumpBuildkit(tree));
  CHECK(HeredocsOf(t2) == HeredocsOf(tree));
  CHECK(CommentsOf(t2) == CommentsOf(tree));
  CHECK(t2.escape == tree.escape);
  CHECK(PrintDockerfile(t2) == printed);
  return printed;
}

// Parses `source`, checks the round trip and returns the printed text.
std::string PrintSource(const std::string& source) {
  INFO("source: " << Quoted(source));
  auto tree = ParseText(source);
  if (!tree.Ok()) FAIL("source does not parse: " << tree.Error().message);
  return CheckRoundTrip(**tree);
}

TEST_CASE("printer: canonical layout of a simple file", "[printer]") {
  std::string source =
      "# syntax=docker/dockerfile:1\n"
      "from   alpine:3.19 AS base\n"
      "# install things\n"
      "run apk add \\\n"
      "    curl \\\n"
      "  # a comment inside the continuation\n"
      "\n"
      "    git\n"
      "cmd [ \"sh\" ,\"-c\",  \"echo hi\" ]\n";
  CHECK(PrintSource(source) ==
        "# syntax=docker/dockerfile:1\n"
        "\n"
        "FROM alpine:3.19 AS base\n"
        "# install things\n"
        "RUN apk add     curl     git\n"
        "CMD [\"sh\", \"-c\", \"echo hi\"]\n");
}

TEST_CASE("printer: flags are re-quoted for the flag scanner", "[printer]") {
  CHECK(PrintSource("RUN --mount=type=cache,target=/root/.cache --network=none make\n") ==
        "RUN --mount=type=cache,target=/root/.cache --network=none make\n");
  // Quotes are removed by the scanner; spaces, quotes and escapes come back quoted.
  CHECK(PrintSource("COPY --chown=\"a b\" x y\n") == "COPY --chown='a b' x y\n");
  CHECK(PrintSource("COPY --x=it\\'s --y=\"q\\\"q\" --z=back\\\\slash a b\n") ==
        "COPY --x=it\"'\"s --y='q\"q' --z=back\\\\slash a b\n");
  // A name that needs quoting gets the whole rest quoted.
  CHECK(PrintSource("RUN --\"a b\"=c true\n") == "RUN --'a b=c' true\n");
  // Non-ASCII bytes were re-encoded as Latin-1 by the scanner; the original bytes come back.
  CHECK(PrintSource("COPY --chown=\xC3\xA9 a b\n") == "COPY --chown='\xC3\xA9' a b\n");
  // Flags of any instruction, even without arguments.
  CHECK(PrintSource("HEALTHCHECK --interval=5s --timeout=\"3 s\"\n") ==
        "HEALTHCHECK --interval=5s --timeout='3 s'\n");
}

TEST_CASE("printer: arguments that look like flags keep the end-of-flags word", "[printer]") {
  CHECK(PrintSource("COPY --doit=true -- --foo /tmp/\n") == "COPY --doit=true -- --foo /tmp/\n");
  CHECK(PrintSource("RUN -- --version\n") == "RUN -- --version\n");
  // A lone 0xA0 byte is a space to the flag scanner but not to Unicode trimming.
  CHECK(PrintSource("RUN -- \xA0x\n") == "RUN -- \xA0x\n");
  CHECK(PrintSource("ENV -- --a=b\n") == "ENV -- --a=b\n");
  CHECK(PrintSource("ONBUILD -- --x RUN a\n") == "ONBUILD -- --X RUN a\n");
}

TEST_CASE("printer: exec form is printed as JSON with JSON escapes", "[printer]") {
  CHECK(PrintSource(
            "CMD [\"a\\nb\", \"c\\\"d\", \"\\u0000\", \"\\/\", \"\\u00e9\", \"\\t\\u001f\"]\n") ==
        "CMD [\"a\\nb\", \"c\\\"d\", \"\\u0000\", \"/\", \"\xC3\xA9\", \"\\t\\u001f\"]\n");
  // The escape character means nothing inside JSON strings.
  CHECK(PrintSource("ENTRYPOINT [\"C:\\\\dir\\\\\"]\n") == "ENTRYPOINT [\"C:\\\\dir\\\\\"]\n");
  CHECK(PrintSource("RUN []\n") == "RUN []\n");
  CHECK(PrintSource("CMD --doit -- [ ]\n") == "CMD --doit []\n");
  CHECK(PrintSource("HEALTHCHECK --retries=3 CMD [\"curl\",\"-f\",\"http://x/\"]\n") ==
        "HEALTHCHECK --retries=3 CMD [\"curl\", \"-f\", \"http://x/\"]\n");
  CHECK(PrintSource("HEALTHCHECK CMD []\n") == "HEALTHCHECK CMD []\n");
  CHECK(PrintSource("COPY [\"a b\",\t\"c\"]\n") == "COPY [\"a b\", \"c\"]\n");
  // Not JSON (single quotes): the argument text stays as written.
  CHECK(PrintSource("CMD ['a', 'b']\n") == "CMD ['a', 'b']\n");
}

TEST_CASE("printer: ENV and LABEL pairs in both forms", "[printer]") {
  CHECK(PrintSource("ENV a=1   b=\"x y\"\tc=it\\ s\n") == "ENV a=1 b=\"x y\" c=it\\ s\n");
  CHECK(PrintSource("ENV SCUBA \"1 DUBA 3\"\n") == "ENV SCUBA \"1 DUBA 3\"\n");
  CHECK(PrintSource("LABEL maintainer  Foo Bar\n") == "LABEL maintainer Foo Bar\n");
  CHECK(PrintSource("label \"a b\"=c d=\n") == "LABEL \"a b\"=c d=\n");
  // An unterminated quote runs to the end of the text, and stays last.
  CHECK(PrintSource("ENV a=\"b c=d\n") == "ENV a=\"b c=d\n");
}

TEST_CASE("printer: ONBUILD prints its trigger", "[printer]") {
  CHECK(PrintSource("onbuild  copy --from=a x y\n") == "ONBUILD COPY --from=a x y\n");
  CHECK(PrintSource("ONBUILD --x RUN [\"a\"]\n") == "ONBUILD --x RUN [\"a\"]\n");
  CHECK(PrintSource("ONBUILD\n") == "ONBUILD\n");
  CHECK(PrintSource("ONBUILD ONBUILD ENV a b\n") == "ONBUILD ONBUILD ENV a b\n");
  CHECK(PrintSource("ONBUILD RUN <<EOF\nhi\nEOF\n") == "ONBUILD RUN <<EOF\nhi\nEOF\n");
}

TEST_CASE("printer: unknown instructions keep their text", "[printer]") {
  CHECK(PrintSource("foo bar baz\n") == "FOO bar baz\n");
  CHECK(PrintSource("FROM a\nfoo --x=1\n") == "FROM a\nFOO --x=1\n");
  // A keyword starting with a byte order mark must not land on the first line, where the BOM
  // would be dropped and the keyword would become RUN.
  CHECK(PrintSource("FROM a\n\xEF\xBB\xBFRUN x\n") == "FROM a\n\xEF\xBB\xBFRUN x\n");
  auto tree = ParseText("\n\xEF\xBB\xBFRUN x\n");
  REQUIRE(tree.Ok());
  CHECK(DumpBuildkit(**tree) == "(\xEF\xBB\xBFrun \"\")\n");
  CHECK(CheckRoundTrip(**tree) == "\n\xEF\xBB\xBFRUN x\n");
}

TEST_CASE("printer: heredocs are followed by their bodies", "[printer]") {
  std::string source =
      "FROM a\n"
      "RUN <<EOF\n"
      "echo hi \\\n"
      "# not a comment\n"
      "EOF\n"
      "COPY <<-\"A\" 3<<'B' /dest\n"
      "\tfirst\n"
      "\t\tA\n"
      "second\r\n"
      "B\n"
      "RUN <<  EOF  > foo\n"
      "EOF\n"
      "RUN <<''\n"
      "x\n"
      "\n";
  CHECK(PrintSource(source) ==
        "FROM a\n"
        "RUN <<EOF\n"
        "echo hi \\\n"
        "# not a comment\n"
        "EOF\n"
        "COPY <<-\"A\" 3<<'B' /dest\n"
        "\tfirst\n"
        "A\n"
        "second\r\n"
        "B\n"
        "RUN <<  EOF  > foo\n"
        "EOF\n"
        "RUN <<''\n"
        "x\n"
        "\n");
}

TEST_CASE("printer: heredoc words that canonical flags would change fall back", "[printer]") {
  // In backtick mode the flag scanner reads `--x=a\` as one flag, but BuildKit's shell lexer
  // (which always uses backslash) joins `\ <<EOF` into that word: the file has no heredoc.
  // Canonical quoting of the flag would expose `<<EOF`, so the line is printed as written.
  std::string source = "# escape=`\nRUN --x=a\\ <<EOF\n";
  auto tree = ParseText(source);
  REQUIRE(tree.Ok());
  REQUIRE((*tree)->instructions[0].heredocs.empty());
  CHECK(CheckRoundTrip(**tree) == "# escape=`\n\nRUN --x=a\\ <<EOF\n");
}

TEST_CASE("printer: quoting in backslash mode falls back too", "[printer]") {
  // The flag scanner honours the escape inside single quotes, the shell lexer does not: the
  // file has a heredoc that the flag's canonical quoting would hide.
  std::string source = "RUN --x='a\\' <<EOF b'\nbody\nEOF\n";
  auto tree = ParseText(source);
  REQUIRE(tree.Ok());
  REQUIRE((*tree)->instructions[0].flags.size() == 1);
  CHECK((*tree)->instructions[0].flags[0].text == "--x=a' <<EOF b");
  REQUIRE((*tree)->instructions[0].heredocs.size() == 1);
  CHECK(CheckRoundTrip(**tree) == source);
}

TEST_CASE("printer: whitespace the file protected stays protected", "[printer]") {
  // Legacy ENV whose key ends in an escape: the first separator byte is escaped, the second
  // ends the splitter's first word, which has no '=' (hence the legacy form).
  CHECK(PrintSource("ENV k\\  x=1 y\n") == "ENV k\\  x=1 y\n");
  CHECK(PrintSource("ENV k\\\tx=1 y=2\n") == "ENV k\\\tx=1 y=2\n");  // one byte: new form
  // A last value ending in whitespace, kept by an escape that the splitter drops.
  CHECK(PrintSource("ENV a=\"x \\\v\n") == "ENV a=\"x \\\v\n");
  CHECK(PrintSource("ENV a=b\\ \\\f\n") == "ENV a=b\\ \\\v\n");
  // An unknown keyword ending in U+2028, followed in the file by a byte the flag scanner skips.
  CHECK(PrintSource("FOO\xE2\x80\xA8\v\x85\n") == "FOO\xE2\x80\xA8 --\n");
  // A continuation that meets the end of the file makes an instruction with an empty keyword.
  auto tree = ParseText("FROM a\n\\\n# c\n");
  REQUIRE(tree.Ok());
  CHECK(DumpBuildkit(**tree) == "(from \"a\")\n(\"\")\n");
  CHECK(CheckRoundTrip(**tree) == "FROM a\n\\\n");
}

TEST_CASE("printer: directives keep the first instruction's comments", "[printer]") {
  // Directive lines are comments too; a `#` line had cleared them here.
  CHECK(PrintSource("# escape=`\n#\n# one\nFROM a\n") == "# escape=`\n#\n# one\nFROM a\n");
  // A directive spelled differently from its canonical form.
  CHECK(PrintSource("#  syntax = x\nFROM a\n") == "# syntax=x\n#\n# syntax = x\nFROM a\n");
  // A comment after a blank line is no directive, and stays none.
  CHECK(PrintSource("# syntax=a\n\n# syntax=b\nFROM a\n") == "# syntax=a\n\n# syntax=b\nFROM a\n");
}

TEST_CASE("printer: escape directives and escape characters at the end", "[printer]") {
  CHECK(PrintSource("# escape=`\nFROM windows\nRUN dir c:\\ `\n  && echo `\n") ==
        "# escape=`\n\nFROM windows\nRUN dir c:\\   && echo\n");
  // A doubled escape does not continue the line.
  CHECK(PrintSource("RUN echo \\\\\nRUN b\n") == "RUN echo \\\\\nRUN b\n");
  // Text ending in a lone escape character: the file protected it with trailing \f, the
  // printer protects it with \v (both are trimmed by BuildKit and not seen by its continuation
  // regex).
  CHECK(PrintSource("RUN echo \\\f\nUSER x`\f\n") == "RUN echo \\\v\nUSER x`\n");
  CHECK(PrintSource("# escape=`\nWORKDIR c:\\\nUSER x`\f\n") ==
        "# escape=`\n\nWORKDIR c:\\\nUSER x`\v\n");
  CHECK(PrintSource("ENV a='b\\\v\n") == "ENV a='b\\\v\n");
  // A trailing \r before the continuation: gone on reading, the escape needs protection.
  CHECK(PrintSource("RUN a\\\r\\\n") == "RUN a\\\v\n");
}

TEST_CASE("printer: comments are kept above their instruction", "[printer]") {
  CHECK(PrintSource("# hello\n\n#   world  \nFROM a\n#\n# x\nRUN b\n") ==
        "# hello\n# world\nFROM a\n# x\nRUN b\n");
  // A first comment that reads like a directive is kept off the first line.
  CHECK(PrintSource("\n# escape=`\nFROM a\n") == "\n# escape=`\nFROM a\n");
}

TEST_CASE("printer: lines over BuildKit's limit are split with continuations", "[printer]") {
  std::string source = "RUN echo";
  for (int i = 0; i < 200; ++i) source += " \\\n  " + std::string(500, 'a' + i % 26);
  source += '\n';
  std::string printed = PrintSource(source);
  size_t longest = 0;
  for (size_t p = 0; p < printed.size();) {
    size_t nl = printed.find('\n', p);
    longest = std::max(longest, nl - p);
    p = nl + 1;
  }
  CHECK(longest <= 65535);
  CHECK(std::count(printed.begin(), printed.end(), '\n') > 1);
}

// Every corpus file that parses, printed and parsed again.
void CheckCorpusFile(const fs::path& path, int* checked) {
  std::string text = ReadFile(path);
  auto tree = ParseText(text);
  if (!tree.Ok()) return;  // a negative case or a file BuildKit rejects too
  INFO(path.string());
  CheckRoundTrip(**tree);
  ++*checked;
}

TEST_CASE("printer: BuildKit conformance cases round trip", "[printer]") {
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(DOCKIT_SHARED_DIR "/corpus/buildkit-parser")) {
    if (entry.is_directory()) CheckCorpusFile(entry.path() / "Dockerfile", &checked);
  }
  CHECK(checked == 33);
}

TEST_CASE("printer: BuildKit heredoc cases round trip", "[printer]") {
  std::ifstream in(DOCKIT_SHARED_DIR "/corpus/buildkit-parser-heredoc/cases.json");
  REQUIRE(in);
  nlohmann::json cases = nlohmann::json::parse(in);
  for (const char* key : {"extracts_heredoc", "json_form_has_no_heredoc"}) {
    std::string source = cases[key]["dockerfile"].get<std::string>();
    INFO(key);
    auto tree = ParseText(source);
    REQUIRE(tree.Ok());
    CheckRoundTrip(**tree);
  }
}

TEST_CASE("printer: real-world Dockerfiles round trip", "[printer]") {
  int checked = 0;
  int files = 0;
  for (const auto& entry : fs::directory_iterator(DOCKIT_SHARED_DIR "/corpus/real/dockerfile")) {
    if (!entry.is_regular_file()) continue;
    ++files;
    CheckCorpusFile(entry.path(), &checked);
  }
  // All of them are accepted by BuildKit, so all of them must parse and round trip.
  CHECK(files > 800);
  CHECK(checked == files);
}

}  // namespace
}  // namespace dockit

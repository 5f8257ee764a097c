// Tests for parser/expand.cpp: concrete cases per operator (many are BuildKit's own lex_test.go,
// envVarTest and wordsTest vectors, so they pin BuildKit's behaviour rather than bash's), then
// rapidcheck properties against the slow model in expand_reference.hpp.

#include "parser/expand.hpp"

#include <rapidcheck.h>
#include <rapidcheck/catch.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/parser/expand_reference.hpp"

namespace dockit {
namespace {

using Words = std::vector<std::string>;

const MapLookup& DefaultEnv() {
  static const MapLookup env{{"FOO", "foo"},       {"EMPTY", ""},        {"SP", "a b"},
                             {"PWD", "/home"},     {"SHELL", "bash"},    {"NULL", ""},
                             {"KOREAN", "한국어"}, {"P", "file.tar.gz"}, {"STAR", "*"}};
  return env;
}

std::string Value(std::string_view word, const VarLookup& env = DefaultEnv(),
                  const ExpandOptions& options = {}) {
  auto result = ExpandWord(word, env, options);
  INFO("word: " << word);
  if (!result) FAIL("unexpected error: " << result.Error().code << ": " << result.Error().message);
  return result->value;
}

Words Split(std::string_view text, const VarLookup& env = DefaultEnv(),
            const ExpandOptions& options = {}) {
  auto result = ExpandWords(text, env, options);
  INFO("text: " << text);
  if (!result) FAIL("unexpected error: " << result.Error().code << ": " << result.Error().message);
  return result->words;
}

ExpandError Error(std::string_view word, const VarLookup& env = DefaultEnv(),
                  const ExpandOptions& options = {}) {
  auto result = ExpandWord(word, env, options);
  INFO("word: " << word);
  if (result) FAIL("expected an error, got \"" << result->value << "\"");
  return result.Error();
}

ExpandOptions Backtick() {
  ExpandOptions options;
  options.escape = '`';
  return options;
}

TEST_CASE("plain variable references", "[expand]") {
  CHECK(Value("$FOO") == "foo");
  CHECK(Value("${FOO}") == "foo");
  CHECK(Value("x$FOO.y") == "xfoo.y");
  CHECK(Value("$FOO/bar") == "foo/bar");
  CHECK(Value("${FOO}bar") == "foobar");
  CHECK(Value("$FOObar") == "");  // the name runs on
  CHECK(Value("$UNSET") == "");
  CHECK(Value("he${hi}xx") == "hexx");
  CHECK(Value("he$PWD") == "he/home");
  CHECK(Value("$EMPTY|") == "|");
  CHECK(Value("$KOREAN 안${KOREAN}") == "한국어 안한국어");
}

TEST_CASE("a dollar sign before a non-name character stays literal", "[expand]") {
  CHECK(Value("$") == "$");
  CHECK(Value("a$") == "a$");
  CHECK(Value("$ x") == "$ x");
  CHECK(Value("$.") == "$.");
  CHECK(Value("he$.x") == "he$.x");
  CHECK(Value("$/") == "$/");
  CHECK(Value("$\"x\"") == "$x");
  CHECK(Value("$'$FOO'") == "$$FOO");
}

TEST_CASE("positional and special parameters are one name each", "[expand]") {
  CHECK(Value("he$1x") == "hex");
  MapLookup env{{"1", "one"}, {"12", "twelve"}, {"0", "zero"}, {"@", "at"}, {"$", "pid"}};
  CHECK(Value("$1", env) == "one");
  CHECK(Value("$12x", env) == "twelvex");  // digits run together
  CHECK(Value("$0abc", env) == "zeroabc");
  CHECK(Value("$@x", env) == "atx");  // a special parameter is one character
  CHECK(Value("$$x", env) == "pidx");
  CHECK(Value("${12}", env) == "twelve");
  CHECK(Value("${@}", env) == "at");

  auto result = ExpandWord("$1 $# $10", DefaultEnv());
  REQUIRE(result);
  REQUIRE(result->undefined.size() == 3);
  CHECK(result->undefined[0] == UndefinedVar{"1", 0, 2, false, false});
  CHECK(result->undefined[1] == UndefinedVar{"#", 3, 5, false, false});
  CHECK(result->undefined[2] == UndefinedVar{"10", 6, 9, false, false});
}

TEST_CASE("names are Unicode letters, digits and underscores", "[expand]") {
  MapLookup env{{"é_1", "E"}, {"λ", "L"}};
  CHECK(Value("$é_1-", env) == "E-");
  CHECK(Value("${λ}", env) == "L");
  CHECK(Value("$λx", env) == "");  // one name "λx"
}

TEST_CASE("${V-w} and ${V:-w} supply defaults", "[expand]") {
  CHECK(Value("${UNSET-def}") == "def");
  CHECK(Value("${EMPTY-def}") == "");
  CHECK(Value("${FOO-def}") == "foo");
  CHECK(Value("${UNSET:-def}") == "def");
  CHECK(Value("${EMPTY:-def}") == "def");
  CHECK(Value("${FOO:-def}") == "foo");
  CHECK(Value("${UNSET:-}") == "");
  CHECK(Value("he${XXX:-000}xx") == "he000xx");
  CHECK(Value("he${PWD:-000}xx") == "he/homexx");
  CHECK(Value("he${XXX:-$PWD}xx") == "he/homexx");
  CHECK(Value("he${XXX:-${PWD:-yyy}}xx") == "he/homexx");
  CHECK(Value("he${XXX:-${YYY:-yyy}}xx") == "heyyyxx");
  CHECK(Value("${A:-${B:-${C:-deep}}}") == "deep");
  CHECK(Value(R"(he${XXX:-\$PWD:}xx)") == "he$PWD:xx");
  CHECK(Value(R"(he${XXX:-\${PWD}z}xx)") == "he${PWDz}xx");  // `\$` is literal, `}` ends early
  CHECK(Value("${UNSET:-'a}b'}") == "a}b");                  // quotes protect the brace
  CHECK(Value("${UNSET:-\"$FOO x\"}") == "foo x");
}

TEST_CASE("${V+w} and ${V:+w} supply alternatives", "[expand]") {
  CHECK(Value("${UNSET+alt}") == "");
  CHECK(Value("${EMPTY+alt}") == "alt");
  CHECK(Value("${FOO+alt}") == "alt");
  CHECK(Value("${UNSET:+alt}") == "");
  CHECK(Value("${EMPTY:+alt}") == "");
  CHECK(Value("${FOO:+alt}") == "alt");
  CHECK(Value("he${XXX:+${PWD}}xx") == "hexx");
  CHECK(Value("he${PWD:+${XXX}}xx") == "hexx");
  CHECK(Value("he${PWD:+${SHELL}}xx") == "hebashxx");
  CHECK(Value("he${PWD:+${PWD}:}xx") == "he/home:xx");
  MapLookup env{
      {"VERSION", "v1.2.3"}, {"TARGETOS", "linux"}, {"TARGETARCH", "arm"}, {"TARGETVARIANT", "v7"}};
  const char* release =
      "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz";
  CHECK(Value(release, env) == "something-v1.2.3.linux-arm-v7.tar.gz");
}

TEST_CASE("${V?m} and ${V:?m} require a value", "[expand]") {
  CHECK(Value("${FOO?x}") == "foo");
  CHECK(Value("${FOO:?x}") == "foo");
  CHECK(Value("he${NULL?}") == "he");

  ExpandError unset = Error("ab${V:?must be set}cd");
  CHECK(unset.code == "required-variable");
  CHECK(unset.message == "V: must be set");
  CHECK(unset.begin == 2);
  CHECK(unset.end == 19);

  CHECK(Error("${V?}").message == "V: is not allowed to be unset");
  CHECK(Error("${V:?}").message == "V: is not allowed to be unset");
  CHECK(Error("${NULL:?}").message == "NULL: is not allowed to be empty");
  CHECK(Error("${NULL:?it is $EMPTY}").message == "NULL: it is ");

  // lex_test.go's TestShellParserMandatoryEnvVars: the message is itself expanded.
  MapLookup set{{"VAR", "plain"}, {"ARG", "x"}};
  MapLookup empty{{"VAR", ""}, {"ARG", "x"}};
  MapLookup unset_env{{"ARG", "x"}};
  CHECK(Value("${VAR:?message here$ARG}", set) == "plain");
  CHECK(Error("${VAR:?message here$ARG}", empty).message == "VAR: message herex");
  CHECK(Error("${VAR:?message here$ARG}", unset_env).message == "VAR: message herex");
  CHECK(Value("${VAR?message here$ARG}", empty) == "");
  CHECK(Error("${VAR?message here$ARG}", unset_env).message == "VAR: message herex");
}

TEST_CASE("# and ## trim a matching prefix", "[expand]") {
  CHECK(Value("${P#*.}") == "tar.gz");
  CHECK(Value("${P##*.}") == "gz");
  CHECK(Value("${P#file}") == ".tar.gz");
  CHECK(Value("${P#nope}") == "file.tar.gz");
  CHECK(Value("${UNSET#x}") == "");
  // lex_test.go's TestProcessWithMatches.
  MapLookup env{{"FOO", "xxyy"}, {"BAR", "x"}, {"EMPTY", ""}};
  CHECK(Value("${FOO#*x*y}", env) == "y");
  CHECK(Value("${FOO#*}", env) == "xxyy");
  CHECK(Value("${FOO#$BAR}", env) == "xyy");
  CHECK(Value("${FOO#$EMPTY}", env) == "xxyy");
  CHECK(Value("${FOO#}", env) == "xxyy");
  CHECK(Value("${FOO##*x}", env) == "yy");
  CHECK(Value("${FOO##}", env) == "xxyy");
  CHECK(Value(R"(${FOO#?\?})", MapLookup{{"FOO", "???y"}}) == "?y");
  // Every regexp metacharacter is literal; `\}` keeps the brace from closing the ${}.
  CHECK(Value(R"(${FOO#()[]{\}^$.\*\?|\\})", MapLookup{{"FOO", R"(()[]{}^$.*?|\x)"}}) == "x");
}

TEST_CASE("% and %% trim a matching suffix", "[expand]") {
  CHECK(Value("${P%.*}") == "file.tar");
  CHECK(Value("${P%%.*}") == "file");
  CHECK(Value("${P%gz}") == "file.tar.");
  CHECK(Value("${P%nope}") == "file.tar.gz");
  MapLookup env{{"FOO", "xxyy"}, {"EMPTY", ""}};
  CHECK(Value("${FOO%x}", env) == "xxyy");
  CHECK(Value("${ABC:-.}${FOO%y}${ABC:-.}", env) == ".xxy.");
  CHECK(Value("${FOO%}", env) == "xxyy");
  CHECK(Value("${FOO%%$EMPTY}", env) == "xxyy");
  CHECK(Value(R"(${FOO%%\**})", MapLookup{{"FOO", "xx**"}}) == "xx");
  CHECK(Value(R"(${FOO%%\**\*})", MapLookup{{"FOO", "a***yy*"}}) == "a");
}

TEST_CASE("patterns follow BuildKit, not bash", "[expand]") {
  // Brackets are literal: BuildKit's regexp translation has no bracket expressions.
  CHECK(Value("${B#[ab]}", MapLookup{{"B", "[ab]c"}}) == "c");
  CHECK(Value("${B#[ab]}", MapLookup{{"B", "ac"}}) == "ac");
  // Wildcards are Go's `.`, which does not match a newline.
  MapLookup nl{{"NL", "ab\ncd"}};
  CHECK(Value("${NL##*}", nl) == "\ncd");
  CHECK(Value("${NL%%*}", nl) == "ab\n");
  CHECK(Value("${NL#ab?}", nl) == "ab\ncd");
  CHECK(Value("${NL#ab\n}", nl) == "cd");
  // Quotes are removed before the pattern is compiled, so a quoted `*` is still a wildcard.
  CHECK(Value("${P#'*'.}") == "tar.gz");
  // `##` is spotted after expansion: a quoted second `#` makes the match greedy too.
  CHECK(Value("${P#'#'*.}") == "gz");
  // Only backslash escapes in patterns, even with `# escape=``.
  CHECK(Value("${S#`*}", MapLookup{{"S", "`abc"}}, Backtick()) == "abc");
  CHECK(Value("${S##`*}", MapLookup{{"S", "`abc"}}, Backtick()) == "");
  CHECK(Value(R"(${S#\*})", MapLookup{{"S", "*abc"}}, Backtick()) == "abc");
  // A value's wildcard characters are pattern characters too.
  CHECK(Value("${P#$STAR.}") == "tar.gz");
}

TEST_CASE("/ and // replace matches", "[expand]") {
  CHECK(Value("${P/./-}") == "file-tar.gz");
  CHECK(Value("${P//./-}") == "file-tar-gz");
  CHECK(Value("${P/*./}") == "gz");  // longest match at the leftmost start
  CHECK(Value("${P/nope/x}") == "file.tar.gz");
  CHECK(Value("${UNSET/a/b}") == "");
  // lex_test.go's TestProcessWithMatches.
  MapLookup wild{{"FOO", "/foo*/*/*.txt"}, {"NEEDLE", R"(\*/)"}};
  CHECK(Value("${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}", wild) == "/foo.*/*.txt - /foo..*.txt");
  MapLookup slash{{"FOO", "/tmp/tmp/bar.txt"}, {"NEEDLE", "/tmp"}};
  CHECK(Value("${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}", slash) == "/tmp/bar.txt - /bar.txt");
  MapLookup any{{"FOO", "/a/foo/b/c.txt"}, {"NEEDLE", "/?/"}, {"REPLACEMENT", "/"}};
  CHECK(Value("${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}", any) ==
        "/foo/b/c.txt - /foo/c.txt");
  MapLookup url{{"FOO", "http://google.de"}, {"NEEDLE", "http://"}, {"REPLACEMENT", "https://"}};
  CHECK(Value("${FOO/$NEEDLE/$REPLACEMENT}", url) == "https://google.de");
  // Escapes stay in the replacement.
  CHECK(Value(R"(${FOO//\//\/})", MapLookup{{"FOO", "/tmp/foo.txt"}}) == R"(\/tmp\/foo.txt)");
  MapLookup xy{{"FOO", "xxyy"}, {"BAR", ""}};
  CHECK(Value("${FOO/$BAR/ww}", xy) == "wwxxyy");
  CHECK(Value("${FOO///}", xy) == "xxyy");
  CHECK(Value("${UNSET///}", xy) == "");
}

TEST_CASE("// follows Go's ReplaceAllString", "[expand]") {
  MapLookup env{{"V", "ab"}};
  CHECK(Value("${V///-}", env) == "-a-b-");  // the empty pattern matches everywhere
  CHECK(Value("${V//*/x}", env) == "x");     // no second match right after the first
  CHECK(Value("${V//?/x}", env) == "xx");
  // Go expands `$0` in the replacement (quotes keep the `$` from ${}-expansion); `/` does not.
  CHECK(Value("${V//a/'<$0>'}", env) == "<a>b");
  CHECK(Value("${V//a/'${0}$1$$'}", env) == "a$b");
  CHECK(Value("${V//a/'$'}", env) == "$b");
  CHECK(Value("${V/a/'<$0>'}", env) == "<$0>b");
}

TEST_CASE("single and double quotes", "[expand]") {
  CHECK(Value("'$FOO'") == "$FOO");
  CHECK(Value("'he${XX}'") == "he${XX}");
  CHECK(Value(R"('\$PWD')") == R"(\$PWD)");
  CHECK(Value(R"('hello\')") == R"(hello\)");
  CHECK(Value(R"("hel'lo")") == "hel'lo");
  CHECK(Value(R"('"hello"')") == R"("hello")");
  CHECK(Value(R"("''")") == "''");
  CHECK(Value(R"("he'$PWD'")") == "he'/home'");
  CHECK(Value(R"("he\$PWD")") == "he$PWD");
  CHECK(Value(R"("he\\$PWD")") == R"(he\/home)");
  CHECK(Value(R"("abc\tdef")") == R"(abc\tdef)");  // only " $ and \ are escapable
  CHECK(Value(R"("a\"b")") == R"(a"b)");
  CHECK(Value(R"(he'll'o)") == "hello");
  CHECK(Value("안'녕'하세요") == "안녕하세요");
}

TEST_CASE("the escape character", "[expand]") {
  CHECK(Value(R"(he\$PWD)") == "he$PWD");
  CHECK(Value(R"(he\\$PWD)") == R"(he\/home)");
  CHECK(Value(R"(\${})") == "${}");
  CHECK(Value(R"(he\'llo)") == "he'llo");
  CHECK(Value(R"(abc\tdef)") == "abctdef");
  CHECK(Value(R"(hello\)") == "hello");  // a trailing escape character disappears
  CHECK(Value(R"(hello\\)") == R"(hello\)");
  CHECK(Value(R"(안녕\t하세요)") == "안녕t하세요");

  // With `# escape=``, backslash is an ordinary character.
  CHECK(Value("`$FOO", DefaultEnv(), Backtick()) == "$FOO");
  CHECK(Value(R"(C:\$FOO)", DefaultEnv(), Backtick()) == R"(C:\foo)");
  CHECK(Value(R"(C:\path\to)", DefaultEnv(), Backtick()) == R"(C:\path\to)");
  CHECK(Value("\"a`\"b\"", DefaultEnv(), Backtick()) == "a\"b");
  CHECK(Value(R"("a\"b)", DefaultEnv(), Backtick()) == R"(a\b)");  // the quote closed at \"
  CHECK(Value("a``b", DefaultEnv(), Backtick()) == "a`b");
}

TEST_CASE("BuildKit's lexer options", "[expand]") {
  ExpandOptions raw_quotes;
  raw_quotes.raw_quotes = true;
  CHECK(Value(R"('a'"b$FOO")", DefaultEnv(), raw_quotes) == R"('a'"bfoo")");

  ExpandOptions raw_escapes;
  raw_escapes.raw_escapes = true;
  CHECK(Value(R"(\$FOO a\ b)", DefaultEnv(), raw_escapes) == R"(\$FOO a\ b)");
  CHECK(Value(R"("\a")", DefaultEnv(), raw_escapes) == R"(\\a)");  // doubled, as in BuildKit

  ExpandOptions skip_unset;
  skip_unset.skip_unset = true;
  CHECK(Value("$U ${U} ${U:-x} ${U/a/b} ${U//a/b} $FOO", DefaultEnv(), skip_unset) ==
        "$U ${U} ${U:-x} ${U/a/b} ${U/a/b} foo");
  CHECK(Value("${U:=x}", DefaultEnv(), skip_unset) == "${U:=x}");  // no error when unset

  ExpandOptions skip_quotes;
  skip_quotes.skip_quotes = true;
  CHECK(Value(R"('$FOO' "x")", DefaultEnv(), skip_quotes) == R"('foo' "x")");
}

TEST_CASE("syntax errors carry input offsets", "[expand]") {
  auto check = [](std::string_view word, const char* code, const char* message, uint32_t begin,
                  uint32_t end) {
    ExpandError e = Error(word);
    INFO("word: " << word);
    CHECK(e.code == code);
    CHECK(e.message == message);
    CHECK(e.begin == begin);
    CHECK(e.end == end);
  };
  check("x${V", "missing-brace", "syntax error: missing '}'", 1, 4);
  check("he${PWD", "missing-brace", "syntax error: missing '}'", 2, 7);
  check("${", "missing-brace", "syntax error: missing '}'", 0, 2);
  check("${V:-abc", "missing-brace", "syntax error: missing '}'", 0, 8);
  check("${V:-'abc", "missing-brace", "syntax error: missing '}'", 0, 9);  // replaced at the end
  check("${V:", "missing-brace", "syntax error: missing '}'", 0, 4);
  check("${V:}", "missing-brace", "syntax error: missing '}'", 0, 5);
  check("${V/a", "missing-slash", "syntax error: missing '/' in ${}", 0, 5);
  check("${FOO//ww}", "missing-slash", "syntax error: missing '/' in ${}", 0, 10);
  check("${V/a/b", "missing-brace", "syntax error: missing '}'", 0, 7);
  check("a${}b", "bad-substitution", "syntax error: bad substitution", 1, 4);
  check("${:-x}", "bad-substitution", "syntax error: bad substitution", 0, 3);
  check("${{x}}", "bad-substitution", "syntax error: bad substitution", 0, 3);
  check("he${.}", "unsupported-modifier", "unsupported modifier (.) in substitution", 2, 5);
  check("${V=x}", "unsupported-modifier", "unsupported modifier (=) in substitution", 0, 4);
  check("${PWD:=000}xx", "unsupported-modifier", "unsupported modifier (:=) in substitution", 0,
        11);
  check("he${XXX:YYY}", "unsupported-modifier", "unsupported modifier (:Y) in substitution", 2, 12);
  check("${FOO:#x}", "unsupported-modifier", "unsupported modifier (:#) in substitution", 0, 7);
  check("'abc", "unterminated-single-quote",
        "unexpected end of statement while looking for matching single-quote", 0, 4);
  check("x\"abc", "unterminated-double-quote",
        "unexpected end of statement while looking for matching double-quote", 1, 5);
  check(R"("hello\")", "unterminated-double-quote",
        "unexpected end of statement while looking for matching double-quote", 0, 8);
  check(R"(he\\'llo)", "unterminated-single-quote",
        "unexpected end of statement while looking for matching single-quote", 4, 8);
  check(R"(${FOO#a\x})", "invalid-pattern",
        R"(invalid pattern (a\x) in substitution: invalid escape '\x')", 0, 10);
  // `%` patterns are reversed first, and the error quotes the reversed pattern, as BuildKit does.
  check(R"(${FOO%ab\c})", "invalid-pattern",
        R"(invalid pattern (\cba) in substitution: invalid escape '\c')", 0, 11);
  check(R"(${FOO/a\./x})", "invalid-pattern",
        R"(invalid pattern (a\.) in substitution: invalid escape '\.')", 0, 12);
  // An error inside a word keeps its own range when input remains after it.
  check("${A:-${B:?x}}", "required-variable", "B: x", 5, 12);
  check("${A:-${B:?x}", "missing-brace", "syntax error: missing '}'", 0, 12);
}

TEST_CASE("undefined variables are reported with their input ranges", "[expand]") {
  auto result = ExpandWord("a $U b ${U2} ${U3:-x} ${FOO:-$U4} \"$U5\"", DefaultEnv());
  REQUIRE(result);
  CHECK(result->value == "a  b  x foo ");
  std::vector<UndefinedVar> expected{
      {"U", 2, 4, false, false},    {"U2", 7, 12, false, false},
      {"U3", 13, 21, true, false},  // guarded: BuildKit reports it all the same
      {"U4", 29, 32, false, true},  // in a default that was not used
      {"U5", 35, 38, false, false},
  };
  CHECK(result->undefined == expected);
  CHECK(result->matched_names == std::vector<std::string>{"FOO"});

  auto nested = ExpandWord("${A:-$B}${C:+$D}${FOO:+$E}${FOO?$F}", DefaultEnv());
  REQUIRE(nested);
  std::vector<UndefinedVar> nested_expected{
      {"A", 0, 8, true, false},   {"B", 5, 7, false, false},   {"C", 8, 16, true, false},
      {"D", 13, 15, false, true}, {"E", 23, 25, false, false}, {"F", 32, 34, false, true},
  };
  CHECK(nested->undefined == nested_expected);

  auto patterns = ExpandWord("${P#$X}${Y%%a}${Z/$W/$V}", DefaultEnv());
  REQUIRE(patterns);
  std::vector<std::string> names;
  for (const auto& u : patterns->undefined) names.push_back(u.name);
  CHECK(names == std::vector<std::string>{"X", "Y", "Z", "W", "V"});
  CHECK(patterns->undefined[2].begin == 14);
  CHECK(patterns->undefined[2].end == 24);

  auto matched = ExpandWord("$FOO $PWD ${FOO} ${SP:-x}", DefaultEnv());
  REQUIRE(matched);
  CHECK(matched->undefined.empty());
  CHECK(matched->matched_names == std::vector<std::string>{"FOO", "PWD", "SP"});
}

TEST_CASE("ExpandWords splits on unquoted whitespace after expansion", "[expand]") {
  CHECK(Split("a b  c") == Words{"a", "b", "c"});
  CHECK(Split("  lead\ttab\nnl  ") == Words{"lead", "tab", "nl"});
  CHECK(Split(R"("a b" c)") == Words{"a b", "c"});
  CHECK(Split(R"(a\ b)") == Words{"a b"});
  CHECK(Split("'' a \"\"") == Words{"a"});  // empty words go, even quoted ones
  CHECK(Split("$SP") == Words{"a", "b"});
  CHECK(Split("x${SP}y") == Words{"xa", "by"});
  CHECK(Split("\"$SP\"") == Words{"a b"});
  CHECK(Split("${U:-a b}") == Words{"a", "b"});
  CHECK(Split("${U:-'a b'}") == Words{"a", "b"});  // the quotes are gone once the word is expanded
  CHECK(Split("$EMPTY") == Words{});
  CHECK(Split("a${U:-b}c") == Words{"abc"});
  CHECK(Split("x\xC2\xA0y") == Words{"x", "y"});  // NBSP is whitespace to Go
  // BuildKit's wordsTest.
  MapLookup env{{"space", "abc  def"}, {"leading", "  ab c"}, {"trailing", "ab c   "}};
  CHECK(Split("hello${space}bye", env) == Words{"helloabc", "defbye"});
  CHECK(Split("hello\"${space}\"bye", env) == Words{"helloabc  defbye"});
  CHECK(Split("hello \"${space}\"bye", env) == Words{"hello", "abc  defbye"});
  CHECK(Split("hello${leading}def", env) == Words{"hello", "ab", "cdef"});
  CHECK(Split("hello\"${leading}\" def", env) == Words{"hello  ab c", "def"});
  CHECK(Split("hello${trailing}d", env) == Words{"helloab", "c", "d"});
  CHECK(Split("hel\"lo${trailing}\"", env) == Words{"helloab c   "});
  CHECK(Split("hello\" there  \"", env) == Words{"hello there  "});
  CHECK(Split(R"(hello\" there)", env) == Words{"hello\"", "there"});
  CHECK(Split(R"(hello"\\there")", env) == Words{R"(hello\there)"});
  CHECK(Split(R"(hello'\\there')", env) == Words{R"(hello\\there)"});
  CHECK(Split("hello'$there'", env) == Words{"hello$there"});

  auto both = ExpandWords("$SP x", DefaultEnv());
  REQUIRE(both);
  CHECK(both->value == "a b x");
  CHECK(!ExpandWords("hello\" there", DefaultEnv()));
}

TEST_CASE("input is read as Go reads UTF-8", "[expand]") {
  CHECK(Value("\xEF\xBB\xBFx$FOO") == "xfoo");       // a leading BOM is dropped
  CHECK(Value("a\xEF\xBB\xBF") == "a\xEF\xBB\xBF");  // elsewhere it is kept
  CHECK(Value("\xFF$FOO") ==
        "\xEF\xBF\xBD"
        "foo");  // invalid bytes become U+FFFD
  MapLookup bad{{"B",
                 "a\xFF"
                 "b"}};
  CHECK(Value("$B", bad) ==
        "a\xFF"
        "b");  // values are copied as is
  CHECK(Value("${B#a}", bad) ==
        "\xFF"
        "b");
  CHECK(Value("${B%b}", bad) == "a\xEF\xBF\xBD");  // % re-encodes, as BuildKit does
  CHECK(Value("${B#a?}", bad) == "b");             // ? matches the invalid byte
  CHECK(Split("$B", bad) == Words{"a\xEF\xBF\xBD"
                                  "b"});
}

TEST_CASE("deep nesting and pathological patterns stay cheap", "[expand]") {
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "${A:-";
  deep += "x";
  for (int i = 0; i < 5000; ++i) deep += "}";
  ExpandError e = Error(deep);
  CHECK(e.code == "nesting-too-deep");

  std::string ok;
  for (int i = 0; i < 100; ++i) ok += "${A:-";
  ok += "x";
  for (int i = 0; i < 100; ++i) ok += "}";
  CHECK(Value(ok) == "x");

  // Exponential for a backtracking matcher; linear per state here.
  MapLookup env{{"V", std::string(20000, 'a')}};
  auto start = std::chrono::steady_clock::now();
  CHECK(Value("${V#*a*a*a*a*a*a*a*a*a*a*a*a*b}", env).size() == 20000);
  CHECK(Value("${V##*a*a*a*a*a*a*a*a*a*a*a*a}", env).empty());
  CHECK(Value("${V%%a*a*a*a*a*a*a*a*a*a*a*a*b}", env).size() == 20000);
  CHECK(Value("${V//a*a*a*a*a*a*a*a*a*a*a*a*b/x}", env).size() == 20000);
  CHECK(Value("${V//?/}", env).empty());
  auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(elapsed < std::chrono::seconds(2));
}

TEST_CASE("MapLookup and ToDiagnostic", "[expand]") {
  MapLookup env = MapLookup::FromEnvList({"A=1", "B", "A=2", "C=x=y"});
  CHECK(env.Get("A") == "2");
  CHECK(env.Get("B") == "");
  CHECK(env.Get("C") == "x=y");
  CHECK(env.Get("D") == std::nullopt);
  CHECK(env.Get("a") == std::nullopt);

  ExpandError e = Error("${V:?boom}");
  SourceRange range{{10, 2, 5}, {20, 2, 15}};
  Diagnostic d = ToDiagnostic(e, range);
  CHECK(d.code == "required-variable");
  CHECK(d.message == "V: boom");
  CHECK(d.range == range);
  CHECK(d.severity == Severity::kError);
}

// --- Properties ----------------------------------------------------------------------------------

// rc::prop with more cases than rapidcheck's default 100 (RC_PARAMS can still ask for more).
template <typename Testable>
void Property(const std::string& description, int cases, Testable&& testable) {
  SECTION(description) {
    rc::detail::TestParams params = rc::detail::configuration().testParams;
    params.maxSuccess = std::max(params.maxSuccess, cases);
    const auto result =
        rc::detail::checkTestable(std::forward<Testable>(testable),
                                  rc::detail::TestMetadata{description, description}, params);
    if (!result.template is<rc::detail::SuccessResult>()) {
      std::ostringstream message;
      rc::detail::printResultMessage(result, message);
      INFO(message.str());
      FAIL();
    }
  }
}

const std::vector<std::string>& Alphabet() {
  static const std::vector<std::string> chars{
      "a",        "b", "x", "_", "0", "1", " ", "\t", "\n", "*", "?", "[", "]",  ".",  "/",
      "}",        "{", ":", "-", "+", "#", "%", "=",  "!",  "@", "$", "'", "\"", "\\", "`",
      "\xC3\xA9",  // é, a letter
      "\xCE\xBB",  // λ, a letter
      "\xD9\xA3",  // Arabic-Indic three, a digit
      "\xC2\xA0",  // NBSP, a space
      "\xFF",      // invalid UTF-8
  };
  return chars;
}

std::string GenChars(int max) {
  int n = *rc::gen::inRange(0, max + 1);
  std::string s;
  for (int i = 0; i < n; ++i) s += *rc::gen::elementOf(Alphabet());
  return s;
}

std::string GenName() {
  return *rc::gen::element<std::string>("A", "B", "C", "D", "1", "@", "", "A_1");
}

// A glob-heavy word over a tiny alphabet, so that patterns often match values in several ways.
std::string GenPattern() {
  int n = *rc::gen::inRange(0, 6);
  std::string s;
  for (int i = 0; i < n; ++i) {
    s += *rc::gen::element<std::string>("a", "b", "a", "b", "*", "*", "?", "\\*", "\\?", "$A", "\n",
                                        ".");
  }
  return s;
}

// A random word built from the pieces BuildKit treats specially, nested up to `depth`.
std::string GenWord(int depth, char escape) {
  int parts = *rc::gen::inRange(0, 6);
  std::string word;
  for (int p = 0; p < parts; ++p) {
    switch (*rc::gen::inRange(0, depth > 0 ? 15 : 7)) {
      case 0:
        word += GenChars(3);
        break;
      case 1:
        word += "$" + GenName();
        break;
      case 2:
        word += "${" + GenName() + "}";
        break;
      case 3:
        word += std::string(1, escape) + *rc::gen::elementOf(Alphabet());
        break;
      case 4:
        word += "'" + GenChars(3) + (*rc::gen::inRange(0, 10) ? "'" : "");
        break;
      case 5:
        word += *rc::gen::element<std::string>("$", "${", "}", "\\", "`", "'", "\"");
        break;
      case 6:
        word += "\"" + GenChars(2) + "$" + GenName() + std::string(1, escape) +
                *rc::gen::element<std::string>("\"", "$", "a", "\\", "`") +
                (*rc::gen::inRange(0, 10) ? "\"" : "");
        break;
      case 7:
      case 8: {
        std::string op = *rc::gen::element<std::string>("-", ":-", "+", ":+", "?", ":?", "#", "##",
                                                        "%", "%%", ":#", "=", ":=", ":", "");
        word += "${" + GenName() + op + GenWord(depth - 1, escape) +
                (*rc::gen::inRange(0, 12) ? "}" : "");
        break;
      }
      case 9:
        word += "${" + GenName() + *rc::gen::element<std::string>("/", "//") +
                GenWord(depth - 1, escape) + "/" + GenWord(depth - 1, escape) +
                (*rc::gen::inRange(0, 12) ? "}" : "");
        break;
      default:
        word += "${" + *rc::gen::element<std::string>("A", "B", "C") +
                *rc::gen::element<std::string>("#", "##", "%", "%%", "/", "//") + GenPattern() +
                *rc::gen::element<std::string>("}", "/x}", "/'<$0>'}", "/}");
        break;
    }
  }
  return word;
}

std::map<std::string, std::string> GenEnv() {
  std::map<std::string, std::string> env;
  for (const char* name : {"A", "B", "C", "1", "@"}) {
    switch (*rc::gen::inRange(0, 5)) {
      case 0:
        break;  // unset
      case 1:
        env[name] = *rc::gen::element<std::string>("", "a", "ab", "a b", "x*y", "aXa", "a\nb", "$0",
                                                   "\\", "/a/b", "\xFF", "\xCE\xBB");
        break;
      case 2: {
        int n = *rc::gen::inRange(0, 8);
        std::string value;
        for (int i = 0; i < n; ++i) value += *rc::gen::element<std::string>("a", "b", "*", "\n");
        env[name] = value;
        break;
      }
      default:
        env[name] = GenChars(5);
        break;
    }
  }
  return env;
}

ExpandOptions GenOptions() {
  ExpandOptions options;
  options.escape = *rc::gen::element('\\', '`');
  options.raw_quotes = *rc::gen::inRange(0, 5) == 0;
  options.raw_escapes = *rc::gen::inRange(0, 5) == 0;
  options.skip_unset = *rc::gen::inRange(0, 5) == 0;
  options.skip_quotes = *rc::gen::inRange(0, 8) == 0;
  return options;
}

void CheckAgainstReference(const std::string& word, const std::map<std::string, std::string>& env,
                           const ExpandOptions& options) {
  RC_LOG() << "word: " << word << "\nescape: " << options.escape
           << " raw_quotes: " << options.raw_quotes << " raw_escapes: " << options.raw_escapes
           << " skip_unset: " << options.skip_unset << " skip_quotes: " << options.skip_quotes
           << "\n";
  for (const auto& [name, value] : env) RC_LOG() << "env " << name << "=" << value << "\n";
  MapLookup lookup{std::map<std::string, std::string, std::less<>>(env.begin(), env.end())};
  const reference::Outcome want = reference::Expand(word, env, options, true);
  const auto got = ExpandWords(word, lookup, options);
  const auto got_word = ExpandWord(word, lookup, options);
  RC_ASSERT(got.Ok() == want.ok);
  RC_ASSERT(got_word.Ok() == want.ok);
  if (!want.ok) {
    RC_ASSERT(got.Error() == want.error);
    RC_ASSERT(got_word.Error() == want.error);
    return;
  }
  RC_ASSERT(got->value == want.value);
  RC_ASSERT(got_word->value == want.value);
  RC_ASSERT(got->words == want.words);
  RC_ASSERT(got_word->words.empty());
  RC_ASSERT(got->undefined == want.undefined);
  RC_ASSERT(got_word->undefined == want.undefined);
  RC_ASSERT(got->matched_names == want.matched);
}

TEST_CASE("expansion agrees with the reference model", "[expand][property]") {
  Property("structured words", 3000, [] {
    const ExpandOptions options = GenOptions();
    const std::string word = GenWord(2, options.escape);
    const auto env = GenEnv();
    CheckAgainstReference(word, env, options);
  });
  Property("character soup", 2000, [] {
    const ExpandOptions options = GenOptions();
    CheckAgainstReference(GenChars(40), GenEnv(), options);
  });
}

TEST_CASE("expansion never fails badly on arbitrary bytes", "[expand][property]") {
  Property("any bytes give a value or an in-range error", 2000, [] {
    const std::string input = *rc::gen::container<std::string>(rc::gen::arbitrary<char>());
    const ExpandOptions options = GenOptions();
    MapLookup env{{"A", "a*b"}, {"B", ""}};
    const auto result = ExpandWords(input, env, options);
    if (!result) {
      RC_ASSERT(result.Error().begin <= result.Error().end);
      RC_ASSERT(result.Error().end <= input.size());
      RC_ASSERT(!result.Error().message.empty());
      return;
    }
    for (const UndefinedVar& u : result->undefined) {
      RC_ASSERT(u.begin < u.end);
      RC_ASSERT(u.end <= input.size());
      RC_ASSERT(input[u.begin] == '$');
    }
  });
}

TEST_CASE("escaping every character gives the text back", "[expand][property]") {
  Property("escaped runes are literal", 1000, [] {
    const char escape = *rc::gen::element('\\', '`');
    const auto runes = *rc::gen::container<std::vector<char32_t>>(rc::gen::oneOf(
        rc::gen::inRange<char32_t>(1, 0x80), rc::gen::inRange<char32_t>(0x80, 0xD800),
        rc::gen::inRange<char32_t>(0xE000, 0x110000)));
    std::string text;
    std::string escaped;
    for (char32_t r : runes) {
      std::string utf8;
      text::AppendUtf8(utf8, r);
      text += utf8;
      escaped += escape + utf8;
    }
    ExpandOptions options;
    options.escape = escape;
    const auto result = ExpandWords(escaped, MapLookup{}, options);
    RC_ASSERT(result.Ok());
    RC_ASSERT(result->value == text);
    RC_ASSERT(result->words == (text.empty() ? Words{} : Words{text}));
  });
}

}  // namespace
}  // namespace dockit

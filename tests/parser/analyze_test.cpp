#include <catch2/catch.hpp>

#include "parser/instructions.hpp"
#include "tests/parser/test_support.hpp"

namespace dockit {
namespace {

Analysis Analyze(const std::string& text, AnalyzeOptions options = {}) {
  return AnalyzeDockerfile(testing::MustParse(text), options);
}

std::string RenderAll(const Analysis& a) {
  std::string out;
  for (const Diagnostic& d : a.diagnostics) out += Render(*a.tree->file, d);
  return out;
}

template <typename T>
const T& ArgsOf(const Stage& stage, size_t i) {
  return std::get<T>(stage.instructions.at(i).args);
}

TEST_CASE("stages: index, name, base, platform", "[analyze]") {
  auto a = Analyze(
      "ARG BASE=alpine:3.19\n"
      "FROM --platform=$BUILDPLATFORM ${BASE} AS Build\n"
      "RUN make\n"
      "FROM build\n"
      "FROM scratch\n");
  CHECK(RenderAll(a).empty());
  REQUIRE(a.stages.size() == 3);
  CHECK(a.stages[0].name == "build");
  CHECK(a.stages[0].base.value == "alpine:3.19");
  REQUIRE(a.stages[0].platform);
  CHECK(a.stages[0].platform->value == "linux/amd64");
  CHECK(a.stages[1].base_stage == 0u);
  CHECK_FALSE(a.stages[2].base_stage);
  CHECK(a.stages[2].index == 2);
}

TEST_CASE("ARG and ENV scoping follows BuildKit", "[analyze]") {
  AnalyzeOptions opts;
  opts.build_args["VERSION"] = "2.0";
  auto a = Analyze(
      "ARG VERSION=1.0\n"
      "ARG GLOBAL=g\n"
      "FROM alpine AS one\n"
      "ARG GLOBAL\n"   // re-declared without a value: takes the global value
      "ARG VERSION\n"  // --build-arg wins over the default
      "ENV A=1 B=$A C=${GLOBAL}-${VERSION}\n"  // pairs see the variables before this ENV
      "ENV D=$A\n"
      "FROM one\n"
      "WORKDIR /src/$D\n"          // ENV is inherited from the parent stage, and so are its
      "USER ${GLOBAL:-nobody}\n",  // ARGs (BuildKit appends the base stage's build args)
      opts);
  // B=$A reads A before this ENV sets it, as BuildKit does: a real mistake, reported.
  CHECK(
      RenderAll(a) ==
      "Dockerfile:6:11: warning: undefined variable \"A\": not set by ARG or ENV (unless the base "
      "image alpine sets it)\n"
      "ENV A=1 B=$A C=${GLOBAL}-${VERSION}\n"
      "          ^~\n");
  REQUIRE(a.stages.size() == 2);
  const auto& env = ArgsOf<EnvCmd>(a.stages[0], 3);
  CHECK(env.pairs[1].value.value == "");
  CHECK(env.pairs[2].value.value == "g-2.0");
  CHECK(a.stages[0].env.at("D") == "1");
  CHECK(ArgsOf<SingleValueCmd>(a.stages[1], 1).value.value == "/src/1");
  CHECK(ArgsOf<SingleValueCmd>(a.stages[1], 2).value.value == "g");
  CHECK(a.stages[1].env.at("GLOBAL") == "g");
}

TEST_CASE("builder-expanded words and the ones left to the shell", "[analyze]") {
  auto a = Analyze(
      "FROM alpine\n"
      "ENV DIR=/opt/app PORT=8080\n"
      "COPY --chown=app:app src/ $DIR/\n"
      "EXPOSE $PORT/tcp\n"
      "RUN echo $NOT_EXPANDED_BY_BUILDER\n"
      "CMD [\"serve\", \"--port\", \"$PORT\"]\n");
  CHECK(RenderAll(a).empty());
  const auto& copy = ArgsOf<CopyCmd>(a.stages[0], 2);
  CHECK(copy.dest.value == "/opt/app/");
  CHECK(copy.chown->value == "app:app");
  const auto& expose = ArgsOf<ExposeCmd>(a.stages[0], 3);
  CHECK(expose.ports[0].first == 8080);
  CHECK(ArgsOf<RunCmd>(a.stages[0], 4).argv[0].value == "echo $NOT_EXPANDED_BY_BUILDER");
  CHECK(ArgsOf<CommandCmd>(a.stages[0], 5).argv[2].value == "$PORT");
}

TEST_CASE("each undefined variable is reported at its range", "[analyze]") {
  auto a = Analyze("FROM alpine\nWORKDIR /a/$X/b \\\n  ${Y}\nARG Z\nUSER $Z\nLABEL v=$PATH\n");
  CHECK(
      RenderAll(a) ==
      "Dockerfile:2:12: warning: undefined variable \"X\": not set by ARG or ENV (unless the base "
      "image alpine sets it)\n"
      "WORKDIR /a/$X/b \\\n"
      "           ^~\n"
      "Dockerfile:3:3: warning: undefined variable \"Y\": not set by ARG or ENV (unless the base "
      "image alpine sets it)\n"
      "  ${Y}\n"
      "  ^~~~\n");
}

TEST_CASE("what BuildKit refuses before building", "[analyze]") {
  auto a = Analyze(
      "RUN echo too early\n"
      "FROM alpine AS a\n"
      "FROM alpine AS A\n"
      "COPY --link=maybe --from a b c\n"
      "RUN --network=bridge --mount=type=cache,target=/c,sharing=all true\n"
      "HEALTHCHECK --interval=5 CMD true\n"
      "SHELL /bin/bash -c\n"
      "ONBUILD ONBUILD RUN x\n"
      "WORKDIR\n");
  CHECK(
      RenderAll(a) ==
      "Dockerfile:1:1: error: RUN comes before the first FROM: only ARG may come before FROM\n"
      "RUN echo too early\n^~~\n"
      "Dockerfile:3:16: error: duplicate stage name \"a\" (first defined on line 2)\n"
      "FROM alpine AS A\n               ^\n"
      "Dockerfile:4:6: error: expecting boolean value for flag --link, not: maybe\n"
      "COPY --link=maybe --from a b c\n     ^~~~~~~~~~~~\n"
      "Dockerfile:4:19: error: missing a value on flag --from\n"
      "COPY --link=maybe --from a b c\n                  ^~~~~~\n"
      "Dockerfile:5:5: error: unsupported network mode \"bridge\" (use default, none or host)\n"
      "RUN --network=bridge --mount=type=cache,target=/c,sharing=all true\n    ^~~~~~~~~~~~~~~~\n"
      "Dockerfile:5:22: error: unsupported cache sharing \"all\" (use shared, private or locked)\n"
      "RUN --network=bridge --mount=type=cache,target=/c,sharing=all true\n"
      "                     ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
      "Dockerfile:6:13: error: invalid duration \"5\" for --interval (e.g. 30s, 1m30s)\n"
      "HEALTHCHECK --interval=5 CMD true\n            ^~~~~~~~~~~~\n"
      "Dockerfile:7:1: error: SHELL requires the arguments to be a non-empty JSON array, e.g. "
      "SHELL [\"/bin/sh\", \"-c\"]\n"
      "SHELL /bin/bash -c\n^~~~~\n"
      "Dockerfile:8:9: error: chaining ONBUILD via ONBUILD ONBUILD isn't allowed\n"
      "ONBUILD ONBUILD RUN x\n        ^~~~~~~\n"
      "Dockerfile:9:1: error: WORKDIR requires exactly one argument\n"
      "WORKDIR\n^~~~~~~\n");
}

TEST_CASE("the real-world corpus analyses without crashing", "[analyze][corpus]") {
  size_t files = 0, with_errors = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(testing::SharedDir() / "corpus/real/dockerfile")) {
    auto tree = testing::Parse(testing::ReadFile(entry.path()), entry.path().filename().string());
    REQUIRE(tree.Ok());
    Analysis a = AnalyzeDockerfile(*tree);
    ++files;
    with_errors += a.HasErrors();
    for (const Diagnostic& d : a.diagnostics) {
      CHECK(d.range.end.offset <= (*tree)->file->Text().size());
      CHECK(d.range.begin.offset <= d.range.end.offset);
    }
  }
  CHECK(files > 800);
  // Real files can be broken, but only a few of them.
  CHECK(with_errors * 20 < files);
}

}  // namespace
}  // namespace dockit

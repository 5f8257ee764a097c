#include "planner/run_size.hpp"

#include <catch2/catch.hpp>

#include "parser/dockerfile_parser.hpp"

namespace dockit::plan {
namespace {

std::optional<uint64_t> Size(const std::string& run) {
  auto file = std::make_shared<SourceFile>("Dockerfile", "FROM scratch\n" + run + "\n");
  auto tree = ParseDockerfile(file);
  REQUIRE(tree);
  auto known = KnownRunSize(ShellOf((*tree)->instructions[1], *file));
  return known ? std::optional<uint64_t>(known->bytes) : std::nullopt;
}

TEST_CASE("sizes as coreutils and dd read them", "[planner][size]") {
  CHECK(ParseSize("10") == 10u);
  CHECK(ParseSize("10K") == 10240u);
  CHECK(ParseSize("10KB") == 10000u);
  CHECK(ParseSize("1MiB") == 1048576u);
  CHECK(ParseSize("2G") == 2147483648u);
  CHECK(ParseSize("3c") == 3u);
  CHECK(ParseSize("4b") == 2048u);
  CHECK_FALSE(ParseSize("x"));
  CHECK_FALSE(ParseSize("10Q"));
  CHECK_FALSE(ParseSize("99999999999999999999"));
}

TEST_CASE("RUN layer sizes known from the command", "[planner][size]") {
  CHECK(Size("RUN head -c 10M /dev/urandom > /blob") == 10485760u);
  CHECK(Size("RUN dd if=/dev/zero of=/big bs=1M count=5 && echo done") == 5242880u);
  CHECK(Size("RUN fallocate -l 1G /swap") == 1073741824u);
  CHECK(Size("RUN truncate -s 100 /f; head -c 50 /dev/zero > /g") == 150u);
  // tree-sitter-bash 0.23 hangs `> /g` on the whole `a && b` list; the shell view gives it to
  // the last command, as bash does.
  CHECK(Size("RUN true && head -c 50 /dev/zero > /g") == 50u);
  CHECK(Size("RUN echo hello") == 0u);
  // Unknown effects are not guessed.
  CHECK_FALSE(Size("RUN apt-get update && apt-get install -y curl"));
  CHECK_FALSE(Size("RUN echo hi > /greeting"));
  CHECK_FALSE(Size("RUN head -c $N /dev/zero > /f"));
  CHECK_FALSE(Size("RUN [\"head\", \"-c\", \"1\"]"));
  // A file written twice counts once, as the layer has it.
  CHECK(Size("RUN head -c 1M /dev/zero > /a && head -c 2K /dev/zero > /a") == 2048u);
  CHECK(Size("RUN head -c 1K /dev/zero > /a && head -c 1K /dev/zero >> /a") == 2048u);
  CHECK(Size("RUN fallocate -l 2K /a && fallocate -l 1K /a") == 2048u);
  CHECK(Size("RUN cd /tmp && truncate -s 1K a && truncate -s 2K /tmp/a && truncate -s 4 b") ==
        2052u);
  // Only a device's bytes are known; a branch that may not run is not counted.
  CHECK_FALSE(Size("RUN head -c 1M /etc/passwd > /a"));
  CHECK_FALSE(Size("RUN dd bs=1M count=1 of=/a"));
  CHECK_FALSE(Size("RUN true || head -c 1M /dev/zero > /a"));
  CHECK_FALSE(Size("RUN for i in 1 2; do head -c 1M /dev/zero > /a$i; done"));
  CHECK_FALSE(Size("RUN (cd /tmp && head -c 1M /dev/zero > a)"));
}

}  // namespace
}  // namespace dockit::plan

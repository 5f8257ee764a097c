#include "sim/path.hpp"

#include <catch2/catch.hpp>

namespace dockit::sim {
namespace {

TEST_CASE("CleanPath cleans lexically and keeps .. inside the root", "[sim][path]") {
  CHECK(*CleanPath("/") == "/");
  CHECK(*CleanPath("/a//b/./c/../d/") == "/a/b/d");
  CHECK(*CleanPath("/..") == "/");
  CHECK(*CleanPath("/../../etc/passwd") == "/etc/passwd");
  CHECK(*CleanPath("/a/b/../../..") == "/");
  CHECK(*CleanPath("//x") == "/x");
}

TEST_CASE("CleanPath refuses empty, relative and NUL paths", "[sim][path]") {
  CHECK(CleanPath("").Error().message == "empty path");
  CHECK(CleanPath("a/b").Error().message == "path a/b is not absolute");
  CHECK(CleanPath(std::string_view("/a\0b", 4)).Error().message == "path contains a NUL byte");
}

TEST_CASE("path pieces", "[sim][path]") {
  CHECK(Components("/") == std::vector<std::string>{});
  CHECK(Components("/a/bc") == std::vector<std::string>{"a", "bc"});
  CHECK(ParentOf("/a/b") == "/a");
  CHECK(ParentOf("/a") == "/");
  CHECK(ParentOf("/") == "/");
  CHECK(BaseOf("/a/b") == "b");
  CHECK(BaseOf("/") == "");
  CHECK(JoinPath("/", "a") == "/a");
  CHECK(JoinPath("/a", "b") == "/a/b");
  CHECK(IsAtOrBelow("/a/b", "/a"));
  CHECK(IsAtOrBelow("/a", "/a"));
  CHECK_FALSE(IsAtOrBelow("/ab", "/a"));
  CHECK(IsAtOrBelow("/x", "/"));
}

}  // namespace
}  // namespace dockit::sim

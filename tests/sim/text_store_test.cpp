#include "sim/text_store.hpp"

#include <catch2/catch.hpp>

namespace dockit::sim {
namespace {

TEST_CASE("the text store gives back what it was given, by the content's digest", "[sim]") {
  TextStore store;
  FileContent hello = store.Put("hello\n");
  CHECK(hello.digest == FileContent::Bytes("hello\n").digest);
  CHECK(hello.size == 6);
  REQUIRE(store.Get(hello.digest));
  CHECK(*store.Get(hello.digest) == "hello\n");
  CHECK_FALSE(store.Get(FileContent::Synthetic("blob", 10).digest));

  FileContent other = store.Put("other");
  store.Retain([&](const std::string& digest) { return digest == other.digest; });
  CHECK_FALSE(store.Get(hello.digest));
  CHECK(store.Get(other.digest));
}

}  // namespace
}  // namespace dockit::sim

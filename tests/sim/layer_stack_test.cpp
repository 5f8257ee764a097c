#include "sim/layer_stack.hpp"

#include <catch2/catch.hpp>

#include "tests/sim/sim_test_util.hpp"

namespace dockit::sim {
namespace {

using namespace testing;

std::vector<std::string> Paths(const Tree& t) {
  std::vector<std::string> out;
  for (const auto& [path, node] : t.Entries()) out.push_back(path);
  return out;
}

TEST_CASE("whiteouts and opaque directories hide lower layers across three layers",
          "[sim][layer_stack]") {
  plan::Layer base =
      MakeLayer({D("/etc"), F("/etc/a", "a"), F("/etc/b", "bb"), D("/usr"), F("/usr/x", "xxx"),
                 D("/var"), D("/var/cache"), F("/var/cache/big", "0123456789")});
  plan::Layer second = MakeLayer({D("/etc"), W("/etc/a"), F("/etc/c", "c"), O("/usr", 0700),
                                  F("/usr/y", "y"), W("/var/cache")});
  plan::Layer third = MakeLayer({D("/etc"), W("/etc/b"), D("/etc/b"), F("/etc/b/inner", "i"),
                                 D("/var"), D("/var/cache"), W("/usr/y")});
  Result<LayerStack> one = LayerStack().Push(base);
  REQUIRE(one.Ok());
  Result<LayerStack> two = one->Push(second);
  REQUIRE(two.Ok());
  Result<LayerStack> three = two->Push(third);
  REQUIRE(three.Ok());

  CHECK(Paths(one->View()) == std::vector<std::string>{"/", "/etc", "/etc/a", "/etc/b", "/usr",
                                                       "/usr/x", "/var", "/var/cache",
                                                       "/var/cache/big"});
  CHECK(Paths(two->View()) ==
        std::vector<std::string>{"/", "/etc", "/etc/b", "/etc/c", "/usr", "/usr/y", "/var"});
  CHECK(two->View().Find("/usr")->mode == 0700);
  // /var/cache comes back empty: the whiteout in layer 2 still hides the old contents.
  CHECK(Paths(three->View()) == std::vector<std::string>{"/", "/etc", "/etc/b", "/etc/b/inner",
                                                         "/etc/c", "/usr", "/var", "/var/cache"});
  CHECK(three->View().Find("/etc/b")->kind == NodeKind::kDirectory);

  // Stacks are values: pushing did not change the lower ones.
  CHECK(one->View().Find("/etc/a") != nullptr);
  CHECK(one->Layers().size() == 1);
  CHECK(three->Layers().size() == 3);
  CHECK(three->DiffIds() == std::vector<std::string>{base.diff_id, second.diff_id, third.diff_id});
  // Deleting in a later layer does not shrink the image.
  CHECK(base.size == 1 + 2 + 3 + 10);
  CHECK(three->Size() == 16 + 2 + 1);
}

TEST_CASE("an entry replaces a lower one of another kind, with its subtree", "[sim][layer_stack]") {
  Result<LayerStack> s = LayerStack::Of({MakeLayer({D("/d"), F("/d/x"), F("/f")}),
                                         MakeLayer({F("/d", "now a file"), D("/f"), F("/f/y")})});
  REQUIRE(s.Ok());
  CHECK(Paths(s->View()) == std::vector<std::string>{"/", "/d", "/f", "/f/y"});
  CHECK(s->View().Find("/d")->size == 10);
}

TEST_CASE("missing parents are made, bad entries are errors", "[sim][layer_stack]") {
  Result<LayerStack> s = LayerStack().Push(MakeLayer({F("/a/b/c", "x")}));
  REQUIRE(s.Ok());
  CHECK(*s->View().Find("/a/b") == DirectoryNode());

  CHECK(LayerStack::Of({MakeLayer({F("/f")}), MakeLayer({F("/f/x")})}).Error().message ==
        "layer entry /f/x: /f is not a directory");
  CHECK(LayerStack().Push(MakeLayer({F("/a/../b")})).Error().message ==
        "layer entry /a/../b: path is not clean");
  CHECK(LayerStack().Push(MakeLayer({H("/h", "/none")})).Error().message ==
        "layer entry /h: hard link target /none is not a file");
  CHECK(LayerStack().Push(MakeLayer({W("/")})).Error().message == "layer entry /: whiteout of /");
}

TEST_CASE("hard links share their target's content and count once", "[sim][layer_stack]") {
  plan::Layer layer = MakeLayer({F("/a", "0123456789", 0755), H("/b", "/a")});
  CHECK(layer.size == 10);
  Result<LayerStack> s = LayerStack().Push(layer);
  REQUIRE(s.Ok());
  CHECK(*s->View().Find("/b") == *s->View().Find("/a"));
}

TEST_CASE("MakeLayer sorts, sizes symlinks by target length, and digests all metadata",
          "[sim][layer_stack]") {
  plan::Layer layer = MakeLayer({F("/z", "abc"), L("/l", "/usr/bin/python3"), D("/a")});
  CHECK(Show(layer.changes) == std::vector<std::string>{"dir /a 755 0:0",
                                                        "symlink /l -> /usr/bin/python3",
                                                        "file /z 644 0:0 3"});
  CHECK(layer.size == 3 + 16);
  CHECK(layer.diff_id.rfind("sha256:", 0) == 0);
  CHECK(MakeLayer({D("/a"), F("/z", "abc"), L("/l", "/usr/bin/python3")}).diff_id == layer.diff_id);
  CHECK(MakeLayer({F("/z", "abc", 0600), L("/l", "/usr/bin/python3"), D("/a")}).diff_id !=
        layer.diff_id);
  FileChange owned = F("/z", "abc");
  owned.uid = 1000;
  CHECK(MakeLayer({owned, L("/l", "/usr/bin/python3"), D("/a")}).diff_id != layer.diff_id);
  CHECK(MakeLayer({}).diff_id != MakeLayer({D("/a")}).diff_id);
}

}  // namespace
}  // namespace dockit::sim

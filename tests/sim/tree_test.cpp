// Symlink resolution and directory listing on merged views.
#include "sim/tree.hpp"

#include <catch2/catch.hpp>

#include "sim/layer_stack.hpp"
#include "tests/sim/sim_test_util.hpp"

namespace dockit::sim {
namespace {

using namespace testing;

Tree Make(std::vector<FileChange> changes) {
  Result<LayerStack> stack = LayerStack().Push(MakeLayer(std::move(changes)));
  REQUIRE(stack.Ok());
  return stack->View();
}

TEST_CASE("relative and absolute symlinks resolve inside the root", "[sim][tree]") {
  Tree t =
      Make({D("/usr"), D("/usr/bin"), F("/usr/bin/sh", "elf"), L("/bin", "usr/bin"), D("/etc"),
            F("/etc/passwd", "root"), D("/home"), D("/home/x"), L("/home/x/abs", "/etc/passwd"),
            L("/home/x/up", "../../../../../etc"), L("/home/x/dotdot", "../x/../../etc/./passwd")});
  CHECK(t.Stat("/bin/sh")->kind == NodeKind::kFile);
  CHECK(t.Lstat("/bin")->kind == NodeKind::kSymlink);
  CHECK(t.Stat("/bin")->kind == NodeKind::kDirectory);
  CHECK(t.Resolve("/bin/sh", true, "x")->path == "/usr/bin/sh");
  CHECK(t.Resolve("/bin", false, "x")->path == "/bin");
  CHECK(t.Resolve("/home/x/abs", true, "x")->path == "/etc/passwd");
  // `..` stops at the root, like a chroot: the link cannot reach the host.
  CHECK(t.Resolve("/home/x/up", true, "x")->path == "/etc");
  CHECK(*t.ReadDir("/home/x/up") == std::vector<std::string>{"passwd"});
  CHECK(t.Resolve("/home/x/dotdot", true, "x")->path == "/etc/passwd");
  // `..` after a symlink goes to the real parent of where the link led.
  CHECK(t.Resolve("/bin/sh", true, "x")->node->digest == plan::Sha256Of("elf"));
  Result<Resolved> missing = t.Resolve("/bin/bash", true, "x");
  REQUIRE(missing.Ok());
  CHECK(missing->path == "/usr/bin/bash");
  CHECK(missing->node == nullptr);
}

TEST_CASE("symlink loops stop after 40 links", "[sim][tree]") {
  Tree t = Make({L("/a", "/b"), L("/b", "a"), L("/self", "self")});
  CHECK(t.Stat("/a").Error().message == "stat /a: too many levels of symbolic links");
  CHECK(t.Stat("/a").Error().code == "ELOOP");
  CHECK(t.Stat("/self/x").Error().code == "ELOOP");
  CHECK(t.Lstat("/a")->kind == NodeKind::kSymlink);

  // A chain of exactly 40 links resolves, 41 do not.
  std::vector<FileChange> chain{F("/target", "x")};
  for (int i = 0; i < 41; ++i) {
    chain.push_back(L("/l" + std::to_string(i),
                      i == 0 ? std::string("/target") : "/l" + std::to_string(i - 1)));
  }
  Tree c = Make(chain);
  CHECK(c.Stat("/l39")->kind == NodeKind::kFile);
  CHECK(c.Stat("/l40").Error().code == "ELOOP");
}

TEST_CASE("lookups through files and dangling links fail with the kernel's reasons",
          "[sim][tree]") {
  Tree t = Make({F("/f", "x"), L("/dangling", "/nowhere"), L("/empty", "/f/x")});
  CHECK(t.Stat("/f/x").Error().message == "stat /f/x: /f is a file");
  CHECK(t.Stat("/f/x").Error().code == "ENOTDIR");
  CHECK(t.Stat("/dangling").Error().code == "ENOENT");
  CHECK(t.Lstat("/dangling")->target == "/nowhere");
  CHECK(t.Stat("/empty").Error().code == "ENOTDIR");
  CHECK(t.Stat("/no/such").Error().message == "stat /no/such: no such file or directory");
  CHECK(t.ReadDir("/f").Error().message == "readdir /f: not a directory");
  CHECK(t.Stat("relative").Error().message == "stat relative: path relative is not absolute");
}

TEST_CASE("ReadDir lists direct children in bytewise order", "[sim][tree]") {
  Tree t = Make({D("/a"), F("/a/z"), D("/a/b"), F("/a/b/c"), F("/a-b"), F("/a.c"), L("/l", "a")});
  CHECK(*t.ReadDir("/") == std::vector<std::string>{"a", "a-b", "a.c", "l"});
  CHECK(*t.ReadDir("/a") == std::vector<std::string>{"b", "z"});
  CHECK(*t.ReadDir("/l") == std::vector<std::string>{"b", "z"});
  CHECK(t.ReadDir("/a/b/c").Error().code == "ENOTDIR");
  CHECK(t.HasChildren("/a"));
  CHECK_FALSE(t.HasChildren("/a/b/c"));
  CHECK(t.HasChildren("/"));
  CHECK_FALSE(Tree().HasChildren("/"));
}

}  // namespace
}  // namespace dockit::sim

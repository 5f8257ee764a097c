#include "sim/working_layer.hpp"

#include <catch2/catch.hpp>

#include "tests/sim/sim_test_util.hpp"

namespace dockit::sim {
namespace {

using namespace testing;

// An image like a small distro: /etc with two files, /usr/bin/sh, /bin -> usr/bin, /var/cache.
LayerStack Base() {
  Result<LayerStack> s = LayerStack::Of(
      {MakeLayer({D("/etc"), F("/etc/passwd", "root:x:0:0"), F("/etc/hosts", "localhost"),
                  D("/usr"), D("/usr/bin"), F("/usr/bin/sh", "elf", 0755), L("/bin", "usr/bin"),
                  D("/var"), D("/var/cache"), F("/var/cache/pkg", "0123456789")})});
  REQUIRE(s.Ok());
  return std::move(s).Value();
}

std::vector<std::string> DiffOf(const WorkingLayer& w) { return Show(w.Diff().changes); }

TEST_CASE("mkdir, mkdir -p and their errors", "[sim][working_layer]") {
  WorkingLayer w(Base());
  REQUIRE(w.Mkdir("/app").Ok());
  CHECK(w.Mkdir("/app").Error().message == "mkdir /app: file exists");
  CHECK(w.Mkdir("/app").Error().code == "EEXIST");
  CHECK(w.Mkdir("/x/y").Error().message == "mkdir /x/y: no such file or directory");
  CHECK(w.Mkdir("/etc/passwd/x").Error().message == "mkdir /etc/passwd/x: /etc/passwd is a file");
  CHECK(w.Mkdir("/etc/passwd/x", true).Error().message ==
        "mkdir -p /etc/passwd/x: /etc/passwd is a file");
  REQUIRE(w.Mkdir("/app/src/lib", true, 0700, {1000, 1000}).Ok());
  REQUIRE(w.Mkdir("/app/src", true).Ok());    // -p: an existing directory is fine
  REQUIRE(w.Mkdir("/bin/tools", true).Ok());  // through the /bin symlink
  CHECK(w.View().Find("/usr/bin/tools") != nullptr);
  CHECK(w.Mkdir("/").Error().code == "EEXIST");
  CHECK(w.Mkdir("/.wh.x").Error().message ==
        "mkdir /.wh.x: names starting with .wh. are reserved for whiteouts");
  CHECK(w.Mkdir("").Error().message == "mkdir : empty path");
  CHECK(DiffOf(w) == std::vector<std::string>{"dir /app 755 0:0", "dir /app/src 755 1000:1000",
                                              "dir /app/src/lib 700 1000:1000", "dir /usr 755 0:0",
                                              "dir /usr/bin 755 0:0",
                                              "dir /usr/bin/tools 755 0:0"});
}

TEST_CASE("write creates, truncates through symlinks, keeps mode and owner",
          "[sim][working_layer]") {
  WorkingLayer w(Base());
  REQUIRE(w.WriteFile("/etc/hosts", FileContent::Bytes("127.0.0.1 db"), 0600).Ok());
  const Node* hosts = w.View().Find("/etc/hosts");
  CHECK(hosts->mode == 0644);  // an existing file keeps its mode
  CHECK(hosts->size == 12);
  CHECK(hosts->digest == plan::Sha256Of("127.0.0.1 db"));
  REQUIRE(w.WriteFile("/bin/hello", FileContent::Bytes("#!/bin/sh"), 0755, {1, 2}).Ok());
  CHECK(w.View().Find("/usr/bin/hello")->mode == 0755);
  CHECK(w.WriteFile("/etc", FileContent::Bytes("")).Error().message ==
        "write /etc: is a directory");
  CHECK(w.WriteFile("/", FileContent::Bytes("")).Error().code == "EISDIR");
  CHECK(w.WriteFile("/nope/x", FileContent::Bytes("")).Error().message ==
        "write /nope/x: no such file or directory");
  CHECK(w.WriteFile("/etc/.wh.hosts", FileContent::Bytes("")).Error().code == "EINVAL");
  CHECK(DiffOf(w) == std::vector<std::string>{"dir /etc 755 0:0", "file /etc/hosts 644 0:0 12",
                                              "dir /usr 755 0:0", "dir /usr/bin 755 0:0",
                                              "file /usr/bin/hello 755 1:2 9"});
  CHECK(w.Diff().size == 21);
}

TEST_CASE("a big synthetic file is a digest and a size", "[sim][working_layer]") {
  WorkingLayer w{LayerStack()};
  const uint64_t gib = uint64_t{1} << 30;
  REQUIRE(w.WriteFile("/big", FileContent::Synthetic("head -c 1G /dev/urandom", gib)).Ok());
  plan::Layer layer = w.Diff();
  CHECK(layer.size == gib);
  CHECK(layer.changes.at(0).digest ==
        FileContent::Synthetic("head -c 1G /dev/urandom", gib).digest);
  CHECK(FileContent::Synthetic("head -c 1G /dev/urandom", gib).digest !=
        FileContent::Synthetic("head -c 1G /dev/zero", gib).digest);
}

TEST_CASE("rm records whiteouts only for what lower layers have", "[sim][working_layer]") {
  WorkingLayer w(Base());
  CHECK(w.Remove("/x").Error().message == "rm /x: no such file or directory");
  CHECK(w.Remove("/x").Error().code == "ENOENT");
  CHECK(w.Remove("/var").Error().message == "rm /var: directory not empty");
  CHECK(w.Remove("/").Error().code == "EBUSY");
  REQUIRE(w.WriteFile("/etc/new", FileContent::Bytes("n")).Ok());
  REQUIRE(w.Remove("/etc/new").Ok());  // made and removed here: no trace but the copied-up /etc
  REQUIRE(w.Remove("/etc/passwd").Ok());
  REQUIRE(w.Remove("/bin").Ok());  // the symlink, not its target
  CHECK(w.View().Find("/usr/bin/sh") != nullptr);
  REQUIRE(w.WriteFile("/var/cache/tmp", FileContent::Bytes("t")).Ok());
  REQUIRE(w.Remove("/var/cache", true).Ok());  // one whiteout covers the whole tree
  CHECK(DiffOf(w) == std::vector<std::string>{"whiteout /bin", "dir /etc 755 0:0",
                                              "whiteout /etc/passwd", "dir /var 755 0:0",
                                              "whiteout /var/cache"});
  CHECK(w.Diff().size == 0);
}

TEST_CASE("removing and re-creating a directory makes it opaque", "[sim][working_layer]") {
  WorkingLayer w(Base());
  REQUIRE(w.Remove("/var/cache", true).Ok());
  REQUIRE(w.Mkdir("/var/cache", false, 0700).Ok());
  REQUIRE(w.WriteFile("/var/cache/fresh", FileContent::Bytes("f")).Ok());
  CHECK(*w.View().ReadDir("/var/cache") == std::vector<std::string>{"fresh"});
  CHECK(DiffOf(w) == std::vector<std::string>{"dir /var 755 0:0", "opaque /var/cache 700 0:0",
                                              "file /var/cache/fresh 644 0:0 1"});
  // Below an opaque directory nothing of the lower layers shows, so no whiteout is needed.
  REQUIRE(w.WriteFile("/var/cache/pkg", FileContent::Bytes("p")).Ok());
  REQUIRE(w.Remove("/var/cache/pkg").Ok());
  CHECK(DiffOf(w) == std::vector<std::string>{"dir /var 755 0:0", "opaque /var/cache 700 0:0",
                                              "file /var/cache/fresh 644 0:0 1"});
  // Removing it again needs the whiteout back, since the lower /var/cache is still there.
  REQUIRE(w.Remove("/var/cache", true).Ok());
  CHECK(DiffOf(w) == std::vector<std::string>{"dir /var 755 0:0", "whiteout /var/cache"});
  // A file where a directory was replaces it (no opaque marker needed for a file).
  REQUIRE(w.WriteFile("/var/cache", FileContent::Bytes("cc")).Ok());
  CHECK(DiffOf(w) == std::vector<std::string>{"dir /var 755 0:0", "file /var/cache 644 0:0 2"});
}

TEST_CASE("mv of files and directories, and its errors", "[sim][working_layer]") {
  WorkingLayer w(Base());
  REQUIRE(w.Rename("/etc/hosts", "/etc/hosts.bak").Ok());
  REQUIRE(w.Rename("/var/cache", "/cache").Ok());  // copy and delete, as overlayfs makes mv do
  CHECK(w.Rename("/nope", "/x").Error().message == "mv /nope /x: no such file or directory");
  CHECK(w.Rename("/usr", "/usr/bin/usr").Error().message ==
        "mv /usr /usr/bin/usr: cannot move a directory into itself");
  CHECK(w.Rename("/etc/passwd", "/usr").Error().message ==
        "mv /etc/passwd /usr: /usr is a directory");
  CHECK(w.Rename("/usr", "/etc/passwd").Error().code == "ENOTDIR");
  REQUIRE(w.Mkdir("/empty").Ok());
  CHECK(w.Rename("/empty", "/etc").Error().code == "ENOTEMPTY");
  REQUIRE(w.Rename("/cache", "/empty").Ok());  // a directory replaces an empty one
  REQUIRE(w.Rename("/empty/pkg", "/empty/pkg").Ok());
  CHECK(DiffOf(w) == std::vector<std::string>{"dir /empty 755 0:0", "file /empty/pkg 644 0:0 10",
                                              "dir /etc 755 0:0", "whiteout /etc/hosts",
                                              "file /etc/hosts.bak 644 0:0 9", "dir /var 755 0:0",
                                              "whiteout /var/cache"});
  CHECK(w.Diff().size == 19);
}

TEST_CASE("chmod and chown copy up the node and its parents", "[sim][working_layer]") {
  WorkingLayer w(Base());
  REQUIRE(w.Chmod("/bin/sh", 04755).Ok());  // follows the /bin symlink
  REQUIRE(w.Chown("/etc/passwd", {0, 42}).Ok());
  REQUIRE(w.Chown("/bin", {7, 7}, /*follow=*/false).Ok());  // chown -h: the link itself
  CHECK(w.Chmod("/nope", 0644).Error().message == "chmod /nope: no such file or directory");
  plan::Layer layer = w.Diff();
  CHECK(Show(layer.changes) ==
        std::vector<std::string>{"symlink /bin -> usr/bin", "dir /etc 755 0:0",
                                 "file /etc/passwd 644 0:42 10", "dir /usr 755 0:0",
                                 "dir /usr/bin 755 0:0", "file /usr/bin/sh 4755 0:0 3"});
  CHECK(layer.changes[0].uid == 7);
  CHECK(layer.changes[2].digest == plan::Sha256Of("root:x:0:0"));  // content copied up as is
  // A metadata-only change still counts the file's bytes, as `docker history` does.
  CHECK(layer.size == 7 + 10 + 3);
}

TEST_CASE("symlinks: creation, errors and sizes", "[sim][working_layer]") {
  WorkingLayer w(Base());
  REQUIRE(w.Symlink("/usr/bin/sh", "/usr/bin/bash").Ok());
  REQUIRE(w.Symlink("nowhere", "/dangling").Ok());
  CHECK(w.Symlink("x", "/etc").Error().message == "ln -s x /etc: file exists");
  CHECK(w.Symlink("", "/e").Error().code == "ENOENT");
  CHECK(w.View().Stat("/usr/bin/bash")->kind == NodeKind::kFile);
  CHECK(w.Mkdir("/dangling", true).Error().message ==
        "mkdir -p /dangling: /dangling is a dangling symlink");
  // Writing through a dangling symlink creates its target, as open(O_CREAT) does.
  REQUIRE(w.WriteFile("/dangling", FileContent::Bytes("now")).Ok());
  CHECK(w.View().Find("/nowhere")->size == 3);
  CHECK(w.Mkdir("/dangling", true).Error().message == "mkdir -p /dangling: /dangling is a file");
  CHECK(w.Diff().size == 11 + 7 + 3);
}

TEST_CASE("the same operations give the same diff_id", "[sim][working_layer]") {
  auto run = [](uint32_t mode) {
    WorkingLayer w(Base());
    REQUIRE(w.Mkdir("/app/src", true).Ok());
    REQUIRE(w.WriteFile("/app/src/main.py", FileContent::Bytes("print(1)"), mode).Ok());
    REQUIRE(w.Remove("/etc/hosts").Ok());
    return w.Diff();
  };
  CHECK(run(0644).diff_id == run(0644).diff_id);
  CHECK(run(0644).diff_id != run(0755).diff_id);
  CHECK(WorkingLayer(Base()).Diff().changes.empty());
}

}  // namespace
}  // namespace dockit::sim

// USER resolves as runc's GetExecUser does, and /etc/passwd is read through the layers as the
// overlay would show it (top layer wins, whiteouts and opaque directories hide what is below).
#include "runtime/user_lookup.hpp"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

namespace dockit::runtime {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPasswd =
    "root:x:0:0:root:/root:/bin/sh\n"
    "# a comment\n"
    "alice:x:1000:1000:Alice:/home/alice:/bin/sh\n"
    "broken line\n"
    "bob:x:1001:1001::/home/bob:/bin/sh\n"
    "nohome:x:1002:1002::\n";
constexpr const char* kGroup =
    "root:x:0:\nalice:x:1000:\nbob:x:1001:\nstaff:x:50:alice\nwheel:x:10:alice,bob\n";

ExecUser Resolve(std::string_view spec) {
  Result<ExecUser> user = ResolveUser(spec, kPasswd, kGroup);
  if (!user) FAIL(user.Error().message);
  return *user;
}

TEST_CASE("user lookup: names, uids and groups as runc resolves them", "[sandbox]") {
  ExecUser root = Resolve("");
  CHECK(root.uid == 0);
  CHECK(root.gid == 0);
  CHECK(root.home == "/root");
  CHECK(root.supplementary_gids.empty());

  ExecUser alice = Resolve("alice");
  CHECK(alice.uid == 1000);
  CHECK(alice.gid == 1000);
  CHECK(alice.home == "/home/alice");
  CHECK(alice.supplementary_gids == std::vector<unsigned>{50, 10});

  ExecUser by_uid = Resolve("1001");  // a uid with an entry gets its name's groups
  CHECK(by_uid.gid == 1001);
  CHECK(by_uid.supplementary_gids == std::vector<unsigned>{10});

  ExecUser explicit_group = Resolve("alice:wheel");  // explicit group: no supplementary ones
  CHECK(explicit_group.gid == 10);
  CHECK(explicit_group.supplementary_gids.empty());
  CHECK(Resolve("alice:4000").gid == 4000);
  CHECK(Resolve(":staff").gid == 50);

  ExecUser stranger = Resolve("4242");
  CHECK(stranger.uid == 4242);
  CHECK(stranger.gid == 0);
  CHECK(stranger.home == "/");
  CHECK(Resolve("nohome").home == "/");
}

TEST_CASE("user lookup: unknown names are errors, numbers are not", "[sandbox]") {
  Result<ExecUser> unknown = ResolveUser("mallory", kPasswd, kGroup);
  REQUIRE_FALSE(unknown.Ok());
  CHECK(unknown.Error().message ==
        "unable to find user mallory: no matching entries in passwd file");
  Result<ExecUser> no_group = ResolveUser("alice:nogroup", kPasswd, kGroup);
  REQUIRE_FALSE(no_group.Ok());
  CHECK(no_group.Error().message ==
        "unable to find group nogroup: no matching entries in group file");
  CHECK_FALSE(ResolveUser("alice", "", "").Ok());  // no passwd file at all
  CHECK(ResolveUser("123:456", "", "").Ok());
  CHECK_FALSE(ResolveUser("99999999999", "", "").Ok());
}

struct Layers {
  fs::path dir = fs::temp_directory_path() / ("dockit-layers-" + std::to_string(getpid()));
  Layers() { fs::remove_all(dir); }
  ~Layers() { fs::remove_all(dir); }
  std::string Write(const std::string& layer, const std::string& relative,
                    const std::string& text) {
    fs::create_directories((dir / layer / relative).parent_path());
    std::ofstream(dir / layer / relative) << text;
    return (dir / layer).string();
  }
  std::string Path(const std::string& layer) const { return (dir / layer).string(); }
};

TEST_CASE("user lookup: passwd is read through the layers", "[sandbox]") {
  Layers layers;
  std::string base = layers.Write("base", "etc/passwd", "from base\n");
  std::string top = layers.Write("top", "etc/passwd", "from top\n");
  std::string other = layers.Write("other", "etc/hostname", "x\n");
  CHECK(ReadThroughLayers({base, top}, "etc/passwd") == "from top\n");
  CHECK(ReadThroughLayers({base, other}, "etc/passwd") == "from base\n");
  CHECK(ReadThroughLayers({}, "etc/passwd") == "");

  std::string tar_whiteout = layers.Write("wh", "etc/.wh.passwd", "");
  CHECK(ReadThroughLayers({base, tar_whiteout}, "etc/passwd") == "");
  std::string opaque = layers.Write("opaque", "etc/.wh..wh..opq", "");
  CHECK(ReadThroughLayers({base, opaque}, "etc/passwd") == "");

  fs::create_directories(layers.Path("link") + "/etc");
  fs::create_symlink("/etc/passwd", layers.Path("link") + "/etc/passwd");
  CHECK(ReadThroughLayers({base, layers.Path("link")}, "etc/passwd") == "");  // never followed

  if (geteuid() == 0) {  // overlay's own whiteout: a 0/0 character device
    fs::create_directories(layers.Path("chr") + "/etc");
    REQUIRE(mknod((layers.Path("chr") + "/etc/passwd").c_str(), S_IFCHR | 0, makedev(0, 0)) == 0);
    CHECK(ReadThroughLayers({base, layers.Path("chr")}, "etc/passwd") == "");
    CHECK(ReadThroughLayers({base, layers.Path("chr"), top}, "etc/passwd") == "from top\n");
  }
}

}  // namespace
}  // namespace dockit::runtime

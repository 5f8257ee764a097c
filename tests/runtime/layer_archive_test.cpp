// Layers round trip between a directory tree and a gzip'd tar change set: every kind of entry
// an overlayfs upper directory holds comes back identical, the blob is one `tar` reads, the same
// tree always gives the same diff_id, and the size is counted the way the planner predicts it.
#include "runtime/layer_archive.hpp"

#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstring>
#include <string>

#include "planner/digest.hpp"
#include "tests/runtime/layer_test_support.hpp"

namespace dockit::runtime {
namespace {

using namespace testing;
using Kind = plan::FileChange::Kind;

// A tree with one of everything: files (empty, 1 MiB, 0755, 0600, setuid, owned by another
// user), nested directories, relative and absolute symlinks, a hard link pair, a whiteout and
// an opaque directory.
void BuildRichTree(const fs::path& root) {
  PutDir(root / "app");
  PutFile(root / "app/main.py", "print('hi')\n", 0755);
  PutFile(root / "app/empty", "", 0644);
  PutFile(root / "app/secret", "key", 0600);
  PutFile(root / "app/big.bin", std::string(1 << 20, 'z') + "end", 0644);
  PutFile(root / "usr/bin/su", "setuid", 04755);
  PutFile(root / "home/user/notes.txt", "owned", 0640);
  REQUIRE(chown((root / "home/user/notes.txt").c_str(), 1000, 1001) == 0);
  REQUIRE(chown((root / "home/user").c_str(), 1000, 1000) == 0);
  PutDir(root / "deep/a/b/c", 0700);
  PutFile(root / "deep/a/b/c/leaf", "leaf");
  PutSymlink(root / "app/link-rel", "main.py");
  PutSymlink(root / "app/link-abs", "/etc/passwd");
  PutFile(root / "data/one", "same inode");
  REQUIRE(link((root / "data/one").c_str(), (root / "data/two").c_str()) == 0);
  PutWhiteout(root / "etc/removed.conf");
  PutDir(root / "var/cache");
  MarkOpaque(root / "var/cache");
  PutFile(root / "var/cache/fresh", "new");
  PutDir(root / "var", 0755);
  // Names a ustar header cannot hold: long ones, and bytes that are not UTF-8.
  PutFile(root / "names" / (std::string(150, 'n') + ".txt"), "long");
  PutFile(root / "names/caf\xc3\xa9", "utf-8");
  PutFile(root / "names/raw\xff", "not utf-8");
}

Result<LayerFacts> Unpack(const std::string& blob, const std::string& dest,
                          const LayerLimits& limits = {}) {
  return UnpackLayer(blob, dest, limits);
}

TEST_CASE("a layer round trips every kind of entry", "[layers]") {
  Scratch s;
  std::string src = s.Make("src");
  BuildRichTree(src);
  Result<LayerFacts> written = WriteLayer(src, s.Path("layer.tar.gz"));
  REQUIRE(written.Ok());
  std::string dest = s.Make("dest");
  Result<LayerFacts> unpacked = Unpack(s.Path("layer.tar.gz"), dest);
  INFO((unpacked.Ok() ? "" : unpacked.Error().message));
  REQUIRE(unpacked.Ok());

  CHECK(Describe(dest) == Describe(src));
  CHECK(unpacked->diff_id == written->diff_id);
  CHECK(unpacked->blob_digest == written->blob_digest);
  CHECK(unpacked->blob_size == written->blob_size);
  CHECK(unpacked->size == written->size);
  REQUIRE(unpacked->changes.size() == written->changes.size());
  for (size_t i = 0; i < written->changes.size(); ++i) {
    const plan::FileChange& w = written->changes[i];
    const plan::FileChange& u = unpacked->changes[i];
    INFO(w.path);
    CHECK(u.path == w.path);
    CHECK(u.kind == w.kind);
    CHECK(u.mode == w.mode);
    CHECK(u.uid == w.uid);
    CHECK(u.gid == w.gid);
    CHECK(u.size == w.size);
    CHECK(u.digest == w.digest);
    CHECK(u.link_target == w.link_target);
  }
}

TEST_CASE("layer changes name whiteouts, opaque directories and hard links", "[layers]") {
  Scratch s;
  std::string src = s.Make("src");
  BuildRichTree(src);
  Result<LayerFacts> facts = WriteLayer(src, s.Path("layer.tar.gz"));
  REQUIRE(facts.Ok());
  std::map<std::string, plan::FileChange> by_path;
  for (const plan::FileChange& c : facts->changes) by_path[c.path] = c;
  CHECK(by_path.at("/etc/removed.conf").kind == Kind::kWhiteout);
  CHECK(by_path.at("/var/cache").kind == Kind::kOpaqueDirectory);
  CHECK(by_path.at("/var").kind == Kind::kDirectory);
  CHECK(by_path.at("/data/two").kind == Kind::kHardlink);
  CHECK(by_path.at("/data/two").link_target == "/data/one");
  CHECK(by_path.at("/app/link-abs").link_target == "/etc/passwd");
  CHECK(by_path.at("/usr/bin/su").mode == 04755);
  CHECK(by_path.at("/home/user/notes.txt").uid == 1000);
  CHECK(by_path.at("/home/user/notes.txt").gid == 1001);
  CHECK(by_path.at("/app/main.py").digest == plan::Sha256Of("print('hi')\n"));
  CHECK(by_path.at("/app/big.bin").size == (1u << 20) + 3);
  CHECK(std::is_sorted(facts->changes.begin(), facts->changes.end(),
                       [](const auto& a, const auto& b) { return a.path < b.path; }));
}

TEST_CASE("the same tree gives the same layer twice and tar reads it", "[layers]") {
  Scratch s;
  std::string src = s.Make("src");
  BuildRichTree(src);
  Result<LayerFacts> first = WriteLayer(src, s.Path("one.tar.gz"));
  Result<LayerFacts> second = WriteLayer(src, s.Path("two.tar.gz"));
  REQUIRE(first.Ok());
  REQUIRE(second.Ok());
  CHECK(first->diff_id == second->diff_id);
  CHECK(first->blob_digest == second->blob_digest);
  CHECK(first->blob_digest == *plan::Sha256OfFile(s.Path("one.tar.gz"), nullptr));
  CHECK(first->blob_size == fs::file_size(s.Path("one.tar.gz")));

  // The uncompressed stream is what diff_id names.
  std::string plain = s.Path("plain.tar");
  REQUIRE(std::system(("gzip -dc " + s.Path("one.tar.gz") + " > " + plain).c_str()) == 0);
  CHECK(*plan::Sha256OfFile(plain, nullptr) == first->diff_id);

  std::string listing = s.Path("listing.txt");
  REQUIRE(std::system(
              ("/bin/tar -tzf " + s.Path("one.tar.gz") + " 2>/dev/null > " + listing).c_str()) ==
          0);
  std::string names = ReadText(listing);
  CHECK(names.find("etc/.wh.removed.conf\n") != std::string::npos);
  CHECK(names.find("var/cache/.wh..wh..opq\n") != std::string::npos);
  CHECK(names.find("app/main.py\n") != std::string::npos);
  CHECK(names.find("deep/a/b/c/\n") != std::string::npos);
  CHECK(names.find("./") == std::string::npos);
  CHECK(names.find("/app") != 0);

  // A plain (uncompressed) tar of the same layer unpacks to the same facts.
  std::string dest = s.Make("dest");
  Result<LayerFacts> from_plain = Unpack(plain, dest);
  REQUIRE(from_plain.Ok());
  CHECK(from_plain->diff_id == first->diff_id);
  CHECK(Describe(dest) == Describe(src));
}

TEST_CASE("layer size counts files, symlink targets and each hard-linked inode once", "[layers]") {
  Scratch s;
  std::string src = s.Make("src");
  PutFile(src + "/a", "12345");
  PutFile(src + "/dir/b", "123");
  PutSymlink(src + "/dir/l", "../a");  // 4 bytes
  REQUIRE(link((src + "/a").c_str(), (src + "/dir/a2").c_str()) == 0);
  PutWhiteout(src + "/gone");
  PutDir(src + "/empty");
  Result<LayerFacts> facts = WriteLayer(src, s.Path("layer.tar.gz"));
  REQUIRE(facts.Ok());
  CHECK(facts->size == 5 + 3 + 4);
  std::string dest = s.Make("dest");
  Result<LayerFacts> unpacked = Unpack(s.Path("layer.tar.gz"), dest);
  REQUIRE(unpacked.Ok());
  CHECK(unpacked->size == 5 + 3 + 4);
}

TEST_CASE("an empty directory makes an empty layer", "[layers]") {
  Scratch s;
  std::string src = s.Make("src");
  Result<LayerFacts> facts = WriteLayer(src, s.Path("layer.tar.gz"));
  REQUIRE(facts.Ok());
  CHECK(facts->changes.empty());
  CHECK(facts->size == 0);
  std::string dest = s.Make("dest");
  Result<LayerFacts> unpacked = Unpack(s.Path("layer.tar.gz"), dest);
  REQUIRE(unpacked.Ok());
  CHECK(unpacked->diff_id == facts->diff_id);
  CHECK(fs::is_empty(dest));
}

TEST_CASE("writing a layer from a missing directory is an error", "[layers]") {
  Scratch s;
  Result<LayerFacts> facts = WriteLayer(s.Path("nope"), s.Path("layer.tar.gz"));
  REQUIRE(!facts.Ok());
  CHECK(facts.Error().message.find("nope") != std::string::npos);
}

TEST_CASE("file capabilities survive a layer round trip", "[layers]") {
  Scratch s;
  std::string src = s.Make("src");
  PutFile(src + "/ping", "binary", 0755);
  // vfs_cap_data revision 2, effective, cap_net_raw (13) permitted.
  const unsigned char cap[20] = {0x01, 0x00, 0x00, 0x02, 0x00, 0x20};
  REQUIRE(setxattr((src + "/ping").c_str(), "security.capability", cap, sizeof cap, 0) == 0);
  Result<LayerFacts> written = WriteLayer(src, s.Path("layer.tar.gz"));
  REQUIRE(written.Ok());
  std::string dest = s.Make("dest");
  REQUIRE(UnpackLayer(s.Path("layer.tar.gz"), dest).Ok());
  unsigned char back[64];
  ssize_t n = getxattr((dest + "/ping").c_str(), "security.capability", back, sizeof back);
  REQUIRE(n == sizeof cap);
  CHECK(std::memcmp(back, cap, sizeof cap) == 0);
}

TEST_CASE("in a layer from elsewhere, a later entry for the same path wins", "[layers]") {
  Scratch s;
  std::string dest = s.Make("dest");
  MakeTar(s.Path("layer.tar.gz"),
          "d('d', 0o700)\nf('d/x', b'one')\nf('d/x', b'two', 0o600)\nd('d', 0o750)\n"
          "d('gone')\nf('gone/inner')\nf('gone', b'file now')\nf('w/keep')\nf('w/.wh.keep', b'')");
  Result<LayerFacts> facts = UnpackLayer(s.Path("layer.tar.gz"), dest);
  INFO((facts.Ok() ? "" : facts.Error().message));
  REQUIRE(facts.Ok());
  CHECK(ReadText(dest + "/d/x") == "two");
  CHECK((fs::status(dest + "/d/x").permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));
  CHECK((fs::status(dest + "/d").permissions() & fs::perms::all) ==
        (fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec));
  CHECK(ReadText(dest + "/gone") == "file now");
  struct stat st;
  REQUIRE(lstat((dest + "/w/keep").c_str(), &st) == 0);
  CHECK(S_ISCHR(st.st_mode));
  std::vector<std::string> shown;
  for (const plan::FileChange& c : facts->changes) shown.push_back(c.path);
  CHECK(shown == std::vector<std::string>{"/d", "/d/x", "/gone", "/w/keep"});
  CHECK(facts->changes.back().kind == Kind::kWhiteout);
  CHECK(facts->size == 3 + 8);
}

TEST_CASE("missing parent directories in a layer are created", "[layers]") {
  Scratch s;
  std::string dest = s.Make("dest");
  MakeTar(s.Path("layer.tar.gz"), "f('usr/local/bin/tool', b'#!', 0o755)\nf('.wh..wh..opq')");
  Result<LayerFacts> facts = UnpackLayer(s.Path("layer.tar.gz"), dest);
  REQUIRE(facts.Ok());
  CHECK(ReadText(dest + "/usr/local/bin/tool") == "#!");
  CHECK(fs::is_directory(dest + "/usr/local"));
  REQUIRE(facts->changes.size() == 1);
  CHECK(facts->changes[0].path == "/usr/local/bin/tool");
}

TEST_CASE("an upper directory that overlayfs redirected or metacopied is refused", "[layers]") {
  Scratch s;
  std::string src = s.Make("src");
  SECTION("redirect_dir") {
    PutDir(src + "/moved");
    REQUIRE(setxattr((src + "/moved").c_str(), "trusted.overlay.redirect", "/old", 4, 0) == 0);
  }
  SECTION("metacopy") {
    PutFile(src + "/meta", "");
    REQUIRE(setxattr((src + "/meta").c_str(), "trusted.overlay.metacopy", "", 0, 0) == 0);
  }
  Result<LayerFacts> facts = WriteLayer(src, s.Path("layer.tar.gz"));
  REQUIRE(!facts.Ok());
  CHECK(facts.Error().message.find("redirect_dir=off,metacopy=off") != std::string::npos);
}

TEST_CASE("a rootfs tar made by GNU tar unpacks to the same tree", "[layers]") {
  Scratch s;
  std::string src = s.Make("src");
  BuildRichTree(src);
  // GNU tar keeps the 0/0 device as a device entry, which only a layer's own whiteouts may be.
  fs::remove(src + "/etc/removed.conf");
  REQUIRE(removexattr((src + "/var/cache").c_str(), "trusted.overlay.opaque") == 0);
  std::string blob = s.Path("rootfs.tar.gz");
  REQUIRE(std::system(("/bin/tar --numeric-owner -C " + src + " -czf " + blob + " .").c_str()) ==
          0);
  std::string dest = s.Make("dest");
  Result<LayerFacts> facts = UnpackLayer(blob, dest);
  INFO((facts.Ok() ? "" : facts.Error().message));
  REQUIRE(facts.Ok());
  CHECK(Describe(dest) == Describe(src));
  std::string plain = s.Path("plain.tar");
  REQUIRE(std::system(("gzip -dc " + blob + " > " + plain).c_str()) == 0);
  CHECK(facts->diff_id == *plan::Sha256OfFile(plain, nullptr));
}

}  // namespace
}  // namespace dockit::runtime

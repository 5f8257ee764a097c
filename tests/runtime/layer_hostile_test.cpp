// Hostile layer blobs (made here with python3's tarfile, which writes whatever it is told): each
// one is refused with an error that names the offending entry, and nothing outside the
// destination is created or changed, whatever symlinks the layer planted first.
#include <catch2/catch.hpp>
#include <string>

#include "runtime/layer_archive.hpp"
#include "tests/runtime/layer_test_support.hpp"

namespace dockit::runtime {
namespace {

using namespace testing;

// A layer unpacked next to a sentinel directory and a host file that it must not reach.
struct HostileCase {
  Scratch s;
  std::string dest = s.Make("root/dest");
  std::string outside = s.Make("outside");
  std::string host_file = s.Path("host.txt");
  HostileCase() { PutFile(host_file, "original"); }

  // Unpacks a blob built from `body` and returns the error message ("" when it succeeded).
  std::string Unpack(const std::string& body, const LayerLimits& limits = {}) {
    std::string blob = s.Path("hostile.tar.gz");
    MakeTar(blob, body);
    Result<LayerFacts> facts = UnpackLayer(blob, dest, limits);
    return facts.Ok() ? "" : facts.Error().message;
  }
  void CheckNothingEscaped() {
    CHECK(fs::is_empty(outside));
    CHECK(ReadText(host_file) == "original");
    CHECK(!fs::exists(s.Path("root/x")));
    CHECK(!fs::exists(s.Path("x")));
  }
};

// A python string literal.
std::string Py(const std::string& text) { return "'" + text + "'"; }

TEST_CASE("layer entries that name a path outside the root are refused", "[layers]") {
  HostileCase t;
  SECTION("../escape") {
    std::string error = t.Unpack("f('ok')\nf('../outside/escape')");
    CHECK(error.find("\"../outside/escape\"") != std::string::npos);
    CHECK(error.find("..") != std::string::npos);
  }
  SECTION("an absolute name") {
    std::string error = t.Unpack("f(" + Py(t.outside + "/abs") + ")");
    CHECK(error.find("\"" + t.outside + "/abs\"") != std::string::npos);
    CHECK(error.find("absolute") != std::string::npos);
  }
  SECTION("a/../../x") {
    std::string error = t.Unpack("d('a')\nf('a/../../x')");
    CHECK(error.find("\"a/../../x\"") != std::string::npos);
  }
  SECTION("an empty name") {
    std::string error = t.Unpack("f('.')");
    CHECK(error.find("empty name") != std::string::npos);
  }
  t.CheckNothingEscaped();
}

TEST_CASE("no layer entry is written through a symlink the layer planted", "[layers]") {
  HostileCase t;
  std::string outside_from_root = t.outside.substr(1);  // the sentinel as seen through "a -> /"
  SECTION("a -> / then a/<sentinel>/x") {
    std::string name = "a/" + outside_from_root + "/x";
    std::string error = t.Unpack("l('a', '/')\nf(" + Py(name) + ")");
    CHECK(error.find("\"" + name + "\"") != std::string::npos);
    CHECK(error.find("symlink") != std::string::npos);
  }
  SECTION("a -> /etc then a/passwd") {
    std::string before = ReadText("/etc/passwd");
    std::string error = t.Unpack("l('a', '/etc')\nf('a/passwd', b'owned')");
    CHECK(error.find("\"a/passwd\"") != std::string::npos);
    CHECK(ReadText("/etc/passwd") == before);
  }
  SECTION("a chain a -> b, b -> the sentinel, then a/x") {
    std::string error = t.Unpack("l('a', 'b')\nl('b', " + Py(t.outside) + ")\nf('a/x')");
    CHECK(error.find("\"a/x\"") != std::string::npos);
  }
  SECTION("a relative symlink out, a -> ../../outside, then a/x") {
    std::string error = t.Unpack("l('a', '../../outside')\nf('a/x')");
    CHECK(error.find("\"a/x\"") != std::string::npos);
  }
  SECTION("a symlink over the host file's path, then a file of the same name") {
    // The second entry replaces the symlink itself; it never writes to where it points.
    std::string error = t.Unpack("l('h', " + Py(t.host_file) + ")\nf('h', b'replaced')");
    CHECK(error.empty());
    CHECK(ReadText(t.dest + "/h") == "replaced");
  }
  SECTION("a directory entry through a symlink") {
    std::string error = t.Unpack("l('a', " + Py(t.outside) + ")\nd('a/sub')");
    CHECK(error.find("\"a/sub/\"") != std::string::npos);
    CHECK(error.find("symlink") != std::string::npos);
  }
  SECTION("a whiteout through a symlink") {
    PutFile(t.outside + "/../keep", "kept");
    std::string error = t.Unpack("l('a', " + Py(t.outside + "/..") + ")\nf('a/.wh.keep', b'')");
    CHECK(error.find("\"a/.wh.keep\"") != std::string::npos);
    CHECK(ReadText(t.outside + "/../keep") == "kept");
  }
  SECTION("symlinks themselves are kept as stored") {
    std::string error = t.Unpack("l('abs', '/etc/passwd')\nl('rel', '../../..')");
    CHECK(error.empty());
    CHECK(fs::read_symlink(t.dest + "/abs") == "/etc/passwd");
    CHECK(fs::read_symlink(t.dest + "/rel") == "../../..");
  }
  t.CheckNothingEscaped();
}

TEST_CASE("hard links must point at a file the layer extracted earlier", "[layers]") {
  HostileCase t;
  SECTION("to ../../etc/passwd") {
    std::string error = t.Unpack("h('pw', '../../etc/passwd')");
    CHECK(error.find("\"pw\"") != std::string::npos);
    CHECK(error.find("../../etc/passwd") != std::string::npos);
  }
  SECTION("to an absolute path") {
    std::string error = t.Unpack("h('pw', " + Py(t.host_file) + ")");
    CHECK(error.find("\"pw\"") != std::string::npos);
  }
  SECTION("to a file not extracted (yet)") {
    std::string error = t.Unpack("h('early', 'later')\nf('later')");
    CHECK(error.find("\"early\"") != std::string::npos);
    CHECK(error.find("earlier") != std::string::npos);
  }
  SECTION("through a symlinked parent") {
    std::string error = t.Unpack("f('real')\nl('a', " + Py(t.outside) + ")\nh('a/x', 'real')");
    CHECK(error.find("\"a/x\"") != std::string::npos);
  }
  SECTION("to a symlink the layer made") {
    std::string error = t.Unpack("l('s', " + Py(t.host_file) + ")\nh('t', 's')");
    CHECK(error.find("\"t\"") != std::string::npos);
  }
  SECTION("a valid pair works") {
    std::string error = t.Unpack("f('one', b'data')\nh('two', 'one')");
    CHECK(error.empty());
    struct stat one, two;
    REQUIRE(lstat((t.dest + "/one").c_str(), &one) == 0);
    REQUIRE(lstat((t.dest + "/two").c_str(), &two) == 0);
    CHECK(one.st_ino == two.st_ino);
  }
  CHECK(ReadText(t.host_file) == "original");
  t.CheckNothingEscaped();
}

TEST_CASE("device nodes in a layer are refused unless allowed", "[layers]") {
  HostileCase t;
  SECTION("refused by default") {
    std::string error = t.Unpack("c('dev/mem')");
    CHECK(error.find("\"dev/mem\"") != std::string::npos);
    CHECK(error.find("device") != std::string::npos);
    CHECK(!fs::exists(t.dest + "/dev/mem"));
  }
  SECTION("kept when the caller allows them") {
    LayerLimits limits;
    limits.allow_devices = true;
    CHECK(t.Unpack("c('dev/null2')", limits).empty());
    struct stat st;
    REQUIRE(lstat((t.dest + "/dev/null2").c_str(), &st) == 0);
    CHECK(S_ISCHR(st.st_mode));
  }
  t.CheckNothingEscaped();
}

TEST_CASE("layer limits stop a layer before it fills the disk", "[layers]") {
  HostileCase t;
  LayerLimits limits;
  limits.max_file_size = 1000;
  limits.max_total_size = 2500;
  limits.max_entries = 10;
  SECTION("a file bigger than max_file_size") {
    std::string error = t.Unpack("f('small', b'x' * 10)\nf('huge', b'x' * 1001)", limits);
    CHECK(error.find("\"huge\"") != std::string::npos);
    CHECK(!fs::exists(t.dest + "/huge"));
  }
  SECTION("more bytes than max_total_size") {
    std::string error = t.Unpack("for i in range(5): f('part%d' % i, b'x' * 900)", limits);
    CHECK(error.find("\"part2\"") != std::string::npos);
  }
  SECTION("more entries than max_entries") {
    std::string error = t.Unpack("for i in range(11): f('n%02d' % i)", limits);
    CHECK(error.find("\"n10\"") != std::string::npos);
    CHECK(error.find("10 entries") != std::string::npos);
  }
  SECTION("exactly at the limits is fine") {
    CHECK(t.Unpack("f('a', b'x' * 1000)\nf('b', b'x' * 1000)\nfor i in range(8): f('n%d' % i)",
                   limits)
              .empty());
  }
  t.CheckNothingEscaped();
}

TEST_CASE("broken blobs are errors, not crashes", "[layers]") {
  Scratch s;
  std::string dest = s.Make("dest");
  SECTION("a truncated gzip") {
    MakeTar(s.Path("full.tar.gz"), "f('a', b'x' * 100000)");
    std::string full = ReadText(s.Path("full.tar.gz"));
    PutFile(s.Path("cut.tar.gz"), full.substr(0, full.size() / 2));
    Result<LayerFacts> facts = UnpackLayer(s.Path("cut.tar.gz"), dest);
    REQUIRE(!facts.Ok());
    CHECK(!facts.Error().message.empty());
  }
  SECTION("not a tar") {
    PutFile(s.Path("junk"), std::string(2000, 'j'));
    CHECK(!UnpackLayer(s.Path("junk"), dest).Ok());
  }
  SECTION("zstd is named") {
    PutFile(s.Path("z"), std::string("\x28\xb5\x2f\xfd", 4) + "rest");
    Result<LayerFacts> facts = UnpackLayer(s.Path("z"), dest);
    REQUIRE(!facts.Ok());
    CHECK(facts.Error().message.find("zstd") != std::string::npos);
  }
  SECTION("a missing blob") {
    Result<LayerFacts> facts = UnpackLayer(s.Path("missing.tar.gz"), dest);
    REQUIRE(!facts.Ok());
    CHECK(facts.Error().message.find("missing.tar.gz") != std::string::npos);
  }
}

TEST_CASE("a rootfs tar with ./ names unpacks like one without", "[layers]") {
  HostileCase t;
  CHECK(
      t.Unpack("d('.')\nd('./etc')\nf('./etc/hostname', b'box')\nf('./etc/.wh.old', b'')").empty());
  CHECK(ReadText(t.dest + "/etc/hostname") == "box");
  struct stat st;
  REQUIRE(lstat((t.dest + "/etc/old").c_str(), &st) == 0);
  CHECK(S_ISCHR(st.st_mode));
  CHECK(st.st_rdev == 0);
  t.CheckNothingEscaped();
}

}  // namespace
}  // namespace dockit::runtime

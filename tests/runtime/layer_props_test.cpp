// Properties over random small trees: any tree of files, directories, symlinks, whiteouts and
// opaque directories comes back identical from WriteLayer then UnpackLayer, and FlattenLayers of
// [lower, upper] shows what a simple model of overlayfs says it should.
#include <archive.h>
#include <archive_entry.h>
#include <rapidcheck.h>
#include <rapidcheck/catch.h>

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "runtime/layer_archive.hpp"
#include "tests/runtime/layer_test_support.hpp"

namespace dockit::runtime {
namespace {

using namespace testing;

const std::vector<std::string> kNames = {"a", "b", "c", "d.txt", ".hidden", "a-b"};
const std::vector<std::string> kTargets = {"a", "../b", "/etc/passwd", "c/d.txt", "."};
const std::vector<mode_t> kFileModes = {0644, 0755, 0600, 04755, 0444};
const std::vector<mode_t> kDirModes = {0755, 0700, 0555, 01777};

// Fills `dir` with a random tree; with `overlay`, whiteouts and opaque directories too.
void RandomTree(const fs::path& dir, int depth, bool overlay) {
  int count = *rc::gen::inRange(0, 4);
  std::vector<std::string> used;
  for (int i = 0; i < count; ++i) {
    std::string name = *rc::gen::elementOf(kNames);
    if (std::find(used.begin(), used.end(), name) != used.end()) continue;
    used.push_back(name);
    const fs::path path = dir / name;
    int kind = *rc::gen::inRange(0, overlay ? 4 : 3);
    if (kind == 1 && depth >= 3) kind = 0;
    switch (kind) {
      case 0: {
        std::string text = *rc::gen::container<std::string>(rc::gen::inRange('a', 'e'));
        PutFile(path, text, *rc::gen::elementOf(kFileModes));
        REQUIRE(lchown(path.c_str(), *rc::gen::inRange(0, 3), *rc::gen::inRange(0, 3)) == 0);
        REQUIRE(chmod(path.c_str(), *rc::gen::elementOf(kFileModes)) == 0);
        break;
      }
      case 1: {
        PutDir(path);
        if (overlay && *rc::gen::inRange(0, 3) == 0) MarkOpaque(path);
        RandomTree(path, depth + 1, overlay);
        REQUIRE(chmod(path.c_str(), *rc::gen::elementOf(kDirModes)) == 0);
        break;
      }
      case 2:
        PutSymlink(path, *rc::gen::elementOf(kTargets));
        break;
      default:
        PutWhiteout(path);
        break;
    }
  }
}

TEST_CASE("random trees round trip through a layer", "[layers]") {
  rc::prop("write then unpack gives the same tree and the same facts", [] {
    Scratch s;
    std::string src = s.Make("src");
    RandomTree(src, 0, true);
    Result<LayerFacts> written = WriteLayer(src, s.Path("layer.tar.gz"));
    RC_ASSERT(written.Ok());
    std::string dest = s.Make("dest");
    Result<LayerFacts> unpacked = UnpackLayer(s.Path("layer.tar.gz"), dest);
    RC_ASSERT(unpacked.Ok());
    RC_ASSERT(Describe(dest) == Describe(src));
    RC_ASSERT(unpacked->diff_id == written->diff_id);
    RC_ASSERT(unpacked->size == written->size);
    RC_ASSERT(unpacked->changes.size() == written->changes.size());
    for (size_t i = 0; i < written->changes.size(); ++i) {
      RC_ASSERT(unpacked->changes[i].path == written->changes[i].path);
      RC_ASSERT(unpacked->changes[i].kind == written->changes[i].kind);
      RC_ASSERT(unpacked->changes[i].digest == written->changes[i].digest);
    }
  });
}

// overlayfs over descriptions: a whiteout deletes what is below, an opaque directory hides
// what is below it, a directory over a directory merges, anything else replaces.
std::map<std::string, std::string> Overlay(std::map<std::string, std::string> lower,
                                           const std::map<std::string, std::string>& upper) {
  auto erase_below = [&](const std::string& path, bool and_itself) {
    for (auto it = lower.begin(); it != lower.end();) {
      bool below = it->first.size() > path.size() && it->first.starts_with(path + "/");
      it = below || (and_itself && it->first == path) ? lower.erase(it) : std::next(it);
    }
  };
  auto is_dir = [](const std::string& line) {
    return line.starts_with("dir ") || line.starts_with("opaque-dir ");
  };
  for (const auto& [path, line] : upper) {
    if (line == "whiteout") {
      erase_below(path, true);
    } else if (line.starts_with("opaque-dir ")) {
      erase_below(path, true);
      lower[path] = line.substr(std::string("opaque-").size());  // the marker is not copied
    } else if (is_dir(line) && lower.count(path) && is_dir(lower[path])) {
      lower[path] = line;
    } else {
      erase_below(path, true);
      lower[path] = line;
    }
  }
  return lower;
}

TEST_CASE("flattening random layers matches a model of overlayfs", "[layers]") {
  rc::prop("FlattenLayers([lower, upper]) == Overlay(lower, upper)", [] {
    Scratch s;
    std::string lower = s.Make("lower");
    std::string upper = s.Make("upper");
    RandomTree(lower, 0, false);
    RandomTree(upper, 0, true);
    // The upper goes through a blob, as an image's layers do.
    RC_ASSERT(WriteLayer(upper, s.Path("upper.tar.gz")).Ok());
    std::string unpacked = s.Make("unpacked");
    RC_ASSERT(UnpackLayer(s.Path("upper.tar.gz"), unpacked).Ok());
    std::string flat = s.Make("flat");
    Status flattened = FlattenLayers({lower, unpacked}, flat);
    RC_ASSERT(flattened.Ok());
    RC_ASSERT(Describe(flat, false) == Overlay(Describe(lower, false), Describe(upper, false)));
  });
}

TEST_CASE("flattening applies whiteouts and opaque directories", "[layers]") {
  Scratch s;
  std::string lower = s.Make("lower");
  PutFile(lower + "/etc/a", "a");
  PutFile(lower + "/etc/b", "b");
  PutFile(lower + "/var/cache/old", "old");
  PutSymlink(lower + "/link", "etc/a");
  std::string upper = s.Make("upper");
  PutWhiteout(upper + "/etc/a");
  PutDir(upper + "/var/cache", 0700);
  MarkOpaque(upper + "/var/cache");
  PutFile(upper + "/var/cache/new", "new");
  PutFile(upper + "/link", "now a file", 0600);
  PutFile(upper + "/bin/one", "linked", 0755);
  REQUIRE(link((upper + "/bin/one").c_str(), (upper + "/bin/two").c_str()) == 0);
  std::string flat = s.Make("flat");
  REQUIRE(FlattenLayers({lower, upper}, flat).Ok());
  struct stat one, two;
  REQUIRE(lstat((flat + "/bin/one").c_str(), &one) == 0);
  REQUIRE(lstat((flat + "/bin/two").c_str(), &two) == 0);
  CHECK(one.st_ino == two.st_ino);
  CHECK((one.st_mode & 07777) == 0755);
  CHECK(!fs::exists(flat + "/etc/a"));
  CHECK(ReadText(flat + "/etc/b") == "b");
  CHECK(!fs::exists(flat + "/var/cache/old"));
  CHECK(ReadText(flat + "/var/cache/new") == "new");
  CHECK((fs::status(flat + "/var/cache").permissions() & fs::perms::all) == fs::perms::owner_all);
  CHECK(fs::is_regular_file(fs::symlink_status(flat + "/link")));
  CHECK(ReadText(flat + "/link") == "now a file");
}

// One entry of a tar written straight with libarchive, which stores any name it is given.
struct RawEntry {
  char type;  // 'f' file, 'd' directory, 'l' symlink, 'h' hard link
  std::string name;
  std::string target;
};

void WriteRawTar(const std::string& path, const std::vector<RawEntry>& entries) {
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  REQUIRE(archive_write_open_filename(a, path.c_str()) == ARCHIVE_OK);
  for (const RawEntry& r : entries) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, r.name.c_str());
    archive_entry_set_perm(e, 0755);
    archive_entry_set_filetype(e, r.type == 'd' ? AE_IFDIR : r.type == 'l' ? AE_IFLNK : AE_IFREG);
    if (r.type == 'l') archive_entry_set_symlink(e, r.target.c_str());
    if (r.type == 'h') archive_entry_set_hardlink(e, r.target.c_str());
    archive_entry_set_size(e, r.type == 'f' ? 2 : 0);
    archive_write_header(a, e);
    if (r.type == 'f') archive_write_data(a, "hi", 2);
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
}

TEST_CASE("random hostile layers never touch anything outside the destination", "[layers]") {
  rc::prop("nothing outside dest changes, whatever the entries", [] {
    Scratch s;
    std::string dest = s.Make("root/dest");
    std::string outside = s.Make("outside");
    PutFile(s.Path("host.txt"), "original");
    // ".." rarely, so that most layers get past the name check to the symlink games.
    const auto part = rc::gen::weightedElement<std::string>(
        {{4, "a"}, {4, "b"}, {3, "x"}, {1, ".."}, {1, "."}, {1, ""}});
    const std::vector<std::string> targets = {"/", "..", "../..", "../../..", outside,
                                              "a", "b",  "b/..",  "/etc",     "x/../.."};
    auto name = [&] {
      std::string n = *rc::gen::weightedElement<std::string>({{8, ""}, {1, "/"}, {2, "./"}});
      int count = *rc::gen::inRange(1, 4);
      for (int i = 0; i < count; ++i) n += (i ? "/" : "") + *part;
      return n;
    };
    std::vector<RawEntry> entries;
    int count = *rc::gen::inRange(1, 9);
    for (int i = 0; i < count; ++i) {
      RawEntry r;
      r.type = *rc::gen::element('f', 'd', 'l', 'h');
      r.name = name();
      if (r.type == 'l') r.target = *rc::gen::elementOf(targets);
      if (r.type == 'h')
        r.target = *rc::gen::oneOf(rc::gen::just(name()), rc::gen::elementOf(targets));
      entries.push_back(r);
    }
    WriteRawTar(s.Path("blob.tar"), entries);
    Result<LayerFacts> facts = UnpackLayer(s.Path("blob.tar"), dest);
    RC_TAG(facts.Ok() ? "unpacked" : "refused");
    std::set<std::string> top;
    for (const auto& e : fs::directory_iterator(s.dir)) top.insert(e.path().filename().string());
    const std::set<std::string> expected_top = {"root", "outside", "host.txt", "blob.tar"};
    RC_ASSERT(top == expected_top);
    std::set<std::string> in_root;
    for (const auto& e : fs::directory_iterator(s.Path("root"))) {
      in_root.insert(e.path().filename().string());
    }
    RC_ASSERT(in_root == std::set<std::string>({"dest"}));
    RC_ASSERT(fs::is_empty(outside));
    RC_ASSERT(ReadText(s.Path("host.txt")) == "original");
    RC_ASSERT(fs::is_directory(fs::symlink_status(dest)));
  });
}

}  // namespace
}  // namespace dockit::runtime

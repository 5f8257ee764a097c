// Images in and out of the store, validated by real tools: skopeo reads what `save` writes and
// converts it to a docker-archive that `load` takes back; umoci unpacks it to the same busybox.
// Hostile archives are refused and tag nothing.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "planner/digest.hpp"
#include "runtime/oci.hpp"
#include "runtime/store.hpp"
#include "tests/runtime/image_test_util.hpp"

namespace fs = std::filesystem;
using dockit::runtime::Store;
using dockit::testing::OpenStore;
using dockit::testing::ReadFile;
using dockit::testing::Run;
using dockit::testing::ScratchDir;
using dockit::testing::TarEntry;
using dockit::testing::WriteTar;

namespace {

std::vector<std::string> DiffIds(const dockit::runtime::StoredImage& image) {
  std::vector<std::string> out;
  for (const auto& l : image.layers) out.push_back(l.diff_id);
  return out;
}

// A docker-save archive of one image with the given layer tar; `diff_id` defaults to the tar's.
std::string DockerArchive(const std::string& dir, const std::string& layer_tar,
                          std::string diff_id = "") {
  std::string layer = ReadFile(layer_tar);
  if (diff_id.empty()) diff_id = dockit::plan::Sha256Of(layer);
  nlohmann::json config = {{"architecture", "amd64"},
                           {"os", "linux"},
                           {"config", nlohmann::json::object()},
                           {"rootfs", {{"type", "layers"}, {"diff_ids", {diff_id}}}}};
  nlohmann::json manifest = {
      {{"Config", "config.json"}, {"RepoTags", {"hostile:latest"}}, {"Layers", {"l/layer.tar"}}}};
  std::string path = dir + "/docker.tar";
  WriteTar(path, {{"manifest.json", manifest.dump()},
                  {"config.json", config.dump()},
                  {"l", "", 'd'},
                  {"l/layer.tar", layer}});
  return path;
}

}  // namespace

TEST_CASE("oci: import a busybox rootfs tar", "[oci]") {
  ScratchDir dir;
  Store store = OpenStore(dir.path());
  std::string tar = dockit::testing::BusyboxRootfsTar(dir.path(), /*gzip=*/true);
  auto image = dockit::runtime::ImportRootfs(store, tar, "busybox", 1736154000);
  REQUIRE(image.Ok());
  REQUIRE(image->layers.size() == 1);
  CHECK(ReadFile(store.LayerDir(image->layers[0].diff_id) + "/bin/busybox") ==
        ReadFile("/bin/busybox"));
  CHECK(fs::is_symlink(store.LayerDir(image->layers[0].diff_id) + "/bin/sh"));
  // The diff_id is the digest of the tar as given, and the gzip blob is kept as it came.
  CHECK(image->layers[0].blob_digest == dockit::plan::Sha256Of(ReadFile(tar)));
  auto loaded = dockit::runtime::LoadImage(store, "busybox:latest");
  REQUIRE(loaded.Ok());
  CHECK(loaded->config_digest == image->config_digest);
  CHECK(DiffIds(*loaded) == DiffIds(*image));
  REQUIRE(loaded->history.size() == 1);
  CHECK(loaded->history[0].created_by == "import");
  CHECK(loaded->history[0].size == image->layers[0].size);
  CHECK(image->layers[0].size >= fs::file_size("/bin/busybox"));
  // The same rootfs uncompressed has the same diff_id and reuses the layer.
  std::string plain = dockit::testing::BusyboxRootfsTar(dir.path(), /*gzip=*/false);
  auto again = dockit::runtime::ImportRootfs(store, plain, "busybox:plain", 1736154000);
  REQUIRE(again.Ok());
  CHECK(DiffIds(*again) == DiffIds(*image));
  CHECK_FALSE(dockit::runtime::ImportRootfs(store, dir.path() + "/missing.tar", "x", 1).Ok());
  CHECK_FALSE(dockit::runtime::ImportRootfs(store, tar, "Bad:Name", 1).Ok());
  CHECK(store.Check(false).Consistent());
}

TEST_CASE("oci: skopeo and umoci read what save writes; load takes skopeo's docker-archive",
          "[oci]") {
  if (!dockit::testing::HaveTool("skopeo")) {
    WARN("SKIPPED: skopeo is not installed (scripts/setup.sh installs it)");
    return;
  }
  ScratchDir dir;
  Store store = OpenStore(dir.path() + "/root");
  std::string tar = dockit::testing::BusyboxRootfsTar(dir.path());
  auto image = dockit::runtime::ImportRootfs(store, tar, "busybox:1.36", 1736154000);
  REQUIRE(image.Ok());
  std::string saved = dir.path() + "/saved.tar";
  REQUIRE(dockit::runtime::SaveArchive(store, {"busybox:1.36"}, saved).Ok());
  CHECK_FALSE(fs::exists(saved + ".tmp-" + std::to_string(::getpid())));

  std::string out;
  REQUIRE(Run("skopeo inspect oci-archive:" + saved, &out) == 0);
  auto inspected = nlohmann::json::parse(out);
  CHECK(inspected["Layers"] == nlohmann::json({image->layers[0].blob_digest}));
  CHECK(inspected["Os"] == "linux");
  CHECK(inspected["Architecture"] == "amd64");
  REQUIRE(Run("skopeo inspect --config oci-archive:" + saved, &out) == 0);
  CHECK(nlohmann::json::parse(out)["rootfs"]["diff_ids"] ==
        nlohmann::json({image->layers[0].diff_id}));
  // The tag is in the index's annotations (skopeo picks the image by it).
  REQUIRE(Run("skopeo inspect oci-archive:" + saved + ":1.36", &out) == 0);

  // Through skopeo's docker-archive and back into a second store.
  std::string docker = dir.path() + "/docker.tar";
  REQUIRE(Run("skopeo copy -q oci-archive:" + saved + " docker-archive:" + docker +
                  ":copied/busybox:v1",
              &out) == 0);
  Store second = OpenStore(dir.path() + "/second");
  auto loaded = dockit::runtime::LoadArchive(second, docker);
  INFO((loaded.Ok() ? "" : loaded.Error().message));
  REQUIRE(loaded.Ok());
  CHECK(*loaded == std::vector<std::string>{"copied/busybox:v1"});
  auto copy = dockit::runtime::LoadImage(second, "copied/busybox:v1");
  REQUIRE(copy.Ok());
  CHECK(DiffIds(*copy) == DiffIds(*image));
  CHECK(ReadFile(second.LayerDir(copy->layers[0].diff_id) + "/bin/busybox") ==
        ReadFile("/bin/busybox"));
  CHECK(second.Check(false).Consistent());

  // Our own OCI archive loads too, under the name it was saved with.
  Store third = OpenStore(dir.path() + "/third");
  auto ours = dockit::runtime::LoadArchive(third, saved);
  REQUIRE(ours.Ok());
  CHECK(*ours == std::vector<std::string>{"busybox:1.36"});
  CHECK(dockit::runtime::LoadImage(third, "busybox:1.36")->config_digest == image->config_digest);

  if (!dockit::testing::HaveTool("umoci")) {
    WARN("SKIPPED: umoci is not installed (scripts/setup.sh installs it)");
    return;
  }
  std::string layout = dir.path() + "/layout";
  REQUIRE(Run("skopeo copy -q oci-archive:" + saved + " oci:" + layout + ":bb", &out) == 0);
  INFO(out);
  REQUIRE(Run("umoci unpack --image " + layout + ":bb " + dir.path() + "/bundle", &out) == 0);
  CHECK(ReadFile(dir.path() + "/bundle/rootfs/bin/busybox") == ReadFile("/bin/busybox"));
  CHECK(fs::read_symlink(dir.path() + "/bundle/rootfs/bin/sh") == "busybox");
}

TEST_CASE("oci: hostile archives are refused and tag nothing", "[oci]") {
  ScratchDir dir;
  Store store = OpenStore(dir.path() + "/root");
  SECTION("a layer with a ../ entry") {
    WriteTar(dir.path() + "/evil.tar", {{"../escaped", "x"}});
    auto loaded =
        dockit::runtime::LoadArchive(store, DockerArchive(dir.path(), dir.path() + "/evil.tar"));
    REQUIRE_FALSE(loaded.Ok());
    CHECK(loaded.Error().message.find("escaped") != std::string::npos);
    CHECK_FALSE(fs::exists(dir.path() + "/root/escaped"));
    CHECK_FALSE(fs::exists(dir.path() + "/escaped"));
  }
  SECTION("a layer whose diff_id does not match the config") {
    WriteTar(dir.path() + "/ok.tar", {{"file", "x"}});
    auto loaded = dockit::runtime::LoadArchive(
        store, DockerArchive(dir.path(), dir.path() + "/ok.tar", "sha256:" + std::string(64, 'b')));
    REQUIRE_FALSE(loaded.Ok());
    CHECK(loaded.Error().message.find("l/layer.tar") != std::string::npos);
    CHECK(loaded.Error().message.find("diff_id") != std::string::npos);
  }
  SECTION("an archive entry that escapes") {
    WriteTar(dir.path() + "/outer.tar", {{"../manifest.json", "[]"}});
    CHECK_FALSE(dockit::runtime::LoadArchive(store, dir.path() + "/outer.tar").Ok());
  }
  SECTION("a manifest naming a file outside the archive") {
    WriteTar(
        dir.path() + "/outer.tar",
        {{"manifest.json", R"([{"Config":"../../etc/passwd","RepoTags":["x:y"],"Layers":[]}])"}});
    auto loaded = dockit::runtime::LoadArchive(store, dir.path() + "/outer.tar");
    REQUIRE_FALSE(loaded.Ok());
  }
  SECTION("a symlinked layer path pointing out") {
    WriteTar(dir.path() + "/outer.tar",
             {{"manifest.json", R"([{"Config":"c.json","RepoTags":["x:y"],"Layers":["l.tar"]}])"},
              {"c.json", R"({"rootfs":{"type":"layers","diff_ids":[]}})"},
              {"l.tar", "/etc/passwd", 'l'}});
    CHECK_FALSE(dockit::runtime::LoadArchive(store, dir.path() + "/outer.tar").Ok());
  }
  auto images = store.Images();
  REQUIRE(images.Ok());
  CHECK(images->empty());
  CHECK(store.Check(false).Consistent());
}

TEST_CASE("oci: legacy docker save archives with shared layers and gzip'd archives load", "[oci]") {
  ScratchDir dir;
  Store store = OpenStore(dir.path() + "/root");
  WriteTar(dir.path() + "/base.tar", {{"etc", "", 'd'}, {"etc/os-release", "ID=test\n"}});
  WriteTar(dir.path() + "/top.tar", {{"app", "", 'd'}, {"app/main", "run"}});
  std::string base = ReadFile(dir.path() + "/base.tar");
  std::string top = ReadFile(dir.path() + "/top.tar");
  auto config = [&](const std::vector<std::string>& diff_ids, const std::string& cmd) {
    return nlohmann::json{{"architecture", "amd64"},
                          {"os", "linux"},
                          {"created", "2024-05-01T12:00:00.123456789Z"},
                          {"config", {{"Cmd", {cmd}}, {"Env", {"PATH=/bin"}}}},
                          {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}}}
        .dump();
  };
  std::string base_id = dockit::plan::Sha256Of(base);
  std::string top_id = dockit::plan::Sha256Of(top);
  // Two images share the base layer; the second names it through a symlink, as docker's
  // legacy format does for a layer it already wrote.
  nlohmann::json manifest = {
      {{"Config", "one.json"}, {"RepoTags", {"one:1"}}, {"Layers", {"a/layer.tar"}}},
      {{"Config", "two.json"},
       {"RepoTags", {"docker.io/library/two:2", "two:latest"}},
       {"Layers", {"b/layer.tar", "c/layer.tar"}}}};
  std::string archive = dir.path() + "/legacy.tar.gz";
  WriteTar(archive,
           {{"manifest.json", manifest.dump()},
            {"one.json", config({base_id}, "one")},
            {"two.json", config({base_id, top_id}, "two")},
            {"a", "", 'd'},
            {"a/layer.tar", base},
            {"b", "", 'd'},
            {"b/layer.tar", "../a/layer.tar", 'l'},
            {"c", "", 'd'},
            {"c/layer.tar", top}},
           /*gzip=*/true);
  auto loaded = dockit::runtime::LoadArchive(store, archive);
  INFO((loaded.Ok() ? "" : loaded.Error().message));
  REQUIRE(loaded.Ok());
  CHECK(*loaded == std::vector<std::string>{"one:1", "two:2", "two:latest"});
  auto two = dockit::runtime::LoadImage(store, "two");
  REQUIRE(two.Ok());
  CHECK(DiffIds(*two) == std::vector<std::string>{base_id, top_id});
  CHECK(two->config.cmd == std::vector<std::string>{"two"});
  CHECK(two->created == 1714564800);
  // The config is kept byte for byte: the image ID is the one docker gave it.
  CHECK(two->config_digest == dockit::plan::Sha256Of(config({base_id, top_id}, "two")));
  CHECK(ReadFile(store.LayerDir(top_id) + "/app/main") == "run");
  CHECK(store.Check(false).Consistent());
  // Saved again, the images keep their IDs.
  std::string saved = dir.path() + "/saved.tar";
  REQUIRE(dockit::runtime::SaveArchive(store, {"one:1", "two"}, saved).Ok());
  Store other = OpenStore(dir.path() + "/other");
  auto back = dockit::runtime::LoadArchive(other, saved);
  REQUIRE(back.Ok());
  CHECK(*back == std::vector<std::string>{"one:1", "two:latest"});
  CHECK(dockit::runtime::LoadImage(other, "two")->config_digest == two->config_digest);
}

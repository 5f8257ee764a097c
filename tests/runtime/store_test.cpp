// The store on real files: layout, atomic and concurrent puts, references, GC, Check, and
// SIGKILL at random points of an import.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "planner/build_record.hpp"
#include "planner/digest.hpp"
#include "runtime/image_ref.hpp"
#include "runtime/oci.hpp"
#include "runtime/store.hpp"
#include "tests/runtime/image_test_util.hpp"

namespace fs = std::filesystem;
using dockit::runtime::Store;
using dockit::testing::OpenStore;
using dockit::testing::ScratchDir;
using dockit::testing::TarEntry;
using dockit::testing::WriteTar;

namespace {

// The record's format version, read from what an empty record saves.
int RecordVersion() { return dockit::plan::BuildRecord{}.ToJson().at("version").get<int>(); }

bool TmpEmpty(const Store& store) { return fs::is_empty(store.Dir() + "/tmp"); }

// A one-layer image whose layer holds `files`, tagged `reference`.
dockit::runtime::StoredImage MakeImage(const Store& store, const std::string& dir,
                                       const std::string& reference,
                                       const std::vector<TarEntry>& files) {
  std::string tar = dir + "/" + std::to_string(std::hash<std::string>{}(reference)) + ".tar";
  WriteTar(tar, files);
  auto image = dockit::runtime::ImportRootfs(store, tar, reference, 1700000000);
  INFO((image.Ok() ? "" : image.Error().message));
  REQUIRE(image.Ok());
  return *image;
}

}  // namespace

TEST_CASE("store: Open creates the layout and blobs are content-addressed", "[store]") {
  ScratchDir dir;
  Store store = OpenStore(dir.path());
  CHECK(store.Dir() == dir.path() + "/runtime");
  for (const char* sub : {"/blobs/sha256", "/layers", "/tmp"})
    CHECK(fs::is_directory(store.Dir() + sub));
  auto digest = store.PutBlob("hello");
  REQUIRE(digest.Ok());
  CHECK(*digest == dockit::plan::Sha256Of("hello"));
  CHECK(store.HasBlob(*digest));
  CHECK(store.BlobPath(*digest) == store.Dir() + "/blobs/sha256/" + digest->substr(7));
  CHECK(*store.ReadBlob(*digest) == "hello");
  // The same content again is the same blob; nothing is left in tmp/.
  CHECK(*store.PutBlob("hello") == *digest);
  CHECK(TmpEmpty(store));
  CHECK_FALSE(store.HasBlob("sha256:" + std::string(64, '0')));
  CHECK_FALSE(store.ReadBlob("sha256:" + std::string(64, '0')).Ok());
  // PutBlobFile moves a finished temporary file into place.
  auto temp = store.TempDir("test");
  REQUIRE(temp.Ok());
  std::string path = *temp + "/x";
  { std::ofstream(path) << "world"; }
  auto put = store.PutBlobFile(path);
  REQUIRE(put.Ok());
  CHECK(*put == dockit::plan::Sha256Of("world"));
  CHECK_FALSE(fs::exists(path));
  // The empty temp dir is still there: debris, which leaves the store consistent.
  CHECK(store.Check(false).Consistent());
  CHECK(store.Check(false).debris.size() == 1);
  auto report = store.Check(true);
  CHECK(report.Consistent());
  CHECK(report.removed.size() == 1);
}

TEST_CASE("store: two processes putting the same blobs at once", "[store]") {
  ScratchDir dir;
  Store store = OpenStore(dir.path());
  std::string big(1 << 20, 'x');
  for (size_t i = 0; i < big.size(); i += 4096) big[i] = static_cast<char>('a' + i % 26);
  std::vector<pid_t> children;
  for (int c = 0; c < 2; ++c) {
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      auto child = Store::Open(dir.path());
      bool ok = child.Ok();
      auto lock = child->LockShared();
      for (int i = 0; ok && i < 30; ++i) {
        ok = child->PutBlob(big).Ok() && child->PutBlob("small " + std::to_string(i % 5)).Ok();
      }
      ::_exit(ok ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  }
  CHECK(*store.ReadBlob(dockit::plan::Sha256Of(big)) == big);
  size_t blobs = 0;
  for (auto& e : fs::directory_iterator(store.Dir() + "/blobs/sha256"))
    blobs += e.is_regular_file();
  CHECK(blobs == 6);
  CHECK(store.Check(false).Consistent());
}

TEST_CASE("store: references normalise as docker's", "[store]") {
  using dockit::runtime::NormalizeReference;
  CHECK(*NormalizeReference("busybox") == "busybox:latest");
  CHECK(*NormalizeReference("busybox:1.36") == "busybox:1.36");
  CHECK(*NormalizeReference("docker.io/library/busybox") == "busybox:latest");
  CHECK(*NormalizeReference("docker.io/me/app:v1") == "me/app:v1");
  CHECK(*NormalizeReference("localhost:5000/a/b") == "localhost:5000/a/b:latest");
  CHECK(*NormalizeReference("localhost:5000/a/b:t") == "localhost:5000/a/b:t");
  CHECK(*NormalizeReference("ghcr.io/o/r:1.0") == "ghcr.io/o/r:1.0");
  CHECK_FALSE(NormalizeReference("BusyBox").Ok());
  CHECK_FALSE(NormalizeReference("a:b:c").Ok());
  CHECK_FALSE(NormalizeReference("").Ok());
  CHECK_FALSE(NormalizeReference("x@sha256:00").Ok());
  CHECK(dockit::runtime::FullReference("busybox:latest") == "docker.io/library/busybox:latest");
  CHECK(dockit::runtime::FullReference("me/app:v1") == "docker.io/me/app:v1");
  CHECK(dockit::runtime::FullReference("localhost:5000/a:t") == "localhost:5000/a:t");
}

TEST_CASE("store: Tag, Resolve and Untag by name, digest and ID prefix", "[store]") {
  ScratchDir dir;
  Store store = OpenStore(dir.path());
  auto lock = store.LockShared();
  auto image = MakeImage(store, dir.path(), "busybox", {{"a", "1"}});
  CHECK(*store.Resolve("busybox") == image.manifest_digest);
  CHECK(*store.Resolve("busybox:latest") == image.manifest_digest);
  CHECK(*store.Resolve("docker.io/library/busybox:latest") == image.manifest_digest);
  CHECK(*store.Resolve(image.config_digest) == image.manifest_digest);
  CHECK(*store.Resolve(image.config_digest.substr(7, 4)) == image.manifest_digest);
  CHECK(*store.Resolve(image.config_digest.substr(7, 12)) == image.manifest_digest);
  CHECK(*store.Resolve("busybox@" + image.manifest_digest) == image.manifest_digest);
  CHECK_FALSE(store.Resolve(image.config_digest.substr(7, 3)).Ok());
  CHECK_FALSE(store.Resolve("alpine").Ok());
  REQUIRE(store.Tag("localhost:5000/me/bb:v1", image.manifest_digest).Ok());
  auto images = store.Images();
  REQUIRE(images.Ok());
  REQUIRE(images->size() == 2);
  CHECK((*images)[0].reference == "busybox:latest");
  CHECK((*images)[1].reference == "localhost:5000/me/bb:v1");
  CHECK_FALSE(store.Tag("Bad", image.manifest_digest).Ok());
  CHECK_FALSE(store.Tag("x", "sha256:" + std::string(64, 'a')).Ok());
  REQUIRE(store.Untag("busybox").Ok());
  CHECK_FALSE(store.Resolve("busybox").Ok());
  CHECK_FALSE(store.Untag("busybox").Ok());
  CHECK(*store.Resolve("localhost:5000/me/bb:v1") == image.manifest_digest);
}

TEST_CASE("store: garbage collection removes only what nothing references", "[store]") {
  ScratchDir dir;
  Store store = OpenStore(dir.path());
  dockit::runtime::StoredImage a, b, cached;
  {
    auto lock = store.LockShared();
    a = MakeImage(store, dir.path(), "a", {{"only-a", "A"}});
    b = MakeImage(store, dir.path(), "b", {{"only-b", "B"}});
    cached = MakeImage(store, dir.path(), "cached", {{"cached", "C"}});
  }
  // The build record keeps the layer of "cached" alive after its name is gone, as BuildKit's
  // cache does (a record entry names the layer it made).
  auto record = dockit::plan::BuildRecord::FromJson(
      nlohmann::json::parse(R"({"version":)" + std::to_string(RecordVersion()) +
                            R"(,"entries":{"k":{"layer":")" + cached.layers[0].diff_id +
                            R"(","size":1,"created":1,"backend":"runtime"}},"last":{}})"),
      "test");
  REQUIRE(record.Ok());
  REQUIRE(store.UpdateRecord([&](dockit::plan::BuildRecord& r) { r = *record; }).Ok());
  REQUIRE(store.LoadRecord()->Size() == 1);
  REQUIRE(store.Untag("a").Ok());
  REQUIRE(store.Untag("cached").Ok());
  std::vector<std::string> removed;
  auto freed = store.CollectGarbage(&removed);
  REQUIRE(freed.Ok());
  CHECK(*freed > 0);
  CHECK_FALSE(store.HasLayer(a.layers[0].diff_id));
  CHECK_FALSE(store.HasBlob(a.layers[0].blob_digest));
  CHECK_FALSE(store.HasBlob(a.config_digest));
  CHECK_FALSE(store.HasBlob(a.manifest_digest));
  CHECK(std::find(removed.begin(), removed.end(), a.layers[0].diff_id) != removed.end());
  CHECK(store.HasLayer(b.layers[0].diff_id));
  CHECK(store.HasBlob(b.manifest_digest));
  CHECK(store.HasBlob(b.config_digest));
  CHECK(store.HasBlob(b.layers[0].blob_digest));
  CHECK(store.HasLayer(cached.layers[0].diff_id));
  CHECK(store.HasBlob(cached.layers[0].blob_digest));
  CHECK(dockit::runtime::LoadImage(store, "b").Ok());
  CHECK(store.Check(false).Consistent());
}

TEST_CASE("store: Check finds damage and repair removes only debris", "[store]") {
  ScratchDir dir;
  Store store = OpenStore(dir.path());
  dockit::runtime::StoredImage image;
  {
    auto lock = store.LockShared();
    image = MakeImage(store, dir.path(), "img", {{"f", "content"}});
  }
  CHECK(store.Check(false).Consistent());
  SECTION("a corrupted blob") {
    std::ofstream(store.BlobPath(image.layers[0].blob_digest), std::ios::app) << "junk";
    auto report = store.Check(true);
    CHECK_FALSE(report.Consistent());
    REQUIRE_FALSE(report.problems.empty());
    CHECK(report.problems[0].find(image.layers[0].blob_digest) != std::string::npos);
  }
  SECTION("a missing layer directory") {
    fs::remove_all(store.Dir() + "/layers/" + image.layers[0].diff_id.substr(7));
    auto report = store.Check(true);
    CHECK_FALSE(report.Consistent());
    REQUIRE(report.problems.size() == 1);
    CHECK(report.problems[0].find("not unpacked") != std::string::npos);
  }
  SECTION("a layer without fs/") {
    fs::remove_all(store.LayerDir(image.layers[0].diff_id));
    CHECK_FALSE(store.Check(false).Consistent());
  }
  SECTION("tmp debris and a half-written index") {
    fs::create_directories(store.Dir() + "/tmp/layer-abc/fs/bin");
    std::ofstream(store.Dir() + "/images.json.tmp-12345") << "{";
    auto report = store.Check(false);
    CHECK(report.Consistent());
    CHECK(report.debris.size() == 2);
    CHECK(report.removed.empty());
    report = store.Check(true);
    CHECK(report.Consistent());
    CHECK(report.removed.size() == 2);
    CHECK(TmpEmpty(store));
    CHECK(store.Check(false).Consistent());
  }
  SECTION("Open clears debris when nobody holds the lock") {
    fs::create_directories(store.Dir() + "/tmp/blob-xyz");
    OpenStore(dir.path());
    CHECK(TmpEmpty(store));
  }
  SECTION("Open leaves debris alone while a build holds the lock") {
    fs::create_directories(store.Dir() + "/tmp/blob-xyz");
    auto lock = store.LockShared();
    OpenStore(dir.path());
    CHECK_FALSE(TmpEmpty(store));
  }
}

TEST_CASE("store: an import killed at random points leaves a consistent store", "[store]") {
  ScratchDir dir;
  std::string tar = dockit::testing::BusyboxRootfsTar(dir.path());
  std::mt19937 random(42);
  int killed_midway = 0;
  for (int round = 0; round < 24; ++round) {
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      auto store = Store::Open(dir.path());
      bool ok = store.Ok() &&
                dockit::runtime::ImportRootfs(*store, tar, "bb:" + std::to_string(round), 1).Ok();
      ::_exit(ok ? 0 : 1);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(random() % 60000));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) ++killed_midway;
    Store store = OpenStore(dir.path());
    auto report = store.Check(true);
    INFO("round " << round);
    for (const std::string& p : report.problems) INFO(p);
    CHECK(report.Consistent());
    CHECK(TmpEmpty(store));
    // Between kills, collect garbage sometimes: a half-imported layer must not confuse it.
    if (round % 5 == 4) REQUIRE(store.CollectGarbage().Ok());
  }
  CHECK(killed_midway > 0);
  Store store = OpenStore(dir.path());
  auto image = dockit::runtime::ImportRootfs(store, tar, "bb:after", 1);
  REQUIRE(image.Ok());
  CHECK(fs::exists(store.LayerDir(image->layers[0].diff_id) + "/bin/busybox"));
  CHECK(store.Check(false).Consistent());
}

TEST_CASE("store: an upper directory becomes a layer snapshot, once", "[store]") {
  ScratchDir dir;
  Store store = OpenStore(dir.path());
  auto lock = store.LockShared();
  auto make_upper = [&]() {
    auto temp = store.TempDir("upper");
    REQUIRE(temp.Ok());
    fs::create_directories(*temp + "/app/bin");
    std::ofstream(*temp + "/app/bin/tool") << "#!/bin/sh\necho hi\n";
    fs::create_symlink("bin/tool", *temp + "/app/run");
    // Fixed times: the layer keeps mtimes, and both trees must be the same layer.
    REQUIRE(dockit::testing::Run("find " + *temp + " -exec touch -h -d @1000000 {} +") == 0);
    return *temp;
  };
  std::string upper = make_upper();
  auto layer = store.AddLayerFromUpper(upper);
  INFO((layer.Ok() ? "" : layer.Error().message));
  REQUIRE(layer.Ok());
  CHECK_FALSE(fs::exists(upper));
  CHECK(store.HasLayer(layer->diff_id));
  CHECK(store.HasBlob(layer->blob_digest));
  CHECK(layer->size == std::string("#!/bin/sh\necho hi\n").size() + std::string("bin/tool").size());
  CHECK(dockit::testing::ReadFile(store.LayerDir(layer->diff_id) + "/app/bin/tool") ==
        "#!/bin/sh\necho hi\n");
  CHECK(fs::is_symlink(store.LayerDir(layer->diff_id) + "/app/run"));
  // The same tree again gives the same diff_id and keeps the first snapshot.
  std::string again = make_upper();
  auto second = store.AddLayerFromUpper(again);
  REQUIRE(second.Ok());
  CHECK(second->diff_id == layer->diff_id);
  CHECK_FALSE(fs::exists(again));
  auto image = dockit::runtime::CommitImage(store, {layer->diff_id}, {},
                                            {{"COPY app /app", 5, 0, false}}, 5);
  REQUIRE(image.Ok());
  REQUIRE(store.Tag("app", image->manifest_digest).Ok());
  CHECK(dockit::runtime::LoadImage(store, "app")->history[0].size == layer->size);
  lock = dockit::runtime::StoreLock();
  CHECK(store.Check(false).Consistent());
  // A layer that is not stored cannot be committed.
  CHECK_FALSE(
      dockit::runtime::CommitImage(store, {"sha256:" + std::string(64, 'c')}, {}, {}, 1).Ok());
}

TEST_CASE("store: two processes importing the same rootfs at once share one layer", "[store]") {
  ScratchDir dir;
  std::string tar = dockit::testing::BusyboxRootfsTar(dir.path());
  OpenStore(dir.path());
  std::vector<pid_t> children;
  for (int c = 0; c < 2; ++c) {
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      auto store = Store::Open(dir.path());
      bool ok = store.Ok();
      for (int i = 0; ok && i < 3; ++i) {
        ok = dockit::runtime::ImportRootfs(*store, tar, "bb:" + std::to_string(c), 1).Ok();
      }
      ::_exit(ok ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  }
  Store store = OpenStore(dir.path());
  auto a = dockit::runtime::LoadImage(store, "bb:0");
  auto b = dockit::runtime::LoadImage(store, "bb:1");
  REQUIRE(a.Ok());
  REQUIRE(b.Ok());
  CHECK(a->layers[0].diff_id == b->layers[0].diff_id);
  size_t layers = 0;
  for (auto& e : fs::directory_iterator(store.Dir() + "/layers")) layers += e.is_directory();
  CHECK(layers == 1);
  CHECK(store.Check(false).Consistent());
}

TEST_CASE("store: import reads xz and bzip2 rootfs tars", "[store]") {
  ScratchDir dir;
  Store store = OpenStore(dir.path());
  std::string tar = dockit::testing::BusyboxRootfsTar(dir.path());
  auto plain = dockit::runtime::ImportRootfs(store, tar, "bb:plain", 1);
  REQUIRE(plain.Ok());
  for (std::string tool : {"xz", "bzip2"}) {
    if (!dockit::testing::HaveTool(tool)) {
      WARN("SKIPPED: " << tool << " is not installed");
      continue;
    }
    REQUIRE(dockit::testing::Run(tool + " -kf " + tar) == 0);
    std::string packed = tar + (tool == "xz" ? ".xz" : ".bz2");
    auto image = dockit::runtime::ImportRootfs(store, packed, "bb:" + tool, 1);
    INFO((image.Ok() ? "" : image.Error().message));
    REQUIRE(image.Ok());
    CHECK(image->layers[0].diff_id == plain->layers[0].diff_id);
  }
  CHECK(store.Check(false).Consistent());
}

TEST_CASE("store: a garbage collection killed at random points leaves a consistent store",
          "[store]") {
  ScratchDir dir;
  std::mt19937 random(7);
  for (int round = 0; round < 20; ++round) {
    Store store = OpenStore(dir.path());
    // A few images with layers of their own, then all their names go.
    for (int i = 0; i < 3; ++i) {
      MakeImage(store, dir.path(), "gc" + std::to_string(i),
                {{"f", std::to_string(round) + "/" + std::to_string(i)}});
      REQUIRE(store.Untag("gc" + std::to_string(i)).Ok());
    }
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      auto child = Store::Open(dir.path());
      ::_exit(child.Ok() && child->CollectGarbage().Ok() ? 0 : 1);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(random() % 3000));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    auto report = OpenStore(dir.path()).Check(true);
    INFO("round " << round);
    for (const std::string& p : report.problems) INFO(p);
    CHECK(report.Consistent());
  }
  Store store = OpenStore(dir.path());
  REQUIRE(store.CollectGarbage().Ok());
  CHECK(fs::is_empty(store.Dir() + "/layers"));
  CHECK(store.Check(false).Consistent());
}

TEST_CASE("store: garbage collection refuses to run over an unreadable image", "[store]") {
  ScratchDir dir;
  Store store = OpenStore(dir.path());
  auto image = MakeImage(store, dir.path(), "keep", {{"k", "1"}});
  MakeImage(store, dir.path(), "gone", {{"g", "2"}});
  REQUIRE(store.Untag("gone").Ok());
  std::ofstream(store.BlobPath(image.config_digest), std::ios::trunc) << "{";
  auto freed = store.CollectGarbage();
  REQUIRE_FALSE(freed.Ok());
  CHECK(freed.Error().message.find("keep:latest") != std::string::npos);
  CHECK(store.HasLayer(image.layers[0].diff_id));
}

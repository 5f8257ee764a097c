// The digest cache never hands out a stale digest: any change of device, inode, size, mtime or
// ctime makes it hash the file again.
#include "planner/digest_cache.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "planner/digest.hpp"

namespace dockit::plan {
namespace {

namespace fs = std::filesystem;

struct Scratch {
  fs::path dir = fs::temp_directory_path() / ("dockit-digest-" + std::to_string(getpid()));
  Scratch() {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Scratch() { fs::remove_all(dir); }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir / name, std::ios::binary | std::ios::trunc) << text;
    return (dir / name).string();
  }
};

struct stat Lstat(const std::string& path) {
  struct stat st;
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st;
}

std::string Digest(DigestCache& cache, const std::string& path) {
  std::string error;
  auto d = cache.Digest("f", path, StatKey::Of(Lstat(path)), &error);
  REQUIRE(d);
  return *d;
}

TEST_CASE("sha256 digests", "[planner][digest]") {
  CHECK(Sha256Of("hello\n") ==
        "sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
  CHECK(Sha256().Field("ab").Field("c").Finish() != Sha256().Field("a").Field("bc").Finish());
}

TEST_CASE("a cached digest is reused only while the stat key is unchanged", "[planner][digest]") {
  Scratch s;
  DigestCache cache(/*racy_window_ns=*/0);
  std::string path = s.Write("f", "hello\n");
  CHECK(Digest(cache, path) == Sha256Of("hello\n"));
  CHECK(Digest(cache, path) == Sha256Of("hello\n"));
  CHECK(cache.Hits() == 1);

  // Same size, and the old mtime put back: only ctime (and the content) tell.
  struct stat before = Lstat(path);
  s.Write("f", "HELLO\n");
  struct timespec times[2] = {before.st_atim, before.st_mtim};
  REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW) == 0);
  CHECK(Lstat(path).st_mtim.tv_nsec == before.st_mtim.tv_nsec);
  CHECK(Digest(cache, path) == Sha256Of("HELLO\n"));

  // Another file renamed over it: a new inode.
  std::string other = s.Write("g", "hello\n");
  REQUIRE(std::rename(other.c_str(), path.c_str()) == 0);
  CHECK(Digest(cache, path) == Sha256Of("hello\n"));
  CHECK(cache.Hits() == 1);
  CHECK(cache.Misses() == 3);
}

TEST_CASE("digests of files changed within the racy window are not kept", "[planner][digest]") {
  Scratch s;
  DigestCache cache;  // one second
  std::string path = s.Write("f", "new\n");
  CHECK(Digest(cache, path) == Sha256Of("new\n"));
  CHECK(cache.Size() == 0);
  CHECK(Digest(cache, path) == Sha256Of("new\n"));
  CHECK(cache.Hits() == 0);
}

TEST_CASE("the cache file survives a round trip and a damaged one is dropped",
          "[planner][digest]") {
  Scratch s;
  DigestCache cache(0);
  std::string path = s.Write("f", "hello\n");
  Digest(cache, path);
  std::string file = (s.dir / "digests.json").string();
  std::string error;
  REQUIRE(cache.Save(file, &error));
  DigestCache loaded = DigestCache::Load(file, nullptr, 0);
  CHECK(loaded.Size() == 1);
  Digest(loaded, path);
  CHECK(loaded.Hits() == 1);

  s.Write("digests.json", "dockit-digest-cache 1\n1 x 3 4 5 sha256:d f\n1 2 3\n");
  CHECK(DigestCache::Load(file, nullptr, 0).Size() == 0);
  s.Write("digests.json", "dockit-digest-cache 1\n1 2 3 4 5 sha256:d a path with spaces\n");
  CHECK(DigestCache::Load(file, nullptr, 0).Size() == 1);
  s.Write("digests.json", "not a digest cache");
  std::string warning;
  CHECK(DigestCache::Load(file, &warning, 0).Size() == 0);
  CHECK(warning.find("starting afresh") != std::string::npos);
}

}  // namespace
}  // namespace dockit::plan

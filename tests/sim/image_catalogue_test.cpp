#include "sim/image_catalogue.hpp"

#include <catch2/catch.hpp>

#include "planner/digest.hpp"

namespace dockit::sim {
namespace {

struct Expected {
  const char* reference;
  size_t layers;
  uint64_t bytes;  // the documented total of `docker history` (sim/catalogue.md)
};

// The figures of sim/catalogue.md. Layers whose size is only their listed files (users, COPYs,
// symlinks) are counted here from those files.
const Expected kExpected[] = {
    {"scratch", 0, 0},
    {"busybox:latest", 1, 4'260'000},
    {"alpine:3.20", 1, 7'800'000},
    {"alpine:3.18", 1, 7'330'000},
    {"debian:bookworm", 1, 116'540'000},
    {"debian:bookworm-slim", 1, 74'760'000},
    {"ubuntu:18.04", 1, 63'150'000},
    {"ubuntu:22.04", 1, 77'860'000},
    {"python:3.11", 7, 994'510'032},
    {"python:3.11-slim", 4, 130'290'032},
    {"python:3.11-alpine", 4, 52'830'032},
    {"python:3.7", 8, 998'210'032},
    {"python:3.7-slim", 5, 129'190'032},
    {"python:3.7-alpine", 5, 46'730'032},
    {"buildpack-deps:bookworm", 4, 913'960'000},
    // 913.96 MB + 190.60 + 5.34, the user layer (passwd, group, three dotfiles) and a 388 B COPY
    {"node:20", 8, 1'109'906'266},
    {"node:20-alpine", 4, 134'520'388},
    // 74.76 MB + 112.90 and the five entrypoint scripts (11,771 B)
    {"nginx:1.27", 7, 187'671'771},
    {"postgres:16", 12, 431'779'157},
    {"oraclelinux:9-slim", 1, 116'700'000},
    {"mysql:8", 11, 550'840'098},
    {"redis:7", 7, 117'101'984},
};

TEST_CASE("catalogue images have the documented layer counts and sizes", "[sim][catalogue]") {
  for (const Expected& e : kExpected) {
    INFO(e.reference);
    Result<CatalogueImage> image = FindBaseImage(e.reference);
    REQUIRE(image.Ok());
    CHECK(image->layers.Layers().size() == e.layers);
    CHECK(image->layers.Size() == e.bytes);
    CHECK(image->history.size() == e.layers);
  }
}

TEST_CASE("every catalogue reference resolves, deterministically", "[sim][catalogue]") {
  for (const std::string& ref : CatalogueReferences()) {
    INFO(ref);
    Result<CatalogueImage> a = FindBaseImage(ref);
    REQUIRE(a.Ok());
    Result<CatalogueImage> b = FindBaseImage(ref);
    REQUIRE(b.Ok());
    CHECK(a->layers.DiffIds() == b->layers.DiffIds());
    // The text the catalogue hands out is what the layers hold.
    for (const auto& [path, text] : a->text_files) {
      const Node* node = a->layers.View().Find(path);
      REQUIRE(node != nullptr);
      CHECK(node->digest == plan::Sha256Of(text));
    }
  }
  for (const char* ref : {"python:3.11-slim",
                          "python:3.11-alpine",
                          "python:3.7",
                          "node:20",
                          "node:20-alpine",
                          "nginx:1.27",
                          "nginx",
                          "nginx:latest",
                          "postgres:16",
                          "mysql:8",
                          "redis:7",
                          "alpine",
                          "alpine:latest",
                          "debian:12",
                          "debian:bookworm-slim",
                          "debian:12-slim",
                          "ubuntu:18.04",
                          "ubuntu:22.04",
                          "busybox",
                          "scratch",
                          "docker.io/library/redis:7",
                          "library/python:3.11"}) {
    INFO(ref);
    CHECK(FindBaseImage(ref).Ok());
  }
  CHECK(FindBaseImage("debian:12")->layers.DiffIds() ==
        FindBaseImage("debian:bookworm")->layers.DiffIds());
}

TEST_CASE("no catalogue layer replaces a lower symlink by a directory", "[sim][catalogue]") {
  // A real layer has /run/postgresql where `mkdir -p /var/run/postgresql` followed the
  // /var/run symlink; an entry at /var/run itself would turn the symlink into a directory.
  for (const std::string& name : CatalogueImages()) {
    INFO(name);
    Result<CatalogueImage> image = FindBaseImage(name);
    REQUIRE(image.Ok());
    LayerStack below;
    for (const auto& layer : image->layers.Layers()) {
      for (const plan::FileChange& c : layer->changes) {
        INFO(c.path);
        const Node* lower = below.View().Find(c.path);
        if (lower != nullptr && lower->kind == NodeKind::kSymlink)
          CHECK(c.kind == plan::FileChange::Kind::kSymlink);
      }
      Result<LayerStack> next = below.Push(*layer);
      REQUIRE(next.Ok());
      below = std::move(next).Value();
    }
  }
}

TEST_CASE("derived images share their base's layers", "[sim][catalogue]") {
  std::vector<std::string> slim = FindBaseImage("debian:bookworm-slim")->layers.DiffIds();
  for (const char* ref : {"python:3.11-slim", "nginx:1.27", "postgres:16", "redis:7"}) {
    INFO(ref);
    std::vector<std::string> ids = FindBaseImage(ref)->layers.DiffIds();
    REQUIRE(!ids.empty());
    CHECK(ids[0] == slim[0]);
  }
  CHECK(FindBaseImage("python:3.11")->layers.DiffIds()[3] ==
        FindBaseImage("node:20")->layers.DiffIds()[3]);
}

TEST_CASE("catalogue images have their users", "[sim][catalogue]") {
  const std::pair<const char*, std::vector<const char*>> cases[] = {
      {"busybox", {"root:x:0:0:", "nobody:x:65534:", "www-data:x:33:"}},
      {"alpine:3.20", {"root:x:0:0:", "nobody:x:65534:"}},
      {"debian:bookworm", {"root:x:0:0:", "nobody:x:65534:", "www-data:x:33:", "_apt:x:42:"}},
      {"ubuntu:18.04", {"root:x:0:0:", "nobody:x:65534:", "_apt:x:100:"}},
      {"ubuntu:22.04", {"root:x:0:0:", "nobody:x:65534:", "www-data:x:33:"}},
      {"python:3.11-slim", {"root:x:0:0:", "nobody:x:65534:"}},
      {"node:20", {"node:x:1000:1000:", "root:x:0:0:"}},
      {"node:20-alpine", {"node:x:1000:1000:", "nobody:x:65534:"}},
      {"nginx", {"nginx:x:101:101:", "www-data:x:33:"}},
      {"postgres:16", {"postgres:x:999:999:"}},
      {"mysql:8", {"mysql:x:999:999:", "nobody:x:65534:"}},
      {"redis:7", {"redis:x:999:999:"}},
  };
  for (const auto& [ref, users] : cases) {
    INFO(ref);
    Result<CatalogueImage> image = FindBaseImage(ref);
    REQUIRE(image.Ok());
    REQUIRE(image->layers.View().Find("/etc/passwd") != nullptr);
    REQUIRE(image->layers.View().Find("/etc/group") != nullptr);
    const std::string& passwd = image->text_files.at("/etc/passwd");
    for (const char* user : users) CHECK(passwd.find(user) != std::string::npos);
    CHECK(image->layers.View().Stat("/bin/sh").Ok());
  }
}

TEST_CASE("package databases follow the distribution", "[sim][catalogue]") {
  for (const char* ref :
       {"alpine:3.20", "python:3.11-alpine", "python:3.7-alpine", "node:20-alpine"}) {
    INFO(ref);
    Result<CatalogueImage> image = FindBaseImage(ref);
    REQUIRE(image.Ok());
    const Tree& view = image->layers.View();
    CHECK(view.Stat("/lib/apk/db/installed").Ok());
    CHECK(!view.Stat("/var/lib/dpkg/status").Ok());
  }
  for (const char* ref :
       {"debian:bookworm", "debian:bookworm-slim", "ubuntu:18.04", "ubuntu:22.04", "python:3.11",
        "python:3.7-slim", "node:20", "nginx", "postgres:16", "redis:7"}) {
    INFO(ref);
    Result<CatalogueImage> image = FindBaseImage(ref);
    REQUIRE(image.Ok());
    const Tree& view = image->layers.View();
    Result<Node> status = view.Stat("/var/lib/dpkg/status");
    REQUIRE(status.Ok());
    CHECK(status->size > 50'000);
    CHECK(!view.Stat("/lib/apk/db/installed").Ok());
  }
  CHECK(FindBaseImage("mysql:8")->layers.View().Stat("/var/lib/rpm/rpmdb.sqlite").Ok());
  CHECK(FindBaseImage("debian:bookworm")->layers.View().Stat("/etc/os-release").Ok());
  CHECK(FindBaseImage("alpine")->layers.View().Stat("/etc/os-release").Ok());
  CHECK(FindBaseImage("postgres:16")->layers.View().Stat("/var/run/postgresql").Ok());
  CHECK(FindBaseImage("mysql:8")->layers.View().Stat("/var/run/mysqld").Ok());
}

TEST_CASE("python images have python3 on their PATH and the stdlib", "[sim][catalogue]") {
  for (const char* ref : {"python:3.11", "python:3.11-slim", "python:3.11-alpine", "python:3.7",
                          "python:3.7-slim", "python:3.7-alpine"}) {
    INFO(ref);
    Result<CatalogueImage> image = FindBaseImage(ref);
    REQUIRE(image.Ok());
    std::string path;
    std::string version;
    for (const auto& [k, v] : image->config.env) {
      if (k == "PATH") path = v;
      if (k == "PYTHON_VERSION") version = v;
    }
    REQUIRE(!version.empty());
    std::string minor = version.substr(0, version.rfind('.'));
    bool found = false;
    for (size_t start = 0; start <= path.size();) {
      size_t end = path.find(':', start);
      if (end == std::string::npos) end = path.size();
      std::string dir = path.substr(start, end - start);
      Result<Node> node = image->layers.View().Stat(dir + "/python3");
      if (node.Ok() && node->kind == NodeKind::kFile) found = true;
      start = end + 1;
    }
    CHECK(found);
    CHECK(image->layers.View().Stat("/usr/local/lib/python" + minor + "/os.py").Ok());
    CHECK(image->layers.View().Stat("/usr/local/bin/pip").Ok());
    CHECK(image->config.cmd == std::vector<std::string>{"python3"});
  }
}

TEST_CASE("catalogue configs are the official images'", "[sim][catalogue]") {
  Result<CatalogueImage> nginx = FindBaseImage("nginx:1.27");
  CHECK(nginx->config.exposed_ports == std::vector<std::string>{"80/tcp"});
  CHECK(nginx->config.cmd == std::vector<std::string>{"nginx", "-g", "daemon off;"});
  CHECK(nginx->config.stop_signal == "SIGQUIT");
  CHECK(nginx->layers.View().Stat("/usr/sbin/nginx").Ok());
  Result<CatalogueImage> pg = FindBaseImage("postgres:16");
  CHECK(pg->config.volumes == std::vector<std::string>{"/var/lib/postgresql/data"});
  CHECK(pg->config.entrypoint == std::vector<std::string>{"docker-entrypoint.sh"});
  Result<CatalogueImage> redis = FindBaseImage("redis:7");
  CHECK(redis->config.working_dir == "/data");
  CHECK(redis->config.exposed_ports == std::vector<std::string>{"6379/tcp"});
  Result<CatalogueImage> node = FindBaseImage("node:20");
  CHECK(node->layers.View().Stat("/usr/local/bin/node").Ok());
  CHECK(node->config.cmd == std::vector<std::string>{"node"});
  Result<CatalogueImage> mysql = FindBaseImage("mysql:8");
  CHECK(mysql->config.exposed_ports == std::vector<std::string>{"3306/tcp", "33060/tcp"});
}

TEST_CASE("scratch is empty", "[sim][catalogue]") {
  Result<CatalogueImage> image = FindBaseImage("scratch");
  REQUIRE(image.Ok());
  CHECK(image->layers.Layers().empty());
  CHECK(image->layers.Size() == 0);
  CHECK(image->config.env.empty());
  CHECK(!image->config.cmd_set);
  CHECK(!image->config.entrypoint_set);
  CHECK(image->text_files.empty());
}

TEST_CASE("unknown images are an error that names the catalogue", "[sim][catalogue]") {
  Result<CatalogueImage> typo = FindBaseImage("pyhton:3.11");
  REQUIRE(!typo.Ok());
  CHECK(typo.Error().code == "image-not-in-catalogue");
  CHECK(typo.Error().message.find("image \"pyhton:3.11\" is not in the simulator's catalogue "
                                  "(did you mean python:3.11?); known: ") == 0);
  CHECK(typo.Error().message.find("redis:7") != std::string::npos);
  Result<CatalogueImage> other = FindBaseImage("ruby:3.3");
  REQUIRE(!other.Ok());
  CHECK(other.Error().message.find("did you mean") == std::string::npos);
  CHECK(other.Error().message.find("catalogue") != std::string::npos);
  CHECK(!FindBaseImage("python:3.12").Ok());
  CHECK(!FindBaseImage("ubuntu").Ok());  // latest is 24.04, not in the catalogue
  CHECK(!FindBaseImage("alpine@sha256:0000").Ok());
}

}  // namespace
}  // namespace dockit::sim

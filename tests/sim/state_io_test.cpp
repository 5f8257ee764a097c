#include "sim/state_io.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace dockit::sim {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string TempPath(const char* name) {
  return (std::filesystem::temp_directory_path() / name).string();
}

World BusyWorld() {
  World world;
  RunOptions web;
  web.detach = true;
  web.name = "web";
  web.publish = {"8080:80"};
  REQUIRE(world.CreateNetwork("shop_default").Ok());
  web.network = "shop_default";
  REQUIRE(world.Run("nginx", web).Ok());
  RunOptions db;
  db.detach = true;
  db.name = "db";
  db.env = {"POSTGRES_PASSWORD=x"};
  db.volumes = {"pgdata:/var/lib/postgresql/data"};
  db.health_cmd = "pg_isready";
  db.health_interval = 2;
  REQUIRE(world.Run("postgres:16", db).Ok());
  RunOptions job;
  job.detach = true;
  job.command = {"sh", "-c", "echo a; sleep 5; echo b"};
  auto run = world.Run("alpine", job);
  REQUIRE(run.Ok());
  REQUIRE(world.ContainerLayer(run.Value().id)
              ->WriteFile("/tmp/out.txt", world.Texts().Put("result\n"))
              .Ok());
  REQUIRE(world.ContainerLayer(run.Value().id)->Remove("/etc/os-release").Ok());
  REQUIRE(world.DeclareProgram("python app.py", "print hi\nlisten 5000").Ok());
  plan::FileChange f{"/cache", plan::FileChange::Kind::kFile, 0644, 0, 0, 42, "sha256:cc", ""};
  world.AddCacheLayer(std::make_shared<const plan::Layer>(MakeLayer({f})));
  world.Advance(3);
  return world;
}

TEST_CASE("the world's state: save, load, save gives the same bytes", "[sim]") {
  World world = BusyWorld();
  std::string path = TempPath("dockit_world_state_test.json");
  REQUIRE(SaveWorld(world, path).Ok());
  std::string first = ReadAll(path);
  auto loaded = LoadWorld(path);
  REQUIRE(loaded.Ok());
  REQUIRE(SaveWorld(loaded.Value(), path).Ok());
  CHECK(ReadAll(path) == first);
  CHECK(first.find("\"format\": \"dockit-sim-world\"") != std::string::npos);

  // The loaded world goes on exactly as the original.
  World& again = loaded.Value();
  world.Advance(10);
  again.Advance(10);
  CHECK(SerializeWorld(world) == SerializeWorld(again));
  CHECK(world.PsTable(true) == again.PsTable(true));
  CHECK(again.Diff("db").Ok());
  CHECK(again.Request("localhost:8080").Ok());
  std::remove(path.c_str());
}

TEST_CASE("a missing state file is a fresh world; a damaged or foreign one is an error", "[sim]") {
  std::string path = TempPath("dockit_world_state_missing.json");
  std::remove(path.c_str());
  auto fresh = LoadWorld(path);
  REQUIRE(fresh.Ok());
  CHECK(fresh.Value().Now() == kEpoch);

  CHECK(ParseWorld("{\"version\": 1}", "x.json").Error().message ==
        "x.json: not a dexec simulator state file");
  CHECK(ParseWorld("not json", "x.json").Error().message == "x.json: not a JSON object");
  CHECK(ParseWorld("{\"format\": \"dockit-sim-world\", \"version\": 99}", "x.json")
            .Error()
            .message.find("another version") != std::string::npos);

  // A layer whose content does not match its diff_id.
  std::string text = SerializeWorld(BusyWorld());
  size_t at = text.find("\"sha256:cc\"");
  REQUIRE(at != std::string::npos);
  std::string damaged = text;
  damaged.replace(at, 11, "\"sha256:dd\"");
  auto bad = ParseWorld(damaged, "state.json");
  REQUIRE(!bad.Ok());
  CHECK(bad.Error().message.rfind("state.json: damaged: layer ", 0) == 0);

  // Truncated: an error naming the file, and the file is left as it was.
  std::string file = TempPath("dockit_world_state_truncated.json");
  {
    std::ofstream out(file, std::ios::binary);
    out << text.substr(0, text.size() / 2);
  }
  auto truncated = LoadWorld(file);
  REQUIRE(!truncated.Ok());
  CHECK(truncated.Error().message.rfind(file + ": ", 0) == 0);
  CHECK(ReadAll(file) == text.substr(0, text.size() / 2));
  std::remove(file.c_str());
}

}  // namespace
}  // namespace dockit::sim

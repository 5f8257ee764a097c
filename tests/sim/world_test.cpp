#include "sim/world.hpp"

#include <catch2/catch.hpp>

namespace dockit::sim {
namespace {

RunOptions Detached(std::string name = "") {
  RunOptions o;
  o.detach = true;
  o.name = std::move(name);
  return o;
}

std::string RunId(World& world, std::string_view image, RunOptions options) {
  auto run = world.Run(image, options);
  REQUIRE(run.Ok());
  return run.Value().id;
}

const Container& C(const World& world, std::string_view name) {
  auto id = world.FindContainer(name);
  REQUIRE(id.Ok());
  return *world.ContainerById(id.Value());
}

TEST_CASE("the clock starts at the documented epoch and moves only when told", "[sim]") {
  World world;
  CHECK(world.Now() == kEpoch);
  CHECK(Rfc3339(world.Now()) == "2025-01-06T09:00:00Z");
  world.Advance(90);
  CHECK(world.Now() == kEpoch + 90);
}

TEST_CASE("human durations and sizes read as docker's", "[sim]") {
  CHECK(HumanDuration(0) == "Less than a second");
  CHECK(HumanDuration(1) == "1 second");
  CHECK(HumanDuration(59) == "59 seconds");
  CHECK(HumanDuration(60) == "About a minute");
  CHECK(HumanDuration(119) == "About a minute");
  CHECK(HumanDuration(180) == "3 minutes");
  CHECK(HumanDuration(3600) == "About an hour");
  CHECK(HumanDuration(5 * 3600) == "5 hours");
  CHECK(HumanDuration(35 * 86400) == "5 weeks");
  CHECK(HumanSize(0) == "0B");
  CHECK(HumanSize(7797000) == "7.8MB");
  CHECK(HumanSize(187300000) == "187MB");
  CHECK(HumanSize(1234000, 4) == "1.234MB");
}

TEST_CASE("run pulls a catalogue image on first use, as docker run does", "[sim]") {
  World world;
  auto run = world.Run("nginx", Detached("web"));
  REQUIRE(run.Ok());
  CHECK(run.Value().output.rfind("Unable to find image 'nginx:latest' locally\n", 0) == 0);
  CHECK(run.Value().output.find("Status: Downloaded newer image for nginx:latest\n") !=
        std::string::npos);
  CHECK(run.Value().output.find(run.Value().id + "\n") != std::string::npos);
  CHECK(world.FindImage("nginx:latest").Ok());
  // The second run finds it locally.
  auto again = world.Run("nginx", Detached("web2"));
  REQUIRE(again.Ok());
  CHECK(again.Value().output == again.Value().id + "\n");

  auto missing = world.Run("nosuchimage", Detached());
  REQUIRE(!missing.Ok());
  CHECK(missing.Error().message.rfind("Unable to find image 'nosuchimage:latest' locally\n", 0) ==
        0);
  CHECK(missing.Error().message.find("Error response from daemon: ") != std::string::npos);
}

TEST_CASE("container IDs and names are deterministic", "[sim]") {
  World a, b;
  std::string ia = RunId(a, "alpine", Detached());
  std::string ib = RunId(b, "alpine", Detached());
  CHECK(ia == ib);
  CHECK(ia.size() == 64);
  CHECK(a.ContainerById(ia)->name == b.ContainerById(ib)->name);
  CHECK(a.ContainerById(ia)->name.find('_') != std::string::npos);
}

TEST_CASE("a name in use is a conflict with docker's message", "[sim]") {
  World world;
  std::string id = RunId(world, "nginx", Detached("web"));
  auto clash = world.Run("nginx", Detached("web"));
  REQUIRE(!clash.Ok());
  CHECK(clash.Error().message ==
        "Error response from daemon: Conflict. The container name \"/web\" is already in use by "
        "container \"" +
            id +
            "\". You have to remove (or rename) that container to be able to reuse that name.");
}

TEST_CASE("a published port in use fails the second container's start", "[sim]") {
  World world;
  RunOptions a = Detached("a");
  a.publish = {"8080:80"};
  RunId(world, "nginx", a);
  RunOptions b = Detached("b");
  b.publish = {"8080:80"};
  auto clash = world.Run("nginx", b);
  REQUIRE(!clash.Ok());
  CHECK(clash.Error().message.find("Bind for 0.0.0.0:8080 failed: port is already allocated") !=
        std::string::npos);
  // The container is created but not started, as with docker.
  CHECK(C(world, "b").state == ContainerState::kCreated);
  REQUIRE(world.Stop("a").Ok());
  REQUIRE(world.Start("b").Ok());
  CHECK(C(world, "b").Running());
}

TEST_CASE("nginx answers on its published port; nothing else does", "[sim]") {
  World world;
  RunOptions o = Detached("web");
  o.publish = {"8080:80"};
  RunId(world, "nginx", o);
  auto page = world.Request("localhost:8080/");
  REQUIRE(page.Ok());
  CHECK(page.Value().find("<title>Welcome to nginx!</title>") != std::string::npos);
  auto refused = world.Request("localhost:9090");
  REQUIRE(!refused.Ok());
  CHECK(refused.Error().message.rfind("curl: (7) Failed to connect to localhost port 9090", 0) ==
        0);
  auto logs = world.Logs("web");
  REQUIRE(logs.Ok());
  CHECK(logs.Value().find("Configuration complete; ready for start up") != std::string::npos);
}

TEST_CASE("containers reach each other by name on a user network only", "[sim]") {
  World world;
  REQUIRE(world.CreateNetwork("app_default").Ok());
  RunOptions web = Detached("web");
  web.network = "app_default";
  RunId(world, "nginx", web);
  RunOptions client = Detached("client");
  client.network = "app_default";
  client.command = {"sleep", "infinity"};
  RunId(world, "alpine", client);
  CHECK(world.Request("web:80/", "client").Ok());
  CHECK(world.Request("http://web/", "client").Ok());
  RunOptions lonely = Detached("lonely");
  lonely.command = {"sleep", "infinity"};
  RunId(world, "alpine", lonely);
  auto unresolved = world.Request("web:80", "lonely");
  REQUIRE(!unresolved.Ok());
  CHECK(unresolved.Error().message == "curl: (6) Could not resolve host: web");
}

TEST_CASE("stop: SIGTERM ends a program that handles it at once; PID 1 sleep waits 10 s", "[sim]") {
  World world;
  RunId(world, "nginx", Detached("web"));
  int64_t t0 = world.Now();
  REQUIRE(world.Stop("web").Ok());
  CHECK(world.Now() == t0);
  CHECK(C(world, "web").exit_code == 0);  // nginx shuts down cleanly

  RunOptions s = Detached("sleeper");
  s.command = {"sleep", "infinity"};
  RunId(world, "alpine", s);
  REQUIRE(world.Stop("sleeper").Ok());
  CHECK(world.Now() == t0 + 10);
  CHECK(C(world, "sleeper").exit_code == 137);

  REQUIRE(world.Start("sleeper").Ok());
  REQUIRE(world.Stop("sleeper", 3).Ok());
  CHECK(world.Now() == t0 + 13);

  REQUIRE(world.DeclareProgram("python app.py", "print hi\nlisten 5000").Ok());
  RunOptions p = Detached("py");
  p.command = {"python", "app.py"};
  RunId(world, "python:3.11-slim", p);
  REQUIRE(world.Stop("py").Ok());
  CHECK(C(world, "py").exit_code == 143);
}

TEST_CASE("kill sends SIGKILL (137) or the given signal", "[sim]") {
  World world;
  RunId(world, "nginx", Detached("web"));
  int64_t t0 = world.Now();
  REQUIRE(world.Kill("web").Ok());
  CHECK(world.Now() == t0);
  CHECK(C(world, "web").exit_code == 137);
  auto again = world.Kill("web");
  REQUIRE(!again.Ok());
  CHECK(again.Error().message.find("is not running") != std::string::npos);
  REQUIRE(world.DeclareProgram("node server.js", "listen 3000").Ok());
  RunOptions n = Detached("api");
  n.command = {"node", "server.js"};
  RunId(world, "node:20", n);
  REQUIRE(world.Kill("api", "SIGHUP").Ok());
  CHECK(C(world, "api").exit_code == 129);
  CHECK(!world.Kill("web", "SIGBOGUS").Ok());
}

TEST_CASE("run --rm leaves nothing behind", "[sim]") {
  World world;
  RunOptions o;
  o.rm = true;
  o.command = {"echo", "hello"};
  auto run = world.Run("alpine", o);
  REQUIRE(run.Ok());
  CHECK(run.Value().output.find("hello\n") != std::string::npos);
  CHECK(run.Value().exit_code == 0);
  CHECK(world.Containers().empty());

  RunOptions d = Detached("tmp");
  d.rm = true;
  d.command = {"sleep", "5"};
  RunId(world, "alpine", d);
  CHECK(world.Containers().size() == 1);
  world.Advance(5);
  CHECK(world.Containers().empty());
  CHECK(world.Volumes().empty());
}

TEST_CASE("attached runs wait for the program on the virtual clock", "[sim]") {
  World world;
  RunOptions o;
  o.command = {"sh", "-c", "echo start; sleep 3; echo done; exit 4"};
  auto run = world.Run("alpine", o);
  REQUIRE(run.Ok());
  CHECK(run.Value().output == "Unable to find image 'alpine:latest' locally\n" +
                                  run.Value().output.substr(run.Value().output.find("latest: ")));
  CHECK(run.Value().output.find("start\ndone\n") != std::string::npos);
  CHECK(run.Value().exit_code == 4);
  CHECK(world.Now() == kEpoch + 3);
  auto logs = world.Logs(run.Value().id, {true, -1});
  REQUIRE(logs.Ok());
  CHECK(logs.Value() ==
        "2025-01-06T09:00:00.000000000Z start\n2025-01-06T09:00:03.000000000Z done\n");
}

TEST_CASE("sh without -c and without -it exits 0 at once; a missing program fails with 127",
          "[sim]") {
  World world;
  RunOptions sh = Detached("shell");
  sh.command = {"sh"};
  RunId(world, "alpine", sh);
  CHECK(C(world, "shell").state == ContainerState::kExited);
  CHECK(C(world, "shell").exit_code == 0);

  RunOptions it = Detached("interactive");
  it.command = {"sh"};
  it.interactive = it.tty = true;
  RunId(world, "alpine", it);
  CHECK(C(world, "interactive").Running());

  RunOptions bad = Detached("bad");
  bad.command = {"foo"};
  auto run = world.Run("alpine", bad);
  REQUIRE(!run.Ok());
  CHECK(run.Error().message.find("exec: \"foo\": executable file not found in $PATH") !=
        std::string::npos);
  CHECK(C(world, "bad").exit_code == 127);
  CHECK(C(world, "bad").state == ContainerState::kCreated);
}

TEST_CASE("postgres needs a password, with the real error", "[sim]") {
  World world;
  RunId(world, "postgres:16", Detached("db"));
  CHECK(C(world, "db").exit_code == 1);
  auto logs = world.Logs("db");
  REQUIRE(logs.Ok());
  CHECK(logs.Value().rfind(
            "Error: Database is uninitialized and superuser password is not specified.", 0) == 0);

  RunOptions ok = Detached("db2");
  ok.env = {"POSTGRES_PASSWORD=secret"};
  RunId(world, "postgres:16", ok);
  CHECK(C(world, "db2").Running());
  world.Advance(3);
  CHECK(world.Logs("db2").Value().find("database system is ready to accept connections") !=
        std::string::npos);
}

TEST_CASE("removing a running container needs -f; a removed one cannot start", "[sim]") {
  World world;
  std::string id = RunId(world, "nginx", Detached("web"));
  auto refused = world.Remove("web");
  REQUIRE(!refused.Ok());
  CHECK(refused.Error().message ==
        "Error response from daemon: You cannot remove a running container " + id +
            ". Stop the container before attempting removal or force remove");
  REQUIRE(world.Remove("web", true).Ok());
  auto start = world.Start("web");
  REQUIRE(!start.Ok());
  CHECK(start.Error().message == "Error response from daemon: No such container: web");
}

TEST_CASE("exec runs a command in a running container only", "[sim]") {
  World world;
  RunId(world, "nginx", Detached("web"));
  auto echo = world.Exec("web", {"echo", "hi"});
  REQUIRE(echo.Ok());
  CHECK(echo.Value().output == "hi\n");
  CHECK(echo.Value().exit_code == 0);
  auto f = world.Exec("web", {"false"});
  REQUIRE(f.Ok());
  CHECK(f.Value().exit_code == 1);
  auto missing = world.Exec("web", {"nope"});
  REQUIRE(!missing.Ok());
  CHECK(missing.Error().message.find("executable file not found in $PATH") != std::string::npos);
  REQUIRE(world.Stop("web").Ok());
  auto stopped = world.Exec("web", {"echo", "hi"});
  REQUIRE(!stopped.Ok());
  CHECK(stopped.Error().message.find("is not running") != std::string::npos);
}

TEST_CASE("diff shows A, C and D as docker diff does", "[sim]") {
  World world;
  std::string id = RunId(world, "alpine", [] {
    RunOptions o = Detached("box");
    o.command = {"sleep", "infinity"};
    return o;
  }());
  WorkingLayer* layer = world.ContainerLayer(id);
  REQUIRE(layer != nullptr);
  REQUIRE(layer->WriteFile("/tmp/new.txt", world.Texts().Put("x")).Ok());
  REQUIRE(layer->Remove("/etc/os-release").Ok());
  auto diff = world.Diff("box");
  REQUIRE(diff.Ok());
  CHECK(diff.Value() == "C /etc\nD /etc/os-release\nC /tmp\nA /tmp/new.txt\n");
}

TEST_CASE("declared programs: from the file's dexec block and from a lesson", "[sim]") {
  World world;
  auto pulled = world.PullIfMissing("python:3.11-slim", nullptr);
  REQUIRE(pulled.Ok());
  // An image with app.py whose text declares its behaviour.
  Image image = *world.ImageById(pulled.Value());
  std::string source =
      "# dexec: print Serving on port $PORT\n# dexec: listen $PORT\n# dexec: respond Hello\n"
      "# dexec: healthy-after 5\nimport http.server\n";
  FileContent content = world.Texts().Put(source);
  plan::FileChange dir{"/app", plan::FileChange::Kind::kDirectory, 0755, 0, 0, 0, "", ""};
  plan::FileChange file{
      "/app/app.py", plan::FileChange::Kind::kFile, 0644, 0, 0, content.size, content.digest, ""};
  auto pushed = image.layers.Push(MakeLayer({dir, file}));
  REQUIRE(pushed.Ok());
  image.layers = pushed.Value();
  image.config.working_dir = "/app";
  image.config.cmd = {"python", "app.py"};
  image.config.cmd_set = true;
  image.config.env.push_back({"PORT", "5000"});
  image.config.healthcheck = std::vector<std::string>{"CMD", "curl", "-f", "localhost:5000"};
  world.AddImage(image, "app:1");
  RunOptions o = Detached("app");
  o.publish = {"5000:5000"};
  o.health_interval = 2;
  RunId(world, "app:1", o);
  CHECK(world.Logs("app").Value() == "Serving on port 5000\n");
  CHECK(world.Request("localhost:5000").Value() == "Hello\n");
  CHECK(C(world, "app").health == Health::kStarting);
  world.Advance(4);
  CHECK(C(world, "app").health == Health::kStarting);
  world.Advance(2);
  CHECK(C(world, "app").health == Health::kHealthy);
  CHECK(world.PsTable().find("Up 6 seconds (healthy)") != std::string::npos);

  // A missing script fails as python does.
  RunOptions u = Detached("mystery");
  u.command = {"python", "other.py"};
  RunId(world, "app:1", u);
  CHECK(world.Logs("mystery").Value() ==
        "python: can't open file '/app/other.py': [Errno 2] No such file or directory\n");
  CHECK(C(world, "mystery").exit_code == 2);

  REQUIRE(world.DeclareProgram("python worker.py", "print working\nexit 3 after 10").Ok());
  RunOptions w = Detached("worker");
  w.command = {"python", "worker.py"};
  RunId(world, "app:1", w);
  world.Advance(9);
  CHECK(C(world, "worker").Running());
  world.Advance(1);
  CHECK(C(world, "worker").exit_code == 3);
  CHECK(!world.DeclareProgram("x", "frobnicate").Ok());
}

TEST_CASE("an undeclared program keeps running and logs say so", "[sim]") {
  World world;
  REQUIRE(world.PullIfMissing("alpine", nullptr).Ok());
  std::string id = world.FindImage("alpine").Value();
  Image image = *world.ImageById(id);
  plan::FileChange file{
      "/usr/local/bin/mytool", plan::FileChange::Kind::kFile, 0755, 0, 0, 3, "sha256:00", ""};
  image.layers = image.layers.Push(MakeLayer({file})).Value();
  world.AddImage(image, "tool");
  RunOptions o = Detached("t");
  o.command = {"mytool", "--serve"};
  RunId(world, "tool", o);
  CHECK(C(world, "t").Running());
  CHECK(world.Logs("t").Value().find("undeclared program `mytool --serve`") != std::string::npos);
  CHECK(world.Inspect("t").Value().find("\"Declared\": false") != std::string::npos);
}

TEST_CASE("restart policies restart a failing program", "[sim]") {
  World world;
  RunOptions o = Detached("flaky");
  o.command = {"sh", "-c", "sleep 2; exit 1"};
  o.restart = "on-failure:2";
  RunId(world, "alpine", o);
  world.Advance(100);
  CHECK(C(world, "flaky").restart_count == 2);
  CHECK(C(world, "flaky").exit_code == 1);
  CHECK(!C(world, "flaky").Running());
  RunOptions bad = o;
  bad.name = "x";
  bad.rm = true;
  CHECK(!world.Run("alpine", bad).Ok());
}

TEST_CASE("rmi: untag, conflicts with containers, force", "[sim]") {
  World world;
  std::string id = RunId(world, "nginx", Detached("web"));
  std::string image = C(world, "web").image_id;
  REQUIRE(world.Tag("nginx", "mynginx:1").Ok());
  auto untag = world.RemoveImage("mynginx:1");
  REQUIRE(untag.Ok());
  CHECK(untag.Value() == "Untagged: mynginx:1\n");
  auto running = world.RemoveImage("nginx", true);
  REQUIRE(!running.Ok());
  CHECK(running.Error().message.find("image is being used by running container " +
                                     id.substr(0, 12)) != std::string::npos);
  REQUIRE(world.Stop("web").Ok());
  auto stopped = world.RemoveImage("nginx");
  REQUIRE(!stopped.Ok());
  CHECK(stopped.Error().message ==
        "Error response from daemon: conflict: unable to remove repository reference \"nginx\" "
        "(must force) - container " +
            id.substr(0, 12) + " is using its referenced image " + image.substr(7, 12));
  REQUIRE(world.Remove("web").Ok());
  auto removed = world.RemoveImage("nginx");
  REQUIRE(removed.Ok());
  CHECK(removed.Value() == "Untagged: nginx:latest\nDeleted: " + image + "\n");
  CHECK(world.Images().empty());
}

TEST_CASE("prune reports exactly what it frees", "[sim]") {
  World world;
  RunId(world, "nginx", Detached("web"));
  RunOptions e = Detached("done");
  e.command = {"true"};
  RunId(world, "alpine", e);
  REQUIRE(world.PullIfMissing("redis:7", nullptr).Ok());
  uint64_t before = world.StoredBytes();
  PruneReport containers = world.PruneContainers();
  CHECK(containers.output.rfind("Deleted Containers:\n", 0) == 0);
  PruneReport images = world.PruneImages(true);
  CHECK(images.output.find("untagged: redis:7") != std::string::npos);
  CHECK(images.output.find("untagged: alpine:latest") != std::string::npos);
  CHECK(images.output.find("nginx") == std::string::npos);  // in use
  CHECK(images.reclaimed > 0);
  CHECK(before - world.StoredBytes() == containers.reclaimed + images.reclaimed);
  CHECK(images.output.find("Total reclaimed space: " + HumanSize(images.reclaimed, 4)) !=
        std::string::npos);
  PruneReport nothing = world.PruneImages(true);
  CHECK(nothing.output == "Total reclaimed space: 0B\n");
}

TEST_CASE("builder prune frees the cache's layers that no image uses", "[sim]") {
  World world;
  REQUIRE(world.PullIfMissing("alpine", nullptr).Ok());
  const Image& alpine = *world.ImageById(world.FindImage("alpine").Value());
  world.AddCacheLayer(alpine.layers.Layers()[0]);  // shared with an image: not freed
  plan::FileChange f{"/big", plan::FileChange::Kind::kFile, 0644, 0, 0, 5000, "sha256:ab", ""};
  auto own = std::make_shared<const plan::Layer>(MakeLayer({f}));
  world.AddCacheLayer(own);
  PruneReport report = world.PruneBuilder();
  CHECK(report.reclaimed == 5000);
  CHECK(world.CacheLayers().empty());
  CHECK(report.output.find("Total reclaimed space: 5kB") != std::string::npos);
}

TEST_CASE("system prune -af --volumes clears everything unused", "[sim]") {
  World world;
  RunOptions o = Detached("db");
  o.env = {"POSTGRES_PASSWORD=x"};
  o.volumes = {"pgdata:/var/lib/postgresql/data"};
  RunId(world, "postgres:16", o);
  REQUIRE(world.CreateNetwork("unused").Ok());
  REQUIRE(world.Kill("db").Ok());
  uint64_t before = world.StoredBytes();
  PruneReport report = world.PruneSystem(true, true);
  CHECK(report.reclaimed == before - world.StoredBytes());
  CHECK(report.output.find("Deleted Networks:\nunused\n") != std::string::npos);
  CHECK(world.Containers().empty());
  CHECK(world.Images().empty());
  CHECK(world.Volumes().count("pgdata") == 1);  // named volumes stay (Docker 23+)
  CHECK(world.Networks().size() == 3);
}

TEST_CASE("volumes and networks: in use, missing, predefined", "[sim]") {
  World world;
  RunOptions o = Detached("db");
  o.command = {"sleep", "infinity"};
  o.volumes = {"data:/data"};
  std::string id = RunId(world, "alpine", o);
  auto in_use = world.RemoveVolume("data");
  REQUIRE(!in_use.Ok());
  CHECK(in_use.Error().message ==
        "Error response from daemon: remove data: volume is in use - [" + id + "]");
  CHECK(world.RemoveVolume("nope").Error().message ==
        "Error response from daemon: get nope: no such volume");
  CHECK(world.RemoveNetwork("bridge").Error().message ==
        "Error response from daemon: bridge is a pre-defined network and cannot be removed");
  CHECK(world.VolumesTable() == "DRIVER    VOLUME NAME\nlocal     data\n");
  REQUIRE(world.AddVolumeBytes("data", 2500).Ok());
  REQUIRE(world.Remove("db", true).Ok());
  PruneReport pruned = world.PruneVolumes(true);
  CHECK(pruned.reclaimed == 2500);
  CHECK(pruned.output == "Deleted Volumes:\ndata\n\nTotal reclaimed space: 2.5kB\n");
  CHECK(world.CreateNetwork("bridge").Error().message ==
        "Error response from daemon: network with name bridge already exists");
}

TEST_CASE("ps and images tables", "[sim]") {
  World world;
  RunOptions o = Detached("web");
  o.publish = {"8080:80"};
  std::string id = RunId(world, "nginx", o);
  world.Advance(180);
  std::string ps = world.PsTable();
  CHECK(ps.rfind("CONTAINER ID   IMAGE     COMMAND                  CREATED         STATUS", 0) ==
        0);
  CHECK(ps.find(id.substr(0, 12) + "   nginx     \"/docker-entrypoint.…\"   3 minutes ago   "
                                   "Up 3 minutes   0.0.0.0:8080->80/tcp   web\n") !=
        std::string::npos);
  REQUIRE(world.Stop("web").Ok());
  world.Advance(60);
  CHECK(world.PsTable() ==
        "CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n");
  CHECK(world.PsTable(true).find("Exited (0) About a minute ago") != std::string::npos);
  std::string images = world.ImagesTable();
  CHECK(images.rfind(
            "REPOSITORY   TAG       IMAGE ID       CREATED       SIZE\nnginx        latest", 0) ==
        0);
  CHECK(images.find("5 weeks ago") != std::string::npos);
  auto history = world.HistoryTable("nginx");
  REQUIRE(history.Ok());
  CHECK(history.Value().rfind("IMAGE          CREATED       CREATED BY", 0) == 0);
}

TEST_CASE("inspect gives docker's JSON subset", "[sim]") {
  World world;
  RunId(world, "nginx", Detached("web"));
  auto doc = world.Inspect("web");
  REQUIRE(doc.Ok());
  CHECK(doc.Value().find("\"Name\": \"/web\"") != std::string::npos);
  CHECK(doc.Value().find("\"Status\": \"running\"") != std::string::npos);
  CHECK(world.Inspect("nginx").Value().find("\"RepoTags\"") != std::string::npos);
  CHECK(world.Inspect("zzz").Error().message == "Error: No such object: zzz");
}

}  // namespace
}  // namespace dockit::sim

namespace dockit::sim {
namespace {

RunOptions Sleeper(std::string name) {
  RunOptions o;
  o.detach = true;
  o.name = std::move(name);
  o.command = {"sleep", "infinity"};
  return o;
}

TEST_CASE("exec's file commands change the container layer that diff shows", "[sim]") {
  World world;
  REQUIRE(world.Run("alpine", Sleeper("box")).Ok());
  REQUIRE(world.Exec("box", {"mkdir", "-p", "/data/sub"}).Ok());
  REQUIRE(world.Exec("box", {"touch", "/data/sub/x"}).Ok());
  REQUIRE(world.Exec("box", {"rm", "-f", "/etc/os-release", "/nope"}).Ok());
  CHECK(world.Diff("box").Value() ==
        "A /data\nA /data/sub\nA /data/sub/x\nC /etc\nD /etc/os-release\n");
  auto failed = world.Exec("box", {"rm", "/nope"});
  REQUIRE(failed.Ok());
  CHECK(failed.Value().exit_code == 1);
}

TEST_CASE("a published port with nothing listening resets; redis is not HTTP", "[sim]") {
  World world;
  RunOptions o = Sleeper("quiet");
  o.publish = {"9000:9000"};
  REQUIRE(world.Run("alpine", o).Ok());
  CHECK(world.Request("localhost:9000").Error().message ==
        "curl: (56) Recv failure: Connection reset by peer");
  RunOptions r;
  r.detach = true;
  r.name = "cache";
  r.publish = {"6379:6379"};
  REQUIRE(world.Run("redis:7", r).Ok());
  CHECK(world.Request("localhost:6379").Error().message == "curl: (52) Empty reply from server");
}

TEST_CASE("run -P publishes exposed ports on deterministic host ports", "[sim]") {
  World world;
  RunOptions o;
  o.detach = true;
  o.name = "web";
  o.publish_all = true;
  REQUIRE(world.Run("nginx", o).Ok());
  const Container& c = *world.ContainerById(world.FindContainer("web").Value());
  REQUIRE(c.ports.size() == 1);
  CHECK(c.ports[0].host_port == 32768);
  CHECK(world.Request("localhost:32768").Ok());
}

TEST_CASE("compose-style aliases on a project network", "[sim]") {
  World world;
  REQUIRE(world.CreateNetwork("shop_default").Ok());
  RunOptions web;
  web.detach = true;
  web.name = "shop-web-1";
  web.network = "shop_default";
  web.network_aliases = {"web"};
  REQUIRE(world.Run("nginx", web).Ok());
  RunOptions client = Sleeper("shop-client-1");
  client.network = "shop_default";
  REQUIRE(world.Run("alpine", client).Ok());
  CHECK(world.Request("web/", "shop-client-1").Ok());
  CHECK(world.Request("shop-web-1:80", "shop-client-1").Ok());
  auto in_use = world.RemoveNetwork("shop_default");
  REQUIRE(!in_use.Ok());
  CHECK(in_use.Error().message.find("has active endpoints") != std::string::npos);
}

TEST_CASE("health: unhealthy after the retries; an always-restart container comes back", "[sim]") {
  World world;
  RunOptions o = Sleeper("sick");
  o.health_cmd = "curl -f localhost";
  o.health_interval = 5;
  REQUIRE(world.DeclareProgram("sleep infinity", "healthy-after 1000").Ok());
  REQUIRE(world.Run("alpine", o).Ok());
  world.Advance(10);
  CHECK(world.ContainerById(world.FindContainer("sick").Value())->health == Health::kStarting);
  world.Advance(5);
  CHECK(world.ContainerById(world.FindContainer("sick").Value())->health == Health::kUnhealthy);
  CHECK(world.PsTable().find("(unhealthy)") != std::string::npos);

  RunOptions a;
  a.detach = true;
  a.name = "loop";
  a.restart = "always";
  a.command = {"sh", "-c", "sleep 5; exit 0"};
  REQUIRE(world.Run("alpine", a).Ok());
  world.Advance(5);
  const Container* c = world.ContainerById(world.FindContainer("loop").Value());
  CHECK(c->restart_at.has_value());
  CHECK(world.PsTable(true).find("Restarting (0)") != std::string::npos);
  CHECK(world.Remove("loop").Error().message.find("You cannot remove a restarting container") !=
        std::string::npos);
  world.Advance(1);
  CHECK(c->Running());
  CHECK(c->restart_count == 1);
  REQUIRE(world.Stop("loop").Ok());
  world.Advance(100);
  CHECK(!c->Running());
  CHECK(c->restart_count == 1);
}

TEST_CASE("logs --tail and a removed network at start", "[sim]") {
  World world;
  RunOptions o;
  o.detach = true;
  o.name = "p";
  o.command = {"sh", "-c", "echo 1; echo 2; echo 3"};
  REQUIRE(world.Run("alpine", o).Ok());
  CHECK(world.Logs("p", {false, 2}).Value() == "2\n3\n");
  REQUIRE(world.CreateNetwork("tmpnet").Ok());
  RunOptions n = Sleeper("n");
  n.network = "tmpnet";
  REQUIRE(world.Run("alpine", n).Ok());
  REQUIRE(world.Stop("n").Ok());
  REQUIRE(world.RemoveNetwork("tmpnet").Ok());
  auto start = world.Start("n");
  REQUIRE(!start.Ok());
  CHECK(start.Error().message.find("network tmpnet not found") != std::string::npos);
}

TEST_CASE("declarations: syntax errors name the line; require prints and exits 1", "[sim]") {
  auto bad = ParseDeclaration("print ok\nlisten lots", {}, "app.py");
  REQUIRE(!bad.Ok());
  CHECK(bad.Error().message == "app.py: line 2: `listen` needs a number, not `lots`");
  auto missing = ParseDeclaration("require DB_URL no database\nprint up", {}, "x");
  REQUIRE(missing.Ok());
  CHECK(missing.Value().exit_after == 0);
  CHECK(missing.Value().exit_code == 1);
  CHECK(missing.Value().prints.size() == 1);
  CHECK(missing.Value().prints[0].text == "no database");
  auto ok = ParseDeclaration("wait 2\nprint at ${PORT:-80}\nexit 3", {{"PORT", "8080"}}, "x");
  REQUIRE(ok.Ok());
  CHECK(ok.Value().prints[0].at == 2);
  CHECK(ok.Value().prints[0].text == "at 8080");
  CHECK(ok.Value().exit_after == 2);
  CHECK(DeclarationInFile("x = 1\n  # dexec: print a\n// dexec: listen 1\n") ==
        std::optional<std::string>("print a\nlisten 1\n"));
  CHECK(!DeclarationInFile("print('no block')\n"));
}

}  // namespace
}  // namespace dockit::sim

namespace dockit::sim {
namespace {

TEST_CASE("wait runs the clock to the exit; cat reads the catalogue's files", "[sim]") {
  World world;
  RunOptions o;
  o.detach = true;
  o.name = "job";
  o.command = {"sh", "-c", "sleep 7; exit 2"};
  REQUIRE(world.Run("alpine", o).Ok());
  auto code = world.Wait("job");
  REQUIRE(code.Ok());
  CHECK(code.Value() == 2);
  CHECK(world.Now() == kEpoch + 7);
  RunOptions forever = o;
  forever.name = "forever";
  forever.command = {"sleep", "infinity"};
  REQUIRE(world.Run("alpine", forever).Ok());
  CHECK(!world.Wait("forever").Ok());

  RunOptions cat;
  cat.command = {"cat", "/etc/os-release"};
  auto run = world.Run("alpine", cat);
  REQUIRE(run.Ok());
  CHECK(run.Value().output.find("Alpine Linux") != std::string::npos);
  CHECK(world.Exec("forever", {"cat", "/etc/passwd"}).Value().output.rfind("root:x:0:0:", 0) == 0);
}

}  // namespace
}  // namespace dockit::sim

namespace dockit::sim {
namespace {

TEST_CASE("pause freezes the program's timeline; unpause resumes it", "[sim]") {
  World world;
  RunOptions o;
  o.detach = true;
  o.name = "job";
  o.command = {"sh", "-c", "echo a; sleep 10; echo b"};
  REQUIRE(world.Run("alpine", o).Ok());
  world.Advance(4);
  REQUIRE(world.Pause("job").Ok());
  CHECK(world.Pause("job").Error().message.find("is already paused") != std::string::npos);
  CHECK(world.PsTable().find("Up 4 seconds (Paused)") != std::string::npos);
  CHECK(world.Exec("job", {"true"}).Error().message.find("is paused, unpause the container") !=
        std::string::npos);
  CHECK(world.Remove("job").Error().message.find("You cannot remove a paused container") !=
        std::string::npos);
  world.Advance(100);
  const Container* c = world.ContainerById(world.FindContainer("job").Value());
  CHECK(c->Running());
  REQUIRE(world.Unpause("job").Ok());
  world.Advance(5);
  CHECK(c->Running());
  world.Advance(1);
  CHECK(!c->Running());
  CHECK(world.Logs("job", {true, -1}).Value() ==
        "2025-01-06T09:00:00.000000000Z a\n2025-01-06T09:01:50.000000000Z b\n");
  CHECK(world.Unpause("job").Error().message.find("is not paused") != std::string::npos);
}

}  // namespace
}  // namespace dockit::sim

namespace dockit::sim {
namespace {

TEST_CASE("rmi and prune drop the texts nothing refers to any more", "[sim]") {
  World world;
  REQUIRE(world.PullIfMissing("alpine", nullptr).Ok());
  size_t with_alpine = world.Texts().All().size();
  CHECK(with_alpine > 0);
  world.PruneBuilder();
  CHECK(world.Texts().All().size() == with_alpine);  // the image still uses them all
  REQUIRE(world.RemoveImage("alpine").Ok());
  CHECK(world.Texts().All().empty());
}

}  // namespace
}  // namespace dockit::sim

namespace dockit::sim {
namespace {

TEST_CASE("sh -c splits on separators outside quotes only", "[sim]") {
  World world;
  RunOptions o;
  o.command = {"sh", "-c", "echo 'a;b' && false || echo \"c && d\"; exit 5"};
  auto run = world.Run("alpine", o);
  REQUIRE(run.Ok());
  CHECK(run.Value().output.find("a;b\nc && d\n") != std::string::npos);
  CHECK(run.Value().exit_code == 5);
  RunOptions n;
  n.detach = true;
  n.name = "web";
  n.entrypoint = "";
  n.command = {"sh", "-c", "exec nginx -g 'daemon off;'"};
  REQUIRE(world.Run("nginx", n).Ok());
  CHECK(world.ContainerById(world.FindContainer("web").Value())->behaviour.listen_port == 80);
}

}  // namespace
}  // namespace dockit::sim

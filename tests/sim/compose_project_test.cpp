#include "sim/compose_project.hpp"

#include <catch2/catch.hpp>

#include "tests/sim/compose_test_util.hpp"

namespace dockit::sim {
namespace {

using testing::Load;
using testing::ProjectDir;
using Names = std::vector<std::string>;

const ComposeService& Service(const ComposeProject& p, std::string_view name) {
  const ComposeService* s = p.FindService(name);
  REQUIRE(s);
  return *s;
}

TEST_CASE("compose project: default file, name from the directory, container names",
          "[sim][compose]") {
  ProjectDir dir("My_App.v2!");
  dir.Write("compose.yaml",
            "services:\n"
            "  web:\n"
            "    image: nginx:1.27\n"
            "  db:\n"
            "    image: postgres:16\n"
            "    container_name: the-db\n");
  auto loaded = Load(dir);
  REQUIRE(loaded.error == "");
  const ComposeProject& p = *loaded.project;
  CHECK(p.name == "my_appv2");
  CHECK(p.files.size() == 1);
  CHECK(p.services.size() == 2);
  CHECK(p.services[0].name == "db");  // by name
  CHECK(p.ContainerName(Service(p, "web")) == "my_appv2-web-1");
  CHECK(p.ContainerName(Service(p, "web"), 2) == "my_appv2-web-2");
  CHECK(p.ContainerName(Service(p, "db")) == "the-db");
  CHECK(p.NetworkName("default") == "my_appv2_default");
  REQUIRE(Service(p, "web").networks.size() == 1);
  CHECK(Service(p, "web").networks[0].name == "default");
  CHECK(p.warnings.empty());
}

TEST_CASE("compose project: project name rules", "[sim][compose]") {
  ProjectDir dir("Dir");
  dir.Write("compose.yaml", "name: from-file\nservices:\n  a:\n    image: alpine\n");
  CHECK(Load(dir).project->name == "from-file");
  CHECK(Load(dir, {}, {}, "flag").project->name == "flag");
  CHECK(Load(dir, {{"COMPOSE_PROJECT_NAME", "env"}}).project->name == "env");
  CHECK(Load(dir, {{"COMPOSE_PROJECT_NAME", "env"}}, {}, "flag").project->name == "flag");
  CHECK(Load(dir, {}, {}, "Bad Name").error ==
        "invalid project name \"Bad Name\": must consist only of lowercase alphanumeric "
        "characters, hyphens, and underscores as well as start with a letter or number");
  dir.Write("compose.yaml", "name: ${NAME:-Upper}\nservices: {}\n");
  CHECK(Load(dir).error.starts_with("compose.yaml:1:7: invalid project name \"Upper\""));
  CHECK(Load(dir, {{"NAME", "lower"}}).project->name == "lower");
  CHECK(NormalizeProjectName("__My App-1") == "myapp-1");
}

TEST_CASE("compose project: file discovery and the override file", "[sim][compose]") {
  ProjectDir dir;
  CHECK(Load(dir).error.starts_with("no configuration file provided: not found"));
  dir.Write("docker-compose.yml", "services:\n  old:\n    image: alpine\n");
  CHECK(Load(dir).project->FindService("old"));
  dir.Write("compose.yaml",
            "services:\n"
            "  web:\n"
            "    image: app:1\n"
            "    command: npm start\n"
            "    environment:\n"
            "      A: base\n"
            "      B: base\n"
            "    ports: [\"8080:80\"]\n"
            "    volumes: [\"./src:/app\", \"./conf:/etc/app:ro\"]\n"
            "    depends_on: [db]\n"
            "    healthcheck:\n"
            "      test: curl -f localhost\n"
            "      retries: 5\n"
            "    build:\n"
            "      context: .\n"
            "      args: {V: 1}\n"
            "  db:\n"
            "    image: postgres:16\n");
  dir.Write("compose.override.yaml",
            "services:\n"
            "  web:\n"
            "    image: app:dev\n"
            "    command: [\"npm\", \"run\", \"dev\"]\n"
            "    environment:\n"
            "      - B=override\n"
            "      - C=new\n"
            "    ports: [\"9229:9229\"]\n"
            "    volumes: [\"./other:/app\"]\n"
            "    depends_on:\n"
            "      cache:\n"
            "        condition: service_healthy\n"
            "    healthcheck:\n"
            "      interval: 5s\n"
            "    build:\n"
            "      args: [W=2]\n"
            "  cache:\n"
            "    image: redis:7\n");
  auto loaded = Load(dir);
  REQUIRE(loaded.error == "");
  const ComposeProject& p = *loaded.project;
  REQUIRE(p.files.size() == 2);
  CHECK(p.files[1]->Path().ends_with("compose.override.yaml"));
  CHECK_FALSE(p.FindService("old"));  // compose.yaml wins over docker-compose.yml
  REQUIRE(p.warnings.size() == 1);
  CHECK(p.warnings[0].diagnostic.message.starts_with("found multiple config files"));
  const ComposeService& web = Service(p, "web");
  CHECK(web.image == "app:dev");
  CHECK(web.command == Names{"npm", "run", "dev"});
  CHECK(web.environment ==
        std::map<std::string, std::string>{{"A", "base"}, {"B", "override"}, {"C", "new"}});
  REQUIRE(web.ports.size() == 2);
  CHECK(web.ports[1].target == 9229);
  REQUIRE(web.volumes.size() == 2);  // replaced by target path
  CHECK(web.volumes[0].source == p.dir + "/other");
  CHECK(web.volumes[1].read_only);
  REQUIRE(web.depends_on.size() == 2);
  CHECK(web.depends_on[0].service == "cache");
  CHECK(web.depends_on[0].condition == DependencyCondition::kServiceHealthy);
  CHECK(web.depends_on[1].service == "db");
  REQUIRE(web.healthcheck);
  CHECK(web.healthcheck->test == Names{"CMD-SHELL", "curl -f localhost"});
  CHECK(web.healthcheck->retries == 5);
  CHECK(web.healthcheck->interval == 5 * kSecond);
  REQUIRE(web.build);
  CHECK(web.build->args.at("V") == "1");
  CHECK(web.build->args.at("W") == "2");
  CHECK(p.StartOrder() == Names{"cache", "db", "web"});

  // -f: only the files named, in order.
  auto only = Load(dir, {}, {"compose.yaml"});
  REQUIRE(only.error == "");
  CHECK(Service(*only.project, "web").image == "app:1");
  CHECK(Load(dir, {}, {"nope.yaml"}).error.starts_with("cannot read"));
  // COMPOSE_FILE, `:`-separated.
  auto env_files = Load(dir, {{"COMPOSE_FILE", "docker-compose.yml"}});
  REQUIRE(env_files.error == "");
  CHECK(env_files.project->FindService("old"));
}

TEST_CASE("compose project: interpolation from the shell and .env", "[sim][compose]") {
  ProjectDir dir;
  dir.Write(".env", "TAG=from-dotenv\nPORT=8000\n");
  dir.Write("compose.yaml",
            "services:\n"
            "  web:\n"
            "    image: \"app:${TAG}\"\n"
            "    ports: [\"${PORT}:80\"]\n"
            "    command: echo $$HOME ${MISSING:-dflt} ${UNSET}\n"
            "    environment:\n"
            "      LEVEL: ${LEVEL-info}\n");
  auto loaded = Load(dir, {{"PORT", "9000"}});
  REQUIRE(loaded.error == "");
  const ComposeService& web = Service(*loaded.project, "web");
  CHECK(web.image == "app:from-dotenv");
  CHECK(web.ports.at(0).published == 9000);  // the shell wins over .env
  CHECK(web.command == Names{"echo", "$HOME", "dflt"});
  CHECK(web.environment.at("LEVEL") == "info");
  REQUIRE(loaded.project->warnings.size() == 1);
  const ComposeWarning& w = loaded.project->warnings[0];
  CHECK(testing::Where(w.diagnostic, loaded.project->files[0]) ==
        "compose.yaml:5:14: the \"UNSET\" variable is not set; defaulting to a blank string");

  dir.Write("compose.yaml",
            "services:\n"
            "  web:\n"
            "    image: postgres\n"
            "    environment:\n"
            "      POSTGRES_PASSWORD: ${DB_PASSWORD:?set DB_PASSWORD in .env}\n");
  CHECK(Load(dir).error ==
        "compose.yaml:5:26: services.web.environment.POSTGRES_PASSWORD: required variable "
        "DB_PASSWORD is missing a value: set DB_PASSWORD in .env");
  CHECK(Load(dir, {{"DB_PASSWORD", "s3cret"}}).error == "");

  dir.Write("compose.yaml", "services:\n  web:\n    image: alpine\n    command: \"echo ${1}\"\n");
  CHECK(
      Load(dir).error.starts_with("compose.yaml:4:20: services.web.command: invalid "
                                  "interpolation format"));
  dir.Write("prod.env", "TAG=prod\n");
  dir.Write("more.env", "TAG=${TAG}-more\n");
  dir.Write("compose.yaml", "services:\n  web:\n    image: app:${TAG}\n");
  {
    ComposeLoadOptions options;
    options.env_files = {"prod.env", "more.env"};
    auto p = LoadComposeProject(dir.Path(), {}, "", {}, options);
    REQUIRE(p);
    CHECK(p->services.at(0).image == "app:prod-more");  // instead of .env
    options.env_files = {"none.env"};
    CHECK(LoadComposeProject(dir.Path(), {}, "", {}, options).Error().message ==
          "couldn't find env file: " + dir.Path() + "/none.env");
  }
  dir.Write(".env", "OK=1\nNOT OK\n");
  CHECK(Load(dir).error == ".env:2:5: unexpected character \"O\" after variable name \"NOT\"");
  dir.Write(".env", "OK=1\n-X=2\n");
  CHECK(Load(dir).error.starts_with(".env:2:1: invalid variable name \"-X\""));
}

TEST_CASE("compose project: environment and env_file", "[sim][compose]") {
  ProjectDir dir;
  dir.Write("config/web.env", "# web\nA=from-file\nB=from-file\nSHELL_VAR\n");
  dir.Write("config/extra.env", "B=extra\n");
  dir.Write("compose.yaml",
            "services:\n"
            "  web:\n"
            "    image: alpine\n"
            "    env_file: [config/web.env, config/extra.env]\n"
            "    environment:\n"
            "      - A=inline\n"
            "      - PASSED\n"
            "      - NOT_SET\n"
            "  other:\n"
            "    image: alpine\n"
            "    env_file: config/web.env\n"
            "    environment: {X: 1, Y: , Z: \"two words\"}\n");
  auto loaded = Load(dir, {{"PASSED", "p"}, {"SHELL_VAR", "s"}, {"Y", "y"}});
  REQUIRE(loaded.error == "");
  CHECK(Service(*loaded.project, "web").environment ==
        std::map<std::string, std::string>{
            {"A", "inline"}, {"B", "extra"}, {"PASSED", "p"}, {"SHELL_VAR", "s"}});
  CHECK(Service(*loaded.project, "other").environment.at("Z") == "two words");
  CHECK(Service(*loaded.project, "other").environment.at("Y") == "y");
  CHECK(Service(*loaded.project, "other").environment.at("X") == "1");

  dir.Write("compose.yaml",
            "services:\n"
            "  web:\n"
            "    image: alpine\n"
            "    env_file:\n"
            "      - path: optional.env\n"
            "        required: false\n"
            "      - missing.env\n");
  CHECK(Load(dir).error == "compose.yaml:7:9: env file " + dir.Path() +
                               "/missing.env not found: stat " + dir.Path() +
                               "/missing.env: no such file or directory");
  dir.Write("compose.yaml", "services:\n  web:\n    image: alpine\n    env_file: bad.env\n");
  dir.Write("bad.env", "GOOD=1\n9BAD=2\n");
  CHECK(Load(dir).error.starts_with("bad.env:2:1: invalid variable name \"9BAD\""));
}

TEST_CASE("compose project: build, command, entrypoint and plain fields", "[sim][compose]") {
  ProjectDir dir;
  dir.Write("compose.yaml",
            "services:\n"
            "  api:\n"
            "    build:\n"
            "      context: ./backend\n"
            "      dockerfile: Dockerfile.dev\n"
            "      target: dev\n"
            "      args:\n"
            "        - VERSION=3\n"
            "        - FROM_SHELL\n"
            "    entrypoint: [\"/entry.sh\"]\n"
            "    command: python -m 'my app' --debug\n"
            "    restart: on-failure:3\n"
            "    working_dir: /srv\n"
            "    user: \"1000:1000\"\n"
            "    hostname: api.local\n"
            "    expose: [\"8000\", 9000]\n"
            "    stop_grace_period: 1m30s\n"
            "    scale: 2\n"
            "  simple:\n"
            "    build: ../elsewhere\n");
  auto loaded = Load(dir, {{"FROM_SHELL", "yes"}});
  REQUIRE(loaded.error == "");
  const ComposeProject& p = *loaded.project;
  const ComposeService& api = Service(p, "api");
  REQUIRE(api.build);
  CHECK(api.build->context == p.dir + "/backend");
  CHECK(api.build->dockerfile == "Dockerfile.dev");
  CHECK(api.build->target == "dev");
  CHECK(api.build->args.at("VERSION") == "3");
  CHECK(api.build->args.at("FROM_SHELL") == "yes");
  CHECK(api.entrypoint == Names{"/entry.sh"});
  CHECK(api.command == Names{"python", "-m", "my app", "--debug"});
  CHECK(api.restart == "on-failure:3");
  CHECK(api.working_dir == "/srv");
  CHECK(api.user == "1000:1000");
  CHECK(api.hostname == "api.local");
  CHECK(api.expose == Names{"8000", "9000"});
  CHECK(api.stop_grace_period == 90 * kSecond);
  CHECK(api.replicas == 2);
  CHECK(api.image.empty());
  const ComposeService& simple = Service(p, "simple");
  CHECK(simple.build->context ==
        std::filesystem::path(p.dir).parent_path().string() + "/elsewhere");
  CHECK(simple.build->dockerfile == "Dockerfile");
  CHECK_FALSE(simple.command);

  dir.Write("compose.yaml", "services:\n  x:\n    restart: sometimes\n    image: a\n");
  CHECK(
      Load(dir).error.starts_with("compose.yaml:3:14: services.x.restart: invalid restart "
                                  "policy \"sometimes\""));
  dir.Write("compose.yaml", "services:\n  x:\n    image: a\n    expose: [\"80/tcp\", http]\n");
  CHECK(Load(dir).error.starts_with("compose.yaml:4:24: services.x.expose: invalid port \"http\""));
  dir.Write("compose.yaml", "services:\n  x:\n    image: a\n    stop_grace_period: 10\n");
  CHECK(
      Load(dir).error.starts_with("compose.yaml:4:24: services.x.stop_grace_period: invalid "
                                  "duration \"10\""));
  dir.Write("compose.yaml", "services:\n  x:\n    image: a\n    command: echo 'oops\n");
  CHECK(Load(dir).error ==
        "compose.yaml:4:14: services.x.command: unterminated quote in "
        "\"echo 'oops\"");
  dir.Write("compose.yaml", "services:\n  x:\n    environment: {A: 1}\n");
  CHECK(Load(dir).error ==
        "compose.yaml:2:3: service \"x\" has neither an image nor a build "
        "context specified: invalid compose project");
}

TEST_CASE("compose project: ports, with deterministic random host ports", "[sim][compose]") {
  ProjectDir dir;
  dir.Write("compose.yaml",
            "services:\n"
            "  web:\n"
            "    image: nginx\n"
            "    ports:\n"
            "      - \"80\"\n"
            "      - 127.0.0.1:8443:443/tcp\n"
            "      - target: 9000\n"
            "        published: \"9001\"\n"
            "        protocol: udp\n"
            "        host_ip: 0.0.0.0\n"
            "      - target: 7000\n"
            "  api:\n"
            "    image: app\n"
            "    ports: [\"32768:3000\", \"3001\"]\n");
  auto loaded = Load(dir);
  REQUIRE(loaded.error == "");
  const ComposeService& web = Service(*loaded.project, "web");
  REQUIRE(web.ports.size() == 4);
  CHECK(web.ports[0].random_published);
  CHECK(web.ports[0].target == 80);
  CHECK(web.ports[1].host_ip == "127.0.0.1");
  CHECK(web.ports[1].published == 8443);
  CHECK(web.ports[2].published == 9001);
  CHECK(web.ports[2].protocol == "udp");
  CHECK(web.ports[2].host_ip == "0.0.0.0");
  CHECK(web.ports[3].random_published);
  // api comes first by name; 32768 is published explicitly, so random ports start at 32769.
  CHECK(Service(*loaded.project, "api").ports[1].published == 32769);
  CHECK(web.ports[0].published == 32770);
  CHECK(web.ports[3].published == 32771);

  dir.Write("compose.yaml", "services:\n  web:\n    image: nginx\n    ports: [\"80:http\"]\n");
  CHECK(Load(dir).error == "compose.yaml:4:13: services.web.ports: invalid containerPort: http");
  dir.Write("compose.yaml",
            "services:\n  web:\n    image: nginx\n    ports:\n      - published: 80\n");
  CHECK(Load(dir).error == "compose.yaml:5:9: services.web.ports item: target is required");
}

TEST_CASE("compose project: volumes and networks must be declared", "[sim][compose]") {
  ProjectDir dir;
  dir.Write("compose.yaml",
            "services:\n"
            "  web:\n"
            "    image: nginx\n"
            "    volumes:\n"
            "      - data:/var/lib/data:ro\n"
            "      - ./html:/usr/share/nginx/html\n"
            "      - /cache\n"
            "      - type: tmpfs\n"
            "        target: /tmp\n"
            "      - type: volume\n"
            "        source: logs\n"
            "        target: /logs\n"
            "    networks:\n"
            "      front:\n"
            "        aliases: [www]\n"
            "      back:\n"
            "  db:\n"
            "    image: postgres\n"
            "    networks: [back]\n"
            "  tool:\n"
            "    image: alpine\n"
            "    network_mode: host\n"
            "volumes:\n"
            "  data:\n"
            "  logs:\n"
            "    external: true\n"
            "networks:\n"
            "  front:\n"
            "    name: shared-front\n"
            "  back:\n");
  auto loaded = Load(dir, {}, {}, "proj");
  REQUIRE(loaded.error == "");
  const ComposeProject& p = *loaded.project;
  const ComposeService& web = Service(p, "web");
  REQUIRE(web.volumes.size() == 5);
  CHECK(web.volumes[0].type == ComposeMount::Type::kVolume);
  CHECK(web.volumes[0].source == "data");
  CHECK(web.volumes[0].read_only);
  CHECK(web.volumes[1].type == ComposeMount::Type::kBind);
  CHECK(web.volumes[1].source == p.dir + "/html");
  CHECK(web.volumes[2].source.empty());
  CHECK(web.volumes[3].type == ComposeMount::Type::kTmpfs);
  CHECK(p.VolumeName("data") == "proj_data");
  CHECK(p.VolumeName("logs") == "logs");  // external
  REQUIRE(web.networks.size() == 2);
  CHECK(web.networks[0].name == "back");
  CHECK(web.networks[1].aliases == Names{"www"});
  CHECK(p.NetworkName("front") == "shared-front");
  CHECK(p.NetworkName("back") == "proj_back");
  CHECK(Service(p, "tool").networks.empty());
  CHECK_FALSE(p.networks.count("default"));  // nobody is on it

  dir.Write("compose.yaml",
            "services:\n"
            "  web:\n"
            "    image: nginx\n"
            "    volumes:\n"
            "      - data:/data\n");
  CHECK(Load(dir).error ==
        "compose.yaml:5:9: service \"web\" refers to undefined volume data: "
        "invalid compose project");
  dir.Write("compose.yaml",
            "services:\n"
            "  web:\n"
            "    image: nginx\n"
            "    networks: [front]\n");
  CHECK(Load(dir).error ==
        "compose.yaml:4:16: service \"web\" refers to undefined network "
        "front: invalid compose project");
  dir.Write("compose.yaml", "services:\n  web:\n    image: nginx\n    volumes: [\"a:b\"]\n");
  CHECK(
      Load(dir).error.starts_with("compose.yaml:4:15: services.web.volumes: invalid volume "
                                  "specification: \"a:b\""));
}

TEST_CASE("compose project: depends_on, healthchecks, start and stop order", "[sim][compose]") {
  ProjectDir dir;
  dir.Write("compose.yaml",
            "services:\n"
            "  web:\n"
            "    image: app\n"
            "    depends_on:\n"
            "      db:\n"
            "        condition: service_healthy\n"
            "      migrate:\n"
            "        condition: service_completed_successfully\n"
            "      cache:\n"
            "        condition: service_started\n"
            "        required: false\n"
            "        restart: true\n"
            "  migrate:\n"
            "    image: app\n"
            "    depends_on: [db]\n"
            "  db:\n"
            "    image: postgres\n"
            "    healthcheck:\n"
            "      test: [\"CMD\", \"pg_isready\"]\n"
            "      interval: 1m30s\n"
            "      timeout: 5s\n"
            "      start_period: 10s\n"
            "      retries: 10\n"
            "  cache:\n"
            "    image: redis\n"
            "    healthcheck:\n"
            "      disable: true\n"
            "  admin:\n"
            "    image: adminer\n"
            "    healthcheck:\n"
            "      test: NONE\n");
  auto loaded = Load(dir);
  REQUIRE(loaded.error == "");
  const ComposeProject& p = *loaded.project;
  const ComposeService& web = Service(p, "web");
  REQUIRE(web.depends_on.size() == 3);
  CHECK(web.depends_on[0].service == "cache");
  CHECK_FALSE(web.depends_on[0].required);
  CHECK(web.depends_on[0].restart);
  CHECK(web.depends_on[1].condition == DependencyCondition::kServiceHealthy);
  CHECK(ConditionName(web.depends_on[2].condition) == "service_completed_successfully");
  CHECK(web.depends_on[1].site.range.begin.line == 5);
  const ComposeHealthcheck& h = *Service(p, "db").healthcheck;
  CHECK(h.test == Names{"CMD", "pg_isready"});
  CHECK(h.interval == 90 * kSecond);
  CHECK(h.timeout == 5 * kSecond);
  CHECK(h.start_period == 10 * kSecond);
  CHECK(h.retries == 10);
  CHECK_FALSE(h.disabled);
  CHECK(Service(p, "cache").healthcheck->disabled);
  CHECK(Service(p, "admin").healthcheck->disabled);
  CHECK_FALSE(Service(p, "migrate").healthcheck);

  CHECK(p.StartOrder() == Names{"admin", "cache", "db", "migrate", "web"});
  CHECK(p.StopOrder() == Names{"web", "migrate", "db", "cache", "admin"});
  CHECK(*p.ServicesToStart({"web"}) == Names{"cache", "db", "migrate", "web"});
  CHECK(*p.ServicesToStart({"migrate"}) == Names{"db", "migrate"});
  CHECK(*p.ServicesToStart({}) == p.StartOrder());
  CHECK(p.ServicesToStart({"wbe"}).Error().message ==
        "no such service: wbe (did you mean \"web\"?)");
  // The same file always gives the same order.
  CHECK(Load(dir).project->StartOrder() == p.StartOrder());
}

TEST_CASE("compose project: links, volumes_from and network_mode imply dependencies",
          "[sim][compose]") {
  ProjectDir dir;
  dir.Write("compose.yaml",
            "services:\n"
            "  app:\n"
            "    image: app\n"
            "    links: [\"db:database\"]\n"
            "    volumes_from: [\"data:ro\", \"container:outside\"]\n"
            "  sidecar:\n"
            "    image: envoy\n"
            "    network_mode: service:app\n"
            "  db:\n"
            "    image: postgres\n"
            "  data:\n"
            "    image: busybox\n");
  auto loaded = Load(dir);
  REQUIRE(loaded.error == "");
  const ComposeProject& p = *loaded.project;
  CHECK(p.StartOrder() == Names{"data", "db", "app", "sidecar"});
  CHECK(Service(p, "app").depends_on.size() == 2);
  CHECK(Service(p, "sidecar").networks.empty());

  dir.Write("compose.yaml", "services:\n  a:\n    image: x\n    network_mode: service:nope\n");
  CHECK(Load(dir).error ==
        "compose.yaml:4:19: service \"a\" depends on undefined service "
        "\"nope\": invalid compose project");
  dir.Write("compose.yaml",
            "services:\n  a:\n    image: x\n    network_mode: host\n    networks: [n]\n"
            "networks: {n: }\n");
  CHECK(Load(dir).error ==
        "compose.yaml:4:19: service a declares mutually exclusive "
        "`network_mode` and `networks`: invalid compose project");
}

TEST_CASE("compose project: dependency errors are positioned", "[sim][compose]") {
  ProjectDir dir;
  dir.Write("compose.yaml",
            "services:\n"
            "  web:\n"
            "    image: app\n"
            "    depends_on:\n"
            "      - dbb\n"
            "  db:\n"
            "    image: postgres\n");
  CHECK(Load(dir).error ==
        "compose.yaml:5:9: service \"web\" depends on undefined service "
        "\"dbb\": invalid compose project (did you mean \"db\"?)");
  dir.Write("compose.yaml",
            "services:\n"
            "  web:\n"
            "    image: app\n"
            "    depends_on: [db]\n"
            "  db:\n"
            "    image: postgres\n"
            "    depends_on:\n"
            "      web:\n"
            "        condition: service_started\n");
  // The search starts at "db" (by name); the edge that closes the cycle is web's.
  CHECK(Load(dir).error == "compose.yaml:4:18: dependency cycle detected: db -> web -> db");
  dir.Write("compose.yaml",
            "services:\n"
            "  a: {image: x, depends_on: [b]}\n"
            "  b: {image: x, depends_on: [c]}\n"
            "  c: {image: x, depends_on: [a]}\n");
  CHECK(Load(dir).error == "compose.yaml:4:30: dependency cycle detected: a -> b -> c -> a");
  dir.Write("compose.yaml",
            "services:\n"
            "  a:\n"
            "    image: x\n"
            "    depends_on:\n"
            "      b: {condition: service_ready}\n"
            "  b: {image: x}\n");
  CHECK(
      Load(dir).error.starts_with("compose.yaml:5:22: services.a.depends_on.b.condition must "
                                  "be one of"));
  dir.Write("compose.yaml",
            "services:\n  a:\n    image: x\n    healthcheck:\n      test: [curl]\n");
  CHECK(
      Load(dir).error.starts_with("compose.yaml:5:13: services.a.healthcheck.test: a list must "
                                  "start with"));
}

TEST_CASE("compose project: profiles", "[sim][compose]") {
  ProjectDir dir;
  dir.Write("compose.yaml",
            "services:\n"
            "  web:\n"
            "    image: app\n"
            "    depends_on:\n"
            "      db: {condition: service_started}\n"
            "      debugger: {condition: service_started, required: false}\n"
            "  db:\n"
            "    image: postgres\n"
            "  debugger:\n"
            "    image: debug\n"
            "    profiles: [debug]\n"
            "  admin:\n"
            "    image: adminer\n"
            "    profiles: [tools, debug]\n"
            "    depends_on: [debugger]\n");
  auto plain = Load(dir);
  REQUIRE(plain.error == "");
  const ComposeProject& p = *plain.project;
  CHECK(p.StartOrder() == Names{"db", "web"});
  REQUIRE(p.disabled_services.size() == 2);
  CHECK(p.disabled_services[0].name == "admin");
  CHECK(*p.ServicesToStart({"web"}) == Names{"db", "web"});  // debugger not required
  CHECK(p.ServicesToStart({"admin"}).Error().message ==
        "service \"debugger\" is required by \"admin\" but is disabled. Can be enabled by "
        "profiles debug");

  auto debug = Load(dir, {}, {}, "", {"debug"});
  REQUIRE(debug.error == "");
  CHECK(debug.project->StartOrder() == Names{"db", "debugger", "admin", "web"});
  CHECK(*debug.project->ServicesToStart({"web"}) == Names{"db", "debugger", "web"});

  auto tools = Load(dir, {{"COMPOSE_PROFILES", "tools"}});
  CHECK(tools.project->StartOrder() == Names{"db", "admin", "web"});
  // admin needs debugger, whose profile is off: `up` fails as Compose does.
  CHECK(tools.project->ServicesToStart({}).Error().message.starts_with(
      "service \"debugger\" is required by \"admin\" but is disabled"));
  auto all = Load(dir, {{"COMPOSE_PROFILES", "*"}});
  CHECK(all.project->services.size() == 4);
}

TEST_CASE("compose project: extends, in the same file and in another", "[sim][compose]") {
  ProjectDir dir;
  dir.Write("common/base.yaml",
            "services:\n"
            "  base:\n"
            "    image: app:${TAG:-1}\n"
            "    environment: {A: base, B: base}\n"
            "    volumes: [\"./data:/data\"]\n"
            "  broken:\n"
            "    image: x\n"
            "    ports: [\"80:http\"]\n");
  dir.Write("compose.yaml",
            "services:\n"
            "  common:\n"
            "    extends: {file: common/base.yaml, service: base}\n"
            "    environment: {B: common}\n"
            "    restart: always\n"
            "  web:\n"
            "    extends: common\n"
            "    command: serve\n"
            "    environment: {C: web}\n");
  auto loaded = Load(dir);
  REQUIRE(loaded.error == "");
  const ComposeProject& p = *loaded.project;
  const ComposeService& web = Service(p, "web");
  CHECK(web.image == "app:1");
  CHECK(web.restart == "always");
  CHECK(web.command == Names{"serve"});
  CHECK(web.environment ==
        std::map<std::string, std::string>{{"A", "base"}, {"B", "common"}, {"C", "web"}});
  REQUIRE(web.volumes.size() == 1);
  CHECK(web.volumes[0].source == p.dir + "/common/data");  // relative to base.yaml
  CHECK(p.files.size() == 2);
  CHECK_FALSE(p.FindService("base"));  // only services of the project's files

  dir.Write("compose.yaml",
            "services:\n  web:\n    extends: {file: common/base.yaml, service: nope}\n");
  CHECK(Load(dir).error == "compose.yaml:3:48: cannot extend service \"nope\" in " + dir.Path() +
                               "/common/base.yaml: service not found");
  dir.Write("compose.yaml",
            "services:\n  web:\n    extends: {file: common/base.yaml, service: broken}\n");
  CHECK(Load(dir).error == "base.yaml:8:13: services.web.ports: invalid containerPort: http");
  dir.Write("compose.yaml",
            "services:\n"
            "  a:\n    image: x\n    extends: b\n"
            "  b:\n    image: x\n    extends: a\n");
  CHECK(Load(dir).error == "compose.yaml:7:5: circular reference with extends: a");
}

TEST_CASE("compose project: include", "[sim][compose]") {
  ProjectDir dir;
  dir.Write("infra/compose.yaml",
            "name: ignored\n"
            "services:\n"
            "  db:\n"
            "    image: postgres\n"
            "    env_file: db.env\n"
            "    volumes: [\"./init:/docker-entrypoint-initdb.d\", \"pg:/var/lib/postgresql\"]\n"
            "volumes:\n"
            "  pg:\n");
  dir.Write("infra/db.env", "POSTGRES_DB=app\n");
  dir.Write("compose.yaml",
            "include:\n"
            "  - infra/compose.yaml\n"
            "services:\n"
            "  web:\n"
            "    image: app\n"
            "    depends_on: [db]\n");
  auto loaded = Load(dir, {}, {}, "");
  REQUIRE(loaded.error == "");
  const ComposeProject& p = *loaded.project;
  CHECK(p.name != "ignored");
  const ComposeService& db = Service(p, "db");
  CHECK(db.environment.at("POSTGRES_DB") == "app");
  CHECK(db.volumes[0].source == p.dir + "/infra/init");
  CHECK(p.VolumeName("pg") == p.name + "_pg");
  CHECK(p.StartOrder() == Names{"db", "web"});

  dir.Write("compose.yaml",
            "include: [infra/compose.yaml]\n"
            "services:\n"
            "  db:\n"
            "    image: mysql\n");
  CHECK(
      Load(dir).error.starts_with("compose.yaml:3:3: service \"db\" is already defined by an "
                                  "included file"));
  dir.Write("infra/compose.yaml", "services:\n  db:\n    image: postgres\n    restart: nope\n");
  dir.Write("compose.yaml", "include: [infra/compose.yaml]\n");
  CHECK(Load(dir).error.starts_with("compose.yaml:4:14: services.db.restart: invalid restart"));
  dir.Write("infra/compose.yaml", "include: [../compose.yaml]\n");
  CHECK(Load(dir).error.starts_with("compose.yaml:1:11: include cycle"));
  dir.Write("compose.yaml", "include: [missing.yaml]\n");
  CHECK(Load(dir).error.starts_with("compose.yaml:1:11: cannot read"));
}

TEST_CASE("compose project: what the simulator refuses, positioned", "[sim][compose]") {
  ProjectDir dir;
  dir.Write("compose.yaml", "services:\n  web:\n    imagee: a\n    x-mine: 1\n");
  CHECK(Load(dir).error ==
        "compose.yaml:3:5: services.web additional properties 'imagee' not "
        "allowed (did you mean \"image\"?)");
  dir.Write("compose.yaml", "x-common: {}\nservice:\n  web:\n    image: a\n");
  CHECK(Load(dir).error ==
        "compose.yaml:2:1: (root) additional properties 'service' not "
        "allowed (did you mean \"services\"?)");
  // The version 1 format (services at the top level) is not Compose v2's.
  dir.Write("compose.yaml", "web:\n  image: a\n");
  CHECK(Load(dir).error == "compose.yaml:1:1: (root) additional properties 'web' not allowed");
  dir.Write("compose.yaml", "services:\n  web:\n    image: [a]\n");
  CHECK(Load(dir).error == "compose.yaml:3:12: services.web.image must be a string");
  dir.Write("compose.yaml", "services:\n  web: {image: a\n");
  CHECK(Load(dir).error.starts_with("compose.yaml:"));
  dir.Write("compose.yaml", "- a\n- b\n");
  CHECK(Load(dir).error == "compose.yaml:1:1: the top level of a compose file must be a mapping");
}

}  // namespace
}  // namespace dockit::sim

namespace dockit::sim {
namespace {

TEST_CASE("compose project: errors render with their file and a caret", "[sim][compose]") {
  testing::ProjectDir dir;
  dir.Write("compose.yaml",
            "x-base: &base\n"
            "  image: app\n"
            "  restart: always\n"
            "services:\n"
            "  web:\n"
            "    <<: *base\n"
            "    volumes:\n"
            "      - cache:/cache\n");
  std::shared_ptr<const SourceFile> file;
  ComposeLoadOptions options;
  options.error_file = &file;
  auto project = LoadComposeProject(dir.Path(), {}, "", {}, options);
  REQUIRE_FALSE(project);
  REQUIRE(file);
  CHECK(Render(*file, project.Error()) ==
        dir.Path() +
            "/compose.yaml:8:9: error: service \"web\" refers to undefined volume cache: invalid "
            "compose project\n"
            "      - cache:/cache\n"
            "        ^~~~~~~~~~~~\n");
  dir.Write("compose.yaml",
            "x-base: &base\n  image: app\n  restart: always\n"
            "services:\n  web:\n    <<: *base\n");
  auto merged = LoadComposeProject(dir.Path(), {}, "", {}, options);
  REQUIRE(merged);
  CHECK(merged->services.at(0).image == "app");  // YAML merge keys apply
  CHECK(merged->services.at(0).restart == "always");
  CHECK(file == nullptr);
}

}  // namespace
}  // namespace dockit::sim

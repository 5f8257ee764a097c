// The compose view: services, depends_on forms, healthchecks, build, environment and ports.
#include <catch2/catch.hpp>
#include <stdexcept>

#include "parser/compose.hpp"

namespace dockit {
namespace {

std::shared_ptr<const ComposeFile> MustParse(std::string text) {
  auto file = std::make_shared<SourceFile>("compose.yaml", std::move(text));
  auto compose = ParseCompose(file);
  if (!compose) throw std::runtime_error(Render(*file, compose.Error()));
  return *compose;
}

std::string ErrorOf(std::string text) {
  auto file = std::make_shared<SourceFile>("compose.yaml", std::move(text));
  auto compose = ParseCompose(file);
  return compose ? std::string() : compose.Error().message;
}

TEST_CASE("services with depends_on in both forms", "[compose]") {
  auto c = MustParse(
      "version: '3'\nservices:\n  app:\n    image: example/app\n    depends_on: [db, cache]\n"
      "  worker:\n    depends_on:\n      db:\n        condition: service_healthy\n"
      "      cache:\n  db:\n    image: postgres\n    healthcheck:\n      test: pg_isready\n"
      "  cache:\n    image: redis\n    healthcheck:\n      disable: true\n");
  REQUIRE(c->version);
  CHECK(c->version->value.value == "3");
  REQUIRE(c->services.size() == 4);
  const ComposeService& app = c->services[0];
  CHECK(app.name == "app");
  CHECK(app.image == "example/app");
  REQUIRE(app.depends_on.size() == 2);
  CHECK(app.depends_on[0].service == "db");
  CHECK(app.depends_on[0].short_form);
  CHECK(app.depends_on[0].condition == "service_started");
  CHECK(app.depends_on[0].name->range.begin.column == 18);
  const ComposeService& worker = c->services[1];
  REQUIRE(worker.depends_on.size() == 2);
  CHECK_FALSE(worker.depends_on[0].short_form);
  CHECK(worker.depends_on[0].condition == "service_healthy");
  CHECK(worker.depends_on[0].condition_node->range.begin.line == 9);
  CHECK(worker.depends_on[1].condition == "service_started");
  CHECK(c->FindService("db")->HasHealthcheck());
  CHECK_FALSE(c->FindService("cache")->HasHealthcheck());
  CHECK_FALSE(app.HasHealthcheck());
}

TEST_CASE("build, environment and ports", "[compose]") {
  auto c = MustParse(
      "services:\n  a:\n    build: ./a\n    environment:\n      - X=1\n      - PASS\n"
      "    ports: [\"8080:80\", 127.0.0.1:53:53/udp, {target: 9000, published: 9000}]\n"
      "    expose: [\"7000\"]\n"
      "  b:\n    build:\n      context: b\n      dockerfile: B.Dockerfile\n"
      "    environment:\n      URL: \"http://x\"\n      EMPTY:\n");
  const ComposeService& a = c->services[0];
  REQUIRE(a.build);
  CHECK(a.build->context == "./a");
  CHECK(a.build->dockerfile.empty());
  REQUIRE(a.environment.size() == 2);
  CHECK(a.environment[0].name == "X");
  CHECK(a.environment[0].value == "1");
  CHECK(c->file->PosAt(a.environment[0].value_offset).column == 11);
  CHECK_FALSE(a.environment[1].has_value);
  CHECK(a.ContainerPorts() == std::vector<unsigned>{80, 53, 9000, 7000});
  const ComposeService& b = c->services[1];
  CHECK(b.build->context == "b");
  CHECK(b.build->dockerfile == "B.Dockerfile");
  CHECK(b.environment[0].value == "http://x");
  CHECK(c->file->PosAt(b.environment[0].value_offset).column == 13);
  CHECK_FALSE(b.environment[1].has_value);
}

TEST_CASE("container ports of short-form port specs", "[compose]") {
  CHECK(ContainerPortOf("3000") == 3000u);
  CHECK(ContainerPortOf("8080:80") == 80u);
  CHECK(ContainerPortOf("127.0.0.1:53:53/udp") == 53u);
  CHECK_FALSE(ContainerPortOf("9000-9010:9000-9010"));
  CHECK(ContainerPortOf("${PORT}:80/tcp") == 80u);
  CHECK_FALSE(ContainerPortOf("80:${PORT}"));
}

TEST_CASE("structure errors", "[compose]") {
  CHECK(ErrorOf("- a\n- b\n") == "the top level of a compose file must be a mapping");
  CHECK(ErrorOf("services: [a]\n") == "services must be a mapping");
  CHECK(ErrorOf("").empty());
  CHECK(MustParse("# only a comment\n")->services.empty());
}

}  // namespace
}  // namespace dockit

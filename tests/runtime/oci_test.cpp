// OCI image config and manifest JSON: the planner's ImageConfig and history there and back.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "runtime/oci.hpp"
#include "tests/runtime/image_test_util.hpp"

using dockit::runtime::StoredImage;

TEST_CASE("oci: the image config maps the planner's config both ways", "[oci]") {
  StoredImage image;
  image.created = 1736154000;
  image.config.env = {{"PATH", "/usr/bin:/bin"}, {"A", "x=y"}};
  image.config.entrypoint = {"/bin/sh", "-c"};
  image.config.entrypoint_set = true;
  image.config.cmd = {"echo", "hi"};
  image.config.cmd_set = true;
  image.config.user = "app:app";
  image.config.working_dir = "/app";
  image.config.exposed_ports = {"443/tcp", "80/tcp"};
  image.config.volumes = {"/data"};
  image.config.labels = {{"org.example", "1"}};
  image.config.healthcheck = std::vector<std::string>{"CMD", "true"};
  image.config.stop_signal = "SIGTERM";
  image.config.shell = {"/bin/bash", "-c"};
  image.config.onbuild = {"RUN make"};
  image.layers.push_back({"sha256:" + std::string(64, 'a'), "", 0, 0});
  image.history = {{"COPY . /app", 1736154000, 0, false}, {"CMD [\"echo\"]", 1736154001, 0, true}};
  std::string text = dockit::runtime::ConfigJson(image);
  auto j = nlohmann::json::parse(text);
  CHECK(j["created"] == "2025-01-06T09:00:00Z");
  CHECK(j["architecture"] == "amd64");
  CHECK(j["os"] == "linux");
  CHECK(j["config"]["Env"] == nlohmann::json({"PATH=/usr/bin:/bin", "A=x=y"}));
  CHECK(j["config"]["ExposedPorts"] == nlohmann::json::parse(R"({"443/tcp":{},"80/tcp":{}})"));
  CHECK(j["config"]["Volumes"] == nlohmann::json::parse(R"({"/data":{}})"));
  CHECK(j["config"]["Healthcheck"]["Test"] == nlohmann::json({"CMD", "true"}));
  CHECK(j["rootfs"]["type"] == "layers");
  CHECK(j["rootfs"]["diff_ids"][0] == image.layers[0].diff_id);
  CHECK(j["history"][0]["created_by"] == "COPY . /app");
  CHECK_FALSE(j["history"][0].contains("empty_layer"));
  CHECK(j["history"][1]["empty_layer"] == true);
  // Deterministic: the same image is the same bytes (and so the same ID).
  CHECK(dockit::runtime::ConfigJson(image) == text);

  auto back = dockit::runtime::ParseConfigJson(text);
  REQUIRE(back.Ok());
  CHECK(back->created == image.created);
  CHECK(back->config.env == image.config.env);
  CHECK(back->config.entrypoint == image.config.entrypoint);
  CHECK(back->config.entrypoint_set);
  CHECK(back->config.cmd == image.config.cmd);
  CHECK(back->config.user == image.config.user);
  CHECK(back->config.working_dir == image.config.working_dir);
  CHECK(back->config.exposed_ports == image.config.exposed_ports);
  CHECK(back->config.volumes == image.config.volumes);
  CHECK(back->config.labels == image.config.labels);
  CHECK(back->config.healthcheck == image.config.healthcheck);
  CHECK(back->config.stop_signal == image.config.stop_signal);
  CHECK(back->config.shell == image.config.shell);
  CHECK(back->config.onbuild == image.config.onbuild);
  REQUIRE(back->history.size() == 2);
  CHECK(back->history[1].empty_layer);
  CHECK(back->history[1].created == 1736154001);
  REQUIRE(back->layers.size() == 1);
  CHECK(back->layers[0].diff_id == image.layers[0].diff_id);
}

TEST_CASE("oci: an empty ENTRYPOINT [] differs from none", "[oci]") {
  StoredImage image;
  image.config.entrypoint_set = true;
  auto j = nlohmann::json::parse(dockit::runtime::ConfigJson(image));
  CHECK(j["config"]["Entrypoint"] == nlohmann::json::array());
  CHECK_FALSE(j["config"].contains("Cmd"));
  auto back = dockit::runtime::ParseConfigJson(j.dump());
  REQUIRE(back.Ok());
  CHECK(back->config.entrypoint_set);
  CHECK_FALSE(back->config.cmd_set);
}

TEST_CASE("oci: RFC 3339 times as docker and skopeo write them", "[oci]") {
  using dockit::runtime::ParseRfc3339;
  CHECK(dockit::runtime::FormatRfc3339(0) == "1970-01-01T00:00:00Z");
  CHECK(*ParseRfc3339("2025-01-06T09:00:00Z") == 1736154000);
  CHECK(*ParseRfc3339("2025-01-06T09:00:00.123456789Z") == 1736154000);
  CHECK(*ParseRfc3339("2025-01-06T10:00:00+01:00") == 1736154000);
  CHECK_FALSE(ParseRfc3339("yesterday").has_value());
}

TEST_CASE("oci: manifests name the config and the layer blobs", "[oci]") {
  auto m = dockit::runtime::ParseManifest(
      R"({"schemaVersion":2,"config":{"digest":"sha256:)" + std::string(64, '1') +
      R"("},"layers":[{"digest":"sha256:)" + std::string(64, '2') + R"("}]})");
  REQUIRE(m.Ok());
  CHECK(m->config_digest == "sha256:" + std::string(64, '1'));
  CHECK(m->layer_digests.size() == 1);
  CHECK_FALSE(dockit::runtime::ParseManifest("{}").Ok());
  CHECK_FALSE(dockit::runtime::ParseManifest(R"({"config":{"digest":"md5:x"},"layers":[]})").Ok());
}

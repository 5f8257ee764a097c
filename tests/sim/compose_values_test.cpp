#include "sim/compose_values.hpp"

#include <catch2/catch.hpp>

namespace dockit::sim {
namespace {

constexpr int64_t kS = 1'000'000'000;

TEST_CASE("compose durations are Go durations", "[sim][compose]") {
  CHECK(ParseGoDuration("1m30s") == 90 * kS);
  CHECK(ParseGoDuration("10s") == 10 * kS);
  CHECK(ParseGoDuration("1.5s") == 1'500'000'000);
  CHECK(ParseGoDuration("500ms") == 500'000'000);
  CHECK(ParseGoDuration("2h") == 7200 * kS);
  CHECK(ParseGoDuration("1h2m3s4ms5us6ns") == 3723 * kS + 4'005'006);
  CHECK(ParseGoDuration("0") == 0);
  CHECK_FALSE(ParseGoDuration("10"));  // Go wants a unit
  CHECK_FALSE(ParseGoDuration(""));
  CHECK_FALSE(ParseGoDuration("1d"));
  CHECK_FALSE(ParseGoDuration("s"));
  CHECK_FALSE(ParseGoDuration("1m30"));
}

TEST_CASE("compose port short syntax", "[sim][compose]") {
  auto one = [](std::string_view text) {
    PortParse p = ParsePortSpec(text);
    REQUIRE(p.error.empty());
    REQUIRE(p.ports.size() == 1);
    return p.ports[0];
  };
  PortSpec p = one("8080:80");
  CHECK(p.published == 8080);
  CHECK(p.target == 80);
  CHECK(p.protocol == "tcp");
  CHECK(p.host_ip.empty());
  p = one("127.0.0.1:8080:80/udp");
  CHECK(p.host_ip == "127.0.0.1");
  CHECK(p.published == 8080);
  CHECK(p.protocol == "udp");
  p = one("80");
  CHECK(p.published == 0);
  CHECK(p.target == 80);
  p = one("127.0.0.1::5000");
  CHECK(p.host_ip == "127.0.0.1");
  CHECK(p.published == 0);
  p = one("[::1]:6000:6000");
  CHECK(p.host_ip == "::1");
  CHECK(p.published == 6000);

  PortParse range = ParsePortSpec("9090-9091:8080-8081");
  REQUIRE(range.ports.size() == 2);
  CHECK(range.ports[1].published == 9091);
  CHECK(range.ports[1].target == 8081);
  CHECK(ParsePortSpec("8000-8010:80").ports.at(0).published == 8000);

  CHECK(ParsePortSpec("80/xyz").error == "invalid proto: xyz");
  CHECK(ParsePortSpec("http").error == "invalid containerPort: http");
  CHECK(ParsePortSpec("70000:80").error == "invalid hostPort: 70000");
  CHECK_FALSE(ParsePortSpec("1:2:3:4").error.empty());
  CHECK_FALSE(ParsePortSpec("8000-8002:9000-9001").error.empty());
}

TEST_CASE("compose volume short syntax", "[sim][compose]") {
  VolumeSpec v = ParseVolumeSpec("data:/var/lib/data:ro");
  CHECK_FALSE(v.bind);
  CHECK(v.source == "data");
  CHECK(v.target == "/var/lib/data");
  CHECK(v.read_only);
  v = ParseVolumeSpec("./src:/app");
  CHECK(v.bind);
  CHECK(v.source == "./src");
  CHECK_FALSE(v.read_only);
  v = ParseVolumeSpec("/var/run/docker.sock:/var/run/docker.sock:rw,z");
  CHECK(v.bind);
  v = ParseVolumeSpec("/cache");
  CHECK(v.source.empty());
  CHECK(v.target == "/cache");
  CHECK(v.error.empty());
  CHECK_FALSE(ParseVolumeSpec("data:relative").error.empty());
  CHECK_FALSE(ParseVolumeSpec("data:/x:bogus").error.empty());
  CHECK_FALSE(ParseVolumeSpec("a:/b:ro:x").error.empty());
}

TEST_CASE("compose splits string commands as go-shellwords does", "[sim][compose]") {
  using W = std::vector<std::string>;
  CHECK(SplitCommandLine("npm run  start") == W{"npm", "run", "start"});
  CHECK(SplitCommandLine("sh -c 'echo $HOME && ls'") == W{"sh", "-c", "echo $HOME && ls"});
  CHECK(SplitCommandLine(R"(echo "a \"b\"" c\ d)") == W{"echo", "a \"b\"", "c d"});
  CHECK(SplitCommandLine("") == W{});
  CHECK_FALSE(SplitCommandLine("echo 'oops"));
}

TEST_CASE("restart policies and paths", "[sim][compose]") {
  CHECK(IsRestartPolicy("no"));
  CHECK(IsRestartPolicy("on-failure:3"));
  CHECK(IsRestartPolicy("unless-stopped"));
  CHECK_FALSE(IsRestartPolicy("sometimes"));
  CHECK_FALSE(IsRestartPolicy("on-failure:x"));
  CHECK(ResolveHostPath("/p", "./src") == "/p/src");
  CHECK(ResolveHostPath("/p", "../x/./y") == "/x/y");
  CHECK(ResolveHostPath("/p", "/abs") == "/abs");
  CHECK(ResolveHostPath("/p", "~/data") == "~/data");
  CHECK(ResolveHostPath("/p", ".") == "/p");
}

}  // namespace
}  // namespace dockit::sim

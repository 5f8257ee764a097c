#include "sim/docker_flags.hpp"

#include <catch2/catch.hpp>

namespace dockit::sim {
namespace {

constexpr FlagSpec kRun[] = {
    {"detach", 'd'},         {"interactive", 'i'},   {"tty", 't'},       {"rm"},
    {"name", 0, true},       {"publish", 'p', true}, {"env", 'e', true}, {"volume", 'v', true},
    {"entrypoint", 0, true},
};

using Args = std::vector<std::string>;

TEST_CASE("docker's flag syntax", "[sim][flags]") {
  auto parsed = ParseFlags(Args{"-itd", "--rm", "-p80:80", "-p", "8443:443", "--publish=9000:9000",
                                "-e", "A=1", "--name=web", "nginx", "nginx", "-g", "--rm"},
                           kRun, /*stop_at_operand=*/true, "docker run");
  REQUIRE(parsed);
  CHECK(parsed->Has("interactive"));
  CHECK(parsed->Has("tty"));
  CHECK(parsed->Has("detach"));
  CHECK(parsed->Has("rm"));
  CHECK(parsed->Values("publish") == Args{"80:80", "8443:443", "9000:9000"});
  CHECK(parsed->Value("env") == "A=1");
  CHECK(parsed->Value("name") == "web");
  CHECK(parsed->Value("entrypoint", "none") == "none");
  CHECK(parsed->Operands() == Args{"nginx", "nginx", "-g", "--rm"});

  auto interspersed = ParseFlags(Args{"a", "--rm", "b", "--", "-d"}, kRun, false, "docker rm");
  REQUIRE(interspersed);
  CHECK(interspersed->Operands() == Args{"a", "b", "-d"});
  CHECK(interspersed->Has("rm"));
  auto off = ParseFlags(Args{"--rm=false", "x"}, kRun, false, "docker run");
  REQUIRE(off);
  CHECK_FALSE(off->Has("rm"));
}

TEST_CASE("docker's flag errors", "[sim][flags]") {
  auto check = [](Args args, const std::string& message) {
    auto parsed = ParseFlags(args, kRun, true, "docker run");
    REQUIRE_FALSE(parsed);
    CHECK(parsed.Error().message == message + "\nSee 'docker run --help'.");
  };
  check({"--frobnicate", "x"}, "unknown flag: --frobnicate");
  check({"-z"}, "unknown shorthand flag: 'z' in -z");
  check({"-iz"}, "unknown shorthand flag: 'z' in -iz");
  check({"--name"}, "flag needs an argument: --name");
  check({"-p"}, "flag needs an argument: 'p' in -p");
  check({"--rm=maybe"},
        "invalid argument \"maybe\" for \"--rm\" flag: strconv.ParseBool: parsing \"maybe\": "
        "invalid syntax");
}

}  // namespace
}  // namespace dockit::sim

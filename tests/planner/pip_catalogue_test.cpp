// The pip estimates from Debian's packaging of PyPI projects (planner/pip_catalogue_data.cpp).
#include "planner/pip_catalogue.hpp"

#include <catch2/catch.hpp>

#include "parser/dockerfile_parser.hpp"
#include "planner/run_size.hpp"

namespace dockit::plan {
namespace {

// Figures read off pip_catalogue_data.cpp (Debian 12): requests' closure of python3-* packages.
constexpr uint64_t kRequestsKib = 324 + 1144 + 209 + 335 + 232 + 63 + 456;
constexpr uint64_t kRequestsDebs = 152796 + 109720 + 49312 + 40956 + 67868 + 17516 + 114476;

TEST_CASE("pip project names and requirement lines", "[planner][pip]") {
  CHECK(NormalizeProject("Flask_Login") == "flask-login");
  CHECK(NormalizeProject("zope.interface") == "zope-interface");
  CHECK(PipDebianPackage("PyYAML") == "python3-yaml");
  CHECK(PipDebianPackage("requests") == "python3-requests");
  CHECK(PipDebianPackage("no-such-project") == "");
  auto reqs =
      ParseRequirementsFile("# app\nrequests==2.31.0\n\nflask>=2  # web\npyyaml \\\n  ~=6.0\r\n");
  REQUIRE(reqs);
  CHECK(*reqs == std::vector<std::string>{"requests==2.31.0", "flask>=2", "pyyaml   ~=6.0"});
  CHECK_FALSE(ParseRequirementsFile("-r base.txt\n"));
  CHECK_FALSE(ParseRequirementsFile("-e .\n"));
  CHECK_FALSE(ParseRequirementsFile("uvicorn[standard]\n"));
  CHECK_FALSE(ParseRequirementsFile("requests; python_version < '3.8'\n"));
}

TEST_CASE("pip install closures", "[planner][pip]") {
  auto requests = PipInstall({"requests"});
  REQUIRE(requests);
  CHECK(requests->packages.size() == 7);
  CHECK(requests->Bytes() == kRequestsKib * 1024);
  CHECK(requests->Downloads() == kRequestsDebs);
  CHECK(requests->packages.front().name == "python3-certifi");
  CHECK(requests->packages.front().version == "2022.9.24-1");
  // Versions and specifiers do not change the estimate (Debian's version is the figure).
  CHECK(PipInstall({"requests==2.31.0"})->Bytes() == requests->Bytes());
  auto both = PipInstall({"requests", "PyYAML"});
  REQUIRE(both);
  CHECK(both->Bytes() == (kRequestsKib + 493) * 1024);
  // Shared dependencies count once.
  auto flask = PipInstall({"flask"});
  auto flask_jinja = PipInstall({"flask", "jinja2"});
  REQUIRE(flask);
  REQUIRE(flask_jinja);
  CHECK(flask_jinja->Bytes() == flask->Bytes());
  CHECK_FALSE(PipInstall({"requests", "no-such-project-xyz"}));
  CHECK_FALSE(PipInstall({"uvicorn[standard]"}));
  CHECK_FALSE(PipInstall({"git+https://example.com/x.git"}));
}

std::optional<RunSize> Pip(const std::string& run, RunSizeContext context = {}) {
  auto file = std::make_shared<SourceFile>("Dockerfile", "FROM python:3.12-slim\n" + run + "\n");
  auto tree = ParseDockerfile(file);
  REQUIRE(tree);
  context.base = "python:3.12-slim";
  return PackageRunSize(ShellOf((*tree)->instructions[1], *file), context);
}

TEST_CASE("pip installs that may not run are not sized", "[planner][pip]") {
  CHECK(Pip("RUN pip install --no-cache-dir flask"));
  CHECK_FALSE(Pip("RUN if [ -f x ]; then pip install --no-cache-dir flask; fi"));
  CHECK_FALSE(Pip("RUN pip install --no-cache-dir flask || true"));
  CHECK_FALSE(Pip("RUN (pip install --no-cache-dir flask)"));
  // Two site-packages would hold a shared package twice.
  CHECK_FALSE(
      Pip("RUN pip install --no-cache-dir flask && pip install --no-cache-dir --user flask"));
  // The cache is what the installs after the last removal left.
  auto before = Pip("RUN rm -rf /root/.cache/pip && pip install flask");
  auto after = Pip("RUN pip install flask && rm -rf /root/.cache/pip");
  REQUIRE(before);
  REQUIRE(after);
  CHECK(before->bytes == after->bytes + PipInstall({"flask"})->Downloads());
}

TEST_CASE("RUNs of pip installs", "[planner][pip]") {
  auto plain = Pip("RUN pip install --no-cache-dir requests");
  REQUIRE(plain);
  CHECK(plain->bytes == kRequestsKib * 1024);
  CHECK(plain->source == "catalogue");
  CHECK(plain->how.find("estimate from Debian's python3-requests") != std::string::npos);
  // The breakdown the simulator reproduces: PipInstall's list, summing to the figure.
  CHECK(plain->packages.size() == 7);
  CHECK(PackageSet{plain->packages}.Bytes() == plain->bytes);
  for (const char* run : {"RUN pip3 install --no-cache-dir -U requests",
                          "RUN python -m pip install --no-cache-dir requests",
                          "RUN python3 -m pip install --user --no-cache-dir requests==2.28.1",
                          "RUN pip install requests && rm -rf /root/.cache/pip",
                          "RUN pip install requests && pip cache purge"}) {
    INFO(run);
    auto size = Pip(run);
    REQUIRE(size);
    CHECK(size->bytes == kRequestsKib * 1024);
  }
  // The download cache stays: the .debs' sizes stand for the wheels.
  auto cached = Pip("RUN pip install requests");
  REQUIRE(cached);
  CHECK(cached->bytes == kRequestsKib * 1024 + kRequestsDebs);
  CHECK(cached->how.find("pip cache") != std::string::npos);
  RunSizeContext mounted;  // Predict fills cache_mounts from the RUN's --mount=type=cache
  mounted.cache_mounts = {"/root/.cache/pip"};
  CHECK(
      Pip("RUN --mount=type=cache,target=/root/.cache/pip pip install requests", mounted)->bytes ==
      kRequestsKib * 1024);
  RunSizeContext env;
  env.env = {{"PIP_NO_CACHE_DIR", "1"}};
  CHECK(Pip("RUN pip install requests", env)->bytes == kRequestsKib * 1024);
  // Unknown: a project the catalogue lacks, options that change what is installed, a
  // requirements file no COPY put there.
  CHECK_FALSE(Pip("RUN pip install --no-cache-dir no-such-project-xyz"));
  CHECK_FALSE(Pip("RUN pip install --no-cache-dir --no-deps requests"));
  CHECK_FALSE(Pip("RUN pip install --no-cache-dir -e ."));
  CHECK_FALSE(Pip("RUN pip install --no-cache-dir -r requirements.txt"));
}

TEST_CASE("pip install -r reads the copied requirements file", "[planner][pip]") {
  RunSizeContext context;
  context.workdir = "/app";
  std::string asked;
  context.read_file = [&](const std::string& path) -> std::optional<std::string> {
    asked = path;
    if (path == "/app/requirements.txt") return "requests\npyyaml==6.0\n";
    if (path == "/app/bad.txt") return "requests\nno-such-project-xyz\n";
    return std::nullopt;
  };
  auto size = Pip("RUN pip install --no-cache-dir -r requirements.txt", context);
  REQUIRE(size);
  CHECK(asked == "/app/requirements.txt");
  CHECK(size->bytes == (kRequestsKib + 493) * 1024);
  CHECK_FALSE(Pip("RUN pip install --no-cache-dir -r bad.txt", context));
  CHECK_FALSE(Pip("RUN pip install --no-cache-dir -r other.txt", context));
}

}  // namespace
}  // namespace dockit::plan

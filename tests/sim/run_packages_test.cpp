// The RUN model's package managers, and the promise the planner makes: for every RUN the
// planner can size (planner/run_size.hpp), the layer the model produces has exactly the
// predicted bytes.
#include <rapidcheck.h>
#include <rapidcheck/catch.h>
#include <catch2/catch.hpp>

#include "planner/apt_catalogue.hpp"
#include "planner/run_size.hpp"
#include "sim/run_packages.hpp"
#include "tests/sim/run_test_util.hpp"

namespace dockit::sim {
namespace {

using testing::RunWorld;

TEST_CASE("run model: the layer of a RUN the planner sizes has the predicted bytes",
          "[sim][run][planner]") {
  struct Case {
    const char* image;
    const char* run;
  };
  const Case cases[] = {
      {"debian:bookworm-slim", "head -c 10M /dev/urandom > /blob"},
      {"debian:bookworm-slim", "head -c 1000 /dev/zero > /tmp/k && echo made"},
      {"debian:bookworm-slim", "dd if=/dev/zero of=/data.bin bs=1M count=64"},
      {"debian:bookworm-slim", "dd if=/dev/urandom bs=4K count=3 > /r.bin"},
      {"debian:bookworm-slim", "fallocate -l 1G /big"},
      {"debian:bookworm-slim", "truncate -s 100MB /sparse"},
      {"debian:bookworm-slim",
       "cd /tmp && head -c 1K /dev/zero > a && fallocate -l 2K b && truncate -s 3K /c"},
      {"alpine:3.20", "head -c 5M /dev/zero > /five && ls /"},
      {"debian:bookworm",
       "apt-get update && apt-get install -y --no-install-recommends curl git && "
       "rm -rf /var/lib/apt/lists/*"},
      {"debian:bookworm-slim",
       "apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*"},
      {"debian:bookworm-slim",
       "set -eux; apt-get update; apt-get install -y --no-install-recommends ca-certificates "
       "git; apt-get clean; rm -rf /var/lib/apt/lists/*"},
      {"debian:bookworm-slim",
       "apt-get update && apt-get install -y --no-install-recommends curl && "
       "apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*"},
      {"python:3.11-slim",
       "apt-get update && apt-get install -y --no-install-recommends build-essential && "
       "rm -rf /var/lib/apt/lists/*"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.image, c.run);
    ShellScript script = ParseShell(c.run);
    std::optional<plan::RunSize> predicted = plan::KnownRunSize(script);
    if (!predicted) predicted = plan::AptRunSize(script);
    REQUIRE(predicted.has_value());
    RunWorld w(c.image);
    RunOutcome outcome = RunScript(script, w.context);
    CAPTURE(outcome.output, outcome.opaque);
    REQUIRE(outcome.exit_code == 0);
    CHECK(outcome.opaque.empty());
    CHECK(w.LayerBytes() == predicted->bytes);
  }
}

TEST_CASE("run model: apt-get install needs the package lists", "[sim][run]") {
  RunWorld w;
  RunOutcome a = w.Run("apt-get install -y curl");
  CHECK(a.exit_code == 100);
  CHECK(a.output ==
        "Reading package lists...\nBuilding dependency tree...\nReading state information...\n"
        "E: Unable to locate package curl\n");
  CHECK(w.layer->Diff().changes.empty());

  // Lists left from an earlier step are enough.
  REQUIRE(w.Run("apt-get update").exit_code == 0);
  uint64_t lists = w.LayerBytes();
  CHECK(lists > 18'000'000);
  CHECK(lists < 20'000'000);
  RunOutcome b = w.Run("apt-get install -y --no-install-recommends curl");
  CHECK(b.exit_code == 0);
  CHECK(w.At("/var/lib/dpkg/info/curl.list") != nullptr);
  CHECK(w.LayerBytes() - lists == plan::AptInstallSize({"curl"}, false)->bytes);
  // Installing it again adds nothing.
  uint64_t before = w.LayerBytes();
  CHECK(w.Run("apt-get install -y --no-install-recommends curl").exit_code == 0);
  CHECK(w.LayerBytes() == before);
  // No .deb stays behind (Docker's images clean the archive cache), apt-get clean is a no-op.
  CHECK(w.Run("apt-get clean").exit_code == 0);
  CHECK(w.LayerBytes() == before);

  // Without -y, extra packages need a confirmation the build cannot give.
  RunOutcome c = w.Run("apt-get install git");
  CHECK(c.exit_code == 1);
  CHECK(c.output.ends_with("Do you want to continue? [Y/n] Abort.\n"));
}

TEST_CASE("run model: programs a package install may have brought are not `not found`",
          "[sim][run]") {
  RunWorld w;
  RunOutcome a = w.Run(
      "apt-get update && apt-get install -y --no-install-recommends curl && "
      "curl -fsSLo /x https://e.com/x && rm -rf /var/lib/apt/lists/*");
  CHECK(a.exit_code == 0);
  CHECK(a.installs == std::vector<std::string>{"apt-get install -y --no-install-recommends curl"});
  // A later step: the payload tells the model that packages came in.
  RunOutcome b = w.Run("frobnicate --now");
  CHECK(b.exit_code == 0);
  CHECK(b.opaque == std::vector<std::string>{"frobnicate --now"});

  RunWorld alpine("alpine:3.20");
  RunOutcome c = alpine.Run("apk add --no-cache shadow");
  CHECK(c.installs.size() == 1);
  alpine.context.earlier_installs = c.installs;
  CHECK(alpine.Run("useradd -m u && id -u u").output == "1000\n");
  CHECK(alpine.Run("apt-get update").output == "/bin/sh: apt-get: not found\n");
}

TEST_CASE("run model: apt on other images", "[sim][run]") {
  RunWorld ubuntu("ubuntu:22.04");
  RunOutcome a = ubuntu.Run("apt-get update && apt-get install -y curl");
  CHECK(a.exit_code == 0);
  CHECK(a.opaque == std::vector<std::string>{"apt-get install -y curl"});

  RunWorld slim("debian:bookworm-slim");
  RunOutcome b = slim.Run("apt-get update && apt-get install -y no-such-package-xyz");
  CHECK(b.exit_code == 0);
  CHECK(b.opaque.size() == 1);
}

TEST_CASE("run model: apk, pip, npm, poetry and downloads are recognised", "[sim][run]") {
  RunWorld alpine("alpine:3.20");
  RunOutcome a = alpine.Run("apk add --no-cache curl");
  CHECK(a.exit_code == 0);
  CHECK(a.opaque == std::vector<std::string>{"apk add --no-cache curl"});
  CHECK(alpine.layer->Diff().changes.empty());
  CHECK(alpine.Run("npm ci").output == "/bin/sh: npm: not found\n");

  RunWorld python("python:3.11-slim");
  RunOutcome b = python.Run("pip install --no-cache-dir flask");
  CHECK(b.exit_code == 0);
  CHECK(b.opaque.empty());  // the catalogue sizes it
  RunOutcome b2 = python.Run("pip install --no-cache-dir --index-url https://x/ flask");
  CHECK(b2.opaque.size() == 1);
  RunOutcome c = python.Run("pip install -r requirements.txt");
  CHECK(c.exit_code == 1);
  CHECK(c.output ==
        "ERROR: Could not open requirements file: [Errno 2] No such file or "
        "directory: 'requirements.txt'\n");
  CHECK(python.Run("apk add x").exit_code == 127);
  RunOutcome d = python.Run("poetry install");
  CHECK(d.exit_code == 127);

  RunWorld node("node:20");
  RunOutcome e = node.Run("mkdir /app && cd /app && npm ci");
  CHECK(e.exit_code == 1);
  CHECK(e.output.starts_with("npm ERR! code EUSAGE\n"));
  RunOutcome f = node.Run("cd /app && touch package-lock.json && npm ci");
  CHECK(f.exit_code == 0);
  CHECK(f.opaque == std::vector<std::string>{"npm ci"});

  RunWorld slim("debian:bookworm-slim");
  CHECK(slim.Run("curl -fsSL https://example.com/x -o /x").output == "sh: 1: curl: not found\n");
  RunWorld full("buildpack-deps:bookworm");
  RunOutcome g = full.Run("curl -fsSL https://example.com/x -o /x");
  CHECK(g.exit_code == 0);
  CHECK(g.opaque.size() == 1);
  // The file exists afterwards, with a size the model does not know.
  REQUIRE(full.At("/x") != nullptr);
  CHECK(full.At("/x")->size == 0);
  RunOutcome h = full.Run(
      "cd /tmp && curl -fsSLO https://example.com/app-1.0.tgz?x=1 && "
      "tar -xzf app-1.0.tgz && rm app-1.0.tgz && wget -q https://e.com/f.sh");
  CHECK(h.exit_code == 0);
  CHECK(full.At("/tmp/app-1.0.tgz") == nullptr);
  CHECK(full.At("/tmp/f.sh") != nullptr);
  CHECK(h.opaque.size() == 3);
  RunOutcome i =
      full.Run("wget -qO- https://e.com/install.sh | sh && curl -fsSLo /tmp/o https://e.com/o");
  CHECK(i.exit_code == 0);
  CHECK(full.At("/tmp/install.sh") == nullptr);
  CHECK(full.At("/install.sh") == nullptr);
  CHECK(full.At("/tmp/o") != nullptr);
}

TEST_CASE("run model: pip, npm, yarn and declared sizes make the layer PackageRunSize predicts",
          "[sim][run][planner]") {
  struct Case {
    const char* image;
    const char* setup;  // run first, not measured
    const char* run;
    std::vector<std::string> cache_mounts;
  };
  const Case cases[] = {
      {"python:3.11-slim", "", "pip install flask", {}},
      {"python:3.11-slim", "", "pip install --no-cache-dir flask requests", {}},
      {"python:3.11-slim", "", "pip install flask && rm -rf /root/.cache/pip", {}},
      {"python:3.11-slim", "", "python3 -m pip install --user requests && pip cache purge", {}},
      {"python:3.11-slim", "", "pip install flask", {"/root/.cache/pip"}},
      // The cache is what the installs after the last removal left.
      {"python:3.11-slim", "", "rm -rf /root/.cache/pip && pip install flask", {}},
      {"python:3.11-slim", "", "pip install flask && pip cache purge && pip install requests", {}},
      {"python:3.11-slim",
       "mkdir /app && printf 'flask\nrequests==2.28.1\n' > /app/req.txt",
       "cd /app && pip install -r req.txt",
       {}},
      {"node:20", "", "npm install express && npm cache clean --force", {}},
      {"node:20", "mkdir /app", "cd /app && npm i -g express", {"/root/.npm"}},
      {"buildpack-deps:bookworm",
       "",
       "curl -fsSLo /tmp/a.tgz https://e.com/a.tgz && make -C /src install",
       {}},
      {"buildpack-deps:bookworm",
       "",
       "cd /tmp && wget -q https://e.com/a.tgz && rm a.tgz && make -C /src install",
       {}},
  };
  plan::DeclaredSizes declared;
  declared.urls["https://e.com/a.tgz"] = 12'000'000;
  declared.commands["make -C /src install"] = 40'000'000;
  for (const Case& c : cases) {
    CAPTURE(c.image, c.run);
    RunWorld w(c.image);
    w.context.declared = &declared;
    if (*c.setup) REQUIRE(w.Run(c.setup).exit_code == 0);
    uint64_t before = w.LayerBytes();
    ShellScript script = ParseShell(c.run);
    plan::RunSizeContext sizes;
    sizes.env = w.context.env;
    sizes.cache_mounts = c.cache_mounts;
    sizes.declared = &declared;
    sizes.read_file = [&](const std::string& path) -> std::optional<std::string> {
      std::string text = w.Text(path);
      if (text.empty()) return std::nullopt;
      return text;
    };
    std::optional<plan::RunSize> predicted = plan::PackageRunSize(script, sizes);
    REQUIRE(predicted.has_value());
    w.context.cache_mounts = c.cache_mounts;
    RunOutcome outcome = RunScript(script, w.context);
    CAPTURE(outcome.output, outcome.opaque, outcome.notes);
    REQUIRE(outcome.exit_code == 0);
    CHECK(outcome.opaque.empty());
    CHECK(predicted->bytes > 0);
    CHECK(w.LayerBytes() - before == predicted->bytes);
  }
  // The packages are where sim/README.md says.
  RunWorld python("python:3.11-slim");
  REQUIRE(python.Run("pip install requests").exit_code == 0);
  bool site = false, wheel = false;
  for (const auto& [path, node] : python.layer->View().Entries()) {
    site = site || (path.starts_with(std::string(kPipSitePackages) + "/python3-requests-") &&
                    path.ends_with(".dockit"));
    wheel = wheel || (path.starts_with(std::string(kPipCacheDir) + "/wheels/") &&
                      path.ends_with(".dockit-wheel"));
  }
  CHECK(site);
  CHECK(wheel);
}

}  // namespace
}  // namespace dockit::sim

namespace dockit::sim {
namespace {

// Random apt RUNs: whenever the planner sizes one, the model's layer has exactly that size.
TEST_CASE("run model: the planner's apt sizes are the layer's for random apt RUNs",
          "[sim][run][planner][property]") {
  rc::prop("AptRunSize equals the diff's size", [] {
    const std::vector<std::string> names = {"curl",   "git",   "ca-certificates", "wget",
                                            "procps", "unzip", "gnupg",           "python3"};
    std::vector<std::string> commands = {"apt-get update"};
    const int installs = *rc::gen::inRange(1, 3);
    for (int i = 0; i < installs; ++i) {
      std::vector<std::string> picked = *rc::gen::nonEmpty(
          rc::gen::container<std::vector<std::string>>(rc::gen::elementOf(names)));
      std::string install = "apt-get install -y";
      // One flag for the whole RUN, as the planner reads it.
      if (i == 0 || commands[1].find("--no-install-recommends") != std::string::npos) {
        if (i == 0 && *rc::gen::arbitrary<bool>()) install += " --no-install-recommends";
        if (i > 0) install += " --no-install-recommends";
      }
      for (const std::string& p : picked) install += " " + p;
      commands.push_back(install);
    }
    if (*rc::gen::arbitrary<bool>()) commands.push_back("apt-get clean");
    commands.push_back("rm -rf /var/lib/apt/lists/*");
    std::string script;
    for (size_t i = 0; i < commands.size(); ++i) {
      if (i > 0) script += *rc::gen::element<std::string>(" && ", "; ", "\n");
      script += commands[i];
    }
    if (*rc::gen::arbitrary<bool>()) script = "set -eux; " + script;
    ShellScript view = ParseShell(script);
    std::optional<plan::RunSize> predicted = plan::AptRunSize(view);
    RC_ASSERT(predicted.has_value());
    RunWorld w(*rc::gen::element<std::string>("debian:bookworm-slim", "debian:bookworm",
                                              "python:3.11-slim"));
    RunOutcome outcome = RunScript(view, w.context);
    RC_ASSERT(outcome.exit_code == 0);
    RC_ASSERT(outcome.opaque.empty());
    RC_ASSERT(w.LayerBytes() == predicted->bytes);
  });
}

}  // namespace
}  // namespace dockit::sim

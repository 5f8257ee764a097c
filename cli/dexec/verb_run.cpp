// `dexec run` (without --sim): a command in a sandbox over an image's layers, in the
// foreground, with a throwaway upper directory; the exit code is the container's.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include "cli/dexec/root.hpp"
#include "cli/dexec/verbs.hpp"
#include "runtime/build_overlay.hpp"
#include "runtime/oci.hpp"
#include "runtime/sandbox.hpp"

namespace dockit::dexec {
namespace {

constexpr const char* kUsage =
    "usage: dexec run [--rm] [-e K=V]... [-w DIR] [-u USER] [-v HOST:CTR[:ro]]...\n"
    "                 [--network none|host] IMAGE [CMD...]\n";

int Fail(const std::string& message) {
  std::cerr << "dexec run: " << message << "\n";
  return 125;  // docker's code for an error of the run command itself
}

}  // namespace

int RunRunVerb(const Args& args, const Globals& globals) {
  std::string root = globals.root.empty() ? DefaultRoot() : globals.root;
  runtime::SandboxSpec spec;
  std::vector<std::pair<std::string, std::string>> env;
  std::optional<std::string> workdir, user;
  std::string image_ref;
  std::vector<std::string> command;
  size_t i = 0;
  for (; i < args.size(); ++i) {
    std::string_view a = args[i];
    bool has_value = i + 1 < args.size();
    if (!a.starts_with('-')) break;
    if (a == "--rm" || a == "-i" || a == "-t" || a == "-it") {
      continue;  // every container is removed when it exits; stdin is /dev/null
    } else if ((a == "-e" || a == "--env") && has_value) {
      std::string kv(args[++i]);
      size_t eq = kv.find('=');
      if (eq == std::string::npos) {
        const char* value = std::getenv(kv.c_str());
        if (value) env.emplace_back(kv, value);
      } else {
        env.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
      }
    } else if ((a == "-w" || a == "--workdir") && has_value) {
      workdir = std::string(args[++i]);
    } else if ((a == "-u" || a == "--user") && has_value) {
      user = std::string(args[++i]);
    } else if ((a == "-v" || a == "--volume") && has_value) {
      std::string v(args[++i]);
      size_t colon = v.find(':');
      if (colon == std::string::npos) return Fail("-v " + v + ": HOST:CONTAINER[:ro] expected");
      runtime::SandboxSpec::Bind bind;
      bind.host = v.substr(0, colon);
      bind.container = v.substr(colon + 1);
      if (bind.container.ends_with(":ro")) {
        bind.read_only = true;
        bind.container.resize(bind.container.size() - 3);
      } else if (bind.container.ends_with(":rw")) {
        bind.container.resize(bind.container.size() - 3);
      }
      std::error_code ec;
      std::filesystem::path host = std::filesystem::canonical(bind.host, ec);
      if (ec) return Fail("-v " + v + ": " + bind.host + " does not exist");
      bind.host = host.string();
      spec.binds.push_back(bind);
    } else if (a == "--network" && has_value) {
      std::string_view mode = args[++i];
      if (mode == "host") {
        spec.network = runtime::NetworkMode::kHost;
      } else if (mode != "none" && mode != "default") {
        return Fail("--network " + std::string(mode) + ": only none and host are supported");
      }
    } else {
      std::cerr << kUsage;
      return 2;
    }
  }
  if (i >= args.size()) {
    std::cerr << kUsage;
    return 2;
  }
  image_ref = args[i++];
  for (; i < args.size(); ++i) command.emplace_back(args[i]);

  if (std::optional<std::string> missing = runtime::SandboxUnavailable()) {
    return Fail(*missing + "; `dexec --sim run` runs containers on the simulator");
  }
  Result<runtime::Store> store = runtime::Store::Open(root);
  if (!store) return Fail(store.Error().message);
  Result<runtime::StoreLock> lock = store->LockShared();
  if (!lock) return Fail(lock.Error().message);
  Result<runtime::StoredImage> image = runtime::LoadImage(*store, image_ref);
  if (!image) {
    return Fail("image " + image_ref + " not found in " + root +
                ": dexec import/load it first (no registry access)");
  }
  const plan::ImageConfig& config = image->config;
  // Docker's rule: the entrypoint, then the command given or else the image's CMD.
  spec.argv = config.entrypoint;
  const std::vector<std::string>& cmd = command.empty() ? config.cmd : command;
  spec.argv.insert(spec.argv.end(), cmd.begin(), cmd.end());
  if (spec.argv.empty()) return Fail("no command specified");
  spec.env = config.env;
  for (const auto& [k, v] : env) {
    auto it =
        std::find_if(spec.env.begin(), spec.env.end(), [&](const auto& e) { return e.first == k; });
    if (it != spec.env.end()) {
      it->second = v;
    } else {
      spec.env.emplace_back(k, v);
    }
  }
  if (std::none_of(spec.env.begin(), spec.env.end(),
                   [](const auto& e) { return e.first == "PATH"; })) {
    spec.env.emplace_back("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  }
  spec.user = user.value_or(config.user);
  spec.cwd = workdir.value_or(config.working_dir.empty() ? "/" : config.working_dir);
  for (const runtime::LayerInfo& layer : image->layers) {
    spec.lower_dirs.push_back(store->LayerDir(layer.diff_id));
  }
  Result<runtime::StepScratch> scratch =
      runtime::StepScratch::Make(*store, "run", /*with_view=*/false);
  if (!scratch) return Fail(scratch.Error().message);
  spec.upper_dir = scratch->Upper();
  spec.work_dir = scratch->Work();
  Result<runtime::SandboxResult> ran = runtime::RunSandboxed(spec, [](std::string_view chunk) {
    (void)!::write(STDOUT_FILENO, chunk.data(), chunk.size());
  });
  if (!ran) return Fail(runtime::ExplainSandboxFailure(ran.Error()).message);
  return ran->exit_code;
}

}  // namespace dockit::dexec

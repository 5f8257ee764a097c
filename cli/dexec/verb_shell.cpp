// `dexec --sim shell`: an interactive prompt on the simulated world. A student types docker
// commands (with or without the leading `docker`), with line editing and history (libedit);
// `wait 30s` lets virtual time pass, `curl URL` asks a published port, `save [FILE]` and
// `load [FILE]` keep and restore the world (default: the --state file), `exit` saves to the
// state file and leaves. Without a terminal it reads commands from stdin, one per line.
#include <editline/readline.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "cli/dexec/verbs.hpp"
#include "sim/docker_cli.hpp"
#include "sim/lesson.hpp"
#include "sim/state_io.hpp"

namespace dockit::dexec {
namespace {

namespace fs = std::filesystem;

constexpr const char* kHelp =
    "Type docker commands, with or without `docker` in front: run, ps, build, images, logs, "
    "stop, ...\n"
    "  wait DURATION   let virtual time pass (30s, 5m, 2h)\n"
    "  curl URL        a request to a published port, e.g. curl localhost:8080\n"
    "  save [FILE]     save the world (default: the state file)\n"
    "  load [FILE]     load a saved world\n"
    "  help            this text; `docker --help` lists the docker commands\n"
    "  exit            save to the state file and leave\n";

// One line from the terminal (with editing and history) or from stdin; nullopt at the end.
std::optional<std::string> ReadLine(bool interactive) {
  if (interactive) {
    char* line = readline("docker> ");
    if (!line) return std::nullopt;
    std::string text(line);
    free(line);
    if (!text.empty()) add_history(text.c_str());
    return text;
  }
  std::string text;
  if (!std::getline(std::cin, text)) return std::nullopt;
  return text;
}

}  // namespace

int RunShellVerb(const Args& args, const Globals& globals) {
  if (!args.empty()) {
    std::cerr << "usage: dexec --sim shell\n";
    return 2;
  }
  std::string state = globals.StatePath();
  Result<sim::World> loaded = sim::LoadWorld(state);
  if (!loaded) {
    std::cerr << "dexec: " << loaded.Error().message << "\n";
    return 2;
  }
  sim::World world = std::move(loaded).Value();
  bool interactive = isatty(STDIN_FILENO);
  std::string history = (fs::path(state).parent_path() / "shell_history").string();
  if (interactive) {
    read_history(history.c_str());
    std::cout << "dexec simulator shell. `help` for help, `exit` to leave.\n";
  }
  std::optional<sim::CliSession> session;
  session.emplace(sim::CliSession{world, fs::current_path().string(), std::nullopt});
  auto save = [&](const std::string& path) {
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    Status saved = sim::SaveWorld(world, path);
    if (!saved) std::cerr << saved.Error().message << "\n";
    return saved.Ok();
  };
  int last = 0;
  while (std::optional<std::string> line = ReadLine(interactive)) {
    std::optional<std::vector<std::string>> words = sim::SplitWords(*line);
    if (!words) {
      std::cerr << "unterminated quote\n";
      continue;
    }
    if (words->empty() || words->front().starts_with('#')) continue;
    if (!interactive) std::cout << "docker> " << *line << "\n";
    std::vector<std::string>& w = *words;
    if (w[0] == "docker") w.erase(w.begin());
    if (w.empty() || w[0] == "--help" || w[0] == "help") {
      std::cout << kHelp;
      if (!w.empty() && w[0] == "--help") {
        for (const auto& [name, summary] : sim::DockerCommands()) {
          std::cout << "  " << name << "\t" << summary << "\n";
        }
      }
      continue;
    }
    if (w[0] == "exit" || w[0] == "quit") break;
    if (w[0] == "wait" && w.size() == 2) {
      std::optional<int64_t> seconds = sim::ParseDuration(w[1]);
      if (!seconds) {
        std::cerr << "wait: expected a duration such as 30s, 5m or 2h\n";
        continue;
      }
      world.Advance(*seconds);
      continue;
    }
    if (w[0] == "curl" && w.size() == 2) {
      Result<std::string> response = world.Request(w[1]);
      std::cout << (response ? *response : response.Error().message + "\n");
      continue;
    }
    if (w[0] == "save" || w[0] == "load") {
      std::string path = w.size() > 1 ? w[1] : state;
      if (w[0] == "save") {
        if (save(path)) std::cout << "saved to " << path << "\n";
        continue;
      }
      Result<sim::World> other = sim::LoadWorld(path);
      if (!other) {
        std::cerr << other.Error().message << "\n";
        continue;
      }
      world = std::move(other).Value();
      std::cout << "loaded " << path << "\n";
      continue;
    }
    last = sim::RunDockerCommand(*session, w, std::cout, std::cerr);
    std::cout.flush();
  }
  if (interactive) write_history(history.c_str());
  return save(state) ? last : 2;
}

}  // namespace dockit::dexec

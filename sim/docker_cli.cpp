#include "sim/docker_cli.hpp"

#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "parser/suggest.hpp"
#include "sim/build_command.hpp"
#include "sim/compose_cli.hpp"
#include "sim/docker_flags.hpp"
#include "sim/image_svg.hpp"

namespace dockit::sim {
namespace {

namespace fs = std::filesystem;
using Args = std::vector<std::string>;

struct Io {
  CliSession& session;
  std::ostream& out;
  std::ostream& err;
  World& world() { return session.world; }
};

using Handler = int (*)(Io& io, const Args& args);

// Parses flags; on an error prints it as docker does and gives nullopt (exit 125).
std::optional<ParsedFlags> Flags(Io& io, const Args& args, std::span<const FlagSpec> spec,
                                 std::string_view command, bool stop_at_operand = false) {
  Result<ParsedFlags> parsed = ParseFlags(args, spec, stop_at_operand, command);
  if (!parsed) {
    io.err << parsed.Error().message << "\n";
    return std::nullopt;
  }
  return std::move(parsed).Value();
}

int Usage(Io& io, std::string_view command, std::string_view usage, std::string_view what) {
  io.err << "\"" << command << "\" requires " << what << ".\nSee '" << command
         << " --help'.\n\nUsage:  " << usage << "\n";
  return 1;
}

// Prints a result's text, or its error; 0 or 1.
int Print(Io& io, const Result<std::string>& result) {
  if (!result) {
    io.err << result.Error().message << "\n";
    return 1;
  }
  io.out << *result;
  if (!result->empty() && result->back() != '\n') io.out << "\n";
  return 0;
}

std::string Resolve(const CliSession& session, const std::string& path) {
  if (path.empty() || path.starts_with('/')) return path;
  return (fs::path(session.cwd) / path).lexically_normal().string();
}

// --- build -----------------------------------------------------------------------------------

constexpr FlagSpec kBuildFlags[] = {
    {"tag", 't', true},     {"file", 'f', true}, {"no-cache"},
    {"build-arg", 0, true}, {"target", 0, true}, {"progress", 0, true},
    {"quiet", 'q'},         {"format", 0, true}, {"generate-context"},
};

int Build(Io& io, const Args& args) {
  auto flags = Flags(io, args, kBuildFlags, "docker build");
  if (!flags) return 125;
  if (flags->Operands().size() != 1) {
    return Usage(io, "docker build", "docker build [OPTIONS] PATH | URL | -", "exactly 1 argument");
  }
  std::string format = flags->Value("format", "progress");
  if (format != "progress" && format != "svg") {
    io.err << "unknown --format \"" << format << "\" (progress, svg)\n";
    return 125;
  }
  World& world = io.world();
  BuildRequest request;
  request.context = Resolve(io.session, flags->Operands()[0]);
  if (flags->Has("file")) request.dockerfile = Resolve(io.session, flags->Value("file"));
  request.tags = flags->Values("tag");
  if (flags->Has("target")) request.target = flags->Value("target");
  for (const std::string& kv : flags->Values("build-arg")) {
    size_t eq = kv.find('=');
    request.analyze.build_args[kv.substr(0, eq)] = eq == std::string::npos ? "" : kv.substr(eq + 1);
  }
  request.no_cache = flags->Has("no-cache");
  request.generate_context = flags->Has("generate-context");
  // The build sees every layer the world holds: the cache's and the images'.
  LayerStore layers = world.CacheLayers();
  for (const auto& [id, image] : world.Images()) {
    for (const auto& layer : image.layers.Layers()) layers.try_emplace(layer->diff_id, layer);
  }
  // Layers of images (before the build, and bases pulled by it) are the images'; the build's
  // own layers go into the cache, which keeps them when an image is removed, as BuildKit does.
  std::set<std::string> image_layers;
  for (const auto& [id, layer] : layers) {
    if (!world.CacheLayers().count(id)) image_layers.insert(id);
  }
  std::string pulls;
  BaseResolver resolve = [&](const std::string& ref) -> Result<plan::BaseImage> {
    Result<std::string> id = world.PullIfMissing(ref, &pulls);
    if (!id) return id.Error();
    const Image* image = world.ImageById(*id);
    plan::BaseImage base;
    base.config = image->config;
    base.size = image->Size();
    base.history = image->history;
    for (const auto& layer : image->layers.Layers()) {
      layers.try_emplace(layer->diff_id, layer);
      image_layers.insert(layer->diff_id);
      base.layers.push_back(layer->diff_id);
    }
    return base;
  };
  BuildWorld target{layers, world.Texts(), world.Record(), world.Now(), resolve};
  std::ostringstream progress;
  Result<BuildResult> built = RunBuild(request, target, progress);
  if (format == "progress" && !flags->Has("quiet")) io.err << progress.str();
  // Whatever finished is in the record: keep its layers (a failed build's finished steps too).
  for (const auto& [id, layer] : layers) {
    if (!image_layers.count(id) && !world.CacheLayers().count(id)) world.AddCacheLayer(layer);
  }
  if (!built) {
    const Diagnostic& d = built.Error();
    io.err << "ERROR: " << d.message << "\n";
    return 1;
  }
  size_t rebuilt = built->steps.size() - built->cached;
  std::string id = world.AddImage(built->image, request.tags.empty() ? "" : request.tags[0]);
  for (size_t i = 1; i < request.tags.size(); ++i) (void)world.Tag(id, request.tags[i]);
  io.session.last_build = LastBuild{built->plan, built->steps, id};
  // A build takes virtual time: a second, and one more for each step that ran.
  world.Advance(1 + static_cast<int64_t>(rebuilt));
  if (format == "svg") {
    io.out << BuildTimelineSvg(*built->plan, built->steps,
                               request.tags.empty() ? id.substr(7, 12) : request.tags[0]);
  } else if (flags->Has("quiet")) {
    io.out << id << "\n";
  }
  return 0;
}

// --- containers ------------------------------------------------------------------------------

constexpr FlagSpec kRunFlags[] = {
    {"detach", 'd'},
    {"interactive", 'i'},
    {"tty", 't'},
    {"rm"},
    {"name", 0, true},
    {"publish", 'p', true},
    {"publish-all", 'P'},
    {"env", 'e', true},
    {"volume", 'v', true},
    {"network", 0, true},
    {"net", 0, true},
    {"network-alias", 0, true},
    {"entrypoint", 0, true},
    {"workdir", 'w', true},
    {"user", 'u', true},
    {"restart", 0, true},
    {"health-cmd", 0, true},
    {"health-interval", 0, true},
    {"health-retries", 0, true},
    {"no-healthcheck"},
    {"label", 'l', true},
};

// The options of `run` and `create`, and the image and command operands.
std::optional<std::pair<RunOptions, Args>> RunOptionsOf(Io& io, const Args& args,
                                                        std::string_view command) {
  auto flags = Flags(io, args, kRunFlags, command, /*stop_at_operand=*/true);
  if (!flags) return std::nullopt;
  if (flags->Operands().empty()) {
    Usage(io, command, std::string(command) + " [OPTIONS] IMAGE [COMMAND] [ARG...]",
          "at least 1 argument");
    return std::nullopt;
  }
  RunOptions o;
  o.name = flags->Value("name");
  o.detach = flags->Has("detach");
  o.interactive = flags->Has("interactive");
  o.tty = flags->Has("tty");
  o.rm = flags->Has("rm");
  o.publish = flags->Values("publish");
  o.publish_all = flags->Has("publish-all");
  o.env = flags->Values("env");
  o.volumes = flags->Values("volume");
  o.network = flags->Value("network", flags->Value("net"));
  o.network_aliases = flags->Values("network-alias");
  if (flags->Has("entrypoint")) o.entrypoint = flags->Value("entrypoint");
  o.workdir = flags->Value("workdir");
  o.user = flags->Value("user");
  o.restart = flags->Value("restart", "no");
  if (flags->Has("health-cmd")) o.health_cmd = flags->Value("health-cmd");
  if (flags->Has("health-interval")) {
    std::string v = flags->Value("health-interval");
    o.health_interval = std::atoll(v.c_str());
  }
  if (flags->Has("health-retries"))
    o.health_retries = std::atoi(flags->Value("health-retries").c_str());
  o.no_healthcheck = flags->Has("no-healthcheck");
  for (const std::string& l : flags->Values("label")) {
    size_t eq = l.find('=');
    o.labels[l.substr(0, eq)] = eq == std::string::npos ? "" : l.substr(eq + 1);
  }
  Args operands = flags->Operands();
  o.command.assign(operands.begin() + 1, operands.end());
  return std::make_pair(o, Args{operands.front()});
}

// docker's exit code for a run that could not start its program.
int StartFailure(Io& io, const Diagnostic& d, std::string_view command) {
  io.err << "docker: " << d.message << "\nSee '" << command << " --help'.\n";
  return d.code == "exec-failed" ? 127 : 125;
}

int Run(Io& io, const Args& args) {
  auto parsed = RunOptionsOf(io, args, "docker run");
  if (!parsed) return 125;
  Result<RunResult> run = io.world().Run(parsed->second[0], parsed->first);
  if (!run) return StartFailure(io, run.Error(), "docker run");
  io.out << run->output;
  const Container* c = io.world().ContainerById(run->id);
  if (parsed->first.interactive && parsed->first.tty && !parsed->first.detach && c &&
      c->Running()) {
    // A real terminal would now be attached to the container's program.
    io.err << "[sim] " << c->name
           << " is running with its input open; the simulator attaches no terminal: run "
              "commands in it with `docker exec "
           << c->name << " COMMAND`, end it with `docker stop " << c->name << "`\n";
  }
  return run->exit_code.value_or(0);
}

int Create(Io& io, const Args& args) {
  auto parsed = RunOptionsOf(io, args, "docker create");
  if (!parsed) return 125;
  std::string output;
  Result<std::string> id = io.world().Create(parsed->second[0], parsed->first, &output);
  io.out << output;
  if (!id) return StartFailure(io, id.Error(), "docker create");
  io.out << *id << "\n";
  return 0;
}

// `docker stop a b c` and the like: each operand in turn; 1 if any failed.
template <typename Action>
int EachContainer(Io& io, const Args& operands, std::string_view command, Action action) {
  if (operands.empty()) {
    return Usage(io, command, std::string(command) + " [OPTIONS] CONTAINER [CONTAINER...]",
                 "at least 1 argument");
  }
  int status = 0;
  for (const std::string& name : operands) {
    Result<std::string> result = action(name);
    if (!result) {
      io.err << result.Error().message << "\n";
      status = 1;
    } else {
      io.out << *result;
    }
  }
  return status;
}

constexpr FlagSpec kStopFlags[] = {{"time", 't', true}, {"signal", 's', true}};
constexpr FlagSpec kKillFlags[] = {{"signal", 's', true}};
constexpr FlagSpec kRmFlags[] = {{"force", 'f'}, {"volumes", 'v'}, {"link", 'l'}};
constexpr FlagSpec kStartFlags[] = {{"attach", 'a'}, {"interactive", 'i'}};

std::optional<int> Timeout(const ParsedFlags& flags) {
  if (!flags.Has("time")) return std::nullopt;
  return std::atoi(flags.Value("time").c_str());
}

int Stop(Io& io, const Args& args) {
  auto flags = Flags(io, args, kStopFlags, "docker stop");
  if (!flags) return 125;
  return EachContainer(io, flags->Operands(), "docker stop",
                       [&](const std::string& c) { return io.world().Stop(c, Timeout(*flags)); });
}

int Restart(Io& io, const Args& args) {
  auto flags = Flags(io, args, kStopFlags, "docker restart");
  if (!flags) return 125;
  return EachContainer(io, flags->Operands(), "docker restart", [&](const std::string& c) {
    return io.world().Restart(c, Timeout(*flags));
  });
}

int Kill(Io& io, const Args& args) {
  auto flags = Flags(io, args, kKillFlags, "docker kill");
  if (!flags) return 125;
  std::string signal = flags->Value("signal", "SIGKILL");
  return EachContainer(io, flags->Operands(), "docker kill",
                       [&](const std::string& c) { return io.world().Kill(c, signal); });
}

int Start(Io& io, const Args& args) {
  auto flags = Flags(io, args, kStartFlags, "docker start");
  if (!flags) return 125;
  return EachContainer(io, flags->Operands(), "docker start",
                       [&](const std::string& c) { return io.world().Start(c); });
}

int Rm(Io& io, const Args& args) {
  auto flags = Flags(io, args, kRmFlags, "docker rm");
  if (!flags) return 125;
  return EachContainer(io, flags->Operands(), "docker rm", [&](const std::string& c) {
    return io.world().Remove(c, flags->Has("force"), flags->Has("volumes"));
  });
}

constexpr FlagSpec kLogsFlags[] = {
    {"follow", 'f'}, {"timestamps", 't'}, {"tail", 'n', true}, {"since", 0, true}};

// How long `logs -f` follows a running container on the virtual clock before it gives the
// prompt back (a real terminal would wait for Ctrl-C).
constexpr int64_t kFollowSeconds = 60;

int Logs(Io& io, const Args& args) {
  auto flags = Flags(io, args, kLogsFlags, "docker logs");
  if (!flags) return 125;
  if (flags->Operands().size() != 1) {
    return Usage(io, "docker logs", "docker logs [OPTIONS] CONTAINER", "exactly 1 argument");
  }
  LogsOptions options;
  options.timestamps = flags->Has("timestamps");
  if (flags->Has("tail") && flags->Value("tail") != "all") {
    options.tail = std::atoi(flags->Value("tail").c_str());
  }
  const std::string& name = flags->Operands()[0];
  if (flags->Has("follow")) {
    Result<std::string> id = io.world().FindContainer(name);
    if (!id) return Print(io, Result<std::string>(id.Error()));
    // Follow: let virtual time pass until the program ends, or kFollowSeconds at most.
    for (int64_t s = 0; s < kFollowSeconds; ++s) {
      const Container* c = io.world().ContainerById(*id);
      if (!c || !c->Running()) break;
      io.world().Advance(1);
    }
  }
  return Print(io, io.world().Logs(name, options));
}

constexpr FlagSpec kExecFlags[] = {{"interactive", 'i'}, {"tty", 't'},
                                   {"detach", 'd'},      {"env", 'e', true},
                                   {"user", 'u', true},  {"workdir", 'w', true}};

int Exec(Io& io, const Args& args) {
  auto flags = Flags(io, args, kExecFlags, "docker exec", /*stop_at_operand=*/true);
  if (!flags) return 125;
  if (flags->Operands().size() < 2) {
    return Usage(io, "docker exec", "docker exec [OPTIONS] CONTAINER COMMAND [ARG...]",
                 "at least 2 arguments");
  }
  RunOptions options;
  options.env = flags->Values("env");
  options.user = flags->Value("user");
  options.workdir = flags->Value("workdir");
  options.interactive = flags->Has("interactive");
  options.tty = flags->Has("tty");
  Args argv(flags->Operands().begin() + 1, flags->Operands().end());
  Result<ExecResult> result = io.world().Exec(flags->Operands()[0], argv, options);
  if (!result) {
    io.err << result.Error().message << "\n";
    return result.Error().code == "exec-failed" ? 127 : 1;
  }
  io.out << result->output;
  return result->exit_code;
}

constexpr FlagSpec kPsFlags[] = {{"all", 'a'}, {"quiet", 'q'}, {"no-trunc"}};

int Ps(Io& io, const Args& args) {
  auto flags = Flags(io, args, kPsFlags, "docker ps");
  if (!flags) return 125;
  io.out << io.world().PsTable(flags->Has("all"), flags->Has("quiet"));
  return 0;
}

constexpr FlagSpec kNoFlags[] = {{"help-unused-sentinel"}};

int Diff(Io& io, const Args& args) {
  auto flags = Flags(io, args, kNoFlags, "docker diff");
  if (!flags) return 125;
  if (flags->Operands().size() != 1) {
    return Usage(io, "docker diff", "docker diff CONTAINER", "exactly 1 argument");
  }
  return Print(io, io.world().Diff(flags->Operands()[0]));
}

constexpr FlagSpec kInspectFlags[] = {{"format", 'f', true}, {"type", 0, true}};

int Inspect(Io& io, const Args& args) {
  auto flags = Flags(io, args, kInspectFlags, "docker inspect");
  if (!flags) return 125;
  if (flags->Operands().empty()) {
    return Usage(io, "docker inspect", "docker inspect [OPTIONS] NAME|ID [NAME|ID...]",
                 "at least 1 argument");
  }
  int status = 0;
  for (const std::string& name : flags->Operands()) status |= Print(io, io.world().Inspect(name));
  return status;
}

// --- images ----------------------------------------------------------------------------------

constexpr FlagSpec kImagesFlags[] = {{"all", 'a'}, {"quiet", 'q'}, {"no-trunc"}};

int Images(Io& io, const Args& args) {
  auto flags = Flags(io, args, kImagesFlags, "docker images");
  if (!flags) return 125;
  io.out << io.world().ImagesTable(flags->Has("quiet"));
  return 0;
}

constexpr FlagSpec kRmiFlags[] = {{"force", 'f'}, {"no-prune"}};

int Rmi(Io& io, const Args& args) {
  auto flags = Flags(io, args, kRmiFlags, "docker rmi");
  if (!flags) return 125;
  return EachContainer(io, flags->Operands(), "docker rmi", [&](const std::string& image) {
    return io.world().RemoveImage(image, flags->Has("force"));
  });
}

constexpr FlagSpec kHistoryFlags[] = {
    {"format", 0, true}, {"no-trunc"}, {"human", 'H'}, {"quiet", 'q'}};

int History(Io& io, const Args& args) {
  auto flags = Flags(io, args, kHistoryFlags, "docker history");
  if (!flags) return 125;
  if (flags->Operands().size() != 1) {
    return Usage(io, "docker history", "docker history [OPTIONS] IMAGE", "exactly 1 argument");
  }
  const std::string& name = flags->Operands()[0];
  if (flags->Value("format") == "svg") {
    Result<std::string> id = io.world().FindImage(name);
    if (!id) return Print(io, Result<std::string>(id.Error()));
    io.out << ImageLayersSvg(*io.world().ImageById(*id), name);
    return 0;
  }
  return Print(io, io.world().HistoryTable(name));
}

int Tag(Io& io, const Args& args) {
  auto flags = Flags(io, args, kNoFlags, "docker tag");
  if (!flags) return 125;
  if (flags->Operands().size() != 2) {
    return Usage(io, "docker tag", "docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
                 "exactly 2 arguments");
  }
  Status tagged = io.world().Tag(flags->Operands()[0], flags->Operands()[1]);
  if (!tagged) {
    io.err << tagged.Error().message << "\n";
    return 1;
  }
  return 0;
}

int Pull(Io& io, const Args& args) {
  auto flags = Flags(io, args, kNoFlags, "docker pull");
  if (!flags) return 125;
  if (flags->Operands().size() != 1) {
    return Usage(io, "docker pull", "docker pull [OPTIONS] NAME[:TAG|@DIGEST]",
                 "exactly 1 argument");
  }
  std::string output;
  Result<std::string> id = io.world().PullIfMissing(flags->Operands()[0], &output);
  io.out << output;
  if (!id) {
    io.err << id.Error().message << "\n";
    return 1;
  }
  if (output.empty()) {
    io.out << "Status: Image is up to date for " << NormalizeReference(flags->Operands()[0])
           << "\n";
  }
  return 0;
}

// --- prune, volumes, networks ---------------------------------------------------------------

constexpr FlagSpec kPruneFlags[] = {{"all", 'a'}, {"force", 'f'}, {"volumes"}, {"filter", 0, true}};

// Without -f docker asks first; the simulator has no one to ask, so it does what a "N" does.
bool Confirmed(Io& io, const ParsedFlags& flags, std::string_view warning) {
  if (flags.Has("force")) return true;
  io.out << "WARNING! " << warning
         << "\nAre you sure you want to continue? [y/N] \n(the simulator does not ask: add -f)\n";
  return false;
}

int Prune(Io& io, const Args& args, std::string_view command, std::string_view warning,
          PruneReport (*prune)(World&, const ParsedFlags&)) {
  auto flags = Flags(io, args, kPruneFlags, command);
  if (!flags) return 125;
  if (!Confirmed(io, *flags, warning)) return 0;
  io.out << prune(io.world(), *flags).output;
  return 0;
}

int ContainerPrune(Io& io, const Args& args) {
  return Prune(io, args, "docker container prune", "This will remove all stopped containers.",
               [](World& w, const ParsedFlags&) { return w.PruneContainers(); });
}
int ImagePrune(Io& io, const Args& args) {
  return Prune(io, args, "docker image prune", "This will remove all dangling images.",
               [](World& w, const ParsedFlags& f) { return w.PruneImages(f.Has("all")); });
}
int BuilderPrune(Io& io, const Args& args) {
  return Prune(io, args, "docker builder prune", "This will remove all dangling build cache.",
               [](World& w, const ParsedFlags&) { return w.PruneBuilder(); });
}
int SystemPrune(Io& io, const Args& args) {
  return Prune(
      io, args, "docker system prune",
      "This will remove:\n  - all stopped containers\n  - all networks not used by at "
      "least one container\n  - all dangling images\n  - unused build cache",
      [](World& w, const ParsedFlags& f) { return w.PruneSystem(f.Has("all"), f.Has("volumes")); });
}
int VolumePrune(Io& io, const Args& args) {
  return Prune(io, args, "docker volume prune",
               "This will remove anonymous local volumes not used by at least one container.",
               [](World& w, const ParsedFlags& f) { return w.PruneVolumes(f.Has("all")); });
}
int NetworkPrune(Io& io, const Args& args) {
  return Prune(io, args, "docker network prune",
               "This will remove all custom networks not used by at least one container.",
               [](World& w, const ParsedFlags&) { return w.PruneNetworks(); });
}

constexpr FlagSpec kLsFlags[] = {{"quiet", 'q'}, {"filter", 0, true}, {"format", 0, true}};
constexpr FlagSpec kVolumeRmFlags[] = {{"force", 'f'}};
constexpr FlagSpec kNetworkCreateFlags[] = {{"driver", 'd', true}};

int VolumeLs(Io& io, const Args& args) {
  if (!Flags(io, args, kLsFlags, "docker volume ls")) return 125;
  io.out << io.world().VolumesTable();
  return 0;
}
int VolumeCreate(Io& io, const Args& args) {
  auto flags = Flags(io, args, kNoFlags, "docker volume create");
  if (!flags) return 125;
  std::string name = flags->Operands().empty() ? "" : flags->Operands()[0];
  return Print(io, io.world().CreateVolume(name));
}
int VolumeRm(Io& io, const Args& args) {
  auto flags = Flags(io, args, kVolumeRmFlags, "docker volume rm");
  if (!flags) return 125;
  return EachContainer(io, flags->Operands(), "docker volume rm", [&](const std::string& v) {
    return io.world().RemoveVolume(v, flags->Has("force"));
  });
}
int NetworkLs(Io& io, const Args& args) {
  if (!Flags(io, args, kLsFlags, "docker network ls")) return 125;
  io.out << io.world().NetworksTable();
  return 0;
}
int NetworkCreate(Io& io, const Args& args) {
  auto flags = Flags(io, args, kNetworkCreateFlags, "docker network create");
  if (!flags) return 125;
  if (flags->Operands().size() != 1) {
    return Usage(io, "docker network create", "docker network create [OPTIONS] NETWORK",
                 "exactly 1 argument");
  }
  return Print(io,
               io.world().CreateNetwork(flags->Operands()[0], flags->Value("driver", "bridge")));
}
int NetworkRm(Io& io, const Args& args) {
  auto flags = Flags(io, args, kNoFlags, "docker network rm");
  if (!flags) return 125;
  return EachContainer(io, flags->Operands(), "docker network rm",
                       [&](const std::string& n) { return io.world().RemoveNetwork(n); });
}

int ComposeVerb(Io& io, const Args& args) {
  return RunComposeCommand(io.session, args, io.out, io.err);
}

int Version(Io& io, const Args&) {
  io.out << "Client: dexec --sim (the dockit simulator)\nServer: simulated Docker Engine\n";
  return 0;
}

struct Command {
  std::string_view name;  // "ps", "volume ls": a management command and its verb
  std::string_view summary;
  Handler handler;
};

constexpr Command kCommands[] = {
    {"build", "Build an image from a Dockerfile", Build},
    {"run", "Create and run a new container from an image", Run},
    {"create", "Create a new container", Create},
    {"start", "Start one or more stopped containers", Start},
    {"stop", "Stop one or more running containers", Stop},
    {"restart", "Restart one or more containers", Restart},
    {"kill", "Kill one or more running containers", Kill},
    {"rm", "Remove one or more containers", Rm},
    {"logs", "Fetch the logs of a container", Logs},
    {"exec", "Execute a command in a running container", Exec},
    {"ps", "List containers", Ps},
    {"diff", "Inspect changes to files on a container's filesystem", Diff},
    {"inspect", "Return low-level information on Docker objects", Inspect},
    {"images", "List images", Images},
    {"rmi", "Remove one or more images", Rmi},
    {"history", "Show the history of an image (--format svg: a picture)", History},
    {"tag", "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE", Tag},
    {"pull", "Download an image from the catalogue", Pull},
    {"version", "Show the version information", Version},
    {"compose", "Docker Compose: up, down, run, build, ps, logs, stop, start, restart",
     ComposeVerb},
    {"container ls", "List containers", Ps},
    {"container prune", "Remove all stopped containers", ContainerPrune},
    {"image ls", "List images", Images},
    {"image rm", "Remove one or more images", Rmi},
    {"image history", "Show the history of an image", History},
    {"image inspect", "Display detailed information on one or more images", Inspect},
    {"image prune", "Remove unused images", ImagePrune},
    {"builder prune", "Remove build cache", BuilderPrune},
    {"system prune", "Remove unused data", SystemPrune},
    {"volume ls", "List volumes", VolumeLs},
    {"volume create", "Create a volume", VolumeCreate},
    {"volume rm", "Remove one or more volumes", VolumeRm},
    {"volume prune", "Remove unused local volumes", VolumePrune},
    {"network ls", "List networks", NetworkLs},
    {"network create", "Create a network", NetworkCreate},
    {"network rm", "Remove one or more networks", NetworkRm},
    {"network prune", "Remove all unused networks", NetworkPrune},
};

}  // namespace

bool DockerRunFlagTakesValue(std::string_view option) {
  for (const FlagSpec& f : kRunFlags) {
    if (!f.takes_value) continue;
    if (option.starts_with("--") && option.substr(2) == f.name) return true;
    if (option.size() == 2 && option[0] == '-' && option[1] == f.shorthand) return true;
  }
  return false;
}

std::vector<std::pair<std::string, std::string>> DockerCommands() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Command& c : kCommands) out.emplace_back(c.name, c.summary);
  return out;
}

int RunDockerCommand(CliSession& session, const std::vector<std::string>& argv, std::ostream& out,
                     std::ostream& err) {
  Io io{session, out, err};
  if (argv.empty()) {
    err << "Usage:  docker [OPTIONS] COMMAND\n";
    return 1;
  }
  // A management command with its verb ("volume ls"), else a top-level command.
  std::vector<std::string_view> names;
  for (const Command& c : kCommands) {
    names.push_back(c.name);
    size_t space = c.name.find(' ');
    if (space == std::string_view::npos) {
      if (c.name == argv[0]) return c.handler(io, Args(argv.begin() + 1, argv.end()));
    } else if (argv.size() >= 2 && c.name.substr(0, space) == argv[0] &&
               c.name.substr(space + 1) == argv[1]) {
      return c.handler(io, Args(argv.begin() + 2, argv.end()));
    }
  }
  if (argv[0] == "container" || argv[0] == "image") {
    // docker container run/stop/...: the top-level command of the same name.
    if (argv.size() >= 2) {
      for (const Command& c : kCommands) {
        if (c.name == argv[1]) return c.handler(io, Args(argv.begin() + 2, argv.end()));
      }
    }
  }
  std::string joined = argv.size() >= 2 ? argv[0] + " " + argv[1] : argv[0];
  std::string hint = Suggest(argv[0], names);
  err << "docker: unknown command: docker " << joined << "\n";
  if (!hint.empty()) err << "\nDid you mean this?\n\t" << hint << "\n";
  err << "\nRun 'docker --help' for more information\n";
  return 1;
}

}  // namespace dockit::sim

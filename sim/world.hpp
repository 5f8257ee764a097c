// The simulated Docker host: a virtual clock, images and tags, containers and their lifecycle,
// volumes, networks, the build cache's storage and the text store, with Docker's behaviour and
// Docker's messages. Every operation is deterministic: the same calls give the same IDs, names,
// times, logs and output. Errors are Diagnostics whose message is what the docker CLI prints
// (`Error response from daemon: No such container: web`); outputs are the text the CLI prints.
// Split by job: world.cpp (clock, images), containers.cpp (lifecycle), run_options.cpp (run's
// options merged with the image's config), exec.cpp (exec, wait, logs, diff), timeline.cpp
// (programs on the clock), requests.cpp (curl), storage.cpp (volumes, networks, prune),
// tables.cpp (ps, images, history, inspect, ...), state_io.cpp (the state file).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/diagnostic.hpp"
#include "planner/build_record.hpp"
#include "planner/executor.hpp"
#include "sim/image.hpp"
#include "sim/image_catalogue.hpp"
#include "sim/program.hpp"
#include "sim/sim_time.hpp"
#include "sim/text_store.hpp"
#include "sim/working_layer.hpp"

namespace dockit::sim {

enum class ContainerState { kCreated, kRunning, kExited };
enum class Health { kNone, kStarting, kHealthy, kUnhealthy };

struct PortBinding {
  std::string host_ip = "0.0.0.0";
  int host_port = 0;
  int container_port = 0;
  std::string protocol = "tcp";
  bool operator==(const PortBinding&) const = default;
};

struct Mount {
  std::string type;    // "volume" or "bind"
  std::string source;  // the volume's name, or the host path (only a name in the simulator)
  std::string destination;
  bool read_only = false;
  bool operator==(const Mount&) const = default;
};

struct LogLine {
  int64_t time = 0;
  std::string text;
  bool stderr_stream = false;
  bool operator==(const LogLine&) const = default;
};

// `docker run` / `docker create` options.
struct RunOptions {
  std::string name;
  bool detach = false;
  bool interactive = false;  // -i
  bool tty = false;          // -t
  bool rm = false;
  std::vector<std::string> publish;  // -p: "8080:80", "127.0.0.1:8080:80", "80", "53:53/udp"
  bool publish_all = false;          // -P
  std::vector<std::string> env;      // -e: "K=V"; a bare "K" takes nothing (no host env)
  std::vector<std::string> volumes;  // -v: "data:/var/lib/x", "/host/dir:/x:ro", "/anon"
  std::string network;               // "" is bridge
  std::vector<std::string> network_aliases;
  std::vector<std::string> command;       // overrides CMD when not empty
  std::optional<std::string> entrypoint;  // --entrypoint ("" resets it); drops the image's CMD
  std::string workdir;
  std::string user;
  std::string restart = "no";  // no, always, unless-stopped, on-failure[:N]
  std::optional<std::string> health_cmd;
  int64_t health_interval = 0;  // seconds; 0 is Docker's 30
  int health_retries = 3;
  bool no_healthcheck = false;
  std::map<std::string, std::string> labels;
};

struct Container {
  std::string id;       // 64 hex digits; shown as 12
  uint64_t serial = 0;  // creation order (ps lists the newest first)
  std::string name;
  std::string image_id;
  std::string image_ref;  // as given to run (ps shows it while it still names the image)
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  Env env;
  std::string user;
  std::string workdir;
  bool interactive = false;
  bool tty = false;
  bool auto_remove = false;
  ContainerState state = ContainerState::kCreated;
  int exit_code = 0;
  std::string error;  // State.Error: why it could not start
  int64_t created = 0;
  int64_t started_at = 0;
  int64_t finished_at = 0;
  bool paused = false;  // `docker pause`: still running, its program's time stands still
  int64_t paused_at = 0;
  int64_t paused_total = 0;  // seconds paused since the start
  std::vector<PortBinding> ports;
  std::vector<std::string> exposed;  // "80/tcp"
  std::vector<Mount> mounts;
  std::string network;
  std::vector<std::string> aliases;
  std::string ip;
  std::string restart_policy = "no";
  int restart_count = 0;
  std::optional<int64_t> restart_at;  // a restart policy's pending restart
  bool stopped_by_user = false;
  std::optional<std::vector<std::string>> healthcheck;  // ["CMD", ...] / ["CMD-SHELL", ...]
  int64_t health_interval = 30;
  int health_retries = 3;
  Health health = Health::kNone;
  int health_failures = 0;
  int64_t next_check = 0;
  std::map<std::string, std::string> labels;
  std::shared_ptr<WorkingLayer> layer;  // copy-on-write over the image's layers
  Behaviour behaviour;
  size_t printed = 0;  // behaviour.prints already in the logs
  std::vector<LogLine> logs;

  std::string ShortId() const { return id.substr(0, 12); }
  // The moment the program's timeline counts from: the start, moved on by the time paused.
  int64_t ProgramStart() const { return started_at + paused_total; }
  bool Running() const { return state == ContainerState::kRunning; }
  std::vector<std::string> Argv() const;
};

struct Volume {
  std::string name;
  int64_t created = 0;
  bool anonymous = false;
  uint64_t size = 0;  // bytes written into it (content is not modelled: an empty directory)
  std::map<std::string, std::string> labels;
  bool operator==(const Volume&) const = default;
};

struct Network {
  std::string name;
  std::string id;      // 64 hex digits
  std::string driver;  // bridge, host, null
  std::string subnet;  // "172.18.0.0/16"
  int64_t created = 0;
  int next_host = 2;  // the next container address in the subnet
  std::map<std::string, std::string> labels;
  bool Predefined() const { return name == "bridge" || name == "host" || name == "none"; }
  bool User() const { return driver == "bridge" && name != "bridge"; }
};

struct RunResult {
  std::string id;
  std::string output;            // pull progress, then the ID (-d) or the attached output
  std::optional<int> exit_code;  // when the container ran to its end while attached
};

struct ExecResult {
  int exit_code = 0;
  std::string output;
};

struct LogsOptions {
  bool timestamps = false;
  int tail = -1;  // -1: all
};

struct PruneReport {
  std::string output;  // what docker prints, ending with "Total reclaimed space: X"
  uint64_t reclaimed = 0;
};

class World {
 public:
  World();
  // Move-only: containers share their writable layers by pointer, so a copy would not be one.
  World(const World&) = delete;
  World& operator=(const World&) = delete;
  World(World&&) = default;
  World& operator=(World&&) = default;

  // --- the clock --------------------------------------------------------------------------
  int64_t Now() const { return now_; }
  // Moves the clock forward, running every program's timeline in order: log lines at their
  // times, health checks, exits (and --rm removals), restart policies.
  void Advance(int64_t seconds);

  // --- images -----------------------------------------------------------------------------
  // Stores an image (a build's result) and gives its ID; `reference` ("app:1.0", "" for none)
  // is tagged on it, moving the tag from another image as docker build does.
  std::string AddImage(Image image, std::string_view reference = "");
  Status Tag(std::string_view source, std::string_view target);
  // Removes one reference and nothing else ("Untagged: x:tag"); the image stays, maybe <none>.
  Result<std::string> Untag(std::string_view reference);
  // `docker rmi`: untags or deletes; the output lists "Untagged: ..." and "Deleted: ...".
  Result<std::string> RemoveImage(std::string_view reference, bool force = false);
  // An image by reference ("nginx", "app:1.0") or ID prefix ("sha256:1a2b", "1a2b").
  Result<std::string> FindImage(std::string_view reference) const;
  // FindImage, else the catalogue (as `docker run alpine` pulls); `output` gets the pull lines.
  Result<std::string> PullIfMissing(std::string_view reference, std::string* output);
  const Image* ImageById(std::string_view id) const;
  const std::map<std::string, Image>& Images() const { return images_; }
  const std::map<std::string, std::string>& Tags() const { return tags_; }  // "x:tag" -> ID
  std::vector<std::string> TagsOf(std::string_view image_id) const;

  // --- containers -------------------------------------------------------------------------
  // `docker create`: the new container's full ID (the CLI prints it); `output` gets the pull
  // progress and warnings. The other verbs give the text docker prints (`start web` prints
  // "web\n").
  Result<std::string> Create(std::string_view image, const RunOptions& options,
                             std::string* output = nullptr);
  Result<RunResult> Run(std::string_view image, const RunOptions& options);
  Result<std::string> Start(std::string_view container);
  Result<std::string> Stop(std::string_view container, std::optional<int> timeout = {});
  Result<std::string> Kill(std::string_view container, std::string_view signal = "SIGKILL");
  // `docker pause` / `unpause`: the program's timeline (logs, health, exit) stands still.
  Result<std::string> Pause(std::string_view container);
  Result<std::string> Unpause(std::string_view container);
  Result<std::string> Restart(std::string_view container, std::optional<int> timeout = {});
  Result<std::string> Remove(std::string_view container, bool force = false, bool volumes = false);
  Result<ExecResult> Exec(std::string_view container, const std::vector<std::string>& argv,
                          const RunOptions& options = {});
  // `docker wait`: the clock runs until the container exits; its exit code. A program that
  // never ends is an error (the simulator would wait forever).
  Result<int> Wait(std::string_view container);
  Result<std::string> Logs(std::string_view container, const LogsOptions& options = {}) const;
  Result<std::string> Diff(std::string_view container) const;
  // The container by name, full ID or ID prefix; "No such container: x".
  Result<std::string> FindContainer(std::string_view name_or_id) const;
  const Container* ContainerById(std::string_view id) const;
  // The container's writable layer, for the RUN model (exec'd commands that write files).
  WorkingLayer* ContainerLayer(std::string_view id);
  const std::map<std::string, Container>& Containers() const { return containers_; }

  // A request as curl would make it: from the host (`from` empty: "localhost:8080/path" via
  // published ports) or from a container (`from` its name: "web:80/", "localhost:80" itself);
  // the response text, or curl's error ("curl: (7) Failed to connect to ...").
  Result<std::string> Request(std::string_view url, std::string_view from = "");

  // A lesson's declaration for every command starting with `command_prefix` (words), in the
  // syntax of sim/README.md; checked now, applied when a container starts.
  Status DeclareProgram(std::string_view command_prefix, std::string_view declaration);
  const std::map<std::string, std::string>& DeclaredPrograms() const { return declared_; }

  // --- volumes and networks ---------------------------------------------------------------
  // `name` empty: an anonymous volume with a generated name. Labels as compose sets them.
  Result<std::string> CreateVolume(std::string_view name,
                                   const std::map<std::string, std::string>& labels = {});
  Result<std::string> RemoveVolume(std::string_view name, bool force = false);
  // Bytes written into a volume (by the RUN model or a lesson): its size for prune and df.
  Status AddVolumeBytes(std::string_view name, uint64_t bytes);
  const std::map<std::string, Volume>& Volumes() const { return volumes_; }
  Result<std::string> CreateNetwork(std::string_view name, std::string_view driver = "bridge",
                                    const std::map<std::string, std::string>& labels = {});
  Result<std::string> RemoveNetwork(std::string_view name);
  const std::map<std::string, Network>& Networks() const { return networks_; }

  // --- the build cache's storage ----------------------------------------------------------
  plan::BuildRecord& Record() { return record_; }
  const plan::BuildRecord& Record() const { return record_; }
  // Keeps a layer the build cache refers to (by its diff_id).
  void AddCacheLayer(std::shared_ptr<const plan::Layer> layer);
  const std::map<std::string, std::shared_ptr<const plan::Layer>>& CacheLayers() const {
    return cache_layers_;
  }
  TextStore& Texts() { return texts_; }
  const TextStore& Texts() const { return texts_; }

  // --- pruning: each report's `reclaimed` is exactly what StoredBytes() lost ---------------
  PruneReport PruneContainers();
  PruneReport PruneImages(bool all);
  PruneReport PruneBuilder();
  PruneReport PruneVolumes(bool all = false);
  PruneReport PruneNetworks();
  PruneReport PruneSystem(bool all, bool volumes);
  // Every byte the world stores: each layer once (images and cache), containers' layers and
  // volumes.
  uint64_t StoredBytes() const;

  // --- what the CLI prints ----------------------------------------------------------------
  std::string PsTable(bool all = false, bool quiet = false) const;
  std::string ImagesTable(bool quiet = false) const;
  Result<std::string> HistoryTable(std::string_view image) const;
  std::string VolumesTable() const;
  std::string NetworksTable() const;
  // `docker inspect`: a JSON array with the container's or image's document (a subset).
  Result<std::string> Inspect(std::string_view name_or_id) const;

 private:
  friend class WorldState;  // state_io.cpp

  Container& Get(const std::string& id) { return containers_.at(id); }
  std::string NextContainerId(std::string_view name);
  std::string NextName();
  Result<std::string> ResolveOptions(const RunOptions& options, const Image& image, Container& c,
                                     std::string* warnings);
  Status StartProcess(Container& c);
  // Exec's file commands (touch, mkdir, rm) on the container's layer; code "-" when argv is
  // not one of them.
  Result<ExecResult> FileCommand(const std::string& id, const std::vector<std::string>& argv,
                                 const std::string& workdir);
  void Exited(Container& c, int code, bool by_user);
  void Finish(Container& c);  // --rm
  void RemoveContainer(const std::string& id, bool volumes);
  int64_t NextEvent(const Container& c) const;
  void RunDue(Container& c);
  void AdvanceTo(int64_t time);
  ProgramContext ContextFor(const Container& c) const;
  std::string ImageDisplay(const Container& c) const;
  Result<std::string> DeleteImage(const std::string& id, std::vector<std::string>* lines);
  uint64_t LayerBytes() const;
  // Drops the texts no image, cache layer or container layer refers to (after rmi and prune).
  void CollectTexts();
  int NextHostPort() const;
  std::optional<std::string> PortInUse(const PortBinding& p, const std::string& except) const;
  void AssignAddress(Container& c);

  int64_t now_ = kEpoch;
  uint64_t container_counter_ = 0;
  uint64_t name_counter_ = 0;
  uint64_t volume_counter_ = 0;
  uint64_t network_counter_ = 0;
  std::map<std::string, Image> images_;      // by ID
  std::map<std::string, std::string> tags_;  // "repo:tag" -> image ID
  std::map<std::string, Container> containers_;
  std::map<std::string, Volume> volumes_;
  std::map<std::string, Network> networks_;
  std::map<std::string, std::string> declared_;
  plan::BuildRecord record_;
  std::map<std::string, std::shared_ptr<const plan::Layer>> cache_layers_;
  TextStore texts_;
};

// "nginx" -> "nginx:latest", "docker.io/library/redis:7" -> "redis:7".
std::string NormalizeReference(std::string_view reference);
// A catalogue image as the world stores it (created at kCatalogueCreated).
Image ImageFromCatalogue(const CatalogueImage& base);
// "Error response from daemon: " + message, as a Diagnostic with `code`.
Diagnostic DaemonError(std::string code, std::string message);

}  // namespace dockit::sim

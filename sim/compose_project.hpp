// The simulator's model of a Compose project: the files `docker compose` would read (with their
// override file), interpolated with the shell environment and `.env`, merged, typed, checked
// (undefined volumes, networks and dependencies, dependency cycles) and filtered by profiles.
// `dexec --sim compose ...` runs containers from it; this layer only describes them.
//
// Errors are the first problem found, positioned in the file that holds it (see
// ComposeLoadOptions::error_file) with Compose's wording: `service "web" refers to undefined
// volume data: invalid compose project`.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "parser/diagnostic.hpp"
#include "parser/source.hpp"
#include "sim/compose_graph.hpp"

namespace dockit::sim {

using ComposeEnv = std::map<std::string, std::string>;

// Where a value was written: one of the project's files and a range in it. `file` is nullptr
// for values Compose makes up (the default network).
struct ComposeSite {
  const SourceFile* file = nullptr;
  SourceRange range;
};

constexpr int64_t kSecond = 1'000'000'000;  // durations are in nanoseconds, as in Go

struct ComposeBuildSpec {
  std::string context;                    // resolved against the project directory
  std::string dockerfile = "Dockerfile";  // relative to the context, as written
  std::string dockerfile_inline;
  std::map<std::string, std::optional<std::string>> args;  // nullopt: `- KEY`, from the shell
  std::string target;
  ComposeSite site;
};

struct ComposePort {
  std::string host_ip;     // "" for all interfaces
  uint16_t published = 0;  // the host port
  // No host port was written ("80"): Docker would pick an ephemeral one; the simulator gives
  // 32768, 32769, ... in service-name order, skipping host ports the project publishes.
  bool random_published = false;
  uint16_t target = 0;
  std::string protocol = "tcp";
  ComposeSite site;
};

struct ComposeMount {
  enum class Type { kVolume, kBind, kTmpfs, kImage };
  Type type = Type::kVolume;
  // kVolume: the top-level volume's key ("" for an anonymous volume); kBind: the host path,
  // resolved against the project directory (`~` left as written); kTmpfs: ""; kImage: the
  // image reference.
  std::string source;
  std::string target;
  bool read_only = false;
  ComposeSite site;
};

struct ComposeServiceNetwork {
  std::string name;  // the key of the top-level network ("default" for the default network)
  std::vector<std::string> aliases;
  std::string ipv4_address;
  ComposeSite site;
};

enum class DependencyCondition { kServiceStarted, kServiceHealthy, kServiceCompletedSuccessfully };
std::string_view ConditionName(DependencyCondition condition);

struct ComposeDependency {
  std::string service;
  DependencyCondition condition = DependencyCondition::kServiceStarted;
  bool required = true;
  bool restart = false;
  ComposeSite site;  // the list item or the key naming the service
};

struct ComposeHealthcheck {
  // ["CMD", ...], ["CMD-SHELL", "cmd"] or ["NONE"]; empty: the image's HEALTHCHECK with these
  // options.
  std::vector<std::string> test;
  bool disabled = false;  // `disable: true` or test NONE
  int64_t interval = 30 * kSecond;
  int64_t timeout = 30 * kSecond;
  int64_t start_period = 0;
  int64_t start_interval = 5 * kSecond;
  unsigned retries = 3;
  ComposeSite site;
};

struct ComposeService {
  std::string name;
  ComposeSite site;  // the key in `services:` (of the first file that has the service)
  std::string image;
  std::optional<ComposeBuildSpec> build;
  std::string provider;  // `provider: {type: ...}`: run by a provider plugin, no container
  std::optional<std::vector<std::string>> command;     // nullopt: the image's CMD
  std::optional<std::vector<std::string>> entrypoint;  // nullopt: the image's ENTRYPOINT
  std::map<std::string, std::string> environment;      // env_file files, then `environment:`
  std::vector<ComposePort> ports;
  std::vector<std::string> expose;  // as written: "80", "8000-8010/udp"
  std::vector<ComposeMount> volumes;
  std::vector<ComposeServiceNetwork> networks;  // by name; empty with network_mode
  std::string network_mode;
  // By service name; with the ones Compose adds for links, volumes_from and
  // `network_mode: service:x` (service_started, required).
  std::vector<ComposeDependency> depends_on;
  std::optional<ComposeHealthcheck> healthcheck;
  std::string restart = "no";
  std::string container_name;
  std::string working_dir;
  std::string user;
  std::string hostname;
  int64_t stop_grace_period = 10 * kSecond;
  std::vector<std::string> profiles;
  unsigned replicas = 1;  // `scale:` or `deploy.replicas:`
};

// A top-level volume or network.
struct ComposeResource {
  std::string key;   // as the services name it
  std::string name;  // the engine's name: `name:`, else `<project>_<key>` (external: the key)
  bool external = false;
  std::string driver;
  ComposeSite site;
};

struct ComposeWarning {
  Diagnostic diagnostic;
  const SourceFile* file = nullptr;
};

struct ComposeProject {
  std::string name;
  std::string dir;  // the project directory
  // The compose files in merge order, then the files `extends: {file: ...}` named.
  std::vector<std::shared_ptr<const SourceFile>> files;
  std::vector<std::string> profiles;              // the active profiles
  std::vector<ComposeService> services;           // enabled by the profiles, by name
  std::vector<ComposeService> disabled_services;  // left out by the profiles, by name
  std::map<std::string, ComposeResource> volumes;
  std::map<std::string, ComposeResource> networks;  // includes "default" when a service uses it
  std::vector<ComposeWarning> warnings;             // unset variables, as Compose warns
  DependencyGraph graph{{}};                        // every service, enabled or not

  // An enabled or disabled service; nullptr when there is none of that name.
  const ComposeService* FindService(std::string_view name) const;
  // The enabled services, dependencies first, ties by name.
  std::vector<std::string> StartOrder() const;
  // The reverse: dependents stop first.
  std::vector<std::string> StopOrder() const;
  // What `compose up A B` / `compose run A` starts: the named services (enabled even when their
  // profile is not active, as Compose does) and, transitively, what they depend on, in start
  // order. No names: every enabled service. An unknown name is an error (with a did-you-mean);
  // so is a required dependency whose profile is not active; a `required: false` one is skipped.
  Result<std::vector<std::string>> ServicesToStart(const std::vector<std::string>& names) const;
  // `<project>-<service>-<index>` (Compose v2), or the service's container_name.
  std::string ContainerName(const ComposeService& service, unsigned index = 1) const;
  // The engine's name of a service's network or volume key (`<project>_default`).
  std::string NetworkName(std::string_view key) const;
  std::string VolumeName(std::string_view key) const;
};

struct ComposeLoadOptions {
  // --profile; when empty, COMPOSE_PROFILES (comma-separated) from the environment or `.env`.
  std::vector<std::string> profiles;
  // --env-file, in order, instead of the project directory's `.env` (relative to `dir`; each
  // must exist).
  std::vector<std::string> env_files;
  // When loading fails, set to the file the error's range is in (nullptr when the error is
  // about no file, such as a missing compose file), for Render(file, diagnostic).
  std::shared_ptr<const SourceFile>* error_file = nullptr;
};

// Loads the project in `dir`. `files` (-f, relative to `dir`), in order, else COMPOSE_FILE
// (`:`-separated), else the first of compose.yaml, compose.yml, docker-compose.yaml,
// docker-compose.yml plus its override file (compose.override.yaml, ...) if there is one.
// The project name is `project_name` (-p), else COMPOSE_PROJECT_NAME, else the top-level
// `name:`, else the directory's base name lower-cased without characters outside [a-z0-9_-]
// (and without leading `_` and `-`). `env` is the shell environment: it wins over `.env`.
Result<ComposeProject> LoadComposeProject(const std::string& dir,
                                          const std::vector<std::string>& files,
                                          const std::string& project_name, const ComposeEnv& env,
                                          const ComposeLoadOptions& options = {});

// Docker Compose's project-name normalisation of a directory name ("My App!" → "myapp").
std::string NormalizeProjectName(std::string_view name);

}  // namespace dockit::sim

// One file's `services.<name>:` mapping read onto a service, with Compose's merge rules for
// override files: written scalars replace, `environment`, `build.args`, `depends_on`,
// `networks` and healthcheck fields merge by key, `command`, `entrypoint` and
// `healthcheck.test` replace, `ports`, `expose`, `env_file` and `profiles` append, `volumes`
// replace by target path. Used by LoadComposeProject on every file in order; values are
// already interpolated.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "parser/diagnostic.hpp"
#include "parser/yaml_tree.hpp"
#include "sim/compose_project.hpp"

namespace dockit::sim {

struct ComposeEnvFileRef {
  std::string path;  // resolved against the project directory
  bool required = true;
  ComposeSite site;
};

struct ComposeServiceDraft {
  ComposeService service;
  // `environment:` in merge order; nullopt is `- KEY` / `KEY:` (from the shell, if set).
  std::vector<std::pair<std::string, std::optional<std::string>>> environment;
  std::vector<ComposeEnvFileRef> env_files;
  // Dependencies Compose adds by itself (service_started, required): `links`, `volumes_from`
  // and `network_mode: service:x` name services that must start first.
  std::vector<ComposeDependency> implicit_depends_on;
  ComposeSite network_mode_site;
};

// Reads `body` (the service's value in `file`) onto `draft`. Errors are in `file`.
Status ApplyServiceLayer(const YamlNode& body, const SourceFile& file, std::string_view dir,
                         ComposeServiceDraft& draft);

// "true"/"false" as YAML 1.2 (Compose's yaml.v3) writes them; nullopt for anything else.
std::optional<bool> YamlBool(const YamlNode& node);

}  // namespace dockit::sim

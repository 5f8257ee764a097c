// A Compose file (compose.yaml, docker-compose.yml): the YAML tree with exact positions plus a
// typed view of what the compose rules ask about (services, depends_on, healthchecks, build,
// environment, ports). Values stay as written: `${VAR}` interpolation is not applied.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "parser/yaml_tree.hpp"

namespace dockit {

struct ComposeDependency {
  std::string service;
  const YamlNode* name = nullptr;  // the list item or the key naming the service
  std::string condition = "service_started";
  const YamlNode* condition_node = nullptr;  // the long form's `condition:` value, if written
  bool short_form = true;                    // `depends_on: [db]`
};

struct ComposeBuild {
  const YamlNode* node = nullptr;  // the value of `build:`
  std::string context = ".";
  const YamlNode* context_node = nullptr;  // nullptr: `context` not written (".")
  std::string dockerfile;                  // "" when not written
  const YamlNode* dockerfile_node = nullptr;
  bool dockerfile_inline = false;
};

// One `environment:` variable, from either the map or the `- KEY=value` list form.
struct ComposeEnvVar {
  std::string name;
  std::string value = {};
  bool has_value = false;          // `- KEY` or `KEY:` passes the variable through from the shell
  const YamlNode* node = nullptr;  // the value scalar (map form) or the whole list item
  uint32_t value_offset = 0;       // file offset of the value's first byte
};

struct ComposeService {
  std::string name;
  const YamlNode* key = nullptr;
  const YamlNode* body = nullptr;  // its mapping (a null node for `name:` alone)
  std::string image;
  std::string network_mode;
  std::vector<ComposeDependency> depends_on;
  const YamlNode* healthcheck = nullptr;
  std::optional<ComposeBuild> build;
  std::vector<ComposeEnvVar> environment;
  std::vector<const YamlNode*> ports;   // short-form scalars and long-form maps
  std::vector<const YamlNode*> expose;  // scalars

  // A healthcheck that Compose runs: written in the file, not `disable: true` nor test NONE.
  bool HasHealthcheck() const;
  // Container ports the service listens on, as far as the file says (ports targets, expose).
  std::vector<unsigned> ContainerPorts() const;
};

struct ComposeFile {
  std::shared_ptr<const SourceFile> file;
  YamlNode root;
  const YamlEntry* version = nullptr;  // the top-level `version:` key
  std::vector<ComposeService> services;

  const ComposeService* FindService(std::string_view name) const;
};

// Parses `file` as YAML and reads the compose structure. YAML errors, a top level that is not a
// mapping and a `services:` that is not a mapping are errors; anything else unexpected (a
// service that is a list, a port that is a map without target) is skipped, not reported: the
// compose rules report what they know about, `docker compose config` validates the schema.
Result<std::shared_ptr<const ComposeFile>> ParseCompose(std::shared_ptr<const SourceFile> file);

// The container port of a short-form `ports:` entry ("8080:80/tcp" → 80, "127.0.0.1:53:53/udp"
// → 53, "3000" → 3000); nullopt for ranges, variables and anything else.
std::optional<unsigned> ContainerPortOf(std::string_view spec);

}  // namespace dockit

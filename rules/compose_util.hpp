// Shared knowledge for the compose rules: what well-known images are and which ports they
// listen on.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/compose.hpp"

namespace dockit::lint {

// The image's family: the repository's last path component without registry, tag or digest,
// mapped to one name for the common variants ("bitnami/postgresql:16" and "postgis/postgis" →
// "postgres", "mcr.microsoft.com/mssql/server" → "mssql"); "" for no image.
std::string ImageFamily(std::string_view image);
// The ports a well-known image family listens on by default (postgres → 5432).
std::vector<unsigned> DefaultPorts(std::string_view family);
// Ports the service listens on: from `ports`, `expose` and its image's defaults.
std::vector<unsigned> ListeningPorts(const ComposeService& service);
// Databases and brokers that accept connections seconds after their container starts.
bool SlowToBeReady(std::string_view family);

}  // namespace dockit::lint

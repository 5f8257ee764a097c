// Which files `dlint PATH...` lints: files as given, and in directories the Dockerfiles
// (Dockerfile, Dockerfile.*, *Dockerfile such as api.Dockerfile, *.dockerfile, Containerfile)
// and compose files (compose.yaml, docker-compose.yml and overrides such as
// compose.override.yaml or docker-compose.prod.yml), skipping .git, node_modules, vendor and what
// the .gitignore files of the repository ignore.
#pragma once

#include <string>
#include <vector>

namespace dockit::dlint {

bool LooksLikeDockerfile(const std::string& filename);
bool LooksLikeComposeFile(const std::string& filename);
// Expands directories; returns the files in a stable (sorted) order per directory.
std::vector<std::string> DiscoverFiles(const std::vector<std::string>& paths,
                                       std::vector<std::string>* errors);

}  // namespace dockit::dlint

// Which files `dlint PATH...` lints: files as given, and in directories the Dockerfiles
// (Dockerfile, Dockerfile.*, *Dockerfile such as api.Dockerfile, *.dockerfile, Containerfile),
// skipping .git, node_modules, vendor and what the .gitignore files of the repository ignore.
#pragma once

#include <string>
#include <vector>

namespace dockit::dlint {

bool LooksLikeDockerfile(const std::string& filename);
// Expands directories; returns the files in a stable (sorted) order per directory.
std::vector<std::string> DiscoverFiles(const std::vector<std::string>& paths,
                                       std::vector<std::string>* errors);

}  // namespace dockit::dlint

// Image references as docker normalises them, so that `busybox`, `busybox:latest` and
// `docker.io/library/busybox:latest` name the same entry of images.json.
#pragma once

#include <string>

#include "parser/diagnostic.hpp"

namespace dockit::runtime {

// "busybox" -> "busybox:latest", "docker.io/library/busybox" -> "busybox:latest",
// "localhost:5000/a/b" -> "localhost:5000/a/b:latest" (a registry's port is not a tag). An
// invalid reference (upper case, empty parts, a digest) is an error quoting it.
Result<std::string> NormalizeReference(const std::string& reference);

// "busybox:latest" -> "docker.io/library/busybox:latest" (containerd's image name).
std::string FullReference(const std::string& normalized);
// "localhost:5000/a/b:t" -> {"localhost:5000/a/b", "t"}.
std::pair<std::string, std::string> SplitTag(const std::string& normalized);

}  // namespace dockit::runtime

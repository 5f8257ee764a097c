// Paths inside an image: always absolute, cleaned lexically (as Go's path.Clean, which BuildKit
// uses for WORKDIR and COPY destinations), never containing NUL. `..` above the root stays at
// the root, as in a chroot.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "parser/diagnostic.hpp"

namespace dockit::sim {

// "/a//b/./c/../d/" -> "/a/b/d". Errors: empty, relative, or containing NUL.
Result<std::string> CleanPath(std::string_view path);

// The components of a cleaned path ("/" has none).
std::vector<std::string> Components(std::string_view clean_path);

std::string ParentOf(std::string_view clean_path);  // "/a/b" -> "/a", "/a" -> "/", "/" -> "/"
std::string BaseOf(std::string_view clean_path);    // "/a/b" -> "b", "/" -> ""
std::string JoinPath(std::string_view dir, std::string_view name);

// True when `path` is `dir` itself or below it ("/a/b" is below "/a", "/ab" is not).
bool IsAtOrBelow(std::string_view path, std::string_view dir);

// The error values of the filesystem: a code named after the errno a kernel would return and a
// message such as "mkdir /a/b: /a is a file".
Diagnostic FsError(std::string_view code, std::string message);

}  // namespace dockit::sim

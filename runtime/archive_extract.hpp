// Unpacking an image archive (docker save, OCI layout) into a temporary directory, and finding
// the files its JSON names without ever leaving that directory.
#pragma once

#include <string>

#include "parser/diagnostic.hpp"
#include "runtime/layer_archive.hpp"

namespace dockit::runtime {

// Extracts `archive_path` into the empty directory `dest_dir`: regular files, directories and
// symlinks only; absolute names, `..` and writes through symlinks are refused (libarchive's
// secure flags), and `limits` cap the sizes.
Status ExtractArchive(const std::string& archive_path, const std::string& dest_dir,
                      const LayerLimits& limits = {});

// `relative` (a path from the archive's JSON) inside `root`, with symlinks resolved; an error
// if it does not exist, is not a regular file or resolves outside `root`.
Result<std::string> FileInside(const std::string& root, const std::string& relative);

}  // namespace dockit::runtime

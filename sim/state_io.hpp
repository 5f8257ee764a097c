// The whole simulated world in one JSON file, so that `dexec --sim` commands continue where the
// last one stopped: the clock and counters, layers (each once, by diff_id), images and tags,
// containers (with their writable layer's diff, program and logs), volumes, networks, lesson
// declarations, the text store and the build record with its cache layers. Save writes a
// temporary file and renames it; Load checks every layer's and image's digest, so a damaged or
// foreign file is an error naming the file and nothing is overwritten. Save -> Load -> Save
// gives the same bytes.
#pragma once

#include <string>
#include <string_view>

#include "parser/diagnostic.hpp"
#include "sim/world.hpp"

namespace dockit::sim {

inline constexpr int kWorldStateVersion = 1;

std::string SerializeWorld(const World& world);
// `where` names the source in error messages (the file's path).
Result<World> ParseWorld(std::string_view text, const std::string& where);

Status SaveWorld(const World& world, const std::string& path);
// A missing file is a fresh world; anything else that is not a state file of this version is an
// error naming the file.
Result<World> LoadWorld(const std::string& path);

}  // namespace dockit::sim

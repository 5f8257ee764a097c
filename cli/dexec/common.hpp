// What every dexec verb does the same way: build args, reading and parsing the Dockerfile,
// printing errors, and showing sizes and instructions on one line.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "parser/diagnostic.hpp"
#include "parser/instructions.hpp"
#include "parser/syntax.hpp"

namespace dockit::dexec {

// `--build-arg K=V` (a bare `K` sets K to "").
void AddBuildArg(std::string_view kv, AnalyzeOptions* options);

// The Dockerfile at `path`, parsed. On failure the error is printed (with its position) and
// *status is the exit code: 2 when the file cannot be read, 1 when it does not parse.
std::shared_ptr<const SyntaxTree> LoadDockerfile(const std::string& path, int* status);

// Prints the analysis' errors; true when there were any.
bool PrintAnalysisErrors(const SourceFile& file, const Analysis& analysis);

// An error of a later stage (graph, plan): rendered with its source line, or as one line when
// it has no position (an unknown --target).
void PrintError(const SourceFile& file, const Diagnostic& d);

// "85B", "1.2MB", "315kB" (SI units, as docker prints them); `unknown` for nullopt.
std::string HumanSize(std::optional<uint64_t> bytes, std::string_view unknown = "?");

// The instruction as written, on one line, at most `width` characters.
std::string OneLine(const Instruction& ins, size_t width);

}  // namespace dockit::dexec

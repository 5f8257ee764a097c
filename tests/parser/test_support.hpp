// Helpers shared by the parser tests.
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "parser/dockerfile_parser.hpp"

namespace dockit::testing {

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline std::filesystem::path SharedDir() { return DOCKIT_SHARED_DIR; }

inline Result<std::shared_ptr<const SyntaxTree>> Parse(std::string text,
                                                       std::string path = "Dockerfile") {
  return ParseDockerfile(std::make_shared<SourceFile>(std::move(path), std::move(text)));
}

// Parses text that must be valid; returns the tree.
inline std::shared_ptr<const SyntaxTree> MustParse(std::string text) {
  auto file = std::make_shared<SourceFile>("Dockerfile", std::move(text));
  auto tree = ParseDockerfile(file);
  if (!tree) throw std::runtime_error(Render(*file, tree.Error()));
  return *tree;
}

// The file text a range covers.
inline std::string Covered(const SyntaxTree& tree, const SourceRange& r) {
  return tree.file->Text().substr(r.begin.offset, r.end.offset - r.begin.offset);
}

inline std::string LineCol(const SourceRange& r) {
  return std::to_string(r.begin.line) + ":" + std::to_string(r.begin.column) + "-" +
         std::to_string(r.end.line) + ":" + std::to_string(r.end.column);
}

}  // namespace dockit::testing

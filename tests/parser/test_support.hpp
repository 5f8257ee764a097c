// Helpers shared by the parser tests.
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

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

// What a heredoc means, without where it was: for comparing trees built from different text.
struct HeredocValue {
  std::string name;
  std::string content;
  bool expand;
  bool chomp;
  unsigned fd;
  friend bool operator==(const HeredocValue&, const HeredocValue&) = default;
};

inline std::vector<std::vector<HeredocValue>> HeredocsOf(const SyntaxTree& tree) {
  std::vector<std::vector<HeredocValue>> out;
  for (const Instruction& ins : tree.instructions) {
    auto& docs = out.emplace_back();
    for (const Heredoc& h : ins.heredocs)
      docs.push_back({h.name, h.content, h.expand, h.chomp, h.fd});
  }
  return out;
}

inline std::vector<std::vector<std::string>> CommentsOf(const SyntaxTree& tree) {
  std::vector<std::vector<std::string>> out;
  for (const Instruction& ins : tree.instructions) out.push_back(ins.comments);
  return out;
}

}  // namespace dockit::testing

// A scratch project directory for the compose tests, and loading it with errors rendered as
// `file:line:col: message` (the file's base name).
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sim/compose_project.hpp"

namespace dockit::sim::testing {

class ProjectDir {
 public:
  explicit ProjectDir(const std::string& name = "My App") {
    static int counter = 0;
    root_ = std::filesystem::temp_directory_path() /
            ("dockit-compose-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::remove_all(root_);
    path_ = root_ / name;
    std::filesystem::create_directories(path_);
  }
  ~ProjectDir() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  std::string Path() const { return path_.string(); }
  void Write(const std::string& rel, const std::string& content) const {
    std::filesystem::create_directories((path_ / rel).parent_path());
    std::ofstream(path_ / rel, std::ios::binary) << content;
  }

 private:
  std::filesystem::path root_;
  std::filesystem::path path_;
};

// "compose.yaml:3:7: message", or the message alone for an error in no file.
inline std::string Where(const Diagnostic& d, const std::shared_ptr<const SourceFile>& file) {
  if (!file) return d.message;
  std::string path = file->Path();
  path = path.substr(path.find_last_of('/') + 1);
  return path + ":" + std::to_string(d.range.begin.line) + ":" +
         std::to_string(d.range.begin.column) + ": " + d.message;
}

struct Loaded {
  Result<ComposeProject> project;
  std::string error;  // Where() of the error; "" on success
};

inline Loaded Load(const ProjectDir& dir, const ComposeEnv& env = {},
                   const std::vector<std::string>& files = {}, const std::string& name = "",
                   std::vector<std::string> profiles = {}) {
  std::shared_ptr<const SourceFile> file;
  ComposeLoadOptions options;
  options.profiles = std::move(profiles);
  options.error_file = &file;
  Loaded out{LoadComposeProject(dir.Path(), files, name, env, options), ""};
  if (!out.project) out.error = Where(out.project.Error(), file);
  return out;
}

}  // namespace dockit::sim::testing

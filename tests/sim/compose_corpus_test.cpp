// Smoke test over the real compose files of the shared corpus: each is copied alone into a
// scratch project (its own name, so `-f`), loaded with an empty environment, and must either
// load or fail with a positioned error in one of its files; never crash. The counts are printed.
#include <catch2/catch.hpp>
#include <filesystem>
#include <iostream>
#include <map>

#include "tests/sim/compose_test_util.hpp"

namespace dockit::sim {
namespace {

TEST_CASE("real compose files load or fail with a position", "[sim][compose][corpus]") {
  std::filesystem::path corpus = std::filesystem::path(DOCKIT_SHARED_DIR) / "corpus/real/compose";
  if (!std::filesystem::is_directory(corpus)) {
    WARN("no corpus at " << corpus);
    return;
  }
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(corpus)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  size_t loaded = 0, failed = 0;
  std::map<std::string, size_t> reasons;
  for (const auto& path : files) {
    testing::ProjectDir dir("corpus");
    std::ifstream in(path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    dir.Write("compose.yaml", text);
    std::shared_ptr<const SourceFile> file;
    ComposeLoadOptions options;
    options.error_file = &file;
    auto project = LoadComposeProject(dir.Path(), {}, "", {}, options);
    if (project) {
      ++loaded;
      CHECK(project->StartOrder().size() == project->services.size());
      continue;
    }
    ++failed;
    INFO(path.filename().string() << ": " << project.Error().message);
    if (std::getenv("DOCKIT_SHOW_CORPUS")) {
      std::cout << path.filename().string() << ": " << testing::Where(project.Error(), file)
                << "\n";
    }
    // Without a file, only a missing env_file... which names its compose file: every error of a
    // single-file project is in a file.
    CHECK(file != nullptr);
    if (file) CHECK(project.Error().range.begin.line >= 1);
    std::string reason = project.Error().message;
    if (size_t q = reason.find('"'); q != std::string::npos) reason = reason.substr(0, q);
    ++reasons[reason.substr(0, 60)];
  }
  std::cout << "compose corpus: " << files.size() << " files, " << loaded << " load, " << failed
            << " fail with a positioned error\n";
  for (const auto& [reason, n] : reasons) std::cout << "  " << n << "  " << reason << "\n";
  CHECK(loaded + failed == files.size());
}

}  // namespace
}  // namespace dockit::sim

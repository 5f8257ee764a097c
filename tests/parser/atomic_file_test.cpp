#include "parser/atomic_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace dockit {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST_CASE("atomic writes replace the whole file, keep its mode and leave no temporary",
          "[parser]") {
  fs::path dir = fs::temp_directory_path() / ("dockit-atomic-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::path file = dir / "state.json";
  REQUIRE_FALSE(WriteFileAtomically(file.string(), "first"));
  CHECK(Read(file) == "first");
  ::chmod(file.c_str(), 0600);
  REQUIRE_FALSE(WriteFileAtomically(file.string(), "second, longer"));
  CHECK(Read(file) == "second, longer");
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
  // A folder that does not exist: an error naming the file, nothing written.
  auto failed = WriteFileAtomically((dir / "no/such/dir/x").string(), "x");
  REQUIRE(failed);
  CHECK(failed->find("cannot write") == 0);
  CHECK(failed->find("No such file or directory") != std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dockit

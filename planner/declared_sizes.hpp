// Sizes a person declares for what dockit cannot know before running: the file a URL downloads,
// or everything a command writes. A text file (`dexec plan --sizes FILE`, by default
// <context>/dexec.sizes when it exists), one declaration a line, blank lines ignored; a word
// that starts with `#` starts a comment to the end of the line:
//
//     url <URL> <SIZE>            url https://example.com/app.tar.gz 12M
//     command <SIZE> <TEXT>       command 40M make -C /src install
//
// SIZE as ParseSize reads it (run_size.hpp: 10, 10K = 10240, 10KB = 10000, 1MiB ...). A url
// declaration sizes `curl -o FILE URL`, `curl -O URL`, `wget URL`, `wget -O FILE URL` (the file
// written; 0 when the same RUN removes it). A command declaration gives the bytes the whole
// command adds to the layer; TEXT is compared with the command as written (wrappers such as sudo
// included), its words as the shell splits them (quotes removed) joined by single spaces, so
// `make  -C "/src" install` matches the example and `sudo make -C /src install` does not.
// The simulator reads the same declarations to size commands it does not execute.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/diagnostic.hpp"
#include "parser/source.hpp"

namespace dockit::plan {

struct DeclaredSizes {
  std::map<std::string, uint64_t, std::less<>> urls;
  std::map<std::string, uint64_t, std::less<>> commands;  // words joined by one space

  std::optional<uint64_t> Url(std::string_view url) const;
  // `words` as the shell split them.
  std::optional<uint64_t> Command(const std::vector<std::string_view>& words) const;
  bool Empty() const { return urls.empty() && commands.empty(); }
};

// The declarations of `file`, or the first error at its file:line:col ("unknown declaration",
// "bad size", "missing URL", "missing command", "duplicate declaration").
Result<DeclaredSizes> ParseDeclaredSizes(const SourceFile& file);

}  // namespace dockit::plan

// UnifiedDiff: exact output on small cases and, for random texts, a diff that patches `before`
// into `after` (checked by a small applier below, independent of the implementation).
#include "linter/diff.hpp"

#include <rapidcheck.h>
#include <rapidcheck/catch.h>
#include <catch2/catch.hpp>
#include <sstream>
#include <vector>

namespace dockit::lint {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Applies a unified diff to `before` (lines with their newline), following the hunk headers.
std::string Apply(const std::string& before, const std::string& diff) {
  std::vector<std::string> old_lines;
  for (size_t pos = 0; pos < before.size();) {
    size_t nl = before.find('\n', pos);
    size_t end = nl == std::string::npos ? before.size() : nl + 1;
    old_lines.push_back(before.substr(pos, end - pos));
    pos = end;
  }
  std::vector<std::string> patch = Lines(diff);
  std::string out;
  size_t next_old = 0;  // 0-based
  for (size_t i = 2; i < patch.size();) {
    const std::string& header = patch[i];
    RC_ASSERT(header.rfind("@@ -", 0) == 0u);
    size_t start = std::stoul(header.substr(4));
    size_t comma = header.find(',');
    size_t space = header.find(' ', 4);
    size_t count = comma < space ? std::stoul(header.substr(comma + 1)) : 1;
    size_t first = count == 0 ? start : start - 1;  // 0-based index of the hunk's first line
    RC_ASSERT(first >= next_old);
    for (; next_old < first; ++next_old) out += old_lines[next_old];
    for (++i; i < patch.size() && patch[i].rfind("@@", 0) != 0; ++i) {
      const std::string& line = patch[i];
      bool no_newline = i + 1 < patch.size() && patch[i + 1] == "\\ No newline at end of file";
      std::string body = line.substr(1) + (no_newline ? "" : "\n");
      if (line[0] == ' ' || line[0] == '-') {
        RC_ASSERT(next_old < old_lines.size());
        RC_ASSERT(old_lines[next_old] == body);
        ++next_old;
      }
      if (line[0] == ' ' || line[0] == '+') out += body;
      if (no_newline) ++i;
    }
  }
  for (; next_old < old_lines.size(); ++next_old) out += old_lines[next_old];
  return out;
}

TEST_CASE("UnifiedDiff prints GNU diff's hunks", "[linter][diff]") {
  CHECK(UnifiedDiff("Dockerfile", "a\n", "a\n").empty());
  CHECK(UnifiedDiff("Dockerfile", "FROM x\nMAINTAINER me\nRUN a\n",
                    "FROM x\nLABEL maintainer=me\nRUN a\n") ==
        "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,3 +1,3 @@\n FROM x\n-MAINTAINER me\n"
        "+LABEL maintainer=me\n RUN a\n");
  // Changes more than 2*3 unchanged lines apart make two hunks.
  std::string before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
  std::string after = "one\n2\n3\n4\n5\n6\n7\n8\n9\nten\n";
  CHECK(UnifiedDiff("f", before, after) ==
        "--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n-1\n+one\n 2\n 3\n 4\n@@ -7,4 +7,4 @@\n 7\n 8\n 9\n"
        "-10\n+ten\n");
  // Within 2*3 lines they merge.
  CHECK(UnifiedDiff("f", "1\n2\n3\n4\n5\n6\n7\n8\n", "one\n2\n3\n4\n5\n6\n7\neight\n") ==
        "--- a/f\n+++ b/f\n@@ -1,8 +1,8 @@\n-1\n+one\n 2\n 3\n 4\n 5\n 6\n 7\n-8\n+eight\n");
  // An insertion into an empty file names line 0; a missing final newline is marked.
  CHECK(UnifiedDiff("f", "", "x\n") == "--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+x\n");
  CHECK(UnifiedDiff("f", "x", "x\n") ==
        "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-x\n\\ No newline at end of file\n+x\n");
}

TEST_CASE("UnifiedDiff patches before into after", "[linter][diff][property]") {
  rc::prop("applying the diff gives the new text", [] {
    auto line = rc::gen::element<std::string>("a\n", "b\n", "c\n", "RUN x\n", "\n");
    auto text = rc::gen::container<std::vector<std::string>>(line);
    auto join = [](const std::vector<std::string>& v) {
      std::string s;
      for (const std::string& l : v) s += l;
      return s;
    };
    std::string before = join(*text);
    std::string after = join(*text);
    if (*rc::gen::arbitrary<bool>()) after += "tail";  // no final newline
    int context = *rc::gen::inRange(0, 4);
    std::string diff = UnifiedDiff("f", before, after, context);
    RC_ASSERT((diff.empty()) == (before == after));
    if (!diff.empty()) RC_ASSERT(Apply(before, diff) == after);
  });
}

}  // namespace
}  // namespace dockit::lint

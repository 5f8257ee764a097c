// `COPY --chown=SPEC` and `chown`-style owners resolved the way BuildKit does, from the text of
// the image's /etc/passwd and /etc/group: "app", "1000", "app:staff", "1000:1000". The
// simulator reads the files from its virtual layers, the real runtime from the image root;
// both resolve through this one function so they agree.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "parser/diagnostic.hpp"

namespace dockit::plan {

struct FileOwner {
  uint32_t uid = 0;
  uint32_t gid = 0;
};

// A user without a group takes the user's primary group from passwd (0 for a numeric uid
// without an entry). An unknown name is an error worded as BuildKit's: `unable to find user
// app: no matching entries in passwd file`. `group_text` is read only when the spec names a
// group.
Result<FileOwner> ResolveChown(std::string_view spec, std::string_view passwd_text,
                               std::string_view group_text);

}  // namespace dockit::plan

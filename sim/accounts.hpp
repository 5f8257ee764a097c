// Users and groups as the image's /etc/passwd and /etc/group say: `USER app`, `COPY
// --chown=app:app` and `chown` resolve names the way the kernel's tools do, from the files in the
// image (their text is in the TextStore). Numeric ids need no entry, as in Docker.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "parser/diagnostic.hpp"
#include "sim/text_store.hpp"
#include "sim/tree.hpp"
#include "sim/working_layer.hpp"

namespace dockit::sim {

// The text of a file in `view`, when the store holds it (nullopt for a missing file or a
// synthetic content).
std::optional<std::string> ReadText(const Tree& view, const TextStore& texts,
                                    std::string_view path);

// "app", "1000", "app:staff", "1000:1000", ":staff"-less forms as Docker accepts them; a user
// without a group takes the user's primary group from /etc/passwd (0 for an unknown numeric
// uid). An unknown name is an error worded as BuildKit's: `unable to find user app: no matching
// entries in passwd file`.
Result<Owner> ResolveOwner(const Tree& view, const TextStore& texts, std::string_view spec);

}  // namespace dockit::sim

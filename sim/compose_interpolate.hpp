// Compose's variable interpolation and its `.env` / `env_file` format, as compose-go does them:
// `$$` is a dollar sign; `$VAR` and `${VAR}` its value (blank, with a warning, when unset);
// `${VAR:-default}` (unset or empty) and `${VAR-default}` (unset); `${VAR:+other}` and
// `${VAR+other}`; `${VAR:?message}` and `${VAR?message}` fail. Defaults may nest (`${A:-${B}}`).
// A `${` that is none of these is an error ("invalid interpolation format"); a `$` followed by
// anything else (`$1`, `$(date)`) stays as written, as compose-go's pattern leaves it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parser/diagnostic.hpp"
#include "parser/source.hpp"

namespace dockit::sim {

// A variable's value, nullopt when it is not set.
using EnvLookup = std::function<std::optional<std::string>(std::string_view)>;

struct Interpolated {
  std::string value;
  std::vector<std::string> unset;  // variables that were not set and became ""
};

// `text` with its variables replaced. An error's range is in bytes of `text` (offset 0 is its
// first byte; line and column are not meaningful): the caller places it in its file.
Result<Interpolated> Interpolate(std::string_view text, const EnvLookup& lookup);

// A `.env` or `env_file` file, in order: `KEY=VALUE` lines (`export ` allowed), blank lines and
// `#` comments ignored; a value may be single-quoted (literal), double-quoted (`\n`, `\"`, `\\`
// escapes, variables) or bare (a ` #` starts a comment, blanks around it are trimmed, variables
// are replaced). Variables are looked up among the file's earlier keys first, then `lookup`. A
// bare `KEY` line takes the variable from `lookup` and is left out when it is unset. A bad key
// or an unterminated quote is an error at its line and column.
Result<std::vector<std::pair<std::string, std::string>>> ParseEnvFile(const SourceFile& file,
                                                                      const EnvLookup& lookup);

}  // namespace dockit::sim

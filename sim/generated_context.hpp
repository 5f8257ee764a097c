// A build context made up for a Dockerfile that comes without one: every source a COPY or ADD
// names from the context gets a small file (or a folder with a file in it), so that the plan
// can select it. For a student who pastes a Dockerfile (`dexec --sim build --generate-context`)
// and for the test and bench that build the whole real corpus on the simulator.
#pragma once

#include <string>

#include "parser/diagnostic.hpp"
#include "parser/instructions.hpp"

namespace dockit::sim {

// Writes into `dir` (which must exist): for each COPY/ADD source from the context, after ARG
// expansion, a file, or a folder with `generated.txt` when the source names a folder (a
// trailing slash, `.`, or a path another source goes below). Wildcards are filled in (`*.py`
// gives `x.py`). Contents are short and deterministic (they name their path; a
// requirements*.txt also lists `flask` and a package-lock.json locks `ms@2.1.0`, so that pip
// and npm installs from them are sized by the catalogues). Sources that
// leave the context (`../x`), URLs, heredocs and --from sources are skipped. Existing files are
// kept. Returns the number of paths written.
Result<size_t> GenerateContext(const Analysis& analysis, const std::string& dir);

}  // namespace dockit::sim

// Reported by the engine (linter/shellcheck.cpp), which runs the `shellcheck` program over the
// shell code of the file: each finding carries ShellCheck's own code (SC2086) and level.
#include "rules/all.hpp"

namespace dockit::lint {

const Rule kShellcheck{
    {
        .slug = "shellcheck",
        .aliases = {},
        .severity = Severity::kWarning,
        .title = "ShellCheck findings in RUN scripts",
        .rationale =
            "Every shell-form RUN (with its heredoc bodies) and every heredoc script run by a "
            "POSIX shell goes through ShellCheck, in one process per Dockerfile, in the dialect "
            "of the stage's SHELL (sh, bash, dash, ksh; other shells are skipped) or of the "
            "script's shebang, with the ARG and ENV names in scope declared. Each finding points "
            "at the exact text in the Dockerfile, also across line continuations, and keeps "
            "ShellCheck's code and level: ignore one check with `# dlint ignore=SC2086` (or "
            "`# hadolint ignore=SC2086`, or `ignored: [SC2086]` in .dlint.yaml), all of them "
            "with `shellcheck`. Runs only when the `shellcheck` program is installed; "
            "`--no-shellcheck`, `shellcheck: false` in .dlint.yaml or DLINT_SHELLCHECK=false "
            "turn it off. See https://www.shellcheck.net/wiki/ for every code.",
        .bad = {{"FROM alpine\nRUN apk add --no-cache curl && \\\n    echo $name\n",
                 {"3:10", "3:10"}},
                {"FROM alpine\nRUN <<EOF\napk add curl\ncd /src\nEOF\n", {"4:1"}},
                {"FROM debian:12\nRUN [[ -d /opt ]] && echo yes\n", {"2:5"}}},
        .good = {{"FROM alpine\nARG name=world\nRUN echo \"hello $name\"\n", {}},
                 {"FROM debian:12\nSHELL [\"/bin/bash\", \"-c\"]\nRUN [[ -d /opt ]] && echo yes\n",
                  {}}},
        .differs_from_hadolint =
            "hadolint runs ShellCheck's library once per RUN and reports every finding on the "
            "RUN's first line; dlint runs one process per file and reports the exact line and "
            "column. Heredoc scripts are checked too. SC1090 and SC1091 (following sourced "
            "files, which only exist in the image) are left out.",
        .program = "shellcheck",
    },
    nullptr};

}  // namespace dockit::lint

// useradd with a large UID and without -l: useradd writes the user's entry into the sparse
// /var/log/lastlog and faillog at offset uid * record size; the layer stores the hole as real
// zeros, so a UID like 123456789 adds gigabytes to the image.
#include "rules/all.hpp"
#include "rules/shell_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  ctx.ForEachRun([&](const Stage&, const TypedInstruction&, const ShellScript& shell) {
    for (const CommandView& view : RunCommands(shell)) {
      if (view.Name() != "useradd" || HasFlag(view, {"-l", "--no-log-init"})) continue;
      std::optional<std::string_view> uid = FlagValue(view, {"-u", "--uid"});
      // Six digits or more, as hadolint; an expansion's value is unknown here.
      if (!uid || uid->size() <= 5 || uid->find_first_of("$`") != std::string_view::npos) continue;
      const ShellWord& word = view.argv[0];
      Fix fix{"add -l to useradd", {{word.range.end.offset, word.range.end.offset, " -l"}}};
      ctx.Report(word.range,
                 "useradd with the high UID " + std::string(*uid) +
                     " and without -l fills /var/log/lastlog and faillog with zeros: add -l "
                     "(--no-log-init)",
                 std::move(fix));
    }
  });
}

}  // namespace

const Rule kUseraddWithoutL{
    {
        .slug = "useradd-without-l",
        .aliases = {"DL3046"},
        .severity = Severity::kWarning,
        .title = "useradd with a high UID needs -l",
        .rationale =
            "useradd records each new user in /var/log/lastlog and /var/log/faillog at an "
            "offset proportional to the UID. On disk these files are sparse, but image layers "
            "store the holes as zeros, so a high UID can add gigabytes to the image. `-l` "
            "(`--no-log-init`) skips those files.",
        .bad = {{"FROM debian:12\nRUN useradd -u 1000000 app\n",
                 {"2:5"},
                 "FROM debian:12\nRUN useradd -l -u 1000000 app\n"},
                {"FROM debian:12\nRUN groupadd -g 123456 app && useradd --uid=123456 -g app app\n",
                 {"2:31"},
                 "FROM debian:12\nRUN groupadd -g 123456 app && useradd -l --uid=123456 -g app "
                 "app\n"}},
        .good = {{"FROM debian:12\nRUN useradd -l -u 1000000 app\n", {}},
                 {"FROM debian:12\nRUN useradd --no-log-init -u 1000000 app\n", {}},
                 {"FROM debian:12\nRUN useradd -u 1000 app\n", {}},
                 {"FROM debian:12\nARG UID=1000000\nRUN useradd -u \"$UID\" app\n", {}}},
        .differs_from_hadolint =
            "A UID given by a variable is not reported: its value is unknown (hadolint counts "
            "the characters of `$UID`).",
    },
    Check};

}  // namespace dockit::lint

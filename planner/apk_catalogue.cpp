#include "planner/apk_catalogue.hpp"

namespace dockit::plan {

std::optional<ApkAddCommand> ParseApkAdd(const CommandView& view) {
  if (view.Name() != "apk") return std::nullopt;
  std::initializer_list<std::string_view> valued = {"-t", "--virtual", "-X",    "--repository",
                                                    "-p", "--root",    "--arch"};
  const ShellWord* sub = Subcommand(view, valued);
  if (!sub || sub->value != "add") return std::nullopt;
  ApkAddCommand out;
  for (const ShellWord& w : view.argv) {
    if (!w.Static()) return std::nullopt;
  }
  out.no_cache = HasFlag(view, "--no-cache");
  out.update = HasFlag(view, {"-U", "--update", "--update-cache"});
  if (auto v = FlagValue(view, {"-t", "--virtual"})) out.virtual_name = std::string(*v);
  std::vector<const ShellWord*> args = Args(view, valued);
  for (size_t i = 1; i < args.size(); ++i) out.packages.emplace_back(args[i]->value);
  return out;
}

std::optional<PackageSet> ApkAdd(const std::vector<std::string>&) { return std::nullopt; }

bool IsAlpine(std::string_view image) {
  for (std::string_view prefix : {"docker.io/library/", "library/"}) {
    if (image.starts_with(prefix)) image.remove_prefix(prefix.size());
  }
  image = image.substr(0, image.find('@'));
  return image == "alpine" || image.starts_with("alpine:");
}

}  // namespace dockit::plan

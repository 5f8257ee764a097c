#include "sim/compose_project.hpp"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>

#include "parser/suggest.hpp"
#include "parser/yaml_tree.hpp"
#include "sim/compose_interpolate.hpp"
#include "sim/compose_service_reader.hpp"
#include "sim/compose_values.hpp"

namespace dockit::sim {
namespace {

namespace fs = std::filesystem;

constexpr const char* kInvalid = ": invalid compose project";
constexpr uint16_t kFirstEphemeralPort = 32768;  // Linux's ip_local_port_range starts here

// compose-go's file discovery, in its order of preference.
const char* const kDefaultFiles[] = {"compose.yaml", "compose.yml", "docker-compose.yml",
                                     "docker-compose.yaml"};
const char* const kOverrideFiles[] = {"compose.override.yml", "compose.override.yaml",
                                      "docker-compose.override.yml",
                                      "docker-compose.override.yaml"};

Diagnostic Error(const SourceRange& range, std::string message) {
  return Diagnostic{"compose-invalid", std::move(message), range, Severity::kError};
}

std::vector<std::string> SplitList(std::string_view text, char sep) {
  std::vector<std::string> out;
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find(sep, start);
    if (end == std::string_view::npos) end = text.size();
    std::string item(text.substr(start, end - start));
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) out.push_back(std::move(item));
    start = end + 1;
  }
  return out;
}

// The file offset of byte `i` of a scalar's value when the value is the text as written
// (plain, or quoted without escapes); the scalar's start otherwise.
uint32_t OffsetIn(const SourceFile& file, const YamlNode& n, size_t i) {
  uint32_t begin = n.range.begin.offset;
  std::string_view written = std::string_view(file.Text()).substr(begin, n.range.Size());
  if (n.plain && written.substr(0, n.value.size()) == n.value) {
    return begin + static_cast<uint32_t>(i);
  }
  if (!n.plain && written.size() >= 2 && written.substr(1, written.size() - 2) == n.value) {
    return begin + 1 + static_cast<uint32_t>(i);
  }
  return begin;
}

class Loader {
 public:
  Loader(const ComposeEnv& env, const ComposeLoadOptions& options) : env_(env), options_(options) {}

  Result<ComposeProject> Load(const std::string& dir, const std::vector<std::string>& files,
                              const std::string& project_name) {
    std::error_code ec;
    fs::path abs = fs::absolute(dir.empty() ? "." : dir, ec).lexically_normal();
    std::string project_dir = abs.string();
    if (project_dir.size() > 1 && project_dir.back() == '/') project_dir.pop_back();

    Status dotenv = ReadDotEnv(project_dir);
    if (!dotenv) return dotenv.Error();

    // The files.
    std::vector<std::string> paths;
    std::vector<std::string> named = files;
    if (named.empty()) {
      if (auto f = Lookup("COMPOSE_FILE")) named = SplitList(*f, ':');
    }
    if (!named.empty()) {
      for (const std::string& f : named) paths.push_back(ResolveHostPath(project_dir, f));
    } else {
      auto found = Discover(project_dir);
      if (!found) return found.Error();
      paths = std::move(*found);
      project_dir = fs::path(paths.front()).parent_path().string();
      if (project_dir != abs.string()) {
        Status again = ReadDotEnv(project_dir);  // found in a parent directory
        if (!again) return again.Error();
      }
    }
    project_.dir = project_dir;

    std::vector<YamlNode> roots;
    for (const std::string& path : paths) {
      std::string read_error;
      auto file = ReadSourceFile(path, &read_error);
      if (!file) return Error({}, read_error);
      sources_.push_back(file);
      project_.files.push_back(file);
      auto yaml = ParseYaml(*file);
      if (!yaml) return Fail(file.get(), yaml.Error());
      YamlNode root = std::move(yaml).Value();
      if (!root.IsMap() && !root.IsNull()) {
        return Fail(file.get(),
                    Error(root.range, "the top level of a compose file must be a mapping"));
      }
      Status st = InterpolateTree(root, *file, "");
      if (!st) return Fail(file.get(), st.Error());
      roots.push_back(std::move(root));
    }
    for (size_t i = 0; i < roots.size(); ++i) {
      error_in_ = nullptr;
      including_ = {project_.files[i]->Path()};
      Status st = ApplyFile(roots[i], *project_.files[i], project_dir);
      if (!st) return Fail(error_in_ ? error_in_ : project_.files[i].get(), st.Error());
    }

    Status named_ok = ChooseName(project_name, project_dir);
    if (!named_ok) return named_ok.Error();
    Status st = Finish();
    if (!st) return st.Error();
    return std::move(project_);
  }

 private:
  std::optional<std::string> Lookup(std::string_view name) const {
    if (auto it = env_.find(std::string(name)); it != env_.end()) return it->second;
    if (auto it = dotenv_.find(std::string(name)); it != dotenv_.end()) return it->second;
    return std::nullopt;
  }
  EnvLookup LookupFn() const {
    return [this](std::string_view name) { return Lookup(name); };
  }

  Diagnostic Fail(const SourceFile* file, Diagnostic d) {
    if (options_.error_file) {
      options_.error_file->reset();
      for (const auto& s : sources_) {
        if (s.get() == file) *options_.error_file = s;
      }
    }
    return d;
  }
  Diagnostic Fail(const ComposeSite& site, std::string message) {
    return Fail(site.file, Error(site.range, std::move(message)));
  }

  // `<dir>/.env` if there is one, or the --env-file files (which must exist), in order.
  Status ReadDotEnv(const std::string& dir) {
    dotenv_.clear();
    std::vector<std::string> paths;
    for (const std::string& f : options_.env_files) paths.push_back(ResolveHostPath(dir, f));
    if (paths.empty() && fs::is_regular_file(dir + "/.env")) paths.push_back(dir + "/.env");
    for (const std::string& path : paths) {
      if (!fs::is_regular_file(path)) return Error({}, "couldn't find env file: " + path);
      std::string read_error;
      auto file = ReadSourceFile(path, &read_error);
      if (!file) return Error({}, read_error);
      sources_.push_back(file);
      EnvLookup earlier = [this](std::string_view name) -> std::optional<std::string> {
        if (auto it = env_.find(std::string(name)); it != env_.end()) return it->second;
        if (auto it = dotenv_.find(std::string(name)); it != dotenv_.end()) return it->second;
        return std::nullopt;
      };
      auto vars = ParseEnvFile(*file, earlier);
      if (!vars) return Fail(file.get(), vars.Error());
      for (auto& [k, v] : *vars) dotenv_[k] = v;
    }
    return OkStatus();
  }

  Result<std::vector<std::string>> Discover(const std::string& start) {
    for (fs::path dir = start;; dir = dir.parent_path()) {
      std::vector<std::string> found;
      for (const char* name : kDefaultFiles) {
        if (fs::is_regular_file(dir / name)) found.push_back((dir / name).string());
      }
      if (!found.empty()) {
        std::vector<std::string> out{found.front()};
        if (found.size() > 1)
          Warn(nullptr, {},
               "found multiple config files with supported names: " + Join(found) + "; using " +
                   found.front());
        for (const char* name : kOverrideFiles) {
          if (fs::is_regular_file(dir / name)) {
            out.push_back((dir / name).string());
            break;
          }
        }
        return out;
      }
      if (dir == dir.parent_path()) break;
    }
    return Error({}, "no configuration file provided: not found (looked for " +
                         std::string(kDefaultFiles[0]) + ", " + kDefaultFiles[1] + ", " +
                         kDefaultFiles[2] + " and " + kDefaultFiles[3] + " in " + start +
                         " and its parents)");
  }

  static std::string Join(const std::vector<std::string>& items, std::string_view sep = ", ") {
    std::string out;
    for (size_t i = 0; i < items.size(); ++i) out += (i ? std::string(sep) : "") + items[i];
    return out;
  }

  void Warn(const SourceFile* file, const SourceRange& range, std::string message) {
    project_.warnings.push_back(
        {Diagnostic{"compose-warning", std::move(message), range, Severity::kWarning}, file});
  }

  // Every scalar value (not keys) with its variables replaced, as Compose does before merging.
  Status InterpolateTree(YamlNode& n, const SourceFile& file, const std::string& path) {
    if (n.IsScalar()) {
      if (n.value.find('$') == std::string::npos) return OkStatus();
      auto r = Interpolate(n.value, LookupFn());
      if (!r) {
        const SourceRange& rel = r.Error().range;
        uint32_t b = OffsetIn(file, n, rel.begin.offset);
        uint32_t e = std::max(b, OffsetIn(file, n, rel.end.offset));
        if (b == n.range.begin.offset) e = n.range.end.offset;
        return Error(file.RangeOf(b, e), path + ": " + r.Error().message);
      }
      for (const std::string& var : r->unset) {
        if (warned_.insert(var).second) {
          Warn(&file, n.range,
               "the \"" + var + "\" variable is not set; defaulting to a blank string");
        }
      }
      n.value = std::move(r->value);
      return OkStatus();
    }
    for (size_t i = 0; i < n.items.size(); ++i) {
      Status st = InterpolateTree(n.items[i], file, path + "[" + std::to_string(i) + "]");
      if (!st) return st;
    }
    for (YamlEntry& e : n.entries) {
      Status st =
          InterpolateTree(e.value, file, path.empty() ? e.key.value : path + "." + e.key.value);
      if (!st) return st;
    }
    return OkStatus();
  }

  // `extends:` (a service name, or {service, file}): the base service's layers first, its own
  // bases before it; relative paths of a base in another file are relative to that file.
  Status ApplyExtends(const YamlNode& body, const SourceFile& file, const YamlNode& root,
                      const std::string& dir, ComposeServiceDraft& draft,
                      std::vector<std::string>& chain) {
    const YamlEntry* ext = body.IsMap() ? body.FindEntry("extends") : nullptr;
    if (!ext) return OkStatus();
    const YamlNode& v = ext->value;
    const YamlNode* service = v.IsScalar() ? &v : v.Find("service");
    if (!service || !service->IsScalar()) {
      return Error(v.range, "extends must be a service name or a mapping with a service");
    }
    const SourceFile* base_file = &file;
    const YamlNode* base_root = &root;
    std::string base_dir = dir;
    if (const YamlNode* other = v.Find("file")) {
      if (!other->IsScalar()) return Error(other->range, "extends.file must be a string");
      std::string path =
          ResolveHostPath(fs::path(file.Path()).parent_path().string(), other->value);
      auto loaded = LoadOtherFile(path);
      if (!loaded) return Error(other->range, loaded.Error().message);
      if (loaded->first == nullptr) {  // a YAML or interpolation error inside it
        error_in_ = failed_file_;
        return failed_;
      }
      base_file = loaded->first;
      base_root = loaded->second;
      base_dir = fs::path(path).parent_path().string();
    }
    const YamlNode* services = base_root->Find("services");
    const YamlNode* base = services ? services->Find(service->value) : nullptr;
    if (!base) {
      return Error(service->range, "cannot extend service \"" + service->value + "\" in " +
                                       base_file->Path() + ": service not found");
    }
    std::string key = base_file->Path() + "#" + service->value;
    if (std::find(chain.begin(), chain.end(), key) != chain.end()) {
      return Error(ext->key.range, "circular reference with extends: " + service->value);
    }
    chain.push_back(key);
    Status st = ApplyExtends(*base, *base_file, *base_root, base_dir, draft, chain);
    if (st) st = ApplyServiceLayer(*base, *base_file, base_dir, draft);
    if (!st && !error_in_ && base_file != &file) error_in_ = base_file;
    return st;
  }

  // A file named by `extends.file` or `include:`, read, parsed and interpolated once. {nullptr,
  // nullptr} with failed_ set when it does not parse; an error when it cannot be read.
  Result<std::pair<const SourceFile*, const YamlNode*>> LoadOtherFile(const std::string& path) {
    if (auto it = extended_.find(path); it != extended_.end()) {
      return std::pair<const SourceFile*, const YamlNode*>(it->second.first.get(),
                                                           it->second.second.get());
    }
    std::string read_error;
    auto file = ReadSourceFile(path, &read_error);
    if (!file) return Error({}, read_error);
    sources_.push_back(file);
    project_.files.push_back(file);  // services' sites may point into it
    auto yaml = ParseYaml(*file);
    auto root = std::make_unique<YamlNode>();
    Status st = yaml ? InterpolateTree(
                           *(root = std::make_unique<YamlNode>(std::move(yaml).Value())), *file, "")
                     : Status(yaml.Error());
    if (!st) {
      failed_ = st.Error();
      failed_file_ = file.get();
      return std::pair<const SourceFile*, const YamlNode*>(nullptr, nullptr);
    }
    const YamlNode* r = root.get();
    extended_[path] = {file, std::move(root)};
    return std::pair<const SourceFile*, const YamlNode*>(file.get(), r);
  }

  // `include:`: each file (a path, or {path, project_directory}) is applied first, with paths
  // relative to its own directory; a service both imported and defined here is an error.
  Status ApplyIncludes(const YamlNode& list, const SourceFile& file,
                       std::set<std::string>& imported) {
    if (!list.IsSequence()) return Error(list.range, "include must be a list");
    std::string here = fs::path(file.Path()).parent_path().string();
    for (const YamlNode& item : list.items) {
      const YamlNode* path = item.IsScalar() ? &item : item.Find("path");
      if (!path || !path->IsScalar()) {
        return Error(item.range, "include items must be paths or mappings with a path");
      }
      std::string full = ResolveHostPath(here, path->value);
      std::string dir = fs::path(full).parent_path().string();
      if (const YamlNode* pd = item.Find("project_directory"); pd && pd->IsScalar()) {
        dir = ResolveHostPath(here, pd->value);
      }
      if (std::find(including_.begin(), including_.end(), full) != including_.end()) {
        return Error(path->range, "include cycle: " + full + " includes itself");
      }
      auto loaded = LoadOtherFile(full);
      if (!loaded) return Error(path->range, loaded.Error().message);
      if (loaded->first == nullptr) {
        error_in_ = failed_file_;
        return failed_;
      }
      std::set<std::string> before;
      for (const ComposeServiceDraft& d : drafts_) before.insert(d.service.name);
      including_.push_back(full);
      Status st = ApplyFile(*loaded->second, *loaded->first, dir, /*included=*/true);
      including_.pop_back();
      if (!st) {
        if (!error_in_) error_in_ = loaded->first;
        return st;
      }
      for (const ComposeServiceDraft& d : drafts_) {
        if (!before.count(d.service.name)) imported.insert(d.service.name);
      }
    }
    return OkStatus();
  }

  Status ApplyFile(const YamlNode& root, const SourceFile& file, const std::string& dir,
                   bool included = false) {
    for (const YamlEntry& e : root.entries) {
      static const std::vector<std::string_view> kTopKeys = {"version",  "name",     "include",
                                                             "services", "networks", "volumes",
                                                             "secrets",  "configs",  "models"};
      const std::string& key = e.key.value;
      if (key.starts_with("x-") ||
          std::find(kTopKeys.begin(), kTopKeys.end(), key) != kTopKeys.end()) {
        continue;
      }
      std::string hint = Suggest(key, kTopKeys);
      return Error(e.key.range, "(root) additional properties '" + key + "' not allowed" +
                                    (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"));
    }
    std::set<std::string> imported;
    if (const YamlNode* include = root.Find("include")) {
      Status st = ApplyIncludes(*include, file, imported);
      if (!st) return st;
    }
    if (const YamlNode* name = root.Find("name"); name && !included) {
      if (!name->IsScalar()) return Error(name->range, "name must be a string");
      file_name_ = *name;
      file_name_file_ = &file;
    }
    if (const YamlNode* services = root.Find("services")) {
      if (!services->IsMap() && !services->IsNull()) {
        return Error(services->range, "services must be a mapping");
      }
      for (const YamlEntry& e : services->entries) {
        const std::string& name = e.key.value;
        if (name.empty() ||
            name.find_first_not_of(
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
                std::string::npos) {
          return Error(e.key.range,
                       "invalid service name \"" + name + "\": only [a-zA-Z0-9._-] are allowed");
        }
        if (imported.count(name)) {
          return Error(e.key.range, "service \"" + name +
                                        "\" is already defined by an included file (include "
                                        "does not merge: use extends or an override file)");
        }
        auto it = std::find_if(drafts_.begin(), drafts_.end(), [&](const ComposeServiceDraft& d) {
          return d.service.name == name;
        });
        if (it == drafts_.end()) {
          drafts_.emplace_back();
          it = std::prev(drafts_.end());
          it->service.name = name;
          it->service.site = ComposeSite{&file, e.key.range};
        }
        std::vector<std::string> chain{file.Path() + "#" + name};
        Status st = ApplyExtends(e.value, file, root, dir, *it, chain);
        if (!st) return st;
        st = ApplyServiceLayer(e.value, file, dir, *it);
        if (!st) return st;
      }
    }
    for (const char* kind : {"volumes", "networks"}) {
      const YamlNode* section = root.Find(kind);
      if (!section || section->IsNull()) continue;
      if (!section->IsMap()) return Error(section->range, std::string(kind) + " must be a mapping");
      auto& out = std::string_view(kind) == "volumes" ? volumes_ : networks_;
      for (const YamlEntry& e : section->entries) {
        ComposeResource& r = out[e.key.value];
        r.key = e.key.value;
        r.site = ComposeSite{&file, e.key.range};
        if (e.value.IsNull()) continue;
        if (!e.value.IsMap()) {
          return Error(e.value.range, std::string(kind) + "." + e.key.value + " must be a mapping");
        }
        if (const YamlNode* n = e.value.Find("name"); n && n->IsScalar()) r.name = n->value;
        if (const YamlNode* d = e.value.Find("driver"); d && d->IsScalar()) r.driver = d->value;
        if (const YamlNode* x = e.value.Find("external")) {
          // `external: true`, or the old `external: {name: x}`.
          if (x->IsMap()) {
            r.external = true;
            if (const YamlNode* n = x->Find("name"); n && n->IsScalar()) r.name = n->value;
          } else if (auto b = YamlBool(*x)) {
            r.external = *b;
          } else {
            return Error(x->range,
                         std::string(kind) + "." + e.key.value + ".external must be a boolean");
          }
        }
      }
    }
    return OkStatus();
  }

  Status ChooseName(const std::string& flag, const std::string& dir) {
    auto check = [&](const std::string& name, const ComposeSite& site) -> Status {
      if (name.empty()) return Fail(site, "project name must not be empty");
      if (NormalizeProjectName(name) != name) {
        return Fail(site, "invalid project name \"" + name +
                              "\": must consist only of lowercase alphanumeric characters, "
                              "hyphens, and underscores as well as start with a letter or number");
      }
      project_.name = name;
      return OkStatus();
    };
    if (!flag.empty()) return check(flag, {});
    if (auto env = Lookup("COMPOSE_PROJECT_NAME"); env && !env->empty()) return check(*env, {});
    if (file_name_.IsScalar() && !file_name_.value.empty()) {
      return check(file_name_.value, ComposeSite{file_name_file_, file_name_.range});
    }
    return check(NormalizeProjectName(fs::path(dir).filename().string()), {});
  }

  void ResolveResourceNames() {
    for (auto& [key, r] : volumes_) {
      if (r.name.empty()) r.name = r.external ? key : project_.name + "_" + key;
    }
    for (auto& [key, r] : networks_) {
      if (r.name.empty()) r.name = r.external ? key : project_.name + "_" + key;
    }
  }

  Result<ComposeService> Complete(ComposeServiceDraft& d) {
    ComposeService s = std::move(d.service);
    if (s.image.empty() && !s.build && s.provider.empty()) {
      return Fail(s.site, "service \"" + s.name +
                              "\" has neither an image nor a build context specified" + kInvalid);
    }
    for (const ComposeEnvFileRef& ref : d.env_files) {
      if (!fs::is_regular_file(ref.path)) {
        if (!ref.required) continue;
        return Fail(ref.site, "env file " + ref.path + " not found: stat " + ref.path +
                                  ": no such file or directory");
      }
      std::string read_error;
      auto file = ReadSourceFile(ref.path, &read_error);
      if (!file) return Fail(ref.site, read_error);
      sources_.push_back(file);
      auto vars = ParseEnvFile(*file, LookupFn());
      if (!vars) return Fail(file.get(), vars.Error());
      for (auto& [k, v] : *vars) s.environment[k] = v;
    }
    for (auto& [k, v] : d.environment) {
      if (v) {
        s.environment[k] = *v;
      } else if (auto shell = Lookup(k)) {
        s.environment[k] = *shell;
      } else {
        s.environment.erase(k);  // `- KEY` with KEY unset: not set in the container
      }
    }
    if (s.build) {
      for (auto& [k, v] : s.build->args) {
        if (!v) v = Lookup(k);
      }
    }
    if (!s.network_mode.empty() && !s.networks.empty()) {
      return Fail(d.network_mode_site, "service " + s.name +
                                           " declares mutually exclusive `network_mode` and "
                                           "`networks`" +
                                           kInvalid);
    }
    for (ComposeDependency& dep : d.implicit_depends_on) {
      if (std::none_of(s.depends_on.begin(), s.depends_on.end(),
                       [&](const ComposeDependency& o) { return o.service == dep.service; })) {
        s.depends_on.push_back(std::move(dep));
      }
    }
    std::sort(s.depends_on.begin(), s.depends_on.end(),
              [](const auto& a, const auto& b) { return a.service < b.service; });
    if (s.networks.empty() && s.network_mode.empty()) {
      s.networks.push_back(ComposeServiceNetwork{"default", {}, {}, {}});
    }
    return s;
  }

  Status Check(const ComposeService& s, const std::vector<std::string>& names) {
    std::vector<std::string_view> candidates(names.begin(), names.end());
    for (const ComposeDependency& dep : s.depends_on) {
      if (std::binary_search(names.begin(), names.end(), dep.service)) continue;
      std::string hint = Suggest(dep.service, candidates);
      return Fail(dep.site, "service \"" + s.name + "\" depends on undefined service \"" +
                                dep.service + "\"" + kInvalid +
                                (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"));
    }
    for (const ComposeServiceNetwork& n : s.networks) {
      if (n.name == "default" || networks_.count(n.name)) continue;
      return Fail(n.site,
                  "service \"" + s.name + "\" refers to undefined network " + n.name + kInvalid);
    }
    for (const ComposeMount& m : s.volumes) {
      if (m.type != ComposeMount::Type::kVolume || m.source.empty() || volumes_.count(m.source)) {
        continue;
      }
      return Fail(m.site,
                  "service \"" + s.name + "\" refers to undefined volume " + m.source + kInvalid);
    }
    return OkStatus();
  }

  Status Finish() {
    ResolveResourceNames();
    std::vector<ComposeService> all;
    for (ComposeServiceDraft& d : drafts_) {
      auto s = Complete(d);
      if (!s) return s.Error();
      all.push_back(std::move(s).Value());
    }
    std::vector<std::string> names;
    for (const ComposeService& s : all) names.push_back(s.name);
    std::sort(names.begin(), names.end());
    for (const ComposeService& s : all) {
      Status st = Check(s, names);
      if (!st) return st;
    }
    // The dependency graph over every service (Compose checks before applying profiles).
    DependencyGraph graph(names);
    std::vector<const ComposeDependency*> edges;
    for (const ComposeService& s : all) {
      for (const ComposeDependency& dep : s.depends_on) {
        if (graph.AddEdge(s.name, dep.service)) edges.push_back(&dep);
      }
    }
    if (auto cycle = graph.FindCycle()) {
      return Fail(edges[cycle->edge]->site,
                  "dependency cycle detected: " + Join(cycle->path, " -> "));
    }
    project_.graph = std::move(graph);

    // The default network exists when a service is on it.
    bool uses_default = std::any_of(all.begin(), all.end(), [](const ComposeService& s) {
      return std::any_of(s.networks.begin(), s.networks.end(),
                         [](const auto& n) { return n.name == "default"; });
    });
    if (uses_default && !networks_.count("default")) {
      networks_["default"] = ComposeResource{"default", project_.name + "_default", false, "", {}};
    }
    project_.volumes = std::move(volumes_);
    project_.networks = std::move(networks_);

    AssignRandomPorts(all);

    // Profiles.
    project_.profiles = options_.profiles;
    if (project_.profiles.empty()) {
      if (auto p = Lookup("COMPOSE_PROFILES")) project_.profiles = SplitList(*p, ',');
    }
    bool all_profiles = std::find(project_.profiles.begin(), project_.profiles.end(), "*") !=
                        project_.profiles.end();
    std::sort(all.begin(), all.end(),
              [](const ComposeService& a, const ComposeService& b) { return a.name < b.name; });
    for (ComposeService& s : all) {
      bool enabled = s.profiles.empty() || all_profiles ||
                     std::any_of(s.profiles.begin(), s.profiles.end(), [&](const std::string& p) {
                       return std::find(project_.profiles.begin(), project_.profiles.end(), p) !=
                              project_.profiles.end();
                     });
      (enabled ? project_.services : project_.disabled_services).push_back(std::move(s));
    }
    return OkStatus();
  }

  // Ports written without a host port get 32768, 32769, ... in service-name order, skipping
  // every host port the project publishes explicitly.
  static void AssignRandomPorts(std::vector<ComposeService>& all) {
    std::set<uint16_t> taken;
    for (const ComposeService& s : all) {
      for (const ComposePort& p : s.ports) {
        if (!p.random_published) taken.insert(p.published);
      }
    }
    std::vector<ComposeService*> by_name;
    for (ComposeService& s : all) by_name.push_back(&s);
    std::sort(by_name.begin(), by_name.end(),
              [](const ComposeService* a, const ComposeService* b) { return a->name < b->name; });
    uint32_t next = kFirstEphemeralPort;
    for (ComposeService* s : by_name) {
      for (ComposePort& p : s->ports) {
        if (!p.random_published) continue;
        while (taken.count(static_cast<uint16_t>(next))) ++next;
        p.published = static_cast<uint16_t>(next++);
      }
    }
  }

  const ComposeEnv& env_;
  const ComposeLoadOptions& options_;
  std::map<std::string, std::string> dotenv_;
  std::vector<std::shared_ptr<const SourceFile>> sources_;  // every file read, for error_file
  std::set<std::string> warned_;
  YamlNode file_name_;  // the top-level `name:`, interpolated
  const SourceFile* file_name_file_ = nullptr;
  std::vector<ComposeServiceDraft> drafts_;
  std::map<std::string, std::pair<std::shared_ptr<const SourceFile>, std::unique_ptr<YamlNode>>>
      extended_;                          // files named by extends, by path
  std::vector<std::string> including_;    // the include chain being applied
  const SourceFile* error_in_ = nullptr;  // an ApplyFile error is in this file, not the one applied
  Diagnostic failed_;
  const SourceFile* failed_file_ = nullptr;  // in the order the files introduce them
  std::map<std::string, ComposeResource> volumes_;
  std::map<std::string, ComposeResource> networks_;
  ComposeProject project_;
};

}  // namespace

std::string_view ConditionName(DependencyCondition condition) {
  switch (condition) {
    case DependencyCondition::kServiceStarted:
      return "service_started";
    case DependencyCondition::kServiceHealthy:
      return "service_healthy";
    case DependencyCondition::kServiceCompletedSuccessfully:
      return "service_completed_successfully";
  }
  return "";
}

std::string NormalizeProjectName(std::string_view name) {
  std::string out;
  for (char c : name) {
    char l = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '_' || l == '-') out += l;
  }
  out.erase(0, out.find_first_not_of("_-") == std::string::npos ? out.size()
                                                                : out.find_first_not_of("_-"));
  return out;
}

const ComposeService* ComposeProject::FindService(std::string_view name) const {
  for (const auto* list : {&services, &disabled_services}) {
    for (const ComposeService& s : *list) {
      if (s.name == name) return &s;
    }
  }
  return nullptr;
}

std::vector<std::string> ComposeProject::StartOrder() const {
  std::vector<std::string> out;
  for (const std::string& name : graph.StartOrder()) {
    if (std::any_of(services.begin(), services.end(),
                    [&](const ComposeService& s) { return s.name == name; })) {
      out.push_back(name);
    }
  }
  return out;
}

std::vector<std::string> ComposeProject::StopOrder() const {
  std::vector<std::string> out = StartOrder();
  std::reverse(out.begin(), out.end());
  return out;
}

Result<std::vector<std::string>> ComposeProject::ServicesToStart(
    const std::vector<std::string>& names) const {
  std::set<std::string> enabled;
  for (const ComposeService& s : services) enabled.insert(s.name);
  std::vector<std::string> todo;
  if (names.empty()) {
    todo.assign(enabled.begin(), enabled.end());
  } else {
    std::vector<std::string_view> candidates;
    for (const auto* list : {&services, &disabled_services}) {
      for (const ComposeService& s : *list) candidates.push_back(s.name);
    }
    for (const std::string& name : names) {
      if (!FindService(name)) {
        std::string hint = Suggest(name, candidates);
        return Error({}, "no such service: " + name +
                             (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"));
      }
      enabled.insert(name);  // targeting a service enables its profiles
      todo.push_back(name);
    }
  }
  std::set<std::string> wanted;
  while (!todo.empty()) {
    std::string name = todo.back();
    todo.pop_back();
    if (!wanted.insert(name).second) continue;
    for (const ComposeDependency& dep : FindService(name)->depends_on) {
      if (!enabled.count(dep.service)) {
        if (!dep.required) continue;
        std::string profiles;
        if (const ComposeService* d = FindService(dep.service)) {
          for (const std::string& p : d->profiles) profiles += (profiles.empty() ? "" : ", ") + p;
        }
        return Error({}, "service \"" + dep.service + "\" is required by \"" + name +
                             "\" but is disabled. Can be enabled by profiles " + profiles);
      }
      todo.push_back(dep.service);
    }
  }
  std::vector<std::string> out;
  for (const std::string& name : graph.StartOrder()) {
    if (wanted.count(name)) out.push_back(name);
  }
  return out;
}

std::string ComposeProject::ContainerName(const ComposeService& service, unsigned index) const {
  if (!service.container_name.empty()) return service.container_name;
  return name + "-" + service.name + "-" + std::to_string(index);
}

std::string ComposeProject::NetworkName(std::string_view key) const {
  if (auto it = networks.find(std::string(key)); it != networks.end()) return it->second.name;
  return name + "_" + std::string(key);
}

std::string ComposeProject::VolumeName(std::string_view key) const {
  if (auto it = volumes.find(std::string(key)); it != volumes.end()) return it->second.name;
  return name + "_" + std::string(key);
}

Result<ComposeProject> LoadComposeProject(const std::string& dir,
                                          const std::vector<std::string>& files,
                                          const std::string& project_name, const ComposeEnv& env,
                                          const ComposeLoadOptions& options) {
  if (options.error_file) options.error_file->reset();
  return Loader(env, options).Load(dir, files, project_name);
}

}  // namespace dockit::sim

// `EXPOSE 8080:80` is `docker run -p` syntax; the image cannot choose host ports.
#include "rules/all.hpp"
#include "rules/instructions_util.hpp"

namespace dockit::lint {
namespace {

void Check(RuleContext& ctx) {
  ctx.ForEachInstruction([&](const Stage&, const TypedInstruction& ins) {
    const auto* expose = std::get_if<ExposeCmd>(&ins.args);
    if (!expose) return;
    for (const PortSpec& port : expose->ports) {
      if (port.text.value.find(':') == std::string::npos) continue;
      ctx.Report(port.text.range,
                 "EXPOSE takes container ports only, found \"" + port.text.value +
                     "\": the IP address and host port belong in `docker run -p`; expose " +
                     port.text.value.substr(port.text.value.rfind(':') + 1));
    }
  });
}

}  // namespace

const Rule kExposeInvalidFormat{
    {
        .slug = "expose-invalid-format",
        .aliases = {"ExposeInvalidFormat"},
        .severity = Severity::kWarning,
        .title = "EXPOSE with an IP address or a host port",
        .rationale =
            "EXPOSE documents the ports the container listens on. Which host address and port "
            "they are published on is decided when the container runs (`docker run -p "
            "8080:80`); BuildKit ignores everything before the last `:` and only warns.",
        .bad = {{"FROM nginx\nEXPOSE 127.0.0.1:80:80\n", {"2:8"}},
                {"FROM nginx\nEXPOSE 443 8080:80/tcp\n", {"2:12"}}},
        .good = {{"FROM nginx\nEXPOSE 80 443/tcp 8000-8010\n", {}}},
    },
    Check};

}  // namespace dockit::lint

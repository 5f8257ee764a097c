// depends_on that starts a service as soon as its dependency's container has started, when the
// dependency has a healthcheck, or is a database that takes seconds to accept connections.
#include "rules/all.hpp"
#include "rules/compose_util.hpp"

namespace dockit::lint {
namespace {

void Check(ComposeContext& ctx) {
  const ComposeFile& compose = ctx.Compose();
  for (const ComposeService& s : compose.services) {
    for (const ComposeDependency& d : s.depends_on) {
      // A condition written out, even service_started, is a decision; only the default is
      // reported.
      if (d.condition_node) continue;
      const ComposeService* target = compose.FindService(d.service);
      if (!target || target == &s) continue;
      const YamlNode& at = *d.name;
      std::string wait = "depends_on only waits for its container to start";
      if (target->HasHealthcheck()) {
        ctx.Report(at.range, "\"" + d.service + "\" has a healthcheck, but " + wait +
                                 ": use condition: service_healthy");
        continue;
      }
      std::string family = ImageFamily(target->image);
      // A healthcheck block that is disabled says the author decided; no block at all does not.
      if (!target->healthcheck && SlowToBeReady(family)) {
        ctx.Report(at.range, "\"" + d.service + "\" (" + family +
                                 ") accepts connections seconds after its container starts, "
                                 "and " +
                                 wait +
                                 ": give it a healthcheck and use condition: service_healthy");
      }
    }
  }
}

}  // namespace

const Rule kComposeDependsOnNotHealthy{
    {
        .kind = RuleKind::kCompose,
        .slug = "compose-depends-on-not-healthy",
        .aliases = {},
        .severity = Severity::kInfo,
        .title = "depends_on does not wait until the dependency is ready",
        .rationale =
            "`depends_on: [db]` (the default condition, service_started) only orders container "
            "starts: "
            "the app starts as soon as the database's container exists, while the database "
            "still initialises, and the first connection fails. Compose waits for readiness "
            "only with a healthcheck on the dependency and `condition: service_healthy`. "
            "Reported when the dependency has a healthcheck that nobody waits for, or has none "
            "and is a well-known database or broker image (postgres, mysql, mariadb, mongo, "
            "mssql, rabbitmq, elasticsearch, opensearch, cassandra, couchdb, neo4j, kafka). "
            "Dependencies on other services are not reported: Compose cannot know whether they "
            "need time, nor whether the image has its own HEALTHCHECK. An app that retries its "
            "connections does not need the condition: write `condition: service_started` to say "
            "so, and the dependency is not reported.",
        .bad =
            {{"services:\n  app:\n    image: example/app\n    depends_on:\n      - db\n  db:\n"
              "    image: postgres:16\n    healthcheck:\n      test: [\"CMD\", \"pg_isready\"]\n",
              {"5:9"}},
             {"services:\n  app:\n    image: example/app\n    depends_on:\n      db:\n"
              "        restart: true\n  db:\n    image: mysql:8\n",
              {"5:7"}}},
        .good = {{"services:\n  app:\n    image: example/app\n    depends_on:\n      db:\n"
                  "        condition: service_healthy\n  db:\n    image: postgres:16\n"
                  "    healthcheck:\n      test: [\"CMD\", \"pg_isready\"]\n",
                  {}},
                 {"services:\n  web:\n    image: nginx\n    depends_on: [app]\n  app:\n"
                  "    image: example/app\n",
                  {}},
                 {"services:\n  app:\n    image: example/app\n    depends_on:\n      migrate:\n"
                  "        condition: service_completed_successfully\n  migrate:\n"
                  "    image: example/app\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n",
                  {}},
                 {"services:\n  app:\n    image: example/app\n    depends_on:\n      db:\n"
                  "        condition: service_started  # the app retries\n  db:\n"
                  "    image: postgres:16\n",
                  {}}},
    },
    nullptr,
    Check};

}  // namespace dockit::lint

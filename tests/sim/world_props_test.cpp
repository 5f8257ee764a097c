// Random sequences of world operations (run with random options, stop, kill, start, rm, rmi,
// prune, advance, writes into containers) never crash and keep the invariants:
//  - no container refers to a missing image, no tag names a missing image;
//  - an --rm container never stays exited;
//  - every prune's reclaimed space is exactly what StoredBytes() lost, and rm/rmi never make
//    the store grow;
//  - the state round trip (serialize, parse, serialize) gives the same text.
#include <algorithm>

#include <rapidcheck.h>
#include <rapidcheck/catch.h>

#include <catch2/catch.hpp>

#include "sim/state_io.hpp"

namespace dockit::sim {
namespace {

struct Op {
  int kind = 0;
  int image = 0;
  int name = 0;
  int command = 0;
  int flags = 0;
  int amount = 0;
};

constexpr int kKinds = 20;

rc::Gen<Op> GenOp() {
  return rc::gen::map(
      rc::gen::tuple(rc::gen::inRange(0, kKinds), rc::gen::inRange(0, 5), rc::gen::inRange(0, 4),
                     rc::gen::inRange(0, 8), rc::gen::inRange(0, 64), rc::gen::inRange(0, 40)),
      [](const auto& t) {
        auto [kind, image, name, command, flags, amount] = t;
        return Op{kind, image, name, command, flags, amount};
      });
}

const char* kImages[] = {"alpine", "nginx", "redis:7", "postgres:16", "busybox"};
const char* kNames[] = {"", "a", "b", "c"};

std::vector<std::string> Command(int n) {
  switch (n) {
    case 0:
      return {};
    case 1:
      return {"sleep", "5"};
    case 2:
      return {"sleep", "infinity"};
    case 3:
      return {"echo", "hi"};
    case 4:
      return {"sh", "-c", "echo a; sleep 2; exit 3"};
    case 5:
      return {"nosuchprogram"};
    case 6:
      return {"sh"};
    default:
      return {"false"};
  }
}

std::string Target(const World& world, const Op& op) {
  if (world.Containers().empty()) return kNames[op.name];
  auto it = world.Containers().begin();
  std::advance(it, op.amount % world.Containers().size());
  return op.flags & 1 ? it->second.name : it->first.substr(0, 12);
}

void CheckInvariants(const World& world) {
  for (const auto& [id, c] : world.Containers()) {
    RC_ASSERT(world.ImageById(c.image_id) != nullptr);
    RC_ASSERT(!(c.auto_remove && c.state == ContainerState::kExited && !c.restart_at));
  }
  for (const auto& [ref, id] : world.Tags()) RC_ASSERT(world.ImageById(id) != nullptr);
  for (const auto& [id, c] : world.Containers()) {  // logs are in time order, none ahead
    for (size_t i = 0; i < c.logs.size(); ++i) {
      RC_ASSERT(c.logs[i].time <= world.Now());
      if (i > 0) RC_ASSERT(c.logs[i - 1].time <= c.logs[i].time);
    }
  }
}

// Every listing renders whatever the state (no crash, one line per row plus the header).
void CheckOutputs(const World& world) {
  std::string ps = world.PsTable(true);
  RC_ASSERT(static_cast<size_t>(std::count(ps.begin(), ps.end(), '\n')) ==
            world.Containers().size() + 1);
  (void)world.ImagesTable();
  (void)world.NetworksTable();
  (void)world.VolumesTable();
  for (const auto& [id, c] : world.Containers()) {
    RC_ASSERT(world.Inspect(id).Ok());
    RC_ASSERT(world.Logs(id, {true, 2}).Ok());
    RC_ASSERT(world.Diff(id).Ok());
  }
  for (const auto& [id, image] : world.Images()) RC_ASSERT(world.HistoryTable(id).Ok());
}

void Apply(World& world, const Op& op) {
  uint64_t before = world.StoredBytes();
  switch (op.kind) {
    case 0:
    case 1: {
      RunOptions o;
      o.detach = op.flags & 1;
      o.rm = op.flags & 2;
      o.name = kNames[op.name];
      if (op.flags & 4) o.publish = {"8080:80"};
      if (op.flags & 8) o.env = {"POSTGRES_PASSWORD=x"};
      if ((op.flags & 16) && !o.rm) o.restart = "on-failure:2";
      if (op.flags & 32) o.volumes = {"data:/data"};
      if (op.amount % 4 == 0) o.network = "net";
      o.command = Command(op.command);
      (void)world.Run(kImages[op.image], o);
      break;
    }
    case 2:
      (void)world.Stop(Target(world, op),
                       op.amount % 3 == 0 ? std::optional<int>(2) : std::nullopt);
      break;
    case 3:
      (void)world.Kill(Target(world, op), op.flags & 2 ? "SIGTERM" : "SIGKILL");
      break;
    case 4:
      (void)world.Start(Target(world, op));
      break;
    case 5: {
      (void)world.Remove(Target(world, op), op.flags & 2, op.flags & 4);
      RC_ASSERT(world.StoredBytes() <= before);
      break;
    }
    case 6: {
      (void)world.RemoveImage(kImages[op.image], op.flags & 2);
      RC_ASSERT(world.StoredBytes() <= before);
      break;
    }
    case 7: {
      PruneReport r;
      switch (op.amount % 5) {
        case 0:
          r = world.PruneContainers();
          break;
        case 1:
          r = world.PruneImages(op.flags & 2);
          break;
        case 2:
          r = world.PruneBuilder();
          break;
        case 3:
          r = world.PruneVolumes(op.flags & 2);
          break;
        default:
          r = world.PruneSystem(op.flags & 2, op.flags & 4);
          break;
      }
      RC_ASSERT(before - world.StoredBytes() == r.reclaimed);
      RC_ASSERT(r.output.find("Total reclaimed space: " + HumanSize(r.reclaimed, 4)) !=
                std::string::npos);
      break;
    }
    case 8:
      world.Advance(op.amount);
      break;
    case 9: {  // a process writes a file into its container
      if (world.Containers().empty()) break;
      auto it = world.Containers().begin();
      std::advance(it, op.amount % world.Containers().size());
      WorkingLayer* layer = world.ContainerLayer(it->first);
      (void)layer->WriteFile("/tmp/f" + std::to_string(op.flags % 4),
                             FileContent::Synthetic("data", 1000 * (op.amount + 1)));
      break;
    }
    case 14:
      (void)world.Restart(Target(world, op), op.flags & 1 ? std::optional<int>(1) : std::nullopt);
      break;
    case 15:
      (void)world.Request(op.flags & 1 ? "localhost:8080" : "a:80", op.flags & 2 ? "" : "b");
      break;
    case 16:
      if (op.flags & 1) {
        (void)world.CreateNetwork("net");
      } else if (op.flags & 2) {
        (void)world.RemoveNetwork("net");
      } else {
        (void)world.PruneNetworks();
      }
      break;
    case 17:
      (void)world.Tag(kImages[op.image], op.flags & 1 ? "mine:1" : "alpine");
      break;
    case 18:
      (void)(op.flags & 1 ? world.Pause(Target(world, op)) : world.Unpause(Target(world, op)));
      break;
    case 19:
      (void)world.Wait(Target(world, op));
      break;
    case 12:  // a program writes into a named volume
      (void)world.AddVolumeBytes("data", 500 * (op.amount + 1));
      break;
    case 13:
      (void)world.Untag(kImages[op.image]);
      break;
    case 10: {  // the build cache keeps a layer
      plan::FileChange f{"/cache" + std::to_string(op.flags % 3),
                         plan::FileChange::Kind::kFile,
                         0644,
                         0,
                         0,
                         static_cast<uint64_t>(100 * (op.amount + 1)),
                         "sha256:0",
                         ""};
      world.AddCacheLayer(std::make_shared<const plan::Layer>(MakeLayer({f})));
      break;
    }
    default:
      (void)world.Exec(Target(world, op), Command(op.command));
      break;
  }
}

TEST_CASE("random world operations keep the invariants", "[sim][props]") {
  rc::prop("world invariants and state round trip", [] {
    World world;
    const std::vector<Op> ops = *rc::gen::container<std::vector<Op>>(GenOp());
    bool reclaimed = false;
    for (const Op& op : ops) {
      uint64_t before = world.StoredBytes();
      Apply(world, op);
      reclaimed = reclaimed || world.StoredBytes() < before;
      CheckInvariants(world);
    }
    CheckOutputs(world);
    RC_CLASSIFY(world.Containers().size() >= 2, "two or more containers left");
    RC_CLASSIFY(reclaimed, "some operation freed bytes");
    RC_CLASSIFY(!world.Images().empty(), "images left");
    std::string text = SerializeWorld(world);
    auto loaded = ParseWorld(text, "state.json");
    if (!loaded.Ok()) RC_FAIL(loaded.Error().message);
    RC_ASSERT(SerializeWorld(loaded.Value()) == text);
    // Both go on the same way.
    world.Advance(30);
    loaded.Value().Advance(30);
    RC_ASSERT(SerializeWorld(loaded.Value()) == SerializeWorld(world));
  });
}

}  // namespace
}  // namespace dockit::sim

// Programs on the virtual clock: log lines at their times, health checks, exits and restart
// policies, processed in time order (containers by ID at the same second).
#include <limits>

#include "sim/world.hpp"

namespace dockit::sim {
namespace {

constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

bool CheckPasses(const Container& c, int64_t now) {
  const Behaviour& b = c.behaviour;
  if (!b.declared) return false;  // the simulator cannot know: an undeclared program fails
  int64_t elapsed = now - c.ProgramStart();
  if (b.healthy_after) return elapsed >= *b.healthy_after;
  if (b.listen_port) return elapsed >= b.listen_at;
  return true;
}

}  // namespace

int64_t World::NextEvent(const Container& c) const {
  int64_t next = kNever;
  if (c.Running() && c.paused) return kNever;
  if (c.Running()) {
    const Behaviour& b = c.behaviour;
    if (c.printed < b.prints.size())
      next = std::min(next, c.ProgramStart() + b.prints[c.printed].at);
    if (b.exit_after) next = std::min(next, c.ProgramStart() + *b.exit_after);
    if (c.health != Health::kNone) next = std::min(next, c.next_check);
  } else if (c.restart_at) {
    next = *c.restart_at;
  }
  return next;
}

void World::RunDue(Container& c) {
  if (c.Running()) {
    const Behaviour& b = c.behaviour;
    while (c.printed < b.prints.size() && c.ProgramStart() + b.prints[c.printed].at <= now_) {
      const TimedLine& line = b.prints[c.printed++];
      c.logs.push_back({c.ProgramStart() + line.at, line.text, line.stderr_stream});
    }
    if (c.health != Health::kNone && c.next_check <= now_) {
      if (CheckPasses(c, now_)) {
        c.health = Health::kHealthy;
        c.health_failures = 0;
      } else if (++c.health_failures >= c.health_retries) {
        c.health = Health::kUnhealthy;
      }
      c.next_check = now_ + c.health_interval;
    }
    if (b.exit_after && c.ProgramStart() + *b.exit_after <= now_) {
      Exited(c, b.exit_code, false);
    }
  } else if (c.restart_at && *c.restart_at <= now_) {
    c.restart_at.reset();
    ++c.restart_count;
    Status started = StartProcess(c);
    (void)started;  // a failed restart leaves it exited, as Docker does after its retries
  }
}

void World::AdvanceTo(int64_t time) {
  while (true) {
    int64_t next = kNever;
    for (const auto& [id, c] : containers_) next = std::min(next, NextEvent(c));
    if (next > time) break;
    if (next > now_) now_ = next;
    std::vector<std::string> due;
    for (const auto& [id, c] : containers_) {
      if (NextEvent(c) <= now_) due.push_back(id);
    }
    for (const std::string& id : due) {
      auto it = containers_.find(id);
      if (it == containers_.end()) continue;
      RunDue(it->second);
      if (!it->second.Running() && !it->second.restart_at) Finish(it->second);
    }
  }
  if (time > now_) now_ = time;
}

}  // namespace dockit::sim

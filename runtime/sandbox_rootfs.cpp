#include "runtime/sandbox_rootfs.hpp"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <cstring>

namespace dockit::runtime {
namespace {

// The last message of a failed fs context ("overlay: failed to resolve ..."), kept in static
// storage so that the child can report it without allocating.
char kernel_message[512];

StepError Fail(const char* step, int error = errno, const char* detail = nullptr) {
  return StepError{step, error, detail};
}

const char* KernelMessage(int fs_fd) {
  ssize_t n = read(fs_fd, kernel_message, sizeof kernel_message - 1);
  if (n <= 2) return nullptr;
  kernel_message[n] = '\0';
  if (kernel_message[n - 1] == '\n') kernel_message[n - 1] = '\0';
  return kernel_message + 2;  // skip the "e " severity prefix
}

int OpenBeneath(int root_fd, const char* path, int flags) {
  open_how how{};
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  return static_cast<int>(syscall(SYS_openat2, root_fd, path, &how, sizeof how));
}

enum class Leaf { kDirectory, kFile };

// Opens `relative` (no leading slash) inside the root as an O_PATH descriptor, creating missing
// directories on the way and the leaf as `leaf`. Symlinks resolve as if the root were "/"; a
// dangling one has its target created inside the root, as runc's MkdirAllInRoot does.
int OpenOrCreateInRoot(int root_fd, const char* relative, Leaf leaf) {
  char path[PATH_MAX];
  size_t length = strlen(relative);
  if (length + 1 > sizeof path) {
    errno = ENAMETOOLONG;
    return -1;
  }
  memcpy(path, relative, length + 1);
  int links_left = 40;  // the kernel's own limit on symlinks in one lookup
restart:
  int parent = -1;
  size_t start = 0;
  while (start < length) {
    size_t end = start;
    while (end < length && path[end] != '/') ++end;
    if (end == start) {  // "//"
      ++start;
      continue;
    }
    bool last = end == length || path[end + 1] == '\0';
    int flags = O_PATH | (last && leaf == Leaf::kFile ? 0 : O_DIRECTORY);
    char saved = path[end];
    path[end] = '\0';
    int fd = OpenBeneath(root_fd, path, flags);
    path[end] = saved;
    if (fd < 0 && errno == ENOENT) {
      char name[NAME_MAX + 1];
      size_t name_length = end - start;
      if (name_length > NAME_MAX) {
        errno = ENAMETOOLONG;
      } else {
        memcpy(name, path + start, name_length);
        name[name_length] = '\0';
        int dir = parent >= 0 ? parent : root_fd;
        // O_EXCL and mkdirat never follow a dangling symlink: the name stays in its directory,
        // which was itself resolved inside the root.
        int made = last && leaf == Leaf::kFile
                       ? openat(dir, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644)
                       : mkdirat(dir, name, 0755);
        if (made >= 0 && last && leaf == Leaf::kFile) close(made);
        char link[PATH_MAX];
        ssize_t link_length =
            made < 0 && errno == EEXIST ? readlinkat(dir, name, link, sizeof link - 1) : -1;
        if (link_length > 0) {
          // A dangling symlink: continue with its target (absolute ones from the root) followed
          // by the rest of the path, from the root again.
          if (parent >= 0) close(parent);
          if (--links_left == 0) {
            errno = ELOOP;
            return -1;
          }
          char next[PATH_MAX];
          size_t used = 0;
          if (link[0] != '/') {
            memcpy(next, path, start);
            used = start;
          }
          size_t rest = length - end;
          if (used + static_cast<size_t>(link_length) + rest + 1 > sizeof next) {
            errno = ENAMETOOLONG;
            return -1;
          }
          memcpy(next + used, link, static_cast<size_t>(link_length));
          used += static_cast<size_t>(link_length);
          memcpy(next + used, path + end, rest);
          used += rest;
          next[used] = '\0';
          size_t skip = 0;
          while (next[skip] == '/') ++skip;
          length = used - skip;
          memmove(path, next + skip, length + 1);
          goto restart;
        }
        if (made >= 0 || errno == EEXIST) {
          path[end] = '\0';
          fd = OpenBeneath(root_fd, path, flags);
          path[end] = saved;
        }
      }
    }
    int error = errno;
    if (parent >= 0) close(parent);
    errno = error;
    if (fd < 0) return -1;
    parent = fd;
    start = end + 1;
  }
  if (parent < 0) return OpenBeneath(root_fd, ".", O_PATH | O_DIRECTORY);  // the root itself
  return parent;
}

int MoveOnto(int mount_fd, int target_fd) {
  return move_mount(mount_fd, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
}

struct Option {
  const char* key;
  const char* value;  // nullptr: a flag
};

// fsopen + fsconfig + fsmount + move_mount onto `target_fd`; `*mounted` (optional) receives the
// new mount's root.
StepError MountFresh(const char* step, const char* type, const Option* options, size_t count,
                     unsigned attributes, int target_fd, int* mounted = nullptr) {
  int fs = fsopen(type, FSOPEN_CLOEXEC);
  if (fs < 0) return Fail(step);
  for (size_t i = 0; i < count; ++i) {
    int rc = options[i].value
                 ? fsconfig(fs, FSCONFIG_SET_STRING, options[i].key, options[i].value, 0)
                 : fsconfig(fs, FSCONFIG_SET_FLAG, options[i].key, nullptr, 0);
    if (rc != 0) {
      int error = errno;
      StepError failure = Fail(step, error, KernelMessage(fs));
      close(fs);
      return failure;
    }
  }
  if (fsconfig(fs, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) != 0) {
    int error = errno;
    StepError failure = Fail(step, error, KernelMessage(fs));
    close(fs);
    return failure;
  }
  int mnt = fsmount(fs, FSMOUNT_CLOEXEC, attributes);
  int error = errno;
  close(fs);
  if (mnt < 0) return Fail(step, error);
  if (MoveOnto(mnt, target_fd) != 0) {
    error = errno;
    close(mnt);
    return Fail(step, error);
  }
  if (mounted) {
    *mounted = mnt;
  } else {
    close(mnt);
  }
  return {};
}

StepError MountFreshAt(const char* step, int root_fd, const char* where, const char* type,
                       const Option* options, size_t count, unsigned attributes,
                       int* mounted = nullptr) {
  int target = OpenOrCreateInRoot(root_fd, where, Leaf::kDirectory);
  if (target < 0) return Fail(step);
  StepError failure = MountFresh(step, type, options, count, attributes, target, mounted);
  close(target);
  return failure;
}

// A clone of the host tree at `source` (recursive) onto `target_fd`: nosuid and nodev always (a
// step must not leave a setuid binary or a device node in a host directory that works through
// the bind), read-only when asked.
StepError BindOnto(const char* step, const char* source, int target_fd, bool read_only) {
  int tree = open_tree(AT_FDCWD, source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
  if (tree < 0) return Fail(step);
  mount_attr attr{};
  attr.attr_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | (read_only ? MOUNT_ATTR_RDONLY : 0);
  if (mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) != 0) {
    int error = errno;
    close(tree);
    return Fail(step, error);
  }
  int rc = MoveOnto(tree, target_fd);
  int error = errno;
  close(tree);
  return rc == 0 ? StepError{} : Fail(step, error);
}

}  // namespace

StepError MakeRootPrivate() {
  // Nothing mounted from here on may propagate back to the host's namespace.
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    return Fail("make / private");
  return {};
}

namespace {

// The upper directory becomes a tar layer, which cannot express overlay's redirects (a renamed
// lower directory) or metadata-only copy-ups: with both off, renaming a lower directory fails
// with EXDEV and tools copy instead, as under Docker, and every copied-up file has its data.
StepError MountOverlayNewApi(const ContainerPlan& plan, int target) {
  int fs = fsopen("overlay", FSOPEN_CLOEXEC);
  if (fs < 0) return Fail("mount overlay");
  StepError failure;
  auto set = [&](const char* key, const char* value) {
    if (failure || fsconfig(fs, FSCONFIG_SET_STRING, key, value, 0) == 0) return;
    int error = errno;
    failure = Fail("mount overlay", error, KernelMessage(fs));
  };
  // One "lowerdir+" per layer (Linux 6.8): no page-size limit on the number of layers.
  for (const std::string& lower : plan.lower_top_first) set("lowerdir+", lower.c_str());
  set("redirect_dir", "off");
  set("metacopy", "off");
  set("index", "off");  // as Docker's overlay2: an upper may later sit on other lower layers
  set("upperdir", plan.upper_dir.c_str());
  set("workdir", plan.work_dir.c_str());
  if (!failure && fsconfig(fs, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) != 0) {
    int error = errno;
    failure = Fail("mount overlay", error, KernelMessage(fs));
  }
  if (!failure) {
    int mnt = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NODEV);
    if (mnt < 0 || MoveOnto(mnt, target) != 0) failure = Fail("mount overlay");
    if (mnt >= 0) close(mnt);
  }
  close(fs);
  return failure;
}

}  // namespace

StepError MountOverlay(const ContainerPlan& plan, int* root_fd) {
  int target = open(plan.merged_dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (target < 0) return Fail("open merged directory");
  StepError failure = MountOverlayNewApi(plan, target);
  close(target);
  // Kernels before 6.8 know no "lowerdir+" (EINVAL): the joined mount(2) string, same options
  // and flags.
  if (failure && failure.error == EINVAL &&
      mount("overlay", plan.merged_dir.c_str(), "overlay", MS_NODEV,
            plan.overlay_options.c_str()) == 0)
    failure = {};
  if (failure) return failure;
  *root_fd = open(plan.merged_dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (*root_fd < 0) return Fail("open root");
  return {};
}

StepError MountProc(int root_fd) {
  return MountFreshAt("mount /proc", root_fd, "proc", "proc", nullptr, 0,
                      MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
}

StepError MountDev(int root_fd) {
  static const Option kDevOptions[] = {{"mode", "755"}, {"size", "65536k"}};
  int dev = -1;
  StepError failure =
      MountFreshAt("mount /dev", root_fd, "dev", "tmpfs", kDevOptions, 2,
                   MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_STRICTATIME, &dev);
  if (failure) return failure;
  // The nodes runc creates, bound from the host's /dev: /dev, like the root, is nodev (the
  // step keeps CAP_MKNOD but we have no device cgroup, so a node it makes must not open), and a
  // bind mount carries its own flags, which for these say "devices work".
  static const char* const kNodes[] = {"null", "zero", "full", "random", "urandom", "tty"};
  char source[32];
  for (const char* node : kNodes) {
    memcpy(source, "/dev/", 5);
    memcpy(source + 5, node, strlen(node) + 1);
    int target = OpenOrCreateInRoot(dev, node, Leaf::kFile);
    if (target < 0) {
      failure = Fail("mount /dev node", errno, node);
      break;
    }
    int tree = open_tree(AT_FDCWD, source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
    mount_attr attr{};
    attr.attr_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC;
    attr.attr_clr = MOUNT_ATTR_NODEV;
    if (tree < 0 || mount_setattr(tree, "", AT_EMPTY_PATH, &attr, sizeof attr) != 0 ||
        MoveOnto(tree, target) != 0)
      failure = Fail("mount /dev node", errno, node);
    if (tree >= 0) close(tree);
    close(target);
    if (failure) break;
  }
  static const char* const kLinks[][2] = {{"/proc/self/fd", "fd"},
                                          {"/proc/self/fd/0", "stdin"},
                                          {"/proc/self/fd/1", "stdout"},
                                          {"/proc/self/fd/2", "stderr"},
                                          {"pts/ptmx", "ptmx"}};
  for (const auto& link : kLinks) {
    if (failure) break;
    if (symlinkat(link[0], dev, link[1]) != 0) failure = Fail("symlink in /dev");
  }
  static const Option kPtsOptions[] = {
      {"newinstance", nullptr}, {"ptmxmode", "0666"}, {"mode", "0620"}, {"gid", "5"}};
  static const Option kShmOptions[] = {{"mode", "1777"}, {"size", "65536k"}};
  if (!failure)
    // Not nodev: /dev/pts/ptmx is a device node, and a nodev devpts refuses to open it (openpty
    // fails). devpts has no mknod, so a step cannot make a node of its own there.
    failure = MountFreshAt("mount /dev/pts", dev, "pts", "devpts", kPtsOptions, 4,
                           MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
  if (!failure)
    failure = MountFreshAt("mount /dev/shm", dev, "shm", "tmpfs", kShmOptions, 2,
                           MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
  close(dev);
  return failure;
}

StepError MountSys(int root_fd, NetworkMode network) {
  constexpr unsigned kAttributes =
      MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;
  if (network == NetworkMode::kNone)  // a new sysfs shows the new network namespace
    return MountFreshAt("mount /sys", root_fd, "sys", "sysfs", nullptr, 0, kAttributes);
  int target = OpenOrCreateInRoot(root_fd, "sys", Leaf::kDirectory);
  if (target < 0) return Fail("mount /sys");
  StepError failure = BindOnto("mount /sys", "/sys", target, true);
  close(target);
  return failure;
}

StepError MaskKernelPaths(int root_fd) {
  // Docker's masked and read-only paths: what a container must neither read (kernel memory,
  // key lists, timers of other tasks, firmware) nor write (sysctls, sysrq, irq affinity).
  static const char* const kMasked[] = {
      "proc/asound",      "proc/acpi",          "proc/interrupts", "proc/kcore",
      "proc/keys",        "proc/latency_stats", "proc/timer_list", "proc/timer_stats",
      "proc/sched_debug", "proc/scsi",          "sys/firmware",    "sys/devices/virtual/powercap"};
  static const char* const kReadOnly[] = {"proc/bus", "proc/fs", "proc/irq", "proc/sys",
                                          "proc/sysrq-trigger"};
  for (const char* path : kMasked) {
    int target = OpenBeneath(root_fd, path, O_PATH);
    if (target < 0) {
      if (errno == ENOENT) continue;
      return Fail("mask", errno, path);
    }
    struct stat st;
    StepError failure;
    if (fstat(target, &st) != 0) {
      failure = Fail("mask", errno, path);
    } else if (S_ISDIR(st.st_mode)) {
      failure = MountFresh("mask", "tmpfs", nullptr, 0, MOUNT_ATTR_RDONLY, target);
    } else {
      // The container's own /dev/null (made by MountDev) over the file.
      int null_tree = open_tree(root_fd, "dev/null", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
      if (null_tree < 0 || MoveOnto(null_tree, target) != 0) failure = Fail("mask", errno, path);
      if (null_tree >= 0) close(null_tree);
    }
    close(target);
    if (failure) return failure;
  }
  for (const char* path : kReadOnly) {
    int target = OpenBeneath(root_fd, path, O_PATH);
    if (target < 0) {
      if (errno == ENOENT) continue;
      return Fail("read-only path", errno, path);
    }
    int tree =
        open_tree(target, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
    mount_attr attr{};
    attr.attr_set = MOUNT_ATTR_RDONLY;
    StepError failure;
    if (tree < 0 ||
        mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) != 0 ||
        MoveOnto(tree, target) != 0)
      failure = Fail("read-only path", errno, path);
    if (tree >= 0) close(tree);
    close(target);
    if (failure) return failure;
  }
  return {};
}

StepError MountBinds(const ContainerPlan& plan, int root_fd) {
  for (const ContainerPlan::Bind& bind : plan.binds) {
    int target = OpenOrCreateInRoot(root_fd, bind.container.c_str(),
                                    bind.directory ? Leaf::kDirectory : Leaf::kFile);
    if (target < 0) return Fail("bind mount target", errno, bind.container.c_str());
    StepError failure = BindOnto("bind mount", bind.host.c_str(), target, bind.read_only);
    close(target);
    if (failure) {
      failure.detail = bind.host.c_str();
      return failure;
    }
  }
  return {};
}

StepError PivotInto(int root_fd) {
  // pivot_root(".", ".") stacks the old root on top of the new one; detaching it leaves the
  // container with only its own mounts (the runc trick, no temporary directory needed).
  if (fchdir(root_fd) != 0) return Fail("chdir to root");
  if (syscall(SYS_pivot_root, ".", ".") != 0) return Fail("pivot_root");
  if (umount2(".", MNT_DETACH) != 0) return Fail("detach old root");
  if (chdir("/") != 0) return Fail("chdir /");
  return {};
}

}  // namespace dockit::runtime

#include "resourcelimits.h"

#if !defined(_WIN32)
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#endif
#if defined(__APPLE__)
#include <sys/sysctl.h>
#include <sys/syslimits.h>
#endif

#include <algorithm>

namespace kw::net {

namespace {

#if !defined(_WIN32)
std::uint64_t fromRlim(rlim_t value)
{
    return value == RLIM_INFINITY ? kUnlimitedDescriptors : static_cast<std::uint64_t>(value);
}

std::string count(std::uint64_t value)
{
    return value == kUnlimitedDescriptors ? std::string("unlimited") : std::to_string(value);
}

// The largest soft limit the kernel accepts when the hard limit is RLIM_INFINITY.
std::uint64_t kernelCeiling()
{
#if defined(__APPLE__)
    // setrlimit(2) on macOS: rlim_cur above kern.maxfilesperproc fails with EINVAL, and older releases
    // refuse anything above OPEN_MAX.
    int perProcess = 0;
    std::size_t size = sizeof perProcess;
    if (::sysctlbyname("kern.maxfilesperproc", &perProcess, &size, nullptr, 0) == 0 && perProcess > 0)
        return static_cast<std::uint64_t>(perProcess);
    return OPEN_MAX;
#elif defined(__linux__)
    // fs.nr_open bounds RLIMIT_NOFILE (kernel/sys.c do_prlimit); 1,048,576 is its default.
    std::ifstream in("/proc/sys/fs/nr_open");
    std::uint64_t value = 0;
    if (in >> value && value > 0)
        return value;
    return 1048576;
#else
    return kUnlimitedDescriptors;
#endif
}
#endif

} // namespace

DescriptorLimit descriptorLimit()
{
#if defined(_WIN32)
    return {};
#else
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return {};
    return {true, fromRlim(limit.rlim_cur), fromRlim(limit.rlim_max)};
#endif
}

bool descriptorsExhausted()
{
#if defined(_WIN32)
    return false;
#else
    const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ::close(fd);
        return false;
    }
    return errno == EMFILE || errno == ENFILE;
#endif
}

bool eatsIntoDescriptorReserve(NativeSocket socket)
{
#if defined(_WIN32)
    (void)socket;
    return false;
#else
    rlimit limit{};
    if (socket < 0 || ::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return false;
    const auto soft = static_cast<std::uint64_t>(limit.rlim_cur);
    return soft <= kReservedDescriptors || static_cast<std::uint64_t>(socket) >= soft - kReservedDescriptors;
#endif
}

DescriptorLimitRaise raiseDescriptorLimit()
{
    DescriptorLimitRaise result;
    result.before = descriptorLimit();
    result.after = result.before;
#if defined(_WIN32)
    result.detail = describeDescriptorLimit(result.before);
    return result;
#else
    if (!result.before.known) {
        result.detail =
            std::string("cannot read the open-file limit (getrlimit RLIMIT_NOFILE): ") + std::strerror(errno);
        return result;
    }
    std::uint64_t target = result.before.hard;
    if (target == kUnlimitedDescriptors)
        target = kernelCeiling();
#if defined(__APPLE__)
    target = std::min<std::uint64_t>(target, kernelCeiling());
#endif
    if (target <= result.before.soft) {
        result.detail = "the open-file limit (RLIMIT_NOFILE) is already " + count(result.before.soft) +
                        ", the hard limit";
        return result;
    }
    rlimit wanted{static_cast<rlim_t>(target),
                  static_cast<rlim_t>(result.before.hard == kUnlimitedDescriptors ? RLIM_INFINITY
                                                                                  : result.before.hard)};
    int failure = 0;
    if (::setrlimit(RLIMIT_NOFILE, &wanted) != 0) {
        failure = errno;
#if defined(__APPLE__)
        // Releases before 10.6 documented OPEN_MAX as the ceiling whatever the sysctl says.
        if (failure == EINVAL && target > OPEN_MAX) {
            wanted.rlim_cur = OPEN_MAX;
            failure = ::setrlimit(RLIMIT_NOFILE, &wanted) == 0 ? 0 : errno;
        }
#endif
    }
    result.after = descriptorLimit();
    result.raised = result.after.known && result.after.soft > result.before.soft;
    if (failure != 0 && !result.raised) {
        result.detail = "cannot raise the open-file limit (RLIMIT_NOFILE) from " + count(result.before.soft) +
                        " to " + count(target) + ": " + std::strerror(failure);
        return result;
    }
    result.detail = "raised the open-file limit (RLIMIT_NOFILE) from " + count(result.before.soft) + " to " +
                    count(result.after.soft) +
                    (result.after.soft == result.after.hard ? std::string(", the hard limit")
                                                            : std::string(", the most the kernel allows"));
    return result;
#endif
}

std::string describeDescriptorLimit(const DescriptorLimit &limit)
{
#if defined(_WIN32)
    (void)limit;
    return "Windows has no per-process limit on sockets (no RLIMIT_NOFILE); they are bounded by kernel "
           "memory "
           "and the ephemeral port range";
#else
    if (!limit.known)
        return "the open-file limit (RLIMIT_NOFILE) of this process is unknown";
    return "this process may hold " + count(limit.soft) + " descriptors (RLIMIT_NOFILE soft " +
           count(limit.soft) + ", hard " + count(limit.hard) + ")";
#endif
}

std::string descriptorLimitFix()
{
#if defined(_WIN32)
    return "close other programs' connections, or watch fewer endpoints from this machine";
#else
    return "raise the limit: `ulimit -n` in the shell that starts Keepwatch, LimitNOFILE= in its systemd "
           "unit, or nofile in /etc/security/limits.conf";
#endif
}

} // namespace kw::net

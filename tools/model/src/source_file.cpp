#include "simsock/scenario/source_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "simsock/scenario/diagnostic.h"

namespace simsock::scenario {
namespace {

std::optional<std::string> describeType(mode_t mode) {
    if (S_ISREG(mode)) return std::nullopt;
    if (S_ISDIR(mode)) return "is a directory, not a regular file";
    if (S_ISFIFO(mode)) return "is a FIFO, not a regular file";
    if (S_ISCHR(mode)) return "is a character device, not a regular file";
    if (S_ISBLK(mode)) return "is a block device, not a regular file";
    if (S_ISSOCK(mode)) return "is a socket, not a regular file";
    return "is not a regular file";
}

std::string describeError(const std::string& path, int err) {
    struct stat link {};
    if (err == ENOENT && ::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) return "is a dangling symlink";
    if (err == ELOOP) return "is a symlink loop";
    if (err == ENOENT) return "no such file or directory";
    if (err == ENOTDIR) return "no such file or directory (a part of the path is not a directory)";
    return std::string("cannot be read: ") + std::strerror(err);
}

class Descriptor {
public:
    explicit Descriptor(int fd) : fd_(fd) {}
    ~Descriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

}  // namespace

std::optional<std::string> notARegularFile(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return describeError(path, errno);
    return describeType(st.st_mode);
}

std::string readSourceFile(const std::string& path) {
    if (auto why = notARegularFile(path)) throw ScenarioError(path, *why);
    // Checked again on what was opened: the path may have changed in between. O_NONBLOCK keeps a FIFO
    // put there meanwhile from blocking the open.
    Descriptor fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    if (fd.get() < 0) throw ScenarioError(path, describeError(path, errno));
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) throw ScenarioError(path, describeError(path, errno));
    if (auto why = describeType(st.st_mode)) throw ScenarioError(path, *why);
    std::string text;
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw ScenarioError(path, std::string("cannot be read: ") + std::strerror(errno));
        if (n == 0) return text;
        text.append(buf, static_cast<std::size_t>(n));
        if (text.size() > kMaxSourceFileBytes)
            throw ScenarioError(path, "is larger than " + std::to_string(kMaxSourceFileBytes) +
                                          " bytes (64 MiB): not a scenario file");
    }
}

}  // namespace simsock::scenario

// A FIFO of bytes for socket buffers: appends at the back, consumes from the front, compacts lazily.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string>

namespace simsock::sim::detail {

class ByteQueue {
public:
    std::size_t size() const { return buf_.size() - head_; }
    bool empty() const { return size() == 0; }
    void append(const char* data, std::size_t n) { buf_.append(data, n); }
    void append(const std::string& s) { buf_.append(s); }
    /// Copies up to n bytes from the front into out and removes them; returns the count.
    std::size_t take(char* out, std::size_t n) {
        n = std::min(n, size());
        if (n != 0) std::memcpy(out, buf_.data() + head_, n);
        drop(n);
        return n;
    }
    /// Removes up to n bytes from the front, returning them.
    std::string takeString(std::size_t n) {
        n = std::min(n, size());
        std::string s = buf_.substr(head_, n);
        drop(n);
        return s;
    }
    void clear() {
        buf_.clear();
        head_ = 0;
    }

private:
    void drop(std::size_t n) {
        head_ += n;
        if (head_ == buf_.size()) {
            clear();
        } else if (head_ > 65536 && head_ * 2 > buf_.size()) {
            buf_.erase(0, head_);
            head_ = 0;
        }
    }

    std::string buf_;
    std::size_t head_ = 0;
};

}  // namespace simsock::sim::detail

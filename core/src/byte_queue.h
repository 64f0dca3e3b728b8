// A FIFO of bytes with cheap consumption from the front, for the socket's read and write buffers.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace simsock::detail {

class ByteQueue {
public:
    std::int64_t size() const { return static_cast<std::int64_t>(data_.size() - head_); }
    bool empty() const { return head_ == data_.size(); }
    const char* data() const { return data_.data() + head_; }
    void append(const char* p, std::size_t n) { data_.append(p, n); }
    void append(std::string_view s) { data_.append(s); }
    /// Puts bytes back at the front (ungetChar).
    void prepend(char c) {
        if (head_ > 0) {
            data_[--head_] = c;
        } else {
            data_.insert(data_.begin(), c);
        }
    }
    /// Copies up to n bytes from the front without consuming them.
    std::int64_t peek(char* out, std::int64_t n) const {
        auto k = std::min(n, size());
        if (k > 0) std::memcpy(out, data(), static_cast<std::size_t>(k));
        return k;
    }
    /// Drops n bytes from the front.
    void consume(std::int64_t n) {
        head_ += static_cast<std::size_t>(std::min(n, size()));
        // Compact once the dead prefix dominates, so memory stays proportional to live bytes.
        if (head_ == data_.size()) {
            data_.clear();
            head_ = 0;
        } else if (head_ > 4096 && head_ * 2 > data_.size()) {
            data_.erase(0, head_);
            head_ = 0;
        }
    }
    std::int64_t read(char* out, std::int64_t n) {
        auto k = peek(out, n);
        consume(k);
        return k;
    }
    /// Index of the first c within the first limit bytes, or -1.
    std::int64_t indexOf(char c, std::int64_t limit) const {
        auto n = static_cast<std::size_t>(std::min(limit, size()));
        const void* hit = n ? std::memchr(data(), c, n) : nullptr;
        return hit ? static_cast<const char*>(hit) - data() : -1;
    }
    void clear() {
        data_.clear();
        head_ = 0;
    }

private:
    std::string data_;
    std::size_t head_ = 0;
};

}  // namespace simsock::detail

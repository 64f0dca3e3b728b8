// A FIFO for a simulated socket's queues (segments in flight, pending connections, datagrams). Most
// sockets hold zero or one element in each; std::deque allocates a 512-byte block and its map even when
// empty, which was most of a simulated connection's memory. This ring allocates nothing until the first
// element arrives and then grows by doubling, so one queued segment costs two elements' storage.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "simsock/check.h"

namespace simsock::sim::detail {

template <typename T>
class RingQueue {
public:
    bool empty() const { return count_ == 0; }
    std::size_t size() const { return count_; }
    T& front() {
        SIMSOCK_ASSERT(count_ > 0);
        return slots_[head_];
    }
    const T& front() const {
        SIMSOCK_ASSERT(count_ > 0);
        return slots_[head_];
    }
    void push_back(T value) {
        if (count_ == slots_.size()) grow();
        slots_[(head_ + count_) & (slots_.size() - 1)] = std::move(value);
        ++count_;
    }
    /// Removes the front element; its resources (a payload, a shared socket) are released at once.
    void pop_front() {
        SIMSOCK_ASSERT(count_ > 0);
        slots_[head_] = T();
        head_ = (head_ + 1) & (slots_.size() - 1);
        --count_;
    }
    /// Removes every element and gives the storage back.
    void clear() {
        std::vector<T>().swap(slots_);
        head_ = 0;
        count_ = 0;
    }

    /// Front-to-back iteration (elements may be modified, not added or removed).
    template <typename Q, typename V>
    class Iter {
    public:
        Iter(Q* q, std::size_t i) : q_(q), i_(i) {}
        V& operator*() const { return q_->slots_[(q_->head_ + i_) & (q_->slots_.size() - 1)]; }
        Iter& operator++() {
            ++i_;
            return *this;
        }
        bool operator!=(const Iter& other) const { return i_ != other.i_; }

    private:
        Q* q_;
        std::size_t i_;
    };
    Iter<RingQueue, T> begin() { return {this, 0}; }
    Iter<RingQueue, T> end() { return {this, count_}; }
    Iter<const RingQueue, const T> begin() const { return {this, 0}; }
    Iter<const RingQueue, const T> end() const { return {this, count_}; }

private:
    void grow() {
        // Capacities are powers of two, so positions wrap with a mask.
        std::vector<T> bigger(slots_.empty() ? 2 : slots_.size() * 2);
        for (std::size_t i = 0; i < count_; ++i) bigger[i] = std::move(slots_[(head_ + i) & (slots_.size() - 1)]);
        slots_.swap(bigger);
        head_ = 0;
    }

    std::vector<T> slots_;
    std::size_t head_ = 0;
    std::size_t count_ = 0;
};

}  // namespace simsock::sim::detail

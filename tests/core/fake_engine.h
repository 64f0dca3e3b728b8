// A loop and an engine for testing EngineBase alone: the loop runs posted work turn by turn, the engine
// reports whatever facts a test sets and logs every hook the base calls.
#pragma once

#include <gtest/gtest.h>

#include <cerrno>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "simsock/engine_base.h"

namespace simsock::test {

/// Posted work runs in turns: one turn runs exactly what was queued when it started.
class FakeLoop final : public EventLoop {
public:
    std::int64_t nowNs() const override { return 0; }
    void post(std::function<void()> fn) override {
        queue_.push_back(std::move(fn));
        ++posts;
    }
    TimerId startTimer(std::int64_t, std::function<void()>, bool) override {
        ADD_FAILURE() << "EngineBase started a timer";
        return kNoTimer;
    }
    void cancelTimer(TimerId) override {}
    void run() override {
        for (int i = 0; i < kMaxTurns && !queue_.empty(); ++i) processEvents();
    }
    void quit() override {}
    bool runUntil(const std::function<bool()>& pred, std::int64_t) override {
        for (int i = 0; i < kMaxTurns && !pred() && !queue_.empty(); ++i) processEvents();
        return pred();
    }
    /// One turn.
    void processEvents() override {
        for (std::size_t n = queue_.size(); n > 0; --n) {
            std::function<void()> fn = std::move(queue_.front());
            queue_.pop_front();
            fn();
        }
    }
    std::size_t pending() const { return queue_.size(); }

    int posts = 0;

private:
    static constexpr int kMaxTurns = 1000;
    std::deque<std::function<void()>> queue_;
};

/// Records the notifications in order ("connect", "read", "write") and runs an optional hook for each.
class RecordingReceiver final : public EngineReceiver {
public:
    void connectionNotification() override { note("connect", onConnect); }
    void readNotification() override { note("read", onRead); }
    void writeNotification() override { note("write", onWrite); }

    std::vector<std::string> events;
    std::function<void()> onConnect, onRead, onWrite;

private:
    void note(const char* what, const std::function<void()>& hook) {
        events.emplace_back(what);
        if (hook) hook();
    }
};

inline const char* nameOf(EngineEvent e) {
    switch (e) {
    case EngineEvent::ConnectFinished: return "ConnectFinished";
    case EngineEvent::Readable: return "Readable";
    case EngineEvent::Writable: return "Writable";
    }
    return "?";
}

/// An engine whose socket is three booleans. Polled: the test sets them and calls changed(). Pushed:
/// the test plays the engine's loop callback with push().
class FakeEngine final : public EngineBase {
public:
    using EngineBase::Delivery;

    FakeEngine(EventLoop& loop, Delivery delivery) : EngineBase(loop, delivery) {}
    ~FakeEngine() override { close(); }

    // Facts.
    bool connectDone = false;
    bool readable = false;
    bool writable = false;
    /// Hook calls and releases, in order.
    std::vector<std::string> log;

    void changed() { readinessChanged(); }
    bool push(Readiness now) { return deliverNow(now); }
    void takeConnectOutcome() { connectOutcomeTaken(); }
    bool owesConnect() const { return connectPending(); }

    int initialize(NetworkLayerProtocol) override {
        opened();
        return 0;
    }
    int adoptDescriptor(std::intptr_t) override {
        opened();
        return 0;
    }
    std::intptr_t descriptor() const override { return isValid() ? 3 : -1; }
    NetworkLayerProtocol protocol() const override { return NetworkLayerProtocol::IPv4Protocol; }
    int bind(const HostAddress&, std::uint16_t, BindMode) override { return 0; }
    int connect(const HostAddress&, std::uint16_t) override {
        connectStarted();
        return EINPROGRESS;
    }
    int connectResult() override { return 0; }
    int listen(int) override { return 0; }
    std::intptr_t accept(int& err) override {
        err = EAGAIN;
        return -1;
    }
    IoResult read(char*, std::size_t) override { return IoResult{0, EAGAIN, false}; }
    IoResult write(const char*, std::size_t size) override { return IoResult{static_cast<std::int64_t>(size), 0, false}; }
    IoResult readDatagram(char*, std::size_t, DatagramHeader*) override { return IoResult{0, EAGAIN, false}; }
    IoResult writeDatagram(const char*, std::size_t, const HostAddress&, std::uint16_t) override {
        return IoResult{0, EAGAIN, false};
    }
    std::int64_t bytesAvailable() const override { return 0; }
    bool hasPendingDatagrams() const override { return false; }
    std::int64_t pendingDatagramSize() const override { return -1; }
    HostAddress localAddress() const override { return {}; }
    std::uint16_t localPort() const override { return 0; }
    HostAddress peerAddress() const override { return {}; }
    std::uint16_t peerPort() const override { return 0; }

private:
    void releaseSocket(bool abortive) override { log.emplace_back(abortive ? "release(rst)" : "release"); }
    int applyOption(SocketOption option, int value) override {
        log.push_back("apply(" + std::string(toString(option)) + "=" + std::to_string(value) + ")");
        applied_[option] = value;
        return 0;
    }
    std::optional<int> appliedOption(SocketOption option) const override {
        const auto it = applied_.find(option);
        return it == applied_.end() ? std::nullopt : std::optional<int>(it->second);
    }
    int refusedOption(SocketOption option) const override {
        return option == SocketOption::PathMtuSocketOption ? ENOPROTOOPT : 0;
    }
    bool isReady(EngineEvent event) const override {
        EXPECT_TRUE(isValid()) << "asked without a socket";
        switch (event) {
        case EngineEvent::ConnectFinished: return connectDone;
        case EngineEvent::Readable: return readable;
        case EngineEvent::Writable: return writable;
        }
        return false;
    }
    void interestChanged(EngineEvent which, bool was) override {
        log.push_back(std::string("interest(") + nameOf(which) + (was ? ", was on)" : ", was off)"));
    }

    std::map<SocketOption, int> applied_;
};

}  // namespace simsock::test

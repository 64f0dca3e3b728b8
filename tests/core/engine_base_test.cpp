// EngineBase's notification policy on a fake engine: order, queueing on the loop, level-triggered
// repeats, the close/destroy guards, the pushed path's interest hook, and kept options.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "fake_engine.h"

namespace simsock::test {
namespace {

using Events = std::vector<std::string>;
using Log = std::vector<std::string>;
using Delivery = FakeEngine::Delivery;

const HostAddress kPeer("10.0.0.2");

// The fixtures run the loop in the Unix order (read before write), so that a read handler can end a
// delivery before its write; the default Glib order (write first) has its own tests below.

/// A polled engine, open, with a receiver.
struct Polled {
    FakeLoop loop;
    RecordingReceiver receiver;
    std::unique_ptr<FakeEngine> engine = std::make_unique<FakeEngine>(loop, Delivery::Polled);
    Polled() {
        loop.setDispatchOrder(DispatchOrder::Unix);
        engine->setReceiver(&receiver);
        EXPECT_EQ(engine->initialize(NetworkLayerProtocol::IPv4Protocol), 0);
    }
};

/// A pushed engine, open, with a receiver.
struct Pushed {
    FakeLoop loop;
    RecordingReceiver receiver;
    std::unique_ptr<FakeEngine> engine = std::make_unique<FakeEngine>(loop, Delivery::Pushed);
    Pushed() {
        loop.setDispatchOrder(DispatchOrder::Unix);
        engine->setReceiver(&receiver);
        EXPECT_EQ(engine->initialize(NetworkLayerProtocol::IPv4Protocol), 0);
    }
};

TEST(EngineBasePolled, ConnectThenReadThenWriteInOneDelivery) {
    Polled p;
    EXPECT_EQ(p.engine->connect(kPeer, 80), EINPROGRESS);
    p.engine->setWriteNotificationEnabled(true);
    p.engine->setReadNotificationEnabled(true);
    p.engine->writable = p.engine->readable = p.engine->connectDone = true;
    p.engine->changed();
    EXPECT_EQ(p.receiver.events, Events{});
    EXPECT_EQ(p.loop.pending(), 1u);
    p.loop.processEvents();
    EXPECT_EQ(p.receiver.events, (Events{"connect", "read", "write"}));
}

// Qt's default dispatcher runs the write notifier first (SEMANTICS.md, Close): so does a loop left at Glib.
TEST(EngineBasePolled, GlibOrderIsConnectThenWriteThenRead) {
    Polled p;
    p.loop.setDispatchOrder(DispatchOrder::Glib);
    EXPECT_EQ(p.engine->connect(kPeer, 80), EINPROGRESS);
    p.engine->setWriteNotificationEnabled(true);
    p.engine->setReadNotificationEnabled(true);
    p.engine->writable = p.engine->readable = p.engine->connectDone = true;
    p.engine->changed();
    p.loop.processEvents();
    EXPECT_EQ(p.receiver.events, (Events{"connect", "write", "read"}));
}

// The order is read before any handler runs: a connect handler that destroys the engine (explore seed
// 19782 did, through a socket's connected handler) must not leave the base reading its loop afterwards.
TEST(EngineBasePushed, DestroyingTheEngineInTheConnectHandlerIsSafeInEitherOrder) {
    for (DispatchOrder order : {DispatchOrder::Glib, DispatchOrder::Unix}) {
        Pushed p;
        p.loop.setDispatchOrder(order);
        EXPECT_EQ(p.engine->connect(kPeer, 80), EINPROGRESS);
        p.engine->setReadNotificationEnabled(true);
        p.engine->setWriteNotificationEnabled(true);
        p.receiver.onConnect = [&] { p.engine.reset(); };
        FakeEngine* raw = p.engine.get();
        EXPECT_FALSE(raw->push(Readiness{true, true, true}));
        EXPECT_EQ(p.receiver.events, Events{"connect"});
    }
}

TEST(EngineBasePolled, NothingIsDeliveredFromInsideAMethod) {
    Polled p;
    p.engine->readable = p.engine->writable = true;
    p.engine->setReadNotificationEnabled(true);
    p.engine->setWriteNotificationEnabled(true);
    p.engine->setReceiver(&p.receiver);
    p.engine->changed();
    EXPECT_EQ(p.receiver.events, Events{});
    EXPECT_EQ(p.loop.posts, 1);  // one delivery queued, however many reasons
    p.loop.processEvents();
    EXPECT_EQ(p.receiver.events, (Events{"read", "write"}));
}

TEST(EngineBasePolled, ConnectIsDeliveredOnceWhateverTheFlags) {
    Polled p;
    EXPECT_EQ(p.engine->connect(kPeer, 80), EINPROGRESS);
    EXPECT_TRUE(p.engine->owesConnect());
    p.engine->changed();
    EXPECT_EQ(p.loop.posts, 0);  // not finished yet
    p.engine->connectDone = true;
    p.engine->changed();
    p.loop.run();
    EXPECT_EQ(p.receiver.events, Events{"connect"});
    EXPECT_FALSE(p.engine->owesConnect());
    p.engine->changed();
    EXPECT_EQ(p.loop.pending(), 0u);
}

TEST(EngineBasePolled, StillReadyMeansAnotherDeliveryOnTheNextTurn) {
    Polled p;
    p.engine->readable = true;
    p.engine->setReadNotificationEnabled(true);
    p.loop.processEvents();
    EXPECT_EQ(p.receiver.events, Events{"read"});
    EXPECT_EQ(p.loop.pending(), 1u);  // re-queued: still readable and enabled
    p.loop.processEvents();
    EXPECT_EQ(p.receiver.events, (Events{"read", "read"}));
    p.receiver.onRead = [&] { p.engine->readable = false; };  // the handler consumes
    p.loop.processEvents();
    EXPECT_EQ(p.receiver.events, (Events{"read", "read", "read"}));
    EXPECT_EQ(p.loop.pending(), 0u);
    EXPECT_EQ(p.loop.posts, 3);
}

TEST(EngineBasePolled, DisablingStopsTheRepeats) {
    Polled p;
    p.engine->writable = true;
    p.receiver.onWrite = [&] { p.engine->setWriteNotificationEnabled(false); };
    p.engine->setWriteNotificationEnabled(true);
    p.loop.run();
    EXPECT_EQ(p.receiver.events, Events{"write"});
    EXPECT_FALSE(p.engine->isWriteNotificationEnabled());
}

TEST(EngineBasePolled, AQueuedDeliveryIsDroppedByClose) {
    Polled p;
    p.engine->readable = true;
    p.engine->setReadNotificationEnabled(true);
    p.engine->close();
    EXPECT_FALSE(p.engine->isValid());
    EXPECT_FALSE(p.engine->isReadNotificationEnabled());
    EXPECT_EQ(p.engine->log, (Log{"interest(Readable, was off)", "release"}));
    p.loop.run();
    EXPECT_EQ(p.receiver.events, Events{});
}

TEST(EngineBasePolled, ADeliveryQueuedBeforeCloseNeverReachesTheReopenedSocket) {
    Polled p;
    p.engine->readable = true;
    p.engine->setReadNotificationEnabled(true);
    p.engine->close();
    ASSERT_EQ(p.engine->initialize(NetworkLayerProtocol::IPv4Protocol), 0);
    p.loop.processEvents();
    EXPECT_EQ(p.receiver.events, Events{});
    p.engine->setReadNotificationEnabled(true);  // the new socket's own delivery
    p.loop.processEvents();
    EXPECT_EQ(p.receiver.events, Events{"read"});
}

TEST(EngineBasePolled, CloseInsideAHandlerEndsTheDelivery) {
    Polled p;
    p.engine->readable = p.engine->writable = true;
    p.receiver.onRead = [&] { p.engine->close(); };
    p.engine->setReadNotificationEnabled(true);
    p.engine->setWriteNotificationEnabled(true);
    p.loop.run();
    EXPECT_EQ(p.receiver.events, Events{"read"});
    EXPECT_EQ(p.loop.posts, 1);
}

TEST(EngineBasePolled, CloseAndReopenInsideAHandlerEndsTheDelivery) {
    Polled p;
    p.engine->readable = p.engine->writable = true;
    p.receiver.onRead = [&] {
        p.engine->close();
        EXPECT_EQ(p.engine->initialize(NetworkLayerProtocol::IPv4Protocol), 0);
        p.engine->setWriteNotificationEnabled(true);  // queues the new socket's first delivery
    };
    p.engine->setReadNotificationEnabled(true);
    p.engine->setWriteNotificationEnabled(true);
    p.loop.processEvents();
    EXPECT_EQ(p.receiver.events, Events{"read"});
    p.loop.processEvents();
    EXPECT_EQ(p.receiver.events, (Events{"read", "write"}));
}

TEST(EngineBasePolled, DestroyingTheEngineInsideAHandlerIsSafe) {
    Polled p;
    p.engine->readable = p.engine->writable = true;
    p.receiver.onRead = [&] { p.engine.reset(); };
    p.engine->setReadNotificationEnabled(true);
    p.engine->setWriteNotificationEnabled(true);
    p.loop.run();
    EXPECT_EQ(p.engine, nullptr);
    EXPECT_EQ(p.receiver.events, Events{"read"});
}

TEST(EngineBasePolled, ANullReceiverEndsTheDeliveryAndKeepsTheConnectOwed) {
    Polled p;
    EXPECT_EQ(p.engine->connect(kPeer, 80), EINPROGRESS);
    p.engine->connectDone = p.engine->readable = true;
    p.engine->setReadNotificationEnabled(true);
    p.engine->setReceiver(nullptr);  // before the queued delivery runs
    p.loop.run();
    EXPECT_EQ(p.receiver.events, Events{});
    EXPECT_TRUE(p.engine->owesConnect());
    p.receiver.onConnect = [&] { p.engine->setReceiver(nullptr); };
    p.engine->setReceiver(&p.receiver);
    p.loop.run();
    EXPECT_EQ(p.receiver.events, Events{"connect"});  // the read waits for a receiver
    EXPECT_EQ(p.loop.pending(), 0u);
}

TEST(EngineBasePolled, AnEngineWithoutASocketQueuesNothing) {
    FakeLoop loop;
    RecordingReceiver receiver;
    FakeEngine engine(loop, Delivery::Polled);
    engine.readable = true;
    engine.setReceiver(&receiver);
    engine.setReadNotificationEnabled(true);
    engine.changed();
    EXPECT_EQ(loop.posts, 0);
    EXPECT_TRUE(engine.isReadNotificationEnabled());
}

TEST(EngineBasePushed, DeliversWhatTheLoopReportsInOrder) {
    Pushed p;
    EXPECT_EQ(p.engine->connect(kPeer, 80), EINPROGRESS);
    p.engine->setReadNotificationEnabled(true);
    p.engine->setWriteNotificationEnabled(true);
    EXPECT_TRUE(p.engine->push(Readiness{true, true, true}));
    EXPECT_EQ(p.receiver.events, (Events{"connect", "read", "write"}));
    EXPECT_EQ(p.loop.posts, 0);  // the pushed path never queues
}

TEST(EngineBasePushed, GlibOrderIsTheDefaultAndACloseInTheWriteHandlerEndsTheDelivery) {
    FakeLoop loop;
    EXPECT_EQ(loop.dispatchOrder(), DispatchOrder::Glib);
    RecordingReceiver receiver;
    FakeEngine engine(loop, Delivery::Pushed);
    engine.setReceiver(&receiver);
    EXPECT_EQ(engine.initialize(NetworkLayerProtocol::IPv4Protocol), 0);
    EXPECT_EQ(engine.connect(kPeer, 80), EINPROGRESS);
    engine.setReadNotificationEnabled(true);
    engine.setWriteNotificationEnabled(true);
    EXPECT_TRUE(engine.push(Readiness{true, true, true}));
    EXPECT_EQ(receiver.events, (Events{"connect", "write", "read"}));
    // The write path's abort (a failing send) closes the engine: the read notification is not delivered.
    receiver.onWrite = [&] { engine.close(); };
    EXPECT_TRUE(engine.push(Readiness{false, true, true}));
    EXPECT_EQ(receiver.events, (Events{"connect", "write", "read", "write"}));
}

TEST(EngineBasePushed, OnlyEnabledNotificationsAndOnlyAnOwedConnect) {
    Pushed p;
    EXPECT_TRUE(p.engine->push(Readiness{true, true, true}));  // no connect owed, nothing enabled
    EXPECT_EQ(p.receiver.events, Events{});
    p.engine->setWriteNotificationEnabled(true);
    EXPECT_TRUE(p.engine->push(Readiness{false, true, true}));
    EXPECT_EQ(p.receiver.events, Events{"write"});
    EXPECT_TRUE(p.engine->push(Readiness{false, true, true}));  // the OS repeats; so does the base
    EXPECT_EQ(p.receiver.events, (Events{"write", "write"}));
}

TEST(EngineBasePushed, TheInterestHookHearsEveryChangeBeforeTheNotification) {
    Pushed p;
    p.engine->log.clear();
    p.engine->setReadNotificationEnabled(true);
    p.engine->setReadNotificationEnabled(true);
    p.engine->setWriteNotificationEnabled(true);
    p.engine->setWriteNotificationEnabled(false);
    EXPECT_EQ(p.engine->connect(kPeer, 80), EINPROGRESS);
    p.receiver.onConnect = [&] { p.engine->log.emplace_back("connect"); };
    EXPECT_TRUE(p.engine->push(Readiness{true, false, false}));
    EXPECT_EQ(p.engine->log, (Log{"interest(Readable, was off)", "interest(Readable, was on)",
                                  "interest(Writable, was off)", "interest(Writable, was on)",
                                  "interest(ConnectFinished, was off)", "interest(ConnectFinished, was on)",
                                  "connect"}));
}

TEST(EngineBasePushed, AConnectOutcomeTakenEarlyIsNotNotified) {
    Pushed p;
    EXPECT_EQ(p.engine->connect(kPeer, 80), EINPROGRESS);
    p.engine->takeConnectOutcome();
    EXPECT_FALSE(p.engine->owesConnect());
    EXPECT_TRUE(p.engine->push(Readiness{true, false, false}));
    EXPECT_EQ(p.receiver.events, Events{});
}

TEST(EngineBasePushed, AFinishedConnectIsTakenOffEvenWithoutAReceiver) {
    Pushed p;
    EXPECT_EQ(p.engine->connect(kPeer, 80), EINPROGRESS);
    p.engine->setReceiver(nullptr);
    EXPECT_TRUE(p.engine->push(Readiness{true, false, false}));
    EXPECT_FALSE(p.engine->owesConnect());  // or the OS would report the finished connect forever
    EXPECT_EQ(p.receiver.events, Events{});
}

TEST(EngineBasePushed, CloseInsideAHandlerEndsTheDelivery) {
    Pushed p;
    p.receiver.onRead = [&] { p.engine->close(); };
    p.engine->setReadNotificationEnabled(true);
    p.engine->setWriteNotificationEnabled(true);
    EXPECT_TRUE(p.engine->push(Readiness{false, true, true}));  // alive, though closed
    EXPECT_EQ(p.receiver.events, Events{"read"});
    EXPECT_TRUE(p.engine->push(Readiness{false, true, true}));
    EXPECT_EQ(p.receiver.events, Events{"read"});
}

TEST(EngineBasePushed, DestructionInsideAHandlerIsReported) {
    Pushed p;
    p.receiver.onRead = [&] { p.engine.reset(); };
    p.engine->setReadNotificationEnabled(true);
    p.engine->setWriteNotificationEnabled(true);
    FakeEngine* raw = p.engine.get();
    EXPECT_FALSE(raw->push(Readiness{false, true, true}));
    EXPECT_EQ(p.receiver.events, Events{"read"});
}

TEST(EngineBasePushed, DestructionInANestedDeliveryReachesTheOuterOne) {
    Pushed p;
    FakeEngine* raw = p.engine.get();
    bool innerAlive = true;
    // The read handler runs a nested dispatch (a blocking wait) whose write handler destroys the engine.
    p.receiver.onRead = [&] {
        p.receiver.onWrite = [&] { p.engine.reset(); };
        innerAlive = raw->push(Readiness{false, false, true});
    };
    p.engine->setReadNotificationEnabled(true);
    p.engine->setWriteNotificationEnabled(true);
    EXPECT_FALSE(raw->push(Readiness{false, true, true}));
    EXPECT_FALSE(innerAlive);
    EXPECT_EQ(p.receiver.events, (Events{"read", "write"}));
}

TEST(EngineBaseOptions, KeptBeforeTheSocketExistsAndAppliedInOrderWhenItDoes) {
    FakeLoop loop;
    FakeEngine engine(loop, Delivery::Pushed);
    EXPECT_EQ(engine.option(SocketOption::KeepAliveOption), std::nullopt);
    EXPECT_EQ(engine.setOption(SocketOption::ReceiveBufferSizeSocketOption, 4096), 0);
    EXPECT_EQ(engine.setOption(SocketOption::KeepAliveOption, 1), 0);
    EXPECT_EQ(engine.setOption(SocketOption::KeepAliveOption, 0), 0);  // the last value wins
    EXPECT_EQ(engine.setOption(SocketOption::PathMtuSocketOption, 1400), ENOPROTOOPT);
    EXPECT_EQ(engine.option(SocketOption::KeepAliveOption), 0);
    EXPECT_EQ(engine.option(SocketOption::PathMtuSocketOption), std::nullopt);
    EXPECT_EQ(engine.log, Log{});
    ASSERT_EQ(engine.initialize(NetworkLayerProtocol::IPv4Protocol), 0);
    EXPECT_EQ(engine.log, (Log{"apply(KeepAliveOption=0)", "apply(ReceiveBufferSizeSocketOption=4096)"}));
    EXPECT_EQ(engine.option(SocketOption::ReceiveBufferSizeSocketOption), 4096);  // now the socket's
    EXPECT_EQ(engine.setOption(SocketOption::LowDelayOption, 1), 0);
    EXPECT_EQ(engine.log.back(), "apply(LowDelayOption=1)");
    engine.close();
    EXPECT_EQ(engine.option(SocketOption::KeepAliveOption), std::nullopt);  // applied, not kept
    ASSERT_EQ(engine.adoptDescriptor(3), 0);
    EXPECT_EQ(engine.log, (Log{"apply(KeepAliveOption=0)", "apply(ReceiveBufferSizeSocketOption=4096)",
                               "apply(LowDelayOption=1)", "release"}));
}

TEST(EngineBaseClose, AbortReleasesWithAResetAndBothWorkWithoutASocket) {
    FakeLoop loop;
    FakeEngine engine(loop, Delivery::Polled);
    engine.close();
    engine.abort();
    ASSERT_EQ(engine.initialize(NetworkLayerProtocol::IPv4Protocol), 0);
    EXPECT_TRUE(engine.isValid());
    engine.abort();
    EXPECT_FALSE(engine.isValid());
    EXPECT_EQ(engine.log, (Log{"release", "release(rst)", "release(rst)"}));
}

}  // namespace
}  // namespace simsock::test

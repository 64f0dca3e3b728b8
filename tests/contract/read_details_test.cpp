// QT-DETAILS.md §1 and §2 on every engine: what a real kernel's stream does to reads after a remote close,
// a write after the connection is gone, and the read-buffer limit with data waiting in the kernel.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "simsock/engines.h"
#include "simsock/simsock.h"

namespace simsock::read_details {

using S = SocketState;

class ReadContract : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        backend = BackendRegistry::instance().create(GetParam(), BackendOptions{11});
        if (!backend) throw std::runtime_error("engine " + GetParam() + " is not registered");
        server = std::make_unique<TcpServer>(*backend);
        ASSERT_TRUE(server->listen(HostAddress("127.0.0.1"), 0));
        client = std::make_unique<TcpSocket>(*backend);
        client->setObjectName("c");
        recorder = std::make_unique<TraceRecorder>(*client, trace);
        client->connectToHost("127.0.0.1", server->serverPort());
        waitFor([&] { return client->state() == S::ConnectedState && server->hasPendingConnections(); });
        peer = server->nextPendingConnection();
        trace.clear();
    }
    void waitFor(const std::function<bool()>& pred) { ASSERT_TRUE(backend->loop().runUntil(pred, 5000)); }

    std::unique_ptr<Backend> backend;
    std::unique_ptr<TcpServer> server;
    std::unique_ptr<TcpSocket> client, peer;
    Trace trace;
    std::unique_ptr<TraceRecorder> recorder;
};

INSTANTIATE_TEST_SUITE_P(Engines, ReadContract, ::testing::ValuesIn(engineNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

TEST_P(ReadContract, AfterARemoteCloseDataStaysReadableThenReadsEnd) {
    peer->write("last\nbit");
    peer->disconnectFromHost();
    waitFor([&] { return client->state() == S::UnconnectedState; });
    EXPECT_FALSE(client->atEnd());
    EXPECT_EQ(client->readLine(), "last\n");
    EXPECT_EQ(client->readLine(), "bit");
    char buf[4] = {};
    EXPECT_EQ(client->read(buf, 4), -1);
    EXPECT_EQ(client->peek(buf, 4), -1);
    EXPECT_EQ(client->skip(4), -1);
    EXPECT_EQ(client->read(buf, 0), 0);
    EXPECT_FALSE(client->waitForReadyRead(100));
    EXPECT_EQ(client->error(), SocketError::RemoteHostClosedError);
    trace.clear();
    EXPECT_EQ(client->write("late"), -1);
    EXPECT_TRUE(trace.compact("c").empty());
    EXPECT_EQ(client->error(), SocketError::UnknownSocketError);
    EXPECT_EQ(client->errorString(), "Socket is not connected");
}

TEST_P(ReadContract, ALimitedBufferResumesOnlyWhenEmptied) {
    client->setReadBufferSize(1000);
    peer->write(std::string(20000, 'k'));
    waitFor([&] { return client->bytesAvailable() == 1000; });
    std::vector<std::int64_t> sizes{client->bytesAvailable()};
    EXPECT_EQ(client->read(400).size(), 400u);  // partial: nothing resumes
    backend->loop().runUntil([] { return false; }, 100);
    EXPECT_EQ(client->bytesAvailable(), 600);
    client->readyRead.connect([&] {
        sizes.push_back(client->bytesAvailable());
        (void)client->readAll();
    });
    EXPECT_EQ(client->readAll().size(), 600u);
    waitFor([&] { return sizes.size() == 20; });
    backend->loop().runUntil([] { return false; }, 100);
    EXPECT_EQ(sizes, std::vector<std::int64_t>(20, 1000));
    EXPECT_EQ(trace.compact("c"), std::vector<std::string>(20, "readyRead(1000)"));
}

}  // namespace simsock::read_details

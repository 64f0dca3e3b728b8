#include "simsock/testing/stage.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <utility>

namespace simsock::testing {

Listener::Listener(Backend& backend, std::string name, Recorder& recorder)
    : name_(std::move(name)), recorder_(recorder), server_(backend) {
    server_.newConnection.connect([this] { takePending(); });
}

void Listener::takePending() {
    while (auto s = server_.nextPendingConnection()) {
        s->setObjectName(name_ + "." + std::to_string(accepted_.size()));
        recorder_.record(*s);
        accepted_.push_back(std::move(s));
    }
}

TcpSocket& Listener::accepted(std::size_t i) {
    if (i >= accepted_.size()) {
        ADD_FAILURE() << "listener " << name_ << ": connection " << i << " asked for, " << accepted_.size()
                      << " accepted";
        throw std::out_of_range("simsock::testing::Listener::accepted");
    }
    return *accepted_[i];
}

Listener& Stage::listen(Backend& backend, const std::string& name, const HostAddress& address, std::uint16_t port) {
    listeners_.push_back(std::make_unique<Listener>(backend, name, recorder_));
    Listener& l = *listeners_.back();
    EXPECT_TRUE(l.server().listen(address, port))
        << "listener " << name << " cannot listen on " << address.toString() << ":" << port << ": "
        << l.server().errorString();
    return l;
}

peer::Peer& Stage::peer(Backend& backend, const std::string& name, PeerScript script, peer::PeerEnvironment env) {
    env.log = recorder_.peerLog(name);
    peers_.push_back(std::make_unique<peer::Peer>(backend, name, std::move(script), std::move(env)));
    peer::Peer& p = *peers_.back();
    EXPECT_EQ(p.start(), "") << "peer " << name << " did not start";
    return p;
}

std::vector<std::string> Stage::peerProblems() const {
    std::vector<std::string> out;
    for (const auto& p : peers_)
        for (const auto& problem : p->problems()) out.push_back(p->name() + ": " + problem);
    return out;
}

}  // namespace simsock::testing

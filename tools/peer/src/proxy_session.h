// One client connection of a ProxyPeer: the handshake (proxy_handshake.cpp) and then the relay to the
// destination (proxy_peer.cpp). Internal to the peer library.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "proxy_protocol.h"
#include "simsock/peer/proxy_peer.h"

namespace simsock::peer {

struct ProxyPeer::Session {
    /// One of the session's two connections: to the client, or to the destination.
    struct Side final : EngineReceiver {
        Side(Session& s, std::unique_ptr<SocketEngine> e, bool up) : session(s), engine(std::move(e)), upstream(up) {
            engine->setReceiver(this);
        }
        ~Side() override {
            if (engine) engine->setReceiver(nullptr);
        }
        void readNotification() override { session.onReadable(*this); }
        void writeNotification() override { session.flush(*this); }
        void connectionNotification() override { session.onUpstreamConnected(); }

        Session& session;
        std::unique_ptr<SocketEngine> engine;
        bool upstream;
        std::string out;            ///< bytes for this side the kernel has not taken yet
        std::string held;           ///< bytes behind a split answer's first byte, written when its delay ends
        bool holding = false;
        bool closed = false;
        bool eof = false;           ///< its end of stream was read
        bool closeAfterFlush = false;
    };

    enum class Stage { Greeting, Auth, Request, HttpHead, Connecting, Relay, Silent, Done };

    Session(ProxyPeer& p, std::unique_ptr<SocketEngine> clientEngine);

    // proxy_peer.cpp: input, output, closing, the relay.
    void begin();
    void onReadable(Side& side);
    void flush(Side& side);
    void closeSide(Side& side, bool reset);
    void closeAll();
    void answer(std::string bytes, bool thenClose);
    void startUpstream(const std::string& host, std::uint16_t port);
    void onUpstreamConnected();
    void queue(Side& side, const char* data, std::size_t n);
    Side* other(Side& side) { return side.upstream ? &client : upstream.get(); }

    // proxy_handshake.cpp: what the bytes received so far in `in` mean.
    void handshake();
    bool socks5Greeting();
    bool socks5Auth();
    bool socks5Request();
    bool httpHead();
    void connectResult(int err);
    std::string httpChallenge() const;

    ProxyPeer& peer;
    const ProxySettings& settings;
    Side client;
    std::unique_ptr<Side> upstream;
    Stage stage = Stage::Greeting;
    std::string in;                  ///< client bytes not yet consumed by the handshake
    bool byName = false;             ///< the request named a host (SOCKS5 ATYP 3)
    std::string target;              ///< host:port requested, for the log
};

}  // namespace simsock::peer

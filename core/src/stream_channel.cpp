#include "stream_channel.h"

#include <algorithm>
#include <cerrno>
#include <vector>

#include "simsock/check.h"
#include "socket_machine.h"

namespace simsock::detail {
namespace {
constexpr std::int64_t kReadChunk = 64 * 1024;
// A bound on reads per notification, so one busy connection cannot starve the loop.
constexpr int kMaxReadsPerNotification = 64;
}  // namespace

// ---- Incoming ----

void StreamChannel::readNotification() {
    if (readBufferMaxSize_ > 0 && readBuffer_.size() >= readBufferMaxSize_) {
        m_.engine_->setReadNotificationEnabled(false);  // resumes when a read empties the buffer
        return;
    }
    const auto before = readBuffer_.size();
    switch (readFromEngine()) {
    case ReadOutcome::Stop:
        return;
    case ReadOutcome::Closed:
        (void)m_.disconnect();
        return;
    case ReadOutcome::Ok:
        break;
    }
    if (readBuffer_.size() == before) return;
    // A full buffer stops reading until a read empties it, as Qt does (QT-DETAILS.md §2): a partial
    // read in the readyRead handler does not let more in.
    if (readBufferMaxSize_ > 0 && readBuffer_.size() >= readBufferMaxSize_)
        m_.engine_->setReadNotificationEnabled(false);
    ++m_.arrivals_;
    (void)m_.emitReadyRead();
}

StreamChannel::ReadOutcome StreamChannel::readFromEngine() {
    // Reads until a short read instead of asking FIONREAD first: the same bytes per notification as
    // "read what is available", one system call fewer per message on a real engine. No user code runs
    // in this loop, so one scratch buffer per thread serves every socket.
    thread_local std::vector<char> scratch(static_cast<std::size_t>(kReadChunk));
    bool gotData = false;
    for (int i = 0; i < kMaxReadsPerNotification; ++i) {
        std::int64_t room = kReadChunk;
        if (readBufferMaxSize_ > 0) room = std::min(room, readBufferMaxSize_ - readBuffer_.size());
        if (room <= 0) break;
        IoResult r = m_.engine_->read(scratch.data(), static_cast<std::size_t>(room));
        if (r.bytes > 0) {
            readBuffer_.append(scratch.data(), static_cast<std::size_t>(r.bytes));
            gotData = true;
            if (r.bytes < room) break;
            continue;
        }
        // An end of stream or error behind data is reported again by the next notification.
        if (gotData || r.error == EAGAIN || r.error == EWOULDBLOCK || (!r.eof && r.error == 0)) break;
        MappedError e = r.eof ? m_.remoteClosedError() : mapErrno(Operation::Read, r.error);
        if (e.error == SocketError::RemoteHostClosedError) e = m_.remoteClosedError();
        // Destroyed, or a handler reconnected: the new connection is left be.
        if (m_.setErrorAndEmit(e) != Fate::Alive) return ReadOutcome::Stop;
        m_.resetEngine();
        return ReadOutcome::Closed;
    }
    return ReadOutcome::Ok;
}

void StreamChannel::setReadBufferSize(std::int64_t size) {
    const std::int64_t limit = size < 0 ? 0 : size;
    if (limit == readBufferMaxSize_) return;  // Qt changes nothing, not even a stopped reader
    readBufferMaxSize_ = limit;
    if (readBufferMaxSize_ == 0 || readBuffer_.size() < readBufferMaxSize_) m_.resumeReading();
}

std::int64_t StreamChannel::read(char* data, std::int64_t maxSize, bool more) {
    if (readBuffer_.empty()) return more || maxSize == 0 ? 0 : -1;
    auto n = readBuffer_.read(data, maxSize);
    if (readBuffer_.empty()) m_.resumeReading();  // only an emptied buffer lets reading resume (§2)
    return n;
}

// ---- Outgoing ----

std::int64_t StreamChannel::write(const char* data, std::int64_t size, Link link) {
    writeBuffer_.append(data, static_cast<std::size_t>(size));
    if (m_.engine_ && m_.engine_->isValid() && link != Link::Establishing)
        m_.engine_->setWriteNotificationEnabled(true);
    return size;
}

bool StreamChannel::flush() {
    if (!m_.engine_ || !m_.engine_->isValid()) return false;
    std::int64_t written = 0;
    if (!writeBuffer_.empty()) {
        IoResult r = m_.engine_->write(writeBuffer_.data(), static_cast<std::size_t>(writeBuffer_.size()));
        if (r.error && r.error != EAGAIN && r.error != EWOULDBLOCK) {
            // An unexpected write failure aborts (no Closing): err, aboutToClose, ->Unconnected, ...
            if (m_.setErrorAndEmit(mapErrno(Operation::Write, r.error)) == Fate::Destroyed) return false;
            (void)m_.abortDevice();
            return false;
        }
        written = r.bytes;
        writeBuffer_.consume(written);
    }
    if (writeBuffer_.empty() && m_.engine_) m_.engine_->setWriteNotificationEnabled(false);
    if (written > 0) {
        ++m_.writesDone_;
        if (m_.emitBytesWritten(written) == Fate::Destroyed) return true;
    }
    if (m_.inState(SocketState::ClosingState)) (void)m_.disconnect();  // the drain may be complete
    return written > 0;
}

bool StreamChannel::drainBeforeClose() {
    if (!m_.engine_ || !m_.engine_->isValid() || writeBuffer_.empty()) return false;
    m_.engine_->setWriteNotificationEnabled(true);
    return true;
}

// ---- No datagrams on a stream (only UdpSocket calls these, and it is never a stream) ----

std::int64_t StreamChannel::readDatagram(char*, std::int64_t, HostAddress*, std::uint16_t*) { return -1; }

std::int64_t StreamChannel::writeDatagram(const char*, std::int64_t, const HostAddress&, std::uint16_t, bool) {
    return -1;
}

}  // namespace simsock::detail

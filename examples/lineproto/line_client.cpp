#include "line_client.h"

#include <algorithm>
#include <cstdint>

namespace lineproto {
namespace {

std::string numberOf(const std::string& id, const std::string& prefix) { return id.substr(prefix.size()); }

}  // namespace

LineClient::LineClient(simsock::TcpSocket& socket, simsock::EventLoop& loop, simsock::ProgramRandom& random,
                       ClientOptions options, std::function<simsock::ProgramAddress()> where,
                       std::function<void(const std::string&)> log)
    : socket_(socket), loop_(loop), random_(random), options_(std::move(options)), where_(std::move(where)),
      log_(std::move(log)) {
    connections_.push_back(socket_.connected.connect([this] { onConnected(); }));
    connections_.push_back(socket_.readyRead.connect([this] { onReadyRead(); }));
    connections_.push_back(socket_.errorOccurred.connect([this](simsock::SocketError e) {
        stats_.lastError = std::string(simsock::toString(e));
        lost(stats_.lastError);
    }));
    connections_.push_back(socket_.disconnected.connect([this] { lost("disconnected"); }));
}

LineClient::~LineClient() {
    for (auto& c : connections_) c.disconnect();
    cancel(connectTimer_);
    cancel(requestTimer_);
    cancel(retryTimer_);
}

void LineClient::start() {
    if (options_.requests <= 0) {
        finish();
        return;
    }
    connect();
}

void LineClient::cancel(simsock::TimerId& timer) {
    if (timer != simsock::kNoTimer) loop_.cancelTimer(timer);
    timer = simsock::kNoTimer;
}

void LineClient::connect() {
    retryTimer_ = simsock::kNoTimer;
    live_ = true;
    ++stats_.connectAttempts;
    connectTimer_ = loop_.startTimer(options_.connectTimeoutNs, [this] {
        connectTimer_ = simsock::kNoTimer;
        ++stats_.connectTimeouts;
        socket_.abort();
        lost("connect timeout");
    }, false);
    const simsock::ProgramAddress to = where_();
    socket_.connectToHost(to.host, to.port);
}

void LineClient::onConnected() {
    cancel(connectTimer_);
    ++stats_.connects;
    fill();
}

// Resends first (oldest id first), then new requests, up to the window.
void LineClient::fill() {
    while (static_cast<int>(inFlight_.size()) < options_.window) {
        Request r;
        if (!resend_.empty()) {
            r = resend_.front();
            resend_.pop_front();
            ++stats_.resent;
        } else if (nextSeq_ <= options_.requests) {
            r = Request{options_.idPrefix + std::to_string(nextSeq_), "k" + std::to_string(nextSeq_)};
            ++nextSeq_;
        } else {
            break;
        }
        inFlight_.emplace(std::stoi(numberOf(r.id, options_.idPrefix)), r);
        socket_.write(encode(r));
    }
    armRequestTimer();
}

// One timer for the connection: it runs while a request is unanswered and restarts at every answer.
void LineClient::armRequestTimer() {
    cancel(requestTimer_);
    if (inFlight_.empty()) return;
    requestTimer_ = loop_.startTimer(options_.requestTimeoutNs, [this] {
        requestTimer_ = simsock::kNoTimer;
        ++stats_.requestTimeouts;
        socket_.abort();
        lost("request timeout");
    }, false);
}

void LineClient::onReadyRead() {
    while (socket_.canReadLine()) {
        std::string line = socket_.readLine();
        line.pop_back();
        handleLine(line);
        if (stats_.done) return;
    }
}

void LineClient::handleLine(const std::string& line) {
    auto r = parseResponse(line);
    if (!r) {
        ++stats_.badReplies;
        return;
    }
    if (answered_.count(r->id)) {
        ++stats_.duplicateReplies;
        return;
    }
    auto it = std::find_if(inFlight_.begin(), inFlight_.end(), [&](const auto& e) { return e.second.id == r->id; });
    if (it == inFlight_.end() || r->value != valueOf(it->second.key)) {
        ++stats_.badReplies;
        return;
    }
    inFlight_.erase(it);
    answered_.insert(r->id);
    ++stats_.completed;
    triesWithoutProgress_ = 0;
    if (allSettled()) {
        finish();
        return;
    }
    fill();
}

bool LineClient::allSettled() const {
    return stats_.completed + stats_.failed >= options_.requests;
}

// The connection (or the attempt) is gone: its unanswered requests go back to the front of the queue,
// and the client retries after a backoff, or gives up.
void LineClient::lost(const std::string& why) {
    if (!live_ || stats_.done) return;
    live_ = false;
    cancel(connectTimer_);
    cancel(requestTimer_);
    for (auto it = inFlight_.rbegin(); it != inFlight_.rend(); ++it) resend_.push_front(it->second);
    inFlight_.clear();
    ++triesWithoutProgress_;
    log_("lost: " + why);
    if (triesWithoutProgress_ >= options_.maxAttempts) {
        stats_.failed = options_.requests - stats_.completed;
        log_("giving up: " + std::to_string(stats_.failed) + " failed");
        finish();
        return;
    }
    retry();
}

void LineClient::retry() {
    std::int64_t base = options_.backoffInitialNs;
    for (int n = 1; n < triesWithoutProgress_ && base < options_.backoffMaxNs && base <= INT64_MAX / 2; ++n) base *= 2;
    base = std::min(base, options_.backoffMaxNs);
    const std::int64_t delay = base / 2 + random_.between(0, base / 2);
    const std::int64_t ms = delay / 1'000'000;
    stats_.backoffsMs += (stats_.backoffsMs.empty() ? "" : ",") + std::to_string(ms);
    retryTimer_ = loop_.startTimer(delay, [this] { connect(); }, false);
}

void LineClient::finish() {
    if (stats_.done) return;
    stats_.done = true;
    stats_.doneAtNs = loop_.nowNs();
    live_ = false;
    cancel(connectTimer_);
    cancel(requestTimer_);
    cancel(retryTimer_);
    if (socket_.state() != simsock::SocketState::UnconnectedState) socket_.disconnectFromHost();
    log_("done: " + std::to_string(stats_.completed) + " completed, " + std::to_string(stats_.failed) + " failed");
    if (onDone) onDone();
}

}  // namespace lineproto

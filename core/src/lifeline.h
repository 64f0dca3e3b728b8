// Survival across emissions. A signal runs user code that may destroy the socket, or start a new
// connection on it (a re-entrant connectToHost, abort, close or setSocketDescriptor), after which the
// sequence that emitted must not continue. A Mark taken before the user code runs answers afterwards
// which of the two happened. This is the one place that compares generations.
#pragma once

#include <cstdint>
#include <memory>

namespace simsock::detail {

/// What became of the socket while user code ran.
enum class Fate : std::uint8_t {
    Alive,       ///< same socket, same connection: the sequence may go on
    Superseded,  ///< a re-entrant call began a new connection (or adopted a descriptor)
    Destroyed,   ///< a handler destroyed the socket: touch nothing
};

class Lifeline {
    struct Shared {
        bool alive = true;
        std::uint64_t generation = 0;
    };

public:
    /// A point in the socket's life, taken before user code runs.
    class Mark {
    public:
        Fate fate() const {
            if (!shared_->alive) return Fate::Destroyed;
            return shared_->generation == generation_ ? Fate::Alive : Fate::Superseded;
        }
        bool destroyed() const { return !shared_->alive; }
        /// Destroyed, or a new connection began since the mark.
        bool ended() const { return fate() != Fate::Alive; }

    private:
        friend class Lifeline;
        Mark(std::shared_ptr<const Shared> shared, std::uint64_t generation)
            : shared_(std::move(shared)), generation_(generation) {}
        std::shared_ptr<const Shared> shared_;
        std::uint64_t generation_;
    };

    Mark mark() const { return Mark(shared_, shared_->generation); }
    /// A new connection begins: marks taken before it report Superseded.
    void supersede() { ++shared_->generation; }
    /// The socket is being destroyed: every mark reports Destroyed.
    void end() { shared_->alive = false; }

private:
    std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
};

}  // namespace simsock::detail

// Scheduling and applying faults (the fault model is described in fault_plan.h); the plan logs them.
#include "simsock/sim/network.h"
#include "stack.h"

namespace simsock::sim {

FaultId Network::injectFault(const FaultSpec& fault, const FaultTrigger& trigger) {
    const FaultId id = faults_.newId();
    if (trigger.kind != FaultTrigger::Kind::AtTime) {
        faults_.arm(id, fault, trigger);
        return id;
    }
    if (trigger.atNs <= loop_->nowNs()) {
        applyFault(id, fault);
        return id;
    }
    scheduledFaults_[id] = loop_->scheduleAt(trigger.atNs, [this, id, fault] {
        scheduledFaults_.erase(id);
        applyFault(id, fault);
    });
    return id;
}

bool Network::clearFault(FaultId id) {
    bool found = false;
    if (auto it = scheduledFaults_.find(id); it != scheduledFaults_.end()) {
        loop_->cancelTimer(it->second);
        scheduledFaults_.erase(it);
        found = true;
    }
    for (const auto& a : faults_.active()) {
        if (a.id != id) continue;
        if (a.spec.kind == FaultKind::LookupFailure) resolver_->setFailure(a.spec.name, DnsFailure::None);
        break;
    }
    return faults_.clear(id) || found;
}

void Network::applyFault(FaultId id, const FaultSpec& fault) {
    switch (fault.kind) {
    case FaultKind::CloseConnection:
        for (const auto& s : stack_->serverSockets(fault.host, fault.port)) actOnConnection(id, fault, s);
        return;
    case FaultKind::ResetConnection:
        for (const auto& s : stack_->serverSockets(fault.host, fault.port)) actOnConnection(id, fault, s);
        return;
    case FaultKind::Heal:
        faults_.heal(fault);
        return;
    default:
        break;
    }
    faults_.activate(id, fault);
    if (fault.kind == FaultKind::LookupFailure) resolver_->setFailure(fault.name, fault.dnsFailure);
    if (fault.durationNs >= 0) {
        scheduledFaults_[id] = loop_->startTimer(fault.durationNs, [this, id] {
            scheduledFaults_.erase(id);
            clearFault(id);
        }, false);
    }
}

void Network::actOnConnection(FaultId id, const FaultSpec& fault, const std::shared_ptr<detail::Sock>& serverSide) {
    if (fault.kind == FaultKind::CloseConnection)
        stack_->closeFromServerSide(serverSide, fault.describe());
    else if (fault.kind == FaultKind::ResetConnection)
        stack_->resetFromServerSide(serverSide, fault.describe());
    else
        applyFault(id, fault);
}

void Network::fireAccept(const std::shared_ptr<detail::Sock>& serverSide) {
    for (const auto& armed : faults_.fireOnAccept(serverSide->host, serverSide->localPort))
        actOnConnection(armed.id, armed.spec, serverSide);
}

void Network::fireBytes(const std::shared_ptr<detail::Sock>& serverSide, std::int64_t before, std::int64_t after) {
    for (const auto& armed : faults_.fireAfterBytes(serverSide->host, serverSide->localPort, before, after))
        actOnConnection(armed.id, armed.spec, serverSide);
}

}  // namespace simsock::sim

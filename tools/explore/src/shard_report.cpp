// Shard reports as JSON. The derived keys (progression, complete, passed, failed, fingerprint) are written
// for people and tools such as jq, and checked on reading, so an edited or truncated report is refused
// instead of merged.
#include "simsock/scenario/shard_report.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

namespace simsock::scenario::explore {
namespace {

using Json = nlohmann::json;

// Thrown inside the reader only; readShardReport turns it into the error text.
struct ReportError {
    std::string path;
    std::string what;
};

const Json& member(const Json& obj, const std::string& path, const char* key) {
    if (!obj.is_object()) throw ReportError{path, "is not an object"};
    auto it = obj.find(key);
    if (it == obj.end()) throw ReportError{path + "." + key, "is missing"};
    return *it;
}

std::uint64_t unsignedAt(const Json& obj, const std::string& path, const char* key) {
    const Json& v = member(obj, path, key);
    if (!v.is_number_unsigned()) throw ReportError{path + "." + key, "is not a non-negative integer"};
    return v.get<std::uint64_t>();
}

std::string stringAt(const Json& obj, const std::string& path, const char* key) {
    const Json& v = member(obj, path, key);
    if (!v.is_string()) throw ReportError{path + "." + key, "is not a string"};
    return v.get<std::string>();
}

int smallIntAt(const Json& obj, const std::string& path, const char* key) {
    std::uint64_t v = unsignedAt(obj, path, key);
    if (v > 1'000'000'000) throw ReportError{path + "." + key, "is out of range"};
    return static_cast<int>(v);
}

Json optionsJson(const SweepOptions& o) { return Json{{"shrink_runs", o.shrinkRuns}, {"max_saved", o.maxSaved}}; }

std::vector<SeedFailure> readFailures(const Json& root, const ShardReport& r) {
    const Json& list = member(root, "$", "failures");
    if (!list.is_array()) throw ReportError{"$.failures", "is not an array"};
    std::vector<SeedFailure> out;
    Progression p = r.progression();
    for (std::size_t i = 0; i < list.size(); ++i) {
        std::string path = "$.failures[" + std::to_string(i) + "]";
        SeedFailure f{unsignedAt(list[i], path, "seed"), stringAt(list[i], path, "message"),
                      stringAt(list[i], path, "scenario")};
        bool inShard = f.seed >= p.start && (f.seed - p.start) % p.step == 0 && (f.seed - p.start) / p.step < r.done;
        if (!inShard) throw ReportError{path + ".seed", std::to_string(f.seed) + " is not among the seeds this shard ran"};
        if (!out.empty() && f.seed <= out.back().seed) throw ReportError{path + ".seed", "failures are not in ascending order"};
        out.push_back(std::move(f));
    }
    return out;
}

void checkDerived(const Json& root, const ShardReport& r) {
    Progression p = r.progression();
    const Json& prog = member(root, "$", "progression");
    if (unsignedAt(prog, "$.progression", "start") != p.start || unsignedAt(prog, "$.progression", "step") != p.step ||
        unsignedAt(prog, "$.progression", "length") != p.length)
        throw ReportError{"$.progression", "does not match seeds and shard"};
    if (r.done > p.length) throw ReportError{"$.done", "exceeds the shard's " + std::to_string(p.length) + " seeds"};
    const Json& complete = member(root, "$", "complete");
    if (!complete.is_boolean() || complete.get<bool>() != r.complete()) throw ReportError{"$.complete", "does not match done"};
    if (unsignedAt(root, "$", "passed") != r.passed()) throw ReportError{"$.passed", "is not done minus the failures"};
    if (unsignedAt(root, "$", "failed") != r.failures.size()) throw ReportError{"$.failed", "is not the number of failures"};
    if (stringAt(root, "$", "fingerprint") != r.fingerprint())
        throw ReportError{"$.fingerprint", "is not the hash of build and options (an edited report?)"};
}

ShardReport readReport(const Json& root) {
    if (stringAt(root, "$", "format") != kShardReportFormat)
        throw ReportError{"$.format", std::string("is not \"") + kShardReportFormat + "\""};
    ShardReport r;
    r.build = stringAt(root, "$", "build");
    const Json& options = member(root, "$", "options");
    r.options = SweepOptions{smallIntAt(options, "$.options", "shrink_runs"), smallIntAt(options, "$.options", "max_saved")};
    const Json& seeds = member(root, "$", "seeds");
    r.seeds = SeedRange{unsignedAt(seeds, "$.seeds", "first"), unsignedAt(seeds, "$.seeds", "last")};
    if (r.seeds.first > r.seeds.last) throw ReportError{"$.seeds", "first is above last"};
    const Json& shard = member(root, "$", "shard");
    r.shardIndex = unsignedAt(shard, "$.shard", "index");
    r.shardCount = unsignedAt(shard, "$.shard", "count");
    if (r.shardCount == 0 || r.shardIndex >= r.shardCount) throw ReportError{"$.shard", "index is not below count"};
    auto source = shardSourceFromName(stringAt(shard, "$.shard", "source"));
    if (!source) throw ReportError{"$.shard.source", "is not a known source"};
    r.source = *source;
    r.done = unsignedAt(root, "$", "done");
    const Json& elapsed = member(root, "$", "elapsed_s");
    if (!elapsed.is_number() || elapsed.get<double>() < 0) throw ReportError{"$.elapsed_s", "is not a duration"};
    r.elapsedSeconds = elapsed.get<double>();
    r.failures = readFailures(root, r);
    checkDerived(root, r);
    return r;
}

}  // namespace

Progression shardProgression(const SeedRange& range, std::uint64_t index, std::uint64_t count) {
    if (count == 0 || index >= count || range.first > range.last || index > range.last - range.first)
        return Progression{range.first, count == 0 ? 1 : count, 0};
    std::uint64_t start = range.first + index;
    return Progression{start, count, (range.last - start) / count + 1};
}

std::string hashText(const std::string& text) {
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ull;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

std::string ShardReport::fingerprint() const { return hashText(build + "\n" + optionsJson(options).dump()); }

std::string resumeMismatch(const ShardReport& previous, const ShardReport& current) {
    auto shardText = [](const ShardReport& r) {
        return "seeds " + std::to_string(r.seeds.first) + ".." + std::to_string(r.seeds.last) + " shard " +
               std::to_string(r.shardIndex) + "/" + std::to_string(r.shardCount);
    };
    if (previous.build != current.build)
        return "it was written by build \"" + previous.build + "\", this is \"" + current.build + "\"";
    if (!(previous.options == current.options)) return "it was written with other --shrink-runs or --max-saved";
    if (!(previous.seeds == current.seeds) || previous.shardIndex != current.shardIndex ||
        previous.shardCount != current.shardCount)
        return "it covers " + shardText(previous) + ", this run " + shardText(current);
    return "";
}

std::string writeShardReport(const ShardReport& r) {
    Progression p = r.progression();
    Json failures = Json::array();
    for (const auto& f : r.failures) failures.push_back(Json{{"seed", f.seed}, {"message", f.message}, {"scenario", f.scenario}});
    // Keys in a fixed order, one a line: reports diff and grep well.
    std::vector<std::pair<const char*, Json>> keys = {
        {"format", kShardReportFormat},
        {"build", r.build},
        {"options", optionsJson(r.options)},
        {"fingerprint", r.fingerprint()},
        {"seeds", Json{{"first", r.seeds.first}, {"last", r.seeds.last}}},
        {"shard", Json{{"index", r.shardIndex}, {"count", r.shardCount}, {"source", shardSourceName(r.source)}}},
        {"progression", Json{{"start", p.start}, {"step", p.step}, {"length", p.length}}},
        {"done", r.done},
        {"complete", r.complete()},
        {"passed", r.passed()},
        {"failed", r.failures.size()},
        {"elapsed_s", static_cast<double>(static_cast<long long>(r.elapsedSeconds * 1000)) / 1000},
        {"failures", failures},
    };
    std::string out = "{\n";
    for (std::size_t i = 0; i < keys.size(); ++i) {
        out += "  " + Json(keys[i].first).dump() + ": " + keys[i].second.dump() + (i + 1 < keys.size() ? ",\n" : "\n");
    }
    return out + "}\n";
}

std::optional<ShardReport> readShardReport(const std::string& text, std::string& error) {
    Json root = Json::parse(text, nullptr, false);
    if (root.is_discarded()) {
        error = "not JSON";
        return std::nullopt;
    }
    try {
        return readReport(root);
    } catch (const ReportError& e) {
        error = e.path + ": " + e.what;
        return std::nullopt;
    }
}

std::optional<ShardReport> loadShardReport(const std::string& path, std::string& error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = path + ": cannot read";
        return std::nullopt;
    }
    std::stringstream text;
    text << in.rdbuf();
    auto r = readShardReport(text.str(), error);
    if (!r) error = path + ": " + error;
    return r;
}

bool writeFileAtomically(const std::string& path, const std::string& text) {
    std::string temporary = path + ".tmp." + std::to_string(::getpid());
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out) {
            std::error_code ec;
            std::filesystem::remove(temporary, ec);
            return false;
        }
    }
    std::error_code ec;
    std::filesystem::rename(temporary, path, ec);
    if (!ec) return true;
    std::filesystem::remove(temporary, ec);
    return false;
}

}  // namespace simsock::scenario::explore

// Values a client hands back to resume or page: the Last-Event-ID header
// (mcp::EventStream::parseEventId, then EventStream::after with the parsed sequence, as
// StreamableHttpEndpoint does on GET) and the `cursor` of the list methods (mcp::decodeCursor).
//
// Neither documents an exception: a malformed value is nullopt (a 404 or a -32602). So nothing
// is caught.
#include <chrono>

#include "FuzzSupport.h"
#include "mcp/Cursor.h"
#include "mcp/EventStream.h"

using namespace mcph::mcp;
using mcph::fuzz::fuzzFail;

namespace {
constexpr const char* kTarget = "event_id_cursor";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string value = mcph::fuzz::bytes(data, size);

    if (const auto offset = decodeCursor(value)) {
        if (*offset > 999999999u) fuzzFail(kTarget, "a cursor beyond nine digits");
        if (decodeCursor(encodeCursor(*offset)) != offset) fuzzFail(kTarget, "a cursor that does not round-trip");
    }

    if (const auto parsed = EventStream::parseEventId(value)) {
        const auto& [streamId, seq] = *parsed;
        if (streamId.empty()) fuzzFail(kTarget, "an event id with an empty stream id");
        if (value.size() > 64) fuzzFail(kTarget, "an over-long event id accepted");
        if (value.compare(0, streamId.size(), streamId) != 0 || value[streamId.size()] != '.')
            fuzzFail(kTarget, "the stream id is not the text before the last dot");
        // Resuming: the events after `seq` of a stream that sent three.
        EventStream stream(streamId);
        std::string ids[3];
        for (auto& id : ids) id = stream.append("data");
        stream.finish();
        const auto events = stream.after(seq, std::chrono::milliseconds(0));
        const std::size_t expected = seq >= 3 ? 0 : static_cast<std::size_t>(3 - seq);
        if (events.size() != expected) fuzzFail(kTarget, "resumption replayed the wrong number of events");
        for (const auto& [id, data] : events) {
            const auto again = EventStream::parseEventId(id);
            if (!again || again->first != streamId || again->second <= seq)
                fuzzFail(kTarget, "a replayed event id that does not parse back after the resume point");
        }
    }
    return 0;
}

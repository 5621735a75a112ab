#pragma once

// The bodies of fuzz_wsframe and fuzz_httpupgrade, shared with tests/stream/tst_streamcorpus.cpp so
// that the seed corpus runs in every ordinary test run, not only under libFuzzer. Each returns an
// empty string when every invariant held, else what broke.

#include "httpupgrade.h"
#include "websocketlayer.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kw::stream::fuzz {

// The key of RFC 6455 section 1.3's example, so seeds can carry a valid Sec-WebSocket-Accept.
inline constexpr std::string_view kSampleKey = "dGhlIHNhbXBsZSBub25jZQ==";

// Input: byte 0 picks where to split, the rest is a server's answer to an upgrade request that
// offered the subprotocols "chat" and "superchat".
inline std::string runHttpUpgradeInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return {};
    const std::string_view answer(reinterpret_cast<const char *>(data + 1), size - 1);
    const std::size_t split = answer.empty() ? 0 : data[0] % (answer.size() + 1);

    struct Outcome
    {
        UpgradeResponseParser::Status status;
        int code;
        std::string error;
        std::string subprotocol;
        std::string trailing; // what follows the header block: remainder() plus the slices not fed
    };
    const auto run = [&](const std::vector<std::string_view> &slices) {
        UpgradeResponseParser parser(std::string(kSampleKey), {"chat", "superchat"});
        std::string trailing;
        for (const std::string_view slice : slices) {
            if (parser.status() != UpgradeResponseParser::Status::NeedMore) {
                trailing += slice;
                continue;
            }
            if (parser.feed(slice) == UpgradeResponseParser::Status::Done)
                trailing += parser.remainder();
        }
        std::string problem;
        if (parser.headers().size() > kMaxUpgradeHeaderCount)
            problem = "more headers kept than kMaxUpgradeHeaderCount";
        if (parser.status() == UpgradeResponseParser::Status::NeedMore &&
            parser.finish() != UpgradeResponseParser::Status::Failed)
            problem = "finish() left the parser waiting";
        if (parser.status() == UpgradeResponseParser::Status::Failed && parser.error().empty())
            problem = "failed without a message";
        if (parser.status() == UpgradeResponseParser::Status::Done && parser.statusCode() != 101)
            problem = "accepted a status other than 101";
        return std::pair(Outcome{parser.status(), parser.statusCode(), parser.error(), parser.subprotocol(),
                                 parser.status() == UpgradeResponseParser::Status::Done ? trailing : ""},
                         problem);
    };

    std::vector<std::string_view> bytewise;
    for (std::size_t i = 0; i < answer.size(); ++i)
        bytewise.push_back(answer.substr(i, 1));
    const auto [whole, wholeProblem] = run({answer});
    const auto [split2, splitProblem] = run({answer.substr(0, split), answer.substr(split)});
    const auto [single, singleProblem] = run(bytewise);
    for (const std::string &problem : {wholeProblem, splitProblem, singleProblem})
        if (!problem.empty())
            return problem;
    for (const Outcome *other : {&split2, &single}) {
        if (other->status != whole.status || other->code != whole.code || other->error != whole.error ||
            other->subprotocol != whole.subprotocol || other->trailing != whole.trailing)
            return "the outcome depends on how the answer was sliced: \"" + whole.error + "\" / \"" +
                   other->error + "\"";
    }
    return {};
}

// Reads the client frames the layer sent: every one must be masked (RFC 6455 section 5.3). Returns
// the close code of the last close frame sent (0 if none), or -1 when a frame is not masked.
inline int lastCloseSent(std::string_view out)
{
    int closeCode = 0;
    std::size_t at = 0;
    while (at + 2 <= out.size()) {
        const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(out[i]); };
        const std::uint8_t opcode = byte(at) & 0x0f;
        if ((byte(at + 1) & 0x80) == 0)
            return -1;
        std::uint64_t length = byte(at + 1) & 0x7f;
        std::size_t header = 2;
        if (length >= 126) {
            const std::size_t lengthBytes = length == 126 ? 2 : 8;
            if (at + 2 + lengthBytes > out.size())
                break;
            length = 0;
            for (std::size_t i = 0; i < lengthBytes; ++i)
                length = (length << 8) | byte(at + 2 + i);
            header += lengthBytes;
        }
        header += 4;
        if (at + header + length > out.size())
            break;
        if (opcode == 0x8) {
            closeCode = 1005;
            if (length >= 2) {
                const std::size_t payload = at + header;
                const std::uint8_t high = byte(payload) ^ byte(at + header - 4);
                const std::uint8_t low = byte(payload + 1) ^ byte(at + header - 3);
                closeCode = (high << 8) | low;
            }
        }
        at += header + std::size_t(length);
    }
    return closeCode;
}

// Input: byte 0 seeds how the rest is sliced, byte 1 picks options (bit 0: a 64-byte message limit;
// bit 1: messages through message() instead of deliver(); bit 2: echo every message; bit 3: ping
// and then close from inside the callbacks), the rest is what the server sends after a valid 101.
inline std::string runWsFrameInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 2)
        return {};
    const std::uint8_t seed = data[0];
    const std::uint8_t flags = data[1];
    const std::string_view frames(reinterpret_cast<const char *>(data + 2), size - 2);

    WebSocketOptions options;
    options.host = "127.0.0.1";
    options.port = 8080;
    options.subprotocols = {"chat"};
    options.maxMessageBytes = (flags & 1) ? 64 : std::size_t(1) << 20;
    WebSocketLayer layer(options);

    std::string sent;
    std::string problem;
    bool ready = false;
    int ends = 0;
    std::optional<Failure> failure;
    int callbacksAfterEnd = 0;
    const auto note = [&] {
        if (ends > 0)
            ++callbacksAfterEnd;
    };
    const auto checkMessage = [&](std::string_view payload) {
        note();
        if (payload.size() > options.maxMessageBytes)
            problem = "delivered a message over maxMessageBytes";
        if (flags & 4)
            layer.send(payload);
    };
    Layer::Callbacks callbacks;
    callbacks.sendBelow = [&](std::string_view bytes) { sent += bytes; };
    callbacks.ready = [&] {
        note();
        ready = true;
    };
    callbacks.deliver = checkMessage;
    callbacks.failed = [&](const Failure &how) {
        note();
        ++ends;
        failure = how;
    };
    callbacks.closedByPeer = [&](const Failure &how) {
        note();
        ++ends;
        if (how.code != 1005 && how.code != 1006 && (how.code < 1000 || how.code > 4999))
            problem = "closedByPeer with an impossible code";
    };
    layer.setCallbacks(callbacks);
    WebSocketLayer::WebSocketCallbacks wsCallbacks;
    if (flags & 2)
        wsCallbacks.message = [&](bool, std::string_view payload) { checkMessage(payload); };
    wsCallbacks.pong = [&](std::string_view payload) {
        note();
        if (payload.size() > 125)
            problem = "a pong with more than 125 bytes";
        if (flags & 8)
            layer.close(1000, "done");
    };
    wsCallbacks.serverPing = [&] {
        note();
        if (flags & 8)
            layer.sendPing("fuzz");
    };
    layer.setWebSocketCallbacks(wsCallbacks);

    layer.start();
    const std::size_t keyAt = sent.find("Sec-WebSocket-Key: ");
    if (keyAt == std::string::npos)
        return "the upgrade request has no Sec-WebSocket-Key";
    const std::string key = sent.substr(keyAt + 19, 24);
    sent.clear();
    layer.receive("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Accept: " +
                  webSocketAccept(key) + "\r\n\r\n");
    if (!ready || layer.subprotocol() != "chat")
        return "a valid 101 did not make the layer ready";

    std::uint32_t state = seed * 2654435761u + 1;
    std::size_t at = 0;
    while (at < frames.size() && ends == 0) {
        state = state * 1103515245u + 12345u;
        const std::size_t slice = (seed & 0x80) ? frames.size() : 1 + (state >> 16) % 24;
        layer.receive(frames.substr(at, slice));
        at += slice;
    }
    if (ends == 0)
        layer.belowEnded();

    if (!problem.empty())
        return problem;
    if (ends != 1)
        return "the layer ended " + std::to_string(ends) + " times";
    if (callbacksAfterEnd != 0)
        return "a callback came after failed() or closedByPeer()";
    const int closeSent = lastCloseSent(sent);
    if (closeSent < 0)
        return "the layer sent an unmasked frame";
    if (failure) {
        if (failure->code != 1002 && failure->code != 1007 && failure->code != 1009)
            return "failed with code " + std::to_string(failure->code) + ": " + failure->text;
        if (closeSent != failure->code && !(flags & 8))
            return "failed with " + std::to_string(failure->code) + " without sending that close code first";
    }
    return {};
}

} // namespace kw::stream::fuzz

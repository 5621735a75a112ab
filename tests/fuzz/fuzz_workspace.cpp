// libFuzzer target: parseWorkspace on arbitrary bytes. Besides crashes and
// sanitizer reports it checks the properties a user relies on:
//  - a result is either a workspace or at least one error, never both;
//  - whatever parses saves to JSON that parses back to the same endpoints;
//  - heartbeat payloads survive encodeEscapes/decodeEscapes.
#include "workspace.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace Qt::StringLiterals;

namespace {

void check(bool condition, const char *what)
{
    if (!condition) {
        std::fprintf(stderr, "fuzz_workspace: property violated: %s\n", what);
        std::abort();
    }
}

void checkEscapes(const QByteArray &bytes)
{
    QString error;
    check(kw::decodeEscapes(kw::encodeEscapes(bytes), &error) == bytes && error.isEmpty(),
          "decodeEscapes(encodeEscapes(b)) == b");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));

    // The escape decoder on its own: what it accepts re-encodes to the same bytes.
    QString escapeError;
    const QByteArray decoded = kw::decodeEscapes(QString::fromUtf8(input), &escapeError);
    if (escapeError.isEmpty())
        checkEscapes(decoded);
    checkEscapes(input);

    const kw::WorkspaceResult result = kw::parseWorkspace(input, u"fuzz.json"_s);
    check(result.workspace.has_value() != !result.errors.isEmpty(), "a workspace or errors, not both");
    if (!result.workspace)
        return 0;

    const QByteArray saved = kw::workspaceToJson(*result.workspace);
    const kw::WorkspaceResult again = kw::parseWorkspace(saved, u"saved.json"_s);
    check(again.ok(), "the saved form of a valid workspace is valid");
    check(again.workspace->endpoints == result.workspace->endpoints, "save/load keeps every endpoint");
    check(again.workspace->notify == result.workspace->notify, "save/load keeps every notifier");
    check(kw::workspaceToJson(*again.workspace) == saved, "saving twice gives the same bytes");

    for (const kw::EndpointConfig &endpoint : result.workspace->endpoints) {
        const kw::EndpointResult back = kw::parseEndpoint(kw::endpointToJson(endpoint), u"endpoint"_s);
        check(back.endpoint && *back.endpoint == endpoint, "endpointToJson/parseEndpoint round trip");
        if (endpoint.heartbeat) {
            checkEscapes(endpoint.heartbeat->send);
            checkEscapes(endpoint.heartbeat->expect);
        }
    }
    return 0;
}

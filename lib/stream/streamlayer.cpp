#include "streamlayer.h"

namespace kw::stream {

std::string_view layerName(LayerKind layer)
{
    switch (layer) {
    case LayerKind::Tcp:
        return "tcp";
    case LayerKind::Tls:
        return "tls";
    case LayerKind::WebSocket:
        return "websocket";
    }
    return "tcp";
}

} // namespace kw::stream

#pragma once

// Bytes written as hex in the tests, the way the standard prints its examples.

#include <QtCore/QByteArray>

#include <string>
#include <string_view>

namespace kw::mqtt::test {

// "10 0c 00 04 'MQTT'": hex bytes; text in single quotes is taken as it stands.
inline std::string bytes(std::string_view spec)
{
    std::string out;
    std::size_t i = 0;
    const auto nibble = [](char c) { return c >= 'a' ? c - 'a' + 10 : c >= 'A' ? c - 'A' + 10 : c - '0'; };
    while (i < spec.size()) {
        const char c = spec[i];
        if (c == ' ') {
            ++i;
        } else if (c == '\'') {
            const std::size_t end = spec.find('\'', i + 1);
            out.append(spec.substr(i + 1, end - i - 1));
            i = end + 1;
        } else {
            out.push_back(static_cast<char>(nibble(spec[i]) * 16 + nibble(spec[i + 1])));
            i += 2;
        }
    }
    return out;
}

inline QByteArray hex(const std::string &data)
{
    return QByteArray(data.data(), qsizetype(data.size())).toHex(' ');
}

} // namespace kw::mqtt::test

#pragma once

// Reading a certificate into the words a failure or an info event shows: names, dates, addresses.
// Internal to kw_stream (it includes OpenSSL, which nothing above this library sees).

#include <openssl/x509.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kw::stream::x509 {

using Clock = std::chrono::system_clock;

std::string quoted(std::string_view text);
// "a, b and c"
std::string joined(const std::vector<std::string> &items);
std::optional<Clock::time_point> timePoint(const ASN1_TIME *time);
// RFC 2253 form: "CN=example.com,O=Example".
std::string nameText(const X509_NAME *name);
std::string asn1Text(const ASN1_STRING *string);
std::string ipText(const ASN1_OCTET_STRING *address);
// subjectAltName DNS names and IP addresses, in certificate order.
std::vector<std::string> altNames(X509 *certificate);
// The names a host-name check compares against: the SANs, else the subject's CN (RFC 6125 section 6.4.4).
std::vector<std::string> matchableNames(X509 *certificate);
bool isIpLiteral(const std::string &name);

} // namespace kw::stream::x509

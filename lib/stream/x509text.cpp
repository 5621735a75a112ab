#include "x509text.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>

namespace kw::stream::x509 {

std::string quoted(std::string_view text)
{
    std::string result;
    result.reserve(text.size() + 2);
    result += '"';
    result += text;
    result += '"';
    return result;
}

std::string joined(const std::vector<std::string> &items)
{
    std::string text;
    for (const std::string &item : items) {
        if (!text.empty())
            text += ", ";
        text += item;
    }
    return text;
}

std::optional<Clock::time_point> timePoint(const ASN1_TIME *time)
{
    std::tm parts{};
    if (!time || ASN1_TIME_to_tm(time, &parts) != 1)
        return std::nullopt;
    using namespace std::chrono;
    const year_month_day date{year{parts.tm_year + 1900}, month{static_cast<unsigned>(parts.tm_mon + 1)},
                              day{static_cast<unsigned>(parts.tm_mday)}};
    return sys_days{date} + hours{parts.tm_hour} + minutes{parts.tm_min} + seconds{parts.tm_sec};
}

std::string nameText(const X509_NAME *name)
{
    if (!name)
        return {};
    BIO *bio = BIO_new(BIO_s_mem());
    if (!bio)
        return {};
    // RFC 2253 order and escaping, but UTF-8 kept readable instead of \XX escapes.
    X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    std::string text(BIO_ctrl_pending(bio), '\0');
    if (!text.empty() && BIO_read(bio, text.data(), static_cast<int>(text.size())) <= 0)
        text.clear();
    BIO_free(bio);
    return text;
}

std::string asn1Text(const ASN1_STRING *string)
{
    if (!string)
        return {};
    return std::string(reinterpret_cast<const char *>(ASN1_STRING_get0_data(string)),
                       static_cast<std::size_t>(ASN1_STRING_length(string)));
}

std::string ipText(const ASN1_OCTET_STRING *address)
{
    const unsigned char *bytes = ASN1_STRING_get0_data(address);
    const int length = ASN1_STRING_length(address);
    char buffer[64];
    if (length == 4) {
        std::snprintf(buffer, sizeof buffer, "%u.%u.%u.%u", bytes[0], bytes[1], bytes[2], bytes[3]);
        return buffer;
    }
    if (length != 16)
        return "<bad IP address>";
    // RFC 5952 section 4: the longest run of two or more zero groups becomes "::".
    std::array<unsigned, 8> groups{};
    for (std::size_t i = 0; i < groups.size(); ++i)
        groups[i] = (bytes[2 * i] << 8u) | bytes[2 * i + 1];
    std::size_t bestStart = groups.size(), bestLength = 1;
    for (std::size_t i = 0; i < groups.size();) {
        std::size_t j = i;
        while (j < groups.size() && groups[j] == 0)
            ++j;
        if (j - i > bestLength) {
            bestStart = i;
            bestLength = j - i;
        }
        i = j == i ? i + 1 : j;
    }
    std::string text;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        if (i == bestStart) {
            text += "::";
            i += bestLength - 1;
            continue;
        }
        if (!text.empty() && text.back() != ':')
            text += ':';
        std::snprintf(buffer, sizeof buffer, "%x", groups[i]);
        text += buffer;
    }
    return text;
}

// The DNS names and IP addresses of the subjectAltName extension, in certificate order.
std::vector<std::string> altNames(X509 *certificate)
{
    std::vector<std::string> names;
    auto *general =
        static_cast<GENERAL_NAMES *>(X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr));
    if (!general)
        return names;
    for (int i = 0; i < sk_GENERAL_NAME_num(general); ++i) {
        const GENERAL_NAME *name = sk_GENERAL_NAME_value(general, i);
        if (name->type == GEN_DNS)
            names.push_back(asn1Text(name->d.dNSName));
        else if (name->type == GEN_IPADD)
            names.push_back(ipText(name->d.iPAddress));
    }
    GENERAL_NAMES_free(general);
    return names;
}

// The names a host-name check can match: the SANs, else the subject's common names (RFC 6125
// section 6.4.4 allows the CN only when there is no SAN).
std::vector<std::string> matchableNames(X509 *certificate)
{
    std::vector<std::string> names = altNames(certificate);
    if (!names.empty())
        return names;
    const X509_NAME *subject = X509_get_subject_name(certificate);
    for (int i = X509_NAME_get_index_by_NID(subject, NID_commonName, -1); i >= 0;
         i = X509_NAME_get_index_by_NID(subject, NID_commonName, i))
        names.push_back(asn1Text(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i))));
    return names;
}

bool isIpLiteral(const std::string &name)
{
    ASN1_OCTET_STRING *address = a2i_IPADDRESS(name.c_str());
    ASN1_OCTET_STRING_free(address);
    return address != nullptr;
}

} // namespace kw::stream::x509

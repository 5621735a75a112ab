#pragma once

#include "tlslayer.h"

#include <cstddef>
#include <memory>
#include <string>

struct ssl_ctx_st;

namespace kw::stream {

// The SSL_CTX for the options, shared by every layer whose options differ at most in serverName
// (SNI and the name check are per connection, SSL_set1_host(3)). The cache holds weak references:
// a context lives as long as a layer uses it. The key includes each file's size and modification
// time, so a renewed CA or client certificate is read by the next connection instead of never.
// Thread-safe. nullptr when a file cannot be used; *error then names the option, the file, the
// problem and the fix.
std::shared_ptr<ssl_ctx_st> acquireTlsContext(const TlsOptions &options, std::string *error);

// OpenSSL's error queue of this thread as text ("certificate verify failed; ..."), emptied.
std::string takeOpenSslErrors();

// How many contexts the cache currently holds alive (for tests).
std::size_t tlsContextCacheSize();

} // namespace kw::stream

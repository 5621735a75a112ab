# The lib/net sources for the platform being built. Shared by lib/net/CMakeLists.txt and the standalone
# Windows check (tests/windows), which compiles them without the rest of the project.
set(KW_NET_DIR "${CMAKE_CURRENT_LIST_DIR}")
set(KW_NET_SOURCES
    ${KW_NET_DIR}/cause.cpp
    ${KW_NET_DIR}/detectionbound.cpp
    ${KW_NET_DIR}/keepalive.cpp
    ${KW_NET_DIR}/keepaliveexplain.cpp
    ${KW_NET_DIR}/poller.cpp
    ${KW_NET_DIR}/poller_poll.cpp
    ${KW_NET_DIR}/resourcelimits.cpp
    ${KW_NET_DIR}/socketerror.cpp
    ${KW_NET_DIR}/socketio.cpp
    ${KW_NET_DIR}/systemdefaults.cpp
    ${KW_NET_DIR}/tcpkeepalivesettings.cpp
    ${KW_NET_DIR}/tcpsnapshot.cpp)
if(WIN32)
    list(APPEND KW_NET_SOURCES ${KW_NET_DIR}/keepalive_windows.cpp ${KW_NET_DIR}/systemdefaults_windows.cpp)
    set(KW_NET_SYSTEM_LIBS ws2_32 advapi32)
else()
    list(APPEND KW_NET_SOURCES ${KW_NET_DIR}/keepalive_posix.cpp)
    if(APPLE)
        list(APPEND KW_NET_SOURCES ${KW_NET_DIR}/systemdefaults_macos.cpp)
    endif()
    set(KW_NET_SYSTEM_LIBS)
endif()
# epoll exists on Linux (and Android); poll(2) / WSAPoll (poller_poll.cpp) everywhere.
if(CMAKE_SYSTEM_NAME MATCHES "^(Linux|Android)$")
    list(APPEND KW_NET_SOURCES ${KW_NET_DIR}/poller_epoll.cpp)
endif()

// net::Poller on real loopback sockets, every backend this OS has (epoll and poll(2) on Linux): what the
// kernel says is ready is what the caller gets, for the registration it made and no older one.
#include "loopbackpair.h"
#include "poller.h"
#include "socketio.h"

#include <QTest>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <optional>
#include <set>
#include <vector>

using namespace std::chrono_literals;
using kw::net::PollerBackend;
using kw::net::PollEvent;
using kw::net::PollInterest;
using kw::test::LoopbackPair;

Q_DECLARE_METATYPE(PollerBackend)

namespace {

constexpr PollInterest kNone{};
constexpr PollInterest kRead{true, false};
constexpr PollInterest kWrite{false, true};

std::vector<PollEvent> waitFor(kw::net::Poller &poller, std::chrono::milliseconds timeout,
                               std::size_t capacity = 16)
{
    std::vector<PollEvent> events(capacity);
    const kw::net::PollWait result = poller.wait(events, timeout);
    if (result.error != 0)
        qWarning("wait failed: errno %d", result.error);
    events.resize(result.count);
    return events;
}

const PollEvent *find(const std::vector<PollEvent> &events, int fd)
{
    for (const PollEvent &event : events)
        if (event.socket == fd)
            return &event;
    return nullptr;
}

bool send(int fd, const char *text)
{
    return ::send(fd, text, std::strlen(text), MSG_NOSIGNAL) == static_cast<ssize_t>(std::strlen(text));
}

} // namespace

class TestPoller : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<kw::net::Poller> newPoller()
    {
        QFETCH(PollerBackend, backend);
        int error = 0;
        std::unique_ptr<kw::net::Poller> poller = kw::net::makePoller(backend, &error);
        if (!poller)
            qWarning("makePoller failed: errno %d", error);
        return poller;
    }

    static void addBackendColumn()
    {
        QTest::addColumn<PollerBackend>("backend");
        QTest::newRow("epoll") << PollerBackend::Epoll;
        QTest::newRow("poll") << PollerBackend::Poll;
    }

private Q_SLOTS:
    void defaultBackendIsEpollOnLinux() { QCOMPARE(kw::net::defaultPollerBackend(), PollerBackend::Epoll); }

    void readableWhenThePeerSends_data() { addBackendColumn(); }
    void readableWhenThePeerSends()
    {
        const auto poller = newPoller();
        QVERIFY(poller);
        LoopbackPair pair;
        QVERIFY(pair.isValid());
        int error = 0;
        const std::uint32_t serial = poller->add(pair.client(), kRead, &error);
        QVERIFY2(serial != 0, qPrintable(QString::number(error)));
        QCOMPARE(poller->size(), std::size_t(1));
        QVERIFY(waitFor(*poller, 0ms).empty());

        QVERIFY(send(pair.server(), "ping\n"));
        const std::vector<PollEvent> events = waitFor(*poller, 2000ms);
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].socket, kw::net::NativeSocket(pair.client()));
        QCOMPARE(events[0].serial, serial);
        QVERIFY(events[0].readable);
        QVERIFY(!events[0].writable); // writable, but not asked for
        QVERIFY(!events[0].hangup);
        QVERIFY(!events[0].error);
        QVERIFY(poller->isCurrent(events[0]));

        // Level-triggered: unread data is reported again, and no more once it is read.
        QCOMPARE(waitFor(*poller, 0ms).size(), std::size_t(1));
        char buffer[16];
        QCOMPARE(::recv(pair.client(), buffer, sizeof buffer, 0), ssize_t(5));
        QVERIFY(waitFor(*poller, 0ms).empty());
    }

    void modifyChangesWhatIsReported_data() { addBackendColumn(); }
    void modifyChangesWhatIsReported()
    {
        const auto poller = newPoller();
        QVERIFY(poller);
        LoopbackPair pair;
        QVERIFY(pair.isValid());
        int error = 0;
        const std::uint32_t serial = poller->add(pair.client(), kNone, &error);
        QVERIFY(serial != 0);
        QVERIFY(waitFor(*poller, 0ms).empty()); // writable, but nothing asked

        QVERIFY(poller->modify(pair.client(), kWrite));
        std::vector<PollEvent> events = waitFor(*poller, 2000ms);
        QCOMPARE(events.size(), std::size_t(1));
        QVERIFY(events[0].writable);
        QVERIFY(!events[0].readable);
        QCOMPARE(events[0].serial, serial); // modify keeps the registration

        QVERIFY(send(pair.server(), "x"));
        QVERIFY(poller->modify(pair.client(), PollInterest{true, true}));
        events = waitFor(*poller, 2000ms);
        QCOMPARE(events.size(), std::size_t(1));
        QVERIFY(events[0].readable);
        QVERIFY(events[0].writable);

        QVERIFY(poller->modify(pair.client(), kRead));
        events = waitFor(*poller, 0ms);
        QCOMPARE(events.size(), std::size_t(1));
        QVERIFY(events[0].readable);
        QVERIFY(!events[0].writable);

        QVERIFY(poller->modify(pair.client(), kNone));
        QVERIFY(waitFor(*poller, 0ms).empty());

        QVERIFY(!poller->modify(pair.server(), kRead, &error)); // never added
        QVERIFY(error != 0);
    }

    void removedSocketsReportNothing_data() { addBackendColumn(); }
    void removedSocketsReportNothing()
    {
        const auto poller = newPoller();
        QVERIFY(poller);
        LoopbackPair first;
        LoopbackPair second;
        QVERIFY(first.isValid() && second.isValid());
        int error = 0;
        QVERIFY(poller->add(first.client(), kRead, &error) != 0);
        QVERIFY(poller->add(second.client(), kRead, &error) != 0);
        QVERIFY(send(first.server(), "a"));
        QVERIFY(send(second.server(), "b"));
        QTRY_COMPARE(waitFor(*poller, 100ms).size(), std::size_t(2));

        const std::vector<PollEvent> before = waitFor(*poller, 0ms);
        poller->remove(first.client());
        QCOMPARE(poller->size(), std::size_t(1));
        const PollEvent *stale = find(before, first.client());
        QVERIFY(stale);
        QVERIFY(!poller->isCurrent(*stale));
        const std::vector<PollEvent> after = waitFor(*poller, 0ms);
        QCOMPARE(after.size(), std::size_t(1));
        QCOMPARE(after[0].socket, kw::net::NativeSocket(second.client()));

        poller->remove(first.client()); // twice is harmless
        poller->remove(second.client());
        QCOMPARE(poller->size(), std::size_t(0));
        QVERIFY(waitFor(*poller, 0ms).empty());
    }

    // The event was read, then its socket removed and closed, and a new socket got the same number
    // (what happens when a handler closes one connection and opens another in the same batch).
    void anEventReadBeforeTheNumberWasReusedIsNotCurrent_data() { addBackendColumn(); }
    void anEventReadBeforeTheNumberWasReusedIsNotCurrent()
    {
        const auto poller = newPoller();
        QVERIFY(poller);
        LoopbackPair old;
        LoopbackPair fresh;
        QVERIFY(old.isValid() && fresh.isValid());
        int error = 0;
        const int number = old.client();
        const std::uint32_t oldSerial = poller->add(number, kRead, &error);
        QVERIFY(send(old.server(), "old"));
        const std::vector<PollEvent> batch = waitFor(*poller, 2000ms);
        QCOMPARE(batch.size(), std::size_t(1));

        poller->remove(number);
        QCOMPARE(::dup2(fresh.client(), number), number); // closes the old socket, the number is reused
        const std::uint32_t newSerial = poller->add(number, kRead, &error);
        QVERIFY(newSerial != 0);
        QVERIFY(newSerial != oldSerial);
        QVERIFY(!poller->isCurrent(batch[0]));
        QVERIFY(waitFor(*poller, 0ms).empty()); // the new socket has nothing to read

        QVERIFY(send(fresh.server(), "new"));
        const std::vector<PollEvent> events = waitFor(*poller, 2000ms);
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].serial, newSerial);
        QVERIFY(poller->isCurrent(events[0]));
    }

    // The old socket was closed without remove() and its number given to a new socket, which is added.
    // With a duplicate keeping the old socket open, epoll still holds and reports the old registration
    // (epoll(7), "Questions and answers" 6); those events must not be passed off as the new socket's.
    void aReusedNumberGetsNoEventsOfTheOldRegistration_data()
    {
        QTest::addColumn<PollerBackend>("backend");
        QTest::addColumn<bool>("duplicateKeepsOldOpen");
        QTest::newRow("epoll") << PollerBackend::Epoll << false;
        QTest::newRow("epoll, old socket still open through a duplicate") << PollerBackend::Epoll << true;
        QTest::newRow("poll") << PollerBackend::Poll << false;
        QTest::newRow("poll, old socket still open through a duplicate") << PollerBackend::Poll << true;
    }
    void aReusedNumberGetsNoEventsOfTheOldRegistration()
    {
        QFETCH(bool, duplicateKeepsOldOpen);
        const auto poller = newPoller();
        QVERIFY(poller);
        LoopbackPair old;
        LoopbackPair fresh;
        QVERIFY(old.isValid() && fresh.isValid());
        int error = 0;
        const int number = old.client();
        const std::uint32_t oldSerial = poller->add(number, kRead, &error);
        QVERIFY(oldSerial != 0);
        QVERIFY(send(old.server(), "unread")); // the old socket stays readable
        QCOMPARE(waitFor(*poller, 2000ms).size(), std::size_t(1));

        const int duplicate = duplicateKeepsOldOpen ? ::dup(number) : -1;
        QCOMPARE(::dup2(fresh.client(), number), number); // no remove(): closes the old socket
        const std::uint32_t newSerial = poller->add(number, kWrite, &error);
        QVERIFY2(newSerial != 0, qPrintable(QString::number(error)));
        QVERIFY(newSerial != oldSerial);
        QCOMPARE(poller->size(), std::size_t(1));

        QVERIFY(send(fresh.server(), "data")); // readable too, but the new registration asks for writes
        QTest::qWait(20);
        const std::vector<PollEvent> events = waitFor(*poller, 2000ms);
        if (duplicate >= 0)
            ::close(duplicate);
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].serial, newSerial);
        QVERIFY(events[0].writable);
        QVERIFY(!events[0].readable);
    }

    void hangupsAreReportedWhateverWasAsked_data()
    {
        QTest::addColumn<PollerBackend>("backend");
        QTest::addColumn<bool>("reset");
        QTest::newRow("epoll, both directions shut") << PollerBackend::Epoll << false;
        QTest::newRow("epoll, reset by the peer") << PollerBackend::Epoll << true;
        QTest::newRow("poll, both directions shut") << PollerBackend::Poll << false;
        QTest::newRow("poll, reset by the peer") << PollerBackend::Poll << true;
    }
    void hangupsAreReportedWhateverWasAsked()
    {
        QFETCH(bool, reset);
        const auto poller = newPoller();
        QVERIFY(poller);
        LoopbackPair pair;
        QVERIFY(pair.isValid());
        int error = 0;
        const std::uint32_t serial = poller->add(pair.client(), kNone, &error);
        QVERIFY(serial != 0);

        const int server = pair.takeServer();
        if (reset) {
            QVERIFY(kw::net::setResetOnClose(server));
            ::close(server);
        } else {
            ::close(server);                                 // FIN from the peer ...
            QTest::qWait(20);                                // (let it arrive)
            QCOMPARE(::shutdown(pair.client(), SHUT_WR), 0); // ... and ours
        }
        std::vector<PollEvent> events;
        QTRY_VERIFY((events = waitFor(*poller, 100ms)).size() == 1 && events[0].hangup);
        QCOMPARE(events[0].serial, serial);
        QCOMPARE(events[0].error, reset);
        QVERIFY(!events[0].readable); // not asked for
    }

    // What Connection relies on to end a connect: a refused one is reported, writable or not.
    void aRefusedConnectIsReported_data() { addBackendColumn(); }
    void aRefusedConnectIsReported()
    {
        const auto poller = newPoller();
        QVERIFY(poller);
        std::uint16_t port = 0;
        {
            LoopbackPair pair; // a port that was just in use, and is closed now
            QVERIFY(pair.isValid());
            port = pair.port();
        }
        const kw::net::ConnectStart start = kw::net::startConnect("127.0.0.1", port);
        QVERIFY(start.socket != kw::net::kInvalidSocket);
        if (!start.inProgress) {
            kw::net::closeSocket(start.socket);
            QSKIP("the connect failed at once; nothing left to poll for");
        }
        int error = 0;
        const std::uint32_t serial = poller->add(start.socket, kWrite, &error);
        QVERIFY(serial != 0);
        const std::vector<PollEvent> events = waitFor(*poller, 2000ms);
        poller->remove(start.socket);
        const int connectError = kw::net::finishConnect(start.socket);
        kw::net::closeSocket(start.socket);
        QCOMPARE(events.size(), std::size_t(1));
        QVERIFY(events[0].error || events[0].hangup);
        QCOMPARE(connectError, ECONNREFUSED);
    }

    // More ready sockets than room in one wait: successive waits get to every one of them.
    void everyReadySocketIsReachedWhenTheBatchIsSmall_data() { addBackendColumn(); }
    void everyReadySocketIsReachedWhenTheBatchIsSmall()
    {
        const auto poller = newPoller();
        QVERIFY(poller);
        constexpr int kCount = 5;
        std::array<std::unique_ptr<LoopbackPair>, kCount> pairs;
        int error = 0;
        for (auto &pair : pairs) {
            pair = std::make_unique<LoopbackPair>();
            QVERIFY(pair->isValid());
            QVERIFY(poller->add(pair->client(), kRead, &error) != 0);
            QVERIFY(send(pair->server(), "x"));
        }
        QTRY_COMPARE(waitFor(*poller, 100ms).size(), std::size_t(kCount));

        std::set<kw::net::NativeSocket> seen;
        for (int round = 0; round < 3; ++round) {
            const std::vector<PollEvent> events = waitFor(*poller, 0ms, 2);
            QCOMPARE(events.size(), std::size_t(2));
            for (const PollEvent &event : events)
                seen.insert(event.socket);
        }
        QCOMPARE(seen.size(), std::size_t(kCount));
    }

    // The event loop watches this one descriptor instead of every socket.
    void theEventDescriptorIsReadableWhileSomethingIsReady_data() { addBackendColumn(); }
    void theEventDescriptorIsReadableWhileSomethingIsReady()
    {
        QFETCH(PollerBackend, backend);
        const auto poller = newPoller();
        QVERIFY(poller);
        const std::optional<kw::net::NativeSocket> descriptor = poller->eventDescriptor();
        if (backend == PollerBackend::Poll) {
            QVERIFY(!descriptor); // kept in user space: nothing for a loop to watch
            return;
        }
        QVERIFY(descriptor);
        QVERIFY(::fcntl(int(*descriptor), F_GETFD) & FD_CLOEXEC);
        LoopbackPair pair;
        QVERIFY(pair.isValid());
        int error = 0;
        QVERIFY(poller->add(pair.client(), kRead, &error) != 0);
        pollfd watch{int(*descriptor), POLLIN, 0};
        QCOMPARE(::poll(&watch, 1, 0), 0);
        QVERIFY(send(pair.server(), "x"));
        QCOMPARE(::poll(&watch, 1, 2000), 1);
        QVERIFY(watch.revents & POLLIN);
        QCOMPARE(waitFor(*poller, 0ms).size(), std::size_t(1));
    }
};

QTEST_GUILESS_MAIN(TestPoller)
#include "tst_poller.moc"

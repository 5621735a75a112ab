#include "probeidlecommand.h"

#include "appsupport.h"
#include "idleprober.h"
#include "idleprobetext.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QHostInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <cstdio>

namespace kw {

namespace {

using std::chrono::milliseconds;

double secondsValue(milliseconds value)
{
    return double(value.count()) / 1000.0;
}

// "12", "0.5": seconds as a positive finite number, to whole milliseconds.
bool parseSeconds(const QString &text, milliseconds *out)
{
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok || !std::isfinite(value) || value <= 0 || value > 1e9)
        return false;
    *out = milliseconds(std::llround(value * 1000.0));
    return true;
}

// "host:port", "[2001:db8::1]:port".
bool splitHostPort(const QString &text, QString *host, quint16 *port)
{
    QString hostPart;
    QString portPart;
    if (text.startsWith(u'[')) {
        const qsizetype close = text.indexOf(u"]:");
        if (close < 0)
            return false;
        hostPart = text.mid(1, close - 1);
        portPart = text.mid(close + 2);
    } else {
        const qsizetype colon = text.lastIndexOf(u':');
        if (colon <= 0 || text.indexOf(u':') != colon)
            return false;
        hostPart = text.left(colon);
        portPart = text.mid(colon + 1);
    }
    bool ok = false;
    const uint number = portPart.toUInt(&ok);
    if (hostPart.isEmpty() || !ok || number < 1 || number > 65535)
        return false;
    *host = hostPart;
    *port = quint16(number);
    return true;
}

class Printer
{
public:
    explicit Printer(bool json) : m_out(json ? stderr : stdout) {}

    void line(const QString &text) const
    {
        std::fputs(qUtf8Printable(text + u'\n'), m_out);
        std::fflush(m_out);
    }

private:
    std::FILE *m_out;
};

QJsonObject resultJson(const ProbeIdleOptions &options, const IdleProber &prober)
{
    const IdleSearchResult result = prober.search().result();
    const IdleRecommendation rec = recommendForIdle(result);
    QJsonObject json;
    json[u"target"] = prober.target();
    json[u"idle_timeout_s"] =
        result.idleTimeout() ? QJsonValue(secondsValue(*result.idleTimeout())) : QJsonValue();
    json[u"behaviour"] = idleBehaviourName(result.behaviour);
    json[u"bracket_s"] =
        QJsonArray{secondsValue(result.longestSurvived),
                   result.shortestDied ? QJsonValue(secondsValue(*result.shortestDied)) : QJsonValue()};
    json[u"max_s"] = secondsValue(options.search.max);
    json[u"precision_s"] = secondsValue(options.search.precision);
    json[u"parallel"] = options.search.parallel;
    json[u"elapsed_s"] = std::round(std::chrono::duration<double>(result.elapsed).count() * 10.0) / 10.0;
    QJsonArray probes;
    for (const IdleProbeRecord &p : result.probes) {
        QJsonObject probe{{u"gap_s"_qs, secondsValue(p.gap)},
                          {u"outcome"_qs, p.outcome ? idleProbeOutcomeName(*p.outcome) : u"cancelled"_qs}};
        if (p.outcome && p.idle != p.gap)
            probe[u"idle_s"] = secondsValue(p.idle);
        if (p.retransmits > 0)
            probe[u"retransmits"] = p.retransmits;
        probes.append(probe);
    }
    json[u"probes"] = probes;
    QJsonObject recommend;
    recommend[u"based_on_s"] = secondsValue(rec.basedOn);
    recommend[u"keepalive"] = QJsonObject{{u"enabled"_qs, true},
                                          {u"idle_s"_qs, qint64(rec.keepaliveIdle.count())},
                                          {u"interval_s"_qs, qint64(rec.keepaliveInterval.count())},
                                          {u"count"_qs, rec.keepaliveCount}};
    recommend[u"heartbeat"] = QJsonObject{{u"interval_s"_qs, qint64(rec.heartbeatInterval.count())}};
    recommend[u"mqtt_keepalive_s"] = qint64(rec.heartbeatInterval.count());
    json[u"recommend"] = recommend;
    return json;
}

void printSummary(const Printer &out, const IdleProber &prober)
{
    const IdleSearchResult result = prober.search().result();
    for (const QString &line : ProbeIdle::resultLines(result) + ProbeIdle::recommendationLines(result))
        out.line(line);
}

} // namespace

QString parseProbeIdleArguments(const QStringList &arguments, ProbeIdleOptions *options, bool *help)
{
    *help = false;
    bool maxGiven = false;
    bool precisionGiven = false;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString arg = arguments.at(i);
        const auto valueOf = [&](const QString &name, QString *value) {
            if (arg.startsWith(name + u'=')) {
                *value = arg.mid(name.size() + 1);
                return true;
            }
            if (arg != name || i + 1 >= arguments.size())
                return false;
            *value = arguments.at(++i);
            return true;
        };
        QString value;
        if (arg == u"--help" || arg == u"-h") {
            *help = true;
            return {};
        } else if (arg == u"--json") {
            options->json = true;
        } else if (arg == u"--max" || arg.startsWith(u"--max=")) {
            if (!valueOf(u"--max"_qs, &value) || !parseSeconds(value, &options->search.max))
                return ProbeIdle::
                    tr("--max: expected the longest idle gap to try in seconds, e.g. --max 600, got \"%1\"")
                        .arg(value);
            maxGiven = true;
        } else if (arg == u"--precision" || arg.startsWith(u"--precision=")) {
            if (!valueOf(u"--precision"_qs, &value) || !parseSeconds(value, &options->search.precision))
                return ProbeIdle::tr("--precision: expected seconds, e.g. --precision 0.5, got \"%1\"")
                    .arg(value);
            precisionGiven = true;
        } else if (arg == u"--parallel" || arg.startsWith(u"--parallel=")) {
            bool ok = false;
            const int number = valueOf(u"--parallel"_qs, &value) ? value.toInt(&ok) : 0;
            if (!ok)
                return ProbeIdle::tr(
                           "--parallel: expected a number of connections, e.g. --parallel 4, got \"%1\"")
                    .arg(value);
            options->search.parallel = number;
        } else if (arg.startsWith(u'-')) {
            return ProbeIdle::tr("probe-idle: unknown option \"%1\" (see keepwatch --help)").arg(arg);
        } else if (!options->host.isEmpty()) {
            return ProbeIdle::tr("probe-idle: one HOST:PORT only, got \"%1\" as well").arg(arg);
        } else if (!splitHostPort(arg, &options->host, &options->port)) {
            return ProbeIdle::tr(
                       "probe-idle: expected HOST:PORT (e.g. db.example.net:5432 or [2001:db8::1]:443), "
                       "got \"%1\"")
                .arg(arg);
        }
    }
    if (options->host.isEmpty())
        return ProbeIdle::tr(
            "probe-idle: HOST:PORT is required, e.g. keepwatch probe-idle db.example.net:5432");
    // A precision finer than a tenth of a short max would take many rounds for nothing.
    if (maxGiven && !precisionGiven && options->search.max < options->search.precision * 5)
        options->search.precision = std::max(kMinIdleSearchPrecision, options->search.max / 10);
    const QStringList problems = validateIdleSearchOptions(options->search);
    if (!problems.isEmpty())
        return problems.join(u"; "_qs);
    return {};
}

int runProbeIdle(const ProbeIdleOptions &options)
{
    QHostAddress address;
    if (!address.setAddress(options.host)) {
        const QHostInfo info = QHostInfo::fromName(options.host);
        if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
            printError(ProbeIdle::tr("cannot resolve \"%1\" (%2): check the name, or give an address")
                           .arg(options.host, info.errorString()));
            return 1;
        }
        address = info.addresses().constFirst();
    }

    const Printer out(options.json);
    SteadyClock clock;
    IdleProber prober(clock, address, options.port, options.search);
    out.line(ProbeIdle::introText(prober.target(), options.search));

    QObject::connect(&prober, &IdleProber::probeStarted, &prober, [&](int id, bool reused) {
        out.line(ProbeIdle::probeStartedText(prober.search(), id, reused));
    });
    QObject::connect(&prober, &IdleProber::probeEnded, &prober,
                     [&](int id) { out.line(ProbeIdle::probeEndedText(prober.search(), id)); });
    QObject::connect(&prober, &IdleProber::probeCancelled, &prober, [&](int id) {
        if (!prober.search().result().error.isEmpty())
            return; // the error says it all
        out.line(ProbeIdle::probeCancelledText(prober.search(), id));
    });
    QObject::connect(&prober, &IdleProber::finished, QCoreApplication::instance(), &QCoreApplication::quit);
    prober.start();
    QCoreApplication::exec(); // until finished(), which always arrives from the event loop

    const IdleSearchResult result = prober.search().result();
    if (!result.error.isEmpty()) {
        printError(result.error);
        return 1;
    }
    printSummary(out, prober);
    if (options.json) {
        const QByteArray line = QJsonDocument(resultJson(options, prober)).toJson(QJsonDocument::Compact);
        std::fputs(line.constData(), stdout);
        std::fputc('\n', stdout);
        std::fflush(stdout);
    }
    return 0;
}

} // namespace kw

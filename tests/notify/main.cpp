#include "notifytests.h"

#include <QCoreApplication>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int failures = 0;
    failures += runNotifyConfigTests(argc, argv);
    failures += runWebhookNotifierTests(argc, argv);
    failures += runCommandNotifierTests(argc, argv);
    failures += runAlertDispatcherTests(argc, argv);
    return failures;
}

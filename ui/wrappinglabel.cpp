#include "wrappinglabel.h"

#include <QClipboard>
#include <QContextMenuEvent>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QMenu>

namespace kw {

namespace {
constexpr QChar kBreak(0x200B); // ZERO WIDTH SPACE: a line may break here, nothing is drawn

// After these a break reads naturally: "CN=a.example,/O=Example/", "devices/a17/heartbeat".
bool breaksAfter(QChar c)
{
    switch (c.unicode()) {
    case u'/':
    case u',':
    case u';':
    case u'=':
    case u':':
    case u'.':
    case u'-':
    case u'_':
    case u'@':
    case u'&':
    case u'?':
    case u'+':
    case u'#':
        return true;
    default:
        return false;
    }
}

// Past this many characters without a natural break, break anyway: an id of 64 hex digits must not
// widen the panel either.
constexpr int kHardBreak = 20;
} // namespace

WrappingLabel::WrappingLabel(QWidget *parent) : QLabel(parent)
{
    setTextFormat(Qt::PlainText);
    setWordWrap(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    setFocusPolicy(Qt::ClickFocus);
    // Wrapped text is as tall as its width asks: never squeezed below that, never clipped.
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Minimum);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

WrappingLabel::~WrappingLabel() = default;

void WrappingLabel::setPlainText(const QString &text)
{
    if (text == m_plain && !text.isEmpty())
        return;
    m_plain = text;
    setText(withBreakOpportunities(text));
}

QString WrappingLabel::withBreakOpportunities(const QString &text, int longToken)
{
    QString out;
    out.reserve(text.size() + text.size() / 8);
    qsizetype tokenStart = 0;
    for (qsizetype i = 0; i <= text.size(); ++i) {
        if (i < text.size() && !text.at(i).isSpace())
            continue;
        const QStringView token = QStringView(text).mid(tokenStart, i - tokenStart);
        if (token.size() <= longToken) {
            out += token;
        } else {
            int sinceBreak = 0;
            for (qsizetype k = 0; k < token.size(); ++k) {
                const QChar c = token.at(k);
                out += c;
                ++sinceBreak;
                const bool last = k + 1 == token.size();
                // Never split a surrogate pair; never end the token on a break.
                if (last || c.isHighSurrogate())
                    continue;
                if (breaksAfter(c) || sinceBreak >= kHardBreak) {
                    out += kBreak;
                    sinceBreak = 0;
                }
            }
        }
        if (i < text.size())
            out += text.at(i);
        tokenStart = i + 1;
    }
    return out;
}

QString WrappingLabel::selectedPlainText() const
{
    QString text = selectedText();
    text.remove(kBreak);
    return text;
}

void WrappingLabel::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu menu(this);
    QAction *copy = menu.addAction(tr("&Copy"));
    copy->setEnabled(hasSelectedText());
    QAction *copyAll = menu.addAction(tr("Copy &all"));
    copyAll->setEnabled(!m_plain.isEmpty());
    const QAction *chosen = menu.exec(event->globalPos());
    if (chosen == copy)
        QGuiApplication::clipboard()->setText(selectedPlainText());
    else if (chosen == copyAll)
        QGuiApplication::clipboard()->setText(m_plain);
}

void WrappingLabel::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Copy) && hasSelectedText()) {
        QGuiApplication::clipboard()->setText(selectedPlainText());
        event->accept();
        return;
    }
    QLabel::keyPressEvent(event);
}

} // namespace kw

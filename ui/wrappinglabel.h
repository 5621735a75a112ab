#pragma once

#include <QLabel>
#include <QString>

namespace kw {

// A selectable, word-wrapped label whose long unbroken tokens (certificate subjects, topic names,
// client ids) may break too. QLabel wraps only at spaces, so one 90-character subject sets the
// label's minimum width and the panel clips it; this label gives such tokens break opportunities
// (zero-width spaces after '/', ',', '=', ... and every few dozen characters as a last resort) and
// takes them out again when the text is copied.
class WrappingLabel final : public QLabel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WrappingLabel)

public:
    explicit WrappingLabel(QWidget *parent = nullptr);
    ~WrappingLabel() override;

    // Plain text as given; text() holds the copy with break opportunities.
    void setPlainText(const QString &text);
    QString plainText() const { return m_plain; }

    // `text` with a zero-width space wherever a token longer than `longToken` characters may break.
    static QString withBreakOpportunities(const QString &text, int longToken = 16);

protected:
    void contextMenuEvent(QContextMenuEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    QString selectedPlainText() const;

    QString m_plain;
};

} // namespace kw

#pragma once

namespace kw {

// What an alert announces. The names ("down", "up", "reminder", "flapping", "stable", see
// alertKindName() in lib/store/alertnotice.h) appear in the "alert" events of the log, the webhook
// body and the command notifier's environment.
enum class AlertKind {
    Down,     // the endpoint is down (or waiting) past the rule's down_after
    Up,       // it is back, past up_after, after a Down was announced
    Reminder, // still down, resend_every_s after the last announcement
    Flapping, // it started flapping: Down/Up notices are held until it is stable again
    Stable,   // it stopped flapping; carries the state it settled in
};

} // namespace kw

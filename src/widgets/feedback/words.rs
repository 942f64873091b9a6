//! Every sentence the feedback widget shows or announces, in Vietnamese and English.

use crate::i18n::Lang;

/// The feedback widget's words in one language.
pub struct Words {
    /// The form's and the list's fixed words, one per line, in the order of the view's
    /// template: the language tag, "Gửi phản hồi", the labels of name, email, message and the
    /// honeypot, the send button, "Xem phản hồi", the sort group, its two sorts, the empty
    /// list, "Xem thêm".
    pub template: &'static str,
    pub sending: &'static str,
    pub sent_pending: &'static str,
    pub sent_published: &'static str,
    pub queued: &'static str,
    pub failed: &'static str,
    pub rate_limited: &'static str,
    pub name_missing: &'static str,
    pub name_long: &'static str,
    pub email_bad: &'static str,
    pub message_missing: &'static str,
    pub message_short: &'static str,
    pub message_long: &'static str,
    pub newsroom: &'static str,
    /// The like button's words, before and after the count: "Thích" and " lượt thích", one per
    /// line.
    pub like: &'static str,
}

/// The words of `lang`.
pub fn words(lang: Lang) -> &'static Words {
    lang.pick(&VI, &EN)
}

const VI: Words = Words {
    template: "vi\n\
Gửi phản hồi\n\
Họ và tên\n\
Email (không bắt buộc, không hiển thị)\n\
Nội dung phản hồi\n\
Xin để trống ô này\n\
Gửi phản hồi\n\
Xem phản hồi\n\
Sắp xếp\n\
Mới nhất\n\
Quan tâm nhất\n\
Chưa có phản hồi nào.\n\
Xem thêm",
    sending: "Đang gửi…",
    sent_pending: "Phản hồi của bạn đã được gửi và đang chờ kiểm duyệt.",
    sent_published: "Phản hồi của bạn đã được đăng.",
    queued: "Chưa có mạng: phản hồi sẽ được gửi khi có kết nối.",
    failed: "Chưa gửi được. Nội dung vẫn còn, xin thử lại.",
    rate_limited: "Gửi quá nhanh. Xin thử lại sau ít phút.",
    name_missing: "Xin nhập họ và tên.",
    name_long: "Tối đa 80 ký tự.",
    email_bad: "Email chưa đúng, ví dụ: ten@vidu.vn.",
    message_missing: "Xin nhập nội dung phản hồi.",
    message_short: "Cần ít nhất 10 ký tự.",
    message_long: "Tối đa 3.000 ký tự.",
    newsroom: "Tòa soạn trả lời",
    like: "Thích\n lượt thích",
};

const EN: Words = Words {
    template: "en\n\
Send feedback\n\
Name\n\
Email (optional, never shown)\n\
Your feedback\n\
Leave this empty\n\
Send feedback\n\
Readers' feedback\n\
Sort by\n\
Newest\n\
Most liked\n\
No feedback yet.\n\
Show more",
    sending: "Sending…",
    sent_pending: "Your feedback was sent and is awaiting moderation.",
    sent_published: "Your feedback was published.",
    queued: "Offline: your feedback will be sent when you reconnect.",
    failed: "Not sent. Your text is still here; please try again.",
    rate_limited: "Too fast. Please try again in a few minutes.",
    name_missing: "Please enter your name.",
    name_long: "At most 80 characters.",
    email_bad: "Check the email, e.g. name@example.com.",
    message_missing: "Please write your feedback.",
    message_short: "At least 10 characters, please.",
    message_long: "At most 3,000 characters.",
    newsroom: "The newsroom replies",
    like: "Like\n likes",
};

//! Every sentence the feedback widget shows or announces, in Vietnamese and English.

use crate::i18n::Lang;

/// The feedback widget's words in one language.
pub struct Words {
    pub send_heading: &'static str,
    pub name: &'static str,
    pub email: &'static str,
    pub message: &'static str,
    /// The honeypot's label (people never see the field).
    pub website: &'static str,
    pub submit: &'static str,
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
    /// After the message's length in the counter: "/3.000".
    pub of_max: &'static str,
    /// "Xem phản hồi" — the list's heading, before its count.
    pub list_heading: &'static str,
    pub sort: &'static str,
    pub newest: &'static str,
    pub liked: &'static str,
    pub empty: &'static str,
    pub more: &'static str,
    pub load_failed: &'static str,
    pub newsroom: &'static str,
    pub like: &'static str,
    /// After the like count: " lượt thích".
    pub likes: &'static str,
}

/// The words of `lang`.
pub fn words(lang: Lang) -> &'static Words {
    lang.pick(&VI, &EN)
}

const VI: Words = Words {
    send_heading: "Gửi phản hồi",
    name: "Họ và tên",
    email: "Email (không bắt buộc, không hiển thị)",
    message: "Nội dung phản hồi",
    website: "Trang web (xin để trống)",
    submit: "Gửi phản hồi",
    sending: "Đang gửi phản hồi…",
    sent_pending: "Phản hồi của bạn đã được gửi và đang chờ kiểm duyệt.",
    sent_published: "Phản hồi của bạn đã được đăng.",
    queued: "Chưa kết nối được máy chủ: phản hồi của bạn sẽ gửi khi có mạng.",
    failed: "Chưa gửi được phản hồi. Nội dung vẫn còn đây, xin thử lại.",
    rate_limited: "Bạn gửi quá nhanh. Xin thử lại sau ít phút; nội dung vẫn còn đây.",
    name_missing: "Xin nhập họ và tên.",
    name_long: "Họ và tên dài tối đa 80 ký tự.",
    email_bad: "Địa chỉ email chưa đúng (dạng ten@vidu.vn, tối đa 254 ký tự).",
    message_missing: "Xin nhập nội dung phản hồi.",
    message_short: "Nội dung cần ít nhất 10 ký tự.",
    message_long: "Nội dung dài tối đa 3.000 ký tự.",
    of_max: "/3.000",
    list_heading: "Xem phản hồi",
    sort: "Sắp xếp",
    newest: "Mới nhất",
    liked: "Quan tâm nhất",
    empty: "Chưa có phản hồi nào được đăng.",
    more: "Xem thêm",
    load_failed: "Chưa tải được phản hồi. Xin thử lại.",
    newsroom: "Tòa soạn trả lời",
    like: "Thích",
    likes: " lượt thích",
};

const EN: Words = Words {
    send_heading: "Send feedback",
    name: "Name",
    email: "Email (optional, never shown)",
    message: "Your feedback",
    website: "Website (leave empty)",
    submit: "Send feedback",
    sending: "Sending your feedback…",
    sent_pending: "Your feedback was sent and is waiting for moderation.",
    sent_published: "Your feedback was published.",
    queued: "Cannot reach the server: your feedback will be sent once the connection is back.",
    failed: "Your feedback was not sent. Your text is still here; please try again.",
    rate_limited: "Too many messages. Please try again in a few minutes; your text is still here.",
    name_missing: "Please enter your name.",
    name_long: "Your name can be at most 80 characters.",
    email_bad:
        "That email address does not look right (like name@example.com, at most 254 characters).",
    message_missing: "Please write your feedback.",
    message_short: "Please write at least 10 characters.",
    message_long: "Your feedback can be at most 3,000 characters.",
    of_max: "/3,000",
    list_heading: "Readers' feedback",
    sort: "Sort by",
    newest: "Newest",
    liked: "Most liked",
    empty: "No feedback has been published yet.",
    more: "Show more",
    load_failed: "Feedback could not be loaded. Please try again.",
    newsroom: "The newsroom replies",
    like: "Like",
    likes: " likes",
};

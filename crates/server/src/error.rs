//! The one error type of the HTTP layer. Every error body is [`bangtin_api::ErrorBody`]:
//! `{"error":{"code":"...","message":"..."}}`. 5xx bodies say nothing internal; the detail is logged.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use bangtin_api::{ErrorBody, ErrorDetail};
use serde::de::DeserializeOwned;

use crate::db::{StoreError, Violation};

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Well-formed input that a widget refuses: `code` names the field or rule (e.g.
    /// `invalid_article`), `message` says what is wrong. 422.
    #[error("{message}")]
    Invalid { code: &'static str, message: String },
    /// The JSON is well-formed but does not fit the request type (serde's message).
    #[error("{0}")]
    InvalidField(String),
    #[error("{0}")]
    MalformedJson(String),
    #[error("expected a request with Content-Type: application/json")]
    UnsupportedMediaType,
    #[error("request body is larger than {} bytes", bangtin_api::MAX_BODY_BYTES)]
    BodyTooLarge,
    /// The body did not arrive within the server's body timeout (a slow or stalled client).
    #[error("the request body did not arrive within {:.1} s", .0.as_secs_f64())]
    RequestTimeout(std::time::Duration),
    #[error("{0}")]
    BadRequest(String),
    #[error("the Origin of this request is not allowed to write here")]
    OriginNotAllowed,
    /// A write whose client address cannot be told (no peer, or a garbled `X-Forwarded-For`
    /// behind a trusted proxy): without it the write limit cannot apply.
    #[error("cannot tell the client's address, so writes are refused; check --trusted-proxy")]
    NoClientAddress,
    #[error("too many writes; retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("no such API route")]
    NotFound,
    /// A named thing that does not exist (or, for readers, is not published). 404 `not_found`.
    #[error("{0}")]
    Missing(String),
    /// The request conflicts with what is stored (`id_conflict`, `feedback_deleted`). 409.
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// An admin request without a live session (none, expired, or its moderator revoked). 401.
    #[error("log in first: no session, or it expired or was revoked")]
    Unauthorized,
    /// A login token that is malformed, unknown, already used or revoked. 401.
    #[error("this login token is not valid (tokens work once; ask for a new one)")]
    InvalidToken,
    /// An admin write without the session's CSRF token, or from a foreign origin. 403.
    #[error("{0}")]
    CsrfFailed(&'static str),
    #[error("too many login attempts; retry in {retry_after_secs} s")]
    LoginRateLimited { retry_after_secs: u64 },
    #[error("method not allowed on this route")]
    MethodNotAllowed,
    #[error("storage failed: {0}")]
    Storage(#[from] StoreError),
}

impl AppError {
    /// A refused field or rule; see [`AppError::Invalid`].
    pub fn invalid(code: &'static str, message: String) -> AppError {
        AppError::Invalid { code, message }
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            AppError::Invalid { code, .. } => (StatusCode::UNPROCESSABLE_ENTITY, code),
            AppError::InvalidField(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_field"),
            AppError::MalformedJson(_) => (StatusCode::BAD_REQUEST, "malformed_json"),
            AppError::UnsupportedMediaType => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            AppError::BodyTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "body_too_large"),
            AppError::RequestTimeout(_) => (StatusCode::REQUEST_TIMEOUT, "request_timeout"),
            AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            AppError::OriginNotAllowed => (StatusCode::FORBIDDEN, "origin_not_allowed"),
            AppError::NoClientAddress => (StatusCode::FORBIDDEN, "no_client_address"),
            AppError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            AppError::NotFound | AppError::Missing(_) => (StatusCode::NOT_FOUND, "not_found"),
            AppError::Conflict { code, .. } => (StatusCode::CONFLICT, code),
            AppError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            AppError::InvalidToken => (StatusCode::UNAUTHORIZED, "invalid_token"),
            AppError::CsrfFailed(_) => (StatusCode::FORBIDDEN, "csrf_failed"),
            AppError::LoginRateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            AppError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            // The handlers validate first, so a refusing constraint is a bug; still the request's
            // data was refused, which is no server failure (the same for every backend).
            AppError::Storage(StoreError::Refused {
                kind: Violation::Unique,
                ..
            }) => (StatusCode::CONFLICT, "conflict"),
            AppError::Storage(StoreError::Refused { .. }) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid_field")
            }
            AppError::Storage(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let message = match &self {
            AppError::Storage(err @ StoreError::Refused { .. }) => {
                tracing::warn!(error = %err, "the database refused validated data");
                err.to_string()
            }
            AppError::Storage(err) => {
                tracing::error!(error = %err, "storage failed");
                "internal server error".to_owned()
            }
            other => other.to_string(),
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: code.to_owned(),
                message,
            },
        };
        let mut response = (status, Json(body)).into_response();
        if let AppError::RateLimited { retry_after_secs }
        | AppError::LoginRateLimited { retry_after_secs } = self
        {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        response
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(err) => AppError::InvalidField(err.body_text()),
            JsonRejection::JsonSyntaxError(err) => AppError::MalformedJson(err.body_text()),
            JsonRejection::MissingJsonContentType(_) => AppError::UnsupportedMediaType,
            other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => AppError::BodyTooLarge,
            other => AppError::BadRequest(other.body_text()),
        }
    }
}

/// `axum::Json`, but every rejection is an [`AppError`] with a JSON body.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let Json(value) = Json::<T>::from_request(req, state).await?;
        Ok(ApiJson(value))
    }
}

/// Fallback for unknown `/api/...` routes.
pub async fn api_not_found() -> AppError {
    AppError::NotFound
}

/// Fallback for a known route asked with the wrong method.
pub async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}

//! Who is asking: passwords (argon2id, hashed off the async threads), random tokens, session
//! cookies, login throttling, and the pages to log in, log out, change a password and use a
//! reset link.

use super::{Me, Page, Visitor, redirect};
use crate::error::Explained;
use crate::{AppError, AppState};
use axum::Extension;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use courant_core::User;
pub(crate) use courant_newsroom::secrets::{token, token_hash, verify_password};
use courant_newsroom::{NewPassword, Refusal};
use serde::Serialize;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use time::OffsetDateTime;

/// The session cookie, scoped to the newsroom.
pub(crate) const SESSION_COOKIE: &str = "courant_session";
/// The cookie of the double-submitted token that guards the login and reset forms.
pub(crate) const FORM_COOKIE: &str = "courant_form";

/// Compares secrets in time independent of where they differ.
pub(crate) fn same_secret(a: &str, b: &str) -> bool {
    !a.is_empty() && a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A cookie's value from the request.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value for the newsroom: HttpOnly, SameSite=Lax, Secure on HTTPS sites.
pub(crate) fn set_cookie(app: &AppState, name: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
    let secure = if app.newsroom_settings.secure_cookies { "; Secure" } else { "" };
    let age = max_age.map(|s| format!("; Max-Age={s}")).unwrap_or_default();
    let v = format!("{name}={value}; Path=/newsroom; HttpOnly; SameSite=Lax{secure}{age}");
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static("invalid=1"))
}

/// Failed logins per account and per address within a window; past the limit, logins wait.
/// The counts live in the store, so every node of a publication refuses after the same number.
pub mod throttle {
    use courant_store::{Store, StoreError};
    use std::net::IpAddr;
    use time::{Duration, OffsetDateTime};

    pub const WINDOW: Duration = Duration::minutes(15);
    pub const PER_ACCOUNT: i64 = 5;
    pub const PER_ADDRESS: i64 = 30;

    /// The counters a login attempt counts under, with their limits.
    fn keys(email: &str, ip: IpAddr) -> [(String, i64); 2] {
        // An address is at most 254 characters; an IPv6 client usually holds a whole /64.
        let email: String = email.trim().to_lowercase().chars().take(254).collect();
        let address = match crate::limit::network_of(ip) {
            IpAddr::V6(network) => format!("{network}/64"),
            v4 => v4.to_string(),
        };
        [(format!("account:{email}"), PER_ACCOUNT), (format!("address:{address}"), PER_ADDRESS)]
    }

    /// Counts an attempt under its account and its address, before the password is checked;
    /// answers with the minutes to wait when either is over its limit (that attempt's password
    /// is then not checked at all). Attempts at once each get their own count.
    pub async fn attempt(
        store: &Store,
        email: &str,
        ip: IpAddr,
        now: OffsetDateTime,
    ) -> Result<Option<u64>, StoreError> {
        let keys = keys(email, ip);
        let names: Vec<String> = keys.iter().map(|(k, _)| k.clone()).collect();
        let counted = store.count_login_attempt(&names, now, now - WINDOW).await?;
        let over = keys.iter().any(|(key, limit)| counted.iter().any(|c| &c.key == key && c.failures > *limit));
        // The window is counted from the first failure; waiting it out whole is the safe answer.
        Ok(over.then(|| WINDOW.whole_minutes() as u64))
    }

    /// A login that succeeded: its account starts afresh, and its address gets the attempt back.
    pub async fn succeeded(store: &Store, email: &str, ip: IpAddr) -> Result<(), StoreError> {
        let [(account, _), (address, _)] = keys(email, ip);
        store.clear_login_failures(&account).await?;
        store.forgive_login_attempt(&address).await
    }
}

#[derive(Serialize)]
struct LoginView {
    email: String,
}

/// `GET /newsroom/login`: the login form (already logged in: the dashboard).
pub(super) async fn login_form(
    State(app): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> Result<Response, AppError> {
    if visitor.user.is_some() {
        return Ok(redirect("/newsroom/"));
    }
    visitor.page(&app, "login", "Log in", LoginView { email: String::new() }, Vec::new())
}

/// `POST /newsroom/login`: checks the password (throttled per account and per address) and
/// starts a session in a new cookie.
pub(super) async fn login(
    State(app): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Extension(form): Extension<Arc<super::form::Form>>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
) -> Result<Response, AppError> {
    let ip = peer.map_or(IpAddr::from([127, 0, 0, 1]), |p| p.0.0.ip());
    let email = form.get("email").trim().to_string();
    let refuse = |message: String| {
        let page = visitor.html(&app, "login", "Log in", LoginView { email: email.clone() }, vec![message.clone()])?;
        Err(AppError::Unauthorized(Explained::new("Not logged in", message)).with_page(page))
    };
    let now = OffsetDateTime::now_utc();
    if let Some(minutes) = throttle::attempt(&app.store, &email, ip, now).await? {
        tracing::warn!(%ip, "login throttled");
        return refuse(format!("Too many failed attempts. Try again in {minutes} minutes."));
    }
    let found = app.store.user_for_login(&email).await?;
    // Hash even for an unknown address, so the answer takes as long either way.
    let (user, hash) = match found {
        Some(found) => (Some(found.user), found.password_hash),
        None => (None, DUMMY_HASH.to_string()),
    };
    let ok = verify_password(form.get("password").to_string(), hash).await;
    let user = match user {
        Some(u) if ok && !u.disabled => u,
        _ => {
            tracing::info!(%ip, "login failed");
            return refuse("That email and password do not match an active account.".into());
        }
    };
    throttle::succeeded(&app.store, &email, ip).await?;
    let mut response = redirect(if user.must_change_password { "/newsroom/account" } else { "/newsroom/" });
    start_session(&app, &user, &mut response).await?;
    tracing::info!(user = user.id.0, "logged in");
    Ok(response)
}

/// An argon2id hash of a random password, checked against when the account does not exist.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$W8v8sQ3kJmXcS5C2Gx1m0o6y7v1xgq0b7mCz0aGQJkM";

async fn start_session(app: &AppState, user: &User, response: &mut Response) -> Result<(), AppError> {
    let session = token();
    let now = OffsetDateTime::now_utc();
    let days = app.newsroom_settings.session_days;
    app.store.create_session(&token_hash(&session), user.id, &token(), now, now + time::Duration::days(days)).await?;
    response.headers_mut().append(header::SET_COOKIE, set_cookie(app, SESSION_COOKIE, &session, Some(days * 86_400)));
    Ok(())
}

/// `POST /newsroom/logout`: ends this session.
pub(super) async fn logout(State(app): State<AppState>, Extension(me): Extension<Me>) -> Result<Response, AppError> {
    app.store.delete_session(&me.session_hash).await?;
    let mut r = redirect("/newsroom/login");
    r.headers_mut().append(header::SET_COOKIE, set_cookie(&app, SESSION_COOKIE, "", Some(0)));
    Ok(r)
}

/// `POST /newsroom/logout-everywhere`: ends every session of this account, on every device.
pub(super) async fn logout_everywhere(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
) -> Result<Response, AppError> {
    let n = app.store.delete_sessions(me.user.id).await?;
    tracing::info!(user = me.user.id.0, sessions = n, "logged out everywhere");
    let mut r = redirect("/newsroom/login");
    r.headers_mut().append(header::SET_COOKIE, set_cookie(&app, SESSION_COOKIE, "", Some(0)));
    Ok(r)
}

#[derive(Serialize)]
struct AccountView {
    forced: bool,
    sessions_note: String,
}

/// `GET /newsroom/account`: change one's password; log out everywhere.
pub(super) async fn account(State(app): State<AppState>, Extension(me): Extension<Me>) -> Result<Response, AppError> {
    account_page(&app, &me, Vec::new(), None)
}

fn account_page(app: &AppState, me: &Me, errors: Vec<String>, notice: Option<&str>) -> Result<Response, AppError> {
    let view = AccountView {
        forced: me.user.must_change_password,
        sessions_note: "Changing your password ends your other sessions.".into(),
    };
    Page::of("account", "Your account").response(app, me, view, errors, notice)
}

/// `POST /newsroom/account/password`: sets a new password after checking the current one
/// (not asked right after logging in with a one-time password); other sessions end.
pub(super) async fn change_password(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<super::form::Form>>,
) -> Result<Response, AppError> {
    let new = NewPassword { password: form.get("password").into(), repeated: form.get("password2").into() };
    match app.newsroom.change_password(&me.user, form.get("current"), &new, &me.session_hash).await {
        Ok(()) => Ok(redirect("/newsroom/?done=password")),
        // The form again, with what to change.
        Err(Refusal::Invalid(errors)) => account_page(&app, &me, super::messages(&errors), None),
        Err(refusal) => Err(refusal.into()),
    }
}

#[derive(Serialize)]
struct ResetView {
    email: String,
    action: String,
}

/// `GET /newsroom/reset/{token}`: the form to choose a password through a one-time link.
pub(super) async fn reset_form(
    State(app): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(reset): Path<String>,
) -> Result<Response, AppError> {
    let user = app.store.password_reset_user(&token_hash(&reset), OffsetDateTime::now_utc()).await?;
    let user = user.ok_or_else(expired_link)?;
    let view = ResetView { email: user.email, action: format!("/newsroom/reset/{reset}") };
    visitor.page(&app, "reset", "Choose a password", view, Vec::new())
}

fn expired_link() -> AppError {
    AppError::Expired(Explained::new(
        "This link does not work",
        "The link was used already, has expired, or was never issued. Ask an admin for a new one.",
    ))
}

/// `POST /newsroom/reset/{token}`: sets the password and uses the link up; every session of the
/// user ends, and a new one starts here.
pub(super) async fn reset(
    State(app): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Extension(form): Extension<Arc<super::form::Form>>,
    Path(reset): Path<String>,
) -> Result<Response, AppError> {
    let new = NewPassword { password: form.get("password").into(), repeated: form.get("password2").into() };
    match app.newsroom.reset_password(&reset, &new).await {
        Ok(user) => {
            let mut response = redirect("/newsroom/?done=password");
            start_session(&app, &user, &mut response).await?;
            Ok(response.into_response())
        }
        Err(Refusal::Invalid(errors)) => {
            let user = app.store.password_reset_user(&token_hash(&reset), OffsetDateTime::now_utc()).await?;
            let user = user.ok_or_else(expired_link)?;
            let view = ResetView { email: user.email, action: format!("/newsroom/reset/{reset}") };
            visitor.page(&app, "reset", "Choose a password", view, super::messages(&errors))
        }
        Err(Refusal::NotFound(_)) => Err(expired_link()),
        Err(refusal) => Err(refusal.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_dummy_hash_matches_no_password() {
        assert!(!verify_password("anything".into(), DUMMY_HASH.into()).await);
        assert!(!verify_password(String::new(), DUMMY_HASH.into()).await);
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abc", "abc") && !same_secret("abc", "abd") && !same_secret("", ""));
    }

    #[tokio::test]
    async fn throttle_blocks_an_account_after_five_attempts_on_every_node() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let node = courant_store::Store::open(dir.path()).await.expect("store");
        let other_node = courant_store::Store::open(dir.path()).await.expect("a second handle: another node");
        let ip = IpAddr::from([10, 0, 0, 1]);
        let now = OffsetDateTime::now_utc();
        for n in 0..throttle::PER_ACCOUNT {
            let on = if n % 2 == 0 { &node } else { &other_node };
            assert!(throttle::attempt(on, "A@x.example", ip, now).await.expect("counted").is_none(), "attempt {n}");
        }
        assert!(
            throttle::attempt(&node, "a@x.example ", ip, now).await.expect("counted").is_some(),
            "the sixth is refused, whatever the case, counted on any node"
        );
        let elsewhere = IpAddr::from([10, 0, 0, 2]);
        assert!(
            throttle::attempt(&node, "b@x.example", elsewhere, now).await.expect("counted").is_none(),
            "others may log in"
        );
        let later = now + throttle::WINDOW + time::Duration::seconds(1);
        assert!(
            throttle::attempt(&node, "a@x.example", ip, later).await.expect("counted").is_none(),
            "the window passes; counting starts again"
        );
        throttle::succeeded(&node, "a@x.example", ip).await.expect("succeeded");
        for n in 0..throttle::PER_ACCOUNT {
            assert!(throttle::attempt(&node, "a@x.example", ip, later).await.expect("counted").is_none(), "again {n}");
        }
    }
}

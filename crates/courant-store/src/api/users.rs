//! Newsroom users, their sessions, one-time password reset links and failed logins. Passwords
//! and tokens arrive hashed. The SQL is in `src/users.rs`.

use crate::types::*;
use crate::{Backend, Store, StoreError};
use courant_core::*;
use time::OffsetDateTime;

impl Store {
    /// Creates a user, logged in the audit log; `by` is the admin who did it (none from the
    /// command line). The email, kept trimmed and in lower case, must not have an account yet.
    pub async fn insert_user(&self, new: &NewUser, by: Option<UserId>, at: OffsetDateTime) -> Result<User, StoreError> {
        on_backend!(self, b => b.insert_user(new, by, at).await)
    }

    /// The user with this id.
    pub async fn user(&self, id: UserId) -> Result<Option<User>, StoreError> {
        on_backend!(self, b => b.user(id).await)
    }

    /// The user with this email (compared without regard to case or surrounding spaces) and
    /// their password hash, for logging in.
    pub async fn user_for_login(&self, email: &str) -> Result<Option<LoginCandidate>, StoreError> {
        on_backend!(self, b => b.user_for_login(email).await)
    }

    /// The user with this email (compared without regard to case or surrounding spaces).
    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        on_backend!(self, b => b.user_by_email(email).await)
    }

    /// The password hash of a user, to check their current password.
    pub async fn password_hash(&self, id: UserId) -> Result<Option<String>, StoreError> {
        on_backend!(self, b => b.password_hash(id).await)
    }

    /// Every user, by name.
    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        on_backend!(self, b => b.users().await)
    }

    /// How many users there are.
    pub async fn count_users(&self) -> Result<i64, StoreError> {
        on_backend!(self, b => b.count_users().await)
    }

    /// Changes a user's name, role, byline and whether they may log in, in one transaction; role
    /// changes and disabling are logged in the audit log as done by `by`, and a disabled user's
    /// sessions end at once.
    pub async fn update_user(
        &self,
        id: UserId,
        update: &UserUpdate,
        by: Option<UserId>,
        at: OffsetDateTime,
    ) -> Result<User, StoreError> {
        on_backend!(self, b => b.update_user(id, update, by, at).await)
    }

    /// Sets a user's password (already hashed). Every session of the user ends except `keep`,
    /// the one that changed it.
    pub async fn set_password(
        &self,
        id: UserId,
        password_hash: &str,
        must_change: bool,
        keep: Option<&str>,
    ) -> Result<(), StoreError> {
        on_backend!(self, b => b.set_password(id, password_hash, must_change, keep).await)
    }

    /// Starts a session for a user, known by the hash of its cookie token.
    pub async fn create_session(
        &self,
        token_hash: &str,
        user: UserId,
        csrf_token: &str,
        at: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_backend!(self, b => b.create_session(token_hash, user, csrf_token, at, expires_at).await)
    }

    /// The user of a live session and the session's CSRF token; none when the session is
    /// unknown, expired, or its user is disabled.
    pub async fn session(&self, token_hash: &str, now: OffsetDateTime) -> Result<Option<SessionUser>, StoreError> {
        on_backend!(self, b => b.session(token_hash, now).await)
    }

    /// Ends one session.
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        on_backend!(self, b => b.delete_session(token_hash).await)
    }

    /// Ends every session of a user (logout everywhere); returns how many there were.
    pub async fn delete_sessions(&self, user: UserId) -> Result<u64, StoreError> {
        on_backend!(self, b => b.delete_sessions(user).await)
    }

    /// Forgets expired sessions and reset links, and failed logins counted more than a day
    /// ago.
    pub async fn prune_sessions(&self, now: OffsetDateTime) -> Result<(), StoreError> {
        on_backend!(self, b => b.prune_sessions(now).await)
    }

    /// Records a one-time password reset link for a user (by the hash of its token), logged in
    /// the audit log.
    pub async fn create_password_reset(
        &self,
        token_hash: &str,
        user: &User,
        by: Option<UserId>,
        at: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_backend!(self, b => b.create_password_reset(token_hash, user, by, at, expires_at).await)
    }

    /// The user a live, unused reset link belongs to; none when the link is unknown, used,
    /// expired, or its user is disabled.
    pub async fn password_reset_user(&self, token_hash: &str, now: OffsetDateTime) -> Result<Option<User>, StoreError> {
        on_backend!(self, b => b.password_reset_user(token_hash, now).await)
    }

    /// Counts one login attempt under each of `keys` before its password is checked, and
    /// answers with the counts made: concurrent attempts each see their own number. A count
    /// begun before `window_start` starts again at one.
    pub async fn count_login_attempt(
        &self,
        keys: &[String],
        now: OffsetDateTime,
        window_start: OffsetDateTime,
    ) -> Result<Vec<FailureCount>, StoreError> {
        on_backend!(self, b => b.count_login_attempt(keys, now, window_start).await)
    }

    /// Takes back one attempt counted under `key` (a login that succeeded).
    pub async fn forgive_login_attempt(&self, key: &str) -> Result<(), StoreError> {
        on_backend!(self, b => b.forgive_login_attempt(key).await)
    }

    /// Forgets the failed logins counted under `key` (after a successful login).
    pub async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError> {
        on_backend!(self, b => b.clear_login_failures(key).await)
    }

    /// Uses a reset link, in one transaction: sets the new password (already hashed) and ends
    /// every session of the user, once. A second use, or an expired link, is refused.
    pub async fn use_password_reset(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: OffsetDateTime,
    ) -> Result<User, StoreError> {
        on_backend!(self, b => b.use_password_reset(token_hash, password_hash, now).await)
    }
}
